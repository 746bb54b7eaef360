/* report_json.c: placeholder, filled by its module owner. */
#include "internal.h"
