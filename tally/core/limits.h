/*
 * limits.h: the limits that keep work and memory bounded on hostile input
 * (docs/limits.md says why each is what it is). Each is a default that a
 * build may raise, e.g. cmake -DCMAKE_C_FLAGS=-DGVT_LIMIT_TRUST_BYTES=4194304.
 * A limit reached is a data error (exit 65) naming the file and the limit.
 */
#ifndef GVT_LIMITS_H
#define GVT_LIMITS_H

/* Choices of a proposal: Snapshot's own ceiling (1,000, its "turbo" spaces;
 * 20 to 500 for the others). Bounds copeland's n^2 / 2 margins. */
#ifndef GVT_MAX_CHOICES
#define GVT_MAX_CHOICES 1000
#endif

/* Bytes of one input, by what it holds. */
#ifndef GVT_LIMIT_TRUST_BYTES /* trust (issuers) file: a few keys */
#define GVT_LIMIT_TRUST_BYTES ((size_t)1 << 20)
#endif
#ifndef GVT_LIMIT_KEY_BYTES /* a secret key file: one line */
#define GVT_LIMIT_KEY_BYTES ((size_t)64 << 10)
#endif
#ifndef GVT_LIMIT_ATTESTATION_BYTES /* attestations (JSON Lines) */
#define GVT_LIMIT_ATTESTATION_BYTES ((size_t)1 << 30)
#endif
#ifndef GVT_LIMIT_SUBJECTS_BYTES /* attest sign's subjects CSV */
#define GVT_LIMIT_SUBJECTS_BYTES ((size_t)1 << 30)
#endif
#ifndef GVT_LIMIT_HISTORY_BYTES /* import and replay inputs: CSV, JSON Lines   \
                                 */
#define GVT_LIMIT_HISTORY_BYTES ((size_t)4 << 30)
#endif
#ifndef GVT_LIMIT_CSV_LINE_BYTES /* one physical line of a CSV */
#define GVT_LIMIT_CSV_LINE_BYTES ((size_t)16 << 20)
#endif
#ifndef GVT_LIMIT_FIXTURE_BYTES /* a fixture of govtally check */
#define GVT_LIMIT_FIXTURE_BYTES ((size_t)16 << 20)
#endif
#ifndef GVT_LIMIT_EXPORT_BYTES /* one Snapshot export (run) */
#define GVT_LIMIT_EXPORT_BYTES ((size_t)8 << 30)
#endif

#endif
