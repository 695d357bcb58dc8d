"""The place vocabulary: which place a name in the data stands for, and which places lie inside another.

``data/places.csv`` lists the places with their parents; ``data/place_aliases.csv`` maps the names the
reports use (a register ``geography``) to place ids. Notebooks and the page generator
(:mod:`bookbuild.placepages`) both ask this module, so a name resolves the same way everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Where the generated place pages go, relative to the project root; listed in .gitignore.
PAGES_DIR = Path("book") / "across" / "places"


def normalise_name(name: str) -> str:
    """Return a place name in the form used for matching: lower case, single spaces, '&' as 'and'."""
    return " ".join(str(name).replace("&", " and ").lower().split())


def alias_lookup(aliases: pd.DataFrame) -> dict[str, list[str]]:
    """Map each normalised alias to the place_ids it names (a name may cover more than one place)."""
    lookup: dict[str, list[str]] = {}
    for row in aliases.itertuples(index=False):
        ids = lookup.setdefault(normalise_name(row.alias), [])
        if row.place_id not in ids:
            ids.append(row.place_id)
    return lookup


def places_for_geography(geography: str, aliases: pd.DataFrame) -> list[str]:
    """Return the place_ids a register ``geography`` names, or an empty list if it names none."""
    return alias_lookup(aliases).get(normalise_name(geography), [])


def descendants(places: pd.DataFrame, place_id: str) -> list[str]:
    """Return the place itself and every place inside it (children, their children...), in table order.

    Raises
    ------
    ValueError
        If the parent links form a loop.
    """
    parents = dict(zip(places["place_id"], places["parent_place_id"]))
    found = [place_id]
    for candidate in places["place_id"]:
        seen, current = set(), candidate
        while isinstance(parents.get(current), str) and parents[current]:
            if current in seen:
                raise ValueError(f"data/places.csv: the parent links around '{current}' form a loop")
            seen.add(current)
            current = parents[current]
            if current == place_id and candidate not in found:
                found.append(candidate)
                break
    return found


def statistics_for_place(register: pd.DataFrame, aliases: pd.DataFrame, places: pd.DataFrame,
                         place_id: str) -> pd.DataFrame:
    """Return the register rows whose geography names the place or a place inside it, in register order."""
    covered = set(descendants(places, place_id))
    lookup = alias_lookup(aliases)
    keep = register["geography"].map(lambda g: bool(covered & set(lookup.get(normalise_name(g), []))))
    return register[keep.astype(bool)].reset_index(drop=True)


def unmatched_geographies(register: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Return each register geography that names no place, with how many statistics use it (most first)."""
    lookup = alias_lookup(aliases)
    unmatched = register[register["geography"].map(lambda g: normalise_name(g) not in lookup)]
    counts = unmatched.groupby("geography").size().rename("statistics").reset_index()
    return counts.sort_values(["statistics", "geography"], ascending=[False, True]).reset_index(drop=True)


def page_link(place_id: str) -> str:
    """Return a MyST link to a place's generated page."""
    return f"{{doc}}`/{(PAGES_DIR / place_id).as_posix()}`"
