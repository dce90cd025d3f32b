/* compute/listning.c — to be written. */
