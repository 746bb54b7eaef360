/*
 * workers.c: how many threads a pass may use, and the one parallel runner
 * (core.h). Every split pass adds exact integers or builds a total order, so
 * its result does not depend on whether it ran on one thread or two.
 */
#include <pthread.h>
#include <unistd.h>

#include "core/core.h"

static int par_forced = -1;

void gvt_par_force_for_tests(int mode)
{
    par_forced = mode;
}

bool gvt_par_worth(size_t n)
{
    if (par_forced >= 0)
        return par_forced > 0 && n >= 2;
    if (n < GVT_PAR_MIN_UNITS)
        return false;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2;
}

/*
 * Runs fn(arg0, 0, mid) here and fn(arg1, mid, n) on a second thread when
 * gvt_par_worth(n) and the thread starts (returns true: the caller adds
 * arg1's sums into arg0's), otherwise fn(arg0, 0, n) (returns false), with
 * mid = n / 2.
 */
typedef struct par_job {
    void (*fn)(void *arg, size_t lo, size_t hi);
    void *arg;
    size_t lo, hi;
} par_job;

static void *par_main(void *p)
{
    par_job *j = p;
    j->fn(j->arg, j->lo, j->hi);
    return NULL;
}

bool gvt_par_run(size_t n, void (*fn)(void *arg, size_t lo, size_t hi),
                 void *arg0, void *arg1)
{
    size_t mid = n / 2;
    if (!gvt_par_worth(n) || mid == 0) {
        fn(arg0, 0, n);
        return false;
    }
    par_job j = {fn, arg1, mid, n};
    pthread_t th;
    if (pthread_create(&th, NULL, par_main, &j) != 0) {
        fn(arg0, 0, n);
        return false;
    }
    fn(arg0, 0, mid);
    pthread_join(th, NULL);
    return true;
}
