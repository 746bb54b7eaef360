/*
 * names.c: the names of decision rules and outcomes (govtally.h section 4,
 * docs/outcomes.md), here beside the proposal that carries its rule's name
 * (gvt_rule_text) so that the reader and the import can check it.
 */
#include <string.h>

#include "store/store.h"

GVT_API const char *gvt_rule_name(gvt_rule rule)
{
    static const char *const names[GVT_RULE_COUNT] = {
        "snapshot", "openzeppelin", "compound", "aragon", "unknown"};
    return (unsigned)rule < GVT_RULE_COUNT ? names[rule] : "?";
}

GVT_API int gvt_rule_from_name(const char *name)
{
    for (int k = 0; k < GVT_RULE_COUNT; k++)
        if (name && strcmp(name, gvt_rule_name((gvt_rule)k)) == 0)
            return k;
    return -1;
}

GVT_API const char *gvt_outcome_name(gvt_outcome outcome)
{
    static const char *const names[] = {"passed", "rejected", "failed-quorum",
                                        "not-decidable"};
    return (unsigned)outcome <= GVT_OUTCOME_NOT_DECIDABLE ? names[outcome]
                                                          : "?";
}
