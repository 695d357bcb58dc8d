"""Fill the execution cache on every core before Sphinx runs, so a cold build does not execute serially.

myst-nb executes notebooks one after another while Sphinx reads the pages. This step, run by
``make book`` just before the Sphinx build, executes every notebook in the table of contents that has no
up-to-date cache entry, in parallel, with jupyter-cache's own executor and myst-nb's own reader (so the
cache keys are the ones the build looks up). It first applies the same freshness rule as the build
(:mod:`bookbuild.freshness`): after a change to data, helpers or pins the cache is emptied. Sphinx then finds
every notebook cached. A notebook that fails here is simply left uncached: the build then runs it again
and reports the error in full.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

from bookbuild.freshness import discard_stale_outputs, inputs_fingerprint
from helpers.paths import project_root

#: The myst-nb reader registered with jupyter-cache: it parses MyST Markdown notebooks as the build does.
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}
NOTEBOOK_MARKER = "kernelspec:"


def toc_files(toc: dict, root: Path) -> list[Path]:
    """Return every page in ``_toc.yml`` (``file`` and ``glob`` entries), in order, as paths."""
    found: list[Path] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "root" in node or "file" in node:
                found.append(root / f"{node.get('root') or node.get('file')}.md")
            if "glob" in node:
                found.extend(sorted(root.glob(f"{node['glob']}.md")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return list(dict.fromkeys(path for path in found if path.is_file()))


def is_notebook(path: Path) -> bool:
    """Whether a Markdown page is an executable MyST notebook (it names a kernel in its front matter)."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and NOTEBOOK_MARKER in text.split("---", 2)[1]


def notebooks(root: Path) -> list[Path]:
    """Return the executable notebooks of the book, in table-of-contents order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [path for path in toc_files(toc, root) if is_notebook(path)]


def execution_settings(root: Path) -> tuple[Path, int]:
    """Return the cache folder and the per-notebook timeout from ``_config.yml``."""
    execute = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get("execute", {})
    return root / execute.get("cache", "_build/.jupyter_cache"), int(execute.get("timeout", 30))


def prefill(root: Path) -> dict:
    """Execute, in parallel, every notebook without an up-to-date cache entry; return jupyter-cache's summary."""
    cache_dir, timeout = execution_settings(root)
    discard_stale_outputs(cache_dir, root, inputs_fingerprint(root))
    cache = get_cache(str(cache_dir))
    for path in notebooks(root):
        cache.add_nb_to_project(str(path), read_data=MYST_READER)
    executor = load_executor("local-parallel", cache=cache)
    result = executor.run_and_cache(timeout=timeout, allow_errors=False)
    return result.as_json()


def summary(result: dict) -> str:
    """Say in one line what a prefill did."""
    return (f"prefill: executed {len(result.get('succeeded', []))} notebook(s) in parallel, "
            f"{len(result.get('excepted', []))} failed (the build will show why), "
            f"{len(result.get('errored', []))} could not start")


def main() -> int:
    """Run :func:`prefill` for the project in the working directory and say what it did."""
    root = project_root()
    os.environ.setdefault("COMPENDIUM_ROOT", str(root))  # notebooks run in their own folders
    print(summary(prefill(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
