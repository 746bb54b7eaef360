/*
 * power.c: power indices of the largest voters
 * (docs/analysis.md#power-indices): the absolute Banzhaf index and the
 * Shapley-Shubik index, each voter's chance of being pivotal in the two-way
 * decision the proposal comes down to: every counted voter throws its whole vp
 * to one side, and a side wins with more than half of the counted vp (W / 2,
 * the quota q).
 *
 * The interface takes the voters' weights in descending order (the first
 * GVT_POWER_NEED at least, or all) and their total: wh_power_run computes
 * the Banzhaf index of the first GVT_BANZHAF_PLAYERS and keeps the leading
 * weights, from which gvt_whales_shapley computes the Shapley-Shubik index
 * when a report asks for it (a replay, which shows neither, pays nothing
 * for it); wallets and humans alike, bounded in cost whatever the number of
 * voters.
 *
 * Banzhaf: weights floored to units of W / GVT_BANZHAF_RESOLUTION, voters
 * below one unit dummies, coalitions counted exactly over the integer
 * weights in fixed-width limbs, each indexed voter taken out of the counts
 * of all by their prefix sums.
 *
 * Shapley-Shubik, with a proved error bound: the m <= GVT_SS_MAJORS largest
 * voters of at least one unit of W / R (R a power of two from 2048 to 16384,
 * the largest with m^2 R / 2 <= GVT_SS_WORK) are the majors; weight a_j =
 * floor(v_j R / W), residual r_j = v_j - a_j W / R in [0, W / R). For voter
 * i, its predecessors among the majors in a random order have exactly the
 * Shapley-Shubik distribution of the majors' game (the minors' places
 * interleave uniformly and drop out). The sets of the other majors are
 * counted by size s and floored weight A, each cell with the least and the
 * greatest sum of its sets' residuals (bounded outward at W / (R 2^16)), so
 * that every set of a cell weighs between A W / R + its least residuals and
 * A W / R + its greatest residuals + T_i (the minors but i, all or none of
 * them before i). A cell whose every set is pivotal for i counts toward L_i,
 * one with some set that may be toward U_i, each set weighing s! (m' - 1 -
 * s)! / m'! (m' the majors with i): L_i <= SS_i <= U_i exactly. The index
 * given is (L_i + U_i) / 2 and its error bound (U_i - L_i) / 2, raised by
 * the truncation of the printed figure: |SS_i - index| <= error. Counts fit
 * 64 bits (C(64, 32) < 2^61); the weighted sums are GMP integers. Cost: the
 * sets of the majors not asked about once, then per voter asked about the
 * others added: at most 3 (m^2 R / 2 + 10 m R / 2) steps, about 2 x 10^7,
 * tens of milliseconds, and only when a report asks.
 */
#include "whales/parts.h"

/* ---- Banzhaf ------------------------------------------------------------- */

/*
 * Coalition counts as fixed-width numbers of l limbs each, one row per
 * coalition weight s = 0..half: counts[s] is the number of coalitions of
 * the players added so far whose quantised weight is s. Only weights up to
 * half = floor(sum / 2) are ever read (a pivotal coalition weighs at most
 * half), so rows past half are never kept. Counts of p players are at most
 * 2^p: p / 64 + 1 limbs.
 */

/* a += b over l limbs, the carry out dropped (it is 0: see the widths);
 * inline, since most rows are one to three limbs. */
static inline void row_add(mp_limb_t *a, const mp_limb_t *b, size_t l)
{
    mp_limb_t carry = 0;
    for (size_t k = 0; k < l; k++) {
        mp_limb_t x = a[k] + carry;
        carry = x < carry;
        x += b[k];
        carry += x < b[k];
        a[k] = x;
    }
}

/* counts[s] += counts[s - q], descending so the player counts once. */
static void add_player(mp_limb_t *counts, size_t width, size_t hi, size_t q,
                       size_t l)
{
    if (q == 0 || q > hi)
        return;
    if (width == 1) {
        for (size_t s = hi; s >= q; s--)
            counts[s] += counts[s - q];
        return;
    }
    if (l > 4) {
        for (size_t s = hi; s >= q; s--)
            mpn_add_n(counts + s * width, counts + s * width,
                      counts + (s - q) * width, (mp_size_t)l);
        return;
    }
    for (size_t s = hi; s >= q; s--)
        row_add(counts + s * width, counts + (s - q) * width, l);
}

/*
 * The swings of a player of weight q, from the prefix sums P[s] of the
 * counts c over every player (all arithmetic modulo 2^(64 width), which
 * holds the exact answer: it is below 2^players). The counts without the
 * player, c', satisfy c[s] = c'[s] + c'[s - q] (the player is in the
 * coalition or not), so c'[s] = sum_k (-1)^k c[s - kq]. The player swings a
 * coalition of weight s when 2s <= sum < 2(s + q), i.e. lo <= s <= half;
 * summed over that window, the swings are the alternating sum over k of
 * the block sums of c over [lo - kq, half - kq]: P[half - kq] -
 * P[lo - kq - 1]. About 2 half / q row operations.
 */
static void player_swings(const mp_limb_t *P, size_t width, size_t half,
                          size_t sum, size_t q, mp_limb_t *acc)
{
    size_t lo = 2 * q > sum ? 0 : (sum - 2 * q) / 2 + 1;
    mp_size_t w = (mp_size_t)width;
    memset(acc, 0, width * sizeof *acc);
    for (size_t k = 0, d = 0; d <= half; k++, d += q) {
        const mp_limb_t *b = P + (half - d) * width;
        const mp_limb_t *a = lo > d ? P + (lo - d - 1) * width : NULL;
        if (width == 1) {
            mp_limb_t term = b[0] - (a ? a[0] : 0);
            acc[0] = k % 2 ? acc[0] - term : acc[0] + term;
            continue;
        }
        if (k % 2 == 0) {
            mpn_add_n(acc, acc, b, w);
            if (a)
                mpn_sub_n(acc, acc, a, w);
        } else {
            mpn_sub_n(acc, acc, b, w);
            if (a)
                mpn_add_n(acc, acc, a, w);
        }
    }
}

/*
 * The absolute Banzhaf index of the largest voters: the probability that
 * voter i turns a losing coalition into a winning one when every other
 * voter joins independently with probability 1/2, a coalition winning when
 * its vp exceeds half the counted vp. Weights are floored to units of
 * W / GVT_BANZHAF_RESOLUTION; voters below one unit are dummies at that
 * resolution and leave every index unchanged. Counting coalitions is exact:
 * one pass adds every player to the counts (O(p * sum / 2) limb additions
 * for p players above one unit), then each indexed voter is taken out again
 * from their prefix sums (O(sum / q) for a weight q).
 */
static void banzhaf(gvt_power *w, mpz_srcptr const *v, size_t n,
                    mpz_srcptr total)
{
    mpz_t t;
    mpz_init(t);
    size_t top = n < GVT_BANZHAF_PLAYERS ? n : GVT_BANZHAF_PLAYERS;
    /* q[i] for the players, 0 past them (room for at least top). */
    size_t *q = gvt_xcalloc(n + GVT_BANZHAF_PLAYERS, sizeof *q);
    size_t sum = 0, players = 0;
    /* v is in descending vp: past the first voter below one unit, every
     * weight is 0. */
    for (size_t i = 0; i < n; i++) {
        mpz_mul_ui(t, v[i], GVT_BANZHAF_RESOLUTION);
        mpz_fdiv_q(t, t, total);
        size_t qi = (size_t)mpz_get_ui(t);
        if (qi == 0)
            break;
        q[i] = qi;
        sum += q[i];
        players++;
    }
    size_t half = sum / 2;
    size_t width = players / 64 + 1;
    mp_limb_t *all = gvt_xcalloc((half + 1) * width, sizeof *all);
    mp_limb_t *acc = gvt_xmalloc(width * sizeof *acc);
    all[0] = 1;
    size_t part = 0;
    for (size_t j = 0; j < players; j++) {
        part += q[j];
        add_player(all, width, part < half ? part : half, q[j],
                   (j + 1) / 64 + 1);
    }
    /* prefix sums in place, modulo 2^(64 width) (see player_swings) */
    for (size_t s = 1; s <= half; s++) {
        if (width == 1)
            all[s] += all[s - 1];
        else
            mpn_add_n(all + s * width, all + s * width, all + (s - 1) * width,
                      (mp_size_t)width);
    }
    mpz_t denom;
    mpz_init(denom);
    if (players)
        mpz_setbit(denom, players - 1);
    for (size_t i = 0; i < top; i++) {
        if (q[i] == 0)
            continue;
        player_swings(all, width, half, sum, q[i], acc);
        mpz_import(t, width, -1, sizeof *acc, 0, 0, acc);
        gvt_fx_ratio(w->banzhaf[i], t, denom);
    }
    free(all);
    free(acc);
    free(q);
    mpz_clears(denom, t, NULL);
}

/* ---- Shapley-Shubik ------------------------------------------------------ */

/* Residuals are counted in units of W / (R 2^16): floored and ceiled per
 * major, so the sums of a cell bound its sets' true residuals. */
#define SS_SUB 16
#define SS_EMPTY INT64_MAX

/*
 * The game of the majors: m players of floored weights a[] and residual
 * bounds rlo[], rhi[] (units of W / (R 2^16)), and per cell (s, A), the
 * sets of s majors of floored weight A <= amax: their number and the least
 * and greatest sum of their residual bounds. base holds the sets of the
 * majors that are not reported (the first t are), work the sets of every
 * major but the one voter asked about.
 */
typedef struct ss_tab {
    uint64_t *cnt;
    int64_t *mn, *mx;
    size_t *lo, *hi; /* per size s, the weights of its non-empty cells */
} ss_tab;

typedef struct ss_game {
    size_t m, t, amax;
    unsigned long r;
    size_t *a;
    int64_t *rlo, *rhi;
    ss_tab base, work;
    mpz_t *fact; /* 0! .. (m + 1)! */
} ss_game;

#define AT(g, s, A) ((s) * ((g)->amax + 1) + (A))

static void tab_alloc(ss_tab *x, size_t rows, size_t cells)
{
    x->cnt = gvt_xmalloc(cells * sizeof *x->cnt);
    x->mn = gvt_xmalloc(cells * sizeof *x->mn);
    x->mx = gvt_xmalloc(cells * sizeof *x->mx);
    x->lo = gvt_xmalloc(rows * sizeof *x->lo);
    x->hi = gvt_xmalloc(rows * sizeof *x->hi);
}

static void tab_free(ss_tab *x)
{
    free(x->cnt);
    free(x->mn);
    free(x->mx);
    free(x->lo);
    free(x->hi);
}

/* The empty set only. Only the cells of a row's range [lo, hi] are ever
 * written or read: the rest of the table is never touched (nor faulted in,
 * nor copied). */
static void tab_start(const ss_game *g, ss_tab *x)
{
    x->cnt[0] = 1;
    x->mn[0] = x->mx[0] = 0;
    for (size_t s = 0; s <= g->m; s++) {
        x->lo[s] = s == 0 ? 0 : 1; /* lo > hi: no set of that size yet */
        x->hi[s] = 0;
    }
}

/* Cells from..to of size s: no set. */
static void cells_clear(const ss_game *g, ss_tab *x, size_t s, size_t from,
                        size_t to)
{
    for (size_t A = from; A <= to; A++) {
        size_t k = AT(g, s, A);
        x->cnt[k] = 0;
        x->mn[k] = SS_EMPTY;
        x->mx[k] = -1;
    }
}

/* Size s's range grown to cover lo..hi, the cells it gains cleared. */
static void row_widen(const ss_game *g, ss_tab *x, size_t s, size_t lo,
                      size_t hi)
{
    if (x->lo[s] > x->hi[s]) {
        cells_clear(g, x, s, lo, hi);
        x->lo[s] = lo;
        x->hi[s] = hi;
        return;
    }
    if (lo < x->lo[s]) {
        cells_clear(g, x, s, lo, x->lo[s] - 1);
        x->lo[s] = lo;
    }
    if (hi > x->hi[s]) {
        cells_clear(g, x, s, x->hi[s] + 1, hi);
        x->hi[s] = hi;
    }
}

/* Adds major j to the sets of x, which hold `had` majors so far. Each
 * size s is visited only over the weights its sets can have, those of
 * size s - 1 shifted by a_j (the other cells are empty and stay so): with
 * few distinct weights that is a few cells instead of the whole row. */
static void tab_add(const ss_game *g, ss_tab *x, size_t j, size_t had)
{
    size_t aj = g->a[j];
    for (size_t s = had + 1; s >= 1; s--) {
        if (x->lo[s - 1] > x->hi[s - 1] || x->lo[s - 1] + aj > g->amax)
            continue;
        size_t lo = x->lo[s - 1] + aj, hi = x->hi[s - 1] + aj;
        if (hi > g->amax)
            hi = g->amax;
        row_widen(g, x, s, lo, hi);
        for (size_t A = lo; A <= hi; A++) { /* aj >= 1: row s - 1 unchanged */
            size_t from = AT(g, s - 1, A - aj), to = AT(g, s, A);
            if (!x->cnt[from])
                continue;
            x->cnt[to] += x->cnt[from]; /* at most C(64, s): fits */
            if (x->mn[from] + g->rlo[j] < x->mn[to])
                x->mn[to] = x->mn[from] + g->rlo[j];
            if (x->mx[from] + g->rhi[j] > x->mx[to])
                x->mx[to] = x->mx[from] + g->rhi[j];
        }
    }
}

/* The resolution and the majors (the largest voters of at least one unit,
 * at most GVT_SS_MAJORS), within the work bound; the residual bounds, and
 * the sets of the majors beyond the first t (those asked about). */
static void ss_setup(ss_game *g, mpz_srcptr const *v, size_t n,
                     mpz_srcptr total, size_t t)
{
    memset(g, 0, sizeof *g);
    size_t cap = n < GVT_SS_MAJORS ? n : GVT_SS_MAJORS;
    g->r = GVT_SS_RESOLUTION;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    for (;;) {
        g->m = 0;
        for (size_t i = 0; i < cap; i++) {
            mpz_mul_ui(x, v[i], g->r);
            mpz_fdiv_q(x, x, total);
            if (mpz_sgn(x) == 0)
                break;
            g->m++;
        }
        if (g->r <= GVT_SS_RESOLUTION_MIN ||
            (unsigned long)g->m * g->m * (g->r / 2) <= GVT_SS_WORK)
            break;
        g->r /= 2;
    }
    g->t = t < g->m ? t : g->m;
    g->amax = g->r / 2;
    g->a = gvt_xcalloc(g->m + 1, sizeof *g->a);
    g->rlo = gvt_xcalloc(g->m + 1, sizeof *g->rlo);
    g->rhi = gvt_xcalloc(g->m + 1, sizeof *g->rhi);
    for (size_t i = 0; i < g->m; i++) {
        mpz_mul_ui(x, v[i], g->r);
        mpz_fdiv_qr(x, y, x, total); /* a = floor(v R / W), y = r R */
        g->a[i] = (size_t)mpz_get_ui(x);
        mpz_mul_2exp(y, y, SS_SUB); /* r / (W / (R 2^16)) = y 2^16 / W */
        mpz_fdiv_q(x, y, total);
        g->rlo[i] = (int64_t)mpz_get_si(x);
        mpz_cdiv_q(x, y, total);
        g->rhi[i] = (int64_t)mpz_get_si(x);
    }
    mpz_clears(x, y, NULL);
    size_t cells = (g->m + 1) * (g->amax + 1);
    tab_alloc(&g->base, g->m + 1, cells);
    tab_alloc(&g->work, g->m + 1, cells);
    tab_start(g, &g->base);
    for (size_t j = g->t; j < g->m; j++)
        tab_add(g, &g->base, j, j - g->t);
    g->fact = gvt_xmalloc((g->m + 2) * sizeof *g->fact);
    mpz_init_set_ui(g->fact[0], 1);
    for (size_t k = 1; k <= g->m + 1; k++) {
        mpz_init(g->fact[k]);
        mpz_mul_ui(g->fact[k], g->fact[k - 1], k);
    }
}

static void ss_free(ss_game *g)
{
    for (size_t k = 0; g->fact && k <= g->m + 1; k++)
        mpz_clear(g->fact[k]);
    free(g->fact);
    free(g->a);
    free(g->rlo);
    free(g->rhi);
    tab_free(&g->base);
    tab_free(&g->work);
}

/* x as a count of units of W / (R 2^16): floor (up false) or ceil. */
static int64_t in_units(const ss_game *g, mpz_srcptr x, mpz_srcptr total,
                        bool up, mpz_t t)
{
    mpz_mul_ui(t, x, g->r);
    mpz_mul_2exp(t, t, SS_SUB);
    if (up)
        mpz_cdiv_q(t, t, total);
    else
        mpz_fdiv_q(t, t, total);
    /* at most W in these units: R 2^16 <= 2^30 */
    return mpz_cmp_ui(t, 1UL << 40) > 0 ? (int64_t)1 << 40
                                        : (int64_t)mpz_get_si(t);
}

static int cmp_mpz(const void *x, const void *y)
{
    return mpz_cmp(*(const mpz_t *)x, *(const mpz_t *)y);
}

/* floor(num / den) as an A bound: -1 for anything below 0. */
static long a_bound(const mpz_t num, const mpz_t den, mpz_t t)
{
    mpz_fdiv_q(t, num, den);
    if (mpz_sgn(t) < 0)
        return -1;
    return mpz_cmp_ui(t, 1UL << 30) > 0 ? 1L << 30 : (long)mpz_get_si(t);
}

/*
 * The exact bounds by size (no rounding): a set of s majors but i of
 * floored weight A has residuals between lo_s and hi_s, the sums of the s
 * smallest and the s largest of them. At scale R and over 2W (q = W / 2;
 * A W / R <= y iff A <= floor(y R / W), A W / R > y iff A > floor(y R / W)):
 *   certain:  A in (floor((W R - 2 v_i R - 2 lo_s) / 2W),
 *                   floor((W R - 2 hi_s - 2 T_i R) / 2W)]
 *   possible: A in (floor((W R - 2 v_i R - 2 hi_s - 2 T_i R) / 2W),
 *                   floor((W R - 2 lo_s) / 2W)]
 * into lim[4 s .. 4 s + 3] (certain low, high, possible low, high).
 */
static void size_bounds(const ss_game *g, mpz_srcptr const *v, size_t i,
                        mpz_srcptr total, const mpz_t tm, size_t mp, long *lim)
{
    mpz_t *res = gvt_xmalloc((g->m + 1) * sizeof *res);
    size_t nr = 0;
    mpz_t wr, vr, tr, den, x, lo, hi, t;
    mpz_inits(wr, vr, tr, den, x, lo, hi, t, NULL);
    mpz_mul_ui(wr, total, g->r);
    mpz_mul_ui(vr, v[i], 2 * g->r);
    mpz_mul_ui(tr, tm, 2 * g->r);
    for (size_t j = 0; j < g->m; j++) {
        if (j == i)
            continue;
        mpz_init(res[nr]);
        mpz_mul_ui(res[nr], v[j], g->r);
        mpz_submul_ui(res[nr], total, (unsigned long)g->a[j]);
        nr++;
    }
    qsort(res, nr, sizeof *res, cmp_mpz);
    mpz_mul_2exp(den, total, 1);
    for (size_t s = 0; s + 1 <= mp; s++) {
        if (s > 0) {
            mpz_add(lo, lo, res[s - 1]);
            mpz_add(hi, hi, res[nr - s]);
        }
        mpz_sub(x, wr, vr);
        mpz_submul_ui(x, lo, 2);
        lim[4 * s] = a_bound(x, den, t);
        mpz_sub(x, wr, tr);
        mpz_submul_ui(x, hi, 2);
        lim[4 * s + 1] = a_bound(x, den, t);
        mpz_sub(x, wr, vr);
        mpz_sub(x, x, tr);
        mpz_submul_ui(x, hi, 2);
        lim[4 * s + 2] = a_bound(x, den, t);
        mpz_set(x, wr);
        mpz_submul_ui(x, lo, 2);
        lim[4 * s + 3] = a_bound(x, den, t);
    }
    for (size_t j = 0; j < nr; j++)
        mpz_clear(res[j]);
    free(res);
    mpz_clears(wr, vr, tr, den, x, lo, hi, t, NULL);
}

/*
 * Voter i's bounds L and U. Two valid judgements of each cell (s, A) of
 * the sets of the other majors, the minors but i (T_i) counted as anything
 * from none to all of them before i:
 *   - by size, exact: size_bounds;
 *   - by cell, from the cell's least and greatest residuals in units of
 *     W / (R 2^16) (bounded outward), the quota Q = R 2^15 exactly:
 *       certain:  A 2^16 + mx + ceil(T_i) <= Q, A 2^16 + mn + floor(v_i) > Q
 *       possible: A 2^16 + mn <= Q, A 2^16 + mx + ceil(T_i) + ceil(v_i) > Q
 * A cell counts toward L when either judges every set of it pivotal, and
 * toward U when both let some set be. Each set weighs s! (m' - 1 - s)! /
 * m'! (m' the majors with i). The index is (L + U) / 2 at 10^-36; the
 * error (U - L) / 2 rounded up at 10^-18, plus 10^-18 when the index's
 * 18-digit text falls short of the middle.
 */
static void ss_voter(ss_game *g, mpz_srcptr const *v, size_t i,
                     mpz_srcptr total, mpz_t out, mpz_t err)
{
    bool major = i < g->m;
    size_t mp = major ? g->m : g->m + 1;
    ss_tab *x = &g->work;
    for (size_t s = 0; s <= g->m; s++) { /* the base's ranges */
        x->lo[s] = g->base.lo[s];
        x->hi[s] = g->base.hi[s];
        if (x->lo[s] > x->hi[s])
            continue;
        size_t k = AT(g, s, x->lo[s]), w = x->hi[s] - x->lo[s] + 1;
        memcpy(x->cnt + k, g->base.cnt + k, w * sizeof *x->cnt);
        memcpy(x->mn + k, g->base.mn + k, w * sizeof *x->mn);
        memcpy(x->mx + k, g->base.mx + k, w * sizeof *x->mx);
    }
    size_t had = g->m - g->t;
    for (size_t j = 0; j < g->t; j++)
        if (j != i)
            tab_add(g, x, j, had++);
    mpz_t t, tm, lsum, usum, den;
    mpz_inits(t, tm, lsum, usum, den, NULL);
    mpz_sub(tm, total, v[i]); /* T_i = W - v_i - the other majors' vp */
    for (size_t j = 0; j < g->m; j++)
        if (j != i)
            mpz_sub(tm, tm, v[j]);
    long *lim = gvt_xmalloc((4 * mp + 4) * sizeof *lim);
    size_bounds(g, v, i, total, tm, mp, lim);
    int64_t tc = in_units(g, tm, total, true, t);
    int64_t vf = in_units(g, v[i], total, false, t);
    int64_t vc = in_units(g, v[i], total, true, t);
    int64_t q = (int64_t)g->r << (SS_SUB - 1);
    for (size_t s = 0; s + 1 <= mp; s++) {
        uint64_t cl = 0, cu = 0; /* at most C(64, s) each */
        const long *b = lim + 4 * s;
        for (size_t A = x->lo[s]; A <= x->hi[s]; A++) {
            size_t k = AT(g, s, A);
            if (!x->cnt[k])
                continue;
            int64_t base = (int64_t)A << SS_SUB;
            long a = (long)A;
            bool sure = (a > b[0] && a <= b[1]) ||
                        (base + x->mx[k] + tc <= q && base + x->mn[k] + vf > q);
            bool may = (a > b[2] && a <= b[3]) &&
                       (base + x->mn[k] <= q && base + x->mx[k] + tc + vc > q);
            cl += sure ? x->cnt[k] : 0;
            cu += may || sure ? x->cnt[k] : 0;
        }
        mpz_mul(t, g->fact[s], g->fact[mp - 1 - s]);
        mpz_addmul_ui(lsum, t, (unsigned long)cl);
        mpz_addmul_ui(usum, t, (unsigned long)cu);
    }
    free(lim);
    /* index = (L + U) / 2 / mp!; error = (U - L) / 2 / mp! */
    mpz_mul_ui(den, g->fact[mp], 2);
    mpz_add(tm, lsum, usum);
    gvt_fx_ratio(out, tm, den);
    mpz_ui_pow_ui(t, 10, GVT_OUT_DIGITS);
    mpz_mul(tm, tm, t);
    bool exact = mpz_divisible_p(tm, den) != 0;
    mpz_sub(tm, usum, lsum);
    mpz_mul(tm, tm, t);
    mpz_cdiv_q(err, tm, den); /* ceil at 10^-18 */
    if (!exact)
        mpz_add_ui(err, err, 1);
    mpz_mul(err, err, t); /* back to 10^-36 */
    mpz_clears(t, tm, lsum, usum, den, NULL);
}

void wh_power_init(gvt_power *w)
{
    memset(w, 0, sizeof *w);
    mpz_init(w->total);
}

void wh_power_clear(gvt_power *w)
{
    for (size_t i = 0; i < w->n; i++)
        mpz_clear(w->banzhaf[i]);
    free(w->banzhaf);
    mpz_clear(w->total);
    memset(w, 0, sizeof *w);
}

void wh_power_run(mpz_srcptr const *v, size_t n, mpz_srcptr total, gvt_power *w)
{
    wh_power_clear(w);
    wh_power_init(w);
    size_t top = n < GVT_BANZHAF_PLAYERS ? n : GVT_BANZHAF_PLAYERS;
    if (top == 0 || mpz_sgn(total) == 0)
        return;
    w->n = top;
    w->banzhaf = gvt_xmalloc(top * sizeof *w->banzhaf);
    for (size_t i = 0; i < top; i++)
        mpz_init(w->banzhaf[i]);
    banzhaf(w, v, n < GVT_POWER_NEED ? n : GVT_POWER_NEED, total);
    w->n_lead = n < GVT_POWER_LEAD ? n : GVT_POWER_LEAD;
    for (size_t i = 0; i < w->n_lead; i++)
        w->lead[i] = v[i];
    mpz_set(w->total, total);
}

void gvt_whales_shapley(const gvt_power *p, mpz_t *index, mpz_t *err)
{
    if (p->n == 0)
        return;
    ss_game g;
    ss_setup(&g, p->lead, p->n_lead, p->total, p->n);
    for (size_t i = 0; i < p->n; i++)
        ss_voter(&g, p->lead, i, p->total, index[i], err[i]);
    ss_free(&g);
}
