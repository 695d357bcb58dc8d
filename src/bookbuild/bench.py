"""``make bench``: how long the book takes to build, cold and after the edits people actually make.

Works on a throwaway copy of the project, committed to a throwaway git repository as a clean clone would
be (so the first edit turns the tree "dirty", as it does for a reader). Each run times ``make book``, which is
what a reader runs:

* **cold**: from an empty ``_build``;
* **no change**: straight after;
* **first prose edit, page by page**: one sentence added to one page, for every page of the table of
  contents in turn, each straight after the build before it (the first of them is the first edit after a
  cold build, the case that once re-read every page);
* **code edit**: a comment in one notebook's code cell (that notebook re-executes);
* **tooling edit**: a comment in the module behind ``make check`` (nothing may re-execute);
* **data edit**: a note in the register changed and its hash re-recorded (every notebook re-executes).

It prints the median of each scenario, its ratio to the median cold build, the slowest page's ratio for the
prose edits, the peak memory of the largest build process, and whether the targets are met: no change at
most 0.25 of cold, any prose edit at most 0.35, a code edit at most 0.50, a tooling edit at most 0.35 with no
notebook executed, a cold build under 60 seconds. Timing targets live here, never in the tests.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bookbuild.prefill import toc_files
from bookbuild.project import copy_parts
from helpers.paths import project_root

VENV = Path(sys.executable).parent.parent
CODE_CHAPTER = Path("book/reports/morris2021.md")
TOOLING_MODULE = Path("src/bookbuild/checks.py")
DATA_FILE = Path("data/statistics.csv")
TARGETS = {"no change": 0.25, "prose edit (slowest page)": 0.35, "code edit": 0.50, "tooling edit": 0.35}
COLD_TARGET_SECONDS = 60
EXECUTED = re.compile(r"prefill: executed (\d+) notebook")


def make_book(root: Path) -> tuple[float, int]:
    """Run ``make book`` in ``root`` with this project's .venv; return (wall seconds, notebooks executed).

    Raises SystemExit if the build fails.
    """
    start = time.perf_counter()
    result = subprocess.run(["make", "book", f"VENV={VENV}"], cwd=root,
                            env={**os.environ, "COMPENDIUM_ROOT": str(root)}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    executed = EXECUTED.search(result.stdout)
    return elapsed, int(executed.group(1)) if executed else 0


def commit_copy(root: Path) -> None:
    """Make the copy a git repository with everything committed, as a fresh clone is."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "bench"]):
        subprocess.run(git + command, cwd=root, check=True, capture_output=True)


def pages(root: Path) -> list[Path]:
    """Every hand-written page of the table of contents (generated place pages excluded), relative to root."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [p.relative_to(root) for p in toc_files(toc, root) if "across/places/" not in p.as_posix()]


def edit_prose(root: Path, page: Path, run: int) -> None:
    """Add one sentence at the end of a page: Markdown, outside any code cell."""
    path = root / page
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\nBenchmark edit {run}.\n", encoding="utf-8")


def edit_code(root: Path, run: int) -> None:
    """Change one code cell of a chapter (a comment is enough to change the cache key)."""
    path = root / CODE_CHAPTER
    text, count = re.subn(r"(```\{code-cell\} ipython3\n(?::tags: .*\n\n)?)", rf"\1# benchmark edit {run}\n",
                          path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"bench: no code cell to edit in {CODE_CHAPTER}")
    path.write_text(text, encoding="utf-8")


def edit_tooling(root: Path, run: int) -> None:
    """Add a comment to the module behind ``make check``, which the build never loads."""
    path = root / TOOLING_MODULE
    path.write_text(path.read_text(encoding="utf-8") + f"# benchmark edit {run}\n", encoding="utf-8")


def edit_data(root: Path, run: int) -> None:
    """Change the first note of the register and re-record its hash, as a forker would."""
    path = root / DATA_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["note"] = (rows[0]["note"] + f" (edit {run})").strip()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    subprocess.run([sys.executable, "-m", "bookbuild.lockdata"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "COMPENDIUM_ROOT": str(root)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    args = parser.parse_args()

    timings: dict[str, list[float]] = {"cold": [], "no change": [], "code edit": [], "tooling edit": [],
                                       "data edit": []}
    prose: dict[str, list[float]] = {}
    tooling_executed: list[int] = []
    with tempfile.TemporaryDirectory(prefix="compendium-bench-") as scratch:
        root = copy_parts(project_root(), Path(scratch))
        commit_copy(root)
        for run in range(args.runs):
            subprocess.run(["rm", "-rf", str(root / "_build")], check=True)
            timings["cold"].append(make_book(root)[0])
            timings["no change"].append(make_book(root)[0])
            for page in pages(root):
                edit_prose(root, page, run)
                prose.setdefault(page.as_posix(), []).append(make_book(root)[0])
            edit_code(root, run)
            timings["code edit"].append(make_book(root)[0])
            edit_tooling(root, run)
            seconds, executed = make_book(root)
            timings["tooling edit"].append(seconds)
            tooling_executed.append(executed)
            edit_data(root, run)
            timings["data edit"].append(make_book(root)[0])
            print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in timings.items()),
                  flush=True)

    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cold = statistics.median(timings["cold"])
    prose_medians = {page: statistics.median(values) for page, values in prose.items()}
    slowest_page = max(prose_medians, key=prose_medians.get)
    timings["prose edit (slowest page)"] = prose[slowest_page]
    print(f"\nfirst prose edit of each page, straight after the build before it (median s, ratio to cold):")
    for page, median in prose_medians.items():
        print(f"  {page:<45} {median:>6.2f} {median / cold:>6.2f}")
    print(f"\n{'scenario':<28} {'median s':>9} {'ratio':>7}  target")
    verdicts = []
    for scenario in ("cold", "no change", "prose edit (slowest page)", "code edit", "tooling edit", "data edit"):
        median = statistics.median(timings[scenario])
        ratio = median / cold
        if scenario == "cold":
            target, met = f"< {COLD_TARGET_SECONDS} s", median < COLD_TARGET_SECONDS
        elif scenario in TARGETS:
            target, met = f"<= {TARGETS[scenario]:.2f}", ratio <= TARGETS[scenario]
        else:
            target, met = "(none)", True
        if scenario == "tooling edit":
            target += f", notebooks executed {max(tooling_executed)} (must be 0)"
            met = met and max(tooling_executed) == 0
        verdicts.append(met)
        print(f"{scenario:<28} {median:>9.2f} {ratio:>7.2f}  {target} {'ok' if met else 'MISSED'}")
    print(f"slowest prose page: {slowest_page}")
    print(f"peak memory of the largest build process: {peak_mib:.0f} MiB")
    print(f"({args.runs} runs each on {os.cpu_count()} cores; medians)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
