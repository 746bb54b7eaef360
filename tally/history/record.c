/*
 * record.c: the replay summary's audit record (docs/audit.md#options): the
 * version, every input read (each file as the pipeline read it, folders
 * expanded into their files, then the proposal table, the attestation
 * files and the trust file), and the options that change the rows: the
 * schemes, the cap (when capped-personhood is tallied), the decision rule
 * given, and the import (`--from`) with its options. The digest of the
 * whole summary is added by replay.c, which hashes the summary's canonical
 * form as it writes it.
 */
#include <stdlib.h>
#include <string.h>

#include "history/summary.h"

static const char *const kind_names[] = {"snapshot-csv", "governor-csv", "csv"};

const char *gvt_import_kind_name(gvt_import_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0]
               ? kind_names[k]
               : NULL;
}

int gvt_import_kind_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

static void put_opt(gvt_buf *b, const char *key, const char *v)
{
    gvt_buf_printf(b, ", \"%s\": ", key);
    if (v)
        gvt_buf_json_string(b, v);
    else
        gvt_buf_puts(b, "null");
}

/* "from": null, or the import's kind and options. */
static void put_from(gvt_buf *b, const gvt_import_options *from)
{
    gvt_buf_puts(b, ", \"from\": ");
    if (!from) {
        gvt_buf_puts(b, "null");
        return;
    }
    gvt_buf_printf(b, "{\"kind\": \"%s\"", gvt_import_kind_name(from->kind));
    put_opt(b, "map", from->map);
    put_opt(b, "type", from->type);
    if (from->decimals >= 0)
        gvt_buf_printf(b, ", \"decimals\": %d", from->decimals);
    else
        gvt_buf_puts(b, ", \"decimals\": null");
    put_opt(b, "choice_labels", from->choice_labels);
    gvt_buf_putc(b, '}');
}

/* The cap as the tally reads it (NULL: 0.1), written exactly. */
static void put_cap(gvt_buf *b, const char *cap, bool tallied)
{
    gvt_buf_puts(b, ", \"cap\": ");
    mpz_t v;
    mpz_init(v);
    if (!cap)
        cap = "0.1";
    if (tallied && gvt_fx_parse(v, cap, strlen(cap), false) == GVT_FX_OK) {
        gvt_buf_putc(b, '"');
        gvt_fx_append(b, v, GVT_FX_DIGITS);
        gvt_buf_putc(b, '"');
    } else {
        gvt_buf_puts(b, "null");
    }
    mpz_clear(v);
}

void gvt_replay_audit(gvt_buf *b, const gvt_replay_record *rec)
{
    gvt_inputs all = {0};
    gvt_inputs_copy(&all, rec->inputs);
    if (rec->attestations)
        gvt_inputs_copy(&all, &rec->attestations->inputs);
    if (rec->trust)
        gvt_inputs_copy(&all, &rec->trust->inputs);
    gvt_audit_input *view = gvt_xcalloc(all.n ? all.n : 1, sizeof *view);
    for (size_t i = 0; i < all.n; i++) {
        const gvt_input *in = &all.v[i];
        bool table = strcmp(in->role, "proposals") == 0;
        view[i].role = in->role;
        view[i].name = table && rec->table_name ? rec->table_name : in->name;
        view[i].size = in->size;
        view[i].sha256 = in->complete ? in->sha256 : NULL;
    }
    gvt_buf_printf(b, ",\n \"audit\": {\"govtally\": \"%s\", ", gvt_version());
    gvt_report_audit_inputs(b, view, all.n);
    gvt_buf_puts(b, ",\n  \"options\": {\"schemes\": [");
    bool capped = false;
    for (size_t i = 0; i < rec->n_schemes; i++) {
        gvt_buf_printf(b, "%s\"%s\"", i ? ", " : "",
                       gvt_scheme_name(rec->schemes[i]));
        capped |= rec->schemes[i] == GVT_SCHEME_CAPPED_PERSONHOOD;
    }
    gvt_buf_putc(b, ']');
    put_cap(b, rec->cap, capped);
    gvt_report_audit_rule(b, rec->rule);
    put_from(b, rec->from);
    gvt_buf_puts(b, "}}}\n");
    free(view);
    gvt_inputs_free(&all);
}
