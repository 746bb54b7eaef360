/*
 * reader_util.h: what the reader's tests share (test_reader.c,
 * test_reader_paths.c): addresses and documents as literals, and reading
 * one from memory on two threads.
 */
#ifndef GVT_TEST_READER_UTIL_H
#define GVT_TEST_READER_UTIL_H

#include <gmp.h>

#include "read/read.h"

#define A1 "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A1_UPPER "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define A2 "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define A2_MIXED "0xBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBb"
#define A3 "0xcccccccccccccccccccccccccccccccccccccccc"
#define A4 "0xdddddddddddddddddddddddddddddddddddddddd"
#define STARK                                                                  \
    "0x0123456789abcdefABCDEF0123456789abcdef0123456789abcdef0123456789"

#define PROP                                                                   \
    "{\"id\":\"p1\",\"type\":\"single-choice\",\"choices\":[\"A\",\"B\"]}"
#define HEAD "{\"proposal\":" PROP ",\"votes\":["
/* The start of vote v0 of A1, its other members to follow. */
#define V0 "{\"id\":\"v0\",\"voter\":\"" A1 "\","
#define GOOD "{\"id\":\"v0\",\"voter\":\"" A1 "\",\"choice\":1,\"vp\":2}"

/* The two shapes of one small export: plain (proposal first, space as a
 * string) and GraphQL (votes first, space as an object, keys shuffled). */
extern const char *const small_shapes[2];

/* Malformed exports, each with where and how the reader must refuse it. */
typedef struct bad_case {
    const char *name;
    const char *doc;
    const char *needle; /* offset = just past it; NULL = end of input */
    const char *path;
    const char *message; /* a part of the message */
    long vote;
    const char *vote_id;
} bad_case;
extern const bad_case bad_cases[];
extern const size_t n_bad_cases;

/* A generated vote of a single-choice export (gen_doc). */
typedef struct gen_vote {
    int voter;
    int created; /* -1: absent */
    int id;
    int choice;
    int vp;
    int upper;
} gen_vote;
/* A pseudo-random number below n (xorshift, a fixed seed: the same
 * sequence every run). */
unsigned rnd(unsigned n);
/* The export of v[order[0..n)] (malloc'd). */
char *gen_doc(const gen_vote *v, const size_t *order, size_t n);

/* Reads may use two threads: a split forced by gvt_reader_split_for_tests
 * (and the halves of gvt_proposal_finish for large documents) then run on
 * two even on a machine with one CPU. */
extern const gvt_read_options two_threads;

/* A ballot's id as text (two calls may stand in one expression). */
const char *bid(const gvt_ballot *b);
/* doc read from memory as "doc.json" on two threads. */
gvt_status rd(const char *doc, gvt_proposal **p, gvt_error *e);
/* Offset just past the one occurrence of needle in doc (fails the test
 * when it is missing or not unique). */
long long after(const char *doc, const char *needle);
/* v written with 18 fraction digits is want. */
void assert_fx(const mpz_t v, const char *want);

#endif
