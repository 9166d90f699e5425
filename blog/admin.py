from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import preview, services, text
from .forms import PostAdminForm
from .models import Category, Comment, Post, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_nl"]}
    search_fields = ["name_nl", "name_en"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "language", "state", "published_at", "author", "reading_minutes"]
    list_filter = ["status", "language", "categories", "tags"]
    search_fields = ["title", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "tags", "offerings"]
    list_select_related = ["author__user"]
    readonly_fields = ["reading_minutes", "created_at", "changed_at", "view_on_site_link"]
    actions = ["publish_now", "back_to_draft"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "translation", "author"]}),
        (_("Text"), {"fields": ["excerpt", "body", "sources", "reading_minutes"]}),
        (_("Cover image"), {"fields": ["cover_image", "cover_alt"]}),
        (_("Audio"), {"fields": ["audio", "audio_title", "audio_transcript"], "classes": ["collapse"]}),
        (_("Publishing"), {
            "fields": ["status", "published_at", "updated_on", "view_on_site_link"],
            "description": _("Draft: only visible here. Scheduled: appears by itself at the publish time. "
                             "Published: visible now (or from the publish time, if that is still to come)."),
        }),
        (_("Categories, tags and calls to action"), {"fields": ["categories", "tags", "offerings"]}),
        (_("Dates"), {"fields": ["created_at", "changed_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["blog/admin_preview.js"]
        css = {"all": ["blog/admin_preview.css"]}

    @admin.display(description=_("state"))
    def state(self, post):
        now = timezone.now()
        if post.status == Post.Status.DRAFT:
            return _("Draft")
        if post.published_at > now:
            return format_html("{} {}", _("Scheduled for"), timezone.localtime(post.published_at).strftime("%d-%m-%Y %H:%M"))
        return _("Published")

    def view_on_site(self, post):
        """The admin's "view on site": the public page once it is out, before that the staff's signed preview."""
        return post.get_absolute_url() if post.is_visible() else preview.preview_url(post)

    @admin.display(description=_("on the site"))
    def view_on_site_link(self, post):
        if not post.pk:
            return "-"
        if not post.is_visible():
            return format_html('{} · <a href="{}">{}</a>', _("Not visible yet"), preview.preview_url(post), _("Preview"))
        return format_html('<a href="{}">{}</a>', post.get_absolute_url(), post.get_absolute_url())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "translation" in form.changed_data:
            try:
                services.post_link_translation(post=form.instance, other=form.cleaned_data.get("translation"))
            except services.BlogError as error:
                self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=_("Publish now"))
    def publish_now(self, request, queryset):
        now = timezone.now()
        for post in queryset:
            services.post_publish(post=post, now=now)
        self.message_user(request, ngettext("%d post published.", "%d posts published.", len(queryset)) % len(queryset))

    @admin.action(description=_("Back to draft"))
    def back_to_draft(self, request, queryset):
        for post in queryset:
            services.post_unpublish(post=post)
        self.message_user(request, ngettext("%d post is a draft again.", "%d posts are drafts again.", len(queryset)) % len(queryset))

    def get_urls(self):
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="blog_post_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """The live preview: Markdown in, the sanitised HTML the page will show out. Staff only."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        rendered = text.render_body(request.POST.get("body", ""))
        return JsonResponse({
            "html": rendered.html,
            "words": rendered.words,
            "reading_minutes": rendered.reading_minutes,
            "reading_time": text.reading_time_label(rendered.reading_minutes),
            "summary": text.length_summary(rendered),
        })


class ModerationFilter(admin.SimpleListFilter):
    """The queue opens on what waits; the other states are one click away."""

    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or Comment.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or Comment.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["short_text", "name", "post", "created_at", "status"]
    list_filter = [ModerationFilter]
    list_select_related = ["post"]
    search_fields = ["name", "email", "text", "post__title"]
    readonly_fields = ["post", "user", "name", "email", "text", "created_at", "moderated_at", "moderated_by"]
    fields = ["post", "name", "email", "user", "text", "status", "created_at", "moderated_at", "moderated_by"]
    actions = ["approve", "remove"]
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("comment"))
    def short_text(self, comment):
        return comment.text if len(comment.text) <= 90 else comment.text[:89] + "…"

    @admin.action(description=_("Approve: show under the article"))
    def approve(self, request, queryset):
        count = services.comments_approve(comments=list(queryset), by=request.user)
        self.message_user(request, ngettext("%d comment approved.", "%d comments approved.", count) % count)

    @admin.action(description=_("Remove: never show"))
    def remove(self, request, queryset):
        count = services.comments_remove(comments=list(queryset), by=request.user)
        self.message_user(request, ngettext("%d comment removed.", "%d comments removed.", count) % count)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.moderated_at, obj.moderated_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
