/*
 * eas.c: `govtally fetch eas`: the on-chain attestations of one schema on an
 * EAS contract, read through an Ethereum node (docs/fetch.md, "EAS
 * attestations"), written as gvt-eas-onchain/1 lines that `govtally run -a`
 * reads as personhood credentials (docs/identity.md#on-chain-eas-attestations).
 *
 * Events of the EAS contract (IEAS.sol), topic 0 the Keccak-256 of:
 *   Attested(address indexed recipient, address indexed attester,
 *            bytes32 uid, bytes32 indexed schemaUID)
 *   Revoked(the same)
 * filtered by the schema (topic 3) and, when given, the attester (topic 2).
 * Each attested uid is then read with getAttestation(bytes32) (eth_call) at
 * the last block of the range, so that every record is the contract's state
 * at one block, written beside it (read_at). The record must agree with its
 * event (uid, schema, recipient, attester) and hash to its uid
 * (gvt_eas_onchain_uid, the bump found here); a revoked record must have its
 * Revoked event in the range and a Revoked event must match a revoked
 * record: anything else is an inconsistent answer (GVT_ERR_DATA).
 *
 * Then the contract's RevokedOffchain(address indexed revoker, bytes32
 * indexed data, uint64 indexed timestamp) events (of the attester when
 * given): off-chain attestations their attesters revoked on chain, written
 * as lines of their own ("event": "RevokedOffchain") that apply to the
 * off-chain packages of the same attester, chain and contract.
 *
 * Attestations made before --from-block are not seen; their revocations in
 * the range are passed over. Lines are written in the node's log order
 * (block, log index), all at the end, so that a failure leaves nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/eth/eth.h"
#include "fetch/fetch.h"

#define MAX_RECORDS (1u << 24)
#define MAX_BUMP 1024u

typedef struct where {
    uint64_t block, index;
    char tx[67];
} where;

typedef struct record {
    uint8_t uid[32];
    uint8_t recipient[20], attester[20];
    where at;
    bool revoked_event;
    where revoked;
} record;

typedef struct scan {
    gvt_http *h;
    gvt_rpc *rpc;
    uint8_t schema[32];
    char topic_attested[67], topic_revoked[67];
    record *r;
    size_t n, cap;
    record *rev; /* Revoked events: uid and where */
    size_t n_rev, cap_rev;
    record *off; /* RevokedOffchain: revoker (attester), uid, time, where */
    size_t n_off, cap_off;
} scan;

static record *push(record **a, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *a = gvt_xrealloc(*a, *cap * sizeof **a);
    }
    record *r = &(*a)[(*n)++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Where a log stands: block, log index, transaction. */
static void where_of(where *w, const gvt_rpc_log *f)
{
    w->block = f->block;
    w->index = f->index;
    memcpy(w->tx, f->tx, 67);
    w->tx[66] = '\0';
}

/* One kind of event past MAX_RECORDS in the range asked for. */
static gvt_status too_many(const scan *s, const char *what, gvt_error *err)
{
    gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(s->h),
                  "%s: more than %u events: narrow the block range", what,
                  MAX_RECORDS);
    return GVT_ERR_DATA;
}

static gvt_status on_log(void *ctx, const gvt_rpc_log *f, const char *what,
                         size_t i, gvt_error *err)
{
    scan *s = ctx;
    char path[64];
    snprintf(path, sizeof path, "$.result[%zu]", i);
    uint8_t t0[32], rcpt[32], att[32], schema[32];
    char t0_hex[67] = "0x";
    bool ok = gvt_rpc_log_topic(f->topics, 0, t0) &&
              gvt_rpc_log_topic(f->topics, 1, rcpt) &&
              gvt_rpc_log_topic(f->topics, 2, att) &&
              gvt_rpc_log_topic(f->topics, 3, schema) && f->len == 32;
    if (ok)
        gvt_hex_encode(t0_hex + 2, t0, 32);
    bool attested = ok && strcmp(t0_hex, s->topic_attested) == 0;
    if (!ok || (!attested && strcmp(t0_hex, s->topic_revoked) != 0) ||
        memcmp(schema, s->schema, 32) != 0) {
        gvt_fetch_bad_answer(err, s->h, what, path,
                             "not an Attested or Revoked event of the schema "
                             "(four topics and a 32-byte uid)");
        return GVT_ERR_DATA;
    }
    if ((attested ? s->n : s->n_rev) >= MAX_RECORDS)
        return too_many(s, what, err);
    record *r = attested ? push(&s->r, &s->n, &s->cap)
                         : push(&s->rev, &s->n_rev, &s->cap_rev);
    memcpy(r->uid, f->data, 32);
    memcpy(r->recipient, rcpt + 12, 20);
    memcpy(r->attester, att + 12, 20);
    where_of(&r->at, f);
    return GVT_OK;
}

/* A RevokedOffchain log: revoker, uid and time are its topics. */
static gvt_status on_offchain(void *ctx, const gvt_rpc_log *f, const char *what,
                              size_t i, gvt_error *err)
{
    scan *s = ctx;
    uint8_t revoker[32], uid[32], time[32];
    static const uint8_t zero[24];
    if (!gvt_rpc_log_topic(f->topics, 1, revoker) ||
        !gvt_rpc_log_topic(f->topics, 2, uid) ||
        !gvt_rpc_log_topic(f->topics, 3, time) || memcmp(time, zero, 24) != 0) {
        char path[64];
        snprintf(path, sizeof path, "$.result[%zu].topics", i);
        gvt_fetch_bad_answer(err, s->h, what, path,
                             "not a RevokedOffchain event (revoker, uid and "
                             "a uint64 time as topics)");
        return GVT_ERR_DATA;
    }
    if (s->n_off >= MAX_RECORDS)
        return too_many(s, what, err);
    record *r = push(&s->off, &s->n_off, &s->cap_off);
    memcpy(r->uid, uid, 32);
    memcpy(r->attester, revoker + 12, 20);
    uint64_t t = 0;
    for (int k = 24; k < 32; k++)
        t = t << 8 | time[k];
    r->revoked.block = t; /* the revocation's time */
    where_of(&r->at, f);
    return GVT_OK;
}

static int by_uid(const void *a, const void *b)
{
    return memcmp(((const record *)a)->uid, ((const record *)b)->uid, 32);
}

/* Revoked events onto their records, by uid. */
static gvt_status match_revocations(scan *s, gvt_error *err)
{
    size_t *order = gvt_xmalloc((s->n ? s->n : 1) * sizeof *order);
    record *sorted = gvt_xmalloc((s->n ? s->n : 1) * sizeof *sorted);
    if (s->n)
        memcpy(sorted, s->r, s->n * sizeof *sorted);
    for (size_t i = 0; i < s->n; i++)
        sorted[i].at.index = i; /* where it came from */
    qsort(sorted, s->n, sizeof *sorted, by_uid);
    for (size_t i = 0; i < s->n; i++)
        order[i] = (size_t)sorted[i].at.index;
    gvt_status st = GVT_OK;
    for (size_t i = 0; i + 1 < s->n && st == GVT_OK; i++)
        if (memcmp(sorted[i].uid, sorted[i + 1].uid, 32) == 0) {
            gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(s->h),
                          "eth_getLogs: one uid attested twice");
            st = GVT_ERR_DATA;
        }
    for (size_t k = 0; k < s->n_rev && st == GVT_OK; k++) {
        record *hit =
            s->n ? bsearch(&s->rev[k], sorted, s->n, sizeof *sorted, by_uid)
                 : NULL;
        if (!hit)
            continue; /* attested before the range */
        record *r = &s->r[order[hit - sorted]];
        if (r->revoked_event) {
            gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(s->h),
                          "eth_getLogs: one uid revoked twice");
            st = GVT_ERR_DATA;
        }
        r->revoked_event = true;
        r->revoked = s->rev[k].at;
    }
    free(order);
    free(sorted);
    return st;
}

static void put_hex(gvt_buf *o, const char *key, const uint8_t *b, size_t n)
{
    gvt_buf_printf(o, ",\"%s\":\"0x", key);
    gvt_buf_reserve(o, 2 * n + 2);
    gvt_hex_encode(o->data + o->len, b, n);
    o->len += 2 * n;
    gvt_buf_putc(o, '"');
}

static void put_where(gvt_buf *o, const where *w)
{
    gvt_buf_printf(o, "\"block\":%llu,\"tx\":\"%s\",\"log_index\":%llu",
                   (unsigned long long)w->block, w->tx,
                   (unsigned long long)w->index);
}

/* The RevokedOffchain lines into o. */
static void put_offchain(const scan *s, uint64_t chain, const char *contract,
                         uint64_t at, gvt_buf *o)
{
    for (size_t i = 0; i < s->n_off; i++) {
        const record *r = &s->off[i];
        gvt_buf_printf(o,
                       "{\"format\":\"gvt-eas-onchain/1\",\"event\":"
                       "\"RevokedOffchain\",\"chain_id\":%llu,\"contract\":"
                       "\"%s\",\"read_at\":%llu,",
                       (unsigned long long)chain, contract,
                       (unsigned long long)at);
        put_where(o, &r->at);
        put_hex(o, "revoker", r->attester, 20);
        put_hex(o, "uid", r->uid, 32);
        gvt_buf_printf(o, ",\"time\":%llu}\n",
                       (unsigned long long)r->revoked.block);
    }
}

/* getAttestation's answer, checked against the event, as one line in o. */
static gvt_status put_record(scan *s, const record *r, const gvt_abi_type *t,
                             const uint8_t *ret, size_t len, uint64_t chain,
                             const char *contract, uint64_t at,
                             const char *what, gvt_buf *o, gvt_error *err)
{
    gvt_abi_doc *doc = NULL;
    gvt_eth_error e;
    if (!gvt_abi_decode(t, ret, len, &doc, &e)) {
        gvt_fetch_bad_answer(err, s->h, what, "$.result", "%s", e.message);
        return GVT_ERR_DATA;
    }
    const gvt_eth_value *v = gvt_abi_doc_value(doc)->items[0].items;
    gvt_eas_onchain a = {.data = v[9].bytes, .data_len = v[9].len};
    memcpy(a.schema, v[1].bytes, 32);
    memcpy(a.ref_uid, v[5].bytes, 32);
    bool ok = gvt_eth_address_parse(v[6].text, 42, a.recipient) &&
              gvt_eth_address_parse(v[7].text, 42, a.attester);
    a.time = strtoull(v[2].text, NULL, 10);
    a.expiration_time = strtoull(v[3].text, NULL, 10);
    uint64_t revoked_at = strtoull(v[4].text, NULL, 10);
    a.revocable = strcmp(v[8].text, "true") == 0;
    const char *why = NULL;
    if (!ok || memcmp(v[0].bytes, r->uid, 32) != 0)
        why = "not the attestation asked for (an unknown uid reads as "
              "zeros)";
    else if (memcmp(a.schema, s->schema, 32) != 0 ||
             memcmp(a.recipient, r->recipient, 20) != 0 ||
             memcmp(a.attester, r->attester, 20) != 0)
        why = "its schema, recipient or attester differs from its Attested "
              "event";
    else if ((revoked_at != 0) != r->revoked_event)
        why = revoked_at ? "revoked, but no Revoked event in the range"
                         : "a Revoked event, but the record is not revoked";
    uint32_t bump = 0;
    uint8_t uid[32];
    for (; !why && bump < MAX_BUMP; bump++) {
        gvt_eas_onchain_uid(&a, bump, uid);
        if (memcmp(uid, r->uid, 32) == 0)
            break;
    }
    if (!why && bump == MAX_BUMP)
        why = "its fields do not hash to its uid";
    if (why) {
        gvt_abi_doc_free(doc);
        gvt_fetch_bad_answer(err, s->h, what, "$.result", "%s", why);
        return GVT_ERR_DATA;
    }
    gvt_buf_printf(o,
                   "{\"format\":\"gvt-eas-onchain/1\",\"chain_id\":%llu,"
                   "\"contract\":\"%s\",\"read_at\":%llu,",
                   (unsigned long long)chain, contract, (unsigned long long)at);
    put_where(o, &r->at);
    put_hex(o, "uid", r->uid, 32);
    put_hex(o, "schema", a.schema, 32);
    put_hex(o, "attester", a.attester, 20);
    put_hex(o, "recipient", a.recipient, 20);
    gvt_buf_printf(o,
                   ",\"time\":%llu,\"expiration_time\":%llu,"
                   "\"revocation_time\":%llu",
                   (unsigned long long)a.time,
                   (unsigned long long)a.expiration_time,
                   (unsigned long long)revoked_at);
    put_hex(o, "ref_uid", a.ref_uid, 32);
    gvt_buf_printf(o, ",\"revocable\":%s", a.revocable ? "true" : "false");
    put_hex(o, "data", a.data, a.data_len);
    gvt_buf_printf(o, ",\"bump\":%u", bump);
    if (r->revoked_event) {
        gvt_buf_puts(o, ",\"revoked\":{");
        put_where(o, &r->revoked);
        gvt_buf_putc(o, '}');
    }
    gvt_buf_puts(o, "}\n");
    gvt_abi_doc_free(doc);
    return GVT_OK;
}

/* Every record by getAttestation at block `at`, into o. */
static gvt_status read_records(scan *s, uint64_t chain, const char *contract,
                               uint64_t at, gvt_buf *o,
                               const gvt_fetch_options *opt, gvt_error *err)
{
    static const char shape[] =
        "(bytes32 uid, bytes32 schema, uint64 time, uint64 expirationTime, "
        "uint64 revocationTime, bytes32 refUID, address recipient, "
        "address attester, bool revocable, bytes data) attestation";
    gvt_eth_types *types = NULL;
    if (!gvt_abi_schema_parse(shape, sizeof shape - 1, &types, NULL)) {
        gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "EAS record ABI refused");
        return GVT_ERR_INTERNAL;
    }
    uint8_t call[36];
    uint8_t sel[32];
    gvt_keccak256("getAttestation(bytes32)", 23, sel);
    memcpy(call, sel, 4);
    gvt_status st = GVT_OK;
    for (size_t i = 0; i < s->n && st == GVT_OK; i++) {
        memcpy(call + 4, s->r[i].uid, 32);
        char what[120] = "getAttestation 0x";
        gvt_hex_encode(what + 17, s->r[i].uid, 32);
        uint8_t *ret;
        size_t len;
        st = gvt_rpc_call(s->rpc, contract, call, sizeof call, at, what, &ret,
                          &len, NULL, err);
        if (st == GVT_OK) {
            st = put_record(s, &s->r[i], gvt_eth_types_root(types), ret, len,
                            chain, contract, at, what, o, err);
            free(ret);
        }
        if (opt->progress)
            opt->progress(opt->progress_ctx, "attestations", i + 1, s->n);
    }
    gvt_eth_types_free(types);
    return st;
}

GVT_API gvt_status gvt_fetch_eas_run(const gvt_fetch_options *opt,
                                     const gvt_fetch_eas *q, FILE *out,
                                     size_t *out_records, gvt_error *err)
{
    gvt_error_clear(err);
    if (out_records)
        *out_records = 0;
    uint8_t contract_b[20], attester_b[20];
    scan s;
    memset(&s, 0, sizeof s);
    if (!opt || !opt->url || !q || !q->contract || !q->schema ||
        !gvt_eth_address_parse(q->contract, strlen(q->contract), contract_b) ||
        (q->attester && !gvt_eth_address_parse(q->attester, strlen(q->attester),
                                               attester_b)) ||
        strlen(q->schema) != 66 || memcmp(q->schema, "0x", 2) != 0 ||
        !gvt_hex_decode(s.schema, q->schema + 2, 64, 32)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "a node URL, the EAS contract (0x and 40 hex digits), "
                      "the schema uid (0x and 64 hex digits) and an optional "
                      "attester address are needed");
        return GVT_ERR_USAGE;
    }
    char contract[43], topics[400];
    gvt_eth_address_hex(contract_b, contract);
    gvt_rpc_topic("Attested(address,address,bytes32,bytes32)",
                  s.topic_attested);
    gvt_rpc_topic("Revoked(address,address,bytes32,bytes32)", s.topic_revoked);
    char attester_topic[70] = "null";
    if (q->attester) {
        snprintf(attester_topic, sizeof attester_topic,
                 "\"0x000000000000000000000000");
        gvt_hex_encode(attester_topic + 27, attester_b, 20);
        strcpy(attester_topic + 67, "\"");
    }
    char schema_hex[67] = "0x";
    gvt_hex_encode(schema_hex + 2, s.schema, 32);
    snprintf(topics, sizeof topics, "[\"%s\",\"%s\"],null,%s,\"%s\"",
             s.topic_attested, s.topic_revoked, attester_topic, schema_hex);

    s.h = gvt_http_new(opt, opt->url, err);
    if (!s.h)
        return GVT_ERR_INTERNAL;
    s.rpc = gvt_rpc_new(s.h);
    uint64_t chain = 0, to = 0;
    gvt_status st = gvt_rpc_chain_id(s.rpc, &chain, err);
    if (st == GVT_OK && q->to_block < 0)
        st = gvt_rpc_block_number(s.rpc, &to, err);
    else
        to = (uint64_t)q->to_block;
    uint64_t from = q->from_block > 0 ? (uint64_t)q->from_block : 0;
    if (st == GVT_OK && from <= to)
        st = gvt_rpc_logs(s.rpc, contract, topics, from, to, on_log, &s,
                          opt->progress, opt->progress_ctx, err);
    if (st == GVT_OK && from <= to) {
        char off_topics[200], topic_off[67];
        gvt_rpc_topic("RevokedOffchain(address,bytes32,uint64)", topic_off);
        snprintf(off_topics, sizeof off_topics, "[\"%s\"],%s", topic_off,
                 attester_topic);
        st = gvt_rpc_logs(s.rpc, contract, off_topics, from, to, on_offchain,
                          &s, opt->progress, opt->progress_ctx, err);
    }
    if (st == GVT_OK)
        st = match_revocations(&s, err);
    gvt_buf o;
    gvt_buf_init(&o);
    if (st == GVT_OK)
        st = read_records(&s, chain, contract, to, &o, opt, err);
    if (st == GVT_OK)
        put_offchain(&s, chain, contract, to, &o);
    if (st == GVT_OK && ((o.len && fwrite(o.data, 1, o.len, out) != o.len) ||
                         fflush(out) != 0)) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the attestations");
        st = GVT_ERR_CANTCREAT;
    }
    if (st == GVT_OK && out_records)
        *out_records = s.n;
    gvt_buf_free(&o);
    free(s.r);
    free(s.rev);
    free(s.off);
    gvt_rpc_free(s.rpc);
    gvt_http_free(s.h);
    return st;
}
