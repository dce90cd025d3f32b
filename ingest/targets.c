/* ingest/targets.c — to be written. */
