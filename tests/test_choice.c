/*
 * test_choice.c: validity and decoding of choices per proposal type
 * (docs/snapshot-parity.md), through the reader.
 *
 * The verdicts of the table were written from the spec and then confirmed
 * one by one against Snapshot's own isValidChoice (snapshot.js 0.17.5, the
 * peer): every row was passed to voting[type].isValidChoice with choices
 * C1..Cn, and the per-type exports built from the table gave the same
 * valid_votes in `node tests/node/peer/score.mjs` (single-choice 6 of 15,
 * basic 1/2, approval 26/50, ranked-choice 6/14, copeland 3/10, quadratic
 * 8/22, weighted 2/4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

typedef struct choice_case {
    const char *type;
    int n;
    const char *choice; /* JSON */
    int valid;          /* per the peer */
} choice_case;

static const choice_case cases[] = {
    {"single-choice", 3, "1", 1},
    {"single-choice", 3, "3", 1},
    {"single-choice", 3, "0", 0},
    {"single-choice", 3, "4", 0},
    {"single-choice", 3, "1.0", 1},
    {"single-choice", 3, "1.5", 0},
    {"single-choice", 3, "\"1\"", 0},
    {"single-choice", 3, "true", 0},
    {"single-choice", 3, "[1]", 0},
    {"single-choice", 3, "null", 0},
    {"single-choice", 3, "-1", 0},
    {"single-choice", 3, "2e0", 1},
    {"single-choice", 3, "1.00000000000000001", 1},
    {"single-choice", 3, "10e-1", 1},
    {"single-choice", 3, "{\"1\":1}", 0},
    {"basic", 3, "2", 1},
    {"basic", 3, "\"2\"", 0},
    {"approval", 3, "[]", 1},
    {"approval", 3, "[1,2]", 1},
    {"approval", 3, "[1,1]", 0},
    {"approval", 3, "[1,\"1\"]", 1},
    {"approval", 3, "[\"2\"]", 1},
    {"approval", 3, "[\" 2\"]", 1},
    {"approval", 3, "[\"2.0\"]", 1},
    {"approval", 3, "[\"0x2\"]", 1},
    {"approval", 3, "[\"2e0\"]", 1},
    {"approval", 3, "[true]", 1},
    {"approval", 3, "[true,true]", 0},
    {"approval", 3, "[[2]]", 1},
    {"approval", 3, "[[2],[2]]", 1},
    {"approval", 3, "[null]", 0},
    {"approval", 3, "[false]", 0},
    {"approval", 3, "[[]]", 0},
    {"approval", 3, "[{}]", 0},
    {"approval", 3, "[4]", 0},
    {"approval", 3, "[0]", 0},
    {"approval", 3, "[\"x\"]", 0},
    {"approval", 3, "[1.0,1]", 0},
    {"approval", 3, "1", 0},
    {"approval", 3, "{\"1\":1}", 0},
    {"approval", 3, "null", 0},
    {"approval", 3, "[\"0b10\"]", 1},
    {"approval", 3, "[\"0o2\"]", 1},
    {"approval", 3, "[\"0X2\"]", 1},
    {"approval", 3, "[\"-0x2\"]", 0},
    {"approval", 3, "[\"+2\"]", 1},
    {"approval", 3, "[\".2e1\"]", 1},
    {"approval", 3, "[\"2.\"]", 1},
    {"approval", 3, "[\" \"]", 0},
    {"approval", 3, "[\"\"]", 0},
    {"approval", 3, "[\"\\u00a02\"]", 1},
    {"approval", 3, "[\"\\u20282\"]", 1},
    {"approval", 3, "[\"2\\u3000\"]", 1},
    {"approval", 3, "[\"\\t2\\n\"]", 1},
    {"approval", 3, "[\"\\u200b2\"]", 0},
    {"approval", 3, "[\"Infinity\"]", 0},
    {"approval", 3, "[[[3]]]", 1},
    {"approval", 3, "[[\"3\"]]", 1},
    {"approval", 3, "[[true]]", 0},
    {"approval", 3, "[[null]]", 0},
    {"approval", 3, "[[1,2]]", 0},
    {"approval", 3, "[\"1_0\"]", 0},
    {"approval", 3, "[\"0x\"]", 0},
    {"approval", 3, "[\"2\",2]", 1},
    {"approval", 3, "[\"2\",\"2\"]", 0},
    {"approval", 3, "[\"2\",\" 2\"]", 1},
    {"approval", 3, "[1,2,3]", 1},
    {"ranked-choice", 3, "[1,2,3]", 1},
    {"ranked-choice", 3, "[3,1,2]", 1},
    {"ranked-choice", 3, "[1,2]", 0},
    {"ranked-choice", 3, "[]", 0},
    {"ranked-choice", 3, "[1,2,2]", 0},
    {"ranked-choice", 3, "[1,2,4]", 0},
    {"ranked-choice", 3, "[\"1\",2,3]", 1},
    {"ranked-choice", 3, "[true,2,3]", 1},
    {"ranked-choice", 3, "[[1],2,3]", 1},
    {"ranked-choice", 3, "[1,2,\"2\"]", 1},
    {"ranked-choice", 3, "[1,2,3,1]", 0},
    {"ranked-choice", 3, "[1,2,3.5]", 0},
    {"ranked-choice", 3, "{\"1\":1}", 0},
    {"ranked-choice", 3, "2", 0},
    {"copeland", 3, "[1,2,3]", 1},
    {"copeland", 3, "[2,3,1]", 1},
    {"copeland", 3, "[1.0,2,3]", 1},
    {"copeland", 3, "[\"1\",2,3]", 0},
    {"copeland", 3, "[1,2]", 0},
    {"copeland", 3, "[1,1,2]", 0},
    {"copeland", 3, "[true,2,3]", 0},
    {"copeland", 3, "[1,2,4]", 0},
    {"copeland", 3, "[[1],2,3]", 0},
    {"copeland", 3, "[]", 0},
    {"quadratic", 3, "{\"1\":1}", 1},
    {"quadratic", 3, "{\"1\":2,\"3\":0}", 1},
    {"quadratic", 3, "{\"1\":0}", 0},
    {"quadratic", 3, "{}", 0},
    {"quadratic", 3, "{\"1\":-1,\"2\":2}", 0},
    {"quadratic", 3, "{\"1\":\"1\"}", 0},
    {"quadratic", 3, "{\"4\":1}", 0},
    {"quadratic", 3, "{\"0\":1}", 0},
    {"quadratic", 3, "{\"01\":1}", 1},
    {"quadratic", 3, "{\"1.0\":1,\"2\":1}", 1},
    {"quadratic", 3, "{\" 2\":1}", 1},
    {"quadratic", 3, "{\"0x2\":1}", 1},
    {"quadratic", 3, "{\"1\":true}", 0},
    {"quadratic", 3, "{\"1\":null}", 0},
    {"quadratic", 3, "[1]", 0},
    {"quadratic", 3, "1", 0},
    {"quadratic", 3, "null", 0},
    {"quadratic", 3, "{\"1\":-0.0,\"2\":1}", 1},
    {"quadratic", 3, "{\"x\":1}", 0},
    {"quadratic", 3, "{\"1\":[1]}", 0},
    {"quadratic", 3, "{\"\":1}", 0},
    {"quadratic", 3, "{\"1\":0.5,\"2\":0.5}", 1},
    {"weighted", 3, "{\"1\":2,\"3\":1}", 1},
    {"weighted", 3, "{\"1\":0,\"2\":0}", 0},
    {"weighted", 3, "{\"2\":1,\"3\":\"1\"}", 0},
    {"weighted", 3, "{\"3\":1e2}", 1},
};

/* One export with one vote per choice text, all of one type. */
static gvt_proposal *read_votes(const char *type, int n,
                                const char *const *choices, size_t n_votes)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_printf(&b,
                   "{\"proposal\":{\"id\":\"p\",\"type\":\"%s\","
                   "\"choices\":[",
                   type);
    for (int i = 0; i < n; i++)
        gvt_buf_printf(&b, "%s\"C%d\"", i ? "," : "", i + 1);
    gvt_buf_puts(&b, "]},\"votes\":[");
    for (size_t i = 0; i < n_votes; i++)
        gvt_buf_printf(&b,
                       "%s{\"id\":\"v%zu\",\"voter\":\"0x%040zx\","
                       "\"created\":1,\"choice\":%s,\"vp\":1}",
                       i ? "," : "", i, i + 1, choices[i]);
    gvt_buf_puts(&b, "]}");
    gvt_proposal *p = NULL;
    gvt_error err;
    gvt_status st = gvt_proposal_read_mem("t", b.data, b.len, &p, &err);
    if (st != GVT_OK) {
        char msg[512];
        fprintf(stderr, "%s\n", gvt_error_format(&err, msg, sizeof msg));
    }
    assert_int_equal(st, GVT_OK);
    gvt_buf_free(&b);
    return p;
}

static void test_table(void **state)
{
    (void)state;
    size_t n = sizeof cases / sizeof cases[0];
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        gvt_proposal *p =
            read_votes(cases[i].type, cases[i].n, &cases[i].choice, 1);
        int valid = p->ballots[0].status == GVT_BALLOT_COUNTED;
        if (valid != cases[i].valid) {
            fprintf(stderr, "%s n=%d choice %s: expected %s, got %s\n",
                    cases[i].type, cases[i].n, cases[i].choice,
                    cases[i].valid ? "valid" : "invalid",
                    valid ? "valid" : "invalid");
            failures++;
        }
        assert_true((p->ballots[0].choice != NULL) == valid);
        gvt_proposal_free(p);
    }
    assert_int_equal(failures, 0);
}

/* The same verdicts when the votes come before the proposal (decoded at
 * the end of the proposal object instead of at once). */
static void test_table_votes_first(void **state)
{
    (void)state;
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        gvt_buf b;
        gvt_buf_init(&b);
        gvt_buf_printf(&b,
                       "{\"votes\":[{\"voter\":\"0x%040d\",\"choice\":%s,"
                       "\"vp\":1}],\"proposal\":{\"type\":\"%s\","
                       "\"choices\":[",
                       1, cases[i].choice, cases[i].type);
        for (int k = 0; k < cases[i].n; k++)
            gvt_buf_printf(&b, "%s\"C%d\"", k ? "," : "", k + 1);
        gvt_buf_puts(&b, "]}}");
        gvt_proposal *p = NULL;
        gvt_error err;
        assert_int_equal(gvt_proposal_read_mem("t", b.data, b.len, &p, &err),
                         GVT_OK);
        assert_int_equal(p->ballots[0].status == GVT_BALLOT_COUNTED,
                         cases[i].valid);
        gvt_proposal_free(p);
        gvt_buf_free(&b);
    }
}

static void assert_idx(const gvt_choice *c, const uint32_t *want, uint32_t n)
{
    assert_non_null(c);
    assert_int_equal(c->n, n);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(c->idx[i], want[i]);
}

/* What is credited: approval credits JSON numbers only, ascending. */
static void test_approval_credit(void **state)
{
    (void)state;
    const char *ch[] = {"[3,\"1\",1]", "[\"2\",[3],true]", "[]"};
    gvt_proposal *p = read_votes("approval", 3, ch, 3);
    assert_idx(p->ballots[0].choice, (uint32_t[]){0, 2}, 2);
    assert_idx(p->ballots[1].choice, NULL, 0);
    assert_idx(p->ballots[2].choice, NULL, 0);
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    assert_int_equal(c.counted, 3);
    gvt_proposal_free(p);
}

/* Rankings become 0-based indices, first preference first; single-choice
 * ballots with the same index share one decoded choice. */
static void test_rankings(void **state)
{
    (void)state;
    const char *rc[] = {"[3,1,2]", "[\"2\",[3],true]", "[1,2,\"2\"]"};
    gvt_proposal *p = read_votes("ranked-choice", 3, rc, 3);
    assert_idx(p->ballots[0].choice, (uint32_t[]){2, 0, 1}, 3);
    assert_idx(p->ballots[1].choice, (uint32_t[]){1, 2, 0}, 3);
    /* 2 and "2" are distinct for Snapshot's Set; the ranking keeps one */
    assert_idx(p->ballots[2].choice, (uint32_t[]){0, 1}, 2);
    gvt_proposal_free(p);

    /* identical raw forms share one decoded choice, valid or not */
    const char *same[] = {"[3,1,2]", "[1,1,2]", "[3,1,2]", "[1,1,2]"};
    p = read_votes("ranked-choice", 3, same, 4);
    assert_ptr_equal(p->ballots[0].choice, p->ballots[2].choice);
    assert_idx(p->ballots[2].choice, (uint32_t[]){2, 0, 1}, 3);
    assert_null(p->ballots[1].choice);
    assert_null(p->ballots[3].choice);
    assert_int_equal(gvt_proposal_ballot_counts(p).invalid_choice, 2);
    gvt_proposal_free(p);

    const char *cp[] = {"[2,3,1]"};
    p = read_votes("copeland", 3, cp, 1);
    assert_idx(p->ballots[0].choice, (uint32_t[]){1, 2, 0}, 3);
    gvt_proposal_free(p);

    const char *sc[] = {"2", "2.0", "3"};
    p = read_votes("single-choice", 3, sc, 3);
    assert_idx(p->ballots[0].choice, (uint32_t[]){1}, 1);
    assert_ptr_equal(p->ballots[0].choice, p->ballots[1].choice);
    assert_idx(p->ballots[2].choice, (uint32_t[]){2}, 1);
    gvt_proposal_free(p);
}

static void assert_fx(const mpz_t v, const char *want)
{
    char *s = gvt_fx_to_string(v, GVT_OUT_DIGITS);
    assert_string_equal(s, want);
    free(s);
}

/* Weights: canonical keys only, ascending; total over every value. */
static void test_weights(void **state)
{
    (void)state;
    const char *ch[] = {"{\"3\":1,\"01\":5,\"1\":2,\"2\":0}",
                        "{\"1.0\":1,\"2\":1e-3}"};
    gvt_proposal *p = read_votes("weighted", 3, ch, 2);
    const gvt_choice *c = p->ballots[0].choice;
    assert_idx(c, (uint32_t[]){0, 1, 2}, 3);
    assert_fx(c->w[0], "2");
    assert_fx(c->w[1], "0");
    assert_fx(c->w[2], "1");
    assert_fx(c->total, "8");
    c = p->ballots[1].choice;
    assert_idx(c, (uint32_t[]){1}, 1);
    assert_fx(c->w[0], "0.001");
    assert_fx(c->total, "1.001");
    gvt_proposal_free(p);
}

/*
 * Small whole weights share a table's limbs, others are copied into the
 * choice: every form must read back the same exact values. Totals on both
 * sides of the table's end (1023), a lone weight equal to its total, a
 * choice crediting no key, zeros written as decimals.
 */
static void test_weight_forms(void **state)
{
    (void)state;
    const char *ch[] = {
        "{\"1\":999,\"2\":24}",         /* total 1023: the table's last */
        "{\"1\":999,\"2\":25}",         /* total 1024: copied */
        "{\"2\":1000}",                 /* four digits: copied, total too */
        "{\"3\":2.5}",                  /* total equals the only weight */
        "{\"3\":7}",                    /* both small and whole */
        "{\"01\":5,\"1\":0.0,\"2\":3}", /* zero as a decimal */
        "{\"01\":5}",                   /* no key credited */
        "{\"1\":1e2,\"2\":0.25,\"3\":100}",
    };
    const char *w[][3] = {
        {"999", "24"}, {"999", "25"}, {"1000"}, {"2.5"},
        {"7"},         {"0", "3"},    {NULL},   {"100", "0.25", "100"}};
    const char *total[] = {"1023", "1024", "1000", "2.5",
                           "7",    "8",    "5",    "200.25"};
    size_t n = sizeof ch / sizeof *ch;
    gvt_proposal *p = read_votes("weighted", 3, ch, n);
    for (size_t i = 0; i < n; i++) {
        const gvt_choice *c = p->ballots[i].choice;
        assert_non_null(c);
        uint32_t k = 0;
        for (; k < 3 && w[i][k]; k++)
            assert_fx(c->w[k], w[i][k]);
        assert_int_equal(c->n, k);
        assert_fx(c->total, total[i]);
    }
    gvt_proposal_free(p);
}

/*
 * gvt_choice_term against its definition (plain GMP on the values), on
 * choices whose weights share the table ({"1":3,...}) and on the same values
 * written as decimals ({"1":3.0,...}, copied limbs), for random weights w.
 */
static void test_terms(void **state)
{
    (void)state;
    const char *ch[] = {
        "{\"1\":3,\"2\":5,\"3\":0}", "{\"1\":3.0,\"2\":5.0,\"3\":0.0}",
        "{\"1\":999,\"2\":24}", "{\"1\":1,\"01\":1000}", "{\"2\":7}"};
    size_t n = sizeof ch / sizeof *ch;
    gvt_proposal *p = read_votes("weighted", 3, ch, n);
    mpz_t w, share, rad, t, want, one36;
    mpz_inits(w, share, rad, t, want, one36, NULL);
    mpz_set(one36, *gvt_fx_one());
    uint64_t seed = 12345;
    for (int iter = 0; iter < 2000; iter++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        /* w: up to ~2^100, often with a fraction */
        mpz_set_ui(w, (unsigned long)(seed >> 20));
        mpz_mul_2exp(w, w, (mp_bitcnt_t)(seed % 60));
        mpz_add_ui(w, w, (unsigned long)(seed % 1000003));
        for (size_t b = 0; b < n; b++) {
            const gvt_choice *c = p->ballots[b].choice;
            assert_non_null(c);
            for (uint32_t k = 0; k < c->n; k++) {
                gvt_choice_term(share, rad, c, k, w, t);
                mpz_mul(want, w, c->w[k]);
                mpz_fdiv_q(want, want, c->total);
                assert_int_equal(mpz_cmp(share, want), 0);
                mpz_mul(want, w, c->w[k]);
                mpz_mul(want, want, one36);
                mpz_fdiv_q(want, want, c->total);
                assert_int_equal(mpz_cmp(rad, want), 0);
                gvt_choice_term(NULL, rad, c, k, w, t);
                assert_int_equal(mpz_cmp(rad, want), 0);
                gvt_choice_term(t, NULL, c, k, w, t);
                assert_int_equal(mpz_cmp(t, share), 0);
            }
        }
    }
    mpz_clears(w, share, rad, t, want, one36, NULL);
    gvt_proposal_free(p);
}

/* JavaScript's Number() on raw values, including white space that is not
 * ASCII and the forms strtod accepts but JavaScript does not. */
static double js(const char *json)
{
    gvt_buf raw;
    gvt_buf_init(&raw);
    /* strings only: enough to reach js_string_number */
    gvt_choice_raw_text(&raw, GVT_RAW_STRING, json, strlen(json));
    const unsigned char *q = (const unsigned char *)raw.data;
    double d = gvt_choice_js_number(&q, q + raw.len);
    gvt_buf_free(&raw);
    return d;
}

static void test_js_number(void **state)
{
    (void)state;
    assert_true(js("") == 0.0);
    assert_true(js(" 12 ") == 12.0);
    assert_true(js("0x1F") == 31.0);
    assert_true(js("0b101") == 5.0);
    assert_true(js("0o17") == 15.0);
    assert_true(js("1e3") == 1000.0);
    assert_true(js("-2.5") == -2.5);
    assert_true(js("\xe2\x80\x83"
                   "7") == 7.0);             /* U+2003 EM SPACE */
    assert_true(js("7\xef\xbb\xbf") == 7.0); /* U+FEFF */
    assert_true(js("Infinity") > 1e308);
    assert_true(js("nan") != js("nan")); /* strtod would read NaN too */
    assert_true(js("inf") != js("inf"));
    assert_true(js("0x1p3") != js("0x1p3"));
    assert_true(js("1e") != js("1e"));
    assert_true(js("12abc") != js("12abc"));
    assert_true(js("\xc2\xa0") == 0.0); /* NBSP alone: empty, 0 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_votes_first),
        cmocka_unit_test(test_approval_credit),
        cmocka_unit_test(test_rankings),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_weight_forms),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_js_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
