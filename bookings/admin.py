"""Bookings in the admin site: the studio's booking rules lead to the admin's desk; every purpose
registers its own models from its own admin module."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .group import admin as group_admin  # noqa: F401  (registers its models)
from .models import BookingPolicy
from .payments import admin as payments_admin  # noqa: F401
from .personal import admin as personal_admin  # noqa: F401


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    """The rules are kept on the admin's desk, with their limits and the texts made from them: the admin
    site's entry leads there."""

    def changelist_view(self, request, extra_context=None):
        return redirect(reverse("bookings:desk_rules"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(reverse("bookings:desk_rules"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
