/*
 * reader.h: what the files of the export reader share; nothing outside
 * tally/read/ includes it (read.h is the module's header).
 *
 * The reader has three layers, each giving exactly the results and the
 * errors of the one below it (docs/design.md, "Reading a large export"):
 *   document.c  what the values mean: the proposal, each vote's fields,
 *               committing a ballot, diagnostics (paths, offsets)
 *   events.c    YAJL's event parser: frames, keys, dispatch of values; the
 *               reference for every result and every error
 *   lane.c      the fast lane: plain votes read straight from the text
 *   split.c     a large document read on two threads
 *   input.c     feeding the parser from a file, a buffer or a stream; the
 *               entry points of govtally.h
 */
#ifndef GVT_READER_H
#define GVT_READER_H

#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "read/read.h"

#define CHUNK ((size_t)1 << 20)
#define MAX_DEPTH 64
#define MAX_TOKEN (64 * 1024)
#define MAX_CHOICE_RAW ((size_t)1 << 20)
#define MAX_VOTES ((size_t)1 << 31)
#define MAX_HUB_SCORES 100000 /* entries of the proposal's "scores" */
#define LINEAR_KEYS 16        /* objects with more keys get a hash table */

enum role {
    R_NONE,
    R_ROOT,
    R_DATA,
    R_PROPOSAL,
    R_SPACE,
    R_CHOICES,
    R_STRATEGIES,
    R_SCORES,
    R_VOTES,
    R_VOTE,
    R_VPBS,
    R_CHOICE,
    R_SKIP
};

enum field {
    F_OTHER,
    F_PROPOSAL,
    F_VOTES,
    F_DATA,
    F_ID,
    F_SPACE,
    F_TYPE,
    F_CHOICES,
    F_START,
    F_END,
    F_QUORUM,
    F_QUORUM_TYPE,
    F_RULE,
    F_QUORUM_SHARE,
    F_SUPPORT,
    F_SUPPLY,
    F_STRATEGIES,
    F_PRIVACY,
    F_TITLE,
    F_STATE,
    F_SCORES,
    F_SCORES_TOTAL,
    F_VOTER,
    F_CREATED,
    F_CHOICE,
    F_VP,
    F_VPBS,
    /* Keys of a vote that are read past like any other key, but named so
     * that the common ones cost a bit in frame.seen rather than a record
     * in r->keys (field_of, R_VOTE only); value() treats them as F_OTHER. */
    F_IGNORED,
    F_VP_STATE = F_IGNORED,
    F_REASON,
    F_APP,
    F_IPFS,
    F_METADATA
};

enum kind { K_NULL, K_TRUE, K_FALSE, K_NUMBER, K_STRING, K_MAP, K_ARRAY };

typedef struct frame {
    uint8_t is_array;
    uint8_t role;
    uint8_t field;     /* objects: what the current key names */
    uint32_t index;    /* arrays: elements begun so far */
    size_t keys_start; /* objects: first key record in r->keys */
    size_t last_key;   /* objects: offset of the current key's record */
    uint32_t n_keys;   /* objects: keys stored in r->keys */
    uint32_t seen;     /* objects: bit per known field seen */
    bool any_key;
} frame;

/* Open-addressing set of key records, one per depth, reused. */
typedef struct key_table {
    size_t *slots; /* record offset + 1; 0 = empty */
    size_t cap;
    bool active;
} key_table;

/* A distinct raw choice of an array type and its decoded form (NULL when
 * invalid), shared by every ballot that has the same raw form. */
typedef struct intern {
    uint64_t hash;
    const unsigned char *raw; /* arena; NULL = empty slot */
    size_t len;
    gvt_choice *choice;
} intern;

#define MAX_INTERNED ((size_t)1 << 16)

typedef struct deferred {
    size_t ballot;
    const unsigned char *raw;
    size_t len;
    long long offset;
} deferred;

/* The vote being read. */
typedef struct vote_scratch {
    bool has_id, has_voter, has_created, has_choice, has_vp;
    gvt_buf id;
    char voter[67];
    size_t voter_len;
    int64_t created;
    mpz_t vp;
    gvt_buf raw;
    long long choice_end;
} vote_scratch;

typedef struct reader {
    const char *name;
    gvt_error *err;
    yajl_handle h;
    bool failed;  /* a callback reported an error */
    bool stopped; /* the stream's callback asked to stop */

    /* Position: offset of the current chunk, its bytes, line accounting. */
    long long base;
    const unsigned char *chunk;
    long lines_before; /* newlines before the chunk */
    long long last_nl; /* offset of the last newline before it, -1 */

    gvt_proposal_fn fn;
    void *ctx;
    size_t n_docs;
    gvt_proposal *single; /* read_file / read_mem: the one document */

    frame st[MAX_DEPTH + 1]; /* st[0]: outside any value */
    int depth;
    gvt_buf keys;
    key_table tables[MAX_DEPTH + 1];

    /* The current document. */
    gvt_proposal *p;
    bool have_proposal, proposal_done, have_votes, has_type, has_choices;
    char votes_path[160];
    const char **labels;
    size_t n_labels, cap_labels;
    /* the proposal's "scores" as read (numbers' JSON text, arena) */
    const char **hub;
    size_t n_hub, cap_hub;
    gvt_choice **cache;
    struct intern *interned; /* array choices already decoded */
    size_t cap_interned, n_interned;
    deferred *def;
    size_t n_def, cap_def;
    size_t cap_ballots;
    bool in_vote;
    size_t vote_index;
    vote_scratch v;

    /* Parallel reading (see read_split). */
    int votes_depth;         /* depth of the open votes array, 0 = none */
    long long last_vote_end; /* offset just past the last vote's '}' */
    bool spec;               /* the speculative reader of a second half */
    long long spec_end;      /* spec: offset of the ']' closing the votes */
    atomic_int *cancel;      /* spec: set when its result is not wanted */

    /* The fast lane's guess of the next vote's keys: member k of the last
     * vote was "key": (text, len) naming field. */
    struct {
        uint8_t field, len;
        char text[20];
    } lane_keys[16];
    /* Where the text fed to YAJL so far ends, for the lane's splits: 0
     * outside a string, 1 inside one, 2 inside one just after a '\\'. */
    unsigned char lane_in_string;

    /* Progress (gvt_proposal_read_file_progress): bytes parsed by every
     * reader of the input, reported by the main one only. */
    struct progress *prog;
    /* The caller's thread count (gvt_read_options; 0 = one per CPU): the
     * second reader of split.c and gvt_proposal_finish's halves. */
    unsigned threads;
    /* The SHA-256 of the input's bytes (docs/audit.md), NULL: not taken. */
    gvt_digest *digest;
} reader;

/* Shared by the readers of one input; see feed(). */
typedef struct progress {
    gvt_progress_fn fn;
    void *ctx;
    atomic_ullong done;
    unsigned long long total; /* 0 = unknown (standard input) */
    unsigned long long next;  /* report again when done reaches it */
} progress;

#define PROGRESS_STEP (8ull << 20)

/* The input of a split read: a buffer, or a file read with pread. */
typedef struct source {
    const unsigned char *mem;
    int fd;
    size_t size;
} source;

/*
 * Eight bytes at a time (SWAR). A word is loaded with the first byte of the
 * text as its lowest byte, whatever the machine's byte order. In the masks
 * below the high bit of a byte is set where the byte matches; a match may
 * also mark higher bytes (a borrow or carry runs upward), never lower ones,
 * so the lowest marked byte is the first match.
 */
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline void store8(char *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, sizeof w);
}

/* Index (0-7) of the first marked byte of a non-zero mask. */
static inline unsigned first_marked(uint64_t m)
{
    return (unsigned)__builtin_ctzll(m) / 8;
}

/* Bytes that are not decimal digits. */
static inline uint64_t non_digits(uint64_t w)
{
    uint64_t x = w ^ (ONES * '0'); /* digits become 0..9 */
    return ((x + ONES * 0x76) | x) & HIGHS;
}

/* Bytes that are not 'a'..'f'. */
static inline uint64_t non_af(uint64_t w)
{
    uint64_t x = w ^ (ONES * 0x60); /* 'a'..'f' become 1..6 */
    return (((x + ONES * 0x79) | x) | ((x - ONES) & ~x)) & HIGHS;
}

/* ---- document.c: diagnostics, the document, votes, the proposal */
/* Report a data error (the message formatted from fmt) at the current
 * position about the value selected in frames 1..upto (rd_fail, which
 * returns 0 so that YAJL stops), or at an explicit offset and path. */
/* The names of enum field, for paths and messages. */
extern const char *const rd_field_names[];

int rd_fail(reader *r, int upto, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rd_fail_at(reader *r, long long offset, const char *path, bool vote,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rd_doc_begin(reader *r);
int rd_doc_end(reader *r);
void rd_doc_reset(reader *r);
long long rd_here(const reader *r);
const char *rd_kind_name(int kind);
void rd_locate(const reader *r, long long offset, gvt_error *e);
void rd_path_build(const reader *r, int upto, char *out, size_t size);
int rd_proposal_end(reader *r);
int rd_proposal_value(reader *r, int kind, const char *s, size_t len);
void rd_vote_begin(reader *r, size_t index);
int rd_vote_commit(reader *r, long long end);
int rd_vote_end(reader *r);
bool rd_vote_field(vote_scratch *v, int field, int kind, const char *s,
                   size_t len);
int rd_vote_value(reader *r, int kind, const char *s, size_t len);

/* ---- events.c: YAJL events, keys, the parser's life */
int rd_capture(reader *r, int kind, const char *s, size_t len);
void rd_count_lines(reader *r, const unsigned char *data, size_t n);
int rd_field_of(int role, const unsigned char *k, size_t len);
void rd_raw_put(gvt_buf *raw, int kind, const char *s, size_t len);
void rd_reader_free(reader *r);
void rd_reader_init(reader *r, const char *name, gvt_error *err, bool stream);
void rd_yajl_failure(reader *r, long long offset);

/* ---- lane.c: the fast lane and the feeding of chunks */
bool rd_feed(reader *r, const unsigned char *data, size_t n);
bool rd_is_space(unsigned char c);

/* ---- input.c: parsing pieces, the end of the input */
gvt_status rd_finish_input(reader *r, bool stream);
bool rd_parse_piece(reader *r, const unsigned char *d, size_t n);

/* ---- split.c: parallel reading */
gvt_status rd_read_split(reader *r, const source *s);

#endif /* GVT_READER_H */
