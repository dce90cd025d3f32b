/* ingest/indicators.c — to be written. */
