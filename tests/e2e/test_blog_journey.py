"""A reader in Chromium: from the home page to the blog, reads the second psoas article,
follows its call to action to a Yin session; comments, and sees the comment once the admin
has approved it in the moderation queue. And the admin's live Markdown preview under
the site's content security policy."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog import demo
from classes.models import Offering
from studio.models import Page
from tests.factories import OfferingFactory, PageFactory, SessionFactory, StyleFactory, TeacherFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZIEL = "De Spier van de Ziel: Waarom de Psoas de Sleutel is tot Minder Stress"


@pytest.fixture
def blog():
    teacher = TeacherFactory()
    PageFactory(key=Page.Key.TRE, title_nl="TRE®", title_en="TRE®", body_nl="Over TRE®.", body_en="About TRE®.")
    offerings = [
        OfferingFactory(style=StyleFactory(slug="tre"), slug="tre-traject", kind=Offering.Kind.PROGRAMME, name_nl="TRE®-traject"),
        OfferingFactory(style=StyleFactory(slug="yin"), slug="yin-yoga"),
        OfferingFactory(style=StyleFactory(slug="hatha"), slug="hatha-yoga"),
    ]
    start = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    sessions = {}
    for offset, offering in enumerate(offerings):
        sessions[offering.slug] = SessionFactory(offering=offering, teacher=teacher, starts_at=start + timedelta(days=offset), capacity=10, places_taken=7)
    demo.load(author=teacher.user)
    UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    return sessions


def test_read_an_article_follow_its_invitation_and_comment(page, browser, live_server, blog):
    page.goto("/")
    assert page.locator(".post-card-title", has_text=ZIEL).count() == 1  # the latest posts on the home page
    page.get_by_role("navigation", name=re.compile("Hoofdmenu|Main menu")).get_by_role("link", name="Blog").click()
    page.wait_for_url(re.compile(r"/blog/$"))
    assert page.locator(".post-list > li").count() == 2

    page.get_by_role("link", name=ZIEL).click()
    page.wait_for_url(re.compile(r"/blog/de-spier-van-de-ziel-waarom-de-psoas-de-sleutel-is-tot-minder-stress/$"))
    assert page.get_by_role("heading", level=1).inner_text() == ZIEL
    toc = page.locator("nav.toc")
    assert toc.get_by_role("link", name="Een Mysterieus en Krachtig Weefsel").is_visible()
    toc.get_by_role("link", name="Een Mysterieus en Krachtig Weefsel").click()
    page.wait_for_url(re.compile(r"#een-mysterieus-en-krachtig-weefsel$"))
    assert page.locator("#post-sources li").count() == 9
    for char in ("Ć", "Ʃ", "ƫ", "Ā"):
        assert char not in page.locator("main").inner_text()

    yin = page.locator(".cta-offering", has=page.get_by_role("heading", name="Yin yoga"))
    assert yin.locator(".cta-session").count() == 1
    assert re.search(r"\b3\b", yin.locator(".cta-status").first.inner_text())  # places left
    yin.locator(".cta-session a.button").first.click()
    page.wait_for_url(re.compile(rf"/{blog['yin-yoga'].pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Yin yoga"

    page.go_back()
    page.locator("#id_name").fill("Lotte")
    page.locator("#id_email").fill("lotte@example.nl")
    page.locator("#id_text").fill("Dank je wel, de constructieve rust helpt me echt.")
    page.locator(".comment-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"\?comment=thanks#comments$"))
    assert page.locator("#comments [role=status]").is_visible()
    assert page.locator(".comment-list").count() == 0  # waiting for moderation

    admin = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        moderator = admin.new_page()
        moderator.goto("/admin/login/?next=/admin/blog/comment/")
        # The admin's login goes through the site's own (rate-limited) login page.
        moderator.locator("#id_login").fill("beheer@example.nl")
        moderator.locator("#id_password").fill("rustig-ademen-42")
        moderator.locator("form.account-form button[type=submit]").click()
        moderator.wait_for_url(re.compile(r"/admin/blog/comment/$"))
        row = moderator.locator("#result_list tbody tr", has_text="Dank je wel, de constructieve rust")
        row.locator("input.action-select").check()
        moderator.locator("select[name=action]").select_option("approve")
        moderator.locator("button[name=index]").click()
        moderator.wait_for_load_state()
        assert moderator.locator(".messagelist").is_visible()
    finally:
        admin.close()

    page.reload()
    comment = page.locator(".comment-list .comment")
    assert comment.count() == 1
    assert "Dank je wel, de constructieve rust helpt me echt." in comment.inner_text() and "Lotte" in comment.inner_text()


def test_the_tre_link_in_the_first_article_works(page, blog):
    page.goto("/blog/je-psoas-de-spier-die-spanning-vasthoudt-en-wat-je-eraan-kunt-doen/")
    page.locator(".post-body").get_by_role("link", name="TRE®-pagina").click()
    page.wait_for_url(re.compile(r"/tre/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "TRE®"


def test_the_admin_preview_follows_the_typing(page):
    UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/admin/login/?next=/admin/blog/post/add/")
    page.locator("#id_login").fill("beheer@example.nl")
    page.locator("#id_password").fill("rustig-ademen-42")
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/blog/post/add/$"))

    page.locator("#id_body").fill("## Adem rustig\n\nLangzaam **in** en uit.\n\n<script>alert(1)</script>")
    preview = page.locator(".blog-preview-body")
    preview.locator("h2", has_text="Adem rustig").wait_for()
    assert preview.locator("strong").inner_text() == "in"
    assert preview.locator("script").count() == 0
    assert re.search(r"\b1\b", page.locator(".blog-preview-meta").inner_text())
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
