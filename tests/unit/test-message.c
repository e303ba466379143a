/* test-message.c: MIME summaries against the corpus in tests/data/mime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-message-private.h"
#include "rp-test-util.h"

/* 2023-11-14T22:13:20Z: the corpus is dated the same morning. */
#define ARRIVAL G_GINT64_CONSTANT (1700000000)

/* Corpus files whose summaries are compared with output/NAME.txt. Each of
 * these outputs was checked by hand against the message; regenerate them
 * with RP_REGENERATE_GOLDEN=1 only after such a review. */
static const char * const golden_names[] = {
  "simple-plain",
  "alternative-plain-html",
  "html-only",
  "alternative-with-calendar",
  "related-inline-cid",
  "attachment-pdf",
  "rfc2231-continuations",
  "tnef-winmail",
  "message-rfc822",
  "message-rfc822-nested",
  "header-latin1-labelled-utf8",
  "header-windows-1252",
  "iso-2022-jp",
  "koi8-r",
  "rfc2047-split-multibyte",
  "date-missing",
  "reply-with-quote-and-signature",
  "addresses-edge-cases",
  "nested-mixed",
  "nul-in-body",
  "wrong-boundary",
  "outlook-invite",
  "rfc2047-padded-words",
  "message-rfc822-base64",
  "hand-thunderbird-reply",
  "hand-outlook-html-only",
};

/* Auxiliary functions */

static char *
input_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".eml", NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "mime", "input", file, NULL);
}

static GBytes *
load_input (const char *name)
{
  g_autofree char *path = input_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static RpMessageSummary *
parse_input (const char *name)
{
  g_autoptr(GBytes) raw = load_input (name);

  return rp_message_summary_parse (raw, ARRIVAL);
}

static RpMessageSummary *
parse_text (const char *text)
{
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));

  return rp_message_summary_parse (raw, ARRIVAL);
}

/* Every corpus file but the hand-written ones' own outputs, sorted. */
static GPtrArray *
list_inputs (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "mime", "input", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *file;

  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (file, ".eml"))
      g_ptr_array_add (names, g_strndup (file, strlen (file) - 4));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  /* The corpus is about a hundred messages; a short list means a broken checkout. */
  g_assert_cmpuint (names->len, >=, 100);

  return names;
}

static void
append_escaped (GString    *out,
                const char *text,
                glong       max_chars)
{
  glong n = 0;

  for (const char *p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      guchar c = (guchar) *p;

      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7F)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

static void
append_addresses (GString    *out,
                  const char *label,
                  GPtrArray  *addresses)
{
  g_string_append_printf (out, "%s:", label);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *formatted = rp_address_format (addresses->pdata[i]);

      g_string_append (out, i == 0 ? " " : ", ");
      append_escaped (out, formatted, G_MAXLONG);
    }
  g_string_append_c (out, '\n');
}

static void
append_field (GString    *out,
              const char *label,
              const char *value)
{
  g_string_append_printf (out, "%s: ", label);
  append_escaped (out, value != NULL ? value : "-", G_MAXLONG);
  g_string_append_c (out, '\n');
}

/* The golden format: one field per line, stable, NULL as "-". */
static char *
dump_summary (const RpMessageSummary *summary)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (summary->date);
  g_autofree char *date_text = date != NULL ? g_date_time_format_iso8601 (date) : NULL;
  g_autofree char *from = summary->from != NULL ? rp_address_format (summary->from) : NULL;
  g_autofree char *references = g_strjoinv (" ", summary->references);

  append_field (out, "from", from);
  append_addresses (out, "to", summary->to);
  append_addresses (out, "cc", summary->cc);
  append_addresses (out, "reply-to", summary->reply_to);
  append_field (out, "sender", summary->sender);
  append_field (out, "subject", summary->subject);
  append_field (out, "date", date_text);
  append_field (out, "date-is-arrival", summary->date_is_arrival ? "yes" : "no");
  append_field (out, "message-id", summary->message_id);
  append_field (out, "in-reply-to", summary->in_reply_to);
  append_field (out, "references", references);
  append_field (out, "list-id", summary->list_id);
  g_string_append_printf (out, "attachments: %u\n", summary->attachments->len);
  for (guint i = 0; i < summary->attachments->len; i++)
    {
      const RpAttachment *attachment = summary->attachments->pdata[i];

      g_string_append (out, "attachment: ");
      append_escaped (out, attachment->filename != NULL ? attachment->filename : "-", G_MAXLONG);
      g_string_append_printf (out, " | %s | %" G_GSIZE_FORMAT " | ", attachment->content_type,
                              attachment->size);
      append_escaped (out, attachment->content_id != NULL ? attachment->content_id : "-", G_MAXLONG);
      g_string_append_printf (out, " | %s\n", attachment->is_inline ? "inline" : "attachment");
    }
  append_field (out, "has-html", summary->has_html ? "yes" : "no");
  append_field (out, "has-calendar", summary->has_calendar ? "yes" : "no");
  g_string_append_printf (out, "size: %" G_GSIZE_FORMAT "\n", summary->size);
  append_field (out, "snippet", summary->snippet);
  g_string_append (out, "body: ");
  append_escaped (out, summary->body_text, 300);
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

static void
assert_utf8 (const char *name,
             const char *field,
             const char *value)
{
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    g_error ("%s: %s is not valid UTF-8", name, field);
}

static void
assert_addresses_utf8 (const char *name,
                       GPtrArray  *addresses)
{
  g_assert_nonnull (addresses);
  for (guint i = 0; i < addresses->len; i++)
    {
      const RpAddress *address = addresses->pdata[i];

      g_assert_true (address->name != NULL || address->address != NULL);
      assert_utf8 (name, "address name", address->name);
      assert_utf8 (name, "address", address->address);
    }
}

/* The contract of rp-message.h, checked on any summary. */
static void
assert_summary_sane (const char             *name,
                     const RpMessageSummary *summary,
                     gsize                   raw_size)
{
  g_assert_cmpuint (summary->size, ==, raw_size);
  if (summary->from != NULL)
    {
      assert_utf8 (name, "from name", summary->from->name);
      assert_utf8 (name, "from", summary->from->address);
    }
  assert_addresses_utf8 (name, summary->to);
  assert_addresses_utf8 (name, summary->cc);
  assert_addresses_utf8 (name, summary->reply_to);
  assert_utf8 (name, "sender", summary->sender);
  g_assert_nonnull (summary->subject);
  assert_utf8 (name, "subject", summary->subject);
  g_assert_null (strchr (summary->subject, '\n'));
  assert_utf8 (name, "message-id", summary->message_id);
  assert_utf8 (name, "in-reply-to", summary->in_reply_to);
  g_assert_nonnull (summary->references);
  for (guint i = 0; summary->references[i] != NULL; i++)
    assert_utf8 (name, "references", summary->references[i]);
  assert_utf8 (name, "list-id", summary->list_id);
  g_assert_nonnull (summary->attachments);
  for (guint i = 0; i < summary->attachments->len; i++)
    {
      const RpAttachment *attachment = summary->attachments->pdata[i];

      assert_utf8 (name, "filename", attachment->filename);
      g_assert_nonnull (attachment->content_type);
      assert_utf8 (name, "content type", attachment->content_type);
      assert_utf8 (name, "content id", attachment->content_id);
      g_assert_cmpuint (attachment->size, <=, raw_size);
    }
  g_assert_nonnull (summary->body_text);
  assert_utf8 (name, "body", summary->body_text);
  g_assert_nonnull (summary->snippet);
  assert_utf8 (name, "snippet", summary->snippet);
  g_assert_null (strchr (summary->snippet, '\n'));
  g_assert_cmpint (g_utf8_strlen (summary->snippet, -1), <=, RP_MESSAGE_SNIPPET_LENGTH + 1);
  g_assert_false (summary->date_is_arrival && summary->date != ARRIVAL);
}

/* Tests */

typedef struct
{
  GPtrArray *names;
  GPtrArray *dumps;  /* one per name, filled by the thread */
} ThreadData;

static gpointer
parse_all_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < data->names->len; i++)
    {
      g_autoptr(RpMessageSummary) summary = parse_input (data->names->pdata[i]);

      g_ptr_array_add (data->dumps, dump_summary (summary));
    }

  return NULL;
}

/* Runs first, so that GMime is initialised by two threads racing. */
static void
test_message_threads (void)
{
  g_autoptr(GPtrArray) names = list_inputs ();
  ThreadData data[2];
  GThread *threads[2];

  for (guint t = 0; t < 2; t++)
    {
      data[t].names = names;
      data[t].dumps = g_ptr_array_new_with_free_func (g_free);
    }
  for (guint t = 0; t < 2; t++)
    threads[t] = g_thread_new ("parse", parse_all_thread, &data[t]);
  for (guint t = 0; t < 2; t++)
    g_thread_join (threads[t]);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(RpMessageSummary) summary = parse_input (names->pdata[i]);
      g_autofree char *dump = dump_summary (summary);

      g_assert_cmpstr (data[0].dumps->pdata[i], ==, dump);
      g_assert_cmpstr (data[1].dumps->pdata[i], ==, dump);
    }

  for (guint t = 0; t < 2; t++)
    g_ptr_array_unref (data[t].dumps);
}

static void
test_message_corpus_sane (void)
{
  g_autoptr(GPtrArray) names = list_inputs ();

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autoptr(GBytes) raw = load_input (name);
      g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (raw, ARRIVAL);
      g_autoptr(RpMessageSummary) copy = NULL;
      g_autofree char *dump = NULL;
      g_autofree char *copy_dump = NULL;

      g_test_message ("%s", name);
      assert_summary_sane (name, summary, g_bytes_get_size (raw));

      /* The boxed copy is deep and complete. */
      copy = rp_message_summary_copy (summary);
      dump = dump_summary (summary);
      copy_dump = dump_summary (copy);
      g_assert_cmpstr (dump, ==, copy_dump);
      g_assert_true (copy->subject != summary->subject);
    }
}

static void
test_message_golden (void)
{
  gboolean regenerate = g_strcmp0 (g_getenv ("RP_REGENERATE_GOLDEN"), "1") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (golden_names); i++)
    {
      const char *name = golden_names[i];
      g_autoptr(RpMessageSummary) summary = parse_input (name);
      g_autofree char *dump = dump_summary (summary);
      g_autofree char *file = g_strconcat (name, ".txt", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "mime", "output", file, NULL);
      g_autofree char *expected = NULL;
      g_autoptr(GError) error = NULL;

      if (regenerate)
        {
          g_file_set_contents (path, dump, -1, &error);
          g_assert_no_error (error);
          continue;
        }

      g_file_get_contents (path, &expected, NULL, &error);
      g_assert_no_error (error);
      if (g_strcmp0 (expected, dump) != 0)
        g_test_message ("%s differs; got:\n%s", name, dump);
      g_assert_cmpstr (dump, ==, expected);
    }
}

static void
count_part_sizes (GMimeObject *parent,
                  GMimeObject *part,
                  gpointer     user_data)
{
  guint *n_parts = user_data;
  GMimeDataWrapper *content;
  GMimeStream *null;

  if (!GMIME_IS_PART (part))
    return;
  content = g_mime_part_get_content (GMIME_PART (part));
  if (content == NULL)
    return;

  /* The counted size must be what a full decode produces. */
  null = g_mime_stream_null_new ();
  g_mime_data_wrapper_write_to_stream (content, null);
  g_assert_cmpuint (_rp_message_part_decoded_size (GMIME_PART (part)), ==,
                    GMIME_STREAM_NULL (null)->written);
  g_object_unref (null);
  (*n_parts)++;
}

static void
test_message_attachment_sizes_exact (void)
{
  g_autoptr(GPtrArray) names = list_inputs ();
  guint n_parts = 0;

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GBytes) raw = load_input (names->pdata[i]);
      GMimeStream *stream = _rp_bytes_stream_new (raw);
      GMimeParser *parser = g_mime_parser_new_with_stream (stream);
      GMimeMessage *message = g_mime_parser_construct_message (parser, _rp_message_parser_options ());

      if (message != NULL)
        g_mime_message_foreach (message, count_part_sizes, &n_parts);
      g_clear_object (&message);
      g_object_unref (parser);
      g_object_unref (stream);
    }

  g_assert_cmpuint (n_parts, >, 200);
}

static void
test_message_simple_fields (void)
{
  g_autoptr(RpMessageSummary) summary = parse_input ("simple-plain");
  const RpAddress *cc;

  g_assert_cmpstr (summary->from->name, ==, "Alice Example");
  g_assert_cmpstr (summary->from->address, ==, "alice@example.org");
  g_assert_cmpuint (summary->to->len, ==, 2);
  /* The domain is lower-cased, the local part is not touched. */
  g_assert_cmpstr (((RpAddress *) summary->to->pdata[1])->address, ==, "carol@example.com");
  cc = summary->cc->pdata[0];
  g_assert_cmpstr (cc->name, ==, "Dave, the Boss");
  g_assert_cmpstr (cc->address, ==, "dave@example.net");
  g_assert_cmpstr (summary->sender, ==, "mailer@example.org");
  g_assert_cmpstr (summary->message_id, ==, "lunch-1@example.org");
  g_assert_cmpstr (summary->in_reply_to, ==, "menu-7@example.net");
  g_assert_cmpuint (g_strv_length (summary->references), ==, 2);
  g_assert_cmpstr (summary->references[0], ==, "plan-1@example.net");
  g_assert_cmpstr (summary->list_id, ==, "lunch.example.org");
  /* Tue, 14 Nov 2023 09:30:00 +0100 */
  g_assert_cmpint (summary->date, ==, 1699950600);
  g_assert_false (summary->date_is_arrival);
}

static void
test_message_rfc2047 (void)
{
  struct
  {
    const char *name;
    const char *subject;
  } cases[] = {
    /* "ü" is split between two encoded words; they are joined first. */
    { "rfc2047-split-multibyte", "Grüße aus Köln" },
    /* White space between encoded words disappears, elsewhere it stays. */
    { "rfc2047-adjacent-whitespace", "onetwothree four five" },
    { "rfc2047-q-underscore", "Grüße aus Köln _ underscore" },
    /* Including between words of different charsets (RFC 2047 section 6.2). */
    { "rfc2047-mixed-charsets", "caféчайお茶" },
    /* GMime 3.2.13 alone stops after "Hello" (jstedfast/gmime#133). */
    { "rfc2047-padded-words", "Hello world" },
    { "koi8-r-encoded-word", "Отчёт за ноябрь" },
    { "iso-2022-jp", "こんにちは" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpMessageSummary) summary = parse_input (cases[i].name);

      g_assert_cmpstr (summary->subject, ==, cases[i].subject);
    }
}

static void
test_message_rfc2047_broken (void)
{
  g_autoptr(RpMessageSummary) bad_base64 = parse_input ("rfc2047-invalid-base64");
  g_autoptr(RpMessageSummary) unknown = parse_input ("rfc2047-unknown-charset");
  g_autoptr(RpMessageSummary) malformed = parse_input ("rfc2047-malformed");
  g_autoptr(RpMessageSummary) split_from = parse_input ("rfc2047-split-multibyte");

  /* Best effort, and the text around the broken word survives. */
  g_assert_true (g_str_has_prefix (bad_base64->subject, "Broken: "));
  g_assert_true (g_str_has_suffix (bad_base64->subject, " end"));
  g_assert_true (g_str_has_prefix (unknown->subject, "Caf"));
  g_assert_true (g_str_has_suffix (unknown->subject, "and café"));
  g_assert_true (g_str_has_suffix (malformed->subject, "ok"));
  g_assert_cmpstr (split_from->from->name, ==, "Jörg Müller");
}

static void
test_message_rfc2047_padded_words (void)
{
  g_autoptr(RpMessageSummary) summary = parse_input ("rfc2047-padded-words");
  const RpAttachment *attachment;

  /* jstedfast/gmime#133 in GMime 3.2.13: adjacent padded base64 words lost
   * everything after the first, in names and in filenames too. */
  g_test_bug ("https://github.com/jstedfast/gmime/issues/133");
  g_assert_cmpstr (summary->subject, ==, "Hello world");
  g_assert_cmpstr (summary->from->name, ==, "Sssś Lałalalala");
  attachment = summary->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "Sssś Lałalalala.pdf");
}

static void
test_message_rfc2231 (void)
{
  g_autoptr(RpMessageSummary) summary = parse_input ("rfc2231-continuations");
  g_autoptr(RpMessageSummary) encoded = parse_input ("filename-rfc2047-in-quotes");
  g_autoptr(RpMessageSummary) raw8 = parse_input ("filename-8bit");
  RpAttachment *attachment;

  g_assert_cmpuint (summary->attachments->len, ==, 3);
  attachment = summary->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "Sitzungsprotokoll für den Vorstand – November.pdf");
  g_assert_cmpuint (attachment->size, ==, 5);
  attachment = summary->attachments->pdata[1];
  g_assert_cmpstr (attachment->filename, ==, "Grüße aus Köln.txt");
  g_assert_cmpstr (attachment->content_type, ==, "text/plain");
  attachment = summary->attachments->pdata[2];
  g_assert_cmpstr (attachment->filename, ==, "plain continued.bin");

  g_assert_cmpstr (((RpAttachment *) encoded->attachments->pdata[0])->filename, ==,
                   "Bericht Übersicht.docx");
  g_assert_cmpstr (((RpAttachment *) encoded->attachments->pdata[1])->filename, ==,
                   "Förster Sommerfest.jpg");

  g_assert_cmpstr (((RpAttachment *) raw8->attachments->pdata[0])->filename, ==, "Übersicht.pdf");
  g_assert_cmpstr (((RpAttachment *) raw8->attachments->pdata[1])->filename, ==, "März.pdf");
}

static void
test_message_header_charsets (void)
{
  g_autoptr(RpMessageSummary) latin1 = parse_input ("header-latin1-labelled-utf8");
  g_autoptr(RpMessageSummary) utf8 = parse_input ("header-utf8-unlabelled");
  g_autoptr(RpMessageSummary) cp1252 = parse_input ("header-windows-1252");
  g_autoptr(RpMessageSummary) koi8 = parse_input ("koi8-r");
  g_autoptr(RpMessageSummary) addresses = parse_input ("header-8bit-address-latin1");

  g_assert_cmpstr (latin1->subject, ==, "Grüße aus Köln");
  g_assert_cmpstr (latin1->from->name, ==, "Jörg Müller");
  g_assert_cmpstr (latin1->body_text, ==, "Der Text ist UTF-8: Grüße.\n");
  g_assert_cmpstr (utf8->subject, ==, "Réunion déplacée — 日本");
  g_assert_cmpstr (utf8->from->name, ==, "Émilie Dubois");
  g_assert_cmpstr (cp1252->subject, ==, "“Price” is 5€ – that’s all…");
  g_assert_cmpstr (cp1252->from->name, ==, "“Smart” Quotes");
  /* The 8-bit Subject: is in the charset of the body, which says koi8-r. */
  g_assert_cmpstr (koi8->subject, ==, "Привет из Москвы");
  g_assert_cmpstr (koi8->from->name, ==, "Иван Петров");
  g_assert_cmpstr (koi8->body_text, ==, "Добрый день! Как дела?\n");
  g_assert_cmpstr (addresses->from->name, ==, "François Léger");
  g_assert_cmpstr (((RpAddress *) addresses->to->pdata[0])->name, ==, "Zoë");
}

static void
test_message_body_charsets (void)
{
  struct
  {
    const char *name;
    const char *body;
  } cases[] = {
    { "body-latin1-labelled-utf8", "Schöne Grüße aus München, à bientôt.\n" },
    { "body-utf8-labelled-latin1", "Schöne Grüße aus München – bis bald.\n" },
    { "body-unknown-charset", "Café crème for € 3.\n" },
    { "body-utf16", "Grüße in UTF-16 with a BOM.\n" },
    { "body-base64-latin1", "Ça coûte 10 € – d'accord?\n" },
    { "missing-content-type-8bit", "Plain 8-bit Latin-1 without any label: naïve façade.\n" },
    { "html-charset-in-meta", "Prix: 10€, Straße" },
    { "nul-in-body", "Beforeafter the NUL.\nSecondline.\n" },
    { "line-endings-crlf", "First line.\nSecond line.\n\nThird paragraph.\n" },
    { "line-endings-mixed", "First line.\nSecond line.\n\nThird paragraph.\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpMessageSummary) summary = parse_input (cases[i].name);

      g_assert_cmpstr (summary->body_text, ==, cases[i].body);
    }
}

static void
test_message_dates (void)
{
  struct
  {
    const char *name;
    gboolean    arrival;
    gint64      date;
  } cases[] = {
    { "date-missing", TRUE, ARRIVAL },
    { "date-1900", TRUE, ARRIVAL },
    { "date-1970", TRUE, ARRIVAL },
    { "date-2099", TRUE, ARRIVAL },
    { "date-garbage", TRUE, ARRIVAL },
    { "date-iso8601", FALSE, 1699954200 },
    { "date-asctime", FALSE, 1699954200 },
    { "date-two-digit-year", FALSE, 1699954200 },
    { "date-named-zone", FALSE, 1699954200 },
    { "date-no-weekday-no-seconds", FALSE, 1699950600 },
    { "date-extreme-offset", FALSE, 1699954200 },
    { "date-tomorrow", FALSE, 1700049600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpMessageSummary) summary = parse_input (cases[i].name);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (summary->date_is_arrival, ==, cases[i].arrival);
      g_assert_cmpint (summary->date, ==, cases[i].date);
    }
}

static void
test_message_date_future_limit (void)
{
  /* Arrival is 22:13:20Z; a day and a minute later is absurd, a day less
   * a minute is not. */
  g_autoptr(RpMessageSummary) late = parse_text ("Date: Wed, 15 Nov 2023 22:14:20 +0000\n\nx\n");
  g_autoptr(RpMessageSummary) fine = parse_text ("Date: Wed, 15 Nov 2023 22:12:20 +0000\n\nx\n");

  g_assert_true (late->date_is_arrival);
  g_assert_cmpint (late->date, ==, ARRIVAL);
  g_assert_false (fine->date_is_arrival);
  g_assert_cmpint (fine->date, ==, ARRIVAL + 24 * 3600 - 60);
}

static void
test_message_attachments (void)
{
  g_autoptr(RpMessageSummary) pdf = parse_input ("attachment-pdf");
  g_autoptr(RpMessageSummary) tnef = parse_input ("tnef-unnamed");
  g_autoptr(RpMessageSummary) signed_message = parse_input ("multipart-signed");
  g_autoptr(RpMessageSummary) uuencode = parse_input ("attachment-uuencode");
  g_autoptr(RpMessageSummary) quoted = parse_input ("attachment-quoted-printable");
  g_autoptr(RpMessageSummary) many = parse_input ("many-attachments");
  g_autoptr(RpMessageSummary) crlf = parse_input ("message-rfc822-crlf");
  g_autoptr(RpMessageSummary) no_subject = parse_input ("message-rfc822-no-subject");
  RpAttachment *attachment;

  attachment = pdf->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "invoice-2023-11.pdf");
  g_assert_cmpuint (attachment->size, ==, 12345);

  attachment = tnef->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "winmail.dat");
  g_assert_cmpstr (attachment->content_type, ==, "application/ms-tnef");

  /* The PGP signature is not a file the sender attached. */
  g_assert_cmpuint (signed_message->attachments->len, ==, 0);
  g_assert_cmpstr (signed_message->body_text, ==, "This text is signed.");

  g_assert_cmpuint (((RpAttachment *) uuencode->attachments->pdata[0])->size, ==, 72);
  /* people.csv: 3 × 37 bytes of "name;city…" in UTF-8, then 121 bytes,
   * less the last line break, which belongs to the delimiter after it. */
  g_assert_cmpuint (((RpAttachment *) quoted->attachments->pdata[0])->size, ==, 3 * 37 + 121 - 1);
  g_assert_cmpuint (many->attachments->len, ==, 300);

  /* The attached message counts as its bytes in the raw message: the
   * inner message of message-rfc822-crlf.eml is 258 bytes with CRLF, up
   * to the CRLF that belongs to the next delimiter. */
  attachment = crlf->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "question.eml");
  g_assert_cmpuint (attachment->size, ==, 258);

  attachment = no_subject->attachments->pdata[0];
  g_assert_cmpstr (attachment->filename, ==, "message.eml");
  g_assert_true (attachment->is_inline);
}

static void
test_message_snippet (void)
{
  g_autoptr(RpMessageSummary) reply = parse_input ("reply-with-quote-and-signature");
  g_autoptr(RpMessageSummary) only_quote = parse_input ("reply-only-quote");
  g_autoptr(RpMessageSummary) outlook = parse_input ("outlook-top-post");
  g_autoptr(RpMessageSummary) paragraph = parse_input ("long-paragraph");
  g_autoptr(RpMessageSummary) word = parse_input ("long-word");
  g_autoptr(RpMessageSummary) line = parse_input ("one-megabyte-line");
  g_autoptr(RpMessageSummary) footer = parse_input ("mailing-list-footer");

  g_assert_cmpstr (reply->snippet, ==, "Sounds good! Friday at noon works for me. See you there.");
  /* Nothing but quotes: the quotes are better than nothing. */
  g_assert_cmpstr (only_quote->snippet, ==,
                   "> Everything in this message is quoted. > Nothing new was written.");
  g_assert_cmpstr (outlook->snippet, ==, "Approved, go ahead.");
  g_assert_cmpstr (footer->snippet, ==, "The build on main fails since this morning.");

  /* Cut at a word boundary, with an ellipsis. */
  g_assert_true (g_str_has_suffix (paragraph->snippet, "…"));
  g_assert_cmpint (g_utf8_strlen (paragraph->snippet, -1), <=, RP_MESSAGE_SNIPPET_LENGTH + 1);
  g_assert_cmpint (g_utf8_strlen (paragraph->snippet, -1), >, RP_MESSAGE_SNIPPET_LENGTH - 20);
  g_assert_true (g_str_has_prefix (paragraph->snippet, "Lorem ipsum dolor sit amet, consectetur"));
  /* Character 200 is inside "aliquip", so the cut is before it. */
  g_assert_true (g_str_has_suffix (paragraph->snippet, "laboris nisi ut…"));

  /* A word longer than the snippet is cut inside the word. */
  g_assert_cmpint (g_utf8_strlen (word->snippet, -1), ==, RP_MESSAGE_SNIPPET_LENGTH + 1);
  g_assert_true (g_str_has_prefix (word->snippet, "Short start xxxx"));

  g_assert_cmpuint (strlen (line->body_text), ==, 1048577);
  g_assert_cmpstr (line->snippet, ==,
                   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij "
                   "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij "
                   "abcdefghij abcdefghij abcdefghij abcdefghij…");
}

static void
test_message_body_choice (void)
{
  g_autoptr(RpMessageSummary) html_first = parse_input ("alternative-html-first");
  g_autoptr(RpMessageSummary) empty_plain = parse_input ("alternative-empty-plain");
  g_autoptr(RpMessageSummary) calendar = parse_input ("outlook-invite");
  g_autoptr(RpMessageSummary) mixed = parse_input ("nested-mixed");
  g_autoptr(RpMessageSummary) deep = parse_input ("deep-nesting");
  g_autoptr(RpMessageSummary) too_deep = parse_input ("too-deep-nesting");

  g_assert_cmpstr (html_first->body_text, ==, "The plain version wins anyway.");
  g_assert_true (html_first->has_html);
  g_assert_cmpstr (empty_plain->body_text, ==, "Only the HTML part has text.");
  g_assert_true (calendar->has_calendar);
  g_assert_false (calendar->has_html);
  g_assert_cmpstr (mixed->body_text, ==,
                   "Part one of the body.\nPart two of the body, after the patch.");
  g_assert_cmpstr (deep->body_text, ==, "The innermost doll.\n");
  /* Hostile depth is cut off, without a crash. */
  g_assert_cmpstr (too_deep->body_text, ==, "");
}

static void
test_message_empty_input (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (empty, ARRIVAL);

  assert_summary_sane ("empty", summary, 0);
  g_assert_cmpstr (summary->subject, ==, "");
  g_assert_cmpstr (summary->body_text, ==, "");
  g_assert_cmpstr (summary->snippet, ==, "");
  g_assert_true (summary->date_is_arrival);
  g_assert_null (summary->from);
}

static void
test_message_null_raw (void)
{
  RpMessageSummary *summary;

  g_test_expect_message ("rp-message", G_LOG_LEVEL_CRITICAL, "*assertion 'raw != NULL' failed*");
  summary = rp_message_summary_parse (NULL, 0);
  g_test_assert_expected_messages ();
  g_assert_null (summary);
}

static void
test_message_html_to_text (void)
{
  struct
  {
    const char *html;
    const char *text;
  } cases[] = {
    { "", "" },
    { "plain", "plain" },
    { "<p>One</p><p>Two</p>", "One\n\nTwo" },
    { "a<br>b<br/><br />c", "a\nb\n\nc" },
    { "<div>a</div><div>b</div>", "a\nb" },
    { "<ul><li>x</li><li>y</li></ul>", "x\ny" },
    { "<h1>Title</h1>text", "Title\n\ntext" },
    { "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n3" },
    { "  lots \n\t of   space  ", "lots of space" },
    { "<head><title>T</title><style>p{}</style></head><body>Body</body>", "Body" },
    { "<head><meta charset=utf-8><body>No closing head", "No closing head" },
    { "a<script>if (a < b) { x = '</p>'; }</script>b", "ab" },
    { "a<SCRIPT type=x>hidden</ScRiPt >b", "ab" },
    { "a<style>never closed", "a" },
    { "a<!-- comment <p>x</p> -->b", "ab" },
    { "a<!-- never closed", "a" },
    { "<!DOCTYPE html><?xml version=\"1.0\"?>x", "x" },
    { "<![CDATA[raw <text>]]>", "raw <text>" },
    { "&amp;&lt;&gt;&quot;&apos;", "&<>\"'" },
    { "a&nbsp;&nbsp;b", "a b" },
    { "&auml;&ouml;&uuml;&szlig;&Auml;&eacute;&euro;&copy;&hellip;&mdash;&ndash;", "äöüßÄé€©…—–" },
    { "&#65;&#x42;&#X43;&#233;&#x1F600;", "ABCé😀" },
    { "&#150;&#128;", "–€" },
    { "&#0;&#xD800;&#99999999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "Tom & Jerry &unknown; &#; &#x; &", "Tom & Jerry &unknown; &#; &#x; &" },
    { "&amp &copy 2023", "& © 2023" },
    { "a < b > c", "a < b > c" },
    { "<a href=\"x?a=1&b=2\" title='>'>link</a>", "link" },
    { "<img alt=\"unterminated>text", "text" },
    { "<b>bold <i>unclosed", "bold unclosed" },
    { "<pre>  keep\n    this</pre>after", "keep\n    this\nafter" },
    { "x&zwnj;&shy;y\xe2\x80\x8cz", "xyz" },
    { "<p>&nbsp;</p><p>text</p><p>&nbsp;</p>", "text" },
    { "\xff\xfe broken <b>utf-8</b>", "\xef\xbf\xbd\xef\xbf\xbd broken utf-8" },
    { "<", "<" },
    { "<p", "" },
    { "&", "&" },
    { "&#", "&#" },
    { "<div title=\"", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rp_html_to_text (cases[i].html, -1);

      g_test_message ("case %u: %s", i, cases[i].html);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_message_html_to_text_length (void)
{
  /* With an explicit length, NUL bytes and bytes after the end are ignored. */
  static const char html[] = "<p>a\0b</p>IGNORED";
  g_autofree char *text = rp_html_to_text (html, 10);
  g_autofree char *empty = rp_html_to_text (NULL, 0);

  g_assert_cmpstr (text, ==, "ab");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_message_html_newsletter (void)
{
  g_autoptr(RpMessageSummary) summary = parse_input ("html-only");

  g_assert_true (summary->has_html);
  g_assert_cmpstr (summary->body_text, ==,
                   "Weekly News\n\n"
                   "Café prices rose 5 % — but our “Grüße” offer stays at 3€.\n\n"
                   "Item Price\nTea €2\nFirst…\nSecond & last\n\n"
                   "Fish <> chips ☺ © 2023\nUnsubscribe");
}

static void
test_message_bytes_stream (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("0123456789", 10);
  GMimeStream *stream = _rp_bytes_stream_new (bytes);
  GMimeStream *sub;
  char buffer[16] = { 0 };
  gsize length;
  const char *data;

  g_assert_cmpint (g_mime_stream_length (stream), ==, 10);
  g_assert_cmpint (g_mime_stream_read (stream, buffer, 4), ==, 4);
  g_assert_cmpstr (buffer, ==, "0123");
  g_assert_cmpint (g_mime_stream_write (stream, "x", 1), ==, -1);

  sub = g_mime_stream_substream (stream, 3, 7);
  g_assert_cmpint (g_mime_stream_length (sub), ==, 4);
  g_assert_cmpint (g_mime_stream_seek (sub, 0, GMIME_STREAM_SEEK_END), ==, 7);
  g_assert_true (g_mime_stream_eos (sub));
  g_assert_cmpint (g_mime_stream_seek (sub, 1, GMIME_STREAM_SEEK_SET), ==, -1);
  g_assert_cmpint (g_mime_stream_reset (sub), ==, 0);
  memset (buffer, 0, sizeof buffer);
  g_assert_cmpint (g_mime_stream_read (sub, buffer, sizeof buffer), ==, 4);
  g_assert_cmpstr (buffer, ==, "3456");
  g_assert_cmpint (g_mime_stream_read (sub, buffer, sizeof buffer), ==, 0);

  /* The substream reads the same memory, not a copy. */
  data = _rp_bytes_stream_peek (sub, &length);
  g_assert_true (data == (const char *) g_bytes_get_data (bytes, NULL) + 3);
  g_assert_cmpuint (length, ==, 4);

  g_object_unref (sub);
  g_object_unref (stream);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/message/threads", test_message_threads);
  g_test_add_func ("/core/message/corpus/sane", test_message_corpus_sane);
  g_test_add_func ("/core/message/corpus/golden", test_message_golden);
  g_test_add_func ("/core/message/corpus/attachment-sizes-exact", test_message_attachment_sizes_exact);
  g_test_add_func ("/core/message/simple-fields", test_message_simple_fields);
  g_test_add_func ("/core/message/rfc2047", test_message_rfc2047);
  g_test_add_func ("/core/message/rfc2047-broken", test_message_rfc2047_broken);
  g_test_add_func ("/core/message/rfc2047-padded-words", test_message_rfc2047_padded_words);
  g_test_add_func ("/core/message/rfc2231", test_message_rfc2231);
  g_test_add_func ("/core/message/header-charsets", test_message_header_charsets);
  g_test_add_func ("/core/message/body-charsets", test_message_body_charsets);
  g_test_add_func ("/core/message/dates", test_message_dates);
  g_test_add_func ("/core/message/date-future-limit", test_message_date_future_limit);
  g_test_add_func ("/core/message/attachments", test_message_attachments);
  g_test_add_func ("/core/message/snippet", test_message_snippet);
  g_test_add_func ("/core/message/body-choice", test_message_body_choice);
  g_test_add_func ("/core/message/empty-input", test_message_empty_input);
  g_test_add_func ("/core/message/null-raw", test_message_null_raw);
  g_test_add_func ("/core/message/html-to-text", test_message_html_to_text);
  g_test_add_func ("/core/message/html-to-text-length", test_message_html_to_text_length);
  g_test_add_func ("/core/message/html-newsletter", test_message_html_newsletter);
  g_test_add_func ("/core/message/bytes-stream", test_message_bytes_stream);

  return g_test_run ();
}
