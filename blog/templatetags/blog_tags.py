from django import template

from blog import seo, text

register = template.Library()


@register.filter
def absolute(path):
    """A site path made absolute with SITE_URL (left alone when it already is)."""
    return seo.absolute(str(path)) if path else ""


@register.simple_tag
def reading_time(minutes):
    return text.reading_time_label(minutes)
