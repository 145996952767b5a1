"""The frame both encoders share: an observation checked, centred and scaled to [-1, 1].

Each dimension gets a centre and a half-range (its scale):

- given ``scales``: those half-ranges, about the bounds' midpoint (0 if unbounded);
- bounded dimension (finite bounds up to ``MAX_BOUNDED_SCALE``): about the bounds'
  midpoint, its bounds for the first ``WARMUP_OBSERVATIONS`` observations seen while
  learning, then, fixed for good, the reach of those observations (``|mean - midpoint|``
  plus ``SPREAD_SIGMAS`` standard deviations) if that is narrower than the bounds (a
  constant dimension, ``low == high``, a half-range of 1);
- unbounded (or very wide) dimension: adaptive, from the running statistics of
  the observations seen while learning (:meth:`ObservationFrame.observe`): the
  running mean, and the widest spread of ``SPREAD_SIGMAS`` running standard
  deviations seen so far either side (CartPole-v1's velocities under a random
  policy: about +-1.3 m/s and +-2.0 rad/s). Before two distinct values are seen,
  ``DEFAULT_SCALE`` about 0.

Why the widest spread and not the current one: once a controller learns, its
observations narrow (a balanced pole hardly moves), so the running spread
shrinks and every learned cell would slide outwards under its weights. Measured
on CartPole-v1 with the library defaults (seeds 0 and 2, 200 episodes, scratch
runs of 2026-12-04): with the current spread seed 2 held 500 from episode 50
to 150 and then fell to 158 as the spread shrank; with the widest spread both
seeds held 500 to the end.

Why a bounded dimension's frame is narrowed once, early, and then never moves: a
space's bounds are often a sensor's full scale, far wider than the signal (the
tremor task's gyro spans about a third of the IMU's +-8.73 rad/s, its tilt a
fifth of +-pi), and the tiles there were three to five times coarser than the
signal. A frame that follows the running statistics moves under the learned
weights and cost Pendulum-v1 and CartPole-v1. Fixed after 1,000 observations it
lifted TremorSuppression-v0 (seeds 0-4: median 74.4 % against 69.1 %) and
LunarLander-v3 (three of five seeds above doing nothing, by 65-123 points), and cost a
little elsewhere: CartPole-v1 solves somewhat later (median episode 87.5 against 75,
every seed of 0-9 still solved), MountainCarContinuous-v0 lost one seed of five, Pendulum-v1
one seed's stretch result (the README's "session 9" rows; ``benchmarks/notes/learning_suite.md``
has how it was chosen). The warm-up falls in the first patient's episode of the tremor
task, so that patient sets the frame (seed 1: +-6.5 rad/s, the others +-1.7-3.9).
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_keys, require_setting, shown
from memctrl.running_moments import RunningMoments

DEFAULT_SCALE = 3.0
"""Half-range of an adaptive dimension before its statistics exist, in its own units (A)."""
MAX_BOUNDED_SCALE = 1e3
"""Bounds wider than this are treated as unbounded."""
SPREAD_SIGMAS = 2.5
"""Half-range of an adaptive dimension in running standard deviations (A: covers
about 99 % of a normal distribution; values beyond fall in the edge cells)."""
WARMUP_OBSERVATIONS = 1000
"""Observations after which a bounded dimension's frame is fixed to their reach (A: a
few episodes of most tasks, a third of one of the tremor task's)."""
GLITCH_SPREADS = 1e3
"""From the second observation on (the first sets the running mean), an observation that
puts an adaptive dimension this many times farther from its running mean than the widest
of its widest spread, ``DEFAULT_SCALE`` and its mean's magnitude is left out of the
statistics (still acted on, in the edge cells): a finite sensor glitch (1e30) would
otherwise widen that dimension's frame for good and fold every later observation into one
cell. (A: no task's signal jumps a thousandfold beyond all three from one observation to
the next; the floors keep a robot that stood still, its spread only sensor noise, learning
once it moves. Until 2026-12-07 only after the warm-up: a glitch among a run's first 1,000
observations spoiled the frame, and the checkpoint kept it.)"""
MIN_REACH_SHARE = 1e-3
"""A bounded dimension whose warm-up reach is below this share of its bounds keeps them
(A: it hardly moved, and a frame that narrow would saturate on any later value)."""


def require_per_dimension(name: str, length: int, n_dims: int, space: spaces.Space) -> None:
    """ValueError naming the setting ``name``, its ``length`` and the space when a
    per-dimension list does not give one entry per observation dimension."""
    if length != n_dims:
        shown = f"Box of shape {space.shape}" if isinstance(space, spaces.Box) else str(space)
        raise ValueError(f"{name} has {length} entries but the observation space ({shown}) "
                         f"has {n_dims} dimensions")


class ObservationFrame:
    """Centre and half-range of each dimension of a 1-D Box observation space.

    ``scales`` (array_like, optional) gives the half-ranges instead, one per dimension.
    """

    def __init__(self, space: spaces.Box, scales: np.ndarray | None = None) -> None:
        if not isinstance(space, spaces.Box) or len(space.shape) != 1:
            raise ValueError(f"the observation space must be a 1-D Box, got {space}")
        self.n_dims = int(space.shape[0])
        if self.n_dims == 0:
            raise ValueError("the observation space must have at least one dimension, "
                             f"got {space}")
        low = np.asarray(space.low, dtype=np.float64)
        high = np.asarray(space.high, dtype=np.float64)
        # halves first: bounds near the float's limit would overflow their difference
        bounded = (np.isfinite(low) & np.isfinite(high)
                   & (high / 2 - low / 2 <= MAX_BOUNDED_SCALE))
        safe_low, safe_high = np.where(bounded, low, -1.0), np.where(bounded, high, 1.0)
        self.centre = np.where(bounded, (safe_low + safe_high) / 2, 0.0)
        self.narrowable = bounded if scales is None else np.zeros(self.n_dims, dtype=bool)
        """The bounded dimensions whose frame :meth:`observe` may narrow after the warm-up."""
        self.warmed_up = False
        if scales is None:
            self.adaptive = ~bounded
            # a constant dimension (low == high) says nothing: any half-range will do
            half_range = (safe_high - safe_low) / 2
            self.scale = np.where(bounded, np.where(half_range > 0, half_range, 1.0),
                                  DEFAULT_SCALE)
        else:
            self.adaptive = np.zeros(self.n_dims, dtype=bool)
            self.scale = np.asarray(scales, dtype=np.float64).copy()
            require_per_dimension("scales", self.scale.size, self.n_dims, space)
            if self.scale.ndim != 1:
                raise ValueError(f"scales must be a flat list, got shape {self.scale.shape}")
        if not np.all(np.isfinite(self.scale) & (self.scale > 0)):
            raise ValueError(f"scales must be finite and > 0, got {self.scale!r}")
        self.initial_centre, self.initial_scale = self.centre.copy(), self.scale.copy()
        self.moments = RunningMoments(self.n_dims)
        self.widest_spread = np.zeros(self.n_dims)
        """Widest ``SPREAD_SIGMAS * std`` seen so far per dimension (0 before any spread)."""

    def validate(self, observation: object) -> np.ndarray:
        """The observation as a float64 vector.

        Raises ValueError naming a wrong shape, a non-numeric dtype or a non-finite value.
        """
        array = np.asarray(observation)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"observation must hold real numbers, got dtype {array.dtype}")
        if array.shape != (self.n_dims,):
            raise ValueError(f"observation must have shape ({self.n_dims},), got {array.shape}")
        if not np.all(np.isfinite(array)):
            bad = int(np.flatnonzero(~np.isfinite(array))[0])
            raise ValueError(f"observation must be finite, got {array[bad]!r} at index {bad}")
        return array.astype(np.float64, copy=False)

    def observe(self, observation: object) -> None:
        """Add a (checked) observation to the running statistics and move the adaptive
        dimensions' centre and scale to them; at the end of the warm-up, fix the bounded
        dimensions' scale to the observations' reach. A glitch (``GLITCH_SPREADS``) is
        left out."""
        observation = self.validate(observation)
        if self.moments.count and self._glitch(observation):
            return
        self.moments.update(observation)
        if not self.warmed_up and self.moments.count >= WARMUP_OBSERVATIONS:
            self.warmed_up = True
            reach = np.abs(self.moments.mean - self.centre) + SPREAD_SIGMAS * self.moments.std
            # a dimension that hardly moved in the warm-up keeps its bounds
            moved = reach > MIN_REACH_SHARE * self.scale
            self.scale = np.where(self.narrowable & moved, np.minimum(reach, self.scale),
                                  self.scale)
        self._adapt()

    def _glitch(self, observation: np.ndarray) -> bool:
        adaptive = self.adaptive
        if not adaptive.any():
            return False
        mean = self.moments.mean[adaptive]
        reach = np.maximum(np.maximum(self.widest_spread[adaptive], DEFAULT_SCALE),
                           np.abs(mean))
        return bool(np.any(np.abs(observation[adaptive] - mean) > GLITCH_SPREADS * reach))

    def _adapt(self) -> None:
        if not self.adaptive.any():
            return
        self.widest_spread = np.maximum(self.widest_spread, SPREAD_SIGMAS * self.moments.std)
        known = self.adaptive & (self.widest_spread > 0)
        self.centre = np.where(known, self.moments.mean, self.centre)
        self.scale = np.where(known, self.widest_spread, self.scale)

    def state(self) -> dict:
        """The running statistics, the widest spread and the fixed bounded scales (None
        during the warm-up), for checkpoints."""
        return {"moments": self.moments.state(), "widest_spread": self.widest_spread.tolist(),
                "bounded_scale": (self.scale[self.narrowable].tolist() if self.warmed_up
                                  else None)}

    def set_state(self, state: dict) -> None:
        """Restore :meth:`state`; ValueError, nothing changed, if it does not fit this space.

        A state without ``bounded_scale`` (a checkpoint of a version before the warm-up)
        keeps the bounds, as that controller learned with them."""
        if not isinstance(state, dict):
            raise ValueError(f"observation frame must be a mapping, got {shown(state)}")
        keys = ("moments", "widest_spread") + (("bounded_scale",) if "bounded_scale" in state
                                               else ())
        require_keys("observation frame", state, keys)
        widest = _saved_numbers(state, "widest_spread", self.n_dims, positive=False)
        bounded = (None if state.get("bounded_scale") is None else
                   _saved_numbers(state, "bounded_scale", int(self.narrowable.sum()),
                                  positive=True))
        self.moments.set_state(state["moments"])
        self.widest_spread = widest
        self.warmed_up = bounded is not None or "bounded_scale" not in state
        self.centre, self.scale = self.initial_centre.copy(), self.initial_scale.copy()
        if bounded is not None:
            self.scale[self.narrowable] = bounded
        self._adapt()

    def normalize(self, observation: object) -> np.ndarray:
        """The checked observation centred and scaled, clipped to [-1, 1] (clipped before
        the division, which a finite reading near the float's limit would overflow)."""
        centred = self.validate(observation) - self.centre
        return np.clip(centred, -self.scale, self.scale) / self.scale


def _saved_numbers(state: dict, key: str, length: int, positive: bool) -> np.ndarray:
    """``state[key]`` as ``length`` finite numbers, each > 0 if ``positive`` else >= 0;
    ValueError naming the key otherwise."""
    numbers = np.array(require_setting(f"observation frame: {key}", state[key], list),
                       dtype=np.float64)
    if numbers.shape != (length,) or not np.all(
            np.isfinite(numbers) & ((numbers > 0) if positive else (numbers >= 0))):
        raise ValueError(f"observation frame: {key} must be {length} finite numbers "
                         f"{'>' if positive else '>='} 0, got {shown(state[key])}")
    return numbers
