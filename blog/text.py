"""What a post's Markdown becomes: sanitised HTML, a table of contents and a reading time.

Pure functions of the text; the model stores their results when a post is
saved, so a page view does no Markdown work.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import ngettext
from markdown.extensions.toc import TocExtension

from core.markup import sanitize_html

WORDS_PER_MINUTE = 238  # average silent reading of non-fiction (Brysbaert, 2019); gives the old site's "8 minuten"
TOC_MIN_HEADINGS = 3
TOC_MIN_WORDS = 700
AUDIO_MARKER = "[audio]"  # on a line of its own: where the post's audio player goes

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_AUDIO_PARAGRAPH = re.compile(r"<p>\s*\[audio\]\s*</p>", re.IGNORECASE)


@dataclass
class RenderedBody:
    html: str
    toc: list[dict] = field(default_factory=list)
    words: int = 0

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


def _heading_id(value: str, separator: str) -> str:
    return slugify(html.unescape(strip_tags(value))) or "section"


def _toc_entries(tokens: list[dict]) -> list[dict]:
    """Markdown's toc tokens, reduced to what the page shows: h2 with their h3."""
    entries = []
    for token in tokens:
        entry = {"id": token["id"], "title": html.unescape(strip_tags(token["name"])), "level": token["level"], "children": []}
        entry["children"] = [
            {"id": child["id"], "title": html.unescape(strip_tags(child["name"])), "level": child["level"], "children": []}
            for child in token["children"]
            if child["level"] == 3
        ]
        entries.append(entry)
    return entries


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def reading_time_label(minutes: int) -> str:
    """"5 minutes read", in the active language."""
    return ngettext("%(minutes)s minute read", "%(minutes)s minutes read", minutes) % {"minutes": minutes}


def length_summary(rendered: "RenderedBody") -> str:
    """"5 minutes read · 1,200 words", under a live preview."""
    words = ngettext("%(count)s word", "%(count)s words", rendered.words) % {"count": rendered.words}
    return f"{reading_time_label(rendered.reading_minutes)} · {words}"


def render_body(text: str) -> RenderedBody:
    """Markdown to sanitised HTML; headings get ids for the table of contents."""
    converter = markdown.Markdown(
        extensions=["extra", "sane_lists", TocExtension(toc_depth="2-3", slugify=_heading_id)],
        output_format="html",
    )
    raw_html = converter.convert(text or "")
    clean = sanitize_html(raw_html)
    return RenderedBody(html=clean, toc=_toc_entries(converter.toc_tokens), words=count_words(strip_tags(clean)))


def has_audio_marker(body_html: str) -> bool:
    return bool(_AUDIO_PARAGRAPH.search(body_html))


def place_audio(body_html: str, player_html: str) -> tuple[str, bool]:
    """Put the player where the text says ``[audio]``; report whether it found the place."""
    placed, count = _AUDIO_PARAGRAPH.subn(lambda _match: player_html, body_html, count=1)
    return placed, bool(count)


def wants_toc(toc: list[dict], words: int) -> bool:
    return len(toc) >= TOC_MIN_HEADINGS and words >= TOC_MIN_WORDS


def summary_from_html(body_html: str, *, max_chars: int = 200) -> str:
    """The start of the first paragraph, cut on a word: for lists and link previews."""
    match = re.search(r"<p>(.*?)</p>", body_html, re.DOTALL)
    plain = " ".join(html.unescape(strip_tags(match.group(1) if match else body_html)).split())
    if len(plain) <= max_chars:
        return plain
    cut = plain.rfind(" ", 0, max_chars)
    return plain[: cut if cut > max_chars // 2 else max_chars].rstrip(" ,;:–-") + "…"
