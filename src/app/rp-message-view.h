/* rp-message-view.h: the reading pane, one message's headers, body and
 * attachments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-store.h"

G_BEGIN_DECLS

#define RP_TYPE_MESSAGE_VIEW (rp_message_view_get_type ())

G_DECLARE_FINAL_TYPE (RpMessageView, rp_message_view, RP, MESSAGE_VIEW, AdwBin)

GtkWidget *rp_message_view_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void       rp_message_view_set_store   (RpMessageView *self,
                                        RpStore       *store);
/* 0 shows the "No Message Selected" page. */
void       rp_message_view_set_message (RpMessageView *self,
                                        gint64         message_id);
gint64     rp_message_view_get_message (RpMessageView *self);

G_END_DECLS
