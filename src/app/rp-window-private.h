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

G_END_DECLS
