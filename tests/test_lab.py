"""make lab: JupyterLab and jupytext pinned apart from the book's requirements, installed only from their file,
with jupytext's notebook as the default viewer for Markdown (here and in Binder). Nothing here starts a server."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from bookbuild import lablock
from tests.conftest import PROJECT_ROOT

LAB_FILE = PROJECT_ROOT / lablock.LAB_REQUIREMENTS
BOOK_FILE = PROJECT_ROOT / lablock.BOOK_REQUIREMENTS
OVERRIDES = PROJECT_ROOT / "binder" / "overrides.json"


def makefile_recipe(target: str) -> list[str]:
    """The recipe lines of a Makefile target (by its name as written before the colon)."""
    lines = (PROJECT_ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


class TestPins:
    def test_jupyterlab_and_jupytext_are_pinned_apart_from_the_book(self):
        lab, book = lablock.read_pins(LAB_FILE), lablock.read_pins(BOOK_FILE)
        assert {"jupyterlab", "jupytext"} <= set(lab)
        assert "jupyterlab" not in book and "jupyter-server" not in book

    def test_the_book_s_own_pins_are_kept(self):
        lab, book = lablock.read_pins(LAB_FILE), lablock.read_pins(BOOK_FILE)
        assert "-c requirements.txt" in LAB_FILE.read_text().splitlines()
        assert {name: (version, book[name]) for name, version in lab.items() if name in book and book[name] != version} == {}

    def test_names_and_versions_only(self):
        text = LAB_FILE.read_text()
        assert "://" not in text and "@" not in text
        lablock.read_pins(LAB_FILE)  # raises on anything but name==version

    def test_a_loose_or_repeated_pin_is_refused(self, tmp_path):
        loose = tmp_path / "loose.txt"
        loose.write_text("jupyterlab>=4\n")
        with pytest.raises(ValueError, match="not a name==version pin"):
            lablock.read_pins(loose)
        repeated = tmp_path / "repeated.txt"
        repeated.write_text("jupyter_server==2.21.1\njupyter-server==2.21.1\n")
        with pytest.raises(ValueError, match="pinned twice"):
            lablock.read_pins(repeated)

    def test_binder_uses_the_same_jupytext(self):
        binder = (PROJECT_ROOT / "binder" / "requirements.txt").read_text()
        pinned = re.search(r"^jupytext==(\S+)$", binder, re.M).group(1)
        assert pinned == lablock.read_pins(LAB_FILE)["jupytext"] == lablock.read_pins(BOOK_FILE)["jupytext"]

    def test_lab_pins_are_what_resolving_adds_to_the_book(self):
        resolved = {"jupyterlab": "4.6.6", "jupytext": "1.19.6", "pandas": "3.1.1", "anyio": "4.16.0"}
        assert lablock.lab_pins(resolved, {"pandas": "3.1.1", "jupytext": "1.19.6"}) == \
            {"anyio": "4.16.0", "jupyterlab": "4.6.6", "jupytext": "1.19.6"}


class TestMakeLab:
    def test_installs_only_from_the_pinned_file(self):
        installs = [line for line in makefile_recipe("$(LAB_INSTALLED)") if "pip install" in line]
        assert installs == ["$(BIN)/python -m pip install --quiet --no-deps -r requirements-lab.txt"]

    def test_make_book_does_not_need_it(self):
        assert not any("requirements-lab" in line for line in makefile_recipe("$(INSTALLED)"))
        assert "jupyterlab" not in (PROJECT_ROOT / "pyproject.toml").read_text()

    def test_starts_jupyterlab_on_the_project_after_installing(self):
        makefile = (PROJECT_ROOT / "Makefile").read_text()
        assert re.search(r"^lab: \$\(LAB_INSTALLED\) ## ", makefile, re.M)
        assert any(line.startswith("$(BIN)/jupyter lab") and "$(CURDIR)" in line for line in makefile_recipe("lab"))

    def test_installs_the_overrides_where_jupyterlab_reads_them(self):
        recipe = makefile_recipe("$(LAB_INSTALLED)")
        assert "cp binder/overrides.json $(LAB_SETTINGS)/overrides.json" in recipe
        assert re.search(r"^LAB_SETTINGS := \$\(VENV\)/share/jupyter/lab/settings$",
                         (PROJECT_ROOT / "Makefile").read_text(), re.M)

    def test_help_lists_lab(self):
        shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=60).stdout
        assert re.search(r"^  make lab\s+\S", shown, re.M)


class TestDefaultViewer:
    def test_markdown_and_myst_open_with_jupytext_s_notebook(self):
        overrides = json.loads(OVERRIDES.read_text())
        viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
        assert viewers == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}

    def test_binder_installs_the_same_overrides(self):
        post_build = PROJECT_ROOT / "binder" / "postBuild"
        text = post_build.read_text()
        assert os.access(post_build, os.X_OK)
        assert 'cp binder/overrides.json "$settings/overrides.json"' in text
        assert "share/jupyter/lab/settings" in text

    def test_the_chapters_carry_the_jupytext_header_the_viewer_needs(self):
        from bookbuild.prefill import notebooks

        for path in notebooks(PROJECT_ROOT):
            header = path.read_text(encoding="utf-8").split("---", 2)[1]
            assert "format_name: myst" in header and "extension: .md" in header, path.name
