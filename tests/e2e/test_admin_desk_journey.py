"""The admin's day at her desk in Chromium, never opening /admin/. She writes a post: a cover image (a PNG made
here), the live preview following her typing, the signed preview in the public layout before anything
is published, a time in the future; when that time has come (the clock moved on, nobody acts) the post
is on /blog/ and in /blog/feed/. Then the money: €25 of a €75 payment refunded after a confirmation
(the client emailed), the reports of a chosen period with their charts, the bookings CSV downloaded.
A reader's comment goes through the desk's queue. Her pages pass axe-core and the Nu HTML checker,
and no page logs a console error."""

import csv
import io
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from blog.models import Comment, Post
from bookings.models import Refund
from tests.blog.factories import CategoryFactory, CommentFactory, PostFactory
from tests.bookings.paid import paid_online
from tests.e2e import pagecheck
from tests.factories import OfferingFactory, TeacherFactory, UserFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Adem in je buik, écht"


def cover_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), (118, 146, 110)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def desk(live_server):
    admin = UserFactory(email="beheer@example.nl", first_name="Anna", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name="Admin")[0])
    teacher = TeacherFactory()
    CategoryFactory(slug="adem", name_nl="Adem")
    OfferingFactory(name_nl="Yin yoga")
    return {"admin": admin, "teacher": teacher}


def test_the_admins_day_at_the_desk_without_the_django_admin(page, browser, live_server, desk, fake_stripe):
    """The whole journey of the issue: the post (here), then the money (`refund_report_and_export`)."""
    pagecheck.require_tools()
    errors, opened, visits = [], [], []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("request", lambda request: opened.append(request.url) if request.is_navigation_request() else None)
    sign_in(page, live_server, desk["admin"])

    page.goto(reverse("blog_desk:posts"))
    visits.append(pagecheck.visit(page, reverse("blog_desk:posts"), who="admin"))
    page.get_by_role("link", name="Nieuw artikel schrijven").click()
    page.wait_for_url(re.compile(r"/boekhouding/blog/nieuw/$"))

    # The web address follows the title; the live preview follows the text, sanitised, in the post page's markup.
    page.locator("#id_title").fill(TITLE)
    assert page.locator("#id_slug").input_value() == "adem-in-je-buik-echt"
    page.locator("#id_body").fill("## Rustig ademen\n\nLangzaam **in** en uit.\n\n<script>alert(1)</script>")
    preview = page.locator("#live-preview .post-body")
    preview.locator("h2", has_text="Rustig ademen").wait_for()
    assert preview.locator("strong").inner_text() == "in" and preview.locator("script").count() == 0
    page.locator("#id_body").press("End")
    page.locator("#id_body").type("\n\n## Je buik mag bewegen\n\nVoel hoe hij rijst.")
    preview.locator("h2", has_text="Je buik mag bewegen").wait_for()
    assert re.search(r"\b1 minuut leestijd", page.locator(".desk-preview-meta").inner_text())

    page.locator("#id_excerpt").fill("Over ademen in je buik.")
    page.locator("#id_author").select_option(str(desk["teacher"].pk))
    page.get_by_role("checkbox", name="Adem").check()
    page.locator("#id_cover_image").set_input_files({"name": "mat.png", "mimeType": "image/png", "buffer": cover_png()})
    page.locator("#id_cover_alt").fill("Een yogamat bij het raam, in de ochtendzon")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/boekhouding/blog/\d+/bewerken/$"))
    assert "Opgeslagen als concept" in page.locator(".messages").inner_text()
    post = Post.objects.get()
    assert (post.slug, post.status, post.author, post.cover_alt) == ("adem-in-je-buik-echt", "draft", desk["teacher"],
                                                                     "Een yogamat bij het raam, in de ochtendzon")
    visits.append(pagecheck.visit(page, page.url, who="admin, the saved draft"))

    # The signed preview: the public layout with its banner, for the staff only.
    with page.expect_popup() as popup_info:
        page.locator("#signed-preview").click()
    popup = popup_info.value
    popup.on("console", lambda message: errors.append(f"{popup.url}: {message.text}") if message.type == "error" else None)
    popup.wait_for_load_state()
    assert popup.get_by_role("heading", level=1).inner_text() == TITLE
    assert "Voorbeeld — niet gepubliceerd." in popup.locator(".preview-banner").inner_text()
    assert popup.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    assert popup.get_by_role("img", name="Een yogamat bij het raam, in de ochtendzon").is_visible()
    assert popup.locator(".post-body h2", has_text="Je buik mag bewegen").is_visible()
    preview_url = popup.url
    visits.append(pagecheck.visit(popup, preview_url, who="admin, the signed preview"))
    popup.close()
    stranger = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        assert stranger.new_page().goto(preview_url).status == 404  # the link alone opens nothing
    finally:
        stranger.close()

    # Scheduled for the day after tomorrow at 09:30, Breda time.
    moment = (timezone.localtime() + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    page.get_by_role("radio", name="Gepland").check()
    page.locator("#id_published_at").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "verschijnt vanzelf op" in page.locator(".messages").inner_text()
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED and post.published_at == moment
    reader = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        reading = reader.new_page()
        assert reading.goto(post.get_absolute_url()).status == 404
        assert TITLE not in reading.goto("/blog/").text()
        with time_machine.travel(moment + timedelta(minutes=1)):  # nobody does anything; its time has come
            reading.goto("/blog/")
            reading.get_by_role("link", name=TITLE).click()
            reading.wait_for_url(re.compile(r"/blog/adem-in-je-buik-echt/$"))
            assert reading.get_by_role("img", name="Een yogamat bij het raam, in de ochtendzon").is_visible()
            assert reading.locator(".preview-banner").count() == 0
            assert TITLE in reading.request.get("/blog/feed/").text()
    finally:
        reader.close()

    page.goto(reverse("blog_desk:posts"))
    assert page.locator("#published-heading").is_visible()
    visits += refund_report_and_export(page, live_server, fake_stripe)
    assert not [url for url in opened if "/admin/" in url], opened
    assert not errors, "\n".join(errors)
    blocking = {v.label: v.violations for v in visits if v.violations}
    assert not blocking, blocking
    assert not pagecheck.validate_html(visits)


def refund_report_and_export(page, live_server, fake_stripe) -> list:
    """From the desk's menu: €25 of a €75 payment back to the client, who is emailed; the reports of a
    chosen period with their charts; the bookings CSV downloaded."""
    client = UserFactory(email="sanne@example.nl", first_name="Sanne", last_name="de Vries")
    payment = paid_online(fake_stripe, client, price_cents=7500, name="Yin yoga")
    visits = []
    nav = page.get_by_role("navigation", name="Beheer")
    nav.get_by_role("link", name="Betalingen").click()
    page.get_by_label("Zoeken").fill("sanne")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=re.compile(timezone.localtime(payment.created_at).strftime("%H:%M"))).click()
    page.wait_for_url(re.compile(rf"/boekhouding/betalingen/{payment.pk}/$"))
    page.get_by_role("link", name="Helemaal of gedeeltelijk terugbetalen").click()
    page.get_by_label("Bedrag om terug te betalen, in euro").fill("25,00")
    page.get_by_label("Waarom (de klant leest dit in de e-mail)").fill("De les was korter")
    page.get_by_role("button", name="Terugbetaling nakijken").click()
    check = page.locator(".refund-check").inner_text().replace("\u00a0", " ")
    assert "€ 25,00 van € 75,00 gaat terug naar Sanne de Vries." in check and "blijft geboekt" in check
    assert not Refund.objects.exists()
    page.get_by_role("button", name=re.compile(r"^€\s25,00 terugbetalen$")).click()
    page.wait_for_url(re.compile(rf"/boekhouding/betalingen/{payment.pk}/$"))
    deadline = time.monotonic() + 10
    while not [m for m in mail.outbox if m.to == ["sanne@example.nl"] and "terugbetaald" in m.subject] and time.monotonic() < deadline:
        time.sleep(0.1)
    [told] = [m for m in mail.outbox if m.to == ["sanne@example.nl"] and "terugbetaald" in m.subject]
    assert "€\u00a025,00" in told.subject and "De les was korter" in told.body
    payment.refresh_from_db()
    assert (payment.refunded_cents, payment.status) == (2500, "partially_refunded")
    page.reload()
    assert "Terugbetaling van €\u00a025,00: Terugbetaald" in page.locator(".payment-story").inner_text()
    visits.append(pagecheck.visit(page, page.url, who="admin, a payment's story"))

    nav = page.get_by_role("navigation", name="Beheer")
    nav.get_by_role("link", name="Overzichten").click()
    today = timezone.localdate()
    page.locator("#id_first").fill((today - timedelta(days=6)).isoformat())
    page.locator("#id_last").fill((today + timedelta(days=7)).isoformat())  # the booked class is in two days
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(rf"first={(today - timedelta(days=6)).isoformat()}"))
    chart = page.locator("svg.chart[role=img]", has=page.locator("title", has_text="Omzet per maand"))
    assert "50,00" in chart.locator("desc").text_content()  # the figure, for a screen reader too
    revenue = page.locator("#comparison tr", has_text="Omzet na terugbetalingen").inner_text().replace("\u00a0", " ")
    assert "€ 50,00" in revenue
    visits.append(pagecheck.visit(page, page.url, who="admin, the reports"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Boekingen", exact=True).click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert any("Yin yoga" in row and "75,00" in row for row in rows[1:]), rows
    return visits


def test_the_admin_answers_a_comment_and_the_reader_sees_both(page, live_server, desk):
    post = PostFactory(title="Je psoas", slug="je-psoas")
    CommentFactory(post=post, name="Lotte", text="Hoe vaak moet ik dit oefenen?", status=Comment.Status.PENDING)
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    sign_in(page, live_server, desk["admin"])
    page.goto(reverse("blog_desk:posts"))
    nav = page.get_by_role("navigation", name=re.compile("Beheer|Admin"))
    nav.get_by_role("link", name=re.compile(r"^Reacties 1")).click()
    page.wait_for_url(re.compile(r"/boekhouding/blog/reacties/$"))
    comment = page.locator(".desk-comment", has_text="Hoe vaak moet ik dit oefenen?")
    assert "Je psoas" in comment.inner_text() and "Lotte" in comment.inner_text()
    visit = pagecheck.visit(page, page.url, who="admin, the comment queue")
    comment.locator("summary").click()
    comment.get_by_label("Antwoord als de studio").fill("Elke dag een paar minuten is genoeg.")
    comment.get_by_role("button", name="Goedkeuren en antwoorden").click()
    page.wait_for_load_state()
    assert "Er wachten geen reacties." in page.locator("main").inner_text()

    page.goto(post.get_absolute_url() + "#comments")
    shown = page.locator(".comment-list .comment")
    assert shown.count() == 2
    assert "Hoe vaak moet ik dit oefenen?" in shown.nth(0).inner_text()
    assert "Elke dag een paar minuten is genoeg." in shown.nth(1).inner_text() and "de studio" in shown.nth(1).inner_text()
    assert not errors, "\n".join(errors)
    assert not visit.violations, visit.violations
