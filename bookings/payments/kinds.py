"""The kinds of purchase that payments serve, and the registry they sign up in.

Payments know no purchase kind by name. Each kind (a drop-in, a class card, a programme, a
one-to-one session; memberships and vouchers later) is an object that says what payments need to
know about it, registered once under its own purpose name from its app's `ready()`. A payment's
`purpose` is the name of its kind; fulfilment, refunds, the return page, the receipt and the
webhook all ask the kind.

A kind may also claim Stripe event types of its own (a membership will claim `invoice.*` and
`customer.subscription.*`): the webhook verifies and records each event once and hands a claimed
one to its kind.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProductLine:
    """One thing the studio sells, for the admin's products page: its name, its price including VAT
    and the VAT rate in it, a few words on what it includes, and where it is changed."""

    name: str
    price_cents: int
    includes: str = ""
    change_url: str = ""
    shown: bool = True
    vat_rate: Decimal | None = None  # the product's own rate (core.vat); None: the studio's default rate


class PurchaseKind:
    """What payments need from one kind of purchase. Subclass it, fill in `purpose` and `label`,
    and override what the kind does."""

    purpose: str = ""  # the name stored in Payment.purpose
    label = ""  # how the books and the client call it ("Drop-in class")
    event_types: frozenset[str] = frozenset()  # Stripe event types only this kind handles
    # Which DiscountCode.Product a code must name to lower this kind's price; "" for a kind no code
    # lowers (a membership, a gift voucher).
    discount_product: str = ""

    def lock(self, payment) -> None:
        """Take, in the house's order, the locks that come before the payment's own row: the owner
        row (the session, or the teacher for a one-to-one), then the booking or enrolment."""

    def deliver(self, payment, *, now) -> bool:
        """The money is in: hand over what was bought. Runs inside the fulfilment transaction, after
        `lock` and with the payment locked; safe to call twice. False when it can no longer be
        given (the place or time went to someone else): payments then refund the whole amount."""
        raise NotImplementedError

    def release(self, payment, *, reason: str, now) -> None:
        """The payment will not come: give back whatever was held for it (runs after the commit)."""

    def hold_is_open(self, payment, *, now) -> bool:
        """May the client still pay (resume the checkout)? False once what it held was given back."""
        return True

    def is_delivered(self, payment) -> bool:
        """Is what was bought in the client's hands (for the page after paying)?"""
        return payment.is_paid

    def return_url(self, payment) -> str | None:
        """Where the client lands after paying, with a word on how it went; None for the shared
        thank-you page, which then shows `thanks`."""
        return None

    def thanks(self, payment) -> str:
        """One sentence on the thank-you page once it is paid, in the active language."""
        return ""

    def receipt_line(self, payment) -> str:
        """What was bought, as the receipt's line, in the active language."""
        return payment.label

    def handle_event(self, event, *, now) -> None:
        """A verified Stripe event of a type in `event_types` (recorded once by the webhook)."""

    def refunded(self, refund, *, now) -> None:
        """A refund of this kind's payment went through (runs once, in the transaction that records it).
        Most kinds keep what was bought as it is; a gift voucher takes the money back off the voucher."""

    def refund_effect(self, payment, amount_cents: int) -> str:
        """What a refund made at the admin's desk does to what was bought, as a sentence for the
        confirmation, in the active language. Such a refund gives money back and nothing else."""
        return gettext("What was bought stays as it is: only the money goes back.")

    def product_lines(self) -> list[ProductLine]:
        """What of this kind the studio sells, with prices, for the products page."""
        return []


class UnknownPurpose(LookupError):
    pass


_kinds: dict[str, PurchaseKind] = {}


def register(kind: PurchaseKind) -> PurchaseKind:
    """Sign a kind up under its purpose. Registering the same class again (a reloaded app) replaces
    it; another kind under a purpose or an event type already taken is a programming error."""
    if not kind.purpose or len(kind.purpose) > 40:
        raise ValueError("A purchase kind needs a purpose name of at most 40 characters.")
    existing = _kinds.get(kind.purpose)
    if existing is not None and type(existing) is not type(kind):
        raise ValueError(f"Purpose {kind.purpose!r} already belongs to {type(existing).__name__}.")
    for other in _kinds.values():
        if other.purpose != kind.purpose and other.event_types & kind.event_types:
            raise ValueError(f"Stripe events {sorted(other.event_types & kind.event_types)} already belong to {other.purpose!r}.")
    _kinds[kind.purpose] = kind
    return kind


def unregister(purpose: str) -> None:
    """Take a kind out again (for kinds defined in a test)."""
    _kinds.pop(purpose, None)


def kind_for(purpose: str) -> PurchaseKind:
    try:
        return _kinds[purpose]
    except KeyError:
        raise UnknownPurpose(f"No purchase kind is registered for purpose {purpose!r}.") from None


def purposes() -> list[str]:
    return list(_kinds)


def kinds() -> list[PurchaseKind]:
    return list(_kinds.values())


def claiming(event_type: str) -> PurchaseKind | None:
    """The kind that claims this Stripe event type, if one does."""
    for kind in _kinds.values():
        if event_type in kind.event_types:
            return kind
    return None


def label_of(purpose: str) -> str:
    kind = _kinds.get(purpose)
    return str(kind.label) if kind is not None else str(_("Other"))
