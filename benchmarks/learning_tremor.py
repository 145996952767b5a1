"""Learning benchmark: the spiking controller on memctrl/TremorSuppression-v0, non-idealities on.

Each seed trains online for ``--episodes`` episodes (3,000 steps of 1 ms each)
with the settings of ``config/tremor.yaml`` (``--settings defaults``: the
library's defaults; ``--config '{"actor_rate": 0.1}'`` changes fields), then a
copy of the controller is evaluated without learning on ``--eval-episodes``
episodes (environment seeds apart from the training ones). The tremor reduction
of an episode is :func:`sim_envs.tremor.episode_tremor_reduction`: the
involuntary velocity with the controller against the same patient's
uncontrolled wrist (``info``); the table gives its mean over the evaluation
episodes, next to the hand-written damping baseline
(:class:`sim_envs.baselines.TremorDampingController`) on the same episodes, and
the modelled device energy of the whole learning run.

Target (issue 3): tremor amplitude reduced by >= 70 % against no control, after training.

    .venv/bin/python benchmarks/learning_tremor.py [--episodes 200] [--seeds 0 1 2 3 4]
        [--settings FILE.yaml | defaults] [--config JSON]

Runs two seeds at a time (one per core); not part of the tests.

Session 23 (2026-12-06, ``--settings defaults --config '{"grid_bins": [4, 4, 4]}' --seeds 0 1
2 3 4 --processes 1``, niced beside other runs): 31.0, 48.7, 49.7, 53.7, 35.7 % (median
48.7 %) against the defaults' 6 bins a dimension then, 51.7, 61.3, 64.0, 67.2, 52.7 % (median
61.3 %, sessions 19-20): the coarser grid that helps TremorSuppression-v3's tracking
(``benchmarks/notes/tremor_v1.md``, session 23) costs v0 13-21 points a seed, so it is not a
default. With ``[5, 5, 5]`` (the same commands, ``--seeds 0 1`` and ``--seeds 2 3 4``): 61.3,
56.8, 57.8, 58.2, 62.1 % (median 58.2 %; better on seeds 0 and 4, worse on 1-3).
Session 24 (``--seeds 5 6 7 8 9``, both in one run beside others): the defaults then
(6 bins) 61.8, 46.4, 68.0, 47.3, 57.6 %, 5 bins 56.9, 54.5, 59.8, 59.6, 51.5 % (damping
baseline 76.4, 76.0, 73.1, 73.1, 71.4 %); over seeds 0-9 the same mean (57.8 and 57.9 %), so
5 bins became the default (:data:`memctrl.coding.grid.MAX_AUTO_BINS`; the README's "The
grid's resolution").

Session 20 (2026-12-06, scratch: this file's training and evaluation episodes, seeds 0 1;
it gave the defaults' 51.7, 61.3 % to the digit): ``exploration_sigma`` 0.2 69.4, 62.4 %;
0.1 70.9, 74.7 %; ``exploration_tau_s`` 0.03 (seed 0) 58.7 %. Not the warm-up frame: the
offset widens seed 0's gyro frame (the first 1,000 observations' reach) to +-6.45 rad/s
against +-2.37 with session 9's settings (seed 1: +-4.07 against +-6.45), but the defaults
with session 9's frame set (``scales`` [2.37, 1.25, 1.0]) gave 48.1, 54.2 %. Not adopted: on
TremorSuppression-v2 (``benchmarks/tremor_v1.py``'s training and evaluation, seeds 0 and 4,
power % / tracking rad) 0.3 gives 62.4/0.0454, 72.3/0.0546 (session 19's run of it), 0.2
65.3/0.0522, 73.0/0.0552, 0.1 57.0/0.0686 on seed 0 (the README, "Open problems of the
defaults"). Seeds 2-4 (``--seeds 2 3 4``): the defaults 64.0, 67.2, 52.7 %;
``'{"exploration_sigma": 0.2}'`` 57.7, 72.4, 51.0 % (damping baseline 76.5, 78.0, 75.9 %):
over seeds 0-4 medians of 61.3 and 62.4 %, so 0.2 is no cure on v0 either. One-neuron
pairs with the offset (``'{"actor_population": 1}'``, seeds 0 1): 63.3, 69.6 %.

Session 19 (2026-12-06, ``--settings defaults --seeds 0 1``, beside other runs): this
version 51.7, 61.3 %; ``--config '{"gamma": 0.990049833749168}'`` (session 17's 0.1 s
horizon) 47.5, 68.9 %; ``'{"exploration_sigma": 0.0}'`` 4.9, 72.1 %; ``'{"exploration_sigma":
0.0, "gamma": 0.95, "lambda_actor": 0.8}'`` 76.5, 68.2 % (session 9's figures below to the
digit): the target is no longer met since session 17's correlated exploration, 4-neuron pairs
and horizons (chosen on v2), and the drop is theirs alone.

With the library defaults of 2026-12-05, session 9 (the bounded dimensions' frame
narrowed after 1,000 observations, :mod:`memctrl.coding.frame`; ``--settings defaults
--seeds 0 1`` and ``--seeds 2 3 4 --processes 1``, beside five other runs): 76.5, 68.2,
70.7, 76.6, 74.4 % (median 74.4 %: the 70 % target met) against the damping baseline's
79.3, 78.2, 76.5, 78.0, 75.9 %; 0.13-0.14 J of modelled device energy per run. The gyro's
frame became +-1.7 to 6.5 rad/s (the IMU's full scale: +-8.73; seed 1, the lowest
reduction, kept the widest), the tilt's +-0.7 to 2.4 rad.
Seeds 0-1 chose the rule (with Pendulum-v1, CartPole-v1 and MountainCarContinuous-v0 in
``benchmarks/notes/learning_suite.md``); 2-4 are held out. Seeds 5-9 (``--seeds 5 6 7 8 9
--processes 2``): 71.7, 73.8, 68.4, 67.6, 69.1 % (median 69.1 %) against 71.6, 63.7, 67.4,
58.6, 59.1 % (median 63.7 %) for the version before (a worktree of commit 6c33edf, run
beside it) and the damping baseline's 76.4, 76.0, 73.1, 73.1, 71.4 %.

With the library defaults of 2026-12-05 (session 8: 16 tilings, the Box pair's common
mode fixed; ``--settings defaults --seeds 0 1 2 3 4 --processes 1``, beside other runs,
140-200 s per seed): 68.4, 60.4, 69.1, 72.3, 73.8 % (median 69.1 %: the 70 % target
missed by 0.9 points) against the damping baseline's 79.3, 78.2, 76.5, 78.0, 75.9 %;
0.13-0.15 J of modelled device energy per run. (8 tilings with the common mode
learned: 68.9, 72.5, 69.7, 70.9, 68.4 %, median 69.7 %, the README's table before.)

With the read-column critic (2026-12-04, ``--settings defaults --seeds 0 1 2
--processes 1``): 60.4, 7.5 and 51.3 % (damping baseline 79.3, 78.2, 76.5 %),
0.27 J of modelled device energy per run, about 3 min per seed: below the spiking
critic's, see ``memctrl/learning/actor_critic.py`` and the README.

With the self-configuring library defaults (2026-12-03, ``--settings defaults
--seeds 0 1``: tile coding of 8 tilings of 8 x 8 x 8 over the sensors' bounds,
one-neuron push-pull actor, action trace, rewards scaled online): 70.3 and 68.6 %
(damping baseline 79.3, 78.2 %), 61 J of modelled device energy per run (0.10 mJ
per step, a fifth of this file's), about 22 min per seed on a loaded machine.

Measured with ``config/tremor.yaml`` (200 episodes = 600,000 steps = 10 min of
wrist motion per seed, 277 J of modelled device energy each, 0.46 mJ per step;
about 106 s per seed): tremor reductions 75.3, 74.1, 70.2, 74.3, 71.8 %
(median 74.1 %, every seed >= 70 %: the target is met) against 79.3, 78.2,
76.5, 78.0, 75.9 % for the damping baseline on the same episodes. Seeds 5-9
(evaluation episodes with more high-frequency tremor: the baseline gets 76.4,
76.0, 73.1, 73.1, 71.4 %): 73.2, 73.4, 69.9, 69.5, 66.7 % (median 69.9 %,
just under the target); with ``--episodes 300`` (15 min of wrist motion, 416 J)
71.6, 75.0, 71.1, 70.4, 67.6 % (median 71.1 %). The learned controller reaches 92-97 % of the
baseline's reduction; memoryless damping on the raw gyro (no high-pass, as the
controller sees it) gets 71.7 % at the baseline's gain and 75.5 % at 1.5x on
seeds 5-9's episodes, so what is left is mostly gain (learned: 0.75-1.0 of
the baseline's), not the neurons' noise (action noise of the trained actor
0.17 of full scale; that much Gaussian noise costs the damping controller 1
point).

What made it learn (seeds 5-9, 100 episodes, unless said; lambda_actor is the decay per
step):
- the library defaults ("signed" push-pull actor, one-step trace, updates
  programmed at once; 30 episodes): 13.4, -2.1, -2.8, 4.1, 9.4 % on seeds 0-4;
  a longer actor trace (0.9) and accumulated programming with verify alone: 2-20 %
  after 20 episodes (seeds 0-1, 4 evaluation episodes);
- the reason: both push and pull populations record their own spikes, and where
  the TD error is negative on average (the critic lagging in a state) both learn
  to fire less there. A silent neuron has no eligibility and never fires again,
  so the actor drifted to silence (probe: no spike at any gyro reading after 40
  episodes at actor rates 0.1-0.2);
- the Box action trace (``actor_modulation: action_trace``: decision spikes minus
  a second sample on the same input, Gullapalli's ``(a - mean a)``) removes that
  drift; with 10 fields over +-2.5 rad/s, lambda_actor 0.81, rate 0.1: seeds 0-4
  at 100 episodes 73.1, 71.6, 70.8, 71.9, 59.6 % (median 71.6 %), seeds 5-9 58.4,
  65.3, 62.2, 65.6, 60.3 % (62.2 %);
- on seeds 5-9: rate 0.15 55.5 %, 0.2 (seeds 0-4, 4 evaluation episodes)
  61.5 %; rate 0.05 65.8 %;
  lambda_actor 0.90 49.0 %; 0.64 with rate 0.05 67.8 % (200 episodes: 69.9 %),
  0.36 67.7 %, 0.64 with rate 0.03 67.0 %; gamma 0.9 62.9 %; 32 neurons per actor
  population at rate 0.2: 13.3 % (at 0.1, 80 episodes, seeds 0-4, 4 evaluation
  episodes: 44 %);
- lambda_actor 0.64 and rate 0.05 on seeds 0-4 at 100 episodes: 72.2, 72.9, 69.4,
  72.4, 70.0 % (median 72.2 %); at 200 episodes the figures above.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ENV_ID = "memctrl/TremorSuppression-v0"
EVAL_SEED_OFFSET = 7_777_777
"""Evaluation episodes use environment seeds ``seed + EVAL_SEED_OFFSET + k`` (``memctrl
train`` plays ``episode_seed(seed + EVAL_SEED_OFFSET, k)``: other episodes; the learned
controller and the baseline here play the same ones)."""
TARGET_REDUCTION = 0.7
SETTINGS = Path(__file__).resolve().parents[1] / "config" / "tremor.yaml"


def train_seed(args: tuple[int, int, int, str, dict]) -> dict:
    import gymnasium

    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    from memctrl import SpikingController
    from memctrl.training import run_episodes
    from memctrl.training.controller_file import settings_with_changes
    from sim_envs.baselines import TremorDampingController
    from sim_envs.tremor import episode_tremor_reduction

    seed, episodes, eval_episodes, settings, changes = args
    env = gymnasium.make(ENV_ID)
    controller = SpikingController.for_env(env, settings_with_changes(settings, changes),
                                           seed=seed)
    started = time.perf_counter()
    context = run_episodes(env, controller, episodes, seed=seed)
    wall_s = time.perf_counter() - started
    energy_j = controller.energy_j
    trained = controller.copy()
    trained.learning = False
    baseline = TremorDampingController.for_env(env)
    learned, damping = [], []
    for k in range(eval_episodes):
        episode_seed = seed + EVAL_SEED_OFFSET + k
        trained.reset()
        learned.append(episode_tremor_reduction(env, trained.act, episode_seed))
        baseline.reset()
        damping.append(episode_tremor_reduction(env, baseline, episode_seed))
    returns = [item.episode_return for item in context.history]
    return {"seed": seed, "returns": returns, "reduction": statistics.fmean(learned),
            "baseline_reduction": statistics.fmean(damping), "steps": context.total_steps,
            "energy_j": energy_j, "wall_s": wall_s}


def main(argv: list[str] | None = None) -> int:
    from memctrl.training.controller_file import add_settings_options, settings_with_changes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--eval-episodes", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    add_settings_options(parser, SETTINGS)
    args = parser.parse_args(argv)
    settings_with_changes(args.settings, args.config)   # a bad field fails here, not in a worker
    jobs = [(seed, args.episodes, args.eval_episodes, args.settings, args.config)
            for seed in args.seeds]
    with multiprocessing.Pool(args.processes) as pool:
        results = pool.map(train_seed, jobs)
    print(f"{ENV_ID}, {args.episodes} training episodes per seed, non-idealities on, "
          f"settings {args.settings}, changes: {args.config or 'none'}")
    print(f"{'seed':>4} {'reduction':>9} {'damping baseline':>16} {'first5 return':>13} "
          f"{'last5 return':>12} {'steps':>7} {'energy J':>9} {'wall s':>7}")
    for r in results:
        print(f"{r['seed']:>4} {r['reduction']:>9.1%} {r['baseline_reduction']:>16.1%} "
              f"{statistics.fmean(r['returns'][:5]):>13.1f} "
              f"{statistics.fmean(r['returns'][-5:]):>12.1f} {r['steps']:>7} "
              f"{r['energy_j']:>9.3g} {r['wall_s']:>7.1f}")
    median = statistics.median(r["reduction"] for r in results)
    verdict = "met" if median >= TARGET_REDUCTION else "not met"
    print(f"median tremor reduction {median:.1%} over {len(results)} seeds "
          f"(target >= {TARGET_REDUCTION:.0%}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
