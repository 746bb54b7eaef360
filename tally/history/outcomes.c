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
    const char *space; /* owned by the summary's sets */
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

/*
 * The summary, counted row by row as a streamed replay writes them: the
 * figures over all rows, and one set per space in order of first
 * appearance, found through an open-addressing table of indices into the
 * sets (memory grows with the number of spaces, not of rows).
 */
struct gvt_outcome_summary {
    tally_set all;
    tally_set *sets;
    size_t n_sets, cap_sets;
    size_t *slots;  /* set index + 1, 0 empty; a power of two long */
    uint64_t *hash; /* per slot: its space's hash (compared first: the
                       spaces' text, one allocation each, is rarely in the
                       cache) */
    size_t n_slots;
};

gvt_outcome_summary *gvt_outcome_summary_new(void)
{
    gvt_outcome_summary *m = gvt_xcalloc(1, sizeof *m);
    m->n_slots = 64;
    m->slots = gvt_xcalloc(m->n_slots, sizeof *m->slots);
    m->hash = gvt_xcalloc(m->n_slots, sizeof *m->hash);
    return m;
}

void gvt_outcome_summary_free(gvt_outcome_summary *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_sets; i++)
        free((char *)m->sets[i].space);
    free(m->sets);
    free(m->slots);
    free(m->hash);
    free(m);
}

/* The slot of space (hash h): its set's, or the empty one it would take. */
static size_t slot_of(const gvt_outcome_summary *m, const char *space,
                      uint64_t h)
{
    size_t mask = m->n_slots - 1;
    size_t i = (size_t)h & mask;
    while (m->slots[i] &&
           (m->hash[i] != h || strcmp(m->sets[m->slots[i] - 1].space, space)))
        i = (i + 1) & mask;
    return i;
}

static uint64_t space_hash(const char *space)
{
    return gvt_hash_bytes(space, strlen(space));
}

static void grow(gvt_outcome_summary *m)
{
    free(m->slots);
    free(m->hash);
    m->n_slots *= 2;
    m->slots = gvt_xcalloc(m->n_slots, sizeof *m->slots);
    m->hash = gvt_xcalloc(m->n_slots, sizeof *m->hash);
    for (size_t k = 0; k < m->n_sets; k++) {
        uint64_t h = space_hash(m->sets[k].space);
        size_t i = slot_of(m, m->sets[k].space, h);
        m->slots[i] = k + 1;
        m->hash[i] = h;
    }
}

void gvt_outcome_summary_add(gvt_outcome_summary *m, const gvt_row_outcome *o)
{
    set_add(&m->all, o);
    uint64_t h = space_hash(o->space);
    size_t i = slot_of(m, o->space, h);
    if (!m->slots[i]) {
        if (m->n_sets == m->cap_sets) {
            m->cap_sets = m->cap_sets ? 2 * m->cap_sets : 16;
            m->sets = gvt_xrealloc(m->sets, m->cap_sets * sizeof *m->sets);
        }
        tally_set *t = &m->sets[m->n_sets++];
        memset(t, 0, sizeof *t);
        t->space = gvt_xstrdup(o->space);
        m->slots[i] = m->n_sets;
        m->hash[i] = h;
        if (2 * m->n_sets > m->n_slots) {
            grow(m);
            i = slot_of(m, o->space, h);
        }
    }
    set_add(&m->sets[m->slots[i] - 1], o);
}

void gvt_outcome_summary_json(gvt_buf *b, const gvt_outcome_summary *m,
                              const gvt_scheme *s, size_t n)
{
    gvt_buf_puts(b, ",\n  \"outcomes\": {");
    set_json(b, &m->all, s, n);
    gvt_buf_puts(b, "},\n  \"spaces\": [");
    for (size_t k = 0; k < m->n_sets; k++) {
        gvt_buf_puts(b, k ? ",\n   {\"space\": " : "\n   {\"space\": ");
        gvt_buf_json_string(b, m->sets[k].space);
        gvt_buf_puts(b, ", ");
        set_json(b, &m->sets[k], s, n);
        gvt_buf_putc(b, '}');
    }
    gvt_buf_putc(b, ']');
}
