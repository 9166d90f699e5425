"""The intro offer: a class card type marked "once per person" (a first acquaintance, say two classes
for a small price). One intro offer per person: whoever used one (any card type so marked, so a
renewed offer too) is refused the next. The database keeps the promise under concurrency: one use per
account and one per email address (lower-cased), whatever the card type, so a second account with the
same address, or two different intro offers bought at the same instant, are refused as well. A use is written
in the purchase's own transaction and deleted again when its payment never comes
(payments.price_cuts.price_cuts_give_back), so she may then try again."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import PaymentError
from ..models import ClassCardType, IntroOfferUse, Payment


def already_used_message() -> str:
    return _("You have already used the intro offer: it is for your first time with us, once per person. Have a look at our "
             "other class cards.")


def _uses_of(client):
    return IntroOfferUse.objects.filter(Q(client=client) | Q(email=(client.email or "").lower()))


def intro_claim(*, card_type: ClassCardType, client, payment: Payment, now=None) -> IntroOfferUse | None:
    """Write that `client` is buying the intro offer `card_type` (nothing for a card type that is not
    one). Call inside the purchase's transaction, after its payment exists. PaymentError, with the
    clear message, when her account or her email address used it before; the purchase must then roll
    back. Two attempts at the same moment: the second waits for the first and is refused."""
    if not card_type.once_per_person:
        return None
    if _uses_of(client).exists():
        raise PaymentError(already_used_message())
    try:
        with transaction.atomic():
            return IntroOfferUse.objects.create(card_type=card_type, client=client, email=(client.email or "").lower(), payment=payment,
                                                created_at=now or timezone.now())
    except IntegrityError:
        raise PaymentError(already_used_message()) from None


def intro_states(client) -> dict[int, Payment | None]:
    """For the class cards page: the intro offers `client` has used (by account or email address),
    as card type id -> the payment still waiting to be paid (so she can carry on paying), or None
    when it is used. Empty: she may still buy an intro offer."""
    if not client.is_authenticated:
        return {}
    states = {}
    for use in _uses_of(client).select_related("payment"):
        payment = use.payment
        waiting = payment is not None and payment.client_id == client.pk and payment.status == Payment.Status.PENDING
        states[use.card_type_id] = payment if waiting else None
    return states
