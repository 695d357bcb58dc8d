"""British Future (2017): shares recomputed from census counts, and the evidence behind the discrepancy register.

Every share here is a percentage of a stated denominator: all usual residents (KS201EW), usual residents
aged 16 to 74 (QS601EW) or usual residents aged 3 and over (TS029). The functions take the frames that
``helpers.data.load`` returns and never read files themselves.
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


def discrepancy_evidence(register: pd.DataFrame, *, ethnicity: pd.DataFrame, economic: pd.DataFrame,
                         proficiency: pd.DataFrame, authorities: pd.DataFrame,
                         members: pd.DataFrame) -> dict[str, dict[str, float | str]]:
    """Compute the numbers behind each check named in ``data/discrepancies.csv``.

    Returns a mapping from check name to a small dictionary of named values (what the report says and what
    the data give). Shares are percentages; the denominators are those of :func:`ethnicity_shares`,
    :func:`employment_rates` and :func:`proficiency_shares`.
    """
    shares = ethnicity_shares(ethnicity)
    work = employment_rates(economic)
    language = proficiency_shares(proficiency)
    named = councils_named(authorities, members, register).set_index("combined_authority")
    gm = named.loc["Greater Manchester"]
    manchester, england = row_for(language, "Manchester"), row_for(language, "England")
    oldham_work = row_for(work, "Oldham")
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
            "census_2021": float(manchester["not_well_or_cannot_pct"]),
            "quoted_national": value_of(register, "katwala2017-gm-national-cannot-speak-well"),
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
        },
        "manchester-bury": {
            "quoted": value_of(register, "katwala2017-gm-manchester-to-bury-population"),
            "census_2011": float(row_for(ethnicity, "Manchester")["all_usual_residents"])
            / float(row_for(ethnicity, "Bury")["all_usual_residents"]),
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
        },
    }


def describe_evidence(check: str, numbers: dict[str, float | str]) -> str:
    """Write the numbers of one check as a short phrase for the discrepancy table."""
    n = numbers
    if check == "health-budget":
        return f"£{n['key_facts_gbp'] / 1e6:,.0f} million against £{n['text_gbp'] / 1e9:,.0f} billion: a factor of {n['ratio']:,.0f}"
    if check == "councils-named":
        return f"{n['stated']:.0f} stated, {n['named']:.0f} named; missing: {n['missing']}"
    if check == "manchester-proficiency":
        return (f"Quoted {n['quoted']:.0f}%; census 2021 {n['census_2021']:.1f}% (England {n['england_2021']:.1f}%, "
                f"quoted national {n['quoted_national']:.0f}%)")
    if check == "ward-below-city":
        return f"Cheetham {n['cheetham']:.0f}%, Longsight {n['longsight']:.0f}%, city average {n['city']:.0f}%"
    if check == "students":
        return (f"Text {n['text']:,.0f}; note {n['note']:,.0f} (difference {n['difference']:,.0f}; "
                f"the note rounds to {n['note_to_nearest_thousand']:,.0f})")
    if check == "manchester-bury":
        return f"Quoted {n['quoted']:.0f} times; census 2011 {n['census_2011']:.2f} times"
    if check in ("oldham-employment",):
        return (f"Quoted {n['quoted']:.1f}%; from counts {n['census_2011']:.2f}%; "
                f"sum of rounded parts {n['sum_of_rounded_parts']:.1f}%")
    if check in ("peterborough-pakistani", "birmingham-pakistani"):
        return f"Quoted {n['quoted']:.1f}%; census 2011 {n['census_2011']:.2f}%"
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
