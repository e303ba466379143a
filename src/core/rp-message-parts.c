/* rp-message-parts.c: the MIME tree of a message summary: which parts are
 * the body, which are attachments, and what their decoded sizes are
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-message"

#include "config.h"

#include <string.h>

#include "rp-message-private.h"

/* MIME trees deeper than this are hostile; the parts below are ignored. */
#define MAX_DEPTH 64
/* Attachment names made from a subject stay well below NAME_MAX. */
#define MAX_SUBJECT_FILENAME 120

typedef enum
{
  ROLE_BODY,       /* text found here is the message body */
  ROLE_ALTERNATE,  /* a branch of multipart/alternative that was not chosen */
} Role;

/* Auxiliary methods */

static gboolean
is_type (GMimeObject *object,
         const char  *type,
         const char  *subtype)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);

  return content_type != NULL && g_mime_content_type_is_type (content_type, type, subtype);
}

static char *
content_type_string (GMimeObject *object)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);
  char *mime_type = NULL;

  if (content_type != NULL)
    mime_type = g_mime_content_type_get_mime_type (content_type);
  if (mime_type == NULL)
    return g_strdup ("application/octet-stream");

  for (char *p = mime_type; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);

  return _rp_message_ensure_utf8 (mime_type);
}

static gboolean
has_disposition (GMimeObject *object,
                 const char  *disposition)
{
  const char *value = g_mime_object_get_disposition (object);

  return value != NULL && g_ascii_strcasecmp (value, disposition) == 0;
}

static const char *
raw_header (GMimeObject *object,
            const char  *name)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  GMimeHeader *header = headers != NULL ? g_mime_header_list_get_header (headers, name) : NULL;

  return header != NULL ? g_mime_header_get_raw_value (header) : NULL;
}

/* GMime decoded the parameters while parsing, with the encoded-word bug
 * that _rp_message_merge_encoded_words() works around; this parses the
 * header again when it has such words. Returns %NULL when there were none. */
static char *
reparse_parameter (RpMessageWalk *w,
                   GMimeObject   *object,
                   const char    *header_name,
                   const char    *parameter)
{
  const char *raw = raw_header (object, header_name);
  g_autofree char *unfolded = NULL;
  g_autofree char *merged = NULL;
  char *value = NULL;

  if (raw == NULL || strstr (raw, "=?") == NULL)
    return NULL;

  unfolded = g_mime_utils_header_unfold (raw);
  merged = _rp_message_merge_encoded_words (unfolded);
  if (merged == NULL)
    return NULL;

  if (g_ascii_strcasecmp (header_name, "Content-Disposition") == 0)
    {
      GMimeContentDisposition *disposition = g_mime_content_disposition_parse (w->options, merged);

      value = g_strdup (g_mime_content_disposition_get_parameter (disposition, parameter));
      g_object_unref (disposition);
    }
  else
    {
      GMimeContentType *content_type = g_mime_content_type_parse (w->options, merged);

      value = g_strdup (g_mime_content_type_get_parameter (content_type, parameter));
      g_object_unref (content_type);
    }

  return value;
}

/* The RFC 2231 or RFC 2047 decoded filename= or, failing that, name=. */
static char *
object_filename (RpMessageWalk *w,
                 GMimeObject   *object)
{
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  const char *name = NULL;
  g_autofree char *reparsed = NULL;
  char *filename;

  if (disposition != NULL)
    name = g_mime_content_disposition_get_parameter (disposition, "filename");
  if (name != NULL && *name != '\0')
    {
      reparsed = reparse_parameter (w, object, "Content-Disposition", "filename");
    }
  else
    {
      name = g_mime_object_get_content_type_parameter (object, "name");
      if (name != NULL && *name != '\0')
        reparsed = reparse_parameter (w, object, "Content-Type", "name");
    }

  filename = _rp_message_clean_line (_rp_message_dup_nonempty (reparsed != NULL ? reparsed : name));
  if (filename != NULL && *filename == '\0')
    g_clear_pointer (&filename, g_free);

  return filename;
}

/* RFC 2045 section 5.2: a Content-Type that cannot be parsed means
 * text/plain. GMime makes it application/octet-stream, which would hide
 * the body. */
static gboolean
has_broken_content_type (GMimeObject *object)
{
  const char *raw = raw_header (object, "Content-Type");

  return raw != NULL && strchr (raw, '/') == NULL;
}

/* Exactly what GMime's decoder produces for the whole part at once: every
 * base64 character (padding included) counts, complete quartets give
 * three bytes, and trailing padding takes them back. No output is written. */
static gsize
base64_decoded_size (const char *data,
                     gsize       length)
{
  gsize n_chars = 0;
  gsize size;
  guint n_pad = 0;
  guint seen = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=')
        n_chars++;
    }

  size = (n_chars / 4) * 3;
  if (n_chars % 4 != 0)
    return size;

  for (gsize i = length; i > 0 && seen < 2; i--)
    {
      char c = data[i - 1];

      if (g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=')
        {
          if (c == '=')
            n_pad++;
          seen++;
        }
    }

  return size >= n_pad ? size - n_pad : 0;
}

static gsize
quoted_printable_decoded_size (const char *data,
                               gsize       length)
{
  char buffer[4096 + 16];
  GMimeEncoding state;
  gsize size = 0;

  g_mime_encoding_init_decode (&state, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  for (gsize offset = 0; offset < length; offset += 4096)
    size += g_mime_encoding_step (&state, data + offset, MIN (4096, length - offset), buffer);
  size += g_mime_encoding_flush (&state, "", 0, buffer);

  return size;
}

static gboolean
is_identity_encoding (GMimeContentEncoding encoding)
{
  return encoding == GMIME_CONTENT_ENCODING_DEFAULT ||
         encoding == GMIME_CONTENT_ENCODING_7BIT ||
         encoding == GMIME_CONTENT_ENCODING_8BIT ||
         encoding == GMIME_CONTENT_ENCODING_BINARY;
}

/* The content of @part still encoded, in place in the raw message. */
static const char *
peek_content (GMimePart            *part,
              gsize                *length,
              GMimeContentEncoding *encoding)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream;

  *length = 0;
  *encoding = GMIME_CONTENT_ENCODING_DEFAULT;
  if (content == NULL)
    return NULL;

  *encoding = g_mime_data_wrapper_get_encoding (content);
  stream = g_mime_data_wrapper_get_stream (content);

  return stream != NULL ? _rp_bytes_stream_peek (stream, length) : NULL;
}

/* The decoded content of @part, nul-terminated. */
static char *
part_decoded_bytes (GMimePart *part,
                    gsize     *length)
{
  GMimeContentEncoding encoding;
  GMimeDataWrapper *content;
  GMimeStream *mem;
  GByteArray *array;
  const char *data;
  gsize data_length;
  char *out;

  data = peek_content (part, &data_length, &encoding);
  if (data != NULL && is_identity_encoding (encoding))
    {
      out = g_malloc (data_length + 1);
      memcpy (out, data, data_length);
      out[data_length] = '\0';
      *length = data_length;
      return out;
    }

  if (data != NULL &&
      (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
       encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE))
    {
      GMimeEncoding state;

      g_mime_encoding_init_decode (&state, encoding);
      out = g_malloc (MAX (g_mime_encoding_outlen (&state, data_length), data_length) + 4);
      *length = g_mime_encoding_flush (&state, data, data_length, out);
      out[*length] = '\0';
      return out;
    }

  *length = 0;
  content = g_mime_part_get_content (part);
  if (content == NULL)
    return g_strdup ("");

  mem = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (content, mem);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  out = g_malloc (array->len + 1);
  /* An empty part leaves the array without data: memcpy must not see NULL. */
  if (array->len > 0)
    memcpy (out, array->data, array->len);
  out[array->len] = '\0';
  *length = array->len;
  g_object_unref (mem);

  return out;
}

/* HTML without a charset parameter often declares it in a <meta>. */
static char *
sniff_meta_charset (const char *html,
                    gsize       length)
{
  gsize limit = MIN (length, 4096);

  for (gsize i = 0; i + 8 < limit; i++)
    {
      gsize start, end;

      if (g_ascii_strncasecmp (html + i, "charset=", 8) != 0)
        continue;

      start = i + 8;
      while (start < limit && (html[start] == '"' || html[start] == '\'' || html[start] == ' '))
        start++;
      end = start;
      while (end < limit && (g_ascii_isalnum (html[end]) || strchr ("-_.:", html[end]) != NULL) &&
             html[end] != '\0')
        end++;
      if (end > start)
        return g_strndup (html + start, end - start);
    }

  return NULL;
}

static char *
part_text (GMimePart *part,
           gboolean   html)
{
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  g_autofree char *sniffed = NULL;
  g_autofree char *bytes = NULL;
  char *text;
  gsize length;

  bytes = part_decoded_bytes (part, &length);
  if (html && (charset == NULL || *charset == '\0'))
    charset = sniffed = sniff_meta_charset (bytes, length);

  text = _rp_message_text_to_utf8 (bytes, length, charset, NULL, &length);
  _rp_message_normalize_newlines (text, length);

  if (html)
    {
      char *plain = rp_html_to_text (text, -1);

      g_free (text);
      return plain;
    }

  return text;
}

static char *
join_texts (GPtrArray *parts,
            gboolean   html)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *text = part_text (parts->pdata[i], html);

      if (*text == '\0')
        continue;
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append (out, text);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Where the inner message of @part ends in the raw message: at the next
 * delimiter of the enclosing multipart, or at the end of the data. */
static gsize
find_part_end (RpMessageWalk *w,
               gsize          start,
               const char    *boundary)
{
  gsize boundary_length;
  const char *p;
  const char *end = w->raw + w->raw_length;

  if (boundary == NULL)
    return w->raw_length;

  boundary_length = strlen (boundary);
  p = w->raw + start;
  while (p < end)
    {
      const char *hit = memmem (p, end - p, "\n--", 3);
      const char *after;

      if (hit == NULL)
        break;
      after = hit + 3;
      /* "--b" must not match the delimiter "--b2" of a nested multipart. */
      if ((gsize) (end - after) >= boundary_length &&
          memcmp (after, boundary, boundary_length) == 0 &&
          (after + boundary_length == end ||
           strchr ("-\r\n \t", after[boundary_length]) != NULL))
        {
          /* The line break before a delimiter belongs to the delimiter. */
          if (hit > w->raw + start && hit[-1] == '\r')
            hit--;
          return hit - w->raw;
        }
      p = hit + 1;
    }

  return w->raw_length;
}

/* The length of the inner message as it is in the raw message: from its
 * first header to the delimiter that closes the part. */
static gsize
message_part_size (RpMessageWalk    *w,
                   GMimeMessagePart *part,
                   const char       *boundary)
{
  GMimeMessage *inner = g_mime_message_part_get_message (part);
  GMimeHeaderList *headers;
  GMimeStream *null;
  gint64 start = -1;
  gsize size;

  if (inner == NULL)
    return 0;

  headers = g_mime_object_get_header_list (GMIME_OBJECT (inner));
  if (headers != NULL && g_mime_header_list_get_count (headers) > 0)
    start = g_mime_header_get_offset (g_mime_header_list_get_header_at (headers, 0));

  if (start >= 0 && (guint64) start <= w->raw_length)
    {
      gsize end = find_part_end (w, (gsize) start, boundary);

      return end > (gsize) start ? end - (gsize) start : 0;
    }

  /* No headers to start from: the size GMime writes it back with. */
  null = g_mime_stream_null_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (inner), NULL, null);
  size = GMIME_STREAM_NULL (null)->written;
  g_object_unref (null);

  return size;
}

static void
add_attachment (RpMessageWalk *w,
                GMimeObject   *object,
                char          *filename,
                gsize          size)
{
  RpAttachment *attachment = g_new0 (RpAttachment, 1);

  attachment->filename = filename;
  attachment->content_type = content_type_string (object);
  attachment->content_id =
    _rp_message_clean_line (_rp_message_dup_nonempty (g_mime_object_get_content_id (object)));
  attachment->size = size;
  /* An image with a Content-ID and no disposition is shown in the HTML. */
  attachment->is_inline = has_disposition (object, "inline") ||
                          (g_mime_object_get_disposition (object) == NULL &&
                           attachment->content_id != NULL &&
                           g_str_has_prefix (attachment->content_type, "image/"));

  /* Outlook's TNEF container, however it is labelled, is winmail.dat. */
  if (g_strcmp0 (attachment->content_type, "application/vnd.ms-tnef") == 0 ||
      (attachment->filename != NULL &&
       g_ascii_strcasecmp (attachment->filename, "winmail.dat") == 0))
    {
      g_free (attachment->content_type);
      attachment->content_type = g_strdup ("application/ms-tnef");
    }
  if (attachment->filename == NULL && strcmp (attachment->content_type, "application/ms-tnef") == 0)
    attachment->filename = g_strdup ("winmail.dat");

  g_ptr_array_add (w->summary->attachments, attachment);
}

/* An attached message without a filename is named after its subject. */
static char *
message_filename (GMimeMessage *message)
{
  g_autofree char *subject = NULL;
  g_autofree char *shortened = NULL;

  if (message != NULL)
    {
      const char *text = g_mime_message_get_subject (message);

      subject = _rp_message_clean_line (_rp_message_dup_nonempty (text));
    }
  if (subject == NULL || *subject == '\0')
    return g_strdup ("message.eml");

  /* g_utf8_substring() reads past the end of a shorter string. */
  if (g_utf8_strlen (subject, -1) > MAX_SUBJECT_FILENAME)
    shortened = g_utf8_substring (subject, 0, MAX_SUBJECT_FILENAME);
  else
    shortened = g_strdup (subject);
  g_strdelimit (shortened, "/\\", '_');

  return g_strconcat (shortened, ".eml", NULL);
}

static void
visit_message_part (RpMessageWalk    *w,
                    GMimeMessagePart *part,
                    const char       *boundary)
{
  GMimeObject *object = GMIME_OBJECT (part);
  char *filename = object_filename (w, object);

  if (filename == NULL)
    filename = message_filename (g_mime_message_part_get_message (part));

  add_attachment (w, object, filename, message_part_size (w, part, boundary));
}

/* GMime leaves a base64 or quoted-printable message/rfc822 part encoded
 * as a leaf; its name comes from the subject once decoded. */
static char *
encoded_message_filename (RpMessageWalk *w,
                          GMimePart     *part)
{
  gsize length;
  char *data = part_decoded_bytes (part, &length);
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, length);
  GMimeStream *stream = _rp_bytes_stream_new (bytes);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, w->options);
  char *filename = message_filename (message);

  g_clear_object (&message);
  g_object_unref (parser);
  g_object_unref (stream);

  return filename;
}

static void
visit_part (RpMessageWalk *w,
            GMimePart     *part,
            Role           role)
{
  GMimeObject *object = GMIME_OBJECT (part);
  char *filename = object_filename (w, object);
  gboolean calendar = is_type (object, "text", "calendar") ||
                      is_type (object, "application", "ics");
  gboolean broken = has_broken_content_type (object);

  if (calendar)
    w->summary->has_calendar = TRUE;

  /* Named or explicitly attached text is a file; the rest is the body. */
  if (filename == NULL && !has_disposition (object, "attachment") &&
      (broken || is_type (object, "text", "*")))
    {
      if (is_type (object, "text", "html"))
        {
          w->summary->has_html = TRUE;
          g_ptr_array_add (role == ROLE_BODY ? w->html_parts : w->alt_html_parts, part);
          return;
        }
      if (broken || is_type (object, "text", "plain"))
        {
          if (role == ROLE_BODY)
            g_ptr_array_add (w->plain_parts, part);
          return;
        }
      /* Calendar data next to the text, and other renderings of a body
       * that lost to text/plain, are not files. A text/x-patch or text/csv
       * in the body is. */
      if (calendar || role == ROLE_ALTERNATE)
        return;
    }

  if (filename == NULL &&
      (is_type (object, "message", "rfc822") || is_type (object, "message", "global")))
    filename = encoded_message_filename (w, part);

  add_attachment (w, object, filename, _rp_message_part_decoded_size (part));
}

static int
alternative_score (GMimeObject *object,
                   guint        depth)
{
  if (depth > MAX_DEPTH)
    return 0;

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);
      int best = 0;

      if (n == 0)
        return 0;
      if (!is_type (object, "multipart", "alternative"))
        return alternative_score (g_mime_multipart_get_part (multipart, 0), depth + 1);

      for (int i = 0; i < n; i++)
        best = MAX (best, alternative_score (g_mime_multipart_get_part (multipart, i), depth + 1));
      return best;
    }

  if (!GMIME_IS_PART (object) || has_disposition (object, "attachment"))
    return 0;
  if (is_type (object, "text", "plain"))
    return 2;
  if (is_type (object, "text", "html"))
    return 1;

  return 0;
}

/* text/plain wins, then HTML; with neither, the last (by RFC 2046, the
 * richest) part is the body. */
static int
choose_alternative (GMimeMultipart *multipart,
                    guint           depth)
{
  int n = g_mime_multipart_get_count (multipart);
  int best = n - 1;
  int best_score = 0;

  for (int i = 0; i < n; i++)
    {
      int score = alternative_score (g_mime_multipart_get_part (multipart, i), depth + 1);

      if (score > best_score)
        {
          best = i;
          best_score = score;
        }
    }

  return best;
}

/* A multipart whose boundary never occurs has all its content in the
 * prologue. When the prologue starts with a delimiter line, the sender
 * declared the wrong boundary (or none): parse again with the one used. */
static GMimeObject *
recover_multipart (RpMessageWalk   *w,
                   GMimeMultipart  *multipart,
                   GBytes         **bytes)
{
  const char *prologue = g_mime_multipart_get_prologue (multipart);
  g_autofree char *type = NULL;
  const char *line;
  const char *end;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeObject *object;
  GString *text;

  if (prologue == NULL)
    return NULL;

  line = prologue;
  while (*line == '\r' || *line == '\n' || *line == ' ' || *line == '\t')
    line++;
  if (line[0] != '-' || line[1] != '-')
    return NULL;
  line += 2;
  for (end = line; g_ascii_isgraph (*end) && *end != '"' && *end != '\\'; end++)
    ;
  if (end == line || end - line > 70 || (*end != '\r' && *end != '\n' && *end != '\0'))
    return NULL;

  type = content_type_string (GMIME_OBJECT (multipart));
  text = g_string_new (NULL);
  g_string_append_printf (text, "Content-Type: %s; boundary=\"%.*s\"\n\n",
                          type, (int) (end - line), line);
  g_string_append (text, prologue);
  *bytes = g_string_free_to_bytes (text);

  stream = _rp_bytes_stream_new (*bytes);
  parser = g_mime_parser_new_with_stream (stream);
  object = g_mime_parser_construct_part (parser, w->options);
  g_object_unref (parser);
  g_object_unref (stream);

  if (object != NULL &&
      (!GMIME_IS_MULTIPART (object) || g_mime_multipart_get_count (GMIME_MULTIPART (object)) == 0))
    g_clear_object (&object);

  return object;
}

static void visit (RpMessageWalk *w,
                   GMimeObject   *object,
                   Role           role,
                   const char    *boundary,
                   guint          depth);

static void
visit_multipart (RpMessageWalk  *w,
                 GMimeMultipart *multipart,
                 Role            role,
                 guint           depth)
{
  GMimeObject *object = GMIME_OBJECT (multipart);
  const char *boundary = g_mime_multipart_get_boundary (multipart);
  int n = g_mime_multipart_get_count (multipart);
  int chosen = -1;
  gboolean is_signed = is_type (object, "multipart", "signed");
  gboolean is_encrypted = is_type (object, "multipart", "encrypted");

  if (n == 0)
    {
      g_autoptr(GBytes) bytes = NULL;
      GMimeObject *recovered = recover_multipart (w, multipart, &bytes);

      if (recovered != NULL)
        {
          const char *saved_raw = w->raw;
          gsize saved_length = w->raw_length;

          /* Offsets in the recovered parts are into their own buffer; the
           * parts' content streams keep that buffer alive. */
          g_ptr_array_add (w->recovered, recovered);
          w->raw = g_bytes_get_data (bytes, &w->raw_length);
          visit (w, recovered, role, NULL, depth + 1);
          w->raw = saved_raw;
          w->raw_length = saved_length;
        }
      return;
    }

  if (is_type (object, "multipart", "alternative") && role == ROLE_BODY)
    chosen = choose_alternative (multipart, depth);

  for (int i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);
      Role child_role = role;

      /* Signatures and the PGP/MIME version part are not files the user
       * attached; listing them would put a paperclip on every signed mail. */
      if (is_signed && i == 1 &&
          (is_type (child, "application", "pgp-signature") ||
           is_type (child, "application", "pkcs7-signature") ||
           is_type (child, "application", "x-pkcs7-signature")))
        continue;
      if (is_encrypted && i == 0 && is_type (child, "application", "pgp-encrypted"))
        continue;

      if (chosen >= 0 && i != chosen)
        child_role = ROLE_ALTERNATE;
      else if (is_type (object, "multipart", "alternative") && role != ROLE_BODY)
        child_role = ROLE_ALTERNATE;

      visit (w, child, child_role, boundary, depth + 1);
    }
}

static void
visit (RpMessageWalk *w,
       GMimeObject   *object,
       Role           role,
       const char    *boundary,
       guint          depth)
{
  if (object == NULL || depth > MAX_DEPTH)
    return;

  /* An attached message is one attachment: its own parts, text and
   * calendar data belong to it, not to this message. */
  if (GMIME_IS_MESSAGE_PART (object))
    visit_message_part (w, GMIME_MESSAGE_PART (object), boundary);
  else if (GMIME_IS_MULTIPART (object))
    visit_multipart (w, GMIME_MULTIPART (object), role, depth);
  else if (GMIME_IS_PART (object))
    visit_part (w, GMIME_PART (object), role);
}

/* Internal API */

/*
 * _rp_message_walk_parts:
 * @w: the parse
 * @body: (nullable): the message's top-level part
 *
 * Fills in the attachments and the has_html and has_calendar flags, and
 * finds the parts _rp_message_assemble_body() takes the text from.
 */
void
_rp_message_walk_parts (RpMessageWalk *w,
                        GMimeObject   *body)
{
  visit (w, body, ROLE_BODY, NULL, 0);
}

/* The decoded size without decoding when possible: the parser's content
 * substreams point into the raw message, so base64 only needs counting.
 * Other encodings (uuencode, or content GMime did not leave in place) are
 * decoded into a counting stream. */
gsize
_rp_message_part_decoded_size (GMimePart *part)
{
  GMimeContentEncoding encoding;
  GMimeDataWrapper *content;
  GMimeStream *null;
  const char *data;
  gsize length;
  gsize size;

  data = peek_content (part, &length, &encoding);
  if (data != NULL)
    {
      if (is_identity_encoding (encoding))
        return length;
      if (encoding == GMIME_CONTENT_ENCODING_BASE64)
        return base64_decoded_size (data, length);
      if (encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
        return quoted_printable_decoded_size (data, length);
    }

  content = g_mime_part_get_content (part);
  if (content == NULL)
    return 0;

  null = g_mime_stream_null_new ();
  g_mime_data_wrapper_write_to_stream (content, null);
  size = GMIME_STREAM_NULL (null)->written;
  g_object_unref (null);

  return size;
}

/* Text without any headers: all of it is the body, unless it is binary. */
char *
_rp_message_raw_as_text (const char *raw,
                         gsize       length)
{
  gsize n_control = 0;
  gsize text_length;
  char *text;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) raw[i];

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
        n_control++;
    }
  if (length == 0 || n_control * 20 > length)
    return g_strdup ("");

  text = _rp_message_text_to_utf8 (raw, length, NULL, NULL, &text_length);
  _rp_message_normalize_newlines (text, text_length);

  return text;
}

/* The charset of the first leaf, if it is text: mailers write 8-bit
 * headers in the same charset as the body they label. */
const char *
_rp_message_first_text_charset (GMimeObject *object)
{
  for (guint depth = 0; object != NULL && depth < MAX_DEPTH; depth++)
    {
      if (GMIME_IS_MULTIPART (object))
        {
          GMimeMultipart *multipart = GMIME_MULTIPART (object);

          object = g_mime_multipart_get_count (multipart) > 0
                   ? g_mime_multipart_get_part (multipart, 0) : NULL;
        }
      else if (GMIME_IS_PART (object) && is_type (object, "text", "*"))
        return g_mime_object_get_content_type_parameter (object, "charset");
      else
        return NULL;
    }

  return NULL;
}

/* The first text/plain body parts joined, or the text of the HTML ones.
 * Some mailers send an empty text/plain next to the real HTML. */
char *
_rp_message_assemble_body (RpMessageWalk *w)
{
  char *text = NULL;

  if (w->plain_parts->len > 0)
    {
      text = join_texts (w->plain_parts, FALSE);
      if (!is_blank (text))
        return text;
      g_clear_pointer (&text, g_free);
    }

  if (w->html_parts->len > 0)
    return join_texts (w->html_parts, TRUE);
  if (w->alt_html_parts->len > 0)
    return join_texts (w->alt_html_parts, TRUE);

  return g_strdup ("");
}
