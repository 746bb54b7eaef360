/*
 * rpc.c: an Ethereum node's JSON-RPC API over http.c (docs/fetch.md,
 * "Ethereum node"): eth_chainId, eth_blockNumber, eth_getBlockByNumber (a
 * block's timestamp, cached) and eth_getLogs over a block range that splits
 * itself when the node refuses it.
 *
 * Range splitting. Providers bound eth_getLogs differently (a number of
 * blocks, a number of results, a response size) and say so in messages of
 * their own ("query returned more than 10000 results", "block range is too
 * wide", "exceed maximum block range: 5", ...). So any error answer of the
 * node to eth_getLogs over more than one block halves the range, both halves
 * asked in order; the span that last worked is kept for the following
 * ranges, and doubled again after successes. A single block the node
 * refuses is an error (exit 65, with the node's message).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/eth/eth.h"
#include "fetch/fetch.h"

struct gvt_rpc {
    gvt_http *h;
    unsigned long next_id;
    gvt_buf body;
    /* block timestamps: sorted by block */
    struct stamp {
        uint64_t block;
        int64_t time;
    } * stamps;
    size_t n_stamps, cap_stamps;
    uint64_t span; /* blocks per eth_getLogs that last worked; 0: any */
    unsigned long splits;
};

gvt_rpc *gvt_rpc_new(gvt_http *h)
{
    gvt_rpc *r = gvt_xcalloc(1, sizeof *r);
    r->h = h;
    gvt_buf_init(&r->body);
    return r;
}

void gvt_rpc_free(gvt_rpc *r)
{
    if (!r)
        return;
    gvt_buf_free(&r->body);
    free(r->stamps);
    free(r);
}

unsigned long gvt_rpc_splits(const gvt_rpc *r)
{
    return r->splits;
}

bool gvt_hex_quantity(const gvt_jval *v, uint64_t *out)
{
    if (!v || v->kind != GVT_J_STRING || v->len < 3 || v->len > 18 ||
        v->text[0] != '0' || v->text[1] != 'x')
        return false;
    uint64_t x = 0;
    for (size_t i = 2; i < v->len; i++) {
        int d = gvt_hex_digit(v->text[i]);
        if (d < 0)
            return false;
        x = x << 4 | (uint64_t)d;
    }
    *out = x;
    return true;
}

/*
 * One call. On an error answer of the node, *node_error is set (the
 * message in err, GVT_ERR_DATA) so that a caller may split and try again.
 */
static gvt_status call(gvt_rpc *r, const char *method, const char *params,
                       const char *what, gvt_jdoc **out_doc,
                       const gvt_jval **out_result, bool *node_error,
                       gvt_error *err)
{
    *out_doc = NULL;
    *out_result = NULL;
    if (node_error)
        *node_error = false;
    r->body.len = 0;
    gvt_buf_printf(&r->body,
                   "{\"jsonrpc\":\"2.0\",\"id\":%lu,\"method\":\"%s\","
                   "\"params\":%s}",
                   ++r->next_id, method, params);
    gvt_jdoc *doc = NULL;
    gvt_status st =
        gvt_http_post(r->h, r->body.data, r->body.len, what, &doc, err);
    if (st != GVT_OK)
        return st;
    const gvt_jval *root = gvt_jdoc_root(doc);
    const gvt_jval *e = gvt_jget(root, "error");
    const gvt_jval *res = gvt_jget(root, "result");
    if (e && e->kind != GVT_J_NULL) {
        const gvt_jval *m = gvt_jget(e, "message");
        gvt_error_set(err, GVT_ERR_DATA, gvt_http_url(r->h),
                      "%s: the node answered an error: %.*s", what,
                      m && m->kind == GVT_J_STRING
                          ? (int)(m->len > 160 ? 160 : m->len)
                          : 7,
                      m && m->kind == GVT_J_STRING ? m->text : "unknown");
        snprintf(err->path, sizeof err->path, "$.error");
        if (node_error)
            *node_error = true;
        gvt_jdoc_free(doc);
        return GVT_ERR_DATA;
    }
    if (!res) {
        gvt_fetch_bad_answer(err, r->h, what, "$.result", "missing");
        gvt_jdoc_free(doc);
        return GVT_ERR_DATA;
    }
    *out_doc = doc;
    *out_result = res;
    return GVT_OK;
}

gvt_status gvt_rpc_chain_id(gvt_rpc *r, uint64_t *out, gvt_error *err)
{
    gvt_jdoc *doc;
    const gvt_jval *res;
    gvt_status st =
        call(r, "eth_chainId", "[]", "eth_chainId", &doc, &res, NULL, err);
    if (st == GVT_OK && !gvt_hex_quantity(res, out)) {
        gvt_fetch_bad_answer(err, r->h, "eth_chainId", "$.result",
                             "not a hex quantity");
        st = GVT_ERR_DATA;
    }
    gvt_jdoc_free(doc);
    return st;
}

gvt_status gvt_rpc_block_number(gvt_rpc *r, uint64_t *out, gvt_error *err)
{
    gvt_jdoc *doc;
    const gvt_jval *res;
    gvt_status st = call(r, "eth_blockNumber", "[]", "eth_blockNumber", &doc,
                         &res, NULL, err);
    if (st == GVT_OK && !gvt_hex_quantity(res, out)) {
        gvt_fetch_bad_answer(err, r->h, "eth_blockNumber", "$.result",
                             "not a hex quantity");
        st = GVT_ERR_DATA;
    }
    gvt_jdoc_free(doc);
    return st;
}

gvt_status gvt_rpc_block_time(gvt_rpc *r, uint64_t block, int64_t *out,
                              gvt_error *err)
{
    size_t lo = 0, hi = r->n_stamps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->stamps[mid].block < block)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n_stamps && r->stamps[lo].block == block) {
        *out = r->stamps[lo].time;
        return GVT_OK;
    }
    char params[64], what[96];
    snprintf(params, sizeof params, "[\"0x%llx\",false]",
             (unsigned long long)block);
    snprintf(what, sizeof what, "eth_getBlockByNumber %llu",
             (unsigned long long)block);
    gvt_jdoc *doc;
    const gvt_jval *res;
    gvt_status st =
        call(r, "eth_getBlockByNumber", params, what, &doc, &res, NULL, err);
    uint64_t t = 0;
    if (st == GVT_OK && !gvt_hex_quantity(gvt_jget(res, "timestamp"), &t)) {
        gvt_fetch_bad_answer(err, r->h, what, "$.result.timestamp",
                             "missing or not a hex quantity");
        st = GVT_ERR_DATA;
    }
    gvt_jdoc_free(doc);
    if (st != GVT_OK)
        return st;
    if (r->n_stamps == r->cap_stamps) {
        r->cap_stamps = r->cap_stamps ? 2 * r->cap_stamps : 256;
        r->stamps = gvt_xrealloc(r->stamps, r->cap_stamps * sizeof *r->stamps);
    }
    memmove(r->stamps + lo + 1, r->stamps + lo,
            (r->n_stamps - lo) * sizeof *r->stamps);
    r->stamps[lo] = (struct stamp){block, (int64_t)t};
    r->n_stamps++;
    *out = (int64_t)t;
    return GVT_OK;
}

/* eth_getLogs over [from, to] for the address and any of the topics. */
static gvt_status logs_once(gvt_rpc *r, const char *address, const char *topics,
                            uint64_t from, uint64_t to, gvt_rpc_log_fn fn,
                            void *ctx, bool *node_error, gvt_error *err)
{
    gvt_buf params;
    gvt_buf_init(&params);
    gvt_buf_printf(&params,
                   "[{\"address\":\"%s\",\"fromBlock\":\"0x%llx\","
                   "\"toBlock\":\"0x%llx\",\"topics\":[%s]}]",
                   address, (unsigned long long)from, (unsigned long long)to,
                   topics);
    char what[128];
    snprintf(what, sizeof what, "eth_getLogs blocks %llu-%llu",
             (unsigned long long)from, (unsigned long long)to);
    gvt_jdoc *doc;
    const gvt_jval *res;
    gvt_status st =
        call(r, "eth_getLogs", params.data, what, &doc, &res, node_error, err);
    gvt_buf_free(&params);
    if (st != GVT_OK)
        return st;
    if (res->kind != GVT_J_ARRAY) {
        gvt_fetch_bad_answer(err, r->h, what, "$.result", "a %s, not an array",
                             gvt_jkind_name(res->kind));
        st = GVT_ERR_DATA;
    }
    if (st == GVT_OK)
        st = gvt_rpc_each_log(r->h, res, what, fn, ctx, err);
    gvt_jdoc_free(doc);
    return st;
}

gvt_status gvt_rpc_logs(gvt_rpc *r, const char *address, const char *topics,
                        uint64_t from, uint64_t to, gvt_rpc_log_fn fn,
                        void *ctx, gvt_progress_fn progress, void *progress_ctx,
                        gvt_error *err)
{
    uint64_t at = from;
    while (at <= to) {
        uint64_t span = r->span ? r->span : to - at + 1;
        uint64_t end = to - at + 1 <= span ? to : at + span - 1;
        bool node_error = false;
        gvt_status st =
            logs_once(r, address, topics, at, end, fn, ctx, &node_error, err);
        if (st != GVT_OK) {
            /* Refused: halve the range (the callback has seen nothing: the
             * node's answer was an error, not a part of the logs). */
            if (!node_error || end == at)
                return st;
            r->span = (end - at + 1) / 2;
            r->splits++;
            continue;
        }
        if (progress)
            progress(progress_ctx, "blocks", end - from + 1, to - from + 1);
        if (end == to)
            break;
        at = end + 1;
        if (r->span && r->span < UINT64_MAX / 2)
            r->span *= 2;
    }
    return GVT_OK;
}

void gvt_rpc_topic(const char *signature, char out[67])
{
    uint8_t h[32];
    gvt_keccak256(signature, strlen(signature), h);
    out[0] = '0';
    out[1] = 'x';
    gvt_hex_encode(out + 2, h, 32);
}

static bool log_removed(const gvt_jval *log)
{
    const gvt_jval *removed = gvt_jget(log, "removed");
    return removed && removed->kind == GVT_J_BOOL && removed->boolean;
}

static bool log_read(gvt_http *h, const gvt_jval *log, const char *what,
                     size_t i, gvt_rpc_log *f, gvt_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "$.result[%zu]", i);
    const gvt_jval *data = gvt_jget(log, "data");
    const gvt_jval *tx = gvt_jget(log, "transactionHash");
    f->topics = gvt_jget(log, "topics");
    f->data = NULL;
    if (!f->topics || f->topics->kind != GVT_J_ARRAY || !f->topics->first ||
        !data || data->kind != GVT_J_STRING || data->len < 2 || data->len % 2 ||
        memcmp(data->text, "0x", 2) != 0 || !tx || tx->kind != GVT_J_STRING ||
        tx->len != 66 ||
        !gvt_hex_quantity(gvt_jget(log, "blockNumber"), &f->block) ||
        !gvt_hex_quantity(gvt_jget(log, "logIndex"), &f->index)) {
        gvt_fetch_bad_answer(err, h, what, path,
                             "a log without topics, data, blockNumber, "
                             "logIndex or transactionHash");
        return false;
    }
    f->len = (data->len - 2) / 2;
    f->data = gvt_xmalloc(f->len + 1);
    if (!gvt_hex_decode(f->data, data->text + 2, data->len - 2, f->len)) {
        free(f->data);
        f->data = NULL;
        gvt_fetch_bad_answer(err, h, what, path, "data is not hex");
        return false;
    }
    f->tx = tx->text;
    return true;
}

gvt_status gvt_rpc_each_log(gvt_http *h, const gvt_jval *logs, const char *what,
                            gvt_rpc_log_fn fn, void *ctx, gvt_error *err)
{
    gvt_status st = GVT_OK;
    size_t i = 0;
    for (const gvt_jval *log = logs->first; st == GVT_OK && log;
         log = log->next, i++) {
        if (log_removed(log))
            continue;
        gvt_rpc_log f;
        if (!log_read(h, log, what, i, &f, err))
            return GVT_ERR_DATA;
        st = fn(ctx, &f, what, i, err);
        free(f.data);
    }
    return st;
}

bool gvt_rpc_log_topic(const gvt_jval *topics, size_t k, uint8_t word[32])
{
    const gvt_jval *t = topics->first;
    for (size_t i = 0; t && i < k; i++)
        t = t->next;
    return t && t->kind == GVT_J_STRING && t->len == 66 &&
           memcmp(t->text, "0x", 2) == 0 &&
           gvt_hex_decode(word, t->text + 2, 64, 32);
}

gvt_status gvt_rpc_call(gvt_rpc *r, const char *to, const uint8_t *data,
                        size_t len, uint64_t block, const char *what,
                        uint8_t **out, size_t *out_len, bool *reverted,
                        gvt_error *err)
{
    *out = NULL;
    *out_len = 0;
    gvt_buf params;
    gvt_buf_init(&params);
    gvt_buf_printf(&params, "[{\"to\":\"%s\",\"data\":\"0x", to);
    char *hex = gvt_xmalloc(2 * len + 1);
    gvt_hex_encode(hex, data, len);
    gvt_buf_add(&params, hex, 2 * len);
    free(hex);
    gvt_buf_printf(&params, "\"},\"0x%llx\"]", (unsigned long long)block);
    gvt_jdoc *doc;
    const gvt_jval *res;
    gvt_status st =
        call(r, "eth_call", params.data, what, &doc, &res, reverted, err);
    gvt_buf_free(&params);
    if (st != GVT_OK)
        return st;
    if (res->kind != GVT_J_STRING || res->len < 2 || res->len % 2 ||
        memcmp(res->text, "0x", 2) != 0) {
        gvt_fetch_bad_answer(err, r->h, what, "$.result",
                             "expected 0x and hex digits");
        gvt_jdoc_free(doc);
        return GVT_ERR_DATA;
    }
    size_t n = (res->len - 2) / 2;
    uint8_t *bytes = gvt_xmalloc(n + 1);
    if (!gvt_hex_decode(bytes, res->text + 2, res->len - 2, n)) {
        free(bytes);
        gvt_fetch_bad_answer(err, r->h, what, "$.result",
                             "expected 0x and hex digits");
        gvt_jdoc_free(doc);
        return GVT_ERR_DATA;
    }
    gvt_jdoc_free(doc);
    *out = bytes;
    *out_len = n;
    return GVT_OK;
}
