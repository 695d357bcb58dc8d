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

#: The codebook's lever for English teaching and adult skills (data/levers.csv).
ESOL_LEVER = "esol-skills"
#: Words that mark an ask as being about English teaching itself rather than adult skills in general. The
#: summaries in data/recommendations.csv are ours, so this reads our wording, not the reports'.
ENGLISH_WORDS = re.compile(r"\b(English|ESOL|language)\b", re.IGNORECASE)


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
    """Return the recommendations that use ``lever``, in their order, with three columns added.

    ``main_lever`` is true when ``lever`` is listed first (the codebook lists the main lever first),
    ``other_levers`` holds the rest, joined by ``;`` (empty when there are none), and ``names_english`` is
    true when the summary names English, ESOL or language (:data:`ENGLISH_WORDS`).
    """
    split = recommendations["levers"].str.split(";")
    uses = split.map(lambda levers: lever in levers)
    asks = recommendations[uses].copy()
    levers = split[uses]
    asks["main_lever"] = levers.map(lambda values: values[0] == lever)
    asks["other_levers"] = levers.map(lambda values: ";".join(v for v in values if v != lever))
    asks["names_english"] = asks["summary"].map(lambda text: bool(ENGLISH_WORDS.search(text)))
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


def cash_per_learner(funding: pd.DataFrame, learners: pd.DataFrame) -> pd.DataFrame:
    """Set cash funding beside funded learners for the academic years both tables cover.

    Returns ``academic_year, amount_gbp_million, funding_route, learners, gbp_per_learner`` (pounds of cash
    funding per funded learner), in academic-year order.
    """
    both = funding[["academic_year", "amount_gbp_million", "funding_route"]].merge(
        learners[["academic_year", "learners"]], on="academic_year", how="inner")
    both["gbp_per_learner"] = both["amount_gbp_million"] * 1_000_000 / both["learners"]
    return both.sort_values("academic_year").reset_index(drop=True)


def reports_after(academic_years: list[str], reports: pd.DataFrame) -> pd.DataFrame:
    """Return the reports published in a later calendar year than the one in which a series' last
    academic year ended: reports that our series cannot describe up to their own time."""
    last_end = max(academic_year_end(year) for year in academic_years)
    return reports[reports["year"] > last_end].sort_values(["year", "report"]).reset_index(drop=True)
