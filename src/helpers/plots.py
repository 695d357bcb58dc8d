"""The house plotting style, plot helpers that draw on an ``ax`` they are given, and deterministic saving.

Every figure in the book goes through this module so that the book looks like one book and so that the
same commit always writes the same bytes: fonts are pinned to DejaVu Sans (shipped with matplotlib, so
no system font can change the output), the SVG hash salt is fixed and no creation date is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files, never windows; also keeps notebook and test output identical

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
    if not (len(labels) == len(values) == len(value_labels)):
        raise ValueError("labels, values and value_labels must have the same length")
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
    if not (len(labels) == len(values) == len(value_labels)):
        raise ValueError("labels, values and value_labels must have the same length")
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
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.hashsalt": HOUSE_STYLE["svg.hashsalt"]}):
        fig.savefig(path, format="svg", metadata=SVG_METADATA)
    plt.close(fig)
    return path


def heatmap(
    ax: Axes,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    value_format: str = "{:.0f}",
    colorbar_label: str = "",
    cmap: str = "Blues",
) -> Axes:
    """Draw a grid of shaded cells, one per row and column, each marked with its value.

    Parameters
    ----------
    ax
        The axes to draw on.
    row_labels, column_labels
        Labels down the left (top to bottom) and along the top (left to right).
    values
        One sequence per row, each as long as ``column_labels``.
    value_format
        Format applied to each value for the label written in its cell.
    colorbar_label
        Label of the colour scale drawn beside the grid; no scale when empty.
    cmap
        A sequential matplotlib colour map; dark cells get white text so labels stay readable.
    """
    grid = [list(map(float, row)) for row in values]
    if len(grid) != len(row_labels) or any(len(row) != len(column_labels) for row in grid):
        raise ValueError("values must have one row per row label and one column per column label")
    highest = max((v for row in grid for v in row), default=0.0) or 1.0
    image = ax.imshow(grid, cmap=cmap, vmin=0, vmax=highest, aspect="auto")
    ax.set_xticks(range(len(column_labels)), list(column_labels))
    ax.set_yticks(range(len(row_labels)), list(row_labels))
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            ax.text(j, i, value_format.format(value), ha="center", va="center",
                    color="white" if value > highest * 0.6 else INK)
    if colorbar_label:
        ax.figure.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
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
