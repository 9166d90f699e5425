"""The Django admin in the studio's style and in Dutch: no English model or app names for the admin,
Celery beat's schedules for superusers only, the pickers' hints and the messages after saving in good
Dutch (locale_overrides/), the studio's own stylesheet, and no console error in Chromium."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import translation

from blog.models import Category, Post
from studio import roles
from tests import factories
from tests.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]
DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl"}
# Names that are the same word in Dutch and English (checked by hand).
SAME_IN_DUTCH = {"Blog", "Studio", "Accounts", "Tags", "Tag", "Crontabs", "Interval"}
BEAT_ENGLISH = ["Periodic Tasks", "Periodic tasks", "Intervals", "Crontabs", "Solar events", "Clocked"]


@pytest.fixture
def superuser(db):
    return factories.UserFactory(email="eigenaar@example.nl", is_staff=True, is_superuser=True)


def english_and_dutch(app_list):
    """(English, Dutch) for every app and model name the admin index lists."""
    pairs = []
    for app in app_list:
        config = apps.get_app_config(app["app_label"])
        with translation.override("en"):
            pairs.append((str(config.verbose_name), app["name"]))
            for model in app["models"]:
                pairs.append((str(model["model"]._meta.verbose_name_plural).capitalize(), model["name"]))
    return pairs


@pytest.mark.django_db
def test_the_admin_index_shows_the_admin_only_dutch_names_and_no_periodic_tasks(client, admin_person):
    client.force_login(admin_person)
    response = client.get("/admin/", **DUTCH)
    assert response.status_code == 200
    html = response.content.decode()
    labels = {app["app_label"] for app in response.context["app_list"]}
    assert {"blog", "bookings", "classes"} <= labels
    assert "django_celery_beat" not in labels
    assert not [name for name in BEAT_ENGLISH + ["Geplande taken"] if name in html]
    pairs = english_and_dutch(response.context["app_list"])
    assert len(pairs) > 20
    untranslated = [dutch for english, dutch in pairs if english.lower() == str(dutch).lower() and dutch not in SAME_IN_DUTCH]
    assert untranslated == []


@pytest.mark.django_db
def test_every_registered_model_has_a_dutch_name(admin_person):
    from django.contrib import admin

    missing = []
    for model in admin.site._registry:
        names = {}
        for language in ("en", "nl"):
            with translation.override(language):
                names[language] = str(model._meta.verbose_name_plural).capitalize()
        if names["en"] == names["nl"] and names["nl"] not in SAME_IN_DUTCH and model._meta.app_label != "mfa":
            missing.append(model._meta.label)
    assert missing == []


@pytest.mark.django_db
def test_the_admin_cannot_open_the_periodic_tasks_by_address(client, admin_person):
    client.force_login(admin_person)
    for path in ["/admin/django_celery_beat/", "/admin/django_celery_beat/periodictask/",
                 "/admin/django_celery_beat/crontabschedule/add/"]:
        assert client.get(path, **DUTCH).status_code in (403, 404), path


@pytest.mark.django_db
def test_a_superuser_sees_the_periodic_tasks_in_dutch(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/", **DUTCH)
    labels = {app["app_label"]: app for app in response.context["app_list"]}
    beat = labels["django_celery_beat"]
    assert beat["name"] == "Geplande taken"
    assert {model["name"] for model in beat["models"]} >= {"Geplande taken", "Intervallen", "Zonnestanden"}
    assert client.get("/admin/django_celery_beat/periodictask/", **DUTCH).status_code == 200


def select_filter_msgids():
    source = (Path(translation.__file__).parents[2] / "contrib/admin/static/admin/js/SelectFilter2.js").read_text()
    found = re.findall(r"gettext\('((?:\\.|[^'])*)'\)", source) + re.findall(r'gettext\("((?:\\.|[^"])*)"\)', source)
    return {match.replace('\\"', '"').replace("\\'", "'") for match in found}


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_speaks_dutch_for_the_pickers(client, admin_person):
    client.force_login(admin_person)
    catalogue = client.get("/admin/jsi18n/", **DUTCH).content.decode()
    hint = 'Choose %s by selecting them and then select the "Choose" arrow button.'
    assert f"{json.dumps(hint)}: {json.dumps('Kies %s door ze te selecteren en dan op de pijl “Kiezen” te klikken.')}" in catalogue
    msgids = select_filter_msgids()
    assert hint in msgids and len(msgids) >= 9
    assert [msgid for msgid in msgids if f"{json.dumps(msgid)}:" not in catalogue] == []


@pytest.mark.django_db
def test_adding_a_post_says_so_in_correct_dutch(client, admin_person):
    client.force_login(admin_person)
    response = client.post("/admin/blog/post/add/", {
        "title": "Adem rustig", "slug": "adem-rustig", "language": "nl", "body": "Langzaam in en uit.", "status": "draft",
    }, follow=True, **DUTCH)
    assert Post.objects.filter(slug="adem-rustig").exists()
    shown = [re.sub("<[^>]+>", "", str(message)) for message in response.context["messages"]]
    assert shown == ["Toegevoegd: artikel “Adem rustig”."]
    assert "De artikel" not in response.content.decode()


@pytest.mark.django_db
def test_a_bad_post_is_refused_in_dutch_and_nothing_is_saved(client, admin_person):
    client.force_login(admin_person)
    response = client.post("/admin/blog/post/add/", {"title": "", "slug": "", "language": "nl", "status": "draft"}, **DUTCH)
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_deleting_says_so_without_a_wrong_article(client, admin_person):
    category = Category.objects.create(name_nl="Ademhaling", name_en="Breathing", slug="ademhaling")
    client.force_login(admin_person)
    response = client.post(f"/admin/blog/category/{category.pk}/delete/", {"post": "yes"}, follow=True, **DUTCH)
    assert [str(message) for message in response.context["messages"]] == ["Verwijderd: categorie “Ademhaling”."]


@pytest.mark.django_db
def test_admin_pages_load_the_studio_stylesheet_and_no_dark_mode(client, admin_person):
    client.force_login(admin_person)
    for path in ["/admin/", "/admin/blog/post/add/", "/admin/blog/post/"]:
        html = client.get(path, **DUTCH).content.decode()
        assert '<link rel="stylesheet" href="/static/css/admin.css">' in html, path
        assert "dark_mode.css" not in html and "theme-toggle" not in html
        assert "style=" not in re.sub(r"<svg.*?</svg>", "", html, flags=re.S)  # CSP: no inline styles
    css = (ROOT / "static/css/admin.css").read_text()
    assert "--studio-sage: #3d5c43" in css and "--header-bg: var(--studio-sand)" in css


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_admin_pages_in_chromium_are_dutch_styled_and_free_of_console_errors(page, live_server):
    roles.sync_roles(apps)  # the groups and their permissions: an earlier transactional test flushed them
    admin = factories.UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    Category.objects.create(name_nl="Ademhaling", name_en="Breathing", slug="ademhaling")
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    sign_in(page, live_server, admin)

    page.goto("/admin/")
    assert page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor") == "rgb(241, 232, 220)"
    assert page.locator("#content").inner_text().count("Periodic") == 0

    page.goto("/admin/blog/post/add/")
    page.locator(".selector-available").first.wait_for()  # SelectFilter2.js has built the pickers
    text = page.locator("#post_form").inner_text()
    assert "Kies categorieën door ze te selecteren" in text, text[:2000]
    assert "by selecting them" not in text
    page.goto("/admin/blog/category/")
    assert not errors, "\n".join(errors)
