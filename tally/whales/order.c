/*
 * order.c: the whale analysis's first kernel: the counted ballots in vp
 * order (descending; ties: address ascending), on one thread or two.
 */
#include "whales/parts.h"

/* ---- voters in vp order ------------------------------------------------ */

/*
 * The sort compares packed keys first: a key is the bit length of vp (9
 * bits, saturated) above its 55 leading bits, so key order never contradicts
 * vp order and only equal keys need the exact comparison (mpz_cmp, then the
 * address). Keys of different vp are almost always different.
 */
#define KEY_TOP_BITS 55
#define KEY_MAX_LEN 511

uint64_t wh_vp_key(const mpz_t v)
{
    if (mpz_sgn(v) <= 0)
        return 0;
#if GMP_NUMB_BITS == 64
    /* The bit length from the top limb (mpz_sizeinbase is a call). */
    size_t n = mpz_size(v);
    size_t bits =
        64 * n - (size_t)__builtin_clzll(mpz_getlimbn(v, (mp_size_t)n - 1));
#else
    size_t bits = mpz_sizeinbase(v, 2);
#endif
    uint64_t mask = ((uint64_t)1 << KEY_TOP_BITS) - 1, top;
    if (bits > KEY_MAX_LEN)
        return ((uint64_t)KEY_MAX_LEN << KEY_TOP_BITS) | mask;
#if GMP_NUMB_BITS == 64
    size_t shift = bits > KEY_TOP_BITS ? bits - KEY_TOP_BITS : 0;
    size_t li = shift / 64, off = shift % 64;
    uint64_t lo = mpz_getlimbn(v, (mp_size_t)li);
    uint64_t hi = li + 1 < mpz_size(v) ? mpz_getlimbn(v, (mp_size_t)li + 1) : 0;
    top = off ? (lo >> off) | (hi << (64 - off)) : lo;
#else
    /* Portable: the leading 31 bits, through a quotient. */
    mpz_t t;
    mpz_init(t);
    if (bits > 31)
        mpz_tdiv_q_2exp(t, v, bits - 31);
    else
        mpz_set(t, v);
    top = mpz_get_ui(t);
    mpz_clear(t);
#endif
    return ((uint64_t)bits << KEY_TOP_BITS) | (top & mask);
}

static int cmp_vkey(const void *a, const void *b)
{
    const vkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    int c = mpz_cmp(y->b->vp, x->b->vp);
    if (c)
        return c;
    return strcmp(x->b->voter, y->b->voter);
}

/*
 * Stable least-significant-digit radix sort of k by key, descending, 8 bits
 * a pass, skipping the digits every key shares (the bit length usually is
 * one). tmp has room for n keys.
 */
static void radix_desc(vkey *k, size_t n, vkey *tmp)
{
    if (n <= 64) {
        /* a few keys: insertion (stable, like the passes below), without
         * the passes' 16 KiB of counts to clear */
        for (size_t i = 1; i < n; i++) {
            vkey x = k[i];
            size_t j = i;
            for (; j > 0 && k[j - 1].key < x.key; j--)
                k[j] = k[j - 1];
            k[j] = x;
        }
        return;
    }
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = ~k[i].key; /* ascending on ~key = descending */
        for (int d = 0; d < 8; d++)
            cnt[d][(key >> (8 * d)) & 255]++;
    }
    vkey *src = k, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        size_t *c = cnt[d];
        bool same = false;
        for (int b = 0; b < 256; b++)
            if (c[b] == n)
                same = true;
        if (same)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t m = c[b];
            c[b] = pos;
            pos += m;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(~src[i].key >> (8 * d)) & 255]++] = src[i];
        vkey *t = src;
        src = dst;
        dst = t;
    }
    if (src != k)
        memcpy(k, src, n * sizeof *k);
}

/* Runs of equal keys, each sorted by cmp_vkey. */
static void sort_runs(vkey *k, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && k[j].key == k[i].key)
            j++;
        if (j - i > 1)
            qsort(k + i, j - i, sizeof *k, cmp_vkey);
        i = j;
    }
}

/* The first 8 bytes of s from off (NUL-padded) as a big-endian number:
 * its order is strcmp's on those bytes. */
static uint64_t text_key(const char *s, size_t off)
{
    uint64_t key = 0;
    size_t i = 0;
    while (i < off && s[i])
        i++;
    for (int b = 0; b < 8; b++) {
        key <<= 8;
        if (s[i])
            key |= (unsigned char)s[i++];
    }
    return key;
}

/*
 * A run of keys that tie on vp's packed key. When every vp of the run is
 * the same (integer balances make runs of thousands), the order is the
 * addresses': they are sorted by a second packed key (their first 8
 * characters after a common "0x") and only the ties on that by cmp_vkey,
 * instead of comparing strings all over memory. Otherwise by cmp_vkey.
 */
static void sort_tie(vkey *k, size_t m, vkey *tmp)
{
    bool equal = m >= 64;
    bool hex = true;
    for (size_t t = 1; equal && t < m; t++)
        equal = mpz_cmp(k[t].b->vp, k[0].b->vp) == 0;
    if (!equal) {
        qsort(k, m, sizeof *k, cmp_vkey);
        return;
    }
    for (size_t t = 0; hex && t < m; t++)
        hex = k[t].b->voter[0] == '0' && k[t].b->voter[1] == 'x';
    for (size_t t = 0; t < m; t++)
        k[t].key = ~text_key(k[t].b->voter, hex ? 2 : 0);
    radix_desc(k, m, tmp);
    sort_runs(k, m);
}

/*
 * Sorts the keys into cmp_vkey's order: a radix sort on the packed key,
 * then each run of equal keys (sort_tie). O(n) passes over 16 bytes a
 * ballot instead of O(n log n) calls of a comparison that reads each
 * ballot; tmp is scratch room for n keys.
 */
void wh_sort_keys(vkey *k, size_t n, vkey *tmp)
{
    if (n < 2)
        return;
    radix_desc(k, n, tmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        uint64_t key = k[i].key;
        while (j < n && k[j].key == key)
            j++;
        if (j - i > 1) {
            sort_tie(k + i, j - i, tmp);
            for (size_t t = i; t < j; t++)
                k[t].key = key; /* sort_tie used them: back to vp's */
        }
        i = j;
    }
}

void wh_keys_pass(void *arg, size_t lo, size_t hi)
{
    /* Counted in a local: the two jobs are neighbours in memory. */
    keys_job *j = arg;
    vkey *k = j->k;
    size_t n = 0;
    for (size_t i = lo; i < hi; i++) {
        const gvt_ballot *b = &j->p->ballots[i];
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        k[n].key = wh_vp_key(b->vp);
        k[n].b = b;
        n++;
    }
    wh_sort_keys(k, n, j->tmp);
    j->n = n;
}

/*
 * Two sorted halves merged into the units: the front merge writes
 * positions [0, hi) from the largest, the back merge [lo, n) from the
 * smallest. Both follow one stable merge (a's key first on a tie, which
 * distinct voters never make), so together they write each unit once.
 */
typedef struct merge_job {
    const vkey *a, *b;
    size_t na, nb;
    gvt_unit *u;
    uint32_t *rank; /* per ballot of p: its position in u */
    const gvt_ballot *ballots;
} merge_job;

static void put_unit(const merge_job *j, size_t pos, const vkey *k)
{
    /* Only the ballot: its vp is read there (the units' w are filled by
     * units_fill when a re-tally needs them). */
    j->u[pos].ballot = k->b;
    j->rank[k->b - j->ballots] = (uint32_t)pos;
}

static void merge_pass(void *arg, size_t lo, size_t hi)
{
    merge_job *j = arg;
    const vkey *a = j->a, *b = j->b;
    if (lo == 0) {
        size_t i = 0, k = 0;
        for (size_t pos = 0; pos < hi; pos++) {
            if (i + GVT_PREFETCH_AHEAD < j->na)
                GVT_PREFETCH(a[i + GVT_PREFETCH_AHEAD].b);
            if (k + GVT_PREFETCH_AHEAD < j->nb)
                GVT_PREFETCH(b[k + GVT_PREFETCH_AHEAD].b);
            if (k == j->nb || (i < j->na && cmp_vkey(&a[i], &b[k]) <= 0))
                put_unit(j, pos, &a[i++]);
            else
                put_unit(j, pos, &b[k++]);
        }
        return;
    }
    size_t i = j->na, k = j->nb; /* one past the last not yet placed */
    for (size_t pos = j->na + j->nb; pos-- > lo;) {
        if (i > GVT_PREFETCH_AHEAD)
            GVT_PREFETCH(a[i - 1 - GVT_PREFETCH_AHEAD].b);
        if (k > GVT_PREFETCH_AHEAD)
            GVT_PREFETCH(b[k - 1 - GVT_PREFETCH_AHEAD].b);
        if (i == 0 || (k > 0 && cmp_vkey(&a[i - 1], &b[k - 1]) <= 0))
            put_unit(j, pos, &b[--k]);
        else
            put_unit(j, pos, &a[--i]);
    }
}

/*
 * The token units (one per counted ballot, weight vp), largest vp first,
 * ties by address ascending. Only each unit's ballot is set here: the
 * analysis reads the ballot's vp, and units_fill sets every w (a shallow
 * copy of the ballot's vp, sharing its limbs, never written, released with
 * the block, never gvt_units_free) before a re-tally. h holds the keys of
 * the counted
 * ballots in two sorted parts (ctx_init makes them, each half of the
 * ballots on its own thread for a large proposal; the second may be
 * empty), merged here from both ends at once into u (the scratch room of
 * ctx_init's block), with each ballot's position in rank; the order is the
 * same total order on any number of threads.
 */
void wh_sorted_units(unsigned threads, keys_job h[2], gvt_unit *u,
                     size_t *out_n, uint32_t *rank, const gvt_ballot *ballots)
{
    size_t n = h[0].n + h[1].n;
    merge_job m = {h[0].k, h[1].k, h[0].n, h[1].n, u, rank, ballots};
    gvt_par_run(threads, n, merge_pass, &m, &m);
    *out_n = n;
}
