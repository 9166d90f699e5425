"""A client who reads in English never meets the Dutch name of something the studio sells: the demo
studio's class cards, memberships, gift vouchers, classes and one-to-ones, on every page she sees and
in the emails sent in her language. (Her data page is the exception: it shows what is stored, the
Dutch line of a payment included, next to its English one.)"""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from bookings.group import emails as group_emails
from bookings.memberships import emails as membership_emails
from bookings.memberships import sync
from bookings.models import ClassCard, ClassCardType, Membership, MembershipType, Payment, VoucherProduct
from bookings.offers import emails as voucher_emails
from bookings.offers import vouchers
from bookings.payments import records
from bookings.personal import emails as personal_emails
from classes.models import AppointmentType, Offering, Style
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.walked_pages import her_other_things

pytestmark = pytest.mark.django_db


def dutch_only_names() -> set[str]:
    """The names whose English form differs: any of them on an English page is a slip."""
    names = set()
    for model in (ClassCardType, MembershipType, VoucherProduct, Offering, AppointmentType, Style):
        names |= {nl for nl, en in model.objects.values_list("name_nl", "name_en") if en and en != nl}
    return names


CLIENT_PAGES = [
    ("bookings:my_bookings", "self"), ("bookings:cards", None), ("bookings:book", "free"), ("bookings:cancel", "booking"),
    ("bookings:waitlist_claim", "entry"), ("bookings:appointment", "appointment"), ("bookings:appointment_cancel", "appointment"),
    ("bookings:appointment_move", "appointment"), ("bookings:journey", "enrolment"), ("bookings:programme_cancel", "enrolment"),
    ("bookings:my_membership", None), ("bookings:membership_cancel", None), ("bookings:memberships", None),
    ("bookings:vouchers", None), ("bookings:one_to_one", None), ("classes:timetable", None), ("home", None), ("profile", None),
]


def english_client_pages(studio) -> list[str]:
    """Her pages in English: what she booked and bought, its receipts and thank-you pages, the shops and the classes."""
    with translation.override("en"):
        urls = [reverse(name, args=[studio[key].pk] if key not in (None, "self") else None) for name, key in CLIENT_PAGES]
        urls.append(reverse("bookings:voucher", kwargs={"code": studio["voucher"].code}))
        for payment in Payment.objects.filter(client=studio["client"], status=Payment.Status.PAID):
            urls += [reverse("bookings:receipt", args=[payment.pk]), reverse("bookings:payment_thanks", args=[payment.pk])]
        urls += [offering.get_absolute_url() for offering in Offering.objects.all()]
    return urls


@pytest.fixture
def her_studio(db):
    """The demo studio with everything its client can have, she reading in English: class bookings, a class
    card, a one-to-one, a programme group, a membership with a paid month and a gift voucher she bought."""
    now = timezone.now()
    studio = the_demo_studio(now)
    studio.update(her_other_things(studio, now))
    person = studio["client"]
    person.language = "en"
    person.save(update_fields=["language"])
    demo_payment = studio["payment"]  # made by a factory, as an older payment; here it has its English line too
    Payment.objects.filter(pk=demo_payment.pk).update(**records.described(lambda: studio["free"].offering.name))
    invoice = SimpleNamespace(id="in_english", amount_paid=7900, currency="eur", status_transitions=None, lines=None,
                              billing_reason="subscription_cycle")
    studio["membership_payment"] = sync.payment_record(Membership.objects.get(client=person), invoice, now=now,
                                                       paid_with=("pi_english", "ideal"))
    bought = vouchers.voucher_purchase_create(client=person, product=VoucherProduct.objects.order_by("pk").first(), amount_cents=2500,
                                              now=now)
    Payment.objects.filter(pk=bought.pk).update(status=Payment.Status.PAID, paid_at=now, receipt_number="2026-0777")
    studio["voucher"] = vouchers.voucher_deliver(bought, now=now)
    return studio


def test_no_english_client_page_names_a_product_in_dutch(client, her_studio):
    person = her_studio["client"]
    client.force_login(person)
    urls = english_client_pages(her_studio)
    dutch = dutch_only_names()
    assert {"5-lessenkaart", "Onbeperkt yoga", "Cadeaubon", "Energetische Sessie (60 minuten)"} <= dutch
    slips = {}
    for url in dict.fromkeys(urls):
        response = client.get(url, follow=True)  # a thank-you page may pass her on to the page of what she bought
        assert response.status_code == 200, (url, response.status_code)
        found = sorted(name for name in dutch if name in response.content.decode())
        if found:
            slips[url] = found
    assert slips == {}
    mine = client.get("/en/my-bookings/").content.decode()
    assert "Unlimited yoga" in mine and "Gift voucher" in mine  # the English lines are there instead


def test_her_data_page_shows_both_stored_lines_of_a_payment(client, her_studio):
    client.force_login(her_studio["client"])
    with translation.override("en"):
        page = client.get(reverse("privacy:overview")).content.decode()
    assert "Onbeperkt yoga" in page and "Unlimited yoga" in page and "Description (English)" in page


def test_no_email_in_english_names_a_product_in_dutch(her_studio):
    person = her_studio["client"]
    card = ClassCard.objects.filter(client=person, payment__isnull=False).first()
    mail.outbox.clear()
    group_emails.card_bought(card.payment_id)
    group_emails.booking_confirmed(her_studio["booking"].pk)
    membership_emails.membership_paid(her_studio["membership_payment"].pk, first=False)
    voucher_emails.voucher_bought(her_studio["voucher"].pk)
    personal_emails.appointment_mail(her_studio["appointment"].pk, "confirmed", tell_teacher=False)
    personal_emails.programme_mail(her_studio["enrolment"].pk, "confirmed")
    hers = [message for message in mail.outbox if message.to == [person.email]]
    assert len(hers) == 6
    dutch = dutch_only_names()
    slips = {message.subject: sorted(name for name in dutch if name in message.subject + message.body) for message in hers}
    assert {subject: names for subject, names in slips.items() if names} == {}
    assert any("Unlimited yoga" in message.subject for message in hers)


def test_the_english_lines_are_those_of_the_english_names(her_studio):
    payment = her_studio["membership_payment"]
    period_start = timezone.localtime(payment.membership.current_period_start)
    assert payment.description.startswith("Onbeperkt yoga ") and payment.description_en.startswith("Unlimited yoga ")
    assert f"{period_start:%d-%m-%Y}" in payment.description_en
