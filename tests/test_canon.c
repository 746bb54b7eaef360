/*
 * test_canon.c: the canonical form of docs/audit.md#the-result-digest
 * (tally/core/canon.c) against Python's json.dumps(doc, ensure_ascii=False,
 * separators=(",", ":")) after deleting doc["audit"]["result_sha256"]: the
 * expected strings and the digest below are Python's output, pasted from
 *   python3 -c 'import json, hashlib; ...' (see each case).
 * Only the member of the top-level audit object is dropped, whatever its
 * value; every escape Python writes; pieces of any size give the same form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void to_buf(void *ctx, const void *data, size_t n)
{
    gvt_buf_add(ctx, data, n);
}

/* The canonical form of doc fed in pieces of step bytes; NULL when refused. */
static char *canon(const char *doc, size_t step)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_canon *c = gvt_canon_new(to_buf, &b);
    bool ok = true;
    size_t n = strlen(doc);
    for (size_t at = 0; ok && at < n; at += step)
        ok = gvt_canon_feed(c, doc + at, n - at < step ? n - at : step);
    ok = ok && gvt_canon_end(c);
    gvt_canon_free(c);
    if (!ok) {
        gvt_buf_free(&b);
        return NULL;
    }
    gvt_buf_putc(&b, '\0');
    return b.data;
}

static const struct {
    const char *doc, *want;
} cases[] = {
    {"{\"a\": {\"result_sha256\": 1}, \"audit\": {\"x\": [1, "
     "{\"result_sha256\": "
     "2}], \"result_sha256\": \"h\", \"y\": null}, \"z\": [true, false, -12, "
     "\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\ /\\u007f\\u00e9\\ud83d\\ude00\"]}",
     "{\"a\":{\"result_sha256\":1},\"audit\":{\"x\":[1,{\"result_sha256\":2}],"
     "\"y\":null},\"z\":[true,false,-12,\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\ "
     "/\x7f\xc3\xa9\xf0\x9f\x98\x80\"]}"},
    {"[{\"audit\": {\"result_sha256\": 1}}, {}, [], \"\"]",
     "[{\"audit\":{\"result_sha256\":1}},{},[],\"\"]"},
    {"{\"audit\": {\"result_sha256\": {\"deep\": [1, [2]]}, \"k\": 1}}",
     "{\"audit\":{\"k\":1}}"},
};

static void test_python_form(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t step = 1; step <= strlen(cases[i].doc); step += 7) {
            char *got = canon(cases[i].doc, step);
            assert_non_null(got);
            assert_string_equal(got, cases[i].want);
            free(got);
        }
    }
}

static void test_digest(void **state)
{
    (void)state;
    char hex[65];
    assert_true(gvt_canon_sha256(cases[0].doc, strlen(cases[0].doc), hex));
    /* hashlib.sha256 of Python's form of case 0 */
    assert_string_equal(
        hex,
        "a54f41e8f63f6a1f890dc2b5642b6af13ae60179575cf7582c46ac46b8f4c3bc");
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "{", "{\"a\": 1,}", "[1] [2]", "{\"a\": \"\xff\"}", "nul"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(canon(bad[i], 3));
    char hex[65];
    assert_false(gvt_canon_sha256("{", 1, hex));
    assert_string_equal(hex, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python_form),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
