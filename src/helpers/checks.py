"""``make check``: prove that what the book shows is what the data say, and that no figure changed unseen.

A checker's questions, each answered from a fresh build:

1. Does the data offered beside each figure and table equal the project's data? Every generated CSV is
   traced back to the data package: it must carry the primary key of at least one resource (``stat_id``
   for the register), and every other column it shares with that resource must hold the same values.
   A CSV that cannot be traced is a failure too.
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
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data import load, read_descriptor
from helpers.paths import generated_dir, project_root

RECORDED_FIGURES = Path("tests") / "recorded_figures.json"
#: What a fresh build copies of the project; .venv, _build and .git stay behind.
BUILD_PARTS = ("_config.yml", "_toc.yml", "book", "data", "src", "requirements.txt", "pyproject.toml")
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
    """A data resource as the tracer needs it: its rows, primary key and foreign keys."""

    frame: pd.DataFrame
    key: list[str]
    foreign_keys: list[dict] = field(default_factory=list)

    def refers_to(self, other: str, columns: list[str]) -> bool:
        """Whether this resource's rows point at ``other`` through exactly ``columns``."""
        return any(fk["reference"].get("resource") == other and fk["fields"] == columns for fk in self.foreign_keys)


def candidate_rows(shown: pd.DataFrame, resource: Resource) -> tuple[list, list[str]]:
    """Return the CSV rows that could come from ``resource`` (key and some shared value present) and the
    shared value columns."""
    value_columns = [c for c in shown.columns if c in resource.frame.columns and c not in resource.key]
    if not resource.key or not set(resource.key) <= set(shown.columns) or not value_columns:
        return [], value_columns
    rows = [(position, cells) for position, cells in enumerate(shown.to_dict("records"), start=1)
            if all(cells[k] != "" for k in resource.key) and any(cells[c] != "" for c in value_columns)]
    return rows, value_columns


def key_index(resource: Resource) -> pd.DataFrame:
    """The resource indexed by its key written as text, as a CSV shows it (``1``, not ``1.0``)."""
    as_text = resource.frame.assign(**{k: resource.frame[k].map(cell_text) for k in resource.key})
    return as_text.set_index(resource.key)


def cell_text(value) -> str:
    """How a key value reads in a CSV written by pandas."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def row_key(cells: dict, key: list[str]):
    """The index label of a CSV row in a resource indexed by ``key``."""
    return tuple(cells[k] for k in key) if len(key) > 1 else cells[key[0]]


def trace_table(name: str, shown: pd.DataFrame, resources: dict[str, Resource]) -> list[str]:
    """Check a generated CSV (read as text) against the resources it was drawn from.

    A resource counts as a source when the CSV carries its primary key and at least one other of its
    columns. Rows whose key or whose shared columns are all empty belong to another source (a CSV may
    combine several, one above the other or side by side) and are passed over. If every remaining row's
    key is in the resource, it is a source, and each shared cell must hold the resource's value. A
    resource whose key another source uses as a foreign key (a place named by an initiative) is not a
    source, unless that foreign key is the other source's own primary key (a table that adds columns to
    the rows of another, one for one), when both are. When no resource holds every row, the one holding most is taken as the source and each row
    it lacks is reported: a mistyped ``stat_id`` is caught this way.

    Returns
    -------
    list of str
        One message per mismatch or missing row, or one saying that nothing could be traced.
    """
    full, partial = {}, {}
    for resource_name, resource in resources.items():
        rows, value_columns = candidate_rows(shown, resource)
        index = set(key_index(resource).index) if rows else set()
        found = sum(row_key(cells, resource.key) in index for _, cells in rows)
        if rows and found == len(rows):
            full[resource_name] = (rows, value_columns)
        elif found:
            partial[resource_name] = (rows, value_columns, found / len(rows))
    # A column that a source uses as a foreign key names other rows; it is not the identity of this one.
    # The exception is a foreign key on the source's own primary key: such a table extends the rows of
    # the one it points at, one for one (a theme per register row), so both are sources and both checked.
    pointed_at = {tuple(fk["fields"]) for name in full for fk in resources[name].foreign_keys
                  if fk["fields"] != resources[name].key}
    sources = {n: c for n, c in full.items() if tuple(resources[n].key) not in pointed_at}
    if not sources and partial:
        # No resource holds every row: the likeliest source is reported with the rows it lacks.
        best = max(partial, key=lambda n: partial[n][2])
        sources = {best: partial[best][:2]}
    problems = []
    for resource_name, (rows, value_columns) in sources.items():
        resource = resources[resource_name]
        indexed = key_index(resource)
        for position, cells in rows:
            label = row_key(cells, resource.key)
            if label not in indexed.index:
                problems.append(f"{name}.csv row {position}: {dict((k, cells[k]) for k in resource.key)} is not in "
                                f"'{resource_name}'")
                continue
            stored = indexed.loc[label]
            problems += [f"{name}.csv row {position}, column '{column}': shows {cells[column]!r}, "
                         f"'{resource_name}' has {stored[column]!r}"
                         for column in value_columns if not same_value(cells[column], stored[column])]
    if not sources:
        problems.append(f"{name}.csv: no column can be traced to the data package (include a resource's key, "
                        "such as stat_id, and its values)")
    return problems


def load_resources(root: Path) -> dict[str, Resource]:
    """Load every resource in the data package with its primary and foreign keys."""
    resources = {}
    for resource in read_descriptor(root)["resources"]:
        frame = load(resource["name"], root=root)
        schema = resource["schema"]
        # Compare in plain Python types: pandas' nullable types would make missing values ambiguous.
        resources[resource["name"]] = Resource(frame.astype(object).where(frame.notna(), None),
                                               schema.get("primaryKey", []), schema.get("foreignKeys", []))
    return resources


def trace_generated(root: Path) -> tuple[int, list[str]]:
    """Trace every generated CSV; return how many were checked and the problems found."""
    resources = load_resources(root)
    problems, checked = [], 0
    for path in sorted(generated_dir(root).glob("*.csv")):
        shown = pd.read_csv(path, dtype=str, keep_default_na=False)
        problems += trace_table(path.stem, shown, resources)
        checked += 1
    return checked, problems


def fresh_build(root: Path, destination: Path) -> subprocess.CompletedProcess:
    """Copy the project to ``destination`` and build it there from an empty cache, strictly."""
    for part in BUILD_PARTS:
        source = root / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, destination / part)
    environment = {**os.environ, "COMPENDIUM_ROOT": str(destination)}
    # As `make book` does: execute the notebooks on both cores first, then build strictly.
    subprocess.run([sys.executable, "-m", "helpers.prefill"], cwd=destination, env=environment,
                   capture_output=True, text=True)
    return subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", "-W", "-n", "--keep-going", "."],
        cwd=destination, env=environment, capture_output=True, text=True,
    )


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
