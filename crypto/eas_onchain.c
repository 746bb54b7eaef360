/*
 * eas_onchain.c: reading the on-chain EAS attestations that `govtally fetch
 * eas` writes (docs/fetch.md#eas-attestations), one per line (or a JSON
 * array):
 *
 *   {"format": "gvt-eas-onchain/1", "chain_id": 10, "contract": "0x...",
 *    "read_at": N, "block": B, "tx": "0x...", "log_index": I,
 *    "uid": "0x...", "schema": "0x...", "attester": "0x...",
 *    "recipient": "0x...", "time": T, "expiration_time": E,
 *    "revocation_time": R, "ref_uid": "0x...", "revocable": true,
 *    "data": "0x...", "bump": 0[, "revoked": {"block", "tx", "log_index"}]}
 *
 * There is no signature: the record is what the node said the contract
 * holds (docs/identity.md#on-chain-eas-attestations). What can be checked here
 * is that the uid is the one EAS.sol derives from the fields and the bump
 * (gvt_eas_onchain_uid): a record edited after the fetch fails that and is
 * judged bad-signature, as an off-chain record whose uid is not its fields'.
 * A record revoked at read_at (revocation_time not 0, with its Revoked
 * event) is judged revoked. Everything else is as for off-chain records:
 * subject = recipient, issuer = attester, the trust file's sources match
 * attester, schema, chain id and contract.
 *
 * A line with "event": "RevokedOffchain" is no attestation: it says that
 * `revoker` revoked the off-chain attestation `uid` on the contract
 * (revokeOffchain), with chain_id, contract, read_at, block, tx, log_index
 * and time. An off-chain package of that attester, uid, chain and contract
 * is then revoked (gvt_eas_revoked_offchain).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/eas_json.h"

#define FORMAT "gvt-eas-onchain/1"

bool gvt_eas_onchain_sniff(const char *text, size_t len)
{
    size_t scan = len < 4096 ? len : 4096;
    const char *nl = memchr(text, '\n', scan);
    size_t n = nl ? (size_t)(nl - text) : scan;
    for (size_t i = 0; i + sizeof FORMAT + 1 <= n; i++)
        if (memcmp(text + i, "\"" FORMAT "\"", sizeof FORMAT + 1) == 0)
            return true;
    return false;
}

/* "0x" and 64 hex digits (a transaction hash). */
static bool tx_hash(gvt_easj *r, yajl_val v)
{
    uint8_t h[32];
    return gvt_easj_hex_bytes(r, v, h, 32);
}

/* block, tx and log_index of o (under base). */
static bool where(gvt_easj *r, yajl_val o, const char *base)
{
    bool bad = false;
    uint64_t x;
    yajl_val v;
    return (v = gvt_easj_need(r, o, base, "block", &bad)) &&
           gvt_easj_number(r, v, &x) &&
           (v = gvt_easj_need(r, o, base, "tx", &bad)) && tx_hash(r, v) &&
           (v = gvt_easj_need(r, o, base, "log_index", &bad)) &&
           gvt_easj_number(r, v, &x);
}

static bool hex_data(gvt_easj *r, yajl_val v, gvt_arena *arena,
                     const uint8_t **out, size_t *out_len)
{
    const char *d = gvt_easj_str(v);
    size_t dl = d ? strlen(d) : 0;
    uint8_t *data = gvt_arena_alloc(arena, dl / 2 + 1);
    if (!d || d[0] != '0' || d[1] != 'x' || dl % 2 ||
        !gvt_hex_decode(data, d + 2, dl - 2, (dl - 2) / 2))
        return gvt_easj_fail(r, "expected 0x and an even number of hex "
                                "digits");
    *out = data;
    *out_len = (dl - 2) / 2;
    return true;
}

/* The record's own fields into o and info. */
static bool fields(gvt_easj *r, yajl_val p, gvt_arena *arena,
                   gvt_eas_onchain *o, gvt_eas_info *info, uint8_t uid[32],
                   uint64_t *bump, uint64_t *revoked_at)
{
    bool bad = false;
    yajl_val v;
    uint64_t read_at;
    if (!(v = gvt_easj_need(r, p, "$", "chain_id", &bad)) ||
        !gvt_easj_number(r, v, &info->chain_id) ||
        !(v = gvt_easj_need(r, p, "$", "contract", &bad)) ||
        !gvt_easj_address(r, v, info->contract) ||
        !(v = gvt_easj_need(r, p, "$", "read_at", &bad)) ||
        !gvt_easj_number(r, v, &read_at) || !where(r, p, "$") ||
        !(v = gvt_easj_need(r, p, "$", "uid", &bad)) ||
        !gvt_easj_hex_bytes(r, v, uid, 32) ||
        !(v = gvt_easj_need(r, p, "$", "schema", &bad)) ||
        !gvt_easj_hex_bytes(r, v, o->schema, 32) ||
        !(v = gvt_easj_need(r, p, "$", "attester", &bad)) ||
        !gvt_easj_address(r, v, o->attester) ||
        !(v = gvt_easj_need(r, p, "$", "recipient", &bad)) ||
        !gvt_easj_address(r, v, o->recipient) ||
        !(v = gvt_easj_need(r, p, "$", "time", &bad)) ||
        !gvt_easj_number(r, v, &o->time) ||
        !(v = gvt_easj_need(r, p, "$", "expiration_time", &bad)) ||
        !gvt_easj_number(r, v, &o->expiration_time) ||
        !(v = gvt_easj_need(r, p, "$", "revocation_time", &bad)) ||
        !gvt_easj_number(r, v, revoked_at) ||
        !(v = gvt_easj_need(r, p, "$", "ref_uid", &bad)) ||
        !gvt_easj_hex_bytes(r, v, o->ref_uid, 32) ||
        !(v = gvt_easj_need(r, p, "$", "revocable", &bad)))
        return false;
    if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
        return gvt_easj_fail(r, "expected true or false");
    o->revocable = YAJL_IS_TRUE(v);
    if (!(v = gvt_easj_need(r, p, "$", "data", &bad)) ||
        !hex_data(r, v, arena, &o->data, &o->data_len) ||
        !(v = gvt_easj_need(r, p, "$", "bump", &bad)) ||
        !gvt_easj_number(r, v, bump))
        return false;
    if (*bump > UINT32_MAX)
        return gvt_easj_fail(r, "expected a bump below 2^32");
    return !bad;
}

static void key_of(uint64_t chain, const uint8_t contract[20],
                   const uint8_t revoker[20], const uint8_t uid[32],
                   uint8_t key[GVT_EAS_REVOKED_KEY])
{
    for (int i = 0; i < 8; i++)
        key[i] = (uint8_t)(chain >> (56 - 8 * i));
    memcpy(key + 8, contract, 20);
    memcpy(key + 28, revoker, 20);
    memcpy(key + 48, uid, 32);
}

/* A RevokedOffchain line into a->revoked_offchain. */
static bool revocation(gvt_easj *r, yajl_val p, gvt_attestations *a)
{
    bool bad = false;
    yajl_val v;
    uint64_t chain, x;
    uint8_t contract[20], revoker[20], uid[32];
    if (!(v = gvt_easj_need(r, p, "$", "chain_id", &bad)) ||
        !gvt_easj_number(r, v, &chain) ||
        !(v = gvt_easj_need(r, p, "$", "contract", &bad)) ||
        !gvt_easj_address(r, v, contract) ||
        !(v = gvt_easj_need(r, p, "$", "read_at", &bad)) ||
        !gvt_easj_number(r, v, &x) || !where(r, p, "$") ||
        !(v = gvt_easj_need(r, p, "$", "revoker", &bad)) ||
        !gvt_easj_address(r, v, revoker) ||
        !(v = gvt_easj_need(r, p, "$", "uid", &bad)) ||
        !gvt_easj_hex_bytes(r, v, uid, 32) ||
        !(v = gvt_easj_need(r, p, "$", "time", &bad)) ||
        !gvt_easj_number(r, v, &x))
        return false;
    size_t n = a->n_revoked_offchain;
    if ((n & (n - 1)) == 0)
        a->revoked_offchain = gvt_xrealloc(
            a->revoked_offchain, (n ? 2 * n : 16) * GVT_EAS_REVOKED_KEY);
    key_of(chain, contract, revoker, uid, a->revoked_offchain[n]);
    a->n_revoked_offchain++;
    return !bad;
}

static int key_cmp(const void *x, const void *y)
{
    return memcmp(x, y, GVT_EAS_REVOKED_KEY);
}

void gvt_eas_revocations_sort(gvt_attestations *a)
{
    if (a->n_revoked_offchain > 1)
        qsort(a->revoked_offchain, a->n_revoked_offchain, GVT_EAS_REVOKED_KEY,
              key_cmp);
}

bool gvt_eas_revoked_offchain(const gvt_attestations *a,
                              const gvt_attestation *t)
{
    if (!a->n_revoked_offchain || !t->eas || t->eas->onchain)
        return false;
    uint8_t key[GVT_EAS_REVOKED_KEY];
    key_of(t->eas->chain_id, t->eas->contract, t->issuer, t->id, key);
    return bsearch(key, a->revoked_offchain, a->n_revoked_offchain,
                   GVT_EAS_REVOKED_KEY, key_cmp) != NULL;
}

/* One record into a new attestation of a (or a revocation). */
static bool record(gvt_easj *r, yajl_val p, void *ctx)
{
    gvt_attestations *a = ctx;
    bool bad = false;
    snprintf(r->path, sizeof r->path, "$");
    if (!YAJL_IS_OBJECT(p))
        return gvt_easj_fail(r, "expected a " FORMAT " record (an object)");
    yajl_val v = gvt_easj_need(r, p, "$", "format", &bad);
    if (!v)
        return false;
    if (!gvt_easj_str(v) || strcmp(gvt_easj_str(v), FORMAT) != 0)
        return gvt_easj_fail(r, "expected \"" FORMAT "\"");
    gvt_easj_at(r, "$", "event");
    yajl_val event = gvt_easj_member(r, p, "event", &bad);
    if (bad)
        return false;
    if (event && (!gvt_easj_str(event) ||
                  strcmp(gvt_easj_str(event), "RevokedOffchain") != 0))
        return gvt_easj_fail(r, "expected \"RevokedOffchain\" (or no "
                                "event: an attestation)");
    if (event)
        return revocation(r, p, a);
    gvt_eas_onchain o;
    memset(&o, 0, sizeof o);
    gvt_eas_info *info = gvt_arena_calloc(a->arena, 1, sizeof *info);
    uint8_t uid[32];
    uint64_t bump = 0, revoked_at = 0;
    if (!fields(r, p, a->arena, &o, info, uid, &bump, &revoked_at))
        return false;
    gvt_easj_at(r, "$", "revoked");
    yajl_val rev = gvt_easj_member(r, p, "revoked", &bad);
    if (bad)
        return false;
    if (rev && !YAJL_IS_OBJECT(rev))
        return gvt_easj_fail(r, "expected an object {block, tx, log_index}");
    if (rev && !where(r, rev, "$.revoked"))
        return false;
    if (!rev != !revoked_at) {
        gvt_easj_at(r, "$", "revocation_time");
        return gvt_easj_fail(r, "revocation_time and revoked disagree (a "
                                "revoked record has both)");
    }
    uint8_t computed[32];
    gvt_eas_onchain_uid(&o, (uint32_t)bump, computed);
    memcpy(info->schema, o.schema, 32);
    memcpy(info->ref_uid, o.ref_uid, 32);
    info->data = o.data;
    info->data_len = o.data_len;
    info->consistent = memcmp(computed, uid, 32) == 0;
    info->onchain = true;
    info->revoked = revoked_at != 0;
    (void)gvt_easj_add(r, a, o.attester, uid, o.recipient, o.time,
                       o.expiration_time, info);
    return true;
}

gvt_status gvt_eas_onchain_read(const char *file, const char *text, size_t len,
                                gvt_attestations *a, gvt_error *err)
{
    gvt_easj r = {.file = file, .line = 1, .err = err};
    return gvt_easj_lines(&r, text, len, FORMAT " records", record, a);
}
