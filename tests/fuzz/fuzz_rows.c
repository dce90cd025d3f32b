/* tests/fuzz/fuzz_rows.c — a data warehouse's JSON rows as the network might
 * deliver them, turned into the extract compute reads. */
#include "ingest/sources.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char csv[64];
    if (!csv[0]) {
        int fd = memfd_create("uppfolj-fuzz-csv", 0);
        if (fd < 0)
            abort();
        snprintf(csv, sizeof csv, "/proc/self/fd/%d", fd);
    }
    uf_error err = {0};
    if (uf_rows_to_csv(fuzz_file(data, size), "samtal.csv", csv, &err) < 0)
        fuzz_print(&err);
    return 0;
}
