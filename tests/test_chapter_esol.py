"""Chapter "The ESOL thread" (book/across/esol.md): every number it glues equals what the data give.

Expected values are computed here from the CSV files directly, with the csv module, not through the
helpers the chapter uses; a glued value that no check below covers fails the test, so a new number in the
chapter needs a new check. The chapter glues no register value under its own stat_id, so every glued value
is a derived one.
"""

from __future__ import annotations

import csv
import re

import pytest

from tests.conftest import PROJECT_ROOT, data_rows, glued_values, unchecked_glue, wrong_derived_values
from tests.report_text import REPORTS_DIR, SKIP_REASON, is_heading, shared_missing

pytestmark = pytest.mark.build
CHAPTER = "esol"
LEVER = "esol-skills"
rows = data_rows

REPORTS = sorted(rows("reports"), key=lambda r: (int(r["year"]), r["report"]))
ORDER = [r["report"] for r in REPORTS]
FUNDING = rows("esol_funding")
LEARNERS = rows("esol_learners")
RECS = rows("recommendations")
LEVER_NAMES = {r["lever"]: r["name"] for r in rows("levers")}
REGISTER = {r["stat_id"]: r for r in rows("statistics")}
THREAD = rows("esol_thread_statistics")
BUDGET = rows("esol_budget_control")
CENSUS_FILE = next((PROJECT_ROOT / "data").glob("census*_english_proficiency.csv"))
ENGLAND = next(r for r in rows(CENSUS_FILE.stem) if r["geography_name"] == "England")


def label(report: dict) -> str:
    """Publisher's abbreviation in brackets if it has one, else its name, then the year."""
    match = re.search(r"\(([^()]+)\)$", report["publisher"])
    return f"{match.group(1) if match else report['publisher']} {report['year']}"


def end_year(academic_year: str) -> int:
    return int(academic_year[:4]) + 1


def asks() -> list[dict]:
    return [r for r in RECS if LEVER in r["levers"].split(";")]


def names_english(summary: str) -> bool:
    return any(word in re.findall(r"[a-z]+", summary.lower()) for word in ("english", "esol", "language"))


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    years = [int(r["year"]) for r in REPORTS]
    amounts = [float(r["amount_gbp_million"]) for r in FUNDING]
    lowest = FUNDING[amounts.index(min(amounts))]
    counts = [int(r["learners"]) for r in LEARNERS]
    last_learner_end = max(end_year(r["academic_year"]) for r in LEARNERS)
    last_funding_end = max(end_year(r["academic_year"]) for r in FUNDING)
    after_learners = [r for r in REPORTS if int(r["year"]) > last_learner_end]
    thread_asks = asks()
    expected = {
        "esol-thread-report-count": len(REPORTS),
        "esol-thread-first-year": str(years[0]),
        "esol-thread-last-year": str(years[-1]),
        "esol-thread-span-years": years[-1] - years[0],
        "esol-thread-lever-name": LEVER_NAMES[LEVER],
        "esol-thread-funding-first-year": FUNDING[0]["academic_year"],
        "esol-thread-funding-last-year": FUNDING[-1]["academic_year"],
        "esol-thread-funding-first": amounts[0],
        "esol-thread-funding-lowest": min(amounts),
        "esol-thread-funding-lowest-year": lowest["academic_year"],
        "esol-thread-funding-points": len(FUNDING),
        "esol-thread-learners-first-year": LEARNERS[0]["academic_year"],
        "esol-thread-learners-last-year": LEARNERS[-1]["academic_year"],
        "esol-thread-learner-points": len(LEARNERS),
        "esol-thread-reports-after-funding": sum(int(r["year"]) > last_funding_end for r in REPORTS),
        "esol-thread-reports-after-learners": len(after_learners),
        "esol-thread-reports-after-learners-names": " and ".join(label(r) for r in after_learners),
        "esol-thread-years-since-learners": years[-1] - last_learner_end,
        "esol-thread-aeb-first-year": next(r["academic_year"] for r in FUNDING
                                           if r["funding_route"] == "Adult Education Budget"),
        "esol-thread-budget-statements": len(BUDGET),
        "esol-thread-budget-reports": len({r["report"] for r in BUDGET}),
        "esol-thread-ask-count": len(thread_asks),
        "esol-thread-ask-english-count": sum(names_english(r["summary"]) for r in thread_asks),
        "esol-thread-ask-skills-only-count": sum(not names_english(r["summary"]) for r in thread_asks),
        "esol-thread-ask-main-count": sum(r["levers"].split(";")[0] == LEVER for r in thread_asks),
        "esol-thread-stat-count": len(THREAD),
        "esol-thread-theme-count": len({r["theme"] for r in THREAD}),
        "esol-thread-katwala-periods": " and ".join(sorted({REGISTER[r["stat_id"]]["period"] for r in THREAD
                                                            if REGISTER[r["stat_id"]]["report"] == "katwala2017"})),
        "esol-thread-learners-first": counts[0],
        "esol-thread-learners-last": counts[-1],
        "esol-thread-learners-rise-pct": (counts[-1] - counts[0]) / counts[0] * 100,
    }
    shares = {}
    for report in REPORTS:
        key = report["report"]
        mine = [r for r in thread_asks if r["report"] == key]
        total = sum(r["report"] == key for r in RECS)
        shares[key] = len(mine) / total * 100
        expected[f"esol-thread-year-{key}"] = report["year"]
        expected[f"esol-thread-asks-{key}"] = len(mine)
        expected[f"esol-thread-share-{key}"] = shares[key]
        expected[f"esol-thread-english-{key}"] = sum(names_english(r["summary"]) for r in mine)
        expected[f"esol-thread-main-{key}"] = sum(r["levers"].split(";")[0] == LEVER for r in mine)
        for actor, slug in [("mayor/SA", "mayor"), ("central government", "government"), ("civil society", "civil")]:
            expected[f"esol-thread-{slug}-{key}"] = sum(r["actor"] == actor for r in mine)
        expected[f"esol-thread-stats-{key}"] = sum(REGISTER[r["stat_id"]]["report"] == key for r in THREAD)
    expected["esol-thread-peak-report"] = label(next(r for r in REPORTS if shares[r["report"]] == max(shares.values())))

    # The census year and youngest age counted, read from the file's name and its denominator column.
    expected["esol-thread-census-year"] = re.search(r"census(\d{4})", CENSUS_FILE.stem).group(1)
    expected["esol-thread-census-min-age"] = int(re.search(r"aged_(\d+)_plus", ",".join(ENGLAND)).group(1))
    not_well = int(ENGLAND["cannot_speak_well"]) + int(ENGLAND["cannot_speak"])
    expected["esol-thread-england-not-well"] = not_well
    expected["esol-thread-england-cannot-speak"] = int(ENGLAND["cannot_speak"])
    expected["esol-thread-learners-pct-of-not-well"] = counts[-1] / not_well * 100

    learners_by_year = {r["academic_year"]: int(r["learners"]) for r in LEARNERS}
    both = sorted((r["academic_year"], float(r["amount_gbp_million"]) * 1e6 / learners_by_year[r["academic_year"]],
                   r["funding_route"]) for r in FUNDING if r["academic_year"] in learners_by_year)
    expected["esol-thread-per-learner-years"] = len(both)
    expected["esol-thread-per-learner-first-year"] = both[0][0]
    expected["esol-thread-per-learner-last-year"] = both[-1][0]
    expected["esol-thread-per-learner-first"] = both[0][1]
    expected["esol-thread-per-learner-last"] = both[-1][1]
    expected["esol-thread-per-learner-last-route"] = both[-1][2]
    return expected


@pytest.fixture(scope="module")
def glued(built_book) -> dict[str, str]:
    return glued_values(built_book, CHAPTER)


def generated(built_book, name: str) -> list[dict]:
    with (built_book / "_build" / "generated" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_derived_numbers_equal_their_recomputation(glued):
    assert wrong_derived_values(glued, expected_derived()) == {}


def test_every_glued_number_is_checked(glued):
    assert unchecked_glue(glued, expected_derived()) == []


def test_each_report_table_lists_exactly_its_asks_using_the_lever(built_book):
    for report in ORDER:
        shown = [r["recommendation_id"] for r in generated(built_book, f"esol-thread-asks-{report}")]
        assert shown == [r["recommendation_id"] for r in asks() if r["report"] == report]


def test_statistics_table_lists_exactly_the_thread_rows_with_register_values(built_book):
    shown = generated(built_book, "esol-thread-statistics")
    assert sorted(r["stat_id"] for r in shown) == sorted(r["stat_id"] for r in THREAD)
    assert all(float(r["value"]) == float(REGISTER[r["stat_id"]]["value"]) for r in shown)


def test_timeline_download_holds_every_point_and_report(built_book):
    shown = generated(built_book, "esol-thread-timeline")
    assert [r["academic_year"] for r in shown if r["drawn"] == "funding"] == [r["academic_year"] for r in FUNDING]
    assert [r["learners"] for r in shown if r["drawn"] == "learners"] == [r["learners"] for r in LEARNERS]
    assert [r["report"] for r in shown if r["drawn"] == "report published"] == ORDER


def test_every_thread_statistic_is_in_the_register():
    assert [r["stat_id"] for r in THREAD if r["stat_id"] not in REGISTER] == []


def test_every_register_row_about_esol_or_speaking_english_is_in_the_thread():
    listed = {r["stat_id"] for r in THREAD}
    about = [sid for sid, r in REGISTER.items()
             if "esol" in r["indicator"].lower() or "speak english" in r["indicator"].lower()]
    assert about and sorted(set(about) - listed) == []


@pytest.mark.skipif(shared_missing(REPORTS_DIR), reason=SKIP_REASON)
def test_each_budget_passage_section_is_a_heading_of_its_report():
    assert [row["statement_id"] for row in BUDGET if not is_heading(row["section"], row["report"])] == []
