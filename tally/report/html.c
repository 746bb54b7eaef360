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

/* part / total as "61.23%" (rounded for reading). */
static void put_pct(gvt_buf *b, const mpz_t part, const mpz_t total)
{
    unsigned long v = gvt_display_scaled(part, total, 10000);
    gvt_buf_printf(b, "%lu.%02lu%%", v / 100, v % 100);
}

static void put_ratio_pct(gvt_buf *b, const mpz_t ratio)
{
    put_pct(b, ratio, *gvt_fx_one());
}

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

static int cmp_desc(const void *a, const void *b)
{
    const gvt_ballot *x = *(const gvt_ballot *const *)a;
    const gvt_ballot *y = *(const gvt_ballot *const *)b;
    int c = mpz_cmp(y->vp, x->vp);
    return c ? c : strcmp(x->voter, y->voter);
}

/* ---- sections ---------------------------------------------------------- */

static void head(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = r->p;
    gvt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width,"
                    "initial-scale=1\">\n<title>govtally: ");
    gvt_buf_html(b, p->id[0] ? p->id : "proposal");
    gvt_buf_puts(b, "</title>\n<style>");
    gvt_buf_puts(b, css);
    gvt_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
    gvt_buf_puts(b, "Proposal ");
    gvt_buf_html(b, p->id[0] ? p->id : "(no id)");
    gvt_buf_puts(b, "</h1>\n<p>");
    if (p->space[0]) {
        gvt_buf_puts(b, "space <b>");
        gvt_buf_html(b, p->space);
        gvt_buf_puts(b, "</b> &middot; ");
    }
    gvt_buf_printf(b,
                   "%s &middot; %u choices &middot; %zu ballots read, %zu "
                   "counted, %zu duplicate, %zu invalid choice</p>\n"
                   "</header>\n",
                   gvt_type_name(p->type), p->n_choices, p->counts.read,
                   p->counts.counted, p->counts.duplicate,
                   p->counts.invalid_choice);
}

static void verdict(const gvt_result *r, gvt_buf *b)
{
    gvt_buf v, more;
    gvt_buf_init(&v);
    gvt_buf_init(&more);
    gvt_report_verdict(r, &v, &more);
    bool alarm = r->whales.whale_veto || r->whales.decisive_k == 1;
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
    const gvt_proposal *p = r->p;
    size_t ns = r->n_schemes;
    if (ns == 0 || p->n_choices == 0)
        return;
    const unsigned long label_w = 200, bar_w = 560, width = 860;
    const unsigned long bar_h = 14, gap = 4, group_gap = 18;
    unsigned long group_h = ns * (bar_h + gap) - gap;
    unsigned long height = 26 + p->n_choices * (group_h + group_gap);

    gvt_buf_puts(b, "<section>\n<h2>Scores by scheme</h2>\n"
                    "<div class=\"legend\">");
    for (size_t s = 0; s < ns; s++)
        gvt_buf_printf(b, "<span><i style=\"background:%s\"></i>%s</span>",
                       scheme_color[r->schemes[s].id],
                       gvt_scheme_name(r->schemes[s].id));
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
    for (uint32_t c = 0; c < p->n_choices; c++) {
        unsigned long y0 = 6 + c * (group_h + group_gap);
        gvt_buf_printf(b,
                       "<text x=\"0\" y=\"%lu\" font-size=\"13\" "
                       "font-weight=\"600\" fill=\"#1f2937\">%u. ",
                       y0 + group_h / 2 + 5, c + 1);
        put_short(b, p->choices[c], 24);
        gvt_buf_puts(b, "</text>\n");
        for (size_t s = 0; s < ns; s++) {
            const gvt_scheme_result *sr = &r->schemes[s];
            unsigned long y = y0 + s * (bar_h + gap);
            unsigned long len =
                gvt_display_scaled(sr->scores[c], sr->total, bar_w * 10);
            bool win = gvt_scheme_won(sr, c + 1);
            gvt_buf_printf(b, "<rect x=\"%lu\" y=\"%lu\" width=\"", label_w, y);
            put_tenths(b, len);
            gvt_buf_printf(b,
                           "\" height=\"%lu\" rx=\"3\" fill=\"%s\"%s>"
                           "<title>%s: ",
                           bar_h, scheme_color[sr->id],
                           win ? "" : " fill-opacity=\"0.55\"",
                           gvt_scheme_name(sr->id));
            put_pct(b, sr->scores[c], sr->total);
            gvt_buf_puts(b, "</title></rect>");
            gvt_buf_printf(b, "<text x=\"");
            put_tenths(b, label_w * 10 + len + 60);
            gvt_buf_printf(b,
                           "\" y=\"%lu\" font-size=\"11\" fill=\"#374151\"%s>",
                           y + bar_h - 3, win ? " font-weight=\"700\"" : "");
            put_pct(b, sr->scores[c], sr->total);
            if (win)
                gvt_buf_puts(b, " &#9733;");
            gvt_buf_puts(b, "</text>\n");
        }
    }
    gvt_buf_puts(b, "</svg></div>\n");

    /* The exact scores. */
    gvt_buf_puts(b, "<div class=\"wrap\"><table>\n<tr><th>choice</th>");
    for (size_t s = 0; s < ns; s++)
        gvt_buf_printf(b, "<th>%s</th>", gvt_scheme_name(r->schemes[s].id));
    gvt_buf_puts(b, "</tr>\n");
    for (uint32_t c = 0; c <= p->n_choices; c++) {
        bool total = c == p->n_choices;
        gvt_buf_puts(b, "<tr><td class=\"l\">");
        if (total) {
            gvt_buf_puts(b, "<i>total</i>");
        } else {
            gvt_buf_printf(b, "%u. ", c + 1);
            put_short(b, p->choices[c], 40);
        }
        gvt_buf_puts(b, "</td>");
        for (size_t s = 0; s < ns; s++) {
            const gvt_scheme_result *sr = &r->schemes[s];
            bool win = !total && gvt_scheme_won(sr, c + 1);
            gvt_buf_printf(b, "<td class=\"mono%s\">", win ? " win" : "");
            gvt_fx_append(b, total ? sr->total : sr->scores[c], GVT_OUT_DIGITS);
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
 * spaced voter counts.
 */
static void lorenz(const gvt_result *r, const gvt_ballot **v, size_t n,
                   const mpz_t total, gvt_buf *b)
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
    gvt_buf tmp;
    gvt_buf_init(&tmp);
    if (n > 0 && mpz_sgn(total) > 0) {
        size_t points = n < LORENZ_POINTS ? n : LORENZ_POINTS;
        mpz_t cum;
        mpz_init(cum);
        size_t taken = 0; /* voters summed, smallest first */
        for (size_t j = 0; j <= points; j++) {
            size_t upto = j * n / points;
            while (taken < upto) {
                mpz_add(cum, cum, v[n - 1 - taken]->vp);
                taken++;
            }
            unsigned long x = x0 * 10 + (unsigned long)(j * side * 10 / points);
            unsigned long y =
                (y0 + side) * 10 - gvt_display_scaled(cum, total, side * 10);
            gvt_buf_puts(&tmp, j ? " L" : "M");
            put_tenths(&tmp, x);
            gvt_buf_putc(&tmp, ' ');
            put_tenths(&tmp, y);
        }
        mpz_clear(cum);
        gvt_buf_printf(b,
                       "<path d=\"%s L%lu %lu Z\" fill=\"#f59e0b\" "
                       "fill-opacity=\"0.18\"/>\n<path d=\"%s\" fill=\"none\" "
                       "stroke=\"#d97706\" stroke-width=\"2.5\"/>\n",
                       tmp.data, x0 + side, y0 + side, tmp.data);
    }
    gvt_buf_free(&tmp);
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
    gvt_display_append(b, r->whales.gini, 3);
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
    const gvt_proposal *p = r->p;
    const gvt_whales *w = &r->whales;
    const gvt_ballot **v = gvt_xmalloc((p->n_ballots + 1) * sizeof *v);
    size_t n = 0;
    mpz_t total, cum;
    mpz_inits(total, cum, NULL);
    for (size_t i = 0; i < p->n_ballots; i++)
        if (p->ballots[i].status == GVT_BALLOT_COUNTED) {
            v[n++] = &p->ballots[i];
            mpz_add(total, total, p->ballots[i].vp);
        }
    qsort(v, n, sizeof *v, cmp_desc);

    gvt_buf_puts(b, "<section>\n<h2>Concentration of voting power</h2>\n"
                    "<div class=\"cards\">");
    card_count(b, w->voters, "voters");
    card_count(b, w->nakamoto, "Nakamoto coefficient");
    gvt_buf t;
    gvt_buf_init(&t);
    gvt_display_append(&t, w->gini, 3);
    card(b, t.data, "Gini");
    t.len = 0;
    put_ratio_pct(&t, w->top1_share);
    card(b, t.data, "largest voter");
    t.len = 0;
    put_ratio_pct(&t, w->top10_share);
    card(b, t.data, "largest 10");
    t.len = 0;
    gvt_display_append(&t, w->hhi, 0);
    card(b, t.data, "HHI (0&ndash;10000)");
    t.len = 0;
    if (w->decisive_k >= 0)
        gvt_buf_printf(&t, "%ld", w->decisive_k);
    else
        gvt_buf_puts(&t, "none");
    card(b, t.data, "decisive wallets");
    gvt_buf_free(&t);
    gvt_buf_puts(b, "</div>\n<div class=\"two\"><div>\n");
    lorenz(r, v, n, total, b);
    gvt_buf_puts(
        b, "</div><div>\n<h2>Largest voters</h2>\n"
           "<div class=\"wrap\"><table id=\"top-voters\">\n"
           "<tr><th>#</th><th class=\"l\">address</th><th>vp</th><th>share</th>"
           "<th>cumulative</th><th title=\"absolute Banzhaf index: "
           "chance of being decisive in a two-way vote\">"
           "Banzhaf</th></tr>\n");
    for (size_t i = 0; i < n && i < TOP_VOTERS; i++) {
        mpz_add(cum, cum, v[i]->vp);
        gvt_buf_printf(b, "<tr><td>%zu</td><td class=\"mono l\" title=\"",
                       i + 1);
        gvt_buf_html(b, v[i]->voter);
        gvt_buf_puts(b, "\">");
        put_address(b, v[i]->voter);
        gvt_buf_puts(b, "</td><td class=\"mono\">");
        gvt_display_append(b, v[i]->vp, 2);
        gvt_buf_puts(b, "</td><td>");
        put_pct(b, v[i]->vp, total);
        gvt_buf_puts(b, "</td><td>");
        put_pct(b, cum, total);
        gvt_buf_puts(b, "</td><td>");
        if (i < w->n_banzhaf)
            gvt_display_append(b, w->banzhaf[i], 3);
        gvt_buf_puts(b, "</td></tr>\n");
    }
    if (n == 0)
        gvt_buf_puts(b, "<tr><td colspan=\"6\">no counted ballot</td></tr>\n");
    gvt_buf_puts(b, "</table></div>\n");
    if (w->single_voter_dominates)
        gvt_buf_puts(b, "<p><b>The largest voter outweighs all the others "
                        "together.</b></p>\n");
    gvt_buf_puts(b, "</div></div>\n</section>\n");
    mpz_clears(total, cum, NULL);
    free(v);
}

static void identity(const gvt_result *r, gvt_buf *b)
{
    const gvt_identity *id = r->identity;
    if (!id)
        return;
    gvt_buf_puts(b, "<section id=\"identity\">\n<h2>Identity</h2>\n"
                    "<div class=\"cards\">");
    char valid[48];
    snprintf(valid, sizeof valid, "%zu / %zu", id->counts[GVT_ATTEST_VALID],
             id->read);
    card(b, valid, "valid attestations");
    card_count(b, id->n_humans, "humans");
    card_count(b, id->verified_wallets, "verified voting wallets");
    card_count(b, id->unverified_wallets, "unverified voting wallets");
    gvt_buf_puts(b, "</div>\n<table>\n<tr><th>attestation outcome</th>"
                    "<th>count</th></tr>\n");
    for (int k = 0; k < GVT_ATTEST_REASON_COUNT; k++)
        gvt_buf_printf(b, "<tr><td>%s</td><td>%zu</td></tr>\n",
                       gvt_attest_reason_name((gvt_attest_reason)k),
                       id->counts[k]);
    gvt_buf_puts(b, "</table>\n</section>\n");
}

void gvt_report_html(const gvt_result *r, gvt_buf *b)
{
    head(r, b);
    verdict(r, b);
    chart(r, b);
    power(r, b);
    identity(r, b);
    gvt_buf_puts(b, "<footer>govtally " GVT_VERSION
                    " &middot; figures rounded for reading; exact figures: "
                    "<span class=\"mono\">govtally run --format json</span>"
                    "</footer>\n</main>\n</body>\n</html>\n");
}
