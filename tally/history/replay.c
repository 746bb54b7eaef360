/*
 * replay.c: many proposals, one summary row each
 * (docs/formats.md#replay-summary).
 *
 * The pipeline (pipeline.c) reads the inputs as streams and runs each
 * document on a pool of threads: run_job reads it, runs gvt_tally_run and
 * formats the row into the job's own buffer; emit_row writes the rows in
 * input order as they come and keeps the summary's counts, so the output
 * is byte-identical whatever the number of threads, and memory holds only
 * the proposals in flight. A JSON summary ends with its audit record
 * (record.c), whose digest covers the summary's canonical form, hashed as
 * the summary is written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "history/summary.h"
#include "outcome/outcome.h"
#include "result/result.h"

/* Documents up to this size (about 5,000 votes) are tallied with small GMP
 * blocks kept for reuse (gvt_gmp_cache_use); larger ones without, which
 * saves them 11 MiB of peak memory on the history of bench/history.sh at
 * 0.1 and costs them nothing measurable. */
#define CACHE_DOC_BYTES (1u << 20)

/* What a document gives: its row and what the summary counts. */
typedef struct job {
    gvt_buf row;
    gvt_status status;
    gvt_error *err;  /* the failure (malloc'd), else NULL */
    char *failed_id; /* the proposal id read before a failure, or NULL */
    size_t ballots;
    uint32_t flips;
    bool whale_veto, single_voter;
    gvt_row_outcome outcome;
} job;

typedef struct replay {
    const gvt_replay_options *opt;
    const gvt_rule_options *rule;
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    FILE *out;
    bool write_failed;
    int write_errno; /* errno of the failed write */
    /* the summary, counted as rows are written */
    size_t rows, tallied, veto, single, ballots;
    size_t flips[GVT_SCHEME_COUNT];
    gvt_status rc;
    gvt_error first; /* the failure reported */
    gvt_outcome_summary *summary;
    /* JSON: the summary's canonical form hashed as it is written, and the
     * inputs the pipeline read (docs/audit.md) */
    gvt_canon *canon;
    gvt_digest digest;
    gvt_inputs inputs;
    const char *table_name;
} replay;

/* ---- one row per document ---------------------------------------------- */

/* Text from the inputs (ids, spaces, errors) as a safe CSV cell. */
static void csv_field(gvt_buf *b, const char *s)
{
    gvt_csv_cell(b, s);
}

/* The winners of scheme s in r ("" or "[]" when s was not tallied). */
static const uint32_t *winners_of(const gvt_result *r, gvt_scheme s, size_t *n)
{
    int i = gvt_result_scheme_index(r, s);
    *n = 0;
    return i < 0 ? NULL : gvt_result_winners(r, (size_t)i, n);
}

static void winners_csv(gvt_buf *b, const gvt_result *r, gvt_scheme s)
{
    size_t n;
    const uint32_t *w = winners_of(r, s, &n);
    for (size_t i = 0; i < n; i++)
        gvt_buf_printf(b, "%s%u", i ? "|" : "", w[i]);
}

static void winners_json(gvt_buf *b, const gvt_result *r, gvt_scheme s)
{
    size_t n;
    const uint32_t *w = winners_of(r, s, &n);
    gvt_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        gvt_buf_printf(b, "%s%u", i ? ", " : "", w[i]);
    gvt_buf_putc(b, ']');
}

/* Whether scheme s was tallied and disagrees with the token result. */
static bool flipped(const gvt_result *r, gvt_scheme s)
{
    int i = gvt_result_scheme_index(r, s);
    return i >= 0 && gvt_result_flipped(r, (size_t)i);
}

static void row_csv(const replay *rp, const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    gvt_ballot_counts n = gvt_proposal_ballot_counts(p);
    csv_field(b, gvt_proposal_id(p));
    gvt_buf_putc(b, ',');
    csv_field(b, gvt_proposal_space(p));
    gvt_buf_printf(b, ",%s,%zu,%zu,", gvt_type_name(gvt_proposal_type(p)),
                   n.read, n.counted);
    winners_csv(b, r, GVT_SCHEME_TOKEN);
    for (size_t i = 0; i < rp->n_schemes; i++) {
        if (rp->schemes[i] == GVT_SCHEME_TOKEN)
            continue;
        gvt_buf_putc(b, ',');
        winners_csv(b, r, rp->schemes[i]);
    }
    gvt_buf_putc(b, ',');
    int k = 0;
    for (int s = 0; s < GVT_SCHEME_COUNT; s++)
        if (flipped(r, (gvt_scheme)s))
            gvt_buf_printf(b, "%s%s", k++ ? "|" : "",
                           gvt_scheme_name((gvt_scheme)s));
    gvt_buf_printf(b, ",%zu,%s,%s,%s,", gvt_result_nakamoto(r),
                   gvt_result_gini(r), gvt_result_hhi(r),
                   gvt_result_top1_share(r));
    long dk = gvt_result_decisive_k(r);
    if (dk >= 0)
        gvt_buf_printf(b, "%ld", dk);
    gvt_buf_printf(b, ",%s,%s,",
                   gvt_result_single_voter_dominates(r) ? "true" : "false",
                   gvt_result_whale_veto(r) ? "true" : "false");
    gvt_replay_csv_outcome(b, r, rp->schemes, rp->n_schemes);
    gvt_buf_putc(b, '\n');
}

static void row_json(const replay *rp, const gvt_doc *d, const gvt_result *r,
                     gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    gvt_buf_puts(b, "{\"proposal\": ");
    gvt_buf_json_string(b, gvt_proposal_id(p));
    gvt_buf_puts(b, ", \"space\": ");
    gvt_buf_json_string(b, gvt_proposal_space(p));
    gvt_buf_printf(b, ", \"type\": \"%s\", \"input\": ",
                   gvt_type_name(gvt_proposal_type(p)));
    gvt_buf_json_string(b, d->file);
    gvt_buf_puts(b, ", \"ballots\": ");
    gvt_report_json_ballots(p, b);
    gvt_buf_puts(b, ", \"winners\": {");
    for (size_t i = 0; i < rp->n_schemes; i++) {
        gvt_buf_printf(b, "%s\"%s\": ", i ? ", " : "",
                       gvt_scheme_name(rp->schemes[i]));
        winners_json(b, r, rp->schemes[i]);
    }
    gvt_buf_printf(b,
                   "}, \"whales\": {\"voters\": %zu, \"nakamoto\": %zu, "
                   "\"gini\": \"%s\", \"hhi\": \"%s\", \"top1_share\": \"%s\", "
                   "\"top10_share\": \"%s\"",
                   gvt_result_voters(r), gvt_result_nakamoto(r),
                   gvt_result_gini(r), gvt_result_hhi(r),
                   gvt_result_top1_share(r), gvt_result_top10_share(r));
    gvt_buf_printf(b, ", \"single_voter_dominates\": %s, \"decisive_k\": ",
                   gvt_result_single_voter_dominates(r) ? "true" : "false");
    long dk = gvt_result_decisive_k(r);
    if (dk >= 0)
        gvt_buf_printf(b, "%ld", dk);
    else
        gvt_buf_puts(b, "null");
    gvt_buf_puts(b, ", \"flips\": [");
    int k = 0;
    for (int s = 0; s < GVT_SCHEME_COUNT; s++)
        if (flipped(r, (gvt_scheme)s))
            gvt_buf_printf(b, "%s\"%s\"", k++ ? ", " : "",
                           gvt_scheme_name((gvt_scheme)s));
    gvt_buf_printf(b, "], \"whale_veto\": %s}",
                   gvt_result_whale_veto(r) ? "true" : "false");
    gvt_replay_json_outcome(b, r, rp->schemes, rp->n_schemes);
    gvt_buf_putc(b, '}');
}

static void row_error(const replay *rp, const gvt_doc *d, job *j)
{
    char msg[1024];
    gvt_error_format(j->err, msg, sizeof msg);
    gvt_buf *b = &j->row;
    if (rp->opt->format == GVT_FORMAT_JSON) {
        gvt_buf_puts(b, "{\"proposal\": ");
        if (j->failed_id)
            gvt_buf_json_string(b, j->failed_id);
        else
            gvt_buf_puts(b, "null");
        gvt_buf_puts(b, ", \"input\": ");
        gvt_buf_json_string(b, d->file);
        gvt_buf_printf(
            b, ", \"error\": {\"code\": %d, \"message\": ", (int)j->err->code);
        gvt_buf_json_string(b, msg);
        gvt_buf_puts(b, "}}");
        return;
    }
    /* proposal,space,type,ballots,counted,<winners>...,flips and five
     * whale columns, two flags, then the error */
    size_t empty = 5 + rp->n_schemes + 1 + 5 + 2;
    if (j->failed_id)
        csv_field(b, j->failed_id);
    for (size_t i = 0; i < empty; i++)
        gvt_buf_putc(b, ',');
    csv_field(b, msg);
    gvt_replay_csv_outcome(b, NULL, rp->schemes, rp->n_schemes);
    gvt_buf_putc(b, '\n');
}

/* pipeline run: one document into its row (any thread). */
static void run_job(void *ctx, gvt_doc *d, void *result)
{
    const replay *rp = ctx;
    job *j = result;
    gvt_buf_init(&j->row);
    if (d->err) {
        j->status = d->err->code;
        j->err = gvt_xmalloc(sizeof *j->err);
        *j->err = *d->err;
        row_error(rp, d, j);
        return;
    }
    gvt_gmp_cache_use(d->text.len <= CACHE_DOC_BYTES);
    gvt_proposal *p = NULL;
    gvt_result *r = NULL;
    gvt_error e;
    gvt_error_clear(&e);
    /* One thread per proposal: the pool is the parallelism. */
    gvt_read_options ropt = {.threads = 1};
    char pid[256];
    gvt_status st = gvt_proposal_read_mem_id(d->file, d->text.data, d->text.len,
                                             &ropt, &p, &e, pid, sizeof pid);
    if (st && pid[0])
        j->failed_id = gvt_xstrdup(pid);
    gvt_buf_free(&d->text); /* the proposal holds what it needs */
    if (st) {
        /* the reader counted from the start of the piece */
        if (d->base_offset >= 0 && e.offset >= 0)
            e.offset += d->base_offset;
        if (d->base_line > 0 && e.line > 0)
            e.line += d->base_line - 1;
        else if (d->base_line > 0)
            e.line = d->base_line; /* at least the document's first line */
    } else {
        gvt_tally_options topt = {.schemes = rp->schemes,
                                  .n_schemes = rp->n_schemes,
                                  .cap = rp->opt->cap,
                                  .attestations = rp->opt->attestations,
                                  .trust = rp->opt->trust,
                                  .threads = 1};
        /* the row's figures only: no power indices, no scores as text */
        st = gvt_tally_run_figures(p, &topt, rp->rule, GVT_FIGURES_SUMMARY, &r,
                                   &e);
        if (st && !e.file[0])
            snprintf(e.file, sizeof e.file, "%s", d->file);
    }
    if (st) {
        j->status = st;
        j->err = gvt_xmalloc(sizeof *j->err);
        *j->err = e;
        row_error(rp, d, j);
    } else {
        j->ballots = gvt_proposal_ballot_counts(p).read;
        for (int s = 0; s < GVT_SCHEME_COUNT; s++)
            if (flipped(r, (gvt_scheme)s))
                j->flips |= 1u << s;
        j->whale_veto = gvt_result_whale_veto(r);
        j->single_voter = gvt_result_single_voter_dominates(r);
        gvt_row_outcome_set(&j->outcome, r);
        if (rp->opt->format == GVT_FORMAT_JSON)
            row_json(rp, d, r, &j->row);
        else
            row_csv(rp, r, &j->row);
    }
    gvt_result_free(r);
    gvt_proposal_free(p);
}

/* ---- output -------------------------------------------------------------- */

static void put_raw(replay *rp, const char *s, size_t n)
{
    if (!rp->write_failed && n && fwrite(s, 1, n, rp->out) != n) {
        rp->write_failed = true;
        rp->write_errno = errno;
    }
}

/* Writes and, for JSON, hashes (the canonical form, core/canon.c). */
static void put(replay *rp, const char *s, size_t n)
{
    if (rp->canon)
        gvt_canon_feed(rp->canon, s, n);
    put_raw(rp, s, n);
}

static void to_digest(void *ctx, const void *data, size_t n)
{
    gvt_digest_add(ctx, data, n);
}

static void write_head(replay *rp)
{
    gvt_buf b;
    gvt_buf_init(&b);
    if (rp->opt->format == GVT_FORMAT_JSON) {
        gvt_buf_puts(&b, "{\"format\": \"gvt-replay/1\", \"proposals\": [");
    } else {
        gvt_buf_puts(&b, "proposal,space,type,ballots,counted,token_winners");
        for (size_t i = 0; i < rp->n_schemes; i++)
            if (rp->schemes[i] != GVT_SCHEME_TOKEN)
                gvt_buf_printf(&b, ",%s_winners",
                               gvt_scheme_name(rp->schemes[i]));
        gvt_buf_puts(&b, ",flips,nakamoto,gini,hhi,top1_share,decisive_k,"
                         "single_voter_dominates,whale_veto,error");
        gvt_replay_csv_outcome_header(&b, rp->schemes, rp->n_schemes);
        gvt_buf_putc(&b, '\n');
    }
    put(rp, b.data, b.len);
    gvt_buf_free(&b);
}

/* pipeline emit: the rows in input order, the summary's counts. */
static void emit_row(void *ctx, const gvt_doc *d, void *result)
{
    replay *rp = ctx;
    job *j = result;
    (void)d;
    if (rp->opt->format == GVT_FORMAT_JSON)
        put(rp, rp->rows ? ",\n " : "\n ", rp->rows ? 3 : 2);
    put(rp, j->row.data, j->row.len);
    rp->rows++;
    rp->ballots += j->ballots;
    if (j->status) {
        /* the first failure is reported; 66 outranks 65 */
        if (rp->rc == GVT_OK ||
            (j->status == GVT_ERR_NOINPUT && rp->rc != GVT_ERR_NOINPUT)) {
            rp->first = *j->err;
            rp->rc =
                j->status == GVT_ERR_NOINPUT ? GVT_ERR_NOINPUT : GVT_ERR_DATA;
        }
    } else {
        rp->tallied++;
        rp->veto += j->whale_veto;
        rp->single += j->single_voter;
        for (int s = 0; s < GVT_SCHEME_COUNT; s++)
            rp->flips[s] += (j->flips >> s) & 1u;
        gvt_outcome_summary_add(rp->summary, &j->outcome);
    }
    gvt_row_outcome_free(&j->outcome);
    gvt_buf_free(&j->row);
    free(j->err);
    free(j->failed_id);
}

static void write_tail(replay *rp)
{
    if (rp->opt->format != GVT_FORMAT_JSON)
        return;
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_printf(&b,
                   "],\n \"summary\": {\"proposals\": %zu, \"errors\": "
                   "%zu, \"flips\": {",
                   rp->tallied, rp->rows - rp->tallied);
    int k = 0;
    for (size_t i = 0; i < rp->n_schemes; i++) {
        if (rp->schemes[i] == GVT_SCHEME_TOKEN)
            continue;
        gvt_buf_printf(&b, "%s\"%s\": %zu", k++ ? ", " : "",
                       gvt_scheme_name(rp->schemes[i]),
                       rp->flips[rp->schemes[i]]);
    }
    gvt_buf_printf(&b,
                   "}, \"whale_veto\": %zu, \"single_voter_dominates\": "
                   "%zu",
                   rp->veto, rp->single);
    gvt_outcome_summary_json(&b, rp->summary, rp->schemes, rp->n_schemes);
    gvt_buf_putc(&b, '}');
    gvt_replay_record rec = {
        &rp->inputs, rp->opt->attestations, rp->opt->trust,
        rp->schemes, rp->n_schemes,         rp->opt->cap,
        rp->rule,    rp->opt->from,         rp->table_name};
    gvt_replay_audit(&b, &rec);
    /* the digest of everything written, this tail included */
    char hex[65] = "";
    if (gvt_canon_feed(rp->canon, b.data, b.len) && gvt_canon_end(rp->canon))
        gvt_digest_hex(&rp->digest, hex);
    gvt_report_digest_member(&b, hex);
    put_raw(rp, b.data, b.len);
    gvt_buf_free(&b);
}

GVT_API gvt_status gvt_replay_run(const char *const *inputs, size_t n_inputs,
                                  const gvt_replay_options *opt, FILE *out,
                                  gvt_replay_stats *out_stats, gvt_error *err)
{
    return gvt_replay_run_rule(inputs, n_inputs, opt, NULL, out, out_stats,
                               err);
}

GVT_API gvt_status gvt_replay_run_rule(const char *const *inputs,
                                       size_t n_inputs,
                                       const gvt_replay_options *opt,
                                       const gvt_rule_options *rule, FILE *out,
                                       gvt_replay_stats *out_stats,
                                       gvt_error *err)
{
    return gvt_replay_run_as(inputs, NULL, n_inputs, opt, rule, NULL, out,
                             out_stats, err);
}

gvt_status gvt_replay_run_as(const char *const *inputs,
                             const char *const *names, size_t n_inputs,
                             const gvt_replay_options *opt,
                             const gvt_rule_options *rule,
                             const char *table_name, FILE *out,
                             gvt_replay_stats *out_stats, gvt_error *err)
{
    gvt_error_clear(err);
    if (out_stats)
        memset(out_stats, 0, sizeof *out_stats);
    if (gvt_rule_options_check(rule, err) != GVT_OK)
        return GVT_ERR_USAGE;
    if (!opt->attestations != !opt->trust) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "attestations and an issuer trust file go together");
        return GVT_ERR_USAGE;
    }
    if (opt->format != GVT_FORMAT_CSV && opt->format != GVT_FORMAT_JSON) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "replay writes csv or json only");
        return GVT_ERR_USAGE;
    }
    if (n_inputs == 0) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL, "no input");
        return GVT_ERR_USAGE;
    }
    replay rp;
    memset(&rp, 0, sizeof rp);
    rp.opt = opt;
    rp.rule = rule;
    rp.out = out;
    rp.summary = gvt_outcome_summary_new();
    rp.table_name = table_name;
    if (opt->format == GVT_FORMAT_JSON) {
        gvt_digest_init(&rp.digest);
        rp.canon = gvt_canon_new(to_digest, &rp.digest);
    }
    for (int s = 0; s < GVT_SCHEME_COUNT; s++) {
        bool person = s == GVT_SCHEME_PERSONHOOD ||
                      s == GVT_SCHEME_QUADRATIC_PERSONHOOD ||
                      s == GVT_SCHEME_CAPPED_PERSONHOOD;
        if (opt->attestations || !person)
            rp.schemes[rp.n_schemes++] = (gvt_scheme)s;
    }
    write_head(&rp);
    gvt_pipeline pl = {.from = opt->from,
                       .names = names,
                       .inputs = &rp.inputs,
                       .threads = opt->threads,
                       .progress = opt->progress,
                       .result_size = sizeof(job),
                       .ctx = &rp,
                       .run = run_job,
                       .emit = emit_row};
    gvt_pipeline_run(&pl, inputs, n_inputs);
    gvt_gmp_cache_use(false); /* the calling thread's, when it ran jobs */
    write_tail(&rp);
    gvt_status rc = rp.rc;
    if (rc && err)
        *err = rp.first;
    if (!rp.write_failed && fflush(out) != 0) {
        rp.write_failed = true;
        rp.write_errno = errno;
    }
    if (rp.write_failed) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the replay: %s", strerror(rp.write_errno));
        rc = GVT_ERR_CANTCREAT;
    }
    if (out_stats) {
        out_stats->proposals = rp.rows;
        out_stats->failed = rp.rows - rp.tallied;
        out_stats->ballots = rp.ballots;
    }
    gvt_outcome_summary_free(rp.summary);
    gvt_canon_free(rp.canon);
    gvt_inputs_free(&rp.inputs);
    return rc;
}
