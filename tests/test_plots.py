"""helpers.plots: the house style, plot helpers that draw on a given ax, deterministic files."""

from __future__ import annotations

import matplotlib
import pytest

from helpers import plots


class TestHouseStyle:
    def test_style_applies_pinned_font_and_fixed_svg_salt(self):
        matplotlib.rcdefaults()
        plots.use_house_style()
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        assert matplotlib.rcParams["svg.hashsalt"] == "integration-compendium"

    def test_palette_colours_are_distinct(self):
        assert len(set(plots.PALETTE.values())) == len(plots.PALETTE)


class TestHorizontalBars:
    def test_draws_one_labelled_bar_per_value_in_reading_order(self):
        fig, ax = plots.new_figure()
        plots.horizontal_bars(ax, ["a", "b", "c"], [3, 1, 2], value_labels=["3", "1", "2"])
        widths = [patch.get_width() for patch in ax.patches]
        assert widths == [3, 1, 2]
        tick_labels = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
        assert [tick_labels[y] for y in sorted(tick_labels, reverse=True)] == ["a", "b", "c"]
        assert [t.get_text() for t in ax.texts] == ["3", "1", "2"]
        matplotlib.pyplot.close(fig)

    def test_mismatched_lengths_are_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="same length"):
            plots.horizontal_bars(ax, ["a", "b"], [1], value_labels=["1"])
        matplotlib.pyplot.close(fig)


class TestVerticalBars:
    def test_bar_heights_and_labels(self):
        fig, ax = plots.new_figure()
        plots.vertical_bars(ax, ["x", "y"], [227, 99], value_labels=["£227m", "£99m"])
        assert [p.get_height() for p in ax.patches] == [227, 99]
        assert [t.get_text() for t in ax.texts] == ["£227m", "£99m"]
        matplotlib.pyplot.close(fig)


class TestSeriesWithPoints:
    def test_series_and_points_on_the_same_categorical_axis(self):
        fig, ax = plots.new_figure()
        plots.series_with_points(ax, ["2008/09", "2009/10", "2016/17"], [212.3, 203, 99], series_label="cash",
                                 points_x=["2009/10", "2016/17"], points_y=[227, 99], points_label="real")
        series, points = ax.get_lines()
        assert list(series.get_ydata()) == [212.3, 203, 99]
        assert list(points.get_ydata()) == [227, 99]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cash", "real"]
        matplotlib.pyplot.close(fig)

    def test_point_at_a_period_outside_the_series_is_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="not in the series"):
            plots.series_with_points(ax, ["2008/09"], [1.0], series_label="s", points_x=["1999/00"], points_y=[2.0])
        matplotlib.pyplot.close(fig)


class TestSaveSvg:
    @staticmethod
    def draw():
        fig, ax = plots.new_figure()
        plots.vertical_bars(ax, ["a", "b"], [1, 2], value_labels=["1", "2"])
        return fig

    def test_same_figure_gives_same_bytes(self, tmp_path):
        first = plots.save_svg(self.draw(), tmp_path / "one.svg").read_bytes()
        second = plots.save_svg(self.draw(), tmp_path / "two.svg").read_bytes()
        assert first == second

    def test_no_date_is_written(self, tmp_path):
        text = plots.save_svg(self.draw(), tmp_path / "f.svg").read_text()
        assert "<dc:date>" not in text

    def test_different_data_gives_different_bytes(self, tmp_path):
        first = plots.save_svg(self.draw(), tmp_path / "one.svg").read_bytes()
        fig, ax = plots.new_figure()
        plots.vertical_bars(ax, ["a", "b"], [1, 3], value_labels=["1", "3"])
        assert plots.save_svg(fig, tmp_path / "two.svg").read_bytes() != first


class TestReferenceLine:
    def test_vertical_line_at_the_value_with_its_label(self):
        fig, ax = plots.new_figure()
        plots.horizontal_bars(ax, ["a", "b"], [10, 20], value_labels=["10", "20"])
        plots.reference_line(ax, 13.3, "UK 13.3%")
        line = ax.get_lines()[-1]
        assert list(line.get_xdata()) == [13.3, 13.3]
        assert "UK 13.3%" in [t.get_text() for t in ax.texts]
        matplotlib.pyplot.close(fig)

    def test_unknown_axis_is_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="axis"):
            plots.reference_line(ax, 1.0, "x", axis="z")
        matplotlib.pyplot.close(fig)


class TestBarMarkers:
    def test_markers_sit_on_the_bars_in_order_and_skip_missing(self):
        fig, ax = plots.new_figure()
        plots.horizontal_bars(ax, ["a", "b", "c"], [1, 2, 3], value_labels=["1", "2", "3"])
        plots.bar_markers(ax, [0.5, None, 4.0], label="quoted")
        line = ax.get_lines()[-1]
        assert list(line.get_xdata()) == [0.5, 4.0]
        assert list(line.get_ydata()) == [2, 0]  # first label on top
        assert ax.get_xlim()[1] >= 4.0
        matplotlib.pyplot.close(fig)

    def test_nothing_to_mark_is_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="no values"):
            plots.bar_markers(ax, [None], label="q")
        matplotlib.pyplot.close(fig)


class TestPairedHorizontalBars:
    def test_two_bars_per_label_with_formatted_values(self):
        fig, ax = plots.new_figure()
        plots.paired_horizontal_bars(ax, ["employment", "health"], [58.3, 6.9], [62.1, 5.4],
                                     first_label="Oldham", second_label="England")
        widths = sorted(p.get_width() for p in ax.patches)
        assert widths == [5.4, 6.9, 58.3, 62.1]
        texts = [t.get_text() for t in ax.texts]
        assert {"58.3%", "62.1%", "6.9%", "5.4%"} <= set(texts)
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Oldham", "England"]
        matplotlib.pyplot.close(fig)

    def test_lengths_must_match(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="same length"):
            plots.paired_horizontal_bars(ax, ["a"], [1, 2], [3], first_label="x", second_label="y")
        matplotlib.pyplot.close(fig)
