"""``make book``: check the data, fill the execution cache on both cores, then build the book strictly.

The one way the book is built, whoever builds it: the Makefile, the tests' throwaway copies, ``make check``
and the benchmark all run ``python -m bookbuild.build`` (or :func:`run` from Python). In order:

1. **The data first.** Every resource of ``data/datapackage.json`` is loaded and checked (schema, hash,
   foreign keys). On a problem the build stops before any notebook runs, with one message naming the file,
   row, column, what was expected and what was found, as the last lines of output.
2. **Nothing to do?** When the fingerprint of every build input (:data:`bookbuild.project.BUILD_INPUTS`,
   plus the commit the colophon reports) equals the one the last successful build recorded, it stops there.
3. **Prefill**: notebooks without an up-to-date cache entry execute in parallel (:mod:`bookbuild.prefill`).
4. **Build**: ``jupyter-book build -W -n --keep-going .`` (:func:`bookbuild.project.build_command`).

``--bare`` skips 1 to 3: a plain ``jupyter-book build``, as someone might run by hand; the tests of the
cache guard use it to show that the Sphinx extension alone keeps the cache honest.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bookbuild.colophon import describe_commit
from bookbuild.project import BUILD_INPUTS, BUILT_STAMP, build_command, fingerprint, matching_files
from helpers.data import validate_package
from helpers.paths import project_root


def build_fingerprint(root: Path) -> str:
    """Fingerprint of everything the rendered book depends on, the commit included."""
    return fingerprint(root, matching_files(root, BUILD_INPUTS), describe_commit(root))


def is_up_to_date(root: Path, current: str) -> bool:
    """Whether the last successful build was made from exactly these inputs."""
    stamp = root / BUILT_STAMP
    return stamp.is_file() and stamp.read_text().strip() == current


def data_problems(root: Path) -> str | None:
    """Return one message listing every problem in the data package, or None when it is sound."""
    problems = validate_package(root)
    if not problems:
        return None
    return ("The book was not built: the data do not pass their checks.\n" + "\n".join(problems)
            + "\nFix the file named above (or, after a deliberate edit, run `make lock-data`), then build again.")


def environment(root: Path) -> dict[str, str]:
    """The environment builds run in: notebooks execute in their own folder and find the project from here."""
    return {**os.environ, "COMPENDIUM_ROOT": str(root)}


def run(root: Path, *, bare: bool = False, capture: bool = True) -> subprocess.CompletedProcess:
    """Build the book in ``root`` as ``make book`` does; return the finished process (output captured)."""
    return subprocess.run([sys.executable, "-m", "bookbuild.build", *(["--bare"] if bare else [])], cwd=root,
                          env=environment(root), capture_output=capture, text=True, timeout=1800)


def main(argv: list[str] | None = None) -> int:
    """Check the data, prefill and build; return the exit status."""
    parser = argparse.ArgumentParser(description="Build the book strictly into _build/html.")
    parser.add_argument("--bare", action="store_true", help="only run jupyter-book build (no data check, no prefill)")
    args = parser.parse_args(argv)
    root = project_root()
    os.environ.setdefault("COMPENDIUM_ROOT", str(root))
    if args.bare:
        return subprocess.call(build_command(), cwd=root, env=environment(root))
    problems = data_problems(root)
    if problems:
        print(problems, file=sys.stderr, flush=True)
        return 1
    current = build_fingerprint(root)
    if is_up_to_date(root, current):
        print("book: up to date (no input changed since the last successful build)")
        return 0
    from bookbuild import prefill  # imported here: jupyter-cache is slow to import and not needed above

    print(prefill.summary(prefill.prefill(root)), flush=True)
    status = subprocess.call(build_command(), cwd=root, env=environment(root))
    if status == 0:
        (root / BUILT_STAMP).write_text(current + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
