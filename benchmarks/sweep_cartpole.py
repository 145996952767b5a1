"""Sweep benchmark: CartPole-v1, 5 seeds x 3 levels of neuron device-to-device spread.

Runs the 15 trials twice: as ``memctrl sweep`` on a local Ray instance (trials
in parallel, one per core), then one after another in this process with the
same :func:`memctrl.training.run.train` calls. Prints the success rate against
the spread (from each) and both wall times. A trial's run depends only on its
seed and settings, so the two tables must agree.

    .venv/bin/python benchmarks/sweep_cartpole.py [--episodes 300] [--out NEW_DIR]

Not part of the tests; the full run takes about 2 x 15 trainings.

Measured (300 episodes, 2 cores shared with other work, load average 2-3): no
trial solved within 300 episodes; mean final returns 186 / 199 / 172 at
d2d_mu_cv 0 / 0.09 / 0.3, energy 14.7 / 14.4 / 12.2 J per run, identical trial
by trial in both runs; Ray sweep 277 s, one after another 305 s (1.10x). Before
the sweep ran its workers at nice 0, Ray's default nice 15 left the trials
behind the machine's other work: 361 s against 350 s (0.97x). With 30 episodes
(``--episodes 30``) Ray's overhead dominates: 22.8 s against 15.0 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

from memctrl.sweep import parse_sweep_config, run_sweep
from memctrl.sweep.summary import success_cell, summarize
from memctrl.training.run import train

SPREADS = (0.0, 0.09, 0.3)
"""CV of the neurons' mu across devices: none, the preset's 9 %, and 30 %."""


def sweep_document(episodes: int, eval_every: int, eval_episodes: int) -> dict:
    return {"episodes": episodes, "eval_every": eval_every, "eval_episodes": eval_episodes,
            "checkpoint_every": 10, "fixed": {"env": "CartPole-v1"},
            "grid": {"seed": [0, 1, 2, 3, 4], "neuron.d2d_mu_cv": list(SPREADS)}}


def run_one_after_another(document: dict, out: Path) -> list[dict]:
    """The sweep's trials, trained in turn in this process; records as the sweep makes them."""
    sweep = parse_sweep_config(document)
    records = []
    for trial in sweep.trials():
        summary = train(trial.env, sweep.episodes, seed=trial.seed, out=out / trial.name,
                        config=trial.controller_config(), eval_every=sweep.eval_every,
                        eval_episodes=sweep.eval_episodes,
                        checkpoint_every=sweep.checkpoint_every,
                        reward_threshold=sweep.success_return, progress=False)
        records.append({"name": trial.name, "factors": trial.factors, "status": "finished",
                        "error": None, "metrics": {
                            "solved_at_episode": summary["solved_at_episode"],
                            "reward_threshold": summary["reward_threshold"],
                            "final_eval_mean_return": summary["final_eval_mean_return"],
                            "energy_j": summary["energy_j"]}})
    return records


def print_table(title: str, summary: dict) -> None:
    print(title)
    print(f"{'d2d_mu_cv':>9} {'runs':>4} {'failed':>6} {'success':>7} {'solve median':>12} "
          f"{'final return':>12} {'energy J':>9}")
    for row in summary["factors"]["neuron.d2d_mu_cv"]:
        rate = success_cell(row)
        solve = row["episodes_to_solve_median"]
        print(f"{row['value']:>9} {row['runs']:>4} {row['failed']:>6} {rate:>7} "
              f"{'-' if solve is None else f'{solve:.0f}':>12} "
              f"{row['final_return_mean'] or float('nan'):>12.1f} "
              f"{row['energy_j_mean'] or float('nan'):>9.3g}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=300)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--eval-episodes", type=int, default=100)
    parser.add_argument("--out", type=Path, help="keep the runs in this new directory "
                        "(default: a temporary one)")
    args = parser.parse_args(argv)
    if args.out is not None and args.out.exists():
        # an old sweep there would be resumed, not run: its wall time would measure nothing
        parser.error(f"--out {args.out} exists; give a new directory, so that both runs "
                     "start from scratch")
    document = sweep_document(args.episodes, args.eval_every, args.eval_episodes)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        config = out / "sweep.yaml"
        out.mkdir(parents=True, exist_ok=True)
        config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

        started = time.perf_counter()
        result = run_sweep(config, out / "ray-sweep", progress=False)
        ray_wall = time.perf_counter() - started
        swept = summarize(document, _sweep_records(out / "ray-sweep"))

        started = time.perf_counter()
        serial = summarize(document, run_one_after_another(document, out / "one-by-one"))
        serial_wall = time.perf_counter() - started

    print(f"CartPole-v1, {args.episodes} episodes per trial, {len(swept['trials'])} trials "
          f"(seeds 0-4 x d2d_mu_cv {', '.join(map(str, SPREADS))})")
    print_table("memctrl sweep on Ray:", swept)
    print_table("one after another in one process:", serial)
    same = all(a["metrics"]["final_eval_mean_return"] == b["metrics"]["final_eval_mean_return"]
               for a, b in zip(swept["trials"], serial["trials"])
               if a["status"] == "finished")
    print(f"same final returns trial by trial: {same}")
    print(f"wall time: Ray sweep {ray_wall:.1f} s ({result['failed']} failed), one after "
          f"another {serial_wall:.1f} s, ratio {serial_wall / ray_wall:.2f}x")
    return 0


def _sweep_records(directory: Path) -> list[dict]:
    return json.loads((directory / "summary.json").read_text(encoding="utf-8"))["trials"]


if __name__ == "__main__":
    sys.exit(main())
