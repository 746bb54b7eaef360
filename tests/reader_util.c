/*
 * reader_util.c: what the reader tests share (reader_util.h): helpers, the
 * small and the malformed exports, the vote generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reader_util.h"

const gvt_read_options two_threads = {.threads = 2};

/* A ballot's id as text (two calls may stand in one expression). */
const char *bid(const gvt_ballot *b)
{
    static char buf[2][GVT_BALLOT_ID_HEX_SIZE];
    static int k;
    k ^= 1;
    return gvt_ballot_id(b, buf[k]);
}

gvt_status rd(const char *doc, gvt_proposal **p, gvt_error *e)
{
    return gvt_proposal_read_mem_opt("doc.json", doc, strlen(doc), &two_threads,
                                     p, e);
}

/* Offset just past the one occurrence of needle in doc. */
long long after(const char *doc, const char *needle)
{
    const char *q = strstr(doc, needle);
    assert_non_null(q);
    if (strstr(q + 1, needle))
        fprintf(stderr, "needle %s is not unique\n", needle);
    assert_null(strstr(q + 1, needle)); /* the needle must be unique */
    return (long long)(q - doc) + (long long)strlen(needle);
}

static char *fx(const mpz_t v)
{
    return gvt_fx_to_string(v, GVT_OUT_DIGITS);
}

void assert_fx(const mpz_t v, const char *want)
{
    char *s = fx(v);
    assert_string_equal(s, want);
    free(s);
}

const char *const small_shapes[2] = {
    /* plain shape, proposal first, space as a string */
    "{\"proposal\":{\"id\":\"p1\",\"space\":\"s.eth\",\"type\":\"approval\","
    "\"choices\":[\"Yes\",\"No\",\"Maybe \\\"so\\\"\"],\"start\":1700000000,"
    "\"end\":1700600000,\"quorum\":0.5,\"quorumType\":\"default\","
    "\"strategies\":[{\"name\":\"a\",\"params\":{\"x\":[1,2]}},{}],"
    "\"votes\":12,\"scores\":[1,2,3]},"
    "\"votes\":[{\"id\":\"v0\",\"voter\":\"" A1 "\",\"created\":42,"
    "\"choice\":[1,3],\"vp\":1.5,\"vp_by_strategy\":[1,0.5],"
    "\"reason\":\"\",\"metadata\":{\"a\":[{}]}},"
    "{\"voter\":\"" STARK "\",\"choice\":[],\"vp\":1.2e-7,"
    "\"vp_by_strategy\":null}]}",
    /* GraphQL shape, votes first, space as an object, keys shuffled */
    "{\"data\":{\"votes\":[{\"vp\":1.5,\"choice\":[1,3],\"created\":42,"
    "\"voter\":\"" A1_UPPER "\",\"id\":\"v0\"},"
    "{\"vp\":0.00000012,\"id\":null,\"voter\":\"" STARK "\",\"choice\":[]}],"
    "\"proposal\":{\"strategies\":[1,[2]],\"end\":1700600000,"
    "\"choices\":[\"Yes\",\"No\",\"Maybe \\\"so\\\"\"],"
    "\"space\":{\"name\":\"S\",\"id\":\"s.eth\"},\"type\":\"approval\","
    "\"start\":1700000000,\"id\":\"p1\"}},\"extensions\":{}}",
};

const bad_case bad_cases[] = {
    {"syntax", HEAD GOOD ",,]}", GOOD ",,", "$.votes[0]", "invalid JSON (", -1,
     ""},
    {"utf8", HEAD "{\"id\":\"v\xff\",\"voter\":\"" A1 "\"}]}", "\"v\xff",
     "$.votes[0].id", "invalid UTF-8", 0, ""},
    {"trailing garbage", HEAD GOOD "]} x", "]} x", "$", "trailing garbage", -1,
     ""},
    {"duplicate key in a vote", HEAD V0 "\"choice\":1,\"vp\":1,\"vp\":2}]}",
     "1,\"vp\":1,\"vp\"", "$.votes[0].vp", "duplicate key \"vp\"", 0, "v0"},
    {"duplicate ignored key",
     HEAD V0 "\"choice\":1,\"vp\":1,\"reason\":\"\",\"reason\":\"x\"}]}",
     "\"reason\":\"\",\"reason\"", "$.votes[0].reason",
     "duplicate key \"reason\"", 0, "v0"},
    {"duplicate key under an ignored key",
     HEAD V0 "\"choice\":1,\"vp\":1,\"metadata\":[{\"k\":1,\"k\":2}]}]}",
     "{\"k\":1,\"k\"", "$.votes[0].metadata[0].k", "duplicate key \"k\"", 0,
     "v0"},
    {"duplicate key nested", HEAD V0 "\"app\":{\"k\":1,\"k\":2}}]}", "1,\"k\"",
     "$.votes[0].app.k", "duplicate key \"k\"", 0, "v0"},
    {"duplicate top key", HEAD "],\"votes\":[]}", "],\"votes\"", "$.votes",
     "duplicate key \"votes\"", -1, ""},
    {"missing vp",
     HEAD GOOD ",{\"id\":\"v1\",\"voter\":\"" A2 "\",\"choice\":1}]}",
     "\"choice\":1}", "$.votes[1]", "vote has no vp", 1, "v1"},
    {"vp string", HEAD V0 "\"choice\":1,\"vp\":\"2\"}]}", "\"vp\":\"2\"",
     "$.votes[0].vp", "vp is a string", 0, "v0"},
    {"vp negative", HEAD V0 "\"choice\":1,\"vp\":-1}]}", "-1", "$.votes[0].vp",
     "vp: negative number", 0, "v0"},
    {"vp boolean", HEAD V0 "\"choice\":1,\"vp\":true}]}", "true",
     "$.votes[0].vp", "vp is true, not a number", 0, "v0"},
    {"vp too large", HEAD V0 "\"choice\":1,\"vp\":1e61}]}", "1e61",
     "$.votes[0].vp", "number too large", 0, "v0"},
    {"vp too precise", HEAD V0 "\"choice\":1,\"vp\":1e-37}]}", "1e-37",
     "$.votes[0].vp", "number too precise", 0, "v0"},
    {"missing voter", HEAD "{\"id\":\"v0\",\"choice\":1,\"vp\":1}]}",
     "\"vp\":1}", "$.votes[0]", "vote has no voter", 0, "v0"},
    {"bad address", HEAD "{\"id\":\"v0\",\"voter\":\"0x123\"}]}", "\"0x123\"",
     "$.votes[0].voter", "not an address", 0, "v0"},
    {"address not hex",
     HEAD "{\"voter\":\"0xgggggggggggggggggggggggggggggggggggggggg\"}]}",
     "ggg\"", "$.votes[0].voter", "not an address", 0, ""},
    {"missing choice", HEAD V0 "\"vp\":1}]}", "\"vp\":1}", "$.votes[0]",
     "vote has no choice", 0, "v0"},
    {"created fraction", HEAD V0 "\"created\":1.5}]}", "1.5",
     "$.votes[0].created", "created is not an integer", 0, "v0"},
    {"choice labels",
     "{\"proposal\":{\"type\":\"basic\",\"choices\":[\"A\",1]},\"votes\":[]}",
     "[\"A\",1", "$.proposal.choices[1]", "choice label is a number", -1, ""},
    {"unknown type",
     "{\"votes\":[],\"proposal\":{\"type\":\"foo\",\"choices\":[]}}", "\"foo\"",
     "$.proposal.type", "unknown proposal type \"foo\"", -1, ""},
    {"no type", "{\"votes\":[],\"proposal\":{\"choices\":[]}}", "[]}",
     "$.proposal", "proposal has no type", -1, ""},
    {"missing proposal", "{\"votes\":[]}", NULL, "$",
     "document has no proposal", -1, ""},
    {"missing votes", "{\"data\":{\"proposal\":" PROP "}}", NULL, "$",
     "document has no votes", -1, ""},
    {"votes not an array", "{\"proposal\":" PROP ",\"votes\":{}}",
     "\"votes\":{", "$.votes", "votes is an object", -1, ""},
    {"vote not an object", HEAD GOOD ",7]}", ",7", "$.votes[1]",
     "vote is a number", 1, ""},
    {"empty input", "", NULL, "$", "premature EOF", -1, ""},
    {"array document", "[1]", "[", "$", "document is an array", -1, ""},
    {"graphql path",
     "{\"data\":{\"proposal\":" PROP ",\"votes\":[" V0
     "\"choice\":1,\"vp\":null}]}}",
     "null", "$.data.votes[0].vp", "vp is null", 0, "v0"},
    {"weight not representable",
     "{\"proposal\":{\"type\":\"quadratic\",\"choices\":[\"a\"]},\"votes\":["
     "{\"id\":\"q\",\"voter\":\"" A1 "\",\"vp\":1,\"choice\":{\"1\":1e-40}}]}",
     "1e-40}", "$.votes[0].choice", "number too precise", 0, "q"},
    {"weight not representable, votes first",
     "{\"votes\":[{\"voter\":\"" A1 "\",\"vp\":1,\"choice\":{\"1\":1e-40},"
     "\"id\":\"q\"}],\"proposal\":{\"type\":\"weighted\",\"choices\":[\"a\"]}}",
     "1e-40}", "$.votes[0].choice", "number too precise", 0, "q"},
    {"vp_by_strategy", HEAD V0 "\"vp_by_strategy\":[1,\"2\"]}]}", "[1,\"2\"",
     "$.votes[0].vp_by_strategy[1]", "vp_by_strategy holds a string", 0, "v0"},
};

const size_t n_bad_cases = sizeof bad_cases / sizeof bad_cases[0];

static unsigned long long rng_state = 88172645463325252ull;
unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

char *gen_doc(const gen_vote *v, const size_t *order, size_t n)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "{\"proposal\":{\"type\":\"single-choice\","
                     "\"choices\":[\"a\",\"b\",\"c\"]},\"votes\":[");
    for (size_t k = 0; k < n; k++) {
        const gen_vote *g = &v[order[k]];
        gvt_buf_printf(&b, "%s{\"id\":\"id%05d\",\"voter\":\"0x%s%038x\",",
                       k ? "," : "", g->id, g->upper ? "AB" : "ab", g->voter);
        if (g->created >= 0)
            gvt_buf_printf(&b, "\"created\":%d,", g->created);
        gvt_buf_printf(&b, "\"choice\":%d,\"vp\":%d.25}", g->choice, g->vp);
    }
    gvt_buf_puts(&b, "]}");
    return b.data;
}
