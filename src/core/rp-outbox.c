/* rp-outbox.c: queueing messages in the Outbox, listing and retrying them
 *
 * A queued message is two things committed together: the message itself,
 * stored in the account's Outbox folder like any other (so that the user
 * sees it, searches it and can delete it), and its outbox row with the
 * envelope: MAIL FROM and every RCPT TO, Bcc included, which the headers
 * deliberately do not carry. Sending is in rp-outbox-send.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-outbox.h"
#include "rp-store-private.h"

#define ENTRY_COLUMNS \
  "o.message_id, m.account_id, a.name, ifnull (m.from_address, ''), m.to_text, m.subject," \
  " o.envelope_from, o.recipients, o.state, o.attempts, o.next_attempt, o.queued, o.last_error"

#define ENTRY_FROM \
  " FROM outbox o JOIN message m ON m.id = o.message_id JOIN account a ON a.id = m.account_id"

typedef struct
{
  gint64           identity_id;
  const char      *envelope_from;
  const char      *recipients;    /* one per line */
  const GPtrArray *bcc;           /* (element-type RpAddress) */
  gint64           now;
} QueueData;

/* Auxiliary methods */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static RpOutboxEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  RpOutboxEntry *entry = g_new0 (RpOutboxEntry, 1);
  const char *recipients = (const char *) sqlite3_column_text (stmt, 7);

  entry->message_id = sqlite3_column_int64 (stmt, 0);
  entry->account_id = sqlite3_column_int64 (stmt, 1);
  entry->account_name = column_dup (stmt, 2);
  entry->from = column_dup (stmt, 3);
  entry->to = column_dup (stmt, 4);
  entry->subject = column_dup (stmt, 5);
  entry->envelope_from = column_dup (stmt, 6);
  entry->recipients = g_strsplit (recipients ? recipients : "", "\n", -1);
  entry->state = sqlite3_column_int (stmt, 8);
  entry->attempts = sqlite3_column_int (stmt, 9);
  entry->next_attempt = sqlite3_column_int64 (stmt, 10);
  entry->queued = sqlite3_column_int64 (stmt, 11);
  entry->last_error = column_dup (stmt, 12);

  return entry;
}

/* Inside the transaction that stores the message: its envelope, and the
 * Bcc addresses as metadata of the stored copy (kind 3), never headers. */
static gboolean
insert_outbox_row (sqlite3            *db,
                   RpStoreNewMessage  *messages,
                   guint               n,
                   gpointer            user_data,
                   GError            **error)
{
  QueueData *data = user_data;
  g_auto(RpStmt) outbox = NULL;
  g_auto(RpStmt) address = NULL;

  g_assert (n == 1);

  /* The same bytes are stored already (a message queued twice): the
   * store kept the first, which has its own outbox row or was sent. */
  if (messages[0].duplicate)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_STORE,
                           _("This message is already in the store; it is not queued again."));
      return FALSE;
    }

  outbox = _rp_store_prepare (db,
    "INSERT INTO outbox (message_id, identity_id, envelope_from, recipients, state, attempts,"
    " next_attempt, last_error, queued) VALUES (?1, nullif (?2, 0), ?3, ?4, ?5, 0, 0, NULL, ?6)",
    error);
  address = _rp_store_prepare (db,
    "INSERT INTO message_address (message_id, kind, name, address) VALUES (?1, ?2, ?3, ?4)",
    error);
  if (outbox == NULL || address == NULL)
    return FALSE;

  sqlite3_bind_int64 (outbox, 1, messages[0].id);
  sqlite3_bind_int64 (outbox, 2, data->identity_id);
  sqlite3_bind_text (outbox, 3, data->envelope_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (outbox, 4, data->recipients, -1, SQLITE_STATIC);
  sqlite3_bind_int (outbox, 5, RP_OUTBOX_STATE_QUEUED);
  sqlite3_bind_int64 (outbox, 6, data->now);
  if (sqlite3_step (outbox) != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, db, "queue message");
      return FALSE;
    }

  for (guint i = 0; data->bcc != NULL && i < data->bcc->len; i++)
    {
      const RpAddress *a = g_ptr_array_index ((GPtrArray *) data->bcc, i);

      sqlite3_reset (address);
      sqlite3_bind_int64 (address, 1, messages[0].id);
      sqlite3_bind_int (address, 2, RP_RECIPIENT_BCC);
      if (a->name != NULL)
        sqlite3_bind_text (address, 3, a->name, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (address, 3);
      sqlite3_bind_text (address, 4, a->address, -1, SQLITE_STATIC);
      if (sqlite3_step (address) != SQLITE_DONE)
        {
          _rp_store_set_sqlite_error (error, db, "store Bcc");
          return FALSE;
        }
    }

  return TRUE;
}

static GPtrArray *
list_where (RpStore     *store,
            const char  *where,
            gint64       id,
            GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_outbox_entry_free);
  g_autofree char *sql = g_strconcat ("SELECT " ENTRY_COLUMNS ENTRY_FROM, where,
                                      " ORDER BY o.queued, o.message_id", NULL);
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  gboolean ok;

  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);
    int rc = SQLITE_DONE;

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          g_ptr_array_add (entries, entry_from_row (stmt));
        if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "list the Outbox");
            ok = FALSE;
          }
      }
  }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&entries) : NULL;
}

/* Public API */

/**
 * rp_outbox_queue_bytes_sync:
 * @store: a #RpStore
 * @account: the account sending (saved: its id is set)
 * @identity: (nullable): the identity sending, or %NULL for the account's
 * @message: the message, as it will be sent
 * @envelope_from: MAIL FROM
 * @recipients: (array zero-terminated=1): RCPT TO, at least one
 * @bcc: (nullable) (element-type RpAddress): the Bcc recipients among them
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * When this returns, the message and its envelope are committed: a crash
 * afterwards loses nothing, and a failure before stored neither.
 *
 * Returns: the stored message's id, or 0 on error
 */
gint64
rp_outbox_queue_bytes_sync (RpStore             *store,
                            const RpAccount     *account,
                            const RpIdentity    *identity,
                            GBytes              *message,
                            const char          *envelope_from,
                            const char * const  *recipients,
                            const GPtrArray     *bcc,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autofree char *joined = NULL;
  RpStoreNewMessage msg = { 0, };
  QueueData data = { 0, };
  gint64 folder_id;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (account != NULL, 0);
  g_return_val_if_fail (message != NULL, 0);
  g_return_val_if_fail (envelope_from != NULL, 0);
  g_return_val_if_fail (recipients != NULL, 0);

  if (recipients[0] == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The message has no recipients."));
      return 0;
    }
  /* One per line in the row: an address must not contain a line end. */
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      if (!rp_composer_address_is_valid (recipients[i]))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a valid email address."), recipients[i]);
          return 0;
        }
    }
  if (!rp_composer_address_is_valid (envelope_from))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid email address."), envelope_from);
      return 0;
    }

  folder_id = account->id != 0 ? rp_store_get_special_folder (store, account->id,
                                                              RP_FOLDER_ROLE_OUTBOX) : 0;
  if (folder_id == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The account “%s” has no Outbox folder."), account->name);
      return 0;
    }

  joined = g_strjoinv ("\n", (char **) recipients);
  data.identity_id = identity != NULL ? identity->id : 0;
  data.envelope_from = envelope_from;
  data.recipients = joined;
  data.bcc = bcc;
  data.now = g_get_real_time () / G_USEC_PER_SEC;

  msg.folder_id = folder_id;
  msg.raw = message;
  /* The user wrote it: it is not "unread" anywhere. */
  msg.flags = RP_MESSAGE_FLAG_SEEN;
  msg.arrived = data.now;

  if (!_rp_store_add_messages_full (store, account->id, &msg, 1, insert_outbox_row, &data,
                                    cancellable, error))
    return 0;

  g_debug ("Queued message %" G_GINT64_FORMAT " of account %s for %u recipients",
           msg.id, account->name, g_strv_length ((char **) recipients));
  return msg.id;
}

/**
 * rp_outbox_queue_sync:
 * @store: a #RpStore
 * @account: the account sending (saved: its id is set)
 * @identity: (nullable): the identity whose address is @draft's From, or
 *   %NULL for the account's default identity
 * @draft: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Composes @draft (see rp_composer_build()) and queues it with its
 * envelope; see rp_outbox_queue_bytes_sync().
 *
 * Returns: the stored message's id, or 0 on error
 */
gint64
rp_outbox_queue_sync (RpStore           *store,
                      const RpAccount   *account,
                      const RpIdentity  *identity,
                      const RpDraft     *draft,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GBytes) message = NULL;
  g_autoptr(RpDraft) effective = NULL;
  g_autofree char *envelope_from = NULL;
  g_auto(GStrv) recipients = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (account != NULL, 0);
  g_return_val_if_fail (draft != NULL, 0);

  if (identity == NULL)
    identity = rp_account_get_default_identity (account);

  message = rp_composer_build (draft, account, identity, error);
  if (message == NULL)
    return 0;

  effective = rp_draft_apply_identity (draft, identity);
  envelope_from = rp_composer_dup_envelope_from (account, identity);
  recipients = rp_composer_dup_recipients (draft, identity);

  return rp_outbox_queue_bytes_sync (store, account, identity, message, envelope_from,
                                     (const char * const *) recipients, effective->bcc,
                                     cancellable, error);
}

/**
 * rp_outbox_list:
 * @store: a #RpStore
 * @account_id: an account, or 0 for all
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type RpOutboxEntry): the rows, oldest
 *   first, or %NULL on error
 */
GPtrArray *
rp_outbox_list (RpStore  *store,
                gint64    account_id,
                GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return list_where (store, " WHERE (?1 = 0 OR m.account_id = ?1)", account_id, error);
}

/**
 * rp_outbox_get:
 *
 * Returns: (transfer full): the row of @message_id, or %NULL with
 *   %RP_ERROR_INVALID_ARGUMENT if the message is not in the Outbox
 */
RpOutboxEntry *
rp_outbox_get (RpStore  *store,
               gint64    message_id,
               GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  entries = list_where (store, " WHERE o.message_id = ?1", message_id, error);
  if (entries == NULL)
    return NULL;
  if (entries->len == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Message %lld is not in the Outbox."), (long long) message_id);
      return NULL;
    }

  return g_ptr_array_steal_index (entries, 0);
}

/**
 * rp_outbox_retry:
 * @store: a #RpStore
 * @message_id: a message that failed, or that was possibly sent
 * @error: a #GError
 *
 * Queues the message again, due at once. For a possibly sent message this
 * is the user's decision to risk a second copy.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_outbox_retry (RpStore  *store,
                 gint64    message_id,
                 GError  **error)
{
  RpStoreConn *conn;
  gboolean ok;
  gboolean changed = FALSE;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  conn = _rp_store_writer_acquire (store);
  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "UPDATE outbox SET state = ?2, next_attempt = 0, last_error = NULL"
      " WHERE message_id = ?1 AND state IN (?3, ?4, ?5)", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, message_id);
        sqlite3_bind_int (stmt, 2, RP_OUTBOX_STATE_QUEUED);
        sqlite3_bind_int (stmt, 3, RP_OUTBOX_STATE_TEMPORARY_FAILURE);
        sqlite3_bind_int (stmt, 4, RP_OUTBOX_STATE_PERMANENT_FAILURE);
        sqlite3_bind_int (stmt, 5, RP_OUTBOX_STATE_POSSIBLY_SENT);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        if (!ok)
          _rp_store_set_sqlite_error (error, conn->db, "retry message");
        changed = ok && sqlite3_changes (conn->db) == 1;
      }
  }
  _rp_store_writer_release (store, conn);

  if (ok && !changed)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Message %lld is not a failed message in the Outbox."),
                   (long long) message_id);
      return FALSE;
    }

  return ok;
}

void
rp_outbox_entry_free (RpOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->account_name);
  g_free (entry->from);
  g_free (entry->to);
  g_free (entry->subject);
  g_free (entry->envelope_from);
  g_strfreev (entry->recipients);
  g_free (entry->last_error);
  g_free (entry);
}

const char *
rp_outbox_state_to_string (RpOutboxState state)
{
  switch (state)
    {
    case RP_OUTBOX_STATE_QUEUED:            return "queued";
    case RP_OUTBOX_STATE_TEMPORARY_FAILURE: return "temporary-failure";
    case RP_OUTBOX_STATE_PERMANENT_FAILURE: return "permanent-failure";
    case RP_OUTBOX_STATE_SENDING:           return "sending";
    case RP_OUTBOX_STATE_POSSIBLY_SENT:     return "possibly-sent";
    case RP_OUTBOX_STATE_PARTIALLY_SENT:    return "partially-sent";
    default:                                return "unknown";
    }
}
