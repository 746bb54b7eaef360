/*
 * csvfile.c: the CSV layer that the import (csv.c, rows.c) and the signing
 * of verified lists (lists.c) share: libcsv in strict mode (CSV_STRICT |
 * CSV_STRICT_FINI: RFC 4180 quoting, a quote inside an unquoted field or text
 * after a closing quote is a data error rather than something guessed at),
 * fed one physical line at a time so that every record knows the line it
 * starts on; a UTF-8 byte order mark skipped; UTF-16 (or any NUL byte at
 * the start) refused plainly; the delimiter a comma, or a semicolon or tab
 * when the first line has no comma (detect_delim); fields trimmed of ASCII
 * blanks (data from spreadsheets carries stray ones). Streaming: memory
 * holds one chunk of the file and one line, not the file; the file may hold
 * at most the caller's limit, a line GVT_LIMIT_CSV_LINE_BYTES (limits.h),
 * so that an endless input (/dev/zero) stops early. "-" is standard input.
 * The bytes read may be hashed as they are read (gvt_csv_digest).
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"

#define MAX_FIELDS 4096 /* fields per record */

struct gvt_csv_file {
    const char *path;
    size_t limit;
    gvt_csv_fn fn;
    void *ctx;
    gvt_error *err;
    gvt_status status;
    FILE *f;
    struct csv_parser cp;
    char *chunk;
    gvt_buf carry; /* a line cut by the chunk's end */
    size_t total;  /* bytes read */
    char delim;    /* 0 until the first line is seen */
    char **fields;
    size_t n, cap;
    long line, rec_line;
    bool at_boundary;
    gvt_digest *digest; /* fed every byte read, or NULL */
};

typedef struct gvt_csv_file reader;

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

static void malformed(reader *r, long line, const char *more)
{
    if (r->status != GVT_OK)
        return;
    gvt_error_set(r->err, GVT_ERR_DATA, r->path, "malformed CSV: %s%s",
                  csv_strerror(csv_error(&r->cp)), more);
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

/*
 * A file in UTF-16 (as spreadsheet programs save "Unicode text") would reach
 * the parser as bytes with NULs between the letters and fail on its header
 * with a puzzling message: it is recognised by its byte order mark, or
 * without one by NULs among its first bytes, and refused plainly.
 */
static bool encoding_ok(reader *r, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *what = NULL;
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        what = "UTF-16 (little-endian byte order mark FF FE)";
    else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        what = "UTF-16 (big-endian byte order mark FE FF)";
    else if (memchr(data, '\0', len < 64 ? len : 64))
        what = "not text: it holds NUL bytes (UTF-16 without a byte order "
               "mark?)";
    if (!what)
        return true;
    gvt_error_set(r->err, GVT_ERR_DATA, r->path,
                  "the file is %s; CSV is read as UTF-8: convert it first, "
                  "e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.csv",
                  what);
    if (r->err)
        r->err->line = 1;
    r->status = GVT_ERR_DATA;
    return false;
}

/*
 * The delimiter, from the first line: a comma, unless the line has none
 * outside quotes and has semicolons or tabs (as spreadsheets write CSV in
 * locales whose decimal mark is a comma, and as "tab-separated" exports
 * are), then the more frequent of those two.
 */
static char detect_delim(const char *line, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < n && line[i] != '\n'; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            comma += line[i] == ',', semi += line[i] == ';',
                tab += line[i] == '\t';
    }
    if (comma || (!semi && !tab))
        return ',';
    return semi >= tab ? ';' : '\t';
}

/* One physical line (with its newline, if any) to the CSV parser. */
static void parse_line(reader *r, const char *s, size_t n)
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
    if (!r->delim && !blank && n > 0) { /* the header's first line */
        r->delim = detect_delim(s, n);
        csv_set_delim(&r->cp, (unsigned char)r->delim);
    }
    if (csv_parse(&r->cp, s, n, on_field, on_record, r) != n)
        malformed(r, r->line, "");
}

/* The lines of one chunk: whole ones straight from it, a line cut by the
 * chunk's end kept in carry until its newline comes. */
static void parse_chunk(reader *r, const char *d, size_t n)
{
    size_t pos = 0;
    while (pos < n && r->status == GVT_OK) {
        const char *nl = memchr(d + pos, '\n', n - pos);
        size_t k = nl ? (size_t)(nl - (d + pos)) + 1 : n - pos;
        if (r->carry.len + k > GVT_LIMIT_CSV_LINE_BYTES) {
            limit_error(r, GVT_LIMIT_CSV_LINE_BYTES, "a line", r->line + 1);
            return;
        }
        if (nl && r->carry.len == 0) {
            parse_line(r, d + pos, k);
        } else {
            gvt_buf_add(&r->carry, d + pos, k);
            if (nl) {
                parse_line(r, r->carry.data, r->carry.len);
                r->carry.len = 0;
            }
        }
        pos += k;
    }
}

enum { CHUNK = 1 << 20 };

gvt_status gvt_csv_open(const char *path, size_t limit, gvt_csv_fn fn,
                        void *ctx, gvt_csv_file **out, gvt_error *err)
{
    *out = NULL;
    FILE *f = gvt_file_open(path, err);
    if (!f)
        return GVT_ERR_NOINPUT;
    reader *r = gvt_xcalloc(1, sizeof *r);
    if (csv_init(&r->cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        gvt_file_close(f);
        free(r);
        gvt_error_set(err, GVT_ERR_INTERNAL, path, "csv_init failed");
        return GVT_ERR_INTERNAL;
    }
    r->path = path;
    r->limit = limit;
    r->fn = fn;
    r->ctx = ctx;
    r->err = err;
    r->f = f;
    r->at_boundary = true;
    r->chunk = gvt_xmalloc(CHUNK);
    gvt_buf_init(&r->carry);
    *out = r;
    return GVT_OK;
}

bool gvt_csv_step(gvt_csv_file *r)
{
    if (r->status != GVT_OK || !r->f)
        return false;
    size_t n = fread(r->chunk, 1, CHUNK, r->f);
    r->total += n;
    if (r->digest)
        gvt_digest_add(r->digest, r->chunk, n);
    if (r->total > r->limit) {
        limit_error(r, r->limit, "the file is", 0);
        return false;
    }
    if (r->total == n && !encoding_ok(r, r->chunk, n))
        return false;
    parse_chunk(r, r->chunk, n);
    if (n == CHUNK && r->status == GVT_OK)
        return true;
    /* the end of the input: a read error, the last line, an open quote */
    if (r->status == GVT_OK && ferror(r->f)) {
        gvt_error_set(r->err, GVT_ERR_NOINPUT, r->path, "cannot read");
        r->status = GVT_ERR_NOINPUT;
    }
    if (r->status == GVT_OK && r->carry.len)
        parse_line(r, r->carry.data, r->carry.len);
    if (r->status == GVT_OK && csv_fini(&r->cp, on_field, on_record, r) != 0)
        malformed(r, r->rec_line, " (a quoted field is not closed)");
    gvt_file_close(r->f);
    r->f = NULL;
    return false;
}

void gvt_csv_digest(gvt_csv_file *r, gvt_digest *d)
{
    r->digest = d;
}

bool gvt_csv_read_whole(const gvt_csv_file *r)
{
    return !r->f && r->status == GVT_OK;
}

gvt_status gvt_csv_close(gvt_csv_file *r)
{
    if (!r)
        return GVT_OK;
    gvt_file_close(r->f);
    gvt_status st = r->status;
    csv_free(&r->cp);
    gvt_buf_free(&r->carry);
    free(r->chunk);
    clear(r);
    free(r->fields);
    free(r);
    return st;
}

gvt_status gvt_csv_each(const char *path, size_t limit, gvt_csv_fn fn,
                        void *ctx, gvt_error *err)
{
    gvt_csv_file *r;
    gvt_status st = gvt_csv_open(path, limit, fn, ctx, &r, err);
    if (st)
        return st;
    while (gvt_csv_step(r))
        ;
    return gvt_csv_close(r);
}
