"""The power-budget report of a run: one dict, written as Markdown, JSON and plots.

:func:`build_report` reads a run directory (``run.json``, and ``metrics.jsonl``
when it is a training run) and prices it; :func:`write_report` writes
``report.md``, ``report.json`` and the PNG plots. Everything is built in a
temporary directory inside the output directory and renamed into place, so a
failure leaves no partial report behind.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

from memctrl.energy import baselines as baselines_module
from memctrl.energy import components as components_module
from memctrl.energy.break_even import break_even
from memctrl.energy.components import Breakdown, energy_breakdown, static_power
from memctrl.energy.constants import Constant
from memctrl.energy.counts import neurobench_counts
from memctrl.energy.episodes import METRICS_FILE, read_episodes
from memctrl.energy.hardware import (CHOICES_ARE_OURS, HARDWARE_PRESETS, HardwarePreset,
                                     alternative_read_mode, hardware_for_run, hardware_preset)
from memctrl.energy.profiles import PROFILES, Profile, fit, profile
from memctrl.energy.wearable import sources as wearable_sources
from memctrl.energy.workload import Workload, workload_from_record
from memctrl.run_record import RUN_FILE, publish_files, read_run_record

logger = logging.getLogger(__name__)

FORMAT = "memctrl-report/1"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
RATE_SWEEP_HZ = (1.0, 10.0, 100.0, 1000.0, 10000.0)
SIZE_FACTORS = (1.0, 10.0, 100.0, 1000.0)

SCALING_ASSUMPTIONS = (
    "power against control rate: the same work per control step at every rate, so "
    "P(f) = dynamic energy per step x f + static power",
    "power against network size: every counter and the recurrent synapses scale with the "
    "neurons (same per-neuron activity and fan-in); inputs, and so sensor conversions and "
    "input-row drives, stay the same",
    "battery life: the battery divided by the controller's mean power, as if the controller "
    "were the battery's only load",
)


def list_profiles() -> list[dict]:
    """Every power-budget profile, with its battery and budget."""
    return [PROFILES[name].as_dict() for name in sorted(PROFILES)]


def list_hardware() -> list[dict]:
    """Every hardware preset, with its read mode and constants."""
    return [HARDWARE_PRESETS[name].as_dict() for name in sorted(HARDWARE_PRESETS)]


# -- pieces of the report ----------------------------------------------------------------

def _mean_power(breakdown: Breakdown, workload: Workload) -> float:
    return breakdown.total_j / workload.duration_s


def _episodes_section(run_dir: Path, workload: Workload,
                      hardware: HardwarePreset) -> dict | None:
    found = read_episodes(run_dir, workload)
    if found is None:
        return None
    episodes, reading = found
    rows, cumulative = [], 0.0
    for episode in episodes:
        energy = energy_breakdown(episode.workload, hardware).total_j
        cumulative += energy
        duration = episode.workload.duration_s
        rows.append({"episode": episode.episode, "ticks": episode.workload.ticks,
                     "energy_j": energy, "cumulative_energy_j": cumulative,
                     "mean_power_w": energy / duration if duration > 0 else None,
                     "recorded_energy_j": episode.recorded_energy_j})
    return {"file": METRICS_FILE, "counters_read_as": reading, "count": len(rows),
            "total_energy_j": cumulative,
            "recorded_energy_j": sum(row["recorded_energy_j"] for row in rows),
            "episodes": rows}


def _peak_power(mean_power_w: float, episodes: dict | None) -> tuple[float, str]:
    powers = [row["mean_power_w"] for row in (episodes or {}).get("episodes", [])
              if row["mean_power_w"] is not None]
    if powers:
        return max(powers), (
            f"the highest per-episode mean power over the {len(powers)} episodes of "
            f"{METRICS_FILE}; power within an episode (bursts of spikes, learning updates) "
            "is not recorded, so shorter peaks are not resolved")
    return mean_power_w, (
        f"{RUN_FILE} holds only the totals of the whole run and no per-episode or per-tick "
        "breakdown, so the peak equals the mean at this resolution; bursts of spikes and "
        "learning updates within the run draw more than the mean")


def _read_mode_comparison(workload: Workload, hardware: HardwarePreset) -> dict | None:
    other = alternative_read_mode(hardware)
    if other is None:
        return None
    breakdown = energy_breakdown(workload, other)
    return {"hardware": other.name, "synaptic_reads": other.synaptic_reads,
            "read_pulse_s": other.read_pulse.value if other.read_pulse else None,
            "synaptic_reads_j": breakdown["synaptic_reads"].energy_j,
            "energy_per_step_j": breakdown.total_j / workload.ticks,
            "mean_power_w": _mean_power(breakdown, workload),
            "dynamic_energy_per_step_j": breakdown.dynamic_j / workload.ticks,
            "static_power_w": static_power(workload, other)}


def _scaling(workload: Workload, hardware: HardwarePreset) -> dict:
    rates = sorted(set(RATE_SWEEP_HZ) | {workload.control_rate_hz})
    by_rate = []
    for rate in rates:
        at_rate = workload.at_control_rate(rate)
        by_rate.append({"control_rate_hz": rate,
                        "mean_power_w": _mean_power(energy_breakdown(at_rate, hardware),
                                                    at_rate),
                        "device_keeps_up": rate <= workload.device_max_control_rate_hz})
    by_size = []
    for factor in SIZE_FACTORS:
        scaled = workload.scaled_network(factor)
        breakdown = energy_breakdown(scaled, hardware)
        by_size.append({"factor": factor, "n_neurons": scaled.n_neurons,
                        "n_synapses": scaled.n_synapses,
                        "energy_per_step_j": breakdown.total_j / scaled.ticks,
                        "mean_power_w": _mean_power(breakdown, scaled)})
    return {"control_rate": by_rate, "network_size": by_size,
            "device_max_control_rate_hz": workload.device_max_control_rate_hz}


def _quantity(value: float, unit: str) -> str:
    """``value`` and its unit, a ratio or count (unit "1") bare."""
    return f"{value:g}" if unit == "1" else f"{value:g} {unit}"


def _assumptions(hardware: HardwarePreset, counts: dict, peak_basis: str,
                 episodes: dict | None, budget: Profile) -> list[str]:
    items = list(components_module.assumptions(hardware))
    items.append(CHOICES_ARE_OURS)
    for role, constant in hardware.constants().items():
        if constant.is_assumption:
            items.append(f"{role} = {_quantity(constant.value, constant.unit)}: "
                         f"{constant.source}")
    items.extend(baselines_module.ASSUMPTIONS)
    items.extend(SCALING_ASSUMPTIONS)
    if budget.wearable:
        items.extend(f"{item['name']} = {_quantity(item['value'], item['unit'])}: "
                     f"{item['source']}"
                     for item in wearable_sources() if item["tag"] == "A")
    items.append(f"peak power: {peak_basis}")
    if episodes is not None:
        items.append(f"{METRICS_FILE}: counters read as {episodes['counters_read_as']}; "
                     "episode length = membrane_updates / (n_neurons x substeps) ticks")
    return items


def _sources(hardware: HardwarePreset, budget: Profile) -> list[dict]:
    named: dict[str, Constant] = {f"hardware.{role}": c for role, c in hardware.constants().items()}
    for baseline in baselines_module.BASELINES:
        for role, constant in baseline.constants:
            named[f"baseline.{baseline.name}.{role}"] = constant
    named["profile.battery_j"] = budget.battery
    named["profile.budget_w"] = budget.budget
    rows = [{"name": name, **constant.as_dict()} for name, constant in named.items()]
    return rows + wearable_sources() if budget.wearable else rows


def _per_event(energy_j: float, events: float) -> float | None:
    return energy_j / events if events > 0 else None


# -- the report --------------------------------------------------------------------------

def build_report(run_dir: Path, profile_name: str = "coin-cell",
                 hardware_name: str | None = None) -> dict:
    """Price the run in ``run_dir`` on a hardware preset, against a profile.

    Parameters
    ----------
    run_dir : Path
        A run directory with ``run.json`` (and optionally ``metrics.jsonl``).
    profile_name : str
        One of ``PROFILES``.
    hardware_name : str, optional
        One of ``HARDWARE_PRESETS``; by default the one of the run's neuron preset.

    Returns
    -------
    dict
        JSON-ready; see the keys below. Raises ValueError for an unknown profile or
        hardware preset, or a missing or corrupt run record (naming the file).
    """
    run_dir = Path(run_dir)
    budget = profile(profile_name)
    if hardware_name is not None:
        hardware_preset(hardware_name)
    record = read_run_record(run_dir)
    overflow = (f"{run_dir / RUN_FILE}: its figures overflow the power model (a hand-edited "
                "or corrupt record?)")
    try:
        report = _priced(run_dir, record, budget, hardware_name)
    except ArithmeticError as error:
        raise ValueError(f"{overflow}: {error}") from None
    where = _first_non_finite(report)
    if where is not None:
        raise ValueError(f"{overflow}: {where} is not finite")
    return report


def _first_non_finite(value: object, where: str = "the report") -> str | None:
    """Where in ``value`` (a report's dicts and lists) the first non-finite number is."""
    if isinstance(value, float):
        return None if math.isfinite(value) else where
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, (list, tuple)) else ())
    for key, item in items:
        found = _first_non_finite(item, f"{where}[{key!r}]")
        if found is not None:
            return found
    return None


def _priced(run_dir: Path, record: dict, budget: Profile, hardware_name: str | None) -> dict:
    """:func:`build_report`'s report of the run record ``record`` read from ``run_dir``."""
    workload = workload_from_record(record, run_dir / RUN_FILE)
    hardware = hardware_for_run(workload.neuron_preset, hardware_name)
    episodes = _episodes_section(run_dir, workload, hardware)

    breakdown = energy_breakdown(workload, hardware)
    total = breakdown.total_j
    mean_power = _mean_power(breakdown, workload)
    peak_power, peak_basis = _peak_power(mean_power, episodes)
    static_w = static_power(workload, hardware)
    dynamic_per_step = breakdown.dynamic_j / workload.ticks
    counts = neurobench_counts(workload)
    fits = {name: fit(item, mean_power, peak_power, dynamic_per_step, static_w)
            for name, item in PROFILES.items()}
    programming_j = (breakdown["weight_programming"].energy_j
                     + breakdown["write_verify_circuitry"].energy_j)
    baselines = baselines_module.price_baselines(workload, total)
    logger.info("priced %s on %s: %.4g J, %.4g W", run_dir, hardware.name, total, mean_power)
    return {
        "format": FORMAT,
        "run": {"dir": str(run_dir), "source": record.get("source"),
                "neuron_preset": workload.neuron_preset,
                "synapse_preset": workload.synapse_preset,
                "n_neurons": workload.n_neurons, "n_inputs": workload.n_inputs,
                "n_recurrent_synapses": workload.n_recurrent_synapses,
                "substeps": workload.substeps, "ticks": workload.ticks,
                "emulated_time_s": workload.duration_s,
                "control_rate_hz": workload.control_rate_hz,
                "counters": dict(workload.counters)},
        "hardware": hardware.as_dict(),
        "profile": budget.as_dict(),
        "energy_breakdown_j": breakdown.energies(),
        "components": [component.as_dict() for component in breakdown.components],
        "total_energy_j": total,
        "dynamic_energy_j": breakdown.dynamic_j,
        "static_energy_j": breakdown.static_j,
        "energy_per_step_j": total / workload.ticks,
        "energy_per_spike_j": breakdown["neuron_spikes"].energy_per_event_j,
        "energy_per_synaptic_event_j": breakdown["synaptic_reads"].energy_per_event_j,
        "energy_per_programming_pulse_j": _per_event(
            programming_j, workload.counter("programming_pulses")),
        "power_model": {"dynamic_energy_per_step_j": dynamic_per_step,
                        "static_power_w": static_w},
        "read_mode_comparison": _read_mode_comparison(workload, hardware),
        "mean_power_w": mean_power,
        "peak_power_w": peak_power,
        "peak_power_basis": peak_basis,
        "dominant_component": breakdown.dominant,
        "budget": fits[budget.name],
        "battery_life_h": fits[budget.name]["battery_life_h"],
        "profiles": fits,
        "scaling": _scaling(workload, hardware),
        "counts": counts,
        "baselines": baselines,
        "break_even": break_even(workload, hardware,
                                 baselines[baselines_module.MCU.name]["energy_per_step_j"]),
        "episodes": episodes,
        "assumptions": _assumptions(hardware, counts, peak_basis, episodes, budget),
        "sources": _sources(hardware, budget),
    }


def _same_directory(first: Path, second: Path) -> bool:
    try:
        return Path(first).samefile(second)
    except OSError:
        return False


def write_report(run_dir: Path, out_dir: Path, profile_name: str = "coin-cell",
                 hardware_name: str | None = None) -> dict:
    """Build the report of ``run_dir`` and write it to ``out_dir``; returns the report.

    Writes ``report.md``, ``report.json`` and the PNG plots. The run is read and
    priced before anything is written; the files are then built in a temporary
    directory and renamed into place (``report.json`` last), and on any error the
    temporary files are removed and no report file is left in ``out_dir``. An
    ``out_dir`` that holds another run (its run record) is refused: a report there would
    seem to describe that run.
    """
    from memctrl.energy.markdown import render_markdown
    from memctrl.energy.plots import write_plots

    report = build_report(run_dir, profile_name, hardware_name)
    if (Path(out_dir) / RUN_FILE).exists() and not _same_directory(out_dir, run_dir):
        raise ValueError(f"{out_dir} holds another run ({RUN_FILE}); write the report of "
                         f"{run_dir} into a directory of its own, or into {run_dir}")

    def build(staging: Path) -> list[str]:
        plots = write_plots(report, staging)
        report["files"] = {"markdown": REPORT_MD, "json": REPORT_JSON, "plots": plots}
        (staging / REPORT_MD).write_text(render_markdown(report), encoding="utf-8")
        (staging / REPORT_JSON).write_text(
            json.dumps(report, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        return [*plots.values(), REPORT_MD, REPORT_JSON]

    publish_files(Path(out_dir), build)
    logger.info("wrote %s to %s", ", ".join(report["files"]["plots"].values()), out_dir)
    return report
