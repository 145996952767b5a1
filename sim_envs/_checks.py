"""Validation at an environment's edges: actions given to ``step``, parameters given to
``__init__``."""

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


def require_positive(named: dict) -> None:
    """``ValueError`` naming the first of ``named``'s values that is not positive and finite."""
    for name, value in named.items():
        if not (np.isfinite(value) and value > 0.0):
            raise ValueError(f"{name} must be positive and finite, got {value!r}")


def require_range(name: str, value: object, item: object) -> None:
    """``ValueError`` naming ``name`` (and showing ``value``) unless ``item``, a number or a
    ``(low, high)`` pair, is finite, >= 0 and ordered."""
    low, high = item if isinstance(item, tuple) else (item, item)
    if not (np.isfinite(low) and np.isfinite(high) and 0.0 <= low <= high):
        raise ValueError(f"{name} must be finite, >= 0 and ordered (low, high), got {value!r}")


def require_modulation(frequency_drift: float, amplitude_modulation: float) -> None:
    """``ValueError`` unless a tremor's frequency drift is below 1 and its amplitude
    modulation at most 1 (both fractions of the tremor's own frequency and amplitude)."""
    if frequency_drift >= 1.0 or amplitude_modulation > 1.0:
        raise ValueError(f"frequency_drift must be < 1 and amplitude_modulation <= 1, got "
                         f"{frequency_drift} and {amplitude_modulation}")
