"""Script and injection payloads through every form a person fills in and every query
parameter of the public pages: nothing runs, nothing breaks with a 500."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bookings.models import Booking, Intake
from tests.blog.factories import PostFactory
from tests.factories import BookingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE studio_user; --",
    "{{ 7*7 }}{% debug %}",
    "\u202e<iframe src=//evil.example>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "a" * 5000,
]
DANGEROUS = ["<script>alert(1)", "<img src=x onerror", "<svg/onload", "<iframe src=//evil"]


def assert_harmless(html: str):
    for marker in DANGEROUS:
        assert marker not in html, marker


@pytest.mark.parametrize("payload", PAYLOADS)
def test_profile_names_are_shown_escaped_everywhere(client, client_user, teacher, payload):
    client.force_login(client_user)
    response = client.post("/profiel/", {"first_name": payload[:150], "last_name": payload[:150], "phone": "", "language": "nl"})
    assert response.status_code in (200, 302)
    start = timezone.now() + timedelta(days=1)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), teacher=teacher)
    BookingFactory(session=session, client=client_user)
    assert_harmless(client.get("/profiel/").content.decode())
    client.force_login(teacher.user)
    assert_harmless(client.get(reverse("bookings:roster", args=[session.pk])).content.decode())
    assert_harmless(client.get(reverse("teaching:client", args=[client_user.pk])).content.decode())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_contact_form_takes_payloads_as_text(client, payload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", {"name": payload[:120], "email": "x@example.nl", "message": payload, "website": ""})
    assert response.status_code in (200, 302)
    assert_harmless(response.content.decode())
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None)  # plain text only: nothing to run


@pytest.mark.parametrize("payload", PAYLOADS)
def test_intake_answers_are_escaped_for_the_teacher(client, client_user, teacher, payload):
    client.force_login(client_user)
    fields = {"emergency_contact_name": payload[:100], "health_conditions": payload, "medication": payload, "injuries": payload,
              "hopes": payload, "notes_for_teacher": payload, "consent": "on"}
    response = client.post(reverse("intake:form"), fields)
    if len(payload) > 2000:  # longer than an answer may be: a clear message, nothing saved
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert not Intake.objects.filter(client=client_user).exists()
        return
    assert Intake.objects.filter(client=client_user).exists()
    assert_harmless(client.get(reverse("intake:form")).content.decode())
    BookingFactory(client=client_user, session=SessionFactory(teacher=teacher))  # she is one of the client's teachers
    client.force_login(teacher.user)
    response = client.get(reverse("intake:teacher", args=[client_user.pk]))
    assert response.status_code == 200
    assert_harmless(response.content.decode())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_blog_comments_are_escaped(client, payload):
    post = PostFactory()
    response = client.post(reverse("blog:comment", kwargs={"slug": post.slug}),
                           {"name": payload[:80], "email": "a@example.nl", "text": payload, "website": ""})
    assert response.status_code in (200, 302, 400)  # 400: too long, with a message
    assert_harmless(response.content.decode())
    assert_harmless(client.get(post.get_absolute_url()).content.decode())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_teacher_messages_and_walk_ins_are_escaped(client, teacher, payload, django_capture_on_commit_callbacks):
    start = timezone.now() + timedelta(days=1)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), teacher=teacher)
    BookingFactory(session=session, client=UserFactory(email="k@example.nl"))
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:message_session", args=[session.pk]), {"subject": payload[:150], "body": payload[:3000]})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["k@example.nl"]]  # the one client booked got it
    html = mail.outbox[0].alternatives[0][0]
    assert_harmless(html)
    assert escape(payload[:3000]) in html  # the message arrived, as text
    response = client.post(reverse("bookings:add_by_hand", args=[session.pk]),
                           {"first_name": payload[:150], "last_name": "x", "email": "walkin@example.nl", "pay_with": "studio"})
    assert response.status_code == 302, response.content.decode()[:500]
    walk_in = Booking.objects.get(session=session, client__email="walkin@example.nl", status=Booking.Status.CONFIRMED)
    assert walk_in.client.first_name == payload[:150].strip()
    roster = client.get(reverse("bookings:roster", args=[session.pk])).content.decode()
    assert_harmless(roster)
    assert escape(walk_in.client.first_name) in roster  # on the list, escaped


PUBLIC_PAGES = ["/", "/en/", "/rooster/", "/en/timetable/", "/blog/", "/en/blog/", "/contact/", "/timetable.ics", "/sitemap.xml",
                "/blog/feed/", "/account/login/", "/account/signup/"]
PARAMETERS = ["style", "teacher", "page", "lang", "q", "next", "category", "tag", "first", "last", "session_id"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_query_parameters_never_break_or_reflect(client, payload):
    SessionFactory()
    PostFactory()
    for url in PUBLIC_PAGES:
        for name in PARAMETERS:
            response = client.get(url, {name: payload})
            assert response.status_code in (200, 302, 400, 404), (url, name, response.status_code)
            assert_harmless(response.content.decode(errors="replace"))
