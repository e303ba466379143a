/* rp-message-view-parse.c: turns a raw message into what the reading pane
 * shows, in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rp-message-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-message-private.h"
#include "rp-message-view-private.h"

typedef struct
{
  RpParsedMessage *parsed;
  GCancellable    *cancellable;
  guint            unnamed;
} Walk;

/* Auxiliary methods */

static void
rp_message_part_free (RpMessagePart *part)
{
  g_free (part->filename);
  g_free (part->content_type);
  g_free (part->content_id);
  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part);
}

static GBytes *
decode_part (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream;
  GByteArray *array;
  GBytes *bytes;

  if (content == NULL)
    return g_bytes_new (NULL, 0);

  /* GMime 3.2 has no autoptr cleanup functions: unref by hand. */
  stream = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (content, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (stream);

  return bytes;
}

static void
walk_part (Walk        *w,
           GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  g_autofree char *mime_type = NULL;
  const char *filename;
  gboolean attachment;
  RpMessagePart *part;

  if (g_cancellable_is_cancelled (w->cancellable))
    return;

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        walk_part (w, g_mime_multipart_get_part (multipart, i));
      return;
    }

  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      /* A forwarded message is shown as an attachment; its body is not
       * mixed into ours. */
      if (inner != NULL)
        {
          GMimeStream *stream = g_mime_stream_mem_new ();
          GByteArray *array;

          g_mime_object_write_to_stream (GMIME_OBJECT (inner), NULL, stream);
          array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
          part = g_new0 (RpMessagePart, 1);
          part->filename = g_strdup_printf ("%s.eml", _("Forwarded message"));
          part->content_type = g_strdup ("message/rfc822");
          part->data = g_bytes_new (array->data, array->len);
          g_object_unref (stream);
          part->is_attachment = TRUE;
          g_ptr_array_add (w->parsed->parts, part);
        }
      return;
    }

  if (!GMIME_IS_PART (object))
    return;

  {
    g_autofree char *raw_type = g_mime_content_type_get_mime_type (type);

    mime_type = g_ascii_strdown (raw_type, -1);
  }
  filename = g_mime_part_get_filename (GMIME_PART (object));
  attachment = g_mime_part_is_attachment (GMIME_PART (object));

  if (!attachment && GMIME_IS_TEXT_PART (object))
    {
      if (g_str_equal (mime_type, "text/plain") && w->parsed->text == NULL)
        {
          w->parsed->text = g_mime_text_part_get_text (GMIME_TEXT_PART (object));
          return;
        }
      if (g_str_equal (mime_type, "text/html") && w->parsed->html == NULL)
        {
          w->parsed->html = g_mime_text_part_get_text (GMIME_TEXT_PART (object));
          return;
        }
    }

  /* Calendar data beside the text is an invitation, which the invitation
   * bar shows; only a named or attached .ics file is listed as a file. */
  if (!attachment && filename == NULL &&
      (g_str_equal (mime_type, "text/calendar") || g_str_equal (mime_type, "application/ics")))
    return;

  part = g_new0 (RpMessagePart, 1);
  part->content_type = g_steal_pointer (&mime_type);
  part->content_id = g_strdup (g_mime_object_get_content_id (object));
  part->data = decode_part (GMIME_PART (object));
  /* An inline part with a Content-ID is there for cid: links in the HTML;
   * everything else the user may want to open or save. */
  part->is_attachment = attachment || filename != NULL || part->content_id == NULL;
  if (filename != NULL && *filename != '\0')
    part->filename = _rp_message_ensure_utf8 (g_strdup (filename));
  else
    part->filename = g_strdup_printf (_("Attachment %u"), ++w->unnamed);
  g_ptr_array_add (w->parsed->parts, part);
}

/* Public API */

RpParsedMessage *
_rp_parsed_message_new_from_bytes (GBytes        *raw,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(RpParsedMessage) parsed = g_new0 (RpParsedMessage, 1);
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  Walk w = { parsed, cancellable, 0 };

  g_return_val_if_fail (raw != NULL, NULL);

  _rp_message_init_gmime ();
  parsed->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_message_part_free);
  parsed->summary = rp_message_summary_parse (raw, g_get_real_time () / G_USEC_PER_SEC);

  stream = _rp_bytes_stream_new (raw);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, _rp_message_parser_options ());
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    {
      /* Not MIME at all: the summary's text is all there is. */
      parsed->text = g_strdup (parsed->summary->body_text);
      return g_steal_pointer (&parsed);
    }

  if (message->mime_part != NULL)
    walk_part (&w, message->mime_part);
  g_object_unref (message);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The text view wants LF line ends only. */
  if (parsed->text != NULL)
    {
      parsed->text = _rp_message_ensure_utf8 (parsed->text);
      _rp_message_normalize_newlines (parsed->text, strlen (parsed->text));
    }
  if (parsed->html != NULL)
    parsed->html = _rp_message_ensure_utf8 (parsed->html);
  if (parsed->text == NULL && parsed->html == NULL)
    parsed->text = g_strdup (parsed->summary->body_text);

  return g_steal_pointer (&parsed);
}

void
_rp_parsed_message_free (RpParsedMessage *parsed)
{
  if (parsed == NULL)
    return;
  g_clear_pointer (&parsed->summary, rp_message_summary_free);
  g_free (parsed->text);
  g_free (parsed->html);
  g_clear_pointer (&parsed->parts, g_ptr_array_unref);
  g_free (parsed);
}

RpMessagePart *
_rp_parsed_message_find_cid (RpParsedMessage *parsed,
                             const char      *cid)
{
  g_return_val_if_fail (parsed != NULL, NULL);
  g_return_val_if_fail (cid != NULL, NULL);

  for (guint i = 0; i < parsed->parts->len; i++)
    {
      RpMessagePart *part = g_ptr_array_index (parsed->parts, i);

      if (part->content_id != NULL && g_str_equal (part->content_id, cid))
        return part;
    }

  return NULL;
}
