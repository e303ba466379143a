/* rp-store-search.c: full-text search with a small query language
 *
 *   words              every word must occur (the last one as a prefix, for
 *                      search as you type)
 *   "a phrase"         the words in this order
 *   from:ADDR to:ADDR  in the sender / the recipients (To and Cc)
 *   subject:WORD       in the subject
 *   has:attachment     with an attachment
 *   before:YYYY-MM-DD  dated before that day (local time)
 *   after:YYYY-MM-DD   dated on or after that day
 *   folder:NAME        in folders of that name ("Inbox", "Sent", a user folder)
 *   is:unread is:read is:flagged
 * Values take quotes: from:"Anna Müller".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "rp-error.h"
#include "rp-store-private.h"
#include "rp-store-search.h"

struct _RpStoreQuery
{
  GString   *match;   /* FTS5 expression, empty if none */
  GString   *where;   /* SQL conditions on m, "1" if none */
  GPtrArray *texts;   /* text parameters, bound as ?2, ?3, … after the match */
  GArray    *ints;    /* (gint64) parameters, bound after the texts */
};

/* Auxiliary methods */

static void
append_fts_string (GString    *out,
                   const char *column,
                   const char *text,
                   gboolean    prefix)
{
  if (out->len > 0)
    g_string_append (out, " AND ");
  if (column != NULL)
    g_string_append_printf (out, "%s : ", column);

  /* An FTS5 string: double quotes inside are doubled. The tokenizer splits
   * it into a phrase, so "anna@example.com" matches those three tokens in a
   * row. */
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');
}

static void
add_condition (RpStoreQuery *query,
               const char   *condition)
{
  g_string_append_printf (query->where, " AND (%s)", condition);
}

/* Parses YYYY-MM-DD (or with '/' or '.') as the start of that local day. */
static gboolean
parse_day (const char *text,
           gint64     *out)
{
  int y, m, d;
  char sep1, sep2;
  g_autoptr(GDateTime) dt = NULL;

  if (sscanf (text, "%4d%c%2d%c%2d", &y, &sep1, &m, &sep2, &d) != 5 || sep1 != sep2 ||
      (sep1 != '-' && sep1 != '/' && sep1 != '.'))
    return FALSE;

  dt = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;

  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Splits the query into tokens; a quoted run is one token with its quotes
 * removed, and @quoted says so. key:"value" keeps the key. */
static GPtrArray *
tokenize (const char *text,
          GArray     *quoted,
          gboolean   *ends_in_word)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  *ends_in_word = FALSE;

  while (*p)
    {
      GString *token;
      gboolean was_quoted = FALSE;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      token = g_string_new (NULL);
      while (*p && !g_ascii_isspace (*p))
        {
          if (*p == '"')
            {
              const char *end = strchr (p + 1, '"');

              was_quoted = TRUE;
              if (end == NULL)
                end = p + strlen (p);
              g_string_append_len (token, p + 1, end - p - 1);
              p = *end ? end + 1 : end;
              continue;
            }
          g_string_append_c (token, *p++);
        }

      *ends_in_word = !was_quoted && *p == '\0';
      g_array_append_val (quoted, was_quoted);
      g_ptr_array_add (tokens, g_string_free (token, FALSE));
    }

  return tokens;
}

/* Public API */

void
rp_store_query_free (RpStoreQuery *query)
{
  if (query == NULL)
    return;

  g_string_free (query->match, TRUE);
  g_string_free (query->where, TRUE);
  g_ptr_array_unref (query->texts);
  g_array_unref (query->ints);
  g_free (query);
}

/**
 * rp_store_query_parse:
 * @text: what the user typed
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parsed query, or %NULL with @error set for
 *   a malformed date
 */
RpStoreQuery *
rp_store_query_parse (const char  *text,
                      GError     **error)
{
  g_autoptr(RpStoreQuery) query = g_new0 (RpStoreQuery, 1);
  g_autoptr(GArray) quoted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) tokens = NULL;
  gboolean ends_in_word;

  g_return_val_if_fail (text != NULL, NULL);

  query->match = g_string_new (NULL);
  query->where = g_string_new ("1");
  query->texts = g_ptr_array_new_with_free_func (g_free);
  query->ints = g_array_new (FALSE, FALSE, sizeof (gint64));

  tokens = tokenize (text, quoted, &ends_in_word);

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      gboolean is_last = i + 1 == tokens->len;
      const char *colon = strchr (token, ':');
      g_autofree char *key = colon ? g_ascii_strdown (token, colon - token) : NULL;
      const char *value = colon ? colon + 1 : NULL;

      if (key != NULL && *value != '\0')
        {
          gint64 day;

          if (g_str_equal (key, "from"))
            {
              append_fts_string (query->match, "sender", value, FALSE);
              continue;
            }
          if (g_str_equal (key, "to"))
            {
              append_fts_string (query->match, "recipients", value, FALSE);
              continue;
            }
          if (g_str_equal (key, "subject"))
            {
              append_fts_string (query->match, "subject", value, is_last && ends_in_word);
              continue;
            }
          if (g_str_equal (key, "has") && g_ascii_strcasecmp (value, "attachment") == 0)
            {
              add_condition (query, "m.has_attachment = 1");
              continue;
            }
          if (g_str_equal (key, "is"))
            {
              if (g_ascii_strcasecmp (value, "unread") == 0)
                add_condition (query, "m.flags & 1 = 0");
              else if (g_ascii_strcasecmp (value, "read") == 0)
                add_condition (query, "m.flags & 1 = 1");
              else if (g_ascii_strcasecmp (value, "flagged") == 0)
                add_condition (query, "m.flags & 2 = 2");
              else
                {
                  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("“is:%s” is not known; use is:unread, is:read or is:flagged."),
                               value);
                  return NULL;
                }
              continue;
            }
          if (g_str_equal (key, "before") || g_str_equal (key, "after"))
            {
              g_autofree char *condition = NULL;

              if (!parse_day (value, &day))
                {
                  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a date; write it as YYYY-MM-DD."), value);
                  return NULL;
                }
              g_array_append_val (query->ints, day);
              condition = g_strdup_printf ("m.date %s ?%s%u", key[0] == 'b' ? "<" : ">=",
                                           "I", query->ints->len);
              add_condition (query, condition);
              continue;
            }
          if (g_str_equal (key, "folder") || g_str_equal (key, "in"))
            {
              g_autofree char *condition = NULL;

              g_ptr_array_add (query->texts, g_strdup (value));
              condition = g_strdup_printf (
                "m.folder_id IN (SELECT id FROM folder WHERE name = ?T%u COLLATE NOCASE)",
                query->texts->len);
              add_condition (query, condition);
              continue;
            }
        }

      /* A word or phrase; a word containing only punctuation adds nothing. */
      {
        gboolean has_word_char = FALSE;

        for (const char *p = token; *p && !has_word_char; p = g_utf8_next_char (p))
          has_word_char = g_unichar_isalnum (g_utf8_get_char (p));
        if (has_word_char)
          append_fts_string (query->match, NULL, token,
                             is_last && ends_in_word && !g_array_index (quoted, gboolean, i));
      }
    }

  return g_steal_pointer (&query);
}

gboolean
rp_store_query_is_empty (RpStoreQuery *query)
{
  g_return_val_if_fail (query != NULL, TRUE);

  return query->match->len == 0 && g_str_equal (query->where->str, "1");
}

/* Replaces the ?T<n> / ?I<n> placeholders by SQLite's numbered ones. */
static char *
number_parameters (const char *sql,
                   guint       first_text,
                   guint       n_texts)
{
  GString *out = g_string_new (NULL);

  for (const char *p = sql; *p; p++)
    {
      if (p[0] == '?' && (p[1] == 'T' || p[1] == 'I'))
        {
          char *end;
          guint64 n = g_ascii_strtoull (p + 2, &end, 10);
          guint index = p[1] == 'T' ? first_text + (guint) n - 1
                                    : first_text + n_texts + (guint) n - 1;

          g_string_append_printf (out, "?%u", index);
          p = end - 1;
          continue;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/**
 * rp_store_search_sync:
 * @self: a #RpStore
 * @text: the query, in the language described above
 * @limit: the most results to return
 * @cancellable: (nullable): interrupts a long search
 * @error: return location for a #GError
 *
 * Runs in any thread without waiting for writers.
 *
 * Returns: (transfer full) (element-type gint64): matching message ids,
 *   newest arrivals first
 */
GArray *
rp_store_search_sync (RpStore       *self,
                      const char    *text,
                      guint          limit,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(RpStoreQuery) query = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  g_autofree char *numbered = NULL;
  RpStoreConn *conn;
  gboolean has_match;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  query = rp_store_query_parse (text, error);
  if (query == NULL)
    return NULL;
  if (rp_store_query_is_empty (query))
    return g_steal_pointer (&ids);

  has_match = query->match->len > 0;
  if (has_match)
    /* Ordering by the FTS rowid (= message id, arrival order) lets FTS5
     * walk its index backwards and stop at the limit instead of sorting
     * every match. */
    sql = g_strdup_printf ("SELECT m.id FROM message_fts f JOIN message m ON m.id = f.rowid"
                           " WHERE message_fts MATCH ?1 AND %s ORDER BY f.rowid DESC LIMIT ?%u",
                           query->where->str, 2 + query->texts->len + query->ints->len);
  else
    sql = g_strdup_printf ("SELECT m.id FROM message m WHERE %s"
                           " ORDER BY m.date DESC, m.id DESC LIMIT ?%u",
                           query->where->str, 2 + query->texts->len + query->ints->len);
  numbered = number_parameters (sql, 2, query->texts->len);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, numbered, error);
    guint index = 2;
    int rc = SQLITE_DONE;

    ok = stmt != NULL;
    if (ok)
      {
        if (has_match)
          sqlite3_bind_text (stmt, 1, query->match->str, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (stmt, 1);
        for (guint i = 0; i < query->texts->len; i++)
          sqlite3_bind_text (stmt, index++, g_ptr_array_index (query->texts, i), -1,
                             SQLITE_STATIC);
        for (guint i = 0; i < query->ints->len; i++)
          sqlite3_bind_int64 (stmt, index++, g_array_index (query->ints, gint64, i));
        sqlite3_bind_int64 (stmt, index, limit);

        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            gint64 id = sqlite3_column_int64 (stmt, 0);

            g_array_append_val (ids, id);
            if ((ids->len & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
              break;
          }
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
          {
            _rp_store_set_sqlite_error (error, conn->db, "search");
            ok = FALSE;
          }
      }
  }

  _rp_store_reader_release (self, conn);

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  return ok ? g_steal_pointer (&ids) : NULL;
}

/**
 * rp_store_query_dup_match:
 *
 * Returns: (transfer full): the FTS5 expression, for tests and the trace
 */
char *
rp_store_query_dup_match (RpStoreQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  return g_strdup (query->match->str);
}
