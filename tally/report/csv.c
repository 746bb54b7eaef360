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
    const gvt_proposal *p = r->p;
    mpz_t share;
    mpz_init(share);
    gvt_buf_puts(b, "scheme,choice,label,score,share,winner\n");
    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *s = &r->schemes[i];
        for (uint32_t c = 0; c < p->n_choices; c++) {
            gvt_buf_printf(b, "%s,%u,", gvt_scheme_name(s->id), c + 1);
            csv_field(b, p->choices[c]);
            gvt_buf_putc(b, ',');
            gvt_fx_append(b, s->scores[c], GVT_OUT_DIGITS);
            gvt_buf_putc(b, ',');
            if (mpz_sgn(s->total) > 0)
                gvt_fx_ratio(share, s->scores[c], s->total);
            else
                mpz_set_ui(share, 0);
            gvt_fx_append(b, share, GVT_OUT_DIGITS);
            gvt_buf_printf(b, ",%d\n", gvt_scheme_won(s, c + 1) ? 1 : 0);
        }
    }
    mpz_clear(share);
}
