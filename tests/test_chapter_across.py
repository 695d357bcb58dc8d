"""The cross-report pages as built: every glued number equals an independent recomputation from the raw
CSV files (csv module only, with its own Wilson interval), the downloads carry what the figures show; every
place has a generated page listing exactly its statistics, passages and asks, flagging the known problems in
them, with official figures that add up from the census and referendum extracts; the places index is a
filterable table; and the appendix lists exactly the register's rows and every column of the data package."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROJECT_ROOT, glued_values

pytestmark = pytest.mark.build


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RECS = rows("recommendations")
ADDRESSED = rows("recommendation_places")
LEVERS = rows("levers")
ACTORS = rows("actors")
RULES = rows("coding_rules")
REPORTS = sorted(rows("reports"), key=lambda r: (int(r["year"]), r["report"]))
ORDER = [r["report"] for r in REPORTS]
REGISTER = rows("statistics")
PLACES = rows("places")
ALIASES = rows("place_aliases")
MENTIONS = rows("place_mentions")
DESCRIPTOR = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
SAMPLE = rows("second_coding_sample")
FIRST = {r["recommendation_id"]: r for r in rows("first_coding")}
SECOND = {r["recommendation_id"]: r for r in rows("second_coding")}
RESOLUTIONS = rows("coding_resolutions")
Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval, written out again here rather than imported."""
    p = k / n
    centre = (2 * n * p + Z ** 2) / (2 * (n + Z ** 2))
    half = Z * math.sqrt(Z ** 2 + 4 * n * p * (1 - p)) / (2 * (n + Z ** 2))
    return (0.0 if k == 0 else centre - half) * 100, (1.0 if k == n else centre + half) * 100


def label(report: dict) -> str:
    match = re.search(r"\(([^()]+)\)$", report["publisher"])
    return f"{match.group(1) if match else report['publisher']} {report['year']}"


LABEL = {r["report"]: label(r) for r in REPORTS}
YEAR = {r["report"]: int(r["year"]) for r in REPORTS}


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
    for typographic, straight in [("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "--"), ("—", "---"),
                                  ("…", "...")]:
        text = text.replace(typographic, straight)
    return " ".join(text.split())


def matches(text: str, expected) -> bool:
    if isinstance(expected, str):
        return text == expected
    return float(text) == pytest.approx(float(expected), rel=1e-9)


def check_glue(glued: dict, expected: dict) -> None:
    wrong = {k: (glued.get(k), v) for k, v in expected.items() if k not in glued or not matches(glued[k], v)}
    assert wrong == {}
    assert sorted(set(glued) - set(expected)) == []


def uses(ask: dict, lever: str) -> bool:
    return lever in ask["levers"].split(";")


def lever_share_rows() -> list[dict]:
    out = []
    for lever in LEVERS:
        for report in ORDER:
            mine = [r for r in RECS if r["report"] == report]
            k = sum(uses(r, lever["lever"]) for r in mine)
            low, high = wilson(k, len(mine))
            out.append({"key": lever["lever"], "name": lever["name"], "report": report, "k": k, "n": len(mine),
                        "share": k / len(mine) * 100, "low": low, "high": high})
    return out


def actor_share_rows() -> list[dict]:
    out = []
    for actor in ACTORS:
        for report in ORDER:
            mine = [r for r in RECS if r["report"] == report]
            k = sum(r["actor"] == actor["actor"] for r in mine)
            low, high = wilson(k, len(mine))
            out.append({"key": actor["actor"], "name": actor["name"], "report": report, "k": k, "n": len(mine),
                        "share": k / len(mine) * 100, "low": low, "high": high})
    return out


def separated(shares: list[dict]) -> list[dict]:
    out = []
    for key in dict.fromkeys(s["key"] for s in shares):
        mine = sorted([s for s in shares if s["key"] == key], key=lambda s: YEAR[s["report"]])
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if a["high"] < b["low"] or b["high"] < a["low"]:
                    out.append({"name": a["name"], "earlier": a, "later": b})
    return out


def described(pairs: list[dict]) -> str:
    return "; ".join(f"*{p['name']}*, {p['later']['share']:.0f}% of {LABEL[p['later']['report']]}'s asks "
                     f"against {p['earlier']['share']:.0f}% of {LABEL[p['earlier']['report']]}'s" for p in pairs) or "none"


def weights(rule: str) -> dict[str, int]:
    if rule == "distinct":
        return {r["recommendation_id"]: 1 for r in RECS}
    if rule == "repeats":
        return {r["recommendation_id"]: 1 + int(r["repeats"]) for r in RECS}
    return {r["recommendation_id"]: max(1, sum(a["recommendation_id"] == r["recommendation_id"] for a in ADDRESSED))
            for r in RECS}


def sensitivity() -> list[dict]:
    out = []
    for lever in LEVERS:
        for report in ORDER:
            row = {"lever": lever, "report": report, "shares": {}, "rows": {}}
            for rule in ("per-place", "distinct", "repeats"):
                w = weights(rule)
                mine = [r for r in RECS if r["report"] == report]
                total = sum(w[r["recommendation_id"]] for r in mine)
                row["rows"][rule] = total
                row["shares"][rule] = sum(w[r["recommendation_id"]] for r in mine if uses(r, lever["lever"])) / total * 100
            row["shift"] = max(row["shares"].values()) - min(row["shares"].values())
            out.append(row)
    return out


def expected_recommendations_page() -> dict:
    expected = {
        "across-ask-count": len(RECS), "across-report-count": len(REPORTS), "across-lever-count": len(LEVERS),
        "across-multi-lever-count": sum(";" in r["levers"] for r in RECS),
        "across-statement-count": sum(1 + int(r["repeats"]) for r in RECS),
    }
    for report in ORDER:
        mine = [r for r in RECS if r["report"] == report]
        expected[f"across-asks-{report}"] = len(mine)
        expected[f"across-statements-{report}"] = sum(1 + int(r["repeats"]) for r in mine)
        expected[f"across-label-{report}"] = LABEL[report]
    katwala = {r["recommendation_id"] for r in RECS if r["report"] == "katwala2017"}
    expected["across-named-asks-katwala2017"] = len({a["recommendation_id"] for a in ADDRESSED} & katwala)
    expected["across-places-named-katwala2017"] = len({a["place_id"] for a in ADDRESSED if a["recommendation_id"] in katwala})

    shares = lever_share_rows()
    pairs = separated(shares)
    ippr = [p for p in pairs if (p["earlier"]["report"], p["later"]["report"]) == ("morris2021", "mort2026")]
    widest = max(shares, key=lambda s: s["high"] - s["low"])  # the first of any tie, as idxmax
    expected.update({
        "across-lever-comparisons": len(LEVERS) * len(ORDER) * (len(ORDER) - 1) // 2,
        "across-lever-separated": len(pairs), "across-lever-separated-list": described(pairs),
        "across-ippr-separated": len(ippr), "across-ippr-separated-list": described(ippr),
        "across-widest-interval": widest["high"] - widest["low"],
        "across-widest-interval-where": f"*{widest['name']}* in {LABEL[widest['report']]}",
    })
    actor_shares = actor_share_rows()
    actor_pairs = separated(actor_shares)
    expected["across-actor-separated"] = len(actor_pairs)
    expected["across-actor-separated-list"] = described(actor_pairs)
    for report in ORDER:
        top = max((s for s in actor_shares if s["report"] == report), key=lambda s: s["share"])
        expected[f"across-top-actor-{report}"] = top["name"].lower()
        expected[f"across-top-actor-share-{report}"] = top["share"]

    table = sensitivity()
    biggest = max(table, key=lambda r: r["shift"])
    expected.update({
        "across-sensitivity-largest": biggest["shift"],
        "across-sensitivity-largest-where": f"*{biggest['lever']['name']}* in {LABEL[biggest['report']]}",
        "across-sensitivity-threshold": 5,
        "across-sensitivity-over-5": sum(r["shift"] > 5 for r in table),
        "across-sensitivity-cells": len(table),
        "across-rows-per-place": sum(weights("per-place").values()),
        "across-rows-repeats": sum(weights("repeats").values()),
        "across-rows-per-place-katwala2017": sum(w for i, w in weights("per-place").items() if i in katwala),
    })
    return expected


def generated(built_book, name: str) -> list[dict]:
    text = (built_book / "_build" / "generated" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


class TestRecommendationsPage:
    def test_numbers(self, built_book):
        check_glue(glued_values(built_book, "recommendations"), expected_recommendations_page())

    def test_the_shares_download_carries_every_interval(self, built_book):
        drawn = {(r["lever"], r["report"]): (float(r["share_percent"]), float(r["low_percent"]), float(r["high_percent"]))
                 for r in generated(built_book, "across-lever-shares")}
        expected = {(s["key"], s["report"]): (s["share"], s["low"], s["high"]) for s in lever_share_rows()}
        assert drawn.keys() == expected.keys()
        assert all(drawn[k] == pytest.approx(expected[k], rel=1e-9, abs=1e-9) for k in expected)

    def test_the_actor_download_carries_every_interval(self, built_book):
        drawn = {(r["actor"], r["report"]): (int(r["addressed"]), float(r["low_percent"]), float(r["high_percent"]))
                 for r in generated(built_book, "across-actor-shares")}
        expected = {(s["key"], s["report"]): (s["k"], s["low"], s["high"]) for s in actor_share_rows()}
        assert drawn.keys() == expected.keys()
        assert all(drawn[k] == pytest.approx(expected[k], rel=1e-9, abs=1e-9) for k in expected)

    def test_the_prose_claim_about_english_teaching_holds(self):
        english = [s for s in lever_share_rows() if s["key"] == "english-language"]
        briefing = next(s for s in english if s["report"] == "morris2021")
        others = [s for s in english if s["report"] != "morris2021"]
        assert all(briefing["share"] > s["share"] for s in others)
        assert all(briefing["low"] <= s["high"] for s in others)  # the intervals overlap

    def test_the_prose_claims_about_the_counting_rule_hold(self):
        table = sensitivity()
        widths = sorted(s["high"] - s["low"] for s in lever_share_rows())
        largest = max(r["shift"] for r in table)
        assert sum(w > largest for w in widths) > len(widths) / 2  # "less than the width of most intervals"
        by = {(r["lever"]["lever"], r["report"]): r["shares"] for r in table}
        for pair in separated(lever_share_rows()):
            earlier = by[(pair["earlier"]["key"], pair["earlier"]["report"])]
            later = by[(pair["later"]["key"], pair["later"]["report"])]
            signs = {(later[rule] > earlier[rule]) for rule in earlier}
            assert len(signs) == 1, pair  # "none changes direction under another rule"

    def test_the_prose_reading_of_the_surviving_differences_holds(self):
        pairs = separated(lever_share_rows())
        assert {p["earlier"]["key"] for p in pairs} <= {"governance-capacity", "data-intelligence"}
        shares = {(s["key"], s["report"]): s["share"] for s in lever_share_rows()}
        assert shares[("data-intelligence", "katwala2017")] < min(shares[("data-intelligence", "hartman2023")],
                                                                  shares[("data-intelligence", "mort2026")])
        data = [p for p in pairs if p["earlier"]["key"] == "data-intelligence"]
        assert all(p["earlier"]["report"] == "katwala2017" and p["later"]["report"] in {"hartman2023", "mort2026"}
                   for p in data)

    def test_the_sensitivity_download_has_every_rule(self, built_book):
        shown = generated(built_book, "across-sensitivity")
        assert {"share_per-place", "share_distinct", "share_repeats", "largest_shift"} <= set(shown[0])
        assert len(shown) == len(LEVERS) * len(ORDER)

    def test_every_ask_is_listed_once_with_its_places(self, built_book):
        shown = generated(built_book, "across-recommendations")
        assert sorted(r["recommendation_id"] for r in shown) == sorted(r["recommendation_id"] for r in RECS)


def kappa(a: list, b: list) -> float:
    """Cohen's kappa, written out again here: (observed - chance) / (1 - chance)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    chance = sum(a.count(v) * b.count(v) for v in set(a) | set(b)) / n / n
    return float("nan") if chance == 1 else (observed - chance) / (1 - chance)


def split(value: str) -> set[str]:
    return {v.strip() for v in value.split(";") if v.strip()}


def agreement_rows() -> list[dict]:
    ids = [i for i in FIRST if i in SECOND]
    out = []
    for lever in LEVERS:
        a = [lever["lever"] in split(FIRST[i]["levers"]) for i in ids]
        b = [lever["lever"] in split(SECOND[i]["levers"]) for i in ids]
        out.append({"field": lever["lever"], "name": lever["name"], "asks": len(ids), "agreed": sum(x == y for x, y in zip(a, b)),
                    "kappa": kappa(a, b)})
    a, b = [FIRST[i]["actor"] for i in ids], [SECOND[i]["actor"] for i in ids]
    out.append({"field": "actor", "asks": len(ids), "agreed": sum(x == y for x, y in zip(a, b)), "kappa": kappa(a, b)})
    return out


def expected_codebook_page() -> dict:
    examples = {r["example"] for r in LEVERS + ACTORS}
    table = agreement_rows()
    levers = [r for r in table if r["field"] != "actor"]
    defined = [r for r in levers if not math.isnan(r["kappa"])]
    kappas = sorted(r["kappa"] for r in defined)
    middle = len(kappas) // 2
    median = kappas[middle] if len(kappas) % 2 else (kappas[middle - 1] + kappas[middle]) / 2
    lowest = min(defined, key=lambda r: r["kappa"])
    actor = table[-1]
    changed = [r for r in RESOLUTIONS if r["resolution"] != "kept ours"]
    expected = {
        "codebook-lever-count": len(LEVERS), "codebook-actor-count": len(ACTORS),
        "codebook-rule-count": len(RULES), "codebook-ask-count": len(RECS),
        "codebook-rules-revised": sum(r["revised_after_second_coding"] == "true" for r in RULES),
        "codebook-rules-revised-ids": " and ".join(r["rule_id"] for r in RULES if r["revised_after_second_coding"] == "true"),
        "codebook-sample-size": len(SAMPLE), "codebook-sample-seed": 20260612, "codebook-sample-minimum": 6,
        "codebook-examples-left-out": len(examples), "codebook-frame-size": len(RECS) - len(examples),
        "codebook-second-coded": len(SECOND),
        "codebook-kappa-actor": actor["kappa"], "codebook-agreed-actor": actor["agreed"],
        "codebook-kappa-median": median, "codebook-kappa-lowest": lowest["kappa"],
        "codebook-kappa-lowest-lever": f"*{lowest['name']}*", "codebook-kappa-highest": max(kappas),
        "codebook-kappa-undefined": sum(math.isnan(r["kappa"]) for r in levers),
        "codebook-levers-compared": len(levers),
        "codebook-lever-agreement-percent": sum(r["agreed"] for r in levers) / sum(r["asks"] for r in levers) * 100,
        "codebook-disagreements": len(RESOLUTIONS),
        "codebook-disagreements-actor": sum(r["field"] == "actor" for r in RESOLUTIONS),
        "codebook-resolved-kept": len(RESOLUTIONS) - len(changed),
        "codebook-resolved-changed": len(changed),
        "codebook-asks-changed": len({r["recommendation_id"] for r in changed}),
    }
    for report in ORDER:
        expected[f"codebook-sample-{report}"] = sum(r["report"] == report for r in SAMPLE)
    return expected


class TestCodebookPage:
    def test_numbers(self, built_book):
        check_glue(glued_values(built_book, "codebook"), expected_codebook_page())

    def test_agreement_download(self, built_book):
        shown = {r["field"]: r for r in generated(built_book, "codebook-agreement")}
        for row in agreement_rows():
            assert int(shown[row["field"]]["agreed"]) == row["agreed"]
            if math.isnan(row["kappa"]):
                assert shown[row["field"]]["kappa"] in ("", "nan")
            else:
                assert float(shown[row["field"]]["kappa"]) == pytest.approx(row["kappa"], rel=1e-9)

    def test_every_disagreement_has_exactly_one_resolution(self):
        disputed = set()
        for i in FIRST:
            mine, theirs = split(FIRST[i]["levers"]), split(SECOND[i]["levers"])
            disputed |= {(i, lever) for lever in mine ^ theirs}
            if FIRST[i]["actor"] != SECOND[i]["actor"]:
                disputed.add((i, "actor"))
        resolved = [(r["recommendation_id"], r["field"]) for r in RESOLUTIONS]
        assert sorted(resolved) == sorted(disputed)

    def test_resolutions_are_carried_into_the_list_of_asks(self):
        asks = {r["recommendation_id"]: r for r in RECS}
        wrong = []
        for i, first in FIRST.items():
            levers = split(first["levers"])
            actor = first["actor"]
            for r in (r for r in RESOLUTIONS if r["recommendation_id"] == i):
                if r["field"] == "actor":
                    actor = r["resolved_code"]
                elif r["resolved_code"] == "present":
                    levers.add(r["field"])
                else:
                    levers.discard(r["field"])
            if levers != split(asks[i]["levers"]) or actor != asks[i]["actor"]:
                wrong.append(i)
        assert wrong == []

    def test_resolution_codes_fit_their_kind(self):
        for r in RESOLUTIONS:
            kept = r["resolved_code"] == r["first_code"]
            assert (r["resolution"] == "kept ours") == kept
            if r["resolution"] == "took the second coder's":
                assert r["resolved_code"] == r["second_code"]

    def test_the_page_says_how_the_second_coding_was_made(self, built_book):
        page = plain(BeautifulSoup((built_book / "_build" / "html" / "book" / "across" / "codebook.html")
                                   .read_text(encoding="utf-8"), "html.parser").get_text(" "))
        assert "separate AI assistant instance, working only from this codebook and the reports' text, without " \
               "seeing our codes" in page

    def test_every_lever_actor_and_rule_is_rendered(self, built_book):
        page = plain(BeautifulSoup((built_book / "_build" / "html" / "book" / "across" / "codebook.html")
                                   .read_text(encoding="utf-8"), "html.parser").get_text(" "))
        missing = [x["name"] for x in LEVERS + ACTORS if plain(x["name"]) not in page]
        missing += [x["rule_id"] for x in RULES if plain(x["rule"]) not in page]
        missing += [x["name"] for x in LEVERS + ACTORS if plain(x["excludes"]) not in page]
        assert missing == []

    def test_counts_per_lever_and_actor(self, built_book):
        levers = {r["lever"]: int(r["uses"]) for r in generated(built_book, "codebook-levers")}
        assert levers == {l["lever"]: sum(uses(r, l["lever"]) for r in RECS) for l in LEVERS}
        actors = {r["actor"]: int(r["asks"]) for r in generated(built_book, "codebook-actors")}
        assert actors == {a["actor"]: sum(r["actor"] == a["actor"] for r in RECS) for a in ACTORS}


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
            asks = len({a["recommendation_id"] for a in ADDRESSED if a["place_id"] in covered})
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

    def test_each_page_lists_exactly_its_statistics_the_passages_within_and_above_it_and_its_asks(self, built_book):
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
            for link in ADDRESSED:
                ask = next(r for r in RECS if r["recommendation_id"] == link["recommendation_id"])
                if link["place_id"] == pid and plain(ask["summary"]) not in page:
                    problems.append((pid, link["recommendation_id"]))
        assert problems == []

    def test_a_council_page_marks_what_is_said_about_its_authority(self, built_book):
        page = page_text(built_book, "oldham")
        gm = next(m for m in MENTIONS if m["place_id"] == "greater-manchester")
        assert plain(gm["mention"]) in page and "(this place lies within it)" in page
        addressed = {link["recommendation_id"] for link in ADDRESSED if link["place_id"] == "greater-manchester"}
        asks = [r for r in RECS if r["recommendation_id"] in addressed]
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
        inline = " ".join(s.get_text() for s in page.find_all("script"))
        assert remote == []
        assert not re.search(r"import[^;]*https?://", inline)
        assert any("table-tools.js" in (s.get("src") or "") for s in page.find_all("script"))
        assert page.find("table", class_="filterable") is not None

    def test_register_appendix_numbers(self, built_book):
        page = BeautifulSoup((built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html")
                             .read_text(encoding="utf-8"), "html.parser")
        text = " ".join(page.get_text(" ").split())
        expected = (f"The register holds {len(REGISTER)} statistics from {len({r['report'] for r in REGISTER})} "
                    f"reports, citing {len({r['primary_source'] for r in REGISTER})} distinct sources.")
        assert expected in text

    def test_every_statistic_has_its_own_anchor(self, built_book):
        page = (built_book / "_build" / "html" / "book" / "appendix" / "evidence-register.html").read_text(encoding="utf-8")
        assert [r["stat_id"] for r in REGISTER if f'id="stat-{r["stat_id"]}"' not in page] == []

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
