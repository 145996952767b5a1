"""Run stimulus protocols on networks of unconnected neurons, one neuron per trial.

Every protocol builds a :class:`memctrl.network.Network` whose neurons are the
trials (or the conditions) of one experiment: each neuron listens to one input
channel with weight 1, so a channel carries one stimulus to a group of neurons.
A control tick is one substep of ``dt``, so the stimulus is set every substep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from memctrl.device.neuron import NeuronParams
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.wiring import Recurrent

DT_S = 10e-6
"""Substep of every protocol, emulated s (A). The gate node is integrated exactly,
so dt is set by the 1 ms pulses and the 3 ms filament time constant; the tests
show that a 2-4x finer step moves integration times and pulse counts by < 3 %."""


@dataclass(frozen=True)
class Bench:
    """Where a protocol runs: device parameters, backend, seed and substep."""

    params: NeuronParams
    backend: str = "compiled"
    seed: int = 0
    dt: float = DT_S

    def ticks(self, duration_s: float) -> int:
        """Whole substeps in ``duration_s`` emulated seconds."""
        return int(round(duration_s / self.dt))

    def network(self, w_in: np.ndarray, r_leak: np.ndarray | None = None,
                recurrent: Recurrent | None = None) -> Network:
        """A network with one substep per tick; ``w_in`` has shape (n_neurons, n_inputs)."""
        n_neurons, n_inputs = w_in.shape
        config = NetworkConfig(n_neurons=n_neurons, n_inputs=n_inputs, dt=self.dt,
                               substeps=1, neuron=self.params)
        return Network(config, w_in=w_in, recurrent=recurrent, seed=self.seed,
                       backend=self.backend, r_leak=r_leak)


def one_hot(channels: int, per_channel: int) -> np.ndarray:
    """Input weights that give each channel its own ``per_channel`` neurons, in order."""
    return np.repeat(np.eye(channels), per_channel, axis=0)


def pulse_level(tick: np.ndarray | int, on_ticks: int, period_ticks: np.ndarray | int) -> np.ndarray:
    """True while a pulse train (pulse first, then the gap) is on at ``tick``."""
    return np.asarray(tick) % period_ticks < on_ticks


@dataclass
class SpikeLog:
    """Spike times of each neuron: ``times[i, j]`` is neuron i's j-th spike (s), NaN if none."""

    times: np.ndarray
    counts: np.ndarray

    @property
    def first(self) -> np.ndarray:
        """First spike time of each neuron, s (NaN if it never fired)."""
        return self.times[:, 0]


def record_spikes(network: Network, stimulus: Callable[[int], np.ndarray], max_ticks: int,
                  keep: int = 1, stop_when_all: bool = True) -> SpikeLog:
    """Tick ``network`` with ``stimulus(tick)`` (input voltages, V) and log spike times.

    A spike during tick k is stamped at the end of the tick, ``(k + 1) dt``. The
    first ``keep`` spikes of each neuron are kept; with ``stop_when_all`` the run
    ends as soon as every neuron has ``keep`` of them.
    """
    n = network.config.n_neurons
    dt = network.config.dt
    times = np.full((n, keep), np.nan)
    counts = np.zeros(n, dtype=np.int64)
    for tick in range(max_ticks):
        fired = network.tick(stimulus(tick))
        if fired.any():
            index = np.flatnonzero(fired)
            slot = counts[index]
            kept = slot < keep
            times[index[kept], slot[kept]] = (tick + 1) * dt
            counts[index] += fired[index]
            if stop_when_all and np.all(counts >= keep):
                break
    return SpikeLog(times, counts)
