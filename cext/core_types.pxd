# C-level declarations of the compiled core (memctrl._core): the C kernels and RNG
# (neuron_kernel.h, rng.h) and the structs the core keeps its parameters and arrays in.

from libc.stddef cimport ptrdiff_t
from libc.stdint cimport int32_t, uint64_t


cdef extern from "rng.h" nogil:
    ctypedef struct Xoroshiro128:
        uint64_t s[2]

    ctypedef struct NormalStream:
        Xoroshiro128 rng
        double spare
        int has_spare

    uint64_t splitmix64_next(uint64_t *state)
    void xoroshiro128_seed(Xoroshiro128 *rng, uint64_t *splitmix_state)
    double xoroshiro128_uniform(Xoroshiro128 *rng)
    double normal_stream_next(NormalStream *stream)


cdef extern from "vecmath.h" nogil:
    double VM_EXPM1_MAX


cdef extern from "neuron_kernel.h" nogil:
    ctypedef struct NeuronConstants:
        double h
        double alpha, beta, gamma1, gamma2
        double inv_lam
        double off_curve_norm
        double r_on, r_off, c_gate, v_threshold, noise_sigma
        double v_spike
        double trace_decay

    ctypedef struct NeuronArrays:
        double *filament
        double *residue
        double *v_gate
        double *trace_pre
        double *output
        double *edge
        const double *mu
        const double *inv_r_leak
        const double *drive
        const double *rec_drive
        uint64_t *rng[2]

    ctypedef struct SubstepTotals:
        double input_energy, spikes, high, edges

    ctypedef void (*NeuronSubstepFn)(const NeuronConstants *, const NeuronArrays *, ptrdiff_t,
                                     ptrdiff_t, SubstepTotals *) noexcept nogil

    NeuronSubstepFn neuron_substep_for(const char *isa, int noisy)
    int neuron_kernel_supports(const char *isa)
    const char *neuron_kernel_best_isa()


ctypedef struct NetworkConstants:
    ptrdiff_t n_neurons, n_inputs, substeps, max_pulses
    double h                  # device seconds per substep
    double v_spike            # V
    double trace_decay        # exp(-dt / tau_trace)
    double elig_decay         # exp(-dt / tau_eligibility)
    double program_threshold  # levels; 0: program every update at once
    double output_energy      # J per high output per substep: v_dd^2 / r_load * h
    bint stochastic_rounding


ctypedef struct SynapseConstants:
    double g_min, g_max, span  # S
    double levels              # pulses from bound to bound
    double c2c_sigma           # write noise per pulse, fraction of span
    double v_set, v_reset      # V
    double t_write             # s
    double v_read              # V (verify reads)


# Per input channel.
ctypedef struct InputChannels:
    double *trace_in            # (n_inputs,) low-pass of the input voltages, V
    double *weight_t            # (n_inputs, n_neurons) input weights, transposed
    double *read_conductance    # (n_inputs,) sum over neurons of g_pos + g_neg, S


# One population of synapses as the learning rule sees it (flat, in storage order).
ctypedef struct SynapseArrays:
    double *g_pos
    double *g_neg
    const double *ltp_a            # pulse maps of the devices (synapse.pulse_map):
    const double *ltp_b            # a pulse moves the fraction f to min(a f + b, 1)
    const double *ltd_a
    const double *ltd_b
    double *elig
    double *pending                # accumulated change not yet programmed (program_threshold)
    ptrdiff_t size


# Recurrent synapses: CSR by postsynaptic neuron, plus the outgoing index and, in
# outgoing order, caches of the weights and read conductances (refreshed by learning).
ctypedef struct RecurrentArrays:
    const int32_t *indptr          # (n + 1,) synapses into neuron i: indptr[i]:indptr[i + 1]
    const int32_t *pre             # (nnz,)
    const int32_t *out_indptr      # (n + 1,) synapses out of neuron k, by position in out_syn
    const int32_t *out_syn         # (nnz,)
    const int32_t *out_post        # (nnz,) target of out_syn[j]
    double *out_weight             # (nnz,) (g_pos - g_neg) / span of out_syn[j]
    double *out_read_conductance   # (n,) sum of g_pos + g_neg over the synapses out of k
