"""The public prices page: no login needed to read it; each product's button goes to the page that
sells it (which asks for a login only where buying needs an account)."""

from django.shortcuts import render

from core.pagecache import cached_for_visitors

from . import prices


@cached_for_visitors
def price_list(request):
    return render(request, "bookings/prices.html", prices.price_list())
