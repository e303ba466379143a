/* test-composer.c: drafts built into MIME and parsed back with GMime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "rp-core.h"
#include "rp-composer.h"
#include "rp-test-util.h"

/* Auxiliary functions */

static RpAccount *
make_account (void)
{
  RpAccount *account = rp_account_new ("work");
  RpIdentity *identity;

  g_free (account->email);
  account->email = g_strdup ("alice@example.test");
  g_free (account->display_name);
  account->display_name = g_strdup ("Alice Account");

  identity = rp_identity_new ("alice@example.test");
  identity->is_default = TRUE;
  g_free (identity->display_name);
  identity->display_name = g_strdup ("Alice");
  g_ptr_array_add (account->identities, identity);

  /* "Send mail as" through the account's server. */
  identity = rp_identity_new ("sales@shop.example");
  g_free (identity->display_name);
  identity->display_name = g_strdup ("Sales");
  g_ptr_array_add (account->identities, identity);

  /* An address with a server of its own. */
  identity = rp_identity_new ("alice@private.example");
  identity->smtp_host = g_strdup ("smtp.private.example");
  g_ptr_array_add (account->identities, identity);

  return account;
}

static RpDraft *
make_draft (const char *from)
{
  RpDraft *draft = rp_draft_new (from, "Alice");

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, "Bob", "bob@example.test");
  rp_draft_set_subject (draft, "Hello");
  rp_draft_set_body (draft, "Hi Bob,\n\nsee you.\n");

  return draft;
}

static GBytes *
build (const RpDraft *draft,
       const char    *identity_address)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(GError) error = NULL;
  RpIdentity *identity = rp_account_find_identity (account, identity_address);
  GBytes *bytes;

  g_assert_nonnull (identity);
  bytes = rp_composer_build (draft, account, identity, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return bytes;
}

static GMimeMessage *
parse (GBytes *bytes)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL),
                                                           g_bytes_get_size (bytes));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_assert_nonnull (message);
  g_object_unref (parser);
  g_object_unref (stream);

  return message;
}

/* Whether the built message contains @needle; the bytes are not a C
 * string (no NUL at the end). */
static gboolean
contains (GBytes     *bytes,
          const char *needle)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strstr_len (data, (gssize) length, needle) != NULL;
}

/* The raw header block (up to the empty line), as a string. */
static char *
raw_headers (GBytes *bytes)
{
  const char *data = g_bytes_get_data (bytes, NULL);
  const char *end = g_strstr_len (data, g_bytes_get_size (bytes), "\r\n\r\n");

  g_assert_nonnull (end);
  return g_strndup (data, end - data + 2);
}

static guint
count_headers (GMimeObject *object,
               const char  *name)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  guint n = 0;

  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      if (g_ascii_strcasecmp (g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i)),
                              name) == 0)
        n++;
    }

  return n;
}

static char *
part_text (GMimeObject *object)
{
  GMimeDataWrapper *wrapper = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *out = g_mime_stream_mem_new ();
  GByteArray *array;
  char *text;

  g_mime_data_wrapper_write_to_stream (wrapper, out);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  text = g_strndup ((const char *) array->data, array->len);
  g_object_unref (out);

  return text;
}

/* Every line ends in CRLF and no line is longer than RFC 5322 allows. */
static void
assert_wire_format (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize line_start = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        {
          g_assert_cmpuint (i, >, 0);
          g_assert_cmpint (data[i - 1], ==, '\r');
          g_assert_cmpuint (i - line_start, <=, 998 + 1);
          line_start = i + 1;
        }
      else if (data[i] == '\r')
        g_assert_true (i + 1 < length && data[i + 1] == '\n');
    }
  g_assert_cmpuint (line_start, ==, length);
}

static char *
address_list_string (InternetAddressList *list)
{
  return internet_address_list_to_string (list, NULL, FALSE);
}

/* Tests */

static void
test_plain (void)
{
  g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
  g_autoptr(GBytes) bytes = build (draft, "alice@example.test");
  g_autofree char *headers = raw_headers (bytes);
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message = parse (bytes);
  GMimeObject *body = g_mime_message_get_mime_part (message);
  const char *id = g_mime_message_get_message_id (message);

  assert_wire_format (bytes);
  g_assert_true (GMIME_IS_TEXT_PART (body));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body), "text", "plain"));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (body, "charset"), ==, "utf-8");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==,
                   GMIME_CONTENT_ENCODING_7BIT);
  text = part_text (body);
  g_assert_cmpstr (text, ==, "Hi Bob,\r\n\r\nsee you.\r\n");

  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (message), "MIME-Version"), ==, "1.0");
  g_assert_nonnull (g_mime_message_get_date (message));
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Hello");
  g_assert_nonnull (id);
  g_assert_true (g_str_has_suffix (id, "@example.test"));
  g_assert_cmpuint (strlen (id), >, strlen ("@example.test") + 16);
  g_assert_nonnull (strstr (headers, "Message-Id: <"));
  to = address_list_string (g_mime_message_get_to (message));
  g_assert_cmpstr (to, ==, "Bob <bob@example.test>");
  g_assert_cmpuint (count_headers (GMIME_OBJECT (message), "Sender"), ==, 0);
  g_assert_cmpuint (count_headers (GMIME_OBJECT (message), "Bcc"), ==, 0);
  g_assert_cmpuint (count_headers (GMIME_OBJECT (message), "Cc"), ==, 0);

  /* Two builds never share a Message-ID. */
  {
    g_autoptr(GBytes) again = build (draft, "alice@example.test");
    GMimeMessage *second = parse (again);

    g_assert_cmpstr (g_mime_message_get_message_id (second), !=, id);
    g_object_unref (second);
  }

  g_object_unref (message);
}

static void
test_utf8_headers (void)
{
  const char *subject = "Grüße aus Köln — Ünïcödé and a long tail to make it fold once or twice";
  g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", "Jürgen Müller");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message;
  GMimeObject *body;
  InternetAddress *from;
  InternetAddress *to;

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, "Zoë Ørsted", "zoe@example.test");
  rp_draft_set_subject (draft, subject);
  rp_draft_set_body (draft, "Schöne Grüße,\n.\nFrom here: a line that starts with From.\n");
  bytes = build (draft, "alice@example.test");
  headers = raw_headers (bytes);

  /* Headers are ASCII, with RFC 2047 words in UTF-8. */
  for (const char *p = headers; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_nonnull (strstr (headers, "=?UTF-8?"));
  assert_wire_format (bytes);

  message = parse (bytes);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, subject);
  from = internet_address_list_get_address (g_mime_message_get_from (message), 0);
  g_assert_cmpstr (internet_address_get_name (from), ==, "Jürgen Müller");
  to = internet_address_list_get_address (g_mime_message_get_to (message), 0);
  g_assert_cmpstr (internet_address_get_name (to), ==, "Zoë Ørsted");

  body = g_mime_message_get_mime_part (message);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==,
                   GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  text = part_text (body);
  g_assert_cmpstr (text, ==, "Schöne Grüße,\r\n.\r\nFrom here: a line that starts with From.\r\n");

  /* And Rapport's own reader agrees. */
  summary = rp_message_summary_parse (bytes, 0);
  g_assert_cmpstr (summary->subject, ==, subject);
  g_assert_cmpstr (summary->from->name, ==, "Jürgen Müller");
  g_assert_cmpstr (((RpAddress *) g_ptr_array_index (summary->to, 0))->name, ==, "Zoë Ørsted");

  g_object_unref (message);
}

static void
test_attachments (void)
{
  static const guint8 pdf[] = { '%', 'P', 'D', 'F', 0x00, 0xff, 0x10, '\r', '\n', 0x80, 'E' };
  g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
  g_autoptr(GBytes) data = g_bytes_new_static (pdf, sizeof pdf);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autofree char *dir = rp_test_make_tmpdir ("composer");
  g_autofree char *path = g_build_filename (dir, "naïve notes.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GMimeMessage *message;
  GMimeMultipart *mixed;
  GMimeObject *part;

  g_assert_true (g_file_set_contents (path, "plain notes\n", -1, &error));
  rp_draft_add_attachment_bytes (draft, "Übersicht März.pdf", "application/pdf", data);
  rp_draft_add_attachment_file (draft, path, NULL);
  bytes = build (draft, "alice@example.test");
  assert_wire_format (bytes);

  /* RFC 2231 parameters in UTF-8 for the names beyond ASCII. */
  g_assert_true (contains (bytes, "filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.pdf"));
  g_assert_true (contains (bytes, "filename*=UTF-8''na%C3%AFve%20notes.txt"));

  message = parse (bytes);
  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (message)));
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (GMIME_OBJECT (mixed)),
                                              "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 3);

  part = g_mime_multipart_get_part (mixed, 0);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "plain"));
  text = part_text (part);
  g_assert_cmpstr (text, ==, "Hi Bob,\r\n\r\nsee you.\r\n");

  part = g_mime_multipart_get_part (mixed, 1);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part),
                                              "application", "pdf"));
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==,
                   GMIME_CONTENT_ENCODING_BASE64);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "Übersicht März.pdf");
  g_assert_cmpstr (g_mime_content_disposition_get_disposition (g_mime_object_get_content_disposition (part)),
                   ==, "attachment");
  {
    GMimeDataWrapper *wrapper = g_mime_part_get_content (GMIME_PART (part));
    GMimeStream *out = g_mime_stream_mem_new ();
    GByteArray *array;
    g_autoptr(GBytes) decoded = NULL;

    g_mime_data_wrapper_write_to_stream (wrapper, out);
    array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
    decoded = g_bytes_new (array->data, array->len);
    first = rp_test_sha256_bytes (decoded);
    second = rp_test_sha256_bytes (data);
    g_assert_cmpstr (first, ==, second);
    g_object_unref (out);
  }

  part = g_mime_multipart_get_part (mixed, 2);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "plain"));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "naïve notes.txt");
  g_clear_pointer (&text, g_free);
  text = part_text (part);
  g_assert_cmpstr (text, ==, "plain notes\n");

  summary = rp_message_summary_parse (bytes, 0);
  g_assert_cmpuint (summary->attachments->len, ==, 2);
  g_assert_cmpstr (((RpAttachment *) g_ptr_array_index (summary->attachments, 0))->filename, ==,
                   "Übersicht März.pdf");
  g_assert_cmpuint (((RpAttachment *) g_ptr_array_index (summary->attachments, 0))->size, ==,
                    sizeof pdf);

  g_object_unref (message);
  rp_test_rm_rf (dir);
}

static void
test_missing_attachment (void)
{
  g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  rp_draft_add_attachment_file (draft, "/nonexistent/rapport/file.pdf", NULL);
  bytes = rp_composer_build (draft, account, NULL, &error);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_null (bytes);
}

static void
test_sender (void)
{
  g_autoptr(RpAccount) account = make_account ();
  struct
  {
    const char *identity;
    const char *sender;         /* NULL: no Sender: header */
    const char *envelope_from;
  } cases[] = {
    { "alice@example.test", NULL, "alice@example.test" },
    { "ALICE@Example.Test", NULL, "alice@example.test" },
    { "sales@shop.example", "Alice Account <alice@example.test>", "alice@example.test" },
    { "alice@private.example", NULL, "alice@private.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RpIdentity *identity = rp_account_find_identity (account, cases[i].identity);
      g_autoptr(RpDraft) draft = make_draft (identity->address);
      g_autoptr(GBytes) bytes = build (draft, identity->address);
      g_autofree char *envelope_from = rp_composer_dup_envelope_from (account, identity);
      GMimeMessage *message = parse (bytes);
      InternetAddressList *sender = g_mime_message_get_sender (message);

      g_test_message ("identity %s", cases[i].identity);
      g_assert_cmpuint (count_headers (GMIME_OBJECT (message), "Sender"), ==,
                        cases[i].sender != NULL ? 1 : 0);
      g_assert_cmpint (rp_composer_needs_sender (account, identity), ==, cases[i].sender != NULL);
      if (cases[i].sender != NULL)
        {
          g_autofree char *text = address_list_string (sender);

          g_assert_cmpstr (text, ==, cases[i].sender);
        }
      g_assert_cmpstr (envelope_from, ==, cases[i].envelope_from);
      g_object_unref (message);
    }
}

static void
test_bcc_hidden (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
  g_autoptr(RpDraft) effective = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *cc = NULL;
  RpIdentity *identity = rp_account_find_identity (account, "alice@example.test");
  const char * const expected[] = { "bob@example.test", "carol@example.test",
                                    "alice@example.test", "secret@example.test", NULL };
  GMimeMessage *message;

  identity->cc_self = TRUE;
  rp_draft_add_recipient (draft, RP_RECIPIENT_CC, "Carol", "carol@example.test");
  rp_draft_add_recipient (draft, RP_RECIPIENT_BCC, "Secret Person", "secret@example.test");
  /* Already a recipient: not twice on the envelope. */
  rp_draft_add_recipient (draft, RP_RECIPIENT_BCC, NULL, "BOB@example.test");

  bytes = rp_composer_build (draft, account, identity, &error);
  g_assert_no_error (error);
  lower = g_ascii_strdown (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_null (strstr (lower, "secret"));
  g_assert_null (strstr (lower, "\nbcc"));

  message = parse (bytes);
  g_assert_cmpuint (count_headers (GMIME_OBJECT (message), "Bcc"), ==, 0);
  cc = address_list_string (g_mime_message_get_cc (message));
  g_assert_cmpstr (cc, ==, "Carol <carol@example.test>, Alice <alice@example.test>");
  g_object_unref (message);

  recipients = rp_composer_dup_recipients (draft, identity);
  g_assert_cmpstrv (recipients, expected);

  /* Bcc myself: envelope only. */
  identity->cc_self = FALSE;
  identity->bcc_self = TRUE;
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = rp_composer_build (draft, account, identity, &error);
  g_assert_no_error (error);
  message = parse (bytes);
  g_clear_pointer (&cc, g_free);
  cc = address_list_string (g_mime_message_get_cc (message));
  g_assert_cmpstr (cc, ==, "Carol <carol@example.test>");
  g_object_unref (message);
  effective = rp_draft_apply_identity (draft, identity);
  g_assert_cmpuint (effective->bcc->len, ==, 3);
  g_assert_cmpstr (((RpAddress *) g_ptr_array_index (effective->bcc, 2))->address, ==,
                   "alice@example.test");
  /* Applying twice changes nothing. */
  {
    g_autoptr(RpDraft) twice = rp_draft_apply_identity (effective, identity);

    g_assert_cmpuint (twice->bcc->len, ==, 3);
    g_assert_cmpuint (twice->cc->len, ==, 1);
  }
}

static void
test_injection (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", "Eve\r\nBcc: evil@x");
  g_autoptr(GBytes) x = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headers = NULL;
  static const char * const bad_addresses[] = {
    "bob@example.test\r\nBcc: evil@x",
    "bob@example.test\nBcc: evil@x",
    "bob@example.test>\r\nRCPT TO:<evil@x",
    "bob@example.test, evil@x",
    "Bob <bob@example.test>",
    "bob",
    "bob@",
    "@example.test",
    "bo b@example.test",
    "bob..x@example.test",
  };
  GMimeMessage *message;
  GMimeHeaderList *list;
  GMimeObject *attachment;
  InternetAddress *to;

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, "Bob\nX-Evil: 1", "bob@example.test");
  rp_draft_set_subject (draft, "x\r\nBcc: evil@x\r\n\r\nbody in headers");
  rp_draft_set_body (draft, "Body\n");
  rp_draft_add_attachment_bytes (draft, "a\r\nX-Evil: 1\r\n.txt", "text/plain\r\nX-Evil: 2",
                                 x);
  bytes = rp_composer_build (draft, account, NULL, &error);
  g_assert_no_error (error);
  assert_wire_format (bytes);
  headers = raw_headers (bytes);

  /* No header was added: every line of the header block is one of ours
   * or a folded continuation. */
  {
    g_auto(GStrv) lines = g_strsplit (headers, "\r\n", -1);
    static const char * const ours[] = { "Date:", "From:", "To:", "Subject:", "Message-Id:",
                                         "MIME-Version:", "Content-Type:" };

    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      {
        gboolean known = lines[i][0] == ' ' || lines[i][0] == '\t';

        for (guint k = 0; !known && k < G_N_ELEMENTS (ours); k++)
          known = g_str_has_prefix (lines[i], ours[k]);
        if (!known)
          g_error ("unexpected header line: %s", lines[i]);
      }
  }
  g_assert_false (contains (bytes, "\r\nX-Evil"));
  g_assert_false (contains (bytes, "\r\nBcc"));

  message = parse (bytes);
  list = g_mime_object_get_header_list (GMIME_OBJECT (message));
  g_assert_false (g_mime_header_list_contains (list, "Bcc"));
  g_assert_false (g_mime_header_list_contains (list, "X-Evil"));
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "x Bcc: evil@x body in headers");
  to = internet_address_list_get_address (g_mime_message_get_to (message), 0);
  g_assert_cmpstr (internet_address_get_name (to), ==, "Bob X-Evil: 1");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (to)), ==,
                   "bob@example.test");
  attachment = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (message)), 1);
  g_assert_false (g_mime_header_list_contains (g_mime_object_get_header_list (attachment), "X-Evil"));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attachment)), ==, "a X-Evil: 1 .txt");
  g_object_unref (message);

  /* Addresses cannot be sanitised into something else: they are refused. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_addresses); i++)
    {
      g_autoptr(RpDraft) bad = make_draft ("alice@example.test");
      g_autoptr(GBytes) none = NULL;
      g_autoptr(GError) local_error = NULL;

      g_test_message ("address %s", bad_addresses[i]);
      g_assert_false (rp_composer_address_is_valid (bad_addresses[i]));
      rp_draft_add_recipient (bad, RP_RECIPIENT_BCC, NULL, bad_addresses[i]);
      none = rp_composer_build (bad, account, NULL, &local_error);
      g_assert_error (local_error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
      g_assert_null (none);
      g_clear_error (&local_error);
      if (strpbrk (bad_addresses[i], "\r\n,") != NULL)
        {
          RpAddress *parsed = rp_composer_parse_address (bad_addresses[i], &local_error);

          g_assert_null (parsed);
          g_assert_error (local_error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
        }
    }

  /* A Message-ID that would break out of In-Reply-To. */
  {
    g_autoptr(RpDraft) bad = make_draft ("alice@example.test");
    g_autoptr(GBytes) none = NULL;
    g_autoptr(GError) local_error = NULL;

    bad->in_reply_to = g_strdup ("id@x>\r\nBcc: evil@x");
    none = rp_composer_build (bad, account, NULL, &local_error);
    g_assert_error (local_error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_reply (void)
{
  static const char original_text[] =
    "From: Bob <bob@example.test>\r\n"
    "To: alice@example.test\r\n"
    "Subject: Hello\r\n"
    "Message-ID: <orig-3@example.test>\r\n"
    "In-Reply-To: <orig-2@example.test>\r\n"
    "References: <orig-1@example.test> <orig-2@example.test>\r\n"
    "\r\n"
    "Hi\r\n";
  g_autoptr(GBytes) original = g_bytes_new_static (original_text, sizeof original_text - 1);
  g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (original, 0);
  g_autoptr(RpDraft) draft = rp_draft_new_reply (summary, "alice@example.test", "Alice");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RpMessageSummary) reply = NULL;
  g_autoptr(RpDraft) second = NULL;
  const char * const references[] = { "orig-1@example.test", "orig-2@example.test",
                                      "orig-3@example.test", NULL };
  GMimeMessage *message;

  g_assert_cmpstr (draft->subject, ==, "Re: Hello");
  g_assert_cmpstr (draft->in_reply_to, ==, "orig-3@example.test");
  g_assert_cmpstrv (draft->references, references);

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, summary->from->name, summary->from->address);
  bytes = build (draft, "alice@example.test");
  message = parse (bytes);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (message), "In-Reply-To"), ==,
                   "<orig-3@example.test>");
  g_assert_true (contains (bytes, "References: <orig-1@example.test> <orig-2@example.test>"));
  g_object_unref (message);

  reply = rp_message_summary_parse (bytes, 0);
  g_assert_cmpstr (reply->in_reply_to, ==, "orig-3@example.test");
  g_assert_cmpstrv (reply->references, references);
  g_assert_cmpstr (reply->subject, ==, "Re: Hello");

  /* A reply to the reply: still one "Re:", one more reference. */
  second = rp_draft_new_reply (reply, "bob@example.test", NULL);
  g_assert_cmpstr (second->subject, ==, "Re: Hello");
  g_assert_cmpuint (g_strv_length (second->references), ==, 4);
  g_assert_cmpstr (second->in_reply_to, ==, reply->message_id);
}

static void
test_parse_address (void)
{
  struct
  {
    const char *text;
    const char *name;
    const char *address;
  } good[] = {
    { "bob@example.test", NULL, "bob@example.test" },
    { "<bob@example.test>", NULL, "bob@example.test" },
    { "Bob Builder <bob@example.test>", "Bob Builder", "bob@example.test" },
    { "\"Builder, Bob\" <bob@example.test>", "Builder, Bob", "bob@example.test" },
    { "=?UTF-8?Q?J=C3=BCrgen?= <j@example.test>", "Jürgen", "j@example.test" },
    { "Jürgen <jürgen@exämple.test>", "Jürgen", "jürgen@exämple.test" },
  };
  const char *bad[] = { "", "bob", "a@b, c@d", "Bob <bob@example.test>\r\nBcc: x@y",
                        "group: a@b, c@d;", "<>" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      RpAddress *address = rp_composer_parse_address (good[i].text, &error);

      g_test_message ("address %s", good[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (address->name, ==, good[i].name);
      g_assert_cmpstr (address->address, ==, good[i].address);
      rp_address_free (address);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      RpAddress *address = rp_composer_parse_address (bad[i], &error);

      g_test_message ("address %s", bad[i]);
      g_assert_null (address);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_validation (void)
{
  g_autoptr(RpAccount) account = make_account ();

  /* No recipients. */
  {
    g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (rp_composer_validate (draft, &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  }
  /* A body that is not UTF-8. */
  {
    g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
    g_autoptr(GError) error = NULL;

    rp_draft_set_body (draft, "Gr\xfc\xdf" "e\n");
    g_assert_false (rp_composer_validate (draft, &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  }
  /* A From that is not the identity's. */
  {
    g_autoptr(RpDraft) draft = make_draft ("mallory@example.test");
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = rp_composer_build (draft, account, NULL, &error);

    g_assert_null (bytes);
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_long_lines (void)
{
  g_autoptr(RpDraft) draft = make_draft ("alice@example.test");
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message;

  for (guint i = 0; i < 1500; i++)
    g_string_append_c (body, 'a' + i % 26);
  g_string_append (body, "\r\nlast line without end");
  rp_draft_set_body (draft, body->str);
  bytes = build (draft, "alice@example.test");
  assert_wire_format (bytes);

  message = parse (bytes);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (g_mime_message_get_mime_part (message))),
                   ==, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  text = part_text (g_mime_message_get_mime_part (message));
  g_string_append (body, "\r\n");
  g_assert_cmpstr (text, ==, body->str);
  g_object_unref (message);
}

static void
test_sanitize (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "  padded  ", "padded" },
    { "a\r\nb", "a b" },
    { "a\tb\vc\x01" "d", "a b c d" },
    { "line\xe2\x80\xa8sep", "line sep" },
    { "c1\xc2\x85next", "c1 next" },
    { "bad \xff utf8", "bad \xef\xbf\xbd utf8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = rp_composer_sanitize_header (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);
  g_mime_init ();

  g_test_add_func ("/core/composer/plain", test_plain);
  g_test_add_func ("/core/composer/utf8-headers", test_utf8_headers);
  g_test_add_func ("/core/composer/attachments", test_attachments);
  g_test_add_func ("/core/composer/missing-attachment", test_missing_attachment);
  g_test_add_func ("/core/composer/sender-on-behalf", test_sender);
  g_test_add_func ("/core/composer/bcc-hidden", test_bcc_hidden);
  g_test_add_func ("/core/composer/header-injection", test_injection);
  g_test_add_func ("/core/composer/reply-headers", test_reply);
  g_test_add_func ("/core/composer/parse-address", test_parse_address);
  g_test_add_func ("/core/composer/validation", test_validation);
  g_test_add_func ("/core/composer/long-lines", test_long_lines);
  g_test_add_func ("/core/composer/sanitize-header", test_sanitize);

  return g_test_run ();
}
