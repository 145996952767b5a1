"""Refractory period: the mean inter-spike interval grows with the leak resistor R_c.

The threshold-firing pulse train with R_c swept from 50 MOhm to 1 GOhm (Zhao et
al. 2025, Mf). After a spike the gate capacitor holds the gate near the input,
which removes the field across the memristor until the charge leaks through R_c.

The mean ISI is taken over the first ``ISIS`` intervals after the first spike
(A): the residue R keeps growing under the train, and after ~100 ms of firing
the compact model settles into one spike per input pulse at every R_c, which
is not the refractory behaviour the paper measures.
"""

from __future__ import annotations

import numpy as np

from memctrl.characterization import paper
from memctrl.characterization.harness import Bench, one_hot, record_spikes
from memctrl.characterization.threshold import train_stimulus

ISIS = 5
"""Intervals averaged per neuron (A)."""

MAX_DURATION_S = 1.0
"""Give up after this long, s (A): first spike plus five ~25 ms ISIs fit easily."""


def mean_isi(bench: Bench, rc_ohm: tuple[float, ...] = paper.REFRACTORY_RC_OHM) -> list[float]:
    """Mean of the first ``ISIS`` inter-spike intervals per leak resistor, s (NaN: too few)."""
    network = bench.network(one_hot(1, len(rc_ohm)), r_leak=np.asarray(rc_ohm, dtype=np.float64))
    log = record_spikes(network, train_stimulus(bench), bench.ticks(MAX_DURATION_S),
                        keep=ISIS + 1)
    return [float((t[-1] - t[0]) / ISIS) for t in log.times]
