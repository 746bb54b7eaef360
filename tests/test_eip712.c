/*
 * test_eip712.c: EIP-712 typed data (crypto/eth/eip712.c, with the struct
 * parser of abi_type.c and the signatures of secp256k1.c).
 *
 * Expectations come from outside the code under test: EIP-712's published
 * "Mail" example (encodeType, type hash, struct hash, domain separator,
 * digest, signature and signer), and for the shapes govtally reads (EAS
 * off-chain attestations of versions 0, 1 and 2, and govtally's own
 * attestation type) the values ethers 6.17.0 computes for the same typed
 * data (TypedDataEncoder.hashDomain, hashStruct, hash; Wallet.signTypedData
 * with the key keccak256("govtally eth test key")).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/eth/eth.h"
#include "eth_hex.h"

#define TEXT(s)                                                                \
    {                                                                          \
        .text = s                                                              \
    }
#define STR(s)                                                                 \
    {                                                                          \
        .bytes = (const uint8_t *)s, .len = sizeof s - 1                       \
    }
#define ITEMS(a)                                                               \
    {                                                                          \
        .items = a, .n = sizeof a / sizeof a[0]                                \
    }

static const gvt_abi_type *types_of(gvt_eth_types **ts, const char *text,
                                    const char *primary)
{
    gvt_eth_error err;
    if (!gvt_eip712_types_parse(text, strlen(text), ts, &err))
        fail_msg("types '%s': %s", text, err.message);
    const gvt_abi_type *t = gvt_eth_types_find(*ts, primary);
    assert_non_null(t);
    return t;
}

static const char *hash_of(const gvt_abi_type *t, const gvt_eth_value *v)
{
    uint8_t h[32];
    gvt_eth_error err;
    if (!gvt_eip712_hash_struct(t, v, h, &err))
        fail_msg("hashStruct: %s", err.message);
    return eth_hex(h, 32);
}

static const char *domain_of(const gvt_eip712_domain *d)
{
    uint8_t h[32];
    gvt_eth_error err;
    if (!gvt_eip712_domain_separator(d, h, &err))
        fail_msg("domain: %s", err.message);
    return eth_hex(h, 32);
}

static const char *digest_of(const gvt_eip712_domain *d, const gvt_abi_type *t,
                             const gvt_eth_value *v, uint8_t out[32])
{
    uint8_t ds[32], sh[32];
    gvt_eth_error err;
    assert_true(gvt_eip712_domain_separator(d, ds, &err));
    assert_true(gvt_eip712_hash_struct(t, v, sh, &err));
    gvt_eip712_digest(ds, sh, out);
    return eth_hex(out, 32);
}

/* ---- EIP-712's example --------------------------------------------------- */

static const char mail_types[] = "Mail(Person from,Person to,string contents)"
                                 "Person(string name,address wallet)";
static const gvt_eip712_domain mail_domain = {
    .name = "Ether Mail",
    .version = "1",
    .chain_id = "1",
    .verifying_contract = "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"};
static const gvt_eth_value cow[] = {
    STR("Cow"), TEXT("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")};
static const gvt_eth_value bob[] = {
    STR("Bob"), TEXT("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")};
static const gvt_eth_value mail_members[] = {ITEMS(cow), ITEMS(bob),
                                             STR("Hello, Bob!")};
static const gvt_eth_value mail = ITEMS(mail_members);

static void test_mail(void **state)
{
    (void)state;
    gvt_eth_types *ts;
    const gvt_abi_type *t = types_of(&ts, mail_types, "Mail");
    char enc[200];
    assert_int_equal(gvt_eip712_encode_type(t, enc, sizeof enc),
                     strlen(mail_types));
    assert_string_equal(enc, mail_types);
    assert_string_equal(eth_hex(t->type_hash, 32),
                        "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf88"
                        "1f76108e23dac2");
    assert_string_equal(hash_of(t, &mail),
                        "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f"
                        "240d7a274b371e");
    assert_string_equal(domain_of(&mail_domain),
                        "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b1"
                        "94a650a912090f");
    uint8_t digest[32], sig[65], addr[20];
    assert_string_equal(digest_of(&mail_domain, t, &mail, digest),
                        "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e8624"
                        "4efddf30957bd2");
    eth_unhex("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
              "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"
              "1c",
              sig, 65);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_OK);
    assert_string_equal(eth_hex(addr, 20),
                        "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826");

    /* truncated output is cut and terminated, the length still whole */
    char small[10];
    assert_int_equal(gvt_eip712_encode_type(t, small, sizeof small),
                     strlen(mail_types));
    assert_string_equal(small, "Mail(Pers");
    /* the Person struct alone */
    const gvt_abi_type *person = gvt_eth_types_find(ts, "Person");
    assert_int_equal(gvt_eip712_encode_type(person, enc, sizeof enc), 34);
    gvt_eth_types_free(ts);

    /* definitions in another order: the same type hash */
    t = types_of(&ts,
                 " Person(string name, address wallet) "
                 "Mail(Person from,Person to,string contents)",
                 "Mail");
    assert_string_equal(hash_of(t, &mail),
                        "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f"
                        "240d7a274b371e");
    gvt_eth_types_free(ts);
}

/* A changed domain or member gives another digest: another signer. */
static void test_mail_tampered(void **state)
{
    (void)state;
    gvt_eth_types *ts;
    const gvt_abi_type *t = types_of(&ts, mail_types, "Mail");
    uint8_t digest[32], sig[65], addr[20];
    eth_unhex("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
              "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"
              "1c",
              sig, 65);
    gvt_eip712_domain d = mail_domain;
    d.chain_id = "10";
    digest_of(&d, t, &mail, digest);
    gvt_secp_status st = gvt_secp_recover(digest, sig, 0, addr);
    assert_true(st != GVT_SECP_OK ||
                strcmp(eth_hex(addr, 20),
                       "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826") != 0);
    gvt_eth_value members[] = {ITEMS(cow), ITEMS(bob), STR("Hello, Bob?")};
    gvt_eth_value other = ITEMS(members);
    digest_of(&mail_domain, t, &other, digest);
    st = gvt_secp_recover(digest, sig, 0, addr);
    assert_true(st != GVT_SECP_OK ||
                strcmp(eth_hex(addr, 20),
                       "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826") != 0);
    gvt_eth_types_free(ts);
}

/* ---- EAS and govtally shapes, against ethers ----------------------------- */

static const char signer[] = "0x657b0ffb81abcc8f24f1fcf562f2e6eb5a008cd7";

static void check_signed(const gvt_eip712_domain *d, const gvt_abi_type *t,
                         const gvt_eth_value *v, const char *digest_hex,
                         const char *sig_hex)
{
    uint8_t digest[32], sig[65], mine[65], key[32], addr[20];
    assert_string_equal(digest_of(d, t, v, digest), digest_hex);
    eth_unhex(sig_hex, sig, 65);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_OK);
    assert_string_equal(eth_hex(addr, 20), signer);
    /* both sides use RFC 6979: the same signature */
    gvt_keccak256("govtally eth test key", 21, key);
    assert_int_equal(gvt_secp_sign(digest, key, mine), GVT_SECP_OK);
    assert_string_equal(eth_hex(mine, 65), eth_hex(sig, 65));
}

static const gvt_eip712_domain eas_domain = {
    .name = GVT_EIP712_EAS_DOMAIN_NAME,
    .version = "1.2.0",
    .chain_id = "10",
    .verifying_contract = "0x4200000000000000000000000000000000000021"};

static uint8_t schema_uid[32], ref_uid[32], salt[32], data[32];

static void eas_message(gvt_eth_value *m, unsigned version)
{
    memset(schema_uid, 0x5c, 32);
    memset(salt, 0x11, 32);
    memset(ref_uid, 0, 32);
    memset(data, 0, 32);
    data[31] = 0x19;
    size_t n = 0;
    static char v[4];
    snprintf(v, sizeof v, "%u", version);
    if (version > 0)
        m[n++] = (gvt_eth_value)TEXT(v);
    m[n++] = (gvt_eth_value){.bytes = schema_uid, .len = 32};
    m[n++] = (gvt_eth_value)TEXT("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    m[n++] = (gvt_eth_value)TEXT("1700000000");
    m[n++] = (gvt_eth_value)TEXT("0");
    m[n++] = (gvt_eth_value)TEXT("true");
    m[n++] = (gvt_eth_value){.bytes = ref_uid, .len = 32};
    m[n++] = (gvt_eth_value){.bytes = data, .len = 32};
    if (version > 1)
        m[n++] = (gvt_eth_value){.bytes = salt, .len = 32};
}

static void test_eas(void **state)
{
    (void)state;
    static const struct {
        const char *types, *primary;
        unsigned version, n;
        const char *structh, *digest, *sig;
    } cases[] = {
        {GVT_EIP712_EAS_V0_ATTESTATION, "Attestation", 0, 7,
         "0x45c95673c6838bb01018dd6a309f2d803a6758358ccd2beca62fdbdbef75496e",
         "0xdd354266a3d0218555bb9c1e57843cff5aa3082028759f3407abbe6d6c7dcf81",
         "d2ea0b4dad7fbfd9245c308998fbea934ffb97b4c7f90f20c6dee866d60a5424"
         "5bd33a18505adcd11546802c44c2a59ffb6f71ca6273f09d20daea56cb46ca851c"},
        {GVT_EIP712_EAS_V0, "Attest", 0, 7,
         "0x99b82d7e8e1e0cd3b64860c399394aae155b3d7cd72b9cfc1eb2ea3fb8d70bff",
         "0xf3d03a5a603ec29be6e9fab54194921a14f68c8465856afd7454d2fd62f63be8",
         "dc73790450155aeeae01e0e442257613ddeb2760d867aa6c03215fb4c710717c"
         "08203555792c3c35d98783bda6bc3e7a91faeda93e5cd740c0a2aa83e1c731ea1c"},
        {GVT_EIP712_EAS_V1, "Attest", 1, 8,
         "0x39cd5f888b622530ad8a1d57a496c3d4d23ab033dffbad4dd5fca5ab570e80cf",
         "0x83c86f9071bb966d926fefab2b812adae6e1d85f736bb16b41211e4b311138a6",
         "cf6d375e21d3d2e741589cbf518705cdf604bba8b4b09a27d5b550c74ead5f04"
         "34a6080d23da4879bf2db8405ec3028ebc2107cd68fcba811ae4a9db9e08ec171b"},
        {GVT_EIP712_EAS_V2, "Attest", 2, 9,
         "0xd00e70611987524aaed0e9091f821aef113ae89eeb815813b4698a127f70ee4b",
         "0x212f30b4c04e71b6d89516f357fd6c44a54ca604a8ddc25e4ae725855dc3a36a",
         "066ea60cd61712f647994c3cb98ae49a321d1cf32a531d8cd4c7b5ddb5c316dd"
         "12713429978b9671c95d8c7f80821cadae402afbe180e61557595aabeb921fb01b"},
    };
    assert_string_equal(domain_of(&eas_domain),
                        "0x47bd008a04d11deadb8764f65a6c04c7b8392d9fe8598b769f"
                        "ea5d05db546a6c");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gvt_eth_types *ts;
        const gvt_abi_type *t = types_of(&ts, cases[i].types, cases[i].primary);
        gvt_eth_value m[9];
        eas_message(m, cases[i].version);
        gvt_eth_value v = {.items = m, .n = cases[i].n};
        assert_string_equal(hash_of(t, &v), cases[i].structh);
        check_signed(&eas_domain, t, &v, cases[i].digest, cases[i].sig);
        gvt_eth_types_free(ts);
    }
}

static void test_gvt(void **state)
{
    (void)state;
    gvt_eth_types *ts;
    const gvt_abi_type *t =
        types_of(&ts, GVT_EIP712_GVT_ATTESTATION, "Attestation");
    uint8_t nullifier[32];
    memset(nullifier, 0x42, 32);
    gvt_eth_value m[] = {TEXT("0x657B0fFb81ABcc8F24F1fcf562F2E6eb5A008cd7"),
                         STR("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826"),
                         {.bytes = nullifier, .len = 32},
                         STR("ens.eth"),
                         TEXT("1700000000"),
                         TEXT("1800000000"),
                         STR("0.5")};
    gvt_eth_value v = ITEMS(m);
    gvt_eip712_domain d = {.name = GVT_EIP712_GVT_DOMAIN_NAME,
                           .version = GVT_EIP712_GVT_DOMAIN_VERSION};
    assert_string_equal(domain_of(&d), "0x3c8ebe24c86693737bc5cfbdd590f92cc6e"
                                       "b3822c2c2079cef83b0397adde421");
    assert_string_equal(hash_of(t, &v), "0xd74522298b1e1805961ce5ae9ac68c4630"
                                        "441bbc06b767042bab59030fc0c337");
    check_signed(&d, t, &v,
                 "0x39a25f50dce203f185f8e30412e5be7ce59dae293130c9127f3b0264"
                 "30bbbeff",
                 "071e19b0e7c1a7eb23f0b1a98dea05e214c91718bd1a82e0950db1acbce"
                 "bd2513b99436c300eedfd3cb3f2f9de9822bca5a8d9550986e84ae3d2438"
                 "1a7bc5fce1b");
    gvt_eth_types_free(ts);
}

/* Arrays of structs, fixed arrays, bytes, negative ints, bool arrays. */
static void test_nested(void **state)
{
    (void)state;
    gvt_eth_types *ts;
    static const char text[] =
        "Group(string name,Person[] members,uint256[2] pair,bytes blob,"
        "int8 delta,bool[] flags)Person(string name,address wallet)";
    const gvt_abi_type *t = types_of(&ts, text, "Group");
    char enc[200];
    gvt_eip712_encode_type(t, enc, sizeof enc);
    assert_string_equal(enc, text);
    gvt_eth_value people[] = {ITEMS(cow), ITEMS(bob)};
    gvt_eth_value pair[] = {TEXT("1"), TEXT("2")};
    gvt_eth_value flags[] = {TEXT("true"), TEXT("false"), TEXT("true")};
    gvt_eth_value m[] = {STR("g"),    ITEMS(people),
                         ITEMS(pair), STR("\xde\xad\xbe\xef"),
                         TEXT("-5"),  ITEMS(flags)};
    gvt_eth_value v = ITEMS(m);
    assert_string_equal(hash_of(t, &v), "0x660778ef9f0a566092a23c9966dc7cdd73"
                                        "4fd78dac8f501f7c2cfa006f1d71f7");
    gvt_eip712_domain d = {.name = "n", .chain_id = "1"};
    assert_string_equal(domain_of(&d), "0x950bb4e10a80d5ee55887fcef2443a427d9"
                                       "943cda06a757f7d2262caaac210de");

    /* values that do not fit: errors name the member */
    gvt_eth_error err;
    uint8_t h[32];
    gvt_eth_value bad_bob[] = {STR("Bob"), TEXT("0xbBbB")};
    people[1] = (gvt_eth_value)ITEMS(bad_bob);
    assert_false(gvt_eip712_hash_struct(t, &v, h, &err));
    assert_string_equal(err.field, "members[1].wallet");
    assert_non_null(strstr(err.message, "not an address"));
    people[1] = (gvt_eth_value)ITEMS(bob);
    m[2].n = 1;
    assert_false(gvt_eip712_hash_struct(t, &v, h, &err));
    assert_string_equal(err.field, "pair");
    assert_non_null(strstr(err.message, "1 elements for uint256[2]"));
    m[2].n = 2;
    m[4] = (gvt_eth_value)TEXT("-129");
    assert_false(gvt_eip712_hash_struct(t, &v, h, &err));
    assert_string_equal(err.field, "delta");
    assert_non_null(strstr(err.message, "out of range"));
    m[4] = (gvt_eth_value)TEXT("-5");
    v.n = 5;
    assert_false(gvt_eip712_hash_struct(t, &v, h, &err));
    assert_string_equal(err.message, "5 members for Group, which has 6");
    v.n = 6;
    assert_true(gvt_eip712_hash_struct(t, &v, h, &err));
    gvt_eip712_domain bad = {.name = "n", .verifying_contract = "0x12"};
    assert_false(gvt_eip712_domain_separator(&bad, h, &err));
    assert_string_equal(err.field, "domain.verifyingContract");
    gvt_eth_types_free(ts);
}

static void test_type_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *words;
    } bad[] = {
        {"", "no struct definition"},
        {"A(B b)B(A a)", "recursive struct 'A'"},
        {"A(A[] children)", "recursive struct 'A'"},
        {"A(Foo f)", "unknown type 'Foo'"},
        {"A(uint x)", "EIP-712 needs a size on 'uint'"},
        {"A(uint256)", "no name for the member of type 'uint256'"},
        {"A(uint256 a)A(bool b)", "struct defined twice: 'A'"},
        {"uint256(bool b)", "struct named like an elementary type 'uint256'"},
        {"A(bool b", "no ')' closes struct 'A'"},
        {"A(bool b) x", "expected a struct definition"},
        {"A((bool b) t)", "expected a struct definition"},
        {"A(bool b, bool b)", "two fields named 'b'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gvt_eth_types *ts = (gvt_eth_types *)1;
        gvt_eth_error err;
        assert_false(gvt_eip712_types_parse(bad[i].text, strlen(bad[i].text),
                                            &ts, &err));
        assert_null(ts);
        if (!strstr(err.message, bad[i].words))
            fail_msg("'%s': got '%s'", bad[i].text, err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail),   cmocka_unit_test(test_mail_tampered),
        cmocka_unit_test(test_eas),    cmocka_unit_test(test_gvt),
        cmocka_unit_test(test_nested), cmocka_unit_test(test_type_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
