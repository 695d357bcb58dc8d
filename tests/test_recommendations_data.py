"""The cross-report data: one row per distinct ask with a locator a checker can follow, a codebook whose examples
exist and carry their code, link and extension tables that point at real asks, and a blind-coding sample that
can be drawn again from its seed. Read with the csv module, except where the sample is redrawn."""

from __future__ import annotations

import csv
import json
import re

import pytest

from tests.conftest import PROJECT_ROOT
from tests.report_text import REPORT_FILES, REPORTS_DIR, SKIP_REASON, SHORTENED, is_heading, shared_missing


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RECOMMENDATIONS = rows("recommendations")
ASKS = {r["recommendation_id"]: r for r in RECOMMENDATIONS}
LEVERS = {row["lever"]: row for row in rows("levers")}
ACTORS = {row["actor"]: row for row in rows("actors")}
RULES = rows("coding_rules")
ADDRESSED = rows("recommendation_places")
SAMPLE = rows("second_coding_sample")
REPORTS = {row["report"]: row for row in rows("reports")}
PLACES = {row["place_id"]: row for row in rows("places")}
MENTIONS = rows("place_mentions")
ALIASES = rows("place_aliases")
DESCRIPTOR = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


def enum_of(resource: str, field: str) -> list[str]:
    schema = next(r for r in DESCRIPTOR["resources"] if r["name"] == resource)["schema"]
    return next(f for f in schema["fields"] if f["name"] == field)["constraints"]["enum"]


def levers_of(ask: dict) -> list[str]:
    return ask["levers"].split(";")


class TestAsks:
    def test_there_are_asks_from_every_report(self):
        assert {row["report"] for row in RECOMMENDATIONS} == set(REPORTS)

    def test_every_ask_has_known_levers_without_repeats(self):
        bad = [r["recommendation_id"] for r in RECOMMENDATIONS
               if not r["levers"] or any(lever not in LEVERS for lever in levers_of(r))
               or len(set(levers_of(r))) != len(levers_of(r))]
        assert bad == []

    def test_every_ask_has_one_known_actor(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS if r["actor"] not in ACTORS] == []

    def test_id_starts_with_its_report(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS
                if not r["recommendation_id"].startswith(r["report"] + "-")] == []

    def test_pointer_is_under_ten_words(self):
        assert [r["recommendation_id"] for r in RECOMMENDATIONS if len(r["pointer"].split()) >= 10] == []

    def test_repeats_is_a_count(self):
        assert all(r["repeats"].isdigit() for r in RECOMMENDATIONS)

    def test_no_two_asks_of_a_report_share_a_locator(self):
        locators = [(r["report"], r["section"], r["pointer"]) for r in RECOMMENDATIONS]
        assert len(locators) == len(set(locators))

    def test_a_shortened_section_ends_in_an_ellipsis_and_stays_under_ten_words(self):
        long = [r["section"] for r in RECOMMENDATIONS if len(re.findall(r"[\w'’-]+", r["section"])) >= 10]
        assert long == []
        assert all(s.endswith(SHORTENED) for s in {r["section"] for r in RECOMMENDATIONS} if "…" in s)


class TestPlacesAddressed:
    def test_links_point_at_known_asks_and_places_once(self):
        pairs = [(a["recommendation_id"], a["place_id"]) for a in ADDRESSED]
        assert [p for p in pairs if p[0] not in ASKS or p[1] not in PLACES] == []
        assert len(pairs) == len(set(pairs))

    def test_the_regional_deputy_mayor_ask_is_one_row_for_six_places(self):
        places = {a["place_id"] for a in ADDRESSED if a["recommendation_id"] == "katwala2017-deputy-mayor-for-integration"}
        assert places == {"cambridgeshire-peterborough", "greater-manchester", "liverpool-city-region", "tees-valley",
                          "west-midlands", "west-of-england"}
        assert sum(r["summary"].lower().count("deputy mayor") > 0 for r in RECOMMENDATIONS) == 1

    def test_an_ask_made_only_to_named_places_comes_from_a_regional_passage(self):
        katwala = {a["recommendation_id"] for a in ADDRESSED}
        assert {ASKS[i]["report"] for i in katwala} == {"katwala2017"}


class TestCodebook:
    def test_each_lever_example_exists_and_uses_that_lever(self):
        assert [lever for lever, row in LEVERS.items()
                if row["example"] not in ASKS or lever not in levers_of(ASKS[row["example"]])] == []

    def test_each_actor_example_exists_and_has_that_actor(self):
        assert [actor for actor, row in ACTORS.items()
                if row["example"] not in ASKS or ASKS[row["example"]]["actor"] != actor] == []

    def test_every_lever_and_actor_is_used(self):
        assert sorted(set(LEVERS) - {lever for r in RECOMMENDATIONS for lever in levers_of(r)}) == []
        assert sorted(set(ACTORS) - {r["actor"] for r in RECOMMENDATIONS}) == []

    def test_english_teaching_is_separate_from_adult_skills_and_health_has_a_lever(self):
        assert {"english-language", "adult-skills", "health"} <= set(LEVERS)
        assert "esol-skills" not in LEVERS

    def test_five_actors_as_the_issue_names_them(self):
        assert set(ACTORS) == {"national-government", "mayor-sa", "councils", "funders", "civil-society"}

    def test_every_definition_has_its_inclusions_and_exclusions(self):
        assert [k for k, row in {**LEVERS, **ACTORS}.items()
                if not (row["definition"] and row["includes"] and row["excludes"])] == []

    def test_codebook_matches_the_schema_enums_and_pattern(self):
        assert set(LEVERS) == set(enum_of("levers", "lever"))
        assert set(ACTORS) == set(enum_of("actors", "actor"))
        schema = next(r for r in DESCRIPTOR["resources"] if r["name"] == "recommendations")["schema"]
        pattern = next(f for f in schema["fields"] if f["name"] == "levers")["constraints"]["pattern"]
        assert all(re.fullmatch(pattern, lever) for lever in LEVERS)

    def test_rules_cover_unit_lever_and_actor(self):
        assert {r["applies_to"] for r in RULES} == {"unit", "lever", "actor"}


class TestChapterExtensions:
    def test_hartman_rows_are_its_numbered_asks(self):
        ext = rows("hartman2023_recommendations")
        assert {ASKS[r["recommendation_id"]]["report"] for r in ext} == {"hartman2023"}
        assert len({(r["horizon"], r["recommendation_order"]) for r in ext}) == len(ext)

    def test_mort_options_are_its_asks(self):
        ext = rows("mort2026_options")
        assert {ASKS[r["recommendation_id"]]["report"] for r in ext} == {"mort2026"}

    def test_no_wording_is_kept_twice(self):
        for name in ("hartman2023_recommendations", "mort2026_options"):
            assert set(rows(name)[0]) <= {"recommendation_id", "horizon", "recommendation_order", "principle_id",
                                          "option_order", "tier_order"}


class TestBlindCodingSample:
    def test_size_and_strata(self):
        per_report = {report: sum(r["report"] == report for r in SAMPLE) for report in REPORTS}
        assert len(SAMPLE) >= 40
        assert min(per_report.values()) >= 6

    def test_the_sample_holds_no_codebook_example_and_no_codes(self):
        examples = {row["example"] for row in [*LEVERS.values(), *ACTORS.values()]}
        assert [r["recommendation_id"] for r in SAMPLE if r["recommendation_id"] in examples] == []
        assert list(SAMPLE[0]) == ["recommendation_id", "report", "section", "pointer"]

    def test_locators_are_those_of_the_asks(self):
        assert [r["recommendation_id"] for r in SAMPLE
                if (r["section"], r["pointer"]) != (ASKS[r["recommendation_id"]]["section"],
                                                    ASKS[r["recommendation_id"]]["pointer"])] == []

    def test_the_draw_can_be_repeated_from_its_seed(self):
        import pandas as pd

        from helpers import across

        asks = pd.DataFrame(RECOMMENDATIONS)
        examples = across.codebook_examples(pd.DataFrame(LEVERS.values()), pd.DataFrame(ACTORS.values()))
        frame = asks[~asks["recommendation_id"].isin(examples)]
        drawn = across.stratified_sample(frame, across.SECOND_CODING_SIZE, across.SECOND_CODING_MINIMUM,
                                         across.SECOND_CODING_SEED)
        assert drawn["recommendation_id"].tolist() == [r["recommendation_id"] for r in SAMPLE]

    def test_both_codings_cover_exactly_the_sample(self):
        sample = [r["recommendation_id"] for r in SAMPLE]
        assert sorted(r["recommendation_id"] for r in rows("first_coding")) == sorted(sample)
        assert sorted(r["recommendation_id"] for r in rows("second_coding")) == sorted(sample)

    def test_the_second_coding_uses_only_codebook_codes(self):
        second = rows("second_coding")
        assert [r["recommendation_id"] for r in second if r["actor"] not in ACTORS] == []
        assert [r["recommendation_id"] for r in second
                if any(v.strip() not in LEVERS for v in r["levers"].split(";"))] == []

    def test_the_coders_codebook_names_no_sampled_ask(self):
        import pandas as pd

        from helpers import across

        text = across.codebook_for_coder(pd.DataFrame(LEVERS.values()), pd.DataFrame(ACTORS.values()),
                                         pd.DataFrame(RULES), pd.DataFrame(RECOMMENDATIONS),
                                         pd.DataFrame(REPORTS.values()))
        assert [r["recommendation_id"] for r in SAMPLE if r["recommendation_id"] in text] == []


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
