/*
 * document.c: what the values of an export mean (docs/formats.md, the
 * proposal export): the proposal's fields, each vote's fields checked and
 * committed to the ballot store, choices decoded once the type is known,
 * and the diagnostics that name the file, the JSON path, the byte offset,
 * line and column, and the vote.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/reader.h"

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

const char *const rd_field_names[] = {
    "",       "proposal",       "votes",    "data",         "id",
    "space",  "type",           "choices",  "start",        "end",
    "quorum", "quorumType",     "rule",     "quorum_share", "support",
    "supply", "strategies",     "privacy",  "title",        "state",
    "scores", "scores_total",   "voter",    "created",      "choice",
    "vp",     "vp_by_strategy", "vp_state", "reason",       "app",
    "ipfs",   "metadata"};

/* The JSON path of the value selected inside frames 1..upto. */
void rd_path_build(const reader *r, int upto, char *out, size_t size)
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
                k = rd_field_names[f->field];
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
void rd_locate(const reader *r, long long offset, gvt_error *e)
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
        rd_locate(r, offset, e);
    if (path)
        snprintf(e->path, sizeof e->path, "%s", path);
    if (vote) {
        e->vote = (long)r->vote_index;
        if (r->v.has_id)
            snprintf(e->vote_id, sizeof e->vote_id, "%s",
                     r->v.id.data ? r->v.id.data : "");
    }
}

long long rd_here(const reader *r)
{
    if (!r->chunk) /* yajl_complete_parse: at the end of the input */
        return r->base;
    return r->base + (long long)yajl_get_bytes_consumed(r->h);
}

/*
 * Reports a data error at the current position, about the value selected in
 * frames 1..upto. Returns 0, which makes YAJL stop.
 */
int rd_fail(reader *r, int upto, const char *fmt, ...)
{
    char path[160];
    rd_path_build(r, upto, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    fill(r, rd_here(r), path, r->in_vote, fmt, ap);
    va_end(ap);
    return 0;
}

/* The same with an explicit offset and path (deferred choices). */
void rd_fail_at(reader *r, long long offset, const char *path, bool vote,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(r, offset, path, vote, fmt, ap);
    va_end(ap);
}

/* ---- the document -------------------------------------------------------- */

void rd_doc_reset(reader *r)
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

void rd_doc_begin(reader *r)
{
    rd_doc_reset(r);
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
        size_t cap = r->cap_interned ? 2 * r->cap_interned : 16;
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
            p->ballots[i].zero = !e->choice && gvt_choice_names_zero(raw, len);
            return true;
        }
    }
    char why[128];
    gvt_choice_status st =
        gvt_choice_decode(p->arena, p->type, p->n_choices, raw, len, r->cache,
                          &p->ballots[i].choice, why, sizeof why);
    if (st != GVT_CHOICE_UNREPRESENTABLE) {
        p->ballots[i].zero =
            st == GVT_CHOICE_INVALID && gvt_choice_names_zero(raw, len);
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
    rd_fail_at(r, offset, path, true, "%s", why);
    r->vote_index = saved;
    r->v.has_id = had_id;
    return false;
}

/* The proposal object is complete: the type is known, decode what waited. */
int rd_proposal_end(reader *r)
{
    gvt_proposal *p = r->p;
    if (!r->has_type)
        return rd_fail(r, r->depth - 1, "proposal has no type");
    if (!r->has_choices)
        return rd_fail(r, r->depth - 1, "proposal has no choices");
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

int rd_doc_end(reader *r)
{
    if (!r->have_proposal)
        return rd_fail(r, 0, "document has no proposal");
    if (!r->have_votes)
        return rd_fail(r, 0, "document has no votes");
    gvt_proposal_finish(r->p, r->threads);
    gvt_proposal *p = r->p;
    p->views_only = true; /* ballot_store, choice.c: arena views only */
    r->p = NULL;
    size_t index = r->n_docs++;
    rd_doc_reset(r);
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

void rd_vote_begin(reader *r, size_t index)
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
int rd_vote_commit(reader *r, long long end)
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

int rd_vote_end(reader *r)
{
    vote_scratch *v = &r->v;
    if (!v->has_voter)
        return rd_fail(r, r->depth - 1, "vote has no voter");
    if (!v->has_choice)
        return rd_fail(r, r->depth - 1, "vote has no choice");
    if (!v->has_vp)
        return rd_fail(r, r->depth - 1, "vote has no vp");
    return rd_vote_commit(r, rd_here(r));
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

const char *rd_kind_name(int kind)
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
bool rd_vote_field(vote_scratch *v, int field, int kind, const char *s,
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
        /* a Unix time before 1970 is no Snapshot vote (docs/limits.md) */
        if (kind != K_NUMBER || !integer_ok(s, len, &v->created) ||
            v->created < 0)
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

int rd_vote_value(reader *r, int kind, const char *s, size_t len)
{
    int field = r->st[r->depth].field;
    if (rd_vote_field(&r->v, field, kind, s, len))
        return 1;
    switch (field) {
    case F_ID:
        return rd_fail(r, r->depth, "vote id is %s, not a string",
                       rd_kind_name(kind));
    case F_VOTER:
        if (kind != K_STRING)
            return rd_fail(r, r->depth, "voter is %s, not a string",
                           rd_kind_name(kind));
        return rd_fail(r, r->depth,
                       "voter \"%.*s\" is not an address (0x + 40 or 64 hex "
                       "digits)",
                       (int)(len > 70 ? 70 : len), s);
    case F_CREATED: {
        int64_t t;
        if (kind == K_NUMBER && integer_ok(s, len, &t))
            return rd_fail(r, r->depth,
                           "created is negative (a time before 1970)");
        return rd_fail(r, r->depth, "created is not an integer");
    }
    case F_VP:
        if (kind == K_STRING)
            return rd_fail(r, r->depth, "vp is a string, not a number");
        if (kind != K_NUMBER)
            return rd_fail(r, r->depth, "vp is %s, not a number",
                           rd_kind_name(kind));
        return rd_fail(
            r, r->depth, "vp: %s",
            gvt_fx_status_text(gvt_fx_parse(r->v.vp, s, len, false)));
    default:
        return rd_fail(r, r->depth, "vp_by_strategy is %s, not an array",
                       rd_kind_name(kind));
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
    return rd_fail(r, r->depth, "unknown proposal type \"%.*s\"",
                   (int)(len > 40 ? 40 : len), s);
}

/*
 * The decision rule's fields (docs/formats.md#proposal-fields): kept as
 * text for the outcome module, which judges their values (a quorum it
 * cannot use makes the outcome not decidable, with the reason, rather than
 * the export unreadable). Here only their JSON kinds are checked, and
 * "rule", govtally's own field, must name a rule.
 */
static int rule_value(reader *r, int field, int kind, const char *s, size_t len)
{
    gvt_rule_text *t = &r->p->rule;
    bool text = field == F_QUORUM_TYPE || field == F_RULE;
    if (kind == K_NULL)
        return 1;
    if (kind != (text ? K_STRING : K_NUMBER))
        return rd_fail(r, r->depth, "%s is %s, not a %s", rd_field_names[field],
                       rd_kind_name(kind), text ? "string" : "number");
    const char *v = gvt_arena_strndup(r->p->arena, s, len);
    switch (field) {
    case F_QUORUM:
        t->quorum = v;
        break;
    case F_QUORUM_SHARE:
        t->quorum_share = v;
        break;
    case F_SUPPORT:
        t->support = v;
        break;
    case F_SUPPLY:
        t->supply = v;
        break;
    case F_QUORUM_TYPE:
        t->quorum_type = v;
        break;
    default:
        if (gvt_rule_from_name(v) < 0)
            return rd_fail(r, r->depth,
                           "unknown rule \"%.*s\" (snapshot, openzeppelin, "
                           "compound, aragon, unknown)",
                           (int)(len > 40 ? 40 : len), s);
        t->rule = v;
    }
    return 1;
}

int rd_proposal_value(reader *r, int kind, const char *s, size_t len)
{
    gvt_proposal *p = r->p;
    frame *f = &r->st[r->depth];
    switch (f->field) {
    case F_ID:
    case F_SPACE:
        if (kind == K_NULL)
            return 1;
        if (kind != K_STRING)
            return rd_fail(r, r->depth, "proposal %s is %s, not a string",
                           f->field == F_ID ? "id" : "space",
                           rd_kind_name(kind));
        if (f->field == F_ID)
            p->id = gvt_arena_strndup(p->arena, s, len);
        else
            p->space = gvt_arena_strndup(p->arena, s, len);
        return 1;
    case F_TYPE:
        if (kind != K_STRING)
            return rd_fail(r, r->depth, "proposal type is %s, not a string",
                           rd_kind_name(kind));
        return set_type(r, s, len);
    case F_CHOICES:
        return rd_fail(r, r->depth, "choices is %s, not an array of strings",
                       rd_kind_name(kind));
    case F_START:
    case F_END: {
        if (kind == K_NULL)
            return 1;
        int64_t t;
        if (kind != K_NUMBER || !integer_ok(s, len, &t))
            return rd_fail(r, r->depth, "%s is not an integer",
                           f->field == F_START ? "start" : "end");
        if (t < 0)
            return rd_fail(r, r->depth, "%s is negative (a time before 1970)",
                           f->field == F_START ? "start" : "end");
        if (f->field == F_START)
            p->start = t;
        else
            p->end = t;
        return 1;
    }
    case F_QUORUM:
    case F_QUORUM_SHARE:
    case F_SUPPORT:
    case F_SUPPLY:
    case F_QUORUM_TYPE:
    case F_RULE:
        return rule_value(r, f->field, kind, s, len);
    case F_STRATEGIES:
        if (kind != K_NULL)
            return rd_fail(r, r->depth, "strategies is %s, not an array",
                           rd_kind_name(kind));
        return 1;
    case F_PRIVACY:
        if (kind != K_NULL && kind != K_STRING)
            return rd_fail(r, r->depth, "privacy is %s, not a string",
                           rd_kind_name(kind));
        p->shutter =
            kind == K_STRING && len == 7 && memcmp(s, "shutter", 7) == 0;
        return 1;
    /* What the hub recorded besides the ballots, read for the reports and
     * the warnings only: a value of another type is passed over. */
    case F_TITLE:
    case F_STATE:
        if (kind != K_STRING)
            return 1;
        if (f->field == F_TITLE)
            p->title = gvt_arena_strndup(p->arena, s, len);
        else
            p->state = gvt_arena_strndup(p->arena, s, len);
        return 1;
    case F_SCORES:
        return 1;
    case F_SCORES_TOTAL:
        if (kind != K_NUMBER)
            return 1;
        p->hub_scores_total = gvt_arena_strndup(p->arena, s, len);
        return 1;
    default:
        return 1;
    }
}
