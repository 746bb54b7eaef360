/*
 * workers.c: how many threads a pass may use, and where every thread of the
 * library is started (core.h). Each parallel pass takes the caller's thread
 * count (the public options' .threads: 0 = one per online CPU, 1 = none
 * but the calling one) and goes through here, so that no pass starts a
 * thread of its own accord. Every split pass adds exact integers or builds
 * a total order, so its result does not depend on how many threads ran it.
 */
#include <stdlib.h>
#include <unistd.h>

#include "core/core.h"

static int par_forced = -1;

void gvt_par_force_for_tests(int mode)
{
    par_forced = mode;
}

unsigned gvt_workers_count(unsigned asked, size_t items)
{
    unsigned long n = asked;
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (unsigned long)cpus : 1;
    }
    if (n > GVT_WORKERS_MAX)
        n = GVT_WORKERS_MAX;
    if (n > items)
        n = items ? items : 1;
    return (unsigned)n;
}

static void *worker_main(void *arg)
{
    gvt_worker *w = arg;
    w->fn(w->arg);
    return NULL;
}

bool gvt_worker_start(gvt_worker *w, unsigned threads, void (*fn)(void *),
                      void *arg)
{
    w->fn = fn;
    w->arg = arg;
    w->started = gvt_workers_count(threads, 2) >= 2 &&
                 pthread_create(&w->id, NULL, worker_main, w) == 0;
    return w->started;
}

void gvt_worker_join(gvt_worker *w)
{
    if (w->started)
        pthread_join(w->id, NULL);
    w->started = false;
}

/* One k of gvt_workers_run on a thread of its own. */
typedef struct run_job {
    void (*fn)(void *arg, unsigned k);
    void *arg;
    unsigned k;
    gvt_worker w;
} run_job;

static void run_one(void *p)
{
    run_job *j = p;
    j->fn(j->arg, j->k);
}

void gvt_workers_run(unsigned n, void (*fn)(void *arg, unsigned k), void *arg)
{
    if (n <= 1) {
        fn(arg, 0);
        return;
    }
    run_job *jobs = gvt_xcalloc(n, sizeof *jobs);
    for (unsigned k = 1; k < n; k++) {
        jobs[k] = (run_job){fn, arg, k, {0}};
        gvt_worker_start(&jobs[k].w, n, run_one, &jobs[k]);
    }
    fn(arg, 0);
    for (unsigned k = 1; k < n; k++) {
        if (jobs[k].w.started)
            gvt_worker_join(&jobs[k].w);
        else
            fn(arg, k); /* its thread did not start: its share here */
    }
    free(jobs);
}

bool gvt_par_worth(unsigned threads, size_t n)
{
    if (par_forced == 0 || n < 2)
        return false;
    if (par_forced < 0 && n < GVT_PAR_MIN_UNITS)
        return false;
    return gvt_workers_count(threads, 2) >= 2;
}

/* The two halves of gvt_par_run. */
typedef struct par_job {
    void (*fn)(void *arg, size_t lo, size_t hi);
    void *arg[2];
    size_t n;
} par_job;

static void par_half(void *p, unsigned k)
{
    par_job *j = p;
    size_t mid = j->n / 2;
    j->fn(j->arg[k], k ? mid : 0, k ? j->n : mid);
}

bool gvt_par_run(unsigned threads, size_t n,
                 void (*fn)(void *arg, size_t lo, size_t hi), void *arg0,
                 void *arg1)
{
    if (!gvt_par_worth(threads, n)) {
        fn(arg0, 0, n);
        return false;
    }
    par_job j = {fn, {arg0, arg1}, n};
    gvt_workers_run(2, par_half, &j);
    return true;
}
