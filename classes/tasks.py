from celery import shared_task

from . import services


@shared_task(name="classes.tasks.generate_sessions")
def generate_sessions():
    """Daily: extend the timetable so the coming weeks always have their sessions."""
    result = services.timetable_generate()
    return {"created": result.created, "updated": result.updated, "removed": result.removed}
