"""Threshold firing: the pulse-train response and the firing probability of one pulse.

- Pulse train: 0.8 V pulses, 2 ms period, 50 % duty; the paper's neuron first
  fires after about 88 ms and then gives discrete spikes (Mf). One neuron, run
  for a fixed window; the same run gives the energy per spike.
- Firing probability: one 15 ms pulse of 0.8, 0.9 or 1.0 V; the paper reports
  5 %, 76 % and 95 % (Mf). Many trials per amplitude, one neuron each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memctrl.characterization import paper
from memctrl.characterization.harness import Bench, one_hot, pulse_level, record_spikes

TRAIN_WINDOW_S = 0.5
"""Length of the pulse-train run, s (A): several times the paper's first-spike time."""

MIN_DISCRETE_SPIKES = 3
"""A neuron that gives fewer rising edges in the window has latched on (or never fired)."""


@dataclass(frozen=True)
class TrainResponse:
    """What the threshold-firing pulse train produced on one neuron."""

    first_spike_s: float
    spikes: int
    energy_j: float

    @property
    def discrete_spikes(self) -> bool:
        return self.spikes >= MIN_DISCRETE_SPIKES

    @property
    def energy_per_spike_j(self) -> float:
        return self.energy_j / self.spikes if self.spikes else float("nan")


def train_stimulus(bench: Bench, channels: int = 1):
    """The threshold-firing pulse train on ``channels`` input channels, per tick."""
    on = bench.ticks(paper.THRESHOLD_TRAIN_ON_S)
    period = bench.ticks(paper.THRESHOLD_TRAIN_PERIOD_S)
    high = np.full(channels, paper.THRESHOLD_TRAIN_V)
    low = np.zeros(channels)
    return lambda tick: high if pulse_level(tick, on, period) else low


def train_response(bench: Bench, window_s: float = TRAIN_WINDOW_S) -> TrainResponse:
    """Run one neuron under the threshold-firing pulse train for ``window_s``.

    The energy is what the neuron model draws, input (integrated v_in * i_in) plus
    output stage, over the whole window including the integration before the first
    spike.
    """
    network = bench.network(one_hot(1, 1))
    log = record_spikes(network, train_stimulus(bench), bench.ticks(window_s),
                        stop_when_all=False)
    counters = network.counters
    energy = counters["neuron_input_energy_j"] + counters["neuron_output_energy_j"]
    return TrainResponse(float(log.first[0]), int(log.counts[0]), float(energy))


def fire_probability(bench: Bench, trials: int,
                     amplitudes_v: tuple[float, ...] = paper.FIRE_AMPLITUDES_V,
                     pulse_s: float = paper.FIRE_PULSE_S) -> list[float]:
    """Fraction of ``trials`` neurons that spike during one pulse, per amplitude.

    Once the pulse ends the gate can only discharge, so spikes are counted during
    the pulse alone.
    """
    network = bench.network(one_hot(len(amplitudes_v), trials))
    amplitudes = np.asarray(amplitudes_v, dtype=np.float64)
    log = record_spikes(network, lambda tick: amplitudes, bench.ticks(pulse_s))
    fired = (log.counts > 0).reshape(len(amplitudes_v), trials)
    return [float(p) for p in fired.mean(axis=1)]
