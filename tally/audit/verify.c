/*
 * verify.c: gvt_verify_file, `govtally verify` (docs/audit.md#verify).
 *
 *   1. The document is read once as leaves (leaves.c): its format, its
 *      audit record, and its canonical form's digest (core/canon.c), which
 *      must be the result_sha256 it carries.
 *   2. Every recorded input is found (its name; with inputs_dir, that
 *      folder's file of the name or of its base name; "-": standard input,
 *      copied to a temporary file as it is hashed, since it is read twice)
 *      and hashed: size and SHA-256 must be the recorded ones. A changed
 *      input is named and nothing is recomputed; a missing one is
 *      GVT_ERR_NOINPUT.
 *   3. The document is made again (rerun.c) and compared with the given
 *      one leaf by leaf, but for the version and the digest: the first
 *      differing values are named by their paths.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"

#define SHOWN_DIFFS 10

typedef struct verify {
    FILE *report;
    gvt_error *err;
    gvt_vrecord rec;
    char *format;
    char *stdin_copy; /* the temporary file holding standard input */
    bool stdin_used;  /* the document itself came from standard input */
    bool differs;
} verify;

/* ---- 1. the record ------------------------------------------------------- */

static gvt_vinput *input_at(gvt_vrecord *rec, size_t i)
{
    if (i > rec->n_in || i > 4096)
        return NULL; /* indices come in order from 0 */
    if (i == rec->n_in) {
        rec->in = gvt_xrealloc(rec->in, (i + 1) * sizeof *rec->in);
        memset(&rec->in[i], 0, sizeof rec->in[i]);
        rec->n_in++;
    }
    return &rec->in[i];
}

/* One leaf of the audit object (path without "audit."). */
static void take_audit_leaf(gvt_vrecord *rec, const char *path,
                            const gvt_leaf *lf)
{
    size_t i;
    int used = 0;
    const char *s = lf->type == LEAF_STRING ? lf->text : NULL;
    if (strcmp(path, "govtally") == 0 && s) {
        rec->version = gvt_xstrdup(s);
    } else if (strcmp(path, "result_sha256") == 0 && s) {
        rec->digest = gvt_xstrdup(s);
    } else if (strncmp(path, "options.", 8) == 0) {
        rec->opts = gvt_xrealloc(rec->opts, (rec->n_opts + 1) * sizeof *lf);
        gvt_leaf *o = &rec->opts[rec->n_opts++];
        o->path = gvt_xstrdup(path + 8);
        o->type = lf->type;
        o->text = gvt_xmalloc(lf->len + 1);
        memcpy(o->text, lf->text, lf->len + 1);
        o->len = lf->len;
    } else if (sscanf(path, "inputs[%zu].%n", &i, &used) == 1 && used > 0) {
        gvt_vinput *in = input_at(rec, i);
        const char *key = path + used;
        if (!in)
            return;
        if (strcmp(key, "role") == 0 && s && !in->role)
            in->role = gvt_xstrdup(s);
        else if (strcmp(key, "name") == 0 && s && !in->name)
            in->name = gvt_xstrdup(s);
        else if (strcmp(key, "size") == 0 && lf->type == LEAF_NUMBER)
            in->size = strtoull(lf->text, NULL, 10);
        else if (strcmp(key, "sha256") == 0 && s && strlen(s) == 64) {
            memcpy(in->sha256, s, 65);
            in->has_digest = true;
        }
    }
}

static void to_digest(void *ctx, const void *data, size_t n)
{
    gvt_digest_add(ctx, data, n);
}

/* Reads the document once: its record and its own digest (hex). */
static gvt_status read_record(verify *v, FILE *f, const char *path,
                              char hex[65])
{
    gvt_digest d;
    gvt_digest_init(&d);
    gvt_canon *canon = gvt_canon_new(to_digest, &d);
    gvt_leaves *lv = gvt_leaves_new(f, path);
    gvt_leaves_sink(lv, canon);
    const gvt_leaf *lf;
    while ((lf = gvt_leaves_next(lv))) {
        if (strcmp(lf->path, "format") == 0 && lf->type == LEAF_STRING &&
            !v->format)
            v->format = gvt_xstrdup(lf->text);
        else if (strncmp(lf->path, "audit.", 6) == 0)
            take_audit_leaf(&v->rec, lf->path + 6, lf);
    }
    gvt_status st = GVT_OK;
    if (gvt_leaves_error(lv)[0]) {
        gvt_error_set(v->err, GVT_ERR_DATA, path, "%s", gvt_leaves_error(lv));
        st = GVT_ERR_DATA;
    } else if (gvt_canon_end(canon)) {
        gvt_digest_hex(&d, hex);
    }
    gvt_leaves_free(lv);
    gvt_canon_free(canon);
    if (st)
        return st;
    bool result = v->format && strcmp(v->format, "gvt-result/1") == 0;
    v->rec.replay = v->format && strcmp(v->format, "gvt-replay/1") == 0;
    if (!result && !v->rec.replay) {
        gvt_error_set(v->err, GVT_ERR_DATA, path,
                      "not a govtally result (gvt-result/1) or replay summary "
                      "in JSON (gvt-replay/1)");
        return GVT_ERR_DATA;
    }
    bool whole = v->rec.version && v->rec.digest;
    for (size_t i = 0; i < v->rec.n_in; i++)
        whole = whole && v->rec.in[i].role && v->rec.in[i].name;
    if (!whole) {
        gvt_error_set(v->err, GVT_ERR_DATA, path,
                      "no audit record, or an incomplete one (a document "
                      "written before govtally recorded one?)");
        return GVT_ERR_DATA;
    }
    return GVT_OK;
}

/* ---- 2. the inputs ------------------------------------------------------- */

/* Hashes f to its end, or up to limit + 1 bytes (more than limit is not
 * the recorded input), copying it to copy when set; false on a read or
 * write error. */
static bool hash_file(FILE *f, FILE *copy, gvt_digest *d,
                      unsigned long long limit)
{
    enum { STEP = 1 << 20 };
    char *buf = gvt_xmalloc(STEP);
    bool ok = true;
    size_t got;
    while (d->size <= limit && (got = fread(buf, 1, STEP, f)) > 0) {
        gvt_digest_add(d, buf, got);
        if (copy && fwrite(buf, 1, got, copy) != got)
            ok = false;
    }
    ok = ok && !ferror(f);
    free(buf);
    return ok;
}

/* Standard input, copied to a temporary file as it is hashed (at most
 * limit + 1 bytes). */
static bool hash_stdin(verify *v, gvt_digest *d, unsigned long long limit,
                       char **out_path)
{
    const char *tmp = getenv("TMPDIR");
    gvt_buf name;
    gvt_buf_init(&name);
    gvt_buf_printf(&name, "%s/govtally-verify-XXXXXX",
                   tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(name.data);
    FILE *copy = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool ok = copy && hash_file(stdin, copy, d, limit);
    if (copy && fclose(copy) != 0)
        ok = false;
    else if (!copy && fd >= 0)
        close(fd);
    if (fd >= 0)
        v->stdin_copy = gvt_xstrdup(name.data);
    *out_path = ok ? gvt_xstrdup(name.data) : NULL;
    gvt_buf_free(&name);
    return ok;
}

/* Where an input is looked for, into look (up to two paths). */
static size_t candidates(const char *name, const char *dir, gvt_buf look[2])
{
    if (!dir) {
        gvt_buf_puts(&look[0], name);
        return 1;
    }
    size_t n = 0;
    if (name[0] != '/')
        gvt_buf_printf(&look[n++], "%s/%s", dir, name);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (n == 0 || strcmp(base, name) != 0)
        gvt_buf_printf(&look[n++], "%s/%s", dir, base);
    return n;
}

/* Finds a named input: a regular file at one of its places (path set), or
 * the report's line saying where it was looked for. */
static bool find_input(verify *v, gvt_vinput *in, const char *dir,
                       const char *what)
{
    gvt_buf look[2];
    gvt_buf_init(&look[0]);
    gvt_buf_init(&look[1]);
    size_t n = candidates(in->name, dir, look);
    struct stat sb;
    for (size_t i = 0; i < n && !in->path; i++)
        if (stat(look[i].data, &sb) == 0 && S_ISREG(sb.st_mode))
            in->path = gvt_xstrdup(look[i].data);
    if (!in->path) {
        char a[300], b[300];
        fprintf(v->report, "missing %s: no file at %s%s%s\n", what,
                gvt_text_safe(look[0].data, a, sizeof a),
                n > 1 ? " nor at " : "",
                n > 1 ? gvt_text_safe(look[1].data, b, sizeof b) : "");
    }
    gvt_buf_free(&look[0]);
    gvt_buf_free(&look[1]);
    return in->path != NULL;
}

/* Reads the found input, or standard input, into d (at most the recorded
 * size and one byte more). */
static bool read_input(verify *v, gvt_vinput *in, gvt_digest *d,
                       const char *what)
{
    unsigned long long limit = in->size;
    if (strcmp(in->name, "-") == 0) {
        if (v->stdin_used || v->stdin_copy) {
            fprintf(v->report, "missing %s: standard input is read once\n",
                    what);
            return false;
        }
        if (hash_stdin(v, d, limit, &in->path))
            return true;
        fprintf(v->report, "missing %s: cannot read standard input\n", what);
        return false;
    }
    FILE *f = fopen(in->path, "rb");
    bool ok = f && hash_file(f, NULL, d, limit);
    if (f)
        fclose(f);
    if (!ok) {
        fprintf(v->report, "missing %s: cannot read it\n", what);
        free(in->path);
        in->path = NULL;
    }
    return ok;
}

/*
 * Finds and hashes one input; its line into the report. GVT_OK (found and
 * the same, or recorded without a digest: unchecked, and then read as the
 * tally reads it), GVT_MISMATCH (changed), GVT_ERR_NOINPUT (not found).
 */
static gvt_status check_input(verify *v, gvt_vinput *in, const char *dir)
{
    char what[600], shown[300];
    gvt_text_safe(in->name, shown, sizeof shown);
    snprintf(what, sizeof what, "%s %s", in->role, shown);
    bool is_stdin = strcmp(in->name, "-") == 0;
    if (!in->has_digest) {
        /* not read to its end when recorded: read again as it was */
        if (!is_stdin)
            find_input(v, in, dir, what);
        fprintf(v->report, "unchecked %s: not read to its end when recorded\n",
                what);
        return GVT_OK;
    }
    if (!is_stdin && !find_input(v, in, dir, what))
        return GVT_ERR_NOINPUT;
    gvt_digest d;
    gvt_digest_init(&d);
    if (!read_input(v, in, &d, what))
        return GVT_ERR_NOINPUT;
    unsigned long long size = d.size;
    char hex[65];
    gvt_digest_hex(&d, hex);
    if (size == in->size && strcmp(hex, in->sha256) == 0) {
        fprintf(v->report, "ok %s (%llu bytes)\n", what, size);
        return GVT_OK;
    }
    if (size > in->size)
        fprintf(v->report, "changed %s: more than the recorded %llu bytes\n",
                what, in->size);
    else
        fprintf(v->report,
                "changed %s: %llu bytes, sha256 %s; recorded %llu bytes, "
                "sha256 %s\n",
                what, size, hex, in->size, in->sha256);
    return GVT_MISMATCH;
}

static gvt_status check_inputs(verify *v, const char *dir, const char *doc)
{
    size_t missing = 0, changed = 0;
    const char *first = NULL;
    for (size_t i = 0; i < v->rec.n_in; i++) {
        gvt_status st = check_input(v, &v->rec.in[i], dir);
        if (st == GVT_ERR_NOINPUT && !missing++)
            first = v->rec.in[i].name;
        changed += st == GVT_MISMATCH;
    }
    if (missing) {
        gvt_error_set(v->err, GVT_ERR_NOINPUT, doc,
                      "%zu input%s of the record not found or unreadable "
                      "(the first: %.160s)",
                      missing, missing == 1 ? "" : "s", first);
        return GVT_ERR_NOINPUT;
    }
    if (changed) {
        v->differs = true;
        return GVT_MISMATCH;
    }
    return GVT_OK;
}

/* ---- 3. the comparison --------------------------------------------------- */

/* The next leaf that is compared: the version and the digest are not. */
static const gvt_leaf *next_compared(gvt_leaves *l)
{
    const gvt_leaf *lf;
    while ((lf = gvt_leaves_next(l)) &&
           (strcmp(lf->path, "audit.govtally") == 0 ||
            strcmp(lf->path, "audit.result_sha256") == 0))
        ;
    return lf;
}

static bool same_leaf(const gvt_leaf *a, const gvt_leaf *b)
{
    return a->type == b->type && a->len == b->len &&
           memcmp(a->text, b->text, a->len) == 0;
}

/* Compares the document with the one made again; reports the first
 * differing paths. */
static void compare(verify *v, FILE *given, FILE *made, const char *doc)
{
    gvt_leaves *a = gvt_leaves_new(given, doc);
    gvt_leaves *b = gvt_leaves_new(made, "the recomputed document");
    size_t diffs = 0;
    gvt_buf line;
    gvt_buf_init(&line);
    for (;;) {
        const gvt_leaf *x = next_compared(a), *y = next_compared(b);
        if (!x && !y)
            break;
        line.len = 0;
        if (!x || !y || strcmp(x->path, y->path) != 0) {
            gvt_buf_printf(&line, "differs in shape at %s: the document ",
                           x ? (x->path[0] ? x->path : "$") : "(its end)");
            gvt_buf_puts(&line, y ? "has other members than the "
                                    "recomputed one, which has "
                                  : "has more than the recomputed one");
            if (y)
                gvt_buf_puts(&line, y->path[0] ? y->path : "$");
            fprintf(v->report, "%s\n", line.data);
            diffs++;
            break;
        }
        if (same_leaf(x, y))
            continue;
        if (diffs++ < SHOWN_DIFFS) {
            gvt_buf_printf(&line, "differs at %s: the document has ",
                           x->path[0] ? x->path : "$");
            gvt_leaf_show(&line, x);
            gvt_buf_puts(&line, ", recomputed ");
            gvt_leaf_show(&line, y);
            fprintf(v->report, "%s\n", line.data);
        }
    }
    if (diffs > SHOWN_DIFFS)
        fprintf(v->report, "and %zu more differing values\n",
                diffs - SHOWN_DIFFS);
    if (diffs)
        v->differs = true;
    gvt_buf_free(&line);
    gvt_leaves_free(a);
    gvt_leaves_free(b);
}

/* ---- the whole ----------------------------------------------------------- */

static void verify_free(verify *v)
{
    for (size_t i = 0; i < v->rec.n_in; i++) {
        free(v->rec.in[i].role);
        free(v->rec.in[i].name);
        free(v->rec.in[i].path);
    }
    free(v->rec.in);
    for (size_t i = 0; i < v->rec.n_opts; i++) {
        free(v->rec.opts[i].path);
        free(v->rec.opts[i].text);
    }
    free(v->rec.opts);
    free(v->rec.version);
    free(v->rec.digest);
    free(v->format);
    if (v->stdin_copy) {
        unlink(v->stdin_copy);
        free(v->stdin_copy);
    }
}

static void to_nothing(void *ctx, const void *data, size_t n)
{
    (void)ctx, (void)data, (void)n;
}

/* Standard input's document copied to f, checked as JSON on the way, so
 * that an input that is no JSON (/dev/zero) stops at once; at most
 * GVT_LIMIT_EXPORT_BYTES. */
static bool copy_document(verify *v, FILE *f, const char *path)
{
    enum { STEP = 1 << 16 };
    char *buf = gvt_xmalloc(STEP);
    gvt_canon *c = gvt_canon_new(to_nothing, NULL);
    unsigned long long total = 0;
    size_t got;
    bool ok = true;
    while (ok && (got = fread(buf, 1, STEP, stdin)) > 0) {
        total += got;
        ok = total <= GVT_LIMIT_EXPORT_BYTES && gvt_canon_feed(c, buf, got) &&
             fwrite(buf, 1, got, f) == got;
    }
    if (!ok || ferror(stdin) || fflush(f) != 0) {
        const char *why = gvt_canon_error(c);
        gvt_error_set(v->err, why[0] ? GVT_ERR_DATA : GVT_ERR_NOINPUT, path,
                      "standard input: %s",
                      why[0] ? why : "cannot be read, or too large");
        ok = false;
    }
    gvt_canon_free(c);
    free(buf);
    return ok;
}

/* The document, as a file that can be read twice. */
static FILE *open_document(verify *v, const char *path)
{
    if (strcmp(path, "-") != 0) {
        FILE *f = fopen(path, "rb");
        if (!f)
            gvt_error_set(v->err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                          strerror(errno));
        return f;
    }
    v->stdin_used = true;
    FILE *f = tmpfile();
    if (!f) {
        gvt_error_set(v->err, GVT_ERR_CANTCREAT, NULL,
                      "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    if (!copy_document(v, f, path)) {
        fclose(f);
        return NULL;
    }
    rewind(f);
    return f;
}

/* Steps 2 and 3, the document's record read. */
static gvt_status verify_against(verify *v, FILE *doc, const char *path,
                                 const gvt_verify_options *opt)
{
    gvt_status st = check_inputs(v, opt->inputs_dir, path);
    if (st)
        return st;
    FILE *made = tmpfile();
    if (!made) {
        gvt_error_set(v->err, GVT_ERR_CANTCREAT, NULL,
                      "cannot create a temporary file: %s", strerror(errno));
        return GVT_ERR_CANTCREAT;
    }
    st = gvt_rerun(&v->rec, opt->threads, made, v->err);
    if (!st && fflush(made) != 0) {
        gvt_error_set(v->err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write a temporary file: %s", strerror(errno));
        st = GVT_ERR_CANTCREAT;
    }
    if (!st) {
        rewind(made);
        rewind(doc);
        compare(v, doc, made, path);
    }
    fclose(made);
    return st;
}

GVT_API gvt_status gvt_verify_file(const char *path,
                                   const gvt_verify_options *opt, FILE *report,
                                   gvt_error *err)
{
    gvt_error_clear(err);
    gvt_verify_options none = {0};
    if (!opt)
        opt = &none;
    verify v = {.report = report, .err = err};
    FILE *doc = open_document(&v, path);
    if (!doc)
        return GVT_ERR_NOINPUT;
    char hex[65] = "";
    gvt_status st = read_record(&v, doc, path, hex);
    if (!st && strcmp(hex, v.rec.digest) != 0) {
        fprintf(report, "document: its result_sha256 is not the digest of "
                        "its content (it was changed after it was written)\n");
        v.differs = true;
    }
    char shown[80];
    if (!st && strcmp(v.rec.version, gvt_version()) != 0)
        fprintf(report, "note: written by govtally %s, recomputed by %s\n",
                gvt_text_safe(v.rec.version, shown, sizeof shown),
                gvt_version());
    if (!st)
        st = verify_against(&v, doc, path, opt);
    fclose(doc);
    if ((!st || st == GVT_MISMATCH) && v.differs)
        st = GVT_MISMATCH;
    if (!st || st == GVT_MISMATCH)
        fprintf(report, "%s\n", st ? "differs" : "identical");
    verify_free(&v);
    return st;
}
