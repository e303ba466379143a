/* rp-filter-match.c
 *
 * Matching messages against compiled rules. A fetch or a "Run filters
 * now" compiles the rules once (regular expressions, case-folded needles,
 * sizes, the user's own addresses), then looks at each message through an
 * RpFilterMessage that computes and case-folds each text only when a rule
 * first asks for it. The values of text conditions are found in a field's
 * folded text in one pass for all rules (rp-filter-index.c), so 200 rules
 * over 100,000 messages mostly cost a bitmap lookup per byte of From and
 * Subject, not 200 strstr() calls per message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "rp-account-store.h"
#include "rp-crm.h"
#include "rp-error.h"
#include "rp-filter-private.h"
#include "rp-message-private.h"

typedef struct
{
  RpFilterField  field;
  RpFilterOp     op;
  char          *header;      /* folded */
  char          *needle;      /* folded value */
  GRegex        *regex;       /* for RP_FILTER_OP_MATCHES */
  guint64        size;        /* for RP_FILTER_FIELD_SIZE */
  int            slot;        /* of @needle in the set's index, or -1 */
} CompiledCondition;

typedef struct
{
  RpFilterRule      *rule;    /* owned copy */
  CompiledCondition *conditions;
} CompiledRule;


/* A folder spec resolved for an account. @spec points into a compiled
 * rule, so identity is enough: no string is built per message. */
typedef struct
{
  gint64      account_id;
  const char *spec;
} FolderKey;

/* Auxiliary methods */

static guint
folder_key_hash (gconstpointer key)
{
  const FolderKey *k = key;

  return g_direct_hash (k->spec) ^ (guint) k->account_id;
}

static gboolean
folder_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const FolderKey *ka = a, *kb = b;

  return ka->account_id == kb->account_id && ka->spec == kb->spec;
}

static char *
fold (const char *text)
{
  gsize len = strlen (text);
  char *folded = g_malloc (len + 1);

  /* Most mail text is ASCII, where lower-casing is case folding: one pass
   * that lower-cases while it looks for a byte that is not, without a
   * call per character. */
  for (gsize i = 0; i <= len; i++)
    {
      guchar c = text[i];

      if (c >= 0x80)
        {
          g_free (folded);
          return g_utf8_casefold (text, len);
        }
      folded[i] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
  return folded;
}

static void
compiled_rule_clear (CompiledRule *cr)
{
  for (guint i = 0; i < cr->rule->conditions->len; i++)
    {
      g_free (cr->conditions[i].header);
      g_free (cr->conditions[i].needle);
      g_clear_pointer (&cr->conditions[i].regex, g_regex_unref);
    }
  g_free (cr->conditions);
  rp_filter_rule_free (cr->rule);
}

static void
add_candidate (GPtrArray  *candidates,
               const char *text)
{
  if (text != NULL && *text != '\0')
    g_ptr_array_add (candidates, fold (text));
}

static void
add_summary_addresses (GPtrArray *candidates,
                       GPtrArray *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      RpAddress *address = g_ptr_array_index (addresses, i);

      add_candidate (candidates, address->address);
      add_candidate (candidates, address->name);
    }
}

/* The single addresses (and display names) of From, To or Cc. */
static GPtrArray *
message_candidates (RpFilterMessage *msg,
                    RpFilterField    field)
{
  GPtrArray *candidates;

  if (msg->candidates[field] != NULL)
    return msg->candidates[field];

  candidates = g_ptr_array_new_with_free_func (g_free);
  if (field == RP_FILTER_FIELD_FROM)
    {
      add_candidate (candidates, msg->from_address);
      add_candidate (candidates, msg->from_name);
    }
  else if (msg->summary != NULL)
    {
      if (field != RP_FILTER_FIELD_CC)
        add_summary_addresses (candidates, msg->summary->to);
      if (field != RP_FILTER_FIELD_TO)
        add_summary_addresses (candidates, msg->summary->cc);
    }
  else if (msg->id != 0)
    {
      RpStoreConn *conn = _rp_store_reader_acquire (msg->store, NULL);
      sqlite3_stmt *stmt = conn ? _rp_store_cached (conn,
        "SELECT kind, name, address FROM message_address WHERE message_id = ?1 AND kind IN (1, 2)",
        NULL) : NULL;

      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, msg->id);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              int kind = sqlite3_column_int (stmt, 0);

              if ((kind == 1 && field == RP_FILTER_FIELD_CC) ||
                  (kind == 2 && field == RP_FILTER_FIELD_TO))
                continue;
              add_candidate (candidates, (const char *) sqlite3_column_text (stmt, 2));
              add_candidate (candidates, (const char *) sqlite3_column_text (stmt, 1));
            }
          sqlite3_reset (stmt);
        }
      _rp_store_reader_release (msg->store, conn);
    }

  msg->candidates[field] = candidates;
  return candidates;
}

static GBytes *
message_raw (RpFilterMessage *msg)
{
  if (msg->raw == NULL && msg->id != 0)
    msg->raw = rp_store_get_raw (msg->store, msg->id, NULL);
  return msg->raw;
}

static char *
load_body (RpFilterMessage *msg)
{
  RpStoreConn *conn;
  sqlite3_stmt *stmt;
  char *body = NULL;

  if (msg->summary != NULL)
    return g_strdup (msg->summary->body_text);

  /* The search index already holds the body as text: no MIME parse. */
  conn = _rp_store_reader_acquire (msg->store, NULL);
  stmt = conn ? _rp_store_cached (conn, "SELECT body FROM message_fts WHERE rowid = ?1", NULL)
              : NULL;
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, msg->id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  _rp_store_reader_release (msg->store, conn);

  return body;
}

/* The header @folded_name of the message, unfolded and decoded; a
 * repeated header (Received:) has its values joined by newlines. Only the
 * header block is scanned, only for this name, and only values with an
 * encoded word go through the MIME decoder. NULL if there is none. */
static char *
find_header (RpFilterMessage *msg,
             const char      *folded_name)
{
  GBytes *raw = message_raw (msg);
  gsize name_len = strlen (folded_name);
  g_autoptr(GString) result = NULL;
  const char *data;
  gsize size;
  const char *p;
  const char *end;

  if (raw == NULL)
    return NULL;

  data = g_bytes_get_data (raw, &size);
  p = data;
  end = data + size;
  while (p < end && *p != '\r' && *p != '\n')
    {
      const char *line_end = p;
      const char *colon;

      /* One header: up to a newline not followed by white space. */
      while (line_end < end)
        {
          const char *nl = memchr (line_end, '\n', end - line_end);

          line_end = nl ? nl + 1 : end;
          if (line_end >= end || (*line_end != ' ' && *line_end != '\t'))
            break;
        }

      colon = memchr (p, ':', line_end - p);
      if (colon != NULL)
        {
          const char *name_end = colon;

          while (name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t'))
            name_end--;
          if ((gsize) (name_end - p) == name_len && g_ascii_strncasecmp (p, folded_name, name_len) == 0)
            {
              g_autoptr(GString) value = g_string_sized_new (line_end - colon);
              g_autofree char *decoded = NULL;

              for (const char *q = colon + 1; q < line_end; q++)
                if (*q != '\r' && *q != '\n')
                  g_string_append_c (value, *q);
              g_strstrip (value->str);
              if (strstr (value->str, "=?") != NULL)
                decoded = g_mime_utils_header_decode_text (_rp_message_parser_options (),
                                                           value->str);
              else
                decoded = g_strdup (value->str);
              decoded = _rp_message_ensure_utf8 (decoded);

              if (result == NULL)
                result = g_string_new (decoded);
              else
                {
                  g_string_append_c (result, '\n');
                  g_string_append (result, decoded);
                }
            }
        }
      p = line_end;
    }

  return result ? g_string_free (g_steal_pointer (&result), FALSE) : NULL;
}

/* A header's value (folded if @folded), cached per message; an absent
 * header is cached as absent too. */
static const char *
message_header (RpFilterMessage *msg,
                const char      *folded_name,
                gboolean         folded)
{
  GHashTable *table;
  gpointer value;

  if (msg->headers == NULL)
    {
      msg->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      msg->folded_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  if (!g_hash_table_lookup_extended (msg->headers, folded_name, NULL, &value))
    {
      value = find_header (msg, folded_name);
      g_hash_table_insert (msg->headers, g_strdup (folded_name), value);
    }
  if (!folded || value == NULL)
    return value;

  table = msg->folded_headers;
  if (!g_hash_table_lookup_extended (table, folded_name, NULL, &value))
    {
      value = fold (g_hash_table_lookup (msg->headers, folded_name));
      g_hash_table_insert (table, g_strdup (folded_name), value);
    }
  return value;
}

/* The whole text of a field: what contains, does not contain and matches
 * look at. */
static const char *
message_text (RpFilterSet     *set,
              RpFilterMessage *msg,
              RpFilterField    field)
{
  if (msg->text[field] != NULL)
    return msg->text[field];

  switch (field)
    {
    case RP_FILTER_FIELD_FROM:
      /* Holds both candidates (address and name), as the set's index
       * assumes. */
      if (msg->from_name != NULL && *msg->from_name && msg->from_address != NULL)
        msg->text[field] = g_strconcat (msg->from_name, " <", msg->from_address, ">", NULL);
      else if (msg->from_address != NULL)
        msg->text[field] = g_strdup (msg->from_address);
      else
        msg->text[field] = g_strdup (msg->from_name ? msg->from_name : "");
      break;
    case RP_FILTER_FIELD_TO:
      msg->text[field] = g_strdup (msg->to_text ? msg->to_text : "");
      break;
    case RP_FILTER_FIELD_CC:
      msg->text[field] = g_strdup (msg->cc_text ? msg->cc_text : "");
      break;
    case RP_FILTER_FIELD_TO_OR_CC:
      msg->text[field] = g_strconcat (msg->to_text ? msg->to_text : "",
                                      msg->cc_text && *msg->cc_text ? ", " : "",
                                      msg->cc_text ? msg->cc_text : "", NULL);
      break;
    case RP_FILTER_FIELD_SUBJECT:
      msg->text[field] = g_strdup (msg->subject ? msg->subject : "");
      break;
    case RP_FILTER_FIELD_BODY:
      msg->text[field] = load_body (msg);
      if (msg->text[field] == NULL)
        msg->text[field] = g_strdup ("");
      break;
    case RP_FILTER_FIELD_ACCOUNT:
      {
        RpAccount *account = g_hash_table_lookup (set->accounts, &msg->account_id);

        msg->text[field] = g_strdup (account ? account->name : "");
      }
      break;
    case RP_FILTER_FIELD_HEADER:
    case RP_FILTER_FIELD_HAS_ATTACHMENT:
    case RP_FILTER_FIELD_SIZE:
    case RP_FILTER_FIELD_FROM_IDENTITY:
    case RP_FILTER_FIELD_SENDER_IN_CRM:
    default:
      g_assert_not_reached ();
    }

  return msg->text[field];
}

static const char *
message_folded (RpFilterSet     *set,
                RpFilterMessage *msg,
                RpFilterField    field)
{
  if (msg->folded[field] == NULL)
    msg->folded[field] = fold (message_text (set, msg, field));
  return msg->folded[field];
}

static gboolean
compare_one (RpFilterOp  op,
             const char *hay,
             const char *needle)
{
  gsize hay_len, needle_len;

  switch (op)
    {
    case RP_FILTER_OP_IS:
      return strcmp (hay, needle) == 0;
    case RP_FILTER_OP_BEGINS_WITH:
      return g_str_has_prefix (hay, needle);
    case RP_FILTER_OP_ENDS_WITH:
      hay_len = strlen (hay);
      needle_len = strlen (needle);
      return hay_len >= needle_len && memcmp (hay + hay_len - needle_len, needle, needle_len) == 0;
    case RP_FILTER_OP_CONTAINS:
    case RP_FILTER_OP_NOT_CONTAINS:
    case RP_FILTER_OP_MATCHES:
    case RP_FILTER_OP_GREATER:
    case RP_FILTER_OP_LESS:
    default:
      return strstr (hay, needle) != NULL;
    }
}

static gboolean
is_address_field (RpFilterField field)
{
  return field == RP_FILTER_FIELD_FROM || field == RP_FILTER_FIELD_TO ||
         field == RP_FILTER_FIELD_CC || field == RP_FILTER_FIELD_TO_OR_CC;
}

static gboolean
crm_knows (RpFilterSet *set,
           const char  *address)
{
  g_autofree char *folded = NULL;
  g_autoptr(GError) error = NULL;
  gpointer cached;
  gboolean known;

  if (address == NULL || *address == '\0')
    return FALSE;

  folded = fold (address);
  cached = g_hash_table_lookup (set->crm_known, folded);
  if (cached != NULL)
    return GPOINTER_TO_INT (cached) == 1;

  known = rp_crm_is_known_address (set->store, address, &error);
  if (error != NULL)
    g_warning ("Looking up %s in the CRM failed: %s", address, error->message);
  g_hash_table_insert (set->crm_known, g_steal_pointer (&folded), GINT_TO_POINTER (known ? 1 : 2));
  return known;
}

/* Whether @cc's value occurs in the folded text of its field: the field
 * is scanned for every value of the set once per message. */
static gboolean
value_occurs (RpFilterSet             *set,
              RpFilterMessage         *msg,
              const CompiledCondition *cc)
{
  if (msg->found_for != set)
    {
      g_free (msg->found);
      msg->found = g_malloc0 (MAX (1, _rp_filter_index_get_n_slots (set->index)));
      msg->found_for = set;
      msg->scanned = 0;
    }
  if ((msg->scanned & (1u << cc->field)) == 0)
    {
      _rp_filter_index_scan (set->index, cc->field, message_folded (set, msg, cc->field),
                             msg->found);
      msg->scanned |= 1u << cc->field;
    }
  return msg->found[cc->slot];
}

static gboolean
condition_matches (RpFilterSet             *set,
                   const CompiledCondition *cc,
                   RpFilterMessage         *msg)
{
  const char *hay;

  switch (cc->field)
    {
    case RP_FILTER_FIELD_HAS_ATTACHMENT:
      return msg->has_attachment;

    case RP_FILTER_FIELD_SIZE:
      return cc->op == RP_FILTER_OP_GREATER ? msg->size > cc->size : msg->size < cc->size;

    case RP_FILTER_FIELD_FROM_IDENTITY:
      {
        g_autofree char *folded = msg->from_address ? fold (msg->from_address) : NULL;

        return folded != NULL && g_hash_table_contains (set->own_addresses, folded);
      }

    case RP_FILTER_FIELD_SENDER_IN_CRM:
      return crm_knows (set, msg->from_address);

    case RP_FILTER_FIELD_HEADER:
      if (cc->op == RP_FILTER_OP_MATCHES)
        {
          hay = message_header (msg, cc->header, FALSE);
          return hay != NULL && g_regex_match (cc->regex, hay, 0, NULL);
        }
      hay = message_header (msg, cc->header, TRUE);
      if (cc->op == RP_FILTER_OP_NOT_CONTAINS)
        return hay == NULL || strstr (hay, cc->needle) == NULL;
      return hay != NULL && compare_one (cc->op, hay, cc->needle);

    case RP_FILTER_FIELD_FROM:
    case RP_FILTER_FIELD_TO:
    case RP_FILTER_FIELD_CC:
    case RP_FILTER_FIELD_TO_OR_CC:
    case RP_FILTER_FIELD_SUBJECT:
    case RP_FILTER_FIELD_BODY:
    case RP_FILTER_FIELD_ACCOUNT:
    default:
      break;
    }

  /* A value that is nowhere in the field's text decides the condition. */
  if (cc->slot >= 0 && !value_occurs (set, msg, cc))
    return cc->op == RP_FILTER_OP_NOT_CONTAINS;

  switch (cc->op)
    {
    case RP_FILTER_OP_MATCHES:
      return g_regex_match (cc->regex, message_text (set, msg, cc->field), 0, NULL);
    case RP_FILTER_OP_CONTAINS:
      return strstr (message_folded (set, msg, cc->field), cc->needle) != NULL;
    case RP_FILTER_OP_NOT_CONTAINS:
      return strstr (message_folded (set, msg, cc->field), cc->needle) == NULL;
    case RP_FILTER_OP_IS:
    case RP_FILTER_OP_BEGINS_WITH:
    case RP_FILTER_OP_ENDS_WITH:
      /* "To is boss@example.com" means one of the addresses is, not the
       * whole list; the whole text counts too ("Name <address>"). */
      if (compare_one (cc->op, message_folded (set, msg, cc->field), cc->needle))
        return TRUE;
      if (is_address_field (cc->field))
        {
          GPtrArray *candidates = message_candidates (msg, cc->field);

          for (guint i = 0; i < candidates->len; i++)
            if (compare_one (cc->op, g_ptr_array_index (candidates, i), cc->needle))
              return TRUE;
        }
      return FALSE;
    case RP_FILTER_OP_GREATER:
    case RP_FILTER_OP_LESS:
    default:
      return FALSE;
    }
}

static gboolean
rule_matches (RpFilterSet     *set,
              CompiledRule    *cr,
              RpFilterMessage *msg)
{
  guint n = cr->rule->conditions->len;

  for (guint i = 0; i < n; i++)
    {
      gboolean matched = condition_matches (set, &cr->conditions[i], msg);

      if (matched && !cr->rule->match_all)
        return TRUE;
      if (!matched && cr->rule->match_all)
        return FALSE;
    }

  return cr->rule->match_all && n > 0;
}

static gboolean
compile_rule (RpFilterSet        *set,
              const RpFilterRule *rule,
              GError            **error)
{
  CompiledRule cr = { 0, };

  if (!rp_filter_rule_validate (rule, error))
    return FALSE;

  cr.rule = rp_filter_rule_copy (rule);
  cr.conditions = g_new0 (CompiledCondition, rule->conditions->len);
  for (guint i = 0; i < rule->conditions->len; i++)
    {
      const RpFilterCondition *condition = g_ptr_array_index (rule->conditions, i);
      CompiledCondition *cc = &cr.conditions[i];

      cc->field = condition->field;
      cc->op = condition->op;
      cc->header = condition->header ? fold (condition->header) : NULL;
      cc->needle = fold (condition->value);
      cc->slot = -1;
      if (_rp_filter_index_field_is_indexed (cc->field) &&
          (cc->op == RP_FILTER_OP_CONTAINS || cc->op == RP_FILTER_OP_NOT_CONTAINS ||
           cc->op == RP_FILTER_OP_IS || cc->op == RP_FILTER_OP_BEGINS_WITH ||
           cc->op == RP_FILTER_OP_ENDS_WITH))
        cc->slot = _rp_filter_index_add (set->index, cc->field, cc->needle);
      if (condition->field == RP_FILTER_FIELD_SIZE)
        (void) _rp_filter_parse_size (condition->value, &cc->size);
      if (cc->field == RP_FILTER_FIELD_BODY)
        set->needs_body = TRUE;
      if (cc->field == RP_FILTER_FIELD_HEADER)
        set->needs_headers = TRUE;
      if (rp_filter_field_has_value (condition->field) && condition->op == RP_FILTER_OP_MATCHES)
        cc->regex = g_regex_new (condition->value,
                                 G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (cc->op != RP_FILTER_OP_MATCHES || cc->regex != NULL ||
                !rp_filter_field_has_value (cc->field));
    }

  g_array_append_val (set->rules, cr);
  return TRUE;
}

/* Internal API */

void
_rp_filter_message_init_fetched (RpFilterMessage        *msg,
                                 RpStore                *store,
                                 gint64                  account_id,
                                 const RpMessageSummary *summary,
                                 GBytes                 *raw)
{
  GString *to = g_string_new (NULL);
  GString *cc = g_string_new (NULL);

  memset (msg, 0, sizeof *msg);
  msg->store = store;
  msg->account_id = account_id;
  msg->summary = summary;
  msg->raw = raw ? g_bytes_ref (raw) : NULL;
  if (summary->from != NULL)
    {
      msg->from_name = g_strdup (summary->from->name);
      msg->from_address = g_strdup (summary->from->address);
    }
  /* The same "Name <a@b>, c@d" text the store keeps in to_text/cc_text. */
  for (int pass = 0; pass < 2; pass++)
    {
      GPtrArray *addresses = pass == 0 ? summary->to : summary->cc;
      GString *out = pass == 0 ? to : cc;

      for (guint i = 0; i < addresses->len; i++)
        {
          g_autofree char *one = rp_address_format (g_ptr_array_index (addresses, i));

          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append (out, one);
        }
    }
  msg->to_text = g_string_free (to, FALSE);
  msg->cc_text = g_string_free (cc, FALSE);
  msg->subject = g_strdup (summary->subject);
  msg->size = raw ? g_bytes_get_size (raw) : summary->size;
  for (guint i = 0; i < summary->attachments->len; i++)
    if (!((RpAttachment *) g_ptr_array_index (summary->attachments, i))->is_inline)
      msg->has_attachment = TRUE;
}

void
_rp_filter_message_init_row (RpFilterMessage *msg,
                             RpStore         *store,
                             sqlite3_stmt    *stmt)
{
  memset (msg, 0, sizeof *msg);
  msg->store = store;
  msg->id = sqlite3_column_int64 (stmt, 0);
  msg->account_id = sqlite3_column_int64 (stmt, 1);
  msg->folder_id = sqlite3_column_int64 (stmt, 2);
  msg->from_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  msg->from_address = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  msg->to_text = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  msg->cc_text = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  msg->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  msg->size = sqlite3_column_int64 (stmt, 8);
  msg->has_attachment = sqlite3_column_int (stmt, 9) != 0;
  msg->flags = sqlite3_column_int (stmt, 10);
  msg->date = sqlite3_column_int64 (stmt, 11);
}

gboolean
_rp_filter_message_load (RpFilterMessage  *msg,
                         RpStore          *store,
                         gint64            id,
                         GError          **error)
{
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  gboolean found = FALSE;

  if (conn == NULL)
    return FALSE;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
      "SELECT " RP_FILTER_MESSAGE_COLUMNS " FROM message WHERE id = ?1", error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          {
            _rp_filter_message_init_row (msg, store, stmt);
            found = TRUE;
          }
        else
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("There is no message %lld."), (long long) id);
      }
  }

  _rp_store_reader_release (store, conn);
  return found;
}

void
_rp_filter_message_clear (RpFilterMessage *msg)
{
  g_clear_pointer (&msg->raw, g_bytes_unref);
  g_clear_pointer (&msg->from_name, g_free);
  g_clear_pointer (&msg->from_address, g_free);
  g_clear_pointer (&msg->to_text, g_free);
  g_clear_pointer (&msg->cc_text, g_free);
  g_clear_pointer (&msg->subject, g_free);
  for (guint i = 0; i <= RP_FILTER_FIELD_LAST; i++)
    {
      g_clear_pointer (&msg->text[i], g_free);
      g_clear_pointer (&msg->folded[i], g_free);
      g_clear_pointer (&msg->candidates[i], g_ptr_array_unref);
    }
  g_clear_pointer (&msg->headers, g_hash_table_unref);
  g_clear_pointer (&msg->folded_headers, g_hash_table_unref);
  g_clear_pointer (&msg->found, g_free);
  msg->found_for = NULL;
  msg->scanned = 0;
}

RpFilterSet *
_rp_filter_set_new (RpStore    *store,
                    GPtrArray  *rules,
                    gboolean    include_disabled,
                    GError    **error)
{
  RpFilterSet *set = g_new0 (RpFilterSet, 1);
  g_autoptr(GPtrArray) accounts = NULL;

  set->store = g_object_ref (store);
  set->rules = g_array_new (FALSE, TRUE, sizeof (CompiledRule));
  g_array_set_clear_func (set->rules, (GDestroyNotify) compiled_rule_clear);
  set->own_addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  set->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) rp_account_free);
  set->folders = g_hash_table_new_full (folder_key_hash, folder_key_equal, g_free, NULL);
  set->crm_known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  set->index = _rp_filter_index_new ();

  for (guint i = 0; i < rules->len; i++)
    {
      const RpFilterRule *rule = g_ptr_array_index (rules, i);

      if ((rule->enabled || include_disabled) && !compile_rule (set, rule, error))
        {
          _rp_filter_set_free (set);
          return NULL;
        }
    }
  _rp_filter_index_finish (set->index);

  accounts = rp_store_load_accounts (store, error);
  if (accounts == NULL)
    {
      _rp_filter_set_free (set);
      return NULL;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      RpAccount *account = rp_account_copy (g_ptr_array_index (accounts, i));

      if (account->email != NULL && *account->email)
        g_hash_table_add (set->own_addresses, fold (account->email));
      for (guint j = 0; j < account->identities->len; j++)
        {
          RpIdentity *identity = g_ptr_array_index (account->identities, j);

          if (identity->address != NULL && *identity->address)
            g_hash_table_add (set->own_addresses, fold (identity->address));
        }
      g_hash_table_insert (set->accounts, &account->id, account);
    }

  return set;
}

RpFilterSet *
_rp_filter_set_load (RpStore  *store,
                     GError  **error)
{
  g_autoptr(GPtrArray) rules = rp_store_list_filters (store, error);

  if (rules == NULL)
    return NULL;
  return _rp_filter_set_new (store, rules, FALSE, error);
}

void
_rp_filter_set_free (RpFilterSet *set)
{
  if (set == NULL)
    return;
  g_array_unref (set->rules);
  g_hash_table_unref (set->own_addresses);
  g_hash_table_unref (set->accounts);
  g_hash_table_unref (set->folders);
  g_hash_table_unref (set->crm_known);
  _rp_filter_index_free (set->index);
  g_object_unref (set->store);
  g_free (set);
}

guint
_rp_filter_set_get_n_rules (RpFilterSet *set)
{
  return set->rules->len;
}

void
_rp_filter_set_evaluate (RpFilterSet     *set,
                         RpFilterMessage *msg,
                         RpFilterOutcome *outcome)
{
  memset (outcome, 0, sizeof *outcome);

  for (guint r = 0; r < set->rules->len; r++)
    {
      CompiledRule *cr = &g_array_index (set->rules, CompiledRule, r);

      if (!rule_matches (set, cr, msg))
        continue;

      outcome->n_rules_matched++;
      for (guint i = 0; i < cr->rule->actions->len; i++)
        {
          RpFilterAction *action = g_ptr_array_index (cr->rule->actions, i);

          switch (action->type)
            {
            case RP_FILTER_ACTION_MOVE:
              outcome->move_to = action->argument;
              outcome->to_trash = FALSE;
              break;
            case RP_FILTER_ACTION_DELETE:
              outcome->move_to = NULL;
              outcome->to_trash = TRUE;
              break;
            case RP_FILTER_ACTION_MARK_READ:
              outcome->set_flags |= RP_MESSAGE_FLAG_SEEN;
              break;
            case RP_FILTER_ACTION_FLAG:
              outcome->set_flags |= RP_MESSAGE_FLAG_FLAGGED;
              break;
            case RP_FILTER_ACTION_COPY:
            case RP_FILTER_ACTION_FORWARD:
            case RP_FILTER_ACTION_LINK_CRM:
            default:
              if (outcome->deferred == NULL)
                outcome->deferred = g_ptr_array_new ();
              g_ptr_array_add (outcome->deferred, action);
              break;
            }
        }

      if (cr->rule->stop)
        break;
    }
}

gboolean
_rp_filter_set_condition_matches (RpFilterSet     *set,
                                  guint            rule_index,
                                  guint            index,
                                  RpFilterMessage *msg)
{
  CompiledRule *cr;

  g_assert (rule_index < set->rules->len);
  cr = &g_array_index (set->rules, CompiledRule, rule_index);
  g_assert (index < cr->rule->conditions->len);
  return condition_matches (set, &cr->conditions[index], msg);
}

void
_rp_filter_outcome_clear (RpFilterOutcome *outcome)
{
  g_clear_pointer (&outcome->deferred, g_ptr_array_unref);
}

gint64
_rp_filter_set_resolve_folder (RpFilterSet  *set,
                               gint64        account_id,
                               const char   *spec,
                               GError      **error)
{
  FolderKey key = { account_id, spec };
  gpointer cached;
  gint64 id;

  if (g_hash_table_lookup_extended (set->folders, &key, NULL, &cached))
    return GPOINTER_TO_SIZE (cached);

  id = rp_store_find_folder (set->store, account_id, spec);
  if (id == 0)
    id = rp_store_find_folder (set->store, 0, spec);
  if (id == 0)
    {
      /* A rule names a folder that does not exist (yet): make it, path
       * component by path component, rather than leave mail unsorted. */
      g_auto(GStrv) parts = g_strsplit (spec, "/", -1);
      g_autoptr(GString) path = g_string_new (NULL);
      gint64 parent = 0;

      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (*parts[i] == '\0')
            continue;
          if (path->len > 0)
            g_string_append_c (path, '/');
          g_string_append (path, parts[i]);
          id = rp_store_find_folder (set->store, account_id, path->str);
          if (id == 0)
            id = rp_store_create_folder (set->store, account_id, parent, parts[i], error);
          if (id == 0)
            return 0;
          parent = id;
        }
      if (id == 0)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a folder."), spec);
          return 0;
        }
    }

  g_hash_table_insert (set->folders, g_memdup2 (&key, sizeof key), GSIZE_TO_POINTER ((gsize) id));
  return id;
}
