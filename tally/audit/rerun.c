/*
 * rerun.c: a result or a replay summary made again from its audit record
 * (docs/audit.md#verify), every input read from where verify found it but
 * recorded under the name the record gives it, so that the new document's
 * record is the old one's when nothing changed.
 *
 * A result: the export read as `run` read it (one file, or picked by the
 * recorded id out of the recorded files), the attestation files and the
 * trust file, the tally run with the recorded schemes, cap, rule and clock.
 * A replay: the recorded files replayed in their order (a folder was
 * recorded as its files, which replay in the same order), with the
 * recorded import options and proposal table.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

const gvt_leaf *gvt_vrecord_opt(const gvt_vrecord *rec, const char *key)
{
    for (size_t i = 0; i < rec->n_opts; i++)
        if (strcmp(rec->opts[i].path, key) == 0)
            return &rec->opts[i];
    return NULL;
}

/* An option's text: a string's, NULL for null or absent. */
static const char *opt_text(const gvt_vrecord *rec, const char *key)
{
    const gvt_leaf *l = gvt_vrecord_opt(rec, key);
    return l && l->type == LEAF_STRING ? l->text : NULL;
}

static gvt_status unreadable(gvt_error *err, const char *what)
{
    gvt_error_set(err, GVT_ERR_DATA, NULL, "the audit record: %s", what);
    return GVT_ERR_DATA;
}

/* The inputs of one role, in order: paths found and names recorded. */
typedef struct role_list {
    const char *path[GVT_MAX_ATTESTATION_FILES + 1];
    const char *name[GVT_MAX_ATTESTATION_FILES + 1];
    size_t n;
} role_list;

static bool take_role(const gvt_vrecord *rec, const char *role, role_list *l)
{
    l->n = 0;
    for (size_t i = 0; i < rec->n_in; i++) {
        if (strcmp(rec->in[i].role, role) != 0)
            continue;
        if (l->n == GVT_MAX_ATTESTATION_FILES + 1)
            return false;
        /* an input not found (recorded without a digest) is read at its
         * name, as it was then */
        l->path[l->n] = rec->in[i].path ? rec->in[i].path : rec->in[i].name;
        l->name[l->n++] = rec->in[i].name;
    }
    return true;
}

/* Records read under the names the record gives them. */
static void rename_inputs(gvt_inputs *in, const role_list *l)
{
    for (size_t i = 0; i < in->n && i < l->n; i++) {
        free(in->v[i].name);
        in->v[i].name = gvt_xstrdup(l->name[i]);
    }
}

static gvt_status schemes_of(const gvt_vrecord *rec, gvt_scheme *out, size_t *n,
                             gvt_error *err)
{
    *n = 0;
    for (size_t i = 0; i < GVT_SCHEME_COUNT; i++) {
        char key[32];
        snprintf(key, sizeof key, "schemes[%zu]", i);
        const char *name = opt_text(rec, key);
        if (!name)
            break;
        int s = gvt_scheme_from_name(name);
        if (s < 0)
            return unreadable(err, "an unknown scheme");
        out[(*n)++] = (gvt_scheme)s;
    }
    return *n ? GVT_OK : unreadable(err, "no scheme");
}

/* The identity's files, read and renamed; both or neither. */
static gvt_status read_identity(const gvt_vrecord *rec, gvt_attestations **att,
                                gvt_trust **trust, gvt_error *err)
{
    role_list a, t;
    if (!take_role(rec, "attestations", &a) || !take_role(rec, "issuers", &t) ||
        a.n > GVT_MAX_ATTESTATION_FILES || t.n > 1)
        return unreadable(err, "too many attestation or issuer files");
    gvt_status st = GVT_OK;
    if (a.n && (st = gvt_attestations_read_files(a.path, a.n, att, err)))
        return st;
    if (t.n && (st = gvt_trust_read_file(t.path[0], trust, err)))
        return st;
    if (*att)
        rename_inputs(&(*att)->inputs, &a);
    if (*trust)
        rename_inputs(&(*trust)->inputs, &t);
    return GVT_OK;
}

static gvt_rule_options rule_of(const gvt_vrecord *rec)
{
    gvt_rule_options r = {opt_text(rec, "rule"), opt_text(rec, "quorum"),
                          opt_text(rec, "support"), opt_text(rec, "supply")};
    return r;
}

static gvt_status rerun_result(const gvt_vrecord *rec, unsigned threads,
                               FILE *out, gvt_error *err)
{
    role_list ex;
    if (!take_role(rec, "export", &ex) || ex.n == 0 ||
        ex.n > GVT_MAX_ATTESTATION_FILES)
        return unreadable(err, "no export, or too many");
    gvt_scheme schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    gvt_status st = schemes_of(rec, schemes, &n_schemes, err);
    if (st)
        return st;
    const char *id = opt_text(rec, "proposal");
    gvt_read_options ro = {.threads = threads};
    gvt_proposal *p = NULL;
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    gvt_result *r = NULL;
    st = ex.n == 1 && !id
             ? gvt_proposal_read_file_opt(ex.path[0], &ro, &p, err)
             : gvt_proposal_pick_files(ex.path, ex.n, id, &ro, &p, err);
    if (!st) {
        rename_inputs(&p->inputs, &ex);
        st = read_identity(rec, &att, &trust, err);
    }
    const gvt_leaf *now = gvt_vrecord_opt(rec, "now");
    gvt_tally_options opt = {.schemes = schemes,
                             .n_schemes = n_schemes,
                             .cap = opt_text(rec, "cap"),
                             .attestations = att,
                             .trust = trust,
                             .threads = threads,
                             .now = now && now->type == LEAF_NUMBER
                                        ? strtoll(now->text, NULL, 10)
                                        : 0};
    gvt_rule_options rule = rule_of(rec);
    if (!st)
        st = gvt_tally_run_rule(p, &opt, &rule, &r, err);
    if (!st)
        st = gvt_result_write(r, GVT_FORMAT_JSON, 0, out, err);
    gvt_result_free(r);
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    gvt_proposal_free(p);
    return st;
}

/* The import's options from the record's "from" (NULL: none). */
static gvt_status from_of(const gvt_vrecord *rec, gvt_import_options *imp,
                          bool *have, gvt_error *err)
{
    memset(imp, 0, sizeof *imp);
    imp->decimals = -1;
    const char *kind = opt_text(rec, "from.kind");
    *have = kind != NULL;
    if (!kind)
        return GVT_OK;
    int k = gvt_import_kind_from_name(kind);
    if (k < 0)
        return unreadable(err, "an unknown import kind");
    imp->kind = (gvt_import_kind)k;
    imp->map = opt_text(rec, "from.map");
    imp->type = opt_text(rec, "from.type");
    imp->choice_labels = opt_text(rec, "from.choice_labels");
    const gvt_leaf *d = gvt_vrecord_opt(rec, "from.decimals");
    if (d && d->type == LEAF_NUMBER)
        imp->decimals = atoi(d->text);
    return GVT_OK;
}

static gvt_status rerun_replay(const gvt_vrecord *rec, unsigned threads,
                               FILE *out, gvt_error *err)
{
    const char **paths = gvt_xcalloc(rec->n_in + 1, sizeof *paths);
    const char **names = gvt_xcalloc(rec->n_in + 1, sizeof *names);
    size_t n = 0;
    role_list table;
    gvt_import_options imp;
    bool have_from;
    gvt_attestations *att = NULL;
    gvt_trust *trust = NULL;
    for (size_t i = 0; i < rec->n_in; i++)
        if (strcmp(rec->in[i].role, "export") == 0 ||
            strcmp(rec->in[i].role, "votes") == 0) {
            /* an input missing then is read as missing now */
            paths[n] = rec->in[i].path ? rec->in[i].path : rec->in[i].name;
            names[n++] = rec->in[i].name;
        }
    gvt_status st = GVT_OK;
    if (!take_role(rec, "proposals", &table) || table.n > 1)
        st = unreadable(err, "two proposal tables");
    if (!st)
        st = from_of(rec, &imp, &have_from, err);
    if (!st && table.n)
        imp.proposals = table.path[0];
    if (!st)
        st = read_identity(rec, &att, &trust, err);
    if (!st) {
        gvt_replay_options opt = {.from = have_from ? &imp : NULL,
                                  .attestations = att,
                                  .trust = trust,
                                  .cap = opt_text(rec, "cap"),
                                  .format = GVT_FORMAT_JSON,
                                  .threads = threads};
        gvt_rule_options rule = rule_of(rec);
        st = gvt_replay_run_as(paths, names, n, &opt, &rule,
                               table.n ? table.name[0] : NULL, out, NULL, err);
        /* rows that failed are part of the document */
        if (st == GVT_ERR_DATA || st == GVT_ERR_NOINPUT)
            st = GVT_OK;
    }
    gvt_trust_free(trust);
    gvt_attestations_free(att);
    free(paths);
    free(names);
    return st;
}

gvt_status gvt_rerun(const gvt_vrecord *rec, unsigned threads, FILE *out,
                     gvt_error *err)
{
    return rec->replay ? rerun_replay(rec, threads, out, err)
                       : rerun_result(rec, threads, out, err);
}
