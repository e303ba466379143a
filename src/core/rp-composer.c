/* rp-composer.c: the MIME message built from a draft with GMime
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

/* RFC 5321 §4.5.3.1: 64 octets of local part, 254 of path in practice. */
#define MAX_LOCAL_PART 64
#define MAX_ADDRESS    254

/* Auxiliary methods */

/* A Message-ID as kept in drafts and summaries: without <>, and nothing
 * that could end the header or the angle brackets around it. */
static gboolean
message_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 998 || !g_utf8_validate (id, -1, NULL))
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$&-^_.+", c) != NULL;
}

/* "type/subtype" with RFC 2045 token characters only. */
static gboolean
content_type_is_valid (const char *type)
{
  const char *slash;

  if (type == NULL || (slash = strchr (type, '/')) == NULL || slash == type || slash[1] == '\0')
    return FALSE;

  for (const char *p = type; *p != '\0'; p++)
    {
      if (p != slash && !is_token_char (*p))
        return FALSE;
    }

  return TRUE;
}

/* A file name for Content-Disposition: one line, no folders. */
static char *
sanitize_file_name (const char *name)
{
  g_autofree char *line = rp_composer_sanitize_header (name ? name : "");

  g_strdelimit (line, "/\\", '_');
  if (*line == '\0' || g_str_equal (line, ".") || g_str_equal (line, ".."))
    return g_strdup ("attachment");

  return g_steal_pointer (&line);
}

static void
set_invalid_address (GError     **error,
                     const char  *address)
{
  g_autofree char *shown = rp_composer_sanitize_header (address ? address : "");

  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid email address."), shown);
}

static gboolean
validate_list (const GPtrArray  *list,
               GError          **error)
{
  for (guint i = 0; i < list->len; i++)
    {
      const RpAddress *a = g_ptr_array_index ((GPtrArray *) list, i);

      if (!rp_composer_address_is_valid (a->address))
        {
          set_invalid_address (error, a->address);
          return FALSE;
        }
      if (a->name != NULL && !g_utf8_validate (a->name, -1, NULL))
        {
          g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("A recipient’s name is not valid UTF-8 text."));
          return FALSE;
        }
    }

  return TRUE;
}

/* The text the part carries: LF line ends (the writer makes them CRLF) and
 * a final line end. */
static char *
normalize_body (const char *body)
{
  g_autofree char *copy = g_strdup (body);
  gsize length = _rp_message_normalize_newlines (copy, strlen (copy));
  GString *out = g_string_new_len (copy, length);

  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

static void
add_mailbox (GMimeMessage     *message,
             GMimeAddressType  type,
             const char       *name,
             const char       *address)
{
  InternetAddressList *list = g_mime_message_get_addresses (message, type);
  g_autofree char *clean_name = name ? rp_composer_sanitize_header (name) : g_strdup ("");
  InternetAddress *mailbox = internet_address_mailbox_new (clean_name, address);

  /* GMime would pick the smallest charset (often ISO-8859-1); UTF-8
   * everywhere is what every reader handles best. */
  internet_address_set_charset (mailbox, "UTF-8");
  internet_address_list_add (list, mailbox);
  g_object_unref (mailbox);
}

static char *
make_message_id (const char *from_address)
{
  const char *at = strrchr (from_address, '@');
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *domain = NULL;

  /* The domain of the From address makes the id globally unique together
   * with 122 random bits; an internationalised domain goes in as IDNA so
   * that the header stays ASCII. */
  domain = g_hostname_to_ascii (at != NULL ? at + 1 : "localhost");
  if (domain == NULL)
    domain = g_strdup ("localhost");
  g_strdelimit (uuid, "-", '.');

  return g_strdup_printf ("%s@%s", uuid, domain);
}

static void
param_use_utf8 (GMimeParamList *params,
                const char     *name)
{
  GMimeParam *param = params ? g_mime_param_list_get_parameter (params, name) : NULL;

  if (param == NULL)
    return;

  g_mime_param_set_charset (param, "UTF-8");
  g_mime_param_set_encoding_method (param, GMIME_PARAM_ENCODING_METHOD_RFC2231);
}

static GMimeObject *
make_text_part (const char *body)
{
  g_autofree char *text = normalize_body (body);
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream (stream,
                                                                   GMIME_CONTENT_ENCODING_DEFAULT);
  GMimeContentEncoding encoding;

  g_mime_part_set_content (GMIME_PART (part), wrapper);
  g_mime_text_part_set_charset (part, "utf-8");

  /* Plain ASCII with short lines goes as it is (GMime says "default" for
   * that); anything else is quoted-printable, which stays readable for
   * most languages and survives servers without 8BITMIME. */
  encoding = g_mime_part_get_best_content_encoding (GMIME_PART (part),
                                                    GMIME_ENCODING_CONSTRAINT_7BIT);
  if (encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT)
    encoding = GMIME_CONTENT_ENCODING_7BIT;
  else
    encoding = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  g_mime_part_set_content_encoding (GMIME_PART (part), encoding);

  g_object_unref (wrapper);
  g_object_unref (stream);
  return GMIME_OBJECT (part);
}

static GMimeObject *
make_attachment_part (const RpDraftAttachment  *attachment,
                      GError                  **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *name = NULL;
  g_autofree char *guessed = NULL;
  g_auto(GStrv) type = NULL;
  const char *content_type = attachment->content_type;
  GMimeContentDisposition *disposition;
  GMimeStream *stream;
  GMimeDataWrapper *wrapper;
  GMimePart *part;
  gconstpointer bytes;
  gsize size;

  if (attachment->data != NULL)
    data = g_bytes_ref (attachment->data);
  else
    {
      g_autoptr(GError) local_error = NULL;
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (attachment->path, &contents, &length, &local_error))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("The attachment “%s” cannot be read: %s"), attachment->path,
                       local_error->message);
          return NULL;
        }
      data = g_bytes_new_take (contents, length);
    }

  if (attachment->name != NULL)
    name = sanitize_file_name (attachment->name);
  else
    {
      g_autofree char *base = g_filename_display_basename (attachment->path);

      name = sanitize_file_name (base);
    }
  bytes = g_bytes_get_data (data, &size);

  if (!content_type_is_valid (content_type))
    {
      g_autofree char *guess = g_content_type_guess (name, bytes, size, NULL);

      guessed = g_content_type_get_mime_type (guess);
      content_type = content_type_is_valid (guessed) ? guessed : "application/octet-stream";
    }
  type = g_strsplit (content_type, "/", 2);

  part = g_mime_part_new_with_type (type[0], type[1]);
  stream = g_mime_stream_mem_new_with_buffer (bytes, size);
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);

  g_mime_part_set_filename (part, name);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);

  /* RFC 2231 names, in UTF-8, for everything beyond ASCII. */
  disposition = g_mime_object_get_content_disposition (GMIME_OBJECT (part));
  param_use_utf8 (g_mime_content_disposition_get_parameters (disposition), "filename");
  param_use_utf8 (g_mime_content_type_get_parameters (g_mime_object_get_content_type (GMIME_OBJECT (part))),
                  "name");

  return GMIME_OBJECT (part);
}

static GBytes *
write_message (GMimeMessage *message)
{
  GMimeFormatOptions *options = g_mime_format_options_clone (NULL);
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;

  /* CRLF: the form RFC 5322 defines, sent as it is and stored as sent. */
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_stream_flush (stream);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_object_unref (stream);
  g_mime_format_options_free (options);

  return g_byte_array_free_to_bytes (array);
}

/* The checks of rp_composer_validate(); a copy for the Drafts folder may
 * have no recipient yet. */
static gboolean
validate_draft (const RpDraft  *draft,
                gboolean        need_recipients,
                GError        **error)
{
  if (!rp_composer_address_is_valid (draft->from_address))
    {
      set_invalid_address (error, draft->from_address);
      return FALSE;
    }
  if (need_recipients && draft->to->len + draft->cc->len + draft->bcc->len == 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The message has no recipients."));
      return FALSE;
    }
  if (!validate_list (draft->to, error) || !validate_list (draft->cc, error) ||
      !validate_list (draft->bcc, error))
    return FALSE;

  if (!g_utf8_validate (draft->subject, -1, NULL) ||
      (draft->from_name != NULL && !g_utf8_validate (draft->from_name, -1, NULL)))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The subject or the sender’s name is not valid UTF-8 text."));
      return FALSE;
    }
  if (!g_utf8_validate (draft->body, -1, NULL))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The message text is not valid UTF-8; save it as UTF-8 and try again."));
      return FALSE;
    }

  if (draft->in_reply_to != NULL && !message_id_is_valid (draft->in_reply_to))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The message replied to has an unusable Message-ID."));
      return FALSE;
    }
  for (guint i = 0; draft->references[i] != NULL; i++)
    {
      if (!message_id_is_valid (draft->references[i]))
        {
          g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("The message replied to has an unusable Message-ID."));
          return FALSE;
        }
    }

  for (guint i = 0; i < draft->attachments->len; i++)
    {
      RpDraftAttachment *attachment = g_ptr_array_index (draft->attachments, i);

      if ((attachment->path == NULL) == (attachment->data == NULL) ||
          (attachment->name != NULL && !g_utf8_validate (attachment->name, -1, NULL)))
        {
          g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                               _("An attachment has neither a file nor any content."));
          return FALSE;
        }
    }

  return TRUE;
}

static GBytes *
build_message (const RpDraft     *draft,
               const RpAccount   *account,
               const RpIdentity  *identity,
               gboolean           for_drafts,
               GError           **error)
{
  g_autoptr(RpDraft) effective = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *message_id = NULL;
  GMimeMessage *message;
  GMimeObject *body;
  GBytes *bytes;

  if (identity == NULL)
    identity = rp_account_get_default_identity (account);

  if (!validate_draft (draft, !for_drafts, error))
    return NULL;
  if (identity != NULL && !_rp_composer_same_address (identity->address, draft->from_address))
    {
      g_autofree char *shown = rp_composer_sanitize_header (draft->from_address);

      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The address “%s” is not the identity the message is sent with."), shown);
      return NULL;
    }

  _rp_message_init_gmime ();
  effective = for_drafts ? rp_draft_copy (draft) : rp_draft_apply_identity (draft, identity);

  /* The body first: an unreadable attachment fails before anything else. */
  body = make_text_part (effective->body);
  if (effective->attachments->len > 0)
    {
      GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");

      g_mime_multipart_add (mixed, body);
      g_object_unref (body);
      body = GMIME_OBJECT (mixed);

      for (guint i = 0; i < effective->attachments->len; i++)
        {
          GMimeObject *part = make_attachment_part (g_ptr_array_index (effective->attachments, i),
                                                    error);

          if (part == NULL)
            {
              g_object_unref (body);
              return NULL;
            }
          g_mime_multipart_add (mixed, part);
          g_object_unref (part);
        }
    }

  message = g_mime_message_new (FALSE);

  now = g_date_time_new_now_local ();
  g_mime_message_set_date (message, now);
  add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, effective->from_name, effective->from_address);
  if (rp_composer_needs_sender (account, identity))
    add_mailbox (message, GMIME_ADDRESS_TYPE_SENDER, account->display_name, account->email);
  for (guint i = 0; i < effective->to->len; i++)
    {
      RpAddress *a = g_ptr_array_index (effective->to, i);

      add_mailbox (message, GMIME_ADDRESS_TYPE_TO, a->name, a->address);
    }
  for (guint i = 0; i < effective->cc->len; i++)
    {
      RpAddress *a = g_ptr_array_index (effective->cc, i);

      add_mailbox (message, GMIME_ADDRESS_TYPE_CC, a->name, a->address);
    }
  for (guint i = 0; for_drafts && i < effective->bcc->len; i++)
    {
      RpAddress *a = g_ptr_array_index (effective->bcc, i);

      add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, a->name, a->address);
    }

  subject = rp_composer_sanitize_header (effective->subject);
  g_mime_message_set_subject (message, subject, "UTF-8");

  message_id = make_message_id (effective->from_address);
  g_mime_message_set_message_id (message, message_id);

  if (effective->in_reply_to != NULL)
    {
      g_autofree char *value = g_strdup_printf ("<%s>", effective->in_reply_to);

      g_mime_object_set_header (GMIME_OBJECT (message), "In-Reply-To", value, NULL);
    }
  if (effective->references[0] != NULL)
    {
      g_autoptr(GString) value = g_string_new (NULL);

      for (guint i = 0; effective->references[i] != NULL; i++)
        g_string_append_printf (value, "%s<%s>", i > 0 ? " " : "", effective->references[i]);
      g_mime_object_set_header (GMIME_OBJECT (message), "References", value->str, NULL);
    }
  g_mime_object_set_header (GMIME_OBJECT (message), "MIME-Version", "1.0", NULL);

  g_mime_message_set_mime_part (message, body);
  g_object_unref (body);

  bytes = write_message (message);
  g_object_unref (message);

  return bytes;
}

/* Public API: composition */

gboolean
rp_composer_needs_sender (const RpAccount  *account,
                          const RpIdentity *identity)
{
  g_return_val_if_fail (account != NULL, FALSE);

  if (identity == NULL)
    return FALSE;
  if (identity->smtp_host != NULL && *identity->smtp_host != '\0')
    return FALSE;
  if (account->email == NULL || *account->email == '\0')
    return FALSE;

  return !_rp_composer_same_address (identity->address, account->email);
}

char *
rp_composer_dup_envelope_from (const RpAccount  *account,
                               const RpIdentity *identity)
{
  g_return_val_if_fail (account != NULL, NULL);

  /* Bounces of mail sent on behalf of an identity go to the account whose
   * server sent it, which is also what the server's sender checks expect. */
  if (identity == NULL || rp_composer_needs_sender (account, identity))
    return g_strdup (account->email);

  return g_strdup (identity->address);
}

GStrv
rp_composer_dup_recipients (const RpDraft    *draft,
                            const RpIdentity *identity)
{
  g_autoptr(RpDraft) effective = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GPtrArray *lists[3];

  g_return_val_if_fail (draft != NULL, NULL);

  effective = rp_draft_apply_identity (draft, identity);
  lists[0] = effective->to;
  lists[1] = effective->cc;
  lists[2] = effective->bcc;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        RpAddress *a = g_ptr_array_index (lists[l], i);

        if (_rp_composer_list_has_address (seen, a->address))
          continue;
        g_ptr_array_add (seen, a);
        g_strv_builder_add (builder, a->address);
      }

  return g_strv_builder_end (builder);
}

/**
 * rp_composer_validate:
 *
 * Returns: %TRUE if rp_composer_build() can make a message of @draft
 *   (attachment files are only read by the build)
 */
gboolean
rp_composer_validate (const RpDraft  *draft,
                      GError        **error)
{
  g_return_val_if_fail (draft != NULL, FALSE);

  return validate_draft (draft, TRUE, error);
}

/**
 * rp_composer_build:
 * @draft: what to send
 * @account: the account sending it
 * @identity: (nullable): the identity whose address is @draft's From; %NULL
 *   for the account's default identity
 * @error: a #GError
 *
 * Builds the message: Date, From, Sender (on behalf of, see
 * rp_composer_needs_sender()), To, Cc (with "Cc myself"), Subject,
 * Message-ID, In-Reply-To and References, MIME-Version, then a UTF-8
 * text/plain body, in a multipart/mixed with base64 attachments when there
 * are any. Bcc recipients never appear. Header text cannot break out of its
 * header: line breaks become spaces.
 *
 * Returns: (transfer full): the message with CRLF line ends, or %NULL
 */
GBytes *
rp_composer_build (const RpDraft     *draft,
                   const RpAccount   *account,
                   const RpIdentity  *identity,
                   GError           **error)
{
  g_return_val_if_fail (draft != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  return build_message (draft, account, identity, FALSE, error);
}

/**
 * rp_composer_build_draft:
 * @draft: what the user wrote so far
 * @account: the account it will be sent with
 * @identity: (nullable): the identity of @draft's From; %NULL for the
 *   account's default identity
 * @error: a #GError
 *
 * The copy kept in the Drafts folder. Unlike rp_composer_build(), the
 * recipients may still be missing, Bcc recipients are kept in a Bcc:
 * header (the draft never leaves the store), and "Cc/Bcc myself" are not
 * applied yet: they are added when the message is sent, so that reading
 * the copy back with rp_draft_new_from_message() gives @draft again.
 *
 * Returns: (transfer full): the message with CRLF line ends, or %NULL
 */
GBytes *
rp_composer_build_draft (const RpDraft     *draft,
                         const RpAccount   *account,
                         const RpIdentity  *identity,
                         GError           **error)
{
  g_return_val_if_fail (draft != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  return build_message (draft, account, identity, TRUE, error);
}

/* Public API: addresses and header text */

/**
 * rp_composer_parse_address:
 * @text: what the user typed: "a@b", "<a@b>" or "Name <a@b>"
 * @error: a #GError
 *
 * Returns: (transfer full): the address, or %NULL if @text is not exactly
 *   one valid mailbox
 */
RpAddress *
rp_composer_parse_address (const char  *text,
                           GError     **error)
{
  InternetAddressList *list;
  InternetAddress *ia;
  RpAddress *address = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* An address is one line; a line break is an attempt to add headers. */
  if (strpbrk (text, "\r\n") != NULL || !g_utf8_validate (text, -1, NULL))
    {
      set_invalid_address (error, text);
      return NULL;
    }

  _rp_message_init_gmime ();
  list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) != 1 ||
      !INTERNET_ADDRESS_IS_MAILBOX (ia = internet_address_list_get_address (list, 0)) ||
      !rp_composer_address_is_valid (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia))))
    set_invalid_address (error, text);
  else
    {
      const char *name = internet_address_get_name (ia);

      address = g_new0 (RpAddress, 1);
      address->name = (name != NULL && *name != '\0') ? rp_composer_sanitize_header (name) : NULL;
      address->address = g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
    }

  g_clear_object (&list);
  return address;
}

/**
 * rp_composer_address_is_valid:
 * @address: (nullable): an addr-spec, without angle brackets
 *
 * Deliberately stricter than RFC 5322 (no quoted local parts, no
 * comments, no domain literals): what passes can be written into a header
 * and an SMTP command without quoting. Non-ASCII is allowed (RFC 6532).
 *
 * Returns: %TRUE if @address is usable
 */
gboolean
rp_composer_address_is_valid (const char *address)
{
  const char *at;
  gsize length;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;

  length = strlen (address);
  at = strrchr (address, '@');
  if (length > MAX_ADDRESS || at == NULL || at == address || at[1] == '\0' ||
      (gsize) (at - address) > MAX_LOCAL_PART)
    return FALSE;

  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || strchr ("<>()[],;:\"\\", c) != NULL)
        return FALSE;
      if (c == '@' && p != at)
        return FALSE;
      if (c == '.' && (p[1] == '.' || p == address || p[1] == '@' || p[1] == '\0' ||
                       p == at + 1))
        return FALSE;
    }

  return TRUE;
}

/**
 * rp_composer_sanitize_header:
 * @text: any text
 *
 * Returns: (transfer full): @text as valid UTF-8 on one line, without
 *   control characters
 */
char *
rp_composer_sanitize_header (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* C0 and C1 controls, and the Unicode line and paragraph separators,
       * all of which a lenient reader might take for a line end. */
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
          c == ' ')
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}
