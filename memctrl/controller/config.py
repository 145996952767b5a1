"""``ControllerConfig``: the settings of :class:`memctrl.controller.SpikingController`.

Every field has a default that works without a settings file: the defaults
that depend on the task (coding and grid, actor population and rate, and where
the control period is known the discount and the actor's trace) are chosen from
the observation and action spaces and ``control_period_s`` by
:meth:`ControllerConfig.resolved`. A settings file (``memctrl train --config``)
changes fields as refinements.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from gymnasium import spaces

from memctrl._checks import (check_field_types, require_count, require_finite,
                             require_known_names, require_positive, require_setting,
                             shown)
from memctrl.coding.frame import require_per_dimension
from memctrl.coding.grid import MAX_CELLS, auto_bins
from memctrl.device.presets import neuron_preset, synapse_preset
from memctrl.network.config import MAX_DECAY_EXPONENT, NetworkConfig
from memctrl.network.network import MAX_INPUT_V

ACTOR_MODULATIONS = ("action_trace", "signed")
CODINGS = ("tiles", "fields", "one_hot")
MIN_HORIZON_S = 0.5
"""The shortest discount horizon of the default ``gamma`` where the control period is known, s:
about the settling time of a limb or a small robot, over which a steady push shows (0.1 s until
2026-12-06; 0.5 s chosen on the tremor task's seeds 0 and 4 among 0.1, 0.3, 0.5 and 1 s,
``benchmarks/notes/tremor_v1.md``, session 19)."""
MIN_DT_S = 1e-9
"""The shortest substep taken, s: shorter ones are mistakes of units (the measured device's
kinetics are microseconds to milliseconds; the 3 nm projection's faster rates are emulated
through its neuron's ``time_scale``, not the substep)."""
MAX_DT_S = 1.0
"""The longest substep taken, s: longer ones are mistakes of units too (A: the devices'
time constants are milliseconds; a second-long substep integrates none of them)."""
MIN_CONTROL_PERIOD_S = 1e-6
"""The shortest control period taken, s (1 MHz, beyond any sensor loop): shorter ones are
mistakes of units, and the horizons above would round their discounts to 1."""
MIN_ACTOR_TRACE_S = 0.02
"""The shortest actor trace of the default ``lambda_actor`` where the control period is known,
s (chosen with ``MIN_HORIZON_S``)."""


@dataclass(frozen=True)
class ControllerConfig:
    """Hyper-parameters of :class:`SpikingController` (units in the names).

    The defaults are the controller: it configures its coding, scales and
    population sizes from the observation and action spaces, so no field needs
    setting for a new task. Each field below says what it does; the benchmarks'
    docstrings say how the defaults were measured.

    Attributes
    ----------
    neuron_preset, synapse_preset : str
        Device presets; non-idealities (neuron noise, device spread, write noise,
        nonlinear pulse response, finite levels) are on; ``neuron_overrides`` and
        ``synapse_overrides`` change them. A synapse is read for the whole ms-long
        firing window, at ``V^2 (g+ + g-)`` per second: nS Ag:Si synapses ("ag-si")
        would cost about 300 times less than the default uS EpiRAM and learn the
        tile-coded tasks as well, but not one-hot codes (Discrete observations, one
        tiling); ``benchmarks/notes/learning_suite.md`` gives the measurements.
    coding : {"tiles", "fields", "one_hot"}
        For a Box observation space, "tiles": tile coding
        (:class:`memctrl.coding.GridEncoder`), ``grid_tilings`` offset grids of
        ``grid_bins`` over the observation, falling back to
        receptive fields when even 2 bins per dimension would exceed the grid's
        channel limit. "fields": ``fields_per_dim`` Gaussian receptive fields per
        dimension (:class:`memctrl.coding.ReceptiveFieldEncoder`). A Discrete
        observation space is always "one_hot": one channel per state
        (:class:`memctrl.coding.OneHotEncoder`).
    grid_bins : tuple of int, optional
        Bins per observation dimension (one entry per dimension); default: the
        finest equal bins that fit, at most 5 (:func:`memctrl.coding.grid.auto_bins`).
    grid_tilings : int
        Offset copies of the grid: 1 (a plain grid) or a power of two. The active
        cells (one per tiling) share ``v_total_v``, and a read costs ``V^2`` per
        line, so 16 tilings read at half the energy of 8 (and learn better).
    fields_per_dim : int
        Receptive fields per dimension (``coding="fields"`` and the fallback).
    v_total_v : float
        Summed voltage of the active input channels, V (at most 100 V,
        :data:`memctrl.network.network.MAX_INPUT_V`).
    scales : tuple of float, optional
        Half-range of each observation dimension (one entry per dimension);
        default: bounded dimensions their bounds, narrowed once to what the
        first 1,000 observations seen while learning reached, unbounded ones
        adaptive from running statistics
        (:class:`memctrl.coding.frame.ObservationFrame`).
    actor_population : int, optional
        Neurons per actor population (one population per Discrete action, a
        push and a pull population per Box dimension). Default: 16 for Discrete
        actions (the argmax of two noisy counts explores); for Box actions 1 (a
        Box action is the push-pull difference, whose binomial noise, about
        ``0.7 / sqrt(actor_population)`` of the half-range, is then the actor's only
        exploration: it averages away in larger populations), or 4 where they also
        explore with the correlated offset (below): the pair's mean is then finer and
        its noise half as large (the tremor task: tracking as good as the damping
        baseline's on more seeds, ``benchmarks/notes/tremor_v1.md``).
    dt_s, substeps : float, int
        Substep and substeps per tick; the tick is the neurons' firing window.
    tau_trace_s : float
        Presynaptic trace time constant, s (short: the trace follows the input).
    control_period_s : float, optional
        The task's control period, s: the time between two actions. None: not known.
        :meth:`SpikingController.for_env` reads it from a gymnasium environment that
        gives one (``dt_s`` or ``dt``), ``memctrl_node`` from its ``control_rate_hz``.
        Where it is known, the defaults of ``gamma`` and ``lambda_actor`` span at least
        a time (below) and Box actions explore with a correlated offset.
    gamma : float, optional
        Discount per step. Default: 0.95 (a horizon of 20 steps), or where the control
        period is known and shorter than 25.6 ms, ``exp(-period / 0.5 s)``: a horizon of at
        least ``MIN_HORIZON_S`` (0.5 s), since a fast loop's plant answers an action over
        many steps: at 1 kHz a steady push held against the wrist settles over about half a
        second, and with a horizon of 0.1 s the tremor task's learned push drifted
        (``benchmarks/notes/tremor_v1.md``, session 19).
    lambda_actor, lambda_critic : float, optional
        Per-step decay of the actor's and the critic's eligibility. ``lambda_actor``'s
        default: 0.8, or where the control period is known and shorter than 4.46 ms,
        ``exp(-period / 0.02 s)``: an actor trace of at least ``MIN_ACTOR_TRACE_S``
        (20 ms). With both at 1 kHz (then 0.990, 0.951) and the correlated exploration, the
        learned tremor controller's push drifted less (``benchmarks/notes/tremor_v1.md``);
        every task at 39 Hz or slower keeps 0.95, at 224 Hz or slower 0.8.
    exploration_sigma, exploration_tau_s : float
        Box actions, with a known control period: while learning, each action dimension
        gets an Ornstein-Uhlenbeck offset of stationary standard deviation
        ``exploration_sigma`` (in units of the half-range) and time constant
        ``exploration_tau_s``, recorded in the actor's eligibility as more of the
        action's noise (:mod:`memctrl.learning.exploration`); evaluation (learning off)
        acts without it. ``exploration_sigma`` 0 turns it off.
        ``benchmarks/notes/learning_suite.md`` says how 0.3 and 0.1 s were chosen.
    actor_rate : float, optional
        The actor's learning rate: weight change per unit of signal and
        eligibility, per tiling (the controller multiplies it by the number of
        tilings, since each active cell carries ``1 / tilings`` of the voltage).
        Default: 0.05 for Discrete actions, 0.2 for Box actions (whose action
        trace is a few neurons' noise, a far smaller eligibility than a population's
        vote; ``benchmarks/notes/learning_suite.md`` says how 0.2 was chosen, with one
        neuron per population: not chosen again for four).
        With a Discrete action trace the rule divides it by how long the present
        state has been held (:attr:`memctrl.learning.actor_critic.ActorCriticRule.actor_step`).
    critic_rate : float
        The critic's learning rate: how far one update moves the value at the
        state just seen, per unit of TD error (the critic is a read column,
        :mod:`memctrl.learning.actor_critic`). Faster suits Pendulum-v1, slower
        the tremor task's 1 ms steps; ``benchmarks/notes/learning_suite.md`` says how
        0.1 was chosen.
    reward_rate : float
        Rate of the running means of the reward and of the TD error.
    critic_optimism : float, optional
        The critic's initial weight on every input, in [0, 1]: every state starts
        valued ``critic_optimism * horizon`` reward units above the running mean
        reward's value (:mod:`memctrl.learning.td_actor_critic`). A state
        is then valued above what visiting it teaches until it has been visited:
        the TD errors along the way taken are negative, and the actor tries other
        actions there (optimistic initial values, Sutton & Barto 2018, section
        2.6). Where every step pays the same, a critic that starts exact gives a
        TD error of 0 until the goal is reached by chance. Default: 0.25 for a
        Discrete observation space (one-hot: its states share no inputs; it cost
        FrozenLake-v1, whose steps pay 0), 0 for a Box one (coded states share their
        cells or fields, and on tiles a start above the values cost CartPole-v1);
        ``benchmarks/notes/learning_suite.md`` says how it was chosen.
    init_drive_v : float
        Initial drive of every neuron, V (sets the initial firing probability,
        about 0.4 at 1.3 V), spread evenly over the input channels.
    init_weight_spread : float
        Initial weights are uniform in +-this about the initial drive. Both
        devices of a pair start around mid-range (``g = g_mid +- w span / 2``).
    stochastic_rounding : bool
        Round weight changes to pulses stochastically (unbiased for changes below
        one level), when programming at once (``program_threshold_levels`` 0).
    max_pulses : int
        Most programming pulses one synapse receives in one programming.
    program_threshold_levels : float
        Above 0: each synapse accumulates its updates and is programmed once they
        reach this many levels, each programming followed by a verify read that
        keeps what the pair still lacks (``NetworkConfig.program_threshold``; the
        pending changes are kept in checkpoints). 0: every update is programmed at
        once. Accumulating makes up the write noise (2 % of the range per pulse)
        and the nonlinear pulse response instead of letting them add up. At 3 levels,
        below one pulse's noise (5.1 levels), the verify read chases the noise: most
        programmed pairs are left off by more than the threshold and programmed again
        at the next update. Twice the noise (10.24) cuts a Box controller's pulses 5-17
        times and its modelled energy by about half, and learned Pendulum-v1,
        MountainCarContinuous-v0 and LineFollower-v0 as well or better, but CartPole-v1,
        CliffWalking-v1 and the tremor task's tracking worse, so the default stays 3
        (2026-12-05; ``benchmarks/notes/learning_suite.md``).
    actor_modulation : {"action_trace", "signed"}
        "action_trace": the decision ticks are read-only, the chosen action is
        recorded in the eligibility (Discrete: every synapse of each population
        records its input, ``+1`` times it if the population's action was taken,
        else ``-1 / (n - 1)`` times it, whether its neuron fired or not; Box: each
        population's decision spikes minus those of a second read-only tick, the
        action's own noise) and every population gets ``+signal``; the trace may
        be long. "signed": the decision ticks are plastic; with Discrete actions
        the chosen population gets ``+signal``, the others ``-signal / (n - 1)``,
        and ``lambda_actor`` must be short.
    common_mode_share : float
        Box actions with the action trace: the share of the actor's update that
        reaches a push-pull pair's common mode. A pair's difference sets the
        action's mean, its common mode (both firing, or both silent) how noisy the
        action is, so each population's own update (share 1) also learns to
        explore less wherever exploring costs reward, until both neurons fall
        silent and, without eligibility, never learn again (the tremor task v1:
        no damping learned). At 0 the pair learns only its difference, and its
        noise falls only where the mean nears a bound (one neuron always firing,
        the other silent); ``benchmarks/notes/learning_suite.md`` says how the default
        was chosen.
    center_actor_signal : bool
        Subtract the running mean of the TD error from the actor's signal. Off by
        default: where failure is the only news (CartPole-v1) the mean is the
        failures' share, and subtracting it cancels them
        (:mod:`memctrl.learning.td_actor_critic`).
    neuron_overrides, synapse_overrides : dict, optional
        Device parameters changed from the presets (``NeuronParams`` and
        ``SynapseParams`` field name -> value, SI units), e.g. ``{"d2d_mu_cv": 0.2}``.
    """

    neuron_preset: str = "measured"
    synapse_preset: str = "epiram"
    coding: str = "tiles"
    grid_bins: tuple[int, ...] | None = None
    grid_tilings: int = 16
    fields_per_dim: int = 10
    v_total_v: float = 2.5
    scales: tuple[float, ...] | None = None
    actor_population: int | None = None
    dt_s: float = 5e-4
    substeps: int = 20
    tau_trace_s: float = 2e-3
    control_period_s: float | None = None
    gamma: float | None = None
    lambda_actor: float | None = None
    lambda_critic: float = 0.8
    exploration_sigma: float = 0.3
    exploration_tau_s: float = 0.1
    actor_rate: float | None = None
    critic_rate: float = 0.1
    reward_rate: float = 0.01
    critic_optimism: float | None = None
    init_drive_v: float = 1.3
    init_weight_spread: float = 0.05
    stochastic_rounding: bool = True
    max_pulses: int = 256
    program_threshold_levels: float = 3.0
    actor_modulation: str = "action_trace"
    common_mode_share: float = 0.0
    center_actor_signal: bool = False
    neuron_overrides: dict | None = None
    synapse_overrides: dict | None = None

    def __post_init__(self) -> None:
        check_field_types(self)
        for kind in ("neuron", "synapse"):
            overrides = getattr(self, f"{kind}_overrides")
            if overrides is None:
                continue
            if not isinstance(overrides, dict):
                raise ValueError(f"{kind}_overrides must be a mapping of {kind} parameter "
                                 f"-> number, got {shown(overrides)}")
            object.__setattr__(self, f"{kind}_overrides", {
                name: require_setting(f"{kind}_overrides.{name}", value, float)
                for name, value in overrides.items()})
        self._devices()   # unknown presets, unknown overrides, values the devices refuse
        for name in ("gamma", "lambda_actor", "lambda_critic"):
            value = getattr(self, name)
            if value is not None and not 0.0 < require_finite(name, value) < 1.0:
                raise ValueError(f"{name} must lie in (0, 1), got {value!r}")
        for name in ("actor_rate", "critic_rate", "init_weight_spread",
                     "program_threshold_levels", "exploration_sigma"):
            value = getattr(self, name)
            if value is not None and require_finite(name, value) < 0:
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        for name in ("common_mode_share", "critic_optimism"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= require_finite(name, value) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
        require_finite("init_drive_v", self.init_drive_v)
        for name in ("dt_s", "tau_trace_s", "exploration_tau_s"):   # (as named here)
            require_positive(name, getattr(self, name))
        if not MIN_DT_S <= self.dt_s <= MAX_DT_S:
            raise ValueError(f"dt_s must lie in [{MIN_DT_S:g}, {MAX_DT_S:g}] s (a substep), "
                             f"got {self.dt_s!r}")
        if self.dt_s / self.tau_trace_s > MAX_DECAY_EXPONENT:
            raise ValueError(f"tau_trace_s must be >= dt_s / {MAX_DECAY_EXPONENT:g} = "
                             f"{self.dt_s / MAX_DECAY_EXPONENT:.3g} s, got {self.tau_trace_s!r}")
        if self.control_period_s is not None and not (
                require_finite("control_period_s", self.control_period_s)
                >= MIN_CONTROL_PERIOD_S):
            raise ValueError(f"control_period_s must be at least {MIN_CONTROL_PERIOD_S:g} s, "
                             f"got {self.control_period_s!r}")
        if not 0.0 < require_finite("v_total_v", self.v_total_v) <= MAX_INPUT_V:
            raise ValueError(f"v_total_v must lie in (0, {MAX_INPUT_V:g}] V (the input "
                             f"channels' limit), got {self.v_total_v!r}")
        require_count("max_pulses", self.max_pulses)
        require_count("grid_tilings", self.grid_tilings)
        if self.grid_tilings & (self.grid_tilings - 1) or self.grid_tilings > MAX_CELLS // 2:
            raise ValueError(f"grid_tilings must be 1 or a power of two up to "
                             f"{MAX_CELLS // 2} (a grid of 2 bins within {MAX_CELLS} "
                             f"channels), got {self.grid_tilings!r}")
        require_count("fields_per_dim", self.fields_per_dim, minimum=2)
        if self.actor_population is not None:
            require_count("actor_population", self.actor_population)
        if self.coding not in CODINGS:
            raise ValueError(f"coding must be one of {CODINGS}, got {self.coding!r}")
        if self.grid_bins is not None:
            if self.coding != "tiles":
                raise ValueError(f"grid_bins needs coding 'tiles', got coding {self.coding!r}")
            for count in self.grid_bins:
                require_count("grid_bins entries", count, minimum=2)
        if self.actor_modulation not in ACTOR_MODULATIONS:
            raise ValueError(f"actor_modulation must be one of {ACTOR_MODULATIONS}, "
                             f"got {self.actor_modulation!r}")

    @classmethod
    def from_items(cls, items: dict) -> "ControllerConfig":
        """A config from fields read from YAML or JSON (settings files, sweeps,
        checkpoints); ValueError for an unknown field or a value of the wrong type
        (lists become the tuples the fields hold)."""
        require_known_names("ControllerConfig", "controller setting", items,
                            [field.name for field in dataclasses.fields(cls)])
        return cls(**items)

    def check_spaces(self, observation_space: spaces.Space) -> None:
        """ValueError, before anything is built, for a per-dimension list whose length
        does not match the observation space (naming the key, its length and the space)."""
        for name in ("scales", "grid_bins"):
            if getattr(self, name) is not None:
                require_per_dimension(name, len(getattr(self, name)),
                                      _box_dims(observation_space), observation_space)

    def resolved(self, observation_space: spaces.Space,
                 action_space: spaces.Space) -> "ControllerConfig":
        """This config with every default that depends on the spaces or the control
        period filled in: the coding and grid bins, the actor population and rate, the
        critic's optimism, the discount and the actor's trace decay (what a run's
        ``run.json`` and checkpoint show)."""
        self.check_spaces(observation_space)
        discrete = isinstance(action_space, spaces.Discrete)
        coding, bins, n_dims = self.coding, self.grid_bins, _box_dims(observation_space)
        box = isinstance(observation_space, spaces.Box) and len(observation_space.shape) == 1
        if not (box or isinstance(observation_space, spaces.Discrete)):
            raise ValueError(f"the observation space must be a 1-D Box or Discrete, "
                             f"got {observation_space}")
        if isinstance(observation_space, spaces.Discrete):
            coding = "one_hot"
        elif coding == "one_hot":
            raise ValueError(f"coding 'one_hot' needs a Discrete observation space, "
                             f"got {observation_space}")
        if coding == "tiles" and bins is None and n_dims:
            bins = auto_bins(n_dims, self.grid_tilings)
            if bins is None:
                coding = "fields"
        return dataclasses.replace(
            self, coding=coding, grid_bins=bins if coding == "tiles" else None,
            actor_population=self.actor_population or (
                16 if discrete else 4 if self.exploration_decay is not None else 1),
            actor_rate=self.actor_rate if self.actor_rate is not None
            else (0.05 if discrete else 0.2),
            critic_optimism=self.critic_optimism if self.critic_optimism is not None
            else (0.25 if coding == "one_hot" else 0.0),
            gamma=self.gamma if self.gamma is not None
            else _spanning(0.95, self.control_period_s, MIN_HORIZON_S),
            lambda_actor=self.lambda_actor if self.lambda_actor is not None
            else _spanning(0.8, self.control_period_s, MIN_ACTOR_TRACE_S))

    @property
    def exploration_decay(self) -> float | None:
        """Per-step decay of the correlated exploration, ``exp(-control_period_s /
        exploration_tau_s)``; None where it is off (no control period, or sigma 0)."""
        if self.control_period_s is None or self.exploration_sigma == 0.0:
            return None
        return math.exp(-self.control_period_s / self.exploration_tau_s)

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
        return config

    def _devices(self) -> tuple:
        """(NeuronParams, SynapseParams): the presets with the overrides applied.

        ValueError names an unknown preset or parameter, or an override value
        that the device parameters refuse.
        """
        devices = []
        for kind, preset, overrides in (
                ("neuron", neuron_preset(self.neuron_preset), self.neuron_overrides),
                ("synapse", synapse_preset(self.synapse_preset), self.synapse_overrides)):
            overrides = overrides or {}
            require_known_names(f"{kind}_overrides", f"{kind} parameter", overrides,
                                [field.name for field in dataclasses.fields(preset)])
            devices.append(preset.replace(**overrides))
        return devices[0], devices[1]


def _box_dims(space: spaces.Space) -> int:
    """Dimensions of a 1-D Box space (0 for any other space: one-hot coded, or refused)."""
    if isinstance(space, spaces.Box) and len(space.shape) == 1:
        return int(space.shape[0])
    return 0


def _spanning(per_step: float, period_s: float | None, span_s: float) -> float:
    """``per_step``, or the per-step decay ``exp(-period_s / span_s)`` that spans
    ``span_s`` where the control period is known and that decays more slowly."""
    if period_s is None:
        return per_step
    return max(per_step, math.exp(-period_s / span_s))
