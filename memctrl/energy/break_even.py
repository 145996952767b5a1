"""What device figures would let a run's controller draw less than the fair MCU.

The power report says what a design draws; a device designer asks what the device
would need for the same controller to beat a microcontroller. A run's energy per
step splits by the device figure each part scales with (the rest of the run held
as it was):

- **device speed**: whatever lasts as long as a substep's drive, which is the
  device time of a substep ``h = dt / time_scale``: the continuous reads of ticking
  columns (``V^2 G h`` per read), the column stage's amplifier (``h P``), the driven
  rows' hold buffers (``h P``) and the neuron's output stage (``V_dd^2 / R_load``
  while its output is high, for a time in proportion to ``h``). A neuron ``k`` times
  faster makes this part ``k`` times smaller. A device sped up as a whole (every
  rate ``k`` times higher, its capacitances kept) spends the same energy per spike
  in its input stage, so that stays fixed; a column read without neuron ticks (the
  critic's) lasts a write pulse, not a substep, so it stays fixed too: the read
  energy is shared between the two in proportion to events x duration, as if an
  event of either kind read the same mean conductance (an assumption).
- **programming**: the cells' write pulses with their verify reads (the core's
  ``programming_energy_j``), in proportion to the energy per programming pulse.
- **leakage**: the static power per neuron over the run.
- **fixed**: the rest (the neuron's input stage, DAC conversions, ADCs, drivers,
  samples, column reads), which none of the three changes.

So ``E = fixed + s speed + p programming + l leakage`` for factors ``s, p, l`` on
the three figures. For each target (the fair MCU of the same run, and a tenth of
it) :func:`break_even` gives the factor each figure would need alone (the others
as in the run), or None when the other parts alone already reach the target; and
one balanced design point, where the three parts share what the fixed part leaves
equally (a part already below its share stays as it is): the figures a device
would need together. The balanced point's energy is then priced again at its
figures (:func:`repriced_per_step`), which adds the one cost the linear split
leaves out: a substep shorter than the output stage can charge its fan-out in asks
for a stronger load (``output_fanout``), whose energy per spike does not shrink
with the substep. That surplus joins the fixed part until the re-priced run meets
the target. When the fixed part alone reaches the target, no setting of the three
does. The one-figure-alone factors are the linear split's.

Pointers name the presets that have such figures: the neuron presets whose
substep is at least that short at the run's ``dt``; the synapse presets (not the
``ideal`` one, which is no device) whose write pulse, at the run's own ratio of its
energy per pulse to its preset's bound ``V^2 G_max t_write`` (the larger of the set
and reset voltages, device-model.md section 2), costs at most that; and the
hardware presets whose leakage per neuron is at most that. These are bounds on one
figure each, not a re-priced run: another synapse also changes the read
conductances, and another neuron its spikes.
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
_SPEED_COMPONENTS = ("neuron_spikes", "output_fanout", "synaptic_reads", "column_stage",
                     "row_drivers")
UNREACHABLE = {
    "fixed": "the rest of the run alone costs more than the target",
    "repriced": "at a substep that short, the neuron's output stage (at the load that "
                "charges its fan-out in time) costs more than the target leaves",
}
NOT_A_DEVICE = ("ideal",)
"""Synapse presets never named as having a figure: an idealised device, not a measured one."""
REPRICE_ITERATIONS = 50
REPRICE_TOLERANCE = 1e-6


def ticking_read_share(workload: Workload) -> float:
    """The share of the continuous read energy read by ticking columns (lasting a
    substep), against column reads without neuron ticks (lasting ``column_read_s``):
    events x duration of each, the same mean conductance assumed for both."""
    rows_per_tick = workload.driven_row_ticks / max(workload.ticks * workload.ticks_per_step,
                                                    1.0)
    column_events = workload.column_reads_per_step * workload.ticks * rows_per_tick
    ticking_events = max(workload.input_synaptic_events - column_events, 0.0)
    ticking = ticking_events * workload.substep_device_s
    columns = column_events * workload.column_read_s
    return ticking / (ticking + columns) if ticking + columns > 0 else 1.0


def _at_speed(workload: Workload, hardware: HardwarePreset, factor: float) -> Workload:
    """The run on a device ``factor`` times the substep's duration: the ticking reads
    (continuous) and the output stage's energy scale with it."""
    counters = dict(workload.counters)
    if hardware.synaptic_reads == "continuous":
        share = ticking_read_share(workload)
        counters["synapse_read_energy_j"] *= share * factor + (1.0 - share)
    counters["neuron_output_energy_j"] *= factor
    return workload.replace(counters=counters,
                            substep_device_s=workload.substep_device_s * factor)


def energy_parts(workload: Workload, hardware: HardwarePreset) -> dict[str, float]:
    """Energy per step of ``workload`` on ``hardware`` split by device figure, J.

    Keys: ``FIGURES`` and ``"fixed"``; they sum to the breakdown's total per step.
    The speed part is the difference between the run and the same run with a
    drive of no duration (continuous reads integrate ``V^2 G`` over the drive).
    """
    breakdown = energy_breakdown(workload, hardware)
    without_time = energy_breakdown(_at_speed(workload, hardware, 0.0), hardware)
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
    ``factors`` (:func:`_at_speed` for the speed; the programming energy and the leakage
    by theirs), J.

    Unlike the linear split this charges the output stage at the load its fan-out needs
    at the shorter substep (``output_fanout``).
    """
    faster = _at_speed(workload, hardware, factors["device_speed"])
    counters = dict(faster.counters)
    counters["programming_energy_j"] *= factors["programming"]
    leakage = hardware.leakage_per_neuron
    scaled = faster.replace(counters=counters)
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


def _pulse_bound(name: str) -> float:
    """A synapse preset's write pulse at ``G_max``: ``V^2 G_max t_write``, J."""
    params = SYNAPSE_PRESETS[name]
    return max(params.v_set, params.v_reset) ** 2 * params.g_max * params.t_write


def _at_most(figure: float, needed: float) -> bool:
    """Whether a preset's ``figure`` meets the ``needed`` one, to rounding (a run's own
    preset meets a figure computed back from it)."""
    return figure <= needed * (1.0 + 1e-12)


def _pointers(workload: Workload, figures: dict[str, float | None],
              needed: dict[str, float | None]) -> dict[str, list[str] | None]:
    """Presets that have each needed figure (bounds on one figure each); None where the
    run gives no way to tell (an unknown preset, no programming)."""
    pointers: dict[str, list[str] | None] = {figure: None for figure in FIGURES}
    own = NEURON_PRESETS.get(workload.neuron_preset)
    if own is not None:
        dt = workload.substep_device_s * own.time_scale
        pointers["device_speed"] = sorted(
            name for name, params in NEURON_PRESETS.items()
            if _at_most(dt / params.time_scale, needed["device_speed"]))
    if needed["programming"] is not None and workload.synapse_preset in SYNAPSE_PRESETS:
        ratio = figures["programming"] / _pulse_bound(workload.synapse_preset)
        pointers["programming"] = sorted(
            name for name in SYNAPSE_PRESETS if name not in NOT_A_DEVICE
            and _at_most(ratio * _pulse_bound(name), needed["programming"]))
    pointers["leakage"] = sorted({
        name.removesuffix("-pulsed") for name, preset in HARDWARE_PRESETS.items()
        if _at_most(preset.leakage_per_neuron.value, needed["leakage"])})
    return pointers


def _scaled(figures: dict[str, float | None],
            factors: dict[str, float | None]) -> dict[str, float | None]:
    return {figure: (None if figures[figure] is None or factors[figure] is None
                     else figures[figure] * factors[figure]) for figure in FIGURES}


def target_at(result: dict, fraction: float) -> dict:
    """The target of :func:`break_even`'s ``result`` at ``fraction`` of the MCU's energy
    per step (one of ``TARGET_FRACTIONS``)."""
    return next(target for target in result["targets"]
                if target["fraction_of_mcu"] == fraction)


def at_the_mcu(result: dict) -> dict:
    """The target of :func:`break_even`'s ``result`` at the MCU's own energy per step."""
    return target_at(result, 1.0)


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
            "presets_with_figure": (_pointers(workload, figures, needed)
                                    if needed is not None else None)})
    return {"mcu_energy_per_step_j": mcu_per_step_j, "energy_per_step_j": total,
            "parts_per_step_j": parts, "figures": figures, "targets": targets}
