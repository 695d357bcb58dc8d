"""Where the project's files live, found the same way from a notebook, a test or a script.

Notebooks execute in their own folder (``book/reports/``), tests in a temporary copy of the project, and
a forker may move the whole tree. So the project root is found by walking up from the working directory
to the folder that holds ``data/datapackage.json``, not from where this package happens to be installed.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DESCRIPTOR = Path("data") / "datapackage.json"
#: Set this to point the helpers at another copy of the project (the tests use it).
ROOT_ENVIRONMENT_VARIABLE = "COMPENDIUM_ROOT"


def project_root(start: Path | None = None) -> Path:
    """Return the project's top folder: the nearest ancestor holding ``data/datapackage.json``.

    Parameters
    ----------
    start
        Folder to search up from; defaults to ``$COMPENDIUM_ROOT`` when set, else the working directory.

    Raises
    ------
    FileNotFoundError
        If no ancestor holds the data package descriptor.
    """
    if start is None:
        start = Path(os.environ.get(ROOT_ENVIRONMENT_VARIABLE) or Path.cwd())
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PACKAGE_DESCRIPTOR).is_file():
            return folder
    raise FileNotFoundError(
        f"no {PACKAGE_DESCRIPTOR} found in {start} or any folder above it; "
        f"run from inside the project or set {ROOT_ENVIRONMENT_VARIABLE}"
    )


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` unless the file already holds exactly it; return True if written.

    Sphinx rebuilds every page that uses a file whose modification time moved, so rewriting an unchanged
    figure would make an unchanged page look changed and slow every incremental build.
    """
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def csv_bytes(frame) -> bytes:
    """A DataFrame as the CSV bytes the project writes everywhere: no index, newline line ends, UTF-8."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def data_dir(root: Path | None = None) -> Path:
    """Return the read-only ``data/`` folder."""
    return (root or project_root()) / "data"


def generated_dir(root: Path | None = None) -> Path:
    """Return the folder where notebooks write figure files and the CSVs behind them.

    It sits under ``_build`` so that ``make clean`` removes it together with the execution cache
    that stands for it.
    """
    return (root or project_root()) / "_build" / "generated"
