/* report_text.c: placeholder, filled by its module owner. */
#include "internal.h"
