/*
 * eth.h: the Ethereum primitives of govtally's identity layer (issue 12):
 * Keccak-256, secp256k1 signatures with public-key recovery, the Ethereum
 * contract ABI (decoding; the one-word encodings EIP-712 needs), and EIP-712
 * typed-data hashing.
 *
 *   error.c      filling a gvt_eth_error
 *   keccak.c     Keccak-256 (Ethereum's padding) around Nettle's permutation
 *   secp256k1.c  recover a signer's address, sign a digest, derive an address
 *   abi_type.c   type texts: EAS schema strings and EIP-712 struct lists
 *   abi.c        strict ABI decoding into values; one-word encodings
 *   eip712.c     encodeType, hashStruct, the domain separator, the digest
 *   eas.c        EAS off-chain attestations: uid and EIP-712 digest
 *
 * This room stands on core (the arena and the xmalloc family), GMP, Nettle
 * and libsecp256k1; it knows nothing of proposals or attestations. Fallible
 * calls return false (or a status) and say why in a gvt_eth_error, whose
 * message names the field. Memory exhaustion aborts with a message, as
 * everywhere in govtally. Types and decoded values live in the arena of the
 * object they came from (one free each).
 * Nothing here holds mutable global state except the secp256k1 context,
 * created once (pthread_once) and then only read: every function may be
 * called from any number of threads at once.
 */
#ifndef GVT_ETH_H
#define GVT_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha3.h>

#if defined(__GNUC__)
#define GVT_ETH_MUST __attribute__((warn_unused_result))
#else
#define GVT_ETH_MUST
/* ---- eas.c: EAS off-chain attestations ---------------------------------- */

/*
 * One off-chain attestation of the Ethereum Attestation Service, as its SDK
 * signs it (versions 0, 1 and 2 of the off-chain format). Pointers are
 * borrowed from the caller.
 */
typedef struct gvt_eas_offchain {
    unsigned version;        /* 0, 1 or 2 */
    bool v0_attest;          /* version 0 signed as struct "Attest" (later
                                SDKs) rather than "Attestation" */
    const char *schema_text; /* the schema uid as the message writes it: the
                                uid hashes this text, not the 32 bytes */
    uint8_t schema[32];
    uint8_t recipient[20];
    uint64_t time, expiration_time;
    bool revocable;
    uint8_t ref_uid[32];
    const uint8_t *data;
    size_t data_len;
    uint8_t salt[32];           /* version 2 */
    const char *domain_version; /* the EAS contract's version ("1.0.1") */
    const char *chain_id;       /* decimal */
    uint8_t contract[20];       /* the EAS contract (verifyingContract) */
} gvt_eas_offchain;

/*
 * The attestation's uid as the SDK computes it (getOffchainUID):
 * keccak256 of the packed encoding of [version (uint16, versions 1 and 2)],
 * the schema's text, the recipient, the zero address, time and expiration
 * time (uint64), revocable (bool), refUID, data, [salt (version 2)], and a
 * uint32 0.
 */
void gvt_eas_offchain_uid(const gvt_eas_offchain *a, uint8_t out[32]);

/* The EIP-712 digest the attester signed: domain {name "EAS Attestation",
 * version, chainId, verifyingContract}, the struct of the version. */
GVT_ETH_MUST bool gvt_eas_offchain_digest(const gvt_eas_offchain *a,
                                          uint8_t out[32], gvt_eth_error *err);

#endif

/* What went wrong and where. Nothing in it needs freeing. */
typedef struct gvt_eth_error {
    char message[256]; /* one line, naming the field when there is one */
    char field[128];   /* the field's path ("wallets[2]", "from.name") or "" */
    size_t offset;     /* byte offset in the ABI data or the type text */
} gvt_eth_error;

/* ---- error.c ------------------------------------------------------------ */

/*
 * Fills err (which may be NULL): the message is "field 'F': " and the
 * formatted text when field is non-empty, the text alone otherwise.
 * Returns false, for `return gvt_eth_fail(...)`.
 */
bool gvt_eth_fail(gvt_eth_error *err, const char *field, size_t offset,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- keccak.c: Keccak-256 ------------------------------------------------ */

/*
 * Keccak-256 as Ethereum uses it: the Keccak submission's padding (0x01 ...
 * 0x80), not FIPS 202's SHA3-256 (0x06 ... 0x80). Rate 136 bytes.
 */
#define GVT_KECCAK_RATE 136

typedef struct gvt_keccak {
    struct sha3_state state;
    uint8_t block[GVT_KECCAK_RATE];
    unsigned index; /* bytes waiting in block */
} gvt_keccak;

void gvt_keccak_init(gvt_keccak *k);
void gvt_keccak_update(gvt_keccak *k, const void *data, size_t len);
/* Writes the digest; k must be initialised again before reuse. */
void gvt_keccak_final(gvt_keccak *k, uint8_t out[32]);
void gvt_keccak256(const void *data, size_t len, uint8_t out[32]);

/* ---- secp256k1.c: signatures and addresses ------------------------------- */

typedef enum gvt_secp_status {
    GVT_SECP_OK = 0,
    GVT_SECP_BAD_V,    /* v is not 27 or 28 (nor 0 or 1 where allowed) */
    GVT_SECP_BAD_R,    /* r is 0 or not below the group order n */
    GVT_SECP_BAD_S,    /* s is 0 or not below n */
    GVT_SECP_HIGH_S,   /* s > n/2: the malleable twin of a valid signature */
    GVT_SECP_NO_KEY,   /* no public key recovers from this r and v */
    GVT_SECP_BAD_KEY,  /* a secret key that is 0 or not below n */
    GVT_SECP_INTERNAL, /* libsecp256k1 failed where it cannot (no context) */
} gvt_secp_status;

/* One-line English reason for a status (a static string). */
const char *gvt_secp_status_text(gvt_secp_status s);

/* Accept v = 0 or 1 besides 27 or 28 (only where a format documents it). */
#define GVT_SECP_ALLOW_V01 1u

/*
 * Recovers the Ethereum address (the last 20 bytes of the Keccak-256 of the
 * 64-byte uncompressed public key) that signed digest with sig = r || s || v
 * (32 + 32 + 1 bytes). r and s must lie in [1, n-1] and s in the low half
 * (s <= n/2, as Ethereum requires since EIP-2); v must be 27 or 28 (or 0, 1
 * with GVT_SECP_ALLOW_V01). A tampered digest recovers some other address:
 * the caller compares it with the one it trusts.
 */
GVT_ETH_MUST gvt_secp_status gvt_secp_recover(const uint8_t digest[32],
                                              const uint8_t sig[65],
                                              unsigned flags,
                                              uint8_t out_address[20]);

/*
 * Signs digest with a 32-byte secret key: deterministic nonce (RFC 6979,
 * libsecp256k1's default), low s, v = 27 + recovery id.
 */
GVT_ETH_MUST gvt_secp_status gvt_secp_sign(const uint8_t digest[32],
                                           const uint8_t seckey[32],
                                           uint8_t out_sig[65]);

/* The address of a secret key. */
GVT_ETH_MUST gvt_secp_status gvt_secp_address(const uint8_t seckey[32],
                                              uint8_t out_address[20]);

/* "0x" and 40 hex digits: either case, no checksum check. */
bool gvt_eth_address_parse(const char *s, size_t len, uint8_t out[20]);
/* "0x" and 40 lower-case hex digits, NUL-terminated. */
void gvt_eth_address_hex(const uint8_t addr[20], char out[43]);
/* The same with EIP-55's mixed-case checksum. */
void gvt_eth_address_checksum(const uint8_t addr[20], char out[43]);

/* ---- abi_type.c: types --------------------------------------------------- */

typedef enum gvt_abi_kind {
    GVT_ABI_UINT,    /* uint<N>, N in 8..256 by 8 */
    GVT_ABI_INT,     /* int<N> */
    GVT_ABI_ADDRESS, /* 20 bytes */
    GVT_ABI_BOOL,
    GVT_ABI_FIXED_BYTES, /* bytes<N>, N in 1..32 */
    GVT_ABI_BYTES,       /* bytes: dynamic */
    GVT_ABI_STRING,      /* string: dynamic, UTF-8 (not checked) */
    GVT_ABI_ARRAY,       /* T[k] or T[] */
    GVT_ABI_TUPLE,       /* (T1,...,Tn); an EIP-712 struct has a name */
} gvt_abi_kind;

typedef struct gvt_abi_type gvt_abi_type;

typedef struct gvt_abi_field {
    const char *name; /* "" when the text gave none */
    const gvt_abi_type *type;
} gvt_abi_field;

struct gvt_abi_type {
    gvt_abi_kind kind;
    unsigned bits;            /* uint, int: N; bytes<N>: N (bytes, not bits) */
    size_t length;            /* T[k]: k (at least 1); T[]: 0 */
    const gvt_abi_type *elem; /* arrays */
    const gvt_abi_field *fields; /* tuples */
    size_t n_fields;
    const char *name;     /* EIP-712 struct name; NULL for anonymous tuples */
    const char *spelling; /* canonical: "uint256", "Person[]", "(bool,bytes)" */
    bool dynamic;         /* ABI: lives in the tail, behind an offset */
    size_t head;          /* ABI: bytes it takes in the head (32 if dynamic) */
    unsigned depth;       /* 1 for elementary types, 1 + the deepest part */
    uint8_t type_hash[32]; /* EIP-712 structs: keccak256(encodeType) */
};

/* Elementary types for callers that build values by hand. */
extern const gvt_abi_type gvt_abi_uint256, gvt_abi_uint64, gvt_abi_address,
    gvt_abi_bool, gvt_abi_bytes32, gvt_abi_bytes, gvt_abi_string;

/* A set of types parsed from one text; owns them all. */
typedef struct gvt_eth_types gvt_eth_types;

/* Limits on type texts, checked before anything is built. */
#define GVT_ABI_MAX_TEXT 4096       /* bytes of a type text */
#define GVT_ABI_MAX_DEPTH 8         /* nesting of tuples and arrays */
#define GVT_ABI_MAX_FIELDS 256      /* fields of one tuple or struct */
#define GVT_ABI_MAX_HEAD (1u << 20) /* ABI head bytes of one static type */

/*
 * Parses an ABI parameter list as EAS writes schemas: "uint256 score, bytes32
 * nullifier, string name, address[] wallets". Each field is a type and an
 * optional name; types are elementary (uint and int alone mean 256 bits),
 * tuples "(T1 a, T2 b)", and arrays T[] and T[k] of any of them. The root
 * (gvt_eth_types_root) is the tuple of the fields. Field names must be
 * distinct within a tuple.
 */
GVT_ETH_MUST bool gvt_abi_schema_parse(const char *text, size_t len,
                                       gvt_eth_types **out, gvt_eth_error *err);

/*
 * Parses EIP-712 struct definitions written as encodeType writes them, in
 * any order: "Mail(Person from,Person to,string contents)Person(string
 * name,address wallet)". Member types are elementary with explicit sizes,
 * struct names defined in the text, and arrays of either. Recursive structs
 * are refused. Each struct's type hash is computed here.
 */
GVT_ETH_MUST bool gvt_eip712_types_parse(const char *text, size_t len,
                                         gvt_eth_types **out,
                                         gvt_eth_error *err);

/* The schema's tuple (NULL for a set of EIP-712 structs). Borrowed. */
const gvt_abi_type *gvt_eth_types_root(const gvt_eth_types *t);
/* The EIP-712 struct of that name, or NULL. Borrowed. */
const gvt_abi_type *gvt_eth_types_find(const gvt_eth_types *t,
                                       const char *name);
void gvt_eth_types_free(gvt_eth_types *t);

/* The index of a tuple's field of that name, or -1. */
long gvt_abi_field_index(const gvt_abi_type *tuple, const char *name);

/* ---- abi.c: values, decoding, one-word encodings ------------------------- */

/*
 * One value of a type. Elementary static values are text: uint and int in
 * decimal (a leading '-' for negatives, no leading zeros), address as "0x"
 * and 40 hex digits (lower case when decoded, either case when given), bool
 * as "true" or "false". bytes<N>, bytes and string are bytes (decoded ones
 * are followed by a NUL not counted in len). Arrays hold their elements,
 * tuples one value per field in order.
 */
typedef struct gvt_eth_value gvt_eth_value;
struct gvt_eth_value {
    const char *text;
    const uint8_t *bytes;
    size_t len;
    const gvt_eth_value *items;
    size_t n;
};

/* A decoded value and everything it points to. */
typedef struct gvt_abi_doc gvt_abi_doc;

/*
 * Decodes data as the ABI encoding of the tuple's fields (what
 * `abi.encode(a, b, ...)` and EAS's SchemaEncoder write). Strict: every
 * offset and length must stay inside data, bytes and strings be padded with
 * zeros to 32 bytes, static values be clean (no bits above uint<N>'s N, int
 * sign-extended, address and bool high bytes 0, bool 0 or 1, bytes<N> padded
 * with zeros). Trailing bytes after the encoding are allowed (ABI decoders
 * ignore them). Allocation is bounded by the size of data: an encoding whose
 * offsets point many times at the same bytes (a decompression bomb) is
 * refused. Errors name the field and give the offset in data.
 */
GVT_ETH_MUST bool gvt_abi_decode(const gvt_abi_type *tuple, const uint8_t *data,
                                 size_t len, gvt_abi_doc **out,
                                 gvt_eth_error *err);
/* The decoded tuple. Borrowed: lives as long as doc. */
const gvt_eth_value *gvt_abi_doc_value(const gvt_abi_doc *doc);
void gvt_abi_doc_free(gvt_abi_doc *doc);

/*
 * The 32-byte word of a static elementary value (uint, int, address, bool,
 * bytes<N>), as the ABI and EIP-712's encodeData write it. Checks the value
 * against its type: decimal within range, 40 hex digits, exactly N bytes.
 * field names the value in the error.
 */
GVT_ETH_MUST bool gvt_abi_encode_word(const gvt_abi_type *type,
                                      const gvt_eth_value *v, const char *field,
                                      uint8_t out[32], gvt_eth_error *err);

/* ---- eip712.c: typed data ------------------------------------------------ */

/*
 * encodeType of a struct: itself, then the structs it refers to (directly or
 * not) sorted by name. Writes at most size bytes including a NUL; returns
 * the full length (as snprintf does).
 */
size_t gvt_eip712_encode_type(const gvt_abi_type *st, char *buf, size_t size);

/*
 * hashStruct(v) = keccak256(typeHash || encodeData(v)) for a struct type
 * from gvt_eip712_types_parse. Atomic members are encoded as words, bytes
 * and string as the keccak256 of their bytes, arrays as the keccak256 of
 * their elements' encodings, structs as their hashStruct. A value that does
 * not fit its type is an error naming the member ("from.wallet").
 */
GVT_ETH_MUST bool gvt_eip712_hash_struct(const gvt_abi_type *st,
                                         const gvt_eth_value *v,
                                         uint8_t out[32], gvt_eth_error *err);

/*
 * An EIP712Domain: each member given (non-NULL) is part of the type, in the
 * standard order name, version, chainId, verifyingContract, salt.
 */
typedef struct gvt_eip712_domain {
    const char *name;
    const char *version;
    const char *chain_id;           /* decimal */
    const char *verifying_contract; /* "0x" and 40 hex digits */
    const uint8_t *salt;            /* 32 bytes */
} gvt_eip712_domain;

GVT_ETH_MUST bool gvt_eip712_domain_separator(const gvt_eip712_domain *d,
                                              uint8_t out[32],
                                              gvt_eth_error *err);

/* keccak256(0x19 0x01 || domain_separator || struct_hash). */
void gvt_eip712_digest(const uint8_t domain_separator[32],
                       const uint8_t struct_hash[32], uint8_t out[32]);

/*
 * The typed-data shapes of EAS off-chain attestations, as the EAS SDK signs
 * them. Version 0 was signed with either struct name ("Attest" in later
 * releases of the SDK); versions 1 and 2 add the version and a salt.
 */
#define GVT_EIP712_EAS_V0_ATTESTATION                                          \
    "Attestation(bytes32 schema,address recipient,uint64 time,"                \
    "uint64 expirationTime,bool revocable,bytes32 refUID,bytes data)"
#define GVT_EIP712_EAS_V0                                                      \
    "Attest(bytes32 schema,address recipient,uint64 time,"                     \
    "uint64 expirationTime,bool revocable,bytes32 refUID,bytes data)"
#define GVT_EIP712_EAS_V1                                                      \
    "Attest(uint16 version,bytes32 schema,address recipient,uint64 time,"      \
    "uint64 expirationTime,bool revocable,bytes32 refUID,bytes data)"
#define GVT_EIP712_EAS_V2                                                      \
    "Attest(uint16 version,bytes32 schema,address recipient,uint64 time,"      \
    "uint64 expirationTime,bool revocable,bytes32 refUID,bytes data,"          \
    "bytes32 salt)"
#define GVT_EIP712_EAS_DOMAIN_NAME "EAS Attestation"

/*
 * govtally's own typed-data attestation: the fields of gvt-attestation/1,
 * signed by an Ethereum account (docs/identity.md says why the domain has no
 * chain id). subject and weight are hashed as the record writes them.
 */
#define GVT_EIP712_GVT_ATTESTATION                                             \
    "Attestation(address issuer,string subject,bytes32 nullifier,"             \
    "string scope,uint64 issuedAt,uint64 expiresAt,string weight)"
#define GVT_EIP712_GVT_DOMAIN_NAME "govtally attestation"
#define GVT_EIP712_GVT_DOMAIN_VERSION "1"

/* ---- eas.c: EAS off-chain attestations ---------------------------------- */

/*
 * One off-chain attestation of the Ethereum Attestation Service, as its SDK
 * signs it (versions 0, 1 and 2 of the off-chain format). Pointers are
 * borrowed from the caller.
 */
typedef struct gvt_eas_offchain {
    unsigned version;        /* 0, 1 or 2 */
    bool v0_attest;          /* version 0 signed as struct "Attest" (later
                                SDKs) rather than "Attestation" */
    const char *schema_text; /* the schema uid as the message writes it: the
                                uid hashes this text, not the 32 bytes */
    uint8_t schema[32];
    uint8_t recipient[20];
    uint64_t time, expiration_time;
    bool revocable;
    uint8_t ref_uid[32];
    const uint8_t *data;
    size_t data_len;
    uint8_t salt[32];           /* version 2 */
    const char *domain_version; /* the EAS contract's version ("1.0.1") */
    const char *chain_id;       /* decimal */
    uint8_t contract[20];       /* the EAS contract (verifyingContract) */
} gvt_eas_offchain;

/*
 * The attestation's uid as the SDK computes it (getOffchainUID):
 * keccak256 of the packed encoding of [version (uint16, versions 1 and 2)],
 * the schema's text, the recipient, the zero address, time and expiration
 * time (uint64), revocable (bool), refUID, data, [salt (version 2)], and a
 * uint32 0.
 */
void gvt_eas_offchain_uid(const gvt_eas_offchain *a, uint8_t out[32]);

/* The EIP-712 digest the attester signed: domain {name "EAS Attestation",
 * version, chainId, verifyingContract}, the struct of the version. */
GVT_ETH_MUST bool gvt_eas_offchain_digest(const gvt_eas_offchain *a,
                                          uint8_t out[32], gvt_eth_error *err);

#endif
