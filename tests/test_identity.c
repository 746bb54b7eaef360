/*
 * test_identity.c: judging attestations against a proposal
 * (docs/formats.md#attestation-outcomes) and merging wallets into humans
 * (docs/identity.md#humans), crypto/identity.c.
 *
 * Proposals are built by hand (gvt_proposal_new and counted ballots filled
 * in); attestations are signed here with libsodium over a canonical message
 * this file writes out itself from docs/formats.md#attestations, so the
 * reader's own message code is tested, not trusted. Every expected outcome is
 * worked out by hand in the comments next to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "read/read.h"
#include "score/score.h"

typedef struct key {
    uint8_t pk[32], sk[64];
    char hex[65];
} key;

/* A deterministic key: every byte of the seed is `seed`. */
static void make_key(key *k, uint8_t seed)
{
    uint8_t s[32];
    memset(s, seed, sizeof s);
    crypto_sign_seed_keypair(k->pk, k->sk, s);
    gvt_hex_encode(k->hex, k->pk, 32);
}

static const char *addr(int i)
{
    static char buf[8][43];
    static int next;
    char *s = buf[next++ % 8];
    snprintf(s, 43, "0x%040x", i);
    return s;
}

/* A nullifier: 64 hex digits, all `c`. */
static const char *nul(char c)
{
    static char buf[8][65];
    static int next;
    char *s = buf[next++ % 8];
    memset(s, c, 64);
    s[64] = '\0';
    return s;
}

/*
 * Appends one signed attestation (JSON Lines) to b and returns its id (hex)
 * in id_out when not NULL. broken flips a bit of the signature.
 */
static void add_att(gvt_buf *b, const key *k, const char *subject,
                    const char *nullifier, const char *scope, long long issued,
                    long long expires, const char *weight, bool broken,
                    char *id_out)
{
    char msg[1024];
    int n =
        snprintf(msg, sizeof msg,
                 "gvt-attestation/1\nissuer=%s\nsubject=%s\n"
                 "nullifier=%s\nscope=%s\nissued_at=%lld\n"
                 "expires_at=%lld\nweight=%s\n",
                 k->hex, subject, nullifier, scope, issued, expires, weight);
    uint8_t sig[64], id[32];
    crypto_sign_detached(sig, NULL, (const uint8_t *)msg, (size_t)n, k->sk);
    if (broken)
        sig[40] ^= 0x04;
    crypto_generichash(id, 32, (const uint8_t *)msg, (size_t)n, NULL, 0);
    char sig_hex[129];
    gvt_hex_encode(sig_hex, sig, 64);
    if (id_out)
        gvt_hex_encode(id_out, id, 32);
    gvt_buf_printf(b,
                   "{\"v\":1,\"issuer\":\"%s\",\"subject\":\"%s\","
                   "\"nullifier\":\"%s\",\"scope\":\"%s\",\"issued_at\":%lld,"
                   "\"expires_at\":%lld,\"weight\":\"%s\",\"sig\":\"%s\"}\n",
                   k->hex, subject, nullifier, scope, issued, expires, weight,
                   sig_hex);
}

static gvt_attestations *read_atts(gvt_buf *b)
{
    gvt_attestations *a = NULL;
    gvt_error err;
    if (gvt_attestations_read_mem("a.jsonl", b->data ? b->data : "", b->len, &a,
                                  &err) != GVT_OK)
        fail_msg("attestations: %s", err.message);
    return a;
}

static gvt_trust *read_trust(const char *text)
{
    gvt_trust *t = NULL;
    gvt_error err;
    if (gvt_trust_read_mem("i.json", text, strlen(text), &t, &err) != GVT_OK)
        fail_msg("trust: %s at %s", err.message, err.path);
    return t;
}

typedef struct wallet {
    int addr;
    int64_t created; /* INT64_MIN: absent */
    const char *vp;
    gvt_ballot_status status;
} wallet;

static gvt_proposal *make_proposal(const char *space, int64_t end,
                                   const wallet *w, size_t n)
{
    gvt_proposal *p = gvt_proposal_new("test");
    p->space = gvt_arena_strdup(p->arena, space);
    p->end = end;
    p->ballots = gvt_xcalloc(n, sizeof *p->ballots);
    p->n_ballots = n;
    for (size_t i = 0; i < n; i++) {
        gvt_ballot *b = &p->ballots[i];
        b->voter = gvt_arena_strdup(p->arena, addr(w[i].addr));
        b->created = w[i].created;
        b->input = (uint32_t)i;
        b->status = (uint8_t)w[i].status;
        mpz_init(b->vp);
        assert_int_equal(gvt_fx_parse(b->vp, w[i].vp, strlen(w[i].vp), false),
                         GVT_FX_OK);
        if (w[i].status == GVT_BALLOT_COUNTED)
            p->counts.counted++;
        p->counts.read++;
    }
    return p;
}

static void expect_fx(const mpz_t v, const char *want)
{
    char *s = gvt_fx_to_string(v, GVT_FX_DIGITS);
    assert_string_equal(s, want);
    free(s);
}

/* ---- every reason of docs/formats.md#attestation-outcomes ---------------- */

typedef struct reasons_case {
    gvt_proposal *p;
    gvt_attestations *a;
    gvt_trust *t;
} reasons_case;

/*
 * Issuer A (window [100, 1000], one id and nullifier 9... revoked), issuer B
 * (weight 0.5), C untrusted. Ballots: w1 at 500, w2 at 600, w3 at 700, w4
 * without time (the proposal ends at 800), w6 a duplicate (not counted).
 * Space ens.eth. The reason of each attestation is in the comment.
 */
static void build_reasons(reasons_case *c)
{
    key A, B, C;
    make_key(&A, 1);
    make_key(&B, 2);
    make_key(&C, 3);
    static const wallet w[] = {{1, 500, "10", GVT_BALLOT_COUNTED},
                               {2, 600, "20", GVT_BALLOT_COUNTED},
                               {3, 700, "30", GVT_BALLOT_COUNTED},
                               {4, INT64_MIN, "40", GVT_BALLOT_COUNTED},
                               {6, 300, "5", GVT_BALLOT_DUPLICATE}};
    c->p = make_proposal("ens.eth", 800, w, 5);
    gvt_buf b;
    gvt_buf_init(&b);
    char revoked_id[65];
    /* 0 valid */
    add_att(&b, &A, addr(1), nul('1'), "*", 200, 0, "1", false, NULL);
    /* 1 duplicate of 0 */
    add_att(&b, &A, addr(1), nul('1'), "*", 200, 0, "1", false, NULL);
    /* 2 unused: w6 has no counted ballot; 3 unused: w9 never voted */
    add_att(&b, &A, addr(6), nul('6'), "*", 200, 0, "1", false, NULL);
    add_att(&b, &A, addr(9), nul('8'), "*", 200, 0, "1", false, NULL);
    /* 4 untrusted-issuer */
    add_att(&b, &C, addr(1), nul('1'), "*", 200, 0, "1", false, NULL);
    /* 5 bad-signature */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 200, 0, "1", true, NULL);
    /* 6, 7 issuer-window: before 100, after 1000 */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 50, 0, "1", false, NULL);
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 1001, 0, "1", false, NULL);
    /* 8 revoked nullifier; 9 revoked id */
    add_att(&b, &A, addr(3), nul('9'), "*", 200, 0, "1", false, NULL);
    add_att(&b, &A, addr(3), nul('3'), "*", 150, 0, "1", false, revoked_id);
    /* 10 wrong-scope */
    add_att(&b, &A, addr(3), nul('3'), "other.eth", 200, 0, "1", false, NULL);
    /* 11 not-yet-valid: w2 voted at 600 < 650 */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 650, 0, "1", false, NULL);
    /* 12 expired: 600 >= 600 */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 200, 600, "1", false, NULL);
    /* 13, 14 conflict: B gives w4 two nullifiers */
    add_att(&b, &B, addr(4), nul('4'), "*", 200, 0, "1", false, NULL);
    add_att(&b, &B, addr(4), nul('5'), "*", 200, 0, "1", false, NULL);
    /* 15 valid: expires just after the vote */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 200, 601, "1", false, NULL);
    /* 16 valid: 9 and 10 fell earlier, so no conflict with them */
    add_att(&b, &A, addr(3), nul('3'), "ens.eth", 300, 0, "1", false, NULL);
    /* 17 not-yet-valid: w4 has no time, the end 800 < 810 */
    add_att(&b, &A, addr(4), nul('7'), "*", 810, 0, "1", false, NULL);
    /* 18 untrusted-issuer before bad-signature */
    add_att(&b, &C, addr(1), nul('1'), "*", 201, 0, "1", true, NULL);
    /* 19 bad-signature before issuer-window */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 51, 0, "1", true, NULL);
    /* 20 valid: 799 <= 800 */
    add_att(&b, &A, addr(4), nul('7'), "*", 799, 0, "1", false, NULL);
    /* 21 duplicate (of 5) before bad-signature */
    add_att(&b, &A, addr(2), nul('2'), "ens.eth", 200, 0, "1", true, NULL);
    c->a = read_atts(&b);
    gvt_buf_free(&b);
    char trust[1024];
    snprintf(trust, sizeof trust,
             "{\"v\":1,\"issuers\":[{\"name\":\"A\",\"key\":\"%s\","
             "\"valid_from\":100,\"valid_until\":1000,\"revoked\":[\"%s\"],"
             "\"revoked_nullifiers\":[\"%s\"]},"
             "{\"name\":\"B\",\"key\":\"%s\",\"weight\":\"0.5\"}]}",
             A.hex, revoked_id, nul('9'), B.hex);
    c->t = read_trust(trust);
}

static void free_reasons(reasons_case *c)
{
    gvt_attestations_free(c->a);
    gvt_trust_free(c->t);
    gvt_proposal_free(c->p);
}

static void expect_counts(const size_t *got, const size_t *want)
{
    for (int r = 0; r < GVT_ATTEST_REASON_COUNT; r++)
        if (got[r] != want[r])
            fail_msg("%s: got %zu, want %zu",
                     gvt_attest_reason_name((gvt_attest_reason)r), got[r],
                     want[r]);
}

static void every_reason(void **state)
{
    (void)state;
    reasons_case c;
    build_reasons(&c);
    gvt_identity *id = NULL;
    gvt_error err;
    assert_int_equal(gvt_identity_build(c.p, c.a, c.t, 1, &id, &err), GVT_OK);
    assert_int_equal(id->read, 22);
    /* valid 0 15 16 20; duplicate 1 21; unused 2 3; untrusted 4 18;
     * bad-signature 5 19; issuer-window 6 7; revoked 8 9; wrong-scope 10;
     * not-yet-valid 11 17; expired 12; conflict 13 14 */
    static const size_t want[GVT_ATTEST_REASON_COUNT] = {4, 2, 2, 2, 2, 2,
                                                         2, 1, 2, 1, 2};
    expect_counts(id->counts, want);
    /* one human per wallet w1..w4, each with weight 1 */
    assert_int_equal(id->n_humans, 4);
    assert_int_equal(id->verified_wallets, 4);
    assert_int_equal(id->unverified_wallets, 0);
    for (size_t h = 0; h < 4; h++) {
        assert_string_equal(id->humans[h].ballot->voter, addr((int)h + 1));
        assert_int_equal(id->humans[h].n_wallets, 1);
        expect_fx(id->humans[h].weight, "1");
    }
    expect_fx(id->humans[3].vp, "40");
    gvt_identity_free(id);
    free_reasons(&c);
}

static void verify_without_proposal(void **state)
{
    (void)state;
    reasons_case c;
    build_reasons(&c);
    size_t counts[GVT_ATTEST_REASON_COUNT];
    gvt_error err;
    /* scope ens.eth at 600: no unused; not-yet-valid 11 (650) 17 (810)
     * 20 (799); expired 12; conflict 13 14; valid 0 2 3 15 16 */
    assert_int_equal(gvt_attestations_verify(c.a, c.t, "ens.eth", 600, 2,
                                             counts, GVT_ATTEST_REASON_COUNT,
                                             &err),
                     GVT_OK);
    static const size_t want1[GVT_ATTEST_REASON_COUNT] = {5, 2, 0, 2, 2, 2,
                                                          2, 1, 3, 1, 2};
    expect_counts(counts, want1);
    /* no scope, no time: 10 11 12 17 20 become valid (10 and 16 share
     * their nullifier, so no conflict) */
    assert_int_equal(gvt_attestations_verify(c.a, c.t, NULL, -1, 1, counts,
                                             GVT_ATTEST_REASON_COUNT, &err),
                     GVT_OK);
    static const size_t want2[GVT_ATTEST_REASON_COUNT] = {10, 2, 0, 2, 2, 2,
                                                          2,  0, 0, 0, 2};
    expect_counts(counts, want2);
    /* A caller that knows fewer reasons (an older header): nothing is
     * written past its n_counts. */
    size_t few[4] = {99, 99, 99, 99};
    assert_int_equal(
        gvt_attestations_verify(c.a, c.t, NULL, -1, 1, few, 3, &err), GVT_OK);
    assert_int_equal(few[0], 10);
    assert_int_equal(few[1], 2);
    assert_int_equal(few[2], 0);
    assert_int_equal(few[3], 99);
    /* One that knows more (a later header): the unknown ones read 0. */
    size_t more[GVT_ATTEST_REASON_COUNT + 2];
    for (size_t i = 0; i < GVT_ATTEST_REASON_COUNT + 2; i++)
        more[i] = 99;
    assert_int_equal(gvt_attestations_verify(c.a, c.t, NULL, -1, 1, more,
                                             GVT_ATTEST_REASON_COUNT + 2, &err),
                     GVT_OK);
    expect_counts(more, want2);
    assert_int_equal(more[GVT_ATTEST_REASON_COUNT], 0);
    assert_int_equal(more[GVT_ATTEST_REASON_COUNT + 1], 0);
    assert_int_equal(gvt_attestations_verify(c.a, c.t, "bad scope", -1, 1,
                                             counts, GVT_ATTEST_REASON_COUNT,
                                             &err),
                     GVT_ERR_USAGE);
    free_reasons(&c);
}

/* ---- humans (docs/identity.md#humans) ------------------------------------ */

/*
 * A links w1 and w2 (nullifier 1), B links w2 and w3 (nullifier m): one
 * human of three wallets across two issuers. w4 alone; w5 unverified.
 * Weights: A x 0.25, A x 0.3, B(0.5) x 0.8 = 0.4, B(0.5) x 1 = 0.5: max 0.5.
 */
static void humans_merge(int64_t w3_created, const char *want_voter)
{
    key A, B;
    make_key(&A, 1);
    make_key(&B, 2);
    const wallet w[] = {{1, 100, "1", GVT_BALLOT_COUNTED},
                        {2, 300, "2", GVT_BALLOT_COUNTED},
                        {3, w3_created, "4", GVT_BALLOT_COUNTED},
                        {4, 50, "8", GVT_BALLOT_COUNTED},
                        {5, 60, "16", GVT_BALLOT_COUNTED}};
    gvt_proposal *p = make_proposal("s", 1000, w, 5);
    gvt_buf b;
    gvt_buf_init(&b);
    add_att(&b, &A, addr(1), nul('1'), "*", 10, 0, "0.25", false, NULL);
    add_att(&b, &A, addr(2), nul('1'), "*", 10, 0, "0.3", false, NULL);
    add_att(&b, &B, addr(2), nul('e'), "*", 10, 0, "0.8", false, NULL);
    add_att(&b, &B, addr(3), nul('e'), "*", 10, 0, "1", false, NULL);
    add_att(&b, &A, addr(4), nul('4'), "*", 10, 0, "0.3", false, NULL);
    gvt_attestations *a = read_atts(&b);
    gvt_buf_free(&b);
    char trust[512];
    snprintf(trust, sizeof trust,
             "{\"v\":1,\"issuers\":[{\"key\":\"%s\"},"
             "{\"key\":\"%s\",\"weight\":\"0.5\"}]}",
             A.hex, B.hex);
    gvt_trust *t = read_trust(trust);
    gvt_identity *id = NULL;
    gvt_error err;
    assert_int_equal(gvt_identity_build(p, a, t, 1, &id, &err), GVT_OK);
    assert_int_equal(id->counts[GVT_ATTEST_VALID], 5);
    assert_int_equal(id->n_humans, 2);
    assert_int_equal(id->verified_wallets, 4);
    assert_int_equal(id->unverified_wallets, 1);
    /* sorted by ballot voter: the merged human votes with w2 or w3 < w4 */
    const gvt_human *h = &id->humans[0];
    assert_string_equal(h->ballot->voter, want_voter);
    assert_int_equal(h->n_wallets, 3);
    expect_fx(h->weight, "0.5");
    expect_fx(h->vp, "7");
    h = &id->humans[1];
    assert_string_equal(h->ballot->voter, addr(4));
    assert_int_equal(h->n_wallets, 1);
    expect_fx(h->weight, "0.3");
    expect_fx(h->vp, "8");
    gvt_identity_free(id);
    gvt_attestations_free(a);
    gvt_trust_free(t);
    gvt_proposal_free(p);
}

static void humans_merge_across_issuers(void **state)
{
    (void)state;
    /* w2 and w3 both voted at 300: the smaller address, w2, stands */
    humans_merge(300, "0x0000000000000000000000000000000000000002");
    /* w3 voted last: its ballot stands */
    humans_merge(301, "0x0000000000000000000000000000000000000003");
    /* w3 without a time (INT64_MIN) votes "earliest" */
    humans_merge(INT64_MIN, "0x0000000000000000000000000000000000000002");
}

static void issuer_weight_is_exact(void **state)
{
    (void)state;
    key B;
    make_key(&B, 2);
    const wallet w[] = {{1, 100, "1", GVT_BALLOT_COUNTED}};
    gvt_proposal *p = make_proposal("s", 1000, w, 1);
    gvt_buf b;
    gvt_buf_init(&b);
    /* 0.5 x 0.333333 = 0.1666665 exactly; 0.5 x 0.000001 = 0.0000005 */
    add_att(&b, &B, addr(1), nul('1'), "*", 10, 0, "0.333333", false, NULL);
    add_att(&b, &B, addr(1), nul('1'), "*", 11, 0, "0.000001", false, NULL);
    gvt_attestations *a = read_atts(&b);
    gvt_buf_free(&b);
    char trust[256];
    snprintf(trust, sizeof trust,
             "{\"v\":1,\"issuers\":[{\"key\":\"%s\",\"weight\":\"0.5\"}]}",
             B.hex);
    gvt_trust *t = read_trust(trust);
    gvt_identity *id = NULL;
    gvt_error err;
    assert_int_equal(gvt_identity_build(p, a, t, 1, &id, &err), GVT_OK);
    assert_int_equal(id->n_humans, 1);
    expect_fx(id->humans[0].weight, "0.1666665");
    gvt_identity_free(id);
    gvt_attestations_free(a);
    gvt_trust_free(t);
    gvt_proposal_free(p);
}

/* ---- threads ------------------------------------------------------------- */

static void threads_agree(void **state)
{
    (void)state;
    key A;
    make_key(&A, 7);
    enum { NW = 300, NA = 900 };
    wallet *w = gvt_xcalloc(NW, sizeof *w);
    char(*vps)[16] = gvt_xcalloc(NW, 16);
    for (int i = 0; i < NW; i++) {
        snprintf(vps[i], 16, "%d", i + 1);
        w[i] = (wallet){i + 1, 1000 + i % 17, vps[i], GVT_BALLOT_COUNTED};
    }
    gvt_proposal *p = make_proposal("s", 5000, w, NW);
    gvt_buf b;
    gvt_buf_init(&b);
    uint32_t seed = 12345; /* LCG, seed printed on failure by the counts */
    for (int i = 0; i < NA; i++) {
        seed = seed * 1103515245u + 12345u;
        int wallet_no = (int)(seed >> 8) % NW + 1;
        char n[65];
        snprintf(n, sizeof n, "%064x", (unsigned)(seed >> 20) % 97);
        bool broken = (seed >> 4) % 7 == 0;
        add_att(&b, &A, addr(wallet_no), n, "*", i, 0, "1", broken, NULL);
    }
    gvt_attestations *a = read_atts(&b);
    gvt_buf_free(&b);
    char trust[256];
    snprintf(trust, sizeof trust, "{\"v\":1,\"issuers\":[{\"key\":\"%s\"}]}",
             A.hex);
    gvt_trust *t = read_trust(trust);
    gvt_identity *one = NULL, *four = NULL, *all = NULL;
    gvt_error err;
    assert_int_equal(gvt_identity_build(p, a, t, 1, &one, &err), GVT_OK);
    assert_int_equal(gvt_identity_build(p, a, t, 4, &four, &err), GVT_OK);
    assert_int_equal(gvt_identity_build(p, a, t, 0, &all, &err), GVT_OK);
    assert_true(one->counts[GVT_ATTEST_BAD_SIGNATURE] > 50);
    assert_true(one->counts[GVT_ATTEST_CONFLICT] > 50);
    const gvt_identity *other[2] = {four, all};
    for (int k = 0; k < 2; k++) {
        const gvt_identity *o = other[k];
        assert_memory_equal(one->counts, o->counts, sizeof one->counts);
        assert_int_equal(one->n_humans, o->n_humans);
        assert_int_equal(one->verified_wallets, o->verified_wallets);
        for (size_t h = 0; h < one->n_humans; h++) {
            assert_ptr_equal(one->humans[h].ballot, o->humans[h].ballot);
            assert_int_equal(one->humans[h].n_wallets, o->humans[h].n_wallets);
            assert_int_equal(mpz_cmp(one->humans[h].vp, o->humans[h].vp), 0);
        }
    }
    gvt_identity_free(one);
    gvt_identity_free(four);
    gvt_identity_free(all);
    gvt_attestations_free(a);
    gvt_trust_free(t);
    gvt_proposal_free(p);
    free(vps);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reason),
        cmocka_unit_test(verify_without_proposal),
        cmocka_unit_test(humans_merge_across_issuers),
        cmocka_unit_test(issuer_weight_is_exact),
        cmocka_unit_test(threads_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
