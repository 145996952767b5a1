"""Exploration correlated in time for Box actions: an Ornstein-Uhlenbeck offset.

A Box actor's own exploration is the binomial noise of its push-pull pair, new at
every step. Where the control step is short against what the action moves (the
tremor task's 1 ms steps: a 1 ms push moves the hand by micro-radians) that noise
averages away before the plant answers it, and nothing the critic sees tells the
actor which way its steady push should go. While learning, the controller adds to
each action dimension an offset that decays with ``time constant`` (an
Ornstein-Uhlenbeck process, Uhlenbeck & Ornstein 1930; as DDPG explores, Lillicrap
et al. 2016), in units of the action's half-range, and records the offset the
action actually got (after clipping to the bounds) in the push-pull eligibility as
more of the action's noise (:meth:`memctrl.learning.actor_critic.ActorCriticRule.after_decision`).

It is the controller's exploration, not the devices' noise: on hardware it is a
small digital generator beside the decoder (a pseudo-random source and one
multiply-add per action dimension and step). ``benchmarks/notes/learning_suite.md`` and
``benchmarks/notes/tremor_v1.md`` give the measurements behind the defaults
(:class:`memctrl.controller.ControllerConfig`, ``exploration_sigma`` and
``exploration_tau_s``).
"""

from __future__ import annotations

import math

import numpy as np


class CorrelatedExploration:
    """An Ornstein-Uhlenbeck offset per action dimension, reset to 0 at each episode.

    Parameters
    ----------
    n_dims : int
        Action dimensions.
    sigma : float
        Stationary standard deviation of the offset, in units of the action's half-range.
    decay : float
        Per-step factor of the offset, in [0, 1): ``exp(-control period / time constant)``.
    rng : numpy.random.Generator
        Draws until the first :meth:`reset`.
    """

    def __init__(self, n_dims: int, sigma: float, decay: float,
                 rng: np.random.Generator) -> None:
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"decay must lie in [0, 1), got {decay!r}")
        self.sigma, self.decay = float(sigma), float(decay)
        self._innovation = self.sigma * math.sqrt(1.0 - self.decay**2)
        self.offset = np.zeros(n_dims)
        self._rng = rng

    def reset(self, rng: np.random.Generator) -> None:
        """Start an episode: the offset to 0, draws from ``rng``."""
        self.offset[:] = 0.0
        self._rng = rng

    def perturb(self, unit_action: np.ndarray) -> np.ndarray:
        """Advance the offset one step; the offset the action ``unit_action`` (in units of
        the half-range, each entry in [-1, 1]) gets once clipped to [-1, 1]."""
        self.offset = (self.decay * self.offset
                       + self._innovation * self._rng.standard_normal(self.offset.size))
        return np.clip(unit_action + self.offset, -1.0, 1.0) - unit_action
