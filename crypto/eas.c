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

#include <yajl/yajl_tree.h>

#include "crypto/crypto.h"

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

/* A string's text, or NULL for any other value. */
static const char *str(yajl_val v)
{
    return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

typedef struct reader {
    const char *file;
    long line;
    char path[160];
    gvt_error *err;
} reader;

static bool fail(reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool fail(reader *r, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gvt_error_set(r->err, GVT_ERR_DATA, r->file, "%s", msg);
    if (r->err) {
        r->err->line = r->line;
        snprintf(r->err->path, sizeof r->err->path, "%s", r->path);
    }
    return false;
}

/* The member key of object o, or NULL; a key given twice is an error. */
static yajl_val member(reader *r, yajl_val o, const char *key, bool *bad)
{
    yajl_val found = NULL;
    for (size_t i = 0; i < o->u.object.len; i++)
        if (strcmp(o->u.object.keys[i], key) == 0) {
            if (found) {
                *bad = !fail(r, "duplicate key '%s'", key);
                return NULL;
            }
            found = o->u.object.values[i];
        }
    return found;
}

/* Sets the path to base.key for the next error. */
static void at(reader *r, const char *base, const char *key)
{
    snprintf(r->path, sizeof r->path, "%s.%s", base, key);
}

static yajl_val need(reader *r, yajl_val o, const char *base, const char *key,
                     bool *bad)
{
    at(r, base, key);
    yajl_val v = member(r, o, key, bad);
    if (!v && !*bad)
        *bad = !fail(r, "missing field '%s'", key);
    return v;
}

/* A uint64: a JSON integer, or a string of decimal or 0x-hex digits. */
static bool number(reader *r, yajl_val v, uint64_t *out)
{
    const char *s = YAJL_IS_NUMBER(v) ? YAJL_GET_NUMBER(v) : str(v);
    if (!s || !*s)
        return fail(r, "expected an integer (a number or a string of "
                       "digits)");
    bool hex = s[0] == '0' && s[1] == 'x';
    const char *d = hex ? s + 2 : s;
    uint64_t x = 0;
    unsigned base = hex ? 16 : 10;
    if (!*d)
        return fail(r, "expected an integer");
    for (; *d; d++) {
        int c = *d >= '0' && *d <= '9'          ? *d - '0'
                : hex && *d >= 'a' && *d <= 'f' ? *d - 'a' + 10
                : hex && *d >= 'A' && *d <= 'F' ? *d - 'A' + 10
                                                : -1;
        if (c < 0)
            return fail(r, "expected an integer, found '%.40s'", s);
        if (x > (UINT64_MAX - (uint64_t)c) / base)
            return fail(r, "integer out of range (at most 2^64 - 1)");
        x = x * base + (uint64_t)c;
    }
    *out = x;
    return true;
}

/* "0x" and exactly 2n hex digits into out. */
static bool hex_bytes(reader *r, yajl_val v, uint8_t *out, size_t n)
{
    const char *s = str(v);
    if (!s || s[0] != '0' || s[1] != 'x' ||
        !gvt_hex_decode(out, s + 2, strlen(s + 2), n))
        return fail(r, "expected 0x and %zu hex digits", 2 * n);
    return true;
}

static bool address(reader *r, yajl_val v, uint8_t out[20])
{
    const char *s = str(v);
    if (!s || !gvt_eth_address_parse(s, strlen(s), out))
        return fail(r, "expected an address (0x and 40 hex digits)");
    return true;
}

/* The message's fields into a and the info. */
static bool message(reader *r, yajl_val m, gvt_arena *arena,
                    gvt_eas_offchain *a, gvt_eas_info *info)
{
    const char *base = "$.sig.message";
    bool bad = false;
    if (!YAJL_IS_OBJECT(m)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return fail(r, "expected an object");
    }
    yajl_val v;
    if (!(v = need(r, m, base, "recipient", &bad)) ||
        !address(r, v, a->recipient))
        return false;
    if (!(v = need(r, m, base, "time", &bad)) || !number(r, v, &a->time))
        return false;
    if (!(v = need(r, m, base, "expirationTime", &bad)) ||
        !number(r, v, &a->expiration_time))
        return false;
    if (!(v = need(r, m, base, "revocable", &bad)))
        return false;
    if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
        return fail(r, "expected true or false");
    a->revocable = YAJL_IS_TRUE(v);
    if (!(v = need(r, m, base, "schema", &bad)) ||
        !hex_bytes(r, v, a->schema, 32))
        return false;
    a->schema_text = gvt_arena_strdup(arena, str(v));
    memcpy(info->schema, a->schema, 32);
    if (!(v = need(r, m, base, "refUID", &bad)) ||
        !hex_bytes(r, v, a->ref_uid, 32))
        return false;
    memcpy(info->ref_uid, a->ref_uid, 32);
    if (!(v = need(r, m, base, "data", &bad)))
        return false;
    const char *d = str(v);
    size_t dl = d ? strlen(d) : 0;
    uint8_t *data = gvt_arena_alloc(arena, dl / 2 + 1);
    if (!d || d[0] != '0' || d[1] != 'x' || dl % 2 ||
        !gvt_hex_decode(data, d + 2, dl - 2, (dl - 2) / 2))
        return fail(r, "expected 0x and an even number of hex digits");
    a->data = info->data = data;
    a->data_len = info->data_len = (dl - 2) / 2;
    if (a->version >= 2 && (!(v = need(r, m, base, "salt", &bad)) ||
                            !hex_bytes(r, v, a->salt, 32)))
        return false;
    return !bad;
}

/* The domain: name checked by the signature, the rest kept. */
static bool domain(reader *r, yajl_val d, gvt_arena *arena, gvt_eas_offchain *a,
                   gvt_eas_info *info, bool *name_ok)
{
    const char *base = "$.sig.domain";
    bool bad = false;
    if (!YAJL_IS_OBJECT(d)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return fail(r, "expected an object");
    }
    yajl_val v;
    if (!(v = need(r, d, base, "name", &bad)))
        return false;
    const char *name = str(v);
    if (!name)
        return fail(r, "expected a string");
    *name_ok = strcmp(name, GVT_EIP712_EAS_DOMAIN_NAME) == 0;
    if (!(v = need(r, d, base, "version", &bad)))
        return false;
    const char *version = str(v);
    if (!version || strlen(version) > 64)
        return fail(r, "expected a string (the EAS contract's version)");
    a->domain_version = gvt_arena_strdup(arena, version);
    if (!(v = need(r, d, base, "chainId", &bad)) ||
        !number(r, v, &info->chain_id))
        return false;
    char chain[24];
    snprintf(chain, sizeof chain, "%llu", (unsigned long long)info->chain_id);
    a->chain_id = gvt_arena_strdup(arena, chain);
    if (!(v = need(r, d, base, "verifyingContract", &bad)) ||
        !address(r, v, a->contract))
        return false;
    memcpy(info->contract, a->contract, 20);
    return !bad;
}

/* r, s and v: in "signature" (versions 1, 2, later 0) or beside "uid". */
static bool signature(reader *r, yajl_val sig, uint8_t out[65])
{
    bool bad = false;
    at(r, "$.sig", "signature");
    yajl_val s = member(r, sig, "signature", &bad), v;
    const char *base = "$.sig.signature";
    if (bad)
        return false;
    if (!s) {
        s = sig;
        base = "$.sig";
    } else if (!YAJL_IS_OBJECT(s)) {
        snprintf(r->path, sizeof r->path, "%s", base);
        return fail(r, "expected an object {v, r, s}");
    }
    uint64_t vv;
    if (!(v = need(r, s, base, "r", &bad)) || !hex_bytes(r, v, out, 32) ||
        !(v = need(r, s, base, "s", &bad)) || !hex_bytes(r, v, out + 32, 32) ||
        !(v = need(r, s, base, "v", &bad)) || !number(r, v, &vv))
        return false;
    if (vv > 255)
        return fail(r, "expected v of one byte (27 or 28)");
    out[64] = (uint8_t)vv;
    return true;
}

/* One package into a new record of a. */
static bool package(reader *r, yajl_val p, gvt_attestations *a)
{
    bool bad = false;
    snprintf(r->path, sizeof r->path, "$");
    if (!YAJL_IS_OBJECT(p))
        return fail(r, "expected an EAS package {\"sig\": ..., \"signer\": "
                       "...}");
    yajl_val sig = need(r, p, "$", "sig", &bad), v;
    if (!sig)
        return false;
    if (!YAJL_IS_OBJECT(sig))
        return fail(r, "expected the signed attestation object");
    gvt_eas_offchain o;
    memset(&o, 0, sizeof o);
    gvt_eas_info *info = gvt_arena_calloc(a->arena, 1, sizeof *info);
    uint64_t version = 0;
    at(r, "$.sig", "version");
    if ((v = member(r, sig, "version", &bad))) {
        if (!number(r, v, &version))
            return false;
        if (version > 2)
            return fail(r, "off-chain version %llu (0, 1 or 2 known)",
                        (unsigned long long)version);
    }
    o.version = (unsigned)version;
    uint8_t uid[32], signer[20];
    bool name_ok = false;
    if (bad || !(v = need(r, sig, "$.sig", "uid", &bad)) ||
        !hex_bytes(r, v, uid, 32) ||
        !(v = need(r, sig, "$.sig", "primaryType", &bad)))
        return false;
    const char *primary = str(v) ? str(v) : "";
    o.v0_attest = strcmp(primary, "Attest") == 0;
    bool shape_ok =
        o.v0_attest || (o.version == 0 && strcmp(primary, "Attestation") == 0);
    if (!domain(r, need(r, sig, "$.sig", "domain", &bad), a->arena, &o, info,
                &name_ok) ||
        !message(r, need(r, sig, "$.sig", "message", &bad), a->arena, &o, info))
        return false;
    if ((a->n & (a->n - 1)) == 0)
        a->items =
            gvt_xrealloc(a->items, (a->n ? 2 * a->n : 16) * sizeof *a->items);
    gvt_attestation *t = &a->items[a->n];
    memset(t, 0, sizeof *t);
    if (!signature(r, sig, t->sig) || !(v = need(r, p, "$", "signer", &bad)) ||
        !address(r, v, signer))
        return false;
    uint8_t computed[32];
    gvt_eas_offchain_uid(&o, computed);
    gvt_eth_error eerr;
    if (!gvt_eas_offchain_digest(&o, info->digest, &eerr))
        return fail(r, "%s", eerr.message);
    info->consistent = shape_ok && name_ok && memcmp(computed, uid, 32) == 0;
    t->kind = GVT_SIGNER_EAS;
    memcpy(t->issuer, signer, 20);
    memcpy(t->id, uid, 32);
    char subject[43];
    gvt_eth_address_hex(o.recipient, subject);
    t->subject = gvt_arena_strdup(a->arena, subject);
    t->scope = "*";
    t->issued_at = o.time > INT64_MAX ? INT64_MAX : (int64_t)o.time;
    t->expires_at =
        o.expiration_time > INT64_MAX ? INT64_MAX : (int64_t)o.expiration_time;
    t->weight = GVT_WEIGHT_ONE;
    t->line = (uint32_t)r->line;
    t->eas = info;
    a->n++;
    a->has_eas = true;
    return true;
}

/* Parses one JSON text (NUL-terminated copy) and reads its packages. */
static bool parse(reader *r, const char *text, size_t len, bool array,
                  gvt_attestations *a)
{
    char *copy = gvt_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    char msg[200];
    yajl_val root = yajl_tree_parse(copy, msg, sizeof msg);
    free(copy);
    bool ok = true;
    if (!root) {
        msg[strcspn(msg, "\n")] = '\0';
        snprintf(r->path, sizeof r->path, "$");
        ok = fail(r, "invalid JSON: %s", msg);
    } else if (array && !YAJL_IS_ARRAY(root)) {
        snprintf(r->path, sizeof r->path, "$");
        ok = fail(r, "expected a JSON array of EAS packages");
    } else if (array) {
        for (size_t i = 0; ok && i < root->u.array.len; i++) {
            ok = package(r, root->u.array.values[i], a);
            if (!ok && r->err) { /* "$.x" -> "$[i].x" */
                char p[160];
                snprintf(p, sizeof p, "$[%zu]%s", i, r->err->path + 1);
                snprintf(r->err->path, sizeof r->err->path, "%s", p);
            }
        }
    } else {
        ok = package(r, root, a);
    }
    yajl_tree_free(root);
    return ok;
}

gvt_status gvt_eas_read(const char *file, const char *text, size_t len,
                        gvt_attestations *a, gvt_error *err)
{
    reader r = {.file = file, .line = 1, .err = err};
    size_t first = strspn(text, " \t\r\n");
    if (first < len && text[first] == '[')
        return parse(&r, text, len, true, a) ? GVT_OK : GVT_ERR_DATA;
    for (size_t start = 0; start < len; r.line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - start;
        if (strspn(text + start, " \t\r") < n &&
            !parse(&r, text + start, n, false, a))
            return GVT_ERR_DATA;
        start = end + 1;
    }
    return GVT_OK;
}

bool gvt_eas_verify(const gvt_attestation *t)
{
    uint8_t addr[20];
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
