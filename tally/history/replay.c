/*
 * replay.c: many proposals, one summary row each
 * (docs/formats.md#replay-summary).
 *
 * Folders are listed first (sorted names) into a list of files. Then two
 * phases run on a pool of threads that take items by an atomic counter:
 * phase 1 reads each file and cuts it into top-level JSON documents (so JSON
 * Lines and concatenated exports need no line discipline), or imports it in
 * memory when it is CSV (import.c); the files' documents are then gathered
 * in input order into jobs. Phase 2 reads each job's document, runs
 * gvt_tally_run and formats the row into the job's own buffer. Rows are
 * written afterwards in job order, so the output is byte-identical whatever
 * the number of threads: no row depends on another or on timing.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "history/summary.h"
#include "outcome/outcome.h"

typedef struct job {
    const char *file; /* input name (owned by the job list's names) */
    const char *data; /* document bytes (borrowed from a source or doc) */
    size_t len;
    long long base_offset; /* of the document in its file */
    long base_line;        /* 1-based line where it starts; 0 unknown */
    gvt_buf doc;           /* owned document (CSV import), else empty */
    gvt_error *err;        /* the job's failure (malloc'd), else NULL; set
                              before phase 2 when known early */
    char *failed_id;       /* the proposal id read before a failure, or NULL */

    /* results */
    gvt_buf row;
    gvt_status status;
    size_t ballots;
    uint32_t flips;
    bool whale_veto, single_voter;
    gvt_row_outcome outcome;
} job;

typedef struct joblist {
    job *v;
    size_t n, cap;
} joblist;

/* One input file (or unreadable folder) and the jobs it gives. */
typedef struct slot {
    char *name;     /* owned */
    gvt_error *err; /* a folder that cannot be listed, else NULL */
    joblist jobs;
    char *source; /* the whole JSON file the jobs point into, owned */
} slot;

typedef struct replay {
    const gvt_replay_options *opt;
    const gvt_rule_options *rule;
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    slot *slots;
    size_t n_slots, cap_slots;
    job *jobs; /* every slot's jobs, in order */
    size_t n_jobs;
    int phase; /* 1: loading slots, 2: tallying jobs */
    atomic_size_t next;
    atomic_size_t done;
} replay;

static job *job_add(joblist *l, const char *file)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = gvt_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    job *j = &l->v[l->n++];
    memset(j, 0, sizeof *j);
    j->file = file;
    gvt_buf_init(&j->doc);
    gvt_buf_init(&j->row);
    return j;
}

static slot *slot_add(replay *rp, const char *name)
{
    if (rp->n_slots == rp->cap_slots) {
        rp->cap_slots = rp->cap_slots ? rp->cap_slots * 2 : 16;
        rp->slots = gvt_xrealloc(rp->slots, rp->cap_slots * sizeof *rp->slots);
    }
    slot *sl = &rp->slots[rp->n_slots++];
    memset(sl, 0, sizeof *sl);
    sl->name = gvt_xstrdup(name);
    return sl;
}

/* ---- phase 1: inputs into jobs ------------------------------------------- */

/*
 * Cuts a file into its top-level JSON values by tracking bracket depth
 * outside strings. This only finds the boundaries; the reader judges each
 * piece, so a malformed piece fails alone (an unbalanced one runs to the end
 * of the file and fails there). Blank space between values is skipped.
 */
static void split_json(joblist *jl, const char *file, const char *d, size_t len)
{
    size_t i = 0;
    long line = 1;
    size_t count = 0;
    for (;;) {
        while (i < len &&
               (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) {
            if (d[i] == '\n')
                line++;
            i++;
        }
        if (i >= len)
            break;
        size_t start = i;
        long start_line = line;
        int depth = 0;
        bool in_str = false, esc = false;
        for (; i < len; i++) {
            char c = d[i];
            if (c == '\n')
                line++;
            if (in_str) {
                if (esc)
                    esc = false;
                else if (c == '\\')
                    esc = true;
                else if (c == '"')
                    in_str = false;
                continue;
            }
            if (c == '"')
                in_str = true;
            else if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth <= 0) {
                    i++;
                    break;
                }
            } else if (depth == 0 && (c == '\n')) {
                /* a bare scalar or garbage: up to the end of its line */
                i++;
                break;
            }
        }
        job *j = job_add(jl, file);
        j->data = d + start;
        j->len = i - start;
        j->base_offset = (long long)start;
        j->base_line = start_line;
        count++;
    }
    if (count == 0) {
        job *j = job_add(jl, file);
        j->err = gvt_xmalloc(sizeof *j->err);
        gvt_error_set(j->err, GVT_ERR_DATA, file, "no document in the file");
    }
}

/* Phase 1, one slot: its file read and cut into documents, or imported. */
static void load_slot(const replay *rp, slot *sl)
{
    const char *file = sl->name;
    joblist *jl = &sl->jobs;
    if (sl->err) {
        job *j = job_add(jl, file);
        j->err = sl->err;
        sl->err = NULL;
        return;
    }
    if (rp->opt->from && !gvt_is_json_name(file)) {
        gvt_buf *docs;
        size_t n;
        gvt_error e;
        if (gvt_import_docs(file, rp->opt->from, &docs, &n, NULL, &e)) {
            job *j = job_add(jl, file);
            j->err = gvt_xmalloc(sizeof *j->err);
            *j->err = e;
            if (!j->err->code)
                j->err->code = GVT_ERR_INTERNAL;
            return;
        }
        for (size_t i = 0; i < n; i++) {
            job *j = job_add(jl, file);
            j->doc = docs[i];
            j->data = j->doc.data;
            j->len = j->doc.len;
            j->base_offset = -1;
        }
        free(docs);
        return;
    }
    size_t len;
    gvt_error e;
    if (gvt_file_read(file, false, GVT_LIMIT_HISTORY_BYTES, &sl->source, &len,
                      &e) != GVT_OK) {
        job *j = job_add(jl, file);
        j->err = gvt_xmalloc(sizeof *j->err);
        *j->err = e;
        return;
    }
    split_json(jl, file, sl->source, len);
}

static bool wanted(const char *name, void *ctx)
{
    const replay *rp = ctx;
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    return gvt_is_json_name(name) ||
           (rp->opt->from && strcmp(dot, ".csv") == 0);
}

static void add_input(replay *rp, const char *path, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
        !S_ISDIR(sb.st_mode)) {
        slot_add(rp, path);
        return;
    }
    char **list;
    size_t n;
    if (depth >= 16 || !gvt_folder_list(path, wanted, rp, &list, &n)) {
        slot *sl = slot_add(rp, path);
        sl->err = gvt_xmalloc(sizeof *sl->err);
        gvt_error_set(sl->err, GVT_ERR_NOINPUT, path,
                      "cannot open the folder: %s",
                      depth < 16 ? strerror(errno) : "nested too deep");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        add_input(rp, list[i], depth + 1);
        free(list[i]);
    }
    free(list);
}

/* ---- phase 2: one row per job -------------------------------------------- */

/* A CSV field, quoted when it holds a comma, quote or line break. */
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

static void row_json(const replay *rp, const job *j, const gvt_result *r,
                     gvt_buf *b)
{
    const gvt_proposal *p = gvt_result_proposal(r);
    gvt_buf_puts(b, "{\"proposal\": ");
    gvt_buf_json_string(b, gvt_proposal_id(p));
    gvt_buf_puts(b, ", \"space\": ");
    gvt_buf_json_string(b, gvt_proposal_space(p));
    gvt_buf_printf(b, ", \"type\": \"%s\", \"input\": ",
                   gvt_type_name(gvt_proposal_type(p)));
    gvt_buf_json_string(b, j->file);
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

static void row_error(const replay *rp, job *j)
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
        gvt_buf_json_string(b, j->file);
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

static void run_job(replay *rp, job *j)
{
    if (j->err) {
        j->status = j->err->code;
        row_error(rp, j);
        return;
    }
    gvt_proposal *p = NULL;
    gvt_result *r = NULL;
    gvt_error e;
    gvt_error_clear(&e);
    /* One thread per proposal: the pool is the parallelism. */
    gvt_read_options ropt = {.threads = 1};
    char pid[256];
    gvt_status st = gvt_proposal_read_mem_id(j->file, j->data, j->len, &ropt,
                                             &p, &e, pid, sizeof pid);
    if (st && pid[0])
        j->failed_id = gvt_xstrdup(pid);
    if (st) {
        /* the reader counted from the start of the piece */
        if (j->base_offset >= 0 && e.offset >= 0)
            e.offset += j->base_offset;
        if (j->base_line > 0 && e.line > 0)
            e.line += j->base_line - 1;
        else if (j->base_line > 0)
            e.line = j->base_line; /* at least the document's first line */
    } else {
        gvt_tally_options topt = {.schemes = rp->schemes,
                                  .n_schemes = rp->n_schemes,
                                  .cap = rp->opt->cap,
                                  .attestations = rp->opt->attestations,
                                  .trust = rp->opt->trust,
                                  .threads = 1};
        st = gvt_tally_run_rule(p, &topt, rp->rule, &r, &e);
        if (st && !e.file[0])
            snprintf(e.file, sizeof e.file, "%s", j->file);
    }
    if (st) {
        j->status = st;
        j->err = gvt_xmalloc(sizeof *j->err);
        *j->err = e;
        row_error(rp, j);
    } else {
        j->ballots = gvt_proposal_ballot_counts(p).read;
        for (int s = 0; s < GVT_SCHEME_COUNT; s++)
            if (flipped(r, (gvt_scheme)s))
                j->flips |= 1u << s;
        j->whale_veto = gvt_result_whale_veto(r);
        j->single_voter = gvt_result_single_voter_dominates(r);
        gvt_row_outcome_set(&j->outcome, r);
        if (rp->opt->format == GVT_FORMAT_JSON)
            row_json(rp, j, r, &j->row);
        else
            row_csv(rp, r, &j->row);
    }
    gvt_result_free(r);
    gvt_proposal_free(p);
    gvt_buf_free(&j->doc);
    j->data = NULL;
}

/* Both phases share one pool (gvt_workers_run): items are taken by an
 * atomic counter, so each is done once, by whichever thread comes first.
 * The calling thread (k = 0) works too, and reports the progress between
 * its items, at most every 200 ms. */
static size_t phase_items(const replay *rp)
{
    return rp->phase == 1 ? rp->n_slots : rp->n_jobs;
}

static const char *phase_name(const replay *rp)
{
    return rp->phase == 1 ? "files read" : "proposals";
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pool_share(void *arg, unsigned k)
{
    replay *rp = arg;
    size_t n = phase_items(rp);
    FILE *progress = k == 0 ? rp->opt->progress : NULL;
    double last = progress ? seconds() : 0;
    for (;;) {
        size_t i = atomic_fetch_add(&rp->next, 1);
        if (i >= n)
            break;
        if (rp->phase == 1)
            load_slot(rp, &rp->slots[i]);
        else
            run_job(rp, &rp->jobs[i]);
        atomic_fetch_add(&rp->done, 1);
        if (progress && seconds() - last >= 0.2) {
            fprintf(progress, "\rreplay: %zu/%zu %s", atomic_load(&rp->done), n,
                    phase_name(rp));
            fflush(progress);
            last = seconds();
        }
    }
}

static void run_phase(replay *rp, int phase)
{
    rp->phase = phase;
    atomic_store(&rp->next, 0);
    atomic_store(&rp->done, 0);
    size_t items = phase_items(rp);
    gvt_workers_run(gvt_workers_count(rp->opt->threads, items), pool_share, rp);
    if (rp->opt->progress) {
        fprintf(rp->opt->progress, "\rreplay: %zu/%zu %s\n", items, items,
                phase_name(rp));
        fflush(rp->opt->progress);
    }
}

/* The slots' jobs, in slot order, into one array. */
static void gather_jobs(replay *rp)
{
    size_t n = 0;
    for (size_t i = 0; i < rp->n_slots; i++)
        n += rp->slots[i].jobs.n;
    rp->jobs = gvt_xcalloc(n ? n : 1, sizeof *rp->jobs);
    for (size_t i = 0; i < rp->n_slots; i++) {
        joblist *jl = &rp->slots[i].jobs;
        if (jl->n)
            memcpy(rp->jobs + rp->n_jobs, jl->v, jl->n * sizeof *jl->v);
        rp->n_jobs += jl->n;
        free(jl->v);
        jl->v = NULL;
        jl->n = jl->cap = 0;
    }
}

/* ---- output -------------------------------------------------------------- */

static void write_all(replay *rp, gvt_buf *b)
{
    size_t tallied = 0, veto = 0, single = 0;
    size_t flips[GVT_SCHEME_COUNT] = {0};
    for (size_t i = 0; i < rp->n_jobs; i++) {
        const job *j = &rp->jobs[i];
        if (j->status)
            continue;
        tallied++;
        veto += j->whale_veto;
        single += j->single_voter;
        for (int s = 0; s < GVT_SCHEME_COUNT; s++)
            flips[s] += (j->flips >> s) & 1u;
    }
    if (rp->opt->format == GVT_FORMAT_JSON) {
        gvt_buf_puts(b, "{\"format\": \"gvt-replay/1\", \"proposals\": [");
        for (size_t i = 0; i < rp->n_jobs; i++) {
            gvt_buf_puts(b, i ? ",\n " : "\n ");
            gvt_buf_add(b, rp->jobs[i].row.data, rp->jobs[i].row.len);
        }
        gvt_buf_printf(b,
                       "],\n \"summary\": {\"proposals\": %zu, \"errors\": "
                       "%zu, \"flips\": {",
                       tallied, rp->n_jobs - tallied);
        int k = 0;
        for (size_t i = 0; i < rp->n_schemes; i++) {
            if (rp->schemes[i] == GVT_SCHEME_TOKEN)
                continue;
            gvt_buf_printf(b, "%s\"%s\": %zu", k++ ? ", " : "",
                           gvt_scheme_name(rp->schemes[i]),
                           flips[rp->schemes[i]]);
        }
        gvt_buf_printf(b,
                       "}, \"whale_veto\": %zu, \"single_voter_dominates\": "
                       "%zu",
                       veto, single);
        gvt_row_outcome *rows = gvt_xmalloc((tallied + 1) * sizeof *rows);
        size_t m = 0;
        for (size_t i = 0; i < rp->n_jobs; i++)
            if (!rp->jobs[i].status)
                rows[m++] = rp->jobs[i].outcome;
        gvt_replay_json_summary(b, rows, m, rp->schemes, rp->n_schemes);
        free(rows);
        gvt_buf_puts(b, "}}\n");
        return;
    }
    gvt_buf_puts(b, "proposal,space,type,ballots,counted,token_winners");
    for (size_t i = 0; i < rp->n_schemes; i++)
        if (rp->schemes[i] != GVT_SCHEME_TOKEN)
            gvt_buf_printf(b, ",%s_winners", gvt_scheme_name(rp->schemes[i]));
    gvt_buf_puts(b, ",flips,nakamoto,gini,hhi,top1_share,decisive_k,"
                    "single_voter_dominates,whale_veto,error");
    gvt_replay_csv_outcome_header(b, rp->schemes, rp->n_schemes);
    gvt_buf_putc(b, '\n');
    for (size_t i = 0; i < rp->n_jobs; i++)
        gvt_buf_add(b, rp->jobs[i].row.data, rp->jobs[i].row.len);
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
    atomic_init(&rp.next, 0);
    atomic_init(&rp.done, 0);
    for (int s = 0; s < GVT_SCHEME_COUNT; s++) {
        bool person = s == GVT_SCHEME_PERSONHOOD ||
                      s == GVT_SCHEME_QUADRATIC_PERSONHOOD ||
                      s == GVT_SCHEME_CAPPED_PERSONHOOD;
        if (opt->attestations || !person)
            rp.schemes[rp.n_schemes++] = (gvt_scheme)s;
    }
    for (size_t i = 0; i < n_inputs; i++)
        add_input(&rp, inputs[i], 0);
    run_phase(&rp, 1);
    gather_jobs(&rp);
    run_phase(&rp, 2);

    gvt_buf b;
    gvt_buf_init(&b);
    write_all(&rp, &b);
    gvt_status rc = GVT_OK;
    size_t failed = 0, ballots = 0;
    for (size_t i = 0; i < rp.n_jobs; i++) {
        const job *j = &rp.jobs[i];
        ballots += j->ballots;
        if (!j->status)
            continue;
        failed++;
        /* the first failure is reported; 66 outranks 65 */
        if (rc == GVT_OK ||
            (j->status == GVT_ERR_NOINPUT && rc != GVT_ERR_NOINPUT)) {
            if (err)
                *err = *j->err;
            rc = j->status == GVT_ERR_NOINPUT ? GVT_ERR_NOINPUT : GVT_ERR_DATA;
        }
    }
    if (fwrite(b.data, 1, b.len, out) != b.len) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the replay: %s", strerror(errno));
        rc = GVT_ERR_CANTCREAT;
    }
    if (out_stats) {
        out_stats->proposals = rp.n_jobs;
        out_stats->failed = failed;
        out_stats->ballots = ballots;
    }
    gvt_buf_free(&b);
    for (size_t i = 0; i < rp.n_jobs; i++) {
        gvt_buf_free(&rp.jobs[i].doc);
        gvt_buf_free(&rp.jobs[i].row);
        gvt_row_outcome_free(&rp.jobs[i].outcome);
        free(rp.jobs[i].err);
        free(rp.jobs[i].failed_id);
    }
    free(rp.jobs);
    for (size_t i = 0; i < rp.n_slots; i++) {
        free(rp.slots[i].name);
        free(rp.slots[i].source);
        free(rp.slots[i].err);
    }
    free(rp.slots);
    return rc;
}
