/*
 * check.c: `govtally check`, one fixture at a time (SPEC 4.2).
 *
 * A fixture is a small JSON object:
 *   name          label printed in the report (default: the file's path)
 *   input         the proposal export
 *   attestations, issuers
 *                 optional, both or neither
 *   options       optional: cap (decimal string), schemes (list of ids)
 *   expect        a subset of the gvt-result/1 document
 * Paths are relative to the fixture file. The proposal is tallied, the JSON
 * result is produced by gvt_report_json exactly as `govtally run` prints it,
 * parsed back, and `expect` is compared with it:
 *   - objects: only the keys given are compared;
 *   - an object expected where the result has an array of objects with an
 *     "id" (as "schemes") is matched by id: {"token": {...}};
 *   - arrays: same length, element by element;
 *   - numbers and decimal strings: equal when |a - b| <= 1e-9 max(|a|, |b|),
 *     both parsed exactly (gvt_fx_parse) and compared with GMP; two JSON
 *     integers must be equal;
 *   - other strings, booleans and null: equal.
 * Every differing key is reported with the expected and the actual value.
 * A fixture that cannot be used (bad JSON, a missing or mistyped key, an
 * unknown key) is a data error naming the file and the key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "internal.h"

#define FIXTURE_MAX_BYTES (16u << 20)
#define FIXTURE_MAX_DEPTH 64
#define RENDER_MAX 240

/* ---- reading ------------------------------------------------------------- */

static gvt_status slurp(const char *path, char **out, size_t *out_len,
                        gvt_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open fixture: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    gvt_buf b;
    gvt_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        gvt_buf_add(&b, chunk, n);
        if (b.len > FIXTURE_MAX_BYTES) {
            fclose(f);
            gvt_buf_free(&b);
            gvt_error_set(err, GVT_ERR_DATA, path,
                          "fixture larger than %u bytes", FIXTURE_MAX_BYTES);
            return GVT_ERR_DATA;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        gvt_buf_free(&b);
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read fixture");
        return GVT_ERR_NOINPUT;
    }
    if (!b.data)
        gvt_buf_add(&b, "", 0);
    *out = b.data;
    *out_len = b.len;
    return GVT_OK;
}

/* Nesting depth of JSON text, strings skipped (before yajl_tree, whose
 * free is recursive). */
static size_t json_depth(const char *s, size_t len)
{
    size_t depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

static gvt_status parse_json(const char *name, const char *text, size_t len,
                             yajl_val *out, gvt_error *err)
{
    *out = NULL;
    if (strlen(text) != len) {
        gvt_error_set(err, GVT_ERR_DATA, name, "NUL byte in JSON text");
        return GVT_ERR_DATA;
    }
    if (json_depth(text, len) > FIXTURE_MAX_DEPTH) {
        gvt_error_set(err, GVT_ERR_DATA, name,
                      "JSON nested deeper than %d levels", FIXTURE_MAX_DEPTH);
        return GVT_ERR_DATA;
    }
    char msg[512];
    msg[0] = '\0';
    yajl_val v = yajl_tree_parse(text, msg, sizeof msg);
    if (!v) {
        char *nl = strchr(msg, '\n');
        if (nl)
            *nl = '\0';
        gvt_error_set(err, GVT_ERR_DATA, name, "invalid JSON: %s",
                      msg[0] ? msg : "parse error");
        return GVT_ERR_DATA;
    }
    *out = v;
    return GVT_OK;
}

static yajl_val member(yajl_val obj, const char *key)
{
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], key) == 0)
            return obj->u.object.values[i];
    return NULL;
}

/* The fixture's fields, checked. */
typedef struct fixture {
    const char *name;
    const char *input, *attestations, *issuers;
    const char *cap;
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    yajl_val expect;
} fixture;

static gvt_status bad_key(gvt_error *err, const char *path, const char *key,
                          const char *why)
{
    gvt_error_set(err, GVT_ERR_DATA, path, "fixture key \"%s\": %s", key, why);
    snprintf(err->path, sizeof err->path, "$.%s", key);
    return GVT_ERR_DATA;
}

static gvt_status read_fixture(const char *path, yajl_val root, fixture *fx,
                               gvt_error *err)
{
    memset(fx, 0, sizeof *fx);
    fx->name = path;
    if (!YAJL_IS_OBJECT(root)) {
        gvt_error_set(err, GVT_ERR_DATA, path, "a fixture is a JSON object");
        return GVT_ERR_DATA;
    }
    for (size_t i = 0; i < root->u.object.len; i++) {
        const char *k = root->u.object.keys[i];
        yajl_val v = root->u.object.values[i];
        const char **slot = NULL;
        if (strcmp(k, "name") == 0)
            slot = &fx->name;
        else if (strcmp(k, "input") == 0)
            slot = &fx->input;
        else if (strcmp(k, "attestations") == 0)
            slot = &fx->attestations;
        else if (strcmp(k, "issuers") == 0)
            slot = &fx->issuers;
        else if (strcmp(k, "description") == 0 || strcmp(k, "comment") == 0)
            continue;
        if (slot) {
            if (!YAJL_IS_STRING(v) || !v->u.string[0])
                return bad_key(err, path, k, "must be a non-empty string");
            *slot = v->u.string;
        } else if (strcmp(k, "expect") == 0) {
            if (!YAJL_IS_OBJECT(v))
                return bad_key(err, path, k, "must be an object");
            fx->expect = v;
        } else if (strcmp(k, "options") == 0) {
            if (!YAJL_IS_OBJECT(v))
                return bad_key(err, path, k, "must be an object");
            for (size_t j = 0; j < v->u.object.len; j++) {
                const char *ok = v->u.object.keys[j];
                yajl_val ov = v->u.object.values[j];
                if (strcmp(ok, "cap") == 0) {
                    if (YAJL_IS_STRING(ov))
                        fx->cap = ov->u.string;
                    else if (YAJL_IS_NUMBER(ov))
                        fx->cap = ov->u.number.r;
                    else
                        return bad_key(err, path, "options.cap",
                                       "must be a decimal string");
                } else if (strcmp(ok, "schemes") == 0) {
                    if (!YAJL_IS_ARRAY(ov) || ov->u.array.len == 0 ||
                        ov->u.array.len > GVT_SCHEME_COUNT)
                        return bad_key(err, path, "options.schemes",
                                       "must be a non-empty list of scheme "
                                       "ids");
                    for (size_t s = 0; s < ov->u.array.len; s++) {
                        yajl_val e = ov->u.array.values[s];
                        int id = YAJL_IS_STRING(e)
                                     ? gvt_scheme_from_name(e->u.string)
                                     : -1;
                        if (id < 0)
                            return bad_key(err, path, "options.schemes",
                                           "unknown scheme id");
                        for (size_t t = 0; t < fx->n_schemes; t++)
                            if (fx->schemes[t] == (gvt_scheme)id)
                                return bad_key(err, path, "options.schemes",
                                               "scheme given twice");
                        fx->schemes[fx->n_schemes++] = (gvt_scheme)id;
                    }
                } else {
                    gvt_error_set(err, GVT_ERR_DATA, path,
                                  "fixture key \"options.%s\": unknown "
                                  "option (known: cap, schemes)",
                                  ok);
                    return GVT_ERR_DATA;
                }
            }
        } else {
            return bad_key(err, path, k,
                           "unknown key (known: name, input, attestations, "
                           "issuers, options, expect)");
        }
    }
    if (!fx->input)
        return bad_key(err, path, "input", "missing");
    if (!fx->expect)
        return bad_key(err, path, "expect", "missing");
    if (!fx->attestations != !fx->issuers)
        return bad_key(err, path, fx->attestations ? "issuers" : "attestations",
                       "attestations and issuers go together");
    return GVT_OK;
}

/* dir of the fixture + rel, or rel itself when absolute. */
static char *resolve(const char *fixture_path, const char *rel)
{
    const char *slash = strrchr(fixture_path, '/');
    if (rel[0] == '/' || !slash)
        return gvt_xstrdup(rel);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_add(&b, fixture_path, (size_t)(slash - fixture_path) + 1);
    gvt_buf_puts(&b, rel);
    return b.data;
}

/* ---- comparing -------------------------------------------------------------
 */

/* Compact JSON text of v, cut at about RENDER_MAX characters. */
static void render(gvt_buf *b, yajl_val v, size_t depth)
{
    if (b->len > RENDER_MAX) {
        return;
    }
    if (!v) {
        gvt_buf_puts(b, "(missing)");
    } else if (YAJL_IS_STRING(v)) {
        gvt_buf_json_string(b, v->u.string);
    } else if (YAJL_IS_NUMBER(v)) {
        gvt_buf_puts(b, v->u.number.r);
    } else if (YAJL_IS_TRUE(v)) {
        gvt_buf_puts(b, "true");
    } else if (YAJL_IS_FALSE(v)) {
        gvt_buf_puts(b, "false");
    } else if (YAJL_IS_NULL(v)) {
        gvt_buf_puts(b, "null");
    } else if (depth > FIXTURE_MAX_DEPTH) {
        gvt_buf_puts(b, "...");
    } else if (YAJL_IS_ARRAY(v)) {
        gvt_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.array.len; i++) {
            if (i)
                gvt_buf_puts(b, ", ");
            render(b, v->u.array.values[i], depth + 1);
        }
        gvt_buf_putc(b, ']');
    } else if (YAJL_IS_OBJECT(v)) {
        gvt_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.object.len; i++) {
            if (i)
                gvt_buf_puts(b, ", ");
            gvt_buf_json_string(b, v->u.object.keys[i]);
            gvt_buf_puts(b, ": ");
            render(b, v->u.object.values[i], depth + 1);
        }
        gvt_buf_putc(b, '}');
    }
    if (b->len > RENDER_MAX) {
        b->len = RENDER_MAX;
        b->data[b->len] = '\0';
        gvt_buf_puts(b, "...");
    }
}

typedef struct diffs {
    gvt_buf out;
    size_t n;
} diffs;

static void differ(diffs *d, const char *path, yajl_val exp, yajl_val act)
{
    gvt_buf e, a;
    gvt_buf_init(&e);
    gvt_buf_init(&a);
    render(&e, exp, 0);
    render(&a, act, 0);
    gvt_buf_printf(&d->out, "  %s: expected %s, actual %s\n",
                   path[0] ? path : "(top)", e.data, a.data);
    gvt_buf_free(&e);
    gvt_buf_free(&a);
    d->n++;
}

/* The number a JSON number or a decimal string stands for; false when v is
 * neither (or not exactly representable: compared as text then). */
static bool as_number(yajl_val v, mpz_t out)
{
    const char *s = NULL;
    if (YAJL_IS_NUMBER(v))
        s = v->u.number.r;
    else if (YAJL_IS_STRING(v))
        s = v->u.string;
    return s && gvt_fx_parse(out, s, strlen(s), true) == GVT_FX_OK;
}

/* |a - b| * 10^9 <= max(|a|, |b|). */
static bool close_enough(const mpz_t a, const mpz_t b)
{
    mpz_t d, m;
    mpz_inits(d, m, NULL);
    mpz_sub(d, a, b);
    mpz_abs(d, d);
    mpz_mul_ui(d, d, 1000000000UL);
    if (mpz_cmpabs(a, b) >= 0)
        mpz_abs(m, a);
    else
        mpz_abs(m, b);
    bool ok = mpz_cmp(d, m) <= 0;
    mpz_clears(d, m, NULL);
    return ok;
}

static bool scalar_equal(yajl_val exp, yajl_val act)
{
    if (YAJL_IS_NUMBER(exp) || YAJL_IS_STRING(exp)) {
        if (YAJL_IS_STRING(exp) && YAJL_IS_STRING(act) &&
            strcmp(exp->u.string, act->u.string) == 0)
            return true;
        if (!(YAJL_IS_NUMBER(act) || YAJL_IS_STRING(act)))
            return false;
        mpz_t x, y;
        mpz_inits(x, y, NULL);
        bool ok = false;
        if (as_number(exp, x) && as_number(act, y)) {
            if (YAJL_IS_INTEGER(exp) && YAJL_IS_INTEGER(act))
                ok = mpz_cmp(x, y) == 0;
            else
                ok = close_enough(x, y);
        } else if (YAJL_IS_NUMBER(exp) && YAJL_IS_NUMBER(act)) {
            ok = strcmp(exp->u.number.r, act->u.number.r) == 0;
        }
        mpz_clears(x, y, NULL);
        return ok;
    }
    return exp->type == act->type; /* true, false, null */
}

/* The element of an array of objects whose "id" is key, or NULL. */
static yajl_val by_id(yajl_val arr, const char *key)
{
    for (size_t i = 0; i < arr->u.array.len; i++) {
        yajl_val e = arr->u.array.values[i];
        if (!YAJL_IS_OBJECT(e))
            continue;
        yajl_val id = member(e, "id");
        if (id && YAJL_IS_STRING(id) && strcmp(id->u.string, key) == 0)
            return e;
    }
    return NULL;
}

static void compare(diffs *d, gvt_buf *path, yajl_val exp, yajl_val act)
{
    size_t mark = path->len;
    if (!act) {
        differ(d, path->data ? path->data : "", exp, NULL);
        return;
    }
    if (YAJL_IS_OBJECT(exp)) {
        bool keyed = YAJL_IS_ARRAY(act);
        if (!YAJL_IS_OBJECT(act) && !keyed) {
            differ(d, path->data ? path->data : "", exp, act);
            return;
        }
        for (size_t i = 0; i < exp->u.object.len; i++) {
            const char *k = exp->u.object.keys[i];
            if (path->len)
                gvt_buf_putc(path, '.');
            gvt_buf_puts(path, k);
            compare(d, path, exp->u.object.values[i],
                    keyed ? by_id(act, k) : member(act, k));
            path->len = mark;
            if (path->data)
                path->data[mark] = '\0';
        }
        return;
    }
    if (YAJL_IS_ARRAY(exp)) {
        if (!YAJL_IS_ARRAY(act) || act->u.array.len != exp->u.array.len) {
            differ(d, path->data ? path->data : "", exp, act);
            return;
        }
        for (size_t i = 0; i < exp->u.array.len; i++) {
            gvt_buf_printf(path, "[%zu]", i);
            compare(d, path, exp->u.array.values[i], act->u.array.values[i]);
            path->len = mark;
            path->data[mark] = '\0';
        }
        return;
    }
    if (!scalar_equal(exp, act))
        differ(d, path->data ? path->data : "", exp, act);
}

/* ---- the check -------------------------------------------------------------
 */

static gvt_status run_fixture(const char *path, const fixture *fx,
                              gvt_buf *json, gvt_error *err)
{
    char *input = resolve(path, fx->input);
    char *att_path = fx->attestations ? resolve(path, fx->attestations) : NULL;
    char *iss_path = fx->issuers ? resolve(path, fx->issuers) : NULL;
    gvt_proposal *p = NULL;
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    gvt_result *r = NULL;
    gvt_status st = gvt_proposal_read_file(input, &p, err);
    if (!st && att_path)
        st = gvt_attestations_read_file(att_path, &att, err);
    if (!st && iss_path)
        st = gvt_trust_read_file(iss_path, &trust, err);
    if (!st) {
        gvt_tally_options opt = {.schemes = fx->schemes,
                                 .n_schemes = fx->n_schemes,
                                 .cap = fx->cap,
                                 .attestations = att,
                                 .trust = trust};
        st = gvt_tally_run(p, &opt, &r, err);
        if (st && err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
    }
    if (!st)
        gvt_report_json(r, json);
    gvt_result_free(r);
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    gvt_proposal_free(p);
    free(input);
    free(att_path);
    free(iss_path);
    return st;
}

GVT_API gvt_status gvt_fixture_check(const char *path, FILE *report,
                                     gvt_error *err)
{
    gvt_error_clear(err);
    char *text = NULL;
    size_t len = 0;
    yajl_val root = NULL, actual = NULL;
    gvt_buf json;
    gvt_buf_init(&json);
    fixture fx;
    gvt_status st = slurp(path, &text, &len, err);
    if (!st)
        st = parse_json(path, text, len, &root, err);
    if (!st)
        st = read_fixture(path, root, &fx, err);
    if (!st)
        st = run_fixture(path, &fx, &json, err);
    if (!st && parse_json("gvt-result", json.data ? json.data : "", json.len,
                          &actual, err)) {
        st = GVT_ERR_INTERNAL;
        if (err)
            err->code = st;
    }
    if (!st) {
        diffs d = {.n = 0};
        gvt_buf_init(&d.out);
        gvt_buf p;
        gvt_buf_init(&p);
        compare(&d, &p, fx.expect, actual);
        gvt_buf_free(&p);
        fprintf(report, "%s ", d.n ? "FAIL" : "ok");
        /* The name is the fixture's: keep control characters out. */
        for (const char *c = fx.name; *c; c++)
            fputc((unsigned char)*c < 0x20 ? '?' : *c, report);
        fputc('\n', report);
        if (d.n)
            fputs(d.out.data, report);
        gvt_buf_free(&d.out);
        st = d.n ? GVT_MISMATCH : GVT_OK;
    }
    yajl_tree_free(actual);
    yajl_tree_free(root);
    gvt_buf_free(&json);
    free(text);
    return st;
}
