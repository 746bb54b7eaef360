/*
 * test_attestation.c: the attestation and trust readers (crypto/attestation.c,
 * crypto/trust.c; docs/formats.md#attestations, #trust-file) and the one
 * Ed25519 check (RFC 8032).
 *
 * Expectations come from outside the code under test: RFC 8032 section 7.1
 * (transcribed, and cross-checked with Node's crypto which reproduces every
 * public key and signature), ids from Python's hashlib.blake2b(digest_size=
 * 32) over the canonical message written out by hand, and positions of
 * errors counted by hand in the inputs below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "attest_read.h"
#include "crypto/crypto.h"

/* ---- RFC 8032 ------------------------------------------------------------ */

typedef struct vector {
    const char *name, *sk, *pk, *msg, *sig;
} vector;

static const vector rfc8032[] = {
    {"TEST 1",
     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2",
     "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3",
     "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024",
     "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
     "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
     "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
     "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
     "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
     "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
     "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
     "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
     "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
     "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
     "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
     "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
     "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
     "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
     "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
     "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
     "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
     "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
     "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
     "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
     "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
     "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)",
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};
#define N_VECTORS (sizeof rfc8032 / sizeof rfc8032[0])

static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = strlen(hex) / 2;
    assert_true(gvt_hex_decode(out, hex, 2 * n, n));
    return n;
}

static void rfc8032_vectors_verify(void **state)
{
    (void)state;
    uint8_t pk[32], sig[64], msg[1024], seed[32], pk2[32], sk[64], sig2[64];
    for (size_t v = 0; v < N_VECTORS; v++) {
        unhex(pk, rfc8032[v].pk);
        unhex(sig, rfc8032[v].sig);
        unhex(seed, rfc8032[v].sk);
        size_t n = unhex(msg, rfc8032[v].msg);
        assert_true(
            gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), sig, msg, n));
        /* and libsodium derives the same key and signature from the seed */
        crypto_sign_seed_keypair(pk2, sk, seed);
        assert_memory_equal(pk, pk2, 32);
        crypto_sign_detached(sig2, NULL, msg, n, sk);
        assert_memory_equal(sig, sig2, 64);
    }
    assert_int_equal(N_VECTORS, 5);
    assert_int_equal(unhex(msg, rfc8032[3].msg), 1023);
}

static void flipped_bits_fail(void **state)
{
    (void)state;
    uint8_t pk[32], sig[64], msg[1024];
    for (size_t v = 0; v < N_VECTORS; v++) {
        unhex(pk, rfc8032[v].pk);
        size_t n = unhex(msg, rfc8032[v].msg);
        for (int bit = 0; bit < 512; bit += 37) {
            unhex(sig, rfc8032[v].sig);
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_false(
                gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), sig, msg, n));
        }
        unhex(sig, rfc8032[v].sig);
        if (n > 0) {
            msg[n - 1] ^= 1;
            assert_false(
                gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), sig, msg, n));
            msg[n - 1] ^= 1;
        }
        pk[0] ^= 1;
        assert_false(
            gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), sig, msg, n));
    }
}

static void bad_points_and_scalars_fail(void **state)
{
    (void)state;
    uint8_t pk[32], sig[64], msg[8];
    unhex(pk, rfc8032[1].pk);
    unhex(sig, rfc8032[1].sig);
    size_t n = unhex(msg, rfc8032[1].msg);
    assert_true(gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), sig, msg, n));

    /* small-order key: the identity point (0, 1) */
    uint8_t ident[32] = {1};
    assert_false(
        gvt_ed25519_verify(ident, gvt_ed25519_key_valid(ident), sig, msg, n));
    /* non-canonical key: y = p = 2^255 - 19 encodes y = 0 non-canonically */
    uint8_t noncanon[32];
    memset(noncanon, 0xff, 32);
    noncanon[0] = 0xed;
    noncanon[31] = 0x7f;
    assert_false(gvt_ed25519_verify(noncanon, gvt_ed25519_key_valid(noncanon),
                                    sig, msg, n));
    /* a key of order 8 with the sign bit set ((0, -1) is order 2) */
    uint8_t minus_one[32];
    memset(minus_one, 0xff, 32);
    minus_one[0] = 0xec;
    minus_one[31] = 0x7f;
    assert_false(gvt_ed25519_verify(minus_one, gvt_ed25519_key_valid(minus_one),
                                    sig, msg, n));

    /* S + L instead of S: the same point, a non-canonical scalar */
    static const uint8_t L[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
        0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    uint8_t big[64];
    memcpy(big, sig, 64);
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned s = big[32 + i] + L[i] + carry;
        big[32 + i] = (uint8_t)s;
        carry = s >> 8;
    }
    assert_int_equal(carry, 0);
    assert_false(
        gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), big, msg, n));

    /* R not a valid point: the identity (small order), and a y off the
     * curve's main subgroup encodings */
    uint8_t r_bad[64];
    memcpy(r_bad, sig, 64);
    memcpy(r_bad, ident, 32);
    assert_false(
        gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), r_bad, msg, n));
    memcpy(r_bad, noncanon, 32);
    assert_false(
        gvt_ed25519_verify(pk, gvt_ed25519_key_valid(pk), r_bad, msg, n));
}

/* ---- the attestation reader ---------------------------------------------- */

#define ISSUER1                                                                \
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define NULL_AB                                                                \
    "abababababababababababababababababababababababababababababababab"
#define SIG0                                                                   \
    "0000000000000000000000000000000000000000000000000000000000000000"         \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* One attestation line; the fields of docs/formats.md#attestations with issuer,
 * subject and nullifier in upper case where hex allows. */
#define GOOD                                                                   \
    "{\"v\":1,\"issuer\":\"D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325"   \
    "AF021A68F707511A\",\"subject\":\"0xABCDEF0123456789ABCDEF0123456789ABC"   \
    "DEF01\",\"nullifier\":\"" NULL_AB "\",\"scope\":\"ens.eth\","             \
    "\"issued_at\":1700000000,\"expires_at\":1800000000,\"weight\":\"0.25\","  \
    "\"sig\":\"" SIG0 "\"}"

static gvt_attestations *read_ok(const char *text)
{
    return attest_read_ok("t.jsonl", text);
}

static void canonical_message_and_id(void **state)
{
    (void)state;
    gvt_attestations *a = read_ok(GOOD "\n");
    assert_int_equal(gvt_attestations_count(a), 1);
    const gvt_attestation *t = &a->items[0];
    char msg[GVT_ATTEST_MSG_MAX];
    size_t n = gvt_attestation_message(t, msg);
    const char *want = "gvt-attestation/1\n"
                       "issuer=" ISSUER1 "\n"
                       "subject=0xabcdef0123456789abcdef0123456789abcdef01\n"
                       "nullifier=" NULL_AB "\n"
                       "scope=ens.eth\n"
                       "issued_at=1700000000\n"
                       "expires_at=1800000000\n"
                       "weight=0.25\n";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(msg, want, n);
    char id[65];
    gvt_hex_encode(id, t->id, 32);
    /* Python: hashlib.blake2b(want, digest_size=32).hexdigest() */
    assert_string_equal(
        id, "e98105cdf7c3144689ff7f4e315703fa96df47304032f0332ef83150fce986a1");
    assert_string_equal(t->subject,
                        "0xabcdef0123456789abcdef0123456789abcdef01");
    assert_int_equal(t->weight, 250000);
    assert_int_equal(t->line, 1);
    gvt_attestations_free(a);
}

static void array_lines_and_unknown_keys(void **state)
{
    (void)state;
    /* JSON array over several lines, unknown keys (nested too) ignored */
    const char *text = "[\n" GOOD ",\n\n  {\"x\":{\"v\":[1,{\"y\":null}]},"
                       "\"v\":1,\"issuer\":\"" ISSUER1 "\",\"subject\":\"0x"
                       "0000000000000000000000000000000000000000000000000000"
                       "00000000000a\",\"nullifier\":\"" NULL_AB "\","
                       "\"scope\":\"*\",\"issued_at\":0,\"expires_at\":0,"
                       "\"weight\":\"1\",\"sig\":\"" SIG0 "\",\"id\":\"x\"}"
                       "\n]\n";
    gvt_attestations *a = read_ok(text);
    assert_int_equal(gvt_attestations_count(a), 2);
    assert_int_equal(a->items[0].line, 2);
    assert_int_equal(a->items[1].line, 4);
    assert_int_equal(a->items[1].weight, GVT_WEIGHT_ONE);
    assert_string_equal(a->items[1].scope, "*");
    assert_int_equal(strlen(a->items[1].subject), 66);
    gvt_attestations_free(a);

    /* JSON Lines with blank lines and CRLF; the same object twice is read
     * twice (duplicates are judged later, not refused) */
    a = read_ok("\n" GOOD "\r\n\r\n" GOOD "\n");
    assert_int_equal(gvt_attestations_count(a), 2);
    assert_int_equal(a->items[0].line, 2);
    assert_int_equal(a->items[1].line, 4);
    assert_memory_equal(a->items[0].id, a->items[1].id, 32);
    gvt_attestations_free(a);

    a = read_ok("");
    assert_int_equal(gvt_attestations_count(a), 0);
    gvt_attestations_free(a);
    a = read_ok(" [ ] ");
    assert_int_equal(gvt_attestations_count(a), 0);
    gvt_attestations_free(a);
}

/* Reads text and expects a data error at line:column with path. */
static void expect_error(const char *text, long line, long column,
                         const char *path, const char *message_part)
{
    attest_read_fails("bad.jsonl", text, line, column, path, message_part);
}

/* GOOD with one field's text replaced: FIELD is the text from the key to
 * the end of its value, as in GOOD. */
static char *good_with(const char *from, const char *to)
{
    static char buf[2048];
    const char *g = GOOD;
    const char *at = strstr(g, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - g), g, to,
             at + strlen(from));
    return buf;
}

static void malformed_attestations(void **state)
{
    (void)state;
    char text[4096];
    /* column = 1-based position just after the offending value */
#define AT(from, to, col, path, msg)                                           \
    do {                                                                       \
        snprintf(text, sizeof text, GOOD "\n%s\n", good_with(from, to));       \
        expect_error(text, 2, col, path, msg);                                 \
    } while (0)
    const char *w = strstr(GOOD, "\"weight\":\"0.25\"");
    long wcol = (long)(w - GOOD) + 10; /* the column of the value's quote */
    AT("\"0.25\"", "\"0.250\"", wcol + 7, "$.weight", "canonical weight");
    AT("\"0.25\"", "\".25\"", wcol + 5, "$.weight", "canonical weight");
    AT("\"0.25\"", "\"1.0\"", wcol + 5, "$.weight", "canonical weight");
    AT("\"0.25\"", "\"1.5\"", wcol + 5, "$.weight", "canonical weight");
    AT("\"0.25\"", "\"+0.5\"", wcol + 6, "$.weight", "canonical weight");
    AT("\"0.25\"", "\"0.1234567\"", wcol + 11, "$.weight", "canonical weight");
    AT("\"0.25\"", "0.25", wcol + 4, "$.weight", "expected a string");
    const char *s = strstr(GOOD, "\"ens.eth\"");
    long scol = (long)(s - GOOD) + 1;
    AT("\"ens.eth\"", "\"ens eth\"", scol + 9, "$.scope", "A-Za-z0-9");
    AT("\"ens.eth\"", "\"\"", scol + 2, "$.scope", "A-Za-z0-9");
    AT("\"ens.eth\"", "\"**\"", scol + 4, "$.scope", "A-Za-z0-9");
    const char *i = strstr(GOOD, "1700000000");
    long icol = (long)(i - GOOD) + 1;
    AT("1700000000", "-1", icol + 2, "$.issued_at", "unix seconds");
    AT("1700000000", "017", icol + 1, "$", "invalid JSON");
    AT("1700000000", "1.5", icol + 3, "$.issued_at", "unix seconds");
    AT("1700000000", "1e3", icol + 3, "$.issued_at", "unix seconds");
    AT("1700000000", "\"17\"", icol + 4, "$.issued_at", "expected an integer");
    AT("1700000000", "99999999999999999999", icol + 20, "$.issued_at",
       "unix seconds");
    AT("\"v\":1", "\"v\":3", 7, "$.v", "version");
    AT("\"v\":1", "\"v\":1,\"v\":1", 11, "$.v", "duplicate key 'v'");
    AT("\"v\":1", "\"v\":1,\"zz\":1,\"zz\":[]", 19, "$.zz",
       "duplicate key 'zz'");
    AT("\"v\":1,", "", 1, "$", "missing field 'v'");
    AT("\"v\":1", "\"v\":null", 10, "$.v", "found null");
    AT("\"v\":1", "\"v\":[1]", 7, "$.v", "found an array");
#undef AT
}

static void malformed_documents(void **state)
{
    (void)state;
    /* nullifier of the wrong length: position after the value */
    char text[4096];
    snprintf(text, sizeof text, "%s\n", good_with(NULL_AB, "abab"));
    const char *nf = strstr(text, "\"abab\"");
    expect_error(text, 1, (long)(nf - text) + 7, "$.nullifier",
                 "64 hex digits");
    snprintf(text, sizeof text, "%s\n",
             good_with("0xABCDEF0123456789ABCDEF0123456789ABCDEF01",
                       "0xABCDEF0123456789ABCDEF0123456789ABCDEF0"));
    nf = strstr(text, "0xABCDEF0123456789ABCDEF0123456789ABCDEF0\"");
    expect_error(text, 1, (long)(nf - text) + 43, "$.subject", "address");

    expect_error("[1]", 1, 3, "$[0]", "expected an attestation object");
    expect_error("[\n" GOOD ",\n[]\n]", 3, 2, "$[1]",
                 "expected an attestation object");
    expect_error(GOOD "\n[" GOOD "]\n", 2, 2, "$",
                 "expected an attestation object");
    expect_error(GOOD "\n\"x\"\n", 2, 4, "$", "expected an attestation object");
    expect_error(GOOD "\n{\"v\":1\n", 2, 7, "$", "invalid JSON");
    long len = (long)strlen(GOOD);
    /* just after the second object's '{' */
    expect_error(GOOD "\n" GOOD GOOD "\n", 2, len + 2, "$", "invalid JSON");
    /* just after the 'x' */
    expect_error("[" GOOD "] x", 1, len + 5, "$[1]", "invalid JSON");
    expect_error("{\"v\":1 /* c */}", 1, 8, "$", "comments are not enabled");
}

/* ---- the trust reader ---------------------------------------------------- */

static void trust_reads_with_defaults(void **state)
{
    (void)state;
    const char *text =
        "{\"v\": 1, \"extra\": {\"a\": [1]}, \"issuers\": [\n"
        " {\"key\": \"" ISSUER1 "\"},\n"
        " {\"name\": \"half\", \"key\": \"3D4017C3E843895A92B70AA74D1B7EBC9C"
        "982CCF2EC4968CC0CD55F12AF4660C\", \"weight\": \"0.5\",\n"
        "  \"valid_from\": 10, \"valid_until\": 20, \"revoked\": [\"" NULL_AB
        "\", \"" ISSUER1 "\"], \"revoked_nullifiers\": [], \"note\": null}\n"
        "]}\n";
    gvt_trust *t = NULL;
    gvt_error err;
    assert_int_equal(gvt_trust_read_mem("i.json", text, strlen(text), &t, &err),
                     GVT_OK);
    assert_int_equal(t->n, 2);
    uint8_t k1[32], k2[32];
    unhex(k1, ISSUER1);
    unhex(k2, rfc8032[1].pk);
    const gvt_issuer *a = gvt_trust_find(t, GVT_SIGNER_ED25519, k1),
                     *b = gvt_trust_find(t, GVT_SIGNER_ED25519, k2);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->name, ISSUER1);
    assert_int_equal(a->weight, GVT_WEIGHT_ONE);
    assert_int_equal(a->valid_from, 0);
    assert_int_equal(a->n_revoked, 0);
    assert_true(a->key_ok);
    assert_string_equal(b->name, "half");
    assert_int_equal(b->weight, 500000);
    assert_int_equal(b->valid_from, 10);
    assert_int_equal(b->valid_until, 20);
    assert_int_equal(b->n_revoked, 2);
    assert_int_equal(b->n_revoked_nullifiers, 0);
    /* sorted: ab.. after d7.. is false, so ab.. comes first */
    assert_int_equal(b->revoked[0][0], 0xab);
    uint8_t k3[32] = {0};
    assert_null(gvt_trust_find(t, GVT_SIGNER_ED25519, k3));
    gvt_trust_free(t);
}

static void expect_trust_error(const char *text, long line, long column,
                               const char *path, const char *part)
{
    gvt_trust *t = (gvt_trust *)1;
    gvt_error err;
    assert_int_equal(gvt_trust_read_mem("i.json", text, strlen(text), &t, &err),
                     GVT_ERR_DATA);
    assert_null(t);
    if (err.line != line || err.column != column ||
        strcmp(err.path, path) != 0 || !strstr(err.message, part))
        fail_msg("got %ld:%ld %s '%s', want %ld:%ld %s '%s'", err.line,
                 err.column, err.path, err.message, line, column, path, part);
}

static void malformed_trust(void **state)
{
    (void)state;
    expect_trust_error("", 1, 1, "$", "empty");
    expect_trust_error("[]", 1, 2, "$", "expected the trust object");
    expect_trust_error("{\"v\": 2, \"issuers\": []}", 1, 8, "$.v", "version");
    expect_trust_error("{\"issuers\": []}", 1, 1, "$", "missing field 'v'");
    expect_trust_error("{\"v\": 1}", 1, 1, "$", "missing field 'issuers'");
    expect_trust_error("{\"v\": 1, \"v\": 1, \"issuers\": []}", 1, 13, "$.v",
                       "duplicate key 'v'");
    expect_trust_error("{\"v\": 1, \"issuers\": [{\"name\": \"x\"}]}", 1, 22,
                       "$.issuers[0]", "missing field 'key'");
    expect_trust_error("{\"v\": 1, \"issuers\": [\n{\"key\": \"" ISSUER1
                       "\"},\n{\"key\": \"" ISSUER1 "\"}]}",
                       3, 1, "$.issuers[1]", "listed twice");
    expect_trust_error("{\"v\": 1, \"issuers\": [\n{\"key\": \"" ISSUER1
                       "\",\n \"revoked\": [\"" NULL_AB "\", \"abc\"]}]}",
                       3, 87, "$.issuers[0].revoked[1]", "64 hex digits");
    expect_trust_error("{\"v\": 1, \"issuers\": [{\"key\": \"" ISSUER1
                       "\", \"weight\": 1}]}",
                       1, 109, "$.issuers[0].weight", "expected a string");
    expect_trust_error("{\"v\": 1, \"issuers\": [{\"key\": \"" ISSUER1
                       "\", \"weight\": \"1.00\"}]}",
                       1, 114, "$.issuers[0].weight", "canonical weight");
    expect_trust_error("{\"v\": 1, \"issuers\": [{\"key\": \"" ISSUER1
                       "\", \"valid_from\": -5}]}",
                       1, 114, "$.issuers[0].valid_from", "unix seconds");
    expect_trust_error("{\"v\": 1, \"issuers\": [{\"key\": \"" ISSUER1
                       "\", \"key\": \"" ISSUER1 "\"}]}",
                       1, 103, "$.issuers[0].key", "duplicate key 'key'");
    expect_trust_error("{\"v\": 1, \"issuers\": {}}", 1, 22, "$.issuers",
                       "expected an array of issuers");
    expect_trust_error("{\"v\": 1, \"issuers\": []} {}", 1, 26, "$",
                       "invalid JSON");

    /* Unknown keys are ignored but may not repeat within one object (the
     * second "x" ends at byte 20); each object has its own set. */
    expect_trust_error("{\"v\": 1, \"x\": 1, \"x\": 2, \"issuers\": []}", 1, 21,
                       "$.x", "duplicate key 'x'");
    gvt_trust *t = NULL;
    gvt_error err;
    const char *again =
        "{\"x\": 1, \"v\": 1, \"issuers\": [{\"x\": 2, \"key\": "
        "\"" ISSUER1 "\"}]}";
    assert_int_equal(
        gvt_trust_read_mem("i.json", again, strlen(again), &t, &err), GVT_OK);
    assert_int_equal(t->n, 1);
    gvt_trust_free(t);
    /* yajl's "parse error: trailing garbage\n", kept on one line. */
    const char *garbage = "{\"v\": 1, \"issuers\": []} {}";
    assert_int_equal(
        gvt_trust_read_mem("i.json", garbage, strlen(garbage), &t, &err),
        GVT_ERR_DATA);
    assert_string_equal(err.message,
                        "invalid JSON: parse error: trailing garbage");
}

static void canonical_forms(void **state)
{
    (void)state;
    uint32_t w;
    static const struct {
        const char *text;
        bool ok;
        uint32_t value;
    } weights[] = {{"0", true, 0},
                   {"1", true, 1000000},
                   {"0.5", true, 500000},
                   {"0.000001", true, 1},
                   {"0.999999", true, 999999},
                   {"0.0000001", false, 0},
                   {"0.10", false, 0},
                   {"00", false, 0},
                   {"01", false, 0},
                   {"1.0", false, 0},
                   {"0.", false, 0},
                   {"-0", false, 0},
                   {"2", false, 0},
                   {"0.5 ", false, 0},
                   {"", false, 0},
                   {"0,5", false, 0}};
    for (size_t i = 0; i < sizeof weights / sizeof weights[0]; i++) {
        bool ok =
            gvt_weight_parse(weights[i].text, strlen(weights[i].text), &w);
        if (ok != weights[i].ok || (ok && w != weights[i].value))
            fail_msg("weight '%s'", weights[i].text);
        if (ok) {
            char back[16];
            gvt_weight_format(w, back);
            assert_string_equal(back, weights[i].text);
        }
    }
    char scope[130];
    memset(scope, 'a', 128);
    scope[128] = '\0';
    assert_true(gvt_scope_valid(scope, 128));
    assert_false(gvt_scope_valid(scope, 129));
    assert_true(gvt_scope_valid("A-z_0.9:x", 9));
    assert_false(gvt_scope_valid("a/b", 3));
    assert_false(gvt_scope_valid("é", strlen("é")));
    /* Addresses: 0x or 0X and 40 or 64 hex digits, written lower-case. */
    char addr[67];
    assert_false(gvt_address_lower("0XABCDEF0123456789abcdefABCDEF01234567", 40,
                                   addr)); /* 38 digits */
    assert_true(gvt_address_lower("0XABCDEF0123456789abcdefABCDEF0123456789Aa",
                                  42, addr));
    assert_string_equal(addr, "0xabcdef0123456789abcdefabcdef0123456789aa");
    assert_false(gvt_address_lower("0xgbcdef0123456789abcdefABCDEF0123456789Aa",
                                   42, addr));
    assert_false(gvt_address_lower("1xabcdef0123456789abcdefABCDEF0123456789Aa",
                                   42, addr));
}

/* Seeded mutations of valid inputs: every outcome is GVT_OK or a data error
 * with a position, never a crash (run under the asan preset too). */
static void mutations_never_crash(void **state)
{
    (void)state;
    const char *seeds[] = {
        "[" GOOD ",\n" GOOD "]", GOOD "\n" GOOD "\n",
        "{\"v\": 1, \"issuers\": [{\"name\": \"n\", \"key\": \"" ISSUER1
        "\", \"revoked\": [\"" NULL_AB "\"], \"x\": [{}]}]}"};
    static const char alphabet[] = "{}[],:\"\\ 0123456789abcdefABCDEF.-+eE"
                                   "xtrue\n\x00\xff";
    uint32_t seed = 20261129;
    for (int round = 0; round < 3000; round++) {
        const char *base = seeds[round % 3];
        size_t len = strlen(base);
        char *text = gvt_xmalloc(len + 1);
        memcpy(text, base, len + 1);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            text[at] = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
        }
        gvt_error err;
        if (round % 3 == 2) {
            gvt_trust *t = NULL;
            gvt_status st = gvt_trust_read_mem("m", text, len, &t, &err);
            assert_true(st == GVT_OK || (st == GVT_ERR_DATA && err.line > 0));
            gvt_trust_free(t);
        } else {
            gvt_attestations *a = NULL;
            gvt_status st = gvt_attestations_read_mem("m", text, len, &a, &err);
            if (!(st == GVT_OK || (st == GVT_ERR_DATA && err.line > 0)))
                fail_msg("round %d (seed 20261129): status %d line %ld", round,
                         st, err.line);
            gvt_attestations_free(a);
        }
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc8032_vectors_verify),
        cmocka_unit_test(flipped_bits_fail),
        cmocka_unit_test(bad_points_and_scalars_fail),
        cmocka_unit_test(canonical_message_and_id),
        cmocka_unit_test(array_lines_and_unknown_keys),
        cmocka_unit_test(malformed_attestations),
        cmocka_unit_test(malformed_documents),
        cmocka_unit_test(trust_reads_with_defaults),
        cmocka_unit_test(malformed_trust),
        cmocka_unit_test(canonical_forms),
        cmocka_unit_test(mutations_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
