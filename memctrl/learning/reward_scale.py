"""Online reward scaling: rewards brought into the critic's range from their running statistics.

The critic reads a value of at most about +-1 reward unit per step about the
running reward mean (:mod:`memctrl.learning.td_actor_critic`), so rewards are
scaled to vary by about 1 from step to step, down or up. The scale is::

    scale = 1 / max(SPREAD_SIGMAS * std(r), |mean(r)|)      (1 while both are 0)

over every reward seen while learning (:class:`memctrl.running_moments.RunningMoments`).
Pendulum-v1 (rewards 0 to -16 per step; random policy: mean -6.4, std 3.4) gets
about 0.1, as the hand-set ``reward_scale`` that first made it learn; CartPole-v1
(+1 every step) keeps 1. ``|mean(r)|`` enters because the terminal state's value
is 0: a terminal transition jumps by the reward level.

Small rewards are scaled up: FrozenLake-v1 pays 1 at the goal and 0 elsewhere,
and unscaled its TD errors were a twentieth of CartPole's (the value of a goal
a few steps away is ``1 / horizon`` per step). A rare reward after many zeros
comes in large (after ``N`` zeros, about ``sqrt(N) / SPREAD_SIGMAS`` units): the
rule clips scaled rewards to what one step can say
(:meth:`memctrl.learning.actor_critic.ActorCriticRule.observe_reward`).
"""

from __future__ import annotations

from typing import NoReturn

import numpy as np

from memctrl.running_moments import SAFE_MAGNITUDE, RunningMoments

SPREAD_SIGMAS = 2.5
"""Standard deviations of the reward that should fit in the critic's +-1 per step (A)."""


class RewardScale:
    """The running factor that scales rewards into the critic's range."""

    def __init__(self) -> None:
        self.moments = RunningMoments(1)

    def require_scalable(self, reward: float) -> None:
        """ValueError for a (finite) reward of magnitude ``SAFE_MAGNITUDE`` or more, or so
        large that the statistics would overflow (a glitch near the float range): kept,
        it would leave the statistics unable to take any later reward. Nothing changes."""
        if not self.moments.accepts(np.array([reward])):
            self._refuse(reward)

    def scaled(self, reward: float) -> float:
        """Add a reward (finite: checked by the caller) to the statistics and return it
        scaled; ValueError, nothing changed, for one too large (:meth:`require_scalable`)."""
        if not self.moments.update(np.array([reward])):
            self._refuse(reward)
        return reward * self.scale

    @staticmethod
    def _refuse(reward: float) -> NoReturn:
        raise ValueError(f"reward {reward!r} is too large for the running reward "
                         f"statistics ({SAFE_MAGNITUDE:g} or more, or they would overflow)")

    @property
    def scale(self) -> float:
        """The factor rewards are multiplied by before learning (1 while every reward was 0)."""
        spread = max(SPREAD_SIGMAS * float(self.moments.std[0]),
                     abs(float(self.moments.mean[0])))
        return 1.0 / spread if spread > 0 else 1.0
