"""The admin's desk, its first page: the day at a glance. It sits at the top layer because it shows
both the studio's money (bookings) and, through the desk's template tag, the blog's comments waiting.
Also the studio's own pages (about, TRE, privacy, terms): their texts and photos, edited here."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.books import today as books_today
from core.dates import DateOutOfRange, parse_day
from core.roles import admin_required

from .forms import DeskPageForm
from .models import Page


@admin_required
def today(request):
    now = timezone.now()
    current = timezone.localdate(now)
    try:
        day = parse_day(request.GET.get("day")) or current
    except DateOutOfRange:
        messages.info(request, _("That date is outside the years the studio works with; here is today."))
        day = current
    context = books_today.the_day(day, now=now)
    context.update({"today": current,
                    "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1)})
    return render(request, "studio/desk_today.html", context)


# The studio's pages --------------------------------------------------------------------------------


def _public_url(key) -> str:
    return reverse(key)  # each page's URL is named by its key: about, tre, privacy, terms


@admin_required
def pages(request):
    """Every page the studio writes itself, whether written yet or not."""
    written = {page.key: page for page in Page.objects.only("key", "title_nl", "image", "updated_at")}
    rows = [{"key": key, "label": label, "page": written.get(key), "url": _public_url(key)} for key, label in Page.Key.choices]
    return render(request, "studio/desk_pages.html", {"rows": rows})


@admin_required
def page_edit(request, key):
    """One page: title and text in both languages, a photo with its description. Saving bumps the cached
    public pages (core.pageversions: a studio page is content), so readers see it at once."""
    if key not in Page.Key.values:
        raise Http404("no such page")
    page = Page.objects.filter(key=key).first() or Page(key=key)
    form = DeskPageForm(request.POST or None, request.FILES or None, instance=page)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(page)s” is saved; the site shows it now.") % {"page": page.get_key_display()})
        return redirect("desk_pages")
    return render(request, "studio/desk_page_form.html", {"form": form, "page": page, "public_url": _public_url(key)},
                  status=400 if form.is_bound else 200)
