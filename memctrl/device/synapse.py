"""Memristive synapses: differential conductance pairs programmed by pulses.

This module is the readable specification of the synapse; the compiled core
mirrors it name for name.

Pulse-response model (NeuroSim, github.com/neurosim/MLP_NeuroSim_V3.0; see
``shared/reference/device-model.md`` section 2). A device's conductance after
``p`` potentiation pulses from ``g_min`` is::

    G(p) = g_min + span * (1 - exp(-nu p / P)) / (1 - exp(-nu))

with ``span = g_max - g_min``, ``P = levels`` pulses from bound to bound and
``nu`` the nonlinearity (``nu -> 0`` is linear). Depression mirrors it from
``g_max`` with its own ``nu``. A pulse moves a device one step along its curve
from where it is now (the curve inverted to find the pulse number, as NeuroSim
does, which :func:`pulse_map` writes as an affine map), then adds cycle-to-cycle write noise ``N(0, c2c_sigma * span)`` and clips to
the bounds. Device-to-device spread is a log-normal factor on ``nu``, one per
synapse, drawn at construction.

NeuroSim labels nonlinearity by a number that it maps onto its curve parameter
``A`` through a table; we use ``A = P / nu``, taking the published label as
``nu`` (an assumption that keeps the sign and order of the published values).

A signed weight is ``w = (g_pos - g_neg) / span``, dimensionless in [-1, 1].
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from memctrl._checks import check_field_types, require_count, require_finite, require_positive

MAX_CONDUCTANCE_S = 1.0
"""Largest conductance accepted, S (A: a 1 ohm cell, five orders of magnitude beyond the
presets' largest, 59 uS): it catches unit mistakes before they reach the energy model."""
MAX_PULSE_V = 100.0
"""Largest write or read voltage accepted, V (A: as the input channels' limit,
``memctrl.network.network.MAX_INPUT_V``; the presets' pulses are 0.5-5 V)."""
MAX_PULSE_S = 1.0
"""Longest write pulse accepted, s (A: the presets' pulses are 50 ns-300 us)."""

LINEAR_NU = 1e-9
"""Below this nonlinearity the pulse response is treated as exactly linear."""


@dataclass(frozen=True)
class SynapseParams:
    """Parameters of one memristive synapse device (SI units).

    Attributes
    ----------
    g_min, g_max : float
        Conductance bounds, S.
    levels : int
        Pulses from one bound to the other (the number of programmable steps).
    nu_ltp, nu_ltd : float
        Nonlinearity of the potentiation and depression response, >= 0.
    c2c_sigma : float
        Cycle-to-cycle write noise per pulse, as a fraction of ``span``.
    d2d_nu_cv : float
        Device-to-device spread: coefficient of variation of ``nu`` per synapse.
    v_set, v_reset : float
        Amplitude of potentiation and depression pulses, V (magnitudes).
    t_write : float
        Programming pulse width, s.
    v_read : float
        Read voltage used to verify a write, V.
    """

    g_min: float
    g_max: float
    levels: int
    nu_ltp: float
    nu_ltd: float
    c2c_sigma: float
    d2d_nu_cv: float
    v_set: float
    v_reset: float
    t_write: float
    v_read: float

    def __post_init__(self) -> None:
        check_field_types(self, "SynapseParams.")
        for name, most, unit in (("g_min", MAX_CONDUCTANCE_S, "S"),
                                 ("g_max", MAX_CONDUCTANCE_S, "S"), ("v_set", MAX_PULSE_V, "V"),
                                 ("v_reset", MAX_PULSE_V, "V"), ("v_read", MAX_PULSE_V, "V"),
                                 ("t_write", MAX_PULSE_S, "s")):
            if require_positive(f"SynapseParams.{name}", getattr(self, name)) > most:
                raise ValueError(f"SynapseParams.{name} must be at most {most:g} {unit} (a "
                                 f"unit mistake?), got {getattr(self, name)!r}")
        require_count("SynapseParams.levels", self.levels, minimum=2)
        for name in ("nu_ltp", "nu_ltd", "c2c_sigma", "d2d_nu_cv"):
            value = require_finite(f"SynapseParams.{name}", getattr(self, name))
            if value < 0:
                raise ValueError(f"SynapseParams.{name} must be >= 0, got {value!r}")
        if self.g_min >= self.g_max:
            raise ValueError(
                f"SynapseParams needs g_min < g_max, got g_min={self.g_min!r} S, "
                f"g_max={self.g_max!r} S")

    @property
    def span(self) -> float:
        """Conductance range g_max - g_min, S."""
        return self.g_max - self.g_min

    def replace(self, **changes: float) -> "SynapseParams":
        """Return a copy with some fields changed (validated like the original)."""
        return dataclasses.replace(self, **changes)

    @property
    def deterministic(self) -> "SynapseParams":
        """The same device without write noise or device-to-device spread."""
        return self.replace(c2c_sigma=0.0, d2d_nu_cv=0.0)


def curve_fraction(pulse_fraction: np.ndarray, nu: np.ndarray) -> np.ndarray:
    """Fraction of the span reached after ``pulse_fraction * levels`` pulses."""
    linear = nu < LINEAR_NU
    safe_nu = np.where(linear, 1.0, nu)
    curved = np.expm1(-safe_nu * pulse_fraction) / np.expm1(-safe_nu)
    return np.where(linear, pulse_fraction, curved)


def pulse_map(nu: np.ndarray, levels: int) -> tuple[np.ndarray, np.ndarray]:
    """One pulse as an affine map of the fraction of the span already moved.

    A device that has moved the fraction ``f`` of its span along its curve (from
    the bound it moves away from) reaches ``min(a f + b, 1)`` after one more pulse.
    Inverting ``G(p)`` for ``p`` and stepping ``p`` by ``1 / levels`` gives exactly
    this, with ``a = exp(-nu / levels)`` and ``b = expm1(-nu / levels) / expm1(-nu)``
    (linear device: ``a = 1``, ``b = 1 / levels``), so a pulse costs no logarithm.
    Returns ``(a, b)`` per device.
    """
    nu = np.asarray(nu, dtype=np.float64)
    linear = nu < LINEAR_NU
    safe_nu = np.where(linear, 1.0, nu)
    step = np.expm1(-safe_nu / levels)
    a = np.where(linear, 1.0, 1.0 + step)
    b = np.where(linear, 1.0 / levels, step / np.expm1(-safe_nu))
    return a, b


def potentiate(g: np.ndarray, nu_ltp: np.ndarray, params: SynapseParams,
               noise: np.ndarray) -> np.ndarray:
    """Conductance after one potentiation pulse.

    ``noise`` holds standard-normal draws (zeros for a noiseless write).
    """
    a, b = pulse_map(nu_ltp, params.levels)
    reached = np.clip((g - params.g_min) / params.span, 0.0, 1.0)
    target = np.minimum(a * reached + b, 1.0)
    g_new = params.g_min + params.span * target + params.c2c_sigma * params.span * noise
    return np.clip(g_new, params.g_min, params.g_max)


def depress(g: np.ndarray, nu_ltd: np.ndarray, params: SynapseParams,
            noise: np.ndarray) -> np.ndarray:
    """Conductance after one depression pulse (the potentiation curve mirrored)."""
    a, b = pulse_map(nu_ltd, params.levels)
    released = np.clip((params.g_max - g) / params.span, 0.0, 1.0)
    target = np.minimum(a * released + b, 1.0)
    g_new = params.g_max - params.span * target + params.c2c_sigma * params.span * noise
    return np.clip(g_new, params.g_min, params.g_max)


def write_energy(g: np.ndarray, v_write: float, params: SynapseParams) -> np.ndarray:
    """Energy of one programming pulse on a device of conductance ``g``: V^2 G t, J."""
    return v_write ** 2 * g * params.t_write


def verify_energy(g_pair_sum: np.ndarray, params: SynapseParams) -> np.ndarray:
    """Energy of the verify read of a pair after programming: both devices read at
    ``v_read`` for as long as a write pulse, ``V_read^2 (g_pos + g_neg) t_write``, J
    (A: the verify read's width is our assumption)."""
    return params.v_read ** 2 * g_pair_sum * params.t_write


def weight(g_pos: np.ndarray, g_neg: np.ndarray, params: SynapseParams) -> np.ndarray:
    """Signed, dimensionless weight of differential pairs: (g_pos - g_neg) / span."""
    return (g_pos - g_neg) / params.span


def conductances_for(w: np.ndarray, params: SynapseParams) -> tuple[np.ndarray, np.ndarray]:
    """Differential pair (g_pos, g_neg) that holds weight ``w`` in [-1, 1] exactly.

    The idle device of each pair sits at ``g_min``; used for initial programming.
    """
    w = np.asarray(w, dtype=np.float64)
    if np.any(~np.isfinite(w)) or np.any(np.abs(w) > 1.0):
        raise ValueError("weights must be finite and within [-1, 1] "
                         f"(got min {np.min(w)!r}, max {np.max(w)!r})")
    g_pos = params.g_min + params.span * np.maximum(w, 0.0)
    g_neg = params.g_min + params.span * np.maximum(-w, 0.0)
    return g_pos, g_neg


def sample_device_nu(nu: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Per-synapse nonlinearity with device-to-device spread (log-normal, mean ``nu``)."""
    if cv == 0.0 or nu == 0.0:
        return np.full(n, nu)
    sigma = math.sqrt(math.log1p(cv ** 2))
    return nu * rng.lognormal(-0.5 * sigma ** 2, sigma, size=n)
