"""The cross-report pages as built: every glued number equals an independent recomputation from the raw
CSV files (csv module only); every place has a generated page listing exactly its statistics and passages,
flagging the known problems in them, with official figures that add up from the census and referendum
extracts; the places index is a filterable table; and the appendix lists exactly the register's rows and
every column of the data package."""

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


AREAS = rows("place_areas")
CENSUS = {r["geography_code"]: r for r in rows("census2021_english_proficiency")}
DISCREPANCIES = rows("discrepancies")
#: Levels whose pages gather what lies within them and, up to the authority, above them.
DIGEST = {"authority", "council", "ward"}
BY_ID = {p["place_id"]: p for p in PLACES}


def norm(name: str) -> str:
    return " ".join(name.replace("&", " and ").lower().split())


def inside(place_id: str) -> set[str]:
    """The place and every place below it, following parent links."""
    found, grew = {place_id}, True
    while grew:
        grew = False
        for p in PLACES:
            if p["parent_place_id"] in found and p["place_id"] not in found:
                found.add(p["place_id"])
                grew = True
    return found


def within(place_id: str) -> set[str]:
    """What a place's page covers: itself and, for an authority, council or ward, the places below it."""
    return inside(place_id) if BY_ID[place_id]["level"] in DIGEST else {place_id}


def above(place_id: str) -> list[str]:
    """The places above a place whose passages its page shows: parents up to the authority level."""
    found, current = [], BY_ID[place_id]["parent_place_id"]
    if BY_ID[place_id]["level"] not in DIGEST:
        return found
    while current and BY_ID[current]["level"] in DIGEST:
        found.append(current)
        current = BY_ID[current]["parent_place_id"]
    return found


def stats_for(place_id: str) -> list[str]:
    covered = within(place_id)
    return [r["stat_id"] for r in REGISTER
            if any(norm(a["alias"]) == norm(r["geography"]) and a["place_id"] in covered for a in ALIASES)]


def codes_for(place_id: str) -> list[str]:
    """The official areas of a place: its own rows, else (authority or council) those of the places below it."""
    own = [a["area_code"] for a in AREAS if a["place_id"] == place_id]
    if own or BY_ID[place_id]["level"] not in {"authority", "council"}:
        return own
    below = inside(place_id) - {place_id}
    return list(dict.fromkeys(a["area_code"] for a in AREAS if a["place_id"] in below))


def census_share(codes: list[str], *columns: str) -> float:
    """A census 2021 share (%) of residents aged 3 and over, summed over the areas."""
    total = sum(int(CENSUS[c]["residents_aged_3_plus"]) for c in codes)
    return sum(int(CENSUS[c][col]) for c in codes for col in columns) / total * 100


def page_text(built_book, place_id: str) -> str:
    html = built_book / "_build" / "html" / "book" / "across" / "places" / f"{place_id}.html"
    return plain(BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" "))


def page_soup(built_book, place_id: str) -> BeautifulSoup:
    html = built_book / "_build" / "html" / "book" / "across" / "places" / f"{place_id}.html"
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def generated_rows(built_book, name: str) -> list[dict]:
    path = built_book / "_build" / "generated" / f"{name}.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))) if path.is_file() else []


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
    known = {norm(a["alias"]) for a in ALIASES if a["place_id"]}
    not_places = {r["geography"] for r in REGISTER if norm(r["geography"]) not in known}
    expected = {
        "places-count": len(PLACES),
        "places-with-census-count": sum(bool(codes_for(p["place_id"])) for p in PLACES),
        "places-register-rows": len(REGISTER),
        "places-register-rows-matched": sum(norm(r["geography"]) in known for r in REGISTER),
        "places-not-a-place-geographies": len(not_places),
        "places-not-a-place-rows": sum(r["geography"] in not_places for r in REGISTER),
    }
    for level in ["country", "nation", "region", "authority", "council", "ward"]:
        expected[f"places-{level}-count"] = sum(p["level"] == level for p in PLACES)
    check_glue(glued_values(built_book, "places"), expected)


class TestPlacesIndex:
    def test_the_index_is_a_filterable_table_with_a_row_per_place(self, built_book):
        page = BeautifulSoup((built_book / "_build" / "html" / "book" / "across" / "places.html")
                             .read_text(encoding="utf-8"), "html.parser")
        table = page.find("table", class_="filterable")
        assert table is not None
        assert len(table.find("tbody").find_all("tr")) == len(PLACES)
        headings = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
        assert headings == ["Place", "Kind", "Within", "Passages", "Asks", "Statistics",
                            "Cannot speak English well or at all, 2021"]

    def test_the_index_counts_and_shares(self, built_book):
        index = {r["place_id"]: r for r in generated_rows(built_book, "places-index")}
        problems = []
        for place in PLACES:
            pid, covered = place["place_id"], within(place["place_id"])
            row = index[pid]
            passages = sum(m["place_id"] in covered for m in MENTIONS)
            asks = len({r["recommendation_id"] for r in RECS if r["place_id"] in covered})
            codes = codes_for(pid)
            english = census_share(codes, "cannot_speak_well", "cannot_speak") if codes else None
            if (int(row["passages"]), int(row["asks"]), int(row["statistics"])) != (passages, asks, len(stats_for(pid))):
                problems.append((pid, "counts"))
            if (row["not_well_or_not_at_all_2021"] == "") != (english is None) or \
                    (english is not None and float(row["not_well_or_not_at_all_2021"]) != pytest.approx(english)):
                problems.append((pid, "english"))
        assert problems == []


class TestPlacePages:
    def test_every_place_has_a_generated_page_and_no_other_page_is_there(self, built_book):
        folder = built_book / "book" / "across" / "places"
        sources = sorted(p.stem for p in folder.glob("*.md"))
        assert sources == sorted(p["place_id"] for p in PLACES)
        assert all(p.read_text(encoding="utf-8").startswith("<!-- generated by bookbuild.placepages") for p in folder.glob("*.md"))
        html = built_book / "_build" / "html" / "book" / "across" / "places"
        assert [p["place_id"] for p in PLACES if not (html / f"{p['place_id']}.html").is_file()] == []

    def test_each_page_lists_exactly_its_statistics_and_the_passages_within_and_above_it(self, built_book):
        problems = []
        for place in PLACES:
            pid = place["place_id"]
            shown = [r["stat_id"] for r in generated_rows(built_book, f"place-{pid}-statistics")]
            if shown != stats_for(pid):
                problems.append((pid, shown, stats_for(pid)))
            page = page_text(built_book, pid)
            for mention in MENTIONS:
                if (mention["place_id"] in within(pid) or mention["place_id"] in above(pid)) \
                        and plain(mention["mention"]) not in page:
                    problems.append((pid, mention["mention_id"]))
        assert problems == []

    def test_a_council_page_marks_what_is_said_about_its_authority(self, built_book):
        page = page_text(built_book, "oldham")
        gm = next(m for m in MENTIONS if m["place_id"] == "greater-manchester")
        assert plain(gm["mention"]) in page and "(this place lies within it)" in page
        asks = [r for r in RECS if r["place_id"] == "greater-manchester"]
        assert asks and all(plain(r["summary"]) in page for r in asks)

    def test_the_greater_manchester_page_flags_its_known_problems_on_the_page(self, built_book):
        soup = page_soup(built_book, "greater-manchester")
        warning = soup.find("div", class_="warning")
        assert warning is not None and "Known problems" in warning.get_text()
        links = [a.get("href", "") for a in warning.find_all("a")]
        # The three the issue names: the health budget in millions and billions, Manchester's share that cannot
        # speak English well, ten councils stated and nine named.
        named = {d["discrepancy_id"]: d["stat_ids"].split() for d in DISCREPANCIES}
        for discrepancy_id in ["katwala2017-gm-health-budget", "katwala2017-gm-manchester-not-well",
                               "katwala2017-gm-councils-named"]:
            for stat_id in named[discrepancy_id]:
                assert any(href.endswith(f"#stat-{stat_id}") for href in links), (discrepancy_id, stat_id)
        assert any(href.endswith("#tbl-katwala2017-discrepancies") for href in links)
        flagged = {d["discrepancy_id"] for d in DISCREPANCIES
                   if set(d["stat_ids"].split()) & set(stats_for("greater-manchester"))}
        assert len(warning.find_all("li")) == len(flagged)
        column = "category" if "category" in DISCREPANCIES[0] else "kind"
        labels = {"category": {"error": "Error in the report", "rounding": "Rounding",
                               "definition-or-vintage": "Definition or date differs", "cannot-verify": "Cannot be verified"},
                  "kind": {"internal": "The report disagrees with itself", "source": "Differs from its source"}}[column]
        text = plain(warning.get_text(" "))
        assert all(labels[d[column]] in text for d in DISCREPANCIES if d["discrepancy_id"] in flagged)

    def test_the_boroughs_the_report_quotes_show_the_2021_census_beside_it(self, built_book):
        problems = []
        for pid in ["oldham", "wigan", "stockport", "bury", "trafford"]:
            rows_ = {r["stat_id"]: r for r in generated_rows(built_book, f"place-{pid}-then-and-now")}
            stat_id = f"katwala2017-gm-{pid}-cannot-speak"
            expected = census_share(codes_for(pid), "cannot_speak")
            if stat_id not in rows_ or float(rows_[stat_id]["official"]) != pytest.approx(expected):
                problems.append(pid)
            if not page_soup(built_book, pid).find("figure", id=f"fig-place-{pid}-then-and-now-census2021-cannot-speak"):
                problems.append((pid, "chart"))
        rochdale = census_share(codes_for("rochdale"), "cannot_speak_well", "cannot_speak")
        if f"could not speak English well or at all" not in page_text(built_book, "rochdale") or \
                f"{rochdale:.1f}%" not in page_text(built_book, "rochdale"):
            problems.append("rochdale")
        assert problems == []

    def test_authorities_say_which_councils_they_sum(self, built_book):
        problems = []
        for place in (p for p in PLACES if p["level"] == "authority"):
            pid = place["place_id"]
            summed = [p["place_id"] for p in PLACES if p["place_id"] in inside(pid)
                      and any(a["place_id"] == p["place_id"] for a in AREAS)]
            names = [BY_ID[p]["name"] for p in summed]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            if f"summed over its member councils: {listed}" not in page_text(built_book, pid):
                problems.append(pid)
        assert problems == []

    def test_english_proficiency_rows_are_the_census_counts(self, built_book):
        problems = []
        for place in PLACES:
            for row in generated_rows(built_book, f"place-{place['place_id']}-census-2021"):
                codes = codes_for(row["place_id"])
                if int(row["residents_aged_3_plus"]) != sum(int(CENSUS[c]["residents_aged_3_plus"]) for c in codes):
                    problems.append((place["place_id"], row["place_id"]))
        assert problems == []

    def test_every_english_council_and_authority_has_a_chart_of_english(self, built_book):
        missing = []
        for place in PLACES:
            pid = place["place_id"]
            if place["level"] in {"authority", "council"} and codes_for(pid) and "england" in _chain(pid):
                if not page_soup(built_book, pid).find("figure", id=f"fig-place-{pid}-english"):
                    missing.append(pid)
        assert missing == []

    def test_charts_draw_one_measure_with_every_bar_labelled_by_place_and_period(self, built_book):
        problems = []
        years = {r["stat_id"] for r in REGISTER if r["unit"] == "year"}
        for path in sorted((built_book / "_build" / "generated").glob("place-*.svg")):
            data = generated_rows(built_book, path.stem)
            if not data:
                problems.append((path.stem, "no data"))
                continue
            labels = [r["label"] if "label" in r else f"{r['area']}, 2016" for r in data]
            if not all(re.search(r", (\d{4})( \((report|census)\))?$", label) for label in labels):
                problems.append((path.stem, labels))
            values = [float(r.get("value") or r.get("share_not_well_or_not_at_all") or r.get("leave_share"))
                      for r in data]
            if not all(0 <= v <= 100 for v in values):
                problems.append((path.stem, values))
            if years & {r.get("stat_id", "") for r in data}:
                problems.append((path.stem, "a year drawn as a quantity"))
        assert problems == []


def _chain(place_id: str) -> list[str]:
    """Every place above a place."""
    found, current = [], BY_ID[place_id]["parent_place_id"]
    while current:
        found.append(current)
        current = BY_ID[current]["parent_place_id"]
    return found


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
