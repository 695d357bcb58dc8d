"""``make bench``: how long the book takes to build, cold and after typical edits.

Works on a throwaway copy of the project so the working tree is never edited. Each scenario runs several
times; the script prints the median wall time of each, its ratio to the median cold build, the peak
memory of the largest build process, and whether the targets from the project's issues are met:
a rebuild with no change at most 0.25 of a cold build, a prose-only edit at most 0.40, a code edit in one
notebook at most 0.50, a cold build under 60 seconds. It times ``make book``, which is what a reader runs.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("Makefile", "_config.yml", "_toc.yml", "book", "data", "src", "requirements.txt", "pyproject.toml")
VENV = Path(sys.executable).parent.parent
CHAPTER = Path("book/reports/morris2021.md")
TARGETS = {"no change": 0.25, "prose edit": 0.40, "code edit": 0.50}
COLD_TARGET_SECONDS = 60


def build(root: Path) -> float:
    """Run ``make book`` in ``root`` with this project's .venv; return the wall time in seconds.

    Raises SystemExit if the build fails.
    """
    start = time.perf_counter()
    result = subprocess.run(["make", "book", f"VENV={VENV}"], cwd=root,
                            env={**os.environ, "COMPENDIUM_ROOT": str(root)}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return elapsed


def edit_prose(root: Path, run: int) -> None:
    """Change one sentence of the chapter's text, outside any code cell."""
    path = root / CHAPTER
    path.write_text(path.read_text().replace("## Summary\n", f"## Summary\n\nBenchmark edit {run}.\n", 1))


def edit_code(root: Path, run: int) -> None:
    """Change one code cell of the chapter (a comment is enough to change the cache key)."""
    path = root / CHAPTER
    text, count = re.subn(r"plots\.use_house_style\(\).*\n", f"plots.use_house_style()  # benchmark edit {run}\n",
                          path.read_text(), count=1)
    if count != 1:
        raise SystemExit(f"bench: no line to edit in {CHAPTER}")
    path.write_text(text)


def edit_data(root: Path, run: int) -> None:
    """Change one data file and re-record its hash, as a forker would."""
    path = root / "data" / "esol_learners.csv"
    path.write_text(path.read_text().replace("Publicly funded adult ESOL learners in England.",
                                             f"Publicly funded adult ESOL learners in England (edit {run}).", 1))
    subprocess.run([sys.executable, "-m", "helpers.lockdata"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "COMPENDIUM_ROOT": str(root)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    args = parser.parse_args()

    timings: dict[str, list[float]] = {"cold": [], "no change": [], "prose edit": [], "code edit": [], "data edit": []}
    with tempfile.TemporaryDirectory(prefix="compendium-bench-") as scratch:
        root = Path(scratch)
        for part in PARTS:
            source = ROOT / part
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
        for run in range(args.runs):
            shutil.rmtree(root / "_build", ignore_errors=True)
            timings["cold"].append(build(root))
            timings["no change"].append(build(root))
            edit_prose(root, run)
            timings["prose edit"].append(build(root))
            edit_code(root, run)
            timings["code edit"].append(build(root))
            edit_data(root, run)
            timings["data edit"].append(build(root))
            print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in timings.items()),
                  flush=True)

    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cold = statistics.median(timings["cold"])
    print(f"\n{'scenario':<12} {'median s':>9} {'ratio':>7}  target")
    verdicts = []
    for scenario, values in timings.items():
        median = statistics.median(values)
        ratio = median / cold
        if scenario == "cold":
            target = f"< {COLD_TARGET_SECONDS} s"
            met = median < COLD_TARGET_SECONDS
        elif scenario in TARGETS:
            target = f"<= {TARGETS[scenario]:.2f}"
            met = ratio <= TARGETS[scenario]
        else:
            target, met = "(none)", True
        verdicts.append(met)
        print(f"{scenario:<12} {median:>9.2f} {ratio:>7.2f}  {target} {'ok' if met else 'MISSED'}")
    print(f"peak memory of the largest build process: {peak_mib:.0f} MiB")
    print(f"({args.runs} runs each on {os.cpu_count()} cores; medians)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
