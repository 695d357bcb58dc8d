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
