/* ingest/fetch.c — to be written. */
