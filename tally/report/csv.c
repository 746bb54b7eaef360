/*
 * csv.c: the CSV report of docs/formats.md#result: a header
 * `scheme,choice,label,score,share,winner`, then one row per scheme and
 * choice, in scheme then choice order. score is the exact score (18
 * fraction digits, truncated); share is score / the scheme's total, floored
 * to 18 digits (0 when the total is 0); winner is 1 or 0. Labels go
 * through gvt_csv_cell: control bytes and bidi controls escaped, a formula
 * neutralised, quoted as RFC 4180 asks (a field with a comma or a quote, or
 * with leading or trailing space, is put in double quotes with its quotes
 * doubled).
 * Records end in LF, as the other text outputs of govtally do.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* s is a plain number: an optional sign, digits, at most one point. */
static bool plain_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    bool digit = false, point = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = true;
        else if (*s == '.' && !point)
            point = true;
        else
            return false;
    }
    return digit;
}

/*
 * OWASP's advice on CSV injection: a cell that starts with =, +, -, @, tab
 * or CR may be run as a formula by a spreadsheet (=HYPERLINK(...) leaks
 * data, +cmd|... runs a program in old Excel), so it gets a leading ' that
 * makes it text. Tab and CR never start a cell here: gvt_buf_safe has
 * escaped them. A plain number such as -5 or +1 is left as it is.
 */
void gvt_csv_cell(gvt_buf *b, const char *s)
{
    gvt_buf t;
    gvt_buf_init(&t);
    if ((s[0] == '=' || s[0] == '@' ||
         ((s[0] == '+' || s[0] == '-') && !plain_number(s))))
        gvt_buf_putc(&t, '\'');
    /* LF may stay: RFC 4180 allows it in a quoted cell, and it moves no
     * cursor but to the next line */
    for (const char *seg = s;;) {
        const char *nl = strchr(seg, '\n');
        gvt_buf_safe(&t, seg, nl ? (size_t)(nl - seg) : strlen(seg));
        if (!nl)
            break;
        gvt_buf_putc(&t, '\n');
        seg = nl + 1;
    }
    const char *c = t.data ? t.data : "";
    size_t n = t.len;
    bool quote = n > 0 && (c[0] == ' ' || c[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = c[i] == ',' || c[i] == '"' || c[i] == '\n';
    if (!quote) {
        gvt_buf_add(b, c, n);
    } else {
        gvt_buf_putc(b, '"');
        for (size_t i = 0; i < n; i++) {
            if (c[i] == '"')
                gvt_buf_putc(b, '"');
            gvt_buf_putc(b, c[i]);
        }
        gvt_buf_putc(b, '"');
    }
    gvt_buf_free(&t);
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
            gvt_csv_cell(b, gvt_proposal_choice(p, c));
            gvt_buf_printf(b, ",%s,%s,%d\n", gvt_result_score(r, i, c),
                           gvt_result_share(r, i, c),
                           gvt_result_is_winner(r, i, c));
        }
    }
}
