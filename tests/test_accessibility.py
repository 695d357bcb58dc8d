"""helpers.accessibility, and the house palette checked with it."""

from __future__ import annotations

import pytest

from helpers import accessibility, plots

#: ΔE (CIELAB 1976) below which two colours are hard to tell apart at a glance.
DISTINCT = 15.0


class TestContrast:
    def test_known_extremes(self):
        assert accessibility.contrast_ratio("black") == pytest.approx(21.0)
        assert accessibility.contrast_ratio("white") == pytest.approx(1.0)

    def test_figure_text_meets_wcag_aa_on_white(self):
        assert accessibility.contrast_ratio(plots.INK) >= 4.5
        assert accessibility.contrast_ratio(plots.MUTED) >= 4.5


class TestColourVision:
    def test_red_and_green_collapse_for_deuteranopia(self):
        # The check can fail: a classic red/green pair is distinct normally, not for a deuteranope.
        assert accessibility.closest_pair(["#d62728", "#2ca02c"])[0] > DISTINCT
        assert accessibility.closest_pair(["#d62728", "#2ca02c"], "deuteranopia")[0] < DISTINCT

    @pytest.mark.parametrize("deficiency", [None, *accessibility.DEFICIENCY_MATRICES])
    def test_house_palette_stays_distinct(self, deficiency):
        distance, first, second = accessibility.closest_pair(list(plots.PALETTE.values()), deficiency)
        assert distance >= DISTINCT, f"{first} and {second} look alike ({deficiency}): ΔE {distance:.1f}"
