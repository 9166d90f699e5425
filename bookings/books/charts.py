"""Bar charts drawn on the server as SVG, for the reports page: no script, no inline style (the site's
CSP forbids both), only presentation attributes and classes styled in static/css/studio.css.

A chart is horizontal bars, one row per thing measured (a style, a week, a month), each bar possibly
stacked from several series (products), with the value written at its end, a scale along the
bottom and, for more series, a legend on top. It scales with its box (viewBox); its text is sized
for the page's width and the box never shrinks below a readable width (the CSS scrolls it sideways).
It is an image to assistive technology (role="img") named by its <title> and described by its
<desc>, which says every exact figure in words, so nothing is only in the picture.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.money import euros

# The studio's colours: sage, clay, slate, ochre, plum, deep green.
PALETTE = ["#3d5c43", "#9c4a25", "#4f6d7a", "#9a7530", "#6b4e71", "#2c4431"]
WIDTH, LABELS, VALUES = 600, 200, 100  # the whole box; the room for row labels on the left and values on the right
ROW, BAR, FONT = 28, 18, 13
LEGEND_ROW, AXIS = 24, 26
LABEL_CHARS = 26


@dataclass
class Bar:
    label: str  # the row's name
    values: list  # one number per series (cents, places, percent); below zero is drawn as zero
    text: str  # the value written at the end of the bar
    detail: str = ""  # the row in words, for the description (defaults to "label: text")
    parts: list[str] = field(default_factory=list)  # each series' value in words, for the tooltips


@dataclass
class Chart:
    ident: str  # unique on the page; the ids of the title and description derive from it
    title: str
    bars: list[Bar]
    top: Decimal | int  # the scale's end
    ticks: list[tuple]  # (value, text) along the bottom
    series: list[str] = field(default_factory=list)  # names of the series, when more than one


def svg(chart: Chart) -> SafeString:
    plot = WIDTH - LABELS - VALUES
    legend = LEGEND_ROW if len(chart.series) > 1 else 0
    height = legend + len(chart.bars) * ROW + AXIS
    bottom = legend + len(chart.bars) * ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart.ident}-title" aria-describedby="{chart.ident}-desc" font-size="{FONT}">',
        f'<title id="{chart.ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart.ident}-desc">{escape(" ".join((bar.detail or f"{bar.label}: {bar.text}") + "." for bar in chart.bars))}</desc>',
    ]
    if legend:
        x = LABELS
        out.append('<g class="chart-legend">')
        for index, name in enumerate(chart.series):
            out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
                       f'<text class="chart-text" x="{x + 16}" y="16">{escape(name)}</text>')
            x += 16 + 8 * len(name) + 20
        out.append("</g>")
    out.append('<g class="chart-grid">')
    for value, text in chart.ticks:
        x = LABELS + _length(value, chart.top, plot)
        out.append(f'<line class="chart-gridline" x1="{x}" y1="{legend}" x2="{x}" y2="{bottom}" stroke="#e0d4c3"/>'
                   f'<text class="chart-tick" x="{x}" y="{bottom + 18}" text-anchor="middle">{escape(text)}</text>')
    out.append(f'<line class="chart-axis" x1="{LABELS}" y1="{legend}" x2="{LABELS}" y2="{bottom}" stroke="#57544e"/></g>')
    for row, bar in enumerate(chart.bars):
        y = legend + row * ROW + (ROW - BAR) // 2
        label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[:LABEL_CHARS - 1] + "…"
        out.append(f'<g class="chart-row"><text class="chart-label" x="{LABELS - 8}" y="{y + BAR - 4}" text-anchor="end">'
                   f'<title>{escape(bar.label)}</title>{escape(label)}</text>')
        x = LABELS
        for index, value in enumerate(bar.values):
            length = _length(max(value, 0), chart.top, plot)
            if length <= 0:
                continue
            tip = bar.parts[index] if index < len(bar.parts) else f"{bar.label}: {bar.text}"
            out.append(f'<rect class="chart-bar" x="{x}" y="{y}" width="{length}" height="{BAR}" '
                       f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(tip)}</title></rect>')
            x += length
        out.append(f'<text class="chart-value" x="{x + 6}" y="{y + BAR - 4}">{escape(bar.text)}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text in it went through escape()


def _length(value, top, plot) -> int:
    return round(plot * Decimal(value) / Decimal(top)) if top else 0


def _one_decimal(value) -> str:
    return formats.number_format(value, 1)


def _whole_euros(cents: int) -> str:
    text = euros(cents)
    return text[:-3] if text.endswith((",00", ".00")) else text


def money_ticks(largest: int) -> tuple[int, list[tuple[int, str]]]:
    """A round scale for amounts up to `largest` cents: 1, 2 or 5 times a power of ten euros per step,
    at most five steps. Returns the scale's end and its ticks."""
    target = max(largest, 100) / 4
    magnitude = 10 ** math.floor(math.log10(target))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= target)
    step = max(int(step), 100)
    top = step * max(math.ceil(largest / step), 1)
    return top, [(value, _whole_euros(value)) for value in range(0, top + 1, step)]


PERCENT_TICKS = [(value, f"{value}%") for value in (0, 25, 50, 75, 100)]


# The reports page's charts ----------------------------------------------------------


def occupancy_per_style(rows) -> SafeString:
    bars = [Bar(row["style"], [row["percent"]], f'{_one_decimal(row["percent"])}%',
                _("%(name)s: %(percent)s%% of the places taken (%(taken)d of %(places)d, %(count)d classes)") % {
                    "name": row["style"], "percent": _one_decimal(row["percent"]), "taken": row["taken"], "places": row["places"],
                    "count": row["sessions"]})
            for row in rows]
    return svg(Chart("chart-style", _("Occupancy per style"), bars, 100, PERCENT_TICKS))


def occupancy_per_week(rows) -> SafeString:
    bars = []
    for row in rows:
        label = _("week of %(day)s") % {"day": formats.date_format(row["week"], "j F")}
        bars.append(Bar(label, [row["percent"]], f'{_one_decimal(row["percent"])}%',
                        _("%(name)s: %(percent)s%% of the places taken (%(taken)d of %(places)d)") % {
                            "name": label, "percent": _one_decimal(row["percent"]), "taken": row["taken"], "places": row["places"]}))
    return svg(Chart("chart-week", _("Occupancy per week"), bars, 100, PERCENT_TICKS))


def revenue_per_month(months, products) -> SafeString:
    """Stacked per product: only the products that had money in the period get a colour."""
    shown = [product for product in products if any(month["by_product"].get(product["purpose"]) for month in months)]
    bars = []
    for month in months:
        label = formats.date_format(month["month"], "F Y")
        amounts = [month["by_product"].get(product["purpose"], 0) for product in shown]
        parts = [f'{product["label"]}: {euros(amount)}' for product, amount in zip(shown, amounts, strict=True)]
        words = "; ".join(part for part, amount in zip(parts, amounts, strict=True) if amount)
        bars.append(Bar(label, amounts, euros(month["total"]), f'{label}: {euros(month["total"])} ({words})' if words else "",
                        parts))
    top, ticks = money_ticks(max([sum(max(value, 0) for value in bar.values) for bar in bars] or [0]))
    return svg(Chart("chart-revenue", _("Revenue per month, after refunds"), bars, top, ticks,
                     [product["label"] for product in shown]))
