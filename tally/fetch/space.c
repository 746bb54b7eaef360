/*
 * space.c: every proposal of a Snapshot space as JSON Lines, one export a
 * line (docs/fetch.md), and the reading of such a file to resume it.
 *
 * The listing pages the hub's `proposals` by `created` ascending with the
 * same cursor rule as the votes (snapshot.c); then each proposal is fetched
 * and written as one line, the newline last, so that a line without its
 * newline is one an interruption cut. A resumed run leaves out the
 * proposals whose line is whole: it ends with a newline, parses as one JSON
 * document and holds as many votes as its proposal's `votes` count.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "fetch/fetch.h"

#define PAGE 1000

struct gvt_fetch_done {
    char **ids; /* sorted */
    size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool done_has(const gvt_fetch_done *d, const char *id)
{
    return d && d->n &&
           bsearch(&id, d->ids, d->n, sizeof *d->ids, cmp_str) != NULL;
}

GVT_API size_t gvt_fetch_done_count(const gvt_fetch_done *done)
{
    return done ? done->n : 0;
}

GVT_API void gvt_fetch_done_free(gvt_fetch_done *done)
{
    if (!done)
        return;
    for (size_t i = 0; i < done->n; i++)
        free(done->ids[i]);
    free(done->ids);
    free(done);
}

/* ---- checking one line of an earlier output ----------------------------- */

typedef struct line_check {
    int depth;
    int top;  /* 1: inside $.proposal, 2: inside $.votes */
    int pkey; /* 1: id, 2: votes, at depth 2 of $.proposal */
    char id[128];
    long long count; /* $.proposal.votes */
    long long votes; /* elements of $.votes */
    bool has_id, has_count;
} line_check;

static void at_value(line_check *c)
{
    if (c->depth == 2 && c->top == 2)
        c->votes++;
}

static int lc_scalar(void *ctx)
{
    at_value(ctx);
    return 1;
}

static int lc_bool(void *ctx, int b)
{
    (void)b;
    return lc_scalar(ctx);
}

static int lc_number(void *ctx, const char *s, size_t len)
{
    line_check *c = ctx;
    at_value(c);
    if (c->depth == 2 && c->top == 1 && c->pkey == 2 && len < 19) {
        c->count = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return 1;
            c->count = c->count * 10 + (s[i] - '0');
        }
        c->has_count = true;
    }
    return 1;
}

static int lc_string(void *ctx, const unsigned char *s, size_t len)
{
    line_check *c = ctx;
    at_value(c);
    if (c->depth == 2 && c->top == 1 && c->pkey == 1 && len &&
        len < sizeof c->id && !memchr(s, 0, len)) {
        memcpy(c->id, s, len);
        c->id[len] = '\0';
        c->has_id = true;
    }
    return 1;
}

static int lc_key(void *ctx, const unsigned char *k, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(k, lit, len) == 0)
    line_check *c = ctx;
    if (c->depth == 1)
        c->top = IS("proposal") ? 1 : IS("votes") ? 2 : 0;
    else if (c->depth == 2 && c->top == 1)
        c->pkey = IS("id") ? 1 : IS("votes") ? 2 : 0;
    return 1;
#undef IS
}

static int lc_open(void *ctx)
{
    line_check *c = ctx;
    at_value(c);
    c->depth++;
    return 1;
}

static int lc_close(void *ctx)
{
    line_check *c = ctx;
    c->depth--;
    return 1;
}

static const yajl_callbacks line_callbacks = {
    .yajl_null = lc_scalar,
    .yajl_boolean = lc_bool,
    .yajl_number = lc_number,
    .yajl_string = lc_string,
    .yajl_start_map = lc_open,
    .yajl_map_key = lc_key,
    .yajl_end_map = lc_close,
    .yajl_start_array = lc_open,
    .yajl_end_array = lc_close,
};

/* A whole export: one JSON document with an id and all its votes. */
static bool line_whole(const char *line, size_t len, line_check *c)
{
    memset(c, 0, sizeof *c);
    yajl_handle y = yajl_alloc(&line_callbacks, NULL, c);
    if (!y)
        abort();
    bool ok =
        yajl_parse(y, (const unsigned char *)line, len) == yajl_status_ok &&
        yajl_complete_parse(y) == yajl_status_ok;
    yajl_free(y);
    return ok && c->has_id && c->has_count && c->count == c->votes;
}

GVT_API gvt_status gvt_fetch_done_read(const char *path,
                                       gvt_fetch_done **out_done,
                                       long long *out_keep, gvt_error *err)
{
    gvt_error_clear(err);
    *out_done = NULL;
    *out_keep = 0;
    gvt_fetch_done *d = gvt_xcalloc(1, sizeof *d);
    FILE *f = fopen(path, "rb");
    if (!f) {
        *out_done = d; /* nothing done yet */
        return GVT_OK;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long long keep = 0;
    line_check c;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] != '\n' || !line_whole(line, (size_t)n, &c))
            break;
        keep += n;
        if (done_has(d, c.id))
            continue;
        if (d->n == d->cap) {
            d->cap = d->cap ? 2 * d->cap : 64;
            d->ids = gvt_xrealloc(d->ids, d->cap * sizeof *d->ids);
        }
        d->ids[d->n++] = gvt_xstrdup(c.id);
        qsort(d->ids, d->n, sizeof *d->ids, cmp_str);
    }
    bool failed = ferror(f) != 0;
    free(line);
    fclose(f);
    if (failed) {
        gvt_fetch_done_free(d);
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read");
        return GVT_ERR_NOINPUT;
    }
    *out_done = d;
    *out_keep = keep;
    return GVT_OK;
}

/* ---- the listing --------------------------------------------------------- */

typedef struct listing {
    char **ids;
    long long *created;
    size_t n, cap;
} listing;

static void listing_free(listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    free(l->ids);
    free(l->created);
}

static void listing_query(gvt_buf *b, const gvt_fetch_space *q, long long c)
{
    b->len = 0;
    gvt_buf q_text;
    gvt_buf_init(&q_text);
    gvt_buf_puts(&q_text, "query($s:String!,$c:Int!");
    if (q->until >= 0)
        gvt_buf_puts(&q_text, ",$u:Int!");
    if (q->state)
        gvt_buf_puts(&q_text, ",$st:String!");
    gvt_buf_puts(&q_text, "){proposals(first:1000,where:{space:$s,"
                          "created_gte:$c");
    if (q->until >= 0)
        gvt_buf_puts(&q_text, ",created_lt:$u");
    if (q->state)
        gvt_buf_puts(&q_text, ",state:$st");
    gvt_buf_puts(&q_text, "},orderBy:\"created\",orderDirection:asc)"
                          "{id created}}");
    gvt_buf_puts(b, "{\"query\":");
    gvt_buf_json_text(b, q_text.data, q_text.len);
    gvt_buf_puts(b, ",\"variables\":{\"s\":");
    gvt_buf_json_string(b, q->space);
    gvt_buf_printf(b, ",\"c\":%lld", c);
    if (q->until >= 0)
        gvt_buf_printf(b, ",\"u\":%lld", q->until);
    if (q->state) {
        gvt_buf_puts(b, ",\"st\":");
        gvt_buf_json_string(b, q->state);
    }
    gvt_buf_puts(b, "}}");
    gvt_buf_free(&q_text);
}

/* Adds one page's proposals; *n and *last as in snapshot.c's pages. */
static gvt_status listing_page(gvt_http *h, const char *what,
                               const gvt_jval *root, listing *l,
                               long long cursor, size_t *n, long long *last,
                               gvt_error *err)
{
    if (gvt_fetch_graphql_errors(root, h, what, err))
        return GVT_ERR_DATA;
    const gvt_jval *ps = gvt_jget(gvt_jget(root, "data"), "proposals");
    if (!ps || ps->kind != GVT_J_ARRAY || ps->count > PAGE) {
        gvt_fetch_bad_answer(err, h, what, "$.data.proposals",
                             "missing, not an array or longer than a page");
        return GVT_ERR_DATA;
    }
    long long prev = cursor;
    size_t i = 0;
    for (const gvt_jval *p = ps->first; p; p = p->next, i++) {
        const gvt_jval *id = gvt_jget(p, "id");
        long long created;
        char path[64];
        snprintf(path, sizeof path, "$.data.proposals[%zu]", i);
        if (!id || id->kind != GVT_J_STRING || id->len == 0 ||
            strlen(id->text) != id->len ||
            !gvt_jint(gvt_jget(p, "created"), &created) || created < prev) {
            gvt_fetch_bad_answer(err, h, what, path,
                                 "no id, no created, or out of order");
            return GVT_ERR_DATA;
        }
        prev = created;
        /* Proposals of this second already listed are passed over. */
        bool known = false;
        for (size_t k = l->n; k-- > 0 && l->created[k] == created && !known;)
            known = strcmp(l->ids[k], id->text) == 0;
        if (known)
            continue;
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 64;
            l->ids = gvt_xrealloc(l->ids, l->cap * sizeof *l->ids);
            l->created = gvt_xrealloc(l->created, l->cap * sizeof *l->created);
        }
        l->created[l->n] = created;
        l->ids[l->n++] = gvt_xstrdup(id->text);
    }
    *n = ps->count;
    *last = prev;
    return GVT_OK;
}

static gvt_status list_space(gvt_http *h, const gvt_fetch_space *q, listing *l,
                             gvt_error *err)
{
    gvt_buf body;
    gvt_buf_init(&body);
    long long cursor = q->since >= 0 ? q->since : 0;
    gvt_status st = GVT_OK;
    for (unsigned long page = 1;; page++) {
        char what[160];
        snprintf(what, sizeof what,
                 "proposals of %s page %lu (created >= %lld)", q->space, page,
                 cursor);
        listing_query(&body, q, cursor);
        gvt_jdoc *doc = NULL;
        st = gvt_http_post(h, body.data, body.len, what, &doc, err);
        size_t n = 0;
        long long last = cursor;
        if (st == GVT_OK)
            st = listing_page(h, what, gvt_jdoc_root(doc), l, cursor, &n, &last,
                              err);
        gvt_jdoc_free(doc);
        if (st != GVT_OK || n < PAGE)
            break;
        if (last == cursor) {
            gvt_fetch_bad_answer(err, h, what, NULL,
                                 "a whole page of proposals created at %lld",
                                 cursor);
            st = GVT_ERR_DATA;
            break;
        }
        cursor = last;
    }
    gvt_buf_free(&body);
    return st;
}

GVT_API gvt_status gvt_fetch_snapshot_space(const gvt_fetch_options *opt,
                                            const gvt_fetch_space *query,
                                            FILE *out, size_t *out_written,
                                            gvt_error *err)
{
    gvt_error_clear(err);
    if (out_written)
        *out_written = 0;
    if (!query || !query->space || !*query->space) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL, "no space");
        return GVT_ERR_USAGE;
    }
    gvt_http *h = gvt_http_new(opt, GVT_FETCH_DEFAULT_HUB, err);
    if (!h)
        return GVT_ERR_INTERNAL;
    listing l = {0};
    gvt_status st = list_space(h, query, &l, err);
    size_t todo = 0;
    for (size_t i = 0; st == GVT_OK && i < l.n; i++)
        todo += !done_has(query->done, l.ids[i]);
    /* Per proposal, votes progress goes to the caller's callback too. */
    size_t done = 0;
    for (size_t i = 0; st == GVT_OK && i < l.n; i++) {
        if (done_has(query->done, l.ids[i]))
            continue;
        if (opt && opt->progress)
            opt->progress(opt->progress_ctx, "proposals", done, todo);
        st = gvt_fetch_one(h, opt, l.ids[i], out, err);
        if (st == GVT_OK && (fputc('\n', out) == EOF || fflush(out) != 0)) {
            gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                          "cannot write the export");
            st = GVT_ERR_CANTCREAT;
        }
        if (st == GVT_OK && out_written)
            (*out_written)++;
        done++;
    }
    if (st == GVT_OK && opt && opt->progress)
        opt->progress(opt->progress_ctx, "proposals", done, todo);
    listing_free(&l);
    gvt_http_free(h);
    return st;
}
