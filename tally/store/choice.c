/*
 * choice.c: a vote's choice checked and decoded for the proposal's type, as
 * Snapshot's isValidChoice judges it (docs/snapshot-parity.md).
 *
 * The reader hands over the choice as a raw token list (internal.h); this
 * module decides validity with JavaScript's semantics and, for a valid
 * choice, builds the gvt_choice the type rules read. Where JavaScript turns a
 * value into a number (the index check of §0), the coercion is reproduced
 * here: it is the one place where a binary double is used on purpose,
 * because Snapshot's verdict itself is a double computation (strtod is
 * correctly rounded, like JavaScript's ToNumber). Amounts (weights) are
 * converted exactly with gvt_fx_parse. The JavaScript corners that are only
 * approximated are listed in docs/snapshot-parity.md.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

void gvt_choice_raw_token(gvt_buf *raw, char tok)
{
    *gvt_buf_extend(raw, 1) = tok;
}

void gvt_choice_raw_text(gvt_buf *raw, char tok, const char *s, size_t len)
{
    uint32_t n = (uint32_t)len;
    char *at = gvt_buf_extend(raw, 1 + sizeof n + len);
    at[0] = tok;
    memcpy(at + 1, &n, sizeof n);
    memcpy(at + 1 + sizeof n, s, len);
}

/* ---- reading the raw form ------------------------------------------------ */

static const char *raw_text(const unsigned char **p, size_t *len)
{
    uint32_t n;
    memcpy(&n, *p, sizeof n);
    *p += sizeof n;
    const char *s = (const char *)*p;
    *p += n;
    *len = n;
    return s;
}

/* Skips one value whose first token is at *p. */
static void raw_skip(const unsigned char **p)
{
    int depth = 0;
    do {
        unsigned char tok = *(*p)++;
        size_t len;
        switch (tok) {
        case GVT_RAW_NUMBER:
        case GVT_RAW_STRING:
        case GVT_RAW_KEY:
            raw_text(p, &len);
            break;
        case GVT_RAW_ARRAY:
        case GVT_RAW_MAP:
            depth++;
            break;
        case GVT_RAW_ARRAY_END:
        case GVT_RAW_MAP_END:
            depth--;
            break;
        default:
            break;
        }
    } while (depth > 0);
}

/* ---- JavaScript's Number() ----------------------------------------------- */

/* strtod on a counted text (which the caller has checked for JavaScript's
 * grammar, so strtod's own extensions never come into play). Short plain
 * integers, the usual choice, are converted directly. */
static double text_strtod(const char *s, size_t len)
{
    if (len > 0 && len <= 9) {
        uint32_t v = 0;
        size_t i = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (uint32_t)(s[i++] - '0');
        if (i == len)
            return (double)v;
    }
    char small[128];
    char *t = len < sizeof small ? small : gvt_xmalloc(len + 1);
    memcpy(t, s, len);
    t[len] = '\0';
    double d = strtod(t, NULL);
    if (t != small)
        free(t);
    return d;
}

/*
 * Length of a JavaScript white space or line terminator (StrWhiteSpaceChar)
 * starting at s, 0 if there is none. Strings are valid UTF-8 (the reader's
 * parser checks it).
 */
static size_t js_space(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0d)))
        return 1;
    if (len >= 2 && s[0] == 0xc2 && s[1] == 0xa0) /* U+00A0 */
        return 2;
    if (len < 3)
        return 0;
    uint32_t c = ((uint32_t)(s[0] & 0x0f) << 12) |
                 ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    if ((s[0] & 0xf0) != 0xe0)
        return 0;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
        c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff)
        return 3;
    return 0;
}

static size_t count_digits(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

/*
 * JavaScript's StringToNumber: surrounding white space is ignored, the empty
 * string is 0, then a decimal literal (sign, digits, optional point and
 * exponent, "Infinity") or a 0x / 0o / 0b integer without sign. Anything else
 * is NaN.
 */
static double js_string_number(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t k;
    while (len > 0 && (k = js_space(s, len)) > 0) {
        s += k;
        len -= k;
    }
    /* Trailing white space: step back over whole UTF-8 characters. */
    for (;;) {
        size_t back = 0;
        for (size_t b = 1; b <= 3 && b <= len; b++) {
            if (js_space(s + len - b, b) == b) {
                back = b;
                break;
            }
        }
        if (!back)
            break;
        len -= back;
    }
    if (len == 0)
        return 0.0;
    if (len > 2 && s[0] == '0' && strchr("xXoObB", s[1]) != NULL) {
        int base = (s[1] == 'x' || s[1] == 'X')   ? 16
                   : (s[1] == 'o' || s[1] == 'O') ? 8
                                                  : 2;
        double v = 0.0;
        for (size_t i = 2; i < len; i++) {
            int d = gvt_hex_digit((char)s[i]);
            if (d < 0 || d >= base)
                return NAN;
            v = v * base + d; /* exact while it matters (below 2^53) */
        }
        return v;
    }
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-')
        i++;
    if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
        return s[0] == '-' ? -INFINITY : INFINITY;
    size_t int_digits = count_digits(s + i, len - i);
    i += int_digits;
    size_t frac_digits = 0;
    if (i < len && s[i] == '.') {
        i++;
        frac_digits = count_digits(s + i, len - i);
        i += frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return NAN;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = count_digits(s + i, len - i);
        if (exp_digits == 0)
            return NAN;
        i += exp_digits;
    }
    if (i != len)
        return NAN;
    return text_strtod((const char *)s, len);
}

/* Number(String(array)): the array's join(","). Two or more elements always
 * give a comma, hence NaN; none gives "" (0); one gives its element's text. */
static double js_array_number(const unsigned char **p)
{
    /* *p is just past the array's opening token. */
    double v;
    if (**p == GVT_RAW_ARRAY_END) {
        (*p)++;
        return 0.0;
    }
    unsigned char tok = **p;
    size_t len;
    const char *s;
    switch (tok) {
    case GVT_RAW_NULL: /* String([null]) is "" */
        (*p)++;
        v = 0.0;
        break;
    case GVT_RAW_NUMBER: /* String(x) reads back as x */
        (*p)++;
        s = raw_text(p, &len);
        v = text_strtod(s, len);
        break;
    case GVT_RAW_STRING:
        (*p)++;
        s = raw_text(p, &len);
        v = js_string_number(s, len);
        break;
    case GVT_RAW_ARRAY:
        (*p)++;
        v = js_array_number(p);
        break;
    default: /* "true", "false", "[object Object]" */
        raw_skip(p);
        v = NAN;
        break;
    }
    if (**p != GVT_RAW_ARRAY_END) {
        v = NAN;
        while (**p != GVT_RAW_ARRAY_END)
            raw_skip(p);
    }
    (*p)++;
    return v;
}

double gvt_choice_js_number(const unsigned char **p, const unsigned char *end)
{
    (void)end;
    unsigned char tok = *(*p)++;
    size_t len;
    const char *s;
    switch (tok) {
    case GVT_RAW_NULL:
    case GVT_RAW_FALSE:
        return 0.0;
    case GVT_RAW_TRUE:
        return 1.0;
    case GVT_RAW_NUMBER:
        s = raw_text(p, &len);
        return text_strtod(s, len);
    case GVT_RAW_STRING:
        s = raw_text(p, &len);
        return js_string_number(s, len);
    case GVT_RAW_ARRAY:
        return js_array_number(p);
    default: /* an object: NaN */
        (*p)--;
        raw_skip(p);
        return NAN;
    }
}

bool gvt_choice_names_zero(const unsigned char *raw, size_t len)
{
    const unsigned char *p = raw, *end = raw + len;
    while (p < end) {
        unsigned char tok = *p++;
        if (tok != GVT_RAW_NUMBER && tok != GVT_RAW_STRING &&
            tok != GVT_RAW_KEY)
            continue;
        size_t n;
        const char *s = raw_text(&p, &n);
        if (tok == GVT_RAW_NUMBER ? text_strtod(s, n) == 0.0
                                  : n == 1 && s[0] == '0')
            return true;
    }
    return false;
}

/*
 * The index check of §0: proposalChoices[x - 1] exists, i.e. x - 1 is an
 * integer in 0..n-1. Sets *idx.
 */
static bool index_ok(double x, uint32_t n, uint32_t *idx)
{
    double k = x - 1.0;
    if (!(k >= 0.0 && k <= (double)n - 1.0))
        return false;
    uint32_t i = (uint32_t)k;
    if ((double)i != k)
        return false;
    *idx = i;
    return true;
}

/* ---- array elements and JavaScript Set semantics ------------------------- */

#define SMALL 32 /* elements kept on the stack; more go to the heap */

enum { EL_NUMBER, EL_STRING, EL_TRUE, EL_FALSE, EL_NULL, EL_OBJECT };

typedef struct element {
    int kind;
    uint32_t serial; /* arrays and objects are never equal to each other */
    double num;      /* the element itself when a number */
    const char *s;   /* the element itself when a string */
    size_t len;
    bool idx_ok; /* passes the index check */
    uint32_t idx;
} element;

static int element_cmp(const void *a, const void *b)
{
    const element *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    switch (x->kind) {
    case EL_NUMBER:
        return x->num < y->num ? -1 : x->num > y->num;
    case EL_STRING: {
        size_t m = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->s, y->s, m);
        if (c)
            return c;
        return x->len < y->len ? -1 : x->len > y->len;
    }
    case EL_OBJECT:
        return x->serial < y->serial ? -1 : x->serial > y->serial;
    default:
        return 0;
    }
}

/* new Set(array).size === array.length (SameValueZero). */
static bool all_distinct(const element *el, size_t n)
{
    if (n < 2)
        return true;
    element small[SMALL];
    element *tmp = n <= SMALL ? small : gvt_xmalloc(n * sizeof *tmp);
    memcpy(tmp, el, n * sizeof *tmp);
    qsort(tmp, n, sizeof *tmp, element_cmp);
    bool ok = true;
    for (size_t i = 1; i < n && ok; i++)
        if (element_cmp(&tmp[i - 1], &tmp[i]) == 0)
            ok = false;
    if (tmp != small)
        free(tmp);
    return ok;
}

/*
 * Reads the elements of the array whose opening token is at *p into small
 * (SMALL entries) or, when more, a malloc'd array the caller frees if it is
 * not small. Returns the array and its length.
 */
static element *read_elements(const unsigned char **p, uint32_t n_choices,
                              element *small, size_t *out_n)
{
    element *el = small;
    size_t n = 0, cap = SMALL;
    (*p)++;
    while (**p != GVT_RAW_ARRAY_END) {
        if (n == cap) {
            cap *= 2;
            if (el == small) {
                el = gvt_xmalloc(cap * sizeof *el);
                memcpy(el, small, n * sizeof *el);
            } else {
                el = gvt_xrealloc(el, cap * sizeof *el);
            }
        }
        element *e = &el[n];
        memset(e, 0, sizeof *e);
        e->serial = (uint32_t)n;
        const unsigned char *q = *p;
        switch (*q) {
        case GVT_RAW_NUMBER:
            e->kind = EL_NUMBER;
            break;
        case GVT_RAW_STRING:
            e->kind = EL_STRING;
            q++;
            e->s = raw_text(&q, &e->len);
            break;
        case GVT_RAW_TRUE:
            e->kind = EL_TRUE;
            break;
        case GVT_RAW_FALSE:
            e->kind = EL_FALSE;
            break;
        case GVT_RAW_NULL:
            e->kind = EL_NULL;
            break;
        default:
            e->kind = EL_OBJECT;
            break;
        }
        double x = gvt_choice_js_number(p, NULL);
        if (e->kind == EL_NUMBER)
            e->num = x;
        e->idx_ok = index_ok(x, n_choices, &e->idx);
        n++;
    }
    (*p)++;
    *out_n = n;
    return el;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static gvt_choice *new_choice(gvt_arena *arena, uint32_t n)
{
    gvt_choice *c = gvt_arena_alloc(arena, sizeof *c);
    c->n = n;
    c->idx = gvt_arena_alloc(arena, (n ? n : 1) * sizeof *c->idx);
    c->w = NULL;
    return c;
}

/* ---- the types ----------------------------------------------------------- */

static gvt_choice_status decode_single(gvt_arena *arena, uint32_t n_choices,
                                       const unsigned char *p,
                                       gvt_choice **cache, gvt_choice **out)
{
    if (*p != GVT_RAW_NUMBER) /* typeof voteChoice === 'number' */
        return GVT_CHOICE_INVALID;
    uint32_t idx;
    if (!index_ok(gvt_choice_js_number(&p, NULL), n_choices, &idx))
        return GVT_CHOICE_INVALID;
    if (cache && cache[idx]) {
        *out = cache[idx];
        return GVT_CHOICE_VALID;
    }
    gvt_choice *c = new_choice(arena, 1);
    c->idx[0] = idx;
    if (cache)
        cache[idx] = c;
    *out = c;
    return GVT_CHOICE_VALID;
}

/*
 * approval, ranked-choice and copeland: arrays of indices. Approval credits
 * only JSON-number elements (includes() is strict); a ranking keeps every
 * element as its index (see docs/snapshot-parity.md for mixed rankings).
 */
static gvt_choice_status decode_array(gvt_arena *arena, gvt_type type,
                                      uint32_t n_choices,
                                      const unsigned char *p, gvt_choice **out)
{
    if (*p != GVT_RAW_ARRAY)
        return GVT_CHOICE_INVALID;
    size_t n;
    element small[SMALL];
    element *el = read_elements(&p, n_choices, small, &n);
    gvt_choice_status st = GVT_CHOICE_VALID;
    for (size_t i = 0; i < n && st == GVT_CHOICE_VALID; i++) {
        if (!el[i].idx_ok)
            st = GVT_CHOICE_INVALID;
        /* copeland: Number.isInteger demands a number */
        if (type == GVT_TYPE_COPELAND && el[i].kind != EL_NUMBER)
            st = GVT_CHOICE_INVALID;
    }
    if (type != GVT_TYPE_APPROVAL && (n == 0 || n != n_choices))
        st = GVT_CHOICE_INVALID;
    if (st == GVT_CHOICE_VALID && !all_distinct(el, n))
        st = GVT_CHOICE_INVALID;
    if (st != GVT_CHOICE_VALID) {
        if (el != small)
            free(el);
        return st;
    }
    gvt_choice *c = new_choice(arena, (uint32_t)n);
    uint32_t m = 0;
    if (type == GVT_TYPE_APPROVAL) {
        for (size_t i = 0; i < n; i++)
            if (el[i].kind == EL_NUMBER)
                c->idx[m++] = el[i].idx;
        qsort(c->idx, m, sizeof *c->idx, u32_cmp);
    } else {
        /* Elements that designate the same choice in different forms
         * (2 and "2") are distinct for Snapshot's Set; the ranking keeps the
         * first of them only, so it may be shorter than n (parity doc). */
        bool seen_small[SMALL] = {false};
        bool *seen = n_choices <= SMALL ? seen_small
                                        : gvt_xcalloc(n_choices, sizeof *seen);
        for (size_t i = 0; i < n; i++) {
            if (!seen[el[i].idx]) {
                seen[el[i].idx] = true;
                c->idx[m++] = el[i].idx;
            }
        }
        if (seen != seen_small)
            free(seen);
    }
    c->n = m;
    if (el != small)
        free(el);
    *out = c;
    return GVT_CHOICE_VALID;
}

/* A canonical array-index key "1".."n": what choice[i + 1] looks up. */
static bool canonical_key(const char *k, size_t len)
{
    if (len == 0 || k[0] < '1' || k[0] > '9')
        return false;
    return count_digits((const unsigned char *)k, len) == len;
}

typedef struct weight {
    uint32_t idx;
    size_t at;              /* first limb in the limb scratch */
    size_t limbs;           /* limbs of the value (>= 0) */
    const mp_limb_t *whole; /* or the limbs of a small whole number */
} weight;

/*
 * Whole weights 0..SMALL_WHOLE-1 (the points of quadratic and weighted
 * ballots are usually small integers) share read-only limbs from one table
 * instead of a copy in every ballot: a third less memory for a million such
 * ballots. The table is built once and never freed.
 */
#define SMALL_WHOLE 1024
#define WHOLE_LIMBS 3 /* 1023 x 10^36 < 2^192 */

static mp_limb_t whole_limbs[SMALL_WHOLE][WHOLE_LIMBS];
static size_t whole_size[SMALL_WHOLE];
static pthread_once_t whole_once = PTHREAD_ONCE_INIT;

static void whole_init(void)
{
    mpz_t v;
    mpz_init(v);
    for (unsigned long k = 0; k < SMALL_WHOLE; k++) {
        mpz_mul_ui(v, *gvt_fx_one(), k);
        whole_size[k] = mpz_size(v);
        if (whole_size[k])
            memcpy(whole_limbs[k], mpz_limbs_read(v),
                   whole_size[k] * sizeof(mp_limb_t));
    }
    mpz_clear(v);
}

/* A weight's text that spells a whole number below SMALL_WHOLE: its value;
 * -1 otherwise. */
static long small_whole(const char *text, size_t len)
{
    if (len == 0 || len > 3 ||
        count_digits((const unsigned char *)text, len) != len)
        return -1;
    long k = 0;
    for (size_t i = 0; i < len; i++)
        k = k * 10 + (text[i] - '0');
    return k;
}

/* Appends v's limbs (v >= 0) to a growing scratch; returns where. */
static size_t limbs_push(mp_limb_t **buf, size_t *n, size_t *cap, mpz_srcptr v)
{
    size_t k = mpz_size(v), at = *n;
    if (*n + k > *cap) {
        *cap = (*n + k) * 2;
        *buf = gvt_xrealloc(*buf, *cap * sizeof **buf);
    }
    if (k)
        memcpy(*buf + at, mpz_limbs_read(v), k * sizeof **buf);
    *n += k;
    return at;
}

static int weight_cmp(const void *a, const void *b)
{
    return u32_cmp(&((const weight *)a)->idx, &((const weight *)b)->idx);
}

/*
 * quadratic and weighted (§5): a non-empty object, every key passing the
 * index check through Number(key), every value a JSON number >= 0, one of
 * them > 0. Values convert exactly; a value that is valid for Snapshot but
 * has no exact fixed-point form makes the choice unrepresentable rather than
 * silently rounded. Keys are unique (the reader refuses duplicate keys).
 */
/*
 * The decoded choice is one arena block: the struct, the weights as
 * read-only GMP integers (mpz_roinit_n) over limbs in the same block, and
 * the indices; no GMP allocation stays behind (gvt_proposal_free skips them:
 * _mp_alloc is 0), and each weight is parsed once.
 */
/* What decode_object gathers from an object's members. The weights kept
 * (canonical keys) and their limbs start in the struct's own arrays. */
typedef struct obj_scan {
    weight ws_small[16];
    mp_limb_t limbs_small[64];
    weight *ws;
    mp_limb_t *limbs;
    size_t n_limbs, cap_limbs, n_ws, cap, n_keys;
    bool invalid, positive;
    gvt_fx_status bad;
    long total_whole; /* the total's value while every value is small */
    mpz_t total;
    mpz_t v_parsed, v_whole;
} obj_scan;

static void obj_init(obj_scan *s)
{
    s->ws = s->ws_small;
    s->limbs = s->limbs_small;
    s->n_limbs = s->n_ws = s->n_keys = 0;
    s->cap_limbs = sizeof s->limbs_small / sizeof *s->limbs_small;
    s->cap = sizeof s->ws_small / sizeof *s->ws_small;
    s->invalid = s->positive = false;
    s->bad = GVT_FX_OK;
    s->total_whole = 0;
    mpz_init(s->total);
    mpz_init(s->v_parsed);
}

static void obj_free(obj_scan *s)
{
    if (s->ws != s->ws_small)
        free(s->ws);
    if (s->limbs != s->limbs_small)
        free(s->limbs);
    mpz_clear(s->v_parsed);
    mpz_clear(s->total);
}

/* Keeps the weight v of choice idx (whole: its small whole value, or -1). */
static void obj_keep(obj_scan *s, uint32_t idx, long whole, mpz_srcptr v)
{
    if (s->n_ws == s->cap) {
        s->cap *= 2;
        if (s->ws == s->ws_small) {
            s->ws = gvt_xmalloc(s->cap * sizeof *s->ws);
            memcpy(s->ws, s->ws_small, sizeof s->ws_small);
        } else {
            s->ws = gvt_xrealloc(s->ws, s->cap * sizeof *s->ws);
        }
    }
    if (s->limbs == s->limbs_small && s->n_limbs + mpz_size(v) > s->cap_limbs) {
        s->cap_limbs = (s->n_limbs + mpz_size(v)) * 2;
        s->limbs = gvt_xmalloc(s->cap_limbs * sizeof *s->limbs);
        memcpy(s->limbs, s->limbs_small, s->n_limbs * sizeof *s->limbs);
    }
    if (whole >= 0) {
        s->ws[s->n_ws++] =
            (weight){idx, 0, whole_size[whole], whole_limbs[whole]};
        return;
    }
    size_t at = limbs_push(&s->limbs, &s->n_limbs, &s->cap_limbs, v);
    s->ws[s->n_ws++] = (weight){idx, at, mpz_size(v), NULL};
}

/* One member "key": value of the object at *pp (advanced past it). */
static void obj_member(obj_scan *s, uint32_t n_choices,
                       const unsigned char **pp)
{
    size_t klen, vlen;
    (*pp)++; /* GVT_RAW_KEY */
    const char *key = raw_text(pp, &klen);
    s->n_keys++;
    uint32_t idx = 0;
    if (!index_ok(js_string_number(key, klen), n_choices, &idx))
        s->invalid = true;
    if (**pp != GVT_RAW_NUMBER) {
        raw_skip(pp);
        s->invalid = true;
        return;
    }
    (*pp)++;
    const char *text = raw_text(pp, &vlen);
    long whole = small_whole(text, vlen);
    gvt_fx_status st = GVT_FX_OK;
    if (whole >= 0) /* no parse: the table holds the value */
        mpz_roinit_n(s->v_whole, whole_limbs[whole],
                     (mp_size_t)whole_size[whole]);
    else
        st = gvt_fx_parse(s->v_parsed, text, vlen, true);
    mpz_srcptr v = whole >= 0 ? s->v_whole : s->v_parsed;
    if (st != GVT_FX_OK) {
        /* Negative beyond our range is negative for JavaScript too
         * (except below 5e-324, which it reads as -0). */
        if (text[0] == '-')
            s->invalid = true;
        else if (s->bad == GVT_FX_OK)
            s->bad = st;
        s->positive = true;
        return;
    }
    if (mpz_sgn(v) < 0) {
        s->invalid = true;
        return;
    }
    if (mpz_sgn(v) > 0)
        s->positive = true;
    mpz_add(s->total, s->total, v);
    if (mpz_sgn(v) == 0)
        whole = 0; /* 0.0, 0e5: the table's zero */
    if (whole < 0 || s->total_whole < 0)
        s->total_whole = -1;
    else
        s->total_whole += whole;
    if (!s->invalid && canonical_key(key, klen))
        obj_keep(s, idx, whole, v);
}

/*
 * The decoded choice of a valid object, in one arena block. Layout (8-byte
 * aligned): struct, w[n], limbs (weights that are not small whole numbers,
 * then the total unless it is one or equals the only weight), idx[n]. A
 * zero weight is small and whole: it points at the table's zero.
 */
static gvt_choice *obj_build(gvt_arena *arena, obj_scan *s)
{
    weight *ws = s->ws;
    size_t n_ws = s->n_ws, n_limbs = s->n_limbs;
    if (n_ws > 16) {
        qsort(ws, n_ws, sizeof *ws, weight_cmp);
    } else {
        /* A handful of keys: insertion sort (indices are distinct). */
        for (size_t i = 1; i < n_ws; i++) {
            weight t = ws[i];
            size_t j = i;
            for (; j > 0 && ws[j - 1].idx > t.idx; j--)
                ws[j] = ws[j - 1];
            ws[j] = t;
        }
    }
    size_t n = n_ws ? n_ws : 1, tl = mpz_size(s->total);
    enum { OWN, TABLE, FIRST } where = OWN;
    if (s->total_whole >= 0 && s->total_whole < SMALL_WHOLE)
        where = TABLE;
    else if (n_ws == 1 && ws[0].limbs == tl &&
             mpn_cmp(ws[0].whole ? ws[0].whole : s->limbs + ws[0].at,
                     mpz_limbs_read(s->total), (mp_size_t)tl) == 0)
        where = FIRST;
    size_t own_tl = where == OWN ? tl : 0;
    size_t size = sizeof(gvt_choice) + n * sizeof(mpz_t) +
                  (n_limbs + own_tl) * sizeof(mp_limb_t) + n * sizeof(uint32_t);
    gvt_choice *c = gvt_arena_alloc8(arena, size);
    c->n = (uint32_t)n_ws;
    c->w = (mpz_t *)(c + 1);
    mp_limb_t *lp = (mp_limb_t *)(c->w + n);
    if (n_limbs)
        memcpy(lp, s->limbs, n_limbs * sizeof *lp);
    if (own_tl)
        memcpy(lp + n_limbs, mpz_limbs_read(s->total), tl * sizeof *lp);
    c->idx = (uint32_t *)(lp + n_limbs + own_tl);
    for (size_t i = 0; i < n_ws; i++) {
        c->idx[i] = ws[i].idx;
        mpz_roinit_n(c->w[i], ws[i].whole ? ws[i].whole : lp + ws[i].at,
                     (mp_size_t)ws[i].limbs);
    }
    const mp_limb_t *tp = where == TABLE   ? whole_limbs[s->total_whole]
                          : where == FIRST ? mpz_limbs_read(c->w[0])
                                           : lp + n_limbs;
    mpz_roinit_n(c->total, tp, (mp_size_t)tl);
    return c;
}

static gvt_choice_status decode_object(gvt_arena *arena, uint32_t n_choices,
                                       const unsigned char *p, gvt_choice **out,
                                       char *why, size_t why_size)
{
    if (*p != GVT_RAW_MAP)
        return GVT_CHOICE_INVALID;
    p++;
    pthread_once(&whole_once, whole_init);
    obj_scan s;
    obj_init(&s);
    while (*p != GVT_RAW_MAP_END)
        obj_member(&s, n_choices, &p);
    gvt_choice_status result = GVT_CHOICE_VALID;
    if (s.invalid || s.n_keys == 0 || !s.positive) {
        result = GVT_CHOICE_INVALID;
    } else if (s.bad != GVT_FX_OK) {
        snprintf(why, why_size, "choice weight: %s", gvt_fx_status_text(s.bad));
        result = GVT_CHOICE_UNREPRESENTABLE;
    }
    if (result == GVT_CHOICE_VALID)
        *out = obj_build(arena, &s);
    obj_free(&s);
    return result;
}

/* k when v's limbs are the table's for k (a small whole weight or total of
 * decode_object), -1 otherwise (hand-built choices, other values). */
static long table_whole(mpz_srcptr v)
{
    uintptr_t d = (uintptr_t)mpz_limbs_read(v);
    uintptr_t lo = (uintptr_t)&whole_limbs[0][0];
    if (d < lo || d >= lo + sizeof whole_limbs)
        return -1;
    return (long)((d - lo) / sizeof whole_limbs[0]);
}

void gvt_choice_term(mpz_ptr share, mpz_ptr radicand, const gvt_choice *c,
                     uint32_t k, mpz_srcptr w, mpz_ptr t)
{
    mpz_srcptr one = *gvt_fx_one();
    long kw = table_whole(c->w[k]), kt = table_whole(c->total);
    if (kw >= 0 && kt > 0) {
        /* w_k = kw * 10^36, W = kt * 10^36: X / W = kw * w / kt. */
        mpz_mul_ui(t, w, (unsigned long)kw);
        if (!radicand) {
            mpz_fdiv_q_ui(share, t, (unsigned long)kt);
            return;
        }
        mpz_ptr q = share ? share : radicand;
        unsigned long r = mpz_fdiv_q_ui(q, t, (unsigned long)kt);
        mpz_mul(t, q, one);
        mpz_mul_ui(radicand, one, r);
        mpz_fdiv_q_ui(radicand, radicand, (unsigned long)kt);
        mpz_add(radicand, radicand, t);
        return;
    }
    mpz_mul(t, c->w[k], w);
    if (!radicand) {
        mpz_fdiv_q(share, t, c->total);
        return;
    }
    if (share) {
        /* X = q W + t (0 <= t < W): floor(X 10^36 / W) = q 10^36 +
         * floor(t 10^36 / W), two short divisions for both terms. */
        mpz_fdiv_qr(share, t, t, c->total);
        mpz_mul(t, t, one);
        mpz_fdiv_q(radicand, t, c->total);
        mpz_addmul(radicand, share, one);
    } else {
        mpz_mul(t, t, one);
        mpz_fdiv_q(radicand, t, c->total);
    }
}

gvt_choice_status gvt_choice_decode(gvt_arena *arena, gvt_type type,
                                    uint32_t n_choices,
                                    const unsigned char *raw, size_t len,
                                    gvt_choice **cache, gvt_choice **out,
                                    char *why, size_t why_size)
{
    *out = NULL;
    if (why_size)
        why[0] = '\0';
    if (len == 0)
        return GVT_CHOICE_INVALID;
    switch (type) {
    case GVT_TYPE_SINGLE_CHOICE:
    case GVT_TYPE_BASIC:
        return decode_single(arena, n_choices, raw, cache, out);
    case GVT_TYPE_APPROVAL:
    case GVT_TYPE_RANKED_CHOICE:
    case GVT_TYPE_COPELAND:
        return decode_array(arena, type, n_choices, raw, out);
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        return decode_object(arena, n_choices, raw, out, why, why_size);
    }
    return GVT_CHOICE_INVALID;
}
