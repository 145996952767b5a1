"""Speed of ``Network.tick``: the compiled core against the NumPy reference.

:func:`run_bench` builds, for each size, a network with the default (noisy)
device presets, 16 input channels and about 100 random recurrent synapses per
neuron, drives it with pulsed inputs whose amplitudes drift, and times
``Network.tick`` from Python, one tick at a time, after a warm-up that brings
the network to its steady spiking state. Both backends run the same
configuration in the same process, so their ratio is measured, not estimated.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from memctrl.device.presets import DEFAULT_NEURON_PRESET, DEFAULT_SYNAPSE_PRESET
from memctrl.network.config import NetworkConfig
from memctrl.network.cost import check_fits, tick_s
from memctrl.network.network import BACKENDS, Network
from memctrl.network.wiring import random_recurrent
from memctrl.run_record import (RUN_FILE, network_record, read_run_record,
                                require_new_directory, write_run_record)

logger = logging.getLogger(__name__)

RECURRENT_WEIGHT_SCALE = 0.02
"""Recurrent weights are uniform in [-0.02, 0.02]: through the 1 V spike driver
the few inputs that are high at a time move a neuron by tens of mV, small next
to its ~1 V input pulses."""

INPUT_WEIGHT_MAX = 0.08
"""Input weights are uniform in [0, 0.08]: the channels that pulse together drive
a neuron around its firing range. With the "measured" preset and intrinsic
plasticity settled (the residue builds up over the first ~1000 ticks), about 7 %
of the neurons spike per tick; the results report the fraction measured."""


def bench_inputs(ticks: int, n_inputs: int, rng: np.random.Generator) -> np.ndarray:
    """Input voltages, shape (ticks, n_inputs), V.

    Every channel is a pulse train (one tick on, then off for 3 to 7 ticks, with
    its own period and phase), as in the paper's firing protocols; the pulse
    amplitude follows a slow sinusoid between 0.8 and 1.2 V with a random phase
    per channel, so the set of firing neurons keeps changing.
    """
    t = np.arange(ticks)[:, None]
    period = rng.integers(4, 9, size=n_inputs)
    phase = rng.integers(0, 8, size=n_inputs)
    on = (t + phase) % period == 0
    envelope = 1.0 + 0.2 * np.sin(2 * np.pi * t / 500.0 + rng.uniform(0, 2 * np.pi, n_inputs))
    return np.where(on, envelope, 0.0)


def build_network(n_neurons: int, substeps: int, n_inputs: int, per_neuron: int,
                  backend: str, seed: int) -> Network:
    """The benchmark network: default presets, random input and recurrent weights."""
    rng = np.random.default_rng(seed)
    config = NetworkConfig(n_neurons=n_neurons, n_inputs=n_inputs, substeps=substeps)
    w_in = rng.uniform(0.0, INPUT_WEIGHT_MAX, size=(n_neurons, n_inputs))
    recurrent = random_recurrent(n_neurons, per_neuron, RECURRENT_WEIGHT_SCALE, rng)
    return Network(config, w_in, recurrent, seed=seed, backend=backend)


def time_ticks(network: Network, inputs: np.ndarray, warmup: int) -> tuple[np.ndarray, float]:
    """Per-tick wall times (s) of ``network.tick`` over ``inputs[warmup:]``, and the
    mean fraction of neurons that spiked per timed tick."""
    for input_v in inputs[:warmup]:
        network.tick(input_v)
    timed = inputs[warmup:]
    times = np.empty(len(timed))
    spiking = 0
    for k, input_v in enumerate(timed):
        start = time.perf_counter()
        spikes = network.tick(input_v)
        times[k] = time.perf_counter() - start
        spiking += np.count_nonzero(spikes)
    return times, spiking / (len(timed) * network.config.n_neurons)


def reference_ticks(ticks: int, warmup: int, n_neurons: int) -> tuple[int, int]:
    """Timed and warm-up ticks of the slow reference: about 1e6 timed neuron-ticks
    (all ``ticks`` up to 500 neurons), and at most three times as many warm-up
    ticks as timed ones.

    Its timed window starts where the compiled one does but may be shorter, and
    activity still rises slowly there (intrinsic plasticity builds up), so the
    reference network is, if anything, less active and its ticks cheaper: the
    measured ratio is then a lower bound.
    """
    timed = int(min(ticks, max(20, 1_000_000 // n_neurons)))
    return timed, min(warmup, 3 * timed)


def run_bench(neurons: tuple[int, ...] = (100, 1000, 10000), substeps: int = 10,
              n_inputs: int = 16, per_neuron: int = 100, ticks: int = 2000,
              backends: tuple[str, ...] = ("compiled", "reference"), seed: int = 0,
              warmup: int = 1000, out: Path | None = None) -> dict:
    """Time ``Network.tick`` for every size and backend.

    Parameters
    ----------
    neurons : tuple of int
        Network sizes.
    substeps : int
        Substeps per tick (k).
    n_inputs, per_neuron : int
        Input channels, and recurrent synapses into each neuron.
    ticks : int
        Timed ticks of the compiled backend; the reference times fewer at large
        sizes (:func:`reference_ticks`).
    backends : tuple of str
        Any of ``"compiled"``, ``"reference"``.
    seed : int
        Seeds the weights, the inputs and the networks.
    warmup : int
        Untimed ticks before timing, enough for the network's activity to
        settle (fewer for the reference at large sizes).
    out : Path, optional
        Directory to write the run record (``run.json``) of the largest compiled
        network into, for ``memctrl report``.

    Returns
    -------
    dict
        ``{"results": [{"backend", "neurons", "substeps", "median_us", "p99_us",
        "ticks", "spiking_fraction"}, ...], "ratios": [{"neurons",
        "reference_over_compiled"}, ...], "kernel_isa": str}``; the ratio is of
        median tick times, for sizes where both backends ran.
    """
    for backend in backends:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    for n in neurons:   # the recurrent synapses too, which the network's own check leaves out
        check_fits(n * (n_inputs + per_neuron), tick_s(n, substeps),
                   f"a bench network of {n} neurons ({n_inputs} inputs and {per_neuron} "
                   "recurrent synapses each)", "--neurons or --substeps")
    if out is not None and not _holds_only_a_bench_record(Path(out)):
        require_new_directory(out, "choose a new --out (bench replaces only a run.json of "
                                   "`memctrl bench`)")
    results = []
    medians: dict[tuple[str, int], float] = {}
    recorded: tuple[Network, int] | None = None
    for n in neurons:
        for backend in backends:
            if backend == "compiled":
                timed, warm = ticks, warmup
            else:
                timed, warm = reference_ticks(ticks, warmup, n)
            inputs = bench_inputs(warm + timed, n_inputs, np.random.default_rng(seed))
            network = build_network(n, substeps, n_inputs, per_neuron, backend, seed)
            times, spiking = time_ticks(network, inputs, warm)
            row = {"backend": backend, "neurons": n, "substeps": substeps,
                   "median_us": float(np.median(times) * 1e6),
                   "p99_us": float(np.percentile(times, 99) * 1e6),
                   "ticks": timed, "spiking_fraction": spiking}
            logger.info("bench %s n=%d k=%d: median %.1f us, p99 %.1f us per tick "
                        "(%d ticks, %.3f of neurons spike per tick)", backend, n, substeps,
                        row["median_us"], row["p99_us"], timed, spiking)
            results.append(row)
            medians[backend, n] = row["median_us"]
            if backend == "compiled" and (recorded is None or n > recorded[0].config.n_neurons):
                recorded = network, warm + timed
    ratios = [{"neurons": n,
               "reference_over_compiled": medians["reference", n] / medians["compiled", n]}
              for n in neurons if ("reference", n) in medians and ("compiled", n) in medians]
    result = {"results": results, "ratios": ratios, "kernel_isa": _kernel_isa(backends)}
    if out is not None:
        if recorded is None:
            raise ValueError("--out needs the compiled backend: it records the compiled run")
        record = network_record(recorded[0], "bench", recorded[1], neuron_preset=DEFAULT_NEURON_PRESET,
                                synapse_preset=DEFAULT_SYNAPSE_PRESET)
        result["run_record"] = str(write_run_record(out, record))
    return result


def _holds_only_a_bench_record(directory: Path) -> bool:
    """Whether ``directory`` holds a bench run record and nothing else (bench may
    replace it)."""
    if not directory.is_dir() or [path.name for path in directory.iterdir()] != [RUN_FILE]:
        return False
    try:
        return read_run_record(directory)["source"] == "bench"
    except ValueError:
        return False


def _kernel_isa(backends: tuple[str, ...]) -> str:
    if "compiled" not in backends:
        return "none"
    from memctrl._core import kernel_isa
    return kernel_isa()
