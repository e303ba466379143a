/* rp-filter-run.c
 *
 * "Run filters now" over stored mail, and "test on the selected message".
 * A run reads a folder in one pass inside one read transaction (so it
 * sees the folder as it was when it started, and a rule copying into the
 * same folder cannot feed itself) and decides each row as it comes, with
 * what the rules need beyond the row (the body, a header block) read in
 * that same pass. Moves and flag changes are collected and written in one
 * transaction per FLUSH_SIZE messages: 100,000 messages cost five
 * commits, not thousands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-filter-private.h"

#include <string.h>

/* Moves and flag changes are written once per this many messages: each
 * write is one durable commit (an fsync), so a run over 100,000 messages
 * makes five; what is decided but not yet written is a few ids. */
#define FLUSH_SIZE 20000
/* The first read of a message's bytes, for header rules: most header
 * blocks fit. */
#define HEADER_READ_SIZE 4096
/* Cancellation and progress are looked at once per this many messages. */
#define CANCEL_CHECK 500
/* Progress from the async wrapper reaches the main loop at most this often. */
#define PROGRESS_INTERVAL_USEC (250 * 1000)

typedef struct
{
  gint64     account_id;
  gint64     id;
  char      *from_address;
  GPtrArray *deferred;   /* borrowed actions */
} Deferred;

/* What a run does to the store until the next write, grouped so that
 * each group is one statement. */
typedef struct
{
  GHashTable *moves;     /* folder id → GArray of message ids */
  GHashTable *flags;     /* RpMessageFlags → GArray of message ids */
  GArray     *deferred;  /* Deferred */
  RpStoreChange *change; /* what the folder views must reload */
  guint       matched;
} Plan;

typedef struct
{
  RpFilterProgressFunc  func;
  gpointer              data;
  guint                 done;
  guint                 total;
} ProgressCall;

/* One run over stored messages. */
typedef struct
{
  RpFilterSet   *set;
  RpStore       *store;
  RpStoreConn   *conn;         /* a reader, inside one read transaction */
  sqlite3_blob  *blob;         /* message_raw.data, for header rules */
  GByteArray    *header_buf;
  Plan           plan;         /* decided, not yet written */
  guint          pending;      /* messages decided since the last write */
  guint          matched;
} Runner;

typedef struct
{
  RpStore              *store;
  gint64                folder_id;
  GArray               *ids;
  RpFilterProgressFunc  progress;
  gpointer              progress_data;
  GMainContext         *context;
  gint64                last_progress;
  guint                 n_matched;
} RunData;

/* Auxiliary methods */

static void
deferred_clear (Deferred *d)
{
  g_free (d->from_address);
  g_clear_pointer (&d->deferred, g_ptr_array_unref);
}

static void
plan_init (Plan *plan)
{
  plan->moves = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) g_array_unref);
  plan->flags = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  plan->deferred = g_array_new (FALSE, TRUE, sizeof (Deferred));
  g_array_set_clear_func (plan->deferred, (GDestroyNotify) deferred_clear);
  plan->change = rp_store_change_new ();
  plan->matched = 0;
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->moves, g_hash_table_unref);
  g_clear_pointer (&plan->flags, g_hash_table_unref);
  g_clear_pointer (&plan->deferred, g_array_unref);
  g_clear_pointer (&plan->change, rp_store_change_unref);
}

static void
group_add (GHashTable *table,
           gpointer    key,
           gint64      id)
{
  GArray *ids = g_hash_table_lookup (table, key);

  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, key, ids);
    }
  g_array_append_val (ids, id);
}

/* Decides one message and adds what happens to it to @plan. */
static void
plan_message (RpFilterSet     *set,
              RpFilterMessage *msg,
              Plan            *plan)
{
  RpFilterOutcome outcome;

  _rp_filter_set_evaluate (set, msg, &outcome);
  if (outcome.n_rules_matched == 0)
    return;

  plan->matched++;

  if ((outcome.set_flags & ~msg->flags) != 0)
    {
      group_add (plan->flags, GUINT_TO_POINTER (outcome.set_flags), msg->id);
      rp_store_change_add_folder (plan->change, msg->folder_id);
      rp_store_change_add_message (plan->change, msg->id);
    }

  if (outcome.move_to != NULL || outcome.to_trash)
    {
      g_autoptr(GError) error = NULL;
      gint64 folder = outcome.to_trash
        ? rp_store_get_special_folder (msg->store, msg->account_id, RP_FOLDER_ROLE_TRASH)
        : _rp_filter_set_resolve_folder (set, msg->account_id, outcome.move_to, &error);

      if (folder <= 0)
        g_warning ("A filter’s folder “%s” is not available: %s",
                   outcome.move_to ? outcome.move_to : "Trash",
                   error ? error->message : "no such folder");
      else if (folder != msg->folder_id)
        {
          group_add (plan->moves, g_memdup2 (&folder, sizeof folder), msg->id);
          rp_store_change_add_folder (plan->change, msg->folder_id);
          rp_store_change_add_folder (plan->change, folder);
          rp_store_change_add_message (plan->change, msg->id);
        }
    }

  if (outcome.deferred != NULL)
    {
      Deferred d = { msg->account_id, msg->id, g_strdup (msg->from_address),
                     g_steal_pointer (&outcome.deferred) };

      g_array_append_val (plan->deferred, d);
    }

  _rp_filter_outcome_clear (&outcome);
}

/* Runs @sql (?1 the message, ?2 @arg) for each of @ids; where it changes
 * no row, @fallback (same parameters) instead, if given. */
static gboolean
update_each (RpStoreConn  *conn,
             const char   *sql,
             const char   *fallback,
             GArray       *ids,
             gint64        arg,
             GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn, sql, error);
  sqlite3_stmt *other = NULL;

  for (guint i = 0; stmt != NULL && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      int rc;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, arg);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE && fallback != NULL && sqlite3_changes (conn->db) == 0)
        {
          other = other ? other : _rp_store_cached (conn, fallback, error);
          if (other == NULL)
            return FALSE;
          sqlite3_bind_int64 (other, 1, id);
          sqlite3_bind_int64 (other, 2, arg);
          rc = sqlite3_step (other);
          sqlite3_reset (other);
        }
      if (rc != SQLITE_DONE)
        {
          _rp_store_set_sqlite_error (error, conn->db, "filter");
          return FALSE;
        }
    }
  return stmt != NULL;
}

/* The moves and flag changes of a plan in one transaction: the same
 * statements as rp_store_move_messages() and rp_store_set_flags(), but one
 * durable commit per plan instead of one per folder and flag (each
 * commit waits for the disk). */
static gboolean
plan_write (RpStore  *store,
            Plan     *plan,
            GError  **error)
{
  RpStoreConn *conn;
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok;

  if (g_hash_table_size (plan->flags) == 0 && g_hash_table_size (plan->moves) == 0)
    return TRUE;

  conn = _rp_store_writer_acquire (store);
  ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);
  if (ok)
    {
      g_hash_table_iter_init (&iter, plan->flags);
      while (ok && g_hash_table_iter_next (&iter, &key, &value))
        ok = update_each (conn, "UPDATE message SET flags = flags | ?2 WHERE id = ?1", NULL, value,
                          GPOINTER_TO_UINT (key), error);

      g_hash_table_iter_init (&iter, plan->moves);
      while (ok && g_hash_table_iter_next (&iter, &key, &value))
        /* Most moves stay in the message's account: setting account_id
         * there too would rewrite an index entry for nothing. */
        ok = update_each (conn, "UPDATE message SET folder_id = ?2 WHERE id = ?1"
                                " AND account_id = (SELECT account_id FROM folder WHERE id = ?2)",
                          "UPDATE message SET folder_id = ?2,"
                          " account_id = (SELECT account_id FROM folder WHERE id = ?2)"
                          " WHERE id = ?1", value, *(gint64 *) key, error);

      ok = ok && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }
  _rp_store_writer_release (store, conn);

  if (ok)
    _rp_store_notify_change (store, plan->change);
  return ok;
}

static gboolean
plan_apply (RpFilterSet  *set,
            RpStore      *store,
            Plan         *plan,
            GError      **error)
{
  if (!plan_write (store, plan, error))
    return FALSE;

  /* A move to another account's folder changes the message's account;
   * copies, forwards and links act on it where it ended up. */
  for (guint i = 0; i < plan->deferred->len; i++)
    {
      Deferred *d = &g_array_index (plan->deferred, Deferred, i);

      _rp_filter_set_run_deferred (set, d->account_id, d->id, d->from_address, d->deferred);
    }

  return TRUE;
}

static void
report (RunData *run,
        guint    done,
        guint    total)
{
  if (run->progress == NULL)
    return;
  run->progress (done, total, run->progress_data);
}

/* Reads the header block of message @id (up to its first empty line)
 * into @buf through an incremental blob handle: a header rule never reads
 * a large attachment's bytes. */
static gboolean
read_header_block (Runner  *runner,
                   gint64   id,
                   GBytes **out)
{
  int size;
  int have = 0;
  int rc;

  rc = runner->blob == NULL
    ? sqlite3_blob_open (runner->conn->db, "main", "message_raw", "data", id, 0, &runner->blob)
    : sqlite3_blob_reopen (runner->blob, id);
  if (rc != SQLITE_OK)
    {
      /* A message without stored bytes has no headers to match. A handle
       * that failed to move is done for: the next message opens one. */
      g_clear_pointer (&runner->blob, sqlite3_blob_close);
      *out = NULL;
      return TRUE;
    }

  size = sqlite3_blob_bytes (runner->blob);
  while (have < size)
    {
      int want = MIN (size, MAX (have * 2, HEADER_READ_SIZE));
      const char *data;

      g_byte_array_set_size (runner->header_buf, want);
      if (sqlite3_blob_read (runner->blob, runner->header_buf->data + have, want - have,
                             have) != SQLITE_OK)
        return FALSE;
      have = want;
      data = (const char *) runner->header_buf->data;
      if (memmem (data, have, "\r\n\r\n", 4) != NULL || memmem (data, have, "\n\n", 2) != NULL)
        break;
    }

  *out = g_bytes_new_static (runner->header_buf->data, have);
  return TRUE;
}

/* The moves, flags and deletions decided so far, in one transaction. */
static gboolean
runner_flush (Runner  *runner,
              GError **error)
{
  gboolean ok = plan_apply (runner->set, runner->store, &runner->plan, error);

  runner->matched += runner->plan.matched;
  plan_clear (&runner->plan);
  plan_init (&runner->plan);
  runner->pending = 0;
  return ok;
}

/* Decides the message in the current row of @stmt; the plan is written
 * every FLUSH_SIZE messages. */
static gboolean
runner_row (Runner        *runner,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  RpFilterMessage msg;
  int column = RP_FILTER_MESSAGE_N_COLUMNS;
  gboolean ok = TRUE;

  _rp_filter_message_init_row (&msg, runner->store, stmt);
  if (runner->set->needs_body)
    {
      const char *body = (const char *) sqlite3_column_text (stmt, column++);

      msg.text[RP_FILTER_FIELD_BODY] = g_strdup (body ? body : "");
    }
  if (runner->set->needs_headers)
    ok = read_header_block (runner, msg.id, &msg.raw);
  if (ok)
    plan_message (runner->set, &msg, &runner->plan);
  _rp_filter_message_clear (&msg);
  if (!ok)
    {
      _rp_store_set_sqlite_error (error, runner->conn->db, "read message");
      return FALSE;
    }

  if (++runner->pending >= FLUSH_SIZE)
    return runner_flush (runner, error);
  return TRUE;
}

/* "SELECT … FROM message WHERE @where": the row, and the body from the
 * search index as an extra column when a rule needs it, so that no
 * message costs a query of its own. (Single To and Cc addresses are
 * looked up only for a message whose To or Cc text holds a rule's value
 * at all: see rp-filter-index.c.) */
static sqlite3_stmt *
prepare_stream (Runner      *runner,
                const char  *where,
                GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " RP_FILTER_MESSAGE_COLUMNS);

  if (runner->set->needs_body)
    g_string_append (sql, ", (SELECT body FROM message_fts WHERE rowid = message.id)");
  g_string_append_printf (sql, " FROM message WHERE %s", where);
  return _rp_store_prepare (runner->conn->db, sql->str, error);
}

static gboolean
count_messages (RpStoreConn  *conn,
                gint64        folder_id,
                guint        *count,
                GError      **error)
{
  g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
    "SELECT count (*) FROM message WHERE folder_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, folder_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rp_store_set_sqlite_error (error, conn->db, "count messages");
      return FALSE;
    }
  *count = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
progress_invoke (gpointer data)
{
  ProgressCall *call = data;

  call->func (call->done, call->total, call->data);
  return G_SOURCE_REMOVE;
}

/* The async run's progress: coalesced, and handed to the caller's context. */
static void
async_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  RunData *run = user_data;
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;

  if (done < total && now - run->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  run->last_progress = now;

  call = g_new (ProgressCall, 1);
  call->func = run->progress;
  call->data = run->progress_data;
  call->done = done;
  call->total = total;
  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, progress_invoke, call, g_free);
}

static void
run_data_free (RunData *run)
{
  g_clear_object (&run->store);
  g_clear_pointer (&run->ids, g_array_unref);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_free (run);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));

  if (rp_filter_run_sync (run->store, run->folder_id,
                          run->ids ? (const gint64 *) run->ids->data : NULL,
                          run->ids ? run->ids->len : 0,
                          run->progress ? async_progress : NULL, run,
                          &run->n_matched, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Public API */

/**
 * rp_filter_explain:
 * @store: a #RpStore
 * @rule: a rule (saved or not, on or off)
 * @message_id: a stored message
 * @error: return location for an error
 *
 * For "test on the selected message": evaluates every condition of @rule
 * on the message, so the editor can show which matched.
 *
 * Returns: (transfer full) (element-type RpFilterExplanation): one entry
 *   per condition, in order; %NULL on error (an invalid rule, no such
 *   message)
 */
GPtrArray *
rp_filter_explain (RpStore             *store,
                   const RpFilterRule  *rule,
                   gint64               message_id,
                   GError             **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(GPtrArray) result = NULL;
  RpFilterSet *set;
  RpFilterMessage msg;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (rule != NULL, NULL);

  g_ptr_array_add (rules, (gpointer) rule);
  set = _rp_filter_set_new (store, rules, TRUE, error);
  if (set == NULL)
    return NULL;

  if (!_rp_filter_message_load (&msg, store, message_id, error))
    {
      _rp_filter_set_free (set);
      return NULL;
    }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_explanation_free);
  for (guint i = 0; i < rule->conditions->len; i++)
    {
      RpFilterExplanation *e = g_new0 (RpFilterExplanation, 1);

      e->index = i;
      e->matched = _rp_filter_set_condition_matches (set, 0, i, &msg);
      e->description = rp_filter_condition_describe (g_ptr_array_index (rule->conditions, i));
      g_ptr_array_add (result, e);
    }

  _rp_filter_message_clear (&msg);
  _rp_filter_set_free (set);
  return g_steal_pointer (&result);
}

/**
 * rp_filter_rule_matches_message:
 * @store: a #RpStore
 * @rule: a rule (its on/off state is ignored)
 * @message_id: a stored message
 * @matches: (out): whether the rule, as a whole, matches
 * @error: return location for an error
 *
 * Returns: %TRUE if @matches was set; %FALSE on error
 */
gboolean
rp_filter_rule_matches_message (RpStore             *store,
                                const RpFilterRule  *rule,
                                gint64               message_id,
                                gboolean            *matches,
                                GError             **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  RpFilterSet *set;
  RpFilterMessage msg;
  RpFilterOutcome outcome;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (matches != NULL, FALSE);

  g_ptr_array_add (rules, (gpointer) rule);
  set = _rp_filter_set_new (store, rules, TRUE, error);
  if (set == NULL)
    return FALSE;
  if (!_rp_filter_message_load (&msg, store, message_id, error))
    {
      _rp_filter_set_free (set);
      return FALSE;
    }

  _rp_filter_set_evaluate (set, &msg, &outcome);
  *matches = outcome.n_rules_matched > 0;
  _rp_filter_outcome_clear (&outcome);
  _rp_filter_message_clear (&msg);
  _rp_filter_set_free (set);
  return TRUE;
}

/**
 * rp_filter_run_sync:
 * @store: a #RpStore
 * @folder_id: a folder, or 0
 * @ids: (array length=n) (nullable): messages, when @folder_id is 0
 * @n: how many @ids
 * @progress: (nullable) (scope call): called every few hundred messages
 * @progress_data: data for @progress
 * @n_matched: (out) (optional): messages at least one rule matched
 * @cancellable: (nullable): a #GCancellable, checked every few hundred
 *   messages
 * @error: return location for an error
 *
 * "Run filters now": every enabled rule, in order, on the messages of
 * @folder_id, or on @ids, or (with neither) on every account's Inbox.
 * Moves, flags and deletions are applied together, 20,000 messages at a
 * time; copies, forwards and CRM links after them. Blocks: call it in a
 * worker.
 *
 * Returns: %TRUE on success; on error or cancellation, what the rules
 *   decided for the messages read until then is done
 */
gboolean
rp_filter_run_sync (RpStore               *store,
                    gint64                 folder_id,
                    const gint64          *ids,
                    guint                  n,
                    RpFilterProgressFunc   progress,
                    gpointer               progress_data,
                    guint                 *n_matched,
                    GCancellable          *cancellable,
                    GError               **error)
{
  RunData run = { .progress = progress, .progress_data = progress_data };
  Runner runner = { 0, };
  RpFilterSet *set;
  g_autoptr(GArray) folders = g_array_new (FALSE, FALSE, sizeof (gint64));
  RpStoreConn *conn = NULL;
  guint total = 0;
  guint done = 0;
  guint matched = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);

  if (n_matched != NULL)
    *n_matched = 0;

  set = _rp_filter_set_load (store, error);
  if (set == NULL)
    return FALSE;

  if (folder_id > 0)
    g_array_append_val (folders, folder_id);
  else if (n == 0)
    {
      g_autoptr(GPtrArray) all = rp_store_list_folders (store, error);

      if (all == NULL)
        {
          _rp_filter_set_free (set);
          return FALSE;
        }
      for (guint i = 0; i < all->len; i++)
        {
          RpFolderInfo *info = g_ptr_array_index (all, i);

          if (info->role == RP_FOLDER_ROLE_INBOX)
            g_array_append_val (folders, info->id);
        }
    }

  /* One read transaction for the whole run: the messages as they were
   * when it started (a rule copying into the folder cannot feed itself),
   * read in one pass and decided row by row, with nothing kept per
   * message once it is decided. */
  runner.set = set;
  runner.store = store;
  runner.header_buf = g_byte_array_new ();
  plan_init (&runner.plan);
  conn = runner.conn = _rp_store_reader_acquire (store, error);
  ok = conn != NULL && _rp_store_exec (conn->db, "BEGIN;", error);

  for (guint i = 0; i < folders->len && ok; i++)
    {
      guint count = 0;

      ok = count_messages (conn, g_array_index (folders, gint64, i), &count, error);
      total += count;
    }
  if (folders->len == 0)
    total = n;

  report (&run, 0, total);

  /* With no enabled rule there is nothing to read. */
  if (ok && _rp_filter_set_get_n_rules (set) > 0)
    {
      g_auto(RpStmt) stream = prepare_stream (&runner, folders->len > 0
                                              ? "folder_id = ?1 ORDER BY date DESC, id DESC"
                                              : "id = ?1", error);

      ok = stream != NULL;
      for (guint f = 0; f < folders->len && ok; f++)
        {
          int rc;

          sqlite3_bind_int64 (stream, 1, g_array_index (folders, gint64, f));
          while (ok && (rc = sqlite3_step (stream)) == SQLITE_ROW)
            {
              ok = runner_row (&runner, stream, error);
              done++;
              if (ok && done % CANCEL_CHECK == 0)
                {
                  report (&run, MIN (done, total), total);
                  ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
                }
            }
          if (ok && rc != SQLITE_DONE)
            {
              _rp_store_set_sqlite_error (error, conn->db, "read messages");
              ok = FALSE;
            }
          sqlite3_reset (stream);
        }

      for (guint i = 0; folders->len == 0 && i < n && ok; i++)
        {
          sqlite3_bind_int64 (stream, 1, ids[i]);
          if (sqlite3_step (stream) == SQLITE_ROW)
            ok = runner_row (&runner, stream, error);
          sqlite3_reset (stream);
          done++;
          if (ok && done % CANCEL_CHECK == 0)
            {
              report (&run, done, total);
              ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
            }
        }

      /* What was decided before an error or a cancellation is still
       * written: the messages are where the rules put them. */
      if (runner.pending > 0)
        {
          if (ok)
            ok = runner_flush (&runner, error);
          else
            runner_flush (&runner, NULL);
        }
    }
  matched = runner.matched;

  g_clear_pointer (&runner.blob, sqlite3_blob_close);
  if (conn != NULL)
    {
      _rp_store_exec (conn->db, "COMMIT;", NULL);
      _rp_store_reader_release (store, conn);
    }
  plan_clear (&runner.plan);
  g_byte_array_unref (runner.header_buf);
  if (ok)
    report (&run, total, total);

  _rp_filter_set_free (set);
  if (n_matched != NULL)
    *n_matched = matched;
  return ok;
}

/**
 * rp_filter_run_async:
 * @store: a #RpStore
 * @folder_id: a folder, or 0
 * @ids: (array length=n) (nullable): messages, when @folder_id is 0 (copied)
 * @n: how many @ids
 * @progress: (nullable): called in the caller's thread-default main
 *   context, a few times a second at most; must stay callable until
 *   @callback has run
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the run is over
 * @user_data: data for @callback
 *
 * rp_filter_run_sync() in a worker thread.
 */
void
rp_filter_run_async (RpStore              *store,
                     gint64                folder_id,
                     const gint64         *ids,
                     guint                 n,
                     RpFilterProgressFunc  progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (RP_IS_STORE (store));
  g_return_if_fail (ids != NULL || n == 0);

  run = g_new0 (RunData, 1);
  run->store = g_object_ref (store);
  run->folder_id = folder_id;
  if (n > 0)
    {
      run->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      g_array_append_vals (run->ids, ids, n);
    }
  run->progress = progress;
  run->progress_data = progress_data;
  run->context = g_main_context_ref_thread_default ();

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, rp_filter_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * rp_filter_run_finish:
 * @store: a #RpStore
 * @result: the #GAsyncResult
 * @n_matched: (out) (optional): messages at least one rule matched
 * @error: return location for an error
 *
 * Returns: %TRUE if the run went through
 */
gboolean
rp_filter_run_finish (RpStore       *store,
                      GAsyncResult  *result,
                      guint         *n_matched,
                      GError       **error)
{
  RunData *run;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, rp_filter_run_async), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (n_matched != NULL)
    *n_matched = run->n_matched;
  return g_task_propagate_boolean (G_TASK (result), error);
}
