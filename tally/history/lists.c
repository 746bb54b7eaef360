/*
 * lists.c: verified lists exported from the personhood systems DAOs use,
 * signed as attestations by an operator (`govtally attest sign --list`,
 * docs/identity.md#verified-lists):
 *
 *   passport  Gitcoin Passport scores: address, score. A row is signed when
 *             its score is at least --min-score (default 20, the threshold
 *             of Gitcoin's own scorer); its nullifier is its address, so
 *             every wallet is a human of its own.
 *   poh       Proof of Humanity: address, humanity id (the nullifier).
 *   worldid   World ID verifications of one action: address, nullifier
 *             hash (the nullifier); an action column, when mapped, and
 *             --action keep the rows of that action only.
 *
 * The list is read with the import's CSV layer (csvfile.c): a header, then
 * one row each; columns found by name (case-insensitive), the kind's default
 * names or a --map like the import's ("address=wallet,score=Score"). Every
 * row is signed or skipped under a counted reason (gvt_list_skip); a row
 * with the wrong number of fields or an unreadable file is a data error.
 * Nullifiers are 0x and 1 to 64 hex digits or a decimal below 2^256, as a
 * 32-byte big-endian number (a 20-byte humanity id left-padded with zeros);
 * scores are exact decimals compared with GMP.
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "history/history.h"

enum { ROLE_ADDRESS, ROLE_SCORE, ROLE_NULLIFIER, ROLE_ACTION, ROLE_COUNT };
static const char *const role_names[ROLE_COUNT] = {"address", "score",
                                                   "nullifier", "action"};

GVT_API const char *gvt_list_skip_name(gvt_list_skip r)
{
    static const char *const names[GVT_LIST_SKIP_COUNT] = {
        "bad-address",       "bad-score",     "below-min-score",
        "missing-nullifier", "bad-nullifier", "other-action",
        "duplicate-address"};
    return (unsigned)r < GVT_LIST_SKIP_COUNT ? names[r] : "?";
}

GVT_API const char *gvt_list_kind_name(gvt_list_kind k)
{
    static const char *const names[] = {"passport", "poh", "worldid"};
    return (unsigned)k < 3 ? names[k] : "?";
}

typedef struct lister {
    const char *path;
    const gvt_attest_list_options *opt;
    gvt_attest_signer *signer;
    gvt_attest_list_stats *stats;
    gvt_error *err;
    FILE *out, *skipped;
    gvt_buf b;
    char *map_cols[ROLE_COUNT]; /* column names wanted */
    int col[ROLE_COUNT];        /* -1: absent */
    size_t n_header;
    bool have_header;
    mpq_t min, score;
    uint8_t (*seen)[20]; /* addresses signed: open addressing */
    size_t n_seen, cap_seen;
} lister;

/* The kind's default columns, then --map's (role=COLUMN,...). */
static gvt_status columns(lister *l)
{
    static const char *const defaults[3][ROLE_COUNT] = {
        {"address", "score", NULL, NULL},
        {"address", NULL, "humanity_id", NULL},
        {"address", NULL, "nullifier_hash", "action"}};
    for (int r = 0; r < ROLE_COUNT; r++)
        l->map_cols[r] = defaults[l->opt->kind][r]
                             ? gvt_xstrdup(defaults[l->opt->kind][r])
                             : NULL;
    const char *m = l->opt->map;
    while (m && *m) {
        const char *comma = strchr(m, ',');
        size_t len = comma ? (size_t)(comma - m) : strlen(m);
        const char *eq = memchr(m, '=', len);
        int r = 0;
        while (eq && r < ROLE_COUNT &&
               !(strlen(role_names[r]) == (size_t)(eq - m) &&
                 strncmp(m, role_names[r], (size_t)(eq - m)) == 0))
            r++;
        bool fits = eq && r < ROLE_COUNT && eq + 1 < m + len &&
                    (r != ROLE_SCORE || l->opt->kind == GVT_LIST_PASSPORT) &&
                    (r != ROLE_NULLIFIER || l->opt->kind != GVT_LIST_PASSPORT);
        if (!fits) {
            gvt_error_set(l->err, GVT_ERR_USAGE, NULL,
                          "--map '%.*s': expected ROLE=COLUMN with ROLE "
                          "address, %s or action",
                          (int)len, m,
                          l->opt->kind == GVT_LIST_PASSPORT ? "score"
                                                            : "nullifier");
            return GVT_ERR_USAGE;
        }
        free(l->map_cols[r]);
        l->map_cols[r] = gvt_xmalloc((size_t)(m + len - eq));
        memcpy(l->map_cols[r], eq + 1, (size_t)(m + len - eq - 1));
        l->map_cols[r][m + len - eq - 1] = '\0';
        m = comma ? comma + 1 : NULL;
    }
    return GVT_OK;
}

static bool header(lister *l, char **f, size_t n, long line)
{
    l->have_header = true;
    l->n_header = n;
    for (int r = 0; r < ROLE_COUNT; r++) {
        l->col[r] = -1;
        for (size_t i = 0; l->map_cols[r] && i < n; i++)
            if (strcasecmp(f[i], l->map_cols[r]) == 0) {
                l->col[r] = (int)i;
                break;
            }
        bool needed =
            r == ROLE_ADDRESS ||
            (r == ROLE_SCORE && l->opt->kind == GVT_LIST_PASSPORT) ||
            (r == ROLE_NULLIFIER && l->opt->kind != GVT_LIST_PASSPORT) ||
            (r == ROLE_ACTION && l->opt->action);
        if (needed && l->col[r] < 0) {
            gvt_error_set(l->err, GVT_ERR_DATA, l->path,
                          "no column '%s' for the %s (the header names the "
                          "columns; --map %s=COLUMN picks another)",
                          l->map_cols[r] ? l->map_cols[r] : role_names[r],
                          role_names[r], role_names[r]);
            if (l->err)
                l->err->line = line;
            return false;
        }
    }
    return true;
}

/*
 * An exact decimal: [-]digits[.digits], at most 80 digits, into q; false
 * for anything else (exponents, blanks, "NaN").
 */
static bool decimal(const char *s, mpq_t q)
{
    size_t n = strlen(s);
    const char *d = s + (s[0] == '-');
    size_t int_len = strspn(d, "0123456789");
    const char *frac = d + int_len;
    size_t frac_len = 0;
    if (*frac == '.') {
        frac++;
        frac_len = strspn(frac, "0123456789");
    }
    if (n > 80 || (int_len == 0 && frac_len == 0) || frac[frac_len] != '\0' ||
        (*(d + int_len) == '.' && frac_len == 0))
        return false;
    char digits[96];
    memcpy(digits, d, int_len);
    memcpy(digits + int_len, frac, frac_len);
    digits[int_len + frac_len] = '\0';
    mpz_set_str(mpq_numref(q), digits, 10);
    if (s[0] == '-')
        mpz_neg(mpq_numref(q), mpq_numref(q));
    mpz_ui_pow_ui(mpq_denref(q), 10, frac_len);
    mpq_canonicalize(q);
    return true;
}

/* 0x and 1..64 hex digits, or decimal digits below 2^256, as 32 bytes. */
static bool nullifier(const char *s, uint8_t out[32])
{
    mpz_t x;
    size_t n = strlen(s);
    bool hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *d = hex ? s + 2 : s;
    size_t len = n - (hex ? 2 : 0);
    if (len == 0 || len > 78 ||
        strspn(d, hex ? "0123456789abcdefABCDEF" : "0123456789") != len ||
        (hex && len > 64))
        return false;
    mpz_init_set_str(x, d, hex ? 16 : 10);
    bool ok = mpz_sizeinbase(x, 2) <= 256;
    if (ok) {
        size_t count = 0;
        memset(out, 0, 32);
        uint8_t tmp[32];
        mpz_export(tmp, &count, 1, 1, 1, 0, x);
        memcpy(out + 32 - count, tmp, count);
    }
    mpz_clear(x);
    return ok;
}

/* An address: 0x and 40 hex digits; mixed case must be EIP-55's. */
static bool address(const char *s, uint8_t out[20], char lower[43])
{
    if (!gvt_eth_address_parse(s, strlen(s), out))
        return false;
    gvt_eth_address_hex(out, lower);
    bool upper = false, low = false;
    for (const char *p = s + 2; *p; p++) {
        upper = upper || (*p >= 'A' && *p <= 'F');
        low = low || (*p >= 'a' && *p <= 'f');
    }
    if (!upper || !low)
        return true;
    char checked[43];
    gvt_eth_address_checksum(out, checked);
    return strcmp(checked + 2, s + 2) == 0;
}

/* Adds a to the set; false when it was there. */
static bool first_time(lister *l, const uint8_t a[20])
{
    if (2 * (l->n_seen + 1) > l->cap_seen) {
        size_t cap = l->cap_seen ? 2 * l->cap_seen : 1024;
        uint8_t(*t)[20] = gvt_xcalloc(cap, 20);
        for (size_t i = 0; i < l->cap_seen; i++) {
            static const uint8_t zero[20];
            if (memcmp(l->seen[i], zero, 20) == 0)
                continue;
            size_t h = gvt_hash_bytes(l->seen[i], 20) & (cap - 1);
            while (memcmp(t[h], zero, 20) != 0)
                h = (h + 1) & (cap - 1);
            memcpy(t[h], l->seen[i], 20);
        }
        free(l->seen);
        l->seen = t;
        l->cap_seen = cap;
    }
    static const uint8_t zero[20];
    size_t h = gvt_hash_bytes(a, 20) & (l->cap_seen - 1);
    while (memcmp(l->seen[h], zero, 20) != 0) {
        if (memcmp(l->seen[h], a, 20) == 0)
            return false;
        h = (h + 1) & (l->cap_seen - 1);
    }
    memcpy(l->seen[h], a, 20); /* the zero address is refused before */
    l->n_seen++;
    return true;
}

/* The reason row f is not signed, or -1; its address and nullifier. */
static int judge(lister *l, char **f, uint8_t addr[20], char lower[43],
                 uint8_t nul[32])
{
    static const uint8_t zero[20];
    if (!address(f[l->col[ROLE_ADDRESS]], addr, lower) ||
        memcmp(addr, zero, 20) == 0)
        return GVT_LIST_BAD_ADDRESS;
    if (l->opt->kind == GVT_LIST_PASSPORT) {
        if (!decimal(f[l->col[ROLE_SCORE]], l->score))
            return GVT_LIST_BAD_SCORE;
        if (mpq_cmp(l->score, l->min) < 0)
            return GVT_LIST_BELOW_MIN_SCORE;
        memset(nul, 0, 12);
        memcpy(nul + 12, addr, 20);
    } else {
        const char *v = f[l->col[ROLE_NULLIFIER]];
        if (!*v)
            return GVT_LIST_MISSING_NULLIFIER;
        if (!nullifier(v, nul))
            return GVT_LIST_BAD_NULLIFIER;
        if (l->opt->action && l->col[ROLE_ACTION] >= 0 &&
            strcmp(f[l->col[ROLE_ACTION]], l->opt->action) != 0)
            return GVT_LIST_OTHER_ACTION;
    }
    return first_time(l, addr) ? -1 : GVT_LIST_DUPLICATE_ADDRESS;
}

static bool on_row(void *ctx, char **f, size_t n, long line)
{
    lister *l = ctx;
    if (!l->have_header)
        return header(l, f, n, line);
    if (n == 1 && f[0][0] == '\0')
        return true; /* a record of blanks */
    l->stats->rows++;
    if (n != l->n_header) {
        gvt_error_set(l->err, GVT_ERR_DATA, l->path,
                      "%zu fields where the header has %zu", n, l->n_header);
        if (l->err)
            l->err->line = line;
        return false;
    }
    uint8_t addr[20], nul[32];
    char lower[43];
    int why = judge(l, f, addr, lower, nul);
    if (why >= 0) {
        l->stats->skipped[why]++;
        if (l->skipped)
            fprintf(l->skipped, "%ld,%s\n", line,
                    gvt_list_skip_name((gvt_list_skip)why));
        return true;
    }
    if (gvt_attest_signer_sign(l->signer, lower, nul, &l->b, l->err) ||
        gvt_attest_flush(&l->b, l->out, false, l->err))
        return false;
    l->stats->signed_rows++;
    return true;
}

GVT_API gvt_status gvt_attest_sign_list(
    const char *key_path, const char *list_path,
    const gvt_attest_sign_options *sign, const gvt_attest_list_options *opt,
    FILE *out, FILE *skipped, gvt_attest_list_stats *out_stats, gvt_error *err)
{
    gvt_error_clear(err);
    gvt_attest_list_stats stats;
    memset(&stats, 0, sizeof stats);
    if (out_stats)
        *out_stats = stats;
    if (!opt || (unsigned)opt->kind > GVT_LIST_WORLDID) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "a list kind: passport, poh or worldid");
        return GVT_ERR_USAGE;
    }
    lister l = {.path = list_path,
                .opt = opt,
                .stats = &stats,
                .err = err,
                .out = out,
                .skipped = skipped};
    mpq_inits(l.min, l.score, NULL);
    gvt_buf_init(&l.b);
    gvt_status st = columns(&l);
    if (st == GVT_OK &&
        !decimal(opt->min_score ? opt->min_score : "20", l.min)) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "--min-score '%s': expected a decimal (20, 15.5)",
                      opt->min_score);
        st = GVT_ERR_USAGE;
    }
    if (st == GVT_OK)
        st = gvt_attest_signer_open(key_path, sign, &l.signer, err);
    if (st == GVT_OK)
        st = gvt_csv_each(list_path, GVT_LIMIT_SUBJECTS_BYTES, on_row, &l, err);
    if (st == GVT_OK && !l.have_header) {
        gvt_error_set(err, GVT_ERR_DATA, list_path, "empty file: no header");
        st = GVT_ERR_DATA;
    }
    if (st == GVT_OK)
        st = gvt_attest_flush(&l.b, out, true, err);
    if (st == GVT_OK && skipped && (fflush(skipped) || ferror(skipped))) {
        gvt_error_set(err, GVT_ERR_CANTCREAT, NULL,
                      "cannot write the skipped rows");
        st = GVT_ERR_CANTCREAT;
    }
    gvt_attest_signer_free(l.signer);
    gvt_buf_free(&l.b);
    for (int r = 0; r < ROLE_COUNT; r++)
        free(l.map_cols[r]);
    free(l.seen);
    mpq_clears(l.min, l.score, NULL);
    if (out_stats)
        *out_stats = stats;
    return st;
}
