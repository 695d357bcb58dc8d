"""bookbuild.evidence: the {stat} role (a register value in prose, linked to its row) and the evidence register
page those links land on. The formatting of values has its own tests in test_register.py."""

from __future__ import annotations

import csv
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from bookbuild import evidence
from tests.conftest import PROJECT_ROOT, build_book, trimmed_copy

MORRIS = ["book/reports/morris2021"]

with (PROJECT_ROOT / "data" / "statistics.csv").open(encoding="utf-8", newline="") as handle:
    REGISTER = {row["stat_id"]: row for row in csv.DictReader(handle)}


class TestOptions:
    def test_no_options_keeps_unit_and_qualifier(self):
        assert evidence.parse_options(None) == evidence.Options()

    def test_bare_number_and_a_format_combine(self):
        assert evidence.parse_options("bare .0f") == evidence.Options(qualified=False, spec=".0f")
        assert evidence.parse_options("number  ,.1f") == evidence.Options(number_only=True, spec=",.1f")

    def test_an_unknown_option_is_named(self):
        with pytest.raises(ValueError, match="unknown option 'rounded'"):
            evidence.parse_options("rounded")


class TestHoverTitle:
    def test_names_report_section_and_cited_source(self):
        register = evidence.Register.read(PROJECT_ROOT)
        title = register.title("morris2021-esol-funding-2009-10")
        row = REGISTER["morris2021-esol-funding-2009-10"]
        assert title.startswith(f"IPPR (2021), section “{row['section']}”; citing ")
        assert "House of Commons Library (2018)" in title

    def test_a_statistic_the_report_gives_itself_names_no_other_source(self):
        register = evidence.Register.read(PROJECT_ROOT)
        own = next(i for i, r in REGISTER.items() if r["primary_source"] == r["report"])
        assert "citing" not in register.title(own)

    def test_bibliography_labels_read_as_author_and_year(self):
        labels = evidence.bibliography_labels(PROJECT_ROOT)
        assert labels["katwala2017"] == "Katwala et al. (2017)"
        assert labels["morris2021"] == "Morris (2021)"
        assert all("{" not in label for label in labels.values())


@pytest.mark.build
class TestInTheBuild:
    def test_an_unknown_id_fails_the_build_naming_page_and_id(self, tmp_path):
        root = trimmed_copy(tmp_path / "unknown", MORRIS)
        probe = root / "book" / "probe.md"
        probe.write_text(probe.read_text() + "\nA value: {stat}`morris2021-no-such-statistic`.\n")
        result = build_book(root)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "probe.md" in output and "unknown statistic 'morris2021-no-such-statistic'" in output

    def test_a_role_renders_the_value_with_its_hedge(self, tmp_path):
        root = trimmed_copy(tmp_path / "known", MORRIS)
        probe = root / "book" / "probe.md"
        probe.write_text(probe.read_text() + "\nShare: {stat}`morris2021-migrants-living-under-city-region-mayors`; "
                         "bare: {stat}`morris2021-migrants-living-under-city-region-mayors:bare`.\n")
        build = build_book(root)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        page = BeautifulSoup((root / "_build" / "html" / "book" / "probe.html").read_text(encoding="utf-8"),
                             "html.parser")
        values = page.select("a.stat")
        assert [node.get_text() for node in values] == ["more than 50%", "50%"]
        assert all(node["href"].endswith("#stat-morris2021-migrants-living-under-city-region-mayors") for node in values)


@pytest.mark.build
class TestTheRegisterPage:
    @pytest.fixture(scope="class")
    @classmethod
    def page(cls, built_book):
        html = built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html"
        return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")

    def test_one_anchored_row_per_statistic_in_register_order(self, page):
        rows = page.find("table", class_="evidence-register").find("tbody").find_all("tr")
        assert [row.get("id") for row in rows] == [evidence.anchor(stat_id) for stat_id in REGISTER]

    def test_values_are_formatted_by_unit_and_notes_shown(self, page):
        rows = {row["id"]: [" ".join(td.get_text(" ").split()) for td in row.find_all("td")]
                for row in page.find("table", class_="evidence-register").find("tbody").find_all("tr")}
        header = [" ".join(th.get_text(" ").split()) for th in page.find("table", class_="evidence-register").find("thead").find_all("th")]
        value, note = header.index("Value"), header.index("Note")
        assert rows[evidence.anchor("morris2021-esol-funding-2009-10")][value] == "£227 million"
        years = [stat_id for stat_id, row in REGISTER.items() if row["unit"] == "year"]
        assert all("." not in rows[evidence.anchor(stat_id)][value] for stat_id in years)
        noted = [stat_id for stat_id, row in REGISTER.items() if row["note"]]
        assert noted and all(rows[evidence.anchor(s)][note] for s in noted)

    def test_cited_sources_link_to_the_references(self, page):
        table = page.find("table", class_="evidence-register")
        links = [a["href"] for a in table.find_all("a", href=True) if "references.html" in a["href"]]
        assert len(links) >= len(REGISTER)


@pytest.mark.build
def test_numbers_in_prose_link_to_an_existing_register_row(built_book):
    """The done-when of the {stat} issue: at least 150 numbers in prose link to the register, none dangling."""
    html = built_book / "_build" / "html"
    register = BeautifulSoup((html / "book" / "appendix" / "evidence-register.html").read_text(encoding="utf-8"),
                             "html.parser")
    anchors = {tag["id"] for tag in register.find_all(id=True)}
    links, dangling = 0, []
    for page in sorted(html.rglob("*.html")):
        if page.name == "evidence-register.html" or "_static" in page.parts:
            continue
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a.stat"):
            target = urlparse(link["href"])
            resolved = (page.parent / unquote(target.path)).resolve()
            if resolved != (html / "book" / "appendix" / "evidence-register.html").resolve() \
                    or target.fragment not in anchors:
                dangling.append(f"{page.relative_to(html)} -> {link['href']}")
            links += 1
    assert dangling == []
    assert links >= 150
