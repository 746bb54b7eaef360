/*
 * canon.c: the canonical form of a JSON document, from which a result's or
 * a replay summary's digest is computed (docs/audit.md#the-result-digest):
 *
 *   - no whitespace between tokens;
 *   - members and elements in the order they are written;
 *   - strings as UTF-8, with `"` and `\` escaped, \b \f \n \r \t for those
 *     control characters and \u00xx (lower-case hex) for the other ones
 *     below 0x20, every other character as it is (Python's json.dumps with
 *     ensure_ascii=False escapes exactly these);
 *   - numbers as written (the documents hold integers only), true, false,
 *     null;
 *   - without the member "result_sha256" of the top-level member "audit"
 *     (the digest cannot cover itself).
 *
 * In Python: json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
 * after deleting doc["audit"]["result_sha256"]. The document is read with
 * YAJL's event parser, so a summary of any size is hashed as it is written,
 * never held whole.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "core/core.h"

#define CANON_DEPTH 64
#define CANON_FLUSH (64u << 10)

struct gvt_canon {
    yajl_handle h;
    gvt_canon_sink sink;
    void *ctx;
    gvt_buf out;                 /* canonical text not yet handed to the sink */
    int depth;                   /* containers open */
    bool first[CANON_DEPTH + 1]; /* no member or element yet */
    bool is_array[CANON_DEPTH + 1]; /* the container at each depth */
    bool key_audit;                 /* the last top-level key was "audit" */
    int audit_depth; /* depth of the audit object while inside it, else 0 */
    bool skip_next;  /* the next value is result_sha256's: dropped */
    int skip;        /* containers open inside a dropped value */
    char err[160];
};

static void flush(gvt_canon *c)
{
    if (c->out.len)
        c->sink(c->ctx, c->out.data, c->out.len);
    c->out.len = 0;
}

static void put(gvt_canon *c, const char *s, size_t n)
{
    gvt_buf_add(&c->out, s, n);
    if (c->out.len >= CANON_FLUSH)
        flush(c);
}

/* Whether this token belongs to the dropped value; open is +1 for the
 * start of a container, -1 for its end, 0 for a scalar. */
static bool dropped(gvt_canon *c, int open)
{
    if (c->skip > 0) {
        c->skip += open;
        return true;
    }
    if (c->skip_next) {
        c->skip_next = false;
        if (open > 0)
            c->skip = 1;
        return true;
    }
    return false;
}

/* The comma before an element of an array. */
static void element(gvt_canon *c)
{
    if (c->depth > 0 && c->is_array[c->depth]) {
        if (!c->first[c->depth])
            put(c, ",", 1);
        c->first[c->depth] = false;
    }
}

static void put_string(gvt_canon *c, const unsigned char *s, size_t n)
{
    put(c, "\"", 1);
    size_t run = 0; /* bytes copied as they are, waiting */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            run++;
            continue;
        }
        put(c, (const char *)s + i - run, run);
        run = 0;
        char esc[8];
        const char *e = NULL;
        switch (ch) {
        case '"':
            e = "\\\"";
            break;
        case '\\':
            e = "\\\\";
            break;
        case '\b':
            e = "\\b";
            break;
        case '\f':
            e = "\\f";
            break;
        case '\n':
            e = "\\n";
            break;
        case '\r':
            e = "\\r";
            break;
        case '\t':
            e = "\\t";
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            e = esc;
        }
        put(c, e, strlen(e));
    }
    put(c, (const char *)s + n - run, run);
    put(c, "\"", 1);
}

static int on_scalar(gvt_canon *c, const char *text, size_t n)
{
    if (dropped(c, 0))
        return 1;
    element(c);
    put(c, text, n);
    return 1;
}

static int on_null(void *ctx)
{
    return on_scalar(ctx, "null", 4);
}

static int on_boolean(void *ctx, int v)
{
    return on_scalar(ctx, v ? "true" : "false", v ? 4 : 5);
}

static int on_number(void *ctx, const char *s, size_t n)
{
    return on_scalar(ctx, s, n);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
    gvt_canon *c = ctx;
    if (dropped(c, 0))
        return 1;
    element(c);
    put_string(c, s, n);
    return 1;
}

static int open_container(gvt_canon *c, bool array)
{
    if (dropped(c, 1))
        return 1;
    element(c);
    if (c->depth == CANON_DEPTH) {
        snprintf(c->err, sizeof c->err, "nested deeper than %d", CANON_DEPTH);
        return 0;
    }
    put(c, array ? "[" : "{", 1);
    c->depth++;
    c->first[c->depth] = true;
    c->is_array[c->depth] = array;
    if (!array && c->depth == 2 && c->key_audit)
        c->audit_depth = 2;
    return 1;
}

static int close_container(gvt_canon *c, bool array)
{
    if (dropped(c, -1))
        return 1;
    put(c, array ? "]" : "}", 1);
    if (c->depth == c->audit_depth)
        c->audit_depth = 0;
    c->depth--;
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, false);
}

static int on_end_map(void *ctx)
{
    return close_container(ctx, false);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, true);
}

static int on_end_array(void *ctx)
{
    return close_container(ctx, true);
}

static int on_key(void *ctx, const unsigned char *s, size_t n)
{
    gvt_canon *c = ctx;
    if (c->skip > 0)
        return 1;
    if (c->depth == 1)
        c->key_audit = n == 5 && memcmp(s, "audit", 5) == 0;
    if (c->depth == c->audit_depth && n == 13 &&
        memcmp(s, "result_sha256", 13) == 0) {
        c->skip_next = true;
        return 1;
    }
    if (!c->first[c->depth])
        put(c, ",", 1);
    c->first[c->depth] = false;
    put_string(c, s, n);
    put(c, ":", 1);
    return 1;
}

static const yajl_callbacks callbacks = {
    on_null,    on_boolean,     NULL,         NULL,
    on_number,  on_string,      on_start_map, on_key,
    on_end_map, on_start_array, on_end_array,
};

gvt_canon *gvt_canon_new(gvt_canon_sink sink, void *ctx)
{
    gvt_canon *c = gvt_xcalloc(1, sizeof *c);
    c->sink = sink;
    c->ctx = ctx;
    gvt_buf_init(&c->out);
    c->h = yajl_alloc(&callbacks, gvt_yajl_alloc_funcs(), c);
    return c;
}

/* The parser's complaint into c->err (unless a callback already said). */
static bool refused(gvt_canon *c, const void *data, size_t n)
{
    if (!c->err[0]) {
        unsigned char *m = yajl_get_error(c->h, 0, data, n);
        snprintf(c->err, sizeof c->err, "%s", m ? (const char *)m : "?");
        yajl_free_error(c->h, m);
        size_t k = strlen(c->err);
        while (k && (c->err[k - 1] == '\n' || c->err[k - 1] == ' '))
            c->err[--k] = '\0';
    }
    return false;
}

bool gvt_canon_feed(gvt_canon *c, const void *data, size_t n)
{
    if (c->err[0])
        return false;
    if (yajl_parse(c->h, data, n) != yajl_status_ok)
        return refused(c, data, n);
    return true;
}

bool gvt_canon_end(gvt_canon *c)
{
    if (c->err[0])
        return false;
    if (yajl_complete_parse(c->h) != yajl_status_ok)
        return refused(c, NULL, 0);
    flush(c);
    return true;
}

const char *gvt_canon_error(const gvt_canon *c)
{
    return c->err;
}

void gvt_canon_free(gvt_canon *c)
{
    if (!c)
        return;
    yajl_free(c->h);
    gvt_buf_free(&c->out);
    free(c);
}

static void to_digest(void *ctx, const void *data, size_t n)
{
    gvt_digest_add(ctx, data, n);
}

bool gvt_canon_sha256(const void *doc, size_t n, char hex[65])
{
    gvt_digest d;
    gvt_digest_init(&d);
    gvt_canon *c = gvt_canon_new(to_digest, &d);
    bool ok = gvt_canon_feed(c, doc, n) && gvt_canon_end(c);
    gvt_canon_free(c);
    if (ok)
        gvt_digest_hex(&d, hex);
    else
        hex[0] = '\0';
    return ok;
}
