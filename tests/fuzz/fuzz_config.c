/* tests/fuzz/fuzz_config.c — uppfolj.json on hostile bytes: jansson's
 * errors translated to Swedish with line and column, and the key walk that
 * finds a member's position again in the text. */
#include "ingest/ingest.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uf_config cfg;
    uf_error err = {0};
    if (uf_config_load(fuzz_file(data, size), &cfg, &err) == 0) {
        char *p = uf_config_expand(cfg.extracts, uf_month_make(2024, 8));
        free(p);
        uf_config_free(&cfg);
    } else {
        fuzz_print(&err);
    }
    return 0;
}
