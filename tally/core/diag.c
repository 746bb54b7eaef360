/*
 * diag.c: filling and printing gvt_error, the one diagnostic record every
 * fallible call of the library reports through.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

GVT_API void gvt_error_clear(gvt_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
    err->line = -1;
    err->column = -1;
    err->vote = -1;
}

void gvt_error_set(gvt_error *err, gvt_status code, const char *file,
                   const char *fmt, ...)
{
    if (!err)
        return;
    gvt_error_clear(err);
    err->code = code;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

GVT_API const char *gvt_error_format(const gvt_error *err, char *buf,
                                     size_t size)
{
    gvt_buf b;
    gvt_buf_init(&b);
    /* every string may hold text from the input: shown safe (safe.c) */
    if (err->file[0]) {
        gvt_buf_safe(&b, err->file, strlen(err->file));
        if (err->line > 0) {
            gvt_buf_printf(&b, ":%ld", err->line);
            if (err->column > 0)
                gvt_buf_printf(&b, ":%ld", err->column);
        }
        gvt_buf_puts(&b, ": ");
    }
    gvt_buf_safe(&b, err->message, strlen(err->message));
    int open = 0;
#define SEP() gvt_buf_puts(&b, open++ ? ", " : " (")
    if (err->vote >= 0) {
        SEP();
        gvt_buf_printf(&b, "vote %ld", err->vote);
        if (err->vote_id[0]) {
            gvt_buf_puts(&b, " id ");
            gvt_buf_safe(&b, err->vote_id, strlen(err->vote_id));
        }
    }
    if (err->path[0]) {
        SEP();
        gvt_buf_puts(&b, "at ");
        gvt_buf_safe(&b, err->path, strlen(err->path));
    }
    if (err->offset >= 0) {
        SEP();
        gvt_buf_printf(&b, "byte %lld", err->offset);
    }
#undef SEP
    if (open)
        gvt_buf_putc(&b, ')');
    snprintf(buf, size, "%s", b.data ? b.data : "");
    gvt_buf_free(&b);
    return buf;
}
