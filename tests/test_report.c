/*
 * test_report.c: the CSV, text and HTML reports (report_*.c) on a result
 * built by hand: exact CSV text, the structure of the text table and of the
 * HTML page, escaping of hostile labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/report.h"
#include "result/result.h"

/*
 * The proposal: single-choice, choices
 *   1 `For`, 2 `Against, "strongly"` (comma and quotes), 3 `<b>x</b>\n&`
 *   (markup, a newline and an ampersand).
 * Ballots: whale 0xa 60 -> 1; 0xb 25 -> 2; 0xc 10 -> 2; 0xd 5 -> 3.
 * Schemes given by hand: token (60, 35, 5; total 100; winner 1) and address
 * (1, 2, 1; total 4; winner 2). Without 0xa choice 2 wins the token tally,
 * so decisive_k = 1 and the verdict names `Against, "strongly"`.
 */
static const char *const labels[3] = {"For", "Against, \"strongly\"",
                                      "<b>x</b>\n&"};

static gvt_proposal *proposal(void)
{
    gvt_proposal *p = gvt_proposal_new("hand");
    p->id = "0xprop";
    p->space = "test.eth";
    p->type = GVT_TYPE_SINGLE_CHOICE;
    p->n_choices = 3;
    p->choices = gvt_arena_calloc(p->arena, 3, sizeof *p->choices);
    for (int i = 0; i < 3; i++)
        p->choices[i] = gvt_arena_strdup(p->arena, labels[i]);
    static const struct {
        const char *voter;
        const char *vp;
        uint32_t choice;
    } v[] = {
        {"0xa", "60", 1}, {"0xb", "25", 2}, {"0xc", "10", 2}, {"0xd", "5", 3}};
    p->n_ballots = 4;
    p->ballots = gvt_xcalloc(4, sizeof *p->ballots);
    for (size_t i = 0; i < 4; i++) {
        gvt_ballot *b = &p->ballots[i];
        b->voter = v[i].voter;
        b->status = GVT_BALLOT_COUNTED;
        mpz_init(b->vp);
        assert_int_equal(gvt_fx_parse(b->vp, v[i].vp, strlen(v[i].vp), false),
                         GVT_FX_OK);
        gvt_choice *c = gvt_arena_calloc(p->arena, 1, sizeof *c);
        c->n = 1;
        c->idx = gvt_arena_calloc(p->arena, 1, sizeof *c->idx);
        c->idx[0] = v[i].choice - 1;
        b->choice = c;
    }
    p->counts.read = p->counts.counted = 4;
    return p;
}

static void scheme(gvt_scheme_result *s, gvt_scheme id, const char *const *sc,
                   const char *total, uint32_t winner)
{
    s->id = id;
    s->scores = gvt_xcalloc(3, sizeof *s->scores);
    for (int i = 0; i < 3; i++) {
        mpz_init(s->scores[i]);
        assert_int_equal(
            gvt_fx_parse(s->scores[i], sc[i], strlen(sc[i]), false), GVT_FX_OK);
    }
    mpz_init(s->total);
    assert_int_equal(gvt_fx_parse(s->total, total, strlen(total), false),
                     GVT_FX_OK);
    s->winners = gvt_xcalloc(1, sizeof *s->winners);
    s->winners[0] = winner;
    s->n_winners = 1;
}

/* The analysis as gvt_tally_run runs it (tally.c), on a result built here. */
static void analysis_run(gvt_result *r)
{
    gvt_wallet_state ws;
    memset(&ws, 0, sizeof ws);
    gvt_whales_input in = {r->p, r->schemes, r->n_schemes, r->identity, r->cap,
                           &ws,  1,          false};
    gvt_whales_run(&in, &r->whales);
    gvt_wallet_state_free(&ws, r->p->n_choices);
    gvt_result_text_make(r);
}

static gvt_result *result(const gvt_proposal *p)
{
    gvt_result *r = gvt_xcalloc(1, sizeof *r);
    r->p = p;
    mpz_init(r->cap);
    gvt_whales_init(&r->whales);
    scheme(&r->schemes[0], GVT_SCHEME_TOKEN,
           (const char *const[]){"60", "35", "5"}, "100", 1);
    scheme(&r->schemes[1], GVT_SCHEME_ADDRESS,
           (const char *const[]){"1", "2", "1"}, "4", 2);
    r->n_schemes = 2;
    analysis_run(r);
    return r;
}

static void result_free(gvt_result *r)
{
    gvt_result_free(r);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

/* The text report with its verdict unwrapped: wrapped lines continue with
 * a newline and 8 spaces before the space of the next word. */
static char *unwrap(const char *t)
{
    char *u = gvt_xstrdup(t), *o = u;
    for (const char *c = t; *c;) {
        if (strncmp(c, "\n        ", 9) == 0) {
            c += 9;
            continue;
        }
        *o++ = *c++;
    }
    *o = '\0';
    return u;
}

static void test_csv(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    gvt_result *r = result(p);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_csv(r, &b);
    /* Shares by hand: 60/100, 35/100, 5/100; 1/4, 2/4, 1/4. */
    assert_string_equal(b.data,
                        "scheme,choice,label,score,share,winner\n"
                        "token,1,For,60,0.6,1\n"
                        "token,2,\"Against, \"\"strongly\"\"\",35,0.35,0\n"
                        "token,3,\"<b>x</b>\n&\",5,0.05,0\n"
                        "address,1,For,1,0.25,0\n"
                        "address,2,\"Against, \"\"strongly\"\"\",2,0.5,1\n"
                        "address,3,\"<b>x</b>\n&\",1,0.25,0\n");
    gvt_buf_free(&b);
    result_free(r);
    gvt_proposal_free(p);
}

/* A share that does not end: 1/3 floored to 18 digits; a zero total gives
 * share 0 rather than a division by zero. */
static void test_csv_rounding(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    gvt_result *r = result(p);
    mpz_set_ui(r->schemes[1].total, 0);
    mpz_mul_ui(r->schemes[1].total, *gvt_fx_one(), 3);
    mpz_set(r->schemes[1].scores[0], *gvt_fx_one());
    mpz_set_ui(r->schemes[0].total, 0);
    gvt_result_text_make(r); /* the figures' text again */
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_csv(r, &b);
    assert_non_null(strstr(b.data, "\ntoken,1,For,60,0,1\n"));
    assert_non_null(
        strstr(b.data, "\naddress,1,For,1,0.333333333333333333,0\n"));
    gvt_buf_free(&b);
    result_free(r);
    gvt_proposal_free(p);
}

static void test_text(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    gvt_result *r = result(p);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_text(r, 0, 80, &b);
    const char *t = b.data;
    /* The header row names both schemes, token before address. */
    const char *tok = strstr(t, "token"), *adr = strstr(t, "address");
    assert_non_null(tok);
    assert_non_null(adr);
    assert_true(tok < adr);
    /* Row 1: the token winner marked, 60.00 and 60.00%; address 1.00 25%. */
    assert_non_null(strstr(t, "* 60.00   60.00%"));
    assert_non_null(strstr(t, "1.00   25.00%"));
    assert_non_null(strstr(t, "* 2.00   50.00%"));
    /* The label's newline is not passed to the terminal (docs/limits.md). */
    assert_non_null(strstr(t, "<b>x</b>\\x0A&"));
    assert_null(strchr(t, '\x1b'));
    assert_non_null(strstr(t, "nakamoto 1"));
    assert_non_null(strstr(t, "gini 0.45"));
    /* The verdict wraps at 78 columns. */
    for (const char *line = t; *line;) {
        const char *nl = strchr(line, '\n');
        if (strncmp(line, "verdict:", 8) == 0 ||
            strncmp(line, "        ", 8) == 0)
            assert_true(nl - line <= 78);
        line = nl + 1;
    }
    char *u = unwrap(t);
    t = u;
    assert_non_null(
        strstr(t, "verdict: 1 wallet decided this proposal: without it, "
                  "\"Against, \"strongly\"\" wins."));
    assert_non_null(strstr(t, "Whale veto: by tokens, \"For\" wins; by one "
                              "address, one vote, \"Against, \"strongly\"\" "
                              "wins."));
    assert_non_null(strstr(t, "disagree with the token result: address."));
    free(u);
    gvt_buf_free(&b);

    gvt_buf_init(&b);
    gvt_report_text(r, 1, 80, &b);
    assert_non_null(strstr(b.data, "\x1b[1;32m* 60.00"));
    gvt_buf_free(&b);
    result_free(r);
    gvt_proposal_free(p);
}

/* An escape sequence in a label never reaches the terminal raw. */
static void test_text_hostile(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    p->choices[0] = "\x1b[2J\x1b[31mpwned";
    gvt_result *r = result(p);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_text(r, 0, 80, &b);
    assert_null(strchr(b.data, '\x1b'));
    assert_non_null(strstr(b.data, "\\x1B[2J\\x1B[31mpwned"));
    gvt_buf_free(&b);
    result_free(r);
    gvt_proposal_free(p);
}

/* The identity summary, in text and HTML, from a hand-made identity. */
static void test_identity(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    gvt_result *r = result(p);
    gvt_identity id;
    memset(&id, 0, sizeof id);
    id.read = 9;
    id.counts[GVT_ATTEST_VALID] = 5;
    id.counts[GVT_ATTEST_EXPIRED] = 3;
    id.counts[GVT_ATTEST_BAD_SIGNATURE] = 1;
    gvt_human h[4];
    for (int i = 0; i < 4; i++) {
        h[i].ballot = &p->ballots[i];
        mpz_init_set(h[i].weight, *gvt_fx_one());
        mpz_init_set(h[i].vp, p->ballots[i].vp);
        h[i].n_wallets = 1;
    }
    id.humans = h;
    id.n_humans = 4;
    id.verified_wallets = 4;
    id.unverified_wallets = 7;
    r->identity = &id;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_text(r, 0, 80, &b);
    /* Reason names are crypto's (docs/formats.md#attestation-outcomes); the
     * layout is the report's. */
    char want[160];
    snprintf(want, sizeof want,
             "identity: 9 attestations read, 5 valid (rejected: 1 %s, 3 %s)",
             gvt_attest_reason_name(GVT_ATTEST_BAD_SIGNATURE),
             gvt_attest_reason_name(GVT_ATTEST_EXPIRED));
    assert_non_null(strstr(b.data, want));
    assert_non_null(strstr(b.data, "4 humans; 4 verified and 7 unverified "
                                   "voting wallets"));
    /* The headcount of the verdict is now one person, one vote: A 1, B 2,
     * C 1. */
    assert_non_null(strstr(b.data, "one person, one vote"));
    gvt_buf_free(&b);
    gvt_buf_init(&b);
    gvt_report_html(r, &b);
    assert_non_null(strstr(b.data, "<section id=\"identity\">"));
    assert_non_null(strstr(b.data, "<b>5 / 9</b><span>valid attestations"));
    assert_non_null(strstr(b.data, "<div class=\"card\"><b>4</b><span>"
                                   "humans</span></div>"));
    assert_non_null(strstr(b.data, "<b>4</b><span>verified voting wallets"));
    assert_non_null(strstr(b.data, "<b>7</b><span>unverified voting wallets"));
    snprintf(want, sizeof want, "<tr><td class=\"l\">%s</td><td>3</td></tr>",
             gvt_attest_reason_name(GVT_ATTEST_EXPIRED));
    assert_non_null(strstr(b.data, want));
    assert_int_equal(count(b.data, "<tr><td class=\"l\">"),
                     2 * (3 + 1) + GVT_ATTEST_REASON_COUNT);
    gvt_buf_free(&b);
    r->identity = NULL; /* on the stack */
    result_free(r);
    for (int i = 0; i < 4; i++)
        mpz_clears(h[i].weight, h[i].vp, NULL);
    gvt_proposal_free(p);
}

static void test_html(void **state)
{
    (void)state;
    gvt_proposal *p = proposal();
    gvt_result *r = result(p);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_html(r, &b);
    const char *h = b.data;
    assert_int_equal(strncmp(h, "<!DOCTYPE html>\n", 16), 0);
    assert_non_null(strstr(h, "</html>\n"));
    /* Self-contained: no script, no link, no URL. */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "http:"));
    assert_null(strstr(h, "https:"));
    assert_null(strstr(h, "url("));
    /* The heading: no title, so the id; the id in full among the facts,
     * as text. */
    assert_non_null(strstr(h, "<h1 id=\"title\">Proposal 0xprop</h1>"));
    assert_non_null(
        strstr(h, "<dd class=\"mono\" id=\"proposal-id\">0xprop</dd>"));
    assert_null(strstr(h, "<a "));
    /* The charts and the verdict, its label quoted. */
    assert_non_null(strstr(h, "<div id=\"scores-chart\">"));
    assert_non_null(strstr(h, "<svg id=\"lorenz\""));
    assert_non_null(strstr(h, "id=\"verdict\""));
    assert_non_null(strstr(h,
                           "1 wallet decided this proposal: without it, "
                           "\xe2\x80\x9c"
                           "Against, &quot;strongly&quot;\xe2\x80\x9d wins."));
    assert_non_null(strstr(h, "Gini 0.45"));
    /* One bar per scheme and choice, named and valued: token 60 %, address
     * 1 of 4 for choice 1, the winners starred. */
    assert_int_equal(count(h, "<div class=\"bar"), 6);
    assert_non_null(strstr(h, "token</span><span class=\"bt\"><span "
                              "style=\"width:60.00%;background:#EE6677\">"
                              "</span></span><span class=\"bv\">60.00% "
                              "&#9733;</span>"));
    assert_non_null(strstr(h, "address</span><span class=\"bt\"><span "
                              "style=\"width:25.00%;"));
    /* Token's colour: its three bars with their swatches, its card of
     * exact scores, and the Lorenz curve of its voting power. */
    assert_int_equal(count(h, "#EE6677"), 3 + 3 + 1 + 1);
    /* The Lorenz curve's ticks. */
    assert_int_equal(count(h, ">25%</text>"), 2);
    /* No warning: no notes. */
    assert_null(strstr(h, "id=\"warnings\""));
    /* Balanced elements. */
    assert_int_equal(count(h, "<svg"), count(h, "</svg>"));
    assert_int_equal(count(h, "<table"), count(h, "</table>"));
    assert_int_equal(count(h, "<section"), count(h, "</section>"));
    assert_int_equal(count(h, "<tr"), count(h, "</tr>"));
    assert_int_equal(count(h, "<div"), count(h, "</div>"));
    /* Labels escaped everywhere: no raw markup from the input. */
    assert_null(strstr(h, "<b>x</b>"));
    assert_non_null(strstr(h, "&lt;b&gt;x&lt;/b&gt;"));
    /* The largest voter first in the table, with its Banzhaf index 1. */
    const char *top = strstr(h, "id=\"top-voters\"");
    assert_non_null(top);
    assert_non_null(strstr(top, "<td data-label=\"#\">1</td><td "
                                "data-label=\"address\" class=\"mono l\" "
                                "title=\"0xa\">0xa</td>"));
    gvt_buf_free(&b);
    result_free(r);
    gvt_proposal_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),  cmocka_unit_test(test_csv_rounding),
        cmocka_unit_test(test_text), cmocka_unit_test(test_text_hostile),
        cmocka_unit_test(test_html), cmocka_unit_test(test_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
