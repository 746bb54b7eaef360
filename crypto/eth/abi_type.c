/*
 * abi_type.c: reading type texts into gvt_abi_type trees. Two forms:
 *
 *   - an ABI parameter list, as EAS writes a schema: "uint256 score, bytes32
 *     nullifier, string name, address[] wallets" (Solidity ABI spec, "Types";
 *     a field is a type and an optional name; uint and int alone are 256
 *     bits; tuples are written "(T1 a, T2 b)");
 *   - EIP-712 struct definitions as encodeType writes them, "Mail(Person
 *     from,Person to,string contents)Person(string name,address wallet)"
 *     (EIP-712, "Definition of encodeType"), in any order.
 *
 * Both are bounded before anything is built: the text's length, the nesting
 * depth, the fields of a tuple, the head size of a static type. Canonical
 * spellings ("uint256", "Person[]", "(bool,bytes)") are built here for
 * encodeType; each struct's type hash is computed once, here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "crypto/eth/eth.h"

#define ELEMENTARY(ident, k, b, text, dyn)                                     \
    const gvt_abi_type ident = {.kind = k,                                     \
                                .bits = b,                                     \
                                .spelling = text,                              \
                                .dynamic = dyn,                                \
                                .head = 32,                                    \
                                .depth = 1}
ELEMENTARY(gvt_abi_uint256, GVT_ABI_UINT, 256, "uint256", false);
ELEMENTARY(gvt_abi_uint64, GVT_ABI_UINT, 64, "uint64", false);
ELEMENTARY(gvt_abi_address, GVT_ABI_ADDRESS, 0, "address", false);
ELEMENTARY(gvt_abi_bool, GVT_ABI_BOOL, 0, "bool", false);
ELEMENTARY(gvt_abi_bytes32, GVT_ABI_FIXED_BYTES, 32, "bytes32", false);
ELEMENTARY(gvt_abi_bytes, GVT_ABI_BYTES, 0, "bytes", true);
ELEMENTARY(gvt_abi_string, GVT_ABI_STRING, 0, "string", true);

/* An EIP-712 struct definition, found before any is built. */
typedef struct sdef {
    const char *name;
    size_t name_len;
    size_t body, body_end; /* the text between the parentheses */
    int state;             /* 0 not built, 1 being built, 2 built */
    gvt_abi_type *type;
} sdef;

struct gvt_eth_types {
    gvt_arena *arena;
    const gvt_abi_type *root;
    sdef *defs;
    size_t n_defs;
};

typedef struct parser {
    const char *text;
    size_t pos, end;
    bool eip712;
    unsigned nesting; /* tuples and struct definitions being read */
    gvt_eth_types *types;
    gvt_eth_error *err;
} parser;

static bool fail(parser *p, const char *msg)
{
    return gvt_eth_fail(p->err, NULL, p->pos, "%s (at byte %zu of the type)",
                        msg, p->pos);
}

/* The same with one piece of the text (n bytes of s) quoted in msg. */
static bool fail_on(parser *p, const char *msg, const char *s, size_t n)
{
    char buf[200];
    int w = (int)(n < 48 ? n : 48);
    snprintf(buf, sizeof buf, "%s '%.*s'", msg, w, s ? s : "");
    return fail(p, buf);
}

/* For functions that return a type: NULL after the message. */
static void *none(bool failed)
{
    (void)failed;
    return NULL;
}

static void skip_space(parser *p)
{
    while (p->pos < p->end &&
           (p->text[p->pos] == ' ' || p->text[p->pos] == '\t' ||
            p->text[p->pos] == '\n' || p->text[p->pos] == '\r'))
        p->pos++;
}

static bool ident_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '$' || (!first && c >= '0' && c <= '9');
}

/* An identifier at pos (skipping spaces before it); its length, 0 if none. */
static size_t ident(parser *p, const char **out)
{
    skip_space(p);
    size_t start = p->pos;
    while (p->pos < p->end && ident_char(p->text[p->pos], p->pos == start))
        p->pos++;
    *out = p->text + start;
    return p->pos - start;
}

/* Digits without leading zeros: 1..max, or 0 for none (or bad). */
static unsigned long digits_value(const char *s, size_t n, unsigned long max)
{
    if (n == 0 || n > 9 || s[0] == '0')
        return 0;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    return v <= max ? v : 0;
}

static gvt_abi_type *new_type(parser *p, gvt_abi_kind kind)
{
    gvt_abi_type *t = gvt_arena_calloc(p->types->arena, 1, sizeof *t);
    t->kind = kind;
    t->head = 32;
    t->depth = 1;
    return t;
}

static const gvt_abi_type *build_struct(parser *p, sdef *d);

/*
 * An elementary type or (EIP-712) a struct name. In a schema "uint" and
 * "int" mean 256 bits; EIP-712 wants the size spelled out, since encodeType
 * hashes the spelling.
 */
static const gvt_abi_type *elementary(parser *p, const char *s, size_t n)
{
    static const struct {
        const char *word;
        gvt_abi_kind kind;
        unsigned max; /* largest size after the word; 0: none allowed */
    } words[] = {
        {"uint", GVT_ABI_UINT, 256},        {"int", GVT_ABI_INT, 256},
        {"bytes", GVT_ABI_FIXED_BYTES, 32}, {"address", GVT_ABI_ADDRESS, 0},
        {"bool", GVT_ABI_BOOL, 0},          {"string", GVT_ABI_STRING, 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t wl = strlen(words[i].word);
        if (n < wl || memcmp(s, words[i].word, wl) != 0)
            continue;
        if (n > wl && !(s[wl] >= '0' && s[wl] <= '9'))
            continue; /* a longer identifier, e.g. "uintx" or "boolean" */
        gvt_abi_type *t = new_type(p, words[i].kind);
        t->spelling = gvt_arena_strndup(p->types->arena, s, n);
        if (n == wl) {
            if (words[i].kind == GVT_ABI_FIXED_BYTES)
                t->kind = GVT_ABI_BYTES;
            else if (words[i].max) {
                if (p->eip712)
                    return none(fail_on(p, "EIP-712 needs a size on", s, n));
                t->spelling =
                    words[i].kind == GVT_ABI_UINT ? "uint256" : "int256";
                t->bits = 256;
            }
            t->dynamic = t->kind == GVT_ABI_BYTES || t->kind == GVT_ABI_STRING;
            return t;
        }
        unsigned long size = digits_value(s + wl, n - wl, words[i].max);
        bool whole = t->kind == GVT_ABI_FIXED_BYTES || size % 8 == 0;
        if (!words[i].max || size == 0 || !whole)
            return none(fail_on(p, "unknown type", s, n));
        t->bits = (unsigned)size;
        return t;
    }
    if (p->eip712)
        for (size_t i = 0; i < p->types->n_defs; i++) {
            sdef *d = &p->types->defs[i];
            if (d->name_len == n && memcmp(d->name, s, n) == 0)
                return build_struct(p, d);
        }
    return none(fail_on(p, "unknown type", s, n));
}

/* Checks a type's depth and head size after it is built. */
static bool bounded(parser *p, const gvt_abi_type *t)
{
    if (t->depth > GVT_ABI_MAX_DEPTH)
        return fail(p, "type nested deeper than the limit");
    if (t->head > GVT_ABI_MAX_HEAD)
        return fail(p, "static type larger than the limit");
    return true;
}

/* Array suffixes after a base type: "[]", "[3]", repeated. */
static const gvt_abi_type *suffixes(parser *p, const gvt_abi_type *base)
{
    for (;;) {
        skip_space(p);
        if (p->pos >= p->end || p->text[p->pos] != '[')
            return base;
        size_t open = ++p->pos;
        while (p->pos < p->end && p->text[p->pos] != ']')
            p->pos++;
        if (p->pos >= p->end)
            return none(fail(p, "'[' without ']'"));
        size_t n = p->pos - open;
        p->pos++;
        unsigned long k = 0;
        if (n && !(k = digits_value(p->text + open, n, 1000000)))
            return none(fail_on(p, "bad array length", p->text + open, n));
        gvt_abi_type *a = new_type(p, GVT_ABI_ARRAY);
        a->elem = base;
        a->length = k;
        a->dynamic = k == 0 || base->dynamic;
        a->head = a->dynamic ? 32 : k * base->head; /* both bounded */
        a->depth = base->depth + 1;
        size_t sl = strlen(base->spelling);
        char *sp = gvt_arena_calloc(p->types->arena, 1, sl + n + 3);
        memcpy(sp, base->spelling, sl);
        sp[sl] = '[';
        memcpy(sp + sl + 1, p->text + open, n);
        sp[sl + 1 + n] = ']';
        a->spelling = sp;
        if (!bounded(p, a))
            return NULL;
        base = a;
    }
}

static bool fields(parser *p, gvt_abi_type *tuple, char close);

/* One type: an elementary type, a struct name or a tuple, then suffixes. */
static const gvt_abi_type *type(parser *p)
{
    skip_space(p);
    if (p->pos < p->end && p->text[p->pos] == '(' && !p->eip712) {
        if (++p->nesting > GVT_ABI_MAX_DEPTH)
            return none(fail(p, "type nested deeper than the limit"));
        p->pos++;
        gvt_abi_type *t = new_type(p, GVT_ABI_TUPLE);
        if (!fields(p, t, ')'))
            return NULL;
        p->nesting--;
        return suffixes(p, t);
    }
    const char *s;
    size_t n = ident(p, &s);
    if (n == 0)
        return none(fail_on(p, "expected a type, found", p->text + p->pos,
                            p->pos < p->end ? 1 : 0));
    const gvt_abi_type *t = elementary(p, s, n);
    return t ? suffixes(p, t) : NULL;
}

/* A tuple's or struct's spelling, depth, head size and dynamism. */
static bool finish_tuple(parser *p, gvt_abi_type *t)
{
    size_t len = 2;
    t->head = 0;
    for (size_t i = 0; i < t->n_fields; i++) {
        const gvt_abi_type *f = t->fields[i].type;
        len += strlen(f->spelling) + 1;
        t->dynamic |= f->dynamic;
        t->head += f->head;
        if (f->depth + 1 > t->depth)
            t->depth = f->depth + 1;
    }
    if (t->dynamic)
        t->head = 32;
    if (!t->name) {
        char *sp = gvt_arena_calloc(p->types->arena, 1, len);
        size_t at = 0;
        sp[at++] = '(';
        for (size_t i = 0; i < t->n_fields; i++) {
            size_t fl = strlen(t->fields[i].type->spelling);
            memcpy(sp + at, t->fields[i].type->spelling, fl);
            at += fl;
            if (i + 1 < t->n_fields)
                sp[at++] = ',';
        }
        sp[at] = ')';
        t->spelling = sp;
    }
    return bounded(p, t);
}

/*
 * Fields up to close (or the end of the text when close is 0): "T name,
 * T name". Names are optional in a schema, required in EIP-712, and distinct
 * within one tuple. At least one field.
 */
static bool fields(parser *p, gvt_abi_type *tuple, char close)
{
    gvt_abi_field list[GVT_ABI_MAX_FIELDS];
    size_t n = 0;
    for (;;) {
        if (n == GVT_ABI_MAX_FIELDS)
            return fail(p, "more fields than the limit");
        const gvt_abi_type *t = type(p);
        if (!t)
            return false;
        const char *name;
        size_t name_len = ident(p, &name);
        if (name_len == 0 && p->eip712)
            return fail_on(p, "no name for the member of type", t->spelling,
                           strlen(t->spelling));
        for (size_t i = 0; i < n; i++)
            if (name_len && strlen(list[i].name) == name_len &&
                memcmp(list[i].name, name, name_len) == 0)
                return fail_on(p, "two fields named", name, name_len);
        list[n].name = gvt_arena_strndup(p->types->arena, name, name_len);
        list[n++].type = t;
        skip_space(p);
        if (p->pos < p->end && p->text[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (close ? p->pos < p->end && p->text[p->pos] == close
                  : p->pos == p->end) {
            if (close)
                p->pos++;
            break;
        }
        if (p->pos >= p->end)
            return fail_on(p, "missing", &close, 1);
        return fail_on(p, "unexpected", p->text + p->pos, 1);
    }
    gvt_abi_field *copy =
        gvt_arena_calloc(p->types->arena, 1, n * sizeof *copy);
    memcpy(copy, list, n * sizeof *copy);
    tuple->fields = copy;
    tuple->n_fields = n;
    return finish_tuple(p, tuple);
}

static void types_new(gvt_eth_types **out)
{
    *out = gvt_xcalloc(1, sizeof **out);
    (*out)->arena = gvt_arena_new();
}

bool gvt_abi_schema_parse(const char *text, size_t len, gvt_eth_types **out,
                          gvt_eth_error *err)
{
    *out = NULL;
    if (len > GVT_ABI_MAX_TEXT)
        return gvt_eth_fail(err, NULL, 0,
                            "schema of %zu bytes (at most %d allowed)", len,
                            GVT_ABI_MAX_TEXT);
    gvt_eth_types *types;
    types_new(&types);
    parser p = {.text = text, .end = len, .types = types, .err = err};
    gvt_abi_type *root = new_type(&p, GVT_ABI_TUPLE);
    skip_space(&p);
    /* An empty schema is a tuple of no fields (its data is empty). */
    bool ok = p.pos == p.end ? finish_tuple(&p, root) : fields(&p, root, 0);
    if (!ok) {
        gvt_eth_types_free(types);
        return false;
    }
    types->root = root;
    *out = types;
    return true;
}

/*
 * Builds a struct on first use: its members may name other structs, built
 * in turn. A struct met again while it is being built is recursive: refused
 * (encodeType allows it, but none of the shapes govtally reads needs it).
 */
static const gvt_abi_type *build_struct(parser *p, sdef *d)
{
    if (d->state == 2)
        return d->type;
    if (d->state == 1)
        return none(fail_on(p, "recursive struct", d->name, d->name_len));
    if (++p->nesting > GVT_ABI_MAX_DEPTH)
        return none(fail(p, "type nested deeper than the limit"));
    size_t pos = p->pos, end = p->end;
    d->state = 1;
    d->type = new_type(p, GVT_ABI_TUPLE);
    d->type->name = d->type->spelling =
        gvt_arena_strndup(p->types->arena, d->name, d->name_len);
    p->pos = d->body;
    p->end = d->body_end;
    bool ok = fields(p, d->type, 0);
    p->pos = pos;
    p->end = end;
    p->nesting--;
    d->state = 2;
    return ok ? d->type : NULL;
}

/* Finds every "Name(...)" of the text before building any. */
static bool find_structs(parser *p)
{
    size_t cap = 0;
    gvt_eth_types *ts = p->types;
    for (;;) {
        skip_space(p);
        if (p->pos == p->end)
            break;
        const char *name;
        size_t n = ident(p, &name);
        if (n == 0 || p->pos >= p->end || p->text[p->pos] != '(')
            return fail(p, "expected a struct definition 'Name(...)'");
        if (elementary(&(parser){.types = ts, .err = NULL}, name, n))
            return fail_on(p, "struct named like an elementary type", name, n);
        for (size_t i = 0; i < ts->n_defs; i++)
            if (ts->defs[i].name_len == n && !memcmp(ts->defs[i].name, name, n))
                return fail_on(p, "struct defined twice:", name, n);
        size_t body = ++p->pos;
        while (p->pos < p->end && p->text[p->pos] != ')')
            p->pos++;
        if (p->pos == p->end)
            return fail_on(p, "no ')' closes struct", name, n);
        if (ts->n_defs == cap) {
            cap = cap ? 2 * cap : 8;
            sdef *grown = gvt_arena_calloc(ts->arena, 1, cap * sizeof *grown);
            if (ts->n_defs)
                memcpy(grown, ts->defs, ts->n_defs * sizeof *grown);
            ts->defs = grown;
        }
        ts->defs[ts->n_defs++] = (sdef){
            .name = name, .name_len = n, .body = body, .body_end = p->pos};
        p->pos++;
    }
    if (ts->n_defs == 0)
        return fail(p, "no struct definition");
    return true;
}

bool gvt_eip712_types_parse(const char *text, size_t len, gvt_eth_types **out,
                            gvt_eth_error *err)
{
    *out = NULL;
    if (len > GVT_ABI_MAX_TEXT)
        return gvt_eth_fail(err, NULL, 0,
                            "types of %zu bytes (at most %d allowed)", len,
                            GVT_ABI_MAX_TEXT);
    gvt_eth_types *types;
    types_new(&types);
    parser p = {
        .text = text, .end = len, .eip712 = true, .types = types, .err = err};
    bool ok = find_structs(&p);
    for (size_t i = 0; ok && i < types->n_defs; i++)
        ok = build_struct(&p, &types->defs[i]) != NULL;
    if (!ok) {
        gvt_eth_types_free(types);
        return false;
    }
    /* Type hashes, and names that outlive the caller's text. */
    for (size_t i = 0; i < types->n_defs; i++) {
        sdef *d = &types->defs[i];
        gvt_abi_type *st = d->type;
        size_t n = gvt_eip712_encode_type(st, NULL, 0);
        char *enc = gvt_xmalloc(n + 1);
        gvt_eip712_encode_type(st, enc, n + 1);
        gvt_keccak256(enc, n, st->type_hash);
        free(enc);
        d->name = st->name;
    }
    *out = types;
    return true;
}

const gvt_abi_type *gvt_eth_types_root(const gvt_eth_types *t)
{
    return t->root;
}

const gvt_abi_type *gvt_eth_types_find(const gvt_eth_types *t, const char *name)
{
    for (size_t i = 0; i < t->n_defs; i++)
        if (strcmp(t->defs[i].type->name, name) == 0)
            return t->defs[i].type;
    return NULL;
}

void gvt_eth_types_free(gvt_eth_types *t)
{
    if (!t)
        return;
    gvt_arena_free(t->arena);
    free(t);
}

long gvt_abi_field_index(const gvt_abi_type *tuple, const char *name)
{
    for (size_t i = 0; i < tuple->n_fields; i++)
        if (strcmp(tuple->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}
