/*
 * history.h: vote histories (docs/formats.md#csv-inputs, #replay-summary): CSV
 * tables imported into exports, and many proposals replayed into one summary.
 *
 *   csvfile.c the CSV layer (gvt_csv_open, gvt_csv_each), shared by the
 *             import and lists.c
 *   csv.c, rows.c  CSV -> exports (gvt_import_file, gvt_import_docs)
 *   lists.c   verified lists (Passport, Proof of Humanity, World ID) signed
 *             as attestations (gvt_attest_sign_list)
 *   replay.c  many proposals, one row each, and the summary
 *   pipeline.c  documents of many inputs run on a pool of threads in
 *             bounded memory, handed on in input order
 *   cut.c     a stream of exports cut into documents, chunk by chunk
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
 * (free). The _recorded form adds the inputs read (docs/audit.md): the
 * file to records (role "votes"), the proposal table if any to tables
 * ("proposals"); each may be NULL.
 */
gvt_status gvt_import_docs(const char *path, const gvt_import_options *opt,
                           gvt_buf **out_docs, size_t *out_n,
                           gvt_import_stats *out_stats, gvt_error *err);
gvt_status gvt_import_docs_recorded(const char *path,
                                    const gvt_import_options *opt,
                                    gvt_buf **out_docs, size_t *out_n,
                                    gvt_import_stats *out_stats,
                                    gvt_inputs *records, gvt_inputs *tables,
                                    gvt_error *err);

/*
 * The same proposal by proposal (gvt_csv_stream_open reads the file once to
 * check it and find the proposals, then each _next reads on until the next
 * proposal's votes are all read): 1 with its export in doc (reset first),
 * 0 at the end, -1 with err set (once) when the file changed since. Not for
 * standard input, which cannot be read twice. name (NULL: path) gives the
 * default proposal id and space, as path would (the name a file goes by
 * under `govtally verify`).
 */
typedef struct gvt_csv_stream gvt_csv_stream;
gvt_status gvt_csv_stream_open(const char *path, const char *name,
                               const gvt_import_options *opt,
                               gvt_csv_stream **out, gvt_error *err);
int gvt_csv_stream_next(gvt_csv_stream *s, gvt_buf *doc, gvt_error *err);
void gvt_csv_stream_free(gvt_csv_stream *s);
/* Adds the file's record to l under name (role "votes"; its size and
 * SHA-256 when both passes read the same bytes to the end, else the file
 * changed and _next said so), and the proposal table's to tables (NULL:
 * not). */
void gvt_csv_stream_record(gvt_csv_stream *s, gvt_inputs *l, const char *name,
                           gvt_inputs *tables);

/*
 * The records of a CSV file ("-": standard input) in order, header
 * included: fn(ctx, fields, n, line) with the fields trimmed (borrowed for
 * the call; a blank line is no record, a record of blanks is one empty
 * field) and the line the record starts on. fn returns false to stop,
 * having filled err (GVT_ERR_DATA). UTF-16 or NUL bytes, malformed CSV,
 * more than 4096 fields in a record, a file over limit bytes or a line over
 * GVT_LIMIT_CSV_LINE_BYTES are GVT_ERR_DATA naming the line; an unreadable
 * file GVT_ERR_NOINPUT. gvt_csv_each reads it all; gvt_csv_open and
 * gvt_csv_step (one chunk of the file a call, false once it is read or
 * stopped) let a caller read at its own pace; gvt_csv_close gives the
 * status and frees.
 */
typedef bool (*gvt_csv_fn)(void *ctx, char **fields, size_t n, long line);
typedef struct gvt_csv_file gvt_csv_file;
gvt_status gvt_csv_open(const char *path, size_t limit, gvt_csv_fn fn,
                        void *ctx, gvt_csv_file **out, gvt_error *err);
bool gvt_csv_step(gvt_csv_file *f);
gvt_status gvt_csv_close(gvt_csv_file *f);
/* Feeds every byte read from now on to d (docs/audit.md). Whether the
 * file was read to its end without error (before gvt_csv_close). */
void gvt_csv_digest(gvt_csv_file *f, gvt_digest *d);
bool gvt_csv_read_whole(const gvt_csv_file *f);
gvt_status gvt_csv_each(const char *path, size_t limit, gvt_csv_fn fn,
                        void *ctx, gvt_error *err);
/* Trims ASCII blanks on both sides in place; returns the new length. */
size_t gvt_csv_trim(char **s, size_t len);
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

/* gvt_proposal_pick over several files read one after another (not
 * folders), as a folder's files are: `govtally verify` picks a proposal
 * again from the files its result records. */
gvt_status gvt_proposal_pick_files(const char *const *paths, size_t n,
                                   const char *id, const gvt_read_options *opt,
                                   gvt_proposal **out_proposal, gvt_error *err);

/* The import's kinds by name ("snapshot-csv", "governor-csv", "csv";
 * record.c): NULL, -1 when there is none. */
const char *gvt_import_kind_name(gvt_import_kind k);
int gvt_import_kind_from_name(const char *name);

/*
 * gvt_replay_run_rule reading inputs[i] under the name names[i] (in rows,
 * errors and the audit record) and recording the proposal table as
 * table_name (NULL: as opt->from names it): `govtally verify` replays
 * inputs found elsewhere than their recorded names (docs/audit.md).
 */
gvt_status gvt_replay_run_as(const char *const *inputs,
                             const char *const *names, size_t n_inputs,
                             const gvt_replay_options *opt,
                             const gvt_rule_options *rule,
                             const char *table_name, FILE *out,
                             gvt_replay_stats *out_stats, gvt_error *err);

/* ---- cut.c: a JSON stream cut into documents, chunk by chunk ----------- */
typedef struct gvt_cutter gvt_cutter;

/* Opens path ("-": standard input); GVT_ERR_NOINPUT "cannot open: ...". */
gvt_status gvt_cutter_open(const char *path, gvt_cutter **out, gvt_error *err);
/*
 * The next top-level document into doc (its length reset first), with its
 * byte offset and first line in the input: 1. At the end of the input: 0.
 * -1 with err set: a read error, or an input holding no document at all
 * (said once, then 0).
 */
int gvt_cutter_next(gvt_cutter *c, gvt_buf *doc, long long *out_offset,
                    long *out_line, gvt_error *err);
void gvt_cutter_free(gvt_cutter *c);
/* Adds the input's record (role "export") to l under name: its size and
 * SHA-256 when it was read to its end without error. */
void gvt_cutter_record(gvt_cutter *c, gvt_inputs *l, const char *name);
/* For the tests: the size of the chunks read (0: 64 KiB); process-wide. */
void gvt_cutter_chunk_for_tests(size_t n);
/* For the tests: 64-byte blocks inside documents (on by default where the
 * build has SSE2) or byte by byte only; returns whether blocks are on. */
bool gvt_cutter_blocks_for_tests(bool on);

/* ---- pipeline.c: documents run on a pool, handed on in input order ----- */

/* One document of an input. */
typedef struct gvt_doc {
    const char *file;      /* input name; lives as long as the pipeline */
    gvt_buf text;          /* the document; run may free it early */
    long long base_offset; /* of the document in its file; -1 unknown */
    long base_line;        /* 1-based line where it starts; 0 unknown */
    gvt_error *err;        /* the input's failure (malloc'd), else NULL */
} gvt_doc;

/*
 * run(ctx, doc, result) on any thread, result zeroed (result_size bytes);
 * emit(ctx, doc, result) once per document in input order, one at a time.
 * Inputs as gvt_replay_run takes them (from: CSV files imported).
 */
typedef struct gvt_pipeline {
    const gvt_import_options *from;
    /* The name each input goes by (NULL: its path; a folder's files by
     * their paths): `govtally verify` reads inputs found elsewhere under
     * their recorded names. */
    const char *const *names;
    /* Receives the record of every input read, in order, then the proposal
     * table's (docs/audit.md); NULL: none kept. */
    gvt_inputs *inputs;
    unsigned threads;
    FILE *progress;
    size_t result_size;
    void *ctx;
    void (*run)(void *ctx, gvt_doc *doc, void *result);
    void (*emit)(void *ctx, const gvt_doc *doc, void *result);
} gvt_pipeline;

void gvt_pipeline_run(const gvt_pipeline *pl, const char *const *inputs,
                      size_t n_inputs);
/* For the tests: the ring's jobs and the waiting documents' bytes (0: the
 * defaults, 4096 and 16 MiB); process-wide. */
void gvt_pipeline_limits_for_tests(size_t ring, size_t bytes);

#endif /* GVT_HISTORY_H */
