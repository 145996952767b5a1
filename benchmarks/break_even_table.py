"""What the device would need, for every trained design of a sweep: the power report's
break-even figures (:mod:`memctrl.energy.break_even`) per trial, as a Markdown table.

For each trial of ``SWEEP_DIR`` (a ``memctrl sweep`` directory) on one neuron preset, priced
on its default hardware (continuous reads): the energy per step, the fair MCU's on the same
run, and the device time per substep, energy per programming pulse and leakage per neuron
that would together bring the design to the MCU's energy per step (all three sharing
what the rest of the run leaves; ``--fraction 0.1`` for ten times below it).

    .venv/bin/python benchmarks/break_even_table.py runs/frontier [--neuron measured]
        [--fraction 1.0]

Reads run records only (no training); not part of the tests.

Measured 2026-12-05 (session 12) on the shipped frontier's sweep (``config/frontier.yaml``,
session 11's runs, their records marked ``shared_row_level``: every design was tile-coded;
every substep 500 us of device time), measured device, continuous reads, to the fair MCU
of the same run (seed 0; seed 1 within a factor of 2):

- CartPole-v1, the defaults' design (EpiRAM, 16 tilings, 20 substeps): 2.28 uJ against
  63.6 nJ; it would need 7.0 us substeps (71x faster) and 37.9 pJ per programming pulse
  (531 pJ in the run), leakage as it is.
- CartPole-v1 with Ag:Si (16 tilings, 20 substeps, the cheapest measured design that
  learned): 24.9 us substeps (20x faster) alone; TaOx/HfOx (16 tilings, 10 substeps), whose
  0.7 pJ writes need no change: 26.5 us (19x) alone.
- The tremor task (v0): the defaults' design 5.2 us substeps (96x) and 38.5 pJ pulses;
  Ag:Si (8 tilings, 10 substeps) 19 us (26x) and 31.5 pJ (59.2 pJ); TaOx/HfOx (16
  tilings, 10 substeps) 20 us (25x) alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def rows(sweep_dir: Path, neuron: str, fraction: float) -> list[tuple]:
    from memctrl.energy.markdown import needed_figure, si
    from memctrl.energy.report import build_report

    found = []
    for trial in sorted((sweep_dir / "trials").glob("trial-*")):
        if not (trial / "run.json").exists():
            continue
        factors = json.loads((trial / "trial.json").read_text())["factors"]
        if factors.get("controller.neuron_preset", "measured") != neuron:
            continue
        report = build_report(trial)
        result = report["break_even"]
        target = next(t for t in result["targets"] if t["fraction_of_mcu"] == fraction)
        solved = json.loads((trial / "result.json").read_text()).get("solved")
        if target["met"]:
            needed = ("met",) * 3
        elif target["balanced_factors"] is None:
            needed = (f"not reachable: {target['balanced_unreachable_because']}", "", "")
        else:
            needed = tuple(needed_figure(f, target["balanced_figures"][f],
                                         target["balanced_factors"][f])
                           for f in ("device_speed", "programming", "leakage"))
        figures = result["figures"]
        found.append((factors["env"], factors.get("controller.synapse_preset", ""),
                      factors.get("controller.grid_tilings", ""),
                      factors.get("controller.substeps", ""), factors.get("seed", ""),
                      "yes" if solved else "no", si(result["energy_per_step_j"], "J"),
                      si(target["energy_per_step_j"], "J"),
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
    if not (args.sweep_dir / "trials").is_dir():
        print(f"break_even_table: {args.sweep_dir} holds no trials/ (a memctrl sweep "
              "directory)", file=sys.stderr)
        return 2
    from memctrl.energy.markdown import table

    print(table(("task", "synapse", "tilings", "substeps", "seed", "solved", "energy per step",
                 "target", "substep", "pulse", "needed substep", "needed pulse",
                 "needed leakage"), rows(args.sweep_dir, args.neuron, args.fraction)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
