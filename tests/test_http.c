/* tests/test_http.c — uf_http_get and uf_fetch_sources against a real HTTP
 * server on 127.0.0.1 (tests/http_server.py, started here).  Every fault must
 * end in a UF_ERR_NETWORK naming the source and its redacted URL, with no
 * object and no temporary file left in the archive. */
#include "ingest/sources.h"
#include "publish/archive.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OK_SHA "639af6fbe2e6b6391b0475697bb72ec517707f2972aa3fcdc0f351394b0ec676"
#define OK_BYTES 44
#define TOKEN "s3cret-t0ken"

static pid_t server, tls_server;
static int port, tls_port;
static char archive[64];
static uf_store store; /* the archive, as publishing hands it to the pulls */

/* Starts tests/http_server.py with arg (or none); its first line is the port. */
static pid_t spawn_server(const char *arg, int *port_out)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        execl("/usr/bin/python3", "python3", UF_TEST_DATA "/http_server.py", arg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    int ok = f && fscanf(f, "%d", port_out) == 1;
    if (f)
        fclose(f);
    return ok ? pid : -1;
}

static int start_servers(void **state)
{
    (void)state;
    server = spawn_server(NULL, &port);
    tls_server = spawn_server("--tls", &tls_port);
    return server > 0 && tls_server > 0 ? 0 : -1;
}

static int stop_servers(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        pid_t pid = i ? tls_server : server;
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
        }
    }
    return 0;
}

static int new_archive(void **state)
{
    (void)state;
    snprintf(archive, sizeof archive, "/tmp/uf-http-XXXXXX");
    store = uf_archive_store(archive);
    return mkdtemp(archive) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int drop_archive(void **state)
{
    (void)state;
    return nftw(archive, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Files anywhere in the archive: objects, and leftovers in tmp/. */
static int nfiles;
static int count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path, (void)st, (void)ftw;
    nfiles += flag == FTW_F;
    return 0;
}

static int archive_files(void)
{
    nfiles = 0;
    nftw(archive, count_entry, 16, FTW_PHYS);
    return nfiles;
}

static char *url(const char *path)
{
    return uf_xasprintf("http://127.0.0.1:%d%s", port, path);
}

static long long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* GETs path with opts o (source "dw" unless set); returns uf_http_get's rc. */
static int get(const char *path, uf_http_opts o, uf_input *in, long *status, uf_error *err)
{
    if (!o.source_id)
        o.source_id = "dw";
    if (!o.backoff_ms)
        o.backoff_ms = 10;
    char *u = url(path);
    memset(in, 0, sizeof *in);
    int rc = uf_http_get(u, &o, &store, in, status, err);
    free(u);
    return rc;
}

/* The fault contract: network error, exit 1, source "dw (<url of path>)",
 * the text, and nothing at all left in the archive. */
static void assert_fault(const char *path, uf_http_opts o, const char *text)
{
    uf_input in;
    long status;
    uf_error err = {0};
    assert_int_equal(get(path, o, &in, &status, &err), -1);
    assert_int_equal(err.code, UF_ERR_NETWORK);
    assert_int_equal(uf_exit_code(err.code), 1);
    char *want = uf_xasprintf("dw (http://127.0.0.1:%d%s)", port, path);
    assert_string_equal(err.source, want);
    free(want);
    assert_string_equal(err.text, text);
    assert_int_equal(archive_files(), 0);
}

static void test_redact(void **state)
{
    (void)state;
    char *r = uf_url_redact("https://user:pw@dw.example.se/api/a.csv?period=2024-08&api_key=XYZ"
                            "&Token=1&x#access_token=abc");
    assert_string_equal(r, "https://REDACTED@dw.example.se/api/a.csv?period=2024-08"
                           "&api_key=REDACTED&Token=REDACTED&x#access_token=REDACTED");
    free(r);
    /* A name is a secret by a whole word (camelCase and - _ . split words),
     * or by containing an unmistakable one. */
    r = uf_url_redact("https://dw/x?apiKey=1&X-Amz-Signature=2&mytoken=3&design=4&passage=5&"
                      "keyword=6&sig=7&client_secret=8");
    assert_string_equal(r, "https://dw/x?apiKey=REDACTED&X-Amz-Signature=REDACTED&"
                           "mytoken=REDACTED&design=4&passage=5&keyword=6&sig=REDACTED&"
                           "client_secret=REDACTED");
    free(r);
    r = uf_url_redact("https://api.kolada.se/v3/data/kpi/N79173/municipality/0007/year/2024");
    assert_string_equal(r, "https://api.kolada.se/v3/data/kpi/N79173/municipality/0007/year/2024");
    free(r);
}

static void test_ok_archived(void **state)
{
    (void)state;
    uf_input in;
    long status;
    uf_error err = {0};
    assert_int_equal(get("/ok.csv?period=2024-08&token=" TOKEN, (uf_http_opts){0}, &in, &status,
                         &err), 0);
    assert_int_equal(status, 200);
    assert_int_equal(in.http_status, 200);
    assert_int_equal(in.bytes, OK_BYTES);
    assert_string_equal(in.sha256, OK_SHA);
    char *want = uf_xasprintf("http://127.0.0.1:%d/ok.csv?period=2024-08&token=REDACTED", port);
    assert_string_equal(in.origin, want);
    free(want);
    assert_int_equal(strlen(in.fetched), 20); /* 2024-08-30T07:15:00Z */
    char *obj = uf_archive_object(archive, in.sha256);
    char sha[65];
    long long bytes;
    assert_int_equal(uf_sha256_file(obj, sha, &bytes, &err), 0);
    assert_string_equal(sha, OK_SHA);
    free(obj);
    assert_int_equal(archive_files(), 1); /* the object, no temporary file */
}

static void test_flaky503_then_ok(void **state)
{
    (void)state;
    uf_input in;
    long status;
    uf_error err = {0};
    assert_int_equal(get("/flaky503", (uf_http_opts){.retries = 3}, &in, &status, &err), 0);
    assert_int_equal(status, 200);
    assert_string_equal(in.sha256, OK_SHA);
}

static void test_503_exhausted(void **state)
{
    (void)state;
    assert_fault("/always503", (uf_http_opts){.retries = 3}, "servern svarade 503 efter 4 försök");
}

static void test_429_retry_after(void **state)
{
    (void)state;
    uf_input in;
    long status;
    uf_error err = {0};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(get("/ratelimit", (uf_http_opts){.retries = 2}, &in, &status, &err), 0);
    assert_true(ms_since(&t0) >= 950); /* Retry-After: 1, not the 10 ms backoff */
    assert_int_equal(status, 200);
}

static void test_401_not_retried(void **state)
{
    (void)state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_fault("/auth", (uf_http_opts){.retries = 3, .backoff_ms = 2000, .token = "wrong"},
                 "401: åtkomst nekad, kontrollera token");
    assert_true(ms_since(&t0) < 1500); /* no backoff: 4xx fails at once */
}

static void test_bearer_token(void **state)
{
    (void)state;
    uf_input in;
    long status;
    uf_error err = {0};
    assert_int_equal(get("/auth", (uf_http_opts){.token = TOKEN}, &in, &status, &err), 0);
    assert_int_equal(status, 200);
    assert_null(strstr(in.origin, TOKEN));
}

static void test_timeout(void **state)
{
    (void)state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_fault("/slow", (uf_http_opts){.timeout_s = 1}, "tidsgränsen 1 s överskreds");
    assert_true(ms_since(&t0) < 2900); /* gave up before the server answered */
}

static void test_deadline(void **state)
{
    (void)state;
    /* Each try would wait 2 s for silence; the whole fetch may take 1 s. */
    assert_fault("/slow", (uf_http_opts){.timeout_s = 2, .deadline_s = 1, .retries = 5},
                 "tidsgränsen för hela hämtningen (1 s) överskreds");
}

static void test_truncated(void **state)
{
    (void)state;
    assert_fault("/truncated", (uf_http_opts){.retries = 1},
                 "svaret avbröts efter 1234 av 5000 byte efter 2 försök");
}

static void test_wrong_type(void **state)
{
    (void)state;
    assert_fault("/wrongtype", (uf_http_opts){.accept = "application/json", .retries = 3},
                 "fel innehållstyp text/html, väntade application/json");
}

static void test_oversized(void **state)
{
    (void)state;
    /* Announced by Content-Length, and counted as it arrives. */
    assert_fault("/huge", (uf_http_opts){.max_bytes = 1 << 20}, "svaret är större än 1 MB");
    assert_fault("/huge?nolength", (uf_http_opts){.max_bytes = 1 << 20},
                 "svaret är större än 1 MB");
    assert_fault("/ok.csv", (uf_http_opts){.max_bytes = 40}, "svaret är större än 40 byte");
}

/* A small body that inflates without end is refused while it inflates,
 * long before the extract's size cap (32 GB) would stop it. */
static void test_gzip_bomb(void **state)
{
    (void)state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_fault("/bomb", (uf_http_opts){.max_bytes = 32LL << 30},
                 "svaret packas upp till mer än 100 gånger sin storlek över nätet "
                 "(en dekomprimeringsbomb?)");
    assert_true(ms_since(&t0) < 3000);
}

/* A server that sends a byte now and then is never silent, but is far too
 * slow: the minimum speed over timeout_s stops it, not the hour-long
 * deadline. */
static void test_slow_drip(void **state)
{
    (void)state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_fault("/drip", (uf_http_opts){.timeout_s = 2, .min_bytes_per_s = 100},
                 "servern skickar för långsamt: under 100 byte/s i 2 s");
    assert_true(ms_since(&t0) < 5000);
}

static void test_refused(void **state)
{
    (void)state;
    /* A port that was just free and has nobody listening. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    char *u = uf_xasprintf("http://127.0.0.1:%d/x.csv?key=k1", ntohs(a.sin_port));
    uf_input in = {0};
    long status;
    uf_error err = {0};
    uf_http_opts o = {.source_id = "dw", .retries = 1, .backoff_ms = 10};
    assert_int_equal(uf_http_get(u, &o, &store, &in, &status, &err), -1);
    free(u);
    assert_int_equal(err.code, UF_ERR_NETWORK);
    assert_int_equal(status, 0);
    char *want = uf_xasprintf("dw (http://127.0.0.1:%d/x.csv?key=REDACTED)", ntohs(a.sin_port));
    assert_string_equal(err.source, want);
    free(want);
    assert_string_equal(err.text, "anslutningen nekades efter 2 försök");
    assert_int_equal(archive_files(), 0);
}

static void test_redirects(void **state)
{
    (void)state;
    uf_input in;
    long status;
    uf_error err = {0};
    assert_int_equal(get("/redirect?to=/ok.csv", (uf_http_opts){0}, &in, &status, &err), 0);
    assert_string_equal(in.sha256, OK_SHA);
    drop_archive(NULL);
    new_archive(NULL);
    assert_fault("/loop", (uf_http_opts){0}, "för många omdirigeringar (högst 5)");
}

static void test_plain_http_only_to_loopback(void **state)
{
    (void)state;
    uf_http_opts o = {.source_id = "dw", .token = TOKEN};
    uf_input in = {0};
    long status;
    uf_error err = {0};
    assert_int_equal(
        uf_http_get("http://dw.example.se/samtal.csv?password=pw", &o, &store, &in, &status, &err),
        -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, "dw (http://dw.example.se/samtal.csv?password=REDACTED)");
    assert_non_null(strstr(err.text, "använd https://"));
    assert_int_equal(uf_http_get("ftp://127.0.0.1/x", &o, &store, &in, &status, &err), -1);
    assert_string_equal(err.text, "protokollet ftp stöds inte, väntade https://");
    /* The loopback names are allowed (localhost resolves to 127.0.0.1 here). */
    char *u = uf_xasprintf("http://localhost:%d/ok.csv", port);
    assert_int_equal(uf_http_get(u, &o, &store, &in, &status, &err), 0);
    free(u);
}

static void test_tls_always_verified(void **state)
{
    (void)state;
    char *u = uf_xasprintf("https://127.0.0.1:%d/ok.csv", tls_port);
    uf_http_opts o = {.source_id = "dw", .retries = 2, .backoff_ms = 10};
    uf_input in = {0};
    long status;
    uf_error err = {0};
    /* A self-signed certificate is refused at once, not retried ... */
    assert_int_equal(uf_http_get(u, &o, &store, &in, &status, &err), -1);
    assert_int_equal(err.code, UF_ERR_NETWORK);
    assert_string_equal(err.text, "TLS-förbindelsen kunde inte verifieras");
    assert_int_equal(archive_files(), 0);
    /* ... and accepted once its CA is configured. */
    o.ca_bundle = UF_TEST_DATA "/data/tls/cert.pem";
    assert_int_equal(uf_http_get(u, &o, &store, &in, &status, &err), 0);
    assert_string_equal(in.sha256, OK_SHA);
    free(u);
}

/* ------------------------------------------------------ uf_fetch_sources */

static char *kpi_names[26];

static uf_config make_config(uf_source *src, size_t n)
{
    uf_config cfg = {.sources = src, .nsources = n};
    return cfg;
}

/* uf_fetch_sources for August 2024, which must succeed; its inputs. */
static uf_input *fetch_ok(const uf_config *cfg, size_t *n)
{
    uf_input *in = NULL;
    uf_error err = {0};
    *n = 0;
    int rc = uf_fetch_sources(cfg, uf_month_make(2024, 8), &store, &in, n, &err);
    if (rc)
        uf_error_print(&err, stderr);
    assert_int_equal(rc, 0);
    return in;
}

static void free_inputs_check_token(uf_input *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(in[i].origin, TOKEN));
        assert_null(strstr(in[i].name, TOKEN));
    }
    free(in);
}

static void test_fetch_http_and_kolada_pages(void **state)
{
    (void)state;
    for (int i = 0; i < 26; i++)
        kpi_names[i] = uf_xasprintf("N%05d", i + 1);
    char *dw = url("/auth?period={period}");
    char *kol = url("/kolada/v3/");
    char *areas[] = {"0007", "0000"};
    uf_source src[] = {
        {.id = "samtal-dw", .kind = "http", .file = "samtal.csv", .url = dw,
         .token_env = "UF_TEST_DW_TOKEN", .timeout_s = 5, .retries = 1},
        {.id = "kolada", .kind = "kolada", .url = kol, .kpis = kpi_names, .nkpis = 26,
         .areas = areas, .nareas = 2, .years = 2, .timeout_s = 5},
    };
    uf_config cfg = make_config(src, 2);
    setenv("UF_TEST_DW_TOKEN", TOKEN "\n", 1);
    size_t n;
    uf_input *in = fetch_ok(&cfg, &n);
    uf_error err = {0};

    /* The extract, then two chunks of KPIs (25 + 1), two pages each. */
    assert_int_equal(n, 5);
    assert_string_equal(in[0].role, "http");
    assert_string_equal(in[0].name, "samtal.csv");
    assert_string_equal(in[0].sha256, OK_SHA);
    char *want = url("/auth?period=2024-08");
    assert_string_equal(in[0].origin, want);
    free(want);
    want = uf_xasprintf("http://127.0.0.1:%d/kolada/v3/data/kpi/N00001,N00002,N00003,N00004,"
                        "N00005,N00006,N00007,N00008,N00009,N00010,N00011,N00012,N00013,N00014,"
                        "N00015,N00016,N00017,N00018,N00019,N00020,N00021,N00022,N00023,N00024,"
                        "N00025/municipality/0007,0000/year/2023,2024", port);
    assert_string_equal(in[1].origin, want);
    free(want);
    want = url("/kolada/v3/data/kpi/N00026/municipality/0007,0000/year/2023,2024");
    assert_string_equal(in[3].origin, want);
    free(want);
    want = url("/kolada/v3/page2");
    assert_string_equal(in[2].origin, want);
    assert_string_equal(in[4].origin, want);
    free(want);
    assert_string_equal(in[1].role, "kolada");
    assert_string_equal(in[1].name, "kolada-N00001-0007-p1.json");
    assert_string_equal(in[2].name, "kolada-N00001-0007-p2.json");
    assert_string_equal(in[3].name, "kolada-N00026-0007-p1.json");
    assert_int_equal(in[2].http_status, 200);

    /* What was archived is what the documents will read. */
    uf_kolada k = {0};
    char *next = NULL;
    for (int i = 1; i <= 2; i++) {
        char *obj = uf_archive_object(archive, in[i].sha256);
        assert_int_equal(uf_kolada_parse(obj, in[i].name, &k, &next, &err), 0);
        free(obj);
        assert_true((next != NULL) == (i == 1));
        free(next);
    }
    assert_int_equal(k.n, 5);
    assert_string_equal(k.v[4].area, "0000");
    assert_true(k.v[4].value == 92.5);
    uf_kolada_free(&k);
    free_inputs_check_token(in, n);
    for (int i = 0; i < 26; i++)
        free(kpi_names[i]);
    free(dw);
    free(kol);
}

static void test_fetch_token_file_and_missing(void **state)
{
    (void)state;
    char *dw = url("/auth");
    char *tokfile = uf_xasprintf("%s/token", archive);
    FILE *f = fopen(tokfile, "w");
    fputs(TOKEN "\r\nsecond line\n", f);
    fclose(f);
    uf_source src = {.id = "dw", .kind = "http", .file = "samtal.csv", .url = dw,
                     .token_file = tokfile};
    uf_config cfg = make_config(&src, 1);
    uf_input *in = NULL;
    size_t n = 0;
    uf_error err = {0};
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(in[0].sha256, OK_SHA);
    free_inputs_check_token(in, n);

    f = fopen(tokfile, "w");
    fputs("Bearer " TOKEN "\n", f); /* a space would let a header be forged */
    fclose(f);
    in = NULL, n = 0;
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_null(strstr(err.text, TOKEN));
    assert_int_equal(n, 0);

    src.token_file = NULL;
    src.token_env = "UF_TEST_NO_SUCH_TOKEN";
    unsetenv("UF_TEST_NO_SUCH_TOKEN");
    in = NULL, n = 0;
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, "dw");
    assert_non_null(strstr(err.text, "UF_TEST_NO_SUCH_TOKEN"));
    assert_int_equal(n, 0);
    free(in);
    free(tokfile);
    free(dw);
}

/* A warehouse behind the region's own CA: "ca_bundle" reaches curl; the
 * source's deadline bounds every retry. */
static void test_fetch_ca_bundle_and_deadline(void **state)
{
    (void)state;
    char *dw = uf_xasprintf("https://127.0.0.1:%d/ok.csv", tls_port);
    uf_source src = {.id = "dw", .kind = "http", .file = "samtal.csv", .url = dw,
                     .ca_bundle = UF_TEST_DATA "/data/tls/cert.pem", .retries = 1};
    uf_config cfg = make_config(&src, 1);
    size_t n;
    uf_input *in = fetch_ok(&cfg, &n);
    uf_error err = {0};
    assert_string_equal(in[0].sha256, OK_SHA);
    free(in);
    in = NULL, n = 0;
    src.ca_bundle = "/nonexistent/ca.pem"; /* a wrong setting is named as such */
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_string_equal(err.text, "CA-filen /nonexistent/ca.pem i ca_bundle kunde inte läsas");
    free(in);
    in = NULL, n = 0;
    src.ca_bundle = NULL; /* the system's CAs do not know it */
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_string_equal(err.text, "TLS-förbindelsen kunde inte verifieras");
    free(in);
    free(dw);

    char *slow = url("/slow");
    src = (uf_source){.id = "dw", .kind = "http", .file = "samtal.csv", .url = slow,
                      .timeout_s = 2, .deadline_s = 1, .retries = 5};
    in = NULL, n = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_string_equal(err.text, "tidsgränsen för hela hämtningen (1 s) överskreds");
    assert_true(ms_since(&t0) < 2500);
    free(in);
    free(slow);
}

static void test_fetch_kolada_bad_json(void **state)
{
    (void)state;
    char *base = url("/badjson/v3");
    char *kpis[] = {"N79173", "N79179"}, *areas[] = {"0007", "0000"};
    /* required: the failure stops the pull (otherwise see test_fetch_kolada_not_required) */
    uf_source src = {.id = "kolada", .kind = "kolada", .url = base, .kpis = kpis, .nkpis = 2,
                     .areas = areas, .nareas = 2, .years = 1, .retries = 2, .required = 1};
    uf_config cfg = make_config(&src, 1);
    uf_input *in = NULL;
    size_t n = 0;
    uf_error err = {0};
    assert_int_equal(uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &n, &err), -1);
    assert_int_equal(err.code, UF_ERR_NETWORK);
    assert_int_equal(uf_exit_code(err.code), 1);
    char *want = uf_xasprintf(
        "kolada (http://127.0.0.1:%d/badjson/v3/data/kpi/N79173,N79179/municipality/0007,0000"
        "/year/2024)", port);
    assert_string_equal(err.source, want);
    free(want);
    assert_string_equal(err.text, "ogiltig JSON på rad 1 kolumn 25");
    /* The page was whole, so it stays archived as pulled; nothing partial. */
    assert_int_equal(n, 1);
    assert_int_equal(archive_files(), 1);
    free(in);
    free(base);
}

/* A comparison that fails is left out: its pages are not inputs, a note
 * that says why is (kolada-saknas), and the pull goes on. */
static void test_fetch_kolada_not_required(void **state)
{
    (void)state;
    char *base = url("/badjson/v3");
    char *kpis[] = {"N79173"}, *areas[] = {"0007"};
    uf_source src = {.id = "kolada", .kind = "kolada", .url = base, .kpis = kpis, .nkpis = 1,
                     .areas = areas, .nareas = 1, .years = 1};
    uf_config cfg = make_config(&src, 1);
    uf_input *in = NULL;
    size_t got = 0;
    uf_error err = {0};
    int rc = uf_fetch_sources(&cfg, uf_month_make(2024, 8), &store, &in, &got, &err);
    assert_true(rc == 0 && err.code == UF_OK && got == 1);
    /* the bad page and the note are archived; only the note is an input */
    assert_int_equal(archive_files(), 2);
    assert_string_equal(in[0].role, UF_KOLADA_MISSING_ROLE);
    assert_string_equal(in[0].name, "kolada-saknas.txt");
    assert_string_equal(in[0].origin, "kolada");
    free(in);
    free(base);
}

#define T(f) cmocka_unit_test_setup_teardown(f, new_archive, drop_archive)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_redact),
        T(test_ok_archived),
        T(test_flaky503_then_ok),
        T(test_503_exhausted),
        T(test_429_retry_after),
        T(test_401_not_retried),
        T(test_bearer_token),
        T(test_timeout),
        T(test_deadline),
        T(test_truncated),
        T(test_wrong_type),
        T(test_oversized),
        T(test_gzip_bomb),
        T(test_slow_drip),
        T(test_refused),
        T(test_redirects),
        T(test_plain_http_only_to_loopback),
        T(test_tls_always_verified),
        T(test_fetch_http_and_kolada_pages),
        T(test_fetch_token_file_and_missing),
        T(test_fetch_ca_bundle_and_deadline),
        T(test_fetch_kolada_bad_json),
        T(test_fetch_kolada_not_required),
    };
    return cmocka_run_group_tests(tests, start_servers, stop_servers);
}
