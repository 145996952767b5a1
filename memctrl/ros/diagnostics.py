"""The controller node's ``/diagnostics`` status: timing, spikes, energy, learning.

Values carry their unit in the key. The level is WARN when the watchdog has
tripped, observations were rejected or ticks were missed in the window, and
OK otherwise.
"""

from __future__ import annotations

from diagnostic_msgs.msg import DiagnosticStatus, KeyValue

from memctrl.energy.live import LivePower


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def controller_status(node_name: str, window: dict, power: LivePower | None, counts: dict,
                      total_missed_ticks: int, learning: bool, watchdog_tripped: bool,
                      rejected_in_window: int, active: bool) -> DiagnosticStatus:
    """One ``DiagnosticStatus`` for the last diagnostics window (``active``: the
    lifecycle state is active, else inactive)."""
    problems = []
    if watchdog_tripped:
        problems.append("no observations: safe command published")
    if rejected_in_window:
        problems.append(f"{rejected_in_window} inputs rejected")
    if window["missed_ticks"]:
        problems.append(f"{window['missed_ticks']} ticks missed")
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
