/* ingest/rows.c — a data warehouse's JSON rows, written out as the CSV
 * extract they stand for, so that compute reads one format only.
 *
 * The body is read whole and parsed with jansson (a tree costs several times
 * the text, hence ROWS_MAX_BYTES).  A first pass checks every row and
 * gathers the header, the union of the keys in first-seen order; a second
 * writes the rows.  Nothing depends on hashing or time, so the same payload
 * always becomes the same bytes: a re-run converts it identically. */
#include "ingest/sources.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_MAX_BYTES (512LL << 20) /* the tree peaks at about 8 times the text */
enum { MAX_KEYS = 256 }; /* a column set this wide is a wrong endpoint */
static const char json_ext[] = ".json", csv_ext[] = ".csv";

typedef struct {
    const char *display; /* "samtal.csv (JSON)" */
    const char *keys[MAX_KEYS]; /* the header: names as first seen, in the tree */
    size_t klen[MAX_KEYS], nkeys;
    size_t seen[MAX_KEYS]; /* row number that last filled the column */
    json_t *slot[MAX_KEYS]; /* the current row's value of each column */
} rows;

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

char *uf_rows_payload(const char *extract)
{
    size_t stem = strlen(extract) - (ends_with(extract, csv_ext) ? sizeof csv_ext - 1 : 0);
    return uf_xasprintf("%.*s%s", (int)stem, extract, json_ext);
}

int uf_rows_extract(const char *payload, char *out, size_t n)
{
    if (!ends_with(payload, json_ext))
        return 0;
    int stem = (int)(strlen(payload) - (sizeof json_ext - 1));
    return snprintf(out, n, "%.*s%s", stem, payload, csv_ext) < (int)n;
}

/* jansson's reasons in Swedish.  Its " near '...'" is cut off: it quotes the
 * text where parsing stopped, which may be a patient id. */
static const char *syntax_reason(const char *text)
{
    static const struct {
        const char *en, *sv;
    } reasons[] = {
        {"end of file expected", "text efter det sista värdet"},
        {"premature end of input", "texten tar slut mitt i ett värde"},
        {"near end of file", "texten tar slut mitt i ett värde"},
        {"duplicate object key", "samma nyckel två gånger i ett objekt"},
        {"invalid token", "ogiltigt tecken"},
        {"invalid UTF-8", "ogiltig UTF-8"},
        {"unable to decode byte", "ogiltig UTF-8"},
        {"too big", "för stort tal"},
        {"overflow", "för stort tal"},
        {"unexpected newline", "radbrytning inuti en text"},
        {"control character", "styrtecken inuti en text"},
        {"invalid escape", "ogiltig \\-sekvens i en text"},
        /* before "'}' expected", which it contains */
        {"string or '}' expected", "väntade en nyckel inom citattecken"},
        {"'}' expected", "väntade } eller ,"},
        {"']' expected", "väntade ] eller ,"},
        {"':' expected", "väntade :"},
        {"'[' or '{' expected", "väntade [ eller {"},
        {"\\u0000 is not allowed", "\\u0000 i en text"},
    };
    for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
        if (strstr(text, reasons[i].en))
            return reasons[i].sv;
    return "ogiltig JSON";
}

/* The body, parsed; NULL with err filled. */
static json_t *load(const char *path, const rows *r, uf_error *err)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size <= ROWS_MAX_BYTES &&
        fseek(f, 0, SEEK_SET) == 0) {
        text = uf_xmalloc((size_t)size + 1);
        if (fread(text, 1, (size_t)size, f) != (size_t)size) {
            free(text);
            text = NULL;
        }
    }
    int e = errno;
    if (f)
        fclose(f);
    if (!text) {
        if (size > ROWS_MAX_BYTES)
            uf_error_set(err, UF_ERR_INPUT, r->display, 0, 0, NULL,
                         "JSON-svaret är större än %lld MB; väntade mindre svar, eller CSV "
                         "(\"format\": \"csv\")", ROWS_MAX_BYTES >> 20);
        else
            uf_error_set(err, UF_ERR_IO, r->display, 0, 0, NULL, "kunde inte läsa %s: %s", path,
                         uf_strerrno(e));
        return NULL;
    }
    /* A byte order mark is tolerated, as in CSV. */
    size_t bom = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_error_t je;
    json_t *root = json_loadb(text + bom, (size_t)size - bom, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!root)
        uf_error_set(err, UF_ERR_INPUT, r->display, je.line, je.column, NULL,
                     "%s; väntade JSON-rader: en lista med objekt, eller {\"rows\": [...]}",
                     syntax_reason(je.text));
    return root;
}

/* The array of rows: the root itself, or its "rows" or "data". */
static json_t *row_array(json_t *root, const rows *r, uf_error *err)
{
    static const char *const paging[] = {"next", "next_url", "next_page", "nextPage"};
    if (json_is_array(root))
        return root;
    json_t *rows_v = json_object_get(root, "rows"), *data = json_object_get(root, "data");
    const char *what = NULL;
    if (!json_is_object(root) || (!rows_v && !data))
        what = "en lista med objekt, eller ett objekt med \"rows\" eller \"data\"";
    else if (rows_v && data)
        what = "\"rows\" eller \"data\", inte båda";
    else if (!json_is_array(rows_v ? rows_v : data))
        what = rows_v ? "att \"rows\" är en lista med objekt" : "att \"data\" är en lista med objekt";
    for (size_t i = 0; !what && i < sizeof paging / sizeof *paging; i++)
        if (json_object_get(root, paging[i]) && !json_is_null(json_object_get(root, paging[i])))
            what = "alla rader i ett svar; svaret hänvisar till fler sidor, som inte hämtas";
    if (what) {
        uf_error_set(err, UF_ERR_INPUT, r->display, 0, 0, NULL, "väntade %s", what);
        return NULL;
    }
    return rows_v ? rows_v : data;
}

/* The column of key, added when new.  hint is the key's place in its row:
 * rows usually list their keys in one order, so it is tried first. */
static int column(rows *r, const char *key, size_t hint, uf_error *err, size_t row)
{
    size_t n = strlen(key);
    if (hint < r->nkeys && uf_utf8_caseeq(r->keys[hint], r->klen[hint], key, n))
        return (int)hint;
    for (size_t k = 0; k < r->nkeys; k++)
        if (uf_utf8_caseeq(r->keys[k], r->klen[k], key, n))
            return (int)k;
    if (r->nkeys == MAX_KEYS) {
        uf_error_set(err, UF_ERR_INPUT, r->display, (long)row, 0, NULL,
                     "fler än %d olika nycklar (den senaste: %.60s); väntade ett extrakts "
                     "kolumner", MAX_KEYS, key);
        return -1;
    }
    r->keys[r->nkeys] = key;
    r->klen[r->nkeys] = n;
    return (int)r->nkeys++;
}

/* Fills r->slot with row number `row`'s values; in the checking pass every
 * value is checked and new keys become columns. */
static int row_read(rows *r, json_t *obj, size_t row, uf_error *err)
{
    if (!json_is_object(obj)) {
        uf_error_set(err, UF_ERR_INPUT, r->display, (long)row, 0, NULL,
                     "väntade ett objekt med kolumnnamnen som nycklar");
        return -1;
    }
    memset(r->slot, 0, r->nkeys * sizeof *r->slot);
    const char *key;
    json_t *v;
    size_t place = 0;
    json_object_foreach (obj, key, v) {
        int k = column(r, key, place++, err, row);
        if (k < 0)
            return -1;
        const char *wrong = r->seen[k] == row ? "finns två gånger (stora och små bokstäver "
                                                "räknas lika); väntade den en gång"
                            : json_is_object(v) || json_is_array(v)
                                ? "väntade text, tal, true/false eller null"
                                : NULL;
        if (wrong) {
            uf_error_set(err, UF_ERR_INPUT, r->display, (long)row, 0, NULL, "nyckel %.60s: %s",
                         key, wrong);
            return -1;
        }
        r->seen[k] = row;
        r->slot[k] = v;
    }
    return 0;
}

static void put_value(FILE *f, json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING: uf_csvout_text(f, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: uf_csvout_real(f, json_real_value(v)); break;
    case JSON_TRUE: putc('J', f); break;
    case JSON_FALSE: putc('N', f); break;
    default: break; /* null and a missing key: an empty field */
    }
}

static int write_csv(rows *r, json_t *list, const char *csv_path, uf_error *err)
{
    FILE *f = fopen(csv_path, "wb");
    if (!f) {
        uf_error_set(err, UF_ERR_IO, csv_path, 0, 0, NULL, "kunde inte skapa filen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    for (size_t k = 0; k < r->nkeys; k++) {
        if (k)
            putc(';', f);
        uf_csvout_text(f, r->keys[k], r->klen[k]);
    }
    putc('\n', f);
    /* Every row was checked: reading them again cannot fail. */
    memset(r->seen, 0, sizeof r->seen);
    json_t *obj;
    size_t i;
    json_array_foreach (list, i, obj) {
        row_read(r, obj, i + 1, err);
        for (size_t k = 0; k < r->nkeys; k++) {
            if (k)
                putc(';', f);
            put_value(f, r->slot[k]);
        }
        putc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        uf_error_set(err, UF_ERR_IO, csv_path, 0, 0, NULL, "kunde inte skriva filen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    return 0;
}

int uf_rows_to_csv(const char *path, const char *display, const char *csv_path, uf_error *err)
{
    rows *r = uf_xcalloc(1, sizeof *r);
    char *shown = uf_xasprintf("%s (JSON)", display);
    r->display = shown;
    json_t *root = load(path, r, err), *list = root ? row_array(root, r, err) : NULL;
    int rc = list ? 0 : -1;
    if (rc == 0 && json_array_size(list) == 0) {
        uf_error_set(err, UF_ERR_INPUT, shown, 0, 0, NULL,
                     "svaret har inga rader; väntade minst ett objekt");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++)
        rc = row_read(r, json_array_get(list, i), i + 1, err);
    if (rc == 0)
        rc = write_csv(r, list, csv_path, err);
    json_decref(root);
    free(shown);
    free(r);
    return rc;
}
