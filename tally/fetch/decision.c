/*
 * decision.c: a governor proposal's decision rule and the figures the chain
 * gives for it (docs/outcomes.md, docs/fetch.md), read with eth_call and
 * written as the export's members (docs/formats.md):
 *
 *   oz      "openzeppelin"; quorum = quorum(voteStart), the quorum at the
 *           proposal's snapshot (GovernorVotesQuorumFraction: a share of
 *           the past total supply), asked at the last block read
 *   bravo,  "compound"; quorum = quorumVotes(), asked at the block the
 *   alpha   proposal was first seen in (its ProposalCreated)
 *   aragon  "aragon"; from getVote(id): support = supportRequired / 10^18,
 *           quorum_share = minAcceptQuorum / 10^18, supply = votingPower
 *
 * Amounts of the token are divided by 10^decimals exactly, as the votes'
 * weights are. A call the contract refuses (a revert: a quorum asked of a
 * snapshot still ahead, a contract without that function) leaves its figure
 * out, and the outcome is then not decidable and says why; a node that
 * cannot be reached, or answers malformed data, fails the fetch as any other
 * call does.
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/eth/eth.h"
#include "fetch/fetch.h"

/* selector(signature) followed by the words given (big-endian uint256). */
static size_t call_data(uint8_t *out, const char *signature, const mpz_t *args,
                        size_t n_args)
{
    uint8_t h[32];
    gvt_keccak256(signature, strlen(signature), h);
    memcpy(out, h, 4);
    for (size_t i = 0; i < n_args; i++) {
        uint8_t *w = out + 4 + 32 * i;
        memset(w, 0, 32);
        size_t count = (mpz_sizeinbase(args[i], 2) + 7) / 8;
        if (mpz_sgn(args[i]) != 0 && count <= 32)
            mpz_export(w + 32 - count, NULL, 1, 1, 1, 0, args[i]);
    }
    return 4 + 32 * n_args;
}

/*
 * Calls signature(args) on the governor at block and gives word k of the
 * answer in *word (false, with st GVT_OK, when the contract reverts).
 */
static gvt_status call_words(gvt_rpc *r, const char *address,
                             const char *signature, const mpz_t *args,
                             size_t n_args, uint64_t block, const size_t *k,
                             mpz_t *word, size_t n_words, bool *given,
                             gvt_error *err)
{
    uint8_t data[4 + 32 * 2];
    size_t len = call_data(data, signature, args, n_args);
    uint8_t *ret = NULL;
    size_t ret_len = 0;
    bool reverted = false;
    gvt_status st = gvt_rpc_call(r, address, data, len, block, signature, &ret,
                                 &ret_len, &reverted, err);
    *given = false;
    if (st != GVT_OK) {
        if (reverted) {
            gvt_error_clear(err);
            return GVT_OK;
        }
        return st;
    }
    bool whole = true;
    for (size_t i = 0; i < n_words; i++)
        whole = whole && (k[i] + 1) * 32 <= ret_len;
    if (whole) {
        for (size_t i = 0; i < n_words; i++)
            mpz_import(word[i], 32, 1, 1, 1, 0, ret + 32 * k[i]);
        *given = true;
    }
    free(ret);
    return GVT_OK;
}

static void put_member(gvt_buf *out, const char *name, const mpz_t x,
                       int decimals)
{
    gvt_buf_printf(out, ",\"%s\":", name);
    gvt_fetch_put_scaled(out, x, decimals);
}

gvt_status gvt_governor_decision(gvt_rpc *r, const char *address,
                                 gvt_governor_kind kind, const char *id,
                                 uint64_t created_block, uint64_t snapshot,
                                 uint64_t at, int decimals, gvt_buf *out,
                                 gvt_error *err)
{
    mpz_t arg, w[3];
    mpz_inits(arg, w[0], w[1], w[2], NULL);
    bool given = false;
    gvt_status st = GVT_OK;
    switch (kind) {
    case GVT_GOVERNOR_OZ: {
        gvt_buf_puts(out, ",\"rule\":\"openzeppelin\"");
        static const size_t k0[] = {0};
        mpz_set_str(arg, id, 10);
        if (snapshot == 0) { /* no ProposalCreated read: ask for it */
            st = call_words(r, address, "proposalSnapshot(uint256)",
                            (const mpz_t *)&arg, 1, at, k0, w, 1, &given, err);
            if (st != GVT_OK || !given || !mpz_fits_ulong_p(w[0]))
                break;
            snapshot = mpz_get_ui(w[0]);
        }
        mpz_set_ui(arg, snapshot);
        st = call_words(r, address, "quorum(uint256)", (const mpz_t *)&arg, 1,
                        at, k0, w, 1, &given, err);
        if (st == GVT_OK && given)
            put_member(out, "quorum", w[0], decimals);
        break;
    }
    case GVT_GOVERNOR_BRAVO:
    case GVT_GOVERNOR_ALPHA: {
        gvt_buf_puts(out, ",\"rule\":\"compound\"");
        static const size_t k0[] = {0};
        st = call_words(r, address, "quorumVotes()", NULL, 0, created_block, k0,
                        w, 1, &given, err);
        if (st == GVT_OK && given)
            put_member(out, "quorum", w[0], decimals);
        break;
    }
    case GVT_GOVERNOR_ARAGON: {
        gvt_buf_puts(out, ",\"rule\":\"aragon\"");
        /* (open, executed, startDate, snapshotBlock, supportRequired,
         * minAcceptQuorum, yea, nay, votingPower, script...) */
        static const size_t k[] = {4, 5, 8};
        mpz_set_str(arg, id, 10);
        st = call_words(r, address, "getVote(uint256)", (const mpz_t *)&arg, 1,
                        at, k, w, 3, &given, err);
        if (st == GVT_OK && given) {
            put_member(out, "support", w[0], 18);
            put_member(out, "quorum_share", w[1], 18);
            put_member(out, "supply", w[2], decimals);
        }
        break;
    }
    }
    mpz_clears(arg, w[0], w[1], w[2], NULL);
    return st;
}
