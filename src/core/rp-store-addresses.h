/* rp-store-addresses.h: address completion from the mail in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-message.h"
#include "rp-store.h"

G_BEGIN_DECLS

/* Addresses whose address or name (any word of it) starts with @prefix,
 * case-insensitively; the most used and most recent first, and mail the
 * user sent weighs more than mail received. Each address once.
 * (element-type RpAddress) */
GPtrArray *rp_store_complete_addresses (RpStore     *self,
                                        const char  *prefix,
                                        guint        limit,
                                        GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
