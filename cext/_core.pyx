# cython: language_level=3
"""The compiled core: :class:`memctrl.network.reference.ReferenceNetwork` in C.

:class:`CompiledNetwork` mirrors the reference name for name and step for step;
read ``memctrl/network/reference.py`` first. What differs is how the work is
done, never what is computed (up to floating-point rounding):

- the neuron substep runs in a vectorised C kernel (``neuron_kernel.h``), with
  divisions regrouped and branch-free ``exp``/``expm1`` (``vecmath.h``);
- the input weights, the recurrent weights and the read conductances are cached
  and refreshed whenever learning changes the conductances (the arrays exposed
  to Python are read-only, so nothing else can change them);
- the recurrent drive follows the outputs event by event: after a substep it is
  recomputed in the reference's order when at most as many outputs are high as
  changed (always so when the network falls silent, which restores exact
  zeros), else the outgoing weights of each neuron whose output rose are added
  and of each whose output fell subtracted. The reference sums the weights of
  every high neuron in every substep, O(high neurons x fan-out) even when
  nothing changes;
- eligibility is added as ``trace * (1 / elig_scale)`` rather than divided;
- learning goes synapse by synapse rather than pulse round by pulse round (each
  synapse sees the same sequence of pulses);
- noise comes from a per-neuron xoroshiro128++ stream (``rng.h``), seeded from
  ``seed`` through splitmix64, so results depend on the seed and on the kernel
  alone (the AVX2/AVX-512 kernels round fused multiply-adds: see setup.py).

Everything a tick does runs without the GIL and without allocating.
"""

import math
import os

import numpy as np

cimport numpy as cnp
from libc.math cimport expm1, fabs, floor, log1p, pow
from libc.stddef cimport ptrdiff_t
from libc.stdint cimport int32_t, int64_t, uint64_t
from libc.string cimport memcpy, memset

from core_types cimport (InputChannels, NetworkConstants, NeuronArrays, NeuronConstants,
                        NeuronSubstepFn, NormalStream, RecurrentArrays, SubstepTotals,
                        SynapseArrays, SynapseConstants, VM_EXPM1_MAX, Xoroshiro128,
                        neuron_kernel_best_isa,
                        neuron_kernel_supports, neuron_substep_for, normal_stream_next,
                        splitmix64_next, xoroshiro128_seed, xoroshiro128_uniform)

from memctrl.device.synapse import pulse_map
from memctrl.network.reference import BALANCED_WITHIN, COUNTER_NAMES, ELIG_RENORMALIZE_BELOW
from memctrl.network.wiring import outgoing_index

cnp.import_array()

cdef double ELIG_RENORMALIZE_BELOW_C = ELIG_RENORMALIZE_BELOW
cdef double BALANCED_WITHIN_C = BALANCED_WITHIN

# Indices into the counters, in the order of COUNTER_NAMES.
cdef enum:
    SPIKES
    MEMBRANE_UPDATES
    SYNAPTIC_EVENTS
    PROGRAMMING_PULSES
    NEURON_INPUT_ENERGY
    NEURON_OUTPUT_ENERGY
    SYNAPSE_READ_ENERGY
    PROGRAMMING_ENERGY
    SPIKE_SYNAPTIC_EVENTS
    WEIGHTS_WRITTEN
    N_COUNTERS

assert N_COUNTERS == len(COUNTER_NAMES)


KERNEL_ISAS = ("baseline", "avx2", "avx512")
"""Instruction sets the neuron kernel is compiled for (the wider ones on x86-64 only)."""


def supported_kernel_isas() -> tuple[str, ...]:
    """The kernel instruction sets this CPU runs."""
    return tuple(isa for isa in KERNEL_ISAS if neuron_kernel_supports(isa.encode()))


def kernel_isa() -> str:
    """The instruction set the neuron kernel uses by default: ``MEMCTRL_KERNEL_ISA``
    if set, else the widest this CPU runs."""
    return os.environ.get("MEMCTRL_KERNEL_ISA") or neuron_kernel_best_isa().decode()


# -- the synapse pulse response (memctrl.device.synapse) -----------------------------

cdef inline double clip(double value, double low, double high) noexcept nogil:
    return low if value < low else (high if value > high else value)


cdef inline double potentiate(double g, double a, double b, const SynapseConstants *syn,
                              double noise) noexcept nogil:
    """One potentiation pulse; ``a``, ``b``: the device's pulse map (synapse.pulse_map)."""
    cdef double reached = clip((g - syn.g_min) / syn.span, 0.0, 1.0)
    cdef double target = min(a * reached + b, 1.0)
    cdef double g_new = syn.g_min + syn.span * target + syn.c2c_sigma * syn.span * noise
    return clip(g_new, syn.g_min, syn.g_max)


cdef inline double depress(double g, double a, double b, const SynapseConstants *syn,
                           double noise) noexcept nogil:
    """One depression pulse (the potentiation curve mirrored)."""
    cdef double released = clip((syn.g_max - g) / syn.span, 0.0, 1.0)
    cdef double target = min(a * released + b, 1.0)
    cdef double g_new = syn.g_max - syn.span * target + syn.c2c_sigma * syn.span * noise
    return clip(g_new, syn.g_min, syn.g_max)


cdef inline double write_energy(double g, double v_write,
                                const SynapseConstants *syn) noexcept nogil:
    return v_write ** 2 * g * syn.t_write


# -- helpers for the Python side -----------------------------------------------------

def _owned(value, dtype, shape, name):
    """A C-contiguous private copy of ``value`` with the expected shape."""
    array = np.array(value, dtype=dtype, order="C", copy=True)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


def _read_only(array):
    """A read-only copy: writing into the core's own arrays would bypass its weight caches."""
    copy = array.copy()
    copy.flags.writeable = False
    return copy


cdef void *_vector_data(str name, cnp.ndarray array, int type_num, Py_ssize_t length,
                        bint writable) except NULL:
    """The data of a contiguous vector of ``length`` elements of ``type_num``, or ValueError."""
    if (cnp.PyArray_TYPE(array) != type_num or cnp.PyArray_NDIM(array) != 1
            or cnp.PyArray_DIM(array, 0) != length or not cnp.PyArray_IS_C_CONTIGUOUS(array)
            or (writable and not cnp.PyArray_ISWRITEABLE(array))):
        raise ValueError(f"{name} must be a contiguous{' writable' if writable else ''} "
                         f"{np.dtype(cnp.PyArray_DescrFromType(type_num))} array of shape "
                         f"({length},), got {array.dtype} {np.shape(array)}")
    return cnp.PyArray_DATA(array)


cdef class CompiledNetwork:
    """The network of :class:`ReferenceNetwork`, stepped by compiled code.

    Parameters
    ----------
    config : NetworkConfig
        Sizes, time steps and device parameters.
    arrays : NetworkArrays
        Initial devices; copied.
    seed : int
        Seeds the network's own generators, 0 <= seed < 2**64.
    isa : {"avx512", "avx2", "baseline"}, optional
        Instruction set of the neuron kernel; :func:`kernel_isa` by default
        (the environment variable ``MEMCTRL_KERNEL_ISA``, else the widest this
        CPU runs). The variants agree up to rounding.

    Attributes
    ----------
    filament, residue, v_gate, trace_pre : ndarray, shape (n_neurons,)
    trace_in : ndarray, shape (n_inputs,)
    g_in_pos, g_in_neg : ndarray, shape (n_neurons, n_inputs)
    g_rec_pos, g_rec_neg : ndarray, shape (n_synapses,)
    counters : ndarray, shape (10,)
        Read-only views of the core's state, in the order of ``COUNTER_NAMES``
        for the counters; they change as the network runs.
    output : ndarray of bool, shape (n_neurons,)
        A copy of the output levels.
    elig_scale : float
        The lazily decaying factor of the eligibility (see the reference).
    eligibility_gain : float
        Spikes add ``eligibility_gain * trace`` to the eligibility; 0 makes a tick
        read-only, -1 records the tick's spikes with a negative sign (see the reference).
    """

    cdef readonly object config
    cdef readonly str isa
    cdef NetworkConstants net
    cdef NeuronConstants neuron
    cdef SynapseConstants synapse
    cdef NeuronSubstepFn neuron_substep
    cdef NeuronArrays neurons
    cdef SynapseArrays inputs
    cdef SynapseArrays recurrent
    cdef RecurrentArrays wiring
    cdef InputChannels channels
    cdef double *counter_values
    cdef double *drive                    # (n_neurons,) V from the input channels
    cdef double *rec_drive                # (n_neurons,) recurrent weights of high outputs
    cdef int64_t high_synapses            # synapses out of neurons whose output is high
    cdef double high_read_conductance     # their g_pos + g_neg, S
    cdef double _elig_scale
    cdef double _program_energy           # J, of the programming under way
    cdef int64_t *live_columns            # sorted channels with a trace (see _clear_idle_channels)
    cdef int64_t *last_driven             # (n_inputs,) tick each was last driven; -1: not live
    cdef ptrdiff_t n_live
    cdef int64_t tick_count
    cdef int64_t idle_window_ticks
    cdef public double eligibility_gain   # spikes add gain * trace (see the reference)
    cdef Xoroshiro128 learning_uniform
    cdef NormalStream learning_normal
    cdef dict _arrays                     # owners of the memory behind every pointer

    def __init__(self, config, arrays, seed, *, isa=None):
        if self._arrays is not None:
            # a failed second __init__ would leave the C pointers on freed arrays
            raise RuntimeError("a CompiledNetwork is initialised once; build a new one")
        n, m = config.n_neurons, config.n_inputs
        seed = int(seed)
        if not 0 <= seed < 2 ** 64:
            raise ValueError(f"seed must be an integer in [0, 2**64), got {seed!r}")
        self.config = config
        self._arrays = {}
        self._set_constants(config)
        self._set_kernel(config, isa)
        self._set_neuron_arrays(arrays, n, seed)
        self._set_synapse_arrays(arrays, n, m)
        self.channels = InputChannels(
            trace_in=<double *> self._keep("trace_in", np.zeros(m)),
            weight_t=<double *> self._keep("_w_in_t", np.zeros((m, n))),
            read_conductance=<double *> self._keep("_in_read_conductance", np.zeros(m)))
        self.drive = <double *> self._keep("_drive", np.zeros(n))
        self.rec_drive = <double *> self._keep("_rec_drive", np.zeros(n))
        self.neurons.drive = self.drive
        self.neurons.rec_drive = self.rec_drive
        self.counter_values = <double *> self._keep("counters", np.zeros(N_COUNTERS))
        self.live_columns = <int64_t *> self._keep("_live_columns", np.zeros(m, np.int64))
        self.last_driven = <int64_t *> self._keep("_last_driven", np.full(m, -1, np.int64))
        self.n_live = 0
        self.tick_count = 0
        self.idle_window_ticks = config.idle_window_ticks
        self.eligibility_gain = 1.0
        self._refresh_weight_caches()
        self._reset_state()

    cdef _set_constants(self, config):
        neuron, syn = config.neuron, config.synapse
        if 1.0 / neuron.lam > VM_EXPM1_MAX:
            raise ValueError(f"the compiled core needs NeuronParams.lam >= 1/{VM_EXPM1_MAX:g} "
                             f"(the OFF curve exp(1 / lam) overflows), got {neuron.lam!r}")
        h = config.dt / neuron.time_scale
        self.net = NetworkConstants(
            n_neurons=config.n_neurons, n_inputs=config.n_inputs,
            substeps=config.substeps, max_pulses=config.max_pulses, h=h,
            v_spike=config.v_spike, trace_decay=math.exp(-config.dt / config.tau_trace),
            elig_decay=math.exp(-config.dt / config.tau_eligibility),
            program_threshold=config.program_threshold,
            output_energy=neuron.v_dd ** 2 / neuron.r_load * h,
            stochastic_rounding=config.stochastic_rounding)
        self.neuron = NeuronConstants(
            h=h, alpha=neuron.alpha, beta=neuron.beta, gamma1=neuron.gamma1,
            gamma2=neuron.gamma2, inv_lam=1.0 / neuron.lam,
            off_curve_norm=1.0 / math.expm1(1.0 / neuron.lam), r_on=neuron.r_on,
            r_off=neuron.r_off, c_gate=neuron.c_gate, v_threshold=neuron.v_threshold,
            noise_sigma=neuron.noise_sigma, v_spike=config.v_spike,
            trace_decay=self.net.trace_decay)
        self.synapse = SynapseConstants(
            g_min=syn.g_min, g_max=syn.g_max, span=syn.span, levels=syn.levels,
            c2c_sigma=syn.c2c_sigma, v_set=syn.v_set, v_reset=syn.v_reset,
            t_write=syn.t_write, v_read=syn.v_read)

    cdef _set_kernel(self, config, isa):
        isa = kernel_isa() if isa is None else str(isa)
        self.neuron_substep = neuron_substep_for(isa.encode(), config.neuron.noise_sigma > 0.0)
        if self.neuron_substep == NULL:
            raise ValueError(f"this CPU cannot run the neuron kernel for isa={isa!r}; "
                             f"valid here: {', '.join(supported_kernel_isas())}")
        self.isa = isa

    cdef void *_keep(self, str name, cnp.ndarray array):
        """Keep ``array`` (owned, contiguous) and return its data pointer."""
        self._arrays[name] = array
        return cnp.PyArray_DATA(array)

    cdef void *_copy(self, arrays, str name, tuple shape, dtype=np.float64):
        """Keep a private copy of ``arrays.<name>`` and return its data pointer."""
        return self._keep(name, _owned(getattr(arrays, name), dtype, shape, name))

    cdef _set_neuron_arrays(self, arrays, ptrdiff_t n, uint64_t seed):
        self.neurons.filament = <double *> self._keep("filament", np.zeros(n))
        self.neurons.residue = <double *> self._keep("residue", np.zeros(n))
        self.neurons.v_gate = <double *> self._keep("v_gate", np.zeros(n))
        self.neurons.trace_pre = <double *> self._keep("trace_pre", np.zeros(n))
        self.neurons.output = <double *> self._keep("_output", np.zeros(n))
        self.neurons.edge = <double *> self._keep("_edge", np.zeros(n))
        self.neurons.mu = <double *> self._copy(arrays, "mu", (n,))
        r_leak = _owned(arrays.r_leak, np.float64, (n,), "r_leak")
        self.neurons.inv_r_leak = <double *> self._keep("_inv_r_leak", 1.0 / r_leak)
        self.neurons.rng[0] = <uint64_t *> self._keep("_rng0", np.zeros(n, np.uint64))
        self.neurons.rng[1] = <uint64_t *> self._keep("_rng1", np.zeros(n, np.uint64))
        self._seed_streams(seed)

    cdef void _seed_streams(self, uint64_t seed) noexcept nogil:
        """splitmix64 from the seed gives the learning streams, then neuron by neuron."""
        cdef uint64_t splitmix = seed
        cdef ptrdiff_t i
        xoroshiro128_seed(&self.learning_uniform, &splitmix)
        xoroshiro128_seed(&self.learning_normal.rng, &splitmix)
        self.learning_normal.has_spare = 0
        for i in range(self.net.n_neurons):
            self.neurons.rng[0][i] = splitmix64_next(&splitmix)
            self.neurons.rng[1][i] = splitmix64_next(&splitmix)

    def reseed(self, seed):
        """Restart the network's own generators from ``seed`` (see the reference)."""
        seed = int(seed)
        if not 0 <= seed < 2 ** 64:
            raise ValueError(f"seed must be an integer in [0, 2**64), got {seed!r}")
        self._seed_streams(seed)

    cdef _pulse_maps(self, arrays, name, shape):
        """The pulse maps (a, b) of the devices' nu in ``arrays.name`` (C-contiguous copies)."""
        nu = _owned(getattr(arrays, name), np.float64, shape, name)
        return [np.ascontiguousarray(part) for part in pulse_map(nu, self.synapse.levels)]

    cdef _set_synapse_arrays(self, arrays, ptrdiff_t n, ptrdiff_t m):
        ltp_in = self._pulse_maps(arrays, "nu_in_ltp", (n, m))
        ltd_in = self._pulse_maps(arrays, "nu_in_ltd", (n, m))
        self.inputs = SynapseArrays(
            g_pos=<double *> self._copy(arrays, "g_in_pos", (n, m)),
            g_neg=<double *> self._copy(arrays, "g_in_neg", (n, m)),
            ltp_a=<double *> self._keep("_ltp_in_a", ltp_in[0]),
            ltp_b=<double *> self._keep("_ltp_in_b", ltp_in[1]),
            ltd_a=<double *> self._keep("_ltd_in_a", ltd_in[0]),
            ltd_b=<double *> self._keep("_ltd_in_b", ltd_in[1]),
            elig=<double *> self._keep("_elig_in", np.zeros((n, m))),
            pending=<double *> self._keep("pending_in", np.zeros((n, m))),
            size=n * m)

        indptr = _owned(arrays.rec_indptr, np.int32, (n + 1,), "rec_indptr")
        nnz = int(indptr[-1]) if indptr[0] == 0 else -1
        pre = _owned(arrays.rec_pre, np.int32, (max(nnz, 0),), "rec_pre")
        bad_pre = pre.size > 0 and (pre.min() < 0 or pre.max() >= n)
        if nnz < 0 or np.any(np.diff(indptr) < 0) or bad_pre:
            raise ValueError("rec_indptr/rec_pre must be CSR by postsynaptic neuron "
                             f"(indptr from 0, non-decreasing; pre in [0, {n}))")
        ltp_rec = self._pulse_maps(arrays, "nu_rec_ltp", (nnz,))
        ltd_rec = self._pulse_maps(arrays, "nu_rec_ltd", (nnz,))
        self.recurrent = SynapseArrays(
            g_pos=<double *> self._copy(arrays, "g_rec_pos", (nnz,)),
            g_neg=<double *> self._copy(arrays, "g_rec_neg", (nnz,)),
            ltp_a=<double *> self._keep("_ltp_rec_a", ltp_rec[0]),
            ltp_b=<double *> self._keep("_ltp_rec_b", ltp_rec[1]),
            ltd_a=<double *> self._keep("_ltd_rec_a", ltd_rec[0]),
            ltd_b=<double *> self._keep("_ltd_rec_b", ltd_rec[1]),
            elig=<double *> self._keep("_elig_rec", np.zeros(nnz)),
            pending=<double *> self._keep("pending_rec", np.zeros(nnz)),
            size=nnz)
        out_indptr, out_syn, rec_post = outgoing_index(indptr, pre, n)
        self.wiring = RecurrentArrays(
            indptr=<int32_t *> self._keep("rec_indptr", indptr),
            pre=<int32_t *> self._keep("rec_pre", pre),
            out_indptr=<int32_t *> self._keep("_out_indptr", out_indptr.astype(np.int32)),
            out_syn=<int32_t *> self._keep("_out_syn", out_syn.astype(np.int32)),
            out_post=<int32_t *> self._keep("_out_post", rec_post[out_syn].astype(np.int32)),
            out_weight=<double *> self._keep("_out_weight", np.zeros(nnz)),
            out_read_conductance=<double *> self._keep("_out_read_conductance", np.zeros(n)))

    # -- what Python sees ----------------------------------------------------------------

    def _view(self, name):
        return _read_only(self._arrays[name])

    @property
    def filament(self):
        return self._view("filament")

    @property
    def residue(self):
        return self._view("residue")

    @property
    def v_gate(self):
        return self._view("v_gate")

    @property
    def output(self):
        return self._arrays["_output"] != 0.0

    @property
    def trace_in(self):
        return self._view("trace_in")

    @property
    def trace_pre(self):
        return self._view("trace_pre")

    @property
    def g_in_pos(self):
        return self._view("g_in_pos")

    @property
    def g_in_neg(self):
        return self._view("g_in_neg")

    @property
    def g_rec_pos(self):
        return self._view("g_rec_pos")

    @property
    def g_rec_neg(self):
        return self._view("g_rec_neg")

    @property
    def counters(self):
        return self._view("counters")

    @property
    def pending_in(self):
        return self._view("pending_in")

    @property
    def pending_rec(self):
        return self._view("pending_rec")

    def set_counters(self, values):
        """Overwrite the counters (see the reference)."""
        target = self._arrays["counters"]
        target[...] = np.asarray(values, dtype=np.float64).reshape(target.shape)

    def set_pending(self, pending_in, pending_rec):
        """Overwrite the pending changes (see the reference)."""
        for name, value in (("pending_in", pending_in), ("pending_rec", pending_rec)):
            target = self._arrays[name]
            target[...] = np.asarray(value, dtype=np.float64).reshape(target.shape)

    @property
    def elig_scale(self):
        return self._elig_scale

    def eligibility_in(self):
        """Eligibility of the input synapses, shape (n_neurons, n_inputs)."""
        return self._arrays["_elig_in"] * self._elig_scale

    def eligibility_rec(self):
        """Eligibility of the recurrent synapses, shape (n_synapses,)."""
        return self._arrays["_elig_rec"] * self._elig_scale

    # -- state ---------------------------------------------------------------------------

    def reset_state(self):
        """Neurons to rest and traces to zero; conductances and counters are kept."""
        with nogil:
            self._reset_state()

    def reset_neurons(self):
        """Neurons to rest; traces, eligibility, conductances and counters are kept."""
        with nogil:
            self._reset_neurons()

    cdef void _reset_neurons(self) noexcept nogil:
        cdef size_t vector_bytes = self.net.n_neurons * sizeof(double)
        memset(self.neurons.filament, 0, vector_bytes)
        memset(self.neurons.residue, 0, vector_bytes)
        memset(self.neurons.v_gate, 0, vector_bytes)
        memset(self.neurons.output, 0, vector_bytes)
        memset(self.neurons.edge, 0, vector_bytes)
        self._recompute_recurrent_drive()

    cdef void _reset_state(self) noexcept nogil:
        cdef ptrdiff_t n = self.net.n_neurons, m = self.net.n_inputs
        cdef ptrdiff_t k
        memset(self.neurons.trace_pre, 0, n * sizeof(double))
        memset(self.channels.trace_in, 0, m * sizeof(double))
        memset(self.inputs.elig, 0, self.inputs.size * sizeof(double))
        memset(self.recurrent.elig, 0, self.recurrent.size * sizeof(double))
        for k in range(self.n_live):
            self.last_driven[self.live_columns[k]] = -1
        self.n_live = 0
        self._elig_scale = 1.0
        self._reset_neurons()

    cdef void _clear_idle_channels(self, const double *input_v) noexcept nogil:
        """The reference's ``_clear_idle_channels``: note the channels driven in this
        tick (new ones join the sorted live columns); clear the trace and eligibility
        of live ones left undriven for longer than the idle window. Every channel
        outside the live columns has no trace and no eligibility."""
        cdef ptrdiff_t n = self.net.n_neurons, m = self.net.n_inputs
        cdef ptrdiff_t i, j, k, kept = 0
        self.tick_count += 1
        for j in range(m):
            if input_v[j] != 0.0:
                if self.last_driven[j] < 0:
                    self._insert_live(j)
                self.last_driven[j] = self.tick_count
        for k in range(self.n_live):
            j = self.live_columns[k]
            if self.tick_count - self.last_driven[j] > self.idle_window_ticks:
                self.channels.trace_in[j] = 0.0
                for i in range(n):
                    self.inputs.elig[i * m + j] = 0.0
                self.last_driven[j] = -1
            else:
                self.live_columns[kept] = j
                kept += 1
        self.n_live = kept

    cdef void _insert_live(self, ptrdiff_t j) noexcept nogil:
        """Insert channel j into the sorted live columns."""
        cdef ptrdiff_t k = self.n_live
        while k > 0 and self.live_columns[k - 1] > j:
            self.live_columns[k] = self.live_columns[k - 1]
            k -= 1
        self.live_columns[k] = j
        self.n_live += 1

    cdef void _renormalize_eligibility(self) noexcept nogil:
        cdef ptrdiff_t i, k, s
        cdef ptrdiff_t m = self.net.n_inputs
        for i in range(self.net.n_neurons):
            for k in range(self.n_live):
                self.inputs.elig[i * m + self.live_columns[k]] *= self._elig_scale
        for s in range(self.recurrent.size):
            self.recurrent.elig[s] *= self._elig_scale
        self._elig_scale = 1.0

    cdef void _refresh_weight_caches(self) noexcept nogil:
        """Input weights (transposed), recurrent weights in outgoing order, read conductances."""
        cdef ptrdiff_t n = self.net.n_neurons, m = self.net.n_inputs
        cdef ptrdiff_t i, j, k, s
        cdef double span = self.synapse.span
        cdef double g_sum
        cdef SynapseArrays *inputs = &self.inputs
        cdef SynapseArrays *recurrent = &self.recurrent
        for j in range(m):
            self.channels.read_conductance[j] = 0.0
        for i in range(n):
            for j in range(m):
                s = i * m + j
                self.channels.weight_t[j * n + i] = (inputs.g_pos[s] - inputs.g_neg[s]) / span
                self.channels.read_conductance[j] += inputs.g_pos[s] + inputs.g_neg[s]
        for k in range(n):
            g_sum = 0.0
            for j in range(self.wiring.out_indptr[k], self.wiring.out_indptr[k + 1]):
                s = self.wiring.out_syn[j]
                self.wiring.out_weight[j] = (recurrent.g_pos[s] - recurrent.g_neg[s]) / span
                g_sum += recurrent.g_pos[s] + recurrent.g_neg[s]
            self.wiring.out_read_conductance[k] = g_sum

    cdef void _recompute_recurrent_drive(self) noexcept nogil:
        """The recurrent drive of the current outputs, summed in the reference's order."""
        cdef ptrdiff_t n = self.net.n_neurons
        cdef ptrdiff_t j, k
        memset(self.rec_drive, 0, n * sizeof(double))
        self.high_synapses = 0
        self.high_read_conductance = 0.0
        for k in range(n):
            if self.neurons.output[k] == 0.0:
                continue
            for j in range(self.wiring.out_indptr[k], self.wiring.out_indptr[k + 1]):
                self.rec_drive[self.wiring.out_post[j]] += self.wiring.out_weight[j]
            self.high_synapses += self.wiring.out_indptr[k + 1] - self.wiring.out_indptr[k]
            self.high_read_conductance += self.wiring.out_read_conductance[k]

    # -- one control tick ----------------------------------------------------------------

    def tick(self, cnp.ndarray input_v not None, cnp.ndarray spike_counts not None):
        """Advance one control tick; ``spike_counts`` (int32, (n,)) receives the spikes.

        ``input_v`` is a contiguous float64 vector of the input voltages, V. Its
        values are not checked here (``Network.tick`` does that).
        """
        cdef const double *input_data = <const double *> _vector_data(
            "input_v", input_v, cnp.NPY_FLOAT64, self.net.n_inputs, False)
        cdef int32_t *spike_data = <int32_t *> _vector_data(
            "spike_counts", spike_counts, cnp.NPY_INT32, self.net.n_neurons, True)
        with nogil:
            self._tick(input_data, spike_data)

    cdef void _tick(self, const double *input_v, int32_t *spike_counts) noexcept nogil:
        cdef NetworkConstants *net = &self.net
        cdef double *counters = self.counter_values
        cdef double *trace_in = self.channels.trace_in
        cdef ptrdiff_t n = net.n_neurons, m = net.n_inputs
        cdef ptrdiff_t active_channels, j, k, substep
        cdef double read_power_in = self._input_drive(input_v, &active_channels)
        cdef int64_t *live = self.live_columns
        cdef double read_power
        cdef int64_t synapses
        cdef SubstepTotals result
        memset(spike_counts, 0, n * sizeof(int32_t))
        self._clear_idle_channels(input_v)

        for substep in range(net.substeps):
            # rec_drive, and the synapses read, follow the outputs of the previous substep
            synapses = self.high_synapses
            read_power = read_power_in + net.v_spike ** 2 * self.high_read_conductance

            self.neuron_substep(&self.neuron, &self.neurons, 0, n, &result)

            counters[SPIKES] += result.spikes
            counters[MEMBRANE_UPDATES] += n
            counters[SYNAPTIC_EVENTS] += active_channels * n + synapses
            counters[SPIKE_SYNAPTIC_EVENTS] += synapses
            counters[NEURON_INPUT_ENERGY] += result.input_energy
            counters[NEURON_OUTPUT_ENERGY] += result.high * net.output_energy
            counters[SYNAPSE_READ_ENERGY] += read_power * net.h

            # trace_pre was updated by the kernel
            for k in range(self.n_live):   # every other channel's trace stays 0
                j = live[k]
                trace_in[j] = net.trace_decay * trace_in[j] + (1.0 - net.trace_decay) * input_v[j]
            self._elig_scale *= net.elig_decay
            if self._elig_scale < ELIG_RENORMALIZE_BELOW_C:
                self._renormalize_eligibility()
            if result.edges > 0.0:
                self._on_output_edges(spike_counts, result.high <= result.edges)

    cdef double _input_drive(self, const double *input_v,
                             ptrdiff_t *active_channels) noexcept nogil:
        """``drive = w_in @ input_v``; returns the read power of the input synapses, W."""
        cdef ptrdiff_t n = self.net.n_neurons, m = self.net.n_inputs
        cdef ptrdiff_t i, j
        cdef double u
        cdef double read_power = 0.0
        cdef double *drive = self.drive
        cdef const double *w_column
        memset(drive, 0, n * sizeof(double))
        active_channels[0] = 0
        for j in range(m):
            u = input_v[j]
            if u == 0.0:
                continue   # adds nothing to the drive (and reads nothing)
            active_channels[0] += 1
            read_power += u * u * self.channels.read_conductance[j]
            w_column = self.channels.weight_t + j * n
            for i in range(n):
                drive[i] += w_column[i] * u
        return read_power

    cdef void _on_output_edges(self, int32_t *spike_counts, bint recompute_drive) noexcept nogil:
        """Spikes (rising edges) and falling edges of the substep just run.

        The recurrent drive follows the new outputs: recomputed from scratch when
        that is cheaper (fewer outputs high than changed), else updated edge by edge.
        """
        cdef ptrdiff_t n = self.net.n_neurons
        cdef ptrdiff_t i, block
        cdef const uint64_t *edge_bits = <const uint64_t *> self.neurons.edge
        cdef double gain = self.eligibility_gain / self._elig_scale
        for block in range(0, n, 8):
            if block + 8 <= n and (
                    edge_bits[block] | edge_bits[block + 1] | edge_bits[block + 2]
                    | edge_bits[block + 3] | edge_bits[block + 4] | edge_bits[block + 5]
                    | edge_bits[block + 6] | edge_bits[block + 7]) == 0:
                continue   # no edge among these eight neurons (0.0 is all zero bits)
            for i in range(block, min(block + 8, n)):
                if edge_bits[i] == 0:
                    continue
                if self.neurons.output[i] != 0.0:
                    spike_counts[i] += 1
                    if gain != 0.0:
                        self._add_eligibility(i, gain)
                if not recompute_drive:
                    self._switch_outgoing(i, self.neurons.output[i] != 0.0)
        if recompute_drive:
            self._recompute_recurrent_drive()

    cdef void _add_eligibility(self, ptrdiff_t i, double gain) noexcept nogil:
        """At a spike of neuron i: ``elig_in[i] += gain' * trace_in`` and
        ``elig_rec[into i] += gain' * trace_pre[pre]`` with ``gain' = eligibility_gain /
        elig_scale`` (the arrays hold the eligibility divided by elig_scale)."""
        cdef ptrdiff_t m = self.net.n_inputs
        cdef ptrdiff_t j, k, s
        cdef double *elig_in = self.inputs.elig + i * m
        cdef double *elig_rec = self.recurrent.elig
        cdef const double *trace_in = self.channels.trace_in
        cdef const double *trace_pre = self.neurons.trace_pre
        cdef const int32_t *pre = self.wiring.pre
        for k in range(self.n_live):   # every other channel's trace is 0
            j = self.live_columns[k]
            elig_in[j] += trace_in[j] * gain
        for s in range(self.wiring.indptr[i], self.wiring.indptr[i + 1]):
            elig_rec[s] += trace_pre[pre[s]] * gain

    cdef void _switch_outgoing(self, ptrdiff_t k, bint on) noexcept nogil:
        """Add (output rose) or remove (output fell) neuron k's outgoing weights."""
        cdef RecurrentArrays *wiring = &self.wiring
        cdef const int32_t *out_post = wiring.out_post
        cdef const double *out_weight = wiring.out_weight
        cdef double *rec_drive = self.rec_drive
        cdef double sign = 1.0 if on else -1.0
        cdef ptrdiff_t j, start = wiring.out_indptr[k], stop = wiring.out_indptr[k + 1]
        for j in range(start, stop):
            rec_drive[out_post[j]] += sign * out_weight[j]
        self.high_synapses += (stop - start) if on else -(stop - start)
        self.high_read_conductance += sign * wiring.out_read_conductance[k]

    # -- column reads (no neurons) -------------------------------------------------------

    def read_drive(self, cnp.ndarray input_v not None, cnp.ndarray drive not None):
        """One read of the columns without ticking the neurons: ``drive`` (float64, (n,))
        receives ``w_in @ input_v`` (see the reference)."""
        cdef const double *input_data = <const double *> _vector_data(
            "input_v", input_v, cnp.NPY_FLOAT64, self.net.n_inputs, False)
        cdef double *drive_data = <double *> _vector_data(
            "drive", drive, cnp.NPY_FLOAT64, self.net.n_neurons, True)
        cdef ptrdiff_t active_channels
        cdef double read_power
        with nogil:
            read_power = self._input_drive(input_data, &active_channels)
            memcpy(drive_data, self.drive, self.net.n_neurons * sizeof(double))
            self.counter_values[SYNAPTIC_EVENTS] += active_channels * self.net.n_neurons
            self.counter_values[SYNAPSE_READ_ENERGY] += read_power * self.synapse.t_write

    def record_inputs(self, cnp.ndarray input_v not None, double gain):
        """Presynaptic eligibility: every input synapse adds ``gain * input_v[j]``, after
        one tick's decay and the idle channels' clearing (see the reference)."""
        cdef const double *input_data = <const double *> _vector_data(
            "input_v", input_v, cnp.NPY_FLOAT64, self.net.n_inputs, False)
        cdef ptrdiff_t i, j, k
        cdef ptrdiff_t m = self.net.n_inputs
        cdef double scaled
        with nogil:
            self._clear_idle_channels(input_data)
            self._elig_scale *= pow(self.net.elig_decay, <double> self.net.substeps)
            if self._elig_scale < ELIG_RENORMALIZE_BELOW_C:
                self._renormalize_eligibility()
            scaled = gain / self._elig_scale
            for i in range(self.net.n_neurons):
                for k in range(self.n_live):   # every other channel is undriven
                    j = self.live_columns[k]
                    self.inputs.elig[i * m + j] += scaled * input_data[j]

    # -- learning ------------------------------------------------------------------------

    def record_spikes(self, cnp.ndarray spike_counts not None, double gain):
        """Add ``gain * count_i`` times the present traces to the eligibility of every
        neuron i with spikes (see the reference)."""
        cdef const int32_t *counts = <const int32_t *> _vector_data(
            "spike_counts", spike_counts, cnp.NPY_INT32, self.net.n_neurons, False)
        cdef ptrdiff_t i
        cdef double scaled = gain / self._elig_scale
        with nogil:
            for i in range(self.net.n_neurons):
                if counts[i] != 0:
                    self._add_eligibility(i, scaled * counts[i])

    def apply_learning(self, double signal, double learning_rate):
        """Program every synapse by ``learning_rate * signal * eligibility`` (see the reference)."""
        with nogil:
            self._apply_learning(signal, learning_rate)

    cdef void _apply_learning(self, double signal, double learning_rate) noexcept nogil:
        self._renormalize_eligibility()
        self._program(&self.inputs, learning_rate * signal, True)
        if self._program(&self.recurrent, learning_rate * signal, False) > 0:
            self._refresh_weight_caches()
            self._recompute_recurrent_drive()

    cdef void _refresh_input_cache(self, ptrdiff_t s, double old_pair_sum) noexcept nogil:
        """The caches of input synapse ``s`` after it was programmed: its weight and its
        share of the channel's read conductance (the rest stays as it was)."""
        cdef ptrdiff_t n = self.net.n_neurons, m = self.net.n_inputs
        cdef ptrdiff_t i = s // m, j = s % m
        self.channels.weight_t[j * n + i] = (self.inputs.g_pos[s] - self.inputs.g_neg[s]) \
            / self.synapse.span
        self.channels.read_conductance[j] += (self.inputs.g_pos[s] + self.inputs.g_neg[s]
                                              - old_pair_sum)

    cdef int64_t _program(self, SynapseArrays *synapses, double factor,
                          bint inputs) noexcept nogil:
        """Programming pulses for ``dw = factor * elig`` (the reference's ``_program``);
        returns the number of pulses. Input synapses are visited in the live columns
        only (every other one has no eligibility), in the reference's order, and
        their caches refreshed one by one; recurrent ones are left to the caller."""
        cdef ptrdiff_t i, k, s
        cdef ptrdiff_t m = self.net.n_inputs
        cdef int64_t pulse_count = 0
        self._program_energy = 0.0
        if inputs:
            for i in range(self.net.n_neurons):
                for k in range(self.n_live):
                    pulse_count += self._program_synapse(synapses, i * m + self.live_columns[k],
                                                         factor, inputs)
        else:
            for s in range(synapses.size):
                pulse_count += self._program_synapse(synapses, s, factor, inputs)
        self.counter_values[PROGRAMMING_PULSES] += pulse_count
        self.counter_values[PROGRAMMING_ENERGY] += self._program_energy
        return pulse_count

    cdef int64_t _program_synapse(self, SynapseArrays *synapses, ptrdiff_t s, double factor,
                                  bint inputs) noexcept nogil:
        """Program synapse ``s`` by ``factor * elig[s]``; returns its pulses (energy added
        to ``_program_energy``; a synapse that got any counts one weight written)."""
        cdef SynapseConstants *syn = &self.synapse
        cdef double centred_sum = syn.g_min + syn.g_max + BALANCED_WITHIN_C * syn.span
        cdef double dw, rounding, count, noise, energy = 0.0
        cdef double *g_pos = synapses.g_pos
        cdef double *g_neg = synapses.g_neg
        cdef int64_t pulses, p
        cdef bint up, below
        cdef double old_pair_sum, weight_before, weight
        cdef bint accumulate = self.net.program_threshold > 0.0
        dw = factor * synapses.elig[s]
        if dw == 0.0:
            return 0   # no eligibility: not programmed (nor rounded, nor accumulated)
        if accumulate:
            synapses.pending[s] += dw
            dw = synapses.pending[s]
            count = fabs(dw) * syn.levels
            if not count >= self.net.program_threshold:
                return 0
            count = floor(count + 0.5)
        else:
            rounding = 0.5
            if self.net.stochastic_rounding:
                rounding = xoroshiro128_uniform(&self.learning_uniform)
            count = floor(fabs(dw) * syn.levels + rounding)
        # written so that a non-finite count is capped too (casting it is undefined)
        pulses = <int64_t> count if count < self.net.max_pulses else self.net.max_pulses
        up = dw > 0.0
        old_pair_sum = g_pos[s] + g_neg[s]
        weight_before = (g_pos[s] - g_neg[s]) / syn.span
        for p in range(pulses):
            noise = normal_stream_next(&self.learning_normal) if syn.c2c_sigma > 0.0 else 0.0
            below = g_pos[s] + g_neg[s] <= centred_sum   # the device that keeps it centred
            if up and below:
                energy += write_energy(g_pos[s], syn.v_set, syn)
                g_pos[s] = potentiate(g_pos[s], synapses.ltp_a[s], synapses.ltp_b[s], syn, noise)
            elif up:
                energy += write_energy(g_neg[s], syn.v_reset, syn)
                g_neg[s] = depress(g_neg[s], synapses.ltd_a[s], synapses.ltd_b[s], syn, noise)
            elif below:
                energy += write_energy(g_neg[s], syn.v_set, syn)
                g_neg[s] = potentiate(g_neg[s], synapses.ltp_a[s], synapses.ltp_b[s], syn, noise)
            else:
                energy += write_energy(g_pos[s], syn.v_reset, syn)
                g_pos[s] = depress(g_pos[s], synapses.ltd_a[s], synapses.ltd_b[s], syn, noise)
        if accumulate and pulses > 0:
            # verify read: keep what the pair still lacks, within the weight
            # range (see the reference)
            weight = (g_pos[s] - g_neg[s]) / syn.span
            synapses.pending[s] = clip(
                synapses.pending[s] - (weight - weight_before),
                -1.0 - weight, 1.0 - weight)
            energy += syn.v_read * syn.v_read * (g_pos[s] + g_neg[s]) * syn.t_write
        if pulses > 0:
            self.counter_values[WEIGHTS_WRITTEN] += 1
            if inputs:
                self._refresh_input_cache(s, old_pair_sum)
        self._program_energy += energy
        return pulses
