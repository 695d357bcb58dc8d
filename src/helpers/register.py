"""Look up statistics in the register (``data/statistics.csv``) and compute the few things derived from them."""

from __future__ import annotations

import pandas as pd


def statistic(register: pd.DataFrame, stat_id: str) -> pd.Series:
    """Return the register row for ``stat_id``.

    Raises
    ------
    KeyError
        If the register has no such statistic (the message names it, so a typo in a notebook is obvious).
    """
    rows = register[register["stat_id"] == stat_id]
    if rows.empty:
        raise KeyError(f"data/statistics.csv has no statistic with stat_id '{stat_id}'")
    return rows.iloc[0]


def value_of(register: pd.DataFrame, stat_id: str) -> float:
    """Return a statistic's value as a plain float."""
    return float(statistic(register, stat_id)["value"])


def for_report(register: pd.DataFrame, report: str) -> pd.DataFrame:
    """Return the register rows quoted in one report, in register order."""
    return register[register["report"] == report].reset_index(drop=True)


def percent_change(old: float, new: float) -> float:
    """Return the change from ``old`` to ``new`` as a percentage of ``old`` (negative for a fall)."""
    if old == 0:
        raise ZeroDivisionError("percent change from zero is undefined")
    return (new - old) / old * 100.0


#: How each unit is written after (or around) its number; ``{n}`` is the number. Singular forms follow.
UNIT_TEMPLATES = {
    "percent": "{n}%",
    "percent change": "{n}%",
    "percentage points": "{n} percentage points",
    "GBP": "£{n}",
    "GBP million": "£{n} million",
    "GBP billion": "£{n} billion",
    "people": "{n} people",
    "count": "{n}",
    "years": "{n} years",
    "months": "{n} months",
    "days": "{n} days",
    "year": "{n}",
    "qualification level": "level {n}",
    "ratio": "{n} times",
    "square miles": "{n} square miles",
}
SINGULAR_TEMPLATES = {"people": "{n} person", "years": "{n} year", "months": "{n} month", "days": "{n} day",
                      "percentage points": "{n} percentage point"}
#: Whole counts of this size or more, written in round hundred thousands, read better in words.
MILLION = 1_000_000


def number_text(value: float, unit: str, spec: str | None = None) -> str:
    """Write a number as a person would for its unit: ``2,756,000``, ``10 million``, ``10.58``, ``2016``.

    ``spec`` is a Python format specification (``".0f"``, ``",.1f"``) that overrides the default, for a
    sentence that needs the value rounded.
    """
    if spec:
        return format(value, spec)
    if unit == "year":
        return f"{value:.0f}"
    if unit == "GBP" and not float(value).is_integer():
        return f"{value:,.2f}"
    if abs(value) >= MILLION and value % (MILLION / 10) == 0:
        return f"{value / MILLION:g} million"  # "nearly 10 million people", not "nearly 10,000,000 people"
    return f"{value:,.10g}"


def format_value(value: float, unit: str, qualifier: str = "exact", *, qualified: bool = True,
                 spec: str | None = None, number_only: bool = False) -> str:
    """Write a register value as a reader expects it: ``about 15%``, ``£227 million``, ``650 people``.

    Parameters
    ----------
    value, unit, qualifier
        As in ``data/statistics.csv``; a qualifier other than ``exact`` ("about", "more than") goes first.
    qualified
        False to leave the qualifier out, where the sentence carries the hedge itself.
    spec
        A format specification for the number, to round it (``".0f"``).
    number_only
        True for the number alone, with neither unit nor qualifier.

    Raises
    ------
    ValueError
        If the unit is not one the register's schema allows.
    """
    if unit not in UNIT_TEMPLATES:
        raise ValueError(f"unknown unit {unit!r}: expected one of {sorted(UNIT_TEMPLATES)}")
    number = number_text(float(value), unit, spec)
    if number_only:
        return number
    template = SINGULAR_TEMPLATES.get(unit, UNIT_TEMPLATES[unit]) if float(value) == 1 else UNIT_TEMPLATES[unit]
    text = template.format(n=number)
    return text if not qualified or qualifier == "exact" else f"{qualifier} {text}"


def format_statistic(row: pd.Series, **options) -> str:
    """Write a register row's value with its unit and qualifier; options as for :func:`format_value`."""
    return format_value(row["value"], row["unit"], row["qualifier"], **options)
