/* rp-store-change.h: what a commit changed, for models to refresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _RpStoreChange RpStoreChange;

#define RP_TYPE_STORE_CHANGE (rp_store_change_get_type ())

GType          rp_store_change_get_type     (void) G_GNUC_CONST;
RpStoreChange *rp_store_change_new          (void) G_GNUC_WARN_UNUSED_RESULT;
RpStoreChange *rp_store_change_ref          (RpStoreChange *change);
void           rp_store_change_unref        (RpStoreChange *change);
/* Folder 0 means every folder (the folder list itself changed). */
void           rp_store_change_add_folder   (RpStoreChange *change,
                                             gint64         folder_id);
/* A message whose row changed (flags, folder) without being added. */
void           rp_store_change_add_message  (RpStoreChange *change,
                                             gint64         message_id);
void           rp_store_change_merge        (RpStoreChange *change,
                                             RpStoreChange *other);
gboolean       rp_store_change_has_folder   (RpStoreChange *change,
                                             gint64         folder_id);
gboolean       rp_store_change_is_all       (RpStoreChange *change);
gint64        *rp_store_change_get_messages (RpStoreChange *change,
                                             guint         *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpStoreChange, rp_store_change_unref)

G_END_DECLS
