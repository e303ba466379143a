/* rp-window-private.h: the window's parts, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-folder-sidebar.h"
#include "rp-message-list.h"
#include "rp-message-view.h"
#include "rp-window.h"

G_BEGIN_DECLS

RpFolderSidebar *_rp_window_get_sidebar      (RpWindow *self);
RpMessageList   *_rp_window_get_message_list (RpWindow *self);
RpMessageView   *_rp_window_get_message_view (RpWindow *self);
/* "welcome" or "mail". */
const char      *_rp_window_get_page         (RpWindow *self);
const char      *_rp_window_get_subtitle     (RpWindow *self);
/* Whether the leaflet is folded, and shows the folders (not the list). */
gboolean         _rp_window_is_folded        (RpWindow *self);
gboolean         _rp_window_shows_folders    (RpWindow *self);
GtkPaned        *_rp_window_get_content_paned (RpWindow *self);
/* How many new-mail notifications the window has sent. */
guint            _rp_window_get_n_notifications_sent (RpWindow *self);
/* The text of the first disabled-account banner, or NULL. */
const char      *_rp_window_get_banner_text  (RpWindow *self);
/* The open password dialog of win.fix-account, or NULL. */
AdwMessageDialog *_rp_window_get_password_dialog (RpWindow *self);
/* The title of the toast of the last drag-and-drop move, while shown. */
const char      *_rp_window_get_move_toast_title (RpWindow *self);
/* For the window's other files: a toast, an error kept until dismissed,
 * progress under the title (NULL ends it), and the store (or NULL). */
void             _rp_window_add_toast        (RpWindow   *self,
                                              AdwToast   *toast);
void             _rp_window_show_toast       (RpWindow   *self,
                                              const char *message);
void             _rp_window_set_progress     (RpWindow   *self,
                                              const char *subtitle);
RpStore         *_rp_window_get_store        (RpWindow   *self);

/* rp-window-accounts.c: win.fix-account, called from rp_window_class_init(),
 * and a bar above the list for each account the fetcher turned off. */
void             _rp_window_install_account_actions (GtkWidgetClass *widget_class);
void             _rp_window_update_account_banners  (RpWindow       *self,
                                                     GPtrArray      *accounts);

G_END_DECLS
