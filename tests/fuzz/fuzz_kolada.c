/* tests/fuzz/fuzz_kolada.c — one Kolada page as the network might deliver
 * it: truncated, wrong shapes, nulls, huge numbers. */
#include "ingest/ingest.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uf_kolada k = {0};
    char *next = NULL;
    uf_error err = {0};
    if (uf_kolada_parse(fuzz_file(data, size), "kolada", &k, &next, &err) < 0)
        fuzz_print(&err);
    free(next);
    uf_kolada_free(&k);
    return 0;
}
