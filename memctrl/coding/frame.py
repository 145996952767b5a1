"""The frame both encoders share: an observation checked, centred and scaled to [-1, 1].

Scales: a dimension with finite bounds up to ``MAX_BOUNDED_SCALE`` uses its
half-width and midpoint; an unbounded (or very wide) dimension uses
``DEFAULT_SCALE`` around 0 — a fixed, documented guess, to be overridden by the
caller who knows the sensor (for CartPole-v1 the defaults give +-4.8 m,
+-3 m/s, +-0.42 rad, +-3 rad/s).
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

DEFAULT_SCALE = 3.0
"""Half-range of an unbounded observation dimension, in its own units (A)."""
MAX_BOUNDED_SCALE = 1e3
"""Bounds wider than this are treated as unbounded."""


class ObservationFrame:
    """Centre and half-range of each dimension of a 1-D Box observation space.

    ``scales`` (array_like, optional) overrides the half-ranges derived from the space.
    """

    def __init__(self, space: spaces.Box, scales: np.ndarray | None = None,
                 default_scale: float = DEFAULT_SCALE) -> None:
        if not isinstance(space, spaces.Box) or len(space.shape) != 1:
            raise ValueError(f"the observation space must be a 1-D Box, got {space}")
        self.n_dims = int(space.shape[0])
        if self.n_dims == 0:
            raise ValueError("the observation space must have at least one dimension, "
                             f"got {space}")
        low = np.asarray(space.low, dtype=np.float64)
        high = np.asarray(space.high, dtype=np.float64)
        bounded = np.isfinite(low) & np.isfinite(high) & ((high - low) / 2 <= MAX_BOUNDED_SCALE)
        safe_low, safe_high = np.where(bounded, low, -1.0), np.where(bounded, high, 1.0)
        self.centre = np.where(bounded, (safe_low + safe_high) / 2, 0.0)
        if scales is None:
            self.scale = np.where(bounded, (safe_high - safe_low) / 2, default_scale)
        else:
            self.scale = np.broadcast_to(np.asarray(scales, dtype=np.float64),
                                         (self.n_dims,)).copy()
        if not np.all(np.isfinite(self.scale) & (self.scale > 0)):
            raise ValueError(f"scales must be finite and > 0, got {self.scale!r}")

    def validate(self, observation: object) -> np.ndarray:
        """The observation as a float64 vector.

        Raises ValueError naming a wrong shape, a non-numeric dtype or a non-finite value.
        """
        array = np.asarray(observation)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"observation must hold real numbers, got dtype {array.dtype}")
        if array.shape != (self.n_dims,):
            raise ValueError(f"observation must have shape ({self.n_dims},), got {array.shape}")
        if not np.all(np.isfinite(array)):
            bad = int(np.flatnonzero(~np.isfinite(array))[0])
            raise ValueError(f"observation must be finite, got {array[bad]!r} at index {bad}")
        return array.astype(np.float64, copy=False)

    def normalize(self, observation: object) -> np.ndarray:
        """The checked observation centred and scaled, clipped to [-1, 1]."""
        return np.clip((self.validate(observation) - self.centre) / self.scale, -1.0, 1.0)
