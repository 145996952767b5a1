"""``SpikingController``: an online-learning spiking actor-critic of 1M1T1R neurons.

One control step (:meth:`SpikingController.act`, then :meth:`SpikingController.learn`;
``act`` is :meth:`SpikingController.decide` then :meth:`SpikingController.complete_step`,
which a front-end may call apart, to send the action before step 4):

1. validate the observation, add it to the running statistics of the coding's
   frame (learning on; :class:`memctrl.coding.frame.ObservationFrame`) and
   encode it into input voltages (tile coding, :class:`memctrl.coding.GridEncoder`,
   or receptive fields, :class:`memctrl.coding.ReceptiveFieldEncoder`);
2. the learning rule reads the critic's column, the actor and the critic learn the
   previous transition, the critic records the input in its eligibility
   (:meth:`memctrl.learning.actor_critic.ActorCriticRule.before_decision`);
3. a tick of each actor population; the decoder turns the spike counts into the
   action (:mod:`memctrl.coding.decoders`);
4. the rule records the action in the actor's eligibility
   (:meth:`memctrl.learning.actor_critic.ActorCriticRule.after_decision`);
5. :meth:`SpikingController.learn` hands the action's reward to the rule.

Every actor population is its own crossbar (a :class:`Network`), and so is the
critic: one column of synapse pairs read by its transimpedance stage, no neuron
ticks (:meth:`Network.read_drive`). Before every tick the
neurons are put to rest (:meth:`Network.reset_neurons`; traces and eligibility
are kept), which makes each 1M1T1R neuron a stochastic binary unit: within the
tick's window (``substeps * dt_s``) it fires or not, with a probability that
rises from ~0 at 0.8 V to ~0.9 at 2 V (the measured preset). That device
stochasticity is the controller's exploration; Box actions of a task whose control
period is known also explore with a correlated offset while learning
(:mod:`memctrl.learning.exploration`).

Eligibility per step decays by ``lambda_actor`` and ``lambda_critic``; the
core's ``tau_eligibility`` is set from them and from the tick length (a Box actor
with the action trace ticks twice per step; the critic's eligibility decays once
per step, at :meth:`Network.record_inputs`).

Randomness restarts at every :meth:`SpikingController.reset`: the neuron noise,
stochastic rounding and write noise of every population, the decoder's tie-break
and a Box action's correlated exploration (its offset back to 0) are reseeded
from ``reset``'s ``seed``, or without one from the constructor's seed and the
number of resets so far. A run is reproducible from
the constructor's seed and the environment's seeds, and a checkpoint (which
holds the reset count) continues at an episode boundary exactly as the run
would have.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import gymnasium
import numpy as np
from gymnasium import spaces

from memctrl._checks import require_finite, shown
from memctrl.coding import GridEncoder, OneHotEncoder, ReceptiveFieldEncoder, make_decoder
from memctrl.coding.decoders import ArgmaxDecoder
from memctrl.controller import checkpoint
from memctrl.controller.config import ControllerConfig
from memctrl.controller.control_period import env_control_period_s
from memctrl.controller.size import check_size
from memctrl.learning.actor_critic import (ActorCriticRule, actor_eligibility_ticks_per_step,
                                          actor_ticks_per_step)
from memctrl.learning.exploration import CorrelatedExploration
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.reference import COUNTER_NAMES

ENERGY_COUNTERS = ("neuron_input_energy_j", "neuron_output_energy_j",
                   "synapse_read_energy_j", "programming_energy_j")
"""The counters whose sum is the controller's modelled device energy, J."""


class SpikingController:
    """An online-learning spiking actor-critic for gymnasium Box or Discrete observations.

    Parameters
    ----------
    observation_space : gymnasium.spaces.Box or gymnasium.spaces.Discrete
        1-D observations, or one state of a Discrete space (one-hot coded).
    action_space : gymnasium.spaces.Discrete or gymnasium.spaces.Box
        Discrete actions (argmax of populations) or bounded 1-D Box (push-pull).
    config : ControllerConfig, optional
        Settings; the defaults are chosen from the spaces (``ControllerConfig.resolved``).
    seed : int
        Seeds the devices (device-to-device spread), the cores' noise and the decoder.
    backend : {"compiled", "reference"}

    Examples
    --------
    >>> controller = SpikingController.for_env(env, seed=0)
    >>> obs, _ = env.reset(seed=0); controller.reset()
    >>> action = controller.act(obs)
    >>> obs, reward, terminated, truncated, _ = env.step(action)
    >>> controller.learn(reward, terminated, truncated)
    """

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space,
                 config: ControllerConfig | None = None, seed: int = 0,
                 backend: str = "compiled") -> None:
        self._build(observation_space, action_space, config, seed, backend, None)

    @classmethod
    def for_env(cls, env: gymnasium.Env, config: ControllerConfig | None = None,
                seed: int = 0, backend: str = "compiled") -> "SpikingController":
        """A controller for ``env``'s spaces that knows its control period where ``env``
        states one and ``config`` does not (:func:`env_control_period_s`)."""
        return cls(env.observation_space, env.action_space, with_control_period(config, env),
                   seed=seed, backend=backend)

    @classmethod
    def from_state(cls, observation_space: spaces.Space, action_space: spaces.Space,
                   config: ControllerConfig, seed: int, backend: str,
                   conductances: list[tuple[np.ndarray, np.ndarray]]) -> "SpikingController":
        """A controller whose populations start from saved input conductances
        (``(g_pos, g_neg)`` per population, actor first, then the critic's column), as
        :mod:`memctrl.controller.checkpoint` restores them; ValueError if their
        number or shapes do not fit."""
        controller = cls.__new__(cls)
        controller._build(observation_space, action_space, config, seed, backend, conductances)
        return controller

    def _build(self, observation_space: spaces.Space, action_space: spaces.Space,
               config: ControllerConfig | None, seed: int, backend: str,
               conductances: list | None) -> None:
        self.config = cfg = (config or ControllerConfig()).resolved(observation_space,
                                                                    action_space)
        self.observation_space = observation_space
        self.action_space = action_space
        self.seed = int(seed)
        self.backend = backend
        self.decoder = make_decoder(action_space, cfg.actor_population)
        self.discrete = isinstance(self.decoder, ArgmaxDecoder)
        check_size(cfg, observation_space, self.decoder.n_populations,
                   actor_ticks_per_step(cfg, self.discrete))
        if cfg.coding == "one_hot":
            self.encoder = OneHotEncoder(observation_space, cfg.v_total_v)
        elif cfg.coding == "tiles":
            self.encoder = GridEncoder(observation_space, cfg.grid_bins, cfg.v_total_v,
                                       scales=cfg.scales, tilings=cfg.grid_tilings)
        else:
            self.encoder = ReceptiveFieldEncoder(observation_space, cfg.fields_per_dim,
                                                 cfg.v_total_v, scales=cfg.scales)
        n_populations = self.decoder.n_populations + 1
        if conductances is not None and len(conductances) != n_populations:
            raise ValueError(f"holds {len(conductances)} populations, expected {n_populations}")
        sequence = np.random.SeedSequence(self.seed)
        init_rng = np.random.default_rng(sequence.spawn(1)[0])
        net_seeds = sequence.generate_state(n_populations, np.uint32)
        networks = []
        for index in range(n_populations):
            actor = index < self.decoder.n_populations
            net_config = self._network_config(actor)
            shape = (net_config.n_neurons, self.encoder.n_channels)
            if actor:
                w_in = (init_rng.uniform(-cfg.init_weight_spread, cfg.init_weight_spread, shape)
                        + cfg.init_drive_v / cfg.v_total_v)
                if np.any(np.abs(w_in) > 1.0):
                    raise ValueError(
                        f"the initial weights reach {np.abs(w_in).max():.3g}, beyond +-1 (a "
                        f"synapse's range): init_drive_v / v_total_v ({cfg.init_drive_v!r} / "
                        f"{cfg.v_total_v!r}) + init_weight_spread ({cfg.init_weight_spread!r}); "
                        "lower them, or raise v_total_v")
            else:
                w_in = np.full(shape, cfg.critic_optimism)   # V = h (optimism + r_bar)
            if conductances is None:
                syn = net_config.synapse
                middle = syn.g_min + syn.span / 2
                start = (middle + w_in * syn.span / 2, middle - w_in * syn.span / 2)
            else:
                start = conductances[index]
            networks.append(Network(net_config, w_in=w_in, seed=int(net_seeds[index]),
                                    backend=backend, input_conductances=start))
        self.actor: list[Network] = networks[:self.decoder.n_populations]
        self.critic: Network = networks[-1]
        self.rule = ActorCriticRule(cfg, self.actor, self.critic, self.discrete,
                                    rate_gain=self.encoder.tilings)
        self.learning = True
        generators = sequence.spawn(3)
        self._rng = np.random.default_rng(generators[1])
        decay = None if self.discrete else cfg.exploration_decay
        self.exploration = (None if decay is None else CorrelatedExploration(
            len(self.actor) // 2, cfg.exploration_sigma, decay,
            np.random.default_rng(generators[2])))
        self._counts = np.zeros(self.decoder.n_populations)
        self.steps = 0
        self.resets = 0
        self._undone: tuple | None = None

    def _network_config(self, actor: bool) -> NetworkConfig:
        cfg = self.config
        if actor:
            return cfg.network_config(cfg.actor_population, self.encoder.n_channels,
                                      actor_eligibility_ticks_per_step(cfg, self.discrete),
                                      cfg.lambda_actor)
        return cfg.network_config(1, self.encoder.n_channels, 1, cfg.lambda_critic)

    # -- episode -----------------------------------------------------------------------

    @property
    def networks(self) -> list[Network]:
        """Every crossbar: the actor's populations, then the critic's column."""
        return self.actor + [self.critic]

    @property
    def last_delta(self) -> float | None:
        """The TD error of the last update (None before the first)."""
        return self.rule.last_delta

    def reset(self, seed: int | None = None) -> None:
        """Start an episode: neurons, traces and eligibility to rest; learned weights kept.

        Reseeds every population's own randomness (neuron noise, stochastic
        rounding, write noise) and the decoder's tie-break generator: from
        ``seed`` if given (controllers with the same weights then act alike on
        the same observations), else from the constructor's seed and the count
        of earlier resets (so that a controller loaded from a checkpoint goes on
        as the saved one would have).
        """
        self.complete_step()
        entropy = [self.seed, self.resets] if seed is None else int(seed)
        self.resets += 1
        n = len(self.networks)
        seeds = np.random.SeedSequence(entropy).generate_state(n + 2, np.uint64)
        for net, net_seed in zip(self.networks, seeds):
            net.reseed(int(net_seed))
            net.reset_state()
        self._rng = np.random.default_rng(int(seeds[n]))
        if self.exploration is not None:
            self.exploration.reset(np.random.default_rng(int(seeds[n + 1])))
        self.rule.begin_episode()

    # -- one step ----------------------------------------------------------------------

    def act(self, observation: object) -> int | np.ndarray:
        """The action for ``observation``; learns from the pending reward first.

        Raises ValueError for an observation of the wrong shape or with NaN/inf.
        """
        action = self.decide(observation)
        self.complete_step()
        return action

    def decide(self, observation: object) -> int | np.ndarray:
        """:meth:`act` up to the action: the learning the action does not depend on (the
        action trace) is left to
        :meth:`complete_step`, which every other method runs first if it has not run.

        Raises ValueError for an observation of the wrong shape or with NaN/inf.
        """
        self.complete_step()
        if self.learning:
            self.encoder.frame.observe(observation)
        input_v = self.encoder.encode(observation)
        if self.learning:
            self.rule.before_decision(input_v)
        spikes = []
        for k, net in enumerate(self.actor):
            net.eligibility_gain = self.rule.decision_gain if self.learning else 0.0
            net.reset_neurons()
            spikes.append(net.tick(input_v))
            self._counts[k] = spikes[k].sum()
        offset = None
        if self.learning and self.exploration is not None:
            offset = self.exploration.perturb(self.decoder.unit_action(self._counts))
            action = self.decoder.decode(self._counts, self._rng, offset)
        else:
            action = self.decoder.decode(self._counts, self._rng)
        if self.learning:
            chosen = action - self.decoder.start if self.discrete else 0
            self._undone = (spikes, chosen, input_v, offset)
        self.steps += 1
        return action

    def complete_step(self) -> None:
        """Finish the step :meth:`decide` began (nothing if it is finished)."""
        if self._undone is not None:
            spikes, chosen, input_v, offset = self._undone
            self._undone = None
            self.rule.after_decision(spikes, chosen, input_v, offset)

    def learn(self, reward: float, terminated: bool = False, truncated: bool = False) -> None:
        """Take the reward of the last action; a terminal transition is learned at once.

        Other transitions are learned at the next :meth:`act` (which reads ``V(s')``);
        a truncated episode ends without an update, and either end resets the
        controller for the next episode. No-op while ``learning`` is off.

        Raises ValueError, before anything changes, for a reward that is not a finite
        number or too large for the running reward statistics, or flags that are not
        bools (NumPy's included).
        """
        reward = self.check_reward(reward)
        for name, flag in (("terminated", terminated), ("truncated", truncated)):
            if not isinstance(flag, (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {shown(flag)}")
        terminated, truncated = bool(terminated), bool(truncated)
        self.complete_step()
        if not self.learning:
            return
        self.rule.observe_reward(reward, terminated, truncated)
        if terminated or truncated:
            self.reset()

    def check_reward(self, reward: float) -> float:
        """``reward`` as a float if :meth:`learn` takes it: a finite number, not so large
        that the running reward statistics would overflow; else ValueError. Nothing
        changes."""
        reward = require_finite("reward", reward)
        self.rule.reward_scale.require_scalable(reward)
        return reward

    # -- counters ----------------------------------------------------------------------

    @property
    def counters(self) -> dict[str, float]:
        """Event counters of all populations together, since construction (a loaded
        controller's: since its run began; :meth:`reset_counters` starts them again)."""
        total = np.zeros(len(COUNTER_NAMES))
        for net in self.networks:
            total += np.fromiter(net.counters.values(), float, len(COUNTER_NAMES))
        return dict(zip(COUNTER_NAMES, total.tolist()))

    def reset_counters(self) -> None:
        """Start every population's counters again from 0."""
        for net in self.networks:
            net.set_counters(np.zeros(len(COUNTER_NAMES)))

    @property
    def energy_j(self) -> float:
        """Modelled device energy so far, J: neuron input and output stages,
        synaptic reads and programming pulses (``ENERGY_COUNTERS``)."""
        counters = self.counters
        return float(sum(counters[name] for name in ENERGY_COUNTERS))

    @property
    def n_neurons(self) -> int:
        """Columns of all crossbars: the actor's neurons and the critic's column."""
        return sum(net.config.n_neurons for net in self.networks)

    @property
    def neuron_evaluations_per_step(self) -> int:
        """Neuron-ticks of one learning step: the actor's decision ticks (twice with a
        Box action trace); the critic's column is read, its neuron never ticks."""
        return self.rule.actor_ticks_per_step * len(self.actor) * self.config.actor_population

    @property
    def column_reads_per_step(self) -> int:
        """Reads of the critic's column in one learning step: ``V(s')`` before and after
        the update (:mod:`memctrl.learning.actor_critic`). An upper bound: an episode's
        first step reads once, and with learning off the critic is not read."""
        return 2

    @property
    def step_duration_s(self) -> float:
        """Emulated time of one control step, s: the actor's ticks in sequence (its
        crossbars run in parallel); the critic's column reads last a write pulse each."""
        return self.rule.actor_ticks_per_step * self.config.dt_s * self.config.substeps

    # -- checkpoints -------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write a checkpoint (NumPy .npz) through a temporary file renamed into place."""
        self.complete_step()
        checkpoint.save(self, Path(path))

    def to_bytes(self) -> bytes:
        """The checkpoint as bytes (what :meth:`save` writes)."""
        self.complete_step()
        return checkpoint.to_bytes(self)

    def copy(self) -> "SpikingController":
        """An independent controller with the same weights (fresh counters and neuron state)."""
        clone = self.from_bytes(self.to_bytes(), "<copy>", self.backend)
        clone.reset_counters()
        return clone

    @classmethod
    def load(cls, path: Path | str, backend: str | None = None) -> "SpikingController":
        """Read a checkpoint; ValueError names the file for a missing, truncated or foreign one."""
        return checkpoint.load(Path(path), backend)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<bytes>",
                   backend: str | None = None) -> "SpikingController":
        """A controller from checkpoint bytes; ValueError (naming ``name``) if they are not one."""
        return checkpoint.from_bytes(data, name, backend)


def with_control_period(config: ControllerConfig | None, env: gymnasium.Env) -> ControllerConfig:
    """``config`` (the defaults if None) with ``env``'s control period where ``config``
    gives none (:func:`memctrl.controller.control_period.env_control_period_s`)."""
    config = config or ControllerConfig()
    if config.control_period_s is not None:
        return config
    return dataclasses.replace(config, control_period_s=env_control_period_s(env))
