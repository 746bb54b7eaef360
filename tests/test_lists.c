/*
 * test_lists.c: verified lists signed as attestations (tally/history/lists.c,
 * docs/identity.md#verified-lists): made-up lists of each shape (Gitcoin
 * Passport scores, Proof of Humanity, World ID), every row accounted for
 * (signed, or skipped under the reason written beside it here by hand), the
 * signed records read back and verified against a trust file naming the
 * operator, wallets sharing a nullifier merged into one human, and the
 * errors (missing columns, a short row, bad options).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "tmpdir.h"

/* A fixed Ethereum operator key and its address (as ethers derives it from
 * the key 0x...01: the generator's address). */
#define ETH_KEY                                                                \
    "0x0000000000000000000000000000000000000000000000000000000000000001\n"
#define ETH_ADDRESS "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"

typedef struct run {
    gvt_status st;
    gvt_attest_list_stats stats;
    char out[1 << 16];
    char skipped[4096];
    gvt_error err;
} run;

static run *sign(const char *csv, gvt_list_kind kind, const char *map,
                 const char *min_score, const char *action)
{
    static run r;
    memset(&r, 0, sizeof r);
    char key[300], list[300];
    snprintf(key, sizeof key, "%s", tmpdir_write("op.key", ETH_KEY));
    snprintf(list, sizeof list, "%s", tmpdir_write("list.csv", csv));
    gvt_attest_sign_options so = {.scope = "*", .issued_at = 1700000000};
    gvt_attest_list_options lo = {
        .kind = kind, .map = map, .min_score = min_score, .action = action};
    FILE *out = fmemopen(r.out, sizeof r.out - 1, "w");
    FILE *sk = fmemopen(r.skipped, sizeof r.skipped - 1, "w");
    r.st = gvt_attest_sign_list(key, list, &so, &lo, out, sk, &r.stats, &r.err);
    fclose(out);
    fclose(sk);
    return &r;
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The signed records, verified against a trust file naming the operator. */
static void all_valid(const char *records, size_t n)
{
    static const char trust[] =
        "{\"v\":1,\"issuers\":[{\"address\":\"" ETH_ADDRESS "\"}]}";
    gvt_attestations *a = NULL;
    gvt_trust *t = NULL;
    gvt_error err;
    assert_int_equal(gvt_attestations_read_mem("o.jsonl", records,
                                               strlen(records), &a, &err),
                     GVT_OK);
    assert_int_equal(
        gvt_trust_read_mem("i.json", trust, strlen(trust), &t, &err), GVT_OK);
    size_t counts[GVT_ATTEST_REASON_COUNT];
    assert_int_equal(gvt_attestations_verify(a, t, NULL, -1, 1, counts,
                                             GVT_ATTEST_REASON_COUNT, &err),
                     GVT_OK);
    assert_int_equal(gvt_attestations_count(a), n);
    assert_int_equal(counts[GVT_ATTEST_VALID], n);
    gvt_attestations_free(a);
    gvt_trust_free(t);
}

static void expect_counts(const run *r, size_t rows, size_t signed_rows,
                          const size_t skipped[GVT_LIST_SKIP_COUNT])
{
    if (r->st != GVT_OK)
        fail_msg("%s (line %ld)", r->err.message, r->err.line);
    assert_int_equal(r->stats.rows, rows);
    assert_int_equal(r->stats.signed_rows, signed_rows);
    size_t sum = signed_rows;
    for (int k = 0; k < GVT_LIST_SKIP_COUNT; k++) {
        if (r->stats.skipped[k] != skipped[k])
            fail_msg("%s: %zu, want %zu", gvt_list_skip_name(k),
                     r->stats.skipped[k], skipped[k]);
        sum += skipped[k];
    }
    assert_int_equal(sum, rows); /* every row accounted for */
    assert_int_equal(lines(r->out), signed_rows);
}

static void passport(void **state)
{
    (void)state;
    /* line: expected outcome */
    static const char csv[] =
        "address,score,passing_score\n"                     /* 1 header */
        "0x1111111111111111111111111111111111111111,20,1\n" /* 2 signed */
        "0x2222222222222222222222222222222222222222,19.999999,0\n" /* 3 below */
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,42.5,1\n" /* 4 signed */
        "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed,42.5,1\n" /* 5 checksum */
        "0x333,30,1\n"                                       /* 6 bad address */
        "0x0000000000000000000000000000000000000000,30,1\n"  /* 7 zero */
        "0x4444444444444444444444444444444444444444,,0\n"    /* 8 bad score */
        "0x4444444444444444444444444444444444444444,1e2,1\n" /* 9 bad score */
        "0x5555555555555555555555555555555555555555,-1,0\n"  /* 10 below */
        "\n"                                                 /* 11 blank */
        "\"0x1111111111111111111111111111111111111111\",99,1\n"     /* 12 dup */
        "  0x6666666666666666666666666666666666666666 , 20.0 ,1\n"; /* 13 */
    run *r = sign(csv, GVT_LIST_PASSPORT, NULL, NULL, NULL);
    const size_t want[GVT_LIST_SKIP_COUNT] = {[GVT_LIST_BAD_ADDRESS] = 3,
                                              [GVT_LIST_BAD_SCORE] = 2,
                                              [GVT_LIST_BELOW_MIN_SCORE] = 2,
                                              [GVT_LIST_DUPLICATE_ADDRESS] = 1};
    expect_counts(r, 11, 3, want);
    assert_string_equal(r->skipped, "3,below-min-score\n"
                                    "5,bad-address\n"
                                    "6,bad-address\n"
                                    "7,bad-address\n"
                                    "8,bad-score\n"
                                    "9,bad-score\n"
                                    "10,below-min-score\n"
                                    "12,duplicate-address\n");
    /* the address is the nullifier; subjects in lower case */
    assert_non_null(strstr(
        r->out, "\"subject\":\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\","
                "\"nullifier\":\"0000000000000000000000005aaeb6053f3e94c9b9a0"
                "9f33669435e7ef1beaed\""));
    assert_non_null(strstr(r->out, "\"issuer\":\"" ETH_ADDRESS "\""));
    all_valid(r->out, 3);

    /* --min-score 42.5: rows 2 and 13 fall below, row 12's 99 is signed */
    r = sign(csv, GVT_LIST_PASSPORT, NULL, "42.5", NULL);
    const size_t want2[GVT_LIST_SKIP_COUNT] = {[GVT_LIST_BAD_ADDRESS] = 3,
                                               [GVT_LIST_BAD_SCORE] = 2,
                                               [GVT_LIST_BELOW_MIN_SCORE] = 4};
    expect_counts(r, 11, 2, want2);
    /* other column names through --map */
    r = sign("Wallet,Unique Humanity Score\n"
             "0x1111111111111111111111111111111111111111,25\n",
             GVT_LIST_PASSPORT, "address=wallet,score=unique humanity score",
             NULL, NULL);
    const size_t none[GVT_LIST_SKIP_COUNT] = {0};
    expect_counts(r, 1, 1, none);
}

static void proof_of_humanity(void **state)
{
    (void)state;
    static const char csv[] =
        "address,humanity_id,registered\n"
        "0x1111111111111111111111111111111111111111,"
        "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,yes\n" /* 2 human A */
        "0x2222222222222222222222222222222222222222,"
        "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,yes\n"      /* 3 human A */
        "0x3333333333333333333333333333333333333333,,no\n"      /* 4 missing */
        "0x4444444444444444444444444444444444444444,0xzz,yes\n" /* 5 bad */
        "0x5555555555555555555555555555555555555555,"
        "0x1" /* 6: 65 hex digits */
        "0000000000000000000000000000000000000000000000000000000000000000,y\n"
        "0x6666666666666666666666666666666666666666,"
        "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,yes\n"; /* 7 human B */
    run *r = sign(csv, GVT_LIST_POH, NULL, NULL, NULL);
    const size_t want[GVT_LIST_SKIP_COUNT] = {
        [GVT_LIST_MISSING_NULLIFIER] = 1, [GVT_LIST_BAD_NULLIFIER] = 2};
    expect_counts(r, 6, 3, want);
    assert_string_equal(r->skipped, "4,missing-nullifier\n"
                                    "5,bad-nullifier\n"
                                    "6,bad-nullifier\n");
    /* the humanity id left-padded, whatever its case */
    const char *padded = "\"nullifier\":\"000000000000000000000000aaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaa\"";
    const char *first = strstr(r->out, padded);
    assert_non_null(first);
    assert_non_null(strstr(first + 1, padded));
    all_valid(r->out, 3);
}

static void world_id(void **state)
{
    (void)state;
    static const char csv[] =
        "address,nullifier_hash,action\n"
        "0x1111111111111111111111111111111111111111,"
        "0x2f3a1b5c6d7e8f90112233445566778899aabbccddeeff00112233445566778,"
        "vote-42\n" /* 2 signed */
        "0x2222222222222222222222222222222222222222,"
        "12345678901234567890,vote-42\n" /* 3 signed: decimal */
        "0x3333333333333333333333333333333333333333,"
        "0x01,vote-41\n" /* 4 other action */
        "0x4444444444444444444444444444444444444444,"
        "11579208923731619542357098500868790785326998466564056403945758400791"
        "3129639936,vote-42\n"; /* 5: 2^256, too large */
    run *r = sign(csv, GVT_LIST_WORLDID, NULL, NULL, "vote-42");
    const size_t want[GVT_LIST_SKIP_COUNT] = {
        [GVT_LIST_BAD_NULLIFIER] = 1, [GVT_LIST_OTHER_ACTION] = 1};
    expect_counts(r, 4, 2, want);
    assert_string_equal(r->skipped, "4,other-action\n5,bad-nullifier\n");
    /* 12345678901234567890 = 0xab54a98ceb1f0ad2 */
    assert_non_null(strstr(
        r->out,
        "\"nullifier\":\""
        "000000000000000000000000000000000000000000000000ab54a98ceb1f0ad2\""));
    all_valid(r->out, 2);
    /* without --action every row's action is taken */
    r = sign(csv, GVT_LIST_WORLDID, NULL, NULL, NULL);
    const size_t want2[GVT_LIST_SKIP_COUNT] = {[GVT_LIST_BAD_NULLIFIER] = 1};
    expect_counts(r, 4, 3, want2);
}

static void errors(void **state)
{
    (void)state;
    run *r = sign("wallet,score\n0x1111111111111111111111111111111111111111,"
                  "30\n",
                  GVT_LIST_PASSPORT, NULL, NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_DATA);
    assert_int_equal(r->err.line, 1);
    assert_non_null(strstr(r->err.message, "no column 'address'"));
    r = sign("address,score\n0x1111111111111111111111111111111111111111,30\n"
             "0x2222222222222222222222222222222222222222\n",
             GVT_LIST_PASSPORT, NULL, NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_DATA);
    assert_int_equal(r->err.line, 3);
    assert_non_null(strstr(r->err.message, "1 fields where the header has 2"));
    assert_string_equal(r->out, ""); /* nothing of a failed list */
    r = sign("address,score\n\"0x11,30\n", GVT_LIST_PASSPORT, NULL, NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_DATA);
    assert_non_null(strstr(r->err.message, "malformed CSV"));
    r = sign("", GVT_LIST_POH, NULL, NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_DATA);
    assert_non_null(strstr(r->err.message, "no header"));
    r = sign("address,score\n", GVT_LIST_PASSPORT, "voter=address", NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_USAGE);
    r = sign("address,score\n", GVT_LIST_PASSPORT, "nullifier=x", NULL, NULL);
    assert_int_equal(r->st, GVT_ERR_USAGE);
    r = sign("address,score\n", GVT_LIST_PASSPORT, NULL, "twenty", NULL);
    assert_int_equal(r->st, GVT_ERR_USAGE);
    r = sign("address,nullifier_hash\n", GVT_LIST_WORLDID, NULL, NULL, "a");
    assert_int_equal(r->st, GVT_ERR_DATA); /* --action without the column */
    assert_non_null(strstr(r->err.message, "no column 'action'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passport),
        cmocka_unit_test(proof_of_humanity),
        cmocka_unit_test(world_id),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
