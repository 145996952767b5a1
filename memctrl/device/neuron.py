"""The 1M1T1R diffusive-memristor neuron: parameters, state and the reference step.

This module is the readable specification of the neuron. The compiled core
(``cext/_core.pyx``) mirrors :func:`neuron_step` name for name, and the tests
compare the two.

Circuit (Zhao et al., Nature Electronics 8, 1211-1221, 2025)::

    v_in --[diffusive memristor R_d(x)]--+-- gate node V (the "membrane potential")
                                         +-- C_g to ground
                                         +-- R_c to ground (leak resistor)
    V drives an NMOS; its drain, loaded by R_load from V_dd, is the output.

Compact model (the paper's supplementary notes, transcribed in
``shared/reference/device-model.md`` section 1.2). State: filament F, residue R,
gate voltage V; x = clip(F + R, 0, 1)::

    E        = (v_in - V) / (alpha + |1 - x|)        if v_in > V, else 0
    dF/dt    = -(gamma1 + beta) F + mu E              filament growth and decay
    dR/dt    = -gamma2 R + beta F                     residue: intrinsic plasticity
    R_d(x)   = R_on x + R_off (exp((1-x)/lam) - 1) / (exp(1/lam) - 1)
    C_g dV/dt = (v_in - V) / R_d - V / R_c
    output   = V > v_threshold; a spike is a rising edge of the output

Integration over one substep of device time ``h = dt / time_scale``:

- F and R: explicit Euler, then cycle-to-cycle noise
  ``dX += xi * sqrt(noise_sigma * |dX|)`` with ``xi ~ N(0, 1)`` (the compact
  model's Langevin term; ``noise_sigma = 0`` is the deterministic model), then
  clipped at 0 from below.
- V: exact with R_d frozen over the substep (exponential Euler),
  ``V <- V_inf + (V - V_inf) exp(-h g / C_g)`` with ``g = 1/R_d + 1/R_c`` and
  ``V_inf = v_in / (R_d g)``. Explicit Euler diverges here: with the memristor ON
  the gate time constant R_on C_g is 10 us.
- Energy drawn from the input, ``v_in * integral of (v_in - V(t)) / R_d dt``, is
  integrated exactly along the same exponential; the output stage draws
  ``V_dd^2 / R_load`` while the output is high.

All quantities are SI: volts, ohms, farads, seconds, joules.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from memctrl._checks import check_field_types, require_finite, require_positive


MIN_LAM = 1.0 / 708.0
"""Smallest OFF-curve shape ``lam``: ``exp(1 / lam)`` overflows a double below it."""


@dataclass(frozen=True)
class NeuronParams:
    """Parameters of the 1M1T1R neuron (SI units).

    Attributes
    ----------
    mu : float
        Field-driven filament growth rate, 1/(s V).
    alpha : float
        Field-enhancement offset near the fully formed filament, dimensionless.
    beta : float
        Filament-to-residue conversion rate, 1/s.
    gamma1 : float
        Filament diffusive decay rate, 1/s.
    gamma2 : float
        Residue decay rate (intrinsic-plasticity memory), 1/s.
    lam : float
        Shape of the OFF-state resistance curve, dimensionless.
    r_on, r_off : float
        Memristor ON and OFF resistance, ohm.
    c_gate : float
        Gate-node capacitance C_g, F.
    r_leak : float
        Leak resistor R_c from gate to ground, ohm. Sets leak and refractory time.
    v_threshold : float
        Output transistor threshold on the gate voltage, V.
    v_dd : float
        Output-stage supply, V.
    r_load : float
        Output-stage load, ohm (for the output energy only).
    noise_sigma : float
        Cycle-to-cycle noise strength of F and R, dimensionless; 0 is deterministic.
    d2d_mu_cv : float
        Device-to-device spread: coefficient of variation of a log-normal factor
        on ``mu`` drawn once per neuron; 0 gives identical devices.
    time_scale : float
        Emulated seconds per device second. 1 for devices with ms kinetics; the
        3 nm projection runs 1e5 faster, and ``time_scale = 1e5`` lets it be
        emulated at sensor rate.
    """

    mu: float
    alpha: float
    beta: float
    gamma1: float
    gamma2: float
    lam: float
    r_on: float
    r_off: float
    c_gate: float
    r_leak: float
    v_threshold: float
    v_dd: float
    r_load: float
    noise_sigma: float
    d2d_mu_cv: float
    time_scale: float = 1.0

    def __post_init__(self) -> None:
        check_field_types(self, "NeuronParams.")
        for name in ("mu", "alpha", "beta", "gamma1", "gamma2", "lam", "r_on", "r_off",
                     "c_gate", "r_leak", "v_threshold", "v_dd", "r_load", "time_scale"):
            require_positive(f"NeuronParams.{name}", getattr(self, name))
        for name in ("noise_sigma", "d2d_mu_cv"):
            value = require_finite(f"NeuronParams.{name}", getattr(self, name))
            if value < 0:
                raise ValueError(f"NeuronParams.{name} must be >= 0, got {value!r}")
        if self.lam < MIN_LAM:
            raise ValueError(f"NeuronParams.lam must be >= 1/708 (exp(1/lam) overflows a "
                             f"double below), got {self.lam!r}")
        if self.r_on >= self.r_off:
            raise ValueError(
                f"NeuronParams needs r_on < r_off, got r_on={self.r_on!r} ohm, "
                f"r_off={self.r_off!r} ohm")

    def replace(self, **changes: float) -> "NeuronParams":
        """Return a copy with some fields changed (validated like the original)."""
        return dataclasses.replace(self, **changes)

    @property
    def deterministic(self) -> "NeuronParams":
        """The same device without cycle-to-cycle noise or device-to-device spread."""
        return self.replace(noise_sigma=0.0, d2d_mu_cv=0.0)


@dataclass
class NeuronState:
    """State of a population of neurons; every array has shape (n,).

    ``output`` is the output level (gate above threshold) after the last substep.
    """

    filament: np.ndarray
    residue: np.ndarray
    v_gate: np.ndarray
    output: np.ndarray

    @classmethod
    def rest(cls, n: int) -> "NeuronState":
        """Neurons at rest: no filament, no residue, gate at 0 V."""
        return cls(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool))


@dataclass
class StepResult:
    """What one substep produced, per neuron (arrays of shape (n,))."""

    spikes: np.ndarray
    input_energy: np.ndarray
    output_energy: np.ndarray


def memristor_resistance(x: np.ndarray, params: NeuronParams) -> np.ndarray:
    """R_d(x) in ohm for filament state x (clipped to [0, 1])."""
    x = np.clip(x, 0.0, 1.0)
    shape = np.expm1((1.0 - x) / params.lam) / math.expm1(1.0 / params.lam)
    return params.r_on * x + params.r_off * shape


def neuron_step(v_in: np.ndarray, state: NeuronState, params: NeuronParams,
                mu: np.ndarray, r_leak: np.ndarray, dt: float,
                rng: np.random.Generator | None = None) -> StepResult:
    """Advance every neuron by one substep of ``dt`` emulated seconds, in place.

    Parameters
    ----------
    v_in : ndarray, shape (n,)
        Input voltage on each neuron's memristor during the substep, V.
    state : NeuronState
        Updated in place.
    params : NeuronParams
        Shared device parameters.
    mu, r_leak : ndarray, shape (n,)
        Per-neuron growth rate (1/(s V)) and leak resistor (ohm): the shared
        values, or samples with device-to-device spread.
    dt : float
        Substep in emulated seconds; the device advances ``dt / time_scale``.
    rng : numpy.random.Generator, optional
        Source of cycle-to-cycle noise; required when ``params.noise_sigma > 0``.

    Returns
    -------
    StepResult
        Rising edges of the output, and the energy (J) drawn from the input and
        by the output stage during the substep.
    """
    h = dt / params.time_scale
    f, r, v = state.filament, state.residue, state.v_gate
    x = np.clip(f + r, 0.0, 1.0)
    r_d = memristor_resistance(x, params)

    field = np.where(v_in > v, (v_in - v) / (params.alpha + np.abs(1.0 - x)), 0.0)
    d_filament = (-(params.gamma1 + params.beta) * f + mu * field) * h
    d_residue = (-params.gamma2 * r + params.beta * f) * h
    if params.noise_sigma > 0.0:
        d_filament = d_filament + rng.standard_normal(f.shape) * np.sqrt(
            params.noise_sigma * np.abs(d_filament))
        d_residue = d_residue + rng.standard_normal(r.shape) * np.sqrt(
            params.noise_sigma * np.abs(d_residue))

    conductance = 1.0 / r_d + 1.0 / r_leak
    v_inf = v_in / (r_d * conductance)
    tau = params.c_gate / conductance
    decay = np.exp(-h / tau)
    v_new = v_inf + (v - v_inf) * decay
    # integral over the substep of (v_in - V(t)) / R_d, with V(t) on the exponential
    charge_in = ((v_in - v_inf) * h - (v - v_inf) * tau * (1.0 - decay)) / r_d
    input_energy = v_in * charge_in

    state.filament = np.maximum(f + d_filament, 0.0)
    state.residue = np.maximum(r + d_residue, 0.0)
    state.v_gate = v_new
    output = v_new > params.v_threshold
    spikes = output & ~state.output
    state.output = output
    output_energy = np.where(output, params.v_dd ** 2 / params.r_load * h, 0.0)
    return StepResult(spikes, input_energy, output_energy)


def sample_device_mu(params: NeuronParams, n: int, rng: np.random.Generator) -> np.ndarray:
    """Per-neuron ``mu`` with device-to-device spread: log-normal, mean ``params.mu``."""
    if params.d2d_mu_cv == 0.0:
        return np.full(n, params.mu)
    sigma = math.sqrt(math.log1p(params.d2d_mu_cv ** 2))
    return params.mu * rng.lognormal(-0.5 * sigma ** 2, sigma, size=n)
