/*
 * test_holders.c: hidden whales (tally/whales/holders.c,
 * docs/analysis.md#humans): the whale figures per human on hand-built
 * proposals and identities, against direct computations here: the holders'
 * concentration from their summed vp (exact rationals), and decisive_k per
 * human by brute force (the largest supporting holders removed, wallet by
 * wallet, and the proposal re-scored by the rules). Seeded random
 * proposals of single-choice, approval, weighted (the state search by
 * steps) and ranked-choice (the re-tallies), humans whose wallets vote
 * differently, unverified wallets, ties and zero vp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hand_ballots.h"

/* An identity by hand: wallet b belongs to human of[b] (-1: unverified). */
static gvt_identity *identity_of(const gvt_proposal *p, const int *of,
                                 size_t n_humans)
{
    gvt_identity *id = gvt_xcalloc(1, sizeof *id);
    id->humans = gvt_xcalloc(n_humans + 1, sizeof *id->humans);
    id->human_of = gvt_xmalloc((p->n_ballots + 1) * sizeof *id->human_of);
    for (size_t h = 0; h < n_humans; h++) {
        mpz_init(id->humans[h].vp);
        mpz_init_set(id->humans[h].weight, *gvt_fx_one());
    }
    for (size_t b = 0; b < p->n_ballots; b++) {
        id->human_of[b] = of[b] < 0 ? UINT32_MAX : (uint32_t)of[b];
        if (of[b] < 0) {
            id->unverified_wallets++;
            continue;
        }
        gvt_human *h = &id->humans[of[b]];
        mpz_add(h->vp, h->vp, p->ballots[b].vp);
        h->n_wallets++;
        if (!h->ballot || p->ballots[b].created > h->ballot->created)
            h->ballot = &p->ballots[b];
        id->verified_wallets++;
    }
    id->n_humans = n_humans;
    return id;
}

/* The token winners of the ballots not removed, by the rules. */
static size_t winners_without(const gvt_proposal *p, const bool *gone,
                              uint32_t *w)
{
    gvt_unit *u = gvt_xmalloc((p->n_ballots + 1) * sizeof *u);
    size_t n = 0;
    for (size_t b = 0; b < p->n_ballots; b++) {
        if (gone[b])
            continue;
        u[n].ballot = &p->ballots[b];
        mpz_init_set(u[n].w, p->ballots[b].vp);
        n++;
    }
    gvt_type rule = gvt_scheme_rule(GVT_SCHEME_TOKEN, p->type);
    mpz_t *s = hand_scores(p->n_choices);
    gvt_rule_score(rule, p->n_choices, u, n, s, 1);
    size_t nw = gvt_winners(rule, p->n_choices, s, w);
    for (size_t i = 1; i < nw; i++) /* ascending */
        for (size_t j = i; j > 0 && w[j] < w[j - 1]; j--) {
            uint32_t t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    hand_scores_free(s, p->n_choices);
    for (size_t i = 0; i < n; i++)
        mpz_clear(u[i].w);
    free(u);
    return nw;
}

/* Does ballot b give a token winner a positive share (docs/analysis.md)? */
static bool supports(const gvt_proposal *p, const gvt_ballot *b,
                     const uint32_t *w, size_t nw)
{
    if (!b->choice || !b->choice->n || mpz_sgn(b->vp) <= 0)
        return false;
    size_t m = p->type == GVT_TYPE_RANKED_CHOICE ? 1 : b->choice->n;
    for (size_t k = 0; k < m; k++)
        for (size_t j = 0; j < nw; j++)
            if (b->choice->idx[k] + 1 == w[j] &&
                (!b->choice->w || mpz_sgn(b->choice->w[k]) > 0))
                return true;
    return false;
}

typedef struct hold {
    const char *name;
    mpz_srcptr vp;
    int human; /* -1: the wallet `wallet` */
    size_t wallet;
} hold;

static int cmp_hold(const void *x, const void *y)
{
    const hold *a = x, *b = y;
    int c = mpz_cmp(b->vp, a->vp);
    return c ? c : strcmp(a->name, b->name);
}

/* decisive_k per human by brute force. */
static long brute_decisive(const gvt_proposal *p, const gvt_identity *id,
                           const int *of, hold *hs, size_t nh)
{
    uint32_t base[8], now[8];
    bool *gone = gvt_xcalloc(p->n_ballots + 1, sizeof *gone);
    size_t nb = winners_without(p, gone, base);
    if (nb == 0) {
        free(gone);
        return -1;
    }
    long k = 0;
    for (size_t i = 0; i < nh; i++) {
        bool sup = false;
        for (size_t b = 0; b < p->n_ballots; b++) {
            bool mine =
                hs[i].human >= 0 ? of[b] == hs[i].human : b == hs[i].wallet;
            sup = sup || (mine && supports(p, &p->ballots[b], base, nb));
        }
        if (!sup)
            continue;
        k++;
        for (size_t b = 0; b < p->n_ballots; b++)
            if (hs[i].human >= 0 ? of[b] == hs[i].human : b == hs[i].wallet)
                gone[b] = gone[b] || mpz_sgn(p->ballots[b].vp) > 0;
        size_t nn = winners_without(p, gone, now);
        bool same = nn == nb;
        for (size_t j = 0; same && j < nn; j++)
            same = now[j] == base[j];
        if (!same) {
            free(gone);
            return k;
        }
    }
    (void)id;
    free(gone);
    return -1;
}

static const char *const rankings[] = {"1,2,3", "2,1,3", "3,2,1",
                                       "1,3,2", "2,3,1", "3,1,2"};

static void test_random_holders(void **state)
{
    (void)state;
    uint64_t seed = 20261207;
    printf("test_random_holders: seed %llu\n", (unsigned long long)seed);
    const gvt_type types[] = {GVT_TYPE_SINGLE_CHOICE, GVT_TYPE_APPROVAL,
                              GVT_TYPE_WEIGHTED, GVT_TYPE_RANKED_CHOICE};
    int nontrivial = 0;
    for (int trial = 0; trial < 160; trial++) {
        gvt_type type = types[trial % 4];
        gvt_proposal *p = hand_proposal(type, 3);
        size_t n = 2 + hand_rng_below(&seed, 12);
        size_t n_humans = 1 + hand_rng_below(&seed, 4);
        int of[16];
        for (size_t b = 0; b < n; b++) {
            char addr[43], vp[16], choice[16];
            hand_address(addr, b + 1);
            snprintf(vp, sizeof vp, "%u", hand_rng_below(&seed, 8));
            uint32_t c = hand_rng_below(&seed, 3) + 1;
            if (type == GVT_TYPE_APPROVAL)
                snprintf(choice, sizeof choice, "%u,%u", c, c % 3 + 1);
            else if (type == GVT_TYPE_WEIGHTED)
                snprintf(choice, sizeof choice, "%u:1,%u:%u", c, c % 3 + 1,
                         hand_rng_below(&seed, 3));
            else if (type == GVT_TYPE_RANKED_CHOICE)
                snprintf(choice, sizeof choice, "%s",
                         rankings[hand_rng_below(&seed, 6)]);
            else
                snprintf(choice, sizeof choice, "%u", c);
            size_t k = hand_ballot(p, addr, vp, choice);
            p->ballots[k].created = (int64_t)b;
            of[b] = (int)hand_rng_below(&seed, (uint32_t)n_humans + 2) - 2;
            if (of[b] < -1)
                of[b] = -1;
        }
        /* humans without a wallet do not exist: renumber */
        int map[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
        size_t nh = 0;
        for (size_t b = 0; b < n; b++)
            if (of[b] >= 0) {
                if (map[of[b]] < 0)
                    map[of[b]] = (int)nh++;
                of[b] = map[of[b]];
            }
        gvt_identity *id = identity_of(p, of, nh);
        gvt_result *r = gvt_xcalloc(1, sizeof *r);
        r->p = p;
        mpz_init(r->cap);
        gvt_whales_init(&r->whales);
        r->identity = id;
        gvt_wallet_state ws;
        memset(&ws, 0, sizeof ws);
        gvt_whales_input in = {p, r->schemes, 0, id, r->cap, &ws, 1, false};
        gvt_whales_run(&in, &r->whales);
        gvt_wallet_state_free(&ws, p->n_choices);
        const gvt_whales *h = r->whales.humans;
        assert_non_null(h);

        /* the holders, their order and figures */
        hold hs[16];
        size_t nhold = 0;
        for (size_t i = 0; i < nh; i++)
            hs[nhold++] = (hold){id->humans[i].ballot->voter, id->humans[i].vp,
                                 (int)i, 0};
        for (size_t b = 0; b < n; b++)
            if (of[b] < 0)
                hs[nhold++] =
                    (hold){p->ballots[b].voter, p->ballots[b].vp, -1, b};
        qsort(hs, nhold, sizeof *hs, cmp_hold);
        assert_int_equal(h->voters, nhold);
        mpz_t total, acc;
        mpz_inits(total, acc, NULL);
        for (size_t i = 0; i < nhold; i++)
            mpz_add(total, total, hs[i].vp);
        if (mpz_sgn(total) > 0) {
            size_t naka = 0;
            for (size_t i = 0; i < nhold && !naka; i++) {
                mpz_add(acc, acc, hs[i].vp);
                mpz_mul_2exp(acc, acc, 1);
                if (mpz_cmp(acc, total) > 0)
                    naka = i + 1;
                mpz_fdiv_q_2exp(acc, acc, 1);
            }
            assert_int_equal(h->nakamoto, naka);
            mpz_t want;
            mpz_init(want);
            gvt_fx_ratio(want, hs[0].vp, total);
            assert_int_equal(mpz_cmp(h->top1_share, want), 0);
            mpz_clear(want);
            for (size_t i = 0; i < nhold; i++)
                if (hs[i].human >= 0) {
                    assert_int_equal(h->largest_wallets,
                                     id->humans[hs[i].human].n_wallets);
                    break;
                }
        }
        long want_k = brute_decisive(p, id, of, hs, nhold);
        if (h->decisive_k != want_k)
            fprintf(stderr,
                    "trial %d type %s: decisive_k per human %ld, "
                    "brute force %ld\n",
                    trial, gvt_type_name(type), h->decisive_k, want_k);
        assert_int_equal(h->decisive_k, want_k);
        nontrivial += want_k > 1;
        mpz_clears(total, acc, NULL);
        gvt_whales_clear(&r->whales);
        mpz_clear(r->cap);
        free(r);
        gvt_identity_free(id);
        gvt_proposal_free(p);
    }
    printf("test_random_holders: %d with decisive_k per human above 1\n",
           nontrivial);
    assert_true(nontrivial > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_holders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
