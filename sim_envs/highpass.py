"""A first-order high-pass filter, one sample at a time: what the tremor damping baseline and
TremorSuppression-v2's tremor-band gyro channel both compute."""

from __future__ import annotations

import numpy as np


class FirstOrderHighPass:
    """``y[k] = b (y[k-1] + x[k] - x[k-1])`` with ``b = 1 / (1 + 2 pi f_c dt)`` (backward
    Euler of ``y' = x' - 2 pi f_c y``); the first sample after :meth:`reset` gives 0.

    Parameters
    ----------
    corner_hz : float
        Corner frequency (Hz).
    dt_s : float
        Sample period (s).
    """

    def __init__(self, corner_hz: float, dt_s: float) -> None:
        self.blend = 1.0 / (1.0 + 2.0 * np.pi * corner_hz * dt_s)
        self.output = 0.0
        self._last: float | None = None

    def reset(self) -> None:
        """Forget the past: the next sample gives 0."""
        self.output, self._last = 0.0, None

    def __call__(self, sample: float) -> float:
        """Take one sample; return the filtered value."""
        if self._last is not None:
            self.output = self.blend * (self.output + sample - self._last)
        self._last = sample
        return self.output
