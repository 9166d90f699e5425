"""For the admin's desk (the menu in templates/bookings/books/_desk_nav.html, the Today page): how
many comments wait, counted once per request however often a page asks."""

from django import template

from blog import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_waiting(context):
    request = context.get("request")
    if request is None:
        return selectors.comments_waiting()
    if not hasattr(request, "_comments_waiting"):
        request._comments_waiting = selectors.comments_waiting()
    return request._comments_waiting
