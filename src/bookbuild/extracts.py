"""The recipe behind the official-figure extracts in ``data/``: which rows of which published table, and how.

The project commits only the rows it uses of each official table, never the tables whole. The reference
copies of the tables sit outside the project (``../shared/data/primary/``, or wherever
``COMPENDIUM_SHARED`` points); this module reads them and writes the extracts, so an extract can always be
regenerated and checked (``tests/test_extracts.py`` compares the committed files with a fresh extraction).

Run ``python -m bookbuild.extracts`` after changing :data:`AREAS`, then ``make lock-data``.

Scope: every lower-tier local authority of the combined or strategic authorities the four reports
profile, by their 2021 boundaries (the census's), London's 33 boroughs, and the other councils of England
and Wales a report names. The 2016 referendum was counted in the same areas, so one list of codes serves
both tables. Each extract ends with England: the census table's own England row, and for the referendum
the sum of the 326 English counting areas (the Electoral Commission counted Gibraltar with South West
England; it is not an English area and is left out, so this total differs from the published England
result by Gibraltar's votes).

Which place of ``data/places.csv`` each area belongs to is recorded in ``data/place_areas.csv``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

from helpers.paths import project_root

#: Lower-tier local authorities by the place of ``data/places.csv`` whose area they are in (a combined or
#: strategic authority; outside any, the region or nation), as named in both published tables. The East
#: Midlands' members are two cities and two counties; the counties' districts are listed. North Somerset is
#: not a member of the West of England authority (the 2017 report names it beside the members).
AREAS = {
    "greater-manchester": ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
                           "Trafford", "Wigan"],
    "liverpool-city-region": ["Halton", "Knowsley", "Liverpool", "St. Helens", "Sefton", "Wirral"],
    "west-midlands": ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"],
    "west-of-england": ["Bath and North East Somerset", "Bristol, City of", "South Gloucestershire"],
    "tees-valley": ["Darlington", "Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees"],
    "cambridgeshire-peterborough": ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough",
                                    "South Cambridgeshire"],
    "north-east": ["Newcastle upon Tyne", "North Tyneside", "Northumberland", "County Durham", "Gateshead",
                   "South Tyneside", "Sunderland"],
    "south-yorkshire": ["Barnsley", "Doncaster", "Rotherham", "Sheffield"],
    "west-yorkshire": ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"],
    "east-midlands": ["Derby", "Nottingham", "Amber Valley", "Bolsover", "Chesterfield", "Derbyshire Dales", "Erewash",
                      "High Peak", "North East Derbyshire", "South Derbyshire", "Ashfield", "Bassetlaw", "Broxtowe",
                      "Gedling", "Mansfield", "Newark and Sherwood", "Rushcliffe"],
    "south-west": ["North Somerset"],
    "south-east": ["Brighton and Hove"],
    "wales": ["Cardiff", "Newport"],
}
#: London's boroughs and the City are taken by their code prefix (E09), all 33.
LONDON_PREFIX = "E09"
ENGLAND_CODE = "E92000001"

TS029 = "census2021-ts029-proficiency-in-english-ltla.csv"
REFERENDUM = "eu-referendum-2016-results-by-counting-area.csv"
TS029_COLUMNS = {
    "residents_aged_3_plus": "Total: All usual residents aged 3 years and over",
    "main_language_english": "Main language is English (English or Welsh in Wales)",
    "main_language_not_english": "Main language is not English (English or Welsh in Wales)",
    "speaks_very_well": "Main language is not English (English or Welsh in Wales): Can speak English very well",
    "speaks_well": "Main language is not English (English or Welsh in Wales): Can speak English well",
    "cannot_speak_well": "Main language is not English (English or Welsh in Wales): Cannot speak English well",
    "cannot_speak": "Main language is not English (English or Welsh in Wales): Cannot speak English",
}
REFERENDUM_COLUMNS = ["area_code", "area", "region", "electorate", "valid_votes", "remain", "leave", "pct_leave",
                      "basis"]
#: The counts summed for England's row of the referendum extract.
REFERENDUM_COUNTS = ["electorate", "valid_votes", "remain", "leave"]


class ExtractError(ValueError):
    """A reference table does not hold what the recipe expects."""


def primary_dir(root: Path) -> Path:
    """Where the reference copies of the official tables are: ``$COMPENDIUM_SHARED/data/primary``."""
    shared = Path(os.environ.get("COMPENDIUM_SHARED") or root.parent / "shared")
    return shared / "data" / "primary"


def read_table(path: Path) -> list[dict]:
    """Read a reference table as text cells."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wanted_codes(rows: list[dict], name_column: str, code_column: str) -> list[str]:
    """The codes of every area in scope, in table order: the named authorities' areas and London's boroughs.

    Raises
    ------
    ExtractError
        Naming any area in :data:`AREAS` the table does not hold.
    """
    names = {name for members in AREAS.values() for name in members}
    found = {row[name_column] for row in rows}
    missing = sorted(names - found)
    if missing:
        raise ExtractError(f"not in the table: {missing}")
    return [row[code_column] for row in rows
            if row[name_column] in names or row[code_column].startswith(LONDON_PREFIX)]


def census_extract(rows: list[dict], existing_england: dict) -> list[dict]:
    """The TS029 rows in scope, as ``data/census2021_english_proficiency.csv`` holds them, England last."""
    prefix = "Proficiency in English language: "
    codes = set(wanted_codes(rows, "geography", "geography code"))
    out = [{"geography_code": row["geography code"], "geography_name": row["geography"],
            **{column: row[prefix + source] for column, source in TS029_COLUMNS.items()},
            "basis": "local authority row"}
           for row in rows if row["geography code"] in codes]
    return sorted(out, key=lambda r: r["geography_code"]) + [existing_england]


def referendum_row(row: dict) -> dict:
    """One counting area as the extract holds it: the counts and the published (rounded) Leave share."""
    return {"area_code": row["Area_Code"], "area": row["Area"], "region": row["Region"],
            "electorate": row["Electorate"], "valid_votes": row["Valid_Votes"], "remain": row["Remain"],
            "leave": row["Leave"], "pct_leave": row["Pct_Leave"], "basis": "counting area"}


def england_referendum_row(rows: list[dict]) -> dict:
    """England's result: the sum of every English counting area (ONS codes starting E), Leave share to 2 d.p.

    Raises
    ------
    ExtractError
        If the table does not hold the 326 English counting areas.
    """
    english = [referendum_row(row) for row in rows if row["Area_Code"].startswith("E")]
    if len(english) != 326:
        raise ExtractError(f"expected the 326 English counting areas, found {len(english)}")
    totals = {column: sum(int(row[column]) for row in english) for column in REFERENDUM_COUNTS}
    return {"area_code": ENGLAND_CODE, "area": "England", "region": "England", **{k: str(v) for k, v in totals.items()},
            "pct_leave": f"{100 * totals['leave'] / totals['valid_votes']:.2f}",
            "basis": f"sum of the {len(english)} English counting areas (Gibraltar left out)"}


def referendum_extract(rows: list[dict]) -> list[dict]:
    """The counting areas in scope, with the counts and the published Leave share, England last."""
    codes = set(wanted_codes(rows, "Area", "Area_Code"))
    out = [referendum_row(row) for row in rows if row["Area_Code"] in codes]
    return sorted(out, key=lambda r: r["area_code"]) + [england_referendum_row(rows)]


def csv_text(rows: list[dict], columns: list[str]) -> str:
    """Rows as the project writes CSV: a header, newline line ends, quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def extracts(root: Path) -> dict[str, str]:
    """Return ``{data file name: text}`` for every extract, made afresh from the reference copies."""
    primary = primary_dir(root)
    census_path = root / "data" / "census2021_english_proficiency.csv"
    current = read_table(census_path)
    england = next(row for row in current if row["geography_code"] == ENGLAND_CODE)
    census = census_extract(read_table(primary / TS029), england)
    return {
        "census2021_english_proficiency.csv": csv_text(census, list(current[0])),
        "eu_referendum_2016.csv": csv_text(referendum_extract(read_table(primary / REFERENDUM)), REFERENDUM_COLUMNS),
    }


def main() -> int:
    """Write the extracts into ``data/`` (run ``make lock-data`` afterwards)."""
    root = project_root()
    for name, text in extracts(root).items():
        (root / "data" / name).write_text(text, encoding="utf-8")
        print(f"extracts: wrote data/{name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
