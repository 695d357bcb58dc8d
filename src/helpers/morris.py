"""The IPPR briefing of March 2021 (chapter morris2021): what its chapter says beyond the briefing.

The chapter sets the briefing's two real-terms ESOL funding figures beside published cash figures and
learner counts. Learner counts come from several publishers and counting bases (the ``series`` column of
``data/esol_learners.csv``), so every function here selects rows by what they count, never by their
position in the file, and nothing here joins one series to another. The full time line is the ESOL
thread's (``book/across/esol.md``, with :mod:`helpers.esol`); this module holds only what the chapter needs.
"""

from __future__ import annotations

import pandas as pd

from helpers.esol import academic_year_end

#: How the chapter names each counting series of ``data/esol_learners.csv`` (in a legend, say).
SERIES_NAMES = {
    "lsc-skills-for-life": "LSC, Skills for Life ESOL learners",
    "lsc-demand-led": "LSC, demand-led count (provisional)",
    "aoc-estimate": "AoC, ESOL students (approximate)",
    "dfe-fe-skills": "DfE, publicly funded adult ESOL learners",
}


def academic_year(end: int) -> str:
    """Write the academic year that ends in calendar year ``end``: ``2017`` → ``2016/17``."""
    return f"{end - 1}/{end % 100:02d}"


def in_year_order(table: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of a table with an ``academic_year`` column in time order, renumbered."""
    order = table["academic_year"].map(academic_year_end).sort_values(kind="stable").index
    return table.loc[order].reset_index(drop=True)


def series_rows(learners: pd.DataFrame, series: str) -> pd.DataFrame:
    """Return the learner counts of one counting series, in time order.

    Raises
    ------
    KeyError
        If no row belongs to ``series``, naming the series the table does hold.
    """
    rows = learners[learners["series"] == series]
    if rows.empty:
        raise KeyError(f"no learner counts in series {series!r}; the table holds {sorted(set(learners['series']))}")
    return in_year_order(rows)


def between(table: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Return the rows whose academic year lies from ``first`` to ``last`` (both included), in time order."""
    ends = table["academic_year"].map(academic_year_end)
    return in_year_order(table[(ends >= academic_year_end(first)) & (ends <= academic_year_end(last))])


def each_lower_than_the_last(values: list[float]) -> bool:
    """Whether every value is lower than the one before it (a fall at every step).

    Raises
    ------
    ValueError
        With fewer than two values, where there is no step to judge.
    """
    if len(values) < 2:
        raise ValueError("need at least two values to judge a fall")
    return all(later < earlier for earlier, later in zip(values, values[1:]))


def missing_years(academic_years: list[str]) -> list[str]:
    """Name the academic years missing between the first and the last given, one entry per gap.

    A gap of one year is written ``2014/15``; a longer one ``2009/10 to 2012/13``.
    """
    ends = sorted({academic_year_end(year) for year in academic_years})
    gaps = []
    for earlier, later in zip(ends, ends[1:]):
        if later - earlier > 1:
            first, last = academic_year(earlier + 1), academic_year(later - 1)
            gaps.append(first if first == last else f"{first} to {last}")
    return gaps


def listed(items: list[str]) -> str:
    """Join items as prose: ``a``, ``a and b``, ``a, b and c``."""
    if not items:
        raise ValueError("nothing to list")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

