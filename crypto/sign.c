/*
 * sign.c: issuing attestations (docs/formats.md#attestations, `govtally attest
 * keygen|sign`, docs/govtally.1): Ed25519 key generation into a private file
 * and signing of a list of subjects into JSON Lines; the same for Ethereum
 * accounts (secp256k1 keys, records of v 2 signed with EIP-712 by typed.c).
 *
 * The secret key file is the 32-byte Ed25519 seed in hex and a newline, or
 * the 32-byte secp256k1 key as "0x" and hex and a newline (as wallets export
 * it; the 0x tells the two apart): short, readable by other tools (Node's
 * crypto takes the same seed, ethers the same key), and created with O_EXCL
 * and mode 0600 so that a key is never silently replaced nor readable by
 * others. The subjects file is one `address,nullifier` per line;
 * both fields are hex, so no quoting is needed or accepted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"

/* Creates path (never replacing a file) with mode 0600 holding line. */
static gvt_status write_line(const char *path, const char *line, size_t len,
                             gvt_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, path,
                      errno == EEXIST ? "%s; refusing to overwrite a key"
                                      : "cannot create: %s",
                      strerror(errno));
        return GVT_ERR_CANTCREAT;
    }
    bool ok = fchmod(fd, 0600) == 0;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t w = write(fd, line + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            done += (size_t)w;
    }
    int saved = errno;
    ok = ok && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok) {
        unlink(path);
        gvt_error_set(err, GVT_ERR_CANTCREAT, path, "cannot write: %s",
                      strerror(saved ? saved : errno));
        return GVT_ERR_CANTCREAT;
    }
    return GVT_OK;
}

/*
 * Creates path (never replacing a file) with mode 0600 holding the 32-byte
 * key as prefix ("" or "0x"), 64 hex digits and a newline; the key and its
 * text are wiped.
 */
static gvt_status write_secret(const char *path, const char *prefix,
                               uint8_t key[32], gvt_error *err)
{
    char line[68];
    size_t at = strlen(prefix), len = at + 65;
    memcpy(line, prefix, at);
    gvt_hex_encode(line + at, key, 32);
    line[at + 64] = '\n';
    sodium_memzero(key, 32);
    gvt_status st = write_line(path, line, len, err);
    sodium_memzero(line, sizeof line);
    return st;
}

static gvt_status keygen_start(const char *path, gvt_error *err)
{
    if (gvt_sodium_start(path, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    if (!path || !*path || strcmp(path, "-") == 0) {
        gvt_error_set(err, GVT_ERR_USAGE, path,
                      "a secret key must go to a file, not standard output");
        return GVT_ERR_USAGE;
    }
    return GVT_OK;
}

GVT_API gvt_status gvt_attest_keygen(const char *path, char out_public_key[65],
                                     gvt_error *err)
{
    out_public_key[0] = '\0';
    gvt_status st = keygen_start(path, err);
    if (st != GVT_OK)
        return st;
    uint8_t seed[32], pk[32], sk[64];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(sk, sizeof sk);
    st = write_secret(path, "", seed, err);
    if (st == GVT_OK)
        gvt_hex_encode(out_public_key, pk, 32);
    return st;
}

GVT_API gvt_status gvt_attest_keygen_eth(const char *path, char out_address[43],
                                         gvt_error *err)
{
    out_address[0] = '\0';
    gvt_status st = keygen_start(path, err);
    if (st != GVT_OK)
        return st;
    uint8_t key[32], addr[20];
    do /* below the group order: all but about 2^-128 of draws */
        randombytes_buf(key, sizeof key);
    while (gvt_secp_address(key, addr) != GVT_SECP_OK);
    st = write_secret(path, "0x", key, err);
    if (st == GVT_OK)
        gvt_eth_address_checksum(addr, out_address);
    return st;
}

/* A secret key: Ed25519 (the seed) or secp256k1, with what it signs as. */
typedef struct signer_key {
    uint8_t kind; /* gvt_signer */
    uint8_t sk[64];
    uint8_t issuer[32]; /* public key, or address and zeros */
} signer_key;

/*
 * Reads a key file: 64 hex digits (an Ed25519 seed) or "0x" and 64 hex
 * digits (a secp256k1 key), then at most one newline.
 */
static gvt_status read_key(const char *path, signer_key *k, gvt_error *err)
{
    char *text;
    size_t len;
    gvt_status st =
        gvt_file_read(path, true, GVT_LIMIT_KEY_BYTES, &text, &len, err);
    if (st != GVT_OK)
        return st;
    size_t n = len;
    if (n > 0 && text[n - 1] == '\n')
        n--;
    if (n > 0 && text[n - 1] == '\r')
        n--;
    memset(k, 0, sizeof *k);
    bool eth = n >= 2 && text[0] == '0' && text[1] == 'x';
    uint8_t seed[32];
    bool ok = gvt_hex_decode(seed, text + (eth ? 2 : 0), n - (eth ? 2 : 0), 32);
    sodium_memzero(text, len);
    free(text);
    if (ok && eth) {
        k->kind = GVT_SIGNER_ETH;
        memcpy(k->sk, seed, 32);
        ok = gvt_secp_address(seed, k->issuer) == GVT_SECP_OK;
    } else if (ok) {
        crypto_sign_seed_keypair(k->issuer, k->sk, seed);
    }
    sodium_memzero(seed, sizeof seed);
    if (!ok) {
        sodium_memzero(k, sizeof *k);
        gvt_error_set(err, GVT_ERR_DATA, path,
                      "not a secret key file (expected 64 hex digits, or 0x "
                      "and 64 hex digits for an Ethereum key, and a newline, "
                      "as written by `govtally attest keygen`)");
        if (err)
            err->line = 1;
        return GVT_ERR_DATA;
    }
    return GVT_OK;
}

static gvt_status line_error(gvt_error *err, const char *file, long line,
                             long column, long long offset, const char *msg)
{
    gvt_error_set(err, GVT_ERR_DATA, file, "%s", msg);
    if (err) {
        err->line = line;
        err->column = column;
        err->offset = offset;
    }
    return GVT_ERR_DATA;
}

/*
 * Signs t (every field set but sig and id) and appends its JSON line with
 * its id to b. v 1: Ed25519 over the canonical message, id its BLAKE2b-256;
 * v 2: the EIP-712 digest (the id) signed with secp256k1.
 */
static bool sign_one(const signer_key *k, gvt_attestation *t, gvt_buf *b)
{
    char issuer[65], nullifier[65], sig[133], id[65], weight[16];
    if (k->kind == GVT_SIGNER_ETH) {
        if (!gvt_typed_digest(t, t->subject, t->id) ||
            gvt_secp_sign(t->id, k->sk, t->sig) != GVT_SECP_OK)
            return false;
        gvt_eth_address_hex(t->issuer, issuer);
        sig[0] = '0';
        sig[1] = 'x';
        gvt_hex_encode(sig + 2, t->sig, 65);
    } else {
        char msg[GVT_ATTEST_MSG_MAX];
        size_t mlen = gvt_attestation_message(t, msg);
        crypto_sign_detached(t->sig, NULL, (const unsigned char *)msg, mlen,
                             k->sk);
        crypto_generichash(t->id, sizeof t->id, (const unsigned char *)msg,
                           mlen, NULL, 0);
        gvt_hex_encode(issuer, t->issuer, 32);
        gvt_hex_encode(sig, t->sig, 64);
    }
    gvt_hex_encode(nullifier, t->nullifier, 32);
    gvt_hex_encode(id, t->id, 32);
    gvt_weight_format(t->weight, weight);
    gvt_buf_printf(b,
                   "{\"v\":%d,\"issuer\":\"%s\",\"subject\":\"%s\","
                   "\"nullifier\":\"%s\",\"scope\":",
                   k->kind == GVT_SIGNER_ETH ? 2 : 1, issuer, t->subject,
                   nullifier);
    gvt_buf_json_string(b, t->scope);
    gvt_buf_printf(b,
                   ",\"issued_at\":%" PRId64 ",\"expires_at\":%" PRId64
                   ",\"weight\":\"%s\",\"sig\":\"%s\",\"id\":\"%s\"}\n",
                   t->issued_at, t->expires_at, weight, sig, id);
    return true;
}

/*
 * A weight as the issuer writes it ("0.50", "1.0", "5e-1", "0.333333") into
 * millionths: exactly (core/fixed.c, no binary double), when it lies in
 * [0, 1] with at most 6 fraction digits once trailing zeros are dropped.
 * The attestation then carries the canonical text (gvt_weight_format), so
 * that "0.50" and "0.5" sign the same message.
 */
static bool weight_any(const char *s, uint32_t *out)
{
    size_t len = strlen(s);
    if (gvt_weight_parse(s, len, out))
        return true;
    mpz_t v, unit, r;
    mpz_inits(v, unit, r, NULL);
    bool ok = len <= GVT_FX_MAX_TEXT &&
              gvt_fx_parse(v, s, len, false) == GVT_FX_OK &&
              mpz_cmp(v, *gvt_fx_one()) <= 0;
    if (ok) {
        mpz_ui_pow_ui(unit, 10, GVT_FX_DIGITS - 6);
        mpz_tdiv_qr(v, r, v, unit);
        ok = mpz_sgn(r) == 0;
        *out = ok ? (uint32_t)mpz_get_ui(v) : 0;
    }
    mpz_clears(v, unit, r, NULL);
    return ok;
}

/* The options every attestation of one call states, into t. */
static gvt_status sign_options(const gvt_attest_sign_options *opt,
                               gvt_attestation *t, gvt_error *err)
{
    const char *weight = opt->weight ? opt->weight : "1";
    memset(t, 0, sizeof *t);
    if (!opt->scope || !gvt_scope_valid(opt->scope, strlen(opt->scope))) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "scope must be '*' or 1 to 128 characters of "
                      "A-Za-z0-9._:-");
        return GVT_ERR_USAGE;
    }
    if (!weight_any(weight, &t->weight)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "weight '%.40s' is not a decimal number in [0, 1] with "
                      "at most 6 fraction digits (\"1\", \"0.5\", "
                      "\"0.25\")",
                      weight);
        return GVT_ERR_USAGE;
    }
    if (opt->issued_at < 0 || opt->expires_at < 0) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "issued_at and expires_at are unix seconds >= 0");
        return GVT_ERR_USAGE;
    }
    t->scope = opt->scope;
    t->issued_at = opt->issued_at;
    t->expires_at = opt->expires_at;
    return GVT_OK;
}

struct gvt_attest_signer {
    signer_key k;
    gvt_attestation t; /* what every attestation of the call states */
};

gvt_status gvt_attest_signer_open(const char *key_path,
                                  const gvt_attest_sign_options *opt,
                                  gvt_attest_signer **out, gvt_error *err)
{
    *out = NULL;
    if (gvt_sodium_start(NULL, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    gvt_attest_signer *s = sodium_malloc(sizeof *s);
    if (!s) {
        gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "out of memory");
        return GVT_ERR_INTERNAL;
    }
    gvt_status st = sign_options(opt, &s->t, err);
    if (st == GVT_OK)
        st = read_key(key_path, &s->k, err);
    if (st != GVT_OK) {
        sodium_free(s);
        return st;
    }
    s->t.kind = s->k.kind;
    memcpy(s->t.issuer, s->k.issuer, 32);
    *out = s;
    return GVT_OK;
}

void gvt_attest_signer_free(gvt_attest_signer *s)
{
    if (s)
        sodium_free(s); /* zeroes the key */
}

gvt_status gvt_attest_signer_sign(gvt_attest_signer *s, const char *subject,
                                  const uint8_t nullifier[32], gvt_buf *b,
                                  gvt_error *err)
{
    s->t.subject = subject;
    memcpy(s->t.nullifier, nullifier, 32);
    if (sign_one(&s->k, &s->t, b))
        return GVT_OK;
    gvt_error_set(err, GVT_ERR_INTERNAL, NULL,
                  "cannot sign: EIP-712 types unavailable");
    return GVT_ERR_INTERNAL;
}

gvt_status gvt_attest_flush(gvt_buf *b, FILE *out, bool last, gvt_error *err)
{
    if ((b->len >= (1 << 16) || last) && b->len) {
        if (fwrite(b->data, 1, b->len, out) != b->len) {
            gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                          "cannot write the attestations: %s", strerror(errno));
            return GVT_ERR_CANTCREAT;
        }
        b->len = 0;
    }
    if (last && (fflush(out) != 0 || ferror(out))) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the attestations: %s", strerror(errno));
        return GVT_ERR_CANTCREAT;
    }
    return GVT_OK;
}

static bool header_line(const char *s, size_t len)
{
    return len == 17 && strncasecmp(s, "address,nullifier", 17) == 0;
}

/* One line `address,nullifier` (s[0..n), at byte start of the file) signed
 * into b. */
static gvt_status subject_line(gvt_attest_signer *sg, const char *path,
                               long line, const char *s, size_t n, size_t start,
                               gvt_buf *b, gvt_error *err)
{
    const char *comma = memchr(s, ',', n);
    if (!comma)
        return line_error(err, path, line, 1, (long long)start,
                          "expected 'address,nullifier'");
    size_t alen = (size_t)(comma - s);
    uint8_t nullifier[32];
    if (!gvt_address_valid(s, alen))
        return line_error(err, path, line, 1, (long long)start,
                          "expected an address (0x and 40 or 64 hex "
                          "digits) before the comma");
    if (!gvt_hex_decode(nullifier, comma + 1, n - alen - 1, 32))
        return line_error(err, path, line, (long)alen + 2,
                          (long long)(start + alen + 1),
                          "expected a nullifier of 64 hex digits after the "
                          "comma");
    char subject[67];
    for (size_t c = 0; c < alen; c++)
        subject[c] =
            (char)(s[c] >= 'A' && s[c] <= 'Z' ? s[c] - 'A' + 'a' : s[c]);
    subject[alen] = '\0';
    return gvt_attest_signer_sign(sg, subject, nullifier, b, err);
}

GVT_API gvt_status gvt_attest_sign_file(const char *key_path,
                                        const char *subjects_path,
                                        const gvt_attest_sign_options *opt,
                                        FILE *out, size_t *out_count,
                                        gvt_error *err)
{
    if (out_count)
        *out_count = 0;
    gvt_attest_signer *sg;
    gvt_status st = gvt_attest_signer_open(key_path, opt, &sg, err);
    if (st != GVT_OK)
        return st;
    char *text;
    size_t len;
    st = gvt_file_read(subjects_path, true, GVT_LIMIT_SUBJECTS_BYTES, &text,
                       &len, err);
    if (st != GVT_OK) {
        gvt_attest_signer_free(sg);
        return st;
    }
    gvt_buf b;
    gvt_buf_init(&b);
    size_t count = 0;
    long line = 0;
    bool any = false;
    for (size_t start = 0; start < len && st == GVT_OK;) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t next = end + 1;
        line++;
        if (end > start && text[end - 1] == '\r')
            end--;
        const char *s = text + start;
        size_t n = end - start;
        if (n > 0 && (any || !header_line(s, n))) {
            st = subject_line(sg, subjects_path, line, s, n, start, &b, err);
            if (st == GVT_OK && ++count)
                st = gvt_attest_flush(&b, out, false, err);
        }
        any = any || n > 0;
        start = next;
    }
    gvt_attest_signer_free(sg);
    free(text);
    if (st == GVT_OK)
        st = gvt_attest_flush(&b, out, true, err);
    gvt_buf_free(&b);
    if (st == GVT_OK && out_count)
        *out_count = count;
    return st;
}
