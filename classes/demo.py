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

# What every offering of the first demo said, the same text for all: a demo loaded before the texts
# were per offering gets its own texts in their place (see `_fill_own_texts`).
GENERIC_EXPECT = {
    "what_to_expect_nl": (
        "We beginnen met even landen: zitten of liggen, zoals het voor jou prettig is. Daarna bewegen we rustig, "
        "met steeds een uitnodiging en nooit een opdracht.\n\n"
        "- Neem makkelijk zittende kleding en eventueel warme sokken mee.\n"
        "- Matten, kussens, blokken en dekens liggen klaar.\n"
        "- Je mag altijd rusten, een oefening overslaan of de ruimte even verlaten.\n"
        "- Aanraking alleen als jij dat aangeeft; je kunt dat per les kiezen."
    ),
    "what_to_expect_en": (
        "We start by arriving: sitting or lying down, as suits you. Then we move slowly, always with an invitation "
        "and never an order.\n\n"
        "- Wear comfortable clothes and bring warm socks if you like.\n"
        "- Mats, cushions, blocks and blankets are ready for you.\n"
        "- You may always rest, skip an exercise or step out of the room.\n"
        "- Touch only if you say so; you can choose per class."
    ),
}

# Per offering: what to expect, what to bring and who it suits, in Dutch and English (Markdown).
CONTENT = {
    "hatha-yoga": {
        "what_to_expect_nl": (
            "We beginnen met even landen, zittend of liggend, zoals het voor jou prettig is. Daarna bewegen we rustig "
            "en verbinden we adem en beweging. Elke houding is een uitnodiging, nooit een opdracht: jij kiest hoe ver je gaat.\n\n"
            "- Je mag altijd rusten, een houding overslaan of even de ruimte verlaten.\n"
            "- Aanraking of een hands-on bijstelling alleen als jij dat aangeeft; je kiest dat per les.\n"
            "- We sluiten af met een rustige ontspanning onder een deken."
        ),
        "what_to_expect_en": (
            "We start by arriving, sitting or lying down, as suits you. Then we move slowly and link breath and movement. "
            "Every pose is an invitation, never an order: you choose how far you go.\n\n"
            "- You may always rest, skip a pose or step out of the room for a while.\n"
            "- Touch or a hands-on adjustment only if you say so; you choose per class.\n"
            "- We end with a quiet rest under a blanket."
        ),
        "what_to_bring_nl": (
            "- Makkelijk zittende kleding waarin je vrij kunt bewegen.\n"
            "- Eventueel warme sokken en een trui voor de eindontspanning.\n"
            "- Een flesje water.\n\n"
            "Matten, kussens, blokken en dekens liggen klaar; je eigen mat meenemen mag ook."
        ),
        "what_to_bring_en": (
            "- Comfortable clothes you can move freely in.\n"
            "- Warm socks and a jumper for the final rest, if you like.\n"
            "- A bottle of water.\n\n"
            "Mats, cushions, blocks and blankets are ready for you; you are welcome to bring your own mat."
        ),
        "suits_nl": (
            "Iedereen die zacht en veilig wil bewegen, ook als je nog nooit yoga deed. Fijn als je spanning, onrust of een "
            "ingrijpende ervaring met je meedraagt en weer meer contact met je lichaam zoekt. Heb je een blessure of ben je "
            "zwanger? Laat het ons vooraf even weten, dan denken we met je mee."
        ),
        "suits_en": (
            "Everyone who wants to move gently and safely, also if you have never done yoga. A good fit if you carry tension, "
            "restlessness or a difficult experience with you and would like more contact with your body. Injured or pregnant? "
            "Let us know beforehand and we will think along with you."
        ),
    },
    "balans-yoga": {
        "what_to_expect_nl": (
            "Na een korte aankomst wisselen we actieve houdingen af met momenten van rust. We werken aan kracht, stabiliteit "
            "en evenwicht, en zakken steeds weer terug in een rustige adem. Je gaat naar huis met een wakker én ontspannen gevoel.\n\n"
            "- Je bepaalt zelf het tempo; voor elke houding is er een zachtere variant.\n"
            "- Rusten mag altijd, ook midden in een reeks."
        ),
        "what_to_expect_en": (
            "After a short arrival we alternate active poses with moments of rest. We work on strength, stability and balance, "
            "and keep coming back to a calm breath. You go home feeling both awake and relaxed.\n\n"
            "- You set your own pace; every pose has a gentler version.\n"
            "- Resting is always fine, even in the middle of a sequence."
        ),
        "what_to_bring_nl": (
            "- Sportieve, makkelijk zittende kleding.\n"
            "- Een flesje water: je kunt het best warm krijgen.\n\n"
            "Matten en blokken liggen klaar."
        ),
        "what_to_bring_en": (
            "- Comfortable sports clothes.\n"
            "- A bottle of water: you may get quite warm.\n\n"
            "Mats and blocks are ready for you."
        ),
        "suits_nl": (
            "Voor wie graag wat meer beweegt dan in een zachte les, maar wel in een rustig tempo. Handig als je al eens yoga "
            "hebt gedaan, maar dat hoeft niet."
        ),
        "suits_en": (
            "For you if you like to move a little more than in a gentle class, at a calm pace. Some yoga experience helps, "
            "but you do not need it."
        ),
    },
    "yin-yoga": {
        "what_to_expect_nl": (
            "We nemen een handvol houdingen aan, meestal liggend of zittend, en blijven daar drie tot vijf minuten in, "
            "ondersteund door kussens, blokken en dekens. Het is stil in de zaal, met af en toe zachte begeleiding. Zo krijgen "
            "je bindweefsel en je zenuwstelsel de tijd om los te laten.\n\n"
            "- Wordt een houding te veel, dan kies je een andere of kom je eruit.\n"
            "- We eindigen met een lange eindontspanning."
        ),
        "what_to_expect_en": (
            "We take a handful of poses, mostly lying or sitting, and stay in each for three to five minutes, supported by "
            "cushions, blocks and blankets. The room is quiet, with gentle guidance now and then. That gives your connective "
            "tissue and your nervous system time to let go.\n\n"
            "- If a pose is too much, you choose another or come out of it.\n"
            "- We end with a long final rest."
        ),
        "what_to_bring_nl": (
            "- Warme, zachte kleding in laagjes: je koelt af als je lang stil ligt.\n"
            "- Warme sokken.\n\n"
            "Kussens, bolsters, blokken en dekens liggen voor iedereen klaar."
        ),
        "what_to_bring_en": (
            "- Warm, soft clothes in layers: you cool down when you lie still for long.\n"
            "- Warm socks.\n\n"
            "Cushions, bolsters, blocks and blankets are ready for everyone."
        ),
        "suits_nl": (
            "Voor wie wil vertragen: bij stress, slecht slapen of een gespannen onderrug en psoas. Je hoeft niet lenig te zijn. "
            "Ook fijn naast een drukke week of een actievere yogapraktijk."
        ),
        "suits_en": (
            "For you if you want to slow down: with stress, poor sleep or a tense lower back and psoas. You do not need to be "
            "flexible. Also a kind balance to a busy week or a more active yoga practice."
        ),
    },
    "tre-groep": {
        "what_to_expect_nl": (
            "We doen samen de TRE®-oefeningen die je beenspieren licht vermoeien en gaan daarna liggen. Dan mag het trillen "
            "komen, zo zacht als jij wilt; je oefent met doseren en stoppen. We sluiten af met rustig nazitten.\n\n"
            "- Je bepaalt zelf hoe lang je trilt; stoppen kan op elk moment.\n"
            "- Niemand hoeft iets te vertellen over wat er in je omgaat."
        ),
        "what_to_expect_en": (
            "Together we do the TRE® exercises that gently tire your leg muscles, and then lie down. Then the tremors may come, "
            "as softly as you like; you practise turning them down and stopping. We end by sitting quietly for a while.\n\n"
            "- You decide how long you tremor; you can stop at any moment.\n"
            "- Nobody has to share what goes on inside."
        ),
        "what_to_bring_nl": (
            "- Makkelijk zittende, niet knellende kleding: een broek waarin je je knieën goed kunt optrekken.\n"
            "- Warme sokken en een flesje water.\n\n"
            "Je hebt geen yogamat nodig: er liggen dikke matten en dekens klaar."
        ),
        "what_to_bring_en": (
            "- Loose, comfortable clothes: trousers in which you can easily draw up your knees.\n"
            "- Warm socks and a bottle of water.\n\n"
            "You do not need a yoga mat: thick mats and blankets are ready for you."
        ),
        "suits_nl": (
            "Voor wie het TRE®-traject al heeft gevolgd (of TRE® eerder leerde bij een provider) en het samen wil blijven doen. "
            "Nieuw met TRE®? Begin dan met het TRE®-traject."
        ),
        "suits_en": (
            "For you if you have followed the TRE® programme (or learned TRE® with another provider) and want to keep practising "
            "together. New to TRE®? Start with the TRE® programme."
        ),
    },
    "tre-traject": {
        "what_to_expect_nl": (
            "Drie sessies die op elkaar voortbouwen. In de eerste leer je de oefeningen en voel je het trillen voor het eerst, "
            "kort en rustig. In de tweede oefen je met doseren: meer, minder en stoppen. In de derde maak je een plan om TRE® "
            "thuis veilig zelf te doen.\n\n"
            "- Voor de eerste sessie vul je één keer een kort intakeformulier in.\n"
            "- Na elke sessie krijg je een paar tips mee voor de dagen erna."
        ),
        "what_to_expect_en": (
            "Three sessions that build on each other. In the first you learn the exercises and feel the tremors for the first "
            "time, briefly and calmly. In the second you practise turning them up, down and off. In the third you make a plan "
            "to do TRE® safely on your own at home.\n\n"
            "- Before the first session you fill in a short intake form, once.\n"
            "- After each session you take home a few tips for the days that follow."
        ),
        "what_to_bring_nl": (
            "- Makkelijk zittende kleding en warme sokken.\n"
            "- Een flesje water.\n"
            "- Als je wilt een notitieboekje voor wat je merkt.\n\n"
            "Geen mat nodig: matten en dekens liggen klaar."
        ),
        "what_to_bring_en": (
            "- Comfortable clothes and warm socks.\n"
            "- A bottle of water.\n"
            "- A notebook for what you notice, if you like.\n\n"
            "No mat needed: mats and blankets are ready for you."
        ),
        "suits_nl": (
            "Voor iedereen die TRE® wil leren: bij langdurige spanning, stress, onrust of na een ingrijpende gebeurtenis. Ben je "
            "zwanger, heb je epilepsie of een recente operatie achter de rug? Overleg dan eerst even met ons; soms is een "
            "individuele start fijner."
        ),
        "suits_en": (
            "For everyone who wants to learn TRE®: with long-lasting tension, stress, restlessness or after an overwhelming "
            "event. Pregnant, living with epilepsy or recovering from recent surgery? Talk to us first; sometimes starting "
            "one-to-one is kinder."
        ),
    },
}

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
        offering, created = Offering.objects.get_or_create(
            slug=data["slug"], defaults={**fields, "style": styles[data["style"]], **CONTENT[data["slug"]]})
        if not created:
            _fill_own_texts(offering, CONTENT[data["slug"]])
        offerings[data["slug"]] = offering
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


def _fill_own_texts(offering, texts):
    """An offering an earlier demo made gets its own texts where it has none yet, or still has the text
    every offering once shared; whatever the studio wrote itself stays."""
    changed = [name for name, text in texts.items() if getattr(offering, name) in ("", GENERIC_EXPECT.get(name))]
    for name in changed:
        setattr(offering, name, texts[name])
    if changed:
        offering.save(update_fields=changed)
