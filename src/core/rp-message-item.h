/* rp-message-item.h: one row of a message list (an immutable snapshot)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rp-store.h"

G_BEGIN_DECLS

#define RP_TYPE_MESSAGE_ITEM (rp_message_item_get_type ())

G_DECLARE_FINAL_TYPE (RpMessageItem, rp_message_item, RP, MESSAGE_ITEM, GObject)

typedef struct
{
  gint64          id;
  gint64          account_id;
  gint64          folder_id;
  gint64          thread_id;
  gint64          date;
  gint64          size;
  RpMessageFlags  flags;
  gboolean        has_attachment;
  guint           thread_count;
  const char     *from_name;
  const char     *from_address;
  const char     *to_text;
  const char     *subject;
  const char     *snippet;
} RpMessageItemData;

RpMessageItem  *rp_message_item_new              (const RpMessageItemData *data) G_GNUC_WARN_UNUSED_RESULT;
gint64          rp_message_item_get_id           (RpMessageItem *self);
gint64          rp_message_item_get_account_id   (RpMessageItem *self);
gint64          rp_message_item_get_folder_id    (RpMessageItem *self);
gint64          rp_message_item_get_thread_id    (RpMessageItem *self);
gint64          rp_message_item_get_date         (RpMessageItem *self);
gint64          rp_message_item_get_size         (RpMessageItem *self);
RpMessageFlags  rp_message_item_get_flags        (RpMessageItem *self);
gboolean        rp_message_item_get_unread       (RpMessageItem *self);
gboolean        rp_message_item_get_flagged      (RpMessageItem *self);
gboolean        rp_message_item_get_has_attachment (RpMessageItem *self);
guint           rp_message_item_get_thread_count (RpMessageItem *self);
const char     *rp_message_item_get_from_name    (RpMessageItem *self);
const char     *rp_message_item_get_from_address (RpMessageItem *self);
/* The name if there is one, else the address. */
const char     *rp_message_item_get_sender       (RpMessageItem *self);
const char     *rp_message_item_get_to_text      (RpMessageItem *self);
const char     *rp_message_item_get_subject      (RpMessageItem *self);
const char     *rp_message_item_get_snippet      (RpMessageItem *self);

/* Loads items for @ids, in that order (missing ids are skipped). With
 * @thread_counts, each item also counts the messages of its thread in its
 * folder. */
GPtrArray      *rp_store_load_items              (RpStore       *store,
                                                  const gint64  *ids,
                                                  guint          n,
                                                  gboolean       thread_counts,
                                                  GError       **error) G_GNUC_WARN_UNUSED_RESULT;
RpMessageItem  *rp_store_get_item                (RpStore       *store,
                                                  gint64         id,
                                                  GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
