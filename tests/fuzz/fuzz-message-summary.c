/* fuzz-message-summary.c: libFuzzer target for MIME summaries and for
 * HTML to text
 *
 * The input is a raw message, parsed in place (GMime reads the fuzzer's
 * own buffer, so AddressSanitizer sees any read past its end), and the
 * same bytes as HTML. Besides crashes and sanitizer reports, the target
 * checks what rp-message.h promises for any input:
 *
 * - every string of the summary is valid UTF-8, the snippet is one line of
 *   at most RP_MESSAGE_SNIPPET_LENGTH characters and an ellipsis;
 * - lists are never NULL, and no attachment is larger than the message
 *   it was decoded from would allow (base64 and quoted-printable only
 *   shrink; uuencode too);
 * - a missing or absurd date is the arrival time;
 * - the text made from HTML is valid UTF-8 and never longer than the
 *   HTML once entities are expanded (at most 4 bytes per input byte).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rp-core.h"

#define ARRIVAL G_GINT64_CONSTANT (1700000000)

#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_utf8 (const char *text)
{
  CHECK (text == NULL || g_utf8_validate (text, -1, NULL));
}

static void
check_addresses (GPtrArray *addresses)
{
  CHECK (addresses != NULL);
  for (guint i = 0; i < addresses->len; i++)
    {
      const RpAddress *address = addresses->pdata[i];
      g_autofree char *formatted = rp_address_format (address);

      CHECK (address->name != NULL || address->address != NULL);
      check_utf8 (address->name);
      check_utf8 (address->address);
      check_utf8 (formatted);
    }
}

static void
check_summary (const RpMessageSummary *summary,
               gsize                   size)
{
  CHECK (summary->size == size);
  if (summary->from != NULL)
    {
      check_utf8 (summary->from->name);
      check_utf8 (summary->from->address);
    }
  check_addresses (summary->to);
  check_addresses (summary->cc);
  check_addresses (summary->reply_to);
  check_utf8 (summary->sender);
  CHECK (summary->subject != NULL);
  check_utf8 (summary->subject);
  check_utf8 (summary->message_id);
  check_utf8 (summary->in_reply_to);
  CHECK (summary->references != NULL);
  for (guint i = 0; summary->references[i] != NULL; i++)
    check_utf8 (summary->references[i]);
  check_utf8 (summary->list_id);

  CHECK (summary->attachments != NULL);
  for (guint i = 0; i < summary->attachments->len; i++)
    {
      const RpAttachment *attachment = summary->attachments->pdata[i];

      CHECK (attachment->content_type != NULL);
      check_utf8 (attachment->content_type);
      check_utf8 (attachment->filename);
      check_utf8 (attachment->content_id);
      CHECK (attachment->size <= size);
    }

  CHECK (summary->body_text != NULL);
  check_utf8 (summary->body_text);
  CHECK (summary->snippet != NULL);
  check_utf8 (summary->snippet);
  CHECK (strchr (summary->snippet, '\n') == NULL);
  CHECK (g_utf8_strlen (summary->snippet, -1) <= RP_MESSAGE_SNIPPET_LENGTH + 1);

  CHECK (!summary->date_is_arrival || summary->date == ARRIVAL);
  CHECK (summary->date_is_arrival || summary->date <= ARRIVAL + 24 * 60 * 60);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) raw = g_bytes_new_static (data, size);
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autoptr(RpMessageSummary) copy = NULL;
  g_autofree char *text = NULL;

  summary = rp_message_summary_parse (raw, ARRIVAL);
  CHECK (summary != NULL);
  check_summary (summary, size);

  copy = rp_message_summary_copy (summary);
  CHECK (g_strcmp0 (copy->body_text, summary->body_text) == 0);
  CHECK (copy->attachments->len == summary->attachments->len);

  text = rp_html_to_text ((const char *) data, (gssize) size);
  CHECK (text != NULL);
  check_utf8 (text);
  CHECK (strlen (text) <= 4 * size);

  return 0;
}
