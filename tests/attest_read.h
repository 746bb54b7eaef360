/*
 * attest_read.h: reading attestations from memory in the tests of the
 * attestation readers (test_attestation, test_typed, test_eas_read,
 * test_eas_onchain): a record edited by hand, a read that must succeed, a
 * read that must fail at a given place. They fail the running cmocka test
 * otherwise.
 */
#ifndef GVT_TEST_ATTEST_READ_H
#define GVT_TEST_ATTEST_READ_H

#include "crypto/crypto.h"

/* text with the first occurrence of from replaced by to, in a static buffer
 * that the next call overwrites; from must occur. */
const char *text_edited(const char *text, const char *from, const char *to);

/* The attestations of text, read as the file `name`. */
gvt_attestations *attest_read_ok(const char *name, const char *text);

/* Reads text as the file `name` and expects GVT_ERR_DATA naming that file,
 * at line and (unless column < 0) column, at path, with words in the
 * message. */
void attest_read_fails(const char *name, const char *text, long line,
                       long column, const char *path, const char *words);

#endif
