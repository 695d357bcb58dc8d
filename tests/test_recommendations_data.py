"""The cross-report data: every recommendation has a known report and known levers, the codebook's examples
exist, places and mentions point at real places and report sections. Read with the csv module only."""

from __future__ import annotations

import csv
import json
import re

import pytest

from tests.conftest import PROJECT_ROOT
from tests.report_text import REPORT_FILES, REPORTS_DIR, SKIP_REASON, is_heading, shared_missing


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RECOMMENDATIONS = rows("recommendations")
LEVERS = {row["lever"]: row for row in rows("levers")}
REPORTS = {row["report"]: row for row in rows("reports")}
PLACES = {row["place_id"]: row for row in rows("places")}
MENTIONS = rows("place_mentions")
ALIASES = rows("place_aliases")
DESCRIPTOR = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


def enum_of(resource: str, field: str) -> list[str]:
    schema = next(r for r in DESCRIPTOR["resources"] if r["name"] == resource)["schema"]
    return next(f for f in schema["fields"] if f["name"] == field)["constraints"]["enum"]


class TestRecommendations:
    def test_there_are_recommendations_from_every_report(self):
        assert {row["report"] for row in RECOMMENDATIONS} == set(REPORTS)

    def test_every_row_has_a_known_report(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS if r["report"] not in REPORTS] == []

    def test_every_row_has_at_least_one_lever_and_only_known_ones(self):
        bad = [(r["recommendation_id"], r["levers"]) for r in RECOMMENDATIONS
               if not r["levers"] or any(lever not in LEVERS for lever in r["levers"].split(";"))]
        assert bad == []

    def test_no_lever_repeated_within_a_row(self):
        repeated = [r["recommendation_id"] for r in RECOMMENDATIONS
                    if len(set(r["levers"].split(";"))) != len(r["levers"].split(";"))]
        assert repeated == []

    def test_actor_is_one_of_the_documented_five(self):
        assert set(enum_of("recommendations", "actor")) == {
            "mayor/SA", "central government", "local authorities", "funders", "civil society"}
        assert {r["actor"] for r in RECOMMENDATIONS} <= set(enum_of("recommendations", "actor"))

    def test_id_starts_with_its_report(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS
                if not r["recommendation_id"].startswith(r["report"] + "-")] == []

    def test_place_if_given_is_a_known_place(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS if r["place_id"] and r["place_id"] not in PLACES] == []


class TestCodebook:
    def test_each_lever_example_exists_and_uses_that_lever(self):
        by_id = {r["recommendation_id"]: r for r in RECOMMENDATIONS}
        bad = [lever for lever, row in LEVERS.items()
               if row["example"] not in by_id or lever not in by_id[row["example"]]["levers"].split(";")]
        assert bad == []

    def test_every_lever_is_used(self):
        used = {lever for r in RECOMMENDATIONS for lever in r["levers"].split(";")}
        assert sorted(set(LEVERS) - used) == []

    def test_codebook_matches_the_schema_enum_and_pattern(self):
        assert set(LEVERS) == set(enum_of("levers", "lever"))
        schema = next(r for r in DESCRIPTOR["resources"] if r["name"] == "recommendations")["schema"]
        pattern = next(f for f in schema["fields"] if f["name"] == "levers")["constraints"]["pattern"]
        assert all(re.fullmatch(pattern, lever) for lever in LEVERS)


class TestReportsAndPlaces:
    def test_reports_table_covers_the_register_reports(self):
        assert set(REPORTS) == set(enum_of("statistics", "report"))

    def test_years_run_from_2017_to_2026(self):
        assert sorted(int(r["year"]) for r in REPORTS.values()) == [2017, 2021, 2023, 2026]

    def test_parents_aliases_and_mentions_point_at_known_places(self):
        assert [p for p, row in PLACES.items() if row["parent_place_id"] and row["parent_place_id"] not in PLACES] == []
        assert [a["alias"] for a in ALIASES if a["place_id"] and a["place_id"] not in PLACES] == []
        assert [m["mention_id"] for m in MENTIONS if m["place_id"] not in PLACES or m["report"] not in REPORTS] == []

    def test_the_places_the_issue_names_are_there(self):
        required = {"greater-manchester", "liverpool-city-region", "west-midlands", "west-of-england",
                    "cambridgeshire-peterborough", "tees-valley", "london", "south-yorkshire", "north-east",
                    "west-yorkshire", "north-of-tyne", "oldham", "wigan"}
        assert sorted(required - set(PLACES)) == []
        assert PLACES["oldham"]["parent_place_id"] == PLACES["wigan"]["parent_place_id"] == "greater-manchester"


@pytest.mark.skipif(shared_missing(REPORTS_DIR), reason=SKIP_REASON)
class TestSectionsAreHeadingsOfTheReports:
    @pytest.mark.parametrize("report", sorted(REPORT_FILES))
    def test_each_section_is_a_heading_line_of_its_report(self, report):
        sections = {r["section"] for r in RECOMMENDATIONS + MENTIONS if r["report"] == report}
        assert sections
        assert sorted(s for s in sections if not is_heading(s, report)) == []
