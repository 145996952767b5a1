"""Calibration of the neuron presets: emulated vs published values, with ratios.

Runs ``memctrl.characterization.characterize`` on each neuron preset and prints
one table per preset (emulated value, paper value, ratio) plus the parameter
probes that justify the changes from the paper's Table 1 (see the comments in
``memctrl/device/presets.py``): the same protocols on Table 1 as published, and
on the calibrated set with one parameter at a time put back to Table 1.

    python benchmarks/calibrate_neuron.py [--backend reference] [--trials 200]

Takes about 5 s per parameter set with the compiled core.
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

from memctrl.characterization import characterize
from memctrl.device import presets

TABLE_1 = dict(mu=150.0, alpha=0.01, beta=20.0, gamma1=600.0, gamma2=5.0, c_gate=10e-12)
"""Zhao et al. 2025, supplementary Table 1 (C)."""

ROWS = [
    ("leaky_integration", "pulses_to_fire", "paper_pulses_to_fire", "ratio_to_paper", 1.0),
    ("threshold_firing", "fire_probability", "paper_fire_probability", "ratio_to_paper", 1.0),
    ("intrinsic_plasticity", "speedup_ms", "paper_speedup_ms", "ratio_to_paper", 1.0),
    ("refractory", "mean_isi_ms", "paper_mean_isi_ms", "ratio_to_paper", 1.0),
]


def table(result: dict) -> str:
    lines = [f"{'protocol':<22}{'emulated':<40}{'paper':<34}ratio"]
    for protocol, key, paper_key, ratio_key, _ in ROWS:
        part = result[protocol]
        lines.append(f"{protocol:<22}{_fmt(part[key]):<40}{_fmt(part[paper_key]):<34}"
                     f"{_fmt(part[ratio_key])}")
    firing = result["threshold_firing"]
    lines.append(f"{'first spike (ms)':<22}{firing['first_spike_ms']:<40.1f}"
                 f"{firing['paper_first_spike_ms']:<34.1f}{firing['first_spike_ratio_to_paper']:.2f}")
    stochastic = result["stochasticity"]
    lines.append(f"{'delay spread (dec)':<22}{stochastic['switching_delay_spread_decades']:<40.2f}"
                 f"{stochastic['paper_switching_delay_spread_decades']:<34.2f}")
    lines.append(f"{'threshold CV c2c/d2d':<22}"
                 f"{stochastic['threshold_cv_cycle']:.3f} / {stochastic['threshold_cv_device']:.3f}"
                 f"{'':<26}{stochastic['paper_threshold_cv']:<34.2f}")
    lines.append(f"latency CV {stochastic['first_spike_latency_cv']:.2f}; cascade fired "
                 f"{result['cascade']['downstream_fired']} after "
                 f"{result['cascade']['latency_ms']:.1f} ms; energy per spike "
                 f"{result['energy_per_spike_j']:.3g} J; discrete spikes "
                 f"{firing['discrete_spikes']}; all within 3x: {result['all_within_factor_3']}")
    return "\n".join(lines)


def _fmt(values) -> str:
    if isinstance(values, list):
        return "[" + " ".join(f"{v:.3g}" for v in values) + "]"
    return f"{values:.3g}"


def run_variant(label: str, changes: dict, args: argparse.Namespace) -> None:
    """Characterize the "measured" preset with ``changes`` applied."""
    params = presets.NEURON_PRESETS["measured"].replace(**changes)
    variants = dict(presets.NEURON_PRESETS, measured=params)
    with mock.patch.dict(presets.NEURON_PRESETS, variants):
        started = time.perf_counter()
        result = characterize("measured", seed=args.seed, trials=args.trials,
                              backend=args.backend)
    print(f"\n== {label} ({time.perf_counter() - started:.1f} s)")
    print(table(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="compiled", choices=("compiled", "reference"))
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--probes", action="store_true",
                        help="also put each changed parameter back to Table 1, one at a time")
    args = parser.parse_args()
    for name in presets.NEURON_PRESETS:
        started = time.perf_counter()
        result = characterize(name, seed=args.seed, trials=args.trials, backend=args.backend)
        print(f"\n== preset {name!r} ({time.perf_counter() - started:.1f} s)")
        print(table(result))
    run_variant("Table 1 as published (with the calibrated noise)", TABLE_1, args)
    if args.probes:
        measured = presets.NEURON_PRESETS["measured"]
        for key, value in TABLE_1.items():
            if getattr(measured, key) != value:
                changes = {key: value}
                if key == "mu":
                    changes["gamma1"] = TABLE_1["gamma1"]
                run_variant(f"calibrated, but {changes} (Table 1)", changes, args)


if __name__ == "__main__":
    main()
