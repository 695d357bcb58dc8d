"""The cross-report pages as built: every glued number equals an independent recomputation from the raw
CSV files (csv module only), every place has a generated page listing exactly its statistics, and the
appendix lists exactly the register's rows and every column of the data package."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROJECT_ROOT, glued_values

pytestmark = pytest.mark.build


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RECS = rows("recommendations")
LEVERS = rows("levers")
REPORTS = sorted(rows("reports"), key=lambda r: (int(r["year"]), r["report"]))
REGISTER = rows("statistics")
PLACES = rows("places")
ALIASES = rows("place_aliases")
MENTIONS = rows("place_mentions")
DESCRIPTOR = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


def norm(name: str) -> str:
    return " ".join(name.replace("&", " and ").lower().split())


def within(place_id: str) -> set[str]:
    """The place and every place below it, following parent links."""
    found, grew = {place_id}, True
    while grew:
        grew = False
        for p in PLACES:
            if p["parent_place_id"] in found and p["place_id"] not in found:
                found.add(p["place_id"])
                grew = True
    return found


def stats_for(place_id: str) -> list[str]:
    covered = within(place_id)
    return [r["stat_id"] for r in REGISTER
            if any(norm(a["alias"]) == norm(r["geography"]) and a["place_id"] in covered for a in ALIASES)]


def plain(text: str) -> str:
    """Text as compared with a rendered page: Sphinx turns straight quotes and dashes into typographic ones."""
    for typographic, straight in [("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "--"), ("—", "---")]:
        text = text.replace(typographic, straight)
    return " ".join(text.split())


def share(lever: str, report: str) -> float:
    mine = [r for r in RECS if r["report"] == report]
    return sum(lever in r["levers"].split(";") for r in mine) / len(mine) * 100


def lever_name(lever: str) -> str:
    return next(l["name"] for l in LEVERS if l["lever"] == lever)


def matches(text: str, expected) -> bool:
    if isinstance(expected, str):
        return text == expected
    return float(text) == pytest.approx(float(expected), rel=1e-9)


def check_glue(glued: dict, expected: dict) -> None:
    wrong = {k: (glued.get(k), v) for k, v in expected.items() if k not in glued or not matches(glued[k], v)}
    assert wrong == {}
    assert sorted(set(glued) - set(expected)) == []


def expected_recommendations_page() -> dict:
    first, last = REPORTS[0]["report"], REPORTS[-1]["report"]
    levers = [l["lever"] for l in LEVERS]
    change = {l: share(l, last) - share(l, first) for l in levers}
    ranked = sorted(levers, key=lambda l: (-change[l], l))
    expected = {
        "across-recommendation-count": len(RECS), "across-report-count": len(REPORTS),
        "across-lever-count": len(LEVERS),
        "across-multi-lever-count": sum(";" in r["levers"] for r in RECS),
        "across-first-year": REPORTS[0]["year"], "across-last-year": REPORTS[-1]["year"],
    }
    for r in REPORTS:
        expected[f"across-count-{r['report']}"] = sum(x["report"] == r["report"] for x in RECS)
    for prefix, lever in [("across-rise-1", ranked[0]), ("across-rise-2", ranked[1]),
                          ("across-fall-1", ranked[-1]), ("across-fall-2", ranked[-2])]:
        series = [share(lever, r["report"]) for r in REPORTS]
        peak = series.index(max(series))
        expected.update({f"{prefix}-name": lever_name(lever).lower(), f"{prefix}-first": series[0],
                         f"{prefix}-last": series[-1], f"{prefix}-peak": series[peak],
                         f"{prefix}-peak-year": REPORTS[peak]["year"]})
    middle = []
    for lever in levers:
        series = [share(lever, r["report"]) for r in REPORTS]
        peak = series.index(max(series))
        if max(series) > 0 and 0 < peak < len(series) - 1 and not any(series[peak + 1:]):
            middle.append((lever, peak, series[peak]))
    expected["across-middle-only"] = " and ".join(lever_name(l).lower() for l, _, _ in middle)
    expected["across-middle-only-year"] = ", ".join(sorted({REPORTS[p]["year"] for _, p, _ in middle}))
    for lever, _, value in middle:
        expected[f"across-middle-peak-{lever}"] = value
    for key, actor in [("mayor", "mayor/SA"), ("government", "central government")]:
        for end, report in [("first", first), ("last", last)]:
            mine = [r for r in RECS if r["report"] == report]
            expected[f"across-{key}-share-{end}"] = sum(r["actor"] == actor for r in mine) / len(mine) * 100
    return expected


def test_recommendations_page_numbers(built_book):
    check_glue(glued_values(built_book, "recommendations"), expected_recommendations_page())


def test_codebook_page_numbers(built_book):
    check_glue(glued_values(built_book, "codebook"),
               {"codebook-lever-count": len(LEVERS), "codebook-recommendation-count": len(RECS)})


def test_heatmap_data_counts_every_lever_use(built_book):
    data = list(csv.DictReader(io.StringIO(
        (built_book / "_build" / "generated" / "across-lever-heatmap.csv").read_text(encoding="utf-8"))))
    drawn = {(r["lever"], r["report"]): int(r["recommendations"]) for r in data}
    expected = {(l["lever"], r["report"]): sum(l["lever"] in x["levers"].split(";") for x in RECS if x["report"] == r["report"])
                for l in LEVERS for r in REPORTS}
    assert drawn == expected


def test_places_index_numbers(built_book):
    geographies = {r["geography"] for r in REGISTER}
    known = {norm(a["alias"]) for a in ALIASES}
    check_glue(glued_values(built_book, "places"), {
        "places-count": len(PLACES),
        "places-top-level-count": sum(not p["parent_place_id"] for p in PLACES),
        "places-register-rows": len(REGISTER),
        "places-register-rows-matched": sum(norm(r["geography"]) in known for r in REGISTER),
        "places-unmatched-geographies": sum(norm(g) not in known for g in geographies),
    })


class TestPlacePages:
    def test_every_place_has_a_generated_page_and_no_other_page_is_there(self, built_book):
        folder = built_book / "book" / "across" / "places"
        sources = sorted(p.stem for p in folder.glob("*.md"))
        assert sources == sorted(p["place_id"] for p in PLACES)
        assert all(p.read_text(encoding="utf-8").startswith("<!-- generated by bookbuild.placepages") for p in folder.glob("*.md"))
        html = built_book / "_build" / "html" / "book" / "across" / "places"
        assert [p["place_id"] for p in PLACES if not (html / f"{p['place_id']}.html").is_file()] == []

    def test_each_page_lists_exactly_its_statistics_and_mentions(self, built_book):
        generated = built_book / "_build" / "generated"
        problems = []
        for place in PLACES:
            expected = stats_for(place["place_id"])
            listing = generated / f"place-{place['place_id']}-statistics.csv"
            shown = [r["stat_id"] for r in csv.DictReader(io.StringIO(listing.read_text(encoding="utf-8")))] \
                if listing.is_file() else []
            if shown != expected:
                problems.append((place["place_id"], shown, expected))
            page = BeautifulSoup((built_book / "_build" / "html" / "book" / "across" / "places" /
                                  f"{place['place_id']}.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
            page = plain(page)
            for mention in MENTIONS:
                if mention["place_id"] in within(place["place_id"]) and plain(mention["mention"]) not in page:
                    problems.append((place["place_id"], mention["mention_id"]))
        assert problems == []

    def test_pages_with_statistics_have_a_chart(self, built_book):
        html = built_book / "_build" / "html" / "book" / "across" / "places"
        missing = [p["place_id"] for p in PLACES if stats_for(p["place_id"])
                   and not BeautifulSoup((html / f"{p['place_id']}.html").read_text(encoding="utf-8"),
                                         "html.parser").find("figure")]
        assert missing == []


class TestAppendix:
    def test_register_appendix_lists_exactly_the_register_rows(self, built_book):
        listing = (built_book / "_build" / "generated" / "evidence-register.csv").read_text(encoding="utf-8")
        shown = [r["stat_id"] for r in csv.DictReader(io.StringIO(listing))]
        assert shown == [r["stat_id"] for r in REGISTER]
        page = (built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html").read_text(encoding="utf-8")
        assert [r["stat_id"] for r in REGISTER if r["stat_id"] not in page] == []

    def test_register_table_loads_nothing_from_the_network(self, built_book):
        page = BeautifulSoup((built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html")
                             .read_text(encoding="utf-8"), "html.parser")
        remote = [s.get("src") for s in page.find_all("script") if re.match(r"(https?:)?//", s.get("src") or "")]
        remote = [src for src in remote if "thebe" not in src]  # the theme's own, loaded only on request
        assert remote == []
        assert any("table-tools.js" in (s.get("src") or "") for s in page.find_all("script"))
        assert page.find("table", class_="filterable") is not None

    def test_register_appendix_numbers(self, built_book):
        page = BeautifulSoup((built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html")
                             .read_text(encoding="utf-8"), "html.parser")
        text = " ".join(page.get_text(" ").split())
        expected = (f"The register holds {len(REGISTER)} statistics from {len({r['report'] for r in REGISTER})} "
                    f"reports, citing {len({r['primary_source'] for r in REGISTER})} distinct sources.")
        assert expected in text

    def test_data_dictionary_lists_every_file_and_column(self, built_book):
        page = (built_book / "_build" / "html" / "book" / "appendix" / "data-dictionary.html").read_text(encoding="utf-8")
        text = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
        missing = [f"{r['path']}:{f['name']}" for r in DESCRIPTOR["resources"]
                   for f in r["schema"]["fields"] if f"data/{r['path']}" not in text or f["name"] not in text]
        assert missing == []
        check_glue(glued_values(built_book, "data-dictionary"), {
            "dictionary-file-count": len(DESCRIPTOR["resources"]),
            "dictionary-column-count": sum(len(r["schema"]["fields"]) for r in DESCRIPTOR["resources"]),
        })
