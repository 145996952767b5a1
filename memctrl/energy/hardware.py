"""Hardware presets: how the events of a run are priced on a chip.

A run's counters come from the device model of one neuron preset (its
integrated V*I energy per spike). A hardware preset says everything the
counters do not: how synapses are read, what the peripherals cost and how much
the chip leaks. It prices only runs of the neuron presets it names; we never
rescale one device's spike energy into another's.

Synaptic reads are the choice that moves the answer by orders of magnitude
(device-model.md section 2):

- ``continuous``: the input voltage (or the spike) stays on the synapse for as
  long as it lasts, which is what the emulated circuit does; the core's
  ``synapse_read_energy_j`` integrates V^2 (g_pos + g_neg) over that time.
  With ms-long drive and uS devices this costs nJ per event.
- ``pulsed``: each synaptic event is one short read pulse of ``read_pulse``
  seconds at the synapse's read voltage across the differential pair,
  ``V_read^2 (g_pos + g_neg) t_read``.

Either way the network is voltage-mode (``drive = w_in @ u`` is the neuron's
input voltage), which implies circuits a preset prices too: a multi-bit DAC and
a hold buffer per driven input row (or, when every driven row carries the same
voltage, a 1-b switch per row to one shared level buffer), and per neuron column a
transimpedance stage holding the column at virtual ground (continuous) or a
sample-and-hold and buffer that keeps a 5 ns read as a ms-long drive (pulsed).

Each family (measured, energy-65nm, projected-3nm) has a continuous preset,
named after the neuron preset and used by default, and a ``-pulsed`` one.

The neuron's energy per spike is never a measured figure here: it is the
emulator's integral of V*I on the preset's parameters (``spike_energy_basis``).
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl._checks import require_choice
from memctrl.energy.constants import (
    ADC_ISAAC_J,
    ADC_NEURRAM_J,
    COLUMN_HOLD_BUFFER_W,
    COLUMN_TIA_W,
    FANOUT_CAPACITANCE_F,
    LEAKAGE_3NM_W_PER_NEURON,
    LEAKAGE_65NM_W_PER_NEURON,
    ROW_DAC_J,
    ROW_DRIVER_J,
    ROW_HOLD_BUFFER_W,
    SAMPLE_HOLD_J,
    SHARED_LEVEL_BUFFER_W,
    SHORT_READ_PULSE_S,
    Constant,
)

READ_MODES = ("continuous", "pulsed")


@dataclass(frozen=True)
class HardwarePreset:
    """What a chip built from these devices costs beyond the neuron's own V*I.

    Attributes
    ----------
    name, description : str
    neuron_presets : tuple of str
        Neuron presets (of the run record) whose spike energy this preset prices.
    synaptic_reads : {"continuous", "pulsed"}
        How a synaptic event is read (module docstring).
    read_pulse : Constant or None
        Read-pulse width t_read, s; used when ``synaptic_reads == "pulsed"``.
    driver : Constant
        Energy of one spike-driver (1-b) activation, and of the write driver of a
        programming pulse, J.
    adc : Constant
        Energy of one conversion (a sensor channel, or the sense of a verify read), J.
    leakage_per_neuron : Constant
        Static power per neuron, W: its column's periphery kept powered.
    spike_energy_basis : str
        Where the neuron preset's energy per spike comes from (never measured).
    row_dac, row_hold : Constant
        Multi-bit DAC conversion per driven row per network tick, J; the buffer
        holding the row's level while driven, W (graded input levels).
    shared_level_hold : Constant
        The one buffer holding the shared level of a code whose driven rows all carry
        the same voltage, W while driven (each row switched to it by ``driver``).
    column_amplifier : Constant
        Per neuron column while driven, W: the transimpedance stage (continuous) or
        the hold buffer (pulsed).
    column_sample : Constant or None
        Per column sample of a read pulse, J (pulsed reads only).
    fanout_capacitance : Constant
        What a neuron's output drives, F.
    """

    name: str
    description: str
    neuron_presets: tuple[str, ...]
    synaptic_reads: str
    read_pulse: Constant | None
    driver: Constant
    adc: Constant
    leakage_per_neuron: Constant
    spike_energy_basis: str
    row_dac: Constant = ROW_DAC_J
    row_hold: Constant = ROW_HOLD_BUFFER_W
    shared_level_hold: Constant = SHARED_LEVEL_BUFFER_W
    column_amplifier: Constant = COLUMN_TIA_W
    column_sample: Constant | None = None
    fanout_capacitance: Constant = FANOUT_CAPACITANCE_F

    def __post_init__(self) -> None:
        if self.synaptic_reads not in READ_MODES:
            raise ValueError(f"synaptic_reads must be one of {READ_MODES}, "
                             f"got {self.synaptic_reads!r}")
        if self.synaptic_reads == "pulsed" and (self.read_pulse is None
                                                 or self.column_sample is None):
            raise ValueError(f"hardware preset {self.name!r}: pulsed reads need read_pulse "
                             "and column_sample")

    def constants(self) -> dict[str, Constant]:
        """The figures this preset multiplies by, by role."""
        named = {"driver_j": self.driver, "adc_j": self.adc,
                 "leakage_w_per_neuron": self.leakage_per_neuron, "row_dac_j": self.row_dac,
                 "row_hold_w": self.row_hold, "shared_level_hold_w": self.shared_level_hold,
                 "column_amplifier_w": self.column_amplifier,
                 "fanout_capacitance_f": self.fanout_capacitance}
        if self.synaptic_reads == "pulsed":
            named["read_pulse_s"] = self.read_pulse
            named["column_sample_j"] = self.column_sample
        return named

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "neuron_presets": list(self.neuron_presets),
                "synaptic_reads": self.synaptic_reads,
                "read_pulse_s": self.read_pulse.value if self.read_pulse else None,
                "spike_energy_basis": self.spike_energy_basis,
                "constants": {key: c.as_dict() for key, c in self.constants().items()}}


def _family(neuron_preset: str, summary: str, adc: Constant, leakage: Constant,
            spike_energy_basis: str) -> dict[str, HardwarePreset]:
    common = dict(neuron_presets=(neuron_preset,), driver=ROW_DRIVER_J, adc=adc,
                  leakage_per_neuron=leakage, spike_energy_basis=spike_energy_basis)
    return {
        neuron_preset: HardwarePreset(
            name=neuron_preset, synaptic_reads="continuous", read_pulse=None,
            description=f"{summary}; synapses read for as long as the drive lasts "
                        "(continuous, as emulated), columns held at virtual ground by a "
                        "transimpedance stage", **common),
        f"{neuron_preset}-pulsed": HardwarePreset(
            name=f"{neuron_preset}-pulsed", synaptic_reads="pulsed",
            read_pulse=SHORT_READ_PULSE_S, column_amplifier=COLUMN_HOLD_BUFFER_W,
            column_sample=SAMPLE_HOLD_J,
            description=f"{summary}; one {SHORT_READ_PULSE_S.value * 1e9:g} ns read pulse "
                        "per synaptic event, sampled and held by a buffer for the drive",
            **common),
    }


HARDWARE_PRESETS: dict[str, HardwarePreset] = {
    **_family("measured", "the 1M1T1R device of the recalibrated Table 1 fit (pJ per spike, "
              "derived) with ISAAC 32 nm spike drivers and 8 b SAR ADC", ADC_ISAAC_J,
              LEAKAGE_65NM_W_PER_NEURON,
              "derived (D), not measured: the emulator's integral of V*I on the Table 1 "
              "compact-model fit as recalibrated by memctrl (device/presets.py)"),
    **_family("energy-65nm", "the 65 nm energy-estimate device (Table 7) with ISAAC 32 nm "
              "spike drivers and 8 b SAR ADC", ADC_ISAAC_J, LEAKAGE_65NM_W_PER_NEURON,
              "derived (D): the emulator's integral of V*I on Table 7's 65 nm estimate"),
    **_family("projected-3nm", "the 3 nm projection (Table 8, aJ per spike) with ISAAC "
              "spike drivers and the NeuRRAM ADC", ADC_NEURRAM_J, LEAKAGE_3NM_W_PER_NEURON,
              "projection (P): the emulator's integral of V*I on Table 8's 3 nm projection"),
}

DEFAULT_HARDWARE = {"measured": "measured", "energy-65nm": "energy-65nm",
                    "projected-3nm": "projected-3nm"}
"""The hardware preset used for a run of each neuron preset when none is chosen."""

CHOICES_ARE_OURS = (
    "the pairing of peripheral figures with each hardware preset is ours: ISAAC's 8 b "
    "SAR ADC (1.67 pJ) for the measured and 65 nm devices, NeuRRAM's ADC (0.3 pJ) for "
    "the 3 nm projection, ISAAC's 32 nm 1-b driver (0.42 pJ) for spikes and write pulses "
    "on all (optimistic for a 65 nm periphery); the analog-level circuits (row DAC and "
    "hold buffer, column transimpedance stage or sample-and-hold) are the same on all")


def hardware_preset(name: str) -> HardwarePreset:
    """The hardware preset ``name``; raises ValueError listing the valid names."""
    return require_choice("hardware preset", name, HARDWARE_PRESETS)


def alternative_read_mode(preset: HardwarePreset) -> HardwarePreset | None:
    """The preset that prices the same device with the other synaptic read mode, if any."""
    for other in HARDWARE_PRESETS.values():
        if other.neuron_presets == preset.neuron_presets \
                and other.synaptic_reads != preset.synaptic_reads:
            return other
    return None


def hardware_for_run(neuron_preset: str, name: str | None = None) -> HardwarePreset:
    """The hardware preset that prices a run of ``neuron_preset``.

    ``name`` chooses one explicitly; ``None`` takes the default of the neuron
    preset. Raises ValueError when the preset is unknown or prices another device.
    """
    if name is None:
        if neuron_preset not in DEFAULT_HARDWARE:
            raise ValueError(
                f"no default hardware preset for neuron preset {neuron_preset!r}; choose one "
                f"with --hardware: {', '.join(sorted(HARDWARE_PRESETS))}")
        name = DEFAULT_HARDWARE[neuron_preset]
    preset = hardware_preset(name)
    if neuron_preset not in preset.neuron_presets:
        valid = sorted(key for key, value in HARDWARE_PRESETS.items()
                       if neuron_preset in value.neuron_presets)
        raise ValueError(
            f"hardware preset {name!r} prices neurons of preset "
            f"{', '.join(preset.neuron_presets)}, but the run used {neuron_preset!r} (its "
            f"spike energy comes from that device model); valid for this run: "
            f"{', '.join(valid) or 'none'}")
    return preset
