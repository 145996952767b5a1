"""The design frontier: energy per control step against learning, over a sweep's designs.

``memctrl report --frontier SWEEP_DIR`` reads the trials of a ``memctrl sweep``
(``SWEEP_DIR/trials/NAME``: ``trial.json``, ``run.json``, ``result.json``). A
*design* is one combination of the swept settings other than the seed, priced on
each read mode of its neuron preset's hardware family (continuous, as emulated,
and pulsed): the read mode changes the price of the same run, not its learning.

Per design and read mode, over its seeds:

- energy per step = the runs' energy / their steps, and the fair MCU baseline of
  the same runs (:mod:`memctrl.energy.baselines`), so every ratio compares the
  same work;
- mean power at one control rate for every design of a task, the slowest design's
  own rate (a tick lasts ``substeps x dt`` of device time, so every design keeps
  up), its fit to the chosen profile's budget and the battery life
  (:func:`memctrl.energy.profiles.fit`, on the mean power: a sweep keeps no
  per-episode peaks of the priced design);
- the learning result: the final evaluation's mean return, and how many seeds
  solved the task (an evaluation reached the sweep's ``success_return`` or the
  environment's reward threshold). A design *learns* when every seed solved;
- what the device would need for the design to draw less than the MCU
  (:mod:`memctrl.energy.break_even`'s balanced point, on each seed's run): the
  largest factors over its seeds by which the neuron would have to be faster, the
  write pulses cheaper and the leakage lower.

A design is on the Pareto front when no other design of its task costs no more
per step and returns at least as much, one of the two strictly. The answer the
report names is the cheapest design that learns and fits the budget; and, per
hardware preset (a neuron device and a read mode), the cheapest design that
learns, with its ratio to the MCU: what each device can reach on this task.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from memctrl._checks import require_number, shown
from memctrl.energy.baselines import MCU
from memctrl.energy.break_even import FIGURES, at_the_mcu, break_even
from memctrl.energy.components import energy_breakdown, static_power
from memctrl.energy.hardware import HardwarePreset, alternative_read_mode, hardware_for_run
from memctrl.energy.profiles import Profile, fit, profile
from memctrl.energy.workload import Workload, workload_from_record
from memctrl.run_record import RUN_FILE, read_run_record
from memctrl.sweep.run import SWEEP_FILE, TRIALS
from memctrl.sweep.trial import RESULT_FILE, TRIAL_FILE

FORMAT = "memctrl-frontier/1"


@dataclass(frozen=True)
class TrialRun:
    """One finished trial: its design (the swept settings but the seed), work and result."""

    name: str
    env: str
    design: dict
    seed: int
    workload: Workload
    solved: bool
    final_return: float
    judged: bool = True
    """Whether its task had a success threshold (without one, "learns" means nothing)."""


def _read_json(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not readable JSON ({error})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a JSON object")
    return document


def _trial_run(directory: Path) -> TrialRun | None:
    """The trial in ``directory``, or None while it has no result (unfinished or failed)."""
    if not (directory / RESULT_FILE).is_file():
        return None
    result = _read_json(directory / RESULT_FILE)
    final_return = require_number(f"{directory / RESULT_FILE}: 'final_eval_mean_return'",
                                  result.get("final_eval_mean_return"))
    trial = _read_json(directory / TRIAL_FILE)
    settings = trial.get("settings")
    if not isinstance(settings, dict) or not isinstance(settings.get("env"), str):
        raise ValueError(f"{directory / TRIAL_FILE}: no 'settings' with an env id")
    seed = settings.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"{directory / TRIAL_FILE}: 'settings.seed' must be an integer, "
                         f"got {shown(seed)}")
    design = {key: value for key, value in sorted(settings.items())
              if key not in ("env", "seed")}
    record = read_run_record(directory)
    return TrialRun(directory.name, settings["env"], design, seed,
                    workload_from_record(record, directory / RUN_FILE),
                    result.get("solved_at_episode") is not None, final_return,
                    judged=result.get("reward_threshold") is not None)


def read_trials(sweep_dir: Path) -> tuple[list[TrialRun], int]:
    """The finished trials of ``sweep_dir`` and how many are not finished (or failed).

    ValueError names the file when the directory is not a sweep or a finished
    trial's files are corrupt.
    """
    sweep_dir = Path(sweep_dir)
    if not (sweep_dir / SWEEP_FILE).is_file() or not (sweep_dir / TRIALS).is_dir():
        raise ValueError(f"{sweep_dir}: not a sweep directory (no {SWEEP_FILE} and "
                         f"{TRIALS}/; run `memctrl sweep` first)")
    runs, unfinished = [], 0
    for directory in sorted(path for path in (sweep_dir / TRIALS).iterdir() if path.is_dir()):
        run = _trial_run(directory)
        if run is None:
            unfinished += 1
        else:
            runs.append(run)
    if not runs:
        raise ValueError(f"{sweep_dir}: no finished trial to price")
    if {run.env for run in runs} == {run.env for run in runs if not run.judged}:
        raise ValueError(f"{sweep_dir}: no task of the sweep has a success threshold; set "
                         "`success_return` in the sweep file, so that a frontier can tell "
                         "which designs learn")
    return runs, unfinished


def to_beat_mcu(targets: list[dict]) -> dict:
    """What the device would need on every seed of a design (``targets``: each seed's
    break-even target at the MCU): ``met`` when every run already draws less;
    ``reachable`` when each has a balanced point; the largest reduction factor over the
    seeds per figure (1 where nothing need change; None when not reachable)."""
    reachable = all(target["balanced_factors"] is not None for target in targets)
    factors = {figure: (max(1.0 / target["balanced_factors"][figure] for target in targets)
                        if reachable else None) for figure in FIGURES}
    return {"met": all(target["met"] for target in targets), "reachable": reachable,
            "reduction_factors": factors}


def _design_row(runs: list[TrialRun], hardware: HardwarePreset, budget: Profile,
                rate_hz: float) -> dict:
    """One design on one hardware preset at ``rate_hz``: energy, MCU, budget fit,
    learning and what the device would need to beat the MCU, over its seeds."""
    energy = dynamic = mcu = ticks = duration = 0.0
    needs = []
    for run in runs:
        workload = run.workload.at_control_rate(rate_hz)
        breakdown = energy_breakdown(workload, hardware)
        energy += breakdown.total_j
        dynamic += breakdown.dynamic_j
        run_mcu = MCU.price(workload)
        mcu += run_mcu
        ticks += workload.ticks
        duration += workload.duration_s
        needs.append(at_the_mcu(break_even(workload, hardware, run_mcu / workload.ticks)))
    mean_power = energy / duration
    # the seeds of a design share its network, so one run's static power is the design's
    fits = fit(budget, mean_power, mean_power, dynamic / ticks,
               static_power(runs[0].workload, hardware))
    solved = sum(run.solved for run in runs)
    return {
        "env": runs[0].env, "design": runs[0].design, "hardware": hardware.name,
        "neuron_preset": runs[0].workload.neuron_preset,
        "synaptic_reads": hardware.synaptic_reads,
        "seeds": sorted(run.seed for run in runs), "trials": [run.name for run in runs],
        "energy_per_step_j": energy / ticks,
        "mcu_energy_per_step_j": mcu / ticks,
        "ratio_to_mcu": energy / mcu if mcu > 0 else None,
        "mean_power_w": mean_power,
        "within_budget": fits["within_budget"],
        "battery_life_h": fits["battery_life_h"],
        "solved_seeds": solved,
        "learns": solved == len(runs),
        # each divided first: two returns near the float's limit do not overflow the sum
        "final_return_mean": math.fsum(run.final_return / len(runs) for run in runs),
        "to_beat_mcu": to_beat_mcu(needs),
    }


def _mark_pareto(rows: list[dict]) -> None:
    """Set ``pareto`` on each row: no other row is as cheap and returns as much, one strictly."""
    for row in rows:
        row["pareto"] = not any(
            other is not row
            and other["energy_per_step_j"] <= row["energy_per_step_j"]
            and other["final_return_mean"] >= row["final_return_mean"]
            and (other["energy_per_step_j"] < row["energy_per_step_j"]
                 or other["final_return_mean"] > row["final_return_mean"])
            for other in rows)


def _cheapest(rows: list[dict]) -> dict | None:
    return min(rows, key=lambda row: row["energy_per_step_j"], default=None)


def cheapest_that_learns(rows: list[dict], budget_w: float | None = None) -> dict | None:
    """The cheapest row that learns (and, given ``budget_w``, whose mean power fits it)."""
    return _cheapest([row for row in rows if row["learns"]
                      and (budget_w is None or row["mean_power_w"] <= budget_w)])


def task_rate_hz(runs: list[TrialRun]) -> float:
    """The control rate every design of a task is priced at: the slowest design's own."""
    return min(run.workload.control_rate_hz for run in runs)


def _task(env: str, runs: list[TrialRun], budget: Profile) -> dict:
    """The frontier of one task: every design on both read modes, and its answers."""
    designs: dict[str, list[TrialRun]] = {}
    for run in runs:   # settings may hold lists (grid_bins): grouped by their JSON
        designs.setdefault(json.dumps(run.design, sort_keys=True), []).append(run)
    rate_hz = task_rate_hz(runs)
    rows = []
    for design_runs in designs.values():
        hardware = hardware_for_run(design_runs[0].workload.neuron_preset)
        for preset in (hardware, alternative_read_mode(hardware)):
            if preset is not None:
                rows.append(_design_row(design_runs, preset, budget, rate_hz))
    rows.sort(key=lambda row: row["energy_per_step_j"])
    for index, row in enumerate(rows):
        row["rank"] = index + 1
    _mark_pareto(rows)
    per_hardware = {name: cheapest_that_learns([row for row in rows if row["hardware"] == name])
                    for name in sorted({row["hardware"] for row in rows})}
    return {
        "env": env, "designs": len(designs), "control_rate_hz": rate_hz, "rows": rows,
        "cheapest_within_budget_that_learns": cheapest_that_learns(rows, budget.budget_w),
        "cheapest_that_learns_per_hardware": {name: row for name, row in per_hardware.items()
                                              if row is not None},
    }


def build_frontier(sweep_dir: Path, profile_name: str = "coin-cell") -> dict:
    """The frontier of every task in the sweep at ``sweep_dir``, against a profile.

    Raises ValueError for an unknown profile, a directory that is not a sweep, no
    finished trial, or a trial whose task has no success threshold.
    """
    budget = profile(profile_name)
    runs, unfinished = read_trials(sweep_dir)
    unjudged = sorted({run.env for run in runs if not run.judged})
    judged = [run for run in runs if run.env not in unjudged]
    tasks = {}
    for env in sorted({run.env for run in judged}):
        tasks[env] = _task(env, [run for run in judged if run.env == env], budget)
    return {"format": FORMAT, "sweep": str(sweep_dir), "profile": budget.as_dict(),
            "finished_trials": len(judged), "unfinished_trials": unfinished,
            "tasks_without_threshold": unjudged,
            "mcu_basis": MCU.basis, "tasks": tasks}
