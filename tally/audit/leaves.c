/*
 * leaves.c: a JSON document as a stream of leaves (audit.h), read from a
 * file 64 KiB at a time with YAJL's event parser. A leaf is every value
 * that is not a non-empty container, with the path that leads to it, so
 * that two documents of the same shape give the same paths in the same
 * order: verify compares a result with its recomputation leaf by leaf and
 * names the first paths that differ, holding a chunk's leaves at a time
 * whatever the size of a replay summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "audit/audit.h"

#define LEAVES_CHUNK (64u << 10)
#define LEAVES_DEPTH 64

typedef struct frame {
    size_t base; /* length of the container's own path */
    bool array, empty;
    size_t index; /* the next element's */
} frame;

struct gvt_leaves {
    FILE *f;
    const char *name;
    yajl_handle h;
    gvt_canon *sink;
    gvt_buf path;
    frame st[LEAVES_DEPTH];
    int depth;
    gvt_leaf *q; /* leaves parsed, not yet handed out: q[head..n) */
    size_t head, n, cap;
    gvt_leaf cur; /* the leaf handed out last */
    bool done;
    char err[200];
    unsigned char *chunk;
};

static void leaf_clear(gvt_leaf *l)
{
    free(l->path);
    free(l->text);
    memset(l, 0, sizeof *l);
}

/* The path of the value about to be read: an element's index appended. */
static void enter(gvt_leaves *l)
{
    if (l->depth == 0)
        return;
    frame *f = &l->st[l->depth - 1];
    f->empty = false;
    if (f->array) {
        l->path.len = f->base;
        gvt_buf_printf(&l->path, "[%zu]", f->index++);
    }
}

static void push(gvt_leaves *l, int type, const char *text, size_t len)
{
    if (l->n == l->cap) {
        if (l->head > 0) { /* slide the unread ones down */
            memmove(l->q, l->q + l->head, (l->n - l->head) * sizeof *l->q);
            l->n -= l->head;
            l->head = 0;
        }
        if (l->n == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 256;
            l->q = gvt_xrealloc(l->q, l->cap * sizeof *l->q);
        }
    }
    gvt_leaf *lf = &l->q[l->n++];
    lf->path = gvt_xstrdup(l->path.data ? l->path.data : "");
    lf->type = type;
    lf->text = gvt_xmalloc(len + 1);
    memcpy(lf->text, text, len);
    lf->text[len] = '\0';
    lf->len = len;
}

static int scalar(void *ctx, int type, const char *text, size_t len)
{
    gvt_leaves *l = ctx;
    enter(l);
    push(l, type, text, len);
    return 1;
}

static int on_null(void *ctx)
{
    return scalar(ctx, LEAF_NULL, "", 0);
}

static int on_bool(void *ctx, int v)
{
    return scalar(ctx, v ? LEAF_TRUE : LEAF_FALSE, "", 0);
}

static int on_number(void *ctx, const char *s, size_t n)
{
    return scalar(ctx, LEAF_NUMBER, s, n);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
    return scalar(ctx, LEAF_STRING, (const char *)s, n);
}

static int open_c(void *ctx, bool array)
{
    gvt_leaves *l = ctx;
    enter(l);
    if (l->depth == LEAVES_DEPTH) {
        snprintf(l->err, sizeof l->err, "%s: nested deeper than %d", l->name,
                 LEAVES_DEPTH);
        return 0;
    }
    frame *f = &l->st[l->depth++];
    f->base = l->path.len;
    f->array = array;
    f->empty = true;
    f->index = 0;
    return 1;
}

static int close_c(void *ctx)
{
    gvt_leaves *l = ctx;
    frame *f = &l->st[--l->depth];
    l->path.len = f->base;
    if (l->path.data)
        l->path.data[l->path.len] = '\0';
    if (f->empty)
        push(l, f->array ? LEAF_EMPTY_ARRAY : LEAF_EMPTY_OBJECT, "", 0);
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_c(ctx, false);
}

static int on_start_array(void *ctx)
{
    return open_c(ctx, true);
}

static int on_key(void *ctx, const unsigned char *s, size_t n)
{
    gvt_leaves *l = ctx;
    frame *f = &l->st[l->depth - 1];
    l->path.len = f->base;
    if (f->base)
        gvt_buf_putc(&l->path, '.');
    gvt_buf_add(&l->path, s, n);
    return 1;
}

static const yajl_callbacks callbacks = {
    on_null,      on_bool, NULL,    NULL,           on_number, on_string,
    on_start_map, on_key,  close_c, on_start_array, close_c,
};

gvt_leaves *gvt_leaves_new(FILE *f, const char *name)
{
    gvt_leaves *l = gvt_xcalloc(1, sizeof *l);
    l->f = f;
    l->name = name;
    gvt_buf_init(&l->path);
    gvt_buf_reserve(&l->path, 64);
    l->h = yajl_alloc(&callbacks, gvt_yajl_alloc_funcs(), l);
    l->chunk = gvt_xmalloc(LEAVES_CHUNK);
    return l;
}

void gvt_leaves_sink(gvt_leaves *l, gvt_canon *sink)
{
    l->sink = sink;
}

/* YAJL's complaint, with the document's name. */
static void refused(gvt_leaves *l, const unsigned char *d, size_t n)
{
    if (l->err[0])
        return;
    unsigned char *m = yajl_get_error(l->h, 0, d, n);
    snprintf(l->err, sizeof l->err, "%s: not a JSON document: %s", l->name,
             m ? (const char *)m : "?");
    yajl_free_error(l->h, m);
    size_t k = strlen(l->err);
    while (k && (l->err[k - 1] == '\n' || l->err[k - 1] == ' '))
        l->err[--k] = '\0';
}

/* Parses the next chunk; false at the end or on an error. */
static bool more(gvt_leaves *l)
{
    if (l->done)
        return false;
    size_t got = fread(l->chunk, 1, LEAVES_CHUNK, l->f);
    if (got == 0) {
        l->done = true;
        if (ferror(l->f))
            snprintf(l->err, sizeof l->err, "%s: cannot read", l->name);
        else if (yajl_complete_parse(l->h) != yajl_status_ok)
            refused(l, NULL, 0);
        return true; /* the last leaves may come from the end */
    }
    if (l->sink)
        gvt_canon_feed(l->sink, l->chunk, got);
    if (yajl_parse(l->h, l->chunk, got) != yajl_status_ok) {
        refused(l, l->chunk, got);
        l->done = true;
    }
    return true;
}

const gvt_leaf *gvt_leaves_next(gvt_leaves *l)
{
    leaf_clear(&l->cur);
    while (l->head == l->n)
        if (l->err[0] || !more(l))
            return NULL;
    l->cur = l->q[l->head++];
    return &l->cur;
}

const char *gvt_leaves_error(const gvt_leaves *l)
{
    return l->err;
}

void gvt_leaves_free(gvt_leaves *l)
{
    if (!l)
        return;
    leaf_clear(&l->cur);
    for (size_t i = l->head; i < l->n; i++)
        leaf_clear(&l->q[i]);
    free(l->q);
    yajl_free(l->h);
    gvt_buf_free(&l->path);
    free(l->chunk);
    free(l);
}

void gvt_leaf_show(gvt_buf *b, const gvt_leaf *leaf)
{
    static const char *const fixed[] = {NULL,   NULL, "true", "false",
                                        "null", "[]", "{}"};
    if (leaf->type != LEAF_STRING && leaf->type != LEAF_NUMBER) {
        gvt_buf_puts(b, fixed[leaf->type]);
        return;
    }
    gvt_buf text;
    gvt_buf_init(&text);
    if (leaf->type == LEAF_STRING)
        gvt_buf_putc(&text, '"');
    gvt_buf_safe(&text, leaf->text, leaf->len);
    if (leaf->type == LEAF_STRING)
        gvt_buf_putc(&text, '"');
    if (text.len > 80) {
        gvt_buf_add(b, text.data, 77);
        gvt_buf_puts(b, "...");
    } else {
        gvt_buf_add(b, text.data, text.len);
    }
    gvt_buf_free(&text);
}
