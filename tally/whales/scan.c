/*
 * scan.c: the whale analysis's second kernel: one pass in input order that
 * sums what the figures need, picks the supporters and finds nakamoto.
 */
#include "whales/parts.h"

/*
 * One pass over the voters in vp order (u): the supporters of the token
 * winners into c->sup, in that order (their groups into c->sup_group), and,
 * when w is not NULL, every metric of docs/analysis.md that depends only on the
 * sorted vp. Reading each voter once matters at a million ballots: in vp
 * order every ballot is a cache miss.
 *
 * With P_j the vp of the j + 1 largest, nakamoto is the smallest k with
 * 2 P_(k-1) > W, and gini's sum i w_i over w ascending (i = 1..n) is
 * sum_j (n - j) v_j over v descending, which is sum_j P_j: additions only.
 * gini = (2 sum i w_i - (n+1) W) / (n W).
 */
/*
 * One half [lo, hi) of the ballots for scan_voters, in input order (each
 * voter's position comes from rank: no read in vp order), at limb level in
 * fixed widths that cannot overflow: with m the limbs of the largest vp and
 * n < 2^32 voters, sum_j (n - j) v_j needs m + 2 limbs (s), the sum of
 * squares 2 m + 1 (q), the vp of the voters of each block of bs positions
 * m + 1 (the blocks, for nakamoto). Marks at[j] for the supporter at j.
 */
#define GVT_SCAN_BLOCKS 1024

typedef struct scan_job {
    const decisive_ctx *c;
    unsigned char *at;
    bool metrics;
    size_t m, bs, nb; /* nb blocks of bs positions */
    mp_limb_t *lim;   /* s, q, room for one square, then the blocks */
} scan_job;

static void scan_run(scan_job *j, size_t lo, size_t hi);

#if defined(__SIZEOF_INT128__) && GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
/* A vp of one or two limbs (nearly all of them) is summed here with 128-bit
 * products instead of calls into GMP. */
#define GVT_SCAN_U128 1
__extension__ typedef unsigned __int128 scan_u128;

/* r[at, rn) += x, carried as far as needed: the widths of scan_job never
 * overflow. */
static inline void add_u128(mp_limb_t *r, size_t rn, size_t at, scan_u128 x)
{
    scan_u128 t = (scan_u128)r[at] + (uint64_t)x;
    r[at] = (mp_limb_t)t;
    scan_u128 carry = (t >> 64) + (x >> 64);
    for (size_t k = at + 1; carry && k < rn; k++) {
        t = (scan_u128)r[k] + carry;
        r[k] = (mp_limb_t)t;
        carry = t >> 64;
    }
}
#endif

/* The job's sums change at every ballot: worked on in a local copy, so
 * that the two threads' jobs (neighbours in memory) share no cache line
 * while they run. */
static void scan_pass(void *arg, size_t lo, size_t hi)
{
    scan_job local = *(scan_job *)arg;
    scan_run(&local, lo, hi);
    *(scan_job *)arg = local;
}

static void scan_run(scan_job *j, size_t lo, size_t hi)
{
    const decisive_ctx *c = j->c;
    const gvt_ballot *ballots = c->p->ballots;
    size_t m = j->m, ns = m + 2, nq = 2 * m + 1, nk = m + 1;
    j->lim = gvt_xcalloc(ns + nq + 2 * m + j->nb * nk + 1, sizeof *j->lim);
    mp_limb_t *s = j->lim, *q = s + ns, *sqr = q + nq, *blk = sqr + 2 * m;
    for (size_t bi = lo; bi < hi; bi++) {
        const gvt_ballot *b = &ballots[bi];
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        size_t r = c->rank[bi];
        j->at[r] = c->is_sup[bi];
        size_t vn = mpz_size(b->vp);
        if (!j->metrics || !vn)
            continue;
        const mp_limb_t *v = mpz_limbs_read(b->vp);
        mp_limb_t *bk = blk + (r / j->bs) * nk;
        uint64_t k = c->n - r;
#ifdef GVT_SCAN_U128
        if (vn <= 2) {
            uint64_t v0 = v[0], v1 = vn > 1 ? v[1] : 0;
            add_u128(s, ns, 0, (scan_u128)v0 * k);
            add_u128(q, nq, 0, (scan_u128)v0 * v0);
            add_u128(bk, nk, 0, ((scan_u128)v1 << 64) | v0);
            if (v1) {
                scan_u128 x = (scan_u128)v0 * v1;
                add_u128(s, ns, 1, (scan_u128)v1 * k);
                add_u128(q, nq, 1, x);
                add_u128(q, nq, 1, x);
                add_u128(q, nq, 2, (scan_u128)v1 * v1);
            }
            continue;
        }
#endif
        mp_limb_t cy = mpn_addmul_1(s, v, (mp_size_t)vn, (mp_limb_t)k);
        mpn_add_1(s + vn, s + vn, (mp_size_t)(ns - vn), cy);
        mpn_sqr(sqr, v, (mp_size_t)vn);
        mpn_add(q, q, (mp_size_t)nq, sqr, (mp_size_t)(2 * vn));
        mpn_add(bk, bk, (mp_size_t)nk, v, (mp_size_t)vn);
    }
}

void wh_scan_voters(decisive_ctx *c, gvt_whales *w)
{
    const gvt_unit *u = c->u;
    size_t n = c->n;
    bool metrics = w && n > 0 && mpz_sgn(c->total) > 0;
    mpz_t sum, sq, t;
    mpz_inits(sum, sq, t, NULL);
    size_t m = n ? mpz_size(u[0].ballot->vp) : 0;
    size_t na = m + 1, ns = m + 2, nq = 2 * m + 1, nk = m + 1;
    mp_limb_t *half = gvt_xcalloc(2 * na, sizeof *half), *a = half + na;
    if (metrics) {
        mpz_fdiv_q_2exp(t, c->total, 1);
        if (mpz_size(t) <= na)
            mpz_export(half, NULL, -1, sizeof *half, 0, GMP_NAIL_BITS, t);
        else
            metrics = false; /* never: W is the sum of the vp below */
    }
    /* The supporter marks by position go where the keys were (spent), one
     * row for each half: written at random, a row shared by two threads
     * would bounce between their caches. */
    unsigned char *at = c->mem;
    memset(at, 0, 2 * (n + 1));
    size_t bs = n / GVT_SCAN_BLOCKS + 1;
    size_t nb = n / bs + 1; /* at most GVT_SCAN_BLOCKS */
    scan_job h[2];
    memset(h, 0, sizeof h);
    for (int k = 0; k < 2; k++) {
        h[k].c = c;
        h[k].at = at + (k ? n + 1 : 0);
        h[k].metrics = metrics;
        h[k].m = m;
        h[k].bs = bs;
        h[k].nb = nb;
    }
    bool split =
        gvt_par_run(c->threads, c->p->n_ballots, scan_pass, &h[0], &h[1]);
    mp_limb_t *s = h[0].lim, *q = s + ns, *blk = q + nq + 2 * m;
    if (split) {
        mp_limb_t *s1 = h[1].lim, *q1 = s1 + ns, *blk1 = q1 + nq + 2 * m;
        mpn_add_n(s, s, s1, (mp_size_t)ns);
        mpn_add_n(q, q, q1, (mp_size_t)nq);
        mpn_add_n(blk, blk, blk1, (mp_size_t)(nb * nk));
    }
    free(c->rank);
    c->rank = NULL;
    c->sup = gvt_xmalloc((n + 1) * sizeof *c->sup);
    for (size_t j = 0; j < n; j++)
        if (at[j] | at[n + 1 + j])
            c->sup[c->n_sup++] = (uint32_t)j;
    if (metrics) {
        /* nakamoto: the block where the running sum passes W / 2, then
         * the voters of that block one by one. */
        for (size_t bk = 0; bk < nb && !w->nakamoto; bk++) {
            mpn_add_n(blk + bk * nk, blk + bk * nk, a, (mp_size_t)nk);
            if (mpn_cmp(blk + bk * nk, half, (mp_size_t)na) <= 0) {
                memcpy(a, blk + bk * nk, na * sizeof *a);
                continue;
            }
            for (size_t i = bk * bs; i < n && i < (bk + 1) * bs; i++) {
                mpz_srcptr v = u[i].ballot->vp;
                size_t vn = mpz_size(v);
                if (vn)
                    mpn_add(a, a, (mp_size_t)na, mpz_limbs_read(v),
                            (mp_size_t)vn);
                if (mpn_cmp(a, half, (mp_size_t)na) > 0) {
                    w->nakamoto = i + 1;
                    break;
                }
            }
        }
        mpz_import(sum, ns, -1, sizeof *s, 0, GMP_NAIL_BITS, s);
        mpz_import(sq, nq, -1, sizeof *q, 0, GMP_NAIL_BITS, q);
    }
    for (int k = 0; k < 2; k++)
        free(h[k].lim);
    free(half);
    c->sup = gvt_xrealloc(c->sup, (c->n_sup + 1) * sizeof *c->sup);
    free(c->is_sup);
    c->is_sup = NULL;
    if (c->group_of) {
        c->sup_group = gvt_xmalloc((c->n_sup + 1) * sizeof *c->sup_group);
        for (size_t j = 0; j < c->n_sup; j++)
            c->sup_group[j] = c->group_of[u[c->sup[j]].ballot - c->p->ballots];
        if (!c->group_of_borrowed)
            free(c->group_of);
        c->group_of = NULL;
    }
    if (w)
        w->voters = n;
    if (metrics)
        wh_figures(c, w, sum, sq);
    mpz_clears(sum, sq, t, NULL);
}
