/*
 * tmpdir.h: one scratch folder per unit-test program, made by the cmocka
 * group setup and removed with its contents by the group teardown
 * (test_check.c, test_import.c, test_replay.c, test_util.c).
 */
#ifndef GVT_TEST_TMPDIR_H
#define GVT_TEST_TMPDIR_H

/* The folder's path, valid between tmpdir_setup and tmpdir_teardown. */
extern char tmpdir[64];

/* cmocka group setup and teardown: 0 on success, -1 otherwise. */
int tmpdir_setup(void **state);
int tmpdir_teardown(void **state);

/* Writes text to tmpdir/name; returns the path (a static buffer that the
 * next call overwrites). */
const char *tmpdir_write(const char *name, const char *text);
/* The same with n bytes that may hold NULs. */
const char *tmpdir_write_bytes(const char *name, const void *data, size_t n);

#endif
