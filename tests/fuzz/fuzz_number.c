/*
 * fuzz_number.c: fuzz target for the number parser (core/fixed.c,
 * docs/numbers.md). Any text gives a value or a reason, never a crash, and
 * a value survives the round trip: printed with all 36 fraction digits and
 * parsed again it is the same integer, and printed with 18 digits it
 * parses to the value truncated toward zero at 10^-18.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    mpz_t v, w, t;
    mpz_inits(v, w, t, NULL);
    bool neg = size > 0 && (data[0] & 1);
    gvt_fx_status st = gvt_fx_parse(v, text, size, neg);
    if (st == GVT_FX_OK) {
        if (!neg && mpz_sgn(v) < 0)
            abort();
        char *s = gvt_fx_to_string(v, GVT_FX_DIGITS);
        if (gvt_fx_parse(w, s, strlen(s), true) != GVT_FX_OK ||
            mpz_cmp(v, w) != 0)
            abort();
        free(s);
        /* 18 digits: v truncated toward zero at 10^-18 */
        s = gvt_fx_to_string(v, GVT_OUT_DIGITS);
        if (gvt_fx_parse(w, s, strlen(s), true) != GVT_FX_OK)
            abort();
        mpz_ui_pow_ui(t, 10, GVT_FX_DIGITS - GVT_OUT_DIGITS);
        mpz_tdiv_q(t, v, t);
        mpz_ui_pow_ui(v, 10, GVT_FX_DIGITS - GVT_OUT_DIGITS);
        mpz_mul(t, t, v);
        if (mpz_cmp(t, w) != 0)
            abort();
        free(s);
    } else if (!gvt_fx_status_text(st)[0]) {
        abort();
    }
    mpz_clears(v, w, t, NULL);
    free(text);
    return 0;
}
