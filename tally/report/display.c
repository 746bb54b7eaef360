/*
 * display.c: figures shown to people (the text and HTML reports), rounded
 * half up; the JSON and CSV reports keep the truncation of the
 * result (docs/formats.md#result).
 */
#include "report/report.h"

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
