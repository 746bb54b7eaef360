/*
 * verdict.c: the verdict of a result in plain sentences, shared by the text
 * and HTML reports: who decided (decisive_k and what wins without them),
 * the whale veto, and the schemes that disagree with the token result.
 * Labels are written as they are; each report escapes its own output.
 */
#include "report/report.h"

/* "A", "A and B", "A, B and C" (labels as they are). */
static void put_choices(gvt_buf *b, const gvt_proposal *p, const uint32_t *w,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gvt_buf_puts(b, i + 1 == n ? " and " : ", ");
        gvt_buf_puts(b, w[i] >= 1 && w[i] <= p->n_choices ? p->choices[w[i] - 1]
                                                          : "?");
    }
}

/* "For wins", "A and B tie", "no choice wins". */
static void put_outcome(gvt_buf *b, const gvt_proposal *p, const uint32_t *w,
                        size_t n)
{
    if (n == 0) {
        gvt_buf_puts(b, "no choice wins");
        return;
    }
    put_choices(b, p, w, n);
    gvt_buf_puts(b, n == 1 ? " wins" : " tie");
}

/* ---- the verdict --------------------------------------------------------- */

void gvt_report_verdict(const gvt_result *r, gvt_buf *b, gvt_buf *more)
{
    const gvt_proposal *p = r->p;
    const gvt_whales *w = &r->whales;
    const uint32_t *tok = w->token_winners;
    size_t n_tok = w->n_token_winners;

    if (n_tok == 0) {
        gvt_buf_puts(b, "No choice received any voting power.");
    } else if (w->decisive_k > 0) {
        bool one = w->decisive_k == 1;
        gvt_buf_printf(b, "%ld wallet%s decided this proposal: without %s, ",
                       w->decisive_k, one ? "" : "s", one ? "it" : "them");
        put_outcome(b, p, w->decisive_winners, w->n_decisive_winners);
        gvt_buf_putc(b, '.');
    } else {
        gvt_buf_puts(b, "Removing every wallet that backs the winner does "
                        "not change the outcome: ");
        put_outcome(b, p, tok, n_tok);
        gvt_buf_putc(b, '.');
    }

    if (w->whale_veto) {
        b = more;
        gvt_buf_puts(b, "Whale veto: by tokens, ");
        put_outcome(b, p, tok, n_tok);
        gvt_buf_printf(b, "; by %s, ",
                       r->identity ? "one person, one vote"
                                   : "one address, one vote");
        put_outcome(b, p, w->head_winners, w->n_head_winners);
        gvt_buf_putc(b, '.');
    }
    b = more;
    if (w->flips) {
        gvt_buf_puts(b, b->len ? " " : "");
        gvt_buf_puts(b, "Schemes that disagree with the token result: ");
        bool first = true;
        for (size_t i = 0; i < r->n_schemes; i++)
            if (w->flips & (1u << r->schemes[i].id)) {
                gvt_buf_puts(b, first ? "" : ", ");
                gvt_buf_puts(b, gvt_scheme_name(r->schemes[i].id));
                first = false;
            }
        gvt_buf_putc(b, '.');
    } else if (r->n_schemes > 1 && n_tok > 0) {
        gvt_buf_puts(b, b->len ? " " : "");
        gvt_buf_puts(b, "Every scheme agrees with the token result.");
    }
}
