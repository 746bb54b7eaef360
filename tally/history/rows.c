/*
 * rows.c: the row mapping of the CSV import (docs/formats.md, vote tables):
 * each kind's record becomes a vote of its proposal (Snapshot's report,
 * Governor events, a table described by a column map), or is skipped under
 * a counted reason; fields are decoded exactly (addresses, decimals and raw
 * token units, dates, choices as integers or JSON text); and each proposal
 * is written as one export.
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "history/import.h"

/* ---- small text helpers -------------------------------------------------- */

bool im_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* Replaces bytes that are not valid UTF-8 by '?', in place, so that the JSON
 * we write stays readable by a strict parser. */
static void utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xe0) == 0xc0 ? 1
                : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3
                                      : -1;
        bool ok = n >= 0;
        for (int k = 1; ok && k <= n; k++)
            ok = (p[k] & 0xc0) == 0x80;
        if (!ok) {
            *p++ = '?';
            continue;
        }
        p += n + 1;
    }
}

/* ---- proposals ----------------------------------------------------------- */

static size_t hash_str(const char *s)
{
    return (size_t)gvt_hash_bytes(s, strlen(s));
}

/* The slot of id in the table (n_slots > 0): its own, or the empty one
 * where it would go. */
static size_t prop_slot(const importer *im, const char *id)
{
    size_t h = hash_str(id) & (im->n_slots - 1);
    while (im->slots[h] && strcmp(im->props[im->slots[h] - 1].id, id) != 0)
        h = (h + 1) & (im->n_slots - 1);
    return h;
}

static imp_prop *prop_find(const importer *im, const char *id)
{
    if (!im || im->n_slots == 0)
        return NULL;
    size_t h = prop_slot(im, id);
    return im->slots[h] ? &im->props[im->slots[h] - 1] : NULL;
}

static imp_prop *prop_get(importer *im, const char *id, const char *space)
{
    if (im->n_props * 2 >= im->n_slots) {
        size_t n = im->n_slots ? im->n_slots * 2 : 64;
        free(im->slots);
        im->slots = gvt_xcalloc(n, sizeof *im->slots);
        im->n_slots = n;
        for (size_t i = 0; i < im->n_props; i++) {
            size_t h = hash_str(im->props[i].id) & (n - 1);
            while (im->slots[h])
                h = (h + 1) & (n - 1);
            im->slots[h] = i + 1;
        }
    }
    size_t h = prop_slot(im, id);
    if (im->slots[h])
        return &im->props[im->slots[h] - 1];
    if (im->n_props == im->cap_props) {
        im->cap_props = im->cap_props ? im->cap_props * 2 : 16;
        im->props = gvt_xrealloc(im->props, im->cap_props * sizeof *im->props);
    }
    imp_prop *p = &im->props[im->n_props];
    memset(p, 0, sizeof *p);
    p->id = gvt_xstrdup(id);
    p->space = gvt_xstrdup(space);
    utf8_sanitize(p->id);
    utf8_sanitize(p->space);
    gvt_buf_init(&p->votes);
    im->slots[h] = ++im->n_props;
    return p;
}

void im_prop_free(imp_prop *p)
{
    free(p->id);
    free(p->space);
    free(p->choices_json);
    free(p->rule_json);
    gvt_buf_free(&p->votes);
    for (uint32_t i = 0; i < p->n_labels; i++)
        free(p->labels[i]);
    free(p->labels);
}

static void prop_label(imp_prop *p, uint32_t choice, const char *label)
{
    if (choice == 0 || !label[0])
        return;
    if (choice > p->n_labels) {
        p->labels = gvt_xrealloc(p->labels, choice * sizeof *p->labels);
        for (uint32_t i = p->n_labels; i < choice; i++)
            p->labels[i] = NULL;
        p->n_labels = choice;
    }
    if (!p->labels[choice - 1]) {
        p->labels[choice - 1] = gvt_xstrdup(label);
        utf8_sanitize(p->labels[choice - 1]);
    }
}

/* ---- field decoding ------------------------------------------------------ */

static const char *field(importer *im, int role)
{
    int c = im->col[role];
    if (c < 0 || (size_t)c >= im->n_fields)
        return "";
    return im->fields[c];
}

/* Voter: 0x + 40 (EVM) or 64 (Starknet) hex digits, written lower-case. */
static bool voter_text(importer *im, char *out)
{
    const char *s = field(im, COL_VOTER);
    if (!gvt_address_lower(s, strlen(s), out)) {
        im_row_error(im, im->col[COL_VOTER],
                     "'%.80s' is not an address (0x and 40 or 64 hex digits)",
                     s);
        return false;
    }
    return true;
}

/* A decimal voting power (snapshot-csv, csv) into the canonical exact text. */
static bool vp_decimal(importer *im, const char *s, int colno, gvt_buf *b)
{
    gvt_fx_status fs = gvt_fx_parse(im->tmp, s, strlen(s), false);
    if (fs != GVT_FX_OK) {
        im_row_error(im, colno, "voting power '%.60s': %s", s,
                     gvt_fx_status_text(fs));
        return false;
    }
    gvt_fx_append(b, im->tmp, GVT_FX_DIGITS);
    return true;
}

/*
 * A raw token amount (an integer in the token's smallest unit) divided by
 * 10^decimals by moving the decimal point in its text: exact, no arithmetic.
 */
static bool vp_raw(importer *im, const char *s, int colno, gvt_buf *b)
{
    char num[128];
    /* With no decimals to shift, weights are token amounts and may have a
     * fraction, as tables that already divided them (Dune's spellbook)
     * write them. */
    if (im->decimals == 0 && !gvt_int_text(s, num, sizeof num))
        return vp_decimal(im, s, colno, b);
    if (!gvt_int_text(s, num, sizeof num)) {
        im_row_error(im, colno,
                     "weight '%.60s' is not a whole number of base "
                     "units",
                     s);
        return false;
    }
    size_t n = strlen(num), k = (size_t)im->decimals;
    if (n > 90) {
        im_row_error(im, colno, "weight '%.60s' has too many digits", s);
        return false;
    }
    char out[256];
    size_t o = 0;
    if (n > k) {
        memcpy(out, num, n - k);
        o = n - k;
    } else {
        out[o++] = '0';
    }
    /* fraction digits: the last k of num, left-padded with zeros */
    char frac[128];
    size_t f = 0;
    for (size_t i = 0; i < k; i++) {
        size_t from_end = k - i; /* position counted from the right */
        frac[f++] = from_end <= n ? num[n - from_end] : '0';
    }
    while (f && frac[f - 1] == '0')
        f--;
    if (f) {
        out[o++] = '.';
        memcpy(out + o, frac, f);
        o += f;
    }
    /* within the reader's bounds (docs/numbers.md), or the export written
     * would be refused when read (found by fuzz_import) */
    gvt_fx_status fs = gvt_fx_parse(im->tmp, out, o, false);
    if (fs != GVT_FX_OK) {
        im_row_error(im, colno, "weight '%.60s' / 10^%zu: %s", s, k,
                     gvt_fx_status_text(fs));
        return false;
    }
    gvt_buf_add(b, out, o);
    return true;
}

/* Writes a parsed JSON value back as compact JSON: numbers keep their text
 * (the reader converts them exactly), strings are re-escaped. */
static void json_write(gvt_buf *b, yajl_val v)
{
    if (YAJL_IS_NUMBER(v)) {
        gvt_buf_puts(b, v->u.number.r);
    } else if (YAJL_IS_STRING(v)) {
        char *t = gvt_xstrdup(v->u.string);
        utf8_sanitize(t);
        gvt_buf_json_string(b, t);
        free(t);
    } else if (YAJL_IS_ARRAY(v)) {
        gvt_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.array.len; i++) {
            if (i)
                gvt_buf_putc(b, ',');
            json_write(b, v->u.array.values[i]);
        }
        gvt_buf_putc(b, ']');
    } else if (YAJL_IS_OBJECT(v)) {
        gvt_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.object.len; i++) {
            char *k = gvt_xstrdup(v->u.object.keys[i]);
            utf8_sanitize(k);
            if (i)
                gvt_buf_putc(b, ',');
            gvt_buf_json_string(b, k);
            gvt_buf_putc(b, ':');
            json_write(b, v->u.object.values[i]);
            free(k);
        }
        gvt_buf_putc(b, '}');
    } else {
        gvt_buf_puts(b, YAJL_IS_TRUE(v)    ? "true"
                        : YAJL_IS_FALSE(v) ? "false"
                                           : "null");
    }
}

/* A choice number as a cell or key holds it: 1..MAX_CHOICE, else 0. */
static uint32_t choice_number(const char *s)
{
    char num[16];
    if (!gvt_int_text(s, num, sizeof num) || strlen(num) > 4)
        return 0;
    unsigned long v = strtoul(num, NULL, 10);
    return v <= MAX_CHOICE ? (uint32_t)v : 0;
}

/*
 * JSON as pandas writes Python lists and dicts: when the text has no double
 * quote, its single quotes are taken for double ones. NULL when the text is
 * not JSON.
 */
static yajl_val py_json_parse(const char *s)
{
    char *text = gvt_xstrdup(s);
    if (!strchr(text, '"'))
        for (char *q = text; *q; q++)
            if (*q == '\'')
                *q = '"';
    char ebuf[128];
    yajl_val v = yajl_tree_parse(text, ebuf, sizeof ebuf);
    free(text);
    return v;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * True with the key in `key` when an object in v has two keys that
 * json_write writes alike (after utf8_sanitize): the reader refuses a
 * duplicate key anywhere in an export (found by fuzz_import). Sorted, not
 * compared pairwise: a cell may hold a million keys.
 */
static bool repeated_key(yajl_val v, char *key, size_t size)
{
    if (YAJL_IS_ARRAY(v)) {
        for (size_t i = 0; i < v->u.array.len; i++)
            if (repeated_key(v->u.array.values[i], key, size))
                return true;
        return false;
    }
    if (!YAJL_IS_OBJECT(v))
        return false;
    size_t n = v->u.object.len;
    char **k = gvt_xmalloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        k[i] = gvt_xstrdup(v->u.object.keys[i]);
        utf8_sanitize(k[i]);
    }
    qsort(k, n, sizeof *k, key_cmp);
    bool found = false;
    for (size_t i = 1; i < n && !found; i++)
        if (strcmp(k[i - 1], k[i]) == 0) {
            snprintf(key, size, "%s", k[i]);
            found = true;
        }
    for (size_t i = 0; i < n; i++)
        free(k[i]);
    free(k);
    for (size_t i = 0; i < n && !found; i++)
        found = repeated_key(v->u.object.values[i], key, size);
    return found;
}

/*
 * The weights of a choice object (its members' values) within the reader's
 * bounds (docs/numbers.md): a positive weight it cannot represent, such as
 * 1E3333, makes it refuse the export (a negative one makes the choice
 * invalid, which it counts). False after reporting the row error (found by
 * fuzz_import).
 */
static bool weights_readable(importer *im, yajl_val v, const char *cell,
                             int colno)
{
    for (size_t i = 0; YAJL_IS_OBJECT(v) && i < v->u.object.len; i++) {
        yajl_val w = v->u.object.values[i];
        if (!YAJL_IS_NUMBER(w) || w->u.number.r[0] == '-')
            continue;
        const char *t = w->u.number.r;
        gvt_fx_status fs = gvt_fx_parse(im->tmp, t, strlen(t), true);
        if (fs != GVT_FX_OK) {
            im_row_error(im, colno, "choice '%.60s': weight '%.40s': %s", cell,
                         t, gvt_fx_status_text(fs));
            return false;
        }
    }
    return true;
}

/*
 * A choice cell of the csv kind: an integer, or JSON text (an array or an
 * object), Python-style single quotes accepted. Whether the choice is valid
 * for the proposal's type is the reader's judgement
 * (docs/formats.md#proposal-export: counted as invalid-choice, not an error),
 * so any integer or array/object passes; only text that is neither, or an
 * object with a repeated key or a weight past the reader's bounds (either
 * makes the whole export unreadable), is a data error. Choice numbers
 * in 1..MAX_CHOICE (values, array elements, object keys) extend the proposal's
 * choices.
 */
static bool choice_json(importer *im, imp_prop *p, const char *s, int colno,
                        gvt_buf *b, uint32_t *out_int)
{
    char num[32];
    *out_int = 0;
    if (gvt_int_text(s, num, sizeof num)) {
        uint32_t c = choice_number(num);
        gvt_buf_puts(b, num);
        p->saw_int = true;
        if (c > p->max_choice)
            p->max_choice = c;
        *out_int = c;
        return true;
    }
    /* bound the nesting before handing the text to a recursive parser */
    int depth = 0, max_depth = 0;
    for (const char *q = s; *q; q++) {
        depth += *q == '[' || *q == '{';
        depth -= *q == ']' || *q == '}';
        if (depth > max_depth)
            max_depth = depth;
    }
    yajl_val v = NULL;
    if ((s[0] == '[' || s[0] == '{') && max_depth <= 4)
        v = py_json_parse(s);
    if (!v || !(YAJL_IS_ARRAY(v) || YAJL_IS_OBJECT(v))) {
        yajl_tree_free(v);
        im_row_error(im, colno,
                     "choice '%.60s' is neither an integer nor a JSON array or "
                     "object",
                     s);
        return false;
    }
    char key[48];
    if (repeated_key(v, key, sizeof key)) {
        yajl_tree_free(v);
        im_row_error(im, colno, "choice '%.60s' repeats the key \"%s\"", s,
                     key);
        return false;
    }
    if (!weights_readable(im, v, s, colno)) {
        yajl_tree_free(v);
        return false;
    }
    if (YAJL_IS_ARRAY(v)) {
        p->saw_array = true;
        for (size_t i = 0; i < v->u.array.len; i++) {
            yajl_val e = v->u.array.values[i];
            uint32_t c = YAJL_IS_INTEGER(e) && e->u.number.i > 0 &&
                                 e->u.number.i <= MAX_CHOICE
                             ? (uint32_t)e->u.number.i
                             : 0;
            if (c > p->max_choice)
                p->max_choice = c;
        }
    } else {
        p->saw_object = true;
        for (size_t i = 0; i < v->u.object.len; i++) {
            uint32_t c = choice_number(v->u.object.keys[i]);
            if (c > p->max_choice)
                p->max_choice = c;
        }
    }
    json_write(b, v);
    yajl_tree_free(v);
    return true;
}

/* ---- per-kind row handling ----------------------------------------------- */

/* Appends one vote of docs/formats.md#proposal-export to p's list (choice and
 * vp are JSON text) and counts it. */
static void vote_add(importer *im, imp_prop *p, const char *voter,
                     const char *id, bool have_created, int64_t created,
                     const char *choice, const char *vp)
{
    if (im->pass == 1) { /* counted, kept in pass 2 */
        p->n_votes++;
        p->last_line = im->rec_line;
        im->st->imported++;
        return;
    }
    if (im->pass == 2 && im->rec_line == p->last_line)
        p->complete = true;
    gvt_buf *b = &p->votes;
    gvt_buf_puts(b, p->n_votes ? ",{" : "{");
    if (id && id[0]) {
        char *clean = gvt_xstrdup(id);
        utf8_sanitize(clean);
        gvt_buf_puts(b, "\"id\":");
        gvt_buf_json_string(b, clean);
        gvt_buf_putc(b, ',');
        free(clean);
    }
    gvt_buf_printf(b, "\"voter\":\"%s\"", voter);
    if (have_created)
        gvt_buf_printf(b, ",\"created\":%" PRId64, created);
    gvt_buf_printf(b, ",\"choice\":%s,\"vp\":%s}", choice, vp);
    p->n_votes++;
    im->st->imported++;
}

/*
 * The proposal id of a row: its proposal column, or `absent` when the file
 * has none, with integers written canonically ("43.0" is "43") into pid;
 * false after reporting an empty id.
 */
static bool proposal_id(importer *im, const char *absent, char *pid,
                        size_t size)
{
    const char *ptext =
        im->col[COL_PROPOSAL] >= 0 ? field(im, COL_PROPOSAL) : absent;
    if (!ptext[0]) {
        im_row_error(im, im->col[COL_PROPOSAL], "empty proposal id");
        return false;
    }
    if (!gvt_int_text(ptext, pid, size))
        snprintf(pid, size, "%s", ptext);
    return true;
}

static bool created_of(importer *im, bool *have, int64_t *created)
{
    *have = false;
    const char *s = field(im, COL_CREATED);
    if (im->col[COL_CREATED] < 0 || !s[0])
        return true;
    if (!gvt_time_text(s, created)) {
        im_row_error(im, im->col[COL_CREATED],
                     "'%.60s' is neither ISO 8601 nor unix seconds", s);
        return false;
    }
    /* the reader refuses a time before 1970 (found by fuzz_import) */
    if (*created < 0) {
        im_row_error(im, im->col[COL_CREATED], "'%.60s' is before 1970", s);
        return false;
    }
    *have = true;
    return true;
}

void im_row_governor(importer *im)
{
    if (im->col[COL_EVENT] >= 0) {
        const char *ev = field(im, COL_EVENT);
        if (strcmp(ev, "VoteCast") != 0 && strcmp(ev, "VoteEmitted") != 0 &&
            strcmp(ev, "CastVote") != 0) {
            im_skip_row(im, ev[0] ? ev : "(no event name)");
            return;
        }
    }
    char voter[80], pid[128];
    if (!voter_text(im, voter))
        return;
    if (!proposal_id(im, "", pid, sizeof pid))
        return;
    const char *sup = field(im, COL_CHOICE);
    char sn[8];
    int choice;
    if (im_ieq(sup, "true") || im_ieq(sup, "for"))
        choice = 1;
    else if (im_ieq(sup, "false") || im_ieq(sup, "against"))
        choice = 2;
    else if (im_ieq(sup, "abstain"))
        choice = 3;
    else if (gvt_int_text(sup, sn, sizeof sn) && strlen(sn) == 1 &&
             sn[0] <= '2')
        choice = sn[0] == '1' ? 1 : sn[0] == '0' ? 2 : 3;
    else {
        im_row_error(im, im->col[COL_CHOICE],
                     "support '%.40s' is none of 0, 1, 2, True, False, For, "
                     "Against, Abstain",
                     sup);
        return;
    }
    bool have_created;
    int64_t created;
    if (!created_of(im, &have_created, &created))
        return;
    char id[200] = "";
    if (im->col[COL_TXHASH] >= 0 && field(im, COL_TXHASH)[0]) {
        char li[32] = "";
        if (!gvt_int_text(field(im, COL_LOGINDEX), li, sizeof li))
            snprintf(li, sizeof li, "%s", field(im, COL_LOGINDEX));
        snprintf(id, sizeof id, "%.120s%s%.30s", field(im, COL_TXHASH),
                 li[0] ? ":" : "", li);
    }
    gvt_buf vp;
    gvt_buf_init(&vp);
    if (!vp_raw(im, field(im, COL_VP), im->col[COL_VP], &vp)) {
        gvt_buf_free(&vp);
        return;
    }
    imp_prop *p = prop_get(im, pid, im->default_id);
    char ctext[2] = {(char)('0' + choice), '\0'};
    vote_add(im, p, voter, id, have_created, created, ctext, vp.data);
    gvt_buf_free(&vp);
    p->max_choice = 3;
}

void im_row_snapshot(importer *im)
{
    char voter[80];
    if (!voter_text(im, voter))
        return;
    bool have_created;
    int64_t created;
    if (!created_of(im, &have_created, &created))
        return;
    imp_prop *p = prop_get(im, im->default_id, "");
    gvt_buf c;
    gvt_buf_init(&c);
    bool ok = true;
    if (im->n_multi == 0) {
        uint32_t v;
        ok = choice_json(im, p, field(im, COL_CHOICE), im->col[COL_CHOICE], &c,
                         &v);
    } else {
        /* choice.i holds the weight given to choice i (empty = none) */
        gvt_buf_putc(&c, '{');
        bool first = true;
        for (uint32_t i = 0; ok && i < im->n_multi; i++) {
            int colno = im->multi[i];
            const char *s =
                (size_t)colno < im->n_fields ? im->fields[colno] : "";
            if (!s[0])
                continue;
            gvt_buf_printf(&c, "%s\"%u\":", first ? "" : ",", i + 1);
            ok = vp_decimal(im, s, colno, &c);
            first = false;
        }
        gvt_buf_putc(&c, '}');
        p->max_choice = im->n_multi;
        p->saw_object = true;
    }
    gvt_buf vp;
    gvt_buf_init(&vp);
    if (ok)
        ok = vp_decimal(im, field(im, COL_VP), im->col[COL_VP], &vp);
    if (ok) {
        vote_add(im, p, voter, field(im, COL_ID), have_created, created, c.data,
                 vp.data);
    }
    gvt_buf_free(&c);
    gvt_buf_free(&vp);
}

void im_row_mapped(importer *im)
{
    char voter[80], pid[256];
    if (!voter_text(im, voter))
        return;
    if (!proposal_id(im, im->default_id, pid, sizeof pid))
        return;
    bool have_created;
    int64_t created;
    if (!created_of(im, &have_created, &created))
        return;
    const char *cell = field(im, COL_CHOICE);
    if (!cell[0]) {
        im_row_error(im, im->col[COL_CHOICE], "empty choice");
        return;
    }
    imp_prop *p =
        prop_get(im, pid, im->col[COL_SPACE] >= 0 ? field(im, COL_SPACE) : "");
    /* Every label names its choice, whether voted for or not. */
    for (uint32_t i = 0; i < im->n_choice_labels; i++)
        prop_label(p, i + 1, im->choice_labels[i]);
    if (im->n_choice_labels > p->max_choice)
        p->max_choice = im->n_choice_labels;
    char num[32];
    if (im->n_choice_labels && cell[0] != '[' && cell[0] != '{' &&
        !gvt_int_text(cell, num, sizeof num)) {
        uint32_t k = 0;
        for (uint32_t i = 0; i < im->n_choice_labels && !k; i++)
            if (im_ieq(cell, im->choice_labels[i]))
                k = i + 1;
        if (!k) {
            im_row_error(im, im->col[COL_CHOICE],
                         "choice '%.60s' is none of the choice labels", cell);
            return;
        }
        snprintf(num, sizeof num, "%u", k);
        cell = num;
    }
    gvt_buf c, vp;
    gvt_buf_init(&c);
    gvt_buf_init(&vp);
    uint32_t as_int;
    if (choice_json(im, p, cell, im->col[COL_CHOICE], &c, &as_int) &&
        vp_decimal(im, field(im, COL_VP), im->col[COL_VP], &vp)) {
        if (as_int && im->col[COL_LABEL] >= 0)
            prop_label(p, as_int, field(im, COL_LABEL));
        vote_add(im, p, voter, field(im, COL_ID), have_created, created, c.data,
                 vp.data);
    }
    gvt_buf_free(&c);
    gvt_buf_free(&vp);
}

bool im_type_from_name(const char *s, gvt_type *out);

/* A choice list of the proposal table: a JSON array of strings (Python
 * quotes accepted), re-written canonically. NULL when it is not one. */
static char *choices_text(const char *s)
{
    yajl_val v = py_json_parse(s);
    if (!v || !YAJL_IS_ARRAY(v) || v->u.array.len > MAX_CHOICE) {
        yajl_tree_free(v);
        return NULL;
    }
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_putc(&b, '[');
    for (size_t i = 0; i < v->u.array.len; i++) {
        yajl_val e = v->u.array.values[i];
        if (!YAJL_IS_STRING(e)) {
            yajl_tree_free(v);
            gvt_buf_free(&b);
            return NULL;
        }
        char *label = gvt_xstrdup(e->u.string);
        utf8_sanitize(label);
        if (i)
            gvt_buf_putc(&b, ',');
        gvt_buf_json_string(&b, label);
        free(label);
    }
    gvt_buf_putc(&b, ']');
    yajl_tree_free(v);
    return b.data;
}

/*
 * The decision rule's cells of a proposal-table row (docs/outcomes.md) as
 * the export's members: ,"rule":"...","quorum":N,"quorumType":"...",
 * "quorum_share":N,"support":N,"supply":N for the cells that are not empty
 * ("" when none). Amounts and shares are written back in their exact
 * canonical decimal form. NULL after a row error.
 */
static char *rule_members(importer *im)
{
    static const struct {
        int col;
        const char *key;
        bool share;
    } nums[] = {{COL_QUORUM, "quorum", false},
                {COL_QUORUM_SHARE, "quorum_share", true},
                {COL_SUPPORT, "support", true},
                {COL_SUPPLY, "supply", false}};
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "");
    const char *rule = field(im, COL_RULE);
    if (im->col[COL_RULE] >= 0 && rule[0]) {
        if (gvt_rule_from_name(rule) < 0) {
            im_row_error(im, im->col[COL_RULE],
                         "rule '%.40s' is not snapshot, openzeppelin, "
                         "compound, aragon or unknown",
                         rule);
            gvt_buf_free(&b);
            return NULL;
        }
        gvt_buf_printf(&b, ",\"rule\":\"%s\"", rule);
    }
    const char *qt = field(im, COL_QUORUM_TYPE);
    if (im->col[COL_QUORUM_TYPE] >= 0 && qt[0]) {
        if (strcmp(qt, "default") != 0 && strcmp(qt, "rejection") != 0) {
            im_row_error(im, im->col[COL_QUORUM_TYPE],
                         "quorum type '%.40s' is not default or rejection", qt);
            gvt_buf_free(&b);
            return NULL;
        }
        gvt_buf_printf(&b, ",\"quorumType\":\"%s\"", qt);
    }
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        const char *v = field(im, nums[k].col);
        if (im->col[nums[k].col] < 0 || !v[0])
            continue;
        gvt_fx_status st = gvt_fx_parse(im->tmp, v, strlen(v), false);
        if (st == GVT_FX_OK && nums[k].share &&
            mpz_cmp(im->tmp, *gvt_fx_one()) > 0)
            st = GVT_FX_TOO_LARGE;
        if (st != GVT_FX_OK) {
            im_row_error(im, im->col[nums[k].col], "%s '%.40s': %s",
                         nums[k].key, v,
                         st == GVT_FX_TOO_LARGE && nums[k].share
                             ? "a share above 1"
                             : gvt_fx_status_text(st));
            gvt_buf_free(&b);
            return NULL;
        }
        gvt_buf_printf(&b, ",\"%s\":", nums[k].key);
        gvt_fx_append(&b, im->tmp, GVT_FX_DIGITS);
    }
    return b.data ? b.data : gvt_xstrdup("");
}

/* A row of the proposal table (--proposals): the first row of an id wins,
 * later ones are skipped as "repeated proposal". */
void im_row_table(importer *im)
{
    char pid[256];
    if (!proposal_id(im, "", pid, sizeof pid))
        return;
    if (prop_find(im, pid)) {
        im_skip_row(im, "repeated proposal");
        return;
    }
    gvt_type t;
    const char *ts = field(im, COL_TYPE);
    if (!im_type_from_name(ts, &t)) {
        im_row_error(im, im->col[COL_TYPE],
                     "type '%.40s' is not a Snapshot type", ts);
        return;
    }
    char *choices = NULL;
    const char *cs = field(im, COL_CHOICE);
    if (im->col[COL_CHOICE] >= 0 && cs[0] && !(choices = choices_text(cs))) {
        im_row_error(im, im->col[COL_CHOICE],
                     "choices '%.60s' are not a JSON array of strings", cs);
        return;
    }
    char *rule = rule_members(im);
    if (!rule) {
        free(choices);
        return;
    }
    imp_prop *p = prop_get(im, pid, field(im, COL_SPACE));
    p->has_type = true;
    p->type = t;
    p->choices_json = choices;
    p->rule_json = rule[0] ? rule : NULL;
    if (!rule[0])
        free(rule);
    im->st->imported++;
}

/* ---- writing ------------------------------------------------------------- */

/*
 * The decision rule of Governor events, known by the weight column the
 * events carry (docs/outcomes.md): votes (GovernorAlpha and GovernorBravo's
 * VoteCast) is Compound's rule, weight (OpenZeppelin Governor's VoteCast)
 * OpenZeppelin's, stake (Aragon's CastVote) Aragon's;
 * votingPower (Aave's VoteEmitted) is a rule govtally does not implement.
 * Their quorums and supplies are not in the events.
 */
static const char *governor_rule(const importer *im)
{
    const char *w = im->header[im->col[COL_VP]];
    if (im_ieq(w, "votes"))
        return gvt_rule_name(GVT_RULE_COMPOUND);
    if (im_ieq(w, "weight"))
        return gvt_rule_name(GVT_RULE_OPENZEPPELIN);
    if (im_ieq(w, "stake"))
        return gvt_rule_name(GVT_RULE_ARAGON);
    return gvt_rule_name(GVT_RULE_UNKNOWN);
}

void im_write_prop(importer *im, imp_prop *p, gvt_buf *b)
{
    gvt_type type = im->type;
    const imp_prop *meta = prop_find(im->table, p->id);
    if (im->opt->kind == GVT_IMPORT_GOVERNOR_CSV)
        type = GVT_TYPE_BASIC;
    else if (meta)
        type = meta->type;
    else if (im->type_auto)
        type = p->saw_object  ? GVT_TYPE_WEIGHTED
               : p->saw_array ? GVT_TYPE_APPROVAL
                              : GVT_TYPE_SINGLE_CHOICE;
    gvt_buf_puts(b, "{\"proposal\":{\"id\":");
    gvt_buf_json_string(b, p->id);
    gvt_buf_puts(b, ",\"space\":");
    gvt_buf_json_string(b, meta && meta->space[0] ? meta->space : p->space);
    gvt_buf_printf(b, ",\"type\":\"%s\",\"choices\":[", gvt_type_name(type));
    uint32_t n = p->max_choice;
    if (meta && meta->choices_json) {
        gvt_buf_puts(b, meta->choices_json + 1); /* after its '[' */
        b->len--;                                /* and without its ']' */
        b->data[b->len] = '\0';
    } else if (type == GVT_TYPE_BASIC && n <= 3 && p->n_labels == 0) {
        gvt_buf_puts(b, "\"For\",\"Against\",\"Abstain\"");
    } else {
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                gvt_buf_putc(b, ',');
            if (i < p->n_labels && p->labels[i])
                gvt_buf_json_string(b, p->labels[i]);
            else
                gvt_buf_printf(b, "\"%u\"", i + 1);
        }
    }
    gvt_buf_putc(b, ']');
    if (meta && meta->rule_json)
        gvt_buf_puts(b, meta->rule_json);
    else if (im->opt->kind == GVT_IMPORT_GOVERNOR_CSV)
        gvt_buf_printf(b, ",\"rule\":\"%s\"", governor_rule(im));
    gvt_buf_puts(b, "},\"votes\":[");
    gvt_buf_add(b, p->votes.data ? p->votes.data : "", p->votes.len);
    gvt_buf_puts(b, "]}\n");
}
