/*
 * fixed.c: exact conversion between decimal text and the fixed-point amounts
 * of the engine (value * 10^36 in a GMP integer),
 * docs/formats.md#proposal-export and docs/numbers.md.
 *
 * A number's text is checked and bounded before GMP sees it: at most
 * GVT_FX_MAX_TEXT characters, and the exponent is folded into a digit count
 * first, so "1e999999999" is refused as too large instead of allocating
 * gigabytes. Conversion never goes through a binary double: the digits are
 * the value. A number that needs more than 36 fraction digits is refused
 * rather than rounded (see docs/numbers.md).
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Powers of ten up to the largest shift a parse can need (36 fraction
 * digits + 60 integer digits), built once. */
#define POW10_MAX (GVT_FX_DIGITS + GVT_FX_MAX_INT_DIGITS)
static mpz_t fx_pow10[POW10_MAX + 1];
#define fx_one fx_pow10[GVT_FX_DIGITS]
static pthread_once_t fx_once = PTHREAD_ONCE_INIT;

static void fx_init(void)
{
    for (int k = 0; k <= POW10_MAX; k++) {
        mpz_init(fx_pow10[k]);
        mpz_ui_pow_ui(fx_pow10[k], 10, (unsigned long)k);
    }
}

const mpz_t *gvt_fx_one(void)
{
    pthread_once(&fx_once, fx_init);
    return (const mpz_t *)&fx_one;
}

const char *gvt_fx_status_text(gvt_fx_status s)
{
    switch (s) {
    case GVT_FX_OK:
        return "ok";
    case GVT_FX_SYNTAX:
        return "not a decimal number";
    case GVT_FX_NEGATIVE:
        return "negative number";
    case GVT_FX_TOO_LARGE:
        return "number too large (more than 60 integer digits)";
    case GVT_FX_TOO_PRECISE:
        return "number too precise (more than 36 fraction digits)";
    }
    return "?";
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t gvt_fx_scan_plain(mpz_t out, const char *text, size_t avail)
{
    if (ULONG_MAX < 9999999999999999999u || avail == 0 || !is_digit(text[0]))
        return 0;
    unsigned long m = 0;
    int significant = 0, frac = 0;
    bool point = false;
    size_t i = 0;
    for (; i < avail; i++) {
        char c = text[i];
        if (is_digit(c)) {
            if (significant || c != '0')
                if (++significant > 19)
                    return 0;
            m = m * 10 + (unsigned long)(c - '0');
            frac += point;
        } else if (c == '.' && !point && i + 1 < avail &&
                   is_digit(text[i + 1])) {
            point = true;
        } else {
            break;
        }
    }
    if (frac > GVT_FX_DIGITS)
        return 0;
    if (frac < GVT_FX_DIGITS) {
        pthread_once(&fx_once, fx_init);
        mpz_mul_ui(out, fx_pow10[GVT_FX_DIGITS - frac], m);
    } else {
        mpz_set_ui(out, m);
    }
    return i;
}

gvt_fx_status gvt_fx_parse(mpz_t out, const char *text, size_t len,
                           bool allow_negative)
{
    if (len == 0 || len > GVT_FX_MAX_TEXT)
        return len ? GVT_FX_TOO_LARGE : GVT_FX_SYNTAX;
    if (gvt_fx_scan_plain(out, text, len) == len)
        return GVT_FX_OK;
    size_t i = 0;
    bool negative = false;
    if (text[i] == '-' || text[i] == '+') {
        negative = text[i] == '-';
        i++;
    }
    /* Mantissa digits without leading zeros, and the count of fraction
     * digits among them. */
    char digits[GVT_FX_MAX_TEXT + 1];
    size_t nd = 0;
    long frac = 0;
    bool any = false, point = false;
    for (; i < len; i++) {
        char c = text[i];
        if (is_digit(c)) {
            any = true;
            if (nd > 0 || c != '0')
                digits[nd++] = c;
            if (point)
                frac++;
        } else if (c == '.' && !point && any) {
            point = true;
            if (i + 1 >= len || !is_digit(text[i + 1]))
                return GVT_FX_SYNTAX;
        } else {
            break;
        }
    }
    if (!any)
        return GVT_FX_SYNTAX;
    long exp = 0;
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (text[i] == '+' || text[i] == '-'))
            eneg = text[i++] == '-';
        if (i >= len || !is_digit(text[i]))
            return GVT_FX_SYNTAX;
        for (; i < len && is_digit(text[i]); i++) {
            if (exp < 100000000)
                exp = exp * 10 + (text[i] - '0');
        }
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return GVT_FX_SYNTAX;
    if (nd == 0) {
        mpz_set_ui(out, 0);
        return GVT_FX_OK;
    }
    if (negative && !allow_negative)
        return GVT_FX_NEGATIVE;
    /* value = digits * 10^(exp - frac); scaled by 10^36. */
    long shift = exp - frac + GVT_FX_DIGITS;
    long int_digits = (long)nd + exp - frac;
    if (int_digits > GVT_FX_MAX_INT_DIGITS)
        return GVT_FX_TOO_LARGE;
    if (shift < 0) {
        /* The last -shift digits must be zeros. */
        if ((long)nd + shift <= 0)
            return GVT_FX_TOO_PRECISE;
        for (long k = (long)nd + shift; k < (long)nd; k++)
            if (digits[k] != '0')
                return GVT_FX_TOO_PRECISE;
        nd = (size_t)((long)nd + shift);
        shift = 0;
    }
    digits[nd] = '\0';
    /* shift <= POW10_MAX: int_digits <= 60 bounds it. */
    if (shift > 0)
        pthread_once(&fx_once, fx_init);
    if (nd <= 19 && ULONG_MAX >= 9999999999999999999u) {
        /* Fast path: the digits fit an unsigned long (one GMP call). */
        unsigned long m = 0;
        for (size_t k = 0; k < nd; k++)
            m = m * 10 + (unsigned long)(digits[k] - '0');
        if (shift > 0)
            mpz_mul_ui(out, fx_pow10[shift], m);
        else
            mpz_set_ui(out, m);
    } else {
        mpz_set_str(out, digits, 10);
        if (shift > 0)
            mpz_mul(out, out, fx_pow10[shift]);
    }
    if (negative)
        mpz_neg(out, out);
    return GVT_FX_OK;
}

/* u's decimal digits into out (room for 20), most significant first;
 * returns their count. */
static size_t ulong_digits(char *out, unsigned long u)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    return n;
}

/*
 * The common case of gvt_fx_append, 18 digits of a value below 2^512,
 * without GMP's string conversion and its allocations: |v| divided by
 * 10^18 twice at limb level gives the fraction's digits (the remainder of
 * the second division) and an integer part that usually fits one limb.
 * Returns false (nothing written) otherwise.
 */
static bool append_small(gvt_buf *b, const mpz_t v, int digits)
{
    size_t n = mpz_size(v);
    if (digits != 18 || n > 8 || GMP_NUMB_BITS != 64 || GMP_NAIL_BITS != 0)
        return false;
    const mp_limb_t e18 = 1000000000000000000u;
    mp_limb_t t[8] = {0};
    unsigned long ip = 0, frac = 0;
    if (n) {
        mpn_divrem_1(t, 0, mpz_limbs_read(v), (mp_size_t)n, e18);
        frac = mpn_divrem_1(t, 0, t, (mp_size_t)n, e18);
        for (size_t i = 1; i < n; i++)
            if (t[i])
                return false;
        ip = t[0];
    }
    char *o = gvt_buf_extend(b, 1 + 20 + 1 + 18);
    size_t len = 0;
    if (mpz_sgn(v) < 0 && (ip || frac))
        o[len++] = '-';
    len += ulong_digits(o + len, ip);
    if (frac) {
        o[len++] = '.';
        int nd = digits;
        while (frac % 10 == 0) {
            frac /= 10;
            nd--;
        }
        for (int i = nd - 1; i >= 0; i--) {
            o[len + (size_t)i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        len += (size_t)nd;
    }
    b->len = (size_t)(o - b->data) + len;
    b->data[b->len] = '\0';
    return true;
}

void gvt_fx_append(gvt_buf *b, const mpz_t v, int digits)
{
    gvt_fx_one();
    if (digits < 0)
        digits = 0;
    if (digits > GVT_FX_DIGITS)
        digits = GVT_FX_DIGITS;
    if (append_small(b, v, digits))
        return;
    mpz_t q;
    mpz_init(q);
    mpz_tdiv_q(q, v, fx_pow10[GVT_FX_DIGITS - digits]);
    bool negative = mpz_sgn(q) < 0;
    mpz_abs(q, q);
    char *s = mpz_get_str(NULL, 10, q);
    size_t n = strlen(s);
    if (negative)
        gvt_buf_putc(b, '-');
    if (n <= (size_t)digits) {
        gvt_buf_putc(b, '0');
        /* Fraction digits: zeros, then s, then strip trailing zeros. */
        size_t end = n;
        while (end > 0 && s[end - 1] == '0')
            end--;
        if (end > 0) {
            gvt_buf_putc(b, '.');
            for (size_t k = n; k < (size_t)digits; k++)
                gvt_buf_putc(b, '0');
            gvt_buf_add(b, s, end);
        }
    } else {
        size_t ip = n - (size_t)digits;
        gvt_buf_add(b, s, ip);
        size_t end = n;
        while (end > ip && s[end - 1] == '0')
            end--;
        if (end > ip) {
            gvt_buf_putc(b, '.');
            gvt_buf_add(b, s + ip, end - ip);
        }
    }
    void (*freefn)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefn);
    freefn(s, n + 1);
    mpz_clear(q);
}

char *gvt_fx_to_string(const mpz_t v, int digits)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_fx_append(&b, v, digits);
    return b.data;
}

void gvt_fx_sqrt(mpz_t out, const mpz_t v)
{
    mpz_mul(out, v, *gvt_fx_one());
    mpz_sqrt(out, out);
}

void gvt_fx_ratio(mpz_t out, const mpz_t a, const mpz_t b)
{
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, a, *gvt_fx_one());
    mpz_fdiv_q(out, t, b);
    mpz_clear(t);
}

unsigned long gvt_fx_round_scaled(const mpz_t part, const mpz_t total,
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

void gvt_fx_mul(mpz_t out, const mpz_t a, const mpz_t b)
{
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, a, b);
    mpz_fdiv_q(out, t, *gvt_fx_one());
    mpz_clear(t);
}
