/*
 * keccak.c: Keccak-256, the hash of Ethereum (addresses, EIP-712, EAS uids).
 *
 * Ethereum kept the padding of the Keccak submission to the SHA-3 contest:
 * the message, then a 1 bit, zeros, and a final 1 bit (bytes 0x01 ... 0x80,
 * or 0x81 when one byte is left), where FIPS 202's SHA3-256 appends the
 * domain bits 01 first (0x06 ... 0x80). Debian's crypto libraries only offer
 * the latter; Nettle exports the Keccak-f[1600] permutation itself
 * (sha3_permute), so this file is only the sponge: absorb 136-byte blocks
 * (rate 1088 bits, capacity 512) as little-endian 64-bit lanes, pad, permute,
 * and squeeze the first 32 bytes of the state.
 */
#include <string.h>

#include "crypto/eth/eth.h"

void gvt_keccak_init(gvt_keccak *k)
{
    memset(k, 0, sizeof *k);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static void absorb(gvt_keccak *k, const uint8_t *block)
{
    for (unsigned i = 0; i < GVT_KECCAK_RATE / 8; i++)
        k->state.a[i] ^= le64(block + 8 * i);
    sha3_permute(&k->state);
}

void gvt_keccak_update(gvt_keccak *k, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (k->index) {
        size_t take = GVT_KECCAK_RATE - k->index;
        if (take > len)
            take = len;
        memcpy(k->block + k->index, p, take);
        k->index += (unsigned)take;
        p += take;
        len -= take;
        if (k->index < GVT_KECCAK_RATE)
            return;
        absorb(k, k->block);
        k->index = 0;
    }
    for (; len >= GVT_KECCAK_RATE; p += GVT_KECCAK_RATE, len -= GVT_KECCAK_RATE)
        absorb(k, p);
    memcpy(k->block, p, len);
    k->index = (unsigned)len;
}

void gvt_keccak_final(gvt_keccak *k, uint8_t out[32])
{
    memset(k->block + k->index, 0, GVT_KECCAK_RATE - k->index);
    k->block[k->index] ^= 0x01;
    k->block[GVT_KECCAK_RATE - 1] ^= 0x80;
    absorb(k, k->block);
    for (unsigned i = 0; i < 32; i++)
        out[i] = (uint8_t)(k->state.a[i / 8] >> (8 * (i % 8)));
}

void gvt_keccak256(const void *data, size_t len, uint8_t out[32])
{
    gvt_keccak k;
    gvt_keccak_init(&k);
    gvt_keccak_update(&k, data, len);
    gvt_keccak_final(&k, out);
}
