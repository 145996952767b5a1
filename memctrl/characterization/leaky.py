"""Leaky integration: pulses to the first spike grow with the gap between pulses.

0.9 V, 1 ms pulses separated by 0.4-1.2 ms gaps (Zhao et al. 2025, Mf). One
neuron per gap; the count includes the pulse during which the neuron fires.
"""

from __future__ import annotations

import numpy as np

from memctrl.characterization import paper
from memctrl.characterization.harness import Bench, one_hot, pulse_level, record_spikes

MAX_PULSES = int(paper.MAGNITUDE_TOLERANCE * max(paper.LEAKY_PULSES_TO_FIRE))
"""Give up after this many pulses (three times the paper's largest count)."""


def pulses_to_fire(bench: Bench, gaps_s: tuple[float, ...] = paper.LEAKY_GAPS_S,
                   amplitude_v: float = paper.LEAKY_V,
                   pulse_s: float = paper.LEAKY_ON_S) -> list[float]:
    """Pulses up to and including the one that fires, per gap (NaN: never fired)."""
    on = bench.ticks(pulse_s)
    periods = np.array([on + bench.ticks(gap) for gap in gaps_s])
    network = bench.network(one_hot(len(gaps_s), 1))
    log = record_spikes(network, lambda tick: amplitude_v * pulse_level(tick, on, periods),
                        max_ticks=int(MAX_PULSES * periods.max()))
    first_tick = np.round(log.first / bench.dt) - 1
    return [float(np.floor(t / p) + 1) for t, p in zip(first_tick, periods)]
