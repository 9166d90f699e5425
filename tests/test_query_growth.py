"""No page's number of SQL queries grows with the amount of data: each page is measured
with a small data set and one ten times larger, and the counts must be equal."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.group import services, waitlist
from tests.blog.factories import CommentFactory, PostFactory, TagFactory
from tests.factories import OfferingFactory, PaymentFactory, SessionFactory, StyleFactory, TeacherFactory, UserFactory, class_card

pytestmark = pytest.mark.django_db


def grow(scale, *, client, teacher, offering, post):
    """Sessions, bookings, waitlists, cards, payments, comments and tags, `scale` times over."""
    now = timezone.now()
    for i in range(3 * scale):
        start = (now + timedelta(hours=6 + 2 * i)).replace(second=0, microsecond=0)
        session = SessionFactory(offering=offering, teacher=teacher, starts_at=start, ends_at=start + timedelta(minutes=60), capacity=2)
        services.booking_create(client=client, session=session, pay_with="card")
        services.booking_create(client=UserFactory(), session=session, pay_with="stripe")
        waitlist.waitlist_join(client=UserFactory(), session=session)
    for _ in range(scale):
        PaymentFactory(client=client, status="paid", paid_at=now)
        CommentFactory(post=post, status="approved")
        post.tags.add(TagFactory())
        PostFactory(tags=list(post.tags.all()[:1]))
    return session


def queries(http, url):
    http.get(url)  # a first visit may create something once (the calendar link); measure the usual visit
    cache.clear()  # the page being made, not the visitors' page cache
    with CaptureQueriesContext(connection) as context:
        response = http.get(url)
    assert response.status_code == 200, url
    return len(context)


def test_no_page_runs_more_queries_with_ten_times_the_data(client):
    teacher = TeacherFactory()
    teacher.user.groups.add(Group.objects.get(name="Admin"))
    offering = OfferingFactory(style=StyleFactory(slug="yin"))
    someone = UserFactory(email="groei@example.nl")
    class_card(someone, credits=100)
    post = PostFactory(offerings=[offering])

    def pages(session):
        return {
            "anonymous": ["/", "/rooster/", session.get_absolute_url(), offering.get_absolute_url(), "/blog/", post.get_absolute_url(),
                          teacher.get_absolute_url()],
            "client": [reverse("bookings:my_bookings"), reverse("bookings:book", args=[session.pk]), "/profiel/"],
            "teacher": [reverse("bookings:teacher_overview"), reverse("bookings:roster", args=[session.pk]),
                        reverse("teaching:client", args=[someone.pk]), reverse("bookings:reports")],
        }

    def measure(session):
        counts = {}
        for who, urls in pages(session).items():
            client.logout()
            if who == "client":
                client.force_login(someone)
            elif who == "teacher":
                client.force_login(teacher.user)
            for url in urls:
                counts[url] = queries(client, url)
        return counts

    small_session = grow(1, client=someone, teacher=teacher, offering=offering, post=post)
    small = measure(small_session)
    grow(10, client=someone, teacher=teacher, offering=offering, post=post)
    large = measure(small_session)
    grown = {url: (small[url], large[url]) for url in small if large[url] != small[url]}
    assert not grown, f"queries grew with the data (small, large): {grown}"
