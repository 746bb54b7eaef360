/*
 * events.c: the reader's first layer, YAJL's event parser: a frame per open
 * object or array, the keys of each object (a duplicate is an error), and
 * each value dispatched to document.c by where it stands. Every result and
 * every error of the reader is this layer's; the fast lane and the split
 * only go faster.
 */
#include <stdlib.h>
#include <string.h>

#include "read/reader.h"

/* ---- dispatch of values by where they stand ------------------------------ */

static int push(reader *r, bool is_array, int role)
{
    if (r->depth >= MAX_DEPTH)
        return rd_fail(r, r->depth, "nesting deeper than %d levels", MAX_DEPTH);
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
void rd_raw_put(gvt_buf *raw, int kind, const char *s, size_t len)
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

int rd_capture(reader *r, int kind, const char *s, size_t len)
{
    rd_raw_put(&r->v.raw, kind, s, len);
    if (r->v.raw.len > MAX_CHOICE_RAW)
        return rd_fail(r, r->depth, "choice larger than %lu bytes",
                       (unsigned long)MAX_CHOICE_RAW);
    return 1;
}

/* What a value's handler below decided: an error was reported (V_FAIL),
 * the value is taken care of (V_DONE), or a container is to be pushed with
 * the role it chose (V_NEXT; a scalar is then done). */
enum { V_FAIL = 0, V_DONE = 1, V_NEXT = 2 };

/* A value under the root or "data": the proposal, the votes, data. */
static int document_child(reader *r, const frame *f, int kind, int *role)
{
    if (f->field == F_PROPOSAL) {
        if (kind != K_MAP)
            return rd_fail(r, r->depth, "proposal is %s, not an object",
                           rd_kind_name(kind));
        if (r->have_proposal)
            return rd_fail(r, r->depth, "document has two proposals");
        r->have_proposal = true;
        *role = R_PROPOSAL;
    } else if (f->field == F_VOTES) {
        if (kind != K_ARRAY)
            return rd_fail(r, r->depth, "votes is %s, not an array",
                           rd_kind_name(kind));
        if (r->have_votes)
            return rd_fail(r, r->depth, "document has two vote lists");
        r->have_votes = true;
        rd_path_build(r, r->depth, r->votes_path, sizeof r->votes_path);
        r->votes_depth = r->depth + 1;
        *role = R_VOTES;
    } else if (f->field == F_DATA && f->role == R_ROOT) {
        if (kind != K_MAP)
            return rd_fail(r, r->depth, "data is %s, not an object",
                           rd_kind_name(kind));
        *role = R_DATA;
    }
    return V_NEXT;
}

/* A value inside the proposal, its space object or its choice list. */
static int proposal_child(reader *r, const frame *f, int kind, const char *s,
                          size_t len, int *role)
{
    switch (f->role) {
    case R_PROPOSAL:
        if (f->field == F_SPACE && kind == K_MAP) {
            *role = R_SPACE;
        } else if (f->field == F_CHOICES && kind == K_ARRAY) {
            if (r->has_choices)
                return rd_fail(r, r->depth, "proposal has two choice lists");
            r->n_labels = 0;
            *role = R_CHOICES;
        } else if (f->field == F_STRATEGIES && kind == K_ARRAY) {
            *role = R_STRATEGIES;
        } else if (f->field == F_SCORES && kind == K_ARRAY) {
            r->n_hub = 0;
            *role = R_SCORES;
        } else if (f->field >= F_TITLE && f->field <= F_SCORES_TOTAL &&
                   (kind == K_MAP || kind == K_ARRAY)) {
            /* informational, of another type: passed over */
        } else if (f->field != F_OTHER) {
            return rd_proposal_value(r, kind, s, len);
        }
        return V_NEXT;
    case R_SPACE:
        if (f->field != F_ID)
            return V_NEXT;
        if (kind != K_STRING && kind != K_NULL)
            return rd_fail(r, r->depth, "space id is %s, not a string",
                           rd_kind_name(kind));
        if (kind == K_STRING)
            r->p->space = gvt_arena_strndup(r->p->arena, s, len);
        return V_DONE;
    case R_CHOICES:
        if (kind != K_STRING)
            return rd_fail(r, r->depth, "choice label is %s, not a string",
                           rd_kind_name(kind));
        if (r->n_labels == GVT_MAX_CHOICES)
            return rd_fail(r, r->depth,
                           "more than %u choices (the limit, as Snapshot's; "
                           "docs/limits.md)",
                           (unsigned)GVT_MAX_CHOICES);
        if (r->n_labels == r->cap_labels) {
            r->cap_labels = r->cap_labels ? r->cap_labels * 2 : 16;
            r->labels =
                gvt_xrealloc(r->labels, r->cap_labels * sizeof *r->labels);
        }
        r->labels[r->n_labels++] = gvt_arena_strndup(r->p->arena, s, len);
        return V_DONE;
    case R_SCORES:
        /* Informational: anything but a number spoils the list, quietly. */
        if (kind != K_NUMBER || r->n_hub >= MAX_HUB_SCORES) {
            r->n_hub = SIZE_MAX;
            return V_NEXT;
        }
        if (r->n_hub == SIZE_MAX)
            return V_DONE;
        if (r->n_hub == r->cap_hub) {
            r->cap_hub = r->cap_hub ? r->cap_hub * 2 : 16;
            r->hub = gvt_xrealloc(r->hub, r->cap_hub * sizeof *r->hub);
        }
        r->hub[r->n_hub++] = gvt_arena_strndup(r->p->arena, s, len);
        return V_DONE;
    default: /* R_STRATEGIES: only their number matters */
        r->p->n_strategies++;
        return V_NEXT;
    }
}

/* A value inside the votes array, a vote or its vp_by_strategy. */
static int vote_child(reader *r, const frame *f, int kind, const char *s,
                      size_t len, int *role)
{
    switch (f->role) {
    case R_VOTES:
        rd_vote_begin(r, f->index - 1);
        if (kind != K_MAP)
            return rd_fail(r, r->depth, "vote is %s, not an object",
                           rd_kind_name(kind));
        *role = R_VOTE;
        return V_NEXT;
    case R_VOTE:
        if (f->field == F_CHOICE) {
            r->v.raw.len = 0;
            r->v.has_choice = true;
            if (!rd_capture(r, kind, s, len))
                return V_FAIL;
            if (kind != K_MAP && kind != K_ARRAY) {
                r->v.choice_end = rd_here(r);
                return V_DONE;
            }
            *role = R_CHOICE;
        } else if (f->field == F_VPBS && kind == K_ARRAY) {
            *role = R_VPBS;
        } else if (f->field != F_OTHER && f->field < F_IGNORED) {
            return rd_vote_value(r, kind, s, len);
        }
        return V_NEXT;
    default: /* R_VPBS */
        if (kind != K_NUMBER)
            return rd_fail(r, r->depth, "vp_by_strategy holds %s, not a number",
                           rd_kind_name(kind));
        return V_DONE;
    }
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
        return rd_fail(r, r->depth, "%s longer than %d bytes",
                       kind == K_STRING ? "string" : "number", MAX_TOKEN);
    if (f->is_array) {
        if (f->role == R_VOTES && f->index >= MAX_VOTES)
            return rd_fail(r, r->depth, "more than %lu votes",
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
            return rd_fail(r, 0, "document is %s, not an object",
                           rd_kind_name(kind));
        rd_doc_begin(r);
        return push(r, false, R_ROOT);
    }
    int role = R_SKIP, next = V_NEXT;
    switch (f->role) {
    case R_CHOICE:
        if (!rd_capture(r, kind, s, len))
            return V_FAIL;
        role = R_CHOICE;
        break;
    case R_ROOT:
    case R_DATA:
        next = document_child(r, f, kind, &role);
        break;
    case R_PROPOSAL:
    case R_SPACE:
    case R_CHOICES:
    case R_STRATEGIES:
    case R_SCORES:
        next = proposal_child(r, f, kind, s, len, &role);
        break;
    case R_VOTES:
    case R_VOTE:
    case R_VPBS:
        next = vote_child(r, f, kind, s, len, &role);
        break;
    default: /* R_SKIP */
        break;
    }
    if (next != V_NEXT)
        return next;
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
            r->v.choice_end = rd_here(r);
    } else if (role == R_CHOICES) {
        gvt_proposal *p = r->p;
        p->n_choices = (uint32_t)r->n_labels;
        p->choices = gvt_arena_alloc(p->arena, (r->n_labels ? r->n_labels : 1) *
                                                   sizeof *p->choices);
        if (r->n_labels)
            memcpy(p->choices, r->labels, r->n_labels * sizeof *p->choices);
        r->has_choices = true;
    } else if (role == R_SCORES && r->n_hub != SIZE_MAX) {
        gvt_proposal *p = r->p;
        p->n_hub_scores = (uint32_t)r->n_hub;
        p->hub_scores = gvt_arena_alloc(p->arena, (r->n_hub ? r->n_hub : 1) *
                                                      sizeof *p->hub_scores);
        if (r->n_hub)
            memcpy(p->hub_scores, r->hub, r->n_hub * sizeof *p->hub_scores);
    } else if (role == R_VOTE) {
        rc = rd_vote_end(r);
    } else if (role == R_VOTES) {
        r->votes_depth = 0;
        if (r->spec) { /* the end of the second half: stop here */
            r->spec_end = rd_here(r) - 1;
            r->depth--;
            return 0;
        }
    } else if (role == R_PROPOSAL) {
        rc = rd_proposal_end(r);
    } else if (role == R_ROOT) {
        rc = rd_doc_end(r);
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
    return (uint32_t)gvt_hash_bytes(s, len);
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

int rd_field_of(int role, const unsigned char *k, size_t len)
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
        if (IS("rule"))
            return F_RULE;
        if (IS("quorum_share"))
            return F_QUORUM_SHARE;
        if (IS("support"))
            return F_SUPPORT;
        if (IS("supply"))
            return F_SUPPLY;
        if (IS("strategies"))
            return F_STRATEGIES;
        if (IS("privacy"))
            return F_PRIVACY;
        if (IS("title"))
            return F_TITLE;
        if (IS("state"))
            return F_STATE;
        if (IS("scores"))
            return F_SCORES;
        if (IS("scores_total"))
            return F_SCORES_TOTAL;
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
        return rd_fail(r, r->depth, "key longer than %d bytes", MAX_TOKEN);
    f->any_key = true;
    int field = rd_field_of(f->role, s, len);
    f->field = (uint8_t)field;
    if (field != F_OTHER) {
        if (f->seen & (1u << field))
            return rd_fail(r, r->depth, "duplicate key \"%s\"",
                           rd_field_names[field]);
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
        return rd_fail(r, r->depth, "duplicate key \"%.*s\"",
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

void rd_reader_init(reader *r, const char *name, gvt_error *err, bool stream)
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
    r->h = yajl_alloc(&callbacks, gvt_yajl_alloc_funcs(), r);
    if (!r->h)
        gvt_out_of_memory(sizeof(yajl_alloc_funcs));
    if (stream)
        yajl_config(r->h, yajl_allow_multiple_values, 1);
    gvt_error_clear(err);
}

void rd_reader_free(reader *r)
{
    gvt_proposal_free(r->p);
    r->p = NULL;
    rd_doc_reset(r);
    yajl_free(r->h);
    gvt_buf_free(&r->keys);
    gvt_buf_free(&r->v.id);
    gvt_buf_free(&r->v.raw);
    mpz_clear(r->v.vp);
    for (int i = 0; i <= MAX_DEPTH; i++)
        free(r->tables[i].slots);
    free(r->labels);
    free(r->hub);
    free(r->def);
}

/* YAJL's own message ("parse error: ...") as ours. */
void rd_yajl_failure(reader *r, long long offset)
{
    unsigned char *msg = yajl_get_error(r->h, 0, NULL, 0);
    char text[200];
    snprintf(text, sizeof text, "%s", msg ? (const char *)msg : "?");
    yajl_free_error(r->h, msg);
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    char path[160];
    rd_path_build(r, r->depth, path, sizeof path);
    if (strstr(text, "UTF8"))
        rd_fail_at(r, offset, path, r->in_vote,
                   "invalid UTF-8 in a string (%s)", text);
    else
        rd_fail_at(r, offset, path, r->in_vote, "invalid JSON (%s)", text);
}

void rd_count_lines(reader *r, const unsigned char *data, size_t n)
{
    const unsigned char *p = data, *end = data + n, *last = NULL;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        r->lines_before++;
        last = p++;
    }
    if (last)
        r->last_nl = r->base + (last - data);
}
