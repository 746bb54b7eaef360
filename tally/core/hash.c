/*
 * hash.c: the one byte hash of the hash tables (voters, raw choices).
 */
#include <string.h>

#include "core/core.h"

uint64_t gvt_hash_bytes(const void *data, size_t len)
{
    const unsigned char *s = data;
    uint64_t h = 0x9e3779b97f4a7c15u ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 29);
}
