"""The ``{% picture %}`` tag: an uploaded photo in its WebP sizes, or the drawing that stands in for it.

    {% load pictures %}
    {% picture offering.photo offering.photo_renditions alt=offering.photo_alt sizes="(min-width: 46rem) 44rem, 100vw"
               css="offering-photo" eager=True fallback=offering.illustration %}

An <img> with ``srcset``/``sizes`` (the copies core.renditions made), ``width``/``height`` (the browser keeps
the room, so nothing jumps when it arrives), ``decoding="async"``, and ``loading="lazy"`` unless ``eager``
(a picture at the top of the page: fetched at once, with high priority). When the largest copy is only
for big screens, a <picture> (``display: contents`` in studio.css, so the <img> is what the layout sees)
lets a phone choose among the others. ``width``/``height``: the original's size, for a model that keeps it
(the blog's cover), shown until the copies are made. The alt text is the photo's
description in the page's language; a drawing is decorative (``alt=""``) unless ``fallback_alt`` is given.
No photo and no fallback: nothing.
"""

import re
from functools import lru_cache
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from core import images

register = template.Library()

_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
PHONE_MEDIA = "(max-width: 47.99rem)"  # the phone layout of studio.css


@lru_cache(maxsize=64)
def drawing_size(path: str) -> tuple[int, int] | tuple[None, None]:
    """Width and height of a static SVG, from its viewBox (read once per process)."""
    found = finders.find(path)
    if not found:
        return None, None
    match = _VIEWBOX.search(Path(found).read_text(encoding="utf-8")[:600])
    return (round(float(match[1])), round(float(match[2]))) if match else (None, None)


def _img(*, src, srcset="", sizes="", width=None, height=None, alt="", css="", eager=False):
    attributes = [("class", " ".join(filter(None, ["picture", css]))), ("src", src)]
    if srcset:
        attributes += [("srcset", srcset), ("sizes", sizes or "100vw")]
    if width and height:
        attributes += [("width", width), ("height", height)]
    attributes += [("alt", alt or ""), ("decoding", "async")]
    attributes.append(("fetchpriority", "high") if eager else ("loading", "lazy"))
    return format_html("<img{}>", format_html_join("", ' {}="{}"', attributes))


@register.simple_tag
def picture(photo, renditions=None, *, alt="", sizes="100vw", css="", eager=False, fallback="", fallback_alt="", width=None, height=None):
    shown = images.picture(photo, renditions, width=width, height=height)
    if shown:
        phone_srcset = shown.pop("phone_srcset")
        del shown["large"]
        img = _img(**shown, sizes=sizes, alt=alt, css=css, eager=eager)
        if not phone_srcset:
            return img
        # A phone chooses among the smaller copies only: at 3 device pixels a point it would take the largest.
        return format_html('<picture><source media="{}" srcset="{}" sizes="{}">{}</picture>', PHONE_MEDIA, phone_srcset, sizes, img)
    if fallback:
        width, height = drawing_size(fallback)
        return _img(src=static(fallback), width=width, height=height, alt=fallback_alt, css=f"{css} is-drawing".strip(), eager=eager)
    return ""
