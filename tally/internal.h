/*
 * internal.h: what the modules of libgovtally share and nothing outside sees.
 *
 * Amounts: every voting power, weight and score is a GMP integer holding the
 * amount times 10^GVT_FX_DIGITS (fixed point, 36 fraction digits). Decimal
 * text converts into it exactly or not at all (fixed.c); results leave as
 * decimal strings truncated to 18 digits. The wide internal scale keeps
 * Snapshot's float-printed dust (e.g. 1.2345678901234567e-9) exact, and makes
 * the only rounded steps (square roots, per-ballot shares of weighted and
 * quadratic ballots, copeland's normalisation) err by less than 1e-36 each.
 */
#ifndef GVT_INTERNAL_H
#define GVT_INTERNAL_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "govtally.h"

/* ---- arena.c: one bump allocator per document ---------------------------- */
typedef struct gvt_arena gvt_arena;

gvt_arena *gvt_arena_new(void);
/* Never returns NULL: aborts on exhaustion of memory (see arena.c). */
void *gvt_arena_alloc(gvt_arena *a, size_t size);
/* The same aligned to 8 bytes only (limbs, text): less padding per block. */
void *gvt_arena_alloc8(gvt_arena *a, size_t size);
void *gvt_arena_calloc(gvt_arena *a, size_t n, size_t size);
char *gvt_arena_strndup(gvt_arena *a, const char *s, size_t n);
char *gvt_arena_strdup(gvt_arena *a, const char *s);
void gvt_arena_free(gvt_arena *a);
/* Moves every block of src into dst (src stays valid and empty). */
void gvt_arena_merge(gvt_arena *dst, gvt_arena *src);

/* xmalloc family: abort with a message on exhaustion. */
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
/* Appends s as a JSON string literal, quotes included. */
void gvt_buf_json_string(gvt_buf *b, const char *s);
/* Appends s with HTML special characters escaped. */
void gvt_buf_html(gvt_buf *b, const char *s);

/* ---- diag.c: filling gvt_error ------------------------------------------- */
void gvt_error_set(gvt_error *err, gvt_status code, const char *file,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- the ballot store (proposal.c) ----------------------------------------
 */

/*
 * A ballot's choice, decoded once and checked against the proposal's type.
 * idx lists 0-based choice indices:
 *   single-choice, basic  one index
 *   approval              the approved indices that Snapshot credits
 *                         (JSON numbers only: an element "2" is valid but
 *                         credited nowhere), ascending, without repeats
 *   ranked-choice,        the ranking, first preference first (n entries)
 *   copeland
 *   quadratic, weighted   the canonically keyed choices ("1".."n") in
 *                         ascending order, with their weights in w; total is
 *                         the sum of every value of the object, including
 *                         values under keys Snapshot never credits ("01").
 */
typedef struct gvt_choice {
    uint32_t n;
    uint32_t *idx;
    mpz_t *w;    /* quadratic and weighted only, else NULL */
    mpz_t total; /* quadratic and weighted only */
} gvt_choice;

typedef enum gvt_ballot_status {
    GVT_BALLOT_COUNTED = 0,
    GVT_BALLOT_DUPLICATE,
    GVT_BALLOT_INVALID_CHOICE
} gvt_ballot_status;

/* How a ballot's vote id is stored (gvt_ballot.id_kind). */
enum {
    GVT_ID_NONE = 0, /* no id: it reads as "" */
    GVT_ID_HEX,      /* canonical "0x" + 64 lower-case hex digits, held as
                        the 32 bytes they spell, right after the voter's NUL */
    GVT_ID_TEXT      /* any other id: its NUL-terminated text, right after
                        the voter's NUL */
};

/* Room for a vote id's text from gvt_ballot_id when it is canonical. */
#define GVT_BALLOT_ID_HEX_SIZE 67

/*
 * One vote. A million of them stand in memory together, so the struct is
 * packed (48 bytes) and the id lives behind the voter's text in the same
 * arena block: read it with gvt_ballot_id. Hand-built ballots (zeroed, then
 * filled) have no id.
 */
typedef struct gvt_ballot {
    const char *voter;  /* lower-case address (arena); the id follows its NUL
                           as id_kind says */
    int64_t created;    /* INT64_MIN when absent */
    gvt_choice *choice; /* NULL when the choice is invalid */
    mpz_t vp;           /* fixed point, >= 0 */
    uint32_t input;     /* position in the input, from 0 */
    uint8_t status;     /* gvt_ballot_status */
    uint8_t id_kind;    /* GVT_ID_NONE, GVT_ID_HEX or GVT_ID_TEXT */
} gvt_ballot;

/*
 * A ballot's vote id as text ("" when absent): a pointer into the arena, or
 * buf (GVT_BALLOT_ID_HEX_SIZE bytes) filled with a canonical id's text.
 */
const char *gvt_ballot_id(const gvt_ballot *b, char *buf);

struct gvt_proposal {
    gvt_arena *arena;
    const char *source; /* file name as given */
    const char *id;
    const char *space;
    gvt_type type;
    uint32_t n_choices;
    const char **choices;
    int64_t start, end; /* INT64_MIN when absent */
    uint32_t n_strategies;
    /* Ballots in input order. */
    gvt_ballot *ballots;
    size_t n_ballots;
    gvt_ballot_counts counts;
    /* Snapshot's scores_total: the vp of every non-duplicate ballot, valid
     * or not, except for copeland (valid only). */
    mpz_t scores_total;
    /* Set by the JSON reader (reader.c) on the proposals it hands out: every
     * ballot's vp and choice weights are read-only views of arena limbs
     * (_mp_alloc 0), so gvt_proposal_free need not visit the ballots. False
     * (gvt_proposal_new's default) means: check each one. */
    bool views_only;
};

/* Creates an empty proposal; the reader and the CSV import fill it. */
gvt_proposal *gvt_proposal_new(const char *source);

/*
 * Applies SPEC 1.1's rules after the ballots are in: marks all but the
 * greatest (created, id) per voter as duplicates, counts invalid choices and
 * computes scores_total. Called once by every reader.
 */
void gvt_proposal_finish(gvt_proposal *p);

/* ---- choice.c: a vote's choice, raw and decoded ----------------------------
 *
 * The reader captures a vote's "choice" value as a compact token list (the
 * raw form) and decodes it with the proposal's type: at once when the
 * proposal came first, otherwise when the document ends. Raw tokens are one
 * byte; GVT_RAW_NUMBER, GVT_RAW_STRING and GVT_RAW_KEY are followed by a
 * 4-byte length (host order) and the text (a number's original JSON text, a
 * string's decoded UTF-8 bytes).
 */
enum {
    GVT_RAW_NULL = 'n',
    GVT_RAW_TRUE = 't',
    GVT_RAW_FALSE = 'f',
    GVT_RAW_NUMBER = '#',
    GVT_RAW_STRING = 's',
    GVT_RAW_ARRAY = '[',
    GVT_RAW_ARRAY_END = ']',
    GVT_RAW_MAP = '{',
    GVT_RAW_MAP_END = '}',
    GVT_RAW_KEY = 'k'
};

/* Appends a token without text, or one with text, to a raw form. */
void gvt_choice_raw_token(gvt_buf *raw, char tok);
void gvt_choice_raw_text(gvt_buf *raw, char tok, const char *s, size_t len);

typedef enum gvt_choice_status {
    GVT_CHOICE_VALID = 0,
    GVT_CHOICE_INVALID,        /* isValidChoice refuses it: invalid-choice */
    GVT_CHOICE_UNREPRESENTABLE /* valid for Snapshot, but a weight cannot be
                                  held exactly (see gvt_fx_parse): data error */
} gvt_choice_status;

/*
 * The terms of quadratic and weighted for a ballot of weight w (fixed
 * point) and its k-th credited choice, with w_k its value and W the total of
 * its values: share = floor(w * w_k / W) (weighted's term) and radicand =
 * floor(w * w_k * 10^36 / W) (quadratic's term is its square root); either
 * may be NULL; t is scratch (share may be t itself when radicand is NULL).
 * Exact; by a machine-word division when w_k and W are small whole numbers
 * (the common case), else by GMP's.
 */
void gvt_choice_term(mpz_ptr share, mpz_ptr radicand, const gvt_choice *c,
                     uint32_t k, mpz_srcptr w, mpz_ptr t);

/*
 * Decodes a raw choice for a proposal of `type` with n_choices choices into
 * *out (allocated in arena; weights with GMP, freed by gvt_proposal_free).
 * *out is NULL unless the result is GVT_CHOICE_VALID. For single-choice and
 * basic, cache (n_choices entries, zeroed by the caller, or NULL) shares one
 * decoded choice per index between ballots. On GVT_CHOICE_UNREPRESENTABLE,
 * why receives a reason.
 */
gvt_choice_status gvt_choice_decode(gvt_arena *arena, gvt_type type,
                                    uint32_t n_choices,
                                    const unsigned char *raw, size_t len,
                                    gvt_choice **cache, gvt_choice **out,
                                    char *why, size_t why_size);

/*
 * JavaScript's Number(x) for the raw value at *p (advanced past it), as the
 * index check of spec/snapshot-scoring.md §0 applies it; NaN when the value
 * does not coerce. Exposed for the tests.
 */
double gvt_choice_js_number(const unsigned char **p, const unsigned char *end);

/* ---- reader.c ------------------------------------------------------------ */

/* gvt_proposal_read_stream over a buffer in memory (for the tests). */
gvt_status gvt_proposal_read_stream_mem(const char *name, const void *data,
                                        size_t size, gvt_proposal_fn fn,
                                        void *ctx, gvt_error *err);

/*
 * For the tests: where the reader looks for the boundary at which a single
 * document is split between two threads: -1 automatic (the middle of the
 * rest of a large input, with 2 or more cores), 0 never, > 0 from this byte
 * offset on, whatever the size. Not thread-safe; process-wide.
 */
void gvt_reader_split_for_tests(long long at);
/* How many split reads had their second half merged (for the tests). */
unsigned long gvt_reader_splits_merged(void);
/* For the tests: the reader's fast lane for plain votes on (default) or
 * off (YAJL's events only); not thread-safe, process-wide. And how many
 * votes the lane has committed so far. */
void gvt_reader_lane_for_tests(bool on);
unsigned long gvt_reader_lane_votes(void);

/* ---- rules.c: Snapshot's seven type rules ----------------------------------
 */

/*
 * One unit of a scheme: the ballot it votes with and its weight.
 */
typedef struct gvt_unit {
    const gvt_ballot *ballot;
    mpz_t w;
} gvt_unit;

/*
 * Spreads the units' weights over the choices by the rule of `type`
 * (spec/snapshot-scoring.md) into scores[0..n_choices-1] (initialised by
 * the caller), fixed point. The result does not depend on the order of
 * units.
 */
void gvt_rule_score(gvt_type type, uint32_t n_choices, const gvt_unit *units,
                    size_t n_units, mpz_t *scores);
/*
 * The same for a wallet scheme straight from p's counted ballots, each
 * weighing its vp (snapshot, token) or one (address, when one): the scores
 * of gvt_scheme_units + gvt_rule_score without the array of units.
 */
void gvt_rule_score_wallets(gvt_type type, const gvt_proposal *p, bool one,
                            mpz_t *scores);
/*
 * weighted's sums over p's counted ballots weighing vp or one (when one):
 * R into sums[0, n_choices) and V into sums[n_choices], all initialised by
 * the caller. gvt_rule_spread(n_choices, sums[n_choices], sums, scores)
 * then gives the rule's scores; analysis.c starts its states from them.
 */
void gvt_rule_wallet_sums(const gvt_proposal *p, bool one, mpz_t *sums);
/*
 * quadratic's scores for the wallets weighing vp (the snapshot scheme), and
 * in the same pass gvt_rule_wallet_sums(p, false, sums), whose per-ballot
 * terms share their division with quadratic's.
 */
void gvt_rule_quadratic_wallets(const gvt_proposal *p, mpz_t *scores,
                                mpz_t *sums);

/*
 * The pieces of the rules that the whale analysis (analysis.c) reuses to
 * remove ballots one at a time with exactly the rules' arithmetic.
 *
 * Rankings merged: one group per distinct ranking of the units (ranked-choice
 * and copeland), with the sum of the weights and the number of units; the
 * ranking is borrowed from the ballot. group_of (n_units entries, or NULL)
 * receives each unit's group, UINT32_MAX for a unit without a choice.
 */
typedef struct gvt_rank_group {
    const uint32_t *idx;
    uint32_t n;
    size_t count; /* units in the group; 0 = absent from the rounds */
    mpz_t w;
} gvt_rank_group;

size_t gvt_rank_groups_build(const gvt_unit *units, size_t n_units,
                             gvt_rank_group **out, uint32_t *group_of);
/* The same one ranking at a time: init with the expected number of
 * rankings, add each (returns its group), done hands the groups over. */
typedef struct gvt_rank_index {
    uint32_t *slot;
    size_t cap;
    gvt_rank_group *g;
    size_t ng, room;
} gvt_rank_index;
void gvt_rank_index_init(gvt_rank_index *x, size_t n_hint);
uint32_t gvt_rank_index_add(gvt_rank_index *x, const gvt_choice *c,
                            const mpz_t w);
size_t gvt_rank_index_done(gvt_rank_index *x, gvt_rank_group **out);
void gvt_rank_groups_free(gvt_rank_group *g, size_t n);
/*
 * ranked-choice or copeland (type) for the wallets weighing vp: the scores,
 * and the ranking groups of the counted ballots (returns how many; the
 * caller frees them with gvt_rank_groups_free) with each ballot's group in
 * group_of (n_ballots entries, UINT32_MAX for none), which analysis.c
 * reuses. scores initialised by the caller.
 */
size_t gvt_rule_score_grouped_wallets(gvt_type type, const gvt_proposal *p,
                                      mpz_t *scores, gvt_rank_group **groups,
                                      uint32_t *group_of);
/* Instant runoff on groups: the last round's tallies into scores. */
void gvt_rule_runoff(uint32_t n_choices, const gvt_rank_group *g, size_t ng,
                     mpz_t *scores);
/*
 * copeland's additive state for n choices: d the upper triangle of the
 * pairwise margins (n (n - 1) / 2 entries, row by row), support[n]; the
 * caller keeps the total weight. gvt_copeland_add adds (sign +1) or removes
 * (-1) one ranking of weight w; gvt_copeland_scores turns the state into
 * the rule's scores.
 */
void gvt_copeland_add(uint32_t n, mpz_t *d, mpz_t *support, const uint32_t *idx,
                      uint32_t len, const mpz_t w, int sign);
void gvt_copeland_scores(uint32_t n, mpz_t *const d, mpz_t *const support,
                         const mpz_t w_total, mpz_t *scores);
/* quadratic and weighted's last step: scores[i] = floor(v * x[i] / sum(x)),
 * all 0 when sum(x) = 0. */
void gvt_rule_spread(uint32_t n_choices, const mpz_t v, mpz_t *const x,
                     mpz_t *scores);

/*
 * Two threads for the per-ballot passes of large tallies (rules.c's sums,
 * shares and ranking groups, analysis.c's states, sort and scan). Every
 * split pass adds exact integers or builds a total order, so the result is
 * the same on one thread or two. gvt_par_worth(n): whether a pass over n
 * ballots or units should split (n >= GVT_PAR_MIN_UNITS and at least two online
 * CPUs; small proposals stay on one thread). gvt_par_force_for_tests: -1
 * decides by size (default), 0 never splits, 1 splits every pass of 2 or more
 * (tests only; not thread-safe).
 */
#define GVT_PAR_MIN_UNITS 65536
bool gvt_par_worth(size_t n);
void gvt_par_force_for_tests(int mode);
/*
 * Runs fn(arg0, 0, mid) and, on a second thread, fn(arg1, mid, n) when
 * gvt_par_worth(n) and the thread starts; returns true then (the caller
 * merges arg1's results into arg0's). Otherwise runs fn(arg0, 0, n) and
 * returns false. mid = n / 2.
 */
bool gvt_par_run(size_t n, void (*fn)(void *arg, size_t lo, size_t hi),
                 void *arg0, void *arg1);

/* ---- attestation.c, trust.c (crypto/): parsed identity inputs --------------
 */

/* Weights of SPEC 1.3/1.4 ("1", "0.5", ...) in millionths: exact, 0..10^6. */
#define GVT_WEIGHT_ONE 1000000u

/* One attestation, canonical and compact (SPEC 1.3). */
typedef struct gvt_attestation {
    uint8_t issuer[32];
    uint8_t nullifier[32];
    uint8_t sig[64];
    uint8_t id[32];      /* BLAKE2b-256 of the canonical message */
    const char *subject; /* lower-case address (arena) */
    const char *scope;   /* "*" or a space id (arena) */
    int64_t issued_at;
    int64_t expires_at; /* 0 = none */
    uint32_t weight;    /* millionths */
    uint32_t line;      /* 1-based line of the object in its file */
} gvt_attestation;

struct gvt_attestations {
    gvt_arena *arena;
    gvt_attestation *items; /* input order */
    size_t n;
};

/* One issuer of the trust file (SPEC 1.4). */
typedef struct gvt_issuer {
    uint8_t key[32];
    bool key_ok; /* crypto_core_ed25519_is_valid_point accepts the key */
    const char *name;
    uint32_t weight;                 /* millionths */
    int64_t valid_from, valid_until; /* 0 = unbounded */
    uint8_t (*revoked)[32];          /* attestation ids, sorted */
    size_t n_revoked;
    uint8_t (*revoked_nullifiers)[32]; /* sorted */
    size_t n_revoked_nullifiers;
} gvt_issuer;

struct gvt_trust {
    gvt_arena *arena;
    gvt_issuer *issuers; /* sorted by key, keys distinct */
    size_t n;
};

/* A canonical weight (SPEC 1.3) into millionths; false if not canonical. */
bool gvt_weight_parse(const char *s, size_t len, uint32_t *out);
/* Unix seconds (SPEC 1.3): "0" or digits without sign, leading zero,
 * fraction or exponent, at most INT64_MAX; false otherwise. */
bool gvt_unix_time_parse(const char *s, size_t len, int64_t *out);
/* The canonical text of a weight in millionths (room for 9 chars). */
void gvt_weight_format(uint32_t w, char out[16]);
/* SPEC 1.3: "*" or 1..128 characters of A-Za-z0-9._:- */
bool gvt_scope_valid(const char *s, size_t len);
/*
 * The canonical message of SPEC 1.3 into buf (room for GVT_ATTEST_MSG_MAX);
 * returns its length.
 */
#define GVT_ATTEST_MSG_MAX 640
size_t gvt_attestation_message(const gvt_attestation *a, char *buf);
/* libsodium's initialisation, once per process (thread-safe); 0 or -1. */
int gvt_sodium_init(void);
/* The same as a status: GVT_ERR_INTERNAL "libsodium failed to start" (in
 * file, which may be NULL) when it fails. */
gvt_status gvt_sodium_start(const char *file, gvt_error *err);
/*
 * The one signature check of SPEC 1.3: key and R must be valid points
 * (crypto_core_ed25519_is_valid_point), then crypto_sign_verify_detached.
 */
bool gvt_ed25519_verify(const uint8_t key[32], const uint8_t sig[64],
                        const uint8_t *msg, size_t len);
/* Fills err's line and column (1-based) from a byte offset into text. */
void gvt_crypto_locate(gvt_error *err, const char *text, size_t offset);
/*
 * The strict small-JSON reading shared by attestation.c and trust.c (both
 * drive yajl's event parser with their own callbacks).
 *
 * gvt_crypto_yajl_run feeds text[0, len) to h and completes the parse. On
 * failure it writes "invalid JSON: " and the first line of yajl's message to
 * msg and the byte offset of the error in text to *offset, and returns false
 * (callers ignore these when a callback of theirs refused the input).
 */
struct yajl_handle_t;
bool gvt_crypto_yajl_run(struct yajl_handle_t *h, const char *text, size_t len,
                         char *msg, size_t size, size_t *offset);
/*
 * The keys met in one JSON object: known ones as bits of `seen` (index in
 * the caller's names[]), unknown ones by name (they are ignored, but a
 * duplicate is still an error). Zero-initialise; clear to reuse or free.
 */
typedef struct gvt_crypto_keys {
    unsigned seen;
    char **unknown;
    size_t n_unknown;
} gvt_crypto_keys;
/* Returns the index of s in names[0, count) or -1 when unknown; *dup is true
 * when the object already had this key. */
int gvt_crypto_key(gvt_crypto_keys *k, const char *const *names, int count,
                   const char *s, size_t len, bool *dup);
void gvt_crypto_keys_clear(gvt_crypto_keys *k);
/* gvt_attestations_read_file from memory (text NUL-terminated). */
gvt_status gvt_attestations_read_mem(const char *name, const char *text,
                                     size_t len, gvt_attestations **out,
                                     gvt_error *err);
/* gvt_trust_read_file from memory (text NUL-terminated). */
gvt_status gvt_trust_read_mem(const char *name, const char *text, size_t len,
                              gvt_trust **out, gvt_error *err);
/* The issuer with this key, or NULL. */
const gvt_issuer *gvt_trust_find(const gvt_trust *t, const uint8_t key[32]);

/* ---- identity.c (crypto/): attestations judged against one proposal --------
 */

/* One human (SPEC 1.6): a connected component of wallets linked through
 * shared (issuer, nullifier) pairs of valid attestations. */
typedef struct gvt_human {
    const gvt_ballot *ballot; /* counted ballot of the wallet that voted last */
    mpz_t weight;             /* personhood weight, fixed point in [0, 1] */
    mpz_t vp;                 /* sum of the vp of its wallets that voted */
    size_t n_wallets;
} gvt_human;

typedef struct gvt_identity {
    size_t read;                            /* attestations read */
    size_t counts[GVT_ATTEST_REASON_COUNT]; /* [GVT_ATTEST_VALID] = valid */
    gvt_human *humans;                      /* sorted by ballot voter */
    size_t n_humans;
    size_t verified_wallets;   /* voting wallets with a valid attestation */
    size_t unverified_wallets; /* voting wallets without one */
} gvt_identity;

/*
 * Judges every attestation against the proposal's counted ballots (SPEC 1.5)
 * and merges wallets into humans (SPEC 1.6). Signatures are checked on
 * `threads` threads (0 = one per core) with the same result as one thread.
 */
gvt_status gvt_identity_build(const gvt_proposal *p, const gvt_attestations *a,
                              const gvt_trust *t, unsigned threads,
                              gvt_identity **out, gvt_error *err);
/* The same, reporting the signature checks to progress (may be NULL). */
gvt_status gvt_identity_build_progress(const gvt_proposal *p,
                                       const gvt_attestations *a,
                                       const gvt_trust *t, unsigned threads,
                                       gvt_progress_fn progress,
                                       void *progress_ctx, gvt_identity **out,
                                       gvt_error *err);
void gvt_identity_free(gvt_identity *id);

/* ---- schemes.c: a weight per unit (SPEC 2) ----------------------------------
 */

/*
 * The units of scheme s with their weights: one per counted ballot for the
 * wallet schemes, one per human for the personhood schemes (id must then be
 * non-NULL). cap is the capped-personhood cap, fixed point. The caller frees
 * with gvt_units_free.
 */
gvt_unit *gvt_scheme_units(const gvt_proposal *p, const gvt_identity *id,
                           gvt_scheme s, const mpz_t cap, size_t *out_n);
void gvt_units_free(gvt_unit *units, size_t n);

/* The rule that spreads scheme s's weights for proposal type t: Snapshot's
 * own rule, except that schemes other than snapshot spread a quadratic
 * proposal by the weighted rule. */
gvt_type gvt_scheme_rule(gvt_scheme s, gvt_type t);

/*
 * Winners from scores (SPEC 2): the 1-based choices with the greatest score,
 * several on a tie, none when every score is zero; for basic, only For (1)
 * or Against (2) can win. Writes them to winners (room for n_choices) and
 * returns how many.
 */
size_t gvt_winners(gvt_type t, uint32_t n_choices, mpz_t *const scores,
                   uint32_t *winners);

/* ---- the result (tally.c, analysis.c, report_*.c) ---------------------------
 */
typedef struct gvt_scheme_result {
    gvt_scheme id;
    mpz_t *scores; /* n_choices, fixed point */
    mpz_t total;   /* snapshot: Snapshot's scores_total; others: sum of w */
    uint32_t *winners;
    size_t n_winners;
} gvt_scheme_result;

typedef struct gvt_whales {
    size_t voters;
    size_t nakamoto;  /* 0 when no ballot has vp */
    mpz_t top1_share; /* fixed point ratios */
    mpz_t top10_share;
    mpz_t gini;
    mpz_t hhi; /* fixed point, scale 0..10000 */
    bool single_voter_dominates;
    long decisive_k; /* -1 = null */
    uint32_t flips;  /* bit (1 << scheme) per flipped scheme */
    bool whale_veto;
    /* Beyond the contract: Banzhaf index of the largest voters (issue 4). */
    size_t n_banzhaf;
    mpz_t *banzhaf; /* fixed point, one per voter in vp order */
} gvt_whales;

struct gvt_result {
    const gvt_proposal *p; /* borrowed */
    gvt_scheme_result schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    gvt_identity *identity; /* owned; NULL without attestations */
    mpz_t cap;
    gvt_whales whales;
    /* tally.c -> analysis.c: the state of the token scheme's rule over the
     * counted ballots weighing vp ([0]) or one ([1]), once a wallet scheme
     * has computed it (n_choices + 1 each), else NULL: weighted's
     * gvt_rule_wallet_sums, or the scores of single-choice, basic and
     * approval (entry n_choices unused). Freed by gvt_result_free. */
    mpz_t *wallet_sums[2];
    /* The same for ranked-choice and copeland weighing vp: the ranking
     * groups (wallet_ng) and each ballot's group (wallet_group_of, one per
     * ballot of p), from gvt_rule_score_grouped_wallets, or NULL. */
    gvt_rank_group *wallet_groups;
    size_t wallet_ng;
    uint32_t *wallet_group_of;
};

/* analysis.c: fills r->whales from r (schemes already scored). */
void gvt_analysis_run(gvt_result *r);
/*
 * analysis.c: the token winners (ascending, into winners, room for
 * n_choices) once the decisive_k largest supporters of the token winner are
 * removed; 0 when decisive_k is null. One full re-tally: for reports.
 */
size_t gvt_analysis_decisive_winners(const gvt_result *r, uint32_t *winners);
/* analysis.c: the winners of scheme s over the whole proposal (ascending,
 * room for n_choices), tallied here when s is not among r->schemes. */
size_t gvt_analysis_scheme_winners(const gvt_result *r, gvt_scheme s,
                                   uint32_t *winners);
/* report_text.c: the verdict of SPEC 4.1 in plain sentences (labels raw,
 * unescaped), shared by the text and HTML reports: the headline (who
 * decided) into head, the whale veto and the flips into more (may stay
 * empty). */
void gvt_report_verdict(const gvt_result *r, gvt_buf *head, gvt_buf *more);

/* report_*.c: each appends the whole report to b. */
void gvt_report_json(const gvt_result *r, gvt_buf *b);
/* The "ballots" object of the result (read, counted, rejected by reason),
 * shared with the replay rows. */
void gvt_report_json_ballots(const gvt_proposal *p, gvt_buf *b);
void gvt_report_text(const gvt_result *r, int color, gvt_buf *b);
void gvt_report_csv(const gvt_result *r, gvt_buf *b);
void gvt_report_html(const gvt_result *r, gvt_buf *b);

/* ---- import.c, replay.c: vote histories (SPEC 1.2, 4.3) -------------------
 */

/*
 * Imports a CSV file into exports of SPEC 1.1, one per proposal in order of
 * first appearance: *out_docs[i] holds one JSON document and a newline. The
 * caller frees each buffer (gvt_buf_free) and the array (free).
 */
gvt_status gvt_import_docs(const char *path, const gvt_import_options *opt,
                           gvt_buf **out_docs, size_t *out_n,
                           gvt_import_stats *out_stats, gvt_error *err);

/* ---- hex.c: hex digits, bytes and 0x addresses ----------------------------
 */

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

/* ---- util.c: small shared mechanisms ------------------------------------ */

/*
 * Reads a whole input ("-" = standard input) into a malloc'd buffer with a
 * NUL after its end. GVT_ERR_NOINPUT "cannot open: <reason>" when it cannot
 * be opened; "cannot read" when a read fails, with ": <reason>" added when
 * read_reason.
 */
gvt_status gvt_file_read(const char *path, bool read_reason, char **out,
                         size_t *out_len, gvt_error *err);

/* A 64-bit hash of len bytes, eight at a time (hash tables of voters and
 * raw choices; not for anything an adversary could exploit beyond time). */
uint64_t gvt_hash_bytes(const void *data, size_t len);

/* Whether choice (1-based) is among the scheme's winners (the reports). */
bool gvt_scheme_won(const gvt_scheme_result *s, uint32_t choice);

/*
 * Figures shown to people (the text and HTML reports) are rounded half up,
 * so that a 0.72 share reads 72.00% and not 71.99%; the JSON and CSV reports
 * keep SPEC 4.1's exact decimals truncated toward zero.
 *   gvt_display_scaled: round(part * scale / total), 0 when total <= 0.
 *   gvt_display_append: v (fixed point, >= 0) rounded to `digits` decimals,
 *                       written like gvt_fx_append.
 */
unsigned long gvt_display_scaled(const mpz_t part, const mpz_t total,
                                 unsigned long scale);
void gvt_display_append(gvt_buf *b, const mpz_t v, int digits);

#endif /* GVT_INTERNAL_H */
