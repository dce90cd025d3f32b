/* ingest/json.c — to be written. */
