/*
 * eas.c: off-chain attestations of the Ethereum Attestation Service (EAS):
 * the uid and the EIP-712 digest of each version of the off-chain format,
 * as the EAS SDK (offchain.ts) defines them.
 *
 *   version 0  Attestation or Attest(bytes32 schema,address recipient,
 *              uint64 time,uint64 expirationTime,bool revocable,
 *              bytes32 refUID,bytes data)
 *   version 1  Attest(uint16 version, then the same)
 *   version 2  Attest(uint16 version, ..., bytes data,bytes32 salt)
 *
 * The domain is {name "EAS Attestation", version of the EAS contract, chain
 * id, the EAS contract}. The uid is not signed: it is derived from the
 * fields, so a reader recomputes it and refuses a record whose uid differs.
 * The types are parsed once (pthread_once), then only read.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crypto/eth/eth.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static gvt_eth_types *shapes[4]; /* v0 Attestation, v0 Attest, v1, v2 */

static void start(void)
{
    static const char *const text[4] = {GVT_EIP712_EAS_V0_ATTESTATION,
                                        GVT_EIP712_EAS_V0, GVT_EIP712_EAS_V1,
                                        GVT_EIP712_EAS_V2};
    for (int i = 0; i < 4; i++)
        if (!gvt_eip712_types_parse(text[i], strlen(text[i]), &shapes[i], NULL))
            shapes[i] = NULL;
}

static void put_be(gvt_keccak *k, uint64_t v, unsigned bytes)
{
    uint8_t b[8];
    for (unsigned i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    gvt_keccak_update(k, b, bytes);
}

void gvt_eas_offchain_uid(const gvt_eas_offchain *a, uint8_t out[32])
{
    static const uint8_t zero[32];
    gvt_keccak k;
    gvt_keccak_init(&k);
    if (a->version >= 1)
        put_be(&k, a->version, 2);
    gvt_keccak_update(&k, a->schema_text, strlen(a->schema_text));
    gvt_keccak_update(&k, a->recipient, 20);
    gvt_keccak_update(&k, zero, 20); /* the attester: always zero here */
    put_be(&k, a->time, 8);
    put_be(&k, a->expiration_time, 8);
    uint8_t revocable = a->revocable;
    gvt_keccak_update(&k, &revocable, 1);
    gvt_keccak_update(&k, a->ref_uid, 32);
    gvt_keccak_update(&k, a->data, a->data_len);
    if (a->version >= 2)
        gvt_keccak_update(&k, a->salt, 32);
    put_be(&k, 0, 4); /* bump: 0 */
    gvt_keccak_final(&k, out);
}

bool gvt_eas_offchain_digest(const gvt_eas_offchain *a, uint8_t out[32],
                             gvt_eth_error *err)
{
    pthread_once(&once, start);
    if (a->version > 2)
        return gvt_eth_fail(err, "version", 0,
                            "off-chain version %u (0, 1 or 2 known)",
                            a->version);
    int shape = a->version == 0 ? (a->v0_attest ? 1 : 0) : (int)a->version + 1;
    if (!shapes[shape])
        return gvt_eth_fail(err, NULL, 0, "EAS types unavailable");
    const gvt_abi_type *st = gvt_eth_types_find(
        shapes[shape], shape == 0 ? "Attestation" : "Attest");
    char version[8], time[24], expiration[24], recipient[43];
    snprintf(version, sizeof version, "%u", a->version);
    snprintf(time, sizeof time, "%" PRIu64, a->time);
    snprintf(expiration, sizeof expiration, "%" PRIu64, a->expiration_time);
    gvt_eth_address_hex(a->recipient, recipient);
    gvt_eth_value m[9];
    size_t n = 0;
    if (a->version >= 1)
        m[n++] = (gvt_eth_value){.text = version};
    m[n++] = (gvt_eth_value){.bytes = a->schema, .len = 32};
    m[n++] = (gvt_eth_value){.text = recipient};
    m[n++] = (gvt_eth_value){.text = time};
    m[n++] = (gvt_eth_value){.text = expiration};
    m[n++] = (gvt_eth_value){.text = a->revocable ? "true" : "false"};
    m[n++] = (gvt_eth_value){.bytes = a->ref_uid, .len = 32};
    m[n++] = (gvt_eth_value){.bytes = a->data, .len = a->data_len};
    if (a->version >= 2)
        m[n++] = (gvt_eth_value){.bytes = a->salt, .len = 32};
    const gvt_eth_value v = {.items = m, .n = n};
    char contract[43];
    gvt_eth_address_hex(a->contract, contract);
    const gvt_eip712_domain d = {.name = GVT_EIP712_EAS_DOMAIN_NAME,
                                 .version = a->domain_version,
                                 .chain_id = a->chain_id,
                                 .verifying_contract = contract};
    uint8_t ds[32], sh[32];
    if (!gvt_eip712_domain_separator(&d, ds, err) ||
        !gvt_eip712_hash_struct(st, &v, sh, err))
        return false;
    gvt_eip712_digest(ds, sh, out);
    return true;
}
