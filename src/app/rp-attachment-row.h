/* rp-attachment-row.h: one attachment in the reading pane, with Open and
 * Save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-message-view-private.h"

G_BEGIN_DECLS

/* An AdwActionRow for @part, which must outlive the row. @message_id
 * names the cache folder that Open saves into. */
GtkWidget *rp_attachment_row_new (RpMessagePart *part,
                                  gint64         message_id) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
