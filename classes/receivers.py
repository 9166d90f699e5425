"""What the timetable listens to outside its own rows."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from core import renditions
from core.pagecache import content_changed

from .models import Offering, Teacher


def _teacher_account_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A teacher's name lives on her account: pages showing her classes must show the new one
    (a login, which only stamps `last_login`, changes nothing they show)."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    if Teacher.objects.filter(user_id=instance.pk).exists():
        content_changed()


def connect() -> None:
    renditions.keep(Teacher, field="photo", renditions="photo_renditions")
    renditions.keep(Offering, field="photo", renditions="photo_renditions")
    post_save.connect(_teacher_account_saved, sender=get_user_model(), dispatch_uid="classes-teacher-account")
