/*
 * test_analysis.c: the whale metrics of docs/analysis.md (analysis.c) on
 * hand-built proposals whose expected values are computed by hand in the
 * comments.
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

/* Two threads for the library's passes, as hand_ballots.h's HAND_THREADS:
 * a split forced by gvt_par_force_for_tests(1) runs on two even on one
 * CPU. */
#define HAND_THREADS 2

/* ---- building proposals by hand --------------------------------------------
 */

static gvt_proposal *mk(gvt_type type, uint32_t n_choices)
{
    gvt_proposal *p = gvt_proposal_new("hand");
    p->type = type;
    p->n_choices = n_choices;
    p->choices = gvt_arena_calloc(p->arena, n_choices, sizeof *p->choices);
    for (uint32_t i = 0; i < n_choices; i++) {
        char name[16];
        snprintf(name, sizeof name, "C%u", i + 1);
        p->choices[i] = gvt_arena_strdup(p->arena, name);
    }
    return p;
}

/* Adds a counted ballot. idx are 1-based choices; w (weighted and quadratic
 * only) their weights as decimals. */
static void add(gvt_proposal *p, const char *voter, const char *vp, uint32_t n,
                const uint32_t *idx, const char *const *w)
{
    p->ballots =
        gvt_xrealloc(p->ballots, (p->n_ballots + 1) * sizeof *p->ballots);
    gvt_ballot *b = &p->ballots[p->n_ballots];
    memset(b, 0, sizeof *b);
    b->voter = gvt_arena_strdup(p->arena, voter);
    b->input = (uint32_t)p->n_ballots;
    b->status = GVT_BALLOT_COUNTED;
    mpz_init(b->vp);
    assert_int_equal(gvt_fx_parse(b->vp, vp, strlen(vp), false), GVT_FX_OK);
    gvt_choice *c = gvt_arena_calloc(p->arena, 1, sizeof *c);
    c->n = n;
    c->idx = gvt_arena_calloc(p->arena, n ? n : 1, sizeof *c->idx);
    for (uint32_t i = 0; i < n; i++)
        c->idx[i] = idx[i] - 1;
    if (w) {
        c->w = gvt_arena_calloc(p->arena, n ? n : 1, sizeof *c->w);
        mpz_init(c->total);
        for (uint32_t i = 0; i < n; i++) {
            mpz_init(c->w[i]);
            assert_int_equal(gvt_fx_parse(c->w[i], w[i], strlen(w[i]), false),
                             GVT_FX_OK);
            mpz_add(c->total, c->total, c->w[i]);
        }
    }
    b->choice = c;
    p->n_ballots++;
    p->counts.read++;
    p->counts.counted++;
}

static void add1(gvt_proposal *p, const char *voter, const char *vp,
                 uint32_t choice)
{
    add(p, voter, vp, 1, &choice, NULL);
}

/* The analysis as gvt_tally_run runs it (tally.c), on a result built here. */
static void analysis_run(gvt_result *r)
{
    gvt_wallet_state ws;
    memset(&ws, 0, sizeof ws);
    gvt_whales_input in = {r->p,   r->schemes, r->n_schemes, r->identity,
                           r->cap, &ws,        HAND_THREADS, false};
    gvt_whales_run(&in, &r->whales);
    gvt_wallet_state_free(&ws, r->p->n_choices);
    gvt_result_text_make(r);
}

/* The headcount's winners (personhood here: the result has an identity). */
static size_t head_winners(const gvt_result *r, uint32_t *winners)
{
    const gvt_whales *w = &r->whales;
    for (size_t i = 0; i < w->n_head_winners; i++)
        winners[i] = w->head_winners[i];
    return w->n_head_winners;
}

/* The token winners once the decisive_k largest supporters are removed. */
static size_t decisive_winners(const gvt_result *r, uint32_t *winners)
{
    const gvt_whales *w = &r->whales;
    for (size_t i = 0; i < w->n_decisive_winners; i++)
        winners[i] = w->decisive_winners[i];
    return w->n_decisive_winners;
}

/* A result as gvt_tally_run makes it (tally.c): zeroed, cap and the whale
 * ratios initialised, freed by gvt_result_free. */
static gvt_result *result_new(const gvt_proposal *p)
{
    gvt_result *r = gvt_xcalloc(1, sizeof *r);
    r->p = p;
    mpz_init(r->cap);
    gvt_whales_init(&r->whales);
    return r;
}

static gvt_result *analyse(const gvt_proposal *p)
{
    gvt_result *r = result_new(p);
    analysis_run(r);
    return r;
}

/* Adds a scheme entry to r with the given winners (scores all zero). */
static void add_scheme(gvt_result *r, gvt_scheme id, const uint32_t *w,
                       size_t n)
{
    gvt_scheme_result *s = &r->schemes[r->n_schemes++];
    s->id = id;
    s->scores = gvt_xcalloc(r->p->n_choices, sizeof *s->scores);
    for (uint32_t c = 0; c < r->p->n_choices; c++)
        mpz_init(s->scores[c]);
    mpz_init(s->total);
    s->winners = gvt_xcalloc(n + 1, sizeof *s->winners);
    memcpy(s->winners, w, n * sizeof *w);
    s->n_winners = n;
}

static void result_free(gvt_result *r)
{
    gvt_result_free(r);
}

/* Compares a fixed-point value with its exact decimal (36 digits). */
static void assert_fx(const mpz_t v, const char *expected)
{
    char *s = gvt_fx_to_string(v, GVT_FX_DIGITS);
    assert_string_equal(s, expected);
    free(s);
}

/* ---- tests ------------------------------------------------------------- */

/*
 * single-choice A B C: a 60 -> A, b 25 -> B, c 10 -> B, d 5 -> C; W = 100.
 * top1 0.6, top10 1, nakamoto 1 (60 > 50), dominates (60 > 40).
 * gini: ascending 5 10 25 60, sum i w_i = 5 + 20 + 75 + 240 = 340,
 *   2 * 340 / 400 - 5/4 = 0.45.
 * hhi: (0.36 + 0.0625 + 0.01 + 0.0025) * 10000 = 4350.
 * token A 60 / B 35 / C 5: A wins; without a, B wins: decisive_k 1.
 * address A 1 / B 2 / C 1: B wins, so whale_veto.
 * Banzhaf (units of W/1000: 600 250 100 50, a coalition wins above 500): a
 *   is pivotal in all 8 coalitions of the others (they total 400): 1; the
 *   others are never pivotal: 0.
 */
static void test_single_whale(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 3);
    add1(p, "0xd", "5", 3);
    add1(p, "0xb", "25", 2);
    add1(p, "0xa", "60", 1);
    add1(p, "0xc", "10", 2);
    gvt_result *r = analyse(p);
    const gvt_whales *w = &r->whales;
    assert_int_equal(w->voters, 4);
    assert_fx(w->top1_share, "0.6");
    assert_fx(w->top10_share, "1");
    assert_int_equal(w->nakamoto, 1);
    assert_fx(w->gini, "0.45");
    assert_fx(w->hhi, "4350");
    assert_true(w->single_voter_dominates);
    assert_int_equal(w->decisive_k, 1);
    assert_true(w->whale_veto);
    assert_int_equal(w->flips, 0);
    assert_int_equal(w->power.n, 4);
    assert_fx(w->power.banzhaf[0], "1");
    assert_fx(w->power.banzhaf[1], "0");
    assert_fx(w->power.banzhaf[3], "0");
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 2);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * basic For/Against/Abstain: For a 30, b 30, c 30; Against d 50; Abstain
 * f 100; W = 240. Token For 90 > Against 50 (Abstain cannot win).
 * Removing a (30): For 60 > 50; removing b too: For 30 < 50: decisive_k 2.
 * Sorted vp 100 50 30 30 30: nakamoto 2 (150 > 120); top1 100/240 = 5/12;
 * no domination (100 < 140).
 * gini: ascending 30 30 30 50 100, sum i w_i = 30+60+90+200+500 = 880,
 *   1760/1200 - 6/5 = 4/15.
 * hhi: (10000 + 2500 + 3 * 900) / 57600 * 10000 = 2638.8...
 * address: For 3, Against 1: For, as token: no veto.
 */
static void test_basic_decisive_two(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_BASIC, 3);
    add1(p, "0xf", "100", 3);
    add1(p, "0xc", "30", 1);
    add1(p, "0xb", "30", 1);
    add1(p, "0xd", "50", 2);
    add1(p, "0xa", "30", 1);
    gvt_result *r = analyse(p);
    const gvt_whales *w = &r->whales;
    assert_int_equal(w->voters, 5);
    assert_int_equal(w->nakamoto, 2);
    assert_fx(w->top1_share, "0.416666666666666666666666666666666666");
    assert_fx(w->top10_share, "1");
    assert_fx(w->gini, "0.266666666666666666666666666666666666");
    assert_fx(w->hhi, "2638.888888888888888888888888888888888888");
    assert_false(w->single_voter_dominates);
    assert_int_equal(w->decisive_k, 2);
    assert_false(w->whale_veto);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 2);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * approval A B C: a 10 approves A B, b 6 approves B, c 5 approves A C.
 * Token A 15, B 16, C 5: B wins. Supporters of B, largest first: a, b.
 * Without a: A 5, B 6, C 5: B still wins. Without b too: A 5, B 0, C 5:
 * the winner set {A, C} differs: decisive_k 2.
 */
static void test_approval(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_APPROVAL, 3);
    add(p, "0xa", "10", 2, (const uint32_t[]){1, 2}, NULL);
    add(p, "0xb", "6", 1, (const uint32_t[]){2}, NULL);
    add(p, "0xc", "5", 2, (const uint32_t[]){1, 3}, NULL);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 2);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 2);
    assert_int_equal(alt[0], 1);
    assert_int_equal(alt[1], 3);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * weighted A B: a 9 splits {A: 2, B: 1} (A 6, B 3); b 4 all on B.
 * Token A 6, B 7: B wins. Supporters of B: a (gives B a positive share, 9)
 * then b (4). Without a: A 0, B 4: B still wins. Without b too: nothing
 * left, no winner: decisive_k 2 (removing every supporter empties it).
 * address: A 2/3 + 0, B 1/3 + 1: B, as token.
 */
static void test_weighted(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_WEIGHTED, 2);
    add(p, "0xa", "9", 2, (const uint32_t[]){1, 2},
        (const char *const[]){"2", "1"});
    add(p, "0xb", "4", 1, (const uint32_t[]){2}, (const char *const[]){"1"});
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 2);
    assert_false(r->whales.whale_veto);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * ranked-choice A B C (generic path): a 40 ranks A B C, b 35 B C A,
 * c 25 C B A. Round 1: A 40, B 35, C 25 of 100, no majority; C out; round
 * 2: A 40, B 60: B wins. Supporters (rank B first): b only. Without b:
 * A 40, C 25 of 65: A has a majority: decisive_k 1.
 */
static void test_ranked(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_RANKED_CHOICE, 3);
    add(p, "0xa", "40", 3, (const uint32_t[]){1, 2, 3}, NULL);
    add(p, "0xb", "35", 3, (const uint32_t[]){2, 3, 1}, NULL);
    add(p, "0xc", "25", 3, (const uint32_t[]){3, 2, 1}, NULL);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 1);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 1);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * copeland A B C, the same ballots (incremental path): pairwise A-B 40:60,
 * A-C 40:60, B-C 75:25, so P = A 0, B 4, C 2: B wins. The only ballot
 * ranking B first is b; without it A-B 40:25, A-C 40:25, B-C 40:25: A wins
 * every pair. decisive_k 1, and A wins.
 */
static void test_copeland(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_COPELAND, 3);
    add(p, "0xa", "40", 3, (const uint32_t[]){1, 2, 3}, NULL);
    add(p, "0xb", "35", 3, (const uint32_t[]){2, 3, 1}, NULL);
    add(p, "0xc", "25", 3, (const uint32_t[]){3, 2, 1}, NULL);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 1);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 1);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * copeland needing two removals: a1 40 and a2 35 rank A B C, b 15 B C A,
 * c 10 C B A. A-B 75:25, A-C 75:25, B-C 90:10: A wins (P 4). Without a1:
 * A-B 35:25, A-C 35:25: A still wins. Without a2 too: A-B 0:25, A-C 0:25,
 * B-C 15:10: B wins (P 4). decisive_k 2, and B wins.
 */
static void test_copeland_two(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_COPELAND, 3);
    add(p, "0xa1", "40", 3, (const uint32_t[]){1, 2, 3}, NULL);
    add(p, "0xa2", "35", 3, (const uint32_t[]){1, 2, 3}, NULL);
    add(p, "0xb", "15", 3, (const uint32_t[]){2, 3, 1}, NULL);
    add(p, "0xc", "10", 3, (const uint32_t[]){3, 2, 1}, NULL);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 2);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 2);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * copeland where nobody decides: choices C1..C4, X = C4. a 30 [C1 X C2 C3],
 * b 30 [C2 X C3 C1], c 30 [C3 X C1 C2], d 10 [X C1 C2 C3]. X is everyone's
 * first or second choice: X beats C1 (b, c, d: 70 to 30), C2 (a, c, d) and
 * C3 (a, b, d): the Condorcet winner. Its only supporter (first rank) is d;
 * without d X still beats each of the others 60 to 30. decisive_k null,
 * and the verdict says so.
 */
static void test_copeland_null(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_COPELAND, 4);
    add(p, "0xa", "30", 4, (const uint32_t[]){1, 4, 2, 3}, NULL);
    add(p, "0xb", "30", 4, (const uint32_t[]){2, 4, 3, 1}, NULL);
    add(p, "0xc", "30", 4, (const uint32_t[]){3, 4, 1, 2}, NULL);
    add(p, "0xd", "10", 4, (const uint32_t[]){4, 1, 2, 3}, NULL);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, -1);
    assert_false(r->whales.whale_veto);
    gvt_buf head, more;
    gvt_buf_init(&head);
    gvt_buf_init(&more);
    gvt_verdict_style st = {"<", ">", "~", 1};
    gvt_report_verdict(r, &st, &head, &more);
    assert_string_equal(head.data, "Removing every wallet that backs the "
                                   "winner does not change the outcome: <C~> "
                                   "wins.");
    gvt_buf_free(&head);
    gvt_buf_free(&more);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * The generic search (full re-tallies), reached with many choices and
 * distinct rankings: 300 ballots ranking 128 choices (a fixed pseudo-random
 * sequence; 30 % put choice 1 first), so that 300 groups x 128^2 x about
 * 100 supporters exceed the grouped runoff's budget (2^28), while the
 * linear phase (2^24 / (300 x 128) = 436 values of k) covers every k. Expected:
 * the smallest k found here by brute force, re-tallying with gvt_rule_score
 * after each removal of the largest supporters (vp descending, address
 * ascending).
 */
static uint32_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

static int cmp_ballot_ptr(const void *a, const void *b)
{
    const gvt_ballot *x = *(const gvt_ballot *const *)a;
    const gvt_ballot *y = *(const gvt_ballot *const *)b;
    int c = mpz_cmp(y->vp, x->vp);
    return c ? c : strcmp(x->voter, y->voter);
}

static void test_ranked_generic(void **state)
{
    (void)state;
    enum { N = 300, C = 128 };
    gvt_proposal *p = mk(GVT_TYPE_RANKED_CHOICE, C);
    uint64_t seed = 42;
    for (int i = 0; i < N; i++) {
        uint32_t r[C];
        for (uint32_t k = 0; k < C; k++)
            r[k] = k + 1;
        for (uint32_t k = C - 1; k > 0; k--) { /* Fisher-Yates */
            uint32_t j = lcg(&seed) % (k + 1), t = r[k];
            r[k] = r[j];
            r[j] = t;
        }
        if (lcg(&seed) % 10 < 3)
            for (uint32_t k = 0; k < C; k++)
                if (r[k] == 1) {
                    r[k] = r[0];
                    r[0] = 1;
                }
        char voter[16], vp[16];
        snprintf(voter, sizeof voter, "0x%04d", i);
        snprintf(vp, sizeof vp, "%u", 1 + lcg(&seed) % 50);
        add(p, voter, vp, C, r, NULL);
    }
    gvt_result *r = analyse(p);

    /* Brute force. */
    const gvt_ballot *v[N];
    for (int i = 0; i < N; i++)
        v[i] = &p->ballots[i];
    qsort(v, N, sizeof *v, cmp_ballot_ptr);
    mpz_t scores[C];
    for (int c = 0; c < C; c++)
        mpz_init(scores[c]);
    gvt_unit *u = gvt_xcalloc(N, sizeof *u);
    uint32_t base[C], now[C];
    size_t n_base = 0;
    long want = -1;
    for (int k = 0; k <= N && want < 0; k++) {
        /* units: every ballot but the first k supporters of the base */
        size_t n = 0;
        int removed = 0;
        for (int i = 0; i < N; i++) {
            bool sup = false;
            for (size_t w = 0; k > 0 && w < n_base; w++)
                sup |= v[i]->choice->idx[0] + 1 == base[w] &&
                       mpz_sgn(v[i]->vp) > 0;
            if (sup && removed < k) {
                removed++;
                continue;
            }
            u[n].ballot = v[i];
            mpz_init_set(u[n].w, v[i]->vp);
            n++;
        }
        gvt_rule_score(GVT_TYPE_RANKED_CHOICE, C, u, n, scores, HAND_THREADS);
        size_t nw = gvt_winners(GVT_TYPE_RANKED_CHOICE, C, scores, now);
        for (size_t i = 0; i < n; i++)
            mpz_clear(u[i].w);
        if (k == 0) {
            memcpy(base, now, nw * sizeof *now);
            n_base = nw;
            continue;
        }
        if (removed < k)
            break; /* no supporters left: null */
        if (nw != n_base || memcmp(now, base, nw * sizeof *now) != 0)
            want = k;
    }
    free(u);
    for (int c = 0; c < C; c++)
        mpz_clear(scores[c]);
    assert_true(want > 1);
    assert_int_equal(r->whales.decisive_k, want);
    result_free(r);
    gvt_proposal_free(p);
}

/* No ballot: every metric zero, no winner, decisive_k null, no veto. */
static void test_empty(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    gvt_result *r = analyse(p);
    const gvt_whales *w = &r->whales;
    assert_int_equal(w->voters, 0);
    assert_int_equal(w->nakamoto, 0);
    assert_fx(w->gini, "0");
    assert_fx(w->hhi, "0");
    assert_int_equal(w->decisive_k, -1);
    assert_false(w->whale_veto);
    assert_int_equal(w->power.n, 0);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * Ballots that all carry vp 0: voters counted, shares and nakamoto 0, no
 * token winner; address has winners (A 1, B 1: a tie), hence a veto.
 */
static void test_zero_vp(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    add1(p, "0xa", "0", 1);
    add1(p, "0xb", "0", 2);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.voters, 2);
    assert_int_equal(r->whales.nakamoto, 0);
    assert_fx(r->whales.top1_share, "0");
    assert_int_equal(r->whales.decisive_k, -1);
    assert_true(r->whales.whale_veto);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * A tie between A and B (10 each) and a loser C (5): supporters of either
 * tied winner, largest first (address order on equal vp): a then b.
 * Without a: B alone wins: decisive_k 1.
 */
static void test_tie(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 3);
    add1(p, "0xb", "10", 2);
    add1(p, "0xa", "10", 1);
    add1(p, "0xc", "5", 3);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 1);
    uint32_t alt[3];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 2);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * Voters whose vp agree in their leading 55 bits (the sort's packed key):
 * x = 10^21 + 2e-18 (voter 0xz) and y = 10^21 + 1e-18 (voter 0xa) for A,
 * z = 10^21 + 1.5e-18 for B. Token: A. The largest supporter is x (exact
 * vp order, not the address): without it A has 10^21 + 1e-18 < B's
 * 10^21 + 1.5e-18, so decisive_k 1. Removing y first would leave A ahead
 * (decisive_k 2).
 */
static void test_sort_close_vp(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    add1(p, "0xa", "1000000000000000000000.000000000000000001", 1);
    add1(p, "0xz", "1000000000000000000000.000000000000000002", 1);
    add1(p, "0xb", "1000000000000000000000.0000000000000000015", 2);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 1);
    uint32_t alt[2];
    assert_int_equal(decisive_winners(r, alt), 1);
    assert_int_equal(alt[0], 2);
    result_free(r);
    gvt_proposal_free(p);
}

static int cmp_mpz_desc(const void *a, const void *b)
{
    return mpz_cmp(*(const mpz_t *)b, *(const mpz_t *)a);
}

/*
 * 700 voters with vp of many magnitudes (1 to 10^20, fractions down to
 * 10^-30) and repeated values, so that the radix sort uses several digits
 * and runs of equal keys. Checked against forms that need no sort:
 *   gini = sum_i sum_j |w_i - w_j| / (2 n W)  (the same rational as the
 *          rank form, so the same floor),
 *   nakamoto from an independent qsort of the values,
 *   top1 from the maximum.
 */
static void test_many_voters(void **state)
{
    (void)state;
    enum { N = 700 };
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    uint64_t seed = 12345;
    mpz_t *v = gvt_xmalloc(N * sizeof *v);
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned mant = (unsigned)(seed >> 33) % 1000 + 1;
        int e = (int)((seed >> 20) % 51) - 30; /* 10^-30 .. 10^20 */
        if (i % 7 == 3)
            mant = 5, e = 0; /* repeated vp */
        char text[64], voter[16];
        snprintf(text, sizeof text, "%ue%d", mant, e);
        snprintf(voter, sizeof voter, "0x%04d", (i * 37) % N);
        add1(p, voter, text, 1 + (uint32_t)(i % 2));
        mpz_init_set(v[i], p->ballots[i].vp);
    }
    gvt_result *r = analyse(p);
    const gvt_whales *w = &r->whales;

    mpz_t total, num, den, d, expect;
    mpz_inits(total, num, den, d, expect, NULL);
    for (int i = 0; i < N; i++)
        mpz_add(total, total, v[i]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            mpz_sub(d, v[i], v[j]);
            mpz_abs(d, d);
            mpz_add(num, num, d);
        }
    mpz_mul_ui(den, total, 2 * N);
    gvt_fx_ratio(expect, num, den);
    assert_int_equal(mpz_cmp(w->gini, expect), 0);

    qsort(v, N, sizeof *v, cmp_mpz_desc);
    gvt_fx_ratio(expect, v[0], total);
    assert_int_equal(mpz_cmp(w->top1_share, expect), 0);
    mpz_set_ui(num, 0);
    size_t k = 0;
    while (k < N) {
        mpz_add(num, num, v[k++]);
        mpz_mul_2exp(d, num, 1);
        if (mpz_cmp(d, total) > 0)
            break;
    }
    assert_int_equal(w->nakamoto, k);
    mpz_clears(total, num, den, d, expect, NULL);
    for (int i = 0; i < N; i++)
        mpz_clear(v[i]);
    free(v);
    result_free(r);
    gvt_proposal_free(p);
}

/* Unanimous: a 10 -> A. Without a nobody wins, a different winner set:
 * decisive_k 1. */
static void test_unanimous(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    add1(p, "0xa", "10", 1);
    gvt_result *r = analyse(p);
    assert_int_equal(r->whales.decisive_k, 1);
    assert_true(r->whales.single_voter_dominates);
    result_free(r);
    gvt_proposal_free(p);
}

/* flips: a scheme entry whose winners differ from token's sets its bit;
 * one that agrees does not. Token here: A (a 60 vs b 40). */
static void test_flips(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    add1(p, "0xa", "60", 1);
    add1(p, "0xb", "40", 2);
    gvt_result *r = result_new(p);
    add_scheme(r, GVT_SCHEME_SNAPSHOT, (const uint32_t[]){1}, 1);
    add_scheme(r, GVT_SCHEME_QUADRATIC, (const uint32_t[]){2}, 1);
    analysis_run(r);
    assert_int_equal(r->whales.flips, 1u << GVT_SCHEME_QUADRATIC);
    /* address: A 1, B 1: a tie {A, B} differs from {A}. */
    assert_true(r->whales.whale_veto);
    result_free(r);
    gvt_proposal_free(p);
}

/*
 * With attestations the headcount is personhood, not address. single-choice
 * A/B: 0xa 50 -> A, 0xb 1 -> B, 0xc 1 -> B, 0xd 1 -> A. Token: A 51, B 2.
 * Address: A 2, B 2, a tie: with no identity that would be a veto. Humans
 * (by hand): 0xa alone (weight 1), and 0xb + 0xc one person voting with 0xc
 * (weight 1); 0xd unverified. Personhood: A 1, B 1: {A, B} again a veto.
 * Then 0xb/0xc's weight 0.5: personhood A 1, B 0.5: A, as token: no veto.
 */
static void test_personhood_headcount(void **state)
{
    (void)state;
    gvt_proposal *p = mk(GVT_TYPE_SINGLE_CHOICE, 2);
    add1(p, "0xa", "50", 1);
    add1(p, "0xb", "1", 2);
    add1(p, "0xc", "1", 2);
    add1(p, "0xd", "1", 1);
    gvt_identity id;
    memset(&id, 0, sizeof id);
    gvt_human h[2];
    h[0].ballot = &p->ballots[0];
    mpz_init_set(h[0].weight, *gvt_fx_one());
    mpz_init_set(h[0].vp, p->ballots[0].vp);
    h[0].n_wallets = 1;
    h[1].ballot = &p->ballots[2];
    mpz_init_set(h[1].weight, *gvt_fx_one());
    mpz_init_set_ui(h[1].vp, 2);
    mpz_mul(h[1].vp, h[1].vp, *gvt_fx_one());
    h[1].n_wallets = 2;
    id.humans = h;
    id.n_humans = 2;
    id.verified_wallets = 3;
    id.unverified_wallets = 1;
    uint32_t human_of[4] = {0, 1, 1, UINT32_MAX};
    id.human_of = human_of;

    gvt_result *r = result_new(p);
    r->identity = &id;
    analysis_run(r);
    assert_true(r->whales.whale_veto);
    /* per human: holders 0xa 50, 0xb+0xc 2, 0xd 1 (W 53): nakamoto 1;
     * the largest human votes from one wallet; without 0xa (the largest
     * holder backing A) B wins 2 to 1: decisive_k 1 */
    assert_non_null(r->whales.humans);
    assert_int_equal(r->whales.humans->voters, 3);
    assert_int_equal(r->whales.humans->nakamoto, 1);
    assert_int_equal(r->whales.humans->largest_wallets, 1);
    assert_int_equal(r->whales.humans->decisive_k, 1);
    uint32_t w[2];
    assert_int_equal(head_winners(r, w), 2);

    mpz_tdiv_q_2exp(h[1].weight, h[1].weight, 1); /* 0.5 */
    analysis_run(r);
    assert_false(r->whales.whale_veto);
    assert_int_equal(head_winners(r, w), 1);
    assert_int_equal(w[0], 1);
    r->identity = NULL; /* on the stack */
    result_free(r);
    for (int i = 0; i < 2; i++)
        mpz_clears(h[i].weight, h[i].vp, NULL);
    gvt_proposal_free(p);
}

/* test_weighted, test_ranked_generic and test_many_voters with every
 * split of gvt_par_worth taken (gvt_par_force_for_tests: weighted's token
 * and headcount passes in two halves, re-tallies split): the same
 * expectations. */
static void test_weighted_two_threads(void **state)
{
    gvt_par_force_for_tests(1);
    test_weighted(state);
    test_ranked_generic(state);
    test_many_voters(state);
    gvt_par_force_for_tests(-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_whale),
        cmocka_unit_test(test_basic_decisive_two),
        cmocka_unit_test(test_approval),
        cmocka_unit_test(test_weighted),
        cmocka_unit_test(test_weighted_two_threads),
        cmocka_unit_test(test_ranked),
        cmocka_unit_test(test_copeland),
        cmocka_unit_test(test_copeland_two),
        cmocka_unit_test(test_copeland_null),
        cmocka_unit_test(test_ranked_generic),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_zero_vp),
        cmocka_unit_test(test_tie),
        cmocka_unit_test(test_sort_close_vp),
        cmocka_unit_test(test_many_voters),
        cmocka_unit_test(test_unanimous),
        cmocka_unit_test(test_flips),
        cmocka_unit_test(test_personhood_headcount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
