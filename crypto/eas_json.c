/*
 * eas_json.c: the strict JSON reading shared by the EAS readers (eas.c,
 * eas_onchain.c): one yajl_tree per object, JSON Lines or one array, errors
 * naming the file, the line and the JSON path (see eas_json.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/eas_json.h"

/* A string's text, or NULL for any other value. */
const char *gvt_easj_str(yajl_val v)
{
    return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

bool gvt_easj_fail(gvt_easj *r, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gvt_error_set(r->err, GVT_ERR_DATA, r->file, "%s", msg);
    if (r->err) {
        r->err->line = r->line;
        snprintf(r->err->path, sizeof r->err->path, "%s", r->path);
    }
    return false;
}

/* The member key of object o, or NULL; a key given twice is an error. */
yajl_val gvt_easj_member(gvt_easj *r, yajl_val o, const char *key, bool *bad)
{
    yajl_val found = NULL;
    for (size_t i = 0; i < o->u.object.len; i++)
        if (strcmp(o->u.object.keys[i], key) == 0) {
            if (found) {
                *bad = !gvt_easj_fail(r, "duplicate key '%s'", key);
                return NULL;
            }
            found = o->u.object.values[i];
        }
    return found;
}

/* Sets the path to base.key for the next error. */
void gvt_easj_at(gvt_easj *r, const char *base, const char *key)
{
    snprintf(r->path, sizeof r->path, "%s.%s", base, key);
}

yajl_val gvt_easj_need(gvt_easj *r, yajl_val o, const char *base,
                       const char *key, bool *bad)
{
    gvt_easj_at(r, base, key);
    yajl_val v = gvt_easj_member(r, o, key, bad);
    if (!v && !*bad)
        *bad = !gvt_easj_fail(r, "missing field '%s'", key);
    return v;
}

/* A uint64: a JSON integer, or a string of decimal or 0x-hex digits. */
bool gvt_easj_number(gvt_easj *r, yajl_val v, uint64_t *out)
{
    const char *s = YAJL_IS_NUMBER(v) ? YAJL_GET_NUMBER(v) : gvt_easj_str(v);
    if (!s || !*s)
        return gvt_easj_fail(r, "expected an integer (a number or a string of "
                                "digits)");
    bool hex = s[0] == '0' && s[1] == 'x';
    const char *d = hex ? s + 2 : s;
    uint64_t x = 0;
    unsigned base = hex ? 16 : 10;
    if (!*d)
        return gvt_easj_fail(r, "expected an integer");
    for (; *d; d++) {
        int c = gvt_hex_digit(*d);
        if (c < 0 || (unsigned)c >= base)
            return gvt_easj_fail(r, "expected an integer, found '%.40s'", s);
        if (x > (UINT64_MAX - (uint64_t)c) / base)
            return gvt_easj_fail(r, "integer out of range (at most 2^64 - 1)");
        x = x * base + (uint64_t)c;
    }
    *out = x;
    return true;
}

/* "0x" and exactly 2n hex digits into out. */
bool gvt_easj_hex_bytes(gvt_easj *r, yajl_val v, uint8_t *out, size_t n)
{
    const char *s = gvt_easj_str(v);
    if (!s || s[0] != '0' || s[1] != 'x' ||
        !gvt_hex_decode(out, s + 2, strlen(s + 2), n))
        return gvt_easj_fail(r, "expected 0x and %zu hex digits", 2 * n);
    return true;
}

bool gvt_easj_address(gvt_easj *r, yajl_val v, uint8_t out[20])
{
    const char *s = gvt_easj_str(v);
    if (!s || !gvt_eth_address_parse(s, strlen(s), out))
        return gvt_easj_fail(r, "expected an address (0x and 40 hex digits)");
    return true;
}

/* Parses one JSON text (NUL-terminated copy) and reads its objects. */
static bool parse(gvt_easj *r, const char *text, size_t len, bool array,
                  const char *what, gvt_easj_fn one, void *ctx)
{
    char *copy = gvt_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    char msg[200];
    yajl_val root = yajl_tree_parse(copy, msg, sizeof msg);
    free(copy);
    bool ok = true;
    if (!root) {
        msg[strcspn(msg, "\n")] = '\0';
        snprintf(r->path, sizeof r->path, "$");
        ok = gvt_easj_fail(r, "invalid JSON: %s", msg);
    } else if (array && !YAJL_IS_ARRAY(root)) {
        snprintf(r->path, sizeof r->path, "$");
        ok = gvt_easj_fail(r, "expected a JSON array of %s", what);
    } else if (array) {
        for (size_t i = 0; ok && i < root->u.array.len; i++) {
            ok = one(r, root->u.array.values[i], ctx);
            if (!ok && r->err) { /* "$.x" -> "$[i].x" */
                char p[160];
                snprintf(p, sizeof p, "$[%zu]%s", i, r->err->path + 1);
                snprintf(r->err->path, sizeof r->err->path, "%s", p);
            }
        }
    } else {
        ok = one(r, root, ctx);
    }
    yajl_tree_free(root);
    return ok;
}

gvt_status gvt_easj_lines(gvt_easj *r, const char *text, size_t len,
                          const char *what, gvt_easj_fn one, void *ctx)
{
    size_t first = strspn(text, " \t\r\n");
    if (first < len && text[first] == '[')
        return parse(r, text, len, true, what, one, ctx) ? GVT_OK
                                                         : GVT_ERR_DATA;
    for (size_t start = 0; start < len; r->line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - start;
        if (strspn(text + start, " \t\r") < n &&
            !parse(r, text + start, n, false, what, one, ctx))
            return GVT_ERR_DATA;
        start = end + 1;
    }
    return GVT_OK;
}

gvt_attestation *gvt_easj_add(gvt_easj *r, gvt_attestations *a,
                              const uint8_t attester[20], const uint8_t uid[32],
                              const uint8_t recipient[20], uint64_t time,
                              uint64_t expiration_time, gvt_eas_info *info)
{
    gvt_attestation *t = gvt_attestations_slot(a);
    t->kind = GVT_SIGNER_EAS;
    memcpy(t->issuer, attester, 20);
    memcpy(t->id, uid, 32);
    char subject[43];
    gvt_eth_address_hex(recipient, subject);
    t->subject = gvt_arena_strdup(a->arena, subject);
    t->scope = "*";
    t->issued_at = time > INT64_MAX ? INT64_MAX : (int64_t)time;
    t->expires_at =
        expiration_time > INT64_MAX ? INT64_MAX : (int64_t)expiration_time;
    t->weight = GVT_WEIGHT_ONE;
    t->line = (uint32_t)r->line;
    t->eas = info;
    a->n++;
    a->has_eas = true;
    return t;
}
