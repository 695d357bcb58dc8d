"""Colour checks behind the house style: contrast for text, and colours that stay distinct for readers
with a colour-vision deficiency.

Simulation uses the matrices of Machado, Oliveira and Fernandes (2009) at full severity, applied in linear
RGB; distance is CIELAB ΔE (1976). Contrast is WCAG 2's ratio of relative luminances.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from matplotlib.colors import to_rgb

#: Machado et al. (2009), severity 1.0.
DEFICIENCY_MATRICES = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB components (0 to 1) to linear light."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light back to sRGB components, clipped to the displayable range."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(colour: str, deficiency: str) -> np.ndarray:
    """Return the sRGB components of ``colour`` as a reader with ``deficiency`` would see it."""
    return to_srgb(DEFICIENCY_MATRICES[deficiency] @ to_linear(to_rgb(colour)))


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB components to CIELAB (D65)."""
    ratio = (SRGB_TO_XYZ @ to_linear(rgb)) / D65_WHITE
    f = np.where(ratio > 0.008856, np.cbrt(ratio), 7.787 * ratio + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(colours: Sequence[str], deficiency: str | None = None) -> tuple[float, str, str]:
    """Return the smallest ΔE between any two colours (as seen with ``deficiency``), and which two."""
    seen = {c: (simulate(c, deficiency) if deficiency else np.array(to_rgb(c))) for c in colours}
    return min((float(np.linalg.norm(to_lab(seen[a]) - to_lab(seen[b]))), a, b)
               for a, b in itertools.combinations(colours, 2))


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    r, g, b = to_linear(to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str = "white") -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
