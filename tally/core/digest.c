/*
 * digest.c: SHA-256 of what was read (docs/audit.md): the inputs of a result
 * or a replay are hashed from the very bytes the readers take in, so that
 * standard input has a digest too, and listed with their role and name.
 *
 * SHA-256 is Nettle's, which uses the CPU's SHA instructions where there
 * are any (about 950 MB/s on this machine's, against libsodium's 200 MB/s
 * in portable C); the digests are the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

void gvt_digest_init(gvt_digest *d)
{
    sha256_init(&d->ctx);
    d->size = 0;
}

void gvt_digest_add(gvt_digest *d, const void *data, size_t n)
{
    if (!n)
        return;
    sha256_update(&d->ctx, n, data);
    d->size += n;
}

void gvt_digest_hex(gvt_digest *d, char hex[65])
{
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256_digest(&d->ctx, sizeof out, out);
    gvt_hex_encode(hex, out, sizeof out);
}

bool gvt_digest_fd(gvt_digest *d, int fd, unsigned long long size,
                   const atomic_int *cancel)
{
    enum { STEP = 1 << 20 };
    unsigned char *buf = gvt_xmalloc(STEP);
    unsigned long long off = 0;
    bool ok = true;
    while (off < size) {
        if (cancel && atomic_load(cancel)) {
            errno = ECANCELED;
            ok = false;
            break;
        }
        size_t want = size - off < STEP ? (size_t)(size - off) : STEP;
        ssize_t k = pread(fd, buf, want, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO; /* the file shrank */
            ok = false;
            break;
        }
        gvt_digest_add(d, buf, (size_t)k);
        off += (unsigned long long)k;
    }
    free(buf);
    return ok;
}

void gvt_sha256_hex(const void *data, size_t n, char hex[65])
{
    gvt_digest d;
    gvt_digest_init(&d);
    gvt_digest_add(&d, data, n);
    gvt_digest_hex(&d, hex);
}

gvt_input *gvt_inputs_add(gvt_inputs *l, const char *role, const char *name,
                          gvt_digest *d)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = gvt_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    gvt_input *in = &l->v[l->n++];
    memset(in, 0, sizeof *in);
    in->role = role;
    in->name = gvt_xstrdup(name);
    if (d) {
        in->complete = true;
        in->size = d->size;
        gvt_digest_hex(d, in->sha256);
    }
    return in;
}

void gvt_inputs_copy(gvt_inputs *dst, const gvt_inputs *src)
{
    for (size_t i = 0; i < src->n; i++) {
        gvt_input *in =
            gvt_inputs_add(dst, src->v[i].role, src->v[i].name, NULL);
        in->complete = src->v[i].complete;
        in->size = src->v[i].size;
        memcpy(in->sha256, src->v[i].sha256, sizeof in->sha256);
    }
}

void gvt_inputs_free(gvt_inputs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    free(l->v);
    memset(l, 0, sizeof *l);
}
