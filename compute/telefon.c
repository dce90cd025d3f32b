/* compute/telefon.c — to be written. */
