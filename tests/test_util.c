/*
 * test_util.c: gvt_file_read (util.c), the whole-file reader of import,
 * replay and the crypto inputs: contents with a NUL after them, the empty
 * file, and the exact exit status and messages of an input that cannot be
 * opened or read (a directory opens but fails to read with EISDIR);
 * gvt_scheme_won; gvt_hex_digit (hex.c); gvt_buf_html (buf.c);
 * gvt_buf_printf against the C library's snprintf, its plain formats (its
 * own digits) and the others (vsnprintf, output longer than the room).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "score/score.h"
#include "tmpdir.h"

static void reads_contents(void **state)
{
    (void)state;
    const char *path = tmpdir_write("empty", "");
    char *text;
    size_t len;
    gvt_error err;
    assert_int_equal(gvt_file_read(path, false, 1 << 20, &text, &len, &err),
                     GVT_OK);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
    /* Larger than the first buffer (64 KiB), so that it must grow. */
    char *big = malloc(100001);
    assert_non_null(big);
    for (int i = 0; i < 100000; i++)
        big[i] = (char)('a' + i % 26);
    big[100000] = '\0';
    path = tmpdir_write("big", big);
    free(big);
    assert_int_equal(gvt_file_read(path, true, 1 << 20, &text, &len, &err),
                     GVT_OK);
    assert_int_equal(len, 100000);
    assert_int_equal(text[99999], 'a' + 99999 % 26);
    assert_int_equal(text[100000], '\0');
    free(text);
}

static void failures(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/absent", tmpdir);
    char *text = (char *)1;
    size_t len = 7;
    gvt_error err;
    assert_int_equal(gvt_file_read(path, true, 1 << 20, &text, &len, &err),
                     GVT_ERR_NOINPUT);
    assert_null(text);
    assert_int_equal(len, 0);
    assert_string_equal(err.file, path);
    assert_string_equal(err.message, "cannot open: No such file or directory");
    assert_int_equal(gvt_file_read(tmpdir, true, 1 << 20, &text, &len, &err),
                     GVT_ERR_NOINPUT);
    assert_string_equal(err.message, "cannot read: Is a directory");
    assert_int_equal(gvt_file_read(tmpdir, false, 1 << 20, &text, &len, &err),
                     GVT_ERR_NOINPUT);
    assert_string_equal(err.message, "cannot read");
    assert_null(text);
}

/* A limit is a data error naming the file and the limit: a regular file
 * is measured before reading, a device or a pipe stops at limit + 1 bytes
 * (/dev/zero never ends). Exactly the limit is accepted. */
static void limits(void **state)
{
    (void)state;
    char *text = (char *)1;
    size_t len = 7;
    gvt_error err;
    const char *path = tmpdir_write("ten", "0123456789");
    assert_int_equal(gvt_file_read(path, true, 10, &text, &len, &err), GVT_OK);
    assert_int_equal(len, 10);
    free(text);
    assert_int_equal(gvt_file_read(path, true, 9, &text, &len, &err),
                     GVT_ERR_DATA);
    assert_null(text);
    assert_int_equal(len, 0);
    assert_string_equal(err.file, path);
    assert_string_equal(err.message, "larger than the limit of 9 bytes for "
                                     "this input (docs/limits.md)");
    assert_int_equal(
        gvt_file_read("/dev/zero", true, 3 << 20, &text, &len, &err),
        GVT_ERR_DATA);
    assert_null(text);
    assert_string_equal(err.file, "/dev/zero");
    assert_string_equal(err.message, "larger than the limit of 3 MiB for "
                                     "this input (docs/limits.md)");
    char buf[32];
    gvt_size_text((size_t)4 << 30, buf, sizeof buf);
    assert_string_equal(buf, "4 GiB");
    gvt_size_text(65 << 10, buf, sizeof buf);
    assert_string_equal(buf, "65 KiB");
    gvt_size_text(1000, buf, sizeof buf);
    assert_string_equal(buf, "1000 bytes");
}

static void scheme_won(void **state)
{
    (void)state;
    uint32_t winners[2] = {2, 3};
    gvt_scheme_result s;
    memset(&s, 0, sizeof s);
    s.winners = winners;
    s.n_winners = 2;
    assert_false(gvt_scheme_won(&s, 1));
    assert_true(gvt_scheme_won(&s, 2));
    assert_true(gvt_scheme_won(&s, 3));
    s.n_winners = 0; /* every score zero: no winner */
    assert_false(gvt_scheme_won(&s, 2));
}

/* Hex digits of either case; the neighbours of each range are not. */
static void hex_digits(void **state)
{
    (void)state;
    const char *digits = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        assert_int_equal(gvt_hex_digit(digits[i]), i);
        if (i >= 10)
            assert_int_equal(gvt_hex_digit((char)(digits[i] - 'a' + 'A')), i);
    }
    const char *not_hex = "/:@G`g x";
    for (const char *c = not_hex; *c; c++)
        assert_int_equal(gvt_hex_digit(*c), -1);
    assert_int_equal(gvt_hex_digit('\0'), -1);
}

/* gvt_buf_html: markup escaped; control characters other than tab, LF and
 * CR (not allowed in HTML, even as references) become '?'; UTF-8 kept. */
static void html_text(void **state)
{
    (void)state;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_html(&b, "<a href='x'>\"&\"</a>\t\x1b[31m\x7f\x01\n\xc3\xbc");
    assert_string_equal(b.data,
                        "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;"
                        "/a&gt;\t?[31m??\n\xc3\xbc");
    gvt_buf_free(&b);
}

/* gvt_buf_printf appends what snprintf writes (the oracle), at the end of
 * what the buffer held. */
#define SAME_AS_SNPRINTF(...)                                                  \
    do {                                                                       \
        char want[512];                                                        \
        snprintf(want, sizeof want, __VA_ARGS__);                              \
        gvt_buf b;                                                             \
        gvt_buf_init(&b);                                                      \
        gvt_buf_puts(&b, "<");                                                 \
        gvt_buf_printf(&b, __VA_ARGS__);                                       \
        assert_int_equal(b.len, strlen(want) + 1);                             \
        assert_string_equal(b.data + 1, want);                                 \
        gvt_buf_free(&b);                                                      \
    } while (0)

static void printf_formats(void **state)
{
    (void)state;
    const char *long_text = "a text longer than the sixty-four bytes of room "
                            "that a first pass is given, twice over and more";
    SAME_AS_SNPRINTF("%s", "");
    SAME_AS_SNPRINTF("plain text, 100%% literal");
    SAME_AS_SNPRINTF(",%s,%zu,%zu,", "single-choice", (size_t)0, SIZE_MAX);
    SAME_AS_SNPRINTF("%s%u|%u", "x", 0u, UINT_MAX);
    SAME_AS_SNPRINTF("%d %d %d", 0, INT_MIN, INT_MAX);
    SAME_AS_SNPRINTF("%ld %ld %lu", LONG_MIN, -1L, ULONG_MAX);
    SAME_AS_SNPRINTF("%lld %llu %%%s", LLONG_MIN, ULLONG_MAX, "end");
    SAME_AS_SNPRINTF("%s and %s", long_text, long_text);
    /* not plain: through vsnprintf */
    SAME_AS_SNPRINTF("\\u%04x %5s %-3d|", 0x1f, "ab", 7);
    SAME_AS_SNPRINTF("%.3f %c %x %zd", 2.5, 'q', 255u, (ssize_t)-4);
    SAME_AS_SNPRINTF("%s %.2f", long_text, 1.0 / 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_contents), cmocka_unit_test(failures),
        cmocka_unit_test(limits),         cmocka_unit_test(scheme_won),
        cmocka_unit_test(hex_digits),     cmocka_unit_test(html_text),
        cmocka_unit_test(printf_formats),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
