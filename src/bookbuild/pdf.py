"""``make pdf``: the whole book as one tagged PDF with bookmarks, printed by Debian's Chromium.

Jupyter Book 1's ``pdfhtml`` builder drives pyppeteer, which downloads a browser of its own; this machine
cannot. Playwright (pinned for the browser tests) drives the system Chromium instead. In order:

1. **The web book** is built as ``make book`` builds it (:mod:`bookbuild.build`: data checked, cache filled).
2. **A single-page build** (``jupyter-book build --builder singlehtml``, strict) reuses the execution cache.
3. **A print copy of that page** is written beside it (:func:`prepare`): only the book's text, with a cover
   (title, commit and the commit's date, so the same commit gives the same text) and a contents list;
   chapter titles become level-one headings, so the PDF's bookmarks go chapter by chapter; hidden code
   cells, the "#" heading links and the theme's menus are left out; links within the book stay in the
   document. The copy sits at the top of ``_build/singlehtml``, where the paths the single page uses
   (``_images/…``, ``_static/…``) resolve: printed from ``book/intro.html`` every figure came out as its alt text.
4. **Printing**: the copy is served on 127.0.0.1, every image is waited for (a figure that does not load
   stops the run), and Chromium prints it to A4 with ``tagged`` (a structure tree for screen readers, each
   figure with its alt text) and ``outline`` (bookmarks). SVG figures stay vectors.
5. **Finishing** (pypdf): each bookmark gets its heading's text (Chromium 156 doubles the title of a heading
   that starts a page), and the document's dates become the commit's.
6. **Publishing**: the PDF goes to ``_build/pdf/compendium.pdf`` with a record of the inputs it was made
   from; the web book is built once more so that its pages offer it (:mod:`bookbuild.downloads`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from bookbuild.colophon import git
from bookbuild.downloads import PDF_DIR, PDF_NAME, PDF_RECORD
from bookbuild.project import BUILD_FLAGS, build_command, jupyter_book

#: Where the single-page build goes, the page it writes, and the print copy made from it.
SINGLE_DIR = Path("_build") / "singlehtml"
SINGLE_PAGE = Path("book") / "intro.html"
PRINT_PAGE = "compendium-print.html"
#: The print style sheet, shipped beside this module.
PRINT_CSS = Path(__file__).with_name("print.css")
#: Flags that keep a headless Chromium off the network and quick to start as root in a sandbox.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The footer Chromium prints on every page (it fills in the page numbers).
FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#333">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
LAUNCH_TIMEOUT_MS = 60_000
PRINT_TIMEOUT_MS = 300_000
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def chromium_path() -> str:
    """Return the Chromium to print with: ``$COMPENDIUM_CHROMIUM``, else Debian's ``/usr/bin/chromium``."""
    return os.environ.get("COMPENDIUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def singlehtml_command() -> list[str]:
    """Return the strict single-page build command (the same flags as the web book)."""
    return [jupyter_book(), "build", "--builder", "singlehtml", *BUILD_FLAGS, "."]


def commit_stamp(root: Path) -> dict[str, str]:
    """Say which commit the book is printed from, and that commit's date (not today's).

    Parameters
    ----------
    root
        The project root.

    Returns
    -------
    dict
        ``commit`` (the full hash, with " (with uncommitted changes)" when the tree is dirty), ``date``
        (the commit date, as "1 December 2026"; both "not recorded" outside a git checkout) and ``pdf_date``
        (the same day as a PDF date, or empty).
    """
    if git(root, "rev-parse", "--show-toplevel") is None:
        return {"commit": "not recorded (printed outside a git checkout)", "date": "not recorded", "pdf_date": ""}
    commit = git(root, "rev-parse", "HEAD") or "unknown"
    if git(root, "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    day = git(root, "log", "-1", "--format=%cs", "HEAD") or ""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", day)
    date = f"{int(match[3])} {MONTHS[int(match[2]) - 1]} {match[1]}" if match else "unknown"
    return {"commit": commit, "date": date, "pdf_date": f"D:{match[1]}{match[2]}{match[3]}000000Z" if match else ""}


def toc_parts(root: Path) -> list[tuple[str, list[str]]]:
    """Return the table of contents as (part caption, [docname, …]) pairs, the root page first.

    Parameters
    ----------
    root
        The project root holding ``_toc.yml``.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = [("", [toc["root"]])]
    for part in toc.get("parts", []):
        parts.append((part.get("caption", ""), [chapter["file"] for chapter in part.get("chapters", [])]))
    return parts


def chapter_title(soup: BeautifulSoup, docname: str) -> tuple[str, str] | None:
    """Return (anchor id, title) of a page of the single-page build, or None if it is not there."""
    marker = soup.find(id=f"document-{docname}")
    section = marker.find_next("section") if marker else soup.find("section")
    heading = section.find(re.compile(r"^h[1-6]$")) if section else None
    if heading is None:
        return None
    return section.get("id") or marker.get("id"), heading.get_text(" ", strip=True).rstrip("#").strip()


def relevel_chapters(article) -> int:
    """Make each page's title a level-one heading and move its sections up one level.

    In the single-page build the first page's sections and every other page's title are all level two, so
    the bookmarks would put the whole book under the introduction. Returns how many pages were moved.
    """
    moved = 0
    for wrapper in article.select("div.toctree-wrapper"):
        if wrapper.find_parent("div", class_="toctree-wrapper") is not None:
            continue  # pages listed by a page inside the book (the places) move with their parent
        for section in wrapper.find_all("section", recursive=False):
            for heading in section.find_all(re.compile(r"^h[2-6]$")):
                heading.name = f"h{int(heading.name[1]) - 1}"
            moved += 1
    return moved


def cover_html(title: str, author: str, stamp: dict[str, str], contents: list[tuple[str, list[tuple[str, str]]]],
               web_note: str) -> str:
    """The cover and the contents list, as HTML to put before the book's text."""
    lines = ['<section class="print-cover" aria-label="Cover">',
             f'<p class="print-title">{html.escape(title)}</p>',
             f'<p class="print-author">{html.escape(author)}</p>',
             f'<p class="print-stamp">Printed from commit <code>{html.escape(stamp["commit"])}</code>, '
             f'committed on {html.escape(stamp["date"])}.</p>',
             f'<p class="print-note">{html.escape(web_note)}</p>', "</section>",
             '<nav class="print-contents" aria-labelledby="print-contents-title">',
             '<h1 id="print-contents-title">Contents</h1>']
    for caption, entries in contents:
        if caption:
            lines.append(f'<p class="print-part">{html.escape(caption)}</p>')
        lines.append("<ol>" + "".join(f'<li><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>'
                                      for anchor, text in entries) + "</ol>")
    lines.append("</nav>")
    return "\n".join(lines)


def prepare(page: str, root: Path, stamp: dict[str, str]) -> str:
    """Turn the single-page build into the page to print.

    Parameters
    ----------
    page
        The HTML of ``_build/singlehtml/book/intro.html``.
    root
        The project root (for ``_toc.yml`` and ``_config.yml``).
    stamp
        The commit and date, from :func:`commit_stamp`.

    Returns
    -------
    str
        A whole HTML document: the theme's style sheets, the print style sheet, the cover, the contents and
        the book's text; no scripts and none of the theme's menus.
    """
    soup = BeautifulSoup(page, "html.parser")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    title = config.get("title", "")
    article = soup.find("article", class_="bd-article")
    for element in article.select("details.above-input, a.headerlink, script"):
        element.decompose()
    for link in article.find_all("a", href=True):  # links within the book stay in the PDF
        link["href"] = re.sub(r"^book/intro\.html(?=#)", "", link["href"])
    drop_web_only_pages(article)
    contents = []
    for caption, docnames in toc_parts(root):
        entries = [found for found in (chapter_title(soup, docname) for docname in docnames) if found]
        contents.append((caption, entries))
    relevel_chapters(article)
    styles = "".join(str(link) for link in soup.head.find_all("link", rel="stylesheet"))
    note = ("The web edition of this book has the same text, with each figure's data to download and the code "
            "that makes it; every chapter can also be downloaded there as a notebook.")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{soup.html.get("lang", "en")}" data-theme="light" data-mode="light">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f'<meta name="author" content="{html.escape(config.get("author", ""))}">\n{styles}\n'
            f"<style>\n{PRINT_CSS.read_text(encoding='utf-8')}\n</style>\n</head>\n<body>\n<main>\n"
            f"{cover_html(title, config.get('author', ''), stamp, contents, note)}\n"
            f'<div class="print-book">{article.decode_contents()}</div>\n</main>\n</body>\n</html>\n')


#: Generated pages left out of the print: one per place, read on the web (the places index is printed).
WEB_ONLY_PREFIX = "document-book/across/places/"


def drop_web_only_pages(article) -> int:
    """Take the generated place pages out of the single page, keeping the places index; return how many.

    A printed book of a few hundred place digests would bury the chapters; the index and every place's
    figures stay in the web edition. Links that pointed into the removed pages become plain text, so the
    PDF has no link to nowhere.
    """
    markers = [span for span in article.find_all("span", id=True) if span["id"].startswith(WEB_ONLY_PREFIX)]
    removed_ids = set()
    for marker in markers:
        page = marker.find_next_sibling()
        removed_ids.add(marker["id"])
        if page is not None and page.name == "section":
            removed_ids |= {element["id"] for element in page.find_all(id=True)} | {page.get("id", "")}
            page.decompose()
        marker.decompose()
    for link in article.find_all("a", href=True):
        if link["href"].startswith("#") and link["href"][1:] in removed_ids:
            link.unwrap()
    if markers:
        note = BeautifulSoup(f'<p class="web-only-note">Each of the {len(markers)} places above has a page of '
                             "its own in the web edition of this book; they are not printed here.</p>", "html.parser")
        places_index = article.find(id="document-book/across/places")
        section = places_index.find_next_sibling("section") if places_index is not None else None
        (section or article).append(note)
    return len(markers)


def heading_texts(page: str) -> list[str]:
    """Return the text of every heading of the print page, in document order."""
    soup = BeautifulSoup(page, "html.parser")
    return [heading.get_text(" ", strip=True) for heading in soup.find_all(re.compile(r"^h[1-6]$"))]


def squeeze(text: str) -> str:
    """Text without any white space, to compare a bookmark's title with a heading."""
    return re.sub(r"\s+", "", text)


def outline_items(outline) -> list:
    """Every bookmark of a PDF outline dictionary, depth first, in document order."""
    items, item = [], outline.get("/First")
    while item is not None:
        item = item.get_object()
        items.append(item)
        if "/First" in item:
            items.extend(outline_items(item))
        item = item.get("/Next")
    return items


def mend_outline(outline, headings: list[str]) -> int:
    """Give each bookmark the text of its heading; return how many titles changed.

    Chromium 156 writes the title of a heading that starts a page twice, and joins wrapped lines without a
    space ("ContentsContents"); each bookmark takes the first heading, from where the previous one matched,
    whose text (white space aside) ends its title.
    """
    from pypdf.generic import TextStringObject

    changed, start = 0, 0
    for item in outline_items(outline):
        title = squeeze(str(item.get("/Title", "")))
        for index in range(start, len(headings)):
            if title.endswith(squeeze(headings[index])) and squeeze(headings[index]):
                if str(item["/Title"]) != headings[index]:
                    item[TextStringObject("/Title")] = TextStringObject(headings[index])
                    changed += 1
                start = index + 1
                break
    return changed


def finish(path: Path, headings: list[str], stamp: dict[str, str], author: str) -> int:
    """Mend the bookmarks and set the document information of the printed PDF, in place.

    The creation and modification dates become the commit's (not the time of printing), and the author and
    subject are set. Returns how many bookmark titles were mended.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(path))
    outline = writer.root_object.get(NameObject("/Outlines"))
    changed = mend_outline(outline.get_object(), headings) if outline is not None else 0
    information = {"/Author": author, "/Subject": f"Printed from commit {stamp['commit']}"}
    if stamp.get("pdf_date"):
        information.update({"/CreationDate": stamp["pdf_date"], "/ModDate": stamp["pdf_date"]})
    writer.add_metadata(information)
    with path.open("wb") as handle:
        writer.write(handle)
    return changed


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on a free port of 127.0.0.1 for the duration of the block; yield the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def print_page(url: str, destination: Path, chromium: str | None = None) -> dict:
    """Print ``url`` to ``destination`` with Chromium; return what was loaded.

    Every image must load and decode first; a figure that does not is an error, not its alt text printed.

    Parameters
    ----------
    url
        The page to print (served on 127.0.0.1).
    destination
        The PDF to write.
    chromium
        The browser executable; default :func:`chromium_path`.

    Returns
    -------
    dict
        ``images``: how many images the page holds; ``failed``: requests that failed or returned an error.

    Raises
    ------
    RuntimeError
        If an image did not load, or a request failed.
    """
    from playwright.sync_api import sync_playwright

    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium or chromium_path(), args=CHROMIUM_ARGS,
                                             timeout=LAUNCH_TIMEOUT_MS)
        try:
            page = browser.new_page()
            page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
            page.on("response", lambda response: response.status >= 400 and failed.append(
                f"{response.status} {response.url}"))
            page.goto(url, wait_until="networkidle", timeout=PRINT_TIMEOUT_MS)
            page.evaluate("Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
            page.evaluate("document.fonts.ready.then(() => true)")
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
            images = page.evaluate("document.images.length")
            if broken or failed:
                raise RuntimeError(f"not printed: images that did not load {broken}, failed requests {failed}")
            page.emulate_media(media="print")
            destination.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(destination), format="A4", print_background=True, tagged=True, outline=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                     margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        finally:
            browser.close()
    return {"images": images, "failed": failed}


def make_pdf(root: Path, *, chromium: str | None = None, rebuild_site: bool = True) -> Path:
    """Build the single page, prepare it, print it; record what it was made from. Return the PDF's path.

    Parameters
    ----------
    root
        The project root; the web book must already be built (``make book``).
    chromium
        The browser executable; default :func:`chromium_path`.
    rebuild_site
        Build the web book again afterwards so its pages link to the PDF.

    Raises
    ------
    RuntimeError
        If a build fails or a figure does not load.
    """
    from bookbuild.build import build_fingerprint, environment

    fingerprint = build_fingerprint(root)
    status = subprocess.call(singlehtml_command(), cwd=root, env=environment(root))
    if status != 0:
        raise RuntimeError(f"the single-page build failed (exit {status})")
    single = root / SINGLE_DIR
    stamp = commit_stamp(root)
    page = prepare((single / SINGLE_PAGE).read_text(encoding="utf-8"), root, stamp)
    (single / PRINT_PAGE).write_text(page, encoding="utf-8")
    destination = root / PDF_DIR / PDF_NAME
    with serve(single) as base:
        loaded = print_page(base + PRINT_PAGE, destination, chromium)
    author = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get("author", "")
    finish(destination, heading_texts(page), stamp, author)
    (root / PDF_DIR / PDF_RECORD).write_text(json.dumps(
        {"fingerprint": fingerprint, "images": loaded["images"]}, indent=1) + "\n", encoding="utf-8")
    if rebuild_site:
        status = subprocess.call(build_command(), cwd=root, env=environment(root))
        if status != 0:
            raise RuntimeError(f"the web book did not build again with the PDF link (exit {status})")
    return destination


def main(argv: list[str] | None = None) -> int:
    """Build the web book, then print the whole book to ``_build/pdf/compendium.pdf``."""
    from bookbuild import build
    from helpers.paths import project_root

    parser = argparse.ArgumentParser(description="Print the whole book to one PDF.")
    parser.add_argument("--no-site", action="store_true", help="do not rebuild the web book to link the PDF")
    args = parser.parse_args(argv)
    root = project_root()
    os.environ.setdefault("COMPENDIUM_ROOT", str(root))
    started = time.monotonic()
    status = build.main([])
    if status != 0:
        return status
    try:
        path = make_pdf(root, rebuild_site=not args.no_site)
    except RuntimeError as error:
        print(f"pdf: {error}", file=sys.stderr)
        return 1
    print(f"pdf: {path.relative_to(root)} ({path.stat().st_size // 1024} KiB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
