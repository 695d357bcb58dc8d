"""Chapter mort2026: every glued number equals what the data give, the rebuilt tables have the report's shape,
and the list of activities counts each example once.

Expected values are computed here from the CSV files directly, with the csv module, not through the
helpers the chapter uses; a glued number that no check below covers fails the test, so a new number in
the chapter needs a new check. The shape checks compare the data files with the report: first against
counts read off the report by hand (always run), then against the report's own text where it is beside
the project.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from tests.conftest import PROJECT_ROOT, ReportChapterChecks, data_rows
from tests.report_text import REPORTS_DIR, SKIP_REASON, shared_missing

CHAPTER = "mort2026"
REPORT_TEXT = REPORTS_DIR / "mort-2026-ippr-english-devolution-and-migration.txt"
rows = data_rows


def header(name: str) -> list[str]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


REGISTER = {row["stat_id"]: row for row in rows("statistics") if row["report"] == CHAPTER}
PLACES = rows("mort2026_places")
AREAS = sorted(rows("mort2026_policy_areas"), key=lambda r: int(r["area_order"]))
ACTIVITIES = rows("mort2026_engagement")
MENTIONS = rows("mort2026_engagement_sources")
ACTIVITY_AREAS = rows("mort2026_engagement_areas")
OPTIONS = rows("mort2026_options")
AUTHORITIES = [p["place_id"] for p in PLACES if p["body_kind"] == "strategic authority"]


def and_join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def matrix_expectations() -> dict[str, object]:
    """The counts of distinct activities: per place, and per place and policy field."""
    name = {p["place_id"]: p["place"] for p in PLACES}
    area_name = {a["area_id"]: a["area"] for a in AREAS}
    fields = [a["area_id"] for a in AREAS if a["kind"] == "policy field"]
    place_of = {a["activity_id"]: a["place_id"] for a in ACTIVITIES}
    sa_activities = [a["activity_id"] for a in ACTIVITIES if a["place_id"] in AUTHORITIES]
    per_place = Counter(place_of[a] for a in sa_activities)
    shown = {(place_of[link["activity_id"]], link["area_id"]) for link in ACTIVITY_AREAS
             if link["activity_id"] in sa_activities}
    fields_per_place = {p: sum((p, f) in shown for f in fields) for p in AUTHORITIES}
    places_per_field = {f: sum((p, f) in shown for p in AUTHORITIES) for f in fields}
    ranked = sorted(AUTHORITIES, key=lambda p: -per_place[p])
    counts = [per_place[p] for p in ranked]
    third_tied = [p for p in ranked if per_place[p] == counts[2]]
    most_fields, most_places = max(fields_per_place.values()), max(places_per_field.values())
    return {
        "mort2026-sa-activity-count": len(sa_activities),
        "mort2026-mention-count": sum(1 for m in MENTIONS if m["activity_id"] in sa_activities),
        "mort2026-policy-field-count": len(fields),
        "mort2026-busiest-places": and_join([name[p] for p in AUTHORITIES if fields_per_place[p] == most_fields]),
        "mort2026-busiest-place-fields": most_fields,
        "mort2026-widest-fields": and_join([area_name[f] for f in fields if places_per_field[f] == most_places]),
        "mort2026-widest-field-places": most_places,
        "mort2026-silent-places": and_join([name[p] for p in AUTHORITIES if per_place[p] == 0] or ["none"]),
        "mort2026-asylum-places": places_per_field["asylum-accommodation"],
        "mort2026-top-two-places": and_join([name[p] for p in ranked[:2]]),
        "mort2026-top-two-activities": counts[0] + counts[1],
        "mort2026-third-place": (name[ranked[2]] if counts[2] != counts[3]
                                 else "a tie between " + and_join([name[p] for p in third_tied])),
        "mort2026-third-place-activities": counts[2],
    }


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    stages = rows("mort2026_maturity_stages")
    interviewed = [p["place"] for p in PLACES if p["interviewed"] == "true"]
    competences = rows("mort2026_competences")
    tiers = Counter(o["tier_order"] for o in OPTIONS)
    return {
        "mort2026-stage-names": and_join([s["stage"] for s in stages]),
        "mort2026-interview-region-count": len(interviewed),
        "mort2026-interview-regions": and_join(interviewed),
        "mort2026-interviewee-group-count": len(rows("mort2026_interviewee_groups")),
        "mort2026-category-count": len(rows("mort2026_sa_categories")),
        "mort2026-competence-rows": len(competences),
        "mort2026-competences-linked": sum(1 for c in competences if c["migration_link_in_report"]),
        "mort2026-competence-unlinked": "; ".join(c["area"].lower() for c in competences
                                                  if not c["migration_link_in_report"]),
        "mort2026-table-4-1-rows": len(rows("mort2026_table_4_1")),
        "mort2026-table-4-2-rows": len(rows("mort2026_table_4_2")),
        "mort2026-option-count": len(OPTIONS),
        "mort2026-tier-count": len(rows("mort2026_option_tiers")),
        **{f"mort2026-options-in-tier-{tier}": count for tier, count in tiers.items()},
        "mort2026-register-rows": len(REGISTER),
        **matrix_expectations(),
    }


@pytest.mark.build
class TestGluedNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)

    def test_the_matrix_download_is_the_evidence_behind_every_cell(self, built_book):
        with (built_book / "_build" / "generated" / "mort2026-engagement-matrix.csv").open(encoding="utf-8") as handle:
            drawn = list(csv.DictReader(handle))
        sa_activities = {a["activity_id"] for a in ACTIVITIES if a["place_id"] in AUTHORITIES}
        expected = sorted((link["activity_id"], link["area_id"]) for link in ACTIVITY_AREAS
                          if link["activity_id"] in sa_activities)
        assert sorted((r["activity_id"], r["area_id"]) for r in drawn) == expected


class TestEachActivityIsCountedOnce:
    """The list of activities: one row per activity, every mention and field linked to it."""

    def test_every_activity_has_a_mention_and_a_field(self):
        ids = {a["activity_id"] for a in ACTIVITIES}
        assert {m["activity_id"] for m in MENTIONS} == ids
        assert {link["activity_id"] for link in ACTIVITY_AREAS} == ids

    def test_no_two_activities_of_one_place_share_a_label(self):
        labels = Counter((a["place_id"], a["label"]) for a in ACTIVITIES)
        assert [key for key, n in labels.items() if n > 1] == []

    def test_each_mention_says_where_it_is(self):
        for m in MENTIONS:
            kind = m["evidence_kind"]
            assert bool(m["case_number"]) == (kind == "case study"), m
            assert bool(m["table_4_1_row"]) == (kind == "Table 4.1 example"), m
            assert bool(m["section"]) == (kind == "example in the text"), m

    def test_no_activity_is_mentioned_twice_in_the_same_place(self):
        where = Counter((m["activity_id"], m["evidence_kind"], m["case_number"], m["table_4_1_row"], m["section"])
                        for m in MENTIONS)
        assert [key for key, n in where.items() if n > 1] == []

    def test_every_row_of_table_4_1_cites_an_activity(self):
        cited = {m["table_4_1_row"] for m in MENTIONS if m["evidence_kind"] == "Table 4.1 example"}
        assert cited == {r["engagement_id"] for r in rows("mort2026_table_4_1")}

    def test_every_case_study_shows_an_activity(self):
        shown = {m["case_number"] for m in MENTIONS if m["evidence_kind"] == "case study"}
        assert shown == {r["case_number"] for r in rows("mort2026_case_studies")}

    def test_the_afghan_pilot_is_resettlement_and_not_an_sa_activity(self):
        case_6 = {m["activity_id"] for m in MENTIONS if m["case_number"] == "6"}
        assert {link["area_id"] for link in ACTIVITY_AREAS if link["activity_id"] in case_6} == {"resettlement"}
        place_of = {a["activity_id"]: a["place_id"] for a in ACTIVITIES}
        assert all(place_of[a] not in AUTHORITIES for a in case_6)

    def test_sa_activities_fall_in_the_matrix_columns(self):
        outside = {a["area_id"] for a in AREAS if a["kind"] == "outside the four"}
        sa_activities = {a["activity_id"] for a in ACTIVITIES if a["place_id"] in AUTHORITIES}
        assert [link for link in ACTIVITY_AREAS if link["activity_id"] in sa_activities
                and link["area_id"] in outside] == []

    def test_general_is_used_only_where_no_policy_field_applies(self):
        fields_of = {}
        for link in ACTIVITY_AREAS:
            fields_of.setdefault(link["activity_id"], set()).add(link["area_id"])
        assert [a for a, fields in fields_of.items() if "general" in fields and len(fields) > 1] == []


class TestTablesHaveTheReportsShape:
    """Counts read off the report by hand: rows, and the report's row labels plus our identifiers."""

    def test_table_4_1_has_eight_rows_with_the_reports_labels(self):
        assert len(rows("mort2026_table_4_1")) == 8
        assert header("mort2026_table_4_1") == ["row_order", "engagement_id", "label", "in_short"]

    def test_table_4_2_has_five_rows_restated_in_our_columns(self):
        assert len(rows("mort2026_table_4_2")) == 5
        assert header("mort2026_table_4_2") == ["row_order", "partner_id", "label", "brings", "sas_do",
                                                "tensions"]

    def test_rows_are_numbered_in_the_reports_order(self):
        for name in ("mort2026_table_4_1", "mort2026_table_4_2"):
            assert [int(r["row_order"]) for r in rows(name)] == list(range(1, len(rows(name)) + 1))

    def test_typology_has_its_stages_in_order_and_its_factors(self):
        stages = [s["stage"] for s in rows("mort2026_maturity_stages")]
        assert stages == ["latent", "emerging", "developing", "integrated"]
        assert len(stages) == int(float(REGISTER["mort2026-typology-stages"]["value"]))
        assert len(rows("mort2026_maturity_factors")) == int(float(REGISTER["mort2026-typology-factors"]["value"]))

    def test_seven_areas_of_competence_as_the_register_says(self):
        assert len(rows("mort2026_competences")) == int(float(REGISTER["mort2026-areas-of-competence"]["value"]))

    def test_six_case_studies_numbered_one_to_six(self):
        assert [int(r["case_number"]) for r in rows("mort2026_case_studies")] == [1, 2, 3, 4, 5, 6]

    def test_options_by_stage_of_ambition(self):
        assert Counter(o["tier_order"] for o in OPTIONS) == {"1": 4, "2": 3, "3": 3, "4": 1}

    def test_the_register_has_one_row_per_statistic_read_off_the_report(self):
        assert len(REGISTER) == 17


@pytest.mark.skipif(shared_missing(REPORT_TEXT), reason=SKIP_REASON)
class TestTablesAgainstTheReportText:
    """The same shapes read from the report's text itself."""

    TEXT = REPORT_TEXT.read_text(encoding="utf-8") if REPORT_TEXT.is_file() else ""

    def table_lines(self, title: str) -> list[list[str]]:
        start = self.TEXT.index(title)
        end = self.TEXT.index("Source: Author's analysis", start)
        return [line.split("\t") for line in self.TEXT[start:end].splitlines() if "\t" in line]

    def test_table_4_1_rows_and_labels(self):
        header_row, *body = self.table_lines("TABLE 4.1:")
        assert len(header_row) == 3 and all(len(r) == 3 for r in body)
        assert [r[0].strip() for r in body] == [r["label"] for r in rows("mort2026_table_4_1")]

    def test_table_4_2_rows_and_labels(self):
        header_row, *body = self.table_lines("TABLE 4.2:")
        assert len(header_row) == 3 and all(len(r) == 3 for r in body)
        assert [r[0].strip() for r in body] == [r["label"] for r in rows("mort2026_table_4_2")]

    def test_case_studies(self):
        numbers = [int(n) for n in re.findall(r"^CASE STUDY (\d+):", self.TEXT, re.M)]
        assert numbers == [int(r["case_number"]) for r in rows("mort2026_case_studies")]

    def test_text_mentions_sit_under_real_headings(self):
        headings = {line.strip().lower() for line in self.TEXT.splitlines()}
        sections = {m["section"] for m in MENTIONS if m["section"]} | {a["section"] for a in AREAS if a["section"]}
        assert [s for s in sections if s.lower() not in headings] == []

    def test_areas_of_competence(self):
        start = self.TEXT.index("areas of competence (MHCLG 2025a)")
        section = self.TEXT[start:self.TEXT.index("While these areas of competence", start)]
        assert len(re.findall(r"^\d\. ", section, re.M)) == len(rows("mort2026_competences"))

    def test_typology_factors(self):
        section = self.TEXT[self.TEXT.index("three main factors"):self.TEXT.index("Within one SA")]
        assert len(re.findall(r"^- \*\*", section, re.M)) == len(rows("mort2026_maturity_factors"))

    def test_typology_stages_are_the_reports(self):
        section = self.TEXT[self.TEXT.index("FIGURE 4.1"):self.TEXT.index("5.\n\nWHAT IS ENABLING")].lower()
        assert all(s["stage"] in section for s in rows("mort2026_maturity_stages"))

    def test_interviewee_groups_and_regions(self):
        groups = re.search(r"Interviewees included (.*?)\.", self.TEXT).group(1).split(", ")
        assert len(groups) + 1 == len(rows("mort2026_interviewee_groups"))  # the last item joins two with "and"
        regions = re.search(r"Interviewees were drawn from (.*?), alongside", self.TEXT).group(1)
        named = [r.removeprefix("the ") for part in regions.split(", ") for r in part.split(" and ")]
        assert sorted(named) == sorted(p["place"] for p in PLACES if p["interviewed"] == "true")
