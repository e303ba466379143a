/* rp-pop3-parse.c: POP3 reply parsing without a network
 *
 * Everything here works on one line that the transport already split off
 * (line ending stripped, NUL bytes possible, never NUL-terminated), so that
 * unit tests and the fuzz target can drive it with arbitrary bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-pop3"

#include "config.h"

#include <string.h>

#include "rp-pop3-private.h"

/* RFC 1939 allows 1 to 70 characters; a little slack costs nothing and
 * keeps servers that stretch the rule working. */
#define MAX_UID_LENGTH 255
/* How much of a server reply the "details" view keeps. */
#define MAX_REPLY_KEPT 512

/* Auxiliary methods */

static gboolean
has_word_prefix (const char *line,
                 gsize       len,
                 const char *word)
{
  gsize word_len = strlen (word);

  if (len < word_len || g_ascii_strncasecmp (line, word, word_len) != 0)
    return FALSE;

  /* "+OK" must not match "+OKAY"; "+OK." or "+OK]" from sloppy servers do. */
  return len == word_len || !g_ascii_isalnum (line[word_len]);
}

/* A case-insensitive search that respects @len: lines may hold NUL bytes. */
static gboolean
contains_ascii_nocase (const char *haystack,
                       gsize       len,
                       const char *needle)
{
  gsize needle_len = strlen (needle);

  if (needle_len == 0 || needle_len > len)
    return needle_len == 0;

  for (gsize i = 0; i + needle_len <= len; i++)
    {
      if (g_ascii_strncasecmp (haystack + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Matches a hierarchical code such as "SYS/TEMP" against @code taken from
 * the reply: equal, or followed by a further level ("SYS/TEMP/DISK"). */
static gboolean
code_matches (const char *code,
              gsize       code_len,
              const char *name)
{
  gsize name_len = strlen (name);

  if (code_len < name_len || g_ascii_strncasecmp (code, name, name_len) != 0)
    return FALSE;

  return code_len == name_len || code[name_len] == '/';
}

static RpPop3ReplyCode
parse_code (const char *code,
            gsize       code_len)
{
  if (code_matches (code, code_len, "AUTH"))
    return RP_POP3_CODE_AUTH;
  if (code_matches (code, code_len, "SYS/TEMP"))
    return RP_POP3_CODE_SYS_TEMP;
  if (code_matches (code, code_len, "SYS/PERM"))
    return RP_POP3_CODE_SYS_PERM;
  if (code_matches (code, code_len, "IN-USE"))
    return RP_POP3_CODE_IN_USE;
  if (code_matches (code, code_len, "LOGIN-DELAY"))
    return RP_POP3_CODE_LOGIN_DELAY;

  return RP_POP3_CODE_OTHER;
}

static gsize
skip_blanks (const char *line,
             gsize       len,
             gsize       pos)
{
  while (pos < len && (line[pos] == ' ' || line[pos] == '\t'))
    pos++;

  return pos;
}

/* Parses a decimal number without sign; fails on overflow past @max. */
static gboolean
parse_number (const char *line,
              gsize       len,
              gsize      *pos,
              guint64     max,
              guint64    *value)
{
  guint64 result = 0;
  gsize start = *pos;
  gsize i = start;

  while (i < len && g_ascii_isdigit (line[i]))
    {
      guint digit = line[i] - '0';

      if (result > (max - digit) / 10)
        return FALSE;
      result = result * 10 + digit;
      i++;
    }

  if (i == start)
    return FALSE;

  *pos = i;
  *value = result;
  return TRUE;
}

/* Internal API */

/**
 * _rp_pop3_parse_status_line:
 * @line: a reply line without its line ending
 * @len: its length
 * @reply: (out caller-allocates): the result
 *
 * Recognises "+OK", "-ERR" and the SASL continuation "+ …", and the
 * optional extended response code in brackets right after the status.
 * Status words are compared without regard to case because some servers
 * send "+ok".
 *
 * Returns: %FALSE if @line is no POP3 status line (@reply->status is then
 *   %RP_POP3_REPLY_INVALID)
 */
gboolean
_rp_pop3_parse_status_line (const char  *line,
                            gsize        len,
                            RpPop3Reply *reply)
{
  gsize pos;

  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  reply->status = RP_POP3_REPLY_INVALID;
  reply->code = RP_POP3_CODE_NONE;
  reply->text_offset = len;

  if (has_word_prefix (line, len, "+OK"))
    {
      reply->status = RP_POP3_REPLY_OK;
      pos = 3;
    }
  else if (has_word_prefix (line, len, "-ERR"))
    {
      reply->status = RP_POP3_REPLY_ERR;
      pos = 4;
    }
  else if (len >= 1 && line[0] == '+' && (len == 1 || line[1] == ' '))
    {
      /* The challenge is base64 and must not be read as a code. */
      reply->status = RP_POP3_REPLY_CONTINUE;
      reply->text_offset = len == 1 ? 1 : 2;
      return TRUE;
    }
  else
    {
      return FALSE;
    }

  pos = skip_blanks (line, len, pos);

  if (pos < len && line[pos] == '[')
    {
      const char *end = memchr (line + pos + 1, ']', len - pos - 1);

      if (end != NULL)
        {
          gsize code_len = end - (line + pos + 1);

          reply->code = code_len > 0 ? parse_code (line + pos + 1, code_len)
                                     : RP_POP3_CODE_OTHER;
          pos = skip_blanks (line, len, (end - line) + 1);
        }
    }

  reply->text_offset = pos;
  return TRUE;
}

/**
 * _rp_pop3_classify_error:
 * @line: the whole -ERR line
 * @len: its length
 * @reply: @line parsed
 * @during_auth: whether the reply answers USER, PASS, APOP or AUTH
 *
 * An extended code decides. Without one, the text is searched for the
 * phrases servers commonly use for a locked maildrop or a temporary problem
 * (Exchange and older qpopper say "mailbox locked", "try again later");
 * otherwise a refusal during authentication means the credentials, and a
 * refusal later is the server's permanent answer to that command.
 *
 * Returns: the #RpErrorCode a user can act on
 */
RpErrorCode
_rp_pop3_classify_error (const char        *line,
                         gsize              len,
                         const RpPop3Reply *reply,
                         gboolean           during_auth)
{
  const char *text;
  gsize text_len;

  g_return_val_if_fail (reply != NULL, RP_ERROR_PROTOCOL);

  switch (reply->code)
    {
    case RP_POP3_CODE_AUTH:
      return RP_ERROR_AUTH_FAILED;
    case RP_POP3_CODE_SYS_TEMP:
      return RP_ERROR_SERVER_TEMPORARY;
    case RP_POP3_CODE_SYS_PERM:
      return RP_ERROR_SERVER_PERMANENT;
    case RP_POP3_CODE_IN_USE:
      return RP_ERROR_MAILBOX_IN_USE;
    case RP_POP3_CODE_LOGIN_DELAY:
      return RP_ERROR_LOGIN_DELAY;
    case RP_POP3_CODE_NONE:
    case RP_POP3_CODE_OTHER:
    default:
      break;
    }

  text = line + MIN (reply->text_offset, len);
  text_len = len - MIN (reply->text_offset, len);

  if (contains_ascii_nocase (text, text_len, "in use") ||
      contains_ascii_nocase (text, text_len, "locked") ||
      contains_ascii_nocase (text, text_len, "lock busy") ||
      contains_ascii_nocase (text, text_len, "already active"))
    return RP_ERROR_MAILBOX_IN_USE;

  if (contains_ascii_nocase (text, text_len, "temporar") ||
      contains_ascii_nocase (text, text_len, "try again later") ||
      contains_ascii_nocase (text, text_len, "try later") ||
      contains_ascii_nocase (text, text_len, "too many connections"))
    return RP_ERROR_SERVER_TEMPORARY;

  return during_auth ? RP_ERROR_AUTH_FAILED : RP_ERROR_SERVER_PERMANENT;
}

/**
 * _rp_pop3_parse_capa_line:
 * @line: one line of the CAPA response
 * @len: its length
 *
 * Returns: the capabilities this line announces (none for unknown ones)
 */
RpPop3Capabilities
_rp_pop3_parse_capa_line (const char *line,
                          gsize       len)
{
  static const struct
  {
    const char         *name;
    RpPop3Capabilities  flag;
  } simple[] = {
    { "TOP", RP_POP3_CAPABILITY_TOP },
    { "USER", RP_POP3_CAPABILITY_USER },
    { "UIDL", RP_POP3_CAPABILITY_UIDL },
    { "PIPELINING", RP_POP3_CAPABILITY_PIPELINING },
    { "STLS", RP_POP3_CAPABILITY_STLS },
    { "RESP-CODES", RP_POP3_CAPABILITY_RESP_CODES },
    { "AUTH-RESP-CODE", RP_POP3_CAPABILITY_AUTH_RESP_CODE },
  };
  RpPop3Capabilities caps = RP_POP3_CAPABILITY_NONE;
  gsize pos = skip_blanks (line, len, 0);
  gsize start = pos;
  gsize word_len;

  while (pos < len && line[pos] != ' ' && line[pos] != '\t')
    pos++;
  word_len = pos - start;

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    {
      if (word_len == strlen (simple[i].name) &&
          g_ascii_strncasecmp (line + start, simple[i].name, word_len) == 0)
        return simple[i].flag;
    }

  if (word_len != 4 || g_ascii_strncasecmp (line + start, "SASL", 4) != 0)
    return RP_POP3_CAPABILITY_NONE;

  while (pos < len)
    {
      pos = skip_blanks (line, len, pos);
      start = pos;
      while (pos < len && line[pos] != ' ' && line[pos] != '\t')
        pos++;
      word_len = pos - start;

      if (word_len == 5 && g_ascii_strncasecmp (line + start, "PLAIN", 5) == 0)
        caps |= RP_POP3_CAPABILITY_SASL_PLAIN;
      else if (word_len == 5 && g_ascii_strncasecmp (line + start, "LOGIN", 5) == 0)
        caps |= RP_POP3_CAPABILITY_SASL_LOGIN;
    }

  return caps;
}

/**
 * _rp_pop3_parse_apop_timestamp:
 * @line: the greeting
 * @len: its length
 *
 * Finds the msg-id style timestamp `<…>` that a server offering APOP puts
 * in its greeting. Only printable ASCII without blanks counts: the
 * timestamp goes into the MD5 input verbatim, and anything else is more
 * likely text in angle brackets than a timestamp.
 *
 * Returns: (transfer full) (nullable): the timestamp with its brackets
 */
char *
_rp_pop3_parse_apop_timestamp (const char *line,
                               gsize       len)
{
  const char *open = memchr (line, '<', len);
  const char *close;
  gsize span;

  if (open == NULL)
    return NULL;

  close = memchr (open, '>', len - (open - line));
  if (close == NULL || close == open + 1)
    return NULL;

  span = close - open + 1;
  for (gsize i = 1; i + 1 < span; i++)
    {
      guchar c = open[i];

      if (c <= 0x20 || c >= 0x7f || c == '<')
        return NULL;
    }

  return g_strndup (open, span);
}

/**
 * _rp_pop3_parse_stat:
 * @text: the text of a +OK reply to STAT
 * @len: its length
 * @count: (out): number of messages
 * @size: (out): total size in octets
 *
 * Returns: %TRUE if @text starts with "count size" as RFC 1939 demands
 */
gboolean
_rp_pop3_parse_stat (const char *text,
                     gsize       len,
                     guint      *count,
                     guint64    *size)
{
  gsize pos = skip_blanks (text, len, 0);
  guint64 n;
  guint64 octets;

  if (!parse_number (text, len, &pos, G_MAXUINT, &n))
    return FALSE;
  if (pos >= len || text[pos] != ' ')
    return FALSE;
  pos = skip_blanks (text, len, pos);
  if (!parse_number (text, len, &pos, G_MAXUINT64, &octets))
    return FALSE;
  if (pos < len && text[pos] != ' ' && text[pos] != '\t')
    return FALSE;

  *count = (guint) n;
  *size = octets;
  return TRUE;
}

/**
 * _rp_pop3_parse_list_line:
 * @line: one line of a LIST response (or the text of "+OK" to "LIST n")
 * @len: its length
 * @msgno: (out): the message number, never 0
 * @size: (out): its size in octets
 *
 * Returns: %TRUE if @line is "msgno size", optionally followed by more
 *   words, which RFC 1939 allows
 */
gboolean
_rp_pop3_parse_list_line (const char *line,
                          gsize       len,
                          guint      *msgno,
                          guint64    *size)
{
  guint count;

  if (!_rp_pop3_parse_stat (line, len, &count, size) || count == 0)
    return FALSE;

  *msgno = count;
  return TRUE;
}

/**
 * _rp_pop3_parse_uidl_line:
 * @line: one line of a UIDL response
 * @len: its length
 * @msgno: (out): the message number, never 0
 * @uid: (out) (transfer full): the unique id
 *
 * The id is stored and compared across sessions, so it must be what
 * RFC 1939 promises: 0x21 to 0x7E, nothing else.
 *
 * Returns: %TRUE if @line is "msgno uid"
 */
gboolean
_rp_pop3_parse_uidl_line (const char  *line,
                          gsize        len,
                          guint       *msgno,
                          char       **uid)
{
  gsize pos = skip_blanks (line, len, 0);
  gsize start;
  guint64 n;

  if (!parse_number (line, len, &pos, G_MAXUINT, &n) || n == 0)
    return FALSE;
  if (pos >= len || line[pos] != ' ')
    return FALSE;
  pos = skip_blanks (line, len, pos);

  start = pos;
  while (pos < len && (guchar) line[pos] > 0x20 && (guchar) line[pos] < 0x7f)
    pos++;

  if (pos == start || pos - start > MAX_UID_LENGTH)
    return FALSE;
  if (skip_blanks (line, len, pos) != len)
    return FALSE;

  *msgno = (guint) n;
  *uid = g_strndup (line + start, pos - start);
  return TRUE;
}

/**
 * _rp_pop3_sanitize_reply:
 * @line: a server reply line
 * @len: its length
 *
 * Makes a reply safe to show and to log: at most 512 bytes, control
 * characters and NUL replaced by '?', valid UTF-8.
 *
 * Returns: (transfer full): the printable reply
 */
char *
_rp_pop3_sanitize_reply (const char *line,
                         gsize       len)
{
  gsize kept = MIN (len, MAX_REPLY_KEPT);
  g_autofree char *copy = g_malloc (kept + 1);

  for (gsize i = 0; i < kept; i++)
    {
      guchar c = line[i];

      copy[i] = (c < 0x20 || c == 0x7f) ? '?' : (char) c;
    }
  copy[kept] = '\0';

  return g_utf8_make_valid (copy, kept);
}

/**
 * _rp_pop3_body_init:
 * @body: (out caller-allocates): the accumulator
 * @size_hint: the size LIST announced, or 0
 * @max_size: refuse more than this many bytes (0: %RP_POP3_MAX_MESSAGE_SIZE)
 *
 * The buffer starts at the announced size, so a typical message is
 * received without a single reallocation; a lying server only costs
 * reallocations, and the hint is capped so that it cannot make us reserve
 * gigabytes up front.
 */
void
_rp_pop3_body_init (RpPop3Body *body,
                    gsize       size_hint,
                    gsize       max_size)
{
  g_return_if_fail (body != NULL);

  body->max_size = max_size > 0 ? max_size : RP_POP3_MAX_MESSAGE_SIZE;
  /* A little room for a line ending the server adds to a message without
   * a final newline. */
  body->data = g_byte_array_sized_new (MIN (size_hint, 64 * 1024 * 1024) + 8);
  body->complete = FALSE;
  body->too_large = FALSE;
}

/**
 * _rp_pop3_body_feed_line:
 * @body: the accumulator
 * @line: one line of a multi-line response, its ending stripped
 * @len: its length
 * @eol: the line ending the line came with ("\r\n" or "\n"; "" for a
 *   last line the peer sent without one before closing)
 * @eol_len: its length
 *
 * Removes the byte-stuffing of RFC 1939 section 3: a line consisting of a
 * lone "." ends the response, and a leading "." of any other line is
 * dropped. The line goes into the buffer with the ending it had on the
 * wire. Past @max_size the bytes are counted out but no longer kept, so
 * the session stays in step with the server.
 *
 * Returns: %TRUE when @line was the terminator
 */
gboolean
_rp_pop3_body_feed_line (RpPop3Body *body,
                         const char *line,
                         gsize       len,
                         const char *eol,
                         gsize       eol_len)
{
  guint old_len;

  g_return_val_if_fail (body != NULL && body->data != NULL, TRUE);
  g_return_val_if_fail (!body->complete, TRUE);

  if (len > 0 && line[0] == '.')
    {
      /* A "." without its line ending is the last thing before the
       * connection closed: it may be the first byte of a stuffed ".."
       * line, so it ends nothing. */
      if (len == 1 && eol_len > 0)
        {
          body->complete = TRUE;
          return TRUE;
        }
      line++;
      len--;
    }

  if (body->too_large)
    return FALSE;

  if (len > body->max_size || eol_len > body->max_size - len ||
      body->data->len > body->max_size - len - eol_len)
    {
      body->too_large = TRUE;
      g_byte_array_set_size (body->data, 0);
      return FALSE;
    }

  /* One resize and two copies: this runs once per line of every message. */
  old_len = body->data->len;
  g_byte_array_set_size (body->data, old_len + len + eol_len);
  memcpy (body->data->data + old_len, line, len);
  memcpy (body->data->data + old_len + len, eol, eol_len);
  return FALSE;
}

/**
 * _rp_pop3_body_steal:
 * @body: a complete accumulator that is not too large
 *
 * Returns: (transfer full): the collected bytes; @body is cleared
 */
GBytes *
_rp_pop3_body_steal (RpPop3Body *body)
{
  g_return_val_if_fail (body != NULL && body->data != NULL, NULL);
  g_return_val_if_fail (body->complete && !body->too_large, NULL);

  return g_byte_array_free_to_bytes (g_steal_pointer (&body->data));
}

/**
 * _rp_pop3_body_clear:
 * @body: an accumulator
 *
 * Frees what was collected; safe to call twice.
 */
void
_rp_pop3_body_clear (RpPop3Body *body)
{
  g_return_if_fail (body != NULL);

  g_clear_pointer (&body->data, g_byte_array_unref);
}
