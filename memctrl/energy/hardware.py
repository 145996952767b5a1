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

Each family (measured, energy-65nm, projected-3nm) has a continuous preset,
named after the neuron preset and used by default, and a ``-pulsed`` one.
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl._checks import require_choice
from memctrl.energy.constants import (
    ADC_ISAAC_J,
    ADC_NEURRAM_J,
    LEAKAGE_3NM_W_PER_NEURON,
    LEAKAGE_65NM_W_PER_NEURON,
    ROW_DRIVER_J,
    SHORT_READ_PULSE_S,
    VERIFY_READ_PULSE_S,
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
    verify_read_pulse : Constant
        Width of the verify read that follows each programming pulse, s.
    driver : Constant
        Energy of one row/spike driver activation, J.
    adc : Constant
        Energy of one sensor conversion, J.
    leakage_per_neuron : Constant
        Static power per neuron, W, including its share of the periphery.
    """

    name: str
    description: str
    neuron_presets: tuple[str, ...]
    synaptic_reads: str
    read_pulse: Constant | None
    verify_read_pulse: Constant
    driver: Constant
    adc: Constant
    leakage_per_neuron: Constant

    def __post_init__(self) -> None:
        if self.synaptic_reads not in READ_MODES:
            raise ValueError(f"synaptic_reads must be one of {READ_MODES}, "
                             f"got {self.synaptic_reads!r}")
        if self.synaptic_reads == "pulsed" and self.read_pulse is None:
            raise ValueError(f"hardware preset {self.name!r}: pulsed reads need read_pulse")

    def constants(self) -> dict[str, Constant]:
        """The figures this preset multiplies by, by role."""
        named = {"verify_read_pulse_s": self.verify_read_pulse, "driver_j": self.driver,
                 "adc_j": self.adc, "leakage_w_per_neuron": self.leakage_per_neuron}
        if self.synaptic_reads == "pulsed":
            named["read_pulse_s"] = self.read_pulse
        return named

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "neuron_presets": list(self.neuron_presets),
                "synaptic_reads": self.synaptic_reads,
                "read_pulse_s": self.read_pulse.value if self.read_pulse else None,
                "constants": {key: c.as_dict() for key, c in self.constants().items()}}


def _family(neuron_preset: str, summary: str, adc: Constant,
            leakage: Constant) -> dict[str, HardwarePreset]:
    common = dict(neuron_presets=(neuron_preset,), verify_read_pulse=VERIFY_READ_PULSE_S,
                  driver=ROW_DRIVER_J, adc=adc, leakage_per_neuron=leakage)
    return {
        neuron_preset: HardwarePreset(
            name=neuron_preset, synaptic_reads="continuous", read_pulse=None,
            description=f"{summary}; synapses read for as long as the drive lasts "
                        "(continuous, as emulated)", **common),
        f"{neuron_preset}-pulsed": HardwarePreset(
            name=f"{neuron_preset}-pulsed", synaptic_reads="pulsed",
            read_pulse=SHORT_READ_PULSE_S,
            description=f"{summary}; one {SHORT_READ_PULSE_S.value * 1e9:g} ns read pulse "
                        "per synaptic event", **common),
    }


HARDWARE_PRESETS: dict[str, HardwarePreset] = {
    **_family("measured", "the measured 1M1T1R device (Table 1 fit, pJ per spike) with "
              "ISAAC 32 nm drivers and 8 b SAR ADC", ADC_ISAAC_J, LEAKAGE_65NM_W_PER_NEURON),
    **_family("energy-65nm", "the 65 nm energy-estimate device (Table 7) with ISAAC 32 nm "
              "drivers and 8 b SAR ADC", ADC_ISAAC_J, LEAKAGE_65NM_W_PER_NEURON),
    **_family("projected-3nm", "the 3 nm projection (Table 8, aJ per spike) with ISAAC "
              "drivers and the NeuRRAM ADC", ADC_NEURRAM_J, LEAKAGE_3NM_W_PER_NEURON),
}

DEFAULT_HARDWARE = {"measured": "measured", "energy-65nm": "energy-65nm",
                    "projected-3nm": "projected-3nm"}
"""The hardware preset used for a run of each neuron preset when none is chosen."""

CHOICES_ARE_OURS = (
    "the pairing of peripheral figures with each hardware preset is ours: ISAAC's 8 b "
    "SAR ADC (1.67 pJ) for the measured and 65 nm devices, NeuRRAM's ADC (0.3 pJ) for "
    "the 3 nm projection, ISAAC's 32 nm row driver (0.42 pJ) for all (optimistic for a "
    "65 nm periphery)")


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
