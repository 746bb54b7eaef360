/*
 * csvfile.c: the CSV layer that the import (csv.c, rows.c) and the signing
 * of verified lists (lists.c) share: libcsv in strict mode (CSV_STRICT |
 * CSV_STRICT_FINI: RFC 4180 quoting, a quote inside an unquoted field or text
 * after a closing quote is a data error rather than something guessed at),
 * fed one physical line at a time so that every record knows the line it
 * starts on; a UTF-8 byte order mark skipped; fields trimmed of ASCII
 * blanks (data from spreadsheets carries stray ones). Streaming: memory
 * holds one chunk of the file and one line, not the file; the file may hold
 * at most the caller's limit, a line GVT_LIMIT_CSV_LINE_BYTES (limits.h),
 * so that an endless input (/dev/zero) stops early. "-" is standard input.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"

#define MAX_FIELDS 4096 /* fields per record */

typedef struct reader {
    const char *path;
    gvt_csv_fn fn;
    void *ctx;
    gvt_error *err;
    gvt_status status;
    char **fields;
    size_t n, cap;
    long line, rec_line;
    bool at_boundary;
} reader;

size_t gvt_csv_trim(char **s, size_t len)
{
    char *p = *s;
    while (len && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r'))
        p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
                   p[len - 1] == '\r' || p[len - 1] == '\n'))
        len--;
    p[len] = '\0';
    *s = p;
    return len;
}

static void clear(reader *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->status != GVT_OK)
        return;
    if (r->n == MAX_FIELDS) {
        gvt_error_set(r->err, GVT_ERR_DATA, r->path,
                      "more than %d fields in a record", MAX_FIELDS);
        if (r->err) {
            r->err->line = r->rec_line;
            r->err->column = -1;
        }
        r->status = GVT_ERR_DATA;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->fields = gvt_xrealloc(r->fields, r->cap * sizeof *r->fields);
    }
    char *copy = gvt_xmalloc(len + 1);
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    r->fields[r->n++] = copy;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    (void)c;
    r->at_boundary = true;
    if (r->status == GVT_OK) {
        for (size_t i = 0; i < r->n; i++) {
            char *f = r->fields[i];
            size_t n = gvt_csv_trim(&f, strlen(f));
            memmove(r->fields[i], f, n + 1);
        }
        if (!r->fn(r->ctx, r->fields, r->n, r->rec_line))
            r->status = GVT_ERR_DATA;
    }
    clear(r);
}

static void malformed(reader *r, struct csv_parser *cp, long line,
                      const char *more)
{
    if (r->status != GVT_OK)
        return;
    gvt_error_set(r->err, GVT_ERR_DATA, r->path, "malformed CSV: %s%s",
                  csv_strerror(csv_error(cp)), more);
    if (r->err)
        r->err->line = line;
    r->status = GVT_ERR_DATA;
}

static void limit_error(reader *r, size_t limit, const char *what, long line)
{
    char lim[32];
    gvt_size_text(limit, lim, sizeof lim);
    gvt_error_set(r->err, GVT_ERR_DATA, r->path,
                  "%s larger than the limit of %s (docs/limits.md)", what, lim);
    if (r->err && line > 0)
        r->err->line = line;
    r->status = GVT_ERR_DATA;
}

/* One physical line (with its newline, if any) to the CSV parser. */
static void parse_line(reader *r, struct csv_parser *cp, const char *s,
                       size_t n)
{
    if (r->line == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3; /* UTF-8 byte order mark */
        n -= 3;
    }
    r->line++;
    bool blank = n == 1 || (n == 2 && s[0] == '\r');
    if (r->at_boundary && !blank && n > 0) {
        r->rec_line = r->line;
        r->at_boundary = false;
    }
    if (csv_parse(cp, s, n, on_field, on_record, r) != n)
        malformed(r, cp, r->line, "");
}

/* The lines of one chunk: whole ones straight from it, a line cut by the
 * chunk's end kept in carry until its newline comes. */
static void parse_chunk(reader *r, struct csv_parser *cp, gvt_buf *carry,
                        const char *d, size_t n)
{
    size_t pos = 0;
    while (pos < n && r->status == GVT_OK) {
        const char *nl = memchr(d + pos, '\n', n - pos);
        size_t k = nl ? (size_t)(nl - (d + pos)) + 1 : n - pos;
        if (carry->len + k > GVT_LIMIT_CSV_LINE_BYTES) {
            limit_error(r, GVT_LIMIT_CSV_LINE_BYTES, "a line", r->line + 1);
            return;
        }
        if (nl && carry->len == 0) {
            parse_line(r, cp, d + pos, k);
        } else {
            gvt_buf_add(carry, d + pos, k);
            if (nl) {
                parse_line(r, cp, carry->data, carry->len);
                carry->len = 0;
            }
        }
        pos += k;
    }
}

gvt_status gvt_csv_each(const char *path, size_t limit, gvt_csv_fn fn,
                        void *ctx, gvt_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        if (!is_stdin)
            fclose(f);
        gvt_error_set(err, GVT_ERR_INTERNAL, path, "csv_init failed");
        return GVT_ERR_INTERNAL;
    }
    reader r = {
        .path = path, .fn = fn, .ctx = ctx, .err = err, .at_boundary = true};
    enum { CHUNK = 1 << 20 };
    char *chunk = gvt_xmalloc(CHUNK);
    gvt_buf carry;
    gvt_buf_init(&carry);
    size_t total = 0;
    while (r.status == GVT_OK) {
        size_t n = fread(chunk, 1, CHUNK, f);
        total += n;
        if (total > limit) {
            limit_error(&r, limit, "the file is", 0);
            break;
        }
        parse_chunk(&r, &cp, &carry, chunk, n);
        if (n < CHUNK)
            break;
    }
    if (r.status == GVT_OK && ferror(f)) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read");
        r.status = GVT_ERR_NOINPUT;
    }
    if (r.status == GVT_OK && carry.len)
        parse_line(&r, &cp, carry.data, carry.len);
    if (!is_stdin)
        fclose(f);
    if (r.status == GVT_OK && csv_fini(&cp, on_field, on_record, &r) != 0)
        malformed(&r, &cp, r.rec_line, " (a quoted field is not closed)");
    csv_free(&cp);
    gvt_buf_free(&carry);
    free(chunk);
    clear(&r);
    free(r.fields);
    return r.status;
}
