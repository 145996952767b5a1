"""Minimal NumPy raster drawing for the environments' ``rgb_array`` rendering (no pygame needed)."""

from __future__ import annotations

import numpy as np

Color = tuple[int, int, int]


def blank(height: int, width: int, color: Color = (255, 255, 255)) -> np.ndarray:
    """A new ``(height, width, 3)`` uint8 image filled with ``color``."""
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[...] = color
    return image


def draw_polyline(image: np.ndarray, points: np.ndarray, color: Color, thickness: int = 1) -> None:
    """Draw the segments joining ``points`` (shape ``(n, 2)``, pixel ``(x, y)``) in place."""
    points = np.asarray(points, dtype=np.float64)
    segments = []
    for start, end in zip(points[:-1], points[1:]):
        count = int(np.ceil(np.hypot(*(end - start)) * 2.0)) + 1
        fractions = np.linspace(0.0, 1.0, count)[:, None]
        segments.append(start + fractions * (end - start))
    if segments:
        _stamp(image, np.concatenate(segments), color, max(thickness, 1) / 2.0)


def draw_disc(image: np.ndarray, center: np.ndarray, radius: float, color: Color) -> None:
    """Draw a filled disc of ``radius`` pixels at pixel ``center`` ``(x, y)`` in place."""
    _stamp(image, np.asarray(center, dtype=np.float64)[None, :], color, radius)


def _stamp(image: np.ndarray, centers: np.ndarray, color: Color, radius: float) -> None:
    reach = int(np.ceil(radius))
    offsets = np.arange(-reach, reach + 1)
    dx, dy = np.meshgrid(offsets, offsets)
    inside = dx**2 + dy**2 <= max(radius, 0.5) ** 2
    xs = (np.rint(centers[:, 0])[:, None] + dx[inside][None, :]).astype(int).ravel()
    ys = (np.rint(centers[:, 1])[:, None] + dy[inside][None, :]).astype(int).ravel()
    keep = (xs >= 0) & (xs < image.shape[1]) & (ys >= 0) & (ys < image.shape[0])
    image[ys[keep], xs[keep]] = color
