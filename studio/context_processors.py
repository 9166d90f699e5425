from django.conf import settings


def studio(request):
    """What the base layout needs on every page: the studio's details."""
    return {"studio": settings.STUDIO, "site_url": settings.SITE_URL}
