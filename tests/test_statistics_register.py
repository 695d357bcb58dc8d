"""The statistics register as a whole: every row traceable to a report section and a citable source."""

from __future__ import annotations

import re

import pytest

from helpers.data import load, read_descriptor
from tests.conftest import PROJECT_ROOT, REPORTS_DIR

REGISTER = load("statistics", root=PROJECT_ROOT)
BIB_KEYS = set(re.findall(r"^@\w+\{([^,]+),", (PROJECT_ROOT / "book" / "references.bib").read_text(), re.M))
REPORT_FILES = {
    "katwala2017": ["katwala-2017-british-future-integration-national-rhetoric-to-local-reality.txt"],
    "morris2021": ["morris-2021-ippr-strategies-for-promoting-integration-at-city-region-level.txt",
                   "morris-2021-ippr-web-summary.txt"],
    "hartman2023": ["hartman-2023-ucl-policy-lab-lighting-the-way.txt"],
    "mort2026": ["mort-2026-ippr-english-devolution-and-migration.txt"],
}
#: Sections that are not headings in the text: where a report begins before its first heading.
PSEUDO_SECTIONS = {"Opening (before the first heading)"}


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


@pytest.mark.skipif(not REPORTS_DIR.is_dir(), reason="the reports' text is not beside this copy (../shared/reports; set COMPENDIUM_REPORTS)")
class TestSectionsExistInTheReports:
    @staticmethod
    def normalise(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()

    @pytest.mark.parametrize("report", sorted(REPORT_FILES))
    def test_each_section_is_a_heading_of_its_report(self, report):
        text = self.normalise(" ".join((REPORTS_DIR / f).read_text(encoding="utf-8") for f in REPORT_FILES[report]))
        sections = set(REGISTER.loc[REGISTER["report"] == report, "section"]) - PSEUDO_SECTIONS
        assert sorted(s for s in sections if self.normalise(s) not in text) == []
