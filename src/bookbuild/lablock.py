"""The pinned JupyterLab environment of ``make lab``: read it, check it resolves, and re-resolve it.

``requirements-lab.txt`` pins JupyterLab, jupytext and every package they need beyond ``requirements.txt``
(which it names as a constraint, so the book's own pins never move). ``make lab`` installs it with
``--no-deps``: nothing unpinned can come in, so the file must be complete. :func:`resolve` asks pip's
resolver (``pip install --dry-run``, which needs the package index) what installing both files would give;
the tests compare that with the pins, and ``make lock-lab`` (:func:`main`) writes the file from it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

LAB_REQUIREMENTS = "requirements-lab.txt"
BOOK_REQUIREMENTS = "requirements.txt"
#: What ``make lab`` is for; everything else in the file is what these need.
TOP_LEVEL = ("jupyterlab", "jupytext")
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!_-]+)$")
HEADER = """\
# JupyterLab for `make lab`, kept apart from what `make book` needs (requirements.txt). JupyterLab, jupytext and
# every package they need beyond requirements.txt, pinned: names and versions only. `make lab` installs this
# file with --no-deps, so nothing unpinned comes in; the constraint keeps the book's own pins as they are.
# Written by `make lock-lab` (needs the package index), which resolves it; `make lab` runs pip check after installing.
-c requirements.txt
"""


def normalise(name: str) -> str:
    """A package name as pip compares them (PEP 503): lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """Return the ``name==version`` pins of a requirements file, by normalised name.

    Parameters
    ----------
    path
        The requirements file. Comments, blank lines and option lines (``-c …``, ``-r …``) are skipped.

    Raises
    ------
    ValueError
        On a requirement line that is not an exact ``name==version`` pin, or a name pinned twice.
    """
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = PIN.match(line)
        if not match:
            raise ValueError(f"{path.name}, line {number}: {line!r} is not a name==version pin")
        name = normalise(match["name"])
        if name in pins:
            raise ValueError(f"{path.name}, line {number}: {match['name']} is pinned twice")
        pins[name] = match["version"]
    return pins


def resolve(root: Path, *requirements: str, timeout: int = 600) -> dict[str, str]:
    """Ask pip what installing ``requirements`` into an empty environment would install.

    Parameters
    ----------
    root
        The folder the requirement arguments are relative to.
    requirements
        pip arguments: ``-r file`` pairs or requirement strings.
    timeout
        Seconds pip may take.

    Returns
    -------
    dict
        Every package pip would install, by normalised name, with its version.

    Raises
    ------
    RuntimeError
        If pip cannot resolve them (its message is included).
    """
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        process = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--disable-pip-version-check", "--report", str(report), *requirements],
            cwd=root, capture_output=True, text=True, timeout=timeout)
        if process.returncode != 0:
            raise RuntimeError(f"pip could not resolve {' '.join(requirements)}:\n{process.stderr[-3000:]}")
        installed = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {normalise(item["metadata"]["name"]): item["metadata"]["version"] for item in installed}


def lab_pins(resolved: dict[str, str], book: dict[str, str]) -> dict[str, str]:
    """The pins the lab file needs: what ``resolved`` adds to ``book``, plus the top-level packages.

    Parameters
    ----------
    resolved
        What installing the book's pins and the top-level lab packages gives (:func:`resolve`).
    book
        The pins of ``requirements.txt``.
    """
    return {name: version for name, version in sorted(resolved.items())
            if name not in book or name in TOP_LEVEL}


def main() -> int:
    """``make lock-lab``: re-resolve the top-level lab pins with the book's, and rewrite the lab file."""
    root = Path.cwd()
    current = read_pins(root / LAB_REQUIREMENTS)
    top = [f"{name}=={current[name]}" for name in TOP_LEVEL]
    resolved = resolve(root, "-r", BOOK_REQUIREMENTS, *top)
    pins = lab_pins(resolved, read_pins(root / BOOK_REQUIREMENTS))
    (root / LAB_REQUIREMENTS).write_text(HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items()),
                                         encoding="utf-8")
    print(f"{LAB_REQUIREMENTS}: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
