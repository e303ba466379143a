/* rp-folder-model.h: a lazy GListModel of messages from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-message-item.h"
#include "rp-store.h"

G_BEGIN_DECLS

#define RP_TYPE_FOLDER_MODEL (rp_folder_model_get_type ())

G_DECLARE_FINAL_TYPE (RpFolderModel, rp_folder_model, RP, FOLDER_MODEL, GObject)

/* A folder, newest first. */
RpFolderModel *rp_folder_model_new_for_folder   (RpStore      *store,
                                                 gint64        folder_id) G_GNUC_WARN_UNUSED_RESULT;
/* The unified view of one special folder across every account. */
RpFolderModel *rp_folder_model_new_for_role     (RpStore      *store,
                                                 RpFolderRole  role) G_GNUC_WARN_UNUSED_RESULT;
/* The results of a search, loaded in a worker thread (see :loading). */
RpFolderModel *rp_folder_model_new_for_search   (RpStore      *store,
                                                 const char   *query) G_GNUC_WARN_UNUSED_RESULT;
/* The messages of one conversation, oldest first. */
RpFolderModel *rp_folder_model_new_for_thread   (RpStore      *store,
                                                 gint64        thread_id) G_GNUC_WARN_UNUSED_RESULT;

/* Group by conversation: one item (the newest message) per thread, with
 * its thread-count. Folder and role models only. */
void           rp_folder_model_set_conversations (RpFolderModel *self,
                                                  gboolean       conversations);
gboolean       rp_folder_model_get_conversations (RpFolderModel *self);
gboolean       rp_folder_model_get_loading       (RpFolderModel *self);
const GError  *rp_folder_model_get_error         (RpFolderModel *self);
/* The position of a message, or -1. */
int            rp_folder_model_find              (RpFolderModel *self,
                                                  gint64         message_id);
gint64         rp_folder_model_get_id_at         (RpFolderModel *self,
                                                  guint          position);
/* Reloads the ids now (normally done on the store's ::changed); rows of
 * @changed messages are rebuilt. */
void           rp_folder_model_reload            (RpFolderModel *self);
void           rp_folder_model_reload_with_changes (RpFolderModel *self,
                                                    const gint64  *changed,
                                                    guint          n_changed);

G_END_DECLS
