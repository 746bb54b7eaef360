/*
 * eip712.c: EIP-712 typed structured data hashing (the message a wallet
 * signs with eth_signTypedData_v4).
 *
 *   encodeType(S)  = "S(T1 m1,...,Tn mn)" then every struct S refers to,
 *                    directly or not, sorted by name;
 *   hashStruct(s)  = keccak256(keccak256(encodeType(S)) || encodeData(s)),
 *                    each member one 32-byte word: atomic values as the ABI
 *                    encodes them, bytes and string as the keccak256 of their
 *                    bytes, arrays as the keccak256 of their elements' words,
 *                    structs as their hashStruct;
 *   digest         = keccak256(0x19 0x01 || domainSeparator || hashStruct),
 *                    the domain separator being the hashStruct of an
 *                    EIP712Domain with the members the signer chose.
 *
 * Struct types come from gvt_eip712_types_parse (their type hashes computed
 * there, once); values are gvt_eth_value trees, checked against their types
 * member by member, errors naming the member's path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "crypto/eth/eth.h"

/* ---- encodeType ---------------------------------------------------------- */

typedef struct deps {
    const gvt_abi_type **list;
    size_t n, cap;
} deps;

static void collect(deps *d, const gvt_abi_type *t)
{
    while (t->kind == GVT_ABI_ARRAY)
        t = t->elem;
    if (t->kind != GVT_ABI_TUPLE || !t->name)
        return;
    for (size_t i = 0; i < d->n; i++)
        if (d->list[i] == t)
            return;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->list = gvt_xrealloc(d->list, d->cap * sizeof *d->list);
    }
    d->list[d->n++] = t;
    for (size_t i = 0; i < t->n_fields; i++)
        collect(d, t->fields[i].type);
}

static int by_name(const void *a, const void *b)
{
    const gvt_abi_type *x = *(const gvt_abi_type *const *)a;
    const gvt_abi_type *y = *(const gvt_abi_type *const *)b;
    return strcmp(x->name, y->name);
}

typedef struct text_out {
    char *buf;
    size_t size, len;
} text_out;

static void put(text_out *o, const char *s)
{
    size_t n = strlen(s);
    if (o->len < o->size) {
        size_t room = o->size - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

size_t gvt_eip712_encode_type(const gvt_abi_type *st, char *buf, size_t size)
{
    deps d = {0};
    collect(&d, st);
    if (d.n > 1)
        qsort(d.list + 1, d.n - 1, sizeof *d.list, by_name);
    text_out o = {buf, size, 0};
    for (size_t i = 0; i < d.n; i++) {
        const gvt_abi_type *t = d.list[i];
        put(&o, t->name);
        put(&o, "(");
        for (size_t f = 0; f < t->n_fields; f++) {
            put(&o, f ? "," : "");
            put(&o, t->fields[f].type->spelling);
            put(&o, " ");
            put(&o, t->fields[f].name);
        }
        put(&o, ")");
    }
    free(d.list);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

/* ---- encodeData, hashStruct ---------------------------------------------- */

#define PATH_MAX_LEN 128

static bool hash_struct(const gvt_abi_type *st, const gvt_eth_value *v,
                        char *path, uint8_t out[32], gvt_eth_error *err);

/* Appends ".name" (or "name" first) or "[i]" to path; returns the old end. */
static size_t push(char *path, const char *name, size_t index)
{
    size_t old = strlen(path);
    size_t room = PATH_MAX_LEN - old;
    if (name)
        snprintf(path + old, room, "%s%s", old ? "." : "", name);
    else
        snprintf(path + old, room, "[%zu]", index);
    return old;
}

/* One member's 32-byte word. */
static bool member(const gvt_abi_type *t, const gvt_eth_value *v, char *path,
                   uint8_t out[32], gvt_eth_error *err)
{
    switch (t->kind) {
    case GVT_ABI_TUPLE:
        return hash_struct(t, v, path, out, err);
    case GVT_ABI_BYTES:
    case GVT_ABI_STRING:
        if (!v->bytes && v->len)
            return gvt_eth_fail(err, path, 0, "%s value is missing",
                                t->spelling);
        gvt_keccak256(v->bytes ? v->bytes : (const uint8_t *)"", v->len, out);
        return true;
    case GVT_ABI_ARRAY: {
        if (t->length && v->n != t->length)
            return gvt_eth_fail(err, path, 0, "%zu elements for %s", v->n,
                                t->spelling);
        if (!v->items && v->n)
            return gvt_eth_fail(err, path, 0, "%s value is missing",
                                t->spelling);
        gvt_keccak k;
        gvt_keccak_init(&k);
        for (size_t i = 0; i < v->n; i++) {
            uint8_t word[32];
            size_t old = push(path, NULL, i);
            if (!member(t->elem, &v->items[i], path, word, err))
                return false;
            path[old] = '\0';
            gvt_keccak_update(&k, word, 32);
        }
        gvt_keccak_final(&k, out);
        return true;
    }
    default:
        return gvt_abi_encode_word(t, v, path, out, err);
    }
}

static bool hash_struct(const gvt_abi_type *st, const gvt_eth_value *v,
                        char *path, uint8_t out[32], gvt_eth_error *err)
{
    if (st->kind != GVT_ABI_TUPLE || !st->name)
        return gvt_eth_fail(err, path, 0, "not an EIP-712 struct type");
    if (v->n != st->n_fields || (!v->items && v->n))
        return gvt_eth_fail(err, path, 0, "%zu members for %s, which has %zu",
                            v->n, st->name, st->n_fields);
    gvt_keccak k;
    gvt_keccak_init(&k);
    gvt_keccak_update(&k, st->type_hash, 32);
    for (size_t i = 0; i < st->n_fields; i++) {
        uint8_t word[32];
        size_t old = push(path, st->fields[i].name, 0);
        if (!member(st->fields[i].type, &v->items[i], path, word, err))
            return false;
        path[old] = '\0';
        gvt_keccak_update(&k, word, 32);
    }
    gvt_keccak_final(&k, out);
    return true;
}

bool gvt_eip712_hash_struct(const gvt_abi_type *st, const gvt_eth_value *v,
                            uint8_t out[32], gvt_eth_error *err)
{
    char path[PATH_MAX_LEN] = "";
    return hash_struct(st, v, path, out, err);
}

/* ---- domain and digest --------------------------------------------------- */

bool gvt_eip712_domain_separator(const gvt_eip712_domain *d, uint8_t out[32],
                                 gvt_eth_error *err)
{
    char type[160] = "EIP712Domain(";
    uint8_t words[5][32];
    size_t n = 0;
    if (d->name) {
        strcat(type, "string name");
        gvt_keccak256(d->name, strlen(d->name), words[n++]);
    }
    if (d->version) {
        strcat(type, n ? ",string version" : "string version");
        gvt_keccak256(d->version, strlen(d->version), words[n++]);
    }
    if (d->chain_id) {
        strcat(type, n ? ",uint256 chainId" : "uint256 chainId");
        gvt_eth_value v = {.text = d->chain_id};
        if (!gvt_abi_encode_word(&gvt_abi_uint256, &v, "domain.chainId",
                                 words[n++], err))
            return false;
    }
    if (d->verifying_contract) {
        strcat(type,
               n ? ",address verifyingContract" : "address verifyingContract");
        gvt_eth_value v = {.text = d->verifying_contract};
        if (!gvt_abi_encode_word(&gvt_abi_address, &v,
                                 "domain.verifyingContract", words[n++], err))
            return false;
    }
    if (d->salt) {
        strcat(type, n ? ",bytes32 salt" : "bytes32 salt");
        memcpy(words[n++], d->salt, 32);
    }
    strcat(type, ")");
    uint8_t type_hash[32];
    gvt_keccak256(type, strlen(type), type_hash);
    gvt_keccak k;
    gvt_keccak_init(&k);
    gvt_keccak_update(&k, type_hash, 32);
    gvt_keccak_update(&k, words, 32 * n);
    gvt_keccak_final(&k, out);
    return true;
}

void gvt_eip712_digest(const uint8_t domain_separator[32],
                       const uint8_t struct_hash[32], uint8_t out[32])
{
    static const uint8_t prefix[2] = {0x19, 0x01};
    gvt_keccak k;
    gvt_keccak_init(&k);
    gvt_keccak_update(&k, prefix, 2);
    gvt_keccak_update(&k, domain_separator, 32);
    gvt_keccak_update(&k, struct_hash, 32);
    gvt_keccak_final(&k, out);
}
