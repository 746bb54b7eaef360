/*
 * result.h: the pipeline of one proposal and its result (STYLE "data flow"):
 * identity (when attestations are given) -> a weight per unit for every
 * scheme -> the type's rule -> scores and winners -> whale analysis.
 *
 *   tally.c  gvt_tally_run and the result's accessors (govtally.h)
 */
#ifndef GVT_RESULT_H
#define GVT_RESULT_H

#include "whales/whales.h"

struct gvt_result {
    const gvt_proposal *p; /* borrowed */
    gvt_scheme_result schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    gvt_identity *identity; /* owned; NULL without attestations */
    mpz_t cap;
    gvt_whales whales;
};

#endif /* GVT_RESULT_H */
