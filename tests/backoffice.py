"""The teacher's back office as a list of URL names, for the sweeps and the walk that checks every
page of it is reachable by links. Everything in the "teaching" namespace belongs to it, and these
older pages of the teacher's day."""

from django.urls import URLResolver, get_resolver

DAY_PAGES = {
    "bookings:teacher_overview", "bookings:roster", "bookings:add_by_hand", "bookings:cancel_session",
    "bookings:message_session", "bookings:attendance", "bookings:mark_paid",
    "bookings:teacher_personal", "bookings:teacher_appointment", "bookings:teacher_appointment_attendance",
    "bookings:teacher_appointment_cancel", "bookings:teacher_appointment_paid", "bookings:booking_note", "intake:teacher",
}


def url_names(namespace: str) -> set[str]:
    """Every named URL of a namespace, as "namespace:name"."""
    found = set()

    def walk(patterns, current=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or current)
            elif current == namespace and pattern.name:
                found.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


def back_office_names() -> set[str]:
    return url_names("teaching") | DAY_PAGES


# The admin's desk: its Today page, the money pages of bookings/books/ and the blog's desk.
DESK_PAGES = {"desk", "bookings:reports", "bookings:export", "bookings:vat", "bookings:desk_rules", "desk_pages", "desk_page"}
# Asked by the writing page's script, not opened by a person.
DESK_SCRIPT_ENDPOINTS = {"blog_desk:markdown_preview"}


def desk_names() -> set[str]:
    money = {name for name in url_names("bookings") if name.startswith("bookings:desk_")}
    return (DESK_PAGES | money | url_names("blog_desk")) - DESK_SCRIPT_ENDPOINTS
