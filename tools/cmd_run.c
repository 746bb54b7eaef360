/*
 * cmd_run.c: `govtally run`: one proposal, every scheme asked for, one
 * report (docs/govtally.1 and docs/formats.md#result).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int parse_format(const char *s, gvt_format *out)
{
    static const struct {
        const char *name;
        gvt_format f;
    } formats[] = {{"text", GVT_FORMAT_TEXT},
                   {"json", GVT_FORMAT_JSON},
                   {"csv", GVT_FORMAT_CSV},
                   {"html", GVT_FORMAT_HTML}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(s, formats[i].name) == 0) {
            *out = formats[i].f;
            return 0;
        }
    return cli_usage("--format: unknown format '%s' (text, json, csv, html)",
                     s);
}

int cmd_run(int argc, char **argv)
{
    const char *input = NULL, *att_path = NULL, *iss_path = NULL;
    const char *out_path = NULL, *cap = NULL, *format_name = NULL;
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes = 0;
    gvt_rule_options rule = {0};
    const cli_opt opts[] = {
        {"-a", "--attestations", &att_path}, {"-i", "--issuers", &iss_path},
        {"-o", "--output", &out_path},       {NULL, "--cap", &cap},
        {NULL, "--format", &format_name},    {NULL, "--rule", &rule.rule},
        {NULL, "--quorum", &rule.quorum},    {NULL, "--support", &rule.support},
        {NULL, "--supply", &rule.supply},    {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (took) {
            if (took < 0)
                return GVT_ERR_USAGE;
        } else if (cli_is(&a, NULL, "--schemes")) {
            const char *v = cli_value(&a);
            if (!v)
                return GVT_ERR_USAGE;
            int rc = cli_parse_schemes(v, schemes, &n_schemes);
            if (rc)
                return rc;
        } else if (a.positional && !input)
            input = a.arg;
        else
            return cli_unknown(&a);
    }
    if (!input)
        return cli_usage("run: a PROPOSAL file is needed ('-' for standard "
                         "input)");
    if (!att_path != !iss_path)
        return cli_usage("run: -a ATTESTATIONS and -i ISSUERS go together");
    /* Text for a terminal, JSON otherwise (docs/govtally.1). */
    bool to_tty = !out_path || strcmp(out_path, "-") == 0;
    gvt_format format =
        to_tty && isatty(STDOUT_FILENO) ? GVT_FORMAT_TEXT : GVT_FORMAT_JSON;
    if (format_name && parse_format(format_name, &format))
        return GVT_ERR_USAGE;

    gvt_error err;
    gvt_error_clear(&err);
    gvt_proposal *p = NULL;
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    gvt_result *r = NULL;
    int rc = 0;
    cli_progress pg;
    cli_progress_init(&pg);
    if (gvt_proposal_read_file_progress(input, cli_progress_report, &pg, &p,
                                        &err) ||
        (att_path && gvt_attestations_read_file(att_path, &att, &err)) ||
        (iss_path && gvt_trust_read_file(iss_path, &trust, &err))) {
        cli_progress_end(&pg);
        rc = cli_fail(&err);
        goto done;
    }
    gvt_tally_options opt = {.schemes = schemes,
                             .n_schemes = n_schemes,
                             .cap = cap,
                             .attestations = att,
                             .trust = trust,
                             .progress = cli_progress_report,
                             .progress_ctx = &pg};
    gvt_status st = gvt_tally_run_rule(p, &opt, &rule, &r, &err);
    cli_progress_end(&pg);
    if (st) {
        rc = cli_fail(&err);
        goto done;
    }
    cli_output out;
    if ((rc = cli_output_open(&out, out_path)))
        goto done;
    int color = format == GVT_FORMAT_TEXT && out.f == stdout &&
                isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    if (gvt_result_write(r, format, color, out.f, &err)) {
        cli_output_abort(&out);
        rc = cli_fail(&err);
        goto done;
    }
    rc = cli_output_commit(&out);
done:
    gvt_result_free(r);
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    gvt_proposal_free(p);
    return rc;
}
