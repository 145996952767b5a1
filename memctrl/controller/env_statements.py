"""What a gymnasium environment states about its controller's loop: the control period
(``ControllerConfig.control_period_s``) and the corner of an AC-coupled drive
(``ControllerConfig.command_highpass_hz``)."""

from __future__ import annotations

import math

import gymnasium

PERIOD_ATTRIBUTES = ("dt_s", "dt")
"""Attributes of an unwrapped environment that state its control period, s, in the order
read: memctrl's own environments' ``dt_s``, then gymnasium's ``dt`` (Pendulum-v1, Acrobot-v1,
the MuJoCo environments)."""
DRIVE_ATTRIBUTE = "command_highpass_hz"
"""The attribute of an unwrapped environment that states the corner, Hz, of the high-pass its
actuator's commands should pass (an actuator that must hold no steady push: memctrl's tremor
tasks v1 and v2)."""


def _positive(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def env_control_period_s(env: gymnasium.Env) -> float | None:
    """The time between two actions of ``env``, s, from the first of ``PERIOD_ATTRIBUTES``
    it has; None where it has none, or one that is not a positive finite number."""
    unwrapped = env.unwrapped
    for name in PERIOD_ATTRIBUTES:
        value = getattr(unwrapped, name, None)
        if value is not None:
            return _positive(value)
    return None


def env_command_highpass_hz(env: gymnasium.Env) -> float | None:
    """The drive's corner ``env`` states (``DRIVE_ATTRIBUTE``); None where it states none,
    or one that is not a positive finite number."""
    value = getattr(env.unwrapped, DRIVE_ATTRIBUTE, None)
    return None if value is None else _positive(value)
