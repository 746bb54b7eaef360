/* proposal.c: placeholder until the reader lands. */
#include "internal.h"

gvt_status gvt_proposal_read_file(const char *path, gvt_proposal **out,
                                  gvt_error *err)
{
    *out = NULL;
    gvt_error_set(err, GVT_ERR_INTERNAL, path, "reader not implemented");
    return GVT_ERR_INTERNAL;
}

void gvt_proposal_free(gvt_proposal *p)
{
    (void)p;
}
