/* compute/bedomning.c — to be written. */
