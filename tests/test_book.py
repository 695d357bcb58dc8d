"""The book as a reader gets it: a strict build from a clean state, alt text, links, downloads,
identical figures on a rebuild, and no figure served from old data."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from bookbuild import checks
from helpers.data import record_hashes
from tests.conftest import (PROJECT_ROOT, build_book, copy_project, generated_column, glued_values, require_success,
                            trimmed_copy)

MORRIS = ["book/reports/morris2021"]

pytestmark = pytest.mark.build
GENERIC_ALT = re.compile(r"^(fig(ure)?\.?\s*\d*|image|chart|graph|plot|png|svg)?$", re.I)


def html_pages(root: Path) -> list[Path]:
    html = root / "_build" / "html"
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def file_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class TestStrictBuild:
    def test_every_chapter_in_the_toc_is_rendered(self, built_book):
        toc = (PROJECT_ROOT / "_toc.yml").read_text()
        files = re.findall(r"(?:root|file):\s*(\S+)", toc)
        missing = [f for f in files if not (built_book / "_build" / "html" / f"{f}.html").is_file()]
        assert files and missing == []

    def test_a_broken_reference_fails_the_build(self, tmp_path):
        root = trimmed_copy(tmp_path / "broken", MORRIS)
        intro = root / "book" / "probe.md"
        intro.write_text(intro.read_text() + "\nSee {numref}`fig-does-not-exist`.\n")
        result = build_book(root)
        assert result.returncode != 0
        assert "fig-does-not-exist" in result.stdout + result.stderr

    def test_a_notebook_error_fails_the_build(self, tmp_path):
        root = trimmed_copy(tmp_path / "failing", MORRIS)
        chapter = root / "book" / "reports" / "morris2021.md"
        chapter.write_text(chapter.read_text().replace('load("esol_learners")', 'load("esol_learnerz")', 1))
        result = build_book(root)
        assert result.returncode != 0
        assert "no resource named 'esol_learnerz'" in result.stdout + result.stderr


class TestWhatReadersSee:
    def test_every_image_has_descriptive_alt_text(self, built_book):
        problems, figures = [], 0
        for page in html_pages(built_book):
            for image in soup(page).find_all("img"):
                alt = (image.get("alt") or "").strip()
                # The theme's own icons (under _static) carry short labels beside their text; figures may not.
                is_theme_icon = "_static/" in image.get("src", "")
                if not is_theme_icon and (GENERIC_ALT.match(alt) or len(alt) < 30):
                    problems.append(f"{page.name}: {image.get('src')} alt={alt!r}")
                figures += not is_theme_icon
        assert figures >= 4 and problems == []

    def test_every_figure_offers_its_data_as_a_csv_that_exists(self, built_book):
        html = built_book / "_build" / "html"
        checked = 0
        for page in html_pages(built_book):
            for figure in soup(page).find_all("figure"):
                links = [a for a in figure.find_all("a") if a.get("href", "").endswith(".csv")]
                assert links, f"{page.name}: figure {figure.get('id')} has no CSV download"
                target = (page.parent / unquote(links[0]["href"])).resolve()
                assert target.is_file() and target.is_relative_to(html.resolve())
                assert target.read_text(encoding="utf-8").count("\n") >= 2
                checked += 1
        assert checked >= 4

    def test_internal_links_and_anchors_resolve(self, built_book):
        html = (built_book / "_build" / "html").resolve()
        ids: dict[Path, set[str]] = {}
        broken = []
        for page in html_pages(built_book):
            for link in soup(page).find_all("a", href=True):
                parsed = urlparse(link["href"])
                if parsed.scheme or link["href"].startswith(("mailto:", "//")):
                    continue
                target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page.resolve()
                if not target.exists() or not target.is_relative_to(html):
                    broken.append(f"{page.name} -> {link['href']}")
                    continue
                if parsed.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {tag["id"] for tag in soup(target).find_all(id=True)}
                    if parsed.fragment not in ids[target]:
                        broken.append(f"{page.name} -> {link['href']} (no such anchor)")
        assert broken == []

    def test_building_leaves_the_data_untouched(self, built_book):
        copied = file_digests(built_book / "data")
        assert copied == file_digests(PROJECT_ROOT / "data")


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    """Another copy built from a clean state, to compare with the first and then to edit."""
    root = copy_project(tmp_path_factory.mktemp("second"))
    require_success(build_book(root))
    return root


class TestReproducible:
    def test_two_clean_builds_give_identical_figures_and_downloads(self, built_book, second_build):
        for folder in ("_images", "_downloads"):
            first = file_digests(built_book / "_build" / "html" / folder)
            assert first, f"no files in {folder}"
            assert file_digests(second_build / "_build" / "html" / folder) == first

    def test_two_clean_builds_give_identical_pages(self, built_book, second_build):
        pages = [p.relative_to(built_book).as_posix() for p in html_pages(built_book)]
        differing = [p for p in pages if (built_book / p).read_bytes() != (second_build / p).read_bytes()]
        assert differing == []


class TestWhatMakeCheckChecks:
    def test_every_generated_csv_traces_back_to_the_data(self, built_book):
        checked, problems = checks.trace_generated(built_book)
        assert checked >= 4 and problems == []

    def test_figures_match_the_recorded_hashes(self, built_book):
        recorded = json.loads((PROJECT_ROOT / checks.RECORDED_FIGURES).read_text())
        assert checks.compare_hashes(checks.figure_hashes(built_book / "_build" / "generated"), recorded) == []

    def test_a_changed_plotting_parameter_is_caught_and_named(self, tmp_path):
        root = trimmed_copy(tmp_path / "restyled", MORRIS)
        chapter = root / "book" / "reports" / "morris2021.md"
        text = chapter.read_text()
        assert text.count('plots.PALETTE["orange"]') == 1
        chapter.write_text(text.replace('plots.PALETTE["orange"]', 'plots.PALETTE["green"]'))
        require_success(build_book(root))
        recorded = json.loads((PROJECT_ROOT / checks.RECORDED_FIGURES).read_text())
        problems = checks.compare_hashes(checks.figure_hashes(root / "_build" / "generated"), recorded)
        assert [p.split("'")[1] for p in problems if " changed " in p] == ["morris2021-language-barriers"]


class TestCacheNeverServesOldData:
    def test_a_data_edit_redraws_the_figures_that_use_it(self, tmp_path):
        root = trimmed_copy(tmp_path / "edited", MORRIS)
        require_success(build_book(root))
        svg = root / "_build" / "generated" / "esol-funding-and-learners.svg"
        funding = root / "data" / "esol_funding.csv"
        with funding.open(encoding="utf-8", newline="") as handle:
            lowest = min(float(r["amount_gbp_million"]) for r in csv.DictReader(handle))
        before_svg, before_glued = svg.read_bytes(), glued_values(root, "morris2021")
        assert float(before_glued["esol-cash-lowest"]) == lowest
        lowered = lowest - 5
        text = funding.read_text()
        assert text.count(f",{lowest:g},") == 1
        funding.write_text(text.replace(f",{lowest:g},", f",{lowered:g},"))
        record_hashes(root)
        require_success(build_book(root, prefill=False))  # the Sphinx extension alone must notice
        assert float(glued_values(root, "morris2021")["esol-cash-lowest"]) == lowered
        assert svg.read_bytes() != before_svg
        drawn = generated_column(root, "esol-funding-and-learners", "amount_gbp_million")
        assert min(float(v) for v in drawn if v) == lowered
        recorded = json.loads((PROJECT_ROOT / checks.RECORDED_FIGURES).read_text())
        problems = checks.compare_hashes(checks.figure_hashes(root / "_build" / "generated"), recorded)
        assert [p.split("'")[1] for p in problems if " changed " in p] == ["esol-funding-and-learners"]

    def test_a_build_after_a_failed_one_still_fails(self, tmp_path):
        root = trimmed_copy(tmp_path / "twice", MORRIS)
        intro = root / "book" / "probe.md"
        intro.write_text(intro.read_text() + "\nSee {numref}`fig-missing-twice`.\n")
        assert build_book(root, prefill=False).returncode != 0
        assert build_book(root, prefill=False).returncode != 0, "the second build hid the first build's warning"


def reread_count(output: str) -> tuple[int, int]:
    """How many pages Sphinx found added and changed, from its "updating environment" line."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)  # Sphinx colours its output
    match = re.search(r"updating environment: (?:\[.*?\] )?(\d+) added, (\d+) changed", plain)
    assert match, output[-3000:]
    return int(match.group(1)), int(match.group(2))


class TestIncrementalBuilds:
    """What a rebuild after an edit reads again: only what the edit can change (timings live in make bench)."""

    @pytest.fixture(scope="class")
    @classmethod
    def committed_build(cls, tmp_path_factory):
        """A trimmed copy committed to git (as a clean clone is), built once."""
        root = trimmed_copy(tmp_path_factory.mktemp("incremental"), MORRIS + ["book/appendix/colophon"])
        (root / ".gitignore").write_text("_build/\nbook/across/places/\n")  # as the project's own
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "probe"]):
            subprocess.run(git + command, cwd=root, check=True, capture_output=True)
        require_success(build_book(root))
        assert "with uncommitted changes" not in (root / "_build" / "html" / "book" / "appendix" /
                                                  "colophon.html").read_text(encoding="utf-8")
        return root

    def test_the_first_prose_edit_after_a_clean_build_rereads_only_that_page(self, committed_build):
        # The first edit makes the tree dirty, which the colophon reports: that page is read again too, and
        # nothing else (it once changed a config value and made Sphinx read every page).
        page = committed_build / "book" / "reports" / "morris2021.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
        result = build_book(committed_build)
        require_success(result)
        assert reread_count(result.stdout) == (0, 2)
        assert "prefill: executed 0 notebook(s)" in result.stdout
        assert "with uncommitted changes" in (committed_build / "_build" / "html" / "book" / "appendix" /
                                              "colophon.html").read_text(encoding="utf-8")

    def test_an_edit_to_the_make_check_module_rereads_and_reruns_nothing(self, committed_build):
        require_success(build_book(committed_build))  # settle any earlier edit
        module = committed_build / "src" / "bookbuild" / "checks.py"
        module.write_text(module.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
        result = build_book(committed_build)
        require_success(result)
        assert "prefill: executed 0 notebook(s)" in result.stdout
        assert reread_count(result.stdout) == (0, 0)

    def test_no_change_does_not_start_sphinx(self, committed_build):
        require_success(build_book(committed_build))
        result = build_book(committed_build)
        require_success(result)
        assert "book: up to date" in result.stdout and "updating environment" not in result.stdout
