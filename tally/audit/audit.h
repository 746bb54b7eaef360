/*
 * audit.h: `govtally verify` (docs/audit.md#verify): a JSON result or replay
 * summary checked against its audit record. Its public entry point is
 * gvt_verify_file in govtally.h; the pieces are here.
 *
 *   leaves.c  a JSON document as a stream of leaves (path, value), read in
 *             chunks: the record is taken from it, and two documents are
 *             compared leaf by leaf without holding either whole
 *   verify.c  gvt_verify_file: the record read, the inputs found and
 *             checked, the comparison reported
 *   rerun.c   the result or the replay made again from the record
 */
#ifndef GVT_AUDIT_H
#define GVT_AUDIT_H

#include "crypto/crypto.h"
#include "history/history.h"

/* ---- leaves.c ------------------------------------------------------------ */

enum {
    LEAF_STRING,
    LEAF_NUMBER,
    LEAF_TRUE,
    LEAF_FALSE,
    LEAF_NULL,
    LEAF_EMPTY_ARRAY,
    LEAF_EMPTY_OBJECT
};

/*
 * One value that is not a non-empty container, with its path from the
 * document's top ("schemes[1].scores[0]", "audit.inputs[0].name"; "" for a
 * scalar document) and its text (a string decoded, a number as written;
 * "" for the others).
 */
typedef struct gvt_leaf {
    char *path;
    int type;
    char *text;
    size_t len; /* of text (a string may hold NUL bytes) */
} gvt_leaf;

/* A document read leaf by leaf from a file (the file is borrowed). */
typedef struct gvt_leaves gvt_leaves;
gvt_leaves *gvt_leaves_new(FILE *f, const char *name);
/*
 * The next leaf (borrowed until the next call), or NULL at the end or on
 * malformed JSON or a read error (gvt_leaves_error then says which, ""
 * at a proper end). sink, when set, also receives every byte read (the
 * document's digest is taken as it is read).
 */
const gvt_leaf *gvt_leaves_next(gvt_leaves *l);
void gvt_leaves_sink(gvt_leaves *l, gvt_canon *sink);
const char *gvt_leaves_error(const gvt_leaves *l);
void gvt_leaves_free(gvt_leaves *l);
/* The leaf's value as JSON text for a message ("\"12\"", "12", "null",
 * "[]"), cut at 80 characters, into b. */
void gvt_leaf_show(gvt_buf *b, const gvt_leaf *leaf);

/* ---- verify.c / rerun.c: the record ----------------------------------- */

/* One recorded input, and where verify found it. */
typedef struct gvt_vinput {
    char *role, *name;
    bool has_digest;
    unsigned long long size;
    char sha256[65];
    char *path; /* the file read (a copy of standard input: a temporary
                   file), NULL when not found */
} gvt_vinput;

/* The record of a document (the audit's leaves, copied). */
typedef struct gvt_vrecord {
    bool replay; /* gvt-replay/1, else gvt-result/1 */
    gvt_vinput *in;
    size_t n_in;
    gvt_leaf *opts; /* the leaves of audit.options, "options." cut off */
    size_t n_opts;
    char *version;
    char *digest; /* result_sha256 */
} gvt_vrecord;

/* An option's leaf ("cap", "schemes[0]", "from.kind"), NULL when absent. */
const gvt_leaf *gvt_vrecord_opt(const gvt_vrecord *rec, const char *key);

/*
 * Makes the document again from rec (every input found: path set) into
 * out, as JSON. GVT_ERR_DATA with err when the record cannot be read back
 * (an unknown scheme or kind); the tally's or the replay's own errors as
 * they come (a replay's failed rows are part of its document).
 */
gvt_status gvt_rerun(const gvt_vrecord *rec, unsigned threads, FILE *out,
                     gvt_error *err);

#endif /* GVT_AUDIT_H */
