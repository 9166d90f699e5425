"""Every URL that takes an id or a token, swept from the URL configuration itself:
anonymous, another client, the owner (and staff where the page is theirs). A new URL
with a parameter fails the first test until it is placed in one of the groups below."""


import pytest
from django.urls import URLResolver, get_resolver, reverse

from bookings.models import CalendarFeed

pytestmark = pytest.mark.django_db

# Anyone may open these; the parameter names a public thing.
PUBLIC = {"timetable_style_ics", "classes:timetable_week", "classes:session", "classes:offering", "classes:teacher",
          "blog:category", "blog:tag", "blog:post", "blog:comment", "bookings:appointment_slots", "bookings:programme"}
# Signed-in clients only, but nothing in them belongs to someone else.
SIGNED_IN = {"bookings:book", "bookings:waitlist_join", "bookings:card_buy", "bookings:appointment_book", "bookings:programme_join",
             "bookings:programme_buy"}
# Belongs to one client: the owner gets it, anyone else a 404 (anonymous: the login page).
OWNED = {"bookings:waitlist_claim", "bookings:waitlist_leave", "bookings:waitlist_auto_book", "bookings:cancel", "bookings:checkout_cancelled",
         "bookings:checkout_resume", "bookings:receipt", "intake:touch", "bookings:appointment", "bookings:appointment_cancel",
         "bookings:appointment_move", "bookings:appointment_touch", "bookings:journey", "bookings:programme_cancel"}
# A secret token in the URL is the key.
TOKEN = {"bookings:calendar_feed"}
# The teacher's pages (and the admin's): clients get a 404.
TEACHER = {"bookings:roster", "bookings:add_by_hand", "bookings:cancel_session", "bookings:message_session", "bookings:attendance",
           "bookings:mark_paid", "intake:teacher", "bookings:teacher_appointment",
           "bookings:teacher_appointment_attendance", "bookings:booking_note", "bookings:teacher_appointment_cancel",
           "bookings:teacher_appointment_paid"}
ADMIN = {"bookings:export"}
# The admin's desk for money (bookings/books/urls.py): payments, refunds, products.
ADMIN |= {"bookings:desk_payment", "bookings:desk_refund", "bookings:desk_refund_retry", "bookings:desk_card_type"}
# What the studio sells beyond classes and cards (bookings/books/offer_views.py): membership types, vouchers, codes.
ADMIN |= {"bookings:desk_membership_type", "bookings:desk_voucher_product", "bookings:desk_discount_code"}
# The blog at the admin's desk (blog/desk_urls.py): editing a post, moderating a comment.
ADMIN |= {"blog_desk:post_edit", "blog_desk:comment_approve", "blog_desk:comment_reject", "blog_desk:comment_reply"}
# The studio's own pages at the admin's desk (studio/desk_views.py): about, TRE, privacy, terms.
ADMIN |= {"desk_page"}
# The signed preview of a post not yet public: the studio's staff only; anyone else (even signed out) a 404.
STAFF_PREVIEW = {"blog_desk:preview"}
# Not ours to sweep: allauth's reset key (tested by allauth and in test_accounts), media files in DEBUG only.
ELSEWHERE = {"account_reset_password_from_key", None}

# The back office's client pages (bookings/teaching/client_urls.py): any teacher, and the admin.
TEACHER |= {"teaching:client", "teaching:client_book_class", "teaching:client_book_one_to_one", "teaching:client_book_programme",
            "teaching:client_credits"}
# The back office's timetable (bookings/teaching/timetable_urls.py): the world's slot is its teacher's own.
TEACHER |= {"teaching:offering_edit", "teaching:slot_edit", "teaching:slot_stop", "teaching:closure_delete"}
# Her hours for one-to-ones and changing one date (bookings/teaching/availability_urls.py, session_urls.py).
TEACHER |= {"teaching:availability_hours_edit", "teaching:availability_hours_delete", "teaching:availability_exception_delete",
            "teaching:availability_type_edit", "teaching:session_edit"}
# The thank-you after a purchase a code or gift voucher paid in full (no Stripe): her own payment only.
OWNED |= {"bookings:payment_thanks"}
# Her invoices as PDF (the admin's desk may open them too).
OWNED |= {"bookings:invoice_pdf", "bookings:credit_invoice_pdf", "bookings:voucher_credit_invoice_pdf"}
# A gift voucher: its code is the key to its page (balance and validity, nothing personal); its PDF is the buyer's.
TOKEN |= {"bookings:voucher"}
OWNED |= {"bookings:voucher_pdf"}
# The free-cancel link of a changed class: a signed token, for the booking's own client only.
OWNED |= {"bookings:cancel_after_change"}
# "Add to your calendar": one booking or one-to-one session as an .ics file, her own only.
OWNED |= {"bookings:booking_ics", "bookings:appointment_ics"}

GROUPS = PUBLIC | SIGNED_IN | OWNED | TOKEN | TEACHER | ADMIN | STAFF_PREVIEW | ELSEWHERE


def urls_with_parameters():
    found = set()

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                route = prefix + str(pattern.pattern)
                if ("<" in route or "(?P" in route) and not route.startswith("admin/"):
                    found.add(f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name)

    walk(get_resolver().url_patterns)
    return found


def test_every_url_with_a_parameter_is_in_a_group():
    missing = urls_with_parameters() - GROUPS
    assert not missing, f"Place these URLs in a group of this sweep: {sorted(missing, key=str)}"


def get(client, name, world):
    """GET the page; for POST-only views a GET must not leak either (405 or a redirect)."""
    return client.get(reverse(name, kwargs=world["args"][name]))


def is_login_redirect(response):
    return response.status_code == 302 and "/account/login/" in response["Location"]


def test_public_urls_are_public(client, world):
    for name in PUBLIC:
        assert get(client, name, world).status_code in (200, 405), name


def test_signed_in_urls_send_anonymous_visitors_to_log_in(client, world):
    for name in SIGNED_IN | OWNED | TEACHER | ADMIN:
        assert is_login_redirect(get(client, name, world)), name


@pytest.mark.parametrize("name", sorted(OWNED))
def test_owned_urls_are_404_for_another_client_and_open_for_the_owner(client, world, name):
    client.force_login(world["other"])
    assert get(client, name, world).status_code in (404, 405)  # 405: a POST-only view, which tells nothing
    assert client.post(reverse(name, kwargs=world["args"][name])).status_code == 404
    client.force_login(world["owner"])
    response = get(client, name, world)
    assert response.status_code in (200, 302, 405) and not is_login_redirect(response)


def test_the_calendar_feed_needs_its_secret(client, world):
    url = reverse("bookings:calendar_feed", kwargs=world["args"]["bookings:calendar_feed"])
    assert client.get(url).status_code == 200
    assert client.get(url.replace(world["args"]["bookings:calendar_feed"]["token"], "raden")).status_code == 404
    feed = CalendarFeed.objects.get(client=world["owner"])
    feed.reset()
    assert client.get(url).status_code == 404  # the old link stops working


@pytest.mark.parametrize("name", sorted(TEACHER | ADMIN))
def test_staff_urls_are_404_for_clients(client, world, name):
    for person in (world["owner"], world["other"]):
        client.force_login(person)
        assert get(client, name, world).status_code in (404, 405), name
        assert client.post(reverse(name, kwargs=world["args"][name])).status_code == 404, name


@pytest.mark.parametrize("name", sorted(TEACHER))
def test_teacher_urls_open_for_the_teacher(client, world, name):
    client.force_login(world["teacher"])
    assert get(client, name, world).status_code in (200, 405)


@pytest.mark.parametrize("name", sorted(ADMIN))
def test_admin_urls_are_for_the_admin_only(client, world, name):
    client.force_login(world["teacher"])
    assert get(client, name, world).status_code in (404, 405), name
    assert client.post(reverse(name, kwargs=world["args"][name])).status_code == 404, name
    client.force_login(world["admin"])
    assert get(client, name, world).status_code in (200, 405), name


def test_a_gift_vouchers_page_needs_its_code_and_shows_nothing_personal(client, world):
    code = world["args"]["bookings:voucher"]["code"]
    page = client.get(reverse("bookings:voucher", kwargs={"code": code}))
    assert page.status_code == 200 and world["owner"].email not in page.content.decode()
    assert client.get(reverse("bookings:voucher", kwargs={"code": code[:-1] + ("A" if code[-1] != "A" else "C")})).status_code == 404


def test_the_signed_preview_is_for_staff_only_and_needs_its_signature(client, world):
    url = reverse("blog_desk:preview", kwargs=world["args"]["blog_desk:preview"])
    assert client.get(url).status_code == 404
    for person in (world["owner"], world["other"]):
        client.force_login(person)
        assert client.get(url).status_code == 404
    for person in (world["teacher"], world["admin"]):
        client.force_login(person)
        assert client.get(url).status_code == 200
        assert client.get(url[:-2] + ("x/" if url[-2] != "x" else "y/")).status_code == 404
