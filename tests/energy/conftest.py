"""Run directories for the power-report tests, made by small real networks (NumPy reference)."""

import json
from pathlib import Path

import numpy as np
import pytest

from memctrl.device.presets import neuron_preset, synapse_preset
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.wiring import random_recurrent
from memctrl.run_record import network_record, write_run_record

THRESHOLD_FIRING_V = 0.8
"""Zhao et al. 2025, threshold firing: 0.8 V pulses, 2 ms period, 50 % duty (device-model 1.3)."""


def pulse_train(tick: int, n_inputs: int, volts: float = THRESHOLD_FIRING_V) -> np.ndarray:
    """1 ms on, 1 ms off with the default 1 ms ticks: the paper's threshold-firing protocol."""
    return np.full(n_inputs, volts if tick % 2 == 0 else 0.0)


def run_network(preset: str, ticks: int, n_neurons: int = 4, n_inputs: int = 2,
                recurrent: bool = False, learn_every: int = 0, episode_ticks: int = 0,
                synapse: str = "taox-hfox"):
    """Run a small network; returns (network, per-episode counter deltas)."""
    config = NetworkConfig(n_neurons=n_neurons, n_inputs=n_inputs,
                           neuron=neuron_preset(preset), synapse=synapse_preset(synapse))
    rng = np.random.default_rng(3)
    wiring = random_recurrent(n_neurons, 2, 0.3, rng) if recurrent else None
    net = Network(config, w_in=np.ones((n_neurons, n_inputs)), recurrent=wiring, seed=3,
                  backend="reference")
    episodes, previous = [], dict(net.counters)
    for tick in range(ticks):
        net.tick(pulse_train(tick, n_inputs))
        if learn_every and tick % learn_every == learn_every - 1:
            net.apply_learning(-1.0 if tick % (2 * learn_every) else 1.0, 0.5)
        if episode_ticks and tick % episode_ticks == episode_ticks - 1:
            now = dict(net.counters)
            episodes.append({name: now[name] - previous[name] for name in now})
            previous = now
    return net, episodes


@pytest.fixture
def make_run(tmp_path):
    """``make_run(preset, ticks, metrics=False, **network)`` -> a run directory."""
    def make(preset: str = "measured", ticks: int = 40, metrics: bool = False,
             **network) -> Path:
        directory = tmp_path / f"run-{preset}-{ticks}-{int(metrics)}"
        episode_ticks = ticks // 4 if metrics else 0
        net, episodes = run_network(preset, ticks, episode_ticks=episode_ticks, **network)
        synapse = network.get("synapse", "taox-hfox")
        write_run_record(directory, network_record(net, "test", ticks, preset, synapse))
        if metrics:
            lines = [json.dumps({"episode": index, "energy_j": 1e-9, "counters": counters})
                     for index, counters in enumerate(episodes)]
            (directory / "metrics.jsonl").write_text("\n".join(lines) + "\n")
        return directory
    return make
