/*
 * hand_ballots.h: proposals built by hand for the unit tests of the scoring
 * engine (test_rules.c, test_schemes.c), without the reader.
 */
#ifndef GVT_HAND_BALLOTS_H
#define GVT_HAND_BALLOTS_H

#include "report/report.h"
#include "result/result.h"

/*
 * The thread count the tests give the library's passes: two, so that a
 * split forced by gvt_par_force_for_tests(1) runs on two threads even on a
 * machine with one CPU (unforced, small inputs stay on one).
 */
#define HAND_THREADS 2

/* An empty proposal of the given type with n choices "C1".."Cn". */
gvt_proposal *hand_proposal(gvt_type type, uint32_t n_choices);

/*
 * Appends a counted ballot and returns its index. vp is a decimal. choice,
 * 1-based as in Snapshot:
 *   single-choice, basic   "2"
 *   approval               "1,3" ("" approves nothing)
 *   ranked, copeland       "2,1,3"
 *   quadratic, weighted    "1:2,3:0.5"; a key "x" adds its value to the
 *                          ballot's total only (a key Snapshot never
 *                          credits, such as "01")
 *   NULL                   an invalid choice (status invalid-choice)
 */
size_t hand_ballot(gvt_proposal *p, const char *voter, const char *vp,
                   const char *choice);

/* Units of weight vp, one per counted ballot, in input order. */
gvt_unit *hand_units(const gvt_proposal *p, size_t *out_n);

/* Fixed-point value of a decimal (aborts the test on a bad literal). */
void hand_fx(mpz_t out, const char *dec);

/* Allocates and initialises n scores; hand_scores_free releases them. */
mpz_t *hand_scores(uint32_t n);
void hand_scores_free(mpz_t *s, uint32_t n);

/* Scores as decimals with `digits` fraction digits, joined by " ". */
char *hand_scores_text(mpz_t *s, uint32_t n, int digits);

/* A 0x + 40 hex address made from a number. */
const char *hand_address(char buf[43], unsigned long k);

/* Seeded pseudo-random numbers (splitmix64) for property tests: the next
 * value, one below n (n > 0), and perm[0..n) = a shuffle of 1..n. */
uint64_t hand_rng(uint64_t *state);
uint32_t hand_rng_below(uint64_t *state, uint32_t n);
void hand_permutation(uint64_t *state, uint32_t *perm, uint32_t n);

#endif
