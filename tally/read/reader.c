/*
 * reader.c: the streaming reader of Snapshot proposal exports (SPEC 1.1) into
 * the ballot store.
 *
 * One pass of YAJL's event parser over the input, read in chunks of 1 MiB, so
 * that memory grows with the number of ballots and never with the size of the
 * file. A large single document (file or buffer, not standard input or a
 * stream) is read on two threads, each parsing half of the votes, with the
 * same results and errors as one pass (see "parallel reading" below).
 * Both shapes are accepted ({"proposal", "votes"} and the GraphQL
 * {"data": {...}}), with the keys in any order: when the votes come before
 * the proposal, each vote's choice is kept in a compact raw form (choice.c)
 * and decoded once the proposal's type is known.
 *
 * Every data error (GVT_ERR_DATA) names the input, the JSON path of the
 * offending value, the byte offset where the parser stood when it found the
 * problem (just past the offending token: the closing brace of a vote for a
 * missing field, as YAJL itself reports its syntax errors), line and column,
 * and inside a vote its index and id when the id was already read. Bounds
 * applied before any work: nesting depth 64, strings and numbers 64 KiB, a
 * raw choice 1 MiB, 2^31 votes.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "read/read.h"

#define CHUNK ((size_t)1 << 20)
#define MAX_DEPTH 64
#define MAX_TOKEN (64 * 1024)
#define MAX_CHOICE_RAW ((size_t)1 << 20)
#define MAX_VOTES ((size_t)1 << 31)
#define LINEAR_KEYS 16 /* objects with more keys get a hash table */

enum role {
    R_NONE,
    R_ROOT,
    R_DATA,
    R_PROPOSAL,
    R_SPACE,
    R_CHOICES,
    R_STRATEGIES,
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
    F_STRATEGIES,
    F_PRIVACY,
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

    /* Progress (gvt_proposal_read_file_progress): bytes parsed by every
     * reader of the input, reported by the main one only. */
    struct progress *prog;
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

/* ---- diagnostics --------------------------------------------------------- */

static bool is_ident(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     c == '_' || c == '$';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

static void key_at(const reader *r, size_t off, const char **s, size_t *len)
{
    uint32_t n;
    memcpy(&n, r->keys.data + off, sizeof n);
    *len = n;
    *s = r->keys.data + off + 2 * sizeof(uint32_t);
}

static const char *const field_names[] = {
    "",        "proposal",   "votes",      "data",           "id",
    "space",   "type",       "choices",    "start",          "end",
    "quorum",  "quorumType", "strategies", "privacy",        "voter",
    "created", "choice",     "vp",         "vp_by_strategy", "vp_state",
    "reason",  "app",        "ipfs",       "metadata"};

/* The JSON path of the value selected inside frames 1..upto. */
static void path_build(const reader *r, int upto, char *out, size_t size)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_putc(&b, '$');
    for (int i = 1; i <= upto; i++) {
        const frame *f = &r->st[i];
        if (f->is_array) {
            if (f->index == 0) /* no element yet: the array itself */
                break;
            gvt_buf_printf(&b, "[%lu]", (unsigned long)(f->index - 1));
        } else if (f->any_key) {
            const char *k;
            size_t len;
            if (f->field != F_OTHER) {
                k = field_names[f->field];
                len = strlen(k);
            } else {
                key_at(r, f->last_key, &k, &len);
            }
            if (is_ident(k, len)) {
                gvt_buf_putc(&b, '.');
                gvt_buf_add(&b, k, len);
            } else {
                char *t = gvt_xmalloc(len + 1);
                memcpy(t, k, len);
                t[len] = '\0';
                gvt_buf_putc(&b, '[');
                gvt_buf_json_string(&b, t);
                gvt_buf_putc(&b, ']');
                free(t);
            }
        }
    }
    snprintf(out, size, "%s", b.data);
    gvt_buf_free(&b);
}

/* Line and column of an absolute offset inside or just after the chunk. */
static void locate(const reader *r, long long offset, gvt_error *e)
{
    long line = r->lines_before + 1;
    long long nl = r->last_nl;
    if (r->chunk) {
        for (long long i = r->base; i < offset; i++) {
            if (r->chunk[i - r->base] == '\n') {
                line++;
                nl = i;
            }
        }
    }
    e->line = line;
    e->column = (long)(offset - nl);
}

static void fill(reader *r, long long offset, const char *path, bool vote,
                 const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void fill(reader *r, long long offset, const char *path, bool vote,
                 const char *fmt, va_list ap)
{
    r->failed = true;
    gvt_error *e = r->err;
    if (!e)
        return;
    gvt_error_set(e, GVT_ERR_DATA, r->name, "%s", "");
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    e->offset = offset;
    if (offset >= 0)
        locate(r, offset, e);
    if (path)
        snprintf(e->path, sizeof e->path, "%s", path);
    if (vote) {
        e->vote = (long)r->vote_index;
        if (r->v.has_id)
            snprintf(e->vote_id, sizeof e->vote_id, "%s",
                     r->v.id.data ? r->v.id.data : "");
    }
}

static long long here(const reader *r)
{
    if (!r->chunk) /* yajl_complete_parse: at the end of the input */
        return r->base;
    return r->base + (long long)yajl_get_bytes_consumed(r->h);
}

/*
 * Reports a data error at the current position, about the value selected in
 * frames 1..upto. Returns 0, which makes YAJL stop.
 */
__attribute__((format(printf, 3, 4))) static int fail(reader *r, int upto,
                                                      const char *fmt, ...)
{
    char path[160];
    path_build(r, upto, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    fill(r, here(r), path, r->in_vote, fmt, ap);
    va_end(ap);
    return 0;
}

/* The same with an explicit offset and path (deferred choices). */
__attribute__((format(printf, 5, 6))) static void
fail_at(reader *r, long long offset, const char *path, bool vote,
        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(r, offset, path, vote, fmt, ap);
    va_end(ap);
}

/* ---- the document -------------------------------------------------------- */

static void doc_reset(reader *r)
{
    r->p = NULL;
    r->have_proposal = r->proposal_done = r->have_votes = false;
    r->has_type = r->has_choices = false;
    r->votes_path[0] = '\0';
    r->n_labels = 0;
    free(r->cache);
    r->cache = NULL;
    free(r->interned);
    r->interned = NULL;
    r->cap_interned = r->n_interned = 0;
    r->n_def = 0;
    r->cap_ballots = 0;
    r->in_vote = false;
    r->votes_depth = 0;
    r->last_vote_end = -1;
}

static void doc_begin(reader *r)
{
    doc_reset(r);
    r->p = gvt_proposal_new(r->name);
}

/*
 * Array choices (approval, ranked-choice, copeland) repeat: a few thousand
 * distinct rankings among a million ballots. Identical raw forms share one
 * decoded choice (these carry no GMP weights; the reader's quadratic and
 * weighted weights are read-only views, so sharing is safe for
 * gvt_proposal_free). At most MAX_INTERNED distinct forms are remembered;
 * a full table means forms that hardly repeat (quadratic choices of many
 * values), and later ballots are decoded each on its own, unlooked-up.
 */
static intern *intern_find(reader *r, const unsigned char *raw, size_t len,
                           uint64_t h)
{
    if (!r->interned)
        return NULL;
    size_t mask = r->cap_interned - 1;
    for (size_t k = (size_t)h & mask;; k = (k + 1) & mask) {
        intern *e = &r->interned[k];
        if (!e->raw)
            return e;
        if (e->hash == h && e->len == len && memcmp(e->raw, raw, len) == 0)
            return e;
    }
}

static void intern_add(reader *r, const unsigned char *raw, size_t len,
                       uint64_t h, gvt_choice *c)
{
    if (r->n_interned >= MAX_INTERNED)
        return;
    if (2 * (r->n_interned + 1) > r->cap_interned) {
        size_t cap = r->cap_interned ? 2 * r->cap_interned : 1024;
        intern *old = r->interned;
        size_t old_cap = r->cap_interned;
        r->interned = gvt_xcalloc(cap, sizeof *r->interned);
        r->cap_interned = cap;
        for (size_t k = 0; k < old_cap; k++)
            if (old[k].raw)
                *intern_find(r, old[k].raw, old[k].len, old[k].hash) = old[k];
        free(old);
    }
    intern *e = intern_find(r, raw, len, h);
    unsigned char *copy = gvt_arena_alloc(r->p->arena, len);
    memcpy(copy, raw, len);
    *e = (intern){h, copy, len, c};
    r->n_interned++;
}

/*
 * A raw choice that is one string "0x" followed by hex digits: how Shutter's
 * ciphertext stands in a vote until the proposal's key is released
 * (docs/fetch.md); the proposal's privacy decides at finish whether it is
 * `encrypted`.
 */
static bool sealed_choice(const unsigned char *raw, size_t len)
{
    uint32_t n;
    if (len < 1 + sizeof n + 3 || raw[0] != GVT_RAW_STRING)
        return false;
    memcpy(&n, raw + 1, sizeof n);
    const unsigned char *s = raw + 1 + sizeof n;
    if ((size_t)n + 1 + sizeof n != len || s[0] != '0' || s[1] != 'x')
        return false;
    for (uint32_t k = 2; k < n; k++)
        if (!isxdigit(s[k]))
            return false;
    return true;
}

/*
 * Decodes one ballot's choice; false (error filled) when unrepresentable.
 * Every type but single-choice and basic (which have r->cache) shares
 * decoded forms through the intern table while it has room.
 */
static bool decode_ballot(reader *r, size_t i, const unsigned char *raw,
                          size_t len, long long offset)
{
    gvt_proposal *p = r->p;
    p->ballots[i].sealed = sealed_choice(raw, len);
    bool share = p->type != GVT_TYPE_SINGLE_CHOICE &&
                 p->type != GVT_TYPE_BASIC && r->n_interned < MAX_INTERNED;
    uint64_t h = 0;
    if (share) {
        h = gvt_hash_bytes(raw, len);
        intern *e = intern_find(r, raw, len, h);
        if (e && e->raw) {
            p->ballots[i].choice = e->choice;
            return true;
        }
    }
    char why[128];
    gvt_choice_status st =
        gvt_choice_decode(p->arena, p->type, p->n_choices, raw, len, r->cache,
                          &p->ballots[i].choice, why, sizeof why);
    if (st != GVT_CHOICE_UNREPRESENTABLE) {
        if (share)
            intern_add(r, raw, len, h, p->ballots[i].choice);
        return true;
    }
    char path[200];
    snprintf(path, sizeof path, "%s[%lu].choice", r->votes_path,
             (unsigned long)p->ballots[i].input);
    size_t saved = r->vote_index;
    bool had_id = r->v.has_id;
    r->vote_index = p->ballots[i].input;
    char idbuf[GVT_BALLOT_ID_HEX_SIZE];
    const char *id = gvt_ballot_id(&p->ballots[i], idbuf);
    gvt_buf_free(&r->v.id);
    gvt_buf_puts(&r->v.id, id);
    r->v.has_id = id[0] != '\0';
    fail_at(r, offset, path, true, "%s", why);
    r->vote_index = saved;
    r->v.has_id = had_id;
    return false;
}

/* The proposal object is complete: the type is known, decode what waited. */
static int proposal_end(reader *r)
{
    gvt_proposal *p = r->p;
    if (!r->has_type)
        return fail(r, r->depth - 1, "proposal has no type");
    if (!r->has_choices)
        return fail(r, r->depth - 1, "proposal has no choices");
    r->proposal_done = true;
    if (p->type == GVT_TYPE_SINGLE_CHOICE || p->type == GVT_TYPE_BASIC)
        r->cache =
            gvt_xcalloc(p->n_choices ? p->n_choices : 1, sizeof *r->cache);
    for (size_t i = 0; i < r->n_def; i++) {
        const deferred *d = &r->def[i];
        if (!decode_ballot(r, d->ballot, d->raw, d->len, d->offset))
            return 0;
    }
    r->n_def = 0;
    return 1;
}

static int doc_end(reader *r)
{
    if (!r->have_proposal)
        return fail(r, 0, "document has no proposal");
    if (!r->have_votes)
        return fail(r, 0, "document has no votes");
    gvt_proposal_finish(r->p);
    gvt_proposal *p = r->p;
    p->views_only = true; /* ballot_store, choice.c: arena views only */
    r->p = NULL;
    size_t index = r->n_docs++;
    doc_reset(r);
    if (r->fn) {
        if (r->fn(r->ctx, index, p) != 0) {
            r->stopped = true;
            return 0;
        }
    } else {
        r->single = p;
    }
    return 1;
}

/* ---- votes --------------------------------------------------------------- */

static void vote_begin(reader *r, size_t index)
{
    vote_scratch *v = &r->v;
    v->has_id = v->has_voter = v->has_created = false;
    v->has_choice = v->has_vp = false;
    v->id.len = 0;
    if (v->id.data)
        v->id.data[0] = '\0';
    v->raw.len = 0;
    r->in_vote = true;
    r->vote_index = index;
}

/*
 * Eight bytes at a time (SWAR). A word is loaded with the first byte of the
 * text as its lowest byte, whatever the machine's byte order. In the masks
 * below the high bit of a byte is set where the byte matches; a match may
 * also mark higher bytes (a borrow or carry runs upward), never lower ones,
 * so the lowest marked byte is the first match.
 */
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static void store8(char *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, sizeof w);
}

/* Index (0-7) of the first marked byte of a non-zero mask. */
static unsigned first_marked(uint64_t m)
{
    return (unsigned)__builtin_ctzll(m) / 8;
}

/* Bytes that are not decimal digits. */
static uint64_t non_digits(uint64_t w)
{
    uint64_t x = w ^ (ONES * '0'); /* digits become 0..9 */
    return ((x + ONES * 0x76) | x) & HIGHS;
}

/* Bytes that are not 'a'..'f'. */
static uint64_t non_af(uint64_t w)
{
    uint64_t x = w ^ (ONES * 0x60); /* 'a'..'f' become 1..6 */
    return (((x + ONES * 0x79) | x) | ((x - ONES) & ~x)) & HIGHS;
}

/* Is s (len bytes) a canonical vote id, "0x" + 64 lower-case hex digits?
 * Then out receives the 32 bytes it spells. */
static bool id_pack(const char *s, size_t len, uint8_t *out)
{
    if (len != 66 || s[0] != '0' || s[1] != 'x')
        return false;
    const unsigned char *u = (const unsigned char *)s + 2;
    /* Eight digits at a time: their values, then pairs into bytes. */
    for (size_t k = 0; k < 8; k++) {
        uint64_t w = load8(u + 8 * k);
        if (non_digits(w) & non_af(w))
            return false;
        uint64_t v = (w & ONES * 0x0f) + ((w >> 6) & ONES) * 9;
        uint64_t t =
            ((v & 0x00ff00ff00ff00ffu) << 4) | ((v >> 8) & 0x00ff00ff00ff00ffu);
        for (size_t j = 0; j < 4; j++)
            out[4 * k + j] = (uint8_t)(t >> (16 * j));
    }
    return true;
}

/*
 * A ballot's vp, voter and id share one arena block (8-byte aligned): the
 * vp's limbs, then the voter's text and its NUL, then the id (see
 * gvt_ballot in internal.h), a canonical id as its 32 bytes. The vp is a
 * read-only GMP integer over those limbs (mpz_roinit_n): no malloc per
 * ballot, and gvt_proposal_free leaves it alone (_mp_alloc is 0). Every
 * user of ballot->vp only reads it. At least one limb is stored, so that
 * even a zero has a readable limb.
 */
static void ballot_store(gvt_arena *a, gvt_ballot *b, const vote_scratch *v)
{
    size_t n = mpz_size(v->vp), nl = n ? n : 1;
    size_t vlen = v->voter_len, ilen = v->has_id ? v->id.len : 0;
    uint8_t packed[32];
    bool hex = ilen == 66 && id_pack(v->id.data, ilen, packed);
    size_t idsize = ilen == 0 ? 0 : hex ? 32 : ilen + 1;
    mp_limb_t *limbs =
        gvt_arena_alloc8(a, nl * sizeof *limbs + vlen + 1 + idsize);
    limbs[0] = 0;
    if (n)
        memcpy(limbs, mpz_limbs_read(v->vp), n * sizeof *limbs);
    mpz_roinit_n(b->vp, limbs, (mp_size_t)n);
    char *mem = (char *)(limbs + nl);
    memcpy(mem, v->voter, vlen + 1);
    b->voter = mem;
    mem += vlen + 1;
    if (ilen == 0) {
        b->id_kind = GVT_ID_NONE;
    } else if (hex) {
        b->id_kind = GVT_ID_HEX;
        memcpy(mem, packed, 32);
    } else {
        b->id_kind = GVT_ID_TEXT;
        memcpy(mem, v->id.data, ilen);
        mem[ilen] = '\0';
    }
}

/*
 * Stores the vote read into r->v as the next ballot (its voter, choice and
 * vp are there); `end` is the offset just past its '}'. Both readers of
 * votes end here: the YAJL events (vote_end) and the fast lane.
 */
static int vote_commit(reader *r, long long end)
{
    vote_scratch *v = &r->v;
    gvt_proposal *p = r->p;
    if (p->n_ballots == r->cap_ballots) {
        r->cap_ballots = r->cap_ballots ? r->cap_ballots * 2 : 1024;
        p->ballots =
            gvt_xrealloc(p->ballots, r->cap_ballots * sizeof *p->ballots);
    }
    size_t i = p->n_ballots;
    gvt_ballot *b = &p->ballots[i];
    ballot_store(p->arena, b, v);
    b->created = v->has_created ? v->created : INT64_MIN;
    b->input = (uint32_t)r->vote_index;
    b->status = GVT_BALLOT_COUNTED;
    b->choice = NULL;
    p->n_ballots++;
    if (r->proposal_done) {
        if (!decode_ballot(r, i, (const unsigned char *)v->raw.data, v->raw.len,
                           v->choice_end))
            return 0;
    } else {
        if (r->n_def == r->cap_def) {
            r->cap_def = r->cap_def ? r->cap_def * 2 : 256;
            r->def = gvt_xrealloc(r->def, r->cap_def * sizeof *r->def);
        }
        unsigned char *copy = gvt_arena_alloc(p->arena, v->raw.len);
        memcpy(copy, v->raw.data, v->raw.len);
        r->def[r->n_def++] = (deferred){i, copy, v->raw.len, v->choice_end};
    }
    r->in_vote = false;
    r->last_vote_end = end;
    if (r->cancel && atomic_load_explicit(r->cancel, memory_order_relaxed))
        return 0;
    return 1;
}

static int vote_end(reader *r)
{
    vote_scratch *v = &r->v;
    if (!v->has_voter)
        return fail(r, r->depth - 1, "vote has no voter");
    if (!v->has_choice)
        return fail(r, r->depth - 1, "vote has no choice");
    if (!v->has_vp)
        return fail(r, r->depth - 1, "vote has no vp");
    return vote_commit(r, here(r));
}

/* 0x + 40 or 64 hex digits of either case; stored lower-case in out. */
static bool address_ok(const char *s, size_t len, char *out)
{
    if ((len != 42 && len != 66) || s[0] != '0' || s[1] != 'x')
        return false;
    out[0] = '0';
    out[1] = 'x';
    out[len] = '\0';
    /* Eight digits at a time; 'A'..'F' | 0x20 = 'a'..'f', and the digits
     * have that bit already. */
    for (size_t i = 2; i < len; i += 8) {
        uint64_t w = load8((const unsigned char *)s + i);
        uint64_t lower = w | ONES * 0x20;
        if (non_digits(w) & non_af(lower))
            return false;
        store8(out + i, lower);
    }
    return true;
}

/* A JSON number's text as an int64 when it is a plain integer. */
static bool integer_ok(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == len || len - i > 19)
        return false;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX + (neg ? 1u : 0u))
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static const char *kind_name(int kind)
{
    static const char *const names[] = {"null",     "true",     "false",
                                        "a number", "a string", "an object",
                                        "an array"};
    return names[kind];
}

/*
 * Stores a scalar value of a vote's field (id, voter, created, vp,
 * vp_by_strategy; the others are read past) into v. False when the value
 * is not acceptable there: vote_value then says why. The fast lane takes
 * the same decisions through this function.
 */
static bool vote_field(vote_scratch *v, int field, int kind, const char *s,
                       size_t len)
{
    switch (field) {
    case F_ID:
        if (kind == K_NULL)
            return true;
        if (kind != K_STRING)
            return false;
        v->id.len = 0;
        gvt_buf_add(&v->id, s, len);
        v->has_id = true;
        return true;
    case F_VOTER:
        if (kind == K_NULL)
            return true;
        if (kind != K_STRING || !address_ok(s, len, v->voter))
            return false;
        v->voter_len = len;
        v->has_voter = true;
        return true;
    case F_CREATED:
        if (kind == K_NULL)
            return true;
        if (kind != K_NUMBER || !integer_ok(s, len, &v->created))
            return false;
        v->has_created = true;
        return true;
    case F_VP:
        if (kind != K_NUMBER || gvt_fx_parse(v->vp, s, len, false) != GVT_FX_OK)
            return false;
        v->has_vp = true;
        return true;
    case F_VPBS: /* an array is read element by element (R_VPBS) */
        return kind == K_NULL;
    default:
        return true;
    }
}

static int vote_value(reader *r, int kind, const char *s, size_t len)
{
    int field = r->st[r->depth].field;
    if (vote_field(&r->v, field, kind, s, len))
        return 1;
    switch (field) {
    case F_ID:
        return fail(r, r->depth, "vote id is %s, not a string",
                    kind_name(kind));
    case F_VOTER:
        if (kind != K_STRING)
            return fail(r, r->depth, "voter is %s, not a string",
                        kind_name(kind));
        return fail(r, r->depth,
                    "voter \"%.*s\" is not an address (0x + 40 or 64 hex "
                    "digits)",
                    (int)(len > 70 ? 70 : len), s);
    case F_CREATED:
        return fail(r, r->depth, "created is not an integer");
    case F_VP:
        if (kind == K_STRING)
            return fail(r, r->depth, "vp is a string, not a number");
        if (kind != K_NUMBER)
            return fail(r, r->depth, "vp is %s, not a number", kind_name(kind));
        return fail(r, r->depth, "vp: %s",
                    gvt_fx_status_text(gvt_fx_parse(r->v.vp, s, len, false)));
    default:
        return fail(r, r->depth, "vp_by_strategy is %s, not an array",
                    kind_name(kind));
    }
}

/* ---- the proposal -------------------------------------------------------- */

static int set_type(reader *r, const char *s, size_t len)
{
    for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
        const char *name = gvt_type_name((gvt_type)t);
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            r->p->type = (gvt_type)t;
            r->has_type = true;
            return 1;
        }
    }
    return fail(r, r->depth, "unknown proposal type \"%.*s\"",
                (int)(len > 40 ? 40 : len), s);
}

static int proposal_value(reader *r, int kind, const char *s, size_t len)
{
    gvt_proposal *p = r->p;
    frame *f = &r->st[r->depth];
    switch (f->field) {
    case F_ID:
    case F_SPACE:
        if (kind == K_NULL)
            return 1;
        if (kind != K_STRING)
            return fail(r, r->depth, "proposal %s is %s, not a string",
                        f->field == F_ID ? "id" : "space", kind_name(kind));
        if (f->field == F_ID)
            p->id = gvt_arena_strndup(p->arena, s, len);
        else
            p->space = gvt_arena_strndup(p->arena, s, len);
        return 1;
    case F_TYPE:
        if (kind != K_STRING)
            return fail(r, r->depth, "proposal type is %s, not a string",
                        kind_name(kind));
        return set_type(r, s, len);
    case F_CHOICES:
        return fail(r, r->depth, "choices is %s, not an array of strings",
                    kind_name(kind));
    case F_START:
    case F_END: {
        if (kind == K_NULL)
            return 1;
        int64_t t;
        if (kind != K_NUMBER || !integer_ok(s, len, &t))
            return fail(r, r->depth, "%s is not an integer",
                        f->field == F_START ? "start" : "end");
        if (f->field == F_START)
            p->start = t;
        else
            p->end = t;
        return 1;
    }
    case F_QUORUM:
        if (kind != K_NULL && kind != K_NUMBER)
            return fail(r, r->depth, "quorum is %s, not a number",
                        kind_name(kind));
        return 1;
    case F_QUORUM_TYPE:
        if (kind != K_NULL && kind != K_STRING)
            return fail(r, r->depth, "quorumType is %s, not a string",
                        kind_name(kind));
        return 1;
    case F_STRATEGIES:
        if (kind != K_NULL)
            return fail(r, r->depth, "strategies is %s, not an array",
                        kind_name(kind));
        return 1;
    case F_PRIVACY:
        if (kind != K_NULL && kind != K_STRING)
            return fail(r, r->depth, "privacy is %s, not a string",
                        kind_name(kind));
        p->shutter =
            kind == K_STRING && len == 7 && memcmp(s, "shutter", 7) == 0;
        return 1;
    default:
        return 1;
    }
}

/* ---- dispatch of values by where they stand ------------------------------ */

static int push(reader *r, bool is_array, int role)
{
    if (r->depth >= MAX_DEPTH)
        return fail(r, r->depth, "nesting deeper than %d levels", MAX_DEPTH);
    frame *f = &r->st[++r->depth];
    f->is_array = is_array;
    f->role = (uint8_t)role;
    f->field = F_OTHER;
    f->index = 0;
    f->keys_start = r->keys.len;
    f->last_key = 0;
    f->n_keys = 0;
    f->seen = 0;
    f->any_key = false;
    r->tables[r->depth].active = false;
    return 1;
}

/* Appends a value's token to a raw choice (choice.c's form). */
static void raw_put(gvt_buf *raw, int kind, const char *s, size_t len)
{
    switch (kind) {
    case K_NULL:
        gvt_choice_raw_token(raw, GVT_RAW_NULL);
        break;
    case K_TRUE:
        gvt_choice_raw_token(raw, GVT_RAW_TRUE);
        break;
    case K_FALSE:
        gvt_choice_raw_token(raw, GVT_RAW_FALSE);
        break;
    case K_NUMBER:
        gvt_choice_raw_text(raw, GVT_RAW_NUMBER, s, len);
        break;
    case K_STRING:
        gvt_choice_raw_text(raw, GVT_RAW_STRING, s, len);
        break;
    case K_MAP:
        gvt_choice_raw_token(raw, GVT_RAW_MAP);
        break;
    case K_ARRAY:
        gvt_choice_raw_token(raw, GVT_RAW_ARRAY);
        break;
    }
}

static int capture(reader *r, int kind, const char *s, size_t len)
{
    raw_put(&r->v.raw, kind, s, len);
    if (r->v.raw.len > MAX_CHOICE_RAW)
        return fail(r, r->depth, "choice larger than %lu bytes",
                    (unsigned long)MAX_CHOICE_RAW);
    return 1;
}

/*
 * A value begins (a scalar, or the opening of an object or array): decide
 * what it is from its parent frame, store it or check its type, and push a
 * frame for a container.
 */
static int value(reader *r, int kind, const char *s, size_t len)
{
    frame *f = &r->st[r->depth];
    bool container = kind == K_MAP || kind == K_ARRAY;
    if ((kind == K_STRING || kind == K_NUMBER) && len > MAX_TOKEN)
        return fail(r, r->depth, "%s longer than %d bytes",
                    kind == K_STRING ? "string" : "number", MAX_TOKEN);
    if (f->is_array) {
        if (f->role == R_VOTES && f->index >= MAX_VOTES)
            return fail(r, r->depth, "more than %lu votes",
                        (unsigned long)MAX_VOTES);
        f->index++;
    }
    if (r->depth == 0 && r->spec) {
        /* The synthetic '[' before the second half of the votes. */
        r->votes_depth = 1;
        return push(r, true, R_VOTES);
    }
    if (r->depth == 0) {
        if (kind != K_MAP)
            return fail(r, 0, "document is %s, not an object", kind_name(kind));
        doc_begin(r);
        return push(r, false, R_ROOT);
    }
    int role = R_SKIP;
    switch (f->role) {
    case R_SKIP:
        break;
    case R_CHOICE:
        if (!capture(r, kind, s, len))
            return 0;
        role = R_CHOICE;
        break;
    case R_ROOT:
    case R_DATA:
        if (f->field == F_PROPOSAL) {
            if (kind != K_MAP)
                return fail(r, r->depth, "proposal is %s, not an object",
                            kind_name(kind));
            if (r->have_proposal)
                return fail(r, r->depth, "document has two proposals");
            r->have_proposal = true;
            role = R_PROPOSAL;
        } else if (f->field == F_VOTES) {
            if (kind != K_ARRAY)
                return fail(r, r->depth, "votes is %s, not an array",
                            kind_name(kind));
            if (r->have_votes)
                return fail(r, r->depth, "document has two vote lists");
            r->have_votes = true;
            path_build(r, r->depth, r->votes_path, sizeof r->votes_path);
            r->votes_depth = r->depth + 1;
            role = R_VOTES;
        } else if (f->field == F_DATA && f->role == R_ROOT) {
            if (kind != K_MAP)
                return fail(r, r->depth, "data is %s, not an object",
                            kind_name(kind));
            role = R_DATA;
        }
        break;
    case R_PROPOSAL:
        if (f->field == F_SPACE && kind == K_MAP) {
            role = R_SPACE;
        } else if (f->field == F_CHOICES && kind == K_ARRAY) {
            if (r->has_choices)
                return fail(r, r->depth, "proposal has two choice lists");
            r->n_labels = 0;
            role = R_CHOICES;
        } else if (f->field == F_STRATEGIES && kind == K_ARRAY) {
            role = R_STRATEGIES;
        } else if (f->field != F_OTHER) {
            return proposal_value(r, kind, s, len);
        }
        break;
    case R_SPACE:
        if (f->field == F_ID) {
            if (kind != K_STRING && kind != K_NULL)
                return fail(r, r->depth, "space id is %s, not a string",
                            kind_name(kind));
            if (kind == K_STRING)
                r->p->space = gvt_arena_strndup(r->p->arena, s, len);
            return 1;
        }
        break;
    case R_CHOICES:
        if (kind != K_STRING)
            return fail(r, r->depth, "choice label is %s, not a string",
                        kind_name(kind));
        if (r->n_labels == UINT32_MAX)
            return fail(r, r->depth, "too many choices");
        if (r->n_labels == r->cap_labels) {
            r->cap_labels = r->cap_labels ? r->cap_labels * 2 : 16;
            r->labels =
                gvt_xrealloc(r->labels, r->cap_labels * sizeof *r->labels);
        }
        r->labels[r->n_labels++] = gvt_arena_strndup(r->p->arena, s, len);
        return 1;
    case R_STRATEGIES:
        r->p->n_strategies++;
        break;
    case R_VOTES:
        if (kind != K_MAP) {
            vote_begin(r, f->index - 1);
            return fail(r, r->depth, "vote is %s, not an object",
                        kind_name(kind));
        }
        vote_begin(r, f->index - 1);
        role = R_VOTE;
        break;
    case R_VOTE:
        if (f->field == F_CHOICE) {
            r->v.raw.len = 0;
            r->v.has_choice = true;
            if (!capture(r, kind, s, len))
                return 0;
            if (!container) {
                r->v.choice_end = here(r);
                return 1;
            }
            role = R_CHOICE;
        } else if (f->field == F_VPBS && kind == K_ARRAY) {
            role = R_VPBS;
        } else if (f->field != F_OTHER && f->field < F_IGNORED) {
            return vote_value(r, kind, s, len);
        }
        break;
    case R_VPBS:
        if (kind != K_NUMBER)
            return fail(r, r->depth, "vp_by_strategy holds %s, not a number",
                        kind_name(kind));
        return 1;
    default:
        break;
    }
    return container ? push(r, kind == K_ARRAY, role) : 1;
}

/* A container closes. */
static int close_frame(reader *r)
{
    frame *f = &r->st[r->depth];
    int role = f->role;
    int rc = 1;
    if (role == R_CHOICE) {
        gvt_choice_raw_token(&r->v.raw, (char)(f->is_array ? GVT_RAW_ARRAY_END
                                                           : GVT_RAW_MAP_END));
        if (r->st[r->depth - 1].role == R_VOTE)
            r->v.choice_end = here(r);
    } else if (role == R_CHOICES) {
        gvt_proposal *p = r->p;
        p->n_choices = (uint32_t)r->n_labels;
        p->choices = gvt_arena_alloc(p->arena, (r->n_labels ? r->n_labels : 1) *
                                                   sizeof *p->choices);
        if (r->n_labels)
            memcpy(p->choices, r->labels, r->n_labels * sizeof *p->choices);
        r->has_choices = true;
    } else if (role == R_VOTE) {
        rc = vote_end(r);
    } else if (role == R_VOTES) {
        r->votes_depth = 0;
        if (r->spec) { /* the end of the second half: stop here */
            r->spec_end = here(r) - 1;
            r->depth--;
            return 0;
        }
    } else if (role == R_PROPOSAL) {
        rc = proposal_end(r);
    } else if (role == R_ROOT) {
        rc = doc_end(r);
    }
    if (!rc)
        return 0;
    if (!f->is_array)
        r->keys.len = f->keys_start;
    r->depth--;
    return 1;
}

/* ---- keys ---------------------------------------------------------------- */

static uint32_t key_hash(const unsigned char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

static bool key_equal(const reader *r, size_t off, uint32_t hash,
                      const unsigned char *s, size_t len)
{
    uint32_t n, h;
    memcpy(&n, r->keys.data + off, sizeof n);
    memcpy(&h, r->keys.data + off + sizeof n, sizeof h);
    return h == hash && n == len &&
           memcmp(r->keys.data + off + 2 * sizeof n, s, len) == 0;
}

static size_t record_size(const reader *r, size_t off)
{
    uint32_t n;
    memcpy(&n, r->keys.data + off, sizeof n);
    return 2 * sizeof n + n;
}

static void table_insert(key_table *t, const reader *r, size_t off)
{
    uint32_t h;
    memcpy(&h, r->keys.data + off + sizeof h, sizeof h);
    size_t i = h & (t->cap - 1);
    while (t->slots[i])
        i = (i + 1) & (t->cap - 1);
    t->slots[i] = off + 1;
}

static void table_build(key_table *t, const reader *r, const frame *f,
                        size_t cap)
{
    if (t->cap < cap) {
        free(t->slots);
        t->slots = gvt_xmalloc(cap * sizeof *t->slots);
        t->cap = cap;
    }
    memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->active = true;
    size_t off = f->keys_start;
    for (uint32_t k = 0; k < f->n_keys; k++) {
        table_insert(t, r, off);
        off += record_size(r, off);
    }
}

/* Is the key already in the current object? */
static bool key_seen(reader *r, const unsigned char *s, size_t len,
                     uint32_t hash)
{
    frame *f = &r->st[r->depth];
    key_table *t = &r->tables[r->depth];
    if (!t->active) {
        size_t off = f->keys_start;
        for (uint32_t k = 0; k < f->n_keys; k++) {
            if (key_equal(r, off, hash, s, len))
                return true;
            off += record_size(r, off);
        }
        return false;
    }
    size_t i = hash & (t->cap - 1);
    while (t->slots[i]) {
        if (key_equal(r, t->slots[i] - 1, hash, s, len))
            return true;
        i = (i + 1) & (t->cap - 1);
    }
    return false;
}

static int field_of(int role, const unsigned char *k, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(k, lit, len) == 0)
    switch (role) {
    case R_ROOT:
        if (IS("data"))
            return F_DATA;
        /* fall through */
    case R_DATA:
        if (IS("proposal"))
            return F_PROPOSAL;
        if (IS("votes"))
            return F_VOTES;
        return F_OTHER;
    case R_PROPOSAL:
        if (IS("id"))
            return F_ID;
        if (IS("space"))
            return F_SPACE;
        if (IS("type"))
            return F_TYPE;
        if (IS("choices"))
            return F_CHOICES;
        if (IS("start"))
            return F_START;
        if (IS("end"))
            return F_END;
        if (IS("quorum"))
            return F_QUORUM;
        if (IS("quorumType"))
            return F_QUORUM_TYPE;
        if (IS("strategies"))
            return F_STRATEGIES;
        if (IS("privacy"))
            return F_PRIVACY;
        return F_OTHER;
    case R_SPACE:
        return IS("id") ? F_ID : F_OTHER;
    case R_VOTE:
        /* Every vote has several keys: dispatch on the length first. */
        switch (len) {
        case 2:
            return IS("id") ? F_ID : IS("vp") ? F_VP : F_OTHER;
        case 3:
            return IS("app") ? F_APP : F_OTHER;
        case 4:
            return IS("ipfs") ? F_IPFS : F_OTHER;
        case 5:
            return IS("voter") ? F_VOTER : F_OTHER;
        case 6:
            return IS("choice") ? F_CHOICE : IS("reason") ? F_REASON : F_OTHER;
        case 7:
            return IS("created") ? F_CREATED : F_OTHER;
        case 8:
            return IS("vp_state")   ? F_VP_STATE
                   : IS("metadata") ? F_METADATA
                                    : F_OTHER;
        case 14:
            return IS("vp_by_strategy") ? F_VPBS : F_OTHER;
        default:
            return F_OTHER;
        }
    default:
        return F_OTHER;
    }
#undef IS
}

/* ---- YAJL callbacks ------------------------------------------------------ */

static int cb_null(void *ctx)
{
    return value(ctx, K_NULL, NULL, 0);
}

static int cb_boolean(void *ctx, int b)
{
    return value(ctx, b ? K_TRUE : K_FALSE, NULL, 0);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    return value(ctx, K_NUMBER, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return value(ctx, K_STRING, (const char *)s, len);
}

static int cb_start_map(void *ctx)
{
    return value(ctx, K_MAP, NULL, 0);
}

static int cb_start_array(void *ctx)
{
    return value(ctx, K_ARRAY, NULL, 0);
}

static int cb_end(void *ctx)
{
    return close_frame(ctx);
}

/*
 * A key: known fields of the export are checked for repeats with a bit each;
 * other keys are stored in r->keys (linear search, then a hash table for
 * large objects), so that a duplicate key anywhere is an error without a
 * quadratic cost.
 */
static int cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
    reader *r = ctx;
    frame *f = &r->st[r->depth];
    if (len > MAX_TOKEN)
        return fail(r, r->depth, "key longer than %d bytes", MAX_TOKEN);
    f->any_key = true;
    int field = field_of(f->role, s, len);
    f->field = (uint8_t)field;
    if (field != F_OTHER) {
        if (f->seen & (1u << field))
            return fail(r, r->depth, "duplicate key \"%s\"",
                        field_names[field]);
        f->seen |= 1u << field;
        return 1;
    }
    uint32_t hash = key_hash(s, len);
    bool dup = key_seen(r, s, len, hash);
    uint32_t head[2] = {(uint32_t)len, hash};
    size_t off = r->keys.len;
    gvt_buf_add(&r->keys, head, sizeof head);
    gvt_buf_add(&r->keys, s, len);
    f->last_key = off;
    f->n_keys++;
    if (dup)
        return fail(r, r->depth, "duplicate key \"%.*s\"",
                    (int)(len > 60 ? 60 : len), (const char *)s);
    key_table *t = &r->tables[r->depth];
    if (t->active) {
        if (2 * (size_t)f->n_keys > t->cap)
            table_build(t, r, f, t->cap * 2);
        else
            table_insert(t, r, off);
    } else if (f->n_keys >= LINEAR_KEYS) {
        table_build(t, r, f, 4 * LINEAR_KEYS);
    }
    if (f->role == R_CHOICE)
        gvt_choice_raw_text(&r->v.raw, GVT_RAW_KEY, (const char *)s, len);
    return 1;
}

static const yajl_callbacks callbacks = {
    cb_null,      cb_boolean, NULL,   NULL,           cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end};

/* ---- driving the parser -------------------------------------------------- */

static void reader_init(reader *r, const char *name, gvt_error *err,
                        bool stream)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->err = err;
    r->last_nl = -1;
    r->last_vote_end = -1;
    r->spec_end = -1;
    gvt_buf_init(&r->keys);
    gvt_buf_init(&r->v.id);
    gvt_buf_init(&r->v.raw);
    mpz_init(r->v.vp);
    r->h = yajl_alloc(&callbacks, NULL, r);
    if (!r->h) {
        fprintf(stderr, "govtally: out of memory (yajl_alloc)\n");
        abort();
    }
    if (stream)
        yajl_config(r->h, yajl_allow_multiple_values, 1);
    gvt_error_clear(err);
}

static void reader_free(reader *r)
{
    gvt_proposal_free(r->p);
    r->p = NULL;
    doc_reset(r);
    yajl_free(r->h);
    gvt_buf_free(&r->keys);
    gvt_buf_free(&r->v.id);
    gvt_buf_free(&r->v.raw);
    mpz_clear(r->v.vp);
    for (int i = 0; i <= MAX_DEPTH; i++)
        free(r->tables[i].slots);
    free(r->labels);
    free(r->def);
}

/* YAJL's own message ("parse error: ...") as ours. */
static void yajl_failure(reader *r, long long offset)
{
    unsigned char *msg = yajl_get_error(r->h, 0, NULL, 0);
    char text[200];
    snprintf(text, sizeof text, "%s", msg ? (const char *)msg : "?");
    yajl_free_error(r->h, msg);
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    char path[160];
    path_build(r, r->depth, path, sizeof path);
    if (strstr(text, "UTF8"))
        fail_at(r, offset, path, r->in_vote, "invalid UTF-8 in a string (%s)",
                text);
    else
        fail_at(r, offset, path, r->in_vote, "invalid JSON (%s)", text);
}

static void count_lines(reader *r, const unsigned char *data, size_t n)
{
    const unsigned char *p = data, *end = data + n, *last = NULL;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        r->lines_before++;
        last = p++;
    }
    if (last)
        r->last_nl = r->base + (last - data);
}

/* ---- the fast lane --------------------------------------------------------
 *
 * Nearly all the bytes of an export are votes, and votes look alike: an
 * object of known keys whose values are plain strings (ASCII, no escape),
 * numbers, null or booleans, a vp_by_strategy array of numbers, and a choice
 * that is a scalar, an array of scalars or an object of scalars. The lane
 * reads such votes straight from the input, without YAJL's events, and
 * commits each one through vote_field and vote_commit, as the events would.
 *
 * It starts only where YAJL stands just past the '}' of a vote of the votes
 * array (feed() gives YAJL the text up to a likely vote end and checks):
 * there YAJL holds no partial token and expects ',' or ']'. The lane takes
 * ", {vote}" after ", {vote}", and stops, having committed nothing of it,
 * before the first vote it cannot prove plainly valid: an escape, a byte
 * outside ASCII, an unknown or repeated key, a nested value, a voter or vp that
 * vote_field refuses, a missing field, the end of the piece inside a vote,
 * or anything but ", {" (such as the ']' closing the array). YAJL then reads
 * on from that byte, in the state it was left in: every error and every
 * unusual vote is the event parser's, with its message, path and offset.
 */

#define LANE_KEYS 16 /* choice objects with more keys are left to YAJL */

static bool lane_off; /* tests: gvt_reader_lane_for_tests */
static atomic_ulong lane_votes;

void gvt_reader_lane_for_tests(bool on)
{
    lane_off = !on;
}

unsigned long gvt_reader_lane_votes(void)
{
    return atomic_load(&lane_votes);
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const unsigned char *skip_ws(const unsigned char *p,
                                    const unsigned char *end)
{
    while (p < end && is_space(*p))
        p++;
    return p;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of a string that end the lane's plain run: '"', '\\', a control
 * character, or a byte outside ASCII. */
static uint64_t string_stops(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) |
            w) &
           HIGHS;
}

/*
 * A plain string whose text starts at p (just past the opening quote):
 * returns the position past its closing quote, with its length in *len; NULL
 * when it holds an escape, a control character or a byte outside ASCII, or
 * does not close before `end`.
 */
static const unsigned char *lane_string(const unsigned char *p,
                                        const unsigned char *end, size_t *len)
{
    const unsigned char *s = p;
    for (;; p += 8) {
        if (end - p < 8) {
            while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 &&
                   *p < 0x80)
                p++;
            break;
        }
        uint64_t m = string_stops(load8(p));
        if (m) {
            p += first_marked(m);
            break;
        }
    }
    if (p >= end || *p != '"')
        return NULL;
    *len = (size_t)(p - s);
    return *len <= MAX_TOKEN ? p + 1 : NULL;
}

/* Past the decimal digits at p (none, or up to `end`). */
static const unsigned char *skip_digits(const unsigned char *p,
                                        const unsigned char *end)
{
    for (; end - p >= 8; p += 8) {
        uint64_t m = non_digits(load8(p));
        if (m)
            return p + first_marked(m);
    }
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* The end of the JSON number (RFC 8259 grammar) at p; NULL when there is
 * none or it reaches `end` (it may go on in the next piece). */
static const unsigned char *lane_number(const unsigned char *p,
                                        const unsigned char *end)
{
    const unsigned char *s = p;
    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return NULL;
    if (*p++ != '0')
        p = skip_digits(p, end);
    if (p < end && *p == '.') {
        if (++p >= end || !is_digit(*p))
            return NULL;
        p = skip_digits(p, end);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        p = skip_digits(p, end);
    }
    return p < end && p - s <= MAX_TOKEN ? p : NULL;
}

static const unsigned char *lane_word(const unsigned char *p,
                                      const unsigned char *end, const char *w,
                                      size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 ? p + n : NULL;
}

/* The scalar value at p (p < end): its kind and text, and its end; NULL
 * for a container or anything the lane leaves to YAJL. */
static const unsigned char *lane_scalar(const unsigned char *p,
                                        const unsigned char *end, int *kind,
                                        const char **s, size_t *len)
{
    const unsigned char *q;
    *s = (const char *)p;
    *len = 0;
    switch (*p) {
    case '"':
        *kind = K_STRING;
        *s = (const char *)p + 1;
        return lane_string(p + 1, end, len);
    case 't':
        *kind = K_TRUE;
        return lane_word(p, end, "true", 4);
    case 'f':
        *kind = K_FALSE;
        return lane_word(p, end, "false", 5);
    case 'n':
        *kind = K_NULL;
        return lane_word(p, end, "null", 4);
    default:
        *kind = K_NUMBER;
        q = lane_number(p, end);
        if (q)
            *len = (size_t)(q - p);
        return q;
    }
}

/* After a member or element at p: past the ',' and the whitespace after
 * it, with *close false; or past `close_char`, with *close true; NULL for
 * anything else. */
static const unsigned char *lane_next(const unsigned char *p,
                                      const unsigned char *end, char close_char,
                                      bool *close)
{
    p = skip_ws(p, end);
    if (p >= end)
        return NULL;
    *close = *p == close_char;
    if (*close)
        return p + 1;
    if (*p != ',')
        return NULL;
    p = skip_ws(p + 1, end);
    return p < end ? p : NULL;
}

/* A choice: a scalar, an array of scalars or an object of scalars, into
 * r->v.raw as capture() would write it; returns its end or NULL. */
static const unsigned char *lane_choice(reader *r, const unsigned char *p,
                                        const unsigned char *end)
{
    gvt_buf *raw = &r->v.raw;
    int kind;
    const char *s;
    size_t len;
    bool close = false;
    raw->len = 0;
    if (*p != '[' && *p != '{') {
        p = lane_scalar(p, end, &kind, &s, &len);
        if (p)
            raw_put(raw, kind, s, len);
        return p;
    }
    bool object = *p == '{';
    raw_put(raw, object ? K_MAP : K_ARRAY, NULL, 0);
    p = skip_ws(p + 1, end);
    if (p >= end)
        return NULL;
    const char *keys[LANE_KEYS];
    size_t key_lens[LANE_KEYS], n_keys = 0;
    if (*p == (object ? '}' : ']')) {
        p++;
        close = true;
    }
    while (!close) {
        if (object) {
            if (*p != '"' || n_keys == LANE_KEYS)
                return NULL;
            const char *k = (const char *)p + 1;
            p = lane_string(p + 1, end, &len);
            if (!p)
                return NULL;
            for (size_t i = 0; i < n_keys; i++)
                if (key_lens[i] == len && memcmp(keys[i], k, len) == 0)
                    return NULL;
            keys[n_keys] = k;
            key_lens[n_keys++] = len;
            gvt_choice_raw_text(raw, GVT_RAW_KEY, k, len);
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                return NULL;
            p = skip_ws(p + 1, end);
            if (p >= end)
                return NULL;
        }
        if (*p == '[' || *p == '{')
            return NULL;
        p = lane_scalar(p, end, &kind, &s, &len);
        if (!p)
            return NULL;
        raw_put(raw, kind, s, len);
        if (raw->len > MAX_CHOICE_RAW)
            return NULL;
        p = lane_next(p, end, object ? '}' : ']', &close);
        if (!p)
            return NULL;
    }
    gvt_choice_raw_token(raw, object ? GVT_RAW_MAP_END : GVT_RAW_ARRAY_END);
    return p;
}

/* vp_by_strategy's array of numbers at p ('['); its end or NULL. */
static const unsigned char *lane_numbers(const unsigned char *p,
                                         const unsigned char *end)
{
    p = skip_ws(p + 1, end);
    if (p < end && *p == ']')
        return p + 1;
    for (bool close = false; !close;) {
        p = lane_number(p, end);
        if (!p || !(p = lane_next(p, end, ']', &close)))
            return NULL;
    }
    return p;
}

/*
 * The common vp, "digits[.digits]" as JSON writes it, straight to fixed
 * point (gvt_fx_scan_plain): its length, or 0 to read it the general way
 * (a sign, an exponent, a leading zero before a digit, too many digits, or
 * the end of the piece right after it).
 */
static size_t lane_vp(vote_scratch *v, const unsigned char *p,
                      const unsigned char *end)
{
    if (p + 1 < end && p[0] == '0' && is_digit(p[1]))
        return 0;
    size_t len = gvt_fx_scan_plain(v->vp, (const char *)p, (size_t)(end - p));
    if (len == 0 || p + len >= end || p[len] == '.' || p[len] == 'e' ||
        p[len] == 'E' || is_digit(p[len]))
        return 0;
    v->has_vp = true;
    return len;
}

/* Do the len bytes at p (before end) spell text? */
static bool same_bytes(const unsigned char *p, const unsigned char *end,
                       const char *text, size_t len)
{
    if ((size_t)(end - p) < len)
        return false;
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (load8(p + i) != load8((const unsigned char *)text + i))
            return false;
    for (; i < len; i++)
        if (p[i] != (unsigned char)text[i])
            return false;
    return true;
}

/*
 * The vote whose '{' is at p, d being the start of the piece (offset
 * r->base): fills r->v and returns the position past its '}', or NULL to
 * leave it to YAJL.
 */
static const unsigned char *lane_vote(reader *r, const unsigned char *d,
                                      const unsigned char *p,
                                      const unsigned char *end)
{
    vote_scratch *v = &r->v;
    uint32_t seen = 0;
    bool close = false;
    p = skip_ws(p + 1, end);
    for (size_t member = 0; !close; member++) {
        size_t len;
        int field;
        if (member < 16 && r->lane_keys[member].len &&
            same_bytes(p, end, r->lane_keys[member].text,
                       r->lane_keys[member].len)) {
            /* The key of the last vote at this place, and its ':'. */
            field = r->lane_keys[member].field;
            p += r->lane_keys[member].len;
        } else {
            if (p >= end || *p != '"')
                return NULL;
            const unsigned char *k = p + 1;
            p = lane_string(k, end, &len);
            if (!p)
                return NULL;
            field = field_of(R_VOTE, k, len);
            if (field == F_OTHER)
                return NULL;
            if (member < 16 && p < end && *p == ':' &&
                len + 3 <= sizeof r->lane_keys[member].text) {
                r->lane_keys[member].field = (uint8_t)field;
                r->lane_keys[member].len = (uint8_t)(len + 3);
                memcpy(r->lane_keys[member].text, k - 1, len + 3);
            }
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                return NULL;
            p++;
        }
        if (seen & (1u << field))
            return NULL;
        seen |= 1u << field;
        p = skip_ws(p, end);
        if (p >= end)
            return NULL;
        if (field == F_CHOICE) {
            p = lane_choice(r, p, end);
            if (!p)
                return NULL;
            v->has_choice = true;
            v->choice_end = r->base + (p - d);
        } else if (field == F_VPBS && *p == '[') {
            p = lane_numbers(p, end);
        } else if (field == F_VP && (len = lane_vp(v, p, end)) > 0) {
            p += len;
        } else {
            int kind;
            const char *s;
            p = lane_scalar(p, end, &kind, &s, &len);
            if (!p || !vote_field(v, field, kind, s, len))
                return NULL;
        }
        if (!p || !(p = lane_next(p, end, '}', &close)))
            return NULL;
    }
    return v->has_voter && v->has_choice && v->has_vp ? p : NULL;
}

/*
 * Reads the plain votes ", {...}" at the start of d (n bytes at offset
 * r->base; YAJL stands past a vote's '}'): *taken receives the bytes up to
 * the end of the last vote committed. False when committing failed (a data
 * error, filled) or the reader was cancelled.
 */
static bool lane_run(reader *r, const unsigned char *d, size_t n, size_t *taken)
{
    frame *f = &r->st[r->depth];
    const unsigned char *p = d, *end = d + n, *done = d;
    bool ok = true;
    unsigned long count = 0;
    r->chunk = d; /* for locate() */
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end || *p != ',')
            break;
        p = skip_ws(p + 1, end);
        if (p >= end || *p != '{' || f->index >= MAX_VOTES)
            break;
        vote_begin(r, f->index);
        p = lane_vote(r, d, p, end);
        if (!p)
            break;
        f->index++;
        count++;
        if (!vote_commit(r, r->base + (p - d))) {
            ok = false;
            break;
        }
        done = p;
    }
    r->in_vote = false;
    r->chunk = NULL;
    *taken = (size_t)(done - d);
    count_lines(r, d, *taken);
    r->base += (long long)*taken;
    atomic_fetch_add_explicit(&lane_votes, count, memory_order_relaxed);
    return ok;
}

/* Can the lane start here (see above)? */
static bool lane_ready(const reader *r)
{
    return !lane_off && r->proposal_done && r->votes_depth > 0 &&
           r->depth == r->votes_depth && r->last_vote_end == r->base;
}

/* Past the next '}' followed by a ',' in [p, end) (likely the end of a
 * vote), or end. */
static const unsigned char *next_vote_end(const unsigned char *p,
                                          const unsigned char *end)
{
    while ((p = memchr(p, '}', (size_t)(end - p))) != NULL) {
        const unsigned char *q = skip_ws(++p, end);
        if (q < end && *q == ',')
            return p;
    }
    return end;
}

/* YAJL reads the n bytes at d (offset r->base); false when reading must
 * stop (error or stop request). */
static bool parse_piece(reader *r, const unsigned char *d, size_t n)
{
    r->chunk = d;
    yajl_status st = yajl_parse(r->h, d, n);
    if (st != yajl_status_ok) {
        if (st == yajl_status_error)
            yajl_failure(r, here(r));
        r->chunk = NULL;
        return false;
    }
    count_lines(r, d, n);
    r->base += (long long)n;
    r->chunk = NULL;
    return true;
}

/*
 * Feeds one chunk; false when reading must stop (error or stop request).
 * Inside the votes array, YAJL is given the text up to a likely vote end,
 * and the lane takes the plain votes from there; when the lane takes none,
 * YAJL reads the rest of the chunk.
 */
static bool feed(reader *r, const unsigned char *data, size_t n)
{
    /* A UTF-8 byte order mark (some Windows tools write one) is skipped;
     * offsets still count its bytes. */
    if (r->base == 0 && n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        n -= 3;
        r->base = 3;
    }
    size_t pos = 0;
    bool lane_failed = false;
    while (pos < n) {
        if (lane_ready(r)) {
            size_t k;
            if (!lane_run(r, data + pos, n - pos, &k))
                return false;
            pos += k;
            lane_failed = k == 0;
            if (pos == n)
                break;
        }
        size_t stop = n;
        if (!lane_off && !lane_failed)
            stop = (size_t)(next_vote_end(data + pos, data + n) - data);
        if (!parse_piece(r, data + pos, stop - pos))
            return false;
        pos = stop;
    }
    if (r->prog) {
        progress *pg = r->prog;
        unsigned long long d = atomic_fetch_add(&pg->done, n) + n;
        if (!r->spec && d >= pg->next) {
            pg->next = d + PROGRESS_STEP;
            pg->fn(pg->ctx, "reading",
                   d < pg->total || !pg->total ? d : pg->total, pg->total);
        }
    }
    return true;
}

static gvt_status finish_input(reader *r, bool stream)
{
    if (r->failed)
        return GVT_ERR_DATA;
    if (r->stopped)
        return GVT_OK;
    yajl_status st = yajl_complete_parse(r->h);
    if (st == yajl_status_error) {
        yajl_failure(r, r->base);
        return GVT_ERR_DATA;
    }
    if (r->failed)
        return GVT_ERR_DATA;
    if (r->n_docs == 0 && stream) {
        fail_at(r, r->base, NULL, false, "input holds no document");
        return GVT_ERR_DATA;
    }
    return GVT_OK;
}

/* ---- parallel reading ----------------------------------------------------
 *
 * A large single document is read on two threads. When the proposal is
 * known and the votes array is open, a split point is guessed in the middle
 * of the rest of the input: a '}' then whitespace, ',', whitespace, '{' (the
 * boundary between two votes, unless the guess lies inside a string). A
 * second reader parses a synthetic "[" followed by the text from that '{' up
 * to the ']' that closes its array, decoding ballots as the first reader
 * would. The first reader parses up to the ',' and then checks that the '}'
 * was exactly the end of a vote of the votes array, with nothing after it
 * (offset just past it = last vote end, frame = the votes array): then the
 * guess was a real boundary, the second half's ballots are appended (input
 * positions shifted) and the first reader goes on from the ']'. Otherwise,
 * or when the second reader met any error or did not find its ']', its work
 * is thrown away and the first reader parses on sequentially from the ',':
 * so every result and every error (message, path, offset) is the one of a
 * sequential parse. Memory: each thread reads its half in 1 MiB chunks
 * (pread), the file is never held whole; standard input and streams are
 * read sequentially.
 */

#define SPLIT_MIN ((size_t)8 << 20)  /* do not split smaller inputs */
#define SPLIT_SCAN ((size_t)1 << 20) /* look this far for a boundary */
#define FIRST_CHUNK ((size_t)64 << 10)

static long long split_forced = -1;
static atomic_ulong splits_merged;

void gvt_reader_split_for_tests(long long at)
{
    split_forced = at;
}

unsigned long gvt_reader_splits_merged(void)
{
    return atomic_load(&splits_merged);
}

/* The input of a split read: a buffer, or a file read with pread. */
typedef struct source {
    const unsigned char *mem;
    int fd;
    size_t size;
} source;

/* Bytes [off, off + n) of the input: in place, or read into buf (CHUNK
 * bytes). NULL on a read error (errno set). */
static const unsigned char *src_get(const source *s, size_t off, size_t n,
                                    unsigned char *buf)
{
    if (s->mem)
        return s->mem + off;
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(s->fd, buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO; /* the file shrank */
            return NULL;
        }
        got += (size_t)k;
    }
    return buf;
}

typedef struct spec_job {
    reader r;
    gvt_error err;
    const source *src;
    size_t start; /* offset of the first vote's '{' */
    bool ok;      /* the ']' was found without error */
    long lines;   /* newlines in [start, r.spec_end) */
    long long last_nl;
    atomic_int cancel;
    pthread_t thread;
} spec_job;

static void *spec_run(void *arg)
{
    spec_job *j = arg;
    reader *r = &j->r;
    unsigned char *buf = j->src->mem ? NULL : gvt_xmalloc(CHUNK);
    static const unsigned char open_bracket = '[';
    r->base = (long long)j->start - 1;
    bool go = feed(r, &open_bracket, 1);
    r->lines_before = 0;
    r->last_nl = -1;
    size_t size = j->src->size;
    for (size_t off = j->start; go && off < size;) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        const unsigned char *d = src_get(j->src, off, n, buf);
        if (!d)
            break;
        if (!feed(r, d, n)) {
            if (r->spec_end >= 0 && !r->failed) {
                /* The lines of the last chunk, up to the ']'. */
                r->base = (long long)off;
                count_lines(r, d, (size_t)(r->spec_end - (long long)off));
                j->ok = true;
            }
            break;
        }
        off += n;
    }
    j->lines = r->lines_before;
    j->last_nl = r->last_nl;
    free(buf);
    return NULL;
}

/*
 * Looks for "}" ws "," ws "{" from offset `from` on, within SPLIT_SCAN bytes;
 * true with the offsets of the three characters.
 */
static bool find_boundary(const source *s, size_t from, unsigned char *buf,
                          size_t *brace, size_t *comma, size_t *open)
{
    if (from >= s->size)
        return false;
    size_t n = s->size - from < CHUNK ? s->size - from : CHUNK;
    const unsigned char *d = src_get(s, from, n, buf);
    if (!d)
        return false;
    for (size_t i = 0; i < n && i < SPLIT_SCAN; i++) {
        if (d[i] != '}')
            continue;
        size_t k = i + 1;
        while (k < n && is_space(d[k]))
            k++;
        if (k >= n || d[k] != ',')
            continue;
        size_t c = k++;
        while (k < n && is_space(d[k]))
            k++;
        if (k >= n || d[k] != '{')
            continue;
        *brace = from + i;
        *comma = from + c;
        *open = from + k;
        return true;
    }
    return false;
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Starts the second reader if the input is worth it and a boundary is
 * found after `off`; NULL otherwise. */
static spec_job *spec_start(reader *r, const source *s, size_t off,
                            unsigned char *buf, size_t *brace, size_t *comma)
{
    if (split_forced == 0)
        return NULL;
    size_t from;
    if (split_forced > 0) {
        from = (size_t)split_forced;
        if (from < off)
            from = off;
    } else {
        if (s->size - off < SPLIT_MIN || online_cpus() < 2)
            return NULL;
        from = off + (s->size - off) / 2;
    }
    size_t open;
    if (!find_boundary(s, from, buf, brace, comma, &open))
        return NULL;
    spec_job *j = gvt_xcalloc(1, sizeof *j);
    reader_init(&j->r, r->name, &j->err, false);
    j->r.spec = true;
    j->r.spec_end = -1;
    j->r.cancel = &j->cancel;
    j->r.prog = r->prog;
    atomic_init(&j->cancel, 0);
    j->src = s;
    j->start = open;
    gvt_proposal *q = gvt_proposal_new(r->name);
    q->type = r->p->type;
    q->n_choices = r->p->n_choices;
    j->r.p = q;
    j->r.have_proposal = j->r.proposal_done = j->r.have_votes = true;
    j->r.has_type = j->r.has_choices = true;
    memcpy(j->r.votes_path, r->votes_path, sizeof r->votes_path);
    if (q->type == GVT_TYPE_SINGLE_CHOICE || q->type == GVT_TYPE_BASIC)
        j->r.cache =
            gvt_xcalloc(q->n_choices ? q->n_choices : 1, sizeof *j->r.cache);
    if (pthread_create(&j->thread, NULL, spec_run, j) != 0) {
        reader_free(&j->r);
        free(j);
        return NULL;
    }
    return j;
}

static void spec_free(spec_job *j)
{
    reader_free(&j->r);
    free(j);
}

/*
 * The first reader stands just before the ',' at `comma` (see above). Joins
 * the second reader; when the split is confirmed and the second half was
 * read without error, takes its ballots and returns the offset of the ']'
 * to go on from; otherwise returns `comma`.
 */
static size_t spec_join(reader *r, spec_job *j, const source *s,
                        unsigned char *buf, size_t brace, size_t comma)
{
    frame *f = &r->st[r->depth];
    bool confirmed = !r->failed && !r->stopped && r->votes_depth > 0 &&
                     r->depth == r->votes_depth && f->role == R_VOTES &&
                     r->last_vote_end == (long long)brace + 1 &&
                     r->p->n_ballots == f->index;
    if (!confirmed)
        atomic_store(&j->cancel, 1);
    pthread_join(j->thread, NULL);
    gvt_proposal *p = r->p, *q = j->r.p;
    size_t m = q->n_ballots, k = p->n_ballots;
    if (!confirmed || !j->ok || k + m > MAX_VOTES) {
        spec_free(j);
        return comma;
    }
    size_t start = j->start;
    const unsigned char *gap = src_get(s, comma, start - comma, buf);
    if (!gap) {
        spec_free(j);
        return comma;
    }
    count_lines(r, gap, start - comma);
    r->lines_before += j->lines;
    if (j->last_nl >= 0)
        r->last_nl = j->last_nl;
    if (r->cap_ballots < k + m) {
        r->cap_ballots = k + m;
        p->ballots = gvt_xrealloc(p->ballots, (k + m) * sizeof *p->ballots);
    }
    /* Copied from the end in slices, the second half's array shrinking
     * behind, so that both never stand whole in memory together. */
    for (size_t left = m; left > 0;) {
        size_t n = left < (1u << 16) ? left : (1u << 16);
        left -= n;
        memcpy(p->ballots + k + left, q->ballots + left,
               n * sizeof *q->ballots);
        if (left)
            q->ballots = gvt_xrealloc(q->ballots, left * sizeof *q->ballots);
    }
    for (size_t i = k; i < k + m; i++)
        p->ballots[i].input += (uint32_t)k;
    p->n_ballots = k + m;
    f->index += (uint32_t)m;
    gvt_arena_merge(p->arena, q->arena);
    q->n_ballots = 0;
    size_t end = (size_t)j->r.spec_end;
    spec_free(j);
    atomic_fetch_add(&splits_merged, 1);
    r->base = (long long)end;
    return end;
}

/* One document from a buffer or a regular file, on two threads when worth
 * it (see above). */
static gvt_status read_split(reader *r, const source *s)
{
    unsigned char *buf = s->mem ? NULL : gvt_xmalloc(CHUNK);
    unsigned char *scan = gvt_xmalloc(CHUNK);
    spec_job *job = NULL;
    bool tried = false;
    size_t brace = 0, comma = 0;
    gvt_status status = GVT_OK;
    size_t off = 0;
    while (off < s->size) {
        size_t n = off == 0 ? FIRST_CHUNK : CHUNK;
        if (n > s->size - off)
            n = s->size - off;
        if (job && off < comma && off + n > comma)
            n = comma - off;
        /* Tests: stop where the split is forced, to start it there. */
        size_t forced = split_forced > 0 ? (size_t)split_forced : 0;
        if (!job && !tried && off < forced && off + n > forced)
            n = forced - off;
        const unsigned char *d = src_get(s, off, n, buf);
        if (!d) {
            gvt_error_set(r->err, GVT_ERR_NOINPUT, r->name,
                          "cannot read %s: %s", r->name, strerror(errno));
            status = GVT_ERR_NOINPUT;
            break;
        }
        if (!feed(r, d, n))
            break;
        off += n;
        if (!job && !tried && r->proposal_done && r->votes_depth > 0) {
            tried = true;
            job = spec_start(r, s, off, scan, &brace, &comma);
        }
        if (job && off == comma) {
            off = spec_join(r, job, s, scan, brace, comma);
            job = NULL;
        }
    }
    if (job) {
        atomic_store(&job->cancel, 1);
        pthread_join(job->thread, NULL);
        spec_free(job);
    }
    free(buf);
    free(scan);
    if (status == GVT_OK)
        status = finish_input(r, false);
    return status;
}

static gvt_status read_mem(reader *r, const void *data, size_t size,
                           bool stream)
{
    const unsigned char *d = data;
    if (!stream) {
        source s = {d, -1, size};
        return read_split(r, &s);
    }
    for (size_t off = 0; off < size; off += CHUNK) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        if (!feed(r, d + off, n))
            break;
    }
    return finish_input(r, stream);
}

static gvt_status read_path(reader *r, const char *path, bool stream)
{
    bool is_stdin = strcmp(path, "-") == 0;
    if (!is_stdin && !stream) {
        int fd = open(path, O_RDONLY);
        struct stat sb;
        if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
            source s = {NULL, fd, (size_t)sb.st_size};
            gvt_status st = read_split(r, &s);
            close(fd);
            return st;
        }
        if (fd >= 0)
            close(fd);
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        gvt_error_set(r->err, GVT_ERR_NOINPUT, path, "cannot open %s: %s", path,
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    unsigned char *buf = gvt_xmalloc(CHUNK);
    gvt_status status = GVT_OK;
    for (;;) {
        size_t n = fread(buf, 1, CHUNK, f);
        if (n > 0 && !feed(r, buf, n))
            break;
        if (n < CHUNK) {
            if (ferror(f)) {
                gvt_error_set(r->err, GVT_ERR_NOINPUT, path,
                              "cannot read %s: %s", path, strerror(errno));
                status = GVT_ERR_NOINPUT;
            }
            break;
        }
    }
    free(buf);
    if (!is_stdin)
        fclose(f);
    if (status == GVT_OK)
        status = finish_input(r, stream);
    return status;
}

GVT_API gvt_status gvt_proposal_read_mem(const char *name, const void *data,
                                         size_t size,
                                         gvt_proposal **out_proposal,
                                         gvt_error *err)
{
    *out_proposal = NULL;
    reader r;
    reader_init(&r, name, err, false);
    gvt_status st = read_mem(&r, data, size, false);
    if (st == GVT_OK)
        *out_proposal = r.single;
    else
        gvt_proposal_free(r.single);
    reader_free(&r);
    return st;
}

GVT_API gvt_status gvt_proposal_read_file(const char *path,
                                          gvt_proposal **out_proposal,
                                          gvt_error *err)
{
    return gvt_proposal_read_file_progress(path, NULL, NULL, out_proposal, err);
}

GVT_API gvt_status gvt_proposal_read_file_progress(const char *path,
                                                   gvt_progress_fn fn,
                                                   void *ctx,
                                                   gvt_proposal **out_proposal,
                                                   gvt_error *err)
{
    *out_proposal = NULL;
    reader r;
    reader_init(&r, path, err, false);
    progress pg = {.fn = fn, .ctx = ctx, .next = PROGRESS_STEP};
    atomic_init(&pg.done, 0);
    struct stat sb;
    if (fn) {
        if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
            S_ISREG(sb.st_mode))
            pg.total = (unsigned long long)sb.st_size;
        r.prog = &pg;
    }
    gvt_status st = read_path(&r, path, false);
    if (fn && st == GVT_OK)
        fn(ctx, "reading", pg.total ? pg.total : atomic_load(&pg.done),
           pg.total);
    if (st == GVT_OK)
        *out_proposal = r.single;
    else
        gvt_proposal_free(r.single);
    reader_free(&r);
    return st;
}

GVT_API gvt_status gvt_proposal_read_stream(const char *path,
                                            gvt_proposal_fn fn, void *ctx,
                                            gvt_error *err)
{
    reader r;
    reader_init(&r, path, err, true);
    r.fn = fn;
    r.ctx = ctx;
    gvt_status st = read_path(&r, path, true);
    reader_free(&r);
    return st;
}

gvt_status gvt_proposal_read_stream_mem(const char *name, const void *data,
                                        size_t size, gvt_proposal_fn fn,
                                        void *ctx, gvt_error *err)
{
    reader r;
    reader_init(&r, name, err, true);
    r.fn = fn;
    r.ctx = ctx;
    gvt_status st = read_mem(&r, data, size, true);
    reader_free(&r);
    return st;
}
