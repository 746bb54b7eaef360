/*
 * test_warnings.c: the warnings of a result (docs/formats.md#warnings) and
 * the proposal fields they read (title, state, scores, scores_total), through
 * the public API on exports written here. Each case is at a boundary worked
 * out by hand: exactly half the ballots invalid against one more, a recorded
 * score a millionth of the total away against a little more, a state
 * against the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "govtally.h"

#define A1 "0x1111111111111111111111111111111111111111"
#define A2 "0x2222222222222222222222222222222222222222"
#define A3 "0x3333333333333333333333333333333333333333"
#define A4 "0x4444444444444444444444444444444444444444"

/* A vote of voter v: choice c (JSON text), vp w. */
#define VOTE(v, c, w)                                                          \
    "{\"voter\": \"" v "\", \"created\": 1, \"choice\": " c ", \"vp\": " w "}"

static gvt_result *tally_text(const char *json, long long now,
                              gvt_proposal **out_p)
{
    gvt_proposal *p = NULL;
    gvt_error err;
    gvt_status st =
        gvt_proposal_read_mem("t.json", json, strlen(json), &p, &err);
    if (st)
        fail_msg("read: %s", err.message);
    gvt_tally_options opt = {.now = now};
    gvt_result *r = NULL;
    assert_int_equal(gvt_tally_run(p, &opt, &r, &err), GVT_OK);
    *out_p = p;
    return r;
}

/* The codes of r's warnings, comma separated. */
static const char *codes(const gvt_result *r)
{
    static char s[200];
    s[0] = '\0';
    for (size_t i = 0; i < gvt_result_warning_count(r); i++) {
        if (i)
            strcat(s, ",");
        strcat(s, gvt_result_warning_code(r, i));
        assert_non_null(gvt_result_warning(r, i));
    }
    assert_null(gvt_result_warning_code(r, gvt_result_warning_count(r)));
    assert_null(gvt_result_warning(r, gvt_result_warning_count(r)));
    return s;
}

static void check(const char *json, long long now, const char *want)
{
    gvt_proposal *p;
    gvt_result *r = tally_text(json, now, &p);
    assert_string_equal(codes(r), want);
    gvt_result_free(r);
    gvt_proposal_free(p);
}

#define SINGLE(extra, votes)                                                   \
    "{\"proposal\": {\"id\": \"p\", \"type\": \"single-choice\", "             \
    "\"choices\": [\"A\", \"B\"]" extra "}, \"votes\": [" votes "]}"

/* Two of four invalid is half: no warning; three of four is more. A
 * duplicate does not count among the ballots that stand. */
static void test_invalid_majority(void **state)
{
    (void)state;
    check(SINGLE("", VOTE(A1, "1", "1") "," VOTE(A2, "2", "1") "," VOTE(
                         A3, "3", "1") "," VOTE(A4, "3", "1")),
          0, "");
    check(SINGLE("", VOTE(A1, "1", "1") "," VOTE(A2, "3", "1") "," VOTE(
                         A3, "3", "1") "," VOTE(A4, "3", "1")),
          0, "invalid-majority");
    /* A1 voted twice: 3 stand, 2 invalid. */
    check(SINGLE("",
                 VOTE(A1, "1", "1") ","
                                    "{\"voter\": \"" A1
                                    "\", \"created\": 0, \"choice\": 1, "
                                    "\"vp\": 1}," VOTE(A2, "3", "1") "," VOTE(
                                        A3, "3", "1")),
          0, "invalid-majority");
}

/* Choice 0, in every form a 0-based export has. */
static void test_choice_zero(void **state)
{
    (void)state;
    gvt_proposal *p;
    gvt_result *r = tally_text(
        SINGLE("", VOTE(A1, "0", "5") "," VOTE(A2, "1", "1") "," VOTE(
                       A3, "2", "1") "," VOTE(A4, "0.0", "1")),
        0, &p);
    assert_string_equal(codes(r), "choice-zero");
    assert_non_null(strstr(gvt_result_warning(r, 0), "2 ballots name"));
    gvt_result_free(r);
    gvt_proposal_free(p);
    /* approval [0, 1], ranked ["0", ...] (a string), weighted {"0": 1} */
    check("{\"proposal\": {\"type\": \"approval\", \"choices\": [\"A\", "
          "\"B\"]}, \"votes\": [" VOTE(A1, "[0, 1]", "1") "," VOTE(
              A2, "[1]", "1") "," VOTE(A3, "[2]", "1") "]}",
          0, "choice-zero");
    check("{\"proposal\": {\"type\": \"ranked-choice\", \"choices\": [\"A\", "
          "\"B\"]}, \"votes\": [" VOTE(A1, "[\"0\", 1]", "1") "," VOTE(
              A2, "[1, 2]", "1") "," VOTE(A3, "[2, 1]", "1") "]}",
          0, "choice-zero");
    check("{\"proposal\": {\"type\": \"weighted\", \"choices\": [\"A\", "
          "\"B\"]}, \"votes\": [" VOTE(A1, "{\"0\": 1}", "1") "," VOTE(
              A2, "{\"1\": 1}", "1") "," VOTE(A3, "{\"2\": 1}", "1") "]}",
          0, "choice-zero");
    /* 3 of two choices is invalid but not 0-based */
    check(SINGLE("", VOTE(A1, "3", "1") "," VOTE(A2, "1", "1") "," VOTE(A3, "2",
                                                                        "1")),
          0, "");
}

/*
 * Recounted: A 3000000, B 1000000 (and an invalid 1 counted in Snapshot's
 * total, 4000001). Tolerance: max(recorded total, 4000001) / 10^6, about
 * 4.000001: a recorded A of 3000004 is within it, 3000004.5 is not.
 */
static void test_hub_scores(void **state)
{
    (void)state;
#define HUB_VOTES                                                              \
    VOTE(A1, "1", "3000000") "," VOTE(A2, "2", "1000000") "," VOTE(A3, "3", "1")
    check(SINGLE(", \"scores\": [3000000, 1000000], \"scores_total\": 4000001",
                 HUB_VOTES),
          0, "");
    check(SINGLE(", \"scores\": [3000004, 1000000], \"scores_total\": 4000001",
                 HUB_VOTES),
          0, "");
    check(SINGLE(", \"scores\": [3000004.5, 1000000]", HUB_VOTES), 0,
          "hub-scores");
    check(SINGLE(", \"scores\": [3000000, 1000000], \"scores_total\": 4000006",
                 HUB_VOTES),
          0, "hub-scores");
    check(SINGLE(", \"scores\": [3000000]", HUB_VOTES), 0, "hub-scores");
    /* not yet scored, or not numbers: not compared */
    check(SINGLE(", \"scores\": [], \"scores_total\": 0", HUB_VOTES), 0, "");
    check(SINGLE(", \"scores\": [\"x\", 1], \"scores_total\": null", HUB_VOTES),
          0, "");
    /* The snapshot scheme is recounted when it was not asked for. */
    gvt_proposal *p = NULL;
    gvt_error err;
    const char *json = SINGLE(", \"scores\": [1, 1000000]", HUB_VOTES);
    assert_int_equal(
        gvt_proposal_read_mem("t.json", json, strlen(json), &p, &err), GVT_OK);
    gvt_scheme only = GVT_SCHEME_ADDRESS;
    gvt_tally_options opt = {.schemes = &only, .n_schemes = 1};
    gvt_result *r = NULL;
    assert_int_equal(gvt_tally_run(p, &opt, &r, &err), GVT_OK);
    assert_string_equal(codes(r), "hub-scores");
    assert_string_equal(gvt_result_warning(r, 0),
                        "the hub recorded a score of 1 for choice 1; the "
                        "recount under Snapshot's rules gives 3000000");
    gvt_result_free(r);
    gvt_proposal_free(p);
#undef HUB_VOTES
}

/* The state wins over the clock; without a state, the end against now. */
static void test_active(void **state)
{
    (void)state;
#define TWO VOTE(A1, "1", "1") "," VOTE(A2, "2", "1")
    check(SINGLE(", \"state\": \"active\", \"end\": 100", TWO), 1000, "active");
    check(SINGLE(", \"state\": \"pending\"", TWO), 0, "active");
    check(SINGLE(", \"state\": \"closed\", \"end\": 2000", TWO), 1000, "");
    check(SINGLE(", \"end\": 2000", TWO), 1000, "active");
    check(SINGLE(", \"end\": 1000", TWO), 1000, "");
    check(SINGLE(", \"end\": 2000", TWO), 0, "");
    check(SINGLE("", TWO), 1000, "");
#undef TWO
}

/* The fields as read, and what is passed over. */
static void test_fields(void **state)
{
    (void)state;
    gvt_proposal *p;
    gvt_result *r = tally_text(
        SINGLE(", \"title\": \"Fund \\u00e9 grants\", \"state\": \"closed\", "
               "\"start\": 5, \"end\": 9",
               VOTE(A1, "1", "1")),
        0, &p);
    assert_string_equal(gvt_proposal_title(p), "Fund \xc3\xa9 grants");
    assert_string_equal(gvt_proposal_state(p), "closed");
    assert_int_equal(gvt_proposal_start(p), 5);
    assert_int_equal(gvt_proposal_end(p), 9);
    gvt_result_free(r);
    gvt_proposal_free(p);
    r = tally_text(SINGLE(", \"title\": 7, \"state\": {\"x\": 1}, "
                          "\"scores\": {\"1\": 2}, \"scores_total\": \"3\"",
                          VOTE(A1, "1", "1")),
                   0, &p);
    assert_string_equal(gvt_proposal_title(p), "");
    assert_string_equal(gvt_proposal_state(p), "");
    assert_true(gvt_proposal_start(p) == GVT_TIME_NONE);
    assert_true(gvt_proposal_end(p) == GVT_TIME_NONE);
    assert_string_equal(codes(r), "");
    gvt_result_free(r);
    gvt_proposal_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_majority),
        cmocka_unit_test(test_choice_zero),
        cmocka_unit_test(test_hub_scores),
        cmocka_unit_test(test_active),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
