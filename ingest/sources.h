/* ingest/sources.h — private to ingest/: what the config reader and the
 * pulls share about sources: secrets in URLs and connection strings, the
 * waits between attempts, one HTTP GET into a store, the CSV a derived
 * extract is written as, and the name a JSON-rows source's payload is
 * archived under. */
#ifndef UF_INGEST_SOURCES_H
#define UF_INGEST_SOURCES_H

#include "ingest/ingest.h"

/* ingest/url.c — secrets in URLs. */
/* Redacts secrets (token=, key=, password=, user:password@) in a URL. */
char *uf_url_redact(const char *url);
/* The secret a URL carries, for a message: "parametern \"api_key\"" or
 * "användare och lösenord före @"; NULL when it carries none that
 * uf_url_redact would hide. */
const char *uf_url_secret(const char *url, char *buf, size_t n);
/* The same for an ODBC connection string ("Driver=...;PWD={...}"): the
 * values of secret keys (PWD, Password, ...) replaced; braces respected. */
char *uf_connstr_redact(const char *cs);
/* The secret key a connection string carries ("nyckeln \"PWD\""), or NULL. */
const char *uf_connstr_secret(const char *cs, char *buf, size_t n);

/* ingest/odbc.c — stores len bytes (an odbc pull's query as written and
 * description, a failed comparison's note) as one input, through a
 * temporary file named prefix-XXXXXX, as pulled payloads are. */
int uf_store_put_bytes(const uf_store *st, const char *prefix, const void *data, size_t len,
                       const char *origin, uf_input *in, uf_error *err);

/* ingest/retry.c — waiting between a source's attempts (http, odbc). */
long long uf_now_ms(void); /* a monotonic clock */
void uf_sleep_ms(long long ms);
/* base_ms doubled for each attempt after the first, with 50-100 % jitter. */
long long uf_backoff_ms(long long base_ms, int attempt);

/* ingest/http.c — one HTTP GET into a store.  Retries with exponential
 * backoff and jitter on 429 (honouring Retry-After), 5xx and network errors;
 * other 4xx fail at once.  TLS is always verified; plain http:// only to
 * loopback.  The body goes to a temporary file, then into the store: no
 * partial object ever exists.  Secrets never reach a message. */
#define UF_DEADLINE_S 1800L /* a source's whole fetch, unless its config says */
typedef struct {
    const char *source_id;  /* for messages: "samtal-dw" */
    const char *token;      /* bearer token, or NULL; never logged */
    long timeout_s;         /* per request: silence, or less than min_bytes_per_s, this long */
    long deadline_s;        /* for the whole fetch, retries included; 0: UF_DEADLINE_S */
    long min_bytes_per_s;   /* 0: 1024 */
    int retries;
    long long max_bytes;    /* larger bodies are refused */
    const char *ca_bundle;  /* NULL: the system's */
    const char *accept;     /* expected content type prefix, or NULL */
    long backoff_ms;        /* wait before the first retry, doubled each time; 0: 1000 */
    int page;               /* shown in progress for paged sources; 0 when not paged */
} uf_http_opts;

int uf_http_get(const char *url, const uf_http_opts *o, const uf_store *st, uf_input *in,
                long *status, uf_error *err);

/* ingest/rows.c */
char *uf_rows_payload(const char *extract); /* "samtal.csv" -> "samtal.json" */

/* ingest/csvout.c — the CSV uppfolj writes for an extract it derives (JSON
 * rows, an ODBC result): ';' between fields, LF after each row, UTF-8, and
 * RFC 4180 quotes only around a field holding ';', '"' or a line break.
 * Independent of locale and clock: the same values give the same bytes. */
void uf_csvout_text(FILE *f, const char *s, size_t n);
void uf_csvout_real(FILE *f, double x); /* shortest round trip, decimal point */

#endif
