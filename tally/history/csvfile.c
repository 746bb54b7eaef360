/*
 * csvfile.c: the CSV layer that the import (csv.c, rows.c) and the signing
 * of verified lists (lists.c) share: libcsv in strict mode (CSV_STRICT |
 * CSV_STRICT_FINI: RFC 4180 quoting, a quote inside an unquoted field or text
 * after a closing quote is a data error rather than something guessed at),
 * fed one physical line at a time so that every record knows the line it
 * starts on; a UTF-8 byte order mark skipped; fields trimmed of ASCII
 * blanks (data from spreadsheets carries stray ones).
 */
#include <csv.h>
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

static gvt_status malformed(reader *r, struct csv_parser *cp, long line,
                            const char *more)
{
    if (r->status == GVT_OK) {
        gvt_error_set(r->err, GVT_ERR_DATA, r->path, "malformed CSV: %s%s",
                      csv_strerror(csv_error(cp)), more);
        if (r->err)
            r->err->line = line;
        r->status = GVT_ERR_DATA;
    }
    return r->status;
}

gvt_status gvt_csv_each(const char *path, gvt_csv_fn fn, void *ctx,
                        gvt_error *err)
{
    char *data;
    size_t len;
    gvt_status rc = gvt_file_read(path, false, &data, &len, err);
    if (rc)
        return rc;
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(data);
        gvt_error_set(err, GVT_ERR_INTERNAL, path, "csv_init failed");
        return GVT_ERR_INTERNAL;
    }
    reader r = {
        .path = path, .fn = fn, .ctx = ctx, .err = err, .at_boundary = true};
    size_t pos = 0;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    while (pos < len && r.status == GVT_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        r.line++;
        bool blank = n == 1 || (n == 2 && data[pos] == '\r');
        if (r.at_boundary && !blank) {
            r.rec_line = r.line;
            r.at_boundary = false;
        }
        if (csv_parse(&cp, data + pos, n, on_field, on_record, &r) != n)
            malformed(&r, &cp, r.line, "");
        pos += n;
    }
    if (r.status == GVT_OK && csv_fini(&cp, on_field, on_record, &r) != 0)
        malformed(&r, &cp, r.rec_line, " (a quoted field is not closed)");
    csv_free(&cp);
    free(data);
    clear(&r);
    free(r.fields);
    return r.status;
}
