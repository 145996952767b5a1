"""Running mean and spread of a stream of vectors (Welford's algorithm).

The controller configures itself from what it sees: unbounded observation
dimensions are scaled from their running spread
(:class:`memctrl.coding.frame.ObservationFrame`) and rewards from theirs
(:class:`memctrl.learning.reward_scale.RewardScale`). Every sample counts
equally, so the estimates settle as the run goes on (the coding and the value
scale stop moving under the learned weights) and are the same whether a run
is interrupted and resumed from a checkpoint or not.
"""

from __future__ import annotations

import numpy as np

from memctrl._checks import require_count, require_keys, require_setting

SAFE_MAGNITUDE = 1e100
"""Samples of this magnitude or more are left out (no sensor or reward reads that: a
glitch near the float range; kept in, a first such sample leaves a mean against which
every later sample's squared deviation overflows). Below it, while the sum of squares
also stays below it, an update cannot overflow (a squared deviation stays below 4e200),
so it needs no guard."""


class RunningMoments:
    """Count, mean and variance of the samples seen so far, per component.

    Parameters
    ----------
    size : int
        Components of each sample.
    """

    def __init__(self, size: int) -> None:
        self.count = 0
        self.mean = np.zeros(size)
        self._sum_sq = np.zeros(size)   # sum of squared deviations from the mean

    def update(self, sample: np.ndarray) -> bool:
        """Add one sample (shape (size,), finite: checked by the caller) and return True;
        a sample of magnitude ``SAFE_MAGNITUDE`` or more, or one whose update would
        overflow, is left out, so the statistics stay finite and usable, and False is
        returned (:meth:`accepts` tells beforehand)."""
        updated = self._updated(sample)
        if updated is None:
            return False
        self.count, self.mean, self._sum_sq = updated
        return True

    def accepts(self, sample: np.ndarray) -> bool:
        """Whether :meth:`update` would keep ``sample`` (nothing changes)."""
        if self._sum_sq.max() < SAFE_MAGNITUDE:
            return bool(abs(sample).max() < SAFE_MAGNITUDE)   # then no update overflows
        return self._updated(sample) is not None

    def _updated(self, sample: np.ndarray) -> tuple[int, np.ndarray, np.ndarray] | None:
        """(count, mean, sum_sq) with ``sample`` added, or None if it is left out."""
        if not abs(sample).max() < SAFE_MAGNITUDE:
            return None
        count = self.count + 1
        step = sample - self.mean
        mean = self.mean + step / count     # an average of samples below SAFE_MAGNITUDE
        if self._sum_sq.max() < SAFE_MAGNITUDE:
            return count, mean, self._sum_sq + step * (sample - mean)
        with np.errstate(over="ignore", invalid="ignore"):
            sum_sq = self._sum_sq + step * (sample - mean)
        if not np.isfinite(sum_sq).all():
            return None
        return count, mean, sum_sq

    @property
    def std(self) -> np.ndarray:
        """Population standard deviation (zeros before two samples)."""
        return np.sqrt(self._sum_sq / max(self.count, 1))

    def state(self) -> dict:
        """What a checkpoint keeps: ``count``, ``mean``, ``sum_sq`` (lists of floats)."""
        return {"count": self.count, "mean": self.mean.tolist(),
                "sum_sq": self._sum_sq.tolist()}

    def set_state(self, state: dict) -> None:
        """Restore :meth:`state`; ValueError if it does not fit these moments (a missing
        key, a count that is not an integer >= 0, lists that are not of numbers)."""
        require_keys("running moments", state, ("count", "mean", "sum_sq"))
        count = require_count("running moments: count", state["count"], minimum=0)
        mean, sum_sq = (np.array(require_setting(f"running moments: {key}", state[key], list),
                                 dtype=np.float64) for key in ("mean", "sum_sq"))
        if mean.shape != self.mean.shape or sum_sq.shape != self.mean.shape:
            raise ValueError(f"running moments: expected {self.mean.size} components, got "
                             f"{mean.shape} and {sum_sq.shape}")
        if not (np.all(np.abs(mean) < SAFE_MAGNITUDE) and np.all(np.isfinite(sum_sq))
                and np.all(sum_sq >= 0)):
            raise ValueError(f"running moments: mean must lie within +-{SAFE_MAGNITUDE:g}, "
                             "sum_sq must be finite and >= 0")
        self.count, self.mean, self._sum_sq = count, mean, sum_sq
