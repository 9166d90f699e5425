"""Tools for checking whole pages in Chromium: axe-core, the W3C Nu HTML checker, and a few facts.

axe-core and the Nu checker (vnu-jar) come from npm, pinned in package.json and
package-lock.json at the repository root; `make test` installs them with
`npm ci --ignore-scripts` into node_modules/. The Nu checker runs offline on Java.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = ("serious", "critical")

# What the page says about itself, read in the browser after it has loaded.
FACTS_JS = r"""() => ({
  title: document.title.trim(),
  h1: document.querySelectorAll('h1').length,
  description: (document.querySelector('meta[name="description"]') || {content: ''}).content.trim(),
  lang: document.documentElement.lang,
  scrollWidth: document.documentElement.scrollWidth,
  tooWide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : '')),
  errors: document.querySelectorAll('main .errorlist, main .form-errors, main [aria-invalid="true"]').length,
})"""

# axe.run with its default rules (WCAG 2.x A and AA plus best practices); only violations come back.
AXE_RUN_JS = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def require_tools():
    """Stop with a clear message when the npm packages or Java are missing."""
    if not AXE_JS.exists() or not VNU_JAR.exists():
        pytest.fail("axe-core or vnu-jar is not installed: run `make test` (it runs `npm ci --ignore-scripts`; "
                    "npm comes with the Debian packages 'nodejs npm').", pytrace=False)
    if not shutil.which("java"):
        pytest.fail("'java' was not found: the HTML checker needs it; install the Debian package 'default-jre-headless' "
                    "(apt-get install default-jre-headless).", pytrace=False)


@dataclass
class Visit:
    """One page as one kind of visitor saw it."""

    url: str
    who: str
    status: int = 0
    html: str = ""
    facts: dict = field(default_factory=dict)
    violations: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    @property
    def label(self):
        return f"{self.url} ({self.who})"


def sitemap_paths(page, sitemap_url="/sitemap.xml") -> list[str]:
    """The path of every <loc> in the sitemap, in its order, each once."""
    response = page.request.get(sitemap_url)
    assert response.ok, f"{sitemap_url} answered {response.status}"
    paths = []
    for loc in page.evaluate("""xml => Array.from(new DOMParser().parseFromString(xml, 'application/xml')
                                   .getElementsByTagNameNS('*', 'loc')).map(e => e.textContent.trim())""", response.text()):
        parts = urlsplit(loc)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def inject_axe(page):
    """axe-core into the page. Playwright's evaluate is not subject to the page's Content-Security-Policy
    (add_script_tag is: `script-src 'self'` refuses its inline script), so the pages are checked under the real CSP."""
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def console_errors_of(page) -> list[str]:
    """The page's console errors (a CSP refusal included) and uncaught errors since the last call."""
    if not hasattr(page, "_studio_console"):
        page._studio_console = []
        page.on("console", lambda message: page._studio_console.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: page._studio_console.append(str(error)))
    found, page._studio_console[:] = list(page._studio_console), []
    return found


def visit(page, url, *, who) -> Visit:
    """Open the page once: keep what the server sent, the page's facts, its console errors and axe's
    serious or critical findings."""
    result = Visit(url=url, who=who)
    console_errors_of(page)
    response = page.goto(url, wait_until="load")
    result.status = response.status if response else 0
    result.html = response.text() if response else ""
    result.facts = page.evaluate(FACTS_JS)
    inject_axe(page)
    result.violations = [v for v in page.evaluate(AXE_RUN_JS) if v["impact"] in BLOCKING_IMPACTS]
    result.console_errors = console_errors_of(page)
    return result


def visit_with_errors(page, url, *, who) -> Visit:
    """Send the page's main form empty (the browser's own checks off) and check the answer with its error messages."""
    console_errors_of(page)
    page.goto(url, wait_until="load")
    page.evaluate("() => document.querySelectorAll('form').forEach(form => { form.noValidate = true; })")
    form = page.locator("main form[method=post]").first
    form.evaluate("form => form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea')"
                  ".forEach(field => { field.value = ''; })")
    with page.expect_navigation(wait_until="load") as navigation:
        form.locator("[type=submit]").first.click()
    response = navigation.value
    result = Visit(url=url, who=f"{who}, form sent empty", status=response.status if response else 0, html=response.text() if response else "")
    result.facts = page.evaluate(FACTS_JS)
    inject_axe(page)
    result.violations = [v for v in page.evaluate(AXE_RUN_JS) if v["impact"] in BLOCKING_IMPACTS]
    result.console_errors = console_errors_of(page)
    return result


def validate_html(visits: list[Visit]) -> dict[str, list[str]]:
    """Every page's HTML as the server sent it, through the Nu checker in one batch: errors per page."""
    with tempfile.TemporaryDirectory(prefix="studio-html-") as folder:
        files = {}
        for number, item in enumerate(visits):
            path = Path(folder) / f"page-{number:04d}.html"
            path.write_text(item.html, encoding="utf-8")
            files[path.name] = item
        run = subprocess.run(["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only", "--exit-zero-always",
                              *sorted(str(Path(folder) / name) for name in files)],
                             capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"the Nu HTML checker gave no report (exit {run.returncode}): {run.stderr[-2000:]}") from error
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") == "info":
            continue
        item = files.get(Path(urlsplit(message.get("url", "")).path).name)
        where = item.label if item else message.get("url", "?")
        line = f"line {message.get('lastLine', '?')}: {message.get('message', '')} [{message.get('extract', '').strip()}]"
        errors.setdefault(where, []).append(line)
    return errors


def screenshot(page, url, path: Path, *, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url, wait_until="load")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def watch_console(page, live_server) -> list[str]:
    """Console errors from now on, on the studio's own pages (the Stripe stand-in's hosted page is not ours)."""
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and page.url.startswith(live_server.url) else None)
    return errors
