/* attest_read.c: see attest_read.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "attest_read.h"

const char *text_edited(const char *text, const char *from, const char *to)
{
    static char buf[4096];
    const char *at = strstr(text, from);
    assert_non_null(at);
    int n = snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - text), text, to,
                     at + strlen(from));
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    return buf;
}

gvt_attestations *attest_read_ok(const char *name, const char *text)
{
    gvt_attestations *a = NULL;
    gvt_error err;
    if (gvt_attestations_read_mem(name, text, strlen(text), &a, &err))
        fail_msg("%s at %s", err.message, err.path);
    return a;
}

void attest_read_fails(const char *name, const char *text, long line,
                       long column, const char *path, const char *words)
{
    gvt_attestations *a = (gvt_attestations *)1;
    gvt_error err;
    assert_int_equal(
        gvt_attestations_read_mem(name, text, strlen(text), &a, &err),
        GVT_ERR_DATA);
    assert_null(a);
    assert_int_equal(err.code, GVT_ERR_DATA);
    assert_string_equal(err.file, name);
    if (err.line != line || (column >= 0 && err.column != column) ||
        strcmp(err.path, path) != 0 || !strstr(err.message, words))
        fail_msg("got %ld:%ld %s '%s', want %ld:%ld %s '%s'", err.line,
                 err.column, err.path, err.message, line, column, path, words);
}
