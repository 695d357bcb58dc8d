"""Every chapter runs as a plain notebook: converted with jupytext, executed with nbclient top to bottom in a
fresh kernel started from its own folder, with no COMPENDIUM_ROOT and nothing the book build provides."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuild import plainrun, prefill
from tests.conftest import PROJECT_ROOT, copy_project

NOTEBOOKS = [path.relative_to(PROJECT_ROOT).as_posix() for path in prefill.notebooks(PROJECT_ROOT)]
HEADER = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n# Probe\n\n"


def myst_notebook(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(HEADER + f"```{{code-cell}} ipython3\n{code}\n```\n")
    return path


@pytest.fixture(scope="module")
def plain_runs(tmp_path_factory) -> dict[str, str | None]:
    """Every notebook of the table of contents, run plainly (two at a time) in a throwaway copy."""
    root = copy_project(tmp_path_factory.mktemp("plain"))
    results = plainrun.run_notebooks([root / name for name in NOTEBOOKS], workers=2)
    return {path.relative_to(root).as_posix(): error for path, error in results.items()}


def test_the_book_has_its_chapters_to_run():
    assert "book/reports/morris2021.md" in NOTEBOOKS and len(NOTEBOOKS) >= 8


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_chapter_runs_as_a_plain_notebook(plain_runs, notebook):
    assert plain_runs[notebook] is None, plain_runs[notebook]


def test_the_build_s_variables_are_not_passed_on():
    assert "COMPENDIUM_ROOT" not in plainrun.plain_environment({"COMPENDIUM_ROOT": "/x", "PATH": "/bin"})


def test_a_notebook_that_needs_the_build_fails(tmp_path, monkeypatch):
    """The test can fail: a notebook that reads what only the build provides does not run plainly, even when
    the process that runs the tests has COMPENDIUM_ROOT set."""
    monkeypatch.setenv("COMPENDIUM_ROOT", str(PROJECT_ROOT))
    (tmp_path / "data.txt").write_text("42\n")
    needs_root = myst_notebook(tmp_path, "needs-root", 'import os\nprint(os.environ["COMPENDIUM_ROOT"])')
    needs_build = myst_notebook(tmp_path, "needs-build",
                                'import json\njson.load(open("../_build/jupyter_execute/probe.glue.json"))')
    own_folder = myst_notebook(tmp_path, "own-folder", 'assert open("data.txt").read().strip() == "42"')
    results = plainrun.run_notebooks([needs_root, needs_build, own_folder], workers=2)
    assert "KeyError" in results[needs_root]
    assert "FileNotFoundError" in results[needs_build]
    assert results[own_folder] is None  # it runs from its own folder


def test_a_page_read_without_code_cells_is_not_a_pass(tmp_path):
    """A page in which jupytext finds no code cell (misread, or nothing to run) would pass vacuously: it is reported."""
    page = tmp_path / "plain.md"
    page.write_text("---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n# Only prose, no cell to run\n")
    assert "no code cell" in plainrun.execute_notebook(page)
