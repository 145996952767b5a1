"""Run every protocol on one neuron preset and compare with the paper.

Noise policy (one rule for all protocols, stated in the output as ``noise``):

- Protocols whose published result is one representative trace (leaky
  integration, the pulse-train first spike, intrinsic plasticity, refractory
  period, cascade, energy) run the deterministic device (``noise_sigma = 0``,
  no device-to-device spread). At the noise level that reproduces the firing
  probabilities, the compact model's Langevin term shortens integration over
  long pulse trains by half and blurs the sub-millisecond plasticity speed-ups,
  so trial means would describe the noise, not the device.
- Protocols that are statistics over trials (firing probability, latency and
  delay spread, threshold spread) run one noisy device over many trials
  (cycle-to-cycle noise on, ``d2d_mu_cv = 0``), as the paper and the Ag-device
  measurements did; the device-to-device threshold spread is reported from
  separate noiseless devices (``d2d_mu_cv`` only).
"""

from __future__ import annotations

import logging
import time

import numpy as np

from memctrl.characterization import paper
from memctrl.characterization.cascade import cascade
from memctrl.characterization.harness import DT_S, Bench
from memctrl.characterization.leaky import pulses_to_fire
from memctrl.characterization.plasticity import paired_pulses
from memctrl.characterization.refractory import mean_isi
from memctrl.characterization.stochasticity import (RAMP_RATE_V_PER_S, ramp_threshold,
                                                    switching_delay, train_latency)
from memctrl.characterization.threshold import TRAIN_WINDOW_S, fire_probability, train_response
from memctrl.device.presets import neuron_preset
from memctrl.network.cost import check_fits, tick_s

logger = logging.getLogger(__name__)

FIRE_PROBABILITY_TRIAL_FACTOR = 4
"""Trials per firing-probability point, as a multiple of ``trials`` (A): a 15 ms
pulse is cheap, and 800 trials keep the binomial error near 1.5 %."""

MS = 1e3


def _ms(values) -> list[float]:
    return [float(v) * MS for v in np.atleast_1d(values)]


def _compare(emulated: list[float], published: tuple[float, ...]) -> dict:
    ratio = paper.ratios(emulated, published)
    return {"ratio_to_paper": ratio, "within_factor_3": paper.within_tolerance(ratio)}


def characterize(preset: str = "measured", seed: int = 0, trials: int = 200,
                 backend: str = "compiled") -> dict:
    """Run the paper's six characteristics, the energy per spike and the comparison.

    Parameters
    ----------
    preset : str
        Neuron preset name (see ``memctrl.device.presets.NEURON_PRESETS``).
    seed : int
        Seeds every network (device samples and cycle-to-cycle noise).
    trials : int
        Trials per point of the stochastic protocols (the firing probability uses
        ``FIRE_PROBABILITY_TRIAL_FACTOR`` times as many).
    backend : {"compiled", "reference"}
        Network backend.

    Returns
    -------
    dict
        JSON-serialisable: one entry per protocol with the emulated values (in the
        units their keys name), the paper's values, ``ratio_to_paper`` and
        ``within_factor_3``, and whether it ran with noise; plus
        ``energy_per_spike_j`` and ``all_within_factor_3``.
    """
    if trials < 2:
        raise ValueError(f"trials must be >= 2, got {trials!r}")
    # the largest network of the protocols: the firing probability's, an input per amplitude
    amplitudes = len(paper.FIRE_AMPLITUDES_V)
    neurons = FIRE_PROBABILITY_TRIAL_FACTOR * trials * amplitudes
    check_fits(neurons * amplitudes, tick_s(neurons, 1),
               f"trials={trials} (the firing probability's network of {neurons} neurons)",
               "trials")
    params = neuron_preset(preset)
    deterministic = Bench(params.deterministic, backend, seed)
    one_device = Bench(params.replace(d2d_mu_cv=0.0), backend, seed)
    devices = Bench(params.replace(noise_sigma=0.0), backend, seed)
    started = time.perf_counter()

    leaky = pulses_to_fire(deterministic)
    train = train_response(deterministic)
    probability = fire_probability(one_device, FIRE_PROBABILITY_TRIAL_FACTOR * trials)
    plasticity = paired_pulses(deterministic)
    isi = mean_isi(deterministic)
    chain = cascade(deterministic)
    latency = train_latency(one_device, trials)
    delay = switching_delay(one_device, trials)
    threshold_cycle = ramp_threshold(one_device, trials)
    threshold_device = ramp_threshold(devices, trials)

    result = {
        "preset": preset,
        "seed": seed,
        "trials": trials,
        "backend": backend,
        "dt_s": DT_S,
        "leaky_integration": {
            "noise": False,
            "amplitude_v": paper.LEAKY_V,
            "gaps_ms": _ms(paper.LEAKY_GAPS_S),
            "pulses_to_fire": leaky,
            "paper_pulses_to_fire": list(paper.LEAKY_PULSES_TO_FIRE),
            **_compare(leaky, paper.LEAKY_PULSES_TO_FIRE),
        },
        "threshold_firing": {
            "noise": True,
            "amplitudes_v": list(paper.FIRE_AMPLITUDES_V),
            "pulse_ms": paper.FIRE_PULSE_S * MS,
            "trials_per_amplitude": FIRE_PROBABILITY_TRIAL_FACTOR * trials,
            "fire_probability": probability,
            "paper_fire_probability": list(paper.FIRE_PROBABILITY),
            **_compare(probability, paper.FIRE_PROBABILITY),
            "first_spike_noise": False,
            "first_spike_ms": train.first_spike_s * MS,
            "paper_first_spike_ms": paper.FIRST_SPIKE_S * MS,
            "first_spike_ratio_to_paper": train.first_spike_s / paper.FIRST_SPIKE_S,
            "spikes_in_window": train.spikes,
            "window_ms": TRAIN_WINDOW_S * MS,
            "discrete_spikes": train.discrete_spikes,
        },
        "intrinsic_plasticity": {
            "noise": False,
            "gaps_s": list(paper.PLASTICITY_GAPS_S),
            "integration_time_ms": _ms(plasticity.first_s[0]),
            "second_integration_ms": _ms(plasticity.second_s),
            "speedup_ms": _ms(plasticity.speedup_s),
            "paper_speedup_ms": _ms(paper.PLASTICITY_SPEEDUP_S),
            **_compare(list(plasticity.speedup_s), paper.PLASTICITY_SPEEDUP_S),
        },
        "refractory": {
            "noise": False,
            "rc_ohm": list(paper.REFRACTORY_RC_OHM),
            "mean_isi_ms": _ms(isi),
            "paper_mean_isi_ms": _ms(paper.REFRACTORY_MEAN_ISI_S),
            **_compare(isi, paper.REFRACTORY_MEAN_ISI_S),
        },
        "stochasticity": {
            "noise": True,
            "first_spike_latency_cv": latency.cv,
            "first_spike_latency_median_ms": latency.median * MS,
            "first_spike_missing": latency.missing,
            "switching_delay_v": paper.SWITCHING_DELAY_V,
            "switching_delay_median_ms": delay.median * MS,
            "switching_delay_spread_decades": delay.decades,
            "paper_switching_delay_spread_decades": paper.SWITCHING_DELAY_SPREAD_DECADES,
            "threshold_ramp_v_per_s": RAMP_RATE_V_PER_S,
            "threshold_median_v": threshold_cycle.median,
            "threshold_cv_cycle": threshold_cycle.cv,
            "threshold_cv_device": threshold_device.cv,
            "paper_threshold_cv": paper.THRESHOLD_CV,
        },
        "cascade": {
            "noise": False,
            "downstream_fired": chain.downstream_fired,
            "upstream_first_spike_ms": chain.upstream_first_s * MS,
            "latency_ms": chain.latency_s * MS,
        },
        "energy_per_spike_j": train.energy_per_spike_j,
    }
    result["all_within_factor_3"] = bool(
        all(result[key]["within_factor_3"] for key in
            ("leaky_integration", "threshold_firing", "intrinsic_plasticity", "refractory"))
        and 1 / 3 <= result["threshold_firing"]["first_spike_ratio_to_paper"] <= 3)
    logger.info("characterized preset %r in %.1f s (backend %s)", preset,
                time.perf_counter() - started, backend)
    return result
