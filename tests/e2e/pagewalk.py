"""Walking a part of the site in Chromium the way a person does: from a start page, breadth first,
through every link and form that leads to a page of that part. Shared by the back office's and the
admin's desk's walks."""

from collections import Counter
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Every link and form on the page, as the browser resolves them.
LINKS_JS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  forms: [...document.querySelectorAll('form')].map(f => ({action: f.action || location.href,
                                                          method: (f.getAttribute('method') || 'get').toLowerCase()})),
})"""
VISITS_PER_KIND = 3  # a few pages of each kind (three rosters, three clients…) is enough


def back_office_view(path: str, names: set[str]) -> str | None:
    try:
        name = resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None
    return name if name in names else None


def walk(page, start: str, names: set[str], origin: str, *, linked_only: frozenset = frozenset()):
    """Breadth first through the pages named; returns the URL names reached and the paths opened.
    A name in `linked_only` (a file download) counts as reached when linked, and is not opened."""
    queue, opened, reached, per_kind = [start], [], set(), Counter()
    while queue:
        path = queue.pop(0)
        name = back_office_view(path, names)
        if path in opened or name is None or per_kind[name] >= VISITS_PER_KIND:
            continue
        if name in linked_only:
            reached.add(name)
            continue
        per_kind[name] += 1
        opened.append(path)
        response = page.goto(path)
        assert response.status < 400, f"{path} answered {response.status}"
        reached.add(name)
        found = page.evaluate(LINKS_JS)
        for url in found["links"]:
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" == origin:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for form in found["forms"]:
            parts = urlsplit(urljoin(origin, form["action"]))
            target = back_office_view(parts.path, names)
            if target and form["method"] == "get":
                queue.append(parts.path)
            elif target:
                reached.add(target)
    return reached, opened
