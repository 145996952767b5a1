"""Joules per component: pure functions from counters and a hardware preset.

Energy = sum over components of events x energy per event, plus static power x
time. Each component, what it counts, and its price:

- ``neuron_spikes`` (spikes): ``neuron_input_energy_j + neuron_output_energy_j``,
  the V*I integrated by the device model of the run's neuron preset.
- ``synaptic_reads`` (synaptic events): continuous reads take the core's
  ``synapse_read_energy_j`` (V^2 G over the whole drive); pulsed reads cost
  ``events x V_read^2 x G_pair x t_read``.
- ``weight_programming`` (programming pulses): ``programming_energy_j``
  (V^2 G t_write per pulse) plus one verify read per pulse,
  ``pulses x V_read^2 x G_device x t_verify``.
- ``spike_drivers`` (spikes + n_inputs x ticks): drives x driver energy.
- ``sensor_conversions`` (n_inputs x ticks): conversions x ADC energy.
- ``write_verify_circuitry`` (programming pulses): pulses x (driver + ADC), the
  write driver and the sense conversion of the verify read.
- ``static_leakage`` (seconds): n_neurons x leakage per neuron x duration.

The counting rules that are ours are listed by :func:`assumptions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl.energy.hardware import HardwarePreset
from memctrl.energy.workload import Workload

COMPONENTS = ("neuron_spikes", "synaptic_reads", "weight_programming", "spike_drivers",
              "sensor_conversions", "write_verify_circuitry", "static_leakage")
"""Report order of the components."""

_PULSED_READ_ASSUMPTIONS = (
    "pulsed synaptic reads: one read pulse per synaptic event across both devices of the "
    "differential pair (the core reads V^2 (g_pos + g_neg)), at the synapse preset's read "
    "voltage v_read",
    "mean conductance of a pair read: g_min + (g_min + g_max) / 2, one device idle at g_min "
    "and the other at mid-range (the run record holds no conductances)",
)
_COMMON_ASSUMPTIONS = (
    "weight programming: one verify read per programming pulse, of one device at mid-range "
    "conductance (g_min + g_max) / 2, at v_read, lasting the preset's verify-read width",
    "write-verify circuitry: per programming pulse one driver activation for the write and "
    "one ADC conversion to sense the verify read",
    "spike/row drivers: one drive per input channel per control tick (inputs are held for "
    "the tick) and one per output spike (the spike driver carries it to its row)",
    "sensor conversions: one ADC conversion per input channel per control tick",
    "static leakage: leakage per neuron x neurons x the run's duration",
)


def assumptions(hardware: HardwarePreset) -> tuple[str, ...]:
    """The counting rules of ours that pricing on ``hardware`` relies on."""
    if hardware.synaptic_reads == "pulsed":
        return _PULSED_READ_ASSUMPTIONS + _COMMON_ASSUMPTIONS
    return _COMMON_ASSUMPTIONS


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


def device_conductance(g_min: float, g_max: float) -> float:
    """Assumed conductance of one device at mid-range, S."""
    return 0.5 * (g_min + g_max)


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


def driver_activations(workload: Workload) -> float:
    """Spike/row driver activations: one per spike, and one per input channel per network
    tick. A controller's populations share the input rows and tick side by side, its
    critic twice per step (``ticks_per_step``), so its rows are driven twice per step."""
    return (workload.counter("spikes")
            + workload.n_inputs * workload.ticks * workload.ticks_per_step)


def sensor_conversions(workload: Workload) -> float:
    """ADC conversions: one per input channel per tick."""
    return workload.n_inputs * workload.ticks


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


def _weight_programming(workload: Workload, hardware: HardwarePreset) -> ComponentEnergy:
    pulses = workload.counter("programming_pulses")
    g_device = device_conductance(workload.g_min_s, workload.g_max_s)
    t_verify = hardware.verify_read_pulse.value
    verify = read_pulse_energy(pulses, workload.v_read_v, g_device, t_verify)
    return ComponentEnergy(
        "weight_programming", workload.counter("programming_energy_j") + verify, pulses,
        "programming pulse",
        f"programming_energy_j (V^2 G t_write per pulse) + pulses x V_read^2 x G x t_verify "
        f"= pulses x {workload.v_read_v:g}^2 V^2 x {g_device:.4g} S x {t_verify:.4g} s")


def energy_breakdown(workload: Workload, hardware: HardwarePreset) -> Breakdown:
    """Price ``workload`` on ``hardware``: one :class:`ComponentEnergy` per component."""
    spikes = workload.counter("spikes")
    drives = driver_activations(workload)
    conversions = sensor_conversions(workload)
    pulses = workload.counter("programming_pulses")
    driver_j, adc_j = hardware.driver.value, hardware.adc.value
    leakage_w = static_power(workload, hardware)
    return Breakdown((
        ComponentEnergy(
            "neuron_spikes",
            workload.counter("neuron_input_energy_j") + workload.counter("neuron_output_energy_j"),
            spikes, "spike",
            "neuron_input_energy_j + neuron_output_energy_j (V*I integrated by the device "
            f"model of preset {workload.neuron_preset!r})"),
        _synaptic_reads(workload, hardware),
        _weight_programming(workload, hardware),
        ComponentEnergy(
            "spike_drivers", per_event_energy(drives, driver_j), drives, "driver activation",
            f"(spikes + n_inputs x ticks) x {driver_j:.4g} J"),
        ComponentEnergy(
            "sensor_conversions", per_event_energy(conversions, adc_j), conversions,
            "ADC conversion", f"n_inputs x ticks x {adc_j:.4g} J"),
        ComponentEnergy(
            "write_verify_circuitry", per_event_energy(pulses, driver_j + adc_j), pulses,
            "programming pulse", f"pulses x ({driver_j:.4g} J driver + {adc_j:.4g} J ADC)"),
        ComponentEnergy(
            "static_leakage", static_energy(leakage_w, workload.duration_s),
            workload.duration_s, "second",
            f"{workload.n_neurons} neurons x {hardware.leakage_per_neuron.value:.4g} W x "
            "duration", dynamic=False),
    ))
