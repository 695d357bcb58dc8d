"""The place vocabulary: which place a name stands for, how places nest, and what is known about each one.

``data/places.csv`` lists the places in one hierarchy (ward or smaller area → council → combined or strategic
authority → region → nation → the United Kingdom). ``data/place_aliases.csv`` maps the names the register's
``geography`` column uses to place ids, or marks a name as not a place with the reason. ``data/place_areas.csv``
links a council to its official-figure rows by ONS code; ``data/place_comparisons.csv`` says which official
measure a quoted statistic can be set beside. Notebooks and the page generator (:mod:`bookbuild.placepages`)
both ask this module, so a name resolves, and a place's figures add up, the same way everywhere.

What the reports say about a place comes from several files that other parts of the book own. Each is read
by one small function here (:func:`asks`, :func:`engagement_evidence`, :func:`case_studies`,
:func:`hartman_initiatives`, :func:`morris_initiatives`, :func:`discrepancy_flags`), which returns one row
per item and place with a ``place_id``: when one of those files changes shape, only its function changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.data import load

#: Where the generated place pages go, relative to the project root; listed in .gitignore.
PAGES_DIR = Path("book") / "across" / "places"

#: Levels of the hierarchy, largest first. A place's parent is at a higher level (a shire district's is its county).
LEVELS = ("country", "nation", "region", "authority", "council", "ward")
#: Kinds that may lie within a place of the same level: a shire district within its county council. A former
#: combined authority may also lie within the authority that replaced it.
NESTED_KINDS = {"shire district": "county council"}
#: Places at these levels gather, on their page, what is said about the places within them and above them (up
#: to the authority). A region or a nation is too wide for that: its page lists what is said about it alone.
DIGEST_LEVELS = ("authority", "council", "ward")
#: A place at these levels with no official areas of its own is summed over the places within it. Regions and
#: nations are never summed: the extracts hold only some of their councils.
SUMMED_LEVELS = ("authority", "council")

#: How a relation between a page's place and another place is written on the page.
THIS, WITHIN, ABOVE = "this place", "within it", "above it"

#: The census year and referendum date of the official extracts, for labels.
CENSUS_2021, CENSUS_2011, REFERENDUM = "2021", "2011", "2016"

#: Official measures a quoted statistic can be set beside (the ``measure`` column of data/place_comparisons.csv).
MEASURES = {
    "census2021-cannot-speak": ("cannot speak English (residents aged 3 and over)", CENSUS_2021, "ons_ts029"),
    "census2021-not-well-or-not-at-all": ("cannot speak English well or at all (residents aged 3 and over)",
                                          CENSUS_2021, "ons_ts029"),
    "census2011-pakistani": ("Pakistani ethnic group (all usual residents)", CENSUS_2011, "ons_ks201ew"),
    "census2011-bangladeshi": ("Bangladeshi ethnic group (all usual residents)", CENSUS_2011, "ons_ks201ew"),
    "census2011-not-white": ("not in a White ethnic group (all usual residents)", CENSUS_2011, "ons_ks201ew"),
    "census2011-not-white-british": ("not White British (all usual residents)", CENSUS_2011, "ons_ks201ew"),
    "census2011-employment-rate": ("in work (residents aged 16 to 74)", CENSUS_2011, "ons_qs601ew"),
    "census2011-full-time-employee-rate": ("full-time employees (residents aged 16 to 74)", CENSUS_2011, "ons_qs601ew"),
    "referendum2016-leave-gap": ("highest minus lowest Leave share of the authority's counting areas", REFERENDUM,
                                 "electoral_commission2016"),
}
#: The five proficiency categories of Census 2021 table TS029, as columns of the extract, with plain labels.
PROFICIENCY = {
    "main_language_english": "Main language is English",
    "speaks_very_well": "Main language is not English: speaks English very well",
    "speaks_well": "Main language is not English: speaks English well",
    "cannot_speak_well": "Main language is not English: cannot speak English well",
    "cannot_speak": "Main language is not English: cannot speak English",
}
#: Labels of the discrepancy categories (data/discrepancies.csv, column ``category``) and, while that column
#: does not exist yet, of the older ``kind`` column.
CATEGORY_LABELS = {
    "error": "error in the report",
    "rounding": "rounding",
    "definition-or-vintage": "definition or date differs",
    "cannot-verify": "cannot be verified",
}
KIND_LABELS = {"internal": "the report disagrees with itself", "source": "differs from its source"}


class VocabularyError(ValueError):
    """The place vocabulary, or a name the register uses, does not hold together."""


# --- Names ---------------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Return a place name in the form used for matching: lower case, single spaces, '&' as 'and'."""
    return " ".join(str(name).replace("&", " and ").lower().split())


def has_value(value) -> bool:
    """Whether a cell holds something (not missing, not empty)."""
    return not (value is None or (not isinstance(value, str) and pd.isna(value)) or str(value) == "")


def alias_lookup(aliases: pd.DataFrame) -> dict[str, list[str]]:
    """Map each normalised alias to the place_ids it names (a name may cover more than one place).

    Names marked as not a place are left out: they name no page.
    """
    lookup: dict[str, list[str]] = {}
    for row in aliases.itertuples(index=False):
        if not has_value(row.place_id):
            continue
        ids = lookup.setdefault(normalise_name(row.alias), [])
        if row.place_id not in ids:
            ids.append(row.place_id)
    return lookup


def not_a_place_lookup(aliases: pd.DataFrame) -> dict[str, str]:
    """Map each normalised name marked as not a place to the reason given."""
    if "not_a_place" not in aliases.columns:
        return {}
    return {normalise_name(row.alias): str(row.not_a_place) for row in aliases.itertuples(index=False)
            if has_value(row.not_a_place)}


def places_for_geography(geography: str, aliases: pd.DataFrame) -> list[str]:
    """Return the place_ids a register ``geography`` names, or an empty list if it names none."""
    return alias_lookup(aliases).get(normalise_name(geography), [])


def alias_problems(aliases: pd.DataFrame) -> list[str]:
    """Say which rows of data/place_aliases.csv give both a place and a reason, or neither, or contradict another."""
    problems = []
    reasons = "not_a_place" in aliases.columns
    for line, row in enumerate(aliases.itertuples(index=False), start=2):
        place, reason = has_value(row.place_id), reasons and has_value(row.not_a_place)
        if place == reason:
            problems.append(f"data/place_aliases.csv, line {line} ('{row.alias}'): give either a place_id or the "
                            "reason it is not a place (not_a_place), not " + ("both" if place else "neither"))
    both = set(alias_lookup(aliases)) & set(not_a_place_lookup(aliases))
    problems += [f"data/place_aliases.csv: '{name}' is both a place and not a place" for name in sorted(both)]
    return problems


def unresolved_geographies(register: pd.DataFrame, aliases: pd.DataFrame) -> list[str]:
    """Register geographies that data/place_aliases.csv neither maps to a place nor marks as not a place."""
    known = set(alias_lookup(aliases)) | set(not_a_place_lookup(aliases))
    return sorted({g for g in register["geography"] if normalise_name(g) not in known})


def unmatched_geographies(register: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Return each register geography that names no place, the reason recorded, and how many statistics use it.

    Sorted with the most used first. A geography with no reason recorded is one the build refuses.
    """
    lookup, reasons = alias_lookup(aliases), not_a_place_lookup(aliases)
    unmatched = register[register["geography"].map(lambda g: normalise_name(g) not in lookup)]
    counts = unmatched.groupby("geography").size().rename("statistics").reset_index()
    counts["reason"] = counts["geography"].map(lambda g: reasons.get(normalise_name(g), ""))
    counts = counts[["geography", "reason", "statistics"]]
    return counts.sort_values(["statistics", "geography"], ascending=[False, True]).reset_index(drop=True)


# --- The hierarchy -------------------------------------------------------------------------------------


class Hierarchy:
    """The parent links of data/places.csv as plain dictionaries, walked once: parents, children, ancestors and
    descendants of every place, its level, kind and name. Build it once and ask it many times."""

    def __init__(self, places: pd.DataFrame):
        self.ids: list[str] = list(places["place_id"])
        self.parent = {p: (q if has_value(q) else None) for p, q in zip(places["place_id"], places["parent_place_id"])}
        self.level = dict(zip(places["place_id"], places["level"])) if "level" in places.columns else {}
        self.kind = dict(zip(places["place_id"], places["kind"]))
        self.name = dict(zip(places["place_id"], places["name"]))
        self.children = {p: [] for p in self.ids}
        for place in self.ids:
            if self.parent[place] in self.children:
                self.children[self.parent[place]].append(place)
        self.ancestors = {p: self.walk_up(p) for p in self.ids}
        inside = {p: [p] for p in self.ids}
        for place in self.ids:
            for outer in self.ancestors[place]:
                if outer in inside:
                    inside[outer].append(place)
        self.descendants = inside

    def walk_up(self, place_id: str) -> list[str]:
        """The places a place lies within, nearest first.

        Raises
        ------
        ValueError
            If the parent links form a loop.
        """
        chain, current = [], self.parent.get(place_id)
        while current:
            if current in chain or current == place_id:
                raise ValueError(f"data/places.csv: the parent links around '{current}' form a loop")
            chain.append(current)
            current = self.parent.get(current)
        return chain


def as_hierarchy(places: "pd.DataFrame | Hierarchy") -> Hierarchy:
    """Accept the places table or a hierarchy already built from it."""
    return places if isinstance(places, Hierarchy) else Hierarchy(places)


def parents_of(places: pd.DataFrame) -> dict[str, str | None]:
    """Map each place_id to its parent's, or None."""
    return {p: (q if has_value(q) else None) for p, q in zip(places["place_id"], places["parent_place_id"])}


def descendants(places: "pd.DataFrame | Hierarchy", place_id: str) -> list[str]:
    """Return the place itself and every place inside it (children, their children...), in table order.

    Raises
    ------
    ValueError
        If the parent links form a loop.
    """
    return list(as_hierarchy(places).descendants[place_id])


def ancestors(places: "pd.DataFrame | Hierarchy", place_id: str) -> list[str]:
    """Return the places the place lies within, nearest first (its parent, then the parent's parent...).

    Raises
    ------
    ValueError
        If the parent links form a loop.
    """
    return list(as_hierarchy(places).ancestors[place_id])


def children(places: "pd.DataFrame | Hierarchy", place_id: str) -> list[str]:
    """Return the places directly inside a place, in table order."""
    return list(as_hierarchy(places).children.get(place_id, []))


def level_of(places: "pd.DataFrame | Hierarchy") -> dict[str, str]:
    """Map each place_id to its level."""
    return as_hierarchy(places).level


def hierarchy_problems(places: pd.DataFrame) -> list[str]:
    """Say where the hierarchy breaks: a parent at the same or a lower level (but for the nestings allowed by
    :data:`NESTED_KINDS` and a former combined authority within its successor), a second top, or a loop."""
    parents = parents_of(places)
    levels, kinds = dict(zip(places["place_id"], places["level"])), dict(zip(places["place_id"], places["kind"]))
    rank = {level: i for i, level in enumerate(LEVELS)}
    problems = []
    tops = [p for p, parent in parents.items() if parent is None]
    if len(tops) != 1:
        problems.append(f"data/places.csv: expected one place with no parent (the United Kingdom), found {tops}")
    for place, parent in parents.items():
        if parent is None or parent not in levels:
            continue
        nested = NESTED_KINDS.get(kinds[place]) == kinds[parent] or (
            kinds[place] == "former combined authority" and levels[parent] == "authority")
        if rank[levels[parent]] >= rank[levels[place]] and not nested:
            problems.append(f"data/places.csv: '{place}' ({levels[place]}) lies within '{parent}' ({levels[parent]}); "
                            "a parent must be at a higher level")
    try:
        Hierarchy(places)
    except ValueError as error:
        problems.append(str(error))
    return problems


def page_scope(places: "pd.DataFrame | Hierarchy", place_id: str) -> dict[str, str]:
    """The places whose items a place's page shows, each with how it relates to the page's place.

    An authority's, council's or ward's page shows what is said about it, about the places within it, and
    about the places it lies within up to its authority (marked as such); a region's, a nation's or the
    country's page shows what is said about it alone.
    """
    tree = as_hierarchy(places)
    scope = {place_id: THIS}
    if tree.level[place_id] not in DIGEST_LEVELS:
        return scope
    for inner in tree.descendants[place_id][1:]:
        scope[inner] = WITHIN
    for outer in tree.ancestors[place_id]:
        if tree.level[outer] not in DIGEST_LEVELS:
            break
        scope[outer] = ABOVE
    return scope


def covered(places: "pd.DataFrame | Hierarchy", place_id: str) -> list[str]:
    """The place and, for an authority, council or ward, the places within it: what its counts cover."""
    return [p for p, relation in page_scope(places, place_id).items() if relation != ABOVE]


def statistics_for_place(register: pd.DataFrame, aliases: "pd.DataFrame | dict[str, list[str]]",
                         places: "pd.DataFrame | Hierarchy", place_id: str) -> pd.DataFrame:
    """Return the register rows whose geography names the place or a place it covers, in register order.

    ``aliases`` may be the aliases table or a lookup already built from it (:func:`alias_lookup`).
    """
    inside = set(covered(places, place_id))
    lookup = aliases if isinstance(aliases, dict) else alias_lookup(aliases)
    keep = [bool(inside.intersection(lookup.get(normalise_name(g), []))) for g in register["geography"]]
    return register[keep].reset_index(drop=True)


def page_link(place_id: str) -> str:
    """Return a MyST link to a place's generated page."""
    return f"{{doc}}`/{(PAGES_DIR / place_id).as_posix()}`"


def check_vocabulary(places: pd.DataFrame, aliases: pd.DataFrame, register: pd.DataFrame) -> list[str]:
    """Every problem that must stop the build: a broken hierarchy, an ambiguous alias, an unresolved geography."""
    problems = hierarchy_problems(places) + alias_problems(aliases)
    problems += [f"data/statistics.csv: the geography '{g}' is neither a place in data/place_aliases.csv nor marked "
                 "there as not a place (add a row: alias and place_id, or alias and the reason in not_a_place)"
                 for g in unresolved_geographies(register, aliases)]
    return problems


# --- Official figures ----------------------------------------------------------------------------------


def area_codes(places: "pd.DataFrame | Hierarchy", place_areas: pd.DataFrame, place_id: str) -> list[str]:
    """The ONS codes of the official areas a place's figures are built from (empty if none).

    A place's own rows in data/place_areas.csv when it has any; otherwise, for an authority or a council, the
    areas of the places within it; a region, nation or country without rows of its own has none.
    """
    tree = as_hierarchy(places)
    links = list(zip(place_areas["place_id"], place_areas["area_code"]))
    own = [code for place, code in links if place == place_id]
    if own or tree.level[place_id] not in SUMMED_LEVELS:
        return own
    inner = set(tree.descendants[place_id][1:])
    return list(dict.fromkeys(code for place, code in links if place in inner))


def summed_over(places: "pd.DataFrame | Hierarchy", place_areas: pd.DataFrame, place_id: str) -> list[str]:
    """The places whose own areas make up a summed place's figures, in table order (empty if not summed)."""
    tree = as_hierarchy(places)
    if (place_areas["place_id"] == place_id).any():
        return []
    codes = set(area_codes(tree, place_areas, place_id))
    with_areas = {place for place, code in zip(place_areas["place_id"], place_areas["area_code"]) if code in codes}
    return [p for p in tree.ids if p in with_areas]


def rows_for(table: pd.DataFrame, code_column: str, codes: list[str]) -> pd.DataFrame | None:
    """The table's rows for exactly these codes, or None if any code is missing or none is given."""
    rows = table[table[code_column].isin(codes)]
    return rows if codes and len(rows) == len(set(codes)) else None


def proficiency(census: pd.DataFrame, codes: list[str]) -> dict | None:
    """Census 2021 proficiency in English summed over the areas: counts, and shares of residents aged 3 and over.

    Returns ``{"residents": n, "counts": {column: n}, "shares": {column: %}, "not_well_or_not_at_all": %}``,
    or None when the extract lacks any of the areas.
    """
    rows = rows_for(census, "geography_code", codes)
    if rows is None:
        return None
    residents = int(rows["residents_aged_3_plus"].sum())
    counts = {column: int(rows[column].sum()) for column in PROFICIENCY}
    shares = {column: 100 * n / residents for column, n in counts.items()}
    return {"residents": residents, "counts": counts, "shares": shares,
            "not_well_or_not_at_all": shares["cannot_speak_well"] + shares["cannot_speak"]}


def leave(referendum: pd.DataFrame, codes: list[str]) -> dict | None:
    """The 2016 referendum result summed over the counting areas: Leave, valid votes and the Leave share (%)."""
    rows = rows_for(referendum, "area_code", codes)
    if rows is None:
        return None
    leave_votes, valid = int(rows["leave"].sum()), int(rows["valid_votes"].sum())
    return {"leave": leave_votes, "valid_votes": valid, "share": 100 * leave_votes / valid}


def leave_shares(referendum: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Each counting area's Leave share (%), computed from the counts, highest first."""
    rows = referendum[referendum["area_code"].isin(codes)]
    shares = rows.assign(share=100 * rows["leave"].astype(float) / rows["valid_votes"].astype(float))
    return shares.sort_values(["share", "area"], ascending=[False, True]).reset_index(drop=True)


def census2011_measure(measure: str, ethnicity: pd.DataFrame, economic: pd.DataFrame, codes: list[str]) -> float | None:
    """A 2011 census share (%) summed over the areas, or None when the project does not hold every area."""
    if measure in ("census2011-employment-rate", "census2011-full-time-employee-rate"):
        rows = rows_for(economic, "geography_code", codes)
        if rows is None:
            return None
        if measure == "census2011-full-time-employee-rate":
            working = rows["employee_full_time"].sum()
        else:
            working = rows[["employee_part_time", "employee_full_time", "self_employed_with_employees_part_time",
                            "self_employed_with_employees_full_time", "self_employed_without_employees_part_time",
                            "self_employed_without_employees_full_time"]].sum().sum()
        return float(100 * working / rows["residents_16_to_74"].sum())
    rows = rows_for(ethnicity, "geography_code", codes)
    if rows is None:
        return None
    residents = rows["all_usual_residents"].sum()
    counted = {"census2011-pakistani": rows["pakistani"].sum(), "census2011-bangladeshi": rows["bangladeshi"].sum(),
               "census2011-not-white": residents - rows["white"].sum(),
               "census2011-not-white-british": residents - rows["white_british"].sum()}[measure]
    return float(100 * counted / residents)


class OfficialTables:
    """The official extracts and the links that say which areas make up which place, with each place's figures
    computed once and remembered (the tables do not change during a build)."""

    def __init__(self, places: pd.DataFrame, place_areas: pd.DataFrame, census: pd.DataFrame,
                 referendum: pd.DataFrame, ethnicity: pd.DataFrame, economic: pd.DataFrame):
        self.places, self.place_areas = places, place_areas
        self.census, self.referendum, self.ethnicity, self.economic = census, referendum, ethnicity, economic
        self.tree = Hierarchy(places)
        self._codes: dict[str, list[str]] = {}
        self._proficiency: dict[str, dict | None] = {}
        self._leave: dict[str, dict | None] = {}
        self._measures: dict[tuple[str, str], float | None] = {}

    @classmethod
    def load(cls, root: Path | None = None) -> "OfficialTables":
        """Read every table through the validating loader."""
        return cls(places=load("places", root=root), place_areas=load("place_areas", root=root),
                   census=load("census2021_english_proficiency", root=root),
                   referendum=load("eu_referendum_2016", root=root),
                   ethnicity=load("census2011_ethnicity", root=root),
                   economic=load("census2011_economic_activity", root=root))

    def codes(self, place_id: str) -> list[str]:
        """The official areas of a place (see :func:`area_codes`)."""
        if place_id not in self._codes:
            self._codes[place_id] = area_codes(self.tree, self.place_areas, place_id)
        return self._codes[place_id]

    def proficiency(self, place_id: str) -> dict | None:
        """Census 2021 proficiency in English for a place (see :func:`proficiency`)."""
        if place_id not in self._proficiency:
            self._proficiency[place_id] = proficiency(self.census, self.codes(place_id))
        return self._proficiency[place_id]

    def leave(self, place_id: str) -> dict | None:
        """The 2016 Leave result for a place (see :func:`leave`)."""
        if place_id not in self._leave:
            self._leave[place_id] = leave(self.referendum, self.codes(place_id))
        return self._leave[place_id]

    def measure(self, measure: str, place_id: str) -> float | None:
        """One official measure for a place, or None when the project does not hold it there."""
        key = (measure, place_id)
        if key not in self._measures:
            self._measures[key] = self.compute(measure, place_id)
        return self._measures[key]

    def compute(self, measure: str, place_id: str) -> float | None:
        """Compute one official measure for a place (see :meth:`measure`)."""
        codes = self.codes(place_id)
        if not codes:
            return None
        if measure == "census2021-cannot-speak":
            figures = self.proficiency(place_id)
            return None if figures is None else figures["shares"]["cannot_speak"]
        if measure == "census2021-not-well-or-not-at-all":
            figures = self.proficiency(place_id)
            return None if figures is None else figures["not_well_or_not_at_all"]
        if measure == "referendum2016-leave-gap":
            shares = leave_shares(self.referendum, codes)
            return None if len(shares) < 2 else float(shares["share"].max() - shares["share"].min())
        return census2011_measure(measure, self.ethnicity, self.economic, codes)


def then_and_now(statistics: pd.DataFrame, comparisons: pd.DataFrame, aliases: "pd.DataFrame | dict[str, list[str]]",
                 tables: OfficialTables) -> pd.DataFrame:
    """The quoted statistics that have an official counterpart, each beside the latest official figure held.

    One row per statistic (in register order) with its place, the measure, its label, period and source key,
    whether the definitions match, the note, and ``official`` (None where the definitions differ or the project
    holds no figure for the place).
    """
    rows = []
    by_stat = comparisons.set_index("stat_id")
    lookup = aliases if isinstance(aliases, dict) else alias_lookup(aliases)
    for _, stat in statistics.iterrows():
        if stat["stat_id"] not in by_stat.index:
            continue
        link = by_stat.loc[stat["stat_id"]]
        label, period, source = MEASURES[link["measure"]]
        place_ids = lookup.get(normalise_name(stat["geography"]), [])
        place_id = place_ids[0] if len(place_ids) == 1 else None
        same = bool(link["same_definition"])
        official = tables.measure(link["measure"], place_id) if (same and place_id) else None
        rows.append({"stat_id": stat["stat_id"], "place_id": place_id, "measure": link["measure"],
                     "measure_label": label, "official_period": period, "official_source": source,
                     "same_definition": same, "note": link["note"], "official": official})
    columns = ["stat_id", "place_id", "measure", "measure_label", "official_period", "official_source",
               "same_definition", "note", "official"]
    return pd.DataFrame(rows, columns=columns)


# --- What the reports say, one function per source -----------------------------------------------------
# Each returns one row per item and place, with a place_id of the vocabulary. When a source file changes
# shape, only its function needs to change.


def passages(root: Path | None = None) -> pd.DataFrame:
    """Passages about a place in our words (data/place_mentions.csv): report, section, place_id, mention."""
    return load("place_mentions", root=root)


def asks(root: Path | None = None) -> pd.DataFrame:
    """Asks addressed to a place: recommendation_id, report, section, place_id, actor, levers, summary.

    One row per ask and place it names: an ask is one row of data/recommendations.csv, and the places it
    names are listed in data/recommendation_places.csv.
    """
    recommendations = load("recommendations", root=root)
    addressed = load("recommendation_places", root=root).merge(recommendations, on="recommendation_id")
    return addressed[["recommendation_id", "report", "section", "place_id", "actor", "levers", "summary"]] \
        .reset_index(drop=True)


def engagement_evidence(root: Path | None = None) -> pd.DataFrame:
    """The 2026 report's evidence of how each authority engages: one row per activity
    (data/mort2026_engagement.csv), with the names of its policy areas (data/mort2026_engagement_areas.csv) and
    the kinds of evidence behind it (data/mort2026_engagement_sources.csv): evidence_id, report, place_id, area,
    evidence_kind, what."""
    activities = load("mort2026_engagement", root=root)
    area_names = load("mort2026_policy_areas", root=root).set_index("area_id")["area"]
    links = load("mort2026_engagement_areas", root=root)
    sources = load("mort2026_engagement_sources", root=root).sort_values(["activity_id", "source_order"])
    areas = links.assign(area=links["area_id"].map(area_names)).groupby("activity_id", sort=False)["area"] \
        .agg(lambda names: "; ".join(dict.fromkeys(names)))
    kinds = sources.groupby("activity_id", sort=False)["evidence_kind"].agg(lambda k: "; ".join(dict.fromkeys(k)))
    return pd.DataFrame({
        "evidence_id": activities["activity_id"], "report": "mort2026", "place_id": activities["place_id"],
        "area": activities["activity_id"].map(areas).fillna(""),
        "evidence_kind": activities["activity_id"].map(kinds).fillna(""),
        "what": activities["what"],
    }).reset_index(drop=True)


def case_studies(root: Path | None = None) -> pd.DataFrame:
    """The 2026 report's case studies (data/mort2026_case_studies.csv): case_number, place_id, title, led_by,
    summary, primary_source."""
    cases = load("mort2026_case_studies", root=root)
    return cases.assign(report="mort2026")[["case_number", "report", "place_id", "title", "led_by", "summary",
                                            "primary_source"]].reset_index(drop=True)


def hartman_initiatives(root: Path | None = None) -> pd.DataFrame:
    """The 2023 report's initiatives (data/hartman2023_initiatives.csv): initiative_id, place_id, initiative,
    kind, summary, primary_source (the source that describes it)."""
    initiatives = load("hartman2023_initiatives", root=root)
    return initiatives.assign(report="hartman2023", primary_source=initiatives["described_by"])[
        ["initiative_id", "report", "place_id", "initiative", "kind", "summary", "primary_source"]].reset_index(drop=True)


def morris_initiatives(root: Path | None = None) -> pd.DataFrame:
    """The 2021 briefing's initiatives (data/morris2021_initiatives.csv): initiative_id, place_id, policy_area,
    summary, primary_source.

    The briefing's place table (data/morris2021_city_regions.csv) may use ids of its own (``sheffield-city-region``);
    an id the vocabulary lacks is resolved through data/place_aliases.csv by the city region's name.

    Raises
    ------
    VocabularyError
        Naming a city region that resolves to no place.
    """
    initiatives = load("morris2021_initiatives", root=root)
    regions = load("morris2021_city_regions", root=root)
    known = set(load("places", root=root)["place_id"])
    aliases = load("place_aliases", root=root)
    mapping = {}
    for row in regions.itertuples(index=False):
        if row.place_id in known:
            mapping[row.place_id] = row.place_id
            continue
        found = places_for_geography(row.city_region, aliases)
        if len(found) != 1:
            raise VocabularyError(f"data/morris2021_city_regions.csv: '{row.place_id}' ({row.city_region}) "
                                  "names no place of data/places.csv")
        mapping[row.place_id] = found[0]
    return initiatives.assign(report="morris2021", place_id=initiatives["place_id"].map(mapping))[
        ["initiative_id", "report", "place_id", "policy_area", "summary", "primary_source"]].reset_index(drop=True)


def discrepancy_flags(root: Path | None = None) -> pd.DataFrame:
    """One row per quoted statistic and known discrepancy (data/discrepancies.csv, column stat_ids):
    stat_id, discrepancy_id, report, category, label, claim, evidence.

    The category comes from the ``category`` column (error, rounding, definition-or-vintage, cannot-verify);
    a file without it falls back to the older ``kind`` column (internal, source).
    """
    return flags_from(load("discrepancies", root=root))


def flags_from(discrepancies: pd.DataFrame) -> pd.DataFrame:
    """One row per statistic named in each discrepancy's ``stat_ids`` (see :func:`discrepancy_flags`)."""
    column = "category" if "category" in discrepancies.columns else "kind"
    labels = CATEGORY_LABELS if column == "category" else KIND_LABELS
    rows = []
    for _, row in discrepancies.iterrows():
        for stat_id in str(row["stat_ids"]).split():
            category = str(row[column])
            rows.append({"stat_id": stat_id, "discrepancy_id": row["discrepancy_id"], "report": row["report"],
                         "category": category, "label": labels.get(category, category), "claim": row["claim"],
                         "evidence": row["evidence"]})
    return pd.DataFrame(rows, columns=["stat_id", "discrepancy_id", "report", "category", "label", "claim", "evidence"])


# --- Summary for the index -----------------------------------------------------------------------------


def place_summary(root: Path | None = None) -> pd.DataFrame:
    """One row per place: its name, kind, level, parent, how many passages, asks and statistics are about it (or
    the places it covers), and the 2021 census share who cannot speak English well or at all (None where the
    project holds no figure)."""
    places = load("places", root=root)
    aliases = load("place_aliases", root=root)
    register = load("statistics", root=root)
    mentions, addressed = passages(root), asks(root)
    tables = OfficialTables.load(root)
    tree, lookup = Hierarchy(places), alias_lookup(aliases)
    rows = []
    for place in places.itertuples(index=False):
        inside = covered(tree, place.place_id)
        figures = tables.proficiency(place.place_id)
        rows.append({
            "place_id": place.place_id, "name": place.name, "kind": place.kind, "level": place.level,
            "parent_place_id": place.parent_place_id if has_value(place.parent_place_id) else None,
            "passages": int(mentions["place_id"].isin(inside).sum()),
            "asks": int(addressed.loc[addressed["place_id"].isin(inside), "recommendation_id"].nunique()),
            "statistics": len(statistics_for_place(register, lookup, tree, place.place_id)),
            "not_well_or_not_at_all_2021": None if figures is None else figures["not_well_or_not_at_all"],
        })
    return pd.DataFrame(rows)


def filterable(table):
    """Give a table published by :func:`helpers.provenance.publish_table` the class ``filterable``, which
    ``book/_static/table-tools.js`` turns into a filter box and sortable headings; return the Markdown to show.

    Raises
    ------
    ValueError
        If the text holds no ``{table}`` directive with a name.
    """
    from IPython.display import Markdown

    text = table.data if hasattr(table, "data") else str(table)
    named = re.search(r"^:name: tbl-[^\n]*\n", text, flags=re.M)
    if named is None:
        raise ValueError("no named {table} directive to mark as filterable")
    return Markdown(text[:named.end()] + ":class: filterable\n" + text[named.end():])
