"""Ways to pay for a place in a group class that another purpose owns.

The group classes handle a class card, paying online and paying at the studio themselves. A
place can also be paid for by something another purpose sells: a date of a programme followed in
a group (personal work), later a membership. That purpose registers its way here, saying what the
group classes must do with such a booking; the group classes look it up by `Booking.paid_with`
and never import the purpose that owns it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WayToPay:
    paid_with: str  # a Booking.PaidWith value
    # Why the client cannot cancel one booking paid this way on its own (None: she can).
    client_cancel_refusal: Callable[[], str] | None = None
    # The studio cancelled the class: give back what this booking was paid with. Runs inside the
    # cancelling transaction, with the session and the booking locked. (booking, actor, now=) -> None
    on_studio_cancel: Callable | None = None


_ways: dict[str, WayToPay] = {}


def register(way: WayToPay) -> None:
    _ways[way.paid_with] = way


def way_for(paid_with: str) -> WayToPay | None:
    return _ways.get(paid_with)
