from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = _("Timetable")

    def ready(self):
        from . import receivers

        receivers.connect()
