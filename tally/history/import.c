/*
 * import.c: CSV vote tables into exports of the JSON shape of SPEC 1.1
 * (SPEC 1.2). Three kinds: Snapshot's "download report" CSV, on-chain
 * Governor/Aave/Aragon vote events, and any per-vote table described by a
 * column map. One export per distinct proposal id, in order of first
 * appearance; every row is imported or skipped under a counted reason.
 *
 * Parsing is libcsv in strict mode (CSV_STRICT | CSV_STRICT_FINI): RFC 4180
 * quoting, where a quote inside an unquoted field or text after a closing
 * quote is a data error rather than something guessed at. The input is fed
 * to libcsv one physical line at a time so that every record knows the line
 * it starts on; errors name that line, the field number as column and the
 * column's header name. See docs/replay.md for the decisions taken here.
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

#include "history/history.h"

/* Column roles. Not every kind uses every role. */
enum {
    COL_VOTER,
    COL_PROPOSAL,
    COL_CHOICE,
    COL_VP,
    COL_CREATED,
    COL_ID,
    COL_LABEL,
    COL_SPACE,
    COL_EVENT,
    COL_TXHASH,
    COL_LOGINDEX,
    COL_TYPE,
    COL_COUNT
};

static const char *const role_names[COL_COUNT] = {
    "voter", "proposal", "choice", "vp",     "created",   "id",
    "label", "space",    "event",  "txhash", "log_index", "type"};

#define MAX_MULTI 256   /* choice.1..choice.N columns of snapshot-csv */
#define MAX_FIELDS 4096 /* fields per record */
#define MAX_CHOICE GVT_MAX_CHOICES /* greatest choice number accepted */

typedef struct imp_prop {
    char *id;
    char *space;
    gvt_buf votes; /* ",{...}" per vote */
    size_t n_votes;
    uint32_t max_choice;
    char **labels; /* [max_choice], NULL entries unknown */
    uint32_t n_labels;
    bool saw_int, saw_array, saw_object; /* for --type auto */
    /* from the proposal table (--proposals) */
    bool has_type;
    gvt_type type;
    char *choices_json; /* canonical JSON array, or NULL */
} imp_prop;

typedef struct importer {
    const char *path;
    const gvt_import_options *opt;
    bool is_table;          /* reading the proposal table */
    struct importer *table; /* the proposal table, or NULL */
    gvt_import_stats *st;
    gvt_error *err;
    gvt_status status;
    int decimals;
    bool type_auto;
    gvt_type type;

    /* current record */
    char **fields;
    size_t n_fields, cap_fields;
    long line;     /* line being fed */
    long rec_line; /* line the current record started on */
    bool at_boundary;

    /* header */
    bool have_header;
    char **header;
    size_t n_header;
    int col[COL_COUNT];
    int multi[MAX_MULTI]; /* snapshot-csv choice.i columns, -1 absent */
    uint32_t n_multi;
    const char *map_cols[COL_COUNT];

    /* proposals, hash index over their ids */
    imp_prop *props;
    size_t n_props, cap_props;
    size_t *slots; /* 1 + index, 0 empty */
    size_t n_slots;

    mpz_t tmp;
    char default_id[256];
} importer;

/* ---- small text helpers -------------------------------------------------- */

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* Trims ASCII blanks on both sides in place; returns the new length. */
static size_t trim(char **s, size_t len)
{
    char *p = *s;
    while (len && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r'))
        p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
                   p[len - 1] == '\r' || p[len - 1] == '\n'))
        len--;
    p[len] = '\0';
    *s = p;
    return len;
}

/*
 * An integer written as digits, optionally followed by a point and zeros
 * ("43.0" is 43: pandas writes integer columns that held a gap as floats).
 * Writes the digits without leading zeros to out (size cap); false when the
 * text is anything else.
 */
static bool int_text(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    if (n == 0)
        return false;
    const char *rest = s + n;
    if (*rest == '.') {
        rest++;
        while (*rest == '0')
            rest++;
    }
    if (*rest)
        return false;
    size_t z = 0;
    while (z + 1 < n && s[z] == '0')
        z++;
    if (n - z + 1 > cap)
        return false;
    memcpy(out, s + z, n - z);
    out[n - z] = '\0';
    return true;
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

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-from-days inverse, written from the published formula). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/*
 * A date as unix seconds: either an integer (unix seconds, "43.0" form
 * allowed) or ISO 8601 "YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][Z|+hh:mm|-hh:mm]"
 * where a missing zone is UTC. Fractions of a second are dropped.
 */
static bool parse_date(const char *s, int64_t *out)
{
    char num[32];
    if (int_text(s, num, sizeof num)) {
        if (strlen(num) > 15)
            return false;
        *out = strtoll(num, NULL, 10);
        return true;
    }
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
        *s++ != '-' || !digits(&s, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
            return false;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec))
                return false;
            if (*s == '.') {
                s++;
                if (!isdigit((unsigned char)*s))
                    return false;
                while (isdigit((unsigned char)*s))
                    s++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
    }
    int64_t zone = 0;
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, zh, zm;
        if (!digits(&s, 2, &zh))
            return false;
        if (*s == ':')
            s++;
        if (!digits(&s, 2, &zm) || zh > 23 || zm > 59)
            return false;
        zone = sign * (zh * 3600 + zm * 60);
    }
    if (*s)
        return false;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + sec - zone;
    return true;
}

/* ---- errors -------------------------------------------------------------- */

static void row_error(importer *im, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A data error at the current record: line, column = field number, and the
 * column's header name in the message. */
static void row_error(importer *im, int field, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field >= 0 && (size_t)field < im->n_header)
        gvt_error_set(im->err, GVT_ERR_DATA, im->path, "column '%.60s': %s",
                      im->header[field], msg);
    else
        gvt_error_set(im->err, GVT_ERR_DATA, im->path, "%s", msg);
    if (im->err) {
        im->err->line = im->rec_line;
        im->err->column = field >= 0 ? field + 1 : -1;
    }
    im->status = GVT_ERR_DATA;
}

static void skip_row(importer *im, const char *reason)
{
    gvt_import_stats *st = im->st;
    size_t cap = sizeof st->skipped / sizeof st->skipped[0];
    for (size_t i = 0; i < st->n_skipped; i++)
        if (strcmp(st->skipped[i].reason, reason) == 0) {
            st->skipped[i].rows++;
            return;
        }
    /* The last entry is kept for "other" once the table is full. */
    size_t i = st->n_skipped;
    if (i < cap - 1) {
        st->n_skipped++;
        snprintf(st->skipped[i].reason, sizeof st->skipped[i].reason, "%s",
                 reason);
    } else {
        i = cap - 1;
        if (st->n_skipped < cap) {
            st->n_skipped = cap;
            snprintf(st->skipped[i].reason, sizeof st->skipped[i].reason,
                     "other");
        }
    }
    st->skipped[i].rows++;
}

/* ---- proposals ----------------------------------------------------------- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
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

static void prop_free(imp_prop *p)
{
    free(p->id);
    free(p->space);
    free(p->choices_json);
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
        row_error(im, im->col[COL_VOTER],
                  "'%.80s' is not an address (0x and 40 or 64 hex digits)", s);
        return false;
    }
    return true;
}

/* A decimal voting power (snapshot-csv, csv) into the canonical exact text. */
static bool vp_decimal(importer *im, const char *s, int colno, gvt_buf *b)
{
    gvt_fx_status fs = gvt_fx_parse(im->tmp, s, strlen(s), false);
    if (fs != GVT_FX_OK) {
        row_error(im, colno, "voting power '%.60s': %s", s,
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
    if (!int_text(s, num, sizeof num)) {
        row_error(im, colno,
                  "weight '%.60s' is not a whole number of base "
                  "units",
                  s);
        return false;
    }
    size_t n = strlen(num), k = (size_t)im->decimals;
    if (n > 90) {
        row_error(im, colno, "weight '%.60s' has too many digits", s);
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
    if (!int_text(s, num, sizeof num) || strlen(num) > 4)
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

/*
 * A choice cell of the csv kind: an integer, or JSON text (an array or an
 * object), Python-style single quotes accepted. Whether the choice is valid
 * for the proposal's type is the reader's judgement (SPEC 1.1: counted as
 * invalid-choice, not an error), so any integer or array/object passes; only
 * text that is neither is a data error. Choice numbers in 1..MAX_CHOICE
 * (values, array elements, object keys) extend the proposal's choices.
 */
static bool choice_json(importer *im, imp_prop *p, const char *s, int colno,
                        gvt_buf *b, uint32_t *out_int)
{
    char num[32];
    *out_int = 0;
    if (int_text(s, num, sizeof num)) {
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
        row_error(im, colno,
                  "choice '%.60s' is neither an integer nor a JSON array or "
                  "object",
                  s);
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

/* Appends one vote of SPEC 1.1 to p's list (choice and vp are JSON text)
 * and counts it. */
static void vote_add(importer *im, imp_prop *p, const char *voter,
                     const char *id, bool have_created, int64_t created,
                     const char *choice, const char *vp)
{
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
        row_error(im, im->col[COL_PROPOSAL], "empty proposal id");
        return false;
    }
    if (!int_text(ptext, pid, size))
        snprintf(pid, size, "%s", ptext);
    return true;
}

static bool created_of(importer *im, bool *have, int64_t *created)
{
    *have = false;
    const char *s = field(im, COL_CREATED);
    if (im->col[COL_CREATED] < 0 || !s[0])
        return true;
    if (!parse_date(s, created)) {
        row_error(im, im->col[COL_CREATED],
                  "'%.60s' is neither ISO 8601 nor unix seconds", s);
        return false;
    }
    *have = true;
    return true;
}

static void row_governor(importer *im)
{
    if (im->col[COL_EVENT] >= 0) {
        const char *ev = field(im, COL_EVENT);
        if (strcmp(ev, "VoteCast") != 0 && strcmp(ev, "VoteEmitted") != 0 &&
            strcmp(ev, "CastVote") != 0) {
            skip_row(im, ev[0] ? ev : "(no event name)");
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
    if (ieq(sup, "true"))
        choice = 1;
    else if (ieq(sup, "false"))
        choice = 2;
    else if (int_text(sup, sn, sizeof sn) && strlen(sn) == 1 && sn[0] <= '2')
        choice = sn[0] == '1' ? 1 : sn[0] == '0' ? 2 : 3;
    else {
        row_error(im, im->col[COL_CHOICE],
                  "support '%.40s' is none of 0, 1, 2, True, False", sup);
        return;
    }
    bool have_created;
    int64_t created;
    if (!created_of(im, &have_created, &created))
        return;
    char id[200] = "";
    if (im->col[COL_TXHASH] >= 0 && field(im, COL_TXHASH)[0]) {
        char li[32] = "";
        if (!int_text(field(im, COL_LOGINDEX), li, sizeof li))
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

static void row_snapshot(importer *im)
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

static void row_mapped(importer *im)
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
        row_error(im, im->col[COL_CHOICE], "empty choice");
        return;
    }
    imp_prop *p =
        prop_get(im, pid, im->col[COL_SPACE] >= 0 ? field(im, COL_SPACE) : "");
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

static bool type_from_name(const char *s, gvt_type *out);

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

/* A row of the proposal table (--proposals): the first row of an id wins,
 * later ones are skipped as "repeated proposal". */
static void row_table(importer *im)
{
    char pid[256];
    if (!proposal_id(im, "", pid, sizeof pid))
        return;
    if (prop_find(im, pid)) {
        skip_row(im, "repeated proposal");
        return;
    }
    gvt_type t;
    const char *ts = field(im, COL_TYPE);
    if (!type_from_name(ts, &t)) {
        row_error(im, im->col[COL_TYPE], "type '%.40s' is not a Snapshot type",
                  ts);
        return;
    }
    char *choices = NULL;
    const char *cs = field(im, COL_CHOICE);
    if (im->col[COL_CHOICE] >= 0 && cs[0] && !(choices = choices_text(cs))) {
        row_error(im, im->col[COL_CHOICE],
                  "choices '%.60s' are not a JSON array of strings", cs);
        return;
    }
    imp_prop *p = prop_get(im, pid, field(im, COL_SPACE));
    p->has_type = true;
    p->type = t;
    p->choices_json = choices;
    im->st->imported++;
}

/* ---- header -------------------------------------------------------------- */

static int find_col(importer *im, const char *name)
{
    for (size_t i = 0; i < im->n_header; i++)
        if (ieq(im->header[i], name))
            return (int)i;
    return -1;
}

/* The first of several names found, as SPEC 1.2 says for governor-csv. */
static int find_first(importer *im, const char *const *names)
{
    for (; *names; names++) {
        int c = find_col(im, *names);
        if (c >= 0)
            return c;
    }
    return -1;
}

static bool need(importer *im, int role, const char *what)
{
    if (im->col[role] >= 0)
        return true;
    gvt_error_set(im->err, GVT_ERR_DATA, im->path, "no %s column in the header",
                  what);
    if (im->err)
        im->err->line = im->rec_line;
    im->status = GVT_ERR_DATA;
    return false;
}

static void take_header(importer *im)
{
    im->n_header = im->n_fields;
    im->header = gvt_xcalloc(im->n_fields ? im->n_fields : 1, sizeof(char *));
    for (size_t i = 0; i < im->n_fields; i++)
        im->header[i] = gvt_xstrdup(im->fields[i]);
    im->have_header = true;
    if (im->is_table) {
        static const char *const prop[] = {"proposal_id", "id", "proposal",
                                           NULL};
        static const char *const type[] = {"type", NULL};
        static const char *const space[] = {"space_id", "space", NULL};
        static const char *const choices[] = {"choices", NULL};
        im->col[COL_PROPOSAL] = find_first(im, prop);
        im->col[COL_TYPE] = find_first(im, type);
        im->col[COL_SPACE] = find_first(im, space);
        im->col[COL_CHOICE] = find_first(im, choices);
        (void)(need(im, COL_PROPOSAL,
                    "proposal id (proposal_id, id, "
                    "proposal)") &&
               need(im, COL_TYPE, "type"));
        return;
    }
    switch (im->opt->kind) {
    case GVT_IMPORT_GOVERNOR_CSV: {
        static const char *const voter[] = {"voter", NULL};
        static const char *const prop[] = {"proposalId", "id", "voteId", NULL};
        static const char *const sup[] = {"support", "supports", NULL};
        static const char *const w[] = {"votes", "votingPower", "stake", NULL};
        static const char *const ts[] = {"timestamp", NULL};
        static const char *const ev[] = {"event_name", NULL};
        static const char *const tx[] = {"txhash", "transactionHash", NULL};
        static const char *const li[] = {"log_index", "logIndex", NULL};
        im->col[COL_VOTER] = find_first(im, voter);
        im->col[COL_PROPOSAL] = find_first(im, prop);
        im->col[COL_CHOICE] = find_first(im, sup);
        im->col[COL_VP] = find_first(im, w);
        im->col[COL_CREATED] = find_first(im, ts);
        im->col[COL_EVENT] = find_first(im, ev);
        im->col[COL_TXHASH] = find_first(im, tx);
        im->col[COL_LOGINDEX] = find_first(im, li);
        (void)(need(im, COL_VOTER, "voter") &&
               need(im, COL_PROPOSAL, "proposal (proposalId, id, voteId)") &&
               need(im, COL_CHOICE, "support (support, supports)") &&
               need(im, COL_VP, "weight (votes, votingPower, stake)"));
        break;
    }
    case GVT_IMPORT_SNAPSHOT_CSV: {
        im->col[COL_VOTER] = find_col(im, "address");
        im->col[COL_CHOICE] = find_col(im, "choice");
        im->col[COL_VP] = find_col(im, "voting_power");
        im->col[COL_CREATED] = find_col(im, "timestamp");
        im->col[COL_ID] = find_col(im, "author_ipfs_hash");
        if (im->col[COL_CHOICE] < 0) {
            char name[32];
            for (uint32_t i = 0; i < MAX_MULTI; i++) {
                snprintf(name, sizeof name, "choice.%u", i + 1);
                int c = find_col(im, name);
                if (c < 0)
                    break;
                im->multi[im->n_multi++] = c;
            }
            if (!im->opt->type)
                im->type = GVT_TYPE_WEIGHTED;
            if (im->n_multi == 0) {
                (void)need(im, COL_CHOICE, "choice (or choice.1..choice.N)");
                break;
            }
        }
        (void)(need(im, COL_VOTER, "address") &&
               need(im, COL_VP, "voting_power"));
        break;
    }
    case GVT_IMPORT_CSV:
        for (int r = 0; r < COL_COUNT && im->status == GVT_OK; r++) {
            if (!im->map_cols[r])
                continue;
            im->col[r] = find_col(im, im->map_cols[r]);
            if (im->col[r] < 0) {
                gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                              "--map %s=%s: no such column in the header",
                              role_names[r], im->map_cols[r]);
                if (im->err)
                    im->err->line = im->rec_line;
                im->status = GVT_ERR_DATA;
            }
        }
        break;
    }
}

/* ---- libcsv callbacks ---------------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
    importer *im = data;
    if (im->status != GVT_OK)
        return;
    if (im->n_fields == MAX_FIELDS) {
        row_error(im, -1, "more than %d fields in a record", MAX_FIELDS);
        return;
    }
    if (im->n_fields == im->cap_fields) {
        im->cap_fields = im->cap_fields ? im->cap_fields * 2 : 32;
        im->fields =
            gvt_xrealloc(im->fields, im->cap_fields * sizeof *im->fields);
    }
    char *copy = gvt_xmalloc(len + 1);
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    im->fields[im->n_fields++] = copy;
}

static void clear_fields(importer *im)
{
    for (size_t i = 0; i < im->n_fields; i++)
        free(im->fields[i]);
    im->n_fields = 0;
}

static void on_record(int c, void *data)
{
    importer *im = data;
    (void)c;
    im->at_boundary = true;
    if (im->status != GVT_OK) {
        clear_fields(im);
        return;
    }
    /* Fields are trimmed: data from spreadsheets carries stray blanks. */
    for (size_t i = 0; i < im->n_fields; i++) {
        char *f = im->fields[i];
        size_t n = trim(&f, strlen(f));
        memmove(im->fields[i], f, n + 1);
    }
    if (!im->have_header) {
        take_header(im);
    } else if (!(im->n_fields == 1 && im->fields[0][0] == '\0')) {
        im->st->rows++;
        if (im->n_fields != im->n_header)
            row_error(im, -1, "%zu fields where the header has %zu",
                      im->n_fields, im->n_header);
        else if (im->is_table)
            row_table(im);
        else if (im->opt->kind == GVT_IMPORT_GOVERNOR_CSV)
            row_governor(im);
        else if (im->opt->kind == GVT_IMPORT_SNAPSHOT_CSV)
            row_snapshot(im);
        else
            row_mapped(im);
    }
    clear_fields(im);
}

/* ---- options ------------------------------------------------------------- */

static gvt_status parse_map(importer *im, char *map)
{
    if (!map || !map[0]) {
        gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                      "csv import needs --map voter=COL,choice=COL,vp=COL");
        return GVT_ERR_USAGE;
    }
    for (char *save = NULL, *tok = strtok_r(map, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        int role = -1;
        if (eq) {
            *eq = '\0';
            char *k = tok;
            trim(&k, strlen(k));
            for (int r = 0; r < COL_COUNT; r++)
                if (strcmp(k, role_names[r]) == 0 && r <= COL_SPACE)
                    role = r;
        }
        if (role < 0 || !eq[1]) {
            gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                          "--map: '%s' is not KEY=COLUMN with KEY one of "
                          "voter, choice, vp, proposal, created, id, label, "
                          "space",
                          tok);
            return GVT_ERR_USAGE;
        }
        im->map_cols[role] = eq + 1;
    }
    if (!im->map_cols[COL_VOTER] || !im->map_cols[COL_CHOICE] ||
        !im->map_cols[COL_VP]) {
        gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                      "--map needs voter=, choice= and vp=");
        return GVT_ERR_USAGE;
    }
    return GVT_OK;
}

static bool type_from_name(const char *s, gvt_type *out)
{
    for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++)
        if (strcmp(s, gvt_type_name((gvt_type)t)) == 0) {
            *out = (gvt_type)t;
            return true;
        }
    return false;
}

/* The proposal id of a file without a proposal column: its base name without
 * ".csv" and without Snapshot's "snapshot-votes-report-"/"snapshot-report-"
 * prefix. */
static void id_from_path(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(path, "-") == 0)
        base = "stdin";
    static const char *const prefixes[] = {"snapshot-votes-report-",
                                           "snapshot-report-"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(base, prefixes[i], strlen(prefixes[i])) == 0)
            base += strlen(prefixes[i]);
    snprintf(out, cap, "%s", base);
    size_t n = strlen(out);
    if (n > 4 && ieq(out + n - 4, ".csv"))
        out[n - 4] = '\0';
}

/* ---- writing ------------------------------------------------------------- */

static void write_prop(importer *im, imp_prop *p, gvt_buf *b)
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
    gvt_buf_puts(b, "]},\"votes\":[");
    gvt_buf_add(b, p->votes.data ? p->votes.data : "", p->votes.len);
    gvt_buf_puts(b, "]}\n");
}

/* ---- driver -------------------------------------------------------------- */

static void importer_free(importer *im)
{
    clear_fields(im);
    free(im->fields);
    for (size_t i = 0; i < im->n_header; i++)
        free(im->header[i]);
    free(im->header);
    for (size_t i = 0; i < im->n_props; i++)
        prop_free(&im->props[i]);
    free(im->props);
    free(im->slots);
    mpz_clear(im->tmp);
}

static void importer_init(importer *im, const char *path,
                          const gvt_import_options *opt, gvt_import_stats *st,
                          gvt_error *err)
{
    memset(im, 0, sizeof *im);
    mpz_init(im->tmp);
    for (int r = 0; r < COL_COUNT; r++)
        im->col[r] = -1;
    im->path = path;
    im->opt = opt;
    im->st = st;
    im->err = err;
    im->decimals = opt->decimals < 0 ? 18 : opt->decimals;
    im->at_boundary = true;
    im->type = GVT_TYPE_SINGLE_CHOICE;
    id_from_path(path, im->default_id, sizeof im->default_id);
}

/* One physical line (with its newline, if any) to the CSV parser. */
static void parse_line(importer *im, struct csv_parser *cp, const char *s,
                       size_t n)
{
    if (im->line == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3; /* UTF-8 byte order mark */
        n -= 3;
    }
    im->line++;
    bool blank = n == 1 || (n == 2 && s[0] == '\r');
    if (im->at_boundary && !blank && n > 0) {
        im->rec_line = im->line;
        im->at_boundary = false;
    }
    size_t done_n = csv_parse(cp, s, n, on_field, on_record, im);
    if (done_n != n && im->status == GVT_OK) {
        gvt_error_set(im->err, GVT_ERR_DATA, im->path, "malformed CSV: %s",
                      csv_strerror(csv_error(cp)));
        if (im->err)
            im->err->line = im->line;
        im->status = GVT_ERR_DATA;
    }
}

static void limit_error(importer *im, size_t limit, const char *what)
{
    char lim[32];
    gvt_size_text(limit, lim, sizeof lim);
    gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                  "%s larger than the limit of %s (docs/limits.md)", what, lim);
    if (im->err && strcmp(what, "a line") == 0)
        im->err->line = im->line + 1;
    im->status = GVT_ERR_DATA;
}

/*
 * The lines of one chunk: whole ones straight from it, a line cut by the
 * chunk's end kept in `carry` (at most GVT_LIMIT_CSV_LINE_BYTES) until its
 * newline comes.
 */
static void parse_chunk(importer *im, struct csv_parser *cp, gvt_buf *carry,
                        const char *d, size_t n)
{
    size_t pos = 0;
    while (pos < n && im->status == GVT_OK) {
        const char *nl = memchr(d + pos, '\n', n - pos);
        size_t k = nl ? (size_t)(nl - (d + pos)) + 1 : n - pos;
        if (carry->len + k > GVT_LIMIT_CSV_LINE_BYTES) {
            limit_error(im, GVT_LIMIT_CSV_LINE_BYTES, "a line");
            return;
        }
        if (nl && carry->len == 0) {
            parse_line(im, cp, d + pos, k);
        } else {
            gvt_buf_add(carry, d + pos, k);
            if (nl) {
                parse_line(im, cp, carry->data, carry->len);
                carry->len = 0;
            }
        }
        pos += k;
    }
}

/*
 * Reads and parses im->path one physical line at a time (see the top),
 * streaming: memory holds one chunk and one line, not the file. The file
 * may hold at most GVT_LIMIT_HISTORY_BYTES, a line GVT_LIMIT_CSV_LINE_BYTES
 * (limits.h), so that an endless input (/dev/zero) stops early.
 */
static gvt_status parse_file(importer *im)
{
    bool is_stdin = strcmp(im->path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(im->path, "rb");
    if (!f) {
        gvt_error_set(im->err, GVT_ERR_NOINPUT, im->path, "cannot open: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        if (!is_stdin)
            fclose(f);
        gvt_error_set(im->err, GVT_ERR_INTERNAL, im->path, "csv_init failed");
        return GVT_ERR_INTERNAL;
    }
    enum { CHUNK = 1 << 20 };
    char *chunk = gvt_xmalloc(CHUNK);
    gvt_buf carry;
    gvt_buf_init(&carry);
    size_t total = 0;
    im->line = 0;
    while (im->status == GVT_OK) {
        size_t n = fread(chunk, 1, CHUNK, f);
        total += n;
        if (total > GVT_LIMIT_HISTORY_BYTES) {
            limit_error(im, GVT_LIMIT_HISTORY_BYTES, "the file is");
            break;
        }
        parse_chunk(im, &cp, &carry, chunk, n);
        if (n < CHUNK)
            break;
    }
    if (im->status == GVT_OK && ferror(f)) {
        gvt_error_set(im->err, GVT_ERR_NOINPUT, im->path, "cannot read");
        im->status = GVT_ERR_NOINPUT;
    }
    if (im->status == GVT_OK && carry.len)
        parse_line(im, &cp, carry.data, carry.len);
    if (!is_stdin)
        fclose(f);
    if (im->status == GVT_OK && csv_fini(&cp, on_field, on_record, im) != 0 &&
        im->status == GVT_OK) {
        gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                      "malformed CSV: %s (a quoted field is not closed)",
                      csv_strerror(csv_error(&cp)));
        if (im->err)
            im->err->line = im->rec_line;
        im->status = GVT_ERR_DATA;
    }
    csv_free(&cp);
    gvt_buf_free(&carry);
    free(chunk);
    if (im->status == GVT_OK && !im->have_header) {
        gvt_error_set(im->err, GVT_ERR_DATA, im->path, "empty file: no header");
        im->status = GVT_ERR_DATA;
    }
    return im->status;
}

/*
 * Imports path into one document per proposal (each a JSON line in docs[i],
 * malloc'd, in order of first appearance). Used by gvt_import_file and by
 * replay, which reads the documents from memory.
 */
gvt_status gvt_import_docs(const char *path, const gvt_import_options *opt,
                           gvt_buf **out_docs, size_t *out_n,
                           gvt_import_stats *out_stats, gvt_error *err)
{
    *out_docs = NULL;
    *out_n = 0;
    gvt_import_stats stats_local, table_stats;
    gvt_import_stats *st = out_stats ? out_stats : &stats_local;
    memset(st, 0, sizeof *st);
    gvt_error_clear(err);

    importer im, table;
    importer_init(&im, path, opt, st, err);
    bool have_table = false;
    gvt_status rc = GVT_OK;
    char *map = NULL;

    if (im.decimals > 36) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "--decimals %d: at most 36 are supported", im.decimals);
        rc = GVT_ERR_USAGE;
        goto done;
    }
    if (opt->type && strcmp(opt->type, "auto") == 0)
        im.type_auto = true;
    else if (opt->type && !type_from_name(opt->type, &im.type)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "--type '%s': not a Snapshot type (single-choice, "
                      "basic, approval, ranked-choice, copeland, quadratic, "
                      "weighted) nor auto",
                      opt->type);
        rc = GVT_ERR_USAGE;
        goto done;
    }
    if (opt->proposals && opt->kind != GVT_IMPORT_CSV) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "--proposals is for the csv kind only");
        rc = GVT_ERR_USAGE;
        goto done;
    }
    if (opt->kind == GVT_IMPORT_CSV) {
        map = gvt_xstrdup(opt->map ? opt->map : "");
        if ((rc = parse_map(&im, map)))
            goto done;
    }
    if (opt->proposals) {
        memset(&table_stats, 0, sizeof table_stats);
        importer_init(&table, opt->proposals, opt, &table_stats, err);
        table.is_table = true;
        have_table = true;
        if ((rc = parse_file(&table)))
            goto done;
        im.table = &table;
    }
    if ((rc = parse_file(&im)))
        goto done;
    if (im.n_props == 0) {
        gvt_error_set(err, GVT_ERR_DATA, path,
                      "no vote imported (%zu rows, all skipped)", st->rows);
        rc = GVT_ERR_DATA;
        goto done;
    }
    st->proposals = im.n_props;
    gvt_buf *docs = gvt_xcalloc(im.n_props, sizeof *docs);
    for (size_t i = 0; i < im.n_props; i++) {
        gvt_buf_init(&docs[i]);
        write_prop(&im, &im.props[i], &docs[i]);
    }
    *out_docs = docs;
    *out_n = im.n_props;
done:
    free(map);
    if (have_table)
        importer_free(&table);
    importer_free(&im);
    return rc;
}

GVT_API gvt_status gvt_import_file(const char *path,
                                   const gvt_import_options *opt, FILE *out,
                                   gvt_import_stats *out_stats, gvt_error *err)
{
    gvt_buf *docs;
    size_t n;
    gvt_status rc = gvt_import_docs(path, opt, &docs, &n, out_stats, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (rc == GVT_OK &&
            fwrite(docs[i].data, 1, docs[i].len, out) != docs[i].len) {
            gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                          "cannot write the imported exports: %s",
                          strerror(errno));
            rc = GVT_ERR_CANTCREAT;
        }
        gvt_buf_free(&docs[i]);
    }
    free(docs);
    return rc;
}
