"""What is offered and when: the timetable (styles, rooms, teachers, offerings, weekly slots, closures
and the sessions they make) and the personal work (programme groups, one-to-one session types and the
teacher's hours for them)."""

from .personal import AppointmentType, DateException, ProgrammeRun, TeacherAvailability, WorkingHours
from .sessions import Session
from .timetable import STUDIO_TZ, Closure, Offering, Room, Style, Teacher, WeeklySlot, in_language

__all__ = [
    "STUDIO_TZ", "AppointmentType", "Closure", "DateException", "Offering", "ProgrammeRun", "Room", "Session", "Style", "Teacher",
    "TeacherAvailability", "WeeklySlot", "WorkingHours", "in_language",
]
