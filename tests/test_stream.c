/*
 * test_stream.c: replay reads its inputs as streams (tally/history/cut.c and
 * pipeline.c, docs/replay.md#memory).
 *
 * - The cutter finds the same documents, byte offsets and lines whatever the
 *   size of the chunks it reads, from 1 byte up, as an oracle that cuts the
 *   whole text at once by the rule of docs/formats.md#replay-summary (bracket
 *   depth outside strings, a bare line ends at its line break), written here
 *   independently of the cutter; with its 64-byte blocks and byte by byte,
 *   on seeded random texts of long strings, escapes, brackets inside
 *   strings, raw line breaks, nesting, bare lines and a piece left open.
 * - The replay's output is byte-identical whatever the thread count, the
 *   chunk size, the ring and queue limits (down to 3 jobs and 1 byte, so
 *   nearly every document waits for the one before it), and whether the
 *   proposals come as one stream or as a folder of files; more proposals
 * than small rings hold, so the ring wraps.
 * - A CSV file read proposal by proposal gives the rows its imported exports
 *   give, with rows of proposals interleaved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "history/history.h"
#include "tmpdir.h"

/* ---- the oracle ---------------------------------------------------------- */

typedef struct piece {
    size_t start, len;
    long line;
} piece;

/* The whole text cut by the rule, character by character. */
static size_t oracle_cut(const char *d, size_t len, piece *out, size_t max)
{
    size_t i = 0, n = 0;
    long line = 1;
    for (;;) {
        while (i < len && strchr(" \t\r\n", d[i])) {
            if (d[i] == '\n')
                line++;
            i++;
        }
        if (i >= len || n == max)
            return n;
        size_t start = i;
        long start_line = line;
        int depth = 0;
        int in_str = 0, esc = 0;
        while (i < len) {
            char c = d[i++];
            if (c == '\n')
                line++;
            if (in_str) {
                if (esc)
                    esc = 0;
                else if (c == '\\')
                    esc = 1;
                else if (c == '"')
                    in_str = 0;
                continue;
            }
            if (c == '"')
                in_str = 1;
            else if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth <= 0)
                break;
            else if (c == '\n' && depth == 0)
                break;
        }
        out[n].start = start;
        out[n].len = i - start;
        out[n].line = start_line;
        n++;
    }
}

static void write_text(const char *path, const char *s, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, len, f), len);
    fclose(f);
}

static char *path_of(const char *name)
{
    static char p[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

/* Strings holding brackets, escaped quotes and backslashes, a raw line
 * break, a \u escape; concatenated values; bare and stray text; blank
 * lines; and an unbalanced value running to the end. */
static const char tricky[] =
    "{\"a\":\"x}\\\"{[\",\"b\":[1,{\"c\":2}]}\n"
    "\n  \t[1,2]\r\n"
    "garbage here\n"
    "{\"s\":\"line\nbreak\",\"t\":\"\\\\\"}{\"x\":1}{\"y\":\"\\u007b\"}\n"
    "\"bare\"\n"
    "]\n"
    "{\"deep\":[[[[{\"k\":\"]]]]\"}]]]]}   \n"
    "{\"open\":[1,2,\"}\"";

static void test_cut_every_chunk(void **state)
{
    (void)state;
    const char *path = path_of("tricky.jsonl");
    size_t len = sizeof tricky - 1;
    write_text(path, tricky, len);
    piece want[32];
    size_t nw = oracle_cut(tricky, len, want, 32);
    assert_int_equal(nw, 10);
    gvt_buf doc;
    gvt_buf_init(&doc);
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        gvt_cutter_chunk_for_tests(chunk == len + 1 ? 0 : chunk);
        gvt_cutter *c;
        gvt_error e;
        assert_int_equal(gvt_cutter_open(path, &c, &e), GVT_OK);
        size_t n = 0;
        long long off;
        long line;
        int r;
        while ((r = gvt_cutter_next(c, &doc, &off, &line, &e)) == 1) {
            assert_true(n < nw);
            assert_int_equal(off, (long long)want[n].start);
            assert_int_equal(line, want[n].line);
            assert_int_equal(doc.len, want[n].len);
            assert_memory_equal(doc.data, tricky + want[n].start, doc.len);
            n++;
        }
        assert_int_equal(r, 0);
        assert_int_equal(n, nw);
        gvt_cutter_free(c);
    }
    gvt_cutter_chunk_for_tests(0);
    gvt_buf_free(&doc);
}

/* A seeded random text of documents and stray pieces (xorshift64). */
static uint64_t rnd_state;

static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static void random_string(gvt_buf *b)
{
    static const char *const parts[] = {"abcdefgh",  "0123456789abcdef",
                                        "{",         "}",
                                        "[",         "]",
                                        "\\\"",      "\\\\",
                                        "\\n",       "\n",
                                        " ",         "\\u007b",
                                        "x\\\\\\\"y"};
    /* half the strings without escapes (the first six parts), so that
     * whole blocks go by quotes alone */
    unsigned n_parts = rnd(2) ? 6 : sizeof parts / sizeof parts[0];
    gvt_buf_putc(b, '"');
    for (unsigned k = rnd(40); k > 0; k--)
        gvt_buf_puts(b, parts[rnd(n_parts)]);
    gvt_buf_putc(b, '"');
}

static void random_value(gvt_buf *b, int depth)
{
    unsigned kind = depth > 4 ? rnd(2) : rnd(5);
    if (kind == 0) {
        random_string(b);
    } else if (kind == 1) {
        gvt_buf_printf(b, "%u", rnd(100000));
    } else {
        bool map = kind == 2;
        gvt_buf_putc(b, map ? '{' : '[');
        for (unsigned k = rnd(6); k > 0; k--) {
            if (map) {
                random_string(b);
                gvt_buf_puts(b, rnd(2) ? ":" : " :\n ");
            }
            random_value(b, depth + 1);
            if (k > 1)
                gvt_buf_putc(b, ',');
        }
        gvt_buf_putc(b, map ? '}' : ']');
    }
}

static void random_text(gvt_buf *b, uint64_t seed)
{
    rnd_state = seed * 0x9e3779b97f4a7c15u + 1;
    for (unsigned d = 0; d < 60; d++) {
        unsigned k = rnd(10);
        if (k == 0)
            gvt_buf_puts(b, "stray text ] here\n");
        else if (k == 1)
            gvt_buf_puts(b, "\n \t\r\n");
        else
            random_value(b, 1);
        gvt_buf_puts(b, rnd(3) ? "\n" : "");
    }
    gvt_buf_puts(b, "{\"open\": [\"}\"");
}

static void test_cut_blocks(void **state)
{
    (void)state;
    const char *path = path_of("random.jsonl");
    static const size_t chunks[] = {1, 7, 63, 64, 65, 200, 4096, 0};
    gvt_buf doc;
    gvt_buf_init(&doc);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        gvt_buf text;
        gvt_buf_init(&text);
        random_text(&text, seed);
        write_text(path, text.data, text.len);
        piece want[256];
        size_t nw = oracle_cut(text.data, text.len, want, 256);
        for (int blocks = 0; blocks < 2; blocks++) {
            gvt_cutter_blocks_for_tests(blocks);
            for (size_t ci = 0; ci < sizeof chunks / sizeof chunks[0]; ci++) {
                gvt_cutter_chunk_for_tests(chunks[ci]);
                gvt_cutter *c;
                gvt_error e;
                assert_int_equal(gvt_cutter_open(path, &c, &e), GVT_OK);
                size_t n = 0;
                long long off;
                long line;
                while (gvt_cutter_next(c, &doc, &off, &line, &e) == 1) {
                    if (n >= nw || off != (long long)want[n].start ||
                        line != want[n].line || doc.len != want[n].len)
                        fail_msg("seed %lu, blocks %d, chunk %zu: piece %zu",
                                 (unsigned long)seed, blocks, chunks[ci], n);
                    n++;
                }
                assert_int_equal(n, nw);
                gvt_cutter_free(c);
            }
        }
        gvt_buf_free(&text);
    }
    gvt_cutter_blocks_for_tests(true);
    gvt_cutter_chunk_for_tests(0);
    gvt_buf_free(&doc);
}

/* Blank input: one error, "no document in the file", then the end. */
static void test_cut_nothing(void **state)
{
    (void)state;
    const char *path = path_of("blank.jsonl");
    write_text(path, " \n\t\r\n", 5);
    gvt_cutter *c;
    gvt_error e;
    assert_int_equal(gvt_cutter_open(path, &c, &e), GVT_OK);
    gvt_buf doc;
    gvt_buf_init(&doc);
    long long off;
    long line;
    assert_int_equal(gvt_cutter_next(c, &doc, &off, &line, &e), -1);
    assert_int_equal(e.code, GVT_ERR_DATA);
    assert_non_null(strstr(e.message, "no document in the file"));
    assert_int_equal(gvt_cutter_next(c, &doc, &off, &line, &e), 0);
    gvt_cutter_free(c);
    gvt_buf_free(&doc);
    assert_int_equal(gvt_cutter_open(path_of("absent.jsonl"), &c, &e),
                     GVT_ERR_NOINPUT);
    assert_null(c);
}

/* ---- the pipeline -------------------------------------------------------- */

#define N_PROPOSALS 1500
#define PER_FILE 300

/* Proposal k: 1 to 4 voters, vp and choices varying with k; every 499th
 * from the 250th is broken (a negative vp) and gets an error row. */
static void proposal(gvt_buf *b, int k)
{
    gvt_buf_printf(b,
                   "{\"proposal\":{\"id\":\"p%d\",\"space\":\"s%d.eth\","
                   "\"type\":\"%s\",\"choices\":[\"a\",\"b\",\"c\"]},"
                   "\"votes\":[",
                   k, k % 13, k % 5 == 4 ? "approval" : "single-choice");
    int voters = 1 + k % 4;
    for (int v = 0; v < voters; v++) {
        int vp = 1 + (k * 7 + v * 31) % 50;
        if (k % 499 == 250 && v == 0)
            vp = -vp;
        if (k % 5 == 4)
            gvt_buf_printf(b,
                           "%s{\"voter\":\"0x%040x\",\"choice\":[%d,%d],"
                           "\"vp\":%d.5}",
                           v ? "," : "", v + 1, 1 + (k + v) % 3,
                           1 + (k + v + 1) % 3, vp);
        else
            gvt_buf_printf(b,
                           "%s{\"voter\":\"0x%040x\",\"choice\":%d,"
                           "\"vp\":%d.5}",
                           v ? "," : "", v + 1, 1 + (k * 3 + v) % 3, vp);
    }
    gvt_buf_puts(b, "]}\n");
}

static char *replay_text(const char *input, unsigned threads, size_t *len,
                         gvt_status *rc)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    assert_non_null(f);
    gvt_replay_options opt = {.format = GVT_FORMAT_CSV, .threads = threads};
    gvt_replay_stats st;
    gvt_error err;
    const char *inputs[] = {input};
    *rc = gvt_replay_run(inputs, 1, &opt, f, &st, &err);
    fclose(f);
    assert_int_equal(st.proposals, N_PROPOSALS);
    return text;
}

/* text without its error rows (lines naming a .jsonl file); 3 expected */
static char *without_errors(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    assert_non_null(out);
    size_t n = 0;
    int dropped = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
        const char *hit = strstr(l, ".jsonl:");
        if (hit && hit < l + len) {
            dropped++;
        } else {
            memcpy(out + n, l, len);
            n += len;
        }
        l += len;
    }
    out[n] = '\0';
    assert_int_equal(dropped, 3);
    return out;
}

static void test_same_output(void **state)
{
    (void)state;
    gvt_buf all, part;
    gvt_buf_init(&all);
    gvt_buf_init(&part);
    char *dir = path_of("parts");
    assert_int_equal(mkdir(dir, 0700), 0);
    for (int k = 0; k < N_PROPOSALS; k++) {
        proposal(&all, k);
        proposal(&part, k);
        if ((k + 1) % PER_FILE == 0) {
            char name[200];
            snprintf(name, sizeof name, "%s/%03d.jsonl", dir, k / PER_FILE);
            write_text(name, part.data, part.len);
            part.len = 0;
        }
    }
    const char *stream = path_of("all.jsonl");
    write_text(stream, all.data, all.len);
    gvt_buf_free(&all);
    gvt_buf_free(&part);

    size_t len0;
    gvt_status rc0;
    char *base = replay_text(stream, 1, &len0, &rc0);
    assert_int_equal(rc0, GVT_ERR_DATA);
    /* the broken proposals' rows, at their place */
    assert_non_null(strstr(base, "\np249,"));
    assert_non_null(strstr(base, "\np251,"));
    assert_non_null(strstr(base, "all.jsonl:251:"));

    struct {
        unsigned threads;
        size_t chunk, ring, bytes;
        bool folder;
    } runs[] = {
        {2, 0, 0, 0, false},  {3, 0, 0, 0, false},      {2, 7, 3, 1, false},
        {1, 64, 2, 1, false}, {4, 4096, 5, 100, false}, {2, 0, 0, 0, true},
        {1, 0, 0, 0, true},   {3, 13, 4, 1, true},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        gvt_cutter_chunk_for_tests(runs[i].chunk);
        gvt_pipeline_limits_for_tests(runs[i].ring, runs[i].bytes);
        size_t len;
        gvt_status rc;
        char *text = replay_text(runs[i].folder ? dir : stream, runs[i].threads,
                                 &len, &rc);
        assert_int_equal(rc, GVT_ERR_DATA);
        if (runs[i].folder) {
            /* error rows name their file and line: the others compare */
            char *x = without_errors(base), *y = without_errors(text);
            assert_string_equal(x, y);
            free(x);
            free(y);
        } else {
            assert_int_equal(len, len0);
            assert_memory_equal(text, base, len);
        }
        free(text);
    }
    gvt_cutter_chunk_for_tests(0);
    gvt_pipeline_limits_for_tests(0, 0);
    free(base);
}

/* CSV proposal by proposal: rows of proposals interleaved (each proposal's
 * export is handed out once its last row is read, in order of first
 * appearance) give the rows the import's exports give, on 1 and 3 threads;
 * a malformed row fails the file before any export, as before. */
static void test_csv_stream(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "event_name,voter,proposalId,support,votes\n");
    for (int r = 0; r < 400; r++) {
        /* proposal r % 7 for the first 200 rows, then 7 + r % 3: the first
         * seven end at row 199, the last three at the end */
        int prop = r < 200 ? r % 7 : 7 + r % 3;
        gvt_buf_printf(&b, "VoteCast,0x%040x,%d,%d,%d\n", r + 1, prop,
                       (r * 5) % 3, 1 + (r * 37) % 101);
        if (r == 150)
            gvt_buf_puts(&b, "ProposalCreated,,3,,\n"); /* skipped */
    }
    const char *csv = path_of("gov.csv");
    write_text(csv, b.data, b.len);
    gvt_import_options from = {.kind = GVT_IMPORT_GOVERNOR_CSV, .decimals = 0};
    const char *jsonl = path_of("gov.jsonl");
    FILE *f = fopen(jsonl, "wb");
    assert_non_null(f);
    gvt_error err;
    assert_int_equal(gvt_import_file(csv, &from, f, NULL, &err), GVT_OK);
    fclose(f);

    char *want = NULL, *got = NULL;
    size_t want_len, got_len;
    for (unsigned t = 1; t <= 3; t += 2) {
        const char *in_json[] = {jsonl}, *in_csv[] = {csv};
        gvt_replay_options opt = {.format = GVT_FORMAT_CSV, .threads = t};
        gvt_replay_stats st;
        f = open_memstream(&want, &want_len);
        assert_int_equal(gvt_replay_run(in_json, 1, &opt, f, &st, &err),
                         GVT_OK);
        fclose(f);
        opt.from = &from;
        f = open_memstream(&got, &got_len);
        assert_int_equal(gvt_replay_run(in_csv, 1, &opt, f, &st, &err), GVT_OK);
        fclose(f);
        assert_int_equal(st.proposals, 10);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }

    /* a bad row late in the file: one error row, no proposal */
    gvt_buf_puts(&b, "VoteCast,not-an-address,1,1,1\n");
    write_text(csv, b.data, b.len);
    gvt_buf_free(&b);
    const char *in_csv[] = {csv};
    gvt_replay_options opt = {
        .format = GVT_FORMAT_CSV, .threads = 2, .from = &from};
    gvt_replay_stats st;
    f = open_memstream(&got, &got_len);
    assert_int_equal(gvt_replay_run(in_csv, 1, &opt, f, &st, &err),
                     GVT_ERR_DATA);
    fclose(f);
    assert_int_equal(st.proposals, 1);
    assert_int_equal(st.failed, 1);
    assert_int_equal(err.line, 403);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_every_chunk),
        cmocka_unit_test(test_cut_blocks),
        cmocka_unit_test(test_cut_nothing),
        cmocka_unit_test(test_same_output),
        cmocka_unit_test(test_csv_stream),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
