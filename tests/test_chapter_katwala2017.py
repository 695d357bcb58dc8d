"""Chapter katwala2017: every number it glues into its prose equals what the data give.

Expected values are computed here from the CSV files directly, with the csv module, not through
helpers.katwala; a glued number that no check below covers fails the test, so a new number in the chapter
needs a new check.
"""

from __future__ import annotations

import csv

import pytest

from tests.conftest import ReportChapterChecks, data_rows

pytestmark = pytest.mark.build
CHAPTER = "katwala2017"
rows = data_rows

REGISTER = {row["stat_id"]: row for row in rows("statistics") if row["report"] == CHAPTER}
AUTHORITIES = rows("katwala2017_authorities")
MEMBERS = rows("katwala2017_members")
ETHNICITY = {row["geography_name"]: {k: v for k, v in row.items()} for row in rows("census2011_ethnicity")}
ECONOMIC = {row["geography_name"]: row for row in rows("census2011_economic_activity")}
PROFICIENCY = {row["geography_name"]: row for row in rows("census2021_english_proficiency")}
DISCREPANCIES = [row for row in rows("discrepancies") if row["report"] == CHAPTER]


def value(slug: str) -> float:
    return float(REGISTER[f"{CHAPTER}-{slug}"]["value"])


def period(slug: str) -> str:
    return REGISTER[f"{CHAPTER}-{slug}"]["period"]


def share(row: dict, *columns: str, of: str) -> float:
    return sum(int(row[c]) for c in columns) / int(row[of]) * 100


def in_employment(row: dict) -> int:
    return sum(int(v) for k, v in row.items() if k.startswith(("employee_", "self_employed_")))


def round_half_up_1(x: float) -> float:
    return int(x * 10 + 0.5) / 10


def expected_derived() -> dict[str, object]:
    """Numbers and labels the chapter derives, recomputed from the raw files."""
    keys = [a["key"] for a in AUTHORITIES]
    born = {a["combined_authority"]: value(f"{a['key']}-born-overseas") for a in AUTHORITIES if a["key"] != "cp"}
    most, least = max(born, key=born.get), min(born, key=born.get)
    polar = {a["combined_authority"]: value(f"{a['key']}-brexit-polarisation") for a in AUTHORITIES}
    cp = {d: value(f"cp-born-overseas-{d}") for d in ["cambridge", "east-cambridgeshire", "fenland", "huntingdonshire",
                                                       "south-cambridgeshire", "peterborough"]}
    cp_place = {r["stat_id"].removeprefix(f"{CHAPTER}-cp-born-overseas-"): r["geography"] for r in REGISTER.values()
                if r["stat_id"].startswith(f"{CHAPTER}-cp-born-overseas-")}
    gm_names = {m["local_authority"] for m in MEMBERS if m["authority_id"] == "greater-manchester"}
    gm = {n: r for n, r in PROFICIENCY.items() if n in gm_names}
    cannot = {n: share(r, "cannot_speak", of="residents_aged_3_plus") for n, r in gm.items()}
    ranking = sorted(cannot, key=cannot.get, reverse=True)
    manchester, england = PROFICIENCY["Manchester"], PROFICIENCY["England"]
    oldham_work = ECONOMIC["Oldham"]
    total_16_74 = int(oldham_work["residents_16_to_74"])
    self_employed = sum(int(v) for k, v in oldham_work.items() if k.startswith("self_employed_"))
    parts = [int(oldham_work["employee_part_time"]) / total_16_74 * 100,
             int(oldham_work["employee_full_time"]) / total_16_74 * 100, self_employed / total_16_74 * 100]
    # The chapter's census checks, with the precision the report uses for each figure.
    eth = lambda place, col: int(ETHNICITY[place][col]) / int(ETHNICITY[place]["all_usual_residents"]) * 100
    not_white = lambda place: (int(ETHNICITY[place]["all_usual_residents"]) - int(ETHNICITY[place]["white"]))
    not_wb = lambda place: 100 - eth(place, "white_british")
    england_work = ECONOMIC["England"]
    checks = [
        (value("gm-oldham-pakistani"), round(eth("Oldham", "pakistani"), 1)),
        (value("gm-oldham-bangladeshi"), round(eth("Oldham", "bangladeshi"), 1)),
        (value("gm-oldham-employment"), round(in_employment(oldham_work) / total_16_74 * 100, 1)),
        (value("gm-oldham-full-time"), round(parts[1], 1)),
        (value("gm-england-employment"), round(in_employment(england_work) / int(england_work["residents_16_to_74"]) * 100, 1)),
        (value("gm-england-full-time"), round(int(england_work["employee_full_time"]) / int(england_work["residents_16_to_74"]) * 100, 1)),
        (value("cp-peterborough-pakistani"), round(eth("Peterborough", "pakistani"), 1)),
        (value("wm-birmingham-pakistani"), round(eth("Birmingham", "pakistani"))),
        (value("gm-manchester-minority-2011"), round(not_white("Manchester"), -4)),
        (value("woe-south-gloucestershire-minority"), round(100 * not_white("South Gloucestershire")
                                                            / int(ETHNICITY["South Gloucestershire"]["all_usual_residents"]))),
        (value("woe-bath-minority"), round(not_wb("Bath and North East Somerset"))),
        (value("woe-bristol-minority"), round(100 * not_white("Bristol, City of")
                                              / int(ETHNICITY["Bristol, City of"]["all_usual_residents"]))),
    ]
    complete = 0
    for a in AUTHORITIES:
        councils = [m for m in MEMBERS if m["authority_id"] == a["authority_id"]
                    and (a["counted_kind"] == "all" or m["council_kind"] == a["counted_kind"])]
        named = sum(m["named_in_key_facts"] == "true" for m in councils)
        complete += named == float(REGISTER[a["members_stat_id"]]["value"])
    return {
        "katwala2017-six-populations-sum-million": sum(value(f"{k}-population-2015") for k in keys) / 1e6,
        "katwala2017-authority-count": len(AUTHORITIES),
        "katwala2017-election-year": period("new-combined-authorities"),
        "katwala2017-population-year": period("gm-population-2015"),
        "katwala2017-census-2011": period("gm-oldham-pakistani"),
        "katwala2017-census-2021": "2021",  # the year of table TS029 (data/census2021_english_proficiency.csv)
        "katwala2017-proficiency-min-age": 3,  # TS029's denominator: usual residents aged 3 and over
        "katwala2017-economic-activity-min-age": 16,  # QS601EW: usual residents aged 16 to 74
        "katwala2017-economic-activity-max-age": 74,
        "katwala2017-fenland-growth-period": period("cp-fenland-overseas-born-growth").replace(" to ", " and "),
        "katwala2017-minority-first-year": period("gm-manchester-minority-2001"),
        "katwala2017-riots-year": period("gm-oldham-riots"),
        "katwala2017-wigan-births-period": period("gm-wigan-births-asian").replace(" to ", "–"),
        "katwala2017-lcr-unemployment-period": period("lcr-liverpool-unemployment-1980s"),
        "katwala2017-gcse-period": period("woe-black-caribbean-gcse").replace(" to ", "–"),
        "katwala2017-bristol-projection-year": period("woe-bristol-population-2040"),
        "katwala2017-most-overseas-born": most,
        "katwala2017-most-overseas-born-share": born[most],
        "katwala2017-least-overseas-born": least,
        "katwala2017-least-overseas-born-share": born[least],
        "katwala2017-authorities-above-gb-unemployment": sum(value(f"{k}-unemployment") > value("gm-unemployment-gb")
                                                             for k in keys),
        "katwala2017-most-polarised": max(polar, key=polar.get),
        "katwala2017-most-polarised-gap": max(polar.values()),
        "katwala2017-cp-wisbech-hmo-share": value("cp-wisbech-hmos") / value("cp-wisbech-dwellings") * 100,
        "katwala2017-cp-born-overseas-highest": max(cp.values()),
        "katwala2017-cp-born-overseas-highest-place": cp_place[max(cp, key=cp.get)],
        "katwala2017-cp-born-overseas-lowest": min(cp.values()),
        "katwala2017-cp-born-overseas-lowest-place": cp_place[min(cp, key=cp.get)],
        "katwala2017-manchester-not-well-2021": share(manchester, "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-england-not-well-2021": share(england, "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-england-cannot-speak-2021": share(england, "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-manchester-not-well-2021-count": int(manchester["cannot_speak_well"]) + int(manchester["cannot_speak"]),
        "katwala2017-manchester-residents-3-plus-2021": int(manchester["residents_aged_3_plus"]),
        "katwala2017-oldham-cannot-speak-2021": cannot["Oldham"],
        "katwala2017-wigan-cannot-speak-2021": cannot["Wigan"],
        "katwala2017-oldham-to-wigan-cannot-speak-2021": cannot["Oldham"] / cannot["Wigan"],
        "katwala2017-oldham-not-well-2021": share(gm["Oldham"], "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-wigan-not-well-2021": share(gm["Wigan"], "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-oldham-rank-cannot-speak-2021": ranking.index("Oldham") + 1,
        "katwala2017-top-borough-cannot-speak-2021": ranking[0],
        "katwala2017-gm-borough-count": len(gm),
        "katwala2017-lcr-born-in-uk-from-key-facts": 100 - value("lcr-born-overseas"),
        "katwala2017-tv-middlesbrough-asylum-one-in": 100 / value("tv-middlesbrough-asylum-per-head"),
        "katwala2017-woe-gcse-gap": value("woe-white-british-gcse") - value("woe-black-caribbean-gcse"),
        "katwala2017-census-checks": len(checks),
        "katwala2017-census-checks-holding": sum(quoted == recomputed for quoted, recomputed in checks),
        "katwala2017-oldham-employment-2011": in_employment(oldham_work) / total_16_74 * 100,
        "katwala2017-oldham-in-employment": in_employment(oldham_work),
        "katwala2017-oldham-16-74": total_16_74,
        "katwala2017-oldham-part-time-pct": parts[0],
        "katwala2017-oldham-full-time-pct": parts[1],
        "katwala2017-oldham-self-employed-pct": parts[2],
        "katwala2017-oldham-sum-of-rounded-parts": round(sum(round_half_up_1(p) for p in parts), 1),
        "katwala2017-oldham-pakistani-2011": eth("Oldham", "pakistani"),
        "katwala2017-oldham-bangladeshi-2011": eth("Oldham", "bangladeshi"),
        "katwala2017-discrepancy-count": len(DISCREPANCIES),
        "katwala2017-discrepancies-internal": sum(d["kind"] == "internal" for d in DISCREPANCIES),
        "katwala2017-discrepancies-source": sum(d["kind"] == "source" for d in DISCREPANCIES),
        "katwala2017-authorities-list-complete": complete,
        "katwala2017-health-budget-ratio": value("gm-health-budget") * 1e9 / (value("gm-health-budget-key-facts") * 1e6),
        "katwala2017-students-difference": value("woe-students") - value("hesa-students"),
        "katwala2017-manchester-bury-ratio-2011": int(ETHNICITY["Manchester"]["all_usual_residents"])
        / int(ETHNICITY["Bury"]["all_usual_residents"]),
        "katwala2017-peterborough-pakistani-2011": eth("Peterborough", "pakistani"),
        "katwala2017-register-rows": len(REGISTER),
    }


class TestChapterNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)


def test_every_discrepancy_is_rendered_with_computed_evidence(built_book):
    with (built_book / "_build" / "generated" / f"{CHAPTER}-discrepancies.csv").open(encoding="utf-8") as handle:
        shown = {row["discrepancy_id"]: row["computed"] for row in csv.DictReader(handle)}
    assert sorted(shown) == sorted(d["discrepancy_id"] for d in DISCREPANCIES)
    assert [i for i, text in shown.items() if not any(ch.isdigit() for ch in text)] == []
