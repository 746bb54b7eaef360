/*
 * summary.h: the decision's part of the replay (docs/formats.md#replay-summary,
 * docs/outcomes.md#replay): what replay.c and outcomes.c share; nothing
 * outside tally/history/ includes it.
 *
 *   outcomes.c  a row's outcome cells (CSV, JSON) and the summary's
 *               outcome figures, over all rows and per space (DAO)
 */
#ifndef GVT_HISTORY_SUMMARY_H
#define GVT_HISTORY_SUMMARY_H

#include "history/history.h"

/* What the summary counts of one tallied proposal. */
typedef struct gvt_row_outcome {
    char *space; /* owned */
    gvt_outcome token;
    gvt_outcome by_scheme[GVT_SCHEME_COUNT]; /* by scheme id */
    uint32_t flips;                          /* bit per scheme id */
    bool carried, blocked;
} gvt_row_outcome;

void gvt_row_outcome_set(gvt_row_outcome *o, const gvt_result *r);
void gvt_row_outcome_free(gvt_row_outcome *o);

/* The CSV columns after the row's others: their names (",rule,...") and a
 * tallied row's cells, or an error row's (r NULL: empty cells). */
void gvt_replay_csv_outcome_header(gvt_buf *b, const gvt_scheme *s, size_t n);
void gvt_replay_csv_outcome(gvt_buf *b, const gvt_result *r,
                            const gvt_scheme *s, size_t n);
/* A JSON row's members: , "outcomes": {...}, "decision": {...} */
void gvt_replay_json_outcome(gvt_buf *b, const gvt_result *r,
                             const gvt_scheme *s, size_t n);
/* The summary's outcome figures, counted as the rows are written: over all
 * tallied rows and per space (in order of first appearance). */
typedef struct gvt_outcome_summary gvt_outcome_summary;
gvt_outcome_summary *gvt_outcome_summary_new(void);
void gvt_outcome_summary_add(gvt_outcome_summary *m, const gvt_row_outcome *o);
/* The summary's members: , "outcomes": {...}, "spaces": [...] */
void gvt_outcome_summary_json(gvt_buf *b, const gvt_outcome_summary *m,
                              const gvt_scheme *s, size_t n);
void gvt_outcome_summary_free(gvt_outcome_summary *m);

#endif /* GVT_HISTORY_SUMMARY_H */
