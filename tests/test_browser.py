"""The built site in a real browser (Playwright driving Debian's Chromium, no browser download).

Each page is served over HTTP on 127.0.0.1 and must load with no console error and no failed request,
with every image decoded. The sidebar links work, the search page finds what the book says, and a
figure's download link returns its CSV. A screenshot of each chapter is saved under _build/screenshots.

Every page is audited with axe-core (axe-playwright-python ships it) against the WCAG 2.0, 2.1 and 2.2 A and
AA rules, the experimental ones among them: no violation is allowed, on the pages as they load and with the
evidence register filtered and sorted, a code cell opened, the download menu and the search dialog open.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.build
CHROMIUM = os.environ.get("COMPENDIUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep a headless Chromium off the network and quick to start as root in a sandbox.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LAUNCH_TIMEOUT_MS = 60_000
SCREENSHOTS = PROJECT_ROOT / "_build" / "screenshots"
#: A word the search must find, and the page it must lead to.
SEARCHES = {"Oldham": "book/reports/katwala2017.html", "ESOL": "book/reports/morris2021.html"}
#: Pages worth a screenshot: the chapters, not the generated place pages.
CHAPTER_FOLDERS = ("book/reports/", "book/across/")
#: axe-core's tags for the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output for failures
        pass


@pytest.fixture(scope="module")
def site(built_book):
    """Serve the built HTML on a free port of 127.0.0.1; yield the base URL."""
    html = built_book / "_build" / "html"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Launch Debian's Chromium through Playwright."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS)
        yield launched
        launched.close()


def visit(browser, url: str, *, screenshot: Path | None = None, audit: bool = False) -> dict:
    """Open ``url``; return console errors, failed requests, HTTP errors, undecoded images and, with
    ``audit``, the page's WCAG violations (:func:`axe_violations`).

    The page counts as loaded at its load event once every image has finished loading. What loading showed
    is taken before the audit runs: axe-core fetches the style sheets itself to read them, and resolves a
    sheet's ``@import`` against the page rather than the sheet, so its own requests can fail where the
    browser's did not.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {"console": [], "failed": [], "http": [], "images": []}
    page.on("console", lambda message: message.type == "error" and found["console"].append(message.text))
    page.on("requestfailed", lambda request: found["failed"].append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and found["http"].append(f"{response.status} {response.url}"))
    response = page.goto(url, wait_until="load")
    found["status"] = response.status if response else None
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=30_000)
    found["images"] = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    if screenshot:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    loaded = {key: list(value) if isinstance(value, list) else value for key, value in found.items()}
    loaded["wcag"] = axe_violations(page) if audit else {}
    page.close()
    return loaded


def axe_violations(page) -> dict[str, list[str]]:
    """Run every axe-core rule tagged with a WCAG A or AA criterion on the page as it is now.

    Rules axe marks experimental (label-content-name-mismatch among them) are run too: axe skips them when
    rules are chosen by tag, so they are named one by one. Returns each violated rule with its elements.
    """
    from axe_playwright_python.sync_playwright import Axe

    # Let transitions end first: text fading in has, for a moment, too little contrast.
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")
    axe = Axe()
    page.evaluate(axe.axe_script)
    rules = page.evaluate("tags => axe.getRules(tags).map(rule => rule.ruleId)", WCAG_TAGS)
    results = axe.run(page, options={"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]})
    return {violation["id"]: [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            for violation in results.response["violations"]}


def pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html") if "_static" not in p.parts)


@pytest.fixture(scope="module")
def every_page(site, browser) -> dict[str, dict]:
    """Each page of the site, visited once: what loading it showed, and its WCAG audit."""
    base, html = site
    seen = {}
    for path in pages(html):
        is_chapter = path.startswith(CHAPTER_FOLDERS) and "/places/" not in path
        shot = SCREENSHOTS / (path.replace("/", "__").removesuffix(".html") + ".png") if is_chapter else None
        seen[path] = visit(browser, base + path, screenshot=shot, audit=True)
    return seen


def test_every_page_loads_cleanly(every_page):
    problems = {}
    for path, found in every_page.items():
        bad = {k: v for k, v in found.items() if k not in ("status", "wcag") and v}
        if found["status"] != 200 or bad:
            problems[path] = {"status": found["status"], **bad}
    assert len(every_page) >= 20 and problems == {}


def test_sidebar_links_open_pages(site, browser):
    base, _ = site
    page = browser.new_page()
    page.goto(base + "book/intro.html")
    links = page.eval_on_selector_all("nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)")
    assert len(links) >= 2
    statuses = {link: page.request.get(link).status for link in links}
    page.close()
    assert {link: status for link, status in statuses.items() if status != 200} == {}


@pytest.mark.parametrize(("term", "target"), sorted(SEARCHES.items()))
def test_search_finds_the_chapter(site, browser, term, target):
    base, _ = site
    page = browser.new_page()
    page.goto(f"{base}search.html?q={term}")
    # Results are added one by one; the summary line appears once the search has finished.
    page.wait_for_function("() => /finished/i.test(document.querySelector('#search-results .search-summary')"
                           "?.textContent || '')", timeout=60_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    page.close()
    assert any(target in hit for hit in hits), hits


def test_figure_download_link_returns_its_csv(site, browser):
    base, _ = site
    page = browser.new_page()
    page.goto(base + "book/reports/morris2021.html")
    link = page.locator("figure a[href$='.csv']").first
    response = page.request.get(link.evaluate("a => a.href"))
    body = response.text()
    page.close()
    assert response.status == 200
    assert body.splitlines()[0].startswith("stat_id,") and len(body.splitlines()) >= 3


def test_every_page_passes_the_wcag_audit(every_page):
    assert {path: found["wcag"] for path, found in every_page.items() if found["wcag"]} == {}


def test_the_interactive_parts_pass_the_wcag_audit(site, browser):
    """The evidence register filtered and sorted, a code cell shown, the download menu and search dialog open."""
    base, _ = site
    found = {}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "book/appendix/evidence-register.html", wait_until="networkidle")
    page.fill("input.table-filter", "ESOL")
    page.locator("button.table-sort").first.click()
    found["register filtered and sorted"] = axe_violations(page)
    page.goto(base + "book/reports/morris2021.html", wait_until="networkidle")
    page.locator("details.above-input > summary").first.click()
    found["code cell shown"] = axe_violations(page)
    page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
    page.wait_for_selector(".dropdown-download-buttons .dropdown-menu.show")
    found["download menu open"] = axe_violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+K")
    page.wait_for_selector("#pst-search-dialog[open]")
    found["search dialog open"] = axe_violations(page)
    page.close()
    assert {state: violations for state, violations in found.items() if violations} == {}


def test_the_audit_catches_what_the_theme_got_wrong(tmp_path, browser):
    """The audit can fail: the faults found in the theme before the repairs are reported by rule."""
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Probe</title></head><body><main><h1>Probe</h1>'
        '<button aria-label="Search">Search <kbd>Ctrl</kbd>+<kbd>K</kbd></button>'
        '<details><summary><span class="toctree-toggle"></span></summary><p>Pages</p></details>'
        '<div role="list"><div role="doc-biblioentry">An entry</div></div>'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        '</main></body></html>')
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/page.html")
        violations = axe_violations(page)
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert {"label-content-name-mismatch", "summary-name", "aria-deprecated-role", "image-alt"} <= set(violations)


def test_a_broken_image_and_a_dead_link_are_caught(tmp_path, browser):
    """The checks above can fail: a page with a missing image and a link to nowhere is reported."""
    (tmp_path / "page.html").write_text(
        '<html><body><img src="missing.svg" alt="A chart that is not there"><a href="gone.html">gone</a></body></html>')
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        found = visit(browser, base + "page.html")
        page = browser.new_page()
        dead = page.request.get(base + "gone.html").status
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert found["images"] == [base + "missing.svg"]
    assert any("missing.svg" in entry for entry in found["http"])
    assert dead == 404
