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
* **data edit**: a note in the register changed and its hash re-recorded (every notebook re-executes);
* **fifty more places** (``--places``, run after the others in a fresh copy, or alone with ``--only-places``):
  the same prose edit timed before and after 50 made-up councils (with census and referendum rows and an
  authority of their own) are added to the vocabulary, and the data edit that adds them timed against a
  plain data edit. The differences are what the extra place pages cost an incremental build.

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
#: The line bookbuild.placepages logs: pages, charts drawn and reused, seconds spent.
PLACES_STEP = re.compile(r"\[places\] (\d+) place pages \(\d+ rewritten\); charts drawn (\d+), reused (\d+); ([\d.]+)s")


def run_make_book(root: Path) -> tuple[float, str]:
    """Run ``make book`` in ``root`` with this project's .venv; return (wall seconds, its output).

    Raises SystemExit if the build fails.
    """
    start = time.perf_counter()
    result = subprocess.run(["make", "book", f"VENV={VENV}"], cwd=root,
                            env={**os.environ, "COMPENDIUM_ROOT": str(root)}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout + result.stderr


def make_book(root: Path) -> tuple[float, int]:
    """Run ``make book`` in ``root``; return (wall seconds, notebooks executed). Raises SystemExit on failure."""
    elapsed, output = run_make_book(root)
    executed = EXECUTED.search(output)
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


#: The page whose prose is edited to time an incremental build with and without the extra places.
PROSE_PAGE = Path("book/intro.md")
#: A real council whose official rows the made-up places copy (with small changes, so each chart differs).
TEMPLATE_AREA = "E08000004"


def append_rows(path: Path, rows: list[dict]) -> None:
    """Append rows to a CSV file of the data package, in its own column order."""
    with path.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=columns, lineterminator="\n").writerows(rows)


def add_places(root: Path, count: int) -> None:
    """Add ``count`` made-up councils, in an authority of their own, with census and referendum rows; re-lock."""
    data = root / "data"
    with (data / "census2021_english_proficiency.csv").open(encoding="utf-8", newline="") as handle:
        census = next(r for r in csv.DictReader(handle) if r["geography_code"] == TEMPLATE_AREA)
    with (data / "eu_referendum_2016.csv").open(encoding="utf-8", newline="") as handle:
        votes = next(r for r in csv.DictReader(handle) if r["area_code"] == TEMPLATE_AREA)
    places = [{"place_id": "bench-authority", "name": "Bench authority", "kind": "mayoral combined authority",
               "level": "authority", "parent_place_id": "north-west"}]
    areas, census_rows, vote_rows = [], [], []
    for i in range(1, count + 1):
        code, name = f"E08{900000 + i:06d}", f"Bench council {i}"
        places.append({"place_id": f"bench-council-{i}", "name": name, "kind": "metropolitan borough",
                       "level": "council", "parent_place_id": "bench-authority"})
        areas.append({"place_id": f"bench-council-{i}", "area_code": code})
        census_rows.append({**census, "geography_code": code, "geography_name": name,
                            "cannot_speak": str(int(census["cannot_speak"]) + 10 * i)})
        vote_rows.append({**votes, "area_code": code, "area": name, "leave": str(int(votes["leave"]) - 100 * i)})
    append_rows(data / "places.csv", places)
    append_rows(data / "place_areas.csv", areas)
    append_rows(data / "census2021_english_proficiency.csv", census_rows)
    append_rows(data / "eu_referendum_2016.csv", vote_rows)
    subprocess.run([sys.executable, "-m", "bookbuild.lockdata"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "COMPENDIUM_ROOT": str(root)})


def timed_places_build(root: Path) -> tuple[float, float, str]:
    """Build; return (wall seconds, seconds the place-page step took, what that step did)."""
    elapsed, output = run_make_book(root)
    step = PLACES_STEP.search(output)
    if step is None:
        return elapsed, 0.0, "place pages not generated"
    pages, drawn, reused, seconds = step.groups()
    return elapsed, float(seconds), f"{pages} pages, {drawn} charts drawn, {reused} reused"


def bench_places(count: int, runs: int) -> dict[str, tuple[float, float]]:
    """Time incremental builds before and after adding ``count`` places; print and return the medians of
    (wall seconds, seconds of the place-page step) for each scenario."""
    timings: dict[str, list[tuple[float, float]]] = {"prose edit, before": [], "prose edit, after": []}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="compendium-bench-places-") as scratch:
        root = copy_parts(project_root(), Path(scratch))
        commit_copy(root)
        make_book(root)
        for run in range(runs):
            edit_prose(root, PROSE_PAGE, run)
            *measured, notes["prose edit, before"] = timed_places_build(root)
            timings["prose edit, before"].append(tuple(measured))
        edit_data(root, 0)
        *measured, notes["data edit, before"] = timed_places_build(root)
        timings["data edit, before"] = [tuple(measured)]
        add_places(root, count)
        adding = f"data edit adding {count} places"
        *measured, notes[adding] = timed_places_build(root)
        timings[adding] = [tuple(measured)]
        for run in range(runs):
            edit_prose(root, PROSE_PAGE, runs + run)
            *measured, notes["prose edit, after"] = timed_places_build(root)
            timings["prose edit, after"].append(tuple(measured))
    medians = {name: (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))
               for name, values in timings.items()}
    print(f"\n{count} more places ({runs} prose edits of {PROSE_PAGE} each side; medians, seconds):")
    print(f"  {'scenario':<34} {'build':>7} {'place step':>11}  what the place step did")
    for name, (wall, step) in medians.items():
        print(f"  {name:<34} {wall:>7.2f} {step:>11.2f}  {notes[name]}")
    before, after = medians["prose edit, before"], medians["prose edit, after"]
    print(f"  added to a prose-edit build: {after[0] - before[0]:+.2f} s wall, {after[1] - before[1]:+.2f} s in the "
          "place-page step")
    data_before, data_after = medians["data edit, before"], medians[adding]
    print(f"  added to the data edit that adds them: {data_after[0] - data_before[0]:+.2f} s wall, "
          f"{data_after[1] - data_before[1]:+.2f} s in the place-page step")
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--places", type=int, default=50, help="made-up places for the places scenario (default 50)")
    parser.add_argument("--only-places", action="store_true", help="run only the places scenario")
    args = parser.parse_args()
    if args.only_places:
        bench_places(args.places, args.runs)
        return 0

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
    bench_places(args.places, args.runs)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
