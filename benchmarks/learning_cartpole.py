"""Learning benchmark: the spiking controller on CartPole-v1, five seeds, non-idealities on.

Each seed trains online for ``--episodes`` episodes (default 300) with the
controller settings of ``config/cartpole.yaml`` (``--settings defaults`` for the
library's defaults); the devices keep their default non-idealities (measured
1M1T1R neurons with their cycle-to-cycle noise and device spread; EpiRAM
synapses with 256 levels, nonlinear pulse response, 2 % write noise per pulse
and device spread). Every ``--eval-every`` episodes whose last 20 training
returns average at least half the threshold, a copy of the controller is
evaluated for 100 episodes without learning; ``solved_at`` is the first such
checkpoint with a mean of at least 475.

Target (issue 3): solved within 300 episodes for at least 4 of 5 seeds. In the
same run, the 1983 ASE/ACE on 162 boxes (``benchmarks/ase_ace.py``) trains on the
same seeds, budget and evaluation episodes as the baseline (on seeds 0-9 it
solved 9 of 10, median 100 episodes; see its docstring).

    .venv/bin/python benchmarks/learning_cartpole.py [--episodes 300] [--seeds 0 1 2 3 4]
        [--settings config/cartpole.yaml | defaults] [--config '{"gamma": 0.98}']

Runs two seeds at a time (one per core) and prints a table; not part of the tests.
``--config`` changes fields of the settings (JSON), for experiments.

Measured with ``config/cartpole.yaml`` (2026-11-30, 300 episodes, 2 cores, about
50 s per solving seed, 0.83 mJ of modelled device energy per training step,
95-102 J per run): seeds 0-4 solved at episodes 300, 300, 225, 200, 200 (final
evaluations 486, 476, 458, 482, 479): 5 of 5, the target is met on these seeds.
On seeds 5-9, 2 of 5 solved (at 250 and 225); the other three stayed near
150 (final evaluations 195, 145, 156), failing by "lean and run" (most
failures at |x| > 2.4), as the 1983 learner's slowest seed did. Seeds 10-14:
2 of 5 (at 250 and 300; two more ended at 461 and 441, one at 153). So 9 of 15
seeds solved within 300 episodes; the programming threshold (below) was
chosen on seeds 0-4, where the target is met, and it is not met on 5-9 or
10-14. Variants, seeds 5-9 then 0-4: ``lambda_critic`` 0.8 3
then 2 of 5; ``lambda_actor`` 0.95 0 of 5 on 5-9 (none stuck); ``gamma`` 0.97
2 of 5 on 5-9; ``critic_rate`` 0.2 0 of 5 on 5-9; ``actor_rate`` 0.02 4 then
2 of 5 (6 of 10, solving sooner: 150-175); outer x bins from 0.5 m instead
of 0.8 m (``scales`` [1.5, 1.5, 0.21, 2.0]) 2 of 5 on 5-9. A seed's outcome is mostly chance:
at 60 % per seed, 4 of 5 comes out about a third of the time.

How these settings were found. A device-free model of the same controller
(Bernoulli units with the neurons' measured firing curve, weights as plain
numbers; a scratch script, not kept) solved 4 of 4 seeds on 20-episode
evaluations with the grid of Barto's 3 x 3 x 6 x 3 boxes and the ASE's
action-signed actor trace (``lambda_actor`` 0.9), and only 2 of 4 with the
default receptive fields and one-step actor (all failures at |x| > 2.4). Put
on the emulated devices, three things stood in the way, each measured on
seeds 0-4 with the rest ideal: (1) ``max_pulses`` 8 caps an update at 8
levels while a failure asks for about 64 (a quarter of the range): median
final evaluation 113 until the cap was raised; (2) write noise of 2 % of the
range per pulse (5 levels): with every update programmed at once, median 144;
accumulating the updates per synapse and programming them at 4 levels
(``program_threshold_levels``) gave 483 (3 of 5 solved); (3) the nonlinear
pulse response: median 140 alone; a verify read after each programming that
keeps what the pair still lacks in the accumulator made it up. With all the
non-idealities on: thresholds of 3 levels 5 of 5 solved, 4 levels 2 of 5
(median 457); before the verify read, 2, 4 and 8 levels solved 0, 1 and 1 of
5 (medians 438, 463, 441). At 4 levels with verify, ``actor_population`` 32
solved 3 of 5 (two seeds stuck near 130) and ``lambda_actor`` 0.95 2 of 5 with
no seed stuck (411-478).

The self-configuring defaults (2026-12-03: tile coding, 8 tilings of 4 x 4 x 4 x 4
over x and theta's bounds and the running spread of the velocities; action trace
with lambda 0.8; accumulated programming with verify; ``--settings defaults``),
seeds 0-1: final 100-episode evaluations 201 and 327, not solved (50-67 thousand
steps, 5.8-7.5 J per run). Variants on the same seeds (20-episode evaluations,
scratch runs): ``lambda_actor`` 0.9 with ``lambda_critic`` 0.7 171/218;
``actor_population`` 4 138/390; ``grid_tilings`` 2 (6 bins per dimension)
234/148; ``grid_tilings`` 1 (one 8 x 8 x 8 x 8 grid) 109/400; this file's scales
(2.4, 1.5, 0.21, 2.0) on the default tiles 178/361, seed 0 reaching a training
mean of 325 by episodes 75-100 and then falling back to 170 (learned, then
unlearned). Most plateau near 150-250 by "lean and run". This file's settings on the
same code, seeds 3-4: 305 and 472 (20-episode evaluations; before the change
they were solved at 225 and 200).

A lead measured 2026-12-04 (scratch monkeypatch, not in the library): the actor's
action trace recorded with every neuron of a population as if it had fired once
(eligibility = the input trace times the action's sign, as the ASE's ``y(t) x(t)``,
instead of the population's decision spikes times the sign), so that a silent
population still learns. Defaults otherwise, 20-episode evaluations: seeds 0/1/2
141.8/500.0/298.2 (defaults on seed 2: 376.4; seed 1 climbing steadily from 98 to 500
per 25-episode block; seed 0 flat at 130-150 from episode 25 on); the same with the
critic's eligibility also taken from the input trace (half a spike per neuron): 130.2/492.6 (seed 1 solved
within 75 episodes, but 2.6x the wall time); the actor change with the scales
(2.4, 1.5, 0.21, 2.0): seeds 0/2 244.4/176.2, still climbing at episode 300. Not
adopted then: one of three seeds solving, and seed 2 below the defaults, is no better than
the defaults' spread. Adopted later (2026-12-04) together with an uncentred TD error for
the actor, adaptive scales that keep their widest spread and the actor's step normalised
while a state is held: the defaults then solved seeds 0-9 (``notes/learning_suite.md``).
Every dimension adaptive (mean +- 2.5 running sd, bounded ones clipped to their
bounds, since CartPole's bounds on x and theta are twice its termination limits):
seeds 0/2 117.5/160.2 (20-episode evaluations), worse; the centre and scale keep
moving while learning. Bounded dimensions scaled to the largest |x - midpoint| seen
(expanding only, clipped to the bounds): 84.8/128.0, worse too.

Earlier, with the library defaults (receptive fields, one-step signed actor,
programming at once; ``--settings defaults``), measured 2026-11-29 (300
episodes, 2 cores, 20-35 s per seed, 0.34 mJ of modelled device energy per
training step): final 100-episode evaluation
means 220, 110, 226, 161, 279 (median 220); only seed 4 reached the training
mean that triggers an evaluation before the end, and no seed reached 475, so
the target is not met. The learned policies fail by "lean and run": the pole
settles at a small lean while the cart accelerates off the track (30 of 30
evaluation failures of seed 0 at |x| > 2.4). With ``gamma = 0.95`` (a 20-step
horizon) the critic cannot tell a slow run from a safe state, and the actor
learns cart-position and velocity terms that hold the lean. Hiding x and x'
from the controller (``--config '{"scales": [1000, 1000, 0.418, 3.0]}'``: one
field then covers each) gave 231, 379, 166, 241, 300 (median 241, best
checkpoint 447), still failing at |x| > 2.4; longer horizons (gamma 0.97-0.98,
also with 4 critic reads per value or 1,024 critic neurons) learned less within
300 episodes in two-seed screens.

Homeostasis did not help. Mean final evaluations of the defaults: 199 over
seeds 0-4, 174 over seeds 0-9 and 174 over seeds 10-19. After 150 episodes
the critic populations fire in 2 % (``+``) and 10 % (``-``) of the visited
states on average, and a quarter of the ``+`` neurons never; with linear
synapses (``nu = 0``) they fall almost as low (6 % and 14 %), so the devices'
relaxation of weights towards 0 is not the main cause. Tried, each without a
gain (means over seeds 0-4 unless noted): a per-population firing-rate term
added to each critic crossbar's signal (it raised the rates to 18-24 %, but
only of neurons that already fired: 139-208, and 103 with a 50 % target); a
probe tick at twice the input every step, raising each critic neuron by its
firing there and lowering it by its normal firing (per neuron, but under the
critic's lambda trace the two terms need paired pulses that cancel, and the
nonlinear pulse response turns those into a drift towards 0: the critic fell
silent, 83-102); the critic's eligibility tick at 1.5-2x input (141-172); and
the same per-neuron rule once per episode at its end, on the episode's mean
input (4 ticks at 2x and 4 at 1x, eligibility cleared around them). That
brings silent neurons back (never-firing ``+`` neurons 5 % instead of 25 %
after 150 episodes at rate 0.1) but not the returns: 229 over seeds 0-9 at
rate 0.03, then 173 over seeds 10-19; 128-186 at rates 0.01-0.3; 160-208
over seeds 0-9 with targets 0.3 or 0.7, boost 1.5, or the actor included;
120-134 with ``gamma = 0.97``. Fields on the reachable range (``scales`` 2.4 m
and 0.21 rad) gave 182-189 over seeds 0-9.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
from pathlib import Path

SETTINGS = Path(__file__).resolve().parents[1] / "config" / "cartpole.yaml"


def train_seed(args: tuple[int, int, int, str, dict]) -> dict:
    from memctrl.training.controller_file import settings_with_changes
    from memctrl.training.run import train
    seed, episodes, eval_every, settings, overrides = args
    with tempfile.TemporaryDirectory() as directory:
        result = train("CartPole-v1", episodes, seed=seed, out=Path(directory) / "run",
                       config=settings_with_changes(settings, overrides), eval_every=eval_every,
                       progress=False)
    result["seed"] = seed
    return result


def ase_ace_seed(args: tuple[int, int, int]) -> tuple[int | None, float]:
    from ase_ace import episodes_to_solve
    seed, episodes, eval_every = args
    return tuple(episodes_to_solve(seed, episodes, eval_every))


def main(argv: list[str] | None = None) -> int:
    from memctrl.training.controller_file import add_settings_options, settings_with_changes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--eval-every", type=int, default=25)
    parser.add_argument("--processes", type=int, default=2)
    add_settings_options(parser, SETTINGS)
    args = parser.parse_args(argv)
    settings_with_changes(args.settings, args.config)   # a bad field fails here, not in a worker
    jobs = [(seed, args.episodes, args.eval_every, args.settings, args.config)
            for seed in args.seeds]
    with multiprocessing.Pool(args.processes) as pool:
        results = pool.map(train_seed, jobs)
        baseline = pool.map(ase_ace_seed, [(seed, args.episodes, args.eval_every)
                                           for seed in args.seeds])
    print(f"CartPole-v1, {args.episodes} training episodes per seed, non-idealities on, "
          f"settings {args.settings}, changes: {args.config or 'none'}")
    print(f"{'seed':>4} {'solved_at':>9} {'final eval':>10} {'train last100':>13} "
          f"{'best eval':>9} {'steps':>7} {'energy J':>9} {'wall s':>7}")
    for r in results:
        best = max((e["mean_return"] for e in r["evaluations"]), default=float("nan"))
        solved = "-" if r["solved_at_episode"] is None else str(r["solved_at_episode"])
        print(f"{r['seed']:>4} {solved:>9} {r['final_eval_mean_return']:>10.1f} "
              f"{r['train_mean_return_last_100']:>13.1f} {best:>9.1f} {r['total_steps']:>7} "
              f"{r['energy_j']:>9.3g} {r['wall_s']:>7.1f}")
    solved = [r["solved_at_episode"] for r in results if r["solved_at_episode"] is not None]
    median_eval = statistics.median(r["final_eval_mean_return"] for r in results)
    print(f"solved: {len(solved)}/{len(results)} seeds (target >= 4/5 within 300 episodes); "
          f"median final eval {median_eval:.1f}")
    solved_at = ["-" if at is None else str(at) for at, _ in baseline]
    print(f"ASE/ACE 1983 (162 boxes), same seeds: solved at {', '.join(solved_at)}; "
          f"final evaluations {', '.join(f'{final:.1f}' for _, final in baseline)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
