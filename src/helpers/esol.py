"""English-language (ESOL) funding and the ESOL thread across the reports.

The briefing's two real-terms points beside the published cash series (chapter morris2021), and what the
cross-report ESOL chapter (book/across/esol.md) needs: academic years and reports on one time axis, the asks
that use the English-language lever, and cash funding per funded learner. Kept here rather than in a
notebook because more than one chapter follows the ESOL thread.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.register import percent_change, statistic

#: Register rows for the IPPR briefing's real-terms comparison (2016/17 prices), earliest first.
REAL_TERMS_STATS = ("morris2021-esol-funding-2009-10", "morris2021-esol-funding-2016-17")
PRICE_BASE_YEAR = "2016/17"


def real_terms_points(register: pd.DataFrame) -> pd.DataFrame:
    """Return the briefing's two ESOL funding figures in 2016/17 prices as ``academic_year, gbp_million``."""
    rows = [statistic(register, stat_id) for stat_id in REAL_TERMS_STATS]
    return pd.DataFrame(
        {"academic_year": [row["period"] for row in rows], "gbp_million": [float(row["value"]) for row in rows]}
    )


def cash_amount(funding: pd.DataFrame, academic_year: str) -> float:
    """Return the cash ESOL funding of one academic year from the ``esol_funding`` table."""
    rows = funding[funding["academic_year"] == academic_year]
    if len(rows) != 1:
        raise KeyError(f"data/esol_funding.csv has {len(rows)} rows for {academic_year}, expected exactly 1")
    return float(rows["amount_gbp_million"].iloc[0])


def funding_comparison(register: pd.DataFrame, funding: pd.DataFrame) -> pd.DataFrame:
    """Set the real-terms points beside the cash amounts for the same years, with the change in each.

    Returns one row per basis (``2016/17 prices`` and ``cash``) with the first and last amounts and the
    percentage change between them.
    """
    real = real_terms_points(register)
    first, last = real["academic_year"].iloc[0], real["academic_year"].iloc[-1]
    cash_first, cash_last = cash_amount(funding, first), cash_amount(funding, last)
    real_first, real_last = real["gbp_million"].iloc[0], real["gbp_million"].iloc[-1]
    return pd.DataFrame(
        {
            "basis": [f"{PRICE_BASE_YEAR} prices", "cash"],
            "from_year": [first, first],
            "to_year": [last, last],
            "from_gbp_million": [real_first, cash_first],
            "to_gbp_million": [real_last, cash_last],
            "percent_change": [percent_change(real_first, real_last), percent_change(cash_first, cash_last)],
        }
    )


def implied_price_factor(register: pd.DataFrame, funding: pd.DataFrame) -> float:
    """Return how much the briefing scaled the first year's cash figure up to express it in 2016/17 prices."""
    real = real_terms_points(register)
    return float(real["gbp_million"].iloc[0] / cash_amount(funding, real["academic_year"].iloc[0]))


# --- The ESOL thread across the four reports (book/across/esol.md). ---

#: The codebook's lever for English language teaching (data/levers.csv); adult skills are a lever of their own.
ESOL_LEVER = "english-language"


def academic_year_end(academic_year: str) -> int:
    """Return the calendar year in which an academic year such as ``2016/17`` ends (2017).

    Raises
    ------
    ValueError
        If the text is not two years written ``YYYY/YY`` one year apart.
    """
    match = re.fullmatch(r"(\d{4})/(\d{2})", academic_year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"not an academic year of the form 2016/17: {academic_year!r}")
    return int(match.group(1)) + 1


def academic_year_position(academic_year: str) -> float:
    """Place an academic year on a calendar-year axis: at 1 January of the year in which it ends.

    English academic years run from September to July, so 1 January (``2017.0`` for ``2016/17``) is
    close to their middle.
    """
    return float(academic_year_end(academic_year))


def publication_position(year: int) -> float:
    """Place a report on a calendar-year axis at the middle of its publication year (``data/reports.csv``
    holds only the year)."""
    return float(year) + 0.5


def thread_asks(recommendations: pd.DataFrame, lever: str = ESOL_LEVER) -> pd.DataFrame:
    """Return the asks that use ``lever``, in their order, with two columns added.

    ``main_lever`` is true when ``lever`` is listed first (the codebook lists the main lever first) and
    ``other_levers`` holds the rest, joined by ``;`` (empty when there are none).
    """
    split = recommendations["levers"].str.split(";")
    uses = split.map(lambda levers: lever in levers)
    asks = recommendations[uses].copy()
    levers = split[uses]
    asks["main_lever"] = levers.map(lambda values: values[0] == lever)
    asks["other_levers"] = levers.map(lambda values: ";".join(v for v in values if v != lever))
    return asks.reset_index(drop=True)


def asks_by_actor(asks: pd.DataFrame, report_order: list[str], actor_order: list[str]) -> pd.DataFrame:
    """Count asks by who is asked (rows, in ``actor_order``) and report (columns, in ``report_order``).

    Reports or actors with no ask count 0. An actor not in ``actor_order`` raises ``ValueError``, so that
    no ask drops out of the count unseen.
    """
    unknown = sorted(set(asks["actor"]) - set(actor_order))
    if unknown:
        raise ValueError(f"actors not in the order given: {unknown}")
    counts = pd.crosstab(asks["actor"], asks["report"])
    return counts.reindex(index=actor_order, columns=report_order, fill_value=0).astype(int)


def reports_after(academic_years: list[str], reports: pd.DataFrame) -> pd.DataFrame:
    """Return the reports published in a later calendar year than the one in which a series' last
    academic year ended: reports that our series cannot describe up to their own time."""
    last_end = max(academic_year_end(year) for year in academic_years)
    return reports[reports["year"] > last_end].sort_values(["year", "report"]).reset_index(drop=True)


def academic_year_of(end_year: int) -> str:
    """Return the academic year that ends in ``end_year`` (``2017`` gives ``2016/17``)."""
    return f"{end_year - 1}/{end_year % 100:02d}"


def missing_runs(academic_years: list[str]) -> list[tuple[str, str]]:
    """Return the runs of academic years missing between the first and last of ``academic_years``.

    Each run is ``(first missing, last missing)``; a single missing year gives the same year twice. The
    years may come in any order.
    """
    ends = sorted(academic_year_end(year) for year in academic_years)
    return [(academic_year_of(before + 1), academic_year_of(after - 1))
            for before, after in zip(ends, ends[1:]) if after - before > 1]


def series_starts(learners: pd.DataFrame) -> list[tuple[str, str]]:
    """Return ``(academic_year, series)`` for every year in which the counting basis changes, in year order
    (the first row's series is not a change)."""
    ordered = learners.sort_values("academic_year")
    pairs = list(zip(ordered["academic_year"], ordered["series"]))
    return [(year, series) for (_, before), (year, series) in zip(pairs, pairs[1:]) if series != before]


def change_within_series(learners: pd.DataFrame, series: str) -> dict:
    """Compare the first and last counts of one counting basis (never across bases).

    Returns ``first_year, first, last_year, last, change_percent`` for the rows of ``series``.

    Raises
    ------
    ValueError
        If the series has fewer than two rows, or any of them is only approximate.
    """
    rows = learners[learners["series"] == series].sort_values("academic_year")
    if len(rows) < 2:
        raise ValueError(f"series {series!r} has {len(rows)} row(s); a change needs two")
    if (rows["qualifier"] != "exact").any():
        raise ValueError(f"series {series!r} holds approximate counts; no change is computed from them")
    first, last = rows.iloc[0], rows.iloc[-1]
    return {"first_year": first["academic_year"], "first": int(first["learners"]),
            "last_year": last["academic_year"], "last": int(last["learners"]),
            "change_percent": percent_change(float(first["learners"]), float(last["learners"]))}
