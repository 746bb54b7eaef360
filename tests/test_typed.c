/*
 * test_typed.c: attestations signed by Ethereum accounts (records of v 2,
 * docs/identity.md#ethereum-issuers): crypto/typed.c, and the parts of the
 * reader, the trust file, the judge and the signer that serve them.
 *
 * Expectations come from outside the code under test: the record and its
 * digest below were made by ethers 6.17.0 (Wallet.signTypedData and
 * TypedDataEncoder.hash with EIP-712's example key keccak256("cow"), the
 * worked example of docs/identity.md, which tests/node/eth/eip712.mjs
 * recomputes); error positions are counted by hand in the inputs; outcomes
 * and humans are worked out in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>

#include "attest_read.h"
#include "crypto/identity.h"
#include "tmpdir.h"

#define COW "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826"
#define COW_KEY                                                                \
    "0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4"
#define NUL_EX                                                                 \
    "b904b56782ff4acc974b74b714ef6083d5a114a3a119a0600ef4742a6b72a940"
#define SIG_EX                                                                 \
    "f297a51629055bf8a8a0c28ba98764689ae14725aed5764de6e9e89cf4409704073b5c"   \
    "0d2e5f523196dd6f43143e7cf3bd9105f09d329ac709c78aab83e9ee041c"
#define ID_EX "a344eace944ea5ad36b34289e613ad3f15a135bd221dc13169f84a93dfb20ff9"

/* The record of ethers (and of docs/identity.md), parameterised. */
static const char *record(const char *subject, const char *weight,
                          const char *sig)
{
    static char buf[4][800];
    static int next;
    char *s = buf[next++ % 4];
    snprintf(s, 800,
             "{\"v\":2,\"issuer\":\"" COW "\",\"subject\":\"%s\","
             "\"nullifier\":\"" NUL_EX "\",\"scope\":\"ens.eth\","
             "\"issued_at\":1700000000,\"expires_at\":1731536000,"
             "\"weight\":\"%s\",\"sig\":\"%s\"}\n",
             subject, weight, sig);
    return s;
}

static gvt_attestations *read_text(const char *text)
{
    return attest_read_ok("a.jsonl", text);
}

static gvt_trust *read_trust(const char *text)
{
    gvt_trust *t = NULL;
    gvt_error err;
    if (gvt_trust_read_mem("i.json", text, strlen(text), &t, &err))
        fail_msg("trust: %s at %s", err.message, err.path);
    return t;
}

static void verify(const char *atts, const char *trust, unsigned threads,
                   size_t want_valid, size_t want_bad, size_t want_untrusted)
{
    gvt_attestations *a = read_text(atts);
    gvt_trust *t = read_trust(trust);
    size_t counts[GVT_ATTEST_REASON_COUNT];
    gvt_error err;
    assert_int_equal(gvt_attestations_verify(a, t, NULL, -1, threads, counts,
                                             GVT_ATTEST_REASON_COUNT, &err),
                     GVT_OK);
    assert_int_equal(counts[GVT_ATTEST_VALID], want_valid);
    assert_int_equal(counts[GVT_ATTEST_BAD_SIGNATURE], want_bad);
    assert_int_equal(counts[GVT_ATTEST_UNTRUSTED_ISSUER], want_untrusted);
    gvt_attestations_free(a);
    gvt_trust_free(t);
}

static const char trust_cow[] =
    "{\"v\":1,\"issuers\":[{\"name\":\"cow\",\"address\":"
    "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"}]}";

static void reads_ethers_record(void **state)
{
    (void)state;
    const char *rec = record("0xab5801a7d398351b8be11c439e05c5b3259aec9b",
                             "0.5", "0x" SIG_EX);
    gvt_attestations *a = read_text(rec);
    assert_int_equal(a->n, 1);
    const gvt_attestation *t = &a->items[0];
    assert_int_equal(t->kind, GVT_SIGNER_ETH);
    char hex[65];
    gvt_hex_encode(hex, t->id, 32);
    assert_string_equal(hex, ID_EX);
    gvt_hex_encode(hex, t->issuer, 20);
    assert_string_equal(hex, &COW[2]);
    assert_true(gvt_typed_verify(t));
    gvt_attestations_free(a);
    verify(rec, trust_cow, 1, 1, 0, 0);
    /* the signature without its 0x */
    verify(record("0xab5801a7d398351b8be11c439e05c5b3259aec9b", "0.5", SIG_EX),
           trust_cow, 1, 1, 0, 0);
    /* the subject is signed as written: another case is another message */
    verify(record("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B", "0.5",
                  "0x" SIG_EX),
           trust_cow, 1, 0, 1, 0);
    verify(record("0xab5801a7d398351b8be11c439e05c5b3259aec9b", "0.25",
                  "0x" SIG_EX),
           trust_cow, 1, 0, 1, 0);
    /* an Ed25519 issuer with the same 20 bytes and zeros is someone else */
    verify(rec,
           "{\"v\":1,\"issuers\":[{\"key\":\"cd2a3d9f938e13cd947ec05abc7fe734"
           "df8dd826000000000000000000000000\"}]}",
           1, 0, 0, 1);
}

static void expect_error(const char *text, long line, long column,
                         const char *path, const char *words)
{
    attest_read_fails("a.jsonl", text, line, column, path, words);
}

static void reader_errors(void **state)
{
    (void)state;
    /* v 2 with an Ed25519 key: reported just after the issuer's value */
    expect_error("{\"v\":2,\"issuer\":\"" NUL_EX "\",\"subject\":\"" COW
                 "\",\"nullifier\":\"" NUL_EX "\",\"scope\":\"*\","
                 "\"issued_at\":1,\"expires_at\":0,\"weight\":\"1\","
                 "\"sig\":\"" SIG_EX "\"}",
                 1, 83, "$.issuer", "v 2: expected an Ethereum address");
    /* v 1 with an address */
    expect_error("{\"issuer\":\"" COW "\",\"v\":1,\"subject\":\"" COW
                 "\",\"nullifier\":\"" NUL_EX "\",\"scope\":\"*\","
                 "\"issued_at\":1,\"expires_at\":0,\"weight\":\"1\","
                 "\"sig\":\"" SIG_EX "\"}",
                 1, 55, "$.issuer", "v 1: expected an Ed25519 key");
    /* v 2 with a 64-byte signature */
    expect_error("{\"v\":2,\"issuer\":\"" COW "\",\"subject\":\"" COW
                 "\",\"nullifier\":\"" NUL_EX "\",\"scope\":\"*\","
                 "\"issued_at\":1,\"expires_at\":0,\"weight\":\"1\","
                 "\"sig\":\"" NUL_EX NUL_EX "\"}",
                 1, 386, "$.sig", "v 2: expected an EIP-712 signature");
    /* a signature that is neither */
    expect_error("{\"sig\":\"0x" NUL_EX "\"}", 1, 76, "$.sig",
                 "expected an Ed25519 signature (128 hex digits) or an "
                 "EIP-712 one");
    expect_error("{\"issuer\":\"0x12\"}", 1, 17, "$.issuer",
                 "or an Ethereum address");
}

static void trust_addresses(void **state)
{
    (void)state;
    gvt_trust *t = read_trust(
        "{\"v\":1,\"issuers\":[{\"address\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE"
        "734Df8DD826\",\"weight\":\"0.5\"},{\"key\":\"" NUL_EX "\"}]}");
    assert_int_equal(t->n, 2);
    uint8_t key[32] = {0};
    assert_true(gvt_eth_address_parse(COW, 42, key));
    const gvt_issuer *is = gvt_trust_find(t, GVT_SIGNER_ETH, key);
    assert_non_null(is);
    assert_string_equal(is->name, COW);
    assert_int_equal(is->weight, 500000);
    assert_null(gvt_trust_find(t, GVT_SIGNER_ED25519, key));
    gvt_trust_free(t);

    static const struct {
        const char *text, *words;
    } bad[] = {
        {"{\"v\":1,\"issuers\":[{\"address\":\"" COW "\",\"key\":\"" NUL_EX
         "\"}]}",
         "more than one of 'key', 'address'"},
        {"{\"v\":1,\"issuers\":[{\"address\":\"" COW
         "\"},{\"address\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"}]}",
         "listed twice"},
        {"{\"v\":1,\"issuers\":[{\"address\":\"0xcd2a\"}]}",
         "expected an Ethereum address"},
        {"{\"v\":1,\"issuers\":[{\"name\":\"x\"}]}",
         "missing field 'key' (or 'address', or 'attester')"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gvt_trust *u = (gvt_trust *)1;
        gvt_error err;
        assert_int_equal(gvt_trust_read_mem("i.json", bad[i].text,
                                            strlen(bad[i].text), &u, &err),
                         GVT_ERR_DATA);
        assert_null(u);
        if (!strstr(err.message, bad[i].words))
            fail_msg("'%s': %s", bad[i].text, err.message);
    }
}

/* Signs subjects with key_text into a string (static, freed by the next
 * call). */
static const char *sign(const char *key_text, const char *subjects,
                        const char *weight)
{
    static char *out;
    static size_t size;
    free(out);
    out = NULL;
    char key_path[128];
    snprintf(key_path, sizeof key_path, "%s", tmpdir_write("k.key", key_text));
    FILE *f = open_memstream(&out, &size);
    assert_non_null(f);
    gvt_attest_sign_options opt = {.scope = "ens.eth",
                                   .issued_at = 1700000000,
                                   .expires_at = 1731536000,
                                   .weight = weight};
    gvt_error err;
    if (gvt_attest_sign_file(key_path, tmpdir_write("s.csv", subjects), &opt, f,
                             NULL, &err))
        fail_msg("sign: %s", err.message);
    fclose(f);
    return out;
}

/* RFC 6979 makes the signature a function of key and message: ethers'. */
static void signs_like_ethers(void **state)
{
    (void)state;
    const char *got =
        sign(COW_KEY "\n",
             "address,nullifier\n0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B,"
             "B904B56782FF4ACC974B74B714EF6083D5A114A3A119A0600EF4742A6B72A940"
             "\n",
             "0.5");
    char want[900];
    snprintf(want, sizeof want, "%s",
             record("0xab5801a7d398351b8be11c439e05c5b3259aec9b", "0.5",
                    "0x" SIG_EX));
    snprintf(want + strlen(want) - 2, sizeof want - strlen(want) + 2,
             ",\"id\":\"" ID_EX "\"}\n");
    assert_string_equal(got, want);

    /* keygen: a fresh 0x key, mode 0600, never replaced; the address is
     * the key's */
    char path[128], address[43];
    snprintf(path, sizeof path, "%s/eth.key", tmpdir);
    gvt_error err;
    assert_int_equal(gvt_attest_keygen_eth(path, address, &err), GVT_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 67);
    char again[43];
    assert_int_equal(gvt_attest_keygen_eth(path, again, &err),
                     GVT_ERR_CANTCREAT);
    FILE *f = fopen(path, "r");
    char line[80] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    uint8_t key[32], addr[20];
    assert_true(gvt_hex_decode(key, line + 2, 64, 32));
    assert_int_equal(gvt_secp_address(key, addr), GVT_SECP_OK);
    char want_addr[43];
    gvt_eth_address_checksum(addr, want_addr);
    assert_string_equal(address, want_addr);
}

/*
 * One human across kinds: Ed25519 issuer A links w1 and w2 (nullifier 1),
 * Ethereum issuer cow links w2 and w3 (nullifier e). w1, w2, w3 are one
 * human; weights A 0.25, cow 1: the human weighs 1, vp 1 + 2 + 4 = 7.
 */
static void humans_across_kinds(void **state)
{
    (void)state;
    const char *w[] = {"0x0000000000000000000000000000000000000001",
                       "0x0000000000000000000000000000000000000002",
                       "0x0000000000000000000000000000000000000003"};
    char subjects[400];
    snprintf(subjects, sizeof subjects, "%s,%064d\n%s,%064d\n", w[1], 7, w[2],
             7);
    char *eth = strdup(sign(COW_KEY "\n", subjects, "1"));
    snprintf(subjects, sizeof subjects, "%s,%064d\n%s,%064d\n", w[0], 1, w[1],
             1);
    const char *ed = sign("0101010101010101010101010101010101010101010101010"
                          "101010101010101\n",
                          subjects, "0.25");
    size_t n = strlen(eth) + strlen(ed) + 1;
    char *all = malloc(n);
    snprintf(all, n, "%s%s", eth, ed);
    free(eth);
    gvt_attestations *a = read_text(all);
    free(all);
    uint8_t pk[32], sk[64], seed[32];
    memset(seed, 1, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    char trust[300], pk_hex[65];
    gvt_hex_encode(pk_hex, pk, 32);
    snprintf(trust, sizeof trust,
             "{\"v\":1,\"issuers\":[{\"key\":\"%s\"},{\"address\":\"" COW
             "\"}]}",
             pk_hex);
    gvt_trust *t = read_trust(trust);

    gvt_proposal *p = gvt_proposal_new("test");
    p->space = gvt_arena_strdup(p->arena, "ens.eth");
    p->end = 1700000100;
    p->n_ballots = 3;
    p->ballots = gvt_xcalloc(3, sizeof *p->ballots);
    for (int i = 0; i < 3; i++) {
        gvt_ballot *b = &p->ballots[i];
        b->voter = gvt_arena_strdup(p->arena, w[i]);
        b->created = 1700000050 + i;
        b->input = (uint32_t)i;
        b->status = GVT_BALLOT_COUNTED;
        mpz_init_set_ui(b->vp, 1u << i);
        mpz_mul(b->vp, b->vp, *gvt_fx_one());
        p->counts.counted++;
        p->counts.read++;
    }
    gvt_identity *id = NULL;
    gvt_error err;
    assert_int_equal(gvt_identity_build(p, a, t, 2, &id, &err), GVT_OK);
    assert_int_equal(id->counts[GVT_ATTEST_VALID], 4);
    assert_int_equal(id->n_humans, 1);
    assert_int_equal(id->humans[0].n_wallets, 3);
    assert_string_equal(id->humans[0].ballot->voter, w[2]);
    assert_int_equal(mpz_cmp(id->humans[0].weight, *gvt_fx_one()), 0);
    gvt_identity_free(id);
    gvt_proposal_free(p);
    gvt_attestations_free(a);
    gvt_trust_free(t);
}

/* 300 records, every seventh with a flipped signature bit: the same
 * outcome on 1, 2 and all threads. */
static void threads_agree(void **state)
{
    (void)state;
    char *subjects = malloc(300 * 110);
    size_t at = 0;
    for (int i = 0; i < 300; i++)
        at += (size_t)sprintf(subjects + at, "0x%040x,%064x\n", i + 1, i);
    char *text = strdup(sign(COW_KEY "\n", subjects, "1"));
    free(subjects);
    size_t broken = 0;
    char *line = text;
    for (int i = 0; i < 300; i++) {
        char *sig = strstr(line, "\"sig\":\"0x") + 9;
        if (i % 7 == 0) {
            sig[10] = sig[10] == '0' ? '1' : '0';
            broken++;
        }
        line = strchr(line, '\n') + 1;
    }
    verify(text, trust_cow, 1, 300 - broken, broken, 0);
    verify(text, trust_cow, 2, 300 - broken, broken, 0);
    verify(text, trust_cow, 0, 300 - broken, broken, 0);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_ethers_record),
        cmocka_unit_test(reader_errors),
        cmocka_unit_test(trust_addresses),
        cmocka_unit_test(signs_like_ethers),
        cmocka_unit_test(humans_across_kinds),
        cmocka_unit_test(threads_agree),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
