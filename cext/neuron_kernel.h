/* One substep of every neuron: memctrl.device.neuron.neuron_step, vectorised.
 *
 * The loops mirror neuron_step name for name (x, r_d, field, d_filament,
 * d_residue, conductance, v_inf, tau, decay, v_new, charge_in). They are
 * written in C rather than Cython for two things Cython cannot emit:
 * `#pragma omp simd` (the compiler vectorises the loops, reductions included,
 * with -fopenmp-simd and no OpenMP runtime) and per-function target attributes
 * (x86-64 builds stay portable, yet run AVX2+FMA or AVX-512 code where the CPU
 * has it, picked once at run time; other CPUs run the baseline build, which
 * GCC and Clang vectorise for SSE2 or NEON).
 *
 * What is computed is neuron_step's arithmetic, regrouped to spend fewer
 * divisions (the same mathematics; results differ by rounding, about 1e-16):
 *   (1 - x) / lam                 -> (1 - x) * inv_lam
 *   expm1(...) / expm1(1 / lam)   -> expm1(...) * off_curve_norm
 *   1 / r_d and 1 / (alpha + |1 - x|) from one division, 1 / (r_d * field_gap)
 *   v_inf = v_in / (r_d conductance) -> v_in * inv_r_d * inv_conductance
 *   tau = c_gate / conductance    -> c_gate * inv_conductance
 *   exp(-h / tau)                 -> exp(-(h / c_gate) * conductance)
 *   (...) / r_d                   -> (...) * inv_r_d
 *   xi * sqrt(sigma |dX|), xi = sqrt(radius2) * direction
 *                                 -> sqrt(sigma |dX| radius2) * direction
 * and exp/expm1 are the branch-free versions of vecmath.h.
 *
 * Per neuron it also does the parts of the network substep that need the new
 * output: the presynaptic trace, and the output-edge flags from which the core
 * updates eligibility and the recurrent drive.
 */
#ifndef MEMCTRL_NEURON_KERNEL_H
#define MEMCTRL_NEURON_KERNEL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "rng.h"
#include "vecmath.h"

/* Device constants of one substep (NeuronParams, with dt folded in). */
typedef struct {
    double h;               /* device seconds per substep, dt / time_scale */
    double alpha, beta, gamma1, gamma2;
    double inv_lam;         /* 1 / lam */
    double off_curve_norm;  /* 1 / expm1(1 / lam), normalises the OFF curve */
    double r_on, r_off, c_gate, v_threshold, noise_sigma;
    double v_spike;         /* V of the spike driver per unit recurrent weight */
    double trace_decay;     /* exp(-dt / tau_trace) */
} NeuronConstants;

/* Per-neuron arrays, each of length n. */
typedef struct {
    double *filament, *residue, *v_gate, *trace_pre;
    double *output;         /* 1.0 where the gate is above threshold, else 0.0 (doubles,
                               so that the loops use one vector width) */
    double *edge;           /* 1.0 where the output changed in the last substep, else 0.0 */
    const double *mu, *inv_r_leak, *drive, *rec_drive;
    uint64_t *rng[2];       /* xoroshiro128++ state of each neuron, word-major */
} NeuronArrays;

/* Sums over the neurons of one substep. */
typedef struct {
    double input_energy;    /* J */
    double spikes, high, edges;  /* counts (exact in a double) */
} SubstepTotals;

#ifndef NEURON_BLOCK
#define NEURON_BLOCK 256  /* neurons per block: the stages hand over through L1 */
#endif

typedef void (*NeuronSubstepFn)(const NeuronConstants *, const NeuronArrays *,
                                ptrdiff_t, ptrdiff_t, SubstepTotals *);

/* Hand-over between the stages of one block of neurons (indexed from the block start). */
typedef struct {
    double radius2[NEURON_BLOCK], cos_dir[NEURON_BLOCK], sin_dir[NEURON_BLOCK];
    double v_in[NEURON_BLOCK], inv_r_d[NEURON_BLOCK], inv_field_gap[NEURON_BLOCK];
} BlockScratch;

/* Stage 1: a standard-normal pair per neuron (cycle-to-cycle noise of F and R). */
VM_INLINE void noise_stage(const NeuronArrays *a, ptrdiff_t begin, ptrdiff_t count,
                           BlockScratch *restrict scratch) {
    uint64_t *restrict rng0 = a->rng[0] + begin;
    uint64_t *restrict rng1 = a->rng[1] + begin;
#pragma omp simd
    for (ptrdiff_t k = 0; k < count; ++k) {
        uint64_t bits = xoroshiro128pp_step(&rng0[k], &rng1[k]);
        scratch->radius2[k] = normal_pair(bits, &scratch->cos_dir[k], &scratch->sin_dir[k]);
    }
}

/* Stage 2: input voltage and the memristor: R_d(x) and the field-enhancement gap. */
VM_INLINE void memristor_stage(const NeuronConstants *p, const NeuronArrays *a, ptrdiff_t begin,
                               ptrdiff_t count, BlockScratch *restrict scratch) {
    const double *restrict filament = a->filament + begin;
    const double *restrict residue = a->residue + begin;
    const double *restrict drive = a->drive + begin;
    const double *restrict rec_drive = a->rec_drive + begin;
    const double alpha = p->alpha, inv_lam = p->inv_lam, v_spike = p->v_spike;
    const double r_on = p->r_on, r_off = p->r_off, off_curve_norm = p->off_curve_norm;
#pragma omp simd
    for (ptrdiff_t k = 0; k < count; ++k) {
        const double sum = filament[k] + residue[k];   /* >= 0: both are clipped at 0 */
        const double x = sum > 1.0 ? 1.0 : sum;
        /* (1 - x) / lam lies in [0, 1 / lam] and the core requires 1 / lam <= VM_EXPM1_MAX */
        const double r_d = r_on * x + r_off * (vm_expm1_nonneg((1.0 - x) * inv_lam) * off_curve_norm);
        /* one division gives both 1 / r_d and 1 / (alpha + |1 - x|) */
        const double field_gap = alpha + fabs(1.0 - x);
        const double inv_product = 1.0 / (r_d * field_gap);
        scratch->v_in[k] = drive[k] + v_spike * rec_drive[k];
        scratch->inv_r_d[k] = field_gap * inv_product;
        scratch->inv_field_gap[k] = r_d * inv_product;
    }
}

/* Stage 3: the Euler step of filament and residue, with cycle-to-cycle noise. */
VM_INLINE void filament_stage(const NeuronConstants *p, const NeuronArrays *a, ptrdiff_t begin,
                              ptrdiff_t count, const int noisy,
                              const BlockScratch *restrict scratch) {
    double *restrict filament = a->filament + begin;
    double *restrict residue = a->residue + begin;
    const double *restrict v_gate = a->v_gate + begin;
    const double *restrict mu = a->mu + begin;
    const double h = p->h, beta = p->beta, noise_sigma = p->noise_sigma;
    const double filament_rate = -(p->gamma1 + p->beta);
    const double residue_rate = -p->gamma2;
#pragma omp simd
    for (ptrdiff_t k = 0; k < count; ++k) {
        const double f = filament[k], r = residue[k], v = v_gate[k], v_in = scratch->v_in[k];
        const double field = v_in > v ? (v_in - v) * scratch->inv_field_gap[k] : 0.0;
        double d_filament = (filament_rate * f + mu[k] * field) * h;
        double d_residue = (residue_rate * r + beta * f) * h;
        if (noisy) {
            /* dX += xi sqrt(noise_sigma |dX|), xi = sqrt(radius2) * direction */
            const double radius2 = scratch->radius2[k];
            d_filament += sqrt(noise_sigma * fabs(d_filament) * radius2)
                          * scratch->cos_dir[k];
            d_residue += sqrt(noise_sigma * fabs(d_residue) * radius2)
                         * scratch->sin_dir[k];
        }
        const double f_new = f + d_filament, r_new = r + d_residue;
        filament[k] = f_new < 0.0 ? 0.0 : f_new;
        residue[k] = r_new < 0.0 ? 0.0 : r_new;
    }
}

/* Stage 4: the gate over the substep (exact exponential), energy, output and traces. */
VM_INLINE void gate_stage(const NeuronConstants *p, const NeuronArrays *a, ptrdiff_t begin,
                          ptrdiff_t count, const BlockScratch *restrict scratch,
                          SubstepTotals *totals) {
    double *restrict v_gate = a->v_gate + begin;
    double *restrict output = a->output + begin;
    double *restrict edge = a->edge + begin;
    double *restrict trace_pre = a->trace_pre + begin;
    const double *restrict inv_r_leak = a->inv_r_leak + begin;
    const double h = p->h, c_gate = p->c_gate, h_over_c_gate = p->h / p->c_gate;
    const double v_threshold = p->v_threshold, trace_decay = p->trace_decay;
    double input_energy = 0.0, spikes = 0.0, high = 0.0, edges = 0.0;
#pragma omp simd reduction(+ : input_energy, spikes, high, edges)
    for (ptrdiff_t k = 0; k < count; ++k) {
        const double v_in = scratch->v_in[k], inv_r_d = scratch->inv_r_d[k], v = v_gate[k];
        const double conductance = inv_r_d + inv_r_leak[k];
        const double inv_conductance = 1.0 / conductance;
        const double v_inf = v_in * inv_r_d * inv_conductance;     /* v_in / (r_d conductance) */
        const double tau = c_gate * inv_conductance;
        const double decay = vm_exp_nonpos(-h_over_c_gate * conductance);  /* exp(-h / tau) */
        const double v_new = v_inf + (v - v_inf) * decay;
        const double charge_in = ((v_in - v_inf) * h - (v - v_inf) * tau * (1.0 - decay)) * inv_r_d;
        input_energy += v_in * charge_in;

        v_gate[k] = v_new;
        const double was_high = output[k];
        const double is_high = v_new > v_threshold ? 1.0 : 0.0;
        const double spike = is_high > was_high ? 1.0 : 0.0;
        const double changed = is_high != was_high ? 1.0 : 0.0;
        output[k] = is_high;
        edge[k] = changed;
        trace_pre[k] = trace_decay * trace_pre[k] + spike;
        spikes += spike;
        high += is_high;
        edges += changed;
    }
    totals->input_energy += input_energy;
    totals->spikes += spikes;
    totals->high += high;
    totals->edges += edges;
}

/* Neurons [begin, end) of one substep, block by block. A neuron's substep is
 * one long chain of dependent operations; split into stages, each a short loop
 * over the block, the CPU overlaps more neurons (measured 1.1-1.3x faster than
 * one fused loop). The scratch lives on the stack, so nothing is allocated. */
VM_INLINE void neuron_substep_body(const NeuronConstants *p, const NeuronArrays *a,
                                   ptrdiff_t begin, ptrdiff_t end, const int noisy,
                                   SubstepTotals *totals) {
    BlockScratch scratch;
    SubstepTotals sums = {0.0, 0.0, 0.0, 0.0};
    for (ptrdiff_t block = begin; block < end; block += NEURON_BLOCK) {
        ptrdiff_t count = end - block < NEURON_BLOCK ? end - block : NEURON_BLOCK;
        if (noisy) noise_stage(a, block, count, &scratch);
        memristor_stage(p, a, block, count, &scratch);
        filament_stage(p, a, block, count, noisy, &scratch);
        gate_stage(p, a, block, count, &scratch, &sums);
    }
    *totals = sums;
}

#define MEMCTRL_NEURON_KERNEL(name, target, noisy)                                      \
    target static void name(const NeuronConstants *p, const NeuronArrays *a,            \
                            ptrdiff_t begin, ptrdiff_t end, SubstepTotals *totals) {    \
        neuron_substep_body(p, a, begin, end, noisy, totals);                           \
    }

MEMCTRL_NEURON_KERNEL(neuron_substep_quiet, , 0)
MEMCTRL_NEURON_KERNEL(neuron_substep_noisy, , 1)

/* x86-64: the same kernel compiled for AVX2+FMA and for AVX-512, picked at run time. */
#if defined(__x86_64__) && defined(__GNUC__)
#define MEMCTRL_X86_KERNELS 1
#if defined(__clang__)
#define MEMCTRL_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,fma")))
#else
#define MEMCTRL_TARGET_AVX512 \
    __attribute__((target("avx512f,avx512dq,avx512vl,fma,prefer-vector-width=512")))
#endif
#define MEMCTRL_TARGET_AVX2 __attribute__((target("avx2,fma")))
MEMCTRL_NEURON_KERNEL(neuron_substep_quiet_avx2, MEMCTRL_TARGET_AVX2, 0)
MEMCTRL_NEURON_KERNEL(neuron_substep_noisy_avx2, MEMCTRL_TARGET_AVX2, 1)
MEMCTRL_NEURON_KERNEL(neuron_substep_quiet_avx512, MEMCTRL_TARGET_AVX512, 0)
MEMCTRL_NEURON_KERNEL(neuron_substep_noisy_avx512, MEMCTRL_TARGET_AVX512, 1)
#endif

/* Whether this CPU runs the kernel compiled for `isa` ("avx512", "avx2", "baseline"). */
static inline int neuron_kernel_supports(const char *isa) {
    if (strcmp(isa, "baseline") == 0) return 1;
#ifdef MEMCTRL_X86_KERNELS
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (strcmp(isa, "avx2") == 0) return avx2;
    if (strcmp(isa, "avx512") == 0)
        return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
               && __builtin_cpu_supports("avx512vl");
#endif
    return 0;
}

/* The widest instruction set this CPU runs the kernel with. */
static inline const char *neuron_kernel_best_isa(void) {
    if (neuron_kernel_supports("avx512")) return "avx512";
    if (neuron_kernel_supports("avx2")) return "avx2";
    return "baseline";
}

/* The kernel for `isa`, with or without cycle-to-cycle noise; NULL if this CPU
 * cannot run it. All variants compute the same thing up to rounding. */
static inline NeuronSubstepFn neuron_substep_for(const char *isa, int noisy) {
    if (!neuron_kernel_supports(isa)) return NULL;
#ifdef MEMCTRL_X86_KERNELS
    if (strcmp(isa, "avx512") == 0)
        return noisy ? neuron_substep_noisy_avx512 : neuron_substep_quiet_avx512;
    if (strcmp(isa, "avx2") == 0)
        return noisy ? neuron_substep_noisy_avx2 : neuron_substep_quiet_avx2;
#endif
    return noisy ? neuron_substep_noisy : neuron_substep_quiet;
}

#endif /* MEMCTRL_NEURON_KERNEL_H */
