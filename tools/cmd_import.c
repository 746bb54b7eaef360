/*
 * cmd_import.c: `govtally import KIND [--map M] [--type T] [--proposals P]
 * [--decimals D] FILE [-o OUT]`: a CSV vote table into exports of the JSON
 * shape of docs/formats.md#proposal-export (docs/formats.md#csv-inputs and
 * docs/govtally.1), with a summary of what became of every row on standard
 * error.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Shared with cmd_replay.c (--from), declared in cli.h. Returns 0 or 64. */
int cli_parse_import_kind(const char *s, gvt_import_kind *out)
{
    if (strcmp(s, "snapshot-csv") == 0)
        *out = GVT_IMPORT_SNAPSHOT_CSV;
    else if (strcmp(s, "governor-csv") == 0)
        *out = GVT_IMPORT_GOVERNOR_CSV;
    else if (strcmp(s, "csv") == 0)
        *out = GVT_IMPORT_CSV;
    else
        return cli_usage("unknown import kind '%s' (snapshot-csv, "
                         "governor-csv, csv)",
                         s);
    return 0;
}

int cli_parse_decimals(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 36)
        return cli_usage("--decimals '%s': an integer from 0 to 36", s);
    *out = (int)v;
    return 0;
}

int cmd_import(int argc, char **argv)
{
    const char *kind = NULL, *input = NULL, *out_path = NULL;
    gvt_import_options opt = {.decimals = -1};
    const cli_opt opts[] = {{NULL, "--map", &opt.map},
                            {NULL, "--proposals", &opt.proposals},
                            {NULL, "--type", &opt.type},
                            {NULL, "--choice-labels", &opt.choice_labels},
                            {"-o", "--output", &out_path},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        const char *v;
        int took = cli_take(&a, opts);
        if (took) {
            if (took < 0)
                return GVT_ERR_USAGE;
        } else if (cli_is(&a, NULL, "--decimals")) {
            if (!(v = cli_value(&a)) || cli_parse_decimals(v, &opt.decimals))
                return GVT_ERR_USAGE;
        } else if (a.positional && !kind) {
            kind = a.arg;
        } else if (a.positional && !input) {
            input = a.arg;
        } else {
            return cli_unknown(&a);
        }
    }
    if (!kind || !input)
        return cli_usage("import: KIND (snapshot-csv, governor-csv, csv) and "
                         "FILE are needed");
    if (cli_parse_import_kind(kind, &opt.kind))
        return GVT_ERR_USAGE;
    if (opt.kind != GVT_IMPORT_CSV &&
        (opt.map || opt.proposals || opt.choice_labels))
        return cli_usage("import: --map, --proposals and --choice-labels are "
                         "for the csv kind only");
    if (opt.kind == GVT_IMPORT_CSV && !opt.map)
        return cli_usage("import csv: --map voter=COL,choice=COL,vp=COL is "
                         "needed");
    if (opt.kind != GVT_IMPORT_GOVERNOR_CSV && opt.decimals >= 0)
        return cli_usage("import: --decimals is for governor-csv only");
    if (opt.kind == GVT_IMPORT_GOVERNOR_CSV && opt.type)
        return cli_usage("import governor-csv: proposals are always basic; "
                         "--type does not apply");

    cli_output out;
    int rc = cli_output_open(&out, out_path);
    if (rc)
        return rc;
    gvt_import_stats st;
    gvt_error err;
    gvt_error_clear(&err);
    gvt_status s = gvt_import_file(input, &opt, out.f, &st, &err);
    if (s) {
        rc = s == GVT_ERR_USAGE ? cli_usage("import: %s", err.message)
                                : cli_output_fail(&out, &err);
        cli_output_abort(&out);
        return rc;
    }
    if ((rc = cli_output_commit(&out)))
        return rc;
    fprintf(stderr,
            "govtally: %s: %zu rows: %zu votes imported into %zu "
            "proposal%s",
            input, st.rows, st.imported, st.proposals,
            st.proposals == 1 ? "" : "s");
    size_t skipped = 0;
    for (size_t i = 0; i < st.n_skipped; i++)
        skipped += st.skipped[i].rows;
    if (skipped) {
        fprintf(stderr, "; %zu skipped (", skipped);
        for (size_t i = 0; i < st.n_skipped; i++)
            fprintf(stderr, "%s%s %zu", i ? ", " : "", st.skipped[i].reason,
                    st.skipped[i].rows);
        fputc(')', stderr);
    }
    fputc('\n', stderr);
    return 0;
}
