/* ingest/fields.c — to be written. */
