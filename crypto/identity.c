/*
 * identity.c: judging attestations (docs/formats.md#attestation-outcomes) and
 * merging wallets into humans (docs/identity.md#humans).
 *
 * Every attestation gets exactly one outcome, tried in the order of
 * docs/formats.md#attestation-outcomes, so the rules run as passes over all
 * attestations, each pass looking only at those still valid: duplicate, unused,
 * untrusted-issuer, bad-signature, issuer-window, revoked, wrong-scope,
 * not-yet-valid, expired, conflict. Only the signature pass is expensive; it
 * runs on several threads, each writing the outcome of its own attestations by
 * index, so the outcome never depends on the number of threads or on
 * scheduling.
 *
 * Humans are the connected components of the graph linking wallets to the
 * (issuer, nullifier) pairs of their valid attestations (union-find). Weights
 * are kept as exact integers in millionths (attestation) times millionths
 * (issuer) and become fixed point only at the end.
 */
#include <stdlib.h>
#include <string.h>

#include <stdatomic.h>

#include "crypto/identity.h"

GVT_API const char *gvt_attest_reason_name(gvt_attest_reason r)
{
    static const char *const names[GVT_ATTEST_REASON_COUNT] = {
        "valid",         "duplicate",     "unused",   "untrusted-issuer",
        "bad-signature", "issuer-window", "revoked",  "wrong-scope",
        "not-yet-valid", "expired",       "conflict", "wrong-schema"};
    return (unsigned)r < GVT_ATTEST_REASON_COUNT ? names[r] : "?";
}

/* ---- signatures on threads ----------------------------------------------- */

typedef struct sig_job {
    const gvt_attestations *a;
    const gvt_issuer *const *issuer;
    uint8_t *reason;
    const size_t *todo; /* indices of attestations to check */
    size_t lo, hi;      /* this worker's share of todo */
    /* Progress: checks done by all workers; the calling thread's worker
     * (fn != NULL) reports it. */
    atomic_size_t *done;
    size_t total;
    gvt_progress_fn fn;
    void *ctx;
} sig_job;

/*
 * Ed25519: the issuer's key was checked once when the trust file was read
 * (key_ok). EIP-712 (typed.c): the account recovered from the id (the
 * digest) and the signature is the issuer.
 */
static bool signature_ok(const gvt_attestation *t, const gvt_issuer *is)
{
    if (t->kind == GVT_SIGNER_ETH)
        return gvt_typed_verify(t);
    if (t->kind == GVT_SIGNER_EAS)
        return gvt_eas_verify(t);
    char msg[GVT_ATTEST_MSG_MAX];
    size_t len = gvt_attestation_message(t, msg);
    return gvt_ed25519_verify(t->issuer, is->key_ok, t->sig,
                              (const uint8_t *)msg, len);
}

static void sig_worker(sig_job *j)
{
    for (size_t k = j->lo; k < j->hi; k++) {
        size_t i = j->todo[k];
        if (!signature_ok(&j->a->items[i], j->issuer[i]))
            j->reason[i] = GVT_ATTEST_BAD_SIGNATURE;
        size_t d =
            atomic_fetch_add_explicit(j->done, 1, memory_order_relaxed) + 1;
        if (j->fn && (k - j->lo) % 4096 == 4095)
            j->fn(j->ctx, "signatures", d, j->total);
    }
}

static void sig_share(void *arg, unsigned k)
{
    sig_worker(&((sig_job *)arg)[k]);
}

static void check_signatures(const gvt_attestations *a,
                             const gvt_issuer *const *issuer, uint8_t *reason,
                             unsigned threads, gvt_progress_fn fn, void *ctx)
{
    size_t *todo = gvt_xmalloc((a->n ? a->n : 1) * sizeof *todo);
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (reason[i] == GVT_ATTEST_VALID)
            todo[n++] = i;
    /* Fewer than 64 checks per thread is not worth a thread. */
    unsigned nt = gvt_workers_count(threads, n / 64 + 1);
    sig_job *jobs = gvt_xcalloc(nt, sizeof *jobs);
    atomic_size_t done;
    atomic_init(&done, 0);
    for (unsigned k = 0; k < nt; k++) {
        jobs[k] = (sig_job){a,     issuer,     reason,
                            todo,  n * k / nt, n * (k + 1) / nt,
                            &done, n,          k == 0 ? fn : NULL,
                            ctx};
    }
    gvt_workers_run(nt, sig_share, jobs);
    if (fn && n > 0)
        fn(ctx, "signatures", n, n);
    free(jobs);
    free(todo);
}

/* ---- the rules of docs/formats.md#attestation-outcomes ------------------- */

typedef struct sort_item {
    const gvt_attestation *t;
    size_t i;
} sort_item;

/* Issuers compare by kind, then by key or address. */
static int issuer_cmp(const gvt_attestation *a, const gvt_attestation *b)
{
    return gvt_signer_cmp(a->kind, a->issuer, b->kind, b->issuer);
}

static int cmp_id(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    int c = memcmp(a->t->id, b->t->id, 32);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int cmp_issuer_subject(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    int c = issuer_cmp(a->t, b->t);
    if (!c)
        c = strcmp(a->t->subject, b->t->subject);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int cmp_issuer_nullifier(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    int c = issuer_cmp(a->t, b->t);
    if (!c)
        c = memcmp(a->t->nullifier, b->t->nullifier, 32);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static bool in_sorted(uint8_t (*v)[32], size_t n, const uint8_t key[32])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(v[mid], key, 32);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/*
 * The attestations as judge() sees them: EAS records take their nullifier,
 * scope and weight from their source in the trust file, so judge() fills
 * them in a copy; the caller's attestations are never written.
 */
static gvt_attestations view_of(const gvt_attestations *a)
{
    gvt_attestations v = *a;
    if (a->has_eas && a->n) {
        v.items = gvt_xmalloc(a->n * sizeof *v.items);
        memcpy(v.items, a->items, a->n * sizeof *v.items);
    }
    return v;
}

static void view_free(const gvt_attestations *a, gvt_attestations *v)
{
    if (v->items != a->items)
        free(v->items);
}

static int cmp_ballot_voter(const void *x, const void *y)
{
    const gvt_ballot *a = *(const gvt_ballot *const *)x;
    const gvt_ballot *b = *(const gvt_ballot *const *)y;
    return strcmp(a->voter, b->voter);
}

/*
 * What the rules need besides the attestations: in a tally, the proposal
 * (its counted ballots, space and end); for `attest verify`, an optional
 * scope and time.
 */
typedef struct judge_in {
    const gvt_proposal *p; /* NULL: no proposal */
    const char *scope;     /* without a proposal: NULL = not checked */
    long long at;          /* without a proposal: < 0 = not checked */
    unsigned threads;
    gvt_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} judge_in;

/* duplicate: the first of each id in input order stands. */
static void mark_duplicates(const gvt_attestations *a, uint8_t *reason)
{
    size_t n = a->n;
    sort_item *s = gvt_xmalloc((n ? n : 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = (sort_item){&a->items[i], i};
    qsort(s, n, sizeof *s, cmp_id);
    for (size_t k = 1; k < n; k++)
        if (memcmp(s[k].t->id, s[k - 1].t->id, 32) == 0)
            reason[s[k].i] = GVT_ATTEST_DUPLICATE;
    free(s);
}

/* unused: ballot[i] is the counted ballot of item i's subject, or NULL. */
static void match_ballots(const gvt_attestations *a, const gvt_proposal *p,
                          uint8_t *reason, const gvt_ballot **ballot)
{
    const gvt_ballot **counted =
        gvt_xmalloc((p->n_ballots ? p->n_ballots : 1) * sizeof *counted);
    size_t nc = 0;
    for (size_t b = 0; b < p->n_ballots; b++)
        if (p->ballots[b].status == GVT_BALLOT_COUNTED)
            counted[nc++] = &p->ballots[b];
    qsort(counted, nc, sizeof *counted, cmp_ballot_voter);
    for (size_t i = 0; i < a->n; i++) {
        gvt_ballot key = {.voter = a->items[i].subject};
        const gvt_ballot *kp = &key;
        const gvt_ballot **hit =
            nc ? bsearch(&kp, counted, nc, sizeof *counted, cmp_ballot_voter)
               : NULL;
        ballot[i] = hit ? *hit : NULL;
        if (reason[i] == GVT_ATTEST_VALID && !hit)
            reason[i] = GVT_ATTEST_UNUSED;
    }
    free(counted);
}

/* untrusted-issuer; for EAS records wrong-schema, and their source gives
 * them a nullifier, a scope and a weight. */
static void find_issuers(gvt_attestations *a, const gvt_trust *t,
                         uint8_t *reason, const gvt_issuer **issuer)
{
    for (size_t i = 0; i < a->n; i++) {
        gvt_attestation *x = &a->items[i];
        bool known = false;
        issuer[i] = x->kind == GVT_SIGNER_EAS
                        ? gvt_trust_find_eas(t, x, &known)
                        : gvt_trust_find(t, x->kind, x->issuer);
        if (reason[i] == GVT_ATTEST_VALID && !issuer[i])
            reason[i] =
                known ? GVT_ATTEST_WRONG_SCHEMA : GVT_ATTEST_UNTRUSTED_ISSUER;
        if (issuer[i] && x->kind == GVT_SIGNER_EAS &&
            !gvt_eas_resolve(issuer[i], x) && reason[i] == GVT_ATTEST_VALID)
            reason[i] = GVT_ATTEST_WRONG_SCHEMA;
    }
}

/* issuer-window, revoked, wrong-scope, not-yet-valid, expired: the
 * reason of a record whose signature holds, or GVT_ATTEST_VALID. */
static uint8_t judge_terms(const gvt_attestations *a, size_t i,
                           const gvt_issuer *is, const judge_in *in,
                           const gvt_ballot *ballot)
{
    const gvt_attestation *x = &a->items[i];
    const char *scope = in->p ? in->p->space : in->scope;
    /* The time the attestation is judged at; INT64_MIN = unknown. */
    int64_t when = INT64_MIN;
    if (in->p)
        when = ballot->created != INT64_MIN ? ballot->created : in->p->end;
    else if (in->at >= 0)
        when = in->at;
    if ((is->valid_from && x->issued_at < is->valid_from) ||
        (is->valid_until && x->issued_at > is->valid_until))
        return GVT_ATTEST_ISSUER_WINDOW;
    if ((x->eas && x->eas->revoked) ||
        (x->eas && gvt_eas_revoked_offchain(a, x)) ||
        in_sorted(is->revoked, is->n_revoked, x->id) ||
        in_sorted(is->revoked_nullifiers, is->n_revoked_nullifiers,
                  x->nullifier))
        return GVT_ATTEST_REVOKED;
    if (scope && strcmp(x->scope, "*") != 0 && strcmp(x->scope, scope) != 0)
        return GVT_ATTEST_WRONG_SCOPE;
    if (when != INT64_MIN && when < x->issued_at)
        return GVT_ATTEST_NOT_YET_VALID;
    if (when != INT64_MIN && x->expires_at != 0 && when >= x->expires_at)
        return GVT_ATTEST_EXPIRED;
    return GVT_ATTEST_VALID;
}

/* conflict: one issuer, one subject, several nullifiers among those still
 * valid: every one of them is in conflict. */
static void mark_conflicts(const gvt_attestations *a, uint8_t *reason)
{
    sort_item *s = gvt_xmalloc((a->n ? a->n : 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (reason[i] == GVT_ATTEST_VALID)
            s[m++] = (sort_item){&a->items[i], i};
    qsort(s, m, sizeof *s, cmp_issuer_subject);
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        bool differ = false;
        for (hi = lo + 1; hi < m && issuer_cmp(s[hi].t, s[lo].t) == 0 &&
                          strcmp(s[hi].t->subject, s[lo].t->subject) == 0;
             hi++)
            if (memcmp(s[hi].t->nullifier, s[lo].t->nullifier, 32) != 0)
                differ = true;
        if (differ)
            for (size_t k = lo; k < hi; k++)
                reason[s[k].i] = GVT_ATTEST_CONFLICT;
    }
    free(s);
}

/*
 * Fills reason[i] for every attestation, issuer[i] with its trusted issuer
 * (or NULL) and, with a proposal, ballot[i] with its subject's counted ballot
 * (or NULL): the passes of the top of this file, in their order.
 */
static void judge(gvt_attestations *a, const gvt_trust *t, const judge_in *in,
                  uint8_t *reason, const gvt_issuer **issuer,
                  const gvt_ballot **ballot)
{
    memset(reason, GVT_ATTEST_VALID, a->n);
    mark_duplicates(a, reason);
    if (in->p)
        match_ballots(a, in->p, reason, ballot);
    find_issuers(a, t, reason, issuer);
    check_signatures(a, issuer, reason, in->threads, in->progress,
                     in->progress_ctx);
    for (size_t i = 0; i < a->n; i++)
        if (reason[i] == GVT_ATTEST_VALID)
            reason[i] =
                judge_terms(a, i, issuer[i], in, in->p ? ballot[i] : NULL);
    mark_conflicts(a, reason);
}

GVT_API gvt_status gvt_attestations_verify(const gvt_attestations *a,
                                           const gvt_trust *t,
                                           const char *scope, long long at,
                                           unsigned threads, size_t *out_counts,
                                           size_t n_counts, gvt_error *err)
{
    if (n_counts)
        memset(out_counts, 0, n_counts * sizeof *out_counts);
    if (!a || !t) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "attestations and a trust file are both needed");
        return GVT_ERR_USAGE;
    }
    if (scope && !gvt_scope_valid(scope, strlen(scope))) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "scope '%s' is neither '*' nor 1 to 128 characters of "
                      "A-Za-z0-9._:-",
                      scope);
        return GVT_ERR_USAGE;
    }
    if (gvt_sodium_start(NULL, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    size_t n = a->n ? a->n : 1;
    uint8_t *reason = gvt_xmalloc(n);
    const gvt_issuer **issuer = gvt_xmalloc(n * sizeof *issuer);
    judge_in in = {NULL, scope, at, threads, NULL, NULL};
    gvt_attestations view = view_of(a);
    judge(&view, t, &in, reason, issuer, NULL);
    view_free(a, &view);
    for (size_t i = 0; i < a->n; i++)
        if (reason[i] < n_counts)
            out_counts[reason[i]]++;
    free(issuer);
    free(reason);
    return GVT_OK;
}

/* ---- humans (docs/identity.md#humans) ------------------------------------ */

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Union by smaller index as root: the result does not depend on order. */
static void uf_union(size_t *parent, size_t x, size_t y)
{
    x = uf_find(parent, x);
    y = uf_find(parent, y);
    if (x < y)
        parent[y] = x;
    else if (y < x)
        parent[x] = y;
}

static int cmp_human(const void *x, const void *y)
{
    const gvt_human *a = x, *b = y;
    return strcmp(a->ballot->voter, b->ballot->voter);
}

/* Whether ballot b voted later than a (greatest created; tie: smallest
 * address). */
static bool later(const gvt_ballot *b, const gvt_ballot *a)
{
    if (b->created != a->created)
        return b->created > a->created;
    return strcmp(b->voter, a->voter) < 0;
}

gvt_status gvt_identity_build(const gvt_proposal *p, const gvt_attestations *a,
                              const gvt_trust *t, unsigned threads,
                              gvt_identity **out, gvt_error *err)
{
    return gvt_identity_build_progress(p, a, t, threads, NULL, NULL, out, err);
}

/*
 * Wallets are ballots, by index: links the wallets whose valid attestations
 * share an (issuer, nullifier) in parent (union-find), and gives each
 * wallet's best weight of its valid attestations in wweight, in millionths
 * squared, +1 so that 0 means "no valid attestation".
 */
static void link_wallets(const gvt_proposal *p, const gvt_attestations *a,
                         const uint8_t *reason, const gvt_issuer **issuer,
                         const gvt_ballot **ballot, size_t *parent,
                         uint64_t *wweight)
{
    size_t n = a->n;
    for (size_t b = 0; b < p->n_ballots; b++)
        parent[b] = b;
    sort_item *s = gvt_xmalloc((n ? n : 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (reason[i] != GVT_ATTEST_VALID)
            continue;
        s[m++] = (sort_item){&a->items[i], i};
        size_t b = (size_t)(ballot[i] - p->ballots);
        uint64_t w = (uint64_t)issuer[i]->weight * a->items[i].weight + 1;
        if (w > wweight[b])
            wweight[b] = w;
    }
    qsort(s, m, sizeof *s, cmp_issuer_nullifier);
    for (size_t k = 1; k < m; k++)
        if (issuer_cmp(s[k].t, s[k - 1].t) == 0 &&
            memcmp(s[k].t->nullifier, s[k - 1].t->nullifier, 32) == 0)
            uf_union(parent, (size_t)(ballot[s[k].i] - p->ballots),
                     (size_t)(ballot[s[k - 1].i] - p->ballots));
    free(s);
}

/*
 * One human per component root of the counted, verified wallets (in order of
 * first wallet; human_of[root] its index), with its latest ballot, its
 * wallets' vp and its best weight (hweight, as wweight); counts the verified
 * and unverified wallets.
 */
static void collect_humans(const gvt_proposal *p, size_t *parent,
                           const uint64_t *wweight, gvt_identity *id,
                           size_t *human_of, uint64_t *hweight)
{
    size_t nb = p->n_ballots;
    for (size_t b = 0; b < nb; b++)
        human_of[b] = SIZE_MAX;
    id->humans = gvt_xcalloc(nb ? nb : 1, sizeof *id->humans);
    for (size_t b = 0; b < nb; b++) {
        if (p->ballots[b].status != GVT_BALLOT_COUNTED)
            continue;
        if (!wweight[b]) {
            id->unverified_wallets++;
            continue;
        }
        id->verified_wallets++;
        size_t r = uf_find(parent, b);
        if (human_of[r] == SIZE_MAX) {
            human_of[r] = id->n_humans++;
            gvt_human *h = &id->humans[human_of[r]];
            mpz_init(h->weight);
            mpz_init(h->vp);
            h->ballot = &p->ballots[b];
        }
        size_t hi = human_of[r];
        gvt_human *h = &id->humans[hi];
        if (later(&p->ballots[b], h->ballot))
            h->ballot = &p->ballots[b];
        mpz_add(h->vp, h->vp, p->ballots[b].vp);
        h->n_wallets++;
        if (wweight[b] > hweight[hi])
            hweight[hi] = wweight[b];
    }
}

/* Each human's weight from hweight: millionths x millionths = 10^-12;
 * fixed point is 10^-36. */
static void human_weights(gvt_identity *id, const uint64_t *hweight)
{
    mpz_t scale;
    mpz_init(scale);
    mpz_ui_pow_ui(scale, 10, GVT_FX_DIGITS - 12);
    for (size_t h = 0; h < id->n_humans; h++) {
        uint64_t w = hweight[h] - 1;
        mpz_set_ui(id->humans[h].weight, (unsigned long)(w / 1000000u));
        mpz_mul_ui(id->humans[h].weight, id->humans[h].weight, 1000000u);
        mpz_add_ui(id->humans[h].weight, id->humans[h].weight,
                   (unsigned long)(w % 1000000u));
        mpz_mul(id->humans[h].weight, id->humans[h].weight, scale);
    }
    mpz_clear(scale);
}

gvt_status gvt_identity_build_progress(const gvt_proposal *p,
                                       const gvt_attestations *given,
                                       const gvt_trust *t, unsigned threads,
                                       gvt_progress_fn progress,
                                       void *progress_ctx, gvt_identity **out,
                                       gvt_error *err)
{
    *out = NULL;
    if (!p || !given || !t) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "a proposal, attestations and a trust file are needed");
        return GVT_ERR_USAGE;
    }
    if (gvt_sodium_start(NULL, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    gvt_attestations view = view_of(given);
    const gvt_attestations *a = &view;
    size_t n = a->n, nb = p->n_ballots;
    uint8_t *reason = gvt_xmalloc(n ? n : 1);
    const gvt_issuer **issuer = gvt_xmalloc((n ? n : 1) * sizeof *issuer);
    const gvt_ballot **ballot = gvt_xcalloc(n ? n : 1, sizeof *ballot);
    judge_in in = {p, NULL, -1, threads, progress, progress_ctx};
    judge(&view, t, &in, reason, issuer, ballot);

    gvt_identity *id = gvt_xcalloc(1, sizeof *id);
    id->read = n;
    for (size_t i = 0; i < n; i++)
        id->counts[reason[i]]++;

    size_t *parent = gvt_xmalloc((nb ? nb : 1) * sizeof *parent);
    uint64_t *wweight = gvt_xcalloc(nb ? nb : 1, sizeof *wweight);
    link_wallets(p, a, reason, issuer, ballot, parent, wweight);
    size_t *human_of = gvt_xmalloc((nb ? nb : 1) * sizeof *human_of);
    uint64_t *hweight = gvt_xcalloc(nb ? nb : 1, sizeof *hweight);
    collect_humans(p, parent, wweight, id, human_of, hweight);
    human_weights(id, hweight);
    qsort(id->humans, id->n_humans, sizeof *id->humans, cmp_human);
    /* Each counted ballot's human after the sort: the root of a human's
     * component is found from its (last) ballot. */
    id->human_of = gvt_xmalloc((nb ? nb : 1) * sizeof *id->human_of);
    for (size_t h = 0; h < id->n_humans; h++)
        human_of[uf_find(parent, (size_t)(id->humans[h].ballot - p->ballots))] =
            h;
    for (size_t b = 0; b < nb; b++)
        id->human_of[b] =
            p->ballots[b].status == GVT_BALLOT_COUNTED && wweight[b]
                ? (uint32_t)human_of[uf_find(parent, b)]
                : UINT32_MAX;

    free(hweight);
    free(human_of);
    free(wweight);
    free(parent);
    free(ballot);
    free(issuer);
    free(reason);
    view_free(given, &view);
    *out = id;
    return GVT_OK;
}

void gvt_identity_free(gvt_identity *id)
{
    if (!id)
        return;
    for (size_t h = 0; h < id->n_humans; h++) {
        mpz_clear(id->humans[h].weight);
        mpz_clear(id->humans[h].vp);
    }
    free(id->humans);
    free(id->human_of);
    free(id);
}
