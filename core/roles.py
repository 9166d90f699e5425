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


def role_of(user) -> str:
    """The menu a signed-in person sees: "admin" (the desk and the back office), "teacher" (the back
    office) or "client". One query at most."""
    if not user.is_authenticated:
        return "client"
    if user.is_superuser:
        return "admin"
    groups = set(user.groups.filter(name__in=[TEACHER, ADMIN]).values_list("name", flat=True))
    return "admin" if ADMIN in groups else "teacher" if TEACHER in groups else "client"


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


def may_change_teaching_of(user, teacher) -> bool:
    """May `user` change what `teacher` (a classes.Teacher, or None) teaches: her sessions, weekly
    classes and hours for one-to-ones? The admin may change everything, a teacher only her own."""
    if is_admin(user):
        return True
    return is_teacher(user) and teacher is not None and teacher.user_id == user.pk


def change_teaching_required(user, teacher) -> None:
    """Refuse (404, as for clients) a change to another teacher's work."""
    if not may_change_teaching_of(user, teacher):
        raise Http404("not your class")


SCOPE_KEY = "teaching_scope"
SCOPE_MINE, SCOPE_STUDIO = "mine", "studio"


def teaching_scope(request) -> str:
    """What the back office lists: "mine" (a teacher's own classes and clients, her default) or
    "studio" (everyone's; the admin's default, and all there is for someone who teaches nothing).
    `?scope=mine|studio` switches it and is remembered in her session."""
    if getattr(request.user, "teacher_profile", None) is None:
        return SCOPE_STUDIO  # an admin who teaches nothing herself
    asked = request.GET.get("scope")
    if asked in (SCOPE_MINE, SCOPE_STUDIO):
        request.session[SCOPE_KEY] = asked
        return asked
    remembered = request.session.get(SCOPE_KEY)
    if remembered in (SCOPE_MINE, SCOPE_STUDIO):
        return remembered
    return SCOPE_STUDIO if is_admin(request.user) else SCOPE_MINE


def client_accounts():
    """The studio's clients: active accounts that are not its staff, teachers or admins (the people a
    teacher may look up, book in or give classes to)."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(is_active=True, is_staff=False, is_superuser=False)
            .exclude(groups__name__in=[TEACHER, ADMIN]).exclude(teacher_profile__isnull=False))
