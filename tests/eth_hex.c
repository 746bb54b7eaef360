/* eth_hex.c: see eth_hex.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eth_hex.h"

static int digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t eth_unhex(const char *s, uint8_t *out, size_t cap)
{
    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    size_t len = strlen(s);
    assert_true(len % 2 == 0 && len / 2 <= cap);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = digit(s[2 * i]), lo = digit(s[2 * i + 1]);
        assert_true(hi >= 0 && lo >= 0);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return len / 2;
}

const char *eth_hex(const uint8_t *b, size_t n)
{
    static char bufs[8][2 * 512 + 3];
    static unsigned next;
    char *out = bufs[next++ % 8];
    assert_true(n <= 512);
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 + 2 * i, "%02x", b[i]);
    out[2 + 2 * n] = '\0';
    return out;
}
