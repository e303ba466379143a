/* rp-folder-sidebar.h: the list of folders beside the messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_FOLDER_SIDEBAR (rp_folder_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (RpFolderSidebar, rp_folder_sidebar, RP, FOLDER_SIDEBAR, GtkWidget)

GtkWidget    *rp_folder_sidebar_new           (void);
void          rp_folder_sidebar_set_store     (RpFolderSidebar *self,
                                               RpStore         *store);
void          rp_folder_sidebar_refresh       (RpFolderSidebar *self);
/* The chosen source: a folder id, or 0 and a unified role. */
gint64        rp_folder_sidebar_get_folder_id (RpFolderSidebar *self);
RpFolderRole  rp_folder_sidebar_get_role      (RpFolderSidebar *self);
const char   *rp_folder_sidebar_get_title     (RpFolderSidebar *self);
guint         rp_folder_sidebar_get_n_rows    (RpFolderSidebar *self);
/* Selects the row of @folder_id (or, with 0, of the unified @role). */
gboolean      rp_folder_sidebar_select        (RpFolderSidebar *self,
                                               gint64           folder_id,
                                               RpFolderRole     role);
/* The unread count shown on the row of @folder_id, or -1. */
int           rp_folder_sidebar_get_unread    (RpFolderSidebar *self,
                                               gint64           folder_id);

G_END_DECLS
