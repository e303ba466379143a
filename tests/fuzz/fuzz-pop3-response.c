/* fuzz-pop3-response.c: libFuzzer target for POP3 reply parsing
 *
 * The input is a server's byte stream. It is split into lines the way
 * RpTransport splits them (CRLF or bare LF; a last line without an
 * ending), the first line goes through the status-line parser and
 * everything that reads a single line, and the rest through the multi-line
 * accumulator. Besides crashes and sanitizer reports, the target checks
 * what must hold for any input:
 *
 * - a sanitised reply is valid UTF-8 without control characters;
 * - a completed body is never longer than the bytes it came from;
 * - stuffing a completed body again and collecting it once more gives the
 *   same bytes (dot-unstuffing is exactly undone by stuffing);
 * - a stream that ends without the terminator line never completes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rp-pop3-private.h"

#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
} Stream;

/* Returns the next line and its ending, like rp_transport_read_line_sync(). */
static gboolean
next_line (Stream      *stream,
           const char **line,
           gsize       *len,
           gsize       *eol_len)
{
  const char *start = stream->data + stream->pos;
  gsize left = stream->len - stream->pos;
  const char *newline;

  if (left == 0)
    return FALSE;

  newline = memchr (start, '\n', left);
  *line = start;
  if (newline == NULL)
    {
      *len = left;
      *eol_len = 0;
      stream->pos = stream->len;
      return TRUE;
    }

  *len = newline - start;
  *eol_len = 1;
  if (*len > 0 && start[*len - 1] == '\r')
    {
      (*len)--;
      *eol_len = 2;
    }
  stream->pos += *len + *eol_len;
  return TRUE;
}

static const char *
ending (gsize eol_len)
{
  return eol_len == 2 ? "\r\n" : eol_len == 1 ? "\n" : "";
}

static void
check_single_line (const char *line,
                   gsize       len)
{
  RpPop3Reply reply;
  g_autofree char *sanitized = _rp_pop3_sanitize_reply (line, len);
  g_autofree char *timestamp = _rp_pop3_parse_apop_timestamp (line, len);
  g_autofree char *uid = NULL;
  guint count;
  guint msgno;
  guint64 size;

  CHECK (g_utf8_validate (sanitized, -1, NULL));
  for (const char *p = sanitized; *p != '\0'; p++)
    CHECK ((guchar) *p >= 0x20 && *p != 0x7f);

  if (_rp_pop3_parse_status_line (line, len, &reply))
    {
      CHECK (reply.status != RP_POP3_REPLY_INVALID);
      CHECK (reply.text_offset <= len);
      if (reply.status == RP_POP3_REPLY_ERR)
        {
          RpErrorCode code = _rp_pop3_classify_error (line, len, &reply, len % 2 == 0);

          CHECK (code != RP_ERROR_FAILED && code != RP_ERROR_PROTOCOL);
        }
      _rp_pop3_parse_stat (line + reply.text_offset, len - reply.text_offset, &count, &size);
    }
  else
    {
      CHECK (reply.status == RP_POP3_REPLY_INVALID);
    }

  if (timestamp != NULL)
    CHECK (timestamp[0] == '<' && timestamp[strlen (timestamp) - 1] == '>');

  _rp_pop3_parse_capa_line (line, len);
  _rp_pop3_parse_list_line (line, len, &msgno, &size);
  if (_rp_pop3_parse_uidl_line (line, len, &msgno, &uid))
    {
      CHECK (msgno > 0);
      CHECK (uid != NULL && uid[0] != '\0');
      for (const char *p = uid; *p != '\0'; p++)
        CHECK ((guchar) *p > 0x20 && (guchar) *p < 0x7f);
    }
}

/* Collects one multi-line body from @stream; returns the bytes when the
 * terminator came, and how many input bytes that took. */
static GBytes *
collect_body (Stream *stream,
              gsize   max_size,
              gsize  *consumed)
{
  RpPop3Body body;
  gsize start = stream->pos;
  const char *line;
  gsize len;
  gsize eol_len;

  _rp_pop3_body_init (&body, stream->len, max_size);
  while (next_line (stream, &line, &len, &eol_len))
    {
      if (_rp_pop3_body_feed_line (&body, line, len, ending (eol_len), eol_len))
        break;
    }
  *consumed = stream->pos - start;

  if (!body.complete)
    {
      /* Without the terminator the stream must have run out. */
      CHECK (stream->pos == stream->len);
      _rp_pop3_body_clear (&body);
      return NULL;
    }

  if (body.too_large)
    {
      CHECK (body.data->len == 0);
      _rp_pop3_body_clear (&body);
      return NULL;
    }

  return _rp_pop3_body_steal (&body);
}

/* Stuffs @bytes for the wire again, with their own line endings. */
static GByteArray *
restuff (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GByteArray *out = g_byte_array_new ();
  gsize pos = 0;

  while (pos < len)
    {
      const char *newline = memchr (data + pos, '\n', len - pos);
      gsize line_len = newline != NULL ? (gsize) (newline - (data + pos)) + 1 : len - pos;

      if (data[pos] == '.')
        g_byte_array_append (out, (const guint8 *) ".", 1);
      g_byte_array_append (out, (const guint8 *) data + pos, line_len);
      pos += line_len;
    }
  g_byte_array_append (out, (const guint8 *) ".\r\n", 3);

  return out;
}

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Stream stream = { (const char *) data, size, 0 };
  g_autoptr(GBytes) body = NULL;
  const char *line;
  gsize len;
  gsize eol_len;
  gsize consumed = 0;

  if (!next_line (&stream, &line, &len, &eol_len))
    return 0;
  check_single_line (line, len);

  body = collect_body (&stream, size % 3 == 0 ? 64 : 0, &consumed);
  if (body != NULL)
    {
      g_autoptr(GByteArray) again = restuff (body);
      Stream second = { (const char *) again->data, again->len, 0 };
      g_autoptr(GBytes) round_trip = NULL;
      gsize round_consumed = 0;

      CHECK (g_bytes_get_size (body) <= consumed);

      round_trip = collect_body (&second, 0, &round_consumed);
      CHECK (round_trip != NULL);
      CHECK (round_consumed == again->len);
      CHECK (g_bytes_equal (body, round_trip));
    }

  return 0;
}
