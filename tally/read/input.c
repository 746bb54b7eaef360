/*
 * input.c: the reader's entry points (gvt_proposal_read_*): an input read in
 * 1 MiB chunks (or split over two threads, split.c), each chunk fed to the
 * lane and to YAJL, and the end of the input checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/reader.h"

/* A file at least this large is hashed beside its parse. */
#define HASH_BESIDE_MIN ((size_t)1 << 20)

/* YAJL reads the n bytes at d (offset r->base); false when reading must
 * stop (error or stop request). */
bool rd_parse_piece(reader *r, const unsigned char *d, size_t n)
{
    r->chunk = d;
    yajl_status st = yajl_parse(r->h, d, n);
    if (st != yajl_status_ok) {
        if (st == yajl_status_error)
            rd_yajl_failure(r, rd_here(r));
        r->chunk = NULL;
        return false;
    }
    rd_count_lines(r, d, n);
    r->base += (long long)n;
    r->chunk = NULL;
    return true;
}

gvt_status rd_finish_input(reader *r, bool stream)
{
    if (r->failed)
        return GVT_ERR_DATA;
    if (r->stopped)
        return GVT_OK;
    yajl_status st = yajl_complete_parse(r->h);
    if (st == yajl_status_error) {
        rd_yajl_failure(r, r->base);
        return GVT_ERR_DATA;
    }
    if (r->failed)
        return GVT_ERR_DATA;
    if (r->n_docs == 0 && stream) {
        rd_fail_at(r, r->base, NULL, false, "input holds no document");
        return GVT_ERR_DATA;
    }
    return GVT_OK;
}

static gvt_status read_mem(reader *r, const void *data, size_t size,
                           bool stream)
{
    const unsigned char *d = data;
    if (r->digest)
        gvt_digest_add(r->digest, data, size);
    if (!stream) {
        source s = {d, -1, size};
        return rd_read_split(r, &s);
    }
    for (size_t off = 0; off < size; off += CHUNK) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        if (!rd_feed(r, d + off, n))
            break;
    }
    return rd_finish_input(r, stream);
}

/* The limit of one input: a Snapshot export, or a stream of them. */
static gvt_status input_too_large(reader *r, const char *path, size_t limit)
{
    char lim[32];
    gvt_size_text(limit, lim, sizeof lim);
    gvt_error_set(r->err, GVT_ERR_DATA, path,
                  "larger than the limit of %s for this input "
                  "(docs/limits.md)",
                  lim);
    return GVT_ERR_DATA;
}

/* The SHA-256 of a regular file (docs/audit.md), taken with pread. */
typedef struct hash_job {
    gvt_digest *digest;
    int fd;
    size_t size;
    atomic_int cancel; /* the parse failed: the digest is not needed */
    bool ok;
    int error; /* errno when not ok */
} hash_job;

static void hash_run(void *arg)
{
    hash_job *j = arg;
    j->ok = gvt_digest_fd(j->digest, j->fd, j->size, &j->cancel);
    j->error = j->ok ? 0 : errno;
}

/*
 * A regular file read whole (split.c) and hashed. The hash runs on a
 * thread of its own beside the parse when the thread count leaves one
 * beside the reader's two (so the reader still splits a large file as
 * govtally.h says), otherwise after the parse, from the page cache. Small
 * files are hashed after it.
 */
static gvt_status read_file_hashed(reader *r, const source *s)
{
    if (!r->digest)
        return rd_read_split(r, s);
    hash_job j = {.digest = r->digest, .fd = s->fd, .size = s->size};
    atomic_init(&j.cancel, 0);
    unsigned n = gvt_workers_count(r->threads, GVT_WORKERS_MAX);
    unsigned saved = r->threads;
    gvt_worker w;
    bool beside = n >= 3 && s->size >= HASH_BESIDE_MIN &&
                  gvt_worker_start(&w, n, hash_run, &j);
    if (beside)
        r->threads = n - 1;
    gvt_status st = rd_read_split(r, s);
    r->threads = saved;
    if (beside) {
        if (st != GVT_OK)
            atomic_store(&j.cancel, 1);
        gvt_worker_join(&w);
    } else if (st == GVT_OK) {
        hash_run(&j);
    }
    if (st == GVT_OK && !j.ok) {
        gvt_error_set(r->err, GVT_ERR_NOINPUT, r->name, "cannot read: %s",
                      strerror(j.error));
        st = GVT_ERR_NOINPUT;
    }
    return st;
}

static gvt_status read_path(reader *r, const char *path, bool stream)
{
    bool is_stdin = strcmp(path, "-") == 0;
    size_t limit = stream ? GVT_LIMIT_HISTORY_BYTES : GVT_LIMIT_EXPORT_BYTES;
    if (!is_stdin && !stream) {
        int fd = open(path, O_RDONLY);
        struct stat sb;
        if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if ((unsigned long long)sb.st_size > limit) {
                close(fd);
                return input_too_large(r, path, limit);
            }
            source s = {NULL, fd, (size_t)sb.st_size};
            gvt_status st = read_file_hashed(r, &s);
            close(fd);
            return st;
        }
        if (fd >= 0)
            close(fd);
    }
    FILE *f = gvt_file_open(path, r->err);
    if (!f)
        return GVT_ERR_NOINPUT;
    unsigned char *buf = gvt_xmalloc(CHUNK);
    gvt_status status = GVT_OK;
    size_t total = 0;
    for (;;) {
        size_t n = fread(buf, 1, CHUNK, f);
        total += n;
        if (total > limit) {
            status = input_too_large(r, path, limit);
            break;
        }
        if (r->digest)
            gvt_digest_add(r->digest, buf, n);
        if (n > 0 && !rd_feed(r, buf, n))
            break;
        if (n < CHUNK) {
            if (ferror(f)) {
                gvt_error_set(r->err, GVT_ERR_NOINPUT, path, "cannot read: %s",
                              strerror(errno));
                status = GVT_ERR_NOINPUT;
            }
            break;
        }
    }
    free(buf);
    gvt_file_close(f);
    if (status == GVT_OK)
        status = rd_finish_input(r, stream);
    return status;
}

/* The reader's progress for opt's callback; total 0 when unknown. */
static void progress_start(reader *r, progress *pg, const gvt_read_options *opt,
                           unsigned long long total)
{
    memset(pg, 0, sizeof *pg);
    atomic_init(&pg->done, 0);
    if (!opt->progress)
        return;
    pg->fn = opt->progress;
    pg->ctx = opt->progress_ctx;
    pg->next = PROGRESS_STEP;
    pg->total = total;
    r->prog = pg;
}

/* One document read: its proposal into *out, or the status of the error. */
static gvt_status one_done(reader *r, progress *pg, gvt_status st,
                           gvt_proposal **out)
{
    if (r->prog && st == GVT_OK)
        pg->fn(pg->ctx, "reading",
               pg->total ? pg->total : atomic_load(&pg->done), pg->total);
    if (st == GVT_OK && r->digest)
        gvt_inputs_add(&r->single->inputs, "export", r->name, r->digest);
    if (st == GVT_OK)
        *out = r->single;
    else
        gvt_proposal_free(r->single);
    rd_reader_free(r);
    return st;
}

static const gvt_read_options default_options = {0};

/*
 * One document from memory. hash: its SHA-256 goes into the proposal's
 * record of inputs (replay hashes its inputs as it cuts them instead). id:
 * on failure, the proposal's id if it was read (room 0: not wanted).
 */
static gvt_status read_mem_doc(const char *name, const void *data, size_t size,
                               const gvt_read_options *opt, bool hash,
                               gvt_proposal **out_proposal, gvt_error *err,
                               char *id, size_t room)
{
    *out_proposal = NULL;
    if (room)
        id[0] = '\0';
    if (!opt)
        opt = &default_options;
    reader r;
    rd_reader_init(&r, name, err, false);
    r.threads = opt->threads;
    gvt_digest digest;
    if (hash) {
        gvt_digest_init(&digest);
        r.digest = &digest;
    }
    progress pg;
    progress_start(&r, &pg, opt, size);
    gvt_status st = read_mem(&r, data, size, false);
    if (st != GVT_OK && room && r.p && r.p->id)
        snprintf(id, room, "%s", r.p->id);
    return one_done(&r, &pg, st, out_proposal);
}

GVT_API gvt_status gvt_proposal_read_mem_opt(const char *name, const void *data,
                                             size_t size,
                                             const gvt_read_options *opt,
                                             gvt_proposal **out_proposal,
                                             gvt_error *err)
{
    return read_mem_doc(name, data, size, opt, true, out_proposal, err, NULL,
                        0);
}

gvt_status gvt_proposal_read_mem_id(const char *name, const void *data,
                                    size_t size, const gvt_read_options *opt,
                                    gvt_proposal **out_proposal, gvt_error *err,
                                    char *id, size_t room)
{
    return read_mem_doc(name, data, size, opt, false, out_proposal, err, id,
                        room);
}

GVT_API gvt_status gvt_proposal_read_file_opt(const char *path,
                                              const gvt_read_options *opt,
                                              gvt_proposal **out_proposal,
                                              gvt_error *err)
{
    *out_proposal = NULL;
    if (!opt)
        opt = &default_options;
    reader r;
    rd_reader_init(&r, path, err, false);
    r.threads = opt->threads;
    gvt_digest digest;
    gvt_digest_init(&digest);
    r.digest = &digest;
    struct stat sb;
    unsigned long long total = 0;
    if (opt->progress && strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
        S_ISREG(sb.st_mode))
        total = (unsigned long long)sb.st_size;
    progress pg;
    progress_start(&r, &pg, opt, total);
    return one_done(&r, &pg, read_path(&r, path, false), out_proposal);
}

GVT_API gvt_status gvt_proposal_read_mem(const char *name, const void *data,
                                         size_t size,
                                         gvt_proposal **out_proposal,
                                         gvt_error *err)
{
    return gvt_proposal_read_mem_opt(name, data, size, NULL, out_proposal, err);
}

GVT_API gvt_status gvt_proposal_read_file(const char *path,
                                          gvt_proposal **out_proposal,
                                          gvt_error *err)
{
    return gvt_proposal_read_file_opt(path, NULL, out_proposal, err);
}

GVT_API gvt_status gvt_proposal_read_file_progress(const char *path,
                                                   gvt_progress_fn fn,
                                                   void *ctx,
                                                   gvt_proposal **out_proposal,
                                                   gvt_error *err)
{
    gvt_read_options opt = {.progress = fn, .progress_ctx = ctx};
    return gvt_proposal_read_file_opt(path, &opt, out_proposal, err);
}

gvt_status gvt_proposal_read_stream_digest(const char *path,
                                           const gvt_read_options *opt,
                                           gvt_proposal_fn fn, void *ctx,
                                           gvt_digest *digest, gvt_error *err)
{
    reader r;
    rd_reader_init(&r, path, err, true);
    r.threads = opt ? opt->threads : 0;
    r.fn = fn;
    r.ctx = ctx;
    r.digest = digest;
    gvt_status st = read_path(&r, path, true);
    rd_reader_free(&r);
    return st;
}

GVT_API gvt_status gvt_proposal_read_stream_opt(const char *path,
                                                const gvt_read_options *opt,
                                                gvt_proposal_fn fn, void *ctx,
                                                gvt_error *err)
{
    return gvt_proposal_read_stream_digest(path, opt, fn, ctx, NULL, err);
}

GVT_API gvt_status gvt_proposal_read_stream(const char *path,
                                            gvt_proposal_fn fn, void *ctx,
                                            gvt_error *err)
{
    return gvt_proposal_read_stream_opt(path, NULL, fn, ctx, err);
}

gvt_status gvt_proposal_read_stream_mem(const char *name, const void *data,
                                        size_t size, gvt_proposal_fn fn,
                                        void *ctx, gvt_error *err)
{
    reader r;
    rd_reader_init(&r, name, err, true);
    r.fn = fn;
    r.ctx = ctx;
    gvt_status st = read_mem(&r, data, size, true);
    rd_reader_free(&r);
    return st;
}
