/* rp-message-list.h: the messages of a folder, a unified view or a search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_MESSAGE_LIST (rp_message_list_get_type ())

G_DECLARE_FINAL_TYPE (RpMessageList, rp_message_list, RP, MESSAGE_LIST, GtkWidget)

GtkWidget     *rp_message_list_new            (void);
void           rp_message_list_set_store      (RpMessageList *self,
                                               RpStore       *store);
/* Shows @folder_id, or with 0 the unified view of @role. */
void           rp_message_list_set_source     (RpMessageList *self,
                                               gint64         folder_id,
                                               RpFolderRole   role);
/* Searches the whole store; an empty @query returns to the source. */
void           rp_message_list_set_query      (RpMessageList *self,
                                               const char    *query);
void           rp_message_list_start_search   (RpMessageList *self);
RpFolderModel *rp_message_list_get_model      (RpMessageList *self);
/* The ids of the selected messages, in list order. */
GArray        *rp_message_list_get_selected   (RpMessageList *self) G_GNUC_WARN_UNUSED_RESULT;
guint          rp_message_list_get_n_selected (RpMessageList *self);
void           rp_message_list_select         (RpMessageList *self,
                                               guint          position);
/* The name of the page shown: "list", "empty" or "no-results". */
const char    *rp_message_list_get_page       (RpMessageList *self);
void           rp_message_list_set_conversations (RpMessageList *self,
                                                  gboolean       conversations);

/* For tests: the rows' context menu (a GtkPopoverMenu), opened by a right
 * click or long press on the list view, the Menu key or Shift+F10. */
GtkPopover    *_rp_message_list_get_context_menu (RpMessageList *self);

/* Dragged messages travel as text: this prefix, then comma-separated ids. */
#define RP_MESSAGE_IDS_PREFIX "x-rapport-message-ids:"
char          *rp_message_list_format_ids     (GArray        *ids) G_GNUC_WARN_UNUSED_RESULT;
GArray        *rp_message_list_parse_ids      (const char    *text) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
