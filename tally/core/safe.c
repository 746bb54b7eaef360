/*
 * safe.c: text from an input made safe to show (docs/limits.md#shown-text).
 *
 * An input's strings (a vote id, a label, a fixture key, a file name) may
 * hold bytes that a terminal acts on (ESC starts a sequence that can set
 * the window title or a hyperlink), that hide or reorder what follows (the
 * bidi controls U+202A..U+202E and U+2066..U+2069 turn "exe.txt" into
 * "txt.exe"), or that break a line-oriented format. Shown text writes each
 * such byte or character as an escape that reads as itself: bytes under
 * 0x20 and DEL as \xHH, a bidi control as \u202E, a byte that is not part
 * of valid UTF-8 as \xHH. Everything else is copied, backslashes included:
 * a label that reads "\x1B" is shown as it is (harmless text), and labels
 * with backslashes keep them in the CSV a spreadsheet opens.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len = c >= 0xF0 && c <= 0xF4   ? 4
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xC2 && c <= 0xDF ? 2
                                          : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0; /* overlong */
    if (c == 0xED && s[1] >= 0xA0)
        return 0; /* surrogate */
    if (c == 0xF0 && s[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && s[1] >= 0x90)
        return 0; /* past U+10FFFF */
    return len;
}

/* The bidi control at s (a 3-byte sequence), 0 when it is not one. */
static unsigned bidi_control(const unsigned char *s)
{
    if (s[0] != 0xE2)
        return 0;
    unsigned cp = ((unsigned)(s[0] & 0x0F) << 12) |
                  ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ? cp
                                                                            : 0;
}

void gvt_buf_safe(gvt_buf *b, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t j = i;
            while (j < n && s[j] >= 0x20 && s[j] < 0x7F)
                j++;
            gvt_buf_add(b, s + i, j - i);
            i = j;
            continue;
        }
        size_t len = c >= 0x80 ? utf8_len(s + i, n - i) : 0;
        if (len == 0) {
            gvt_buf_printf(b, "\\x%02X", c);
            i++;
        } else if (len == 3 && bidi_control(s + i)) {
            gvt_buf_printf(b, "\\u%04X", bidi_control(s + i));
            i += 3;
        } else {
            gvt_buf_add(b, s + i, len);
            i += len;
        }
    }
}

const char *gvt_text_safe(const char *s, char *buf, size_t room)
{
    if (room == 0)
        return buf;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_safe(&b, s, strlen(s));
    if (b.len < room) {
        memcpy(buf, b.data ? b.data : "", b.len + 1);
    } else {
        /* cut at a character boundary, then "..." */
        size_t keep = room > 4 ? room - 4 : 0;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xC0) == 0x80)
            keep--;
        memcpy(buf, b.data, keep);
        snprintf(buf + keep, room - keep, "%s", room > 4 ? "..." : "");
    }
    gvt_buf_free(&b);
    return buf;
}
