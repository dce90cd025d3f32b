/* compute/units.c — to be written. */
