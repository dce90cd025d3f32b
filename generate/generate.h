/* generate/generate.h — the synthetic region behind the demo, the tests
 * and bench/: a tool beside the pipeline, using core/ only. */
#ifndef UF_GENERATE_H
#define UF_GENERATE_H

#include "core/core.h"

/* generate/generate.c — a synthetic region, deterministic from the seed. */
typedef struct {
    const char *out_dir;
    long units;
    long patients;
    int months;      /* months of visits ending with period (30 by default) */
    uint64_t seed;
    uf_month period; /* the last month generated */
} uf_gen_opts;

int uf_generate(const uf_gen_opts *o, uf_error *err);

#endif
