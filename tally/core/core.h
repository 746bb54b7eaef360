/*
 * core.h: the ground every module of libgovtally stands on. Nothing here knows
 * about proposals, ballots or schemes.
 *
 *   arena.c    one bump allocator per document; the xmalloc family
 *   fixed.c    exact decimal text <-> fixed point (docs/numbers.md)
 *   buf.c      a growing byte buffer, JSON and HTML string output
 *   diag.c     filling a gvt_error
 *   hex.c      hex digits, bytes and 0x addresses
 *   time.c     integers and times as tables and people write them
 *   file.c     reading a whole input file
 *   safe.c     input text made safe to show
 *   hash.c     the one byte hash of the hash tables
 *   workers.c  how many threads, and the one parallel runner
 *   version.c  gvt_version (from the generated govtally_version.h)
 *   digest.c   SHA-256 of the inputs as they are read; the inputs' records
 *   canon.c    the canonical form of a JSON document, for its digest
 *
 * Amounts: every voting power, weight and score is a GMP integer holding the
 * amount times 10^GVT_FX_DIGITS (fixed point, 36 fraction digits). Decimal
 * text converts into it exactly or not at all (fixed.c); results leave as
 * decimal strings truncated to 18 digits. The wide internal scale keeps
 * Snapshot's float-printed dust (e.g. 1.2345678901234567e-9) exact, and makes
 * the only rounded steps (square roots, per-ballot shares of weighted and
 * quadratic ballots, copeland's normalisation) err by less than 1e-36 each.
 */
#ifndef GVT_CORE_H
#define GVT_CORE_H

#include <gmp.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_common.h>

#include "core/limits.h"
#include "govtally.h"

/* ---- arena.c: one bump allocator per document ---------------------------- */
typedef struct gvt_arena gvt_arena;

gvt_arena *gvt_arena_new(void);
/* Never returns NULL (see arena.c for exhaustion). */
void *gvt_arena_alloc(gvt_arena *a, size_t size);
/* The same aligned to 8 bytes only (limbs, text): less padding per block. */
void *gvt_arena_alloc8(gvt_arena *a, size_t size);
void *gvt_arena_calloc(gvt_arena *a, size_t n, size_t size);
char *gvt_arena_strndup(gvt_arena *a, const char *s, size_t n);
char *gvt_arena_strdup(gvt_arena *a, const char *s);
void gvt_arena_free(gvt_arena *a);
/* Moves every block of src into dst (src stays valid and empty). */
void gvt_arena_merge(gvt_arena *dst, gvt_arena *src);

/* xmalloc family: never NULL; on exhaustion they call gvt_out_of_memory,
 * which does not return (arena.c, govtally.h gvt_set_out_of_memory). */
void gvt_out_of_memory(size_t size);
/* Allocation functions for yajl_alloc that go through the xmalloc family. */
yajl_alloc_funcs *gvt_yajl_alloc_funcs(void);
/* Whether the calling thread keeps small GMP blocks for reuse (arena.c;
 * off until asked): for small proposals, each of which makes and drops a
 * hundred. Off again, what it kept goes back to malloc: kept blocks stay
 * scattered through the memory a large proposal frees and keep its later
 * large allocations out of it (15 MiB more peak memory on a 1M-vote run). */
void gvt_gmp_cache_use(bool on);
void *gvt_xmalloc(size_t size);
void *gvt_xcalloc(size_t n, size_t size);
void *gvt_xrealloc(void *p, size_t size);
char *gvt_xstrdup(const char *s);

/* ---- fixed.c: exact decimal <-> fixed point ------------------------------ */
#define GVT_FX_DIGITS 36
#define GVT_OUT_DIGITS 18

/* Limits applied before any big-number work (see docs/numbers.md). */
#define GVT_FX_MAX_TEXT 128      /* characters of a number's text */
#define GVT_FX_MAX_INT_DIGITS 60 /* digits before the point, after exponent */

typedef enum gvt_fx_status {
    GVT_FX_OK = 0,
    GVT_FX_SYNTAX,     /* not a decimal number */
    GVT_FX_NEGATIVE,   /* below zero where that is not allowed */
    GVT_FX_TOO_LARGE,  /* more integer digits than GVT_FX_MAX_INT_DIGITS */
    GVT_FX_TOO_PRECISE /* a non-zero digit beyond GVT_FX_DIGITS fraction digits
                        */
} gvt_fx_status;

/* One-line English reason for a status. */
const char *gvt_fx_status_text(gvt_fx_status s);

/*
 * Converts the text of a JSON number (or a plain decimal such as "0.5",
 * "1.2e-7", "43.0") into out = value * 10^36, exactly. Negative values are
 * refused unless allow_negative. out must be initialised.
 */
gvt_fx_status gvt_fx_parse(mpz_t out, const char *text, size_t len,
                           bool allow_negative);
/*
 * The common form of a number in one pass, as a prefix of text (avail
 * bytes): digits, optionally '.' and digits, no sign or exponent, at most 19
 * significant and GVT_FX_DIGITS fraction digits. Sets out and returns the
 * prefix's length; 0 (out untouched) when text does not start so. The
 * caller checks what follows (an exponent would continue the number).
 */
size_t gvt_fx_scan_plain(mpz_t out, const char *text, size_t avail);

/* The scale 10^36 (read-only, initialised on first use, thread-safe). */
const mpz_t *gvt_fx_one(void);

/*
 * Writes v (scaled by 10^36) as a decimal with at most `digits` fraction
 * digits, truncated toward zero, without trailing zeros or exponent. Returns
 * a malloc'd string.
 */
char *gvt_fx_to_string(const mpz_t v, int digits);

/* Appends the same text to a growing buffer (see gvt_buf below). */
struct gvt_buf;
void gvt_fx_append(struct gvt_buf *b, const mpz_t v, int digits);

/* out = floor(sqrt(v)) at scale: floor(sqrt(v * 10^36)). v >= 0. */
void gvt_fx_sqrt(mpz_t out, const mpz_t v);

/* out = floor(a * 10^36 / b) (a ratio as a fixed-point number); b > 0. */
void gvt_fx_ratio(mpz_t out, const mpz_t a, const mpz_t b);

/*
 * round(part * scale / total), halves up, exactly; 0 when total <= 0 (and
 * scale when the quotient does not fit, which part <= total rules out).
 */
unsigned long gvt_fx_round_scaled(const mpz_t part, const mpz_t total,
                                  unsigned long scale);

/* out = floor(a * b / 10^36) (product of two fixed-point numbers). */
void gvt_fx_mul(mpz_t out, const mpz_t a, const mpz_t b);

/* ---- buf.c: growing byte buffer and JSON string output --------------------
 */
typedef struct gvt_buf {
    char *data;
    size_t len;
    size_t cap;
} gvt_buf;

void gvt_buf_init(gvt_buf *b);
void gvt_buf_free(gvt_buf *b);
/* Room for extra more bytes and the NUL after them. */
void gvt_buf_reserve(gvt_buf *b, size_t extra);
/* Grows the buffer by n bytes (NUL after them) and returns where they
 * start, for the caller to fill: one call for several small pieces (the
 * raw choices of a million ballots). */
static inline char *gvt_buf_extend(gvt_buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap)
        gvt_buf_reserve(b, n);
    char *at = b->data + b->len;
    b->len += n;
    b->data[b->len] = '\0';
    return at;
}
void gvt_buf_add(gvt_buf *b, const void *data, size_t len);
void gvt_buf_puts(gvt_buf *b, const char *s);
void gvt_buf_putc(gvt_buf *b, char c);
void gvt_buf_printf(gvt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s[0..len) as a JSON string literal, quotes included: '"', '\\'
 * and control characters escaped (\n \r \t, else \u00XX), every other
 * byte as it is. */
void gvt_buf_json_text(gvt_buf *b, const char *s, size_t len);
/* gvt_buf_json_text of a NUL-terminated s. */
void gvt_buf_json_string(gvt_buf *b, const char *s);
/* Appends s with HTML special characters escaped. */
void gvt_buf_html(gvt_buf *b, const char *s);

/* ---- diag.c: filling gvt_error ------------------------------------------- */
void gvt_error_set(gvt_error *err, gvt_status code, const char *file,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- hex.c: hex digits, bytes and 0x addresses ------------------------- */

/* The value of a hex digit (either case), -1 for any other character. */
int gvt_hex_digit(char c);
/* Hex of n bytes (2n characters, either case) into out; false if malformed. */
bool gvt_hex_decode(uint8_t *out, const char *hex, size_t hex_len, size_t n);
/* Lower-case hex of n bytes and a terminating NUL into out (2n + 1 chars). */
void gvt_hex_encode(char *out, const uint8_t *in, size_t n);
/* 0x (or 0X) + 40 or 64 hex digits, either case. */
bool gvt_address_valid(const char *s, size_t len);
/* gvt_address_valid, writing the address lower-case to out (len + 1). */
bool gvt_address_lower(const char *s, size_t len, char *out);

/* ---- time.c: integers and times as tables write them ------------------- */

/* An integer written as digits, optionally followed by a point and zeros
 * ("43.0" is 43: pandas writes integer columns that held a gap as floats).
 * Writes the digits without leading zeros to out (cap bytes with the NUL);
 * false when the text is anything else or does not fit. */
bool gvt_int_text(const char *s, char *out, size_t cap);
/* Unix seconds or ISO 8601 (UTC when no zone) into unix seconds; false when
 * the text is neither (see time.c for the forms). */
bool gvt_time_text(const char *s, int64_t *out);
/* Unix seconds t appended to b as a UTC time, "2023-11-14 22:13:20 UTC"
 * (seconds true) or "2023-11-14 22:13" (for a page that says UTC once),
 * or as the integer when the platform cannot represent it. */
void gvt_time_put(gvt_buf *b, long long t, bool seconds);

/* ---- file.c: a whole input ------------------------------------------- */

/* Opens an input to read ("-" = standard input); NULL with GVT_ERR_NOINPUT
 * "cannot open: <reason>" in err when it cannot. */
FILE *gvt_file_open(const char *path, gvt_error *err);
/* Closes what gvt_file_open opened (standard input stays open). */
void gvt_file_close(FILE *f);

/*
 * Reads a whole input ("-" = standard input) into a malloc'd buffer with a
 * NUL after its end. GVT_ERR_NOINPUT "cannot open: <reason>" when it cannot
 * be opened; "cannot read" when a read fails, with ": <reason>" added when
 * read_reason. GVT_ERR_DATA when it holds more than limit bytes (limits.h),
 * found before reading a regular file, after limit + 1 bytes of any other.
 */
gvt_status gvt_file_read(const char *path, bool read_reason, size_t limit,
                         char **out, size_t *out_len, gvt_error *err);
/* A byte count as people read it ("1 MiB", "4 GiB", "300 bytes"). */
void gvt_size_text(size_t n, char *buf, size_t room);

/* ---- safe.c: input text made safe to show ------------------------------- */

/*
 * Appends n bytes of text with every byte under 0x20, DEL, bidi control
 * (U+202A..U+202E, U+2066..U+2069) and invalid UTF-8 byte escaped (\xHH,
 * \u202E); the rest as it is.
 */
void gvt_buf_safe(gvt_buf *b, const char *text, size_t n);
/* The same for a NUL-terminated string into buf (room bytes, cut with
 * "..." when longer). Returns buf. */
const char *gvt_text_safe(const char *s, char *buf, size_t room);

/* ---- hash.c ----------------------------------------------------------- */

/* A 64-bit hash of len bytes, eight at a time (hash tables of voters and
 * raw choices; not for anything an adversary could exploit beyond time). */
uint64_t gvt_hash_bytes(const void *data, size_t len);

/* ---- workers.c: threads ---------------------------------------------- */

/*
 * Every thread of the library is started here, for a pass that was given
 * the caller's thread count (`threads`, as in the public options: 0 = one
 * per online CPU, 1 = the calling thread alone, n = at most n at once, the
 * calling one included). No pass starts a thread otherwise.
 *
 * gvt_workers_count(asked, items): threads for `items` independent shares of
 * work: asked (0: the online CPUs), at most items (at least 1) and
 * GVT_WORKERS_MAX.
 */
#define GVT_WORKERS_MAX 256
unsigned gvt_workers_count(unsigned asked, size_t items);

/*
 * One helper thread running fn(arg) beside the caller's own work:
 * gvt_worker_start starts it when `threads` allows a second thread and
 * returns true; false means nothing runs (the caller does the work itself).
 * gvt_worker_join waits for a started one (nothing otherwise).
 */
typedef struct gvt_worker {
    pthread_t id;
    bool started;
    void (*fn)(void *arg);
    void *arg;
} gvt_worker;
bool gvt_worker_start(gvt_worker *w, unsigned threads, void (*fn)(void *),
                      void *arg);
void gvt_worker_join(gvt_worker *w);

/*
 * The parallel runner: fn(arg, k) for k = 0 .. n - 1, every k >= 1 on a
 * thread of its own (n from gvt_workers_count), k = 0 on the calling
 * thread, all joined before it returns. A k whose thread cannot start runs
 * on the calling thread after k = 0: each k runs exactly once.
 */
void gvt_workers_run(unsigned n, void (*fn)(void *arg, unsigned k), void *arg);

/*
 * Two halves of a per-ballot pass of a large tally (rules.c's sums, shares
 * and ranking groups, the analysis's states, sort and scan).
 * gvt_par_worth(threads, n): whether a pass over n ballots or units should
 * split: threads allows two, and n >= GVT_PAR_MIN_UNITS (small proposals
 * stay on one thread). gvt_par_force_for_tests: -1 decides by size
 * (default), 0 never splits, 1 splits every pass of 2 or more that the
 * thread count allows (tests only; not thread-safe).
 * gvt_par_run runs fn(arg0, 0, mid) and fn(arg1, mid, n), mid = n / 2, on
 * two threads, and returns true (the caller merges arg1's results into
 * arg0's) when gvt_par_worth; otherwise fn(arg0, 0, n) and false.
 */
#define GVT_PAR_MIN_UNITS 65536
bool gvt_par_worth(unsigned threads, size_t n);
void gvt_par_force_for_tests(int mode);
bool gvt_par_run(unsigned threads, size_t n,
                 void (*fn)(void *arg, size_t lo, size_t hi), void *arg0,
                 void *arg1);

/* ---- digest.c: what was read, and its SHA-256 (docs/audit.md) ---------- */

/* SHA-256 of bytes fed as they are read, and their count. */
typedef struct gvt_digest {
    struct sha256_ctx ctx;
    unsigned long long size;
} gvt_digest;

void gvt_digest_init(gvt_digest *d);
void gvt_digest_add(gvt_digest *d, const void *data, size_t n);
/* Ends the digest: 64 lower-case hex digits and a NUL into hex. */
void gvt_digest_hex(gvt_digest *d, char hex[65]);
/* Feeds bytes [0, size) of the open file fd (pread: its offset is left
 * alone); false with errno set when they cannot all be read, or when
 * *cancel (may be NULL) turns non-zero (errno ECANCELED). */
bool gvt_digest_fd(gvt_digest *d, int fd, unsigned long long size,
                   const atomic_int *cancel);
/* SHA-256 of n bytes as hex (64 digits and a NUL). */
void gvt_sha256_hex(const void *data, size_t n, char hex[65]);

/*
 * One input of a result or a replay (docs/audit.md#the-audit-object): its
 * role ("export", "attestations", "issuers", "proposals"; static text), its
 * name as given ("-": standard input), and, when it was read to its end,
 * its size in bytes and SHA-256. gvt_inputs is a list of them that owns
 * the names.
 */
typedef struct gvt_input {
    const char *role;
    char *name;
    bool complete; /* read to its end: size and sha256 hold */
    unsigned long long size;
    char sha256[65];
} gvt_input;

typedef struct gvt_inputs {
    gvt_input *v;
    size_t n, cap;
} gvt_inputs;

/* Adds an input whose bytes d counted (ended here); d NULL: an input not
 * read to its end. Returns the new entry. */
gvt_input *gvt_inputs_add(gvt_inputs *l, const char *role, const char *name,
                          gvt_digest *d);
/* Appends copies of src's entries to dst. */
void gvt_inputs_copy(gvt_inputs *dst, const gvt_inputs *src);
void gvt_inputs_free(gvt_inputs *l);

/* ---- canon.c: a JSON document's canonical form (docs/audit.md) ---------- */

/*
 * The canonical form of a result or replay summary, for its digest: the
 * document without whitespace between tokens, members in their order,
 * strings escaped as Python's json.dumps(ensure_ascii=False) escapes them,
 * numbers as written, and without the member result_sha256 of the
 * top-level member audit. Fed in pieces of any size; the form goes to sink
 * in pieces. gvt_canon_end checks the document is complete; both return
 * false for text that is not one JSON document (msg says why).
 */
typedef void (*gvt_canon_sink)(void *ctx, const void *data, size_t n);
typedef struct gvt_canon gvt_canon;
gvt_canon *gvt_canon_new(gvt_canon_sink sink, void *ctx);
bool gvt_canon_feed(gvt_canon *c, const void *data, size_t n);
bool gvt_canon_end(gvt_canon *c);
/* Why the text was refused ("" when it was not). */
const char *gvt_canon_error(const gvt_canon *c);
void gvt_canon_free(gvt_canon *c);
/* The digest of a whole document: SHA-256 of its canonical form as hex;
 * false when it is not one JSON document. */
bool gvt_canon_sha256(const void *doc, size_t n, char hex[65]);

#endif /* GVT_CORE_H */
