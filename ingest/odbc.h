/* ingest/odbc.h — an extract pulled from a database with SQL through ODBC
 * (unixODBC): the query's placeholders (sql.c, no ODBC needed, so the config
 * reader and its fuzz harness can check an inline query) and the pull
 * itself (odbc.c). */
#ifndef UF_INGEST_ODBC_H
#define UF_INGEST_ODBC_H

#include "ingest/sources.h"

/* ingest/sql.c — {period} ("2024-08"), {from} and {to} (the first and last
 * day of the source's window, as dates) each become a ? that the driver
 * binds: a value is never pasted into the SQL text.  A placeholder inside
 * quotes, a bare ?, an unknown {name} and an unclosed quote or comment are
 * errors with their line and column in the query. */
typedef enum { UF_SQL_PERIOD, UF_SQL_FROM, UF_SQL_TO } uf_sql_param;

typedef struct {
    char *text; /* the SQL the driver gets */
    uf_sql_param *params; /* in the order of the ? markers */
    size_t nparams;
} uf_sql;

/* display: the query as messages name it (its file). */
int uf_sql_parse(const char *text, size_t len, const char *display, uf_sql *out, uf_error *err);
const char *uf_sql_param_name(uf_sql_param p); /* "period" */
void uf_sql_free(uf_sql *q);

/* ingest/odbc.c — runs source s's query for period and stores what it
 * returned in st (the archive), before anything reads it: out[0] the rows
 * as the CSV extract they become (role "odbc"), out[1] the query text
 * ("sql"), out[2] the pull's description: driver and DBMS names and
 * versions, the redacted connection, the bound values, the number of rows
 * ("odbc-drivrutin").  password may be NULL (integrated login); it never
 * reaches a message. */
enum { UF_ODBC_INPUTS = 3 };
int uf_odbc_fetch(const uf_source *s, const char *password, uf_month period,
                  const uf_store *st, uf_input out[UF_ODBC_INPUTS], uf_error *err);

#endif
