/*
 * fuzz_attest.c: fuzz target for attestation files and trust files
 * (crypto/). The first byte picks the parser (odd: trust file, even:
 * attestations); the rest is the file. Any text gives a parsed set or a
 * data error with a message; a parsed set is stable: read twice, it gives
 * the same canonical messages and ids (no state or uninitialised byte leaks
 * into the canonical form), every canonical message is printable ASCII
 * lines, and a trust file's issuers are sorted and distinct with sorted
 * revocation lists, as the lookups assume.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void attestations(const char *text, size_t len)
{
    gvt_attestations *a = NULL, *b = NULL;
    gvt_error e;
    gvt_status st = gvt_attestations_read_mem("fuzz", text, len, &a, &e);
    if (st != GVT_OK) {
        if (a || st != GVT_ERR_DATA || !e.message[0])
            abort();
        return;
    }
    if (gvt_attestations_read_mem("fuzz", text, len, &b, &e) != GVT_OK ||
        a->n != b->n)
        abort();
    char m1[GVT_ATTEST_MSG_MAX], m2[GVT_ATTEST_MSG_MAX];
    for (size_t i = 0; i < a->n; i++) {
        size_t n1 = gvt_attestation_message(&a->items[i], m1);
        size_t n2 = gvt_attestation_message(&b->items[i], m2);
        if (n1 != n2 || n1 >= GVT_ATTEST_MSG_MAX || memcmp(m1, m2, n1) != 0 ||
            memcmp(a->items[i].id, b->items[i].id, 32) != 0)
            abort();
        for (size_t k = 0; k < n1; k++)
            if ((m1[k] < 0x20 && m1[k] != '\n') || (unsigned char)m1[k] > 0x7e)
                abort();
    }
    gvt_attestations_free(a);
    gvt_attestations_free(b);
}

static int key_cmp(const gvt_issuer *x, const gvt_issuer *y)
{
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return memcmp(x->key, y->key, 32);
}

static void sorted(uint8_t (*ids)[32], size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (memcmp(ids[k - 1], ids[k], 32) > 0)
            abort();
}

static void trust(const char *text, size_t len)
{
    gvt_trust *t = NULL;
    gvt_error e;
    gvt_status st = gvt_trust_read_mem("fuzz", text, len, &t, &e);
    if (st != GVT_OK) {
        if (t || st != GVT_ERR_DATA || !e.message[0])
            abort();
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        if (i && key_cmp(&t->issuers[i - 1], &t->issuers[i]) >= 0)
            abort();
        sorted(t->issuers[i].revoked, t->issuers[i].n_revoked);
        sorted(t->issuers[i].revoked_nullifiers,
               t->issuers[i].n_revoked_nullifiers);
        if (gvt_trust_find(t, t->issuers[i].kind, t->issuers[i].key) !=
            &t->issuers[i])
            abort();
    }
    gvt_trust_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 1)
        trust(text, size - 1);
    else
        attestations(text, size - 1);
    free(text);
    return 0;
}
