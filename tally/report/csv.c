/*
 * csv.c: the CSV report of docs/formats.md#result: a header
 * `scheme,choice,label,score,share,winner`, then one row per scheme and
 * choice, in scheme then choice order. score is the exact score (18
 * fraction digits, truncated); share is score / the scheme's total, floored
 * to 18 digits (0 when the total is 0); winner is 1 or 0. Labels are quoted
 * as RFC 4180 asks (a field with a comma, quote, CR or LF, or with leading
 * or trailing space, is put in double quotes with its quotes doubled).
 * Records end in LF, as the other text outputs of govtally do.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void csv_field(gvt_buf *b, const char *s)
{
    size_t n = strlen(s);
    bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (const char *c = s; *c && !quote; c++)
        quote = *c == ',' || *c == '"' || *c == '\r' || *c == '\n';
    if (!quote) {
        gvt_buf_add(b, s, n);
        return;
    }
    gvt_buf_putc(b, '"');
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            gvt_buf_putc(b, '"');
        gvt_buf_putc(b, *c);
    }
    gvt_buf_putc(b, '"');
}

void gvt_report_csv(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t nc = gvt_proposal_choice_count(p);
    gvt_buf_puts(b, "scheme,choice,label,score,share,winner\n");
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++) {
        const char *name = gvt_scheme_name(gvt_result_scheme(r, i));
        for (size_t c = 0; c < nc; c++) {
            gvt_buf_printf(b, "%s,%zu,", name, c + 1);
            csv_field(b, gvt_proposal_choice(p, c));
            gvt_buf_printf(b, ",%s,%s,%d\n", gvt_result_score(r, i, c),
                           gvt_result_share(r, i, c),
                           gvt_result_is_winner(r, i, c));
        }
    }
}
