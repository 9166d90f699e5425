"""What the security sweeps share: a small studio with something of every kind, owned by one client."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.preview import preview_token
from bookings.group import changes, services, waitlist
from bookings.models import Appointment, CalendarFeed, ProgrammeEnrolment, Refund, Voucher, VoucherEntry, VoucherProduct
from bookings.payments import invoices
from classes.models import Closure, DateException, WorkingHours
from tests.blog.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory
from tests.factories import (
    AppointmentTypeFactory,
    BookingFactory,
    ClassCardTypeFactory,
    OfferingFactory,
    PaymentFactory,
    SessionFactory,
    StyleFactory,
    TeacherFactory,
    UserFactory,
    WeeklySlotFactory,
    individual_tre_type,
    programme_run,
)


@pytest.fixture
def world():
    owner = UserFactory(email="eigenaar@example.nl")
    other = UserFactory(email="ander@example.nl")
    teacher = TeacherFactory()
    teacher.user.groups.add(Group.objects.get(name="Teacher"))
    colleague = TeacherFactory(slug="collega", user=UserFactory(email="collega@example.nl", first_name="Ilse", is_staff=True))
    colleague.user.groups.add(Group.objects.get(name="Teacher"))
    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=1,
                             offering=OfferingFactory(style=StyleFactory(slug="yin")), teacher=teacher)
    booking = BookingFactory(session=session, client=owner)
    full = SessionFactory(starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=1), capacity=1, teacher=teacher)
    BookingFactory(session=full, client=other)
    entry = waitlist.waitlist_join(client=owner, session=full)
    pending = services.booking_create(client=owner, session=SessionFactory(starts_at=start + timedelta(days=2),
                                                                          ends_at=start + timedelta(days=2, hours=1)), pay_with="stripe")
    receipt = PaymentFactory(client=owner, status="paid", paid_at=timezone.now(), receipt_number="2026-09999")
    post = PostFactory(tags=[TagFactory(slug="stress")], categories=[CategoryFactory(slug="psoas")])
    return {
        "owner": owner, "other": other, "teacher": teacher.user, "colleague": colleague.user, "admin": admin,
        "args": {
            "timetable_style_ics": {"style": "yin"},
            "classes:timetable_week": {"monday": timezone.localdate() - timedelta(days=timezone.localdate().weekday())},
            "classes:session": {"pk": session.pk}, "classes:offering": {"slug": session.offering.slug},
            "classes:teacher": {"slug": teacher.slug},
            "blog:category": {"category_slug": "psoas"},
            "blog:tag": {"tag_slug": "stress"}, "blog:post": {"slug": post.slug}, "blog:comment": {"slug": post.slug},
            "bookings:book": {"session_id": session.pk}, "bookings:waitlist_join": {"session_id": full.pk},
            "bookings:card_buy": {"pk": ClassCardTypeFactory().pk},
            "bookings:waitlist_claim": {"pk": entry.pk}, "bookings:waitlist_leave": {"pk": entry.pk},
            "bookings:waitlist_auto_book": {"pk": entry.pk},
            "bookings:cancel": {"pk": booking.pk}, "bookings:checkout_cancelled": {"pk": pending.payment_id},
            "bookings:checkout_resume": {"pk": pending.payment_id}, "bookings:receipt": {"pk": receipt.pk},
            "bookings:payment_thanks": {"pk": receipt.pk},
            "intake:touch": {"pk": booking.pk}, "bookings:booking_ics": {"pk": booking.pk},
            "bookings:calendar_feed": {"token": CalendarFeed.objects.get_or_create(client=owner)[0].token},
            "bookings:roster": {"pk": session.pk}, "bookings:add_by_hand": {"pk": session.pk},
            "bookings:cancel_session": {"pk": session.pk}, "bookings:message_session": {"pk": session.pk},
            "bookings:attendance": {"pk": booking.pk}, "bookings:mark_paid": {"pk": booking.pk},
            "intake:teacher": {"pk": owner.pk},
            **{name: {"pk": owner.pk} for name in ("teaching:client", "teaching:client_book_class", "teaching:client_book_one_to_one",
                                                   "teaching:client_book_programme", "teaching:client_credits")},
            **timetable_args(teacher=teacher, offering=session.offering),
            **hours_args(teacher=teacher),
            "teaching:session_edit": {"pk": session.pk},
            "bookings:cancel_after_change": {"token": changes.free_cancel_token(booking, session.revision)},
            "bookings:export": {"kind": "payments"},
            "desk_page": {"key": "about"},
            **desk_args(receipt=receipt),
            **offer_desk_args(),
            **invoice_args(owner=owner, receipt=receipt),
            **voucher_args(owner=owner),
            **personal_args(owner=owner, teacher=teacher, booking=booking, start=start),
            **blog_desk_args(post=post),
        },
    }


def desk_args(*, receipt):
    """A paid payment with a failed refund, and a class card type, for the admin's desk."""
    refund = Refund.objects.create(payment=receipt, amount_cents=100, reason="sweep", idempotency_key="sweep-refund", status="failed")
    return {"bookings:desk_payment": {"pk": receipt.pk}, "bookings:desk_refund": {"pk": receipt.pk},
            "bookings:desk_refund_retry": {"pk": receipt.pk, "refund_pk": refund.pk},
            "bookings:desk_card_type": {"pk": ClassCardTypeFactory().pk}}


def invoice_args(*, owner, receipt):
    """The owner's invoice (of the paid payment) and a credit invoice of a refund of another payment."""
    refunded = PaymentFactory(client=owner, status="partially_refunded", refunded_cents=100, paid_at=timezone.now(),
                              receipt_number="2026-09998")
    refund = Refund.objects.create(payment=refunded, amount_cents=100, reason="sweep", idempotency_key="sweep-credit", status="succeeded")
    invoices.credit_invoice_issue(refund)
    # A purchase a gift voucher paid in part, cancelled in time: its voucher part went back, with a credit invoice.
    product = VoucherProduct.objects.create(name_nl="Sweepbon", name_en="Sweep voucher")
    voucher = Voucher.objects.create(code="TOL-SWEP-SWEP", product=product, value_cents=1000, expires_at=timezone.now() + timedelta(days=90),
                                     issued_at=timezone.now())
    by_voucher = PaymentFactory(client=owner, status="paid", voucher_cents=500, paid_at=timezone.now(), receipt_number="2026-09997")
    VoucherEntry.objects.create(voucher=voucher, delta_cents=-500, kind="redemption", payment=by_voucher)
    back = VoucherEntry.objects.create(voucher=voucher, delta_cents=500, kind="return", payment=by_voucher)
    invoices.voucher_credit_invoice_issue(back)
    return {"bookings:invoice_pdf": {"pk": receipt.pk}, "bookings:credit_invoice_pdf": {"pk": refunded.pk, "refund_pk": refund.pk},
            "bookings:voucher_credit_invoice_pdf": {"pk": by_voucher.pk, "entry_pk": back.pk}}


def voucher_args(*, owner):
    """A gift voucher the owner bought and paid: its page is open to whoever has the code, its PDF is hers."""
    from bookings.models import VoucherProduct
    from bookings.offers import vouchers
    product = VoucherProduct.objects.create(name_nl="Cadeaubon sweep", name_en="Gift voucher sweep")
    payment = vouchers.voucher_purchase_create(client=owner, product=product, amount_cents=2500, recipient_email="")
    payment.status = "paid"
    payment.save(update_fields=["status"])
    voucher = vouchers.voucher_deliver(payment, now=timezone.now())
    return {"bookings:voucher": {"code": voucher.code}, "bookings:voucher_pdf": {"code": voucher.code}}


def offer_desk_args():
    """A membership type, a gift voucher product and a discount code, for the admin's desk."""
    from bookings.models import DiscountCode, MembershipType, VoucherProduct

    membership_type = MembershipType.objects.create(name_nl="Onbeperkt", name_en="Unlimited", price_cents=7900)
    product = VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift voucher")
    code = DiscountCode.objects.create(code="SWEEP10", percent=10, products=["class_card"])
    return {"bookings:desk_membership_type": {"pk": membership_type.pk}, "bookings:desk_voucher_product": {"pk": product.pk},
            "bookings:desk_discount_code": {"pk": code.pk}}


def blog_desk_args(*, post):
    """A comment waiting for moderation and a draft with its signed preview, for the blog at the admin's desk."""
    comment = CommentFactory(post=post, status="pending")
    draft = PostFactory(status="draft", published_at=None)
    return {"blog_desk:post_edit": {"pk": post.pk}, "blog_desk:preview": {"token": preview_token(draft)},
            **{name: {"pk": comment.pk} for name in ("blog_desk:comment_approve", "blog_desk:comment_reject", "blog_desk:comment_reply")}}


def timetable_args(*, teacher, offering):
    """A weekly class of the world's teacher and a closure to come, for the back office's timetable."""
    slot = WeeklySlotFactory(teacher=teacher, offering=offering, valid_from=timezone.localdate())
    closure = Closure.objects.create(starts_on=timezone.localdate() + timedelta(days=60), ends_on=timezone.localdate() + timedelta(days=62),
                                     reason_nl="Zomerstop")
    return {"teaching:offering_edit": {"pk": offering.pk}, "teaching:slot_edit": {"pk": slot.pk}, "teaching:slot_stop": {"pk": slot.pk},
            "teaching:closure_delete": {"pk": closure.pk}}


def hours_args(*, teacher):
    """The world's teacher's hours for one-to-ones, a day off and a kind of session."""
    hours = WorkingHours.objects.create(teacher=teacher, weekday=0, start_time="09:00", end_time="12:00")
    day_off = DateException.objects.create(teacher=teacher, kind="off", first_day=timezone.localdate() + timedelta(days=30),
                                           last_day=timezone.localdate() + timedelta(days=30))
    kind = AppointmentTypeFactory(teacher=teacher, slug="sweep-kind")
    return {"teaching:availability_hours_edit": {"pk": hours.pk}, "teaching:availability_hours_delete": {"pk": hours.pk},
            "teaching:availability_exception_delete": {"pk": day_off.pk}, "teaching:availability_type_edit": {"pk": kind.pk}}


def personal_args(*, owner, teacher, booking, start):
    """A one-to-one session and a programme of the owner's, for the URLs of the personal work."""
    kind = AppointmentTypeFactory(teacher=teacher)
    tre = individual_tre_type(teacher=teacher)
    run = programme_run(starts=start + timedelta(days=10), teacher=teacher)
    appointment = Appointment.objects.create(client=owner, appointment_type=kind, teacher=teacher, starts_at=start + timedelta(days=5),
                                             ends_at=start + timedelta(days=5, hours=1), status="confirmed", paid_with="stripe")
    enrolment = ProgrammeEnrolment.objects.create(client=owner, offering=tre.offering, appointment_type=tre, status="active",
                                                  sessions_total=3, price_cents=22500)
    mine = {"pk": appointment.pk}
    return {
        "bookings:appointment_slots": {"slug": kind.slug}, "bookings:programme": {"slug": run.offering.slug},
        "bookings:appointment_book": {"slug": kind.slug}, "bookings:programme_join": {"pk": run.pk},
        "bookings:programme_buy": {"pk": tre.pk},
        "bookings:appointment": mine, "bookings:appointment_cancel": mine, "bookings:appointment_move": mine,
        "bookings:appointment_touch": mine, "bookings:appointment_ics": mine, "bookings:journey": {"pk": enrolment.pk}, "bookings:programme_cancel": {"pk": enrolment.pk},
        "bookings:teacher_appointment": mine, "bookings:teacher_appointment_attendance": mine, "bookings:booking_note": {"pk": booking.pk},
        "bookings:teacher_appointment_cancel": mine, "bookings:teacher_appointment_paid": mine,
    }


