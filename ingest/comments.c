/* ingest/comments.c — to be written. */
