"""Chapter morris2021: every number it glues into its prose equals what the data give.

Expected values are computed here from the CSV files directly, with the csv module, not through the
helpers the chapter uses; a glued number that no check below covers fails the test, so a new number in
the chapter needs a new check.
"""

from __future__ import annotations

import pytest

from tests.conftest import ReportChapterChecks, data_rows

pytestmark = pytest.mark.build
CHAPTER = "morris2021"
rows = data_rows

REGISTER = {row["stat_id"]: row for row in rows("statistics") if row["report"] == CHAPTER}
FUNDING = {row["academic_year"]: float(row["amount_gbp_million"]) for row in rows("esol_funding")}
LEARNERS = rows("esol_learners")
CITY_REGIONS = rows("morris2021_city_regions")


def value(stat_id: str) -> float:
    return float(REGISTER[stat_id]["value"])


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    real_from, real_to = value("morris2021-esol-funding-2009-10"), value("morris2021-esol-funding-2016-17")
    cash_years = list(FUNDING)
    lowest_year = min(FUNDING, key=FUNDING.get)
    plus = ["childcare", "employer-partnership", "arts"]
    police = [r["city_region"] for r in CITY_REGIONS if r["has_police_powers"] == "true"]
    return {
        "morris2021-stat-count": len(REGISTER),
        "morris2021-register-rows": len(REGISTER),
        "morris2021-city-region-count": len(CITY_REGIONS),
        "morris2021-combined-authority-count": sum(r["authority_type"] == "mayoral combined authority" for r in CITY_REGIONS),
        "morris2021-esol-real-fall-pct": (real_from - real_to) / real_from * 100,
        "morris2021-esol-cash-2009-10": FUNDING["2009/10"],
        "morris2021-esol-cash-fall-pct": (FUNDING["2009/10"] - FUNDING["2016/17"]) / FUNDING["2009/10"] * 100,
        "morris2021-esol-price-factor": real_from / FUNDING["2009/10"],
        "morris2021-gla-esol-plus-total": sum(value(f"morris2021-gla-esol-plus-{s}") for s in plus),
        "morris2021-mayors-with-police-powers": len(police),
        "morris2021-mayors-with-police-powers-names": " and ".join(police),
        "morris2021-esol-first-year": REGISTER["morris2021-esol-funding-2009-10"]["period"],
        "morris2021-esol-last-year": REGISTER["morris2021-esol-funding-2016-17"]["period"],
        "morris2021-esol-price-base": REGISTER["morris2021-esol-funding-2016-17"]["period"],
        "morris2021-ntca-esol-capacity-expansion-period": REGISTER["morris2021-ntca-esol-capacity-expansion"]["period"],
        "morris2021-community-renewal-fund-period": REGISTER["morris2021-community-renewal-fund"]["period"],
        "morris2021-police-forces-referring-victims-period": REGISTER["morris2021-police-forces-referring-victims"]["period"],
        "esol-cash-first": FUNDING[cash_years[0]],
        "esol-cash-first-year": cash_years[0],
        "esol-cash-lowest": FUNDING[lowest_year],
        "esol-cash-lowest-year": lowest_year,
        "esol-cash-latest": FUNDING[cash_years[-1]],
        "esol-cash-latest-year": cash_years[-1],
        "esol-cash-latest-route": rows("esol_funding")[-1]["funding_route"],
        "esol-learners-first": int(LEARNERS[0]["learners"]),
        "esol-learners-first-year": LEARNERS[0]["academic_year"],
        "esol-learners-latest": int(LEARNERS[-1]["learners"]),
        "esol-learners-latest-year": LEARNERS[-1]["academic_year"],
    }


def test_counts_in_the_register_agree_with_the_tables_they_summarise():
    assert value("morris2021-city-region-mayors-covered") == len(CITY_REGIONS)
    assert value("morris2021-mayors-with-police-powers") == sum(r["has_police_powers"] == "true" for r in CITY_REGIONS)


def test_the_price_base_year_is_the_one_the_register_names():
    from helpers.esol import PRICE_BASE_YEAR, REAL_TERMS_STATS

    assert all(f"in {PRICE_BASE_YEAR} prices" in REGISTER[stat_id]["indicator"] for stat_id in REAL_TERMS_STATS)


class TestChapterNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)
