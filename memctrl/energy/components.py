"""Joules per component: pure functions from counters and a hardware preset.

Energy = sum over components of events x energy per event, plus static power x
time. ``h`` is the device time of a substep (``Workload.substep_device_s``).
Each component, what it counts, and its price:

- ``neuron_spikes`` (spikes): ``neuron_input_energy_j + neuron_output_energy_j``,
  the V*I integrated by the device model of the run's neuron preset.
- ``output_fanout`` (spikes): ``spikes x C_fanout x V_dd^2``, charging what the
  output drives; and when the preset's load resistor is too large to charge it
  within a substep (``2.2 R_load C_fanout > h``), the output stage at the load
  that can, ``R_need = h / (2.2 C_fanout)``: the extra
  ``neuron_output_energy_j x (R_load / R_need - 1)``.
- ``synaptic_reads`` (synaptic events): continuous reads take the core's
  ``synapse_read_energy_j`` (V^2 G over the whole drive); pulsed reads cost
  ``events x V_read^2 x G_pair x t_read``.
- ``column_stage`` (membrane updates): each neuron column while driven,
  ``membrane_updates x h x P_column`` (transimpedance stage, or hold buffer),
  plus ``membrane_updates x E_sample`` for pulsed reads.
- ``weight_programming`` (programming pulses): ``programming_energy_j``, the
  core's V^2 G t_write per pulse and, with accumulated programming, its verify
  read of each programmed pair (``memctrl.device.synapse.verify_energy``): the
  verify read is priced there, once.
- ``row_drivers`` (driven row-ticks): each input row driven in a network tick
  takes one multi-bit DAC conversion and its hold buffer for the drive,
  ``driven_row_ticks x (E_dac + substeps x h x P_hold)``; when every driven row
  carries the same voltage (``shared_row_level``: tile and one-hot codes) a row is
  switched to one shared level instead, ``driven_row_ticks x E_driver +
  level_ticks x substeps x h x P_shared`` with ``level_ticks = min(driven row-ticks,
  network ticks)``: the network ticks that drive a row when every tick drives one (tile
  and one-hot codes do), an upper bound otherwise; an undriven row costs nothing.
- ``spike_drivers`` (spikes): ``spikes x E_driver`` when spikes drive recurrent
  rows; a network without recurrent synapses has none (its spikes go to the
  decoder's counters, priced as ``output_fanout``).
- ``sensor_conversions``: ``sensor channels x ticks x E_adc``, the raw sensor
  channels converted once per control step (not the encoded channels).
- ``write_verify_circuitry`` (programming pulses): ``pulses x E_driver`` for the
  write, plus ``weights_written x E_adc`` to sense the verify read of each
  programmed pair when the run verifies.
- ``column_reads`` (column reads): a column read without neuron ticks (the
  controller's critic) takes its transimpedance stage for the read and one ADC
  conversion, ``reads x (t_read x P_column + E_adc)``; its synapses' read energy
  is in ``synaptic_reads``.
- ``static_leakage`` (seconds): n_neurons x leakage per neuron x duration.

The counting rules that are ours are listed by :func:`assumptions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl.energy.constants import RISE_TIME_PER_RC
from memctrl.energy.hardware import HardwarePreset
from memctrl.energy.workload import Workload

COMPONENTS = ("neuron_spikes", "output_fanout", "synaptic_reads", "column_stage",
              "weight_programming", "row_drivers", "spike_drivers", "sensor_conversions",
              "write_verify_circuitry", "column_reads", "static_leakage")
"""Report order of the components."""

_PULSED_READ_ASSUMPTIONS = (
    "pulsed synaptic reads: one read pulse per synaptic event across both devices of the "
    "differential pair (the core reads V^2 (g_pos + g_neg)), at the synapse preset's read "
    "voltage v_read",
    "mean conductance of a pair read: g_min + (g_min + g_max) / 2, one device idle at g_min "
    "and the other at mid-range (the run record holds no conductances)",
    "pulsed column stage: one sample per neuron column per substep onto the hold "
    "capacitor, and the hold buffer powered while the drive lasts",
)
_CONTINUOUS_READ_ASSUMPTIONS = (
    "continuous column stage: the voltage-mode drive (drive = w_in @ u as the neuron's "
    "input voltage) implies each neuron column held at virtual ground by a transimpedance "
    "stage, powered while the drive lasts (membrane updates x substep device time)",
)
_COMMON_ASSUMPTIONS = (
    "weight programming: the core's programming_energy_j, which holds the write pulses and, "
    "with accumulated programming (program_threshold > 0), one verify read per programmed "
    "pair at the write-pulse width; the energy model adds no second verify read",
    "write-verify circuitry: per programming pulse one driver activation for the write and, "
    "when the run verifies, one ADC conversion per weight written to sense its pair's "
    "verify read (a record from before weights were counted: one per pulse, an upper bound)",
    "row drivers: one multi-bit DAC conversion per driven input row per network tick and "
    "its hold buffer for the drive; or, when every driven row carries the same voltage "
    "(tile and one-hot codes, recorded as shared_row_level), one 1-b driver switching each "
    "driven row to a single shared level buffer, powered for the drive in every network "
    "tick that drives a row; driven rows per tick = input synaptic events / membrane "
    "updates; an undriven row (zero input) costs nothing",
    "spike drivers: one 1-b drive per output spike into its recurrent row; without "
    "recurrent synapses the spike only reaches the decoder's counter (output fan-out)",
    "sensor conversions: one ADC conversion per raw sensor channel per control step (the "
    "observation's dimensions; a record without them is priced per input channel)",
    "output fan-out: one CMOS gate plus wiring per neuron output, charged once per spike; "
    "the output stage's load resistor lowered to charge it within a substep when needed",
    "static leakage: leakage per neuron x neurons x the run's duration",
    "column reads (the critic's column, read without neuron ticks): each read lasts one "
    "write-pulse width (the synapse preset's t_write, as a verify read), takes the "
    "column's transimpedance stage for that long and one ADC conversion; 2 reads per "
    "control step, an upper bound (an episode's first step reads once, inference none)",
)


def assumptions(hardware: HardwarePreset) -> tuple[str, ...]:
    """The counting rules of ours that pricing on ``hardware`` relies on."""
    if hardware.synaptic_reads == "pulsed":
        return _PULSED_READ_ASSUMPTIONS + _COMMON_ASSUMPTIONS
    return _CONTINUOUS_READ_ASSUMPTIONS + _COMMON_ASSUMPTIONS


@dataclass(frozen=True)
class ComponentEnergy:
    """One line of the energy breakdown.

    ``events`` counts what ``event`` names (for static leakage: seconds).
    """

    name: str
    energy_j: float
    events: float
    event: str
    formula: str
    dynamic: bool = True

    @property
    def energy_per_event_j(self) -> float | None:
        return self.energy_j / self.events if self.events > 0 else None

    def as_dict(self) -> dict:
        return {"name": self.name, "energy_j": self.energy_j, "events": self.events,
                "event": self.event, "energy_per_event_j": self.energy_per_event_j,
                "formula": self.formula, "dynamic": self.dynamic}


@dataclass(frozen=True)
class Breakdown:
    """Every component of a workload priced on one hardware preset."""

    components: tuple[ComponentEnergy, ...]

    def __getitem__(self, name: str) -> ComponentEnergy:
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(name)

    @property
    def total_j(self) -> float:
        return sum(component.energy_j for component in self.components)

    @property
    def dynamic_j(self) -> float:
        return sum(c.energy_j for c in self.components if c.dynamic)

    @property
    def static_j(self) -> float:
        return sum(c.energy_j for c in self.components if not c.dynamic)

    def energies(self) -> dict[str, float]:
        return {component.name: component.energy_j for component in self.components}

    @property
    def dominant(self) -> str:
        return max(self.components, key=lambda component: component.energy_j).name


# -- the arithmetic, one function per formula -------------------------------------------

def pair_conductance(g_min: float, g_max: float) -> float:
    """Assumed conductance of a differential pair read, S (see ASSUMPTIONS)."""
    return g_min + 0.5 * (g_min + g_max)


def read_pulse_energy(events: float, v_read: float, conductance: float,
                      pulse_s: float) -> float:
    """``events`` reads of ``V_read^2 G t_read`` each, J."""
    return events * v_read ** 2 * conductance * pulse_s


def per_event_energy(events: float, energy_per_event_j: float) -> float:
    """``events`` x a fixed energy per event, J."""
    return events * energy_per_event_j


def static_energy(power_w: float, duration_s: float) -> float:
    """Static power over a duration, J."""
    return power_w * duration_s


def static_power(workload: Workload, hardware: HardwarePreset) -> float:
    """Leakage of the whole array, W."""
    return workload.n_neurons * hardware.leakage_per_neuron.value


def spike_driver_activations(workload: Workload) -> float:
    """1-b spike-driver activations: one per spike into a recurrent row, none without one."""
    return workload.counter("spikes") if workload.n_recurrent_synapses > 0 else 0.0


def sensor_conversions(workload: Workload) -> float:
    """ADC conversions: one per raw sensor channel per control step."""
    return workload.sensor_channels * workload.ticks


def verify_conversions(workload: Workload) -> float:
    """ADC conversions sensing verify reads: one per weight written (a verify read per
    programmed pair, as the core prices it) when the run verifies."""
    return workload.counter("weights_written") if workload.verifies_writes else 0.0


def output_load_factor(workload: Workload, fanout_f: float) -> float:
    """``R_load / R_need`` when the load resistor cannot charge the fan-out within a
    substep (``R_need = h / (2.2 C_fanout)``), else 1."""
    h, r_load = workload.substep_device_s, workload.r_load_ohm
    if h <= 0 or r_load is None:
        return 1.0
    r_need = h / (RISE_TIME_PER_RC.value * fanout_f)
    return max(1.0, r_load / r_need)


# -- the breakdown -----------------------------------------------------------------------

def _synaptic_reads(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    events = workload.counter("synaptic_events")
    if hardware.synaptic_reads == "continuous":
        return ComponentEnergy(
            "synaptic_reads", workload.counter("synapse_read_energy_j"), events,
            "synaptic event",
            "synapse_read_energy_j: V^2 (g_pos + g_neg) integrated over the whole drive "
            "(continuous reads)")
    g_pair = pair_conductance(workload.g_min_s, workload.g_max_s)
    t_read = hardware.read_pulse.value
    return ComponentEnergy(
        "synaptic_reads", read_pulse_energy(events, workload.v_read_v, g_pair, t_read),
        events, "synaptic event",
        f"synaptic_events x V_read^2 x G_pair x t_read = events x {workload.v_read_v:g} V^2 "
        f"x {g_pair:.4g} S x {t_read:.4g} s (pulsed reads)")


def _output_fanout(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    spikes = workload.counter("spikes")
    c_fanout = hardware.fanout_capacitance.value
    v_dd = workload.v_dd_v or 0.0
    factor = output_load_factor(workload, c_fanout)
    extra = workload.counter("neuron_output_energy_j") * (factor - 1.0)
    return ComponentEnergy(
        "output_fanout", spikes * c_fanout * v_dd ** 2 + extra, spikes, "spike",
        f"spikes x {c_fanout:.3g} F x ({v_dd:g} V)^2 + neuron_output_energy_j x "
        f"(R_load / R_need - 1) = x {factor - 1.0:.4g} (R_need = h / (2.2 C_fanout))")


def _column_stage(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    updates = workload.counter("membrane_updates")
    h, power = workload.substep_device_s, hardware.column_amplifier.value
    sample = hardware.column_sample.value if hardware.column_sample is not None else 0.0
    what = ("hold buffer + sample per column" if hardware.column_sample is not None
            else "transimpedance stage per column")
    return ComponentEnergy(
        "column_stage", updates * (h * power + sample), updates, "membrane update",
        f"membrane_updates x ({h:.4g} s x {power:.3g} W + {sample:.3g} J) ({what})")


def _row_drivers(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    rows = workload.driven_row_ticks
    held_s = workload.substeps * workload.substep_device_s
    if workload.shared_row_level:
        switch, hold = hardware.driver.value, hardware.shared_level_hold.value
        level_ticks = min(rows, workload.ticks * workload.ticks_per_step)
        return ComponentEnergy(
            "row_drivers", rows * switch + level_ticks * held_s * hold, rows,
            "driven row-tick",
            f"driven row-ticks x {switch:.3g} J switch + {level_ticks:,.0f} network ticks x "
            f"{held_s:.4g} s x {hold:.3g} W shared level (every driven row at one voltage)")
    dac, hold = hardware.row_dac.value, hardware.row_hold.value
    return ComponentEnergy(
        "row_drivers", rows * (dac + held_s * hold), rows, "driven row-tick",
        f"driven row-ticks x ({dac:.3g} J DAC + {held_s:.4g} s x {hold:.3g} W hold)")


def _column_reads(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    reads = workload.column_reads_per_step * workload.ticks
    t_read, power = workload.column_read_s, hardware.column_amplifier.value
    adc_j = hardware.adc.value
    return ComponentEnergy(
        "column_reads", reads * (t_read * power + adc_j), reads, "column read",
        f"column reads x ({t_read:.4g} s x {power:.3g} W + {adc_j:.4g} J ADC)")


def energy_breakdown(workload: Workload, hardware: HardwarePreset) -> Breakdown:
    """Price ``workload`` on ``hardware``: one :class:`ComponentEnergy` per component."""
    spikes = workload.counter("spikes")
    drives = spike_driver_activations(workload)
    conversions = sensor_conversions(workload)
    pulses = workload.counter("programming_pulses")
    verifies = verify_conversions(workload)
    driver_j, adc_j = hardware.driver.value, hardware.adc.value
    leakage_w = static_power(workload, hardware)
    return Breakdown((
        ComponentEnergy(
            "neuron_spikes",
            workload.counter("neuron_input_energy_j") + workload.counter("neuron_output_energy_j"),
            spikes, "spike",
            "neuron_input_energy_j + neuron_output_energy_j (V*I integrated by the device "
            f"model of preset {workload.neuron_preset!r}; {hardware.spike_energy_basis})"),
        _output_fanout(workload, hardware),
        _synaptic_reads(workload, hardware),
        _column_stage(workload, hardware),
        ComponentEnergy(
            "weight_programming", workload.counter("programming_energy_j"), pulses,
            "programming pulse",
            "programming_energy_j (V^2 G t_write per pulse, and the verify read of each "
            "programmed pair, priced once by the core)"),
        _row_drivers(workload, hardware),
        ComponentEnergy(
            "spike_drivers", per_event_energy(drives, driver_j), drives, "driver activation",
            f"spikes into recurrent rows x {driver_j:.4g} J"),
        ComponentEnergy(
            "sensor_conversions", per_event_energy(conversions, adc_j), conversions,
            "ADC conversion", f"{workload.sensor_channels} sensor channels x ticks x "
                              f"{adc_j:.4g} J"),
        ComponentEnergy(
            "write_verify_circuitry", pulses * driver_j + verifies * adc_j, pulses,
            "programming pulse",
            f"pulses x {driver_j:.4g} J driver + {verifies:,.0f} verify senses x "
            f"{adc_j:.4g} J ADC"),
        _column_reads(workload, hardware),
        ComponentEnergy(
            "static_leakage", static_energy(leakage_w, workload.duration_s),
            workload.duration_s, "second",
            f"{workload.n_neurons} neurons x {hardware.leakage_per_neuron.value:.4g} W x "
            "duration", dynamic=False),
    ))
