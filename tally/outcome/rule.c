/*
 * rule.c: the figures of a proposal's decision rule (docs/outcomes.md): the
 * export's fields (docs/formats.md#proposal-fields, kept as text by the
 * reader) read into exact amounts, with the caller's options over them.
 *
 * Amounts and shares are read exactly (gvt_fx_parse: no binary floating
 * point); a percentage "N%" is N / 100 exactly. A figure of the export that
 * cannot be used (negative, not a number, a share above 1) does not make the
 * export unreadable: the outcome is then not decidable, with the reason. A
 * bad option of the caller is a usage error, found before any tally.
 */
#include <stdio.h>
#include <string.h>

#include "outcome/outcome.h"

void gvt_rule_spec_init(gvt_rule_spec *s)
{
    memset(s, 0, sizeof *s);
    mpz_inits(s->quorum, s->share, s->support, s->supply, NULL);
}

void gvt_rule_spec_clear(gvt_rule_spec *s)
{
    mpz_clears(s->quorum, s->share, s->support, s->supply, NULL);
    memset(s, 0, sizeof *s);
}

/* A number of the option or export text: an amount, or with percent a
 * share ("N%" is N / 100). Returns NULL or what is wrong with it. */
static const char *read_number(const char *text, bool percent, mpz_t out)
{
    size_t len = strlen(text);
    if (percent)
        len--;
    gvt_fx_status st = gvt_fx_parse(out, text, len, false);
    if (st != GVT_FX_OK)
        return gvt_fx_status_text(st);
    if (percent)
        mpz_tdiv_q_ui(out, out, 100); /* exact: ruled out below otherwise */
    return NULL;
}

static bool ends_with_percent(const char *s)
{
    size_t n = strlen(s);
    return n > 1 && s[n - 1] == '%';
}

/* "N%" must stay exact as a share: N has at most 34 fraction digits. */
static bool percent_exact(const char *text, mpz_t t)
{
    size_t len = strlen(text) - 1;
    if (gvt_fx_parse(t, text, len, false) != GVT_FX_OK)
        return true; /* read_number says what is wrong */
    return mpz_divisible_ui_p(t, 100) != 0;
}

/* A share in [0, 1]: a decimal, or N% with N in [0, 100]. */
static const char *read_share(const char *text, mpz_t out)
{
    bool pct = ends_with_percent(text);
    if (pct && !percent_exact(text, out))
        return "more than 34 decimals in a percentage";
    const char *why = read_number(text, pct, out);
    if (why)
        return why;
    if (mpz_cmp(out, *gvt_fx_one()) > 0)
        return "a share above 1 (100%)";
    return NULL;
}

gvt_status gvt_rule_options_check(const gvt_rule_options *o, gvt_error *err)
{
    if (!o)
        return GVT_OK;
    mpz_t t;
    mpz_init(t);
    const char *opt = NULL, *val = NULL, *why = NULL;
    if (o->rule && gvt_rule_from_name(o->rule) < 0) {
        opt = "rule", val = o->rule;
        why = "not a rule (snapshot, openzeppelin, compound, aragon, "
              "unknown)";
    } else if (o->quorum) {
        bool pct = ends_with_percent(o->quorum);
        why = pct ? read_share(o->quorum, t) : read_number(o->quorum, false, t);
        opt = "quorum", val = o->quorum;
    }
    if (!why && o->support)
        why = read_share(o->support, t), opt = "support", val = o->support;
    if (!why && o->supply)
        why = read_number(o->supply, false, t), opt = "supply", val = o->supply;
    mpz_clear(t);
    if (!why)
        return GVT_OK;
    gvt_error_set(err, GVT_ERR_USAGE, NULL, "%s '%.60s': %s", opt, val, why);
    return GVT_ERR_USAGE;
}

/* Notes the first unusable figure of the export. */
static void bad(gvt_rule_spec *s, const char *field, const char *text,
                const char *why)
{
    if (s->bad[0])
        return;
    snprintf(s->bad, sizeof s->bad, "the export's %s %.40s: %s", field, text,
             why);
    s->bad_field = field;
}

/* The caller gave the figure the export had wrong: forget the fault. */
static void fixed(gvt_rule_spec *s, const char *field)
{
    if (s->bad_field && strcmp(s->bad_field, field) == 0) {
        s->bad[0] = '\0';
        s->bad_field = NULL;
    }
}

/* The export's figures (text as the reader kept it). */
static void read_export(const gvt_rule_text *t, gvt_rule_spec *s)
{
    int rule = t->rule ? gvt_rule_from_name(t->rule) : GVT_RULE_SNAPSHOT;
    s->rule = rule < 0 ? GVT_RULE_UNKNOWN : (gvt_rule)rule;
    const char *why;
    if (t->quorum) {
        if ((why = read_number(t->quorum, false, s->quorum)))
            bad(s, "quorum", t->quorum, why);
        else
            s->has_quorum = true;
    }
    if (t->quorum_share) {
        if ((why = read_share(t->quorum_share, s->share)))
            bad(s, "quorum_share", t->quorum_share, why);
        else
            s->has_share = true;
    }
    if (t->support) {
        if ((why = read_share(t->support, s->support)))
            bad(s, "support", t->support, why);
        else
            s->has_support = true;
    }
    if (t->supply) {
        if ((why = read_number(t->supply, false, s->supply)))
            bad(s, "supply", t->supply, why);
        else
            s->has_supply = true;
    }
    if (t->quorum_type && strcmp(t->quorum_type, "default") != 0 &&
        t->quorum_type[0]) {
        if (strcmp(t->quorum_type, "rejection") == 0)
            s->rejection = true;
        else
            bad(s, "quorumType", t->quorum_type,
                "neither default nor rejection");
    }
}

void gvt_rule_spec_read(const gvt_proposal *p, const gvt_rule_options *o,
                        gvt_rule_spec *s)
{
    read_export(&p->rule, s);
    s->quorum_type = s->rule == GVT_RULE_SNAPSHOT;
    if (!o)
        return;
    /* Checked by gvt_rule_options_check: every read below succeeds. */
    if (o->rule) {
        s->rule = (gvt_rule)gvt_rule_from_name(o->rule);
        s->from_options = true;
        s->quorum_type = s->rule == GVT_RULE_SNAPSHOT;
        if (!s->quorum_type)
            fixed(s, "quorumType");
    }
    if (o->quorum) {
        bool pct = ends_with_percent(o->quorum);
        if (pct) {
            (void)read_share(o->quorum, s->share);
            s->has_share = true;
            s->has_quorum = false;
        } else {
            (void)read_number(o->quorum, false, s->quorum);
            s->has_quorum = true;
            s->has_share = false;
        }
        fixed(s, "quorum");
        fixed(s, "quorum_share");
        s->from_options = true;
    }
    if (o->support) {
        (void)read_share(o->support, s->support);
        s->has_support = true;
        fixed(s, "support");
        s->from_options = true;
    }
    if (o->supply) {
        (void)read_number(o->supply, false, s->supply);
        s->has_supply = true;
        fixed(s, "supply");
        s->from_options = true;
    }
}
