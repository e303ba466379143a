/* rp-store-addresses.c: address completion from the mail in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-store-addresses.h"
#include "rp-store-private.h"

/* Every use of an address scores its weight divided by its age in 30-day
 * steps plus one, so that a correspondent of last week beats one written to
 * often years ago. Addresses in mail the user sent (the Sent folder, role
 * 4) weigh three times as much: those are people the user writes to. The
 * user's own From address in sent mail is not a correspondent and is left
 * out (kind 0 in the Sent folder). The name shown is the latest one used. */
static const char complete_sql[] =
  "SELECT a.address,"
  " (SELECT a2.name FROM message_address a2 JOIN message m2 ON m2.id = a2.message_id"
  "   WHERE a2.address = a.address COLLATE NOCASE AND a2.name IS NOT NULL AND a2.name != ''"
  "   ORDER BY m2.date DESC LIMIT 1),"
  " sum ((CASE WHEN f.role = 4 THEN 3.0 ELSE 1.0 END)"
  "      / (1.0 + max (0, ?3 - m.date) / 2592000.0)) AS score"
  " FROM message_address a"
  " JOIN message m ON m.id = a.message_id"
  " JOIN folder f ON f.id = m.folder_id"
  " WHERE (a.address LIKE ?1 ESCAPE '\\' OR a.name LIKE ?1 ESCAPE '\\'"
  "        OR a.name LIKE ?2 ESCAPE '\\')"
  "   AND NOT (f.role = 4 AND a.kind = 0)"
  " GROUP BY lower (a.address)"
  " ORDER BY score DESC, a.address"
  " LIMIT ?4";

static char *
escape_like (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/**
 * rp_store_complete_addresses:
 * @self: the store
 * @prefix: what the user typed
 * @limit: the most results wanted
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type RpAddress): the matches, or
 *   %NULL with @error set
 */
GPtrArray *
rp_store_complete_addresses (RpStore     *self,
                             const char  *prefix,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *starts = NULL;
  g_autofree char *word = NULL;
  g_autofree char *trimmed = NULL;
  RpStoreConn *conn;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);
  trimmed = g_strstrip (g_strdup (prefix));
  if (trimmed[0] == '\0' || limit == 0)
    return g_steal_pointer (&result);

  escaped = escape_like (trimmed);
  starts = g_strconcat (escaped, "%", NULL);
  word = g_strconcat ("% ", escaped, "%", NULL);

  conn = _rp_store_reader_acquire (self, error);
  if (conn == NULL)
    return NULL;
  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, complete_sql, error);
    int rc = SQLITE_DONE;

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_text (stmt, 1, starts, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, word, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
        sqlite3_bind_int64 (stmt, 4, limit);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            RpAddress *address = g_new0 (RpAddress, 1);
            const char *name = (const char *) sqlite3_column_text (stmt, 1);

            address->address = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
            address->name = g_strdup (name);
            g_ptr_array_add (result, address);
          }
        if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "complete addresses");
            ok = FALSE;
          }
      }
  }
  _rp_store_reader_release (self, conn);

  return ok ? g_steal_pointer (&result) : NULL;
}
