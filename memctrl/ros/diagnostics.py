"""The controller node's ``/diagnostics`` status: timing, spikes, energy, learning, inputs.

Values carry their unit in the key. The level is WARN when the watchdog has
tripped, or in the window observations were rejected or dropped or ticks were
missed, or (for the rest of the run) an episode's metrics row or a checkpoint could not
be written or a peer's QoS did not match the node's, and OK otherwise.
``observation_age_ms`` is the age of the last observation (:mod:`memctrl.ros.arrivals`)
when the status is made. Energy is priced from the growth of the controller's counters
over the window.
"""

from __future__ import annotations

import time
from pathlib import Path

from diagnostic_msgs.msg import DiagnosticStatus, KeyValue

from memctrl.controller import SpikingController
from memctrl.energy.hardware import hardware_for_run
from memctrl.energy.live import LivePower, price_stretch
from memctrl.energy.workload import workload_from_record
from memctrl.network.reference import COUNTER_NAMES
from memctrl.ros.loop_stats import LoopStats
from memctrl.run_dir import controller_run_record


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def controller_status(node_name: str, window: dict, power: LivePower | None, counts: dict,
                      total_missed_ticks: int, learning: bool, watchdog_tripped: bool,
                      rejected_in_window: int, dropped_in_window: int,
                      active: bool) -> DiagnosticStatus:
    """One ``DiagnosticStatus`` for the last diagnostics window (``active``: the
    lifecycle state is active, else inactive)."""
    problems = []
    if watchdog_tripped:
        problems.append("no observation answered: safe command published")
    if rejected_in_window:
        problems.append(f"{rejected_in_window} inputs rejected")
    if dropped_in_window:
        problems.append(f"{dropped_in_window} observations dropped")
    if window["missed_ticks"]:
        problems.append(f"{window['missed_ticks']} ticks missed")
    if counts["episode_rows_lost"]:
        problems.append(f"{counts['episode_rows_lost']} episode rows not written")
    if counts["saves_failed"]:
        problems.append(f"{counts['saves_failed']} checkpoint saves failed")
    if counts["qos_incompatible"]:
        problems.append(f"{counts['qos_incompatible']} peers with incompatible QoS")
    values = dict(window)
    values.update({
        "energy_per_step_j": power.energy_per_step_j if power else "n/a",
        "mean_power_w": power.mean_power_w if power else "n/a",
        "total_missed_ticks": total_missed_ticks,
        "learning": "on" if learning else "off",
        "watchdog": "tripped" if watchdog_tripped else "ok",
        "lifecycle_state": "active" if active else "inactive",
    })
    values.update(counts)
    return DiagnosticStatus(
        level=DiagnosticStatus.WARN if problems else DiagnosticStatus.OK,
        name=f"{node_name}: spiking controller",
        message="; ".join(problems) or ("running" if active else "inactive"),
        hardware_id="emulated 1M1T1R memristor network",
        values=[KeyValue(key=key, value=_value(value)) for key, value in values.items()])


class DiagnosticsWindow:
    """What happened since the last status: ticks, rejected inputs, and the
    growth of the controller's event counters, priced on ``hardware`` (None: the neuron
    preset's). ValueError at construction if that hardware cannot price this device."""

    def __init__(self, controller: SpikingController, hardware: str | None) -> None:
        self.controller = controller
        self.hardware = hardware_for_run(controller.config.neuron_preset, hardware)
        # The controller's sizes and devices, read once; each window brings its counters.
        self._workload = workload_from_record(controller_run_record(controller, 1),
                                              Path("<running controller>"))
        self.ticks = 0
        self.rejected = 0
        self._dropped_before = 0
        self._start_s = time.monotonic()
        self._counters = dict(controller.counters)

    def status(self, node_name: str, stats: LoopStats, counts: dict, watchdog_tripped: bool,
               active: bool, observation_age_ms: float | None) -> DiagnosticStatus:
        """The status of this window (:func:`controller_status`); starts the next one.
        ``observation_age_ms``: the last observation's age
        (:func:`memctrl.ros.arrivals.age_ms`), None if none came."""
        now = time.monotonic()
        counters = self.controller.counters
        window = stats.window()
        power = None
        window["spikes_per_tick"] = window["spikes_per_s"] = "n/a"
        if self.ticks > 0:
            delta = {name: counters[name] - self._counters[name] for name in COUNTER_NAMES}
            power = price_stretch(self._workload.with_counters(delta, self.ticks),
                                  now - self._start_s, self.hardware)
            window["spikes_per_tick"] = delta["spikes"] / self.ticks
            window["spikes_per_s"] = delta["spikes"] / (now - self._start_s)
        window["observation_age_ms"] = ("n/a" if observation_age_ms is None
                                        else observation_age_ms)
        status = controller_status(node_name, window, power, counts, stats.total_missed_ticks,
                                   self.controller.learning, watchdog_tripped, self.rejected,
                                   counts["observations_dropped"] - self._dropped_before,
                                   active)
        self._start_s, self._counters = now, counters
        self._dropped_before = counts["observations_dropped"]
        self.ticks = self.rejected = 0
        return status
