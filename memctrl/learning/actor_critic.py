"""The actor-critic protocol as one rule object: critic reads, TD error, modulation.

The critic is one crossbar column (a differential pair of memristive synapses
per input channel) read by its transimpedance stage: ``V(s) = (w . u) /
v_total``, the mean weight of the active cells with tile coding, in the units
of :mod:`memctrl.learning.td_actor_critic` (about +-1). Its eligibility is
presynaptic (``e <- lambda e + u`` per step: Barto, Sutton & Anderson's ACE,
1983), so a weight changes by ``rate * delta * e`` whatever any neuron did;
the actor is populations of stochastic 1M1T1R neurons.

Per control step, with learning on (:class:`memctrl.controller.SpikingController`
calls these in order):

1. :meth:`ActorCriticRule.before_decision` on the new observation's input
   voltages: a column read gives ``V(s')``; if the reward of the previous action
   is pending, the TD error ``delta`` (:class:`memctrl.learning.TDActorCritic`)
   is computed, the actor populations and the critic program their synapses by
   ``rate * signal * eligibility`` (:meth:`memctrl.network.network.Network.apply_learning`),
   and ``V(s')`` is read again after the update (the value the next TD error
   starts from); then the critic records ``u`` in its eligibility.
2. The controller's decision ticks, one per actor population, read-only.
3. :meth:`ActorCriticRule.after_decision`: the action is recorded in the actor's
   eligibility (the action trace). This does not change the action just decided,
   so a front-end may send the action first
   (:meth:`memctrl.controller.SpikingController.decide`).
4. :meth:`ActorCriticRule.observe_reward` with the action's reward: scaled
   online (:class:`memctrl.learning.reward_scale.RewardScale`), learned at once
   on termination, else kept for step 1 of the next step.

Why a read column and not spiking critic populations (measured, see
``benchmarks/cartpole_ladder.py`` and ``benchmarks/notes/learning_suite.md``): a
critic of two populations of 256 binary neurons, whose value was a spike count
and whose eligibility followed its spikes, moved its value at a visited state a
quarter as far per unit of ``delta``, could not raise silent units, and its
sampling noise entered every TD error. On the emulated devices the read column
learns Pendulum-v1 better (seeds 0-3, 200 episodes, 20-episode evaluations:
median -303 against -370), the tremor task about as well and CartPole-v1 as well,
at about a thirtieth of the energy per step (the neurons of the two populations
ticked twice per step, 512 columns held for the whole firing window) and a tenth
of the time; ``benchmarks/notes/learning_suite.md`` has the measurements and how
``critic_rate`` was chosen.

Why the value is read again after the update (``fresh``): with a stale ``V(s)``
(read before the last update reached it) a fast critic chases its own updates;
in the device-free ladder a linear critic read stale did not learn CartPole.

Actor modulation (``ControllerConfig.actor_modulation``). The actor's signal
is ``delta``, minus its running mean if ``center_actor_signal`` (off by default).

Why the Discrete trace is presynaptic, uncentred (measured on CartPole-v1,
scratch runs of 2026-12-04, seeds 0-1, 150 episodes, 20-episode evaluations).
The ASE itself over the controller's default coding (8 tilings of 4^4, NumPy)
solves in 50-100 episodes (seeds 0-3); with the controller's critic and TD
error in place of its ACE it still solves, at ``alpha`` 1000 or 10, but with
the TD error centred it stops at 130-340: where failure is the only news the
running mean of ``delta`` is the failures' share, and subtracting it from every
step cancels them. The controller with the spike-gated trace (its decision
spikes, +-1) stopped at 150-240 with or without centring, at actor rates
0.01-0.3: a population that falls silent in a state has no eligibility there
and cannot win it back. Presynaptic, uncentred, at actor rate 0.05: 321 and
500, then with the frame's widest spread (:mod:`memctrl.coding.frame`) 500 on
seeds 0 and 2 after 200 episodes. In the suite (seeds 0-9, 300 episodes) that
solved every seed by episode 25-150 (median 50), but three slid back after
solving (final evaluations 221-228): while the pole is balanced the state is
held for many steps, the presynaptic trace builds up there as the critic's
eligibility does, and small TD errors then moved the actor as far as a failure
once did. The Discrete actor's step is therefore normalised like the critic's:
divided by how many times over the critic's eligibility holds the present state
(``ActorCriticRule.actor_step``): every seed solved by episode 75-150 (median 75),
final evaluations 408-500 (eight of ten at 475 or more).

- "action_trace" (the default): the decision ticks are read-only; then, with
  Discrete actions, every synapse of the chosen population records its input
  in its eligibility and those of the others subtract theirs
  (``Network.record_inputs`` with +1 and ``-1 / (n - 1)``: the action-signed
  trace of Barto, Sutton & Anderson's ASE, 1983, ``e += y x``), whether its
  neuron fired or not, so a population can win back a state in which it has
  fallen silent; with Box actions each push and pull population ticks
  once more, read-only, on the same input, and records its decision spikes
  minus these (the action's own noise, Gullapalli's stochastic real-valued
  unit, ``(a - mean a) x``, 1990). Every population gets ``+signal``. A
  population's mean firing then does not drift with the TD error's bias in a
  state (the drift that left Box actors silent: once silent, a neuron has no
  eligibility and never fires again). Each push-pull pair learns its
  difference (the action's mean) in full and its common mode (how noisy the
  action is) by ``common_mode_share``, 0 by default: where exploring costs
  reward, each population's own noise taught both to fire less, until the
  pair fell silent (the tremor task v1, where no damping was then learned).
- "signed": the decision ticks are plastic; with Discrete actions the chosen
  population gets ``+signal`` and the others ``-signal / (n - 1)``, with Box
  actions all get ``+signal``.

Every population is its own crossbar, so each gets its own modulation:
row-wise gating of one broadcast signal, as a chip can do. The actor's rate is
multiplied by ``rate_gain`` (the number of tilings of the coding: each active
cell carries ``1 / tilings`` of the voltage) and, with a Discrete action trace,
divided by the build-up of the present state in the critic's eligibility (1 while
the state is new, up to ``1 / (1 - lambda_critic)`` while it is held); a Box
trace (the action's noise) has zero mean and does not build up. The critic's
rate is normalised each step so that the next update moves ``V`` at the state
just recorded by ``critic_rate * delta``:
``rate = critic_rate * v_total / (e . u)`` (normalised least mean squares on the
eligibility). Where the state moves slowly from step to step (the tremor task's
1 ms steps) the eligibility already holds the state's own cells several times
over; normalising by ``u . u`` instead makes those updates about five times larger.
"""

from __future__ import annotations

import numpy as np

from memctrl._checks import require_keys, require_number
from memctrl.learning.reward_scale import RewardScale
from memctrl.learning.td_actor_critic import TDActorCritic
from memctrl.network.network import Network


class ActorCriticRule:
    """Online actor-critic learning of spiking actor populations and a read critic column.

    Parameters
    ----------
    config : memctrl.controller.ControllerConfig
        Resolved settings (``ControllerConfig.resolved``).
    actor : list of Network
        The actor populations (one per Discrete action, push and pull per Box dimension).
    critic : Network
        The critic: one neuron's column, read without ticking (:meth:`Network.read_drive`).
    discrete : bool
        Whether the actions are Discrete (one population per action).
    rate_gain : float
        Factor on the actor's learning rate (the coding's number of tilings).
    """

    def __init__(self, config, actor: list[Network], critic: Network, discrete: bool,
                 rate_gain: float) -> None:
        self.config = config
        self.actor, self.critic = actor, critic
        self.discrete = discrete
        self.traced = config.actor_modulation == "action_trace"
        self.actor_rate = config.actor_rate * rate_gain
        self.td = TDActorCritic(config.gamma, config.reward_rate)
        self.reward_scale = RewardScale()
        self.last_delta: float | None = None
        self._value: float | None = None
        self._pending_reward: float | None = None
        self._critic_rate = 0.0
        self._actor_step = self.actor_rate
        self._chosen = 0
        self._all_fired = [np.ones(net.config.n_neurons, np.int32) for net in actor]

    @property
    def actor_ticks_per_step(self) -> int:
        """Decision ticks of each actor population per step (:func:`actor_ticks_per_step`)."""
        return actor_ticks_per_step(self.config, self.discrete)

    @property
    def actor_step(self) -> float:
        """The actor's learning rate for the next update: ``actor_rate`` (times the
        tilings), for a Discrete action trace divided by how many times over the critic's
        eligibility holds the present state (1 to ``1 / (1 - lambda_critic)``)."""
        return self._actor_step

    @property
    def decision_gain(self) -> float:
        """Eligibility gain of the decision ticks: read-only with the action trace."""
        return 0.0 if self.traced else 1.0

    def begin_episode(self) -> None:
        """Forget the last value and any pending reward (a new episode has no past)."""
        self._value = None
        self._pending_reward = None

    def before_decision(self, input_v: np.ndarray) -> None:
        """Read ``V(s')``; learn the pending transition; read ``V(s')`` again and record
        ``s'`` in the critic's eligibility."""
        value = self._critic_value(input_v)
        if self._pending_reward is not None and self._value is not None:
            self._learn(self.td.delta(self._pending_reward, self._value, value))
            value = self._critic_value(input_v)
        self._value = value
        self._pending_reward = None
        self.critic.record_inputs(input_v, 1.0)
        # the next update moves V here by rate * delta * (e . u) / v_total: normalised so
        # that it is critic_rate * delta, however much of e this state already holds
        overlap = float(np.dot(self.critic.eligibility_in()[0], input_v))
        self._critic_rate = (self.config.critic_rate * self.config.v_total_v / overlap
                             if overlap > 0 else 0.0)
        # a Discrete action trace builds up while a state is held, as the critic's
        # eligibility does: its step is divided by that build-up (1 to 1 / (1 - lambda))
        if self.discrete and self.traced:
            held = overlap / float(np.dot(input_v, input_v)) if overlap > 0 else 1.0
            self._actor_step = self.actor_rate / max(held, 1.0)

    def after_decision(self, spikes: list[np.ndarray], chosen: int, input_v: np.ndarray,
                       offset: np.ndarray | None = None) -> None:
        """Record the action in the actor's eligibility (action trace); ``chosen`` is the
        population of a Discrete action (0 for Box actions); ``offset`` is the exploration
        offset each Box action dimension got, in half-ranges (None: none)."""
        self._chosen = int(chosen)
        if self.traced:
            self._record_action(spikes, input_v)
        if offset is not None:
            self._record_offset(offset)

    def _record_action(self, spikes: list[np.ndarray], input_v: np.ndarray) -> None:
        if self.discrete:
            for k, net in enumerate(self.actor):
                net.record_inputs(input_v,
                                  1.0 if k == self._chosen else -1.0 / (len(self.actor) - 1))
            return
        noise = []
        for k, net in enumerate(self.actor):
            net.reset_neurons()
            noise.append(spikes[k] - net.tick(input_v))
        # a push-pull pair learns its difference (the action's mean) in full and its common
        # mode (how noisy the action is) by common_mode_share: each population records its
        # own noise with (1 + share) / 2 and its partner's with -(1 - share) / 2 (both saw
        # the same input, so one population's traces serve for both; at share 1 the partner's
        # gain is 0 and its record is skipped)
        share = self.config.common_mode_share
        for push in range(0, len(self.actor), 2):
            for k, partner in ((push, push + 1), (push + 1, push)):
                self.actor[k].record_spikes(noise[k], (1.0 + share) / 2)
                if share < 1.0:
                    self.actor[k].record_spikes(noise[partner], -(1.0 - share) / 2)

    def _record_offset(self, offset: np.ndarray) -> None:
        # the offset is more of the action's noise, all of it in a pair's difference: an
        # offset o is o * population spikes of push minus pull, recorded as a neuron records
        # its own noise: +o/2 by each push neuron, -o/2 by each pull neuron
        for d, moved in enumerate(offset):
            for k, sign in ((2 * d, 0.5), (2 * d + 1, -0.5)):
                self.actor[k].record_spikes(self._all_fired[k], sign * float(moved))

    def observe_reward(self, reward: float, terminated: bool, truncated: bool) -> None:
        """Take the (finite) reward of the last action: scaled online (and clipped to
        +-horizon, a TD error of about 1); a terminal
        transition is learned at once, others at the next :meth:`before_decision`;
        a truncated episode ends without an update. ValueError, nothing changed, for
        a reward too large to scale (:meth:`RewardScale.scaled`)."""
        if self._value is None:
            raise RuntimeError("learn() needs act() first in each episode")
        # scaled, then clipped to what one step can say: a TD error of at most about 1
        horizon = self.td.horizon
        reward = min(max(self.reward_scale.scaled(reward), -horizon), horizon)
        self.td.observe_reward(reward)
        if terminated:
            self._learn(self.td.delta(reward, self._value, None))
        if not (terminated or truncated):
            self._pending_reward = reward

    def _critic_value(self, input_v: np.ndarray) -> float:
        return float(self.critic.read_drive(input_v)[0]) / self.config.v_total_v

    def _learn(self, delta: float) -> None:
        self.last_delta = delta
        signed = self.discrete and not self.traced
        signal = self.td.actor_signal(delta) if self.config.center_actor_signal else delta
        for k, net in enumerate(self.actor):
            chosen = not signed or k == self._chosen
            net.apply_learning(signal if chosen else -signal / (len(self.actor) - 1),
                               self._actor_step)
        self.critic.apply_learning(delta, self._critic_rate)

    def state(self) -> dict:
        """What a checkpoint keeps of the rule: the running means and reward statistics."""
        return {"reward_mean": self.td.reward_mean, "delta_mean": self.td.delta_mean,
                "reward_moments": self.reward_scale.moments.state()}

    def set_state(self, state: dict) -> None:
        """Restore :meth:`state`; ValueError naming a missing key, a value that is not a
        finite number, or a mean beyond where the rule can put it (``reward_mean`` beyond
        +-horizon, ``delta_mean`` beyond +-(3 + 2 horizon)), and nothing changes then."""
        require_keys("rule", state, ("reward_mean", "delta_mean", "reward_moments"))
        # a running mean of rewards clipped to +-horizon, and of TD errors of readouts in
        # [-1, 1] plus that mean: beyond these bounds the saved state is not one of ours
        horizon = self.td.horizon
        reward_mean = state["reward_mean"]
        if reward_mean is not None:
            reward_mean = _within("rule.reward_mean", reward_mean, horizon)
        delta_mean = _within("rule.delta_mean", state["delta_mean"], 3.0 + 2.0 * horizon)
        self.reward_scale.moments.set_state(state["reward_moments"])
        self.td.reward_mean, self.td.delta_mean = reward_mean, delta_mean


def _within(name: str, value: object, bound: float) -> float:
    value = require_number(name, value)
    if abs(value) > bound * (1.0 + 1e-9):        # (the running means' rounding)
        raise ValueError(f"{name} must lie within +-{bound:g}, got {value!r}")
    return value


def actor_ticks_per_step(config, discrete: bool) -> int:
    """Ticks of each actor population per step: two for a Box actor with the action trace
    (the decision, then the second sample), else one."""
    return 2 if config.actor_modulation == "action_trace" and not discrete else 1


def actor_eligibility_ticks_per_step(config, discrete: bool) -> int:
    """Ticks over which the actor's eligibility decays by ``lambda_actor`` each step: its
    decision ticks, plus one for a Discrete action trace (recording the inputs counts as
    a tick, :meth:`memctrl.network.network.Network.record_inputs`)."""
    traced = config.actor_modulation == "action_trace"
    return actor_ticks_per_step(config, discrete) + (1 if traced and discrete else 0)

