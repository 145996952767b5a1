"""The control period a gymnasium environment states (``ControllerConfig.control_period_s``)."""

from __future__ import annotations

import math

import gymnasium

PERIOD_ATTRIBUTES = ("dt_s", "dt")
"""Attributes of an unwrapped environment that state its control period, s, in the order
read: memctrl's own environments' ``dt_s``, then gymnasium's ``dt`` (Pendulum-v1, Acrobot-v1,
the MuJoCo environments)."""


def env_control_period_s(env: gymnasium.Env) -> float | None:
    """The time between two actions of ``env``, s, from the first of ``PERIOD_ATTRIBUTES``
    it has; None where it has none, or one that is not a positive finite number."""
    unwrapped = env.unwrapped
    for name in PERIOD_ATTRIBUTES:
        value = getattr(unwrapped, name, None)
        if value is None:
            continue
        try:
            period = float(value)
        except (TypeError, ValueError):
            return None
        return period if math.isfinite(period) and period > 0 else None
    return None
