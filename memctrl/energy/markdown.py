"""Render a power report (the dict of :func:`memctrl.energy.report.build_report`) as Markdown."""

from __future__ import annotations

import math
from typing import Sequence

_PREFIXES = {-24: "y", -21: "z", -18: "a", -15: "f", -12: "p", -9: "n", -6: "µ", -3: "m",
             0: "", 3: "k", 6: "M", 9: "G", 12: "T"}


def si(value: float | None, unit: str) -> str:
    """``value`` with an SI prefix and 3 significant digits: ``si(1.2e-12, "J") == "1.2 pJ"``."""
    if value is None:
        return "n/a"
    if unit == "1":                 # a ratio or a count: no prefix ("0.7", not "700 m1")
        return f"{value:.3g}"
    if value == 0:
        return f"0 {unit}"
    exponent = int(math.floor(math.log10(abs(value)) / 3) * 3)
    exponent = min(max(exponent, min(_PREFIXES)), max(_PREFIXES))
    return f"{value / 10 ** exponent:.3g} {_PREFIXES[exponent]}{unit}"


def number(value: float | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4g}"
    return f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.4g}"


def duration_h(hours: float | None) -> str:
    if hours is None:
        return "unlimited (no power drawn)"
    if hours >= 24 * 365.25:
        return f"{hours:.3g} h ({hours / (24 * 365.25):.3g} years)"
    if hours >= 48:
        return f"{hours:.3g} h ({hours / 24:.3g} days)"
    return f"{hours:.3g} h"


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}x"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A pipe table: header, separator, one line per row, every line with len(headers) cells."""
    def cell(item: object) -> str:
        return str(item).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"table row has {len(row)} cells, expected {len(headers)}")
        lines.append("| " + " | ".join(cell(item) for item in row) + " |")
    return "\n".join(lines)


# -- sections ----------------------------------------------------------------------------

def _header(report: dict) -> str:
    run, hardware, budget = report["run"], report["hardware"], report["profile"]
    reads = hardware["synaptic_reads"]
    if reads == "pulsed":
        reads += f", {si(hardware['read_pulse_s'], 's')} per read"
    return "\n".join([
        "# memctrl power report", "",
        f"- run: `{run['dir']}` (source: {run['source']}), {number(run['ticks'])} control "
        f"steps at {si(run['control_rate_hz'], 'Hz')} = {si(run['emulated_time_s'], 's')}",
        f"- network: {run['n_neurons']} neurons, {run['n_inputs']} inputs, "
        f"{run['n_recurrent_synapses']} recurrent synapses, {run['substeps']} substeps per "
        f"step; neuron preset `{run['neuron_preset']}`, synapse preset "
        f"`{run['synapse_preset']}`",
        f"- hardware preset `{hardware['name']}`: {hardware['description']}",
        f"- synaptic reads: **{reads}**",
        f"- profile `{budget['name']}`: {budget['description']}, budget "
        f"{si(budget['budget_w'], 'W')}, battery {si(budget['battery_j'], 'J')}",
    ])


def _summary(report: dict) -> str:
    fit = report["budget"]
    within = "yes" if fit["within_budget"] else "**no**"
    rows = [
        ("energy per control step", si(report["energy_per_step_j"], "J")),
        ("mean power", si(report["mean_power_w"], "W")),
        ("peak power", si(report["peak_power_w"], "W")),
        ("budget of the profile", si(fit["budget_w"], "W")),
        ("mean power / budget", f"{fit['mean_fraction_of_budget']:.3g}"),
        ("headroom (budget - mean)", si(fit["headroom_w"], "W")),
        ("peak within budget", within),
        ("battery life (controller alone)", duration_h(fit["battery_life_h"])),
        ("highest control rate within budget", si(fit["max_control_rate_hz"], "Hz")),
        ("dominant component", report["dominant_component"]),
        ("energy per spike (neuron; " + report["hardware"]["spike_energy_basis"].split(":")[0]
         + ")", si(report["energy_per_spike_j"], "J")),
        ("energy per synaptic event (read)", si(report["energy_per_synaptic_event_j"], "J")),
        ("energy per programming pulse (cell, verify read, circuitry)",
         si(report["energy_per_programming_pulse_j"], "J")),
        ("total energy of the run", si(report["total_energy_j"], "J")),
    ]
    return "\n".join(["## Summary", "", table(("quantity", "value"), rows), "",
                      f"Peak power: {report['peak_power_basis']}."])


def _breakdown(report: dict, plot: str | None) -> str:
    total, ticks = report["total_energy_j"], report["run"]["ticks"]
    rows = []
    for item in report["components"]:
        share = item["energy_j"] / total if total > 0 else 0.0
        rows.append((item["name"], si(item["energy_j"], "J"), si(item["energy_j"] / ticks, "J"),
                     f"{100 * share:.3g} %", f"{number(item['events'])} {item['event']}",
                     si(item["energy_per_event_j"], "J"), item["formula"]))
    rows.append(("**total**", si(total, "J"), si(total / ticks, "J"), "100 %", "", "", ""))
    lines = ["## Energy breakdown", "",
             table(("component", "energy", "per step", "share", "events", "per event",
                    "how"), rows)]
    other = report["read_mode_comparison"]
    if other:
        detail = f"hardware preset `{other['hardware']}`"
        if other["read_pulse_s"] is not None:
            detail = f"{si(other['read_pulse_s'], 's')} per read; " + detail
        lines += ["", f"The read mode decides a lot: with {other['synaptic_reads']} reads "
                      f"({detail}) the synaptic reads of this run would cost "
                      f"{si(other['synaptic_reads_j'], 'J')} instead of "
                      f"{si(report['energy_breakdown_j']['synaptic_reads'], 'J')}, and the "
                      f"controller {si(other['energy_per_step_j'], 'J')} per step, "
                      f"{si(other['mean_power_w'], 'W')} on average."]
    if plot:
        lines += ["", f"![energy breakdown]({plot})"]
    return "\n".join(lines)


def _counts(report: dict) -> str:
    counts = report["counts"]
    foot = counts["footprint"]
    rows = [
        ("spikes", number(counts["spikes"]), "counter `spikes` (output rising edges)"),
        ("synaptic events", number(counts["synaptic_events"]),
         "counter `synaptic_events` (one per synapse read)"),
        ("programming pulses", number(counts["programming_pulses"]),
         "counter `programming_pulses`"),
        ("weights written", number(counts["weights_written"]),
         "counter `weights_written` (synapses programmed, one per update that pulsed them)"),
        ("membrane updates", number(counts["membrane_updates"]),
         "counter `membrane_updates` (neurons x substeps)"),
        ("dense synaptic operations", number(counts["dense_synops"]),
         "membrane_updates x n_inputs + tick substeps x n_recurrent_synapses"),
        ("effective synaptic operations", number(counts["effective_synops"]),
         "synaptic events"),
        ("effective MACs", number(counts["effective_macs"]), "reads of an input voltage"),
        ("effective ACs", number(counts["effective_acs"]), "spike-driven reads"),
        ("activation sparsity", number(counts["activation_sparsity"]),
         "1 - spikes / membrane updates"),
        ("synaptic activity", number(counts["synaptic_activity"]),
         "effective / dense synaptic operations"),
        ("connection sparsity", number(counts["connection_sparsity"]),
         "zero entries of the n_neurons x (n_inputs + n_neurons) weight matrix"),
        ("footprint: weights", si(foot["weight_bytes"], "B"),
         "2 float64 conductances per synapse + recurrent CSR indices (int32)"),
        ("footprint: state", si(foot["state_bytes"], "B"),
         "F, R, V (float64) + output flag per neuron; eligibility per synapse; traces"),
        ("weight bits on chip", number(foot["weight_bits_on_chip"]),
         "2 ceil(log2(levels)) bits per synapse"),
    ]
    return "\n".join(["## Counts (NeuroBench vocabulary)", "",
                      table(("count", "value", "derived from"), rows)])


def _baselines(report: dict) -> str:
    rows = [("memctrl", "this run", si(report["energy_per_step_j"], "J"), "1x",
             f"hardware preset {report['hardware']['name']}")]
    for item in report["baselines"].values():
        rows.append((item["label"], item["kind"], si(item["energy_per_step_j"], "J"),
                     ratio(item["ratio_to_memctrl"]), item["basis"]))
    return "\n".join(["## Baselines", "",
                      "Ratio = baseline energy per step / memctrl energy per step (above 1, "
                      "memctrl draws less). Digital per-op figures are order-of-magnitude "
                      "numbers at the operating point quoted.", "",
                      table(("platform", "kind", "energy per step", "ratio", "basis"), rows)])


_FIGURE_UNITS = {"device_speed": ("s", "faster"), "programming": ("J", "less"),
                 "leakage": ("W", "less")}
NO_PROGRAMMING = "no programming in the run"


def needed_figure(figure: str, value: float | None, factor: float | None) -> str:
    """A needed device figure of :mod:`memctrl.energy.break_even` and its factor, for a
    reader: ``None`` as the factor means no value of this figure alone suffices."""
    unit, word = _FIGURE_UNITS[figure]
    if factor is None:
        return "not enough alone"
    if value is None:
        return NO_PROGRAMMING
    if factor >= 1.0:
        return f"{si(value, unit)} (as in the run)"
    return f"{si(value, unit)} ({1.0 / factor:.3g}x {word})"


def presets_having(presets: dict, figure: str) -> str:
    """The presets :mod:`memctrl.energy.break_even` names for ``figure``, for a reader."""
    names = presets[figure]
    if names is None:
        return NO_PROGRAMMING if figure == "programming" else "unknown preset"
    return ", ".join(names) or "none"


def _break_even(report: dict) -> str:
    result = report["break_even"]
    parts, figures = result["parts_per_step_j"], result["figures"]
    rows = [("this run", si(result["energy_per_step_j"], "J"),
             *(NO_PROGRAMMING if figures[f] is None else si(figures[f], _FIGURE_UNITS[f][0])
               for f in _FIGURE_UNITS), "")]
    for target in result["targets"]:
        name = ("the fair MCU" if target["fraction_of_mcu"] == 1.0
                else f"{target['fraction_of_mcu']:g} x the fair MCU")
        energy = si(target["energy_per_step_j"], "J")
        if target["met"]:
            rows.append((name, energy, "met", "met", "met", ""))
            continue
        rows.append((f"{name}, one figure alone", energy,
                     *(needed_figure(f, target["alone_figures"][f], target["alone_factors"][f])
                       for f in _FIGURE_UNITS), ""))
        if target["balanced_factors"] is None:
            rows.append((f"{name}, all three", energy,
                         f"not reachable: {target['balanced_unreachable_because']} "
                         f"(the rest: {si(parts['fixed'], 'J')} per step)", "", "", ""))
            continue
        presets = target["presets_with_figure"]
        repriced = si(target["balanced_repriced_per_step_j"], "J")
        rows.append((f"{name}, all three", f"{energy} (priced again: {repriced})",
                     *(needed_figure(f, target["balanced_figures"][f],
                                     target["balanced_factors"][f]) for f in _FIGURE_UNITS),
                     f"neuron: {presets_having(presets, 'device_speed')}; synapse: "
                     f"{presets_having(presets, 'programming')}; leakage: "
                     f"{presets_having(presets, 'leakage')}"))
    return "\n".join([
        "## What the device would need", "",
        f"This run's {si(result['energy_per_step_j'], 'J')} per step, split by the device "
        "figure each part scales with (`memctrl.energy.break_even`): "
        f"{si(parts['device_speed'], 'J')} lasts as long as a substep's drive (reads of "
        f"ticking columns, column stage, row holds, the neuron's output stage), "
        f"{si(parts['programming'], 'J')} is programming (cell writes and verify reads), "
        f"{si(parts['leakage'], 'J')} leakage and {si(parts['fixed'], 'J')} the rest. "
        "Below, the figures that would meet each target: one figure changed alone (the "
        "others as in the run), or all three sharing what the rest leaves equally, and the "
        "run priced again at those figures (with the output stage at the load its fan-out "
        "then needs). Presets named have the figure (a substep at least that short at this "
        "run's dt; a write pulse, scaled as this run's is to its preset's bound, costing at "
        "most that; that leakage): bounds on one figure each, not a re-priced run.", "",
        table(("target", "energy per step", "device time per substep",
               "cell write + verify read per pulse", "leakage per neuron",
               "presets with these figures"), rows)])


def _profiles(report: dict) -> str:
    rows, device_rows = [], []
    for name, fit in report["profiles"].items():
        rows.append((name, si(fit["budget_w"], "W"), si(fit["battery_j"], "J"),
                     f"{fit['mean_fraction_of_budget']:.3g}",
                     "yes" if fit["within_budget"] else "no",
                     duration_h(fit["battery_life_h"]), si(fit["max_control_rate_hz"], "Hz")))
        device = fit.get("device")
        if device:
            actuator = ("not measured" if device["actuator_w"] is None
                        else si(device["actuator_w"], "W"))
            device_rows.append((name, si(device["controller_w"], "W"), si(device["imu_w"], "W"),
                                actuator, si(device["total_w"], "W"),
                                f"{device['fraction_of_budget']:.3g}",
                                duration_h(device["battery_life_h"])))
    lines = ["## Power budgets", "",
             table(("profile", "budget", "battery", "mean / budget", "peak within",
                    "battery life", "max control rate"), rows)]
    if device_rows:
        lines += ["", "The whole wearable: the controller beside the IMU it reads (MPU-6050, "
                  "datasheet supply current) and the actuator it drives (`memctrl.energy.wearable`"
                  "; a run record carries no actuator torques, so it is priced by "
                  "`benchmarks/tremor_v1.py` for the tremor task).", "",
                  table(("profile", "controller", "IMU", "actuator", "device total",
                         "device / budget", "battery life (device)"), device_rows)]
    return "\n".join(lines)


def _scaling(report: dict, plot: str | None) -> str:
    scaling = report["scaling"]
    model = report["power_model"]
    rate_rows = [(si(row["control_rate_hz"], "Hz"), si(row["mean_power_w"], "W"),
                  "yes" if row["device_keeps_up"] else "no")
                 for row in scaling["control_rate"]]
    size_rows = [(f"{row['factor']:g}x", number(row["n_neurons"]), number(row["n_synapses"]),
                  si(row["energy_per_step_j"], "J"), si(row["mean_power_w"], "W"))
                 for row in scaling["network_size"]]
    lines = ["## Scaling", "",
             f"P(f) = {si(model['dynamic_energy_per_step_j'], 'J')} per step x f + "
             f"{si(model['static_power_w'], 'W')} static. A step takes the device "
             f"{si(1.0 / scaling['device_max_control_rate_hz'], 's')} of its own time, so it "
             f"does this work per step up to {si(scaling['device_max_control_rate_hz'], 'Hz')}.",
             "",
             table(("control rate", "mean power", "device keeps up"), rate_rows)]
    if plot:
        lines += ["", f"![power against control rate]({plot})"]
    lines += ["", f"Network size, at {si(report['run']['control_rate_hz'], 'Hz')}:", "",
              table(("size", "neurons", "synapses", "energy per step", "mean power"),
                    size_rows)]
    return "\n".join(lines)


def _episodes(report: dict, plot: str | None) -> str:
    episodes = report["episodes"]
    if episodes is None:
        return ("## Training run\n\nNo `metrics.jsonl` in the run directory: no per-episode "
                "energy.")
    rows = [(number(episodes["count"]), si(episodes["total_energy_j"], "J"),
             si(episodes["recorded_energy_j"], "J"), episodes["counters_read_as"])]
    lines = ["## Training run", "",
             table(("episodes", "energy (this model)", "energy_j recorded by training",
                    "counters read as"), rows)]
    if plot:
        lines += ["", f"![cumulative energy]({plot})"]
    return "\n".join(lines)


def _assumptions(report: dict) -> str:
    return "\n".join(["## Assumptions", "",
                      "Values and rules we chose ourselves (no published figure):", "",
                      *[f"- {item}" for item in report["assumptions"]]])


def _sources(report: dict) -> str:
    rows = [(item["name"], si(item["value"], item["unit"]), item["kind"],
             item["source"]) for item in report["sources"]]
    return "\n".join(["## Constants and their sources", "",
                      table(("constant", "value", "kind", "source"), rows)])


def render_markdown(report: dict) -> str:
    """The whole report as Markdown; plots are linked by the file names in ``report['files']``."""
    plots = report.get("files", {}).get("plots", {})
    sections = [_header(report), _summary(report),
                _breakdown(report, plots.get("energy_breakdown")), _counts(report),
                _baselines(report), _break_even(report), _profiles(report),
                _scaling(report, plots.get("power_vs_control_rate")),
                _episodes(report, plots.get("cumulative_energy")),
                _assumptions(report), _sources(report)]
    return "\n\n".join(sections) + "\n"
