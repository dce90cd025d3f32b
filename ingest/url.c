/* ingest/url.c — secrets in URLs and ODBC connection strings.  Messages,
 * the fetch index and the manifest show a source's URL or connection string
 * with its secrets replaced (uf_url_redact, uf_connstr_redact); the config
 * reader refuses one that carries a secret (uf_url_secret,
 * uf_connstr_secret), since the config itself is archived byte for byte.
 * No network here: the config reader and its fuzz harness use it without
 * libcurl or ODBC. */
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

/* The length of the key=value pair at the start of s[0..n), up to its
 * separator.  In a connection string (sep ';') a value in braces may hold
 * the separator, a closing brace doubled: PWD={a;b}}c}. */
static size_t pair_len(const char *s, size_t n, char sep)
{
    size_t i = 0;
    while (i < n && s[i] != sep && s[i] != '=')
        i++;
    if (sep == ';' && i < n && s[i] == '=') {
        size_t j = i + 1;
        while (j < n && s[j] == ' ')
            j++;
        if (j < n && s[j] == '{') {
            for (j++; j < n; j++) {
                if (s[j] != '}')
                    continue;
                if (j + 1 < n && s[j + 1] == '}') { /* "}}" is a brace of the value */
                    j++;
                    continue;
                }
                break;
            }
            i = j;
        }
    }
    while (i < n && s[i] != sep)
        i++;
    return i;
}

/* Appends the key=value pairs of s[0..n), separated by sep ('&' in a URL's
 * query, ';' in a connection string), to out, secret values replaced. */
static char *redact_pairs(char *out, const char *s, size_t n, char sep, found *f)
{
    while (n > 0) {
        size_t len = pair_len(s, n, sep);
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
            *out++ = sep, len++;
        s += len;
        n -= len;
    }
    return out;
}

/* Room for s redacted: each pair grows by at most strlen(REDACTED), and
 * there are fewer pairs than characters. */
static char *redaction_buffer(size_t n)
{
    return uf_xmalloc(n * (sizeof REDACTED) + sizeof REDACTED + 1);
}

static char *redact(const char *url, found *f)
{
    char *out = redaction_buffer(strlen(url));
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
        o = redact_pairs(o, p, len, '&', f);
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

/* What redaction found, for a message: "parametern \"api_key\"" (what says
 * what it is called there); NULL when nothing. */
static const char *name_found(found *f, const char *what, char *buf, size_t n)
{
    if (f->userinfo) {
        snprintf(buf, n, "användare och lösenord före @");
        return buf;
    }
    if (!f->name)
        return NULL;
    while (f->len > 0 && *f->name == ' ') /* "DSN=x; PWD=y" */
        f->name++, f->len--;
    snprintf(buf, n, "%s \"%.*s\"", what, (int)(f->len < 80 ? f->len : 80), f->name);
    return buf;
}

const char *uf_url_secret(const char *url, char *buf, size_t n)
{
    found f = {0};
    free(redact(url, &f));
    return name_found(&f, "parametern", buf, n);
}

static char *connstr_redact(const char *cs, found *f)
{
    size_t n = strlen(cs);
    char *out = redaction_buffer(n);
    *redact_pairs(out, cs, n, ';', f) = '\0';
    return out;
}

char *uf_connstr_redact(const char *cs)
{
    found f = {0};
    return connstr_redact(cs, &f);
}

const char *uf_connstr_secret(const char *cs, char *buf, size_t n)
{
    found f = {0};
    free(connstr_redact(cs, &f));
    return name_found(&f, "nyckeln", buf, n);
}
