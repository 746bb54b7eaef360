/*
 * test_eas_read.c: reading EAS packages (crypto/eas.c) and EAS sources of
 * the trust file (crypto/trust.c), docs/identity.md#eas-attestations.
 *
 * The package below was written by the EAS SDK 2.10.0
 * (signOffchainAttestation, version 2, key keccak256("cow"), chain 10,
 * contract 0x4200...0021; the SDK's verifyOffchainAttestationSignature
 * accepts it). Error places are counted by hand; the SDK's record is
 * edited by hand for the refused copies.
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

#define SCHEMA                                                                 \
    "0x5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c"
#define DATA                                                                   \
    "0x0000000000000000000000000000000000000000000000000000000000000019a76693" \
    "2420cc6e9072394bef2c036ad8972c44696fee29397bd5e2c06001f615"

static const char sdk_v2[] =
    "{\"sig\":{\"version\":2,\"uid\":\"0x25998872f2c0401b824bdb5a8d3f5aa24738"
    "b0f898231e27de4a0b1b84a86c9b\",\"domain\":{\"name\":\"EAS Attestation\","
    "\"version\":\"1.0.1\",\"chainId\":\"10\",\"verifyingContract\":\"0x4200"
    "000000000000000000000000000000000021\"},\"primaryType\":\"Attest\","
    "\"message\":{\"version\":2,\"recipient\":\"0xAb5801a7D398351b8bE11C439e05"
    "C5B3259aeC9B\",\"expirationTime\":\"0\",\"time\":\"1700000000\","
    "\"revocable\":true,\"schema\":\"" SCHEMA "\",\"refUID\":\"0x00000000000000"
    "00000000000000000000000000000000000000000000000000\",\"data\":\"" DATA
    "\",\"salt\":\"0x10ae59150fe40f3d5c1fa78fd39fe34e9c28a22e9944af806a328021"
    "ff795414\"},\"types\":{},\"signature\":{\"v\":28,\"r\":\"0x4387107d4f188c"
    "50fa61f5d5373c2f579a234bb7d2f8253b52e65f005b2caf1d\",\"s\":\"0x501529be12"
    "a27acb16d1b3701913a4e53ecec8cf8ffdc3ca7686cf934159c087\"}},\"signer\":"
    "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"}";

/* sdk_v2 with the first occurrence of from replaced by to. */
static const char *edited(const char *from, const char *to)
{
    return text_edited(sdk_v2, from, to);
}

static gvt_attestations *read_ok(const char *text)
{
    return attest_read_ok("e.jsonl", text);
}

static void reads_sdk_package(void **state)
{
    (void)state;
    gvt_attestations *a = read_ok(sdk_v2);
    assert_int_equal(a->n, 1);
    assert_true(a->has_eas);
    const gvt_attestation *t = &a->items[0];
    assert_int_equal(t->kind, GVT_SIGNER_EAS);
    assert_string_equal(t->subject,
                        "0xab5801a7d398351b8be11c439e05c5b3259aec9b");
    assert_int_equal(t->issued_at, 1700000000);
    assert_int_equal(t->eas->chain_id, 10);
    assert_int_equal(t->eas->data_len, 64);
    assert_true(t->eas->consistent);
    assert_true(gvt_eas_verify(t));
    gvt_attestations_free(a);
    /* numbers as JSON numbers or hex read the same; an edited time does
     * not verify */
    a = read_ok(edited("\"time\":\"1700000000\"", "\"time\":1700000000"));
    assert_true(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
    a = read_ok(edited("\"chainId\":\"10\"", "\"chainId\":\"0xa\""));
    assert_true(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
    a = read_ok(edited("\"time\":\"1700000000\"", "\"time\":\"1700000001\""));
    assert_false(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
    /* the wrong domain name or primary type: refused at the signature */
    a = read_ok(edited("EAS Attestation", "EAS"));
    assert_false(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
    a = read_ok(edited("\"Attest\"", "\"Attestation\""));
    assert_false(gvt_eas_verify(&a->items[0]));
    gvt_attestations_free(a);
}

static void expect_error(const char *text, long line, const char *path,
                         const char *words)
{
    attest_read_fails("e.jsonl", text, line, -1, path, words);
}

static void reader_errors(void **state)
{
    (void)state;
    char two[8448];
    snprintf(two, sizeof two, "%s\n\n%s", sdk_v2,
             edited("\"time\":\"1700000000\",", ""));
    expect_error(two, 3, "$.sig.message.time", "missing field 'time'");
    expect_error(edited("\"time\":\"1700000000\"", "\"time\":\"17e8\""), 1,
                 "$.sig.message.time", "expected an integer");
    expect_error(
        edited("\"time\":\"1700000000\"", "\"time\":\"99999999999999999999\""),
        1, "$.sig.message.time", "out of range");
    expect_error(edited("\"version\":2,\"uid\"", "\"version\":3,\"uid\""), 1,
                 "$.sig.version", "off-chain version 3");
    expect_error(edited(DATA, "0x123"), 1, "$.sig.message.data",
                 "even number of hex digits");
    expect_error(edited("\"revocable\":true", "\"revocable\":1"), 1,
                 "$.sig.message.revocable", "true or false");
    expect_error(edited("\"signer\":", "\"signer\":\"0x12\",\"signer\":"), 1,
                 "$.signer", "duplicate key 'signer'");
    expect_error(edited(",\"salt\"", ",\"pepper\""), 1, "$.sig.message.salt",
                 "missing field 'salt'");
    char array[8448];
    snprintf(array, sizeof array, "[%s,\n%s]", sdk_v2,
             edited("\"v\":28", "\"v\":\"x\""));
    expect_error(array, 1, "$[1].sig.signature.v", "expected an integer");
}

static void expect_trust_error(const char *source, const char *words)
{
    char text[1024];
    snprintf(text, sizeof text, "{\"v\":1,\"issuers\":[%s]}", source);
    gvt_trust *t = (gvt_trust *)1;
    gvt_error err;
    assert_int_equal(gvt_trust_read_mem("i.json", text, strlen(text), &t, &err),
                     GVT_ERR_DATA);
    assert_null(t);
    if (!strstr(err.message, words))
        fail_msg("%s: got '%s'", source, err.message);
}

#define SOURCE                                                                 \
    "{\"attester\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\","            \
    "\"schema\":\"" SCHEMA "\",\"chain_id\":10,\"contract\":"                  \
    "\"0x4200000000000000000000000000000000000021\","

static void trust_sources(void **state)
{
    (void)state;
    const char text[] =
        "{\"v\":1,\"issuers\":[" SOURCE
        "\"fields\":\"uint256 score, bytes32 humanId\",\"nullifier\":"
        "\"humanId\",\"scope\":\"ens.eth\"}]}";
    gvt_trust *t = NULL;
    gvt_error err;
    assert_int_equal(gvt_trust_read_mem("i.json", text, strlen(text), &t, &err),
                     GVT_OK);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->issuers[0].kind, GVT_SIGNER_EAS);
    assert_int_equal(t->issuers[0].eas->nullifier, GVT_EAS_NUL_FIELD);
    assert_int_equal(t->issuers[0].eas->field, 1);
    /* the SDK's record: its source; humanId is the data's second word */
    gvt_attestations *a = read_ok(sdk_v2);
    bool known;
    const gvt_issuer *is = gvt_trust_find_eas(t, &a->items[0], &known);
    assert_non_null(is);
    assert_true(gvt_eas_resolve(is, &a->items[0]));
    assert_int_equal(a->items[0].nullifier[0], 0xa7);
    assert_int_equal(a->items[0].nullifier[31], 0x15);
    assert_string_equal(a->items[0].scope, "ens.eth");
    gvt_attestations_free(a);
    /* another chain: the attester is known, the source is not */
    a = read_ok(edited("\"chainId\":\"10\"", "\"chainId\":\"1\""));
    assert_null(gvt_trust_find_eas(t, &a->items[0], &known));
    assert_true(known);
    gvt_attestations_free(a);
    gvt_trust_free(t);

    expect_trust_error(SOURCE "\"nullifier\":\"humanId\"}",
                       "neither uid, refUID nor a field");
    expect_trust_error(SOURCE "\"fields\":\"bool ok\",\"nullifier\":\"ok\"}",
                       "is a bool, not a value that names a human");
    expect_trust_error(SOURCE "\"fields\":\"uint7 x\",\"nullifier\":\"uid\"}",
                       "fields: unknown type 'uint7'");
    expect_trust_error("{\"attester\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8"
                       "DD826\",\"nullifier\":\"uid\"}",
                       "missing field 'schema' (an EAS source)");
    expect_trust_error("{\"address\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8"
                       "DD826\",\"schema\":\"" SCHEMA "\"}",
                       "'schema' belongs to an EAS source");
    expect_trust_error(SOURCE "\"nullifier\":\"uid\"}," SOURCE
                              "\"nullifier\":\"refUID\"}",
                       "listed twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_sdk_package),
        cmocka_unit_test(reader_errors),
        cmocka_unit_test(trust_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
