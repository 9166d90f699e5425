"""Payments and refunds in a person's data. They are kept when an account closes (the law asks
seven years), pointing at the anonymised account. Registered with core.privacy by BookingsConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core import privacy
from core.privacy import Record, Section

from ..models import Payment, Refund
from . import kinds


def _payments(user) -> Section:
    payments = (Payment.objects.filter(client=user)
                .prefetch_related(Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "pk"))).order_by("created_at", "pk"))
    records = []
    for payment in payments:
        items = [privacy.item("id", _("payment number"), payment.pk)]
        items += privacy.fields(payment, ["receipt_number", "description", "description_en"])
        items.append(privacy.item("purpose", _("for"), payment.purpose, kinds.label_of(payment.purpose)))
        items += privacy.fields(payment, ["amount_cents", "vat_rate_percent", "status", "method", "created_at", "paid_at", "refunded_cents",
                                          "stripe_checkout_id", "stripe_payment_intent_id"],
                                money={"amount_cents": _("amount"), "refunded_cents": _("refunded")})
        refunds = [Record(privacy.fields(refund, ["amount_cents", "reason", "status", "created_at"], money={"amount_cents": _("amount")}))
                   for refund in payment.refunds.all()]
        records.append(Record(items, [Section("refunds", _("Refunds"), refunds)]))
    return Section("payments", _("Payments and refunds"),
                   records, note=_("The law requires the studio to keep payment records for seven years, also after an account is closed."))


def register() -> None:
    privacy.register(key="payments", order=60, sections=lambda user: [_payments(user)])
