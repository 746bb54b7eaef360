/* check.c: placeholder, filled by its module owner. */
#include "internal.h"
