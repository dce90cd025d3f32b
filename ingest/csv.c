/* ingest/csv.c — to be written. */
