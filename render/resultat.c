/* render/resultat.c — to be written. */
