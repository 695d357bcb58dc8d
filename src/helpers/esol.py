"""English-language (ESOL) funding: the briefing's two real-terms points beside the published cash series.

Kept here rather than in a notebook because more than one chapter follows the ESOL thread.
"""

from __future__ import annotations

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
