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
 * Inside a document, 64 bytes at a time where SSE2 is at hand: bit masks
 * of the quotes, brackets and line breaks, the strings' extent from the
 * quotes by a prefix XOR, the brackets outside strings counted in order
 * (about one byte in a hundred); a block holding a backslash, the text
 * before a document's first bracket and builds without SSE2 take the byte
 * by byte path, which gives the same cuts, offsets and lines (it is the
 * reference: tests cut with both). There, inside strings, eight bytes are
 * tested at a time for the three that matter (quote, backslash, line
 * break). Every chunk read is hashed (SHA-256, docs/audit.md), so the
 * replay's audit record has the digest of each input as it was read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define CUT_SIMD 1
#else
#define CUT_SIMD 0
#endif

#define CUT_CHUNK (64u << 10)
/* Text at depth 0 that is no document (a bare scalar or garbage, read to
 * its line's end) is refused past this: /dev/zero fails at once. */
#define CUT_BARE_BYTES (64u << 10)

static size_t chunk_size = CUT_CHUNK;
static bool blocks_on = CUT_SIMD;

void gvt_cutter_chunk_for_tests(size_t n)
{
    chunk_size = n ? n : CUT_CHUNK;
}

bool gvt_cutter_blocks_for_tests(bool on)
{
    blocks_on = on && CUT_SIMD;
    return blocks_on;
}

struct gvt_cutter {
    const char *name;
    FILE *f;
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
    size_t hashed;     /* chunk[0..hashed) is in the digest */
};

gvt_status gvt_cutter_open(const char *path, gvt_cutter **out, gvt_error *err)
{
    *out = NULL;
    FILE *f = gvt_file_open(path, err);
    if (!f)
        return GVT_ERR_NOINPUT;
    gvt_cutter *c = gvt_xcalloc(1, sizeof *c);
    c->name = path;
    c->f = f;
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
    gvt_file_close(c->f);
    free(c->chunk);
    free(c);
}

/*
 * The chunk's bytes up to `to` into the digest. Hashed as they are cut, a
 * document's worth at a time, rather than a chunk at once on reading: the
 * digest is a fifth of the feeder's work, and a megabyte hashed in one go
 * left the other threads without documents meanwhile.
 */
static void hash_upto(gvt_cutter *c, size_t to)
{
    if (to > c->hashed) {
        gvt_digest_add(&c->digest, c->chunk + c->hashed, to - c->hashed);
        c->hashed = to;
    }
}

/* Reads the next chunk; false at the end of the input or on an error. */
static bool refill(gvt_cutter *c, gvt_error *err, gvt_status *st)
{
    hash_upto(c, c->end);
    c->hashed = 0;
    c->chunk_start += (long long)c->end;
    c->pos = c->end = 0;
    if (c->eof)
        return false;
    size_t got = fread(c->chunk, 1, c->size, c->f);
    c->end = got;
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

/* Where a piece is: depth of brackets, inside a string, after a backslash
 * in a string. */
typedef struct cut_state {
    int depth;
    bool in_str, esc;
} cut_state;

#if CUT_SIMD
/* The masks of 64 bytes that matter: bit k for byte k. */
typedef struct block_masks {
    uint64_t quote, backslash, open, close, nl;
} block_masks;

static inline uint64_t mask16(__m128i m, int k)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(m) << (16 * k);
}

/* Brackets by one test: '{' '[' and '}' ']' differ in bit 0x20 only, and
 * the opening ones have bit 0x02 set, the closing ones not. */
static inline void block_scan(const char *at, block_masks *m)
{
    memset(m, 0, sizeof *m);
    for (int k = 0; k < 4; k++) {
        __m128i v =
            _mm_loadu_si128((const __m128i *)(const void *)(at + 16 * k));
        __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
        uint64_t br =
            mask16(_mm_or_si128(_mm_cmpeq_epi8(low, _mm_set1_epi8('{')),
                                _mm_cmpeq_epi8(low, _mm_set1_epi8('}'))),
                   k);
        uint64_t bit1 = mask16(_mm_slli_epi16(v, 6), k);
        m->open |= br & bit1;
        m->close |= br & ~bit1;
        m->quote |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), k);
        m->backslash |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')), k);
        m->nl |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), k);
    }
}

/* The set bits of m, which has few (line breaks). */
static inline long bits_set(uint64_t m)
{
    long n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* Bit k: the parity of the set bits of m at 0..k. */
static inline uint64_t prefix_xor(uint64_t m)
{
    m ^= m << 1;
    m ^= m << 2;
    m ^= m << 4;
    m ^= m << 8;
    m ^= m << 16;
    m ^= m << 32;
    return m;
}

/*
 * Inside a document (depth > 0, no pending escape): d[i..n) block by block
 * until the bracket that closes the document (*done, the index after it
 * returned), the end of the text, or a block holding a backslash (its start
 * returned, for the byte by byte path). A last block shorter than 64 bytes
 * is read through a copy padded with spaces. Line breaks count wherever they
 * are, as the byte by byte path counts them.
 */
static size_t scan_blocks(const char *d, size_t i, size_t n, cut_state *st,
                          long *line, bool *done)
{
    while (i < n) {
        size_t len = n - i < 64 ? n - i : 64;
        const char *at = d + i;
        char pad[64];
        if (len < 64) {
            memset(pad, ' ', sizeof pad);
            memcpy(pad, at, len);
            at = pad;
        }
        block_masks m;
        block_scan(at, &m);
        uint64_t valid = len == 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
        if (m.backslash & valid)
            return i;
        uint64_t nl = m.nl & valid;
        /* after byte k: inside a string (a bracket is no quote, so before
         * and after agree on it) */
        uint64_t in = prefix_xor(m.quote & valid);
        if (st->in_str)
            in = ~in;
        uint64_t brackets = (m.open | m.close) & ~in & valid;
        while (brackets) {
            int k = __builtin_ctzll(brackets);
            uint64_t bit = (uint64_t)1 << k;
            st->depth += m.open & bit ? 1 : -1;
            if (st->depth <= 0) {
                uint64_t upto = k == 63 ? ~(uint64_t)0 : (bit << 1) - 1;
                *line += bits_set(nl & upto);
                st->in_str = false;
                *done = true;
                return i + (size_t)k + 1;
            }
            brackets &= brackets - 1;
        }
        *line += bits_set(nl);
        st->in_str = (in >> (len - 1)) & 1;
        i += len;
    }
    return i;
}
#endif

/* Byte by byte: d[i..n) until the piece ends (*done); returns where it
 * stopped. */
static size_t scan_bytes(gvt_cutter *c, const char *d, size_t i, size_t n,
                         cut_state *st, bool *done)
{
    while (i < n) {
        char ch;
        if (st->in_str) {
            if (st->esc) {
                st->esc = false;
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
                st->esc = true;
            else
                st->in_str = false; /* the closing quote */
            continue;
        }
        while (i < n && !special[(unsigned char)d[i]])
            i++;
        if (i == n)
            break;
        ch = d[i++];
        if (ch == '"') {
            st->in_str = true;
        } else if (ch == '{' || ch == '[') {
            st->depth++;
        } else if (ch == '}' || ch == ']') {
            if (--st->depth <= 0) {
                *done = true;
                break;
            }
        } else { /* a line break */
            c->line++;
            if (st->depth == 0) {
                *done = true; /* a bare scalar or garbage: its line */
                break;
            }
        }
    }
    return i;
}

/* d[i..n) until the piece ends (*done): by blocks inside a document, byte
 * by byte elsewhere (64 bytes at a time, then blocks again). */
static size_t scan(gvt_cutter *c, const char *d, size_t i, size_t n,
                   cut_state *st, bool *done)
{
    while (i < n && !*done) {
#if CUT_SIMD
        if (blocks_on && st->depth > 0 && !st->esc) {
            i = scan_blocks(d, i, n, st, &c->line, done);
            if (*done || i == n)
                break;
        }
#endif
        size_t stop = blocks_on && n - i > 64 ? i + 64 : n;
        i = scan_bytes(c, d, i, stop, st, done);
    }
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
    cut_state cs = {0, false, false};
    for (;;) {
        const char *d = c->chunk;
        bool done = false;
        size_t i = scan(c, d, c->pos, c->end, &cs, &done);
        gvt_buf_add(doc, d + c->pos, i - c->pos);
        c->pos = i;
        if (done) {
            hash_upto(c, i);
            return 1;
        }
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
