/*
 * html.c: the HTML report of docs/formats.md#result (docs/reports.md#html):
 * one self-contained file (inline CSS and inline SVG; no script, no font,
 * image or link to anything outside the file) with
 *   - the proposal: its title, space, type, voting dates and id (as text,
 *     never a link), the ballot accounting,
 *   - the warnings of the result, when there are any,
 *   - the verdict (verdict.c's sentences, labels quoted and cut),
 *   - a bar chart of every scheme's shares, one group per choice, every bar
 *     named and valued in text beside it (colour is never the only cue),
 *   - the exact scores, one small table per scheme,
 *   - the concentration figures and the Lorenz curve with its ticks,
 *   - the largest voters (vp, share, Banzhaf index),
 *   - the identity summary when attestations were given.
 *
 * The page reads at a desktop's width and a phone's: the chart is HTML (its
 * text keeps its size, where an SVG's would shrink with the drawing), the
 * tables either fit a card or turn into one block per row below 640 px, and
 * long words break rather than push the page sideways. tests/html_render.sh
 * checks it in Chromium at 1280 and 420 px.
 *
 * Scheme colours are Paul Tol's "bright" qualitative palette: seven colours
 * told apart with every common colour-vision deficiency.
 *
 * Every string from the input (labels, ids, space, title, addresses) goes
 * through gvt_buf_html. Bar lengths and drawing coordinates are computed with
 * integers from the exact amounts, so the same result always gives the same
 * bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define TOP_VOTERS 10
#define LORENZ_POINTS 200

static const char *const scheme_color[GVT_SCHEME_COUNT] = {
    "#4477AA", /* snapshot: blue */
    "#EE6677", /* token: red */
    "#228833", /* address: green */
    "#CCBB44", /* quadratic: yellow */
    "#66CCEE", /* personhood: cyan */
    "#AA3377", /* quadratic-personhood: purple */
    "#BBBBBB", /* capped-personhood: grey */
};

static const char css[] =
    ":root{--ink:#1f2937;--mute:#4b5563;--line:#e5e7eb;--card:#fff;"
    "--bg:#f6f7fb;--alarm:#b91c1c;--calm:#047857;--sans:system-ui,"
    "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:15px/1.5 var(--sans);overflow-wrap:anywhere}"
    "main{max-width:1000px;margin:0 auto;padding:28px 20px 40px}"
    ".mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "'DejaVu Sans Mono',monospace}"
    "header .kicker{margin:0;color:var(--mute);font-size:13px;"
    "letter-spacing:.05em;text-transform:uppercase}"
    "header h1{font-size:26px;line-height:1.25;margin:4px 0 14px}"
    ".facts{display:flex;flex-wrap:wrap;gap:8px 26px;margin:0}"
    ".facts div{min-width:0}"
    ".facts dt{color:var(--mute);font-size:12px;text-transform:uppercase;"
    "letter-spacing:.05em}"
    ".facts dd{margin:0;font-size:14px}"
    ".facts dd.mono{font-size:13px;word-break:break-all}"
    ".notes{margin:18px 0;padding:12px 18px;border-radius:12px;"
    "background:#fffbeb;border:1px solid #f59e0b;color:#78350f}"
    ".notes h2{font-size:15px;margin:0 0 4px}"
    ".notes ul{margin:0;padding-left:20px}"
    ".verdict{margin:18px 0;padding:18px 22px;border-radius:12px;"
    "font-size:18px;font-weight:600;border-left:6px solid var(--calm);"
    "background:#ecfdf5}"
    ".verdict.alarm{border-left-color:var(--alarm);background:#fef2f2}"
    ".verdict small{display:block;font-size:12px;font-weight:600;"
    "letter-spacing:.08em;text-transform:uppercase;color:var(--mute)}"
    ".verdict p{margin:8px 0 0;font-size:15px;font-weight:400}"
    "section{background:var(--card);border:1px solid var(--line);"
    "border-radius:12px;padding:18px 22px;margin:18px 0}"
    "section h2{font-size:17px;margin:0 0 10px}"
    ".hint{color:var(--mute);font-size:13px;margin:0 0 14px}"
    ".choice{margin:0 0 16px}"
    ".choice h3{font-size:15px;margin:0 0 4px}"
    ".bar{display:grid;grid-template-columns:190px minmax(0,1fr) 92px;"
    "align-items:center;gap:2px 10px;font-size:13px;margin:2px 0}"
    ".bar .bt{height:14px;background:#eef1f5;border-radius:3px;"
    "overflow:hidden}"
    ".bar .bt span{display:block;height:100%;border-radius:3px}"
    ".bar .bv{text-align:right;font-variant-numeric:tabular-nums}"
    ".bar.win{font-weight:700}"
    ".sw{display:inline-block;width:11px;height:11px;border-radius:2px;"
    "margin-right:6px;vertical-align:-1px}"
    ".exact{display:grid;gap:12px;"
    "grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr))}"
    ".sc{border:1px solid var(--line);border-radius:10px;padding:10px 12px;"
    "min-width:0}"
    ".sc h3{font-size:14px;margin:0 0 4px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{padding:5px 6px;border-bottom:1px solid var(--line);"
    "text-align:right;vertical-align:top}"
    "th{color:var(--mute);font-weight:600}"
    "th.l,td.l{text-align:left}"
    "td.num{word-break:break-all}"
    "td.pct{white-space:nowrap}"
    "td.win{font-weight:700;color:var(--calm)}"
    ".cards{display:grid;gap:10px;margin-bottom:14px;"
    "grid-template-columns:repeat(auto-fit,minmax(112px,1fr))}"
    ".card{border:1px solid var(--line);border-radius:10px;"
    "padding:10px 12px}"
    ".card b{display:block;font-size:20px}"
    ".card span{color:var(--mute);font-size:12px}"
    ".two{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}"
    ".two>div{flex:1 1 320px;min-width:0}"
    ".two p{font-size:14px;margin:0 0 10px}"
    "svg text{font-family:inherit}"
    "footer{color:var(--mute);font-size:12px;text-align:center}"
    "footer .mono{word-break:break-all}"
    "@media (max-width:640px){"
    "main{padding:18px 10px 32px}"
    "header h1{font-size:22px}"
    "section{padding:14px 12px}"
    ".verdict{font-size:16px;padding:14px 16px}"
    ".bar{grid-template-columns:minmax(0,1fr) auto;"
    "grid-template-areas:'n v' 't t'}"
    ".bar .bn{grid-area:n}.bar .bv{grid-area:v}.bar .bt{grid-area:t}"
    "table.reflow tr.hd{display:none}"
    "table.reflow,table.reflow tbody{display:block}"
    "table.reflow tr{display:grid;grid-template-columns:1fr 1fr;"
    "gap:0 18px;border-bottom:1px solid var(--line);padding:6px 0}"
    "table.reflow td{display:flex;justify-content:space-between;gap:8px;"
    "border:0;padding:2px 0;min-width:0}"
    "table.reflow td::before{content:attr(data-label);color:var(--mute);"
    "font-family:var(--sans);text-align:left}"
    "}";

/* ---- small helpers ---------------------------------------------------------
 */

/* A string cut to max (>= 2) characters, UTF-8 aware, escaped. */
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

/* An address or id shortened to its head and tail ("0x1234ab...cdef"),
 * which is how they are told apart at a glance. */
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

/* A share at scale 10000 as a CSS percentage or a reading, "28.05%". */
static void put_hundredths(gvt_buf *b, unsigned long v)
{
    gvt_buf_printf(b, "%lu.%02lu%%", v / 100, v % 100);
}

/* ---- the top: proposal, warnings, verdict -------------------------------- */

static void fact(gvt_buf *b, const char *name)
{
    gvt_buf_printf(b, "<div><dt>%s</dt><dd>", name);
}

static void head(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    const char *id = gvt_proposal_id(p), *space = gvt_proposal_space(p);
    const char *title = gvt_proposal_title(p);
    gvt_ballot_counts n = gvt_proposal_ballot_counts(p);
    gvt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width,"
                    "initial-scale=1\">\n"
                    "<meta name=\"format-detection\" content=\"telephone=no,"
                    "email=no,address=no\">\n<title>govtally: ");
    put_short(b, title[0] ? title : id[0] ? id : "proposal", 80);
    gvt_buf_puts(b, "</title>\n<style>");
    gvt_buf_puts(b, css);
    gvt_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<header>\n"
                    "<p class=\"kicker\">govtally report");
    if (space[0]) {
        gvt_buf_puts(b, " &middot; ");
        put_short(b, space, 60);
    }
    gvt_buf_puts(b, "</p>\n<h1 id=\"title\">");
    if (title[0]) {
        put_short(b, title, 200);
    } else {
        gvt_buf_puts(b, "Proposal ");
        put_address(b, id[0] ? id : "(no id)");
    }
    gvt_buf_puts(b, "</h1>\n<dl class=\"facts\">");
    if (space[0]) {
        fact(b, "space");
        gvt_buf_html(b, space);
        gvt_buf_puts(b, "</dd></div>");
    }
    fact(b, "type");
    gvt_buf_printf(b, "%s, %zu choices</dd></div>",
                   gvt_type_name(gvt_proposal_type(p)),
                   gvt_proposal_choice_count(p));
    long long start = gvt_proposal_start(p), end = gvt_proposal_end(p);
    if (start != GVT_TIME_NONE || end != GVT_TIME_NONE) {
        fact(b, "voting (UTC)");
        if (start != GVT_TIME_NONE)
            gvt_time_put(b, start, false);
        gvt_buf_puts(b, start != GVT_TIME_NONE && end != GVT_TIME_NONE
                            ? " &ndash; "
                        : start != GVT_TIME_NONE ? " &ndash;"
                                                 : "until ");
        if (end != GVT_TIME_NONE)
            gvt_time_put(b, end, false);
        gvt_buf_puts(b, "</dd></div>");
    }
    if (gvt_proposal_state(p)[0]) {
        fact(b, "state");
        put_short(b, gvt_proposal_state(p), 20);
        gvt_buf_puts(b, "</dd></div>");
    }
    fact(b, "ballots");
    gvt_buf_printf(b,
                   "%zu read, %zu counted, %zu duplicate, %zu invalid choice",
                   n.read, n.counted, n.duplicate, n.invalid_choice);
    if (n.encrypted)
        gvt_buf_printf(b, ", %zu encrypted", n.encrypted);
    gvt_buf_puts(b, "</dd></div>");
    if (id[0]) {
        gvt_buf_puts(b, "<div><dt>proposal id</dt><dd class=\"mono\" "
                        "id=\"proposal-id\">");
        gvt_buf_html(b, id);
        gvt_buf_puts(b, "</dd></div>");
    }
    gvt_buf_puts(b, "</dl>\n</header>\n");
}

static void warnings(const gvt_result *r, gvt_buf *b)
{
    size_t n = gvt_result_warning_count(r);
    if (n == 0)
        return;
    gvt_buf_puts(b, "<div class=\"notes\" id=\"warnings\" role=\"note\">"
                    "<h2>Before you read on</h2><ul>");
    for (size_t i = 0; i < n; i++) {
        gvt_buf_puts(b, "<li>");
        gvt_buf_html(b, gvt_result_warning(r, i));
        gvt_buf_puts(b, "</li>");
    }
    gvt_buf_puts(b, "</ul></div>\n");
}

static void verdict(const gvt_result *r, gvt_buf *b)
{
    static const gvt_verdict_style quoted = {"\xe2\x80\x9c", "\xe2\x80\x9d",
                                             "\xe2\x80\xa6", 60};
    gvt_buf v, more;
    gvt_buf_init(&v);
    gvt_buf_init(&more);
    gvt_report_verdict(r, &quoted, &v, &more);
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

/* ---- scores -------------------------------------------------------------- */

static void swatch(gvt_buf *b, gvt_scheme id)
{
    gvt_buf_printf(b, "<i class=\"sw\" style=\"background:%s\"></i>",
                   scheme_color[id]);
}

/*
 * The chart: one group per choice, one bar per scheme, the bar's length its
 * share of the scheme's total (exact: gvt_result_share_scaled rounds the
 * exact ratio at 10000). Each bar carries its scheme's name and its share as
 * text, and the winners a star and bold type.
 */
static void chart(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t nc = gvt_proposal_choice_count(p);
    size_t ns = gvt_result_scheme_count(r);
    gvt_buf_puts(b, "<section id=\"scores\">\n<h2>Scores by scheme</h2>\n"
                    "<p class=\"hint\">Each bar is a choice's share of the "
                    "scheme's total; &#9733; marks the scheme's winner.</p>\n"
                    "<div id=\"scores-chart\">\n");
    for (size_t c = 0; c < nc; c++) {
        gvt_buf_printf(b, "<div class=\"choice\"><h3>%zu. ", c + 1);
        put_short(b, gvt_proposal_choice(p, c), 120);
        gvt_buf_puts(b, "</h3>\n");
        for (size_t s = 0; s < ns; s++) {
            gvt_scheme id = gvt_result_scheme(r, s);
            unsigned long v = gvt_result_share_scaled(r, s, c, 10000);
            bool win = gvt_result_is_winner(r, s, c);
            gvt_buf_printf(b, "<div class=\"bar%s\"><span class=\"bn\">",
                           win ? " win" : "");
            swatch(b, id);
            gvt_buf_printf(b,
                           "%s</span><span class=\"bt\"><span "
                           "style=\"width:",
                           gvt_scheme_name(id));
            put_hundredths(b, v);
            gvt_buf_printf(b,
                           ";background:%s\"></span></span>"
                           "<span class=\"bv\">",
                           scheme_color[id]);
            put_hundredths(b, v);
            gvt_buf_puts(b,
                         win ? " &#9733;</span></div>\n" : "</span></div>\n");
        }
        gvt_buf_puts(b, "</div>\n");
    }
    gvt_buf_puts(b, "</div>\n</section>\n");
}

/* The exact scores: a small table per scheme, so that seven schemes of
 * 18-digit decimals fit any width (cards side by side, or one a row). */
static void exact(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t nc = gvt_proposal_choice_count(p);
    size_t ns = gvt_result_scheme_count(r);
    gvt_buf_puts(b, "<section id=\"exact\">\n<h2>Exact scores</h2>\n"
                    "<p class=\"hint\">Decimals as in the JSON result: 18 "
                    "digits, truncated; shares of the scheme's total.</p>\n"
                    "<div class=\"exact\">\n");
    for (size_t s = 0; s < ns; s++) {
        gvt_scheme id = gvt_result_scheme(r, s);
        gvt_buf_puts(b, "<div class=\"sc\"><h3>");
        swatch(b, id);
        gvt_buf_printf(b,
                       "%s</h3><table>\n<tr><th class=\"l\">choice</th>"
                       "<th>score</th><th>share</th></tr>\n",
                       gvt_scheme_name(id));
        for (size_t c = 0; c <= nc; c++) {
            bool total = c == nc;
            bool win = !total && gvt_result_is_winner(r, s, c);
            gvt_buf_puts(b, "<tr><td class=\"l\">");
            if (total) {
                gvt_buf_puts(b, "<i>total</i>");
            } else {
                gvt_buf_printf(b, "%zu. ", c + 1);
                put_short(b, gvt_proposal_choice(p, c), 40);
            }
            gvt_buf_printf(b, "</td><td class=\"mono num%s\">",
                           win ? " win" : "");
            gvt_buf_puts(b, total ? gvt_result_total(r, s)
                                  : gvt_result_score(r, s, c));
            if (win)
                gvt_buf_puts(b, " &#9733;");
            gvt_buf_puts(b, "</td><td class=\"pct\">");
            if (!total)
                gvt_display_pct(b, gvt_result_share(r, s, c));
            gvt_buf_puts(b, "</td></tr>\n");
        }
        gvt_buf_puts(b, "</table></div>\n");
    }
    gvt_buf_puts(b, "</div>\n</section>\n");
}

/* ---- concentration ------------------------------------------------------- */

/*
 * The Lorenz curve: voters in ascending vp, x the cumulative share of
 * voters, y the cumulative share of vp, sampled at LORENZ_POINTS + 1 evenly
 * spaced voter counts (y exact from gvt_result_lorenz: the scale's
 * boundaries have no finite-decimal form), ticks every 25 % on both axes.
 * The drawing is 352 units wide and at most 420 px: its 13-unit text stays
 * at 11 px or more down to a 300 px column.
 */
static void lorenz(const gvt_result *r, gvt_buf *b)
{
    const unsigned long x0 = 58, y0 = 14, side = 270;
    gvt_buf_printf(b,
                   "<svg id=\"lorenz\" viewBox=\"0 0 352 340\" width=\"100%%\" "
                   "style=\"max-width:420px;display:block\" role=\"img\" "
                   "aria-label=\"Lorenz curve of voting power\">\n"
                   "<rect x=\"%lu\" y=\"%lu\" width=\"%lu\" height=\"%lu\" "
                   "fill=\"#f9fafb\" stroke=\"#9ca3af\"/>\n",
                   x0, y0, side, side);
    for (unsigned long t = 0; t <= 4; t++) {
        unsigned long x = x0 + side * t / 4, y = y0 + side - side * t / 4;
        if (t > 0 && t < 4)
            gvt_buf_printf(b,
                           "<line x1=\"%lu\" y1=\"%lu\" x2=\"%lu\" y2=\"%lu\" "
                           "stroke=\"#e5e7eb\"/><line x1=\"%lu\" y1=\"%lu\" "
                           "x2=\"%lu\" y2=\"%lu\" stroke=\"#e5e7eb\"/>",
                           x, y0, x, y0 + side, x0, y, x0 + side, y);
        gvt_buf_printf(b,
                       "<text x=\"%lu\" y=\"%lu\" font-size=\"13\" "
                       "text-anchor=\"middle\" fill=\"#4b5563\">%lu%%</text>"
                       "<text x=\"%lu\" y=\"%lu\" font-size=\"13\" "
                       "text-anchor=\"end\" fill=\"#4b5563\">%lu%%</text>\n",
                       x, y0 + side + 18, t * 25, x0 - 6, y + 4, t * 25);
    }
    gvt_buf_printf(b,
                   "<line x1=\"%lu\" y1=\"%lu\" x2=\"%lu\" y2=\"%lu\" "
                   "stroke=\"#6b7280\" stroke-dasharray=\"4 4\"/>\n",
                   x0, y0 + side, x0 + side, y0);
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
                       "<path d=\"%s L%lu %lu Z\" fill=\"#EE6677\" "
                       "fill-opacity=\"0.2\"/>\n<path d=\"%s\" fill=\"none\" "
                       "stroke=\"#b4233a\" stroke-width=\"2.5\"/>\n",
                       tmp.data, x0 + side, y0 + side, tmp.data);
        gvt_buf_free(&tmp);
    }
    gvt_buf_printf(b,
                   "<text x=\"%lu\" y=\"%lu\" font-size=\"13\" "
                   "text-anchor=\"middle\" fill=\"#374151\">share of voters, "
                   "smallest first</text>\n"
                   "<text x=\"14\" y=\"%lu\" font-size=\"13\" "
                   "text-anchor=\"middle\" fill=\"#374151\" "
                   "transform=\"rotate(-90 14 %lu)\">share of voting "
                   "power</text>\n"
                   "<text x=\"%lu\" y=\"%lu\" font-size=\"16\" "
                   "font-weight=\"700\" fill=\"#1f2937\">Gini ",
                   x0 + side / 2, y0 + side + 40, y0 + side / 2, y0 + side / 2,
                   x0 + 12, y0 + 24);
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
    gvt_buf_puts(b, "<section id=\"power\">\n"
                    "<h2>Concentration of voting power</h2>\n"
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
    gvt_buf_puts(b, "</div><div>\n<p>The curve orders the voters from the "
                    "smallest to the largest and follows the share of the "
                    "voting power they hold together. The dashed diagonal "
                    "is an equal split; the shaded gap is what the Gini "
                    "coefficient measures (0: equal, 1: one voter holds "
                    "everything).</p>\n<p>The Nakamoto coefficient is the "
                    "fewest voters holding more than half of the counted "
                    "voting power; the decisive wallets are the fewest of "
                    "the winner's largest supporters without whom the token "
                    "result changes.</p>\n");
    if (gvt_result_single_voter_dominates(r))
        gvt_buf_puts(b, "<p><b>The largest voter outweighs all the others "
                        "together.</b></p>\n");
    gvt_report_html_humans(r, b);
    gvt_buf_puts(b, "</div></div>\n</section>\n");
}

static void top_voters(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_puts(
        b, "<section id=\"largest\">\n<h2>Largest voters</h2>\n"
           "<table id=\"top-voters\" class=\"reflow\">\n"
           "<tr class=\"hd\"><th>#</th><th class=\"l\">address</th>"
           "<th>voting power</th><th>share</th><th>cumulative</th>"
           "<th title=\"absolute Banzhaf index: chance of being decisive in a "
           "two-way vote\">Banzhaf</th><th title=\"Shapley-Shubik index: "
           "chance of being pivotal in a random order of the voters\">"
           "Shapley-Shubik</th></tr>\n");
    size_t n = gvt_result_top_voter_count(r);
    gvt_power_index ss[TOP_VOTERS];
    size_t nss = gvt_result_shapley(r, 0, ss, TOP_VOTERS);
    for (size_t i = 0; i < n && i < TOP_VOTERS; i++) {
        const gvt_voter_figures *v = gvt_result_top_voter(r, i);
        gvt_buf_printf(b,
                       "<tr><td data-label=\"#\">%zu</td><td "
                       "data-label=\"address\" class=\"mono l\" title=\"",
                       i + 1);
        gvt_buf_html(b, v->voter);
        gvt_buf_puts(b, "\">");
        put_address(b, v->voter);
        gvt_buf_puts(b, "</td><td data-label=\"voting power\" class=\"mono\">");
        gvt_display_decimal(b, v->vp, 2);
        gvt_buf_puts(b, "</td><td data-label=\"share\">");
        gvt_display_pct(b, v->share);
        gvt_buf_puts(b, "</td><td data-label=\"cumulative\">");
        gvt_display_pct(b, v->cumulative_share);
        gvt_buf_puts(b, "</td><td data-label=\"Banzhaf\">");
        if (i < gvt_result_banzhaf_count(r))
            gvt_display_decimal(b, gvt_result_banzhaf(r, i), 3);
        gvt_buf_puts(b, "</td><td data-label=\"Shapley-Shubik\">");
        if (i < nss)
            gvt_display_decimal(b, ss[i].index, 3);
        gvt_buf_puts(b, "</td></tr>\n");
    }
    if (n == 0)
        gvt_buf_puts(b, "<tr><td colspan=\"7\">no counted ballot</td></tr>\n");
    gvt_buf_puts(b, "</table>\n</section>\n");
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
    gvt_buf_puts(b, "</div>\n<table>\n<tr><th class=\"l\">attestation "
                    "outcome</th><th>count</th></tr>\n");
    for (int k = 0; k < GVT_ATTEST_REASON_COUNT; k++)
        gvt_buf_printf(b, "<tr><td class=\"l\">%s</td><td>%zu</td></tr>\n",
                       gvt_attest_reason_name((gvt_attest_reason)k),
                       gvt_result_attestations(r, (gvt_attest_reason)k));
    gvt_buf_puts(b, "</table>\n</section>\n");
}

void gvt_report_html(const gvt_result *r, gvt_buf *b)
{
    head(r, b);
    warnings(r, b);
    verdict(r, b);
    if (gvt_result_scheme_count(r) &&
        gvt_proposal_choice_count(gvt_result_proposal(r))) {
        chart(r, b);
        exact(r, b);
    }
    power(r, b);
    top_voters(r, b);
    gvt_report_html_decision(r, b);
    identity(r, b);
    gvt_buf_puts(b, "<footer>govtally ");
    gvt_buf_puts(b, gvt_version());
    gvt_buf_puts(b, " &middot; figures rounded for reading; exact figures: "
                    "<span class=\"mono\">govtally run --format json</span>");
    /* the audit's short form (docs/audit.md#in-the-reports) */
    char hex[65];
    gvt_result_sha256(r, hex);
    gvt_buf_printf(b,
                   " &middot; result sha256 <span class=\"mono\">%s</span>"
                   "</footer>\n</main>\n</body>\n</html>\n",
                   hex);
}
