/*
 * typed.c: attestations signed by an Ethereum account (records of v 2,
 * docs/identity.md#ethereum-issuers). The fields of gvt-attestation/1 are
 * signed as EIP-712 typed data, so that any wallet can sign one
 * (eth_signTypedData_v4) and anyone can check it by recovering the signer:
 *
 *   domain   EIP712Domain(string name,string version)
 *            {name: "govtally attestation", version: "1"}
 *   message  Attestation(address issuer,string subject,bytes32 nullifier,
 *            string scope,uint64 issuedAt,uint64 expiresAt,string weight)
 *
 * The domain has no chain id nor contract: the statement is about an
 * account, which is the same on every EVM chain, and no contract acts on it
 * (the docs give the argument). The digest is the attestation's id.
 *
 * The types are parsed and the domain separator hashed once (pthread_once);
 * after that everything here is read-only and runs on any thread.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static gvt_eth_types *types;
static const gvt_abi_type *att_type;
static uint8_t domain_separator[32];

static void start(void)
{
    static const char text[] = GVT_EIP712_GVT_ATTESTATION;
    gvt_eth_error err;
    const gvt_eip712_domain d = {.name = GVT_EIP712_GVT_DOMAIN_NAME,
                                 .version = GVT_EIP712_GVT_DOMAIN_VERSION};
    if (!gvt_eip712_types_parse(text, sizeof text - 1, &types, &err) ||
        !gvt_eip712_domain_separator(&d, domain_separator, &err))
        return;
    att_type = gvt_eth_types_find(types, "Attestation");
}

bool gvt_typed_digest(const gvt_attestation *t, const char *subject_text,
                      uint8_t out[32])
{
    pthread_once(&once, start);
    if (!att_type)
        return false;
    char issuer[43], issued[24], expires[24], weight[16];
    gvt_eth_address_hex(t->issuer, issuer);
    snprintf(issued, sizeof issued, "%" PRId64, t->issued_at);
    snprintf(expires, sizeof expires, "%" PRId64, t->expires_at);
    gvt_weight_format(t->weight, weight);
    const gvt_eth_value fields[] = {
        {.text = issuer},
        {.bytes = (const uint8_t *)subject_text, .len = strlen(subject_text)},
        {.bytes = t->nullifier, .len = 32},
        {.bytes = (const uint8_t *)t->scope, .len = strlen(t->scope)},
        {.text = issued},
        {.text = expires},
        {.bytes = (const uint8_t *)weight, .len = strlen(weight)},
    };
    const gvt_eth_value v = {.items = fields, .n = 7};
    uint8_t struct_hash[32];
    if (!gvt_eip712_hash_struct(att_type, &v, struct_hash, NULL))
        return false;
    gvt_eip712_digest(domain_separator, struct_hash, out);
    return true;
}

bool gvt_typed_verify(const gvt_attestation *t)
{
    uint8_t addr[20];
    return gvt_secp_recover(t->id, t->sig, 0, addr) == GVT_SECP_OK &&
           memcmp(addr, t->issuer, 20) == 0;
}
