/*
 * humans.c: hidden whales in the text and HTML reports (docs/reports.md):
 * the whale figures per human beside the wallets' (docs/analysis.md#humans),
 * and the verdict's sentence when they differ. Rounded for reading; the
 * exact figures are in the JSON result's "whales.humans".
 */
#include <string.h>

#include "report/report.h"

/* The sentence on the largest human, when it holds several wallets:
 * "40 wallets of one verified human hold 62.50% of the vote". */
static bool put_largest(const gvt_human_figures *h, gvt_buf *b)
{
    if (!h || h->largest_wallets < 2)
        return false;
    gvt_buf_printf(b, "%zu wallets of one verified human hold ",
                   h->largest_wallets);
    gvt_display_pct(b, h->largest_share);
    gvt_buf_puts(b, " of the vote");
    return true;
}

void gvt_report_text_humans(const gvt_result *r, gvt_buf *b)
{
    const gvt_human_figures *h = gvt_result_human_figures(r);
    if (!h)
        return;
    gvt_buf_printf(b, "humans: %zu holders, nakamoto %zu, gini ", h->voters,
                   h->nakamoto);
    gvt_display_decimal(b, h->gini, 4);
    gvt_buf_puts(b, ", HHI ");
    gvt_display_decimal(b, h->hhi, 1);
    gvt_buf_puts(b, "\n        top1 ");
    gvt_display_pct(b, h->top1_share);
    gvt_buf_puts(b, ", top10 ");
    gvt_display_pct(b, h->top10_share);
    if (h->decisive_k >= 0)
        gvt_buf_printf(b, ", decisive_k %ld", h->decisive_k);
    else
        gvt_buf_puts(b, ", decisive_k none");
    gvt_buf_puts(b, "\n");
    gvt_buf_puts(b, "        ");
    if (!put_largest(h, b)) {
        if (h->largest_wallets) {
            gvt_buf_puts(b, "the largest human votes from one wallet, ");
            gvt_display_pct(b, h->largest_share);
        } else {
            gvt_buf_puts(b, "no verified human voted");
        }
    }
    gvt_buf_puts(b, "\n");
}

void gvt_report_verdict_humans(const gvt_result *r, gvt_buf *more)
{
    const gvt_human_figures *h = gvt_result_human_figures(r);
    if (!h || strcmp(h->top1_share, gvt_result_top1_share(r)) == 0)
        return;
    gvt_buf t;
    gvt_buf_init(&t);
    if (put_largest(h, &t)) {
        gvt_buf_puts(more, more->len ? " Hidden whale: " : "Hidden whale: ");
        gvt_buf_add(more, t.data, t.len);
        gvt_buf_printf(more, " (the largest wallet ");
        gvt_display_pct(more, gvt_result_top1_share(r));
        gvt_buf_printf(more,
                       "; by humans, Nakamoto %zu against %zu by "
                       "wallets).",
                       h->nakamoto, gvt_result_nakamoto(r));
    }
    gvt_buf_free(&t);
}

/* A row of the wallets-and-humans table. */
static void row(gvt_buf *b, const char *label, const char *wallets,
                const char *humans)
{
    gvt_buf_printf(b,
                   "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td>"
                   "</tr>\n",
                   label, wallets, humans);
}

void gvt_report_html_humans(const gvt_result *r, gvt_buf *b)
{
    const gvt_human_figures *h = gvt_result_human_figures(r);
    if (!h)
        return;
    gvt_buf_puts(b, "<h2>Wallets and humans</h2>\n<table id=\"humans\">\n"
                    "<tr><th class=\"l\"></th><th>wallets</th>"
                    "<th>humans</th></tr>\n");
    gvt_buf w, u;
    gvt_buf_init(&w);
    gvt_buf_init(&u);
    gvt_buf_printf(&w, "%zu", gvt_result_voters(r));
    gvt_buf_printf(&u, "%zu", h->voters);
    row(b, "voters", w.data, u.data);
    w.len = u.len = 0;
    gvt_buf_printf(&w, "%zu", gvt_result_nakamoto(r));
    gvt_buf_printf(&u, "%zu", h->nakamoto);
    row(b, "Nakamoto coefficient", w.data, u.data);
    w.len = u.len = 0;
    gvt_display_decimal(&w, gvt_result_gini(r), 3);
    gvt_display_decimal(&u, h->gini, 3);
    row(b, "Gini", w.data, u.data);
    w.len = u.len = 0;
    gvt_display_decimal(&w, gvt_result_hhi(r), 0);
    gvt_display_decimal(&u, h->hhi, 0);
    row(b, "HHI", w.data, u.data);
    w.len = u.len = 0;
    gvt_display_pct(&w, gvt_result_top1_share(r));
    gvt_display_pct(&u, h->top1_share);
    row(b, "largest", w.data, u.data);
    w.len = u.len = 0;
    gvt_display_pct(&w, gvt_result_top10_share(r));
    gvt_display_pct(&u, h->top10_share);
    row(b, "largest 10", w.data, u.data);
    w.len = u.len = 0;
    long kw = gvt_result_decisive_k(r), kh = h->decisive_k;
    gvt_buf_printf(&w, kw >= 0 ? "%ld" : "none", kw);
    gvt_buf_printf(&u, kh >= 0 ? "%ld" : "none", kh);
    row(b, "decisive", w.data, u.data);
    gvt_buf_puts(b, "</table>\n");
    w.len = 0;
    if (put_largest(h, &w)) {
        gvt_buf_puts(b, "<p><b>");
        gvt_buf_html(b, w.data);
        gvt_buf_puts(b, ".</b></p>\n");
    }
    gvt_buf_free(&w);
    gvt_buf_free(&u);
}
