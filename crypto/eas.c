/*
 * eas.c: reading EAS off-chain attestations (docs/identity.md#eas-attestations)
 * as the EAS SDK and EAS's explorer export them: one package per JSON line,
 * or a JSON array of packages,
 *
 *   {"sig": {"version": 2, "uid": "0x...",
 *            "domain": {"name": "EAS Attestation", "version": "1.0.1",
 *                       "chainId": 10, "verifyingContract": "0x..."},
 *            "primaryType": "Attest", "types": {...},
 *            "message": {"recipient", "time", "expirationTime", "revocable",
 *                        "schema", "refUID", "data", ["salt"]},
 *            "signature": {"v": 28, "r": "0x...", "s": "0x..."}},
 *   "signer": "0x..."}
 *
 * Version 0 packages may have no "version" and carry r, s, v beside "uid"
 * instead of a "signature" object. Numbers may be JSON integers, decimal
 * strings or 0x-hex strings (the SDK's bigints are written either way);
 * "types" is ignored (govtally hashes the version's own shape). Each package
 * is parsed whole with yajl_tree; a missing or malformed field is a data
 * error naming the file, the line (JSON Lines) and the path. The uid, the
 * primary type and the signature are judged later (gvt_eas_verify, the
 * bad-signature rule); the subject is the recipient, the issuer the signer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/eas_json.h"

bool gvt_eas_sniff(const char *text, size_t len)
{
    size_t scan = len < 65536 ? len : 65536;
    const char *at = NULL;
    for (size_t i = 0; i + 5 <= scan; i++)
        if (memcmp(text + i, "\"sig\"", 5) == 0) {
            at = text + i + 5;
            break;
        }
    if (!at)
        return false;
    const char *end = text + scan;
    while (at < end && (*at == ' ' || *at == '\t' || *at == '\r' ||
                        *at == '\n' || *at == ':'))
        at++;
    return at < end && *at == '{';
}

/* The message's fields into a and the info. */
static bool message(gvt_easj *r, yajl_val m, gvt_arena *arena,
                    gvt_eas_offchain *a, gvt_eas_info *info)
{
    const char *base = "$.sig.message";
    bool bad = false;
    if (!YAJL_IS_OBJECT(m)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return gvt_easj_fail(r, "expected an object");
    }
    yajl_val v;
    if (!(v = gvt_easj_need(r, m, base, "recipient", &bad)) ||
        !gvt_easj_address(r, v, a->recipient))
        return false;
    if (!(v = gvt_easj_need(r, m, base, "time", &bad)) ||
        !gvt_easj_number(r, v, &a->time))
        return false;
    if (!(v = gvt_easj_need(r, m, base, "expirationTime", &bad)) ||
        !gvt_easj_number(r, v, &a->expiration_time))
        return false;
    if (!(v = gvt_easj_need(r, m, base, "revocable", &bad)))
        return false;
    if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
        return gvt_easj_fail(r, "expected true or false");
    a->revocable = YAJL_IS_TRUE(v);
    if (!(v = gvt_easj_need(r, m, base, "schema", &bad)) ||
        !gvt_easj_hex_bytes(r, v, a->schema, 32))
        return false;
    a->schema_text = gvt_arena_strdup(arena, gvt_easj_str(v));
    memcpy(info->schema, a->schema, 32);
    if (!(v = gvt_easj_need(r, m, base, "refUID", &bad)) ||
        !gvt_easj_hex_bytes(r, v, a->ref_uid, 32))
        return false;
    memcpy(info->ref_uid, a->ref_uid, 32);
    if (!(v = gvt_easj_need(r, m, base, "data", &bad)))
        return false;
    const char *d = gvt_easj_str(v);
    size_t dl = d ? strlen(d) : 0;
    uint8_t *data = gvt_arena_alloc(arena, dl / 2 + 1);
    if (!d || d[0] != '0' || d[1] != 'x' || dl % 2 ||
        !gvt_hex_decode(data, d + 2, dl - 2, (dl - 2) / 2))
        return gvt_easj_fail(r, "expected 0x and an even number of hex digits");
    a->data = info->data = data;
    a->data_len = info->data_len = (dl - 2) / 2;
    if (a->version >= 2 && (!(v = gvt_easj_need(r, m, base, "salt", &bad)) ||
                            !gvt_easj_hex_bytes(r, v, a->salt, 32)))
        return false;
    return !bad;
}

/* The domain: name checked by the signature, the rest kept. */
static bool domain(gvt_easj *r, yajl_val d, gvt_arena *arena,
                   gvt_eas_offchain *a, gvt_eas_info *info, bool *name_ok)
{
    const char *base = "$.sig.domain";
    bool bad = false;
    if (!YAJL_IS_OBJECT(d)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return gvt_easj_fail(r, "expected an object");
    }
    yajl_val v;
    if (!(v = gvt_easj_need(r, d, base, "name", &bad)))
        return false;
    const char *name = gvt_easj_str(v);
    if (!name)
        return gvt_easj_fail(r, "expected a string");
    *name_ok = strcmp(name, GVT_EIP712_EAS_DOMAIN_NAME) == 0;
    if (!(v = gvt_easj_need(r, d, base, "version", &bad)))
        return false;
    const char *version = gvt_easj_str(v);
    if (!version || strlen(version) > 64)
        return gvt_easj_fail(r,
                             "expected a string (the EAS contract's version)");
    a->domain_version = gvt_arena_strdup(arena, version);
    if (!(v = gvt_easj_need(r, d, base, "chainId", &bad)) ||
        !gvt_easj_number(r, v, &info->chain_id))
        return false;
    char chain[24];
    snprintf(chain, sizeof chain, "%llu", (unsigned long long)info->chain_id);
    a->chain_id = gvt_arena_strdup(arena, chain);
    if (!(v = gvt_easj_need(r, d, base, "verifyingContract", &bad)) ||
        !gvt_easj_address(r, v, a->contract))
        return false;
    memcpy(info->contract, a->contract, 20);
    return !bad;
}

/* r, s and v: in "signature" (versions 1, 2, later 0) or beside "uid". */
static bool signature(gvt_easj *r, yajl_val sig, uint8_t out[65])
{
    bool bad = false;
    gvt_easj_at(r, "$.sig", "signature");
    yajl_val s = gvt_easj_member(r, sig, "signature", &bad), v;
    const char *base = "$.sig.signature";
    if (bad)
        return false;
    if (!s) {
        s = sig;
        base = "$.sig";
    } else if (!YAJL_IS_OBJECT(s)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return gvt_easj_fail(r, "expected an object {v, r, s}");
    }
    uint64_t vv;
    if (!(v = gvt_easj_need(r, s, base, "r", &bad)) ||
        !gvt_easj_hex_bytes(r, v, out, 32) ||
        !(v = gvt_easj_need(r, s, base, "s", &bad)) ||
        !gvt_easj_hex_bytes(r, v, out + 32, 32) ||
        !(v = gvt_easj_need(r, s, base, "v", &bad)) ||
        !gvt_easj_number(r, v, &vv))
        return false;
    if (vv > 255)
        return gvt_easj_fail(r, "expected v of one byte (27 or 28)");
    out[64] = (uint8_t)vv;
    return true;
}

/* One package into a new record of a. */
static bool package(gvt_easj *r, yajl_val p, void *ctx)
{
    gvt_attestations *a = ctx;
    bool bad = false;
    snprintf(r->path, sizeof r->path, "$");
    if (!YAJL_IS_OBJECT(p))
        return gvt_easj_fail(
            r, "expected an EAS package {\"sig\": ..., \"signer\": "
               "...}");
    yajl_val sig = gvt_easj_need(r, p, "$", "sig", &bad), v;
    if (!sig)
        return false;
    if (!YAJL_IS_OBJECT(sig))
        return gvt_easj_fail(r, "expected the signed attestation object");
    gvt_eas_offchain o;
    memset(&o, 0, sizeof o);
    gvt_eas_info *info = gvt_arena_calloc(a->arena, 1, sizeof *info);
    uint64_t version = 0;
    gvt_easj_at(r, "$.sig", "version");
    if ((v = gvt_easj_member(r, sig, "version", &bad))) {
        if (!gvt_easj_number(r, v, &version))
            return false;
        if (version > 2)
            return gvt_easj_fail(r, "off-chain version %llu (0, 1 or 2 known)",
                                 (unsigned long long)version);
    }
    o.version = (unsigned)version;
    uint8_t uid[32], signer[20];
    bool name_ok = false;
    if (bad || !(v = gvt_easj_need(r, sig, "$.sig", "uid", &bad)) ||
        !gvt_easj_hex_bytes(r, v, uid, 32) ||
        !(v = gvt_easj_need(r, sig, "$.sig", "primaryType", &bad)))
        return false;
    const char *primary = gvt_easj_str(v) ? gvt_easj_str(v) : "";
    o.v0_attest = strcmp(primary, "Attest") == 0;
    bool shape_ok =
        o.v0_attest || (o.version == 0 && strcmp(primary, "Attestation") == 0);
    if (!domain(r, gvt_easj_need(r, sig, "$.sig", "domain", &bad), a->arena, &o,
                info, &name_ok) ||
        !message(r, gvt_easj_need(r, sig, "$.sig", "message", &bad), a->arena,
                 &o, info))
        return false;
    uint8_t sig_bytes[65];
    if (!signature(r, sig, sig_bytes) ||
        !(v = gvt_easj_need(r, p, "$", "signer", &bad)) ||
        !gvt_easj_address(r, v, signer))
        return false;
    uint8_t computed[32];
    gvt_eas_offchain_uid(&o, computed);
    gvt_eth_error eerr;
    if (!gvt_eas_offchain_digest(&o, info->digest, &eerr))
        return gvt_easj_fail(r, "%s", eerr.message);
    info->consistent = shape_ok && name_ok && memcmp(computed, uid, 32) == 0;
    gvt_attestation *t = gvt_easj_add(r, a, signer, uid, o.recipient, o.time,
                                      o.expiration_time, info);
    memcpy(t->sig, sig_bytes, sizeof sig_bytes);
    return true;
}

gvt_status gvt_eas_read(const char *file, const char *text, size_t len,
                        gvt_attestations *a, gvt_error *err)
{
    gvt_easj r = {.file = file, .line = 1, .err = err};
    return gvt_easj_lines(&r, text, len, "EAS packages", package, a);
}

bool gvt_eas_verify(const gvt_attestation *t)
{
    uint8_t addr[20];
    if (t->eas && t->eas->onchain)
        return t->eas->consistent;
    return t->eas && t->eas->consistent &&
           gvt_secp_recover(t->eas->digest, t->sig, 0, addr) == GVT_SECP_OK &&
           memcmp(addr, t->issuer, 20) == 0;
}

bool gvt_eas_resolve(const gvt_issuer *source, gvt_attestation *r)
{
    const gvt_eas_source *e = source->eas;
    r->scope = e->scope;
    r->weight = GVT_WEIGHT_ONE;
    gvt_abi_doc *doc = NULL;
    if (e->fields &&
        !gvt_abi_decode(gvt_eth_types_root(e->fields), r->eas->data,
                        r->eas->data_len, &doc, NULL))
        return false;
    bool ok = true;
    if (e->nullifier == GVT_EAS_NUL_UID) {
        memcpy(r->nullifier, r->id, 32);
    } else if (e->nullifier == GVT_EAS_NUL_REF_UID) {
        memcpy(r->nullifier, r->eas->ref_uid, 32);
    } else {
        const gvt_abi_type *t =
            gvt_eth_types_root(e->fields)->fields[e->field].type;
        const gvt_eth_value *v = &gvt_abi_doc_value(doc)->items[e->field];
        if (t->kind == GVT_ABI_BYTES || t->kind == GVT_ABI_STRING)
            gvt_keccak256(v->bytes, v->len, r->nullifier);
        else
            ok = gvt_abi_encode_word(t, v, NULL, r->nullifier, NULL);
    }
    gvt_abi_doc_free(doc);
    return ok;
}
