/*
 * gen-history.c: a synthetic vote history shaped like Snapshot's, written as
 * JSON Lines (one export of docs/formats.md#proposal-export per line) to
 * standard output, the same bytes for the same arguments. It streams: the
 * full scale (about 9 GB) never needs to be stored, e.g.
 *
 *   gen-history --scale 1 | govtally replay - --threads 2
 *
 * The shape is that of a census of Snapshot (2024): about 221,000
 * proposals, 52 million votes and 31,000 spaces at scale 1; proposal sizes
 * heavy-tailed (median 50 votes, the largest 400,000); the type mix about
 * 80.5% single-choice, 7% basic, 6% weighted, 4% quadratic, 1.6% approval,
 * 0.9% ranked-choice.
 *
 * Sizes are not drawn at random but taken at evenly spaced quantiles
 * (i + 1/2) / N of one distribution, so every scale has the same median
 * and nearly the same mean: a log-normal body (median 50, sigma 1.5) up to
 * the 98.8th percentile, then a Pareto tail of shape 1, capped at 400,000.
 * The sizes are then shuffled with the seed, so large proposals fall
 * anywhere in the stream. Everything else (types, spaces, choices, voters,
 * voting power, times, ids) comes from one seeded xoshiro256** stream.
 *
 * Voting power per vote: 15% dust (0.001 to 1), the rest Pareto of shape
 * 1.2 from 1 (a few voters of every large proposal hold much of it), each
 * written with 15 or 16 significant digits like a JavaScript double.
 *
 * usage: gen-history [--scale F] [--proposals N] [--size V] [--type T]
 *                    [--seed S]
 *   --scale F      F x 221,000 proposals (default 1)
 *   --proposals N  exactly N proposals (instead of --scale)
 *   --size V       every proposal has V votes (instead of the heavy tail)
 *   --type T       every proposal has type T (instead of the mix)
 *   --seed S       any unsigned integer (default 1)
 * A summary (proposals, votes, bytes) goes to standard error.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CENSUS_PROPOSALS 221000.0
#define CENSUS_SPACES 31000.0
#define MAX_SIZE 400000

/* ---- the seeded stream: xoshiro256** seeded by splitmix64 ---------------- */

static uint64_t rs[4];

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next(void)
{
    uint64_t r = rotl(rs[1] * 5, 7) * 9;
    uint64_t t = rs[1] << 17;
    rs[2] ^= rs[0];
    rs[3] ^= rs[1];
    rs[1] ^= rs[2];
    rs[0] ^= rs[3];
    rs[2] ^= t;
    rs[3] = rotl(rs[3], 45);
    return r;
}

static void seed(uint64_t s)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (s += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        rs[i] = z ^ (z >> 31);
    }
}

/* uniform in [0, 1), 53 bits */
static double real(void)
{
    return (double)(next() >> 11) * 0x1.0p-53;
}

/* uniform in 0 .. n-1 */
static uint64_t below(uint64_t n)
{
    return next() % n; /* the bias (n / 2^64) is irrelevant here */
}

/* ---- output -------------------------------------------------------------- */

static char obuf[1 << 20];
static size_t olen;
static unsigned long long bytes_out;

static void flush_out(void)
{
    size_t off = 0;
    while (off < olen) {
        ssize_t w = write(1, obuf + off, olen - off);
        if (w <= 0) {
            perror("gen-history: write");
            exit(74);
        }
        off += (size_t)w;
    }
    bytes_out += olen;
    olen = 0;
}

/* room for n more bytes */
static char *room(size_t n)
{
    if (olen + n > sizeof obuf)
        flush_out();
    return obuf + olen;
}

/* n bytes (n far below the buffer's size) */
static void put(const char *s, size_t n)
{
    memcpy(room(n), s, n);
    olen += n;
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static void put_u64(uint64_t v)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char *p = room((size_t)n);
    for (int i = 0; i < n; i++)
        p[i] = t[n - 1 - i];
    olen += (size_t)n;
}

static const char hexd[] = "0123456789abcdef";

/* n random hex digits */
static void put_digits(int n)
{
    char *p = room((size_t)n);
    for (int i = 0; i < n; i += 16) {
        uint64_t r = next();
        for (int k = 0; k < 16 && i + k < n; k++, r >>= 4)
            p[i + k] = hexd[r & 15];
    }
    olen += (size_t)n;
}

/* "0x" and n random hex digits */
static void put_hex(int n)
{
    put("0x", 2);
    put_digits(n);
}

/*
 * A positive amount v with 15 or 16 significant digits, plain decimal
 * (no exponent), trailing fraction zeros dropped: m x 10^-k.
 */
static void put_amount(double v)
{
    int e = (int)floor(log10(v)); /* v in [10^e, 10^(e+1)) */
    int k = 15 - e;               /* fraction digits */
    if (k < 0)
        k = 0;
    if (k > 30)
        k = 30;
    uint64_t m = (uint64_t)llround(v * pow(10.0, k));
    while (k > 0 && m % 10 == 0) {
        m /= 10;
        k--;
    }
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    char *p = room(64);
    size_t o = 0;
    if (n <= k) { /* 0.000ddd */
        p[o++] = '0';
        p[o++] = '.';
        for (int i = 0; i < k - n; i++)
            p[o++] = '0';
        for (int i = n - 1; i >= 0; i--)
            p[o++] = d[i];
    } else {
        for (int i = n - 1; i >= 0; i--) {
            p[o++] = d[i];
            if (i == k && k > 0)
                p[o++] = '.';
        }
    }
    olen += o;
}

/* ---- the shape ----------------------------------------------------------- */

/* Phi^-1 by bisection on erfc (exact enough for sizes rounded to votes). */
static double normal_quantile(double u)
{
    double lo = -40, hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < u)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

#define BODY_SIGMA 1.5
#define TAIL_FROM 0.988
#define TAIL_SHAPE 1.0

/* The number of votes at quantile u of the size distribution. */
static uint32_t size_at(double u)
{
    double x;
    if (u <= TAIL_FROM) {
        x = 50 * exp(BODY_SIGMA * normal_quantile(u));
    } else {
        double x0 = 50 * exp(BODY_SIGMA * normal_quantile(TAIL_FROM));
        x = x0 * pow((1 - TAIL_FROM) / (1 - u), 1 / TAIL_SHAPE);
    }
    x = round(x);
    if (x < 1)
        x = 1;
    if (x > MAX_SIZE)
        x = MAX_SIZE;
    return (uint32_t)x;
}

static const char *const type_names[] = {"single-choice", "basic",
                                         "weighted",      "quadratic",
                                         "approval",      "ranked-choice"};
enum { T_SINGLE, T_BASIC, T_WEIGHTED, T_QUADRATIC, T_APPROVAL, T_RANKED };
/* per 1000: the census's mix */
static const int type_mix[] = {805, 70, 60, 40, 16, 9};

static int draw_type(void)
{
    int x = (int)below(1000);
    for (int t = 0; t < 6; t++) {
        if (x < type_mix[t])
            return t;
        x -= type_mix[t];
    }
    return T_SINGLE;
}

static double vote_power(void)
{
    if (real() < 0.15)
        return 0.001 + real() * 0.999;
    return pow(1 - real(), -1 / 1.2);
}

/* choice k (0-based) drawn with weight 1 / (rank[k]) */
static int draw_choice(const double *cum, int k)
{
    double x = real() * cum[k - 1];
    for (int i = 0; i < k; i++)
        if (x < cum[i])
            return i;
    return k - 1;
}

static void put_choice(int type, int k, const double *cum, const double *w)
{
    char *p;
    switch (type) {
    case T_SINGLE:
    case T_BASIC:
        p = room(4);
        olen += (size_t)snprintf(p, 4, "%d", draw_choice(cum, k) + 1);
        return;
    case T_APPROVAL: {
        put("[", 1);
        bool first = true;
        for (int i = 0; i < k; i++)
            if (real() < 0.15 + 0.7 * w[i]) {
                if (!first)
                    put(",", 1);
                put_u64((uint64_t)i + 1);
                first = false;
            }
        put("]", 1);
        return;
    }
    case T_RANKED: {
        int order[8];
        for (int i = 0; i < k; i++)
            order[i] = i;
        /* first preference by popularity, the rest shuffled */
        int f = draw_choice(cum, k);
        order[f] = 0;
        order[0] = f;
        for (int i = k - 1; i > 1; i--) {
            int j = 1 + (int)below((uint64_t)i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        put("[", 1);
        for (int i = 0; i < k; i++) {
            if (i)
                put(",", 1);
            put_u64((uint64_t)order[i] + 1);
        }
        put("]", 1);
        return;
    }
    default: { /* weighted, quadratic: 1 to 3 choices with weights */
        int picks = 1 + (int)below(k < 3 ? (uint64_t)k : 3);
        int first = draw_choice(cum, k);
        put("{\"", 2);
        put_u64((uint64_t)first + 1);
        put("\":", 2);
        put_u64(1 + below(100));
        for (int i = 1, c = first; i < picks; i++) {
            c = (c + 1 + (int)below((uint64_t)k - 1)) % k;
            if (c == first)
                continue;
            put(",\"", 2);
            put_u64((uint64_t)c + 1);
            put("\":", 2);
            put_u64(below(100));
        }
        put("}", 1);
        return;
    }
    }
}

static void proposal(uint32_t n_votes, int type, uint64_t space,
                     unsigned long long index)
{
    int k = type == T_BASIC ? 3 : 2 + (int)below(type == T_RANKED ? 4 : 5);
    double w[8], cum[8], c = 0;
    for (int i = 0; i < k; i++) {
        w[i] = 1.0 / (1 + (double)below((uint64_t)k));
        c += w[i];
        cum[i] = c;
    }
    uint64_t start = 1590000000 + below(140000000);
    uint64_t dur = 86400 * (1 + below(7));
    puts_("{\"proposal\": {\"id\": \"");
    put_hex(64);
    puts_("\", \"space\": \"space-");
    put_u64(space);
    puts_(".eth\", \"type\": \"");
    puts_(type_names[type]);
    puts_("\", \"title\": \"Proposal ");
    put_u64(index + 1);
    puts_("\", \"choices\": [");
    for (int i = 0; i < k; i++) {
        if (i)
            put(", ", 2);
        if (type == T_BASIC)
            puts_(i == 0 ? "\"For\"" : i == 1 ? "\"Against\"" : "\"Abstain\"");
        else {
            puts_("\"Option ");
            put_u64((uint64_t)i + 1);
            put("\"", 1);
        }
    }
    puts_("], \"start\": ");
    put_u64(start);
    puts_(", \"end\": ");
    put_u64(start + dur);
    puts_(", \"snapshot\": \"");
    put_u64(10000000 + below(10000000));
    puts_("\", \"state\": \"closed\", \"author\": \"");
    put_hex(40);
    puts_("\"}, \"votes\": [");
    /* voters: 8 hex digits a bijection of the vote's index (distinct in
     * the proposal), 32 random */
    uint64_t salt = next();
    for (uint32_t i = 0; i < n_votes; i++) {
        puts_(i ? ",{\"id\":\"" : "{\"id\":\"");
        put_hex(64);
        puts_("\",\"voter\":\"0x");
        uint32_t x = i + (uint32_t)salt;
        x = (x ^ (x >> 16)) * 0x45d9f3bu;
        x = (x ^ (x >> 16)) * 0x45d9f3bu;
        x ^= x >> 16;
        char *p = room(8);
        for (int d = 7; d >= 0; d--, x >>= 4)
            p[d] = hexd[x & 15];
        olen += 8;
        put_digits(32);
        puts_("\",\"created\":");
        put_u64(start + (uint64_t)i * dur / n_votes + below(60));
        puts_(",\"choice\":");
        put_choice(type, k, cum, w);
        puts_(",\"vp\":");
        put_amount(vote_power());
        put("}", 1);
    }
    puts_("]}\n");
}

static void usage(void)
{
    fprintf(stderr, "usage: gen-history [--scale F] [--proposals N] "
                    "[--size V] [--type T] [--seed S]\n");
    exit(64);
}

int main(int argc, char **argv)
{
    double scale = 1;
    long long n_props = -1, fixed_size = -1;
    int fixed_type = -1;
    unsigned long long seed_arg = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        char *end;
        if (strcmp(a, "--scale") == 0) {
            scale = strtod(v, &end);
            if (*end || !(scale > 0 && scale <= 100))
                usage();
        } else if (strcmp(a, "--proposals") == 0) {
            n_props = strtoll(v, &end, 10);
            if (*end || n_props < 1 || n_props > 100000000)
                usage();
        } else if (strcmp(a, "--size") == 0) {
            fixed_size = strtoll(v, &end, 10);
            if (*end || fixed_size < 1 || fixed_size > 100000000)
                usage();
        } else if (strcmp(a, "--type") == 0) {
            for (int t = 0; t < 6; t++)
                if (strcmp(v, type_names[t]) == 0)
                    fixed_type = t;
            if (fixed_type < 0)
                usage();
        } else if (strcmp(a, "--seed") == 0) {
            seed_arg = strtoull(v, &end, 10);
            if (*end)
                usage();
        } else {
            usage();
        }
        i++;
    }
    if (n_props < 0)
        n_props = llround(CENSUS_PROPOSALS * scale);
    if (n_props < 1)
        n_props = 1;
    double f = (double)n_props / CENSUS_PROPOSALS;
    uint64_t n_spaces = (uint64_t)llround(CENSUS_SPACES * f);
    if (n_spaces < 1)
        n_spaces = 1;

    seed(seed_arg);
    uint32_t *sizes = malloc((size_t)n_props * sizeof *sizes);
    if (!sizes) {
        perror("gen-history");
        return 70;
    }
    for (long long i = 0; i < n_props; i++)
        sizes[i] = fixed_size > 0
                       ? (uint32_t)fixed_size
                       : size_at(((double)i + 0.5) / (double)n_props);
    for (long long i = n_props - 1; i > 0; i--) {
        uint64_t j = below((uint64_t)i + 1);
        uint32_t t = sizes[i];
        sizes[i] = sizes[j];
        sizes[j] = t;
    }
    unsigned long long votes = 0;
    for (long long i = 0; i < n_props; i++) {
        int type = fixed_type >= 0 ? fixed_type : draw_type();
        /* spaces: a few hold many proposals (u^3 skews to small indices) */
        double u = real();
        uint64_t space = (uint64_t)((double)n_spaces * u * u * u);
        proposal(sizes[i], type, space, (unsigned long long)i);
        votes += sizes[i];
    }
    flush_out();
    free(sizes);
    fprintf(stderr,
            "gen-history: %lld proposals, %llu votes, %llu bytes (seed %llu)\n",
            n_props, votes, bytes_out, seed_arg);
    return 0;
}
