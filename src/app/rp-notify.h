/* rp-notify.h: the desktop notification for new mail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-core.h"

G_BEGIN_DECLS

char *rp_notify_new_mail (GApplication *app,
                          RpStore      *store,
                          const char   *account_name,
                          guint         n_new) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
