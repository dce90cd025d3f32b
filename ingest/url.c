/* ingest/url.c — secrets in URLs.  Messages, the fetch index and the
 * manifest show a source's URL with its secrets replaced (uf_url_redact);
 * the config reader refuses a URL that carries one (uf_url_secret), since
 * the config itself is archived byte for byte.  No network here: the
 * config reader and its fuzz harness use it without libcurl. */
#include "ingest/sources.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDACTED "REDACTED"

/* Whether a query parameter's name says it holds a secret.  A word no
 * innocent name contains counts anywhere in it ("mytoken"); a short one
 * only as a whole word of the name, split at non-letters and at camelCase
 * ("api_key", "apiKey", "sig"; not "monkey", "design" or "passage").  The
 * config refuses what this finds (uf_url_secret), so it must not cry wolf. */
static const char *const secret_anywhere[] = {"token",      "secret",        "password",
                                              "passwd",     "apikey",        "signature",
                                              "credential", "authorization", "bearer",
                                              "jwt",        "cookie",        NULL};
static const char *const secret_word[] = {"key",  "pass",    "pwd",       "auth",
                                          "sig",  "session", "sessionid", NULL};

static int secret_name(const char *s, size_t n)
{
    for (const char *const *w = secret_anywhere; *w; w++) {
        size_t wl = strlen(*w);
        for (size_t i = 0; i + wl <= n; i++)
            if (strncasecmp(s + i, *w, wl) == 0)
                return 1;
    }
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (!isalnum(u[i])) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && isalnum(u[j]) && !(islower(u[j - 1]) && isupper(u[j])))
            j++;
        for (const char *const *w = secret_word; *w; w++)
            if (j - i == strlen(*w) && strncasecmp(s + i, *w, j - i) == 0)
                return 1;
        i = j;
    }
    return 0;
}

/* What redaction found, for uf_url_secret: the first secret parameter's
 * name, or that the URL has a user part. */
typedef struct {
    const char *name;
    size_t len;
    int userinfo;
} found;

/* Appends the parameters of s[0..n) ('&'-separated) to out, secrets replaced. */
static char *redact_params(char *out, const char *s, size_t n, found *f)
{
    while (n > 0) {
        size_t len = 0;
        while (len < n && s[len] != '&')
            len++;
        const char *eq = memchr(s, '=', len);
        if (eq && secret_name(s, (size_t)(eq - s))) {
            if (!f->name)
                f->name = s, f->len = (size_t)(eq - s);
            size_t kl = (size_t)(eq - s) + 1;
            memcpy(out, s, kl);
            out += kl;
            out = stpcpy(out, REDACTED);
        } else {
            memcpy(out, s, len);
            out += len;
        }
        if (len < n)
            *out++ = '&', len++;
        s += len;
        n -= len;
    }
    return out;
}

static char *redact(const char *url, found *f)
{
    /* Each part grows by at most strlen(REDACTED) per parameter, and there are
     * fewer parameters than characters. */
    size_t n = strlen(url);
    char *out = uf_xmalloc(n * (sizeof REDACTED) + sizeof REDACTED + 1);
    char *o = out;
    const char *p = url;

    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *host = scheme + 3;
        size_t alen = strcspn(host, "/?#");
        const char *at = memrchr(host, '@', alen);
        o = mempcpy(o, url, (size_t)(host - url));
        if (at) { /* user:password@ is a credential, whatever it looks like */
            o = stpcpy(o, REDACTED);
            host = at;
            f->userinfo = 1;
        }
        p = host;
    }
    size_t plen = strcspn(p, "?#");
    o = mempcpy(o, p, plen);
    p += plen;
    while (*p == '?' || *p == '#') { /* the query, then the fragment */
        *o++ = *p++;
        size_t len = strcspn(p, "#");
        o = redact_params(o, p, len, f);
        p += len;
    }
    *o = '\0';
    return out;
}

char *uf_url_redact(const char *url)
{
    found f = {0};
    return redact(url, &f);
}

const char *uf_url_secret(const char *url, char *buf, size_t n)
{
    found f = {0};
    free(redact(url, &f));
    if (f.userinfo)
        snprintf(buf, n, "användare och lösenord före @");
    else if (f.name)
        snprintf(buf, n, "parametern \"%.*s\"", (int)(f.len < 80 ? f.len : 80), f.name);
    else
        return NULL;
    return buf;
}
