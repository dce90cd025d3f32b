/* generate/rng.h — the generator's randomness: splitmix64, a fixed and
 * portable PRNG, so the same seed gives the same bytes on every machine.
 * Streams are keyed by (seed, purpose, a, b) rather than drawn from one
 * sequence, so each file, unit, month and patient can be generated on its
 * own, in any order or thread, and still come out the same. */
#ifndef UF_GENERATE_RNG_H
#define UF_GENERATE_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct {
    uint64_t s;
} uf_rng;

/* splitmix64's finaliser: a bijective 64-bit mix. */
static inline uint64_t uf_rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline uint64_t uf_rng_key(uint64_t seed, uint64_t purpose)
{
    return uf_rng_mix(uf_rng_mix(seed) ^ (purpose * 0x9e3779b97f4a7c15u));
}

static inline uf_rng uf_rng_at(uint64_t key, uint64_t a, uint64_t b)
{
    uf_rng r = {uf_rng_mix(key ^ uf_rng_mix(a * 0xd1b54a32d192ed03u + b))};
    return r;
}

static inline uint64_t uf_rng_next(uf_rng *r)
{
    r->s += 0x9e3779b97f4a7c15u;
    return uf_rng_mix(r->s);
}

/* Uniform in [0, 1). */
static inline double uf_rng_unit(uf_rng *r) { return (double)(uf_rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform in [0, n), n > 0 (Lemire's multiply, bias below 2^-32). */
static inline uint32_t uf_rng_below(uf_rng *r, uint32_t n)
{
    return (uint32_t)(((uf_rng_next(r) >> 32) * n) >> 32);
}

static inline int uf_rng_chance(uf_rng *r, double p) { return uf_rng_unit(r) < p; }

/* Roughly standard normal (sum of four uniforms): cheap, bounded, enough
 * for jitter on synthetic counts. */
static inline double uf_rng_gauss(uf_rng *r)
{
    double s = uf_rng_unit(r) + uf_rng_unit(r) + uf_rng_unit(r) + uf_rng_unit(r);
    return (s - 2.0) * 1.7320508075688772;
}

/* Exponential with the given mean. */
static inline double uf_rng_exp(uf_rng *r, double mean) { return -mean * log1p(-uf_rng_unit(r)); }

#endif
