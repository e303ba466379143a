/* rp-store-private.h: store internals shared by its files and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "rp-store.h"
#include "rp-store-change.h"

G_BEGIN_DECLS

/* The newest schema version this build knows (sql/version-NNN.sql). */
#define RP_STORE_SCHEMA_VERSION 5

typedef struct _RpStoreConn RpStoreConn;

struct _RpStoreConn
{
  sqlite3    *db;
  GHashTable *cached;  /* static SQL text → sqlite3_stmt, for hot paths */
};

/* Writes are serialised on one connection; reads take a connection from a
 * pool, so that a search in a worker never waits for a fetch's commit. */
RpStoreConn *_rp_store_writer_acquire   (RpStore      *self);
void         _rp_store_writer_release   (RpStore      *self,
                                         RpStoreConn  *conn);
RpStoreConn *_rp_store_reader_acquire   (RpStore      *self,
                                         GError      **error);
void         _rp_store_reader_release   (RpStore      *self,
                                         RpStoreConn  *conn);

gboolean     _rp_store_exec             (sqlite3      *db,
                                         const char   *sql,
                                         GError      **error);
sqlite3_stmt *_rp_store_prepare         (sqlite3      *db,
                                         const char   *sql,
                                         GError      **error);
/* A statement prepared once per connection and reset for reuse; @sql must
 * be a string constant (its address is the key). Owned by @conn. */
sqlite3_stmt *_rp_store_cached          (RpStoreConn  *conn,
                                         const char   *sql,
                                         GError      **error);
void         _rp_store_set_sqlite_error (GError      **error,
                                         sqlite3      *db,
                                         const char   *what);
/* The first column of the first row of @sql, on a reading connection,
 * with ?1 and ?2 bound to @a and @b and ?3 to @text (unless NULL); 0 when
 * there is no row or on error. */
gint64       _rp_store_query_id         (RpStore      *self,
                                         const char   *sql,
                                         gint64        a,
                                         gint64        b,
                                         const char   *text);
/* Queues a "changed" emission for these folders (0 = every folder) in the
 * store's main context. */
void         _rp_store_notify_changed   (RpStore      *self,
                                         const gint64 *folder_ids,
                                         guint         n);
void         _rp_store_notify_change    (RpStore       *self,
                                         RpStoreChange *change);
/* Queues the "crm-changed" emission (@what: RpCrmChange flags). */
void         _rp_store_notify_crm_changed (RpStore    *self,
                                           guint       what);
/* Runs inside the transaction of _rp_store_add_messages_full(), on the
 * writer's connection, after the messages were added; FALSE (with @error
 * set) rolls the whole batch back. */
typedef gboolean (*RpStoreInTransactionFunc) (sqlite3            *db,
                                              RpStoreNewMessage  *messages,
                                              guint               n,
                                              gpointer            user_data,
                                              GError            **error);
gboolean     _rp_store_add_messages_full (RpStore                  *self,
                                          gint64                    account_id,
                                          RpStoreNewMessage        *messages,
                                          guint                     n,
                                          RpStoreInTransactionFunc  func,
                                          gpointer                  user_data,
                                          GCancellable             *cancellable,
                                          GError                  **error);
/* Threading (rp-store-thread.c), inside the writer's transaction. */
gint64       _rp_store_thread_assign    (RpStoreConn            *conn,
                                         gint64                  message_row,
                                         const RpMessageSummary *summary,
                                         const char             *thread_subject,
                                         GError                **error);
char        *_rp_store_thread_subject   (const char   *subject) G_GNUC_WARN_UNUSED_RESULT;

/* g_auto(RpStmt) stmt = _rp_store_prepare (…): finalized at scope exit. */
typedef sqlite3_stmt *RpStmt;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (RpStmt, sqlite3_finalize, NULL)

G_END_DECLS
