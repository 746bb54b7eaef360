/*
 * outcomes.c: the decision's part of a replay (docs/outcomes.md#replay):
 * each row's outcome under every scheme, and in the summary, over all rows
 * and per space (the DAO: Snapshot's space, or for imported events the
 * file's name), how many proposals passed, how many would have passed under
 * each scheme, how many failed their quorum or could not be decided, and
 * how many the quorum alone carried or blocked.
 */
#include <stdlib.h>
#include <string.h>

#include "history/summary.h"

void gvt_row_outcome_set(gvt_row_outcome *o, const gvt_result *r)
{
    memset(o, 0, sizeof *o);
    o->space = gvt_xstrdup(gvt_proposal_space(gvt_result_proposal(r)));
    o->token = gvt_result_token_outcome(r);
    for (int s = 0; s < GVT_SCHEME_COUNT; s++)
        o->by_scheme[s] = GVT_OUTCOME_NOT_DECIDABLE;
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++) {
        gvt_scheme s = gvt_result_scheme(r, i);
        o->by_scheme[s] = gvt_result_outcome(r, i);
        if (gvt_result_outcome_flipped(r, i))
            o->flips |= 1u << s;
    }
    o->carried = gvt_result_carried_by_quorum(r);
    o->blocked = gvt_result_blocked_by_quorum(r);
}

void gvt_row_outcome_free(gvt_row_outcome *o)
{
    free(o->space);
    o->space = NULL;
}

/* ---- rows ---------------------------------------------------------------- */

void gvt_replay_csv_outcome_header(gvt_buf *b, const gvt_scheme *s, size_t n)
{
    gvt_buf_puts(b, ",rule,quorum_reached,token_outcome");
    for (size_t i = 0; i < n; i++)
        if (s[i] != GVT_SCHEME_TOKEN)
            gvt_buf_printf(b, ",%s_outcome", gvt_scheme_name(s[i]));
    gvt_buf_puts(b, ",outcome_flips,quorum_k,carried_by_quorum,"
                    "blocked_by_quorum");
}

void gvt_replay_csv_outcome(gvt_buf *b, const gvt_result *r,
                            const gvt_scheme *s, size_t n)
{
    if (!r) { /* rule, reached, token, the others, flips, k, two flags */
        for (size_t i = 0; i < 3 + (n ? n - 1 : 0) + 4; i++)
            gvt_buf_putc(b, ',');
        return;
    }
    int reached = gvt_result_quorum_reached(r);
    gvt_buf_printf(b, ",%s,%s,%s", gvt_rule_name(gvt_result_rule(r)),
                   reached < 0 ? ""
                   : reached   ? "true"
                               : "false",
                   gvt_outcome_name(gvt_result_token_outcome(r)));
    for (size_t i = 0; i < n; i++) {
        if (s[i] == GVT_SCHEME_TOKEN)
            continue;
        int k = gvt_result_scheme_index(r, s[i]);
        gvt_buf_printf(
            b, ",%s",
            k < 0 ? "" : gvt_outcome_name(gvt_result_outcome(r, (size_t)k)));
    }
    gvt_buf_putc(b, ',');
    int m = 0;
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++)
        if (gvt_result_outcome_flipped(r, i))
            gvt_buf_printf(b, "%s%s", m++ ? "|" : "",
                           gvt_scheme_name(gvt_result_scheme(r, i)));
    gvt_buf_putc(b, ',');
    long qk = gvt_result_quorum_k(r);
    if (qk >= 0)
        gvt_buf_printf(b, "%ld", qk);
    gvt_buf_printf(b, ",%s,%s",
                   gvt_result_carried_by_quorum(r) ? "true" : "false",
                   gvt_result_blocked_by_quorum(r) ? "true" : "false");
}

void gvt_replay_json_outcome(gvt_buf *b, const gvt_result *r,
                             const gvt_scheme *s, size_t n)
{
    gvt_buf_puts(b, ", \"outcomes\": {");
    for (size_t i = 0; i < n; i++) {
        int k = gvt_result_scheme_index(r, s[i]);
        gvt_buf_printf(
            b, "%s\"%s\": \"%s\"", i ? ", " : "", gvt_scheme_name(s[i]),
            gvt_outcome_name(k < 0 ? GVT_OUTCOME_NOT_DECIDABLE
                                   : gvt_result_outcome(r, (size_t)k)));
    }
    gvt_buf_puts(b, "}, \"decision\": ");
    gvt_report_json_decision(r, b);
}

/* ---- the summary --------------------------------------------------------- */

/* The figures of a set of rows. */
typedef struct tally_set {
    const char *space;
    size_t first; /* the index of its first row */
    size_t proposals, passed, rejected, failed_quorum, not_decidable;
    size_t carried, blocked;
    size_t would_pass[GVT_SCHEME_COUNT];
    size_t flips[GVT_SCHEME_COUNT];
} tally_set;

static void set_add(tally_set *t, const gvt_row_outcome *o)
{
    t->proposals++;
    t->passed += o->token == GVT_OUTCOME_PASSED;
    t->rejected += o->token == GVT_OUTCOME_REJECTED;
    t->failed_quorum += o->token == GVT_OUTCOME_FAILED_QUORUM;
    t->not_decidable += o->token == GVT_OUTCOME_NOT_DECIDABLE;
    t->carried += o->carried;
    t->blocked += o->blocked;
    for (int s = 0; s < GVT_SCHEME_COUNT; s++) {
        t->would_pass[s] += o->by_scheme[s] == GVT_OUTCOME_PASSED;
        t->flips[s] += (o->flips >> s) & 1u;
    }
}

static void set_json(gvt_buf *b, const tally_set *t, const gvt_scheme *s,
                     size_t n)
{
    gvt_buf_printf(b,
                   "\"proposals\": %zu, \"passed\": %zu, \"rejected\": %zu, "
                   "\"failed_quorum\": %zu, \"not_decidable\": %zu, "
                   "\"would_pass\": {",
                   t->proposals, t->passed, t->rejected, t->failed_quorum,
                   t->not_decidable);
    for (size_t i = 0; i < n; i++)
        gvt_buf_printf(b, "%s\"%s\": %zu", i ? ", " : "", gvt_scheme_name(s[i]),
                       t->would_pass[s[i]]);
    gvt_buf_puts(b, "}, \"outcome_flips\": {");
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != GVT_SCHEME_TOKEN)
            gvt_buf_printf(b, "%s\"%s\": %zu", k++ ? ", " : "",
                           gvt_scheme_name(s[i]), t->flips[s[i]]);
    gvt_buf_printf(b,
                   "}, \"carried_by_quorum\": %zu, \"blocked_by_quorum\": %zu",
                   t->carried, t->blocked);
}

/* Rows by space, then input order (qsort_r is not in C11: a file-scope
 * pointer would not be thread-safe, so the rows ride along). */
typedef struct row_ref {
    const gvt_row_outcome *row;
    size_t index;
} row_ref;

static int cmp_ref(const void *x, const void *y)
{
    const row_ref *a = x, *b = y;
    int c = strcmp(a->row->space, b->row->space);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

static int cmp_first(const void *x, const void *y)
{
    const tally_set *a = x, *b = y;
    return (a->first > b->first) - (a->first < b->first);
}

void gvt_replay_json_summary(gvt_buf *b, const gvt_row_outcome *rows,
                             size_t n_rows, const gvt_scheme *s, size_t n)
{
    tally_set all;
    memset(&all, 0, sizeof all);
    row_ref *ref = gvt_xmalloc((n_rows + 1) * sizeof *ref);
    for (size_t i = 0; i < n_rows; i++) {
        ref[i] = (row_ref){&rows[i], i};
        set_add(&all, &rows[i]);
    }
    qsort(ref, n_rows, sizeof *ref, cmp_ref);
    /* One set per space, then the sets in order of first appearance. */
    tally_set *sp = gvt_xcalloc(n_rows + 1, sizeof *sp);
    size_t n_sp = 0;
    for (size_t i = 0; i < n_rows; i++) {
        if (i == 0 || strcmp(ref[i].row->space, ref[i - 1].row->space)) {
            sp[n_sp].space = ref[i].row->space;
            sp[n_sp++].first = ref[i].index;
        }
        set_add(&sp[n_sp - 1], ref[i].row);
    }
    qsort(sp, n_sp, sizeof *sp, cmp_first);
    gvt_buf_puts(b, ",\n  \"outcomes\": {");
    set_json(b, &all, s, n);
    gvt_buf_puts(b, "},\n  \"spaces\": [");
    for (size_t k = 0; k < n_sp; k++) {
        gvt_buf_puts(b, k ? ",\n   {\"space\": " : "\n   {\"space\": ");
        gvt_buf_json_string(b, sp[k].space);
        gvt_buf_puts(b, ", ");
        set_json(b, &sp[k], s, n);
        gvt_buf_putc(b, '}');
    }
    gvt_buf_putc(b, ']');
    free(sp);
    free(ref);
}
