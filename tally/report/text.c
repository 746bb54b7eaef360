/*
 * text.c: the terminal report of docs/formats.md#result: the schemes side by
 * side as columns, the choices as rows (score and share of the scheme's total),
 * winners marked, the identity summary when attestations were given, the
 * whale metrics of docs/analysis.md, and the verdict in plain sentences.
 *
 * Every number shown here is rounded for reading (scores to 2 decimals,
 * shares to 0.01 %, halves up); the exact values are in the JSON and CSV
 * reports. Labels come from the proposal, i.e. from strangers: control
 * characters and bidi controls are escaped before they reach a terminal
 * (gvt_buf_safe), so that a label cannot move the cursor, recolour the
 * screen, set the window title or reorder what follows it.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define LABEL_COLS 28

/* ANSI SGR sequences, used only when colour is asked for. */
#define SGR_BOLD "\x1b[1m"
#define SGR_DIM "\x1b[2m"
#define SGR_WIN "\x1b[1;32m"
#define SGR_ALERT "\x1b[1;31m"
#define SGR_OK "\x1b[1;36m"
#define SGR_RESET "\x1b[0m"

static void sgr(gvt_buf *b, int color, const char *seq)
{
    if (color)
        gvt_buf_puts(b, seq);
}

/* ---- formatting helpers ----------------------------------------------------
 */

/*
 * Appends at most max_cols characters of s shown safe (gvt_buf_safe:
 * control bytes, DEL and bidi controls as \xHH or \u202E), an ellipsis
 * "..." when cut. UTF-8: a character is a lead byte and its continuation
 * bytes. Returns the number of columns used (one per character: wide
 * scripts are rare in labels and only misalign a row).
 */
static size_t put_label(gvt_buf *b, const char *text, size_t max_cols)
{
    gvt_buf t;
    gvt_buf_init(&t);
    gvt_buf_safe(&t, text, strlen(text));
    const char *s = t.data ? t.data : "";
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        chars += (*c & 0xC0) != 0x80;
    size_t keep = chars <= max_cols ? chars : max_cols - 3;
    size_t cols = 0;
    const unsigned char *c = (const unsigned char *)s;
    for (; *c; c++) {
        if ((*c & 0xC0) != 0x80) {
            if (cols == keep)
                break;
            cols++;
        }
        gvt_buf_putc(b, (char)*c);
    }
    if (keep < chars) {
        gvt_buf_puts(b, "...");
        cols += 3;
    }
    gvt_buf_free(&t);
    return cols;
}

static void pad(gvt_buf *b, size_t n)
{
    while (n--)
        gvt_buf_putc(b, ' ');
}

/* Columns of a line's text: one per UTF-8 character, none for an SGR
 * sequence. */
static size_t visible(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\x1b') {
            while (i < len && s[i] != 'm')
                i++;
            continue;
        }
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

/*
 * Appends the lines of src to b, each line wider than `wrap` columns broken
 * at spaces: the rest goes on under the column after the line's leading
 * "word: " ("whales: "), or under its own indent when it has one, or two
 * columns in. A word wider than the room stays whole. Lines that fit are
 * copied as they are.
 */
static void fit(gvt_buf *b, const char *src, size_t wrap)
{
    while (src && *src) {
        const char *nl = strchr(src, '\n');
        size_t len = nl ? (size_t)(nl - src) : strlen(src);
        if (visible(src, len) <= wrap) {
            gvt_buf_add(b, src, len);
        } else {
            size_t lead = 0;
            while (lead < len && src[lead] == ' ')
                lead++;
            size_t indent = lead ? lead : 2;
            const char *colon = memchr(src + lead, ':', len - lead);
            if (colon && colon - src < 12 && colon + 1 < src + len &&
                colon[1] == ' ' && !memchr(src + lead, ' ', colon - src - lead))
                indent = (size_t)(colon - src) + 2;
            size_t col = 0;
            const char *w = src, *end = src + len;
            bool first = true;
            while (w < end) {
                const char *sp = memchr(w, ' ', (size_t)(end - w));
                if (first && sp == w) { /* the leading indent */
                    gvt_buf_add(b, src, lead);
                    col = lead;
                    w = src + lead;
                    continue;
                }
                size_t n = sp ? (size_t)(sp - w) : (size_t)(end - w);
                size_t vn = visible(w, n);
                if (!first && col + 1 + vn > wrap && col > indent) {
                    gvt_buf_putc(b, '\n');
                    pad(b, indent);
                    col = indent;
                } else if (!first) {
                    gvt_buf_putc(b, ' ');
                    col++;
                }
                gvt_buf_add(b, w, n);
                col += vn;
                first = false;
                w += n;
                while (w < end && *w == ' ')
                    w++;
            }
        }
        gvt_buf_putc(b, '\n');
        src = nl ? nl + 1 : src + len;
    }
}

/* An amount with 2 decimals, rounded, thousands separated. */
static char *fmt_amount(const char *v)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_display_amount(&b, v);
    return b.data;
}

/* ---- the table -------------------------------------------------------------
 */

static void header(const gvt_result *r, int color, size_t wrap, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    const char *id = gvt_proposal_id(p), *space = gvt_proposal_space(p);
    gvt_ballot_counts n = gvt_proposal_ballot_counts(p);
    sgr(b, color, SGR_BOLD);
    gvt_buf_puts(b, "Proposal ");
    put_label(b, id[0] ? id : "(no id)", wrap >= 89 ? 80 : wrap - 9);
    sgr(b, color, SGR_RESET);
    gvt_buf_putc(b, '\n');
    gvt_buf_puts(b, "space ");
    put_label(b, space[0] ? space : "(none)", 60);
    gvt_buf_printf(b, ", %s, %zu choices\n",
                   gvt_type_name(gvt_proposal_type(p)),
                   gvt_proposal_choice_count(p));
    gvt_buf_printf(b,
                   "ballots: %zu read, %zu counted, %zu duplicate, "
                   "%zu invalid choice",
                   n.read, n.counted, n.duplicate, n.invalid_choice);
    if (n.encrypted)
        gvt_buf_printf(b, ", %zu encrypted", n.encrypted);
    gvt_buf_puts(b, "\n\n");
}

/* The table's cells and columns: every amount formatted once. */
typedef struct grid {
    const gvt_result *r;
    const gvt_proposal *p;
    size_t nc, ns;
    char **cell;       /* ns x (nc + 1): the scores, then the total */
    size_t *width;     /* per scheme */
    size_t label_cols; /* where a label is cut */
    size_t label_w;    /* the label column */
} grid;

/* Pre-formats the amounts and sizes the columns so that one scheme fits
 * beside the labels within cols (0: no limit). */
static void grid_measure(grid *g, size_t cols)
{
    const gvt_result *r = g->r;
    size_t nc = g->nc, ns = g->ns;
    g->cell = gvt_xcalloc(ns * (nc + 1), sizeof *g->cell);
    g->width = gvt_xcalloc(ns, sizeof *g->width);
    for (size_t s = 0; s < ns; s++) {
        for (size_t c = 0; c <= nc; c++) {
            char *t = fmt_amount(c < nc ? gvt_result_score(r, s, c)
                                        : gvt_result_total(r, s));
            g->cell[s * (nc + 1) + c] = t;
            if (strlen(t) > g->width[s])
                g->width[s] = strlen(t);
        }
        /* mark, space, amount, two spaces, "100.00%" */
        g->width[s] += 2 + 2 + 7;
        size_t nl = strlen(gvt_scheme_name(gvt_result_scheme(r, s)));
        if (nl > g->width[s])
            g->width[s] = nl;
    }
    size_t widest = 0;
    g->label_cols = LABEL_COLS;
    for (size_t s = 0; s < ns; s++)
        widest = g->width[s] > widest ? g->width[s] : widest;
    if (cols) {
        size_t room = cols > 5 + 3 + widest ? cols - 5 - 3 - widest : 0;
        if (room < g->label_cols)
            g->label_cols = room < 8 ? 8 : room;
    }
    g->label_w = 5 + 6; /* "total" in the label column, at least */
    for (size_t c = 0; c < nc; c++) {
        gvt_buf tmp;
        gvt_buf_init(&tmp);
        size_t w = put_label(&tmp, gvt_proposal_choice(g->p, c), g->label_cols);
        gvt_buf_free(&tmp);
        if (w + 5 > g->label_w)
            g->label_w = w + 5;
    }
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->ns * (g->nc + 1); i++)
        free(g->cell[i]);
    free(g->cell);
    free(g->width);
}

/* Row c (nc: the total) of the block of schemes [s0, s1). */
static void grid_row(const grid *g, int color, size_t s0, size_t s1, size_t c,
                     gvt_buf *b)
{
    const gvt_result *r = g->r;
    bool total_row = c == g->nc;
    size_t used;
    if (total_row) {
        sgr(b, color, SGR_DIM);
        gvt_buf_puts(b, "     total");
        used = 10;
    } else {
        gvt_buf_printf(b, "%4zu ", c + 1);
        used = 5 + put_label(b, gvt_proposal_choice(g->p, c), g->label_cols);
        if (used < 5)
            used = 5;
    }
    pad(b, g->label_w > used ? g->label_w - used : 0);
    for (size_t s = s0; s < s1; s++) {
        const char *amount = g->cell[s * (g->nc + 1) + c];
        bool win = !total_row && gvt_result_is_winner(r, s, c);
        gvt_buf tmp;
        gvt_buf_init(&tmp);
        if (!total_row)
            gvt_display_pct(&tmp, gvt_result_share(r, s, c));
        size_t body = 2 + strlen(amount) + 2 + 7;
        pad(b, 3 + g->width[s] - body);
        if (win)
            sgr(b, color, SGR_WIN);
        gvt_buf_puts(b, win ? "* " : "  ");
        gvt_buf_puts(b, amount);
        if (!total_row || s + 1 < s1) { /* no trailing blanks */
            gvt_buf_puts(b, "  ");
            pad(b, 7 - (tmp.len < 7 ? tmp.len : 7));
        }
        if (tmp.data)
            gvt_buf_puts(b, tmp.data);
        if (win)
            sgr(b, color, SGR_RESET);
        gvt_buf_free(&tmp);
    }
    if (total_row)
        sgr(b, color, SGR_RESET);
    gvt_buf_putc(b, '\n');
}

/*
 * The schemes side by side in blocks no wider than `cols` (0: one block):
 * each block is a table of its own under the same label column, at least
 * one scheme wide. Labels are cut so that one scheme fits beside them.
 */
static void table(const gvt_result *r, int color, size_t cols, gvt_buf *b)
{
    grid g = {.r = r, .p = gvt_result_proposal(r)};
    g.nc = gvt_proposal_choice_count(g.p);
    g.ns = gvt_result_scheme_count(r);
    if (g.ns == 0)
        return;
    grid_measure(&g, cols);
    size_t limit = cols ? cols : (size_t)-1;
    for (size_t s0 = 0, s1; s0 < g.ns; s0 = s1) {
        size_t used_cols = g.label_w + 3 + g.width[s0];
        for (s1 = s0 + 1; s1 < g.ns && used_cols + 3 + g.width[s1] <= limit;
             s1++)
            used_cols += 3 + g.width[s1];
        if (s0 > 0)
            gvt_buf_putc(b, '\n');
        sgr(b, color, SGR_BOLD);
        pad(b, g.label_w);
        for (size_t s = s0; s < s1; s++) {
            const char *name = gvt_scheme_name(gvt_result_scheme(r, s));
            pad(b, 3 + g.width[s] - strlen(name));
            gvt_buf_puts(b, name);
        }
        sgr(b, color, SGR_RESET);
        gvt_buf_putc(b, '\n');
        for (size_t c = 0; c <= g.nc; c++)
            grid_row(&g, color, s0, s1, c, b);
    }
    sgr(b, color, SGR_DIM);
    fit(b, "* winner; shares are of each scheme's total\n",
        cols ? cols : (size_t)-1);
    sgr(b, color, SGR_RESET);
    grid_free(&g);
}

static void identity(const gvt_result *r, gvt_buf *b)
{
    if (!gvt_result_has_identity(r))
        return;
    gvt_buf_printf(b, "\nidentity: %zu attestations read, %zu valid",
                   gvt_result_attestations_read(r),
                   gvt_result_attestations(r, GVT_ATTEST_VALID));
    bool first = true;
    for (int k = 1; k < GVT_ATTEST_REASON_COUNT; k++) {
        size_t n = gvt_result_attestations(r, (gvt_attest_reason)k);
        if (!n)
            continue;
        gvt_buf_printf(b, "%s%zu %s", first ? " (rejected: " : ", ", n,
                       gvt_attest_reason_name((gvt_attest_reason)k));
        first = false;
    }
    if (!first)
        gvt_buf_putc(b, ')');
    gvt_buf_printf(b,
                   "\n          %zu humans; %zu verified and %zu unverified "
                   "voting wallets\n",
                   gvt_result_humans(r), gvt_result_verified_wallets(r),
                   gvt_result_unverified_wallets(r));
}

static void whales(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_printf(b, "\nwhales: %zu voters, nakamoto %zu, gini ",
                   gvt_result_voters(r), gvt_result_nakamoto(r));
    gvt_display_decimal(b, gvt_result_gini(r), 4);
    gvt_buf_puts(b, ", HHI ");
    gvt_display_decimal(b, gvt_result_hhi(r), 1);
    gvt_buf_puts(b, "\n        top1 ");
    gvt_display_pct(b, gvt_result_top1_share(r));
    gvt_buf_puts(b, ", top10 ");
    gvt_display_pct(b, gvt_result_top10_share(r));
    long k = gvt_result_decisive_k(r);
    if (k >= 0)
        gvt_buf_printf(b, ", decisive_k %ld", k);
    else
        gvt_buf_puts(b, ", decisive_k none");
    gvt_buf_puts(b, "\n");
    if (gvt_result_single_voter_dominates(r))
        gvt_buf_puts(b, "        the largest voter outweighs all the others "
                        "together\n");
    gvt_report_text_humans(r, b);
}

void gvt_report_text(const gvt_result *r, int color, unsigned width, gvt_buf *b)
{
    /* The lines around the table are written, then fitted to the width. */
    size_t wrap = width == 0 ? (size_t)-1 : width < 20 ? 20 : width;
    gvt_buf t;
    gvt_buf_init(&t);
    header(r, color, wrap, &t);
    fit(b, t.data, wrap);
    table(r, color, width, b);
    t.len = 0;
    identity(r, &t);
    whales(r, &t);
    gvt_report_text_decision(r, &t);
    fit(b, t.data, wrap);
    gvt_buf_free(&t);

    gvt_buf v, more;
    gvt_buf_init(&v);
    gvt_buf_init(&more);
    static const gvt_verdict_style quoted = {"\"", "\"", "...", 40};
    gvt_report_verdict(r, &quoted, &v, &more);
    if (more.len) {
        gvt_buf_putc(&v, ' ');
        gvt_buf_add(&v, more.data, more.len);
    }
    bool alarm = gvt_result_whale_veto(r) || gvt_result_decisive_k(r) == 1;
    gvt_buf_puts(b, "\n");
    sgr(b, color, alarm ? SGR_ALERT : SGR_OK);
    gvt_buf_puts(b, "verdict:");
    sgr(b, color, SGR_RESET);
    /* The verdict quotes labels: clean them like the table does; wrap the
     * words two columns short of the width under a 9-column indent. */
    size_t line = width == 0 ? 78 : width < 22 ? 20 : width - 2;
    gvt_buf clean;
    gvt_buf_init(&clean);
    put_label(&clean, v.data ? v.data : "", (size_t)-1 / 2);
    size_t col = 8;
    const char *w = clean.data ? clean.data : "";
    while (*w) {
        const char *e = strchr(w, ' ');
        size_t n = e ? (size_t)(e - w) : strlen(w);
        if (col + 1 + n > line && col > 9) {
            gvt_buf_puts(b, "\n        ");
            col = 8;
        }
        gvt_buf_putc(b, ' ');
        gvt_buf_add(b, w, n);
        col += 1 + n;
        w += n;
        while (*w == ' ')
            w++;
    }
    gvt_buf_putc(b, '\n');
    gvt_buf_free(&clean);
    gvt_buf_free(&more);
    gvt_buf_free(&v);
    /* the audit's short form (docs/audit.md#in-the-reports): the version
     * and the JSON result's digest, which `govtally verify` checks */
    char hex[65];
    gvt_result_sha256(r, hex);
    gvt_buf_printf(b, "\ngovtally %s, result sha256:\n", gvt_version());
    /* the digest on one line, or in halves or quarters to fit the width */
    size_t step = width == 0 || width >= 64 ? 64 : width >= 32 ? 32 : 16;
    for (size_t at = 0; at < 64; at += step) {
        gvt_buf_add(b, hex + at, step);
        gvt_buf_putc(b, '\n');
    }
}
