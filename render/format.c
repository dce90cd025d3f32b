/* render/format.c — to be written. */
