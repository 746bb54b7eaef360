/*
 * audit.c: the audit object of the JSON result (docs/audit.md): the
 * version, the inputs, the options, and last the result's digest, SHA-256
 * of the document's canonical form without that member (core/canon.c),
 * spliced in once the rest is written. The replay summary's audit
 * (history/replay.c) is written with the same pieces.
 */
#include "report/report.h"

static void put_opt_string(gvt_buf *b, const char *key, const char *v)
{
    gvt_buf_printf(b, ", \"%s\": ", key);
    if (v)
        gvt_buf_json_string(b, v);
    else
        gvt_buf_puts(b, "null");
}

void gvt_report_audit_inputs(gvt_buf *b, const gvt_audit_input *v, size_t n)
{
    gvt_buf_puts(b, "\"inputs\": [");
    for (size_t i = 0; i < n; i++) {
        gvt_buf_puts(b, i ? ",\n   {\"role\": \"" : "\n   {\"role\": \"");
        gvt_buf_puts(b, v[i].role);
        gvt_buf_puts(b, "\", \"name\": ");
        gvt_buf_json_string(b, v[i].name);
        if (v[i].sha256)
            gvt_buf_printf(b, ", \"size\": %llu, \"sha256\": \"%s\"}",
                           v[i].size, v[i].sha256);
        else
            gvt_buf_puts(b, ", \"size\": null, \"sha256\": null}");
    }
    gvt_buf_putc(b, ']');
}

void gvt_report_audit_rule(gvt_buf *b, const gvt_rule_options *rule)
{
    gvt_rule_options none = {0};
    if (!rule)
        rule = &none;
    put_opt_string(b, "rule", rule->rule);
    put_opt_string(b, "quorum", rule->quorum);
    put_opt_string(b, "support", rule->support);
    put_opt_string(b, "supply", rule->supply);
}

/* The audit object without its digest, closed, and the document's end. */
static void put_audit(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_printf(b, "{\"govtally\": \"%s\", ", gvt_version());
    size_t n = gvt_result_audit_input_count(r);
    gvt_report_audit_inputs(b, n ? gvt_result_audit_input(r, 0) : NULL, n);
    const gvt_audit_options *o = gvt_result_audit_options(r);
    gvt_buf_puts(b, ",\n  \"options\": {\"schemes\": [");
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++)
        gvt_buf_printf(b, "%s\"%s\"", i ? ", " : "",
                       gvt_scheme_name(gvt_result_scheme(r, i)));
    gvt_buf_putc(b, ']');
    put_opt_string(b, "cap", o->cap);
    put_opt_string(b, "proposal", o->proposal);
    gvt_rule_options rule = {o->rule, o->quorum, o->support, o->supply};
    gvt_report_audit_rule(b, &rule);
    if (o->now)
        gvt_buf_printf(b, ", \"now\": %lld}", o->now);
    else
        gvt_buf_puts(b, ", \"now\": null}");
    gvt_buf_puts(b, "}}\n");
}

void gvt_report_json_audit(const gvt_result *r, gvt_buf *b, size_t start,
                           char hex[65])
{
    gvt_buf_puts(b, ",\n \"audit\": ");
    put_audit(r, b);
    if (!gvt_canon_sha256(b->data + start, b->len - start, hex))
        hex[0] = '\0'; /* not JSON: a writer's fault; the digest is null */
    gvt_report_digest_member(b, hex);
}

void gvt_report_digest_member(gvt_buf *b, const char *hex)
{
    /* b ends with the audit's brace, the document's and a newline */
    b->len -= 3;
    b->data[b->len] = '\0';
    if (hex[0])
        gvt_buf_printf(b, ",\n  \"result_sha256\": \"%s\"}}\n", hex);
    else
        gvt_buf_puts(b, ",\n  \"result_sha256\": null}}\n");
}

GVT_API void gvt_result_sha256(const gvt_result *r, char out[65])
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_json_digest(r, &b, out);
    gvt_buf_free(&b);
}
