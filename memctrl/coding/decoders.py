"""Spike counts of action populations to actions.

- :class:`ArgmaxDecoder` (Discrete): one population per action; the action is
  the population with the most spikes in the tick, ties broken at random by a
  seeded generator (no spike at all: uniform).
- :class:`PushPullDecoder` (Box): two populations per action dimension; the
  action is ``mid + half_range * (push - pull) / population`` , clipped to
  the bounds.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count


class ArgmaxDecoder:
    """``n_actions`` populations of ``population`` neurons; argmax of the counts.

    Population ``k`` stands for the action ``start + k`` (a Discrete space's ``start``).
    """

    def __init__(self, n_actions: int, population: int, start: int = 0) -> None:
        self.n_actions = require_count("n_actions", n_actions, minimum=2)
        self.population = require_count("population", population)
        self.n_populations = self.n_actions
        self.start = int(start)

    def decode(self, counts: np.ndarray, rng: np.random.Generator) -> int:
        """``counts`` has shape (n_actions,): spikes of each population in the tick."""
        best = np.flatnonzero(counts == counts.max())
        return self.start + int(best[0] if best.size == 1 else best[rng.integers(best.size)])


class PushPullDecoder:
    """Per action dimension a push and a pull population (populations 2d and 2d+1)."""

    def __init__(self, space: spaces.Box, population: int) -> None:
        if len(space.shape) != 1 or space.shape[0] == 0:
            raise ValueError(f"a Box action space must be 1-D with at least one dimension, "
                             f"got shape {space.shape}")
        self.population = require_count("population", population)
        self.low = np.asarray(space.low, dtype=np.float64)
        self.high = np.asarray(space.high, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            self.half_range = (self.high - self.low) / 2
        if not np.all(np.isfinite(self.half_range)):
            bad = int(np.flatnonzero(~np.isfinite(self.half_range))[0])
            raise ValueError(f"a Box action space needs finite bounds, finitely far apart; "
                             f"dimension {bad} has low {self.low[bad]:g}, high {self.high[bad]:g}")
        self.mid = self.low + self.half_range
        self.dtype = space.dtype
        self.n_populations = 2 * int(space.shape[0])

    def unit_action(self, counts: np.ndarray) -> np.ndarray:
        """The action of ``counts`` (shape (2 n_dims,)) in units of the half-range about
        the middle: ``(push - pull) / population``, in [-1, 1]."""
        return (counts[0::2] - counts[1::2]) / self.population

    def decode(self, counts: np.ndarray, rng: np.random.Generator,
               offset: np.ndarray | float = 0.0) -> np.ndarray:
        """``counts`` has shape (2 n_dims,); returns an action of the space's dtype, moved
        by ``offset`` half-ranges (exploration, :mod:`memctrl.learning.exploration`)."""
        action = self.mid + self.half_range * (self.unit_action(counts) + offset)
        return np.clip(action, self.low, self.high).astype(self.dtype)


def make_decoder(space: spaces.Space, population: int) -> ArgmaxDecoder | PushPullDecoder:
    """The decoder for a Discrete or Box action space; ValueError for any other."""
    if isinstance(space, spaces.Discrete):
        return ArgmaxDecoder(int(space.n), population, int(space.start))
    if isinstance(space, spaces.Box):
        return PushPullDecoder(space, population)
    raise ValueError(f"unsupported action space {space}: only Discrete and Box are supported")
