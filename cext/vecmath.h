/* Branch-free exp, expm1, log and sin/cos that compilers can vectorise.
 *
 * libm's functions are opaque calls, so a loop that calls them stays scalar.
 * These are plain arithmetic on doubles and on their bit patterns (no tables,
 * no branches, no integer/double conversions the baseline ISA lacks), so GCC
 * and Clang vectorise loops that use them under `#pragma omp simd` on SSE2,
 * AVX2, AVX-512 and NEON alike.
 *
 * Each has the domain its caller needs and checks nothing else, since every
 * comparison and select costs time in the neuron loop: vm_expm1_nonneg takes
 * [0, 708] (the OFF-curve argument (1 - x) / lam), vm_exp_nonpos takes x <= 0
 * (the gate's decay).
 *
 * Accuracy: exp and expm1 are within about 2 ulp (Cody-Waite reduction and a
 * degree-13 Taylor polynomial); vm_log and vm_sincos_quarter only shape random
 * numbers with 30-32 random bits and are accurate to 2e-11.
 */
#ifndef MEMCTRL_VECMATH_H
#define MEMCTRL_VECMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define VM_INLINE static inline __attribute__((always_inline))
#define VM_EXPM1_MAX 708.0  /* largest argument of vm_expm1_nonneg */

VM_INLINE uint64_t vm_bits(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
VM_INLINE double vm_double(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }

/* The integer 0 <= k < 2^52 as a double, without an int64 -> double conversion. */
VM_INLINE double vm_small_uint_to_double(uint64_t k) {
    return vm_double(k | 0x4330000000000000ULL) - 4503599627370496.0;  /* 2^52 */
}

/* expm1(r) for |r| <= ln2 / 2: r + r^2 P(r), P(r) = sum_k r^k / (k + 2)! for
 * k = 0..11, evaluated by Estrin's scheme (a short dependency chain). */
VM_INLINE double vm_expm1_reduced(double r) {
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q0 = 1.0 / 2.0 + r * (1.0 / 6.0);
    double q1 = 1.0 / 24.0 + r * (1.0 / 120.0);
    double q2 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    double q3 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    double q4 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    double q5 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    double p = (q0 + q1 * r2) + (q2 + q3 * r2) * r4 + (q4 + q5 * r2) * r8;
    return r + r2 * p;
}

/* x = k ln2 + r with |r| <= ln2 / 2, for |x| <= 708; returns r, sets *scale = 2^k. */
VM_INLINE double vm_reduce(double x, double *scale) {
    const double shifter = 6755399441055744.0;           /* 1.5 * 2^52 */
    const double inv_ln2 = 1.4426950408889634;
    const double ln2_hi = 6.93147180369123816490e-01;    /* k * ln2_hi is exact */
    const double ln2_lo = 1.90821492927058770002e-10;
    double shifted = x * inv_ln2 + shifter;
    double k = shifted - shifter;
    uint64_t k_bits = vm_bits(shifted) - vm_bits(shifter);  /* k as a two's-complement integer */
    *scale = vm_double((k_bits + 1023) << 52);
    return (x - k * ln2_hi) - k * ln2_lo;
}

/* expm1(x) for 0 <= x <= VM_EXPM1_MAX (callers guarantee the range). */
VM_INLINE double vm_expm1_nonneg(double x) {
    double scale;
    double r = vm_reduce(x, &scale);
    return scale * vm_expm1_reduced(r) + (scale - 1.0);
}

/* exp(x) for x <= 0; 0 below -708, where the true value is subnormal (< 2.3e-308). */
VM_INLINE double vm_exp_nonpos(double x) {
    double scale;
    double r = vm_reduce(x < -708.0 ? -708.0 : x, &scale);
    double value = scale + scale * vm_expm1_reduced(r);
    return x < -708.0 ? 0.0 : value;
}

/* log(u) for a normal double u > 0: u = 2^k (1 + f) with 1 + f in
 * [sqrt(1/2), sqrt(2)), log(1 + f) = 2 atanh(s), s = f / (2 + f), |s| < 0.172,
 * atanh to degree 13 (relative error below 1e-12). */
VM_INLINE double vm_log(double u) {
    const uint64_t sqrt_half_bits = 0x3fe6a09e667f3bcdULL;
    uint64_t shifted = vm_bits(u) + (0x3ff0000000000000ULL - sqrt_half_bits);
    double k = vm_small_uint_to_double(shifted >> 52) - 1023.0;
    double m = vm_double((shifted & 0x000fffffffffffffULL) + sqrt_half_bits);
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double s2 = s * s;
    double p = 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    double log_m = 2.0 * s + 2.0 * s * s2 * p;
    return k * 0.6931471805599453 + log_m;
}

/* sin and cos of phi for |phi| <= pi/4 (Taylor to degree 11 and 12: relative
 * error below 2e-11, far below the 2^-30 resolution of the angles it is fed). */
VM_INLINE void vm_sincos_quarter(double phi, double *sin_phi, double *cos_phi) {
    double z = phi * phi;
    double s = 1.0 / 39916800.0;
    s = s * z - 1.0 / 362880.0;
    s = s * z + 1.0 / 5040.0;
    s = s * z - 1.0 / 120.0;
    s = s * z + 1.0 / 6.0;
    *sin_phi = phi - phi * z * s;
    double c = -1.0 / 479001600.0;
    c = c * z + 1.0 / 3628800.0;
    c = c * z - 1.0 / 40320.0;
    c = c * z + 1.0 / 720.0;
    c = c * z - 1.0 / 24.0;
    c = c * z + 0.5;
    *cos_phi = 1.0 - z * c;
}

#endif /* MEMCTRL_VECMATH_H */
