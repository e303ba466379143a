/* rp-composer-private.h: what the composer's source files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-composer.h"

G_BEGIN_DECLS

/* Addresses compared as users expect: case-insensitively, also beyond
 * ASCII. */
gboolean  _rp_composer_same_address      (const char      *a,
                                          const char      *b);
gboolean  _rp_composer_list_has_address  (const GPtrArray *list,
                                          const char      *address);

G_END_DECLS
