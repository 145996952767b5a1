"""``EpisodeDriver``: the one protocol by which every front-end runs a controller's episodes.

The gymnasium loop (:func:`memctrl.training.loop.run_episodes`) and the ROS node
(:mod:`memctrl.ros.controller_node`) both feed it events as they come:

- :meth:`EpisodeDriver.step` with each observation: on an episode's first
  observation the controller is reset; otherwise the reward gathered since the
  last action is learned (``learn(reward)``: the update itself happens in the
  next ``act``, which reads ``V(s')``); then the action is returned;
- :meth:`EpisodeDriver.add_reward` with each reward of the last action (several
  add up, as a robot may publish them);
- :meth:`EpisodeDriver.end_episode` when the episode ends: terminated (learned
  at once, towards a terminal value 0) or truncated (no update);
- :meth:`EpisodeDriver.abandon` to end an episode without learning its last
  transition (the node's watchdog, a reset, a switch of learning).

So both front-ends give the controller the same calls in the same order, and
the same actions for the same seeds and inputs.
"""

from __future__ import annotations

import numpy as np

from memctrl._checks import require_finite
from memctrl.controller.agent import SpikingController


class EpisodeDriver:
    """Runs ``controller`` through episodes from observations, rewards and episode ends."""

    def __init__(self, controller: SpikingController) -> None:
        self.controller = controller
        self.in_episode = False
        self._reward: float | None = None

    def step(self, observation: object) -> int | np.ndarray:
        """The action for ``observation``, after learning what the last one earned.

        ValueError (from the controller) for a bad observation, before anything changes.
        """
        action = self.decide(observation)
        self.controller.complete_step()
        return action

    def decide(self, observation: object) -> int | np.ndarray:
        """:meth:`step` up to the action (``SpikingController.decide``): a front-end
        sends the action, then calls ``controller.complete_step()``; learning is the
        same as with :meth:`step`."""
        self.controller.encoder.validate(observation)
        if not self.in_episode:
            self.controller.reset()
        elif self._reward is not None:
            self.controller.learn(self._reward)
        self._reward = None
        action = self.controller.decide(observation)
        self.in_episode = True
        return action

    def add_reward(self, reward: float) -> None:
        """Add a reward of the last action (ValueError, nothing changed, if it or the sum
        so far is not a finite number, or too large for the controller to learn:
        :meth:`SpikingController.check_reward`)."""
        reward = require_finite("reward", reward)
        total = reward if self._reward is None else self._reward + reward
        self._reward = self.controller.check_reward(
            require_finite("the rewards since the last action, summed,", total))

    def end_episode(self, terminated: bool) -> None:
        """End the episode: learned at once towards a terminal state (``terminated``), or
        cut off by a time limit (no update). Nothing happens before the first action."""
        if self.in_episode:
            self.controller.learn(self._reward or 0.0, terminated=bool(terminated),
                                  truncated=not terminated)
        self.abandon()

    def abandon(self) -> None:
        """End the episode without learning its last transition."""
        self.in_episode = False
        self._reward = None
