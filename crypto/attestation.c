/*
 * attestation.c: reading proof-of-personhood attestations (format
 * gvt-attestation/1, docs/formats.md#attestations), their canonical message and
 * id, and the one Ed25519 check every signature goes through.
 *
 * A file is JSON Lines (one object per line; blank lines are skipped) or one
 * JSON array of objects, told apart by its first non-blank byte. Each object
 * is parsed strictly with YAJL's event parser: duplicate keys, a value of the
 * wrong type, a hex field of the wrong length, a non-canonical weight, a
 * missing field are data errors that name the file, the line and column, the
 * byte offset and the JSON path. Unknown keys are ignored (whatever their
 * value), as for exports (docs/formats.md#proposal-export); they are not
 * signed, so they cannot change an outcome. Hex is canonicalised to lower case
 * before anything else.
 *
 * Attestations are kept compact: binary keys, nullifiers, signatures and ids;
 * subject and scope strings live in the file's arena.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <yajl/yajl_parse.h>

#include "crypto/crypto.h"

/* ---- small canonical forms ----------------------------------------------- */

/*
 * A weight is canonical when it is "0", "1", or "0." followed by one to six
 * digits whose last is not 0: the one spelling of each value, so that the
 * signed message has exactly one form.
 */
bool gvt_weight_parse(const char *s, size_t len, uint32_t *out)
{
    if (len == 1 && (s[0] == '0' || s[0] == '1')) {
        *out = s[0] == '1' ? GVT_WEIGHT_ONE : 0;
        return true;
    }
    if (len < 3 || len > 8 || s[0] != '0' || s[1] != '.' || s[len - 1] == '0')
        return false;
    uint32_t v = 0;
    for (size_t i = 2; i < 8; i++) {
        char c = i < len ? s[i] : '0';
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (uint32_t)(c - '0');
    }
    *out = v;
    return true;
}

/* Unix seconds: 0 or a decimal without sign, leading zeros or fraction. */
bool gvt_unix_time_parse(const char *s, size_t len, int64_t *out)
{
    if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

void gvt_weight_format(uint32_t w, char out[16])
{
    if (w >= GVT_WEIGHT_ONE || w == 0) {
        strcpy(out, w ? "1" : "0");
        return;
    }
    snprintf(out, 16, "0.%06" PRIu32, w);
    size_t n = strlen(out);
    while (out[n - 1] == '0')
        out[--n] = '\0';
}

bool gvt_scope_valid(const char *s, size_t len)
{
    if (len == 1 && s[0] == '*')
        return true;
    if (len == 0 || len > 128)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
              c == '-'))
            return false;
    }
    return true;
}

size_t gvt_attestation_message(const gvt_attestation *a, char *buf)
{
    char issuer[65], nullifier[65], weight[16];
    gvt_hex_encode(issuer, a->issuer, 32);
    gvt_hex_encode(nullifier, a->nullifier, 32);
    gvt_weight_format(a->weight, weight);
    int n = snprintf(buf, GVT_ATTEST_MSG_MAX,
                     "gvt-attestation/1\nissuer=%s\nsubject=%s\n"
                     "nullifier=%s\nscope=%s\nissued_at=%" PRId64 "\n"
                     "expires_at=%" PRId64 "\nweight=%s\n",
                     issuer, a->subject, nullifier, a->scope, a->issued_at,
                     a->expires_at, weight);
    return n > 0 ? (size_t)n : 0;
}

/* ---- libsodium ----------------------------------------------------------- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status;

static void sodium_start(void)
{
    sodium_status = sodium_init() < 0 ? -1 : 0;
}

int gvt_sodium_init(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_status;
}

gvt_status gvt_sodium_start(const char *file, gvt_error *err)
{
    if (gvt_sodium_init() == 0)
        return GVT_OK;
    gvt_error_set(err, GVT_ERR_INTERNAL, file, "libsodium failed to start");
    return GVT_ERR_INTERNAL;
}

/*
 * Both points are checked with crypto_core_ed25519_is_valid_point before the
 * verification proper: it refuses non-canonical encodings, small-order points
 * and points outside the main subgroup, which different libsodium versions
 * (and other Ed25519 implementations) otherwise treat differently. S < L is
 * enforced by crypto_sign_verify_detached itself.
 */
bool gvt_ed25519_key_valid(const uint8_t key[32])
{
    return gvt_sodium_init() == 0 &&
           crypto_core_ed25519_is_valid_point(key) != 0;
}

bool gvt_ed25519_verify(const uint8_t key[32], bool key_valid,
                        const uint8_t sig[64], const uint8_t *msg, size_t len)
{
    if (!key_valid || gvt_sodium_init() != 0 ||
        !crypto_core_ed25519_is_valid_point(sig))
        return false;
    return crypto_sign_verify_detached(sig, msg, len, key) == 0;
}

/* ---- input files --------------------------------------------------------- */

void gvt_crypto_locate(gvt_error *err, const char *text, size_t offset)
{
    if (!err)
        return;
    long line = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') {
            line++;
            start = i + 1;
        }
    err->offset = (long long)offset;
    err->line = line;
    err->column = (long)(offset - start) + 1;
}

bool gvt_crypto_yajl_run(struct yajl_handle_t *h, const char *text, size_t len,
                         char *msg, size_t size, size_t *offset)
{
    yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
    bool at_end = false;
    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
        at_end = true;
    }
    if (st == yajl_status_ok)
        return true;
    unsigned char *ym = yajl_get_error(h, 0, NULL, 0);
    snprintf(msg, size, "invalid JSON: %s", (const char *)ym);
    yajl_free_error(h, ym);
    /* yajl's message ends in a newline; keep one line. */
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = '\0';
    /* yajl forgets the position when the end of input is the error */
    *offset = at_end ? len : yajl_get_bytes_consumed(h);
    return false;
}

int gvt_crypto_key(gvt_crypto_keys *k, const char *const *names, int count,
                   const char *s, size_t len, bool *dup)
{
    *dup = false;
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
            *dup = (k->seen & (1u << i)) != 0;
            k->seen |= 1u << i;
            return i;
        }
    for (size_t i = 0; i < k->n_unknown; i++)
        if (strlen(k->unknown[i]) == len &&
            memcmp(k->unknown[i], s, len) == 0) {
            *dup = true;
            return -1;
        }
    k->unknown = gvt_xrealloc(k->unknown, (k->n_unknown + 1) * sizeof(char *));
    char *copy = gvt_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    k->unknown[k->n_unknown++] = copy;
    return -1;
}

void gvt_crypto_keys_clear(gvt_crypto_keys *k)
{
    for (size_t i = 0; i < k->n_unknown; i++)
        free(k->unknown[i]);
    free(k->unknown);
    k->unknown = NULL;
    k->n_unknown = 0;
    k->seen = 0;
}

int gvt_signer_cmp(uint8_t kind_a, const uint8_t a[32], uint8_t kind_b,
                   const uint8_t b[32])
{
    if (kind_a != kind_b)
        return kind_a < kind_b ? -1 : 1;
    return memcmp(a, b, 32);
}

/* ---- the parser ---------------------------------------------------------- */

enum field {
    F_V,
    F_ISSUER,
    F_SUBJECT,
    F_NULLIFIER,
    F_SCOPE,
    F_ISSUED_AT,
    F_EXPIRES_AT,
    F_WEIGHT,
    F_SIG,
    F_COUNT,
    F_UNKNOWN = -1
};

static const char *const field_names[F_COUNT] = {
    "v",         "issuer",     "subject", "nullifier", "scope",
    "issued_at", "expires_at", "weight",  "sig"};

/* Longest accepted text of each string field (longer is an error at once). */
static const size_t field_max[F_COUNT] = {0, 64, 66, 64, 128, 0, 0, 8, 132};

typedef struct parser {
    const char *file;
    const char *text; /* whole input */
    size_t base;      /* offset of the chunk given to yajl in text */
    yajl_handle h;
    gvt_attestations *a;
    gvt_error *err;
    bool failed;
    bool array_mode;
    int depth;         /* of containers open */
    unsigned skip;     /* > 0 while skipping an unknown key's value */
    long index;        /* element index (array mode) */
    size_t obj_offset; /* where the current object starts */
    int key;           /* field of the pending key, F_UNKNOWN, or -2 */
    char keyname[48];
    gvt_crypto_keys keys; /* keys seen in this object */
    char str[F_COUNT][136];
    size_t len[F_COUNT];
    size_t end[F_COUNT]; /* offset just after each string field's value */
    int v;               /* the object's format version: 1 or 2 */
    size_t loc_off;      /* line_at's position */
    long loc_line;
} parser;

static size_t cur_offset(const parser *p)
{
    return p->base + yajl_get_bytes_consumed(p->h);
}

static void set_path(parser *p, const char *key)
{
    if (!p->err)
        return;
    char idx[32] = "";
    if (p->array_mode)
        snprintf(idx, sizeof idx, "[%ld]", p->index);
    if (key)
        snprintf(p->err->path, sizeof p->err->path, "$%s.%s", idx, key);
    else
        snprintf(p->err->path, sizeof p->err->path, "$%s", idx);
}

/* Records a data error at offset; returns 0 for yajl. */
static int fail_at(parser *p, size_t offset, const char *key, const char *msg)
{
    p->failed = true;
    gvt_error_set(p->err, GVT_ERR_DATA, p->file, "%s", msg);
    gvt_crypto_locate(p->err, p->text, offset);
    set_path(p, key);
    return 0;
}

static int fail(parser *p, const char *msg)
{
    return fail_at(p, cur_offset(p), p->key == -2 ? NULL : p->keyname, msg);
}

/* The line of offset, counting forward from the last one asked (offsets
 * only grow while a file is read). */
static long line_at(parser *p, size_t offset)
{
    if (offset < p->loc_off) {
        p->loc_off = 0;
        p->loc_line = 1;
    }
    for (; p->loc_off < offset; p->loc_off++)
        if (p->text[p->loc_off] == '\n')
            p->loc_line++;
    return p->loc_line;
}

static void reset_object(parser *p)
{
    gvt_crypto_keys_clear(&p->keys);
    p->key = -2;
    p->v = 0;
}

/* A value inside the object: counts towards a skipped key or is a field. */
static int scalar_done(parser *p)
{
    if (p->skip == 1)
        p->skip = 0;
    p->key = -2;
    return 1;
}

static int wrong_type(parser *p, const char *what)
{
    char msg[96];
    if (p->key < 0)
        snprintf(msg, sizeof msg, "expected an attestation object, found %s",
                 what);
    else if (p->key == F_V || p->key == F_ISSUED_AT || p->key == F_EXPIRES_AT)
        snprintf(msg, sizeof msg, "expected an integer, found %s", what);
    else
        snprintf(msg, sizeof msg, "expected a string, found %s", what);
    return fail(p, msg);
}

/* True when the parser sits where a field's value goes. */
static bool at_value(const parser *p)
{
    return p->depth == (p->array_mode ? 2 : 1) && p->skip == 0;
}

static int on_null(void *ctx)
{
    parser *p = ctx;
    if (p->skip)
        return scalar_done(p);
    if (at_value(p) && p->key == F_UNKNOWN)
        return scalar_done(p);
    return wrong_type(p, "null");
}

static int on_boolean(void *ctx, int v)
{
    parser *p = ctx;
    if (p->skip)
        return scalar_done(p);
    if (at_value(p) && p->key == F_UNKNOWN)
        return scalar_done(p);
    return wrong_type(p, v ? "true" : "false");
}

static int on_number(void *ctx, const char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip || (at_value(p) && p->key == F_UNKNOWN))
        return scalar_done(p);
    if (!at_value(p))
        return wrong_type(p, "a number");
    int64_t v;
    switch (p->key) {
    case F_V:
        if (len != 1 || (s[0] != '1' && s[0] != '2'))
            return fail(p, "unsupported format version (expected 1 or 2)");
        p->v = s[0] - '0';
        break;
    case F_ISSUED_AT:
    case F_EXPIRES_AT:
        if (!gvt_unix_time_parse(s, len, &v))
            return fail(p, "expected unix seconds (an integer >= 0 without "
                           "fraction or exponent)");
        p->len[p->key] = len;
        memcpy(p->str[p->key], s, len);
        p->str[p->key][len] = '\0';
        break;
    default:
        return wrong_type(p, "a number");
    }
    return scalar_done(p);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip || (at_value(p) && p->key == F_UNKNOWN))
        return scalar_done(p);
    if (!at_value(p) || p->key < 0 || field_max[p->key] == 0)
        return wrong_type(p, "a string");
    const char *t = (const char *)s;
    uint8_t tmp[66];
    switch (p->key) {
    case F_ISSUER: /* which form is wanted depends on v: see finish_object */
        if (!gvt_hex_decode(tmp, t, len, 32) &&
            !gvt_eth_address_parse(t, len, tmp))
            return fail(p, "expected an Ed25519 key (64 hex digits) or an "
                           "Ethereum address (0x and 40 hex digits)");
        break;
    case F_NULLIFIER:
        if (!gvt_hex_decode(tmp, t, len, 32))
            return fail(p, "expected 64 hex digits");
        break;
    case F_SIG: {
        bool prefixed = len >= 2 && t[0] == '0' && t[1] == 'x';
        const char *h = prefixed ? t + 2 : t;
        size_t hl = prefixed ? len - 2 : len;
        if (!(!prefixed && gvt_hex_decode(tmp, h, hl, 64)) &&
            !gvt_hex_decode(tmp, h, hl, 65))
            return fail(p, "expected an Ed25519 signature (128 hex digits) "
                           "or an EIP-712 one (130 hex digits, 0x optional)");
        break;
    }
    case F_SUBJECT:
        if (!gvt_address_valid(t, len))
            return fail(p, "expected an address (0x and 40 or 64 hex "
                           "digits)");
        break;
    case F_SCOPE:
        if (!gvt_scope_valid(t, len))
            return fail(p, "expected '*' or 1 to 128 characters of "
                           "A-Za-z0-9._:-");
        break;
    case F_WEIGHT: {
        uint32_t w;
        if (!gvt_weight_parse(t, len, &w))
            return fail(p, "expected a canonical weight in [0, 1] with at "
                           "most 6 fraction digits (\"1\", \"0.5\")");
        break;
    }
    default:
        break;
    }
    memcpy(p->str[p->key], t, len);
    p->str[p->key][len] = '\0';
    p->len[p->key] = len;
    p->end[p->key] = cur_offset(p);
    return scalar_done(p);
}

static int dup_key(parser *p)
{
    char msg[96];
    snprintf(msg, sizeof msg, "duplicate key '%s'", p->keyname);
    return fail(p, msg);
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip)
        return 1;
    size_t n = len < sizeof p->keyname - 1 ? len : sizeof p->keyname - 1;
    memcpy(p->keyname, s, n);
    p->keyname[n] = '\0';
    bool dup;
    p->key = gvt_crypto_key(&p->keys, field_names, F_COUNT, (const char *)s,
                            len, &dup);
    return dup ? dup_key(p) : 1;
}

/*
 * An object or array that is an unknown key's value, or lies inside one, is
 * skipped whole: skip is 1 + the containers open in it. (at_value holds one
 * level below the object's own, so the order against the object's start
 * does not matter.)
 */
static bool skip_open(parser *p)
{
    if (p->skip) {
        p->skip++;
        return true;
    }
    if (at_value(p) && p->key == F_UNKNOWN) {
        p->skip = 2;
        return true;
    }
    return false;
}

/* The end of a container: true when it closes one level of a skipped value
 * (the key is done when the last closes). */
static bool skip_close(parser *p)
{
    if (!p->skip)
        return false;
    if (--p->skip == 1)
        p->skip = 0, p->key = -2;
    return true;
}

static int on_start_map(void *ctx)
{
    parser *p = ctx;
    if (skip_open(p))
        return 1;
    int obj_depth = p->array_mode ? 1 : 0;
    if (p->depth == obj_depth) {
        p->depth++;
        p->obj_offset = cur_offset(p) - 1;
        reset_object(p);
        return 1;
    }
    if (p->depth < obj_depth)
        return fail(p, "expected a JSON array of attestation objects");
    return wrong_type(p, "an object");
}

static int on_start_array(void *ctx)
{
    parser *p = ctx;
    if (skip_open(p))
        return 1;
    if (p->array_mode && p->depth == 0) {
        p->depth = 1;
        return 1;
    }
    return wrong_type(p, "an array");
}

static int on_end_array(void *ctx)
{
    parser *p = ctx;
    if (skip_close(p))
        return 1;
    p->depth--;
    return 1;
}

/*
 * The forms of issuer and sig that v asks for (either may come before v in
 * the object, so they are checked here): v 1 an Ed25519 key and signature,
 * v 2 an Ethereum address and r || s || v.
 */
static int check_signer(parser *p)
{
    bool eth = p->v == 2;
    const char *sig = p->str[F_SIG];
    size_t sig_len = p->len[F_SIG];
    if (sig_len >= 2 && sig[0] == '0' && sig[1] == 'x')
        sig_len -= 2;
    const char *want = NULL;
    int field = F_ISSUER;
    if (eth && p->len[F_ISSUER] != 42)
        want = "v 2: expected an Ethereum address (0x and 40 hex digits)";
    else if (!eth && p->len[F_ISSUER] != 64)
        want = "v 1: expected an Ed25519 key (64 hex digits)";
    else if (eth && sig_len != 130)
        want = "v 2: expected an EIP-712 signature (130 hex digits)",
        field = F_SIG;
    else if (!eth && sig_len != p->len[F_SIG])
        want = "v 1: expected an Ed25519 signature (128 hex digits)",
        field = F_SIG;
    if (!want)
        return 1;
    p->key = -2;
    return fail_at(p, p->end[field], field_names[field], want);
}

gvt_attestation *gvt_attestations_slot(gvt_attestations *a)
{
    if ((a->n & (a->n - 1)) == 0)
        a->items =
            gvt_xrealloc(a->items, (a->n ? 2 * a->n : 16) * sizeof *a->items);
    gvt_attestation *t = &a->items[a->n];
    memset(t, 0, sizeof *t);
    return t;
}

/* The object is complete: check it and store it in canonical form. */
static int finish_object(parser *p)
{
    for (int f = 0; f < F_COUNT; f++)
        if (!(p->keys.seen & (1u << f))) {
            char msg[64];
            snprintf(msg, sizeof msg, "missing field '%s'", field_names[f]);
            p->key = -2;
            return fail_at(p, p->obj_offset, NULL, msg);
        }
    if (!check_signer(p))
        return 0;
    gvt_attestations *a = p->a;
    gvt_attestation *t = gvt_attestations_slot(a);
    t->kind = p->v == 2 ? GVT_SIGNER_ETH : GVT_SIGNER_ED25519;
    const char *sig = p->str[F_SIG];
    if (t->kind == GVT_SIGNER_ETH) {
        (void)gvt_eth_address_parse(p->str[F_ISSUER], 42, t->issuer);
        (void)gvt_hex_decode(t->sig, sig + (sig[1] == 'x' ? 2 : 0), 130, 65);
    } else {
        (void)gvt_hex_decode(t->issuer, p->str[F_ISSUER], 64, 32);
        (void)gvt_hex_decode(t->sig, sig, 128, 64);
    }
    (void)gvt_hex_decode(t->nullifier, p->str[F_NULLIFIER], 64, 32);
    char *subject = gvt_arena_alloc(a->arena, p->len[F_SUBJECT] + 1);
    (void)gvt_address_lower(p->str[F_SUBJECT], p->len[F_SUBJECT], subject);
    t->subject = subject;
    t->scope = gvt_arena_strndup(a->arena, p->str[F_SCOPE], p->len[F_SCOPE]);
    (void)gvt_unix_time_parse(p->str[F_ISSUED_AT], p->len[F_ISSUED_AT],
                              &t->issued_at);
    (void)gvt_unix_time_parse(p->str[F_EXPIRES_AT], p->len[F_EXPIRES_AT],
                              &t->expires_at);
    (void)gvt_weight_parse(p->str[F_WEIGHT], p->len[F_WEIGHT], &t->weight);
    t->line = (uint32_t)line_at(p, p->obj_offset);
    if (t->kind == GVT_SIGNER_ETH) {
        /* the subject as the record writes it: that is what was signed */
        if (!gvt_typed_digest(t, p->str[F_SUBJECT], t->id))
            return fail_at(p, p->obj_offset, NULL,
                           "internal error: EIP-712 types unavailable");
    } else {
        char msg[GVT_ATTEST_MSG_MAX];
        size_t len = gvt_attestation_message(t, msg);
        crypto_generichash(t->id, sizeof t->id, (const unsigned char *)msg, len,
                           NULL, 0);
    }
    a->n++;
    return 1;
}

static int on_end_map(void *ctx)
{
    parser *p = ctx;
    if (skip_close(p))
        return 1;
    p->depth--;
    int rc = finish_object(p);
    reset_object(p);
    p->index++;
    return rc;
}

static const yajl_callbacks callbacks = {
    on_null,    on_boolean,     NULL,         NULL,
    on_number,  on_string,      on_start_map, on_key,
    on_end_map, on_start_array, on_end_array};

/*
 * Runs one yajl parse over text[base, base + len): the whole file in array
 * mode, one line in JSON Lines mode.
 */
static bool parse_chunk(parser *p, size_t base, size_t len)
{
    p->base = base;
    p->h = yajl_alloc(&callbacks, gvt_yajl_alloc_funcs(), p);
    char msg[240];
    size_t at;
    if (!gvt_crypto_yajl_run(p->h, p->text + base, len, msg, sizeof msg, &at) &&
        !p->failed) {
        p->key = -2;
        fail_at(p, base + at, NULL, msg);
    }
    if (!p->failed && !p->array_mode && p->index == 0)
        fail(p, "expected an attestation object");
    yajl_free(p->h);
    p->h = NULL;
    return !p->failed;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* Parses text (NUL-terminated, len bytes) into a. */
static gvt_status parse_text(const char *file, const char *text, size_t len,
                             gvt_attestations *a, gvt_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.file = file;
    p.text = text;
    p.a = a;
    p.err = err;
    p.key = -2;
    p.loc_line = 1;
    size_t first = 0;
    while (first < len && blank(text + first, 1))
        first++;
    if (first < len && text[first] == '[') {
        p.array_mode = true;
        parse_chunk(&p, 0, len);
    } else {
        size_t start = 0;
        while (start < len && !p.failed) {
            const char *nl = memchr(text + start, '\n', len - start);
            size_t end = nl ? (size_t)(nl - text) : len;
            if (!blank(text + start, end - start)) {
                p.depth = 0;
                p.index = 0;
                parse_chunk(&p, start, end - start);
            }
            start = end + 1;
        }
    }
    reset_object(&p);
    return p.failed ? GVT_ERR_DATA : GVT_OK;
}

/* One file's records appended to a (each file holds one kind). */
static gvt_status read_into(const char *name, const char *text, size_t len,
                            gvt_attestations *a, gvt_error *err)
{
    /* the audit record: the bytes read, hashed (docs/audit.md) */
    gvt_digest d;
    gvt_digest_init(&d);
    gvt_digest_add(&d, text, len);
    gvt_inputs_add(&a->inputs, "attestations", name, &d);
    return gvt_eas_onchain_sniff(text, len)
               ? gvt_eas_onchain_read(name, text, len, a, err)
           : gvt_eas_sniff(text, len) ? gvt_eas_read(name, text, len, a, err)
                                      : parse_text(name, text, len, a, err);
}

static gvt_attestations *attestations_new(void)
{
    gvt_attestations *a = gvt_xcalloc(1, sizeof *a);
    a->arena = gvt_arena_new();
    return a;
}

gvt_status gvt_attestations_read_mem(const char *name, const char *text,
                                     size_t len, gvt_attestations **out,
                                     gvt_error *err)
{
    *out = NULL;
    if (gvt_sodium_start(name, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    gvt_attestations *a = attestations_new();
    gvt_status st = read_into(name, text, len, a, err);
    if (st != GVT_OK) {
        gvt_attestations_free(a);
        return st;
    }
    gvt_eas_revocations_sort(a);
    *out = a;
    return GVT_OK;
}

GVT_API gvt_status gvt_attestations_read_file(const char *path,
                                              gvt_attestations **out,
                                              gvt_error *err)
{
    return gvt_attestations_read_files(&path, 1, out, err);
}

GVT_API gvt_status gvt_attestations_read_files(const char *const *paths,
                                               size_t n, gvt_attestations **out,
                                               gvt_error *err)
{
    *out = NULL;
    if (n == 0 || n > GVT_MAX_ATTESTATION_FILES) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "from 1 to %d attestation files",
                      GVT_MAX_ATTESTATION_FILES);
        return GVT_ERR_USAGE;
    }
    if (gvt_sodium_start(paths[0], err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    gvt_attestations *a = attestations_new();
    gvt_status st = GVT_OK;
    for (size_t i = 0; i < n && st == GVT_OK; i++) {
        char *text;
        size_t len;
        st = gvt_file_read(paths[i], true, GVT_LIMIT_ATTESTATION_BYTES, &text,
                           &len, err);
        if (st == GVT_OK) {
            st = read_into(paths[i], text, len, a, err);
            free(text);
        }
    }
    if (st != GVT_OK) {
        gvt_attestations_free(a);
        return st;
    }
    gvt_eas_revocations_sort(a);
    *out = a;
    return GVT_OK;
}

GVT_API void gvt_attestations_free(gvt_attestations *a)
{
    if (!a)
        return;
    free(a->items);
    free(a->revoked_offchain);
    gvt_inputs_free(&a->inputs);
    gvt_arena_free(a->arena);
    free(a);
}

GVT_API size_t gvt_attestations_count(const gvt_attestations *a)
{
    return a ? a->n : 0;
}
