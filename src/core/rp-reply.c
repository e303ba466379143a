/* rp-reply.c: drafts that answer or pass on a message, and drafts from
 * mailto: links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-reply"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rp-account-store.h"
#include "rp-error.h"
#include "rp-reply.h"
#include "rp-store-private.h"

/* Auxiliary methods */

static gboolean
has_prefix_word (const char *subject,
                 const char *prefix)
{
  gsize len = strlen (prefix);

  return g_ascii_strncasecmp (subject, prefix, len) == 0;
}

/* The identity the message was addressed to, so that the answer comes from
 * the address the sender wrote to; else the account's default. */
static const RpIdentity *
choose_identity (const RpMessageSummary *original,
                 const RpAccount        *account)
{
  GPtrArray *lists[] = { original->to, original->cc };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const RpAddress *address = g_ptr_array_index (lists[l], i);
        RpIdentity *identity;

        if (address->address == NULL)
          continue;
        identity = rp_account_find_identity (account, address->address);
        if (identity != NULL)
          return identity;
      }

  return rp_account_get_default_identity (account);
}

static gboolean
draft_has_address (const RpDraft *draft,
                   const char    *address)
{
  GPtrArray *lists[] = { draft->to, draft->cc, draft->bcc };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const RpAddress *a = g_ptr_array_index (lists[l], i);

        if (a->address != NULL && g_ascii_strcasecmp (a->address, address) == 0)
          return TRUE;
      }

  return FALSE;
}

/* Adds @addresses once each, leaving out the user's own addresses. */
static void
add_recipients (RpDraft         *draft,
                const RpAccount *account,
                RpRecipientKind  kind,
                GPtrArray       *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      const RpAddress *a = g_ptr_array_index (addresses, i);

      if (a->address == NULL || a->address[0] == '\0')
        continue;
      if (rp_account_is_own_address (account, a->address))
        continue;
      if (draft_has_address (draft, a->address))
        continue;
      rp_draft_add_recipient (draft, kind, a->name, a->address);
    }
}

static char *
format_date (gint64 date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (date);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static char *
format_addresses (GPtrArray *addresses)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (addresses, i));

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, one);
    }

  return g_string_free (out, FALSE);
}

/* Public API */

/**
 * rp_reply_subject:
 * @subject: (nullable): the original subject
 * @forward: %TRUE for "Fwd: ", %FALSE for "Re: "
 *
 * Prefixes do not stack: a subject that already starts with the prefix (or
 * the common "Fw:" for forwards) is kept as it is.
 *
 * Returns: (transfer full): the new subject
 */
char *
rp_reply_subject (const char *subject,
                  gboolean    forward)
{
  if (subject == NULL)
    subject = "";
  while (g_ascii_isspace (*subject))
    subject++;

  if (forward)
    {
      if (has_prefix_word (subject, "Fwd:") || has_prefix_word (subject, "Fw:"))
        return g_strdup (subject);
      return g_strconcat ("Fwd: ", subject, NULL);
    }

  if (has_prefix_word (subject, "Re:"))
    return g_strdup (subject);

  return g_strconcat ("Re: ", subject, NULL);
}

/**
 * rp_reply_quote:
 * @original: the message answered
 *
 * Returns: (transfer full): the attribution line, the quoted body and an
 *   empty line to write under
 */
char *
rp_reply_quote (const RpMessageSummary *original)
{
  g_autofree char *date = format_date (original->date);
  const char *name = NULL;
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new (NULL);
  g_autofree char *body = NULL;
  gsize len;

  if (original->from != NULL)
    name = original->from->name != NULL && original->from->name[0] != '\0'
           ? original->from->name : original->from->address;
  if (name == NULL)
    name = _("Unknown sender");

  /* TRANSLATORS: the line above a quoted message; the first %s is the
   * date and time, the second the author's name. */
  g_string_append_printf (out, _("On %s, %s wrote:"), date, name);
  g_string_append_c (out, '\n');

  body = g_strdup (original->body_text != NULL ? original->body_text : "");
  len = strlen (body);
  while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
    body[--len] = '\0';
  lines = g_strsplit (body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize l = strlen (lines[i]);

      if (l > 0 && lines[i][l - 1] == '\r')
        lines[i][l - 1] = '\0';
      /* Lines already quoted get no space, the usual nesting style (">>"). */
      g_string_append (out, lines[i][0] == '>' ? ">" : "> ");
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

/**
 * rp_reply_build_from_summary:
 * @original: the message
 * @raw: (nullable): its bytes, for forwarding as an attachment
 * @account: the account that received it
 * @kind: what to do
 *
 * Returns: (transfer full): a new draft
 */
RpDraft *
rp_reply_build_from_summary (const RpMessageSummary *original,
                             GBytes                 *raw,
                             const RpAccount        *account,
                             RpReplyKind             kind)
{
  const RpIdentity *identity;
  const char *from_address;
  const char *from_name;
  RpDraft *draft;

  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  identity = choose_identity (original, account);
  from_address = identity != NULL ? identity->address : account->email;
  from_name = identity != NULL && identity->display_name != NULL
              ? identity->display_name : account->display_name;

  if (kind == RP_REPLY_SENDER || kind == RP_REPLY_ALL)
    {
      g_autofree char *quote = rp_reply_quote (original);
      gboolean from_self;

      draft = rp_draft_new_reply (original, from_address, from_name);
      from_self = original->from != NULL && original->from->address != NULL
                  && rp_account_is_own_address (account, original->from->address);

      if (original->reply_to->len > 0)
        add_recipients (draft, account, RP_RECIPIENT_TO, original->reply_to);
      else if (from_self)
        /* An answer to one's own sent mail goes to its recipients again. */
        add_recipients (draft, account, RP_RECIPIENT_TO, original->to);
      else if (original->from != NULL && original->from->address != NULL)
        rp_draft_add_recipient (draft, RP_RECIPIENT_TO, original->from->name,
                                original->from->address);

      if (kind == RP_REPLY_ALL)
        {
          if (original->from != NULL && original->from->address != NULL && !from_self
              && original->reply_to->len > 0)
            {
              g_autoptr(GPtrArray) author = g_ptr_array_new ();

              g_ptr_array_add (author, original->from);
              add_recipients (draft, account, RP_RECIPIENT_CC, author);
            }
          add_recipients (draft, account,
                          draft->to->len == 0 ? RP_RECIPIENT_TO : RP_RECIPIENT_CC,
                          original->to);
          add_recipients (draft, account, RP_RECIPIENT_CC, original->cc);
        }

      rp_draft_set_body (draft, quote);
      return draft;
    }

  {
    g_autofree char *subject = rp_reply_subject (original->subject, TRUE);

    draft = rp_draft_new (from_address, from_name);
    rp_draft_set_subject (draft, subject);
  }

  if (kind == RP_FORWARD_ATTACHMENT && raw != NULL)
    {
      g_autofree char *clean = g_strdup (original->subject[0] != '\0'
                                         ? original->subject : "message");
      g_autofree char *name = NULL;

      g_strdelimit (clean, "/\\:", '_');
      name = g_strconcat (clean, ".eml", NULL);
      rp_draft_add_attachment_bytes (draft, name, "message/rfc822", raw);
    }
  else
    {
      GString *body = g_string_new ("\n\n");
      g_autofree char *date = format_date (original->date);
      g_autofree char *from = original->from != NULL ? rp_address_format (original->from)
                                                     : g_strdup ("");
      g_autofree char *to = format_addresses (original->to);

      g_string_append_printf (body, "-------- %s --------\n", _("Forwarded Message"));
      g_string_append_printf (body, "%s: %s\n", _("Subject"), original->subject);
      g_string_append_printf (body, "%s: %s\n", _("Date"), date);
      g_string_append_printf (body, "%s: %s\n", _("From"), from);
      g_string_append_printf (body, "%s: %s\n", _("To"), to);
      if (original->cc->len > 0)
        {
          g_autofree char *cc = format_addresses (original->cc);

          g_string_append_printf (body, "%s: %s\n", _("Cc"), cc);
        }
      g_string_append_c (body, '\n');
      g_string_append (body, original->body_text != NULL ? original->body_text : "");
      rp_draft_set_body (draft, body->str);
      g_string_free (body, TRUE);
    }

  return draft;
}

/**
 * rp_reply_build:
 * @store: the store
 * @message_id: a stored message
 * @kind: what to do
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new draft, or %NULL with @error set
 */
RpDraft *
rp_reply_build (RpStore      *store,
                gint64        message_id,
                RpReplyKind   kind,
                GError      **error)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autoptr(RpAccount) account = NULL;
  gint64 account_id = 0;
  gint64 arrived = 0;
  RpStoreConn *conn;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  conn = _rp_store_reader_acquire (store, error);
  if (conn == NULL)
    return NULL;
  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db,
                                             "SELECT account_id, arrived FROM message WHERE id = ?1",
                                             error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, message_id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          {
            account_id = sqlite3_column_int64 (stmt, 0);
            arrived = sqlite3_column_int64 (stmt, 1);
          }
      }
  }
  _rp_store_reader_release (store, conn);
  if (account_id == 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                     _("The message no longer exists."));
      return NULL;
    }

  raw = rp_store_get_raw (store, message_id, error);
  if (raw == NULL)
    return NULL;
  account = rp_store_load_account_by_id (store, account_id, error);
  if (account == NULL)
    return NULL;
  summary = rp_message_summary_parse (raw, arrived);

  return rp_reply_build_from_summary (summary, raw, account, kind);
}

static gboolean
add_mailto_addresses (RpDraft          *draft,
                      RpRecipientKind   kind,
                      const char       *value,
                      GError          **error)
{
  g_autofree char *decoded = g_uri_unescape_string (value, NULL);
  g_auto(GStrv) parts = NULL;

  if (decoded == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The mailto: link is not correctly encoded."));
      return FALSE;
    }

  parts = g_strsplit (decoded, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      RpAddress *address;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;
      address = rp_composer_parse_address (parts[i], &local_error);
      if (address == NULL)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("The mailto: link holds an invalid address: %s"), parts[i]);
          return FALSE;
        }
      rp_draft_add_recipient (draft, kind, address->name, address->address);
      rp_address_free (address);
    }

  return TRUE;
}

/**
 * rp_draft_new_from_mailto:
 * @uri: a mailto: URI
 * @error: return location for a #GError
 *
 * Unknown header fields are ignored, as RFC 6068 §3 allows.
 *
 * Returns: (transfer full): a new draft, or %NULL with @error set
 */
RpDraft *
rp_draft_new_from_mailto (const char  *uri,
                          GError     **error)
{
  g_autoptr(RpDraft) draft = NULL;
  g_autofree char *path = NULL;
  const char *query;

  g_return_val_if_fail (uri != NULL, NULL);

  if (g_ascii_strncasecmp (uri, "mailto:", 7) != 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("This is not a mailto: link."));
      return NULL;
    }
  uri += 7;

  draft = rp_draft_new (NULL, NULL);
  query = strchr (uri, '?');
  path = query != NULL ? g_strndup (uri, query - uri) : g_strdup (uri);
  if (!add_mailto_addresses (draft, RP_RECIPIENT_TO, path, error))
    return NULL;

  if (query != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (query + 1, "&", -1);

      for (guint i = 0; fields[i] != NULL; i++)
        {
          char *eq = strchr (fields[i], '=');
          g_autofree char *key = NULL;
          const char *value;

          if (eq == NULL)
            continue;
          *eq = '\0';
          key = g_uri_unescape_string (fields[i], NULL);
          value = eq + 1;
          if (key == NULL)
            continue;

          if (g_ascii_strcasecmp (key, "to") == 0
              || g_ascii_strcasecmp (key, "cc") == 0
              || g_ascii_strcasecmp (key, "bcc") == 0)
            {
              RpRecipientKind kind = g_ascii_strcasecmp (key, "to") == 0 ? RP_RECIPIENT_TO
                                     : g_ascii_strcasecmp (key, "cc") == 0 ? RP_RECIPIENT_CC
                                     : RP_RECIPIENT_BCC;

              if (!add_mailto_addresses (draft, kind, value, error))
                return NULL;
            }
          else if (g_ascii_strcasecmp (key, "subject") == 0
                   || g_ascii_strcasecmp (key, "body") == 0)
            {
              g_autofree char *text = g_uri_unescape_string (value, NULL);
              g_autoptr(GString) clean = NULL;

              if (text == NULL || !g_utf8_validate (text, -1, NULL))
                {
                  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("The mailto: link is not correctly encoded."));
                  return NULL;
                }
              /* RFC 6068 writes line breaks as %0D%0A; the draft holds "\n". */
              clean = g_string_new (text);
              g_string_replace (clean, "\r\n", "\n", 0);
              if (g_ascii_strcasecmp (key, "subject") == 0)
                {
                  g_autofree char *subject = rp_composer_sanitize_header (clean->str);

                  rp_draft_set_subject (draft, subject);
                }
              else
                rp_draft_set_body (draft, clean->str);
            }
        }
    }

  return g_steal_pointer (&draft);
}
