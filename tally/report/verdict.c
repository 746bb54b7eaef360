/*
 * verdict.c: the verdict of a result in plain sentences, shared by the text
 * and HTML reports: who decided (decisive_k and what wins without them),
 * the whale veto, and the schemes that disagree with the token result.
 * Labels are quoted and cut as the report's style says, so that a label
 * with commas or "and" in it, or a paragraph of a label, does not blur the
 * sentence; each report escapes its own output.
 */
#include <string.h>

#include "report/report.h"

/* A label in the style's quotes, cut to its length (UTF-8 characters). */
static void put_label(gvt_buf *b, const gvt_verdict_style *st,
                      const char *label)
{
    gvt_buf_puts(b, st->open);
    size_t chars = 0, cut = 0;
    for (const unsigned char *c = (const unsigned char *)label; *c; c++)
        if ((*c & 0xC0) != 0x80 && chars++ == st->max_chars)
            cut = (size_t)((const char *)c - label);
    if (chars <= st->max_chars) {
        gvt_buf_puts(b, label);
    } else {
        /* back over trailing blanks before the ellipsis */
        while (cut > 0 && label[cut - 1] == ' ')
            cut--;
        gvt_buf_add(b, label, cut);
        gvt_buf_puts(b, st->ellipsis);
    }
    gvt_buf_puts(b, st->close);
}

/* "A", "A and B", "A, B and C", each label quoted. */
static void put_choices(gvt_buf *b, const gvt_verdict_style *st,
                        const gvt_proposal *p, const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gvt_buf_puts(b, i + 1 == n ? " and " : ", ");
        const char *label = w[i] >= 1 ? gvt_proposal_choice(p, w[i] - 1) : NULL;
        put_label(b, st, label ? label : "?");
    }
}

/* "For wins", "A and B tie", "no choice wins". */
static void put_outcome(gvt_buf *b, const gvt_verdict_style *st,
                        const gvt_proposal *p, const uint32_t *w, size_t n)
{
    if (n == 0) {
        gvt_buf_puts(b, "no choice wins");
        return;
    }
    put_choices(b, st, p, w, n);
    gvt_buf_puts(b, n == 1 ? " wins" : " tie");
}

/* ---- the verdict --------------------------------------------------------- */

void gvt_report_verdict(const gvt_result *r, const gvt_verdict_style *st,
                        gvt_buf *b, gvt_buf *more)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t n_tok, n_head, n_dec;
    const uint32_t *tok = gvt_result_token_winners(r, &n_tok);
    const uint32_t *head = gvt_result_headcount_winners(r, &n_head);
    const uint32_t *dec = gvt_result_decisive_winners(r, &n_dec);
    long k = gvt_result_decisive_k(r);
    size_t ns = gvt_result_scheme_count(r);

    if (n_tok == 0) {
        gvt_buf_puts(b, "No choice received any voting power.");
    } else if (k > 0) {
        bool one = k == 1;
        gvt_buf_printf(b, "%ld wallet%s decided this proposal: without %s, ", k,
                       one ? "" : "s", one ? "it" : "them");
        put_outcome(b, st, p, dec, n_dec);
        gvt_buf_putc(b, '.');
    } else {
        gvt_buf_puts(b, "Removing every wallet that backs the winner does "
                        "not change the outcome: ");
        put_outcome(b, st, p, tok, n_tok);
        gvt_buf_putc(b, '.');
    }

    if (gvt_result_whale_veto(r)) {
        b = more;
        gvt_buf_puts(b, "Whale veto: by tokens, ");
        put_outcome(b, st, p, tok, n_tok);
        gvt_buf_printf(b, "; by %s, ",
                       gvt_result_has_identity(r) ? "one person, one vote"
                                                  : "one address, one vote");
        put_outcome(b, st, p, head, n_head);
        gvt_buf_putc(b, '.');
    }
    b = more;
    bool any = false;
    for (size_t i = 0; i < ns; i++)
        any = any || gvt_result_flipped(r, i);
    if (any) {
        gvt_buf_puts(b, b->len ? " " : "");
        gvt_buf_puts(b, "Schemes that disagree with the token result: ");
        bool first = true;
        for (size_t i = 0; i < ns; i++)
            if (gvt_result_flipped(r, i)) {
                gvt_buf_puts(b, first ? "" : ", ");
                gvt_buf_puts(b, gvt_scheme_name(gvt_result_scheme(r, i)));
                first = false;
            }
        gvt_buf_putc(b, '.');
    } else if (ns > 1 && n_tok > 0) {
        gvt_buf_puts(b, b->len ? " " : "");
        gvt_buf_puts(b, "Every scheme agrees with the token result.");
    }
    gvt_report_verdict_humans(r, more);
    gvt_report_verdict_decision(r, more);
}
