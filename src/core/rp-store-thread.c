/* rp-store-thread.c: conversations
 *
 * Threads follow JWZ's algorithm as far as a store that sees messages one
 * at a time can: a message joins the thread of any message it refers to
 * (In-Reply-To, then References from newest to oldest); replies that arrived
 * before their parent are pulled into the parent's thread when it comes;
 * and mail without references falls back to the subject, but only when its
 * subject says it is a reply ("Re:", "AW:", "Fwd:", …) and a message with
 * the same base subject arrived within the last 30 days, so that two
 * unrelated "Hello" mails are never merged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <string.h>

#include "rp-store-private.h"

#define SUBJECT_WINDOW_SECONDS (30 * 24 * 3600)

/* Reply and forward prefixes in the languages our users meet: English,
 * German (AW, WG, Antw), Dutch/Nordic (SV, VS, Antw), French (TR, RE),
 * Italian (R, RIF), Spanish (RV). Matched case-insensitively before ':'. */
static const char * const reply_prefixes[] = {
  "re", "aw", "antw", "sv", "vs", "rif", "r", "fw", "fwd", "wg", "tr", "rv", "odp", "enc",
};

/* Auxiliary methods */

/* Strips one prefix such as "Re:", "AW: ", "Re[2]:", "[list] " from @s;
 * returns the rest, or NULL if there was none. */
static const char *
strip_one_prefix (const char *s)
{
  const char *p = s;

  while (*p == ' ' || *p == '\t')
    p++;

  /* A mailing-list tag: "[team] Re: …". */
  if (*p == '[')
    {
      const char *end = strchr (p, ']');

      if (end != NULL && end - p < 40)
        return end + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (reply_prefixes); i++)
    {
      gsize len = strlen (reply_prefixes[i]);
      const char *q;

      if (g_ascii_strncasecmp (p, reply_prefixes[i], len) != 0)
        continue;
      q = p + len;
      /* "Re[2]:" and "Re(2):" count replies. */
      if (*q == '[' || *q == '(')
        {
          q++;
          while (g_ascii_isdigit (*q))
            q++;
          if (*q != ']' && *q != ')')
            continue;
          q++;
        }
      while (*q == ' ')
        q++;
      if (*q == ':' || (*q == '\xef' && strncmp (q, "\xef\xbc\x9a", 3) == 0))
        return q + (*q == ':' ? 1 : 3);
    }

  return NULL;
}

/**
 * _rp_store_thread_subject:
 *
 * Returns: (transfer full): the subject without reply prefixes and list
 *   tags, case-folded and with white space collapsed; prefixed with "\1" when
 *   prefixes were removed (the message says it is a reply).
 */
char *
_rp_store_thread_subject (const char *subject)
{
  g_autofree char *folded = NULL;
  const char *rest = subject ? subject : "";
  const char *next;
  gboolean was_reply = FALSE;
  GString *out;

  while ((next = strip_one_prefix (rest)) != NULL)
    {
      /* A list tag alone does not make a reply. */
      const char *p = rest;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '[')
        was_reply = TRUE;
      rest = next;
    }

  folded = g_utf8_casefold (rest, -1);
  out = g_string_new (was_reply ? "\1" : "");
  for (const char *p = folded; *p; p++)
    {
      gboolean space = g_ascii_isspace (*p);

      if (space && (out->len == (gsize) was_reply || out->str[out->len - 1] == ' '))
        continue;
      g_string_append_c (out, space ? ' ' : *p);
    }
  if (out->len > (gsize) was_reply && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

static const char thread_of_id_sql[] =
  "SELECT thread_id FROM message WHERE message_id = ?1 AND thread_id != 0 LIMIT 1";
static const char thread_of_subject_sql[] =
  "SELECT thread_id FROM message WHERE thread_subject IN (?1, substr (?1, 2))"
  " AND date > ?2 AND thread_id != 0 ORDER BY date DESC LIMIT 1";
static const char merge_children_sql[] =
  "UPDATE message SET thread_id = ?1 WHERE thread_id IN"
  " (SELECT m.thread_id FROM message_reference r JOIN message m ON m.id = r.message_id"
  "  WHERE r.ref = ?2 AND m.thread_id != ?1 AND m.thread_id != 0)";

static gint64
thread_of_message_id (RpStoreConn *conn,
                      const char  *message_id)
{
  sqlite3_stmt *stmt;
  gint64 thread = 0;

  if (message_id == NULL || (stmt = _rp_store_cached (conn, thread_of_id_sql, NULL)) == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    thread = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return thread;
}

/**
 * _rp_store_thread_assign:
 * @message_row: the new message, already inserted with thread_id 0
 *
 * Finds the thread of a new message and merges threads its arrival joins.
 *
 * Returns: the thread id (0 with @error set on failure)
 */
gint64
_rp_store_thread_assign (RpStoreConn            *conn,
                         gint64                  message_row,
                         const RpMessageSummary *summary,
                         const char             *thread_subject,
                         GError                **error)
{
  gint64 thread = 0;

  /* 1. A message it refers to, the closest first. */
  if (summary->in_reply_to != NULL)
    thread = thread_of_message_id (conn, summary->in_reply_to);
  for (int i = (int) g_strv_length (summary->references) - 1; thread == 0 && i >= 0; i--)
    thread = thread_of_message_id (conn, summary->references[i]);

  /* 2. The subject, for replies without references. */
  if (thread == 0 && summary->in_reply_to == NULL && summary->references[0] == NULL &&
      thread_subject[0] == '\1' && thread_subject[1] != '\0')
    {
      sqlite3_stmt *stmt = _rp_store_cached (conn, thread_of_subject_sql, error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, thread_subject, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, summary->date - SUBJECT_WINDOW_SECONDS);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        thread = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  if (thread == 0)
    thread = message_row;

  /* 3. Replies that came first join their parent's thread now. */
  if (summary->message_id != NULL)
    {
      sqlite3_stmt *stmt = _rp_store_cached (conn, merge_children_sql, error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, thread);
      sqlite3_bind_text (stmt, 2, summary->message_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _rp_store_set_sqlite_error (error, conn->db, "thread messages");
          sqlite3_reset (stmt);
          return 0;
        }
      sqlite3_reset (stmt);
    }

  return thread;
}
