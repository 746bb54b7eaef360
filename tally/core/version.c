/*
 * version.c: gvt_version, the version this library was built as (from
 * govtally_version.h, which CMake generates from the project's version).
 */
#include "core/core.h"

GVT_API const char *gvt_version(void)
{
    return GVT_VERSION;
}
