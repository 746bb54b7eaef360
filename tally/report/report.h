/*
 * report.h: the writers of a result (docs/formats.md#result, #reports)
 * and what they share. They read the result only through the public
 * accessors of govtally.h (section 4), as any user of the library could: no
 * writer knows the result's insides.
 *
 *   write.c    gvt_result_write: the format's writer into one buffer, then
 *              the output
 *   json.c     gvt-result/1
 *   audit.c    its audit object and digest (docs/audit.md)
 *   text.c     the side-by-side table for a terminal
 *   csv.c      scheme,choice,label,score,share,winner
 *   html.c     one self-contained page
 *   verdict.c  the verdict's sentences, shared by text and HTML
 *   decision.c the decision (rule, quorum, outcomes) in text and HTML
 *   humans.c   the whale figures per human in text and HTML
 *   display.c  figures shown to people, rounded half up
 */
#ifndef GVT_REPORT_H
#define GVT_REPORT_H

#include "core/core.h"

/* Each appends the whole report to b. */
void gvt_report_json(const gvt_result *r, gvt_buf *b);
/* The same, and the document's result_sha256 into hex ("" if none). */
void gvt_report_json_digest(const gvt_result *r, gvt_buf *b, char hex[65]);

/*
 * audit.c (docs/audit.md): the result's audit object (b holds the document
 * from start on, up to the decision; the object, the document's end and
 * its digest are appended, the digest also into hex). The pieces the
 * replay summary shares: the "inputs" member of n inputs, the rule's
 * options as ", "rule": ..." members, and the digest as the audit's last
 * member (b ends with "}}\n", the audit's and the document's braces; hex
 * "" writes null).
 */
void gvt_report_json_audit(const gvt_result *r, gvt_buf *b, size_t start,
                           char hex[65]);
void gvt_report_audit_inputs(gvt_buf *b, const gvt_audit_input *v, size_t n);
void gvt_report_audit_rule(gvt_buf *b, const gvt_rule_options *rule);
void gvt_report_digest_member(gvt_buf *b, const char *hex);
/* The "ballots" object of the result (read, counted, rejected by reason),
 * shared with the replay rows. */
void gvt_report_json_ballots(const gvt_proposal *p, gvt_buf *b);
/* The "decision" object of the result, shared with the replay rows. */
void gvt_report_json_decision(const gvt_result *r, gvt_buf *b);
/* width: the widest line (0: one table, the verdict at 80 columns). */
void gvt_report_text(const gvt_result *r, int color, unsigned width,
                     gvt_buf *b);
void gvt_report_csv(const gvt_result *r, gvt_buf *b);
/*
 * One CSV cell of text from an input (csv.c, docs/formats.md#csv-cells):
 * shown safe (gvt_buf_safe: control bytes but LF, DEL, bidi controls
 * escaped), a
 * cell a spreadsheet would read as a formula (leading =, @, or + or - not
 * starting a plain number) prefixed with ', and quoted as RFC 4180 asks.
 */
void gvt_csv_cell(gvt_buf *b, const char *s);
void gvt_report_html(const gvt_result *r, gvt_buf *b);

/*
 * The verdict in plain sentences (unescaped), shared by the text and HTML
 * reports: the headline (who decided) into head, the whale veto and the
 * flips into more (may stay empty). Labels are put between open and close,
 * cut to max_chars characters with the ellipsis after them.
 */
typedef struct gvt_verdict_style {
    const char *open, *close, *ellipsis;
    size_t max_chars;
} gvt_verdict_style;

void gvt_report_verdict(const gvt_result *r, const gvt_verdict_style *st,
                        gvt_buf *head, gvt_buf *more);

/* decision.c: the decision's lines of the text report, its section of the
 * HTML page, and its sentences of the verdict (appended to more). */
void gvt_report_text_decision(const gvt_result *r, gvt_buf *b);
void gvt_report_html_decision(const gvt_result *r, gvt_buf *b);
void gvt_report_verdict_decision(const gvt_result *r, gvt_buf *more);

/* humans.c: the whale figures per human (with attestations) in the text
 * report, the HTML page (beside the wallets'), and the verdict's sentence
 * when they differ from the wallets'. */
void gvt_report_text_humans(const gvt_result *r, gvt_buf *b);
void gvt_report_html_humans(const gvt_result *r, gvt_buf *b);
void gvt_report_verdict_humans(const gvt_result *r, gvt_buf *more);

/*
 * Figures shown to people (the text and HTML reports) are rounded half up,
 * so that a 0.72 share reads 72.00% and not 71.99%; the JSON and CSV reports
 * keep the result's exact decimals (docs/formats.md#result) truncated toward
 * zero.
 *
 * They are rounded from the accessors' decimal strings (18 fraction digits,
 * truncated toward zero), which gives the rounding of the exact value
 * whenever the rounding's boundary is a finite decimal of at most 18 digits:
 * with x >= 0 and b such a boundary, trunc18(x) >= b exactly when x >= b.
 * That holds for every figure rounded to 0..4 decimals and for shares shown
 * as percent with 2 decimals (boundaries (2k+1)/20000). It does not hold for
 * a scale such as the HTML chart's 5600 tenths of a pixel or the Lorenz
 * curve's 3000 (boundaries (2k+1)/11200 or /6000 have no finite decimal
 * form): those come exact from gvt_result_share_scaled and
 * gvt_result_lorenz.
 *
 *   gvt_display_decimal: the decimal dec (>= 0) rounded to `digits`
 *                        decimals, written like gvt_fx_append
 *   gvt_display_pct:     the share dec as a percentage with 2 decimals,
 *                        "61.23%"
 *   gvt_display_amount:  dec with 2 decimals and thousands separated,
 *                        "2,400.00" (the text table's amounts)
 */
void gvt_display_decimal(gvt_buf *b, const char *dec, int digits);
void gvt_display_pct(gvt_buf *b, const char *share);
void gvt_display_amount(gvt_buf *b, const char *dec);

#endif /* GVT_REPORT_H */
