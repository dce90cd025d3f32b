/* core/strtab.c — to be written. */
