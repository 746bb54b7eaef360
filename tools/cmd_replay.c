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

int cmd_replay(int argc, char **argv)
{
    const char *from = NULL, *att_path = NULL, *iss_path = NULL;
    const char *out_path = NULL, *format_name = NULL, *cap = NULL;
    gvt_import_options imp = {.decimals = -1};
    gvt_rule_options rule = {0};
    unsigned threads = 0;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t n_inputs = 0;
    int rc = 0;
    if (!inputs)
        return GVT_ERR_INTERNAL;
    const cli_opt opts[] = {{NULL, "--from", &from},
                            {NULL, "--map", &imp.map},
                            {NULL, "--type", &imp.type},
                            {NULL, "--proposals", &imp.proposals},
                            {"-a", "--attestations", &att_path},
                            {"-i", "--issuers", &iss_path},
                            {"-o", "--output", &out_path},
                            {NULL, "--format", &format_name},
                            {NULL, "--cap", &cap},
                            {NULL, "--rule", &rule.rule},
                            {NULL, "--quorum", &rule.quorum},
                            {NULL, "--support", &rule.support},
                            {NULL, "--supply", &rule.supply},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (took) {
            if (took < 0) {
                rc = GVT_ERR_USAGE;
                goto done;
            }
        } else if (cli_is(&a, NULL, "--decimals")) {
            const char *v = cli_value(&a);
            if (!v || cli_parse_decimals(v, &imp.decimals)) {
                rc = GVT_ERR_USAGE;
                goto done;
            }
        } else if (cli_is(&a, NULL, "--threads")) {
            const char *v = cli_value(&a);
            if (!v || cli_parse_threads(v, &threads)) {
                rc = GVT_ERR_USAGE;
                goto done;
            }
        } else if (a.positional) {
            inputs[n_inputs++] = a.arg;
        } else {
            rc = cli_unknown(&a);
            goto done;
        }
    }
    if (n_inputs == 0) {
        rc = cli_usage("replay: at least one INPUT is needed");
        goto done;
    }
    if (!att_path != !iss_path) {
        rc = cli_usage("replay: -a ATTESTATIONS and -i ISSUERS go together");
        goto done;
    }
    if (!from && (imp.map || imp.type || imp.proposals || imp.decimals >= 0)) {
        rc = cli_usage("replay: --map, --type, --proposals and --decimals "
                       "need --from");
        goto done;
    }
    if (from && cli_parse_import_kind(from, &imp.kind)) {
        rc = GVT_ERR_USAGE;
        goto done;
    }
    if (from && imp.kind == GVT_IMPORT_CSV && !imp.map) {
        rc = cli_usage("replay --from csv: --map voter=COL,choice=COL,vp=COL "
                       "is needed");
        goto done;
    }
    gvt_format format = GVT_FORMAT_CSV;
    if (format_name && strcmp(format_name, "json") == 0)
        format = GVT_FORMAT_JSON;
    else if (format_name && strcmp(format_name, "csv") != 0) {
        rc = cli_usage("--format: '%s' is not csv or json", format_name);
        goto done;
    }

    gvt_error err;
    gvt_error_clear(&err);
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    if ((att_path && gvt_attestations_read_file(att_path, &att, &err)) ||
        (iss_path && gvt_trust_read_file(iss_path, &trust, &err))) {
        rc = cli_fail(&err);
        goto free_identity;
    }
    cli_output out;
    if ((rc = cli_output_open(&out, out_path)))
        goto free_identity;
    gvt_replay_options opt = {.from = from ? &imp : NULL,
                              .attestations = att,
                              .trust = trust,
                              .cap = cap,
                              .format = format,
                              .threads = threads,
                              .progress =
                                  isatty(STDERR_FILENO) ? stderr : NULL};
    gvt_replay_stats st;
    gvt_status s =
        gvt_replay_run_rule(inputs, n_inputs, &opt, &rule, out.f, &st, &err);
    if (s == GVT_ERR_USAGE || s == GVT_ERR_CANTCREAT) {
        cli_output_abort(&out);
        rc = s == GVT_ERR_USAGE ? cli_usage("replay: %s", err.message)
                                : cli_fail(&err);
        goto free_identity;
    }
    /* Rows of failed proposals carry their error: the output stands. */
    if ((rc = cli_output_commit(&out)))
        goto free_identity;
    if (s) {
        char buf[1024];
        fprintf(stderr,
                "govtally: replay: %zu of %zu proposals failed; first: %s\n",
                st.failed, st.proposals,
                gvt_error_format(&err, buf, sizeof buf));
        rc = s;
    }
free_identity:
    gvt_trust_free(trust);
    gvt_attestations_free(att);
done:
    free(inputs);
    return rc;
}
