"""``SpikingController``: an online-learning spiking actor-critic of 1M1T1R neurons.

One control step (:meth:`SpikingController.act`, then :meth:`SpikingController.learn`):

1. validate the observation and encode it into input voltages
   (:class:`memctrl.coding.ReceptiveFieldEncoder`, a bias channel last, or with
   ``grid_bins`` the cells of :class:`memctrl.coding.GridEncoder`, one-hot per
   tiling);
2. a read-only tick of the critic on the new observation gives ``V(s')``; if
   the reward of the previous action is pending, the TD error ``delta``
   (:class:`memctrl.learning.TDActorCritic`) is broadcast, and every population
   programs its synapses by ``rate * signal * eligibility``
   (:meth:`memctrl.network.network.Network.apply_learning`, programming pulses;
   with ``program_threshold_levels`` accumulated per synapse first);
3. a plastic tick of the critic on the same observation leaves the eligibility;
4. a tick of each actor population; the decoder turns the spike counts into the
   action (:mod:`memctrl.coding.decoders`). The actor's signal is ``delta``
   minus its running mean; with Discrete actions (``actor_modulation="signed"``,
   the default) the chosen population gets ``+signal`` and the others
   ``-signal / (n - 1)``, with a one-step eligibility (``lambda_actor``). The
   alternative ``"action_trace"`` records the action in the eligibility instead
   (the action-signed trace of Barto, Sutton & Anderson's ASE): the decision
   ticks are read-only, then the chosen population adds its decision spikes to
   its eligibility and the others subtract theirs (``Network.record_spikes``
   with +1 and ``-1 / (n - 1)``); all get ``+signal``,
   and the trace may be long (``lambda_actor`` 0.9), so a failure reaches the
   actions of the last tens of steps. With Box actions "action_trace" records
   the action's noise instead (Gullapalli's stochastic real-valued unit,
   ``(a - mean a) x``): after the read-only decision tick each push and pull
   population ticks once more, read-only, on the same input, and records the
   decision spikes minus these (an unbiased sample of what it fires on
   average). A population's mean firing then no longer drifts with the TD
   error's bias in a state (the drift that left Box actors silent: once
   silent, a neuron has no eligibility and never fires again).

Every population is its own crossbar (a :class:`Network`), so each gets its own
modulation: row-wise gating of one broadcast signal. Before every tick the
neurons are put to rest (:meth:`Network.reset_neurons`; traces and eligibility
are kept), which makes each 1M1T1R neuron a stochastic binary unit: within the
tick's window (``substeps * dt_s``) it fires or not, with a probability that
rises from ~0 at 0.8 V to ~0.9 at 2 V (the measured preset). That device
stochasticity is the controller's only exploration.

The critic reads its value and leaves its eligibility in two separate ticks
(two independent samples of the stochastic neurons). A single plastic tick
would do both wrongly: its spikes would enter the eligibility that ``delta``
of the previous transition is applied to (the critic reinforcing its own
``V(s')``, a positive feedback), and the sampling noise of ``V(s)`` would
correlate with the eligibility of the same spikes (each population learning
to fall silent: with more spikes than expected in ``V(s)``, ``delta`` is
lower, and the spikes that raised ``V(s)`` are punished).

Eligibility per step decays by ``lambda_actor`` and ``lambda_critic``; the
core's ``tau_eligibility`` is set from them and from the tick length (the critic
ticks twice per step, and so does a Box actor with the action trace).

Randomness restarts at every :meth:`SpikingController.reset`: the neuron noise,
stochastic rounding and write noise of every population and the decoder's
tie-break are reseeded from ``reset``'s ``seed``, or without one from the
constructor's seed and the number of resets so far. A run is reproducible from
the constructor's seed and the environment's seeds, and a checkpoint (which
holds the reset count) continues at an episode boundary exactly as the run
would have.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count, require_finite, require_known_names
from memctrl.coding import GridEncoder, ReceptiveFieldEncoder, make_decoder
from memctrl.coding.decoders import ArgmaxDecoder
from memctrl.device.presets import neuron_preset, synapse_preset
from memctrl.learning import TDActorCritic
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_record import atomic_write_bytes

logger = logging.getLogger(__name__)

CHECKPOINT_FORMAT = "memctrl-controller/1"
ACTOR_MODULATIONS = ("signed", "action_trace")
ENERGY_COUNTERS = ("neuron_input_energy_j", "neuron_output_energy_j",
                   "synapse_read_energy_j", "programming_energy_j")
"""The counters whose sum is the controller's modelled device energy, J."""


@dataclass(frozen=True)
class ControllerConfig:
    """Hyper-parameters of :class:`SpikingController` (units in the names).

    Attributes
    ----------
    neuron_preset, synapse_preset : str
        Device presets; non-idealities (neuron noise, device spread, write noise,
        nonlinear pulse response, finite levels) are on unless ``ideal``.
    ideal : bool
        Switch every source of device randomness off (for comparisons only: the
        deterministic neurons then never fire at the initial drive, so nothing
        is explored and nothing learned).
    fields_per_dim : int
        Gaussian receptive fields per observation dimension (unless ``grid_bins``).
    pair_fields : int
        Two-dimensional fields per dimension for every pair of dimensions (0: none).
    grid_bins : tuple of int, optional
        Bins per dimension of a conjunctive grid (:class:`memctrl.coding.GridEncoder`)
        that replaces the receptive fields: one channel per cell, the active cell
        at ``v_total_v`` volts (shared by the tilings' active cells).
    grid_tilings : int
        Offset copies of that grid (tile coding): 1 (a plain grid) or a power of two.
    v_total_v, v_bias_v : float
        Summed voltage of the field channels, bias-channel voltage, V (0: no bias
        channel). A bias channel, the most strongly eligible synapse of every
        neuron, takes the most pulses and so the most write noise; its random
        walk soon makes one action population win always (measured: CartPole
        runs locked onto one action within 50 episodes). Without it, the
        near-constant sum of the fields carries the bias over many synapses.
    scales : tuple of float, optional
        Half-range of each observation dimension (see the encoder).
    actor_population, critic_population : int
        Neurons per actor population (one per action, two per Box dimension)
        and per critic population (two). The critic's value is a count of
        binary units, its sampling noise the main noise of ``delta``: on
        CartPole, 32 -> 64 -> 128 -> 256 critic neurons raised the mean training
        return of episodes 200-300 (4 seeds) from about 100 to 270. A Box
        actor's exploration is the push-pull populations' binomial noise, about
        ``0.7 / sqrt(actor_population)`` of the half-range: Pendulum-v1 learned
        with one neuron each (``config/pendulum.yaml``), less with 2, not with 4 or 16.
    dt_s, substeps : float, int
        Substep and substeps per tick; the tick is the neurons' firing window.
    tau_trace_s : float
        Presynaptic trace time constant, s (short: the trace follows the input).
    gamma : float
        Discount per step.
    lambda_actor, lambda_critic : float
        Per-step decay of the eligibility. The actor's must be short with
        ``actor_modulation="signed"``: its eligibility does not record which
        action each spike voted for, and the sign is set per step.
    actor_rate, critic_rate : float
        Learning rates (weight change per unit of signal and eligibility).
    reward_rate : float
        Rate of the running reward mean.
    reward_scale : float
        Rewards are multiplied by this before learning. The critic reads a value
        of at most +-1 reward unit per step about the running reward mean (its
        two populations' spike counts), so rewards that vary by more than about
        1 from step to step (Pendulum-v1: 0 to -16) must be scaled down.
    init_drive_v : float
        Initial drive of every neuron, V (sets the initial firing probability,
        about 0.4 at 1.3 V): on the bias channel if there is one, else spread
        evenly over the field channels.
    init_weight_spread : float
        Initial field weights are uniform in +-this. Both devices of a pair start
        around mid-range (``g = g_mid +- w span / 2``), where the network's
        programming keeps them
        (:meth:`memctrl.network.reference.ReferenceNetwork.apply_learning`).
    stochastic_rounding : bool
        Round weight changes to pulses stochastically (unbiased for changes
        below one level); off gives a pulse only for a change of at least half a
        level, and the small per-step updates of the fields then never happen.
    max_pulses : int
        Most programming pulses one synapse receives in one update. The default 8
        caps a change at 8 levels; the action trace asks for about a quarter of
        the range at a failure (64 levels of 256), and CartPole with it learned
        only once the cap was raised (to 256).
    program_threshold_levels : float
        0: every update is programmed at once, stochastically rounded to pulses.
        Above 0: each synapse accumulates its updates and is programmed once they
        reach this many levels (``NetworkConfig.program_threshold``; the pending
        changes are kept in checkpoints), each programming followed by a verify
        read. With write noise of 2 % of the range per pulse (5 levels of 256)
        small programmed steps are mostly noise, and the verify read makes up the
        nonlinear pulse response: ``config/cartpole.yaml`` (3 levels) solved
        CartPole on 5 of 5 seeds, programming at once on none (see
        ``benchmarks/learning_cartpole.py``).
    actor_modulation : {"signed", "action_trace"}
        "signed": every population ticks plastically in the decision; with
        Discrete actions the chosen one gets ``+delta``, the others
        ``-delta / (n - 1)``; with Box actions all get ``+delta``.
        "action_trace" (allows a long ``lambda_actor``): the decision ticks are
        read-only and all populations get ``+delta``; with Discrete actions every
        population records its decision spikes in its eligibility with ``+1``
        (chosen) or ``-1 / (n - 1)`` (the others); with Box actions every
        population records its decision spikes minus those of a second
        read-only tick on the same input (one more tick per step, in parallel
        with the critic's plastic tick). ``config/tremor.yaml`` learned tremor
        damping with it; "signed" did not (see ``benchmarks/learning_tremor.py``).
    center_actor_signal : bool
        Subtract the running mean of ``delta`` from the actor's signal.
    sample_action : bool
        Discrete: pick the population of a random spike instead of the argmax.
    neuron_overrides, synapse_overrides : dict, optional
        Device parameters changed from the presets (``NeuronParams`` and
        ``SynapseParams`` field name -> value, SI units), e.g. ``{"d2d_mu_cv": 0.2}``
        or ``{"levels": 32, "c2c_sigma": 0.05}``: sweeps vary the device spread,
        write noise and levels without defining a preset for each value.
    """

    neuron_preset: str = "measured"
    synapse_preset: str = "epiram"
    ideal: bool = False
    fields_per_dim: int = 20
    pair_fields: int = 0
    grid_bins: tuple[int, ...] | None = None
    grid_tilings: int = 1
    v_total_v: float = 6.0
    v_bias_v: float = 0.0
    scales: tuple[float, ...] | None = None
    actor_population: int = 16
    critic_population: int = 256
    dt_s: float = 5e-4
    substeps: int = 20
    tau_trace_s: float = 2e-3
    gamma: float = 0.95
    lambda_actor: float = 0.05
    lambda_critic: float = 0.7
    actor_rate: float = 0.01
    critic_rate: float = 0.1
    reward_rate: float = 0.01
    reward_scale: float = 1.0
    init_drive_v: float = 1.3
    init_weight_spread: float = 0.05
    stochastic_rounding: bool = True
    max_pulses: int = 8
    program_threshold_levels: float = 0.0
    actor_modulation: str = "signed"
    center_actor_signal: bool = True
    sample_action: bool = False
    neuron_overrides: dict | None = None
    synapse_overrides: dict | None = None

    def __post_init__(self) -> None:
        self._devices()   # unknown presets, unknown or invalid overrides
        for name in ("lambda_actor", "lambda_critic"):
            value = require_finite(name, getattr(self, name))
            if not 0.0 < value < 1.0:
                raise ValueError(f"{name} must lie in (0, 1), got {value!r}")
        for name in ("actor_rate", "critic_rate", "init_weight_spread",
                     "program_threshold_levels"):
            if require_finite(name, getattr(self, name)) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not require_finite("reward_scale", self.reward_scale) > 0:
            raise ValueError(f"reward_scale must be > 0, got {self.reward_scale!r}")
        require_finite("init_drive_v", self.init_drive_v)
        require_count("max_pulses", self.max_pulses)
        require_count("grid_tilings", self.grid_tilings)
        if self.grid_tilings > 1 and self.grid_bins is None:
            raise ValueError(f"grid_tilings={self.grid_tilings} needs grid_bins (tilings are "
                             "offset copies of the grid)")
        if self.grid_bins is not None:
            for count in self.grid_bins:
                require_count("grid_bins entries", count, minimum=2)
        if self.actor_modulation not in ACTOR_MODULATIONS:
            raise ValueError(f"actor_modulation must be one of {ACTOR_MODULATIONS}, "
                             f"got {self.actor_modulation!r}")

    @classmethod
    def from_items(cls, items: dict) -> "ControllerConfig":
        """A config from fields read from YAML or JSON (settings files, sweeps,
        checkpoints): lists become the tuples the fields hold."""
        return cls(**{name: tuple(value) if isinstance(value, list) else value
                      for name, value in items.items()})

    def network_config(self, n_neurons: int, n_inputs: int, ticks_per_step: int,
                       lam: float) -> NetworkConfig:
        neuron, synapse = self._devices()
        tick = self.dt_s * self.substeps
        config = NetworkConfig(n_neurons=n_neurons, n_inputs=n_inputs, dt=self.dt_s,
                               substeps=self.substeps, tau_trace=self.tau_trace_s,
                               tau_eligibility=ticks_per_step * tick / -math.log(lam),
                               stochastic_rounding=self.stochastic_rounding,
                               max_pulses=self.max_pulses,
                               program_threshold=self.program_threshold_levels,
                               neuron=neuron, synapse=synapse)
        return config.deterministic if self.ideal else config

    def _devices(self) -> tuple:
        """(NeuronParams, SynapseParams): the presets with the overrides applied.

        ValueError names an unknown preset or parameter, or an override value
        that the device parameters refuse.
        """
        devices = []
        for kind, preset, overrides in (
                ("neuron", neuron_preset(self.neuron_preset), self.neuron_overrides),
                ("synapse", synapse_preset(self.synapse_preset), self.synapse_overrides)):
            if overrides is None:
                overrides = {}
            if not isinstance(overrides, dict):
                raise ValueError(f"{kind}_overrides must be a dict of parameter -> value, "
                                 f"got {overrides!r}")
            require_known_names(f"{kind}_overrides", f"{kind} parameter", overrides,
                                [field.name for field in dataclasses.fields(preset)])
            devices.append(preset.replace(**overrides))
        return devices[0], devices[1]


def _space_to_json(space: spaces.Space) -> dict:
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.Box):
        return {"type": "Box", "low": np.asarray(space.low, float).tolist(),
                "high": np.asarray(space.high, float).tolist(), "dtype": str(space.dtype)}
    raise ValueError(f"unsupported space {space}")


def _space_from_json(item: dict) -> spaces.Space:
    if item["type"] == "Discrete":
        return spaces.Discrete(item["n"], start=item["start"])
    if item["type"] == "Box":
        dtype = np.dtype(item["dtype"])
        return spaces.Box(np.array(item["low"], dtype), np.array(item["high"], dtype), dtype=dtype)
    raise ValueError(f"unknown space type {item['type']!r}")


class SpikingController:
    """An online-learning spiking actor-critic for a gymnasium Box observation space.

    Parameters
    ----------
    observation_space : gymnasium.spaces.Box
        1-D observations.
    action_space : gymnasium.spaces.Discrete or gymnasium.spaces.Box
        Discrete actions (argmax of populations) or bounded 1-D Box (push-pull).
    config : ControllerConfig, optional
    seed : int
        Seeds the devices (device-to-device spread), the cores' noise and the decoder.
    backend : {"compiled", "reference"}

    Examples
    --------
    >>> controller = SpikingController(env.observation_space, env.action_space, seed=0)
    >>> obs, _ = env.reset(seed=0); controller.reset()
    >>> action = controller.act(obs)
    >>> obs, reward, terminated, truncated, _ = env.step(action)
    >>> controller.learn(reward, terminated, truncated)
    """

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space,
                 config: ControllerConfig | None = None, seed: int = 0,
                 backend: str = "compiled", *, _conductances: list | None = None) -> None:
        self.config = config or ControllerConfig()
        self.observation_space = observation_space
        self.action_space = action_space
        self.seed = int(seed)
        self.backend = backend
        cfg = self.config
        if cfg.grid_bins is None:
            self.encoder = ReceptiveFieldEncoder(observation_space, cfg.fields_per_dim,
                                                 cfg.v_total_v, cfg.v_bias_v, scales=cfg.scales,
                                                 pair_fields=cfg.pair_fields)
        else:
            self.encoder = GridEncoder(observation_space, cfg.grid_bins, cfg.v_total_v,
                                       scales=cfg.scales, tilings=cfg.grid_tilings)
        self.decoder = make_decoder(action_space, cfg.actor_population, cfg.sample_action)
        self.discrete = isinstance(self.decoder, ArgmaxDecoder)
        self._action_trace = cfg.actor_modulation == "action_trace"
        self.td = TDActorCritic(cfg.gamma, cfg.reward_rate)
        m = self.encoder.n_channels
        sequence = np.random.SeedSequence(self.seed)
        init_rng = np.random.default_rng(sequence.spawn(1)[0])
        net_seeds = sequence.generate_state(self.decoder.n_populations + 2, np.uint32)
        self._actor_ticks = 2 if self._action_trace and not self.discrete else 1
        actor_config = cfg.network_config(cfg.actor_population, m, self._actor_ticks,
                                          cfg.lambda_actor)
        critic_config = cfg.network_config(cfg.critic_population, m, 2, cfg.lambda_critic)
        self.actor: list[Network] = []
        self.critic: list[Network] = []
        for index in range(self.decoder.n_populations + 2):
            net_config = actor_config if index < self.decoder.n_populations else critic_config
            w_in = init_rng.uniform(-cfg.init_weight_spread, cfg.init_weight_spread,
                                    (net_config.n_neurons, m))
            if self.encoder.v_bias > 0:
                w_in[:, -1] = cfg.init_drive_v / self.encoder.v_bias
            else:
                w_in += cfg.init_drive_v / cfg.v_total_v
            if np.any(np.abs(w_in) > 1.0):
                raise ValueError(f"init_drive_v={cfg.init_drive_v!r} V needs weights beyond "
                                 "+-1; raise v_bias_v or v_total_v")
            if _conductances is None:
                syn = net_config.synapse
                middle = syn.g_min + syn.span / 2
                conductances = (middle + w_in * syn.span / 2, middle - w_in * syn.span / 2)
            else:
                conductances = _conductances[index]
            net = Network(net_config, w_in=w_in, seed=int(net_seeds[index]), backend=backend,
                          input_conductances=conductances)
            (self.actor if index < self.decoder.n_populations else self.critic).append(net)
        self.learning = True
        self._rng = np.random.default_rng(sequence.spawn(2)[1])
        self._counter_offset = np.zeros(len(COUNTER_NAMES))
        self._counts = np.zeros(self.decoder.n_populations)
        self.steps = 0
        self.resets = 0
        self._value: float | None = None
        self._chosen = 0
        self._pending_reward: float | None = None
        self.last_delta: float | None = None

    # -- episode -----------------------------------------------------------------------

    @property
    def networks(self) -> list[Network]:
        return self.actor + self.critic

    def reset(self, seed: int | None = None) -> None:
        """Start an episode: neurons, traces and eligibility to rest; learned weights kept.

        Reseeds every population's own randomness (neuron noise, stochastic
        rounding, write noise) and the decoder's tie-break generator: from
        ``seed`` if given (controllers with the same weights then act alike on
        the same observations), else from the constructor's seed and the count
        of earlier resets (so that a controller loaded from a checkpoint goes on
        as the saved one would have).
        """
        entropy = [self.seed, self.resets] if seed is None else int(seed)
        self.resets += 1
        seeds = np.random.SeedSequence(entropy).generate_state(len(self.networks) + 1, np.uint64)
        for net, net_seed in zip(self.networks, seeds):
            net.reseed(int(net_seed))
            net.reset_state()
        self._rng = np.random.default_rng(int(seeds[-1]))
        self._value = None
        self._pending_reward = None

    # -- one step ----------------------------------------------------------------------

    def _population_value(self, input_v: np.ndarray) -> float:
        pos, neg = self.critic
        counts = []
        for net in (pos, neg):
            net.reset_neurons()
            counts.append(int(net.tick(input_v).sum()))
        return (counts[0] - counts[1]) / self.config.critic_population

    def act(self, observation: object) -> int | np.ndarray:
        """The action for ``observation``; learns from the pending reward first.

        Raises ValueError for an observation of the wrong shape or with NaN/inf.
        """
        input_v = self.encoder.encode(observation)
        if self.learning:
            for net in self.critic:
                net.eligibility_gain = 0.0
            value = self._population_value(input_v)
            for net in self.critic:
                net.eligibility_gain = 1.0
            if self._pending_reward is not None and self._value is not None:
                self._learn(self.td.delta(self._pending_reward, self._value, value))
            self._value = value
            self._population_value(input_v)   # the eligibility's own, independent spikes
        self._pending_reward = None
        # "signed": the decision ticks leave the eligibility, and the sign of each
        # population's signal says whether its action was taken. "action_trace":
        # the decision ticks are read-only; the action is recorded once chosen.
        traced = self._action_trace and self.learning
        spikes = []
        for k, net in enumerate(self.actor):
            net.eligibility_gain = 0.0 if traced else 1.0
            net.reset_neurons()
            spikes.append(net.tick(input_v))
            self._counts[k] = spikes[k].sum()
        action = self.decoder.decode(self._counts, self._rng)
        self._chosen = action if self.discrete else 0
        if traced:
            self._record_action(spikes, action, input_v)
        self.steps += 1
        return action

    def _record_action(self, spikes: list[np.ndarray], action: int | np.ndarray,
                       input_v: np.ndarray) -> None:
        """The action trace: Discrete, each population's decision spikes with the sign
        of its action's choice; Box, each population's decision spikes minus those of
        a second read-only tick on the same input (the action's noise)."""
        for k, net in enumerate(self.actor):
            if self.discrete:
                net.record_spikes(spikes[k], 1.0 if k == action else -1.0 / (len(self.actor) - 1))
            else:
                net.reset_neurons()
                net.record_spikes(spikes[k] - net.tick(input_v), 1.0)

    def learn(self, reward: float, terminated: bool = False, truncated: bool = False) -> None:
        """Take the reward of the last action; a terminal transition is learned at once.

        Other transitions are learned at the next :meth:`act` (which reads ``V(s')``);
        a truncated episode ends without an update. No-op while ``learning`` is off.
        """
        reward = require_finite("reward", reward) * self.config.reward_scale
        if not self.learning:
            return
        if self._value is None:
            raise RuntimeError("learn() needs act() first in each episode")
        self.td.observe_reward(reward)
        if terminated:
            self._learn(self.td.delta(reward, self._value, None))
        if terminated or truncated:
            self.reset()
        else:
            self._pending_reward = reward

    def _learn(self, delta: float) -> None:
        cfg = self.config
        self.last_delta = delta
        signed = self.discrete and cfg.actor_modulation == "signed"
        actor_delta = self.td.actor_signal(delta) if cfg.center_actor_signal else delta
        for k, net in enumerate(self.actor):
            chosen = not signed or k == self._chosen
            signal = actor_delta if chosen else -actor_delta / (len(self.actor) - 1)
            net.apply_learning(signal, cfg.actor_rate)
        self.critic[0].apply_learning(delta, cfg.critic_rate)
        self.critic[1].apply_learning(-delta, cfg.critic_rate)

    # -- counters ----------------------------------------------------------------------

    @property
    def counters(self) -> dict[str, float]:
        """Event counters of all populations together, since construction (or the first save)."""
        total = self._counter_offset.copy()
        for net in self.networks:
            total += np.fromiter(net.counters.values(), float, len(COUNTER_NAMES))
        return dict(zip(COUNTER_NAMES, total.tolist()))

    @property
    def energy_j(self) -> float:
        """Modelled device energy so far, J: neuron input and output stages,
        synaptic reads and programming pulses (``ENERGY_COUNTERS``)."""
        counters = self.counters
        return float(sum(counters[name] for name in ENERGY_COUNTERS))

    @property
    def n_neurons(self) -> int:
        """Neurons of all populations."""
        return sum(net.config.n_neurons for net in self.networks)

    @property
    def neuron_evaluations_per_step(self) -> int:
        """Neuron-ticks of one learning step: the actor's decision ticks (twice with a
        Box action trace), the critic's read and plastic ticks (two populations each)."""
        cfg = self.config
        return (self._actor_ticks * len(self.actor) * cfg.actor_population
                + 4 * cfg.critic_population)

    @property
    def step_duration_s(self) -> float:
        """Emulated time of one control step, s: the critic's read and plastic ticks in
        sequence; the actor's crossbars run in parallel with them."""
        return 2 * self.config.dt_s * self.config.substeps

    # -- checkpoints -------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write a checkpoint (NumPy .npz) through a temporary file renamed into place."""
        atomic_write_bytes(Path(path), self.to_bytes())

    def to_bytes(self) -> bytes:
        """The checkpoint as bytes (what :meth:`save` writes)."""
        meta = {"format": CHECKPOINT_FORMAT, "seed": self.seed, "backend": self.backend,
                "config": dataclasses.asdict(self.config),
                "observation_space": _space_to_json(self.observation_space),
                "action_space": _space_to_json(self.action_space),
                "counters": self.counters, "steps": self.steps, "resets": self.resets,
                "reward_mean": self.td.reward_mean, "delta_mean": self.td.delta_mean}
        arrays = {"meta": np.array(json.dumps(meta))}
        for index, net in enumerate(self.networks):
            g_pos, g_neg = net.input_conductances()
            arrays[f"g_pos_{index}"], arrays[f"g_neg_{index}"] = g_pos, g_neg
            if self.config.program_threshold_levels > 0:   # else always zero
                arrays[f"pending_{index}"] = net.pending_updates()[0]
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    def copy(self) -> "SpikingController":
        """An independent controller with the same weights (fresh counters and neuron state)."""
        clone = self.from_bytes(self.to_bytes(), "<copy>", self.backend)
        clone._counter_offset[:] = 0.0
        return clone

    @classmethod
    def load(cls, path: Path | str, backend: str | None = None) -> "SpikingController":
        """Read a checkpoint; ValueError names the file for a missing, truncated or foreign one."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ValueError(f"{path}: cannot read the checkpoint ({error})") from None
        return cls.from_bytes(data, str(path), backend)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<bytes>",
                   backend: str | None = None) -> "SpikingController":
        """A controller from checkpoint bytes; ValueError (naming ``name``) if they are not one."""
        if not data.startswith(b"PK\x03\x04"):
            raise ValueError(f"{name}: not a {CHECKPOINT_FORMAT} checkpoint (not an .npz "
                             "archive)")
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                meta = json.loads(str(archive["meta"]))
                if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT_FORMAT:
                    raise ValueError("wrong format tag")
                count = len([key for key in archive.files if key.startswith("g_pos_")])
                conductances = [(archive[f"g_pos_{i}"], archive[f"g_neg_{i}"])
                                for i in range(count)]
                # a checkpoint holds pending changes only if its controller accumulates
                pending = [archive[f"pending_{i}"] if f"pending_{i}" in archive.files else None
                           for i in range(count)]
            config = ControllerConfig.from_items(meta["config"])
            controller = cls(_space_from_json(meta["observation_space"]),
                             _space_from_json(meta["action_space"]), config, meta["seed"],
                             backend or meta["backend"], _conductances=conductances)
            if len(conductances) != len(controller.networks):
                raise ValueError(f"holds {len(conductances)} populations, "
                                 f"expected {len(controller.networks)}")
            for net, pending_in in zip(controller.networks, pending):
                if pending_in is not None:
                    net.set_pending_updates(pending_in, net.pending_updates()[1])
            controller._counter_offset = np.array(
                [float(meta["counters"][name]) for name in COUNTER_NAMES])
            controller.steps = int(meta["steps"])
            controller.resets = int(meta.get("resets", 0))   # older checkpoints: not counted
            controller.td.reward_mean = meta["reward_mean"]
            controller.td.delta_mean = float(meta["delta_mean"])
        except Exception as error:  # noqa: BLE001 - any failure means: not our checkpoint
            raise ValueError(f"{name}: not a valid {CHECKPOINT_FORMAT} checkpoint "
                             f"({type(error).__name__}: {error})") from None
        return controller
