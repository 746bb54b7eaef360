/*
 * test_reader_paths.c: the reader's two faster paths against its plain
 * one: the split read of a large document on two threads
 * (tally/read/split.c) and the fast lane that takes plain votes without
 * YAJL (tally/read/lane.c). The oracle of each is the sequential read of
 * YAJL's events over the same bytes; besides, large documents whose
 * choices, ids and duplicates have a brute-force answer.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reader_util.h"
#include "same.h"

/* ---- the split read (two threads, tally/read/split.c) -------------------
 *
 * The oracle is the sequential read of the same bytes (split disabled): with
 * the split forced at every byte offset, the status, every field of the
 * error and every ballot must be the same. The merge counter shows that the
 * second half was really used where a split is possible.
 */

static void assert_same_proposal(const gvt_proposal *a, const gvt_proposal *b)
{
    char why[200];
    bool same = same_proposal(a, b, why, sizeof why);
    if (!same)
        fprintf(stderr, "%s\n", why);
    assert_true(same);
}

static void assert_same_error(const gvt_error *a, const gvt_error *b)
{
    char why[400];
    bool same = same_error(a, b, why, sizeof why);
    if (!same)
        fprintf(stderr, "%s\n", why);
    assert_true(same);
}

/* Reads doc with the split forced at `at` (from a file when path is set)
 * and compares with the sequential result. */
static void split_once(const char *doc, size_t len, const char *path,
                       long long at, gvt_status ref_st, const gvt_proposal *ref,
                       const gvt_error *ref_e)
{
    gvt_reader_split_for_tests(at);
    gvt_proposal *p = NULL;
    gvt_error e;
    gvt_status st = path
                        ? gvt_proposal_read_file_opt(path, &two_threads, &p, &e)
                        : gvt_proposal_read_mem_opt("doc.json", doc, len,
                                                    &two_threads, &p, &e);
    gvt_reader_split_for_tests(-1);
    if (st != ref_st)
        fprintf(stderr, "split at %lld: status %d, want %d (%s)\n", at, st,
                ref_st, e.message);
    assert_int_equal(st, ref_st);
    if (st == GVT_OK)
        assert_same_proposal(p, ref);
    else
        assert_same_error(&e, ref_e);
    gvt_proposal_free(p);
}

/* Every split offset of doc against the sequential read; returns how many
 * split reads merged a second half. */
static unsigned long split_all(const char *doc, size_t len, const char *path)
{
    gvt_reader_split_for_tests(0);
    gvt_proposal *ref = NULL;
    gvt_error ref_e;
    gvt_status ref_st =
        path ? gvt_proposal_read_file_opt(path, &two_threads, &ref, &ref_e)
             : gvt_proposal_read_mem_opt("doc.json", doc, len, &two_threads,
                                         &ref, &ref_e);
    gvt_reader_split_for_tests(-1);
    unsigned long before = gvt_reader_splits_merged();
    for (size_t at = 1; at <= len; at++)
        split_once(doc, len, path, (long long)at, ref_st, ref, &ref_e);
    gvt_proposal_free(ref);
    return gvt_reader_splits_merged() - before;
}

/* Votes whose text holds split look-alikes: "}, {" inside strings, inside
 * a vote's metadata, with spaces and newlines between votes. */
#define TV(i, extra)                                                           \
    "{\"id\":\"v" #i "\",\"voter\":\"0x" #i                                    \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                  \
    "\",\"created\":" #i ",\"choice\":" extra "}"
#define TRICKY_VOTES                                                                                                                    \
    TV(1, "1,\"vp\":1.5,\"reason\":\"}, {\"")                                                                                           \
    " ,\n " TV(                                                                                                                         \
        2,                                                                                                                              \
        "2,\"vp\":2,\"metadata\":[{\"a\":1}, {\"b\":\"},{\"}]") ",\n" TV(3,                                                             \
                                                                         "1,"                                                           \
                                                                         "\"v"                                                          \
                                                                         "p\""                                                          \
                                                                         ":0."                                                          \
                                                                         "25,"                                                          \
                                                                         "\"r"                                                          \
                                                                         "\":"                                                          \
                                                                         "\"x"                                                          \
                                                                         "} "                                                           \
                                                                         ",{"                                                           \
                                                                         "\"") "," TV(4,                                                \
                                                                                      "2,\"vp\":4") " , " TV(5,                         \
                                                                                                             "3,\"vp\":1e-3") "," TV(6, \
                                                                                                                                     "1,\"vp\":7")

static const char *const split_docs[] = {
    "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\",\"b\"]},"
    "\"votes\":[" TRICKY_VOTES "],\"tail\":[{}, {}]}",
    "{\"data\":{\"proposal\":{\"type\":\"ranked-choice\",\"choices\":[\"a\","
    "\"b\"]},\"votes\":[" TRICKY_VOTES "]}}",
    /* votes first: never split (the type is not known yet) */
    "{\"votes\":[" TRICKY_VOTES "],\"proposal\":{\"type\":\"basic\","
    "\"choices\":[\"a\",\"b\",\"c\"]}}",
    "{\"proposal\":{\"type\":\"quadratic\",\"choices\":[\"a\",\"b\"]},"
    "\"votes\":[{\"voter\":\"" A1 "\",\"choice\":{\"1\":1}, \"vp\":1}, "
    "{\"voter\":\"" A2 "\",\"choice\":{\"1\":2,\"2\":0.5},\"vp\":3}, "
    "{\"voter\":\"" A3 "\",\"choice\":{\"2\":1e-2},\"vp\":3},"
    "{\"voter\":\"" A1 "\",\"choice\":{\"01\":1},\"vp\":3,\"created\":9}]}",
};

static void test_split_equivalence(void **state)
{
    (void)state;
    unsigned long merged[4];
    for (size_t i = 0; i < 4; i++)
        merged[i] = split_all(split_docs[i], strlen(split_docs[i]), NULL);
    assert_true(merged[0] > 0);
    assert_true(merged[1] > 0);
    assert_int_equal(merged[2], 0);
    assert_true(merged[3] > 0);
    /* The well-formed shapes, and the pinned malformed inputs. */
    for (size_t i = 0; i < 2; i++)
        (void)split_all(small_shapes[i], strlen(small_shapes[i]), NULL);
    for (size_t i = 0; i < n_bad_cases; i++)
        (void)split_all(bad_cases[i].doc, strlen(bad_cases[i].doc), NULL);
}

/* Errors anywhere, in particular in the second half, against the sequential
 * read at every split offset. */
static void test_split_errors(void **state)
{
    (void)state;
    static const char *const errs[] = {
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",{\"voter\":\"0x12\"}]}",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",{\"voter\":\"" A1 "\",\"choice\":1}]}",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",\"x}, {\"]}",
        /* a string vote whose rest parses as a vote when split inside */
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",\"x}, {\"voter\":\"" A1 "\","
        "\"choice\":1,\"vp\":1}]}",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES "]} x",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES "]",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",{\"vp\":1,\"vp\":1}]}",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES "],\"votes\":[]}",
        "{\"data\":{\"proposal\":{\"type\":\"weighted\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",{\"voter\":\"" A1 "\",\"vp\":1,"
        "\"choice\":{\"1\":1e-40}}]}}",
        "{\"proposal\":{\"type\":\"single-choice\",\"choices\":[\"a\"]},"
        "\"votes\":[" TRICKY_VOTES ",{\"id\":\"v\xff\"}]}",
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
        (void)split_all(errs[i], strlen(errs[i]), NULL);
}

/* Pinned: a look-alike boundary inside a string is refused, and an error in
 * the second half is the sequential one (offset from the text itself). */
static void test_split_pinned(void **state)
{
    (void)state;
    const char *doc = split_docs[0];
    /* The first candidate from here is the "}, {" of vote 1's reason. */
    long long at = after(doc, "\"reason\":\"");
    unsigned long before = gvt_reader_splits_merged();
    gvt_reader_split_for_tests(at);
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &p, &e), GVT_OK);
    gvt_reader_split_for_tests(-1);
    assert_int_equal(gvt_reader_splits_merged(), before);
    assert_int_equal(p->n_ballots, 6);
    assert_string_equal(bid(&p->ballots[5]), "v6");
    gvt_proposal_free(p);

    /* Split between votes 4 and 5, error in vote 7 (index 6). */
    const char *bad = "{\"proposal\":{\"type\":\"single-choice\","
                      "\"choices\":[\"a\"]},\"votes\":[" TRICKY_VOTES
                      ",{\"id\":\"v7\",\"voter\":\"0x12\"}]}";
    gvt_reader_split_for_tests(after(bad, "\"vp\":4"));
    p = (gvt_proposal *)&at;
    assert_int_equal(rd(bad, &p, &e), GVT_ERR_DATA);
    gvt_reader_split_for_tests(-1);
    assert_null(p);
    assert_int_equal(e.offset, after(bad, "\"0x12\""));
    assert_string_equal(e.path, "$.votes[6].voter");
    assert_int_equal(e.vote, 6);
    assert_string_equal(e.vote_id, "v7");
    assert_non_null(strstr(e.message, "not an address"));

    /* A clean split does merge, and the ballots keep their input order. */
    before = gvt_reader_splits_merged();
    gvt_reader_split_for_tests(after(doc, "\"vp\":4"));
    assert_int_equal(rd(doc, &p, &e), GVT_OK);
    gvt_reader_split_for_tests(-1);
    assert_int_equal(gvt_reader_splits_merged(), before + 1);
    assert_int_equal(p->n_ballots, 6);
    for (size_t i = 0; i < 6; i++) {
        char want[8];
        snprintf(want, sizeof want, "v%zu", i + 1);
        assert_string_equal(bid(&p->ballots[i]), want);
        assert_int_equal(p->ballots[i].created, (int64_t)i + 1);
    }
    assert_fx(p->ballots[4].vp, "0.001");
    gvt_proposal_free(p);
}

/* Duplicates of one voter on both sides of the split: a generated document
 * split at random offsets, against its sequential read. */
static void test_split_shuffle(void **state)
{
    (void)state;
    enum { N = 400 };
    gen_vote v[N];
    size_t order[N];
    for (size_t i = 0; i < N; i++) {
        v[i].voter = (int)rnd(60);
        v[i].created = rnd(5) == 0 ? -1 : (int)rnd(4);
        v[i].id = (int)i;
        v[i].choice = (int)rnd(5);
        v[i].vp = (int)rnd(1000);
        v[i].upper = (int)rnd(2);
        order[i] = i;
    }
    char *doc = gen_doc(v, order, N);
    size_t len = strlen(doc);
    gvt_reader_split_for_tests(0);
    gvt_proposal *ref = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &ref, &e), GVT_OK);
    unsigned long before = gvt_reader_splits_merged();
    for (int k = 0; k < 300; k++)
        split_once(doc, len, NULL, (long long)rnd((unsigned)len) + 1, GVT_OK,
                   ref, &e);
    assert_true(gvt_reader_splits_merged() - before >= 250);
    gvt_proposal_free(ref);
    free(doc);
}

/* The same through a file (each thread reads its half with pread). */
static void test_split_file(void **state)
{
    (void)state;
    char path[] = "/tmp/gvt_split_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *doc = split_docs[1];
    size_t len = strlen(doc);
    assert_int_equal(write(fd, doc, len), (ssize_t)len);
    close(fd);
    assert_true(split_all(doc, len, path) > 0);
    unlink(path);
}

/*
 * Identical choices share their decoding (document.c's intern table): 3000
 * quadratic ballots whose choices run through 1500 distinct forms
 * {"2":k} twice (the table grows past its first sizes), and 1000 more with
 * a second key. Each ballot must hold its own form's weights: choice 2
 * (index 1) with weight k, total k (+ 1 for the second key "1": 1).
 */
static void test_choices_shared(void **state)
{
    (void)state;
    enum { N = 4000, K = 1500 };
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\"proposal\":{\"id\":\"p1\",\"type\":\"quadratic\","
                     "\"choices\":[\"A\",\"B\"]},\"votes\":[");
    for (int i = 0; i < N; i++) {
        int k = i % K + 1;
        gvt_buf_printf(&b,
                       "%s{\"voter\":\"0x%040x\",\"choice\":{%s\"2\":%d},"
                       "\"vp\":1}",
                       i ? "," : "", i, i >= 3000 ? "\"1\":1," : "", k);
    }
    gvt_buf_puts(&b, "]}");
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(b.data, &p, &e), GVT_OK);
    assert_int_equal(p->n_ballots, N);
    mpz_t want;
    mpz_init(want);
    for (int i = 0; i < N; i++) {
        int k = i % K + 1;
        const gvt_choice *c = p->ballots[i].choice;
        assert_non_null(c);
        bool two = i >= 3000;
        assert_int_equal(c->n, two ? 2 : 1);
        assert_int_equal(c->idx[two ? 1 : 0], 1);
        mpz_mul_ui(want, *gvt_fx_one(), (unsigned long)k);
        assert_int_equal(mpz_cmp(c->w[two ? 1 : 0], want), 0);
        mpz_mul_ui(want, *gvt_fx_one(), (unsigned long)k + (two ? 1 : 0));
        assert_int_equal(mpz_cmp(c->total, want), 0);
    }
    mpz_clear(want);
    gvt_proposal_free(p);
    gvt_buf_free(&b);
}

/*
 * Voters and ids with every byte at every place (read by the lane, or by
 * YAJL for the bytes that need an escape): a voter is an address when all
 * its digits are hex digits of either case, stored lower-case; an id is
 * packed when it is 0x + 64 lower-case hex digits, and always reads back as
 * written. The oracle is <ctype.h>.
 */
static void test_hex_every_byte(void **state)
{
    (void)state;
    for (int c = 1; c < 256; c++) {
        for (size_t at = 0; at < 64; at += (at < 40 ? 1 : 7)) {
            char voter[43], id[67], vtext[16], itext[16];
            memset(voter, 'a', 42);
            memcpy(voter, "0x", 2);
            voter[42] = '\0';
            memset(id, 'e', 66);
            memcpy(id, "0x", 2);
            id[66] = '\0';
            bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
            if (plain)
                snprintf(vtext, sizeof vtext, "%c", c);
            else
                snprintf(vtext, sizeof vtext, "\\u%04x", c);
            memcpy(itext, vtext, sizeof itext);
            gvt_buf b;
            gvt_buf_init(&b);
            gvt_buf_printf(&b,
                           "{\"proposal\":" PROP ",\"votes\":[{\"voter\":\"" A1
                           "\",\"choice\":1,\"vp\":1},{\"id\":\"%.*s%s%s\","
                           "\"voter\":\"%.*s%s%s\",\"choice\":1,\"vp\":1}]}",
                           (int)(2 + at), id, itext, id + 3 + at,
                           at < 40 ? (int)(2 + at) : 42, voter,
                           at < 40 ? vtext : "", at < 40 ? voter + 3 + at : "");
            gvt_proposal *p = NULL;
            gvt_error e;
            gvt_status st = rd(b.data, &p, &e);
            bool address = at >= 40 || isxdigit(c);
            assert_int_equal(st, address ? GVT_OK : GVT_ERR_DATA);
            if (st == GVT_OK) {
                char want[43];
                memcpy(want, voter, sizeof want);
                if (at < 40)
                    want[2 + at] = (char)tolower(c);
                assert_string_equal(p->ballots[1].voter, want);
                const gvt_ballot *x = &p->ballots[1];
                bool packed = isxdigit(c) && !isupper(c);
                assert_int_equal(x->id_kind, packed ? GVT_ID_HEX : GVT_ID_TEXT);
                char buf[GVT_BALLOT_ID_HEX_SIZE], wid[80];
                if (c < 0x80) {
                    memcpy(wid, id, sizeof id);
                    wid[2 + at] = (char)c;
                    assert_string_equal(gvt_ballot_id(x, buf), wid);
                }
                gvt_proposal_free(p);
            } else {
                assert_non_null(strstr(e.message, "not an address"));
            }
            gvt_buf_free(&b);
        }
    }
}

/*
 * Duplicates among 100k ballots (finished on two threads): voter i % 60000,
 * created a scrambled function of i, some ties broken by the id. The oracle
 * keeps, per voter, the ballot of greatest (created, id) by plain loops.
 */
static void test_duplicates_large(void **state)
{
    (void)state;
    enum { N = 100000, VOTERS = 60000 };
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\"proposal\":" PROP ",\"votes\":[");
    for (size_t i = 0; i < N; i++)
        gvt_buf_printf(&b,
                       "%s{\"id\":\"0x%064zx\",\"voter\":\"0x%040zx\","
                       "\"created\":%zu,\"choice\":%zu,\"vp\":%zu}",
                       i ? "," : "", (i * 7919) % 1000003, i % VOTERS,
                       (i * 2654435761u) % 7, i % 3, i % 1000);
    gvt_buf_puts(&b, "]}");
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(
        gvt_proposal_read_mem_opt("big", b.data, b.len, &two_threads, &p, &e),
        GVT_OK);
    assert_int_equal(p->n_ballots, N);
    size_t *best = malloc(VOTERS * sizeof *best);
    for (size_t v = 0; v < VOTERS; v++)
        best[v] = v; /* the first ballot of voter v */
    for (size_t i = VOTERS; i < N; i++) {
        size_t v = i % VOTERS, k = best[v];
        size_t ci = (i * 2654435761u) % 7, ck = (k * 2654435761u) % 7;
        size_t ii = (i * 7919) % 1000003, ik = (k * 7919) % 1000003;
        if (ci > ck || (ci == ck && ii > ik))
            best[v] = i;
    }
    size_t counted = 0, invalid = 0;
    mpz_t total, want;
    mpz_inits(total, want, NULL);
    for (size_t i = 0; i < N; i++) {
        bool stands = best[i % VOTERS] == i;
        const gvt_ballot *x = &p->ballots[i];
        if (!stands) {
            assert_int_equal(x->status, GVT_BALLOT_DUPLICATE);
            continue;
        }
        bool valid = i % 3 != 0; /* choice 0 is invalid (choices A, B) */
        assert_int_equal(x->status, valid ? GVT_BALLOT_COUNTED
                                          : GVT_BALLOT_INVALID_CHOICE);
        counted += valid;
        invalid += !valid;
        mpz_add_ui(total, total, (unsigned long)(i % 1000));
    }
    mpz_mul(want, total, *gvt_fx_one());
    assert_int_equal(p->counts.counted, counted);
    assert_int_equal(p->counts.invalid_choice, invalid);
    assert_int_equal(p->counts.duplicate, N - VOTERS);
    assert_int_equal(mpz_cmp(p->scores_total, want), 0);
    mpz_clears(total, want, NULL);
    free(best);
    gvt_proposal_free(p);
    gvt_buf_free(&b);
}

/* ---- the fast lane ------------------------------------------------------- */

/* Reads doc with the lane on and off: the same outcome. Returns the votes
 * the lane committed. */
static unsigned long lane_both(const char *doc, size_t len, const char *path)
{
    unsigned long before = gvt_reader_lane_votes();
    gvt_proposal *on = NULL, *off = NULL;
    gvt_error e_on, e_off;
    gvt_status st_on =
        path ? gvt_proposal_read_file_opt(path, &two_threads, &on, &e_on)
             : gvt_proposal_read_mem_opt("doc.json", doc, len, &two_threads,
                                         &on, &e_on);
    unsigned long taken = gvt_reader_lane_votes() - before;
    gvt_reader_lane_for_tests(false);
    gvt_status st_off =
        path ? gvt_proposal_read_file_opt(path, &two_threads, &off, &e_off)
             : gvt_proposal_read_mem_opt("doc.json", doc, len, &two_threads,
                                         &off, &e_off);
    gvt_reader_lane_for_tests(true);
    if (st_on != st_off)
        fprintf(stderr, "lane: status %d against %d (%s / %s) in\n%.300s\n",
                st_on, st_off, e_on.message, e_off.message, doc);
    assert_int_equal(st_on, st_off);
    if (st_on == GVT_OK)
        assert_same_proposal(on, off);
    else
        assert_same_error(&e_on, &e_off);
    gvt_proposal_free(on);
    gvt_proposal_free(off);
    return taken;
}

#define HEX64                                                                  \
    "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define PLAIN(voter, choice)                                                   \
    "{\"id\":\"" HEX64 "\",\"voter\":\"" voter "\",\"created\":5,"             \
    "\"choice\":" choice ",\"vp\":2.5,\"vp_by_strategy\":[1,1.5],"             \
    "\"vp_state\":\"final\",\"reason\":\"\",\"app\":\"snapshot\"}"

/*
 * One unusual vote among plain ones, for each proposal type: the lane must
 * take the plain votes and leave the unusual one to YAJL, with the same
 * ballots or the same error (message, path, offset, line, column) as
 * YAJL's events alone. The texts below are the members of the third vote.
 */
static void test_lane_equivalence(void **state)
{
    (void)state;
    static const char *const members[] = {
        /* plain, in other spellings */
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1",
        " \"voter\" : \"" A3 "\" ,\n\t\"choice\" :2 ,\r\n\"vp\": 0.5 ",
        "\"vp\":-0,\"choice\":1,\"voter\":\"" A3 "\"",
        "\"voter\":\"" A1_UPPER "\",\"choice\":1,\"vp\":1",
        "\"voter\":\"0x"
        "cccccccccccccccccccccccccccccccccccccccccccccccc"
        "cccccccccccccccc\",\"choice\":1,\"vp\":1",
        "\"id\":null,\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1",
        "\"id\":\"v3\",\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1",
        "\"id\":\"0xABCDEF\",\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"created\":null",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"created\":-3",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"vp_by_strategy\":null",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"vp_by_strategy\":[]",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"ipfs\":\"Qm\","
        "\"metadata\":null,\"app\":true",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1E+2",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1e-18",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":123456789012345678901234",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":0.000000000000000000000000"
        "000000000001",
        /* choices of every shape */
        "\"voter\":\"" A3 "\",\"choice\":0,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":9,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":\"1\",\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1.5,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":true,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":null,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":[],\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":[ 2 , 1 ],\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":[1,2,2],\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":[1,\"2\",null],\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":[1,[2]],\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{ \"1\" : 1 , \"2\":0.5},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"1\":1,\"1\":2},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"1\":{\"a\":1}},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"1\":1e-40},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"01\":1,\"x\":\"y\"},\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"1\":1,\"2\":1,\"3\":1,\"4\":1,"
        "\"5\":1,\"6\":1,\"7\":1,\"8\":1,\"9\":1,\"10\":1,\"11\":1,\"12\":1,"
        "\"13\":1,\"14\":1,\"15\":1,\"16\":1,\"17\":1},\"vp\":1",
        /* left to YAJL, accepted */
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"a\\\"b\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"\\u00e9\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"\xc3\xa9\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"metadata\":{\"a\":[1]}",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"space\":\"x\"",
        "\"v\\u0070\":1,\"voter\":\"" A3 "\",\"choice\":1",
        "\"voter\":\"" A3 "\",\"choice\":{\"\\u0031\":1},\"vp\":1",
        /* errors, reported by YAJL's events */
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"\xff\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"a\x01\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"vp\":2",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":\"1\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":-1",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1e400",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1e-40",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":01",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1.",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":.5",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1x",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1 2",
        "\"voter\":\"" A3 "\",\"choice\":tru,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":nul,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,",
        "\"voter\":\"0x12\",\"choice\":1,\"vp\":1",
        "\"voter\":null,\"choice\":1,\"vp\":1",
        "\"voter\":7,\"choice\":1,\"vp\":1",
        "\"id\":7,\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"created\":1.5",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"created\":"
        "99999999999999999999",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"vp_by_strategy\":3",
        "\"voter\":\"" A3
        "\",\"choice\":1,\"vp\":1,\"vp_by_strategy\":[1,\"x\"]",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"vp_by_strategy\":[[1]]",
        "\"choice\":1,\"vp\":1",
        "\"voter\":\"" A3 "\",\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1",
        "",
        "\"voter\":\"" A3 "\" \"choice\":1,\"vp\":1",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1}, 5, {\"x\":1",
        /* a '}' then ',' inside a string is no place to split the text
         * for the lane: YAJL would place the error after such a string
         * at the split (fuzz_reader found the first) */
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1 \"x},\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"q\\\"},\" "
        "\"x},\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"reason\":\"q\\\\\" "
        "\"x},\"",
        "\"voter\":\"" A3 "\",\"choice\":1,\"vp\":1,\"a}, {\":{\"b}\":\"},\"}",
    };
    static const char *const proposals[] = {
        "{\"type\":\"single-choice\",\"choices\":[\"a\",\"b\",\"c\"]}",
        "{\"type\":\"approval\",\"choices\":[\"a\",\"b\",\"c\"]}",
        "{\"type\":\"ranked-choice\",\"choices\":[\"a\",\"b\"]}",
        "{\"type\":\"weighted\",\"choices\":[\"a\",\"b\",\"c\"]}",
    };
    unsigned long taken = 0;
    for (size_t t = 0; t < sizeof proposals / sizeof *proposals; t++) {
        for (size_t i = 0; i < sizeof members / sizeof *members; i++) {
            gvt_buf b;
            gvt_buf_init(&b);
            gvt_buf_printf(
                &b,
                "{\"proposal\":%s,\"votes\":[" PLAIN(A1, "1") ",\n" PLAIN(
                    A2, "[1]") ",{%s}, " PLAIN("0xddddddddddddddddddddddddddddd"
                                               "ddddddddddd",
                                               "{\"2\":3}") "]}",
                proposals[t], members[i]);
            taken += lane_both(b.data, b.len, NULL);
            gvt_buf_free(&b);
        }
    }
    /* The lane took part: at least the plain second vote of every doc. */
    assert_true(taken >= 4 * sizeof members / sizeof *members);
    /* The pinned inputs of the other tests. */
    for (size_t i = 0; i < sizeof split_docs / sizeof *split_docs; i++)
        (void)lane_both(split_docs[i], strlen(split_docs[i]), NULL);
    for (size_t i = 0; i < 2; i++)
        (void)lane_both(small_shapes[i], strlen(small_shapes[i]), NULL);
    for (size_t i = 0; i < n_bad_cases; i++)
        (void)lane_both(bad_cases[i].doc, strlen(bad_cases[i].doc), NULL);
}

/* A file of several chunks read on two threads, with unusual votes
 * scattered (some straddle chunk ends): the lane's ballots are YAJL's. */
static void test_lane_file(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\"proposal\":" PROP ",\"votes\":[");
    for (size_t i = 0; i < 45000; i++) {
        const char *reason = i % 997 == 5    ? "caf\\u00e9"
                             : i % 1009 == 7 ? "na\xc3\xafve"
                             : i % 499 == 3  ? "\\\"quoted\\\""
                                             : "plain text";
        gvt_buf_printf(&b,
                       "%s{\"id\":\"0x%064zx\",\"voter\":\"0x%040zx\","
                       "\"created\":%zu,\"choice\":%zu,\"vp\":%zu.%03zu,"
                       "\"vp_by_strategy\":[%zu,0.%03zu],\"reason\":\"%s\"}",
                       i ? (i % 7 ? "," : ",\n") : "", i * 7919, i % 35000, i,
                       i % 4, i % 50, i % 1000, i % 50, i % 1000, reason);
    }
    gvt_buf_puts(&b, "]}");
    assert_true(b.len > (9u << 20));
    char path[] = "/tmp/gvt_lane_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
    close(fd);
    unsigned long before = gvt_reader_splits_merged();
    assert_true(lane_both(b.data, b.len, path) > 40000);
    assert_true(gvt_reader_splits_merged() > before);
    unlink(path);
    gvt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_equivalence),
        cmocka_unit_test(test_split_errors),
        cmocka_unit_test(test_split_pinned),
        cmocka_unit_test(test_split_file),
        cmocka_unit_test(test_split_shuffle),
        cmocka_unit_test(test_choices_shared),
        cmocka_unit_test(test_duplicates_large),
        cmocka_unit_test(test_hex_every_byte),
        cmocka_unit_test(test_lane_equivalence),
        cmocka_unit_test(test_lane_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
