"""Class-card rules: which card pays for a class, credits in and out, expiry."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import Session

from ..errors import BookingError, PaymentError
from ..models import BookingPolicy, ClassCard, ClassCardType, CreditEntry, Payment
from ..payments import price_cuts, records
from . import intro

CLASS_CARD = "class_card"  # the purpose of a payment for a class card (bookings.group.kinds)


def card_balance(card: ClassCard) -> int:
    return card.entries.aggregate(total=Coalesce(Sum("delta"), 0))["total"]


def covering_style(style_id):
    """The cards whose type covers a style, as `ClassCardType.covers` says (a type naming no styles covers
    them all), as a condition of the cards' own query: no read of each type's styles afterwards."""
    styles = ClassCardType.styles.through.objects.filter(classcardtype_id=OuterRef("card_type_id"))
    return Exists(styles.filter(style_id=style_id)) | ~Exists(styles)


def card_for_session(*, client, session: Session, now=None, lock=False) -> ClassCard | None:
    """The usable card that expires first, covers the class's style and has a credit left. With
    `lock`, the client's cards that could pay are locked and the card's `locked_balance` is read under
    that lock: in a query of its own, after the lock is granted (a balance read in the locking query
    itself would be seen as the query began, before a booking that held the lock took its credit)."""
    now = now or timezone.now()
    cards = ClassCard.objects.filter(client=client).usable(now).filter(expires_at__gt=session.starts_at)
    cards = cards.filter(covering_style(session.offering.style_id))
    if lock:
        cards = cards.select_for_update(of=("self",))
    for card in cards.select_related("card_type").order_by("expires_at", "pk"):
        balance = card_balance(card)
        if balance > 0:
            if lock:
                card.locked_balance = balance
            return card
    return None


def card_valid_until(card_type: ClassCardType, now):
    """The end of the day, `validity_months` from now (Breda's clock)."""
    return timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0) + relativedelta(months=card_type.validity_months)


def card_issue(*, client, card_type: ClassCardType, now=None, payment=None, actor=None) -> ClassCard:
    """A new card with its credits as the first ledger row."""
    now = now or timezone.now()
    card = ClassCard.objects.create(client=client, card_type=card_type, payment=payment, purchased_at=now,
                                    expires_at=card_valid_until(card_type, now))
    CreditEntry.objects.create(card=card, delta=card_type.credits, kind=CreditEntry.Kind.PURCHASE, created_at=now, created_by=actor)
    return card


def card_debit(*, card: ClassCard, booking, now=None) -> CreditEntry:
    """Take one credit for a booking; the card row is locked so two bookings cannot share a last credit.
    A card found with `card_for_session(lock=True)` in this transaction is locked already and carries
    the balance read under that lock, so it is not read twice."""
    now = now or timezone.now()
    balance = getattr(card, "locked_balance", None)
    if balance is None:
        card = ClassCard.objects.select_for_update().get(pk=card.pk)
        balance = card_balance(card)
    if card.is_expired(now):
        raise BookingError(_("This class card has expired."))
    if balance < 1:
        raise BookingError(_("This class card has no classes left."))
    entry = CreditEntry.objects.create(card=card, delta=-1, kind=CreditEntry.Kind.BOOKING, booking=booking, created_at=now)
    card.__dict__.pop("locked_balance", None)  # used once: a later debit locks and reads again
    return entry


def card_return(*, booking, now=None, reason="") -> CreditEntry | None:
    """Give the credit of a cancelled booking back, once (a unique constraint guards twice)."""
    if booking.card_id is None or booking.credit_entries.filter(kind=CreditEntry.Kind.RETURN).exists():
        return None
    return CreditEntry.objects.create(card_id=booking.card_id, delta=1, kind=CreditEntry.Kind.RETURN, booking=booking,
                                      created_at=now or timezone.now(), reason=reason)


def card_correct(*, card: ClassCard, delta: int, reason: str, actor) -> CreditEntry:
    """An admin's correction: a ledger row with a reason. A card never goes below zero."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Please give a reason for the correction."))
    if delta == 0:
        raise BookingError(_("A correction adds or removes at least one class."))
    with transaction.atomic():
        card = ClassCard.objects.select_for_update().get(pk=card.pk)
        if card_balance(card) + delta < 0:
            raise BookingError(_("This would leave the card below zero classes."))
        return CreditEntry.objects.create(card=card, delta=delta, kind=CreditEntry.Kind.CORRECTION, reason=reason, created_by=actor)


def card_give(*, client, card_type: ClassCardType, credits: int, reason: str, actor, now=None) -> ClassCard:
    """The studio gives a client a free card of `card_type` with `credits` classes: the card, valid as
    the type says, and one ledger row with who gave it and why (no payment, no purchase row)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Please give a reason for the correction."))
    if credits < 1:
        raise BookingError(_("A new card starts with at least one class."))
    with transaction.atomic():
        card = ClassCard.objects.create(client=client, card_type=card_type, purchased_at=now, expires_at=card_valid_until(card_type, now))
        CreditEntry.objects.create(card=card, delta=credits, kind=CreditEntry.Kind.CORRECTION, reason=reason, created_at=now,
                                   created_by=actor)
    return card


def cards_expire(*, now=None) -> int:
    """Write off what is left on cards past their date, as an expiry row. Safe to run again."""
    now = now or timezone.now()
    count = 0
    for card in ClassCard.objects.filter(expires_at__lte=now).exclude(entries__kind=CreditEntry.Kind.EXPIRY).with_balance().filter(balance_value__gt=0):
        with transaction.atomic():
            locked = ClassCard.objects.select_for_update().get(pk=card.pk)
            left = card_balance(locked)
            if left > 0 and not locked.entries.filter(kind=CreditEntry.Kind.EXPIRY).exists():
                CreditEntry.objects.create(card=locked, delta=-left, kind=CreditEntry.Kind.EXPIRY, created_at=now)
                count += 1
    return count


def studio_credit_issue(*, booking, now=None) -> ClassCard:
    """Instead of money back: one class on a studio-credit card, valid for the studio's chosen months."""
    policy = BookingPolicy.current()
    card_type, _created = ClassCardType.objects.get_or_create(
        is_studio_credit=True,
        defaults={"name_nl": "Tegoed", "name_en": "Studio credit", "credits": 1, "validity_months": policy.studio_credit_months,
                  "price_cents": 0, "is_on_sale": False},
    )
    now = now or timezone.now()
    card = card_issue(client=booking.client, card_type=card_type, now=now)
    card.expires_at = timezone.localtime(now) + relativedelta(months=policy.studio_credit_months)
    card.save(update_fields=["expires_at"])
    return card


def card_purchase_create(*, client, card_type: ClassCardType, now=None, code="") -> Payment:
    """A pending payment for a class card; the card itself is made when the money is in. An intro offer
    is claimed for her at once (once per person); `code`, a discount code or gift voucher, lowers the
    payment. Any refusal (PaymentError) rolls the whole purchase back."""
    if not card_type.is_on_sale or card_type.is_studio_credit:
        raise PaymentError(_("This class card is not for sale."))
    now = now or timezone.now()
    with transaction.atomic():
        payment = records.payment_create(client=client, purpose=CLASS_CARD, card_type=card_type, amount_cents=card_type.price_cents,
                                         vat_rate_percent=card_type.vat_rate_percent, now=now,
                                         **records.described(lambda: card_type.name))
        intro.intro_claim(card_type=card_type, client=client, payment=payment, now=now)
        price_cuts.price_cut_apply(payment=payment, code=code, client=client, now=now)
    return payment
