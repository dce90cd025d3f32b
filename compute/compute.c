/* compute/compute.c — to be written. */
