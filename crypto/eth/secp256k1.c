/*
 * secp256k1.c: Ethereum signatures. An Ethereum account is the last 20 bytes
 * of the Keccak-256 of its uncompressed public key (x || y, 64 bytes); a
 * signature is r || s || v, and the signer is found by recovering the public
 * key from the digest and (r, s, v) with libsecp256k1's recovery module.
 *
 * The checks are ours, made before libsecp256k1 sees the signature, so that
 * each refusal has its own reason whatever the library version: r and s in
 * [1, n-1]; s no greater than n/2 (Ethereum has refused the high twin (r,
 * n-s, v^1) of every signature since EIP-2, and accepting it would give one
 * statement two signatures); v 27 or 28, or 0 or 1 only where the caller's
 * format documents that spelling.
 *
 * One context, created on first use (pthread_once) and randomised against
 * side channels; libsecp256k1 only reads it afterwards, so every function
 * here may run on many threads at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "core/core.h"
#include "crypto/eth/eth.h"

static const uint8_t order[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
    0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
static const uint8_t half_order[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
    0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static secp256k1_context *ctx;

static void ctx_create(void)
{
    ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!ctx)
        return;
    /* Blinding for signing; a context without it is still correct. */
    uint8_t seed[32];
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(seed, 1, sizeof seed, f) == sizeof seed) {
            /* Cannot fail for a context of our own; unblinded is correct. */
            int blinded = secp256k1_context_randomize(ctx, seed);
            (void)blinded;
        }
        fclose(f);
    }
    memset(seed, 0, sizeof seed);
}

static const secp256k1_context *context(void)
{
    pthread_once(&ctx_once, ctx_create);
    return ctx;
}

const char *gvt_secp_status_text(gvt_secp_status s)
{
    switch (s) {
    case GVT_SECP_OK:
        return "ok";
    case GVT_SECP_BAD_V:
        return "v is not 27 or 28";
    case GVT_SECP_BAD_R:
        return "r is zero or not below the group order";
    case GVT_SECP_BAD_S:
        return "s is zero or not below the group order";
    case GVT_SECP_HIGH_S:
        return "s is in the high half of the group order (malleable "
               "signature)";
    case GVT_SECP_NO_KEY:
        return "no public key recovers from this signature";
    case GVT_SECP_BAD_KEY:
        return "the secret key is zero or not below the group order";
    case GVT_SECP_INTERNAL:
        return "libsecp256k1 context unavailable";
    }
    return "unknown secp256k1 status";
}

/* 1 if a > b, 0 if equal, -1 if less (32-byte big-endian). */
static int cmp32(const uint8_t *a, const uint8_t *b)
{
    int c = memcmp(a, b, 32);
    return (c > 0) - (c < 0);
}

static bool zero32(const uint8_t *a)
{
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= a[i];
    return acc == 0;
}

static void address_of(const secp256k1_context *c, const secp256k1_pubkey *pk,
                       uint8_t out[20])
{
    uint8_t ser[65], hash[32];
    size_t len = sizeof ser;
    secp256k1_ec_pubkey_serialize(c, ser, &len, pk, SECP256K1_EC_UNCOMPRESSED);
    gvt_keccak256(ser + 1, 64, hash);
    memcpy(out, hash + 12, 20);
}

gvt_secp_status gvt_secp_recover(const uint8_t digest[32],
                                 const uint8_t sig[65], unsigned flags,
                                 uint8_t out_address[20])
{
    const uint8_t *r = sig, *s = sig + 32;
    int recid;
    if (sig[64] == 27 || sig[64] == 28)
        recid = sig[64] - 27;
    else if ((flags & GVT_SECP_ALLOW_V01) && sig[64] <= 1)
        recid = sig[64];
    else
        return GVT_SECP_BAD_V;
    if (zero32(r) || cmp32(r, order) >= 0)
        return GVT_SECP_BAD_R;
    if (zero32(s) || cmp32(s, order) >= 0)
        return GVT_SECP_BAD_S;
    if (cmp32(s, half_order) > 0)
        return GVT_SECP_HIGH_S;
    const secp256k1_context *c = context();
    if (!c)
        return GVT_SECP_INTERNAL;
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(c, &rsig, sig,
                                                             recid) ||
        !secp256k1_ecdsa_recover(c, &pk, &rsig, digest))
        return GVT_SECP_NO_KEY;
    address_of(c, &pk, out_address);
    return GVT_SECP_OK;
}

gvt_secp_status gvt_secp_sign(const uint8_t digest[32],
                              const uint8_t seckey[32], uint8_t out_sig[65])
{
    const secp256k1_context *c = context();
    if (!c)
        return GVT_SECP_INTERNAL;
    if (!secp256k1_ec_seckey_verify(c, seckey))
        return GVT_SECP_BAD_KEY;
    secp256k1_ecdsa_recoverable_signature rsig;
    int recid = 0;
    /* NULL nonce function: RFC 6979 (deterministic); s is always low. */
    if (!secp256k1_ecdsa_sign_recoverable(c, &rsig, digest, seckey, NULL, NULL))
        return GVT_SECP_INTERNAL;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(c, out_sig, &recid,
                                                            &rsig);
    out_sig[64] = (uint8_t)(27 + recid);
    return GVT_SECP_OK;
}

gvt_secp_status gvt_secp_address(const uint8_t seckey[32],
                                 uint8_t out_address[20])
{
    const secp256k1_context *c = context();
    if (!c)
        return GVT_SECP_INTERNAL;
    secp256k1_pubkey pk;
    if (!secp256k1_ec_seckey_verify(c, seckey) ||
        !secp256k1_ec_pubkey_create(c, &pk, seckey))
        return GVT_SECP_BAD_KEY;
    address_of(c, &pk, out_address);
    return GVT_SECP_OK;
}

/* ---- address text -------------------------------------------------------- */

bool gvt_eth_address_parse(const char *s, size_t len, uint8_t out[20])
{
    if (len != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    return gvt_hex_decode(out, s + 2, 40, 20);
}

void gvt_eth_address_hex(const uint8_t addr[20], char out[43])
{
    out[0] = '0';
    out[1] = 'x';
    gvt_hex_encode(out + 2, addr, 20);
}

/* EIP-55: a letter is upper case where the matching nibble of the
 * Keccak-256 of the lower-case hex (without 0x) is 8 or more. */
void gvt_eth_address_checksum(const uint8_t addr[20], char out[43])
{
    uint8_t hash[32];
    gvt_eth_address_hex(addr, out);
    gvt_keccak256(out + 2, 40, hash);
    for (size_t i = 0; i < 40; i++) {
        unsigned nib = (hash[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        char *c = &out[2 + i];
        if (*c >= 'a' && nib >= 8)
            *c = (char)(*c - 'a' + 'A');
    }
}
