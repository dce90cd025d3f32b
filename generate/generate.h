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
    /* Shapes for bench/ (the defaults are the demo's): nine-digit numeric
     * patient ids instead of pseudonyms, besok.csv ordered by patient
     * instead of by month, and visits at this percentage of the usual rate
     * (0 means 100). */
    int numeric_ids, by_patient, visit_percent;
} uf_gen_opts;

int uf_generate(const uf_gen_opts *o, uf_error *err);

#endif
