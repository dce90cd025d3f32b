/* render/xlsx.c — to be written. */
