/*
 * display.c: figures shown to people (the text and HTML reports), rounded
 * half up from the accessors' decimal strings (report.h says why that is
 * the rounding of the exact value); the JSON and CSV reports keep the
 * truncation of the result (docs/formats.md#result).
 */
#include <string.h>

#include "report/report.h"

/* dec (a decimal of the accessors, >= 0) into v at fixed point; 0 when it
 * is not one, which the accessors never give. */
static void parse(mpz_t v, const char *dec)
{
    if (gvt_fx_parse(v, dec, strlen(dec), false) != GVT_FX_OK)
        mpz_set_ui(v, 0);
}

void gvt_display_decimal(gvt_buf *b, const char *dec, int digits)
{
    if (digits < 0)
        digits = 0;
    mpz_t v, r;
    mpz_inits(v, r, NULL);
    parse(v, dec);
    if (digits >= GVT_FX_DIGITS) {
        gvt_fx_append(b, v, digits);
    } else {
        /* Add half a unit of the last digit shown, then truncate. */
        mpz_ui_pow_ui(r, 10, (unsigned long)(GVT_FX_DIGITS - digits));
        mpz_fdiv_q_2exp(r, r, 1);
        mpz_add(r, r, v);
        gvt_fx_append(b, r, digits);
    }
    mpz_clears(v, r, NULL);
}

void gvt_display_pct(gvt_buf *b, const char *share)
{
    mpz_t v;
    mpz_init(v);
    parse(v, share);
    unsigned long x = gvt_fx_round_scaled(v, *gvt_fx_one(), 10000);
    gvt_buf_printf(b, "%lu.%02lu%%", x / 100, x % 100);
    mpz_clear(v);
}

void gvt_display_amount(gvt_buf *b, const char *dec)
{
    gvt_buf rb;
    gvt_buf_init(&rb);
    gvt_display_decimal(&rb, dec, 2);
    const char *raw = rb.data ? rb.data : "0";
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    for (size_t i = 0; i < ilen; i++) {
        if (i > 0 && (ilen - i) % 3 == 0 && raw[i - 1] != '-')
            gvt_buf_putc(b, ',');
        gvt_buf_putc(b, raw[i]);
    }
    gvt_buf_putc(b, '.');
    gvt_buf_putc(b, dot && dot[1] ? dot[1] : '0');
    gvt_buf_putc(b, dot && dot[1] && dot[2] ? dot[2] : '0');
    gvt_buf_free(&rb);
}
