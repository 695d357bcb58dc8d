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
