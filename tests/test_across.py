"""helpers.across: lever counts and shares on small made-up frames."""

from __future__ import annotations

import math

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


class TestWilsonInterval:
    @pytest.mark.parametrize(("k", "n", "low", "high"), [
        (5, 10, 0.2366, 0.7634),   # textbook values
        (0, 10, 0.0, 0.2775),      # stays inside [0, 1] where the Wald interval collapses to a point
        (10, 10, 0.7225, 1.0),
        (1, 1, 0.2065, 1.0),
    ])
    def test_known_values(self, k, n, low, high):
        assert across.wilson_interval(k, n) == pytest.approx((low, high), abs=1e-4)

    @pytest.mark.parametrize("n", [1, 3, 11, 12, 44])
    def test_bounds_at_zero_and_n_are_exact(self, n):
        assert across.wilson_interval(0, n)[0] == 0.0
        assert across.wilson_interval(n, n)[1] == 1.0

    def test_interval_holds_the_share(self):
        low, high = across.wilson_interval(7, 44)
        assert low < 7 / 44 < high

    @pytest.mark.parametrize(("k", "n"), [(1, 0), (-1, 5), (6, 5)])
    def test_impossible_counts_are_refused(self, k, n):
        with pytest.raises(ValueError):
            across.wilson_interval(k, n)

    def test_shares_carry_their_bounds_in_percent(self, recommendations, levers, reports):
        shares = across.shares_with_intervals(recommendations, levers, reports).set_index(["lever", "report"])
        row = shares.loc[("a", "early")]
        assert (row["low_percent"], row["high_percent"]) == pytest.approx(
            tuple(100 * v for v in across.wilson_interval(3, 4)))


class TestRowRules:
    @pytest.fixture
    def asks(self):
        return pd.DataFrame({"recommendation_id": ["x", "y", "z"], "report": ["early", "early", "late"],
                             "levers": ["a", "b", "a"], "repeats": [3, 0, 1]})

    @pytest.fixture
    def places(self):
        return pd.DataFrame({"recommendation_id": ["x", "x", "x", "z"], "place_id": ["p", "q", "r", "p"]})

    def test_weights(self, asks, places):
        assert across.row_weights(asks, places, "distinct").tolist() == [1, 1, 1]
        assert across.row_weights(asks, places, "per-place").tolist() == [3, 1, 1]
        assert across.row_weights(asks, places, "repeats").tolist() == [4, 1, 2]
        with pytest.raises(ValueError, match="unknown row rule"):
            across.row_weights(asks, places, "other")

    def test_sensitivity_shows_each_rule_and_the_shift(self, asks, places, levers, reports):
        table = across.sensitivity_table(asks, places, levers, reports).set_index(["lever", "report"])
        row = table.loc[("a", "early")]
        assert row["share_distinct"] == pytest.approx(50.0)
        assert row["share_per-place"] == pytest.approx(75.0)   # x counts 3 of 4 rows
        assert row["share_repeats"] == pytest.approx(80.0)     # x counts 4 of 5
        assert row["largest_shift"] == pytest.approx(30.0)
        assert row["rows_per-place"] == 4


class TestCohenKappa:
    def test_textbook_example(self):
        # 50 items: both yes 20, first yes only 5, second yes only 10, both no 15 -> p_o .7, p_e .5, kappa .4
        first = [True] * 25 + [False] * 25
        second = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
        assert across.cohen_kappa(first, second) == pytest.approx(0.4)

    def test_perfect_and_chance_level_agreement(self):
        assert across.cohen_kappa(["a", "b", "c"], ["a", "b", "c"]) == pytest.approx(1.0)
        assert across.cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)

    def test_undefined_when_both_always_give_the_same_label(self):
        assert math.isnan(across.cohen_kappa([False] * 5, [False] * 5))

    def test_lists_must_match(self):
        with pytest.raises(ValueError, match="same items"):
            across.cohen_kappa([1, 2], [1])
        with pytest.raises(ValueError, match="no items"):
            across.cohen_kappa([], [])


class TestAgreement:
    @pytest.fixture
    def codings(self):
        first = pd.DataFrame({"recommendation_id": ["r1", "r2", "r3", "r4"],
                              "levers": ["a;b", "a", "b", "c"], "actor": ["x", "x", "y", "y"]})
        second = pd.DataFrame({"recommendation_id": ["r4", "r3", "r2", "r1", "r9"],
                               "levers": ["c", "b;a", "a", "b ; a", "a"], "actor": ["y", "y", "y", "x", "x"]})
        return first, second

    def test_kappa_per_lever_and_actor_on_shared_asks(self, codings):
        table = across.agreement(*codings, ["a", "b", "c"]).set_index("field")
        assert table.loc["a", "asks"] == 4
        assert (table.loc["a", "first_count"], table.loc["a", "second_count"], table.loc["a", "agreed"]) == (2, 3, 3)
        assert table.loc["b", "kappa"] == pytest.approx(1.0)
        assert table.loc["actor", "agreed"] == 3
        assert table.loc["actor", "kappa"] == pytest.approx(across.cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]))

    def test_disagreements_are_listed_by_field(self, codings):
        listed = across.disagreements(*codings, ["a", "b", "c"])
        assert listed.values.tolist() == [["r2", "actor", "x", "y"], ["r3", "a", "absent", "present"]]

    def test_no_shared_ask_is_refused(self, codings):
        first, second = codings
        with pytest.raises(ValueError, match="share no ask"):
            across.agreement(first, second.assign(recommendation_id="zz"), ["a"])


class TestIntervalsAndSeparation:
    def test_actor_shares_in_codebook_order_with_zeros(self, recommendations, reports):
        actors = pd.DataFrame({"actor": ["y", "x", "z"]})
        table = across.actor_shares_with_intervals(recommendations, actors, reports)
        assert table["actor"].tolist() == ["y", "y", "x", "x", "z", "z"]
        assert table["report"].tolist()[:2] == ["early", "late"]
        row = table.set_index(["actor", "report"]).loc[("x", "early")]
        assert (row["addressed"], row["recommendations"]) == (3, 4)
        assert row["low_percent"] == pytest.approx(100 * across.wilson_interval(3, 4)[0])
        assert table.set_index(["actor", "report"]).loc[("z", "late"), "share_percent"] == 0

    def test_unknown_actor_is_refused(self, recommendations, reports):
        with pytest.raises(ValueError, match="not in the codebook"):
            across.actor_shares_with_intervals(recommendations, pd.DataFrame({"actor": ["x"]}), reports)

    def test_only_pairs_whose_intervals_do_not_overlap(self):
        shares = pd.DataFrame({
            "lever": ["a"] * 3 + ["b"] * 2, "report": ["r1", "r2", "r3", "r1", "r2"], "year": [1, 2, 3, 1, 2],
            "share_percent": [10, 80, 30, 10, 20], "low_percent": [5, 60, 15, 5, 12], "high_percent": [20, 95, 50, 20, 40]})
        pairs = across.separated_pairs(shares)
        assert pairs[["lever", "earlier", "later"]].values.tolist() == [["a", "r1", "r2"], ["a", "r2", "r3"]]
        assert pairs.iloc[1]["earlier_share"] == 80
