/* attestation.c: placeholder until the identity issue lands. */
#include "internal.h"

gvt_status gvt_attestations_read_file(const char *path, gvt_attestations **out,
                                      gvt_error *err)
{
    *out = NULL;
    gvt_error_set(err, GVT_ERR_INTERNAL, path, "not implemented");
    return GVT_ERR_INTERNAL;
}

void gvt_attestations_free(gvt_attestations *a)
{
    (void)a;
}
