/*
 * test_keccak.c: Keccak-256 (crypto/eth/keccak.c).
 *
 * Expectations come from outside the code under test: the Keccak team's
 * round-3 ShortMsgKAT_256 (the submission's padding, which Ethereum kept;
 * lengths 0, 8 and the rate boundary 1080, 1088, 1096 bits, and 1352),
 * "abc" and the pangram as published for Keccak-256 (and reproduced by
 * ethers' keccak256). tests/oracle/keccak.py compares random inputs with an
 * independent Python sponge through this program's --stdin mode.
 *
 * usage: test_keccak              run the tests
 *        test_keccak --stdin      hash each line of hex from stdin, print hex
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

typedef struct vector {
    const char *msg, *md;
} vector;

/* ShortMsgKAT_256.txt of the Keccak submission (round 3). */
static const vector kat[] = {
    {"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
    {"6b", "f3d0adcb6a1c70832365e9da0a6b2f5199422f6a53c67cfad171114e3442aa0f"},
    /* Len = 1080: 135 bytes, the padding is the single byte 0x81 */
    {"2f3fb9e6321405869ff0e6271369357ee08c9c27837fe300adf3766a61979591d64e780"
     "9627e8f026e762982df5f00bfeb9ce76f1ccb70c9bee6331f7dc8b15417295d7aa7ec7c"
     "1662a69842059901f136e96052b4d01b72b64f92331744872f6de4a915d0262b33ccc37"
     "5d25d77c3936023e514f30187a9501adc685e6497cc4841e119670d4d",
     "0484f02cc16415e7e9f28f95b6bb77209e1b25ec35015de84facbc8f9605b39e"},
    /* Len = 1088: exactly one block, the padding takes a block of its own */
    {"33d0c3052e3ac8c19beca6b0dfa73888f753655fb2c9f77e1238602c9f6d7ad33e3dd96"
     "c78a22e148ed4c46d7cfdf674505bd40325cb813804e264a450de778f1c50fc94f32aa8"
     "81fe6def7b6ae6efbb42c3be678f40a09322053773e3af020000fe94f3283c7527aa64a"
     "2144b92cf8d568df4e6cd957af09ab1637e61667e616412558d4fcab4f9",
     "b30ad6fc320c0d70309dc39953895cb7cf3fbedec7d86a5f7aa9f2bb760f6dba"},
    /* Len = 1096: one block and one byte */
    {"2f570e7aeadd07406bfc263992a0292c528daab4f32816573b6be58a36998465f192e0d"
     "b70e81cdbe5431477e43ea437cb4eebbe760116b26dfb3ca395c1098753e962c3d27f9f"
     "b8c2b32fa6f1d3debd22c97b99cb924b388d87db2348e5aa9ccf0d60a18cff594eb389f"
     "5a55dd362809dde19687064a0feec7c213561cbd130d832d264312cb3e4b6",
     "6cf9e0e9008f6b5b2d28fb38c47a0212e7b28f6a7f44815f10c53141c2f1c84d"},
    {"185bbb5088f7025eeff8612e28d0fa566904312cf31dee4a152ad5f1941a2cad76e8fef"
     "edf005dcff9befd228ff779f8fcaa24efc8133add3d10ced22afb7fa1e37d9fc37efc92"
     "78bb8f9a4b87144383bf6872877cad65b9bd348ce82f0c89138929d608266980e2f81b2"
     "d802f7103eeda76765623db10e1109cc93fa85353327d2a3aa393bb858cd6b30c06250f"
     "f5ff856b55a947668a57035497aca8eade251519c8a8d44e34ab02",
     "2a3a79abcb668217365e6b069906fb5e37d865f029069f6b8b38edab3efbbb05"},
};

static void test_kat(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        uint8_t msg[256], md[32];
        size_t n = eth_unhex(kat[i].msg, msg, sizeof msg);
        gvt_keccak256(msg, n, md);
        assert_string_equal(eth_hex(md, 32) + 2, kat[i].md);
    }
}

static void test_text(void **state)
{
    (void)state;
    static const vector text[] = {
        {"abc",
         "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
        {"The quick brown fox jumps over the lazy dog",
         "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
    };
    for (size_t i = 0; i < 2; i++) {
        uint8_t md[32];
        gvt_keccak256(text[i].msg, strlen(text[i].msg), md);
        assert_string_equal(eth_hex(md, 32) + 2, text[i].md);
    }
}

/* Fed in pieces of every size from 1 to 300, the digest is the same. */
static void test_incremental(void **state)
{
    (void)state;
    uint8_t msg[700], whole[32];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    gvt_keccak256(msg, sizeof msg, whole);
    for (size_t piece = 1; piece <= 300; piece++) {
        gvt_keccak k;
        uint8_t md[32];
        gvt_keccak_init(&k);
        for (size_t at = 0; at < sizeof msg; at += piece)
            gvt_keccak_update(&k, msg + at,
                              at + piece > sizeof msg ? sizeof msg - at
                                                      : piece);
        gvt_keccak_final(&k, md);
        assert_memory_equal(md, whole, 32);
    }
}

/* Each stdin line is hex; prints the digest of its bytes. */
static int from_stdin(void)
{
    static char line[1 << 16];
    static uint8_t msg[1 << 15];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t n = strlen(line) / 2;
        if (n > sizeof msg)
            return 2;
        for (size_t i = 0; i < n; i++) {
            unsigned v;
            if (sscanf(line + 2 * i, "%2x", &v) != 1)
                return 2;
            msg[i] = (uint8_t)v;
        }
        uint8_t md[32];
        gvt_keccak256(msg, n, md);
        puts(eth_hex(md, 32) + 2);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--stdin") == 0)
        return from_stdin();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kat),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
