/*
 * csv.c: the CSV layer of the import of vote tables
 * (docs/formats.md#csv-inputs) into exports of the shape of
 * docs/formats.md#proposal-export. Three kinds: Snapshot's "download report"
 * CSV, on-chain Governor/Aave/Aragon vote events, and any per-vote table
 * described by a column map. One export per distinct proposal id, in order of
 * first appearance; every row is imported or skipped under a counted reason.
 *
 * Parsing is csvfile.c's (libcsv in strict mode, one physical line at a
 * time): errors name the record's line, the field number as column and the
 * column's header name. See docs/replay.md for the decisions taken here.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "history/import.h"

const char *const im_role_names[COL_COUNT] = {
    "voter", "proposal", "choice",      "vp",           "created",   "id",
    "label", "space",    "event",       "txhash",       "log_index", "type",
    "rule",  "quorum",   "quorum_type", "quorum_share", "support",   "supply"};

/* ---- errors -------------------------------------------------------------- */

void im_row_error(importer *im, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A data error at the current record: line, column = field number, and the
 * column's header name in the message. */
void im_row_error(importer *im, int field, const char *fmt, ...)
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

/*
 * A skip reason as gvt_import_stats holds it: whole when it fits, otherwise
 * cut at a UTF-8 character boundary and ended with "...". Reasons are
 * compared in this form, so that the rows of one long event name count under
 * one reason (names alike in their first 60 bytes share it).
 */
static void reason_form(char *out, size_t size, const char *reason)
{
    size_t n = strlen(reason);
    if (n < size) {
        memcpy(out, reason, n + 1);
        return;
    }
    n = size - 4;
    while (n > 0 && ((unsigned char)reason[n] & 0xC0) == 0x80)
        n--; /* reason[n] continues a character: cut before it */
    memcpy(out, reason, n);
    memcpy(out + n, "...", 4);
}

void im_skip_row(importer *im, const char *reason_text)
{
    gvt_import_stats *st = im->st;
    size_t cap = sizeof st->skipped / sizeof st->skipped[0];
    char reason[sizeof st->skipped[0].reason];
    reason_form(reason, sizeof reason, reason_text);
    for (size_t i = 0; i < st->n_skipped; i++)
        if (strcmp(st->skipped[i].reason, reason) == 0) {
            st->skipped[i].rows++;
            return;
        }
    /* The last entry is kept for "other" once the table is full. */
    size_t i = st->n_skipped;
    if (i < cap - 1) {
        st->n_skipped++;
        memcpy(st->skipped[i].reason, reason, sizeof reason);
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

/* ---- header -------------------------------------------------------------- */

static int find_col(importer *im, const char *name)
{
    for (size_t i = 0; i < im->n_header; i++)
        if (im_ieq(im->header[i], name))
            return (int)i;
    return -1;
}

/* The first of several names found, as docs/formats.md#csv-inputs says for
 * governor-csv. */
static int find_first(importer *im, const char *const *names)
{
    for (; *names; names++) {
        int c = find_col(im, *names);
        if (c >= 0)
            return c;
    }
    return -1;
}

/* A missing column: the message names the names tried and quotes the
 * header as read (so that a wrong delimiter or a renamed column shows). */
static bool need(importer *im, int role, const char *what)
{
    if (im->col[role] >= 0)
        return true;
    gvt_buf h;
    gvt_buf_init(&h);
    for (size_t i = 0; i < im->n_header && h.len < 120; i++)
        gvt_buf_printf(&h, "%s'%.40s'", i ? ", " : "", im->header[i]);
    if (h.len >= 120)
        gvt_buf_puts(&h, ", ...");
    gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                  "no %s column in the header, whose %zu column%s read%s %s",
                  what, im->n_header, im->n_header == 1 ? "" : "s",
                  im->n_header == 1 ? "s" : "", h.data ? h.data : "''");
    gvt_buf_free(&h);
    if (im->err)
        im->err->line = im->rec_line;
    im->status = GVT_ERR_DATA;
    return false;
}

/* The proposals table of --proposals: id and type needed, the decision
 * rule's columns optional. */
static void header_table(importer *im)
{
    static const char *const prop[] = {"proposal_id", "id", "proposal", NULL};
    static const char *const type[] = {"type", NULL};
    static const char *const space[] = {"space_id", "space", NULL};
    static const char *const choices[] = {"choices", NULL};
    static const char *const qtype[] = {"quorum_type", "quorumType", NULL};
    im->col[COL_PROPOSAL] = find_first(im, prop);
    im->col[COL_TYPE] = find_first(im, type);
    im->col[COL_SPACE] = find_first(im, space);
    im->col[COL_CHOICE] = find_first(im, choices);
    im->col[COL_RULE] = find_col(im, "rule");
    im->col[COL_QUORUM] = find_col(im, "quorum");
    im->col[COL_QUORUM_TYPE] = find_first(im, qtype);
    im->col[COL_QUORUM_SHARE] = find_col(im, "quorum_share");
    im->col[COL_SUPPORT] = find_col(im, "support");
    im->col[COL_SUPPLY] = find_col(im, "supply");
    (void)(need(im, COL_PROPOSAL,
                "proposal id (proposal_id, id, "
                "proposal)") &&
           need(im, COL_TYPE, "type"));
}

/*
 * governor-csv: the events' own field names (Compound's and OpenZeppelin's
 * VoteCast, Aave's VoteEmitted, Aragon's CastVote), then those of Dune's
 * decoded tables and spellbook, and of explorers' exports
 * (docs/formats.md#governor-vote-events lists them).
 */
static void header_governor(importer *im)
{
    static const char *const voter[] = {"voter", "voter_address", NULL};
    static const char *const prop[] = {"proposalId", "proposal_id", "id",
                                       "voteId",     "vote_id",     NULL};
    static const char *const sup[] = {"support", "supports", NULL};
    static const char *const w[] = {"votes",        "weight", "votingPower",
                                    "voting_power", "stake",  NULL};
    static const char *const ts[] = {"timestamp", "block_time",
                                     "evt_block_time", NULL};
    static const char *const ev[] = {"event_name", "event", NULL};
    static const char *const tx[] = {"txhash",           "transactionHash",
                                     "tx_hash",          "evt_tx_hash",
                                     "transaction_hash", NULL};
    static const char *const li[] = {"log_index", "logIndex", "evt_index",
                                     NULL};
    im->col[COL_VOTER] = find_first(im, voter);
    im->col[COL_PROPOSAL] = find_first(im, prop);
    im->col[COL_CHOICE] = find_first(im, sup);
    im->col[COL_VP] = find_first(im, w);
    im->col[COL_CREATED] = find_first(im, ts);
    im->col[COL_EVENT] = find_first(im, ev);
    im->col[COL_TXHASH] = find_first(im, tx);
    im->col[COL_LOGINDEX] = find_first(im, li);
    (void)(need(im, COL_VOTER, "voter (voter, voter_address)") &&
           need(im, COL_PROPOSAL,
                "proposal (proposalId, proposal_id, id, voteId, "
                "vote_id)") &&
           need(im, COL_CHOICE, "support (support, supports)") &&
           need(im, COL_VP,
                "weight (votes, weight, votingPower, voting_power, "
                "stake)"));
}

/* snapshot-csv: Snapshot's report, one choice column or choice.1..N. */
static void header_snapshot(importer *im)
{
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
            return;
        }
    }
    (void)(need(im, COL_VOTER, "address") && need(im, COL_VP, "voting_power"));
}

/* csv: the columns the --map names, each of which must exist. */
static void header_map(importer *im)
{
    for (int r = 0; r < COL_COUNT && im->status == GVT_OK; r++) {
        if (!im->map_cols[r])
            continue;
        im->col[r] = find_col(im, im->map_cols[r]);
        if (im->col[r] < 0) {
            gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                          "map %s=%s: no such column in the header",
                          im_role_names[r], im->map_cols[r]);
            if (im->err)
                im->err->line = im->rec_line;
            im->status = GVT_ERR_DATA;
        }
    }
}

static void take_header(importer *im)
{
    im->n_header = im->n_fields;
    im->header = gvt_xcalloc(im->n_fields ? im->n_fields : 1, sizeof(char *));
    for (size_t i = 0; i < im->n_fields; i++)
        im->header[i] = gvt_xstrdup(im->fields[i]);
    im->have_header = true;
    if (im->is_table) {
        header_table(im);
        return;
    }
    switch (im->opt->kind) {
    case GVT_IMPORT_GOVERNOR_CSV:
        header_governor(im);
        break;
    case GVT_IMPORT_SNAPSHOT_CSV:
        header_snapshot(im);
        break;
    case GVT_IMPORT_CSV:
        header_map(im);
        break;
    }
}

/* ---- records (csvfile.c) ------------------------------------------------ */

static bool on_record(void *data, char **fields, size_t n, long line)
{
    importer *im = data;
    im->fields = fields;
    im->n_fields = n;
    im->rec_line = line;
    if (!im->have_header) {
        take_header(im);
    } else if (!(im->n_fields == 1 && im->fields[0][0] == '\0')) {
        im->st->rows++;
        if (im->n_fields != im->n_header)
            im_row_error(im, -1, "%zu fields where the header has %zu",
                         im->n_fields, im->n_header);
        else if (im->is_table)
            im_row_table(im);
        else if (im->opt->kind == GVT_IMPORT_GOVERNOR_CSV)
            im_row_governor(im);
        else if (im->opt->kind == GVT_IMPORT_SNAPSHOT_CSV)
            im_row_snapshot(im);
        else
            im_row_mapped(im);
    }
    im->fields = NULL;
    im->n_fields = 0;
    return im->status == GVT_OK;
}

/* ---- options ------------------------------------------------------------- */

static gvt_status parse_map(importer *im, char *map)
{
    if (!map || !map[0]) {
        gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                      "csv import needs a map voter=COL,choice=COL,vp=COL");
        return GVT_ERR_USAGE;
    }
    for (char *save = NULL, *tok = strtok_r(map, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        int role = -1;
        if (eq) {
            *eq = '\0';
            char *k = tok;
            gvt_csv_trim(&k, strlen(k));
            for (int r = 0; r < COL_COUNT; r++)
                if (strcmp(k, im_role_names[r]) == 0 && r <= COL_SPACE)
                    role = r;
        }
        if (role < 0 || !eq[1]) {
            gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                          "map: '%s' is not KEY=COLUMN with KEY one of "
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
                      "map needs voter=, choice= and vp=");
        return GVT_ERR_USAGE;
    }
    return GVT_OK;
}

bool im_type_from_name(const char *s, gvt_type *out)
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
    if (n > 4 && im_ieq(out + n - 4, ".csv"))
        out[n - 4] = '\0';
}

/* ---- driver -------------------------------------------------------------- */

static void importer_free(importer *im)
{
    for (size_t i = 0; i < im->n_header; i++)
        free(im->header[i]);
    free(im->header);
    for (size_t i = 0; i < im->n_props; i++)
        im_prop_free(&im->props[i]);
    free(im->props);
    free(im->slots);
    for (uint32_t i = 0; i < im->n_choice_labels; i++)
        free(im->choice_labels[i]);
    free(im->choice_labels);
    mpz_clear(im->tmp);
}

/*
 * The choice labels (gvt_import_options.choice_labels): a JSON array of
 * strings (Python's quotes accepted), or labels separated by commas, each
 * trimmed. Empty labels and a label given twice (in any case) are refused.
 */
static gvt_status parse_labels(importer *im, const char *text)
{
    char **v = NULL;
    size_t n = 0;
    gvt_status rc = GVT_OK;
    yajl_val arr = NULL;
    if (text[0] == '[') {
        char ebuf[128], *t = gvt_xstrdup(text);
        if (!strchr(t, '"'))
            for (char *q = t; *q; q++)
                if (*q == '\'')
                    *q = '"';
        arr = yajl_tree_parse(t, ebuf, sizeof ebuf);
        free(t);
        if (!arr || !YAJL_IS_ARRAY(arr))
            rc = GVT_ERR_USAGE;
        for (size_t i = 0; rc == GVT_OK && i < arr->u.array.len; i++) {
            yajl_val e = arr->u.array.values[i];
            if (!YAJL_IS_STRING(e)) {
                rc = GVT_ERR_USAGE;
                break;
            }
            v = gvt_xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = gvt_xstrdup(e->u.string);
        }
    } else {
        const char *s = text;
        for (;;) {
            const char *comma = strchr(s, ',');
            size_t len = comma ? (size_t)(comma - s) : strlen(s);
            char *one = gvt_xmalloc(len + 1);
            memcpy(one, s, len);
            one[len] = '\0';
            char *t = one;
            size_t tl = gvt_csv_trim(&t, len);
            memmove(one, t, tl + 1);
            v = gvt_xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = one;
            if (!comma)
                break;
            s = comma + 1;
        }
    }
    yajl_tree_free(arr);
    for (size_t i = 0; rc == GVT_OK && i < n; i++) {
        if (!v[i][0] || n > MAX_CHOICE)
            rc = GVT_ERR_USAGE;
        for (size_t j = 0; rc == GVT_OK && j < i; j++)
            if (im_ieq(v[i], v[j]))
                rc = GVT_ERR_USAGE;
    }
    if (rc == GVT_OK && n == 0)
        rc = GVT_ERR_USAGE;
    if (rc) {
        for (size_t i = 0; i < n; i++)
            free(v[i]);
        free(v);
        gvt_error_set(im->err, GVT_ERR_USAGE, NULL,
                      "choice_labels '%.80s': labels separated by commas, or "
                      "a JSON array of strings; none empty, none twice, at "
                      "most %d",
                      text, MAX_CHOICE);
        return rc;
    }
    im->choice_labels = v;
    im->n_choice_labels = (uint32_t)n;
    return GVT_OK;
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
    im->type = GVT_TYPE_SINGLE_CHOICE;
    id_from_path(path, im->default_id, sizeof im->default_id);
}

/* Reads and parses im->path (csvfile.c: streaming, at most
 * GVT_LIMIT_HISTORY_BYTES, a line at most GVT_LIMIT_CSV_LINE_BYTES),
 * hashing what it reads. */
static gvt_status parse_file(importer *im)
{
    gvt_csv_file *f;
    gvt_status st = gvt_csv_open(im->path, GVT_LIMIT_HISTORY_BYTES, on_record,
                                 im, &f, im->err);
    if (st != GVT_OK)
        return im->status = st;
    gvt_digest_init(&im->digest);
    gvt_csv_digest(f, &im->digest);
    while (gvt_csv_step(f))
        ;
    im->digest_whole = gvt_csv_read_whole(f);
    st = gvt_csv_close(f);
    if (st != GVT_OK)
        return im->status = st;
    if (!im->have_header) {
        gvt_error_set(im->err, GVT_ERR_DATA, im->path, "empty file: no header");
        im->status = GVT_ERR_DATA;
    }
    return im->status;
}

/*
 * The options checked and applied to im (initialised here), the proposal
 * table read into table when asked (*have_table). *map holds the map's
 * text that im points into (freed by the caller).
 */
static gvt_status import_prepare(importer *im, importer *table,
                                 bool *have_table, char **map, const char *path,
                                 const gvt_import_options *opt,
                                 gvt_import_stats *st,
                                 gvt_import_stats *table_stats, gvt_error *err)
{
    importer_init(im, path, opt, st, err);
    *have_table = false;
    *map = NULL;
    if (im->decimals > 36) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "decimals %d: at most 36 are supported", im->decimals);
        return GVT_ERR_USAGE;
    }
    if (opt->type && strcmp(opt->type, "auto") == 0)
        im->type_auto = true;
    else if (opt->type && !im_type_from_name(opt->type, &im->type)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "type '%s': not a Snapshot type (single-choice, "
                      "basic, approval, ranked-choice, copeland, quadratic, "
                      "weighted) nor auto",
                      opt->type);
        return GVT_ERR_USAGE;
    }
    if (opt->proposals && opt->kind != GVT_IMPORT_CSV) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "proposals is for the csv kind only");
        return GVT_ERR_USAGE;
    }
    if (opt->choice_labels && opt->kind != GVT_IMPORT_CSV) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "choice_labels is for the csv kind only");
        return GVT_ERR_USAGE;
    }
    gvt_status rc;
    if (opt->kind == GVT_IMPORT_CSV) {
        *map = gvt_xstrdup(opt->map ? opt->map : "");
        if ((rc = parse_map(im, *map)))
            return rc;
        if (opt->choice_labels && (rc = parse_labels(im, opt->choice_labels)))
            return rc;
    }
    if (opt->proposals) {
        memset(table_stats, 0, sizeof *table_stats);
        importer_init(table, opt->proposals, opt, table_stats, err);
        table->is_table = true;
        *have_table = true;
        if ((rc = parse_file(table)))
            return rc;
        im->table = table;
    }
    return GVT_OK;
}

/* A file without a single vote is a data error. */
static gvt_status need_votes(importer *im)
{
    if (im->n_props > 0)
        return GVT_OK;
    gvt_error_set(im->err, GVT_ERR_DATA, im->path,
                  "no vote imported (%zu rows, all skipped)", im->st->rows);
    return im->status = GVT_ERR_DATA;
}

/*
 * Imports path into one document per proposal (each a JSON line in docs[i],
 * malloc'd, in order of first appearance). Used by gvt_import_file and by
 * replay for standard input.
 */
/* The records of an import's inputs (docs/audit.md): the file (role
 * "votes") when read whole, and the proposal table ("proposals"). */
static void record(importer *im, importer *table, bool have_table,
                   gvt_inputs *l, gvt_inputs *tables, const char *name)
{
    if (l)
        gvt_inputs_add(l, "votes", name, im->digest_whole ? &im->digest : NULL);
    if (tables && have_table)
        gvt_inputs_add(tables, "proposals", table->path,
                       table->digest_whole ? &table->digest : NULL);
}

gvt_status gvt_import_docs(const char *path, const gvt_import_options *opt,
                           gvt_buf **out_docs, size_t *out_n,
                           gvt_import_stats *out_stats, gvt_error *err)
{
    return gvt_import_docs_recorded(path, opt, out_docs, out_n, out_stats, NULL,
                                    NULL, err);
}

gvt_status gvt_import_docs_recorded(const char *path,
                                    const gvt_import_options *opt,
                                    gvt_buf **out_docs, size_t *out_n,
                                    gvt_import_stats *out_stats,
                                    gvt_inputs *records, gvt_inputs *tables,
                                    gvt_error *err)
{
    *out_docs = NULL;
    *out_n = 0;
    gvt_import_stats stats_local, table_stats;
    gvt_import_stats *st = out_stats ? out_stats : &stats_local;
    memset(st, 0, sizeof *st);
    gvt_error_clear(err);

    importer im, table;
    bool have_table;
    char *map;
    gvt_status rc = import_prepare(&im, &table, &have_table, &map, path, opt,
                                   st, &table_stats, err);
    if (rc || (rc = parse_file(&im)) || (rc = need_votes(&im)))
        goto done;
    st->proposals = im.n_props;
    gvt_buf *docs = gvt_xcalloc(im.n_props, sizeof *docs);
    for (size_t i = 0; i < im.n_props; i++) {
        gvt_buf_init(&docs[i]);
        im_write_prop(&im, &im.props[i], &docs[i]);
    }
    *out_docs = docs;
    *out_n = im.n_props;
    record(&im, &table, have_table, records, tables, path);
done:
    free(map);
    if (have_table)
        importer_free(&table);
    importer_free(&im);
    return rc;
}

/* ---- streaming: proposal by proposal, in two passes ---------------------- */

/*
 * Pass 1 reads the whole file as the import does but keeps no vote: it
 * checks every row (an error stops it, before any export), finds the
 * proposals, their labels and types, and the line each one's last vote
 * starts on. Pass 2 reads the file again, collects the votes, and hands
 * out each proposal's export as soon as its last vote is read and every
 * proposal before it (in order of first appearance) is out. A file sorted
 * by proposal thus holds one proposal's votes at a time; an interleaved
 * one holds the proposals whose rows are still interleaved.
 */
struct gvt_csv_stream {
    importer im, table;
    bool have_table;
    char *map;
    gvt_import_stats st, table_stats;
    gvt_error err;
    gvt_csv_file *file; /* pass 2's reader, NULL once read */
    size_t next;        /* the next proposal to hand out */
    gvt_digest pass2;   /* pass 2's bytes, to compare with pass 1's */
    bool whole;         /* both passes read the same bytes to the end */
};

void gvt_csv_stream_free(gvt_csv_stream *s)
{
    if (!s)
        return;
    gvt_csv_close(s->file);
    free(s->map);
    if (s->have_table)
        importer_free(&s->table);
    importer_free(&s->im);
    free(s);
}

gvt_status gvt_csv_stream_open(const char *path, const char *name,
                               const gvt_import_options *opt,
                               gvt_csv_stream **out, gvt_error *err)
{
    *out = NULL;
    gvt_csv_stream *s = gvt_xcalloc(1, sizeof *s);
    importer *im = &s->im;
    gvt_status rc = import_prepare(im, &s->table, &s->have_table, &s->map, path,
                                   opt, &s->st, &s->table_stats, &s->err);
    if (name) /* the default id and space come from the name */
        id_from_path(name, im->default_id, sizeof im->default_id);
    if (!rc) {
        im->pass = 1;
        rc = parse_file(im);
    }
    if (!rc)
        rc = need_votes(im);
    if (!rc) {
        /* pass 2: the header again, the proposals kept */
        for (size_t i = 0; i < im->n_header; i++)
            free(im->header[i]);
        free(im->header);
        im->header = NULL;
        im->n_header = 0;
        im->have_header = false;
        im->n_multi = 0;
        im->pass = 2;
        for (size_t i = 0; i < im->n_props; i++)
            im->props[i].n_votes = 0;
        rc = gvt_csv_open(path, GVT_LIMIT_HISTORY_BYTES, on_record, im,
                          &s->file, &s->err);
        gvt_digest_init(&s->pass2);
        if (!rc)
            gvt_csv_digest(s->file, &s->pass2);
    }
    if (rc) {
        if (err)
            *err = s->err;
        gvt_csv_stream_free(s);
        return rc;
    }
    *out = s;
    return GVT_OK;
}

/* Pass 2 read the file to its end: it must have read pass 1's bytes. */
static void same_bytes(gvt_csv_stream *s)
{
    importer *im = &s->im;
    char one[65], two[65];
    gvt_digest first = im->digest; /* pass 1's, kept for the record */
    gvt_digest_hex(&first, one);
    gvt_digest_hex(&s->pass2, two);
    if (im->digest_whole && im->digest.size == s->pass2.size &&
        strcmp(one, two) == 0) {
        s->whole = true;
        return;
    }
    gvt_error_set(&s->err, GVT_ERR_DATA, im->path,
                  "the file changed while it was read");
    im->status = GVT_ERR_DATA;
}

void gvt_csv_stream_record(gvt_csv_stream *s, gvt_inputs *l, const char *name,
                           gvt_inputs *tables)
{
    gvt_inputs_add(l, "votes", name, s->whole ? &s->im.digest : NULL);
    if (tables && s->have_table)
        gvt_inputs_add(tables, "proposals", s->table.path,
                       s->table.digest_whole ? &s->table.digest : NULL);
}

int gvt_csv_stream_next(gvt_csv_stream *s, gvt_buf *doc, gvt_error *err)
{
    importer *im = &s->im;
    for (;;) {
        if (s->next < im->n_props && im->props[s->next].complete) {
            imp_prop *p = &im->props[s->next++];
            doc->len = 0;
            im_write_prop(im, p, doc);
            gvt_buf_free(&p->votes);
            return 1;
        }
        if (!s->file)
            break;
        if (!gvt_csv_step(s->file)) {
            bool whole = gvt_csv_read_whole(s->file);
            gvt_status st = gvt_csv_close(s->file);
            s->file = NULL;
            if (st && im->status == GVT_OK)
                im->status = st;
            if (whole && im->status == GVT_OK)
                same_bytes(s);
        }
    }
    if (im->status == GVT_OK && s->next < im->n_props) {
        /* the file changed between the passes */
        gvt_error_set(&s->err, GVT_ERR_DATA, im->path,
                      "the file changed while it was read");
        im->status = GVT_ERR_DATA;
    }
    if (im->status) {
        if (err)
            *err = s->err;
        s->next = im->n_props;
        im->status = GVT_OK; /* said once */
        return -1;
    }
    return 0;
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
