/*
 * trust.c: the issuer trust file (docs/formats.md#trust-file).
 *
 *   {"v": 1, "issuers": [{"name", "key" | "address", "weight",
 *     "valid_from", "valid_until", "revoked": [ids],
 *     "revoked_nullifiers": [hex]}]}
 *
 * Parsed as strictly as attestations (attestation.c): duplicate keys, wrong
 * types, hex of the wrong length, a non-canonical weight, a key listed twice
 * are data errors with line, column, byte offset and JSON path. Unknown keys
 * are ignored. Either "key" (an Ed25519 key) or "address" (an Ethereum
 * account, signing with EIP-712) is required, not both; "name" defaults to
 * the key's hex or the address, "weight"
 * to "1", the window bounds to 0 (unbounded), the revocation lists to empty.
 *
 * Each key is checked once here with gvt_ed25519_key_valid, so
 * that the per-attestation check only has the signature's R left to test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "crypto/crypto.h"

enum ctx {
    C_TOP,     /* nothing open */
    C_DOC,     /* the document object */
    C_ISSUERS, /* the issuers array */
    C_ISSUER,  /* one issuer object */
    C_LIST     /* revoked or revoked_nullifiers */
};

enum doc_key { D_V, D_ISSUERS, D_COUNT };
enum iss_key {
    I_NAME,
    I_KEY,
    I_ADDRESS,
    I_ATTESTER,
    I_SCHEMA,
    I_CHAIN_ID,
    I_CONTRACT,
    I_FIELDS,
    I_NULLIFIER,
    I_SCOPE,
    I_WEIGHT,
    I_VALID_FROM,
    I_VALID_UNTIL,
    I_REVOKED,
    I_REVOKED_NULLIFIERS,
    I_COUNT
};

static const char *const doc_names[D_COUNT] = {"v", "issuers"};
static const char *const iss_names[I_COUNT] = {
    "name",     "key",        "address",     "attester",  "schema",
    "chain_id", "contract",   "fields",      "nullifier", "scope",
    "weight",   "valid_from", "valid_until", "revoked",   "revoked_nullifiers"};

typedef struct list {
    uint8_t (*v)[32];
    size_t n, cap;
} list;

typedef struct parser {
    const char *file;
    const char *text;
    yajl_handle h;
    gvt_error *err;
    bool failed;
    enum ctx ctx;
    unsigned skip;
    int key; /* pending key of the current object, -1 unknown, -2 none */
    char keyname[48];
    gvt_crypto_keys keys[2]; /* keys seen: document, current issuer */
    bool seen_issuers_array;
    bool got_doc;
    long issuer;   /* index of the current issuer */
    long item;     /* index in the current list */
    int list_kind; /* I_REVOKED or I_REVOKED_NULLIFIERS */
    /* the issuer being read */
    gvt_issuer cur;
    bool has_name;
    gvt_eas_source eas; /* the EAS fields of the current issuer */
    char *fields_text, *nullifier_text;
    list revoked, nulls;
    /* all issuers */
    gvt_issuer *issuers;
    size_t n, cap;
    size_t *issuer_offset; /* where each issuer object starts */
    gvt_arena *arena;
} parser;

static void set_path(parser *p)
{
    if (!p->err)
        return;
    char *s = p->err->path;
    size_t size = sizeof p->err->path;
    switch (p->ctx) {
    case C_TOP:
        snprintf(s, size, "$");
        break;
    case C_DOC:
        snprintf(s, size, p->key == -2 ? "$" : "$.%s", p->keyname);
        break;
    case C_ISSUERS:
        snprintf(s, size, "$.issuers[%ld]", p->issuer);
        break;
    case C_ISSUER:
        if (p->key == -2)
            snprintf(s, size, "$.issuers[%ld]", p->issuer);
        else
            snprintf(s, size, "$.issuers[%ld].%s", p->issuer, p->keyname);
        break;
    case C_LIST:
        snprintf(s, size, "$.issuers[%ld].%s[%ld]", p->issuer,
                 iss_names[p->list_kind], p->item);
        break;
    }
}

static int fail_at(parser *p, size_t offset, const char *msg)
{
    if (p->failed)
        return 0;
    p->failed = true;
    gvt_error_set(p->err, GVT_ERR_DATA, p->file, "%s", msg);
    gvt_crypto_locate(p->err, p->text, offset);
    set_path(p);
    return 0;
}

static int fail(parser *p, const char *msg)
{
    return fail_at(p, yajl_get_bytes_consumed(p->h), msg);
}

static int wrong_type(parser *p, const char *what)
{
    char msg[96];
    const char *want = "a value";
    if (p->ctx == C_TOP)
        want = "the trust object {\"v\": 1, \"issuers\": [...]}";
    else if (p->ctx == C_ISSUERS)
        want = "an issuer object";
    else if (p->ctx == C_LIST)
        want = "a string of 64 hex digits";
    else if (p->ctx == C_DOC)
        want = p->key == D_V ? "the integer 1" : "an array of issuers";
    else if (p->key == I_VALID_FROM || p->key == I_VALID_UNTIL ||
             p->key == I_CHAIN_ID)
        want = "an integer";
    else if (p->key == I_REVOKED || p->key == I_REVOKED_NULLIFIERS)
        want = "an array of strings";
    else
        want = "a string";
    snprintf(msg, sizeof msg, "expected %s, found %s", want, what);
    return fail(p, msg);
}

/* A pending unknown key's value starts or is a scalar. */
static bool skipping_unknown(const parser *p)
{
    return (p->ctx == C_DOC || p->ctx == C_ISSUER) && p->key == -1;
}

static int scalar_unknown(parser *p, const char *what)
{
    if (p->skip)
        return 1;
    if (skipping_unknown(p)) {
        p->key = -2;
        return 1;
    }
    return wrong_type(p, what);
}

static int on_null(void *ctx)
{
    return scalar_unknown(ctx, "null");
}

static int on_boolean(void *ctx, int v)
{
    return scalar_unknown(ctx, v ? "true" : "false");
}

static int on_number(void *ctx, const char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip || skipping_unknown(p))
        return scalar_unknown(p, "a number");
    if (p->ctx == C_DOC && p->key == D_V) {
        if (len != 1 || s[0] != '1')
            return fail(p, "unsupported trust file version (expected 1)");
    } else if (p->ctx == C_ISSUER && p->key == I_CHAIN_ID) {
        uint64_t v = 0;
        bool ok = len > 0 && len <= 19 && (s[0] != '0' || len == 1);
        for (size_t i = 0; ok && i < len; i++) {
            ok = s[i] >= '0' && s[i] <= '9';
            v = v * 10 + (uint64_t)(s[i] - '0');
        }
        if (!ok)
            return fail(p, "expected a chain id (an integer >= 0, at most 19 "
                           "digits)");
        p->eas.chain_id = v;
    } else if (p->ctx == C_ISSUER &&
               (p->key == I_VALID_FROM || p->key == I_VALID_UNTIL)) {
        int64_t *slot =
            p->key == I_VALID_FROM ? &p->cur.valid_from : &p->cur.valid_until;
        if (!gvt_unix_time_parse(s, len, slot))
            return fail(p, "expected unix seconds (an integer >= 0 without "
                           "fraction or exponent)");
    } else
        return wrong_type(p, "a number");
    p->key = -2;
    return 1;
}

static void list_add(list *l, const uint8_t v[32])
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = gvt_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    memcpy(l->v[l->n++], v, 32);
}

static int on_string(void *ctx, const unsigned char *us, size_t len)
{
    parser *p = ctx;
    const char *s = (const char *)us;
    if (p->skip || skipping_unknown(p))
        return scalar_unknown(p, "a string");
    if (p->ctx == C_LIST) {
        uint8_t v[32];
        if (!gvt_hex_decode(v, s, len, 32))
            return fail(p, "expected 64 hex digits");
        list_add(p->list_kind == I_REVOKED ? &p->revoked : &p->nulls, v);
        p->item++;
        return 1;
    }
    if (p->ctx != C_ISSUER)
        return wrong_type(p, "a string");
    switch (p->key) {
    case I_NAME:
        if (len == 0 || len > 128 || memchr(s, '\0', len))
            return fail(p, "expected a name of 1 to 128 characters");
        p->cur.name = gvt_arena_strndup(p->arena, s, len);
        p->has_name = true;
        break;
    case I_KEY:
        if (!gvt_hex_decode(p->cur.key, s, len, 32))
            return fail(p, "expected 64 hex digits");
        break;
    case I_ADDRESS:
    case I_ATTESTER:
        memset(p->cur.key, 0, 32);
        if (!gvt_eth_address_parse(s, len, p->cur.key))
            return fail(p, "expected an Ethereum address (0x and 40 hex "
                           "digits)");
        p->cur.kind = p->key == I_ADDRESS ? GVT_SIGNER_ETH : GVT_SIGNER_EAS;
        break;
    case I_CONTRACT:
        if (!gvt_eth_address_parse(s, len, p->eas.contract))
            return fail(p, "expected an Ethereum address (0x and 40 hex "
                           "digits)");
        break;
    case I_SCHEMA:
        if (len != 66 || s[0] != '0' || s[1] != 'x' ||
            !gvt_hex_decode(p->eas.schema, s + 2, 64, 32))
            return fail(p, "expected a schema uid (0x and 64 hex digits)");
        break;
    case I_SCOPE:
        if (!gvt_scope_valid(s, len))
            return fail(p, "expected '*' or 1 to 128 characters of "
                           "A-Za-z0-9._:-");
        p->eas.scope = gvt_arena_strndup(p->arena, s, len);
        break;
    case I_FIELDS:
    case I_NULLIFIER:
        if (len > GVT_ABI_MAX_TEXT || memchr(s, '\0', len))
            return fail(p, "expected a text of at most 4096 bytes");
        *(p->key == I_FIELDS ? &p->fields_text : &p->nullifier_text) =
            gvt_arena_strndup(p->arena, s, len);
        break;
    case I_WEIGHT:
        if (!gvt_weight_parse(s, len, &p->cur.weight))
            return fail(p, "expected a canonical weight in [0, 1] with at "
                           "most 6 fraction digits (\"1\", \"0.5\")");
        break;
    default:
        return wrong_type(p, "a string");
    }
    p->key = -2;
    return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip)
        return 1;
    int level = p->ctx == C_DOC ? 0 : 1;
    const char *const *names = level ? iss_names : doc_names;
    int count = level ? I_COUNT : D_COUNT;
    size_t n = len < sizeof p->keyname - 1 ? len : sizeof p->keyname - 1;
    memcpy(p->keyname, s, n);
    p->keyname[n] = '\0';
    bool dup;
    p->key = gvt_crypto_key(&p->keys[level], names, count, (const char *)s, len,
                            &dup);
    if (!dup)
        return 1;
    char msg[96];
    snprintf(msg, sizeof msg, "duplicate key '%s'", p->keyname);
    return fail(p, msg);
}

/*
 * An object or array that is an unknown key's value, or lies inside one, is
 * skipped whole: skip counts the containers open in it.
 */
static bool skip_open(parser *p)
{
    if (!p->skip && !skipping_unknown(p))
        return false;
    p->skip++;
    return true;
}

/* The end of a container: true when it closes one level of a skipped value
 * (the key is done when the last closes). */
static bool skip_close(parser *p)
{
    if (!p->skip)
        return false;
    if (--p->skip == 0)
        p->key = -2;
    return true;
}

static int on_start_map(void *ctx)
{
    parser *p = ctx;
    if (skip_open(p))
        return 1;
    if (p->ctx == C_TOP && !p->got_doc) {
        p->got_doc = true;
        p->ctx = C_DOC;
        p->key = -2;
        return 1;
    }
    if (p->ctx == C_ISSUERS) {
        p->ctx = C_ISSUER;
        p->key = -2;
        memset(&p->cur, 0, sizeof p->cur);
        p->cur.weight = GVT_WEIGHT_ONE;
        memset(&p->eas, 0, sizeof p->eas);
        p->fields_text = p->nullifier_text = NULL;
        p->has_name = false;
        p->revoked.n = p->nulls.n = 0;
        gvt_crypto_keys_clear(&p->keys[1]);
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 8;
            p->issuers = gvt_xrealloc(p->issuers, p->cap * sizeof *p->issuers);
            p->issuer_offset =
                gvt_xrealloc(p->issuer_offset, p->cap * sizeof(size_t));
        }
        p->issuer_offset[p->n] = yajl_get_bytes_consumed(p->h) - 1;
        return 1;
    }
    return wrong_type(p, "an object");
}

static int on_start_array(void *ctx)
{
    parser *p = ctx;
    if (skip_open(p))
        return 1;
    if (p->ctx == C_DOC && p->key == D_ISSUERS) {
        p->ctx = C_ISSUERS;
        p->issuer = 0;
        p->seen_issuers_array = true;
        return 1;
    }
    if (p->ctx == C_ISSUER &&
        (p->key == I_REVOKED || p->key == I_REVOKED_NULLIFIERS)) {
        p->ctx = C_LIST;
        p->list_kind = p->key;
        p->item = 0;
        return 1;
    }
    return wrong_type(p, "an array");
}

/* Copies a list into the arena, sorted for bsearch. */
static int cmp32(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

static uint8_t (*list_keep(parser *p, list *l, size_t *out_n))[32]
{
    *out_n = l->n;
    if (l->n == 0)
        return NULL;
    uint8_t(*v)[32] = gvt_arena_alloc(p->arena, l->n * 32);
    memcpy(v, l->v, l->n * 32);
    qsort(v, l->n, 32, cmp32);
    return v;
}

/* The EAS part of an issuer with "attester": the deployment and how a
 * record maps to a personhood attestation. */
static int finish_source(parser *p, unsigned seen)
{
    static const int need[] = {I_SCHEMA, I_CHAIN_ID, I_CONTRACT, I_NULLIFIER};
    char msg[320];
    p->key = -2;
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!(seen & (1u << need[i]))) {
            snprintf(msg, sizeof msg, "missing field '%s' (an EAS source)",
                     iss_names[need[i]]);
            return fail_at(p, p->issuer_offset[p->n], msg);
        }
    gvt_eas_source *e = gvt_arena_calloc(p->arena, 1, sizeof *e);
    *e = p->eas;
    if (!e->scope)
        e->scope = "*";
    if (p->fields_text) {
        gvt_eth_error err;
        if (!gvt_abi_schema_parse(p->fields_text, strlen(p->fields_text),
                                  &e->fields, &err)) {
            snprintf(msg, sizeof msg, "fields: %s", err.message);
            return fail_at(p, p->issuer_offset[p->n], msg);
        }
    }
    p->cur.eas = e; /* owned from here: freed with the trust file */
    const char *n = p->nullifier_text;
    long f;
    if (strcmp(n, "uid") == 0)
        e->nullifier = GVT_EAS_NUL_UID;
    else if (strcmp(n, "refUID") == 0)
        e->nullifier = GVT_EAS_NUL_REF_UID;
    else if (e->fields &&
             (f = gvt_abi_field_index(gvt_eth_types_root(e->fields), n)) >= 0) {
        const gvt_abi_type *t = gvt_eth_types_root(e->fields)->fields[f].type;
        if (t->kind == GVT_ABI_ARRAY || t->kind == GVT_ABI_TUPLE ||
            t->kind == GVT_ABI_BOOL) {
            snprintf(msg, sizeof msg,
                     "nullifier: field '%.64s' is a %.64s, not a value that "
                     "names a human",
                     n, t->spelling);
            return fail_at(p, p->issuer_offset[p->n], msg);
        }
        e->nullifier = GVT_EAS_NUL_FIELD;
        e->field = (size_t)f;
    } else {
        snprintf(msg, sizeof msg,
                 "nullifier: '%.64s' is neither uid, refUID nor a field of "
                 "'fields'",
                 n);
        return fail_at(p, p->issuer_offset[p->n], msg);
    }
    return 1;
}

/* The parsed fields of EAS sources (the rest lives in the arena). */
static void free_sources(gvt_issuer *is, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is[i].eas) {
            gvt_eth_types_free(is[i].eas->fields);
            is[i].eas->fields = NULL;
        }
}

static int finish_issuer(parser *p)
{
    unsigned seen = p->keys[1].seen;
    bool key = seen & (1u << I_KEY), address = seen & (1u << I_ADDRESS),
         attester = seen & (1u << I_ATTESTER);
    if (key + address + attester != 1) {
        p->key = -2;
        return fail_at(p, p->issuer_offset[p->n],
                       (key + address + attester)
                           ? "more than one of 'key', 'address' and "
                             "'attester': an issuer signs with one of them"
                           : "missing field 'key' (or 'address', or "
                             "'attester')");
    }
    static const int eas_only[] = {I_SCHEMA, I_CHAIN_ID,  I_CONTRACT,
                                   I_FIELDS, I_NULLIFIER, I_SCOPE};
    for (size_t i = 0; !attester && i < sizeof eas_only / sizeof *eas_only; i++)
        if (seen & (1u << eas_only[i])) {
            char msg[96];
            snprintf(msg, sizeof msg,
                     "'%s' belongs to an EAS source (with 'attester')",
                     iss_names[eas_only[i]]);
            p->key = -2;
            return fail_at(p, p->issuer_offset[p->n], msg);
        }
    if (attester && !finish_source(p, seen)) {
        free_sources(&p->cur, 1);
        return 0;
    }
    gvt_issuer *is = &p->cur;
    if (!p->has_name) {
        char hex[65];
        if (address || attester)
            gvt_eth_address_hex(is->key, hex);
        else
            gvt_hex_encode(hex, is->key, 32);
        is->name = gvt_arena_strdup(p->arena, hex);
    }
    is->revoked = list_keep(p, &p->revoked, &is->n_revoked);
    is->revoked_nullifiers = list_keep(p, &p->nulls, &is->n_revoked_nullifiers);
    is->key_ok = address || attester || gvt_ed25519_key_valid(is->key);
    p->issuers[p->n++] = *is;
    return 1;
}

static int on_end_map(void *ctx)
{
    parser *p = ctx;
    if (skip_close(p))
        return 1;
    if (p->ctx == C_ISSUER) {
        int rc = finish_issuer(p);
        p->ctx = C_ISSUERS;
        p->issuer++;
        return rc;
    }
    /* the document */
    const char *missing = !(p->keys[0].seen & (1u << D_V)) ? "v"
                          : !p->seen_issuers_array         ? "issuers"
                                                           : NULL;
    p->key = -2;
    if (missing) {
        char msg[64];
        snprintf(msg, sizeof msg, "missing field '%s'", missing);
        return fail_at(p, 0, msg);
    }
    p->ctx = C_TOP;
    return 1;
}

static int on_end_array(void *ctx)
{
    parser *p = ctx;
    if (skip_close(p))
        return 1;
    p->ctx = p->ctx == C_LIST ? C_ISSUER : C_DOC;
    p->key = -2;
    return 1;
}

static const yajl_callbacks callbacks = {
    on_null,    on_boolean,     NULL,         NULL,
    on_number,  on_string,      on_start_map, on_key,
    on_end_map, on_start_array, on_end_array};

/* EAS sources of one attester differ by schema, chain and contract. */
static int eas_cmp(const gvt_eas_source *x, const gvt_eas_source *y)
{
    int c = memcmp(x->schema, y->schema, 32);
    if (!c)
        c = (x->chain_id > y->chain_id) - (x->chain_id < y->chain_id);
    if (!c)
        c = memcmp(x->contract, y->contract, 20);
    return c;
}

static int issuer_order(const gvt_issuer *x, const gvt_issuer *y)
{
    int c = gvt_signer_cmp(x->kind, x->key, y->kind, y->key);
    return c || x->kind != GVT_SIGNER_EAS ? c : eas_cmp(x->eas, y->eas);
}

static int cmp_issuer(const void *a, const void *b)
{
    return issuer_order(a, b);
}

typedef struct keyed {
    const gvt_issuer *is;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = issuer_order(x->is, y->is);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

gvt_status gvt_trust_read_mem(const char *name, const char *text, size_t len,
                              gvt_trust **out, gvt_error *err)
{
    *out = NULL;
    if (gvt_sodium_start(name, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    parser p;
    memset(&p, 0, sizeof p);
    p.file = name;
    p.text = text;
    p.err = err;
    p.key = -2;
    p.arena = gvt_arena_new();
    p.h = yajl_alloc(&callbacks, gvt_yajl_alloc_funcs(), &p);
    size_t first = strspn(text, " \t\r\n");
    char msg[240];
    size_t at;
    if (first < len &&
        !gvt_crypto_yajl_run(p.h, text, len, msg, sizeof msg, &at) && !p.failed)
        fail_at(&p, at, msg);
    if (!p.failed && !p.got_doc)
        fail_at(&p, first, "empty input: expected the trust object");
    /* Two entries for one key would make its weight and window ambiguous:
     * the later one (in input order) is reported. */
    if (!p.failed && p.n > 1) {
        keyed *order = gvt_xmalloc(p.n * sizeof *order);
        for (size_t i = 0; i < p.n; i++) {
            order[i].is = &p.issuers[i];
            order[i].idx = i;
        }
        qsort(order, p.n, sizeof *order, cmp_keyed);
        size_t worst = SIZE_MAX;
        for (size_t i = 1; i < p.n; i++)
            if (issuer_order(order[i].is, order[i - 1].is) == 0 &&
                order[i].idx < worst)
                worst = order[i].idx;
        if (worst != SIZE_MAX) {
            p.issuer = (long)worst;
            p.ctx = C_ISSUERS;
            fail_at(
                &p, p.issuer_offset[worst],
                "issuer listed twice (the same key, address, or EAS source)");
        }
        free(order);
    }
    yajl_free(p.h);
    gvt_crypto_keys_clear(&p.keys[0]);
    gvt_crypto_keys_clear(&p.keys[1]);
    free(p.revoked.v);
    free(p.nulls.v);
    free(p.issuer_offset);
    if (p.failed) {
        free_sources(p.issuers, p.n);
        free(p.issuers);
        gvt_arena_free(p.arena);
        return GVT_ERR_DATA;
    }
    gvt_trust *t = gvt_xcalloc(1, sizeof *t);
    t->arena = p.arena;
    t->issuers = p.issuers;
    t->n = p.n;
    if (t->n > 1)
        qsort(t->issuers, t->n, sizeof *t->issuers, cmp_issuer);
    /* the audit record: the bytes read, hashed (docs/audit.md) */
    gvt_digest d;
    gvt_digest_init(&d);
    gvt_digest_add(&d, text, len);
    gvt_inputs_add(&t->inputs, "issuers", name, &d);
    *out = t;
    return GVT_OK;
}

GVT_API gvt_status gvt_trust_read_file(const char *path, gvt_trust **out,
                                       gvt_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    gvt_status st =
        gvt_file_read(path, true, GVT_LIMIT_TRUST_BYTES, &text, &len, err);
    if (st != GVT_OK)
        return st;
    st = gvt_trust_read_mem(path, text, len, out, err);
    free(text);
    return st;
}

GVT_API void gvt_trust_free(gvt_trust *t)
{
    if (!t)
        return;
    free_sources(t->issuers, t->n);
    free(t->issuers);
    gvt_inputs_free(&t->inputs);
    gvt_arena_free(t->arena);
    free(t);
}

const gvt_issuer *gvt_trust_find(const gvt_trust *t, uint8_t kind,
                                 const uint8_t key[32])
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = gvt_signer_cmp(t->issuers[mid].kind, t->issuers[mid].key, kind,
                               key);
        if (c == 0)
            return &t->issuers[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const gvt_issuer *gvt_trust_find_eas(const gvt_trust *t,
                                     const gvt_attestation *r,
                                     bool *attester_known)
{
    /* the first source of the attester, then its neighbours */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (gvt_signer_cmp(t->issuers[mid].kind, t->issuers[mid].key,
                           GVT_SIGNER_EAS, r->issuer) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *attester_known = false;
    for (size_t i = lo; i < t->n && t->issuers[i].kind == GVT_SIGNER_EAS &&
                        memcmp(t->issuers[i].key, r->issuer, 32) == 0;
         i++) {
        const gvt_eas_source *e = t->issuers[i].eas;
        *attester_known = true;
        if (memcmp(e->schema, r->eas->schema, 32) == 0 &&
            e->chain_id == r->eas->chain_id &&
            memcmp(e->contract, r->eas->contract, 20) == 0)
            return &t->issuers[i];
    }
    return NULL;
}
