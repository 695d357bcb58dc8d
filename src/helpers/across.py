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


# --- Comparisons that carry their uncertainty. ---

#: The normal quantile for a two-sided 95% interval.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion ``successes / n``, as two fractions in [0, 1].

    The Wilson interval stays inside [0, 1] and behaves sensibly for small ``n`` and for proportions of
    0 or 1, where the usual normal ("Wald") interval collapses to a single point.

    Raises
    ------
    ValueError
        If ``n`` is not positive or ``successes`` is outside ``0..n``.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, not {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must lie between 0 and n ({n}), not {successes}")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denominator
    # At 0 and n the bound is exactly 0 or 1; rounding must not push it past the share itself.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def shares_with_intervals(recommendations: pd.DataFrame, levers: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return :func:`lever_shares` with a 95% Wilson interval for each share, as ``low_percent, high_percent``.

    Each ask is one trial: the interval treats a report's asks as independent draws, which they are not
    quite (one author, one argument), so it understates the uncertainty rather than overstating it.
    """
    shares = lever_shares(recommendations, levers, reports)
    bounds = [wilson_interval(int(row.using_lever), int(row.recommendations)) for row in shares.itertuples()]
    return shares.assign(low_percent=[low * 100 for low, _ in bounds], high_percent=[high * 100 for _, high in bounds])


#: The row rules the sensitivity table compares: what one ask counts for under each.
ROW_RULES = {
    "per-place": "one row per place addressed (as first coded)",
    "distinct": "one row per distinct ask",
    "repeats": "each ask weighted by how often the report states it",
}


def row_weights(recommendations: pd.DataFrame, places: pd.DataFrame, rule: str) -> pd.Series:
    """Return what each ask counts for under a row rule (:data:`ROW_RULES`), indexed like ``recommendations``.

    ``per-place`` counts an ask once for every place it is addressed to by name (``places``: one row per
    ask and place) and once if it names none; ``distinct`` counts every ask once; ``repeats`` counts it
    once plus once for every further statement (the ``repeats`` column).
    """
    if rule == "distinct":
        return pd.Series(1, index=recommendations.index)
    if rule == "repeats":
        return 1 + recommendations["repeats"].astype(int)
    if rule == "per-place":
        addressed = places.groupby("recommendation_id").size()
        return recommendations["recommendation_id"].map(addressed).fillna(0).astype(int).clip(lower=1)
    raise ValueError(f"unknown row rule {rule!r}; known: {sorted(ROW_RULES)}")


def weighted_lever_shares(recommendations: pd.DataFrame, levers: pd.DataFrame, reports: pd.DataFrame,
                          weights: pd.Series) -> pd.DataFrame:
    """Return per lever and report the weighted percentage of the report's asks using the lever.

    Columns ``lever, report, rows, rows_using_lever, share_percent`` (levers in codebook order, reports in
    year order), where ``rows`` is the report's total weight: the number of rows the rule would give.
    """
    unknown = unknown_levers(recommendations, levers)
    if unknown:
        raise ValueError(f"levers not in the codebook: {unknown}")
    weighted = recommendations.assign(_weight=weights.values)
    totals = weighted.groupby("report")["_weight"].sum()
    rows = []
    for lever in levers["lever"]:
        uses = weighted["levers"].str.split(LEVER_SEPARATOR).map(lambda values: lever in values)
        using = weighted[uses].groupby("report")["_weight"].sum()
        for report in reports_in_order(reports)["report"]:
            if totals.get(report, 0) > 0:
                rows.append({"lever": lever, "report": report, "rows": int(totals[report]),
                             "rows_using_lever": int(using.get(report, 0)),
                             "share_percent": using.get(report, 0) / totals[report] * 100.0})
    return pd.DataFrame(rows)


def sensitivity_table(recommendations: pd.DataFrame, places: pd.DataFrame, levers: pd.DataFrame,
                      reports: pd.DataFrame) -> pd.DataFrame:
    """Return each lever's share in each report under every row rule, side by side.

    One row per lever and report with ``rows_<rule>`` and ``share_<rule>`` for each rule in
    :data:`ROW_RULES`, and ``largest_shift``: the widest gap, in percentage points, between the rules.
    """
    table = None
    for rule in ROW_RULES:
        shares = weighted_lever_shares(recommendations, levers, reports, row_weights(recommendations, places, rule))
        shares = shares.rename(columns={"rows": f"rows_{rule}", "rows_using_lever": f"using_{rule}",
                                        "share_percent": f"share_{rule}"})
        table = shares if table is None else table.merge(shares, on=["lever", "report"])
    share_columns = [f"share_{rule}" for rule in ROW_RULES]
    return table.assign(largest_shift=table[share_columns].max(axis=1) - table[share_columns].min(axis=1))


# --- Agreement between two coders. ---


def cohen_kappa(first: list, second: list) -> float:
    """Return Cohen's kappa for two coders' labels of the same items (in the same order).

    Kappa is observed agreement corrected for the agreement expected by chance from each coder's own
    label frequencies: ``(p_o - p_e) / (1 - p_e)``. When both coders give every item the same single
    label, chance agreement is 1 and kappa is undefined: ``nan`` is returned.

    Raises
    ------
    ValueError
        If the lists differ in length or are empty.
    """
    if len(first) != len(second):
        raise ValueError(f"the coders labelled {len(first)} and {len(second)} items; they must label the same items")
    if not first:
        raise ValueError("no items to compare")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    # Sorted: summing floats in a set's order would change the last digit from one process to the next.
    labels = sorted(set(first) | set(second), key=str)
    expected = sum((first.count(label) / n) * (second.count(label) / n) for label in labels)
    if expected == 1:
        return float("nan")
    return (observed - expected) / (1 - expected)


def split_levers(value: str) -> list[str]:
    """Return the lever slugs of one ``levers`` cell, in order, without surrounding spaces."""
    return [lever.strip() for lever in str(value).split(LEVER_SEPARATOR) if lever.strip()]


def agreement(first: pd.DataFrame, second: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """Compare two codings of the same asks: kappa for each lever's presence and for the actor.

    ``first`` and ``second`` hold ``recommendation_id, levers, actor``; only asks in both are compared.
    Returns one row per lever (``field`` = the lever slug) and one for ``actor``, with ``asks`` compared,
    ``first_count`` and ``second_count`` (asks each coder gave the lever; for the actor, the number of
    distinct actors each used), ``agreed`` (asks on which they agree) and ``kappa``.
    """
    both = first.merge(second, on="recommendation_id", suffixes=("_first", "_second"))
    if both.empty:
        raise ValueError("the two codings share no ask")
    rows = []
    for lever in levers:
        a = [lever in split_levers(v) for v in both["levers_first"]]
        b = [lever in split_levers(v) for v in both["levers_second"]]
        rows.append({"field": lever, "asks": len(both), "first_count": sum(a), "second_count": sum(b),
                     "agreed": sum(x == y for x, y in zip(a, b)), "kappa": cohen_kappa(a, b)})
    a, b = both["actor_first"].tolist(), both["actor_second"].tolist()
    rows.append({"field": "actor", "asks": len(both), "first_count": len(set(a)), "second_count": len(set(b)),
                 "agreed": sum(x == y for x, y in zip(a, b)), "kappa": cohen_kappa(a, b)})
    return pd.DataFrame(rows)


def disagreements(first: pd.DataFrame, second: pd.DataFrame, levers: list[str]) -> pd.DataFrame:
    """List every disagreement between two codings: one row per ask and lever, or ask and actor.

    Columns ``recommendation_id, field, first_code, second_code``: for a lever, the codes are ``present``
    or ``absent``; for the actor, the two actors. Rows are in the order of ``first``.
    """
    both = first.merge(second, on="recommendation_id", suffixes=("_first", "_second"))
    rows = []
    for row in both.itertuples(index=False):
        mine, theirs = split_levers(row.levers_first), split_levers(row.levers_second)
        for lever in levers:
            if (lever in mine) != (lever in theirs):
                rows.append({"recommendation_id": row.recommendation_id, "field": lever,
                             "first_code": "present" if lever in mine else "absent",
                             "second_code": "present" if lever in theirs else "absent"})
        if row.actor_first != row.actor_second:
            rows.append({"recommendation_id": row.recommendation_id, "field": "actor",
                         "first_code": row.actor_first, "second_code": row.actor_second})
    return pd.DataFrame(rows, columns=["recommendation_id", "field", "first_code", "second_code"])


def actor_shares_with_intervals(recommendations: pd.DataFrame, actors: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return per actor and report the share of the report's asks addressed to that actor, with a 95% Wilson
    interval: ``actor, report, year, recommendations, addressed, share_percent, low_percent, high_percent``
    (actors in codebook order, reports in year order; an actor a report never asks counts 0)."""
    unknown = sorted(set(recommendations["actor"]) - set(actors["actor"]))
    if unknown:
        raise ValueError(f"actors not in the codebook: {unknown}")
    ordered = reports_in_order(reports)
    totals = recommendations.groupby("report").size()
    counts = pd.crosstab(recommendations["actor"], recommendations["report"])
    rows = []
    for actor in actors["actor"]:
        for report, year in zip(ordered["report"], ordered["year"]):
            n = int(totals.get(report, 0))
            if n == 0:
                continue
            k = int(counts.loc[actor, report]) if actor in counts.index and report in counts.columns else 0
            low, high = wilson_interval(k, n)
            rows.append({"actor": actor, "report": report, "year": int(year), "recommendations": n, "addressed": k,
                         "share_percent": k / n * 100.0, "low_percent": low * 100, "high_percent": high * 100})
    return pd.DataFrame(rows)


def separated_pairs(shares: pd.DataFrame, by: str = "lever") -> pd.DataFrame:
    """Return the pairs of reports whose 95% intervals for the same ``by`` (lever or actor) do not overlap.

    ``shares`` holds ``<by>, report, year, share_percent, low_percent, high_percent``. Non-overlapping
    95% intervals are a demanding test (two shares can differ significantly while their intervals
    overlap a little), so what survives it is a difference the data can bear. Returns ``<by>, earlier,
    later, earlier_share, later_share`` with the earlier report by year first, in the order of ``shares``.
    """
    rows = []
    for key, group in shares.groupby(by, sort=False):
        group = group.sort_values("year")
        items = list(group.itertuples(index=False))
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if a.high_percent < b.low_percent or b.high_percent < a.low_percent:
                    rows.append({by: key, "earlier": a.report, "later": b.report,
                                 "earlier_share": a.share_percent, "later_share": b.share_percent})
    return pd.DataFrame(rows, columns=[by, "earlier", "later", "earlier_share", "later_share"])
