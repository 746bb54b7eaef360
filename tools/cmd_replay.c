/*
 * cmd_replay.c: `govtally replay INPUT... [--from KIND [--map M] [--type T]
 * [--proposals P] [--decimals D]] [-a A -i I] [--cap F] [--rule R]
 * [--quorum Q] [--support S] [--supply N] [--format csv|json] [-o FILE]
 * [--threads N]`: one summary row per proposal of many
 * (docs/govtally.1, 4.3).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The command line of replay, as given. */
typedef struct replay_args {
    const char *from, *att_path, *iss_path, *out_path, *format_name, *cap;
    gvt_import_options imp;
    gvt_rule_options rule;
    unsigned threads;
    const char **inputs;
    size_t n_inputs;
    gvt_format format;
} replay_args;

/* Reads the options and inputs into ra (inputs: room for argc); 0 or an
 * exit status. */
static int parse_args(int argc, char **argv, replay_args *ra)
{
    const cli_opt opts[] = {{NULL, "--from", &ra->from},
                            {NULL, "--map", &ra->imp.map},
                            {NULL, "--type", &ra->imp.type},
                            {NULL, "--proposals", &ra->imp.proposals},
                            {NULL, "--choice-labels", &ra->imp.choice_labels},
                            {"-a", "--attestations", &ra->att_path},
                            {"-i", "--issuers", &ra->iss_path},
                            {"-o", "--output", &ra->out_path},
                            {NULL, "--format", &ra->format_name},
                            {NULL, "--cap", &ra->cap},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (!took)
            took = cli_take_shared(&a, &ra->threads, &ra->rule);
        if (took) {
            if (took < 0)
                return GVT_ERR_USAGE;
        } else if (cli_is(&a, NULL, "--decimals")) {
            const char *v = cli_value(&a);
            if (!v || cli_parse_decimals(v, &ra->imp.decimals))
                return GVT_ERR_USAGE;
        } else if (a.positional) {
            ra->inputs[ra->n_inputs++] = a.arg;
        } else {
            return cli_unknown(&a);
        }
    }
    return 0;
}

/* The options that go together or need each other; 0 or an exit status. */
static int check_args(replay_args *ra)
{
    const gvt_import_options *imp = &ra->imp;
    if (ra->n_inputs == 0)
        return cli_usage("replay: at least one INPUT is needed");
    if (!ra->att_path != !ra->iss_path)
        return cli_usage("replay: -a ATTESTATIONS and -i ISSUERS go together");
    if (!ra->from && (imp->map || imp->type || imp->proposals ||
                      imp->decimals >= 0 || imp->choice_labels))
        return cli_usage("replay: --map, --type, --proposals, --choice-labels "
                         "and --decimals "
                         "need --from");
    if (ra->from && cli_parse_import_kind(ra->from, &ra->imp.kind))
        return GVT_ERR_USAGE;
    if (ra->from && imp->kind == GVT_IMPORT_CSV && !imp->map)
        return cli_usage("replay --from csv: --map voter=COL,choice=COL,vp=COL "
                         "is needed");
    ra->format = GVT_FORMAT_CSV;
    if (ra->format_name && strcmp(ra->format_name, "json") == 0)
        ra->format = GVT_FORMAT_JSON;
    else if (ra->format_name && strcmp(ra->format_name, "csv") != 0)
        return cli_usage("--format: '%s' is not csv or json", ra->format_name);
    return 0;
}

/* The replay itself, into the output; 0 or an exit status. */
static int run_replay(const replay_args *ra, const gvt_attestations *att,
                      const gvt_trust *trust)
{
    cli_output out;
    int rc = cli_output_open(&out, ra->out_path);
    if (rc)
        return rc;
    gvt_replay_options opt = {.from = ra->from ? &ra->imp : NULL,
                              .attestations = att,
                              .trust = trust,
                              .cap = ra->cap,
                              .format = ra->format,
                              .threads = ra->threads,
                              .progress =
                                  isatty(STDERR_FILENO) ? stderr : NULL};
    gvt_replay_stats st;
    gvt_error err;
    gvt_error_clear(&err);
    gvt_status s = gvt_replay_run_rule(ra->inputs, ra->n_inputs, &opt,
                                       &ra->rule, out.f, &st, &err);
    if (s == GVT_ERR_USAGE || s == GVT_ERR_CANTCREAT) {
        int frc = s == GVT_ERR_USAGE ? cli_usage("replay: %s", err.message)
                                     : cli_output_fail(&out, &err);
        cli_output_abort(&out);
        return frc;
    }
    /* Rows of failed proposals carry their error: the output stands. */
    if ((rc = cli_output_commit(&out)))
        return rc;
    if (s) {
        char buf[1024];
        fprintf(stderr,
                "govtally: replay: %zu of %zu proposals failed; first: %s\n",
                st.failed, st.proposals,
                gvt_error_format(&err, buf, sizeof buf));
        return s;
    }
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    replay_args ra;
    memset(&ra, 0, sizeof ra);
    ra.imp.decimals = -1;
    ra.inputs = calloc((size_t)argc + 1, sizeof *ra.inputs);
    if (!ra.inputs)
        return GVT_ERR_INTERNAL;
    int rc = parse_args(argc, argv, &ra);
    if (!rc)
        rc = check_args(&ra);
    if (rc) {
        free(ra.inputs);
        return rc;
    }
    gvt_error err;
    gvt_error_clear(&err);
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    if ((ra.att_path && gvt_attestations_read_file(ra.att_path, &att, &err)) ||
        (ra.iss_path && gvt_trust_read_file(ra.iss_path, &trust, &err)))
        rc = cli_fail(&err);
    else
        rc = run_replay(&ra, att, trust);
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    free(ra.inputs);
    return rc;
}
