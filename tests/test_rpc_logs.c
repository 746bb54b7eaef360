/*
 * test_rpc_logs.c: the one loop over an eth_getLogs answer (gvt_rpc_each_log,
 * tally/fetch/rpc.c) that governor's and eas's readers are called from:
 * dropped logs skipped, fields decoded, a malformed log refused before any
 * callback sees it, a callback's error ending the loop. The answers are
 * written by hand here; the real node's are in tests/node/fetch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fetch/fetch.h"

#define TX "0xab00000000000000000000000000000000000000000000000000000000000000"
#define TOPIC                                                                  \
    "0x0000000000000000000000000000000000000000000000000000000000000007"

/* What the callback saw. */
typedef struct seen {
    size_t calls;
    size_t index[4];
    uint64_t block[4], log_index[4];
    size_t len[4];
    unsigned char first_byte[4];
    size_t topics[4];
    size_t fail_at; /* the callback fails on this call (0: never) */
} seen;

static gvt_status note(void *ctx, const gvt_rpc_log *f, const char *what,
                       size_t i, gvt_error *err)
{
    seen *s = ctx;
    assert_string_equal(what, "eth_getLogs blocks 1-9");
    assert_int_equal(strlen(f->tx), 66);
    size_t k = s->calls++;
    if (k < 4) {
        s->index[k] = i;
        s->block[k] = f->block;
        s->log_index[k] = f->index;
        s->len[k] = f->len;
        s->first_byte[k] = f->len ? f->data[0] : 0;
        s->topics[k] = f->topics->count;
    }
    if (s->fail_at && s->calls == s->fail_at) {
        gvt_error_set(err, GVT_ERR_DATA, "cb", "refused by the reader");
        return GVT_ERR_DATA;
    }
    return GVT_OK;
}

static gvt_status each(const char *text, seen *s, gvt_error *err)
{
    char why[128];
    long long at = 0;
    gvt_jdoc *doc = gvt_jdoc_parse(text, strlen(text), why, sizeof why, &at);
    assert_non_null(doc);
    gvt_status st = gvt_rpc_each_log(NULL, gvt_jdoc_root(doc),
                                     "eth_getLogs blocks 1-9", note, s, err);
    gvt_jdoc_free(doc);
    return st;
}

static const char *log_text(const char *extra, const char *data,
                            const char *block, char *buf, size_t room)
{
    snprintf(buf, room,
             "{%s\"topics\":[\"" TOPIC "\",\"" TOPIC "\"],\"data\":\"%s\","
             "\"blockNumber\":\"%s\",\"logIndex\":\"0x2\","
             "\"transactionHash\":\"" TX "\"}",
             extra, data, block);
    return buf;
}

static void test_logs_read_and_dropped_ones_skipped(void **state)
{
    (void)state;
    char a[512], b[512], c[512], text[2048];
    /* The dropped log is malformed too: were it read, the answer would be
     * refused. */
    snprintf(text, sizeof text, "[%s,{\"removed\":true,\"data\":7},%s,%s]",
             log_text("", "0x", "0x10", a, sizeof a),
             log_text("\"removed\":false,", "0xff01", "0xa", b, sizeof b),
             log_text("\"removed\":true,", "0x02", "0xb", c, sizeof c));
    seen s = {0};
    gvt_error err;
    gvt_error_clear(&err);
    assert_int_equal(each(text, &s, &err), GVT_OK);
    assert_int_equal(s.calls, 2);
    assert_int_equal(s.index[0], 0);
    assert_int_equal(s.block[0], 16);
    assert_int_equal(s.log_index[0], 2);
    assert_int_equal(s.len[0], 0);
    assert_int_equal(s.topics[0], 2);
    assert_int_equal(s.index[1], 2); /* its place in the answer */
    assert_int_equal(s.block[1], 10);
    assert_int_equal(s.len[1], 2);
    assert_int_equal(s.first_byte[1], 0xff);
}

static void test_malformed_log_refused_before_callbacks(void **state)
{
    (void)state;
    char a[512], b[512], text[2048];
    static const char *bad[] = {"0xf", "0xzz", "ff"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(text, sizeof text, "[%s,%s]",
                 log_text("", "0x01", "0x1", a, sizeof a),
                 log_text("", bad[k], "0x1", b, sizeof b));
        seen s = {0};
        gvt_error err;
        gvt_error_clear(&err);
        assert_int_equal(each(text, &s, &err), GVT_ERR_DATA);
        assert_int_equal(s.calls, 1); /* the first log only */
        assert_string_equal(err.path, "$.result[1]");
        assert_non_null(strstr(err.message, "bad answer"));
    }
    /* No blockNumber. */
    snprintf(text, sizeof text,
             "[{\"topics\":[\"" TOPIC "\"],\"data\":\"0x\",\"logIndex\":"
             "\"0x0\",\"transactionHash\":\"" TX "\"}]");
    seen s = {0};
    gvt_error err;
    gvt_error_clear(&err);
    assert_int_equal(each(text, &s, &err), GVT_ERR_DATA);
    assert_int_equal(s.calls, 0);
    assert_string_equal(err.path, "$.result[0]");
}

static void test_callback_error_ends_the_loop(void **state)
{
    (void)state;
    char a[512], text[2048];
    log_text("", "0x01", "0x1", a, sizeof a);
    snprintf(text, sizeof text, "[%s,%s,%s]", a, a, a);
    seen s = {.fail_at = 2};
    gvt_error err;
    gvt_error_clear(&err);
    assert_int_equal(each(text, &s, &err), GVT_ERR_DATA);
    assert_int_equal(s.calls, 2);
    assert_string_equal(err.message, "refused by the reader");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logs_read_and_dropped_ones_skipped),
        cmocka_unit_test(test_malformed_log_refused_before_callbacks),
        cmocka_unit_test(test_callback_error_ends_the_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
