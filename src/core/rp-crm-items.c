/* rp-crm-items.c: tasks, notes and calendar events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "rp-crm-private.h"
#include "rp-error.h"

#define EVENT_COLUMNS \
  "e.id, e.uid, e.sequence, e.title, e.start, e.end, e.location, e.attendees, e.cancelled," \
  " e.partstat, ifnull (e.message_id, 0)," \
  " (SELECT group_concat (x.record_id) FROM crm_event_record x WHERE x.event_id = e.id)"

/* Auxiliary methods */

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           column,
                 gint64        id)
{
  if (id != 0)
    sqlite3_bind_int64 (stmt, column, id);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
check_title (const char  *title,
             GError     **error)
{
  if (title == NULL || *title == '\0')
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, _("A title is required"));
      return FALSE;
    }

  return TRUE;
}

/* Runs a one-row write: INSERT/UPDATE/DELETE with @bind filling it in.
 * @must_change: a statement that changes nothing means the id is unknown. */
typedef void (*BindFunc) (sqlite3_stmt *stmt,
                          gconstpointer data);

static gboolean
write_one (RpStore       *store,
           const char    *sql,
           BindFunc       bind,
           gconstpointer  data,
           gboolean       must_change,
           gint64        *last_id,
           RpCrmChange    what,
           GError       **error)
{
  RpStoreConn *conn = _rp_crm_write_begin (store, error);
  sqlite3_stmt *stmt;
  gboolean ok;

  if (conn == NULL)
    return FALSE;

  stmt = _rp_store_cached (conn, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      bind (stmt, data);
      ok = _rp_crm_step_done (conn, stmt, "write", error);
      sqlite3_clear_bindings (stmt);
    }
  if (ok && must_change && sqlite3_changes (conn->db) == 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The item does not exist (any more)"));
      ok = FALSE;
    }
  if (ok && last_id != NULL)
    *last_id = sqlite3_last_insert_rowid (conn->db);

  return _rp_crm_write_end (store, conn, ok, what, error);
}

static void
bind_id (sqlite3_stmt  *stmt,
         gconstpointer  data)
{
  sqlite3_bind_int64 (stmt, 1, *(const gint64 *) data);
}

/* Reads rows of @sql into @items, each built by @from_row. */
typedef gpointer (*FromRowFunc) (sqlite3_stmt *stmt);

static GPtrArray *
read_rows (RpStore        *store,
           const char     *sql,
           const gint64   *args,
           guint           n_args,
           FromRowFunc     from_row,
           GDestroyNotify  free_func,
           GError        **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;

  stmt = _rp_store_cached (conn, sql, error);
  if (stmt != NULL)
    {
      int rc;

      for (guint i = 0; i < n_args; i++)
        sqlite3_bind_int64 (stmt, i + 1, args[i]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (items, from_row (stmt));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE;
      if (!ok)
        _rp_store_set_sqlite_error (error, conn->db, "read");
    }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&items) : NULL;
}

/* Public API: tasks */

RpCrmTask *
rp_crm_task_new (void)
{
  return g_new0 (RpCrmTask, 1);
}

RpCrmTask *
rp_crm_task_copy (const RpCrmTask *task)
{
  RpCrmTask *copy;

  g_return_val_if_fail (task != NULL, NULL);

  copy = g_memdup2 (task, sizeof *task);
  copy->title = g_strdup (task->title);
  copy->uid = g_strdup (task->uid);
  return copy;
}

void
rp_crm_task_free (RpCrmTask *task)
{
  if (task == NULL)
    return;

  g_free (task->title);
  g_free (task->uid);
  g_free (task);
}

static void
bind_task (sqlite3_stmt  *stmt,
           gconstpointer  data)
{
  const RpCrmTask *task = data;

  bind_id_or_null (stmt, 1, task->record_id);
  bind_id_or_null (stmt, 2, task->message_id);
  sqlite3_bind_text (stmt, 3, task->title, -1, SQLITE_TRANSIENT);
  bind_id_or_null (stmt, 4, task->due);
  sqlite3_bind_int (stmt, 5, CLAMP (task->priority, 0, 9));
  sqlite3_bind_int (stmt, 6, task->done ? 1 : 0);
  sqlite3_bind_text (stmt, 7, task->uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, task->id != 0 ? task->id : g_get_real_time () / G_USEC_PER_SEC);
}

/**
 * rp_crm_add_task:
 * @task: the task; its id (and uid when %NULL) are set
 *
 * Returns: the new task's id, or 0 with @error set
 */
gint64
rp_crm_add_task (RpStore    *store,
                 RpCrmTask  *task,
                 GError    **error)
{
  gint64 id = 0;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (task != NULL, 0);

  if (!check_title (task->title, error))
    return 0;
  if (task->uid == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      task->uid = g_strdup_printf ("%s@rapport", uuid);
    }
  task->id = 0;

  if (!write_one (store,
                  "INSERT INTO crm_task (record_id, message_id, title, due, priority, done, uid,"
                  " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                  bind_task, task, TRUE, &id, RP_CRM_CHANGE_TASKS, error))
    return 0;

  task->id = id;
  return id;
}

gboolean
rp_crm_update_task (RpStore          *store,
                    const RpCrmTask  *task,
                    GError          **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (task != NULL && task->uid != NULL, FALSE);

  if (!check_title (task->title, error))
    return FALSE;

  /* ?8 is the id here: bind_task binds it where an insert takes the
   * creation time. */
  return write_one (store,
                    "UPDATE crm_task SET record_id = ?1, message_id = ?2, title = ?3, due = ?4,"
                    " priority = ?5, done = ?6, uid = ?7 WHERE id = ?8",
                    bind_task, task, TRUE, NULL, RP_CRM_CHANGE_TASKS, error);
}

gboolean
rp_crm_delete_task (RpStore  *store,
                    gint64    task_id,
                    GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  return write_one (store, "DELETE FROM crm_task WHERE id = ?1", bind_id, &task_id, TRUE,
                    NULL, RP_CRM_CHANGE_TASKS, error);
}

static gpointer
task_from_row (sqlite3_stmt *stmt)
{
  RpCrmTask *task = g_new0 (RpCrmTask, 1);

  task->id = sqlite3_column_int64 (stmt, 0);
  task->record_id = sqlite3_column_int64 (stmt, 1);
  task->message_id = sqlite3_column_int64 (stmt, 2);
  task->title = _rp_crm_column_dup (stmt, 3);
  task->due = sqlite3_column_int64 (stmt, 4);
  task->priority = sqlite3_column_int (stmt, 5);
  task->done = sqlite3_column_int (stmt, 6) != 0;
  task->uid = _rp_crm_column_dup (stmt, 7);

  return task;
}

/**
 * rp_crm_list_tasks:
 *
 * Returns: (transfer container) (element-type RpCrmTask): the tasks, or
 *   %NULL with @error set
 */
GPtrArray *
rp_crm_list_tasks (RpStore   *store,
                   gint64     record_id,
                   gboolean   open_only,
                   GError   **error)
{
  gint64 args[] = { record_id, open_only ? 1 : 0 };

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return read_rows (store,
                    "SELECT id, ifnull (record_id, 0), ifnull (message_id, 0), title,"
                    " ifnull (due, 0), priority, done, uid FROM crm_task"
                    " WHERE (?1 = 0 OR record_id = ?1) AND (?2 = 0 OR done = 0)"
                    " ORDER BY due IS NULL, due, priority = 0, priority, id",
                    args, G_N_ELEMENTS (args), task_from_row,
                    (GDestroyNotify) rp_crm_task_free, error);
}

/* Public API: notes */

RpCrmNote *
rp_crm_note_new (void)
{
  return g_new0 (RpCrmNote, 1);
}

RpCrmNote *
rp_crm_note_copy (const RpCrmNote *note)
{
  RpCrmNote *copy;

  g_return_val_if_fail (note != NULL, NULL);

  copy = g_memdup2 (note, sizeof *note);
  copy->text = g_strdup (note->text);
  return copy;
}

void
rp_crm_note_free (RpCrmNote *note)
{
  if (note == NULL)
    return;

  g_free (note->text);
  g_free (note);
}

static void
bind_note (sqlite3_stmt  *stmt,
           gconstpointer  data)
{
  const RpCrmNote *note = data;

  sqlite3_bind_int64 (stmt, 1, note->record_id);
  bind_id_or_null (stmt, 2, note->message_id);
  sqlite3_bind_text (stmt, 3, note->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, note->created);
}

/**
 * rp_crm_add_note:
 * @note: the note; its id (and created time when 0) are set
 *
 * Returns: the new note's id, or 0 with @error set
 */
gint64
rp_crm_add_note (RpStore    *store,
                 RpCrmNote  *note,
                 GError    **error)
{
  gint64 id = 0;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (note != NULL, 0);

  if (note->text == NULL || *note->text == '\0')
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, _("The note is empty"));
      return 0;
    }
  if (note->created == 0)
    note->created = g_get_real_time () / G_USEC_PER_SEC;

  /* Selecting from crm_record makes an unknown record change nothing,
   * which write_one() reports, instead of a foreign key failure. */
  if (!write_one (store,
                  "INSERT INTO crm_note (record_id, message_id, text, created)"
                  " SELECT id, ?2, ?3, ?4 FROM crm_record WHERE id = ?1",
                  bind_note, note, TRUE, &id, RP_CRM_CHANGE_NOTES, error))
    return 0;

  note->id = id;
  return id;
}

gboolean
rp_crm_delete_note (RpStore  *store,
                    gint64    note_id,
                    GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  return write_one (store, "DELETE FROM crm_note WHERE id = ?1", bind_id, &note_id, TRUE,
                    NULL, RP_CRM_CHANGE_NOTES, error);
}

static gpointer
note_from_row (sqlite3_stmt *stmt)
{
  RpCrmNote *note = g_new0 (RpCrmNote, 1);

  note->id = sqlite3_column_int64 (stmt, 0);
  note->record_id = sqlite3_column_int64 (stmt, 1);
  note->message_id = sqlite3_column_int64 (stmt, 2);
  note->text = _rp_crm_column_dup (stmt, 3);
  note->created = sqlite3_column_int64 (stmt, 4);

  return note;
}

/**
 * rp_crm_list_notes:
 *
 * Returns: (transfer container) (element-type RpCrmNote): newest first
 */
GPtrArray *
rp_crm_list_notes (RpStore  *store,
                   gint64    record_id,
                   guint     limit,
                   GError  **error)
{
  gint64 args[] = { record_id, limit > 0 ? (gint64) limit : -1 };

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return read_rows (store,
                    "SELECT id, record_id, ifnull (message_id, 0), text, created FROM crm_note"
                    " WHERE ?1 = 0 OR record_id = ?1 ORDER BY created DESC, id DESC LIMIT ?2",
                    args, G_N_ELEMENTS (args), note_from_row,
                    (GDestroyNotify) rp_crm_note_free, error);
}

/* Public API: events */

RpCrmEvent *
rp_crm_event_new (void)
{
  return g_new0 (RpCrmEvent, 1);
}

RpCrmEvent *
rp_crm_event_copy (const RpCrmEvent *event)
{
  RpCrmEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_memdup2 (event, sizeof *event);
  copy->title = g_strdup (event->title);
  copy->location = g_strdup (event->location);
  copy->attendees = g_strdupv (event->attendees);
  copy->uid = g_strdup (event->uid);
  copy->partstat = g_strdup (event->partstat);
  if (event->record_ids != NULL)
    {
      copy->record_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                            event->record_ids->len);
      g_array_append_vals (copy->record_ids, event->record_ids->data, event->record_ids->len);
    }

  return copy;
}

void
rp_crm_event_free (RpCrmEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->title);
  g_free (event->location);
  g_strfreev (event->attendees);
  g_free (event->uid);
  g_free (event->partstat);
  g_clear_pointer (&event->record_ids, g_array_unref);
  g_free (event);
}

static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  RpCrmEvent *event = g_new0 (RpCrmEvent, 1);
  const char *attendees = (const char *) sqlite3_column_text (stmt, 7);
  const char *records = (const char *) sqlite3_column_text (stmt, 11);

  event->id = sqlite3_column_int64 (stmt, 0);
  event->uid = _rp_crm_column_dup (stmt, 1);
  event->sequence = sqlite3_column_int (stmt, 2);
  event->title = _rp_crm_column_dup (stmt, 3);
  event->start = sqlite3_column_int64 (stmt, 4);
  event->end = sqlite3_column_int64 (stmt, 5);
  event->location = _rp_crm_column_dup (stmt, 6);
  event->attendees = attendees != NULL && *attendees != '\0'
                     ? g_strsplit (attendees, "\n", -1) : g_new0 (char *, 1);
  event->cancelled = sqlite3_column_int (stmt, 8) != 0;
  event->partstat = _rp_crm_column_dup (stmt, 9);
  event->message_id = sqlite3_column_int64 (stmt, 10);
  event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (records != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (records, ",", -1);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          gint64 id = g_ascii_strtoll (ids[i], NULL, 10);

          g_array_append_val (event->record_ids, id);
        }
    }

  return event;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/**
 * rp_crm_save_event:
 * @event: the event; its id (and uid when %NULL) are set
 *
 * Inserts the event, or updates the stored one with the same uid.
 *
 * Returns: the event's id, or 0 with @error set
 */
gint64
rp_crm_save_event (RpStore     *store,
                   RpCrmEvent  *event,
                   GError     **error)
{
  g_autofree char *attendees = NULL;
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (event != NULL, 0);

  if (!check_title (event->title, error))
    return 0;
  if (event->end < event->start)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The event ends before it starts"));
      return 0;
    }
  if (event->uid == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      event->uid = g_strdup_printf ("%s@rapport", uuid);
    }
  attendees = event->attendees ? g_strjoinv ("\n", event->attendees) : g_strdup ("");

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return 0;

  stmt = _rp_store_cached (conn,
    "INSERT INTO crm_event (uid, sequence, title, start, end, location, attendees, cancelled,"
    " partstat, message_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (uid) DO UPDATE SET sequence = excluded.sequence, title = excluded.title,"
    " start = excluded.start, end = excluded.end, location = excluded.location,"
    " attendees = excluded.attendees, cancelled = excluded.cancelled,"
    " partstat = excluded.partstat, message_id = ifnull (excluded.message_id, message_id)"
    " RETURNING id", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, event->uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, event->sequence);
      sqlite3_bind_text (stmt, 3, event->title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, event->start);
      sqlite3_bind_int64 (stmt, 5, event->end);
      _rp_crm_bind_text (stmt, 6, event->location);
      sqlite3_bind_text (stmt, 7, attendees, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 8, event->cancelled ? 1 : 0);
      _rp_crm_bind_text (stmt, 9, event->partstat);
      bind_id_or_null (stmt, 10, event->message_id);
      ok = sqlite3_step (stmt) == SQLITE_ROW;
      if (ok)
        id = sqlite3_column_int64 (stmt, 0);
      else
        _rp_store_set_sqlite_error (error, conn->db, "save event");
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  if (ok && event->record_ids != NULL)
    {
      stmt = _rp_store_cached (conn, "DELETE FROM crm_event_record WHERE event_id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, id);
          ok = _rp_crm_step_done (conn, stmt, "unlink event", error);
        }
      if (ok)
        stmt = _rp_store_cached (conn,
          "INSERT OR IGNORE INTO crm_event_record (event_id, record_id)"
          " SELECT ?1, id FROM crm_record WHERE id = ?2", error);
      ok = ok && stmt != NULL;
      for (guint i = 0; ok && i < event->record_ids->len; i++)
        {
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, g_array_index (event->record_ids, gint64, i));
          ok = _rp_crm_step_done (conn, stmt, "link event", error);
        }
    }

  if (!_rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_EVENTS, error))
    return 0;

  event->id = id;
  if (event->record_ids != NULL)
    g_array_sort (event->record_ids, compare_ids);
  return id;
}

gboolean
rp_crm_delete_event (RpStore  *store,
                     gint64    event_id,
                     GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), FALSE);

  return write_one (store, "DELETE FROM crm_event WHERE id = ?1", bind_id, &event_id, TRUE,
                    NULL, RP_CRM_CHANGE_EVENTS, error);
}

/**
 * rp_crm_find_event_by_uid:
 *
 * Returns: (transfer full) (nullable): the event, or %NULL without an
 *   error when no event has @uid
 */
RpCrmEvent *
rp_crm_find_event_by_uid (RpStore     *store,
                          const char  *uid,
                          GError     **error)
{
  RpCrmEvent *event = NULL;
  RpStoreConn *conn;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;

  stmt = _rp_store_cached (conn, "SELECT " EVENT_COLUMNS " FROM crm_event e WHERE e.uid = ?1",
                           error);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        event = event_from_row (stmt);
      else if (rc != SQLITE_DONE)
        _rp_store_set_sqlite_error (error, conn->db, "read event");
      sqlite3_reset (stmt);
    }

  _rp_store_reader_release (store, conn);
  return event;
}

/**
 * rp_crm_list_events:
 * @record_id: a record, or 0 for every event
 * @from: leave out events that ended before this time (0: none)
 *
 * Returns: (transfer container) (element-type RpCrmEvent): by start time
 */
GPtrArray *
rp_crm_list_events (RpStore  *store,
                    gint64    record_id,
                    gint64    from,
                    GError  **error)
{
  gint64 args[] = { record_id, from };

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  if (record_id != 0)
    return read_rows (store,
                      "SELECT " EVENT_COLUMNS " FROM crm_event_record r"
                      " JOIN crm_event e ON e.id = r.event_id"
                      " WHERE r.record_id = ?1 AND e.end >= ?2 ORDER BY e.start, e.id",
                      args, G_N_ELEMENTS (args), event_from_row,
                      (GDestroyNotify) rp_crm_event_free, error);

  return read_rows (store,
                    "SELECT " EVENT_COLUMNS " FROM crm_event e"
                    " WHERE ?1 = 0 AND e.end >= ?2 ORDER BY e.start, e.id",
                    args, G_N_ELEMENTS (args), event_from_row,
                    (GDestroyNotify) rp_crm_event_free, error);
}
