/* report_html.c: placeholder, filled by its module owner. */
#include "internal.h"
