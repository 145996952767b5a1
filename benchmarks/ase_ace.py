"""Baseline: Barto, Sutton & Anderson's 1983 ASE/ACE learner on CartPole-v1 (162 boxes, NumPy).

The learner of "Neuronlike adaptive elements that can solve difficult learning
control problems" (IEEE Trans. SMC 13(5):834-846, 1983), written from its
equations: an associative search element (ASE, the actor) and an adaptive
critic element (ACE) over a one-hot code ``x(t)`` of 162 boxes of the
cart-pole state.

- ASE: ``y(t) = +1 if w·x(t) + noise(t) >= 0 else -1`` (noise Gaussian, sd
  0.01); ``w(t+1) = w(t) + α r̂(t) e(t)``; ``e(t+1) = δ e(t) + (1 - δ) y(t) x(t)``.
- ACE: ``p(t) = v·x(t)``; ``r̂(t) = r(t) + γ p(t) - p(t-1)``;
  ``v(t+1) = v(t) + β r̂(t) x̄(t)``; ``x̄(t+1) = λ x̄(t) + (1 - λ) x(t)``.
- Reinforcement ``r`` is 0 at every step and -1 at failure, where the
  prediction of the failed state is 0 and both traces are cleared (as in
  ``pole.c``, Sutton and Anderson's C code of the paper's simulation).

On CartPole-v1, ``y = +1`` (push right) is action 1 and ``y = -1`` action 0; a
failure is the environment's termination (|x| > 2.4 m or |θ| > 12°, the
paper's failure region). The 500-step time limit is not a failure: the critic
bootstraps from the last state, and the traces are cleared because the next
episode starts elsewhere. Differences from the paper: CartPole-v1 has no
friction and starts each episode from a random state within ±0.05 instead of
the origin; its return (+1 per step) only measures, the learner never sees it.

Evaluation follows ``memctrl train``: every ``eval_every`` episodes (and after
the last), a copy with learning off plays ``eval_episodes`` episodes whose
environment seeds are those of a memctrl run of the same seed (training
episode ``e`` resets with ``episode_seed(seed, e)``, evaluation episode ``k``
with ``episode_seed(seed + EVAL_SEED_OFFSET, k)``). The copy keeps the ASE's
noise, as the spiking controller's evaluations keep its device noise; as one
failure moves a weight by up to α (1 - δ) = 100, the noise then decides only in
boxes never trained, so the evaluation is nearly greedy. Unlike
``memctrl train``, every checkpoint is evaluated (no gate on the training
return), so ``solved_at`` is never later than memctrl's rule would find.

    .venv/bin/python benchmarks/ase_ace.py [--seeds 0 1 ... 9] [--episodes 300]
        [--eval-every 25] [--eval-episodes 100] [--processes 2]

Measured (2026-12-03; 17 s per seed on one idle core, 3 min for seeds 0-9 with 2
processes on a machine busy with other work), 300 episodes, evaluations of 100
episodes every 25:

| seed | solved at | final eval |
|---|---|---|
| 0 | 50 | 495.8 |
| 1 | 125 | 492.1 |
| 2 | 100 | 489.7 |
| 3 | 100 | 500.0 |
| 4 | 175 | 498.2 |
| 5 | – | 474.0 |
| 6 | 75 | 500.0 |
| 7 | 150 | 485.6 |
| 8 | 75 | 500.0 |
| 9 | 25 | 496.9 |

9 of 10 seeds solved, median 100 episodes to solve (seed 5 unsolved counted as
infinite), median final evaluation 496.3. ``learning_cartpole.py`` quotes 128,
147, 196, 199 and 383 episodes for the same learner's 100-episode *training*
mean to reach 475: that mean lags the policy by up to 100 episodes, and the
training episodes keep the learning's own failures.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import statistics
import sys
from typing import NamedTuple

import gymnasium
import numpy as np
from numpy.typing import ArrayLike

from memctrl.run_dir import episode_seed
from memctrl.training.run import EVAL_SEED_OFFSET

ENV_ID = "CartPole-v1"
SOLVED_RETURN = 475.0
"""CartPole-v1's registered reward threshold: a 100-episode mean return of 475."""

# The boxes (the paper's, as issue "Defaults that learn" quotes them; pole.c's get_box too):
# inner edges of the bins of x (m), x' (m/s), θ (rad) and θ' (rad/s): 3 x 3 x 6 x 3 = 162.
X_EDGES_M = np.array([-0.8, 0.8])
X_DOT_EDGES_M_S = np.array([-0.5, 0.5])
THETA_EDGES_RAD = np.deg2rad([-6.0, -1.0, 0.0, 1.0, 6.0])
THETA_DOT_EDGES_RAD_S = np.deg2rad([-50.0, 50.0])
N_BOXES = 162

# The learning constants: the paper's, as the issue quotes them; pole.c has the same values
# (ALPHA, BETA, GAMMA, LAMBDAw, LAMBDAv).
ALPHA = 1000.0
"""ASE learning rate α."""
DELTA = 0.9
"""Decay δ of the ASE's eligibility trace e."""
BETA = 0.5
"""ACE learning rate β."""
GAMMA = 0.95
"""ACE discount γ."""
LAMBDA = 0.8
"""Decay λ of the ACE's input trace x̄."""
NOISE_SD = 0.01
"""Standard deviation of the ASE's Gaussian output noise: the paper's, as the issue quotes it
(not checked against the paper's text here; pole.c draws the action from a logistic of w
instead)."""


def box_index(observation: ArrayLike) -> int:
    """The box (0-161) of a CartPole observation ``(x, x', θ, θ')`` (m, m/s, rad, rad/s).

    A value on an edge belongs to the bin above it (pole.c's ``x < -0.8`` tests).
    """
    x, x_dot, theta, theta_dot = observation
    index = int(np.digitize(x, X_EDGES_M))
    index = index * 3 + int(np.digitize(x_dot, X_DOT_EDGES_M_S))
    index = index * 6 + int(np.digitize(theta, THETA_EDGES_RAD))
    return index * 3 + int(np.digitize(theta_dot, THETA_DOT_EDGES_RAD_S))


class AseAce:
    """One ASE and one ACE over the 162 boxes, weights and traces starting at 0.

    Parameters
    ----------
    seed : int or sequence of int
        Seed of the ASE's noise (``numpy.random.default_rng``).
    """

    def __init__(self, seed: int | list[int]):
        self.w = np.zeros(N_BOXES)
        """ASE weights, shape (162,)."""
        self.v = np.zeros(N_BOXES)
        """ACE weights, shape (162,)."""
        self.e = np.zeros(N_BOXES)
        """ASE eligibility trace, shape (162,)."""
        self.x_bar = np.zeros(N_BOXES)
        """ACE input trace x̄, shape (162,)."""
        self.learning = True
        self._rng = np.random.default_rng(seed)
        self._previous_prediction = 0.0

    def frozen_copy(self, seed: int | list[int]) -> "AseAce":
        """A copy of the weights with learning off and its own noise seeded ``seed``."""
        copy = AseAce(seed)
        copy.w, copy.v = self.w.copy(), self.v.copy()
        copy.learning = False
        return copy

    def act(self, observation: ArrayLike) -> int:
        """CartPole-v1's action (1: push right, ``y = +1``) in the box of ``observation``.

        With learning on, it also adds the step's terms of the traces
        (``e += (1 - δ) y x``, ``x̄ += (1 - λ) x``) and keeps ``p(t-1) = v·x``.
        """
        box = box_index(observation)
        y = 1.0 if self.w[box] + self._rng.normal(0.0, NOISE_SD) >= 0.0 else -1.0
        if self.learning:
            self.e[box] += (1.0 - DELTA) * y
            self.x_bar[box] += 1.0 - LAMBDA
            self._previous_prediction = self.v[box]
        return int(y > 0.0)

    def learn(self, observation: ArrayLike, terminated: bool, truncated: bool) -> None:
        """Update w and v from the step that led to ``observation``, then decay the traces.

        ``terminated`` is a failure (r = -1, p = 0); ``truncated`` ends the episode
        without one (r = 0, p = v·x). Either clears the traces.
        """
        reinforcement = -1.0 if terminated else 0.0
        prediction = 0.0 if terminated else self.v[box_index(observation)]
        internal = reinforcement + GAMMA * prediction - self._previous_prediction
        self.w += ALPHA * internal * self.e
        self.v += BETA * internal * self.x_bar
        if terminated or truncated:
            self.e[:] = 0.0
            self.x_bar[:] = 0.0
        else:
            self.e *= DELTA
            self.x_bar *= LAMBDA


def run_episode(env: gymnasium.Env, agent: AseAce, seed: int) -> float:
    """One episode from ``env.reset(seed=seed)``; returns the environment's return.

    The agent learns if its ``learning`` flag is on.
    """
    observation, _ = env.reset(seed=seed)
    episode_return, done = 0.0, False
    while not done:
        observation, reward, terminated, truncated, _ = env.step(agent.act(observation))
        if agent.learning:
            agent.learn(observation, terminated, truncated)
        episode_return += float(reward)
        done = terminated or truncated
    return episode_return


def evaluate(env: gymnasium.Env, agent: AseAce, seed: int, episodes: int,
             episodes_trained: int) -> float:
    """Mean return of ``episodes`` evaluation episodes of a frozen copy of ``agent``.

    The copy's noise is seeded from the run's seed and ``episodes_trained``.
    """
    frozen = agent.frozen_copy([seed, episodes_trained])
    eval_seed = seed + EVAL_SEED_OFFSET
    return float(np.mean([run_episode(env, frozen, episode_seed(eval_seed, k))
                          for k in range(episodes)]))


class SolveResult(NamedTuple):
    """What :func:`episodes_to_solve` found for one seed."""

    solved_at_episode: int | None
    """The first checkpoint whose evaluation mean reached 475, None if none did."""
    final_eval_mean_return: float
    """The evaluation mean after the last training episode."""


def episodes_to_solve(seed: int, max_episodes: int = 300, eval_every: int = 25,
                      eval_episodes: int = 100) -> SolveResult:
    """Train an :class:`AseAce` seeded ``seed`` on CartPole-v1 for ``max_episodes``
    episodes, evaluating it every ``eval_every`` episodes and after the last."""
    env = gymnasium.make(ENV_ID)
    agent = AseAce(seed)
    solved_at, final = None, math.nan
    try:
        for episode in range(max_episodes):
            run_episode(env, agent, episode_seed(seed, episode))
            done = episode + 1
            if done % eval_every == 0 or done == max_episodes:
                final = evaluate(env, agent, seed, eval_episodes, done)
                if solved_at is None and final >= SOLVED_RETURN:
                    solved_at = done
    finally:
        env.close()
    return SolveResult(solved_at, final)


def median_episodes(results: list[SolveResult]) -> float:
    """Median episodes to solve over all seeds, an unsolved seed counting as infinity."""
    return statistics.median(math.inf if result.solved_at_episode is None
                             else result.solved_at_episode for result in results)


def _solve_seed(args: tuple[int, int, int, int]) -> SolveResult:
    return episodes_to_solve(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--episodes", type=int, default=300)
    parser.add_argument("--eval-every", type=int, default=25)
    parser.add_argument("--eval-episodes", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    jobs = [(seed, args.episodes, args.eval_every, args.eval_episodes) for seed in args.seeds]
    with multiprocessing.Pool(args.processes) as pool:
        results = pool.map(_solve_seed, jobs)
    print(f"ASE/ACE (1983) on {ENV_ID}, {args.episodes} training episodes, "
          f"{args.eval_episodes}-episode evaluations every {args.eval_every}")
    print(f"{'seed':>4} {'solved_at':>9} {'final eval':>10}")
    for seed, result in zip(args.seeds, results):
        solved = "-" if result.solved_at_episode is None else str(result.solved_at_episode)
        print(f"{seed:>4} {solved:>9} {result.final_eval_mean_return:>10.1f}")
    solved = sum(result.solved_at_episode is not None for result in results)
    median_final = statistics.median(result.final_eval_mean_return for result in results)
    print(f"solved: {solved}/{len(results)}; median episodes to solve "
          f"{median_episodes(results):g} (unsolved as inf); median final eval {median_final:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
