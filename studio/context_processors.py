from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.roles import is_teacher


def studio(request):
    """What the base layout needs on every page: the studio's details, and whether to show the
    teacher's menu (asked of the database only when a signed-in page uses it)."""
    user = getattr(request, "user", None)

    def teaches():
        # A page from the shared cache is drawn with the role that chose its copy (core.pagecache).
        chosen = getattr(request, "pagecache_teaches", None)
        if chosen is not None:
            return chosen
        return bool(user is not None and is_teacher(user))

    return {
        "studio": settings.STUDIO,
        "site_url": settings.SITE_URL,
        "is_teacher": SimpleLazyObject(teaches),
    }
