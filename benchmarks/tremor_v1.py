"""Benchmark: the damping baseline and the learned controller on memctrl/TremorSuppression-v3
(``--env memctrl/TremorSuppression-v2`` or ``-v1``: those), measured as tremor-suppression
device studies measure them.

For each seed, a ``SpikingController`` with the library defaults (no settings file) learns
online for ``--episodes`` episodes (3,000 steps of 1 ms each), then a copy is evaluated
without learning on ``--eval-episodes`` episodes (environment seeds ``seed + 7,777,777 + k``;
``memctrl train`` evaluates on ``episode_seed(seed + 7,777,777, k)``, other episodes) beside
the hand-written damping baseline
(:meth:`sim_envs.baselines.TremorDampingController.for_env`: ``for_v1``'s law, on v3 without a
filter of its own) on the same episodes. Per
controller the table gives, averaged over the evaluation episodes (``info["episode_metrics"]``):
tremor-band power reduction against the passive orthosis, voluntary tracking error (RMS of the
voluntary band of hand minus intended angle; the passive orthosis's own is in the last
column) and its steady part ("offset": the episode's mean of hand minus intended angle, its
size averaged over the episodes), v0's RMS reduction, the mean return on the task's own reward
(what the learner maximizes), and the whole-device power: controller
(modelled device energy over the evaluation), IMU (MPU-6050 datasheet) and motor
(:mod:`memctrl.energy.wearable`).

    nice -n 10 .venv/bin/python benchmarks/tremor_v1.py [--episodes 100] [--seeds 0 1 2 3 4]
        [--eval-episodes 30] [--baseline-only] [--per-episode] [--env memctrl/TremorSuppression-v2]
        [--settings FILE.yaml | defaults] [--config '{"exploration_sigma": 0.2}']

The learned controller has the library's defaults unless ``--settings`` or ``--config``
changes them (as ``benchmarks/learning_tremor.py``'s options).

On the library defaults (the 5-bin grid; ``--episodes 200``, thirty evaluation episodes:
seeds 0-4 in session 25, 5-9 in session 26; power reduction % / voluntary tracking rad):

====  ===============  ================  ====  ===============  ================
seed  learned          damping baseline  seed  learned          damping baseline
====  ===============  ================  ====  ===============  ================
0     68.3 / 0.0457    74.1 / 0.0518     5     66.2 / 0.0408    76.5 / 0.0524
1     70.7 / 0.0464    74.7 / 0.0510     6     63.5 / 0.0424    77.5 / 0.0525
2     60.9 / 0.0486    75.4 / 0.0527     7     65.0 / 0.0472    77.7 / 0.0529
3     68.7 / 0.0496    76.7 / 0.0508     8     73.2 / 0.0445    77.6 / 0.0520
4     64.9 / 0.0561    77.1 / 0.0522     9     69.9 / 0.0558    76.4 / 0.0522
====  ===============  ================  ====  ===============  ================

Issue 17's targets (power within 10 points of the baseline's, tracking no worse than its) are
met on four seeds of ten (0, 1, 3, 8): the power on five, the tracking on eight (seeds 4
and 9 track 0.0039 and 0.0036 rad worse); medians 67.3 % / 0.0468 rad against the
baseline's 76.6 % / 0.0522 rad. The first ten of those episodes (the default before
session 26) flattered it: nine seeds of ten on them. ``--per-episode`` shows where it
loses: on the patients whose tremor is under 0.025 rad (a fifth of the episodes) the
learned controller removes 43.6 % against the baseline's 69.1 % (seeds 5-9), on the others
73.5 % against 79.1 %. Seed 4's learned law, the one looked at, has a dead zone of about
+-0.5 rad/s of band velocity, where it does not damp. One seed at one checkpoint is a
noisy draw: the learned law wanders by 4-9 points of power between checkpoints 20 episodes
apart (seeds 0, 2, 3, 4 meet both targets at 10 of 44 checkpoints from 100 to 300
episodes; the notes, session 28). On the task's own reward (the "return" column) the
learned controllers score above the baseline on nine seeds of ten (seed 9 5.8 below); the
damping law the reward ranks first, 0.15 N m s/rad, sits 8-9 points of power below the
baseline's on every seed, at the edge of the 10-point target, and the learned controllers
land around the same power (the notes, session 29).
Every run measured with this script
since session 4, kept or not, is in ``benchmarks/notes/tremor_v1.md``.

Seeds run one after another in this process. Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from memctrl.controller import ControllerConfig

ENV_IDS = ("memctrl/TremorSuppression-v3", "memctrl/TremorSuppression-v2",
           "memctrl/TremorSuppression-v1")
"""The tasks this benchmark measures; the first is the default."""
EVAL_SEED_OFFSET = 7_777_777


def evaluate(env, act, reset, seeds) -> dict:
    """Mean device-paper metrics and motor power of ``act`` over episodes ``seeds``;
    ``patients`` and ``episode_metrics`` hold each episode's (``reset``'s info, the metrics)."""
    from memctrl.energy.wearable import actuator_electrical_power_w

    metrics, patients, torques, speeds, returns = [], [], [], [], []
    for seed in seeds:
        reset()
        observation, patient = env.reset(seed=seed)
        done, episode_return = False, 0.0
        while not done:
            observation, reward, terminated, truncated, info = env.step(act(observation))
            episode_return += reward
            torques.append(info["actuator_torque_n_m"])
            speeds.append(info["hand_piece_velocity_rad_s"])
            done = terminated or truncated
        metrics.append(info["episode_metrics"])
        patients.append(patient)
        returns.append(episode_return)
    summary = {key: statistics.fmean(m[key] for m in metrics) for key in metrics[0]}
    summary["abs_tracking_offset_rad"] = statistics.fmean(
        abs(m["tracking_offset_rad"]) for m in metrics)
    summary["return"] = statistics.fmean(returns)
    summary["actuator_w"] = actuator_electrical_power_w(torques, speeds)
    summary["steps"] = len(torques)
    summary["patients"] = patients
    summary["episode_metrics"] = metrics
    return summary


def _episode_rows(result: dict) -> list[str]:
    """One line per evaluation episode: the patient, then each policy's power reduction,
    tracking error and offset."""
    rows = []
    policies = [name for name in ("baseline", "learned") if name in result]
    for k, patient in enumerate(result["baseline"]["patients"]):
        row = (f"     episode {k:>2} {patient['disorder']:<12} "
               f"{patient['tremor_frequency_hz']:5.2f} Hz {patient['tremor_amplitude_rad']:.3f} rad")
        for name in policies:
            m = result[name]["episode_metrics"][k]
            row += (f" | {name} {m['tremor_power_reduction']:7.1%} "
                    f"{m['voluntary_tracking_error_rad']:.4f} {m['tracking_offset_rad']:+.4f}")
        rows.append(row)
    return rows


def measure_seed(env_id: str, seed: int, episodes: int, eval_episodes: int,
                 baseline_only: bool, config: ControllerConfig | None = None) -> dict:
    """The damping baseline and (unless ``baseline_only``) the controller of ``config``
    (None: the library defaults) trained ``episodes`` episodes, on ``eval_episodes``."""
    import gymnasium

    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    from sim_envs.baselines import TremorDampingController

    env = gymnasium.make(env_id)
    dt_s = env.unwrapped.dt_s
    seeds = [seed + EVAL_SEED_OFFSET + k for k in range(eval_episodes)]
    baseline = TremorDampingController.for_env(env)
    result = {"seed": seed, "baseline": evaluate(env, baseline, baseline.reset, seeds)}
    result["baseline"]["controller_w"] = None
    if baseline_only:
        return result

    from memctrl import SpikingController
    from memctrl.training import run_episodes

    controller = SpikingController.for_env(env, config, seed=seed)
    started = time.perf_counter()
    context = run_episodes(env, controller, episodes, seed=seed)
    result["wall_s"] = time.perf_counter() - started
    result["train_energy_j"] = controller.energy_j
    result["returns"] = [item.episode_return for item in context.history]
    trained = controller.copy()
    trained.learning = False
    energy_before = trained.energy_j
    learned = evaluate(env, trained.act, trained.reset, seeds)
    learned["controller_w"] = (trained.energy_j - energy_before) / (learned["steps"] * dt_s)
    result["learned"] = learned
    return result


def _row(name: str, seed: int, m: dict) -> str:
    from memctrl.energy.wearable import device_budget

    budget = device_budget(m["controller_w"] or 0.0, m["actuator_w"])
    controller = "-" if m["controller_w"] is None else f"{1e3 * m['controller_w']:.1f}"
    return (f"{seed:>4} {name:<9} {m['tremor_power_reduction']:>7.1%} "
            f"{m['voluntary_tracking_error_rad']:>9.4f} {m['abs_tracking_offset_rad']:>7.4f} "
            f"{m['rms_reduction']:>7.1%} {m['return']:>7.1f} "
            f"{controller:>9} {1e3 * budget['imu_w']:>6.1f} {1e3 * m['actuator_w']:>8.1f} "
            f"{m['passive_voluntary_tracking_error_rad']:>11.4f}")


def main(argv: list[str] | None = None) -> int:
    from memctrl.training.controller_file import add_settings_options, settings_with_changes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--eval-episodes", type=int, default=30)
    parser.add_argument("--baseline-only", action="store_true")
    parser.add_argument("--per-episode", action="store_true",
                        help="a line per evaluation episode: the patient and each policy's "
                             "power reduction, tracking error and offset")
    parser.add_argument("--env", choices=ENV_IDS, default=ENV_IDS[0])
    add_settings_options(parser, None)
    args = parser.parse_args(argv)
    config = settings_with_changes(args.settings, args.config)
    print(f"{args.env}: settings {args.settings}, changes: {args.config or 'none'}, "
          f"{args.episodes} training episodes per seed, "
          f"{args.eval_episodes} evaluation episodes; power in mW")
    print(f"{'seed':>4} {'policy':<9} {'tremor':>7} {'vol. err':>9} {'offset':>7} {'RMS':>7} "
          f"{'return':>7} {'ctrl mW':>9} {'IMU':>6} {'motor':>8} {'passive err':>11}")
    results = []
    for seed in args.seeds:
        result = measure_seed(args.env, seed, args.episodes, args.eval_episodes,
                              args.baseline_only, config)
        results.append(result)
        print(_row("damping", seed, result["baseline"]), flush=True)
        if "learned" in result:
            print(_row("learned", seed, result["learned"]) + f"  ({result['wall_s']:.0f} s, "
                  f"{result['train_energy_j']:.3g} J training)", flush=True)
        if args.per_episode:
            print("\n".join(_episode_rows(result)), flush=True)
    for name in ("baseline", "learned"):
        if name in results[0]:
            power = [r[name]["tremor_power_reduction"] for r in results]
            error = [r[name]["voluntary_tracking_error_rad"] for r in results]
            print(f"{name}: tremor-band power reduction median {statistics.median(power):.1%}, "
                  f"voluntary tracking error median {statistics.median(error):.4f} rad "
                  f"over {len(results)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
