"""What device figures would let a run's controller draw less than the fair MCU.

The power report says what a design draws; a device designer asks what the device
would need for the same controller to beat a microcontroller. A run's energy per
step splits by the device figure each part scales with (the rest of the run held
as it was):

- **device speed**: whatever lasts as long as a substep's drive, which is the
  device time of a substep ``h = dt / time_scale``: continuous synaptic reads
  (``V^2 G h`` per read), the column stage's amplifier (``h P``) and the driven
  rows' hold buffers (``h P``). A neuron ``k`` times faster makes this part ``k``
  times smaller.
- **programming**: the cells' write pulses with their verify reads (the core's
  ``programming_energy_j``), in proportion to the energy per programming pulse.
- **leakage**: the static power per neuron over the run.
- **fixed**: the rest (neuron spikes, DAC conversions, ADCs, drivers, samples,
  output fan-out), which none of the three changes.

So ``E = fixed + s speed + p programming + l leakage`` for factors ``s, p, l`` on
the three figures. For each target (the fair MCU of the same run, and a tenth of
it) :func:`break_even` gives the factor each figure would need alone (the others
as in the run), or None when the other parts alone already reach the target; and
one balanced design point, where the three parts share what the fixed part leaves
equally (a part already below its share stays as it is): the figures a device
would need together. The balanced point is checked by pricing the run again at
its figures (:func:`repriced_per_step`), which also charges what the linear split
does not see (a substep shorter than the output stage's rise time asks for a
stronger load, ``output_fanout``); that surplus joins the fixed part until the
re-priced run meets the target. When the fixed part alone reaches the target, no
setting of the three does. The one-figure-alone factors are the linear split's.

Pointers name the presets that have such figures: the neuron presets whose
substep is at least that short at the run's ``dt``, the synapse presets whose write
pulse at ``G_max`` (``V^2 G_max t_write`` at the larger of its set and reset
voltages, device-model.md section 2) costs at most that, and the hardware presets whose leakage per neuron is at most that.
These are bounds on one figure each, not a re-priced run: another synapse also
changes the read conductances, and another neuron its spikes.
"""

from __future__ import annotations

import dataclasses

from memctrl.device.presets import NEURON_PRESETS, SYNAPSE_PRESETS
from memctrl.energy.components import energy_breakdown
from memctrl.energy.hardware import HARDWARE_PRESETS, HardwarePreset
from memctrl.energy.workload import Workload

FIGURES = ("device_speed", "programming", "leakage")
"""The device figures whose parts of the energy are scaled, in report order."""
TARGET_FRACTIONS = (1.0, 0.1)
"""Targets as fractions of the fair MCU's energy per step: break even, and 10x below."""
_SPEED_COMPONENTS = ("synaptic_reads", "column_stage", "row_drivers")
UNREACHABLE = {
    "fixed": "the rest of the run alone costs more than the target",
    "repriced": "a substep short enough asks more of the neuron's output stage than it saves",
}
REPRICE_ITERATIONS = 20
REPRICE_TOLERANCE = 1e-6


def _instant_reads(workload: Workload, hardware: HardwarePreset, factor: float) -> dict:
    counters = dict(workload.counters)
    if hardware.synaptic_reads == "continuous":
        counters["synapse_read_energy_j"] *= factor
    return counters


def energy_parts(workload: Workload, hardware: HardwarePreset) -> dict[str, float]:
    """Energy per step of ``workload`` on ``hardware`` split by device figure, J.

    Keys: ``FIGURES`` and ``"fixed"``; they sum to the breakdown's total per step.
    The speed part is the difference between the run and the same run with a
    drive of no duration (continuous reads integrate ``V^2 G`` over the drive).
    """
    breakdown = energy_breakdown(workload, hardware)
    without_time = energy_breakdown(
        workload.replace(counters=_instant_reads(workload, hardware, 0.0),
                         substep_device_s=0.0), hardware)
    speed = sum(breakdown[name].energy_j - without_time[name].energy_j
                for name in _SPEED_COMPONENTS)
    programming = breakdown["weight_programming"].energy_j
    leakage = breakdown["static_leakage"].energy_j
    parts = {"device_speed": speed, "programming": programming, "leakage": leakage,
             "fixed": breakdown.total_j - speed - programming - leakage}
    return {name: value / workload.ticks for name, value in parts.items()}


def factor_alone(parts: dict[str, float], target_j: float, figure: str) -> float | None:
    """The factor on ``figure`` that meets ``target_j`` with the others as in the run.

    1.0 when the run already meets it (no change needed); None when the other
    parts alone reach the target (no factor on this figure suffices).
    """
    others = sum(value for name, value in parts.items() if name != figure)
    if parts[figure] <= 0:
        return 1.0 if others <= target_j else None
    factor = (target_j - others) / parts[figure]
    if factor <= 0:
        return None
    return min(1.0, factor)


def balanced_factors(parts: dict[str, float], target_j: float) -> dict[str, float] | None:
    """Factors on every figure that meet ``target_j`` together, sharing it equally.

    What the fixed part leaves is split equally among the figures; a part already
    below its share keeps factor 1 and its unused share goes to the others. None
    when the fixed part alone reaches the target.
    """
    left = target_j - parts["fixed"]
    if left <= 0:
        return None
    factors = {figure: 1.0 for figure in FIGURES}
    scaled = [figure for figure in FIGURES if parts[figure] > 0]
    while scaled:
        share = left / len(scaled)
        small = [figure for figure in scaled if parts[figure] <= share]
        if not small:
            for figure in scaled:
                factors[figure] = share / parts[figure]
            break
        for figure in small:
            left -= parts[figure]
            scaled.remove(figure)
    return factors


def repriced_per_step(workload: Workload, hardware: HardwarePreset,
                      factors: dict[str, float]) -> float:
    """Energy per step of the run priced again with its three figures scaled by
    ``factors``: the substep's device time and the continuous read energy by the speed
    factor, the programming energy and the leakage by theirs, J.

    Unlike the linear split this prices everything the figures touch, such as a
    shorter substep asking more of the neuron's output stage (``output_fanout``).
    """
    counters = _instant_reads(workload, hardware, factors["device_speed"])
    counters["programming_energy_j"] *= factors["programming"]
    leakage = hardware.leakage_per_neuron
    scaled = workload.replace(counters=counters,
                              substep_device_s=workload.substep_device_s
                              * factors["device_speed"])
    cheaper = dataclasses.replace(hardware, leakage_per_neuron=dataclasses.replace(
        leakage, value=leakage.value * factors["leakage"]))
    return energy_breakdown(scaled, cheaper).total_j / workload.ticks


def _balanced_meeting(workload: Workload, hardware: HardwarePreset, parts: dict[str, float],
                      target_j: float) -> tuple[dict[str, float] | None, float | None, str]:
    """Balanced factors that meet ``target_j`` once the run is priced again, that price,
    and why none do when they do not (``""``, ``"fixed"`` or ``"repriced"``).

    What the linear split misses at the new figures (a faster output stage) joins the
    fixed part until the re-priced run meets the target; when it has not after
    ``REPRICE_ITERATIONS`` passes (a shorter substep costs the output stage more than
    it saves), there are none.
    """
    surplus = 0.0
    for _ in range(REPRICE_ITERATIONS):
        factors = balanced_factors({**parts, "fixed": parts["fixed"] + surplus}, target_j)
        if factors is None:
            return None, None, "fixed" if surplus == 0.0 else "repriced"
        repriced = repriced_per_step(workload, hardware, factors)
        if repriced <= target_j * (1.0 + REPRICE_TOLERANCE):
            return factors, repriced, ""
        surplus = repriced - parts["fixed"] - sum(factors[f] * parts[f] for f in FIGURES)
    return None, None, "repriced"


def _figures(workload: Workload, hardware: HardwarePreset) -> dict[str, float | None]:
    pulses = workload.counter("programming_pulses")
    return {"device_speed": workload.substep_device_s,
            "programming": (workload.counter("programming_energy_j") / pulses
                            if pulses > 0 else None),
            "leakage": hardware.leakage_per_neuron.value}


def _pointers(workload: Workload, needed: dict[str, float | None]) -> dict[str, list[str]]:
    """Presets that have each needed figure (bounds on one figure each)."""
    own = NEURON_PRESETS.get(workload.neuron_preset)
    dt = workload.substep_device_s * own.time_scale if own is not None else None
    pointers: dict[str, list[str]] = {figure: [] for figure in FIGURES}
    if needed["device_speed"] is not None and dt is not None:
        pointers["device_speed"] = sorted(
            name for name, params in NEURON_PRESETS.items()
            if dt / params.time_scale <= needed["device_speed"])
    if needed["programming"] is not None:
        pointers["programming"] = sorted(
            name for name, params in SYNAPSE_PRESETS.items()
            if max(params.v_set, params.v_reset) ** 2 * params.g_max * params.t_write
            <= needed["programming"])
    if needed["leakage"] is not None:
        pointers["leakage"] = sorted({
            name.removesuffix("-pulsed") for name, preset in HARDWARE_PRESETS.items()
            if preset.leakage_per_neuron.value <= needed["leakage"]})
    return pointers


def _scaled(figures: dict[str, float | None],
            factors: dict[str, float | None]) -> dict[str, float | None]:
    return {figure: (None if figures[figure] is None or factors[figure] is None
                     else figures[figure] * factors[figure]) for figure in FIGURES}


def break_even(workload: Workload, hardware: HardwarePreset, mcu_per_step_j: float) -> dict:
    """The device figures this run would need to draw at most the fair MCU's energy
    per step ``mcu_per_step_j`` (and a tenth of it); JSON-ready (module docstring)."""
    parts = energy_parts(workload, hardware)
    figures = _figures(workload, hardware)
    total = sum(parts.values())
    targets = []
    for fraction in TARGET_FRACTIONS:
        target = fraction * mcu_per_step_j
        alone = {figure: factor_alone(parts, target, figure) for figure in FIGURES}
        balanced, repriced, unreachable = _balanced_meeting(workload, hardware, parts, target)
        needed = _scaled(figures, balanced) if balanced is not None else None
        targets.append({
            "fraction_of_mcu": fraction, "energy_per_step_j": target, "met": total <= target,
            "alone_factors": alone, "alone_figures": _scaled(figures, alone),
            "balanced_factors": balanced, "balanced_figures": needed,
            "balanced_repriced_per_step_j": repriced,
            "balanced_unreachable_because": UNREACHABLE[unreachable] if unreachable else None,
            "presets_with_figure": (_pointers(workload, needed) if needed is not None
                                    else None)})
    return {"mcu_energy_per_step_j": mcu_per_step_j, "energy_per_step_j": total,
            "parts_per_step_j": parts, "figures": figures, "targets": targets}
