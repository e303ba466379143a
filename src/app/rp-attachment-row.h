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

/* Private API, for tests. */
typedef void (*RpAttachmentLauncher) (GtkWindow *parent,
                                      GFile     *file,
                                      gpointer   user_data);

/* Open writes a private copy and hands it to @func instead of the desktop. */
void       _rp_attachment_row_set_launcher (RpAttachmentLauncher  func,
                                            gpointer              user_data);
/* Save into @file, as the Save dialog does once a file is chosen. */
void       _rp_attachment_row_save_async   (GtkWidget            *row,
                                            GFile                *file,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean   _rp_attachment_row_save_finish  (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
