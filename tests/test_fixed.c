/*
 * test_fixed.c: exact decimal conversion (tally/fixed.c),
 * docs/formats.md#proposal-export and docs/numbers.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void expect_round_trip(const char *in, const char *out)
{
    mpz_t v;
    mpz_init(v);
    assert_int_equal(gvt_fx_parse(v, in, strlen(in), true), GVT_FX_OK);
    char *s = gvt_fx_to_string(v, GVT_FX_DIGITS);
    assert_string_equal(s, out);
    free(s);
    mpz_clear(v);
}

static void expect_status(const char *in, gvt_fx_status st)
{
    mpz_t v;
    mpz_init(v);
    assert_int_equal(gvt_fx_parse(v, in, strlen(in), false), st);
    mpz_clear(v);
}

static void parses_exactly(void **state)
{
    (void)state;
    expect_round_trip("0", "0");
    expect_round_trip("-0", "0");
    expect_round_trip("43.0", "43");
    expect_round_trip("1.2e-7", "0.00000012");
    expect_round_trip("1.2E+3", "1200");
    expect_round_trip("0.30000000000000004", "0.30000000000000004");
    expect_round_trip("1.2345678901234567e-9", "0.0000000012345678901234567");
    expect_round_trip("321446000000000000000000", "321446000000000000000000");
    expect_round_trip("-2.5", "-2.5");
    expect_round_trip("1e-36", "0.000000000000000000000000000000000001");
    expect_round_trip("100e-38", "0.000000000000000000000000000000000001");
    expect_round_trip("0e999999999", "0");
}

/*
 * Random decimals "digits[.digits]" (leading zeros, up to 25 integer and 40
 * fraction digits: both the one-pass form and the general path) against an
 * oracle: the digits as one integer, times 10^(36 - fraction digits), or
 * divided by 10^(fraction digits - 36) when that is exact (else too
 * precise).
 */
static void parses_like_oracle(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252u;
    mpz_t v, want, pow;
    mpz_inits(v, want, pow, NULL);
    for (int iter = 0; iter < 20000; iter++) {
        char text[80], digits[80];
        size_t n = 0, nd = 0;
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        int int_digits = 1 + (int)(seed % 25);
        int frac = (int)((seed >> 8) % 3 == 0 ? 0 : (seed >> 16) % 41);
        for (int k = 0; k < int_digits + frac; k++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            char c = (char)('0' + (seed >> 40) % 10);
            if ((seed >> 20) % 4 == 0)
                c = '0'; /* more zeros: leading and trailing ones */
            if (k == int_digits)
                text[n++] = '.';
            text[n++] = c;
            digits[nd++] = c;
        }
        text[n] = digits[nd] = '\0';
        mpz_set_str(want, digits, 10);
        gvt_fx_status expect = GVT_FX_OK;
        if (frac <= GVT_FX_DIGITS) {
            mpz_ui_pow_ui(pow, 10, (unsigned long)(GVT_FX_DIGITS - frac));
            mpz_mul(want, want, pow);
        } else {
            mpz_ui_pow_ui(pow, 10, (unsigned long)(frac - GVT_FX_DIGITS));
            if (mpz_divisible_p(want, pow))
                mpz_divexact(want, want, pow);
            else
                expect = GVT_FX_TOO_PRECISE;
        }
        gvt_fx_status st = gvt_fx_parse(v, text, n, false);
        if (st != expect)
            fprintf(stderr, "%s: status %d, want %d\n", text, st, expect);
        assert_int_equal(st, expect);
        if (st == GVT_FX_OK)
            assert_int_equal(mpz_cmp(v, want), 0);
    }
    mpz_clears(v, want, pow, NULL);
}

static void refuses_bad_numbers(void **state)
{
    (void)state;
    expect_status("", GVT_FX_SYNTAX);
    expect_status("abc", GVT_FX_SYNTAX);
    expect_status("1.", GVT_FX_SYNTAX);
    expect_status(".5", GVT_FX_SYNTAX);
    expect_status("1e", GVT_FX_SYNTAX);
    expect_status("1e+", GVT_FX_SYNTAX);
    expect_status("1x", GVT_FX_SYNTAX);
    expect_status("NaN", GVT_FX_SYNTAX);
    expect_status("-1", GVT_FX_NEGATIVE);
    expect_status("1e999999999", GVT_FX_TOO_LARGE);
    expect_status("1e61", GVT_FX_TOO_LARGE);
    expect_status("1e-37", GVT_FX_TOO_PRECISE);
    expect_status("1.0000000000000000000000000000000000001",
                  GVT_FX_TOO_PRECISE);
    char big[300];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_status(big, GVT_FX_TOO_LARGE);
}

static void formats_truncating(void **state)
{
    (void)state;
    mpz_t v;
    mpz_init(v);
    assert_int_equal(gvt_fx_parse(v, "2.9999999999999999999", 21, false),
                     GVT_FX_OK);
    char *s = gvt_fx_to_string(v, GVT_OUT_DIGITS);
    assert_string_equal(s, "2.999999999999999999");
    free(s);
    mpz_neg(v, v);
    s = gvt_fx_to_string(v, GVT_OUT_DIGITS);
    assert_string_equal(s, "-2.999999999999999999");
    free(s);
    mpz_clear(v);
}

static void sqrt_floors(void **state)
{
    (void)state;
    mpz_t v, r;
    mpz_inits(v, r, NULL);
    assert_int_equal(gvt_fx_parse(v, "2", 1, false), GVT_FX_OK);
    gvt_fx_sqrt(r, v);
    char *s = gvt_fx_to_string(r, GVT_OUT_DIGITS);
    assert_string_equal(s, "1.414213562373095048");
    free(s);
    assert_int_equal(gvt_fx_parse(v, "9", 1, false), GVT_FX_OK);
    gvt_fx_sqrt(r, v);
    s = gvt_fx_to_string(r, GVT_FX_DIGITS);
    assert_string_equal(s, "3");
    free(s);
    mpz_clears(v, r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_exactly),
        cmocka_unit_test(parses_like_oracle),
        cmocka_unit_test(refuses_bad_numbers),
        cmocka_unit_test(formats_truncating),
        cmocka_unit_test(sqrt_floors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
