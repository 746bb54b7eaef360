/*
 * html.c: the HTML report of docs/formats.md#result: one self-contained file
 * (inline CSS and inline SVG; no script, no font, image or link to anything
 * outside the file) with
 *   - the verdict (report_text.c's sentences),
 *   - a bar chart of every scheme's shares, choices as groups,
 *   - the exact scores in a table,
 *   - the Lorenz curve of counted voting power, with its Gini,
 *   - the whale metrics and the largest voters (vp, share, Banzhaf index),
 *   - the identity summary when attestations were given.
 * Every string from the input (labels, ids, space, addresses) goes through
 * gvt_buf_html. Drawing coordinates are computed with integers from the
 * exact amounts, so the same result always gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define TOP_VOTERS 10
#define LORENZ_POINTS 200

static const char *const scheme_color[GVT_SCHEME_COUNT] = {
    "#6366f1", /* snapshot: indigo */
    "#f59e0b", /* token: amber */
    "#10b981", /* address: emerald */
    "#ec4899", /* quadratic: pink */
    "#0ea5e9", /* personhood: sky */
    "#8b5cf6", /* quadratic-personhood: violet */
    "#14b8a6", /* capped-personhood: teal */
};

static const char css[] =
    ":root{--ink:#1f2937;--mute:#6b7280;--line:#e5e7eb;--card:#fff;"
    "--bg:#f6f7fb;--alarm:#b91c1c;--calm:#047857}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
    "Arial,sans-serif}"
    "main{max-width:980px;margin:0 auto;padding:32px 20px 48px}"
    "header h1{font-size:22px;margin:0 0 4px;word-break:break-all}"
    "header p{margin:0;color:var(--mute)}"
    ".verdict{margin:20px 0;padding:18px 22px;border-radius:12px;"
    "font-size:18px;font-weight:600;border-left:6px solid var(--calm);"
    "background:#ecfdf5}"
    ".verdict.alarm{border-left-color:var(--alarm);background:#fef2f2}"
    ".verdict small{display:block;font-size:12px;font-weight:500;"
    "letter-spacing:.08em;text-transform:uppercase;color:var(--mute)}"
    ".verdict p{margin:8px 0 0;font-size:15px;font-weight:400}"
    "section{background:var(--card);border:1px solid var(--line);"
    "border-radius:12px;padding:18px 22px;margin:18px 0}"
    "section h2{font-size:16px;margin:0 0 12px}"
    ".cards{display:grid;gap:10px;margin-bottom:14px;"
    "grid-template-columns:repeat(auto-fit,minmax(104px,1fr))}"
    ".card{border:1px solid var(--line);border-radius:10px;"
    "padding:10px 12px}"
    ".card b{display:block;font-size:20px}"
    ".card span{color:var(--mute);font-size:12px}"
    ".legend{display:flex;flex-wrap:wrap;gap:14px;margin:0 0 10px;"
    "font-size:13px}"
    ".legend i{display:inline-block;width:12px;height:12px;"
    "border-radius:3px;margin-right:6px;vertical-align:-1px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{padding:6px 8px;border-bottom:1px solid var(--line);"
    "text-align:right;white-space:nowrap}"
    "th:first-child,td:first-child,th.l,td.l{text-align:left}"
    "th{color:var(--mute);font-weight:600}"
    "td.win{font-weight:700;color:var(--calm)}"
    ".mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "monospace}"
    ".wrap{overflow-x:auto}"
    ".two{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}"
    ".two>div{flex:1 1 360px}"
    "svg text{font-family:inherit}"
    "footer{color:var(--mute);font-size:12px;text-align:center}";

/* ---- small helpers ---------------------------------------------------------
 */

/* A label cut to max (>= 2) characters, UTF-8 aware, escaped. */
static void put_short(gvt_buf *b, const char *s, size_t max)
{
    size_t chars = 0, cut = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c & 0xC0) != 0x80 && chars++ == max - 1)
            cut = (size_t)((const char *)c - s);
    if (chars <= max) {
        gvt_buf_html(b, s);
        return;
    }
    char *t = gvt_xmalloc(cut + 1);
    memcpy(t, s, cut);
    t[cut] = '\0';
    gvt_buf_html(b, t);
    gvt_buf_puts(b, "\xe2\x80\xa6"); /* ellipsis */
    free(t);
}

/* An address shortened to its head and tail ("0x1234ab...cdef"), which is
 * how wallets are told apart at a glance; the full one is in the title. */
static void put_address(gvt_buf *b, const char *a)
{
    size_t n = strlen(a);
    if (n <= 16) {
        gvt_buf_html(b, a);
        return;
    }
    char head[9], tail[5];
    memcpy(head, a, 8);
    head[8] = '\0';
    memcpy(tail, a + n - 4, 5);
    gvt_buf_html(b, head);
    gvt_buf_puts(b, "\xe2\x80\xa6"); /* ellipsis */
    gvt_buf_html(b, tail);
}

/* Tenths as "12.3" (SVG coordinates). */
static void put_tenths(gvt_buf *b, unsigned long v)
{
    gvt_buf_printf(b, "%lu.%lu", v / 10, v % 10);
}

/* ---- sections ---------------------------------------------------------- */

static void head(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    const char *id = gvt_proposal_id(p), *space = gvt_proposal_space(p);
    gvt_ballot_counts n = gvt_proposal_ballot_counts(p);
    gvt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width,"
                    "initial-scale=1\">\n<title>govtally: ");
    gvt_buf_html(b, id[0] ? id : "proposal");
    gvt_buf_puts(b, "</title>\n<style>");
    gvt_buf_puts(b, css);
    gvt_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
    gvt_buf_puts(b, "Proposal ");
    gvt_buf_html(b, id[0] ? id : "(no id)");
    gvt_buf_puts(b, "</h1>\n<p>");
    if (space[0]) {
        gvt_buf_puts(b, "space <b>");
        gvt_buf_html(b, space);
        gvt_buf_puts(b, "</b> &middot; ");
    }
    gvt_buf_printf(b,
                   "%s &middot; %zu choices &middot; %zu ballots read, %zu "
                   "counted, %zu duplicate, %zu invalid choice</p>\n"
                   "</header>\n",
                   gvt_type_name(gvt_proposal_type(p)),
                   gvt_proposal_choice_count(p), n.read, n.counted, n.duplicate,
                   n.invalid_choice);
}

static void verdict(const gvt_result *r, gvt_buf *b)
{
    gvt_buf v, more;
    gvt_buf_init(&v);
    gvt_buf_init(&more);
    gvt_report_verdict(r, &v, &more);
    bool alarm = gvt_result_whale_veto(r) || gvt_result_decisive_k(r) == 1;
    gvt_buf_printf(b,
                   "<div class=\"verdict%s\" id=\"verdict\">"
                   "<small>Verdict</small>",
                   alarm ? " alarm" : "");
    gvt_buf_html(b, v.data ? v.data : "");
    if (more.len) {
        gvt_buf_puts(b, "<p>");
        gvt_buf_html(b, more.data);
        gvt_buf_puts(b, "</p>");
    }
    gvt_buf_puts(b, "</div>\n");
    gvt_buf_free(&more);
    gvt_buf_free(&v);
}

/*
 * Horizontal grouped bars: one group per choice, one bar per scheme, the
 * bar's length its share of the scheme's total.
 */
static void chart(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t nc = gvt_proposal_choice_count(p);
    size_t ns = gvt_result_scheme_count(r);
    if (ns == 0 || nc == 0)
        return;
    const unsigned long label_w = 200, bar_w = 560, width = 860;
    const unsigned long bar_h = 14, gap = 4, group_gap = 18;
    unsigned long group_h = ns * (bar_h + gap) - gap;
    unsigned long height = 26 + nc * (group_h + group_gap);

    gvt_buf_puts(b, "<section>\n<h2>Scores by scheme</h2>\n"
                    "<div class=\"legend\">");
    for (size_t s = 0; s < ns; s++)
        gvt_buf_printf(b, "<span><i style=\"background:%s\"></i>%s</span>",
                       scheme_color[gvt_result_scheme(r, s)],
                       gvt_scheme_name(gvt_result_scheme(r, s)));
    gvt_buf_puts(b, "<span>&#9733; winner</span></div>\n<div class=\"wrap\">");
    gvt_buf_printf(
        b,
        "<svg id=\"scores-chart\" viewBox=\"0 0 %lu %lu\" width=\"100%%\" "
        "role=\"img\" aria-label=\"Share of each scheme's total "
        "per choice\">\n",
        width, height);
    /* Grid lines at 0, 25, 50, 75 and 100 %. */
    for (unsigned long g = 0; g <= 4; g++) {
        unsigned long x = label_w + bar_w * g / 4;
        gvt_buf_printf(b,
                       "<line x1=\"%lu\" y1=\"0\" x2=\"%lu\" y2=\"%lu\" "
                       "stroke=\"#e5e7eb\"/><text x=\"%lu\" y=\"%lu\" "
                       "font-size=\"10\" fill=\"#9ca3af\" "
                       "text-anchor=\"middle\">%lu%%</text>",
                       x, x, height - 20, x, height - 6, g * 25);
    }
    gvt_buf_putc(b, '\n');
    for (size_t c = 0; c < nc; c++) {
        unsigned long y0 = 6 + c * (group_h + group_gap);
        gvt_buf_printf(b,
                       "<text x=\"0\" y=\"%lu\" font-size=\"13\" "
                       "font-weight=\"600\" fill=\"#1f2937\">%zu. ",
                       y0 + group_h / 2 + 5, c + 1);
        put_short(b, gvt_proposal_choice(p, c), 24);
        gvt_buf_puts(b, "</text>\n");
        for (size_t s = 0; s < ns; s++) {
            gvt_scheme id = gvt_result_scheme(r, s);
            const char *share = gvt_result_share(r, s, c);
            unsigned long y = y0 + s * (bar_h + gap);
            /* exact: 5600 tenths have no finite-decimal boundaries */
            unsigned long len = gvt_result_share_scaled(r, s, c, bar_w * 10);
            bool win = gvt_result_is_winner(r, s, c);
            gvt_buf_printf(b, "<rect x=\"%lu\" y=\"%lu\" width=\"", label_w, y);
            put_tenths(b, len);
            gvt_buf_printf(b,
                           "\" height=\"%lu\" rx=\"3\" fill=\"%s\"%s>"
                           "<title>%s: ",
                           bar_h, scheme_color[id],
                           win ? "" : " fill-opacity=\"0.55\"",
                           gvt_scheme_name(id));
            gvt_display_pct(b, share);
            gvt_buf_puts(b, "</title></rect>");
            gvt_buf_printf(b, "<text x=\"");
            put_tenths(b, label_w * 10 + len + 60);
            gvt_buf_printf(b,
                           "\" y=\"%lu\" font-size=\"11\" fill=\"#374151\"%s>",
                           y + bar_h - 3, win ? " font-weight=\"700\"" : "");
            gvt_display_pct(b, share);
            if (win)
                gvt_buf_puts(b, " &#9733;");
            gvt_buf_puts(b, "</text>\n");
        }
    }
    gvt_buf_puts(b, "</svg></div>\n");

    /* The exact scores. */
    gvt_buf_puts(b, "<div class=\"wrap\"><table>\n<tr><th>choice</th>");
    for (size_t s = 0; s < ns; s++)
        gvt_buf_printf(b, "<th>%s</th>",
                       gvt_scheme_name(gvt_result_scheme(r, s)));
    gvt_buf_puts(b, "</tr>\n");
    for (size_t c = 0; c <= nc; c++) {
        bool total = c == nc;
        gvt_buf_puts(b, "<tr><td class=\"l\">");
        if (total) {
            gvt_buf_puts(b, "<i>total</i>");
        } else {
            gvt_buf_printf(b, "%zu. ", c + 1);
            put_short(b, gvt_proposal_choice(p, c), 40);
        }
        gvt_buf_puts(b, "</td>");
        for (size_t s = 0; s < ns; s++) {
            bool win = !total && gvt_result_is_winner(r, s, c);
            gvt_buf_printf(b, "<td class=\"mono%s\">", win ? " win" : "");
            gvt_buf_puts(b, total ? gvt_result_total(r, s)
                                  : gvt_result_score(r, s, c));
            if (win)
                gvt_buf_puts(b, " &#9733;");
            gvt_buf_puts(b, "</td>");
        }
        gvt_buf_puts(b, "</tr>\n");
    }
    gvt_buf_puts(b, "</table></div>\n</section>\n");
}

/*
 * The Lorenz curve: voters in ascending vp, x the cumulative share of
 * voters, y the cumulative share of vp, sampled at LORENZ_POINTS + 1 evenly
 * spaced voter counts (y exact from gvt_result_lorenz: 3000 tenths have no
 * finite-decimal boundaries).
 */
static void lorenz(const gvt_result *r, gvt_buf *b)
{
    const unsigned long x0 = 50, y0 = 20, side = 300;
    gvt_buf_printf(b,
                   "<svg id=\"lorenz\" viewBox=\"0 0 380 370\" width=\"100%%\" "
                   "style=\"max-width:420px\" role=\"img\" "
                   "aria-label=\"Lorenz curve of voting power\">\n"
                   "<rect x=\"%lu\" y=\"%lu\" width=\"%lu\" height=\"%lu\" "
                   "fill=\"#f9fafb\" stroke=\"#d1d5db\"/>\n"
                   "<line x1=\"%lu\" y1=\"%lu\" x2=\"%lu\" y2=\"%lu\" "
                   "stroke=\"#9ca3af\" stroke-dasharray=\"4 4\"/>\n",
                   x0, y0, side, side, x0, y0 + side, x0 + side, y0);
    size_t n = gvt_result_voters(r);
    size_t points = n < LORENZ_POINTS ? n : LORENZ_POINTS;
    unsigned long ys[LORENZ_POINTS + 1];
    if (gvt_result_lorenz(r, points, side * 10, ys)) {
        gvt_buf tmp;
        gvt_buf_init(&tmp);
        for (size_t j = 0; j <= points; j++) {
            unsigned long x = x0 * 10 + (unsigned long)(j * side * 10 / points);
            unsigned long y = (y0 + side) * 10 - ys[j];
            gvt_buf_puts(&tmp, j ? " L" : "M");
            put_tenths(&tmp, x);
            gvt_buf_putc(&tmp, ' ');
            put_tenths(&tmp, y);
        }
        gvt_buf_printf(b,
                       "<path d=\"%s L%lu %lu Z\" fill=\"#f59e0b\" "
                       "fill-opacity=\"0.18\"/>\n<path d=\"%s\" fill=\"none\" "
                       "stroke=\"#d97706\" stroke-width=\"2.5\"/>\n",
                       tmp.data, x0 + side, y0 + side, tmp.data);
        gvt_buf_free(&tmp);
    }
    gvt_buf_printf(b,
                   "<text x=\"%lu\" y=\"%lu\" font-size=\"12\" "
                   "text-anchor=\"middle\" fill=\"#6b7280\">share of voters, "
                   "smallest first</text>\n"
                   "<text x=\"16\" y=\"%lu\" font-size=\"12\" "
                   "text-anchor=\"middle\" fill=\"#6b7280\" "
                   "transform=\"rotate(-90 16 %lu)\">share of voting "
                   "power</text>\n"
                   "<text x=\"%lu\" y=\"%lu\" font-size=\"16\" "
                   "font-weight=\"700\" fill=\"#1f2937\">Gini ",
                   x0 + side / 2, y0 + side + 30, y0 + side / 2, y0 + side / 2,
                   x0 + 14, y0 + 28);
    gvt_display_decimal(b, gvt_result_gini(r), 3);
    gvt_buf_puts(b, "</text>\n</svg>\n");
}

static void card(gvt_buf *b, const char *value, const char *label)
{
    gvt_buf_printf(b, "<div class=\"card\"><b>%s</b><span>%s</span></div>",
                   value, label);
}

static void card_count(gvt_buf *b, size_t n, const char *label)
{
    char value[24];
    snprintf(value, sizeof value, "%zu", n);
    card(b, value, label);
}

static void power(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_puts(b, "<section>\n<h2>Concentration of voting power</h2>\n"
                    "<div class=\"cards\">");
    card_count(b, gvt_result_voters(r), "voters");
    card_count(b, gvt_result_nakamoto(r), "Nakamoto coefficient");
    gvt_buf t;
    gvt_buf_init(&t);
    gvt_display_decimal(&t, gvt_result_gini(r), 3);
    card(b, t.data, "Gini");
    t.len = 0;
    gvt_display_pct(&t, gvt_result_top1_share(r));
    card(b, t.data, "largest voter");
    t.len = 0;
    gvt_display_pct(&t, gvt_result_top10_share(r));
    card(b, t.data, "largest 10");
    t.len = 0;
    gvt_display_decimal(&t, gvt_result_hhi(r), 0);
    card(b, t.data, "HHI (0&ndash;10000)");
    t.len = 0;
    long k = gvt_result_decisive_k(r);
    if (k >= 0)
        gvt_buf_printf(&t, "%ld", k);
    else
        gvt_buf_puts(&t, "none");
    card(b, t.data, "decisive wallets");
    gvt_buf_free(&t);
    gvt_buf_puts(b, "</div>\n<div class=\"two\"><div>\n");
    lorenz(r, b);
    gvt_buf_puts(
        b, "</div><div>\n<h2>Largest voters</h2>\n"
           "<div class=\"wrap\"><table id=\"top-voters\">\n"
           "<tr><th>#</th><th class=\"l\">address</th><th>vp</th><th>share</th>"
           "<th>cumulative</th><th title=\"absolute Banzhaf index: "
           "chance of being decisive in a two-way vote\">"
           "Banzhaf</th><th title=\"Shapley-Shubik index: chance of "
           "being pivotal in a random order of the voters\">"
           "Shapley-Shubik</th></tr>\n");
    size_t n = gvt_result_top_voter_count(r);
    gvt_power_index ss[TOP_VOTERS];
    size_t nss = gvt_result_shapley(r, 0, ss, TOP_VOTERS);
    for (size_t i = 0; i < n && i < TOP_VOTERS; i++) {
        const gvt_voter_figures *v = gvt_result_top_voter(r, i);
        gvt_buf_printf(b, "<tr><td>%zu</td><td class=\"mono l\" title=\"",
                       i + 1);
        gvt_buf_html(b, v->voter);
        gvt_buf_puts(b, "\">");
        put_address(b, v->voter);
        gvt_buf_puts(b, "</td><td class=\"mono\">");
        gvt_display_decimal(b, v->vp, 2);
        gvt_buf_puts(b, "</td><td>");
        gvt_display_pct(b, v->share);
        gvt_buf_puts(b, "</td><td>");
        gvt_display_pct(b, v->cumulative_share);
        gvt_buf_puts(b, "</td><td>");
        if (i < gvt_result_banzhaf_count(r))
            gvt_display_decimal(b, gvt_result_banzhaf(r, i), 3);
        gvt_buf_puts(b, "</td><td>");
        if (i < nss)
            gvt_display_decimal(b, ss[i].index, 3);
        gvt_buf_puts(b, "</td></tr>\n");
    }
    if (n == 0)
        gvt_buf_puts(b, "<tr><td colspan=\"7\">no counted ballot</td></tr>\n");
    gvt_buf_puts(b, "</table></div>\n");
    if (gvt_result_single_voter_dominates(r))
        gvt_buf_puts(b, "<p><b>The largest voter outweighs all the others "
                        "together.</b></p>\n");
    gvt_report_html_humans(r, b);
    gvt_buf_puts(b, "</div></div>\n</section>\n");
}

static void identity(const gvt_result *r, gvt_buf *b)
{
    if (!gvt_result_has_identity(r))
        return;
    gvt_buf_puts(b, "<section id=\"identity\">\n<h2>Identity</h2>\n"
                    "<div class=\"cards\">");
    char valid[48];
    snprintf(valid, sizeof valid, "%zu / %zu",
             gvt_result_attestations(r, GVT_ATTEST_VALID),
             gvt_result_attestations_read(r));
    card(b, valid, "valid attestations");
    card_count(b, gvt_result_humans(r), "humans");
    card_count(b, gvt_result_verified_wallets(r), "verified voting wallets");
    card_count(b, gvt_result_unverified_wallets(r),
               "unverified voting wallets");
    gvt_buf_puts(b, "</div>\n<table>\n<tr><th>attestation outcome</th>"
                    "<th>count</th></tr>\n");
    for (int k = 0; k < GVT_ATTEST_REASON_COUNT; k++)
        gvt_buf_printf(b, "<tr><td>%s</td><td>%zu</td></tr>\n",
                       gvt_attest_reason_name((gvt_attest_reason)k),
                       gvt_result_attestations(r, (gvt_attest_reason)k));
    gvt_buf_puts(b, "</table>\n</section>\n");
}

void gvt_report_html(const gvt_result *r, gvt_buf *b)
{
    head(r, b);
    verdict(r, b);
    chart(r, b);
    power(r, b);
    gvt_report_html_decision(r, b);
    identity(r, b);
    gvt_buf_puts(b, "<footer>govtally ");
    gvt_buf_puts(b, gvt_version());
    gvt_buf_puts(b, " &middot; figures rounded for reading; exact figures: "
                    "<span class=\"mono\">govtally run --format json</span>"
                    "</footer>\n</main>\n</body>\n</html>\n");
}
