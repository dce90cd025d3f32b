/* tests/fuzz/fuzz_sql.c — an odbc source's query: whatever the text, the
 * scanner ends with a query or a message, never reads past the length it is
 * given (the input is copied to an exact-size heap block for ASan to guard),
 * and each placeholder it binds leaves exactly one ? in a text no longer
 * than the query it came from. */
#include "ingest/odbc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    uf_sql q;
    uf_error err = {0};
    if (uf_sql_parse(s, size, "q.sql", &q, &err) == 0) {
        size_t marks = 0, n = strlen(q.text);
        for (size_t i = 0; i < n; i++)
            marks += q.text[i] == '?';
        if (marks < q.nparams || n + 3 * q.nparams > size) /* {to} is the shortest */
            __builtin_trap();
        uf_sql_free(&q);
    } else if (!err.text[0] || q.text) {
        __builtin_trap();
    }
    free(s);
    return 0;
}
