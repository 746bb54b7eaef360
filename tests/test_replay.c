/*
 * test_replay.c: `govtally replay` in the library (tally/history/replay.c,
 * docs/formats.md#replay-summary): rows in input order whatever the thread
 * count, byte-identical output, a failing proposal reported in its own row with
 * status 65 while the others go on, folders in sorted name order, CSV inputs
 * via import.
 *
 * The proposals are built so that the expected values follow from
 * docs/schemes.md and docs/analysis.md by hand: proposal k has voter A with vp
 * 10 for choice 1 and voters B, C with vp 1 each for choice 2 (single-choice,
 * choices "a", "b"). So token winner 1, address winner 2 (flip, whale veto),
 * nakamoto 1 (10 > 12/2), single voter dominates (10 > 2). Proposals whose id
 * ends in "t" give B and C vp 10 each instead: token winner 2, address 2, no
 * flip, nakamoto 2.
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

#define VA "0x00000000000000000000000000000000000000aa"
#define VB "0x00000000000000000000000000000000000000bb"
#define VC "0x00000000000000000000000000000000000000cc"

static void proposal_json(gvt_buf *b, const char *id, bool tie_free)
{
    const char *w = tie_free ? "10" : "1";
    gvt_buf_printf(b,
                   "{\"proposal\":{\"id\":\"%s\",\"space\":\"s.eth\","
                   "\"type\":\"single-choice\",\"choices\":[\"a\",\"b\"]},"
                   "\"votes\":[{\"id\":\"v1\",\"voter\":\"" VA "\","
                   "\"created\":1,\"choice\":1,\"vp\":10},"
                   "{\"id\":\"v2\",\"voter\":\"" VB "\",\"created\":1,"
                   "\"choice\":2,\"vp\":%s},"
                   "{\"id\":\"v3\",\"voter\":\"" VC "\",\"created\":1,"
                   "\"choice\":2,\"vp\":%s}]}",
                   id, w, w);
}

static char *path_of(const char *name)
{
    static char p[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void write_file(const char *path, const gvt_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(b->data, 1, b->len, f);
    fclose(f);
}

typedef struct run_out {
    gvt_status rc;
    gvt_error err;
    gvt_replay_stats st;
    char *text;
    size_t len;
} run_out;

static run_out replay(const char *const *inputs, size_t n, unsigned threads,
                      gvt_format format, const gvt_import_options *from)
{
    run_out o;
    memset(&o, 0, sizeof o);
    FILE *f = open_memstream(&o.text, &o.len);
    assert_non_null(f);
    gvt_replay_options opt = {
        .from = from, .format = format, .threads = threads};
    o.rc = gvt_replay_run(inputs, n, &opt, f, &o.st, &o.err);
    fclose(f);
    return o;
}

/* 60 proposals as JSON Lines with one broken line (line 31): 59 rows in
 * order plus the error row, same bytes on 1 and 8 threads. */
static void test_order_and_failure(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    for (int i = 0; i < 60; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%02d%s", i, i % 7 == 3 ? "t" : "");
        if (i == 30)
            gvt_buf_puts(&b, "{\"proposal\":{\"id\":\"broken\"},\"votes\":"
                             "[{\"voter\":\"" VA "\",\"vp\":-1,"
                             "\"choice\":1}]}");
        else
            proposal_json(&b, id, i % 7 == 3);
        gvt_buf_putc(&b, '\n');
    }
    const char *in = path_of("many.jsonl");
    write_file(in, &b);
    gvt_buf_free(&b);

    const char *inputs[] = {in};
    run_out one = replay(inputs, 1, 1, GVT_FORMAT_CSV, NULL);
    run_out many = replay(inputs, 1, 8, GVT_FORMAT_CSV, NULL);
    assert_int_equal(one.rc, GVT_ERR_DATA);
    assert_int_equal(many.rc, GVT_ERR_DATA);
    assert_int_equal(one.len, many.len);
    assert_memory_equal(one.text, many.text, one.len);
    assert_int_equal(many.st.proposals, 60);
    assert_int_equal(many.st.failed, 1);
    /* the failure is located in the file, not in its piece */
    assert_int_equal(many.err.line, 31);
    assert_non_null(strstr(many.err.file, "many.jsonl"));

    /* rows in input order: header, then p00, p01, ... with the error row
     * at position 30 */
    char *save = NULL, *line = strtok_r(many.text, "\n", &save);
    assert_string_equal(
        line, "proposal,space,type,ballots,counted,token_winners,"
              "snapshot_winners,address_winners,quadratic_winners,flips,"
              "nakamoto,gini,hhi,top1_share,decisive_k,"
              "single_voter_dominates,whale_veto,error,rule,quorum_reached,"
              "token_outcome,snapshot_outcome,address_outcome,"
              "quadratic_outcome,outcome_flips,quorum_k,carried_by_quorum,"
              "blocked_by_quorum");
    for (int i = 0; i < 60; i++) {
        line = strtok_r(NULL, "\n", &save);
        assert_non_null(line);
        if (i == 30) { /* its id was read before the error */
            assert_memory_equal(line, "broken,,,,,,,,,,,,,,,,,", 23);
            assert_non_null(strstr(line, "many.jsonl:31"));
            continue;
        }
        char want[256];
        if (i % 7 == 3)
            snprintf(want, sizeof want,
                     "p%02dt,s.eth,single-choice,3,3,2,2,2,2,,2,", i);
        else
            snprintf(want, sizeof want, "p%02d,s.eth,single-choice,3,3,1,1,2,",
                     i);
        assert_memory_equal(line, want, strlen(want));
        if (i % 7 != 3) {
            /* quadratic: sqrt(10) = 3.16 > 2 for choice 1; flips address
             * only; nakamoto 1; top1 share 10/12 */
            const char *tail = strstr(line, ",1,address,1,");
            assert_non_null(tail);
            assert_non_null(strstr(line, ",0.833333333333333333,1,true,true,"));
        } else {
            assert_non_null(strstr(line, ",false,false,"));
        }
    }
    assert_null(strtok_r(NULL, "\n", &save));
    free(one.text);
    free(many.text);
}

/* JSON format: summary counts from the rows; concatenated documents and a
 * pretty-printed one in a folder, read in sorted name order. */
static void test_folder_json(void **state)
{
    (void)state;
    char *sub = path_of("folder");
    assert_int_equal(mkdir(sub, 0700), 0);
    gvt_buf b;
    gvt_buf_init(&b);
    proposal_json(&b, "z1", false);
    gvt_buf_puts(&b, "  ");
    proposal_json(&b, "z2", true);
    char p2[160], p1[160], p0[160];
    snprintf(p2, sizeof p2, "%s/b.json", sub);
    write_file(p2, &b);
    gvt_buf_free(&b);
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\n  \"proposal\": {\"id\": \"a1\", \"space\": \"s\", "
                     "\"type\": \"basic\",\n \"choices\": [\"For\", "
                     "\"Against\", \"Abstain\"]},\n  \"votes\": [\n"
                     "{\"voter\": \"" VA "\", \"choice\": 3, \"vp\": 5},\n"
                     "{\"voter\": \"" VB "\", \"choice\": 2, \"vp\": 1}]}\n");
    snprintf(p1, sizeof p1, "%s/a.json", sub);
    write_file(p1, &b);
    snprintf(p0, sizeof p0, "%s/notes.txt", sub);
    write_file(p0, &b); /* not an export: ignored */
    gvt_buf_free(&b);

    const char *inputs[] = {sub};
    run_out o = replay(inputs, 1, 0, GVT_FORMAT_JSON, NULL);
    assert_int_equal(o.rc, GVT_OK);
    const char *a1 = strstr(o.text, "\"proposal\": \"a1\"");
    const char *z1 = strstr(o.text, "\"proposal\": \"z1\"");
    const char *z2 = strstr(o.text, "\"proposal\": \"z2\"");
    assert_non_null(a1);
    assert_true(a1 < z1 && z1 < z2);
    /* basic: Abstain never wins; Against (2) is the only other score */
    assert_non_null(strstr(a1, "\"winners\": {\"snapshot\": [2], "
                               "\"token\": [2], \"address\": [2], "
                               "\"quadratic\": [2]}"));
    assert_non_null(strstr(o.text, "\"summary\": {\"proposals\": 3, "
                                   "\"errors\": 0, \"flips\": {"
                                   "\"snapshot\": 0, \"address\": 1, "
                                   "\"quadratic\": 0}, \"whale_veto\": 1, "
                                   "\"single_voter_dominates\": 2,\n"));
    assert_memory_equal(o.text, "{\"format\": \"gvt-replay/1\"", 25);
    free(o.text);
}

/* CSV through import; a missing input gives 66 and its own row. */
static void test_csv_and_missing(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "event_name,voter,proposalId,support,votes\n"
                     "VoteCast," VA ",7,0,10\n"
                     "VoteCast," VB ",7,1,1\n"
                     "VoteCast," VC ",7,1,1\n");
    const char *csv = path_of("gov.csv");
    write_file(csv, &b);
    gvt_buf_free(&b);
    gvt_import_options from = {.kind = GVT_IMPORT_GOVERNOR_CSV, .decimals = 0};
    /* an export beside the CSV: read as JSON even under --from */
    gvt_buf_init(&b);
    proposal_json(&b, "j1", false);
    const char *json = path_of("one.json");
    write_file(json, &b);
    gvt_buf_free(&b);
    const char *inputs[] = {csv, json, path_of("absent.csv")};
    run_out o = replay(inputs, 3, 4, GVT_FORMAT_CSV, &from);
    assert_int_equal(o.rc, GVT_ERR_NOINPUT);
    /* Against (2) by token, For (1) by address */
    const char *r7 = strstr(o.text, "\n7,gov,basic,3,3,2,2,1,");
    const char *rj = strstr(o.text, "\nj1,s.eth,single-choice,3,3,1,1,2,");
    const char *ra = strstr(o.text, "absent.csv: cannot open");
    assert_true(r7 && rj && ra && r7 < rj && rj < ra);
    assert_int_equal(o.st.proposals, 3);
    assert_int_equal(o.st.failed, 1);
    free(o.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_failure),
        cmocka_unit_test(test_folder_json),
        cmocka_unit_test(test_csv_and_missing),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
