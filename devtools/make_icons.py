"""Draw the home-screen icons of the web app manifest from the tree (static/img/tree.svg).

Run once after changing the tree: `.venv/bin/python devtools/make_icons.py`. Chromium (Debian's, as in the
tests) rasterises the SVG; the PNGs are committed under static/img/icons/ and listed in
static/manifest.webmanifest. "any" icons are the tree on a rounded sand tile; the maskable one fills the
square and keeps the tree inside the middle 80 % (the safe zone a phone's mask never cuts); the
apple-touch-icon is square and opaque, as iOS wants it.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
TREE = (ROOT / "static" / "img" / "tree.svg").read_text(encoding="utf-8")
ICONS = ROOT / "static" / "img" / "icons"
SAND, CREAM = "#f1e8dc", "#faf6f0"

# name, size, tile radius (share of the size), tree size (share of the size), background outside the tile
WANTED = [
    ("icon-192.png", 192, 0.22, 0.74, "transparent"),
    ("icon-512.png", 512, 0.22, 0.74, "transparent"),
    ("icon-maskable-512.png", 512, 0, 0.56, SAND),
    ("apple-touch-icon.png", 180, 0, 0.70, SAND),
]


def page_for(size, radius, tree, outside):
    return f"""<!DOCTYPE html><html><head><style>
      html, body {{ margin: 0; width: {size}px; height: {size}px; background: {outside}; }}
      .tile {{ width: {size}px; height: {size}px; border-radius: {radius * size}px; background: {SAND};
               display: flex; align-items: center; justify-content: center; }}
      .tile svg {{ width: {tree * size}px; height: {tree * size}px; }}
    </style></head><body><div class="tile">{TREE}</div></body></html>"""


def main():
    ICONS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, size, radius, tree, outside in WANTED:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_for(size, radius, tree, outside))
            page.screenshot(path=str(ICONS / name), omit_background=outside == "transparent")
            page.close()
            print(ICONS / name)
        browser.close()


if __name__ == "__main__":
    main()
