"""PNG plots of a power report; matplotlib is imported here only, on the Agg backend.

The figures are built on ``matplotlib.figure.Figure`` with an Agg canvas, not
through pyplot, so no global backend or figure state is touched.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

PLOT_FILES = {"energy_breakdown": "energy_breakdown.png",
              "power_vs_control_rate": "power_vs_control_rate.png",
              "cumulative_energy": "cumulative_energy.png"}
RATE_RANGE_HZ = (1.0, 1e4)
_DPI = 100


def agg_figure(width: float = 7.0, height: float = 4.0):
    """A ``Figure`` on its own Agg canvas (no pyplot, no global backend), ``width`` x
    ``height`` inches; the report's, the sweep's and the frontier's plots use it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def plot_energy_breakdown(report: dict, path: Path) -> None:
    """Horizontal bars of energy per control step by component (log scale)."""
    ticks = report["run"]["ticks"]
    names = [item["name"] for item in report["components"]][::-1]
    per_step = [item["energy_j"] / ticks for item in report["components"]][::-1]
    figure = agg_figure()
    axes = figure.add_subplot()
    positive = [value for value in per_step if value > 0]
    floor = min(positive) / 10 if positive else 1e-30
    axes.barh(names, [max(value, floor) for value in per_step],
              color=["#4c72b0" if value > 0 else "#cccccc" for value in per_step])
    axes.set_xscale("log")
    for y, value in enumerate(per_step):
        axes.annotate(f"{value:.3g} J" if value > 0 else "0", (max(value, floor), y),
                      xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    axes.set_xlabel("energy per control step (J)")
    axes.set_title(f"{report['hardware']['name']}: {report['energy_per_step_j']:.3g} J per "
                   f"step at {report['run']['control_rate_hz']:.4g} Hz", fontsize=10)
    axes.set_xlim(floor, max(per_step + [floor]) * 50)
    figure.savefig(path)


def plot_power_vs_rate(report: dict, path: Path) -> None:
    """Power against control rate for memctrl and the same-work baselines, with budgets."""
    model = report["power_model"]
    rates = np.logspace(np.log10(RATE_RANGE_HZ[0]), np.log10(RATE_RANGE_HZ[1]), 50)
    figure = agg_figure(7.5, 4.8)
    axes = figure.add_subplot()
    axes.loglog(rates, model["dynamic_energy_per_step_j"] * rates + model["static_power_w"],
                lw=2.5, color="black", label=f"memctrl ({report['hardware']['name']})")
    other = report.get("read_mode_comparison")
    if other:
        axes.loglog(rates, other["dynamic_energy_per_step_j"] * rates + other["static_power_w"],
                    lw=1.5, color="grey", label=f"memctrl ({other['hardware']})")
    for name, item in report["baselines"].items():
        if item["kind"] == "same work":
            axes.loglog(rates, item["energy_per_step_j"] * rates, lw=1, ls="--", label=name)
    budgets = report["profiles"]
    colors = ["#c44e52", "#dd8452", "#55a868", "#8172b3", "#937860"]
    ordered = sorted(budgets.items(), key=lambda item: item[1]["budget_w"])
    for index, (color, (name, fit)) in enumerate(zip(colors, ordered)):
        axes.axhline(fit["budget_w"], color=color, lw=1, ls=":")
        left = index % 2 == 0  # alternate sides so that close budgets stay readable
        axes.annotate(f"{name} {fit['budget_w']:.3g} W",
                      (rates[0] if left else rates[-1], fit["budget_w"]), xytext=(2, 2),
                      textcoords="offset points", fontsize=7, color=color,
                      ha="left" if left else "right")
    run_rate = report["run"]["control_rate_hz"]
    axes.axvline(run_rate, color="grey", lw=0.8)
    axes.plot([run_rate], [report["mean_power_w"]], "o", color="black")
    axes.set_xlabel("control rate (Hz)")
    axes.set_ylabel("mean power (W)")
    axes.set_title("power against control rate (same work per step)", fontsize=10)
    # outside the axes, where it hides no budget line or label
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.savefig(path, bbox_inches="tight")


def plot_cumulative_energy(report: dict, path: Path) -> None:
    """Cumulative energy over the episodes of a training run."""
    rows = report["episodes"]["episodes"]
    figure = agg_figure()
    axes = figure.add_subplot()
    axes.plot([row["episode"] for row in rows], [row["cumulative_energy_j"] for row in rows],
              lw=2, color="#4c72b0")
    axes.set_xlabel("episode")
    axes.set_ylabel("cumulative energy (J)")
    axes.set_title(f"training run: {report['episodes']['total_energy_j']:.3g} J over "
                   f"{len(rows)} episodes ({report['hardware']['name']})", fontsize=10)
    figure.savefig(path)


def write_plots(report: dict, directory: Path) -> dict[str, str]:
    """Write every plot the report supports into ``directory``; returns {plot: file name}."""
    directory = Path(directory)
    written = {}
    plots = [("energy_breakdown", plot_energy_breakdown),
             ("power_vs_control_rate", plot_power_vs_rate)]
    if report.get("episodes"):
        plots.append(("cumulative_energy", plot_cumulative_energy))
    else:
        logger.info("no metrics.jsonl in the run: skipping the cumulative-energy plot")
    for key, draw in plots:
        draw(report, directory / PLOT_FILES[key])
        written[key] = PLOT_FILES[key]
    return written
