/*
 * history.h: vote histories (docs/formats.md#csv-inputs, #replay-summary): CSV
 * tables imported into exports, and many proposals replayed into one summary.
 *
 *   import.c  CSV -> exports (gvt_import_file, gvt_import_docs)
 *   replay.c  many proposals, one row each, on a pool of threads
 */
#ifndef GVT_HISTORY_H
#define GVT_HISTORY_H

#include "read/read.h"
#include "report/report.h"

/*
 * Imports a CSV file into exports of docs/formats.md#proposal-export, one per
 * proposal in order of first appearance: *out_docs[i] holds one JSON document
 * and a newline. The caller frees each buffer (gvt_buf_free) and the array
 * (free).
 */
gvt_status gvt_import_docs(const char *path, const gvt_import_options *opt,
                           gvt_buf **out_docs, size_t *out_n,
                           gvt_import_stats *out_stats, gvt_error *err);
#endif /* GVT_HISTORY_H */
