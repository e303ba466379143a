/* rp-store.c: opening the store, migrations, connections, usage (accounts
 * and folders are in rp-store-folders.c)
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
#include "rp-crm-private.h"
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
    guint          crm_pending;  /* RpCrmChange flags */
    guint          source_id;
  } notify;
};

G_DEFINE_FINAL_TYPE (RpStore, rp_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  CRM_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


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
    case 4:
      return _rp_crm_post_upgrade (db, error);
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
  guint crm_changes;

  g_mutex_lock (&self->notify.lock);
  change = g_steal_pointer (&self->notify.pending);
  crm_changes = self->notify.crm_pending;
  self->notify.crm_pending = 0;
  self->notify.source_id = 0;
  g_mutex_unlock (&self->notify.lock);

  if (change != NULL)
    g_signal_emit (self, signals[CHANGED], 0, change);
  if (crm_changes != 0)
    g_signal_emit (self, signals[CRM_CHANGED], 0, crm_changes);

  return G_SOURCE_REMOVE;
}

/* One emission per main-loop iteration however many commits happen:
 * workers never emit signals themselves (STYLE.md habit 13). */
static void
ensure_notify_source_locked (RpStore *self)
{
  if (self->notify.source_id == 0)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emit_changed_idle, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[rapport] store changed");
      self->notify.source_id = g_source_attach (source, self->context);
    }
}

static void
queue_change (RpStore       *self,
              RpStoreChange *change)
{
  g_mutex_lock (&self->notify.lock);

  if (self->notify.pending == NULL)
    self->notify.pending = rp_store_change_new ();
  rp_store_change_merge (self->notify.pending, change);
  ensure_notify_source_locked (self);

  g_mutex_unlock (&self->notify.lock);
}

void
_rp_store_notify_crm_changed (RpStore *self,
                              guint    what)
{
  if (what == 0)
    return;

  g_mutex_lock (&self->notify.lock);
  self->notify.crm_pending |= what;
  ensure_notify_source_locked (self);
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

gint64
_rp_store_query_id (RpStore    *self,
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

  /**
   * RpStore::crm-changed:
   * @what: the #RpCrmChange flags of what changed
   *
   * Emitted in the opener's main context after commits that changed CRM
   * records, tasks, events, notes or message links, coalesced (see
   * rp-crm.h).
   */
  signals[CRM_CHANGED] = g_signal_new ("crm-changed",
                                       G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_UINT);
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

  return (guint64) _rp_store_query_id (self, "SELECT ifnull (sum (size), 0) + 0 * ?1 * ?2 FROM message",
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
