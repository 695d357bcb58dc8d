"""The discrepancy register and the census counts behind it.

Each known discrepancy of katwala2017 is re-established here from the raw CSV files (csv module only), so a
row that stops being true, or a census count that drifts from the official table, fails a test. The census
files are compared with the reference copies in ../shared/data/primary when that folder is present; the
other checks need nothing outside the project.
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
            authorities=load("katwala2017_authorities", root=PROJECT_ROOT),
            members=load("katwala2017_members", root=PROJECT_ROOT))
        checks = {d["check"] for d in DISCREPANCIES.values() if d["report"] == "katwala2017"}
        assert sorted(checks - set(evidence)) == []
        assert all(katwala.describe_evidence(c, evidence[c]) for c in checks)

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

    def test_manchester_nine_percent_against_the_census(self):
        m = PROFICIENCY["Manchester"]
        census = (int(m["cannot_speak_well"]) + int(m["cannot_speak"])) / int(m["residents_aged_3_plus"]) * 100
        assert value("katwala2017-gm-manchester-cannot-speak-well") == 9
        assert 3.5 < census < 4.5  # about 4%, less than half what is quoted
        e = PROFICIENCY["England"]
        england = (int(e["cannot_speak_well"]) + int(e["cannot_speak"])) / int(e["residents_aged_3_plus"]) * 100
        assert round(england) == value("katwala2017-gm-national-cannot-speak-well")

    def test_city_average_above_a_neediest_ward(self):
        assert value("katwala2017-gm-cheetham-cannot-speak-well") < value("katwala2017-gm-manchester-cannot-speak-well")

    def test_students_text_against_note(self):
        text, note = value("katwala2017-woe-students"), value("katwala2017-hesa-students")
        assert (text, note) == (75000, 73685)
        assert round(note, -3) != text
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

    def test_birmingham_pakistani_share(self):
        b = ETHNICITY["Birmingham"]
        assert round(int(b["pakistani"]) / int(b["all_usual_residents"]) * 100) == 13
        assert value("katwala2017-wm-birmingham-pakistani") == 14


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
