"""The site's own fonts, icons and manifest: self-hosted, small, licensed, linked from every page."""

import json
import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
CSS = (STATIC / "css" / "studio.css").read_text(encoding="utf-8")


def font_faces():
    return re.findall(r"@font-face\s*\{([^}]*)\}", CSS)


def test_two_latin_font_files_with_their_licence_beside_them():
    fonts = sorted(path.name for path in (STATIC / "fonts").glob("*.woff2"))
    assert fonts == ["lora-latin-600-normal.woff2", "source-sans-3-latin-wght-normal.woff2"]
    for name in fonts:
        assert (STATIC / "fonts" / name).stat().st_size < 32_000, name
    for licence in ("OFL-lora.txt", "OFL-source-sans-3.txt"):
        assert "SIL Open Font License, Version 1.1" in (STATIC / "fonts" / licence).read_text(encoding="utf-8")


def test_each_font_face_swaps_is_latin_only_and_falls_back_to_system_fonts():
    faces = font_faces()
    assert len(faces) == 2
    for face in faces:
        assert "font-display: swap" in face and "unicode-range: U+0000-00FF" in face and 'format("woff2")' in face
        assert re.search(r'url\("\.\./fonts/[a-z0-9-]+\.woff2"\)', face)
    assert re.search(r'--sans: "Source Sans 3", system-ui,[^;]*sans-serif;', CSS)
    assert re.search(r'--heading: "Lora",[^;]*serif;', CSS)


@pytest.mark.django_db
def test_every_page_preloads_the_body_font_and_links_the_manifest(client):
    html = client.get("/").content.decode()
    preloads = re.findall(r'<link rel="preload"[^>]*>', html)
    assert len(preloads) == 1
    assert 'href="/static/fonts/source-sans-3-latin-wght-normal.woff2" as="font" type="font/woff2" crossorigin' in preloads[0]
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#f1e8dc">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/icons/apple-touch-icon.png">' in html
    scripts = re.findall(r"<script [^>]*src=[^>]*>", html)
    assert scripts and all(" defer" in tag for tag in scripts), "no script blocks rendering"


@pytest.mark.django_db
def test_the_menu_button_controls_the_main_menu(client):
    html = client.get("/en/").content.decode()
    button = re.search(r'<button class="menu-button"[^>]*>.*?</button>', html, re.S)[0]
    assert 'aria-expanded="false"' in button and 'aria-controls="site-menu"' in button and "Menu" in button
    assert '<nav id="site-menu" class="site-nav" aria-label="Main menu">' in html


def test_the_manifest_names_the_studio_and_its_icons_exist_in_their_sizes():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["short_name"], manifest["display"], manifest["start_url"]) == (
        "Studio Tree of Life", "Tree of Life", "standalone", "/")
    for icon in manifest["icons"]:
        path = STATIC / icon["src"]
        assert path.exists(), icon
        if icon["type"] == "image/png":
            width, height = icon["sizes"].split("x")
            with Image.open(path) as image:
                assert image.size == (int(width), int(height)), icon
    with Image.open(STATIC / "img" / "icons" / "apple-touch-icon.png") as image:
        assert image.size == (180, 180)
        assert image.convert("RGBA").getextrema()[3] == (255, 255), "opaque, as iOS wants"
