/*
 * test_secp256k1.c: Ethereum signatures and addresses
 * (crypto/eth/secp256k1.c).
 *
 * Expectations come from outside the code under test: EIP-712's published
 * example (the "Mail" digest, Cow's key keccak256("cow"), its address and
 * signature v 28, r 0x4355..., s 0x0729...), EIP-55's published checksummed
 * addresses, and the group order of secp256k1 (SEC 2, section 2.4.1) for the
 * high-s and out-of-range cases.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/eth/eth.h"
#include "eth_hex.h"

/* EIP-712, "Example": hash of the Mail message, and the signature. */
static const char mail_digest[] =
    "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";
static const char mail_sig[] =
    "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
    "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"
    "1c";
static const char cow[] = "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826";
static const char order_hex[] =
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

static void load(uint8_t digest[32], uint8_t sig[65])
{
    assert_int_equal(eth_unhex(mail_digest, digest, 32), 32);
    assert_int_equal(eth_unhex(mail_sig, sig, 65), 65);
}

static void cow_key(uint8_t key[32])
{
    gvt_keccak256("cow", 3, key);
}

static void test_recover_published(void **state)
{
    (void)state;
    uint8_t digest[32], sig[65], addr[20];
    load(digest, sig);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_OK);
    assert_string_equal(eth_hex(addr, 20), cow);
}

/* RFC 6979 makes the signature a function of key and digest: the EIP's. */
static void test_sign_published(void **state)
{
    (void)state;
    uint8_t digest[32], want[65], key[32], sig[65], addr[20];
    load(digest, want);
    cow_key(key);
    assert_int_equal(gvt_secp_address(key, addr), GVT_SECP_OK);
    assert_string_equal(eth_hex(addr, 20), cow);
    assert_int_equal(gvt_secp_sign(digest, key, sig), GVT_SECP_OK);
    assert_string_equal(eth_hex(sig, 65), eth_hex(want, 65));
}

/* n - s with the other parity recovers the same key: refused as high-s. */
static void test_high_s(void **state)
{
    (void)state;
    uint8_t digest[32], sig[65], n[32], addr[20];
    load(digest, sig);
    eth_unhex(order_hex, n, 32);
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int v = n[i] - sig[32 + i] - borrow;
        borrow = v < 0;
        sig[32 + i] = (uint8_t)(v + (borrow ? 256 : 0));
    }
    sig[64] = sig[64] == 27 ? 28 : 27;
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_HIGH_S);
    /* s = n/2 + 1 exactly is high as well; s = n/2 is not */
    static const char half[] =
        "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0";
    eth_unhex(half, sig + 32, 32);
    assert_int_not_equal(gvt_secp_recover(digest, sig, 0, addr),
                         GVT_SECP_HIGH_S);
    sig[63]++;
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_HIGH_S);
}

static void test_bad_v(void **state)
{
    (void)state;
    uint8_t digest[32], sig[65], addr[20];
    load(digest, sig);
    static const uint8_t bad[] = {0, 1, 2, 26, 29, 35, 36, 255};
    for (size_t i = 0; i < sizeof bad; i++) {
        sig[64] = bad[i];
        assert_int_equal(gvt_secp_recover(digest, sig, 0, addr),
                         GVT_SECP_BAD_V);
    }
    /* 0 and 1 only where a format allows them: 1 is the published 28 */
    sig[64] = 1;
    assert_int_equal(gvt_secp_recover(digest, sig, GVT_SECP_ALLOW_V01, addr),
                     GVT_SECP_OK);
    assert_string_equal(eth_hex(addr, 20), cow);
    sig[64] = 2;
    assert_int_equal(gvt_secp_recover(digest, sig, GVT_SECP_ALLOW_V01, addr),
                     GVT_SECP_BAD_V);
    /* the other parity recovers some other key */
    sig[64] = 27;
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_OK);
    assert_string_not_equal(eth_hex(addr, 20), cow);
}

static void test_r_s_range(void **state)
{
    (void)state;
    uint8_t digest[32], sig[65], keep[65], addr[20];
    load(digest, keep);
    memcpy(sig, keep, 65);
    memset(sig, 0, 32);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_BAD_R);
    eth_unhex(order_hex, sig, 32);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_BAD_R);
    memset(sig, 0xff, 32);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_BAD_R);
    memcpy(sig, keep, 65);
    memset(sig + 32, 0, 32);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_BAD_S);
    eth_unhex(order_hex, sig + 32, 32);
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_BAD_S);
    /* r = 5: 5^3 + 7 is not a square mod p, so no point has x = 5 */
    memcpy(sig, keep, 65);
    memset(sig, 0, 32);
    sig[31] = 5;
    assert_int_equal(gvt_secp_recover(digest, sig, 0, addr), GVT_SECP_NO_KEY);
}

static void test_tampered_digest(void **state)
{
    (void)state;
    uint8_t digest[32], sig[65], addr[20];
    load(digest, sig);
    for (int bit = 0; bit < 256; bit += 37) {
        digest[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        gvt_secp_status st = gvt_secp_recover(digest, sig, 0, addr);
        assert_true(st == GVT_SECP_OK || st == GVT_SECP_NO_KEY);
        if (st == GVT_SECP_OK)
            assert_string_not_equal(eth_hex(addr, 20), cow);
        digest[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

static void test_bad_key(void **state)
{
    (void)state;
    uint8_t key[32] = {0}, digest[32] = {1}, sig[65], addr[20];
    assert_int_equal(gvt_secp_address(key, addr), GVT_SECP_BAD_KEY);
    assert_int_equal(gvt_secp_sign(digest, key, sig), GVT_SECP_BAD_KEY);
    eth_unhex(order_hex, key, 32);
    assert_int_equal(gvt_secp_address(key, addr), GVT_SECP_BAD_KEY);
    assert_int_equal(gvt_secp_sign(digest, key, sig), GVT_SECP_BAD_KEY);
}

/* Signing then recovering gives the key's address, s always low. */
static void test_round_trip(void **state)
{
    (void)state;
    uint8_t key[32], digest[32], sig[65], a1[20], a2[20];
    uint8_t seed[32] = {12};
    for (int i = 0; i < 64; i++) {
        gvt_keccak256(seed, 32, key);
        gvt_keccak256(key, 32, digest);
        memcpy(seed, digest, 32);
        assert_int_equal(gvt_secp_address(key, a1), GVT_SECP_OK);
        assert_int_equal(gvt_secp_sign(digest, key, sig), GVT_SECP_OK);
        assert_true(sig[64] == 27 || sig[64] == 28);
        assert_true(sig[32] < 0x80); /* s <= n/2 starts below 0x80 */
        assert_int_equal(gvt_secp_recover(digest, sig, 0, a2), GVT_SECP_OK);
        assert_memory_equal(a1, a2, 20);
    }
}

/* EIP-55's published examples, and the Mail example's addresses. */
static void test_checksum(void **state)
{
    (void)state;
    static const char *const mixed[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0xde709f2102306220921060314715629080e2fb77",
        "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
        "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC",
    };
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++) {
        uint8_t addr[20];
        char out[43];
        assert_true(gvt_eth_address_parse(mixed[i], 42, addr));
        gvt_eth_address_checksum(addr, out);
        assert_string_equal(out, mixed[i]);
    }
    uint8_t addr[20];
    assert_false(gvt_eth_address_parse("0x5aAeb6053F3E94C9b9A09f33669435E7E"
                                       "f1BeAe",
                                       40, addr));
    assert_false(gvt_eth_address_parse("0x5aAeb6053F3E94C9b9A09f33669435E7E"
                                       "f1BeAeg",
                                       42, addr));
    assert_false(gvt_eth_address_parse("005aAeb6053F3E94C9b9A09f33669435E7E"
                                       "f1BeAed",
                                       42, addr));
}

static void load_plain(uint8_t digest[32], uint8_t sig[65])
{
    for (size_t i = 0; i < 65; i++) {
        unsigned v;
        if (i < 32 && sscanf(mail_digest + 2 * i, "%2x", &v) == 1)
            digest[i] = (uint8_t)v;
        if (sscanf(mail_sig + 2 * i, "%2x", &v) == 1)
            sig[i] = (uint8_t)v;
    }
}

/* The first use from many threads at once creates one context. */
static void *recover_many(void *arg)
{
    uint8_t digest[32], sig[65], addr[20];
    int *ok = arg;
    /* no cmocka assertion off the main thread */
    load_plain(digest, sig);
    for (int i = 0; i < 50; i++)
        if (gvt_secp_recover(digest, sig, 0, addr) != GVT_SECP_OK ||
            addr[0] != 0xcd || addr[19] != 0x26)
            return NULL;
    *ok = 1;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    int ok[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, recover_many, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(ok[i], 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads), /* first: the context's first use */
        cmocka_unit_test(test_recover_published),
        cmocka_unit_test(test_sign_published),
        cmocka_unit_test(test_high_s),
        cmocka_unit_test(test_bad_v),
        cmocka_unit_test(test_r_s_range),
        cmocka_unit_test(test_tampered_digest),
        cmocka_unit_test(test_bad_key),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_checksum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
