/*
 * pool.c: the one allocator of this room (a bump allocator per set of types
 * or decoded value, freed at once) and the filler of gvt_eth_error.
 *
 * crypto/eth depends on the C library, GMP, Nettle and libsecp256k1 only, so
 * it keeps its own small pool instead of the engine's arena. Exhausting
 * memory aborts with a message, as the engine's wrappers do: no caller
 * threads an out-of-memory status through the decoder.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth.h"

#define POOL_BLOCK ((size_t)16 << 10)

typedef struct pool_block {
    struct pool_block *next;
    size_t used, size;
    max_align_t data[];
} pool_block;

struct gvt_eth_pool {
    pool_block *head;
};

static void *must(void *p, size_t size)
{
    if (!p) {
        fprintf(stderr, "govtally: out of memory (asked for %zu bytes)\n",
                size);
        abort();
    }
    return p;
}

gvt_eth_pool *gvt_eth_pool_new(void)
{
    return must(calloc(1, sizeof(gvt_eth_pool)), sizeof(gvt_eth_pool));
}

void *gvt_eth_pool_alloc(gvt_eth_pool *p, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX / 2)
        must(NULL, size);
    size = (size + align - 1) / align * align;
    pool_block *b = p->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > POOL_BLOCK ? size : POOL_BLOCK;
        b = must(malloc(sizeof(pool_block) + cap), cap);
        b->used = 0;
        b->size = cap;
        b->next = p->head;
        p->head = b;
    }
    void *out = (char *)b->data + b->used;
    b->used += size;
    memset(out, 0, size);
    return out;
}

char *gvt_eth_pool_strndup(gvt_eth_pool *p, const char *s, size_t n)
{
    char *d = gvt_eth_pool_alloc(p, n + 1);
    memcpy(d, s, n);
    return d;
}

void gvt_eth_pool_free(gvt_eth_pool *p)
{
    if (!p)
        return;
    for (pool_block *b = p->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p);
}

bool gvt_eth_fail(gvt_eth_error *err, const char *field, size_t offset,
                  const char *fmt, ...)
{
    if (!err)
        return false;
    size_t used = 0;
    err->field[0] = '\0';
    if (field && field[0]) {
        snprintf(err->field, sizeof err->field, "%s", field);
        int n =
            snprintf(err->message, sizeof err->message, "field '%s': ", field);
        used = n < 0 ? 0 : (size_t)n;
        if (used >= sizeof err->message)
            used = sizeof err->message - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + used, sizeof err->message - used, fmt, ap);
    va_end(ap);
    err->offset = offset;
    return false;
}
