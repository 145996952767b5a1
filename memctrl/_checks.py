"""Checks at the edge: each raises ValueError naming the bad value and what is allowed."""

from __future__ import annotations

import math
import reprlib
from typing import Iterable, Mapping, Sequence, TypeVar

import numpy as np

T = TypeVar("T")

SHOWN_CHARS = 60
"""The most characters of a bad value that an error message prints."""


def shown(value: object) -> str:
    """``repr(value)`` cut to ``SHOWN_CHARS``, nested containers elided: error messages
    never print unbounded values (nor recurse into deep ones)."""
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 3, SHOWN_CHARS, SHOWN_CHARS
    text = short.repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."


def require_finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def require_positive(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not finite and > 0."""
    number = require_finite(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def require_count(name: str, value: int, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def require_vector(name: str, value: object, length: int) -> np.ndarray:
    """Return ``value`` as a contiguous float64 vector of ``length`` finite numbers."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int(np.flatnonzero(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite, got {array[bad]!r} at index {bad}")
    return np.ascontiguousarray(array, dtype=np.float64)


def require_known_names(where: str, kind: str, names: Iterable[str],
                        known: Sequence[str]) -> None:
    """Raise, naming ``where`` and listing ``known``, for the first of ``names`` not in it."""
    for name in names:
        if name not in known:
            raise ValueError(f"{where}: unknown {kind} {name!r}; valid: {', '.join(known)}")


def require_choice(kind: str, name: str, choices: Mapping[str, T]) -> T:
    """Return ``choices[name]``, or raise naming ``kind`` and listing the valid names."""
    try:
        return choices[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown {kind} {name!r}; valid: "
                         f"{', '.join(sorted(choices))}") from None


SETTING_TYPE_NAMES = {bool: "true or false", int: "an integer", float: "a number",
                      str: "a string", list: "a list of numbers"}
"""How a message names each type a settings file may hold."""


def has_setting_type(value: object, expected: type) -> bool:
    """Whether a value read from a settings file has the ``expected`` type (one of
    ``SETTING_TYPE_NAMES``): an int counts as a float, a bool as neither, a list
    must hold numbers."""
    if expected is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if expected is float:
        return isinstance(value, (int, float))
    if expected is list:
        return isinstance(value, list) and all(has_setting_type(item, float) for item in value)
    return isinstance(value, expected)
