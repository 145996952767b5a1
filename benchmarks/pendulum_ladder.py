"""Where the spiking actor-critic loses Pendulum-v1: a ladder of simplified learners.

With 4- or 16-neuron push-pull populations the spiking controller did not learn
Pendulum-v1 (``learning_pendulum.py``), while a linear actor-critic on the same
tile coding did. This script runs learners in between, with each part of the
controller switched on by itself, so that the part that loses the learning
shows:

- ``--actor gaussian``: a linear mean over the tile-coded cells and Gaussian
  exploration of ``--sigma`` (of full torque), eligibility ``(a - mean) / sigma``;
  ``--actor bernoulli``: the controller's Box actor, push and pull populations of
  ``--actor-population`` stochastic binary units whose firing probability is the
  core's (measured below from the compiled network at the controller's default
  devices), eligibility ``(s1 - s2) x``, the action trace of ``SpikingController``.
- ``--critic linear``: a linear value over the cells; ``--critic spiking``: two
  populations of ``--critic-population`` binary units, value ``(n+ - n-) / N`` of
  sampled spikes, eligibility ``s x`` from an independent sample (the
  controller's read and plastic ticks).
- ``--stale-value``: ``V(s)`` of a transition is the read taken as ``V(s')`` of
  the one before, i.e. before that transition's update, as the controller does;
  else it is read again after the update.

Everything else follows the controller: the tile coding is
:class:`memctrl.coding.GridEncoder` (8 tilings of 8 x 8 x 8 cells over (cos, sin,
theta') with theta' scaled by 8), the TD error is
:class:`memctrl.learning.TDActorCritic`'s (running reward mean, values per step),
rewards are scaled by 0.1, eligibility decays per step by the lambdas. The binary
units' rates are in the controller's units (weight change per unit of signal and
eligibility, eligibility in volts: ``actor_rate``, ``critic_rate``) and their
weights stay in [-1, 1]; a linear learner's rate is the step of its value (or
mean action, in full torques) at the visited state per unit of signal. There are no
device non-idealities apart from the binary units' stochasticity: no levels,
no write noise, no spread.

    .venv/bin/python benchmarks/pendulum_ladder.py --actor bernoulli --critic spiking
        [--seeds 0 1 2 3] [--episodes 200] [--actor-rate 4] [--critic-rate 0.8]

Prints the mean return of every block of 25 episodes per seed; not part of the
tests. Measured (2026-11-30, seeds 0-3, 200 episodes; mean return of the last 25
episodes per seed, median):

====================================================  ==========================  ======
learner (rates actor/critic)                          seeds 0-3                   median
====================================================  ==========================  ======
gaussian + linear (2 / 0.3)                           -558, -388, -413, -193       -401
gaussian + linear, ``--stale-value``                  -775, -863, -724, -806       -791
gaussian + spiking critic (2 / 0.8)                   -838, -557, -393, -544       -551
bernoulli, 4 per side + linear (4 / 0.3)              -476, -578, -413, -607       -527
bernoulli + spiking critic, 16 per side (4 / 0.8)     -1206, -1254, -1208, -1057  -1207
bernoulli + spiking critic, 4 per side                -1282, -1236, -1186, -1056  -1211
bernoulli + spiking critic, 2 per side                -1219, -1105, -1139, -1074  -1122
bernoulli + spiking critic, 1 per side                -518, -1010, -1035, -532     -771
====================================================  ==========================  ======

Each part alone costs some learning; the binary actor and the spiking critic
together lose it, unless the actor explores widely: with one unit per side
(exploration about 0.7 of full torque) it learns again. The controller itself
does better than this model with the same settings (``config/pendulum.yaml``, since
2026-12-03 the library defaults:
median -324 after 200 episodes), so the ladder is a guide to what matters, not a
substitute. It also shows a lead not yet taken: the controller reads ``V(s)``
before the previous update (``--stale-value``), which halves what the linear
learner reaches.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys

import numpy as np

REWARD_SCALE = 0.1
INIT_DRIVE_V = 1.3
"""``ControllerConfig.init_drive_v``: firing probability about 0.4."""
BLOCK = 25


def firing_curve(volts: np.ndarray) -> np.ndarray:
    """Probability that one default-preset neuron fires in one tick at each drive, V
    (2,000 neurons, 10 ticks per voltage, on the compiled core)."""
    from memctrl import ControllerConfig
    from memctrl.network.network import Network
    config = ControllerConfig().network_config(2000, 1, 1, 0.5)
    net = Network(config, w_in=np.ones((2000, 1)), seed=1)
    probability = []
    for volt in volts:
        fired = []
        for _ in range(10):
            net.reset_neurons()
            fired.append(np.mean(net.tick(np.array([volt])) > 0))
        probability.append(np.mean(fired))
    return np.array(probability)


class Traces:
    """Eligibility as a list of (cells, vector, weight) entries decaying by ``lam`` per step."""

    def __init__(self, lam: float) -> None:
        self.lam = lam
        self.entries: list[tuple[np.ndarray, np.ndarray, float]] = []

    def push(self, cells: np.ndarray, vector: np.ndarray) -> None:
        self.entries = [(c, v, w * self.lam) for c, v, w in self.entries if w * self.lam > 1e-3]
        self.entries.append((cells, vector, 1.0))


class Binary:
    """Populations of stochastic binary units over the cells, weights in [-1, 1]."""

    def __init__(self, shape: tuple[int, int], n_cells: int, v_cell: float, tilings: int,
                 curve, rng: np.random.Generator) -> None:
        # the controller's start: every unit driven at INIT_DRIVE_V, weights spread +-0.05
        self.w = rng.uniform(-0.05, 0.05, shape + (n_cells,)) + INIT_DRIVE_V / (v_cell * tilings)
        self.v_cell, self.curve, self.rng = v_cell, curve, rng

    def probability(self, cells: np.ndarray) -> np.ndarray:
        return self.curve(self.w[:, :, cells].sum(-1) * self.v_cell)

    def sample(self, cells: np.ndarray) -> np.ndarray:
        p = self.probability(cells)
        return (self.rng.random(p.shape) < p).astype(float)

    def learn(self, traces: Traces, scale: np.ndarray) -> None:
        """``w += scale * vector * v_cell`` for every trace entry (``scale`` per population)."""
        for cells, vector, weight in traces.entries:
            self.w[:, :, cells] += (weight * self.v_cell * scale[:, None] * vector)[:, :, None]
        np.clip(self.w, -1.0, 1.0, out=self.w)


FIRING_VOLTS = np.linspace(-4.0, 4.0, 81)
"""Drives at which the firing curve is measured, V (interpolated between)."""


def run_seed(args: tuple[int, argparse.Namespace, np.ndarray]) -> list[float]:
    import gymnasium

    from memctrl.coding import GridEncoder
    from memctrl.learning import TDActorCritic

    seed, opt, probability = args
    env = gymnasium.make("Pendulum-v1")
    encoder = GridEncoder(env.observation_space, (8, 8, 8), 2.5, scales=(1.0, 1.0, 8.0),
                          tilings=8)
    n_cells, tilings = encoder.n_channels, encoder.tilings
    v_cell = 2.5 / tilings
    rng = np.random.default_rng(seed)

    def curve(drive: np.ndarray) -> np.ndarray:
        return np.interp(drive, FIRING_VOLTS, probability)

    td = TDActorCritic(0.95, 0.01)
    if opt.critic == "spiking":
        critic = Binary((2, opt.critic_population), n_cells, v_cell, tilings, curve, rng)

        def value(cells: np.ndarray) -> float:
            spikes = critic.sample(cells)
            return (spikes[0].sum() - spikes[1].sum()) / opt.critic_population
    else:
        v_linear = np.zeros(n_cells)

        def value(cells: np.ndarray) -> float:
            return v_linear[cells].sum()
    if opt.actor == "bernoulli":
        actor = Binary((2, opt.actor_population), n_cells, v_cell, tilings, curve, rng)
    else:
        mean_weights = np.zeros(n_cells)
    returns = []
    for episode in range(opt.episodes):
        observation, _ = env.reset(seed=seed * 10_000 + episode)
        cells = encoder.cells(observation)
        critic_traces, actor_traces = Traces(opt.lambda_critic), Traces(opt.lambda_actor)
        v_now, total = value(cells), 0.0
        for _ in range(200):
            if opt.actor == "bernoulli":
                first, second = actor.sample(cells), actor.sample(cells)
                action = (first[0].sum() - first[1].sum()) / opt.actor_population
                actor_traces.push(cells, first - second)
            else:
                mean = np.clip(mean_weights[cells].sum(), -1.0, 1.0)
                action = np.clip(mean + opt.sigma * rng.normal(), -1.0, 1.0)
                actor_traces.push(cells, np.array((action - mean) / opt.sigma))
            critic_traces.push(cells, critic.sample(cells) if opt.critic == "spiking"
                               else np.array(1.0))
            observation, reward, _, _, _ = env.step(np.array([2.0 * action], np.float32))
            total += reward
            td.observe_reward(reward * REWARD_SCALE)
            next_cells = encoder.cells(observation)
            v_next = value(next_cells)
            delta = td.delta(reward * REWARD_SCALE, v_now, v_next)
            if opt.critic == "spiking":
                critic.learn(critic_traces, opt.critic_rate * delta * np.array([1.0, -1.0]))
            else:
                for c, _, weight in critic_traces.entries:
                    v_linear[c] += opt.critic_rate / tilings * delta * weight
            if opt.actor == "bernoulli":
                actor.learn(actor_traces, np.full(2, opt.actor_rate * delta))
            else:
                for c, vector, weight in actor_traces.entries:
                    mean_weights[c] += opt.actor_rate / tilings * delta * vector * weight
            cells = next_cells
            v_now = v_next if opt.stale_value else value(cells)
        returns.append(total)
    return returns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actor", choices=("gaussian", "bernoulli"), default="bernoulli")
    parser.add_argument("--critic", choices=("linear", "spiking"), default="spiking")
    parser.add_argument("--stale-value", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--actor-rate", type=float, default=4.0)
    parser.add_argument("--critic-rate", type=float, default=0.8)
    parser.add_argument("--lambda-actor", type=float, default=0.8)
    parser.add_argument("--lambda-critic", type=float, default=0.8)
    parser.add_argument("--sigma", type=float, default=0.4)
    parser.add_argument("--actor-population", type=int, default=4)
    parser.add_argument("--critic-population", type=int, default=256)
    opt = parser.parse_args(argv)
    run_and_report(run_seed, opt, argv)
    return 0


def run_and_report(run_seed, opt: argparse.Namespace, argv: list[str] | None,
                   extra_column: str | None = None) -> None:
    """Run ``run_seed((seed, opt, firing probability))`` for ``opt.seeds`` on two cores and
    print every seed's block means; with ``extra_column`` each seed returns
    ``(returns, extra)`` and ``extra`` is printed under that heading."""
    probability = firing_curve(FIRING_VOLTS)   # once, shared by the seeds
    with multiprocessing.Pool(2) as pool:
        results = pool.map(run_seed, [(seed, opt, probability) for seed in opt.seeds])
    if extra_column is None:
        results = [(returns, "") for returns in results]
    print(" ".join(argv if argv is not None else sys.argv[1:]) or "defaults")
    print(f"{'seed':>4} " + " ".join(f"{k:>6}" for k in range(0, opt.episodes, BLOCK))
          + (f"  {extra_column}" if extra_column else ""))
    for seed, (returns, extra) in zip(opt.seeds, results):
        blocks = [statistics.fmean(returns[k:k + BLOCK]) for k in range(0, opt.episodes, BLOCK)]
        print(f"{seed:>4} " + " ".join(f"{value:>6.0f}" for value in blocks)
              + (f"  {extra}" if extra_column else ""))
    last = [statistics.fmean(returns[-BLOCK:]) for returns, _ in results]
    print(f"mean return of the last {BLOCK} episodes: median {statistics.median(last):.0f} "
          f"(per seed {', '.join(f'{value:.0f}' for value in last)})")


if __name__ == "__main__":
    sys.exit(main())
