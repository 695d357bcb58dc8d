"""Chapter katwala2017: every number it glues into its prose equals what the data give.

Expected values are computed here from the CSV files directly, with the csv module, not through
helpers.katwala; a glued number that no check below covers fails the test, so a new number in the chapter
needs a new check.
"""

from __future__ import annotations

import csv

import pytest

from tests.conftest import PROJECT_ROOT, ReportChapterChecks, data_rows

pytestmark = pytest.mark.build
CHAPTER = "katwala2017"
rows = data_rows

REPORT_PAGE = PROJECT_ROOT / "book" / "reports" / f"{CHAPTER}.md"
REGISTER = {row["stat_id"]: row for row in rows("statistics") if row["report"] == CHAPTER}
AUTHORITIES = rows("katwala2017_authorities")
MEMBERS = rows("katwala2017_members")
ETHNICITY = {row["geography_name"]: {k: v for k, v in row.items()} for row in rows("census2011_ethnicity")}
ECONOMIC = {row["geography_name"]: row for row in rows("census2011_economic_activity")}
PROFICIENCY = {row["geography_name"]: row for row in rows("census2021_english_proficiency")}
DISCREPANCIES = [row for row in rows("discrepancies") if row["report"] == CHAPTER]
REFERENDUM = {row["area_code"]: row for row in rows("eu_referendum_2016")}


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


LABELS = {"error": "error in the report", "rounding": "rounding", "definition-or-vintage": "definition or vintage",
          "cannot-verify": "cannot be verified"}


def category(slug: str) -> str:
    """The label the chapter shows beside a flagged statistic, read from data/discrepancies.csv."""
    found = {d["category"] for d in DISCREPANCIES if f"{CHAPTER}-{slug}" in d["stat_ids"].split()}
    assert len(found) == 1, slug
    return LABELS[found.pop()]


def leave_share(row: dict) -> float:
    return int(row["leave"]) / int(row["valid_votes"]) * 100


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
        ("gm-oldham-pakistani", round(eth("Oldham", "pakistani"), 1)),
        ("gm-oldham-bangladeshi", round(eth("Oldham", "bangladeshi"), 1)),
        ("gm-oldham-employment", round(in_employment(oldham_work) / total_16_74 * 100, 1)),
        ("gm-oldham-full-time", round(parts[1], 1)),
        ("gm-england-employment", round(in_employment(england_work) / int(england_work["residents_16_to_74"]) * 100, 1)),
        ("gm-england-full-time", round(int(england_work["employee_full_time"]) / int(england_work["residents_16_to_74"]) * 100, 1)),
        ("cp-peterborough-pakistani", round(eth("Peterborough", "pakistani"), 1)),
        ("wm-birmingham-pakistani", round(eth("Birmingham", "pakistani"))),
        ("gm-manchester-minority-2011", round(not_white("Manchester"), -4)),
        ("woe-south-gloucestershire-minority", round(100 * not_white("South Gloucestershire")
                                                     / int(ETHNICITY["South Gloucestershire"]["all_usual_residents"]))),
        ("woe-bath-minority", round(not_wb("Bath and North East Somerset"))),
        ("woe-bristol-minority", round(100 * not_white("Bristol, City of")
                                       / int(ETHNICITY["Bristol, City of"]["all_usual_residents"]))),
    ]
    # Referendum: Leave shares of each authority's member councils (the county is not a counting area).
    council_shares = {a["key"]: {m["local_authority"]: leave_share(REFERENDUM[m["area_code"]]) for m in MEMBERS
                                 if m["authority_id"] == a["authority_id"] and m["council_kind"] != "county"}
                      for a in AUTHORITIES}
    gaps = {}
    for key, shares in council_shares.items():
        high, low = max(shares, key=shares.get), min(shares, key=shares.get)
        gaps[key] = {"gap": shares[high] - shares[low], "high": shares[high], "low": shares[low],
                     "rounded": round(round_half_up_1(shares[high]) - round_half_up_1(shares[low]), 1)}
    fits_both = sum(round_half_up_1(g["gap"]) == value(f"{k}-brexit-polarisation") == g["rounded"]
                    for k, g in gaps.items())
    # Wigan's place among the North West's authorities by the 2011 share outside the White groups.
    north_west = sorted((r for r in ETHNICITY.values() if r["region"] == "North West"),
                        key=lambda r: 1 - int(r["white"]) / int(r["all_usual_residents"]))
    wigan_rank = [r["geography_name"] for r in north_west].index("Wigan") + 1
    by_area = {r["area"]: r for r in REFERENDUM.values()}
    core = ["Birmingham", "Bristol, City of", "Leeds", "Manchester", "Newcastle upon Tyne", "Nottingham", "Sheffield"]
    liverpool = leave_share(by_area["Liverpool"])
    below = sorted((c for c in core if leave_share(by_area[c]) < liverpool), key=lambda c: leave_share(by_area[c]))
    tees = [REFERENDUM[m["area_code"]] for m in MEMBERS if m["authority_id"] == "tees-valley"]
    birmingham = eth("Birmingham", "pakistani")
    categories = {d["category"] for d in DISCREPANCIES}
    expected = {
        "katwala2017-publication-year": next(r["year"] for r in rows("reports") if r["report"] == CHAPTER),
        "katwala2017-election-year": period("new-combined-authorities"),
        "katwala2017-population-year": period("gm-population-2015"),
        "katwala2017-census-2011": period("gm-oldham-pakistani"),
        "katwala2017-census-2021": "2021",  # the year of table TS029 (data/census2021_english_proficiency.csv)
        "katwala2017-referendum-year": period("cp-brexit-polarisation"),
        "katwala2017-strategy-papers-period": period("strategy-papers-years").replace(" to ", " and "),
        "katwala2017-creating-conditions-date": period("creating-conditions-year"),
        "katwala2017-neglect-period": period("neglect-years").replace(" to ", " and "),
        "katwala2017-casey-review-date": period("casey-review-year"),
        "katwala2017-london-deputy-mayor-date": period("london-deputy-mayor-year"),
        "katwala2017-six-populations-sum-million": sum(value(f"{k}-population-2015") for k in keys) / 1e6,
        "katwala2017-discrepancy-count": len(DISCREPANCIES),
        **{f"katwala2017-discrepancies-{c}": sum(d["category"] == c for d in DISCREPANCIES) for c in LABELS},
        "katwala2017-unemployment-survey-period": period("cp-unemployment"),
        "katwala2017-unemployment-dated-profiles": sum(period(f"{k}-unemployment") != "not stated" for k in keys),
        "katwala2017-most-overseas-born": most,
        "katwala2017-most-overseas-born-share": born[most],
        "katwala2017-least-overseas-born": least,
        "katwala2017-least-overseas-born-share": born[least],
        "katwala2017-authority-wide-born-overseas": len(born),
        "katwala2017-authorities-above-gb-unemployment": sum(value(f"{k}-unemployment") > value("gm-unemployment-gb")
                                                             for k in keys),
        "katwala2017-most-polarised": max(polar, key=polar.get),
        "katwala2017-polarisation-fit-both": fits_both,
        **{f"katwala2017-{k}-{name}": gaps[k][field] for k in ("lcr", "wm")
           for name, field in [("gap-unrounded", "gap"), ("gap-rounded-shares", "rounded"),
                               ("highest-share", "high"), ("lowest-share", "low")]},
        "katwala2017-cp-wisbech-hmo-share": value("cp-wisbech-hmos") / value("cp-wisbech-dwellings") * 100,
        "katwala2017-cp-born-overseas-highest": max(cp.values()),
        "katwala2017-cp-born-overseas-highest-place": cp_place[max(cp, key=cp.get)],
        "katwala2017-cp-born-overseas-lowest": min(cp.values()),
        "katwala2017-cp-born-overseas-lowest-place": cp_place[min(cp, key=cp.get)],
        "katwala2017-fenland-growth-period": period("cp-fenland-overseas-born-growth").replace(" to ", " and "),
        "katwala2017-peterborough-pakistani-2011": eth("Peterborough", "pakistani"),
        "katwala2017-gm-councils-listed": sum(m["named_in_key_facts"] == "true" for m in MEMBERS
                                              if m["authority_id"] == "greater-manchester"),
        "katwala2017-manchester-not-white-2011": not_white("Manchester"),
        "katwala2017-manchester-bury-ratio-2011": int(ETHNICITY["Manchester"]["all_usual_residents"])
        / int(ETHNICITY["Bury"]["all_usual_residents"]),
        "katwala2017-north-west-authorities": len(north_west),
        "katwala2017-minority-first-year": period("gm-manchester-minority-2001"),
        "katwala2017-wigan-births-period": period("gm-wigan-births-asian").replace(" to ", " and "),
        "katwala2017-wigan-north-west-place": "the lowest" if wigan_rank == 1 else f"only the {wigan_rank}"
        + ("th" if 10 <= wigan_rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(wigan_rank % 10, "th")) + " lowest",
        "katwala2017-manchester-not-well-2021": share(manchester, "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-england-not-well-2021": share(england, "cannot_speak_well", "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-gm-borough-count": len(gm),
        "katwala2017-top-borough-cannot-speak-2021": ranking[0],
        "katwala2017-top-borough-cannot-speak-2021-share": cannot[ranking[0]],
        "katwala2017-second-borough-cannot-speak-2021": ranking[1],
        "katwala2017-second-borough-cannot-speak-2021-share": cannot[ranking[1]],
        "katwala2017-wigan-cannot-speak-2021": cannot["Wigan"],
        "katwala2017-england-cannot-speak-2021": share(england, "cannot_speak", of="residents_aged_3_plus"),
        "katwala2017-lcr-unemployment-period": period("lcr-liverpool-unemployment-1980s"),
        "katwala2017-census-before-rise": str(int(period("gm-oldham-pakistani")) - 10),
        "katwala2017-lcr-decline-decades-by-dates": (int(period("gm-oldham-pakistani")) - 10
                                                     - value("lcr-population-peak-year")) / 10,
        "katwala2017-liverpool-leave-share": liverpool,
        "katwala2017-core-cities-compared": len(core),
        "katwala2017-core-cities-above-liverpool": len(core) - len(below),
        "katwala2017-core-cities-below-liverpool": " and ".join(c.replace(", City of", "") for c in below),
        "katwala2017-tv-middlesbrough-asylum-one-in": 100 / value("tv-middlesbrough-asylum-per-head"),
        "katwala2017-tv-leave-share": sum(int(r["leave"]) for r in tees) / sum(int(r["valid_votes"]) for r in tees) * 100,
        "katwala2017-birmingham-pakistani-2011": birmingham,
        "katwala2017-woe-gcse-gap": value("woe-white-british-gcse") - value("woe-black-caribbean-gcse"),
        "katwala2017-gcse-period": period("woe-black-caribbean-gcse").replace(" to ", " and "),
        "katwala2017-bristol-projection-year": period("woe-bristol-population-2040"),
        "katwala2017-census-checks": len(checks),
        "katwala2017-census-checks-holding": sum(value(slug) == recomputed for slug, recomputed in checks),
        "katwala2017-census-checks-dated": sum(period(slug) == period("gm-oldham-pakistani") for slug, _ in checks),
        "katwala2017-census-checks-undated": sum(period(slug) != period("gm-oldham-pakistani") for slug, _ in checks),
        "katwala2017-oldham-employment-2011": in_employment(oldham_work) / total_16_74 * 100,
        "katwala2017-oldham-in-employment": in_employment(oldham_work),
        "katwala2017-oldham-16-74": total_16_74,
        "katwala2017-oldham-part-time-pct": parts[0],
        "katwala2017-oldham-full-time-pct": parts[1],
        "katwala2017-oldham-self-employed-pct": parts[2],
        "katwala2017-oldham-sum-of-rounded-parts": round(sum(round_half_up_1(p) for p in parts), 1),
        "katwala2017-economic-activity-min-age": 16,  # QS601EW: usual residents aged 16 to 74
        "katwala2017-economic-activity-max-age": 74,
        "katwala2017-birmingham-pakistani-2011-1dp": round_half_up_1(birmingham),
        "katwala2017-birmingham-pakistani-2011-0dp": int(birmingham + 0.5),
        "katwala2017-proficiency-min-age": 3,  # TS029's denominator: usual residents aged 3 and over
        "katwala2017-register-rows": len(REGISTER),
    }
    # The category shown beside each flagged figure in the prose.
    for slug in ["lcr-brexit-polarisation", "wm-brexit-polarisation", "cp-peterborough-pakistani",
                 "gm-local-authorities-stated", "gm-health-budget-key-facts", "gm-manchester-to-bury-population",
                 "gm-oldham-employment", "gm-wigan-diversity-rank", "gm-manchester-cannot-speak-well",
                 "gm-national-cannot-speak-well", "woe-students", "wm-birmingham-pakistani", "woe-bath-minority"]:
        expected[f"{CHAPTER}-{slug}-category"] = category(slug)
    assert categories <= set(LABELS)
    return expected


class TestChapterNumbers(ReportChapterChecks):
    chapter, register, expected = CHAPTER, REGISTER, staticmethod(expected_derived)


def test_every_discrepancy_is_rendered_with_computed_evidence(built_book):
    with (built_book / "_build" / "generated" / f"{CHAPTER}-discrepancies.csv").open(encoding="utf-8") as handle:
        shown = {row["discrepancy_id"]: row for row in csv.DictReader(handle)}
    assert sorted(shown) == sorted(d["discrepancy_id"] for d in DISCREPANCIES)
    assert [i for i, row in shown.items() if not any(ch.isdigit() for ch in row["computed"])] == []
    assert {i: row["category"] for i, row in shown.items()} == {d["discrepancy_id"]: d["category"] for d in DISCREPANCIES}


def test_every_polarisation_figure_is_checked_in_a_table(built_book):
    with (built_book / "_build" / "generated" / f"{CHAPTER}-polarisation.csv").open(encoding="utf-8") as handle:
        checked = {row["stat_id"] for row in csv.DictReader(handle)}
    assert checked == {f"{CHAPTER}-{a['key']}-brexit-polarisation" for a in AUTHORITIES}


def test_the_2021_census_never_checks_a_2011_figure():
    """A 2021 figure may appear only as the position now: no discrepancy rests on it."""
    text = (REPORT_PAGE).read_text(encoding="utf-8")
    assert "census does not support the report's figure" not in text
    assert all(d["category"] == "cannot-verify" for d in DISCREPANCIES if d["check"] == "manchester-proficiency")


def test_the_chapter_states_the_conclusion_and_not_that_hope_rests_on_the_mayors():
    text = REPORT_PAGE.read_text(encoding="utf-8")
    assert "*5. Conclusion: Beyond city regions – the General Election challenge*" in text
    for heading in ["A shared language", "Promoting contact", "Equality of opportunity", "Shared history"]:
        assert f"\n### {heading}\n" in text, heading
    assert "puts its hope" not in text and "ranks 1 of" not in text
