/*
 * json.c: a small JSON document model for servers' answers (the hub's
 * GraphQL pages, an Ethereum node's JSON-RPC results). YAJL's event parser
 * reads the text; numbers keep the exact text the server sent (its
 * yajl_number callback), so that an export is written back without a float
 * round trip, and strings keep their length (a \u0000 inside survives).
 * Bounds before any work: depth 64, one string or number 1 MiB.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "fetch/fetch.h"

#define MAX_DEPTH 64
#define MAX_TOKEN ((size_t)1 << 20)
#define BLOCK ((size_t)64 << 10)

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct gvt_jdoc {
    block *blocks;
    gvt_jval *root;
    /* parsing state */
    gvt_jval *stack[MAX_DEPTH + 1];
    int depth;
    const char *key;
    size_t key_len;
    const char *why;
};

static void *doc_alloc(gvt_jdoc *d, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    block *b = d->blocks;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > BLOCK ? size : BLOCK;
        b = gvt_xmalloc(sizeof *b + cap);
        b->next = d->blocks;
        b->used = 0;
        b->cap = cap;
        d->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

static char *doc_strndup(gvt_jdoc *d, const unsigned char *s, size_t len)
{
    char *p = doc_alloc(d, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Attaches a new value of this kind to the open container (or as root). */
static gvt_jval *add(gvt_jdoc *d, gvt_jkind kind)
{
    gvt_jval *v = doc_alloc(d, sizeof *v);
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->text = "";
    if (d->depth == 0) {
        d->root = v;
        return v;
    }
    gvt_jval *parent = d->stack[d->depth - 1];
    if (parent->kind == GVT_J_OBJECT) {
        v->key = d->key;
        v->key_len = d->key_len;
    }
    if (parent->last)
        parent->last->next = v;
    else
        parent->first = v;
    parent->last = v;
    parent->count++;
    return v;
}

static int scalar(void *ctx, gvt_jkind kind, const unsigned char *s, size_t len)
{
    gvt_jdoc *d = ctx;
    if (len > MAX_TOKEN) {
        d->why = kind == GVT_J_STRING ? "string longer than 1 MiB"
                                      : "number longer than 1 MiB";
        return 0;
    }
    gvt_jval *v = add(d, kind);
    if (s) {
        v->text = doc_strndup(d, s, len);
        v->len = len;
    }
    return 1;
}

static int cb_null(void *ctx)
{
    return scalar(ctx, GVT_J_NULL, NULL, 0);
}

static int cb_bool(void *ctx, int b)
{
    gvt_jdoc *d = ctx;
    if (!scalar(ctx, GVT_J_BOOL, NULL, 0))
        return 0;
    gvt_jval *v = d->depth ? d->stack[d->depth - 1]->last : d->root;
    v->boolean = b != 0;
    return 1;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    return scalar(ctx, GVT_J_NUMBER, (const unsigned char *)s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return scalar(ctx, GVT_J_STRING, s, len);
}

static int open_container(void *ctx, gvt_jkind kind)
{
    gvt_jdoc *d = ctx;
    if (d->depth >= MAX_DEPTH) {
        d->why = "nesting deeper than 64";
        return 0;
    }
    d->stack[d->depth] = add(d, kind);
    d->depth++;
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, GVT_J_OBJECT);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, GVT_J_ARRAY);
}

static int cb_end(void *ctx)
{
    gvt_jdoc *d = ctx;
    d->depth--;
    return 1;
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
    gvt_jdoc *d = ctx;
    if (len > MAX_TOKEN) {
        d->why = "member name longer than 1 MiB";
        return 0;
    }
    d->key = doc_strndup(d, s, len);
    d->key_len = len;
    return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

gvt_jdoc *gvt_jdoc_parse(const char *text, size_t len, char *why,
                         size_t why_size, long long *at)
{
    gvt_jdoc *d = gvt_xcalloc(1, sizeof *d);
    yajl_handle y = yajl_alloc(&callbacks, NULL, d);
    if (!y)
        abort();
    yajl_status st = yajl_parse(y, (const unsigned char *)text, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(y);
    if (st == yajl_status_ok && d->root) {
        yajl_free(y);
        return d;
    }
    *at = (long long)yajl_get_bytes_consumed(y);
    if (d->why) {
        snprintf(why, why_size, "%s", d->why);
    } else if (!d->root) {
        snprintf(why, why_size, "empty answer");
    } else {
        unsigned char *msg = yajl_get_error(y, 0, NULL, 0);
        snprintf(why, why_size, "%s", msg ? (const char *)msg : "bad JSON");
        /* YAJL's message may end with a newline. */
        size_t n = strlen(why);
        while (n && (why[n - 1] == '\n' || why[n - 1] == ' '))
            why[--n] = '\0';
        yajl_free_error(y, msg);
    }
    if (st == yajl_status_ok || *at > (long long)len)
        *at = (long long)len;
    yajl_free(y);
    gvt_jdoc_free(d);
    return NULL;
}

const gvt_jval *gvt_jdoc_root(const gvt_jdoc *d)
{
    return d->root;
}

void gvt_jdoc_free(gvt_jdoc *d)
{
    if (!d)
        return;
    for (block *b = d->blocks, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(d);
}

const gvt_jval *gvt_jget(const gvt_jval *v, const char *key)
{
    if (!v || v->kind != GVT_J_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (const gvt_jval *c = v->first; c; c = c->next)
        if (c->key_len == n && memcmp(c->key, key, n) == 0)
            return c;
    return NULL;
}

void gvt_jwrite(gvt_buf *b, const gvt_jval *v)
{
    switch (v->kind) {
    case GVT_J_NULL:
        gvt_buf_add(b, "null", 4);
        return;
    case GVT_J_BOOL:
        gvt_buf_puts(b, v->boolean ? "true" : "false");
        return;
    case GVT_J_NUMBER:
        gvt_buf_add(b, v->text, v->len);
        return;
    case GVT_J_STRING:
        gvt_buf_json_text(b, v->text, v->len);
        return;
    case GVT_J_ARRAY:
    case GVT_J_OBJECT: {
        bool obj = v->kind == GVT_J_OBJECT;
        gvt_buf_putc(b, obj ? '{' : '[');
        for (const gvt_jval *c = v->first; c; c = c->next) {
            if (c != v->first)
                gvt_buf_putc(b, ',');
            if (obj) {
                gvt_buf_json_text(b, c->key, c->key_len);
                gvt_buf_putc(b, ':');
            }
            gvt_jwrite(b, c);
        }
        gvt_buf_putc(b, obj ? '}' : ']');
        return;
    }
    }
}

bool gvt_jint(const gvt_jval *v, long long *out)
{
    if (!v || v->kind != GVT_J_NUMBER || v->len == 0 || v->len > 18)
        return false;
    long long x = 0;
    for (size_t i = 0; i < v->len; i++) {
        if (v->text[i] < '0' || v->text[i] > '9')
            return false;
        x = x * 10 + (v->text[i] - '0');
    }
    if (v->len > 1 && v->text[0] == '0')
        return false;
    *out = x;
    return true;
}

const char *gvt_jkind_name(gvt_jkind k)
{
    static const char *const names[] = {"null",   "boolean", "number",
                                        "string", "array",   "object"};
    return names[k];
}

/* x / 10^decimals exactly, as a decimal without trailing zeros. */
void gvt_fetch_put_scaled(gvt_buf *b, const mpz_t x, int decimals)
{
    char *digits = mpz_get_str(NULL, 10, x);
    size_t n = strlen(digits);
    size_t d = (size_t)decimals;
    if (d == 0) {
        gvt_buf_puts(b, digits);
    } else {
        if (n <= d) {
            gvt_buf_puts(b, "0.");
            for (size_t k = n; k < d; k++)
                gvt_buf_putc(b, '0');
            gvt_buf_puts(b, digits);
        } else {
            gvt_buf_add(b, digits, n - d);
            gvt_buf_putc(b, '.');
            gvt_buf_puts(b, digits + n - d);
        }
        while (b->data[b->len - 1] == '0')
            b->data[--b->len] = '\0';
        if (b->data[b->len - 1] == '.')
            b->data[--b->len] = '\0';
    }
    free(digits);
}
