"""Loop timing as the diagnostics report it."""

import math

import pytest

from memctrl.ros.loop_stats import LoopStats


def test_gaps_of_whole_periods_count_the_ticks_they_missed():
    stats = LoopStats()
    period, outage = 0.01, 0.5
    starts = [0.0, 0.01, 0.02, 0.04, 0.07, 0.0749, 1.0]   # gaps 1, 1, 2, 3, ~0.5 periods, outage
    for start in starts:
        stats.tick(start, 0.001, period, outage)
    window = stats.window()
    assert window["missed_ticks"] == 0 + 0 + 1 + 2 + 0
    assert window["ticks"] == len(starts)
    assert window["loop_period_mean_ms"] == pytest.approx(1e3 * 0.0749 / 5)
    assert window["compute_mean_ms"] == pytest.approx(1.0)
    assert stats.total_missed_ticks == 3
    empty = stats.window()                       # a new window starts empty
    assert empty["ticks"] == 0 and math.isnan(empty["compute_p99_ms"])
