"""The discrepancy register and the official counts behind it.

Each known discrepancy of katwala2017 is re-established here from the raw CSV files (csv module only), so a
row that stops being true, or a count that drifts from the official table, fails a test; so does a row whose
category no longer fits what the data of the report's vintage show. The census files are compared with the
reference copies in ../shared/data/primary when that folder is present; the other checks need nothing
outside the project.
"""

from __future__ import annotations

import csv

import pytest

from helpers import katwala
from helpers.data import load
from tests.report_text import PRIMARY_DIR, shared_missing
from tests.conftest import PROJECT_ROOT

PRIMARY = PRIMARY_DIR
GM_BOROUGHS = ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside", "Trafford", "Wigan"]


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


REGISTER = {row["stat_id"]: row for row in rows("statistics")}
DISCREPANCIES = {row["discrepancy_id"]: row for row in rows("discrepancies")}
ETHNICITY = {row["geography_name"]: row for row in rows("census2011_ethnicity")}
ECONOMIC = {row["geography_name"]: row for row in rows("census2011_economic_activity")}
PROFICIENCY = {row["geography_name"]: row for row in rows("census2021_english_proficiency")}
REFERENDUM = {row["area_code"]: row for row in rows("eu_referendum_2016")}
MEMBERS = rows("katwala2017_members")
CATEGORIES = ["error", "rounding", "definition-or-vintage", "cannot-verify"]
#: Each katwala2017 row's category, as judged against data of the report's own vintage (see the chapter).
EXPECTED_CATEGORY = {
    "katwala2017-gm-health-budget": "error",
    "katwala2017-gm-councils-named": "error",
    "katwala2017-gm-manchester-not-well": "cannot-verify",
    "katwala2017-gm-manchester-above-wards": "cannot-verify",
    "katwala2017-woe-students": "rounding",
    "katwala2017-gm-manchester-bury": "error",
    "katwala2017-gm-oldham-employment": "rounding",
    "katwala2017-cp-peterborough-pakistani": "error",
    "katwala2017-woe-minority-definition": "definition-or-vintage",
    "katwala2017-wm-birmingham-pakistani": "rounding",
    "katwala2017-lcr-brexit-polarisation": "error",
    "katwala2017-wm-brexit-polarisation": "rounding",
    "katwala2017-gm-wigan-least-diverse": "cannot-verify",
}


def value(stat_id: str) -> float:
    return float(REGISTER[stat_id]["value"])


class TestRegisterFile:
    def test_every_row_names_existing_statistics_of_its_report(self):
        wrong = {i: [s for s in d["stat_ids"].split() if s not in REGISTER or REGISTER[s]["report"] != d["report"]]
                 for i, d in DISCREPANCIES.items()}
        assert {i: s for i, s in wrong.items() if s} == {}

    def test_every_row_has_a_section_of_one_of_its_statistics(self):
        wrong = [i for i, d in DISCREPANCIES.items()
                 if d["section"] not in {REGISTER[s]["section"] for s in d["stat_ids"].split()}]
        assert wrong == []

    def test_every_check_has_evidence_and_a_description(self):
        evidence = katwala.discrepancy_evidence(
            load("statistics", root=PROJECT_ROOT), ethnicity=load("census2011_ethnicity", root=PROJECT_ROOT),
            economic=load("census2011_economic_activity", root=PROJECT_ROOT),
            proficiency=load("census2021_english_proficiency", root=PROJECT_ROOT),
            referendum=load("eu_referendum_2016", root=PROJECT_ROOT),
            authorities=load("katwala2017_authorities", root=PROJECT_ROOT),
            members=load("katwala2017_members", root=PROJECT_ROOT))
        checks = {d["check"] for d in DISCREPANCIES.values() if d["report"] == "katwala2017"}
        assert sorted(checks - set(evidence)) == []
        assert all(katwala.describe_evidence(c, evidence[c]) for c in checks)

    def test_every_row_has_one_of_the_four_categories(self):
        assert {i: d["category"] for i, d in DISCREPANCIES.items() if d["category"] not in CATEGORIES} == {}

    def test_each_katwala2017_row_has_the_category_its_evidence_supports(self):
        mine = {i: d["category"] for i, d in DISCREPANCIES.items() if d["report"] == "katwala2017"}
        assert mine == EXPECTED_CATEGORY

    def test_rows_of_other_reports_are_allowed(self):
        assert {d["report"] for d in DISCREPANCIES.values()} <= {"katwala2017", "morris2021", "hartman2023", "mort2026"}

    def test_the_four_known_cases_are_registered(self):
        assert {"katwala2017-gm-health-budget", "katwala2017-gm-councils-named", "katwala2017-gm-manchester-not-well",
                "katwala2017-woe-students"} <= set(DISCREPANCIES)


class TestKnownDiscrepanciesHold:
    def test_health_budget_million_against_billion(self):
        key_facts, text = REGISTER["katwala2017-gm-health-budget-key-facts"], REGISTER["katwala2017-gm-health-budget"]
        assert (key_facts["unit"], text["unit"]) == ("GBP million", "GBP billion")
        assert key_facts["value"] == text["value"]
        assert key_facts["section"] != text["section"]

    def test_ten_councils_stated_nine_named(self):
        named = [m["local_authority"] for m in rows("katwala2017_members")
                 if m["authority_id"] == "greater-manchester" and m["named_in_key_facts"] == "true"]
        assert value("katwala2017-gm-local-authorities-stated") == len(GM_BOROUGHS) == 10
        assert len(named) == 9
        assert sorted(set(GM_BOROUGHS) - set(named)) == ["Stockport"]
        assert set(GM_BOROUGHS) | {"England"} <= set(PROFICIENCY)

    def test_manchester_nine_percent_cannot_be_checked_at_its_vintage(self):
        # The report's figures are from the 2011 census; the 2011 table by local authority (QS205EW) is not
        # among the project's data, so the row must stay "cannot-verify".
        for stat_id in ("katwala2017-gm-manchester-cannot-speak-well", "katwala2017-gm-national-cannot-speak-well"):
            assert REGISTER[stat_id]["period"] == "2011"
        assert not [p.name for p in (PROJECT_ROOT / "data").glob("census2011*") if "proficiency" in p.name
                    or "language" in p.name]
        assert DISCREPANCIES["katwala2017-gm-manchester-not-well"]["category"] == "cannot-verify"
        assert value("katwala2017-gm-manchester-cannot-speak-well") == 9
        # The 2021 census, shown in the chapter only as the position now (a later vintage, not a check).
        m = PROFICIENCY["Manchester"]
        now = (int(m["cannot_speak_well"]) + int(m["cannot_speak"])) / int(m["residents_aged_3_plus"]) * 100
        assert 3.5 < now < 4.5

    def test_city_average_above_a_neediest_ward(self):
        assert value("katwala2017-gm-cheetham-cannot-speak-well") < value("katwala2017-gm-manchester-cannot-speak-well")

    def test_students_text_against_note(self):
        text, note = value("katwala2017-woe-students"), value("katwala2017-hesa-students")
        assert (text, note) == (75000, 73685)
        assert round(note, -3) != text
        assert round(note / 5, -3) * 5 == text  # the text's figure is the note's to the nearest 5,000
        assert REGISTER["katwala2017-hesa-students"]["section"] == "6. Notes"

    def test_manchester_not_five_times_bury(self):
        ratio = int(ETHNICITY["Manchester"]["all_usual_residents"]) / int(ETHNICITY["Bury"]["all_usual_residents"])
        assert value("katwala2017-gm-manchester-to-bury-population") == 5
        assert round(ratio) == 3

    def test_oldham_employment_is_a_sum_of_rounded_parts(self):
        o = ECONOMIC["Oldham"]
        total = int(o["residents_16_to_74"])
        self_employed = sum(int(v) for k, v in o.items() if k.startswith("self_employed_"))
        parts = [int(o["employee_part_time"]), int(o["employee_full_time"]), self_employed]
        assert round(sum(parts) / total * 100, 1) == 58.2
        assert round(sum(round(p / total * 100, 1) for p in parts), 1) == value("katwala2017-gm-oldham-employment")

    def test_peterborough_pakistani_share(self):
        p = ETHNICITY["Peterborough"]
        assert round(int(p["pakistani"]) / int(p["all_usual_residents"]) * 100, 1) == 6.6
        assert value("katwala2017-cp-peterborough-pakistani") == 4.5

    def test_west_of_england_minority_shares_mix_definitions(self):
        def shares(name):
            r = ETHNICITY[name]
            total = int(r["all_usual_residents"])
            return (round((total - int(r["white"])) / total * 100), round((total - int(r["white_british"])) / total * 100))
        assert shares("South Gloucestershire")[0] == value("katwala2017-woe-south-gloucestershire-minority")
        assert shares("Bristol, City of")[0] == value("katwala2017-woe-bristol-minority")
        assert shares("Bath and North East Somerset")[0] != value("katwala2017-woe-bath-minority")
        assert shares("Bath and North East Somerset")[1] == value("katwala2017-woe-bath-minority")

    def test_west_of_england_shares_against_england_on_both_definitions(self):
        def exact(name):
            r = ETHNICITY[name]
            total = int(r["all_usual_residents"])
            return ((total - int(r["white"])) / total, (total - int(r["white_british"])) / total)
        england = exact("England")
        for name in ("South Gloucestershire", "Bath and North East Somerset"):
            assert all(a < b for a, b in zip(exact(name), england)), name
        assert all(a > b for a, b in zip(exact("Bristol, City of"), england))

    def test_birmingham_pakistani_share(self):
        b = ETHNICITY["Birmingham"]
        share = int(b["pakistani"]) / int(b["all_usual_residents"]) * 100
        assert round(share) == 13
        assert int(int(share * 10 + 0.5) / 10 + 0.5) == value("katwala2017-wm-birmingham-pakistani") == 14

    def test_polarisation_figures_against_the_official_results(self):
        def half_up(x):
            return int(x * 10 + 0.5) / 10
        verdicts = {}
        for authority in rows("katwala2017_authorities"):
            codes = [m["area_code"] for m in MEMBERS
                     if m["authority_id"] == authority["authority_id"] and m["council_kind"] != "county"]
            share = {c: int(REFERENDUM[c]["leave"]) / int(REFERENDUM[c]["valid_votes"]) * 100 for c in codes}
            high, low = max(share, key=share.get), min(share, key=share.get)
            quoted = value(f"katwala2017-{authority['key']}-brexit-polarisation")
            verdicts[authority["key"]] = (half_up(share[high] - share[low]) == quoted,
                                          round(half_up(share[high]) - half_up(share[low]), 1) == quoted)
        assert verdicts == {"cp": (True, True), "gm": (True, True), "lcr": (False, False), "tv": (True, True),
                            "wm": (False, True), "woe": (True, True)}

    def test_liverpool_city_region_gap_is_half_a_point_smaller(self):
        st_helens, liverpool = REFERENDUM["E08000013"], REFERENDUM["E08000012"]
        gap = (int(st_helens["leave"]) / int(st_helens["valid_votes"])
               - int(liverpool["leave"]) / int(liverpool["valid_votes"])) * 100
        assert round(gap, 1) == 16.2
        assert value("katwala2017-lcr-brexit-polarisation") == 16.7

    def test_no_pair_of_liverpool_city_region_councils_gives_the_quoted_gap(self):
        codes = [m["area_code"] for m in MEMBERS if m["authority_id"] == "liverpool-city-region"]
        share = {c: int(REFERENDUM[c]["leave"]) / int(REFERENDUM[c]["valid_votes"]) * 100 for c in codes}
        quoted = value("katwala2017-lcr-brexit-polarisation")
        gaps = [abs(share[a] - share[b]) for i, a in enumerate(codes) for b in codes[i + 1:]]
        assert all(abs(g - quoted) >= 0.05 for g in gaps)
        for base in ("electorate",):
            other = {c: int(REFERENDUM[c]["leave"]) / int(REFERENDUM[c][base]) * 100 for c in codes}
            assert abs(max(other.values()) - min(other.values()) - quoted) >= 0.05

    def test_wigan_least_diverse_in_greater_manchester_not_the_north_west(self):
        def not_white(r):
            return 1 - int(r["white"]) / int(r["all_usual_residents"])
        north_west = sorted((r for r in ETHNICITY.values() if r["region"] == "North West"), key=not_white)
        gm = [r for r in north_west if r["geography_name"] in GM_BOROUGHS]
        assert len(north_west) == 39 and len(gm) == 10
        assert gm[0]["geography_name"] == "Wigan"
        assert [r["geography_name"] for r in north_west].index("Wigan") + 1 == 15

    def test_members_join_their_counting_areas_by_code(self):
        alias = {"St Helens": "St. Helens", "Bristol": "Bristol, City of"}
        for m in MEMBERS:
            if m["council_kind"] == "county":
                assert m["area_code"] not in REFERENDUM
            else:
                assert REFERENDUM[m["area_code"]]["area"] == alias.get(m["local_authority"], m["local_authority"])


class TestCensusFilesAreConsistent:
    def test_proficiency_categories_add_up(self):
        for name, r in PROFICIENCY.items():
            n = {k: int(v) for k, v in r.items() if k not in ("geography_code", "geography_name", "basis")}
            assert n["main_language_english"] + n["main_language_not_english"] == n["residents_aged_3_plus"], name
            assert n["speaks_very_well"] + n["speaks_well"] + n["cannot_speak_well"] + n["cannot_speak"] \
                == n["main_language_not_english"], name

    def test_england_is_the_largest_row(self):
        for table, column in [(ETHNICITY, "all_usual_residents"), (ECONOMIC, "residents_16_to_74"),
                              (PROFICIENCY, "residents_aged_3_plus")]:
            assert max(table, key=lambda n: int(table[n][column])) == "England"
            assert table["England"]["geography_code"] == "E92000001"


def primary(name: str) -> list[dict]:
    with (PRIMARY / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.skipif(shared_missing(PRIMARY), reason="the reference census copies (../shared/data/primary) are not beside this copy")
class TestCensusFilesAgreeWithTheReferenceCopies:
    @staticmethod
    def assert_counts_match(ours_by_name, ref, columns, *, english, row_of):
        """Each of our rows equals its reference row; England equals the sum of the English rows."""
        for name, ours in ours_by_name.items():
            if name == "England":
                want = {k: sum(int(r[c]) for r in ref if english(r)) for k, c in columns.items()}
            else:
                r = row_of(name, ours)
                assert r["geography"] == name
                want = {k: int(r[c]) for k, c in columns.items()}
            assert {k: int(ours[k]) for k in columns} == want, name

    @staticmethod
    def column(rows_: list[dict], contains: str) -> str:
        found = [c for c in rows_[0] if c.endswith(contains) or contains in c]
        assert len(found) >= 1, contains
        return found[0]

    def test_ts029(self):
        ref = primary("census2021-ts029-proficiency-in-english-ltla.csv")
        suffix = {"residents_aged_3_plus": "All usual residents aged 3 years and over",
                  "main_language_english": "Main language is English (English or Welsh in Wales)",
                  "main_language_not_english": "Main language is not English (English or Welsh in Wales)",
                  "speaks_very_well": "Can speak English very well", "speaks_well": "Can speak English well",
                  "cannot_speak_well": "Cannot speak English well", "cannot_speak": "Cannot speak English"}
        columns = {ours: next(c for c in ref[0] if c.endswith(s)) for ours, s in suffix.items()}
        self.assert_counts_match(PROFICIENCY, ref, columns, english=lambda r: r["geography code"].startswith("E"),
                                 row_of=lambda name, ours: next(r for r in ref if r["geography code"] == ours["geography_code"]))

    def test_qs601ew(self):
        ref = primary("census2011-qs601ew-economic-activity-la-counts.csv")
        wanted = {"residents_16_to_74": "All categories: Economic activity;",
                  "employee_part_time": "Economically active: Employee: Part-time;",
                  "employee_full_time": "Economically active: Employee: Full-time;",
                  "self_employed_with_employees_part_time": "Self-employed with employees: Part-time;",
                  "self_employed_with_employees_full_time": "Self-employed with employees: Full-time;",
                  "self_employed_without_employees_part_time": "Self-employed without employees: Part-time;",
                  "self_employed_without_employees_full_time": "Self-employed without employees: Full-time;",
                  "unemployed": "Economically active: Unemployed;",
                  "full_time_student_active": "Economically active: Full-time student;"}
        columns = {ours: self.column(ref, text) for ours, text in wanted.items()}
        self.assert_counts_match(ECONOMIC, ref, columns, english=lambda r: r["geography code"].startswith("E"),
                                 row_of=lambda name, ours: next(r for r in ref if r["geography code"] == ours["geography_code"]))

    def test_ks201ew(self):
        ref = primary("census2011-ks201ew-ethnic-group-la.csv")
        wanted = {"all_usual_residents": "All categories: Ethnic group;", "white": "Ethnic Group: White; measures",
                  "white_british": "English/Welsh/Scottish/Northern Irish/British;",
                  "pakistani": "Asian/Asian British: Pakistani;", "bangladeshi": "Asian/Asian British: Bangladeshi;"}
        columns = {ours: self.column(ref, text) for ours, text in wanted.items()}
        codes = {r["geography"]: r["geography code"]
                 for r in primary("census2011-qs601ew-economic-activity-la-counts.csv")}
        assert all(codes[name] == ours["geography_code"] for name, ours in ETHNICITY.items() if name != "England")
        self.assert_counts_match(ETHNICITY, ref, columns, english=lambda r: r["PFA16CD"].startswith("E"),
                                 row_of=lambda name, ours: next(r for r in ref if r["geography"] == name))
