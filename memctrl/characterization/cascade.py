"""Cascaded connection: a downstream neuron fires from upstream spikes alone.

Neuron 0 receives the threshold-firing pulse train; neuron 1 has no input and
one recurrent synapse (weight 1) from neuron 0, so it sees the network's spike
driver (``NetworkConfig.v_spike``) whenever neuron 0's output is high.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memctrl.characterization.harness import Bench, record_spikes
from memctrl.characterization.threshold import train_stimulus
from memctrl.network.wiring import Recurrent

MAX_DURATION_S = 1.0
"""Give up after this long, s (A)."""


@dataclass(frozen=True)
class CascadeResult:
    upstream_first_s: float
    downstream_first_s: float

    @property
    def downstream_fired(self) -> bool:
        return bool(np.isfinite(self.downstream_first_s))

    @property
    def latency_s(self) -> float:
        """Downstream first spike after the upstream one, s (NaN if it never fired)."""
        return self.downstream_first_s - self.upstream_first_s


def cascade(bench: Bench) -> CascadeResult:
    """Drive neuron 0 with the pulse train and let neuron 1 listen to it only."""
    w_in = np.array([[1.0], [0.0]])
    recurrent = Recurrent.from_dense(np.array([[0.0, 0.0], [1.0, 0.0]]))
    network = bench.network(w_in, recurrent=recurrent)
    log = record_spikes(network, train_stimulus(bench), bench.ticks(MAX_DURATION_S))
    return CascadeResult(float(log.first[0]), float(log.first[1]))
