/* rp-crm-vcard.c: contacts and leads as vCard 4.0 (RFC 6350)
 *
 * Written here rather than with a library: Debian 12's vCard parsers come
 * with Evolution's address book (libebook) and its D-Bus services, far
 * more than reading and writing a handful of properties needs.
 *
 * Export writes VERSION:4.0 with FN, EMAIL (the primary with PREF=1),
 * TEL, ORG, TITLE and REV, and what vCard has no property for as
 * X-RAPPORT-* (kind, lead status, source, owner). Text is escaped
 * (backslash, comma, semicolon, newline) and lines are folded at 75
 * octets without splitting a UTF-8 character. Import also reads vCard
 * 3.0 (and group prefixes such as "item1.EMAIL").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-crm-private.h"
#include "rp-error.h"

#define FOLD_OCTETS 75

/* Auxiliary methods */

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ',':
          g_string_append (out, "\\,");
          break;
        case ';':
          g_string_append (out, "\\;");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

/* Appends "NAME:VALUE" folded into lines of at most 75 octets, each
 * continuation starting with one space, each line ending in CRLF. */
static void
append_line (GString    *out,
             const char *name,
             const char *value,
             gboolean    escape)
{
  g_autoptr(GString) line = g_string_new (name);
  const char *p;
  gsize width = 0;

  g_string_append_c (line, ':');
  if (escape)
    append_escaped (line, value);
  else
    g_string_append (line, value);

  p = line->str;
  while (*p != '\0')
    {
      const char *next = g_utf8_next_char (p);
      gsize len = next - p;

      if (width + len > FOLD_OCTETS)
        {
          g_string_append (out, "\r\n ");
          width = 1;
        }
      g_string_append_len (out, p, len);
      width += len;
      p = next;
    }
  g_string_append (out, "\r\n");
}

static void
append_optional (GString    *out,
                 const char *name,
                 const char *value)
{
  if (value != NULL && *value != '\0')
    append_line (out, name, value, TRUE);
}

static void
append_card (GString           *out,
             const RpCrmRecord *record)
{
  g_autoptr(GDateTime) rev = g_date_time_new_from_unix_utc (record->updated);
  g_autofree char *rev_text = g_date_time_format (rev, "%Y%m%dT%H%M%SZ");

  g_string_append (out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
  append_line (out, "FN", record->name ? record->name : "", TRUE);
  for (guint i = 0; record->emails[i] != NULL; i++)
    append_line (out, i == 0 ? "EMAIL;PREF=1" : "EMAIL", record->emails[i], TRUE);
  append_optional (out, "TEL;VALUE=text", record->phone);
  append_optional (out, "ORG", record->company);
  append_optional (out, "TITLE", record->job_title);
  append_line (out, "X-RAPPORT-KIND", rp_crm_kind_to_string (record->kind), FALSE);
  append_line (out, "X-RAPPORT-STATUS", rp_crm_lead_status_to_string (record->status), FALSE);
  append_optional (out, "X-RAPPORT-SOURCE", record->source);
  append_optional (out, "X-RAPPORT-OWNER", record->owner);
  append_line (out, "REV", rev_text, FALSE);
  g_string_append (out, "END:VCARD\r\n");
}

/* Splits @value at unescaped @separator and unescapes each part. */
static GStrv
split_unescape (const char *value,
                char        separator)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) part = g_string_new (NULL);

  for (const char *p = value; ; p++)
    {
      if (*p == '\0' || *p == separator)
        {
          g_strv_builder_add (builder, part->str);
          g_string_truncate (part, 0);
          if (*p == '\0')
            break;
        }
      else if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (part, *p == 'n' || *p == 'N' ? '\n' : *p);
        }
      else
        g_string_append_c (part, *p);
    }

  return g_strv_builder_end (builder);
}

static char *
unescape (const char *value)
{
  g_auto(GStrv) parts = split_unescape (value, '\0');

  return g_strdup (parts[0]);
}

/* Joins folded lines: a line break followed by a space or a tab is
 * removed with that one white-space character. */
static char *
unfold (const char *text,
        gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\r' && i + 1 < length && text[i + 1] == '\n')
        continue;
      if (text[i] == '\n' && i + 1 < length && (text[i + 1] == ' ' || text[i + 1] == '\t'))
        {
          i++;
          continue;
        }
      g_string_append_c (out, text[i]);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  RpCrmRecord  *record;
  GStrvBuilder *emails;
  char         *n_value;   /* N:, for cards without FN */
} Card;

static void
card_clear (Card *card)
{
  g_clear_pointer (&card->record, rp_crm_record_free);
  g_clear_pointer (&card->emails, g_strv_builder_unref);
  g_clear_pointer (&card->n_value, g_free);
}

/* One content line of a card: "group.NAME;PARAM=x:value". */
static void
card_add_line (Card       *card,
               const char *line)
{
  g_autofree char *name = NULL;
  const char *colon = NULL;
  const char *end_of_name;
  gboolean quoted = FALSE;
  const char *value;
  const char *dot;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        {
          colon = p;
          break;
        }
    }
  if (colon == NULL)
    return;
  value = colon + 1;

  end_of_name = line + strcspn (line, ";:");
  name = g_ascii_strup (line, end_of_name - line);
  dot = strchr (name, '.');
  if (dot != NULL)
    memmove (name, dot + 1, strlen (dot + 1) + 1);

  if (strcmp (name, "FN") == 0)
    {
      g_free (card->record->name);
      card->record->name = unescape (value);
    }
  else if (strcmp (name, "N") == 0)
    {
      g_free (card->n_value);
      card->n_value = g_strdup (value);
    }
  else if (strcmp (name, "EMAIL") == 0)
    {
      g_autofree char *address = unescape (value);

      if (*g_strstrip (address) != '\0')
        g_strv_builder_add (card->emails, address);
    }
  else if (strcmp (name, "TEL") == 0 && card->record->phone == NULL)
    {
      g_autofree char *phone = unescape (value);

      card->record->phone = g_strdup (g_str_has_prefix (phone, "tel:") ? phone + 4 : phone);
    }
  else if (strcmp (name, "ORG") == 0)
    {
      g_auto(GStrv) parts = split_unescape (value, ';');

      g_free (card->record->company);
      card->record->company = g_strdup (parts[0]);
    }
  else if (strcmp (name, "TITLE") == 0)
    {
      g_free (card->record->job_title);
      card->record->job_title = unescape (value);
    }
  else if (strcmp (name, "X-RAPPORT-KIND") == 0)
    rp_crm_kind_from_string (value, &card->record->kind);
  else if (strcmp (name, "X-RAPPORT-STATUS") == 0)
    rp_crm_lead_status_from_string (value, &card->record->status);
  else if (strcmp (name, "X-RAPPORT-SOURCE") == 0)
    {
      g_free (card->record->source);
      card->record->source = unescape (value);
    }
  else if (strcmp (name, "X-RAPPORT-OWNER") == 0)
    {
      g_free (card->record->owner);
      card->record->owner = unescape (value);
    }
}

/* "Family;Given;Additional;Prefix;Suffix" → "Given Family". */
static char *
name_from_n (const char *n_value)
{
  g_auto(GStrv) parts = split_unescape (n_value, ';');
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  guint order[] = { 3, 1, 2, 0, 4 };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (order[i] < g_strv_length (parts) && *parts[order[i]] != '\0')
      g_ptr_array_add (words, parts[order[i]]);
  g_ptr_array_add (words, NULL);

  return g_strjoinv (" ", (char **) words->pdata);
}

/* Finishes the card: its addresses into the record, and its name from N
 * when it has no FN. */
static RpCrmRecord *
card_finish (Card *card)
{
  RpCrmRecord *record = g_steal_pointer (&card->record);

  g_strfreev (record->emails);
  record->emails = g_strv_builder_end (card->emails);
  if ((record->name == NULL || *record->name == '\0') && card->n_value != NULL)
    {
      g_free (record->name);
      record->name = name_from_n (card->n_value);
    }
  card_clear (card);

  return record;
}

/* Adds the card as a record, or updates the record owning one of its
 * addresses (keeping addresses the card does not list). */
static gboolean
store_card (RpStoreConn  *conn,
            RpCrmRecord  *card_record,
            GError      **error)
{
  g_autoptr(RpCrmRecord) existing = NULL;
  g_autoptr(GStrvBuilder) merged = NULL;
  gint64 owner = 0;

  for (guint i = 0; owner == 0 && card_record->emails[i] != NULL; i++)
    {
      owner = _rp_crm_address_owner (conn, card_record->emails[i], error);
      if (owner < 0)
        return FALSE;
    }
  if (owner == 0)
    return _rp_crm_insert_record (conn, card_record, error);

  existing = _rp_crm_read_record (conn, owner, error);
  if (existing == NULL)
    return FALSE;

  merged = g_strv_builder_new ();
  g_strv_builder_addv (merged, (const char **) card_record->emails);
  for (guint i = 0; existing->emails[i] != NULL; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; card_record->emails[j] != NULL; j++)
        listed = listed || g_ascii_strcasecmp (existing->emails[i], card_record->emails[j]) == 0;
      if (!listed)
        g_strv_builder_add (merged, existing->emails[i]);
    }
  g_strfreev (card_record->emails);
  card_record->emails = g_strv_builder_end (merged);
  card_record->id = owner;

  return _rp_crm_replace_record (conn, card_record, error);
}

/* Internal API */

GPtrArray *
_rp_crm_parse_vcards (const char  *data,
                      gsize        length,
                      const char  *what,
                      GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Card card = { NULL, };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a vCard file in UTF-8"), what);
      return NULL;
    }
  text = unfold (data, length);
  lines = g_strsplit (text, "\n", -1);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_crm_record_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_ascii_strcasecmp (line, "BEGIN:VCARD") == 0)
        {
          card_clear (&card);
          card.record = rp_crm_record_new ();
          card.emails = g_strv_builder_new ();
        }
      else if (g_ascii_strcasecmp (line, "END:VCARD") == 0 && card.record != NULL)
        g_ptr_array_add (records, card_finish (&card));
      else if (card.record != NULL)
        card_add_line (&card, line);
    }
  card_clear (&card);

  return g_steal_pointer (&records);
}

/* Public API */

/**
 * rp_crm_export_vcard:
 * @path: the file to write (replaced atomically)
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_export_vcard (RpStore     *store,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  records = rp_crm_list_records (store, -1, NULL, error);
  if (records == NULL)
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    append_card (out, g_ptr_array_index (records, i));

  return g_file_set_contents (path, out->str, out->len, error);
}

/**
 * rp_crm_import_vcard:
 * @n_imported: (out) (optional): the number of cards read
 *
 * Imports every card of @path in one transaction: on error nothing is
 * imported.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_import_vcard (RpStore     *store,
                     const char  *path,
                     guint       *n_imported,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = NULL;
  RpStoreConn *conn;
  gsize length;
  gboolean ok = TRUE;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  records = _rp_crm_parse_vcards (contents, length, path, error);
  if (records == NULL)
    return FALSE;
  if (records->len == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” contains no vCard"), path);
      return FALSE;
    }

  conn = _rp_crm_write_begin (store, error);
  if (conn == NULL)
    return FALSE;

  for (guint i = 0; ok && i < records->len; i++)
    ok = store_card (conn, g_ptr_array_index (records, i), error);

  if (!_rp_crm_write_end (store, conn, ok, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS, error))
    return FALSE;

  if (n_imported != NULL)
    *n_imported = records->len;
  return TRUE;
}
