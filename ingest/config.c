/* ingest/config.c — to be written. */
