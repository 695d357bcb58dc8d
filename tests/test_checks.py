"""helpers.checks: tracing generated CSVs back to the data, and comparing figure hashes."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import checks


@pytest.fixture
def resources():
    register = pd.DataFrame({"stat_id": ["a-x", "a-y"], "value": [227.0, 99.0], "unit": ["GBP million", "percent"]})
    funding = pd.DataFrame({"academic_year": ["2009/10", "2016/17"], "route": ["esol", "esol"], "amount": [203.0, 99.0]})
    places = pd.DataFrame({"place_id": ["gm"], "kind": ["city region"]})
    initiatives = pd.DataFrame({"initiative_id": ["abc"], "place_id": ["gm"], "kind": ["local policy"]})
    return {"statistics": checks.Resource(register.astype(object), ["stat_id"]),
            "funding": checks.Resource(funding.astype(object), ["academic_year", "route"]),
            "places": checks.Resource(places.astype(object), ["place_id"]),
            "initiatives": checks.Resource(initiatives.astype(object), ["initiative_id"],
                                           [{"fields": ["place_id"], "reference": {"resource": "places",
                                                                                   "fields": ["place_id"]}}])}


def shown(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=str)


class TestTraceTable:
    def test_matching_register_rows_pass(self, resources):
        assert checks.trace_table("f", shown(stat_id=["a-y", "a-x"], value=["99.0", "227"]), resources) == []

    def test_a_changed_value_is_named_with_row_and_column(self, resources):
        problems = checks.trace_table("fig", shown(stat_id=["a-x"], value=["228"]), resources)
        assert problems == ["fig.csv row 1, column 'value': shows '228', 'statistics' has 227.0"]

    def test_an_unknown_key_among_known_ones_is_reported(self, resources):
        problems = checks.trace_table("fig", shown(stat_id=["a-x", "a-z"], value=["227", "1"]), resources)
        assert problems == ["fig.csv row 2: {'stat_id': 'a-z'} is not in 'statistics'"]

    def test_a_csv_whose_keys_are_all_unknown_is_untraceable(self, resources):
        problems = checks.trace_table("fig", shown(stat_id=["a-z"], value=["1"]), resources)
        assert len(problems) == 1 and "no column can be traced" in problems[0]

    def test_a_coincidental_key_match_is_not_taken_for_the_source(self, resources):
        # One year in common with the funding table, but most rows are from elsewhere: not its source.
        table = shown(academic_year=["2009/10", "2030/31", "2031/32"], route=["esol"] * 3, amount=["1", "2", "3"],
                      stat_id=["a-x", "a-x", "a-y"], value=["227", "227", "99"])
        assert checks.trace_table("f", table, resources) == []

    def test_composite_keys_and_rows_belonging_to_another_table(self, resources):
        table = shown(academic_year=["2009/10", "2020/21"], route=["esol", ""], amount=["203", ""])
        assert checks.trace_table("f", table, resources) == []

    def test_untraceable_csv_fails(self, resources):
        problems = checks.trace_table("fig", shown(year=["2009/10"], gbp=["227"]), resources)
        assert problems and "no column can be traced" in problems[0]


    def test_a_place_named_by_a_foreign_key_is_not_taken_for_the_source(self, resources):
        table = shown(initiative_id=["abc"], place_id=["gm"], kind=["local policy"])
        assert checks.trace_table("f", table, resources) == []

    def test_without_the_foreign_key_the_clash_would_show(self, resources):
        resources["initiatives"] = checks.Resource(resources["initiatives"].frame, ["initiative_id"])
        table = shown(initiative_id=["abc"], place_id=["gm"], kind=["local policy"])
        assert checks.trace_table("f", table, resources) == [
            "f.csv row 1, column 'kind': shows 'local policy', 'places' has 'city region'"]


class TestSameValue:
    @pytest.mark.parametrize(("text", "stored", "same"), [
        ("0.1", 0.1, True), ("0.10000000001", 0.1, True), ("0.11", 0.1, False), ("true", True, True),
        ("True", True, True), ("false", True, False), ("", None, True), ("x", None, False), ("ab", "ab", True),
        ("n/a", 3.0, False)])
    def test_cells(self, text, stored, same):
        assert checks.same_value(text, stored) is same


class TestCompareHashes:
    def test_changed_new_and_missing_figures_are_each_named(self):
        problems = checks.compare_hashes({"a": "1" * 64, "b": "2" * 64, "c": "3" * 64},
                                         {"a": "1" * 64, "b": "9" * 64, "d": "4" * 64})
        assert problems == [
            "figure 'b' changed (recorded 999999999999, built 222222222222)",
            "figure 'c' is new: not in tests/recorded_figures.json",
            "figure 'd' is recorded but was not built",
        ]

    def test_identical_sets_pass(self):
        assert checks.compare_hashes({"a": "1"}, {"a": "1"}) == []


class TestTraceExtensionTable:
    """A table whose primary key is also a foreign key adds columns to another's rows, one for one."""

    @pytest.fixture
    def extended(self, resources):
        themes = pd.DataFrame({"stat_id": ["a-x"], "theme": ["Funding"]})
        resources["themes"] = checks.Resource(themes.astype(object), ["stat_id"], [
            {"fields": ["stat_id"], "reference": {"resource": "statistics", "fields": ["stat_id"]}}])
        return resources

    def test_both_tables_are_sources(self, extended):
        table = shown(stat_id=["a-x"], theme=["Funding"], value=["227"])
        assert checks.trace_table("f", table, extended) == []

    def test_a_changed_value_of_the_extended_table_is_still_caught(self, extended):
        table = shown(stat_id=["a-x"], theme=["Funding"], value=["228"])
        assert checks.trace_table("f", table, extended) == [
            "f.csv row 1, column 'value': shows '228', 'statistics' has 227.0"]

    def test_a_changed_extension_column_is_caught(self, extended):
        table = shown(stat_id=["a-x"], theme=["Demand"], value=["227"])
        assert checks.trace_table("f", table, extended) == [
            "f.csv row 1, column 'theme': shows 'Demand', 'themes' has 'Funding'"]
