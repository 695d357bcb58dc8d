"""bookbuild.checks: looking every generated CSV row up in the data its provenance record names, and
comparing figure hashes."""

from __future__ import annotations

import pandas as pd
import pytest

from bookbuild import checks


@pytest.fixture
def resources():
    register = pd.DataFrame({"stat_id": ["a-x", "a-y"], "value": [227.0, 99.0], "unit": ["GBP million", "percent"]})
    funding = pd.DataFrame({"academic_year": ["2009/10", "2016/17"], "route": ["esol", "esol"], "amount": [203.0, 99.0]})
    learners = pd.DataFrame({"academic_year": ["2016/17"], "learners": [114400]})
    return {"statistics": checks.Resource(register.astype(object), ["stat_id"]),
            "funding": checks.Resource(funding.astype(object), ["academic_year", "route"]),
            "learners": checks.Resource(learners.astype(object), ["academic_year"])}


def shown(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=str)


def record(*sources) -> dict:
    """A provenance record as helpers.provenance writes it: (resource, {key field: column}) pairs."""
    return {"drawn_from": [{"resource": name, "key": key} for name, key in sources]}


REGISTER = ("statistics", {"stat_id": "stat_id"})


class TestCheckRecorded:
    def test_matching_register_rows_pass(self, resources):
        table = shown(stat_id=["a-y", "a-x"], value=["99.0", "227"])
        assert checks.check_recorded("f", table, record(REGISTER), resources) == []

    def test_a_changed_value_is_named_with_row_and_column(self, resources):
        problems = checks.check_recorded("fig", shown(stat_id=["a-x"], value=["228"]), record(REGISTER), resources)
        assert problems == ["fig.csv row 1, column 'value': shows '228', 'statistics' has 227.0"]

    def test_an_unknown_key_is_reported(self, resources):
        problems = checks.check_recorded("fig", shown(stat_id=["a-x", "a-z"], value=["227", "1"]), record(REGISTER),
                                         resources)
        assert problems == ["fig.csv row 2: {'stat_id': 'a-z'} is not in 'statistics'"]

    def test_computed_columns_are_not_compared(self, resources):
        table = shown(stat_id=["a-x"], value=["227"], share_of_total=["0.7"])
        assert checks.check_recorded("f", table, record(REGISTER), resources) == []

    def test_composite_keys_and_rows_from_another_source_side_by_side(self, resources):
        table = shown(academic_year=["2009/10", ""], route=["esol", ""], amount=["203", ""],
                      learners_year=["", "2016/17"], learners=["", "114400"])
        sources = record(("funding", {"academic_year": "academic_year", "route": "route"}),
                         ("learners", {"academic_year": "learners_year"}))
        assert checks.check_recorded("f", table, sources, resources) == []

    def test_a_renamed_key_still_checks_the_shared_columns(self, resources):
        table = shown(learners_year=["2016/17"], learners=["114401"])
        problems = checks.check_recorded("f", table, record(("learners", {"academic_year": "learners_year"})),
                                         resources)
        assert problems == ["f.csv row 1, column 'learners': shows '114401', 'learners' has 114400"]

    def test_a_source_none_of_whose_rows_appears_is_reported(self, resources):
        table = shown(stat_id=["a-x"], value=["227"], academic_year=[""], route=[""])
        problems = checks.check_recorded("f", table, record(REGISTER, ("funding", {"academic_year": "academic_year",
                                                                                   "route": "route"})), resources)
        assert problems == ["f.csv: no row carries a key of 'funding', which its record names"]

    def test_an_empty_record_fails(self, resources):
        assert checks.check_recorded("f", shown(stat_id=["a-x"]), record(), resources) == [
            "f.csv: its provenance record names no resource"]

    def test_a_record_naming_a_missing_column_fails(self, resources):
        problems = checks.check_recorded("f", shown(value=["227"]), record(REGISTER), resources)
        assert problems == ["f.csv: its record keys 'statistics' by ['stat_id'], which it does not have"]


class TestTraceGenerated:
    def test_a_csv_without_a_record_fails(self, project_copy, monkeypatch):
        generated = project_copy / "_build" / "generated"
        generated.mkdir(parents=True)
        (generated / "orphan.csv").write_text("stat_id,value\nmorris2021-policy-areas,3\n")
        checked, problems = checks.trace_generated(project_copy)
        assert checked == 0 and problems and "orphan.csv: no provenance record" in problems[0]


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
