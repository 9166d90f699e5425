from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from core import renditions

        from . import privacy
        from .models import Post

        privacy.register()
        # The cover's smaller copies (WebP, for srcset) after the commit; a replaced cover's files go.
        renditions.keep(Post, field="cover_image", renditions="cover_renditions")
