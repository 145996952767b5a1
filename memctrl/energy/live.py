"""Energy figures of a controller while it runs (the ROS node's diagnostics).

The same components as the power report, priced for a stretch of steps that
took ``wall_s`` seconds of real time: the dynamic energy of the stretch's
counters plus the array's leakage over the wall time (not the emulated time,
since a running node leaks between ticks too).
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl.energy.components import energy_breakdown, static_power
from memctrl.energy.hardware import HardwarePreset
from memctrl.energy.workload import Workload


@dataclass(frozen=True)
class LivePower:
    """Energy per control step, J, and mean power, W, of a stretch of steps."""

    energy_per_step_j: float
    mean_power_w: float


def price_stretch(workload: Workload, wall_s: float, hardware: HardwarePreset) -> LivePower:
    """Price the steps of ``workload`` (the counters of those steps) run in ``wall_s`` s."""
    energy_j = (energy_breakdown(workload, hardware).dynamic_j
                + static_power(workload, hardware) * wall_s)
    return LivePower(energy_j / workload.ticks, energy_j / wall_s)
