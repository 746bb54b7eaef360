/*
 * history.h: vote histories (docs/formats.md#csv-inputs, #replay-summary): CSV
 * tables imported into exports, and many proposals replayed into one summary.
 *
 *   csv.c, rows.c  CSV -> exports (gvt_import_file, gvt_import_docs)
 *   replay.c  many proposals, one row each, on a pool of threads
 *   folder.c  the files of a folder of exports, in sorted order
 *   pick.c    one proposal of a stream or folder (gvt_proposal_pick)
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

/* A name of a JSON export: *.json, *.jsonl or *.ndjson. */
bool gvt_is_json_name(const char *name);

/*
 * Lists the folder path: its sub-folders and the regular files whose name
 * want(name, ctx) accepts, hidden names skipped, as full paths in sorted
 * order. *out_list is an array of *out_n strings; the caller frees each and
 * the array. Returns false (errno set) when the folder cannot be opened.
 */
bool gvt_folder_list(const char *path, bool (*want)(const char *, void *),
                     void *ctx, char ***out_list, size_t *out_n);

#endif /* GVT_HISTORY_H */
