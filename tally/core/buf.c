/*
 * buf.c: a growing byte buffer, with JSON and HTML escaping for the report
 * writers. Output is assembled in memory and written in one go, so that a
 * failed run never leaves half a report behind.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

void gvt_buf_init(gvt_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void gvt_buf_free(gvt_buf *b)
{
    free(b->data);
    gvt_buf_init(b);
}

void gvt_buf_reserve(gvt_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = gvt_xrealloc(b->data, cap);
    b->cap = cap;
}

void gvt_buf_add(gvt_buf *b, const void *data, size_t len)
{
    gvt_buf_reserve(b, len);
    if (len) /* data may be NULL then (an empty buffer's) */
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void gvt_buf_puts(gvt_buf *b, const char *s)
{
    gvt_buf_add(b, s, strlen(s));
}

void gvt_buf_putc(gvt_buf *b, char c)
{
    gvt_buf_add(b, &c, 1);
}

/* The decimal digits of u (negative: with its sign) at the buffer's end. */
static void put_integer(gvt_buf *b, unsigned long long u, bool negative)
{
    char t[24];
    size_t n = 0;
    do {
        t[sizeof t - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative)
        t[sizeof t - 1 - n++] = '-';
    gvt_buf_add(b, t + sizeof t - n, n);
}

/* A signed argument's magnitude into *u; whether it is negative. */
static bool split_sign(long long v, unsigned long long *u)
{
    *u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    return v < 0;
}

/*
 * What vsnprintf writes for fmt when it holds only %s, %d, %u, %ld, %lu,
 * %lld, %llu, %zu and %% (no flags, width or precision), without its cost:
 * a replay row is a dozen short formats. Returns false at any other
 * conversion, having written part of the output (the caller cuts it off).
 */
static bool fast_printf(gvt_buf *b, const char *fmt, va_list ap)
{
    const char *f = fmt;
    for (;;) {
        const char *lit = f;
        while (*f && *f != '%')
            f++;
        if (f > lit)
            gvt_buf_add(b, lit, (size_t)(f - lit));
        if (!*f)
            return true;
        f++;
        int longs = 0;
        bool z = *f == 'z';
        if (z)
            f++;
        while (!z && *f == 'l' && longs < 2) {
            longs++;
            f++;
        }
        unsigned long long u;
        char c = *f++;
        if (c == '%' && !z && longs == 0) {
            gvt_buf_putc(b, '%');
        } else if (c == 's' && !z && longs == 0) {
            const char *a = va_arg(ap, const char *);
            gvt_buf_puts(b, a ? a : "(null)");
        } else if (c == 'u') {
            u = z            ? va_arg(ap, size_t)
                : longs == 2 ? va_arg(ap, unsigned long long)
                : longs == 1 ? va_arg(ap, unsigned long)
                             : va_arg(ap, unsigned);
            put_integer(b, u, false);
        } else if (c == 'd' && !z) {
            long long v = longs == 2   ? va_arg(ap, long long)
                          : longs == 1 ? va_arg(ap, long)
                                       : va_arg(ap, int);
            bool neg = split_sign(v, &u);
            put_integer(b, u, neg);
        } else {
            return false;
        }
    }
}

/* Plain formats (most) by fast_printf; others by vsnprintf, into the room
 * the buffer has (at least 64 bytes) and a second time only when that was
 * too short. */
void gvt_buf_printf(gvt_buf *b, const char *fmt, ...)
{
    size_t at = b->len;
    va_list ap;
    va_start(ap, fmt);
    bool done = fast_printf(b, fmt, ap);
    va_end(ap);
    if (done) {
        if (!b->data) { /* as vsnprintf: a string, even empty */
            gvt_buf_reserve(b, 0);
            b->data[0] = '\0';
        }
        return;
    }
    b->len = at;
    gvt_buf_reserve(b, 64);
    size_t room = b->cap - b->len;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        gvt_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void gvt_buf_json_text(gvt_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    gvt_buf_reserve(b, len + 2);
    gvt_buf_putc(b, '"');
    size_t run = 0; /* bytes copied as they are, added in one go */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        gvt_buf_add(b, s + i - run, run);
        run = 0;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            gvt_buf_add(b, esc, 6);
            continue;
        }
        gvt_buf_add(b, esc, 2);
    }
    gvt_buf_add(b, s + len - run, run);
    gvt_buf_putc(b, '"');
}

void gvt_buf_json_string(gvt_buf *b, const char *s)
{
    gvt_buf_json_text(b, s, strlen(s));
}

void gvt_buf_html(gvt_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            gvt_buf_puts(b, "&lt;");
            break;
        case '>':
            gvt_buf_puts(b, "&gt;");
            break;
        case '&':
            gvt_buf_puts(b, "&amp;");
            break;
        case '"':
            gvt_buf_puts(b, "&quot;");
            break;
        case '\'':
            gvt_buf_puts(b, "&#39;");
            break;
        default:
            /* Control characters other than white space are not allowed
             * in HTML text, not even as references: '?' as in the text
             * report. */
            if (((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' &&
                 *s != '\r') ||
                *s == 0x7f)
                gvt_buf_putc(b, '?');
            else
                gvt_buf_putc(b, *s);
        }
    }
}
