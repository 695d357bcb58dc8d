"""Shared fixtures: the real project (read only), throwaway copies of it, and one strict build per session."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from bookbuild import build
from bookbuild.prefill import toc_files
from bookbuild.project import PROJECT_PARTS, copy_parts

PROJECT_ROOT = Path(__file__).resolve().parents[1]
from tests.report_text import REPORTS_DIR  # noqa: E402,F401  (re-exported for the chapter tests)


def copy_project(destination: Path, parts=PROJECT_PARTS) -> Path:
    """Copy the parts of the project a build needs (one list, in :mod:`bookbuild.project`) into ``destination``."""
    return copy_parts(PROJECT_ROOT, destination, parts)


#: Pages every trimmed build keeps whole: they execute nothing, and chapters and place pages link to them.
ALWAYS_KEPT = ("book/appendix/references", "book/appendix/evidence-register")


def stub_text(page: Path) -> str:
    """A stand-in for a page: its title (so links to it read the same) and no code to execute."""
    title = next((line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# ")), "# Stub")
    return f"{title}\n\nA stand-in for this page in a trimmed test build.\n"


def trimmed_copy(destination: Path, chapters: list[str]) -> Path:
    """Copy the project, building in full only ``chapters``, the references and the evidence register.

    For tests about one chapter's behaviour (a failing cell, a changed colour): a build that executes a few
    notebooks instead of all. Every other page of the table of contents stays in the build as a stub
    holding only its title, so that links between chapters still resolve. The generated place pages are
    left out of the table of contents (no chapter links to them, and reading 128 of them would make every
    trimmed build slow); the root page is a stub too.
    """
    root = copy_project(destination)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [p.relative_to(root).with_suffix("").as_posix() for p in toc_files(toc, root)
             if "/across/places/" not in p.as_posix()]
    kept = set(chapters) | set(ALWAYS_KEPT)
    stubs = [page for page in pages if page not in kept]
    for page in stubs:
        path = root / f"{page}.md"
        path.write_text(stub_text(path), encoding="utf-8")
    (root / "book" / "probe.md").write_text("# Probe\n\nA stub root page for a trimmed test build.\n")

    def entry(page: str) -> str:
        return f"      - file: {page}\n"

    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/probe\nparts:\n  - caption: Probe\n    chapters:\n"
        + "".join(entry(c) for c in chapters)
        + "  - caption: Appendix\n    chapters:\n" + "".join(entry(p) for p in ALWAYS_KEPT)
        + "  - caption: Stand-ins\n    chapters:\n" + "".join(entry(p) for p in stubs))
    return root


def build_book(root: Path, *, prefill: bool = True) -> subprocess.CompletedProcess:
    """Build the book in ``root`` exactly as ``make book`` does (:mod:`bookbuild.build`: data check, parallel
    prefill, strict build).

    With ``prefill=False`` it is a bare ``jupyter-book build``, as someone might run it by hand: the
    tests of the cache guard use that, so that they test the Sphinx extension and not the prefill.
    """
    return build.run(root, bare=not prefill)


def require_success(process: subprocess.CompletedProcess) -> None:
    """Fail with the build's own output if it did not succeed."""
    if process.returncode != 0:
        pytest.fail(f"book build failed (exit {process.returncode}):\n{process.stdout[-6000:]}\n{process.stderr[-4000:]}")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """A copy of the project built once from a clean state; tests read its _build but never change it.

    ``make check`` builds once itself and points COMPENDIUM_BUILT_BOOK at that build, so the chapter
    tests check the very build it reports on.
    """
    if os.environ.get("COMPENDIUM_BUILT_BOOK"):
        return Path(os.environ["COMPENDIUM_BUILT_BOOK"])
    root = copy_project(tmp_path_factory.mktemp("book"))
    require_success(build_book(root))
    return root


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A throwaway copy of the project, for tests that corrupt or edit files. Whatever finds the project root
    from here on finds the copy, so nothing a test publishes lands in the real project's _build."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("COMPENDIUM_ROOT", str(root))
    return root


def data_rows(name: str) -> list[dict]:
    """Read ``data/<name>.csv`` with the csv module: the independent route the chapter tests use."""
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def same_glued(glued_text: str, expected) -> bool:
    """Whether a glued value (as stored) equals an expected text exactly, or a number to rounding noise."""
    if isinstance(expected, str):
        return glued_text == expected
    return float(glued_text) == pytest.approx(float(expected), rel=1e-12)


def wrong_register_values(glued: dict[str, str], register: dict[str, dict]) -> dict:
    """Glued values named by a stat_id that differ from the register's value (empty when all agree).

    Register values reach the prose through the ``{stat}`` role, which reads the register itself; a chapter
    that still glues one under its stat_id must glue the register's value.
    """
    from_register = {name: text for name, text in glued.items() if name in register}
    return {name: (text, register[name]["value"]) for name, text in from_register.items()
            if float(text) != float(register[name]["value"])}


def wrong_derived_values(glued: dict[str, str], expected: dict[str, object]) -> dict:
    """Derived values that are missing from the glue or differ from their independent recomputation."""
    return {name: (glued.get(name), want) for name, want in expected.items()
            if name not in glued or not same_glued(glued[name], want)}


def unchecked_glue(glued: dict[str, str], *checked: dict) -> list[str]:
    """Glued names that no check covers: a new number in a chapter needs a new check."""
    covered = set().union(*(set(names) for names in checked))
    return sorted(set(glued) - covered)


class ReportChapterChecks:
    """The checks every report chapter's numbers get; a chapter's test module subclasses this as ``Test…``.

    Subclasses set ``chapter`` (the report key), ``register`` (its register rows by stat_id, read with the
    csv module) and ``expected`` (a function returning the derived values, recomputed independently).
    """

    chapter: str
    register: dict[str, dict]
    expected: staticmethod

    @pytest.fixture(scope="class")
    @classmethod
    def chapter_glue(cls, built_book) -> dict[str, str]:
        return glued_values(built_book, cls.chapter)

    def test_register_values_glued_unchanged(self, chapter_glue):
        assert wrong_register_values(chapter_glue, self.register) == {}

    def test_derived_numbers_equal_their_recomputation(self, chapter_glue):
        assert wrong_derived_values(chapter_glue, self.expected()) == {}

    def test_every_glued_number_is_checked(self, chapter_glue):
        assert unchecked_glue(chapter_glue, self.register, self.expected()) == []

    def test_every_statistic_of_the_report_is_shown_in_the_chapter(self, built_book):
        assert generated_column(built_book, f"{self.chapter}-register", "stat_id") == list(self.register)


def generated_column(built_root: Path, name: str, column: str) -> list[str]:
    """Return one column of a generated CSV (the data offered beside a figure or table), as text."""
    with (built_root / "_build" / "generated" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def glued_values(built_root: Path, chapter: str) -> dict[str, str]:
    """Return every value a chapter glued, as the text myst-nb stored for it, keyed by glue name."""
    path = next((built_root / "_build" / "jupyter_execute").rglob(f"{chapter}.glue.json"))
    glued = json.loads(path.read_text())
    return {name: output["data"].get("text/markdown", output["data"].get("text/plain")) for name, output in glued.items()}
