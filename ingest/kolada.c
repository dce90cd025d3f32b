/* ingest/kolada.c — to be written. */
