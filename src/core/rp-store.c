/* rp-store.c: opening the store, migrations, connections, accounts, folders
 *
 * Where the raw bytes live: in SQLite (table message_raw), not in one file
 * per message. The fetcher's contract is that a batch of messages is
 * durable, with its summary, search index rows and the POP3 UIDLs that say
 * "we have it", before any DELE goes to the server. In one SQLite
 * transaction all of that becomes durable together with the WAL's fsync at
 * commit: one or two fsyncs per batch of 500, and after kill -9 there is
 * never a file without its row or a row without its file. Files would need
 * an fsync each (or syncfs(), which flushes the whole file system), a
 * directory fsync, and an orphan sweep after every crash. SQLite serves
 * blobs of a few megabytes as fast as the file system does, and POP3
 * mailboxes rarely hold larger messages. The cost is a bigger database
 * file; Usage shows it to the user.
 *
 * Connections: one writer, serialised by a mutex, with synchronous=FULL so
 * that a returned commit has been fsynced; readers come from a pool and
 * never wait for the writer (WAL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rp-core-resources.h"
#include "rp-error.h"
#include "rp-paths.h"
#include "rp-store-change.h"
#include "rp-store-private.h"

#define READER_POOL_MAX 4

struct _RpStore
{
  GObject       parent_instance;

  char         *path;
  int           schema_version;
  GMainContext *context;         /* where "changed" is emitted */

  /* The single writing connection; held for a whole transaction. */
  GMutex        writer_lock;
  RpStoreConn  *writer;

  /* Idle reading connections. */
  GMutex        pool_lock;
  GPtrArray    *pool;

  /* Changes waiting to be announced in @context, coalesced. */
  struct {
    GMutex         lock;
    RpStoreChange *pending;
    guint          source_id;
  } notify;
};

G_DEFINE_FINAL_TYPE (RpStore, rp_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const role_names[] = {
  [RP_FOLDER_ROLE_NONE] = NULL,
  [RP_FOLDER_ROLE_INBOX] = "Inbox",
  [RP_FOLDER_ROLE_DRAFTS] = "Drafts",
  [RP_FOLDER_ROLE_OUTBOX] = "Outbox",
  [RP_FOLDER_ROLE_SENT] = "Sent",
  [RP_FOLDER_ROLE_TRASH] = "Trash",
  [RP_FOLDER_ROLE_JUNK] = "Junk",
};

/* Auxiliary methods */

void
_rp_store_set_sqlite_error (GError     **error,
                            sqlite3     *db,
                            const char  *what)
{
  int code = db != NULL ? sqlite3_extended_errcode (db) : SQLITE_ERROR;
  const char *message = db != NULL ? sqlite3_errmsg (db) : "no database";

  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                 _("The disk is full: %s failed. Free some space; nothing was lost."), what);
  else
    g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                 _("The mail database failed (%s): %s"), what, message);
}

gboolean
_rp_store_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The mail database failed: %s"), errmsg ? errmsg : "?");
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
_rp_store_prepare (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _rp_store_set_sqlite_error (error, db, "prepare");
      return NULL;
    }

  return stmt;
}

sqlite3_stmt *
_rp_store_cached (RpStoreConn  *conn,
                  const char   *sql,
                  GError      **error)
{
  sqlite3_stmt *stmt;

  if (conn->cached == NULL)
    conn->cached = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);

  stmt = g_hash_table_lookup (conn->cached, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _rp_store_set_sqlite_error (error, conn->db, "prepare");
      return NULL;
    }
  g_hash_table_insert (conn->cached, (gpointer) sql, stmt);

  return stmt;
}

static void
rp_store_conn_free (RpStoreConn *conn)
{
  if (conn == NULL)
    return;

  g_clear_pointer (&conn->cached, g_hash_table_unref);
  sqlite3_close_v2 (conn->db);
  g_free (conn);
}

/* Every connection is prepared the same way (STYLE.md habit 17). */
static RpStoreConn *
rp_store_prepare_connection (const char  *path,
                             gboolean     writer,
                             GError     **error)
{
  RpStoreConn *conn = g_new0 (RpStoreConn, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

  if (sqlite3_open_v2 (path, &conn->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("Could not open the mail database “%s”: %s"),
                   path, conn->db ? sqlite3_errmsg (conn->db) : g_strerror (ENOMEM));
      rp_store_conn_free (conn);
      return NULL;
    }

  sqlite3_extended_result_codes (conn->db, TRUE);
  sqlite3_busy_timeout (conn->db, 30000);

  if (!_rp_store_exec (conn->db,
                       "PRAGMA journal_mode = WAL;"
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -16000;", error) ||
      /* The writer fsyncs the WAL at every commit: a returned commit is
       * durable, which is what lets the fetcher send DELE. Readers write
       * nothing. */
      !_rp_store_exec (conn->db, writer ? "PRAGMA synchronous = FULL;"
                                        : "PRAGMA synchronous = NORMAL;", error) ||
      /* The writer's cache holds the search index's hot pages during a big
       * download, and checkpoints come every 32 MB of log instead of 4. */
      (writer && !_rp_store_exec (conn->db, "PRAGMA cache_size = -65536;"
                                            "PRAGMA wal_autocheckpoint = 8192;", error)))
    {
      rp_store_conn_free (conn);
      return NULL;
    }

  return conn;
}

static int
get_user_version (sqlite3 *db)
{
  g_auto(RpStmt) stmt = _rp_store_prepare (db, "PRAGMA user_version", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0);

  return -1;
}

/* Data migrations that SQL alone cannot do run here, inside the same
 * transaction as their script. */
static gboolean
run_post_upgrade (sqlite3  *db,
                  int       version,
                  GError  **error)
{
  switch (version)
    {
    case 1:
      return TRUE;
    default:
      return TRUE;
    }
}

static gboolean
migrate (sqlite3  *db,
         int      *version_out,
         GError  **error)
{
  int version = get_user_version (db);

  if (version < 0)
    {
      _rp_store_set_sqlite_error (error, db, "PRAGMA user_version");
      return FALSE;
    }

  if (version > RP_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The mail database was written by a newer version of Rapport "
                     "(schema %d; this version knows up to %d). Update Rapport to open it."),
                   version, RP_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int next = version + 1; next <= RP_STORE_SCHEMA_VERSION; next++)
    {
      g_autofree char *path = g_strdup_printf ("/org/rapportmail/Rapport/core/sql/version-%03d.sql",
                                               next);
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", next);
      g_autoptr(GBytes) script = NULL;
      g_autofree char *sql = NULL;

      script = g_resource_lookup_data (rp_core_get_resource (), path,
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (script == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (script, NULL), g_bytes_get_size (script));

      g_debug ("Migrating the store to schema version %d", next);

      if (!_rp_store_exec (db, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!_rp_store_exec (db, sql, error) ||
          !run_post_upgrade (db, next, error) ||
          !_rp_store_exec (db, bump, error) ||
          !_rp_store_exec (db, "COMMIT;", error))
        {
          _rp_store_exec (db, "ROLLBACK;", NULL);
          g_prefix_error (error, _("Upgrading the mail database to version %d failed: "), next);
          return FALSE;
        }
      version = next;
    }

  *version_out = version;
  return TRUE;
}

static gboolean
emit_changed_idle (gpointer user_data)
{
  RpStore *self = RP_STORE (user_data);
  g_autoptr(RpStoreChange) change = NULL;

  g_mutex_lock (&self->notify.lock);
  change = g_steal_pointer (&self->notify.pending);
  self->notify.source_id = 0;
  g_mutex_unlock (&self->notify.lock);

  if (change != NULL)
    g_signal_emit (self, signals[CHANGED], 0, change);

  return G_SOURCE_REMOVE;
}

static void
queue_change (RpStore       *self,
              RpStoreChange *change)
{
  g_mutex_lock (&self->notify.lock);

  if (self->notify.pending == NULL)
    self->notify.pending = rp_store_change_new ();
  rp_store_change_merge (self->notify.pending, change);

  /* One emission per main-loop iteration however many commits happen:
   * workers never emit signals themselves (STYLE.md habit 13). */
  if (self->notify.source_id == 0)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emit_changed_idle, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[rapport] store changed");
      self->notify.source_id = g_source_attach (source, self->context);
    }

  g_mutex_unlock (&self->notify.lock);
}

void
_rp_store_notify_changed (RpStore      *self,
                          const gint64 *folder_ids,
                          guint         n)
{
  g_autoptr(RpStoreChange) change = rp_store_change_new ();

  for (guint i = 0; i < n; i++)
    rp_store_change_add_folder (change, folder_ids[i]);

  queue_change (self, change);
}

void
_rp_store_notify_change (RpStore       *self,
                         RpStoreChange *change)
{
  queue_change (self, change);
}

/* Connections */

RpStoreConn *
_rp_store_writer_acquire (RpStore *self)
{
  g_mutex_lock (&self->writer_lock);
  return self->writer;
}

void
_rp_store_writer_release (RpStore     *self,
                          RpStoreConn *conn)
{
  g_assert (conn == self->writer);
  g_mutex_unlock (&self->writer_lock);
}

RpStoreConn *
_rp_store_reader_acquire (RpStore  *self,
                          GError  **error)
{
  RpStoreConn *conn = NULL;

  g_mutex_lock (&self->pool_lock);
  if (self->pool->len > 0)
    conn = g_ptr_array_steal_index_fast (self->pool, self->pool->len - 1);
  g_mutex_unlock (&self->pool_lock);

  if (conn == NULL)
    conn = rp_store_prepare_connection (self->path, FALSE, error);

  return conn;
}

void
_rp_store_reader_release (RpStore     *self,
                          RpStoreConn *conn)
{
  if (conn == NULL)
    return;

  g_mutex_lock (&self->pool_lock);
  if (self->pool->len < READER_POOL_MAX)
    {
      g_ptr_array_add (self->pool, conn);
      conn = NULL;
    }
  g_mutex_unlock (&self->pool_lock);

  rp_store_conn_free (conn);
}

/* GObject overrides */

static void
rp_store_finalize (GObject *object)
{
  RpStore *self = RP_STORE (object);

  if (self->notify.source_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context,
                                                          self->notify.source_id);
      if (source != NULL)
        g_source_destroy (source);
    }
  g_clear_pointer (&self->notify.pending, rp_store_change_unref);
  g_mutex_clear (&self->notify.lock);

  g_clear_pointer (&self->pool, g_ptr_array_unref);
  g_mutex_clear (&self->pool_lock);
  g_clear_pointer (&self->writer, rp_store_conn_free);
  g_mutex_clear (&self->writer_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (rp_store_parent_class)->finalize (object);
}

static void
rp_store_class_init (RpStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rp_store_finalize;

  /**
   * RpStore::changed:
   * @change: the folders and messages that changed
   *
   * Emitted in the opener's main context after commits, coalesced.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1,
                                   RP_TYPE_STORE_CHANGE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rp_store_init (RpStore *self)
{
  g_mutex_init (&self->writer_lock);
  g_mutex_init (&self->pool_lock);
  g_mutex_init (&self->notify.lock);
  self->pool = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_store_conn_free);
}

/* Public API */

/**
 * rp_store_open_sync:
 * @path: (nullable): the database file, or %NULL for the default location
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the store, creating it or migrating it to the current schema.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
RpStore *
rp_store_open_sync (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(RpStore) self = NULL;
  g_autofree char *default_path = NULL;

  if (path == NULL)
    {
      g_autofree char *dir = NULL;

      if (!rp_paths_ensure (error))
        return NULL;
      dir = rp_paths_get_data_dir ();
      path = default_path = g_build_filename (dir, "rapport.db", NULL);
    }

  self = g_object_new (RP_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();

  self->writer = rp_store_prepare_connection (path, TRUE, error);
  if (self->writer == NULL)
    return NULL;

  if (!migrate (self->writer->db, &self->schema_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
rp_store_get_path (RpStore *self)
{
  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  return self->path;
}

int
rp_store_get_schema_version (RpStore *self)
{
  g_return_val_if_fail (RP_IS_STORE (self), -1);

  return self->schema_version;
}

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

static gint64
query_id (RpStore    *self,
          const char *sql,
          gint64      a,
          gint64      b,
          const char *text)
{
  RpStoreConn *conn = _rp_store_reader_acquire (self, NULL);
  gint64 id = 0;

  if (conn == NULL)
    return 0;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, NULL);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, a);
        sqlite3_bind_int64 (stmt, 2, b);
        if (text != NULL)
          sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          id = sqlite3_column_int64 (stmt, 0);
      }
  }

  _rp_store_reader_release (self, conn);
  return id;
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

  return query_id (self, "SELECT id FROM folder WHERE account_id = ?1 AND role = ?2",
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
          return query_id (self, "SELECT id FROM folder WHERE role = ?2 ORDER BY account_id "
                                 "LIMIT 1 OFFSET ?1", 0, role, NULL);
        }
    }

  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      parent = query_id (self,
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
      query_id (self,
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

/* Usage */

void
rp_store_usage_free (RpStoreUsage *usage)
{
  if (usage == NULL)
    return;

  g_free (usage->account_name);
  g_free (usage);
}

/**
 * rp_store_get_usage:
 *
 * Returns: (transfer full) (element-type RpStoreUsage): messages and bytes
 *   per account
 */
GPtrArray *
rp_store_get_usage (RpStore  *self,
                    GError  **error)
{
  g_autoptr(GPtrArray) usage = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_store_usage_free);
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "SELECT a.id, a.name, count (m.id), ifnull (sum (m.size), 0)"
      " FROM account a LEFT JOIN message m ON m.account_id = a.id"
      " GROUP BY a.id ORDER BY a.name", error);

    ok = stmt != NULL;
    while (ok && sqlite3_step (stmt) == SQLITE_ROW)
      {
        RpStoreUsage *u = g_new0 (RpStoreUsage, 1);

        u->account_id = sqlite3_column_int64 (stmt, 0);
        u->account_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        u->messages = sqlite3_column_int (stmt, 2);
        u->bytes = sqlite3_column_int64 (stmt, 3);
        g_ptr_array_add (usage, u);
      }
  }

  _rp_store_reader_release (self, conn);
  return ok ? g_steal_pointer (&usage) : NULL;
}

/**
 * rp_store_get_total_bytes:
 *
 * Returns: the bytes of all stored messages
 */
guint64
rp_store_get_total_bytes (RpStore *self)
{
  g_return_val_if_fail (RP_IS_STORE (self), 0);

  return (guint64) query_id (self, "SELECT ifnull (sum (size), 0) + 0 * ?1 * ?2 FROM message",
                             0, 0, NULL);
}

/**
 * rp_store_is_near_quota:
 * @quota: the user's quota in bytes (%RP_STORE_DEFAULT_QUOTA by default)
 *
 * Returns: %TRUE when the store uses 90 % of @quota or more
 */
gboolean
rp_store_is_near_quota (RpStore *self,
                        guint64  quota)
{
  g_return_val_if_fail (RP_IS_STORE (self), FALSE);

  return quota > 0 && rp_store_get_total_bytes (self) >= quota / 10 * 9;
}
