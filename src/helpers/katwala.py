"""British Future (2017): shares recomputed from official counts, and the evidence behind the discrepancy register.

Every share here is a percentage of a stated denominator: all usual residents (KS201EW), usual residents
aged 16 to 74 (QS601EW), usual residents aged 3 and over (TS029) or valid votes (the 2016 referendum). The
functions take the frames that ``helpers.data.load`` returns and never read files themselves.
"""

from __future__ import annotations

import pandas as pd

from helpers.register import value_of

#: Census columns that count people in employment (QS601EW): employees and the self-employed.
EMPLOYEE_COLUMNS = ("employee_part_time", "employee_full_time")
SELF_EMPLOYED_COLUMNS = (
    "self_employed_with_employees_part_time", "self_employed_with_employees_full_time",
    "self_employed_without_employees_part_time", "self_employed_without_employees_full_time",
)


def percent(part: float, whole: float) -> float:
    """Return ``part`` as a percentage of ``whole``.

    Raises
    ------
    ZeroDivisionError
        If ``whole`` is zero.
    """
    if whole == 0:
        raise ZeroDivisionError("a share of zero people is undefined")
    return float(part) / float(whole) * 100.0


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as published tables do (halves away from zero), not to the nearest even digit.

    ``decimals`` may be negative (``-4`` rounds to the nearest ten thousand).
    """
    factor = 10.0 ** decimals
    scaled = abs(value) * factor
    rounded = float(int(scaled + 0.5 + 1e-9)) / factor
    return rounded if value >= 0 else -rounded


def ethnicity_shares(ethnicity: pd.DataFrame) -> pd.DataFrame:
    """Add percentage columns to the KS201EW counts; the denominator is all usual residents.

    Adds ``pakistani_pct``, ``bangladeshi_pct``, ``not_white_pct`` (every group outside the White
    categories) and ``not_white_british_pct`` (everyone but White British), and the count ``not_white``.
    """
    out = ethnicity.copy()
    total = out["all_usual_residents"].astype(float)
    out["not_white"] = out["all_usual_residents"] - out["white"]
    for column, counts in [("pakistani_pct", out["pakistani"]), ("bangladeshi_pct", out["bangladeshi"]),
                           ("not_white_pct", out["not_white"]),
                           ("not_white_british_pct", out["all_usual_residents"] - out["white_british"])]:
        out[column] = counts.astype(float) / total * 100.0
    return out


def employment_rates(economic: pd.DataFrame) -> pd.DataFrame:
    """Add employment shares to the QS601EW counts; the denominator is usual residents aged 16 to 74.

    Adds ``in_employment`` (employees plus the self-employed), ``employment_pct``, the three parts
    ``employee_part_time_pct``, ``employee_full_time_pct`` and ``self_employed_pct``, and
    ``sum_of_rounded_parts_pct``: the three parts each rounded to one decimal place and then added, which
    is how a rate can be quoted a tenth of a point away from the rate of the total.
    """
    out = economic.copy()
    total = out["residents_16_to_74"].astype(float)
    self_employed = out[list(SELF_EMPLOYED_COLUMNS)].sum(axis=1)
    out["in_employment"] = out[list(EMPLOYEE_COLUMNS)].sum(axis=1) + self_employed
    out["employment_pct"] = out["in_employment"].astype(float) / total * 100.0
    out["employee_part_time_pct"] = out["employee_part_time"].astype(float) / total * 100.0
    out["employee_full_time_pct"] = out["employee_full_time"].astype(float) / total * 100.0
    out["self_employed_pct"] = self_employed.astype(float) / total * 100.0
    out["sum_of_rounded_parts_pct"] = [
        round(sum(round_half_up(v, 1) for v in parts), 1)
        for parts in zip(out["employee_part_time_pct"], out["employee_full_time_pct"], out["self_employed_pct"])
    ]
    return out


def proficiency_shares(proficiency: pd.DataFrame) -> pd.DataFrame:
    """Add shares to the TS029 counts; the denominator is usual residents aged 3 and over.

    ``cannot_speak_pct``: cannot speak English at all. ``not_well_or_cannot_pct``: cannot speak English
    well or at all, the definition behind the report's "cannot speak English well" figures.
    """
    out = proficiency.copy()
    total = out["residents_aged_3_plus"].astype(float)
    out["cannot_speak_pct"] = out["cannot_speak"].astype(float) / total * 100.0
    out["not_well_or_cannot_pct"] = (out["cannot_speak_well"] + out["cannot_speak"]).astype(float) / total * 100.0
    return out


def row_for(frame: pd.DataFrame, name: str, column: str = "geography_name") -> pd.Series:
    """Return the one row of ``frame`` whose ``column`` equals ``name``."""
    rows = frame[frame[column] == name]
    if len(rows) != 1:
        raise KeyError(f"expected one row with {column} = {name!r}, found {len(rows)}")
    return rows.iloc[0]


def councils_named(authorities: pd.DataFrame, members: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """For each combined authority, set the number of councils the key facts state against the number named.

    Only councils of the kind the stated number counts are compared (for Cambridgeshire & Peterborough the
    report counts the shire districts). Returns ``combined_authority, stated, named, missing`` where
    ``missing`` lists the councils of that kind the key facts leave out.
    """
    rows = []
    for authority in authorities.itertuples(index=False):
        councils = members[members["authority_id"] == authority.authority_id]
        if authority.counted_kind != "all":
            councils = councils[councils["council_kind"] == authority.counted_kind]
        named = councils[councils["named_in_key_facts"].astype(bool)]
        rows.append({
            "combined_authority": authority.combined_authority,
            "stated": value_of(register, authority.members_stat_id),
            "named": len(named),
            "missing": ", ".join(councils.loc[~councils["named_in_key_facts"].astype(bool), "local_authority"]),
        })
    return pd.DataFrame(rows)


#: How each category of ``data/discrepancies.csv`` reads in the chapter, beside a flagged figure.
CATEGORY_LABELS = {
    "error": "error in the report",
    "rounding": "rounding",
    "definition-or-vintage": "definition or vintage",
    "cannot-verify": "cannot be verified",
}


def category_label(category: str) -> str:
    """The words shown for a discrepancy category (``cannot-verify`` → ``cannot be verified``).

    Raises
    ------
    KeyError
        If ``category`` is not one the discrepancy register's schema allows.
    """
    if category not in CATEGORY_LABELS:
        raise KeyError(f"unknown discrepancy category {category!r}: expected one of {sorted(CATEGORY_LABELS)}")
    return CATEGORY_LABELS[category]


def categories_by_statistic(discrepancies: pd.DataFrame) -> dict[str, str]:
    """Map each stat_id named in the discrepancy register to the category of its row(s).

    A statistic named by two rows of different categories gets both, joined with " and " in register order.
    """
    found: dict[str, list[str]] = {}
    for row in discrepancies.itertuples(index=False):
        for stat_id in row.stat_ids.split():
            found.setdefault(stat_id, [])
            if row.category not in found[stat_id]:
                found[stat_id].append(row.category)
    return {stat_id: " and ".join(categories) for stat_id, categories in found.items()}


def flagged(text: str, stat_id: str, categories: dict[str, str]) -> str:
    """Write a value with its discrepancy category beside it, when the statistic is flagged.

    ``flagged("16.7", "katwala2017-lcr-brexit-polarisation", cats)`` → ``"16.7 (error in the report)"``;
    a statistic no discrepancy names is returned unchanged.
    """
    if stat_id not in categories:
        return text
    return f"{text} ({' and '.join(category_label(c) for c in categories[stat_id].split(' and '))})"


def leave_shares(referendum: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Each member council that was a counting area, with its 2016 referendum result.

    Joins ``katwala2017_members`` to ``eu_referendum_2016`` on the ONS code (the county council of
    Cambridgeshire & Peterborough was not a counting area and is left out). Adds ``leave_share``, Leave as a
    percentage of valid votes computed from the counts (unrounded), and ``leave_share_1dp``, that share
    rounded half up to one decimal, as a published table would show it.

    Raises
    ------
    KeyError
        If a member council that should be a counting area has no result.
    """
    councils = members[members["council_kind"] != "county"]
    joined = councils.merge(referendum, on="area_code", how="left", validate="many_to_one")
    missing = joined.loc[joined["valid_votes"].isna(), "local_authority"].tolist()
    if missing:
        raise KeyError(f"no referendum result for member council(s): {', '.join(missing)}")
    joined["leave_share"] = joined["leave"].astype(float) / joined["valid_votes"].astype(float) * 100.0
    joined["leave_share_1dp"] = [round_half_up(v, 1) for v in joined["leave_share"]]
    return joined.reset_index(drop=True)


def fit_verdict(quoted: float, gap: float, gap_from_rounded_shares: float) -> str:
    """Say whether a quoted one-decimal gap fits the official results, computed both ways.

    Returns one of ``"fits both ways"``, ``"fits only from shares rounded to one decimal"``,
    ``"fits only from unrounded shares"`` or ``"does not fit"``.
    """
    unrounded = round_half_up(gap, 1) == round_half_up(quoted, 1)
    rounded_first = round_half_up(gap_from_rounded_shares, 1) == round_half_up(quoted, 1)
    if unrounded and rounded_first:
        return "fits both ways"
    if rounded_first:
        return "fits only from shares rounded to one decimal"
    if unrounded:
        return "fits only from unrounded shares"
    return "does not fit"


def polarisation(referendum: pd.DataFrame, members: pd.DataFrame, authorities: pd.DataFrame,
                 register: pd.DataFrame) -> pd.DataFrame:
    """Check each profile's "Brexit polarisation" figure against the official referendum results.

    The report defines the figure as the gap, in percentage points, between the largest and smallest Leave
    vote among the authority's councils. For each authority this returns the councils with the highest and
    lowest Leave share, the gap from unrounded shares (``gap``), the gap from shares first rounded to one
    decimal (``gap_from_rounded_shares``), the report's figure (``quoted``, from the register row
    ``katwala2017-<key>-brexit-polarisation``), whether the councils it names are the extremes
    (``names_match``) and the verdict of :func:`fit_verdict`.
    """
    shares = leave_shares(referendum, members)
    rows = []
    for authority in authorities.itertuples(index=False):
        mine = shares[shares["authority_id"] == authority.authority_id].sort_values("leave_share", ascending=False)
        high, low = mine.iloc[0], mine.iloc[-1]
        stat_id = f"katwala2017-{authority.key}-brexit-polarisation"
        quoted = value_of(register, stat_id)
        gap = float(high["leave_share"] - low["leave_share"])
        gap_rounded = round(float(high["leave_share_1dp"] - low["leave_share_1dp"]), 1)
        rows.append({
            "authority_id": authority.authority_id, "combined_authority": authority.combined_authority,
            "stat_id": stat_id, "councils": len(mine),
            "highest": high["local_authority"], "highest_share": float(high["leave_share"]),
            "lowest": low["local_authority"], "lowest_share": float(low["leave_share"]),
            "gap": gap, "gap_from_rounded_shares": gap_rounded, "quoted": quoted,
            "names_match": (high["local_authority"], low["local_authority"])
            == (authority.leave_highest_district, authority.leave_lowest_district),
            "verdict": fit_verdict(quoted, gap, gap_rounded),
        })
    return pd.DataFrame(rows)


def diversity_ranks(ethnicity: pd.DataFrame, region: str = "North West") -> pd.DataFrame:
    """Rank a region's local authorities from least to most ethnically diverse on the 2011 census.

    Diversity here is the share of usual residents outside the White groups (``not_white_pct``), the
    definition the report's "minority ethnic" figures for Bristol and South Gloucestershire match. Returns
    the region's rows sorted by that share, lowest first, with ``rank`` (1 = least diverse).
    """
    shares = ethnicity_shares(ethnicity)
    mine = shares[shares["region"] == region].sort_values("not_white_pct").reset_index(drop=True)
    return mine.assign(rank=range(1, len(mine) + 1))


def discrepancy_evidence(register: pd.DataFrame, *, ethnicity: pd.DataFrame, economic: pd.DataFrame,
                         proficiency: pd.DataFrame, referendum: pd.DataFrame, authorities: pd.DataFrame,
                         members: pd.DataFrame) -> dict[str, dict[str, float | str]]:
    """Compute the numbers behind each check named in ``data/discrepancies.csv``.

    Returns a mapping from check name to a small dictionary of named values (what the report says and what
    the data give). Shares are percentages; the denominators are those of :func:`ethnicity_shares`,
    :func:`employment_rates`, :func:`proficiency_shares` and :func:`leave_shares`. Figures from the 2021
    census appear only under names ending ``_2021``: they describe a later year and are shown as the
    position now, never as a check of a 2011 figure.
    """
    shares = ethnicity_shares(ethnicity)
    work = employment_rates(economic)
    language = proficiency_shares(proficiency)
    named = councils_named(authorities, members, register).set_index("combined_authority")
    gm = named.loc["Greater Manchester"]
    manchester, england = row_for(language, "Manchester"), row_for(language, "England")
    oldham_work = row_for(work, "Oldham")
    gaps = polarisation(referendum, members, authorities, register).set_index("authority_id")
    nw_ranks = diversity_ranks(ethnicity).set_index("geography_name")
    gm_names = members.loc[members["authority_id"] == "greater-manchester", "local_authority"]
    gm_ranks = nw_ranks.loc[nw_ranks.index.isin(gm_names)].sort_values("not_white_pct")
    gm_ranks = gm_ranks.assign(rank=range(1, len(gm_ranks) + 1))
    woe = {place: row_for(shares, census_name) for place, census_name in
           [("South Gloucestershire", "South Gloucestershire"), ("Bath and North East Somerset",
            "Bath and North East Somerset"), ("Bristol", "Bristol, City of")]}
    return {
        "health-budget": {
            "key_facts_gbp": value_of(register, "katwala2017-gm-health-budget-key-facts") * 1e6,
            "text_gbp": value_of(register, "katwala2017-gm-health-budget") * 1e9,
            "ratio": value_of(register, "katwala2017-gm-health-budget") * 1e9
            / (value_of(register, "katwala2017-gm-health-budget-key-facts") * 1e6),
        },
        "councils-named": {"stated": float(gm["stated"]), "named": float(gm["named"]), "missing": gm["missing"]},
        "manchester-proficiency": {
            "quoted": value_of(register, "katwala2017-gm-manchester-cannot-speak-well"),
            "quoted_national": value_of(register, "katwala2017-gm-national-cannot-speak-well"),
            "manchester_2021": float(manchester["not_well_or_cannot_pct"]),
            "england_2021": float(england["not_well_or_cannot_pct"]),
        },
        "ward-below-city": {
            "cheetham": value_of(register, "katwala2017-gm-cheetham-cannot-speak-well"),
            "longsight": value_of(register, "katwala2017-gm-longsight-cannot-speak-well"),
            "city": value_of(register, "katwala2017-gm-manchester-cannot-speak-well"),
        },
        "students": {
            "text": value_of(register, "katwala2017-woe-students"),
            "note": value_of(register, "katwala2017-hesa-students"),
            "difference": value_of(register, "katwala2017-woe-students") - value_of(register, "katwala2017-hesa-students"),
            "note_to_nearest_thousand": round_half_up(value_of(register, "katwala2017-hesa-students"), -3),
            "note_to_nearest_five_thousand": 5 * round_half_up(value_of(register, "katwala2017-hesa-students") / 5, -3),
        },
        "manchester-bury": {
            "quoted": value_of(register, "katwala2017-gm-manchester-to-bury-population"),
            "census_2011": float(row_for(ethnicity, "Manchester")["all_usual_residents"])
            / float(row_for(ethnicity, "Bury")["all_usual_residents"]),
            "aged_3_plus_2021": float(manchester["residents_aged_3_plus"])
            / float(row_for(language, "Bury")["residents_aged_3_plus"]),
        },
        "oldham-employment": {
            "quoted": value_of(register, "katwala2017-gm-oldham-employment"),
            "census_2011": float(oldham_work["employment_pct"]),
            "sum_of_rounded_parts": float(oldham_work["sum_of_rounded_parts_pct"]),
        },
        "peterborough-pakistani": {
            "quoted": value_of(register, "katwala2017-cp-peterborough-pakistani"),
            "census_2011": float(row_for(shares, "Peterborough")["pakistani_pct"]),
        },
        "woe-minority": {
            **{f"{place} quoted": value_of(register, stat) for place, stat in [
                ("South Gloucestershire", "katwala2017-woe-south-gloucestershire-minority"),
                ("Bath and North East Somerset", "katwala2017-woe-bath-minority"),
                ("Bristol", "katwala2017-woe-bristol-minority")]},
            **{f"{place} not White": float(row["not_white_pct"]) for place, row in woe.items()},
            **{f"{place} not White British": float(row["not_white_british_pct"]) for place, row in woe.items()},
        },
        "birmingham-pakistani": {
            "quoted": value_of(register, "katwala2017-wm-birmingham-pakistani"),
            "census_2011": float(row_for(shares, "Birmingham")["pakistani_pct"]),
            "census_2011_1dp": round_half_up(float(row_for(shares, "Birmingham")["pakistani_pct"]), 1),
        },
        **{f"polarisation-{key}": polarisation_numbers(gaps.loc[authority_id])
           for key, authority_id in zip(authorities["key"], authorities["authority_id"])},
        "wigan-diversity": {
            "gm_rank": float(gm_ranks.loc["Wigan", "rank"]), "gm_count": float(len(gm_ranks)),
            "nw_rank": float(nw_ranks.loc["Wigan", "rank"]), "nw_count": float(len(nw_ranks)),
            "wigan_not_white": float(nw_ranks.loc["Wigan", "not_white_pct"]),
            "nw_least_diverse": nw_ranks.index[0],
            "nw_least_diverse_not_white": float(nw_ranks["not_white_pct"].iloc[0]),
        },
    }


def polarisation_numbers(row: pd.Series) -> dict[str, float | str]:
    """The numbers of one row of :func:`polarisation` that the discrepancy table shows."""
    return {"quoted": float(row["quoted"]), "gap": float(row["gap"]),
            "gap_from_rounded_shares": float(row["gap_from_rounded_shares"]),
            "highest": row["highest"], "highest_share": float(row["highest_share"]),
            "lowest": row["lowest"], "lowest_share": float(row["lowest_share"]), "verdict": row["verdict"]}


def ordinal(n: float) -> str:
    """``1`` → ``"1st"``, ``2`` → ``"2nd"``, ``13`` → ``"13th"``, ``22`` → ``"22nd"``."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def lowest_phrase(rank: float) -> str:
    """``1`` → ``"the lowest"``, ``15`` → ``"only the 15th lowest"``: a rank written as a person would."""
    return "the lowest" if int(rank) == 1 else f"only the {ordinal(rank)} lowest"


def describe_evidence(check: str, numbers: dict[str, float | str]) -> str:
    """Write the numbers of one check as a short phrase for the discrepancy table."""
    n = numbers
    if check == "health-budget":
        return f"£{n['key_facts_gbp'] / 1e6:,.0f} million against £{n['text_gbp'] / 1e9:,.0f} billion: a factor of {n['ratio']:,.0f}"
    if check == "councils-named":
        return f"{n['stated']:.0f} stated, {n['named']:.0f} named; missing: {n['missing']}"
    if check == "manchester-proficiency":
        return (f"Quoted {n['quoted']:.0f}% for Manchester and {n['quoted_national']:.0f}% nationally (2011 census); "
                f"the 2011 table is not held. Now, 2021 census (a later vintage, not a check): Manchester "
                f"{n['manchester_2021']:.1f}%, England {n['england_2021']:.1f}%")
    if check == "ward-below-city":
        return f"Cheetham {n['cheetham']:.0f}%, Longsight {n['longsight']:.0f}%, city average {n['city']:.0f}%"
    if check == "students":
        return (f"Text {n['text']:,.0f}; note {n['note']:,.0f}, which is {n['note_to_nearest_thousand']:,.0f} to the "
                f"nearest thousand and {n['note_to_nearest_five_thousand']:,.0f} to the nearest five thousand")
    if check == "manchester-bury":
        return (f"Quoted {n['quoted']:.0f} times; census 2011 {n['census_2011']:.2f} times "
                f"(2021, residents aged 3 and over: {n['aged_3_plus_2021']:.2f} times)")
    if check in ("oldham-employment",):
        return (f"Quoted {n['quoted']:.1f}%; from counts {n['census_2011']:.2f}%; "
                f"sum of rounded parts {n['sum_of_rounded_parts']:.1f}%")
    if check == "peterborough-pakistani":
        return f"Quoted about {n['quoted']:.1f}%; census 2011 {n['census_2011']:.2f}%"
    if check == "birmingham-pakistani":
        return (f"Quoted {n['quoted']:.0f}%; census 2011 {n['census_2011']:.2f}%, which rounds to "
                f"{round_half_up(n['census_2011'], 0):.0f}% directly but to {n['census_2011_1dp']:.1f}% and then "
                f"{round_half_up(n['census_2011_1dp'], 0):.0f}% in two steps")
    if check.startswith("polarisation-"):
        return (f"Quoted {n['quoted']:.1f} points; official results: {n['highest']} {n['highest_share']:.2f}% Leave, "
                f"{n['lowest']} {n['lowest_share']:.2f}%, a gap of {n['gap']:.2f} unrounded and "
                f"{n['gap_from_rounded_shares']:.1f} from shares rounded to one decimal ({n['verdict']})")
    if check == "wigan-diversity":
        return (f"2011 census, residents outside the White groups: Wigan {n['wigan_not_white']:.1f}%, "
                f"{lowest_phrase(n['gm_rank'])} of the {n['gm_count']:.0f} Greater Manchester boroughs but "
                f"{lowest_phrase(n['nw_rank'])} of the {n['nw_count']:.0f} North West local authorities "
                f"(the lowest: {n['nw_least_diverse']}, {n['nw_least_diverse_not_white']:.1f}%)")
    if check == "woe-minority":
        places = ["South Gloucestershire", "Bath and North East Somerset", "Bristol"]
        return "; ".join(f"{p}: quoted {n[p + ' quoted']:.0f}%, not White {n[p + ' not White']:.1f}%, "
                         f"not White British {n[p + ' not White British']:.1f}%" for p in places)
    raise KeyError(f"no description for check '{check}'")


#: Census year of ``data/census2021_english_proficiency.csv`` (table TS029).
PROFICIENCY_CENSUS_YEAR = "2021"
#: Youngest age counted in TS029: its denominator is usual residents aged 3 and over.
PROFICIENCY_MIN_AGE = 3
#: Ages covered by QS601EW (economic activity): usual residents aged 16 to 74.
ECONOMIC_ACTIVITY_AGES = (16, 74)
