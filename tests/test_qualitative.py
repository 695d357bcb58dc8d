"""helpers.qualitative: counting and listing links, on small made-up tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import qualitative


@pytest.fixture
def links() -> pd.DataFrame:
    return pd.DataFrame({
        "place": ["p1", "p1", "p1", "p2"],
        "area": ["a", "a", "b", "b"],
    })


class TestCountMatrix:
    def test_counts_pairs_and_keeps_empty_rows_and_columns_in_order(self, links):
        matrix = qualitative.count_matrix(links, rows="place", columns="area",
                                          row_order=["p2", "p1", "p3"], column_order=["c", "a", "b"])
        assert matrix.index.tolist() == ["p2", "p1", "p3"]
        assert matrix.columns.tolist() == ["c", "a", "b"]
        assert matrix.values.tolist() == [[0, 0, 1], [0, 2, 1], [0, 0, 0]]

    def test_a_key_missing_from_the_order_is_refused(self, links):
        with pytest.raises(ValueError, match=r"place \['p2'\]"):
            qualitative.count_matrix(links, rows="place", columns="area", row_order=["p1"], column_order=["a", "b"])


class TestJoinedLabels:
    def test_distinct_labels_in_first_seen_order(self, links):
        joined = qualitative.joined_labels(links, key="place", label="area")
        assert joined.to_dict() == {"p1": "a; b", "p2": "b"}

    def test_labels_follow_a_given_order(self, links):
        joined = qualitative.joined_labels(links, key="place", label="area", order=["b", "a"], separator=", ")
        assert joined["p1"] == "b, a"

    def test_a_label_outside_the_order_is_refused(self, links):
        with pytest.raises(ValueError, match="not in the given order"):
            qualitative.joined_labels(links, key="place", label="area", order=["a"])
