/*
 * test_reader.c: the streaming reader of Snapshot exports
 * (docs/formats.md#proposal-export) and the ballot store's duplicate
 * resolution.
 *
 * Expected values come from the literal inputs: byte offsets are computed
 * with strstr on the test string (the reader reports the offset just past
 * the offending token, like YAJL), duplicate winners from a brute-force
 * oracle over the generator's own records, never from the program's output.
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

#include "read/read.h"

/* Reads may use two threads: a split forced by gvt_reader_split_for_tests
 * (and the halves of gvt_proposal_finish for large documents) then run on
 * two even on a machine with one CPU. */
static const gvt_read_options two_threads = {.threads = 2};
#include "same.h"

#define A1 "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A1_UPPER "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define A2 "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define A2_MIXED "0xBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBb"
#define A3 "0xcccccccccccccccccccccccccccccccccccccccc"
#define A4 "0xdddddddddddddddddddddddddddddddddddddddd"
#define STARK                                                                  \
    "0x0123456789abcdefABCDEF0123456789abcdef0123456789abcdef0123456789"

#define PROP                                                                   \
    "{\"id\":\"p1\",\"type\":\"single-choice\",\"choices\":[\"A\",\"B\"]}"
#define HEAD "{\"proposal\":" PROP ",\"votes\":["
#define GOOD "{\"id\":\"v0\",\"voter\":\"" A1 "\",\"choice\":1,\"vp\":2}"

/* A ballot's id as text (two calls may stand in one expression). */
static const char *bid(const gvt_ballot *b)
{
    static char buf[2][GVT_BALLOT_ID_HEX_SIZE];
    static int k;
    k ^= 1;
    return gvt_ballot_id(b, buf[k]);
}

static gvt_status rd(const char *doc, gvt_proposal **p, gvt_error *e)
{
    return gvt_proposal_read_mem_opt("doc.json", doc, strlen(doc), &two_threads,
                                     p, e);
}

/* Offset just past the one occurrence of needle in doc. */
static long long after(const char *doc, const char *needle)
{
    const char *q = strstr(doc, needle);
    assert_non_null(q);
    if (strstr(q + 1, needle))
        fprintf(stderr, "needle %s is not unique\n", needle);
    assert_null(strstr(q + 1, needle)); /* the needle must be unique */
    return (long long)(q - doc) + (long long)strlen(needle);
}

static char *fx(const mpz_t v)
{
    return gvt_fx_to_string(v, GVT_OUT_DIGITS);
}

static void assert_fx(const mpz_t v, const char *want)
{
    char *s = fx(v);
    assert_string_equal(s, want);
    free(s);
}

/* ---- well-formed inputs ------------------------------------------------ */

static void check_small(gvt_proposal *p)
{
    assert_string_equal(gvt_proposal_id(p), "p1");
    assert_string_equal(gvt_proposal_space(p), "s.eth");
    assert_int_equal(gvt_proposal_type(p), GVT_TYPE_APPROVAL);
    assert_int_equal(gvt_proposal_choice_count(p), 3);
    assert_string_equal(gvt_proposal_choice(p, 0), "Yes");
    assert_string_equal(gvt_proposal_choice(p, 2), "Maybe \"so\"");
    assert_null(gvt_proposal_choice(p, 3));
    assert_int_equal(p->start, 1700000000);
    assert_int_equal(p->end, 1700600000);
    assert_int_equal(p->n_strategies, 2);
    assert_int_equal(p->n_ballots, 2);
    assert_string_equal(p->ballots[0].voter, A1);
    assert_string_equal(bid(&p->ballots[0]), "v0");
    assert_int_equal(p->ballots[0].created, 42);
    assert_fx(p->ballots[0].vp, "1.5");
    assert_string_equal(p->ballots[1].voter,
                        "0x0123456789abcdefabcdef0123456789abcdef0123456789"
                        "abcdef0123456789");
    assert_string_equal(bid(&p->ballots[1]), "");
    assert_true(p->ballots[1].created == INT64_MIN);
    assert_fx(p->ballots[1].vp, "0.00000012");
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    assert_int_equal(c.read, 2);
    assert_int_equal(c.counted, 2);
    assert_fx(p->scores_total, "1.50000012");
}

static const char *const small_shapes[] = {
    /* plain shape, proposal first, space as a string */
    "{\"proposal\":{\"id\":\"p1\",\"space\":\"s.eth\",\"type\":\"approval\","
    "\"choices\":[\"Yes\",\"No\",\"Maybe \\\"so\\\"\"],\"start\":1700000000,"
    "\"end\":1700600000,\"quorum\":0.5,\"quorumType\":\"default\","
    "\"strategies\":[{\"name\":\"a\",\"params\":{\"x\":[1,2]}},{}],"
    "\"votes\":12,\"scores\":[1,2,3]},"
    "\"votes\":[{\"id\":\"v0\",\"voter\":\"" A1 "\",\"created\":42,"
    "\"choice\":[1,3],\"vp\":1.5,\"vp_by_strategy\":[1,0.5],"
    "\"reason\":\"\",\"metadata\":{\"a\":[{}]}},"
    "{\"voter\":\"" STARK "\",\"choice\":[],\"vp\":1.2e-7,"
    "\"vp_by_strategy\":null}]}",
    /* GraphQL shape, votes first, space as an object, keys shuffled */
    "{\"data\":{\"votes\":[{\"vp\":1.5,\"choice\":[1,3],\"created\":42,"
    "\"voter\":\"" A1_UPPER "\",\"id\":\"v0\"},"
    "{\"vp\":0.00000012,\"id\":null,\"voter\":\"" STARK "\",\"choice\":[]}],"
    "\"proposal\":{\"strategies\":[1,[2]],\"end\":1700600000,"
    "\"choices\":[\"Yes\",\"No\",\"Maybe \\\"so\\\"\"],"
    "\"space\":{\"name\":\"S\",\"id\":\"s.eth\"},\"type\":\"approval\","
    "\"start\":1700000000,\"id\":\"p1\"}},\"extensions\":{}}",
};

static void test_shapes(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        gvt_proposal *p = NULL;
        gvt_error e;
        gvt_status st = rd(small_shapes[i], &p, &e);
        assert_int_equal(st, GVT_OK);
        check_small(p);
        /* approval [1,3] credits choices 0 and 2 */
        assert_int_equal(p->ballots[0].choice->n, 2);
        assert_int_equal(p->ballots[0].choice->idx[1], 2);
        gvt_proposal_free(p);
    }
}

/* The same document through a file and through standard input; and an
 * unopenable path. */
static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/gvt_test_reader_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(small_shapes[1], f);
    fclose(f);
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(gvt_proposal_read_file_opt(path, &two_threads, &p, &e),
                     GVT_OK);
    check_small(p);
    gvt_proposal_free(p);
    /* standard input */
    assert_non_null(freopen(path, "r", stdin));
    assert_int_equal(gvt_proposal_read_file_opt("-", &two_threads, &p, &e),
                     GVT_OK);
    check_small(p);
    gvt_proposal_free(p);
    unlink(path);

    p = (gvt_proposal *)&e; /* must be reset to NULL */
    assert_int_equal(gvt_proposal_read_file_opt(path, &two_threads, &p, &e),
                     GVT_ERR_NOINPUT);
    assert_null(p);
    assert_int_equal(e.code, GVT_ERR_NOINPUT);
    assert_string_equal(e.file, path);
    assert_non_null(strstr(e.message, path));
}

/* ---- streams ------------------------------------------------------------- */

typedef struct collected {
    size_t n;
    size_t stop_after;
    char ids[8][16];
    size_t ballots[8];
} collected;

static int collect(void *ctx, size_t index, gvt_proposal *p)
{
    collected *c = ctx;
    assert_int_equal(index, c->n);
    snprintf(c->ids[c->n], sizeof c->ids[0], "%s", gvt_proposal_id(p));
    c->ballots[c->n] = p->n_ballots;
    c->n++;
    gvt_proposal_free(p);
    return c->n == c->stop_after;
}

#define DOC(id, votes)                                                         \
    "{\"proposal\":{\"id\":\"" id "\",\"type\":\"basic\","                     \
    "\"choices\":[\"F\",\"A\"]},\"votes\":[" votes "]}"

static void test_stream(void **state)
{
    (void)state;
    const char *lines =
        DOC("x1", GOOD) "\n" DOC("x2", "") "\n" DOC("x3", GOOD "," GOOD) "\n";
    collected c = {0};
    gvt_error e;
    assert_int_equal(gvt_proposal_read_stream_mem("s", lines, strlen(lines),
                                                  collect, &c, &e),
                     GVT_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.ids[0], "x1");
    assert_string_equal(c.ids[2], "x3");
    assert_int_equal(c.ballots[0], 1);
    assert_int_equal(c.ballots[1], 0);
    assert_int_equal(c.ballots[2], 2);

    /* concatenated without separators; the callback stops after two */
    const char *cat = DOC("y1", "") DOC("y2", "") DOC("y3", "");
    collected d = {0};
    d.stop_after = 2;
    assert_int_equal(
        gvt_proposal_read_stream_mem("s", cat, strlen(cat), collect, &d, &e),
        GVT_OK);
    assert_int_equal(d.n, 2);

    /* a malformed second document stops the stream after the first */
    const char *bad = DOC("z1", "") "\n{\"proposal\":" PROP "}\n" DOC("z3", "");
    collected b = {0};
    assert_int_equal(
        gvt_proposal_read_stream_mem("s", bad, strlen(bad), collect, &b, &e),
        GVT_ERR_DATA);
    assert_int_equal(b.n, 1);
    assert_string_equal(e.message, "document has no votes");
    assert_int_equal(e.offset, after(bad, PROP "}"));
    assert_int_equal(e.line, 2);

    /* a single-document read refuses a second document */
    gvt_proposal *p = NULL;
    assert_int_equal(rd(cat, &p, &e), GVT_ERR_DATA);
    assert_null(p);
    assert_non_null(strstr(e.message, "trailing garbage"));

    /* through a file */
    char path[] = "/tmp/gvt_test_stream_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(lines, f);
    fclose(f);
    collected g = {0};
    assert_int_equal(gvt_proposal_read_stream(path, collect, &g, &e), GVT_OK);
    assert_int_equal(g.n, 3);
    unlink(path);
}

/* ---- duplicates ---------------------------------------------------------- */

static void test_duplicates(void **state)
{
    (void)state;
    const char *doc =
        "{\"proposal\":" PROP ",\"votes\":["
        "{\"id\":\"b\",\"voter\":\"" A1_UPPER "\",\"created\":10,"
        "\"choice\":1,\"vp\":1},"
        "{\"id\":\"a\",\"voter\":\"" A1 "\",\"created\":10,\"choice\":2,"
        "\"vp\":2},"
        "{\"id\":\"z\",\"voter\":\"" A2 "\",\"choice\":1,\"vp\":4},"
        "{\"id\":\"a\",\"voter\":\"" A2_MIXED "\",\"created\":1,"
        "\"choice\":2,\"vp\":8},"
        "{\"voter\":\"" A3 "\",\"created\":3,\"choice\":9,\"vp\":16},"
        "{\"id\":\"x\",\"voter\":\"" A4 "\",\"created\":7,\"choice\":1,"
        "\"vp\":32},"
        "{\"id\":\"a\",\"voter\":\"" A4 "\",\"created\":8,\"choice\":7,"
        "\"vp\":64}]}";
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &p, &e), GVT_OK);
    /* by hand: A1 equal created, "b" > "a"; A2 created 1 > absent; A3 alone
     * but choice 9 of 2; A4 created 8 > 7 and its choice 7 is invalid */
    const int want[] = {GVT_BALLOT_COUNTED,        GVT_BALLOT_DUPLICATE,
                        GVT_BALLOT_DUPLICATE,      GVT_BALLOT_COUNTED,
                        GVT_BALLOT_INVALID_CHOICE, GVT_BALLOT_DUPLICATE,
                        GVT_BALLOT_INVALID_CHOICE};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(p->ballots[i].status, want[i]);
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    assert_int_equal(c.read, 7);
    assert_int_equal(c.counted, 2);
    assert_int_equal(c.duplicate, 3);
    assert_int_equal(c.invalid_choice, 2);
    assert_fx(p->scores_total, "89"); /* 1 + 8 + 16 + 64 */
    assert_string_equal(p->ballots[0].voter, A1);
    assert_string_equal(p->ballots[3].voter, A2);
    gvt_proposal_free(p);
}

/* copeland's scores_total counts valid ballots only (§0). */
/*
 * Canonical ids (0x + 64 lower-case hex) are stored as bytes, others as
 * text; both read back as written and compare in plain string order. By
 * hand: A1's "0xac00..." > "0xabab..." > "0xAC..." ('A' sorts before 'a');
 * A2's "0xzz" > "0x0000..." ('z' after '0'); A3's "0x00..." (canonical) >
 * "" (absent); A4's "0x00...09" > "0x00...00" (the last digit decides).
 */
/* "0x", then c1 c2, then fill up to 66 characters. */
static void id66(char *out, const char *head, char fill)
{
    memset(out, fill, 66);
    memcpy(out, head, strlen(head));
    out[66] = '\0';
}

static void test_vote_ids(void **state)
{
    (void)state;
    char h1[67], h2[67], up[67], h0[67], h9[67];
    id66(h1, "0xab", 'a');
    for (size_t k = 2; k < 66; k += 2)
        h1[k + 1] = 'b'; /* "0xabab...ab" */
    id66(h2, "0xac", '0');
    id66(up, "0xAC", '0');
    id66(h0, "0x", '0');
    id66(h9, "0x", '0');
    h9[65] = '9'; /* differs from h0 in the last digit only */
    char doc[2048];
    snprintf(doc, sizeof doc,
             "{\"proposal\":" PROP ",\"votes\":["
             "{\"id\":\"%s\",\"voter\":\"" A1 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A1 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A1 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A2 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"0xzz\",\"voter\":\"" A2 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"voter\":\"" A3 "\",\"created\":5,\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A3 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A4 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1},"
             "{\"id\":\"%s\",\"voter\":\"" A4 "\",\"created\":5,"
             "\"choice\":1,\"vp\":1}]}",
             h1, h2, up, h0, h0, h0, h9);
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &p, &e), GVT_OK);
    const char *ids[] = {h1, h2, up, h0, "0xzz", "", h0, h0, h9};
    const int kind[] = {GVT_ID_HEX, GVT_ID_HEX,  GVT_ID_TEXT,
                        GVT_ID_HEX, GVT_ID_TEXT, GVT_ID_NONE,
                        GVT_ID_HEX, GVT_ID_HEX,  GVT_ID_HEX};
    const int want[] = {
        GVT_BALLOT_DUPLICATE, GVT_BALLOT_COUNTED,   GVT_BALLOT_DUPLICATE,
        GVT_BALLOT_DUPLICATE, GVT_BALLOT_COUNTED,   GVT_BALLOT_DUPLICATE,
        GVT_BALLOT_COUNTED,   GVT_BALLOT_DUPLICATE, GVT_BALLOT_COUNTED};
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(bid(&p->ballots[i]), ids[i]);
        assert_int_equal(p->ballots[i].id_kind, kind[i]);
        assert_int_equal(p->ballots[i].status, want[i]);
    }
    gvt_proposal_free(p);
}

static void test_copeland_total(void **state)
{
    (void)state;
    const char *doc =
        "{\"proposal\":{\"type\":\"copeland\",\"choices\":[\"a\",\"b\"]},"
        "\"votes\":[{\"voter\":\"" A1 "\",\"choice\":[2,1],\"vp\":3},"
        "{\"voter\":\"" A2 "\",\"choice\":[1],\"vp\":5}]}";
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &p, &e), GVT_OK);
    assert_fx(p->scores_total, "3");
    assert_int_equal(gvt_proposal_ballot_counts(p).invalid_choice, 1);
    gvt_proposal_free(p);
}

/* Shuffling the votes changes no status and no total. Oracle: a vote is a
 * duplicate when another vote of the same voter has a greater
 * (created, id), by brute force over the generator's records. */
typedef struct gen_vote {
    int voter;
    int created; /* -1: absent */
    int id;
    int choice;
    int vp;
    int upper;
} gen_vote;

static unsigned long long rng_state = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static char *gen_doc(const gen_vote *v, const size_t *order, size_t n)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\"proposal\":{\"type\":\"single-choice\","
                     "\"choices\":[\"a\",\"b\",\"c\"]},\"votes\":[");
    for (size_t k = 0; k < n; k++) {
        const gen_vote *g = &v[order[k]];
        gvt_buf_printf(&b, "%s{\"id\":\"id%05d\",\"voter\":\"0x%s%038x\",",
                       k ? "," : "", g->id, g->upper ? "AB" : "ab", g->voter);
        if (g->created >= 0)
            gvt_buf_printf(&b, "\"created\":%d,", g->created);
        gvt_buf_printf(&b, "\"choice\":%d,\"vp\":%d.25}", g->choice, g->vp);
    }
    gvt_buf_puts(&b, "]}");
    return b.data;
}

static void test_shuffle(void **state)
{
    (void)state;
    enum { N = 600 };
    gen_vote v[N];
    size_t order[N];
    int ids[N];
    for (size_t i = 0; i < N; i++)
        ids[i] = (int)i;
    for (size_t i = N - 1; i > 0; i--) {
        size_t j = rnd((unsigned)i + 1);
        int t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    for (size_t i = 0; i < N; i++) {
        v[i].voter = (int)rnd(90);
        v[i].created = rnd(5) == 0 ? -1 : (int)rnd(4);
        v[i].id = ids[i];
        v[i].choice = (int)rnd(5); /* 0 and 4 are invalid */
        v[i].vp = (int)rnd(1000);
        v[i].upper = (int)rnd(2);
        order[i] = i;
    }
    /* oracle */
    int oracle[N];
    mpz_t total;
    mpz_init(total);
    for (size_t i = 0; i < N; i++) {
        bool dup = false;
        for (size_t j = 0; j < N && !dup; j++) {
            if (j == i || v[j].voter != v[i].voter)
                continue;
            if (v[j].created > v[i].created ||
                (v[j].created == v[i].created && v[j].id > v[i].id))
                dup = true;
        }
        oracle[v[i].id] = dup ? GVT_BALLOT_DUPLICATE
                          : (v[i].choice < 1 || v[i].choice > 3)
                              ? GVT_BALLOT_INVALID_CHOICE
                              : GVT_BALLOT_COUNTED;
        if (!dup)
            mpz_add_ui(total, total, (unsigned long)v[i].vp * 4 + 1);
    }
    /* total is in quarters: vp + 0.25 each */
    char want_total[64];
    {
        char *q = mpz_get_str(NULL, 10, total);
        mpz_t w;
        mpz_init_set_str(w, q, 10);
        free(q);
        unsigned long rem = mpz_fdiv_q_ui(w, w, 4);
        static const char *const frac[] = {"", ".25", ".5", ".75"};
        char *whole = mpz_get_str(NULL, 10, w);
        snprintf(want_total, sizeof want_total, "%s%s", whole, frac[rem]);
        free(whole);
        mpz_clear(w);
    }
    mpz_clear(total);

    for (int round = 0; round < 4; round++) {
        if (round > 0) {
            for (size_t i = N - 1; i > 0; i--) {
                size_t j = rnd((unsigned)i + 1);
                size_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        char *doc = gen_doc(v, order, N);
        gvt_proposal *p = NULL;
        gvt_error e;
        assert_int_equal(rd(doc, &p, &e), GVT_OK);
        for (size_t i = 0; i < N; i++) {
            int id = atoi(bid(&p->ballots[i]) + 2);
            assert_int_equal(p->ballots[i].status, oracle[id]);
        }
        assert_fx(p->scores_total, want_total);
        gvt_proposal_free(p);
        free(doc);
    }
}

/* ---- malformed inputs ---------------------------------------------------- */

typedef struct bad_case {
    const char *name;
    const char *doc;
    const char *needle; /* offset = just past it; NULL = end of input */
    const char *path;
    const char *message; /* a part of the message */
    long vote;
    const char *vote_id;
} bad_case;

#define V0 "{\"id\":\"v0\",\"voter\":\"" A1 "\","

static const bad_case bad_cases[] = {
    {"syntax", HEAD GOOD ",,]}", GOOD ",,", "$.votes[0]", "invalid JSON (", -1,
     ""},
    {"utf8", HEAD "{\"id\":\"v\xff\",\"voter\":\"" A1 "\"}]}", "\"v\xff",
     "$.votes[0].id", "invalid UTF-8", 0, ""},
    {"trailing garbage", HEAD GOOD "]} x", "]} x", "$", "trailing garbage", -1,
     ""},
    {"duplicate key in a vote", HEAD V0 "\"choice\":1,\"vp\":1,\"vp\":2}]}",
     "1,\"vp\":1,\"vp\"", "$.votes[0].vp", "duplicate key \"vp\"", 0, "v0"},
    {"duplicate ignored key",
     HEAD V0 "\"choice\":1,\"vp\":1,\"reason\":\"\",\"reason\":\"x\"}]}",
     "\"reason\":\"\",\"reason\"", "$.votes[0].reason",
     "duplicate key \"reason\"", 0, "v0"},
    {"duplicate key under an ignored key",
     HEAD V0 "\"choice\":1,\"vp\":1,\"metadata\":[{\"k\":1,\"k\":2}]}]}",
     "{\"k\":1,\"k\"", "$.votes[0].metadata[0].k", "duplicate key \"k\"", 0,
     "v0"},
    {"duplicate key nested", HEAD V0 "\"app\":{\"k\":1,\"k\":2}}]}", "1,\"k\"",
     "$.votes[0].app.k", "duplicate key \"k\"", 0, "v0"},
    {"duplicate top key", HEAD "],\"votes\":[]}", "],\"votes\"", "$.votes",
     "duplicate key \"votes\"", -1, ""},
    {"missing vp",
     HEAD GOOD ",{\"id\":\"v1\",\"voter\":\"" A2 "\",\"choice\":1}]}",
     "\"choice\":1}", "$.votes[1]", "vote has no vp", 1, "v1"},
    {"vp string", HEAD V0 "\"choice\":1,\"vp\":\"2\"}]}", "\"vp\":\"2\"",
     "$.votes[0].vp", "vp is a string", 0, "v0"},
    {"vp negative", HEAD V0 "\"choice\":1,\"vp\":-1}]}", "-1", "$.votes[0].vp",
     "vp: negative number", 0, "v0"},
    {"vp boolean", HEAD V0 "\"choice\":1,\"vp\":true}]}", "true",
     "$.votes[0].vp", "vp is true, not a number", 0, "v0"},
    {"vp too large", HEAD V0 "\"choice\":1,\"vp\":1e61}]}", "1e61",
     "$.votes[0].vp", "number too large", 0, "v0"},
    {"vp too precise", HEAD V0 "\"choice\":1,\"vp\":1e-37}]}", "1e-37",
     "$.votes[0].vp", "number too precise", 0, "v0"},
    {"missing voter", HEAD "{\"id\":\"v0\",\"choice\":1,\"vp\":1}]}",
     "\"vp\":1}", "$.votes[0]", "vote has no voter", 0, "v0"},
    {"bad address", HEAD "{\"id\":\"v0\",\"voter\":\"0x123\"}]}", "\"0x123\"",
     "$.votes[0].voter", "not an address", 0, "v0"},
    {"address not hex",
     HEAD "{\"voter\":\"0xgggggggggggggggggggggggggggggggggggggggg\"}]}",
     "ggg\"", "$.votes[0].voter", "not an address", 0, ""},
    {"missing choice", HEAD V0 "\"vp\":1}]}", "\"vp\":1}", "$.votes[0]",
     "vote has no choice", 0, "v0"},
    {"created fraction", HEAD V0 "\"created\":1.5}]}", "1.5",
     "$.votes[0].created", "created is not an integer", 0, "v0"},
    {"choice labels",
     "{\"proposal\":{\"type\":\"basic\",\"choices\":[\"A\",1]},\"votes\":[]}",
     "[\"A\",1", "$.proposal.choices[1]", "choice label is a number", -1, ""},
    {"unknown type",
     "{\"votes\":[],\"proposal\":{\"type\":\"foo\",\"choices\":[]}}", "\"foo\"",
     "$.proposal.type", "unknown proposal type \"foo\"", -1, ""},
    {"no type", "{\"votes\":[],\"proposal\":{\"choices\":[]}}", "[]}",
     "$.proposal", "proposal has no type", -1, ""},
    {"missing proposal", "{\"votes\":[]}", NULL, "$",
     "document has no proposal", -1, ""},
    {"missing votes", "{\"data\":{\"proposal\":" PROP "}}", NULL, "$",
     "document has no votes", -1, ""},
    {"votes not an array", "{\"proposal\":" PROP ",\"votes\":{}}",
     "\"votes\":{", "$.votes", "votes is an object", -1, ""},
    {"vote not an object", HEAD GOOD ",7]}", ",7", "$.votes[1]",
     "vote is a number", 1, ""},
    {"empty input", "", NULL, "$", "premature EOF", -1, ""},
    {"array document", "[1]", "[", "$", "document is an array", -1, ""},
    {"graphql path",
     "{\"data\":{\"proposal\":" PROP ",\"votes\":[" V0
     "\"choice\":1,\"vp\":null}]}}",
     "null", "$.data.votes[0].vp", "vp is null", 0, "v0"},
    {"weight not representable",
     "{\"proposal\":{\"type\":\"quadratic\",\"choices\":[\"a\"]},\"votes\":["
     "{\"id\":\"q\",\"voter\":\"" A1 "\",\"vp\":1,\"choice\":{\"1\":1e-40}}]}",
     "1e-40}", "$.votes[0].choice", "number too precise", 0, "q"},
    {"weight not representable, votes first",
     "{\"votes\":[{\"voter\":\"" A1 "\",\"vp\":1,\"choice\":{\"1\":1e-40},"
     "\"id\":\"q\"}],\"proposal\":{\"type\":\"weighted\",\"choices\":[\"a\"]}}",
     "1e-40}", "$.votes[0].choice", "number too precise", 0, "q"},
    {"vp_by_strategy", HEAD V0 "\"vp_by_strategy\":[1,\"2\"]}]}", "[1,\"2\"",
     "$.votes[0].vp_by_strategy[1]", "vp_by_strategy holds a string", 0, "v0"},
};

static void check_bad(const bad_case *c, const char *doc, size_t len,
                      long long offset)
{
    gvt_proposal *p = (gvt_proposal *)&offset;
    gvt_error e;
    gvt_status st =
        gvt_proposal_read_mem_opt("doc.json", doc, len, &two_threads, &p, &e);
    char msg[600];
    if (st != GVT_ERR_DATA || e.offset != offset ||
        strcmp(e.path, c->path) != 0 || !strstr(e.message, c->message) ||
        e.vote != c->vote || strcmp(e.vote_id, c->vote_id) != 0)
        fprintf(stderr, "case %s: status %d, %s (want offset %lld)\n", c->name,
                st, gvt_error_format(&e, msg, sizeof msg), offset);
    assert_int_equal(st, GVT_ERR_DATA);
    assert_null(p);
    assert_int_equal(e.code, GVT_ERR_DATA);
    assert_string_equal(e.file, "doc.json");
    assert_int_equal(e.offset, offset);
    assert_string_equal(e.path, c->path);
    assert_non_null(strstr(e.message, c->message));
    assert_int_equal(e.vote, c->vote);
    assert_string_equal(e.vote_id, c->vote_id);
}

static void test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        long long off =
            c->needle ? after(c->doc, c->needle) : (long long)strlen(c->doc);
        check_bad(c, c->doc, strlen(c->doc), off);
    }
}

/* Nesting: the 64th array inside the root object (65 levels) is refused. */
static void test_depth(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, HEAD "],\"x\":");
    for (int i = 0; i < 64; i++)
        gvt_buf_putc(&b, '[');
    long long offset = (long long)b.len;
    for (int i = 0; i < 64; i++)
        gvt_buf_putc(&b, ']');
    gvt_buf_putc(&b, '}');
    /* "$.x" then "[0]" for each of the 63 arrays that hold the next one */
    char path[400] = "$.x";
    for (int i = 0; i < 63; i++)
        strcat(path, "[0]");
    path[159] = '\0'; /* gvt_error.path holds 159 characters */
    bad_case c = {"depth", b.data, NULL, path, "nesting deeper than 64",
                  -1,      ""};
    check_bad(&c, b.data, b.len, offset);

    /* 63 arrays are fine */
    gvt_buf_free(&b);
    gvt_buf_puts(&b, HEAD "],\"x\":");
    for (int i = 0; i < 63; i++)
        gvt_buf_putc(&b, '[');
    for (int i = 0; i < 63; i++)
        gvt_buf_putc(&b, ']');
    gvt_buf_putc(&b, '}');
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(b.data, &p, &e), GVT_OK);
    gvt_proposal_free(p);
    gvt_buf_free(&b);
}

/* A string beyond 64 KiB is refused where it ends. */
static void test_long_string(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, HEAD V0 "\"reason\":\"");
    for (int i = 0; i < 70000; i++)
        gvt_buf_putc(&b, 'x');
    gvt_buf_putc(&b, '"');
    long long offset = (long long)b.len;
    gvt_buf_puts(&b, ",\"choice\":1,\"vp\":1}]}");
    bad_case c = {"long string",        b.data, NULL, "$.votes[0].reason",
                  "string longer than", 0,      "v0"};
    check_bad(&c, b.data, b.len, offset);
    gvt_buf_free(&b);
}

/* A file of several 1 MiB chunks, one vote per line: the counts hold, and
 * an error in a later chunk has its absolute offset, line and column. */
static char *write_big(gvt_buf *b, size_t n_votes, size_t bad_vote)
{
    gvt_buf_init(b);
    gvt_buf_puts(b, "{\"proposal\":" PROP ",\"votes\":[\n");
    for (size_t i = 0; i < n_votes; i++)
        gvt_buf_printf(b,
                       "%s{\"id\":\"v%zu\",\"voter\":\"0x%040zx\","
                       "\"created\":%zu,\"choice\":%zu,\"vp\":%s,"
                       "\"reason\":\"%0100zu\"}\n",
                       i ? "," : "", i, i % 30000, i, i % 3,
                       i == bad_vote ? "-0.5" : "0.5", i);
    gvt_buf_puts(b, "]}");
    static char path[] = "/tmp/gvt_test_big_XXXXXX";
    strcpy(path, "/tmp/gvt_test_big_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fwrite(b->data, 1, b->len, f);
    fclose(f);
    return path;
}

static void test_big_file(void **state)
{
    (void)state;
    gvt_buf b;
    const char *path = write_big(&b, 40000, (size_t)-1);
    assert_true(b.len > 5u << 20);
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(gvt_proposal_read_file_opt(path, &two_threads, &p, &e),
                     GVT_OK);
    unlink(path);
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    /* voters repeat every 30000 votes: the later vote (greater created)
     * stands; choice i % 3 is invalid when 0 */
    assert_int_equal(c.read, 40000);
    assert_int_equal(c.duplicate, 10000);
    size_t invalid = 0;
    for (size_t i = 10000; i < 40000; i++)
        invalid += i % 3 == 0;
    assert_int_equal(c.invalid_choice, invalid);
    assert_fx(p->scores_total, "15000"); /* 30000 voters x 0.5 */
    gvt_proposal_free(p);
    gvt_buf_free(&b);

    path = write_big(&b, 40000, 31234);
    assert_int_equal(gvt_proposal_read_file_opt(path, &two_threads, &p, &e),
                     GVT_ERR_DATA);
    unlink(path);
    const char *q = strstr(b.data, "{\"id\":\"v31234\"");
    assert_non_null(q);
    const char *neg = strstr(q, "-0.5");
    assert_int_equal(e.offset, (long long)(neg - b.data) + 4);
    assert_int_equal(e.line, 31234 + 2);
    assert_int_equal(e.column, (long)(neg - q) + 1 /* the comma */ + 4 + 1);
    assert_int_equal(e.vote, 31234);
    assert_string_equal(e.vote_id, "v31234");
    assert_string_equal(e.path, "$.votes[31234].vp");
    gvt_buf_free(&b);
}

/* A byte order mark is skipped but counted in offsets. */
static void test_bom(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "\xef\xbb\xbf");
    gvt_buf_puts(&b, small_shapes[0]);
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(b.data, &p, &e), GVT_OK);
    check_small(p);
    gvt_proposal_free(p);
    gvt_buf_free(&b);
    const char *doc = "\xef\xbb\xbf{\"votes\":7}";
    bad_case c = {"bom", doc, NULL, "$.votes", "votes is a number", -1, ""};
    check_bad(&c, doc, strlen(doc), after(doc, "7"));
}

/* Objects with many keys switch to a hash table: a duplicate among 300
 * keys is still found, and distinct keys pass. */
static void test_many_keys(void **state)
{
    (void)state;
    for (int dup = 0; dup < 2; dup++) {
        gvt_buf b;
        gvt_buf_init(&b);
        gvt_buf_puts(&b, HEAD V0 "\"metadata\":{");
        for (int i = 0; i < 300; i++)
            gvt_buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
        if (dup)
            gvt_buf_puts(&b, ",\"k123\":0");
        long long offset = (long long)b.len - (dup ? 2 : 0);
        gvt_buf_puts(&b, "},\"choice\":1,\"vp\":1}]}");
        gvt_proposal *p = NULL;
        gvt_error e;
        if (!dup) {
            assert_int_equal(rd(b.data, &p, &e), GVT_OK);
            gvt_proposal_free(p);
        } else {
            bad_case c = {"many keys",
                          b.data,
                          NULL,
                          "$.votes[0].metadata.k123",
                          "duplicate key \"k123\"",
                          0,
                          "v0"};
            check_bad(&c, b.data, b.len, offset);
        }
        gvt_buf_free(&b);
    }
}

/* A choice beyond 1 MiB of raw form is refused where it crosses. */
static void test_huge_choice(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, HEAD V0 "\"vp\":1,\"choice\":[");
    /* each element 1 is 6 bytes of raw form (token, length, digit); the
     * opening bracket is 1: the element that passes 1 MiB is the
     * 174763rd ((2^20 - 1) / 6 + 1) */
    long long offset = -1;
    for (int i = 0; i < 200000; i++) {
        gvt_buf_puts(&b, i ? ",1" : "1");
        if (i == 174762)
            offset = (long long)b.len;
    }
    gvt_buf_puts(&b, "]}]}");
    bad_case c = {
        "huge choice",        b.data, NULL, "$.votes[0].choice[174762]",
        "choice larger than", 0,      "v0"};
    check_bad(&c, b.data, b.len, offset);
    gvt_buf_free(&b);
}

/* Lines and columns in JSON Lines. */
static void test_line_column(void **state)
{
    (void)state;
    const char *doc = "{\"proposal\":" PROP ",\n\"votes\":[\n"
                      "{\"voter\":\"0x12\"}]}";
    gvt_proposal *p = NULL;
    gvt_error e;
    assert_int_equal(rd(doc, &p, &e), GVT_ERR_DATA);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, (long)strlen("{\"voter\":\"0x12\"") + 1);
}

/* Every prefix of a valid document is an error, never a crash or leak. */
static void test_truncations(void **state)
{
    (void)state;
    const char *doc = small_shapes[1];
    size_t n = strlen(doc);
    for (size_t i = 0; i < n; i++) {
        gvt_proposal *p = NULL;
        gvt_error e;
        assert_int_equal(
            gvt_proposal_read_mem_opt("t", doc, i, &two_threads, &p, &e),
            GVT_ERR_DATA);
        assert_null(p);
    }
}

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
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
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
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
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
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_vote_ids),
        cmocka_unit_test(test_copeland_total),
        cmocka_unit_test(test_shuffle),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_long_string),
        cmocka_unit_test(test_big_file),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_huge_choice),
        cmocka_unit_test(test_line_column),
        cmocka_unit_test(test_truncations),
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
