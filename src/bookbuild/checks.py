"""``make check``: prove that what the book shows is what the data say, and that no figure changed unseen.

A checker's questions, each answered from a fresh build:

1. Does the data offered beside each figure and table equal the project's data? Every generated CSV has
   a provenance record, written when it was published (:mod:`helpers.provenance`), naming the resources
   its rows were drawn from and the columns holding their keys. Each row is looked up by that key, and
   every other column it shares with the resource must hold the same value. A CSV with no record fails.
2. Is every figure byte-identical to the last recorded build? The SVG hashes are compared with the
   committed list in ``tests/recorded_figures.json``; ``make record-figures`` updates that list on purpose.
3. Does every glued number equal its computed value? That is what the chapter tests check; ``make check``
   runs them against the same fresh build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bookbuild import build
from bookbuild.project import copy_parts
from helpers.data import load, read_descriptor
from helpers.paths import generated_dir, project_root
from helpers.provenance import PROVENANCE_SUFFIX

RECORDED_FIGURES = Path("tests") / "recorded_figures.json"
RELATIVE_TOLERANCE = 1e-9


def figure_hashes(generated: Path) -> dict[str, str]:
    """Return ``{figure name: sha256}`` for every SVG figure in the generated folder."""
    return {path.stem: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(generated.glob("*.svg"))}


def compare_hashes(actual: dict[str, str], recorded: dict[str, str]) -> list[str]:
    """Say, figure by figure, how the built figures differ from the recorded ones."""
    problems = [f"figure '{name}' changed (recorded {recorded[name][:12]}, built {digest[:12]})"
                for name, digest in actual.items() if name in recorded and recorded[name] != digest]
    problems += [f"figure '{name}' is new: not in {RECORDED_FIGURES}" for name in actual if name not in recorded]
    problems += [f"figure '{name}' is recorded but was not built" for name in recorded if name not in actual]
    return problems


def same_value(shown: str, stored) -> bool:
    """Whether a CSV cell (text) shows the same value as a data cell (typed), numbers within rounding noise."""
    if stored is None or (not isinstance(stored, str) and pd.isna(stored)):
        return shown == ""
    if isinstance(stored, bool):
        return shown.lower() == str(stored).lower()
    if isinstance(stored, (int, float)):
        try:
            return math.isclose(float(shown), float(stored), rel_tol=RELATIVE_TOLERANCE)
        except ValueError:
            return False
    return shown == str(stored)


@dataclass(frozen=True)
class Resource:
    """A data resource as the checker needs it: its rows, indexed by its primary key written as text."""

    frame: pd.DataFrame
    key: list[str]

    def indexed(self) -> pd.DataFrame:
        """The rows indexed by the key as a CSV shows it (``1``, not ``1.0``)."""
        as_text = self.frame.assign(**{k: self.frame[k].map(cell_text) for k in self.key})
        return as_text.set_index(self.key)


def cell_text(value) -> str:
    """How a key value reads in a CSV written by pandas."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def check_recorded(name: str, shown: pd.DataFrame, record: dict, resources: dict[str, Resource]) -> list[str]:
    """Check a generated CSV (read as text) against the resources its provenance record names.

    For each resource, every row that carries the resource's key (in the columns the record names) must be
    a row of the resource, and every other column the CSV shares with the resource by name must hold the
    resource's value. Rows with an empty key come from another source (a CSV may stack or join several)
    and are passed over for this one; a resource none of whose rows appears is a problem too.

    Returns
    -------
    list of str
        One message per missing row, differing cell or unusable record.
    """
    problems = []
    for source in record.get("drawn_from", []):
        resource_name, mapping = source["resource"], source["key"]
        if resource_name not in resources:
            problems.append(f"{name}.csv: its record names '{resource_name}', which is not in the data package")
            continue
        resource = resources[resource_name]
        columns = [mapping[field] for field in resource.key]
        absent = [column for column in columns if column not in shown.columns]
        if absent:
            problems.append(f"{name}.csv: its record keys '{resource_name}' by {absent}, which it does not have")
            continue
        indexed = resource.indexed()
        compared = [c for c in shown.columns if c in resource.frame.columns and c not in columns + resource.key]
        matched = 0
        for position, cells in enumerate(shown.to_dict("records"), start=1):
            key = tuple(cells[c] for c in columns)
            if any(part == "" for part in key):
                continue
            label = key if len(key) > 1 else key[0]
            if label not in indexed.index:
                problems.append(f"{name}.csv row {position}: {dict(zip(resource.key, key))} is not in '{resource_name}'")
                continue
            matched += 1
            stored = indexed.loc[label]
            problems += [f"{name}.csv row {position}, column '{column}': shows {cells[column]!r}, "
                         f"'{resource_name}' has {stored[column]!r}"
                         for column in compared if not same_value(cells[column], stored[column])]
        if not matched and not any(p.startswith(f"{name}.csv row") for p in problems):
            problems.append(f"{name}.csv: no row carries a key of '{resource_name}', which its record names")
    if not record.get("drawn_from"):
        problems.append(f"{name}.csv: its provenance record names no resource")
    return problems


def load_resources(root: Path) -> dict[str, Resource]:
    """Load every resource in the data package with its primary key."""
    resources = {}
    for resource in read_descriptor(root)["resources"]:
        frame = load(resource["name"], root=root)
        # Compare in plain Python types: pandas' nullable types would make missing values ambiguous.
        resources[resource["name"]] = Resource(frame.astype(object).where(frame.notna(), None),
                                               resource["schema"].get("primaryKey", []))
    return resources


def trace_generated(root: Path) -> tuple[int, list[str]]:
    """Check every generated CSV against the data its provenance record names; return how many were
    checked and the problems found. A CSV without a record is a problem: its origin would be a guess."""
    resources = load_resources(root)
    problems, checked = [], 0
    for path in sorted(generated_dir(root).glob("*.csv")):
        record_path = path.with_name(path.stem + PROVENANCE_SUFFIX)
        if not record_path.is_file():
            problems.append(f"{path.name}: no provenance record ({record_path.name}); publish it with "
                            "helpers.provenance, naming what it was drawn from")
            continue
        shown = pd.read_csv(path, dtype=str, keep_default_na=False)
        problems += check_recorded(path.stem, shown, json.loads(record_path.read_text(encoding="utf-8")), resources)
        checked += 1
    return checked, problems


def fresh_build(root: Path, destination: Path) -> subprocess.CompletedProcess:
    """Copy the project to ``destination`` and build it there from an empty cache, as ``make book`` does."""
    copy_parts(root, destination)
    return build.run(destination)


def run_chapter_tests(root: Path, built: Path) -> int:
    """Run the chapters' glue tests against an existing build; return pytest's exit code."""
    chapter_tests = sorted(str(p) for p in (root / "tests").glob("test_chapter_*.py"))
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *chapter_tests],
                           cwd=root, env={**os.environ, "COMPENDIUM_BUILT_BOOK": str(built)})


def main(argv: list[str] | None = None) -> int:
    """Build afresh, trace every CSV, compare figure hashes, run the glue tests; print a report."""
    parser = argparse.ArgumentParser(description="Check the book's figures, tables and numbers against its data.")
    parser.add_argument("--record", action="store_true", help="record the fresh build's figure hashes instead")
    args = parser.parse_args(argv)
    root = project_root()
    with tempfile.TemporaryDirectory(prefix="compendium-check-") as scratch:
        built = Path(scratch)
        print("check: building the book from an empty execution cache ...", flush=True)
        result = fresh_build(root, built)
        if result.returncode != 0:
            print(result.stdout[-4000:], result.stderr[-3000:], sep="\n")
            print("check: FAILED — the book does not build")
            return 1
        actual = figure_hashes(generated_dir(built))
        if args.record:
            (root / RECORDED_FIGURES).write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n")
            print(f"check: recorded {len(actual)} figure hashes in {RECORDED_FIGURES}")
            return 0
        recorded = json.loads((root / RECORDED_FIGURES).read_text())
        hash_problems = compare_hashes(actual, recorded)
        checked, trace_problems = trace_generated(built)
        print(f"\n1. data behind figures and tables: {checked} CSV files traced to data/ — "
              f"{'ok' if not trace_problems else f'{len(trace_problems)} problem(s)'}")
        print("".join(f"   - {p}\n" for p in trace_problems), end="")
        print(f"2. figures against {RECORDED_FIGURES}: {len(actual)} built, {len(recorded)} recorded — "
              f"{'ok, all byte-identical' if not hash_problems else f'{len(hash_problems)} problem(s)'}")
        print("".join(f"   - {p}\n" for p in hash_problems), end="")
        print("3. glued numbers: the chapter tests, against this build", flush=True)
        tests_status = run_chapter_tests(root, built)
        ok = not trace_problems and not hash_problems and tests_status == 0
        print(f"\ncheck: {'PASSED' if ok else 'FAILED'}")
        if hash_problems and not trace_problems:
            print("If the change was intended, run `make record-figures` and commit tests/recorded_figures.json.")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
