"""factory-boy factories for every model."""

import factory
from django.contrib.auth import get_user_model

from studio.models import Page


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"client{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    language = "nl"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        """A known password for new users; an existing user fetched again keeps theirs (and their sessions)."""
        if not obj.password:
            obj.set_password(extracted or "rustig-ademen-42")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary email, as allauth expects after signup."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=obj, email=obj.email, defaults={"primary": True, "verified": extracted is not False}
        )
        obj.save()


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ["key"]

    key = Page.Key.PRIVACY
    title_nl = "Privacyverklaring"
    title_en = "Privacy statement"
    body_nl = "## Wat we bewaren\n\nAlleen wat nodig is."
    body_en = "## What we keep\n\nOnly what is needed."


# The timetable (classes) ------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.db import models  # noqa: E402
from django.utils import timezone  # noqa: E402

from classes.models import STUDIO_TZ, Closure, Offering, Room, Session, Style, Teacher, WeeklySlot  # noqa: E402


class StyleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Style
        django_get_or_create = ["slug"]

    slug = "yin"
    name_nl = factory.LazyAttribute(lambda o: {"yin": "Yin yoga", "hatha": "Trauma-bewuste Hatha yoga", "balans": "Balans yoga", "tre": "TRE®"}.get(o.slug, o.slug.title()))
    name_en = factory.LazyAttribute(lambda o: {"yin": "Yin yoga", "hatha": "Trauma-aware Hatha yoga", "balans": "Balans yoga", "tre": "TRE®"}.get(o.slug, o.slug.title()))


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ["name"]

    name = "De Boomzaal"
    address = "Ginnekenweg 100, 4818 JK Breda"
    capacity = 14


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher
        django_get_or_create = ["slug"]

    user = factory.SubFactory(UserFactory, email="manoek@example.nl", first_name="Manoek", last_name="Klootwijk", is_staff=True)
    slug = "manoek"
    bio_nl = "Manoek geeft trauma-bewuste yoga."
    bio_en = "Manoek teaches trauma-aware yoga."


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering
        django_get_or_create = ["slug"]

    style = factory.SubFactory(StyleFactory)
    slug = factory.LazyAttribute(lambda o: f"{o.style.slug}-yoga" if o.style.slug != "tre" else "tre-groep")
    name_nl = factory.LazyAttribute(lambda o: o.style.name_nl)
    name_en = factory.LazyAttribute(lambda o: o.style.name_en)
    summary_nl = "Rustig en zacht."
    summary_en = "Calm and gentle."
    description_nl = "Een les om te **vertragen**."
    description_en = "A class to **slow down**."
    what_to_expect_nl = "Neem warme sokken mee. Je mag altijd rusten."
    what_to_expect_en = "Bring warm socks. You may always rest."
    duration_minutes = 75
    default_capacity = 12
    drop_in_price_cents = 1750


class WeeklySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklySlot

    offering = factory.SubFactory(OfferingFactory)
    teacher = factory.SubFactory(TeacherFactory)
    room = factory.SubFactory(RoomFactory)
    weekday = 1
    start_time = _dt.time(19, 30)
    duration_minutes = 75
    capacity = 12
    valid_from = _dt.date(2026, 1, 1)
    valid_until = None


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    starts_on = _dt.date(2026, 12, 24)
    ends_on = _dt.date(2027, 1, 3)
    reason_nl = "Kerstvakantie"
    reason_en = "Christmas break"


def local(year, month, day, hour=19, minute=30):
    """An aware datetime at a Breda wall-clock time."""
    return _dt.datetime(year, month, day, hour, minute, tzinfo=STUDIO_TZ)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    offering = factory.SubFactory(OfferingFactory)
    teacher = factory.SubFactory(TeacherFactory)
    room = factory.SubFactory(RoomFactory)
    starts_at = factory.LazyFunction(lambda: (timezone.now() + _dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(minutes=o.offering.duration_minutes))
    capacity = 12


# Bookings ------------------------------------------------------------------------

from bookings.models import Appointment, Booking, ClassCardType, Payment  # noqa: E402


class ClassCardTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassCardType
        django_get_or_create = ["name_nl"]
        skip_postgeneration_save = True

    name_nl = "5-lessenkaart"
    name_en = "5-class card"
    credits = 5
    validity_months = 3
    price_cents = 8000


def class_card(client, *, credits=5, validity_months=3, styles=(), now=None, name=None):
    """A class card bought through the ledger, as the purchase would make it."""
    from bookings.group.cards import card_issue

    card_type = ClassCardTypeFactory(name_nl=name or f"{credits}-lessenkaart", name_en=f"{credits}-class card",
                                     credits=credits, validity_months=validity_months)
    if styles:
        card_type.styles.set(styles)
    return card_issue(client=client, card_type=card_type, now=now)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    client = factory.SubFactory(UserFactory)
    purpose = "drop_in"
    description = "Yin yoga"
    amount_cents = 1750
    vat_rate_percent = 21


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking paid at the studio, with its place taken (as the service would)."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    client = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)
    status = Booking.Status.CONFIRMED
    paid_with = Booking.PaidWith.STUDIO
    price_cents = 1750
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def take_place(obj, create, extracted, **kwargs):
        if create and obj.holds_a_place:
            Session.objects.filter(pk=obj.session_id).update(places_taken=models.F("places_taken") + 1)
            obj.session.refresh_from_db()


# The personal work: programmes and one-to-ones -------------------------------------------

from classes.models import AppointmentType, DateException, ProgrammeRun, TeacherAvailability, WorkingHours  # noqa: E402


class TeacherAvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherAvailability
        django_get_or_create = ["teacher"]

    teacher = factory.SubFactory(TeacherFactory)
    buffer_minutes = 15
    minimum_notice_hours = 24
    horizon_days = 60
    step_minutes = 15


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    teacher = factory.SubFactory(TeacherFactory)
    weekday = 0
    start_time = _dt.time(10, 0)
    end_time = _dt.time(16, 0)


def teacher_with_role(**kwargs) -> Teacher:
    """A teacher who may open her back office: in the Teacher group (made again by name when a
    transactional test flushed the groups the migrations made)."""
    from django.contrib.auth.models import Group

    teacher = TeacherFactory(**kwargs)
    teacher.user.groups.add(Group.objects.get_or_create(name="Teacher")[0])
    return teacher


def teacher_at_work(*, weekdays=range(5), start=_dt.time(9), end=_dt.time(17), role=True, **availability) -> Teacher:
    """A teacher with free hours for one-to-ones: `weekdays` (0 is Monday) from `start` to `end`."""
    teacher = teacher_with_role() if role else TeacherFactory()
    TeacherAvailabilityFactory(teacher=teacher, **availability)
    for weekday in weekdays:
        WorkingHoursFactory(teacher=teacher, weekday=weekday, start_time=start, end_time=end)
    return teacher


class DateExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DateException

    teacher = factory.SubFactory(TeacherFactory)
    kind = DateException.Kind.OFF
    first_day = _dt.date(2026, 12, 1)
    last_day = factory.LazyAttribute(lambda o: o.first_day)


def programme_offering(**extra):
    """The TRE® programme: three sessions of 90 minutes."""
    defaults = {"slug": "tre-traject", "kind": Offering.Kind.PROGRAMME, "name_nl": "TRE®-traject", "name_en": "TRE® programme",
                "duration_minutes": 90, "session_count": 3, "drop_in_price_cents": 19500, "style": StyleFactory(slug="tre")}
    return OfferingFactory(**{**defaults, **extra})


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ["slug"]

    slug = "energetische-sessie-60"
    name_nl = "Energetische Sessie (60 minuten)"
    name_en = "Energetic Session (60 minutes)"
    description_nl = "Yoga, reiki en werken met je zenuwstelsel."
    description_en = "Yoga, reiki and nervous-system work."
    duration_minutes = 60
    price_cents = 7500
    teacher = factory.SubFactory(TeacherFactory)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A confirmed one-to-one in three days (its payment left out)."""

    class Meta:
        model = Appointment

    client = factory.SubFactory(UserFactory)
    teacher = factory.SubFactory(TeacherFactory)
    appointment_type = factory.LazyAttribute(lambda o: AppointmentTypeFactory(teacher=o.teacher))
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + _dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(minutes=o.appointment_type.duration_minutes))
    status = "confirmed"
    paid_with = "stripe"
    price_cents = factory.LazyAttribute(lambda o: o.appointment_type.price_cents)


def individual_tre_type(**extra):
    """One-to-one TRE® of 60 minutes, also the way to follow the TRE® programme one-to-one."""
    defaults = {"slug": "tre-individueel", "name_nl": "Individuele TRE®-sessie", "name_en": "One-to-one TRE® session",
                "price_cents": 8500, "offering": programme_offering(), "programme_price_cents": 22500}
    return AppointmentTypeFactory(**{**defaults, **extra})


def programme_run(*, starts, capacity=6, price_cents=19500, teacher=None, every_days=7):
    """A programme group with its dates: `offering.session_count` sessions from `starts`, a week apart."""
    from classes.services import programme_run_add_dates

    offering = programme_offering()
    run = ProgrammeRun.objects.create(offering=offering, teacher=teacher or TeacherFactory(), room=RoomFactory(), capacity=capacity,
                                      price_cents=price_cents)
    local_start = starts.astimezone(STUDIO_TZ)
    programme_run_add_dates(run, first_day=local_start.date(), start_time=local_start.time(), every_days=every_days)
    return run


def intake_for(client):
    """An intake on file (with consent), as a first TRE® or one-to-one session needs."""
    from bookings.intake.services import intake_save

    return intake_save(client=client, answers={"hopes": "Rust"}, consent=True)
