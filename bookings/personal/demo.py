"""The demo's personal work: Manoek's hours for one-to-ones, the kinds of one-to-one session, the TRE®
programme one-to-one and a group on three Thursday evenings. Idempotent."""

from datetime import time, timedelta

from django.utils import timezone

from classes.models import (
    AppointmentType,
    Closure,
    DateException,
    Offering,
    ProgrammeRun,
    Room,
    Teacher,
    TeacherAvailability,
    WorkingHours,
)
from classes.services import programme_run_add_dates

# weekday, from, until (Breda time): around her group classes
HOURS = [(0, time(10), time(16)), (1, time(11), time(17)), (2, time(10), time(16)), (4, time(9, 30), time(15, 30))]

ENERGETIC_NL = ("Een persoonlijke sessie waarin yoga, reiki en werken met je zenuwstelsel samenkomen. We beginnen met een "
                "rustig gesprek over wat je nodig hebt; daarna werk je liggend of zittend, in je eigen tempo. Aanraking alleen "
                "als jij dat wilt.")
ENERGETIC_EN = ("A personal session that brings yoga, reiki and nervous-system work together. We start with a quiet talk about "
                "what you need; then you work lying down or sitting, at your own pace. Touch only if you want it.")

TYPES = [
    {"slug": "energetische-sessie-60", "name_nl": "Energetische Sessie (60 minuten)", "name_en": "Energetic Session (60 minutes)",
     "description_nl": ENERGETIC_NL, "description_en": ENERGETIC_EN, "duration_minutes": 60, "price_cents": 7500, "position": 1},
    {"slug": "energetische-sessie-90", "name_nl": "Energetische Sessie (90 minuten)", "name_en": "Energetic Session (90 minutes)",
     "description_nl": ENERGETIC_NL + " In 90 minuten is er extra tijd om te landen en na te rusten.",
     "description_en": ENERGETIC_EN + " In 90 minutes there is extra time to arrive and to rest afterwards.",
     "duration_minutes": 90, "price_cents": 10500, "position": 2},
    {"slug": "tre-individueel", "name_nl": "Individuele TRE®-sessie", "name_en": "One-to-one TRE® session",
     "description_nl": "TRE® in je eigen tempo, met alle aandacht voor jou. Drie van deze sessies vormen samen het TRE®-traject.",
     "description_en": "TRE® at your own pace, with all the attention for you. Three of these sessions make up the TRE® programme.",
     "duration_minutes": 60, "price_cents": 8500, "position": 3, "programme": "tre-traject", "programme_price_cents": 22500},
]


def load(*, teacher_user, today=None):
    today = today or timezone.localdate()
    teacher = Teacher.objects.get(user=teacher_user)
    programme = Offering.objects.get(slug="tre-traject")
    if programme.session_count != 3:
        programme.session_count = 3
        programme.save(update_fields=["session_count"])
    TeacherAvailability.objects.get_or_create(teacher=teacher, defaults={"buffer_minutes": 15, "minimum_notice_hours": 24,
                                                                          "horizon_days": 60, "step_minutes": 15})
    if not teacher.working_hours.exists():
        WorkingHours.objects.bulk_create([WorkingHours(teacher=teacher, weekday=d, start_time=a, end_time=b) for d, a, b in HOURS])
    study_day = today + timedelta(days=21 + (4 - today.weekday()) % 7)  # a Friday three weeks ahead
    DateException.objects.get_or_create(teacher=teacher, note="Studiedag", defaults={"first_day": study_day, "last_day": study_day})
    kinds = []
    for data in TYPES:
        data = dict(data)
        offering = Offering.objects.get(slug=data.pop("programme")) if "programme" in data else None
        kind, _created = AppointmentType.objects.get_or_create(slug=data["slug"], defaults={**data, "teacher": teacher, "offering": offering})
        kinds.append(kind)
    run = ProgrammeRun.objects.filter(offering=programme).first()
    if run is None:
        room = Room.objects.order_by("pk").first()
        run = ProgrammeRun.objects.create(offering=programme, teacher=teacher, room=room, capacity=6, price_cents=19500)
        first_thursday = today + timedelta(days=7 + (3 - today.weekday()) % 7)
        while any(c.starts_on <= first_thursday + timedelta(weeks=w) <= c.ends_on for c in Closure.objects.all() for w in range(3)):
            first_thursday += timedelta(weeks=1)  # three evenings in a row, none on a closed day
        programme_run_add_dates(run, first_day=first_thursday, start_time=time(17, 30))
    return {"appointment_types": kinds, "run": run}
