/* compute/aggregat.c — to be written. */
