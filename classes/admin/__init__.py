"""The timetable and the personal work in the Django admin."""

from . import personal, timetable  # noqa: F401  (each registers its models)
