"""helpers.provenance: glued numbers, figure and table publishing with captions, sources and downloads."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import plots, provenance
from helpers.data import DataError


class TestPlainNumber:
    @pytest.mark.parametrize(("value", "expected", "kind"), [
        (np.float64(46.25), 46.25, float), (np.int64(7), 7, int), (3.0, 3, int), (0.5, 0.5, float)])
    def test_numpy_scalars_become_builtins(self, value, expected, kind):
        result = provenance.plain_number(value)
        assert result == expected and type(result) is kind

    @pytest.mark.parametrize("value", ["12", True, None])
    def test_non_numbers_are_refused(self, value):
        with pytest.raises(TypeError):
            provenance.plain_number(value)


class TestCiteStatistic:
    def test_names_report_section_and_cited_source(self):
        row = pd.Series({"report": "morris2021", "section": "Conclusion", "primary_source": "hcl2018"})
        assert provenance.cite_statistic(row) == "{cite:t}`morris2021`, section *Conclusion*, citing {cite:t}`hcl2018`"

    def test_report_citing_itself_is_not_repeated(self):
        row = pd.Series({"report": "morris2021", "section": "Conclusion", "primary_source": "morris2021"})
        assert "citing" not in provenance.cite_statistic(row)


class TestPipeTable:
    def test_header_rule_rows_and_escaped_pipes(self):
        table = pd.DataFrame({"a": ["x|y", None], "b": [1, 2]})
        assert provenance.pipe_table(table).splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y | 1 |", "|  | 2 |"]


@pytest.fixture
def in_project(project_copy, monkeypatch):
    monkeypatch.setenv("COMPENDIUM_ROOT", str(project_copy))
    return project_copy


class TestPublishFigure:
    def draw(self):
        fig, ax = plots.new_figure()
        plots.vertical_bars(ax, ["a", "b"], [1, 2], value_labels=["1", "2"])
        return fig

    def test_writes_svg_and_csv_and_returns_a_captioned_figure(self, in_project):
        data = pd.DataFrame({"stat_id": ["a", "b"], "value": [1, 2]})
        shown = provenance.publish_figure(self.draw(), "probe", data=data, drawn_from={"statistics": "stat_id"},
                                          alt="Two bars,\n a and b.", caption="A probe.", sources=["{cite:t}`x`"])
        generated = in_project / "_build" / "generated"
        assert (generated / "probe.svg").read_text().startswith("<?xml")
        assert pd.read_csv(generated / "probe.csv").equals(data)
        lines = shown.data.splitlines()
        assert lines[0] == "```{figure} /_build/generated/probe.svg"
        assert ":alt: Two bars, a and b." in lines
        assert ":name: fig-probe" in lines
        assert "A probe. Source: {cite:t}`x`. {download}`Download the data behind this figure (CSV) " \
               "</_build/generated/probe.csv>`" in lines

    def test_empty_alt_text_is_refused(self, in_project):
        with pytest.raises(ValueError, match="needs alt text"):
            provenance.publish_figure(self.draw(), "probe", data=pd.DataFrame({"stat_id": []}),
                                      drawn_from={"statistics": "stat_id"}, alt=" ", caption="c", sources=[])


class TestPublishTable:
    def test_downloads_the_plain_data_not_the_formatted_view(self, in_project):
        data = pd.DataFrame({"stat_id": ["x"], "value": [1000.0]})
        view = pd.DataFrame({"Value": ["£1,000"]})
        shown = provenance.publish_table(view, "probe-table", caption="Probe.", sources=["a", "a", "b"], data=data,
                                         drawn_from={"statistics": "stat_id"})
        assert pd.read_csv(in_project / "_build" / "generated" / "probe-table.csv").equals(data)
        assert shown.data.startswith("````{table} Probe.\n:name: tbl-probe-table\n")
        assert "Sources: a; b." in shown.data


class TestProvenanceRecord:
    """Beside each CSV, a record of which resources its rows come from, keyed by which columns."""

    def test_the_record_names_resources_and_key_columns(self, in_project):
        data = pd.DataFrame({"academic_year": ["2009/10"], "funding_route": ["x"], "learners_year": ["2016/17"]})
        provenance.write_generated_csv(data, "probe", drawn_from={
            "esol_funding": ["academic_year", "funding_route"], "esol_learners": {"academic_year": "learners_year"}})
        record = json.loads((in_project / "_build" / "generated" / "probe.provenance.json").read_text())
        assert record == {"csv": "probe.csv", "drawn_from": [
            {"resource": "esol_funding", "key": {"academic_year": "academic_year", "funding_route": "funding_route"}},
            {"resource": "esol_learners", "key": {"academic_year": "learners_year"}}]}

    @pytest.mark.parametrize(("drawn_from", "message"), [
        ({}, "say which data-package resources"),
        ({"statisticz": "stat_id"}, "no resource named 'statisticz'"),
        ({"esol_funding": "academic_year"}, r"has the key \['academic_year', 'funding_route'\]"),
        ({"statistics": "id"}, r"the data has no column \['id'\]"),
    ])
    def test_a_record_that_cannot_be_looked_up_is_refused(self, in_project, drawn_from, message):
        with pytest.raises((ValueError, DataError), match=message):
            provenance.write_generated_csv(pd.DataFrame({"stat_id": ["a"]}), "probe", drawn_from=drawn_from)
        assert not (in_project / "_build" / "generated" / "probe.csv").exists()
