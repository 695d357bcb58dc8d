"""Sphinx extension: stamp the book with the commit and the package versions it was built with.

The colophon page holds a ``{build-stamp}`` directive, which renders the commit the book was built from and
a table of Python and the key packages with their versions. The stamp is recorded with the page that shows
it; when a later build finds another commit (or a tree that became dirty), only that page is read again.

An earlier version passed the stamp through MyST substitutions, a config value: the first edit after a
clean build turned the tree dirty, the config changed, and Sphinx read all forty-odd pages again.

The stamp touches no notebook and no figure, so figures stay byte-identical across builds; two builds of
the same commit give the same page.
"""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: The packages whose versions decide what the book looks like and what it computes.
KEY_PACKAGES = ("jupyter-book", "sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "jupyter-cache",
                "pandas", "numpy", "matplotlib", "frictionless", "sphinxcontrib-bibtex")
#: Where the environment keeps, per page, the stamp the page was read with.
ENV_ATTRIBUTE = "compendium_build_stamps"


def git(root: Path, *args: str) -> str | None:
    """Run a git command in ``root``; return its output, or None outside a checkout."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def describe_commit(root: Path) -> str:
    """Say which commit the book was built from, and whether the tree had uncommitted changes."""
    if git(root, "rev-parse", "--show-toplevel") is None:
        return "not recorded (built outside a git checkout)"
    commit = git(root, "rev-parse", "HEAD") or "unknown"
    dirty = bool(git(root, "status", "--porcelain", "--untracked-files=no"))
    return f"`{commit}`" + (" with uncommitted changes" if dirty else "")


def package_version(name: str) -> str:
    """Return an installed package's version, or 'not installed'."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def versions_table() -> str:
    """A Markdown table of Python and the key packages with their versions."""
    rows = [f"| Python | {platform.python_version()} |"] + [f"| {name} | {package_version(name)} |" for name in KEY_PACKAGES]
    return "\n".join(["| Package | Version |", "| --- | --- |", *rows])


def stamp_text(root: Path) -> str:
    """The MyST the directive renders: the commit sentence and the versions table."""
    return (f"This copy of the book was built from commit {describe_commit(root)} of the compendium, with these "
            "versions of Python and of the packages that decide what it computes and how it looks:\n\n"
            f"{versions_table()}\n")


class BuildStamp(SphinxDirective):
    """``{build-stamp}``: the commit and package versions of this build."""

    def run(self) -> list[nodes.Node]:
        text = stamp_text(Path(self.env.srcdir))
        stamps = getattr(self.env, ENV_ATTRIBUTE, None)
        if stamps is None:
            stamps = {}
            setattr(self.env, ENV_ATTRIBUTE, stamps)
        stamps[self.env.docname] = text
        return self.parse_text_to_nodes(text)


def outdated_stamps(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Return the pages whose stamp no longer matches this build (another commit, a dirty tree)."""
    stamps = getattr(env, ENV_ATTRIBUTE, {})
    current = stamp_text(Path(app.srcdir)) if stamps else None
    return [docname for docname, text in stamps.items() if text != current and docname in env.found_docs]


def forget_page(app: Sphinx, env, docname: str) -> None:
    """Drop a page's stamp when Sphinx reads it again (the directive records it anew)."""
    getattr(env, ENV_ATTRIBUTE, {}).pop(docname, None)


def setup(app: Sphinx) -> dict:
    """Register the directive and the check that re-reads a page whose stamp went stale."""
    app.add_directive("build-stamp", BuildStamp)
    app.connect("env-get-outdated", outdated_stamps)
    app.connect("env-purge-doc", forget_page)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
