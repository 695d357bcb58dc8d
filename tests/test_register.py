"""helpers.register: looking statistics up and the arithmetic derived from them."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.register import (format_statistic, format_value, for_report, number_text, percent_change, statistic,
                              value_of)


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


class TestFormatValue:
    """What the {stat} role and every register table print for a value."""

    @pytest.mark.parametrize(("value", "unit", "qualifier", "text"), [
        (15.0, "percent", "about", "about 15%"), (227.0, "GBP million", "exact", "£227 million"),
        (650.0, "people", "about", "about 650 people"), (1.7, "GBP million", "exact", "£1.7 million"),
        (36.0, "percent", "exact", "36%"), (50000.0, "GBP", "up to", "up to £50,000"),
        (6.0, "GBP billion", "exact", "£6 billion"), (3.0, "years", "at least", "at least 3 years"),
        (1.0, "years", "exact", "1 year"), (2025.0, "year", "exact", "2025"), (17.0, "count", "exact", "17"),
        (66.7, "percent", "about", "about 66.7%"), (12.0, "months", "exact", "12 months"),
        (2.0, "qualification level", "up to", "up to level 2"), (24.3, "percentage points", "exact",
                                                                   "24.3 percentage points"),
        (10.58, "GBP", "exact", "£10.58"), (5.0, "ratio", "exact", "5 times"), (177.0, "percent change", "exact", "177%"),
        (500.0, "square miles", "nearly", "nearly 500 square miles"), (1.0, "people", "exact", "1 person")])
    def test_units_and_qualifiers_read_naturally(self, value, unit, qualifier, text):
        assert format_value(value, unit, qualifier) == text

    @pytest.mark.parametrize(("value", "unit", "text"), [
        (10_000_000.0, "people", "10 million"), (2_756_000.0, "people", "2,756,000"), (1_000_000.0, "people", "1 million"),
        (73685.0, "people", "73,685"), (2001.0, "year", "2001")])
    def test_no_false_precision_and_no_separator_in_years(self, value, unit, text):
        assert number_text(value, unit) == text

    def test_qualifier_can_be_left_to_the_sentence(self):
        assert format_value(15.0, "percent", "about", qualified=False) == "15%"

    def test_rounding_on_request(self):
        assert format_value(56.4, "percent", "exact", spec=".0f") == "56%"
        assert format_value(48571.43, "GBP", "about", spec=",.0f") == "about £48,571"

    def test_number_only(self):
        assert format_value(2756000.0, "people", "about", number_only=True) == "2,756,000"

    def test_unknown_unit_is_refused_by_name(self):
        with pytest.raises(ValueError, match="unknown unit 'furlongs'"):
            format_value(1.0, "furlongs")

    def test_a_register_row(self):
        row = pd.Series({"value": 10_000_000.0, "unit": "people", "qualifier": "nearly"})
        assert format_statistic(row) == "nearly 10 million people"
