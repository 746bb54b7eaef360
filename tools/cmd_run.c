/*
 * cmd_run.c: `govtally run`: one proposal, every scheme asked for, one
 * report (docs/govtally.1 and docs/formats.md#result).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const struct {
    const char *name;
    gvt_format f;
} formats[] = {{"text", GVT_FORMAT_TEXT},
               {"json", GVT_FORMAT_JSON},
               {"csv", GVT_FORMAT_CSV},
               {"html", GVT_FORMAT_HTML}};

static int parse_format(const char *s, gvt_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(s, formats[i].name) == 0) {
            *out = formats[i].f;
            return 0;
        }
    return cli_usage("--format: unknown format '%s' (text, json, csv, html)",
                     s);
}

static const char *format_name_of(gvt_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].f == f)
            return formats[i].name;
    return "?";
}

/* The format an output file's name asks for: .html (.htm), .csv, .json,
 * .txt, in any case; false for any other name. */
static bool format_of_name(const char *path, gvt_format *out)
{
    static const struct {
        const char *ext;
        gvt_format f;
    } exts[] = {{".html", GVT_FORMAT_HTML},
                {".htm", GVT_FORMAT_HTML},
                {".csv", GVT_FORMAT_CSV},
                {".json", GVT_FORMAT_JSON},
                {".txt", GVT_FORMAT_TEXT}};
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (!dot)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i].ext) == 0) {
            *out = exts[i].f;
            return true;
        }
    return false;
}

/*
 * The format (docs/govtally.1): --format when given, which must agree with
 * the output's name when that names a format; else the output's name; else
 * text for a terminal and JSON otherwise.
 */
static int pick_format(const char *format_name, const char *out_path,
                       gvt_format *out)
{
    bool to_stdout = !out_path || strcmp(out_path, "-") == 0;
    gvt_format by_name = GVT_FORMAT_JSON;
    bool named = !to_stdout && format_of_name(out_path, &by_name);
    if (format_name) {
        if (parse_format(format_name, out))
            return GVT_ERR_USAGE;
        if (named && by_name != *out)
            return cli_usage("run: --format %s, but the output '%s' is named "
                             "for %s: drop --format or rename the output",
                             format_name, out_path, format_name_of(by_name));
        return 0;
    }
    if (named)
        *out = by_name;
    else
        *out = to_stdout && isatty(STDOUT_FILENO) ? GVT_FORMAT_TEXT
                                                  : GVT_FORMAT_JSON;
    return 0;
}

/* The text report's width: COLUMNS when set, the terminal's when standard
 * output is one, 80 otherwise; --wide: one table. */
static unsigned text_width(bool wide, bool to_tty)
{
    if (wide)
        return 0;
    const char *env = getenv("COLUMNS");
    char *end;
    long n = env && *env ? strtol(env, &end, 10) : 0;
    if (env && *env && !*end && n >= 20 && n <= 1000)
        return (unsigned)n;
    struct winsize ws;
    if (to_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* An input of several proposals without --proposal: how to go on. */
static int many_proposals(const char *input, const gvt_error *err)
{
    cli_fail(err);
    fprintf(stderr,
            "govtally: pick one with --proposal ID, or tally them all with "
            "'govtally replay %s'\n",
            input);
    return GVT_ERR_USAGE;
}

/*
 * Reads the proposal: with --proposal, or from a folder, the one picked out
 * of many; otherwise the file's one export, and when that fails on a file
 * holding several, a message that says how many and how to pick one.
 */
static int read_proposal(const char *input, const char *wanted,
                         unsigned threads, gvt_proposal **out)
{
    gvt_error err;
    gvt_error_clear(&err);
    struct stat sb;
    bool folder = stat(input, &sb) == 0 && S_ISDIR(sb.st_mode);
    if (wanted || folder) {
        gvt_read_options ro = {.threads = threads};
        gvt_status st =
            gvt_proposal_pick_opt(input, wanted, &ro, out, NULL, &err);
        if (st == GVT_ERR_USAGE)
            return many_proposals(input, &err);
        return st ? cli_fail(&err) : 0;
    }
    cli_progress pg;
    cli_progress_init(&pg);
    gvt_read_options ro = {threads, cli_progress_report, &pg};
    gvt_status st = gvt_proposal_read_file_opt(input, &ro, out, &err);
    cli_progress_end(&pg);
    if (st == GVT_ERR_DATA && strcmp(input, "-") != 0) {
        gvt_error many;
        gvt_error_clear(&many);
        gvt_proposal *p = NULL;
        if (gvt_proposal_pick(input, NULL, &p, NULL, &many) == GVT_ERR_USAGE)
            return many_proposals(input, &many);
        gvt_proposal_free(p);
    }
    return st ? cli_fail(&err) : 0;
}

/* What `run` was asked for. */
typedef struct run_args {
    const char *input, *iss_path, *out_path, *cap, *format_name, *wanted;
    unsigned threads;
    bool wide;
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    /* -a may be given several times: one set of attestations from all */
    const char *att_paths[GVT_MAX_ATTESTATION_FILES];
    size_t n_att;
    gvt_rule_options rule;
    gvt_format format;
} run_args;

/* The one option that is not a plain value: -a, --schemes, --wide or the
 * input. 0, a usage error, or -1 for an unknown one. */
static int take_other(cli_args *a, run_args *ra)
{
    if (cli_is(a, "-a", "--attestations")) {
        const char *v = cli_value(a);
        if (!v)
            return GVT_ERR_USAGE;
        if (ra->n_att == GVT_MAX_ATTESTATION_FILES)
            return cli_usage("run: at most %d attestation files",
                             GVT_MAX_ATTESTATION_FILES);
        ra->att_paths[ra->n_att++] = v;
    } else if (cli_is(a, NULL, "--schemes")) {
        const char *v = cli_value(a);
        if (!v)
            return GVT_ERR_USAGE;
        return cli_parse_schemes(v, ra->schemes, &ra->n_schemes);
    } else if (cli_is(a, NULL, "--wide") && !a->eqval) {
        ra->wide = true;
    } else if (a->positional && !ra->input) {
        ra->input = a->arg;
    } else {
        return -1;
    }
    return 0;
}

/* The arguments into ra, checked together; 0 or a usage error. */
static int parse_args(int argc, char **argv, run_args *ra)
{
    memset(ra, 0, sizeof *ra);
    const cli_opt opts[] = {{"-i", "--issuers", &ra->iss_path},
                            {"-o", "--output", &ra->out_path},
                            {NULL, "--cap", &ra->cap},
                            {NULL, "--format", &ra->format_name},
                            {NULL, "--proposal", &ra->wanted},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (!took)
            took = cli_take_shared(&a, &ra->threads, &ra->rule);
        if (took < 0)
            return GVT_ERR_USAGE;
        if (took)
            continue;
        int rc = take_other(&a, ra);
        if (rc < 0)
            return cli_unknown(&a);
        if (rc)
            return rc;
    }
    if (!ra->input)
        return cli_usage("run: a PROPOSAL file is needed ('-' for standard "
                         "input)");
    if (!ra->n_att != !ra->iss_path)
        return cli_usage("run: -a ATTESTATIONS and -i ISSUERS go together");
    if (ra->wanted && !*ra->wanted)
        return cli_usage("run: --proposal needs a proposal id");
    ra->format = GVT_FORMAT_JSON;
    if (pick_format(ra->format_name, ra->out_path, &ra->format))
        return GVT_ERR_USAGE;
    if (ra->wide && ra->format != GVT_FORMAT_TEXT)
        return cli_usage("run: --wide is for the text report");
    return 0;
}

/* The report into -o (atomically) or standard output, then the warnings. */
static int write_report(const run_args *ra, const gvt_result *r)
{
    gvt_error err;
    gvt_error_clear(&err);
    cli_output out;
    int rc = cli_output_open(&out, ra->out_path);
    if (rc)
        return rc;
    bool tty = out.f == stdout && isatty(STDOUT_FILENO);
    gvt_write_options wo = {.color = ra->format == GVT_FORMAT_TEXT && tty &&
                                     !getenv("NO_COLOR"),
                            .width = text_width(ra->wide, tty)};
    if (gvt_result_write_with(r, ra->format, &wo, out.f, &err)) {
        rc = cli_output_fail(&out, &err);
        cli_output_abort(&out);
        return rc;
    }
    rc = cli_output_commit(&out);
    for (size_t i = 0; i < gvt_result_warning_count(r); i++)
        fprintf(stderr, "govtally: warning: %s: %s\n",
                strcmp(ra->input, "-") == 0 ? "standard input" : ra->input,
                gvt_result_warning(r, i));
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_args ra;
    int rc = parse_args(argc, argv, &ra);
    if (rc)
        return rc;
    gvt_error err;
    gvt_error_clear(&err);
    gvt_proposal *p = NULL;
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    gvt_result *r = NULL;
    if ((rc = read_proposal(ra.input, ra.wanted, ra.threads, &p)))
        goto done;
    if ((ra.n_att &&
         gvt_attestations_read_files(ra.att_paths, ra.n_att, &att, &err)) ||
        (ra.iss_path && gvt_trust_read_file(ra.iss_path, &trust, &err))) {
        rc = cli_fail(&err);
        goto done;
    }
    cli_progress pg;
    cli_progress_init(&pg);
    gvt_tally_options opt = {.schemes = ra.schemes,
                             .n_schemes = ra.n_schemes,
                             .cap = ra.cap,
                             .attestations = att,
                             .trust = trust,
                             .threads = ra.threads,
                             .progress = cli_progress_report,
                             .progress_ctx = &pg,
                             .now = (long long)time(NULL)};
    gvt_status st = gvt_tally_run_rule(p, &opt, &ra.rule, &r, &err);
    cli_progress_end(&pg);
    rc = st ? cli_fail(&err) : write_report(&ra, r);
done:
    gvt_result_free(r);
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    gvt_proposal_free(p);
    return rc;
}
