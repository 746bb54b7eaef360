/*
 * import.h: what the files of the CSV import share; nothing outside
 * tally/history/ includes it (history.h is the module's header).
 *
 *   csv.c   the CSV layer: libcsv in strict mode fed line by line, records,
 *           the header and its columns, options, the driver
 *   rows.c  the row mapping: each kind's row (Snapshot's report, Governor
 *           events, a mapped table, the proposal table) into votes of one
 *           export per proposal, fields decoded exactly, the exports written
 */
#ifndef GVT_IMPORT_H
#define GVT_IMPORT_H

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
    /* the proposal table's decision rule (docs/formats.md#proposal-table) */
    COL_RULE,
    COL_QUORUM,
    COL_QUORUM_TYPE,
    COL_QUORUM_SHARE,
    COL_SUPPORT,
    COL_SUPPLY,
    COL_COUNT
};

/* The roles' names (options and messages). */
extern const char *const im_role_names[COL_COUNT];

#define MAX_MULTI 256 /* choice.1..choice.N columns of snapshot-csv */
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
    long last_line; /* the line its last vote starts on (streaming) */
    bool complete;  /* streaming: every vote of it collected */
    /* from the proposal table (--proposals) */
    bool has_type;
    gvt_type type;
    char *choices_json; /* canonical JSON array, or NULL */
    char *rule_json;    /* ,"rule":...,"quorum":... members, or NULL */
} imp_prop;

typedef struct importer {
    const char *path;
    const gvt_import_options *opt;
    bool is_table; /* reading the proposal table */
    int pass;      /* 0: one pass keeping votes; streaming: 1 counts votes and
                      finds each proposal's last line, 2 keeps them */
    struct importer *table; /* the proposal table, or NULL */
    gvt_import_stats *st;
    gvt_error *err;
    gvt_status status;
    int decimals;
    bool type_auto;
    gvt_type type;

    /* current record (csvfile.c's, borrowed for the call) */
    char **fields;
    size_t n_fields;
    long rec_line; /* line the current record started on */

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
    /* csv: the labels of text choices (choice_labels), in order */
    char **choice_labels;
    uint32_t n_choice_labels;
    /* the SHA-256 of the file's bytes as parse_file read them
     * (docs/audit.md), whole once it read the file to its end */
    gvt_digest digest;
    bool digest_whole;
} importer;

/* ---- csv.c */
void im_row_error(importer *im, int field, const char *fmt, ...);
void im_skip_row(importer *im, const char *reason_text);
bool im_type_from_name(const char *s, gvt_type *out);

/* ---- rows.c */
bool im_ieq(const char *a, const char *b);
void im_prop_free(imp_prop *p);
void im_row_governor(importer *im);
void im_row_mapped(importer *im);
void im_row_snapshot(importer *im);
void im_row_table(importer *im);
void im_write_prop(importer *im, imp_prop *p, gvt_buf *b);

#endif /* GVT_IMPORT_H */
