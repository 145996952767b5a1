"""The design frontier's files: ``frontier.md``, ``frontier.json`` and one plot per task.

:func:`write_frontier` builds the frontier (:mod:`memctrl.sweep.frontier`) and
writes it all or nothing (``frontier.json`` last).
"""

from __future__ import annotations

import json
from pathlib import Path

from memctrl.energy.markdown import duration_h, ratio, si, table
from memctrl.energy.plots import agg_figure
from memctrl.run_record import publish_files
from memctrl.sweep.frontier import build_frontier

FRONTIER_MD = "frontier.md"
FRONTIER_JSON = "frontier.json"
RECOMPUTE = "memctrl report --frontier {sweep} --out DIR --profile {profile}"


def design_label(row: dict) -> str:
    """A design in words: its swept settings (short names) and its read mode."""
    settings = ", ".join(f"{key.split('.', 1)[-1]} {value}"
                         for key, value in sorted(row["design"].items()))
    reads = f"{row['synaptic_reads']} reads"
    return f"{settings}; {reads}" if settings else f"the defaults; {reads}"   # seeds swept only


def _answer(row: dict | None, what: str) -> str:
    if row is None:
        return f"- {what}: none in this sweep."
    return (f"- {what}: **{design_label(row)}** (hardware `{row['hardware']}`): "
            f"{si(row['energy_per_step_j'], 'J')} per step, {ratio(row['ratio_to_mcu'])} the "
            f"fair MCU on the same runs ({si(row['mcu_energy_per_step_j'], 'J')}), "
            f"{si(row['mean_power_w'], 'W')}, battery life {duration_h(row['battery_life_h'])}; "
            f"solved {row['solved_seeds']} of {len(row['seeds'])} seeds, final return "
            f"{row['final_return_mean']:.1f}.")


_NEED_WORDS = {"device_speed": "neuron {:.3g}x faster", "programming": "writes {:.3g}x cheaper",
               "leakage": "leakage {:.3g}x lower"}


def needs_label(need: dict) -> str:
    """A frontier row's ``to_beat_mcu`` for a reader."""
    if need["met"]:
        return "already below"
    if not need["reachable"]:
        return "not reachable by speed, writes or leakage"
    changes = [_NEED_WORDS[figure].format(factor)
               for figure, factor in need["reduction_factors"].items() if factor > 1.0 + 1e-9]
    return ", ".join(changes) or "already below"


def _task_lines(task: dict, plot: str, budget: dict) -> list[str]:
    rows = task["rows"]
    lines = [f"## {task['env']}", "",
             f"{task['designs']} trained designs, each priced on {len(rows) // task['designs']} "
             f"read modes: {len(rows)} rows, cheapest first. Power and battery life at "
             f"{task['control_rate_hz']:g} control steps per second (the slowest design's own "
             "rate: every design keeps up).", "",
             _answer(task["cheapest_within_budget_that_learns"],
                     f"cheapest design that learns within the {budget['name']} budget")]
    for name, row in task["cheapest_that_learns_per_hardware"].items():
        lines.append(_answer(row, f"cheapest that learns on hardware `{name}`"))
    lines += ["", f"![frontier of {task['env']}]({plot})", "",
              "*To beat the MCU*: what the device would need for the design to draw less "
              "than the MCU on every seed (`memctrl.energy.break_even`'s balanced point; "
              "the largest factor over the seeds).", "", table(
        ("rank", "design", "hardware", "energy per step", "MCU per step", "to MCU",
         "mean power", "within budget", "battery life", "solved", "final return", "Pareto",
         "to beat the MCU"),
        [(row["rank"], design_label(row), row["hardware"], si(row["energy_per_step_j"], "J"),
          si(row["mcu_energy_per_step_j"], "J"), ratio(row["ratio_to_mcu"]),
          si(row["mean_power_w"], "W"), "yes" if row["within_budget"] else "no",
          duration_h(row["battery_life_h"]), f"{row['solved_seeds']}/{len(row['seeds'])}",
          f"{row['final_return_mean']:.1f}", "yes" if row["pareto"] else "",
          needs_label(row["to_beat_mcu"]))
         for row in rows])]
    return lines + [""]


def render_markdown(frontier: dict, plots: dict[str, str]) -> str:
    """``frontier.md``: per task the answers, the plot and the table."""
    budget = frontier["profile"]
    lines = ["# memctrl design frontier", "",
             f"- sweep: `{frontier['sweep']}`: {frontier['finished_trials']} finished trials"
             + (f", {frontier['unfinished_trials']} unfinished or failed (left out)"
                if frontier["unfinished_trials"] else "")
             + (f"; the trials of {', '.join(frontier['tasks_without_threshold'])} left out: "
                "the task has no success threshold (`success_return` in a new sweep gives one)"
                if frontier["tasks_without_threshold"] else ""),
             f"- profile `{budget['name']}`: {budget['description']}, budget "
             f"{si(budget['budget_w'], 'W')} (on the mean power)",
             "- a design learns when every seed solved the task (an evaluation reached the "
             "sweep's success return or the task's reward threshold); energy and the MCU "
             "baseline are summed over its seeds' training runs",
             "- the MCU baseline is the same network over the driven inputs once per tick "
             "on an Apollo-class Cortex-M4F (`memctrl report` lists its basis and sources)",
             f"- recompute: `{RECOMPUTE.format(sweep=frontier['sweep'], profile=budget['name'])}`",
             ""]
    for env, task in frontier["tasks"].items():
        lines += _task_lines(task, plots[env], budget)
    return "\n".join(lines)


def plot_task(task: dict, budget: dict, path: Path) -> None:
    """Energy per step (log) against the final return; the front, the budget and the MCU."""
    rows = task["rows"]
    figure = agg_figure(7.5, 4.5)
    axes = figure.subplots()
    devices = sorted({row["neuron_preset"] for row in rows})
    for index, device in enumerate(devices):
        color = f"C{index}"
        for reads, marker in (("continuous", "o"), ("pulsed", "s")):
            chosen = [row for row in rows
                      if row["neuron_preset"] == device and row["synaptic_reads"] == reads]
            if not chosen:
                continue
            axes.scatter([row["energy_per_step_j"] for row in chosen],
                         [row["final_return_mean"] for row in chosen], marker=marker,
                         facecolors=[color if row["learns"] else "none" for row in chosen],
                         edgecolors=color, label=f"{device}, {reads} reads")
    front = sorted((row for row in rows if row["pareto"]),
                   key=lambda row: row["energy_per_step_j"])
    axes.step([row["energy_per_step_j"] for row in front],
              [row["final_return_mean"] for row in front], where="post", color="black",
              linewidth=0.8, label="Pareto front")
    rate = task["control_rate_hz"]
    axes.axvline(budget["budget_w"] / rate, color="red", linestyle="--", linewidth=0.8,
                 label=f"{budget['name']} budget at {rate:g} Hz")
    mcu = sorted(row["mcu_energy_per_step_j"] for row in rows)[len(rows) // 2]
    axes.axvline(mcu, color="gray", linestyle=":", linewidth=0.8,
                 label="fair MCU (median over designs)")
    axes.set_xscale("log")
    axes.set_xlabel("energy per control step (J)")
    axes.set_ylabel("final evaluation return (mean over seeds)")
    axes.set_title(f"{task['env']}: filled = learns on every seed")
    axes.legend(fontsize=7, loc="lower right")
    figure.savefig(path)


def plot_name(env: str) -> str:
    return "frontier_" + "".join(c if c.isalnum() else "_" for c in env) + ".png"


def write_frontier(sweep_dir: Path, out_dir: Path, profile_name: str = "coin-cell") -> dict:
    """Build the frontier of ``sweep_dir`` and write its files to ``out_dir``; returns it.

    The sweep is read and priced before anything is written (ValueError names the
    problem); the files appear all together or not at all.
    """
    frontier = build_frontier(Path(sweep_dir), profile_name)

    def build(staging: Path) -> list[str]:
        plots = {env: plot_name(env) for env in frontier["tasks"]}
        for env, task in frontier["tasks"].items():
            plot_task(task, frontier["profile"], staging / plots[env])
        frontier["files"] = {"markdown": FRONTIER_MD, "json": FRONTIER_JSON, "plots": plots}
        (staging / FRONTIER_MD).write_text(render_markdown(frontier, plots) + "\n",
                                           encoding="utf-8")
        (staging / FRONTIER_JSON).write_text(
            json.dumps(frontier, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        return [*plots.values(), FRONTIER_MD, FRONTIER_JSON]

    publish_files(Path(out_dir), build)
    return frontier
