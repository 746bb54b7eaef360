/* tally.c: placeholder. */
#include <string.h>

#include "internal.h"

static const char *const scheme_names[GVT_SCHEME_COUNT] = {
    "snapshot",   "token",
    "address",    "quadratic",
    "personhood", "quadratic-personhood",
    "capped-personhood"};

const char *gvt_scheme_name(gvt_scheme s)
{
    return (unsigned)s < GVT_SCHEME_COUNT ? scheme_names[s] : "?";
}

int gvt_scheme_from_name(const char *name)
{
    for (int i = 0; i < GVT_SCHEME_COUNT; i++)
        if (strcmp(name, scheme_names[i]) == 0)
            return i;
    return -1;
}

gvt_status gvt_tally_run(const gvt_proposal *p, const gvt_tally_options *opt,
                         gvt_result **out, gvt_error *err)
{
    (void)p;
    (void)opt;
    *out = NULL;
    gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "not implemented");
    return GVT_ERR_INTERNAL;
}

void gvt_result_free(gvt_result *r)
{
    (void)r;
}

gvt_status gvt_result_write(const gvt_result *r, gvt_format format, int color,
                            FILE *out, gvt_error *err)
{
    (void)r;
    (void)format;
    (void)color;
    (void)out;
    gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "not implemented");
    return GVT_ERR_INTERNAL;
}
