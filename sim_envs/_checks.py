"""Validation of actions at the edge of an environment's ``step``."""

from __future__ import annotations

import numpy as np
from gymnasium import spaces


def as_box_action(action: object, space: spaces.Box) -> np.ndarray:
    """Return ``action`` as a float64 array clipped to ``space``, or raise on a malformed one.

    Parameters
    ----------
    action : array_like
        The agent's action; must have exactly ``space.shape`` and finite entries.
    space : gymnasium.spaces.Box
        The environment's action space.

    Returns
    -------
    numpy.ndarray
        A new float64 array of shape ``space.shape``; values beyond the bounds saturate at them,
        as a real actuator's command does.

    Raises
    ------
    ValueError
        If the action is not numeric, has another shape, or holds NaN or an infinity.
    """
    try:
        values = np.array(action, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"action must be numeric with shape {space.shape}, "
                         f"got {action!r}") from error
    if values.shape != space.shape:
        raise ValueError(f"action must have shape {space.shape}, "
                         f"got shape {values.shape}: {action!r}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"action must be finite, got {values.tolist()} (NaN or infinity)")
    return np.clip(values, space.low, space.high)
