"""A new client on a 390×844 phone, in Dutch and in English: from the home page to a booked and paid
class in at most five taps once she is signed in, and to the one-to-one sessions and the prices in one.
Every tap is counted (a tap is a click on something she can see without opening anything first);
scrolling is free, as it is on a phone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bookings.models import Booking, Payment
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.pagecheck import watch_console
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WORDS = {
    "nl": {"home": "/", "book_a_class": "Boek een les", "book": re.compile(r"^Boek\b"), "pay_online": re.compile("online", re.I),
           "thanks": "Dank je wel", "one_to_one": re.compile("Individuele sessies|individuele sessie", re.I),
           "prices": re.compile("^Prijzen", re.I)},
    "en": {"home": "/en/", "book_a_class": "Book a class", "book": re.compile(r"^Book\b"), "pay_online": re.compile("online", re.I),
           "thanks": "Thank you", "one_to_one": re.compile("one-to-one sessions", re.I), "prices": re.compile("^Prices", re.I)},
}


class Taps:
    """Clicks that count: each one on an element she can see in the viewport at that moment (after scrolling it into view)."""

    def __init__(self, page):
        self.page, self.count, self.log = page, 0, []

    def tap(self, locator):
        locator.scroll_into_view_if_needed()
        assert locator.is_visible(), f"not visible: {locator}"
        self.count += 1
        self.log.append(f"{self.page.url} -> {locator.inner_text().strip()[:40]!r}")
        locator.click()


@pytest.fixture
def newcomer(db):
    def make(language):
        return get_user_model().objects.create_user(email=f"nieuw-{language}@example.nl", password="x-Kx9!pL2#q", first_name="Noor",
                                                    language=language)
    return make


@pytest.mark.parametrize("language", ["nl", "en"])
def test_from_the_home_page_to_a_booked_and_paid_class_in_five_taps(page, live_server, stripe_webhooks_to, newcomer, language):
    words = WORDS[language]
    the_demo_studio(timezone.now())
    client = newcomer(language)
    page.set_viewport_size(PHONE)
    errors = watch_console(page, live_server)
    sign_in(page, live_server, client)
    page.goto(words["home"])
    book_a_class = page.get_by_role("link", name=words["book_a_class"]).first
    box = book_a_class.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], f"'{words['book_a_class']}' is below the fold: {box}"

    taps = Taps(page)
    taps.tap(book_a_class)
    book = page.locator(".session-row").get_by_role("link", name=words["book"]).first  # "Boek <class> <day> <time>"
    book.wait_for()
    taps.tap(book)
    taps.tap(page.get_by_role("button", name=words["pay_online"]).first)
    page.wait_for_url(re.compile(r"/c/pay/"))
    taps.tap(page.get_by_role("button", name=re.compile("iDEAL", re.I)).first)
    page.wait_for_url(re.compile(r"/(betaling|payment)/"))
    page.get_by_text(words["thanks"]).first.wait_for()

    assert taps.count <= 5, "\n".join(taps.log)
    booking = Booking.objects.get(client=client)
    assert booking.status == Booking.Status.CONFIRMED and booking.payment.status == Payment.Status.PAID
    assert booking.payment.method == Payment.Method.IDEAL
    assert not errors, "\n".join(errors)
    print(f"\n{language}: booked and paid in {taps.count} taps:\n  " + "\n  ".join(taps.log))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("where", ["one_to_one", "prices"])
def test_one_to_ones_and_prices_are_one_tap_from_the_home_page(page, live_server, language, where):
    words = WORDS[language]
    the_demo_studio(timezone.now())
    page.set_viewport_size(PHONE)
    errors = watch_console(page, live_server)
    page.goto(words["home"])
    taps = Taps(page)
    target = "bookings:one_to_one" if where == "one_to_one" else "prices"
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        wanted = reverse(target)
    link = page.locator(f"main a[href='{wanted}'], header a[href='{wanted}']").filter(visible=True).first
    taps.tap(link)
    page.wait_for_url(re.compile(re.escape(wanted) + "$"))
    assert taps.count == 1
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert not errors, "\n".join(errors)
