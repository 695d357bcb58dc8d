"""Sphinx extension: the execution cache never serves a notebook output drawn from old inputs.

jupyter-cache keys a notebook on its code cells alone, so after an edit to a data file, to the helpers
or to the pinned requirements it would serve the old outputs, and the old figures with them. This
extension fingerprints those inputs (:data:`bookbuild.project.EXECUTION_INPUTS`) at the start of every
build. When the fingerprint differs from the one the cache was filled with, it empties the cache and the
generated figures, and, through a config value that Sphinx compares with the last build, makes Sphinx read
every page again so that every notebook re-executes.

The build tooling (this package) is not among those inputs: notebooks never import it. A change to one of
the Sphinx extensions can still change what a page shows (the ``{stat}`` role's formatting, say), so the
source of every ``bookbuild`` module loaded into the build is fingerprinted into a second config value:
changing it makes Sphinx read every page again, from the cache, without re-executing anything. Modules the
build never loads (``make check``, ``make chapter``, the benchmark) change neither.

It also remembers whether the last build succeeded. After a failed build Sphinx would consider the
failing pages up to date and a second run would exit cleanly without showing the warnings again, so
after a failure the whole environment is read again (the cache is kept: code that did not change is
not re-run for nothing).

Enabled in ``_config.yml`` under ``sphinx: extra_extensions``; it works however the book is built.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from bookbuild.project import EXECUTION_INPUTS, execution_fingerprint, matching_files
from helpers.paths import generated_dir

EXECUTED_WITH = ".executed-with"  # lives inside the generated folder: delete one and you delete both
BUILD_OK = ".compendium-last-build-ok"  # lives in the doctree folder, beside Sphinx's own environment

logger = logging.getLogger(__name__)


def input_files(root: Path) -> list[Path]:
    """Return the files that notebook outputs depend on, in a stable order."""
    return matching_files(root, EXECUTION_INPUTS)


def inputs_fingerprint(root: Path) -> str:
    """Return one sha256 over the names and contents of every file notebook outputs depend on."""
    return execution_fingerprint(root)


def extensions_fingerprint() -> str:
    """Return one sha256 over the source of every ``bookbuild`` module loaded into this build."""
    digest = hashlib.sha256()
    for name in sorted(n for n in sys.modules if n == "bookbuild" or n.startswith("bookbuild.")):
        source = getattr(sys.modules[name], "__file__", None)
        if source:
            digest.update(name.encode() + b"\0" + Path(source).read_bytes())
    return digest.hexdigest()


def cache_path(app: Sphinx) -> Path:
    """Return the folder of the jupyter-cache execution cache that myst-nb uses."""
    return Path(app.srcdir) / (app.config.nb_execution_cache_path or ".jupyter_cache")


def discard_stale_outputs(cache: Path, root: Path, fingerprint: str) -> bool:
    """Empty the execution cache ``cache`` and the generated figures if they were made from other inputs.

    Returns True when something was discarded.
    """
    generated = generated_dir(root)
    stamp = generated / EXECUTED_WITH
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return False
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(generated, ignore_errors=True)
    generated.mkdir(parents=True)
    stamp.write_text(fingerprint + "\n")
    return True


def reread_after_failure(app: Sphinx) -> bool:
    """Drop Sphinx's saved environment if the last build did not succeed; return True if dropped."""
    doctrees = Path(app.doctreedir)
    marker = doctrees / BUILD_OK
    if marker.is_file():
        marker.unlink()  # written back only if this build succeeds
        return False
    (doctrees / "environment.pickle").unlink(missing_ok=True)
    return True


def on_config_inited(app: Sphinx, config) -> None:
    """Compare the inputs with those the cache holds, before Sphinx loads its environment."""
    root = Path(app.srcdir)
    fingerprint = inputs_fingerprint(root)
    # A config value with rebuild="env": when it differs from the last build, Sphinx reads every page.
    config.compendium_inputs = fingerprint
    config.compendium_extensions = extensions_fingerprint()
    if discard_stale_outputs(cache_path(app), root, fingerprint):
        logger.info(f"[freshness] inputs changed ({fingerprint[:12]}): execution cache cleared, notebooks re-run")
    if reread_after_failure(app):
        logger.info("[freshness] no record of a clean last build: reading every page again")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Record a clean build, so the next one can trust Sphinx's saved environment."""
    # With --keep-going, warnings are only counted here; Sphinx turns them into a failing status later.
    if exception is None and app.statuscode == 0 and getattr(app, "_warncount", 0) == 0:
        (Path(app.doctreedir) / BUILD_OK).write_text("ok\n")


def setup(app: Sphinx) -> dict:
    """Register the extension with Sphinx."""
    app.add_config_value("compendium_inputs", "", "env")
    app.add_config_value("compendium_extensions", "", "env")
    # Run before myst-nb touches the cache (it opens it only when a notebook is read, later still).
    app.connect("config-inited", on_config_inited, priority=100)
    app.connect("build-finished", on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
