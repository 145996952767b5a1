"""What a sweep found: success rate, episodes to solve, final return and energy per factor.

A trial record (what :mod:`memctrl.sweep.run` collects from Ray Tune) is
``{"name", "factors", "status": "finished" | "failed", "error", "metrics"}``;
``metrics`` holds :data:`memctrl.sweep.trial.METRICS` for a finished trial.

A trial succeeds when its run solves the task (``solved_at_episode`` is set:
an evaluation reached the sweep's ``success_return``, or else the environment's
reward threshold). Rates and statistics are over finished trials; failed trials
are counted and listed apart. A trial with no threshold at all (memctrl's own
environments register none) is not judged: where no finished trial was, the
success rate is None and ``no_threshold`` is true ("n/a (no threshold)").
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from memctrl.run_record import atomic_write_text

SUMMARY_FORMAT = "memctrl-sweep-summary/1"


def rank_key(metrics: dict[str, Any]) -> tuple:
    """Sort key of the best trial: solved first, then solved sooner, then higher final return."""
    solved_at = metrics.get("solved_at_episode")
    return (solved_at is not None, -solved_at if solved_at is not None else 0.0,
            metrics.get("final_eval_mean_return", -math.inf))


def _statistics(records: list[dict]) -> dict[str, Any]:
    """Success rate, episodes to solve, final return and energy of some trial records."""
    finished = [record["metrics"] for record in records if record["status"] == "finished"]
    judged = [item for item in finished if item.get("reward_threshold") is not None]
    solved_at = [item["solved_at_episode"] for item in judged
                 if item["solved_at_episode"] is not None]
    # returns of different tasks have different scales: no mean across tasks
    mixed = len({record["factors"].get("env") for record in records}) > 1
    returns = [] if mixed else [item["final_eval_mean_return"] for item in finished]
    energies = [item["energy_j"] for item in finished]
    return {
        "runs": len(records), "finished": len(finished), "failed": len(records) - len(finished),
        "success_rate": len(solved_at) / len(judged) if judged else None,
        "no_threshold": bool(finished) and not judged,
        "episodes_to_solve_median": float(np.median(solved_at)) if solved_at else None,
        "episodes_to_solve_quartiles": (np.percentile(solved_at, [25, 75]).tolist()
                                        if solved_at else None),
        "final_return_mean": float(np.mean(returns)) if returns else None,
        "final_return_std": float(np.std(returns)) if returns else None,
        "energy_j_mean": float(np.mean(energies)) if energies else None,
        "energy_j_std": float(np.std(energies)) if energies else None,
    }


def summarize(sweep: dict[str, Any], records: list[dict]) -> dict[str, Any]:
    """The summary: overall and per value of each swept factor, the best trial, every trial."""
    factors = {}
    for factor, values in sweep["grid"].items():
        factors[factor] = [
            {"value": value,
             **_statistics([record for record in records if record["factors"][factor] == value])}
            for value in values]
    finished = [record for record in records if record["status"] == "finished"]
    best = max(finished, key=lambda record: rank_key(record["metrics"]), default=None)
    return {"format": SUMMARY_FORMAT, "sweep": sweep, "overall": _statistics(records),
            "factors": factors, "best": best, "trials": records}


def _number(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _solve_cell(stats: dict) -> str:
    if stats["episodes_to_solve_median"] is None:
        return "–"
    low, high = stats["episodes_to_solve_quartiles"]
    return f"{stats['episodes_to_solve_median']:.0f} [{low:.0f}–{high:.0f}]"


def success_cell(stats: dict) -> str:
    """The success rate as a percentage, "n/a (no threshold)", or "–" (no finished trial)."""
    if stats["success_rate"] is not None:
        return f"{stats['success_rate']:.0%}"
    return "n/a (no threshold)" if stats["no_threshold"] else "–"


def _table(rows: list[tuple[str, dict]], first: str) -> list[str]:
    lines = [f"| {first} | runs | failed | success rate | episodes to solve, median "
             "[quartiles] | final return, mean ± std | energy per run (J), mean ± std |",
             "|---|---|---|---|---|---|---|"]
    for label, stats in rows:
        lines.append(
            f"| {label} | {stats['runs']} | {stats['failed']} | "
            f"{success_cell(stats)} | {_solve_cell(stats)} | "
            f"{_number(stats['final_return_mean'], 4)} ± {_number(stats['final_return_std'])} | "
            f"{_number(stats['energy_j_mean'])} ± {_number(stats['energy_j_std'])} |")
    return lines


def markdown(summary: dict[str, Any], plot_files: dict[str, str]) -> str:
    """``summary.md``: the tables, the best configuration, the failed trials, the plots."""
    sweep = summary["sweep"]
    success_return = sweep.get("success_return")
    if success_return is None:
        threshold = "the environment's reward threshold"
    elif isinstance(success_return, dict):
        threshold = ("a mean return of " + ", ".join(
            f"{value:g} on {env_id}" for env_id, value in success_return.items())
            + " (`success_return`; elsewhere the environment's reward threshold)")
    else:
        threshold = f"a mean return of {success_return:g} (`success_return`)"
    lines = [f"# Sweep summary: {summary['overall']['runs']} trials", "",
             f"{sweep['episodes']} training episodes per trial; a trial succeeds when an "
             f"evaluation ({sweep['eval_episodes']} episodes, every {sweep['eval_every']}) "
             f"reaches {threshold}. Fixed settings: "
             + (", ".join(f"`{key}` = {value}" for key, value in sweep["fixed"].items())
                or "none") + ".", ""]
    lines += _table([("all", summary["overall"])], "trials") + [""]
    if "env" in sweep["grid"]:
        lines += ["Final returns are averaged within a task only: a row of several tasks "
                  "shows –.", ""]
    for factor, rows in summary["factors"].items():
        lines += [f"## Against `{factor}`", ""]
        lines += _table([(str(row["value"]), row) for row in rows], factor) + [""]
        if factor in plot_files:
            lines += [f"![{factor}]({plot_files[factor]})", ""]
    best = summary["best"]
    lines += ["## Best configuration", ""]
    if best is None:
        lines += ["No trial finished.", ""]
    else:
        metrics = best["metrics"]
        lines += [f"`{best['name']}`: "
                  + ", ".join(f"`{key}` = {value}" for key, value in best["factors"].items()),
                  "", f"solved at episode {_number(metrics['solved_at_episode'])}, final "
                  f"return {metrics['final_eval_mean_return']:.1f}, energy "
                  f"{metrics['energy_j']:.3g} J, {metrics['wall_s']:.0f} s", ""]
    failed = [record for record in summary["trials"] if record["status"] == "failed"]
    if failed:
        lines += ["## Failed trials", ""]
        lines += [f"- `{record['name']}` ("
                  + ", ".join(f"{key}={value}" for key, value in record["factors"].items())
                  + f"): {record['error']}" for record in failed] + [""]
    return "\n".join(lines)


def write_summary(out: Path, summary: dict[str, Any], plot_files: dict[str, str]) -> None:
    """``OUT/summary.json`` and ``OUT/summary.md``, each written atomically."""
    atomic_write_text(Path(out) / "summary.json",
                      json.dumps({**summary, "plots": plot_files}, indent=2) + "\n")
    atomic_write_text(Path(out) / "summary.md", markdown(summary, plot_files) + "\n")
