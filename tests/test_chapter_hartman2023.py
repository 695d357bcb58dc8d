"""Chapter hartman2023: every glued number equals what the data give, and the rebuilt lists have the report's shape.

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

from tests.conftest import ReportChapterChecks, data_rows, glued_values
from tests.report_text import REPORTS_DIR, SKIP_REASON, shared_missing

CHAPTER = "hartman2023"
REPORT_TEXT = REPORTS_DIR / "hartman-2023-ucl-policy-lab-lighting-the-way.txt"
KINDS = ["local policy", "nationally funded", "civil-society support"]
rows = data_rows

REGISTER = {row["stat_id"]: row for row in rows("statistics") if row["report"] == CHAPTER}
INITIATIVES = rows("hartman2023_initiatives")
LINKS = rows("hartman2023_principle_links")
RECOMMENDATIONS = rows("hartman2023_recommendations")


def value(stat_id: str) -> float:
    return float(REGISTER[stat_id]["value"])


def short(name: str) -> str:
    return re.sub(r" \(.*\)$", "", name)


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    year = next(int(r["year"]) for r in rows("reports") if r["report"] == CHAPTER)
    cities = [p["place"] for p in rows("hartman2023_places") if p["case_study"] == "true"]
    kinds = Counter(i["kind"] for i in INITIATIVES)
    dated = sorted((i for i in INITIATIVES if i["start_year"]), key=lambda i: int(i["start_year"]))
    name = {i["initiative_id"]: i["initiative"] for i in INITIATIVES}
    principles_per_initiative = {i: len({l["principle_id"] for l in LINKS if l["initiative_id"] == i})
                                 for i in {l["initiative_id"] for l in LINKS}}
    most = max(principles_per_initiative.values())
    most_linked = [i["initiative_id"] for i in INITIATIVES if principles_per_initiative.get(i["initiative_id"]) == most]
    before, after = value("hartman2023-manchester-nrpf-cost-before"), value("hartman2023-manchester-nrpf-cost-after")
    horizons = Counter(r["horizon"] for r in RECOMMENDATIONS)
    return {
        "hartman2023-year": year,
        "hartman2023-case-cities": ", ".join(cities[:-1]) + " and " + cities[-1],
        "hartman2023-initiative-count": len(INITIATIVES),
        "hartman2023-kind-count": len(kinds),
        **{f"hartman2023-initiatives-{kind.replace(' ', '-')}": kinds[kind] for kind in KINDS},
        "hartman2023-initiatives-with-evaluation": sum(1 for i in INITIATIVES if i["evaluation"]),
        "hartman2023-dated-initiatives": len(dated),
        "hartman2023-link-count": len(LINKS),
        "hartman2023-linked-initiatives": len(principles_per_initiative),
        "hartman2023-most-linked": " and ".join(short(name[i]) for i in most_linked),
        "hartman2023-most-linked-principles": most,
        "hartman2023-nrpf-fall-pct": (before - after) / before * 100,
        # Rounded to the nearest thousand pounds: the funding is given to two significant figures.
        "hartman2023-laaslo-cost-per-officer": round(value("hartman2023-laaslo-funding") * 1e6
                                                     / value("hartman2023-laaslo-officers"), -3),
        "hartman2023-laaslo-officers-per-authority": value("hartman2023-laaslo-officers") / value("hartman2023-laaslo-authorities"),
        "hartman2023-everyone-in-liverpool-total": value("hartman2023-everyone-in-liverpool-eea")
                                                   + value("hartman2023-everyone-in-liverpool-non-eea"),
        "hartman2023-immediate-count": horizons["immediate"],
        "hartman2023-longer-term-count": horizons["longer term"],
        "hartman2023-register-rows": len(REGISTER),
        "hartman2023-appendix-stat-count": sum(1 for r in REGISTER.values() if r["section"] in (
            "APPENDIX", "Sample of policies implemented by local governments",
            "Sample of projects proposed by local government …")),
    }


@pytest.fixture(scope="module")
def glued(built_book) -> dict[str, str]:
    return glued_values(built_book, CHAPTER)


@pytest.mark.build
class TestGluedNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)

    def test_cost_per_officer_is_rounded_to_about_49_thousand_pounds(self, glued):
        # A hand check of the one money figure the chapter computes that the report does not give:
        # £1.7m / 35 = £48,571, shown as a person would write it, not to the pound.
        assert float(glued["hartman2023-laaslo-cost-per-officer"]) == 49_000

    def test_no_register_value_is_glued(self, glued):
        # Register values go into the prose through the {stat} role, with the report's hedge, not glue.
        assert sorted(set(glued) & set(REGISTER)) == []


    def test_the_timeline_download_holds_every_dated_initiative(self, built_book):
        with (built_book / "_build" / "generated" / "hartman2023-timeline.csv").open(encoding="utf-8") as handle:
            drawn = {r["initiative_id"]: (r["start_year"], r["end_year"]) for r in csv.DictReader(handle)}
        assert drawn == {i["initiative_id"]: (i["start_year"], i["end_year"]) for i in INITIATIVES if i["start_year"]}


class TestListsHaveTheReportsShape:
    """Counts read off the report by hand."""

    def test_thirteen_initiatives_in_the_reports_three_kinds(self):
        assert Counter(i["kind"] for i in INITIATIVES) == {"local policy": 4, "nationally funded": 5,
                                                           "civil-society support": 4}

    def test_initiatives_table_has_the_columns_the_issue_asks_for(self):
        assert list(INITIATIVES[0]) == ["initiative_id", "initiative", "place_id", "kind", "start_year", "end_year",
                                        "funded_by", "evaluation", "described_by", "summary"]

    def test_three_principles_of_strategic_action_and_resources_as_the_added_condition(self):
        status = {p["principle_id"]: p["status"] for p in rows("hartman2023_principles")}
        principles = [p for p, s in status.items() if s == "principle of strategic action"]
        assert principles == ["strategic-coordination", "cultural-leadership", "lived-experience"]
        assert len(principles) == value("hartman2023-principles-of-action")
        assert status["adequate-resources"] == "added condition"

    def test_every_principle_link_rests_on_an_initiative_the_report_names(self):
        names = {i["initiative_id"] for i in INITIATIVES}
        assert {l["initiative_id"] for l in LINKS} <= names
        assert {l["principle_id"] for l in LINKS} == {p["principle_id"] for p in rows("hartman2023_principles")}

    def test_only_initiatives_with_an_evaluation_or_review_are_coded_as_evaluated(self):
        # Our coding: a body's own account of its work is not an evaluation (ESOL Plus, City of Sanctuary).
        evaluated = {i["initiative_id"]: i["evaluation"] for i in INITIATIVES if i["evaluation"]}
        assert evaluated == {"our-liverpool": "dluhc2022", "laaslo": "dluhc2022", "inclusive-cities": "ramp2021b",
                             "cii": "renaisi2022", "ramp-bristol": "thorton2020"}

    def test_four_immediate_and_six_longer_term_recommendations_numbered_in_order(self):
        for horizon, count in (("immediate", 4), ("longer term", 6)):
            numbers = [int(r["recommendation_order"]) for r in RECOMMENDATIONS if r["horizon"] == horizon]
            assert numbers == list(range(1, count + 1))

    def test_four_case_study_cities_as_the_register_says(self):
        cities = [p for p in rows("hartman2023_places") if p["case_study"] == "true"]
        assert len(cities) == value("hartman2023-case-study-authorities")

    def test_initiative_dates_agree_with_the_register(self):
        years = {i["initiative_id"]: (i["start_year"], i["end_year"]) for i in INITIATIVES}
        assert years["city-of-sanctuary"][0] == f"{value('hartman2023-city-of-sanctuary-start'):.0f}"
        assert years["cii"][0] == f"{value('hartman2023-cii-established'):.0f}"
        assert years["our-liverpool"][0] == f"{value('hartman2023-our-liverpool-launch'):.0f}"
        assert years["ramp-bristol"] == (f"{value('hartman2023-ramp-bristol-launch'):.0f}",
                                         f"{value('hartman2023-ramp-bristol-funded-until'):.0f}")
        assert years["inclusive-cities"] == (f"{value('hartman2023-inclusive-cities-phase-1-start'):.0f}",
                                             f"{value('hartman2023-inclusive-cities-phase-2-end'):.0f}")

    def test_the_only_initiative_dated_before_2017_besides_city_of_sanctuary_is_cii(self):
        # CII (2016) began before the first metro mayors were elected (May 2017); the chapter must not say
        # the secondment schemes came after them. Dates as the report gives them.
        early = {i["initiative_id"] for i in INITIATIVES if i["start_year"] and int(i["start_year"]) < 2017}
        assert early == {"city-of-sanctuary", "cii"}

    def test_the_register_has_one_row_per_statistic_read_off_the_report(self):
        assert len(REGISTER) == 51


@pytest.mark.skipif(shared_missing(REPORT_TEXT), reason=SKIP_REASON)
class TestListsAgainstTheReportText:
    """The same shapes read from the report's text itself."""

    TEXT = REPORT_TEXT.read_text(encoding="utf-8") if REPORT_TEXT.is_file() else ""

    def bullets_between(self, start: str, end: str) -> int:
        begin = self.TEXT.index(start)
        return len(re.findall(r"^- ", self.TEXT[begin:self.TEXT.index(end, begin)], re.M))

    def test_the_three_lists_of_initiatives(self):
        kinds = Counter(i["kind"] for i in INITIATIVES)
        assert self.bullets_between("A few examples are the following:", "There are also projects") == kinds["local policy"]
        assert self.bullets_between("These initiatives include the following:", "Experience and leadership") \
            == kinds["civil-society support"]
        # The national list has four items; the appendix adds Everyone In to the same group.
        national = self.bullets_between("A few examples of such policies are:", "Many of these")
        assert "Everyone In" in self.TEXT[self.TEXT.index("Sample of projects proposed"):]
        assert national + 1 == kinds["nationally funded"]

    def test_the_principles_of_the_executive_summary(self):
        line = next(l for l in self.TEXT.splitlines() if "key principles of strategic action" in l)
        assert re.findall(r"\((i{1,3}|iv)\)", line) == ["i", "ii", "iii", "iv"]
        # (iv) comes after "In addition", outside the list of principles: the added condition.
        principles, added = line.split("In addition")
        assert re.findall(r"\((i{1,3}|iv)\)", principles) == ["i", "ii", "iii"]
        assert [p["status"] for p in rows("hartman2023_principles")] == ["principle of strategic action"] * 3 + [
            "added condition"]

    def test_the_report_gives_no_month_of_publication(self):
        # The build note says the text names no month; it names none before its reference list.
        body = self.TEXT[:self.TEXT.index("\nReferences\n")]
        months = r"(January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d"
        assert re.findall(months, body) == []

    def test_the_report_cites_neither_earlier_report(self):
        assert re.search(r"British Future|IPPR|Katwala|Morris", self.TEXT) is None

    def test_principle_sections_are_headings_of_the_report(self):
        headings = set(self.TEXT.splitlines())
        assert [p["section"] for p in rows("hartman2023_principles") if p["section"] not in headings] == []

    def test_the_numbered_recommendations(self):
        immediate = self.TEXT[self.TEXT.index("Immediate proposals"):self.TEXT.index("Contributions to longer-term change")]
        longer = self.TEXT[self.TEXT.index("Contributions to longer-term change"):self.TEXT.index("\nConclusion\n")]
        counts = Counter(r["horizon"] for r in RECOMMENDATIONS)
        assert len(re.findall(r"^\d\. \*", immediate, re.M)) == counts["immediate"]
        assert len(re.findall(r"^\d\. \*", longer, re.M)) == counts["longer term"]
