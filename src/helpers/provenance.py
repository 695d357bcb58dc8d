"""Carry every number and figure into the book with its provenance.

Numbers reach the prose through myst-nb's ``glue`` (:func:`glue_number`). Figures and tables are written
to ``_build/generated/`` together with the CSV of exactly the data they show, and shown in the page as a
MyST figure or table whose caption names its source and links to that CSV (:func:`publish_figure`,
:func:`publish_table`). The book renders notebook Markdown output as MyST
(``nb_render_markdown_format: myst`` in ``_config.yml``), which is what lets a caption carry citations
and a download link.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Number

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure
from myst_nb import glue

from helpers.paths import csv_bytes, generated_dir, project_root, write_if_changed
from helpers.plots import save_svg


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


def value_with_unit(value: float, unit: str, qualifier: str = "exact") -> str:
    """Write a register value as a reader expects it: ``about 15%``, ``£50,000``, ``£227m``, ``3 years``.

    Years are written without a thousands separator; a count needs no unit word; anything else keeps its
    unit after the number.
    """
    number = f"{value:,.10g}"
    text = {
        "percent": f"{number}%",
        "GBP": f"£{number}",
        "GBP million": f"£{number}m",
        "GBP billion": f"£{number}bn",
        "year": f"{value:.10g}",
        "count": number,
    }.get(unit, f"{number} {unit}")
    return text if qualifier == "exact" else f"{qualifier} {text}"


def publish_register(register: pd.DataFrame, name: str, *, caption: str, section_label: str) -> Markdown:
    """Publish the table of a chapter's register rows: what, where, when, value, section and cited source."""
    listing = pd.DataFrame({
        "What": register["indicator"],
        "Where": register["geography"],
        "When": register["period"],
        "Value": [value_with_unit(v, u, q) for v, u, q in zip(register["value"], register["unit"], register["qualifier"])],
        section_label: register["section"],
        "Cited source": [f"{{cite:t}}`{key}`" for key in register["primary_source"]],
    })
    return publish_table(listing, name, caption=caption, sources=["`data/statistics.csv`"], data=register)


def sources_sentence(sources: Sequence[str]) -> str:
    """Join source descriptions into one 'Source:' sentence, without repeating one."""
    unique = list(dict.fromkeys(sources))
    label = "Source" if len(unique) == 1 else "Sources"
    return f"{label}: {'; '.join(unique)}."


def download_role(csv_path_from_root: str, what: str = "the data behind this figure") -> str:
    """Return a MyST ``{download}`` role linking to a generated CSV (path absolute from the book root)."""
    return f"{{download}}`Download {what} (CSV) </{csv_path_from_root}>`"


def write_generated_csv(data: pd.DataFrame, name: str) -> str:
    """Write ``data`` to ``_build/generated/<name>.csv``; return its path relative to the project root."""
    root = project_root()
    path = generated_dir(root) / f"{name}.csv"
    write_if_changed(path, csv_bytes(data))
    return path.relative_to(root).as_posix()


def one_line(text: str) -> str:
    """Fold text onto one line: a directive option (such as ``:alt:``) must not span lines."""
    return " ".join(text.split())


def publish_figure(fig: Figure, name: str, *, data: pd.DataFrame, alt: str, caption: str,
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
    csv_path = write_generated_csv(data, name)
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


def publish_table(table: pd.DataFrame, name: str, *, caption: str, sources: Sequence[str],
                  data: pd.DataFrame | None = None) -> Markdown:
    """Show a table with its caption, source and a CSV download; return the MyST to display.

    ``table`` is what the reader sees (formatted, relabelled); ``data`` is what they download, the plain
    values, and defaults to ``table`` itself.
    """
    csv_path = write_generated_csv(table if data is None else data, name)
    return Markdown(
        f"{table_directive(table, name, caption=caption)}\n"
        f"{sources_sentence(sources)} {download_role(csv_path, 'this table')}\n"
    )
