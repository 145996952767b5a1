"""The work a run did, as the energy model reads it from a run record.

A :class:`Workload` holds the core's counters (``memctrl.network.reference``
says exactly how each is counted), the run's length and the sizes of its
network. Everything the energy model prices is derived from these numbers.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from memctrl.network.reference import COUNTER_NAMES, with_added_counters


@dataclass(frozen=True)
class Workload:
    """Counters, duration and sizes of one run (or one episode of it).

    Attributes
    ----------
    counters : dict
        ``{name: value}`` for every name in ``COUNTER_NAMES`` (counts and J).
    ticks : float
        Control ticks (steps) the counters cover.
    duration_s : float
        Time the ticks took at the control rate, s (the run's emulated time).
    control_rate_hz : float
        Control ticks per second.
    n_neurons, n_inputs, n_recurrent_synapses, substeps : int
        Network sizes and substeps per tick.
    g_min_s, g_max_s : float
        Conductance bounds of one synapse device, S.
    v_read_v : float
        Read voltage of the synapse devices, V.
    levels : int
        Programmable levels of one synapse device.
    neuron_preset, synapse_preset : str
        Names of the device presets the run used.
    device_max_control_rate_hz : float
        Fastest control rate at which the device does this work per step: a step
        takes ``ticks_per_step x substeps x dt / time_scale`` seconds of device time.
    ticks_per_step : int
        Network ticks one after the other in a control step (1 for a plain network;
        a controller whose critic reads and then learns takes 2).
    neuron_ticks_per_step : float or None
        Neuron-ticks of one control step when neurons tick more than once per step
        (a controller's critic); None means ``n_neurons``.
    substep_device_s : float
        Device time of one substep, ``dt / time_scale``, s: how long the drive of a
        substep lasts on the chip (0 prices no time-dependent periphery).
    n_sensor_channels : int or None
        Raw sensor channels converted per control step (a controller's observation
        dimensions, before coding); None: not recorded, taken as ``n_inputs``.
    verifies_writes : bool
        Whether programming is followed by a verify read (``program_threshold > 0``);
        the core prices that read in ``programming_energy_j``.
    v_dd_v, r_load_ohm : float or None
        Supply and load resistor of the neuron's output stage (None: not recorded).
    column_reads_per_step : float
        Column reads without neuron ticks per control step (a controller's critic,
        :meth:`memctrl.network.network.Network.read_drive`), each lasting
        ``column_read_s`` (the synapse's write-pulse width).
    column_read_s : float
        Duration of one column read, s.
    shared_row_level : bool
        Every driven input row carries the same voltage (tile and one-hot codes): rows
        are switched to one shared level; False (graded levels, or not recorded): each
        driven row has its own DAC and hold buffer.
    """

    counters: Mapping[str, float]
    ticks: float
    duration_s: float
    control_rate_hz: float
    n_neurons: int
    n_inputs: int
    n_recurrent_synapses: int
    substeps: int
    g_min_s: float
    g_max_s: float
    v_read_v: float
    levels: int
    neuron_preset: str
    synapse_preset: str
    device_max_control_rate_hz: float = math.inf
    ticks_per_step: int = 1
    neuron_ticks_per_step: float | None = None
    substep_device_s: float = 0.0
    n_sensor_channels: int | None = None
    verifies_writes: bool = True
    v_dd_v: float | None = None
    r_load_ohm: float | None = None
    column_reads_per_step: float = 0.0
    column_read_s: float = 0.0
    shared_row_level: bool = False

    def counter(self, name: str) -> float:
        return float(self.counters[name])

    @property
    def membrane_updates_per_step(self) -> float:
        """Membrane updates of one control step (neuron-ticks x substeps)."""
        neuron_ticks = self.neuron_ticks_per_step or self.n_neurons
        return neuron_ticks * self.substeps

    @property
    def sensor_channels(self) -> int:
        """Raw sensor channels converted per control step (``n_inputs`` if not recorded)."""
        return self.n_inputs if self.n_sensor_channels is None else self.n_sensor_channels

    @property
    def input_synaptic_events(self) -> float:
        """Reads of an input-row voltage (every synapse of a driven row, per substep)."""
        return self.counter("synaptic_events") - self.counter("spike_synaptic_events")

    @property
    def driven_row_ticks(self) -> float:
        """Input rows driven, summed over network ticks: an undriven row counts nothing.

        Every membrane update reads the synapses of the rows driven in its tick, so
        ``input_synaptic_events / membrane_updates`` is the mean number of driven rows
        per network tick; a control step has ``ticks_per_step`` network ticks (the
        populations tick side by side on the same rows).
        """
        updates = self.counter("membrane_updates")
        if updates <= 0:
            return 0.0
        return self.input_synaptic_events / updates * self.ticks * self.ticks_per_step

    @property
    def n_synapses(self) -> int:
        """Input plus recurrent synapses (each a differential pair of devices)."""
        return self.n_neurons * self.n_inputs + self.n_recurrent_synapses

    def replace(self, **changes: object) -> "Workload":
        return dataclasses.replace(self, **changes)

    def at_control_rate(self, rate_hz: float) -> "Workload":
        """The same work per tick, run at ``rate_hz`` ticks per second."""
        return self.replace(control_rate_hz=rate_hz, duration_s=self.ticks / rate_hz)

    def with_counters(self, counters: Mapping[str, float], ticks: float) -> "Workload":
        """Another stretch of the same run (for example one episode)."""
        return self.replace(counters=dict(counters), ticks=ticks,
                            duration_s=ticks / self.control_rate_hz)

    def scaled_network(self, factor: float) -> "Workload":
        """``factor`` times the neurons, at the same per-neuron activity and fan-in.

        Every counter (spikes, membrane updates, synaptic events, pulses and their
        energies) and the recurrent synapses scale by ``factor``; the inputs, the
        ticks and the duration stay the same.
        """
        return self.replace(
            counters={name: value * factor for name, value in self.counters.items()},
            n_neurons=max(1, round(self.n_neurons * factor)),
            neuron_ticks_per_step=(self.neuron_ticks_per_step * factor
                                   if self.neuron_ticks_per_step else None),
            n_recurrent_synapses=round(self.n_recurrent_synapses * factor))


def _number(path: Path, where: str, value: object, minimum: float, strict: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < minimum or (strict and value == minimum):
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise ValueError(f"{path}: {where} must be a finite number {bound}, got {value!r}")
    return float(value)


def _count(path: Path, where: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{path}: {where} must be an integer >= {minimum}, got {value!r}")
    return value


def workload_from_record(record: dict, path: Path) -> Workload:
    """The workload of a run record already read by ``memctrl.run_record``.

    ``path`` names the record in error messages. Raises ValueError naming the
    file and the missing or bad field.
    """
    network = record["network"]
    synapse = network.get("synapse")
    if not isinstance(synapse, dict):
        raise ValueError(f"{path}: missing 'network.synapse' (the synapse parameters)")
    for key in ("neuron_preset", "synapse_preset"):
        if not isinstance(network.get(key), str):
            raise ValueError(f"{path}: 'network.{key}' must be a preset name, "
                             f"got {network.get(key)!r}")
    g_min = _number(path, "'network.synapse.g_min'", synapse.get("g_min"), 0.0, True)
    g_max = _number(path, "'network.synapse.g_max'", synapse.get("g_max"), 0.0, True)
    if g_max <= g_min:
        raise ValueError(f"{path}: 'network.synapse' needs g_min < g_max, "
                         f"got {g_min!r} and {g_max!r} S")
    substeps = _count(path, "'network.substeps'", network.get("substeps"), 1)
    counters = with_added_counters(record["counters"])
    ticks_per_step = _count(path, "'network.ticks_per_step'", network.get("ticks_per_step", 1), 1)
    return Workload(
        counters={name: float(counters[name]) for name in COUNTER_NAMES},
        ticks=_number(path, "'ticks'", record["ticks"], 0.0, True),
        duration_s=_number(path, "'emulated_time_s'", record["emulated_time_s"], 0.0, True),
        control_rate_hz=_number(path, "'network.control_rate_hz'",
                                network.get("control_rate_hz"), 0.0, True),
        n_neurons=_count(path, "'network.n_neurons'", network.get("n_neurons"), 1),
        n_inputs=_count(path, "'network.n_inputs'", network.get("n_inputs"), 1),
        n_recurrent_synapses=_count(path, "'network.n_recurrent_synapses'",
                                    network.get("n_recurrent_synapses"), 0),
        substeps=substeps,
        g_min_s=g_min, g_max_s=g_max,
        v_read_v=_number(path, "'network.synapse.v_read'", synapse.get("v_read"), 0.0, True),
        levels=_count(path, "'network.synapse.levels'", synapse.get("levels"), 2),
        neuron_preset=network["neuron_preset"],
        synapse_preset=network["synapse_preset"],
        device_max_control_rate_hz=_device_max_control_rate_hz(
            network, path, ticks_per_step * substeps),
        ticks_per_step=ticks_per_step,
        neuron_ticks_per_step=_optional_number(path, "'network.neuron_ticks_per_step'",
                                               network.get("neuron_ticks_per_step")),
        substep_device_s=_substep_device_s(network, path),
        n_sensor_channels=(None if network.get("n_sensor_channels") is None else _count(
            path, "'network.n_sensor_channels'", network.get("n_sensor_channels"), 1)),
        verifies_writes=_number(path, "'network.program_threshold'",
                                network.get("program_threshold", 1.0), 0.0, False) > 0,
        column_reads_per_step=_number(path, "'network.column_reads_per_step'",
                                      network.get("column_reads_per_step", 0.0), 0.0, False),
        column_read_s=_number(path, "'network.synapse.t_write'", synapse.get("t_write", 0.0),
                              0.0, False),
        shared_row_level=_flag(path, "'network.shared_row_level'",
                               network.get("shared_row_level", False)),
        v_dd_v=_number(path, "'network.neuron.v_dd'", network["neuron"].get("v_dd"), 0.0, True),
        r_load_ohm=_number(path, "'network.neuron.r_load'", network["neuron"].get("r_load"),
                           0.0, True),
    )


def _substep_device_s(network: dict, path: Path) -> float:
    """Device seconds of one substep, ``dt_s / time_scale``."""
    time_scale = _number(path, "'network.neuron.time_scale'",
                         network["neuron"].get("time_scale"), 0.0, True)
    return _number(path, "'network.dt_s'", network.get("dt_s"), 0.0, True) / time_scale


def _flag(path: Path, where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{path}: {where} must be true or false, got {value!r}")
    return value


def _optional_number(path: Path, where: str, value: object) -> float | None:
    return None if value is None else _number(path, where, value, 0.0, True)


def _device_max_control_rate_hz(network: dict, path: Path, substeps_per_step: int) -> float:
    """Control steps per second of device time, each ``substeps_per_step`` substeps of dt."""
    neuron = network.get("neuron")
    if not isinstance(neuron, dict):
        raise ValueError(f"{path}: missing 'network.neuron' (the neuron parameters)")
    time_scale = _number(path, "'network.neuron.time_scale'", neuron.get("time_scale"), 0.0, True)
    dt = _number(path, "'network.dt_s'", network.get("dt_s"), 0.0, True)
    return time_scale / (substeps_per_step * dt)
