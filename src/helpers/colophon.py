"""Sphinx extension: stamp the book with the commit and the package versions it was built with.

The values reach the colophon page as MyST substitutions (``{{ commit }}``, ``{{ versions_table }}``), set
when the build starts. They touch no notebook and no figure, so figures stay byte-identical across
builds; two builds of the same commit give the same page.
"""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.application import Sphinx

#: The packages whose versions decide what the book looks like and what it computes.
KEY_PACKAGES = ("jupyter-book", "sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "jupyter-cache",
                "pandas", "numpy", "matplotlib", "frictionless", "sphinxcontrib-bibtex")


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


def on_config_inited(app: Sphinx, config) -> None:
    """Add the stamp to the MyST substitutions, keeping any the book defines itself."""
    config.myst_substitutions = {**(config.myst_substitutions or {}),
                                 "commit": describe_commit(Path(app.srcdir)), "versions_table": versions_table()}


def setup(app: Sphinx) -> dict:
    """Register the extension with Sphinx."""
    app.connect("config-inited", on_config_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
