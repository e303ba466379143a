/* fuzz-smtp-reply.c: libFuzzer target for the SMTP reply and capability
 * parsers and the DATA encoder
 *
 * The input is split into lines at LF (a trailing CR is dropped, as the
 * transport does) and fed to one reply after another, as a server's
 * replies would be; every complete EHLO-like reply is also parsed for
 * capabilities. The same bytes then go through the DATA encoder, whose
 * output is checked against what RFC 5321 promises: nothing but CRLF line
 * endings, and a single end-of-data mark at the very end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rp-error.h"
#include "rp-smtp-private.h"

/* Not g_assert(): release builds compile that out, and a fuzzer must
 * always check. */
#define CHECK(expr) G_STMT_START { if (!(expr)) abort (); } G_STMT_END

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gboolean
append_to_array (const void  *data,
                 gsize        length,
                 gpointer     user_data,
                 GError     **error)
{
  g_byte_array_append (user_data, data, (guint) length);
  return TRUE;
}

static void
fuzz_replies (const uint8_t *data,
              size_t         size)
{
  g_autoptr(RpSmtpReply) reply = _rp_smtp_reply_new ();
  const char *text = (const char *) data;
  gsize start = 0;

  while (start < size)
    {
      const char *newline = memchr (text + start, '\n', size - start);
      gsize end = newline != NULL ? (gsize) (newline - text) : size;
      gsize length = end - start;
      g_autoptr(GError) error = NULL;

      if (length > 0 && text[start + length - 1] == '\r')
        length--;

      if (!_rp_smtp_reply_add_line (reply, text + start, length, &error))
        {
          CHECK (error != NULL && error->domain == RP_ERROR);
          _rp_smtp_reply_clear (reply);
        }
      else if (reply->complete)
        {
          g_autofree char *joined = _rp_smtp_reply_dup_text (reply);
          g_autofree char *shown = _rp_smtp_reply_to_string (reply);
          RpSmtpCaps caps;

          CHECK (reply->code >= 100 && reply->code <= 599);
          CHECK (g_utf8_validate (joined, -1, NULL));
          CHECK (g_utf8_validate (shown, -1, NULL));
          _rp_smtp_caps_parse_reply (&caps, reply);
          CHECK ((caps.flags & RP_SMTP_CAP_SIZE) || caps.size_limit == 0);
          _rp_smtp_reply_clear (reply);
        }

      start = end + 1;
    }
}

static void
fuzz_data (const uint8_t *data,
           size_t         size)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize message_size;
  gsize dots = 0;

  message_size = _rp_smtp_message_size (data, size, NULL);
  CHECK (_rp_smtp_write_data (data, size, append_to_array, out, NULL));
  CHECK (out->len >= 3 && memcmp (out->data + out->len - 3, ".\r\n", 3) == 0);

  for (guint i = 0; i < out->len; i++)
    {
      gboolean line_start = i == 0 || out->data[i - 1] == '\n';

      /* Every CR is followed by LF and every LF preceded by CR. */
      if (out->data[i] == '\r')
        CHECK (i + 1 < out->len && out->data[i + 1] == '\n');
      if (out->data[i] == '\n')
        CHECK (i > 0 && out->data[i - 1] == '\r');

      /* A line that starts with a dot is stuffed, except the end mark. */
      if (line_start && out->data[i] == '.' && i + 3 != out->len)
        {
          CHECK (i + 1 < out->len && out->data[i + 1] == '.');
          dots++;
          i++;
        }
    }

  CHECK (message_size + dots + 3 == out->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_replies (data, size);
  fuzz_data (data, size);
  return 0;
}
