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
#: The academic year in progress when the briefing appeared (March 2021).
BRIEFING_YEAR_END = 2021


def value(stat_id: str) -> float:
    return float(REGISTER[stat_id]["value"])


def year_end(academic_year: str) -> int:
    return int(academic_year[:4]) + 1


def of_series(series: str) -> list[dict]:
    return sorted((r for r in LEARNERS if r["series"] == series), key=lambda r: year_end(r["academic_year"]))


def learner_facts() -> dict[str, object]:
    """The learner counts the chapter names, each picked by its counting series."""
    picked = {"lsc-first": of_series("lsc-skills-for-life")[0], "lsc-last": of_series("lsc-skills-for-life")[-1],
              "demand-led": of_series("lsc-demand-led")[0], "aoc": of_series("aoc-estimate")[0],
              "dfe-first": of_series("dfe-fe-skills")[0], "dfe-latest": of_series("dfe-fe-skills")[-1]}
    facts = {}
    for name, row in picked.items():
        facts[f"morris2021-learners-{name}"] = int(row["learners"])
        facts[f"morris2021-learners-{name}-year"] = row["academic_year"]
    ends = sorted(year_end(r["academic_year"]) for r in LEARNERS)
    gaps = []
    for earlier, later in zip(ends, ends[1:]):
        if later - earlier > 1:
            first, last = f"{earlier}/{(earlier + 1) % 100:02d}", f"{later - 2}/{(later - 1) % 100:02d}"
            gaps.append(first if first == last else f"{first} to {last}")
    facts["morris2021-learners-gaps"] = ", ".join(gaps[:-1]) + " and " + gaps[-1] if len(gaps) > 1 else gaps[0]
    return facts


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    real_from, real_to = value("morris2021-esol-funding-2009-10"), value("morris2021-esol-funding-2016-17")
    cash_years = sorted(FUNDING, key=year_end)
    lowest_year = min(FUNDING, key=FUNDING.get)
    plus = ["childcare", "employer-partnership", "arts"]
    police = [r["city_region"] for r in CITY_REGIONS if r["has_police_powers"] == "true"]
    combined = [r for r in CITY_REGIONS if r["authority_type"] == "mayoral combined authority"]
    later = [r for r in combined if year_end(r["aeb_devolved_from"]) > BRIEFING_YEAR_END]
    later_text = [f"{r['city_region']} (from {r['aeb_devolved_from']})" for r in later]
    return {
        "morris2021-register-rows": len(REGISTER),
        "morris2021-combined-authority-count": len(combined),
        "morris2021-aeb-combined-authorities-march-2021": len(combined) - len(later),
        "morris2021-aeb-later": ", ".join(later_text[:-1]) + " and " + later_text[-1] if len(later_text) > 1 else later_text[0],
        "morris2021-briefing-academic-year": f"{BRIEFING_YEAR_END - 1}/{BRIEFING_YEAR_END % 100:02d}",
        "morris2021-esol-real-fall-pct": (real_from - real_to) / real_from * 100,
        "morris2021-esol-cash-2009-10": FUNDING["2009/10"],
        "morris2021-esol-cash-fall-pct": (FUNDING["2009/10"] - FUNDING["2016/17"]) / FUNDING["2009/10"] * 100,
        "morris2021-esol-price-factor": real_from / FUNDING["2009/10"],
        "morris2021-gla-esol-plus-total": sum(value(f"morris2021-gla-esol-plus-{s}") for s in plus),
        "morris2021-mayors-with-police-powers-names": " and ".join(police),
        "morris2021-community-renewal-fund-period": REGISTER["morris2021-community-renewal-fund"]["period"],
        "esol-cash-first": FUNDING[cash_years[0]],
        "esol-cash-first-year": cash_years[0],
        "esol-cash-lowest": FUNDING[lowest_year],
        "esol-cash-lowest-year": lowest_year,
        "esol-cash-latest": FUNDING[cash_years[-1]],
        "esol-cash-latest-year": cash_years[-1],
        **learner_facts(),
    }


def test_every_learner_count_fell_while_cash_funding_fell():
    """The chapter says so; its own code checks it too, but the claim is worth a test of its own."""
    lowest_year = min(FUNDING, key=FUNDING.get)
    first = of_series("lsc-skills-for-life")[0]["academic_year"]
    span = sorted((r for r in LEARNERS if year_end(first) <= year_end(r["academic_year"]) <= year_end(lowest_year)),
                  key=lambda r: year_end(r["academic_year"]))
    counts = [int(r["learners"]) for r in span]
    assert len(counts) >= 2 and all(later < earlier for earlier, later in zip(counts, counts[1:]))


def test_counts_in_the_register_agree_with_the_tables_they_summarise():
    assert value("morris2021-city-region-mayors-covered") == len(CITY_REGIONS)
    assert value("morris2021-mayors-with-police-powers") == sum(r["has_police_powers"] == "true" for r in CITY_REGIONS)


def test_the_price_base_year_is_the_one_the_register_names():
    from helpers.esol import PRICE_BASE_YEAR, REAL_TERMS_STATS

    assert all(f"in {PRICE_BASE_YEAR} prices" in REGISTER[stat_id]["indicator"] for stat_id in REAL_TERMS_STATS)


class TestChapterNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)
