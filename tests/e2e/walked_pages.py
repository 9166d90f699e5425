"""The pages the accessibility walk opens for a visitor and a signed-in client, in Dutch and English;
shared with the test that no Dutch page shows an English date."""

from django.urls import reverse
from django.utils import translation

LANGUAGES = ("nl", "en")


def urls_in_both_languages(name, **kwargs):
    urls = []
    for language in LANGUAGES:
        with translation.override(language):
            urls.append(reverse(name, kwargs=kwargs or None))
    return urls


def anonymous_pages():
    names = ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]
    return [url for name in names for url in urls_in_both_languages(name)]


def her_other_things(studio, now):
    """What else a client can have, so its pages are walked too: a one-to-one, a place in a programme
    group and a running membership (as Stripe's first invoice leaves it)."""
    from datetime import timedelta

    from bookings.models import Membership, MembershipType
    from bookings.personal import availability, by_staff
    from classes.models import AppointmentType, ProgrammeRun

    client, teacher = studio["client"], studio["teacher"]
    kind = AppointmentType.objects.filter(is_bookable_alone=True).order_by("pk").first()
    appointment = by_staff.appointment_book_by_staff(client=client, appointment_type=kind, starts_at=availability.free_slots(kind, now=now)[0],
                                                     pay_with="studio", actor=teacher, now=now)
    enrolment = by_staff.group_enrol_by_staff(client=client, run=ProgrammeRun.objects.order_by("pk").first(), actor=teacher, now=now)
    kind = MembershipType.objects.order_by("pk").first()
    Membership.objects.create(client=client, membership_type=kind, status=Membership.Status.ACTIVE, price_cents=kind.price_cents,
                              stripe_subscription_id="sub_walk", stripe_customer_id="cus_walk", started_at=now,
                              current_period_start=now, current_period_end=now + timedelta(days=30))
    return {"appointment": appointment, "enrolment": enrolment}


def client_pages(studio):
    pages = [
        ("bookings:my_bookings", {}), ("profile", {}), ("bookings:cards", {}),
        ("bookings:receipt", {"pk": studio["payment"].pk}),
        ("bookings:book", {"session_id": studio["free"].pk}),
        ("bookings:cancel", {"pk": studio["booking"].pk}),
        ("bookings:waitlist_claim", {"pk": studio["entry"].pk}),
        ("intake:form", {}), ("intake:about", {}),
        ("privacy:overview", {}), ("privacy:delete_account", {}),
        ("account_email", {}), ("account_change_password", {}),
        ("bookings:appointment", {"pk": studio["appointment"].pk}), ("bookings:appointment_cancel", {"pk": studio["appointment"].pk}),
        ("bookings:appointment_move", {"pk": studio["appointment"].pk}),
        ("bookings:journey", {"pk": studio["enrolment"].pk}), ("bookings:programme_cancel", {"pk": studio["enrolment"].pk}),
        ("bookings:my_membership", {}), ("bookings:membership_cancel", {}),
    ]
    return [url for name, kwargs in pages for url in urls_in_both_languages(name, **kwargs)]
