"""Read an article exported from the studio's old blog and turn it into Markdown.

Pure Python, standard library only, so it runs (and is tested) without Django.
The management command and the demo call :func:`parse_article`; everything an
admin must fix in the file is reported with :class:`ImportFormatError`.

The export format (see ``blog/demo_content/``):

* line 1 is the title;
* optionally a block of metadata lines: ``- Author Name``, ``- 21 okt``
  (published, no year), ``- 8 minuten om te lezen``, ``Bijgewerkt op: 22 okt``;
* then one paragraph per line; headings, lists and numbered steps carry no
  markup and are recognised from their shape (see :func:`_parse_body`);
* a ``Bronnen`` line, followed by one source per line (they go to
  ``ImportedArticle.sources``, not into the body);
* a trailing ``Opmerkingen`` (the comments widget), dropped with all after it.

The old site garbled part of the UTF-8 text: its bytes were read as Windows
code page 1257 (Baltic), and some of the resulting pairs were mangled further.
:func:`repair_text` undoes that; whatever it cannot undo is reported, never
dropped.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "ImportFormatError",
    "ImportedArticle",
    "make_slug",
    "parse_article",
    "repair_text",
]

TITLE_MAX_CHARS = 150
TITLE_MAX_WORDS = 25
EXCERPT_MAX_CHARS = 200
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 14


class ImportFormatError(ValueError):
    """The file cannot be imported; the message is shown to the admin as is."""


@dataclass
class ImportedArticle:
    title: str
    slug: str
    author_name: str | None
    published_on: datetime.date | None
    updated_on: datetime.date | None
    stated_reading_minutes: int | None
    excerpt: str
    body_markdown: str
    headings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unrepaired: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Repairing garbled characters
# ---------------------------------------------------------------------------
#
# What happened to the text, worked out from the two articles:
#
# 1. UTF-8 bytes were decoded as code page 1257: "ï" (C3 AF) became "ĆÆ",
#    a no-break space (C2 A0) became "Ā" + U+00A0.  Re-encoding such runs
#    with cp1257 and decoding them as UTF-8 gives the text back; that is the
#    general rule below (``_CODE_PAGE_RULES``).
# 2. Then the text was mangled:
#    * every U+00A0 became a plain space, so a no-break space now reads
#      "Ā " and the general rule cannot see it (explicit rule);
#    * some two-character results were fused into one character whose code
#      point is 0x100 + the second byte: "é" (C3 A9 -> "Ć©") became
#      "Ʃ" U+01A9 and "ë" (C3 AB -> "Ć«") became "ƫ" U+01AB.  "ĆÆ" (Æ is not
#      at its own code point in cp1257) was left alone.  The fused form is
#      ambiguous in general, so it is an explicit table (``_FUSED``).


def _code_page_reverse_map(code_page: str) -> dict[str, int]:
    """Map each character of a single-byte code page back to its byte (0x80-0xFF)."""
    reverse: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode(code_page)
        except UnicodeDecodeError:
            # Windows passes bytes its code page leaves undefined through as
            # the code point of the same number (a C1 control).
            char = chr(byte)
        reverse[char] = byte
    return reverse


def _char_class(chars) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


class _CodePageRule:
    """Undo 'UTF-8 bytes read as ``code_page``' for runs that form valid UTF-8."""

    def __init__(self, code_page: str, lead_bytes: set[int]):
        self.code_page = code_page
        self.byte_of = _code_page_reverse_map(code_page)
        char_of = {byte: char for char, byte in self.byte_of.items()}
        continuation = _char_class(char_of[b] for b in range(0x80, 0xC0))
        alternatives = []
        for low, high, trailing in ((0xC2, 0xDF, 1), (0xE0, 0xEF, 2), (0xF0, 0xF4, 3)):
            leads = [char_of[b] for b in range(low, high + 1) if b in lead_bytes]
            if leads:
                alternatives.append(_char_class(leads) + continuation + f"{{{trailing}}}")
        self.pattern = re.compile("|".join(alternatives))

    def _fix(self, match: re.Match) -> str:
        garbled = match.group()
        try:
            fixed = bytes(self.byte_of[char] for char in garbled).decode("utf-8")
        except UnicodeDecodeError:
            return garbled
        if all(_is_plausible_repair(char) for char in fixed):
            return fixed
        return garbled

    def apply(self, text: str) -> str:
        return self.pattern.sub(self._fix, text)


def _is_plausible_repair(char: str) -> bool:
    """Only accept repairs to characters a European blog text actually uses."""
    code = ord(char)
    return (
        0xA0 <= code <= 0x17F  # Latin-1 letters and signs, Latin Extended-A
        or 0x2000 <= code <= 0x2BFF  # punctuation, currency, arrows, symbols, dingbats
        or 0x1F000 <= code <= 0x1FAFF  # emoji
        or code == 0xFE0F  # emoji presentation selector
    )


_CODE_PAGE_RULES = (
    # What the old site did: every lead byte of a UTF-8 sequence.
    _CodePageRule("cp1257", set(range(0xC2, 0xF5))),
    # The most common mojibake elsewhere ("Ã©", "â€™", "Â "), limited to the
    # lead characters that are never right in front of a symbol in real text.
    _CodePageRule("cp1252", {0xC2, 0xC3, 0xE2}),
)


def _build_fused_table() -> dict[str, str]:
    """Fused pairs: "Ć" + X (X at its own code point in cp1257) -> chr(0x100 + X).

    Observed in the files: U+01A9 -> é, U+01AB -> ë.  The other entries follow
    the same rule for the letters the site would garble the same way (ö, ü, ç,
    ó, ...).  Left out: U+01A0 (its byte, A0, became a plain space instead),
    U+01B0 and U+01B7 (ð and ÷ are not Dutch letters; ư is Vietnamese).
    """
    table = {}
    for byte in range(0xA0, 0xC0):
        if bytes([byte]).decode("cp1257", errors="replace") != chr(byte) or byte in (0xA0, 0xB0, 0xB7):
            continue
        table[chr(0x100 + byte)] = bytes([0xC3, byte]).decode("utf-8")
    return table


_FUSED = _build_fused_table()


def _lowercase_a_grave(match: re.Match) -> str:
    # "à" is C3 A0: "Ć" + no-break space, whose A0 became a plain space.  An
    # uppercase letter before "Ć" means real text (Polish or Croatian in capitals).
    start = match.start()
    if start and match.string[start - 1].isupper():
        return match.group()
    return "à"


_EXPLICIT_RULES: tuple[tuple[re.Pattern, object], ...] = (
    # A no-break space (C2 A0 -> "Ā" + U+00A0) whose U+00A0 became a plain
    # space, or was stripped at the end of a line.
    (re.compile(r"Ā(?: |(?=\n)|\Z)"), "\u00a0"),
    # "à" garbled the same way (not seen in the two files).
    (re.compile(r"Ć(?: |(?=\n)|\Z)"), _lowercase_a_grave),
)

_CP1257_BYTE = _code_page_reverse_map("cp1257")
_CP1252_CONTINUATIONS = _char_class(char for char, byte in _code_page_reverse_map("cp1252").items() if 0x80 <= byte < 0xC0)
# What still looks garbled after the repair.
_SUSPECT = re.compile(
    "|".join(
        (
            "\ufffd",  # replacement character: the old site had already lost it
            "[\x00-\x08\x0b-\x1f\x7f-\x9f]",  # control characters
            "[ĀĆ]",  # cp1257 reading of the lead bytes C2 and C3 (see _is_real_word_start)
            "[ÂÃ]" + _CP1252_CONTINUATIONS,  # cp1252 mojibake we did not undo
            "[āâ]€",  # a garbled punctuation mark (E2 80 ..)
            "[\u0180-\u0217\u021c-\u024f]",  # Latin Extended-B: fused pairs not in the table
        )
    )
)


@dataclass(frozen=True)
class _Unrepaired:
    line: int
    column: int
    chars: str
    context: str

    def describe(self) -> str:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in self.chars)
        return f"line {self.line}, column {self.column}: {self.chars!r} ({names}) in “{self.context}”"


def _is_real_word_start(text: str, start: int) -> bool:
    """Is the "Ā" or "Ć" at ``start`` the capital of a real word ("Āboliņš", "Ćosić")?

    Not when inside a word ("aanĀdat"), before a non-letter ("Ā,") or before
    a character that is a UTF-8 continuation byte in cp1257 ("Ćø").
    """
    before = text[start - 1] if start else " "
    after = text[start + 1] if start + 1 < len(text) else " "
    continuation = 0x80 <= _CP1257_BYTE.get(after, 0) < 0xC0
    return not before.isalpha() and after.islower() and not continuation


def _find_unrepaired(text: str) -> list[_Unrepaired]:
    found = []
    for match in _SUSPECT.finditer(text):
        start = match.start()
        if match.group() in "ĀĆ" and _is_real_word_start(text, start):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end == -1:
            line_end = len(text)
        before = text[max(line_start, start - 25) : start]
        after = text[match.end() : min(line_end, match.end() + 25)]
        found.append(
            _Unrepaired(
                line=text.count("\n", 0, start) + 1,
                column=start - line_start + 1,
                chars=match.group(),
                context=f"{before}{match.group()}{after}".strip(),
            )
        )
    return found


def _repair(text: str) -> tuple[str, list[_Unrepaired]]:
    for rule in _CODE_PAGE_RULES:
        text = rule.apply(text)
    for pattern, replacement in _EXPLICIT_RULES:
        text = pattern.sub(replacement, text)
    text = text.translate(str.maketrans(_FUSED))
    return text, _find_unrepaired(text)


def repair_text(text: str) -> tuple[str, list[str]]:
    """Undo the old site's garbling; return the text and what could not be repaired.

    Correct text (é, ï, ², ‘’, –, …, no-break spaces) is left as it is.  Each
    entry of the second value names the character, its line and column (in
    ``text``) and the text around it.  No line is added or removed, so line
    numbers stay those of the input.
    """
    repaired, unrepaired = _repair(text)
    return repaired, [item.describe() for item in unrepaired]


# ---------------------------------------------------------------------------
# Slugs
# ---------------------------------------------------------------------------


def make_slug(value: str) -> str:
    """ASCII, lowercase, words joined by hyphens: the shape of Django's slugify."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^a-z0-9\s_-]", "", ascii_text.lower())
    return re.sub(r"[\s-]+", "-", kept).strip("-_")


# ---------------------------------------------------------------------------
# Reading the bytes
# ---------------------------------------------------------------------------


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\n\t\f\v"


def _decode(raw: bytes) -> str:
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise TypeError(f"parse_article() needs the file's bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    if not raw:
        raise ImportFormatError("The file is empty.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError("The file is saved as UTF-16; save or export it as UTF-8 text and try again.")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise ImportFormatError(f"The file looks like binary data, not a text export (it contains a NUL byte at offset {nul}).")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ImportFormatError(
            f"The file is not UTF-8 text: byte 0x{raw[error.start]:02X} at offset {error.start} "
            f"(line {line}) cannot be read. Export the article as UTF-8 text."
        ) from None
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if not text.strip():
        raise ImportFormatError("The file contains only whitespace: there is no article in it.")
    controls = sum(1 for char in text if _is_control(char))
    if controls > max(3, len(text) // 100):
        raise ImportFormatError(f"The file looks like binary data, not a text export ({controls} control characters).")
    return text


def _clean_line(line: str) -> str:
    line = line.replace("\t", " ")
    return re.sub(r" {2,}", " ", line).strip()


# ---------------------------------------------------------------------------
# Comments section, title, metadata
# ---------------------------------------------------------------------------

# "Opmerkingen", "Opmerkingen----", "3 opmerkingen": the comments widget.
_COMMENTS_LINE = re.compile(r"^[\W\d_]*opmerkingen[\W\d_]*$", re.IGNORECASE)
# ... or the same glued to the end of the last line: "(diverse edities).Opmerkingen".
_COMMENTS_GLUED = re.compile(r"(?<=\S)Opmerkingen[\W\d_]*$")


def _cut_comments(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _COMMENTS_LINE.match(line):
            return lines[:index]
        glued = _COMMENTS_GLUED.search(line)
        if glued:
            return [*lines[:index], line[: glued.start()]]
    return lines


_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")
_CLOSERS = "\"'”’)]»"


def _last_significant(text: str) -> str:
    core = text.rstrip(_CLOSERS + " ")
    return core[-1] if core else ""


def _check_title(title: str, line_number: int) -> None:
    words = title.split()
    if len(title) > TITLE_MAX_CHARS or len(words) > TITLE_MAX_WORDS:
        raise ImportFormatError(
            f"No title found: the first line (line {line_number}) is {len(title)} characters long, "
            f"too long for a title (at most {TITLE_MAX_CHARS}). The first line must be the article's title."
        )
    if not any(char.isalnum() for char in title):
        raise ImportFormatError(f"No title found: the first line (line {line_number}) has no letters or digits.")
    if _BULLET.match(title) or _META_BULLET.match(title):
        raise ImportFormatError(f"No title found: the first line (line {line_number}) is a list or metadata line, “{title}”.")
    last = _last_significant(title)
    paragraph_like = (
        last in ",;:"
        or (last == "." and not title.endswith(("...", "…")) and len(words) > 12)
        or (_SENTENCE_BREAK.search(title) is not None and len(words) > 12)
    )
    if paragraph_like:
        preview = title if len(title) <= 80 else title[:77] + "..."
        raise ImportFormatError(
            f"No title found: the first line (line {line_number}) reads like a paragraph, “{preview}”. "
            "The first line must be the article's title."
        )


_MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "february": 2,
    "mrt": 3, "maa": 3, "maart": 3, "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augustus": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_META_BULLET = re.compile(r"^[-–•·]\s*(\S.*)$")
_UPDATED = re.compile(r"^(?:[-–•·]\s*)?(?:bijgewerkt|geüpdatet|geupdatet|updated)(?:\s+op|\s+on)?\s*:?\s*(.*)$", re.IGNORECASE)
_DATE_SHAPE = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?(?:\s+(\d{4}))?$")
_RELATIVE_DAYS = re.compile(r"^(\d{1,3})\s+dag(?:en)?\s+geleden$", re.IGNORECASE)
_READING = re.compile(
    r"^(?:(\d{1,3})\s*(?:minuten|minuut|min\.?|minutes?)\s+(?:om\s+te\s+lezen|lezen|leestijd|read)"
    r"|leestijd\s*:?\s*(\d{1,3})\s*(?:minuten|minuut|min\.?))$",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*\.?$")


@dataclass
class _ParsedDate:
    value: datetime.date
    year_given: bool


def _most_recent(day: int, month: int, today: datetime.date) -> datetime.date:
    """The latest date with this day and month that is not after ``today``."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate <= today:
            return candidate
    raise ValueError("no such date")


def _parse_date(text: str, *, today: datetime.date, line_number: int) -> _ParsedDate | None:
    """A date as the old site wrote it, or None when ``text`` has no date shape."""
    text = text.strip().rstrip(".").strip()
    lowered = text.lower()
    if lowered == "vandaag":
        return _ParsedDate(today, True)
    if lowered == "gisteren":
        return _ParsedDate(today - datetime.timedelta(days=1), True)
    relative = _RELATIVE_DAYS.match(text)
    if relative:
        return _ParsedDate(today - datetime.timedelta(days=int(relative[1])), True)
    shape = _DATE_SHAPE.match(text)
    if not shape:
        return None
    month = _MONTHS.get(shape[2].lower())
    if month is None:  # "- 5 ademhalingen": not a date, the line stays in the body
        return None
    day = int(shape[1])
    try:
        if shape[3]:
            return _ParsedDate(datetime.date(int(shape[3]), month, day), True)
        return _ParsedDate(_most_recent(day, month, today), False)
    except ValueError:
        raise ImportFormatError(f"Line {line_number}: “{text}” is not a valid date.") from None


def _is_name(text: str) -> bool:
    return len(text) <= 60 and len(text.split()) <= 6 and _NAME.match(text) is not None


@dataclass
class _Metadata:
    author_name: str | None = None
    published: _ParsedDate | None = None
    updated: _ParsedDate | None = None
    reading_minutes: int | None = None


def _parse_metadata(lines: list[str], start: int, today: datetime.date) -> tuple[_Metadata, int]:
    """Read the metadata lines that follow the title; return them and where the body starts."""
    meta = _Metadata()
    index = start
    while index < len(lines):
        line = lines[index]
        line_number = index + 1
        if not line:
            index += 1
            continue
        updated = _UPDATED.match(line)
        if updated and meta.updated is None:
            parsed = _parse_date(updated[1], today=today, line_number=line_number)
            if parsed is None:
                raise ImportFormatError(f"Line {line_number}: cannot read the date in “{line}”.")
            meta.updated = parsed
            index += 1
            continue
        bullet = _META_BULLET.match(line)
        if not bullet:
            break
        value = bullet[1].strip()
        reading = _READING.match(value)
        if reading and meta.reading_minutes is None:
            meta.reading_minutes = int(reading[1] or reading[2])
        elif meta.published is None and (parsed := _parse_date(value, today=today, line_number=line_number)):
            meta.published = parsed
        elif meta.author_name is None and meta.published is None and _is_name(value):
            meta.author_name = value
        else:
            break
        index += 1
    # Both dates without a year: an update cannot come before publication, so
    # in that case the article was published a year earlier.
    published, updated = meta.published, meta.updated
    if published and updated and not published.year_given and not updated.year_given:
        if updated.value < published.value:
            earlier = _most_recent(published.value.day, published.value.month, updated.value)
            meta.published = _ParsedDate(earlier, False)
    return meta, index


# ---------------------------------------------------------------------------
# The body
# ---------------------------------------------------------------------------

_SOURCES_HEADER = re.compile(
    r"^(?:bronnen|bronvermelding|bronnen en referenties|referenties|literatuur|sources|references)\s*:?$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
# Not "*": "* prices include VAT" is a footnote in Dutch texts.
_BULLET = re.compile(r"^[-–—•·▪●◦‣]\s+(\S.*)$")
_SOURCE_MARKER = re.compile(r"^(?:[-–—•*·▪●◦‣]|\[?\d{1,3}[.)\]])\s+")
# "Term - explanation": a short lead phrase, a spaced dash, the explanation.
_TERM_ITEM = re.compile(r"^(?P<term>[^.!?:;…]{2,60}?)[ \u00a0]+[-–—][ \u00a0]+\S")
_QUOTE = re.compile(r"^[\"“„«].{10,}(?:[\"”»][.!?…]?|[.!?…][\"”»])$")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass
class _Block:
    kind: str  # "heading", "paragraph", "bullets", "ordered", "quote"
    lines: list[str]
    level: int = 2
    start: int = 1


def _is_heading(text: str) -> bool:
    """A short, single-sentence line without closing punctuation (a question is allowed)."""
    if len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if _SENTENCE_BREAK.search(text):
        return False
    last = _last_significant(text)
    if last == "?":
        return len(text.split()) >= 2
    return bool(last) and last not in ".!…:;,"


def _is_title_case(text: str) -> bool:
    words = _WORD.findall(text)
    longer = [word for word in words[1:] if len(word) > 3]
    capitalised = sum(1 for word in longer if word[0].isupper())
    return len(words) >= 3 and capitalised >= 2 and capitalised * 2 >= len(longer)


def _is_term_item(text: str) -> bool:
    match = _TERM_ITEM.match(text)
    return bool(match) and len(match["term"].split()) <= 6


def _is_plain_item(text: str, previous: str | None) -> bool:
    """A list line: no sentence at its end (a ';' or ',' list may end with '.')."""
    if len(text) > 300 or _NUMBERED.match(text) or _SOURCES_HEADER.match(text) or _QUOTE.match(text):
        return False
    if _is_title_case(text) and _is_heading(text):
        return False
    last = _last_significant(text)
    if last in ".!?…:":
        return last == "." and previous is not None and _last_significant(previous) in ",;"
    return bool(last)


def _collect_implicit_list(lines: list[str], start: int) -> tuple[list[str], int]:
    """Items right after a line ending in ':', as long as they keep the first item's shape."""
    if start >= len(lines) or not lines[start]:
        return [], start
    first = lines[start]
    if _is_term_item(first):
        belongs = lambda text, previous: _is_term_item(text)  # noqa: E731
    elif _is_plain_item(first, None):
        belongs = _is_plain_item
    else:
        return [], start
    items: list[str] = []
    index = start
    while index < len(lines) and lines[index] and belongs(lines[index], items[-1] if items else None):
        items.append(lines[index])
        index += 1
    return items, index


def _signature_end(lines: list[str], index: int) -> int | None:
    """After a short closing line ending in ',' ("Met warme groet,"): the name lines, up to the end."""
    if len(lines[index]) > 40 or not lines[index].endswith(","):
        return None
    end = index + 1
    while end < len(lines) and lines[end] and not _SOURCES_HEADER.match(lines[end]) and end - index <= 3:
        text = lines[end]
        if len(text) > 60 or _last_significant(text) in ".!?…:;":
            return None
        end += 1
    if end == index + 1:
        return None
    if end < len(lines) and lines[end] and not _SOURCES_HEADER.match(lines[end]):
        return None
    return end


@dataclass
class _Body:
    blocks: list[_Block]
    sources: list[str]


def _parse_body(lines: list[str]) -> _Body:
    """Recognise the structure of the body lines (already cleaned, blank = "").

    Rules, in order:

    * ``Bronnen`` (or a similar word) on its own: every later non-empty line
      is a source.
    * ``N. text`` or ``N) text`` with N the next number of a series (1, 2,
      3, ...): two or more on consecutive lines are an ordered list; a single
      short one without closing punctuation, followed by other text, is a
      numbered step heading (level 3); otherwise an ordered-list item.  Any
      other number ("1995.") is ordinary text.
    * A line starting with a bullet sign (``-``, ``–``, ``•``, ...): bullet
      items.  Not ``*``: that starts a footnote ("* prijzen incl. btw").
    * A line wholly in double quotes: a block quote.
    * A heading (level 2): short (at most 14 words, 100 characters), starts
      with a capital or digit, one sentence, and does not end in . ! … : ; ,
      (a question counts).
    * A short line ending in ',' followed by one to three short lines up to
      a blank line, ``Bronnen`` or the end: a closing with signature, kept as one paragraph
      with line breaks.
    * Any other line is a paragraph.  When it ends in ':', the lines right
      after it that share one shape form a bullet list: either all
      "Term - explanation" lines, or all lines without closing punctuation
      (a line in Title Case ends such a list: it is the next heading).
    """
    blocks: list[_Block] = []
    index = 0
    next_step = 1
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue

        if _SOURCES_HEADER.match(line):
            sources = [_SOURCE_MARKER.sub("", text, count=1) for text in lines[index + 1 :] if text]
            return _Body(blocks, sources)

        numbered = _NUMBERED.match(line)
        if numbered and int(numbered[1]) in (1, next_step):
            run = [(int(numbered[1]), numbered[2])]
            end = index + 1
            while end < len(lines) and (more := _NUMBERED.match(lines[end])) and int(more[1]) == run[-1][0] + 1:
                run.append((int(more[1]), more[2]))
                end += 1
            next_step = run[-1][0] + 1
            if len(run) == 1 and _is_heading(run[0][1]):
                blocks.append(_Block("heading", [f"{run[0][0]}. {run[0][1]}"], level=3))
            else:
                blocks.append(_Block("ordered", [text for _, text in run], start=run[0][0]))
            index = end
            continue

        if _BULLET.match(line):
            items = []
            while index < len(lines) and (bullet := _BULLET.match(lines[index])):
                items.append(bullet[1])
                index += 1
            blocks.append(_Block("bullets", items))
            continue

        if _QUOTE.match(line):
            blocks.append(_Block("quote", [line]))
            index += 1
            continue

        if _is_heading(line):
            blocks.append(_Block("heading", [line]))
            index += 1
            continue

        signature_end = _signature_end(lines, index)
        if signature_end is not None:
            blocks.append(_Block("paragraph", lines[index:signature_end]))
            index = signature_end
            continue

        blocks.append(_Block("paragraph", [line]))
        index += 1
        if line.endswith(":"):
            items, index = _collect_implicit_list(lines, index)
            if items:
                blocks.append(_Block("bullets", items))
    return _Body(blocks, [])


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _escape_inline(text: str) -> str:
    """Escape what Python-Markdown (with "extra") or CommonMark would read as markup."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    return text.replace("<", "&lt;")


def _escape_line(text: str) -> str:
    """Escape a line of running text, including what would start a block."""
    text = _escape_inline(text)
    ordered = _ORDERED_START.match(text)
    if ordered:
        return f"{ordered[1]}\\{ordered[2]}{text[ordered.end() :]}"
    if text.startswith(("#", ">", "+", "-")):
        return "\\" + text
    if re.match(r"^=+\s*$", text):
        return "&#61;" + text[1:]
    if re.match(r"^:(?:\s|$)", text):  # a definition in the "def_list" extension
        return "&#58;" + text[1:]
    if text.startswith("~~~"):  # a fenced code block
        return "&#126;" + text[1:]
    return text


def _escape_heading(text: str) -> str:
    text = _escape_inline(text)
    if text.endswith("#"):  # a closing sequence would be dropped
        text = text[:-1] + "\\#"
    return text


def _render(blocks: list[_Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append("#" * block.level + " " + _escape_heading(block.lines[0]))
        elif block.kind == "paragraph":
            parts.append("  \n".join(_escape_line(text) for text in block.lines))
        elif block.kind == "bullets":
            parts.append("\n".join("- " + _escape_line(text) for text in block.lines))
        elif block.kind == "ordered":
            parts.append("\n".join(f"{number}. {_escape_line(text)}" for number, text in enumerate(block.lines, block.start)))
        elif block.kind == "quote":
            parts.append("> " + _escape_line(block.lines[0]))
    return "\n\n".join(parts) + "\n"


def _excerpt(blocks: list[_Block]) -> str:
    paragraphs = [" ".join(block.lines) for block in blocks if block.kind == "paragraph"]
    real = [text for text in paragraphs if len(text) >= 40 and _last_significant(text) not in ",:"]
    candidates = real or paragraphs or [" ".join(block.lines) for block in blocks if block.kind != "heading"]
    if not candidates:
        return ""
    text = candidates[0]
    if len(text) <= EXCERPT_MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_MAX_CHARS)
    if cut < EXCERPT_MAX_CHARS // 2:
        cut = EXCERPT_MAX_CHARS - 1
    return text[:cut].rstrip(" ,;:–—-(") + "…"


# ---------------------------------------------------------------------------
# The whole article
# ---------------------------------------------------------------------------


def parse_article(
    raw: bytes,
    *,
    today: datetime.date,
    slugify: Callable[[str], str] | None = None,
) -> ImportedArticle:
    """Parse one exported article.

    ``today`` resolves dates written without a year (the most recent such date
    not after ``today``).  ``slugify`` replaces :func:`make_slug` (for example
    Django's ``slugify``).  Raises :class:`ImportFormatError` for a file that
    is not such an article.
    """
    text = _decode(raw)
    repaired, unrepaired = _repair(text)
    lines = _cut_comments([_clean_line(line) for line in repaired.split("\n")])

    title_index = next((i for i, line in enumerate(lines) if line), None)
    if title_index is None:
        raise ImportFormatError("No title found: the file holds nothing before its comments section (“Opmerkingen”).")
    title = lines[title_index]
    _check_title(title, title_index + 1)

    meta, body_start = _parse_metadata(lines, title_index + 1, today)
    body = _parse_body(lines[body_start:])
    if not any(block.kind != "heading" for block in body.blocks):
        raise ImportFormatError(f"The article “{title}” has no body: no text follows its title and metadata.")

    # The sources stay out of the body: the post page shows them in a section of their own.
    headings = [block.lines[0] for block in body.blocks if block.kind == "heading"]

    slug = (slugify or make_slug)(title)
    if not slug:
        raise ImportFormatError(f"The title “{title}” has no letters or digits to make a web address from.")

    kept_lines = len(lines)  # the comments section and what follows are not reported
    return ImportedArticle(
        title=title,
        slug=slug,
        author_name=meta.author_name,
        published_on=meta.published.value if meta.published else None,
        updated_on=meta.updated.value if meta.updated else None,
        stated_reading_minutes=meta.reading_minutes,
        excerpt=_excerpt(body.blocks),
        body_markdown=_render(body.blocks),
        headings=headings,
        sources=body.sources,
        unrepaired=[item.describe() for item in unrepaired if item.line <= kept_lines],
    )
