/* rp-crm-link.c: linking mail to records, timelines, and counting the
 * use of addresses for completion
 *
 * A message is linked to a record when one of the record's addresses is
 * in its From, To or Cc. New mail is linked inside the transaction that
 * stores it (_rp_crm_on_messages_added(), called by the store); a new
 * record or address back-fills over all stored mail with one INSERT …
 * SELECT on the case-insensitive address index of message_address.
 *
 * Whether a linked message was sent or received is never stored: the
 * timeline asks the message's folder when it is read, so that a message
 * moved into Sent counts as sent from then on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-crm-private.h"
#include "rp-error.h"

/* The rank of an address in completion (address_use.rank, see
 * version-004.sql): log2 of its weight plus the time of its last use in
 * 90-day steps, which halves the weight of older use every 90 days. */
#define RANK_SQL(weight, last_used) \
  "log2 (" weight ") + (" last_used ") / 7776000.0"

static const char link_new_sql[] =
  "INSERT OR IGNORE INTO crm_message (record_id, message_id)"
  " SELECT c.record_id, a.message_id FROM message_address a"
  " JOIN crm_address c ON c.address = a.address COLLATE NOCASE"
  " WHERE a.message_id = ?1 AND a.kind IN (0, 1, 2)";

/* Mail in the Outbox (role 3) or Sent (role 4) was written by the user:
 * its recipients weigh more, and its From (the user) is not counted. The
 * rank follows the new counts (in DO UPDATE, bare columns are the old
 * values). */
static const char count_use_sql[] =
  "INSERT INTO address_use (address, name, uses, sent_uses, last_used, rank)"
  " SELECT a.address, nullif (a.name, ''), 1, f.role IN (3, 4), m.date,"
  "  " RANK_SQL ("2 + 2 * (f.role IN (3, 4))", "m.date")
  " FROM message_address a"
  " JOIN message m ON m.id = a.message_id"
  " JOIN folder f ON f.id = m.folder_id"
  " WHERE a.message_id = ?1 AND a.kind IN (0, 1, 2) AND NOT (f.role IN (3, 4) AND a.kind = 0)"
  " ON CONFLICT (address) DO UPDATE SET"
  "  uses = uses + 1,"
  "  sent_uses = sent_uses + excluded.sent_uses,"
  "  name = CASE WHEN excluded.name IS NOT NULL AND excluded.last_used >= last_used"
  "         THEN excluded.name ELSE name END,"
  "  last_used = max (last_used, excluded.last_used),"
  "  rank = " RANK_SQL ("2 + uses + 2 * (sent_uses + excluded.sent_uses)",
                        "max (last_used, excluded.last_used)");

static const char backfill_sql[] =
  "INSERT OR IGNORE INTO crm_message (record_id, message_id)"
  " SELECT c.record_id, a.message_id FROM crm_address c"
  " JOIN message_address a ON a.address = c.address COLLATE NOCASE AND a.kind IN (0, 1, 2)"
  " WHERE c.record_id = ?1";

/* Auxiliary methods */

static void
add_word (GPtrArray  *words,
          const char *word)
{
  if (word == NULL || *word == '\0')
    return;
  for (guint i = 0; i < words->len; i++)
    if (strcmp (g_ptr_array_index (words, i), word) == 0)
      return;
  g_ptr_array_add (words, g_strdup (word));
}

GPtrArray *
_rp_crm_words (const char *name,
               const char *address)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  if (name != NULL && *name != '\0')
    {
      g_auto(GStrv) ascii = NULL;
      g_auto(GStrv) tokens = g_str_tokenize_and_fold (name, NULL, &ascii);

      for (guint i = 0; tokens[i] != NULL; i++)
        add_word (words, tokens[i]);
      for (guint i = 0; ascii[i] != NULL; i++)
        add_word (words, ascii[i]);
    }
  if (address != NULL && *address != '\0')
    {
      g_autofree char *folded = g_utf8_casefold (address, -1);

      add_word (words, folded);
    }

  return words;
}

char *
_rp_crm_words_string (GPtrArray *words)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < words->len; i++)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (words, i));
    }

  return g_string_free (out, FALSE);
}

static gboolean
insert_address_words (sqlite3_stmt  *stmt,
                      const char    *address,
                      GPtrArray     *words)
{
  for (guint i = 0; i < words->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (words, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static const char insert_address_word_sql[] =
  "INSERT OR IGNORE INTO address_word (word, address) VALUES (?1, ?2)";

/* Adds the @words that address_use.words of @address lacks. An address
 * without a row (the user's own From in sent mail) is left alone. */
static gboolean
merge_address_words (RpStoreConn  *conn,
                     const char   *address,
                     GPtrArray    *words,
                     GError      **error)
{
  sqlite3_stmt *read = _rp_store_cached (conn,
    "SELECT words FROM address_use WHERE address = ?1", error);
  sqlite3_stmt *write;
  g_autoptr(GString) merged = NULL;
  gsize old_len;
  int rc;

  if (read == NULL)
    return FALSE;

  sqlite3_bind_text (read, 1, address, -1, SQLITE_STATIC);
  rc = sqlite3_step (read);
  if (rc == SQLITE_ROW)
    merged = g_string_new ((const char *) sqlite3_column_text (read, 0));
  sqlite3_reset (read);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _rp_store_set_sqlite_error (error, conn->db, "index addresses");
      return FALSE;
    }

  /* A trailing space while searching, so that " word " matches whole
   * words only. */
  old_len = merged->len;
  g_string_append_c (merged, ' ');
  for (guint i = 0; i < words->len; i++)
    {
      g_autofree char *needle = g_strdup_printf (" %s ", (char *) g_ptr_array_index (words, i));

      if (strstr (merged->str, needle) == NULL)
        g_string_append (merged, needle + 1);
    }
  g_string_truncate (merged, merged->len - 1);
  if (merged->len == old_len)
    return TRUE;

  write = _rp_store_cached (conn, "UPDATE address_use SET words = ?2 WHERE address = ?1", error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_text (write, 1, address, -1, SQLITE_STATIC);
  sqlite3_bind_text (write, 2, merged->str, -1, SQLITE_STATIC);

  return _rp_crm_step_done (conn, write, "index addresses", error);
}

gboolean
_rp_crm_post_upgrade (sqlite3  *db,
                      GError  **error)
{
  g_auto(RpStmt) select = _rp_store_prepare (db, "SELECT address, name FROM address_use", error);
  g_auto(RpStmt) insert = select ? _rp_store_prepare (db, insert_address_word_sql, error) : NULL;
  g_auto(RpStmt) update = insert ? _rp_store_prepare (db,
    "UPDATE address_use SET words = ?2 WHERE address = ?1", error) : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (update == NULL)
    return FALSE;

  /* Read first, then write: the table is not changed under its reader. */
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, _rp_crm_column_dup (select, 0));
      g_ptr_array_add (rows, _rp_crm_column_dup (select, 1));
    }
  for (guint i = 0; rc == SQLITE_DONE && i < rows->len; i += 2)
    {
      const char *address = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) words = _rp_crm_words (g_ptr_array_index (rows, i + 1), address);
      g_autofree char *text = _rp_crm_words_string (words);

      if (!insert_address_words (insert, address, words))
        rc = SQLITE_ERROR;
      sqlite3_bind_text (update, 1, address, -1, SQLITE_STATIC);
      sqlite3_bind_text (update, 2, text, -1, SQLITE_STATIC);
      if (rc == SQLITE_DONE && sqlite3_step (update) != SQLITE_DONE)
        rc = SQLITE_ERROR;
      sqlite3_reset (update);
    }
  if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, db, "index addresses");
      return FALSE;
    }

  return TRUE;
}

/* address_word holds the words of collected addresses only. @to_collected:
 * the addresses of @record_id that mail carried go back into it (from
 * their address_use.words), before the record releases them; otherwise
 * those still collected leave it, before the record claims them. */
static gboolean
move_address_words (RpStoreConn  *conn,
                    gint64        record_id,
                    gboolean      to_collected,
                    GError      **error)
{
  sqlite3_stmt *select = _rp_store_cached (conn, to_collected
    ? "SELECT u.address, u.words FROM crm_address c"
      " JOIN address_use u ON u.address = c.address"
      " WHERE c.record_id = ?1 AND u.record_id IS NOT NULL AND u.uses > 0"
    : "SELECT u.address, u.words FROM crm_address c"
      " JOIN address_use u ON u.address = c.address"
      " WHERE c.record_id = ?1 AND u.record_id IS NULL", error);
  sqlite3_stmt *change = select ? _rp_store_cached (conn, to_collected
    ? insert_address_word_sql
    : "DELETE FROM address_word WHERE word = ?1 AND address = ?2", error) : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (change == NULL)
    return FALSE;

  sqlite3_bind_int64 (select, 1, record_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, _rp_crm_column_dup (select, 0));
      g_ptr_array_add (rows, _rp_crm_column_dup (select, 1));
    }
  sqlite3_reset (select);

  for (guint i = 0; rc == SQLITE_DONE && i < rows->len; i += 2)
    {
      g_auto(GStrv) words = g_strsplit (g_ptr_array_index (rows, i + 1), " ", -1);

      for (guint w = 0; rc == SQLITE_DONE && words[w] != NULL; w++)
        {
          if (*words[w] == '\0')
            continue;
          sqlite3_bind_text (change, 1, words[w], -1, SQLITE_STATIC);
          sqlite3_bind_text (change, 2, g_ptr_array_index (rows, i), -1, SQLITE_STATIC);
          if (sqlite3_step (change) != SQLITE_DONE)
            rc = SQLITE_ERROR;
          sqlite3_reset (change);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, conn->db, "index addresses");
      return FALSE;
    }

  return TRUE;
}

gboolean
_rp_crm_index_record (RpStoreConn  *conn,
                      gint64        record_id,
                      GError      **error)
{
  g_autoptr(RpCrmRecord) record = _rp_crm_read_record (conn, record_id, error);
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  if (record == NULL)
    return FALSE;

  stmt = _rp_store_cached (conn, "DELETE FROM crm_word WHERE record_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  if (!_rp_crm_step_done (conn, stmt, "index record", error))
    return FALSE;

  words = _rp_crm_words (record->name, NULL);
  {
    g_autoptr(GPtrArray) company = _rp_crm_words (record->company, NULL);

    for (guint i = 0; i < company->len; i++)
      add_word (words, g_ptr_array_index (company, i));
  }
  for (guint i = 0; record->emails[i] != NULL; i++)
    {
      g_autofree char *folded = g_utf8_casefold (record->emails[i], -1);

      add_word (words, folded);
    }

  stmt = _rp_store_cached (conn,
    "INSERT OR IGNORE INTO crm_word (word, record_id) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < words->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (words, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, record_id);
      if (!_rp_crm_step_done (conn, stmt, "index record", error))
        return FALSE;
    }

  text = _rp_crm_words_string (words);
  stmt = _rp_store_cached (conn, "UPDATE crm_record SET words = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (!_rp_crm_step_done (conn, stmt, "index record", error))
    return FALSE;

  /* The record's addresses leave the collected ones (and address_word);
   * those without mail come in with no use (rank 0, after every used
   * address). */
  if (!move_address_words (conn, record_id, FALSE, error))
    return FALSE;
  stmt = _rp_store_cached (conn,
    "INSERT INTO address_use (address, record_id)"
    " SELECT address, record_id FROM crm_address WHERE record_id = ?1"
    " ON CONFLICT (address) DO UPDATE SET record_id = excluded.record_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);

  return _rp_crm_step_done (conn, stmt, "index record", error);
}

gboolean
_rp_crm_release_addresses (RpStoreConn  *conn,
                           gint64        record_id,
                           GError      **error)
{
  static const char * const sql[] = {
    "DELETE FROM address_use WHERE uses = 0 AND address IN"
    " (SELECT address FROM crm_address WHERE record_id = ?1)",
    "UPDATE address_use SET record_id = NULL WHERE address IN"
    " (SELECT address FROM crm_address WHERE record_id = ?1)",
  };

  if (!move_address_words (conn, record_id, TRUE, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = _rp_store_cached (conn, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, record_id);
      if (!_rp_crm_step_done (conn, stmt, "release addresses", error))
        return FALSE;
    }

  return TRUE;
}

/* An address seen for the first time, or with a new name, and its words. */
typedef struct
{
  const char *address;
  GPtrArray  *words;
} FreshAddress;

static void
fresh_address_clear (gpointer data)
{
  FreshAddress *fresh = data;

  g_ptr_array_unref (fresh->words);
}

/* Indexes the words of @address unless it was used before with the same
 * name (most mail comes from known correspondents, and tokenizing is the
 * expensive part): in address_word unless a record has the address (that
 * table holds only collected addresses, so that counting its words tells
 * how many collected addresses match), and, through @fresh, in
 * address_use.words once the message is counted. */
static gboolean
index_address (sqlite3_stmt    *known,
               sqlite3_stmt    *insert,
               const RpAddress *address,
               GArray          *fresh)
{
  const char *name = address->name != NULL && *address->name != '\0' ? address->name : NULL;
  FreshAddress entry;
  gboolean seen = FALSE;
  gboolean in_crm = FALSE;

  if (address->address == NULL || *address->address == '\0')
    return TRUE;

  sqlite3_bind_text (known, 1, address->address, -1, SQLITE_STATIC);
  if (name != NULL)
    sqlite3_bind_text (known, 2, name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (known, 2);
  if (sqlite3_step (known) == SQLITE_ROW)
    {
      seen = sqlite3_column_int (known, 0);
      in_crm = sqlite3_column_int (known, 1);
    }
  sqlite3_reset (known);
  if (seen)
    return TRUE;

  entry.address = address->address;
  entry.words = _rp_crm_words (name, address->address);
  g_array_append_val (fresh, entry);

  return in_crm || insert_address_words (insert, address->address, entry.words);
}

/* The words of one message's From, To and Cc addresses, for completion;
 * runs before the message's addresses are counted in address_use. */
static gboolean
index_message_addresses (sqlite3_stmt           *known,
                         sqlite3_stmt           *insert,
                         const RpMessageSummary *summary,
                         GArray                 *fresh)
{
  GPtrArray *lists[] = { summary->to, summary->cc };

  if (summary->from != NULL && !index_address (known, insert, summary->from, fresh))
    return FALSE;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      if (!index_address (known, insert, g_ptr_array_index (lists[l], i), fresh))
        return FALSE;

  return TRUE;
}

gboolean
_rp_crm_on_messages_added (RpStoreConn        *conn,
                           RpStoreNewMessage  *messages,
                           guint               n,
                           gboolean           *linked,
                           GError            **error)
{
  sqlite3_stmt *link = _rp_store_cached (conn, link_new_sql, error);
  sqlite3_stmt *count = link ? _rp_store_cached (conn, count_use_sql, error) : NULL;
  sqlite3_stmt *words = count ? _rp_store_cached (conn, insert_address_word_sql, error) : NULL;
  sqlite3_stmt *known = words ? _rp_store_cached (conn,
    "SELECT name IS ?2 AND uses > 0, record_id IS NOT NULL FROM address_use WHERE address = ?1",
    error) : NULL;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (FreshAddress));

  if (known == NULL)
    return FALSE;
  g_array_set_clear_func (fresh, fresh_address_clear);

  for (guint i = 0; i < n; i++)
    {
      if (messages[i].id == 0 || messages[i].duplicate)
        continue;

      g_array_set_size (fresh, 0);
      if (messages[i].summary != NULL &&
          !index_message_addresses (known, words, messages[i].summary, fresh))
        {
          _rp_store_set_sqlite_error (error, conn->db, "index addresses");
          return FALSE;
        }
      sqlite3_bind_int64 (link, 1, messages[i].id);
      sqlite3_bind_int64 (count, 1, messages[i].id);
      if (!_rp_crm_step_done (conn, link, "link message", error))
        return FALSE;
      if (sqlite3_changes (conn->db) > 0)
        *linked = TRUE;
      if (!_rp_crm_step_done (conn, count, "count addresses", error))
        return FALSE;
      for (guint f = 0; f < fresh->len; f++)
        {
          FreshAddress *entry = &g_array_index (fresh, FreshAddress, f);

          if (!merge_address_words (conn, entry->address, entry->words, error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
_rp_crm_on_message_copied (RpStoreConn  *conn,
                           gint64        source_id,
                           gint64        copy_id,
                           gboolean     *linked,
                           GError      **error)
{
  sqlite3_stmt *same = _rp_store_cached (conn,
    "INSERT OR IGNORE INTO crm_message (record_id, message_id)"
    " SELECT record_id, ?2 FROM crm_message WHERE message_id = ?1", error);
  sqlite3_stmt *link = same ? _rp_store_cached (conn, link_new_sql, error) : NULL;

  if (link == NULL)
    return FALSE;

  sqlite3_bind_int64 (same, 1, source_id);
  sqlite3_bind_int64 (same, 2, copy_id);
  if (!_rp_crm_step_done (conn, same, "link copy", error))
    return FALSE;
  if (sqlite3_changes (conn->db) > 0)
    *linked = TRUE;

  sqlite3_bind_int64 (link, 1, copy_id);
  if (!_rp_crm_step_done (conn, link, "link copy", error))
    return FALSE;
  if (sqlite3_changes (conn->db) > 0)
    *linked = TRUE;

  return TRUE;
}

gboolean
_rp_crm_backfill_links (RpStoreConn  *conn,
                        gint64        record_id,
                        GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn, backfill_sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);

  return _rp_crm_step_done (conn, stmt, "link mail", error);
}

/* Public API */

/**
 * rp_crm_get_timeline:
 * @limit: the most entries, 0 for all
 *
 * Returns: (transfer container) (element-type RpCrmTimelineEntry): the
 *   record's mail, newest first, or %NULL with @error set
 */
GPtrArray *
rp_crm_get_timeline (RpStore  *store,
                     gint64    record_id,
                     guint     limit,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_crm_timeline_entry_free);
  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;

  stmt = _rp_store_cached (conn,
    "SELECT m.id, m.date, m.subject, f.name, f.role = 4"
    " FROM crm_message l"
    " JOIN message m ON m.id = l.message_id"
    " JOIN folder f ON f.id = m.folder_id"
    " WHERE l.record_id = ?1"
    " ORDER BY m.date DESC, m.id DESC LIMIT ?2", error);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, record_id);
      sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          RpCrmTimelineEntry *entry = g_new0 (RpCrmTimelineEntry, 1);

          entry->message_id = sqlite3_column_int64 (stmt, 0);
          entry->date = sqlite3_column_int64 (stmt, 1);
          entry->subject = _rp_crm_column_dup (stmt, 2);
          entry->folder_name = _rp_crm_column_dup (stmt, 3);
          entry->sent = sqlite3_column_int (stmt, 4);
          g_ptr_array_add (entries, entry);
        }
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE;
      if (!ok)
        _rp_store_set_sqlite_error (error, conn->db, "read timeline");
    }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&entries) : NULL;
}

/**
 * rp_crm_get_message_records:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the records
 *   @message_id is linked to, or %NULL with @error set
 */
GArray *
rp_crm_get_message_records (RpStore  *store,
                            gint64    message_id,
                            GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;

  stmt = _rp_store_cached (conn,
    "SELECT record_id FROM crm_message WHERE message_id = ?1 ORDER BY record_id", error);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, message_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE;
      if (!ok)
        _rp_store_set_sqlite_error (error, conn->db, "read message links");
    }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&ids) : NULL;
}

/**
 * rp_crm_link_message:
 *
 * Links a message to a record whatever its addresses.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_link_message (RpStore  *store,
                     gint64    message_id,
                     gint64    record_id,
                     GError  **error)
{
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return FALSE;

  stmt = _rp_store_cached (conn,
    "INSERT OR IGNORE INTO crm_message (record_id, message_id)"
    " SELECT r.id, m.id FROM crm_record r, message m WHERE r.id = ?1 AND m.id = ?2", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, record_id);
      sqlite3_bind_int64 (stmt, 2, message_id);
      ok = _rp_crm_step_done (conn, stmt, "link message", error);
    }
  if (ok)
    {
      stmt = _rp_store_cached (conn,
        "SELECT 1 FROM crm_message WHERE record_id = ?1 AND message_id = ?2", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record_id);
          sqlite3_bind_int64 (stmt, 2, message_id);
          ok = sqlite3_step (stmt) == SQLITE_ROW;
          sqlite3_reset (stmt);
          if (!ok)
            g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                         _("There is no message %lld or no contact or lead %lld"),
                         (long long) message_id, (long long) record_id);
        }
    }

  return _rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_LINKS, error);
}
