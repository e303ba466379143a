/* rp-crm.c: contacts and leads
 *
 * Records live in crm_record with their addresses in crm_address (one
 * address, one record, compared case-insensitively). Creating a record or
 * adding an address back-fills the message links in the same transaction
 * (rp-crm-link.c), so a record never shows without its mail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-crm-private.h"
#include "rp-error.h"

/* The addresses come along as one newline-separated column, primary
 * first: one statement per record list instead of one per record. */
#define RECORD_COLUMNS \
  "r.id, r.kind, r.name, r.phone, r.company, r.job_title, r.status, r.source, r.owner," \
  " r.created, r.updated," \
  " (SELECT group_concat (address, char (10)) FROM" \
  "   (SELECT c.address FROM crm_address c WHERE c.record_id = r.id ORDER BY c.position))"

static const char * const kind_names[] = { "contact", "lead" };
static const char * const status_names[] = { "new", "contacted", "qualified", "lost" };

/* Auxiliary methods */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
_rp_crm_bind_text (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

char *
_rp_crm_column_dup (sqlite3_stmt *stmt,
                    int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_rp_crm_step_done (RpStoreConn   *conn,
                   sqlite3_stmt  *stmt,
                   const char    *what,
                   GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, conn->db, what);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

RpStoreConn *
_rp_crm_write_begin (RpStore  *store,
                     GError  **error)
{
  RpStoreConn *conn = _rp_store_writer_acquire (store);

  if (!_rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error))
    {
      _rp_store_writer_release (store, conn);
      return NULL;
    }

  return conn;
}

gboolean
_rp_crm_write_end (RpStore      *store,
                   RpStoreConn  *conn,
                   gboolean      ok,
                   RpCrmChange   what,
                   GError      **error)
{
  if (ok)
    ok = _rp_store_exec (conn->db, "COMMIT;", error);
  if (!ok)
    _rp_store_exec (conn->db, "ROLLBACK;", NULL);
  _rp_store_writer_release (store, conn);

  if (ok)
    _rp_store_notify_crm_changed (store, what);

  return ok;
}

char *
_rp_crm_normalize_address (const char  *address,
                           GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address ? address : ""));
  const char *at = strchr (trimmed, '@');

  if (at == NULL || at == trimmed || at[1] == '\0' ||
      strpbrk (trimmed, " \t\r\n<>,;\"") != NULL || !g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an email address"), address ? address : "");
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

GStrv
_rp_crm_read_addresses (RpStoreConn  *conn,
                        gint64        record_id,
                        GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = _rp_store_cached (conn,
    "SELECT address FROM crm_address WHERE record_id = ?1 ORDER BY position", error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, conn->db, "read addresses");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static RpCrmRecord *
record_from_row (sqlite3_stmt *stmt)
{
  RpCrmRecord *record = g_new0 (RpCrmRecord, 1);
  const char *addresses = (const char *) sqlite3_column_text (stmt, 11);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = sqlite3_column_int (stmt, 1);
  record->name = _rp_crm_column_dup (stmt, 2);
  record->phone = _rp_crm_column_dup (stmt, 3);
  record->company = _rp_crm_column_dup (stmt, 4);
  record->job_title = _rp_crm_column_dup (stmt, 5);
  record->status = sqlite3_column_int (stmt, 6);
  record->source = _rp_crm_column_dup (stmt, 7);
  record->owner = _rp_crm_column_dup (stmt, 8);
  record->created = sqlite3_column_int64 (stmt, 9);
  record->updated = sqlite3_column_int64 (stmt, 10);
  record->emails = addresses != NULL ? g_strsplit (addresses, "\n", -1) : g_new0 (char *, 1);

  return record;
}

gint64
_rp_crm_address_owner (RpStoreConn  *conn,
                       const char   *address,
                       GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn,
    "SELECT record_id FROM crm_address WHERE address = ?1 COLLATE NOCASE", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, conn->db, "look up address");
      id = -1;
    }
  sqlite3_reset (stmt);

  return id;
}

/* Adds @address to @record_id at @position unless it has it already;
 * another record's address is an error. */
static gboolean
insert_address (RpStoreConn  *conn,
                gint64        record_id,
                const char   *address,
                int           position,
                GError      **error)
{
  g_autofree char *normalized = _rp_crm_normalize_address (address, error);
  sqlite3_stmt *stmt;
  gint64 owner;

  if (normalized == NULL)
    return FALSE;

  owner = _rp_crm_address_owner (conn, normalized, error);
  if (owner < 0)
    return FALSE;
  if (owner == record_id)
    return TRUE;
  if (owner != 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The address “%s” already belongs to another contact or lead"), normalized);
      return FALSE;
    }

  stmt = _rp_store_cached (conn,
    "INSERT INTO crm_address (record_id, address, position) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  sqlite3_bind_text (stmt, 2, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, position);

  return _rp_crm_step_done (conn, stmt, "add address", error);
}

static gboolean
check_record (const RpCrmRecord  *record,
              GError            **error)
{
  if ((guint) record->kind >= G_N_ELEMENTS (kind_names) ||
      (guint) record->status >= G_N_ELEMENTS (status_names))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The kind or status of the record is not valid"));
      return FALSE;
    }

  return TRUE;
}

static void
bind_record_fields (sqlite3_stmt      *stmt,
                    const RpCrmRecord *record)
{
  sqlite3_bind_int (stmt, 1, record->kind);
  sqlite3_bind_text (stmt, 2, record->name ? record->name : "", -1, SQLITE_TRANSIENT);
  _rp_crm_bind_text (stmt, 3, record->phone);
  _rp_crm_bind_text (stmt, 4, record->company);
  _rp_crm_bind_text (stmt, 5, record->job_title);
  sqlite3_bind_int (stmt, 6, record->status);
  _rp_crm_bind_text (stmt, 7, record->source);
  _rp_crm_bind_text (stmt, 8, record->owner);
}

static gboolean
record_exists (RpStoreConn  *conn,
               gint64        record_id,
               GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn, "SELECT 1 FROM crm_record WHERE id = ?1", error);
  gboolean exists;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!exists)
    g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                 _("There is no contact or lead %lld"), (long long) record_id);

  return exists;
}

/* Removes the links that only @address made: the messages carrying it.
 * Links through the record's other addresses come back with the next
 * back-fill. */
static gboolean
unlink_address (RpStoreConn  *conn,
                gint64        record_id,
                const char   *address,
                GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn,
    "DELETE FROM crm_message WHERE record_id = ?1 AND message_id IN"
    " (SELECT message_id FROM message_address"
    "   WHERE address = ?2 COLLATE NOCASE AND kind IN (0, 1, 2))", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  sqlite3_bind_text (stmt, 2, address, -1, SQLITE_TRANSIENT);

  return _rp_crm_step_done (conn, stmt, "unlink address", error);
}

RpCrmRecord *
_rp_crm_read_record (RpStoreConn  *conn,
                     gint64        record_id,
                     GError      **error)
{
  RpCrmRecord *record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rp_store_cached (conn, "SELECT " RECORD_COLUMNS " FROM crm_record r WHERE r.id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, record_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                 _("There is no contact or lead %lld"), (long long) record_id);
  else
    _rp_store_set_sqlite_error (error, conn->db, "read record");
  sqlite3_reset (stmt);

  return record;
}

gboolean
_rp_crm_insert_record (RpStoreConn  *conn,
                       RpCrmRecord  *record,
                       GError      **error)
{
  gint64 now = now_seconds ();
  gint64 id = 0;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!check_record (record, error))
    return FALSE;

  stmt = _rp_store_cached (conn,
    "INSERT INTO crm_record (kind, name, phone, company, job_title, status, source, owner,"
    " created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_record_fields (stmt, record);
      sqlite3_bind_int64 (stmt, 9, now);
      ok = _rp_crm_step_done (conn, stmt, "add record", error);
      id = sqlite3_last_insert_rowid (conn->db);
    }
  for (guint i = 0; ok && record->emails != NULL && record->emails[i] != NULL; i++)
    ok = insert_address (conn, id, record->emails[i], i, error);
  ok = ok && _rp_crm_backfill_links (conn, id, error) && _rp_crm_index_record (conn, id, error);

  if (ok)
    {
      record->id = id;
      record->created = record->updated = now;
    }

  return ok;
}

gboolean
_rp_crm_replace_record (RpStoreConn        *conn,
                        const RpCrmRecord  *record,
                        GError            **error)
{
  g_auto(GStrv) old = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!check_record (record, error))
    return FALSE;

  ok = record_exists (conn, record->id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn,
        "UPDATE crm_record SET kind = ?1, name = ?2, phone = ?3, company = ?4, job_title = ?5,"
        " status = ?6, source = ?7, owner = ?8, updated = ?9 WHERE id = ?10", error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      bind_record_fields (stmt, record);
      sqlite3_bind_int64 (stmt, 9, now_seconds ());
      sqlite3_bind_int64 (stmt, 10, record->id);
      ok = _rp_crm_step_done (conn, stmt, "update record", error);
    }

  /* Addresses: the removed ones lose their links; all are renumbered in
   * the new order; the back-fill restores links through the others and
   * adds those of new addresses. */
  if (ok)
    ok = (old = _rp_crm_read_addresses (conn, record->id, error)) != NULL;
  for (guint i = 0; ok && old[i] != NULL; i++)
    {
      gboolean kept = FALSE;

      for (guint j = 0; record->emails != NULL && record->emails[j] != NULL; j++)
        {
          g_autofree char *normalized = g_strstrip (g_strdup (record->emails[j]));

          kept = kept || g_ascii_strcasecmp (normalized, old[i]) == 0;
        }
      if (!kept)
        ok = unlink_address (conn, record->id, old[i], error);
    }
  ok = ok && _rp_crm_release_addresses (conn, record->id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn, "DELETE FROM crm_address WHERE record_id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record->id);
          ok = _rp_crm_step_done (conn, stmt, "update addresses", error);
        }
    }
  for (guint i = 0; ok && record->emails != NULL && record->emails[i] != NULL; i++)
    ok = insert_address (conn, record->id, record->emails[i], i, error);

  return ok && _rp_crm_backfill_links (conn, record->id, error) &&
         _rp_crm_index_record (conn, record->id, error);
}

/* Public API: structs */

RpCrmRecord *
rp_crm_record_new (void)
{
  RpCrmRecord *record = g_new0 (RpCrmRecord, 1);

  record->emails = g_new0 (char *, 1);
  return record;
}

RpCrmRecord *
rp_crm_record_copy (const RpCrmRecord *record)
{
  RpCrmRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->name = g_strdup (record->name);
  copy->emails = record->emails ? g_strdupv (record->emails) : g_new0 (char *, 1);
  copy->phone = g_strdup (record->phone);
  copy->company = g_strdup (record->company);
  copy->job_title = g_strdup (record->job_title);
  copy->source = g_strdup (record->source);
  copy->owner = g_strdup (record->owner);

  return copy;
}

void
rp_crm_record_free (RpCrmRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_strfreev (record->emails);
  g_free (record->phone);
  g_free (record->company);
  g_free (record->job_title);
  g_free (record->source);
  g_free (record->owner);
  g_free (record);
}

RpCrmTimelineEntry *
rp_crm_timeline_entry_copy (const RpCrmTimelineEntry *entry)
{
  RpCrmTimelineEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->subject = g_strdup (entry->subject);
  copy->folder_name = g_strdup (entry->folder_name);
  return copy;
}

void
rp_crm_timeline_entry_free (RpCrmTimelineEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->subject);
  g_free (entry->folder_name);
  g_free (entry);
}

RpCrmCompletion *
rp_crm_completion_copy (const RpCrmCompletion *completion)
{
  RpCrmCompletion *copy;

  g_return_val_if_fail (completion != NULL, NULL);

  copy = g_memdup2 (completion, sizeof *completion);
  copy->address = g_strdup (completion->address);
  copy->name = g_strdup (completion->name);
  copy->company = g_strdup (completion->company);
  return copy;
}

void
rp_crm_completion_free (RpCrmCompletion *completion)
{
  if (completion == NULL)
    return;

  g_free (completion->address);
  g_free (completion->name);
  g_free (completion->company);
  g_free (completion);
}

const char *
rp_crm_kind_to_string (RpCrmKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
rp_crm_kind_from_string (const char *text,
                         RpCrmKind  *kind)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_ascii_strcasecmp (text, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }

  return FALSE;
}

const char *
rp_crm_lead_status_to_string (RpCrmLeadStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
rp_crm_lead_status_from_string (const char      *text,
                                RpCrmLeadStatus *status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_ascii_strcasecmp (text, status_names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }

  return FALSE;
}

const char *
rp_crm_kind_get_display_name (RpCrmKind kind)
{
  switch (kind)
    {
    case RP_CRM_KIND_CONTACT:
      return C_("crm kind", "Contact");
    case RP_CRM_KIND_LEAD:
      return C_("crm kind", "Lead");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
rp_crm_lead_status_get_display_name (RpCrmLeadStatus status)
{
  switch (status)
    {
    case RP_CRM_LEAD_NEW:
      return C_("lead status", "New");
    case RP_CRM_LEAD_CONTACTED:
      return C_("lead status", "Contacted");
    case RP_CRM_LEAD_QUALIFIED:
      return C_("lead status", "Qualified");
    case RP_CRM_LEAD_LOST:
      return C_("lead status", "Lost");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Public API: records */

/**
 * rp_crm_add_record:
 * @store: the store
 * @record: the record; id, created and updated are set on success
 * @error: return location for a #GError
 *
 * Adds a contact or lead and links the stored mail of its addresses.
 *
 * Returns: the new record's id, or 0 with @error set
 */
gint64
rp_crm_add_record (RpStore      *store,
                   RpCrmRecord  *record,
                   GError      **error)
{
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (record != NULL, 0);

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return 0;

  ok = _rp_crm_insert_record (conn, record, error);
  if (!_rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS, error))
    {
      record->id = 0;
      return 0;
    }

  return record->id;
}

/**
 * rp_crm_update_record:
 *
 * Rewrites the fields and addresses of the record @record->id.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_update_record (RpStore            *store,
                      const RpCrmRecord  *record,
                      GError            **error)
{
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return FALSE;

  ok = _rp_crm_replace_record (conn, record, error);
  return _rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS, error);
}

/**
 * rp_crm_delete_record:
 *
 * Deletes a record; its addresses, links, tasks and notes go with it
 * (foreign keys cascade), its events stay, unlinked.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_delete_record (RpStore  *store,
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

  ok = record_exists (conn, record_id, error) && _rp_crm_release_addresses (conn, record_id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn, "DELETE FROM crm_record WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record_id);
          ok = _rp_crm_step_done (conn, stmt, "delete record", error);
        }
    }

  /* Tasks, notes, links and event links go with the record. */
  return _rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_ALL, error);
}

/**
 * rp_crm_add_address:
 *
 * Adds @address to the record and links the stored mail that carries it.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_add_address (RpStore     *store,
                    gint64       record_id,
                    const char  *address,
                    GError     **error)
{
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gboolean ok;
  int position = 0;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return FALSE;

  ok = record_exists (conn, record_id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn,
        "SELECT ifnull (max (position) + 1, 0) FROM crm_address WHERE record_id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record_id);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            position = sqlite3_column_int (stmt, 0);
          sqlite3_reset (stmt);
        }
    }
  ok = ok && insert_address (conn, record_id, address, position, error);
  ok = ok && _rp_crm_backfill_links (conn, record_id, error) &&
       _rp_crm_index_record (conn, record_id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn, "UPDATE crm_record SET updated = ?2 WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record_id);
          sqlite3_bind_int64 (stmt, 2, now_seconds ());
          ok = _rp_crm_step_done (conn, stmt, "touch record", error);
        }
    }

  return _rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS, error);
}

/**
 * rp_crm_convert_lead:
 *
 * Makes a lead a contact. Only the kind changes: its mail, tasks, notes,
 * events and status stay where they are.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_convert_lead (RpStore  *store,
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

  ok = record_exists (conn, record_id, error);
  if (ok)
    {
      stmt = _rp_store_cached (conn,
        "UPDATE crm_record SET kind = 0, updated = ?2 WHERE id = ?1 AND kind = 1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, record_id);
          sqlite3_bind_int64 (stmt, 2, now_seconds ());
          ok = _rp_crm_step_done (conn, stmt, "convert lead", error);
        }
      if (ok && sqlite3_changes (conn->db) == 0)
        {
          g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("This record is a contact already"));
          ok = FALSE;
        }
    }

  return _rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_RECORDS, error);
}

/**
 * rp_crm_get_record:
 *
 * Returns: (transfer full): the record, or %NULL with @error set
 */
RpCrmRecord *
rp_crm_get_record (RpStore  *store,
                   gint64    record_id,
                   GError  **error)
{
  RpCrmRecord *record;
  RpStoreConn *conn;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;
  record = _rp_crm_read_record (conn, record_id, error);
  _rp_store_reader_release (store, conn);

  return record;
}

/**
 * rp_crm_find_record_id_by_address:
 *
 * Returns: the id of the record with @address, 0 when there is none
 */
gint64
rp_crm_find_record_id_by_address (RpStore     *store,
                                  const char  *address,
                                  GError     **error)
{
  g_autofree char *trimmed = NULL;
  RpStoreConn *conn;
  gint64 id;

  g_return_val_if_fail (RP_IS_STORE (store), 0);

  if (address == NULL)
    return 0;
  trimmed = g_strstrip (g_strdup (address));

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return 0;
  id = _rp_crm_address_owner (conn, trimmed, error);
  _rp_store_reader_release (store, conn);

  return MAX (id, 0);
}

/**
 * rp_crm_find_record_by_address:
 *
 * Returns: (transfer full) (nullable): the record with @address, or %NULL
 *   (with @error unset) when no record has it
 */
RpCrmRecord *
rp_crm_find_record_by_address (RpStore     *store,
                               const char  *address,
                               GError     **error)
{
  GError *local_error = NULL;
  gint64 id;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  id = rp_crm_find_record_id_by_address (store, address, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id == 0)
    return NULL;

  return rp_crm_get_record (store, id, error);
}

gboolean
rp_crm_is_known_address (RpStore     *store,
                         const char  *address,
                         GError     **error)
{
  return rp_crm_find_record_id_by_address (store, address, error) != 0;
}

/**
 * rp_crm_list_records:
 * @kind: an #RpCrmKind, or -1 for every kind
 * @search: (nullable): text the name, company or an address contains
 *
 * Returns: (transfer container) (element-type RpCrmRecord): the records
 *   by name, or %NULL with @error set
 */
GPtrArray *
rp_crm_list_records (RpStore     *store,
                     int          kind,
                     const char  *search,
                     GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *pattern = NULL;
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_crm_record_free);
  if (search != NULL && *search != '\0')
    {
      GString *escaped = g_string_new ("%");

      for (const char *p = search; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      pattern = g_string_free (escaped, FALSE);
    }

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;

  stmt = _rp_store_cached (conn,
    "SELECT " RECORD_COLUMNS " FROM crm_record r"
    " WHERE (?1 < 0 OR r.kind = ?1)"
    "   AND (?2 IS NULL OR r.name LIKE ?2 ESCAPE '\\' OR r.company LIKE ?2 ESCAPE '\\'"
    "        OR EXISTS (SELECT 1 FROM crm_address c"
    "                    WHERE c.record_id = r.id AND c.address LIKE ?2 ESCAPE '\\'))"
    " ORDER BY r.name COLLATE NOCASE, r.id", error);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_int (stmt, 1, kind);
      _rp_crm_bind_text (stmt, 2, pattern);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (records, record_from_row (stmt));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE;
      if (!ok)
        _rp_store_set_sqlite_error (error, conn->db, "list records");
    }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&records) : NULL;
}
