"""Timing of the control loop, as the node's diagnostics report it.

Per diagnostics window: the loop period (between the starts of consecutive
ticks) and the compute time of each tick, mean and 99th percentile, and the
ticks missed against the expected period. A gap of ``n`` periods (rounded)
misses ``n - 1`` ticks; gaps longer than the watchdog timeout are sensor
outages, which the watchdog reports, not missed ticks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


def _mean_p99(values: list[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    array = np.asarray(values)
    return float(array.mean()), float(np.percentile(array, 99))


@dataclass
class LoopStats:
    """Tick timings of the current window and run totals."""

    periods_s: list[float] = field(default_factory=list)
    compute_s: list[float] = field(default_factory=list)
    missed_ticks: int = 0
    total_missed_ticks: int = 0
    _last_start: float | None = None

    def tick(self, start_s: float, compute_s: float, expected_period_s: float,
             outage_s: float) -> None:
        """Record a tick that started at ``start_s`` (monotonic) and took ``compute_s``."""
        if self._last_start is not None:
            gap = start_s - self._last_start
            if gap < outage_s:
                self.periods_s.append(gap)
                missed = max(0, round(gap / expected_period_s) - 1)
                self.missed_ticks += missed
                self.total_missed_ticks += missed
        self._last_start = start_s
        self.compute_s.append(compute_s)

    def window(self) -> dict[str, float]:
        """The current window's figures (ms and counts); starts a new window."""
        period_mean, period_p99 = _mean_p99(self.periods_s)
        compute_mean, compute_p99 = _mean_p99(self.compute_s)
        figures = {"ticks": len(self.compute_s), "missed_ticks": self.missed_ticks,
                   "loop_period_mean_ms": 1e3 * period_mean,
                   "loop_period_p99_ms": 1e3 * period_p99,
                   "compute_mean_ms": 1e3 * compute_mean,
                   "compute_p99_ms": 1e3 * compute_p99}
        self.periods_s, self.compute_s, self.missed_ticks = [], [], 0
        return figures
