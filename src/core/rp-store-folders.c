/* rp-store-folders.c: the store's accounts and folders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-crm-private.h"
#include "rp-error.h"
#include "rp-store-private.h"

static const char * const role_names[] = {
  [RP_FOLDER_ROLE_NONE] = NULL,
  [RP_FOLDER_ROLE_INBOX] = "Inbox",
  [RP_FOLDER_ROLE_DRAFTS] = "Drafts",
  [RP_FOLDER_ROLE_OUTBOX] = "Outbox",
  [RP_FOLDER_ROLE_SENT] = "Sent",
  [RP_FOLDER_ROLE_TRASH] = "Trash",
  [RP_FOLDER_ROLE_JUNK] = "Junk",
};

/* Accounts */

/**
 * rp_store_ensure_account:
 * @self: a #RpStore
 * @name: the account's unique name
 * @error: return location for a #GError
 *
 * Returns the account called @name, creating it with its special folders.
 *
 * Returns: the account id, or 0 with @error set
 */
gint64
rp_store_ensure_account (RpStore     *self,
                         const char  *name,
                         GError     **error)
{
  RpStoreConn *conn;
  gint64 account_id = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (RP_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL && *name != '\0', 0);

  conn = _rp_store_writer_acquire (self);

  if (_rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error))
    {
      g_auto(RpStmt) insert = _rp_store_prepare (conn->db,
        "INSERT OR IGNORE INTO account (name, created) VALUES (?1, ?2)", error);
      g_auto(RpStmt) lookup = _rp_store_prepare (conn->db,
        "SELECT id FROM account WHERE name = ?1", error);
      g_auto(RpStmt) folder = _rp_store_prepare (conn->db,
        "INSERT OR IGNORE INTO folder (account_id, name, role, position) VALUES (?1, ?2, ?3, ?3)",
        error);

      if (insert != NULL && lookup != NULL && folder != NULL)
        {
          sqlite3_bind_text (insert, 1, name, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (insert, 2, g_get_real_time () / G_USEC_PER_SEC);
          sqlite3_bind_text (lookup, 1, name, -1, SQLITE_STATIC);

          if (sqlite3_step (insert) == SQLITE_DONE && sqlite3_step (lookup) == SQLITE_ROW)
            {
              account_id = sqlite3_column_int64 (lookup, 0);
              ok = TRUE;

              for (int role = RP_FOLDER_ROLE_INBOX; ok && role <= RP_FOLDER_ROLE_LAST; role++)
                {
                  sqlite3_reset (folder);
                  sqlite3_bind_int64 (folder, 1, account_id);
                  sqlite3_bind_text (folder, 2, role_names[role], -1, SQLITE_STATIC);
                  sqlite3_bind_int (folder, 3, role);
                  ok = sqlite3_step (folder) == SQLITE_DONE;
                }
            }
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, "add account");
        }

      if (ok)
        ok = _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }

  _rp_store_writer_release (self, conn);

  if (!ok)
    return 0;

  _rp_store_notify_changed (self, (gint64[]) { 0 }, 1);
  return account_id;
}

/**
 * rp_store_lookup_account:
 *
 * Returns: the id of the account called @name, or 0
 */
gint64
rp_store_lookup_account (RpStore    *self,
                         const char *name)
{
  RpStoreConn *conn;
  gint64 id = 0;

  g_return_val_if_fail (RP_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  conn = _rp_store_reader_acquire (self, NULL);
  if (conn == NULL)
    return 0;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, "SELECT id FROM account WHERE name = ?1",
                                             NULL);
    if (stmt != NULL)
      {
        sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          id = sqlite3_column_int64 (stmt, 0);
      }
  }

  _rp_store_reader_release (self, conn);
  return id;
}

/* Deletes a row whose messages cascade away, in one transaction with their
 * search-index rows, which no foreign key reaches: @fts_sql and @row_sql
 * both take the id as ?1. Every folder may have changed. */
static gboolean
delete_with_index (RpStore     *self,
                   const char  *fts_sql,
                   const char  *row_sql,
                   gint64       id,
                   const char  *what,
                   GError     **error)
{
  RpStoreConn *conn = _rp_store_writer_acquire (self);
  gboolean ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);

  if (ok)
    {
      g_auto(RpStmt) fts = _rp_store_prepare (conn->db, fts_sql, error);
      g_auto(RpStmt) del = _rp_store_prepare (conn->db, row_sql, error);

      ok = fts != NULL && del != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (fts, 1, id);
          sqlite3_bind_int64 (del, 1, id);
          ok = sqlite3_step (fts) == SQLITE_DONE && sqlite3_step (del) == SQLITE_DONE;
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, what);
        }
      ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }
  _rp_store_writer_release (self, conn);

  if (ok)
    _rp_store_notify_changed (self, (gint64[]) { 0 }, 1);

  return ok;
}

/**
 * rp_store_remove_account:
 *
 * Removes the account with all its folders and local mail.
 */
gboolean
rp_store_remove_account (RpStore  *self,
                         gint64    account_id,
                         GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  return delete_with_index (self,
                            "DELETE FROM message_fts WHERE rowid IN"
                            " (SELECT id FROM message WHERE account_id = ?1)",
                            "DELETE FROM account WHERE id = ?1",
                            account_id, "remove account", error);
}

/* Folders */

void
rp_folder_info_free (RpFolderInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info);
}

/**
 * rp_folder_role_to_string:
 *
 * Returns: the untranslated, stable name of @role ("Inbox", …), or %NULL
 *   for user folders
 */
const char *
rp_folder_role_to_string (RpFolderRole role)
{
  if ((guint) role > RP_FOLDER_ROLE_LAST)
    return NULL;

  return role_names[role];
}

/**
 * rp_folder_role_get_display_name:
 *
 * Returns: the translated name of a special folder, or %NULL
 */
const char *
rp_folder_role_get_display_name (RpFolderRole role)
{
  switch (role)
    {
    case RP_FOLDER_ROLE_INBOX:  return _("Inbox");
    case RP_FOLDER_ROLE_DRAFTS: return _("Drafts");
    case RP_FOLDER_ROLE_OUTBOX: return _("Outbox");
    case RP_FOLDER_ROLE_SENT:   return _("Sent");
    case RP_FOLDER_ROLE_TRASH:  return _("Trash");
    case RP_FOLDER_ROLE_JUNK:   return _("Junk");
    case RP_FOLDER_ROLE_NONE:
    default:
      return NULL;
    }
}

static RpFolderInfo *
folder_info_from_row (sqlite3_stmt *stmt)
{
  RpFolderInfo *info = g_new0 (RpFolderInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->account_id = sqlite3_column_int64 (stmt, 1);
  info->parent_id = sqlite3_column_int64 (stmt, 2);
  info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  info->role = sqlite3_column_int (stmt, 4);
  info->total = sqlite3_column_int (stmt, 5);
  info->unread = sqlite3_column_int (stmt, 6);

  return info;
}

#define FOLDER_SELECT \
  "SELECT f.id, f.account_id, ifnull (f.parent_id, 0), f.name, f.role," \
  " (SELECT count(*) FROM message m WHERE m.folder_id = f.id)," \
  " (SELECT count(*) FROM message m WHERE m.folder_id = f.id AND m.flags & 1 = 0)" \
  " FROM folder f "

/**
 * rp_store_list_folders:
 *
 * Returns: (transfer full) (element-type RpFolderInfo): every folder of every
 *   account, special folders first in role order, then user folders by name
 */
GPtrArray *
rp_store_list_folders (RpStore  *self,
                       GError  **error)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_folder_info_free);
  RpStoreConn *conn;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      FOLDER_SELECT "ORDER BY f.account_id, f.role = 0, f.role, f.name COLLATE NOCASE", error);
    int rc;

    ok = stmt != NULL;
    while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (folders, folder_info_from_row (stmt));
    if (ok && rc != SQLITE_DONE)
      {
        _rp_store_set_sqlite_error (error, conn->db, "list folders");
        ok = FALSE;
      }
  }

  _rp_store_reader_release (self, conn);
  return ok ? g_steal_pointer (&folders) : NULL;
}

/**
 * rp_store_get_folder:
 *
 * Returns: (transfer full): the folder with its counts, or %NULL
 */
RpFolderInfo *
rp_store_get_folder (RpStore  *self,
                     gint64    folder_id,
                     GError  **error)
{
  RpFolderInfo *info = NULL;
  RpStoreConn *conn;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, FOLDER_SELECT "WHERE f.id = ?1", error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          info = folder_info_from_row (stmt);
        else
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("There is no folder %lld"), (long long) folder_id);
      }
  }

  _rp_store_reader_release (self, conn);
  return info;
}


/**
 * rp_store_get_special_folder:
 *
 * Returns: the id of @account_id's folder with @role, or 0
 */
gint64
rp_store_get_special_folder (RpStore      *self,
                             gint64        account_id,
                             RpFolderRole  role)
{
  g_return_val_if_fail (RP_IS_STORE (self), 0);
  g_return_val_if_fail (role != RP_FOLDER_ROLE_NONE, 0);

  return _rp_store_query_id (self, "SELECT id FROM folder WHERE account_id = ?1 AND role = ?2",
                   account_id, role, NULL);
}

gint64
rp_store_find_folder (RpStore    *self,
                      gint64      account_id,
                      const char *name)
{
  g_auto(GStrv) parts = NULL;
  gint64 parent = 0;

  g_return_val_if_fail (RP_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  /* Special folders answer to their stable and their translated names. */
  for (int role = RP_FOLDER_ROLE_INBOX; role <= RP_FOLDER_ROLE_LAST; role++)
    {
      if (g_ascii_strcasecmp (name, role_names[role]) == 0 ||
          g_utf8_collate (name, rp_folder_role_get_display_name (role)) == 0)
        {
          if (account_id != 0)
            return rp_store_get_special_folder (self, account_id, role);
          return _rp_store_query_id (self, "SELECT id FROM folder WHERE role = ?2 ORDER BY account_id "
                                 "LIMIT 1 OFFSET ?1", 0, role, NULL);
        }
    }

  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      parent = _rp_store_query_id (self,
                         "SELECT id FROM folder WHERE (?1 = 0 OR account_id = ?1)"
                         " AND ifnull (parent_id, 0) = ?2 AND name = ?3 COLLATE NOCASE"
                         " ORDER BY account_id LIMIT 1",
                         account_id, parent, parts[i]);
      if (parent == 0)
        return 0;
    }

  return parent;
}

static gboolean
validate_folder_name (const char  *name,
                      GError     **error)
{
  if (name == NULL || *name == '\0' || strchr (name, '/') != NULL ||
      !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” cannot be a folder name: it must not be empty or contain “/”."),
                   name ? name : "");
      return FALSE;
    }

  return TRUE;
}

/* Runs one modifying statement with up to three parameters in its own
 * transaction; the folder-table helpers below share it. */
static gboolean
exec_write (RpStore     *self,
            const char  *sql,
            gint64       a,
            gint64       b,
            const char  *text,
            gint64      *last_id,
            const char  *what,
            GError     **error)
{
  RpStoreConn *conn = _rp_store_writer_acquire (self);
  gboolean ok = FALSE;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);

    if (stmt != NULL)
      {
        int rc;

        sqlite3_bind_int64 (stmt, 1, a);
        sqlite3_bind_int64 (stmt, 2, b);
        if (text != NULL)
          sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_DONE)
          {
            ok = TRUE;
            if (last_id != NULL)
              *last_id = sqlite3_last_insert_rowid (conn->db);
          }
        else if ((rc & 0xff) == SQLITE_CONSTRAINT)
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("A folder called “%s” already exists there."), text ? text : "");
        else
          _rp_store_set_sqlite_error (error, conn->db, what);
      }
  }

  _rp_store_writer_release (self, conn);

  if (ok)
    _rp_store_notify_changed (self, (gint64[]) { 0 }, 1);

  return ok;
}

static gboolean
check_user_folder (RpStore  *self,
                   gint64    folder_id,
                   GError  **error)
{
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (self, folder_id, error);

  if (info == NULL)
    return FALSE;

  if (info->role != RP_FOLDER_ROLE_NONE)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is a special folder; it cannot be renamed, moved or deleted."),
                   rp_folder_role_get_display_name (info->role));
      return FALSE;
    }

  return TRUE;
}

/**
 * rp_store_create_folder:
 * @parent_id: the parent folder, or 0 for a top-level folder
 *
 * Returns: the new folder's id, or 0 with @error set
 */
gint64
rp_store_create_folder (RpStore     *self,
                        gint64       account_id,
                        gint64       parent_id,
                        const char  *name,
                        GError     **error)
{
  gint64 id = 0;

  g_return_val_if_fail (RP_IS_STORE (self), 0);

  if (!validate_folder_name (name, error))
    return 0;

  if (!exec_write (self,
                   "INSERT INTO folder (account_id, parent_id, name, role)"
                   " VALUES (?1, nullif (?2, 0), ?3, 0)",
                   account_id, parent_id, name, &id, "create folder", error))
    return 0;

  return id;
}

gboolean
rp_store_rename_folder (RpStore     *self,
                        gint64       folder_id,
                        const char  *name,
                        GError     **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  return validate_folder_name (name, error) &&
         check_user_folder (self, folder_id, error) &&
         exec_write (self, "UPDATE folder SET name = ?3 WHERE id = ?1",
                     folder_id, 0, name, NULL, "rename folder", error);
}

gboolean
rp_store_move_folder (RpStore  *self,
                      gint64    folder_id,
                      gint64    new_parent_id,
                      GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  if (!check_user_folder (self, folder_id, error))
    return FALSE;

  /* A folder cannot move below itself or one of its descendants. */
  if (new_parent_id != 0 &&
      _rp_store_query_id (self,
                "WITH RECURSIVE below (id) AS (SELECT ?1 UNION ALL"
                " SELECT f.id FROM folder f JOIN below b ON f.parent_id = b.id)"
                " SELECT 1 FROM below WHERE id = ?2",
                folder_id, new_parent_id, NULL) != 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("A folder cannot be moved into itself."));
      return FALSE;
    }

  return exec_write (self, "UPDATE folder SET parent_id = nullif (?2, 0) WHERE id = ?1",
                     folder_id, new_parent_id, NULL, NULL, "move folder", error);
}

gboolean
rp_store_delete_folder (RpStore  *self,
                        gint64    folder_id,
                        GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  if (!check_user_folder (self, folder_id, error))
    return FALSE;

  return delete_with_index (self,
                            "WITH RECURSIVE below (id) AS (SELECT ?1 UNION ALL"
                            " SELECT f.id FROM folder f JOIN below b ON f.parent_id = b.id)"
                            " DELETE FROM message_fts WHERE rowid IN"
                            " (SELECT m.id FROM message m WHERE m.folder_id IN below)",
                            "DELETE FROM folder WHERE id = ?1",
                            folder_id, "delete folder", error);
}
