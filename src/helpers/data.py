"""The one way into ``data/``: load a table described in ``data/datapackage.json`` and refuse bad input.

Every notebook reads data through :func:`load`. Before a table reaches pandas it is checked against the
Frictionless Data Package that describes it: the file must exist, its sha256 must match the recorded hash,
its header must hold exactly the schema's fields, every cell must have the schema's type and meet its
constraints, and every foreign key must name a row that exists in the table it points at. Any failure
raises :class:`DataError`, whose message names the file, the row and the column, what was expected and
what was found. Nothing is coerced: ``"12,3"`` in a number column is an error, not 12.3.

:func:`validate_package` checks every resource at once; ``make book`` runs it before any notebook, so bad
data stops the build with one message instead of a traceback per notebook.

The files are only ever opened for reading. The recorded hashes change only through ``make lock-data``
(:func:`record_hashes`), after a deliberate edit, and only for files that pass every other check.
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


def foreign_key_problems(converted: list[list], rows: list[tuple[int, list[str]]], fields: list[dict],
                         foreign_keys: list[dict], referenced: dict[str, pd.DataFrame], descriptor: dict) -> list[Problem]:
    """Find foreign-key values that name no row of the resource they point at.

    ``referenced`` holds the loaded resources the keys point at, by name; a key whose ``resource`` is
    ``""`` points at this resource itself (a place's parent is another place). Empty cells point nowhere
    and are allowed (whether a cell may be empty is the field's own constraint).
    """
    names = [field["name"] for field in fields]
    problems = []
    for foreign_key in foreign_keys:
        columns = foreign_key["fields"] if isinstance(foreign_key["fields"], list) else [foreign_key["fields"]]
        reference = foreign_key["reference"]
        target_fields = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
        target_name = reference.get("resource", "")
        if target_name:
            target = referenced[target_name]
            allowed = set(target[target_fields].astype(object).itertuples(index=False, name=None))
            shown_target = f"data/{find_resource(descriptor, target_name)['path']}"
        else:
            allowed = {tuple(values[names.index(f)] for f in target_fields) for values in converted}
            shown_target = "this file"
        positions = [names.index(column) for column in columns]
        for row_number, (values, (line, _)) in enumerate(zip(converted, rows), start=1):
            value = tuple(values[p] for p in positions)
            if any(v is None for v in value) or value in allowed:
                continue
            problems.append(Problem(row_number, line, "+".join(columns),
                                    f"a {'+'.join(target_fields)} listed in {shown_target}",
                                    "/".join(str(v) for v in value)))
    return problems


#: Loaded resources, by project, name and whether the hash was checked, with the file state they were read from.
_LOADED: dict[tuple[str, str, bool], tuple[tuple, pd.DataFrame]] = {}


def file_state(*paths: Path) -> tuple:
    """What identifies the files' contents cheaply: modification time and size of each."""
    return tuple((path.stat().st_mtime_ns, path.stat().st_size) for path in paths)


def read_resource(root: Path, descriptor: dict, name: str, *, verify_hash: bool, loading: tuple = ()) -> pd.DataFrame:
    """Read and check one resource (see :func:`load`); the resources its foreign keys point at are read too."""
    resource = find_resource(descriptor, name)
    path, shown_as = resource_path(root, resource)
    if not path.is_file():
        raise DataError(f"{shown_as}: file not found (resource '{name}' in {PACKAGE_DESCRIPTOR})")
    cache_key = (str(root), name, verify_hash)
    state = file_state(path, root / PACKAGE_DESCRIPTOR)
    if cache_key in _LOADED and _LOADED[cache_key][0] == state:
        return _LOADED[cache_key][1].copy()
    if verify_hash:
        check_hash(resource, path, shown_as)
    schema = resource["schema"]
    fields = schema["fields"]
    header, rows = read_csv_cells(path, shown_as)
    raise_if_problems(check_header(header, fields), shown_as)
    converted, problems = parse_rows(rows, fields)
    problems += duplicate_problems(rows, fields, schema.get("primaryKey", []))
    raise_if_problems(sorted(problems, key=lambda p: (p.row or 0, p.column or "")), shown_as)
    foreign_keys = schema.get("foreignKeys", [])
    targets = {fk["reference"].get("resource", "") for fk in foreign_keys} - {""}
    cycle = sorted(targets & set(loading + (name,)))
    if cycle:
        raise DataError(f"{PACKAGE_DESCRIPTOR}: the foreign keys of '{name}' lead back to {cycle}")
    referenced = {target: read_resource(root, descriptor, target, verify_hash=verify_hash, loading=loading + (name,))
                  for target in sorted(targets)}
    raise_if_problems(foreign_key_problems(converted, rows, fields, foreign_keys, referenced, descriptor), shown_as)
    frame = to_frame(converted, fields)
    _LOADED[cache_key] = (state, frame)
    return frame.copy()


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
        If the resource is not described, its file is missing or altered (hash), any header or cell breaks
        the schema, or a foreign key names a row that does not exist. The message names the file, the row
        and the column, what was expected and what was found.
    """
    root = root or project_root()
    return read_resource(root, read_descriptor(root), name, verify_hash=True)


def validate_package(root: Path | None = None, *, verify_hash: bool = True) -> list[str]:
    """Check every resource of the package; return one message per problem found (empty when all is well).

    A resource whose foreign key points at a broken one reports the broken one's problem, so each message
    is listed once.
    """
    root = root or project_root()
    try:
        descriptor = read_descriptor(root)
    except DataError as error:
        return [str(error)]
    messages: list[str] = []
    for resource in descriptor.get("resources", []):
        try:
            read_resource(root, descriptor, resource["name"], verify_hash=verify_hash)
        except DataError as error:
            if str(error) not in messages:
                messages.append(str(error))
    return messages


def record_hashes(root: Path | None = None) -> list[str]:
    """Re-record each resource's sha256 and size in ``data/datapackage.json``; return what changed.

    This is what ``make lock-data`` runs after a deliberate edit of a data file. It writes only the
    descriptor, never a data file, and only when every file passes every check but the hash: a file that
    breaks its schema or a foreign key gets no hash.

    Raises
    ------
    DataError
        Listing every problem, when any file breaks its schema; nothing is written then.
    """
    root = root or project_root()
    problems = validate_package(root, verify_hash=False)
    if problems:
        raise DataError("no hash recorded: fix these first\n" + "\n".join(problems))
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
