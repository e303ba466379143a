/* rp-message-row.h: one message in the message list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_MESSAGE_ROW (rp_message_row_get_type ())

G_DECLARE_FINAL_TYPE (RpMessageRow, rp_message_row, RP, MESSAGE_ROW, GtkWidget)

GtkWidget     *rp_message_row_new      (void);
void           rp_message_row_set_item (RpMessageRow  *self,
                                        RpMessageItem *item);
RpMessageItem *rp_message_row_get_item (RpMessageRow  *self);
/* "14:05" for today, else the locale's date. */
char          *rp_message_row_format_date (gint64      unix_time,
                                           GDateTime  *now) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
