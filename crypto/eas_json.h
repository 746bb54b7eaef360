/*
 * eas_json.h: the strict JSON reading shared by crypto/eas.c (off-chain
 * packages) and crypto/eas_onchain.c (gvt-eas-onchain/1 lines): each object
 * parsed whole with yajl_tree, from JSON Lines or one JSON array; an error
 * is GVT_ERR_DATA naming the file, the line (JSON Lines) and the JSON path;
 * and the attestation record both make of what they read.
 */
#ifndef GVT_EAS_JSON_H
#define GVT_EAS_JSON_H

#include <yajl/yajl_tree.h>

#include "crypto/crypto.h"

typedef struct gvt_easj {
    const char *file;
    long line;      /* 1-based, JSON Lines */
    char path[160]; /* the JSON path of the next error */
    gvt_error *err;
} gvt_easj;

/* A string's text, or NULL for any other value. */
const char *gvt_easj_str(yajl_val v);
/* Fills the error (file, line, path, message); returns false. */
bool gvt_easj_fail(gvt_easj *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The member key of object o, or NULL; a key given twice sets *bad. */
yajl_val gvt_easj_member(gvt_easj *r, yajl_val o, const char *key, bool *bad);
/* Sets the path to base.key for the next error. */
void gvt_easj_at(gvt_easj *r, const char *base, const char *key);
/* The member, or NULL with *bad set and "missing field" in the error. */
yajl_val gvt_easj_need(gvt_easj *r, yajl_val o, const char *base,
                       const char *key, bool *bad);
/* A uint64: a JSON integer, or a string of decimal or 0x-hex digits. */
bool gvt_easj_number(gvt_easj *r, yajl_val v, uint64_t *out);
/* "0x" and exactly 2n hex digits into out. */
bool gvt_easj_hex_bytes(gvt_easj *r, yajl_val v, uint8_t *out, size_t n);
/* "0x" and 40 hex digits, either case. */
bool gvt_easj_address(gvt_easj *r, yajl_val v, uint8_t out[20]);

/* Reads one object (the path starts at "$"). */
typedef bool (*gvt_easj_fn)(gvt_easj *r, yajl_val object, void *ctx);
/* Every object of text (JSON Lines, blank lines skipped, or one array of
 * `what`) through one. */
gvt_status gvt_easj_lines(gvt_easj *r, const char *text, size_t len,
                          const char *what, gvt_easj_fn one, void *ctx);

/*
 * Counts a new record of kind GVT_SIGNER_EAS in a from an EAS attestation's
 * fields (the attester is its issuer, the recipient its subject; scope "*",
 * weight one until its source resolves it) with info and r's line; returns
 * it (the caller may add the signature).
 */
gvt_attestation *gvt_easj_add(gvt_easj *r, gvt_attestations *a,
                              const uint8_t attester[20], const uint8_t uid[32],
                              const uint8_t recipient[20], uint64_t time,
                              uint64_t expiration_time, gvt_eas_info *info);

#endif
