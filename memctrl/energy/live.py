"""Energy figures of a controller while it runs (the ROS node's diagnostics).

The same components as the power report, priced for a stretch of steps that
took ``wall_s`` seconds of real time: the dynamic energy of the stretch's
counters plus the array's leakage over the wall time (not the emulated time,
since a running node leaks between ticks too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from memctrl.energy.components import energy_breakdown, static_power
from memctrl.energy.hardware import hardware_for_run
from memctrl.energy.workload import workload_from_record


@dataclass(frozen=True)
class LivePower:
    """Energy per control step, J, and mean power, W, of a stretch of steps."""

    energy_per_step_j: float
    mean_power_w: float


def price_stretch(record: dict, wall_s: float, hardware_name: str | None = None) -> LivePower:
    """Price the steps of ``record`` (a run record of those steps) run in ``wall_s`` seconds."""
    workload = workload_from_record(record, Path("<running controller>"))
    hardware = hardware_for_run(workload.neuron_preset, hardware_name)
    energy_j = (energy_breakdown(workload, hardware).dynamic_j
                + static_power(workload, hardware) * wall_s)
    return LivePower(energy_j / workload.ticks, energy_j / wall_s)
