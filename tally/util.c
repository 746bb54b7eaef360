/*
 * util.c: small mechanisms that several modules need once each: reading a
 * whole input file (SPEC 4: "-" is standard input; exit 66 when it cannot be
 * opened or read), whether a choice won a scheme (the report writers).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Reads straight into one growing buffer (no staging copy on the stack), so
 * that a caller holding a secret (sign.c's key file) has one buffer to wipe.
 */
gvt_status gvt_file_read(const char *path, bool read_reason, char **out,
                         size_t *out_len, gvt_error *err)
{
    *out = NULL;
    *out_len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = gvt_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = gvt_xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        free(buf);
        if (read_reason)
            gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read: %s",
                          strerror(saved));
        else
            gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read");
        return GVT_ERR_NOINPUT;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return GVT_OK;
}

bool gvt_scheme_won(const gvt_scheme_result *s, uint32_t choice)
{
    for (size_t i = 0; i < s->n_winners; i++)
        if (s->winners[i] == choice)
            return true;
    return false;
}

unsigned long gvt_display_scaled(const mpz_t part, const mpz_t total,
                                 unsigned long scale)
{
    if (mpz_sgn(total) <= 0)
        return 0;
    /* floor((2 * part * scale + total) / (2 * total)) rounds halves up. */
    mpz_t t, d;
    mpz_inits(t, d, NULL);
    mpz_mul_ui(t, part, scale);
    mpz_mul_2exp(t, t, 1);
    mpz_add(t, t, total);
    mpz_mul_2exp(d, total, 1);
    mpz_fdiv_q(t, t, d);
    unsigned long v = mpz_fits_ulong_p(t) ? mpz_get_ui(t) : scale;
    mpz_clears(t, d, NULL);
    return v;
}

void gvt_display_append(gvt_buf *b, const mpz_t v, int digits)
{
    if (digits < 0)
        digits = 0;
    if (digits >= GVT_FX_DIGITS) {
        gvt_fx_append(b, v, digits);
        return;
    }
    /* Add half a unit of the last digit shown, then truncate. */
    mpz_t r;
    mpz_init(r);
    mpz_ui_pow_ui(r, 10, (unsigned long)(GVT_FX_DIGITS - digits));
    mpz_fdiv_q_2exp(r, r, 1);
    mpz_add(r, r, v);
    gvt_fx_append(b, r, digits);
    mpz_clear(r);
}

uint64_t gvt_hash_bytes(const void *data, size_t len)
{
    const unsigned char *s = data;
    uint64_t h = 0x9e3779b97f4a7c15u ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 29);
}
