"""bookbuild.freshness: a change to data, helpers or pins empties the execution cache; nothing else does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bookbuild import freshness


def fake_app(root):
    """The few attributes of a Sphinx application the extension reads."""
    return SimpleNamespace(srcdir=str(root), doctreedir=str(root / "_build" / ".doctrees"),
                           config=SimpleNamespace(nb_execution_cache_path="_build/.jupyter_cache"))


@pytest.fixture
def built_state(project_copy):
    """A project copy that looks built: a filled cache and generated figures made from its current inputs."""
    app = fake_app(project_copy)
    freshness.discard_stale_outputs(freshness.cache_path(app), project_copy, freshness.inputs_fingerprint(project_copy))
    (project_copy / "_build" / ".jupyter_cache").mkdir(parents=True)
    (project_copy / "_build" / ".jupyter_cache" / "entry").write_text("cached")
    (project_copy / "_build" / "generated" / "figure.svg").write_text("<svg/>")
    return project_copy, app


class TestFingerprint:
    def test_changes_when_a_data_file_changes(self, project_copy):
        before = freshness.inputs_fingerprint(project_copy)
        path = project_copy / "data" / "esol_learners.csv"
        path.write_text(path.read_text().replace("110600", "110601"))
        assert freshness.inputs_fingerprint(project_copy) != before

    def test_changes_when_helpers_or_pins_change(self, project_copy):
        before = freshness.inputs_fingerprint(project_copy)
        (project_copy / "src" / "helpers" / "plots.py").write_text("# edited\n", encoding="utf-8")
        after_helpers = freshness.inputs_fingerprint(project_copy)
        (project_copy / "requirements.txt").write_text("pandas==0\n")
        assert len({before, after_helpers, freshness.inputs_fingerprint(project_copy)}) == 3

    def test_ignores_the_build_tooling(self, project_copy):
        before = freshness.inputs_fingerprint(project_copy)
        (project_copy / "src" / "bookbuild" / "checks.py").write_text("# edited\n", encoding="utf-8")
        assert freshness.inputs_fingerprint(project_copy) == before

    def test_ignores_prose(self, project_copy):
        before = freshness.inputs_fingerprint(project_copy)
        (project_copy / "book" / "intro.md").write_text("# Edited\n")
        assert freshness.inputs_fingerprint(project_copy) == before


class TestDiscardStaleOutputs:
    def test_keeps_cache_when_inputs_are_unchanged(self, built_state):
        root, app = built_state
        assert not freshness.discard_stale_outputs(freshness.cache_path(app), root, freshness.inputs_fingerprint(root))
        assert (root / "_build" / ".jupyter_cache" / "entry").is_file()
        assert (root / "_build" / "generated" / "figure.svg").is_file()

    def test_empties_cache_and_figures_when_data_changed(self, built_state):
        root, app = built_state
        path = root / "data" / "esol_funding.csv"
        path.write_text(path.read_text().replace("212.3", "212.4"))
        assert freshness.discard_stale_outputs(freshness.cache_path(app), root, freshness.inputs_fingerprint(root))
        assert not (root / "_build" / ".jupyter_cache").exists()
        assert not (root / "_build" / "generated" / "figure.svg").exists()

    def test_deleted_figures_also_empty_the_cache(self, built_state):
        root, app = built_state
        for path in (root / "_build" / "generated").iterdir():
            path.unlink()
        assert freshness.discard_stale_outputs(freshness.cache_path(app), root, freshness.inputs_fingerprint(root))
        assert not (root / "_build" / ".jupyter_cache").exists()


class TestRereadAfterFailure:
    def test_environment_dropped_unless_last_build_was_clean(self, project_copy):
        app = fake_app(project_copy)
        doctrees = project_copy / "_build" / ".doctrees"
        doctrees.mkdir(parents=True)
        (doctrees / "environment.pickle").write_text("env")
        assert freshness.reread_after_failure(app)
        assert not (doctrees / "environment.pickle").exists()

        (doctrees / "environment.pickle").write_text("env")
        (doctrees / freshness.BUILD_OK).write_text("ok\n")
        assert not freshness.reread_after_failure(app)
        assert (doctrees / "environment.pickle").exists()


class TestExtensionsFingerprint:
    def test_covers_the_bookbuild_modules_loaded_and_nothing_else(self, monkeypatch):
        import bookbuild.evidence  # noqa: F401  (an extension the build loads)

        before = freshness.extensions_fingerprint()
        monkeypatch.delitem(__import__("sys").modules, "bookbuild.evidence")
        assert freshness.extensions_fingerprint() != before
