/* rp-message-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-message-item.h"
#include "rp-store-private.h"

struct _RpMessageItem
{
  GObject         parent_instance;

  gint64          id;
  gint64          account_id;
  gint64          folder_id;
  gint64          thread_id;
  gint64          date;
  gint64          size;
  RpMessageFlags  flags;
  gboolean        has_attachment;
  guint           thread_count;
  char           *from_name;
  char           *from_address;
  char           *to_text;
  char           *subject;
  char           *snippet;
};

G_DEFINE_FINAL_TYPE (RpMessageItem, rp_message_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DATE,
  PROP_UNREAD,
  PROP_FLAGGED,
  PROP_HAS_ATTACHMENT,
  PROP_THREAD_COUNT,
  PROP_SENDER,
  PROP_FROM_ADDRESS,
  PROP_TO_TEXT,
  PROP_SUBJECT,
  PROP_SNIPPET,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* GObject overrides */

static void
rp_message_item_finalize (GObject *object)
{
  RpMessageItem *self = RP_MESSAGE_ITEM (object);

  g_free (self->from_name);
  g_free (self->from_address);
  g_free (self->to_text);
  g_free (self->subject);
  g_free (self->snippet);

  G_OBJECT_CLASS (rp_message_item_parent_class)->finalize (object);
}

static void
rp_message_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RpMessageItem *self = RP_MESSAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DATE:
      g_value_set_int64 (value, self->date);
      break;
    case PROP_UNREAD:
      g_value_set_boolean (value, rp_message_item_get_unread (self));
      break;
    case PROP_FLAGGED:
      g_value_set_boolean (value, rp_message_item_get_flagged (self));
      break;
    case PROP_HAS_ATTACHMENT:
      g_value_set_boolean (value, self->has_attachment);
      break;
    case PROP_THREAD_COUNT:
      g_value_set_uint (value, self->thread_count);
      break;
    case PROP_SENDER:
      g_value_set_string (value, rp_message_item_get_sender (self));
      break;
    case PROP_FROM_ADDRESS:
      g_value_set_string (value, self->from_address);
      break;
    case PROP_TO_TEXT:
      g_value_set_string (value, self->to_text);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_message_item_class_init (RpMessageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rp_message_item_finalize;
  object_class->get_property = rp_message_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DATE] = g_param_spec_int64 ("date", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                              flags);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, flags);
  properties[PROP_FLAGGED] = g_param_spec_boolean ("flagged", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_ATTACHMENT] = g_param_spec_boolean ("has-attachment", NULL, NULL, FALSE,
                                                          flags);
  properties[PROP_THREAD_COUNT] = g_param_spec_uint ("thread-count", NULL, NULL, 0, G_MAXUINT, 1,
                                                     flags);
  properties[PROP_SENDER] = g_param_spec_string ("sender", NULL, NULL, NULL, flags);
  properties[PROP_FROM_ADDRESS] = g_param_spec_string ("from-address", NULL, NULL, NULL, flags);
  properties[PROP_TO_TEXT] = g_param_spec_string ("to-text", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_SNIPPET] = g_param_spec_string ("snippet", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rp_message_item_init (RpMessageItem *self)
{
}

/* Public API */

RpMessageItem *
rp_message_item_new (const RpMessageItemData *data)
{
  RpMessageItem *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (RP_TYPE_MESSAGE_ITEM, NULL);
  self->id = data->id;
  self->account_id = data->account_id;
  self->folder_id = data->folder_id;
  self->thread_id = data->thread_id;
  self->date = data->date;
  self->size = data->size;
  self->flags = data->flags;
  self->has_attachment = data->has_attachment;
  self->thread_count = MAX (data->thread_count, 1);
  self->from_name = g_strdup (data->from_name);
  self->from_address = g_strdup (data->from_address);
  self->to_text = g_strdup (data->to_text ? data->to_text : "");
  self->subject = g_strdup (data->subject ? data->subject : "");
  self->snippet = g_strdup (data->snippet ? data->snippet : "");

  return self;
}

gint64 rp_message_item_get_id (RpMessageItem *self) { return self->id; }
gint64 rp_message_item_get_account_id (RpMessageItem *self) { return self->account_id; }
gint64 rp_message_item_get_folder_id (RpMessageItem *self) { return self->folder_id; }
gint64 rp_message_item_get_thread_id (RpMessageItem *self) { return self->thread_id; }
gint64 rp_message_item_get_date (RpMessageItem *self) { return self->date; }
gint64 rp_message_item_get_size (RpMessageItem *self) { return self->size; }
RpMessageFlags rp_message_item_get_flags (RpMessageItem *self) { return self->flags; }
gboolean rp_message_item_get_has_attachment (RpMessageItem *self) { return self->has_attachment; }
guint rp_message_item_get_thread_count (RpMessageItem *self) { return self->thread_count; }
const char *rp_message_item_get_from_name (RpMessageItem *self) { return self->from_name; }
const char *rp_message_item_get_from_address (RpMessageItem *self) { return self->from_address; }
const char *rp_message_item_get_to_text (RpMessageItem *self) { return self->to_text; }
const char *rp_message_item_get_subject (RpMessageItem *self) { return self->subject; }
const char *rp_message_item_get_snippet (RpMessageItem *self) { return self->snippet; }

gboolean
rp_message_item_get_unread (RpMessageItem *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_ITEM (self), FALSE);

  return (self->flags & RP_MESSAGE_FLAG_SEEN) == 0;
}

gboolean
rp_message_item_get_flagged (RpMessageItem *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_ITEM (self), FALSE);

  return (self->flags & RP_MESSAGE_FLAG_FLAGGED) != 0;
}

const char *
rp_message_item_get_sender (RpMessageItem *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_ITEM (self), NULL);

  if (self->from_name != NULL && *self->from_name != '\0')
    return self->from_name;
  if (self->from_address != NULL)
    return self->from_address;
  return "";
}

/* Loading from the store */

#define ITEM_COLUMNS \
  "m.id, m.account_id, m.folder_id, m.thread_id, m.date, m.size, m.flags, m.has_attachment," \
  " m.from_name, m.from_address, m.to_text, m.subject, m.snippet"

static RpMessageItem *
item_from_row (sqlite3_stmt *stmt,
               guint         thread_count)
{
  RpMessageItemData data = {
    .id = sqlite3_column_int64 (stmt, 0),
    .account_id = sqlite3_column_int64 (stmt, 1),
    .folder_id = sqlite3_column_int64 (stmt, 2),
    .thread_id = sqlite3_column_int64 (stmt, 3),
    .date = sqlite3_column_int64 (stmt, 4),
    .size = sqlite3_column_int64 (stmt, 5),
    .flags = sqlite3_column_int (stmt, 6),
    .has_attachment = sqlite3_column_int (stmt, 7),
    .from_name = (const char *) sqlite3_column_text (stmt, 8),
    .from_address = (const char *) sqlite3_column_text (stmt, 9),
    .to_text = (const char *) sqlite3_column_text (stmt, 10),
    .subject = (const char *) sqlite3_column_text (stmt, 11),
    .snippet = (const char *) sqlite3_column_text (stmt, 12),
    .thread_count = thread_count,
  };

  return rp_message_item_new (&data);
}

/**
 * rp_store_load_items:
 *
 * Returns: (transfer full) (element-type RpMessageItem): the items
 */
GPtrArray *
rp_store_load_items (RpStore       *store,
                     const gint64  *ids,
                     guint          n,
                     gboolean       thread_counts,
                     GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      thread_counts
        ? "SELECT " ITEM_COLUMNS ", (SELECT count(*) FROM message t"
          " WHERE t.thread_id = m.thread_id AND t.folder_id = m.folder_id)"
          " FROM message m WHERE m.id = ?1"
        : "SELECT " ITEM_COLUMNS " FROM message m WHERE m.id = ?1", error);

    ok = stmt != NULL;
    for (guint i = 0; ok && i < n; i++)
      {
        int rc;

        sqlite3_bind_int64 (stmt, 1, ids[i]);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          g_ptr_array_add (items, item_from_row (stmt, thread_counts ? sqlite3_column_int (stmt, 13)
                                                                     : 1));
        else if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "load messages");
            ok = FALSE;
          }
        sqlite3_reset (stmt);
      }
  }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&items) : NULL;
}

/**
 * rp_store_get_item:
 *
 * Returns: (transfer full): the message's list row, or %NULL with @error set
 */
RpMessageItem *
rp_store_get_item (RpStore  *store,
                   gint64    id,
                   GError  **error)
{
  g_autoptr(GPtrArray) items = rp_store_load_items (store, &id, 1, FALSE, error);

  if (items == NULL)
    return NULL;

  if (items->len == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("There is no message %lld"), (long long) id);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (items, 0));
}
