/*
 * test_abi.c: ABI type texts and decoding (crypto/eth/abi_type.c, abi.c).
 *
 * Expectations come from outside the code under test: the encodings below
 * were written by ethers 6.17.0 (AbiCoder.defaultAbiCoder().encode), the
 * first one being the Solidity ABI specification's own example
 * f(uint256,uint32[],bytes10,bytes) with (0x123, [0x456, 0x789],
 * "1234567890", "Hello, world!"), the second its g(uint256[][],string[])
 * example; decimal values are the inputs given to ethers. The hostile
 * inputs are those encodings with one word changed by hand, and the error
 * positions are counted by hand in 32-byte words.
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

static const char enc_f[] =
    "0000000000000000000000000000000000000000000000000000000000000123"
    "0000000000000000000000000000000000000000000000000000000000000080"
    "3132333435363738393000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000e0"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000456"
    "0000000000000000000000000000000000000000000000000000000000000789"
    "000000000000000000000000000000000000000000000000000000000000000d"
    "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";
static const char enc_g[] =
    "0000000000000000000000000000000000000000000000000000000000000040"
    "0000000000000000000000000000000000000000000000000000000000000140"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000040"
    "00000000000000000000000000000000000000000000000000000000000000a0"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000000000000060"
    "00000000000000000000000000000000000000000000000000000000000000a0"
    "00000000000000000000000000000000000000000000000000000000000000e0"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "6f6e650000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "74776f0000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000005"
    "7468726565000000000000000000000000000000000000000000000000000000";
static const char enc_eas[] =
    "0000000000000000000000000000000000000000000000000000000000000019"
    "abababababababababababababababababababababababababababababababab"
    "0000000000000000000000000000000000000000000000000000000000000080"
    "00000000000000000000000000000000000000000000000000000000000000c0"
    "0000000000000000000000000000000000000000000000000000000000000005"
    "416c696365000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000001111111111111111111111111111111111111111"
    "00000000000000000000000000000000000000000000000000000000deadbeef";
static const char enc_mixed[] =
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "8000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000ff"
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed4"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0102030000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000120"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000040"
    "00000000000000000000000000000000000000000000000000000000000000c0"
    "0000000000000000000000000000000000000000000000000000000000000007"
    "0000000000000000000000000000000000000000000000000000000000000040"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "7800000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000ffffffffffffffff"
    "0000000000000000000000000000000000000000000000000000000000000040"
    "0000000000000000000000000000000000000000000000000000000000000000";

typedef struct decoded {
    gvt_eth_types *types;
    gvt_abi_doc *doc;
    const gvt_eth_value *v;
    gvt_eth_error err;
    uint8_t data[16384];
    size_t len;
} decoded;

static void parse(decoded *d, const char *schema)
{
    memset(d, 0, sizeof *d);
    if (!gvt_abi_schema_parse(schema, strlen(schema), &d->types, &d->err))
        fail_msg("schema '%s': %s", schema, d->err.message);
}

static bool decode(decoded *d)
{
    gvt_abi_doc_free(d->doc);
    d->doc = NULL;
    if (!gvt_abi_decode(gvt_eth_types_root(d->types), d->data, d->len, &d->doc,
                        &d->err))
        return false;
    d->v = gvt_abi_doc_value(d->doc);
    return true;
}

static void load(decoded *d, const char *schema, const char *hex)
{
    parse(d, schema);
    d->len = eth_unhex(hex, d->data, sizeof d->data);
}

static void done(decoded *d)
{
    gvt_abi_doc_free(d->doc);
    gvt_eth_types_free(d->types);
}

/* Sets the 32-byte word at index w of the data to a small number. */
static void set_word(decoded *d, size_t w, unsigned long long value)
{
    assert_true(32 * w + 32 <= sizeof d->data);
    memset(d->data + 32 * w, 0, 32);
    for (int i = 0; i < 8; i++)
        d->data[32 * w + 31 - i] = (uint8_t)(value >> (8 * i));
}

static void expect_error(decoded *d, const char *field, size_t offset,
                         const char *words)
{
    assert_false(decode(d));
    assert_null(d->doc);
    assert_string_equal(d->err.field, field);
    assert_int_equal(d->err.offset, offset);
    if (!strstr(d->err.message, words))
        fail_msg("message '%s' lacks '%s'", d->err.message, words);
}

static void assert_bytes(const gvt_eth_value *v, const char *text)
{
    assert_int_equal(v->len, strlen(text));
    assert_memory_equal(v->bytes, text, v->len);
}

/* ---- types ---------------------------------------------------------------
 */

static void test_schema(void **state)
{
    (void)state;
    decoded d;
    parse(&d, "uint256 score, bytes32 nullifier, string name, address[] "
              "wallets");
    const gvt_abi_type *t = gvt_eth_types_root(d.types);
    assert_int_equal(t->kind, GVT_ABI_TUPLE);
    assert_int_equal(t->n_fields, 4);
    assert_string_equal(t->spelling, "(uint256,bytes32,string,address[])");
    assert_true(t->dynamic);
    assert_int_equal(gvt_abi_field_index(t, "name"), 2);
    assert_int_equal(gvt_abi_field_index(t, "wallet"), -1);
    assert_int_equal(t->fields[1].type->kind, GVT_ABI_FIXED_BYTES);
    assert_int_equal(t->fields[1].type->bits, 32);
    assert_int_equal(t->fields[3].type->kind, GVT_ABI_ARRAY);
    assert_int_equal(t->fields[3].type->length, 0);
    done(&d);

    /* aliases, tuples, fixed arrays, no names, spaces anywhere */
    parse(&d, " uint , int x ,( bool a , bytes3 b )[2] t,uint8[3][] m ");
    t = gvt_eth_types_root(d.types);
    assert_string_equal(t->spelling,
                        "(uint256,int256,(bool,bytes3)[2],uint8[3][])");
    assert_false(t->fields[2].type->dynamic);
    assert_int_equal(t->fields[2].type->head, 128);
    assert_true(t->fields[3].type->dynamic);
    assert_string_equal(t->fields[0].name, "");
    done(&d);

    /* an empty schema is a tuple of nothing: empty data decodes */
    parse(&d, "");
    assert_true(decode(&d));
    assert_int_equal(d.v->n, 0);
    done(&d);
}

static void test_schema_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *words;
        size_t offset;
    } bad[] = {
        {"uint7 a", "unknown type 'uint7'", 5},
        {"uint264 a", "unknown type 'uint264'", 7},
        {"uint0 a", "unknown type 'uint0'", 5},
        {"uint08 a", "unknown type 'uint08'", 6},
        {"bytes33 a", "unknown type 'bytes33'", 7},
        {"bytes0 a", "unknown type 'bytes0'", 6},
        {"uintx a", "unknown type 'uintx'", 5},
        {"Person p", "unknown type 'Person'", 6},
        {"uint256 a, bool a", "two fields named 'a'", 17},
        {"(uint256 a", "missing ')'", 10},
        {"uint256 a,", "expected a type", 10},
        {"uint256 a b", "unexpected 'b'", 10},
        {"uint256[0] a", "bad array length '0'", 10},
        {"uint256[x] a", "bad array length 'x'", 10},
        {"uint256[ a", "'[' without ']'", 10},
        {"()", "expected a type, found ')'", 1},
        {"uint256[][][][][][][][] a", "nested deeper than the limit", 23},
        {"((((((((uint256))))))))", "nested deeper than the limit", 23},
        {"uint256[1000][1000][1000] a", "larger than the limit", 19},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gvt_eth_types *t = (gvt_eth_types *)1;
        gvt_eth_error err;
        assert_false(
            gvt_abi_schema_parse(bad[i].text, strlen(bad[i].text), &t, &err));
        assert_null(t);
        if (!strstr(err.message, bad[i].words) || err.offset != bad[i].offset)
            fail_msg("'%s': got '%s' at %zu", bad[i].text, err.message,
                     err.offset);
    }
    char big[GVT_ABI_MAX_TEXT + 2];
    memset(big, ' ', sizeof big);
    gvt_eth_types *t;
    gvt_eth_error err;
    assert_false(gvt_abi_schema_parse(big, sizeof big, &t, &err));
    assert_non_null(strstr(err.message, "at most 4096"));
}

/* ---- decoding known encodings -------------------------------------------
 */

static void test_decode_spec_example(void **state)
{
    (void)state;
    decoded d;
    load(&d, "uint256 a, uint32[] b, bytes10 c, bytes d", enc_f);
    assert_true(decode(&d));
    assert_int_equal(d.v->n, 4);
    assert_string_equal(d.v->items[0].text, "291");
    assert_int_equal(d.v->items[1].n, 2);
    assert_string_equal(d.v->items[1].items[0].text, "1110");
    assert_string_equal(d.v->items[1].items[1].text, "1929");
    assert_bytes(&d.v->items[2], "1234567890");
    assert_bytes(&d.v->items[3], "Hello, world!");
    done(&d);

    load(&d, "uint256[][] a, string[] b", enc_g);
    assert_true(decode(&d));
    const gvt_eth_value *a = &d.v->items[0], *b = &d.v->items[1];
    assert_int_equal(a->n, 2);
    assert_int_equal(a->items[0].n, 2);
    assert_string_equal(a->items[0].items[1].text, "2");
    assert_int_equal(a->items[1].n, 1);
    assert_string_equal(a->items[1].items[0].text, "3");
    assert_int_equal(b->n, 3);
    assert_bytes(&b->items[0], "one");
    assert_bytes(&b->items[2], "three");
    done(&d);
}

static void test_decode_eas(void **state)
{
    (void)state;
    decoded d;
    load(&d, "uint256 score, bytes32 nullifier, string name, address[] wallets",
         enc_eas);
    assert_true(decode(&d));
    assert_string_equal(d.v->items[0].text, "25");
    assert_int_equal(d.v->items[1].len, 32);
    for (size_t i = 0; i < 32; i++)
        assert_int_equal(d.v->items[1].bytes[i], 0xab);
    assert_bytes(&d.v->items[2], "Alice");
    assert_int_equal(d.v->items[2].bytes[5], 0); /* NUL after the text */
    assert_int_equal(d.v->items[3].n, 2);
    assert_string_equal(d.v->items[3].items[0].text,
                        "0x1111111111111111111111111111111111111111");
    assert_string_equal(d.v->items[3].items[1].text,
                        "0x00000000000000000000000000000000deadbeef");
    /* trailing bytes after the encoding are ignored */
    d.len += 32;
    assert_true(decode(&d));
    done(&d);
}

static const char mixed_schema[] =
    "int8 a, int256 b, uint8 c, int16 d, bool e, bytes3 f, "
    "(uint64 x, string y)[] g, uint256[2] h";

static void test_decode_numbers(void **state)
{
    (void)state;
    decoded d;
    load(&d, mixed_schema, enc_mixed);
    assert_true(decode(&d));
    const gvt_eth_value *v = d.v->items;
    assert_string_equal(v[0].text, "-1");
    assert_string_equal(v[1].text, "-578960446186580977117854925043439539266"
                                   "34992332820282019728792003956564819968");
    assert_string_equal(v[2].text, "255");
    assert_string_equal(v[3].text, "-300");
    assert_string_equal(v[4].text, "true");
    assert_string_equal(eth_hex(v[5].bytes, v[5].len), "0x010203");
    assert_int_equal(v[6].n, 2);
    assert_string_equal(v[6].items[0].items[0].text, "7");
    assert_bytes(&v[6].items[0].items[1], "x");
    assert_string_equal(v[6].items[1].items[0].text, "18446744073709551615");
    assert_bytes(&v[6].items[1].items[1], "");
    assert_string_equal(v[7].items[0].text, "1");
    assert_string_equal(v[7].items[1].text,
                        "115792089237316195423570985008687907853269984665640"
                        "564039457584007913129639935");
    done(&d);
}

/* ---- hostile encodings ----------------------------------------------------
 * enc_eas words: 0 score, 1 nullifier, 2 offset of name (0x80), 3 offset of
 * wallets (0xc0), 4 length of name, 5 "Alice", 6 length of wallets, 7-8
 * wallets.
 */

static void test_hostile_offsets(void **state)
{
    (void)state;
    decoded d;
    load(&d, "uint256 score, bytes32 nullifier, string name, address[] wallets",
         enc_eas);
    set_word(&d, 2, 0x1000);
    expect_error(&d, "name", 64, "offset points past the end");
    d.data[64] = 0x80; /* 2^255 */
    expect_error(&d, "name", 64, "offset points past the end");
    set_word(&d, 2, 9 * 32); /* exactly the end: no room for the length */
    expect_error(&d, "name", 288, "length beyond the end");
    set_word(&d, 2, 0x80);
    set_word(&d, 4, 1000);
    expect_error(&d, "name", 128, "length runs past the end");
    set_word(&d, 4, 0xffffffffffffffffULL);
    expect_error(&d, "name", 128, "length runs past the end");
    set_word(&d, 4, 5);
    d.data[5 * 32 + 5] = 1;
    expect_error(&d, "name", 165, "non-zero padding");
    d.data[5 * 32 + 5] = 0;
    set_word(&d, 6, 0xffffffffffffffffULL);
    expect_error(&d, "wallets", 192, "array length runs past");
    set_word(&d, 6, 3);
    expect_error(&d, "wallets", 192, "array length runs past");
    set_word(&d, 6, 2);
    d.data[7 * 32] = 1;
    expect_error(&d, "wallets[0]", 224, "address with non-zero high bytes");
    d.data[7 * 32] = 0;
    assert_true(decode(&d));
    d.len -= 20;
    expect_error(&d, "wallets", 192, "array length runs past");
    d.len = 40;
    expect_error(&d, "nullifier", 32, "value beyond the end");
    d.len = 0;
    expect_error(&d, "score", 0, "value beyond the end");
    done(&d);
}

static void test_hostile_values(void **state)
{
    (void)state;
    decoded d;
    load(&d, mixed_schema, enc_mixed);
    d.data[2 * 32 + 30] = 1; /* uint8 with a ninth bit */
    expect_error(&d, "c", 64, "does not fit its uint type");
    d.data[2 * 32 + 30] = 0;
    d.data[3 * 32] = 0x7f; /* int16 -300 not sign-extended */
    expect_error(&d, "d", 96, "does not fit its int type");
    d.data[3 * 32] = 0xff;
    d.data[4 * 32 + 31] = 2;
    expect_error(&d, "e", 128, "neither 0 nor 1");
    d.data[4 * 32 + 31] = 1;
    d.data[5 * 32 + 3] = 4; /* bytes3 padding */
    expect_error(&d, "f", 160, "non-zero padding");
    d.data[5 * 32 + 3] = 0;
    d.data[0] = 0x7f; /* int8 -1 with a positive high part */
    expect_error(&d, "a", 0, "does not fit its int type");
    d.data[0] = 0xff;
    assert_true(decode(&d));
    /* the tuple array: its first element's string offset points outside */
    done(&d);
}

/*
 * An encoding whose offsets all point at the same arrays: 6 levels of 64
 * offsets each, about 12 kB, would expand to 64^6 (6.9e10) values. Refused
 * by the budget, at once.
 */
static void test_bomb(void **state)
{
    (void)state;
    decoded d;
    parse(&d, "uint256[][][][][][] a");
    const size_t k = 64, levels = 6;
    size_t pos = 32;
    set_word(&d, 0, 32);
    for (size_t l = 0; l < levels; l++) {
        size_t next = pos + 32 + 32 * k;
        set_word(&d, pos / 32, k);
        for (size_t i = 0; i < k; i++)
            set_word(&d, pos / 32 + 1 + i,
                     l + 1 < levels ? next - (pos + 32) : i);
        pos = next;
    }
    d.len = pos;
    assert_false(decode(&d));
    if (!strstr(d.err.message, "more often than the data"))
        fail_msg("message: %s", d.err.message);
    done(&d);
}

/* The densest honest encoding (6 values per word) fits the budget. */
static void test_dense(void **state)
{
    (void)state;
    decoded d;
    parse(&d, "(((((uint256 x) a) b) c) d)[] z");
    const size_t n = 100;
    set_word(&d, 0, 32);
    set_word(&d, 1, n);
    for (size_t i = 0; i < n; i++)
        set_word(&d, 2 + i, i);
    d.len = 32 * (n + 2);
    assert_true(decode(&d));
    assert_string_equal(d.v->items[0]
                            .items[99]
                            .items[0]
                            .items[0]
                            .items[0]
                            .items[0]
                            .items[0]
                            .text,
                        "99");
    done(&d);
}

/* ---- one-word encodings ---------------------------------------------------
 */

static void word_ok(const gvt_abi_type *t, const char *text, const char *hex)
{
    gvt_eth_value v = {.text = text};
    uint8_t w[32];
    gvt_eth_error err;
    if (!gvt_abi_encode_word(t, &v, "x", w, &err))
        fail_msg("%s %s: %s", t->spelling, text, err.message);
    assert_string_equal(eth_hex(w, 32), hex);
}

static void word_bad(const gvt_abi_type *t, const char *text, const char *words)
{
    gvt_eth_value v = {.text = text};
    uint8_t w[32];
    gvt_eth_error err;
    assert_false(gvt_abi_encode_word(t, &v, "m.x", w, &err));
    assert_string_equal(err.field, "m.x");
    if (!strstr(err.message, words))
        fail_msg("%s '%s': message '%s'", t->spelling, text, err.message);
}

static void test_words(void **state)
{
    (void)state;
    decoded d;
    parse(&d, "uint8 a, int8 b, int256 c, uint256 d");
    const gvt_abi_type *t = gvt_eth_types_root(d.types);
    const gvt_abi_type *u8 = t->fields[0].type, *i8 = t->fields[1].type;
    const gvt_abi_type *i256 = t->fields[2].type;
    word_ok(u8, "255",
            "0x00000000000000000000000000000000000000000000000000000000000000"
            "ff");
    word_bad(u8, "256", "out of range");
    word_bad(u8, "-1", "not a decimal integer");
    word_bad(u8, "007", "not a decimal integer");
    word_bad(u8, "", "not a decimal integer");
    word_bad(u8, "1e3", "not a decimal integer");
    word_ok(i8, "-128",
            "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "80");
    word_ok(i8, "127",
            "0x00000000000000000000000000000000000000000000000000"
            "0000000000007f");
    word_bad(i8, "128", "out of range");
    word_bad(i8, "-129", "out of range");
    word_bad(i8, "-0", "not a decimal integer");
    word_ok(i256,
            "-57896044618658097711785492504343953926634992332820282019728792"
            "003956564819968",
            "0x8000000000000000000000000000000000000000000000000000000000000"
            "000");
    word_bad(i256,
             "57896044618658097711785492504343953926634992332820282019728792"
             "003956564819968",
             "out of range");
    word_ok(&gvt_abi_uint256,
            "115792089237316195423570985008687907853269984665640564039457584"
            "007913129639935",
            "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "ff");
    word_bad(&gvt_abi_uint256,
             "115792089237316195423570985008687907853269984665640564039457584"
             "007913129639936",
             "out of range");
    word_ok(&gvt_abi_address, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
            "0x000000000000000000000000cd2a3d9f938e13cd947ec05abc7fe734df8dd8"
            "26");
    word_bad(&gvt_abi_address, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD8",
             "not an address");
    word_ok(&gvt_abi_bool, "true",
            "0x000000000000000000000000000000000000000000000000000000000000000"
            "1");
    word_bad(&gvt_abi_bool, "1", "not true or false");
    gvt_eth_value v = {.bytes = (const uint8_t *)"abc", .len = 3};
    uint8_t w[32];
    gvt_eth_error err;
    assert_false(gvt_abi_encode_word(&gvt_abi_bytes32, &v, "s", w, &err));
    assert_non_null(strstr(err.message, "wrong number of bytes"));
    v.text = NULL;
    word_bad(u8, NULL, "is missing");
    done(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema),
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_decode_spec_example),
        cmocka_unit_test(test_decode_eas),
        cmocka_unit_test(test_decode_numbers),
        cmocka_unit_test(test_hostile_offsets),
        cmocka_unit_test(test_hostile_values),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_dense),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
