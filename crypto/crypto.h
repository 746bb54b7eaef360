/*
 * crypto.h: identity inputs (docs/formats.md#attestations, #trust-file):
 * attestations in canonical form, the issuer trust file, Ed25519 signatures and
 * signing.
 *
 *   attestation.c  reading gvt-attestation/1, the canonical message, the one
 *                  Ed25519 verification path, the strict small-JSON helpers
 *   trust.c        the issuer trust file
 *   eas.c          EAS off-chain packages; eas_onchain.c records of
 *                  `fetch eas`; eas_json.c their shared JSON reading
 *   typed.c        attestations signed by Ethereum accounts (EIP-712):
 *                  the typed data, digest, recovery, signing
 *   sign.c         keygen and signing (`govtally attest`)
 *   identity.c     attestations judged against a proposal (identity.h)
 */
#ifndef GVT_CRYPTO_H
#define GVT_CRYPTO_H

#include "core/core.h"
#include "crypto/eth/eth.h"

/* Weights of docs/formats.md#attestations, #trust-file ("1", "0.5", ...) in
 * millionths: exact, 0..10^6. */
#define GVT_WEIGHT_ONE 1000000u

/*
 * Who signs (docs/formats.md#attestations): an Ed25519 key (records of v 1)
 * or an Ethereum account with EIP-712 typed data (v 2). An issuer is its
 * kind and 32 bytes: the key, or the 20-byte address followed by 12 zeros.
 */
typedef enum gvt_signer {
    GVT_SIGNER_ED25519 = 0,
    GVT_SIGNER_ETH = 1,
    GVT_SIGNER_EAS = 2 /* an EAS off-chain attestation's attester (eas.c) */
} gvt_signer;

/* What an EAS off-chain attestation adds (eas.c; in the file's arena). */
typedef struct gvt_eas_info {
    uint8_t schema[32];
    uint64_t chain_id;
    uint8_t contract[20]; /* the EAS contract of the domain */
    uint8_t ref_uid[32];
    const uint8_t *data; /* ABI-encoded by the schema */
    size_t data_len;
    uint8_t digest[32]; /* the EIP-712 digest the attester signed */
    bool consistent;    /* the stated uid is the fields' uid, and the
                           primary type the version's */
    bool onchain;       /* read by `fetch eas` (eas_onchain.c): no
                           signature, consistent is the whole check */
    bool revoked;       /* on-chain: revoked at the block it was read at */
} gvt_eas_info;

/* Orders (kind, issuer) pairs: kind first, then the 32 bytes. */
int gvt_signer_cmp(uint8_t kind_a, const uint8_t a[32], uint8_t kind_b,
                   const uint8_t b[32]);

/* One attestation, canonical and compact (docs/formats.md#attestations). */
typedef struct gvt_attestation {
    uint8_t issuer[32];
    uint8_t nullifier[32];
    uint8_t sig[65];     /* Ed25519: 64 bytes; EIP-712: r || s || v */
    uint8_t kind;        /* gvt_signer */
    uint8_t id[32];      /* v 1: BLAKE2b-256 of the canonical message;
                            v 2: the EIP-712 digest */
    const char *subject; /* lower-case address (arena) */
    const char *scope;   /* "*" or a space id (arena) */
    int64_t issued_at;
    int64_t expires_at;      /* 0 = none */
    uint32_t weight;         /* millionths */
    uint32_t line;           /* 1-based line of the object in its file */
    const gvt_eas_info *eas; /* EAS records only; then id is the uid,
                                issued_at the time, and nullifier, scope and
                                weight come from the trust file's source */
} gvt_attestation;

/* An off-chain EAS attestation revoked on chain by its attester
 * (RevokedOffchain, read by `fetch eas`): the key is the chain id
 * (big-endian), the EAS contract, the revoker and the uid. */
#define GVT_EAS_REVOKED_KEY 80

struct gvt_attestations {
    gvt_arena *arena;
    gvt_attestation *items; /* input order */
    size_t n;
    bool has_eas; /* some items are EAS records */
    uint8_t (*revoked_offchain)[GVT_EAS_REVOKED_KEY]; /* sorted once read */
    size_t n_revoked_offchain;
    gvt_inputs inputs; /* the files read, role "attestations" (audit) */
};

/* Where an EAS source takes a record's nullifier from. */
enum { GVT_EAS_NUL_UID, GVT_EAS_NUL_REF_UID, GVT_EAS_NUL_FIELD };

/* An issuer that is an EAS source (docs/identity.md#eas-attestations): the
 * attester is the issuer's key; records must be of this schema on this
 * chain's EAS contract. */
typedef struct gvt_eas_source {
    uint8_t schema[32];
    uint64_t chain_id;
    uint8_t contract[20];
    gvt_eth_types *fields; /* the schema's fields, or NULL (data not read) */
    uint8_t nullifier;     /* GVT_EAS_NUL_* */
    size_t field;          /* GVT_EAS_NUL_FIELD: the field's index */
    const char *scope;     /* "*" or a space id */
} gvt_eas_source;

/* One issuer of the trust file (docs/formats.md#trust-file). */
typedef struct gvt_issuer {
    uint8_t key[32]; /* Ed25519 key, or address and 12 zeros */
    uint8_t kind;    /* gvt_signer */
    bool key_ok;     /* Ed25519: crypto_core_ed25519_is_valid_point accepts the
                        key; Ethereum: true */
    const char *name;
    uint32_t weight;                 /* millionths */
    int64_t valid_from, valid_until; /* 0 = unbounded */
    uint8_t (*revoked)[32];          /* attestation ids, sorted */
    size_t n_revoked;
    uint8_t (*revoked_nullifiers)[32]; /* sorted */
    size_t n_revoked_nullifiers;
    gvt_eas_source *eas; /* kind GVT_SIGNER_EAS only (arena) */
} gvt_issuer;

struct gvt_trust {
    gvt_arena *arena;
    gvt_issuer *issuers; /* sorted by (kind, key), distinct */
    size_t n;
    gvt_inputs inputs; /* the file read, role "issuers" (audit) */
};

/* A canonical weight (docs/formats.md#attestations) into millionths; false if
 * not canonical. */
bool gvt_weight_parse(const char *s, size_t len, uint32_t *out);
/* Unix seconds (docs/formats.md#attestations): "0" or digits without sign,
 * leading zero, fraction or exponent, at most INT64_MAX; false otherwise. */
bool gvt_unix_time_parse(const char *s, size_t len, int64_t *out);
/* The canonical text of a weight in millionths (room for 9 chars). */
void gvt_weight_format(uint32_t w, char out[16]);
/* docs/formats.md#attestations: "*" or 1..128 characters of A-Za-z0-9._:- */
bool gvt_scope_valid(const char *s, size_t len);
/*
 * The canonical message of docs/formats.md#attestations into buf (room for
 * GVT_ATTEST_MSG_MAX); returns its length.
 */
#define GVT_ATTEST_MSG_MAX 640
size_t gvt_attestation_message(const gvt_attestation *a, char *buf);
/* libsodium's initialisation, once per process (thread-safe); 0 or -1. */
int gvt_sodium_init(void);
/* The same as a status: GVT_ERR_INTERNAL "libsodium failed to start" (in
 * file, which may be NULL) when it fails. */
gvt_status gvt_sodium_start(const char *file, gvt_error *err);
/*
 * The one signature check of docs/formats.md#attestations. The key must be a
 * valid point (crypto_core_ed25519_is_valid_point, which refuses non-canonical
 * encodings, small-order points and points outside the main subgroup):
 * gvt_ed25519_key_valid checks that, once per key (trust.c does it once per
 * issuer), and its answer is passed as key_valid. Then R must be a valid
 * point too, and crypto_sign_verify_detached (which enforces S < L) must
 * accept the signature.
 */
bool gvt_ed25519_key_valid(const uint8_t key[32]);
bool gvt_ed25519_verify(const uint8_t key[32], bool key_valid,
                        const uint8_t sig[64], const uint8_t *msg, size_t len);
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
/* Room for one more record of a: items[n], zeroed. The reader fills it and
 * counts it (n++) once it stands; until then the next call reuses it. */
gvt_attestation *gvt_attestations_slot(gvt_attestations *a);
/* gvt_attestations_read_file from memory (text NUL-terminated). */
gvt_status gvt_attestations_read_mem(const char *name, const char *text,
                                     size_t len, gvt_attestations **out,
                                     gvt_error *err);
/* gvt_trust_read_file from memory (text NUL-terminated). */
gvt_status gvt_trust_read_mem(const char *name, const char *text, size_t len,
                              gvt_trust **out, gvt_error *err);
/*
 * The EAS source of record t (kind GVT_SIGNER_EAS): its attester, schema,
 * chain and contract. NULL when none; then *attester_known says whether some
 * source names the attester.
 */
const gvt_issuer *gvt_trust_find_eas(const gvt_trust *t,
                                     const gvt_attestation *r,
                                     bool *attester_known);
/*
 * What an EAS record states as a personhood attestation under its source:
 * the nullifier (the uid, the refUID, or the schema field: bytes32 as is,
 * integers and addresses as 32-byte words, bytes and string as their
 * keccak256). False when the data does not decode as the source's fields.
 */
bool gvt_eas_resolve(const gvt_issuer *source, gvt_attestation *r);

/* The issuer of this kind and key, or NULL. */
const gvt_issuer *gvt_trust_find(const gvt_trust *t, uint8_t kind,
                                 const uint8_t key[32]);

/* ---- eas.c: EAS off-chain attestations ---------------------------------- */

/* True when text (a file of attestations) holds EAS packages: its first
 * object has an object-valued "sig". */
bool gvt_eas_sniff(const char *text, size_t len);
/* Reads EAS packages {"sig": {...}, "signer": "0x..."} (JSON Lines or a JSON
 * array) into a, as records of kind GVT_SIGNER_EAS. */
gvt_status gvt_eas_read(const char *file, const char *text, size_t len,
                        gvt_attestations *a, gvt_error *err);
/* The signature check: the uid and primary type consistent, and the
 * account recovered from the digest and sig is the attester (issuer). */
bool gvt_eas_verify(const gvt_attestation *t);

/* ---- sign.c: a signer for the lists of the levels above ---------------- */

/*
 * A secret key (key_path, as gvt_attest_sign_file reads it) and what every
 * attestation of one call states (opt); the key lives in sodium_malloc'd
 * memory, zeroed when freed. GVT_ERR_USAGE for bad options, GVT_ERR_DATA
 * for a bad key file.
 */
typedef struct gvt_attest_signer gvt_attest_signer;
gvt_status gvt_attest_signer_open(const char *key_path,
                                  const gvt_attest_sign_options *opt,
                                  gvt_attest_signer **out, gvt_error *err);
void gvt_attest_signer_free(gvt_attest_signer *s);
/* Signs one attestation of subject (a valid address, lower case) and
 * nullifier and appends its JSON line (with its id) to b. */
gvt_status gvt_attest_signer_sign(gvt_attest_signer *s, const char *subject,
                                  const uint8_t nullifier[32], gvt_buf *b,
                                  gvt_error *err);
/* Writes b to out once it holds 64 KiB, or whatever it holds when last (then
 * flushes out); GVT_ERR_CANTCREAT when writing fails. */
gvt_status gvt_attest_flush(gvt_buf *b, FILE *out, bool last, gvt_error *err);

/* ---- eas_onchain.c: on-chain EAS records (`fetch eas`) ------------------ */

/* True when text's first object is a gvt-eas-onchain/1 record. */
bool gvt_eas_onchain_sniff(const char *text, size_t len);
/* Reads gvt-eas-onchain/1 lines (docs/fetch.md#eas-attestations) into a, as
 * records of kind GVT_SIGNER_EAS with info->onchain, and their
 * RevokedOffchain lines into a->revoked_offchain. */
gvt_status gvt_eas_onchain_read(const char *file, const char *text, size_t len,
                                gvt_attestations *a, gvt_error *err);
/* Sorts a->revoked_offchain (after the last file is read). */
void gvt_eas_revocations_sort(gvt_attestations *a);
/* An off-chain EAS record whose attester revoked its uid on chain, on the
 * chain and contract of its domain. */
bool gvt_eas_revoked_offchain(const gvt_attestations *a,
                              const gvt_attestation *t);

/* ---- typed.c: attestations signed with EIP-712 ------------------------- */

/*
 * The EIP-712 digest of an attestation of v 2
 * (docs/identity.md#ethereum-issuers): domain {name "govtally attestation",
 * version "1"}, struct GVT_EIP712_GVT_ATTESTATION with the record's fields;
 * subject is hashed as the record writes it (subject_text), the weight in
 * canonical form. False only if the library cannot build the types
 * (GVT_ERR_INTERNAL).
 */
bool gvt_typed_digest(const gvt_attestation *t, const char *subject_text,
                      uint8_t out[32]);
/* The signature check of v 2: the account recovered from id and sig (v 27 or
 * 28, low s) is the issuer. */
bool gvt_typed_verify(const gvt_attestation *t);

#endif /* GVT_CRYPTO_H */
