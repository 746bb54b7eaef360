/*
 * fuzz_abi.c: fuzz target for the ABI decoder and the type parsers
 * (crypto/eth/abi.c, abi_type.c). The first byte picks a schema and the rest
 * is its data; a first byte of 0xff makes the rest a type text, read as a
 * schema and as EIP-712 structs. Any input must give a value or an error
 * with a message and an offset inside the input: never a crash, a hang, a
 * leak or unbounded memory. A decoded value must fit its type and every
 * static value must encode again (the decoder never yields text that the
 * encoder refuses).
 * Built with libFuzzer by the `fuzz` preset, and with fuzz_driver.c (seeded
 * mutations of tests/fuzz/abi/) as an ordinary time-boxed test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/eth/eth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const schemas[] = {
    "uint256 a, uint32[] b, bytes10 c, bytes d",
    "uint256[][] a, string[] b",
    "uint256 score, bytes32 nullifier, string name, address[] wallets",
    ("int8 a, int256 b, uint8 c, int16 d, bool e, bytes3 f, "
     "(uint64 x, string y)[] g, uint256[2] h"),
    "(string s, bytes b)[2][] t, int40 i",
    "uint256[][][][][][] a",
};

static void check(const gvt_abi_type *t, const gvt_eth_value *v)
{
    uint8_t word[32];
    switch (t->kind) {
    case GVT_ABI_TUPLE:
        if (v->n != t->n_fields)
            abort();
        for (size_t i = 0; i < v->n; i++)
            check(t->fields[i].type, &v->items[i]);
        return;
    case GVT_ABI_ARRAY:
        if (t->length && v->n != t->length)
            abort();
        for (size_t i = 0; i < v->n; i++)
            check(t->elem, &v->items[i]);
        return;
    case GVT_ABI_BYTES:
    case GVT_ABI_STRING:
        if (!v->bytes || v->bytes[v->len] != '\0')
            abort();
        return;
    default:
        if (!gvt_abi_encode_word(t, v, "x", word, NULL))
            abort();
    }
}

static void types_text(const uint8_t *data, size_t size)
{
    gvt_eth_types *ts = NULL;
    gvt_eth_error err;
    if (gvt_abi_schema_parse((const char *)data, size, &ts, &err)) {
        static const uint8_t zeros[512];
        gvt_abi_doc *doc = NULL;
        const gvt_abi_type *root = gvt_eth_types_root(ts);
        if (gvt_abi_decode(root, zeros, sizeof zeros, &doc, &err))
            check(root, gvt_abi_doc_value(doc));
        gvt_abi_doc_free(doc);
    } else if (ts || !err.message[0] || err.offset > size) {
        abort();
    }
    gvt_eth_types_free(ts);
    ts = NULL;
    if (!gvt_eip712_types_parse((const char *)data, size, &ts, &err) &&
        (ts || !err.message[0] || err.offset > size))
        abort();
    gvt_eth_types_free(ts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] == 0xff) {
        types_text(data + 1, size - 1);
        return 0;
    }
    const char *schema = schemas[data[0] % (sizeof schemas / sizeof *schemas)];
    gvt_eth_types *ts = NULL;
    gvt_eth_error err;
    if (!gvt_abi_schema_parse(schema, strlen(schema), &ts, &err))
        abort();
    const gvt_abi_type *root = gvt_eth_types_root(ts);
    gvt_abi_doc *doc = NULL;
    if (gvt_abi_decode(root, data + 1, size - 1, &doc, &err)) {
        check(root, gvt_abi_doc_value(doc));
    } else if (doc || !err.message[0] || err.offset > size - 1) {
        abort();
    }
    gvt_abi_doc_free(doc);
    gvt_eth_types_free(ts);
    return 0;
}
