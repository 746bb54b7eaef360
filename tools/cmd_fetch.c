/*
 * cmd_fetch.c: `govtally fetch snapshot PROPOSAL_ID [-o FILE]` and
 * `govtally fetch snapshot --space SPACE [--since DATE] [--until DATE]
 * [--state S] [-o FILE] [--resume]` (docs/fetch.md), with the hub's options
 * --hub URL, --rate R, --retries N, --backoff MS, --timeout S and the API key
 * from SNAPSHOT_API_KEY.
 *
 * One proposal goes to an atomic output (cli_output). A space goes to FILE
 * through FILE.partial, appended a whole line at a time and renamed to FILE
 * once every proposal is in; --resume goes on from FILE.partial (or from
 * FILE, to add what is new), keeping its whole lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- progress: votes of the proposal's count (blocks of the range for a
 * governor), rate, time left ---------------------------------------------- */

typedef struct fetch_progress {
    cli_progress pg;
    unsigned long long proposal, proposals; /* in a space listing */
    double t0;                              /* this proposal's start */
} fetch_progress;

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, const char *what, unsigned long long done,
                        unsigned long long total)
{
    fetch_progress *fp = ctx;
    if (strcmp(what, "proposals") == 0) {
        fp->proposal = done;
        fp->proposals = total;
        return;
    }
    if (done == 0)
        fp->t0 = seconds();
    if (!fp->pg.on)
        return;
    double t = seconds();
    if (t - fp->pg.start < 0.5 || (t - fp->pg.last < 0.2 && done < total))
        return;
    fp->pg.last = t;
    fp->pg.shown = true;
    double rate = t > fp->t0 ? (double)done / (t - fp->t0) : 0;
    fputs("\rgovtally: ", stderr);
    if (fp->proposals)
        fprintf(stderr, "proposal %llu of %llu, ", fp->proposal + 1,
                fp->proposals);
    fprintf(stderr, "%s %llu of %llu", what, done, total);
    if (total)
        fprintf(stderr, " (%.0f%%)", 100.0 * (double)done / (double)total);
    fprintf(stderr, ", %.0f/s", rate);
    if (rate > 0 && total > done)
        fprintf(stderr, ", %.0f s left", (double)(total - done) / rate);
    fputs("\033[K", stderr);
    fflush(stderr);
}

/* ---- options ------------------------------------------------------------- */

static int parse_number(const char *opt, const char *s, double lo, double hi,
                        double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi))
        return cli_usage("%s '%s': a number from %g to %g", opt, s, lo, hi);
    *out = v;
    return 0;
}

/* ---- a space through FILE.partial ---------------------------------------- */

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int fetch_space(const gvt_fetch_options *opt, gvt_fetch_space *q,
                       const char *out_path, bool resume)
{
    gvt_error err;
    gvt_error_clear(&err);
    if (!out_path || strcmp(out_path, "-") == 0) {
        if (resume)
            return cli_usage("fetch: --resume needs -o FILE");
        gvt_status s = gvt_fetch_snapshot_space(opt, q, stdout, NULL, &err);
        return s ? cli_fail(&err) : 0;
    }
    size_t len = strlen(out_path);
    char *partial = malloc(len + sizeof ".partial");
    if (!partial)
        abort();
    memcpy(partial, out_path, len);
    memcpy(partial + len, ".partial", sizeof ".partial");
    struct stat sb;
    int rc = 0;
    gvt_fetch_done *done = NULL;
    long long keep = 0;
    FILE *f = NULL;
    if (resume && stat(partial, &sb) != 0 && stat(out_path, &sb) == 0 &&
        copy_file(out_path, partial) != 0) {
        fprintf(stderr, "govtally: %s: cannot copy to %s\n", out_path, partial);
        rc = GVT_ERR_CANTCREAT;
        goto done;
    }
    if (resume && gvt_fetch_done_read(partial, &done, &keep, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    if (resume && stat(partial, &sb) == 0 && truncate(partial, keep) != 0) {
        fprintf(stderr, "govtally: %s: cannot truncate\n", partial);
        rc = GVT_ERR_CANTCREAT;
        goto done;
    }
    f = fopen(partial, resume ? "ab" : "wb");
    if (!f) {
        fprintf(stderr, "govtally: %s: cannot create\n", partial);
        rc = GVT_ERR_CANTCREAT;
        goto done;
    }
    if (done && gvt_fetch_done_count(done))
        fprintf(stderr, "govtally: %s: %zu proposals already complete\n",
                partial, gvt_fetch_done_count(done));
    q->done = done;
    size_t written = 0;
    gvt_status s = gvt_fetch_snapshot_space(opt, q, f, &written, &err);
    bool closed = fclose(f) == 0;
    if (s) {
        rc = cli_fail(&err);
        fprintf(stderr,
                "govtally: %s holds the whole proposals fetched; "
                "--resume goes on from there\n",
                partial);
    } else if (!closed || rename(partial, out_path) != 0) {
        fprintf(stderr, "govtally: %s: cannot write or rename to %s\n", partial,
                out_path);
        rc = GVT_ERR_CANTCREAT;
    } else {
        fprintf(stderr, "govtally: %s: %zu proposals fetched, %zu kept\n",
                out_path, written, gvt_fetch_done_count(done));
    }
done:
    gvt_fetch_done_free(done);
    free(partial);
    return rc;
}

static const char fetch_usage[] =
    "fetch: govtally fetch snapshot PROPOSAL_ID [-o FILE] or govtally fetch "
    "snapshot --space SPACE [--since DATE] [--until DATE] [--state S] "
    "[-o FILE] [--resume], govtally fetch governor --rpc URL --address "
    "GOVERNOR [...], or govtally fetch eas --rpc URL --contract EAS --schema "
    "UID [...]";

/* The options of the HTTP client (every fetch: --rate, --retries,
 * --backoff, --timeout) and of a node's block range (governor, eas). */
typedef struct node_opts {
    const char *rate, *retries, *backoff, *timeout, *from, *to;
} node_opts;

static int http_options(const node_opts *n, gvt_fetch_options *opt)
{
    double v = 0;
    if (n->rate && parse_number("--rate", n->rate, 0, 1000, &opt->rate))
        return GVT_ERR_USAGE;
    if (n->retries && parse_number("--retries", n->retries, 0, 100, &v))
        return GVT_ERR_USAGE;
    opt->retries = n->retries ? (int)v : -1;
    if (n->backoff && parse_number("--backoff", n->backoff, 1, 600000, &v))
        return GVT_ERR_USAGE;
    opt->backoff_ms = n->backoff ? (long)v : 0;
    if (n->timeout && parse_number("--timeout", n->timeout, 1, 86400, &v))
        return GVT_ERR_USAGE;
    opt->timeout_s = n->timeout ? (long)v : 0;
    return 0;
}

/* --from-block and --to-block (a number or latest: -1). */
static int node_blocks(const node_opts *n, long long *from, long long *to)
{
    double v = 0;
    if (n->from && parse_number("--from-block", n->from, 0, 9e15, &v))
        return GVT_ERR_USAGE;
    *from = (long long)v;
    *to = -1;
    if (n->to && strcmp(n->to, "latest") != 0) {
        if (parse_number("--to-block", n->to, 0, 9e15, &v))
            return GVT_ERR_USAGE;
        *to = (long long)v;
    }
    return 0;
}

/* A node's fetch: the library call with its query. */
typedef gvt_status (*node_run)(const gvt_fetch_options *opt, const void *q,
                               FILE *out, size_t *out_n, gvt_error *err);

static gvt_status run_governor(const gvt_fetch_options *opt, const void *q,
                               FILE *out, size_t *out_n, gvt_error *err)
{
    return gvt_fetch_governor_run(opt, q, out, out_n, err);
}

static gvt_status run_eas(const gvt_fetch_options *opt, const void *q,
                          FILE *out, size_t *out_n, gvt_error *err)
{
    return gvt_fetch_eas_run(opt, q, out, out_n, err);
}

/* Runs a node's fetch into out_path (atomic) with the progress line, and
 * says how many `noun` it wrote. */
static int node_fetch(const char *cmd, gvt_fetch_options *opt, node_run run,
                      const void *q, const char *out_path, const char *noun)
{
    fetch_progress fp = {0};
    cli_progress_init(&fp.pg);
    fp.t0 = fp.pg.start;
    opt->progress = on_progress;
    opt->progress_ctx = &fp;
    cli_output out;
    int rc = cli_output_open(&out, out_path);
    if (rc)
        return rc;
    gvt_error err;
    size_t n = 0;
    gvt_status s = run(opt, q, out.f, &n, &err);
    cli_progress_end(&fp.pg);
    if (s) {
        cli_output_abort(&out);
        return s == GVT_ERR_USAGE ? cli_usage("%s: %s", cmd, err.message)
                                  : cli_fail(&err);
    }
    if ((rc = cli_output_commit(&out)))
        return rc;
    fprintf(stderr, "govtally: %zu %s\n", n, noun);
    return 0;
}

static int fetch_governor(int argc, char **argv)
{
    const char *rpc = NULL, *address = NULL, *kind = NULL, *decimals = NULL,
               *out_path = NULL;
    node_opts nopt = {0};
    const cli_opt opts[] = {
        {"-o", "--output", &out_path},      {NULL, "--rpc", &rpc},
        {NULL, "--address", &address},      {NULL, "--from-block", &nopt.from},
        {NULL, "--to-block", &nopt.to},     {NULL, "--kind", &kind},
        {NULL, "--decimals", &decimals},    {NULL, "--rate", &nopt.rate},
        {NULL, "--retries", &nopt.retries}, {NULL, "--backoff", &nopt.backoff},
        {NULL, "--timeout", &nopt.timeout}, {NULL, NULL, NULL}};
    if (cli_parse(argc, argv, opts, NULL))
        return GVT_ERR_USAGE;
    if (!rpc)
        rpc = getenv("ETH_RPC_URL");
    if (!rpc || !*rpc || !address)
        return cli_usage("fetch governor: --rpc URL (or ETH_RPC_URL) and "
                         "--address GOVERNOR are needed");
    gvt_fetch_governor q = {.address = address, .decimals = 18};
    if (node_blocks(&nopt, &q.from_block, &q.to_block))
        return GVT_ERR_USAGE;
    static const char *const kinds[] = {"oz", "bravo", "alpha", "aragon"};
    size_t k = 0;
    while (kind && k < 4 && strcmp(kind, kinds[k]) != 0)
        k++;
    if (k == 4)
        return cli_usage("fetch governor: --kind '%s': oz, bravo, alpha or "
                         "aragon",
                         kind);
    q.kind = (gvt_governor_kind)k;
    if (decimals && cli_parse_decimals(decimals, &q.decimals))
        return GVT_ERR_USAGE;
    gvt_fetch_options opt = {.url = rpc, .rate = 10, .retries = -1};
    if (http_options(&nopt, &opt))
        return GVT_ERR_USAGE;
    return node_fetch("fetch governor", &opt, run_governor, &q, out_path,
                      "proposals");
}

/* `govtally fetch eas`: an EAS schema's on-chain attestations. */
static int fetch_eas(int argc, char **argv)
{
    const char *rpc = NULL, *out_path = NULL;
    gvt_fetch_eas q = {0};
    node_opts nopt = {0};
    const cli_opt opts[] = {
        {"-o", "--output", &out_path},      {NULL, "--rpc", &rpc},
        {NULL, "--contract", &q.contract},  {NULL, "--schema", &q.schema},
        {NULL, "--attester", &q.attester},  {NULL, "--from-block", &nopt.from},
        {NULL, "--to-block", &nopt.to},     {NULL, "--rate", &nopt.rate},
        {NULL, "--retries", &nopt.retries}, {NULL, "--backoff", &nopt.backoff},
        {NULL, "--timeout", &nopt.timeout}, {NULL, NULL, NULL}};
    if (cli_parse(argc, argv, opts, NULL))
        return GVT_ERR_USAGE;
    if (!rpc)
        rpc = getenv("ETH_RPC_URL");
    if (!rpc || !*rpc || !q.contract || !q.schema)
        return cli_usage("fetch eas: --rpc URL (or ETH_RPC_URL), --contract "
                         "EAS and --schema UID are needed");
    gvt_fetch_options opt = {.url = rpc, .rate = 10, .retries = -1};
    if (node_blocks(&nopt, &q.from_block, &q.to_block) ||
        http_options(&nopt, &opt))
        return GVT_ERR_USAGE;
    return node_fetch("fetch eas", &opt, run_eas, &q, out_path, "attestations");
}

int cmd_fetch(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "governor") == 0)
        return fetch_governor(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "eas") == 0)
        return fetch_eas(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "snapshot") != 0)
        return cli_usage("%s", fetch_usage);
    const char *id = NULL, *out_path = NULL, *space = NULL, *since = NULL,
               *until = NULL, *state = NULL, *hub = NULL;
    node_opts nopt = {0};
    bool resume = false;
    const cli_opt opts[] = {{"-o", "--output", &out_path},
                            {NULL, "--space", &space},
                            {NULL, "--since", &since},
                            {NULL, "--until", &until},
                            {NULL, "--state", &state},
                            {NULL, "--hub", &hub},
                            {NULL, "--rate", &nopt.rate},
                            {NULL, "--retries", &nopt.retries},
                            {NULL, "--backoff", &nopt.backoff},
                            {NULL, "--timeout", &nopt.timeout},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc - 1, argv + 1);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (took) {
            if (took < 0)
                return GVT_ERR_USAGE;
        } else if (cli_is(&a, NULL, "--resume")) {
            resume = true;
        } else if (a.positional && !id) {
            id = a.arg;
        } else {
            return cli_unknown(&a);
        }
    }
    if (!id == !space)
        return cli_usage("%s", fetch_usage);
    if (id && (since || until || state || resume))
        return cli_usage("fetch: --since, --until, --state and --resume are "
                         "for --space");
    if (state && strcmp(state, "closed") && strcmp(state, "active") &&
        strcmp(state, "pending"))
        return cli_usage("fetch: --state '%s': closed, active or pending",
                         state);
    gvt_fetch_options opt = {.url = hub, .rate = -1, .retries = -1};
    if (http_options(&nopt, &opt))
        return GVT_ERR_USAGE;
    const char *key = getenv("SNAPSHOT_API_KEY");
    opt.api_key = key && *key ? key : NULL;
    fetch_progress fp = {0};
    cli_progress_init(&fp.pg);
    opt.progress = on_progress;
    opt.progress_ctx = &fp;

    int rc;
    if (space) {
        gvt_fetch_space q = {
            .space = space, .since = -1, .until = -1, .state = state};
        if ((since && cli_time("--since", since, &q.since)) ||
            (until && cli_time("--until", until, &q.until)))
            return GVT_ERR_USAGE;
        rc = fetch_space(&opt, &q, out_path, resume);
        cli_progress_end(&fp.pg);
    } else {
        cli_output out;
        if ((rc = cli_output_open(&out, out_path)))
            return rc;
        gvt_error err;
        gvt_status s = gvt_fetch_snapshot_proposal(&opt, id, out.f, &err);
        cli_progress_end(&fp.pg);
        if (s) {
            cli_output_abort(&out);
            return cli_fail(&err);
        }
        rc = cli_output_commit(&out);
    }
    return rc;
}
