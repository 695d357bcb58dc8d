"""make pdf: the whole book in one tagged PDF with bookmarks, every figure embedded, the same text for the same
commit. Printed from the session's built book (Debian's Chromium through Playwright; nothing downloaded)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bookbuild import pdf
from bookbuild.build import build_fingerprint
from bookbuild.downloads import PDF_DIR, PDF_NAME, pdf_is_current
from tests.conftest import PROJECT_ROOT

CHROMIUM = pdf.chromium_path()
MIN_PAGES = 40
REPORTS = ("katwala2017", "morris2021", "hartman2023", "mort2026")


def needs_chromium():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def squeeze(text: str) -> str:
    """Text without white space, ligatures unfolded (ﬁ → fi), for finding a phrase however lines broke."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def structure_figures(path: Path) -> list[str]:
    """The alt text of every Figure element of the PDF's structure tree (what a screen reader announces)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and node.get("/Alt"):
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def figures_not_embedded(path: Path, alts: list[str], text: str | None = None) -> list[str]:
    """Alt texts of figures that the PDF has no Figure element for, or that it prints as text instead."""
    tagged = {squeeze(alt) for alt in structure_figures(path)}
    printed = squeeze(text if text is not None else "".join(pdf_text(path)))
    return [alt for alt in alts if squeeze(alt) not in tagged or squeeze(alt) in printed]


def figure_files(page: BeautifulSoup) -> set[str]:
    """The file names of the built figures (``_images/``) a page shows."""
    return {Path(image["src"]).name for image in page.find_all("img") if "_images/" in image.get("src", "")}


def html_page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "_build" / "html" / name).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def printed(built_book) -> Path:
    """The built book printed to PDF (or the PDF `make pdf` already made from these very inputs)."""
    needs_chromium()
    if not pdf_is_current(built_book, build_fingerprint(built_book)) or \
            not (built_book / pdf.SINGLE_DIR / pdf.PRINT_PAGE).is_file():
        pdf.make_pdf(built_book, rebuild_site=False)
    return built_book / PDF_DIR / PDF_NAME


@pytest.fixture(scope="module")
def text(printed) -> str:
    return "\n".join(pdf_text(printed))


@pytest.fixture(scope="module")
def print_page_html(printed, built_book) -> BeautifulSoup:
    return BeautifulSoup((built_book / pdf.SINGLE_DIR / pdf.PRINT_PAGE).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.build
class TestWholeBook:
    def test_has_the_pages_of_a_book(self, printed):
        from pypdf import PdfReader

        assert len(PdfReader(printed).pages) >= MIN_PAGES

    def test_every_chapter_title_is_in_the_text_and_the_bookmarks(self, built_book, printed, text):
        from pypdf import PdfReader

        toc = (PROJECT_ROOT / "_toc.yml").read_text()
        titles = [html_page(built_book, f"{name}.html").find("h1").get_text(" ", strip=True).rstrip("#").strip()
                  for name in re.findall(r"(?:root|file):\s*(\S+)", toc)]
        top_level = [item.title for item in PdfReader(printed).outline if not isinstance(item, list)]
        assert len(titles) >= 15
        assert [title for title in titles if squeeze(title) not in squeeze(text)] == []
        assert [title for title in titles if title not in top_level] == []

    def test_glued_and_register_numbers_are_in_the_text(self, built_book, text):
        sample = []
        for report in REPORTS:
            page = html_page(built_book, f"book/reports/{report}.html")
            glued = [span.get_text() for span in page.select(".pasted-text")]
            sample += [value for value in glued if len(value) >= 3][:8]
            sample += [link.get_text() for link in page.select("a.stat")][:8]  # register values ({stat})
        assert len(sample) >= 40
        assert [value for value in sample if squeeze(value) not in squeeze(text)] == []

    def test_the_oldham_figures_are_in_the_text(self, built_book, text):
        """Oldham's 2021 census row (counts and shares, beside the report's 2011 figure) is printed, and so
        are the report's 2011 figures for Oldham as checked against the census: both as the web page shows
        them. (Oldham's own place page is left to the web edition.)"""
        page = html_page(built_book, "book/reports/katwala2017.html")
        rows = [row.get_text(" ", strip=True)
                for table_id in ("tbl-katwala2017-proficiency-2021", "tbl-katwala2017-census-checks")
                for row in page.find(id=table_id).find_all("tr")]
        oldham = [row for row in rows if row.startswith("Oldham")]
        assert len(oldham) >= 3
        numbers = [number for row in oldham for number in re.findall(r"\d[\d,.]*", row)]
        assert [number for number in numbers if number not in text] == []

    def test_every_figure_is_embedded_with_its_alt_text(self, printed, print_page_html, text):
        alts = [image["alt"] for image in print_page_html.find_all("img") if "_images/" in image.get("src", "")]
        assert len(alts) >= 15
        assert figures_not_embedded(printed, alts, text) == []

    def test_every_figure_of_the_printed_pages_is_printed(self, built_book, print_page_html):
        """The print page holds the same figures as the web pages it is made of (all but the place pages)."""
        printed = figure_files(print_page_html)
        html = built_book / "_build" / "html"
        web_only = pdf.WEB_ONLY_PREFIX.removeprefix("document-")
        on_the_web = set().union(*(figure_files(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
                                   for page in html.rglob("*.html")
                                   if "_static" not in page.parts
                                   and not page.relative_to(html).as_posix().startswith(web_only)))
        assert len(on_the_web) >= 15 and printed == on_the_web

    def test_figures_are_vectors(self, printed, print_page_html):
        from pypdf import PdfReader

        sources = [image["src"] for image in print_page_html.find_all("img") if "_images/" in image.get("src", "")]
        svg = [source for source in sources if source.endswith(".svg")]
        rasters = sum(1 for page in PdfReader(printed).pages
                      for item in ((page.get("/Resources") or {}).get("/XObject") or {}).values()
                      if item.get_object().get("/Subtype") == "/Image")
        assert len(svg) >= 15 and rasters < len(svg)  # SVG figures are drawn as paths, not embedded as images

    def test_tagged_with_language_and_bookmarks(self, printed):
        from pypdf import PdfReader

        root = PdfReader(printed).trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and str(root["/Lang"]).startswith("en")
        assert len(PdfReader(printed).outline) >= 15

    def test_cover_names_the_commit_and_its_date_and_there_are_contents(self, built_book, text):
        stamp = pdf.commit_stamp(built_book)
        cover = squeeze(text[:2000])
        assert squeeze(f"Printed from commit {stamp['commit']}, committed on {stamp['date']}") in cover
        assert "Contents" in text[:4000]

    def test_no_code_toggle_or_heading_link_is_printed(self, text):
        assert "Show code cell source" not in text and "Hide code cell source" not in text

    def test_the_same_commit_gives_the_same_text(self, built_book, printed, text, tmp_path):
        again = tmp_path / "again.pdf"
        with pdf.serve(built_book / pdf.SINGLE_DIR) as base:
            pdf.print_page(base + pdf.PRINT_PAGE, again)
        page = (built_book / pdf.SINGLE_DIR / pdf.PRINT_PAGE).read_text(encoding="utf-8")
        pdf.finish(again, pdf.heading_texts(page), pdf.commit_stamp(built_book), "")
        assert "\n".join(pdf_text(again)) == text


class TestPrinting:
    def test_a_figure_that_does_not_load_stops_the_print(self, tmp_path):
        """The check can fail: printed from book/intro.html, every figure came out as its alt text."""
        needs_chromium()
        (tmp_path / "page.html").write_text('<html lang="en"><body><h1>Probe</h1>'
                                            '<img src="_images/missing.svg" alt="A chart that did not load"></body></html>')
        with pdf.serve(tmp_path) as base, pytest.raises(RuntimeError, match="missing.svg"):
            pdf.print_page(base + "page.html", tmp_path / "out.pdf")

    def test_a_figure_printed_as_its_alt_text_is_caught(self, tmp_path):
        needs_chromium()
        from playwright.sync_api import sync_playwright

        (tmp_path / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
                                            '<rect width="100" height="50" fill="#0072B2"/></svg>')
        (tmp_path / "page.html").write_text('<html lang="en"><body><h1>Probe</h1>'
                                            '<img src="chart.svg" alt="A blue bar that loaded">'
                                            '<img src="gone.svg" alt="A red bar that did not load"></body></html>')
        with pdf.serve(tmp_path) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=pdf.CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "page.html", wait_until="networkidle")
            page.pdf(path=str(tmp_path / "out.pdf"), tagged=True, outline=True)
            browser.close()
        assert figures_not_embedded(tmp_path / "out.pdf", ["A blue bar that loaded", "A red bar that did not load"]) \
            == ["A red bar that did not load"]


class TestPreparing:
    PAGE = ('<html lang="en"><head><link rel="stylesheet" href="_static/styles/theme.css"><title>t</title></head><body>'
            '<header>menu</header><article class="bd-article"><section id="intro"><h1>Intro<a class="headerlink" '
            'href="#intro">#</a></h1><h2>How to read it</h2><a href="book/intro.html#document-book/a">A</a>'
            '<div class="toctree-wrapper compound"><span id="document-book/a"></span><section id="chapter-a">'
            '<h2>Chapter A</h2><div class="cell tag_hide-input"><details class="hide above-input"><summary>'
            '<p>Show code cell source</p></summary><pre>code</pre></details><div class="cell_output">out</div></div>'
            '<h3>Section</h3></section></div></section></article><footer>foot</footer></body></html>')

    def test_chapters_become_level_one_and_code_toggles_go(self, tmp_path):
        (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n"
                                           "    chapters:\n      - file: book/a\n")
        (tmp_path / "_config.yml").write_text("title: The Book\nauthor: Someone\n")
        stamp = {"commit": "abc123", "date": "2 March 2026", "pdf_date": "D:20260302000000Z"}
        page = pdf.prepare(self.PAGE, tmp_path, stamp)
        soup = BeautifulSoup(page, "html.parser")
        assert [h.name + ":" + h.get_text() for h in soup.select(".print-book h1, .print-book h2, .print-book h3")] \
            == ["h1:Intro", "h2:How to read it", "h1:Chapter A", "h2:Section"]
        assert "Show code cell source" not in page and "code</pre>" not in page and "out" in page
        body = str(soup.body)
        assert "menu" not in body and "foot" not in body and "headerlink" not in body and "<script" not in page
        assert soup.find("a", string="A")["href"] == "#document-book/a"
        assert "Printed from commit <code>abc123</code>, committed on 2 March 2026." in page
        assert [a.get_text() for a in soup.select(".print-contents a")] == ["Intro", "Chapter A"]

    def test_the_cover_date_is_the_commit_s_not_today_s(self, tmp_path):
        environment = {**os.environ, "GIT_AUTHOR_DATE": "2024-02-29T12:00:00", "GIT_COMMITTER_DATE": "2024-02-29T12:00:00",
                       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                       "GIT_COMMITTER_EMAIL": "t@example.org"}
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        for command in (["git", "init", "-q"], ["git", "commit", "-q", "--allow-empty", "-m", "probe"]):
            subprocess.run(command, cwd=tmp_path, env=environment, check=True, capture_output=True)
        stamp = pdf.commit_stamp(tmp_path)
        assert stamp["date"] == "29 February 2024" and stamp["pdf_date"] == "D:20240229000000Z"
        assert re.fullmatch(r"[0-9a-f]{40}", stamp["commit"])

    def test_doubled_bookmark_titles_are_mended(self):
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        first = DictionaryObject({NameObject("/Title"): TextStringObject("ContentsContents")})
        second = DictionaryObject({NameObject("/Title"): TextStringObject("New mayors (BritishNew mayors (BritishFuture)")})
        first[NameObject("/Next")] = second
        outline = DictionaryObject({NameObject("/First"): first})
        assert pdf.mend_outline(outline, ["Contents", "Intro", "New mayors (British Future)"]) == 2
        assert [str(first["/Title"]), str(second["/Title"])] == ["Contents", "New mayors (British Future)"]


@pytest.mark.build
def test_the_place_pages_are_left_to_the_web_edition(print_page_html, text):
    """The generated place digests are not printed (the index is), and nothing links into them."""
    assert print_page_html.find(id=lambda i: i and i.startswith("document-book/across/places/")) is None
    assert not [a["href"] for a in print_page_html.find_all("a", href=True)
                if a["href"].startswith("#document-book/across/places/")]
    assert squeeze("has a page of its own in the web edition") in squeeze(text)
