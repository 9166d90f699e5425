"""The admin's pages for memberships, gift vouchers and discount codes in Chromium: every page and every
form sent empty passes axe-core and the HTML checker, nothing scrolls sideways on a phone, nothing
logs a console error, and the date-and-time pickers of a code keep what she typed (an ISO value)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.books import demo as offers_demo
from bookings.models import DiscountCode, MembershipType, Voucher, VoucherEntry, VoucherProduct
from classes.models import STUDIO_TZ
from tests.bookings import books_data
from tests.e2e import pagecheck
from tests.factories import StyleFactory, UserFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def the_offers():
    for slug in ("hatha", "balans", "yin", "tre"):
        StyleFactory(slug=slug)
    made = offers_demo.load()
    voucher = Voucher.objects.create(code="TOL-ABCD-EFGH", product=VoucherProduct.objects.first(), value_cents=5000,
                                     buyer=UserFactory(first_name="Marieke"), recipient_name="Lotte", issued_at=timezone.now(),
                                     expires_at=timezone.now() + timedelta(days=365))
    VoucherEntry.objects.create(voucher=voucher, delta_cents=5000, kind=VoucherEntry.Kind.ISSUE)
    return made


def test_the_offer_pages_in_the_browser(page, live_server):
    pagecheck.require_tools()
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    made = the_offers()
    sign_in(page, live_server, books_data.admin())
    page.set_viewport_size({"width": 360, "height": 800})

    pages = [reverse("bookings:desk_membership_types"), reverse("bookings:desk_membership_type_new"),
             reverse("bookings:desk_membership_type", args=[made["membership_types"][0].pk]),
             reverse("bookings:desk_vouchers"), reverse("bookings:desk_voucher_product_new"),
             reverse("bookings:desk_voucher_product", args=[made["voucher_products"][0].pk]),
             reverse("bookings:desk_discount_codes"), reverse("bookings:desk_discount_code_new"),
             reverse("bookings:desk_discount_code", args=[made["discount_code"].pk]), reverse("bookings:desk_products")]
    visits = []
    for url in pages:
        visits.append(pagecheck.visit(page, url, who="admin"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    for name in ("bookings:desk_membership_type_new", "bookings:desk_voucher_product_new", "bookings:desk_discount_code_new"):
        visits.append(pagecheck.visit_with_errors(page, reverse(name), who="admin"))
    errors[:] = [error for error in errors if "status of 400" not in error]  # Chromium logs the form's 400 answer itself
    assert [visit.status for visit in visits] == [200] * len(pages) + [400] * 3
    assert not {visit.label: visit.violations for visit in visits if visit.violations}
    assert not pagecheck.validate_html(visits)
    assert (MembershipType.objects.count(), VoucherProduct.objects.count(), DiscountCode.objects.count()) == (2, 2, 1)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("bookings:desk_discount_code_new"), wait_until="load")
    page.fill("input[name=code]", "lente-27")
    page.check("input[name=kind][value=amount]")
    page.fill("input[name=amount]", "5,00")
    page.check("input[name=products][value=drop_in]")
    page.fill("input[name=valid_from]", "2027-03-20T09:30")
    page.fill("input[name=valid_until]", "2027-04-30T18:00")
    page.fill("input[name=max_uses]", "20")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Opslaan").click()
    assert "LENTE-27 is bewaard." in page.inner_text("main")
    code = DiscountCode.objects.get(code="LENTE-27")
    assert (code.kind, code.amount_cents, code.percent, code.products, code.max_uses) == ("amount", 500, None, ["drop_in"], 20)
    assert code.valid_from == datetime(2027, 3, 20, 9, 30, tzinfo=STUDIO_TZ)
    assert code.valid_until == datetime(2027, 4, 30, 18, 0, tzinfo=STUDIO_TZ)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="LENTE-27").click()
    assert page.input_value("input[name=valid_from]") == "2027-03-20T09:30"
    assert page.input_value("input[name=valid_until]") == "2027-04-30T18:00"
    assert not errors, "\n".join(errors)
