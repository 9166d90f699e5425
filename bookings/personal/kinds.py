"""What the personal work sells through payments (a programme, a one-to-one session) and the way to
pay for group dates it owns (a date of a programme followed in a group). Registered by
BookingsConfig.ready()."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from classes.models import AppointmentType, ProgrammeRun

from .. import places, ways_to_pay
from ..models import Appointment, Booking, DiscountCode, ProgrammeEnrolment
from ..payments import kinds
from . import appointments, programmes


class Programme(kinds.PurchaseKind):
    purpose = programmes.PROGRAMME
    label = gettext_lazy("Programme")
    discount_product = DiscountCode.Product.PROGRAMME

    def lock(self, payment) -> None:
        places.lock_sessions(payment.bookings.values_list("session_id", flat=True))
        list(ProgrammeEnrolment.objects.select_for_update().filter(payment=payment))
        list(payment.bookings.select_for_update().order_by("pk"))

    def deliver(self, payment, *, now) -> bool:
        return programmes.enrolment_confirm_paid(payment=payment, now=now)

    def release(self, payment, *, reason, now) -> None:
        for enrolment_id in ProgrammeEnrolment.objects.filter(payment=payment).values_list("pk", flat=True):
            programmes.held_places_release(enrolment_id=enrolment_id, reason=reason, now=now)

    def hold_is_open(self, payment, *, now) -> bool:
        enrolment = ProgrammeEnrolment.objects.filter(payment=payment).first()
        return (enrolment is not None and enrolment.status == ProgrammeEnrolment.Status.PENDING_PAYMENT
                and (enrolment.hold_expires_at is None or enrolment.hold_expires_at > now))

    def is_delivered(self, payment) -> bool:
        return ProgrammeEnrolment.objects.filter(payment=payment, status=ProgrammeEnrolment.Status.ACTIVE).exists()

    def return_url(self, payment) -> str:
        enrolment = ProgrammeEnrolment.objects.filter(payment=payment).first()
        return reverse("bookings:journey", kwargs={"pk": enrolment.pk}) if enrolment else reverse("bookings:my_bookings")

    def receipt_line(self, payment) -> str:
        enrolment = ProgrammeEnrolment.objects.filter(payment=payment).select_related("offering", "appointment_type").first()
        if enrolment is None:
            return payment.label
        if enrolment.appointment_type_id:
            return f"{enrolment.offering.name} ({enrolment.appointment_type.name})"
        return enrolment.offering.name

    def refund_effect(self, payment, amount_cents) -> str:
        enrolment = ProgrammeEnrolment.objects.filter(payment=payment).select_related("offering").first()
        if enrolment is None or enrolment.status != ProgrammeEnrolment.Status.ACTIVE:
            return _("There is no running programme to change: only the money goes back.")
        return _("The place in %(name)s stays, with all its dates: only the money goes back.") % {"name": enrolment.offering.name}

    def product_lines(self):
        runs = ProgrammeRun.objects.filter(is_open=True).select_related("offering").order_by("offering__name_nl", "pk")
        lines = [kinds.ProductLine(name=run.offering.name, price_cents=run.price_cents,
                                   includes=ngettext("In a group of %(count)d", "In a group of %(count)d", run.capacity) % {"count": run.capacity},
                                   change_url=reverse("teaching:offering_edit", args=[run.offering_id]),
                                   vat_rate=run.offering.vat_rate_percent)
                 for run in runs]
        alone = AppointmentType.objects.filter(programme_price_cents__isnull=False, is_active=True).select_related("offering")
        lines += [kinds.ProductLine(name=f"{kind.offering.name} ({kind.name})", price_cents=kind.programme_price_cents,
                                    includes=_("The whole programme, one-to-one"),
                                    change_url=reverse("teaching:availability_type_edit", args=[kind.pk]),
                                    vat_rate=kind.offering.vat_rate_percent) for kind in alone]
        return lines


class OneToOne(kinds.PurchaseKind):
    purpose = appointments.APPOINTMENT
    label = gettext_lazy("One-to-one session")
    discount_product = DiscountCode.Product.ONE_TO_ONE

    def lock(self, payment) -> None:
        teacher_id = Appointment.objects.filter(payment=payment).values_list("teacher_id", flat=True).first()
        if teacher_id is not None:
            appointments.lock_teacher(teacher_id)
        list(Appointment.objects.select_for_update().filter(payment=payment))

    def deliver(self, payment, *, now) -> bool:
        return appointments.appointment_confirm_paid(payment=payment, now=now)

    def release(self, payment, *, reason, now) -> None:
        for appointment_id in Appointment.objects.filter(payment=payment).values_list("pk", flat=True):
            appointments.held_time_release(appointment_id=appointment_id, reason=reason, now=now)

    def hold_is_open(self, payment, *, now) -> bool:
        appointment = Appointment.objects.filter(payment=payment).first()
        return appointment is not None and appointment.is_pending and appointment.hold_expires_at > now

    def is_delivered(self, payment) -> bool:
        return Appointment.objects.filter(payment=payment, status=Appointment.Status.CONFIRMED).exists()

    def return_url(self, payment) -> str:
        appointment = Appointment.objects.filter(payment=payment).first()
        return reverse("bookings:appointment", kwargs={"pk": appointment.pk}) if appointment else reverse("bookings:my_bookings")

    def receipt_line(self, payment) -> str:
        appointment = Appointment.objects.filter(payment=payment).select_related("appointment_type").first()
        if appointment is None:
            return payment.label
        return appointments.appointment_line(appointment.appointment_type, appointment.starts_at)

    def refund_effect(self, payment, amount_cents) -> str:
        appointment = Appointment.objects.filter(payment=payment, status=Appointment.Status.CONFIRMED).select_related("appointment_type").first()
        if appointment is None:
            return _("There is no appointment left to change: only the money goes back.")
        return _("The appointment (%(name)s, %(when)s) stays as it is: only the money goes back.") % {
            "name": appointment.appointment_type.name, "when": formats.date_format(timezone.localtime(appointment.starts_at), "l j F, H:i")}

    def product_lines(self):
        kinds_of_session = AppointmentType.objects.filter(is_active=True, is_bookable_alone=True).order_by("name_nl", "pk")
        return [kinds.ProductLine(name=kind.name, price_cents=kind.price_cents,
                                  includes=ngettext("One session of %(minutes)d minute", "One session of %(minutes)d minutes",
                                                    kind.duration_minutes) % {"minutes": kind.duration_minutes},
                                  change_url=reverse("teaching:availability_type_edit", args=[kind.pk]),
                                  vat_rate=kind.vat_rate_percent)
                for kind in kinds_of_session]


PROGRAMME_DATE = ways_to_pay.WayToPay(
    paid_with=Booking.PaidWith.PROGRAMME,
    client_cancel_refusal=lambda: _("This date is part of your programme. You can cancel the programme as a whole on its page."),
    on_studio_cancel=programmes.date_cancelled_by_studio,
)


def register() -> None:
    kinds.register(Programme())
    kinds.register(OneToOne())
    ways_to_pay.register(PROGRAMME_DATE)
