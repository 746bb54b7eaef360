/*
 * fuzz_driver.c: runs a fuzz target without libFuzzer: each seed file given
 * on the command line as is, then ITERATIONS seeded mutations of it (byte
 * flips, insertions, deletions, truncations, splices of JSON tokens). The
 * seed of the generator is printed so a failure can be replayed.
 * usage: fuzz_driver [-n ITERATIONS] [-s SEED] FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state;

static uint64_t next(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *size = n;
    return buf;
}

static const char *const tokens[] = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "false",
    "-1",
    "1e999999999",
    "0.0000000000000000000000000000000000001",
    "\"vp\"",
    "\"choice\"",
    "\"voter\"",
    "\"votes\"",
    "\"proposal\"",
    "\xff",
    "\\u0000",
    "1e-7",
    "99999999999999999999999999999999999999999999999999999999999999"};

static size_t mutate(unsigned char *buf, size_t size, size_t cap)
{
    int rounds = 1 + (int)(next() % 4);
    for (int r = 0; r < rounds; r++) {
        size_t pos = size ? next() % size : 0;
        switch (next() % 5) {
        case 0: /* flip a byte */
            if (size)
                buf[pos] ^= (unsigned char)(1u << (next() % 8));
            break;
        case 1: /* delete a run */
            if (size) {
                size_t len = 1 + next() % 16;
                if (pos + len > size)
                    len = size - pos;
                memmove(buf + pos, buf + pos + len, size - pos - len);
                size -= len;
            }
            break;
        case 2: { /* insert a token */
            const char *t = tokens[next() % (sizeof tokens / sizeof *tokens)];
            size_t len = strlen(t);
            if (size + len <= cap) {
                memmove(buf + pos + len, buf + pos, size - pos);
                memcpy(buf + pos, t, len);
                size += len;
            }
            break;
        }
        case 3: /* truncate */
            size = pos;
            break;
        default: /* duplicate a run */
            if (size) {
                size_t len = 1 + next() % 64;
                if (pos + len > size)
                    len = size - pos;
                if (size + len <= cap) {
                    memmove(buf + pos + len, buf + pos, size - pos);
                    size += len;
                }
            }
        }
    }
    return size;
}

int main(int argc, char **argv)
{
    long iterations = 2000;
    uint64_t seed = 1;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            iterations = atol(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
    }
    printf("fuzz_driver: seed %llu, %ld iterations per input\n",
           (unsigned long long)seed, iterations);
    int files = 0;
    for (; i < argc; i++) {
        size_t size;
        unsigned char *orig = slurp(argv[i], &size);
        if (!orig) {
            fprintf(stderr, "fuzz_driver: cannot read %s\n", argv[i]);
            return 1;
        }
        rng_state = seed;
        LLVMFuzzerTestOneInput(orig, size);
        size_t cap = size * 2 + 256;
        unsigned char *buf = malloc(cap);
        for (long k = 0; k < iterations; k++) {
            memcpy(buf, orig, size);
            size_t n = mutate(buf, size, cap);
            LLVMFuzzerTestOneInput(buf, n);
        }
        free(buf);
        free(orig);
        files++;
    }
    printf("%d passed, 0 failed\n", files);
    return 0;
}
