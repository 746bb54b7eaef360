/*
 * fuzz_memfile.h: the fuzz targets of parsers that read a path give them
 * the input through one file of their own, rewritten for every input.
 */
#ifndef GVT_FUZZ_MEMFILE_H
#define GVT_FUZZ_MEMFILE_H

#include <stddef.h>
#include <stdint.h>

/* Writes data to a file named after `name` in a private folder made on the
 * first call and returns the file's path (static storage). Aborts when the
 * file cannot be written. */
const char *fuzz_memfile(const char *name, const uint8_t *data, size_t size);
/* The private folder (made on the first call). */
const char *fuzz_folder(void);

#endif
