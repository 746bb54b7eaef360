/*
 * abi.c: decoding the Ethereum contract ABI (Solidity ABI spec, "Formal
 * Specification of the Encoding") into gvt_eth_value trees, and the one-word
 * encodings of static values that EIP-712's encodeData uses.
 *
 * A tuple's encoding is a head (each static component in place, each
 * dynamic one as a 32-byte offset from the tuple's start) followed by the
 * tails. Arrays T[] are a length word then a tuple of that many T; bytes and
 * string a length word then the bytes padded to 32.
 *
 * The data is hostile (an attestation's payload): every offset and length is
 * checked against the data before it is followed or allocated, static values
 * must be clean (ethers and Solidity never write dirty bits; a decoder that
 * masked them would give one statement many encodings), and since offsets
 * may point many times at the same bytes, a budget proportional to the data
 * bounds the values built: a few kilobytes cannot expand into gigabytes.
 * Amounts become exact decimal text through GMP.
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "crypto/eth/eth.h"

struct gvt_abi_doc {
    gvt_arena *arena;
    gvt_eth_value root;
};

typedef struct decoder {
    const uint8_t *data;
    size_t len;
    gvt_arena *arena;
    size_t nodes_left, bytes_left; /* the expansion budget */
    char path[128];
    size_t path_len;
    gvt_eth_error *err;
} decoder;

static bool fail(decoder *d, size_t at, const char *msg)
{
    return gvt_eth_fail(d->err, d->path, at, "%s (at byte %zu of the data)",
                        msg, at);
}

/* Appends ".name", "name" at the root, or "[i]" to the path; returns the
 * old length to restore. A path too long for the buffer is cut. */
static size_t push(decoder *d, const char *name, size_t index)
{
    size_t old = d->path_len;
    char *at = d->path + old;
    size_t room = sizeof d->path - old;
    int n = name && name[0] ? snprintf(at, room, "%s%s", old ? "." : "", name)
                            : snprintf(at, room, "[%zu]", index);
    if (n > 0)
        d->path_len = (size_t)n < room ? old + (size_t)n : sizeof d->path - 1;
    return old;
}

static void pop(decoder *d, size_t old)
{
    d->path_len = old;
    d->path[old] = '\0';
}

/* Room for 32 bytes at pos. */
static bool word_at(decoder *d, size_t pos)
{
    return pos <= d->len && d->len - pos >= 32;
}

/* A word read as a byte count or offset, which must be below 2^64. */
static bool read_size(decoder *d, size_t pos, size_t *out)
{
    const uint8_t *w = d->data + pos;
    for (int i = 0; i < 24; i++)
        if (w[i])
            return false;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++)
        v = v << 8 | w[i];
    if (v > SIZE_MAX)
        return false;
    *out = (size_t)v;
    return true;
}

static bool zeros(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* A 256-bit two's complement word negated in place: invert, add one. */
static void negate_word(uint8_t w[32])
{
    unsigned carry = 1;
    for (int i = 31; i >= 0; i--) {
        unsigned v = (uint8_t)~w[i] + carry;
        w[i] = (uint8_t)v;
        carry = v >> 8;
    }
}

static char *decimal(gvt_arena *arena, const uint8_t word[32], bool negate)
{
    uint8_t mag[32];
    memcpy(mag, word, 32);
    if (negate)
        negate_word(mag);
    mpz_t z;
    mpz_init(z);
    mpz_import(z, 32, 1, 1, 1, 0, mag);
    size_t n = mpz_sizeinbase(z, 10) + 3;
    char *text = gvt_arena_calloc(arena, 1, n);
    text[0] = '-';
    mpz_get_str(text + negate, 10, z);
    mpz_clear(z);
    return text;
}

/* uint, int, address, bool, bytes<N>: one clean word at pos. */
static bool static_value(decoder *d, const gvt_abi_type *t, size_t pos,
                         gvt_eth_value *out)
{
    if (!word_at(d, pos))
        return fail(d, pos, "value beyond the end of the data");
    const uint8_t *w = d->data + pos;
    size_t high = t->kind == GVT_ABI_UINT || t->kind == GVT_ABI_INT
                      ? 32 - t->bits / 8
                      : 0;
    switch (t->kind) {
    case GVT_ABI_UINT:
        if (!zeros(w, high))
            return fail(d, pos, "value does not fit its uint type");
        out->text = decimal(d->arena, w, false);
        return true;
    case GVT_ABI_INT: {
        bool neg = w[high] & 0x80;
        for (size_t i = 0; i < high; i++)
            if (w[i] != (neg ? 0xff : 0))
                return fail(d, pos, "value does not fit its int type");
        out->text = decimal(d->arena, w, neg);
        return true;
    }
    case GVT_ABI_ADDRESS: {
        if (!zeros(w, 12))
            return fail(d, pos, "address with non-zero high bytes");
        char *hex = gvt_arena_calloc(d->arena, 1, 43);
        gvt_eth_address_hex(w + 12, hex);
        out->text = hex;
        return true;
    }
    case GVT_ABI_BOOL:
        if (!zeros(w, 31) || w[31] > 1)
            return fail(d, pos, "bool that is neither 0 nor 1");
        out->text = w[31] ? "true" : "false";
        return true;
    case GVT_ABI_FIXED_BYTES:
        if (!zeros(w + t->bits, 32 - t->bits))
            return fail(d, pos, "bytes value with non-zero padding");
        out->bytes = w;
        out->len = t->bits;
        return true;
    default:
        return fail(d, pos, "not a static type");
    }
}

/* bytes and string: a length word, then the bytes padded with zeros. */
static bool bytes_value(decoder *d, size_t pos, gvt_eth_value *out)
{
    size_t n;
    if (!word_at(d, pos))
        return fail(d, pos, "length beyond the end of the data");
    if (!read_size(d, pos, &n) || n > d->len - pos - 32)
        return fail(d, pos, "length runs past the end of the data");
    size_t padded = n + (32 - n % 32) % 32;
    if (padded > d->len - pos - 32)
        return fail(d, pos, "padding runs past the end of the data");
    if (!zeros(d->data + pos + 32 + n, padded - n))
        return fail(d, pos + 32 + n, "non-zero padding after the bytes");
    if (n > d->bytes_left)
        return fail(d, pos,
                    "offsets point at the same bytes more often "
                    "than the data's size allows");
    d->bytes_left -= n;
    uint8_t *copy = gvt_arena_calloc(d->arena, 1, n + 1);
    memcpy(copy, d->data + pos + 32, n);
    out->bytes = copy;
    out->len = n;
    return true;
}

static bool value_at(decoder *d, const gvt_abi_type *t, size_t pos,
                     gvt_eth_value *out);

/*
 * n components in one head starting at base: the fields of a tuple (fields
 * non-NULL), or n elements of elem. A dynamic component's word is its offset
 * from base.
 */
static bool components(decoder *d, const gvt_abi_field *fields,
                       const gvt_abi_type *elem, size_t n, size_t base,
                       gvt_eth_value *out)
{
    if (n > d->nodes_left)
        return fail(d, base,
                    "offsets point at the same bytes more often "
                    "than the data's size allows");
    d->nodes_left -= n;
    gvt_eth_value *items = gvt_arena_calloc(d->arena, n, sizeof *items);
    out->items = items;
    out->n = n;
    size_t head = base;
    for (size_t i = 0; i < n; i++) {
        const gvt_abi_type *t = fields ? fields[i].type : elem;
        size_t old = push(d, fields ? fields[i].name : NULL, i);
        size_t at = head;
        if (t->dynamic) {
            size_t off;
            if (!word_at(d, head))
                return fail(d, head, "offset beyond the end of the data");
            if (!read_size(d, head, &off) || off > d->len - base)
                return fail(d, head, "offset points past the end of the data");
            at = base + off;
        }
        if (!value_at(d, t, at, &items[i]))
            return false;
        pop(d, old);
        head += t->head;
    }
    return true;
}

static bool value_at(decoder *d, const gvt_abi_type *t, size_t pos,
                     gvt_eth_value *out)
{
    switch (t->kind) {
    case GVT_ABI_BYTES:
    case GVT_ABI_STRING:
        return bytes_value(d, pos, out);
    case GVT_ABI_TUPLE:
        return components(d, t->fields, NULL, t->n_fields, pos, out);
    case GVT_ABI_ARRAY: {
        if (t->length)
            return components(d, NULL, t->elem, t->length, pos, out);
        size_t n;
        if (!word_at(d, pos))
            return fail(d, pos, "length beyond the end of the data");
        /* Each element takes at least its head: n is bounded by the data. */
        if (!read_size(d, pos, &n) || n > (d->len - pos - 32) / t->elem->head)
            return fail(d, pos, "array length runs past the end of the data");
        return components(d, NULL, t->elem, n, pos + 32, out);
    }
    default:
        return static_value(d, t, pos, out);
    }
}

bool gvt_abi_decode(const gvt_abi_type *tuple, const uint8_t *data, size_t len,
                    gvt_abi_doc **out, gvt_eth_error *err)
{
    *out = NULL;
    if (tuple->kind != GVT_ABI_TUPLE)
        return gvt_eth_fail(err, NULL, 0, "not a tuple type");
    gvt_abi_doc *doc = gvt_xcalloc(1, sizeof *doc);
    doc->arena = gvt_arena_new();
    /* A clean encoding has at most one value per nesting level per word. */
    decoder d = {.data = data,
                 .len = len,
                 .arena = doc->arena,
                 .nodes_left = (len / 32 + 1) * (GVT_ABI_MAX_DEPTH + 1),
                 .bytes_left = len,
                 .err = err};
    if (!components(&d, tuple->fields, NULL, tuple->n_fields, 0, &doc->root)) {
        gvt_abi_doc_free(doc);
        return false;
    }
    *out = doc;
    return true;
}

const gvt_eth_value *gvt_abi_doc_value(const gvt_abi_doc *doc)
{
    return &doc->root;
}

void gvt_abi_doc_free(gvt_abi_doc *doc)
{
    if (!doc)
        return;
    gvt_arena_free(doc->arena);
    free(doc);
}

/* ---- one-word encodings -------------------------------------------------- */

/*
 * Decimal text of an integer of bits bits into a word (two's complement when
 * negative). Canonical: no sign unless negative, no leading zeros, no "-0".
 */
static bool integer_word(const char *s, unsigned bits, bool is_signed,
                         uint8_t out[32], const char **why)
{
    bool neg = s[0] == '-';
    const char *digits = s + neg;
    size_t n = strlen(digits);
    *why = "is not a decimal integer";
    if ((neg && !is_signed) || n == 0 || n > 78 ||
        (digits[0] == '0' && (n > 1 || neg)))
        return false;
    for (size_t i = 0; i < n; i++)
        if (digits[i] < '0' || digits[i] > '9')
            return false;
    mpz_t z;
    mpz_init_set_str(z, digits, 10);
    /* magnitude limit: 2^bits - 1 unsigned; 2^(bits-1) - 1 or 2^(bits-1) */
    size_t used = mpz_sizeinbase(z, 2);
    unsigned room = is_signed ? bits - 1 : bits;
    bool fits = mpz_sgn(z) == 0 || used <= room ||
                (neg && used == room + 1 && mpz_scan1(z, 0) == room);
    memset(out, 0, 32);
    if (fits) {
        size_t count;
        uint8_t mag[32];
        mpz_export(mag, &count, 1, 1, 1, 0, z);
        memcpy(out + 32 - count, mag, count);
    }
    mpz_clear(z);
    if (!fits) {
        *why = "is out of range for its type";
        return false;
    }
    if (neg)
        negate_word(out);
    return true;
}

bool gvt_abi_encode_word(const gvt_abi_type *type, const gvt_eth_value *v,
                         const char *field, uint8_t out[32], gvt_eth_error *err)
{
    const char *why = "is missing";
    memset(out, 0, 32);
    switch (type->kind) {
    case GVT_ABI_UINT:
    case GVT_ABI_INT:
        if (v->text && integer_word(v->text, type->bits,
                                    type->kind == GVT_ABI_INT, out, &why))
            return true;
        break;
    case GVT_ABI_ADDRESS:
        why = "is not an address (0x and 40 hex digits)";
        if (v->text &&
            gvt_eth_address_parse(v->text, strlen(v->text), out + 12))
            return true;
        break;
    case GVT_ABI_BOOL:
        why = "is not true or false";
        if (v->text &&
            (!strcmp(v->text, "true") || !strcmp(v->text, "false"))) {
            out[31] = v->text[0] == 't';
            return true;
        }
        break;
    case GVT_ABI_FIXED_BYTES:
        why = "has the wrong number of bytes";
        if (v->bytes && v->len == type->bits) {
            memcpy(out, v->bytes, v->len);
            return true;
        }
        break;
    default:
        why = "is not of a static type";
        break;
    }
    return gvt_eth_fail(err, field, 0, "%s value %s", type->spelling, why);
}
