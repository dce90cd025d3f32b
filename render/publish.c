/* render/publish.c — to be written. */
