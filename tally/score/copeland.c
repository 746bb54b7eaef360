/*
 * copeland.c: copeland's pairwise state (scoring spec 4), kept in flat
 * machine words so that a ranking of n choices costs n (n - 1) / 2 word
 * additions, not as many big-number allocations.
 *
 * With W the sum of the weights:
 *   D[a][b] (a < b) = weight ranking a above b - weight ranking b above a,
 *   support[c]      = sum of weight * (number of choices ranked below c),
 *   P[c]            = 2 per pairwise win, 1 per pairwise tie (snapshot.js
 *                     visits every pair from both sides, 1 or 0.5 each),
 *   points[c]       = P[c] + 0.5 * support[c] / ((n - 1) * W)
 *                     (the bonus only when W > 0 and n > 1),
 *   score[c]        = points[c] / sum(points) * W, or W / n when the sum
 *                     is 0 (n = 1).
 * Over the common denominator 2 (n - 1) W, points[c] is proportional to
 * num[c] = 2 (n - 1) W P[c] + support[c], an exact integer (W and support
 * are fixed point, both scaled by 10^36, which cancels in the ratio), so
 * score[c] = floor(num[c] * W / sum(num)): one floor at 10^-36. The margins
 * are exact, so a true pairwise tie stays a tie (snapshot.js's running
 * float sums can turn it into a narrow win).
 *
 * The state keeps the margins D[a][b], a < b, as two's complement integers
 * of `limbs` machine words in the upper triangle of an n x n table, row by
 * row. A ranking adds +w or -w to every cell: the positions of its choices
 * (pos) decide which, and the table is walked in memory order, so each
 * ranking streams through it once (a walk in the ranking's order jumped
 * between cache lines at every pair and was ten times slower at 1,000
 * choices). Every margin is a signed sum of weights added so far, so its
 * magnitude is at most the sum of every weight ever added (`added`); the
 * table widens (sign-extending every margin) before an addition could take
 * that sum to 2^(64 limbs - 1), and removals never widen it. The wrapping
 * word arithmetic is therefore exact.
 *
 * Cost: a ranking, n (n - 1) / 2 additions of `limbs` words in one pass
 * over the table and one big-number step per ranked choice for the support;
 * the scores, n (n - 1) / 2 sign tests. The number of choices is bounded by
 * GVT_MAX_CHOICES (docs/limits.md): at most 499,500 margins.
 */
#include <stdlib.h>
#include <string.h>

#include "score/score.h"

void gvt_copeland_init(gvt_copeland *c, uint32_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->n_pairs = (size_t)n * (n ? n - 1 : 0) / 2;
    c->support = gvt_xmalloc((n + 1) * sizeof *c->support);
    for (uint32_t i = 0; i < n; i++)
        mpz_init(c->support[i]);
    c->pos = gvt_xmalloc((n + 1) * sizeof *c->pos);
    mpz_inits(c->w, c->added, NULL);
}

void gvt_copeland_free(gvt_copeland *c)
{
    if (!c->support)
        return;
    for (uint32_t i = 0; i < c->n; i++)
        mpz_clear(c->support[i]);
    free(c->support);
    free(c->pos);
    free(c->d);
    free(c->wl);
    mpz_clears(c->w, c->added, NULL);
    memset(c, 0, sizeof *c);
}

/* Widens the margins to hold sums up to `added` and their sign. */
static void widen(gvt_copeland *c)
{
    size_t bits = mpz_sizeinbase(c->added, 2);
    uint32_t want = (uint32_t)((bits + 1) / GMP_NUMB_BITS + 1);
    if (want <= c->limbs)
        return;
    mp_limb_t *d = gvt_xcalloc(c->n_pairs ? c->n_pairs * want : 1, sizeof *d);
    for (size_t i = 0; c->limbs && i < c->n_pairs; i++) {
        const mp_limb_t *o = c->d + i * c->limbs;
        mp_limb_t ext =
            o[c->limbs - 1] >> (GMP_NUMB_BITS - 1) ? ~(mp_limb_t)0 : 0;
        memcpy(d + i * want, o, c->limbs * sizeof *d);
        for (uint32_t k = c->limbs; k < want; k++)
            d[i * want + k] = ext;
    }
    free(c->d);
    free(c->wl);
    c->d = d;
    /* three rows: +w, -w, 0 */
    c->wl = gvt_xcalloc(3 * (size_t)want, sizeof *c->wl);
    c->limbs = want;
}

/* x += y, wrapping, on n words. */
static inline void words_add(mp_limb_t *x, const mp_limb_t *y, uint32_t n)
{
    mp_limb_t carry = 0;
    for (uint32_t k = 0; k < n; k++) {
        mp_limb_t s = x[k] + carry;
        carry = s < carry;
        s += y[k];
        carry += s < y[k];
        x[k] = s;
    }
}

/* The sign of one margin. */
static int margin_sign(const mp_limb_t *x, uint32_t n)
{
    if (x[n - 1] >> (GMP_NUMB_BITS - 1))
        return -1;
    for (uint32_t k = 0; k < n; k++)
        if (x[k])
            return 1;
    return 0;
}

/* c->wl: +w, -w (two's complement) and 0, `limbs` words each. */
static void weight_rows(gvt_copeland *c, const mpz_t w)
{
    uint32_t L = c->limbs;
    mp_limb_t *plus = c->wl, *minus = c->wl + L;
    memset(c->wl, 0, 3 * (size_t)L * sizeof *c->wl);
    size_t wn = 0;
    mpz_export(plus, &wn, -1, sizeof *plus, 0, 0, w);
    mp_limb_t carry = 1;
    for (uint32_t k = 0; k < L; k++) {
        minus[k] = ~plus[k] + carry;
        carry = carry && minus[k] == 0;
    }
}

/*
 * Adds (sign +1) or removes (-1) one ranking of weight w >= 0: W, the
 * margins of every pair it ranks and the support of every choice it ranks.
 * Entries out of range (>= n) and repeated ones after the first are skipped
 * for the margins; the support counts every valid entry below a choice, as
 * it always did. Rankings are complete permutations once decoded.
 */
void gvt_copeland_add(gvt_copeland *c, const uint32_t *idx, uint32_t len,
                      const mpz_t w, int sign)
{
    uint32_t n = c->n;
    if (sign > 0) {
        mpz_add(c->w, c->w, w);
        mpz_add(c->added, c->added, w);
        widen(c);
    } else {
        mpz_sub(c->w, c->w, w);
    }
    if (mpz_sgn(w) == 0 || c->limbs == 0)
        return;
    uint32_t below = 0; /* valid entries after position q */
    for (uint32_t q = len; q-- > 0;) {
        uint32_t a = idx[q];
        if (a >= n)
            continue;
        if (below) {
            if (sign > 0)
                mpz_addmul_ui(c->support[a], w, below);
            else
                mpz_submul_ui(c->support[a], w, below);
        }
        below++;
    }
    /* pos[x]: the first position of x, UINT32_MAX when unranked */
    for (uint32_t x = 0; x < n; x++)
        c->pos[x] = UINT32_MAX;
    for (uint32_t q = 0; q < len; q++)
        if (idx[q] < n && c->pos[idx[q]] == UINT32_MAX)
            c->pos[idx[q]] = q;
    weight_rows(c, w);
    uint32_t L = c->limbs;
    /* row: which of wl's rows a cell takes. a above b (pos[a] < pos[b])
     * adds the ranking's sign times w to D[a][b]; an unranked side adds 0. */
    const mp_limb_t *rows[3] = {c->wl, c->wl + L, c->wl + 2 * L};
    unsigned flip = sign > 0 ? 0 : 1;
    mp_limb_t *x = c->d;
    for (uint32_t a = 0; a < n; a++) {
        uint32_t pa = c->pos[a];
        if (pa == UINT32_MAX) {
            x += (size_t)(n - a - 1) * L;
            continue;
        }
        for (uint32_t b = a + 1; b < n; b++, x += L) {
            uint32_t pb = c->pos[b];
            unsigned r = pb == UINT32_MAX ? 2 : (unsigned)(pb < pa) ^ flip;
            words_add(x, rows[r], L);
        }
    }
}

void gvt_copeland_scores(const gvt_copeland *c, mpz_t *scores)
{
    uint32_t n = c->n;
    unsigned long *pts = gvt_xcalloc(n ? n : 1, sizeof *pts);
    /* Before the first ranking there is no table (c->d NULL, limbs 0):
     * every margin is 0, and no pointer is formed from NULL. */
    size_t k = 0;
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = a + 1; b < n; b++, k++) {
            int s = c->limbs ? margin_sign(c->d + k * c->limbs, c->limbs) : 0;
            if (s > 0) {
                pts[a] += 2;
            } else if (s < 0) {
                pts[b] += 2;
            } else {
                pts[a] += 1;
                pts[b] += 1;
            }
        }
    mpz_t sum, t;
    mpz_inits(sum, t, NULL);
    /* num[c] goes to scores[c] first. */
    bool bonus = mpz_sgn(c->w) > 0 && n > 1;
    for (uint32_t i = 0; i < n; i++) {
        if (bonus) {
            mpz_mul_ui(t, c->w, 2UL * (n - 1));
            mpz_mul_ui(t, t, pts[i]);
            mpz_add(scores[i], c->support[i], t);
        } else {
            mpz_set_ui(scores[i], pts[i]);
        }
        mpz_add(sum, sum, scores[i]);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (mpz_sgn(sum) > 0) {
            mpz_mul(t, scores[i], c->w);
            mpz_fdiv_q(scores[i], t, sum); /* floor at 10^-36 */
        } else {
            mpz_fdiv_q_ui(scores[i], c->w, n); /* floor at 10^-36 */
        }
    }
    mpz_clears(sum, t, NULL);
    free(pts);
}
