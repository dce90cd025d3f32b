/* ingest/archive.c — to be written. */
