/*
 * buf.c: a growing byte buffer, with JSON and HTML escaping for the report
 * writers. Output is assembled in memory and written in one go, so that a
 * failed run never leaves half a report behind.
 */
#include <stdarg.h>
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

void gvt_buf_printf(gvt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    gvt_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
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
