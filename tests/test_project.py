"""bookbuild.project: one definition of the build command, its inputs and the parts of a copy, used everywhere."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from bookbuild import project
from tests.conftest import PROJECT_ROOT


class TestInputs:
    def test_notebook_outputs_depend_on_data_helpers_and_pins_only(self):
        files = {p.relative_to(PROJECT_ROOT).as_posix() for p in project.matching_files(PROJECT_ROOT,
                                                                                       project.EXECUTION_INPUTS)}
        assert "data/statistics.csv" in files and "src/helpers/data.py" in files and "requirements.txt" in files
        assert not [f for f in files if f.startswith(("src/bookbuild/", "book/", "tests/"))]

    def test_the_book_depends_on_its_pages_tooling_and_data(self):
        files = {p.relative_to(PROJECT_ROOT).as_posix() for p in project.matching_files(PROJECT_ROOT,
                                                                                       project.BUILD_INPUTS)}
        assert {"_config.yml", "_toc.yml", "book/intro.md", "src/bookbuild/evidence.py", "data/statistics.csv"} <= files
        assert not [f for f in files if "__pycache__" in f or f.startswith("book/across/places/")]

    def test_a_tooling_edit_leaves_the_execution_fingerprint_alone(self, project_copy):
        before = project.execution_fingerprint(project_copy)
        (project_copy / "src" / "bookbuild" / "checks.py").write_text("# edited\n")
        assert project.execution_fingerprint(project_copy) == before
        (project_copy / "src" / "helpers" / "plots.py").write_text("# edited\n")
        assert project.execution_fingerprint(project_copy) != before

    def test_the_command_line_prints_a_fingerprint(self):
        result = subprocess.run([sys.executable, "-m", "bookbuild.project", "execution"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.strip() == project.execution_fingerprint(PROJECT_ROOT)


class TestOneDefinition:
    """The build command and the input list are written once; everything else asks bookbuild."""

    def test_the_makefile_runs_the_build_module_and_repeats_no_flag(self):
        makefile = (PROJECT_ROOT / "Makefile").read_text()
        assert re.search(r"^book:.*\n\t\$\(BIN\)/python -m bookbuild\.build$", makefile, re.M)
        assert "jupyter-book build" not in makefile and "--keep-going" not in makefile

    def test_no_test_or_tool_spells_out_the_build_command(self):
        spelled = [p.relative_to(PROJECT_ROOT).as_posix()
                   for folder in ("tests", "src")
                   for p in (PROJECT_ROOT / folder).rglob("*.py")
                   if '"--keep-going"' in p.read_text(encoding="utf-8") and p.name not in ("project.py", "test_project.py")]
        assert spelled == []

    def test_the_pages_workflow_keys_its_cache_on_the_same_inputs(self):
        workflow = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "book.yml").read_text())
        steps = workflow["jobs"]["build"]["steps"]
        fingerprint = next(s for s in steps if s.get("id") == "inputs")
        assert "bookbuild.project execution" in fingerprint["run"]
        cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache"))
        assert "steps.inputs.outputs.execution" in cache["with"]["key"]
        assert "hashFiles('requirements.txt'" not in cache["with"]["key"]

    def test_a_copy_holds_what_a_build_needs(self, tmp_path):
        copy = project.copy_parts(PROJECT_ROOT, tmp_path / "copy")
        assert sorted(p.name for p in copy.iterdir()) == sorted(project.PROJECT_PARTS)
        assert not list(copy.rglob("__pycache__"))
