"""Chapter mort2026: every glued number equals what the data give, and the rebuilt tables have the report's shape.

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
ENGAGEMENT = rows("mort2026_engagement")
OPTIONS = rows("mort2026_options")


def and_join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1]


def matrix_expectations() -> dict[str, object]:
    authorities = [p["place_id"] for p in PLACES if p["body_kind"] == "strategic authority"]
    name = {p["place_id"]: p["place"] for p in PLACES}
    pairs = Counter((r["place_id"], r["area_id"]) for r in ENGAGEMENT if r["place_id"] in authorities)
    areas_per_place = {p: sum(1 for a in AREAS if pairs[(p, a["area_id"])]) for p in authorities}
    places_per_area = {a["area_id"]: sum(1 for p in authorities if pairs[(p, a["area_id"])]) for a in AREAS}
    most = max(areas_per_place.values())
    widest = max(places_per_area, key=lambda a: (places_per_area[a], -[x["area_id"] for x in AREAS].index(a)))
    totals = {p: sum(n for (place, _), n in pairs.items() if place == p) for p in authorities}
    ranked = sorted(authorities, key=lambda p: -totals[p])  # sorted() is stable: ties keep file order
    return {
        "mort2026-matrix-authorities": len(authorities),
        "mort2026-matrix-areas": len(AREAS),
        "mort2026-matrix-evidence-rows": sum(pairs.values()),
        "mort2026-busiest-places": " and ".join(name[p] for p in authorities if areas_per_place[p] == most),
        "mort2026-busiest-place-areas": most,
        "mort2026-widest-area": next(a["area"] for a in AREAS if a["area_id"] == widest),
        "mort2026-widest-area-places": places_per_area[widest],
        "mort2026-silent-places": " and ".join(name[p] for p in authorities if areas_per_place[p] == 0) or "none",
        "mort2026-asylum-places": places_per_area["asylum-accommodation"],
        "mort2026-top-place-count": 3,
        "mort2026-top-places": and_join([name[p] for p in ranked[:3]]),
        "mort2026-top-place-share": sum(totals[p] for p in ranked[:3]) / sum(totals.values()) * 100,
    }


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    stages = rows("mort2026_maturity_stages")
    interviewed = [p["place"] for p in PLACES if p["interviewed"] == "true"]
    competences = rows("mort2026_competences")
    tiers = Counter(o["tier_order"] for o in OPTIONS)
    return {
        "mort2026-stage-count": len(stages),
        "mort2026-stage-names": and_join([s["stage"] for s in stages]),
        "mort2026-case-study-count": len(rows("mort2026_case_studies")),
        "mort2026-interview-region-count": len(interviewed),
        "mort2026-interview-regions": and_join(interviewed),
        "mort2026-interviewee-group-count": len(rows("mort2026_interviewee_groups")),
        "mort2026-category-count": len(rows("mort2026_sa_categories")),
        "mort2026-competence-rows": len(competences),
        "mort2026-competences-linked": sum(1 for c in competences if c["migration_link_in_report"]),
        "mort2026-competence-unlinked": "; ".join(c["area"].lower() for c in competences
                                                  if not c["migration_link_in_report"]),
        "mort2026-gla-migration-budget-period": REGISTER["mort2026-gla-migration-budget-2025-26"]["period"],
        "mort2026-afghan-pathfinder-launch-period": REGISTER["mort2026-afghan-pathfinder-launch"]["period"],
        "mort2026-policy-field-count": sum(1 for a in AREAS if a["kind"] == "policy field"),
        "mort2026-table-4-1-rows": len(rows("mort2026_table_4_1")),
        "mort2026-table-4-2-rows": len(rows("mort2026_table_4_2")),
        "mort2026-factor-rows": len(rows("mort2026_maturity_factors")),
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
        authorities = {p["place_id"] for p in PLACES if p["body_kind"] == "strategic authority"}
        expected = sorted(r["evidence_id"] for r in ENGAGEMENT if r["place_id"] in authorities)
        assert sorted(r["evidence_id"] for r in drawn) == expected
        assert Counter((r["place_id"], r["area_id"]) for r in drawn) == Counter(
            (r["place_id"], r["area_id"]) for r in ENGAGEMENT if r["place_id"] in authorities)


class TestTablesHaveTheReportsShape:
    """Counts read off the report by hand: rows, and the report's columns plus our identifiers."""

    def test_table_4_1_has_eight_rows_and_the_reports_three_columns(self):
        assert len(rows("mort2026_table_4_1")) == 8
        assert header("mort2026_table_4_1") == ["row_order", "engagement_id", "how_sas_engage", "what_it_means",
                                                "examples"]

    def test_table_4_2_has_five_rows_and_the_reports_three_columns(self):
        assert len(rows("mort2026_table_4_2")) == 5
        assert header("mort2026_table_4_2") == ["row_order", "partner_id", "partner", "how_sas_work_with_them",
                                                "issues_or_tensions"]

    def test_rows_are_numbered_in_the_reports_order(self):
        for name in ("mort2026_table_4_1", "mort2026_table_4_2"):
            assert [int(r["row_order"]) for r in rows(name)] == list(range(1, len(rows(name)) + 1))

    def test_typology_has_four_stages_in_order_and_three_factors(self):
        assert [s["stage"] for s in rows("mort2026_maturity_stages")] == ["latent", "emerging", "developing",
                                                                         "integrated"]
        assert len(rows("mort2026_maturity_factors")) == int(float(REGISTER["mort2026-typology-factors"]["value"]))

    def test_seven_areas_of_competence_as_the_register_says(self):
        assert len(rows("mort2026_competences")) == int(float(REGISTER["mort2026-areas-of-competence"]["value"]))

    def test_six_case_studies_numbered_one_to_six(self):
        assert [int(r["case_number"]) for r in rows("mort2026_case_studies")] == [1, 2, 3, 4, 5, 6]

    def test_every_case_study_shows_at_least_one_area(self):
        shown = {r["case_number"] for r in ENGAGEMENT if r["evidence_kind"] == "case study"}
        assert shown == {r["case_number"] for r in rows("mort2026_case_studies")}

    def test_every_table_4_1_example_row_is_used_in_the_matrix(self):
        used = {r["table_4_1_row"] for r in ENGAGEMENT if r["evidence_kind"] == "Table 4.1 example"}
        assert used == {r["engagement_id"] for r in rows("mort2026_table_4_1")}

    def test_options_by_stage_of_ambition(self):
        assert Counter(o["tier_order"] for o in OPTIONS) == {"1": 4, "2": 3, "3": 3, "4": 1}

    def test_the_register_has_one_row_per_statistic_read_off_the_report(self):
        assert len(REGISTER) == 16


@pytest.mark.skipif(shared_missing(REPORT_TEXT), reason=SKIP_REASON)
class TestTablesAgainstTheReportText:
    """The same shapes read from the report's text itself."""

    TEXT = REPORT_TEXT.read_text(encoding="utf-8") if REPORT_TEXT.is_file() else ""

    def table_lines(self, title: str) -> list[list[str]]:
        start = self.TEXT.index(title)
        end = self.TEXT.index("Source: Author's analysis", start)
        return [line.split("\t") for line in self.TEXT[start:end].splitlines() if "\t" in line]

    def test_table_4_1_rows_and_columns(self):
        header_row, *body = self.table_lines("TABLE 4.1:")
        assert len(header_row) == 3 and all(len(r) == 3 for r in body)
        assert len(body) == len(rows("mort2026_table_4_1"))

    def test_table_4_2_rows_and_columns(self):
        header_row, *body = self.table_lines("TABLE 4.2:")
        assert len(header_row) == 3 and all(len(r) == 3 for r in body)
        assert len(body) == len(rows("mort2026_table_4_2"))

    def test_case_studies(self):
        numbers = [int(n) for n in re.findall(r"^CASE STUDY (\d+):", self.TEXT, re.M)]
        assert numbers == [int(r["case_number"]) for r in rows("mort2026_case_studies")]

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
