/*
 * cut.c: a stream of exports cut into its top-level JSON documents, read in
 * chunks (docs/replay.md#memory): JSON Lines, concatenated exports and one
 * export alike, from a file or standard input, holding one chunk and the
 * document being cut, never the whole input.
 *
 * Only the boundaries are found here, by bracket depth outside strings; the
 * reader judges each piece, so a malformed piece fails alone (an unbalanced
 * one runs to the end of the input and fails there). Blank space between
 * documents is skipped; at depth 0 a line break ends a piece (a bare scalar
 * or garbage runs to the end of its line).
 *
 * Inside strings, which hold most of an export's bytes, eight bytes are
 * tested at a time for the three that matter there (quote, backslash, line
 * break). Every chunk read is hashed (SHA-256, docs/audit.md), so the
 * replay's audit record has the digest of each input as it was read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"

#define CUT_CHUNK (1u << 20)
/* Text at depth 0 that is no document (a bare scalar or garbage, read to
 * its line's end) is refused past this: /dev/zero fails at once. */
#define CUT_BARE_BYTES (64u << 10)

static size_t chunk_size = CUT_CHUNK;

void gvt_cutter_chunk_for_tests(size_t n)
{
    chunk_size = n ? n : CUT_CHUNK;
}

struct gvt_cutter {
    const char *name;
    FILE *f;
    bool is_stdin;
    char *chunk;
    size_t size;           /* of chunk */
    size_t pos, end;       /* unread bytes: chunk[pos..end) */
    long long chunk_start; /* offset of chunk[0] in the input */
    long line;             /* line of chunk[pos] */
    bool eof;
    bool stopped;      /* a piece over its limit: the rest is not read */
    bool failed;       /* a read error */
    size_t count;      /* documents cut */
    gvt_digest digest; /* of the bytes read (docs/audit.md) */
};

gvt_status gvt_cutter_open(const char *path, gvt_cutter **out, gvt_error *err)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    gvt_cutter *c = gvt_xcalloc(1, sizeof *c);
    c->name = path;
    c->f = f;
    c->is_stdin = is_stdin;
    c->size = chunk_size;
    c->chunk = gvt_xmalloc(c->size);
    c->line = 1;
    gvt_digest_init(&c->digest);
    *out = c;
    return GVT_OK;
}

void gvt_cutter_record(gvt_cutter *c, gvt_inputs *l, const char *name)
{
    bool whole = c->eof && !c->failed && !c->stopped;
    gvt_inputs_add(l, "export", name, whole ? &c->digest : NULL);
}

void gvt_cutter_free(gvt_cutter *c)
{
    if (!c)
        return;
    if (!c->is_stdin)
        fclose(c->f);
    free(c->chunk);
    free(c);
}

/* Reads the next chunk; false at the end of the input or on an error. */
static bool refill(gvt_cutter *c, gvt_error *err, gvt_status *st)
{
    c->chunk_start += (long long)c->end;
    c->pos = c->end = 0;
    if (c->eof)
        return false;
    size_t got = fread(c->chunk, 1, c->size, c->f);
    c->end = got;
    gvt_digest_add(&c->digest, c->chunk, got);
    if (got < c->size) {
        c->eof = true;
        if (ferror(c->f)) {
            c->failed = true;
            gvt_error_set(err, GVT_ERR_NOINPUT, c->name, "cannot read");
            *st = GVT_ERR_NOINPUT;
            return false;
        }
    }
    return got > 0;
}

/* The bytes that matter outside strings: quote, brackets, line break. */
static const unsigned char special[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1};

/* One byte of each 64-bit word set where the word's byte equals b (the
 * lowest set byte is exact; those above it may be false alarms). */
static inline uint64_t bytes_eq(uint64_t w, uint64_t b)
{
    uint64_t x = w ^ (b * 0x0101010101010101u);
    return (x - 0x0101010101010101u) & ~x & 0x8080808080808080u;
}

/*
 * Inside a string: the index of the first quote, backslash or line break
 * in s[i..n), or n. Eight bytes at a time.
 */
static size_t string_stop(const char *s, size_t i, size_t n)
{
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t m = bytes_eq(w, '"') | bytes_eq(w, '\\') | bytes_eq(w, '\n');
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)__builtin_ctzll(m) / 8;
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < n && s[i] != '"' && s[i] != '\\' && s[i] != '\n')
        i++;
    return i;
}

/*
 * The next document into doc (emptied first), with its byte offset and its
 * first line in the input. Returns 1 for a document, 0 at the end of the
 * input (err set when the input held no document at all: "no document in
 * the file"), -1 on a read error (err set).
 */
int gvt_cutter_next(gvt_cutter *c, gvt_buf *doc, long long *out_offset,
                    long *out_line, gvt_error *err)
{
    gvt_status st = GVT_OK;
    doc->len = 0;
    if (c->stopped)
        return 0;
    /* blank space before the document */
    for (;;) {
        if (c->pos == c->end && !refill(c, err, &st)) {
            if (st)
                return -1;
            if (c->count == 0) {
                gvt_error_set(err, GVT_ERR_DATA, c->name,
                              "no document in the file");
                c->count = 1; /* said once */
                return -1;
            }
            return 0;
        }
        char b = c->chunk[c->pos];
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
            break;
        if (b == '\n')
            c->line++;
        c->pos++;
    }
    *out_offset = c->chunk_start + (long long)c->pos;
    *out_line = c->line;
    c->count++;
    int depth = 0;
    bool in_str = false, esc = false;
    for (;;) {
        const char *d = c->chunk;
        size_t i = c->pos, n = c->end;
        bool done = false;
        while (i < n) {
            char ch;
            if (in_str) {
                if (esc) {
                    esc = false;
                    if (d[i++] == '\n')
                        c->line++;
                    continue;
                }
                i = string_stop(d, i, n);
                if (i == n)
                    break;
                ch = d[i++];
                if (ch == '\n')
                    c->line++;
                else if (ch == '\\')
                    esc = true;
                else
                    in_str = false; /* the closing quote */
                continue;
            }
            while (i < n && !special[(unsigned char)d[i]])
                i++;
            if (i == n)
                break;
            ch = d[i++];
            if (ch == '"') {
                in_str = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                if (--depth <= 0) {
                    done = true;
                    break;
                }
            } else { /* a line break */
                c->line++;
                if (depth == 0) {
                    done = true; /* a bare scalar or garbage: its line */
                    break;
                }
            }
        }
        gvt_buf_add(doc, d + c->pos, i - c->pos);
        c->pos = i;
        if (done)
            return 1;
        size_t limit = doc->data[0] == '{' || doc->data[0] == '['
                           ? GVT_LIMIT_EXPORT_BYTES
                           : CUT_BARE_BYTES;
        if (doc->len > limit) {
            char lim[32];
            gvt_size_text(limit, lim, sizeof lim);
            gvt_error_set(err, GVT_ERR_DATA, c->name,
                          "%s larger than the limit of %s (docs/limits.md)",
                          limit == CUT_BARE_BYTES ? "text outside any document"
                                                  : "a document",
                          lim);
            if (err) {
                err->line = *out_line;
                err->offset = *out_offset;
            }
            c->stopped = true;
            return -1;
        }
        if (!refill(c, err, &st))
            return st ? -1 : 1; /* the end: the piece runs to it */
    }
}
