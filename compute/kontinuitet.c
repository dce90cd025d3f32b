/* compute/kontinuitet.c — to be written. */
