"""bookbuild.downloads: each chapter offered as an executed notebook (deterministic), and the book's PDF offered
only when it exists and was made from the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from types import SimpleNamespace
from urllib.parse import unquote

import nbformat
import pytest
from bs4 import BeautifulSoup

from bookbuild import downloads
from bookbuild.build import build_fingerprint
from bookbuild.prefill import MYST_READER, notebooks
from tests.conftest import PROJECT_ROOT

MYST = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\nkernelspec:\n"
        "  display_name: Python 3\n  language: python\n  name: python3\n---\n\n# Probe\n\n"
        "```{code-cell} ipython3\nprint(1)\n```\n\nProse.\n\n```{code-cell} ipython3\n2\n```\n")
FIGURE_OUTPUT = ("```{figure} /_build/generated/probe.svg\n:alt: A bar chart of one probe value.\n:name: fig-probe\n\n"
                 "Caption.\n```\n")


def read_myst(path: Path):
    from jupyter_cache.readers import get_reader

    return get_reader(MYST_READER)(str(path))


class TestDeterministicCopies:
    def test_two_reads_differ_until_made_deterministic(self, tmp_path):
        """The check can fail: myst-nb's reader gives random cell ids, so two copies differ as they come."""
        (tmp_path / "probe.md").write_text(MYST)
        first, second = read_myst(tmp_path / "probe.md"), read_myst(tmp_path / "probe.md")
        assert downloads.notebook_bytes(first) != downloads.notebook_bytes(second)
        for notebook in (first, second):
            notebook.cells[1].setdefault("metadata", {})["execution"] = {"iopub.execute_input": "2026-12-01T04:00:00"}
            downloads.make_deterministic(notebook)
        assert downloads.notebook_bytes(first) == downloads.notebook_bytes(second)
        assert [cell.id for cell in first.cells] == ["cell-001", "cell-002", "cell-003", "cell-004"]
        assert "execution" not in first.cells[1].metadata
        nbformat.validate(first)

    def test_a_saved_figure_is_embedded_after_the_output_that_shows_it(self, tmp_path):
        (tmp_path / "_build" / "generated").mkdir(parents=True)
        (tmp_path / "_build" / "generated" / "probe.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=[
            nbformat.v4.new_output("execute_result", data={"text/markdown": FIGURE_OUTPUT, "text/plain": "<M>"},
                                   execution_count=1)])])
        assert downloads.embed_figures(notebook, tmp_path) == 1
        outputs = notebook.cells[0].outputs
        assert outputs[1].data == {"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"/>',
                                   "text/plain": "A bar chart of one probe value."}
        nbformat.validate(notebook)


def fake_app(root: Path, pdf_digest: str = "") -> SimpleNamespace:
    return SimpleNamespace(confdir=str(root), outdir=str(root / "_build" / "html"),
                           config=SimpleNamespace(compendium_pdf=pdf_digest, nb_execution_cache_path=""),
                           env=SimpleNamespace(found_docs=set()),
                           builder=SimpleNamespace(format="html", name="html"))


def menu_context() -> dict:
    return {"header_buttons": [{"label": "download-buttons", "buttons": [{"label": "download-source-button"}]}],
            "pathto": lambda name, resource=0: f"../{name}"}


class TestThePdfLink:
    def test_only_a_pdf_made_from_these_inputs_counts(self, tmp_path):
        folder = tmp_path / downloads.PDF_DIR
        assert not downloads.pdf_is_current(tmp_path, "abc")
        folder.mkdir(parents=True)
        (folder / downloads.PDF_NAME).write_bytes(b"%PDF-1.7\n")
        (folder / downloads.PDF_RECORD).write_text(json.dumps({"fingerprint": "old"}))
        assert not downloads.pdf_is_current(tmp_path, "abc")
        (folder / downloads.PDF_RECORD).write_text(json.dumps({"fingerprint": "abc"}))
        assert downloads.pdf_is_current(tmp_path, "abc")

    def test_the_menu_offers_the_pdf_only_when_there_is_one(self, tmp_path):
        without, with_pdf = menu_context(), menu_context()
        downloads.add_download_links(fake_app(tmp_path), "book/intro", "page.html", without, None)
        downloads.add_download_links(fake_app(tmp_path, "digest"), "book/intro", "page.html", with_pdf, None)
        labels = lambda context: [b["label"] for b in context["header_buttons"][0]["buttons"]]  # noqa: E731
        assert labels(without) == ["download-source-button"]
        assert labels(with_pdf) == ["download-source-button", "download-book-pdf-button"]
        assert with_pdf["header_buttons"][0]["buttons"][-1]["url"] == "../compendium.pdf"

    def test_an_outdated_copy_leaves_the_site(self, tmp_path):
        site = tmp_path / "_build" / "html"
        site.mkdir(parents=True)
        (site / downloads.PDF_NAME).write_bytes(b"%PDF old")
        downloads.copy_pdf(fake_app(tmp_path), None)
        assert not (site / downloads.PDF_NAME).exists()


def test_the_pages_workflow_prints_the_pdf_before_uploading_the_site():
    steps = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "book.yml").read_text())["jobs"]["build"]["steps"]
    runs = [step.get("run") or step.get("uses", "") for step in steps]
    upload = next(i for i, run in enumerate(runs) if "upload-pages-artifact" in run)
    assert runs.index("make book") < runs.index("make pdf") < upload


@pytest.mark.build
class TestTheBuiltSite:
    def test_every_notebook_page_links_an_executed_notebook(self, built_book):
        html = built_book / "_build" / "html"
        checked = 0
        for source in notebooks(built_book):
            page = html / source.relative_to(built_book).with_suffix(".html")
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            links = [a["href"] for a in soup.select("a.btn-download-notebook-button")]
            assert len(links) == 1, f"{page.name}: {links}"
            target = (page.parent / unquote(links[0])).resolve()
            assert target.is_file() and target.is_relative_to(html.resolve()), links[0]
            notebook = nbformat.read(target, as_version=4)
            nbformat.validate(notebook)
            outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
            assert outputs, f"{target.name} has no outputs"
            figures = len(soup.select("figure img"))
            assert sum("image/svg+xml" in output.get("data", {}) for output in outputs) >= min(figures, 1)
            assert all(cell.id.startswith("cell-") for cell in notebook.cells)
            checked += 1
        assert checked >= 8

    def test_a_fresh_copy_is_byte_identical_to_the_published_one(self, built_book, tmp_path):
        source = built_book / "book" / "reports" / "morris2021.md"
        published = built_book / "_build" / "html" / downloads.NOTEBOOK_FOLDER / "book" / "reports" / "morris2021.ipynb"
        cache = built_book / "_build" / ".jupyter_cache"
        assert downloads.publish_notebook(source, tmp_path / "a.ipynb", built_book, cache)
        assert downloads.publish_notebook(source, tmp_path / "b.ipynb", built_book, cache)
        assert (tmp_path / "a.ipynb").read_bytes() == (tmp_path / "b.ipynb").read_bytes() == published.read_bytes()

    def test_the_pdf_is_linked_exactly_when_it_is_current(self, built_book):
        html = built_book / "_build" / "html"
        current = downloads.pdf_is_current(built_book, build_fingerprint(built_book))
        intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
        assert ("compendium.pdf" in intro) == current == (html / downloads.PDF_NAME).is_file()
