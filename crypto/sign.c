/*
 * sign.c: issuing attestations (docs/formats.md#attestations, `govtally attest
 * keygen|sign`, docs/govtally.1): Ed25519 key generation into a private file
 * and signing of a list of subjects into JSON Lines.
 *
 * The secret key file is the 32-byte seed in hex and a newline: short,
 * readable by other tools (Node's crypto takes the same seed), and created
 * with O_EXCL and mode 0600 so that a key is never silently replaced nor
 * readable by others. The subjects file is one `address,nullifier` per line;
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

GVT_API gvt_status gvt_attest_keygen(const char *path, char out_public_key[65],
                                     gvt_error *err)
{
    out_public_key[0] = '\0';
    if (gvt_sodium_start(path, err) != GVT_OK)
        return GVT_ERR_INTERNAL;
    if (!path || !*path || strcmp(path, "-") == 0) {
        gvt_error_set(err, GVT_ERR_USAGE, path,
                      "a secret key must go to a file, not standard output");
        return GVT_ERR_USAGE;
    }
    uint8_t seed[32], pk[32], sk[64];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    char line[66];
    gvt_hex_encode(line, seed, 32);
    line[64] = '\n';
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, path,
                      errno == EEXIST ? "%s; refusing to overwrite a key"
                                      : "cannot create: %s",
                      strerror(errno));
        sodium_memzero(line, sizeof line);
        return GVT_ERR_CANTCREAT;
    }
    bool ok = fchmod(fd, 0600) == 0;
    size_t done = 0;
    while (ok && done < 65) {
        ssize_t w = write(fd, line + done, 65 - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            done += (size_t)w;
    }
    int saved = errno;
    ok = ok && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    sodium_memzero(line, sizeof line);
    if (!ok) {
        unlink(path);
        gvt_error_set(err, GVT_ERR_CANTCREAT, path, "cannot write: %s",
                      strerror(saved ? saved : errno));
        return GVT_ERR_CANTCREAT;
    }
    gvt_hex_encode(out_public_key, pk, 32);
    return GVT_OK;
}

/* Reads the seed of a key file: 64 hex digits, then at most one newline. */
static gvt_status read_key(const char *path, uint8_t pk[32], uint8_t sk[64],
                           gvt_error *err)
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
    uint8_t seed[32];
    bool ok = gvt_hex_decode(seed, text, n, 32);
    sodium_memzero(text, len);
    free(text);
    if (!ok) {
        gvt_error_set(err, GVT_ERR_DATA, path,
                      "not a secret key file (expected 64 hex digits and a "
                      "newline, as written by `govtally attest keygen`)");
        if (err)
            err->line = 1;
        return GVT_ERR_DATA;
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
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
    const char *weight = opt->weight ? opt->weight : "1";
    gvt_attestation t;
    memset(&t, 0, sizeof t);
    if (!opt->scope || !gvt_scope_valid(opt->scope, strlen(opt->scope))) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "scope must be '*' or 1 to 128 characters of "
                      "A-Za-z0-9._:-");
        return GVT_ERR_USAGE;
    }
    if (!gvt_weight_parse(weight, strlen(weight), &t.weight)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "weight '%s' is not a canonical weight in [0, 1] with "
                      "at most 6 fraction digits (\"1\", \"0.5\")",
                      weight);
        return GVT_ERR_USAGE;
    }
    if (opt->issued_at < 0 || opt->expires_at < 0) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "issued_at and expires_at are unix seconds >= 0");
        return GVT_ERR_USAGE;
    }
    t.scope = opt->scope;
    t.issued_at = opt->issued_at;
    t.expires_at = opt->expires_at;

    uint8_t sk[64];
    gvt_status st = read_key(key_path, t.issuer, sk, err);
    if (st != GVT_OK)
        return st;
    char *text;
    size_t len;
    st = gvt_file_read(subjects_path, true, GVT_LIMIT_SUBJECTS_BYTES, &text,
                       &len, err);
    if (st != GVT_OK) {
        sodium_memzero(sk, sizeof sk);
        return st;
    }

    char issuer_hex[65];
    gvt_hex_encode(issuer_hex, t.issuer, 32);
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
        for (size_t k = 0; k < alen; k++)
            subject[k] =
                (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
        subject[alen] = '\0';
        t.subject = subject;

        char msg[GVT_ATTEST_MSG_MAX];
        size_t mlen = gvt_attestation_message(&t, msg);
        crypto_sign_detached(t.sig, NULL, (const unsigned char *)msg, mlen, sk);
        crypto_generichash(t.id, sizeof t.id, (const unsigned char *)msg, mlen,
                           NULL, 0);
        char nullifier_hex[65], sig_hex[129], id_hex[65], wtext[16];
        gvt_hex_encode(nullifier_hex, t.nullifier, 32);
        gvt_hex_encode(sig_hex, t.sig, 64);
        gvt_hex_encode(id_hex, t.id, 32);
        gvt_weight_format(t.weight, wtext);
        gvt_buf_printf(&b,
                       "{\"v\":1,\"issuer\":\"%s\",\"subject\":\"%s\","
                       "\"nullifier\":\"%s\",\"scope\":",
                       issuer_hex, subject, nullifier_hex);
        gvt_buf_json_string(&b, t.scope);
        gvt_buf_printf(&b,
                       ",\"issued_at\":%" PRId64 ",\"expires_at\":%" PRId64
                       ",\"weight\":\"%s\",\"sig\":\"%s\",\"id\":\"%s\"}\n",
                       t.issued_at, t.expires_at, wtext, sig_hex, id_hex);
        count++;
        if (b.len >= (1 << 16)) {
            if (fwrite(b.data, 1, b.len, out) != b.len)
                st = GVT_ERR_CANTCREAT;
            b.len = 0;
        }
        start = next;
    }
    sodium_memzero(sk, sizeof sk);
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
