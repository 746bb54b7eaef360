/*
 * decision.c: the decision in the text and HTML reports (docs/reports.md):
 * the rule and its quorum, the outcome under every scheme, the quorum veto,
 * and what the quorum alone did. Amounts are rounded for reading like the
 * rest of those reports; the exact figures are in the JSON result's
 * "decision".
 */
#include <string.h>

#include "report/report.h"

static const char *const rule_titles[GVT_RULE_COUNT] = {
    "Snapshot", "OpenZeppelin Governor", "Compound Governor", "Aragon Voting",
    "unknown rule"};

/* The outcome as a verb phrase: "passed", "was rejected", "failed its
 * quorum", "is not decidable"; with would, after "would have": "passed",
 * "been rejected", "failed its quorum". */
static const char *outcome_words(gvt_outcome o, bool would)
{
    switch (o) {
    case GVT_OUTCOME_PASSED:
        return "passed";
    case GVT_OUTCOME_REJECTED:
        return would ? "been rejected" : "was rejected";
    case GVT_OUTCOME_FAILED_QUORUM:
        return "failed its quorum";
    default:
        return would ? "been undecidable" : "is not decidable";
    }
}

/* What the quorum counts, as a phrase. */
static const char *counted_words(const gvt_result *r)
{
    switch (gvt_result_rule(r)) {
    case GVT_RULE_SNAPSHOT:
        return gvt_result_quorum_type(r) && gvt_result_quorum_type(r)[0] == 'r'
                   ? "Against"
                   : "every vote";
    case GVT_RULE_OPENZEPPELIN:
        return "For and Abstain";
    default:
        return "For";
    }
}

/* The rule and its quorum as one phrase (no trailing punctuation). */
static void put_rule(const gvt_result *r, gvt_buf *b)
{
    gvt_rule rule = gvt_result_rule(r);
    gvt_buf_puts(b, rule_titles[rule]);
    const char *q = gvt_result_quorum(r), *share = gvt_result_quorum_share(r);
    const char *sup = gvt_result_support(r);
    if (gvt_result_outcome_reason(r))
        return;
    if (gvt_result_quorum_type(r) && gvt_result_quorum_type(r)[0] == 'r') {
        gvt_buf_puts(b, ", quorum of rejection ");
        gvt_display_amount(b, q ? q : "0");
    } else if (rule == GVT_RULE_ARAGON && share) {
        gvt_buf_puts(b, ", minimum quorum ");
        gvt_display_pct(b, share);
        gvt_buf_puts(b, " of ");
        gvt_display_amount(b, gvt_result_supply(r));
    } else if (q && gvt_result_quorum_reached(r) >= 0) {
        gvt_buf_puts(b, ", quorum ");
        gvt_display_amount(b, q);
        if (share) {
            gvt_buf_puts(b, " (");
            gvt_display_pct(b, share);
            gvt_buf_puts(b, " of the supply)");
        }
    } else {
        gvt_buf_puts(b, ", no quorum");
    }
    if (sup) {
        gvt_buf_puts(b, ", support above ");
        gvt_display_pct(b, sup);
    }
}

/* The outcome per scheme: "snapshot passed, token passed, ...". */
static void put_outcomes(const gvt_result *r, gvt_buf *b)
{
    size_t ns = gvt_result_scheme_count(r);
    for (size_t i = 0; i < ns; i++)
        gvt_buf_printf(b, "%s %s%s", gvt_scheme_name(gvt_result_scheme(r, i)),
                       gvt_outcome_name(gvt_result_outcome(r, i)),
                       i + 1 < ns ? ", " : "");
}

void gvt_report_text_decision(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_puts(b, "\ndecision: ");
    put_rule(r, b);
    const char *why = gvt_result_outcome_reason(r);
    if (why) {
        gvt_buf_puts(b, "\n          not decidable: ");
        gvt_buf_puts(b, why);
        gvt_buf_putc(b, '\n');
        return;
    }
    const char *votes = gvt_result_quorum_votes(r);
    int reached = gvt_result_quorum_reached(r);
    if (reached >= 0 && votes) {
        gvt_buf_printf(b, "\n          %s: ", counted_words(r));
        gvt_display_amount(b, votes);
        gvt_buf_puts(b, reached ? ", reached" : ", not reached");
    }
    gvt_buf_printf(b, "\n          %s by voting power; ",
                   gvt_outcome_name(gvt_result_token_outcome(r)));
    put_outcomes(r, b);
    long k = gvt_result_quorum_k(r);
    if (k >= 0)
        gvt_buf_printf(b, "\n          quorum_k %ld", k);
    gvt_buf_putc(b, '\n');
}

void gvt_report_html_decision(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_puts(b, "<section id=\"decision\">\n<h2>Decision</h2>\n<p>");
    put_rule(r, b);
    gvt_buf_puts(b, ".</p>\n");
    const char *why = gvt_result_outcome_reason(r);
    if (why) {
        gvt_buf_puts(b, "<p>Not decidable: ");
        gvt_buf_html(b, why);
        gvt_buf_puts(b, ".</p>\n</section>\n");
        return;
    }
    const char *votes = gvt_result_quorum_votes(r);
    int reached = gvt_result_quorum_reached(r);
    gvt_buf_puts(b, "<div class=\"cards\">");
    gvt_buf t;
    gvt_buf_init(&t);
    gvt_buf_puts(&t, gvt_outcome_name(gvt_result_token_outcome(r)));
    gvt_buf_puts(b, "<div class=\"card\"><b>");
    gvt_buf_html(b, t.data);
    gvt_buf_puts(b, "</b><span>by voting power</span></div>");
    if (reached >= 0 && votes) {
        t.len = 0;
        gvt_display_amount(&t, votes);
        gvt_buf_printf(b,
                       "<div class=\"card\"><b>%s</b><span>%s toward the "
                       "quorum (%s)</span></div>",
                       t.data, counted_words(r),
                       reached ? "reached" : "not reached");
    }
    long k = gvt_result_quorum_k(r);
    if (k >= 0)
        gvt_buf_printf(b,
                       "<div class=\"card\"><b>%ld</b><span>quorum_k: "
                       "voters whose absence fails the quorum</span></div>",
                       k);
    gvt_buf_free(&t);
    gvt_buf_puts(b, "</div>\n<table id=\"outcomes\">\n<tr><th class=\"l\">"
                    "scheme</th><th class=\"l\">outcome</th></tr>\n");
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++)
        gvt_buf_printf(b,
                       "<tr><td class=\"l\">%s</td><td class=\"l\">%s%s"
                       "</td></tr>\n",
                       gvt_scheme_name(gvt_result_scheme(r, i)),
                       gvt_outcome_name(gvt_result_outcome(r, i)),
                       gvt_result_outcome_flipped(r, i) ? " (flip)" : "");
    gvt_buf_puts(b, "</table>\n</section>\n");
}

/* The verdict's sentences on the decision (verdict.c). */
void gvt_report_verdict_decision(const gvt_result *r, gvt_buf *b)
{
    if (gvt_result_outcome_reason(r))
        return;
    gvt_outcome tok = gvt_result_token_outcome(r);
    gvt_buf_puts(b, b->len ? " " : "");
    gvt_buf_printf(b, "By its rule (%s) the proposal %s.",
                   rule_titles[gvt_result_rule(r)], outcome_words(tok, false));
    bool first = true;
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++) {
        if (!gvt_result_outcome_flipped(r, i))
            continue;
        gvt_buf_printf(b, "%s%s it would have %s",
                       first ? " Under " : "; under ",
                       gvt_scheme_name(gvt_result_scheme(r, i)),
                       outcome_words(gvt_result_outcome(r, i), true));
        first = false;
    }
    if (!first)
        gvt_buf_putc(b, '.');
    if (gvt_result_blocked_by_quorum(r))
        gvt_buf_puts(b, " The quorum alone stopped it: For led Against.");
    if (gvt_result_carried_by_quorum(r))
        gvt_buf_printf(b,
                       " Votes other than For carried its quorum (%s "
                       "count toward it).",
                       counted_words(r));
    long k = gvt_result_quorum_k(r);
    if (k == 1)
        gvt_buf_puts(b, " Without its largest voter it would have failed "
                        "its quorum.");
    else if (k > 1)
        gvt_buf_printf(b,
                       " Without its %ld largest voters it would have "
                       "failed its quorum.",
                       k);
}
