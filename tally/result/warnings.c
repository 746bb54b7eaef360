/*
 * warnings.c: what a reader of the result should know before trusting it
 * (docs/formats.md#warnings): the tally is right for the ballots given, but
 * the ballots or their export may not be what the reader thinks.
 *
 *   invalid-majority  more than half the ballots standing after duplicates
 *                     have an invalid choice
 *   choice-zero       invalid ballots name choice 0, which no proposal
 *                     has: an export numbered from 0
 *   hub-scores        the scores the hub recorded in the export (its
 *                     proposal.scores and scores_total) differ from the
 *                     recount under Snapshot's rules by more than a
 *                     millionth of the total
 *   active            the proposal was still open: the export's state
 *                     says "pending" or "active", or, without a state, its
 *                     start or end lies after the caller's clock
 *                     (gvt_tally_options.now)
 *
 * The hub's scores are JavaScript doubles summed in floating point, so they
 * are compared with a tolerance: a millionth of the larger of the recorded
 * and recounted totals (the rounding of a million doubles stays far below
 * it; a single misread ballot of a larger share does not).
 */
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

static void add(gvt_result *r, const char *code, gvt_buf *msg)
{
    if (r->n_warnings == GVT_RESULT_WARNINGS) {
        gvt_buf_free(msg);
        return;
    }
    r->warnings[r->n_warnings].code = code;
    r->warnings[r->n_warnings].message = msg->data;
    r->n_warnings++;
    gvt_buf_init(msg);
}

/* A recorded amount (a JSON number's text) as fixed point; false when it
 * cannot be held (negative, too large or too precise). */
static bool recorded(mpz_t out, const char *text)
{
    return gvt_fx_parse(out, text, strlen(text), false) == GVT_FX_OK;
}

/* |a - b| > tol */
static bool differ(const mpz_t a, const mpz_t b, const mpz_t tol, mpz_t t)
{
    mpz_sub(t, a, b);
    mpz_abs(t, t);
    return mpz_cmp(t, tol) > 0;
}

static void hub_scores(gvt_result *r, const gvt_scheme_result *snap)
{
    const gvt_proposal *p = r->p;
    if (!snap || !p->hub_scores || p->n_hub_scores == 0)
        return;
    gvt_buf m;
    gvt_buf_init(&m);
    if (p->n_hub_scores != p->n_choices) {
        gvt_buf_printf(&m,
                       "the hub recorded %u scores for %u choices: the "
                       "export's scores do not match its choices",
                       p->n_hub_scores, p->n_choices);
        add(r, "hub-scores", &m);
        return;
    }
    mpz_t h, tol, t;
    mpz_inits(h, tol, t, NULL);
    /* tol = max(recorded total, recounted total) / 10^6 */
    mpz_set(tol, snap->total);
    if (p->hub_scores_total && recorded(h, p->hub_scores_total) &&
        mpz_cmp(h, tol) > 0)
        mpz_set(tol, h);
    mpz_tdiv_q_ui(tol, tol, 1000000);
    for (uint32_t c = 0; c < p->n_choices && !m.len; c++) {
        if (!recorded(h, p->hub_scores[c]) ||
            differ(h, snap->scores[c], tol, t)) {
            gvt_buf_printf(&m,
                           "the hub recorded a score of %.40s for choice "
                           "%u; the recount under Snapshot's rules gives ",
                           p->hub_scores[c], c + 1);
            gvt_fx_append(&m, snap->scores[c], GVT_OUT_DIGITS);
        }
    }
    if (!m.len && p->hub_scores_total &&
        (!recorded(h, p->hub_scores_total) || differ(h, snap->total, tol, t))) {
        gvt_buf_printf(&m,
                       "the hub recorded a scores_total of %.40s; the "
                       "recount under Snapshot's rules gives ",
                       p->hub_scores_total);
        gvt_fx_append(&m, snap->total, GVT_OUT_DIGITS);
    }
    if (m.len)
        add(r, "hub-scores", &m);
    mpz_clears(h, tol, t, NULL);
}

/* "2023-11-14 22:13:20 UTC" */
static void active(gvt_result *r, long long now)
{
    const gvt_proposal *p = r->p;
    gvt_buf m;
    gvt_buf_init(&m);
    if (strcmp(p->state, "active") == 0 || strcmp(p->state, "pending") == 0) {
        gvt_buf_printf(&m,
                       "the proposal was still %s when it was exported "
                       "(state \"%s\"): more ballots may come",
                       p->state[0] == 'a' ? "open" : "to open", p->state);
    } else if (!p->state[0] && now > 0 && p->end != INT64_MIN && p->end > now) {
        gvt_buf_puts(&m, "the proposal ends ");
        gvt_time_put(&m, p->end, true);
        gvt_buf_puts(&m, ", after the time of the tally (");
        gvt_time_put(&m, now, true);
        gvt_buf_puts(&m, "): more ballots may come");
        r->clock_used = now; /* the result depends on the clock */
    }
    if (m.len)
        add(r, "active", &m);
}

void gvt_result_warnings_make(gvt_result *r, const gvt_scheme_result *snap,
                              long long now)
{
    const gvt_proposal *p = r->p;
    gvt_ballot_counts n = p->counts;
    size_t standing = n.read - n.duplicate;
    gvt_buf m;
    gvt_buf_init(&m);
    if (2 * n.invalid_choice > standing) {
        gvt_buf_printf(&m,
                       "%zu of the %zu ballots (duplicates aside) have an "
                       "invalid choice and are not counted",
                       n.invalid_choice, standing);
        add(r, "invalid-majority", &m);
    }
    if (p->zero_choice) {
        gvt_buf_printf(&m,
                       "%zu ballot%s name%s choice 0, which no proposal has "
                       "(choices are numbered from 1): the export may "
                       "number its choices from 0",
                       p->zero_choice, p->zero_choice == 1 ? "" : "s",
                       p->zero_choice == 1 ? "s" : "");
        add(r, "choice-zero", &m);
    }
    hub_scores(r, snap);
    active(r, now);
}

void gvt_result_warnings_free(gvt_result *r)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i].message);
    r->n_warnings = 0;
}

GVT_API size_t gvt_result_warning_count(const gvt_result *r)
{
    return r->n_warnings;
}

GVT_API const char *gvt_result_warning_code(const gvt_result *r, size_t i)
{
    return i < r->n_warnings ? r->warnings[i].code : NULL;
}

GVT_API const char *gvt_result_warning(const gvt_result *r, size_t i)
{
    return i < r->n_warnings ? r->warnings[i].message : NULL;
}
