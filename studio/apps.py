from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = _("Studio")

    def ready(self):
        from allauth.account.signals import password_reset

        from core import renditions

        from . import accounts, privacy
        from .models import Page

        renditions.keep(Page, field="image", renditions="image_renditions")  # the page's photo in WebP sizes

        privacy.register()  # the profile's part of a person's data
        password_reset.connect(accounts.verify_address_on_reset, dispatch_uid="studio.verify_address_on_reset")
