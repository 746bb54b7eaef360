/*
 * pipeline.c: many documents tallied on a pool of threads in bounded memory
 * (docs/replay.md#memory), their results handed on in input order.
 *
 * Inputs are files, standard input ("-") and folders (listed first, names
 * sorted, sub-folders included). Each file is read as a stream: JSON is cut
 * into its documents chunk by chunk (cut.c), a CSV file is imported
 * proposal by proposal (gvt_csv_stream: a first pass checks it and finds
 * each proposal's last row, the second hands out each export once its
 * votes are read; standard input, which cannot be read twice, is imported
 * whole). Documents enter a
 * ring of jobs in input order; the threads take the oldest waiting job, run
 * it (ops->run: read, tally, format a row) and hand the finished ones on
 * in order (ops->emit), so the output does not depend on the number of
 * threads or on timing.
 *
 * No thread has a fixed role: a thread that finds the queue short of
 * documents cuts more (one at a time), one that finds finished jobs at the
 * head of the ring hands them on, otherwise it runs the oldest waiting job.
 * A thread busy with a large proposal thus never holds the others up.
 * Memory: at most `threads` documents being tallied, waiting ones up to
 * PIPE_QUEUE_BYTES (at least one; one at a time with a single thread), and
 * at most PIPE_RING jobs between the oldest not yet handed on and the
 * newest. The queue is bounded by bytes, not by count: while one thread
 * cuts a large document, the others run the many small ones queued.
 *
 * The queue is a reserve for those moments, and a document that waits in
 * it is read cold, its text gone from the caches. So a thread that has
 * just cut a document tallies it itself, while its text is in its cache,
 * whenever the queue holds at least half its bytes; below that the
 * document joins the queue. Jobs may thus run out of input order; rows
 * are still handed on in order.
 *
 * The feeder records every input it reads (docs/audit.md): its name, and
 * the size and SHA-256 of its bytes as the cutter or the CSV reader took
 * them in, for the summary's audit record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "history/history.h"

#define PIPE_RING 4096
#define PIPE_QUEUE_BYTES (16u << 20)

static size_t ring_size = PIPE_RING, queue_bytes = PIPE_QUEUE_BYTES;

void gvt_pipeline_limits_for_tests(size_t ring, size_t bytes)
{
    ring_size = ring ? ring : PIPE_RING;
    queue_bytes = bytes ? bytes : PIPE_QUEUE_BYTES;
}

enum { JOB_WAITING = 1, JOB_RUNNING, JOB_DONE };

typedef struct pjob {
    gvt_doc doc;
    int state;
} pjob;

/* One input file, or a folder that cannot be listed (err): the path it is
 * read from and the name it goes by (in rows, errors and records). */
typedef struct slot {
    char *name;
    char *path;
    gvt_error *err;
} slot;

typedef struct flow {
    const gvt_pipeline *pl;
    slot *slots;
    size_t n_slots, cap_slots;
    unsigned threads;
    size_t ring_n, queue_max; /* PIPE_RING, PIPE_QUEUE_BYTES */

    pthread_mutex_t mu;
    pthread_cond_t cv;
    pjob *ring;
    unsigned char *results; /* PIPE_RING x pl->result_size */
    size_t fed, handed;     /* documents fed, rows handed on */
    size_t taken;           /* every job before it is taken or handed on */
    size_t n_waiting;       /* jobs fed and not yet taken */
    size_t queued_bytes;
    bool feeding, handing, input_done;

    /* the feeder's state (only the thread holding `feeding` touches it) */
    size_t slot;         /* next slot to open */
    gvt_cutter *cut;     /* the JSON file being cut, or NULL */
    gvt_csv_stream *csv; /* the CSV file being imported, or NULL */
    gvt_buf *csv_docs;   /* the CSV file's exports being taken */
    size_t csv_n, csv_i;
    const char *cur_name, *cur_path;
    /* the inputs read (docs/audit.md): each file in order, the proposal
     * table once */
    gvt_inputs records, tables;

    /* progress */
    FILE *progress;
    double last;
} flow;

static void slot_add(flow *pp, const char *path, const char *name)
{
    if (pp->n_slots == pp->cap_slots) {
        pp->cap_slots = pp->cap_slots ? pp->cap_slots * 2 : 16;
        pp->slots = gvt_xrealloc(pp->slots, pp->cap_slots * sizeof *pp->slots);
    }
    slot *sl = &pp->slots[pp->n_slots++];
    memset(sl, 0, sizeof *sl);
    sl->path = gvt_xstrdup(path);
    sl->name = gvt_xstrdup(name ? name : path);
}

static bool wanted(const char *name, void *ctx)
{
    const flow *pp = ctx;
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    return gvt_is_json_name(name) || (pp->pl->from && strcmp(dot, ".csv") == 0);
}

/* An input: a file (named name, NULL: its path) or a folder's files. */
static void add_input(flow *pp, const char *path, const char *name, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
        !S_ISDIR(sb.st_mode)) {
        slot_add(pp, path, name);
        return;
    }
    char **list;
    size_t n;
    if (depth >= 16 || !gvt_folder_list(path, wanted, pp, &list, &n)) {
        slot_add(pp, path, name);
        slot *sl = &pp->slots[pp->n_slots - 1];
        sl->err = gvt_xmalloc(sizeof *sl->err);
        gvt_error_set(sl->err, GVT_ERR_NOINPUT, path,
                      "cannot open the folder: %s",
                      depth < 16 ? strerror(errno) : "nested too deep");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        add_input(pp, list[i], NULL, depth + 1);
        free(list[i]);
    }
    free(list);
}

/* ---- feeding: the next document of the inputs ---------------------------- */

/* d's failure; an error about the file read names it as the slot is
 * named (they differ under `govtally verify`, see gvt_pipeline.names). */
static void doc_error(const flow *pp, gvt_doc *d, const gvt_error *e)
{
    d->err = gvt_xmalloc(sizeof *d->err);
    *d->err = *e;
    if (!d->err->code)
        d->err->code = GVT_ERR_INTERNAL;
    if (pp->cur_path && strcmp(d->err->file, pp->cur_path) == 0)
        snprintf(d->err->file, sizeof d->err->file, "%s", pp->cur_name);
}

/* An input that could not be read: its record has no digest. */
static void slot_failed(flow *pp, const slot *sl, const char *role)
{
    gvt_inputs_add(&pp->records, role, sl->name, NULL);
}

/*
 * Opens the slot's file for next_doc: a CSV stream, a CSV from standard
 * input imported whole, or a JSON stream to cut. True when d then holds
 * the slot's failure (an error document), false when reading goes on.
 */
static bool open_slot(flow *pp, slot *sl, gvt_doc *d)
{
    gvt_error e;
    bool csv = pp->pl->from && !gvt_is_json_name(sl->name);
    if (sl->err) {
        slot_failed(pp, sl, csv ? "votes" : "export");
        d->err = sl->err;
        sl->err = NULL;
        return true;
    }
    if (csv && strcmp(sl->path, "-") != 0) {
        if (gvt_csv_stream_open(sl->path, sl->name, pp->pl->from, &pp->csv,
                                &e)) {
            slot_failed(pp, sl, "votes");
            doc_error(pp, d, &e);
            return true;
        }
        return false;
    }
    if (csv) {
        /* standard input cannot be read twice: imported whole */
        if (gvt_import_docs_recorded(sl->path, pp->pl->from, &pp->csv_docs,
                                     &pp->csv_n, NULL, &pp->records,
                                     pp->tables.n ? NULL : &pp->tables, &e)) {
            slot_failed(pp, sl, "votes");
            doc_error(pp, d, &e);
            return true;
        }
        pp->csv_i = 0;
        return false;
    }
    if (gvt_cutter_open(sl->path, &pp->cut, &e)) {
        slot_failed(pp, sl, "export");
        doc_error(pp, d, &e);
        return true;
    }
    return false;
}

/*
 * The next document into d (cleared first), or false when every input is
 * done. Runs on the thread holding `feeding`, without the lock.
 */
static bool next_doc(flow *pp, gvt_doc *d)
{
    memset(d, 0, sizeof *d);
    gvt_buf_init(&d->text);
    gvt_error e;
    for (;;) {
        if (pp->cut) {
            d->file = pp->cur_name;
            int r = gvt_cutter_next(pp->cut, &d->text, &d->base_offset,
                                    &d->base_line, &e);
            if (r > 0)
                return true;
            gvt_cutter_record(pp->cut, &pp->records, pp->cur_name);
            gvt_cutter_free(pp->cut);
            pp->cut = NULL;
            if (r < 0) {
                gvt_buf_free(&d->text);
                doc_error(pp, d, &e);
                return true;
            }
            continue;
        }
        if (pp->csv) {
            d->file = pp->cur_name;
            int r = gvt_csv_stream_next(pp->csv, &d->text, &e);
            if (r > 0) {
                d->base_offset = -1;
                return true;
            }
            gvt_csv_stream_record(pp->csv, &pp->records, pp->cur_name,
                                  pp->tables.n ? NULL : &pp->tables);
            gvt_csv_stream_free(pp->csv);
            pp->csv = NULL;
            if (r < 0) {
                gvt_buf_free(&d->text);
                doc_error(pp, d, &e);
                return true;
            }
            continue;
        }
        if (pp->csv_docs) {
            if (pp->csv_i < pp->csv_n) {
                d->file = pp->cur_name;
                d->text = pp->csv_docs[pp->csv_i++];
                d->base_offset = -1;
                return true;
            }
            free(pp->csv_docs);
            pp->csv_docs = NULL;
            continue;
        }
        if (pp->slot == pp->n_slots)
            return false;
        slot *sl = &pp->slots[pp->slot++];
        pp->cur_name = sl->name;
        pp->cur_path = sl->path;
        d->file = sl->name;
        if (open_slot(pp, sl, d))
            return true;
    }
}

/* ---- the ring ------------------------------------------------------------ */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *result_of(flow *pp, size_t i)
{
    return pp->results + (i % pp->ring_n) * pp->pl->result_size;
}

/* Whether the feeder should add a document (lock held): one waits, or,
 * with other threads to keep busy, the waiting ones hold less than
 * queue_max bytes. */
static bool want_feed(const flow *pp)
{
    if (pp->input_done || pp->feeding || pp->fed - pp->handed >= pp->ring_n)
        return false;
    return pp->n_waiting == 0 ||
           (pp->threads > 1 && pp->queued_bytes < pp->queue_max);
}

/* Runs job i, taken by this thread (lock held; released while it runs). */
static void run_job(flow *pp, size_t i)
{
    const gvt_pipeline *pl = pp->pl;
    pjob *j = &pp->ring[i % pp->ring_n];
    j->state = JOB_RUNNING;
    pp->n_waiting--;
    pthread_mutex_unlock(&pp->mu);
    memset(result_of(pp, i), 0, pl->result_size);
    pl->run(pl->ctx, &j->doc, result_of(pp, i));
    pthread_mutex_lock(&pp->mu);
    j->state = JOB_DONE;
    pthread_cond_broadcast(&pp->cv);
}

/*
 * One thread's share: feed, hand on, or run, until every document is
 * handed on. Each role is taken under the lock and done without it.
 */
static void share(void *arg, unsigned k)
{
    flow *pp = arg;
    (void)k;
    const gvt_pipeline *pl = pp->pl;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        if (!pp->handing && pp->handed < pp->fed &&
            pp->ring[pp->handed % pp->ring_n].state == JOB_DONE) {
            pp->handing = true;
            while (pp->handed < pp->fed &&
                   pp->ring[pp->handed % pp->ring_n].state == JOB_DONE) {
                size_t i = pp->handed;
                pjob *j = &pp->ring[i % pp->ring_n];
                pthread_mutex_unlock(&pp->mu);
                pl->emit(pl->ctx, &j->doc, result_of(pp, i));
                gvt_buf_free(&j->doc.text);
                free(j->doc.err);
                if (pp->progress && seconds() - pp->last >= 0.2) {
                    fprintf(pp->progress, "\rreplay: %zu proposals", i + 1);
                    fflush(pp->progress);
                    pp->last = seconds();
                }
                pthread_mutex_lock(&pp->mu);
                j->state = 0;
                pp->handed++;
            }
            pp->handing = false;
            pthread_cond_broadcast(&pp->cv);
            continue;
        }
        if (want_feed(pp)) {
            pp->feeding = true;
            pthread_mutex_unlock(&pp->mu);
            gvt_doc d;
            bool got = next_doc(pp, &d);
            pthread_mutex_lock(&pp->mu);
            pp->feeding = false;
            if (!got) {
                pp->input_done = true;
                pthread_cond_broadcast(&pp->cv);
                continue;
            }
            size_t i = pp->fed++;
            pjob *j = &pp->ring[i % pp->ring_n];
            j->doc = d;
            j->state = JOB_WAITING;
            pp->n_waiting++;
            pthread_cond_broadcast(&pp->cv);
            if (pp->threads > 1 && pp->queued_bytes >= pp->queue_max / 2) {
                run_job(pp, i); /* while its text is in this cache */
                continue;
            }
            pp->queued_bytes += d.text.len;
            continue;
        }
        if (pp->n_waiting > 0) {
            if (pp->taken < pp->handed)
                pp->taken = pp->handed;
            while (pp->ring[pp->taken % pp->ring_n].state != JOB_WAITING)
                pp->taken++;
            size_t i = pp->taken++;
            pp->queued_bytes -= pp->ring[i % pp->ring_n].doc.text.len;
            run_job(pp, i);
            continue;
        }
        if (pp->input_done && pp->handed == pp->fed && !pp->handing)
            break;
        pthread_cond_wait(&pp->cv, &pp->mu);
    }
    pthread_mutex_unlock(&pp->mu);
}

void gvt_pipeline_run(const gvt_pipeline *pl, const char *const *inputs,
                      size_t n_inputs)
{
    flow pp;
    memset(&pp, 0, sizeof pp);
    pp.pl = pl;
    for (size_t i = 0; i < n_inputs; i++)
        add_input(&pp, inputs[i], pl->names ? pl->names[i] : NULL, 0);
    pp.threads = gvt_workers_count(pl->threads, GVT_WORKERS_MAX);
    pp.ring_n = ring_size;
    pp.queue_max = queue_bytes;
    pp.ring = gvt_xcalloc(pp.ring_n, sizeof *pp.ring);
    pp.results = gvt_xcalloc(pp.ring_n, pl->result_size);
    pp.progress = pl->progress;
    pp.last = pp.progress ? seconds() : 0;
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.cv, NULL);
    gvt_workers_run(pp.threads, share, &pp);
    pthread_cond_destroy(&pp.cv);
    pthread_mutex_destroy(&pp.mu);
    if (pp.progress) {
        fprintf(pp.progress, "\rreplay: %zu proposals\n", pp.handed);
        fflush(pp.progress);
    }
    free(pp.ring);
    free(pp.results);
    for (size_t i = 0; i < pp.n_slots; i++) {
        free(pp.slots[i].name);
        free(pp.slots[i].path);
        free(pp.slots[i].err);
    }
    free(pp.slots);
    if (pl->inputs) {
        gvt_inputs_copy(pl->inputs, &pp.records);
        gvt_inputs_copy(pl->inputs, &pp.tables);
    }
    gvt_inputs_free(&pp.records);
    gvt_inputs_free(&pp.tables);
}
