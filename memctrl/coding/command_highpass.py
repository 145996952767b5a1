"""An AC-coupled drive: a Box command through a first-order high-pass filter.

Some actuators must hold no steady push: a tremor-suppression orthosis is meant to act in
the tremor band and leave the wearer's slow voluntary movement alone, and its hand-written
damping baseline (a high-passed gyro times a gain) never commands a steady torque. A learned
controller whose action depends on the state through tile cells can hold one: the cells of
the quiet states keep whatever push their learning walked to, and the tremor task's reward,
flat near zero offset, barely pulls it back (``benchmarks/tremor_v1.py``, sessions 21-22).
With ``ControllerConfig.command_highpass_hz`` the command the controller sends passes this
filter, per action dimension, in units of the half-range about the middle of the bounds, and
is clipped to them; a steady push then decays with the filter's time constant
``1 / (2 pi corner)``. On hardware it is a small digital block after the decoder (one
multiply-add per action dimension and step), beside the exploration's generator.

The actor learns upstream of it, as from any part of the plant: its eligibility records the
decision's noise and the exploration offset, not the filtered command.
"""

from __future__ import annotations

import math

import numpy as np


class CommandHighPass:
    """``y[k] = b (y[k-1] + u[k] - u[k-1])`` per dimension, ``b = 1 / (1 + 2 pi f_c T)``
    (backward Euler of ``y' = u' - 2 pi f_c y``); the first command after :meth:`reset` is 0
    (the drive starts from rest).

    Parameters
    ----------
    n_dims : int
        Action dimensions.
    corner_hz : float
        Corner frequency, Hz; below the Nyquist frequency ``1 / (2 period_s)``.
    period_s : float
        The control period, s (the filter's sample time).
    """

    def __init__(self, n_dims: int, corner_hz: float, period_s: float) -> None:
        if not (math.isfinite(period_s) and period_s > 0.0):
            raise ValueError(f"period_s must be positive and finite, got {period_s!r}")
        nyquist_hz = 0.5 / period_s
        if not (math.isfinite(corner_hz) and 0.0 < corner_hz < nyquist_hz):
            raise ValueError(f"corner_hz must lie in (0, {nyquist_hz:g}) Hz (below the Nyquist "
                             f"frequency of a {period_s:g} s control period), got {corner_hz!r}")
        self.blend = 1.0 / (1.0 + 2.0 * math.pi * corner_hz * period_s)
        self.output = np.zeros(n_dims)
        self._last: np.ndarray | None = None

    def reset(self) -> None:
        """Forget the past: the next command is 0."""
        self.output = np.zeros_like(self.output)
        self._last = None

    def __call__(self, unit_command: np.ndarray) -> np.ndarray:
        """Take one command (in units of the half-range, shape (n_dims,)); return the
        filtered one, clipped to [-1, 1]."""
        unit_command = np.asarray(unit_command, dtype=np.float64)
        if self._last is not None:
            self.output = self.blend * (self.output + unit_command - self._last)
        self._last = unit_command.copy()
        return np.clip(self.output, -1.0, 1.0)
