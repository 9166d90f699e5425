"""The blog's pages: the index (all, by category, by tag), a post with its comments."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import ratelimit
from core.pagecache import cached_for_visitors

from . import pages, selectors, services
from .forms import CommentForm


class PageOutOfRange(Exception):
    """A page number past the last page (or below the first): the index sends her to the nearest page."""

    def __init__(self, number: int):
        self.number = number


def _page_or_404(request, posts):
    paginator = Paginator(posts, selectors.PAGE_SIZE, allow_empty_first_page=True)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as error:
        raise Http404("no such page") from error
    except EmptyPage as error:
        # /en/blog/?page=3 switched to Dutch may have fewer pages: the last one, not a 404.
        raise PageOutOfRange(1 if int(request.GET["page"]) < 1 else paginator.num_pages) from error


def _to_page(request, number: int):
    query = request.GET.copy()
    if number > 1:
        query["page"] = str(number)
    else:
        query.pop("page", None)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


@cached_for_visitors
def index(request, category_slug=None, tag_slug=None):
    category = tag = None
    if category_slug is not None and (category := selectors.category_by_slug(category_slug)) is None:
        raise Http404("unknown category")
    if tag_slug is not None and (tag := selectors.tag_by_slug(tag_slug)) is None:
        raise Http404("unknown tag")
    language = get_language()
    try:
        page = _page_or_404(request, selectors.published_posts(language=language, category=category, tag=tag))
    except PageOutOfRange as out:
        return _to_page(request, out.number)
    posts = list(page.object_list)
    return render(request, "blog/index.html", {
        "page_obj": page,
        "posts": posts,
        "some_in_another_language": any(post.language != language for post in posts),
        "category": category,
        "tag": tag,
        "categories": selectors.categories_in_use(language=language),
    })


@cached_for_visitors
def post_detail(request, slug):
    post = selectors.post_for_page(slug=slug)
    if post is None:
        raise Http404("no such post")
    # The same article in the reader's language, when there is one.
    translation = post.translation
    if post.language != get_language() and translation is not None and translation.is_visible():
        return redirect(translation)
    return pages.render_post(request, post)


@csrf_exempt  # checked below for signed-in readers; anonymous pages carry no token so they can be cached
@require_POST
def comment(request, slug):
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    post = selectors.post_for_page(slug=slug)
    if post is None:
        raise Http404("no such post")
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_submit(
                post=post, text=data["text"], name=data.get("name", ""), email=data.get("email", ""),
                user=request.user, client_key=ratelimit.client_ip(request), honeypot=data["website"],
            )
        except services.BlogError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("blog:post", kwargs={"slug": post.slug}) + "?comment=thanks#comments")
    return pages.render_post(request, post, form=form, status=400)
