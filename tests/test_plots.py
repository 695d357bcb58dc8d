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


class TestStageSequence:
    def test_one_box_per_stage_with_its_title_and_arrows_between(self):
        fig, ax = plots.new_figure()
        plots.stage_sequence(ax, ["first", "second", "third"], ["a", "b", "c"])
        boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
        arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
        assert len(boxes) == 3 and len(arrows) == 2
        texts = [t.get_text() for t in ax.texts]
        assert texts[0::2] == ["first", "second", "third"]
        assert [b.get_x() for b in boxes] == sorted(b.get_x() for b in boxes)
        matplotlib.pyplot.close(fig)

    def test_long_descriptions_are_wrapped(self):
        fig, ax = plots.new_figure()
        plots.stage_sequence(ax, ["only"], ["word " * 30], wrap=20)
        assert all(len(line) <= 20 for line in ax.texts[1].get_text().splitlines())
        matplotlib.pyplot.close(fig)

    def test_mismatched_lengths_are_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="same length"):
            plots.stage_sequence(ax, ["a", "b"], ["only one"])
        matplotlib.pyplot.close(fig)


class TestHeatmap:
    def test_cells_hold_the_values_in_row_and_column_order(self):
        fig, ax = plots.new_figure()
        plots.heatmap(ax, [[0, 2, 1], [3, 0, 0]], row_labels=["r1", "r2"], column_labels=["a", "b", "c"])
        assert ax.images[0].get_array().tolist() == [[0, 2, 1], [3, 0, 0]]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["r1", "r2"]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
        # zeros are left blank, other counts written in their cell
        assert [t.get_text() for t in ax.texts] == ["", "2", "1", "3", "", ""]
        matplotlib.pyplot.close(fig)

    def test_whole_numbers_get_one_colour_step_each(self):
        fig, ax = plots.new_figure()
        plots.heatmap(ax, [[0, 1], [2, 3]], row_labels=["x", "y"], column_labels=["p", "q"])
        image = ax.images[0]
        colours = {tuple(image.to_rgba(v)) for v in (0, 1, 2, 3)}
        assert len(colours) == 4
        matplotlib.pyplot.close(fig)

    def test_given_cell_labels_are_used(self):
        fig, ax = plots.new_figure()
        plots.heatmap(ax, [[1, 0]], row_labels=["x"], column_labels=["p", "q"], cell_labels=[["yes", "no"]])
        assert [t.get_text() for t in ax.texts] == ["yes", "no"]
        matplotlib.pyplot.close(fig)

    def test_shape_that_does_not_match_the_labels_is_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="one row per row label"):
            plots.heatmap(ax, [[1, 2]], row_labels=["x", "y"], column_labels=["p", "q"])
        matplotlib.pyplot.close(fig)


    def test_small_counts_get_one_colour_step_each_and_large_ones_a_continuous_scale(self):
        from matplotlib.colors import BoundaryNorm

        fig, (small, large) = plots.new_figure(1, 2)
        plots.heatmap(small, [[0, 3]], row_labels=["x"], column_labels=["p", "q"])
        plots.heatmap(large, [[0, 30]], row_labels=["x"], column_labels=["p", "q"])
        assert isinstance(small.images[0].norm, BoundaryNorm)
        assert not isinstance(large.images[0].norm, BoundaryNorm)
        matplotlib.pyplot.close(fig)

class TestTimeline:
    def test_items_run_top_to_bottom_with_bars_only_where_an_end_is_known(self):
        fig, ax = plots.new_figure()
        plots.timeline(ax, ["a", "b", "c"], [2005, 2016, 2018], ends=[None, 2019, None],
                       groups=["g1", "g2", "g1"])
        ticks = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
        assert [ticks[y] for y in sorted(ticks, reverse=True)] == ["a", "b", "c"]
        bars = [line for line in ax.get_lines() if line.get_linewidth() == 5]
        assert len(bars) == 1 and list(bars[0].get_xdata()) == [2016, 2019]
        dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
        assert [line.get_xdata()[0] for line in dots] == [2005, 2016, 2018]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["g1", "g2"]
        matplotlib.pyplot.close(fig)

    def test_same_group_same_colour(self):
        fig, ax = plots.new_figure()
        plots.timeline(ax, ["a", "b"], [2000, 2001], groups=["g", "g"], group_colors={"g": "#123456"})
        assert {line.get_color() for line in ax.get_lines()} == {"#123456"}
        matplotlib.pyplot.close(fig)

    def test_an_item_ending_before_it_starts_is_refused(self):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match="ending before they start"):
            plots.timeline(ax, ["a"], [2010], ends=[2005])
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


class TestDatedSeries:
    def test_points_gaps_and_events(self):
        import math

        fig, ax = plots.new_figure()
        plots.dated_series(ax, [2009.0, 2010.0, 2014.0], [200.0, 190.0, 140.0], label="s",
                           value_labels=["a", "b", "c"], max_step=1.5, events=[2012.5],
                           event_labels=["report"])
        solid = [line for line in ax.get_lines() if line.get_label() == "s"][0]
        xs = list(solid.get_xdata())
        assert xs[:2] == [2009.0, 2010.0] and math.isnan(xs[2]) and xs[3] == 2014.0
        dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
        assert len(dotted) == 1 and list(dotted[0].get_xdata()) == [2010.0, 2014.0]
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1 and list(dashed[0].get_xdata()) == [2012.5, 2012.5]
        assert [t.get_text() for t in ax.texts] == ["a", "b", "c", "report"]
        assert ax.get_ylim() == (0, pytest.approx(240.0))
        assert all(float(tick).is_integer() for tick in ax.get_xticks())
        matplotlib.pyplot.close(fig)

    def test_without_max_step_every_neighbour_is_joined(self):
        fig, ax = plots.new_figure()
        plots.dated_series(ax, [1.0, 5.0], [1.0, 2.0], label="s", events=[3.0])
        assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--"]
        assert len(ax.texts) == 0
        matplotlib.pyplot.close(fig)

    @pytest.mark.parametrize("kwargs, message", [
        ({"x": [1.0, 2.0], "y": [1.0]}, "same, non-zero length"),
        ({"x": [2.0, 1.0], "y": [1.0, 2.0]}, "must increase"),
        ({"x": [1.0, 2.0], "y": [1.0, 2.0], "value_labels": ["a"]}, "one label per point"),
        ({"x": [1.0, 2.0], "y": [1.0, 2.0], "events": [1.5], "event_labels": []}, "one label per event"),
    ])
    def test_mismatched_input_is_refused(self, kwargs, message):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match=message):
            plots.dated_series(ax, label="s", **kwargs)
        matplotlib.pyplot.close(fig)


class TestPointsByGroup:
    def test_joins_only_close_neighbours_of_the_same_group(self):
        fig, ax = plots.new_figure()
        plots.points_by_group(ax, [2006.0, 2007.0, 2009.0, 2010.0, 2011.0, 2014.0],
                              [10.0, 9.0, 8.0, 7.0, 6.0, 5.0], ["a", "a", "b", "a", "a", "a"], join_within=1)
        runs = [(line.get_label(), list(line.get_xdata()), line.get_linestyle()) for line in ax.get_lines()]
        assert runs == [("a", [2006.0, 2007.0], "-"), ("_nolegend_", [2010.0, 2011.0], "-"),
                        ("_nolegend_", [2014.0], "None"), ("b", [2009.0], "None")]
        matplotlib.pyplot.close(fig)

    def test_by_default_nothing_is_joined_and_groups_differ_in_marker_and_colour(self):
        fig, ax = plots.new_figure()
        plots.points_by_group(ax, [1.0, 2.0, 3.0], [3.0, 2.0, 1.0], ["a", "a", "b"], hollow=["b"],
                              colors={"b": plots.PALETTE["black"]})
        lines = ax.get_lines()
        assert [line.get_linestyle() for line in lines] == ["None", "None", "None"]
        assert lines[0].get_marker() != lines[2].get_marker()
        assert lines[2].get_color() == plots.PALETTE["black"] and lines[0].get_color() != plots.PALETTE["black"]
        assert lines[2].get_markerfacecolor() == "white" and lines[2].get_zorder() < lines[0].get_zorder()
        assert ax.get_ylim() == (0, pytest.approx(3.45))
        matplotlib.pyplot.close(fig)

    @pytest.mark.parametrize("kwargs, message", [
        ({"x": [1.0], "y": [1.0, 2.0], "groups": ["a"]}, "same, non-zero length"),
        ({"x": [], "y": [], "groups": []}, "same, non-zero length"),
        ({"x": [1.0], "y": [1.0], "groups": ["a"], "join_within": -1}, "must not be negative"),
    ])
    def test_bad_input_is_refused(self, kwargs, message):
        fig, ax = plots.new_figure()
        with pytest.raises(ValueError, match=message):
            plots.points_by_group(ax, **kwargs)
        matplotlib.pyplot.close(fig)
