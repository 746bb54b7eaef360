/*
 * proposal.c: the ballot store of one proposal (SPEC 1.1): creation, the
 * accessors of the public header, and freeing. The readers (reader.c for
 * Snapshot JSON) fill it and call gvt_proposal_finish.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

gvt_proposal *gvt_proposal_new(const char *source)
{
    gvt_proposal *p = gvt_xcalloc(1, sizeof *p);
    p->arena = gvt_arena_new();
    p->source = gvt_arena_strdup(p->arena, source ? source : "");
    p->id = "";
    p->space = "";
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
    size_t len = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15u ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    return h;
}

/*
 * Does ballot a supersede ballot b of the same voter? The hub keeps the vote
 * with the greatest (created, id) (spec/snapshot-scoring.md §8): a missing
 * created is INT64_MIN, ids compare as byte strings. Two votes equal on both
 * are the same message; should their vp differ, the greater vp stands, and
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
 * SPEC 1.1 after reading: one ballot per voter stands (open addressing over
 * the voters, linear in the number of ballots), the others become duplicates;
 * a standing ballot whose choice is invalid is counted as invalid-choice.
 * scores_total follows getScoresTotal (§0): every standing ballot's vp,
 * valid or not, except copeland (valid ones only).
 */
void gvt_proposal_finish(gvt_proposal *p)
{
    size_t n = p->n_ballots;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    /* A slot holds a ballot index + 1 and 32 bits of its voter's hash, so
     * that probing rarely touches a ballot; hashes are computed a few
     * ballots ahead and their slots prefetched, because with a million
     * voters nearly every slot access misses the cache. */
    typedef struct slot {
        uint32_t ballot;
        uint32_t tag;
    } slot;
    slot *slots = gvt_xcalloc(cap, sizeof *slots);
    enum { AHEAD = 8 };
    uint64_t ring[AHEAD];
    for (size_t i = 0; i < n && i < AHEAD; i++)
        ring[i] = voter_hash(p->ballots[i].voter);
    for (size_t i = 0; i < n; i++) {
        gvt_ballot *b = &p->ballots[i];
        uint64_t h = ring[i % AHEAD];
        if (i + AHEAD < n) {
            uint64_t h2 = voter_hash(p->ballots[i + AHEAD].voter);
            ring[i % AHEAD] = h2;
#if defined(__GNUC__)
            __builtin_prefetch(&slots[(size_t)h2 & (cap - 1)]);
#endif
        }
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
    free(slots);
    gvt_ballot_counts c = {n, 0, 0, 0};
    mpz_set_ui(p->scores_total, 0);
    for (size_t i = 0; i < n; i++) {
        gvt_ballot *b = &p->ballots[i];
        if (b->status == GVT_BALLOT_DUPLICATE) {
            c.duplicate++;
            continue;
        }
        if (!b->choice) {
            b->status = GVT_BALLOT_INVALID_CHOICE;
            c.invalid_choice++;
        } else {
            c.counted++;
        }
        if (b->choice || p->type != GVT_TYPE_COPELAND)
            mpz_add(p->scores_total, p->scores_total, b->vp);
    }
    p->counts = c;
}
