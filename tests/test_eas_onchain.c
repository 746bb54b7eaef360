/*
 * test_eas_onchain.c: reading the gvt-eas-onchain/1 records of `govtally
 * fetch eas` (crypto/eas_onchain.c, docs/fetch.md#eas-attestations), and
 * files of several kinds read as one set (gvt_attestations_read_files).
 *
 * The two records below were written by `govtally fetch eas` against anvil
 * in tests/node/fetch/eas.mjs, where each field was checked against the EAS
 * SDK's getAttestation and the uid is the one EAS.sol gave the attestation
 * (the second one revoked). The uid check is therefore EAS.sol's _getUID
 * against gvt_eas_onchain_uid. Edited copies and error places by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest_read.h"
#include "crypto/crypto.h"
#include "tmpdir.h"

static const char plain[] =
    "{\"format\":\"gvt-eas-onchain/1\",\"chain_id\":31337,\"contract\":\"0x"
    "e7f1725e7734ce288f8367e1bb143e90bb3f0512\",\"read_at\":15,\"block\":5,"
    "\"tx\":\"0xe27eadc7968259f9a5eb07e6ac84c5038b22f97f57d048b418d93c149c5"
    "81787\",\"log_index\":0,\"uid\":\"0x504af277b06ebd0fe21580ca87b9bb248f"
    "4d54fab6d645435fb68323fdeb9425\",\"schema\":\"0x4006b7b3bc2b726ef54c3b"
    "fd900ac531d1ea68708f1b27efde5155929bd815be\",\"attester\":\"0x70997970"
    "c51812dc3a010c7d01b50e0d17dc79c8\",\"recipient\":\"0x90f79bf6eb2c4f870"
    "365e785982e1f101e93b906\",\"time\":1796313018,\"expiration_time\":0,\""
    "revocation_time\":0,\"ref_uid\":\"0x0000000000000000000000000000000000"
    "000000000000000000000000000000\",\"revocable\":true,\"data\":\"0x00000"
    "0000000000000000000000000000000000000000000000000000000001e141a5e483eb"
    "d7bf69768f5238c450aa3c3913ad3d008474670404f729d287abd\",\"bump\":0}";

static const char revoked[] =
    "{\"format\":\"gvt-eas-onchain/1\",\"chain_id\":31337,\"contract\":\"0x"
    "e7f1725e7734ce288f8367e1bb143e90bb3f0512\",\"read_at\":15,\"block\":8,"
    "\"tx\":\"0x96cf5e58b897707b9a6e6c95989df4656638a1dd74b0dfe5da3727fd2a5"
    "8a849\",\"log_index\":0,\"uid\":\"0xd13d87df5f02c3c26f1e4ac936b308acf3"
    "f41af4a50bde8eeb269f3af61ecb77\",\"schema\":\"0x4006b7b3bc2b726ef54c3b"
    "fd900ac531d1ea68708f1b27efde5155929bd815be\",\"attester\":\"0x70997970"
    "c51812dc3a010c7d01b50e0d17dc79c8\",\"recipient\":\"0x976ea74026e726554"
    "db657fa54763abd0c3a0aa9\",\"time\":1796313018,\"expiration_time\":0,\""
    "revocation_time\":1796313019,\"ref_uid\":\"0x0000000000000000000000000"
    "000000000000000000000000000000000000000\",\"revocable\":true,\"data\":"
    "\"0x000000000000000000000000000000000000000000000000000000000000001668"
    "f4c7a8d4ae0713b608faaedc070169c4b01598323e094733a965b687da0ebc\",\"bum"
    "p\":0,\"revoked\":{\"block\":12,\"tx\":\"0x26b7f246fa3cafdc6da29215d2b"
    "0fbcf9ab7b291e9c8f969050464f2b4570547\",\"log_index\":0}}";

static gvt_attestations *read_ok(const char *text)
{
    return attest_read_ok("o.jsonl", text);
}

static void reads_fetched_records(void **state)
{
    (void)state;
    char both[4096];
    snprintf(both, sizeof both, "%s\n%s\n", plain, revoked);
    gvt_attestations *a = read_ok(both);
    assert_int_equal(a->n, 2);
    const gvt_attestation *t = &a->items[0];
    assert_int_equal(t->kind, GVT_SIGNER_EAS);
    assert_true(t->eas->onchain);
    assert_string_equal(t->subject,
                        "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
    assert_int_equal(t->issued_at, 1796313018);
    assert_int_equal(t->expires_at, 0);
    assert_int_equal(t->eas->chain_id, 31337);
    assert_int_equal(t->eas->data_len, 64);
    assert_int_equal(t->line, 1);
    assert_true(gvt_eas_verify(t));
    assert_false(t->eas->revoked);
    assert_true(gvt_eas_verify(&a->items[1]));
    assert_true(a->items[1].eas->revoked);
    assert_int_equal(a->items[1].line, 2);
    gvt_attestations_free(a);

    /* edited after the fetch: the uid no longer matches */
    static const char *const edits[][2] = {
        {"0x90f79bf6eb2c4f870365e785982e1f101e93b906",
         "0x90f79bf6eb2c4f870365e785982e1f101e93b907"},
        {"\"time\":1796313018", "\"time\":1796313019"},
        {"\"bump\":0", "\"bump\":1"},
        {"\"revocable\":true", "\"revocable\":false"},
        {"001e141a", "001f141a"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        a = read_ok(text_edited(plain, edits[i][0], edits[i][1]));
        if (gvt_eas_verify(&a->items[0]))
            fail_msg("edit %zu accepted", i);
        gvt_attestations_free(a);
    }
    /* where it was read and found are not hashed: an audit trail only */
    a = read_ok(text_edited(plain, "\"read_at\":15", "\"read_at\":16"));
    assert_true(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
}

static void expect_error(const char *text, long line, const char *path,
                         const char *words)
{
    attest_read_fails("o.jsonl", text, line, -1, path, words);
}

static void reader_errors(void **state)
{
    (void)state;
    char two[8448];
    snprintf(two, sizeof two, "%s\n\n%s", plain,
             text_edited(revoked, ",\"log_index\":0}}", "}}"));
    expect_error(two, 3, "$.revoked.log_index", "missing field 'log_index'");
    expect_error(text_edited(plain, "\"bump\":0", "\"bump\":4294967296"), 1,
                 "$.bump", "below 2^32");
    expect_error(
        text_edited(plain, "\"revocation_time\":0", "\"revocation_time\":5"), 1,
        "$.revocation_time", "disagree");
    expect_error(text_edited(revoked, ",\"revoked\":{", ",\"x\":{"), 1,
                 "$.revocation_time", "disagree");
    expect_error(text_edited(plain, "\"tx\":\"0xe27e", "\"tx\":\"0xe2"), 1,
                 "$.tx", "64 hex digits");
    expect_error(text_edited(plain, "\"chain_id\":31337", "\"chain_id\":-1"), 1,
                 "$.chain_id", "expected an integer");
    expect_error(text_edited(plain, "\"data\":\"0x", "\"data\":\"0x1"), 1,
                 "$.data", "even number");
    expect_error(text_edited(plain, "\"uid\":", "\"uid\":1,\"uid\":"), 1,
                 "$.uid", "duplicate key 'uid'");
    char array[8448];
    snprintf(array, sizeof array, "[%s,\n%s]", plain,
             text_edited(revoked, "\"revocable\":true", "\"revocable\":1"));
    expect_error(array, 1, "$[1].revocable", "true or false");
    /* a line of an unknown event; a revocation without its uid */
    snprintf(two, sizeof two,
             "%s\n{\"format\":\"gvt-eas-onchain/1\",\"event\":\"Revoked\"}",
             plain);
    expect_error(two, 2, "$.event", "RevokedOffchain");
    expect_error(
        "{\"format\":\"gvt-eas-onchain/1\",\"event\":\"RevokedOffchain\","
        "\"chain_id\":1,\"contract\":\"0xe7f1725e7734ce288f8367e1bb143e90bb3f"
        "0512\",\"read_at\":15,\"block\":5,\"tx\":\"0xe27eadc7968259f9a5eb07"
        "e6ac84c5038b22f97f57d048b418d93c149c581787\",\"log_index\":0,"
        "\"revoker\":\"0x70997970c51812dc3a010c7d01b50e0d17dc79c8\",\"time\":"
        "1}",
        1, "$.uid", "missing field 'uid'");
    /* a later line of another format */
    snprintf(two, sizeof two, "%s\n{\"format\":\"gvt-eas-onchain/2\"}", plain);
    expect_error(two, 2, "$.format", "gvt-eas-onchain/1");
}

/* One set from files of three kinds. */
static void reads_several_files(void **state)
{
    (void)state;
    char p1[300], p2[300], p3[300], text[4096];
    snprintf(text, sizeof text, "%s\n", plain);
    snprintf(p1, sizeof p1, "%s", tmpdir_write("onchain.jsonl", text));
    snprintf(text, sizeof text, "[%s]\n", revoked);
    snprintf(p2, sizeof p2, "%s", tmpdir_write("more.json", text));
    snprintf(text, sizeof text, "%s\n{\"format\":1}\n", plain);
    snprintf(p3, sizeof p3, "%s", tmpdir_write("bad.jsonl", text));
    const char *paths[3] = {p1, p2, p3};
    gvt_attestations *a = NULL;
    gvt_error err;
    assert_int_equal(gvt_attestations_read_files(paths, 2, &a, &err), GVT_OK);
    assert_int_equal(gvt_attestations_count(a), 2);
    assert_true(a->items[1].eas->revoked);
    gvt_attestations_free(a);
    assert_int_equal(gvt_attestations_read_files(paths, 3, &a, &err),
                     GVT_ERR_DATA);
    assert_null(a);
    assert_string_equal(err.file, p3);
    assert_int_equal(err.line, 2);
    assert_int_equal(gvt_attestations_read_files(paths, 0, &a, &err),
                     GVT_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_fetched_records),
        cmocka_unit_test(reader_errors),
        cmocka_unit_test(reads_several_files),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
