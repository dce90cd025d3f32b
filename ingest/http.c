/* ingest/http.c — one HTTP GET into a store (the archive).
 *
 * The body goes to a temporary file the store gives and into the store
 * only once it is known to be whole (status 200, expected content type,
 * within the size cap, as long as announced); any failure unlinks it, so no
 * partial object ever exists.  Transient faults (429, 5xx, refused or broken
 * connections, timeouts, short bodies) are retried with exponential backoff
 * and jitter; a Retry-After is honoured.  Every message names the source by
 * its id and its redacted URL (ingest/url.c): the token and query-string
 * secrets never reach a message, a log line or the manifest. */
#include "ingest/sources.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum {
    DEFAULT_TIMEOUT_S = 60,
    DEFAULT_MIN_SPEED = 1024, /* bytes/s over timeout_s */
    DEFAULT_BACKOFF_MS = 1000,
    MAX_REDIRECTS = 5,
    /* Past 16 MB decoded, a body may not have inflated more than 100-fold:
     * CSV compresses 5-20 times, a deflate bomb a thousand (and stacked
     * encodings far more).  The size cap alone would let a 32 MB body
     * become 32 GB on disk. */
    BOMB_FLOOR = 16 << 20,
    BOMB_RATIO = 100,
};
#define DEFAULT_MAX_BYTES (50LL << 20)
#define MB (1LL << 20)

/* --------------------------------------------------------------- transfer */

typedef struct {
    CURL *curl;
    const uf_http_opts *o;
    int fd;
    long long bytes, max;
    long min_speed;
    int too_big, bomb, write_errno, plain_refused;
    long long shown_tenths; /* last progress shown, in tenths of a MB */
} xfer;

static size_t on_write(char *data, size_t size, size_t nmemb, void *arg)
{
    xfer *x = arg;
    size_t n = size * nmemb;
    if (x->bytes + (long long)n > x->max) {
        x->too_big = 1;
        return 0;
    }
    if (x->bytes + (long long)n > BOMB_FLOOR) {
        curl_off_t wire = 0; /* the body's bytes as they came, before decoding */
        curl_easy_getinfo(x->curl, CURLINFO_SIZE_DOWNLOAD_T, &wire);
        if ((x->bytes + (long long)n) / BOMB_RATIO > (long long)wire) {
            x->bomb = 1;
            return 0;
        }
    }
    for (size_t off = 0; off < n;) {
        ssize_t w = write(x->fd, data + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            x->write_errno = errno;
            return 0;
        }
        off += (size_t)w;
    }
    x->bytes += (long long)n;
    return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)ultotal, (void)ulnow;
    xfer *x = arg;
    long long tenths = (long long)dlnow * 10 / MB;
    if (tenths == x->shown_tenths)
        return 0;
    x->shown_tenths = tenths;
    if (x->o->page > 0)
        uf_progress("hämtar %s: %lld,%lld MB, sida %d", x->o->source_id, tenths / 10,
                    tenths % 10, x->o->page);
    else
        uf_progress("hämtar %s: %lld,%lld MB", x->o->source_id, tenths / 10, tenths % 10);
    return 0;
}

static int ip_loopback(const char *ip)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, ip, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, ip, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* Before each request, redirects included: plain http only to this machine.
 * The name was checked before the transfer; this checks the address the
 * name led to, so a token is never sent unencrypted over a network. */
static int on_prereq(void *arg, char *primary_ip, char *local_ip, int primary_port,
                     int local_port)
{
    (void)local_ip, (void)primary_port, (void)local_port;
    xfer *x = arg;
    const char *scheme = NULL;
    curl_easy_getinfo(x->curl, CURLINFO_SCHEME, &scheme);
    if (scheme && strcasecmp(scheme, "https") != 0 && !ip_loopback(primary_ip)) {
        x->plain_refused = 1;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

/* http:// only for 127.0.0.0/8, localhost and [::1]; https:// for the rest. */
static int check_url(const char *url, int *plain, const char *src, uf_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = -1;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        uf_error_set(err, UF_ERR_CONFIG, src, 0, 0, NULL,
                     "ogiltig adress, väntade https://värd/sökväg");
        goto done;
    }
    *plain = strcasecmp(scheme, "http") == 0;
    if (!*plain && strcasecmp(scheme, "https") != 0) {
        uf_error_set(err, UF_ERR_CONFIG, src, 0, 0, NULL,
                     "protokollet %s stöds inte, väntade https://", scheme);
        goto done;
    }
    size_t hl = strlen(host);
    if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') /* IPv6 literal */
        memmove(host, host + 1, hl - 2), host[hl - 2] = '\0';
    if (*plain && strcasecmp(host, "localhost") != 0 && !ip_loopback(host)) {
        uf_error_set(err, UF_ERR_CONFIG, src, 0, 0, NULL,
                     "okrypterad http:// tillåts bara till den egna datorn "
                     "(127.0.0.1, localhost, [::1]); använd https://");
        goto done;
    }
    rc = 0;
done:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static void size_text(long long b, char *out, size_t n)
{
    if (b >= MB && b % MB == 0)
        snprintf(out, n, "%lld MB", b / MB);
    else
        snprintf(out, n, "%lld byte", b);
}

/* Whether content type ct starts with one of the comma-separated prefixes. */
static int type_ok(const char *ct, const char *accept)
{
    while (*accept) {
        size_t n = strcspn(accept, ",");
        if (n > 0 && strncasecmp(ct, accept, n) == 0 &&
            (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return 1;
        accept += n;
        accept += strspn(accept, ", ");
    }
    return 0;
}

typedef enum { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_FAIL } verdict;

typedef struct {
    verdict v;
    uf_code code;   /* for FAIL */
    char text[256]; /* what went wrong */
    long long retry_after_ms;
} outcome;

#define OUT(oc, verdict_, code_, ...)                                                      \
    ((oc)->v = (verdict_), (oc)->code = (code_),                                          \
     snprintf((oc)->text, sizeof (oc)->text, __VA_ARGS__))

/* Classifies one finished transfer. */
static void judge(xfer *x, CURLcode rc, long status, long timeout_s, long deadline_hit_s,
                  outcome *oc)
{
    CURL *c = x->curl;
    char size[32];
    size_text(x->max, size, sizeof size);
    oc->retry_after_ms = 0;
    if (rc == CURLE_OK) {
        if (status == 200) {
            const char *ct = NULL;
            curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
            if (x->o->accept && !ct)
                OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "innehållstyp saknas, väntade %s",
                    x->o->accept);
            else if (x->o->accept && !type_ok(ct, x->o->accept))
                OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "fel innehållstyp %.*s, väntade %s",
                    (int)strcspn(ct, "; "), ct, x->o->accept);
            else
                oc->v = ATTEMPT_DONE;
        } else if (status == 429 || status >= 500) {
            curl_off_t after = 0;
            curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after);
            oc->retry_after_ms = (long long)after * 1000;
            OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "servern svarade %ld", status);
        } else if (status == 401 || status == 403) {
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "%ld: åtkomst nekad, kontrollera token",
                status);
        } else if (status == 404) {
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "404: adressen finns inte");
        } else {
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "servern svarade %ld, väntade 200", status);
        }
        return;
    }
    curl_off_t got = 0, announced = -1;
    switch (rc) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (x->bomb)
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK,
                "svaret packas upp till mer än %d gånger sin storlek över nätet (en "
                "dekomprimeringsbomb?)",
                BOMB_RATIO);
        else if (x->write_errno)
            OUT(oc, ATTEMPT_FAIL, UF_ERR_IO, "kunde inte skriva till arkivet: %s",
                uf_strerrno(x->write_errno));
        else
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "svaret är större än %s", size);
        break;
    case CURLE_COULDNT_CONNECT:
        OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "anslutningen nekades");
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "värdnamnet kunde inte slås upp");
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (deadline_hit_s)
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK,
                "tidsgränsen för hela hämtningen (%ld s) överskreds", deadline_hit_s);
        else if (x->bytes > 0) /* not silent: too slow */
            OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK,
                "servern skickar för långsamt: under %ld byte/s i %ld s", x->min_speed,
                timeout_s);
        else
            OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "tidsgränsen %ld s överskreds", timeout_s);
        break;
    case CURLE_PARTIAL_FILE:
        curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
        curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
        if (announced >= 0)
            OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "svaret avbröts efter %lld av %lld byte",
                (long long)got, (long long)announced);
        else
            OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "svaret avbröts efter %lld byte",
                (long long)got);
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        OUT(oc, ATTEMPT_RETRY, UF_ERR_NETWORK, "anslutningen bröts");
        break;
    case CURLE_SSL_CACERT_BADFILE:
        /* Without ca_bundle the file is the system's: on a bare server that is a
         * missing package, not a wrong setting. */
        if (x->o->ca_bundle) {
            OUT(oc, ATTEMPT_FAIL, UF_ERR_CONFIG, "CA-filen %s i ca_bundle kunde inte läsas",
                x->o->ca_bundle);
        } else {
            const char *sys = NULL;
            curl_easy_getinfo(c, CURLINFO_CAINFO, &sys);
            OUT(oc, ATTEMPT_FAIL, UF_ERR_CONFIG,
                "systemets CA-fil %s kunde inte läsas: installera paketet ca-certificates "
                "eller ange ca_bundle",
                sys ? sys : "(okänd)");
        }
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
        OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "TLS-förbindelsen kunde inte verifieras");
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "för många omdirigeringar (högst %d)",
            MAX_REDIRECTS);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "omdirigering till ett otillåtet protokoll");
        break;
    default:
        if (x->plain_refused)
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK,
                "okrypterad http till en annan dator än den egna är inte tillåten");
        else /* curl's static text: it never holds the URL */
            OUT(oc, ATTEMPT_FAIL, UF_ERR_NETWORK, "nätverksfel: %s", curl_easy_strerror(rc));
    }
}

static void setup(CURL *c, xfer *x, const char *url, int plain, long timeout_s)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    char agent[48];
    snprintf(agent, sizeof agent, "uppfolj/%s", uf_version);
    curl_easy_setopt(c, CURLOPT_USERAGENT, agent); /* curl keeps a copy */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, plain ? "http,https" : "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (x->o->ca_bundle)
        curl_easy_setopt(c, CURLOPT_CAINFO, x->o->ca_bundle);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, x);
    if (x->o->token) { /* curl keeps it off redirects to other hosts */
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
        curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, x->o->token);
    }
    /* The timeout bounds a stall, not the whole body: a large extract may
     * take longer than timeout_s, but never sends less than min_speed a
     * second over that long (silence, or a drip that would hold the fetch
     * until its deadline). */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, x->min_speed);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, timeout_s);
}

int uf_http_get(const char *url, const uf_http_opts *o, const uf_store *st, uf_input *in,
                long *status, uf_error *err)
{
    char *shown = uf_url_redact(url);
    char *src = uf_xasprintf("%s (%s)", o->source_id ? o->source_id : "http", shown);
    long timeout_s = o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S;
    long long deadline_ms = (o->deadline_s > 0 ? o->deadline_s : UF_DEADLINE_S) * 1000LL;
    long long backoff = o->backoff_ms > 0 ? o->backoff_ms : DEFAULT_BACKOFF_MS;
    long code = 0;
    int plain = 0, rc = -1, fd = -1;
    uf_tmpfile tmp = {.fd = -1, .slot = -1};
    CURL *c = NULL;
    xfer x = {.o = o, .max = o->max_bytes > 0 ? o->max_bytes : DEFAULT_MAX_BYTES,
              .min_speed = o->min_bytes_per_s > 0 ? o->min_bytes_per_s : DEFAULT_MIN_SPEED};
    outcome oc = {0};
    *status = 0;

    if (check_url(url, &plain, src, err) || st->tmpfile(st, "http", &tmp, err))
        goto done;
    fd = tmp.fd;
    c = curl_easy_init();
    if (!c) {
        uf_error_set(err, UF_ERR_NETWORK, src, 0, 0, NULL, "libcurl kunde inte startas");
        goto done;
    }
    x.curl = c, x.fd = fd;
    setup(c, &x, url, plain, timeout_s);

    long long start = uf_now_ms();
    int attempt = 1;
    for (;; attempt++) {
        long long left = start + deadline_ms - uf_now_ms();
        if (left < 1)
            left = 1; /* 0 would mean curl's own default */
        if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
            OUT(&oc, ATTEMPT_FAIL, UF_ERR_IO, "kunde inte skriva till arkivet: %s",
                uf_strerrno(errno));
            break;
        }
        x.bytes = 0, x.too_big = 0, x.bomb = 0, x.write_errno = 0, x.shown_tenths = -1;
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         (long)(left < timeout_s * 1000LL ? left : timeout_s * 1000LL));
        CURLcode cr = curl_easy_perform(c);
        code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        judge(&x, cr, code, timeout_s, uf_now_ms() >= start + deadline_ms ? deadline_ms / 1000 : 0,
              &oc);
        if (oc.v != ATTEMPT_RETRY || attempt > o->retries)
            break;
        long long wait = oc.retry_after_ms > 0 ? oc.retry_after_ms
                                               : uf_backoff_ms(backoff, attempt);
        if (uf_now_ms() + wait >= start + deadline_ms)
            break; /* the next attempt could not finish in time anyway */
        uf_sleep_ms(wait);
    }
    if (oc.v != ATTEMPT_DONE) {
        if (attempt > 1)
            uf_error_set(err, oc.code, src, 0, 0, NULL, "%s efter %d försök", oc.text, attempt);
        else
            uf_error_set(err, oc.code, src, 0, 0, NULL, "%s", oc.text);
        goto done;
    }
    if (st->put(st, tmp.path, in, err))
        goto done;
    snprintf(in->origin, sizeof in->origin, "%s", shown);
    in->http_status = code;
    rc = 0;
done:
    *status = code;
    if (c)
        curl_easy_cleanup(c);
    uf_tmpfile_close(&tmp, 0);
    free(shown);
    free(src);
    return rc;
}
