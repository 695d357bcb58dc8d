"""helpers.esol: the briefing's real-terms points beside the cash series, on small made-up tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import esol


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame({
        "stat_id": list(esol.REAL_TERMS_STATS),
        "period": ["2009/10", "2016/17"],
        "value": [120.0, 60.0],
    })


@pytest.fixture
def funding() -> pd.DataFrame:
    return pd.DataFrame({"academic_year": ["2008/09", "2009/10", "2016/17"], "amount_gbp_million": [110.0, 100.0, 60.0]})


class TestFundingComparison:
    def test_real_and_cash_changes(self, register, funding):
        table = esol.funding_comparison(register, funding).set_index("basis")
        assert table.loc["2016/17 prices", "percent_change"] == pytest.approx(-50.0)
        assert table.loc["cash", "percent_change"] == pytest.approx(-40.0)
        assert table.loc["cash", "from_gbp_million"] == 100.0

    def test_price_factor_is_real_over_cash_in_the_first_year(self, register, funding):
        assert esol.implied_price_factor(register, funding) == pytest.approx(1.2)

    def test_missing_cash_year_is_named(self, register, funding):
        with pytest.raises(KeyError, match="0 rows for 2009/10"):
            esol.funding_comparison(register, funding[funding["academic_year"] != "2009/10"])


class TestTimeAxis:
    def test_academic_year_sits_at_the_start_of_the_year_it_ends_in(self):
        assert esol.academic_year_end("2016/17") == 2017
        assert esol.academic_year_end("1999/00") == 2000
        assert esol.academic_year_position("2021/22") == 2022.0

    @pytest.mark.parametrize("text", ["2016/18", "2016-17", "16/17", "2016/17 "])
    def test_malformed_academic_year_is_refused(self, text):
        with pytest.raises(ValueError, match="not an academic year"):
            esol.academic_year_end(text)

    def test_report_sits_in_the_middle_of_its_year(self):
        assert esol.publication_position(2021) == 2021.5


@pytest.fixture
def recommendations() -> pd.DataFrame:
    return pd.DataFrame({
        "recommendation_id": ["r1", "r2", "r3", "r4"],
        "report": ["a", "a", "b", "b"],
        "actor": ["mayor/SA", "central government", "mayor/SA", "mayor/SA"],
        "levers": ["english-language", "employment;english-language;data-intelligence", "employment",
                   "english-language;employment"],
        "summary": ["Teach English at work.", "Retrain people.", "Jobs.", "More ESOL classes."],
    })


class TestThreadAsks:
    def test_only_asks_using_the_lever_with_main_lever_and_others(self, recommendations):
        asks = esol.thread_asks(recommendations)
        assert asks["recommendation_id"].tolist() == ["r1", "r2", "r4"]
        assert asks["main_lever"].tolist() == [True, False, True]
        assert asks["other_levers"].tolist() == ["", "employment;data-intelligence", "employment"]

    def test_the_thread_follows_english_teaching_not_adult_skills(self):
        assert esol.ESOL_LEVER == "english-language"

    def test_a_lever_is_matched_whole_not_as_part_of_a_name(self):
        recs = pd.DataFrame({"recommendation_id": ["x"], "report": ["a"], "actor": ["funders"],
                             "levers": ["english-language-extra"], "summary": ["s"]})
        assert esol.thread_asks(recs).empty

    def test_counts_by_actor_fill_missing_reports_and_actors_with_zero(self, recommendations):
        counts = esol.asks_by_actor(esol.thread_asks(recommendations), ["a", "b", "c"],
                                    ["mayor/SA", "central government", "funders"])
        assert counts.loc["mayor/SA"].tolist() == [1, 1, 0]
        assert counts.loc["central government"].tolist() == [1, 0, 0]
        assert counts.loc["funders"].tolist() == [0, 0, 0]

    def test_an_actor_outside_the_order_is_refused(self, recommendations):
        with pytest.raises(ValueError, match="central government"):
            esol.asks_by_actor(esol.thread_asks(recommendations), ["a", "b"], ["mayor/SA"])


class TestLearners:
    def test_reports_after_the_series_ended(self):
        reports = pd.DataFrame({"report": ["k", "m", "h"], "year": [2017, 2022, 2023]})
        later = esol.reports_after(["2015/16", "2021/22"], reports)
        assert later["report"].tolist() == ["h"]


class TestLearnerSeries:
    @pytest.fixture
    def learners(self):
        return pd.DataFrame({
            "academic_year": ["2005/06", "2006/07", "2008/09", "2013/14", "2015/16", "2018/19", "2021/22"],
            "learners": [266600, 243900, 210200, 155000, 110600, 120490, 123730],
            "qualifier": ["exact", "exact", "exact", "about", "exact", "exact", "exact"],
            "series": ["lsc", "lsc", "lsc-new", "aoc", "dfe", "dfe", "dfe"],
        })

    def test_academic_year_of_its_end(self):
        assert esol.academic_year_of(2017) == "2016/17"
        assert esol.academic_year_of(2000) == "1999/00"

    def test_missing_runs_between_rows(self, learners):
        assert esol.missing_runs(learners["academic_year"].tolist()) == [
            ("2007/08", "2007/08"), ("2009/10", "2012/13"), ("2014/15", "2014/15"), ("2016/17", "2017/18"),
            ("2019/20", "2020/21")]
        assert esol.missing_runs(["2016/17", "2015/16"]) == []

    def test_series_starts(self, learners):
        assert esol.series_starts(learners) == [("2008/09", "lsc-new"), ("2013/14", "aoc"), ("2015/16", "dfe")]

    def test_change_is_computed_within_one_series_only(self, learners):
        change = esol.change_within_series(learners, "dfe")
        assert (change["first_year"], change["last_year"]) == ("2015/16", "2021/22")
        assert change["change_percent"] == pytest.approx((123730 - 110600) / 110600 * 100)

    def test_a_single_or_approximate_series_gives_no_change(self, learners):
        with pytest.raises(ValueError, match="a change needs two"):
            esol.change_within_series(learners, "lsc-new")
        with pytest.raises(ValueError, match="approximate"):
            esol.change_within_series(pd.concat([learners, learners.iloc[[3]].assign(academic_year="2014/15")]), "aoc")
