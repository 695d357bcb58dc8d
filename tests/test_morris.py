"""helpers.morris: selecting learner counts by counting series, judging falls and naming gaps, on made-up tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import morris


@pytest.fixture
def learners() -> pd.DataFrame:
    # Deliberately out of time order, with two series.
    return pd.DataFrame({
        "academic_year": ["2016/17", "2006/07", "2015/16", "2005/06", "2013/14"],
        "learners": [115, 240, 110, 260, 150],
        "series": ["new", "old", "new", "old", "estimate"],
    })


class TestAcademicYear:
    def test_written_from_its_end_year(self):
        assert morris.academic_year(2017) == "2016/17"
        assert morris.academic_year(2000) == "1999/00"


class TestSeriesRows:
    def test_one_series_in_time_order(self, learners):
        rows = morris.series_rows(learners, "new")
        assert rows["academic_year"].tolist() == ["2015/16", "2016/17"]
        assert rows.index.tolist() == [0, 1]

    def test_unknown_series_names_those_held(self, learners):
        with pytest.raises(KeyError, match=r"'missing'.*\['estimate', 'new', 'old'\]"):
            morris.series_rows(learners, "missing")

    def test_every_series_the_chapter_names_is_a_series_of_the_data_file(self):
        from helpers.data import load

        assert set(load("esol_learners")["series"]) <= set(morris.SERIES_NAMES)


class TestBetween:
    def test_both_ends_included_whatever_the_series(self, learners):
        rows = morris.between(learners, "2006/07", "2015/16")
        assert rows["academic_year"].tolist() == ["2006/07", "2013/14", "2015/16"]


class TestEachLowerThanTheLast:
    def test_a_fall_at_every_step(self):
        assert morris.each_lower_than_the_last([3, 2, 1])

    def test_a_level_or_rising_step_is_not_a_fall(self):
        assert not morris.each_lower_than_the_last([3, 3, 1])
        assert not morris.each_lower_than_the_last([3, 1, 2])

    def test_one_value_has_no_step(self):
        with pytest.raises(ValueError, match="at least two"):
            morris.each_lower_than_the_last([1])


class TestMissingYears:
    def test_single_and_longer_gaps(self):
        years = ["2008/09", "2013/14", "2015/16", "2016/17", "2018/19", "2021/22"]
        assert morris.missing_years(years) == ["2009/10 to 2012/13", "2014/15", "2017/18", "2019/20 to 2020/21"]

    def test_no_gap(self):
        assert morris.missing_years(["2016/17", "2015/16"]) == []


class TestListed:
    @pytest.mark.parametrize("items, text", [(["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")])
    def test_prose_lists(self, items, text):
        assert morris.listed(items) == text

    def test_empty_list_refused(self):
        with pytest.raises(ValueError):
            morris.listed([])

