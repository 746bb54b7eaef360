/*
 * eth_hex.h: hex helpers shared by the tests of crypto/eth (test_keccak,
 * test_secp256k1, test_abi, test_eip712). They fail the running cmocka
 * test on bad input.
 */
#ifndef GVT_TEST_ETH_HEX_H
#define GVT_TEST_ETH_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Hex digits (an optional 0x first) into out; returns the byte count. */
size_t eth_unhex(const char *s, uint8_t *out, size_t cap);
/* n bytes as lower-case hex with 0x, into a static buffer per call site
 * rotation (8 buffers). */
const char *eth_hex(const uint8_t *b, size_t n);

#endif
