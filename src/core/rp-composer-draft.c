/* rp-composer-draft.c: drafts as values, and the rules that change them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-composer"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "rp-composer-private.h"
#include "rp-error.h"
#include "rp-message-private.h"

G_DEFINE_BOXED_TYPE (RpDraft, rp_draft, rp_draft_copy, rp_draft_free)

/* Auxiliary methods */

static RpAddress *
address_new (const char *name,
             const char *address)
{
  RpAddress *copy = g_new0 (RpAddress, 1);

  copy->name = (name != NULL && *name != '\0') ? rp_composer_sanitize_header (name) : NULL;
  copy->address = g_strdup (address);

  return copy;
}

static GPtrArray *
address_list_copy (const GPtrArray *list)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);

  for (guint i = 0; i < list->len; i++)
    {
      const RpAddress *a = g_ptr_array_index ((GPtrArray *) list, i);

      g_ptr_array_add (copy, address_new (a->name, a->address));
    }

  return copy;
}

static RpDraftAttachment *
attachment_copy (const RpDraftAttachment *attachment)
{
  RpDraftAttachment *copy = g_new0 (RpDraftAttachment, 1);

  copy->name = g_strdup (attachment->name);
  copy->content_type = g_strdup (attachment->content_type);
  copy->path = g_strdup (attachment->path);
  copy->data = attachment->data ? g_bytes_ref (attachment->data) : NULL;

  return copy;
}

/* Reading a stored draft back */

static GBytes *
object_bytes (GMimeObject *object)
{
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;

  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      /* The message as it was: no header folding or other re-encoding. */
      if (inner != NULL)
        g_mime_object_write_to_stream (GMIME_OBJECT (inner), NULL, stream);
    }
  else
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));

      /* Decoded: the draft holds the content, the composer encodes it again. */
      if (content != NULL)
        g_mime_data_wrapper_write_to_stream (content, stream);
    }
  g_mime_stream_flush (stream);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_object_unref (stream);

  return g_byte_array_free_to_bytes (array);
}

static void
add_part_as_attachment (RpDraft     *draft,
                        GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  g_autofree char *mime_type = g_ascii_strdown (g_mime_content_type_get_mime_type (type), -1);
  g_autoptr(GBytes) data = object_bytes (object);
  const char *name = NULL;

  if (GMIME_IS_PART (object))
    name = g_mime_part_get_filename (GMIME_PART (object));
  else if (disposition != NULL)
    name = g_mime_content_disposition_get_parameter (disposition, "filename");
  if (name == NULL || *name == '\0')
    name = GMIME_IS_MESSAGE_PART (object) ? "message.eml" : "attachment";

  rp_draft_add_attachment_bytes (draft, name, mime_type, data);
}

/* The body is the first text/plain part that is not an attachment; of a
 * multipart/alternative only that part counts (the HTML twin of a body
 * written elsewhere is not an attachment); every other leaf part becomes an
 * attachment with its content. */
static void
collect_parts (RpDraft      *draft,
               GMimeObject  *object,
               gboolean     *have_body)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      if (g_mime_content_type_is_type (type, "multipart", "alternative"))
        {
          for (int i = 0; i < n && !*have_body; i++)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);

              if (g_mime_content_type_is_type (g_mime_object_get_content_type (child),
                                               "text", "plain"))
                collect_parts (draft, child, have_body);
            }
          if (*have_body)
            return;
        }
      for (int i = 0; i < n; i++)
        collect_parts (draft, g_mime_multipart_get_part (multipart, i), have_body);
      return;
    }

  if (GMIME_IS_MESSAGE_PART (object))
    {
      add_part_as_attachment (draft, object);
      return;
    }
  if (!GMIME_IS_PART (object))
    return;

  if (!*have_body && GMIME_IS_TEXT_PART (object)
      && g_mime_content_type_is_type (type, "text", "plain")
      && !g_mime_part_is_attachment (GMIME_PART (object)))
    {
      g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (object));
      gsize length;

      if (text == NULL)
        text = g_strdup ("");
      text = _rp_message_ensure_utf8 (g_steal_pointer (&text));
      length = _rp_message_normalize_newlines (text, strlen (text));
      text[length] = '\0';
      rp_draft_set_body (draft, text);
      *have_body = TRUE;
      return;
    }

  add_part_as_attachment (draft, object);
}

static void
add_recipients (RpDraft             *draft,
                RpRecipientKind      kind,
                InternetAddressList *list)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (address))
        add_recipients (draft, kind,
                        internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address)));
      else if (INTERNET_ADDRESS_IS_MAILBOX (address))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
          g_autofree char *name = _rp_message_dup_nonempty (internet_address_get_name (address));

          if (addr != NULL && *addr != '\0')
            rp_draft_add_recipient (draft, kind, name, addr);
        }
    }
}

/* Internal API, for rp-composer.c */

gboolean
_rp_composer_same_address (const char *a,
                           const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return strcmp (fa, fb) == 0;
}

gboolean
_rp_composer_list_has_address (const GPtrArray *list,
                               const char      *address)
{
  for (guint i = 0; i < list->len; i++)
    {
      const RpAddress *a = g_ptr_array_index ((GPtrArray *) list, i);

      if (_rp_composer_same_address (a->address, address))
        return TRUE;
    }

  return FALSE;
}

/* Public API: drafts */

RpDraft *
rp_draft_new (const char *from_address,
              const char *from_name)
{
  RpDraft *draft = g_new0 (RpDraft, 1);

  draft->from_address = g_strdup (from_address);
  draft->from_name = g_strdup (from_name);
  draft->to = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);
  draft->cc = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);
  draft->bcc = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);
  draft->subject = g_strdup ("");
  draft->body = g_strdup ("");
  draft->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_draft_attachment_free);
  draft->references = g_new0 (char *, 1);

  return draft;
}

RpDraft *
rp_draft_copy (const RpDraft *draft)
{
  RpDraft *copy;

  g_return_val_if_fail (draft != NULL, NULL);

  copy = g_new0 (RpDraft, 1);
  copy->from_address = g_strdup (draft->from_address);
  copy->from_name = g_strdup (draft->from_name);
  copy->to = address_list_copy (draft->to);
  copy->cc = address_list_copy (draft->cc);
  copy->bcc = address_list_copy (draft->bcc);
  copy->subject = g_strdup (draft->subject);
  copy->body = g_strdup (draft->body);
  copy->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_draft_attachment_free);
  for (guint i = 0; i < draft->attachments->len; i++)
    g_ptr_array_add (copy->attachments, attachment_copy (g_ptr_array_index (draft->attachments, i)));
  copy->in_reply_to = g_strdup (draft->in_reply_to);
  copy->references = g_strdupv (draft->references);

  return copy;
}

void
rp_draft_free (RpDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->from_address);
  g_free (draft->from_name);
  g_ptr_array_unref (draft->to);
  g_ptr_array_unref (draft->cc);
  g_ptr_array_unref (draft->bcc);
  g_free (draft->subject);
  g_free (draft->body);
  g_ptr_array_unref (draft->attachments);
  g_free (draft->in_reply_to);
  g_strfreev (draft->references);
  g_free (draft);
}

void
rp_draft_attachment_free (RpDraftAttachment *attachment)
{
  if (attachment == NULL)
    return;

  g_free (attachment->name);
  g_free (attachment->content_type);
  g_free (attachment->path);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

void
rp_draft_add_recipient (RpDraft         *draft,
                        RpRecipientKind  kind,
                        const char      *name,
                        const char      *address)
{
  GPtrArray *list;

  g_return_if_fail (draft != NULL);
  g_return_if_fail (address != NULL);

  switch (kind)
    {
    case RP_RECIPIENT_TO:  list = draft->to;  break;
    case RP_RECIPIENT_CC:  list = draft->cc;  break;
    case RP_RECIPIENT_BCC: list = draft->bcc; break;
    default:
      g_return_if_reached ();
    }

  g_ptr_array_add (list, address_new (name, address));
}

void
rp_draft_set_subject (RpDraft    *draft,
                      const char *subject)
{
  g_return_if_fail (draft != NULL);

  g_free (draft->subject);
  draft->subject = g_strdup (subject ? subject : "");
}

void
rp_draft_set_body (RpDraft    *draft,
                   const char *body)
{
  g_return_if_fail (draft != NULL);

  g_free (draft->body);
  draft->body = g_strdup (body ? body : "");
}

void
rp_draft_add_attachment_file (RpDraft    *draft,
                              const char *path,
                              const char *content_type)
{
  RpDraftAttachment *attachment;

  g_return_if_fail (draft != NULL);
  g_return_if_fail (path != NULL);

  attachment = g_new0 (RpDraftAttachment, 1);
  attachment->path = g_strdup (path);
  attachment->name = g_filename_display_basename (path);
  attachment->content_type = g_strdup (content_type);
  g_ptr_array_add (draft->attachments, attachment);
}

void
rp_draft_add_attachment_bytes (RpDraft    *draft,
                               const char *name,
                               const char *content_type,
                               GBytes     *data)
{
  RpDraftAttachment *attachment;

  g_return_if_fail (draft != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (data != NULL);

  attachment = g_new0 (RpDraftAttachment, 1);
  attachment->name = g_strdup (name);
  attachment->content_type = g_strdup (content_type);
  attachment->data = g_bytes_ref (data);
  g_ptr_array_add (draft->attachments, attachment);
}

/**
 * rp_draft_new_reply:
 * @original: the summary of the message replied to
 * @from_address: the identity answering
 * @from_name: (nullable): its display name
 *
 * Recipients are not filled in: who gets the reply (sender, all, list) is
 * the caller's choice.
 *
 * Returns: (transfer full): a new draft
 */
RpDraft *
rp_draft_new_reply (const RpMessageSummary *original,
                    const char             *from_address,
                    const char             *from_name)
{
  RpDraft *draft;
  GStrvBuilder *references;
  const char *subject;

  g_return_val_if_fail (original != NULL, NULL);

  draft = rp_draft_new (from_address, from_name);
  subject = original->subject ? original->subject : "";
  if (g_ascii_strncasecmp (subject, "Re:", 3) == 0)
    rp_draft_set_subject (draft, subject);
  else
    {
      g_autofree char *re = g_strconcat ("Re: ", subject, NULL);

      rp_draft_set_subject (draft, re);
    }

  references = g_strv_builder_new ();
  for (guint i = 0; original->references != NULL && original->references[i] != NULL; i++)
    g_strv_builder_add (references, original->references[i]);
  if (original->message_id != NULL)
    {
      draft->in_reply_to = g_strdup (original->message_id);
      g_strv_builder_add (references, original->message_id);
    }
  g_strfreev (draft->references);
  draft->references = g_strv_builder_end (references);
  g_strv_builder_unref (references);

  return draft;
}

/**
 * rp_draft_apply_identity:
 * @draft: a draft
 * @identity: (nullable): the identity sending it
 *
 * Applying it twice gives the same draft as applying it once.
 *
 * Returns: (transfer full): a new draft
 */
RpDraft *
rp_draft_apply_identity (const RpDraft    *draft,
                         const RpIdentity *identity)
{
  RpDraft *copy;

  g_return_val_if_fail (draft != NULL, NULL);

  copy = rp_draft_copy (draft);
  if (identity == NULL)
    return copy;

  if (identity->cc_self &&
      !_rp_composer_list_has_address (copy->to, identity->address) &&
      !_rp_composer_list_has_address (copy->cc, identity->address))
    rp_draft_add_recipient (copy, RP_RECIPIENT_CC, identity->display_name, identity->address);

  if (identity->bcc_self &&
      !_rp_composer_list_has_address (copy->to, identity->address) &&
      !_rp_composer_list_has_address (copy->cc, identity->address) &&
      !_rp_composer_list_has_address (copy->bcc, identity->address))
    rp_draft_add_recipient (copy, RP_RECIPIENT_BCC, identity->display_name, identity->address);

  return copy;
}

/**
 * rp_draft_new_from_message:
 * @raw: a stored message, usually one rp_composer_build_draft() made
 * @error: return location for a #GError
 *
 * Attachments come back with their content (rp_draft_add_attachment_bytes()),
 * so the draft does not depend on the files it was first made from.
 * Headers are decoded as the message list shows them.
 *
 * Returns: (transfer full): the draft, or %NULL with @error set when @raw
 *   is not a message
 */
RpDraft *
rp_draft_new_from_message (GBytes  *raw,
                           GError **error)
{
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autoptr(RpDraft) draft = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimeObject *body;
  gboolean have_body = FALSE;

  g_return_val_if_fail (raw != NULL, NULL);

  _rp_message_init_gmime ();
  stream = _rp_bytes_stream_new (raw);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, _rp_message_parser_options ());
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_PROTOCOL,
                           _("The draft cannot be read: it is not a mail message."));
      return NULL;
    }

  /* The summary already decodes the headers leniently and alike for every
   * message; GMime adds what a summary has no use for: Bcc and the parts. */
  summary = rp_message_summary_parse (raw, 0);
  draft = rp_draft_new (summary->from != NULL ? summary->from->address : NULL,
                        summary->from != NULL ? summary->from->name : NULL);
  for (guint i = 0; i < summary->to->len; i++)
    {
      const RpAddress *a = g_ptr_array_index (summary->to, i);

      if (a->address != NULL)
        rp_draft_add_recipient (draft, RP_RECIPIENT_TO, a->name, a->address);
    }
  for (guint i = 0; i < summary->cc->len; i++)
    {
      const RpAddress *a = g_ptr_array_index (summary->cc, i);

      if (a->address != NULL)
        rp_draft_add_recipient (draft, RP_RECIPIENT_CC, a->name, a->address);
    }
  add_recipients (draft, RP_RECIPIENT_BCC,
                  g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_BCC));
  rp_draft_set_subject (draft, summary->subject);
  draft->in_reply_to = g_strdup (summary->in_reply_to);
  g_strfreev (draft->references);
  draft->references = g_strdupv (summary->references);

  body = g_mime_message_get_mime_part (message);
  if (body != NULL)
    collect_parts (draft, body, &have_body);
  g_object_unref (message);

  return g_steal_pointer (&draft);
}
