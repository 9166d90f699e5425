"""The demo timetable: the studio's real shape. Idempotent."""

from datetime import date, time, timedelta

from django.utils import timezone

from . import services
from .models import Closure, Offering, Room, Style, Teacher, WeeklySlot

STYLES = [
    ("hatha", "Trauma-bewuste Hatha yoga", "Trauma-aware Hatha yoga"),
    ("balans", "Balans yoga", "Balans yoga"),
    ("yin", "Yin yoga", "Yin yoga"),
    ("tre", "TRE®", "TRE®"),
]

EXPECT_NL = (
    "We beginnen met even landen: zitten of liggen, zoals het voor jou prettig is. Daarna bewegen we rustig, "
    "met steeds een uitnodiging en nooit een opdracht.\n\n"
    "- Neem makkelijk zittende kleding en eventueel warme sokken mee.\n"
    "- Matten, kussens, blokken en dekens liggen klaar.\n"
    "- Je mag altijd rusten, een oefening overslaan of de ruimte even verlaten.\n"
    "- Aanraking alleen als jij dat aangeeft; je kunt dat per les kiezen."
)
EXPECT_EN = (
    "We start by arriving: sitting or lying down, as suits you. Then we move slowly, always with an invitation "
    "and never an order.\n\n"
    "- Wear comfortable clothes and bring warm socks if you like.\n"
    "- Mats, cushions, blocks and blankets are ready for you.\n"
    "- You may always rest, skip an exercise or step out of the room.\n"
    "- Touch only if you say so; you can choose per class."
)

OFFERINGS = [
    {
        "slug": "hatha-yoga", "style": "hatha", "kind": Offering.Kind.GROUP, "position": 1,
        "name_nl": "Trauma-bewuste Hatha yoga", "name_en": "Trauma-aware Hatha yoga",
        "summary_nl": "Zacht en geaard bewegen, met ruimte voor je eigen keuzes.",
        "summary_en": "Gentle, grounded movement with room for your own choices.",
        "description_nl": "In deze les verbinden we adem en beweging in een rustig tempo. Je leert signalen van je lichaam "
        "opmerken en daar met vriendelijkheid op reageren. Geschikt voor iedereen, ook als je nog nooit yoga deed.",
        "description_en": "In this class we link breath and movement at a calm pace. You learn to notice what your body "
        "tells you and to respond with kindness. Suitable for everyone, also if you have never done yoga.",
        "duration_minutes": 75, "default_capacity": 12, "drop_in_price_cents": 1750, "allow_pay_at_studio": True,
    },
    {
        "slug": "balans-yoga", "style": "balans", "kind": Offering.Kind.GROUP, "position": 2,
        "name_nl": "Balans yoga", "name_en": "Balans yoga",
        "summary_nl": "Een rustige flow die lichaam en geest weer in balans brengt.",
        "summary_en": "A steady flow that brings body and mind back into balance.",
        "description_nl": "Balans yoga wisselt actieve en ontspannende houdingen af. We werken aan stabiliteit, kracht en "
        "zachtheid tegelijk, zodat je na de les zowel wakker als ontspannen bent.",
        "description_en": "Balans yoga alternates active and restful poses. We work on stability, strength and softness "
        "at once, so that you leave both awake and relaxed.",
        "duration_minutes": 75, "default_capacity": 12, "drop_in_price_cents": 1750,
    },
    {
        "slug": "yin-yoga", "style": "yin", "kind": Offering.Kind.GROUP, "position": 3,
        "name_nl": "Yin yoga", "name_en": "Yin yoga",
        "summary_nl": "Lang aangehouden, ondersteunde houdingen om te vertragen en te verzachten.",
        "summary_en": "Long, supported poses to slow down and soften.",
        "description_nl": "In Yin yoga blijven we enkele minuten in een houding, ondersteund door kussens en dekens. Dat "
        "geeft je bindweefsel en je zenuwstelsel de tijd om te ontspannen. Een fijne les voor je psoas en je onderrug.",
        "description_en": "In Yin yoga we stay in a pose for several minutes, supported by cushions and blankets. That "
        "gives your connective tissue and nervous system time to relax. A kind class for your psoas and lower back.",
        "duration_minutes": 75, "default_capacity": 12, "drop_in_price_cents": 1750,
    },
    {
        "slug": "tre-groep", "style": "tre", "kind": Offering.Kind.GROUP, "position": 4,
        "name_nl": "TRE® groepsles", "name_en": "TRE® group class",
        "summary_nl": "Spanning uitschudden met Tension & Trauma Releasing Exercises, samen in een kleine groep.",
        "summary_en": "Shake off tension with Tension & Trauma Releasing Exercises, together in a small group.",
        "description_nl": "TRE® zet het natuurlijke trilmechanisme van je lichaam aan, waarmee spanning vanzelf kan "
        "wegstromen. Voor deze groepsles is het fijn als je het TRE®-traject al hebt gevolgd.",
        "description_en": "TRE® switches on your body's natural tremor mechanism, which lets tension flow out by itself. "
        "It helps if you have followed the TRE® programme before joining this group class.",
        "duration_minutes": 90, "default_capacity": 8, "drop_in_price_cents": 2000,
    },
    {
        "slug": "tre-traject", "style": "tre", "kind": Offering.Kind.PROGRAMME, "position": 5,
        "name_nl": "TRE®-traject (drie sessies)", "name_en": "TRE® programme (three sessions)",
        "summary_nl": "In drie sessies leer je TRE® veilig en in je eigen tempo toepassen.",
        "summary_en": "In three sessions you learn to use TRE® safely and at your own pace.",
        "description_nl": "Het TRE®-traject bestaat uit drie sessies die op elkaar voortbouwen. Je leert de oefeningen, "
        "leert je trillen zelf te reguleren en krijgt nazorg mee voor thuis.",
        "description_en": "The TRE® programme is three sessions that build on each other. You learn the exercises, learn "
        "to regulate the tremors yourself and take aftercare home.",
        "duration_minutes": 90, "default_capacity": 6, "drop_in_price_cents": 19500,
    },
]

# weekday, start, offering slug, capacity
SLOTS = [
    (0, time(19, 30), "hatha-yoga", 12),
    (1, time(9, 30), "balans-yoga", 12),
    (1, time(19, 30), "yin-yoga", 12),
    (2, time(19, 0), "tre-groep", 8),
    (3, time(9, 30), "hatha-yoga", 12),
    (3, time(19, 30), "balans-yoga", 12),
    (5, time(10, 0), "yin-yoga", 12),
    (6, time(10, 30), "hatha-yoga", 10),
]


def load(*, teacher_user, today: date | None = None):
    today = today or timezone.localdate()
    styles = {}
    for position, (slug, name_nl, name_en) in enumerate(STYLES):
        styles[slug], _ = Style.objects.get_or_create(slug=slug, defaults={"name_nl": name_nl, "name_en": name_en, "position": position})
    room, _ = Room.objects.get_or_create(name="De Boomzaal", defaults={"address": "Ginnekenweg 100, 4818 JK Breda", "capacity": 14})
    teacher, _ = Teacher.objects.get_or_create(
        user=teacher_user,
        defaults={
            "slug": "manoek",
            "bio_nl": "Manoek is trauma-bewust yogadocent en TRE®-provider. Ze helpt je om met zachtheid weer thuis "
            "te komen in je lichaam.",
            "bio_en": "Manoek is a trauma-aware yoga teacher and TRE® provider. She helps you come home to your body, "
            "gently.",
        },
    )
    offerings = {}
    for data in OFFERINGS:
        fields = {key: value for key, value in data.items() if key not in ("slug", "style")}
        offerings[data["slug"]], _ = Offering.objects.get_or_create(
            slug=data["slug"],
            defaults={**fields, "style": styles[data["style"]], "what_to_expect_nl": EXPECT_NL, "what_to_expect_en": EXPECT_EN},
        )
    monday = today - timedelta(days=today.weekday())
    for weekday, start, slug, capacity in SLOTS:
        offering = offerings[slug]
        WeeklySlot.objects.get_or_create(
            weekday=weekday, start_time=start, room=room,
            defaults={"offering": offering, "teacher": teacher, "capacity": capacity,
                      "duration_minutes": offering.duration_minutes, "valid_from": monday - timedelta(weeks=1)},
        )
    closure, created = Closure.objects.get_or_create(
        reason_nl="Kerstvakantie",
        defaults={"reason_en": "Christmas break", "starts_on": date(today.year, 12, 24), "ends_on": date(today.year + 1, 1, 1)},
    )
    services.timetable_generate(today=monday - timedelta(weeks=1))
    if created:
        services.closure_apply(closure)
    return {"teacher": teacher, "room": room, "offerings": offerings}
