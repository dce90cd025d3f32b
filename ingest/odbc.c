/* ingest/odbc.c — an extract pulled from a data warehouse with SQL.
 *
 * One connection per attempt (SQLDriverConnect: a DSN of odbc.ini or a
 * connection string, the password added last and wiped), one prepared query
 * whose {period}, {from} and {to} are bound as parameters (sql.c), and the
 * result fetched in batches of rows into bound column buffers and written
 * out as CSV as it comes: memory does not grow with the rows.  Everything
 * goes through the wide (UTF-16) calls, so that text arrives as Unicode
 * whatever the driver's or the process's locale.
 *
 * The CSV is byte-stable (the same rows give the same bytes): ';' between
 * fields, RFC 4180 quotes (ingest/csvout.c), LF line ends, UTF-8; NULL is an
 * empty field; dates YYYY-MM-DD; timestamps YYYY-MM-DD HH:MM:SS (fractions
 * of a second dropped); integers as they are; floating and scaled decimal
 * values as the shortest decimal with a point that reads back the same;
 * bit J/N; fixed-width CHAR without its padding.  It is archived, with the
 * query text and a description of the pull, before anything reads it; a
 * re-run reads the archived CSV and never connects.
 *
 * A lost connection (SQLSTATE class 08, but for 08004, a rejection) is
 * retried with backoff from the start: a new connection, the query again,
 * the file rewritten.  The driver's own message is passed on with its
 * SQLSTATE, scrubbed: a driver may echo the connection string, and with it
 * the password. */
#include "ingest/odbc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    DEFAULT_BACKOFF_MS = 1000,
    TEXT_MAX_CHARS = 4000,      /* longer than any field of an extract */
    /* A character beyond U+FFFF is two UTF-16 units, and a column's size
     * counts characters (PostgreSQL) or units (SQL Server): two a character. */
    TEXT_MAX_UNITS = 2 * TEXT_MAX_CHARS,
    BATCH_BYTES = 4 << 20,      /* bound buffers for one batch of rows */
    BATCH_MAX_ROWS = 1024,
    DIAG_TEXT = 360,            /* of the driver's message, in a uf_error */
};
#define REDACTED "REDACTED"

/* How a result column is fetched and written. */
typedef enum { K_TEXT, K_CHAR, K_INT, K_REAL, K_BIT, K_DATE, K_TIMESTAMP } kind;

typedef struct {
    char *name;     /* UTF-8 */
    char *type;     /* the DBMS's name for its type, for the description */
    kind k;
    SQLSMALLINT ctype;
    SQLLEN width;   /* bytes of one row's value */
    size_t chars;   /* text: the longest value it takes */
    unsigned char *buf;
    SQLLEN *ind;
} column;

typedef struct {
    const uf_source *s;
    const char *password;
    char *src;   /* "dw-kontakter (sql/kontakter.sql)": how messages name the pull */
    char *shown; /* the connection as messages and the description show it */
    char period[8], from[11], to[11];
    SQL_DATE_STRUCT from_d, to_d;
    SQLLEN nts, fixed; /* the parameters' length indicators */
    uf_sql q;
    long long deadline_ms; /* on the monotonic clock */
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT stmt;
    column *cols;
    SQLSMALLINT ncols;
    SQLULEN batch, fetched;
    SQLUSMALLINT *status;
    long long rows;
    char *wide_text; /* a converted text value: room for TEXT_MAX_UNITS */
    char driver[128], driver_ver[64], odbc_ver[16], dbms[128], dbms_ver[64];
} pull;

/* What went wrong in an attempt: retry, or give up with err filled. */
typedef enum { DONE, RETRY, FAIL } verdict;

/* ------------------------------------------------------------ text */

/* UTF-8 (checked where it came in) to NUL-terminated UTF-16. */
static SQLWCHAR *to_wide(const char *s)
{
    size_t n = strlen(s);
    SQLWCHAR *w = uf_xmalloc((n + 1) * sizeof *w), *o = w;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp = *p++;
        int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
        cp &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
        for (; more > 0 && (*p & 0xc0) == 0x80; more--)
            cp = cp << 6 | (*p++ & 0x3f);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            *o++ = (SQLWCHAR)(0xd800 | cp >> 10);
            *o++ = (SQLWCHAR)(0xdc00 | (cp & 0x3ff));
        } else {
            *o++ = (SQLWCHAR)cp;
        }
    }
    *o = 0;
    return w;
}

static void wipe_wide(SQLWCHAR *w)
{
    size_t n = 0;
    while (w[n])
        n++;
    explicit_bzero(w, n * sizeof *w);
    free(w);
}

/* units of UTF-16 at w as UTF-8 into out (room for units * 3 + 1 bytes);
 * its length, or -1 at a lone surrogate. */
static long from_wide(const SQLWCHAR *w, size_t units, char *out)
{
    char *o = out;
    for (size_t i = 0; i < units; i++) {
        uint32_t cp = w[i];
        if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units && w[i + 1] >= 0xdc00 &&
            w[i + 1] < 0xe000)
            cp = 0x10000 + ((cp - 0xd800) << 10) + (w[++i] - 0xdc00);
        else if (cp >= 0xd800 && cp < 0xe000)
            return -1;
        if (cp < 0x80) {
            *o++ = (char)cp;
        } else if (cp < 0x800) {
            *o++ = (char)(0xc0 | cp >> 6);
            *o++ = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            *o++ = (char)(0xe0 | cp >> 12);
            *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
            *o++ = (char)(0x80 | (cp & 0x3f));
        } else {
            *o++ = (char)(0xf0 | cp >> 18);
            *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
            *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
            *o++ = (char)(0x80 | (cp & 0x3f));
        }
    }
    *o = '\0';
    return (long)(o - out);
}

/* A NUL-terminated wide string of at most cap units (its length in bytes
 * in len, as ODBC reports it) as a fresh UTF-8 string. */
static char *wide_dup(const SQLWCHAR *w, SQLLEN bytes, size_t cap)
{
    size_t units = bytes > 0 ? (size_t)bytes / sizeof *w : 0;
    if (units > cap)
        units = cap;
    char *out = uf_xmalloc(units * 3 + 1);
    if (from_wide(w, units, out) < 0)
        out[0] = '\0';
    return out;
}

/* ------------------------------------------------------------ diagnostics */

typedef struct {
    char state[6]; /* "08001"; "" when the driver said nothing */
    char text[1024];
} diag;

/* A value in braces, a closing brace doubled: any password survives the
 * connection string's syntax ({a;b}}c} is "a;b}c"). */
static char *braced(const char *v)
{
    size_t n = strlen(v);
    char *out = uf_xmalloc(2 * n + 3), *o = out;
    *o++ = '{';
    for (; *v; v++)
        if ((*o++ = *v) == '}')
            *o++ = '}';
    *o++ = '}';
    *o = '\0';
    return out;
}

/* Every occurrence of needle in s (NUL-terminated, in cap bytes) replaced
 * by REDACTED; what would not fit is cut off. */
static void replace_all(char *s, size_t cap, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return;
    for (char *p = strstr(s, needle); p; p = strstr(p + strlen(REDACTED), needle)) {
        size_t tail = strlen(p + nl);
        if ((size_t)(p - s) + strlen(REDACTED) + tail + 1 > cap) { /* no room: cut here */
            *p = '\0';
            return;
        }
        memmove(p + strlen(REDACTED), p + nl, tail + 1);
        memcpy(p, REDACTED, strlen(REDACTED));
    }
}

/* What the driver's message may not carry into ours: the password (as it
 * is, and as it was escaped in the connection string), the values of secret
 * keys (a driver echoing "...;PWD=...") and, when the data were at fault
 * (class 22), the quoted values, which may be a patient's id. */
static void scrub(const pull *p, diag *d)
{
    char *o = d->text; /* one line, single spaces */
    for (const char *c = d->text; *c; c++)
        if (!strchr("\n\r\t ", *c) || (o > d->text && o[-1] != ' '))
            *o++ = strchr("\n\r\t", *c) ? ' ' : *c;
    *o = '\0';
    if (p->password) { /* first: redacting keys could split it */
        replace_all(d->text, sizeof d->text, p->password);
        if (strchr(p->password, '}')) { /* as the connection string escaped it */
            char *esc = braced(p->password);
            size_t n = strlen(esc);
            esc[n - 1] = '\0';
            replace_all(d->text, sizeof d->text, esc + 1);
            explicit_bzero(esc, n);
            free(esc);
        }
    }
    char *r = uf_connstr_redact(d->text);
    snprintf(d->text, sizeof d->text, "%s", r);
    free(r);
    if (strncmp(d->state, "22", 2) == 0) {
        char kept[sizeof d->text], *end = kept + sizeof kept - 8;
        o = kept;
        for (const char *c = d->text; *c && o < end; c++) {
            *o++ = *c;
            const char *close = *c == '\'' || *c == '"' ? strchr(c + 1, *c) : NULL;
            if (close) {
                o = stpcpy(o, "…");
                *o++ = *close;
                c = close;
            }
        }
        *o = '\0';
        snprintf(d->text, sizeof d->text, "%s", kept);
    }
    size_t n = strlen(d->text);
    while (n > 0 && d->text[n - 1] == ' ')
        d->text[--n] = '\0';
}

/* The driver's first records about handle h, joined, scrubbed. */
static void get_diag(const pull *p, SQLSMALLINT type, SQLHANDLE h, diag *d)
{
    memset(d, 0, sizeof *d);
    size_t used = 0;
    for (SQLSMALLINT rec = 1; rec <= 3 && h; rec++) {
        SQLWCHAR state[6], msg[512];
        SQLINTEGER native;
        SQLSMALLINT len = 0;
        if (!SQL_SUCCEEDED(SQLGetDiagRecW(type, h, rec, state, &native, msg,
                                          sizeof msg / sizeof *msg, &len)))
            break;
        char st[16], text[sizeof msg / sizeof *msg * 3 + 1];
        if (from_wide(state, 5, st) < 0)
            st[0] = '\0';
        size_t units = len < (SQLSMALLINT)(sizeof msg / sizeof *msg) ? (size_t)len
                                                                    : sizeof msg / sizeof *msg - 1;
        if (from_wide(msg, units, text) < 0)
            snprintf(text, sizeof text, "(text som inte kunde läsas)");
        if (rec == 1)
            snprintf(d->state, sizeof d->state, "%.5s", st);
        int w = snprintf(d->text + used, sizeof d->text - used, "%s%s", rec > 1 ? " / " : "",
                         text);
        if (w < 0 || (size_t)w >= sizeof d->text - used)
            break;
        used += (size_t)w;
    }
    scrub(p, d);
}

/* At most DIAG_TEXT bytes of s, cut at a character's start. */
static int diag_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= DIAG_TEXT)
        return (int)n;
    n = DIAG_TEXT;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return (int)n;
}

/* A lost or refused connection is worth another attempt; a rejection (08004,
 * a wrong login: 28xxx) is not.  A timeout is, while connecting only. */
static int transient(const char *state, int connecting)
{
    if (strncmp(state, "08", 2) == 0)
        return strcmp(state, "08004") != 0;
    return strcmp(state, "HYT01") == 0 || (connecting && strcmp(state, "HYT00") == 0);
}

/* Fills err from the driver's message about h; RETRY when it is transient. */
static verdict fail_diag(const pull *p, SQLSMALLINT type, SQLHANDLE h, int connecting,
                         const char *what, uf_error *err)
{
    diag d;
    get_diag(p, type, h, &d);
    uf_code code = UF_ERR_NETWORK;
    char hint[96] = "";
    if (!connecting && (strncmp(d.state, "42", 2) == 0 || strncmp(d.state, "07", 2) == 0) &&
        strcmp(d.state, "42501") != 0) {
        code = UF_ERR_CONFIG; /* the query is wrong: fix the SQL */
    } else if (strncmp(d.state, "22", 2) == 0) {
        code = UF_ERR_INPUT; /* the data do not fit what the query does with them */
    } else if (strncmp(d.state, "28", 2) == 0) {
        snprintf(hint, sizeof hint, "; kontrollera användare och lösenord");
    } else if (!connecting && (strcmp(d.state, "HYT00") == 0 || strcmp(d.state, "57014") == 0)) {
        /* 57014: PostgreSQL's own, when its statement_timeout ran out */
        snprintf(hint, sizeof hint, "; en fråga får ta högst timeout_s = %ld s", p->s->timeout_s);
    }
    if (d.state[0])
        uf_error_set(err, code, p->src, 0, 0, NULL, "%s: SQLSTATE %s: %.*s%s", what, d.state,
                     diag_len(d.text), d.text, hint);
    else
        uf_error_set(err, code, p->src, 0, 0, NULL, "%s (drivrutinen angav inget fel)", what);
    return d.state[0] && transient(d.state, connecting) ? RETRY : FAIL;
}

/* ------------------------------------------------------------ connection */

/* The connection string the driver gets: the config's (or DSN=...), the
 * user and, last, the password.  The caller wipes it. */
static char *conn_string(const pull *p)
{
    const uf_source *s = p->s;
    char *base = s->connection ? uf_xstrdup(s->connection) : uf_xasprintf("DSN=%s", s->dsn);
    size_t bl = strlen(base);
    while (bl > 0 && (base[bl - 1] == ';' || base[bl - 1] == ' '))
        base[--bl] = '\0';
    char *pw = p->password ? braced(p->password) : NULL;
    /* The user is a plain name (the config reader saw to that): not every
     * driver takes a UID in braces. */
    char *cs = uf_xasprintf("%s%s%s%s%s", base, s->user ? ";UID=" : "", s->user ? s->user : "",
                            pw ? ";PWD=" : "", pw ? pw : "");
    if (pw) {
        explicit_bzero(pw, strlen(pw));
        free(pw);
    }
    free(base);
    return cs;
}

static void info(SQLHDBC dbc, SQLUSMALLINT what, char *out, size_t n)
{
    SQLWCHAR w[128];
    SQLSMALLINT len = 0;
    out[0] = '\0';
    if (SQL_SUCCEEDED(SQLGetInfoW(dbc, what, w, sizeof w, &len))) {
        char *s = wide_dup(w, len, sizeof w / sizeof *w - 1);
        snprintf(out, n, "%s", s);
        free(s);
    }
}

static long remaining_s(const pull *p)
{
    long long left = p->deadline_ms - uf_now_ms();
    return left > 1000 ? (long)(left / 1000) : 1;
}

static verdict connect_db(pull *p, uf_error *err)
{
    const uf_source *s = p->s;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, p->env, &p->dbc))) {
        uf_error_set(err, UF_ERR_NETWORK, p->src, 0, 0, NULL,
                     "ODBC kunde inte förbereda en anslutning");
        return FAIL;
    }
    long login = s->login_timeout_s < remaining_s(p) ? s->login_timeout_s : remaining_s(p);
    SQLSetConnectAttrW(p->dbc, SQL_ATTR_LOGIN_TIMEOUT, (SQLPOINTER)(SQLULEN)login, 0);
    SQLSetConnectAttrW(p->dbc, SQL_ATTR_CONNECTION_TIMEOUT, (SQLPOINTER)(SQLULEN)s->timeout_s, 0);
    /* The driver manager's trace would log the connection string. */
    SQLSetConnectAttrW(p->dbc, SQL_ATTR_TRACE, (SQLPOINTER)SQL_OPT_TRACE_OFF, 0);
    /* Only reading: a driver that can tell the server so, does. */
    SQLSetConnectAttrW(p->dbc, SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0);
    char *cs = conn_string(p);
    SQLWCHAR *wcs = to_wide(cs);
    explicit_bzero(cs, strlen(cs));
    free(cs);
    SQLWCHAR outcs[1024];
    SQLSMALLINT outlen = 0;
    SQLRETURN r = SQLDriverConnectW(p->dbc, NULL, wcs, SQL_NTS, outcs,
                                    sizeof outcs / sizeof *outcs, &outlen, SQL_DRIVER_NOPROMPT);
    wipe_wide(wcs);
    explicit_bzero(outcs, sizeof outcs); /* the completed string: the password again */
    if (!SQL_SUCCEEDED(r)) {
        char *what = uf_xasprintf("kunde inte ansluta till databasen (%s)", p->shown);
        verdict v = fail_diag(p, SQL_HANDLE_DBC, p->dbc, 1, what, err);
        free(what);
        SQLFreeHandle(SQL_HANDLE_DBC, p->dbc);
        p->dbc = NULL;
        return v;
    }
    info(p->dbc, SQL_DRIVER_NAME, p->driver, sizeof p->driver);
    info(p->dbc, SQL_DRIVER_VER, p->driver_ver, sizeof p->driver_ver);
    info(p->dbc, SQL_DRIVER_ODBC_VER, p->odbc_ver, sizeof p->odbc_ver);
    info(p->dbc, SQL_DBMS_NAME, p->dbms, sizeof p->dbms);
    info(p->dbc, SQL_DBMS_VER, p->dbms_ver, sizeof p->dbms_ver);
    return DONE;
}

/* The columns outlive the connection: the description names them. */
static void free_columns(pull *p)
{
    for (SQLSMALLINT c = 0; c < p->ncols && p->cols; c++) {
        free(p->cols[c].name);
        free(p->cols[c].type);
        free(p->cols[c].buf);
        free(p->cols[c].ind);
    }
    free(p->cols);
    p->cols = NULL;
    p->ncols = 0;
    free(p->status);
    p->status = NULL;
}

static void close_db(pull *p)
{
    if (p->stmt)
        SQLFreeHandle(SQL_HANDLE_STMT, p->stmt);
    if (p->dbc) {
        SQLDisconnect(p->dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, p->dbc);
    }
    p->stmt = NULL;
    p->dbc = NULL;
}

/* ------------------------------------------------------------ the query */

static verdict execute(pull *p, uf_error *err)
{
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, p->dbc, &p->stmt)))
        return fail_diag(p, SQL_HANDLE_DBC, p->dbc, 0, "ODBC kunde inte förbereda frågan", err);
    SQLSetStmtAttrW(p->stmt, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)(SQLULEN)p->s->timeout_s, 0);
    SQLWCHAR *text = to_wide(p->q.text);
    SQLRETURN r = SQLPrepareW(p->stmt, text, SQL_NTS);
    free(text);
    if (!SQL_SUCCEEDED(r))
        return fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, "frågan kunde inte förberedas", err);
    p->nts = SQL_NTS;
    p->fixed = 0;
    for (size_t i = 0; i < p->q.nparams; i++) {
        SQLUSMALLINT n = (SQLUSMALLINT)(i + 1);
        if (p->q.params[i] == UF_SQL_PERIOD)
            r = SQLBindParameter(p->stmt, n, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 7, 0,
                                 p->period, sizeof p->period, &p->nts);
        else
            r = SQLBindParameter(p->stmt, n, SQL_PARAM_INPUT, SQL_C_TYPE_DATE, SQL_TYPE_DATE,
                                 10, 0, p->q.params[i] == UF_SQL_FROM ? &p->from_d : &p->to_d,
                                 0, &p->fixed);
        if (!SQL_SUCCEEDED(r))
            return fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0,
                             "parametern kunde inte bindas", err);
    }
    r = SQLExecute(p->stmt);
    /* A batch may open with statements that return no rows (SET NOCOUNT ON). */
    SQLSMALLINT ncols = 0;
    while (SQL_SUCCEEDED(r) && SQL_SUCCEEDED(SQLNumResultCols(p->stmt, &ncols)) && ncols == 0)
        r = SQLMoreResults(p->stmt);
    if (r == SQL_NO_DATA) {
        uf_error_set(err, UF_ERR_CONFIG, p->src, 0, 0, NULL,
                     "frågan gav inga kolumner; väntade en SELECT med extraktets kolumner");
        return FAIL;
    }
    if (!SQL_SUCCEEDED(r))
        return fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, "frågan misslyckades", err);
    p->ncols = ncols;
    return DONE;
}

static kind kind_of(SQLSMALLINT type, SQLULEN size, SQLSMALLINT scale, int *binary)
{
    *binary = 0;
    switch (type) {
    case SQL_TYPE_DATE: case SQL_DATE: return K_DATE;
    case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return K_TIMESTAMP;
    case SQL_TINYINT: case SQL_SMALLINT: case SQL_INTEGER: case SQL_BIGINT: return K_INT;
    case SQL_REAL: case SQL_FLOAT: case SQL_DOUBLE: return K_REAL;
    case SQL_DECIMAL: case SQL_NUMERIC: return scale > 0 ? K_REAL : size <= 18 ? K_INT : K_TEXT;
    case SQL_BIT: return K_BIT;
    case SQL_CHAR: case SQL_WCHAR: return K_CHAR;
    case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY: *binary = 1; return K_TEXT;
    default: return K_TEXT; /* varchar, time, guid, intervals: as the driver writes them */
    }
}

/* Names the result's columns and binds a buffer of `batch` rows to each. */
static verdict bind_columns(pull *p, uf_error *err)
{
    p->cols = uf_xcalloc((size_t)p->ncols, sizeof *p->cols);
    size_t row_bytes = 0;
    for (SQLSMALLINT c = 0; c < p->ncols; c++) {
        column *col = &p->cols[c];
        SQLWCHAR name[256];
        SQLSMALLINT nlen = 0, type = 0, scale = 0, nullable = 0;
        SQLULEN size = 0;
        if (!SQL_SUCCEEDED(SQLDescribeColW(p->stmt, (SQLUSMALLINT)(c + 1), name,
                                           sizeof name / sizeof *name, &nlen, &type, &size,
                                           &scale, &nullable)))
            return fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, "frågans kolumner kunde inte läsas",
                             err);
        col->name = wide_dup(name, (SQLLEN)nlen * (SQLLEN)sizeof *name, sizeof name / sizeof *name - 1);
        SQLWCHAR tname[64];
        SQLSMALLINT tlen = 0;
        if (!SQL_SUCCEEDED(SQLColAttributeW(p->stmt, (SQLUSMALLINT)(c + 1), SQL_DESC_TYPE_NAME,
                                            tname, sizeof tname, &tlen, NULL)))
            tlen = 0;
        col->type = wide_dup(tname, tlen, sizeof tname / sizeof *tname - 1);
        if (!col->name[0]) {
            uf_error_set(err, UF_ERR_CONFIG, p->src, 0, 0, NULL,
                         "kolumn %d i frågans resultat saknar namn; ge den ett med AS "
                         "(t.ex. COUNT(*) AS namnare)", c + 1);
            return FAIL;
        }
        for (SQLSMALLINT d = 0; d < c; d++)
            if (uf_utf8_caseeq(p->cols[d].name, strlen(p->cols[d].name), col->name,
                               strlen(col->name))) {
                uf_error_set(err, UF_ERR_CONFIG, p->src, 0, 0, NULL,
                             "kolumnnamnet \"%s\" finns två gånger i frågans resultat (kolumn "
                             "%d och %d); väntade unika namn", col->name, d + 1, c + 1);
                return FAIL;
            }
        int binary;
        col->k = kind_of(type, size, scale, &binary);
        if (binary) {
            uf_error_set(err, UF_ERR_CONFIG, p->src, 0, 0, NULL,
                         "kolumnen \"%s\" är binär (%s); väntade text, tal eller datum",
                         col->name, col->type);
            return FAIL;
        }
        static const struct {
            SQLSMALLINT ctype;
            SQLLEN width;
        } c_of[] = {[K_INT] = {SQL_C_SBIGINT, sizeof(SQLBIGINT)},
                    [K_REAL] = {SQL_C_DOUBLE, sizeof(SQLDOUBLE)},
                    [K_BIT] = {SQL_C_BIT, sizeof(unsigned char)},
                    [K_DATE] = {SQL_C_TYPE_DATE, sizeof(SQL_DATE_STRUCT)},
                    [K_TIMESTAMP] = {SQL_C_TYPE_TIMESTAMP, sizeof(SQL_TIMESTAMP_STRUCT)}};
        if (col->k == K_TEXT || col->k == K_CHAR) {
            col->chars = size > 0 && size < TEXT_MAX_CHARS ? size : TEXT_MAX_CHARS;
            col->ctype = SQL_C_WCHAR;
            col->width = (SQLLEN)((2 * col->chars + 1) * sizeof(SQLWCHAR));
        } else {
            col->ctype = c_of[col->k].ctype;
            col->width = c_of[col->k].width;
        }
        row_bytes += (size_t)col->width + sizeof(SQLLEN);
    }
    size_t batch = BATCH_BYTES / (row_bytes ? row_bytes : 1);
    p->batch = batch < 1 ? 1 : batch > BATCH_MAX_ROWS ? BATCH_MAX_ROWS : batch;
    SQLSetStmtAttrW(p->stmt, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)SQL_BIND_BY_COLUMN, 0);
    SQLSetStmtAttrW(p->stmt, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)p->batch, 0);
    SQLULEN got = 1; /* a driver may take fewer rows at a time than asked */
    if (SQL_SUCCEEDED(SQLGetStmtAttrW(p->stmt, SQL_ATTR_ROW_ARRAY_SIZE, &got, 0, NULL)) &&
        got >= 1 && got < p->batch)
        p->batch = got;
    p->status = uf_xcalloc(p->batch, sizeof *p->status);
    SQLSetStmtAttrW(p->stmt, SQL_ATTR_ROW_STATUS_PTR, p->status, 0);
    SQLSetStmtAttrW(p->stmt, SQL_ATTR_ROWS_FETCHED_PTR, &p->fetched, 0);
    for (SQLSMALLINT c = 0; c < p->ncols; c++) {
        column *col = &p->cols[c];
        col->buf = uf_xmalloc(p->batch * (size_t)col->width);
        col->ind = uf_xcalloc(p->batch, sizeof *col->ind);
        if (!SQL_SUCCEEDED(SQLBindCol(p->stmt, (SQLUSMALLINT)(c + 1), col->ctype, col->buf,
                                      col->width, col->ind)))
            return fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, "frågans kolumner kunde inte bindas",
                             err);
    }
    return DONE;
}

/* ------------------------------------------------------------ the CSV */

static void write_header(const pull *p, FILE *f)
{
    for (SQLSMALLINT c = 0; c < p->ncols; c++) {
        if (c)
            putc(';', f);
        uf_csvout_text(f, p->cols[c].name, strlen(p->cols[c].name));
    }
    putc('\n', f);
}

/* Row i of the batch; the row's number in the result is p->rows + 1.  A
 * value is never shown in a message: it may be a patient's id. */
static int write_row(pull *p, FILE *f, SQLULEN i, uf_error *err)
{
    for (SQLSMALLINT c = 0; c < p->ncols; c++) {
        const column *col = &p->cols[c];
        const unsigned char *v = col->buf + i * (size_t)col->width;
        SQLLEN ind = col->ind[i];
        if (c)
            putc(';', f);
        if (ind == SQL_NULL_DATA)
            continue;
        switch (col->k) {
        case K_TEXT:
        case K_CHAR: {
            int too_long =
                ind == SQL_NO_TOTAL || ind < 0 || ind > col->width - (SQLLEN)sizeof(SQLWCHAR);
            long n = too_long ? 0
                              : from_wide((const SQLWCHAR *)v, (size_t)ind / sizeof(SQLWCHAR),
                                          p->wide_text);
            if (n > (long)col->chars) { /* bytes: maybe; characters decide */
                size_t chars = 0;
                for (long b = 0; b < n; b++)
                    chars += ((unsigned char)p->wide_text[b] & 0xc0) != 0x80;
                too_long = chars > col->chars;
            }
            if (too_long) {
                uf_error_set(err, UF_ERR_INPUT, p->src, 0, 0, NULL,
                             "rad %lld i frågans resultat, kolumnen \"%s\": värdet är längre än "
                             "%zu tecken; väntade ett kortare fält",
                             p->rows + 1, col->name, col->chars);
                return -1;
            }
            if (n < 0) {
                uf_error_set(err, UF_ERR_INPUT, p->src, 0, 0, NULL,
                             "rad %lld i frågans resultat, kolumnen \"%s\": ogiltig text "
                             "(ett ensamt UTF-16-surrogat) från drivrutinen",
                             p->rows + 1, col->name);
                return -1;
            }
            while (col->k == K_CHAR && n > 0 && p->wide_text[n - 1] == ' ')
                n--; /* CHAR(n) pads with spaces; VC01 is VC01 */
            uf_csvout_text(f, p->wide_text, (size_t)n);
            break;
        }
        case K_INT: fprintf(f, "%lld", (long long)*(const SQLBIGINT *)v); break;
        case K_REAL: uf_csvout_real(f, *(const SQLDOUBLE *)v); break;
        case K_BIT: putc(*v ? 'J' : 'N', f); break;
        case K_DATE: {
            const SQL_DATE_STRUCT *d = (const SQL_DATE_STRUCT *)v;
            fprintf(f, "%04d-%02u-%02u", d->year, d->month, d->day);
            break;
        }
        case K_TIMESTAMP: {
            const SQL_TIMESTAMP_STRUCT *t = (const SQL_TIMESTAMP_STRUCT *)v;
            fprintf(f, "%04d-%02u-%02u %02u:%02u:%02u", t->year, t->month, t->day, t->hour,
                    t->minute, t->second);
            break;
        }
        }
    }
    putc('\n', f);
    p->rows++;
    return 0;
}

static verdict fetch_rows(pull *p, FILE *f, uf_error *err)
{
    write_header(p, f);
    for (;;) {
        if (uf_now_ms() > p->deadline_ms) {
            SQLCancel(p->stmt);
            uf_error_set(err, UF_ERR_NETWORK, p->src, 0, 0, NULL,
                         "tidsgränsen för hela hämtningen (%ld s) överskreds efter %lld rader",
                         p->s->deadline_s, p->rows);
            return FAIL;
        }
        p->fetched = 0;
        SQLRETURN r = SQLFetch(p->stmt);
        if (r == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(r)) {
            char *what = uf_xasprintf("hämtningen av raderna avbröts efter %lld rader", p->rows);
            verdict v = fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, what, err);
            free(what);
            return v;
        }
        for (SQLULEN i = 0; i < p->fetched; i++) {
            if (p->status[i] == SQL_ROW_ERROR) {
                char *what = uf_xasprintf("rad %lld i frågans resultat kunde inte läsas",
                                          p->rows + 1);
                verdict v = fail_diag(p, SQL_HANDLE_STMT, p->stmt, 0, what, err);
                free(what);
                return v;
            }
            if (p->status[i] != SQL_ROW_NOROW && write_row(p, f, i, err))
                return FAIL;
        }
        if ((p->rows & 0xffff) < p->fetched)
            uf_progress("hämtar %s: %lld rader", p->s->id, p->rows);
    }
    /* One result is one extract: a second would be dropped unseen. */
    SQLSMALLINT more = 0;
    if (SQL_SUCCEEDED(SQLMoreResults(p->stmt)) && SQL_SUCCEEDED(SQLNumResultCols(p->stmt, &more)) &&
        more > 0) {
        uf_error_set(err, UF_ERR_CONFIG, p->src, 0, 0, NULL,
                     "frågan gav mer än ett resultat; väntade ett, extraktets rader");
        return FAIL;
    }
    return DONE;
}

/* ------------------------------------------------------------ one pull */

static verdict attempt(pull *p, FILE *f, uf_error *err)
{
    p->rows = 0;
    free_columns(p);
    verdict v = connect_db(p, err);
    if (v == DONE)
        v = execute(p, err);
    if (v == DONE)
        v = bind_columns(p, err);
    if (v == DONE)
        v = fetch_rows(p, f, err);
    close_db(p);
    return v;
}

/* The description of the pull, archived beside its rows: what an auditor
 * needs to know of where they came from.  Sorted keys, no times: the same
 * pull describes itself in the same bytes. */
static char *describe(const pull *p)
{
    json_t *params = json_array(), *cols = json_array();
    for (size_t i = 0; i < p->q.nparams; i++) {
        uf_sql_param k = p->q.params[i];
        json_array_append_new(params, json_pack("{s:s, s:s}", "name", uf_sql_param_name(k),
                                                "value", k == UF_SQL_PERIOD ? p->period
                                                         : k == UF_SQL_FROM ? p->from
                                                                            : p->to));
    }
    for (SQLSMALLINT c = 0; c < p->ncols; c++)
        json_array_append_new(cols, json_pack("{s:s, s:s}", "name", p->cols[c].name, "type",
                                              p->cols[c].type));
    json_t *d = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:o, s:o, s:I}",
                          "source", p->s->id, "connection", p->shown, "driver", "name",
                          p->driver, "version", p->driver_ver, "odbc_version", p->odbc_ver,
                          "dbms", "name", p->dbms, "version", p->dbms_ver, "parameters", params,
                          "columns", cols, "rows", (json_int_t)p->rows);
    if (p->s->user)
        json_object_set_new(d, "user", json_string(p->s->user));
    char *text = json_dumps(d, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(d);
    char *out = uf_xasprintf("%s\n", text);
    free(text);
    return out;
}

/* "kontakter.csv" -> "kontakter" + ext */
static void stem_name(const char *file, const char *ext, char *out, size_t n)
{
    const char *dot = strrchr(file, '.');
    snprintf(out, n, "%.*s%s", (int)(dot ? (size_t)(dot - file) : strlen(file)), file, ext);
}

/* The query as written: the file's bytes, or the config's text. */
static char *query_text(const uf_source *s, size_t *len, uf_error *err)
{
    if (s->query) {
        *len = strlen(s->query);
        return uf_xstrdup(s->query);
    }
    FILE *f = fopen(s->query_file, "rb");
    char *text = NULL;
    size_t cap = 0, n = 0;
    if (f) {
        char buf[8192];
        for (size_t got; (got = fread(buf, 1, sizeof buf, f)) > 0; n += got) {
            if (n + got + 1 > cap)
                text = uf_xrealloc(text, cap = 2 * (n + got + 1));
            memcpy(text + n, buf, got);
        }
    }
    if (!f || ferror(f)) {
        uf_error_set(err, UF_ERR_CONFIG, s->query_name, 0, 0, NULL,
                     "kunde inte läsa frågan för källan %s: %s", s->id, uf_strerrno(errno));
        if (f)
            fclose(f);
        free(text);
        return NULL;
    }
    fclose(f);
    if (!text)
        text = uf_xstrdup("");
    text[n] = '\0';
    *len = n;
    return text;
}

/* A stream on t's file through a descriptor of its own, so that closing the
 * stream leaves t's descriptor, and with it the lock, to uf_tmpfile_close. */
static FILE *tmp_stream(const uf_tmpfile *t, uf_error *err)
{
    int fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 0);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        uf_error_set(err, UF_ERR_IO, t->path, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

int uf_store_put_bytes(const uf_store *st, const char *prefix, const void *data, size_t len,
                       const char *origin, uf_input *in, uf_error *err)
{
    uf_tmpfile t;
    if (st->tmpfile(st, prefix, &t, err))
        return -1;
    FILE *f = tmp_stream(&t, err);
    int rc = -1;
    if (f) {
        int bad = fwrite(data, 1, len, f) != len;
        if ((fclose(f) != 0) | bad)
            uf_error_set(err, UF_ERR_IO, t.path, 0, 0, NULL,
                         "kunde inte skriva till arkivet: %s", uf_strerrno(errno));
        else
            rc = st->put(st, t.path, in, err);
    }
    if (rc == 0)
        snprintf(in->origin, sizeof in->origin, "%s", origin);
    uf_tmpfile_close(&t, 0);
    return rc;
}

static void day_text(uf_day d, char out[11], SQL_DATE_STRUCT *sd)
{
    int y, m, dd;
    uf_day_split(d, &y, &m, &dd);
    uf_day_format(d, out);
    *sd = (SQL_DATE_STRUCT){.year = (SQLSMALLINT)y, .month = (SQLUSMALLINT)m,
                            .day = (SQLUSMALLINT)dd};
}

int uf_odbc_fetch(const uf_source *s, const char *password, uf_month period,
                  const uf_store *st, uf_input out[UF_ODBC_INPUTS], uf_error *err)
{
    pull p = {.s = s, .password = password && *password ? password : NULL};
    p.src = s->query ? uf_xasprintf("%s (frågan i %s)", s->id, s->query_name)
                     : uf_xasprintf("%s (%s)", s->id, s->query_name);
    p.shown = s->connection ? uf_connstr_redact(s->connection) : uf_xasprintf("DSN=%s", s->dsn);
    uf_month_format(period, p.period);
    int months = s->months > 0 ? s->months : 1;
    uf_month first = period - (months - 1);
    day_text(uf_day_make(uf_month_year(first), uf_month_number(first), 1), p.from, &p.from_d);
    day_text(uf_day_make(uf_month_year(period), uf_month_number(period), 1) +
                 uf_days_in_month(uf_month_year(period), uf_month_number(period)) - 1,
             p.to, &p.to_d);
    p.deadline_ms = uf_now_ms() + (s->deadline_s > 0 ? s->deadline_s : UF_DEADLINE_S) * 1000LL;
    p.wide_text = uf_xmalloc(TEXT_MAX_UNITS * 3 + 1);
    memset(out, 0, UF_ODBC_INPUTS * sizeof *out);

    size_t qlen = 0;
    char *written = query_text(s, &qlen, err);
    char *desc = NULL;
    uf_tmpfile tmp = {.fd = -1, .slot = -1};
    FILE *f = NULL;
    int rc = -1, tries = 0;
    if (!written || uf_sql_parse(written, qlen, s->query ? p.src : s->query_name, &p.q, err))
        goto done;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &p.env)) ||
        !SQL_SUCCEEDED(SQLSetEnvAttr(p.env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0))) {
        uf_error_set(err, UF_ERR_NETWORK, p.src, 0, 0, NULL,
                     "ODBC (unixODBC) kunde inte startas");
        goto done;
    }
    if (st->tmpfile(st, "odbc", &tmp, err) || !(f = tmp_stream(&tmp, err)))
        goto done;
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    verdict v;
    for (;;) {
        tries++;
        if (fflush(f) != 0 || ftruncate(tmp.fd, 0) != 0 || fseek(f, 0, SEEK_SET) != 0) {
            uf_error_set(err, UF_ERR_IO, tmp.path, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                         uf_strerrno(errno));
            goto done;
        }
        v = attempt(&p, f, err);
        if (v != RETRY || tries > s->retries)
            break;
        long long wait = uf_backoff_ms(DEFAULT_BACKOFF_MS, tries);
        if (uf_now_ms() + wait >= p.deadline_ms)
            break; /* the next attempt could not finish in time anyway */
        uf_sleep_ms(wait);
    }
    uf_progress_done();
    if (v != DONE) {
        if (tries > 1) {
            size_t n = strlen(err->text);
            snprintf(err->text + n, sizeof err->text - n, " (efter %d försök)", tries);
        }
        goto done;
    }
    if (fflush(f) != 0 || ferror(f)) {
        uf_error_set(err, UF_ERR_IO, tmp.path, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        goto done;
    }
    /* The rows, the query as written and the description, each archived. */
    snprintf(out[0].role, sizeof out[0].role, "odbc");
    snprintf(out[0].name, sizeof out[0].name, "%s", s->file);
    snprintf(out[1].role, sizeof out[1].role, "sql");
    stem_name(s->file, ".sql", out[1].name, sizeof out[1].name);
    snprintf(out[2].role, sizeof out[2].role, "odbc-drivrutin");
    stem_name(s->file, ".odbc.json", out[2].name, sizeof out[2].name);
    char *query_origin = s->query ? uf_xasprintf("%s: query i %s", s->id, s->query_name)
                                  : uf_xstrdup(s->query_file);
    desc = describe(&p);
    rc = st->put(st, tmp.path, &out[0], err) ||
                 uf_store_put_bytes(st, "odbc", written, qlen, query_origin, &out[1], err) ||
                 uf_store_put_bytes(st, "odbc", desc, strlen(desc), p.shown, &out[2], err)
             ? -1
             : 0;
    snprintf(out[0].origin, sizeof out[0].origin, "%s", p.src);
    free(query_origin);
done:
    close_db(&p);
    free_columns(&p);
    if (p.env)
        SQLFreeHandle(SQL_HANDLE_ENV, p.env);
    if (f)
        fclose(f);
    uf_tmpfile_close(&tmp, 0);
    free(desc);
    free(written);
    uf_sql_free(&p.q);
    free(p.wide_text);
    free(p.src);
    free(p.shown);
    return rc;
}
