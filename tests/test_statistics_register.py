"""The statistics register as a whole: every row traceable to a report section and a citable source."""

from __future__ import annotations

import re

import pytest

from helpers.data import load, read_descriptor
from tests.conftest import PROJECT_ROOT
from tests.report_text import REPORT_FILES, REPORTS_DIR, SKIP_REASON, is_heading, shared_missing

REGISTER = load("statistics", root=PROJECT_ROOT)
BIB_KEYS = set(re.findall(r"^@\w+\{([^,]+),", (PROJECT_ROOT / "book" / "references.bib").read_text(), re.M))


def schema_field(name: str) -> dict:
    resource = next(r for r in read_descriptor(PROJECT_ROOT)["resources"] if r["name"] == "statistics")
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


class TestEveryRow:
    def test_register_has_the_required_columns(self):
        required = ["stat_id", "report", "section", "indicator", "geography", "period", "value", "unit",
                    "primary_source", "note"]
        assert [c for c in required if c not in REGISTER.columns] == []

    def test_stat_id_starts_with_its_report(self):
        wrong = REGISTER[~REGISTER.apply(lambda r: r["stat_id"].startswith(r["report"] + "-"), axis=1)]
        assert wrong["stat_id"].tolist() == []

    def test_cited_source_is_in_the_bibliography(self):
        missing = sorted(set(REGISTER["primary_source"]) - BIB_KEYS)
        assert missing == []

    def test_each_report_is_in_the_bibliography(self):
        assert set(schema_field("report")["constraints"]["enum"]) <= BIB_KEYS

    def test_every_unit_is_documented_in_the_schema_description(self):
        description = schema_field("unit")["description"]
        assert [u for u in schema_field("unit")["constraints"]["enum"] if u not in description] == []

    def test_percentages_lie_between_0_and_100(self):
        percents = REGISTER[REGISTER["unit"] == "percent"]
        assert percents[(percents["value"] < 0) | (percents["value"] > 100)]["stat_id"].tolist() == []


@pytest.mark.skipif(shared_missing(REPORTS_DIR), reason=SKIP_REASON)
class TestSectionsAreHeadingsOfTheReports:
    @pytest.mark.parametrize("report", sorted(REPORT_FILES))
    def test_each_section_is_a_heading_line_of_its_report(self, report):
        sections = set(REGISTER.loc[REGISTER["report"] == report, "section"])
        assert sorted(s for s in sections if not is_heading(s, report)) == []

    def test_a_phrase_from_the_body_is_not_taken_for_a_heading(self):
        # The check can fail: words that occur in the text, but not as a line of their own, are refused.
        assert not is_heading("funding for ESOL", "morris2021")
        assert is_heading("3. Creating sanctuary city regions", "morris2021")
