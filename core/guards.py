"""Input no page ever means: a NUL byte in the address, the query string or a form.

PostgreSQL cannot store a NUL character, so such a value would otherwise reach a query and end as
a 500. These middlewares answer it once, for every URL: a cookie carrying one is dropped (the
visitor is then simply not signed in), and a request carrying one in its path, query or form gets
400 Bad Request with the site's own error page.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def _has_nul(values) -> bool:
    return any(NUL in key or any(NUL in str(value) for value in items) for key, items in values.lists())


class DropBrokenCookiesMiddleware:
    """First in the chain: cookies with a NUL byte are ignored, before sessions or languages read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.META.get("HTTP_COOKIE", ""):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if NUL not in name and NUL not in value}
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """After the user and the language are known (the 400 page shows them): NUL in the path, the
    query string or a submitted form is refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _has_nul(request.GET):
            raise BadRequest("NUL byte in the address")
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if _has_nul(request.POST) or any(NUL in (upload.name or "") for upload in request.FILES.values()):
                raise BadRequest("NUL byte in a form")
        return self.get_response(request)
