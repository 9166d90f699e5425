"""Memberships for tests that do not need Stripe: a type, and a running membership whose period is
set as Stripe would have it (the sync tests make them through the stand-in instead)."""

from datetime import timedelta
from itertools import count

from bookings.models import Membership, MembershipType
from tests.factories import OfferingFactory, SessionFactory, StyleFactory

_numbers = count(1)


def membership_type(*, classes=None, carry_over=False, styles=(), price_cents=7900, name="Onbeperkt yoga", **fields) -> MembershipType:
    kind = MembershipType.objects.create(name_nl=name, name_en=name, price_cents=price_cents, classes_per_period=classes,
                                         carry_over=carry_over, **fields)
    kind.styles.set(styles)
    return kind


def running(client, kind: MembershipType, *, now, status=Membership.Status.ACTIVE, days_in=10, **fields) -> Membership:
    """A membership ten days into a month-long period (as if synced from Stripe)."""
    number = next(_numbers)
    values = {"client": client, "membership_type": kind, "price_cents": kind.price_cents, "status": status,
              "stripe_subscription_id": f"sub_test_{number}", "stripe_customer_id": f"cus_test_{number}",
              "started_at": now - timedelta(days=days_in), "current_period_start": now - timedelta(days=days_in),
              "current_period_end": now - timedelta(days=days_in) + timedelta(days=30), **fields}
    return Membership.objects.create(**values)


def a_class(start, *, style="yin", capacity=12):
    offering = OfferingFactory(style=StyleFactory(slug=style))
    return SessionFactory(offering=offering, starts_at=start, ends_at=start + timedelta(minutes=75), capacity=capacity)
