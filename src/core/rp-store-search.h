/* rp-store-search.h: search over the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-store.h"

G_BEGIN_DECLS

typedef struct _RpStoreQuery RpStoreQuery;

RpStoreQuery *rp_store_query_parse      (const char    *text,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      rp_store_query_is_empty   (RpStoreQuery  *query);
char         *rp_store_query_dup_match  (RpStoreQuery  *query) G_GNUC_WARN_UNUSED_RESULT;
void          rp_store_query_free       (RpStoreQuery  *query);

GArray       *rp_store_search_sync      (RpStore       *self,
                                         const char    *text,
                                         guint          limit,
                                         GCancellable  *cancellable,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpStoreQuery, rp_store_query_free)

G_END_DECLS
