/*
 * summary.h: the decision's part of the replay (docs/formats.md#replay-summary,
 * docs/outcomes.md#replay): what replay.c and outcomes.c share; nothing
 * outside tally/history/ includes it.
 *
 *   outcomes.c  a row's outcome cells (CSV, JSON) and the summary's
 *               outcome figures, over all rows and per space (DAO)
 *   record.c    the summary's audit record (docs/audit.md)
 */
#ifndef GVT_HISTORY_SUMMARY_H
#define GVT_HISTORY_SUMMARY_H

#include "crypto/crypto.h"
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

/* record.c: what made the summary (docs/audit.md#options). */
typedef struct gvt_replay_record {
    const gvt_inputs *inputs; /* the pipeline's, in order */
    const gvt_attestations *attestations;
    const gvt_trust *trust;
    const gvt_scheme *schemes;
    size_t n_schemes;
    const char *cap;
    const gvt_rule_options *rule;   /* NULL: none given */
    const gvt_import_options *from; /* NULL: exports */
    const char *table_name;         /* the proposal table's recorded name, NULL:
                                       as read */
} gvt_replay_record;

/* Appends ,\n "audit": {...} and the document's closing brace and newline
 * (the audit's digest is not in it: replay.c adds it). */
void gvt_replay_audit(gvt_buf *b, const gvt_replay_record *rec);

#endif /* GVT_HISTORY_SUMMARY_H */
