"""bookbuild.newchapter (make chapter): a forker's new chapter builds; bad names change nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from bookbuild import newchapter
from tests.conftest import build_book, require_success, trimmed_copy

TOC = """format: jb-book
root: book/intro
parts:
  - caption: The reports
    chapters:
      - file: book/reports/a
  - caption: Appendix
    chapters:
      - file: book/appendix/references
"""


class TestCheckName:
    @pytest.mark.parametrize("name", ["probe-analysis", "esol2", "a"])
    def test_slugs_are_accepted(self, name):
        assert newchapter.check_name(name) == name

    @pytest.mark.parametrize("name", ["", "Probe", "two words", "trailing-", "double--hyphen", "../escape", "a_b"])
    def test_other_names_are_refused(self, name):
        with pytest.raises(newchapter.ChapterError):
            newchapter.check_name(name)


class TestTocEdit:
    def test_first_chapter_adds_the_part_before_the_appendix(self):
        edited = newchapter.toc_with_chapter(TOC, "book/analyses/x")
        assert edited.index("- caption: Your analyses") < edited.index("- caption: Appendix")
        assert "    chapters:\n      - file: book/analyses/x\n  - caption: Appendix" in edited

    def test_later_chapters_go_last_in_the_part(self):
        edited = newchapter.toc_with_chapter(newchapter.toc_with_chapter(TOC, "book/analyses/x"), "book/analyses/y")
        assert "      - file: book/analyses/x\n      - file: book/analyses/y\n  - caption: Appendix" in edited


def run_make_chapter(root, name):
    return subprocess.run([sys.executable, "-m", "bookbuild.newchapter", name], cwd=root,
                          capture_output=True, text=True, timeout=60)


class TestCommand:
    def test_bad_name_fails_cleanly_and_writes_nothing(self, project_copy):
        (project_copy / "_toc.yml").write_text(TOC)
        result = run_make_chapter(project_copy, "Bad Name")
        assert result.returncode == 2 and "not a usable name" in result.stderr
        assert (project_copy / "_toc.yml").read_text() == TOC
        assert list((project_copy / "book").rglob("analyses/*.md")) == []

    def test_existing_chapter_is_not_overwritten(self, project_copy):
        (project_copy / "_toc.yml").write_text(TOC)
        assert run_make_chapter(project_copy, "probe").returncode == 0
        chapter = project_copy / "book" / "analyses" / "probe.md"
        chapter.write_text("# My work\n")
        toc = (project_copy / "_toc.yml").read_text()
        result = run_make_chapter(project_copy, "probe")
        assert result.returncode == 2 and "exists already" in result.stderr
        assert chapter.read_text() == "# My work\n"
        assert (project_copy / "_toc.yml").read_text() == toc

    def test_name_of_an_existing_report_chapter_is_refused(self, project_copy):
        result = run_make_chapter(project_copy, "morris2021")
        assert result.returncode == 2 and "exists already" in result.stderr


@pytest.mark.build
def test_new_chapter_renders_with_a_figure_from_the_data(tmp_path):
    root = trimmed_copy(tmp_path / "forked", ["book/reports/morris2021"])
    assert run_make_chapter(root, "probe-analysis").returncode == 0
    require_success(build_book(root))
    page = root / "_build" / "html" / "book" / "analyses" / "probe-analysis.html"
    images = [img for img in BeautifulSoup(page.read_text(), "html.parser").find_all("img") if "_images/" in img["src"]]
    assert len(images) == 1 and images[0]["alt"].startswith("Horizontal bar chart of how many statistics")
    assert (root / "_build" / "generated" / "probe-analysis-statistics-by-report.csv").is_file()
