"""helpers.plots: the house style, plot helpers that draw on a given ax, deterministic files."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.colors import to_rgb

from helpers import plots


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


class TestHouseStyle:
    def test_style_applies_pinned_font_and_fixed_svg_salt(self):
        matplotlib.rcdefaults()
        plots.use_house_style()
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        assert matplotlib.rcParams["svg.hashsalt"] == "integration-compendium"

    def test_text_colours_are_readable_on_white(self):
        # WCAG AA asks 4.5:1 for normal text.
        assert contrast_with_white(plots.INK) >= 4.5
        assert contrast_with_white(plots.MUTED) >= 4.5

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


class TestHeatmap:
    def test_one_cell_per_value_labelled_and_dark_cells_get_white_text(self):
        fig, ax = plots.new_figure()
        plots.heatmap(ax, ["r1", "r2"], ["c1", "c2", "c3"], [[0, 1, 2], [3, 4, 10]])
        assert ax.images[0].get_array().shape == (2, 3)
        labels = [t.get_text() for t in ax.texts]
        assert labels == ["0", "1", "2", "3", "4", "10"]
        colours = {t.get_text(): t.get_color() for t in ax.texts}
        assert colours["10"] == "white" and colours["0"] == plots.INK
        assert [t.get_text() for t in ax.get_xticklabels()] == ["c1", "c2", "c3"]
        matplotlib.pyplot.close(fig)

    def test_ragged_values_are_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="one row per row label"):
            plots.heatmap(ax, ["r1", "r2"], ["c1"], [[1], [2, 3]])
        matplotlib.pyplot.close(fig)


class TestSmallLine:
    def test_line_points_labels_and_shared_limits(self):
        fig, ax = plots.new_figure()
        plots.small_line(ax, [2017, 2021], [10.0, 30.0], title="t", value_labels=["10%", "30%"], ylim=(0, 60))
        assert list(ax.get_lines()[0].get_ydata()) == [10.0, 30.0]
        assert [t.get_text() for t in ax.texts] == ["10%", "30%"]
        assert ax.get_ylim() == (0, 60)
        matplotlib.pyplot.close(fig)

    def test_mismatched_lengths_are_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="same length"):
            plots.small_line(ax, [1, 2], [1.0], title="t", value_labels=["a", "b"], ylim=(0, 1))
        matplotlib.pyplot.close(fig)
