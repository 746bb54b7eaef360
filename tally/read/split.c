/*
 * split.c: the reader's third layer, parallel reading.
 *
 * A large single document is read on two threads. When the proposal is
 * known and the votes array is open, a split point is guessed in the middle
 * of the rest of the input: a '}' then whitespace, ',', whitespace, '{' (the
 * boundary between two votes, unless the guess lies inside a string). A
 * second reader parses a synthetic "[" followed by the text from that '{' up
 * to the ']' that closes its array, decoding ballots as the first reader
 * would. The first reader parses up to the ',' and then checks that the '}'
 * was exactly the end of a vote of the votes array, with nothing after it
 * (offset just past it = last vote end, frame = the votes array): then the
 * guess was a real boundary, the second half's ballots are appended (input
 * positions shifted) and the first reader goes on from the ']'. Otherwise,
 * or when the second reader met any error or did not find its ']', its work
 * is thrown away and the first reader parses on sequentially from the ',':
 * so every result and every error (message, path, offset) is the one of a
 * sequential parse. Memory: each thread reads its half in 1 MiB chunks
 * (pread), the file is never held whole; standard input and streams are
 * read sequentially.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/reader.h"

#define SPLIT_MIN ((size_t)8 << 20)  /* do not split smaller inputs */
#define SPLIT_SCAN ((size_t)1 << 20) /* look this far for a boundary */
#define FIRST_CHUNK ((size_t)64 << 10)

static long long split_forced = -1;
static atomic_ulong splits_merged;

void gvt_reader_split_for_tests(long long at)
{
    split_forced = at;
}

unsigned long gvt_reader_splits_merged(void)
{
    return atomic_load(&splits_merged);
}

/* Bytes [off, off + n) of the input: in place, or read into buf (CHUNK
 * bytes). NULL on a read error (errno set). */
static const unsigned char *src_get(const source *s, size_t off, size_t n,
                                    unsigned char *buf)
{
    if (s->mem)
        return s->mem + off;
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(s->fd, buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO; /* the file shrank */
            return NULL;
        }
        got += (size_t)k;
    }
    return buf;
}

typedef struct spec_job {
    reader r;
    gvt_error err;
    const source *src;
    size_t start; /* offset of the first vote's '{' */
    bool ok;      /* the ']' was found without error */
    long lines;   /* newlines in [start, r.spec_end) */
    long long last_nl;
    atomic_int cancel;
    gvt_worker thread;
} spec_job;

static void spec_run(void *arg)
{
    spec_job *j = arg;
    reader *r = &j->r;
    unsigned char *buf = j->src->mem ? NULL : gvt_xmalloc(CHUNK);
    static const unsigned char open_bracket = '[';
    r->base = (long long)j->start - 1;
    bool go = rd_feed(r, &open_bracket, 1);
    r->lines_before = 0;
    r->last_nl = -1;
    size_t size = j->src->size;
    for (size_t off = j->start; go && off < size;) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        const unsigned char *d = src_get(j->src, off, n, buf);
        if (!d)
            break;
        if (!rd_feed(r, d, n)) {
            if (r->spec_end >= 0 && !r->failed) {
                /* The lines of the last chunk, up to the ']'. */
                r->base = (long long)off;
                rd_count_lines(r, d, (size_t)(r->spec_end - (long long)off));
                j->ok = true;
            }
            break;
        }
        off += n;
    }
    j->lines = r->lines_before;
    j->last_nl = r->last_nl;
    free(buf);
}

/*
 * Looks for "}" ws "," ws "{" from offset `from` on, within SPLIT_SCAN bytes;
 * true with the offsets of the three characters.
 */
static bool find_boundary(const source *s, size_t from, unsigned char *buf,
                          size_t *brace, size_t *comma, size_t *open)
{
    if (from >= s->size)
        return false;
    size_t n = s->size - from < CHUNK ? s->size - from : CHUNK;
    const unsigned char *d = src_get(s, from, n, buf);
    if (!d)
        return false;
    for (size_t i = 0; i < n && i < SPLIT_SCAN; i++) {
        if (d[i] != '}')
            continue;
        size_t k = i + 1;
        while (k < n && rd_is_space(d[k]))
            k++;
        if (k >= n || d[k] != ',')
            continue;
        size_t c = k++;
        while (k < n && rd_is_space(d[k]))
            k++;
        if (k >= n || d[k] != '{')
            continue;
        *brace = from + i;
        *comma = from + c;
        *open = from + k;
        return true;
    }
    return false;
}

/* Starts the second reader if the input is worth it and a boundary is
 * found after `off`; NULL otherwise. */
static spec_job *spec_start(reader *r, const source *s, size_t off,
                            unsigned char *buf, size_t *brace, size_t *comma)
{
    if (split_forced == 0 || gvt_workers_count(r->threads, 2) < 2)
        return NULL;
    size_t from;
    if (split_forced > 0) {
        from = (size_t)split_forced;
        if (from < off)
            from = off;
    } else {
        if (s->size - off < SPLIT_MIN)
            return NULL;
        from = off + (s->size - off) / 2;
    }
    size_t open;
    if (!find_boundary(s, from, buf, brace, comma, &open))
        return NULL;
    spec_job *j = gvt_xcalloc(1, sizeof *j);
    rd_reader_init(&j->r, r->name, &j->err, false);
    j->r.spec = true;
    j->r.spec_end = -1;
    j->r.cancel = &j->cancel;
    j->r.prog = r->prog;
    atomic_init(&j->cancel, 0);
    j->src = s;
    j->start = open;
    gvt_proposal *q = gvt_proposal_new(r->name);
    q->type = r->p->type;
    q->n_choices = r->p->n_choices;
    j->r.p = q;
    j->r.have_proposal = j->r.proposal_done = j->r.have_votes = true;
    j->r.has_type = j->r.has_choices = true;
    memcpy(j->r.votes_path, r->votes_path, sizeof r->votes_path);
    if (q->type == GVT_TYPE_SINGLE_CHOICE || q->type == GVT_TYPE_BASIC)
        j->r.cache =
            gvt_xcalloc(q->n_choices ? q->n_choices : 1, sizeof *j->r.cache);
    if (!gvt_worker_start(&j->thread, r->threads, spec_run, j)) {
        rd_reader_free(&j->r);
        free(j);
        return NULL;
    }
    return j;
}

static void spec_free(spec_job *j)
{
    rd_reader_free(&j->r);
    free(j);
}

/*
 * The first reader stands just before the ',' at `comma` (see above). Joins
 * the second reader; when the split is confirmed and the second half was
 * read without error, takes its ballots and returns the offset of the ']'
 * to go on from; otherwise returns `comma`.
 */
static size_t spec_join(reader *r, spec_job *j, const source *s,
                        unsigned char *buf, size_t brace, size_t comma)
{
    frame *f = &r->st[r->depth];
    bool confirmed = !r->failed && !r->stopped && r->votes_depth > 0 &&
                     r->depth == r->votes_depth && f->role == R_VOTES &&
                     r->last_vote_end == (long long)brace + 1 &&
                     r->p->n_ballots == f->index;
    if (!confirmed)
        atomic_store(&j->cancel, 1);
    gvt_worker_join(&j->thread);
    gvt_proposal *p = r->p, *q = j->r.p;
    size_t m = q->n_ballots, k = p->n_ballots;
    if (!confirmed || !j->ok || k + m > MAX_VOTES) {
        spec_free(j);
        return comma;
    }
    size_t start = j->start;
    const unsigned char *gap = src_get(s, comma, start - comma, buf);
    if (!gap) {
        spec_free(j);
        return comma;
    }
    rd_count_lines(r, gap, start - comma);
    r->lines_before += j->lines;
    if (j->last_nl >= 0)
        r->last_nl = j->last_nl;
    if (r->cap_ballots < k + m) {
        r->cap_ballots = k + m;
        p->ballots = gvt_xrealloc(p->ballots, (k + m) * sizeof *p->ballots);
    }
    /* Copied from the end in slices, the second half's array shrinking
     * behind, so that both never stand whole in memory together. */
    for (size_t left = m; left > 0;) {
        size_t n = left < (1u << 16) ? left : (1u << 16);
        left -= n;
        memcpy(p->ballots + k + left, q->ballots + left,
               n * sizeof *q->ballots);
        if (left)
            q->ballots = gvt_xrealloc(q->ballots, left * sizeof *q->ballots);
    }
    for (size_t i = k; i < k + m; i++)
        p->ballots[i].input += (uint32_t)k;
    p->n_ballots = k + m;
    f->index += (uint32_t)m;
    gvt_arena_merge(p->arena, q->arena);
    q->n_ballots = 0;
    size_t end = (size_t)j->r.spec_end;
    spec_free(j);
    atomic_fetch_add(&splits_merged, 1);
    r->base = (long long)end;
    return end;
}

/* One document from a buffer or a regular file, on two threads when worth
 * it (see above). */
gvt_status rd_read_split(reader *r, const source *s)
{
    unsigned char *buf = s->mem ? NULL : gvt_xmalloc(CHUNK);
    unsigned char *scan = gvt_xmalloc(CHUNK);
    spec_job *job = NULL;
    bool tried = false;
    size_t brace = 0, comma = 0;
    gvt_status status = GVT_OK;
    size_t off = 0;
    while (off < s->size) {
        size_t n = off == 0 ? FIRST_CHUNK : CHUNK;
        if (n > s->size - off)
            n = s->size - off;
        if (job && off < comma && off + n > comma)
            n = comma - off;
        /* Tests: stop where the split is forced, to start it there. */
        size_t forced = split_forced > 0 ? (size_t)split_forced : 0;
        if (!job && !tried && off < forced && off + n > forced)
            n = forced - off;
        const unsigned char *d = src_get(s, off, n, buf);
        if (!d) {
            gvt_error_set(r->err, GVT_ERR_NOINPUT, r->name, "cannot read: %s",
                          strerror(errno));
            status = GVT_ERR_NOINPUT;
            break;
        }
        if (!rd_feed(r, d, n))
            break;
        off += n;
        if (!job && !tried && r->proposal_done && r->votes_depth > 0) {
            tried = true;
            job = spec_start(r, s, off, scan, &brace, &comma);
        }
        if (job && off == comma) {
            off = spec_join(r, job, s, scan, brace, comma);
            job = NULL;
        }
    }
    if (job) {
        atomic_store(&job->cancel, 1);
        gvt_worker_join(&job->thread);
        spec_free(job);
    }
    free(buf);
    free(scan);
    if (status == GVT_OK)
        status = rd_finish_input(r, false);
    return status;
}
