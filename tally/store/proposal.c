/*
 * proposal.c: the ballot store of one proposal
 * (docs/formats.md#proposal-export): creation, the accessors of the public
 * header, and freeing. The readers (tally/read/ for Snapshot JSON) fill it and
 * call gvt_proposal_finish.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

gvt_proposal *gvt_proposal_new(const char *source)
{
    gvt_proposal *p = gvt_xcalloc(1, sizeof *p);
    p->arena = gvt_arena_new();
    p->source = gvt_arena_strdup(p->arena, source ? source : "");
    p->id = "";
    p->space = "";
    p->title = "";
    p->state = "";
    p->type = GVT_TYPE_SINGLE_CHOICE;
    p->start = p->end = INT64_MIN;
    mpz_init(p->scores_total);
    return p;
}

static void choice_clear(gvt_choice *c)
{
    if (!c || !c->w)
        return;
    /* The reader's weights are read-only views of arena limbs
     * (_mp_alloc 0, see choice.c); hand-built choices own theirs. */
    for (uint32_t i = 0; i < c->n; i++)
        if (c->w[i]->_mp_alloc)
            mpz_clear(c->w[i]);
    if (c->total->_mp_alloc)
        mpz_clear(c->total);
}

GVT_API void gvt_proposal_free(gvt_proposal *p)
{
    if (!p)
        return;
    for (size_t i = 0; !p->views_only && i < p->n_ballots; i++) {
        /* The reader's vp are read-only views of arena limbs
         * (_mp_alloc 0); hand-built ballots own theirs. */
        if (p->ballots[i].vp->_mp_alloc)
            mpz_clear(p->ballots[i].vp);
        choice_clear(p->ballots[i].choice);
    }
    free(p->ballots);
    gvt_inputs_free(&p->inputs);
    mpz_clear(p->scores_total);
    gvt_arena_free(p->arena);
    free(p);
}

GVT_API const char *gvt_type_name(gvt_type type)
{
    static const char *const names[] = {
        "single-choice", "basic",     "approval", "ranked-choice",
        "copeland",      "quadratic", "weighted"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "?";
}

GVT_API const char *gvt_proposal_id(const gvt_proposal *p)
{
    return p->id;
}

GVT_API const char *gvt_proposal_space(const gvt_proposal *p)
{
    return p->space;
}

GVT_API const char *gvt_proposal_title(const gvt_proposal *p)
{
    return p->title;
}

GVT_API const char *gvt_proposal_state(const gvt_proposal *p)
{
    return p->state;
}

GVT_API long long gvt_proposal_start(const gvt_proposal *p)
{
    return p->start == INT64_MIN ? GVT_TIME_NONE : (long long)p->start;
}

GVT_API long long gvt_proposal_end(const gvt_proposal *p)
{
    return p->end == INT64_MIN ? GVT_TIME_NONE : (long long)p->end;
}

GVT_API gvt_type gvt_proposal_type(const gvt_proposal *p)
{
    return p->type;
}

GVT_API size_t gvt_proposal_choice_count(const gvt_proposal *p)
{
    return p->n_choices;
}

GVT_API const char *gvt_proposal_choice(const gvt_proposal *p, size_t i)
{
    return i < p->n_choices ? p->choices[i] : NULL;
}

GVT_API gvt_ballot_counts gvt_proposal_ballot_counts(const gvt_proposal *p)
{
    return p->counts;
}

const char *gvt_ballot_id(const gvt_ballot *b, char *buf)
{
    if (b->id_kind == GVT_ID_NONE)
        return "";
    const char *at = b->voter + strlen(b->voter) + 1;
    if (b->id_kind == GVT_ID_TEXT)
        return at;
    buf[0] = '0';
    buf[1] = 'x';
    gvt_hex_encode(buf + 2, (const uint8_t *)at, 32);
    return buf;
}

/*
 * Compares two ballots' ids as byte strings of their text. Canonical ids
 * compare as their bytes: "0x" and the length are common, and lower-case hex
 * digits sort as the nibbles they spell.
 */
static int id_cmp(const gvt_ballot *a, const gvt_ballot *b)
{
    if (a->id_kind == GVT_ID_HEX && b->id_kind == GVT_ID_HEX)
        return memcmp(a->voter + strlen(a->voter) + 1,
                      b->voter + strlen(b->voter) + 1, 32);
    char ba[GVT_BALLOT_ID_HEX_SIZE], bb[GVT_BALLOT_ID_HEX_SIZE];
    return strcmp(gvt_ballot_id(a, ba), gvt_ballot_id(b, bb));
}

/* ---- gvt_proposal_finish ------------------------------------------------- */

/* A fast hash of a lower-case address (or any string). */
static uint64_t voter_hash(const char *s)
{
    return gvt_hash_bytes(s, strlen(s));
}

/*
 * Does ballot a supersede ballot b of the same voter? The hub keeps the vote
 * with the greatest (created, id) (docs/snapshot-parity.md#duplicate-votes): a
 * missing created is INT64_MIN, ids compare as byte strings. Two votes equal on
 * both are the same message; should their vp differ, the greater vp stands, and
 * only votes equal on all three fall back to input order (first stands), so
 * that the outcome never depends on the order of the votes.
 */
static bool supersedes(const gvt_ballot *a, const gvt_ballot *b)
{
    if (a->created != b->created)
        return a->created > b->created;
    int c = id_cmp(a, b);
    if (c != 0)
        return c > 0;
    c = mpz_cmp(a->vp, b->vp);
    if (c != 0)
        return c > 0;
    return a->input < b->input;
}

/*
 * docs/formats.md#proposal-export after reading: one ballot per voter stands,
 * the others become duplicates; a standing ballot whose choice is invalid is
 * counted as invalid-choice, or as encrypted when it is still Shutter's
 * ciphertext (a "0x..." string on a proposal with privacy "shutter";
 * Snapshot refuses it as any string). scores_total follows getScoresTotal (§0):
 * every standing ballot's vp, valid or not, except copeland (valid ones only).
 *
 * The duplicate search is radix-partitioned: the voters' hashes, then the
 * ballots grouped by the top bits of their hash (a voter's ballots all fall
 * in one group), then per group an open-addressing table small enough to
 * stay in the cache (one table over a million voters would miss the cache
 * on nearly every probe). A large proposal is finished on two threads: the
 * hashes, the grouping and the counts by halves of the ballots, the groups
 * shared out; which ballot stands does not depend on the order in which a
 * voter's ballots are met (supersedes is a total order), so the outcome is
 * that of one thread. Linear in the number of ballots.
 */

#define GROUP_BITS 8
#define GROUPS (1u << GROUP_BITS)
/* Up to this many ballots one table (32 KiB at most) stays in the cache:
 * one group, which spares a small proposal the 256 groups' set-up. */
#define ONE_GROUP_MAX 2048

/* What the jobs of one finish share. */
typedef struct finish_data {
    gvt_proposal *p;
    uint64_t *hash;    /* per ballot */
    uint32_t *order;   /* ballot indices grouped by hash */
    size_t *start[2];  /* job k's next place in group g */
    size_t *group_end; /* end of group g in order */
    unsigned jobs;     /* 1 or 2 */
    unsigned bits;     /* GROUP_BITS, or 0: one group */
} finish_data;

typedef struct finish_job {
    finish_data *d;
    unsigned k;    /* 0 or 1 */
    size_t lo, hi; /* its ballots [lo, hi) */
    gvt_ballot_counts counts;
    size_t zero_choice;
    mpz_t total;
} finish_job;

static unsigned group_of(const finish_data *d, uint64_t h)
{
    return d->bits ? (unsigned)(h >> (64 - d->bits)) : 0;
}

/* Step 1: the hashes of [lo, hi), and how many fall in each group. */
static void *hash_step(void *arg)
{
    finish_job *j = arg;
    finish_data *d = j->d;
    size_t *count = d->start[j->k];
    for (size_t i = j->lo; i < j->hi; i++) {
        uint64_t h = voter_hash(d->p->ballots[i].voter);
        d->hash[i] = h;
        count[group_of(d, h)]++;
    }
    return NULL;
}

/* Step 2: [lo, hi) into its places of order, group by group. */
static void *group_step(void *arg)
{
    finish_job *j = arg;
    finish_data *d = j->d;
    size_t *at = d->start[j->k];
    for (size_t i = j->lo; i < j->hi; i++)
        d->order[at[group_of(d, d->hash[i])]++] = (uint32_t)i;
    return NULL;
}

/* Step 3: the duplicate search in the groups of job k (even or odd). */
static void *search_step(void *arg)
{
    finish_job *j = arg;
    finish_data *d = j->d;
    gvt_proposal *p = d->p;
    const size_t *end = d->group_end;
    size_t largest = 0;
    unsigned groups = 1u << d->bits;
    for (unsigned g = 0; g < groups; g++) {
        size_t n = end[g] - (g ? end[g - 1] : 0);
        if (n > largest)
            largest = n;
    }
    size_t cap_max = 16;
    while (cap_max < 2 * largest)
        cap_max *= 2;
    /* A slot holds a ballot index + 1 and 32 bits of its voter's hash, so
     * that probing rarely touches a ballot. */
    typedef struct slot {
        uint32_t ballot;
        uint32_t tag;
    } slot;
    slot *slots = gvt_xmalloc(cap_max * sizeof *slots);
    for (unsigned g = j->k; g < groups; g += d->jobs) {
        size_t from = g ? end[g - 1] : 0, n = end[g] - from, cap = 16;
        while (cap < 2 * n)
            cap *= 2;
        memset(slots, 0, cap * sizeof *slots);
        for (size_t m = from; m < from + n; m++) {
            size_t i = d->order[m];
            uint64_t h = d->hash[i];
            gvt_ballot *b = &p->ballots[i];
            b->status = GVT_BALLOT_COUNTED;
            uint32_t tag = (uint32_t)(h >> 32);
            size_t s = (size_t)h & (cap - 1);
            while (slots[s].ballot &&
                   (slots[s].tag != tag ||
                    strcmp(p->ballots[slots[s].ballot - 1].voter, b->voter)))
                s = (s + 1) & (cap - 1);
            if (!slots[s].ballot) {
                slots[s].ballot = (uint32_t)(i + 1);
                slots[s].tag = tag;
                continue;
            }
            gvt_ballot *held = &p->ballots[slots[s].ballot - 1];
            if (supersedes(b, held)) {
                held->status = GVT_BALLOT_DUPLICATE;
                slots[s].ballot = (uint32_t)(i + 1);
            } else {
                b->status = GVT_BALLOT_DUPLICATE;
            }
        }
    }
    free(slots);
    return NULL;
}

/* Step 4: counts and scores_total over [lo, hi). */
static void *count_step(void *arg)
{
    finish_job *j = arg;
    gvt_proposal *p = j->d->p;
    gvt_ballot_counts c = {j->hi - j->lo, 0, 0, 0, 0};
    for (size_t i = j->lo; i < j->hi; i++) {
        gvt_ballot *b = &p->ballots[i];
        if (b->status == GVT_BALLOT_DUPLICATE) {
            c.duplicate++;
            continue;
        }
        if (!b->choice && b->sealed && p->shutter) {
            b->status = GVT_BALLOT_ENCRYPTED;
            c.encrypted++;
        } else if (!b->choice) {
            b->status = GVT_BALLOT_INVALID_CHOICE;
            c.invalid_choice++;
            j->zero_choice += b->zero;
        } else {
            c.counted++;
        }
        if (b->choice || p->type != GVT_TYPE_COPELAND)
            mpz_add(j->total, j->total, b->vp);
    }
    j->counts = c;
    return NULL;
}

typedef struct each_ctx {
    void *(*step)(void *);
    finish_job *j;
} each_ctx;

static void each_one(void *arg, unsigned k)
{
    each_ctx *e = arg;
    e->step(&e->j[k]);
}

/* Runs step on each job, on two threads when there are two jobs. */
static void each_job(void *(*step)(void *), finish_job *j)
{
    each_ctx e = {step, j};
    gvt_workers_run(j[0].d->jobs, each_one, &e);
}

void gvt_proposal_finish(gvt_proposal *p, unsigned threads)
{
    size_t n = p->n_ballots;
    finish_data fd, *d = &fd;
    d->p = p;
    d->jobs = gvt_par_worth(threads, n) ? 2 : 1;
    d->bits = n <= ONE_GROUP_MAX ? 0 : GROUP_BITS;
    unsigned groups = 1u << d->bits;
    /* the two jobs' places and the ends, zeroed: 24 bytes for one group */
    size_t *places = gvt_xcalloc(3 * (size_t)groups, sizeof *places);
    d->start[0] = places;
    d->start[1] = places + groups;
    d->group_end = places + 2 * groups;
    d->hash = gvt_xmalloc((n ? n : 1) * sizeof *d->hash);
    d->order = gvt_xmalloc((n ? n : 1) * sizeof *d->order);
    finish_job j[2];
    for (unsigned k = 0; k < 2; k++) {
        j[k] = (finish_job){.d = d, .k = k};
        j[k].lo = d->jobs == 2 && k == 1 ? n / 2 : k == 1 ? n : 0;
        j[k].hi = d->jobs == 2 && k == 0 ? n / 2 : n;
        mpz_init(j[k].total);
    }
    each_job(hash_step, j);
    /* Counts to places: group by group, job 0's ballots before job 1's. */
    size_t at = 0;
    for (unsigned g = 0; g < groups; g++) {
        for (unsigned k = 0; k < 2; k++) {
            size_t c = d->start[k][g];
            d->start[k][g] = at;
            at += c;
        }
        d->group_end[g] = at;
    }
    each_job(group_step, j);
    each_job(search_step, j);
    free(d->hash);
    free(d->order);
    each_job(count_step, j);
    free(places);
    gvt_ballot_counts c = j[0].counts;
    c.read += j[1].counts.read;
    c.counted += j[1].counts.counted;
    c.duplicate += j[1].counts.duplicate;
    c.invalid_choice += j[1].counts.invalid_choice;
    c.encrypted += j[1].counts.encrypted;
    mpz_add(p->scores_total, j[0].total, j[1].total);
    for (unsigned k = 0; k < 2; k++)
        mpz_clear(j[k].total);
    p->counts = c;
    p->zero_choice = j[0].zero_choice + j[1].zero_choice;
}
