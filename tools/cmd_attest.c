/*
 * cmd_attest.c: `govtally attest keygen|sign|verify` (docs/govtally.1, formats
 * of docs/formats.md#attestations, #trust-file, #attestation-outcomes): make an
 * issuer key, sign attestations, check a file of attestations against a trust
 * file without a proposal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "govtally: cannot write standard output: %s\n",
            strerror(errno));
    return GVT_ERR_CANTCREAT;
}

static int attest_keygen(int argc, char **argv)
{
    const char *path = NULL, *type = NULL;
    const cli_opt opts[] = {
        {"-o", "--output", &path}, {NULL, "--type", &type}, {NULL, NULL, NULL}};
    if (cli_parse(argc, argv, opts, NULL))
        return GVT_ERR_USAGE;
    if (!path)
        return cli_usage("attest keygen: -o SECRET_KEY_FILE is needed");
    bool eth = type && strcmp(type, "eth") == 0;
    if (type && !eth && strcmp(type, "ed25519") != 0)
        return cli_usage("attest keygen: --type is ed25519 or eth, not '%s'",
                         type);
    gvt_error err;
    gvt_error_clear(&err);
    char pk[65];
    if (eth ? gvt_attest_keygen_eth(path, pk, &err)
            : gvt_attest_keygen(path, pk, &err))
        return cli_fail(&err);
    printf("%s\n", pk);
    return flush_stdout();
}

/* --list KIND: a verified list signed row by row, the counts on stderr. */
static int sign_list(const char *key, const char *list_path,
                     const gvt_attest_sign_options *opt,
                     const gvt_attest_list_options *lo, const char *out_path,
                     const char *skipped_path)
{
    cli_output out, skipped = {0};
    int rc = cli_output_open(&out, out_path);
    if (rc)
        return rc;
    if (skipped_path && (rc = cli_output_open(&skipped, skipped_path))) {
        cli_output_abort(&out);
        return rc;
    }
    gvt_error err;
    gvt_attest_list_stats st;
    if (gvt_attest_sign_list(key, list_path, opt, lo, out.f,
                             skipped_path ? skipped.f : NULL, &st, &err)) {
        cli_output_abort(&out);
        if (skipped_path)
            cli_output_abort(&skipped);
        return err.code == GVT_ERR_USAGE
                   ? cli_usage("attest sign: %s", err.message)
                   : cli_fail(&err);
    }
    if ((rc = cli_output_commit(&out)) ||
        (skipped_path && (rc = cli_output_commit(&skipped))))
        return rc;
    fprintf(stderr,
            "{\"list\": \"%s\", \"rows\": %zu, \"signed\": %zu, "
            "\"skipped\": {",
            gvt_list_kind_name(lo->kind), st.rows, st.signed_rows);
    for (int r = 0; r < GVT_LIST_SKIP_COUNT; r++)
        fprintf(stderr, "%s\"%s\": %zu", r ? ", " : "",
                gvt_list_skip_name((gvt_list_skip)r), st.skipped[r]);
    fprintf(stderr, "}}\n");
    return 0;
}

static int attest_sign(int argc, char **argv)
{
    const char *key = NULL, *out_path = NULL, *subjects = NULL;
    const char *issued = NULL, *expires = NULL, *list = NULL, *skipped = NULL;
    gvt_attest_sign_options opt = {0};
    gvt_attest_list_options lo = {0};
    const cli_opt opts[] = {{"-k", "--key", &key},
                            {"-o", "--output", &out_path},
                            {NULL, "--scope", &opt.scope},
                            {NULL, "--issued-at", &issued},
                            {NULL, "--expires-at", &expires},
                            {NULL, "--weight", &opt.weight},
                            {NULL, "--list", &list},
                            {NULL, "--map", &lo.map},
                            {NULL, "--min-score", &lo.min_score},
                            {NULL, "--action", &lo.action},
                            {NULL, "--skipped", &skipped},
                            {NULL, NULL, NULL}};
    if (cli_parse(argc, argv, opts, &subjects))
        return GVT_ERR_USAGE;
    if (!key || !opt.scope || !issued || !subjects)
        return cli_usage("attest sign: -k KEY, --scope S, --issued-at T and "
                         "SUBJECTS.csv (or a --list file) are needed");
    if (cli_time("--issued-at", issued, &opt.issued_at) ||
        (expires && cli_time("--expires-at", expires, &opt.expires_at)))
        return GVT_ERR_USAGE;
    if (list) {
        static const char *const kinds[] = {"passport", "poh", "worldid"};
        int k = 0;
        while (k < 3 && strcmp(list, kinds[k]) != 0)
            k++;
        if (k == 3)
            return cli_usage("attest sign: --list '%s': passport, poh or "
                             "worldid",
                             list);
        lo.kind = (gvt_list_kind)k;
        if ((lo.min_score && lo.kind != GVT_LIST_PASSPORT) ||
            (lo.action && lo.kind != GVT_LIST_WORLDID))
            return cli_usage("attest sign: --min-score is for --list "
                             "passport, --action for --list worldid");
        return sign_list(key, subjects, &opt, &lo, out_path, skipped);
    }
    if (lo.map || lo.min_score || lo.action || skipped)
        return cli_usage("attest sign: --map, --min-score, --action and "
                         "--skipped go with --list");
    cli_output out;
    int rc = cli_output_open(&out, out_path);
    if (rc)
        return rc;
    gvt_error err;
    gvt_error_clear(&err);
    if (gvt_attest_sign_file(key, subjects, &opt, out.f, NULL, &err)) {
        cli_output_abort(&out);
        if (err.code == GVT_ERR_USAGE)
            return cli_usage("attest sign: %s", err.message);
        return cli_fail(&err);
    }
    return cli_output_commit(&out);
}

static int attest_verify(int argc, char **argv)
{
    const char *issuers = NULL, *scope = NULL, *at_text = NULL;
    const char *threads_text = NULL;
    const char *inputs[GVT_MAX_ATTESTATION_FILES];
    size_t n_inputs = 0;
    const cli_opt opts[] = {{"-i", "--issuers", &issuers},
                            {NULL, "--scope", &scope},
                            {NULL, "--at", &at_text},
                            {NULL, "--threads", &threads_text},
                            {NULL, NULL, NULL}};
    if (cli_parse_list(argc, argv, opts, inputs, GVT_MAX_ATTESTATION_FILES,
                       &n_inputs))
        return GVT_ERR_USAGE;
    if (!issuers || !n_inputs)
        return cli_usage("attest verify: -i ISSUERS and ATTESTATIONS are "
                         "needed");
    long long at = -1;
    if (at_text && cli_time("--at", at_text, &at))
        return GVT_ERR_USAGE;
    /* --threads N (beyond docs/govtally.1): signature checks on N threads, 0 =
     * one per core (the default); the outcome is the same for every N. */
    unsigned threads = 0;
    if (threads_text) {
        if (!*threads_text || strlen(threads_text) > 4 ||
            strspn(threads_text, "0123456789") != strlen(threads_text))
            return cli_usage("--threads: expected a number of threads, got "
                             "'%s'",
                             threads_text);
        threads = (unsigned)atoi(threads_text);
    }
    gvt_error err;
    gvt_error_clear(&err);
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    size_t counts[GVT_ATTEST_REASON_COUNT];
    int rc;
    if (gvt_trust_read_file(issuers, &trust, &err) ||
        gvt_attestations_read_files(inputs, n_inputs, &att, &err) ||
        gvt_attestations_verify(att, trust, scope, at, threads, counts,
                                GVT_ATTEST_REASON_COUNT, &err)) {
        rc = err.code == GVT_ERR_USAGE
                 ? cli_usage("attest verify: %s", err.message)
                 : cli_fail(&err);
        goto done;
    }
    printf("{\"read\": %zu, \"valid\": %zu, \"rejected\": {",
           gvt_attestations_count(att), counts[GVT_ATTEST_VALID]);
    for (int r = GVT_ATTEST_DUPLICATE; r < GVT_ATTEST_REASON_COUNT; r++)
        printf("%s\"%s\": %zu", r == GVT_ATTEST_DUPLICATE ? "" : ", ",
               gvt_attest_reason_name((gvt_attest_reason)r), counts[r]);
    printf("}}\n");
    if ((rc = flush_stdout()))
        goto done;
    rc = counts[GVT_ATTEST_VALID] == gvt_attestations_count(att) ? 0 : 1;
done:
    gvt_attestations_free(att);
    gvt_trust_free(trust);
    return rc;
}

int cmd_attest(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("attest: keygen, sign or verify?");
    const char *sub = argv[1];
    if (strcmp(sub, "keygen") == 0)
        return attest_keygen(argc - 1, argv + 1);
    if (strcmp(sub, "sign") == 0)
        return attest_sign(argc - 1, argv + 1);
    if (strcmp(sub, "verify") == 0)
        return attest_verify(argc - 1, argv + 1);
    return cli_usage("attest: unknown subcommand '%s' (keygen, sign, verify)",
                     sub);
}
