/* compute/status.c — to be written. */
