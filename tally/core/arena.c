/*
 * arena.c: one bump allocator per loaded document, the allocation wrappers
 * that never return NULL, and the out-of-memory handler they call.
 *
 * A document's strings (addresses, ids, labels) and decoded choices live in
 * its arena and die with it in one gvt_arena_free. Exhausting memory is not a
 * recoverable input error here: GMP, which does every exact sum, cannot
 * report a failed allocation to its caller, so no status could come back
 * from most places anyway. The wrappers call the handler (govtally.h,
 * gvt_set_out_of_memory), which does not return; the default one prints a
 * message and ends the process with status 70, never abort(). Inputs are
 * bounded (limits.h) so that a well-formed input within the limits fits.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

/* Blocks start at 4 KiB and double up to 32 MiB: a small document (most
 * of a history's) takes one block, which malloc recycles cheaply (freeing
 * 64 KiB or more makes it consolidate its bins); a large one lives in few
 * blocks. */
#define ARENA_BLOCK ((size_t)4 << 10)
#define ARENA_MAX ((size_t)32 << 20)

typedef struct block {
    struct block *next;
    size_t used;
    size_t size;
    max_align_t data[];
} block;

struct gvt_arena {
    block *head;
};

/* The default handler: one write(2) of the message (no stdio, which may
 * itself need memory), then _exit: no buffered partial output is flushed
 * and no other thread's atexit work runs. */
static void default_out_of_memory(size_t size)
{
    char msg[96];
    int n = snprintf(msg, sizeof msg,
                     "govtally: out of memory (asked for %zu bytes)\n", size);
    if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
        n = 0;
    _exit(GVT_ERR_INTERNAL);
}

static _Atomic(gvt_out_of_memory_fn) handler = default_out_of_memory;

void gvt_out_of_memory(size_t size)
{
    gvt_out_of_memory_fn fn = atomic_load(&handler);
    fn(size);
    default_out_of_memory(size); /* a handler that returned */
}

static void out_of_memory(size_t size)
{
    gvt_out_of_memory(size);
}

/*
 * GMP's allocations through the wrappers: GMP would print its own message
 * and abort() on failure.
 *
 * Small limb blocks are kept for reuse by the threads that ask for it
 * (gvt_gmp_cache_use: replay's, for its small proposals): a tally makes and
 * drops a hundred small integers per proposal (sums, scores, temporaries),
 * and malloc's bins, which keep only a few blocks of a size close at hand,
 * spent a fifth of a small proposal's time on them. GMP hands back the size
 * it asked for, so a block freed with size s is at least s bytes and serves
 * the next request of exactly s. At most GMP_KEEP blocks of each size (8 to
 * 128 bytes) wait per thread, freed when the thread ends or stops asking.
 * Not under AddressSanitizer, which should see every use after free.
 */
#if defined(__SANITIZE_ADDRESS__)
#define GMP_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GMP_CACHE 0
#endif
#endif
#ifndef GMP_CACHE
#define GMP_CACHE 1
#endif
#define GMP_CLASSES 16 /* 8, 16, ..., 128 bytes */
#define GMP_KEEP 256

typedef struct gmp_cache {
    void *head[GMP_CLASSES]; /* each free block holds the next's address */
    unsigned n[GMP_CLASSES];
} gmp_cache;

static _Thread_local gmp_cache *cache;
static _Thread_local bool cache_on;
static pthread_key_t cache_key;
static bool cache_key_ok;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_empty(gmp_cache *c)
{
    for (size_t k = 0; k < GMP_CLASSES; k++) {
        while (c->head[k]) {
            void *next;
            memcpy(&next, c->head[k], sizeof next);
            free(c->head[k]);
            c->head[k] = next;
        }
        c->n[k] = 0;
    }
}

static void cache_drop(void *arg)
{
    cache_empty(arg);
    free(arg);
}

void gvt_gmp_cache_use(bool on)
{
    cache_on = on && GMP_CACHE;
    if (!cache_on && cache)
        cache_empty(cache);
}

static void cache_key_make(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_drop) == 0;
}

/* The calling thread's cache (made on first use), or NULL. */
static gmp_cache *cache_get(void)
{
    if (!cache_on)
        return NULL;
    if (!cache) {
        pthread_once(&cache_once, cache_key_make);
        if (!cache_key_ok)
            return NULL; /* no destructor: nothing kept */
        gmp_cache *c = calloc(1, sizeof *c);
        if (!c || pthread_setspecific(cache_key, c) != 0) {
            free(c);
            return NULL;
        }
        cache = c;
    }
    return cache;
}

/* The class of a size, or -1 for sizes not kept. */
static int size_class(size_t size)
{
    return size && size % 8 == 0 && size <= 8 * GMP_CLASSES
               ? (int)(size / 8 - 1)
               : -1;
}

static void *gmp_alloc(size_t size)
{
    int k = size_class(size);
    gmp_cache *c = k >= 0 ? cache_get() : NULL;
    if (c && c->head[k]) {
        void *p = c->head[k];
        memcpy(&c->head[k], p, sizeof p);
        c->n[k]--;
        return p;
    }
    return gvt_xmalloc(size);
}

static void gmp_free(void *p, size_t size)
{
    int k = size_class(size);
    gmp_cache *c = k >= 0 ? cache_get() : NULL;
    if (c && c->n[k] < GMP_KEEP) {
        memcpy(p, &c->head[k], sizeof p);
        c->head[k] = p;
        c->n[k]++;
        return;
    }
    free(p);
}

static void *gmp_realloc(void *p, size_t old, size_t size)
{
    if (size_class(old) < 0 && size_class(size) < 0)
        return gvt_xrealloc(p, size);
    void *q = gmp_alloc(size);
    memcpy(q, p, old < size ? old : size);
    gmp_free(p, old);
    return q;
}

GVT_API void gvt_set_out_of_memory(gvt_out_of_memory_fn fn)
{
    atomic_store(&handler, fn ? fn : default_out_of_memory);
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

/* YAJL's allocations through the wrappers too (its own would return NULL
 * into code that does not check). */
static void *yajl_malloc_cb(void *ctx, size_t size)
{
    (void)ctx;
    return gvt_xmalloc(size);
}

static void *yajl_realloc_cb(void *ctx, void *p, size_t size)
{
    (void)ctx;
    return gvt_xrealloc(p, size);
}

static void yajl_free_cb(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

yajl_alloc_funcs *gvt_yajl_alloc_funcs(void)
{
    static yajl_alloc_funcs funcs = {yajl_malloc_cb, yajl_realloc_cb,
                                     yajl_free_cb, NULL};
    return &funcs;
}

void *gvt_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

/*
 * Large blocks are zeroed here, in order: calloc would hand out fresh pages
 * that the first random accesses of a hash table then fault in one by one,
 * which costs several times more (measured: the duplicate search of a
 * million ballots ran 2.5x slower).
 */
#define CALLOC_ORDERED ((size_t)256 << 10)

void *gvt_xcalloc(size_t n, size_t size)
{
    if (n && size && n <= SIZE_MAX / size && n * size >= CALLOC_ORDERED) {
        void *p = gvt_xmalloc(n * size);
        memset(p, 0, n * size);
        return p;
    }
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *gvt_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *gvt_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = gvt_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

gvt_arena *gvt_arena_new(void)
{
    return gvt_xcalloc(1, sizeof(gvt_arena));
}

/* size bytes at an offset that is a multiple of align (a power of two no
 * greater than max_align_t's) in the head block, or in a new one. */
static void *arena_take(gvt_arena *a, size_t size, size_t align)
{
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    block *b = a->head;
    size_t at = b ? (b->used + align - 1) / align * align : 0;
    if (!b || at > b->size || b->size - at < size) {
        size_t cap = ARENA_BLOCK;
        if (b && b->size < ARENA_MAX)
            cap = 2 * b->size < ARENA_MAX ? 2 * b->size : ARENA_MAX;
        else if (b)
            cap = ARENA_MAX;
        if (cap < size)
            cap = size;
        b = gvt_xmalloc(sizeof(block) + cap);
        b->used = 0;
        b->size = cap;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    void *p = (char *)b->data + at;
    b->used = at + size;
    return p;
}

void *gvt_arena_alloc(gvt_arena *a, size_t size)
{
    return arena_take(a, size, sizeof(max_align_t));
}

void *gvt_arena_alloc8(gvt_arena *a, size_t size)
{
    return arena_take(a, size, 8);
}

void *gvt_arena_calloc(gvt_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory(SIZE_MAX);
    void *p = gvt_arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *gvt_arena_strndup(gvt_arena *a, const char *s, size_t n)
{
    char *d = gvt_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *gvt_arena_strdup(gvt_arena *a, const char *s)
{
    return gvt_arena_strndup(a, s, strlen(s));
}

void gvt_arena_free(gvt_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void gvt_arena_merge(gvt_arena *dst, gvt_arena *src)
{
    block *b = src->head;
    if (!b)
        return;
    while (b->next)
        b = b->next;
    /* src's blocks go behind dst's head, which keeps filling. */
    if (dst->head) {
        b->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    src->head = NULL;
}
