/*
 * governor.c: `govtally fetch governor`: a governor contract's proposals and
 * votes from its event logs (docs/fetch.md, "Ethereum node"), one export a
 * proposal as JSON Lines.
 *
 * Events, by --kind (topic 0 is the Keccak-256 of the signature):
 *   oz, bravo  VoteCast(address indexed voter, uint256 proposalId,
 *                uint8 support, uint256 weight, string reason)
 *              VoteCastWithParams(... the same, bytes params)
 *              ProposalCreated(uint256 proposalId, address proposer,
 *                address[], uint256[], string[], bytes[], uint256 start,
 *                uint256 end, string description)
 *   alpha      VoteCast(address voter, uint256 proposalId, bool support,
 *                uint256 votes); ProposalCreated as above
 *   aragon     CastVote(uint256 indexed voteId, address indexed voter,
 *                bool supports, uint256 stake)
 *              StartVote(uint256 indexed voteId, address indexed creator,
 *                string metadata)
 * support 0 Against, 1 For, 2 Abstain become choices 2, 1 and 3 of a basic
 * proposal (For, Against, Abstain); a bool support (alpha, aragon) becomes 1
 * or 2 of a single-choice proposal (For, Against). GovernorCountingFractional
 * (support 255, params = three packed uint128: against, for, abstain): one
 * voter's fractional votes on a proposal (it may cast several, until its
 * weight is used) become one ballot whose vp is their summed weight and
 * whose choice is {"1": for, "2": against, "3": abstain} in wei; such a
 * proposal is written as `weighted`, its whole votes as {"k": 1}, so that
 * every scheme spreads a ballot's weight as the split says.
 * Every weight is an exact integer (uint256 through GMP) divided by
 * 10^decimals exactly; `created` is the block's timestamp; the vote id is
 * "<block>.<log index>:<transaction hash>" (zero-padded, so that a voter who
 * votes again in the same second is ordered by block and log index).
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/eth/eth.h"
#include "fetch/fetch.h"

typedef struct ballot {
    char voter[43];
    uint64_t block;
    uint32_t log_index;
    char tx[67];
    int choice;     /* 1..3, or 0: fractional (parts) */
    mpz_t weight;   /* wei */
    mpz_t parts[3]; /* fractional: for, against, abstain */
    char *reason;
    size_t reason_len;
    int64_t created;
} ballot;

typedef struct proposal {
    char *id; /* decimal */
    char *title;
    uint64_t start, end; /* blocks (or timepoints), 0 unknown */
    uint64_t first_block;
    bool fractional;
    gvt_buf decision; /* the rule's members (decision.c), or empty */
    ballot *b;
    size_t n, cap;
} proposal;

typedef struct scan {
    gvt_rpc *rpc;
    gvt_http *h;
    const gvt_fetch_governor *q;
    gvt_eth_types *vote_t, *params_t, *created_t, *start_t;
    char topic_vote[67], topic_params[67], topic_created[67];
    proposal *p;
    size_t n, cap;
} scan;

static proposal *proposal_of(scan *s, const char *id, uint64_t block)
{
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->p[i].id, id) == 0)
            return &s->p[i];
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->p = gvt_xrealloc(s->p, s->cap * sizeof *s->p);
    }
    proposal *p = &s->p[s->n++];
    memset(p, 0, sizeof *p);
    p->id = gvt_xstrdup(id);
    p->title = gvt_xstrdup("");
    p->first_block = block;
    gvt_buf_init(&p->decision);
    return p;
}

static void scan_free(scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        proposal *p = &s->p[i];
        for (size_t k = 0; k < p->n; k++) {
            mpz_clears(p->b[k].weight, p->b[k].parts[0], p->b[k].parts[1],
                       p->b[k].parts[2], NULL);
            free(p->b[k].reason);
        }
        free(p->b);
        gvt_buf_free(&p->decision);
        free(p->id);
        free(p->title);
    }
    free(s->p);
    gvt_eth_types_free(s->vote_t);
    gvt_eth_types_free(s->params_t);
    gvt_eth_types_free(s->created_t);
    gvt_eth_types_free(s->start_t);
}

static void word_decimal(const uint8_t word[32], char out[80])
{
    mpz_t x;
    mpz_init(x);
    mpz_import(x, 32, 1, 1, 1, 0, word);
    mpz_get_str(out, 10, x);
    mpz_clear(x);
}

static void word_address(const uint8_t word[32], char out[43])
{
    out[0] = '0';
    out[1] = 'x';
    gvt_hex_encode(out + 2, word + 12, 20);
}

static bool decode(scan *s, gvt_eth_types *t, const gvt_rpc_log *f,
                   const char *what, size_t i, gvt_abi_doc **out,
                   gvt_error *err)
{
    gvt_eth_error e;
    if (gvt_abi_decode(gvt_eth_types_root(t), f->data, f->len, out, &e))
        return true;
    char path[64];
    snprintf(path, sizeof path, "$.result[%zu].data", i);
    gvt_fetch_bad_answer(err, s->h, what, path, "%s", e.message);
    return false;
}

static ballot *ballot_add(proposal *p)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->b = gvt_xrealloc(p->b, p->cap * sizeof *p->b);
    }
    ballot *b = &p->b[p->n++];
    memset(b, 0, sizeof *b);
    mpz_inits(b->weight, b->parts[0], b->parts[1], b->parts[2], NULL);
    return b;
}

/* A voter's earlier fractional ballot on p, or NULL. */
static ballot *fraction_of(proposal *p, const char *voter)
{
    for (size_t k = 0; k < p->n; k++)
        if (p->b[k].choice == 0 && strcmp(p->b[k].voter, voter) == 0)
            return &p->b[k];
    return NULL;
}

/* A vote event's fields as its kind lays them out (v: its decoded data);
 * false when an indexed topic is missing. */
typedef struct vote_fields {
    char voter[43], id[80];
    const char *weight, *support, *reason;
    size_t reason_len;
} vote_fields;

static bool read_vote(gvt_governor_kind kind, const gvt_rpc_log *f,
                      const gvt_eth_value *v, vote_fields *out)
{
    uint8_t word[32];
    out->reason = NULL;
    out->reason_len = 0;
    if (kind == GVT_GOVERNOR_ARAGON) {
        out->support = v->items[0].text;
        out->weight = v->items[1].text;
        if (!gvt_rpc_log_topic(f->topics, 1, word))
            return false;
        word_decimal(word, out->id);
        if (!gvt_rpc_log_topic(f->topics, 2, word))
            return false;
        word_address(word, out->voter);
    } else if (kind == GVT_GOVERNOR_ALPHA) {
        snprintf(out->voter, sizeof out->voter, "%s", v->items[0].text);
        snprintf(out->id, sizeof out->id, "%s", v->items[1].text);
        out->support = v->items[2].text;
        out->weight = v->items[3].text;
    } else {
        snprintf(out->id, sizeof out->id, "%s", v->items[0].text);
        out->support = v->items[1].text;
        out->weight = v->items[2].text;
        out->reason = (const char *)v->items[3].bytes;
        out->reason_len = v->items[3].len;
        if (!gvt_rpc_log_topic(f->topics, 1, word))
            return false;
        word_address(word, out->voter);
    }
    return true;
}

/* The choice of a support value: true/1 For, false/0 Against, 2 Abstain;
 * -1 for anything else. */
static int support_choice(const char *support)
{
    if (strcmp(support, "true") == 0 || strcmp(support, "1") == 0)
        return 1;
    if (strcmp(support, "false") == 0 || strcmp(support, "0") == 0)
        return 2;
    return strcmp(support, "2") == 0 ? 3 : -1;
}

/* Adds a fractional vote's params, abi.encodePacked(uint128 against,
 * uint128 for, uint128 abstain), to b's parts (for, against, abstain). */
static void add_fraction(ballot *b, const gvt_eth_value *params)
{
    static const int slot[3] = {1, 0, 2};
    for (int k = 0; k < 3; k++) {
        mpz_t part;
        mpz_init(part);
        mpz_import(part, 16, 1, 1, 1, 0, params->bytes + 16 * k);
        mpz_add(b->parts[slot[k]], b->parts[slot[k]], part);
        mpz_clear(part);
    }
}

static gvt_status on_vote(scan *s, const gvt_rpc_log *f, const char *what,
                          size_t i, bool with_params, gvt_error *err)
{
    gvt_abi_doc *doc = NULL;
    gvt_eth_types *t = with_params ? s->params_t : s->vote_t;
    if (!decode(s, t, f, what, i, &doc, err))
        return GVT_ERR_DATA;
    const gvt_eth_value *v = gvt_abi_doc_value(doc);
    vote_fields vf;
    if (!read_vote(s->q->kind, f, v, &vf)) {
        char path[64];
        snprintf(path, sizeof path, "$.result[%zu].topics", i);
        gvt_fetch_bad_answer(err, s->h, what, path, "an indexed topic missing");
        gvt_abi_doc_free(doc);
        return GVT_ERR_DATA;
    }
    proposal *p = proposal_of(s, vf.id, f->block);
    int choice = support_choice(vf.support);
    const gvt_eth_value *params = with_params ? &v->items[4] : NULL;
    bool fractional = choice < 0 && params && params->len == 48;
    if (choice < 0 && !fractional) {
        char path[64];
        snprintf(path, sizeof path, "$.result[%zu].data", i);
        gvt_fetch_bad_answer(err, s->h, what, path,
                             "support %s is none of 0, 1, 2 or a fractional "
                             "vote (255 with 48 bytes of params)",
                             vf.support);
        gvt_abi_doc_free(doc);
        return GVT_ERR_DATA;
    }
    ballot *b = fractional ? fraction_of(p, vf.voter) : NULL;
    if (!b) {
        b = ballot_add(p);
        snprintf(b->voter, sizeof b->voter, "%s", vf.voter);
        b->choice = fractional ? 0 : choice;
    } else {
        free(b->reason); /* the latest fractional vote's reason stands */
    }
    b->block = f->block;
    b->log_index = (uint32_t)f->index;
    snprintf(b->tx, sizeof b->tx, "%s", f->tx);
    mpz_t w;
    mpz_init_set_str(w, vf.weight, 10);
    mpz_add(b->weight, b->weight, w);
    mpz_clear(w);
    if (fractional) {
        add_fraction(b, params);
        p->fractional = true;
    }
    b->reason = gvt_xmalloc(vf.reason_len + 1);
    if (vf.reason_len)
        memcpy(b->reason, vf.reason, vf.reason_len);
    b->reason[vf.reason_len] = '\0';
    b->reason_len = vf.reason_len;
    gvt_abi_doc_free(doc);
    return GVT_OK;
}

static gvt_status on_created(scan *s, const gvt_rpc_log *f, const char *what,
                             size_t i, gvt_error *err)
{
    gvt_abi_doc *doc = NULL;
    uint8_t word[32];
    char id[80];
    const char *text;
    size_t len;
    if (s->q->kind == GVT_GOVERNOR_ARAGON) {
        if (!gvt_rpc_log_topic(f->topics, 1, word)) {
            gvt_fetch_bad_answer(err, s->h, what, NULL, "StartVote without id");
            return GVT_ERR_DATA;
        }
        word_decimal(word, id);
        if (!decode(s, s->start_t, f, what, i, &doc, err))
            return GVT_ERR_DATA;
        text = (const char *)gvt_abi_doc_value(doc)->items[0].bytes;
        len = gvt_abi_doc_value(doc)->items[0].len;
    } else {
        if (!decode(s, s->created_t, f, what, i, &doc, err))
            return GVT_ERR_DATA;
        const gvt_eth_value *v = gvt_abi_doc_value(doc);
        snprintf(id, sizeof id, "%s", v->items[0].text);
        text = (const char *)v->items[8].bytes;
        len = v->items[8].len;
    }
    proposal *p = proposal_of(s, id, f->block);
    if (s->q->kind != GVT_GOVERNOR_ARAGON) {
        const gvt_eth_value *v = gvt_abi_doc_value(doc);
        p->start = strtoull(v->items[6].text, NULL, 10);
        p->end = strtoull(v->items[7].text, NULL, 10);
    }
    /* The title: the description's first line, without a Markdown '#'. */
    while (len && (*text == '#' || *text == ' '))
        text++, len--;
    const char *nl = memchr(text, '\n', len);
    size_t n = nl ? (size_t)(nl - text) : len;
    if (n > 200)
        n = 200;
    free(p->title);
    p->title = gvt_xmalloc(n + 1);
    memcpy(p->title, text, n);
    p->title[n] = '\0';
    gvt_abi_doc_free(doc);
    return GVT_OK;
}

static gvt_status on_log(void *ctx, const gvt_rpc_log *f, const char *what,
                         size_t i, gvt_error *err)
{
    scan *s = ctx;
    const gvt_jval *t0 = f->topics->first;
    gvt_status st = GVT_OK;
    if (t0->kind == GVT_J_STRING && t0->len == 66) {
        char lower[67];
        for (size_t k = 0; k < 66; k++)
            lower[k] = (char)(t0->text[k] | (t0->text[k] >= 'A' ? 0x20 : 0));
        lower[66] = '\0';
        if (strcmp(lower, s->topic_vote) == 0)
            st = on_vote(s, f, what, i, false, err);
        else if (s->topic_params[0] && strcmp(lower, s->topic_params) == 0)
            st = on_vote(s, f, what, i, true, err);
        else if (strcmp(lower, s->topic_created) == 0)
            st = on_created(s, f, what, i, err);
    }
    return st;
}

/* ---- writing ------------------------------------------------------------- */

static void put_ballot(gvt_buf *o, const ballot *b, bool weighted, int decimals)
{
    gvt_buf_printf(o,
                   "{\"id\":\"%012llu.%06u:%s\",\"voter\":\"%s\","
                   "\"created\":%lld,\"choice\":",
                   (unsigned long long)b->block, b->log_index, b->tx, b->voter,
                   (long long)b->created);
    if (b->choice == 0) {
        gvt_buf_putc(o, '{');
        bool first = true;
        for (int k = 0; k < 3; k++) {
            if (mpz_sgn(b->parts[k]) == 0)
                continue;
            gvt_buf_printf(o, "%s\"%d\":", first ? "" : ",", k + 1);
            char *t = mpz_get_str(NULL, 10, b->parts[k]);
            gvt_buf_puts(o, t);
            free(t);
            first = false;
        }
        gvt_buf_putc(o, '}');
    } else if (weighted) {
        gvt_buf_printf(o, "{\"%d\":1}", b->choice);
    } else {
        gvt_buf_printf(o, "%d", b->choice);
    }
    gvt_buf_puts(o, ",\"vp\":");
    gvt_fetch_put_scaled(o, b->weight, decimals);
    gvt_buf_puts(o, ",\"reason\":");
    gvt_buf_json_text(o, b->reason ? b->reason : "", b->reason_len);
    gvt_buf_putc(o, '}');
}

static void put_proposal(gvt_buf *o, const scan *s, const proposal *p,
                         uint64_t chain, const char *address)
{
    bool booleans =
        s->q->kind == GVT_GOVERNOR_ALPHA || s->q->kind == GVT_GOVERNOR_ARAGON;
    const char *type = p->fractional ? "weighted"
                       : booleans    ? "single-choice"
                                     : "basic";
    gvt_buf_puts(o, "{\"proposal\":{\"id\":");
    gvt_buf_json_string(o, p->id);
    gvt_buf_printf(o,
                   ",\"space\":{\"id\":\"eip155:%llu:%s\"},\"type\":\"%s\","
                   "\"title\":",
                   (unsigned long long)chain, address, type);
    gvt_buf_json_string(o, p->title);
    gvt_buf_puts(o, booleans
                        ? ",\"choices\":[\"For\",\"Against\"]"
                        : ",\"choices\":[\"For\",\"Against\",\"Abstain\"]");
    gvt_buf_printf(o, ",\"snapshot\":%llu,\"end_block\":%llu,\"privacy\":\"\"",
                   (unsigned long long)p->start, (unsigned long long)p->end);
    gvt_buf_add(o, p->decision.data, p->decision.len);
    gvt_buf_printf(o, ",\"votes\":%zu},\"votes\":[", p->n);
    for (size_t k = 0; k < p->n; k++) {
        if (k)
            gvt_buf_putc(o, ',');
        put_ballot(o, &p->b[k], p->fractional, s->q->decimals);
    }
    gvt_buf_puts(o, "]}\n");
}

/* ---- the whole fetch ----------------------------------------------------- */

static bool setup(scan *s)
{
    gvt_eth_error e;
    bool ok = true;
    const char *vote_sig, *vote_abi, *created_sig;
    switch (s->q->kind) {
    case GVT_GOVERNOR_ALPHA:
        vote_sig = "VoteCast(address,uint256,bool,uint256)";
        vote_abi = "address voter, uint256 proposalId, bool support, "
                   "uint256 votes";
        created_sig = "ProposalCreated(uint256,address,address[],uint256[],"
                      "string[],bytes[],uint256,uint256,string)";
        break;
    case GVT_GOVERNOR_ARAGON:
        vote_sig = "CastVote(uint256,address,bool,uint256)";
        vote_abi = "bool supports, uint256 stake";
        created_sig = "StartVote(uint256,address,string)";
        break;
    default:
        vote_sig = "VoteCast(address,uint256,uint8,uint256,string)";
        vote_abi = "uint256 proposalId, uint8 support, uint256 weight, "
                   "string reason";
        created_sig = "ProposalCreated(uint256,address,address[],uint256[],"
                      "string[],bytes[],uint256,uint256,string)";
        gvt_rpc_topic("VoteCastWithParams(address,uint256,uint8,uint256,string,"
                      "bytes)",
                      s->topic_params);
        ok = gvt_abi_schema_parse(
            "uint256 proposalId, uint8 support, uint256 weight, string "
            "reason, bytes params",
            strlen("uint256 proposalId, uint8 support, uint256 weight, "
                   "string reason, bytes params"),
            &s->params_t, &e);
    }
    gvt_rpc_topic(vote_sig, s->topic_vote);
    gvt_rpc_topic(created_sig, s->topic_created);
    static const char created_abi[] =
        "uint256 proposalId, address proposer, address[] targets, "
        "uint256[] values, string[] signatures, bytes[] calldatas, "
        "uint256 voteStart, uint256 voteEnd, string description";
    static const char start_abi[] = "string metadata";
    ok = ok && gvt_abi_schema_parse(vote_abi, strlen(vote_abi), &s->vote_t, &e);
    ok = ok && gvt_abi_schema_parse(created_abi, sizeof created_abi - 1,
                                    &s->created_t, &e);
    ok = ok &&
         gvt_abi_schema_parse(start_abi, sizeof start_abi - 1, &s->start_t, &e);
    return ok;
}

gvt_status gvt_fetch_logs_for_tests(const char *text, size_t len, int kind,
                                    FILE *out, gvt_error *err)
{
    char why[128];
    long long at = 0;
    gvt_jdoc *doc = gvt_jdoc_parse(text, len, why, sizeof why, &at);
    if (!doc) {
        gvt_error_set(err, GVT_ERR_DATA, "(test)", "not JSON: %s", why);
        return GVT_ERR_DATA;
    }
    gvt_fetch_governor q = {
        .address = "0x", .kind = (gvt_governor_kind)kind, .decimals = 18};
    scan s = {.q = &q};
    gvt_status st = setup(&s) ? GVT_OK : GVT_ERR_INTERNAL;
    const gvt_jval *res = gvt_jget(gvt_jdoc_root(doc), "result");
    if (st == GVT_OK && res && res->kind == GVT_J_ARRAY)
        st = gvt_rpc_each_log(s.h, res, "eth_getLogs", on_log, &s, err);
    gvt_buf o;
    gvt_buf_init(&o);
    for (size_t k = 0; st == GVT_OK && k < s.n; k++) {
        o.len = 0;
        put_proposal(&o, &s, &s.p[k], 1, "0x");
        fwrite(o.data, 1, o.len, out);
    }
    gvt_buf_free(&o);
    scan_free(&s);
    gvt_jdoc_free(doc);
    return st;
}

GVT_API gvt_status gvt_fetch_governor_run(const gvt_fetch_options *opt,
                                          const gvt_fetch_governor *q,
                                          FILE *out, size_t *out_proposals,
                                          gvt_error *err)
{
    gvt_error_clear(err);
    if (out_proposals)
        *out_proposals = 0;
    uint8_t addr[20];
    if (!opt || !opt->url || !q || !q->address ||
        !gvt_eth_address_parse(q->address, strlen(q->address), addr) ||
        q->decimals < 0 || q->decimals > 36) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "a node URL, a governor address (0x and 40 hex "
                      "digits) and decimals from 0 to 36 are needed");
        return GVT_ERR_USAGE;
    }
    char address[43];
    gvt_eth_address_hex(addr, address);
    gvt_http *h = gvt_http_new(opt, opt->url, err);
    if (!h)
        return GVT_ERR_INTERNAL;
    scan s = {.h = h, .q = q, .rpc = gvt_rpc_new(h)};
    gvt_status st = GVT_OK;
    if (!setup(&s)) {
        gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "event ABI refused");
        st = GVT_ERR_INTERNAL;
    }
    uint64_t chain = 0, to = 0;
    if (st == GVT_OK)
        st = gvt_rpc_chain_id(s.rpc, &chain, err);
    if (st == GVT_OK && q->to_block < 0)
        st = gvt_rpc_block_number(s.rpc, &to, err);
    else
        to = (uint64_t)q->to_block;
    uint64_t from = q->from_block > 0 ? (uint64_t)q->from_block : 0;
    if (st == GVT_OK && from <= to) {
        char topics[256];
        snprintf(topics, sizeof topics, "[\"%s\",\"%s\"%s%s%s]", s.topic_vote,
                 s.topic_created, s.topic_params[0] ? ",\"" : "",
                 s.topic_params, s.topic_params[0] ? "\"" : "");
        st = gvt_rpc_logs(s.rpc, address, topics, from, to, on_log, &s,
                          opt->progress, opt->progress_ctx, err);
    }
    for (size_t i = 0; st == GVT_OK && i < s.n; i++)
        for (size_t k = 0; st == GVT_OK && k < s.p[i].n; k++)
            st = gvt_rpc_block_time(s.rpc, s.p[i].b[k].block,
                                    &s.p[i].b[k].created, err);
    for (size_t i = 0; st == GVT_OK && i < s.n; i++)
        st = gvt_governor_decision(s.rpc, address, q->kind, s.p[i].id,
                                   s.p[i].first_block, s.p[i].start, to,
                                   q->decimals, &s.p[i].decision, err);
    gvt_buf o;
    gvt_buf_init(&o);
    for (size_t i = 0; st == GVT_OK && i < s.n; i++) {
        o.len = 0;
        put_proposal(&o, &s, &s.p[i], chain, address);
        if (fwrite(o.data, 1, o.len, out) != o.len) {
            gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                          "cannot write the export");
            st = GVT_ERR_CANTCREAT;
        } else if (out_proposals) {
            (*out_proposals)++;
        }
    }
    if (st == GVT_OK && fflush(out) != 0) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL, "cannot write the export");
        st = GVT_ERR_CANTCREAT;
    }
    gvt_buf_free(&o);
    scan_free(&s);
    gvt_rpc_free(s.rpc);
    gvt_http_free(h);
    return st;
}
