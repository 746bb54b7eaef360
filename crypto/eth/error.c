/*
 * error.c: filling a gvt_eth_error, the diagnostic of this room: a message
 * naming the field, the field's path, and a byte offset.
 */
#include <stdarg.h>
#include <stdio.h>

#include "crypto/eth/eth.h"

bool gvt_eth_fail(gvt_eth_error *err, const char *field, size_t offset,
                  const char *fmt, ...)
{
    if (!err)
        return false;
    size_t used = 0;
    err->field[0] = '\0';
    if (field && field[0]) {
        snprintf(err->field, sizeof err->field, "%s", field);
        int n =
            snprintf(err->message, sizeof err->message, "field '%s': ", field);
        used = n < 0 ? 0 : (size_t)n;
        if (used >= sizeof err->message)
            used = sizeof err->message - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + used, sizeof err->message - used, fmt, ap);
    va_end(ap);
    err->offset = offset;
    return false;
}
