"""PNG plots of a sweep: one figure per swept factor, four panels against its values.

Panels: success rate; episodes to solve (median, quartiles as the bar); final
return and energy per run (every finished trial a dot, the mean a line).
Values sit at even positions labelled with the value, so that numbers and
names (presets, environment ids) plot alike. Figures are built on an Agg
canvas, not through pyplot, as in :mod:`memctrl.energy.plots`, and each PNG
is written through a temporary file renamed into place.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from memctrl.energy.plots import agg_figure
from memctrl.run_record import atomic_write_bytes
from memctrl.sweep.summary import success_cell

def plot_file_name(factor: str) -> str:
    """``sweep_<factor>.png`` with anything but letters, digits, - and _ replaced."""
    return f"sweep_{re.sub(r'[^A-Za-z0-9_-]', '_', factor)}.png"


def plot_factor(factor: str, rows: list[dict], records: list[dict], path: Path) -> None:
    """The four panels of ``factor``; ``rows`` are its summary rows, ``records`` every trial."""
    positions = range(len(rows))
    labels = [str(row["value"]) for row in rows]
    figure = agg_figure(10.0, 6.5)
    figure.suptitle(f"against {factor} ({sum(row['runs'] for row in rows)} trials)")
    rate, solve, final, energy = figure.subplots(2, 2).ravel()

    bars = rate.bar(positions, [row["success_rate"] or 0.0 for row in rows], color="#4c72b0")
    rate.bar_label(bars, ["no finished trial" if success_cell(row) == "–" else success_cell(row)
                          for row in rows])
    rate.set_ylim(0, 1)
    rate.set_ylabel("success rate")

    for x, row in zip(positions, rows):
        if row["episodes_to_solve_median"] is not None:
            low, high = row["episodes_to_solve_quartiles"]
            median = row["episodes_to_solve_median"]
            solve.errorbar([x], [median], yerr=[[median - low], [high - median]], fmt="o",
                           color="#4c72b0", capsize=4)
    if all(row["episodes_to_solve_median"] is None for row in rows):
        solve.text(0.5, 0.5, "no trial solved the task", transform=solve.transAxes,
                   ha="center", va="center", color="#777777")
    solve.set_ylabel("episodes to solve\n(median, quartiles)")

    for axes, metric, label in ((final, "final_eval_mean_return", "final return"),
                                (energy, "energy_j", "energy per run (J)")):
        means = []
        for x, row in zip(positions, rows):
            values = [record["metrics"][metric] for record in records
                      if record["status"] == "finished"
                      and record["factors"][factor] == row["value"]]
            axes.plot([x] * len(values), values, "o", color="#4c72b0", alpha=0.5)
            means.append(sum(values) / len(values) if values else float("nan"))
        axes.plot(list(positions), means, "-", color="#dd8452", label="mean")
        axes.set_ylabel(label)
    energy.legend(fontsize=8)
    for axes in (rate, solve, final, energy):
        axes.set_xticks(list(positions), labels)
        axes.set_xlim(-0.5, len(rows) - 0.5)
        axes.set_xlabel(factor)
    # to memory first, then renamed into place: a crash leaves no half-written PNG
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    atomic_write_bytes(path, buffer.getvalue())


def write_plots(out: Path, summary: dict[str, Any]) -> dict[str, str]:
    """One PNG per swept factor in ``out``; returns factor -> file name."""
    files = {}
    for factor, rows in summary["factors"].items():
        files[factor] = plot_file_name(factor)
        plot_factor(factor, rows, summary["trials"], Path(out) / files[factor])
    return files
