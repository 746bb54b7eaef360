/*
 * test_threads.c: every parallel pass obeys the caller's thread count.
 *
 * This program defines pthread_create itself, so that every thread the
 * library starts, from any file and by any path, goes through it and is
 * counted before the C library's pthread_create (dlsym RTLD_NEXT) starts
 * it. Every split is forced (gvt_par_force_for_tests, the reader's split
 * offset) and the identity has enough signatures for two workers, so a
 * pass that ignored a count of 1 would start a thread and fail the test;
 * the same runs with a count of 2 must start some (the counter sees them),
 * and give the same bytes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "read/read.h"
#include "report/report.h"
#include "tmpdir.h"

static atomic_ulong started;

int pthread_create(pthread_t *restrict thread,
                   const pthread_attr_t *restrict attr, void *(*start)(void *),
                   void *restrict arg)
{
    typedef int (*create_fn)(pthread_t *restrict,
                             const pthread_attr_t *restrict, void *(*)(void *),
                             void *restrict);
    static create_fn real;
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
    int rc = real(thread, attr, start, arg);
    if (rc == 0)
        atomic_fetch_add(&started, 1);
    return rc;
}

static unsigned long threads_started(void)
{
    return atomic_load(&started);
}

enum { VOTERS = 200 };

static const char *const types[] = {"single-choice", "basic",    "approval",
                                    "ranked-choice", "copeland", "quadratic",
                                    "weighted"};
static const char *const choices[] = {"2",
                                      "1",
                                      "[1, 3]",
                                      "[3, 1, 2]",
                                      "[2, 3, 1]",
                                      "{\"1\": 2, \"3\": 1}",
                                      "{\"2\": 1, \"3\": 3}"};

/* An export of type t: VOTERS voters 0x..01 .. (the subjects of the
 * attestations below), vp 1 .. VOTERS, some voting twice. */
static char *export_doc(int t, size_t *len)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_printf(&b,
                   "{\"proposal\": {\"id\": \"p%d\", \"space\": \"s.eth\", "
                   "\"type\": \"%s\", \"choices\": [\"A\", \"B\", \"C\"], "
                   "\"start\": 1700000000, \"end\": 1700100000}, "
                   "\"votes\": [",
                   t, types[t]);
    for (int i = 0; i < VOTERS + 20; i++) {
        int who = i < VOTERS ? i + 1 : i - VOTERS + 1; /* 20 vote again */
        gvt_buf_printf(&b,
                       "%s\n{\"id\": \"0x%064x\", \"voter\": \"0x%040x\", "
                       "\"created\": %d, \"choice\": %s, \"vp\": %d}",
                       i ? "," : "", i + 1, who, 1700000000 + i,
                       i < VOTERS ? choices[t] : choices[(t + 1) % 7], who);
    }
    gvt_buf_puts(&b, "]}\n");
    *len = b.len;
    return b.data;
}

/* One attestation per voter, signed here with a fresh key, and the trust
 * file naming that key. */
static void identity_files(gvt_attestations **out_a, gvt_trust **out_t)
{
    static int calls;
    char key_path[128], subjects[128], att_path[128], pub[65];
    gvt_error err;
    snprintf(key_path, sizeof key_path, "%s/key%d", tmpdir, ++calls);
    assert_int_equal(gvt_attest_keygen(key_path, pub, &err), GVT_OK);
    gvt_buf b;
    gvt_buf_init(&b);
    for (int i = 1; i <= VOTERS; i++)
        gvt_buf_printf(&b, "0x%040x,%064x\n", i, i);
    snprintf(subjects, sizeof subjects, "%s",
             tmpdir_write("subjects.csv", b.data));
    gvt_buf_free(&b);
    snprintf(att_path, sizeof att_path, "%s/att.jsonl", tmpdir);
    FILE *f = fopen(att_path, "w");
    assert_non_null(f);
    gvt_attest_sign_options so = {.scope = "*", .issued_at = 1};
    size_t n = 0;
    assert_int_equal(gvt_attest_sign_file(key_path, subjects, &so, f, &n, &err),
                     GVT_OK);
    fclose(f);
    assert_int_equal(n, VOTERS);
    char trust[256];
    snprintf(trust, sizeof trust,
             "{\"v\": 1, \"issuers\": [{\"name\": \"i\", \"key\": \"%s\"}]}",
             pub);
    const char *trust_path = tmpdir_write("issuers.json", trust);
    assert_int_equal(gvt_attestations_read_file(att_path, out_a, &err), GVT_OK);
    assert_int_equal(gvt_trust_read_file(trust_path, out_t, &err), GVT_OK);
}

/* Reads and tallies (all schemes, or address alone) on `threads`; returns
 * the JSON reports of both and counts the threads started. */
static char *read_and_tally(const char *doc, size_t len, unsigned threads,
                            const gvt_attestations *a, const gvt_trust *t,
                            unsigned long *out_started)
{
    unsigned long before = threads_started();
    gvt_read_options ro = {.threads = threads};
    gvt_proposal *p = NULL;
    gvt_error err;
    gvt_reader_split_for_tests((long long)len / 2);
    assert_int_equal(gvt_proposal_read_mem_opt("doc", doc, len, &ro, &p, &err),
                     GVT_OK);
    gvt_reader_split_for_tests(-1);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_scheme address = GVT_SCHEME_ADDRESS;
    for (int k = 0; k < 2; k++) {
        gvt_tally_options to = {
            .attestations = a, .trust = t, .threads = threads};
        if (k == 1) {
            to.schemes = &address;
            to.n_schemes = 1;
        }
        gvt_result *r = NULL;
        assert_int_equal(gvt_tally_run(p, &to, &r, &err), GVT_OK);
        gvt_report_json(r, &b);
        gvt_result_free(r);
    }
    gvt_proposal_free(p);
    *out_started = threads_started() - before;
    return b.data;
}

static void test_read_and_tally(void **state)
{
    (void)state;
    gvt_attestations *a = NULL;
    gvt_trust *t = NULL;
    identity_files(&a, &t);
    unsigned long merged = gvt_reader_splits_merged();
    gvt_par_force_for_tests(1);
    for (int ty = 0; ty < 7; ty++) {
        size_t len;
        char *doc = export_doc(ty, &len);
        unsigned long one, two;
        char *r1 = read_and_tally(doc, len, 1, a, t, &one);
        char *r2 = read_and_tally(doc, len, 2, a, t, &two);
        if (one != 0)
            fail_msg("%s: %lu threads started with a count of 1", types[ty],
                     one);
        if (two == 0)
            fail_msg("%s: no thread started with a count of 2", types[ty]);
        assert_string_equal(r1, r2);
        free(r1);
        free(r2);
        free(doc);
    }
    gvt_par_force_for_tests(-1);
    /* The reader's split did run with two (and its second half merged). */
    assert_true(gvt_reader_splits_merged() > merged);
    gvt_trust_free(t);
    gvt_attestations_free(a);
}

static void test_verify(void **state)
{
    (void)state;
    gvt_attestations *a = NULL;
    gvt_trust *t = NULL;
    identity_files(&a, &t);
    size_t c1[GVT_ATTEST_REASON_COUNT], c2[GVT_ATTEST_REASON_COUNT];
    gvt_error err;
    unsigned long before = threads_started();
    assert_int_equal(gvt_attestations_verify(a, t, NULL, -1, 1, c1,
                                             GVT_ATTEST_REASON_COUNT, &err),
                     GVT_OK);
    assert_int_equal(threads_started(), before);
    assert_int_equal(gvt_attestations_verify(a, t, NULL, -1, 2, c2,
                                             GVT_ATTEST_REASON_COUNT, &err),
                     GVT_OK);
    assert_true(threads_started() > before);
    assert_int_equal(c1[GVT_ATTEST_VALID], VOTERS);
    assert_memory_equal(c1, c2, sizeof c1);
    gvt_trust_free(t);
    gvt_attestations_free(a);
}

/* Replays every type's export (one JSON Lines file) on `threads`. */
static char *replay(const char *path, unsigned threads,
                    const gvt_attestations *a, const gvt_trust *t,
                    unsigned long *out_started)
{
    unsigned long before = threads_started();
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    gvt_replay_options ro = {.attestations = a,
                             .trust = t,
                             .format = GVT_FORMAT_JSON,
                             .threads = threads};
    gvt_error err;
    assert_int_equal(gvt_replay_run(&path, 1, &ro, out, NULL, &err), GVT_OK);
    fclose(out);
    *out_started = threads_started() - before;
    return text;
}

static void test_replay(void **state)
{
    (void)state;
    gvt_attestations *a = NULL;
    gvt_trust *t = NULL;
    identity_files(&a, &t);
    gvt_buf lines;
    gvt_buf_init(&lines);
    for (int ty = 0; ty < 7; ty++) {
        size_t len;
        char *doc = export_doc(ty, &len);
        for (size_t i = 0; i < len; i++)
            if (doc[i] == '\n' && i + 1 < len)
                doc[i] = ' '; /* one line per export */
        gvt_buf_add(&lines, doc, len);
        free(doc);
    }
    char path[128];
    snprintf(path, sizeof path, "%s",
             tmpdir_write("history.jsonl", lines.data));
    gvt_buf_free(&lines);
    gvt_par_force_for_tests(1);
    unsigned long one, two;
    char *r1 = replay(path, 1, a, t, &one);
    char *r2 = replay(path, 2, a, t, &two);
    gvt_par_force_for_tests(-1);
    assert_int_equal(one, 0);
    assert_true(two > 0);
    assert_string_equal(r1, r2);
    free(r1);
    free(r2);
    gvt_trust_free(t);
    gvt_attestations_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_and_tally),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_replay),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
