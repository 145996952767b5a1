"""What the device would need, for every trained design of a sweep: the power report's
break-even figures (:mod:`memctrl.energy.break_even`) per trial, as a Markdown table.

For each trial of ``SWEEP_DIR`` (a ``memctrl sweep`` directory) on one neuron preset, priced
on its default hardware (continuous reads) at the control rate ``memctrl report --frontier``
uses for its task (the slowest design's own): the energy per step, the fair MCU's on the
same run, and the device time per substep, energy per programming pulse (cell write and
verify read) and leakage per neuron that would together bring the design to the MCU's
energy per step (all three sharing what the rest of the run leaves; ``--fraction 0.1`` for
ten times below it).

    .venv/bin/python benchmarks/break_even_table.py runs/frontier [--neuron measured]
        [--fraction 1.0]

Reads run records only (no training); not part of the tests.

Measured 2026-12-05 (session 12) on the shipped frontier's sweep (``config/frontier.yaml``,
session 11's runs, their records marked ``shared_row_level``: every design was tile-coded;
every substep 500 us of device time; 100 steps/s for CartPole, 50 for the tremor task),
measured device, continuous reads, to the fair MCU of the same run, over the seeds that
learned:

- CartPole-v1, the defaults' design (EpiRAM, 16 tilings, 20 substeps): 2.03-2.28 uJ against
  39.5-63.6 nJ; it would need 4.0-7.0 us substeps (71-126x faster) and 38-66 pJ per pulse
  (write and verify; 527-531 pJ in the runs), leakage as it is.
- CartPole-v1 with Ag:Si (16 tilings, 20 substeps, the cheapest measured design that
  learned): 25 us substeps (20x faster) alone; TaOx/HfOx (16 tilings, 10 substeps; seed 1
  learned), whose 0.7 pJ writes need no change: 14.3 us (35x) alone.
- The tremor task (v0): the defaults' design 5.0-5.2 us substeps (97-100x) and 38-39 pJ
  pulses; Ag:Si (8 tilings, 10 substeps) 15.6-16.6 us (30-32x), 28-29 pJ (59 pJ) and
  16-17 nW of leakage; TaOx/HfOx (16 tilings, 10 substeps) 16.1-16.7 us (30-31x) alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def rows(sweep_dir: Path, neuron: str, fraction: float) -> list[tuple]:
    from memctrl.energy.baselines import MCU
    from memctrl.energy.break_even import FIGURES, break_even, target_at
    from memctrl.energy.hardware import hardware_for_run
    from memctrl.energy.markdown import needed_figure, si
    from memctrl.sweep.frontier import read_trials, task_rate_hz

    trials, _ = read_trials(sweep_dir)
    rates = {env: task_rate_hz([trial for trial in trials if trial.env == env])
             for env in {trial.env for trial in trials}}
    found = []
    for trial in trials:
        if trial.workload.neuron_preset != neuron:
            continue
        workload = trial.workload.at_control_rate(rates[trial.env])
        result = break_even(workload, hardware_for_run(neuron),
                            MCU.price(workload) / workload.ticks)
        target = target_at(result, fraction)
        if target["met"]:
            needed = ("met",) * 3
        elif target["balanced_factors"] is None:
            needed = (f"not reachable: {target['balanced_unreachable_because']}", "", "")
        else:
            needed = tuple(needed_figure(f, target["balanced_figures"][f],
                                         target["balanced_factors"][f])
                           for f in FIGURES)
        figures = result["figures"]
        design = trial.design
        found.append((trial.env, design.get("controller.synapse_preset", ""),
                      design.get("controller.grid_tilings", ""),
                      design.get("controller.substeps", ""), trial.seed,
                      "yes" if trial.solved else "no", f"{rates[trial.env]:g}",
                      si(result["energy_per_step_j"], "J"), si(target["energy_per_step_j"], "J"),
                      si(figures["device_speed"], "s"), si(figures["programming"], "J"),
                      *needed))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--neuron", default="measured", help="neuron preset of the trials")
    parser.add_argument("--fraction", type=float, default=1.0, choices=(1.0, 0.1),
                        help="target: the fair MCU's energy per step times this")
    args = parser.parse_args(argv)
    from memctrl.energy.markdown import table

    try:
        found = rows(args.sweep_dir, args.neuron, args.fraction)
    except ValueError as error:
        print(f"break_even_table: {error}", file=sys.stderr)
        return 2
    print(table(("task", "synapse", "tilings", "substeps", "seed", "solved", "steps/s",
                 "energy per step", "target", "substep", "pulse", "needed substep",
                 "needed pulse", "needed leakage"), found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
