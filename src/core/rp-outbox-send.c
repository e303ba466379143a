/* rp-outbox-send.c: sending the Outbox over SMTP, each message once
 *
 * Exactly once. A message must never reach its recipients twice, and SMTP
 * cannot tell us for sure whether a message whose connection broke at the
 * end was taken. So a flush works in three committed steps:
 *
 *  1. claim: the row goes from queued (or temporary failure) to SENDING
 *     in one UPDATE that checks the old state, so that two flushes (the
 *     app and rapport-cli) never send the same message;
 *  2. send over SMTP;
 *  3. on success, the move to Sent and the removal of the row in one
 *     transaction; on a refusal, the state and the server's reason.
 *
 * A crash between 2 and 3 leaves the row in SENDING. Such a row is never
 * sent again by itself: once it is older than RP_OUTBOX_SENDING_STALE, the
 * next flush marks it POSSIBLY_SENT and the user decides (rp_outbox_retry()
 * to send again, rp_outbox_mark_sent() if it did arrive). A broken
 * connection during the transaction is treated the same way when the whole
 * message had already been written: the server may have queued it before
 * its reply was lost. The price of "at most once" is that such a message
 * needs the user's word; the alternative, a duplicate, cannot be undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-outbox"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-account-store.h"
#include "rp-error.h"
#include "rp-macros.h"
#include "rp-outbox.h"
#include "rp-smtp.h"
#include "rp-store-private.h"

/* Seconds each SMTP read or write may take. */
#define SMTP_TIMEOUT 60

typedef struct
{
  gint64  message_id;
  gint64  account_id;
  gint64  identity_id;
  char   *envelope_from;
  GStrv   recipients;
  guint   attempts;
  char   *from_address;    /* the From header's, to find the identity again */
} Job;

/* Where and as whom a message goes out. */
typedef struct
{
  char       *key;            /* host, port, security and user: one connection each */
  char       *host;
  guint16     port;
  RpSecurity  security;
  char       *user;
  char       *secret_key;     /* for RpSecrets, service "smtp" */
  char       *ca_file;
  char       *pinned;
} Server;

typedef struct
{
  RpStore            *store;
  RpSecrets          *secrets;
  GCancellable       *cancellable;
  RpOutboxFlushStats *stats;
  GHashTable         *accounts;        /* account id → RpAccount */
  GHashTable         *server_errors;   /* Server.key → GError, connection or login failures */
  RpSmtp             *smtp;            /* the open connection, or NULL */
  char               *smtp_key;
  GError             *first_error;
} Flush;

typedef struct
{
  RpSecrets          *secrets;
  gint64              message_id;
  RpOutboxFlushFlags  flags;
  RpOutboxFlushStats  stats;
} FlushTaskData;

/* Auxiliary methods */

static void
job_free (Job *job)
{
  g_free (job->envelope_from);
  g_strfreev (job->recipients);
  g_free (job->from_address);
  g_free (job);
}

static void
server_clear (Server *server)
{
  g_free (server->key);
  g_free (server->host);
  g_free (server->user);
  g_free (server->secret_key);
  g_free (server->ca_file);
  g_free (server->pinned);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
backoff_seconds (guint attempts)
{
  gint64 delay = RP_OUTBOX_FIRST_BACKOFF;

  for (guint i = 1; i < attempts && delay < RP_OUTBOX_MAX_BACKOFF; i++)
    delay *= 2;

  return MIN (delay, RP_OUTBOX_MAX_BACKOFF);
}

/* Runs one statement that changes the outbox row of @message_id (?1),
 * with an optional number (?2) and text (?3), outside any other
 * transaction. The statements spell states as numbers: 0 queued,
 * 1 temporary failure, 2 permanent failure, 3 sending, 4 possibly sent
 * (RpOutboxState). Returns the number of rows changed, -1 on error. */
static int
update_row (RpStore     *store,
            const char  *sql,
            gint64       message_id,
            gint64       number,
            const char  *text,
            GError     **error)
{
  RpStoreConn *conn = _rp_store_writer_acquire (store);
  int changed = -1;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, message_id);
        if (sqlite3_bind_parameter_count (stmt) >= 2)
          sqlite3_bind_int64 (stmt, 2, number);
        if (sqlite3_bind_parameter_count (stmt) >= 3)
          sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_DONE)
          changed = sqlite3_changes (conn->db);
        else
          _rp_store_set_sqlite_error (error, conn->db, "update the Outbox");
      }
  }

  _rp_store_writer_release (store, conn);
  return changed;
}

/* Rows left in SENDING by a flush that died become POSSIBLY_SENT. */
static gboolean
mark_stale_sending (RpStore  *store,
                    GError  **error)
{
  const char *reason = _("Sending was interrupted after the server may have accepted the "
                         "message. Check with a recipient before sending it again.");
  RpStoreConn *conn = _rp_store_writer_acquire (store);
  gboolean ok;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "UPDATE outbox SET state = ?1, last_error = ?2 WHERE state = ?3 AND next_attempt < ?4",
      error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int (stmt, 1, RP_OUTBOX_STATE_POSSIBLY_SENT);
        sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
        sqlite3_bind_int (stmt, 3, RP_OUTBOX_STATE_SENDING);
        sqlite3_bind_int64 (stmt, 4, now_seconds () - RP_OUTBOX_SENDING_STALE);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        if (!ok)
          _rp_store_set_sqlite_error (error, conn->db, "check the Outbox");
        else if (sqlite3_changes (conn->db) > 0)
          g_debug ("%d Outbox messages were left half-sent by an earlier run",
                   sqlite3_changes (conn->db));
      }
  }

  _rp_store_writer_release (store, conn);
  return ok;
}

static GPtrArray *
select_jobs (RpStore             *store,
             gint64               message_id,
             RpOutboxFlushFlags   flags,
             GError             **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  gboolean ok;

  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "SELECT o.message_id, m.account_id, ifnull (o.identity_id, 0), o.envelope_from,"
      " o.recipients, o.attempts, m.from_address"
      " FROM outbox o JOIN message m ON m.id = o.message_id"
      " WHERE o.state IN (?1, ?2) AND (?3 OR o.next_attempt <= ?4)"
      " AND (?5 = 0 OR o.message_id = ?5)"
      " ORDER BY m.account_id, o.queued, o.message_id", error);
    int rc = SQLITE_DONE;

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int (stmt, 1, RP_OUTBOX_STATE_QUEUED);
        sqlite3_bind_int (stmt, 2, RP_OUTBOX_STATE_TEMPORARY_FAILURE);
        sqlite3_bind_int (stmt, 3, (flags & RP_OUTBOX_FLUSH_NOW) != 0);
        sqlite3_bind_int64 (stmt, 4, now_seconds ());
        sqlite3_bind_int64 (stmt, 5, message_id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            Job *job = g_new0 (Job, 1);

            job->message_id = sqlite3_column_int64 (stmt, 0);
            job->account_id = sqlite3_column_int64 (stmt, 1);
            job->identity_id = sqlite3_column_int64 (stmt, 2);
            job->envelope_from = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
            job->recipients = g_strsplit ((const char *) sqlite3_column_text (stmt, 4), "\n", -1);
            job->attempts = sqlite3_column_int (stmt, 5);
            job->from_address = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
            g_ptr_array_add (jobs, job);
          }
        if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "read the Outbox");
            ok = FALSE;
          }
      }
  }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&jobs) : NULL;
}

static RpAccount *
flush_get_account (Flush   *flush,
                   gint64   account_id,
                   GError **error)
{
  RpAccount *account = g_hash_table_lookup (flush->accounts, &account_id);

  if (account == NULL)
    {
      account = rp_store_load_account_by_id (flush->store, account_id, error);
      if (account != NULL)
        g_hash_table_insert (flush->accounts, g_memdup2 (&account_id, sizeof account_id), account);
    }

  return account;
}

/* The identity a message was queued with. Saving an account writes its
 * identities anew (the outbox row's identity_id then becomes NULL), so the
 * From address finds it too. */
static const RpIdentity *
find_job_identity (const RpAccount *account,
                   const Job       *job)
{
  for (guint i = 0; job->identity_id != 0 && i < account->identities->len; i++)
    {
      const RpIdentity *identity = g_ptr_array_index (account->identities, i);

      if (identity->id == job->identity_id)
        return identity;
    }

  return job->from_address ? rp_account_find_identity (account, job->from_address) : NULL;
}

/* The identity's own server if it has one, else the account's. */
static void
server_init (Server           *server,
             const RpAccount  *account,
             const RpIdentity *identity)
{
  gboolean own = identity != NULL && identity->smtp_host != NULL && *identity->smtp_host != '\0';
  const char *user;

  if (own)
    {
      server->host = g_strdup (identity->smtp_host);
      server->port = identity->smtp_port;
      server->security = identity->smtp_security;
      user = *identity->smtp_user ? identity->smtp_user : identity->address;
      server->pinned = g_strdup (identity->pinned_certificate);
    }
  else
    {
      server->host = g_strdup (account->smtp_host);
      server->port = account->smtp_port;
      server->security = account->smtp_security;
      /* The CLI documents the POP3 user as the default SMTP user. */
      user = *account->smtp_user ? account->smtp_user
           : *account->pop_user ? account->pop_user : account->email;
      /* The SMTP server's own pin, or for an account from before there
       * was one, the POP3 pin when both servers are the same host. */
      server->pinned = g_strdup (rp_account_get_smtp_pin (account));
    }

  server->user = g_strdup (user);
  server->ca_file = g_strdup (account->ca_file);
  server->secret_key = rp_account_dup_secret_key (account, own ? identity : NULL);
  server->key = g_strdup_printf ("%s\n%u\n%d\n%s", server->host, server->port,
                                 server->security, server->user);
}

static void
flush_close (Flush *flush)
{
  if (flush->smtp != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!rp_smtp_quit_sync (flush->smtp, flush->cancellable, &error))
        g_debug ("QUIT failed: %s", error->message);
    }
  g_clear_object (&flush->smtp);
  g_clear_pointer (&flush->smtp_key, g_free);
}

/* A connected, logged in client for @server, reusing the open one. */
static RpSmtp *
flush_connect (Flush         *flush,
               const Server  *server,
               GError       **error)
{
  g_autoptr(RpSmtp) smtp = NULL;
  g_autofree char *password = NULL;
  GError *earlier;

  if (flush->smtp != NULL && g_strcmp0 (flush->smtp_key, server->key) == 0 &&
      rp_transport_is_connected (rp_smtp_get_transport (flush->smtp)))
    return flush->smtp;

  /* A server that failed once in this flush fails the same way for the
   * next message; trying again would only hammer it. */
  earlier = g_hash_table_lookup (flush->server_errors, server->key);
  if (earlier != NULL)
    {
      g_propagate_error (error, g_error_copy (earlier));
      return NULL;
    }

  flush_close (flush);

  if (server->host == NULL || *server->host == '\0')
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("No SMTP server is set up for this address."));
      goto failed;
    }

  smtp = rp_smtp_new (server->host, server->port, server->security);
  rp_smtp_set_timeout (smtp, SMTP_TIMEOUT);
  if (server->ca_file != NULL && *server->ca_file != '\0')
    rp_smtp_set_ca_file (smtp, server->ca_file);
  if (server->pinned != NULL && *server->pinned != '\0')
    rp_smtp_set_pinned_fingerprint (smtp, server->pinned);

  password = rp_secrets_lookup_sync (flush->secrets, "smtp", server->secret_key,
                                     flush->cancellable, error);
  if (password == NULL && error != NULL && *error != NULL)
    goto failed;

  if (!rp_smtp_connect_sync (smtp, flush->cancellable, error))
    goto failed;
  /* Without a stored password the server is taken to need none (a relay
   * that trusts this machine); a server that does refuses MAIL FROM. */
  if (password != NULL &&
      !rp_smtp_login_sync (smtp, server->user, password, RP_SMTP_AUTH_AUTO,
                           flush->cancellable, error))
    goto failed;

  flush->smtp = g_steal_pointer (&smtp);
  flush->smtp_key = g_strdup (server->key);
  return flush->smtp;

failed:
  if (error != NULL && *error != NULL &&
      !g_error_matches (*error, RP_ERROR, RP_ERROR_CANCELLED))
    g_hash_table_insert (flush->server_errors, g_strdup (server->key), g_error_copy (*error));
  return NULL;
}

static void
flush_record_error (Flush        *flush,
                    const GError *error)
{
  flush->stats->failed++;
  if (flush->first_error == NULL)
    flush->first_error = g_error_copy (error);
}

/* Whether the server has refused this message for good. Connection,
 * login and certificate problems are the account's, not the message's:
 * the message waits until they are fixed. */
static gboolean
is_permanent_refusal (const GError *error)
{
  if (error->domain != RP_ERROR)
    return FALSE;

  switch (error->code)
    {
    case RP_ERROR_SERVER_PERMANENT:
    case RP_ERROR_RECIPIENT_REFUSED:
    case RP_ERROR_MESSAGE_TOO_LARGE:
    case RP_ERROR_INVALID_ARGUMENT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether @error is the server's answer (4xx, 5xx) or a check made before
 * sending: then the server certainly does not have the message. Anything
 * else (a timeout, a dropped connection, a garbled reply) leaves it open. */
static gboolean
is_definite_answer (const GError *error)
{
  return is_permanent_refusal (error) ||
         g_error_matches (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);
}

/* Records a failure that happened before the message was claimed: the
 * message was certainly not sent. */
static void
fail_unclaimed (Flush        *flush,
                const Job    *job,
                const GError *error)
{
  g_autoptr(GError) local_error = NULL;
  guint attempts = job->attempts + 1;

  if (!g_error_matches (error, RP_ERROR, RP_ERROR_CANCELLED) &&
      update_row (flush->store,
                  "UPDATE outbox SET state = 1, attempts = attempts + 1, next_attempt = ?2,"
                  " last_error = ?3 WHERE message_id = ?1 AND state IN (0, 1)",
                  job->message_id, now_seconds () + backoff_seconds (attempts), error->message,
                  &local_error) < 0)
    g_warning ("Cannot record the failure of message %" G_GINT64_FORMAT ": %s",
               job->message_id, local_error->message);

  flush_record_error (flush, error);
}

/* After the server accepted the message: into Sent, flagged seen, and the
 * row gone (or kept as the record of refused recipients), in one commit. */
static gboolean
finish_sent (RpStore     *store,
             gint64       message_id,
             const char  *refusals,
             GError     **error)
{
  g_autoptr(RpStoreChange) change = rp_store_change_new ();
  RpStoreConn *conn = _rp_store_writer_acquire (store);
  gint64 account_id = 0;
  gint64 folder_id = 0;
  gint64 sent_id = 0;
  gboolean ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);

  if (ok)
    {
      g_auto(RpStmt) where = _rp_store_prepare (conn->db,
        "SELECT m.account_id, m.folder_id, f.id FROM message m"
        " JOIN folder f ON f.account_id = m.account_id AND f.role = ?2 WHERE m.id = ?1", error);
      g_auto(RpStmt) move = _rp_store_prepare (conn->db,
        "UPDATE message SET folder_id = ?2, flags = flags | ?3 WHERE id = ?1", error);
      g_auto(RpStmt) row = _rp_store_prepare (conn->db,
        refusals == NULL ? "DELETE FROM outbox WHERE message_id = ?1"
                         : "UPDATE outbox SET state = ?2, last_error = ?3, next_attempt = 0"
                           " WHERE message_id = ?1", error);

      ok = where != NULL && move != NULL && row != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (where, 1, message_id);
          sqlite3_bind_int (where, 2, RP_FOLDER_ROLE_SENT);
          if (sqlite3_step (where) == SQLITE_ROW)
            {
              account_id = sqlite3_column_int64 (where, 0);
              folder_id = sqlite3_column_int64 (where, 1);
              sent_id = sqlite3_column_int64 (where, 2);
            }
          ok = sent_id != 0;
          if (!ok)
            g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                         _("The message was sent, but its account has no Sent folder to keep "
                           "it in."));
        }
      if (ok)
        {
          sqlite3_bind_int64 (move, 1, message_id);
          sqlite3_bind_int64 (move, 2, sent_id);
          sqlite3_bind_int (move, 3, RP_MESSAGE_FLAG_SEEN);
          sqlite3_bind_int64 (row, 1, message_id);
          if (refusals != NULL)
            {
              sqlite3_bind_int (row, 2, RP_OUTBOX_STATE_PARTIALLY_SENT);
              sqlite3_bind_text (row, 3, refusals, -1, SQLITE_STATIC);
            }
          ok = sqlite3_step (move) == SQLITE_DONE && sqlite3_step (row) == SQLITE_DONE;
          if (!ok)
            _rp_store_set_sqlite_error (error, conn->db, "move the message to Sent");
        }
      ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }

  _rp_store_writer_release (store, conn);

  if (ok)
    {
      rp_store_change_add_folder (change, folder_id);
      rp_store_change_add_folder (change, sent_id);
      rp_store_change_add_message (change, message_id);
      _rp_store_notify_change (store, change);
      g_debug ("Message %" G_GINT64_FORMAT " of account %" G_GINT64_FORMAT " is in Sent",
               message_id, account_id);
    }

  return ok;
}

static char *
describe_refusals (RpSmtpSendResult *result)
{
  g_autoptr(GString) details = g_string_new (NULL);

  for (guint i = 0; i < rp_smtp_send_result_get_n_recipients (result); i++)
    {
      const RpSmtpRecipientStatus *status = rp_smtp_send_result_get_recipient (result, i);

      if (status->accepted)
        continue;
      g_string_append_printf (details, "\n%s: %u%s%s %s", status->address, status->code,
                              status->enhanced_code ? " " : "",
                              status->enhanced_code ? status->enhanced_code : "",
                              status->text ? status->text : "");
    }

  return g_strdup_printf (_("Sent, but the server refused some recipients:%s"), details->str);
}

static void
send_job (Flush     *flush,
          const Job *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_auto(Server) server = { 0, };
  RpAccount *account;
  RpSmtp *smtp;
  guint64 written_before;
  guint attempts = job->attempts + 1;
  int claimed;

  flush->stats->attempted++;

  account = flush_get_account (flush, job->account_id, &error);
  raw = account ? rp_store_get_raw (flush->store, job->message_id, &error) : NULL;
  if (raw == NULL)
    {
      fail_unclaimed (flush, job, error);
      return;
    }

  server_init (&server, account, find_job_identity (account, job));
  smtp = flush_connect (flush, &server, &error);
  if (smtp == NULL)
    {
      fail_unclaimed (flush, job, error);
      return;
    }

  /* Claim it: from here on, nobody else sends it. */
  claimed = update_row (flush->store,
                        "UPDATE outbox SET state = 3, attempts = attempts + 1, next_attempt = ?2"
                        " WHERE message_id = ?1 AND state IN (0, 1)",
                        job->message_id, now_seconds (), NULL, &error);
  if (claimed < 0)
    {
      flush_record_error (flush, error);
      return;
    }
  if (claimed == 0)
    {
      g_debug ("Message %" G_GINT64_FORMAT " is being sent by someone else", job->message_id);
      flush->stats->attempted--;
      return;
    }

  written_before = rp_transport_get_bytes_written (rp_smtp_get_transport (smtp));
  if (rp_smtp_send_sync (smtp, job->envelope_from, (const char * const *) job->recipients, raw,
                         &result, flush->cancellable, &error))
    {
      g_autofree char *refusals = NULL;

      if (rp_smtp_send_result_get_n_refused (result) > 0)
        refusals = describe_refusals (result);

      /* If this fails the row stays in SENDING and later becomes
       * POSSIBLY_SENT: never a second copy. */
      if (!finish_sent (flush->store, job->message_id, refusals, &local_error))
        {
          g_warning ("Message %" G_GINT64_FORMAT " was sent but not moved to Sent: %s",
                     job->message_id, local_error->message);
          flush_record_error (flush, local_error);
          return;
        }
      flush->stats->sent++;
      if (refusals != NULL)
        flush->stats->partially_sent++;
      return;
    }

  if (!is_definite_answer (error) &&
      rp_transport_get_bytes_written (rp_smtp_get_transport (smtp)) - written_before >=
      g_bytes_get_size (raw))
    {
      /* At least as many bytes as the message has were written (so,
       * perhaps, the final dot) before the connection failed without an
       * answer: the server may have the message. Fewer, and it cannot. */
      g_autofree char *reason = g_strdup_printf (_("The connection failed at the end of sending; "
                                                   "the server may have accepted the message. "
                                                   "%s"), error->message);

      update_row (flush->store, "UPDATE outbox SET state = 4, last_error = ?3 WHERE message_id = ?1",
                  job->message_id, 0, reason, &local_error);
    }
  else if (g_error_matches (error, RP_ERROR, RP_ERROR_CANCELLED))
    update_row (flush->store, "UPDATE outbox SET state = 0, next_attempt = ?2, last_error = NULL"
                " WHERE message_id = ?1", job->message_id, 0, NULL, &local_error);
  else if (is_permanent_refusal (error))
    update_row (flush->store, "UPDATE outbox SET state = 2, last_error = ?3, next_attempt = ?2"
                " WHERE message_id = ?1", job->message_id, 0, error->message, &local_error);
  else
    update_row (flush->store, "UPDATE outbox SET state = 1, last_error = ?3, next_attempt = ?2"
                " WHERE message_id = ?1", job->message_id,
                now_seconds () + backoff_seconds (attempts), error->message, &local_error);

  if (local_error != NULL)
    g_warning ("Cannot record the failure of message %" G_GINT64_FORMAT ": %s",
               job->message_id, local_error->message);
  flush_record_error (flush, error);
}

/* Callbacks */

static void
flush_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FlushTaskData *data = task_data;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (RP_IS_STORE (source_object));

  if (rp_outbox_flush_sync (source_object, data->secrets, data->message_id, data->flags,
                            &data->stats, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
flush_task_data_free (FlushTaskData *data)
{
  g_clear_object (&data->secrets);
  g_free (data);
}

/* Public API */

/**
 * rp_outbox_flush_sync:
 * @store: a #RpStore
 * @secrets: where the SMTP passwords are
 * @message_id: the message to send, or 0 for every one due
 * @flags: whether messages still backing off go too
 * @stats: (out) (optional): what happened
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Sends queued messages, each through its identity's SMTP server or else
 * its account's, one connection per server. Accepted messages move to
 * Sent (with refused recipients recorded, see
 * %RP_OUTBOX_STATE_PARTIALLY_SENT); temporary failures back off (1, 2, 4 …
 * minutes, at most an hour); refusals stay in the Outbox with the server's
 * reason. See the top of this file for why a message is never sent twice.
 *
 * Returns: %TRUE if every message tried was accepted
 */
gboolean
rp_outbox_flush_sync (RpStore             *store,
                      RpSecrets           *secrets,
                      gint64               message_id,
                      RpOutboxFlushFlags   flags,
                      RpOutboxFlushStats  *stats,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  RpOutboxFlushStats local_stats = { 0, };
  Flush flush = { 0, };

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (RP_IS_SECRETS (secrets), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  if (!mark_stale_sending (store, error))
    RP_RETURN (FALSE);
  jobs = select_jobs (store, message_id, flags, error);
  if (jobs == NULL)
    RP_RETURN (FALSE);

  flush.store = store;
  flush.secrets = secrets;
  flush.cancellable = cancellable;
  flush.stats = stats;
  flush.accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) rp_account_free);
  flush.server_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_error_free);

  for (guint i = 0; i < jobs->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_autoptr(GError) cancelled = NULL;

          g_cancellable_set_error_if_cancelled (cancellable, &cancelled);
          flush_record_error (&flush, cancelled);
          break;
        }
      send_job (&flush, g_ptr_array_index (jobs, i));
    }

  flush_close (&flush);
  g_hash_table_unref (flush.accounts);
  g_hash_table_unref (flush.server_errors);

  if (flush.first_error != NULL)
    {
      g_propagate_error (error, flush.first_error);
      RP_RETURN (FALSE);
    }

  if (message_id != 0 && stats->attempted == 0)
    {
      g_autoptr(RpOutboxEntry) entry = rp_outbox_get (store, message_id, error);

      /* Asked for one message that is not waiting to be sent. */
      if (entry != NULL)
        g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                     _("Message %lld is not waiting to be sent (%s)."),
                     (long long) message_id, rp_outbox_state_to_string (entry->state));
      RP_RETURN (FALSE);
    }

  RP_RETURN (TRUE);
}

/**
 * rp_outbox_flush_async:
 *
 * rp_outbox_flush_sync() in a worker thread. The store's "changed"
 * emissions arrive in the main context of the thread that opened it.
 */
void
rp_outbox_flush_async (RpStore             *store,
                       RpSecrets           *secrets,
                       gint64               message_id,
                       RpOutboxFlushFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FlushTaskData *data;

  g_return_if_fail (RP_IS_STORE (store));
  g_return_if_fail (RP_IS_SECRETS (secrets));

  data = g_new0 (FlushTaskData, 1);
  data->secrets = g_object_ref (secrets);
  data->message_id = message_id;
  data->flags = flags;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, rp_outbox_flush_async);
  g_task_set_task_data (task, data, (GDestroyNotify) flush_task_data_free);
  g_task_run_in_thread (task, flush_thread);
}

gboolean
rp_outbox_flush_finish (RpStore             *store,
                        GAsyncResult        *result,
                        RpOutboxFlushStats  *stats,
                        GError             **error)
{
  FlushTaskData *data;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, rp_outbox_flush_async), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rp_outbox_mark_sent:
 * @store: a #RpStore
 * @message_id: a possibly or partially sent message
 * @error: a #GError
 *
 * For a possibly sent message, the user's word that it did arrive: it
 * moves to Sent. For a partially sent one (already in Sent), the user has
 * seen which recipients were refused: the record goes.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_outbox_mark_sent (RpStore  *store,
                     gint64    message_id,
                     GError  **error)
{
  g_autoptr(RpOutboxEntry) entry = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  entry = rp_outbox_get (store, message_id, error);
  if (entry == NULL)
    return FALSE;

  if (entry->state != RP_OUTBOX_STATE_POSSIBLY_SENT &&
      entry->state != RP_OUTBOX_STATE_PARTIALLY_SENT)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Message %lld is not a possibly or partially sent message."),
                   (long long) message_id);
      return FALSE;
    }

  return finish_sent (store, message_id, NULL, error);
}
