/* rp-smtp-parse.c: SMTP replies, EHLO capabilities and the DATA encoding,
 * without any network, so that unit tests and the fuzzer reach them
 *
 * Everything here reads untrusted bytes from a server; nothing trusts a
 * length, a digit or an encoding it has not checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-smtp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-smtp-private.h"

/* Auxiliary methods */

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Reply text ends up in error messages and the details view, which want
 * valid UTF-8 without control characters: a hostile server must not be able
 * to paint over the interface with escape sequences. */
static char *
sanitize_text (const char *text,
               gsize       length)
{
  char *valid = g_utf8_make_valid (text, (gssize) length);

  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        *p = (*p == '\t') ? ' ' : '?';
    }

  return valid;
}

/* Scans one run of 1 to 3 digits at @text[*pos]. */
static gboolean
scan_digits (const char *text,
             gsize       length,
             gsize      *pos)
{
  gsize start = *pos;

  while (*pos < length && *pos - start < 3 && is_digit (text[*pos]))
    (*pos)++;

  return *pos > start && (*pos >= length || !is_digit (text[*pos]));
}

/* Public API (private to the core) */

/**
 * _rp_smtp_parse_reply_line:
 * @line: one line of a reply, without its line ending
 * @length: its length in bytes (the line may contain NUL bytes)
 * @code: (out): the reply code
 * @last: (out): %TRUE for the last line of a reply ("250 …"), %FALSE for
 *   a continuation ("250-…")
 * @text: (out): the text after the separator; points into @line
 * @text_length: (out): its length
 * @error: a #GError
 *
 * Parses "Reply-code [ SP / "-" textstring ]" (RFC 5321 §4.2). The first
 * digit must be 1 to 5; the other two are taken as they come, because
 * servers use codes outside the RFC's table.
 *
 * Returns: %FALSE with %RP_ERROR_PROTOCOL if @line is not a reply line
 */
gboolean
_rp_smtp_parse_reply_line (const char   *line,
                           gsize         length,
                           guint        *code,
                           gboolean     *last,
                           const char  **text,
                           gsize        *text_length,
                           GError      **error)
{
  g_autofree char *shown = NULL;

  g_return_val_if_fail (line != NULL || length == 0, FALSE);

  if (length >= 3
      && line[0] >= '1' && line[0] <= '5'
      && is_digit (line[1])
      && is_digit (line[2])
      && (length == 3 || line[3] == ' ' || line[3] == '-'))
    {
      *code = (guint) (line[0] - '0') * 100 + (guint) (line[1] - '0') * 10 + (guint) (line[2] - '0');
      *last = length == 3 || line[3] == ' ';
      *text = length > 4 ? line + 4 : line + length;
      *text_length = length > 4 ? length - 4 : 0;
      return TRUE;
    }

  shown = sanitize_text (line, MIN (length, 80));
  g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
               _("The server sent something that is not an SMTP reply: “%s”"), shown);
  return FALSE;
}

/**
 * _rp_smtp_parse_enhanced_code:
 * @text: the text of a reply line, after the code and separator
 * @length: its length
 * @code: the line's reply code; the enhanced code's class must match it
 * @consumed: (out): bytes taken by the enhanced code and the spaces after it
 *
 * Recognises an RFC 3463 status code "class.subject.detail" at the start
 * of @text, where class is the first digit of @code and subject and detail
 * have one to three digits each.
 *
 * Returns: %TRUE if @text starts with an enhanced status code
 */
gboolean
_rp_smtp_parse_enhanced_code (const char *text,
                              gsize       length,
                              guint       code,
                              gsize      *consumed)
{
  gsize pos = 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  /* RFC 3463 defines the classes 2, 4 and 5 only. */
  if (length < 5 || (code / 100 != 2 && code / 100 != 4 && code / 100 != 5))
    return FALSE;
  if (text[0] != (char) ('0' + code / 100) || text[1] != '.')
    return FALSE;

  pos = 2;
  if (!scan_digits (text, length, &pos) || pos >= length || text[pos] != '.')
    return FALSE;
  pos++;
  if (!scan_digits (text, length, &pos))
    return FALSE;
  if (pos < length && text[pos] != ' ')
    return FALSE;

  while (pos < length && text[pos] == ' ')
    pos++;

  *consumed = pos;
  return TRUE;
}

RpSmtpReply *
_rp_smtp_reply_new (void)
{
  RpSmtpReply *reply = g_new0 (RpSmtpReply, 1);

  reply->lines = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

void
_rp_smtp_reply_free (RpSmtpReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->enhanced);
  g_ptr_array_unref (reply->lines);
  g_free (reply);
}

void
_rp_smtp_reply_clear (RpSmtpReply *reply)
{
  g_return_if_fail (reply != NULL);

  reply->code = 0;
  reply->complete = FALSE;
  g_clear_pointer (&reply->enhanced, g_free);
  g_ptr_array_set_size (reply->lines, 0);
}

/**
 * _rp_smtp_reply_add_line:
 * @reply: a reply that is not complete yet
 * @line: the next line from the server, without its line ending
 * @length: its length
 * @error: a #GError
 *
 * Adds one line to @reply. Every line of a multi-line reply must carry the
 * same code (RFC 5321 §4.2.1); a reply of more than
 * %RP_SMTP_MAX_REPLY_LINES lines is refused.
 *
 * Returns: %FALSE with %RP_ERROR_PROTOCOL on a malformed line
 */
gboolean
_rp_smtp_reply_add_line (RpSmtpReply  *reply,
                         const char   *line,
                         gsize         length,
                         GError      **error)
{
  const char *text = NULL;
  gsize text_length = 0;
  gsize consumed = 0;
  guint code = 0;
  gboolean last = FALSE;

  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (!reply->complete, FALSE);

  if (!_rp_smtp_parse_reply_line (line, length, &code, &last, &text, &text_length, error))
    return FALSE;

  if (reply->code != 0 && code != reply->code)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
                   _("The server mixed the reply codes %u and %u in one reply"),
                   reply->code, code);
      return FALSE;
    }

  if (reply->lines->len >= RP_SMTP_MAX_REPLY_LINES)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
                   _("The server sent a reply of more than %u lines"),
                   (guint) RP_SMTP_MAX_REPLY_LINES);
      return FALSE;
    }

  if (_rp_smtp_parse_enhanced_code (text, text_length, code, &consumed))
    {
      if (reply->enhanced == NULL)
        {
          gsize end = consumed;

          while (end > 0 && text[end - 1] == ' ')
            end--;
          reply->enhanced = g_strndup (text, end);
        }
      text += consumed;
      text_length -= consumed;
    }

  reply->code = code;
  reply->complete = last;
  g_ptr_array_add (reply->lines, sanitize_text (text, text_length));

  return TRUE;
}

/**
 * _rp_smtp_reply_dup_text:
 * @reply: a reply
 *
 * Returns: (transfer full): the text of all lines, joined with "\n"
 */
char *
_rp_smtp_reply_dup_text (const RpSmtpReply *reply)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (reply != NULL, NULL);

  for (guint i = 0; i < reply->lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (reply->lines, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * _rp_smtp_reply_to_string:
 * @reply: a reply
 *
 * Returns: (transfer full): the reply as the server sent it, for error
 *   details: "550 5.1.1 No such user", one line per reply line
 */
char *
_rp_smtp_reply_to_string (const RpSmtpReply *reply)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (reply != NULL, NULL);

  for (guint i = 0; i < reply->lines->len; i++)
    {
      const char *line = g_ptr_array_index (reply->lines, i);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%03u", reply->code);
      if (reply->enhanced != NULL)
        g_string_append_printf (text, " %s", reply->enhanced);
      if (*line != '\0')
        g_string_append_printf (text, " %s", line);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * _rp_smtp_caps_parse_line:
 * @caps: capabilities to add to
 * @line: the text of one EHLO reply line after the first ("SIZE 1000")
 *
 * Adds what @line advertises to @caps; unknown keywords are ignored.
 * Keywords are case-insensitive (RFC 5321 §4.1.1.1). AUTH is also
 * recognised in its pre-standard "AUTH=PLAIN LOGIN" form, which old
 * servers send beside or instead of the standard one.
 */
void
_rp_smtp_caps_parse_line (RpSmtpCaps *caps,
                          const char *line)
{
  g_auto(GStrv) words = NULL;
  const char *keyword;

  g_return_if_fail (caps != NULL);
  g_return_if_fail (line != NULL);

  words = g_strsplit_set (line, " =", -1);
  keyword = words[0];
  if (keyword == NULL)
    return;

  if (g_ascii_strcasecmp (keyword, "SIZE") == 0)
    {
      guint64 limit = 0;

      caps->flags |= RP_SMTP_CAP_SIZE;
      /* "SIZE" alone or "SIZE 0" means there is no fixed limit. */
      if (words[1] != NULL
          && g_ascii_string_to_unsigned (words[1], 10, 0, G_MAXUINT64, &limit, NULL))
        caps->size_limit = limit;
      else
        caps->size_limit = 0;
    }
  else if (g_ascii_strcasecmp (keyword, "8BITMIME") == 0)
    caps->flags |= RP_SMTP_CAP_8BITMIME;
  else if (g_ascii_strcasecmp (keyword, "PIPELINING") == 0)
    caps->flags |= RP_SMTP_CAP_PIPELINING;
  else if (g_ascii_strcasecmp (keyword, "STARTTLS") == 0)
    caps->flags |= RP_SMTP_CAP_STARTTLS;
  else if (g_ascii_strcasecmp (keyword, "SMTPUTF8") == 0)
    caps->flags |= RP_SMTP_CAP_SMTPUTF8;
  else if (g_ascii_strcasecmp (keyword, "ENHANCEDSTATUSCODES") == 0)
    caps->flags |= RP_SMTP_CAP_ENHANCEDSTATUSCODES;
  else if (g_ascii_strcasecmp (keyword, "AUTH") == 0)
    {
      caps->flags |= RP_SMTP_CAP_AUTH;
      for (guint i = 1; words[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (words[i], "PLAIN") == 0)
            caps->auth |= RP_SMTP_AUTH_MECH_PLAIN;
          else if (g_ascii_strcasecmp (words[i], "LOGIN") == 0)
            caps->auth |= RP_SMTP_AUTH_MECH_LOGIN;
          else if (g_ascii_strcasecmp (words[i], "CRAM-MD5") == 0)
            caps->auth |= RP_SMTP_AUTH_MECH_CRAM_MD5;
        }
    }
}

/**
 * _rp_smtp_caps_parse_reply:
 * @caps: (out caller-allocates): the capabilities
 * @reply: a complete 250 reply to EHLO
 *
 * Replaces @caps with what @reply advertises. The first line of the reply
 * names the server and is not a capability.
 */
void
_rp_smtp_caps_parse_reply (RpSmtpCaps        *caps,
                           const RpSmtpReply *reply)
{
  g_return_if_fail (caps != NULL);
  g_return_if_fail (reply != NULL);

  memset (caps, 0, sizeof *caps);
  for (guint i = 1; i < reply->lines->len; i++)
    _rp_smtp_caps_parse_line (caps, g_ptr_array_index (reply->lines, i));
}

/**
 * _rp_smtp_message_size:
 * @data: the message as stored
 * @length: its length
 * @has_8bit: (out) (optional): set if a byte has its high bit set
 *
 * Computes the size RFC 1870 asks for in MAIL FROM's SIZE parameter: the
 * message with every line ending made CRLF and a final CRLF added if
 * missing, but without dot-stuffing and without the terminating ".".
 *
 * Returns: the size in bytes
 */
gsize
_rp_smtp_message_size (const guint8 *data,
                       gsize         length,
                       gboolean     *has_8bit)
{
  gsize size = 0;
  gboolean eight_bit = FALSE;
  gboolean at_line_start = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, 0);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        {
          /* CRLF, a bare LF and a bare CR all become one CRLF. */
          if (data[i] == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          size += 2;
          at_line_start = TRUE;
          continue;
        }

      if (data[i] & 0x80)
        eight_bit = TRUE;
      size++;
      at_line_start = FALSE;
    }

  if (!at_line_start)
    size += 2;

  if (has_8bit != NULL)
    *has_8bit = eight_bit;

  return size;
}

/**
 * _rp_smtp_write_data:
 * @data: the message as stored
 * @length: its length
 * @write_func: where the encoded bytes go
 * @user_data: for @write_func
 * @error: a #GError
 *
 * Writes the message as the DATA phase needs it (RFC 5321 §4.5.2): every
 * line ending as CRLF, a "." doubled at the start of a line, a final CRLF
 * if the message lacks one, and the terminating ".\r\n".
 *
 * Bare CR and bare LF are both made CRLF. RFC 5321 §2.3.8 forbids them, and
 * servers that read them differently are how "SMTP smuggling" slips a
 * second message past the end of data (CVE-2023-51764); normalising every
 * line ending leaves nothing for a server to interpret.
 *
 * The message is written in runs between the places that need a change,
 * straight from @data, so that it is never copied as a whole.
 *
 * Returns: %FALSE if @write_func failed
 */
gboolean
_rp_smtp_write_data (const guint8     *data,
                     gsize             length,
                     RpSmtpWriteFunc   write_func,
                     gpointer          user_data,
                     GError          **error)
{
  gsize run_start = 0;
  gboolean at_line_start = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (write_func != NULL, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        {
          if (i > run_start && !write_func (data + run_start, i - run_start, user_data, error))
            return FALSE;
          if (!write_func ("\r\n", 2, user_data, error))
            return FALSE;
          if (data[i] == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          run_start = i + 1;
          at_line_start = TRUE;
          continue;
        }

      /* The extra dot goes out on its own; the original one stays at the
       * start of the next run. */
      if (at_line_start && data[i] == '.' && !write_func (".", 1, user_data, error))
        return FALSE;
      at_line_start = FALSE;
    }

  if (length > run_start && !write_func (data + run_start, length - run_start, user_data, error))
    return FALSE;
  if (!at_line_start && !write_func ("\r\n", 2, user_data, error))
    return FALSE;

  return write_func (".\r\n", 3, user_data, error);
}

/**
 * _rp_smtp_address_is_valid:
 * @address: a mailbox for MAIL FROM or RCPT TO, without angle brackets
 * @allow_empty: whether "" (the null reverse-path of bounces) is fine
 *
 * Refuses what would let an address break out of its command: line
 * endings and other control characters, angle brackets, or a length far
 * beyond RFC 5321's 256-octet path.
 *
 * Returns: %TRUE if @address can go into an SMTP command
 */
gboolean
_rp_smtp_address_is_valid (const char *address,
                           gboolean    allow_empty)
{
  gsize length;

  if (address == NULL)
    return FALSE;

  length = strlen (address);
  if (length == 0)
    return allow_empty;
  if (length > 1024 || !g_utf8_validate (address, (gssize) length, NULL))
    return FALSE;

  for (const char *p = address; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f || *p == '<' || *p == '>')
        return FALSE;
    }

  return TRUE;
}
