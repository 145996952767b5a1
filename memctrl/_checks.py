"""Checks at the edge: each raises ValueError naming the bad value and what is allowed
(:func:`require_regular_file` OSError, as the read it guards would)."""

from __future__ import annotations

import dataclasses
import errno
import functools
import math
import reprlib
from pathlib import Path
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
    """Return ``value`` as a float, or raise if it is not a finite real number (a bool
    or a string is not one)."""
    if isinstance(value, (bool, str, bytes)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def require_number(name: str, value: object) -> float:
    """A number read from a file (JSON, YAML): an int or float, not a string or a bool,
    finite; ValueError naming ``name`` otherwise."""
    if not has_setting_type(value, float):
        raise ValueError(f"{name} must be a finite number, got {shown(value)}")
    return require_finite(name, value)


def require_keys(where: str, mapping: object, keys: Sequence[str]) -> dict:
    """``mapping`` if it is a dict with exactly ``keys``; else ValueError naming ``where``
    and the first missing or unexpected key."""
    if not isinstance(mapping, dict):
        raise ValueError(f"{where} must be a mapping, got {shown(mapping)}")
    for key in keys:
        if key not in mapping:
            raise ValueError(f"{where} lacks the key {key!r}")
    for key in mapping:
        if key not in keys:
            raise ValueError(f"{where} has an unexpected key {shown(key)}")
    return mapping


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


def plain(value: object) -> object:
    """A NumPy scalar as the Python number or bool it holds; anything else as it is."""
    return value.item() if isinstance(value, np.generic) else value


def require_setting(name: str, value: object, expected: type) -> object:
    """``value`` if it has the ``expected`` setting type (``has_setting_type``), with NumPy
    scalars as Python numbers and a list as a tuple (of Python numbers), so that it can
    be stored and written to JSON; else ValueError naming ``name``."""
    if expected is list and isinstance(value, (list, tuple, np.ndarray)):
        value = [plain(item) for item in value]
    value = plain(value)
    if not has_setting_type(value, expected):
        raise ValueError(f"{name} must be {SETTING_TYPE_NAMES[expected]}, got {shown(value)}"
                         f"{_yaml_number_hint(value, expected)}")
    return tuple(value) if expected is list else value


def _yaml_number_hint(value: object, expected: type) -> str:
    """For a number YAML read as text (YAML 1.1 needs a dot and a signed exponent:
    ``1.0e+10``, not ``1e10`` or ``1.0e10``): how to write it; else ""."""
    if expected not in (int, float) or not isinstance(value, str):
        return ""
    try:
        number = float(value)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    mantissa, exponent = np.format_float_scientific(number, unique=True,
                                                    exp_digits=2).split("e")
    mantissa += "0" if mantissa.endswith(".") else ""
    return f" (YAML reads {value} as text: write {mantissa}e{exponent}, with a dot and a " \
           "signed exponent)"


@functools.cache
def field_types(cls: type) -> dict[str, tuple[type, bool]]:
    """Dataclass field -> (its setting type, whether None is allowed), read from the
    annotations ``bool``, ``int``, ``float``, ``str`` and ``tuple[...]`` (a list of
    numbers), each optionally ``| None``; fields of other types are left out."""
    names = {"int": int, "float": float, "bool": bool, "str": str}
    kinds = {}
    for field in dataclasses.fields(cls):
        base, *rest = (part.strip() for part in str(field.type).split("|"))
        kind = list if base.startswith("tuple[") else names.get(base)
        if kind is not None:
            kinds[field.name] = (kind, "None" in rest)
    return kinds


def check_field_types(instance: object, prefix: str = "") -> None:
    """ValueError naming the field (``prefix`` + name) for a field of the frozen dataclass
    ``instance`` whose value lacks its annotated type (:func:`field_types`): bools must be
    bools, ints ints (not bools), strings strings. NumPy scalars are stored as Python
    numbers and lists as tuples."""
    for name, (expected, optional) in field_types(type(instance)).items():
        value = getattr(instance, name)
        if not (optional and value is None):
            object.__setattr__(instance, name, require_setting(prefix + name, value, expected))


def require_regular_file(path: Path | str) -> None:
    """OSError if ``path`` exists and is not a regular file (a named pipe would block its
    reader, a device such as /dev/zero never end it); a missing one is the reader's to tell."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file", str(path))
