"""The studio's booking rules at the admin's desk: the form for every `BookingPolicy` field, in
groups, with limits that keep a slip of the finger from becoming a rule, and the one write.

Where each rule is used (so none is a dead switch):
- cancel_window_hours: bookings.policy (free cancelling of classes and one-to-ones), programmes, emails
- booking_closes_minutes: bookings.policy.booking_closes_at (booking, waitlist offers), programmes, the minute job
- hold_minutes: group.services.settle, personal.appointments, personal.programmes (a place held while paying)
- waitlist_offer_minutes, last_minute_hours, auto_booked_cancel_hours: group.waitlist_offers
- drop_in_cancellation, studio_credit_months: group.services.cancellation_terms, group.cards.studio_credit_issue
- vat_rate_percent: the rate a new product starts with in its form (each product keeps its own rate, each payment its
  product's); payments.records.payment_create falls back on it only for a product without a rate
- reminder_hours: group.jobs.reminders_send, personal.jobs; card_expiry_warning_days: group.jobs.cards_daily
- quiet_from, quiet_until: bookings.quiet_hours (messages kept back at night, offer time counted awake)
- intake_before_first_group_class: group.services.require_intake_first
- membership_grace_days: memberships.allowance.check (booking with a membership after a failed payment)
All of them: the text clients read, bookings.policy.rules_for_clients and templates/bookings/_rules_text.html.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import BookingPolicy

# The lowest and highest value each number may take. Outside them a rule stops making sense (a place
# held for a day, free cancelling a month ahead) or breaks something (Stripe closes a checkout after 31 minutes).
LIMITS = {
    "booking_closes_minutes": (0, 24 * 60),
    "cancel_window_hours": (0, 7 * 24),
    "hold_minutes": (5, 30),
    "waitlist_offer_minutes": (10, 48 * 60),
    "last_minute_hours": (0, 48),
    "auto_booked_cancel_hours": (0, 48),
    "reminder_hours": (1, 7 * 24),
    "card_expiry_warning_days": (0, 90),
    "studio_credit_months": (1, 24),
    "vat_rate_percent": (0, 30),
    "membership_grace_days": (0, 60),
}
QUIET_HOURS_MAX = 12

GROUPS = [
    (gettext_lazy("Booking and cancelling"), ["booking_closes_minutes", "cancel_window_hours", "hold_minutes"]),
    (gettext_lazy("Waitlist"), ["waitlist_offer_minutes", "last_minute_hours", "auto_booked_cancel_hours"]),
    (gettext_lazy("Messages and quiet hours"), ["quiet_from", "quiet_until", "reminder_hours", "card_expiry_warning_days"]),
    (gettext_lazy("Money"), ["drop_in_cancellation", "studio_credit_months", "vat_rate_percent", "membership_grace_days"]),
    (gettext_lazy("Intake"), ["intake_before_first_group_class"]),
]
FIELDS = [name for _title, names in GROUPS for name in names]

HELP = {
    "booking_closes_minutes": gettext_lazy("Online booking stops this many minutes before a class begins; at the studio the "
                                           "teacher can still add someone by hand. 0: until the class begins."),
    "cancel_window_hours": gettext_lazy("Until this many hours before a class (or one-to-one) a client cancels free of charge: "
                                        "her class, money or studio credit comes back. Later, her place is freed but nothing "
                                        "is returned. 0: free until the class begins."),
    "hold_minutes": gettext_lazy("While a client pays online, her place is kept for her this long; a payment not finished "
                                 "by then frees it again. From 5 to 30 minutes."),
    "waitlist_offer_minutes": gettext_lazy("How long the first in line may take a freed place before it is offered to the next. "
                                           "Time in quiet hours does not count, and an offer never runs past the moment "
                                           "booking closes."),
    "drop_in_cancellation": gettext_lazy("What someone who paid online for a single class gets when she cancels in time."),
    "studio_credit_months": gettext_lazy("How long a studio credit for a cancelled class can be used."),
    "vat_rate_percent": gettext_lazy("Every product has its own VAT rate (21%, 9% or exempt), chosen where the product is "
                                     "changed. A new product starts with this rate; payments already made keep theirs."),
    "reminder_hours": gettext_lazy("The reminder email about a class or session goes this many hours before it (when that "
                                   "falls in quiet hours: just before they begin)."),
    "card_expiry_warning_days": gettext_lazy("A client with classes left on a card is told this many days before it "
                                             "expires. 0: no warning."),
    "intake_before_first_group_class": gettext_lazy(
        "A client who has never been in a group class and has no intake yet is asked to fill it in before she books "
        "her first one. When you add someone by hand at the studio, it is not asked."),
    "membership_grace_days": gettext_lazy("When a membership payment fails, Stripe tries again over the next days. Meanwhile she "
                                          "can go on booking with her membership for this many days; after that, only once it "
                                          "is paid. 0: not until it is paid."),
    "quiet_until": gettext_lazy("Until this time messages wait. Set the same time as the beginning for no quiet hours."),
}


def in_range(low, high):
    def check(value):
        if value is not None and not low <= value <= high:
            raise ValidationError(_("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}, code="out_of_range")
    return check


class BookingRulesForm(forms.ModelForm):
    vat_rate_percent = forms.DecimalField(label=gettext_lazy("Default VAT rate for new products (%)"), max_digits=4, decimal_places=1, localize=True,
                                          help_text=HELP["vat_rate_percent"])

    class Meta:
        model = BookingPolicy
        fields = FIELDS
        help_texts = HELP
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in LIMITS.items():
            field = self.fields[name]
            field.validators = [in_range(low, high)]  # one clear message instead of Django's two
            field.widget.attrs.update({"min": low, "max": high})
        self.fields["vat_rate_percent"].widget.attrs["inputmode"] = "decimal"
        self.fields["drop_in_cancellation"].error_messages["invalid_choice"] = _("Choose a refund or a studio credit for another class.")
        for name in ("quiet_from", "quiet_until"):
            self.fields[name].error_messages["invalid"] = _("Give a time as hours and minutes, for example 22:00.")

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if start is not None and end is not None and start != end:
            length = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds / 3600
            if length > QUIET_HOURS_MAX:
                self.add_error("quiet_until", _(
                    "Quiet hours from %(start)s to %(end)s would last %(hours)s hours, and messages would wait most of the day. "
                    "At most %(max)s hours are possible: did you swap the beginning and the end?") % {
                    "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "hours": f"{length:g}", "max": QUIET_HOURS_MAX})
        last_minute, closes = data.get("last_minute_hours"), data.get("booking_closes_minutes")
        if last_minute and closes is not None and last_minute * 60 <= closes:
            self.add_error("last_minute_hours", _(
                "Online booking closes %(minutes)s minutes before a class, so last-minute places within %(hours)s hours "
                "would never happen. Choose more hours, or 0 to switch them off.") % {"minutes": closes, "hours": last_minute})
        return data


def booking_rules_save(*, values: dict) -> BookingPolicy:
    """Write the rules checked by `BookingRulesForm` (all or nothing). The save itself clears the kept
    rules and renews every page showing them (BookingPolicy.save, bookings.own_pages)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not booking rules: {sorted(unknown)}")
    with transaction.atomic():
        policy, _created = BookingPolicy.objects.select_for_update().get_or_create(pk=1)
        for name, value in values.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
    return policy
