"""Turn the qualitative reports' long tables (evidence rows, links) into the matrices and lists the chapters show.

The reports on strategic authorities (mort2026) and local initiatives (hartman2023) are mostly lists and
cross-references. Their data files hold one row per link (an authority shown active in an area, a principle
illustrated by an initiative); these functions count or list those links in a fixed order, keeping the
rows and columns that have none, so that a gap in the evidence shows as a gap.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def count_matrix(links: pd.DataFrame, *, rows: str, columns: str, row_order: Sequence[str],
                 column_order: Sequence[str]) -> pd.DataFrame:
    """Count the links for every pair of a row key and a column key, zeros included.

    Parameters
    ----------
    links
        One row per link, with the row key in column ``rows`` and the column key in column ``columns``.
    rows, columns
        Names of the two key columns of ``links``.
    row_order, column_order
        Every key to show, in order; a key with no link gets a row (or column) of zeros.

    Returns
    -------
    pandas.DataFrame
        Integer counts indexed by ``row_order`` with columns ``column_order``.

    Raises
    ------
    ValueError
        If ``links`` holds a key that is not in the given order (it would silently drop out of the matrix).
    """
    unknown_rows = sorted(set(links[rows]) - set(row_order))
    unknown_columns = sorted(set(links[columns]) - set(column_order))
    if unknown_rows or unknown_columns:
        raise ValueError(f"keys not in the given order: {rows} {unknown_rows}, {columns} {unknown_columns}")
    counts = links.groupby([rows, columns]).size().unstack(fill_value=0)
    return (counts.reindex(index=list(row_order), columns=list(column_order), fill_value=0)
                  .fillna(0).astype(int).rename_axis(index=rows, columns=columns))


def joined_labels(links: pd.DataFrame, *, key: str, label: str, order: Sequence[str] | None = None,
                  separator: str = "; ") -> pd.Series:
    """List, for each key, the distinct labels linked to it, joined into one text.

    Parameters
    ----------
    links
        One row per link, with columns ``key`` and ``label``.
    key, label
        Names of the grouping column and of the column whose values are listed.
    order
        The order in which labels are listed; first appearance in ``links`` when omitted.
    separator
        Text put between labels.

    Returns
    -------
    pandas.Series
        One joined text per key that has at least one link, indexed by key.
    """
    rank = {value: position for position, value in enumerate(order)} if order is not None else None

    def join(values: pd.Series) -> str:
        distinct = list(dict.fromkeys(values))
        if rank is not None:
            missing = [v for v in distinct if v not in rank]
            if missing:
                raise ValueError(f"labels not in the given order: {missing}")
            distinct.sort(key=rank.__getitem__)
        return separator.join(str(v) for v in distinct)

    return links.groupby(key, sort=False)[label].agg(join)
