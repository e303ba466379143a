/* rp-crm-complete.c: address completion
 *
 * Completion runs on every keystroke, so it must stay within a few
 * milliseconds at 10,000 records and 100,000 messages even when one
 * letter matches thousands of addresses. Every completable address has a
 * row in address_use with a rank that does not change as time passes
 * (version-004.sql), kept in two partial indexes: one of the CRM's
 * addresses, one of addresses only collected from mail. For each group
 * one of two plans runs:
 *
 *   - few words start with what was typed: look them up in crm_word or
 *     address_word and sort that handful of candidates by rank;
 *   - many do: walk the group's rank index from the top and keep the rows
 *     whose words (one string per row) have a word starting with it, up
 *     to the limit. When many words match, matching rows are dense and
 *     the walk stops after a few dozen rows.
 *
 * Counting the matching words, capped, chooses the plan; both give the
 * same completions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <string.h>

#include "rp-crm-private.h"

/* Below this many matching words, the candidates are looked up; from
 * there on, the rank index is walked. */
#define LOOKUP_MAX_WORDS 400

/* Parameters, by name:
 *   :lo/:hi, :wlo/:whi  the word ranges of the first word typed and of the
 *                       whole text (an empty range when they are equal);
 *   :tsp, :wsp          the same with a space before, for instr() in the
 *                       words strings;
 *   :starts, :word      with more than one word typed: LIKE patterns the
 *                       address, name or company must also match (NULL
 *                       otherwise), as "text%" and "% text%";
 *   :cap, :limit        the counting cap and the most rows. */
#define WORD_RANGES \
  " ((word >= :lo AND word < :hi) OR (word >= :wlo AND word < :whi))"

static const char count_record_words_sql[] =
  "SELECT count (*) FROM (SELECT 1 FROM crm_word WHERE" WORD_RANGES " LIMIT :cap)";

static const char count_address_words_sql[] =
  "SELECT count (*) FROM (SELECT 1 FROM address_word WHERE" WORD_RANGES " LIMIT :cap)";

#define RECORD_ALSO \
  " AND (:starts IS NULL OR u.address LIKE :starts ESCAPE '\\'" \
  "      OR r.name LIKE :starts ESCAPE '\\' OR r.name LIKE :word ESCAPE '\\'" \
  "      OR r.company LIKE :starts ESCAPE '\\')"

#define COLLECTED_ALSO \
  " AND (:starts IS NULL OR u.address LIKE :starts ESCAPE '\\'" \
  "      OR u.name LIKE :starts ESCAPE '\\' OR u.name LIKE :word ESCAPE '\\')"

/* CRM records: the address as the record spells it, name, company, kind. */
static const char records_lookup_sql[] =
  "SELECT c.address, r.name, r.company, r.kind"
  " FROM (SELECT DISTINCT record_id FROM crm_word WHERE" WORD_RANGES ") w"
  " CROSS JOIN crm_address c ON c.record_id = w.record_id"
  " CROSS JOIN address_use u ON u.address = c.address"
  " CROSS JOIN crm_record r ON r.id = c.record_id"
  " WHERE 1" RECORD_ALSO
  " ORDER BY u.rank DESC, u.address LIMIT :limit";

static const char records_walk_sql[] =
  "SELECT (SELECT c.address FROM crm_address c WHERE c.address = u.address COLLATE NOCASE),"
  "  r.name, r.company, r.kind"
  " FROM address_use u INDEXED BY address_use_crm_rank"
  " CROSS JOIN crm_record r ON r.id = u.record_id"
  " WHERE u.record_id IS NOT NULL"
  "  AND (instr (r.words, :tsp) > 0 OR instr (r.words, :wsp) > 0)" RECORD_ALSO
  " ORDER BY u.rank DESC, u.address LIMIT :limit";

/* Addresses collected from mail that no record has. */
static const char collected_lookup_sql[] =
  "SELECT u.address, u.name"
  " FROM (SELECT DISTINCT address FROM address_word WHERE" WORD_RANGES ") w"
  " CROSS JOIN address_use u ON u.address = w.address"
  " WHERE u.record_id IS NULL" COLLECTED_ALSO
  " ORDER BY u.rank DESC, u.address LIMIT :limit";

static const char collected_walk_sql[] =
  "SELECT u.address, u.name"
  " FROM address_use u INDEXED BY address_use_collected_rank"
  " WHERE u.record_id IS NULL"
  "  AND (instr (u.words, :tsp) > 0 OR instr (u.words, :wsp) > 0)" COLLECTED_ALSO
  " ORDER BY u.rank DESC, u.address LIMIT :limit";

typedef struct
{
  char *lo, *hi, *wlo, *whi;
  char *tsp, *wsp;
  char *starts, *word;
} Query;

/* Auxiliary methods */

static void
query_clear (Query *q)
{
  g_free (q->lo);
  g_free (q->hi);
  g_free (q->wlo);
  g_free (q->whi);
  g_free (q->tsp);
  g_free (q->wsp);
  g_free (q->starts);
  g_free (q->word);
}

static char *
like_escape (const char *text,
             const char *before,
             const char *after)
{
  GString *out = g_string_new (before);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append (out, after);

  return g_string_free (out, FALSE);
}

/* The end of the range of words starting with @prefix: the prefix with
 * its last byte raised by one (words compare as bytes). */
static char *
range_end (const char *prefix)
{
  char *end = g_strdup (prefix);
  gsize len = strlen (end);

  while (len > 0 && (guchar) end[len - 1] == 0xff)
    end[--len] = '\0';
  if (len > 0)
    end[len - 1]++;

  return end;
}

static void
bind_named (sqlite3_stmt *stmt,
            const char   *name,
            const char   *text)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index == 0)
    return;
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_query (sqlite3_stmt *stmt,
            const Query  *q,
            gint64        limit)
{
  int index;

  bind_named (stmt, ":lo", q->lo);
  bind_named (stmt, ":hi", q->hi);
  bind_named (stmt, ":wlo", q->wlo);
  bind_named (stmt, ":whi", q->whi);
  bind_named (stmt, ":tsp", q->tsp);
  bind_named (stmt, ":wsp", q->wsp);
  bind_named (stmt, ":starts", q->starts);
  bind_named (stmt, ":word", q->word);
  if ((index = sqlite3_bind_parameter_index (stmt, ":cap")) != 0)
    sqlite3_bind_int (stmt, index, LOOKUP_MAX_WORDS);
  if ((index = sqlite3_bind_parameter_index (stmt, ":limit")) != 0)
    sqlite3_bind_int64 (stmt, index, limit);
}

/* Whether few enough words match for looking the candidates up. */
static gboolean
few_words (RpStoreConn  *conn,
           const char   *count_sql,
           const Query  *q,
           gboolean     *few,
           GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn, count_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_query (stmt, q, 0);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *few = sqlite3_column_int (stmt, 0) < LOOKUP_MAX_WORDS;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _rp_store_set_sqlite_error (error, conn->db, "complete addresses");
      return FALSE;
    }

  return TRUE;
}

/* Runs one group's query and appends its rows to @result. */
static gboolean
complete_group (RpStoreConn  *conn,
                const char   *sql,
                const Query  *q,
                gboolean      records,
                guint         limit,
                GPtrArray    *result,
                GError      **error)
{
  sqlite3_stmt *stmt = _rp_store_cached (conn, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_query (stmt, q, limit - result->len);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RpCrmCompletion *completion = g_new0 (RpCrmCompletion, 1);

      completion->address = _rp_crm_column_dup (stmt, 0);
      completion->name = _rp_crm_column_dup (stmt, 1);
      if (records)
        {
          completion->company = _rp_crm_column_dup (stmt, 2);
          completion->kind = sqlite3_column_int (stmt, 3);
        }
      else
        completion->kind = -1;
      g_ptr_array_add (result, completion);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, conn->db, "complete addresses");
      return FALSE;
    }

  return TRUE;
}

/* Public API */

/**
 * rp_crm_complete:
 * @prefix: what the user typed
 * @limit: the most completions
 *
 * Returns: (transfer container) (element-type RpCrmCompletion): CRM
 *   records first, then collected addresses, or %NULL with @error set
 */
GPtrArray *
rp_crm_complete (RpStore     *store,
                 const char  *prefix,
                 guint        limit,
                 GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) tokens = NULL;
  struct {
    const char *count_sql;
    const char *lookup_sql;
    const char *walk_sql;
  } groups[] = {
    { count_record_words_sql, records_lookup_sql, records_walk_sql },
    { count_address_words_sql, collected_lookup_sql, collected_walk_sql },
  };
  Query q = { NULL, };
  RpStoreConn *conn;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_crm_completion_free);
  trimmed = g_strstrip (g_strdup (prefix));
  tokens = g_str_tokenize_and_fold (trimmed, NULL, NULL);
  if (tokens[0] == NULL || limit == 0)
    return g_steal_pointer (&result);

  /* The whole text counts too when it is one word other than the first
   * token (an address such as "anna.m"); words never hold a space, so a
   * text with one can only match through its first word. */
  folded = g_utf8_casefold (trimmed, -1);
  if (strchr (folded, ' ') != NULL)
    {
      g_free (folded);
      folded = g_strdup (tokens[0]);
    }
  q.lo = g_strdup (tokens[0]);
  q.hi = range_end (tokens[0]);
  q.wlo = g_strdup (folded);
  q.whi = strcmp (folded, tokens[0]) != 0 ? range_end (folded) : g_strdup (folded);
  q.tsp = g_strconcat (" ", tokens[0], NULL);
  q.wsp = g_strconcat (" ", folded, NULL);
  if (tokens[1] != NULL)
    {
      q.starts = like_escape (trimmed, "", "%");
      q.word = like_escape (trimmed, "% ", "%");
    }

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    {
      query_clear (&q);
      return NULL;
    }

  for (guint g = 0; ok && g < G_N_ELEMENTS (groups) && result->len < limit; g++)
    {
      gboolean few = FALSE;

      ok = few_words (conn, groups[g].count_sql, &q, &few, error) &&
           complete_group (conn, few ? groups[g].lookup_sql : groups[g].walk_sql, &q, g == 0,
                           limit, result, error);
    }

  _rp_store_reader_release (store, conn);
  query_clear (&q);
  return ok ? g_steal_pointer (&result) : NULL;
}
