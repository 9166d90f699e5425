"""The studio's roles, as checks: client (any account), teacher and admin. The groups and their
permissions are made by `studio.roles.sync_roles` (called by migrations)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

TEACHER = "Teacher"
ADMIN = "Admin"


def is_teacher(user) -> bool:
    """A teacher or an admin (an admin may do everything a teacher does)."""
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name__in=[TEACHER, ADMIN]).exists())


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=ADMIN).exists())


def teacher_required(view):
    """Teachers' pages: others get a 404 (or the login page when signed out)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_teacher(request.user):
            raise Http404("not for clients")
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    """The admin's pages: others get a 404 (or the login page when signed out)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise Http404("not for teachers or clients")
        return view(request, *args, **kwargs)

    return wrapper
