"""The spiking actor-critic protocol as one rule object: critic reads, TD error, modulation.

Per control step, with learning on (:class:`memctrl.controller.SpikingController`
calls these in order):

1. :meth:`ActorCriticRule.before_decision` on the new observation's input
   voltages: a read-only tick of the critic gives ``V(s')``; if the reward of
   the previous action is pending, the TD error ``delta``
   (:class:`memctrl.learning.TDActorCritic`) is computed and the actor
   populations program their synapses by ``rate * signal * eligibility``
   (:meth:`memctrl.network.network.Network.apply_learning`).
2. The controller's decision ticks, one per actor population, with the gain
   :attr:`ActorCriticRule.decision_gain` (0, read-only, with the action trace).
3. :meth:`ActorCriticRule.after_decision`: the critic's populations program
   their synapses by ``delta``, a plastic tick of the critic on the same input
   leaves its eligibility, and the action is recorded in the actor's eligibility
   (the action trace). None of this changes the action just decided, so a front-end
   may send the action first (:meth:`memctrl.controller.SpikingController.decide`);
   every population is its own crossbar with its own randomness, so the split
   gives the same result as programming all populations before the decision.
4. :meth:`ActorCriticRule.observe_reward` with the action's reward: scaled
   online (:class:`memctrl.learning.reward_scale.RewardScale`), learned at once
   on termination, else kept for step 1 of the next step.

The critic reads its value and leaves its eligibility in two separate ticks
(two independent samples of the stochastic neurons). A single plastic tick
would do both wrongly: its spikes would enter the eligibility that ``delta``
of the previous transition is applied to (the critic reinforcing its own
``V(s')``, a positive feedback), and the sampling noise of ``V(s)`` would
correlate with the eligibility of the same spikes (each population learning
to fall silent: with more spikes than expected in ``V(s)``, ``delta`` is
lower, and the spikes that raised ``V(s)`` are punished).

Actor modulation (``ControllerConfig.actor_modulation``). The actor's signal
is ``delta``, minus its running mean if ``center_actor_signal``.

- "action_trace" (the default): the decision ticks are read-only; then, with
  Discrete actions, the chosen population adds its decision spikes to its
  eligibility and the others subtract theirs (``Network.record_spikes`` with
  +1 and ``-1 / (n - 1)``: the action-signed trace of Barto, Sutton &
  Anderson's ASE, 1983); with Box actions each push and pull population ticks
  once more, read-only, on the same input, and records its decision spikes
  minus these (the action's own noise, Gullapalli's stochastic real-valued
  unit, ``(a - mean a) x``, 1990). Every population gets ``+signal``. A
  population's mean firing then does not drift with the TD error's bias in a
  state (the drift that left Box actors silent: once silent, a neuron has no
  eligibility and never fires again).
- "signed": the decision ticks are plastic; with Discrete actions the chosen
  population gets ``+signal`` and the others ``-signal / (n - 1)``, with Box
  actions all get ``+signal``.

Every population is its own crossbar, so each gets its own modulation:
row-wise gating of one broadcast signal, as a chip can do. Rates are
multiplied by ``rate_gain`` (the number of tilings of the coding: each active
cell carries ``1 / tilings`` of the voltage).
"""

from __future__ import annotations

import numpy as np

from memctrl._checks import require_keys, require_number
from memctrl.learning.reward_scale import RewardScale
from memctrl.learning.td_actor_critic import TDActorCritic
from memctrl.network.network import Network


class ActorCriticRule:
    """Online actor-critic learning of spiking populations.

    Parameters
    ----------
    config : memctrl.controller.ControllerConfig
        Resolved settings (``ControllerConfig.resolved``).
    actor, critic : list of Network
        The actor populations (one per Discrete action, push and pull per Box
        dimension) and the critic's ``+`` and ``-`` populations.
    discrete : bool
        Whether the actions are Discrete (one population per action).
    rate_gain : float
        Factor on both learning rates (the coding's number of tilings).
    """

    def __init__(self, config, actor: list[Network], critic: list[Network], discrete: bool,
                 rate_gain: float) -> None:
        self.config = config
        self.actor, self.critic = actor, critic
        self.discrete = discrete
        self.traced = config.actor_modulation == "action_trace"
        self.actor_rate = config.actor_rate * rate_gain
        self.critic_rate = config.critic_rate * rate_gain
        self.td = TDActorCritic(config.gamma, config.reward_rate)
        self.reward_scale = RewardScale()
        self.last_delta: float | None = None
        self._value: float | None = None
        self._pending_reward: float | None = None
        self._critic_delta: float | None = None
        self._chosen = 0

    @property
    def actor_ticks_per_step(self) -> int:
        """Decision ticks of each actor population per step (:func:`actor_ticks_per_step`)."""
        return actor_ticks_per_step(self.config, self.discrete)

    @property
    def decision_gain(self) -> float:
        """Eligibility gain of the decision ticks: read-only with the action trace."""
        return 0.0 if self.traced else 1.0

    def begin_episode(self) -> None:
        """Forget the last value and any pending reward (a new episode has no past)."""
        self._value = None
        self._pending_reward = None

    def before_decision(self, input_v: np.ndarray) -> None:
        """Read ``V(s')``; the actor learns the pending transition (the critic, in
        :meth:`after_decision`)."""
        for net in self.critic:
            net.eligibility_gain = 0.0
        value = self._critic_value(input_v)
        for net in self.critic:
            net.eligibility_gain = 1.0
        if self._pending_reward is not None and self._value is not None:
            self._critic_delta = self.td.delta(self._pending_reward, self._value, value)
            self._learn_actor(self._critic_delta)
        self._value = value
        self._pending_reward = None

    def after_decision(self, spikes: list[np.ndarray], action: int | np.ndarray,
                       input_v: np.ndarray) -> None:
        """The critic learns the pending transition and leaves its eligibility; the action
        is recorded in the actor's eligibility (action trace)."""
        if self._critic_delta is not None:
            self._learn_critic(self._critic_delta)
            self._critic_delta = None
        self._critic_value(input_v)   # the eligibility's own, independent spikes
        self._chosen = int(action) if self.discrete else 0
        if not self.traced:
            return
        for k, net in enumerate(self.actor):
            if self.discrete:
                net.record_spikes(spikes[k], 1.0 if k == action else -1.0 / (len(self.actor) - 1))
            else:
                net.reset_neurons()
                net.record_spikes(spikes[k] - net.tick(input_v), 1.0)

    def observe_reward(self, reward: float, terminated: bool, truncated: bool) -> None:
        """Take the (finite) reward of the last action: scaled online; a terminal
        transition is learned at once, others at the next :meth:`before_decision`;
        a truncated episode ends without an update. ValueError, nothing changed, for
        a reward too large to scale (:meth:`RewardScale.scaled`)."""
        if self._value is None:
            raise RuntimeError("learn() needs act() first in each episode")
        reward = self.reward_scale.scaled(reward)
        self.td.observe_reward(reward)
        if terminated:
            self._learn(self.td.delta(reward, self._value, None))
        if not (terminated or truncated):
            self._pending_reward = reward

    def _critic_value(self, input_v: np.ndarray) -> float:
        pos, neg = self.critic
        counts = []
        for net in (pos, neg):
            net.reset_neurons()
            counts.append(int(net.tick(input_v).sum()))
        return (counts[0] - counts[1]) / self.config.critic_population

    def _learn(self, delta: float) -> None:
        self._learn_actor(delta)
        self._learn_critic(delta)

    def _learn_actor(self, delta: float) -> None:
        self.last_delta = delta
        signed = self.discrete and not self.traced
        signal = self.td.actor_signal(delta) if self.config.center_actor_signal else delta
        for k, net in enumerate(self.actor):
            chosen = not signed or k == self._chosen
            net.apply_learning(signal if chosen else -signal / (len(self.actor) - 1),
                               self.actor_rate)

    def _learn_critic(self, delta: float) -> None:
        self.critic[0].apply_learning(delta, self.critic_rate)
        self.critic[1].apply_learning(-delta, self.critic_rate)

    def state(self) -> dict:
        """What a checkpoint keeps of the rule: the running means and reward statistics."""
        return {"reward_mean": self.td.reward_mean, "delta_mean": self.td.delta_mean,
                "reward_moments": self.reward_scale.moments.state()}

    def set_state(self, state: dict) -> None:
        """Restore :meth:`state`; ValueError naming a missing key or a value that is not a
        finite number, and nothing changes then."""
        require_keys("rule", state, ("reward_mean", "delta_mean", "reward_moments"))
        reward_mean = state["reward_mean"]
        if reward_mean is not None:
            reward_mean = require_number("rule.reward_mean", reward_mean)
        delta_mean = require_number("rule.delta_mean", state["delta_mean"])
        self.reward_scale.moments.set_state(state["reward_moments"])
        self.td.reward_mean, self.td.delta_mean = reward_mean, delta_mean


def actor_ticks_per_step(config, discrete: bool) -> int:
    """Ticks of each actor population per step: two for a Box actor with the action trace
    (the decision, then the second sample), else one."""
    return 2 if config.actor_modulation == "action_trace" and not discrete else 1

