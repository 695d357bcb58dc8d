"""Chapter "The ESOL thread" (book/across/esol.md): every number it glues equals what the data give, the figure
never joins learner counts across a change of counting or a missing year, and the claims the prose makes in
words (a fall, a rise, the reports' fit with the record) hold.

Expected values are computed here from the CSV files directly, with the csv module, not through the
helpers the chapter uses; a glued value that no check below covers fails the test, so a new number in the
chapter needs a new check. The chapter glues no register value under its own stat_id, so every glued value
is a derived one.
"""

from __future__ import annotations

import csv
import math
import re

import pytest

from tests.conftest import PROJECT_ROOT, data_rows, glued_values, unchecked_glue, wrong_derived_values
from tests.report_text import REPORTS_DIR, SKIP_REASON, is_heading, shared_missing

pytestmark = pytest.mark.build
CHAPTER = "esol"
LEVER = "english-language"
rows = data_rows

REPORTS = sorted(rows("reports"), key=lambda r: (int(r["year"]), r["report"]))
ORDER = [r["report"] for r in REPORTS]
FUNDING = rows("esol_funding")
LEARNERS = rows("esol_learners")
AEB = rows("aeb_devolution")
AEB_TOTALS = rows("aeb_devolution_totals")
RECS = rows("recommendations")
LEVER_NAMES = {r["lever"]: r["name"] for r in rows("levers")}
ACTORS = [r["actor"] for r in rows("actors")]
REGISTER = {r["stat_id"]: r for r in rows("statistics")}
THREAD = rows("esol_thread_statistics")
BUDGET = rows("esol_budget_control")
CENSUS_FILE = next((PROJECT_ROOT / "data").glob("census*_english_proficiency.csv"))
ENGLAND = next(r for r in rows(CENSUS_FILE.stem) if r["geography_name"] == "England")
Z = 1.959963984540054


def label(report: dict) -> str:
    """Publisher's abbreviation in brackets if it has one, else its name, then the year."""
    match = re.search(r"\(([^()]+)\)$", report["publisher"])
    return f"{match.group(1) if match else report['publisher']} {report['year']}"


def end_year(academic_year: str) -> int:
    return int(academic_year[:4]) + 1


def asks() -> list[dict]:
    return [r for r in RECS if LEVER in r["levers"].split(";")]


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (2 * n * p + Z ** 2) / (2 * (n + Z ** 2))
    half = Z * math.sqrt(Z ** 2 + 4 * n * p * (1 - p)) / (2 * (n + Z ** 2))
    return (0.0 if k == 0 else centre - half) * 100, (1.0 if k == n else centre + half) * 100


def series(name: str) -> list[dict]:
    return sorted((r for r in LEARNERS if r["series"] == name), key=lambda r: r["academic_year"])


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    years = [int(r["year"]) for r in REPORTS]
    amounts = [float(r["amount_gbp_million"]) for r in FUNDING]
    sfl, dfe = series("lsc-skills-for-life"), series("dfe-fe-skills")
    demand_led, estimate = series("lsc-demand-led")[0], series("aoc-estimate")[0]
    last_funding_end = max(end_year(r["academic_year"]) for r in FUNDING)
    last_learner_end = max(end_year(r["academic_year"]) for r in LEARNERS)
    after_funding = [r for r in REPORTS if int(r["year"]) > last_funding_end]
    approx_funding = next(r for r in FUNDING if r["qualifier"] != "exact")
    expected = {
        "esol-thread-report-count": len(REPORTS),
        "esol-thread-first-year": str(years[0]),
        "esol-thread-last-year": str(years[-1]),
        "esol-thread-span-years": years[-1] - years[0],
        "esol-thread-lever-name": LEVER_NAMES[LEVER],
        "esol-thread-learners-first-year": LEARNERS[0]["academic_year"],
        "esol-thread-sfl-first": int(sfl[0]["learners"]),
        "esol-thread-sfl-last-year": sfl[-1]["academic_year"],
        "esol-thread-sfl-last": int(sfl[-1]["learners"]),
        "esol-thread-sfl-fall": (int(sfl[0]["learners"]) - int(sfl[-1]["learners"])) / int(sfl[0]["learners"]) * 100,
        "esol-thread-demand-led-year": demand_led["academic_year"],
        "esol-thread-demand-led": int(demand_led["learners"]),
        "esol-thread-estimate-year": estimate["academic_year"],
        "esol-thread-estimate": int(estimate["learners"]),
        "esol-thread-dfe-first-year": dfe[0]["academic_year"],
        "esol-thread-dfe-first": int(dfe[0]["learners"]),
        "esol-thread-dfe-last-year": dfe[-1]["academic_year"],
        "esol-thread-dfe-last": int(dfe[-1]["learners"]),
        "esol-thread-dfe-change": (int(dfe[-1]["learners"]) - int(dfe[0]["learners"])) / int(dfe[0]["learners"]) * 100,
        "esol-thread-pandemic-gap": "2019/20 and 2020/21",
        "esol-thread-series-count": len({r["series"] for r in LEARNERS}),
        "esol-thread-funding-points": len(FUNDING),
        "esol-thread-funding-routes": len({r["funding_route"] for r in FUNDING}),
        "esol-thread-funding-first-year": FUNDING[0]["academic_year"],
        "esol-thread-funding-first": amounts[0],
        "esol-thread-funding-lowest": min(amounts),
        "esol-thread-funding-lowest-year": FUNDING[amounts.index(min(amounts))]["academic_year"],
        "esol-thread-funding-last-year": FUNDING[-1]["academic_year"],
        "esol-thread-funding-last": amounts[-1],
        "esol-thread-funding-last-route": FUNDING[-1]["funding_route"],
        "esol-thread-funding-approx-year": approx_funding["academic_year"],
        "esol-thread-funding-approx": float(approx_funding["amount_gbp_million"]),
        "esol-thread-funding-approx-route": approx_funding["funding_route"],
        "esol-thread-reports-after-funding": len(after_funding),
        "esol-thread-reports-after-funding-names": (", ".join(label(r) for r in after_funding[:-1]) + " and "
                                                    + label(after_funding[-1])),
        "esol-thread-reports-after-learners": sum(int(r["year"]) > last_learner_end for r in REPORTS),
    }

    first_wave = [r for r in AEB if r["allocation_status"] != "not a first-wave area"]
    published = [r for r in first_wave if r["allocation_status"] == "published"]
    largest = max(published, key=lambda r: int(r["allocation_2019_20_gbp"]))
    latest = AEB_TOTALS[-1]
    morris_year = next(int(r["year"]) for r in REPORTS if r["report"] == "morris2021")
    morris_academic_year = f"{morris_year - 1}/{morris_year % 100:02d}"
    held_by_latest = [r for r in AEB if r["from_academic_year"] <= latest["academic_year"]]
    expected.update({
        "esol-thread-aeb-first-year": min(r["from_academic_year"] for r in AEB),
        "esol-thread-aeb-first-wave": len(first_wave),
        "esol-thread-aeb-published": len(published),
        "esol-thread-aeb-missing": " and ".join(r["authority"] for r in first_wave if r not in published),
        "esol-thread-aeb-published-total-million": sum(int(r["allocation_2019_20_gbp"]) for r in published) / 1e6,
        "esol-thread-aeb-largest": largest["body"],
        "esol-thread-aeb-largest-million": int(largest["allocation_2019_20_gbp"]) / 1e6,
        "esol-thread-aeb-authorities": len(AEB),
        "esol-thread-aeb-last-year": max(r["from_academic_year"] for r in AEB),
        "esol-thread-devolved-bodies-latest": int(latest["bodies"]),
        "esol-thread-aeb-held-by-latest": len(held_by_latest),
        "esol-thread-aeb-listed-gap": int(latest["bodies"]) - len(held_by_latest),
        "esol-thread-morris-academic-year": morris_academic_year,
        "esol-thread-aeb-by-morris": sum(r["from_academic_year"] <= morris_academic_year for r in AEB),
        "esol-thread-budget-statements": len(BUDGET),
        "esol-thread-budget-reports": len({r["report"] for r in BUDGET}),
    })
    for number, row in enumerate(AEB_TOTALS, start=1):
        expected[f"esol-thread-devolved-year-{number}"] = row["academic_year"]
        expected[f"esol-thread-devolved-share-{number}"] = float(row["share_devolved_percent"])

    thread_asks = asks()
    expected["esol-thread-ask-count"] = len(thread_asks)
    expected["esol-thread-ask-main-count"] = sum(r["levers"].split(";")[0] == LEVER for r in thread_asks)
    for report in REPORTS:
        key = report["report"]
        mine = [r for r in thread_asks if r["report"] == key]
        total = sum(r["report"] == key for r in RECS)
        low, high = wilson(len(mine), total)
        expected[f"esol-thread-year-{key}"] = report["year"]
        expected[f"esol-thread-asks-{key}"] = len(mine)
        expected[f"esol-thread-share-{key}"] = len(mine) / total * 100
        expected[f"esol-thread-share-low-{key}"] = low
        expected[f"esol-thread-share-high-{key}"] = high
        for actor in ACTORS:
            expected[f"esol-thread-{actor}-{key}"] = sum(r["actor"] == actor for r in mine)
        expected[f"esol-thread-stats-{key}"] = sum(REGISTER[r["stat_id"]]["report"] == key for r in THREAD)
    expected["esol-thread-stat-count"] = len(THREAD)
    expected["esol-thread-theme-count"] = len({r["theme"] for r in THREAD})
    expected["esol-thread-katwala-periods"] = " and ".join(sorted({REGISTER[r["stat_id"]]["period"] for r in THREAD
                                                                   if REGISTER[r["stat_id"]]["report"] == "katwala2017"}))

    # The census year and youngest age counted, read from the file's name and its denominator column.
    expected["esol-thread-census-year"] = re.search(r"census(\d{4})", CENSUS_FILE.stem).group(1)
    expected["esol-thread-census-min-age"] = int(re.search(r"aged_(\d+)_plus", ",".join(ENGLAND)).group(1))
    not_well = int(ENGLAND["cannot_speak_well"]) + int(ENGLAND["cannot_speak"])
    expected["esol-thread-england-not-well"] = not_well
    expected["esol-thread-england-cannot-speak"] = int(ENGLAND["cannot_speak"])
    expected["esol-thread-learners-last-year"] = LEARNERS[-1]["academic_year"]
    expected["esol-thread-learners-last"] = int(LEARNERS[-1]["learners"])
    expected["esol-thread-learners-pct-of-not-well"] = int(LEARNERS[-1]["learners"]) / not_well * 100
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


class TestClaimsInWords:
    def test_the_skills_for_life_count_fell_and_the_dfe_count_rose(self):
        sfl, dfe = series("lsc-skills-for-life"), series("dfe-fe-skills")
        assert int(sfl[-1]["learners"]) < int(sfl[0]["learners"])
        assert int(dfe[-1]["learners"]) > int(dfe[0]["learners"])

    def test_the_later_counts_are_far_below_the_earlier_ones(self):
        assert max(int(r["learners"]) for r in series("dfe-fe-skills")) < 0.6 * min(
            int(r["learners"]) for r in series("lsc-skills-for-life"))

    def test_the_pandemic_years_are_missing_and_the_demand_led_year_is_a_new_series(self):
        years = {r["academic_year"] for r in LEARNERS}
        assert not {"2019/20", "2020/21"} & years
        assert series("lsc-demand-led")[0]["academic_year"] == "2008/09"

    def test_no_funding_figure_after_the_last_one_we_name(self):
        assert max(r["academic_year"] for r in FUNDING) == FUNDING[-1]["academic_year"]

    def test_the_english_share_is_highest_in_the_briefing_with_overlapping_intervals(self):
        shares = {}
        for report in ORDER:
            total = sum(r["report"] == report for r in RECS)
            k = sum(r["report"] == report for r in asks())
            shares[report] = (k / total, *wilson(k, total))
        assert max(shares, key=lambda r: shares[r][0]) == "morris2021"
        assert all(shares["morris2021"][1] <= shares[r][2] for r in ORDER if r != "morris2021")

    def test_who_the_prose_says_each_report_asks(self):
        mine = {report: {r["actor"] for r in asks() if r["report"] == report} for report in ORDER}
        assert all(mine[report] for report in ORDER)  # every report makes at least one
        assert mine["morris2021"] == {"mayor-sa"}
        assert mine["mort2026"] == {"national-government"}
        assert {"mayor-sa", "national-government", "civil-society"} <= mine["katwala2017"]

    def test_the_west_midlands_allocation_is_left_empty_not_estimated(self):
        west_midlands = next(r for r in AEB if r["place_id"] == "west-midlands")
        assert west_midlands["allocation_2019_20_gbp"] == ""
        assert west_midlands["allocation_status"] == "cut off in our copy"


def test_each_report_table_lists_exactly_its_english_asks(built_book):
    for report in ORDER:
        shown = [r["recommendation_id"] for r in generated(built_book, f"esol-thread-asks-{report}")]
        assert shown == [r["recommendation_id"] for r in asks() if r["report"] == report]


def test_statistics_table_lists_exactly_the_thread_rows_with_register_values(built_book):
    shown = generated(built_book, "esol-thread-statistics")
    assert sorted(r["stat_id"] for r in shown) == sorted(r["stat_id"] for r in THREAD)
    assert all(float(r["value"]) == float(REGISTER[r["stat_id"]]["value"]) for r in shown)


def test_timeline_download_holds_every_point_its_basis_and_report(built_book):
    shown = generated(built_book, "esol-thread-timeline")
    funding = [r for r in shown if r["layer"] == "funding"]
    assert [r["academic_year"] for r in funding] == [r["academic_year"] for r in FUNDING]
    assert [r["qualifier"] for r in funding] == [r["qualifier"] for r in FUNDING]
    learners = [r for r in shown if r["layer"] == "learners"]
    assert [r["learners"] for r in learners] == [r["learners"] for r in LEARNERS]
    assert [r["series"] for r in learners] == [r["series"] for r in LEARNERS]
    assert [r["qualifier"] for r in learners] == [r["qualifier"] for r in LEARNERS]
    assert [r["report"] for r in shown if r["layer"] == "report published"] == ORDER


def test_the_budget_table_cites_a_publisher_for_every_row(built_book):
    bib = (PROJECT_ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = {r["start_source"] for r in AEB} | {r["allocation_source"] for r in AEB if r["allocation_source"]}
    cited |= {r["primary_source"] for r in AEB_TOTALS}
    assert sorted(cited - keys) == []
    assert [r["authority"] for r in generated(built_book, "esol-thread-aeb-devolution")] == [r["authority"] for r in AEB]


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
