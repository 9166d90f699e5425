from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.roles import role_of


def studio(request):
    """What the base layout needs on every page: the studio's details, and which staff menu to show
    (the teacher's back office, the admin's desk; asked of the database only when a signed-in page
    uses it)."""
    user = getattr(request, "user", None)
    known = {}

    def role() -> str:
        # A page from the shared cache is drawn with the role that chose its copy (core.pagecache).
        chosen = getattr(request, "pagecache_role", None)
        if chosen is not None:
            return chosen
        if "role" not in known:
            known["role"] = role_of(user) if user is not None and user.is_authenticated else ""
        return known["role"]

    return {
        "studio": settings.STUDIO,
        "site_url": settings.SITE_URL,
        "is_teacher": SimpleLazyObject(lambda: role() in ("teacher", "admin")),
        "is_admin": SimpleLazyObject(lambda: role() == "admin"),
    }
