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
static gvt_status write_secret(const char *path, const char *line, size_t len,
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
    char line[66];
    gvt_hex_encode(line, seed, 32);
    line[64] = '\n';
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    st = write_secret(path, line, 65, err);
    sodium_memzero(line, sizeof line);
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
    char line[68] = "0x";
    gvt_hex_encode(line + 2, key, 32);
    line[66] = '\n';
    sodium_memzero(key, sizeof key);
    st = write_secret(path, line, 67, err);
    sodium_memzero(line, sizeof line);
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

static bool header_line(const char *s, size_t len)
{
    return len == 17 && strncasecmp(s, "address,nullifier", 17) == 0;
}

GVT_API gvt_status gvt_attest_sign_file(const char *key_path,
                                        const char *subjects_path,
                                        const gvt_attest_sign_options *opt,
                                        FILE *out, size_t *out_count,
                                        gvt_error *err)
{
    if (out_count)
        *out_count = 0;
    if (gvt_sodium_start(NULL, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    gvt_attestation t;
    gvt_status st = sign_options(opt, &t, err);
    if (st != GVT_OK)
        return st;

    signer_key k;
    st = read_key(key_path, &k, err);
    if (st != GVT_OK)
        return st;
    t.kind = k.kind;
    memcpy(t.issuer, k.issuer, 32);
    char *text;
    size_t len;
    st = gvt_file_read(subjects_path, true, GVT_LIMIT_SUBJECTS_BYTES, &text,
                       &len, err);
    if (st != GVT_OK) {
        sodium_memzero(&k, sizeof k);
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
        if (n == 0 || (!any && header_line(s, n))) {
            any = any || n > 0;
            start = next;
            continue;
        }
        any = true;
        const char *comma = memchr(s, ',', n);
        if (!comma) {
            st = line_error(err, subjects_path, line, 1, (long long)start,
                            "expected 'address,nullifier'");
            break;
        }
        size_t alen = (size_t)(comma - s);
        const char *nul = comma + 1;
        size_t nlen = n - alen - 1;
        if (!gvt_address_valid(s, alen)) {
            st = line_error(err, subjects_path, line, 1, (long long)start,
                            "expected an address (0x and 40 or 64 hex "
                            "digits) before the comma");
            break;
        }
        if (!gvt_hex_decode(t.nullifier, nul, nlen, 32)) {
            st = line_error(err, subjects_path, line, (long)alen + 2,
                            (long long)(start + alen + 1),
                            "expected a nullifier of 64 hex digits after the "
                            "comma");
            break;
        }
        char subject[67];
        for (size_t c = 0; c < alen; c++)
            subject[c] =
                (char)(s[c] >= 'A' && s[c] <= 'Z' ? s[c] - 'A' + 'a' : s[c]);
        subject[alen] = '\0';
        t.subject = subject;

        if (!sign_one(&k, &t, &b)) {
            gvt_error_set(err, GVT_ERR_INTERNAL, NULL,
                          "cannot sign: EIP-712 types unavailable");
            st = GVT_ERR_INTERNAL;
            break;
        }
        count++;
        if (b.len >= (1 << 16)) {
            if (fwrite(b.data, 1, b.len, out) != b.len)
                st = GVT_ERR_CANTCREAT;
            b.len = 0;
        }
        start = next;
    }
    sodium_memzero(&k, sizeof k);
    free(text);
    if (st == GVT_OK && b.len && fwrite(b.data, 1, b.len, out) != b.len)
        st = GVT_ERR_CANTCREAT;
    gvt_buf_free(&b);
    if (st == GVT_ERR_CANTCREAT || (st == GVT_OK && ferror(out))) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the attestations: %s", strerror(errno));
        return GVT_ERR_CANTCREAT;
    }
    if (st == GVT_OK && out_count)
        *out_count = count;
    return st;
}
