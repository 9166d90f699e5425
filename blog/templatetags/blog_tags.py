from django import template
from django.utils.translation import ngettext

from blog import seo

register = template.Library()


@register.filter
def absolute(path):
    """A site path made absolute with SITE_URL (left alone when it already is)."""
    return seo.absolute(str(path)) if path else ""


@register.simple_tag
def reading_time(minutes):
    return ngettext("%(minutes)s minute read", "%(minutes)s minutes read", minutes) % {"minutes": minutes}
