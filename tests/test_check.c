/*
 * test_check.c: gvt_fixture_check (check.c, docs/formats.md#fixtures): matching
 * and mismatching expectations with their exact report lines, the 1e-9 relative
 * tolerance, and broken fixtures with their exact status, file and key. The
 * proposal is fixtures/whale-concentration (hand-computed in its README).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture/fixture.h"
#include "tmpdir.h"

#define FIXTURES GVT_SOURCE_DIR "/fixtures"
#define PROPOSAL FIXTURES "/whale-concentration/proposal.json"

/* Runs the check; *out_report receives the report (caller frees). The
 * fixtures written here name the repository's proposal, outside their
 * folder. */
static gvt_status check(const char *path, char **out_report, gvt_error *err)
{
    size_t len = 0;
    FILE *mem = open_memstream(out_report, &len);
    assert_non_null(mem);
    gvt_fixture_options opt = {.allow_outside = 1};
    gvt_status st = gvt_fixture_check_with(path, &opt, mem, err);
    fclose(mem);
    return st;
}

static void test_ok(void **state)
{
    (void)state;
    char *rep = NULL;
    gvt_error err;
    gvt_status st =
        check(FIXTURES "/whale-concentration/fixture.json", &rep, &err);
    assert_int_equal(st, GVT_OK);
    assert_string_equal(rep, "ok whale-concentration\n");
    free(rep);
}

/*
 * Every kind of difference, with the line it prints. By hand (the README):
 * nakamoto 2, hhi 3250, token winners [1]; gini 0.4 is within 1e-9
 * relative of 0.4000000001; there is no scheme "personhood" in the result.
 */
static void test_mismatch(void **state)
{
    (void)state;
    const char *path = tmpdir_write(
        "mismatch.json",
        "{\"name\": \"mixed\", \"input\": \"" PROPOSAL "\",\n"
        " \"expect\": {\"whales\": {\"nakamoto\": 3, \"gini\": "
        "\"0.4000000001\",\n"
        "   \"hhi\": \"3250.01\", \"whale_veto\": true, \"decisive_k\": null},"
        "\n  \"schemes\": {\"token\": {\"winners\": [2], \"scores\": [\"11\", "
        "9]},\n   \"personhood\": {\"winners\": []}},\n"
        "  \"proposal\": {\"choices\": [\"A\"]}}}\n");
    char *rep = NULL;
    gvt_error err;
    assert_int_equal(check(path, &rep, &err), GVT_MISMATCH);
    char first[400];
    snprintf(first, sizeof first, "FAIL mixed (%s)\n", path);
    assert_int_equal(strncmp(rep, first, strlen(first)), 0);
    assert_string_equal(
        rep + strlen(first),
        "  whales.nakamoto: expected 3, actual 2\n"
        "  whales.hhi: expected \"3250.01\", actual \"3250\"\n"
        "  whales.decisive_k: expected null, actual 1\n"
        "  schemes.token.winners[0]: expected 2, actual 1\n"
        "  schemes.personhood: expected {\"winners\": []}, actual "
        "(missing)\n"
        "  proposal.choices: expected [\"A\"], actual [\"A\", \"B\"]\n");
    free(rep);
}

/* 1e-9 relative, both ways, decimal strings against numbers. */
static void test_tolerance(void **state)
{
    (void)state;
    /* token 11.0000000099 vs 11: 0.9e-9 relative, equal; 9 (a number)
     * equals "9". address 2.000000003 vs 2: 1.5e-9, differs; 2.9999999971
     * vs 3: 0.97e-9, equal. */
    const char *path = tmpdir_write(
        "tol.json",
        "{\"name\": \"tol\", \"input\": \"" PROPOSAL "\",\n"
        " \"expect\": {\"schemes\": {\"token\": {\"scores\": "
        "[\"11.0000000099\", 9]},\n"
        "  \"address\": {\"scores\": [\"2.000000003\", \"2.9999999971\"]}}}}");
    char *rep = NULL;
    gvt_error err;
    assert_int_equal(check(path, &rep, &err), GVT_MISMATCH);
    char first[400];
    snprintf(first, sizeof first, "FAIL tol (%s)\n", path);
    assert_int_equal(strncmp(rep, first, strlen(first)), 0);
    assert_string_equal(
        rep + strlen(first),
        "  schemes.address.scores[0]: expected \"2.000000003\", actual "
        "\"2\"\n");
    free(rep);
}

/* Paths are relative to the fixture file. */
static void test_relative(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/sub' && cp '%s' '%s/sub/p.json'",
             tmpdir, PROPOSAL, tmpdir);
    assert_int_equal(system(cmd), 0);
    const char *path =
        tmpdir_write("sub/f.json", "{\"name\": \"rel\", \"input\": \"p.json\", "
                                   "\"options\": {\"schemes\": [\"address\"]}, "
                                   "\"expect\": {\"schemes\": [{\"id\": "
                                   "\"address\", \"winners\": [2]}]}}");
    char *rep = NULL;
    gvt_error err;
    assert_int_equal(check(path, &rep, &err), GVT_OK);
    assert_string_equal(rep, "ok rel\n");
    free(rep);
}

/* A broken fixture: status 65, the file and the key named, nothing
 * reported as ok or FAIL. */
static void broken(const char *text, const char *key_in_message,
                   const char *json_path)
{
    const char *path = tmpdir_write("broken.json", text);
    char *rep = NULL;
    gvt_error err;
    assert_int_equal(check(path, &rep, &err), GVT_ERR_DATA);
    assert_int_equal(err.code, GVT_ERR_DATA);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, key_in_message));
    assert_string_equal(err.path, json_path);
    assert_string_equal(rep, "");
    free(rep);
}

static void test_broken(void **state)
{
    (void)state;
    broken("{\"name\": \"x\", \"expect\": {}}", "\"input\": missing",
           "$.input");
    broken("{\"input\": \"p.json\"}", "\"expect\": missing", "$.expect");
    broken("{\"input\": \"p.json\", \"expected\": {}}",
           "\"expected\": unknown key", "$.expected");
    broken("{\"input\": 3, \"expect\": {}}", "\"input\": must be", "$.input");
    broken("{\"input\": \"p.json\", \"expect\": []}", "\"expect\": must be",
           "$.expect");
    broken("{\"input\": \"p.json\", \"attestations\": \"a.jsonl\", "
           "\"expect\": {}}",
           "\"issuers\": attestations and issuers go together", "$.issuers");
    broken("{\"input\": \"p.json\", \"options\": {\"schemes\": [\"votes\"]}, "
           "\"expect\": {}}",
           "\"options.schemes\": unknown scheme", "$.options.schemes");
    /* A scheme id in expect that does not exist is a broken fixture, not a
     * mismatch; a known scheme absent from the result is a mismatch
     * (test_mismatch). */
    broken("{\"input\": \"" PROPOSAL "\", \"expect\": {\"schemes\": "
           "{\"token\": {}, \"quadratik\": {\"winners\": [1]}}}}",
           "\"expect.schemes.quadratik\": unknown scheme id",
           "$.expect.schemes.quadratik");
    broken("{\"input\": \"" PROPOSAL "\", \"expect\": {\"schemes\": "
           "[{\"id\": \"votes\", \"winners\": [1]}]}}",
           "\"expect.schemes.votes\": unknown scheme id",
           "$.expect.schemes.votes");
    broken("{\"input\": \"p.json\", \"options\": {\"cap\": true}, "
           "\"expect\": {}}",
           "\"options.cap\"", "$.options.cap");
    /* Options the tally refuses: the fixture is broken (65), not the
     * command line (64). */
    broken("{\"input\": \"" PROPOSAL "\", \"options\": {\"cap\": \"1.5\"}, "
           "\"expect\": {}}",
           "\"options\": ", "$.options");
    broken("{\"input\": \"" PROPOSAL "\", \"options\": {\"schemes\": "
           "[\"personhood\"]}, \"expect\": {}}",
           "\"options\": ", "$.options");
    broken("{\"input\": \"p.json\", \"expect\": {", "invalid JSON", "");
    broken("[1, 2]", "a fixture is a JSON object", "");
    /* Nesting deeper than 64 levels is refused before parsing. */
    char deep[400];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"input\": \"p\", \"expect\": ");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    for (int i = 0; i < 100; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    broken(deep, "nested deeper", "");
}

/* A fixture that cannot be opened, and one whose input cannot: 66. */
static void test_noinput(void **state)
{
    (void)state;
    char *rep = NULL;
    gvt_error err;
    char path[300];
    snprintf(path, sizeof path, "%s/absent.json", tmpdir);
    assert_int_equal(check(path, &rep, &err), GVT_ERR_NOINPUT);
    assert_string_equal(err.file, path);
    free(rep);
    rep = NULL;
    const char *f = tmpdir_write("noinput.json",
                                 "{\"input\": \"nope.json\", \"expect\": {}}");
    assert_int_equal(check(f, &rep, &err), GVT_ERR_NOINPUT);
    assert_non_null(strstr(err.file, "nope.json"));
    free(rep);
    /* The diagnostic is optional. */
    assert_int_equal(gvt_fixture_check(f, stdout, NULL), GVT_ERR_NOINPUT);
    const char *b = tmpdir_write("nokey.json", "{\"expect\": {}}");
    assert_int_equal(gvt_fixture_check(b, stdout, NULL), GVT_ERR_DATA);
}

/*
 * References must be regular files inside the fixture's folder: a FIFO, a
 * device or a directory fails at once (a FIFO used to hang), a path that
 * leaves the folder (.., absolute, a symlink out) needs allow_outside.
 */
static void test_references(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/refs/in' && cp '%s' '%s/refs/in/p.json' && "
             "rm -f '%s/refs/in/fifo' '%s/refs/in/out' && "
             "mkfifo '%s/refs/in/fifo' && ln -s '%s' '%s/refs/in/out'",
             tmpdir, PROPOSAL, tmpdir, tmpdir, tmpdir, tmpdir, PROPOSAL,
             tmpdir);
    assert_int_equal(system(cmd), 0);
    static const struct {
        const char *input, *why;
    } bad[] = {
        {"fifo",
         "fixture key \"input\": \"fifo\" is a FIFO, not a regular file"},
        {"/dev/zero", "fixture key \"input\": \"/dev/zero\" is outside the "
                      "fixture's folder (allowed with check --allow-outside)"},
        {".",
         "fixture key \"input\": \".\" is a directory, not a regular file"},
        {"../in/p.json", NULL},
        {"out", "fixture key \"input\": \"out\" is outside the fixture's "
                "folder (allowed with check --allow-outside)"},
        {"/etc/passwd", "fixture key \"input\": \"/etc/passwd\" is outside "
                        "the fixture's folder (allowed with check "
                        "--allow-outside)"},
        {"../p.json\\u001b]0;x\\u0007\\u202e",
         "fixture key \"input\": \"../p.json\\x1B]0;x\\x07\\u202E\" is "
         "outside the fixture's folder (allowed with check --allow-outside)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"input\": \"%s\", \"expect\": {\"ballots\": {}}}",
                 bad[i].input);
        const char *f = tmpdir_write("refs/in/f.json", text);
        gvt_error err;
        gvt_status st = gvt_fixture_check(f, stdout, &err);
        if (!bad[i].why) { /* ../ that comes back in: allowed */
            assert_int_equal(st, GVT_OK);
            continue;
        }
        assert_int_equal(st, GVT_ERR_DATA);
        assert_string_equal(err.message, bad[i].why);
        assert_string_equal(err.path, "$.input");
        assert_string_equal(err.file, f);
    }
    /* Inside: plain, and through "./"; outside with the option. */
    const char *f = tmpdir_write(
        "refs/in/f.json",
        "{\"input\": \"./p.json\", \"expect\": {\"ballots\": {}}}");
    char *rep = NULL;
    gvt_error err;
    assert_int_equal(gvt_fixture_check(f, stdout, &err), GVT_OK);
    f = tmpdir_write("refs/in/f.json", "{\"input\": \"out\", \"expect\": "
                                       "{\"ballots\": {}}}");
    assert_int_equal(check(f, &rep, &err), GVT_OK);
    free(rep);
    rep = NULL;
    f = tmpdir_write("refs/in/f.json", "{\"input\": \"/dev/zero\", "
                                       "\"expect\": {\"ballots\": {}}}");
    assert_int_equal(check(f, &rep, &err), GVT_ERR_DATA);
    assert_string_equal(err.message, "fixture key \"input\": \"/dev/zero\" is "
                                     "a character device, not a regular file");
    free(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_references), cmocka_unit_test(test_ok),
        cmocka_unit_test(test_mismatch),   cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_relative),   cmocka_unit_test(test_broken),
        cmocka_unit_test(test_noinput),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
