"""Across the reports: count the recommendations by lever, report and year, and find what rose and what faded.

A recommendation can use more than one lever (``data/recommendations.csv`` keeps them in one column,
separated by ``;``), so a report's lever shares are the percentage of its recommendations that use the
lever, and they need not add up to 100.
"""

from __future__ import annotations

import pandas as pd

LEVER_SEPARATOR = ";"


def explode_levers(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Return one row per recommendation and lever, with columns ``recommendation_id, report, lever``.

    Raises
    ------
    ValueError
        If a recommendation has an empty lever (for instance a doubled separator).
    """
    rows = [(row.recommendation_id, row.report, lever.strip())
            for row in recommendations.itertuples(index=False)
            for lever in str(row.levers).split(LEVER_SEPARATOR)]
    empty = sorted({rid for rid, _, lever in rows if not lever})
    if empty:
        raise ValueError(f"recommendations with an empty lever: {empty}")
    return pd.DataFrame(rows, columns=["recommendation_id", "report", "lever"])


def unknown_levers(recommendations: pd.DataFrame, levers: pd.DataFrame) -> list[str]:
    """Return the lever slugs used in ``recommendations`` that the codebook does not define, sorted."""
    used = set(explode_levers(recommendations)["lever"])
    return sorted(used - set(levers["lever"]))


def reports_in_order(reports: pd.DataFrame) -> pd.DataFrame:
    """Return the reports sorted by year (then key), the order every cross-report chart uses."""
    return reports.sort_values(["year", "report"]).reset_index(drop=True)


def lever_counts(recommendations: pd.DataFrame, levers: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Count recommendations using each lever in each report.

    Returns a frame with one row per lever (codebook order) and one integer column per report (in year
    order); a lever a report never uses counts 0.
    """
    unknown = unknown_levers(recommendations, levers)
    if unknown:
        raise ValueError(f"levers not in the codebook: {unknown}")
    long = explode_levers(recommendations).drop_duplicates(["recommendation_id", "lever"])
    order = reports_in_order(reports)["report"].tolist()
    counts = pd.crosstab(long["lever"], long["report"])
    return counts.reindex(index=levers["lever"].tolist(), columns=order, fill_value=0).astype(int)


def lever_shares(recommendations: pd.DataFrame, levers: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return, per lever and report, the percentage of the report's recommendations that use the lever.

    Columns: ``lever, report, year, recommendations, using_lever, share_percent``, in codebook order of
    levers and year order of reports. A report with no recommendations is left out.
    """
    counts = lever_counts(recommendations, levers, reports)
    totals = recommendations.groupby("report").size()
    years = reports.set_index("report")["year"]
    rows = [
        {"lever": lever, "report": report, "year": int(years[report]),
         "recommendations": int(totals[report]), "using_lever": int(counts.loc[lever, report]),
         "share_percent": counts.loc[lever, report] / totals[report] * 100.0}
        for lever in counts.index for report in counts.columns if totals.get(report, 0) > 0
    ]
    return pd.DataFrame(rows)


def change_between_ends(shares: pd.DataFrame) -> pd.DataFrame:
    """Compare each lever's share in the earliest and the latest report.

    Returns one row per lever with ``first_year, first_share, last_year, last_share, change`` (percentage
    points, latest minus earliest), ``peak_year`` and ``peak_share``, sorted from the largest rise to the
    largest fall (ties by lever slug, so the order is stable).
    """
    rows = []
    for lever, group in shares.groupby("lever", sort=False):
        group = group.sort_values("year")
        first, last = group.iloc[0], group.iloc[-1]
        peak = group.loc[group["share_percent"].idxmax()]
        rows.append({"lever": lever, "first_year": int(first["year"]), "first_share": float(first["share_percent"]),
                     "last_year": int(last["year"]), "last_share": float(last["share_percent"]),
                     "change": float(last["share_percent"] - first["share_percent"]),
                     "peak_year": int(peak["year"]), "peak_share": float(peak["share_percent"])})
    table = pd.DataFrame(rows)
    return table.sort_values(["change", "lever"], ascending=[False, True]).reset_index(drop=True)


def actor_shares(recommendations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return the percentage of each report's recommendations addressed to each actor (reports in year order)."""
    order = reports_in_order(reports)["report"].tolist()
    table = pd.crosstab(recommendations["actor"], recommendations["report"], normalize="columns") * 100.0
    return table.reindex(columns=[r for r in order if r in table.columns])


def peaked_in_between(shares: pd.DataFrame, lever: str) -> bool:
    """Say whether a lever's share peaks in a report that is neither the first nor the last, and no
    later report uses it at all: a theme of one period that did not carry on."""
    series = shares[shares["lever"] == lever].sort_values("year")["share_percent"].tolist()
    if len(series) < 3 or max(series) == 0:
        return False
    peak = series.index(max(series))
    return 0 < peak < len(series) - 1 and all(v == 0 for v in series[peak + 1:])


def short_report_label(publisher: str, year: int) -> str:
    """Return a two-line chart label for a report: the publisher's short name, then the year.

    A publisher written as ``Full Name (ABBR)`` is shown by its abbreviation.
    """
    short = publisher[publisher.rfind("(") + 1:publisher.rfind(")")] if publisher.endswith(")") else publisher
    return f"{short}\n{year}"


# --- Reliability: the sample a second coder codes blind. ---

#: The seed of the draw behind data/second_coding_sample.csv (recorded so that the draw can be repeated).
SECOND_CODING_SEED = 20260612
#: Size of that sample and the least number of asks drawn from any report.
SECOND_CODING_SIZE = 48
SECOND_CODING_MINIMUM = 6


def codebook_examples(levers: pd.DataFrame, actors: pd.DataFrame) -> set[str]:
    """Return the recommendation_ids the codebook shows as examples (their codes are visible to any coder)."""
    return set(levers["example"]) | set(actors["example"])


def allocate(sizes: dict[str, int], n: int, minimum: int) -> dict[str, int]:
    """Split a sample of ``n`` between strata in proportion to their sizes, with at least ``minimum`` each.

    Each stratum first gets the larger of ``minimum`` (or its whole size, if smaller) and the whole part of
    its proportional quota; places left over go to the largest remainders of quota minus allocation, and
    places over ``n`` are taken back from the smallest, never below the minimum. Ties go to the stratum
    whose name sorts first, so the split is deterministic.

    Raises
    ------
    ValueError
        If ``n`` is larger than all strata together, or the minimums alone exceed ``n``.
    """
    total = sum(sizes.values())
    if n > total:
        raise ValueError(f"a sample of {n} is larger than the {total} units available")
    floors = {name: min(minimum, size) for name, size in sizes.items()}
    if sum(floors.values()) > n:
        raise ValueError(f"minimums of {minimum} per stratum need {sum(floors.values())} units, more than {n}")
    quota = {name: n * size / total for name, size in sizes.items()}
    alloc = {name: max(floors[name], int(quota[name])) for name in sizes}
    while sum(alloc.values()) < n:
        open_ = [name for name in sorted(sizes) if alloc[name] < sizes[name]]
        alloc[max(open_, key=lambda name: (quota[name] - alloc[name], -sorted(sizes).index(name)))] += 1
    while sum(alloc.values()) > n:
        reducible = [name for name in sorted(sizes) if alloc[name] > floors[name]]
        alloc[min(reducible, key=lambda name: (quota[name] - alloc[name], sorted(sizes).index(name)))] -= 1
    return alloc


def stratified_sample(frame: pd.DataFrame, n: int, minimum: int, seed: int, by: str = "report") -> pd.DataFrame:
    """Draw ``n`` rows of ``frame`` at random within strata (``by``), split by :func:`allocate`.

    Strata are visited in sorted order and, within each, rows are drawn from the ``recommendation_id``\\ s in
    sorted order with one ``numpy`` generator seeded with ``seed``, so the same frame and seed give the same
    sample. Returns the drawn rows in stratum order, then in the order they were drawn.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    sizes = frame.groupby(by).size().to_dict()
    alloc = allocate(sizes, n, minimum)
    picked = []
    for stratum in sorted(sizes):
        ids = sorted(frame.loc[frame[by] == stratum, "recommendation_id"])
        picked += list(rng.choice(ids, size=alloc[stratum], replace=False))
    return frame.set_index("recommendation_id").loc[picked].reset_index()


#: Where each report's text lies, for a coder working from the texts (file names in ../shared/reports).
REPORT_TEXT_FILES = {
    "katwala2017": "katwala-2017-british-future-integration-national-rhetoric-to-local-reality.txt",
    "morris2021": "morris-2021-ippr-strategies-for-promoting-integration-at-city-region-level.txt "
                  "(and its web summary, morris-2021-ippr-web-summary.txt)",
    "hartman2023": "hartman-2023-ucl-policy-lab-lighting-the-way.txt",
    "mort2026": "mort-2026-ippr-english-devolution-and-migration.txt",
}
RULE_GROUPS = {"unit": "What an ask is, and what belongs to it", "lever": "Coding levers", "actor": "Coding the actor"}


def codebook_for_coder(levers: pd.DataFrame, actors: pd.DataFrame, rules: pd.DataFrame,
                       recommendations: pd.DataFrame, reports: pd.DataFrame) -> str:
    """Return the codebook as a second coder needs it, in Markdown: the task, the levers and actors with
    their definitions, inclusions, exclusions and examples, and the coding rules.

    Only the codebook's own example asks are shown with codes (each under the lever or actor it
    illustrates); a sample for blind coding must be drawn without them (:func:`codebook_examples`).
    """
    asks = recommendations.set_index("recommendation_id")
    names = reports.set_index("report")

    def example(ask_id: str) -> str:
        ask = asks.loc[ask_id]
        report = names.loc[ask["report"]]
        return (f"`{ask_id}` ({report['publisher']} {report['year']}; section \"{ask['section']}\"; "
                f"{ask['pointer']}). Our summary: {ask['summary']}")

    lines = [
        "# Codebook for the second coder",
        "",
        "You are coding asks (recommendations, options and suggestions) from four reports on migrant "
        "integration and English devolution. For each ask in `second-coding-sample.csv` you record which "
        "policy levers it works through and which one actor it asks to act. Work only from this codebook and "
        "the reports' text; do not open the project's data, book or history, which hold another coder's codes.",
        "",
        "## The task",
        "",
        "1. Find the ask in the report's text: `section` is the heading line it sits under (a heading ending "
        "in `…` is shortened; the report's line starts with those words), and `pointer` says where under that "
        "heading, in our words. \"Priorities for the new mayor\" heads each region's list in the British Future "
        "report, so the pointer names the region.",
        "2. Read the whole ask as rule U2 defines it, then code it by the rules below.",
        "3. Write one row per ask to `second-coding.csv` with the columns `recommendation_id, levers, actor, "
        "note`: `levers` is one or more lever slugs separated by `;` with the main lever first, `actor` is one "
        "actor slug, and `note` (optional) records any doubt, such as a second lever you nearly coded.",
        "",
        "The reports' texts:",
        "",
    ]
    lines += [f"- `{key}` ({names.loc[key, 'publisher']} {names.loc[key, 'year']}): {path}"
              for key, path in REPORT_TEXT_FILES.items()]
    lines += ["", "## Levers", "", "An ask can work through several levers; code every one that rule L1 admits.", ""]
    for row in levers.itertuples(index=False):
        lines += [f"### `{row.lever}`: {row.name}", "", row.definition, "",
                  f"- **In:** {row.includes}", f"- **Out:** {row.excludes}", f"- **Example:** {example(row.example)}", ""]
    lines += ["## Actors", "", "Every ask has exactly one actor.", ""]
    for row in actors.itertuples(index=False):
        lines += [f"### `{row.actor}`: {row.name}", "", row.definition, "",
                  f"- **In:** {row.includes}", f"- **Out:** {row.excludes}", f"- **Example:** {example(row.example)}", ""]
    lines += ["## Coding rules", ""]
    for group, title in RULE_GROUPS.items():
        lines += [f"### {title}", ""]
        lines += [f"- **{r.rule_id}. {r.title}.** {r.rule}" for r in rules.itertuples(index=False) if r.applies_to == group]
        lines += [""]
    return "\n".join(lines)
