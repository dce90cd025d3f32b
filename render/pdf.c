/* render/pdf.c — to be written. */
