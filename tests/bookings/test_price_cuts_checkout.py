"""The code field at checkout on every one-off purchase: a gift voucher or a discount code lowers the
payment before Stripe; nothing left to pay skips Stripe and is settled at once; a bad code leaves
nothing saved, held or charged; a payment that never comes gives everything back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookings.books.movements import movements
from bookings.books.periods import Period
from bookings.errors import BookingError
from bookings.group import services
from bookings.models import (
    Appointment,
    Booking,
    ClassCard,
    DiscountCode,
    DiscountUse,
    Invoice,
    Payment,
    ProgrammeEnrolment,
    Voucher,
    VoucherProduct,
)
from bookings.payments import checkout, fulfilment, voucher_ledger
from bookings.personal import availability
from core.money import euros
from tests.factories import (
    ClassCardTypeFactory,
    OfferingFactory,
    SessionFactory,
    individual_tre_type,
    intake_for,
    local,
    programme_run,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 10, 0)  # a Monday
UNKNOWN = "De code “ONBEKEND” kennen we niet."


def discount(text="CADEAU", percent=100, products=("drop_in", "class_card", "programme", "one_to_one"), **fields):
    return DiscountCode.objects.create(code=text, kind="percent", percent=percent, products=list(products), **fields)


def voucher(value_cents, code="TOL-ACDE-FGHJ", *, expires_at=None) -> Voucher:
    product, _ = VoucherProduct.objects.get_or_create(name_nl="Cadeaubon", name_en="Gift voucher")
    made = Voucher.objects.create(code=code, product=product, value_cents=value_cents, expires_at=expires_at or NOW + timedelta(days=365))
    voucher_ledger.voucher_issue(voucher=made, now=NOW - timedelta(days=10))
    return made


@pytest.fixture
def card_type(db):
    return ClassCardTypeFactory(name_nl="5-lessenkaart", name_en="5-class card", credits=5, price_cents=8000)


@pytest.fixture
def drop_in(db):
    return SessionFactory(starts_at=NOW + timedelta(days=2), capacity=4,
                          offering=OfferingFactory(slug="yin-op-maandag", name_nl="Yin yoga", name_en="Yin yoga", drop_in_price_cents=1750))


def content(response) -> str:
    return response.content.decode()


# Nothing left to pay: no Stripe at all -------------------------------------------------------------


def test_a_class_card_paid_in_full_by_a_code_skips_stripe(logged_in, client_user, card_type, frozen, committed):
    discount()
    with committed():
        response = logged_in.post(reverse("bookings:card_buy", args=[card_type.pk]), {"code": "cadeau"})
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bookings:payment_thanks", args=[payment.pk])
    assert (payment.status, payment.method, payment.amount_cents, payment.discount_cents) == ("paid", "discount", 0, 8000)
    assert payment.receipt_number and payment.paid_at == NOW and payment.stripe_checkout_id is None
    assert ClassCard.objects.get(client=client_user, payment=payment).balance == 5
    assert len(mail.outbox) >= 1  # the card's email, as after any purchase
    page = content(logged_in.get(response["Location"]))
    assert "Dank je wel, alles is geregeld" in page and "5-lessenkaart" in page


def test_a_drop_in_paid_in_full_by_a_gift_voucher_skips_stripe(logged_in, client_user, drop_in, frozen, committed):
    gift = voucher(2000)
    with committed():
        response = logged_in.post(reverse("bookings:book", args=[drop_in.pk]), {"pay_with": "stripe", "code": "tol acde fghj"})
    booking = Booking.objects.get()
    payment = booking.payment
    assert response["Location"] == reverse("bookings:payment_thanks", args=[payment.pk])
    assert booking.status == "confirmed" and booking.price_cents == 1750
    assert (payment.status, payment.method, payment.amount_cents, payment.voucher_cents) == ("paid", "voucher", 0, 1750)
    assert voucher_ledger.voucher_balance(gift) == 250  # the rest stays on the voucher
    drop_in.refresh_from_db()
    assert drop_in.places_taken == 1
    assert any("Yin yoga" in message.subject or "Yin yoga" in message.body for message in mail.outbox)
    page = content(logged_in.get(response["Location"]))
    assert "Dank je wel, alles is geregeld" in page and "Yin yoga" in page


def test_a_programme_paid_in_full_lands_on_its_journey(logged_in, client_user, frozen, committed):
    tre = individual_tre_type()
    intake_for(client_user)
    discount()
    response = logged_in.post(reverse("bookings:programme_buy", args=[tre.pk]), {"code": "CADEAU"}, follow=True)
    enrolment = ProgrammeEnrolment.objects.get()
    assert enrolment.status == "active" and enrolment.payment.method == "discount"
    assert response.redirect_chain[-1][0] == reverse("bookings:journey", args=[enrolment.pk])
    assert "Dank je wel, je betaling is binnen" in content(response)


def test_settling_twice_gives_one_receipt_and_one_card(client_user, card_type):
    from bookings.group import cards

    discount()
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, code="CADEAU", now=NOW)
    first = fulfilment.payment_settle_without_money(payment=payment, now=NOW)
    second = fulfilment.payment_settle_without_money(payment=payment, now=NOW + timedelta(seconds=1))
    assert first.receipt_number == second.receipt_number and ClassCard.objects.count() == 1


def test_nothing_is_delivered_when_the_hold_ran_out_before_settling(client_user, drop_in, committed):
    code = discount()
    booking = services.booking_create(client=client_user, session=drop_in, pay_with="stripe", code="CADEAU", now=NOW - timedelta(hours=1))
    with committed():
        payment = fulfilment.payment_settle_without_money(payment=booking.payment, now=NOW)
    assert payment.status == "expired" and not payment.receipt_number
    booking.refresh_from_db()
    drop_in.refresh_from_db()
    code.refresh_from_db()
    assert booking.status != "confirmed" and drop_in.places_taken == 0
    assert code.uses_count == 0 and not DiscountUse.objects.exists()


# Part paid by a voucher, the rest by Stripe -----------------------------------------------------------


def test_a_voucher_pays_part_of_a_class_card_and_stripe_charges_the_rest(logged_in, client_user, card_type, fake_stripe, frozen):
    gift = voucher(5000)
    response = logged_in.post(reverse("bookings:card_buy", args=[card_type.pk]), {"code": "TOL-ACDE-FGHJ"})
    payment = Payment.objects.get()
    assert response["Location"].startswith(fake_stripe.url)
    assert (payment.amount_cents, payment.voucher_cents) == (3000, 5000)
    assert fake_stripe.get(payment.stripe_checkout_id)["amount_total"] == 3000
    assert voucher_ledger.voucher_balance(gift) == 0
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    payment = fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)
    assert payment.status == "paid" and ClassCard.objects.get(payment=payment).balance == 5
    page = content(logged_in.get(reverse("bookings:receipt", args=[payment.pk])))
    assert euros(8000) in page and "Cadeaubon TOL-ACDE-FGHJ" in page and f"-{euros(5000)}" in page and euros(3000) in page


def test_a_voucher_goes_back_when_the_payment_never_comes(client_user, card_type, committed):
    from bookings.group import cards

    gift = voucher(5000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, code="TOL-ACDE-FGHJ", now=NOW)
    assert voucher_ledger.voucher_balance(gift) == 0
    with committed():
        checkout.checkout_abandon(payment=payment, now=NOW)
    assert voucher_ledger.voucher_balance(gift) == 5000
    fulfilment.payment_release(payment, reason="again", now=NOW)  # twice: given back once
    assert voucher_ledger.voucher_balance(gift) == 5000


# A bad code: the message on the page, and nothing saved, held or charged ------------------------------


def test_a_bad_code_for_a_class_card_saves_nothing(logged_in, card_type, frozen):
    response = logged_in.post(reverse("bookings:card_buy", args=[card_type.pk]), {"code": "ONBEKEND"}, follow=True)
    assert UNKNOWN in content(response) and response.redirect_chain[-1][0] == reverse("bookings:cards")
    assert not Payment.objects.exists()


def test_an_expired_voucher_saves_nothing_and_keeps_its_balance(logged_in, card_type, frozen):
    gift = voucher(5000, expires_at=NOW - timedelta(days=1))
    response = logged_in.post(reverse("bookings:card_buy", args=[card_type.pk]), {"code": gift.code}, follow=True)
    assert "verlopen" in content(response)
    assert not Payment.objects.exists() and voucher_ledger.voucher_balance(gift) == 5000


def test_a_bad_code_for_a_drop_in_holds_no_place(logged_in, drop_in, frozen):
    response = logged_in.post(reverse("bookings:book", args=[drop_in.pk]), {"pay_with": "stripe", "code": "ONBEKEND"}, follow=True)
    assert UNKNOWN in content(response)
    drop_in.refresh_from_db()
    assert drop_in.places_taken == 0 and not Booking.objects.exists() and not Payment.objects.exists()


def test_a_code_with_the_class_card_is_refused_clearly(logged_in, client_user, drop_in, frozen):
    from tests.factories import class_card

    class_card(client_user, now=NOW)
    discount()
    response = logged_in.post(reverse("bookings:book", args=[drop_in.pk]), {"pay_with": "card", "code": "CADEAU"}, follow=True)
    assert "Een kortingscode of cadeaubon kun je alleen gebruiken als je online betaalt." in content(response)
    assert not Booking.objects.exists() and DiscountCode.objects.get().uses_count == 0


def test_a_bad_code_for_a_programme_group_holds_no_dates(logged_in, client_user, frozen):
    run = programme_run(starts=NOW + timedelta(days=10), capacity=4)
    intake_for(client_user)
    response = logged_in.post(reverse("bookings:programme_join", args=[run.pk]), {"code": "ONBEKEND"}, follow=True)
    assert UNKNOWN in content(response)
    assert not ProgrammeEnrolment.objects.exists() and not Booking.objects.exists() and not Payment.objects.exists()
    assert all(session.places_taken == 0 for session in run.sessions.all())


def test_a_bad_code_for_the_programme_one_to_one_saves_nothing(logged_in, client_user, frozen):
    tre = individual_tre_type()
    intake_for(client_user)
    response = logged_in.post(reverse("bookings:programme_buy", args=[tre.pk]), {"code": "ONBEKEND"}, follow=True)
    assert UNKNOWN in content(response)
    assert not ProgrammeEnrolment.objects.exists() and not Payment.objects.exists()


def test_a_bad_code_for_a_one_to_one_holds_no_time(logged_in, client_user, tre, frozen):
    intake_for(client_user)
    start = availability.free_slots(tre, now=NOW)[0]
    response = logged_in.post(reverse("bookings:appointment_book", kwargs={"slug": tre.slug}),
                              {"starts_at": start.isoformat(), "pay_with": "stripe", "code": "ONBEKEND"}, follow=True)
    assert UNKNOWN in content(response)
    assert not Appointment.objects.exists() and not Payment.objects.exists()
    assert availability.free_slots(tre, now=NOW)[0] == start  # the time is still free


def test_a_one_to_one_paid_in_full_by_a_code(logged_in, client_user, tre, frozen, committed):
    intake_for(client_user)
    discount()
    start = availability.free_slots(tre, now=NOW)[0]
    with committed():
        response = logged_in.post(reverse("bookings:appointment_book", kwargs={"slug": tre.slug}),
                                  {"starts_at": start.isoformat(), "pay_with": "stripe", "code": "CADEAU"}, follow=True)
    appointment = Appointment.objects.get()
    assert appointment.status == "confirmed" and appointment.payment.method == "discount" and appointment.payment.is_paid
    assert "Dank je wel" in content(response)


# The field itself -----------------------------------------------------------------------------------


def test_every_purchase_page_has_the_code_field(logged_in, drop_in, card_type, tre, frozen):
    run = programme_run(starts=NOW + timedelta(days=10))
    pages = [reverse("bookings:book", args=[drop_in.pk]), reverse("bookings:cards"),
             reverse("bookings:programme", kwargs={"slug": run.offering.slug}),
             reverse("bookings:appointment_slots", kwargs={"slug": tre.slug})]
    for url in pages:
        page = content(logged_in.get(url))
        assert 'name="code"' in page and "Kortingscode of cadeaubon" in page and "(optioneel)" in page, url


def test_a_drop_in_paid_by_a_voucher_and_cancelled_in_time_puts_the_voucher_part_back(logged_in, client_user, drop_in, frozen, committed):
    gift = voucher(2000)
    with committed():
        logged_in.post(reverse("bookings:book", args=[drop_in.pk]), {"pay_with": "stripe", "code": "TOL-ACDE-FGHJ"})
    booking = Booking.objects.get()
    assert voucher_ledger.voucher_balance(gift) == 250
    page = content(logged_in.get(reverse("bookings:cancel", args=[booking.pk])))
    assert "Je annuleert op tijd." in page and f"De {euros(1750)} die je cadeaubon betaalde, komt terug op de bon." in page
    with committed():
        logged_in.post(reverse("bookings:cancel", args=[booking.pk]))
    assert voucher_ledger.voucher_balance(gift) == 2000
    with pytest.raises(BookingError):
        services.booking_cancel(booking=Booking.objects.get(pk=booking.pk), now=NOW)
    assert voucher_ledger.voucher_balance(gift) == 2000  # given back once
    # The invoice said the voucher paid it: a credit invoice takes that part back, downloadable from the receipt.
    credit = Invoice.objects.get(payment=booking.payment, kind="credit")
    assert (credit.total_cents, credit.paid_cents, credit.voucher_return.kind) == (-1750, 0, "return")
    receipt = content(logged_in.get(reverse("bookings:receipt", args=[booking.payment_id])))
    link = reverse("bookings:voucher_credit_invoice_pdf", args=[booking.payment_id, credit.voucher_return_id])
    assert link in receipt and logged_in.get(link)["Content-Type"] == "application/pdf"
    # The books: the voucher part was sold and then given back, so no turnover and no VAT remain.
    moved = [m for m in movements(Period.day(timezone.localtime(NOW).date())) if m.payment_id == booking.payment_id]
    assert sum(m.net for m in moved) == 0 and sum(m.vat for m in moved) == 0


def test_a_voucher_or_a_code_never_leaves_less_than_stripe_can_charge(client_user, drop_in, frozen):
    """Stripe charges at least € 0.50: a voucher with € 17.30 on it pays € 17.00 of a € 17.50 class, and
    a code for € 79.80 off an € 80 card leaves € 0.50 too, so the rest can be paid online."""
    gift = voucher(1730)
    booking = services.booking_create(client=client_user, session=drop_in, pay_with="stripe", code="TOL-ACDE-FGHJ", now=NOW)
    assert (booking.payment.amount_cents, booking.payment.voucher_cents) == (50, 1700)
    assert voucher_ledger.voucher_balance(gift) == 30
    DiscountCode.objects.create(code="BIJNA", kind="amount", amount_cents=7980, products=["class_card"])
    from bookings.group import cards
    payment = cards.card_purchase_create(client=client_user, card_type=ClassCardTypeFactory(price_cents=8000), code="BIJNA", now=NOW)
    assert (payment.amount_cents, payment.discount_cents) == (50, 7950)


def test_a_payment_that_never_reached_stripe_gives_back_what_it_held_after_two_hours(client_user, card_type, committed):
    """A request that broke off between creating the payment and starting its Checkout: the minute job
    closes the payment after two hours, and the voucher's euros come back."""
    from bookings.group import cards
    from bookings.payments import checkout as checkouts

    gift = voucher(3000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, code="TOL-ACDE-FGHJ", now=NOW)
    assert voucher_ledger.voucher_balance(gift) == 0
    with committed():
        assert checkouts.payments_never_started_close(now=NOW + timedelta(hours=1)) == 0
        assert checkouts.payments_never_started_close(now=NOW + timedelta(hours=3)) == 1
    payment.refresh_from_db()
    assert payment.status == "expired" and voucher_ledger.voucher_balance(gift) == 3000
    with committed():
        assert checkouts.payments_never_started_close(now=NOW + timedelta(hours=4)) == 0  # once
    assert voucher_ledger.voucher_balance(gift) == 3000
