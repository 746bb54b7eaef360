/*
 * fetch.h: the internal interface of tally/fetch/, which brings votes in from
 * servers (issue 11): a JSON document model that keeps every number's text
 * (json.c), one HTTP client with the retry and politeness rules of
 * docs/fetch.md (http.c), and the Snapshot hub's queries (snapshot.c,
 * space.c).
 */
#ifndef GVT_FETCH_H
#define GVT_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "govtally.h"

/* ---- json.c: a parsed document that keeps the text of numbers ----------- */

typedef enum gvt_jkind {
    GVT_J_NULL,
    GVT_J_BOOL,
    GVT_J_NUMBER, /* text: the number exactly as written */
    GVT_J_STRING, /* text: the decoded bytes (UTF-8, may hold NUL) */
    GVT_J_ARRAY,
    GVT_J_OBJECT
} gvt_jkind;

typedef struct gvt_jval gvt_jval;
struct gvt_jval {
    gvt_jkind kind;
    bool boolean;
    const char *text; /* NUL-terminated; len excludes the NUL */
    size_t len;
    const char *key; /* member name inside an object, NUL-terminated */
    size_t key_len;
    size_t count;           /* elements or members */
    gvt_jval *first, *last; /* children, in document order */
    gvt_jval *next;         /* sibling */
};

typedef struct gvt_jdoc gvt_jdoc;

/*
 * Parses text[0..len) as one JSON value (whitespace around it allowed).
 * Returns NULL with a message in why (and the byte offset in *at) on a
 * syntax error, invalid UTF-8, nesting deeper than 64 or a string or number
 * longer than 1 MiB. The document owns every value.
 */
gvt_jdoc *gvt_jdoc_parse(const char *text, size_t len, char *why,
                         size_t why_size, long long *at);
const gvt_jval *gvt_jdoc_root(const gvt_jdoc *d);
void gvt_jdoc_free(gvt_jdoc *d);

/* The member of an object named key, or NULL (also when v is no object). */
const gvt_jval *gvt_jget(const gvt_jval *v, const char *key);
/* Appends v as compact JSON, numbers with their original text. */
void gvt_jwrite(gvt_buf *b, const gvt_jval *v);
/* x / 10^decimals exactly, as a decimal without trailing zeros. */
void gvt_fetch_put_scaled(gvt_buf *b, const mpz_t x, int decimals);
/* A number's text as a non-negative integer below 2^63, or false. */
bool gvt_jint(const gvt_jval *v, long long *out);
/* The kind's name for messages ("string", "number", ...). */
const char *gvt_jkind_name(gvt_jkind k);

/* ---- http.c: one POST at a time, politely -------------------------------- */

typedef struct gvt_http gvt_http;

/* A client for opt->url (NULL: the default hub); NULL after filling err
 * when libcurl cannot start. */
gvt_http *gvt_http_new(const gvt_fetch_options *opt, const char *default_url,
                       gvt_error *err);
void gvt_http_free(gvt_http *h);
const char *gvt_http_url(const gvt_http *h);

/*
 * POSTs body (JSON) and parses the answer as JSON. what names the request in
 * messages ("votes page 3"). Retries as docs/fetch.md says: connection
 * errors, time-outs, a body cut short, HTTP 5xx and an answer that is not
 * JSON, with doubling delays within the retry budget; HTTP 429 waits for
 * Retry-After (or the backoff) without using the budget, at most 30 times in
 * a row. GVT_ERR_NOINPUT: unreachable within the budget or HTTP 4xx;
 * GVT_ERR_DATA: no JSON after the retries. *out_doc is the parsed answer.
 */
gvt_status gvt_http_post(gvt_http *h, const char *body, size_t len,
                         const char *what, gvt_jdoc **out_doc, gvt_error *err);

/* Requests sent and retries made so far (for tests and benchmarks). */
unsigned long gvt_http_requests(const gvt_http *h);
unsigned long gvt_http_retries(const gvt_http *h);

/* ---- rpc.c: an Ethereum node's JSON-RPC -------------------------------- */

typedef struct gvt_rpc gvt_rpc;

gvt_rpc *gvt_rpc_new(gvt_http *h); /* borrows h */
void gvt_rpc_free(gvt_rpc *r);
/* A "0x..." quantity of at most 16 hex digits. */
bool gvt_hex_quantity(const gvt_jval *v, uint64_t *out);
gvt_status gvt_rpc_chain_id(gvt_rpc *r, uint64_t *out, gvt_error *err);
gvt_status gvt_rpc_block_number(gvt_rpc *r, uint64_t *out, gvt_error *err);
/* The block's timestamp (eth_getBlockByNumber), cached. */
gvt_status gvt_rpc_block_time(gvt_rpc *r, uint64_t block, int64_t *out,
                              gvt_error *err);

/* The fields of one log of eth_getLogs. */
typedef struct gvt_rpc_log {
    const gvt_jval *topics; /* a non-empty array, borrowed from the answer */
    uint8_t *data;          /* decoded; freed once the callback returns */
    size_t len;
    uint64_t block, index;
    const char *tx; /* "0x" and 64 hex digits, borrowed */
} gvt_rpc_log;

/*
 * Called for each log of eth_getLogs, in the node's order (index: its place
 * in the answer, for messages), its fields read and checked; logs of a block
 * the chain dropped ("removed": true) are skipped. A log without topics,
 * data, blockNumber, logIndex or transactionHash ends the answer with
 * GVT_ERR_DATA before any callback sees it.
 */
typedef gvt_status (*gvt_rpc_log_fn)(void *ctx, const gvt_rpc_log *log,
                                     const char *what, size_t index,
                                     gvt_error *err);
/*
 * eth_getLogs of address for blocks [from, to] whose topic 0 is one of
 * topics (a JSON array text), the range halved whenever the node refuses it
 * (see rpc.c); progress gets ("blocks", done, total).
 */
gvt_status gvt_rpc_logs(gvt_rpc *r, const char *address, const char *topics,
                        uint64_t from, uint64_t to, gvt_rpc_log_fn fn,
                        void *ctx, gvt_progress_fn progress, void *progress_ctx,
                        gvt_error *err);
/* Ranges halved so far. */
unsigned long gvt_rpc_splits(const gvt_rpc *r);

/* An event's topic 0: "0x" and the hex of keccak256(signature). */
void gvt_rpc_topic(const char *signature, char out[67]);
/* fn for each log of logs (the "result" array of an answer to `what`), as
 * gvt_rpc_logs calls it. */
gvt_status gvt_rpc_each_log(gvt_http *h, const gvt_jval *logs, const char *what,
                            gvt_rpc_log_fn fn, void *ctx, gvt_error *err);
/* Topic k of a log as 32 bytes; false when missing or malformed. */
bool gvt_rpc_log_topic(const gvt_jval *topics, size_t k, uint8_t word[32]);

/*
 * eth_call of data[0..len) to the contract `to` at block; *out (malloc'd,
 * the caller frees) receives the returned bytes. A node's error answer
 * (a revert) is GVT_ERR_DATA with its message, and *reverted (if not NULL)
 * says so.
 */
gvt_status gvt_rpc_call(gvt_rpc *r, const char *to, const uint8_t *data,
                        size_t len, uint64_t block, const char *what,
                        uint8_t **out, size_t *out_len, bool *reverted,
                        gvt_error *err);

/* ---- decision.c: a governor proposal's rule and the chain's figures ----- */

/*
 * Appends the export's members ,"rule":...,"quorum":... (or support,
 * quorum_share, supply for Aragon) of proposal id (decimal) of the governor
 * at address, read with eth_call: created_block is where the proposal was
 * first seen, snapshot its voteStart (0 unknown), at the last block read.
 * A figure the contract refuses is left out.
 */
gvt_status gvt_governor_decision(gvt_rpc *r, const char *address,
                                 gvt_governor_kind kind, const char *id,
                                 uint64_t created_block, uint64_t snapshot,
                                 uint64_t at, int decimals, gvt_buf *out,
                                 gvt_error *err);

/* ---- snapshot.c: one proposal ------------------------------------------- */

/*
 * Fetches the proposal and every vote and writes the export (without the
 * trailing newline) to out. Used by gvt_fetch_snapshot_proposal and, per
 * line, by gvt_fetch_snapshot_space (index/of: the proposal's place in the
 * listing, 0/0 alone).
 */
gvt_status gvt_fetch_one(gvt_http *h, const gvt_fetch_options *opt,
                         const char *proposal_id, FILE *out, gvt_error *err);

/* take_page on one answer, for the fuzz target: its votes written to out. */
gvt_status gvt_fetch_page_for_tests(const char *text, size_t len,
                                    long long cursor, bool at, FILE *out,
                                    gvt_error *err);

/* governor.c's log decoding on an eth_getLogs answer, for the fuzz target:
 * the proposals written to out (kind: a gvt_governor_kind). */
gvt_status gvt_fetch_logs_for_tests(const char *text, size_t len, int kind,
                                    FILE *out, gvt_error *err);

/* Fills err for an answer that breaks the expected shape: "URL: what: PATH:
 * message". */
void gvt_fetch_bad_answer(gvt_error *err, const gvt_http *h, const char *what,
                          const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The GraphQL errors of an answer, if any, as GVT_ERR_DATA in err. */
bool gvt_fetch_graphql_errors(const gvt_jval *root, const gvt_http *h,
                              const char *what, gvt_error *err);

#endif
