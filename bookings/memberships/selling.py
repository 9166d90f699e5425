"""Selling a membership: one running membership per client, a Stripe customer per client (kept and
reused), a recurring price per type and price (made once), and Checkout in subscription mode.
The membership row is made first (waiting for the first payment); Stripe's events and the page she
comes back to make it active (bookings.memberships.sync)."""

import logging

import stripe
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagecache

from ..errors import PaymentError
from ..models import Membership, MembershipType
from ..payments import billing, gateway
from ..payments.gateway import field
from . import periods, sync
from .periods import MembershipError, Status

logger = logging.getLogger(__name__)


def membership_buy(*, client, membership_type: MembershipType, now=None) -> Membership:
    """A new membership waiting for its first payment, or MembershipError: not on sale, or she has one
    running already. A Checkout she left unfinished is closed first (or, if she paid it after all, it
    is her running membership)."""
    now = now or timezone.now()
    if not membership_type.is_on_sale:
        raise MembershipError(_("This membership is not for sale."))
    for unfinished in Membership.objects.filter(client=client, status=Status.INCOMPLETE, stripe_subscription_id__isnull=True):
        unfinished_close(unfinished, now=now)
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=client.pk)  # one purchase at a time per client
        running = periods.live_membership(client) or Membership.objects.filter(
            client=client, status=Status.INCOMPLETE, stripe_subscription_id__isnull=False).first()
        if running is not None:
            raise MembershipError(_("You already have a membership (%(name)s). You find it on your membership page; "
                                    "one membership at a time is possible.") % {"name": running.membership_type.name})
        return Membership.objects.create(client=client, membership_type=membership_type, price_cents=membership_type.price_cents,
                                         status=Status.INCOMPLETE, created_at=now, stripe_customer_id=_earlier_customer(client))


def unfinished_close(membership: Membership, *, now) -> None:
    """A Checkout she did not finish: closed at Stripe, then read back (paid after all: it is synced)."""
    if membership.stripe_checkout_id:
        try:
            gateway.expire_checkout(membership.stripe_checkout_id)
        except stripe.StripeError as error:  # completed or expired already: reading it back tells which
            logger.info("Expiring membership checkout %s: %s", membership.stripe_checkout_id, error)
        try:
            sync.checkout_event(membership.stripe_checkout_id, now=now)
            return
        except stripe.StripeError as error:
            logger.warning("Membership checkout %s could not be read: %s", membership.stripe_checkout_id, error)
    Membership.objects.filter(pk=membership.pk, status=Status.INCOMPLETE, stripe_subscription_id__isnull=True).update(
        status=Status.NOT_STARTED, checkout_url="")
    pagecache.person_changed(membership.client_id)


def _earlier_customer(client) -> str:
    return (Membership.objects.filter(client=client).exclude(stripe_customer_id="")
            .order_by("-created_at").values_list("stripe_customer_id", flat=True).first() or "")


def price_for(membership_type: MembershipType) -> str:
    """The type's recurring Stripe price at its current price, made the first time it is needed."""
    with transaction.atomic():
        kind = MembershipType.objects.select_for_update().get(pk=membership_type.pk)
        if kind.stripe_price_id and kind.stripe_price_cents == kind.price_cents:
            return kind.stripe_price_id
        price = billing.price_create(name=kind.name_nl, amount_cents=kind.price_cents,
                                     key=f"membership-type-{kind.pk}-price-{kind.price_cents}",
                                     metadata={"membership_type_id": str(kind.pk)})
        MembershipType.objects.filter(pk=kind.pk).update(stripe_price_id=price.id, stripe_price_cents=kind.price_cents)
        return price.id


def checkout_start(*, membership: Membership, success_url: str, cancel_url: str) -> str:
    """Checkout in subscription mode for a new membership (iDEAL, card, Bancontact); the URL to send
    her to. If Stripe cannot be reached, nothing is started and she reads that nothing was charged."""
    if membership.checkout_url and membership.status == Status.INCOMPLETE:
        return membership.checkout_url
    client = membership.client
    try:
        customer_id = membership.stripe_customer_id or billing.customer_create(
            email=client.email, name=client.get_full_name() or client.email, client_id=client.pk, key=f"customer-client-{client.pk}").id
        checkout = billing.subscription_checkout_create(
            customer_id=customer_id, price_id=price_for(membership.membership_type),
            metadata={"purpose": sync.MEMBERSHIP, "membership_id": str(membership.pk), "client_id": str(client.pk)},
            language=client.language, success_url=success_url, cancel_url=cancel_url, key=f"membership-{membership.pk}-checkout")
    except stripe.StripeError as error:
        logger.warning("Membership %s: checkout could not start: %s", membership.pk, error)
        Membership.objects.filter(pk=membership.pk, status=Status.INCOMPLETE).update(status=Status.NOT_STARTED)
        pagecache.person_changed(client.pk)
        raise PaymentError(_("The payment could not be started. Nothing was charged; please try again in a moment.")) from error
    url = field(checkout, "url", "")
    Membership.objects.filter(pk=membership.pk).update(stripe_checkout_id=checkout.id, checkout_url=url, stripe_customer_id=customer_id)
    pagecache.person_changed(client.pk)
    membership.stripe_checkout_id, membership.checkout_url, membership.stripe_customer_id = checkout.id, url, customer_id
    return url


def checkout_returned(*, client, checkout_id: str, now=None) -> Membership | None:
    """She came back from Checkout: read it from Stripe and take over what it made."""
    membership = Membership.objects.filter(client=client, stripe_checkout_id=checkout_id).first()
    if membership is None:
        return None
    return sync.checkout_event(checkout_id, now=now or timezone.now()) or membership


def checkout_stopped(*, membership: Membership, now=None) -> Membership:
    """She came back without paying: the Checkout is closed at Stripe (or found paid after all)."""
    if membership.status == Status.INCOMPLETE and membership.stripe_subscription_id is None:
        unfinished_close(membership, now=now or timezone.now())
        membership.refresh_from_db()
    return membership
