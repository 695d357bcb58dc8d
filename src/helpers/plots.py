"""The house plotting style, plot helpers that draw on an ``ax`` they are given, and deterministic saving.

Every figure in the book goes through this module so that the book looks like one book and so that the
same commit always writes the same bytes: fonts are pinned to DejaVu Sans (shipped with matplotlib, so
no system font can change the output), the SVG hash salt is fixed and no creation date is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files, never windows; also keeps notebook and test output identical

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.paths import write_if_changed  # noqa: E402

#: Okabe and Ito's palette, chosen because it stays distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Text and lines in near-black rather than grey, for contrast on a white page.
INK = "#222222"
MUTED = "#595959"

HOUSE_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE.values())),
    "axes.grid": False,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "savefig.facecolor": "white",
    "svg.fonttype": "path",  # glyphs as paths: the figure looks the same whatever fonts a reader has
    "svg.hashsalt": "integration-compendium",  # fixed ids, so the same figure is the same file
}
SVG_METADATA = {"Date": None, "Creator": "integration-compendium"}


def use_house_style() -> None:
    """Apply the house style to every figure drawn after this call."""
    matplotlib.rcParams.update(HOUSE_STYLE)


def new_figure(nrows: int = 1, ncols: int = 1, *, height: float | None = None) -> tuple[Figure, object]:
    """Create a figure in the house style and return ``(figure, axes)`` like :func:`matplotlib.pyplot.subplots`."""
    use_house_style()
    width, default_height = HOUSE_STYLE["figure.figsize"]
    return plt.subplots(nrows, ncols, figsize=(width, height or default_height), layout="constrained")


def require_same_length(labels: Sequence, values: Sequence, value_labels: Sequence) -> None:
    """Refuse bars whose names, lengths and value labels do not line up one to one."""
    if not (len(labels) == len(values) == len(value_labels)):
        raise ValueError("labels, values and value_labels must have the same length")


def horizontal_bars(
    ax: Axes,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_labels: Sequence[str],
    colors: Sequence[str] | None = None,
    xlabel: str = "",
) -> Axes:
    """Draw one horizontal bar per label, top to bottom in the order given, each marked with its value.

    Parameters
    ----------
    ax
        The axes to draw on.
    labels, values
        Bar names and lengths, in reading order.
    value_labels
        The text written at the end of each bar (formatted by the caller, who knows the unit).
    colors
        One colour per bar; the palette's first colour when omitted.
    xlabel
        Label of the value axis.
    """
    require_same_length(labels, values, value_labels)
    positions = list(range(len(labels)))[::-1]  # first label on top
    bars = ax.barh(positions, values, color=colors or PALETTE["blue"], height=0.6)
    ax.set_yticks(positions, labels)
    ax.bar_label(bars, labels=list(value_labels), padding=4, color=INK)
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(values) * 1.18)  # room for the value labels
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax


def vertical_bars(
    ax: Axes,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_labels: Sequence[str],
    colors: Sequence[str] | None = None,
    ylabel: str = "",
) -> Axes:
    """Draw one vertical bar per label, left to right, each marked with its value above it."""
    require_same_length(labels, values, value_labels)
    bars = ax.bar(list(labels), values, color=colors or PALETTE["blue"], width=0.55)
    ax.bar_label(bars, labels=list(value_labels), padding=3, color=INK)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(values) * 1.15)
    return ax


def series_with_points(
    ax: Axes,
    series_x: Sequence[str],
    series_y: Sequence[float],
    *,
    series_label: str,
    points_x: Sequence[str] = (),
    points_y: Sequence[float] = (),
    points_label: str = "",
    ylabel: str = "",
) -> Axes:
    """Draw a line series over categorical periods and, optionally, separate points on the same axis.

    Used to set a report's few quoted figures beside the fuller published series they come from. The
    x axis is categorical (academic years such as ``2009/10``), in the order of ``series_x``; points must
    fall on periods that are in the series.
    """
    missing = [x for x in points_x if x not in series_x]
    if missing:
        raise ValueError(f"points at periods not in the series: {missing}")
    ax.plot(list(series_x), list(series_y), marker="o", color=PALETTE["blue"], label=series_label)
    if len(points_x):
        ax.plot(list(points_x), list(points_y), linestyle="none", marker="D", markersize=8,
                color=PALETTE["vermillion"], label=points_label)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max([*series_y, *points_y]) * 1.15)
    ax.legend(frameon=False, loc="lower left")
    return ax


def save_svg(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as SVG to ``path`` so that the same figure always gives the same bytes, then close it."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": HOUSE_STYLE["svg.hashsalt"]}):
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    plt.close(fig)
    write_if_changed(path, buffer.getvalue())
    return path


def reference_line(ax: Axes, value: float, label: str, *, axis: str = "x") -> Axes:
    """Mark a reference value (a national average, say) with a dashed line and a label.

    Parameters
    ----------
    ax
        The axes to draw on.
    value
        Where the line goes, in data units.
    label
        Text written beside the line, e.g. ``"UK 13.3%"``.
    axis
        ``"x"`` for a vertical line across horizontal bars, ``"y"`` for a horizontal line.
    """
    if axis not in ("x", "y"):
        raise ValueError("axis must be 'x' or 'y'")
    if axis == "x":
        ax.axvline(value, color=INK, linestyle="--", linewidth=1)
        # Inside the axes, at the foot of the line: above the axes it would collide with a panel title.
        ax.annotate(label, xy=(value, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                    textcoords="offset points", va="bottom", ha="left", color=INK, fontsize=9,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    else:
        ax.axhline(value, color=INK, linestyle="--", linewidth=1)
        ax.annotate(label, xy=(1, value), xycoords=("axes fraction", "data"), xytext=(0, 3),
                    textcoords="offset points", va="bottom", ha="right", color=INK, fontsize=9)
    return ax


def bar_markers(ax: Axes, values: Sequence[float | None], *, label: str, color: str = PALETTE["vermillion"]) -> Axes:
    """Mark one value per bar drawn by :func:`horizontal_bars` (same order), skipping ``None``.

    Used to set a figure quoted in a report beside a bar from another source for the same place.
    """
    positions = list(range(len(values)))[::-1]
    shown = [(v, p) for v, p in zip(values, positions) if v is not None]
    if not shown:
        raise ValueError("no values to mark")
    ax.plot([v for v, _ in shown], [p for _, p in shown], linestyle="none", marker="D", markersize=7,
            color=color, label=label, zorder=3)
    right = max(ax.get_xlim()[1], max(v for v, _ in shown) * 1.18)
    ax.set_xlim(0, right)
    return ax


def paired_horizontal_bars(
    ax: Axes,
    labels: Sequence[str],
    first: Sequence[float],
    second: Sequence[float],
    *,
    first_label: str,
    second_label: str,
    value_format: str = "{:.1f}%",
    xlabel: str = "",
    legend_loc: str = "best",
) -> Axes:
    """Draw two bars per label (a place against its comparison), top to bottom in the order given.

    Parameters
    ----------
    ax
        The axes to draw on.
    labels
        One name per pair of bars (the measure).
    first, second
        The two values for each label, e.g. a local figure and the national one.
    first_label, second_label
        Legend entries for the two series.
    value_format
        Format applied to each value for the label at the end of its bar.
    xlabel
        Label of the value axis.
    legend_loc
        Where the legend goes (a matplotlib location such as ``"upper right"``).
    """
    if not (len(labels) == len(first) == len(second)):
        raise ValueError("labels, first and second must have the same length")
    positions = list(range(len(labels)))[::-1]
    height = 0.38
    for offset, values, name, color in [(height / 2, first, first_label, PALETTE["blue"]),
                                        (-height / 2, second, second_label, PALETTE["orange"])]:
        bars = ax.barh([p + offset for p in positions], values, height=height, color=color, label=name)
        ax.bar_label(bars, labels=[value_format.format(v) for v in values], padding=3, color=INK, fontsize=9)
    ax.set_yticks(positions, labels)
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max([*first, *second]) * 1.25)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(frameon=False, loc=legend_loc)
    return ax


# --- Helpers added for the qualitative chapters (mort2026, hartman2023): stages, matrices, timelines. ---


def stage_sequence(
    ax: Axes,
    titles: Sequence[str],
    descriptions: Sequence[str],
    *,
    colors: Sequence[str] | None = None,
    wrap: int = 24,
) -> Axes:
    """Draw an ordered sequence of stages as boxes from left to right, joined by arrows.

    Parameters
    ----------
    ax
        The axes to draw on; its frame and ticks are hidden.
    titles
        Stage names, in order; written in bold at the top of each box.
    descriptions
        One short text per stage, wrapped inside its box.
    colors
        One fill colour per box; shades of the palette's blue, light to dark, when omitted.
    wrap
        Characters per line of the wrapped descriptions.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one rectangle patch per stage and one arrow between neighbours.
    """
    import textwrap

    from matplotlib.colors import to_rgb
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if len(titles) != len(descriptions):
        raise ValueError("titles and descriptions must have the same length")
    if not titles:
        raise ValueError("at least one stage is needed")
    count = len(titles)
    if colors is None:
        blue = to_rgb(PALETTE["blue"])
        colors = [tuple(1 - (1 - c) * (0.25 + 0.75 * k / max(count - 1, 1)) for c in blue) for k in range(count)]
    width, gap = 1.0, 0.28
    for k, (title, text, colour) in enumerate(zip(titles, descriptions, colors)):
        left = k * (width + gap)
        dark = sum(to_rgb(colour)) / 3 < 0.55
        ink = "white" if dark else INK
        ax.add_patch(FancyBboxPatch((left, 0), width, 1, boxstyle="round,pad=0.02,rounding_size=0.04",
                                    facecolor=colour, edgecolor=MUTED, linewidth=0.8))
        ax.text(left + width / 2, 0.93, title, ha="center", va="top", fontweight="bold", color=ink)
        ax.text(left + width / 2, 0.80, textwrap.fill(text, wrap), ha="center", va="top", fontsize=8, color=ink,
                linespacing=1.25)
        if k:
            ax.add_patch(FancyArrowPatch((left - gap + 0.03, 0.5), (left - 0.03, 0.5), arrowstyle="-|>",
                                         mutation_scale=12, color=MUTED))
    ax.set_xlim(-0.05, count * width + (count - 1) * gap + 0.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_axis_off()
    return ax


def heatmap(
    ax: Axes,
    values: Sequence[Sequence[float]],
    *,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cell_labels: Sequence[Sequence[str]] | None = None,
    colorbar_label: str = "",
    cmap: str = "Blues",
) -> Axes:
    """Draw a matrix as coloured cells, rows top to bottom and columns left to right, each cell labelled.

    Whole-number matrices (counts) up to ten get one colour step per value, so that the legend reads as a
    key; larger values get a continuous scale.

    Parameters
    ----------
    ax
        The axes to draw on.
    values
        One list per row, each with one number per column.
    row_labels, column_labels
        Names of the rows and columns, in the order of ``values``.
    cell_labels
        Text written in each cell; the value itself (blank for zero) when omitted.
    colorbar_label
        Label of the colour scale drawn beside the matrix.
    cmap
        Name of a sequential matplotlib colour map.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, holding one image whose array is ``values``.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import BoundaryNorm

    matrix = np.asarray(values, dtype=float)
    if matrix.ndim != 2 or matrix.shape != (len(row_labels), len(column_labels)):
        raise ValueError(f"values must have one row per row label and one column per column label; "
                         f"got shape {matrix.shape} for {len(row_labels)} x {len(column_labels)} labels")
    if cell_labels is None:
        cell_labels = [[("" if v == 0 else f"{v:g}") for v in row] for row in matrix]
    # Counts get one colour step per value, but only while the steps stay few enough to read.
    whole = bool(np.all(matrix == np.round(matrix))) and matrix.max() <= 10
    top = max(float(matrix.max()), 1.0)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), colormaps[cmap].N) if whole else None
    image = ax.imshow(matrix, cmap=cmap, norm=norm, vmin=None if whole else 0, vmax=None if whole else top,
                      aspect="auto")
    ax.set_xticks(range(len(column_labels)), column_labels, rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(row_labels)), row_labels)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(column_labels)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(row_labels)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            ink = "white" if value > top / 2 else INK
            ax.text(c, r, cell_labels[r][c], ha="center", va="center", color=ink, fontsize=9)
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.8, ticks=range(int(top) + 1) if whole else None)
    colorbar.set_label(colorbar_label)
    colorbar.outline.set_visible(False)
    return ax


def timeline(
    ax: Axes,
    labels: Sequence[str],
    starts: Sequence[float],
    *,
    ends: Sequence[float | None] | None = None,
    groups: Sequence[str] | None = None,
    group_colors: dict[str, str] | None = None,
    xlabel: str = "Year",
) -> Axes:
    """Draw one row per item, top to bottom in the order given: a dot at its start and a bar to its end, if any.

    Parameters
    ----------
    ax
        The axes to draw on.
    labels
        Item names, in reading order.
    starts
        Start year of each item.
    ends
        End year of each item, or ``None`` for an item with no known end (drawn as a dot only).
    groups
        A group name per item; items are coloured by group and a legend names the groups.
    group_colors
        Colour per group; taken from the palette in order of first appearance when omitted.
    xlabel
        Label of the time axis.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one marker line per item and one bar line per item that has an end.
    """
    from matplotlib.ticker import MaxNLocator

    count = len(labels)
    ends = list(ends) if ends is not None else [None] * count
    groups = list(groups) if groups is not None else [""] * count
    if not (len(starts) == len(ends) == len(groups) == count):
        raise ValueError("labels, starts, ends and groups must have the same length")
    if count == 0:
        raise ValueError("at least one item is needed")
    bad = [label for label, start, end in zip(labels, starts, ends) if end is not None and end < start]
    if bad:
        raise ValueError(f"items ending before they start: {bad}")
    colours = dict(group_colors or {})
    spare = [c for c in PALETTE.values() if c not in colours.values()]
    for group in dict.fromkeys(groups):
        colours.setdefault(group, spare.pop(0))
    positions = list(range(count))[::-1]
    shown = set()
    for y, start, end, group in zip(positions, starts, ends, groups):
        if end is not None:
            ax.plot([start, end], [y, y], color=colours[group], linewidth=5, alpha=0.45, solid_capstyle="butt")
        legend_label = group if group and group not in shown else None
        shown.add(group)
        ax.plot([start], [y], marker="o", markersize=8, linestyle="none", color=colours[group], label=legend_label)
    ax.set_yticks(positions, labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylim(-0.7, count - 0.3)
    if any(groups):
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(colours))
    return ax


def small_line(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    *,
    title: str,
    value_labels: Sequence[str],
    ylim: tuple[float, float],
    color: str | None = None,
) -> Axes:
    """Draw one short line with a marked, labelled point at each x, for a panel of small multiples.

    All panels of a set should share ``ylim`` so that their heights compare.
    """
    if not (len(x) == len(y) == len(value_labels)):
        raise ValueError("x, y and value_labels must have the same length")
    ax.plot(list(x), list(y), marker="o", color=color or PALETTE["blue"])
    for xi, yi, label in zip(x, y, value_labels):
        ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8,
                    color=INK)
    ax.set_title(title, fontsize=9)
    ax.set_ylim(*ylim)
    ax.margins(x=0.12)  # room for the labels of the first and last points
    ax.set_xticks(list(x), [str(v) for v in x], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    return ax


# --- Helper added for the ESOL thread (book/across/esol.md): a dated series with events marked. ---


def dated_series(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    *,
    label: str,
    value_labels: Sequence[str] | None = None,
    max_step: float | None = None,
    events: Sequence[float] = (),
    event_labels: Sequence[str] | None = None,
    color: str | None = None,
    ylabel: str = "",
) -> Axes:
    """Draw a series on a numeric time axis, with dated events marked as labelled vertical lines.

    Parameters
    ----------
    ax
        The axes to draw on.
    x, y
        Positions on the time axis (e.g. decimal years) and values, in time order.
    label
        Legend entry for the series.
    value_labels
        Text written above each point; none when omitted.
    max_step
        Neighbouring points further apart than this are joined by a dotted line, so that a gap in the
        data does not read as measured; every neighbour is joined by a solid line when omitted.
    events
        Positions of events (publications, say) on the same axis; each gets a dashed vertical line.
    event_labels
        One label per event, written up its line from the top of the axes; lines only when omitted.
    color
        Colour of the series; the palette's first colour when omitted.
    ylabel
        Label of the value axis.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one solid line for the points, one line per dotted gap and one line per event; the
        time axis is ticked at whole numbers.
    """
    from matplotlib.ticker import MaxNLocator

    x, y = list(x), list(y)
    if len(x) != len(y) or not x:
        raise ValueError("x and y must have the same, non-zero length")
    if any(later <= earlier for earlier, later in zip(x, x[1:])):
        raise ValueError("x must increase")
    if value_labels is not None and len(value_labels) != len(x):
        raise ValueError("value_labels must have one label per point")
    if event_labels is not None and len(event_labels) != len(events):
        raise ValueError("event_labels must have one label per event")
    colour = color or PALETTE["blue"]
    # Solid segments between close neighbours; gaps wider than max_step are drawn dotted.
    solid_x, solid_y = [x[0]], [y[0]]
    for k in range(1, len(x)):
        if max_step is not None and x[k] - x[k - 1] > max_step:
            ax.plot([x[k - 1], x[k]], [y[k - 1], y[k]], linestyle=":", color=colour, linewidth=1.2)
            solid_x.append(float("nan"))
            solid_y.append(float("nan"))
        solid_x.append(x[k])
        solid_y.append(y[k])
    ax.plot(solid_x, solid_y, marker="o", color=colour, label=label)
    for xi, yi, text in zip(x, y, value_labels or []):
        ax.annotate(text, (xi, yi), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8, color=INK)
    for position, text in zip(events, event_labels if event_labels is not None else [None] * len(events)):
        ax.axvline(position, color=MUTED, linestyle="--", linewidth=1)
        if text:
            # Written up the line, inside the top of the axes, so that close events do not overlap.
            ax.annotate(text, xy=(position, 0.97), xycoords=("data", "axes fraction"), xytext=(3, 0),
                        textcoords="offset points", ha="left", va="top", rotation=90, fontsize=8, color=INK)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(y) * 1.2)
    return ax


#: Marker shapes given in turn to the groups of :func:`points_by_group`, so that groups differ in shape as
#: well as colour (a reader who cannot tell the colours apart can still tell the groups apart).
GROUP_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def points_by_group(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    groups: Sequence[str],
    *,
    join_within: float = 0.0,
    hollow: Sequence[str] = (),
    colors: dict[str, str] | None = None,
    ylabel: str = "",
) -> Axes:
    """Draw observations that are not one series: each group (a source or counting basis) in its own marker
    and colour, joined only to its own neighbours, and never across a gap.

    Parameters
    ----------
    ax
        The axes to draw on.
    x, y
        Positions on a numeric axis (decimal years, say) and values, one per observation, in any order.
    groups
        The group of each observation; it is also the legend entry. Groups get markers from
        :data:`GROUP_MARKERS` and colours from the palette in order of first appearance.
    join_within
        Two observations of the same group are joined by a solid line when they are neighbours within the
        group and no further apart than this on the x axis (1 joins consecutive years). The default, 0,
        joins nothing: every observation is a marker alone. Observations of different groups are never joined.
    hollow
        Groups drawn as larger hollow markers beneath the others (for figures of another kind, such as a
        report's own quoted values), so that a filled marker at the same place stays visible.
    colors
        A colour for some groups, by name; the others take palette colours in turn.
    ylabel
        Label of the value axis.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one line object per group and run of joined observations, labelled with the group's
        name on its first run only; the value axis starts at 0.

    Raises
    ------
    ValueError
        If the inputs differ in length or are empty, or ``join_within`` is negative.
    """
    x, y, groups = list(x), list(y), list(groups)
    if not x or not len(x) == len(y) == len(groups):
        raise ValueError("x, y and groups must have the same, non-zero length")
    if join_within < 0:
        raise ValueError("join_within must not be negative")
    order = list(dict.fromkeys(groups))
    palette = [c for c in PALETTE.values() if c not in (colors or {}).values()]
    colour_of, free = dict(colors or {}), iter(palette)
    for group in order:
        colour_of.setdefault(group, next(free))
    for number, group in enumerate(order):
        points = sorted((xi, yi) for xi, yi, g in zip(x, y, groups) if g == group)
        runs = [[points[0]]]
        for previous, point in zip(points, points[1:]):
            if point[0] - previous[0] <= join_within:
                runs[-1].append(point)
            else:
                runs.append([point])
        style = {"marker": GROUP_MARKERS[number % len(GROUP_MARKERS)], "color": colour_of[group], "markersize": 7,
                 "zorder": 3}
        if group in hollow:
            # Larger and underneath, so that a filled marker at the same place still shows inside it.
            style.update(markerfacecolor="white", markersize=11, zorder=2)
        for k, run in enumerate(runs):
            ax.plot([p[0] for p in run], [p[1] for p in run], linestyle="-" if len(run) > 1 else "none",
                    label=group if k == 0 else "_nolegend_", **style)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(y) * 1.15)
    return ax
