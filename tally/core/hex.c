/*
 * hex.c: hex digits, bytes in hex and 0x addresses, as the inputs write
 * them (docs/formats.md) (keys, nullifiers, signatures, voters, subjects).
 */

#include "core/core.h"

int gvt_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool gvt_hex_decode(uint8_t *out, const char *hex, size_t hex_len, size_t n)
{
    if (hex_len != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = gvt_hex_digit(hex[2 * i]), lo = gvt_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

void gvt_hex_encode(char *out, const uint8_t *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

bool gvt_address_valid(const char *s, size_t len)
{
    if ((len != 42 && len != 66) || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    for (size_t i = 2; i < len; i++)
        if (gvt_hex_digit(s[i]) < 0)
            return false;
    return true;
}

bool gvt_address_lower(const char *s, size_t len, char *out)
{
    if (!gvt_address_valid(s, len))
        return false;
    for (size_t i = 0; i < len; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    out[len] = '\0';
    return true;
}
