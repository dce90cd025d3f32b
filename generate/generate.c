/* generate/generate.c — to be written. */
