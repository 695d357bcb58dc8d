"""helpers.register: looking statistics up and the arithmetic derived from them."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.register import for_report, percent_change, statistic, value_of


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame({
        "stat_id": ["a-one", "a-two", "b-one"],
        "report": ["a", "a", "b"],
        "value": [10.0, 2.5, 7.0],
    })


class TestStatistic:
    def test_returns_the_row(self, register):
        assert statistic(register, "a-two")["value"] == 2.5

    def test_unknown_id_is_named(self, register):
        with pytest.raises(KeyError, match="no statistic with stat_id 'a-three'"):
            statistic(register, "a-three")

    def test_value_is_a_plain_float(self, register):
        assert type(value_of(register, "b-one")) is float


class TestForReport:
    def test_keeps_only_that_report_in_order(self, register):
        assert for_report(register, "a")["stat_id"].tolist() == ["a-one", "a-two"]


class TestPercentChange:
    @pytest.mark.parametrize(("old", "new", "expected"), [(200, 100, -50.0), (80, 100, 25.0), (5, 5, 0.0)])
    def test_change_relative_to_the_old_value(self, old, new, expected):
        assert percent_change(old, new) == pytest.approx(expected)

    def test_from_zero_is_undefined(self):
        with pytest.raises(ZeroDivisionError):
            percent_change(0, 1)
