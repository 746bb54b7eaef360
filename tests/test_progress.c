/*
 * test_progress.c: progress reporting of long reads (docs/govtally.1: a long
 * run shows progress on standard error when it is a terminal; the library
 * reports it through gvt_progress_fn).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "govtally.h"

typedef struct seen {
    int calls;
    unsigned long long last_done, total;
    int went_back;
} seen;

static void record(void *ctx, const char *what, unsigned long long done,
                   unsigned long long total)
{
    seen *s = ctx;
    assert_string_equal(what, "reading");
    if (done < s->last_done)
        s->went_back = 1;
    s->calls++;
    s->last_done = done;
    s->total = total;
}

/* A 20 MB export of 60000 single-choice votes: several progress steps, and
 * large enough for the two-thread read. */
static char *write_export(size_t *out_size)
{
    char *path = strdup("/tmp/gvt-progress-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"proposal\": {\"id\": \"p\", \"type\": \"single-choice\", "
          "\"choices\": [\"A\", \"B\"]}, \"votes\": [",
          f);
    for (int i = 0; i < 60000; i++)
        fprintf(f,
                "%s{\"voter\": \"0x%040x\", \"choice\": %d, \"vp\": %d.5, "
                "\"reason\": \"%0300d\"}",
                i ? ", " : "", i, 1 + i % 2, i, 0);
    fputs("]}\n", f);
    *out_size = (size_t)ftell(f);
    fclose(f);
    return path;
}

static void reports_reading_to_the_end(void **state)
{
    (void)state;
    size_t size;
    char *path = write_export(&size);
    seen s = {0};
    gvt_proposal *p = NULL;
    gvt_error err;
    assert_int_equal(
        gvt_proposal_read_file_progress(path, record, &s, &p, &err), GVT_OK);
    assert_non_null(p);
    assert_true(s.calls >= 2);
    assert_int_equal(s.went_back, 0);
    assert_int_equal(s.total, size);
    assert_int_equal(s.last_done, size);
    assert_int_equal(gvt_proposal_ballot_counts(p).counted, 60000);
    gvt_proposal_free(p);
    unlink(path);
    free(path);
}

static void no_callback_is_fine(void **state)
{
    (void)state;
    size_t size;
    char *path = write_export(&size);
    gvt_proposal *p = NULL;
    gvt_error err;
    assert_int_equal(
        gvt_proposal_read_file_progress(path, NULL, NULL, &p, &err), GVT_OK);
    gvt_proposal_free(p);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reports_reading_to_the_end),
        cmocka_unit_test(no_callback_is_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
