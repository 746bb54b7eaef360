/*
 * test_reader.c: the streaming reader of Snapshot exports
 * (docs/formats.md#proposal-export) and the ballot store's duplicate
 * resolution; its split and fast-lane paths are in test_reader_paths.c.
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

#include "reader_util.h"

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
    assert_string_equal(e.message, "cannot open: No such file or directory");
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
    for (size_t i = 0; i < n_bad_cases; i++) {
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
