"""Intrinsic plasticity: a second pulse integrates faster while the residue lasts.

Two 2 V, 20 ms pulses separated by a gap of 3 ms to 1 s (Zhao et al. 2025, Mf).
The integration time of a pulse is the time from its onset until the memristor
switches, taken as the first substep at whose end it conducts more than the
leak resistor (R_d <= R_c, so the gate follows the input). The output cannot be
used for this: after the first pulse the gate capacitor keeps the output high
through short gaps. Speed-up = first integration time - second.

At the 3 ms gap the memristor is still at the edge of conduction when the second
pulse starts, so that point moves by about +-1 ms with the substep or backend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memctrl.characterization import paper
from memctrl.characterization.harness import Bench, one_hot
from memctrl.device.neuron import memristor_resistance


@dataclass(frozen=True)
class PlasticityResult:
    """Integration times of both pulses per gap, s (NaN: no switching in the pulse)."""

    gaps_s: tuple[float, ...]
    first_s: np.ndarray
    second_s: np.ndarray

    @property
    def speedup_s(self) -> np.ndarray:
        return self.first_s - self.second_s


def paired_pulses(bench: Bench, gaps_s: tuple[float, ...] = paper.PLASTICITY_GAPS_S,
                  amplitude_v: float = paper.PLASTICITY_V,
                  pulse_s: float = paper.PLASTICITY_PULSE_S) -> PlasticityResult:
    """Integration times of two pulses, one neuron per gap."""
    n = len(gaps_s)
    width = bench.ticks(pulse_s)
    second_start = np.array([width + bench.ticks(gap) for gap in gaps_s])
    network = bench.network(one_hot(n, 1))
    r_leak = bench.params.r_leak
    first = np.full(n, np.nan)
    second = np.full(n, np.nan)
    for tick in range(int(second_start.max()) + width):
        in_first = tick < width
        in_second = (tick >= second_start) & (tick < second_start + width)
        network.tick(np.where(in_first | in_second, amplitude_v, 0.0))
        state = network.state
        conducting = memristor_resistance(state["filament"] + state["residue"],
                                          bench.params) <= r_leak
        elapsed = (tick + 1 - np.where(in_first, 0, second_start)) * bench.dt
        first = np.where(in_first & conducting & np.isnan(first), elapsed, first)
        second = np.where(in_second & conducting & np.isnan(second), elapsed, second)
    return PlasticityResult(tuple(gaps_s), first, second)
