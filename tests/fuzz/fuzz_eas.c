/*
 * fuzz_eas.c: fuzz target for the EAS readers (crypto/eas.c: the SDK's
 * off-chain packages; crypto/eas_onchain.c: the gvt-eas-onchain/1 records
 * that `govtally fetch eas` writes; crypto/eas_json.c under both). The first
 * byte's low bit asks for the records to be judged too (against a trust
 * file whose EAS source is the seeds' attester, schema, chain and contract,
 * with a field nullifier, so that mutated data reaches the ABI decoding of
 * gvt_eas_resolve); the rest is the file. Any input must give records or a
 * data error with a message and a line: never a crash, a hang, a leak or
 * unbounded memory. Records read are stable: read twice, the same ids,
 * subjects, times and checks (no state or uninitialised byte leaks into
 * them); every subject is a lower-case address; every record is judged
 * under exactly one outcome.
 * Built with libFuzzer by the `fuzz` preset, and with fuzz_driver.c (seeded
 * mutations of tests/fuzz/eas/) as an ordinary time-boxed test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char trust_text[] =
    "{\"v\":1,\"issuers\":[{\"name\":\"s\",\"attester\":"
    "\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\",\"schema\":"
    "\"0xab7ecfb867fe6be9cdc1cb13d495ae153326c1cc821142db3268df2d8c6cce0f\","
    "\"chain_id\":31337,\"contract\":"
    "\"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512\",\"fields\":\"bytes32 "
    "humanId\",\"nullifier\":\"humanId\"}]}";

static bool lower_address(const char *s)
{
    if (strlen(s) != 42 || s[0] != '0' || s[1] != 'x')
        return false;
    for (size_t i = 2; i < 42; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void same(const gvt_attestation *x, const gvt_attestation *y)
{
    if (x->kind != GVT_SIGNER_EAS || !x->eas || !lower_address(x->subject) ||
        x->kind != y->kind || memcmp(x->id, y->id, 32) != 0 ||
        memcmp(x->issuer, y->issuer, 32) != 0 ||
        strcmp(x->subject, y->subject) != 0 || x->issued_at != y->issued_at ||
        x->expires_at != y->expires_at || x->line != y->line ||
        x->eas->consistent != y->eas->consistent ||
        x->eas->onchain != y->eas->onchain ||
        x->eas->revoked != y->eas->revoked ||
        x->eas->data_len != y->eas->data_len ||
        memcmp(x->eas->data, y->eas->data, x->eas->data_len) != 0 ||
        gvt_eas_verify(x) != gvt_eas_verify(y))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    bool judge = data[0] & 1;
    size_t len = size - 1;
    char *text = malloc(len + 1);
    memcpy(text, data + 1, len);
    text[len] = '\0';
    bool eas = gvt_eas_onchain_sniff(text, len) || gvt_eas_sniff(text, len);
    gvt_attestations *a = NULL, *b = NULL;
    gvt_error e;
    gvt_status st = gvt_attestations_read_mem("fuzz", text, len, &a, &e);
    if (st != GVT_OK) {
        if (a || st != GVT_ERR_DATA || !e.message[0] || e.line < 1)
            abort();
        free(text);
        return 0;
    }
    if (gvt_attestations_read_mem("fuzz", text, len, &b, &e) != GVT_OK ||
        a->n != b->n)
        abort();
    for (size_t i = 0; eas && i < a->n; i++)
        same(&a->items[i], &b->items[i]);
    if (judge) {
        gvt_trust *t = NULL;
        if (gvt_trust_read_mem("trust", trust_text, sizeof trust_text - 1, &t,
                               &e) != GVT_OK)
            abort();
        size_t counts[GVT_ATTEST_REASON_COUNT], sum = 0;
        if (gvt_attestations_verify(a, t, NULL, 1700100000, 1, counts,
                                    GVT_ATTEST_REASON_COUNT, &e) != GVT_OK)
            abort();
        for (size_t r = 0; r < GVT_ATTEST_REASON_COUNT; r++)
            sum += counts[r];
        if (sum != a->n)
            abort();
        gvt_trust_free(t);
    }
    gvt_attestations_free(a);
    gvt_attestations_free(b);
    free(text);
    return 0;
}
