/*
 * pick.c: one proposal out of many (gvt_proposal_pick, `govtally run
 * --proposal`): a file holding one export or a stream of them (JSON Lines,
 * as the import writes, or concatenated documents), or a folder of such
 * files read as replay reads one (docs/formats.md#replay-summary).
 *
 * Every document is read to the end, even after the one asked for: an id
 * that two documents share is refused rather than settled by order, and the
 * count of proposals is exact for the messages that quote it. Only the
 * proposal kept stays in memory; the others are freed as they are read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history/history.h"

#define NAMED_IDS 3

typedef struct pick {
    const char *id; /* wanted, or NULL for the only one */
    const gvt_read_options *opt;
    gvt_proposal *kept;
    size_t count;
    const char *file;             /* the file being read */
    char *kept_file;              /* where the kept one came from */
    size_t kept_index, dup_index; /* 0-based within their file */
    char *dup_file;               /* a second match, else NULL */
    char *first_ids[NAMED_IDS];   /* the first ids met, for messages */
    gvt_inputs inputs;            /* the files read (docs/audit.md) */
} pick;

static int on_proposal(void *ctx, size_t index, gvt_proposal *p)
{
    pick *k = ctx;
    const char *id = gvt_proposal_id(p);
    if (k->count < NAMED_IDS)
        k->first_ids[k->count] = gvt_xstrdup(id);
    k->count++;
    bool match = k->id ? strcmp(id, k->id) == 0 : k->count == 1;
    if (match && k->kept) {
        if (!k->dup_file) {
            k->dup_file = gvt_xstrdup(k->file);
            k->dup_index = index;
        }
        match = false;
    }
    if (!match) {
        gvt_proposal_free(p);
        return 0;
    }
    k->kept = p;
    k->kept_file = gvt_xstrdup(k->file);
    k->kept_index = index;
    return 0;
}

static bool want_json(const char *name, void *ctx)
{
    (void)ctx;
    return gvt_is_json_name(name);
}

static gvt_status walk(pick *k, const char *path, int depth, gvt_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
        !S_ISDIR(sb.st_mode)) {
        k->file = path;
        gvt_digest d;
        gvt_digest_init(&d);
        gvt_status st = gvt_proposal_read_stream_digest(
            path, k->opt, on_proposal, k, &d, err);
        if (st == GVT_OK)
            gvt_inputs_add(&k->inputs, "export", path, &d);
        return st;
    }
    char **list;
    size_t n;
    if (depth >= 16 || !gvt_folder_list(path, want_json, NULL, &list, &n)) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open the folder: %s",
                      depth < 16 ? strerror(errno) : "nested too deep");
        return GVT_ERR_NOINPUT;
    }
    gvt_status st = GVT_OK;
    for (size_t i = 0; i < n; i++) {
        if (st == GVT_OK)
            st = walk(k, list[i], depth + 1, err);
        free(list[i]);
    }
    free(list);
    return st;
}

/* ", " separated first ids, quoted, "..." when there are more. */
static void put_ids(gvt_buf *b, const pick *k)
{
    for (size_t i = 0; i < k->count && i < NAMED_IDS; i++) {
        gvt_buf_puts(b, i ? ", '" : "'");
        const char *s = k->first_ids[i];
        gvt_buf_printf(b, "%.40s%s'", s, strlen(s) > 40 ? "..." : "");
    }
    if (k->count > NAMED_IDS)
        gvt_buf_puts(b, ", ...");
}

GVT_API gvt_status gvt_proposal_pick(const char *path, const char *id,
                                     gvt_proposal **out_proposal,
                                     size_t *out_count, gvt_error *err)
{
    return gvt_proposal_pick_opt(path, id, NULL, out_proposal, out_count, err);
}

/* The walk's outcome: the proposal kept, or the error (path: the input as
 * messages name it). */
static gvt_status pick_done(pick *k, gvt_status st, const char *path,
                            const char *id, gvt_proposal **out_proposal,
                            size_t *out_count, gvt_error *err);

GVT_API gvt_status gvt_proposal_pick_opt(const char *path, const char *id,
                                         const gvt_read_options *opt,
                                         gvt_proposal **out_proposal,
                                         size_t *out_count, gvt_error *err)
{
    *out_proposal = NULL;
    if (out_count)
        *out_count = 0;
    pick k = {.id = id, .opt = opt};
    gvt_status st = walk(&k, path, 0, err);
    return pick_done(&k, st, path, id, out_proposal, out_count, err);
}

gvt_status gvt_proposal_pick_files(const char *const *paths, size_t n,
                                   const char *id, const gvt_read_options *opt,
                                   gvt_proposal **out_proposal, gvt_error *err)
{
    *out_proposal = NULL;
    pick k = {.id = id, .opt = opt};
    gvt_status st = GVT_OK;
    for (size_t i = 0; i < n && st == GVT_OK; i++)
        st = walk(&k, paths[i], 16, err); /* files, not folders */
    return pick_done(&k, st, n ? paths[0] : "", id, out_proposal, NULL, err);
}

static gvt_status pick_done(pick *k_, gvt_status st, const char *path,
                            const char *id, gvt_proposal **out_proposal,
                            size_t *out_count, gvt_error *err)
{
    pick k = *k_;
    gvt_buf ids;
    gvt_buf_init(&ids);
    put_ids(&ids, &k);
    if (st == GVT_OK && k.count == 0) {
        gvt_error_set(err, GVT_ERR_DATA, path, "no proposal in the input");
        st = GVT_ERR_DATA;
    } else if (st == GVT_OK && id && !k.kept) {
        gvt_error_set(err, GVT_ERR_DATA, path,
                      "no proposal has the id '%.80s' (%zu proposal%s: %s)", id,
                      k.count, k.count == 1 ? "" : "s", ids.data);
        st = GVT_ERR_DATA;
    } else if (st == GVT_OK && id && k.dup_file) {
        gvt_error_set(err, GVT_ERR_DATA, path,
                      "two proposals have the id '%.80s': document %zu of "
                      "%s and document %zu of %s",
                      id, k.kept_index + 1, k.kept_file, k.dup_index + 1,
                      k.dup_file);
        st = GVT_ERR_DATA;
    } else if (st == GVT_OK && !id && k.count > 1) {
        gvt_error_set(err, GVT_ERR_USAGE, path,
                      "holds %zu proposals, not one (ids %s)", k.count,
                      ids.data);
        st = GVT_ERR_USAGE;
    }
    if (out_count)
        *out_count = k.count;
    if (st == GVT_OK) {
        /* the proposal's inputs: every file read to find it */
        gvt_inputs_free(&k.kept->inputs);
        k.kept->inputs = k.inputs;
        memset(&k.inputs, 0, sizeof k.inputs);
        k.kept->picked_by_id = id != NULL;
        *out_proposal = k.kept;
    } else {
        gvt_proposal_free(k.kept);
    }
    gvt_inputs_free(&k.inputs);
    gvt_buf_free(&ids);
    for (size_t i = 0; i < NAMED_IDS && i < k.count; i++)
        free(k.first_ids[i]);
    free(k.kept_file);
    free(k.dup_file);
    return st;
}
