/*
 * time.c: integers and times written by people and tables: the integer
 * cells of the CSV import ("43.0" as pandas writes them), its dates
 * (docs/formats.md#rules-for-every-csv) and the times given to `attest sign`
 * and `attest verify` (docs/identity.md#issuing), as unix seconds.
 *
 * Either unix seconds (an integer, "43.0" as pandas writes it allowed) or
 * ISO 8601 "YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][Z|+hh:mm|-hh:mm|+hhmm| UTC]"
 * (the last as Dune writes its times), a missing zone meaning UTC.
 * Fractions of a second are dropped. gvt_time_put writes a time back for
 * the reports and warnings.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-from-days inverse, written from the published formula). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

bool gvt_int_text(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    if (n == 0)
        return false;
    const char *rest = s + n;
    if (*rest == '.') {
        rest++;
        while (*rest == '0')
            rest++;
    }
    if (*rest)
        return false;
    size_t z = 0;
    while (z + 1 < n && s[z] == '0')
        z++;
    if (n - z + 1 > cap)
        return false;
    memcpy(out, s + z, n - z);
    out[n - z] = '\0';
    return true;
}

/* Unix seconds: an integer text of at most 15 digits. */
static bool seconds(const char *s, int64_t *out)
{
    char text[16];
    if (!gvt_int_text(s, text, sizeof text))
        return false;
    int64_t v = 0;
    for (const char *d = text; *d; d++)
        v = v * 10 + (*d - '0');
    *out = v;
    return true;
}

bool gvt_time_text(const char *s, int64_t *out)
{
    if (seconds(s, out))
        return true;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
        *s++ != '-' || !digits(&s, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (*s == 'T' || (*s == ' ' && isdigit((unsigned char)s[1]))) {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
            return false;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec))
                return false;
            if (*s == '.') {
                s++;
                if (!isdigit((unsigned char)*s))
                    return false;
                while (isdigit((unsigned char)*s))
                    s++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
    }
    int64_t zone = 0;
    if (*s == 'Z') {
        s++;
    } else if (strcmp(s, " UTC") == 0) {
        s += 4;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, zh, zm;
        if (!digits(&s, 2, &zh))
            return false;
        if (*s == ':')
            s++;
        if (!digits(&s, 2, &zm) || zh > 23 || zm > 59)
            return false;
        zone = sign * (zh * 3600 + zm * 60);
    }
    if (*s)
        return false;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + sec - zone;
    return true;
}

void gvt_time_put(gvt_buf *b, long long t, bool seconds)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[64];
    if ((long long)tt == t && gmtime_r(&tt, &tm) &&
        (seconds ? strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S UTC", &tm)
                 : strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm)))
        gvt_buf_puts(b, s);
    else
        gvt_buf_printf(b, "%lld", t);
}

GVT_API gvt_status gvt_time_parse(const char *text, long long *out_seconds,
                                  gvt_error *err)
{
    int64_t t;
    if (text && gvt_time_text(text, &t)) {
        *out_seconds = (long long)t;
        return GVT_OK;
    }
    gvt_error_set(err, GVT_ERR_USAGE, NULL,
                  "'%.60s' is neither unix seconds nor an ISO 8601 time "
                  "(2023-11-14T22:13:20Z)",
                  text ? text : "");
    return GVT_ERR_USAGE;
}
