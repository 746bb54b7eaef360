/*
 * snapshot.c: one proposal from the Snapshot hub's GraphQL API, written as
 * an export in the hub's shape (docs/fetch.md).
 *
 * The pagination rule. The hub caps `first` at 1,000 and `skip` at 5,000
 * (snapshot-hub src/graphql/helpers.ts, ARG_LIMITS), so `skip` alone reaches
 * 6,000 votes. Votes are paged instead with a cursor on `created`, ascending
 * (the hub sorts by created, then id): each page asks for `created >=` the
 * last page's greatest `created`, and the votes of that second already
 * written (their ids are remembered) are passed over. Every vote of a second
 * earlier than the cursor is then written exactly once, whatever the order of
 * the votes that share a second. When a whole page shares the cursor's
 * second, the cursor cannot move: that second is read on its own with `skip`
 * (`created` = that second, skip 1,000, 2,000, ... up to the cap), then the
 * cursor moves past it. At the end the number of votes written must equal
 * the proposal's `votes` count.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

#define PAGE 1000
#define MAX_SKIP 5000

static const char proposal_query[] =
    "query($id:String!){proposal(id:$id){id title type choices start end "
    "snapshot state quorum quorumType privacy scores scores_total "
    "scores_state space{id name} strategies{name network params} votes}}";

#define VOTE_FIELDS                                                            \
    "{id voter created choice vp vp_by_strategy vp_state reason}"

static const char votes_after_query[] =
    "query($id:String!,$c:Int!){votes(first:1000,where:{proposal:$id,"
    "created_gte:$c},orderBy:\"created\",orderDirection:asc)" VOTE_FIELDS "}";

static const char votes_at_query[] =
    "query($id:String!,$c:Int!,$s:Int!){votes(first:1000,skip:$s,where:{"
    "proposal:$id,created:$c},orderBy:\"created\",orderDirection:"
    "asc)" VOTE_FIELDS "}";

void gvt_fetch_bad_answer(gvt_error *err, const gvt_http *h, const char *what,
                          const char *path, const char *fmt, ...)
{
    if (!err)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(h), "%s: bad answer: %s",
                  what, msg);
    if (path)
        snprintf(err->path, sizeof err->path, "%s", path);
}

bool gvt_fetch_graphql_errors(const gvt_jval *root, const gvt_http *h,
                              const char *what, gvt_error *err)
{
    const gvt_jval *errors = gvt_jget(root, "errors");
    if (!errors || errors->kind == GVT_J_NULL)
        return false;
    const gvt_jval *first = errors->kind == GVT_J_ARRAY ? errors->first : NULL;
    const gvt_jval *msg = gvt_jget(first, "message");
    gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(h),
                  "%s: the hub answered an error: %.*s", what,
                  msg && msg->kind == GVT_J_STRING
                      ? (int)(msg->len > 160 ? 160 : msg->len)
                      : 7,
                  msg && msg->kind == GVT_J_STRING ? msg->text : "unknown");
    if (err)
        snprintf(err->path, sizeof err->path, "$.errors");
    return true;
}

/* ---- the vote pages ------------------------------------------------------ */

typedef struct fetch {
    gvt_http *h;
    const gvt_fetch_options *opt;
    const char *id;
    FILE *out;
    gvt_buf body, page_out;
    unsigned long page;
    unsigned long long written, total;
    long long cursor;
    bool at; /* reading the cursor's second alone (skip) */
    /* ids written whose created is seen_created (the cursor's second) */
    long long seen_created;
    char **seen;
    size_t n_seen, cap_seen;
    char what[160];
} fetch;

static void seen_clear(fetch *f, long long created)
{
    for (size_t i = 0; i < f->n_seen; i++)
        free(f->seen[i]);
    f->n_seen = 0;
    f->seen_created = created;
}

static bool seen_has(const fetch *f, const char *id)
{
    for (size_t i = f->n_seen; i-- > 0;)
        if (strcmp(f->seen[i], id) == 0)
            return true;
    return false;
}

static void seen_add(fetch *f, const char *id)
{
    if (f->n_seen == f->cap_seen) {
        f->cap_seen = f->cap_seen ? 2 * f->cap_seen : 256;
        f->seen = gvt_xrealloc(f->seen, f->cap_seen * sizeof *f->seen);
    }
    f->seen[f->n_seen++] = gvt_xstrdup(id);
}

static void body_start(gvt_buf *b, const char *query, const char *id)
{
    b->len = 0;
    gvt_buf_puts(b, "{\"query\":");
    gvt_buf_json_string(b, query);
    gvt_buf_puts(b, ",\"variables\":{\"id\":");
    gvt_buf_json_string(b, id);
}

static gvt_status write_out(fetch *f, const char *s, size_t len, gvt_error *err)
{
    if (len && fwrite(s, 1, len, f->out) != len) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL, "cannot write the export");
        return GVT_ERR_CANTCREAT;
    }
    return GVT_OK;
}

/* Checks one vote of a page; fills *created. */
static bool vote_ok(fetch *f, const gvt_jval *v, size_t i, long long *created,
                    gvt_error *err)
{
    char path[96];
    snprintf(path, sizeof path, "$.data.votes[%zu]", i);
    if (v->kind != GVT_J_OBJECT) {
        gvt_fetch_bad_answer(err, f->h, f->what, path, "a vote is a %s",
                             gvt_jkind_name(v->kind));
        return false;
    }
    static const struct {
        const char *key;
        unsigned kinds; /* bit set of gvt_jkind */
    } fields[] = {
        {"id", 1u << GVT_J_STRING},
        {"voter", 1u << GVT_J_STRING},
        {"created", 1u << GVT_J_NUMBER},
        {"choice", ~0u},
        {"vp", 1u << GVT_J_NUMBER},
        {"vp_by_strategy", 1u << GVT_J_ARRAY},
        {"reason", 1u << GVT_J_STRING | 1u << GVT_J_NULL},
    };
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        const gvt_jval *m = gvt_jget(v, fields[k].key);
        snprintf(path, sizeof path, "$.data.votes[%zu].%s", i, fields[k].key);
        if (!m) {
            gvt_fetch_bad_answer(err, f->h, f->what, path, "missing");
            return false;
        }
        if (!(fields[k].kinds >> m->kind & 1)) {
            gvt_fetch_bad_answer(err, f->h, f->what, path, "a %s",
                                 gvt_jkind_name(m->kind));
            return false;
        }
    }
    const gvt_jval *id = gvt_jget(v, "id");
    if (id->len == 0 || strlen(id->text) != id->len) {
        snprintf(path, sizeof path, "$.data.votes[%zu].id", i);
        gvt_fetch_bad_answer(err, f->h, f->what, path, "an empty id");
        return false;
    }
    if (!gvt_jint(gvt_jget(v, "created"), created)) {
        snprintf(path, sizeof path, "$.data.votes[%zu].created", i);
        gvt_fetch_bad_answer(err, f->h, f->what, path,
                             "not a whole number of seconds");
        return false;
    }
    return true;
}

/*
 * One page: checks every vote, writes those not yet written, and says how
 * many the page held and the created of its last vote.
 */
static gvt_status take_page(fetch *f, const gvt_jval *root, size_t *out_n,
                            long long *out_last, gvt_error *err)
{
    if (gvt_fetch_graphql_errors(root, f->h, f->what, err))
        return GVT_ERR_DATA;
    const gvt_jval *votes = gvt_jget(gvt_jget(root, "data"), "votes");
    if (!votes || votes->kind != GVT_J_ARRAY) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.votes",
                             votes ? "a %s, not an array" : "missing",
                             votes ? gvt_jkind_name(votes->kind) : "");
        return GVT_ERR_DATA;
    }
    if (votes->count > PAGE) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.votes",
                             "%zu votes, more than the %d asked for",
                             votes->count, PAGE);
        return GVT_ERR_DATA;
    }
    f->page_out.len = 0;
    long long prev = f->cursor;
    size_t i = 0;
    for (const gvt_jval *v = votes->first; v; v = v->next, i++) {
        long long created;
        if (!vote_ok(f, v, i, &created, err))
            return GVT_ERR_DATA;
        if (f->at && created != f->cursor) {
            char path[64];
            snprintf(path, sizeof path, "$.data.votes[%zu].created", i);
            gvt_fetch_bad_answer(err, f->h, f->what, path,
                                 "%lld where created = %lld was asked", created,
                                 f->cursor);
            return GVT_ERR_DATA;
        }
        if (created < prev) {
            char path[64];
            snprintf(path, sizeof path, "$.data.votes[%zu].created", i);
            gvt_fetch_bad_answer(
                err, f->h, f->what, path,
                "%lld comes after %lld: not in ascending order of created "
                "from %lld",
                created, prev, f->cursor);
            return GVT_ERR_DATA;
        }
        prev = created;
        const char *id = gvt_jget(v, "id")->text;
        if (created != f->seen_created)
            seen_clear(f, created);
        else if (seen_has(f, id))
            continue;
        seen_add(f, id);
        if (f->written)
            gvt_buf_putc(&f->page_out, ',');
        gvt_jwrite(&f->page_out, v);
        f->written++;
    }
    *out_n = votes->count;
    *out_last = prev;
    return write_out(f, f->page_out.data, f->page_out.len, err);
}

static gvt_status request_page(fetch *f, bool at, long long skip, size_t *out_n,
                               long long *out_last, gvt_error *err)
{
    f->page++;
    f->at = at;
    body_start(&f->body, at ? votes_at_query : votes_after_query, f->id);
    gvt_buf_printf(&f->body, ",\"c\":%lld", f->cursor);
    if (at)
        gvt_buf_printf(&f->body, ",\"s\":%lld", skip);
    gvt_buf_puts(&f->body, "}}");
    if (at)
        snprintf(f->what, sizeof f->what,
                 "votes page %lu (created = %lld, skip %lld)", f->page,
                 f->cursor, skip);
    else
        snprintf(f->what, sizeof f->what, "votes page %lu (created >= %lld)",
                 f->page, f->cursor);
    gvt_jdoc *doc = NULL;
    gvt_status st =
        gvt_http_post(f->h, f->body.data, f->body.len, f->what, &doc, err);
    if (st == GVT_OK)
        st = take_page(f, gvt_jdoc_root(doc), out_n, out_last, err);
    gvt_jdoc_free(doc);
    if (st == GVT_OK && f->opt && f->opt->progress)
        f->opt->progress(f->opt->progress_ctx, "votes", f->written, f->total);
    return st;
}

/* Every vote, by the pagination rule at the top of this file. */
static gvt_status all_votes(fetch *f, gvt_error *err)
{
    f->cursor = 0;
    f->seen_created = -1;
    for (;;) {
        size_t n;
        long long last;
        gvt_status st = request_page(f, false, 0, &n, &last, err);
        if (st != GVT_OK)
            return st;
        if (n < PAGE)
            return GVT_OK;
        if (last > f->cursor) {
            f->cursor = last;
            continue;
        }
        /* A whole page in the cursor's second: read that second by skip. */
        for (long long skip = PAGE;; skip += PAGE) {
            if (skip > MAX_SKIP) {
                gvt_fetch_bad_answer(
                    err, f->h, f->what, NULL,
                    "more than %d votes share created %lld: the hub's skip "
                    "cap (%d) leaves no way to page through them",
                    MAX_SKIP + PAGE, f->cursor, MAX_SKIP);
                return GVT_ERR_DATA;
            }
            st = request_page(f, true, skip, &n, &last, err);
            if (st != GVT_OK)
                return st;
            if (n < PAGE)
                break;
        }
        f->cursor++;
    }
}

/* The proposal: checked, and written as the head of the export. */
static gvt_status proposal_head(fetch *f, gvt_error *err)
{
    snprintf(f->what, sizeof f->what, "proposal %s", f->id);
    body_start(&f->body, proposal_query, f->id);
    gvt_buf_puts(&f->body, "}}");
    gvt_jdoc *doc = NULL;
    gvt_status st =
        gvt_http_post(f->h, f->body.data, f->body.len, f->what, &doc, err);
    if (st != GVT_OK)
        return st;
    const gvt_jval *root = gvt_jdoc_root(doc);
    const gvt_jval *p = gvt_jget(gvt_jget(root, "data"), "proposal");
    long long total = 0;
    st = GVT_ERR_DATA;
    if (gvt_fetch_graphql_errors(root, f->h, f->what, err)) {
    } else if (!gvt_jget(root, "data")) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data", "missing");
    } else if (!p || p->kind == GVT_J_NULL) {
        gvt_error_set(err, GVT_ERR_NOINPUT, gvt_http_url(f->h),
                      "the hub has no proposal %s", f->id);
        st = GVT_ERR_NOINPUT;
    } else if (p->kind != GVT_J_OBJECT) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.proposal", "a %s",
                             gvt_jkind_name(p->kind));
    } else if (!gvt_jget(p, "type") ||
               gvt_jget(p, "type")->kind != GVT_J_STRING) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.proposal.type",
                             "missing or not a string");
    } else if (!gvt_jget(p, "choices") ||
               gvt_jget(p, "choices")->kind != GVT_J_ARRAY) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.proposal.choices",
                             "missing or not an array");
    } else if (!gvt_jint(gvt_jget(p, "votes"), &total)) {
        gvt_fetch_bad_answer(err, f->h, f->what, "$.data.proposal.votes",
                             "missing or not a count");
    } else {
        f->total = (unsigned long long)total;
        f->page_out.len = 0;
        gvt_buf_puts(&f->page_out, "{\"proposal\":");
        gvt_jwrite(&f->page_out, p);
        gvt_buf_puts(&f->page_out, ",\"votes\":[");
        st = write_out(f, f->page_out.data, f->page_out.len, err);
    }
    gvt_jdoc_free(doc);
    return st;
}

gvt_status gvt_fetch_one(gvt_http *h, const gvt_fetch_options *opt,
                         const char *proposal_id, FILE *out, gvt_error *err)
{
    fetch f = {.h = h, .opt = opt, .id = proposal_id, .out = out};
    gvt_buf_init(&f.body);
    gvt_buf_init(&f.page_out);
    gvt_status st = proposal_head(&f, err);
    if (st == GVT_OK && opt && opt->progress)
        opt->progress(opt->progress_ctx, "votes", 0, f.total);
    if (st == GVT_OK)
        st = all_votes(&f, err);
    if (st == GVT_OK && f.written != f.total) {
        gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(h),
                      "proposal %s: the hub counts %llu votes but its pages "
                      "held %llu%s",
                      proposal_id, f.total, f.written,
                      f.written > f.total
                          ? " (votes still coming in? fetch it once closed)"
                          : "");
        st = GVT_ERR_DATA;
    }
    if (st == GVT_OK)
        st = write_out(&f, "]}", 2, err);
    seen_clear(&f, -1);
    free(f.seen);
    gvt_buf_free(&f.body);
    gvt_buf_free(&f.page_out);
    return st;
}

gvt_status gvt_fetch_page_for_tests(const char *text, size_t len,
                                    long long cursor, bool at, FILE *out,
                                    gvt_error *err)
{
    char why[128];
    long long where = 0;
    gvt_jdoc *doc = gvt_jdoc_parse(text, len, why, sizeof why, &where);
    if (!doc) {
        gvt_error_set(err, GVT_ERR_DATA, "(test)", "not JSON: %s", why);
        err->offset = where;
        return GVT_ERR_DATA;
    }
    fetch f = {
        .id = "0x", .out = out, .cursor = cursor, .at = at, .seen_created = -1};
    snprintf(f.what, sizeof f.what, "votes page 1");
    gvt_buf_init(&f.page_out);
    size_t n;
    long long last;
    gvt_status st = take_page(&f, gvt_jdoc_root(doc), &n, &last, err);
    if (st == GVT_OK && (n > PAGE || last < cursor || f.written > n))
        abort();
    seen_clear(&f, -1);
    free(f.seen);
    gvt_buf_free(&f.page_out);
    gvt_jdoc_free(doc);
    return st;
}

GVT_API gvt_status gvt_fetch_snapshot_proposal(const gvt_fetch_options *opt,
                                               const char *proposal_id,
                                               FILE *out, gvt_error *err)
{
    gvt_error_clear(err);
    if (!proposal_id || !*proposal_id) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL, "no proposal id");
        return GVT_ERR_USAGE;
    }
    gvt_http *h = gvt_http_new(opt, GVT_FETCH_DEFAULT_HUB, err);
    if (!h)
        return GVT_ERR_INTERNAL;
    gvt_status st = gvt_fetch_one(h, opt, proposal_id, out, err);
    if (st == GVT_OK && (fputc('\n', out) == EOF || fflush(out) != 0)) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL, "cannot write the export");
        st = GVT_ERR_CANTCREAT;
    }
    gvt_http_free(h);
    return st;
}
