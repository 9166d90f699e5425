"""For the admin's desk menu (templates/bookings/books/_desk_nav.html): how many comments wait."""

from django import template

from blog import selectors

register = template.Library()


@register.simple_tag
def comments_waiting():
    return selectors.comments_waiting()
