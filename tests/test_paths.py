"""helpers.paths: the project root is found from wherever code runs."""

from __future__ import annotations

import pytest

from helpers.paths import data_dir, generated_dir, project_root
from tests.conftest import PROJECT_ROOT


class TestProjectRoot:
    def test_found_from_a_notebook_folder(self):
        assert project_root(PROJECT_ROOT / "book" / "reports") == PROJECT_ROOT

    def test_environment_variable_points_elsewhere(self, project_copy, monkeypatch):
        monkeypatch.setenv("COMPENDIUM_ROOT", str(project_copy / "book"))
        assert project_root() == project_copy

    def test_outside_any_project_says_what_to_do(self, tmp_path, monkeypatch):
        monkeypatch.delenv("COMPENDIUM_ROOT", raising=False)
        with pytest.raises(FileNotFoundError, match="COMPENDIUM_ROOT"):
            project_root(tmp_path)


class TestFolders:
    def test_generated_output_lives_under_build_so_clean_removes_it(self, project_copy):
        assert generated_dir(project_copy) == project_copy / "_build" / "generated"
        assert data_dir(project_copy) == project_copy / "data"


class TestWriteIfChanged:
    def test_same_content_leaves_the_file_and_its_time_alone(self, tmp_path):
        from helpers.paths import write_if_changed

        path = tmp_path / "sub" / "f.svg"
        assert write_if_changed(path, b"<svg/>")
        stamp = path.stat().st_mtime_ns
        assert not write_if_changed(path, b"<svg/>")
        assert path.stat().st_mtime_ns == stamp

    def test_new_content_is_written(self, tmp_path):
        from helpers.paths import write_if_changed

        path = tmp_path / "f.csv"
        write_if_changed(path, b"a\n1\n")
        assert write_if_changed(path, b"a\n2\n") and path.read_bytes() == b"a\n2\n"
