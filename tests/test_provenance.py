"""helpers.provenance: glued numbers, figure and table publishing with captions, sources and downloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import plots, provenance


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


class TestValueWithUnit:
    @pytest.mark.parametrize(("value", "unit", "qualifier", "text"), [
        (36.0, "percent", "exact", "36%"), (50000.0, "GBP", "up to", "up to £50,000"),
        (220.0, "GBP million", "exact", "£220m"), (6.0, "GBP billion", "exact", "£6bn"),
        (3.0, "years", "at least", "at least 3 years"), (2025.0, "year", "exact", "2025"),
        (17.0, "count", "exact", "17"), (66.7, "percent", "about", "about 66.7%"), (12.0, "months", "exact", "12 months")])
    def test_units_read_naturally(self, value, unit, qualifier, text):
        assert provenance.value_with_unit(value, unit, qualifier) == text


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
        data = pd.DataFrame({"label": ["a", "b"], "value": [1, 2]})
        shown = provenance.publish_figure(self.draw(), "probe", data=data, alt="Two bars,\n a and b.",
                                          caption="A probe.", sources=["{cite:t}`x`"])
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
            provenance.publish_figure(self.draw(), "probe", data=pd.DataFrame(), alt=" ", caption="c", sources=[])


class TestPublishTable:
    def test_downloads_the_plain_data_not_the_formatted_view(self, in_project):
        data = pd.DataFrame({"value": [1000.0]})
        view = pd.DataFrame({"Value": ["£1,000"]})
        shown = provenance.publish_table(view, "probe-table", caption="Probe.", sources=["a", "a", "b"], data=data)
        assert pd.read_csv(in_project / "_build" / "generated" / "probe-table.csv").equals(data)
        assert shown.data.startswith("````{table} Probe.\n:name: tbl-probe-table\n")
        assert "Sources: a; b." in shown.data
