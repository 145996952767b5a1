"""The power-budget model: joules and watts from a run's counters, and their reports.

- :mod:`~memctrl.energy.constants`: every published figure, with its source.
- :mod:`~memctrl.energy.hardware`: hardware presets (read mode, peripherals, leakage).
- :mod:`~memctrl.energy.workload`: the work of a run, read from its run record.
- :mod:`~memctrl.energy.components`: joules per component (pure functions).
- :mod:`~memctrl.energy.counts`: NeuroBench counts beside the joules.
- :mod:`~memctrl.energy.baselines`: the same work on an MCU and digital chips.
- :mod:`~memctrl.energy.profiles`: battery and power budgets of target devices.
- :mod:`~memctrl.energy.wearable`: the IMU and actuator beside the controller (whole device).
- :mod:`~memctrl.energy.episodes`: per-episode counters of a training run.
- :mod:`~memctrl.energy.report`, ``markdown``, ``plots``: the report files.
"""

from memctrl.energy.components import COMPONENTS, Breakdown, ComponentEnergy, energy_breakdown
from memctrl.energy.counts import neurobench_counts
from memctrl.energy.hardware import (DEFAULT_HARDWARE, HARDWARE_PRESETS, HardwarePreset,
                                     hardware_for_run, hardware_preset)
from memctrl.energy.profiles import PROFILES, Profile, profile
from memctrl.energy.report import build_report, list_hardware, list_profiles, write_report
from memctrl.energy.workload import Workload, workload_from_record

__all__ = ["COMPONENTS", "DEFAULT_HARDWARE", "HARDWARE_PRESETS", "PROFILES", "Breakdown",
           "ComponentEnergy", "HardwarePreset", "Profile", "Workload", "build_report",
           "energy_breakdown", "hardware_for_run", "hardware_preset", "list_hardware",
           "list_profiles", "neurobench_counts", "profile", "workload_from_record",
           "write_report"]
