/*
 * govtally.h: the public interface of libgovtally.
 *
 * govtally tallies a governance proposal (a Snapshot export, or on-chain
 * Governor votes imported from CSV) exactly, under Snapshot's own rules and
 * under token, headcount, quadratic and proof-of-personhood schemes, and
 * measures how concentrated the deciding voting power was.
 *
 * Read this header as the manual. Sections:
 *   1. Status codes and diagnostics
 *   2. Proposals (reading a Snapshot export)
 *   3. Identity (attestations and issuer trust)
 *   4. Tallies (schemes, whale analysis, reports)
 *   5. Fixtures (`govtally check`)
 *   6. Import and replay of vote histories
 *   7. Fetching votes from the Snapshot hub
 *   8. The audit record (`govtally verify`)
 *
 * Conventions, true of every function below:
 *   - A fallible function returns a gvt_status; GVT_OK is 0. Its result
 *     pointers (named out_*) are set on success and set to NULL on failure.
 *   - On failure the gvt_error the caller passed (it may be NULL) says what
 *     went wrong and where. Nothing in it needs freeing.
 *   - Whoever creates an object frees it: every _read/_new/_run has one
 *     _free that accepts NULL. Pointers returned by accessors are borrowed:
 *     they live as long as the object they came from.
 *   - Exact amounts cross this interface as decimal strings (no GMP types
 *     here): at most 18 fraction digits, rounded toward zero, no exponent.
 *   - Threads. The library holds no global mutable state but the
 *     out-of-memory handler (section 1): distinct objects may be used from
 *     distinct threads at once. An object may also be
 *     shared: once the call that made it has returned, a gvt_proposal,
 *     gvt_attestations, gvt_trust or gvt_result may be read from several
 *     threads at once (every function taking it as const only reads it),
 *     for instance several gvt_tally_run on one proposal, or the accessors
 *     of one result. Nothing may free it, of course, while another thread
 *     still uses it. Reading, tallying, checking attestations and
 *     replaying may start helper threads of their own, at most their
 *     options' .threads at once with the calling thread (0 = one per
 *     online CPU; 1 = none is started; no options = 0), all joined before
 *     the call returns. Outputs are the same for any thread count.
 *   - Memory. Running out of memory is not reported through a status: every
 *     allocation (the library's, YAJL's and GMP's) goes to one handler
 *     that does not return; the default prints "govtally: out of memory
 *     (asked for N bytes)" and exits 70, never abort() (section 1,
 *     gvt_set_out_of_memory). Inputs are bounded (docs/limits.md), so
 *     hostile input cannot ask for unbounded memory.
 */
#ifndef GOVTALLY_H
#define GOVTALLY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "govtally_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GVT_BUILDING_LIBRARY) && defined(__GNUC__)
#define GVT_API __attribute__((visibility("default")))
#else
#define GVT_API
#endif

#if defined(__GNUC__)
#define GVT_MUST_CHECK __attribute__((warn_unused_result))
#else
#define GVT_MUST_CHECK
#endif

/*
 * The version of the library running, "MAJOR.MINOR.PATCH": GVT_VERSION of
 * the build it came from (govtally_version.h, generated from the CMake
 * project's version). A program compiled against one header may run with a
 * later library of the same major version.
 */
GVT_API const char *gvt_version(void);

/* ---------------------------------------------------------------------------
 * 1. Status codes and diagnostics
 *
 * The codes are the sysexits(3) values the command line exits with, so a
 * status can be handed to exit() unchanged.
 * ------------------------------------------------------------------------- */
typedef enum gvt_status {
    GVT_OK = 0,
    GVT_MISMATCH = 1,     /* a fixture's expectation, or a verified result, does
                             not hold */
    GVT_ERR_USAGE = 64,   /* bad arguments or options */
    GVT_ERR_DATA = 65,    /* malformed or inconsistent input data */
    GVT_ERR_NOINPUT = 66, /* an input cannot be opened or read */
    GVT_ERR_INTERNAL = 70,
    GVT_ERR_CANTCREAT = 73 /* an output cannot be created */
} gvt_status;

/*
 * Where and why an operation failed. Every field is filled as far as it is
 * known; unknown numbers are -1 and unknown strings are empty.
 *   file     the input's name as given ("-" for standard input)
 *   offset   byte offset in that input
 *   line     1-based line (JSON Lines, CSV) ; column 1-based
 *   path     JSON path of the offending value, e.g. $.votes[3].vp
 *   vote     0-based index of the vote in the input, vote_id its "id"
 */
typedef struct gvt_error {
    gvt_status code;
    char message[256];
    char file[256];
    long long offset;
    long line;
    long column;
    char path[160];
    long vote;
    char vote_id[96];
} gvt_error;

/* Clears an error to "no error, nothing known". */
GVT_API void gvt_error_clear(gvt_error *err);

/*
 * Formats the error as one line: "FILE:LINE:COL: MESSAGE (at PATH, byte N,
 * vote I id ID)", leaving out what is unknown. Text that came from an input
 * is shown safe: control bytes, DEL and bidi controls escaped as \xHH or
 * \u202E (docs/limits.md#shown-text). Returns buf.
 */
GVT_API const char *gvt_error_format(const gvt_error *err, char *buf,
                                     size_t size);

/*
 * Out of memory. The library cannot go on when an allocation fails (GMP,
 * which does every exact sum, has no way to report one), so it calls a
 * handler that must not return. The default one writes "govtally: out of
 * memory (asked for N bytes)" to standard error and ends the process with
 * status 70 (GVT_ERR_INTERNAL) by _exit: never abort(), no core dump, no
 * buffered output flushed. Inputs are bounded (docs/limits.md) so that an
 * input within the limits fits in memory.
 *
 * gvt_set_out_of_memory replaces the handler (NULL restores the default)
 * and routes GMP's allocations through the library's, so that GMP's
 * failures reach the handler too instead of GMP's abort(); call it once
 * before any other function, from one thread. The command line calls it
 * with NULL. A handler that returns is followed by the default one. This
 * handler is the library's one piece of process-wide state.
 */
typedef void (*gvt_out_of_memory_fn)(size_t size);
GVT_API void gvt_set_out_of_memory(gvt_out_of_memory_fn fn);

/* ---------------------------------------------------------------------------
 * 2. Proposals
 *
 * A gvt_proposal is one proposal with its ballots, read from a Snapshot
 * export in one streaming pass (docs/formats.md#proposal-export): duplicates
 * resolved (the greatest (created, id) per voter stands), choices checked with
 * Snapshot's isValidChoice for the proposal's type. The proposal owns
 * everything it hands out.
 * ------------------------------------------------------------------------- */
typedef struct gvt_proposal gvt_proposal;

typedef enum gvt_type {
    GVT_TYPE_SINGLE_CHOICE,
    GVT_TYPE_BASIC,
    GVT_TYPE_APPROVAL,
    GVT_TYPE_RANKED_CHOICE,
    GVT_TYPE_COPELAND,
    GVT_TYPE_QUADRATIC,
    GVT_TYPE_WEIGHTED
} gvt_type;

/* The Snapshot name of a type ("single-choice", ...). */
GVT_API const char *gvt_type_name(gvt_type type);

/*
 * Reads one export from a file ("-" for standard input). The document must
 * hold exactly one proposal, in either shape of
 * docs/formats.md#proposal-export.
 *
 * GVT_ERR_NOINPUT: the input cannot be opened or read. GVT_ERR_DATA:
 * malformed JSON or data; err->offset is the byte just past the offending
 * token (for a missing field, past the closing brace of its object), with
 * err->line and err->column, err->path (e.g. "$.data.votes[12].vp"), and
 * inside a vote its index and, once read, its id. Limits: nesting depth 64,
 * strings and numbers 64 KiB, one choice 1 MiB, 2^31 votes. A leading UTF-8
 * byte order mark is skipped (and counted in offsets).
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_proposal_read_file(
    const char *path, gvt_proposal **out_proposal, gvt_error *err);

/*
 * Progress of a long operation, for a progress line on a terminal: called now
 * and then (every few MiB read, every few thousand signatures checked) from
 * the calling thread with what is being done ("reading", "signatures"), how
 * much is done and the total (0 when unknown, e.g. standard input).
 */
typedef void (*gvt_progress_fn)(void *ctx, const char *what,
                                unsigned long long done,
                                unsigned long long total);

/* gvt_proposal_read_file reporting its progress to fn (may be NULL). */
GVT_API GVT_MUST_CHECK gvt_status
gvt_proposal_read_file_progress(const char *path, gvt_progress_fn fn, void *ctx,
                                gvt_proposal **out_proposal, gvt_error *err);

/* The same from memory; name labels the input in diagnostics. */
GVT_API GVT_MUST_CHECK gvt_status
gvt_proposal_read_mem(const char *name, const void *data, size_t size,
                      gvt_proposal **out_proposal, gvt_error *err);

/*
 * Calls fn once per proposal of a stream of exports (one document, JSON Lines
 * or concatenated documents). fn receives ownership of the proposal. A
 * non-zero return from fn stops the reading. index counts proposals from 0.
 * A malformed document stops the stream with GVT_ERR_DATA.
 */
typedef int (*gvt_proposal_fn)(void *ctx, size_t index, gvt_proposal *p);
GVT_API GVT_MUST_CHECK gvt_status gvt_proposal_read_stream(const char *path,
                                                           gvt_proposal_fn fn,
                                                           void *ctx,
                                                           gvt_error *err);

/*
 * How to read, for the _opt forms of the functions above (NULL options, and
 * the forms without _opt, read with the defaults: zeroes).
 *   threads   at most this many threads at once, the calling one included:
 *             0 = one per online CPU (a large file is then read in two
 *             halves on two threads, and duplicates are resolved on two),
 *             1 = the calling thread only. The proposal and every error are
 *             the same for any count.
 *   progress  reports the reading (gvt_progress_fn); NULL = none. Not
 *             called by the stream form.
 */
typedef struct gvt_read_options {
    unsigned threads;
    gvt_progress_fn progress;
    void *progress_ctx;
} gvt_read_options;

GVT_API GVT_MUST_CHECK gvt_status
gvt_proposal_read_file_opt(const char *path, const gvt_read_options *opt,
                           gvt_proposal **out_proposal, gvt_error *err);
GVT_API GVT_MUST_CHECK gvt_status gvt_proposal_read_mem_opt(
    const char *name, const void *data, size_t size,
    const gvt_read_options *opt, gvt_proposal **out_proposal, gvt_error *err);
GVT_API GVT_MUST_CHECK gvt_status
gvt_proposal_read_stream_opt(const char *path, const gvt_read_options *opt,
                             gvt_proposal_fn fn, void *ctx, gvt_error *err);

/*
 * Finds one proposal in a file holding one export or a stream of them (JSON
 * Lines, as gvt_import_file writes, or concatenated documents), "-" for
 * standard input, or in a folder of such files (*.json, *.jsonl, *.ndjson
 * in sorted name order, sub-folders included, as gvt_replay_run reads a
 * folder): the proposal whose id is exactly `id`, or with id NULL the only
 * one. Every document is read; out_count (may be NULL) receives the number
 * of proposals the input holds, also on failure once they were counted.
 *
 * GVT_ERR_USAGE: id is NULL and the input holds several proposals (the
 * message says how many and quotes the first ids). GVT_ERR_DATA: a
 * malformed document (err says where, as gvt_proposal_read_stream does), no
 * proposal at all, no proposal with that id, or two with it.
 * GVT_ERR_NOINPUT: the file or folder cannot be opened.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_proposal_pick(const char *path,
                                                    const char *id,
                                                    gvt_proposal **out_proposal,
                                                    size_t *out_count,
                                                    gvt_error *err);
/* The same, read with opt (see gvt_read_options; NULL = the defaults). */
GVT_API GVT_MUST_CHECK gvt_status gvt_proposal_pick_opt(
    const char *path, const char *id, const gvt_read_options *opt,
    gvt_proposal **out_proposal, size_t *out_count, gvt_error *err);

GVT_API void gvt_proposal_free(gvt_proposal *p);

/* The proposal's id, space, title and the hub's state ("pending", "active",
 * "closed") as the export gives them; "" when absent. */
GVT_API const char *gvt_proposal_id(const gvt_proposal *p);
GVT_API const char *gvt_proposal_space(const gvt_proposal *p);
GVT_API const char *gvt_proposal_title(const gvt_proposal *p);
GVT_API const char *gvt_proposal_state(const gvt_proposal *p);
/* Its start and end, unix seconds; GVT_TIME_NONE when absent. */
#define GVT_TIME_NONE (-1LL - 0x7fffffffffffffffLL)
GVT_API long long gvt_proposal_start(const gvt_proposal *p);
GVT_API long long gvt_proposal_end(const gvt_proposal *p);
GVT_API gvt_type gvt_proposal_type(const gvt_proposal *p);
GVT_API size_t gvt_proposal_choice_count(const gvt_proposal *p);
/* Label of choice i, 0-based. */
GVT_API const char *gvt_proposal_choice(const gvt_proposal *p, size_t i);

/*
 * Ballot accounting: read = counted + duplicate + invalid-choice + encrypted.
 * encrypted: on a proposal with privacy "shutter", a standing ballot whose
 * choice is still Shutter's ciphertext (a "0x..." string), not a choice.
 */
typedef struct gvt_ballot_counts {
    size_t read;
    size_t counted;
    size_t duplicate;
    size_t invalid_choice;
    size_t encrypted;
} gvt_ballot_counts;
GVT_API gvt_ballot_counts gvt_proposal_ballot_counts(const gvt_proposal *p);

/* ---------------------------------------------------------------------------
 * 3. Identity
 *
 * Attestations (format gvt-attestation/1, docs/formats.md#attestations) and the
 * issuer trust file (docs/formats.md#trust-file). Reading parses and checks
 * syntax only; judging against a proposal happens inside gvt_tally_run.
 * ------------------------------------------------------------------------- */
typedef struct gvt_attestations gvt_attestations;
typedef struct gvt_trust gvt_trust;

GVT_API GVT_MUST_CHECK gvt_status gvt_attestations_read_file(
    const char *path, gvt_attestations **out_attestations, gvt_error *err);
/*
 * One set of attestations from several files (at most
 * GVT_MAX_ATTESTATION_FILES), read in order: each file holds one kind of
 * record (gvt-attestation/1, EAS off-chain packages, gvt-eas-onchain/1),
 * the files may differ. The first file that fails stops the reading.
 */
#define GVT_MAX_ATTESTATION_FILES 64
GVT_API GVT_MUST_CHECK gvt_status gvt_attestations_read_files(
    const char *const *paths, size_t n_paths,
    gvt_attestations **out_attestations, gvt_error *err);
GVT_API void gvt_attestations_free(gvt_attestations *a);
GVT_API size_t gvt_attestations_count(const gvt_attestations *a);

GVT_API GVT_MUST_CHECK gvt_status gvt_trust_read_file(const char *path,
                                                      gvt_trust **out_trust,
                                                      gvt_error *err);
GVT_API void gvt_trust_free(gvt_trust *t);

/* The reasons of docs/formats.md#attestation-outcomes, in the order they are
 * tried, except wrong-schema (added later, kept last for the ABI), which is
 * tried right after untrusted-issuer. */
typedef enum gvt_attest_reason {
    GVT_ATTEST_VALID = 0,
    GVT_ATTEST_DUPLICATE,
    GVT_ATTEST_UNUSED,
    GVT_ATTEST_UNTRUSTED_ISSUER,
    GVT_ATTEST_BAD_SIGNATURE,
    GVT_ATTEST_ISSUER_WINDOW,
    GVT_ATTEST_REVOKED,
    GVT_ATTEST_WRONG_SCOPE,
    GVT_ATTEST_NOT_YET_VALID,
    GVT_ATTEST_EXPIRED,
    GVT_ATTEST_CONFLICT,
    GVT_ATTEST_WRONG_SCHEMA, /* an EAS record of a trusted attester but not
                                of a trusted schema, chain and contract, or
                                whose data is not of the schema */
    GVT_ATTEST_REASON_COUNT
} gvt_attest_reason;

/* "valid", "duplicate", "unused", ... as in
 * docs/formats.md#attestation-outcomes. */
GVT_API const char *gvt_attest_reason_name(gvt_attest_reason r);

/*
 * Checks attestations without a proposal (`govtally attest verify`): the rules
 * of docs/formats.md#attestation-outcomes that need none. scope (NULL: not
 * checked) and at (< 0: expiry not checked) add wrong-scope and the time rules.
 * threads 0 = one per core.
 *
 * out_counts is the caller's array of n_counts counters, indexed by reason:
 * out_counts[r] receives the number of attestations of outcome r. Pass
 * GVT_ATTEST_REASON_COUNT as the header you compile against knows it; a
 * later library with more reasons writes no further than n_counts (the
 * outcomes it cannot put anywhere are then left out of the counts, which
 * sum to less than gvt_attestations_count), and counters this library does
 * not know are set to 0. out_counts may be NULL when n_counts is 0.
 */
GVT_API GVT_MUST_CHECK gvt_status
gvt_attestations_verify(const gvt_attestations *a, const gvt_trust *t,
                        const char *scope, long long at, unsigned threads,
                        size_t *out_counts, size_t n_counts, gvt_error *err);

/*
 * A time written by a person as unix seconds: an integer >= 0 (unix
 * seconds), or ISO 8601 "YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]]" with a zone
 * "Z", "+hh:mm", "-hhmm" or " UTC", none meaning UTC (a time before 1970
 * gives negative seconds); fractions of a second are dropped.
 * GVT_ERR_USAGE when the text is neither.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_time_parse(const char *text,
                                                 long long *out_seconds,
                                                 gvt_error *err);

/*
 * Issuing attestations (`govtally attest keygen|sign`).
 *
 * A secret key file holds the 32-byte Ed25519 seed as 64 lower-case hex
 * digits and a newline. gvt_attest_keygen creates it with mode 0600 and
 * refuses to replace an existing file (GVT_ERR_CANTCREAT); out_public_key
 * receives the public key as 64 hex digits and a NUL.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_attest_keygen(const char *path,
                                                    char out_public_key[65],
                                                    gvt_error *err);

/*
 * The same for an Ethereum account (docs/identity.md#ethereum-issuers): the
 * 32-byte secp256k1 secret key as "0x", 64 lower-case hex digits and a
 * newline (the form wallets export, with its 0x); out_address receives the
 * account's address with EIP-55's checksum and a NUL, the "address" of the
 * issuer in a trust file.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_attest_keygen_eth(const char *path,
                                                        char out_address[43],
                                                        gvt_error *err);

/* What every attestation signed in one call states besides its subject. */
typedef struct gvt_attest_sign_options {
    const char *scope;    /* "*" or a space id (docs/formats.md#attestations) */
    long long issued_at;  /* unix seconds, >= 0 */
    long long expires_at; /* unix seconds; 0 = no expiry */
    const char *weight;   /* a decimal in [0, 1] with at most 6 fraction
                             digits in any form ("0.50", "1.0", "5e-1"),
                             signed in its canonical form ("0.5");
                             NULL = "1" */
} gvt_attest_sign_options;

/*
 * Signs one attestation per line `address,nullifier` of subjects_path (a
 * first line "address,nullifier" is taken as a header; blank lines are
 * skipped) with the secret key file key_path, and writes them to out as JSON
 * Lines in input order. An Ed25519 key file (64 hex digits) gives records of
 * v 1; an Ethereum one ("0x" and 64 hex digits) records of v 2, signed as
 * EIP-712 typed data. Each line carries the fields of
 * docs/formats.md#attestations and, for revocation lists, its "id" (ignored
 * when read back). A malformed line is GVT_ERR_DATA naming it; bad options are
 * GVT_ERR_USAGE. out_count (may be NULL) receives the number written.
 */
GVT_API GVT_MUST_CHECK gvt_status
gvt_attest_sign_file(const char *key_path, const char *subjects_path,
                     const gvt_attest_sign_options *opt, FILE *out,
                     size_t *out_count, gvt_error *err);

/*
 * Verified lists (docs/identity.md#verified-lists): a CSV exported from a
 * personhood system, signed row by row by an operator's key as
 * gvt_attest_sign_file signs (Ed25519 or Ethereum). The operator vouches
 * for the export; nothing in the list itself is verified.
 *
 *   GVT_LIST_PASSPORT  Gitcoin Passport scores: columns address, score;
 *                      rows with score >= min_score signed, the address as
 *                      nullifier (each wallet its own human)
 *   GVT_LIST_POH       Proof of Humanity: address, humanity_id (nullifier)
 *   GVT_LIST_WORLDID   World ID: address, nullifier_hash (nullifier) of one
 *                      action; with `action`, rows whose action column
 *                      differs are skipped
 *
 * Columns are found by header name (case-insensitive); map renames them as
 * "address=COL,score=COL" (roles address, score, nullifier, action).
 * Every row is signed or skipped under a gvt_list_skip; `skipped` (may be
 * NULL) receives one "LINE,REASON" line per skipped row. A row with another
 * number of fields than the header, or malformed CSV, is GVT_ERR_DATA; bad
 * options GVT_ERR_USAGE.
 */
typedef enum gvt_list_kind {
    GVT_LIST_PASSPORT,
    GVT_LIST_POH,
    GVT_LIST_WORLDID
} gvt_list_kind;

typedef enum gvt_list_skip {
    GVT_LIST_BAD_ADDRESS,       /* not 0x and 40 hex digits, a wrong EIP-55
                                   checksum, or the zero address */
    GVT_LIST_BAD_SCORE,         /* not a decimal */
    GVT_LIST_BELOW_MIN_SCORE,   /* score < min_score */
    GVT_LIST_MISSING_NULLIFIER, /* an empty nullifier cell */
    GVT_LIST_BAD_NULLIFIER,     /* not 0x and 1-64 hex digits nor a decimal
                                   below 2^256 */
    GVT_LIST_OTHER_ACTION,      /* World ID: another action's row */
    GVT_LIST_DUPLICATE_ADDRESS, /* the address was signed on an earlier row */
    GVT_LIST_SKIP_COUNT
} gvt_list_skip;

/* "bad-address", "bad-score", ... as above. */
GVT_API const char *gvt_list_skip_name(gvt_list_skip r);
/* "passport", "poh", "worldid". */
GVT_API const char *gvt_list_kind_name(gvt_list_kind k);

typedef struct gvt_attest_list_options {
    gvt_list_kind kind;
    const char *map;       /* NULL: the kind's column names */
    const char *min_score; /* passport: a decimal; NULL: "20" */
    const char *action;    /* worldid: keep this action's rows; NULL: all */
} gvt_attest_list_options;

typedef struct gvt_attest_list_stats {
    size_t rows;        /* rows read after the header */
    size_t signed_rows; /* attestations written */
    size_t skipped[GVT_LIST_SKIP_COUNT];
} gvt_attest_list_stats;

GVT_API GVT_MUST_CHECK gvt_status gvt_attest_sign_list(
    const char *key_path, const char *list_path,
    const gvt_attest_sign_options *sign, const gvt_attest_list_options *opt,
    FILE *out, FILE *skipped, gvt_attest_list_stats *out_stats, gvt_error *err);

/* ---------------------------------------------------------------------------
 * 4. Tallies
 * ------------------------------------------------------------------------- */
typedef enum gvt_scheme {
    GVT_SCHEME_SNAPSHOT,
    GVT_SCHEME_TOKEN,
    GVT_SCHEME_ADDRESS,
    GVT_SCHEME_QUADRATIC,
    GVT_SCHEME_PERSONHOOD,
    GVT_SCHEME_QUADRATIC_PERSONHOOD,
    GVT_SCHEME_CAPPED_PERSONHOOD,
    GVT_SCHEME_COUNT
} gvt_scheme;

/* "snapshot", "token", ... as in docs/schemes.md. */
GVT_API const char *gvt_scheme_name(gvt_scheme s);
/* Looks a scheme up by name; returns -1 when there is none. */
GVT_API int gvt_scheme_from_name(const char *name);

typedef struct gvt_tally_options {
    /* Schemes in the order wanted; n_schemes 0 = every available scheme. */
    const gvt_scheme *schemes;
    size_t n_schemes;
    /* capped-personhood cap as a decimal string in [0, 1]; NULL = "0.1". */
    const char *cap;
    /* Optional identity: both or neither. Borrowed for the call. */
    const gvt_attestations *attestations;
    const gvt_trust *trust;
    /* At most this many threads at once, the calling one included, for
     * every pass of the tally (signature checks, scoring, the whale
     * analysis): 0 = one per online CPU, 1 = the calling thread only. The
     * result is the same for any count. */
    unsigned threads;
    /* Optional progress of the signature checks (see gvt_progress_fn). */
    gvt_progress_fn progress;
    void *progress_ctx;
    /* The caller's clock, unix seconds, for the "active" warning of a
     * proposal whose export has no state: it ends after now. 0: not judged
     * (the result then depends on its input only). */
    long long now;
} gvt_tally_options;

typedef struct gvt_result gvt_result;

/*
 * Tallies p under the requested schemes and computes the whale analysis.
 * Asking for a personhood scheme without attestations is GVT_ERR_USAGE.
 * The result borrows p: free the result first.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_tally_run(const gvt_proposal *p,
                                                const gvt_tally_options *opt,
                                                gvt_result **out_result,
                                                gvt_error *err);
GVT_API void gvt_result_free(gvt_result *r);

typedef enum gvt_format {
    GVT_FORMAT_TEXT,
    GVT_FORMAT_JSON,
    GVT_FORMAT_CSV,
    GVT_FORMAT_HTML
} gvt_format;

/*
 * Writes the result in a format of docs/formats.md#result. JSON is
 * gvt-result/1, one document and a newline; the same result always gives the
 * same bytes. color asks for ANSI colours in text output (for a terminal).
 * Text fits 80 columns (see gvt_result_write_with).
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_result_write(const gvt_result *r,
                                                   gvt_format format, int color,
                                                   FILE *out, gvt_error *err);

/* How a report is laid out; zeroed it is gvt_result_write's layout but for
 * the width, which zeroed means one table. */
typedef struct gvt_write_options {
    /* Text: ANSI colours, for a terminal. */
    int color;
    /* Text: the widest line in columns (a terminal's width): the schemes
     * go side by side in as many tables as that needs, at least one scheme
     * each, and the verdict wraps to it. 0: every scheme in one table, the
     * verdict wrapped at 80. */
    unsigned width;
} gvt_write_options;

/* gvt_result_write with options (opt NULL: gvt_result_write's). */
GVT_API GVT_MUST_CHECK gvt_status
gvt_result_write_with(const gvt_result *r, gvt_format format,
                      const gvt_write_options *opt, FILE *out, gvt_error *err);

/*
 * Reading a result.
 *
 * Every figure of the gvt-result/1 document (docs/formats.md#result) has an
 * accessor below, and so do the largest voters and the Lorenz curve of the
 * HTML report. The result formats its amounts once, when gvt_tally_run makes
 * it: a string returned here is borrowed from the result, lives until
 * gvt_result_free, and is never freed by the caller; the accessors neither
 * allocate nor fail, and a finished result may be read from several threads
 * at once. Amounts and ratios are decimal strings exactly as in the JSON
 * result: at most 18 fraction digits, truncated toward zero, no trailing
 * zeros or exponent ("0", "12.5", "0.333333333333333333"). A share is the
 * exact ratio floored to 18 digits, "0" when the whole is 0.
 *
 * An index out of range gives NULL, 0 or -1 as the function says, never a
 * crash. Schemes are indexed 0 .. gvt_result_scheme_count() - 1 in report
 * order; choices 0 .. gvt_proposal_choice_count() - 1 (winner lists, like
 * the JSON result, hold 1-based choice numbers).
 */

/* The proposal tallied (borrowed: the one given to gvt_tally_run). Its id,
 * space, type, choices and ballot counts are read with section 2's
 * functions. */
GVT_API const gvt_proposal *gvt_result_proposal(const gvt_result *r);

/* Identity ("identity" of the result): 1 when attestations were given (the
 * document's "identity" is then an object, else null). Without them every
 * count below is 0. */
GVT_API int gvt_result_has_identity(const gvt_result *r);
GVT_API size_t gvt_result_attestations_read(const gvt_result *r);
/* Attestations with this outcome: GVT_ATTEST_VALID the valid ones, any
 * other reason those rejected under it; 0 for a reason this library does
 * not know. */
GVT_API size_t gvt_result_attestations(const gvt_result *r,
                                       gvt_attest_reason reason);
GVT_API size_t gvt_result_humans(const gvt_result *r);
GVT_API size_t gvt_result_verified_wallets(const gvt_result *r);
GVT_API size_t gvt_result_unverified_wallets(const gvt_result *r);

/* Schemes: how many, the id of scheme i (GVT_SCHEME_COUNT when out of
 * range), and the index of scheme s (-1 when it was not tallied). */
GVT_API size_t gvt_result_scheme_count(const gvt_result *r);
GVT_API gvt_scheme gvt_result_scheme(const gvt_result *r, size_t i);
GVT_API int gvt_result_scheme_index(const gvt_result *r, gvt_scheme s);
/* Scheme i's score of a choice, its share of the scheme's total, and the
 * total (Snapshot's scores_total for snapshot, the sum of the weights for
 * the others); NULL when out of range. */
GVT_API const char *gvt_result_score(const gvt_result *r, size_t i,
                                     size_t choice);
GVT_API const char *gvt_result_share(const gvt_result *r, size_t i,
                                     size_t choice);
GVT_API const char *gvt_result_total(const gvt_result *r, size_t i);
/*
 * The share of a choice at a scale the caller picks, rounded half up from
 * the exact amounts: round(score * scale / total), 0 when the total is 0 (a
 * chart's bar length, or percent with 2 decimals at scale 10000). Computed
 * on each call.
 */
GVT_API unsigned long gvt_result_share_scaled(const gvt_result *r, size_t i,
                                              size_t choice,
                                              unsigned long scale);
/*
 * Winners of scheme i as 1-based choice numbers, ascending (borrowed array
 * of *out_count entries; none when every score is zero, NULL when i is out
 * of range).
 */
GVT_API const uint32_t *gvt_result_winners(const gvt_result *r, size_t i,
                                           size_t *out_count);
/* 1 when the choice (0-based) is among scheme i's winners. */
GVT_API int gvt_result_is_winner(const gvt_result *r, size_t i, size_t choice);

/*
 * Whale figures ("whales" of the result, docs/analysis.md): the counted voters,
 * the Nakamoto coefficient (0 when no counted ballot has vp), Gini, HHI (0 to
 * 10000), the largest voter's and the largest ten's share of the counted vp,
 * whether the largest voter outweighs all others together, decisive_k (-1
 * for null: no removal of the winner's supporters changes the outcome),
 * whether scheme i's winners differ from the token scheme's (the "flips"),
 * and the whale veto (token and headcount winners differ).
 */
GVT_API size_t gvt_result_voters(const gvt_result *r);
GVT_API size_t gvt_result_nakamoto(const gvt_result *r);
GVT_API const char *gvt_result_gini(const gvt_result *r);
GVT_API const char *gvt_result_hhi(const gvt_result *r);
GVT_API const char *gvt_result_top1_share(const gvt_result *r);
GVT_API const char *gvt_result_top10_share(const gvt_result *r);
GVT_API int gvt_result_single_voter_dominates(const gvt_result *r);
GVT_API long gvt_result_decisive_k(const gvt_result *r);
GVT_API int gvt_result_flipped(const gvt_result *r, size_t i);
GVT_API int gvt_result_whale_veto(const gvt_result *r);
/* The absolute Banzhaf index of the largest voters (at most ten, in vp
 * order; none when no counted ballot has vp); NULL when out of range. */
GVT_API size_t gvt_result_banzhaf_count(const gvt_result *r);
GVT_API const char *gvt_result_banzhaf(const gvt_result *r, size_t i);
/*
 * The Shapley-Shubik index of the same largest voters as Banzhaf's (the
 * chance of being pivotal when the voters line up in a random order and a
 * side wins with more than half of the counted vp), as decimal text, and a
 * bound on its error: the exact index lies within `error` of `index`
 * (docs/analysis.md#power-indices). With humans non-zero, of the largest
 * holders of the per-human figures instead (none without attestations).
 * Computed on each call (at most a few million steps, a few milliseconds,
 * for a proposal of any size): writes at most max entries to out and
 * returns how many (gvt_result_banzhaf_count, or gvt_human_figures'
 * n_power, or max when smaller).
 */
typedef struct gvt_power_index {
    char index[24];
    char error[24];
} gvt_power_index;
GVT_API size_t gvt_result_shapley(const gvt_result *r, int humans,
                                  gvt_power_index *out, size_t max);

/*
 * Hidden whales ("whales.humans" of the result, docs/analysis.md#humans):
 * with attestations, the whale figures again with the wallets of each
 * human merged (as the identity layer merges them; a wallet without a valid
 * attestation stays single): the holders, Nakamoto, Gini, HHI, the top
 * shares, whether the largest holder outweighs the others, decisive_k (-1
 * for null) per human, the largest human's number of wallets, share and
 * name (the address of its last ballot), and the Banzhaf index of the
 * largest holders (their Shapley-Shubik index: gvt_result_shapley). NULL
 * without attestations. Borrowed from the result, as
 * are its strings; later versions may add fields at the end.
 */
typedef struct gvt_human_figures {
    size_t voters; /* holders: humans and unverified wallets */
    size_t nakamoto;
    const char *gini;
    const char *hhi;
    const char *top1_share;
    const char *top10_share;
    int single_voter_dominates;
    long decisive_k;
    size_t largest_wallets;     /* 0 when no verified human voted */
    const char *largest_share;  /* NULL when no verified human voted */
    const char *largest_voter;  /* NULL when no verified human voted */
    size_t n_power;             /* the largest holders' indices: */
    const char *const *banzhaf; /* n_power entries */
} gvt_human_figures;
GVT_API const gvt_human_figures *gvt_result_human_figures(const gvt_result *r);

/*
 * The winner sets the verdict compares (borrowed, ascending 1-based choice
 * numbers, *out_count entries): the token scheme's, the headcount's
 * (personhood with attestations, address without) and the token scheme's
 * once the decisive_k largest supporters are removed (none when decisive_k
 * is null). They are computed whether or not those schemes were asked for.
 */
GVT_API const uint32_t *gvt_result_token_winners(const gvt_result *r,
                                                 size_t *out_count);
GVT_API const uint32_t *gvt_result_headcount_winners(const gvt_result *r,
                                                     size_t *out_count);
GVT_API const uint32_t *gvt_result_decisive_winners(const gvt_result *r,
                                                    size_t *out_count);

/*
 * Warnings ("warnings" of the result, docs/formats.md#warnings): what to
 * know before trusting the tally, in a fixed order: its code
 * ("invalid-majority", "choice-zero", "hub-scores", "active") and a
 * sentence. NULL when out of range.
 */
GVT_API size_t gvt_result_warning_count(const gvt_result *r);
GVT_API const char *gvt_result_warning_code(const gvt_result *r, size_t i);
GVT_API const char *gvt_result_warning(const gvt_result *r, size_t i);

/*
 * The largest voters (beyond the JSON document; the HTML report's table):
 * at most ten, vp descending, ties by address ascending. Each entry is
 * borrowed from the result, as are its strings.
 */
typedef struct gvt_voter_figures {
    const char *voter;            /* the address, lower-case */
    const char *vp;               /* its voting power */
    const char *share;            /* vp / the counted vp */
    const char *cumulative_share; /* of this voter and the larger ones */
} gvt_voter_figures;
GVT_API size_t gvt_result_top_voter_count(const gvt_result *r);
/* Voter i (0 = the largest), NULL when out of range. */
GVT_API const gvt_voter_figures *gvt_result_top_voter(const gvt_result *r,
                                                      size_t i);

/*
 * The Lorenz curve of the counted vp at points + 1 evenly spaced voter
 * counts: out_y[j] (j = 0 .. points) is the share of the counted vp held by
 * the floor(j * voters / points) smallest voters, times scale, rounded half
 * up from the exact amounts. out_y has room for points + 1 values. Returns
 * points + 1, or 0 (out_y untouched) when no counted ballot has vp or
 * points is not between 1 and gvt_result_voters(). Computed on each call:
 * it sorts the counted vp (temporary memory, released before it returns).
 */
GVT_API size_t gvt_result_lorenz(const gvt_result *r, size_t points,
                                 unsigned long scale, unsigned long *out_y);

/*
 * Decision rules and outcomes (docs/outcomes.md).
 *
 * A proposal passes when it clears its threshold and its quorum, as the
 * source decides it: Snapshot's basic voting, OpenZeppelin's Governor
 * (GovernorCountingSimple), Compound's GovernorAlpha and GovernorBravo,
 * Aragon's Voting. The export says which rule and gives its figures
 * (docs/formats.md#proposal-fields); the caller may give or override them
 * (gvt_rule_options). The quorum is judged once, on the voting power, and
 * shared by every scheme; the threshold is applied to each scheme's scores.
 */
typedef enum gvt_rule {
    GVT_RULE_SNAPSHOT,     /* quorum on the scores' total (or on Against) */
    GVT_RULE_OPENZEPPELIN, /* For + Abstain reach the quorum, For > Against */
    GVT_RULE_COMPOUND,     /* For reaches quorumVotes, For > Against */
    GVT_RULE_ARAGON,       /* shares of 10^18: support and minimum quorum */
    GVT_RULE_UNKNOWN,      /* the source's rule is not known */
    GVT_RULE_COUNT
} gvt_rule;

/* "snapshot", "openzeppelin", "compound", "aragon", "unknown". */
GVT_API const char *gvt_rule_name(gvt_rule rule);
/* Looks a rule up by name; -1 when there is none. */
GVT_API int gvt_rule_from_name(const char *name);

typedef enum gvt_outcome {
    GVT_OUTCOME_PASSED,
    GVT_OUTCOME_REJECTED,
    GVT_OUTCOME_FAILED_QUORUM,
    GVT_OUTCOME_NOT_DECIDABLE /* the rule needs a figure the input lacks */
} gvt_outcome;

/* "passed", "rejected", "failed-quorum", "not-decidable". */
GVT_API const char *gvt_outcome_name(gvt_outcome outcome);

/*
 * A decision rule given by the caller (the command's --rule, --quorum,
 * --support, --supply). Each field is NULL to keep what the export says:
 *   rule     a rule's name (gvt_rule_name)
 *   quorum   an amount of voting power ("400000"), or a share of the supply
 *            ending in % ("4%", "0.5%")
 *   support  the share of For among For and Against that must be exceeded,
 *            a decimal in [0, 1] or a percentage ("0.5", "50%")
 *   supply   the voting power in existence (a total supply), an amount
 * Bad text is GVT_ERR_USAGE.
 */
typedef struct gvt_rule_options {
    const char *rule;
    const char *quorum;
    const char *support;
    const char *supply;
} gvt_rule_options;

/*
 * gvt_tally_run with a decision rule given by the caller (NULL: the
 * export's own). gvt_tally_run(p, opt, out, err) is
 * gvt_tally_run_rule(p, opt, NULL, out, err). (A new function rather than a
 * new field of gvt_tally_options, so that programs built against an earlier
 * header keep running.)
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_tally_run_rule(
    const gvt_proposal *p, const gvt_tally_options *opt,
    const gvt_rule_options *rule, gvt_result **out_result, gvt_error *err);

/*
 * The decision ("decision" of the result). The rule applied; the figures
 * it used as decimal strings, NULL when it had none: the quorum as an amount
 * (for Aragon, and for a share given without a supply, the share is given
 * by gvt_result_quorum_share instead), the share of supply the quorum was
 * given as, the support, the supply; Snapshot's quorum type ("default",
 * "rejection"; NULL for the other rules); the voting power counted toward
 * the quorum (NULL when not decidable); whether it reached the quorum (1,
 * 0, or -1: no quorum to reach, or not decidable).
 */
GVT_API gvt_rule gvt_result_rule(const gvt_result *r);
GVT_API const char *gvt_result_quorum(const gvt_result *r);
GVT_API const char *gvt_result_quorum_share(const gvt_result *r);
GVT_API const char *gvt_result_support(const gvt_result *r);
GVT_API const char *gvt_result_supply(const gvt_result *r);
GVT_API const char *gvt_result_quorum_type(const gvt_result *r);
GVT_API const char *gvt_result_quorum_votes(const gvt_result *r);
GVT_API int gvt_result_quorum_reached(const gvt_result *r);
/* The outcome under scheme i (GVT_OUTCOME_NOT_DECIDABLE when out of range),
 * and the proposal's own, in voting power (the token scheme's, computed
 * whether or not token was asked for). */
GVT_API gvt_outcome gvt_result_outcome(const gvt_result *r, size_t i);
GVT_API gvt_outcome gvt_result_token_outcome(const gvt_result *r);
/* Why the outcome is not decidable (borrowed), NULL when it is. */
GVT_API const char *gvt_result_outcome_reason(const gvt_result *r);
/* 1 when scheme i's outcome differs from the token scheme's. */
GVT_API int gvt_result_outcome_flipped(const gvt_result *r, size_t i);
/*
 * The quorum veto: the fewest voters whose votes count toward the quorum
 * (largest first) whose absence would turn the passed proposal into a
 * failed quorum; -1 (null) when the proposal did not pass, has no quorum
 * to fail, or cannot fail it that way.
 */
GVT_API long gvt_result_quorum_k(const gvt_result *r);
/* Passed, but For alone would not have reached the quorum (Abstain, or
 * for Snapshot every other vote, carried it); blocked: For beat the
 * threshold, yet the quorum failed it (a failed quorum, or Snapshot's
 * quorum of rejection). Both in voting power. */
GVT_API int gvt_result_carried_by_quorum(const gvt_result *r);
GVT_API int gvt_result_blocked_by_quorum(const gvt_result *r);

/* ---------------------------------------------------------------------------
 * 5. Fixtures (docs/formats.md#fixtures)
 * ------------------------------------------------------------------------- */

/*
 * Runs one fixture file and compares the result with its expectation. Writes
 * one line per fixture to report ("ok NAME" or "FAIL NAME" followed by one
 * line per differing key). Returns GVT_OK when everything matches,
 * GVT_MISMATCH when a key differs, or an error status for a broken fixture
 * or unreadable input.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_fixture_check(const char *path,
                                                    FILE *report,
                                                    gvt_error *err);
/*
 * The files a fixture names (input, attestations, issuers) must be regular
 * files (a FIFO, a device or a directory is GVT_ERR_DATA at once) inside
 * the fixture's folder, symlinks resolved. allow_outside lets them be
 * anywhere (`govtally check --allow-outside`); gvt_fixture_check is
 * gvt_fixture_check_with(path, NULL, ...), all zero.
 */
typedef struct gvt_fixture_options {
    int allow_outside;
} gvt_fixture_options;
GVT_API GVT_MUST_CHECK gvt_status
gvt_fixture_check_with(const char *path, const gvt_fixture_options *opt,
                       FILE *report, gvt_error *err);

/* ---------------------------------------------------------------------------
 * 6. Import and replay (docs/formats.md#csv-inputs, #replay-summary)
 * ------------------------------------------------------------------------- */
typedef enum gvt_import_kind {
    GVT_IMPORT_SNAPSHOT_CSV,
    GVT_IMPORT_GOVERNOR_CSV,
    GVT_IMPORT_CSV
} gvt_import_kind;

typedef struct gvt_import_options {
    gvt_import_kind kind;
    /* csv: "voter=COL,choice=COL,vp=COL[,proposal=COL][,created=COL]
     * [,id=COL][,label=COL][,space=COL]" */
    const char *map;
    /* csv, snapshot-csv: the proposal type, or "auto" (csv: by the ballots:
     * integers single-choice, arrays approval, objects weighted); NULL =
     * single-choice (snapshot-csv with choice.N columns: weighted) */
    const char *type;
    /* governor-csv: decimals of the token; < 0 = 18 */
    int decimals;
    /* csv: optional proposal table (CSV with a header): columns proposal_id
     * (or id, proposal), type, and optionally space_id (or space) and
     * choices (a JSON array of labels); its type, space and choices win over
     * --type, the space column and the labels. NULL = none. */
    const char *proposals;
    /* csv: the labels of choices 1..n, "Yes,No,Abstain" or a JSON array of
     * strings: a choice cell holding a label (in any case) is that
     * choice's number, and the labels name the choices. NULL = none. */
    const char *choice_labels;
} gvt_import_options;

/* What the import did with each row. */
typedef struct gvt_import_stats {
    size_t rows;
    size_t imported;
    size_t proposals;
    /* skipped rows by reason, e.g. {"ProposalCreated", 5} */
    size_t n_skipped;
    struct {
        char reason[64];
        size_t rows;
    } skipped[32];
} gvt_import_stats;

/*
 * Converts a CSV file ("-" for standard input) into exports of the JSON
 * shape of docs/formats.md#proposal-export, written to out: one document per
 * proposal id, one per line, in order of first appearance (JSON Lines when
 * there are several). out_stats (may be NULL) accounts for every row: imported,
 * or skipped under a reason (governor-csv: the event name of non-vote events).
 * Nothing is written on failure. GVT_ERR_DATA: malformed CSV or row, with
 * err->line the line the record starts on, err->column its 1-based field
 * number and the column's header name in the message; also a file without
 * any vote. GVT_ERR_USAGE: bad options (map, type, decimals 0..36).
 * docs/replay.md states the decisions (strict RFC 4180, voters must be
 * addresses, exact decimal shift of raw weights, ...).
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_import_file(const char *path,
                                                  const gvt_import_options *opt,
                                                  FILE *out,
                                                  gvt_import_stats *out_stats,
                                                  gvt_error *err);

/*
 * Replays many proposals (docs/formats.md#replay-summary): every input is a
 * JSON export, a stream of exports (JSON Lines or concatenated documents), a
 * folder of them (files
 * *.json, *.jsonl, *.ndjson in sorted name order, sub-folders included), or
 * with `from` set a CSV file (a folder: its *.csv files too) imported as
 * gvt_import_file would; names ending .json, .jsonl, .ndjson are read as
 * exports even then. Each proposal is tallied under the default schemes
 * (personhood ones too when attestations and trust are given) and gives one
 * row, written in input order. Proposals are worked on `threads` threads at
 * once, the calling one included (0 = one per online CPU, 1 = no thread
 * started at all), each proposal on one of them; the output is
 * byte-identical whatever the number of threads.
 * format is GVT_FORMAT_CSV or GVT_FORMAT_JSON (gvt-replay/1).
 * A proposal that fails to load or tally has its error in its row and the
 * others go on; the call then returns GVT_ERR_DATA (GVT_ERR_NOINPUT when an
 * input cannot be opened) with err describing the first failure, after
 * writing every row. progress (may be NULL) receives a progress line.
 */
typedef struct gvt_replay_options {
    const gvt_import_options *from;       /* NULL: inputs are JSON exports */
    const gvt_attestations *attestations; /* both or neither; borrowed */
    const gvt_trust *trust;
    const char *cap; /* capped-personhood cap; NULL = "0.1" */
    gvt_format format;
    unsigned threads;
    FILE *progress;
} gvt_replay_options;

typedef struct gvt_replay_stats {
    size_t proposals; /* rows written */
    size_t failed;    /* rows carrying an error */
    size_t ballots;   /* ballots read over all tallied proposals */
} gvt_replay_stats;

GVT_API GVT_MUST_CHECK gvt_status gvt_replay_run(
    const char *const *inputs, size_t n_inputs, const gvt_replay_options *opt,
    FILE *out, gvt_replay_stats *out_stats, gvt_error *err);

/* gvt_replay_run with a decision rule given by the caller for every
 * proposal (NULL: each export's own; see gvt_tally_run_rule). */
GVT_API GVT_MUST_CHECK gvt_status
gvt_replay_run_rule(const char *const *inputs, size_t n_inputs,
                    const gvt_replay_options *opt, const gvt_rule_options *rule,
                    FILE *out, gvt_replay_stats *out_stats, gvt_error *err);

/* ---------------------------------------------------------------------------
 * 7. Fetching votes from the Snapshot hub (docs/fetch.md)
 *
 * The hub's GraphQL API over HTTP(S) (libcurl), read politely: at most
 * `rate` requests a second, transient failures (connection errors, time-outs,
 * a cut body, HTTP 5xx) retried with exponential backoff within a budget,
 * HTTP 429 answered by waiting as Retry-After says. Votes are paged with a
 * cursor on `created`, never by `skip` (which the hub caps at 5,000). Every
 * number is written with the text the hub sent.
 *
 * Errors: GVT_ERR_NOINPUT when the hub cannot be reached within the retry
 * budget, refuses the request (HTTP 4xx) or does not know the proposal;
 * GVT_ERR_DATA when it answers something malformed or inconsistent (err->file
 * is the URL, err->path the JSON path in the answer, the message says which
 * request and what was wrong); GVT_ERR_CANTCREAT when writing out fails.
 * ------------------------------------------------------------------------- */
#define GVT_FETCH_DEFAULT_HUB "https://hub.snapshot.org/graphql"

typedef struct gvt_fetch_options {
    const char *url;     /* the GraphQL endpoint; NULL: GVT_FETCH_DEFAULT_HUB */
    const char *api_key; /* sent as the x-api-key header; NULL: none */
    double rate;         /* requests per second at most; 0: no limit;
                            negative: the default, 1.5 (the hub allows 100 a
                            minute to a caller without a key) */
    int retries;         /* retries of one request; negative: default 6 */
    long backoff_ms;     /* first retry delay, doubled each time up to 30 s;
                            0: default 1000 */
    long timeout_s;      /* one request's time limit; 0: default 120 */
    /* Votes fetched of the proposal's count ("votes"), and in a space's
     * listing proposals done of those listed ("proposals"); may be NULL. */
    gvt_progress_fn progress;
    void *progress_ctx;
} gvt_fetch_options;

/*
 * Writes one export, {"proposal": {...}, "votes": [...]} and a newline, of the
 * proposal with this id: the proposal's id, title, type, choices, start, end,
 * snapshot, state, quorum, quorumType, privacy, scores, scores_total,
 * scores_state, space {id, name}, strategies, votes (the hub's count) and
 * every vote's id, voter, created, choice, vp, vp_by_strategy, vp_state and
 * reason, in the hub's order (created ascending). The number of votes
 * written must equal the proposal's `votes` count, or GVT_ERR_DATA. On any
 * failure the export is left without its closing brackets, so a partial
 * output never reads as a complete document.
 */
GVT_API GVT_MUST_CHECK gvt_status
gvt_fetch_snapshot_proposal(const gvt_fetch_options *opt,
                            const char *proposal_id, FILE *out, gvt_error *err);

/*
 * The proposals already complete in a JSON Lines output of
 * gvt_fetch_snapshot_space, for resuming it: gvt_fetch_done_read reads the
 * file (missing: nothing done), keeps every line that ends with a newline
 * and holds a whole export, and stops at the first that does not (a line cut
 * by an interruption); *out_keep is the length of the part to keep (the
 * caller truncates the file there before appending).
 */
typedef struct gvt_fetch_done gvt_fetch_done;

GVT_API GVT_MUST_CHECK gvt_status gvt_fetch_done_read(const char *path,
                                                      gvt_fetch_done **out_done,
                                                      long long *out_keep,
                                                      gvt_error *err);
GVT_API size_t gvt_fetch_done_count(const gvt_fetch_done *done);
GVT_API void gvt_fetch_done_free(gvt_fetch_done *done);

typedef struct gvt_fetch_space {
    const char *space;          /* the space's id, e.g. "ens.eth" */
    long long since, until;     /* proposals created in [since, until) (Unix
                                   seconds); -1: no bound */
    const char *state;          /* "closed", "active", "pending"; NULL: any */
    const gvt_fetch_done *done; /* proposals to leave out; may be NULL */
} gvt_fetch_space;

/*
 * Writes one export per proposal of the space (JSON Lines, oldest created
 * first), each line as gvt_fetch_snapshot_proposal writes it and written
 * whole before the next is fetched. *out_written (may be NULL) counts the
 * lines written by this call.
 */
GVT_API GVT_MUST_CHECK gvt_status gvt_fetch_snapshot_space(
    const gvt_fetch_options *opt, const gvt_fetch_space *query, FILE *out,
    size_t *out_written, gvt_error *err);

/*
 * A governor contract's proposals and votes from an Ethereum node's event
 * logs (eth_getLogs; docs/fetch.md), one export per proposal as JSON Lines
 * in the order proposals first appear. opt->url is the node's JSON-RPC URL.
 * Kinds: OpenZeppelin Governor (VoteCast, VoteCastWithParams with
 * GovernorCountingFractional), Compound Bravo (the same events), Compound
 * Alpha (VoteCast with a bool), Aragon Voting (CastVote, StartVote).
 * Weights are exact: the integer weight divided by 10^decimals.
 */
typedef enum gvt_governor_kind {
    GVT_GOVERNOR_OZ,
    GVT_GOVERNOR_BRAVO,
    GVT_GOVERNOR_ALPHA,
    GVT_GOVERNOR_ARAGON
} gvt_governor_kind;

typedef struct gvt_fetch_governor {
    const char *address;  /* the governor (or Aragon Voting) contract */
    long long from_block; /* first block; 0 or negative: 0 */
    long long to_block;   /* last block; negative: the latest */
    gvt_governor_kind kind;
    int decimals; /* 0 to 36 */
} gvt_fetch_governor;

GVT_API GVT_MUST_CHECK gvt_status gvt_fetch_governor_run(
    const gvt_fetch_options *opt, const gvt_fetch_governor *query, FILE *out,
    size_t *out_proposals, gvt_error *err);

/*
 * The on-chain attestations of one schema on an EAS contract (its Attested
 * and Revoked events, then each record by getAttestation at the range's last
 * block), as gvt-eas-onchain/1 lines (docs/fetch.md#eas-attestations) that
 * gvt_attestations_read_file reads. opt->url is the node's JSON-RPC URL.
 * Every record is checked against its event and its uid; an answer that
 * disagrees is GVT_ERR_DATA. Nothing is written unless all went well.
 */
typedef struct gvt_fetch_eas {
    const char *contract; /* the EAS contract */
    const char *schema;   /* the schema uid, 0x and 64 hex digits */
    const char *attester; /* only this attester's; NULL: any */
    long long from_block; /* first block; 0 or negative: 0 */
    long long to_block;   /* last block, where records are read; negative:
                             the latest */
} gvt_fetch_eas;

GVT_API GVT_MUST_CHECK gvt_status
gvt_fetch_eas_run(const gvt_fetch_options *opt, const gvt_fetch_eas *query,
                  FILE *out, size_t *out_records, gvt_error *err);

/* ---------------------------------------------------------------------------
 * 8. The audit record (docs/audit.md)
 *
 * Every result carries a record of what made it: govtally's version, each
 * input read (its role, its name as given, its size and SHA-256, hashed
 * from the bytes the reader took in, so standard input has one too), the
 * options that change the result, and the digest of the result itself
 * (the JSON result's `audit`, docs/formats.md#result). A replay summary in
 * JSON carries the same for the whole run. `govtally verify` recomputes a
 * result or a summary from its record.
 * ------------------------------------------------------------------------- */

/* One input of a result (borrowed from the result). */
typedef struct gvt_audit_input {
    const char *role; /* "export", "attestations", "issuers", "proposals" */
    const char *name; /* as given; "-" for standard input */
    unsigned long long size; /* bytes read */
    const char *sha256;      /* 64 lower-case hex digits; NULL when the
                                input was not read to its end */
} gvt_audit_input;

/* The inputs of r: the export (every file read to find it, for a
 * proposal picked out of many), the attestation files in order, the
 * issuer trust file. Index out of range: NULL. */
GVT_API size_t gvt_result_audit_input_count(const gvt_result *r);
GVT_API const gvt_audit_input *gvt_result_audit_input(const gvt_result *r,
                                                      size_t i);

/*
 * The options that changed r (borrowed; each NULL when not given or of no
 * effect):
 *   cap       capped-personhood's cap, as a decimal (when that scheme
 *             was tallied)
 *   proposal  the id the proposal was picked by (gvt_proposal_pick)
 *   rule, quorum, support, supply   gvt_rule_options as given
 *   now       the caller's clock (gvt_tally_options.now) when the result
 *             depends on it (an export without a state whose end lies
 *             after it: the "active" warning), else 0
 * The schemes are the result's own (gvt_result_scheme).
 */
typedef struct gvt_audit_options {
    const char *cap;
    const char *proposal;
    const char *rule, *quorum, *support, *supply;
    long long now;
} gvt_audit_options;
GVT_API const gvt_audit_options *gvt_result_audit_options(const gvt_result *r);

/*
 * The result's digest (`audit.result_sha256` of its JSON document): SHA-256
 * of the document's canonical form, as 64 lower-case hex digits and a NUL
 * (docs/audit.md#the-result-digest).
 */
GVT_API void gvt_result_sha256(const gvt_result *r, char out[65]);

/*
 * Checks a JSON result or replay summary against its audit record
 * (`govtally verify`): finds each recorded input (by its name, relative to
 * the current folder; with inputs_dir, in that folder by the name, then by
 * its base name; "-" is standard input), checks its size and SHA-256, runs
 * the tally or the replay again with the recorded options, and compares
 * the new document with the one given, member by member. Writes what it
 * finds to report, a line each, ending with "identical" or "differs".
 * GVT_OK: identical. GVT_MISMATCH: an input changed, the document's own
 * digest does not match it, or the new document differs (report names the
 * input or the members). GVT_ERR_NOINPUT: the document or an input cannot
 * be found or read (err names it). GVT_ERR_DATA: not a result or summary
 * with an audit record.
 */
typedef struct gvt_verify_options {
    const char *inputs_dir; /* NULL: the names as recorded */
    unsigned threads;       /* as gvt_tally_options.threads */
} gvt_verify_options;
GVT_API GVT_MUST_CHECK gvt_status gvt_verify_file(const char *path,
                                                  const gvt_verify_options *opt,
                                                  FILE *report, gvt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GOVTALLY_H */
