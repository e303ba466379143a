/* rp-store-messages.c: adding, moving, flagging and deleting messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-crm-private.h"
#include "rp-error.h"
#include "rp-store-private.h"

#define FTS_BODY_LIMIT (1024 * 1024)

/* The statements one batch uses, prepared once per batch. */
typedef struct
{
  sqlite3_stmt *known_uidl;
  sqlite3_stmt *same_bytes;
  sqlite3_stmt *insert_message;
  sqlite3_stmt *insert_raw;
  sqlite3_stmt *insert_address;
  sqlite3_stmt *insert_reference;
  sqlite3_stmt *insert_attachment;
  sqlite3_stmt *insert_fts;
  sqlite3_stmt *insert_server;
  sqlite3_stmt *set_thread;
} BatchStatements;

static const char * const batch_sql[] = {
  "SELECT 1, ifnull (message_id, 0) FROM server_message WHERE account_id = ?1 AND uidl = ?2",
  "SELECT id FROM message WHERE message_id = ?1 AND sha256 = ?2 LIMIT 1",
  "INSERT INTO message (account_id, folder_id, thread_id, sha256, size, date, arrived, flags,"
  " has_attachment, from_name, from_address, to_text, cc_text, subject, thread_subject, snippet,"
  " message_id, in_reply_to, list_id)"
  " VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
  "INSERT INTO message_raw (id, data) VALUES (?1, ?2)",
  "INSERT INTO message_address (message_id, kind, name, address) VALUES (?1, ?2, ?3, ?4)",
  "INSERT INTO message_reference (message_id, ref) VALUES (?1, ?2)",
  "INSERT INTO attachment (message_id, position, filename, content_type, size, content_id,"
  " is_inline) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  "INSERT INTO message_fts (rowid, sender, recipients, subject, body, attachments)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  "INSERT OR REPLACE INTO server_message (account_id, uidl, message_id, fetched)"
  " VALUES (?1, ?2, nullif (?3, 0), ?4)",
  "UPDATE message SET thread_id = ?2 WHERE id = ?1",
};

G_STATIC_ASSERT (G_N_ELEMENTS (batch_sql) == sizeof (BatchStatements) / sizeof (sqlite3_stmt *));

/* Auxiliary methods */

static void
batch_statements_clear (BatchStatements *st)
{
  sqlite3_stmt **stmts = (sqlite3_stmt **) st;

  for (guint i = 0; i < G_N_ELEMENTS (batch_sql); i++)
    g_clear_pointer (&stmts[i], sqlite3_finalize);
}

static gboolean
batch_statements_prepare (BatchStatements  *st,
                          sqlite3          *db,
                          GError          **error)
{
  sqlite3_stmt **stmts = (sqlite3_stmt **) st;

  for (guint i = 0; i < G_N_ELEMENTS (batch_sql); i++)
    {
      stmts[i] = _rp_store_prepare (db, batch_sql[i], error);
      if (stmts[i] == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

/* "Name <a@b>, c@d": for the list's To column and the search index. */
static char *
format_addresses (GPtrArray *addresses)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (addresses, i));

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, one);
    }

  return g_string_free (out, FALSE);
}

static gboolean
insert_addresses (BatchStatements *st,
                  gint64           id,
                  int              kind,
                  GPtrArray       *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      RpAddress *address = g_ptr_array_index (addresses, i);

      if (address->address == NULL || *address->address == '\0')
        continue;

      sqlite3_bind_int64 (st->insert_address, 1, id);
      sqlite3_bind_int (st->insert_address, 2, kind);
      bind_text_or_null (st->insert_address, 3, address->name);
      sqlite3_bind_text (st->insert_address, 4, address->address, -1, SQLITE_STATIC);
      if (!step_done (st->insert_address))
        return FALSE;
    }

  return TRUE;
}

/* Stores one new message; the caller has checked it is not a duplicate. */
static gboolean
insert_message (RpStoreConn            *conn,
                BatchStatements        *st,
                gint64                  account_id,
                RpStoreNewMessage      *msg,
                const RpMessageSummary *summary,
                const guint8           *sha256,
                gint64                  now,
                GError                **error)
{
  g_autofree char *to_text = format_addresses (summary->to);
  g_autofree char *cc_text = format_addresses (summary->cc);
  g_autofree char *recipients = g_strconcat (to_text, *cc_text ? ", " : "", cc_text, NULL);
  g_autofree char *sender = summary->from ? rp_address_format (summary->from) : NULL;
  g_autofree char *thread_subject = _rp_store_thread_subject (summary->subject);
  g_autoptr(GString) attachment_names = g_string_new (NULL);
  gboolean has_attachment = FALSE;
  gint64 id;
  gint64 thread_id;

  for (guint i = 0; i < summary->attachments->len; i++)
    {
      RpAttachment *attachment = g_ptr_array_index (summary->attachments, i);

      if (!attachment->is_inline)
        has_attachment = TRUE;
      if (attachment->filename != NULL)
        g_string_append_printf (attachment_names, "%s ", attachment->filename);
    }

  sqlite3_bind_int64 (st->insert_message, 1, account_id);
  sqlite3_bind_int64 (st->insert_message, 2, msg->folder_id);
  sqlite3_bind_blob (st->insert_message, 3, sha256, 32, SQLITE_STATIC);
  sqlite3_bind_int64 (st->insert_message, 4, g_bytes_get_size (msg->raw));
  sqlite3_bind_int64 (st->insert_message, 5, summary->date);
  sqlite3_bind_int64 (st->insert_message, 6, msg->arrived ? msg->arrived : now);
  sqlite3_bind_int (st->insert_message, 7, msg->flags);
  sqlite3_bind_int (st->insert_message, 8, has_attachment);
  bind_text_or_null (st->insert_message, 9, summary->from ? summary->from->name : NULL);
  bind_text_or_null (st->insert_message, 10, summary->from ? summary->from->address : NULL);
  sqlite3_bind_text (st->insert_message, 11, to_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->insert_message, 12, cc_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->insert_message, 13, summary->subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->insert_message, 14, thread_subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->insert_message, 15, summary->snippet, -1, SQLITE_STATIC);
  bind_text_or_null (st->insert_message, 16, summary->message_id);
  bind_text_or_null (st->insert_message, 17, summary->in_reply_to);
  bind_text_or_null (st->insert_message, 18, summary->list_id);
  if (!step_done (st->insert_message))
    goto fail;
  id = sqlite3_last_insert_rowid (conn->db);

  sqlite3_bind_int64 (st->insert_raw, 1, id);
  sqlite3_bind_blob64 (st->insert_raw, 2, g_bytes_get_data (msg->raw, NULL),
                       g_bytes_get_size (msg->raw), SQLITE_STATIC);
  if (!step_done (st->insert_raw))
    goto fail;

  if (summary->from != NULL && summary->from->address != NULL)
    {
      GPtrArray one = { .pdata = (gpointer *) &summary->from, .len = 1 };

      if (!insert_addresses (st, id, 0, &one))
        goto fail;
    }
  if (!insert_addresses (st, id, 1, summary->to) ||
      !insert_addresses (st, id, 2, summary->cc) ||
      !insert_addresses (st, id, 4, summary->reply_to))
    goto fail;

  if (summary->in_reply_to != NULL)
    {
      sqlite3_bind_int64 (st->insert_reference, 1, id);
      sqlite3_bind_text (st->insert_reference, 2, summary->in_reply_to, -1, SQLITE_STATIC);
      if (!step_done (st->insert_reference))
        goto fail;
    }
  for (guint i = 0; summary->references[i] != NULL; i++)
    {
      if (g_strcmp0 (summary->references[i], summary->in_reply_to) == 0)
        continue;
      sqlite3_bind_int64 (st->insert_reference, 1, id);
      sqlite3_bind_text (st->insert_reference, 2, summary->references[i], -1, SQLITE_STATIC);
      if (!step_done (st->insert_reference))
        goto fail;
    }

  for (guint i = 0; i < summary->attachments->len; i++)
    {
      RpAttachment *attachment = g_ptr_array_index (summary->attachments, i);

      sqlite3_bind_int64 (st->insert_attachment, 1, id);
      sqlite3_bind_int (st->insert_attachment, 2, i);
      bind_text_or_null (st->insert_attachment, 3, attachment->filename);
      sqlite3_bind_text (st->insert_attachment, 4,
                         attachment->content_type ? attachment->content_type
                                                  : "application/octet-stream",
                         -1, SQLITE_STATIC);
      sqlite3_bind_int64 (st->insert_attachment, 5, attachment->size);
      bind_text_or_null (st->insert_attachment, 6, attachment->content_id);
      sqlite3_bind_int (st->insert_attachment, 7, attachment->is_inline);
      if (!step_done (st->insert_attachment))
        goto fail;
    }

  sqlite3_bind_int64 (st->insert_fts, 1, id);
  bind_text_or_null (st->insert_fts, 2, sender);
  sqlite3_bind_text (st->insert_fts, 3, recipients, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->insert_fts, 4, summary->subject, -1, SQLITE_STATIC);
  /* Huge text bodies (logs, exports) are indexed by their first
   * megabyte: enough to find them, and ingest stays fast. */
  {
    gsize body_len = strlen (summary->body_text);

    if (body_len > FTS_BODY_LIMIT)
      body_len = g_utf8_find_prev_char (summary->body_text, summary->body_text + FTS_BODY_LIMIT + 1)
                 - summary->body_text;
    sqlite3_bind_text (st->insert_fts, 5, summary->body_text, body_len, SQLITE_STATIC);
  }
  sqlite3_bind_text (st->insert_fts, 6, attachment_names->str, -1, SQLITE_STATIC);
  if (!step_done (st->insert_fts))
    goto fail;

  thread_id = _rp_store_thread_assign (conn, id, summary, thread_subject, error);
  if (thread_id == 0)
    return FALSE;
  sqlite3_bind_int64 (st->set_thread, 1, id);
  sqlite3_bind_int64 (st->set_thread, 2, thread_id);
  if (!step_done (st->set_thread))
    goto fail;

  msg->id = id;
  return TRUE;

fail:
  _rp_store_set_sqlite_error (error, conn->db, "store message");
  return FALSE;
}

/* Returns the id of an identical message already stored, or 0. */
static gint64
find_same_bytes (BatchStatements        *st,
                 const RpMessageSummary *summary,
                 const guint8           *sha256)
{
  gint64 id = 0;

  if (summary->message_id == NULL)
    return 0;

  sqlite3_bind_text (st->same_bytes, 1, summary->message_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (st->same_bytes, 2, sha256, 32, SQLITE_STATIC);
  if (sqlite3_step (st->same_bytes) == SQLITE_ROW)
    id = sqlite3_column_int64 (st->same_bytes, 0);
  sqlite3_reset (st->same_bytes);
  sqlite3_clear_bindings (st->same_bytes);

  return id;
}

/* Public API */

/**
 * rp_store_add_messages_sync:
 * @self: a #RpStore
 * @account_id: the account the messages belong to
 * @messages: (array length=n): the messages; ids and duplicate flags are filled in
 * @n: the number of messages
 * @cancellable: (nullable): checked before the transaction starts
 * @error: return location for a #GError
 *
 * Adds a batch of messages in one transaction. When this returns %TRUE the
 * whole batch — raw bytes, summaries, search index rows and the UIDLs that
 * tell the fetcher the messages are stored — has been committed and the
 * write-ahead log fsynced; on %FALSE none of it was stored.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_store_add_messages_sync (RpStore            *self,
                            gint64              account_id,
                            RpStoreNewMessage  *messages,
                            guint               n,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || messages != NULL, FALSE);

  return _rp_store_add_messages_full (self, account_id, messages, n, NULL, NULL,
                                      cancellable, error);
}

/*
 * _rp_store_add_messages_full:
 * @func: (nullable): called inside the transaction once every message is
 *   in (ids and duplicate flags filled in), to add rows of its own
 *
 * rp_store_add_messages_sync() with a hook: the Outbox stores a message
 * and its envelope in one commit. When @func fails, nothing is stored.
 */
gboolean
_rp_store_add_messages_full (RpStore                  *self,
                             gint64                    account_id,
                             RpStoreNewMessage        *messages,
                             guint                     n,
                             RpStoreInTransactionFunc  func,
                             gpointer                  user_data,
                             GCancellable             *cancellable,
                             GError                  **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_message_summary_free);
  g_autoptr(RpStoreChange) change = rp_store_change_new ();
  g_autofree guint8 *hashes = g_new (guint8, 32 * (gsize) MAX (n, 1));
  BatchStatements st = { NULL, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  RpStoreConn *conn;
  gboolean linked = FALSE;
  gboolean ok = FALSE;

  g_assert (RP_IS_STORE (self));
  g_assert (n == 0 || messages != NULL);

  /* Parse and hash before taking the writer: the writer lock is held only
   * for SQLite work. Callers that want parallel parsing hand in summaries. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      gsize digest_len = 32;

      g_return_val_if_fail (messages[i].raw != NULL, FALSE);

      messages[i].id = 0;
      messages[i].duplicate = FALSE;
      if (messages[i].summary == NULL)
        {
          RpMessageSummary *summary = rp_message_summary_parse (messages[i].raw,
                                                                messages[i].arrived ? messages[i].arrived : now);
          g_ptr_array_add (parsed, summary);
          messages[i].summary = summary;
        }
      g_checksum_update (checksum, g_bytes_get_data (messages[i].raw, NULL),
                         g_bytes_get_size (messages[i].raw));
      g_checksum_get_digest (checksum, hashes + 32 * i, &digest_len);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out_restore;

  conn = _rp_store_writer_acquire (self);
  ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error) &&
       batch_statements_prepare (&st, conn->db, error);

  for (guint i = 0; ok && i < n; i++)
    {
      RpStoreNewMessage *msg = &messages[i];
      const guint8 *sha256 = hashes + 32 * i;
      gint64 existing = 0;

      if (msg->uidl != NULL)
        {
          gboolean known = FALSE;

          sqlite3_bind_int64 (st.known_uidl, 1, account_id);
          sqlite3_bind_text (st.known_uidl, 2, msg->uidl, -1, SQLITE_STATIC);
          if (sqlite3_step (st.known_uidl) == SQLITE_ROW)
            {
              known = TRUE;
              existing = sqlite3_column_int64 (st.known_uidl, 1);
            }
          sqlite3_reset (st.known_uidl);
          sqlite3_clear_bindings (st.known_uidl);

          if (known)
            {
              msg->id = existing;
              msg->duplicate = TRUE;
              continue;
            }
        }

      existing = find_same_bytes (&st, msg->summary, sha256);
      if (existing != 0)
        {
          msg->id = existing;
          msg->duplicate = TRUE;
        }
      else
        {
          ok = insert_message (conn, &st, account_id, msg, msg->summary, sha256, now, error);
          if (ok)
            rp_store_change_add_folder (change, msg->folder_id);
        }

      if (ok && msg->uidl != NULL)
        {
          sqlite3_bind_int64 (st.insert_server, 1, account_id);
          sqlite3_bind_text (st.insert_server, 2, msg->uidl, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (st.insert_server, 3, msg->id);
          sqlite3_bind_int64 (st.insert_server, 4, msg->arrived ? msg->arrived : now);
          ok = step_done (st.insert_server);
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, "remember UIDL");
        }
    }

  batch_statements_clear (&st);

  /* Linking to CRM records belongs to storing: a message is never visible
   * without its links (one indexed statement per message). */
  if (ok)
    ok = _rp_crm_on_messages_added (conn, messages, n, &linked, error);
  if (ok && func != NULL)
    ok = func (conn->db, messages, n, user_data, error);
  if (ok)
    ok = _rp_store_exec (conn->db, "COMMIT;", error);
  if (!ok)
    {
      _rp_store_exec (conn->db, "ROLLBACK;", NULL);
      for (guint i = 0; i < n; i++)
        {
          messages[i].id = 0;
          messages[i].duplicate = FALSE;
        }
    }

  _rp_store_writer_release (self, conn);

  if (ok)
    _rp_store_notify_change (self, change);
  if (ok && linked)
    _rp_store_notify_crm_changed (self, RP_CRM_CHANGE_LINKS);

out_restore:
  /* Summaries parsed here are freed here; do not leave dangling pointers. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < parsed->len; j++)
      if (messages[i].summary == g_ptr_array_index (parsed, j))
        messages[i].summary = NULL;

  return ok;
}

/**
 * rp_store_get_known_uidls:
 *
 * Returns: (transfer full) (element-type utf8 gint64): every UIDL the store
 *   has seen for @account_id, mapped to the fetch time (GINT64 in a pointer
 *   to a gint64)
 */
GHashTable *
rp_store_get_known_uidls (RpStore  *self,
                          gint64    account_id,
                          GError  **error)
{
  g_autoptr(GHashTable) uidls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "SELECT uidl, fetched FROM server_message WHERE account_id = ?1", error);

    ok = stmt != NULL;
    if (ok)
      {
        int rc;

        sqlite3_bind_int64 (stmt, 1, account_id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            gint64 fetched = sqlite3_column_int64 (stmt, 1);

            g_hash_table_insert (uidls, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                                 g_memdup2 (&fetched, sizeof fetched));
          }
        if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "read UIDLs");
            ok = FALSE;
          }
      }
  }

  _rp_store_reader_release (self, conn);
  return ok ? g_steal_pointer (&uidls) : NULL;
}

/**
 * rp_store_get_deleted_uidls:
 *
 * Returns: (transfer full) (element-type utf8): the set of UIDLs whose
 *   message was deleted locally (for "delete from the server when deleted
 *   here")
 */
GHashTable *
rp_store_get_deleted_uidls (RpStore  *self,
                            gint64    account_id,
                            GError  **error)
{
  g_autoptr(GHashTable) uidls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "SELECT uidl FROM server_message WHERE account_id = ?1 AND message_id IS NULL", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, account_id);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_hash_table_add (uidls, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      }
  }

  _rp_store_reader_release (self, conn);
  return ok ? g_steal_pointer (&uidls) : NULL;
}

/**
 * rp_store_get_raw:
 *
 * Returns: (transfer full): the message's bytes exactly as received
 */
GBytes *
rp_store_get_raw (RpStore  *self,
                  gint64    message_id,
                  GError  **error)
{
  GBytes *bytes = NULL;
  RpStoreConn *conn;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
                                             "SELECT data FROM message_raw WHERE id = ?1", error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, message_id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
        else
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("There is no message %lld"), (long long) message_id);
      }
  }

  _rp_store_reader_release (self, conn);
  return bytes;
}

/* Runs @sql once per id inside one transaction, recording the folders the
 * messages were in (and @folder_id, if not 0) as changed. */
static gboolean
for_each_message (RpStore      *self,
                  const gint64 *ids,
                  guint         n,
                  const char   *sql,
                  const char   *sql_after,
                  gint64        arg2,
                  gint64        arg3,
                  gint64        folder_id,
                  const char   *what,
                  GError      **error)
{
  g_autoptr(RpStoreChange) change = rp_store_change_new ();
  RpStoreConn *conn = _rp_store_writer_acquire (self);
  gboolean ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);

  if (ok)
    {
      g_auto(RpStmt) folder_of = _rp_store_prepare (conn->db,
        "SELECT folder_id FROM message WHERE id = ?1", error);
      g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);
      g_auto(RpStmt) after = sql_after ? _rp_store_prepare (conn->db, sql_after, error) : NULL;

      ok = stmt != NULL && folder_of != NULL && (sql_after == NULL || after != NULL);
      for (guint i = 0; ok && i < n; i++)
        {
          sqlite3_bind_int64 (folder_of, 1, ids[i]);
          if (sqlite3_step (folder_of) == SQLITE_ROW)
            rp_store_change_add_folder (change, sqlite3_column_int64 (folder_of, 0));
          sqlite3_reset (folder_of);
          rp_store_change_add_message (change, ids[i]);

          sqlite3_bind_int64 (stmt, 1, ids[i]);
          if (sqlite3_bind_parameter_count (stmt) >= 3)
            {
              sqlite3_bind_int64 (stmt, 2, arg2);
              sqlite3_bind_int64 (stmt, 3, arg3);
            }
          ok = step_done (stmt);
          if (ok && after != NULL)
            {
              sqlite3_bind_int64 (after, 1, ids[i]);
              ok = step_done (after);
            }
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, what);
        }
      ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }

  _rp_store_writer_release (self, conn);

  if (ok)
    {
      if (folder_id != 0)
        rp_store_change_add_folder (change, folder_id);
      _rp_store_notify_change (self, change);
    }

  return ok;
}

/**
 * rp_store_move_messages:
 *
 * Moves messages into @folder_id; they then belong to that folder's account.
 */
gboolean
rp_store_move_messages (RpStore       *self,
                        const gint64  *ids,
                        guint          n,
                        gint64         folder_id,
                        GError       **error)
{
  g_autoptr(RpFolderInfo) folder = NULL;

  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  folder = rp_store_get_folder (self, folder_id, error);
  if (folder == NULL)
    return FALSE;

  return for_each_message (self, ids, n,
                           "UPDATE message SET folder_id = ?2, account_id = ?3 WHERE id = ?1",
                           NULL, folder_id, folder->account_id, folder_id, "move message", error);
}

/**
 * rp_store_copy_messages:
 *
 * Copies messages, with their bytes, index rows and addresses, into @folder_id.
 */
gboolean
rp_store_copy_messages (RpStore       *self,
                        const gint64  *ids,
                        guint          n,
                        gint64         folder_id,
                        GError       **error)
{
  g_autoptr(RpFolderInfo) folder = NULL;
  RpStoreConn *conn;
  gboolean linked = FALSE;
  gboolean ok;
  static const char * const copy_sql[] = {
    "INSERT INTO message (account_id, folder_id, thread_id, sha256, size, date, arrived, flags,"
    " has_attachment, from_name, from_address, to_text, cc_text, subject, thread_subject, snippet,"
    " message_id, in_reply_to, list_id)"
    " SELECT ?3, ?2, thread_id, sha256, size, date, arrived, flags, has_attachment, from_name,"
    " from_address, to_text, cc_text, subject, thread_subject, snippet, message_id, in_reply_to,"
    " list_id FROM message WHERE id = ?1",
    "INSERT INTO message_raw (id, data) SELECT last_insert_rowid (), data FROM message_raw"
    " WHERE id = ?1",
  };
  static const char * const copy_children_sql[] = {
    "INSERT INTO message_address (message_id, kind, name, address)"
    " SELECT ?2, kind, name, address FROM message_address WHERE message_id = ?1",
    "INSERT INTO message_reference (message_id, ref)"
    " SELECT ?2, ref FROM message_reference WHERE message_id = ?1",
    "INSERT INTO attachment (message_id, position, filename, content_type, size, content_id,"
    " is_inline) SELECT ?2, position, filename, content_type, size, content_id, is_inline"
    " FROM attachment WHERE message_id = ?1",
    "INSERT INTO message_fts (rowid, sender, recipients, subject, body, attachments)"
    " SELECT ?2, sender, recipients, subject, body, attachments FROM message_fts WHERE rowid = ?1",
  };

  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  folder = rp_store_get_folder (self, folder_id, error);
  if (folder == NULL)
    return FALSE;

  conn = _rp_store_writer_acquire (self);
  ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);
  for (guint i = 0; ok && i < n; i++)
    {
      gint64 copy_id;

      for (guint s = 0; ok && s < G_N_ELEMENTS (copy_sql); s++)
        {
          g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, copy_sql[s], error);

          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_int64 (stmt, 1, ids[i]);
              if (s == 0)
                {
                  sqlite3_bind_int64 (stmt, 2, folder_id);
                  sqlite3_bind_int64 (stmt, 3, folder->account_id);
                }
              ok = sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (conn->db) == 1;
            }
          if (s == 0)
            copy_id = sqlite3_last_insert_rowid (conn->db);
        }
      for (guint s = 0; ok && s < G_N_ELEMENTS (copy_children_sql); s++)
        {
          g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, copy_children_sql[s], error);

          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_int64 (stmt, 1, ids[i]);
              sqlite3_bind_int64 (stmt, 2, copy_id);
              ok = sqlite3_step (stmt) == SQLITE_DONE;
            }
        }
      /* The copy is linked to the records of the original, like any
       * message the store adds. */
      ok = ok && _rp_crm_on_message_copied (conn, ids[i], copy_id, &linked, error);
      if (!ok && (error == NULL || *error == NULL))
        g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                     _("Message %lld could not be copied: %s"),
                     (long long) ids[i], sqlite3_errmsg (conn->db));
    }
  ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
  if (!ok)
    _rp_store_exec (conn->db, "ROLLBACK;", NULL);
  _rp_store_writer_release (self, conn);

  if (ok)
    _rp_store_notify_changed (self, &folder_id, 1);
  if (ok && linked)
    _rp_store_notify_crm_changed (self, RP_CRM_CHANGE_LINKS);

  return ok;
}

/**
 * rp_store_set_flags:
 * @set: flags to add
 * @unset: flags to remove
 */
gboolean
rp_store_set_flags (RpStore         *self,
                    const gint64    *ids,
                    guint            n,
                    RpMessageFlags   set,
                    RpMessageFlags   unset,
                    GError         **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  return for_each_message (self, ids, n,
                           "UPDATE message SET flags = (flags | ?2) & ~?3 WHERE id = ?1",
                           NULL, set, unset, 0, "set flags", error);
}

gboolean
rp_store_delete_messages (RpStore       *self,
                          const gint64  *ids,
                          guint          n,
                          GError       **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  /* In one transaction: the search index row (no foreign key reaches
   * it), then the message row, which cascades to bytes, addresses and
   * attachments and clears the server_message link. */
  return for_each_message (self, ids, n,
                           "DELETE FROM message_fts WHERE rowid = ?1",
                           "DELETE FROM message WHERE id = ?1",
                           0, 0, 0, "delete message", error);
}
