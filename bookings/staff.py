"""Who may open the teacher's and the admin's pages: others get a 404 (or the login page)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from studio.roles import is_admin, is_teacher


def teacher_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_teacher(request.user):
            raise Http404("not for clients")
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise Http404("not for teachers or clients")
        return view(request, *args, **kwargs)

    return wrapper
