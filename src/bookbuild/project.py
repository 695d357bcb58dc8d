"""One definition of what the book is built from and how: the build command, its inputs, and the parts of
the project a copy needs. The Makefile, the tests, ``make check``, ``make bench`` and the Pages workflow all
ask this module instead of keeping lists of their own.

Three lists, because three different questions are asked of the inputs:

* :data:`EXECUTION_INPUTS`: what a notebook's *outputs* depend on besides its own code (the data, the
  ``helpers`` package notebooks import, the pinned versions). A change here empties the execution cache.
* :data:`BUILD_INPUTS`: everything the rendered book depends on. When none of it changed since the last
  successful build, ``make book`` has nothing to do. The build tooling in ``src/bookbuild`` is part of it
  (a changed Sphinx extension changes pages), but it never touches the execution cache.
* :data:`PROJECT_PARTS`: what a copy of the project needs in order to build and test (``make check``, the
  benchmark, the tests' throwaway copies).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

#: ``-W``: warnings are errors; ``-n``: nitpicky (every cross-reference must resolve); keep going to list them all.
BUILD_FLAGS = ("-W", "-n", "--keep-going")

#: Globs (relative to the project root) of what notebook outputs depend on besides their code cells.
EXECUTION_INPUTS = ("data/**/*", "src/helpers/**/*.py", "requirements.txt")

#: Globs of everything the built book depends on.
BUILD_INPUTS = ("_config.yml", "_toc.yml", "requirements.txt", "pyproject.toml", "book/**/*", "data/**/*",
                "src/**/*.py")

#: Generated or machine-local files that match the globs above but are not inputs.
NOT_INPUTS = ("__pycache__", ".ipynb_checkpoints", "book/across/places/")

#: What a copy of the project needs to build, check and test; .venv, _build and .git stay behind.
PROJECT_PARTS = ("Makefile", "_config.yml", "_toc.yml", "book", "data", "src", "requirements.txt", "pyproject.toml")

#: Where the last successful build records the fingerprint of its inputs.
BUILT_STAMP = Path("_build") / "html" / ".built"


def jupyter_book() -> str:
    """Return the ``jupyter-book`` executable of the running Python environment."""
    return str(Path(sys.executable).parent / "jupyter-book")


def build_command() -> list[str]:
    """Return the one command that builds the book strictly from the project root."""
    return [jupyter_book(), "build", *BUILD_FLAGS, "."]


def is_input(path: Path, root: Path) -> bool:
    """Whether ``path`` (a file under ``root``) is a real input rather than a generated or cached file."""
    relative = path.relative_to(root).as_posix()
    return path.is_file() and not any(part in relative for part in NOT_INPUTS) and ".egg-info" not in relative


def matching_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Return the input files matching ``patterns`` under ``root``, sorted."""
    found = {path for pattern in patterns for path in root.glob(pattern)}
    return sorted(path for path in found if is_input(path, root))


def fingerprint(root: Path, files: Sequence[Path], *extra: str) -> str:
    """Return one sha256 over the names and contents of ``files`` (and any ``extra`` text)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for text in extra:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()


def execution_fingerprint(root: Path) -> str:
    """Fingerprint of what notebook outputs depend on besides their code (see :data:`EXECUTION_INPUTS`)."""
    return fingerprint(root, matching_files(root, EXECUTION_INPUTS))


#: Generated at every build; a copy starts without them, as a clean clone does.
GENERATED_FOLDERS = ("book/across/places",)


def copy_parts(source: Path, destination: Path, parts: Sequence[str] = PROJECT_PARTS) -> Path:
    """Copy the named parts of the project at ``source`` into ``destination``, as a clean clone would hold
    them (no caches, no generated pages); return ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    patterns = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
    generated = {(source / folder).resolve() for folder in GENERATED_FOLDERS}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(patterns(folder, names))
        return skipped | {name for name in names if (Path(folder) / name).resolve() in generated}

    for part in parts:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, destination / part, ignore=ignore, dirs_exist_ok=True)
        elif path.is_file():
            shutil.copy2(path, destination / part)
    return destination


def main(argv: list[str] | None = None) -> int:
    """Print a fingerprint for tools outside Python (the Pages workflow's cache key): ``execution`` or ``build``."""
    import argparse

    from helpers.paths import project_root

    parser = argparse.ArgumentParser(description="Print the fingerprint of the book's inputs.")
    parser.add_argument("which", choices=["execution", "build"])
    args = parser.parse_args(argv)
    root = project_root()
    patterns = EXECUTION_INPUTS if args.which == "execution" else BUILD_INPUTS
    print(fingerprint(root, matching_files(root, patterns)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
