/*
 * identity.h: attestations judged against one proposal's counted ballots
 * (docs/formats.md#attestation-outcomes) and wallets merged into humans
 * (docs/identity.md#humans).
 */
#ifndef GVT_IDENTITY_H
#define GVT_IDENTITY_H

#include "crypto/crypto.h"
#include "store/store.h"

/* One human (docs/identity.md#humans): a connected component of wallets linked
 * through shared (issuer, nullifier) pairs of valid attestations. */
typedef struct gvt_human {
    const gvt_ballot *ballot; /* counted ballot of the wallet that voted last */
    mpz_t weight;             /* personhood weight, fixed point in [0, 1] */
    mpz_t vp;                 /* sum of the vp of its wallets that voted */
    size_t n_wallets;
} gvt_human;

typedef struct gvt_identity {
    size_t read;                            /* attestations read */
    size_t counts[GVT_ATTEST_REASON_COUNT]; /* [GVT_ATTEST_VALID] = valid */
    gvt_human *humans;                      /* sorted by ballot voter */
    size_t n_humans;
    size_t verified_wallets;   /* voting wallets with a valid attestation */
    size_t unverified_wallets; /* voting wallets without one */
    /* per ballot of the proposal: the index in humans of the human it
     * belongs to, UINT32_MAX for an unverified or uncounted ballot */
    uint32_t *human_of;
} gvt_identity;

/*
 * Judges every attestation against the proposal's counted ballots
 * (docs/formats.md#attestation-outcomes) and merges wallets into humans
 * (docs/identity.md#humans). Signatures are checked on `threads` threads (0 =
 * one per core) with the same result as one thread.
 */
gvt_status gvt_identity_build(const gvt_proposal *p, const gvt_attestations *a,
                              const gvt_trust *t, unsigned threads,
                              gvt_identity **out, gvt_error *err);
/* The same, reporting the signature checks to progress (may be NULL). */
gvt_status gvt_identity_build_progress(const gvt_proposal *p,
                                       const gvt_attestations *a,
                                       const gvt_trust *t, unsigned threads,
                                       gvt_progress_fn progress,
                                       void *progress_ctx, gvt_identity **out,
                                       gvt_error *err);
void gvt_identity_free(gvt_identity *id);

#endif /* GVT_IDENTITY_H */
