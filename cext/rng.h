/* Random numbers of the compiled core: splitmix64 seeding, xoroshiro128++
 * streams and standard-normal pairs (Box-Muller).
 *
 * Every neuron owns a xoroshiro128++ stream (period 2^128 - 1), kept
 * structure-of-arrays (word w of neuron i in state[w][i]), so the neuron loop
 * advances all streams in SIMD lanes and a neuron's noise does not depend on
 * how the loop is split. A separate scalar stream serves the (cold) learning
 * path. All streams are seeded from one 64-bit seed through splitmix64, as the
 * xoroshiro authors recommend (Blackman and Vigna, https://prng.di.unimi.it/).
 */
#ifndef MEMCTRL_RNG_H
#define MEMCTRL_RNG_H

#include <math.h>
#include <stdint.h>
#include "vecmath.h"

#define RNG_HALF_PI 1.5707963267948966

typedef struct {
    uint64_t s[2];
} Xoroshiro128;

/* Next output of the splitmix64 sequence in *state (Steele, Lea and Flood 2014). */
static inline uint64_t splitmix64_next(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

VM_INLINE uint64_t rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* One xoroshiro128++ step on a state held in two words; returns the output. */
VM_INLINE uint64_t xoroshiro128pp_step(uint64_t *s0, uint64_t *s1) {
    const uint64_t a = *s0, b = *s1 ^ *s0;
    const uint64_t result = rng_rotl(*s0 + *s1, 17) + *s0;
    *s0 = rng_rotl(a, 49) ^ b ^ (b << 21);
    *s1 = rng_rotl(b, 28);
    return result;
}

static inline void xoroshiro128_seed(Xoroshiro128 *rng, uint64_t *splitmix_state) {
    rng->s[0] = splitmix64_next(splitmix_state);
    rng->s[1] = splitmix64_next(splitmix_state);
}

static inline uint64_t xoroshiro128_next(Xoroshiro128 *rng) {
    return xoroshiro128pp_step(&rng->s[0], &rng->s[1]);
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double xoroshiro128_uniform(Xoroshiro128 *rng) {
    return (double)(xoroshiro128_next(rng) >> 11) * 0x1.0p-53;
}

/* A pair of independent standard normals from one 64-bit random word.
 *
 * Box-Muller: the high 32 bits give u in (0, 1) and the squared radius
 * -2 log u; the low 32 bits give the angle, two bits for the quadrant and 30
 * for the offset within it (|phi| <= pi/4, where the sin/cos polynomials are
 * accurate). Returns the squared radius and sets (*cos_dir, *sin_dir) to the
 * unit direction, so that the normals are sqrt(radius2) * cos_dir and
 * sqrt(radius2) * sin_dir; callers that scale a normal by sqrt(a) fold a into
 * one square root. Tails are cut at |z| = 6.76 (u >= 2^-33).
 */
VM_INLINE double normal_pair(uint64_t bits, double *cos_dir, double *sin_dir) {
    double u = (vm_small_uint_to_double(bits >> 32) + 0.5) * 0x1.0p-32;
    double radius2 = -2.0 * vm_log(u);
    uint64_t quadrant = (bits >> 30) & 3;
    double offset = (vm_small_uint_to_double(bits & 0x3fffffffULL) + 0.5) * 0x1.0p-30;
    double s, c;
    vm_sincos_quarter((offset - 0.5) * RNG_HALF_PI, &s, &c);
    /* rotate (c, s) by quadrant * pi/2: (c, s), (-s, c), (-c, -s), (s, -c) */
    uint64_t swap = 0 - (quadrant & 1);  /* all ones in quadrants 1 and 3 */
    uint64_t first = (vm_bits(s) & swap) | (vm_bits(c) & ~swap);
    uint64_t second = (vm_bits(c) & swap) | (vm_bits(s) & ~swap);
    *cos_dir = vm_double(first ^ (((quadrant + 1) & 2) << 62));
    *sin_dir = vm_double(second ^ ((quadrant & 2) << 62));
    return radius2;
}

/* Scalar standard normal for the learning path; caches the second of each pair. */
typedef struct {
    Xoroshiro128 rng;
    double spare;
    int has_spare;
} NormalStream;

static inline double normal_stream_next(NormalStream *stream) {
    if (stream->has_spare) {
        stream->has_spare = 0;
        return stream->spare;
    }
    double cos_dir, sin_dir;
    double radius = sqrt(normal_pair(xoroshiro128_next(&stream->rng), &cos_dir, &sin_dir));
    stream->spare = radius * sin_dir;
    stream->has_spare = 1;
    return radius * cos_dir;
}

#endif /* MEMCTRL_RNG_H */
