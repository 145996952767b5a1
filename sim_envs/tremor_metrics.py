"""Tremor-suppression figures as device papers report them: tremor-band power reduction and the
change in voluntary motion, beside the RMS figure of v0.

Device studies compare the power spectral density of the limb's motion with the suppression on
and with the orthosis worn but passive ("monitoring mode"), in the tremor band, and check the
voluntary band for hindrance (WOTAS, doi:10.5772/5175; the 21 orthoses reviewed by Fromme et al.,
J. NeuroEng. Rehabil. 2019, doi:10.1186/s12984-019-0543-7, reach 30-98 % by power spectral density
or other methods). Here both runs are the same patient in
the same episode: the environment steps the passive-orthosis wrist beside the controlled one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

VOLUNTARY_BAND_HZ = (0.0, 2.0)
"""Voluntary motion: DC to 2 Hz, the upper end of the drawn voluntary movements."""
TREMOR_BAND_HZ = (2.5, 30.0)
"""Tremor band (assumption): above the voluntary band with a 0.5 Hz guard, up to 30 Hz so that
the 2nd and 3rd harmonics of most tremors and the strap's resonance are counted."""


def _spectrum(signal: ArrayLike, dt_s: float, window: bool) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(signal, dtype=np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"need a 1-D signal of at least 2 samples, got shape {values.shape}")
    if window:
        values = (values - values.mean()) * np.hanning(values.size)
    frequencies = np.fft.rfftfreq(values.size, dt_s)
    return frequencies, np.fft.rfft(values)


def band_power(signal: ArrayLike, dt_s: float, band_hz: tuple[float, float]) -> float:
    """Mean-square (the signal's unit squared) of the components of ``signal`` in
    ``low < f <= high``, from a Hann-windowed periodogram of the mean-removed signal (shape
    (n,), sampled every ``dt_s`` s); a sine of amplitude ``A`` inside the band gives ``A^2/2``."""
    frequencies, spectrum = _spectrum(signal, dt_s, window=True)
    low, high = band_hz
    inside = (frequencies > low) & (frequencies <= high)
    size = np.asarray(signal).size
    return float(2.0 * np.sum(np.abs(spectrum[inside]) ** 2)
                 / (size * np.sum(np.hanning(size) ** 2)))


def band_limited(signal: ArrayLike, dt_s: float, band_hz: tuple[float, float]) -> np.ndarray:
    """``signal`` with every Fourier component outside ``low <= f <= high`` removed."""
    frequencies, spectrum = _spectrum(signal, dt_s, window=False)
    low, high = band_hz
    spectrum[(frequencies < low) | (frequencies > high)] = 0.0
    return np.fft.irfft(spectrum, n=np.asarray(signal).size)


def power_reduction(controlled: ArrayLike, passive: ArrayLike, dt_s: float,
                    band_hz: tuple[float, float] = TREMOR_BAND_HZ) -> float:
    """``1 - P_controlled / P_passive`` in ``band_hz``: 1 is all tremor power removed, 0 none,
    negative more than with the passive orthosis. Raises if the passive run has no power."""
    reference = band_power(passive, dt_s, band_hz)
    if reference == 0.0:
        raise ValueError("the passive run has no power in the band; the reduction is undefined")
    return 1.0 - band_power(controlled, dt_s, band_hz) / reference


def voluntary_power_change(controlled: ArrayLike, passive: ArrayLike, dt_s: float) -> float:
    """``P_controlled / P_passive - 1`` in the voluntary band (0: voluntary motion unchanged,
    -0.2: 20 % of its power held back). Raises if the passive run has no power there."""
    return -power_reduction(controlled, passive, dt_s, VOLUNTARY_BAND_HZ)


def voluntary_tracking_error_rad(angle_rad: ArrayLike, intended_rad: ArrayLike,
                                 dt_s: float) -> float:
    """RMS (rad) of the voluntary-band part of ``angle - intended``: how far the slow motion
    strays from the intended one, tremor left out."""
    slow = band_limited(_tracking_error(angle_rad, intended_rad), dt_s, VOLUNTARY_BAND_HZ)
    return float(np.sqrt(np.mean(slow**2)))


def tracking_offset_rad(angle_rad: ArrayLike, intended_rad: ArrayLike) -> float:
    """Mean of ``angle - intended`` (rad, signed): the steady part of the tracking error, where
    the hand is held off the intended motion. The voluntary band holds the mean, so
    :func:`voluntary_tracking_error_rad` squared is this squared plus the mean square of what
    moves; a controller that acts on the raw sensors can hold a steady push that a high-passed
    one (the damping baseline) cannot (``benchmarks/notes/tremor_v1.md``, session 21)."""
    return float(np.mean(_tracking_error(angle_rad, intended_rad)))


def _tracking_error(angle_rad: ArrayLike, intended_rad: ArrayLike) -> np.ndarray:
    return np.asarray(angle_rad, dtype=np.float64) - np.asarray(intended_rad, dtype=np.float64)
