"""helpers.across: lever counts and shares on small made-up frames."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import across


@pytest.fixture
def levers() -> pd.DataFrame:
    return pd.DataFrame({"lever": ["a", "b", "c"]})


@pytest.fixture
def reports() -> pd.DataFrame:
    # Deliberately not in year order.
    return pd.DataFrame({"report": ["late", "early"], "year": [2026, 2017]})


@pytest.fixture
def recommendations() -> pd.DataFrame:
    return pd.DataFrame({
        "recommendation_id": ["e1", "e2", "e3", "e4", "l1", "l2"],
        "report": ["early"] * 4 + ["late"] * 2,
        "actor": ["x", "x", "x", "y", "y", "y"],
        "levers": ["a", "a;b", "b", "a", "c", "c;a"],
    })


class TestExplodeLevers:
    def test_one_row_per_lever(self, recommendations):
        long = across.explode_levers(recommendations)
        assert long[long["recommendation_id"] == "e2"]["lever"].tolist() == ["a", "b"]
        assert len(long) == 8

    def test_empty_lever_is_refused(self):
        bad = pd.DataFrame({"recommendation_id": ["z"], "report": ["r"], "levers": ["a;;b"]})
        with pytest.raises(ValueError, match="empty lever"):
            across.explode_levers(bad)


class TestLeverCounts:
    def test_counts_in_codebook_and_year_order_with_zeros(self, recommendations, levers, reports):
        counts = across.lever_counts(recommendations, levers, reports)
        assert counts.columns.tolist() == ["early", "late"]
        assert counts.index.tolist() == ["a", "b", "c"]
        assert counts.loc["a"].tolist() == [3, 1]
        assert counts.loc["c"].tolist() == [0, 2]

    def test_unknown_lever_is_refused(self, recommendations, levers, reports):
        with pytest.raises(ValueError, match=r"not in the codebook: \['zzz'\]"):
            across.lever_counts(recommendations.assign(levers="zzz"), levers, reports)


class TestShares:
    def test_share_is_percent_of_the_reports_recommendations(self, recommendations, levers, reports):
        shares = across.lever_shares(recommendations, levers, reports).set_index(["lever", "report"])
        assert shares.loc[("a", "early"), "share_percent"] == pytest.approx(75.0)
        assert shares.loc[("a", "late"), "share_percent"] == pytest.approx(50.0)
        assert shares.loc[("c", "late"), "share_percent"] == pytest.approx(100.0)
        assert shares.loc[("a", "early"), "year"] == 2017

    def test_change_sorted_from_rise_to_fall(self, recommendations, levers, reports):
        change = across.change_between_ends(across.lever_shares(recommendations, levers, reports))
        assert change["lever"].tolist() == ["c", "a", "b"]
        assert change.iloc[0]["change"] == pytest.approx(100.0)
        assert change.iloc[-1]["change"] == pytest.approx(-50.0)
        assert change.set_index("lever").loc["a", "peak_year"] == 2017


class TestActorShares:
    def test_columns_sum_to_100_in_year_order(self, recommendations, reports):
        table = across.actor_shares(recommendations, reports)
        assert table.columns.tolist() == ["early", "late"]
        assert table["early"].sum() == pytest.approx(100.0)
        assert table.loc["x", "early"] == pytest.approx(75.0)


class TestPeakedInBetween:
    @staticmethod
    def shares(values):
        return pd.DataFrame({"lever": "a", "year": [2017, 2021, 2023, 2026][:len(values)], "share_percent": values})

    @pytest.mark.parametrize(("values", "expected"), [
        ([5.0, 40.0, 0.0, 0.0], True),
        ([0.0, 40.0, 0.0, 0.0], True),
        ([5.0, 40.0, 0.0, 1.0], False),   # comes back at the end
        ([50.0, 40.0, 0.0, 0.0], False),  # peak is at the start
        ([0.0, 0.0, 0.0, 0.0], False),
        ([0.0, 10.0], False),             # no middle with two reports
    ])
    def test_cases(self, values, expected):
        assert across.peaked_in_between(self.shares(values), "a") is expected


class TestShortReportLabel:
    def test_abbreviation_in_brackets_is_used(self):
        assert across.short_report_label("Institute for Public Policy Research (IPPR)", 2021) == "IPPR\n2021"

    def test_plain_name_is_kept(self):
        assert across.short_report_label("British Future", 2017) == "British Future\n2017"


class TestAllocate:
    def test_proportional_with_a_floor(self):
        assert across.allocate({"a": 34, "b": 10, "c": 9, "d": 10}, 48, 6) == {"a": 26, "b": 8, "c": 7, "d": 7}

    def test_small_stratum_is_raised_to_the_minimum(self):
        assert across.allocate({"big": 90, "small": 10}, 20, 6) == {"big": 14, "small": 6}

    def test_a_stratum_smaller_than_the_minimum_is_taken_whole(self):
        assert across.allocate({"big": 90, "tiny": 3}, 20, 6) == {"big": 17, "tiny": 3}

    def test_impossible_requests_are_refused(self):
        with pytest.raises(ValueError, match="larger than"):
            across.allocate({"a": 3}, 4, 1)
        with pytest.raises(ValueError, match="minimums"):
            across.allocate({"a": 10, "b": 10}, 10, 6)


class TestStratifiedSample:
    @pytest.fixture
    def frame(self):
        return pd.DataFrame({"recommendation_id": [f"r{i:02d}" for i in range(30)],
                             "report": ["x"] * 20 + ["y"] * 10})

    def test_sizes_and_reproducibility(self, frame):
        first = across.stratified_sample(frame, 12, 4, seed=7)
        assert first.groupby("report").size().to_dict() == {"x": 8, "y": 4}
        assert first["recommendation_id"].is_unique
        assert first.equals(across.stratified_sample(frame.sample(frac=1, random_state=1), 12, 4, seed=7))

    def test_another_seed_draws_differently(self, frame):
        assert (across.stratified_sample(frame, 12, 4, seed=7)["recommendation_id"].tolist()
                != across.stratified_sample(frame, 12, 4, seed=8)["recommendation_id"].tolist())

    def test_examples_are_the_codebooks(self):
        levers = pd.DataFrame({"lever": ["a"], "example": ["r1"]})
        actors = pd.DataFrame({"actor": ["x"], "example": ["r2"]})
        assert across.codebook_examples(levers, actors) == {"r1", "r2"}


class TestCodebookForCoder:
    @pytest.fixture
    def parts(self):
        levers = pd.DataFrame({"lever": ["a", "b"], "name": ["A", "B"], "definition": ["def a", "def b"],
                               "includes": ["in a", "in b"], "excludes": ["out a", "out b"], "example": ["r1", "r2"]})
        actors = pd.DataFrame({"actor": ["x"], "name": ["X"], "definition": ["def x"], "includes": ["in x"],
                               "excludes": ["out x"], "example": ["r1"]})
        rules = pd.DataFrame({"rule_id": ["U1", "L1", "A1"], "applies_to": ["unit", "lever", "actor"],
                              "title": ["t1", "t2", "t3"], "rule": ["unit rule", "lever rule", "actor rule"]})
        recs = pd.DataFrame({"recommendation_id": ["r1", "r2", "r3"], "report": ["katwala2017"] * 3,
                             "section": ["S"] * 3, "pointer": ["p1", "p2", "p3"], "summary": ["s1", "s2", "s3"],
                             "levers": ["a", "b", "a;b"], "actor": ["x", "x", "x"]})
        reports = pd.DataFrame({"report": list(across.REPORT_TEXT_FILES), "publisher": ["P"] * 4,
                                "year": [2017, 2021, 2023, 2026]})
        return levers, actors, rules, recs, reports

    def test_every_lever_actor_and_rule_is_there(self, parts):
        text = across.codebook_for_coder(*parts)
        for needle in ["`a`: A", "`b`: B", "`x`: X", "def a", "out b", "in x", "unit rule", "lever rule", "actor rule"]:
            assert needle in text

    def test_only_examples_are_named(self, parts):
        text = across.codebook_for_coder(*parts)
        assert "`r1`" in text and "`r2`" in text and "r3" not in text and "p3" not in text
