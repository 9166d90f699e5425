"""Light on a phone: the first view of every public page is at most 150 KB transferred (issue 16).

The demo studio in Chromium at 390 × 844, each page in a fresh browser context (nothing cached):
the home page, the timetable, an offering and a blog post, as the demo ships (the studio's drawings)
and with photos uploaded (the about page's photo as the home hero, the offering's own photo), the
latter also at 3 device pixels a point, as a recent iPhone has them. What a
page transfers is read from the browser itself: Navigation Timing for the HTML, Resource Timing
(transferSize, encodedBodySize) for the stylesheet, script, font and pictures it loaded.

The live test server sends static files uncompressed; in production WhiteNoise serves them
compressed (gzip and Brotli, made by collectstatic). So for each text file (CSS, JS, SVG) the test
counts its gzip size (level 9, what WhiteNoise writes; Brotli is smaller still) plus the headers the
browser received; fonts and pictures count as they came. The HTML counts uncompressed, as Django
sends it (a proxy that compresses it only makes it lighter). The figures are printed (pytest -s)
and written to test-artifacts/page-weight.txt.
"""

import gzip
import io
import random
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image, ImageDraw, ImageFilter

from studio.celery import app as celery_app
from tests.conftest import ARTIFACTS
from tests.e2e import pagecheck
from tests.e2e.demo_studio import the_demo_studio

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 150_000  # bytes, the first view of a public page
TIMETABLE_HTML = 30_000  # bytes of HTML, uncompressed
PHONE = {"width": 390, "height": 844}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
TEXT_ENDINGS = (".css", ".js", ".svg", ".json", ".webmanifest")

TIMING_JS = """() => {
  const entry = e => ({url: e.name, kind: e.initiatorType, type: e.contentType || '', transfer: e.transferSize,
                       encoded: e.encodedBodySize, decoded: e.decodedBodySize, blocking: e.renderBlockingStatus || ''});
  return {
    navigation: entry(performance.getEntriesByType('navigation')[0]),
    resources: performance.getEntriesByType('resource').map(entry),
    blockingScripts: [...document.querySelectorAll('script[src]')].filter(s => !s.defer && !s.async && s.type !== 'module').map(s => s.src),
    fontsLoaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
  };
}"""


def a_photo(seed, size=(2400, 1600)):
    """A camera-sized JPEG with a photo's amount of detail (its 480 px WebP is about 20 KB, like a real one)."""
    rnd = random.Random(seed)
    image = Image.merge("RGB", [Image.linear_gradient("L").rotate(angle).resize(size) for angle in (0, 90, 45)])
    draw = ImageDraw.Draw(image)
    for _ in range(4000):
        x, y, r = rnd.randrange(size[0]), rnd.randrange(size[1]), rnd.randrange(4, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rnd.randrange(60, 240), rnd.randrange(60, 220), rnd.randrange(50, 200)))
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(1.5)), Image.effect_noise(size, 40).convert("RGB"), 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return ContentFile(buffer.getvalue())


def upload_photos(offering):
    """The studio uploads a photo for the home page (the about page's) and for the offering; the copies are made on save."""
    page = apps.get_model("studio", "Page").objects.get(key="about")
    page.image.save("zaal.jpg", a_photo(1), save=False)
    page.image_alt_nl, page.image_alt_en = "De zaal in het ochtendlicht", "The room in the morning light"
    page.save()
    offering.photo.save("les.jpg", a_photo(2), save=False)
    offering.photo_alt_nl, offering.photo_alt_en = "Een les in de zaal", "A class in the room"
    offering.save()
    offering.refresh_from_db()
    page.refresh_from_db()
    assert offering.photo_renditions.get("sizes") and page.image_renditions.get("sizes"), "the copies were made on save"


def is_text(resource):
    return resource["type"].startswith(TEXT_TYPES) or urlsplit(resource["url"]).path.endswith(TEXT_ENDINGS)


def weigh(page, url):
    """Open the page in this fresh context and add up what its first view transferred."""
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(TIMING_JS)
    navigation = timing["navigation"]
    html = navigation["decoded"]
    totals = {"html": navigation["transfer"], "css": 0, "js": 0, "font": 0, "image": 0, "other": 0}
    served = navigation["transfer"]
    for resource in timing["resources"]:
        served += resource["transfer"]
        headers = max(0, resource["transfer"] - resource["encoded"])
        body = resource["encoded"]
        if is_text(resource) and resource["encoded"] == resource["decoded"]:  # sent uncompressed here, compressed in production
            body = len(gzip.compress(page.request.get(resource["url"]).body(), compresslevel=9))
        path = urlsplit(resource["url"]).path
        kind = ("css" if path.endswith(".css") else "js" if path.endswith(".js") else "font" if path.endswith((".woff2", ".woff"))
                else "image" if resource["kind"] == "img" or path.endswith((".webp", ".jpg", ".png", ".svg")) else "other")
        totals[kind] += headers + body
    return {"url": url, "html_bytes": html, "served": served, "total": sum(totals.values()), **totals,
            "blocking_scripts": timing["blockingScripts"] + [r["url"] for r in timing["resources"] if r["kind"] == "script" and r["blocking"] == "blocking"],
            "fonts": timing["fontsLoaded"], "resources": [urlsplit(r["url"]).path for r in timing["resources"]]}


def table(rows):
    head = f"{'scenario':<10} {'page':<10} {'HTML raw':>9} {'HTML':>8} {'CSS':>7} {'JS':>6} {'fonts':>7} {'images':>7} {'other':>6} {'TOTAL':>8} {'as served':>10}"
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(f"{row['scenario']:<10} {row['name']:<10} {row['html_bytes']:>9,} {row['html']:>8,} {row['css']:>7,} {row['js']:>6,} "
                     f"{row['font']:>7,} {row['image']:>7,} {row['other']:>6,} {row['total']:>8,} {row['served']:>10,}")
    lines += ["", "Bytes transferred by the first view of each page, Chromium 390 x 844 (device pixel ratio 1; '3x': 3, as an iPhone),",
              "nothing cached. TOTAL: as production sends it "
              "(static text files gzip -9 as WhiteNoise serves them, HTML uncompressed as Django sends it, headers included);",
              "'as served': what the test server sent (no compression). 'HTML raw': the page's HTML, uncompressed.",
              f"Budget: TOTAL <= {BUDGET:,} bytes per page; timetable HTML < {TIMETABLE_HTML:,} bytes."]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def weights(django_db_setup, django_db_blocker, browser, live_server, tmp_path_factory):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    rows = []
    try:
        with django_db_blocker.unblock(), translation.override("nl"), \
                override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")), ROOT_URLCONF="tests.e2e.media_urls"):
            studio = the_demo_studio(timezone.now())
            offering = studio["free"].offering
            post = apps.get_model("blog", "Post").objects.order_by("pk").first()
            pages = [("home", "/"), ("timetable", reverse("classes:timetable")), ("offering", offering.get_absolute_url()),
                     ("post", post.get_absolute_url())]
            for scenario, pixel_ratio in (("drawings", 1), ("photos", 1), ("photos 3x", 3)):
                if scenario == "photos":
                    upload_photos(offering)
                cache.clear()
                for name, url in pages:
                    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE, device_scale_factor=pixel_ratio)
                    try:
                        page = context.new_page()
                        errors = pagecheck.watch_console(page, live_server)
                        row = weigh(page, url)
                        row.update(scenario=scenario, name=name, console_errors=errors)
                        rows.append(row)
                    finally:
                        context.close()
        report = table(rows)
        print("\n" + report)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "page-weight.txt").write_text(report + "\n", encoding="utf-8")
        yield rows
    finally:
        celery_app.conf.task_always_eager = eager
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
            connections.close_all()


def test_the_first_view_of_every_public_page_is_at_most_150_kb(weights):
    heavy = {f"{row['scenario']} {row['name']}": row["total"] for row in weights if row["total"] > BUDGET}
    assert len(weights) == 12
    assert not heavy, f"over {BUDGET:,} bytes: {heavy}"


def test_the_timetable_html_is_under_30_kb(weights):
    for row in weights:
        if row["name"] == "timetable":
            assert 0 < row["html_bytes"] < TIMETABLE_HTML, row["html_bytes"]


def test_no_script_blocks_rendering_and_no_console_error(weights):
    for row in weights:
        assert row["blocking_scripts"] == [], row["url"]
        assert row["console_errors"] == [], row["url"]


def test_the_weight_counts_the_web_font_the_stylesheet_and_the_pictures(weights):
    for row in weights:
        assert "Source Sans 3" in row["fonts"], row["url"]
        assert any(path.endswith(".woff2") for path in row["resources"]) and row["font"] > 20_000
        assert row["css"] > 0 and row["js"] > 0
    for scenario, copy in (("photos", "-480w.webp"), ("photos 3x", "-960w.webp")):
        photos = {row["name"]: row for row in weights if row["scenario"] == scenario}
        for name in ("home", "offering"):
            assert any(path.endswith(copy) for path in photos[name]["resources"]), f"{scenario} {name}: the phone-sized copy"
            assert not any(path.endswith(("-1440w.webp", ".jpg")) for path in photos[name]["resources"]), f"{scenario} {name}: not the large one"
