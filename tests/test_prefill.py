"""bookbuild.prefill: finding the book's notebooks, and a parallel fill that the build then uses."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bookbuild import prefill
from tests.conftest import PROJECT_ROOT, build_book, require_success, trimmed_copy


class TestFindingNotebooks:
    def test_toc_files_follow_files_and_globs_in_order(self, tmp_path):
        for name in ("intro", "a", "parts/b", "parts/c"):
            (tmp_path / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / f"{name}.md").write_text("# x\n")
        toc = {"root": "intro", "parts": [{"chapters": [{"file": "a"}, {"glob": "parts/*"}, {"file": "missing"}]}]}
        assert [p.relative_to(tmp_path).as_posix() for p in prefill.toc_files(toc, tmp_path)] == \
            ["intro.md", "a.md", "parts/b.md", "parts/c.md"]

    def test_only_pages_with_a_kernel_are_notebooks(self, tmp_path):
        (tmp_path / "nb.md").write_text("---\nkernelspec:\n  name: python3\n---\n# N\n")
        (tmp_path / "page.md").write_text("# Plain page mentioning kernelspec: in its text\n")
        assert prefill.is_notebook(tmp_path / "nb.md")
        assert not prefill.is_notebook(tmp_path / "page.md")

    def test_the_book_has_its_chapters_as_notebooks(self):
        found = [p.relative_to(PROJECT_ROOT).as_posix() for p in prefill.notebooks(PROJECT_ROOT)]
        assert "book/reports/morris2021.md" in found
        assert "book/intro.md" not in found


@pytest.mark.build
def test_build_after_prefill_executes_nothing(tmp_path):
    root = trimmed_copy(tmp_path / "prefilled", ["book/reports/morris2021", "book/reports/mort2026"])
    environment = {**os.environ, "COMPENDIUM_ROOT": str(root)}
    filled = subprocess.run([sys.executable, "-m", "bookbuild.prefill"], cwd=root, env=environment,
                            capture_output=True, text=True, timeout=600)
    assert filled.returncode == 0, filled.stderr
    result = build_book(root, prefill=False)  # the bare build: it must find every notebook cached
    require_success(result)
    expected = len(prefill.notebooks(root))
    assert result.stdout.count("Using cached notebook") == expected
    assert "Executed notebook" not in result.stdout
