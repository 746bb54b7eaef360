/*
 * report.h: the writers of a result (docs/formats.md#result) and what they
 * share.
 *
 *   write.c    gvt_result_write: the format's writer into one buffer, then
 *              the output
 *   json.c     gvt-result/1
 *   text.c     the side-by-side table for a terminal
 *   csv.c      scheme,choice,label,score,share,winner
 *   html.c     one self-contained page
 *   verdict.c  the verdict's sentences, shared by text and HTML
 *   display.c  figures shown to people, rounded half up
 */
#ifndef GVT_REPORT_H
#define GVT_REPORT_H

#include "result/result.h"

/* Each appends the whole report to b. */
void gvt_report_json(const gvt_result *r, gvt_buf *b);
/* The "ballots" object of the result (read, counted, rejected by reason),
 * shared with the replay rows. */
void gvt_report_json_ballots(const gvt_proposal *p, gvt_buf *b);
void gvt_report_text(const gvt_result *r, int color, gvt_buf *b);
void gvt_report_csv(const gvt_result *r, gvt_buf *b);
void gvt_report_html(const gvt_result *r, gvt_buf *b);

/*
 * The verdict in plain sentences (labels raw, unescaped), shared by the text
 * and HTML reports: the headline (who decided) into head, the whale veto
 * and the flips into more (may stay empty).
 */
void gvt_report_verdict(const gvt_result *r, gvt_buf *head, gvt_buf *more);

/*
 * Figures shown to people (the text and HTML reports) are rounded half up,
 * so that a 0.72 share reads 72.00% and not 71.99%; the JSON and CSV reports
 * keep the result's exact decimals (docs/formats.md#result) truncated toward
 * zero. gvt_display_scaled: round(part * scale / total), 0 when total <= 0.
 *   gvt_display_append: v (fixed point, >= 0) rounded to `digits` decimals,
 *                       written like gvt_fx_append.
 */
unsigned long gvt_display_scaled(const mpz_t part, const mpz_t total,
                                 unsigned long scale);
void gvt_display_append(gvt_buf *b, const mpz_t v, int digits);

#endif /* GVT_REPORT_H */
