"""The temporal-difference actor-critic signal, with reward centering.

Everything here is scalar arithmetic that a chip's controller would do once per
control step; the synapses' part (eligibility times signal, as programming
pulses) is :meth:`memctrl.network.network.Network.apply_learning`.

Critic value. The critic is one crossbar column read by its transimpedance
stage (:mod:`memctrl.learning.actor_critic`); with input voltages ``u`` summing
to ``v_total`` and weights ``w`` in [-1, 1], the value read out is::

    V(s) = horizon * ((w . u) / v_total + r_bar)      horizon = 1 / (1 - gamma)

``r_bar`` is an exponential running mean of the reward (rate ``reward_rate``):
the network only learns the deviation from the discounted value of a constant
reward ``r_bar``, so that a constant reward (CartPole's +1) does not use up its
range. A terminal state has value 0. The weights start at
``ControllerConfig.critic_optimism`` (0.25 for a one-hot code, else 0): every state then
starts valued ``critic_optimism * horizon`` above ``horizon * r_bar``.

TD error, normalized by the horizon so that it is of order 1::

    delta = (r + gamma V(s') - V(s)) / horizon        (V(s') = 0 if s' is terminal)

A truncated episode (time limit) gives no update: the controller never sees s'.

Actor signal (:meth:`TDActorCritic.actor_signal`, used with
``ControllerConfig.center_actor_signal``): ``delta - delta_bar``, with
``delta_bar`` an exponential running mean of ``delta`` (rate ``reward_rate``),
the better- or worse-than-usual part of ``delta``. Off by default: where failure
is the only news (CartPole-v1), ``delta_bar`` is the failures' share, and
subtracting it from every step cancels them (:mod:`memctrl.learning.actor_critic`).

Modulation per crossbar (row-wise, as a chip can gate a crossbar's rows): the
critic's column gets ``+delta``, every actor population ``+delta`` (its
eligibility holds only its own actions' spikes).
"""

from __future__ import annotations

from memctrl._checks import require_finite


class TDActorCritic:
    """Running reward mean and the normalized TD error of one transition."""

    def __init__(self, gamma: float, reward_rate: float) -> None:
        self.gamma = require_finite("gamma", gamma)
        if not 0.0 < self.gamma < 1.0:
            raise ValueError(f"gamma must lie in (0, 1), got {gamma!r}")
        self.reward_rate = require_finite("reward_rate", reward_rate)
        if not 0.0 < self.reward_rate <= 1.0:
            raise ValueError(f"reward_rate must lie in (0, 1], got {reward_rate!r}")
        self.horizon = 1.0 / (1.0 - self.gamma)
        self.reward_mean: float | None = None
        self.delta_mean = 0.0

    def observe_reward(self, reward: float) -> None:
        """Update the running reward mean (first reward: taken as is)."""
        if self.reward_mean is None:
            self.reward_mean = reward
        else:
            self.reward_mean += self.reward_rate * (reward - self.reward_mean)

    def delta(self, reward: float, value: float, next_value: float | None) -> float:
        """Normalized TD error; ``value``/``next_value`` are the readouts ``(w . u) / v_total``
        (``next_value=None`` for a terminal next state)."""
        r_bar = self.reward_mean if self.reward_mean is not None else reward
        v = value + r_bar
        v_next = 0.0 if next_value is None else next_value + r_bar
        return reward / self.horizon + self.gamma * v_next - v

    def actor_signal(self, delta: float) -> float:
        """``delta - delta_bar`` (before updating ``delta_bar`` with ``delta``)."""
        signal = delta - self.delta_mean
        self.delta_mean += self.reward_rate * (delta - self.delta_mean)
        return signal
