/*
 * same.h: equality of two reads of one input, field by field, for the
 * reader's equivalence tests (split vs sequential, fast lane vs events):
 * test_reader_paths.c and the fuzz target.
 */
#ifndef GVT_TEST_SAME_H
#define GVT_TEST_SAME_H

#include "read/read.h"

/* Do a and b hold the same ballots, choices and counts? False with the
 * first difference in why (size bytes). */
bool same_proposal(const gvt_proposal *a, const gvt_proposal *b, char *why,
                   size_t size);

/* Do a and b report the same error (status, message, place)? */
bool same_error(const gvt_error *a, const gvt_error *b, char *why, size_t size);

#endif
