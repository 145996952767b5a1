"""The hand-written damping baselines on TremorSuppression-v0 and -v1, in device-paper figures.

On environment seeds ``0 .. --episodes - 1``: v0's :class:`TremorDampingController` on v0 (its
tremor-band power reduction and RMS reduction of the involuntary velocity, which v0's ``info``
carries) and :meth:`TremorDampingController.for_v1` on v1 (``info["episode_metrics"]``), v1
split by disorder. No learning; about a minute.

    nice -n 10 .venv/bin/python benchmarks/tremor_baselines.py [--episodes 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys


def run_v0(episodes: int) -> dict:
    import gymnasium

    from sim_envs.baselines import TremorDampingController
    from sim_envs.tremor import tremor_reduction
    from sim_envs.tremor_metrics import power_reduction

    env = gymnasium.make("memctrl/TremorSuppression-v0")
    power, rms = [], []
    for seed in range(episodes):
        controller = TremorDampingController(dt_s=env.unwrapped.dt_s)
        observation, _ = env.reset(seed=seed)
        controlled, uncontrolled, done = [], [], False
        while not done:
            observation, _, terminated, truncated, info = env.step(controller(observation))
            controlled.append(info["involuntary_velocity_rad_s"])
            uncontrolled.append(info["uncontrolled_involuntary_velocity_rad_s"])
            done = terminated or truncated
        power.append(power_reduction(controlled, uncontrolled, env.unwrapped.dt_s))
        rms.append(tremor_reduction(controlled, uncontrolled))
    return {"power": statistics.fmean(power), "rms": statistics.fmean(rms)}


def run_v1(episodes: int) -> list[tuple[str, dict]]:
    import gymnasium

    from sim_envs.baselines import TremorDampingController

    env = gymnasium.make("memctrl/TremorSuppression-v1")
    rows = []
    for seed in range(episodes):
        controller = TremorDampingController.for_v1(env.unwrapped.dt_s)
        observation, patient = env.reset(seed=seed)
        done = False
        while not done:
            observation, _, terminated, truncated, info = env.step(controller(observation))
            done = terminated or truncated
        rows.append((patient["disorder"], info["episode_metrics"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=40)
    args = parser.parse_args(argv)
    import sim_envs  # noqa: F401  (registers memctrl/... ids)

    v0 = run_v0(args.episodes)
    print(f"v0 damping, seeds 0-{args.episodes - 1}: tremor-band power reduction "
          f"{v0['power']:.1%}, RMS reduction {v0['rms']:.1%}")
    rows = run_v1(args.episodes)
    for group in ("all", "essential", "parkinsonian"):
        chosen = [m for disorder, m in rows if group in ("all", disorder)]
        mean = {key: statistics.fmean(m[key] for m in chosen) for key in chosen[0]}
        print(f"v1 damping, {group} ({len(chosen)} episodes): tremor-band power reduction "
              f"{mean['tremor_power_reduction']:.1%}, voluntary tracking error "
              f"{mean['voluntary_tracking_error_rad']:.4f} rad (passive orthosis "
              f"{mean['passive_voluntary_tracking_error_rad']:.4f}), RMS reduction "
              f"{mean['rms_reduction']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
