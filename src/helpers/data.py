"""The one way into ``data/``: load a table described in ``data/datapackage.json`` and refuse bad input.

Every notebook reads data through :func:`load`. Before a table reaches pandas it is checked against the
Frictionless Data Package that describes it: the file must exist, its sha256 must match the recorded hash,
its header must hold exactly the schema's fields, and every cell must have the schema's type and meet its
constraints. Any failure raises :class:`DataError`, whose message names the file, the row and the column
and says what was expected. Nothing is coerced: ``"12,3"`` in a number column is an error, not 12.3.

The files are only ever opened for reading. The recorded hashes change only through ``make lock-data``
(:func:`record_hashes`), after a deliberate edit.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.paths import PACKAGE_DESCRIPTOR, project_root

#: How many problems one error message lists before it stops; enough to see a pattern.
MAX_PROBLEMS_SHOWN = 20
HASH_ALGORITHM = "sha256"
# Plain decimal notation only: no thousands separators, no currency signs, no spaces, no "1e3".
NUMBER_PATTERN = re.compile(r"-?\d+(?:\.\d+)?")
INTEGER_PATTERN = re.compile(r"-?\d+")
BOOLEAN_VALUES = {"true": True, "false": False}


class DataError(ValueError):
    """A data file is missing, altered or does not fit its schema."""


@dataclass(frozen=True)
class Problem:
    """One cell (or header) that breaks the schema: where it is and what was expected."""

    row: int | None  # 1 for the first data row; None for the header or the whole file
    line: int | None  # line number in the file, counting the header as line 1
    column: str | None
    expected: str
    found: str | None = None

    def describe(self) -> str:
        """Say where the problem is and what was expected, in one line."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line})")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = "" if self.found is None else f", found {self.found!r}"
        return f"{', '.join(where) or 'file'}: expected {self.expected}{found}"


def read_descriptor(root: Path | None = None) -> dict:
    """Read ``data/datapackage.json`` as a dictionary."""
    path = (root or project_root()) / PACKAGE_DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"{PACKAGE_DESCRIPTOR}: not valid JSON ({error})") from error


def find_resource(descriptor: dict, name: str) -> dict:
    """Return the resource called ``name`` from a data package descriptor."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    known = ", ".join(sorted(r.get("name", "?") for r in descriptor.get("resources", [])))
    raise DataError(f"{PACKAGE_DESCRIPTOR}: no resource named '{name}' (known: {known})")


def resource_path(root: Path, resource: dict) -> tuple[Path, str]:
    """Return a resource's file and the name to show for it (``data/...``).

    Resource paths are relative to the descriptor's folder, as the Data Package standard says.
    """
    relative = PACKAGE_DESCRIPTOR.parent / resource["path"]
    return root / relative, relative.as_posix()


def file_hash(path: Path) -> str:
    """Return the file's hash in Data Package notation, ``sha256:<hex digest>``."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{HASH_ALGORITHM}:{digest}"


def check_hash(resource: dict, path: Path, shown_as: str) -> None:
    """Raise :class:`DataError` unless the file's hash is the one recorded for it."""
    recorded = resource.get("hash")
    if recorded is None:
        raise DataError(f"{PACKAGE_DESCRIPTOR}: resource '{resource['name']}' records no hash; run `make lock-data`")
    actual = file_hash(path)
    if actual != recorded:
        raise DataError(
            f"{shown_as}: contents changed since their hash was recorded "
            f"(expected {recorded}, found {actual}). If you edited it on purpose, run `make lock-data`."
        )


def check_header(header: list[str], fields: list[dict]) -> list[Problem]:
    """Compare a CSV header with the schema's fields: same names, same order."""
    expected = [field["name"] for field in fields]
    problems = [Problem(None, 1, name, "this column (it is in the schema)", "no such column")
                for name in expected if name not in header]
    problems += [Problem(None, 1, name, "no such column (it is not in the schema)", name)
                 for name in header if name not in expected]
    if not problems and header != expected:
        problems.append(Problem(None, 1, None, f"columns in the order {expected}", str(header)))
    return problems


def convert_cell(text: str, field: dict):
    """Convert one cell's text to the field's type; raise ``ValueError`` saying what was expected.

    Returns ``None`` for an empty cell; whether that is allowed is a constraint, checked elsewhere.
    """
    if text == "":
        return None
    kind = field.get("type", "string")
    if kind == "string":
        if text != text.strip():
            raise ValueError("text without leading or trailing spaces")
        return text
    if kind == "number":
        if not NUMBER_PATTERN.fullmatch(text):
            raise ValueError("a plain number such as 227 or 0.56 (no commas, units or spaces)")
        return float(text)
    if kind == "integer":
        if not INTEGER_PATTERN.fullmatch(text):
            raise ValueError("a whole number such as 2017")
        return int(text)
    if kind == "boolean":
        if text not in BOOLEAN_VALUES:
            raise ValueError("true or false")
        return BOOLEAN_VALUES[text]
    raise ValueError(f"a type this loader knows (string, number, integer, boolean), not '{kind}'")


def constraint_problem(value, field: dict) -> str | None:
    """Return what a converted value should have been if it breaks a field constraint, else ``None``."""
    constraints = field.get("constraints", {})
    if value is None:
        return "a value (this column is required)" if constraints.get("required") else None
    if "enum" in constraints and value not in constraints["enum"]:
        return f"one of {constraints['enum']}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        return f"text matching the pattern {constraints['pattern']}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"at least {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"at most {constraints['maximum']}"
    if isinstance(value, float) and not math.isfinite(value):
        return "a finite number"
    return None


def parse_rows(rows: list[tuple[int, list[str]]], fields: list[dict]) -> tuple[list[list], list[Problem]]:
    """Convert and check every cell; return the converted rows and every problem found."""
    names = [field["name"] for field in fields]
    converted, problems = [], []
    for row_number, (line, cells) in enumerate(rows, start=1):
        if len(cells) != len(fields):
            problems.append(Problem(row_number, line, None, f"{len(fields)} cells", f"{len(cells)} cells"))
            continue
        values = []
        for text, field, name in zip(cells, fields, names):
            try:
                value = convert_cell(text, field)
            except ValueError as error:
                problems.append(Problem(row_number, line, name, str(error), text))
                value = None
            else:
                expected = constraint_problem(value, field)
                if expected:
                    problems.append(Problem(row_number, line, name, expected, text))
            values.append(value)
        converted.append(values)
    return converted, problems


def duplicate_problems(rows: list[tuple[int, list[str]]], fields: list[dict], key: list[str]) -> list[Problem]:
    """Find repeated values in unique columns and repeated primary keys."""
    names = [field["name"] for field in fields]
    checks = [[field["name"]] for field in fields if field.get("constraints", {}).get("unique")]
    if key and key not in checks:
        checks.append(key)
    problems = []
    for columns in checks:
        positions = [names.index(column) for column in columns]
        first_seen: dict[tuple, int] = {}
        for row_number, (line, cells) in enumerate(rows, start=1):
            if len(cells) != len(names):
                continue
            value = tuple(cells[p] for p in positions)
            if value in first_seen:
                problems.append(Problem(row_number, line, "+".join(columns),
                                        f"a unique value (row {first_seen[value]} has it already)",
                                        "/".join(value)))
            else:
                first_seen[value] = row_number
    return problems


def read_csv_cells(path: Path, shown_as: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a CSV file as text cells, keeping each record's starting line number."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f"{shown_as}: the file is empty; expected a header row") from None
        except csv.Error as error:
            raise DataError(f"{shown_as}, line 1: not valid CSV ({error})") from error
        rows = []
        line = reader.line_num + 1
        try:
            for cells in reader:
                rows.append((line, cells))
                line = reader.line_num + 1
        except csv.Error as error:
            raise DataError(f"{shown_as}, line {reader.line_num}: not valid CSV ({error})") from error
    return header, rows


def to_frame(converted: list[list], fields: list[dict]) -> pd.DataFrame:
    """Build a DataFrame whose column types follow the schema (text stays text, numbers are floats)."""
    frame = pd.DataFrame(converted, columns=[field["name"] for field in fields], dtype=object)
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        if kind == "number":
            frame[name] = frame[name].astype("float64")
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def raise_if_problems(problems: list[Problem], shown_as: str) -> None:
    """Raise one :class:`DataError` listing the problems, or return if there are none."""
    if not problems:
        return
    shown = "\n".join(f"  {shown_as}, {p.describe()}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    tail = f"\n  … and {more} more" if more > 0 else ""
    raise DataError(f"{shown_as} does not fit its schema in data/datapackage.json:\n{shown}{tail}")


def load(name: str, *, root: Path | None = None) -> pd.DataFrame:
    """Load the data package resource ``name`` as a validated, typed DataFrame.

    Parameters
    ----------
    name
        The resource's ``name`` in ``data/datapackage.json``, e.g. ``"statistics"``.
    root
        The project folder; found from the working directory when omitted.

    Returns
    -------
    pandas.DataFrame
        One column per schema field, in schema order: ``string`` fields as pandas strings, ``number`` as
        float64, ``integer`` as Int64, ``boolean`` as boolean. Empty optional cells are missing values.

    Raises
    ------
    DataError
        If the resource is not described, its file is missing or altered (hash), or any header or cell
        breaks the schema. The message names the file, the row and the column and what was expected.
    """
    root = root or project_root()
    resource = find_resource(read_descriptor(root), name)
    path, shown_as = resource_path(root, resource)
    if not path.is_file():
        raise DataError(f"{shown_as}: file not found (resource '{name}' in {PACKAGE_DESCRIPTOR})")
    check_hash(resource, path, shown_as)
    fields = resource["schema"]["fields"]
    header, rows = read_csv_cells(path, shown_as)
    raise_if_problems(check_header(header, fields), shown_as)
    converted, problems = parse_rows(rows, fields)
    problems += duplicate_problems(rows, fields, resource["schema"].get("primaryKey", []))
    raise_if_problems(sorted(problems, key=lambda p: (p.row or 0, p.column or "")), shown_as)
    return to_frame(converted, fields)


def record_hashes(root: Path | None = None) -> list[str]:
    """Re-record each resource's sha256 and size in ``data/datapackage.json``; return what changed.

    This is what ``make lock-data`` runs after a deliberate edit of a data file. It writes only the
    descriptor, never a data file.
    """
    root = root or project_root()
    descriptor = read_descriptor(root)
    changed = []
    for resource in descriptor["resources"]:
        path, shown_as = resource_path(root, resource)
        if not path.is_file():
            raise DataError(f"{shown_as}: file not found (resource '{resource['name']}')")
        new_hash, new_size = file_hash(path), path.stat().st_size
        if (resource.get("hash"), resource.get("bytes")) != (new_hash, new_size):
            changed.append(shown_as)
        resource["hash"], resource["bytes"] = new_hash, new_size
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (root / PACKAGE_DESCRIPTOR).write_text(text, encoding="utf-8")
    return changed
