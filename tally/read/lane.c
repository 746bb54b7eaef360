/*
 * lane.c: the reader's second layer, the fast lane.
 *
 * Nearly all the bytes of an export are votes, and votes look alike: an
 * object of known keys whose values are plain strings (ASCII, no escape),
 * numbers, null or booleans, a vp_by_strategy array of numbers, and a choice
 * that is a scalar, an array of scalars or an object of scalars. The lane
 * reads such votes straight from the input, without YAJL's events, and
 * commits each one through vote_field and vote_commit, as the events would.
 *
 * It starts only where YAJL stands just past the '}' of a vote of the votes
 * array (rd_feed() gives YAJL the text up to a likely vote end and checks):
 * there YAJL holds no partial token and expects ',' or ']'. The lane takes
 * ", {vote}" after ", {vote}", and stops, having committed nothing of it,
 * before the first vote it cannot prove plainly valid: an escape, a byte
 * outside ASCII, an unknown or repeated key, a nested value, a voter or vp that
 * vote_field refuses, a missing field, the end of the piece inside a vote,
 * or anything but ", {" (such as the ']' closing the array). YAJL then reads
 * on from that byte, in the state it was left in: every error and every
 * unusual vote is the event parser's, with its message, path and offset.
 */
#include <string.h>

#include "read/reader.h"

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

bool rd_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const unsigned char *skip_ws(const unsigned char *p,
                                    const unsigned char *end)
{
    while (p < end && rd_is_space(*p))
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
 * r->v.raw as rd_capture() would write it; returns its end or NULL. */
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
            rd_raw_put(raw, kind, s, len);
        return p;
    }
    bool object = *p == '{';
    rd_raw_put(raw, object ? K_MAP : K_ARRAY, NULL, 0);
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
        rd_raw_put(raw, kind, s, len);
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
            field = rd_field_of(R_VOTE, k, len);
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
            if (!p || !rd_vote_field(v, field, kind, s, len))
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
    r->chunk = d; /* for rd_locate() */
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end || *p != ',')
            break;
        p = skip_ws(p + 1, end);
        if (p >= end || *p != '{' || f->index >= MAX_VOTES)
            break;
        rd_vote_begin(r, f->index);
        p = lane_vote(r, d, p, end);
        if (!p)
            break;
        f->index++;
        count++;
        if (!rd_vote_commit(r, r->base + (p - d))) {
            ok = false;
            break;
        }
        done = p;
    }
    r->in_vote = false;
    r->chunk = NULL;
    *taken = (size_t)(done - d);
    rd_count_lines(r, d, *taken);
    r->base += (long long)*taken;
    atomic_fetch_add_explicit(&lane_votes, count, memory_order_relaxed);
    return ok;
}

/* Can the lane start rd_here (see above)? */
static bool lane_ready(const reader *r)
{
    return !lane_off && r->proposal_done && r->votes_depth > 0 &&
           r->depth == r->votes_depth && r->last_vote_end == r->base;
}

/*
 * Past the next '}' outside a string that a ',' follows in [p, end) (likely
 * the end of a vote), or end; with `split` false, end. *str says whether p
 * is inside a string (see lane_in_string) and is left saying the same of
 * the returned place. A split inside a string ("a},") would hand YAJL a
 * string in two pieces, and YAJL places a parse error just after such a
 * string at the start of the second piece, not where it places it when it
 * sees the string whole: the lane on and off would disagree on the offset.
 */
static uint64_t split_marks(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\'), c = w ^ (ONES * '}');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((c - ONES) & ~c)) & HIGHS;
}

static const unsigned char *next_vote_end(const unsigned char *p,
                                          const unsigned char *end,
                                          unsigned char *str, bool split)
{
    unsigned char s = *str;
    while (p < end) {
        if (s == 2) { /* the escaped byte */
            s = 1;
            p++;
            continue;
        }
        /* to the next '"', '\\' or '}', eight bytes at a time */
        for (; end - p >= 8; p += 8) {
            uint64_t m = split_marks(load8(p));
            if (m) {
                p += first_marked(m);
                break;
            }
        }
        while (p < end && *p != '"' && *p != '\\' && *p != '}')
            p++;
        if (p == end)
            break;
        unsigned char c = *p++;
        if (c == '"') {
            s = !s;
        } else if (c == '\\') {
            s = s ? 2 : 0;
        } else if (!s && split) {
            const unsigned char *q = skip_ws(p, end);
            if (q < end && *q == ',') {
                *str = 0;
                return p;
            }
        }
    }
    *str = s;
    return end;
}

/*
 * The string state at the end of a piece that YAJL read whole from a place
 * outside any string (offset `at`): the end of the last vote YAJL closed in
 * it is outside any string too, so only the text after it is looked at
 * (a few hundred bytes, not the megabyte YAJL was given).
 */
static void piece_end_state(reader *r, const unsigned char *d, size_t n,
                            long long at)
{
    size_t from = 0;
    if (r->last_vote_end > at && r->last_vote_end <= at + (long long)n)
        from = (size_t)(r->last_vote_end - at);
    r->lane_in_string = 0;
    (void)next_vote_end(d + from, d + n, &r->lane_in_string, false);
}

/*
 * Feeds one chunk; false when reading must stop (error or stop request).
 * Inside the votes array, YAJL is given the text up to a likely vote end,
 * and the lane takes the plain votes from there; when the lane takes none,
 * YAJL reads the rest of the chunk.
 */
bool rd_feed(reader *r, const unsigned char *data, size_t n)
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
            r->lane_in_string = 0; /* YAJL has just closed a vote */
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
            stop = (size_t)(next_vote_end(data + pos, data + n,
                                          &r->lane_in_string, true) -
                            data);
        long long at = r->base;
        if (!rd_parse_piece(r, data + pos, stop - pos))
            return false;
        if (!lane_off && lane_failed)
            piece_end_state(r, data + pos, stop - pos, at);
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
