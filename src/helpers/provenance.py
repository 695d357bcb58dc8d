"""Carry every number and figure into the book with its provenance.

Numbers a notebook computes reach the prose through myst-nb's ``glue`` (:func:`glue_number`); register
values go straight into the prose with the ``{stat}`` role. Figures and tables are written to
``_build/generated/`` together with the CSV of exactly the data they show, and shown in the page as a MyST
figure or table whose caption names its source and links to that CSV (:func:`publish_figure`,
:func:`publish_table`). Beside each CSV goes a record of the data-package resources its rows were drawn
from and the columns holding their keys (``<name>.provenance.json``), so ``make check`` can look every row
up instead of guessing where it came from. The book renders notebook Markdown output as MyST
(``nb_render_markdown_format: myst`` in ``_config.yml``), which is what lets a caption carry citations
and a download link.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from numbers import Integral, Number
from pathlib import Path

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure
from myst_nb import glue

from helpers.data import find_resource, read_descriptor
from helpers.paths import csv_bytes, generated_dir, project_root, write_if_changed
from helpers.plots import save_svg
from helpers.register import format_statistic


def plain_number(value) -> int | float:
    """Return ``value`` as a built-in int or float; a whole number becomes an int.

    Whole numbers become ints so that a count reads "5", not "5.0", whatever format the prose asks for.

    A glued numpy scalar is stored as ``np.float64(46.2)``, which a format spec in ``{glue:text}`` cannot
    read (and a strict build then fails), so every glued number goes through here.
    """
    if isinstance(value, bool) or not isinstance(value, Number):
        raise TypeError(f"expected a number to glue, got {type(value).__name__}: {value!r}")
    if isinstance(value, Integral):
        return int(value)
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def glue_number(name: str, value) -> None:
    """Glue a number for use in prose as ``{glue:text}`name:.1f```."""
    glue(name, plain_number(value), display=False)


def glue_text(name: str, text: str) -> None:
    """Glue a short piece of text (a period, a place) for use in prose as ``{glue:md}`name```.

    Text is glued as Markdown because ``{glue:text}`` of a Python string shows its quotes.
    """
    glue(name, Markdown(str(text)), display=False)


def cite_statistic(row: pd.Series) -> str:
    """Say where a register statistic comes from, as MyST: the report and section, and the source it cites."""
    where = f"{{cite:t}}`{row['report']}`, section *{row['section']}*"
    if row["primary_source"] == row["report"]:
        return where
    return f"{where}, citing {{cite:t}}`{row['primary_source']}`"


def statistics_behind(register: pd.DataFrame, stat_ids: Sequence[str]) -> pd.DataFrame:
    """Return the register rows behind a figure or table, in the order given, for its CSV download.

    Use it when what is shown is reshaped (a wide table, paired bars): the download then lists each
    number once with its ``stat_id``, which ``make check`` traces back to the register.
    """
    missing = [stat_id for stat_id in stat_ids if stat_id not in set(register["stat_id"])]
    if missing:
        raise KeyError(f"data/statistics.csv has no statistic with stat_id {missing}")
    columns = ["stat_id", "indicator", "geography", "period", "value", "unit", "qualifier"]
    return register.set_index("stat_id").loc[list(stat_ids)].reset_index()[columns]


def publish_register(register: pd.DataFrame, name: str, *, caption: str, section_label: str) -> Markdown:
    """Publish the table of a chapter's register rows: what, where, when, value, section and cited source."""
    listing = pd.DataFrame({
        "What": register["indicator"],
        "Where": register["geography"],
        "When": register["period"],
        "Value": [format_statistic(row) for _, row in register.iterrows()],
        section_label: register["section"],
        "Cited source": [f"{{cite:t}}`{key}`" for key in register["primary_source"]],
    })
    return publish_table(listing, name, caption=caption, sources=["`data/statistics.csv`"], data=register,
                         drawn_from={"statistics": "stat_id"})


def sources_sentence(sources: Sequence[str]) -> str:
    """Join source descriptions into one 'Source:' sentence, without repeating one."""
    unique = list(dict.fromkeys(sources))
    label = "Source" if len(unique) == 1 else "Sources"
    return f"{label}: {'; '.join(unique)}."


def download_role(csv_path_from_root: str, what: str = "the data behind this figure") -> str:
    """Return a MyST ``{download}`` role linking to a generated CSV (path absolute from the book root)."""
    return f"{{download}}`Download {what} (CSV) </{csv_path_from_root}>`"


#: The sidecar written beside each generated CSV: which resources its rows come from, keyed by which columns.
PROVENANCE_SUFFIX = ".provenance.json"

DrawnFrom = Mapping[str, "str | Sequence[str] | Mapping[str, str]"]


def key_columns(drawn_from: DrawnFrom, data: pd.DataFrame, name: str, root: Path) -> list[dict]:
    """Check and normalise a ``drawn_from`` mapping into ``[{"resource": …, "key": {key field: column}}]``.

    ``drawn_from`` maps each data-package resource the rows come from to the column(s) of ``data`` holding
    that resource's primary key: one column name, a list in the order of the key's fields, or a mapping
    from key field to column where the names differ.

    Raises
    ------
    ValueError
        If no resource is named, a resource is unknown, the columns do not match its primary key, or a
        column is missing from ``data``: a figure must say where its numbers came from.
    """
    if not drawn_from:
        raise ValueError(f"'{name}': say which data-package resources the rows were drawn from (drawn_from=...)")
    descriptor = read_descriptor(root)
    records = []
    for resource_name, columns in drawn_from.items():
        key = find_resource(descriptor, resource_name)["schema"].get("primaryKey", [])
        if isinstance(columns, Mapping):
            mapping = dict(columns)
        else:
            listed = [columns] if isinstance(columns, str) else list(columns)
            if len(listed) != len(key):
                raise ValueError(f"'{name}': resource '{resource_name}' has the key {key}; got columns {listed}")
            mapping = dict(zip(key, listed))
        if sorted(mapping) != sorted(key):
            raise ValueError(f"'{name}': resource '{resource_name}' has the key {key}; got {sorted(mapping)}")
        missing = [column for column in mapping.values() if column not in data.columns]
        if missing:
            raise ValueError(f"'{name}': the data has no column {missing} (columns: {list(data.columns)})")
        records.append({"resource": resource_name, "key": mapping})
    return records


def write_generated_csv(data: pd.DataFrame, name: str, *, drawn_from: DrawnFrom) -> str:
    """Write ``data`` to ``_build/generated/<name>.csv`` with its provenance record; return the CSV's path
    relative to the project root. ``drawn_from`` is described in :func:`key_columns`."""
    root = project_root()
    records = key_columns(drawn_from, data, name, root)
    path = generated_dir(root) / f"{name}.csv"
    write_if_changed(path, csv_bytes(data))
    record = json.dumps({"csv": path.name, "drawn_from": records}, indent=1, sort_keys=True) + "\n"
    write_if_changed(path.with_name(name + PROVENANCE_SUFFIX), record.encode("utf-8"))
    return path.relative_to(root).as_posix()


def one_line(text: str) -> str:
    """Fold text onto one line: a directive option (such as ``:alt:``) must not span lines."""
    return " ".join(text.split())


def publish_figure(fig: Figure, name: str, *, data: pd.DataFrame, drawn_from: DrawnFrom, alt: str, caption: str,
                   sources: Sequence[str]) -> Markdown:
    """Save a figure and the data it shows, and return the MyST figure that displays both.

    Parameters
    ----------
    fig
        The finished matplotlib figure; it is saved as SVG and closed.
    name
        Unique slug for the figure across the book; also its label (``fig-<name>``) for ``{numref}``.
    data
        Exactly the numbers drawn, offered as a CSV download under the figure.
    drawn_from
        The data-package resources the rows of ``data`` come from, each with the column(s) holding its key,
        e.g. ``{"statistics": "stat_id"}`` (see :func:`key_columns`); ``make check`` looks every row up.
    alt
        What the figure shows, for readers who cannot see it: the finding, not "a chart".
    caption
        One or two sentences shown under the figure.
    sources
        MyST source descriptions (see :func:`cite_statistic`), joined into the caption's source line.
    """
    if not alt.strip():
        raise ValueError(f"figure '{name}' needs alt text")
    root = project_root()
    svg_path = save_svg(fig, generated_dir(root) / f"{name}.svg")
    csv_path = write_generated_csv(data, name, drawn_from=drawn_from)
    return Markdown(
        f"```{{figure}} /{svg_path.relative_to(root).as_posix()}\n"
        f":alt: {one_line(alt)}\n"
        f":name: fig-{name}\n\n"
        f"{one_line(caption)} {sources_sentence(sources)} {download_role(csv_path)}\n"
        "```\n"
    )


def escape_cell(value) -> str:
    """Format one table cell for a Markdown pipe table."""
    text = "" if pd.isna(value) else str(value)
    return one_line(text).replace("|", "\\|")


def pipe_table(table: pd.DataFrame) -> str:
    """Render a DataFrame as a Markdown pipe table (column names as the header)."""
    header = "| " + " | ".join(escape_cell(c) for c in table.columns) + " |"
    rule = "|" + "|".join(" --- " for _ in table.columns) + "|"
    rows = ["| " + " | ".join(escape_cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def table_directive(table: pd.DataFrame, name: str, *, caption: str) -> str:
    """Return the MyST for a numbered, captioned table (label ``tbl-<name>``), with no download.

    For tables that describe the project rather than its data (the data dictionary); tables of data go
    through :func:`publish_table`, which adds the source and the CSV.
    """
    return f"````{{table}} {one_line(caption)}\n:name: tbl-{name}\n\n{pipe_table(table)}\n````\n"


def publish_table(table: pd.DataFrame, name: str, *, caption: str, sources: Sequence[str], drawn_from: DrawnFrom,
                  data: pd.DataFrame | None = None) -> Markdown:
    """Show a table with its caption, source and a CSV download; return the MyST to display.

    ``table`` is what the reader sees (formatted, relabelled); ``data`` is what they download, the plain
    values, and defaults to ``table`` itself. ``drawn_from`` names the resources behind the rows of the
    download and the columns holding their keys, as for :func:`publish_figure`.
    """
    csv_path = write_generated_csv(table if data is None else data, name, drawn_from=drawn_from)
    return Markdown(
        f"{table_directive(table, name, caption=caption)}\n"
        f"{sources_sentence(sources)} {download_role(csv_path, 'this table')}\n"
    )
