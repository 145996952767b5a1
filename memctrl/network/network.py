"""The network users hold: validates at the edge and runs the compiled or reference core."""

from __future__ import annotations

import numpy as np

from memctrl._checks import require_finite, require_vector
from memctrl.network.config import NetworkConfig
from memctrl.network.reference import COUNTER_NAMES, ReferenceNetwork
from memctrl.network.wiring import Recurrent, build_arrays

BACKENDS = ("compiled", "reference")

MAX_INPUT_V = 100.0
"""Largest input-channel voltage accepted, V: far beyond any memristor drive (the
paper's pulses reach 2 V), it catches unit mistakes before they reach the devices."""


def _compiled_core_class() -> type:
    try:
        from memctrl._core import CompiledNetwork
    except ImportError as error:
        raise ImportError(
            "the compiled core memctrl._core is not built; run `make build` "
            f"(or `pip install -e .`) first ({error})") from error
    return CompiledNetwork


def _checked_conductances(name: str, g: object, config: NetworkConfig) -> np.ndarray:
    g = np.asarray(g, dtype=np.float64)
    shape = (config.n_neurons, config.n_inputs)
    if g.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {g.shape}")
    syn = config.synapse
    if not np.all(np.isfinite(g)) or np.any(g < syn.g_min) or np.any(g > syn.g_max):
        raise ValueError(f"{name} must be finite conductances within "
                         f"[{syn.g_min!r}, {syn.g_max!r}] S")
    return g.copy()


def _seeds(seed: int) -> tuple[int, int]:
    """(device seed, runtime seed) of a network seeded ``seed``: the device-to-device
    sample comes from the first, the core's own generators from the second."""
    device_seed, runtime_seed = np.random.SeedSequence(seed).generate_state(2, np.uint64)
    return int(device_seed), int(runtime_seed)


class Network:
    """A network of 1M1T1R neurons with memristive synapses.

    Parameters
    ----------
    config : NetworkConfig
        Sizes, time steps and device parameters.
    w_in : ndarray, shape (n_neurons, n_inputs), optional
        Initial input weights in [-1, 1]; zeros by default.
    recurrent : Recurrent, optional
        Recurrent synapses and their initial weights; none by default.
    seed : int
        Seeds the device-to-device sample and the core's own generator.
    backend : {"compiled", "reference"}
        The Cython core or the NumPy reference (the spec).
    r_leak : ndarray, shape (n_neurons,), optional
        Per-neuron leak resistor, ohm; ``config.neuron.r_leak`` by default.
    input_conductances : (ndarray, ndarray), optional
        ``(g_in_pos, g_in_neg)``, S, shape (n_neurons, n_inputs) each, in
        ``[g_min, g_max]``: devices as a checkpoint left them; overrides ``w_in``.
        The device-to-device sample still comes from ``seed``.
    """

    def __init__(self, config: NetworkConfig, w_in: np.ndarray | None = None,
                 recurrent: Recurrent | None = None, seed: int = 0,
                 backend: str = "compiled", r_leak: np.ndarray | None = None,
                 input_conductances: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
        if w_in is None:
            w_in = np.zeros((config.n_neurons, config.n_inputs))
        if recurrent is None:
            recurrent = Recurrent.empty(config.n_neurons)
        device_seed, runtime_seed = _seeds(seed)
        arrays = build_arrays(config, w_in, recurrent, np.random.default_rng(device_seed), r_leak)
        if input_conductances is not None:
            arrays.g_in_pos, arrays.g_in_neg = (
                _checked_conductances(name, g, config)
                for name, g in zip(("g_in_pos", "g_in_neg"), input_conductances))
        core_class = _compiled_core_class() if backend == "compiled" else ReferenceNetwork
        self.config = config
        self.backend = backend
        self._core = core_class(config, arrays, int(runtime_seed))
        self._spike_counts = np.zeros(config.n_neurons, np.int32)

    @property
    def kernel(self) -> str:
        """What steps the neurons: ``"reference"`` or the compiled kernel's instruction set."""
        return getattr(self._core, "isa", "reference")

    def tick(self, input_v: np.ndarray) -> np.ndarray:
        """Run one control tick with input-channel voltages ``input_v`` (V, (n_inputs,)).

        Returns the number of spikes of each neuron during the tick, int32 (n_neurons,).
        Raises ValueError, before any state changes, for a wrong shape, a
        non-finite value or a voltage beyond ``MAX_INPUT_V``.
        """
        self._core.tick(self._checked_input(input_v), self._spike_counts)
        return self._spike_counts.copy()

    def _checked_input(self, input_v: np.ndarray) -> np.ndarray:
        if (type(input_v) is np.ndarray and input_v.dtype == np.float64
                and input_v.shape == (self.config.n_inputs,) and input_v.flags.c_contiguous
                and -MAX_INPUT_V <= input_v.min() and input_v.max() <= MAX_INPUT_V):
            return input_v      # the usual case (an encoder's output); NaN fails it
        input_v = require_vector("input_v", input_v, self.config.n_inputs)
        if np.abs(input_v).max() > MAX_INPUT_V:
            bad = int(np.argmax(np.abs(input_v)))
            raise ValueError(f"input_v must lie within +-{MAX_INPUT_V:g} V, got "
                             f"{input_v[bad]!r} at index {bad}")
        return input_v

    def read_drive(self, input_v: np.ndarray) -> np.ndarray:
        """The column read ``w_in @ input_v`` (V, (n_neurons,)) without ticking the neurons:
        the dot product a crossbar's columns give a transimpedance stage, priced as one
        read of a write-pulse width (:meth:`ReferenceNetwork.read_drive`). ValueError,
        before anything changes, for input voltages :meth:`tick` refuses."""
        drive = np.zeros(self.config.n_neurons)
        self._core.read_drive(self._checked_input(input_v), drive)
        return drive

    def record_inputs(self, input_v: np.ndarray, gain: float) -> None:
        """Add ``gain * input_v`` to the eligibility of every neuron's input synapses
        after one tick's decay (presynaptic eligibility,
        :meth:`ReferenceNetwork.record_inputs`); the neurons do not tick. ValueError,
        before anything changes, for input voltages :meth:`tick` refuses."""
        self._core.record_inputs(self._checked_input(input_v), require_finite("gain", gain))

    def apply_learning(self, signal: float, learning_rate: float) -> None:
        """Program the synapses by ``learning_rate * signal * eligibility`` (pulses)."""
        signal = require_finite("signal", signal)
        learning_rate = require_finite("learning_rate", learning_rate)
        require_finite("learning_rate * signal", learning_rate * signal)
        self._core.apply_learning(signal, learning_rate)

    def record_spikes(self, spike_counts: np.ndarray, gain: float) -> None:
        """Add ``gain * spike_counts[i]`` times the present traces to neuron i's eligibility
        (see :meth:`memctrl.network.reference.ReferenceNetwork.record_spikes`)."""
        spike_counts = np.asarray(spike_counts)
        if spike_counts.shape != (self.config.n_neurons,) or spike_counts.dtype.kind not in "iu":
            raise ValueError(f"spike_counts must be integers of shape ({self.config.n_neurons},), "
                             f"got {spike_counts.dtype} {spike_counts.shape}")
        self._core.record_spikes(np.ascontiguousarray(spike_counts, dtype=np.int32),
                                 require_finite("gain", gain))

    def reseed(self, seed: int) -> None:
        """Restart the core's own randomness (neuron noise, stochastic rounding, write
        noise) as a network built with ``seed`` starts it; the devices (and their
        device-to-device sample), the state and the counters are kept."""
        self._core.reseed(_seeds(seed)[1])

    def reset_neurons(self) -> None:
        """Neurons to rest (filament, residue, gate, output); traces, eligibility and
        learned conductances are kept. Resetting before every tick makes each neuron a
        stochastic binary unit: it fires or not within the tick's window."""
        self._core.reset_neurons()

    @property
    def eligibility_gain(self) -> float:
        """Spikes add ``eligibility_gain * trace`` to the eligibility (1 by default);
        0 makes a tick a read-only pass, -1 records its spikes with a negative sign."""
        return float(self._core.eligibility_gain)

    @eligibility_gain.setter
    def eligibility_gain(self, value: float) -> None:
        self._core.eligibility_gain = require_finite("eligibility_gain", value)

    def reset_state(self) -> None:
        """Neurons to rest and traces to zero; learned conductances are kept."""
        self._core.reset_state()

    @property
    def counters(self) -> dict[str, float]:
        """Event counters since construction (or :meth:`set_counters`), named as in
        ``COUNTER_NAMES``."""
        return {name: float(value) for name, value in zip(COUNTER_NAMES, self._core.counters)}

    def set_counters(self, values: np.ndarray) -> None:
        """Overwrite the counters with ``values`` (``COUNTER_NAMES`` order, shape (10,)):
        a restored network counts on from where its checkpoint left it, to the last digit.

        ValueError for a wrong shape or a value that is not a finite number >= 0;
        nothing changes then.
        """
        values = np.asarray(values, dtype=np.float64)
        wanted = f"counters must be {len(COUNTER_NAMES)} finite numbers >= 0"
        if values.shape != (len(COUNTER_NAMES),):
            raise ValueError(f"{wanted}, got shape {values.shape}")
        bad = values[~(np.isfinite(values) & (values >= 0))]
        if bad.size:
            raise ValueError(f"{wanted}, got {float(bad[0])!r}")
        self._core.set_counters(values)

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Copies of the neuron state: filament, residue, v_gate (V), output."""
        core = self._core
        return {"filament": np.array(core.filament), "residue": np.array(core.residue),
                "v_gate": np.array(core.v_gate), "output": np.array(core.output, dtype=bool)}

    def input_conductances(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of ``(g_in_pos, g_in_neg)``, S, shape (n_neurons, n_inputs) each."""
        return np.array(self._core.g_in_pos), np.array(self._core.g_in_neg)

    def weights_in(self) -> np.ndarray:
        """Input weights (g_pos - g_neg) / span, shape (n_neurons, n_inputs)."""
        span = self.config.synapse.span
        return (np.array(self._core.g_in_pos) - np.array(self._core.g_in_neg)) / span

    def weights_rec(self) -> np.ndarray:
        """Recurrent weights in CSR order, shape (n_synapses,)."""
        span = self.config.synapse.span
        return (np.array(self._core.g_rec_pos) - np.array(self._core.g_rec_neg)) / span

    def pending_updates(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the accumulated weight changes not yet programmed (input synapses
        (n_neurons, n_inputs), recurrent (n_synapses,)); zero unless
        ``config.program_threshold > 0``."""
        return np.array(self._core.pending_in), np.array(self._core.pending_rec)

    def set_pending_updates(self, pending_in: np.ndarray, pending_rec: np.ndarray) -> None:
        """Restore the accumulated changes (from :meth:`pending_updates` of a saved network).

        ValueError for a wrong shape or a non-finite value; nothing changes then.
        """
        checked = []
        for name, value, shape in (("pending_in", pending_in, self._core.pending_in.shape),
                                   ("pending_rec", pending_rec, self._core.pending_rec.shape)):
            value = np.asarray(value, dtype=np.float64)
            if value.shape != shape or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be finite numbers of shape {shape}, "
                                 f"got {value.shape}")
            checked.append(value)
        self._core.set_pending(*checked)

    def eligibility_in(self) -> np.ndarray:
        """Eligibility of the input synapses, shape (n_neurons, n_inputs)."""
        return np.array(self._core.eligibility_in())

    def eligibility_rec(self) -> np.ndarray:
        """Eligibility of the recurrent synapses, shape (n_synapses,)."""
        return np.array(self._core.eligibility_rec())
