"""Who is wearing the orthosis: per-episode tremor and voluntary motion of ``TremorSuppression-v1``.

Each episode draws a patient: a disorder (essential tremor or Parkinsonian rest tremor), an age,
a tremor frequency from that disorder's published distribution, an amplitude that is larger when
the tremor is slower, harmonics, bursts (intermittency) and a voluntary movement. Every number is
in :class:`DisorderParameters` (:data:`ESSENTIAL`, :data:`PARKINSONIAN`) or
:class:`EpisodeParameters`, each with its source or an explicit *assumption* tag.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

_DEG = np.pi / 180.0


class DisorderParameters(NamedTuple):
    """The tremor of one disorder, as a distribution over patients (see the two instances)."""

    name: str
    share: float
    """Probability that an episode's patient has this disorder."""
    age_mean_years: float
    age_sd_years: float
    age_range_years: tuple[float, float]
    frequency_at_age_zero_hz: float
    """Intercept of the linear frequency-age relation ``f = intercept + slope * age``."""
    frequency_per_year_hz: float
    """Slope of the frequency-age relation (negative: tremor slows with age)."""
    frequency_sd_hz: float
    """Spread of the frequency across patients, age effect included (the residual spread about
    the age line is derived from it, :func:`frequency_residual_sd_hz`)."""
    frequency_range_hz: tuple[float, float]
    """Draws are clipped to this range."""
    amplitude_median_rad: float
    """Median peak wrist angle of the uncontrolled tremor at ``reference_frequency_hz``."""
    amplitude_log_sd: float
    """Standard deviation of the natural log of that amplitude across patients."""
    amplitude_frequency_exponent: float
    """``amplitude ∝ (f / reference_frequency_hz) ** exponent``: larger when slower."""
    reference_frequency_hz: float
    amplitude_range_rad: tuple[float, float]
    occurrence: float
    """Fraction of the time the tremor is present (bursts against pauses)."""
    mean_burst_s: float
    """Mean duration of a tremor burst; pauses last ``mean_burst_s * (1 - occurrence) /
    occurrence`` on average (both exponential)."""


ESSENTIAL = DisorderParameters(
    name="essential",
    share=0.5,  # assumption: the two disorders equally likely
    # Elble, Neurology 55:1547 (2000), doi:10.1212/wnl.55.10.1547: 44 patients, age 68.0 ± 9.95 years, tremor frequency
    # 5.79 ± 1.32 Hz, frequency = -0.061 (age) + 9.94 Hz (r = 0.459).
    age_mean_years=68.0, age_sd_years=9.95,
    age_range_years=(30.0, 95.0),  # assumption: adult patients
    frequency_at_age_zero_hz=9.94, frequency_per_year_hz=-0.061, frequency_sd_hz=1.32,
    frequency_range_hz=(3.0, 12.0),  # assumption: clip of the normal; 4-12 Hz ET band of
    # Deuschl et al., Mov. Disord. 13 Suppl. 3:2 (1998), widened to keep Elble's slow tail
    # Assumptions: a median of 2 deg peak (mild to moderate hand tremor, the v0 task's scale)
    # and a log spread of 0.6 (amplitude spans about an order of magnitude across patients,
    # as the logarithmic rating-amplitude relation of Elble et al. implies; not fitted).
    amplitude_median_rad=2.0 * _DEG, amplitude_log_sd=0.6,
    # Assumption: a constant tremor torque on the inertia-dominated hand above its resonance
    # gives angle ∝ 1/f^2; Elble (2000) and Hellwig et al., Clin. Neurophysiol. 120:431 (2009)
    # attribute the larger amplitude of slower tremor to this low-pass filtering by muscle
    # and limb mechanics.
    amplitude_frequency_exponent=-2.0, reference_frequency_hz=5.79,
    amplitude_range_rad=(0.2 * _DEG, 10.0 * _DEG),  # assumption: clip
    # Assumptions: essential tremor is postural and kinetic and nearly continuous while the
    # hand is held or moved; short pauses.
    occurrence=0.9, mean_burst_s=5.0,
)

PARKINSONIAN = DisorderParameters(
    name="parkinsonian",
    share=0.5,  # assumption
    # Ages: assumption, the same cohort ages as Elble (2000).
    age_mean_years=68.0, age_sd_years=9.95, age_range_years=(30.0, 95.0),
    # Rest tremor at 4-6 Hz: the band usually given for it (attributed to the MDS consensus
    # statement, Deuschl et al., Mov. Disord. 13 Suppl. 3:2, 1998; the figure was not checked
    # against that text here). Assumption: the band read as mean ± 2 SD (5.0 ± 0.5 Hz), and
    # no cross-sectional age relation (Hellwig et al. 2009 report a longitudinal fall of
    # 0.09 Hz/year, not a population slope).
    frequency_at_age_zero_hz=5.0, frequency_per_year_hz=0.0, frequency_sd_hz=0.5,
    frequency_range_hz=(3.5, 7.0),  # assumption: clip
    # Assumptions: rest tremor somewhat larger than essential tremor (median 3 deg), same
    # spread and the same mechanical amplitude-frequency relation.
    amplitude_median_rad=3.0 * _DEG, amplitude_log_sd=0.6,
    amplitude_frequency_exponent=-2.0, reference_frequency_hz=5.0,
    amplitude_range_rad=(0.2 * _DEG, 10.0 * _DEG),
    # Rest tremor can be continuous or intermittent (Malling et al., J. NeuroEng. Rehabil.
    # 16:61, 2019); assumption: present 60 % of the time in bursts of 2 s on average.
    occurrence=0.6, mean_burst_s=2.0,
)

DISORDERS = (ESSENTIAL, PARKINSONIAN)


class EpisodeParameters(NamedTuple):
    """Within an episode: the patient's voluntary movement and the shape of the tremor."""

    voluntary_frequency_range_hz: tuple[float, float] = (0.2, 2.0)
    """Drawn log-uniformly; suppression filters must pass voluntary motion up to about 1-2 Hz
    (the band the tremor-suppression literature separates; assumption: its upper end)."""
    voluntary_amplitude_range_rad: tuple[float, float] = (0.0, 0.4)
    """Excursion of the movement, sign drawn at random (assumption, as v0)."""
    harmonic_ratio_ranges: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 0.2),
                                                                              (0.0, 0.1))
    """Tremor 2nd and 3rd harmonic angle amplitudes relative to the fundamental, each uniform
    (assumption: tremor spectra show peaks beside the fundamental, Gresty & Buckwell, J. Neurol.
    Neurosurg. Psychiatry 53:976, 1990; the sizes are ours)."""
    frequency_drift: float = 0.05
    """Relative slow drift of the tremor frequency within an episode (assumption, as v0)."""
    amplitude_modulation: float = 0.3
    """Relative slow waxing and waning of the tremor within a burst (assumption, as v0)."""
    modulation_period_range_s: tuple[float, float] = (1.0, 4.0)
    start_angle_range_rad: float = 0.2
    """Start angle uniform in +-this (as v0)."""


def frequency_residual_sd_hz(disorder: DisorderParameters) -> float:
    """Spread of the frequency about the age line that gives ``frequency_sd_hz`` in all."""
    age_part = (disorder.frequency_per_year_hz * disorder.age_sd_years) ** 2
    return float(np.sqrt(disorder.frequency_sd_hz**2 - age_part))


def burst_schedule(rng: np.random.Generator, disorder: DisorderParameters,
                   duration_s: float) -> np.ndarray:
    """Times (s) at which the tremor switches off or on again, in ``(0, duration_s)``.

    The tremor is on at 0 (assumption: a trial is recorded while the patient trembles) and
    alternates at each listed time; burst and pause durations are exponential with the
    disorder's means, so that over a long time the tremor is on ``occurrence`` of it.
    """
    occurrence = disorder.occurrence
    if occurrence >= 1.0:
        return np.array([])
    mean_pause_s = disorder.mean_burst_s * (1.0 - occurrence) / occurrence
    on, times, t = True, [], 0.0
    while t < duration_s:
        t += rng.exponential(disorder.mean_burst_s if on else mean_pause_s)
        on = not on
        if t < duration_s:
            times.append(t)
    return np.array(times)


def draw_patient(rng: np.random.Generator, episode: EpisodeParameters,
                 duration_s: float, disorder_name: str | None = None) -> dict:
    """One episode's patient: disorder, age, tremor and voluntary movement.

    Everything is drawn in the same order whatever the values (the bursts, whose count
    varies, last), so that fixing one quantity through reset options does not shift the random
    stream of the others. ``disorder_name`` fixes the disorder (its draw is still made).

    Returns
    -------
    dict
        ``disorder`` (name), ``age_years``, ``tremor_frequency_hz``, ``tremor_amplitude_rad``
        (peak angle of the uncontrolled fundamental in a burst), ``harmonic_ratios`` (2nd, 3rd),
        ``burst_switch_times_s``, drift and modulation periods and phases (s, rad),
        ``voluntary_amplitude_rad``, ``voluntary_frequency_hz`` and ``start_angle_rad``.
    """
    shares = np.array([d.share for d in DISORDERS])
    disorder = DISORDERS[int(rng.choice(len(DISORDERS), p=shares / shares.sum()))]
    if disorder_name is not None:
        disorder = disorder_by_name(disorder_name)
    age = float(np.clip(rng.normal(disorder.age_mean_years, disorder.age_sd_years),
                        *disorder.age_range_years))
    frequency = float(np.clip(
        disorder.frequency_at_age_zero_hz + disorder.frequency_per_year_hz * age
        + frequency_residual_sd_hz(disorder) * rng.standard_normal(),
        *disorder.frequency_range_hz))
    median = disorder.amplitude_median_rad * (
        frequency / disorder.reference_frequency_hz) ** disorder.amplitude_frequency_exponent
    amplitude = float(np.clip(median * np.exp(disorder.amplitude_log_sd * rng.standard_normal()),
                              *disorder.amplitude_range_rad))
    low, high = episode.voluntary_frequency_range_hz
    return {
        "disorder": disorder.name,
        "age_years": age,
        "tremor_frequency_hz": frequency,
        "tremor_amplitude_rad": amplitude,
        "harmonic_ratios": tuple(float(rng.uniform(*r)) for r in episode.harmonic_ratio_ranges),
        "harmonic_phases_rad": tuple(float(rng.uniform(0.0, 2.0 * np.pi)) for _ in range(2)),
        "drift_period_s": float(rng.uniform(*episode.modulation_period_range_s)),
        "drift_phase_rad": float(rng.uniform(0.0, 2.0 * np.pi)),
        "modulation_period_s": float(rng.uniform(*episode.modulation_period_range_s)),
        "modulation_phase_rad": float(rng.uniform(0.0, 2.0 * np.pi)),
        "voluntary_amplitude_rad": float(rng.uniform(*episode.voluntary_amplitude_range_rad)
                                         * rng.choice([-1.0, 1.0])),
        "voluntary_frequency_hz": float(np.exp(rng.uniform(np.log(low), np.log(high)))),
        "start_angle_rad": float(rng.uniform(-1.0, 1.0) * episode.start_angle_range_rad),
        "burst_switch_times_s": burst_schedule(rng, disorder, duration_s),
    }


def disorder_by_name(name: str) -> DisorderParameters:
    """The disorder called ``name``; raises ValueError listing the known names."""
    for disorder in DISORDERS:
        if disorder.name == name:
            return disorder
    raise ValueError(f"unknown disorder {name!r}; known: {[d.name for d in DISORDERS]}")
