/* rp-account-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-account-store.h"
#include "rp-error.h"
#include "rp-store-private.h"

#define ACCOUNT_COLUMNS \
  "id, name, email, display_name, pop_host, pop_port, pop_security, pop_user, pop_auth," \
  " smtp_host, smtp_port, smtp_security, smtp_user, retention, retention_days, recent_mode," \
  " pinned_certificate, ca_file, poll_minutes, batch_size, enabled, disabled_reason," \
  " auth_failures, connection_failures, last_error, last_error_code, ifnull (last_fetch, 0)," \
  " retry_after, smtp_pinned_certificate"

#define IDENTITY_COLUMNS \
  "id, address, display_name, is_default, smtp_host, smtp_port, smtp_security, smtp_user," \
  " pinned_certificate, cc_self, bcc_self"

/* Auxiliary methods */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static RpAccount *
account_from_row (sqlite3_stmt *stmt)
{
  RpAccount *a = rp_account_new ((const char *) sqlite3_column_text (stmt, 1));
  int c = 0;

  a->id = sqlite3_column_int64 (stmt, c++);
  c++;
  g_free (a->email), a->email = column_dup (stmt, c++);
  g_free (a->display_name), a->display_name = column_dup (stmt, c++);
  g_free (a->pop_host), a->pop_host = column_dup (stmt, c++);
  a->pop_port = sqlite3_column_int (stmt, c++);
  a->pop_security = sqlite3_column_int (stmt, c++);
  g_free (a->pop_user), a->pop_user = column_dup (stmt, c++);
  a->pop_auth = sqlite3_column_int (stmt, c++);
  g_free (a->smtp_host), a->smtp_host = column_dup (stmt, c++);
  a->smtp_port = sqlite3_column_int (stmt, c++);
  a->smtp_security = sqlite3_column_int (stmt, c++);
  g_free (a->smtp_user), a->smtp_user = column_dup (stmt, c++);
  a->retention = sqlite3_column_int (stmt, c++);
  a->retention_days = sqlite3_column_int (stmt, c++);
  a->recent_mode = sqlite3_column_int (stmt, c++);
  a->pinned_certificate = column_dup (stmt, c++);
  a->ca_file = column_dup (stmt, c++);
  a->poll_minutes = sqlite3_column_int (stmt, c++);
  a->batch_size = sqlite3_column_int (stmt, c++);
  a->enabled = sqlite3_column_int (stmt, c++);
  a->disabled_reason = sqlite3_column_int (stmt, c++);
  a->auth_failures = sqlite3_column_int (stmt, c++);
  a->connection_failures = sqlite3_column_int (stmt, c++);
  a->last_error = column_dup (stmt, c++);
  a->last_error_code = column_dup (stmt, c++);
  a->last_fetch = sqlite3_column_int64 (stmt, c++);
  a->retry_after = sqlite3_column_int64 (stmt, c++);
  a->smtp_pinned_certificate = column_dup (stmt, c++);

  return a;
}

static gboolean
load_identities (sqlite3    *db,
                 RpAccount  *account,
                 GError    **error)
{
  g_auto(RpStmt) stmt = _rp_store_prepare (db,
    "SELECT " IDENTITY_COLUMNS " FROM identity WHERE account_id = ?1"
    " ORDER BY is_default DESC, id", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RpIdentity *identity = rp_identity_new ((const char *) sqlite3_column_text (stmt, 1));

      identity->id = sqlite3_column_int64 (stmt, 0);
      g_free (identity->display_name);
      identity->display_name = column_dup (stmt, 2);
      identity->is_default = sqlite3_column_int (stmt, 3);
      identity->smtp_host = column_dup (stmt, 4);
      identity->smtp_port = sqlite3_column_int (stmt, 5);
      identity->smtp_security = sqlite3_column_int (stmt, 6);
      g_free (identity->smtp_user);
      identity->smtp_user = column_dup (stmt, 7);
      identity->pinned_certificate = column_dup (stmt, 8);
      identity->cc_self = sqlite3_column_int (stmt, 9);
      identity->bcc_self = sqlite3_column_int (stmt, 10);
      g_ptr_array_add (account->identities, identity);
    }

  return TRUE;
}

static GPtrArray *
load_where (RpStore     *store,
            const char  *where,
            gint64       id,
            const char  *name,
            GError     **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_account_free);
  g_autofree char *sql = g_strdup_printf ("SELECT " ACCOUNT_COLUMNS " FROM account %s ORDER BY name",
                                          where);
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  gboolean ok;

  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);

    ok = stmt != NULL;
    if (ok)
      {
        if (name != NULL)
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
        else if (id != 0)
          sqlite3_bind_int64 (stmt, 1, id);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_ptr_array_add (accounts, account_from_row (stmt));
      }
    for (guint i = 0; ok && i < accounts->len; i++)
      ok = load_identities (conn->db, g_ptr_array_index (accounts, i), error);
  }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&accounts) : NULL;
}

static RpAccount *
load_one (RpStore     *store,
          const char  *where,
          gint64       id,
          const char  *name,
          GError     **error)
{
  g_autoptr(GPtrArray) accounts = load_where (store, where, id, name, error);

  if (accounts == NULL)
    return NULL;

  if (accounts->len == 0)
    {
      if (name != NULL)
        g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                     _("There is no account called “%s”."), name);
      else
        g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                     _("There is no account %lld."), (long long) id);
      return NULL;
    }

  return g_ptr_array_steal_index (accounts, 0);
}

/* Public API */

/**
 * rp_store_load_accounts:
 *
 * Returns: (transfer full) (element-type RpAccount): every account, by name
 */
GPtrArray *
rp_store_load_accounts (RpStore  *store,
                        GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return load_where (store, "", 0, NULL, error);
}

RpAccount *
rp_store_load_account (RpStore     *store,
                       const char  *name,
                       GError     **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return load_one (store, "WHERE name = ?1", 0, name, error);
}

RpAccount *
rp_store_load_account_by_id (RpStore  *store,
                             gint64    account_id,
                             GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return load_one (store, "WHERE id = ?1", account_id, NULL, error);
}

gboolean
rp_store_save_account (RpStore    *store,
                       RpAccount  *account,
                       GError    **error)
{
  RpStoreConn *conn;
  gboolean ok;
  gint64 id;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (account != NULL && account->name != NULL, FALSE);

  id = rp_store_ensure_account (store, account->name, error);
  if (id == 0)
    return FALSE;
  account->id = id;

  conn = _rp_store_writer_acquire (store);
  ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);
  if (ok)
    {
      g_auto(RpStmt) update = _rp_store_prepare (conn->db,
        "UPDATE account SET email = ?2, display_name = ?3, pop_host = ?4, pop_port = ?5,"
        " pop_security = ?6, pop_user = ?7, pop_auth = ?8, smtp_host = ?9, smtp_port = ?10,"
        " smtp_security = ?11, smtp_user = ?12, retention = ?13, retention_days = ?14,"
        " recent_mode = ?15, pinned_certificate = ?16, ca_file = ?17, poll_minutes = ?18,"
        " batch_size = ?19, enabled = ?20, disabled_reason = ?21, auth_failures = ?22,"
        " connection_failures = ?23, smtp_pinned_certificate = ?24 WHERE id = ?1", error);
      /* Identities are updated in place (matched by address), so that
       * their ids, which the Outbox refers to, stay stable. */
      g_auto(RpStmt) clear = _rp_store_prepare (conn->db,
        "UPDATE identity SET is_default = -1 WHERE account_id = ?1", error);
      g_auto(RpStmt) prune = _rp_store_prepare (conn->db,
        "DELETE FROM identity WHERE account_id = ?1 AND is_default = -1", error);
      g_auto(RpStmt) lookup = _rp_store_prepare (conn->db,
        "SELECT id FROM identity WHERE account_id = ?1 AND address = ?2", error);
      g_auto(RpStmt) insert = _rp_store_prepare (conn->db,
        "INSERT INTO identity (account_id, address, display_name, is_default, smtp_host,"
        " smtp_port, smtp_security, smtp_user, pinned_certificate, cc_self, bcc_self)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        " ON CONFLICT (account_id, address) DO UPDATE SET display_name = ?3, is_default = ?4,"
        " smtp_host = ?5, smtp_port = ?6, smtp_security = ?7, smtp_user = ?8,"
        " pinned_certificate = ?9, cc_self = ?10, bcc_self = ?11", error);

      ok = update != NULL && clear != NULL && prune != NULL && lookup != NULL && insert != NULL;
      if (ok)
        {
          int c = 1;

          sqlite3_bind_int64 (update, c++, id);
          sqlite3_bind_text (update, c++, account->email, -1, SQLITE_STATIC);
          sqlite3_bind_text (update, c++, account->display_name, -1, SQLITE_STATIC);
          sqlite3_bind_text (update, c++, account->pop_host, -1, SQLITE_STATIC);
          sqlite3_bind_int (update, c++, account->pop_port);
          sqlite3_bind_int (update, c++, account->pop_security);
          sqlite3_bind_text (update, c++, account->pop_user, -1, SQLITE_STATIC);
          sqlite3_bind_int (update, c++, account->pop_auth);
          sqlite3_bind_text (update, c++, account->smtp_host, -1, SQLITE_STATIC);
          sqlite3_bind_int (update, c++, account->smtp_port);
          sqlite3_bind_int (update, c++, account->smtp_security);
          sqlite3_bind_text (update, c++, account->smtp_user, -1, SQLITE_STATIC);
          sqlite3_bind_int (update, c++, account->retention);
          sqlite3_bind_int (update, c++, account->retention_days);
          sqlite3_bind_int (update, c++, account->recent_mode);
          sqlite3_bind_text (update, c++, account->pinned_certificate, -1, SQLITE_STATIC);
          sqlite3_bind_text (update, c++, account->ca_file, -1, SQLITE_STATIC);
          sqlite3_bind_int (update, c++, account->poll_minutes);
          sqlite3_bind_int (update, c++, account->batch_size);
          sqlite3_bind_int (update, c++, account->enabled);
          sqlite3_bind_int (update, c++, account->disabled_reason);
          sqlite3_bind_int (update, c++, account->auth_failures);
          sqlite3_bind_int (update, c++, account->connection_failures);
          sqlite3_bind_text (update, c++, account->smtp_pinned_certificate, -1, SQLITE_STATIC);
          ok = sqlite3_step (update) == SQLITE_DONE;

          sqlite3_bind_int64 (clear, 1, id);
          ok = ok && sqlite3_step (clear) == SQLITE_DONE;

          for (guint i = 0; ok && i < account->identities->len; i++)
            {
              RpIdentity *identity = g_ptr_array_index (account->identities, i);

              c = 1;
              sqlite3_reset (insert);
              sqlite3_bind_int64 (insert, c++, id);
              sqlite3_bind_text (insert, c++, identity->address, -1, SQLITE_STATIC);
              sqlite3_bind_text (insert, c++, identity->display_name ? identity->display_name : "",
                                 -1, SQLITE_STATIC);
              sqlite3_bind_int (insert, c++, identity->is_default);
              sqlite3_bind_text (insert, c++, identity->smtp_host, -1, SQLITE_STATIC);
              sqlite3_bind_int (insert, c++, identity->smtp_port);
              sqlite3_bind_int (insert, c++, identity->smtp_security);
              sqlite3_bind_text (insert, c++, identity->smtp_user ? identity->smtp_user : "", -1,
                                 SQLITE_STATIC);
              sqlite3_bind_text (insert, c++, identity->pinned_certificate, -1, SQLITE_STATIC);
              sqlite3_bind_int (insert, c++, identity->cc_self);
              sqlite3_bind_int (insert, c++, identity->bcc_self);
              ok = sqlite3_step (insert) == SQLITE_DONE;
              if (ok)
                {
                  sqlite3_reset (lookup);
                  sqlite3_bind_int64 (lookup, 1, id);
                  sqlite3_bind_text (lookup, 2, identity->address, -1, SQLITE_STATIC);
                  ok = sqlite3_step (lookup) == SQLITE_ROW;
                  if (ok)
                    identity->id = sqlite3_column_int64 (lookup, 0);
                }
            }
          if (ok)
            {
              sqlite3_bind_int64 (prune, 1, id);
              ok = sqlite3_step (prune) == SQLITE_DONE;
            }
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, "save account");
        }
      ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }
  _rp_store_writer_release (store, conn);

  if (ok)
    _rp_store_notify_changed (store, (gint64[]) { 0 }, 1);

  return ok;
}

/* Classifies an outcome for the failure policy. */
typedef enum
{
  OUTCOME_SUCCESS,
  OUTCOME_AUTH,
  OUTCOME_CONNECTION,
  OUTCOME_TEMPORARY,
  OUTCOME_OTHER,
} OutcomeKind;

static OutcomeKind
classify (const GError *outcome)
{
  if (outcome == NULL)
    return OUTCOME_SUCCESS;
  if (outcome->domain != RP_ERROR)
    return OUTCOME_OTHER;
  if (outcome->code == RP_ERROR_AUTH_FAILED)
    return OUTCOME_AUTH;
  if (outcome->code == RP_ERROR_CONNECTION_FAILED)
    return OUTCOME_CONNECTION;
  if (rp_error_is_temporary (outcome))
    return OUTCOME_TEMPORARY;
  return OUTCOME_OTHER;
}

gboolean
rp_store_record_fetch_outcome (RpStore       *store,
                               gint64         account_id,
                               const GError  *outcome,
                               GError       **error)
{
  OutcomeKind kind = classify (outcome);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *sql = NULL;
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  switch (kind)
    {
    case OUTCOME_SUCCESS:
      sql = "UPDATE account SET auth_failures = 0, connection_failures = 0, last_error = NULL,"
            " last_error_code = NULL, last_fetch = ?2, retry_after = 0, temporary_failures = 0"
            " WHERE id = ?1";
      break;
    case OUTCOME_AUTH:
      /* A wrong password is not a connection problem: only its own
       * counter grows. At the limit the account stops until the password
       * is changed, so that a locked-out mailbox is not hammered. */
      sql = "UPDATE account SET auth_failures = auth_failures + 1, connection_failures = 0,"
            " last_error = ?3, last_error_code = ?4,"
            " enabled = CASE WHEN auth_failures + 1 >= " G_STRINGIFY (RP_ACCOUNT_MAX_AUTH_FAILURES)
            " THEN 0 ELSE enabled END,"
            " disabled_reason = CASE WHEN auth_failures + 1 >= " G_STRINGIFY (RP_ACCOUNT_MAX_AUTH_FAILURES)
            " THEN 1 ELSE disabled_reason END WHERE id = ?1";
      break;
    case OUTCOME_CONNECTION:
      sql = "UPDATE account SET connection_failures = connection_failures + 1,"
            " last_error = ?3, last_error_code = ?4,"
            " enabled = CASE WHEN connection_failures + 1 >= " G_STRINGIFY (RP_ACCOUNT_MAX_CONNECTION_FAILURES)
            " THEN 0 ELSE enabled END,"
            " disabled_reason = CASE WHEN connection_failures + 1 >= " G_STRINGIFY (RP_ACCOUNT_MAX_CONNECTION_FAILURES)
            " THEN 2 ELSE disabled_reason END WHERE id = ?1";
      break;
    case OUTCOME_TEMPORARY:
      /* Back off: 1, 2, 4 … minutes, at most an hour; no counter grows. */
      sql = "UPDATE account SET last_error = ?3, last_error_code = ?4,"
            " temporary_failures = temporary_failures + 1,"
            " retry_after = ?2 + min (3600, 60 * (1 << min (6, temporary_failures)))"
            " WHERE id = ?1";
      break;
    case OUTCOME_OTHER:
    default:
      sql = "UPDATE account SET last_error = ?3, last_error_code = ?4 WHERE id = ?1";
      break;
    }

  conn = _rp_store_writer_acquire (store);
  /* Counters and times need not survive a power cut (messages do):
   * this commit skips the fsync, which is most of a poll that finds
   * nothing new. */
  _rp_store_exec (conn->db, "PRAGMA synchronous = NORMAL;", NULL);
  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, account_id);
        if (sqlite3_bind_parameter_count (stmt) >= 2)
          sqlite3_bind_int64 (stmt, 2, now);
        if (sqlite3_bind_parameter_count (stmt) >= 4)
          {
            sqlite3_bind_text (stmt, 3, outcome->message, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 4, outcome->domain == RP_ERROR
                                        ? rp_error_code_to_string (outcome->code) : "failed",
                               -1, SQLITE_STATIC);
          }
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        if (!ok)
          _rp_store_set_sqlite_error (error, conn->db, "record fetch");
      }
  }
  _rp_store_exec (conn->db, "PRAGMA synchronous = FULL;", NULL);
  _rp_store_writer_release (store, conn);

  if (ok)
    _rp_store_notify_changed (store, (gint64[]) { 0 }, 1);

  return ok;
}

gboolean
rp_store_enable_account (RpStore  *store,
                         gint64    account_id,
                         gboolean  enabled,
                         GError  **error)
{
  RpStoreConn *conn;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  conn = _rp_store_writer_acquire (store);
  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      enabled
        ? "UPDATE account SET enabled = 1, disabled_reason = 0, auth_failures = 0,"
          " connection_failures = 0, retry_after = 0 WHERE id = ?1"
        : "UPDATE account SET enabled = 0, disabled_reason = 3 WHERE id = ?1", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, account_id);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        if (!ok)
          _rp_store_set_sqlite_error (error, conn->db, "enable account");
      }
  }
  _rp_store_writer_release (store, conn);

  if (ok)
    _rp_store_notify_changed (store, (gint64[]) { 0 }, 1);

  return ok;
}
