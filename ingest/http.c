/* ingest/http.c — to be written. */
