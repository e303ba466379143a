/* test-smtp-parse.c: SMTP replies, capabilities and the DATA encoding,
 * without a network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-quirks.h"
#include "rp-smtp-private.h"
#include "rp-test-util.h"

/* Auxiliary methods */

static RpSmtpReply *
parse_reply (const char *text)
{
  g_autoptr(RpSmtpReply) reply = _rp_smtp_reply_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (reply->complete);
      g_assert_true (_rp_smtp_reply_add_line (reply, lines[i], strlen (lines[i]), &error));
      g_assert_no_error (error);
    }
  g_assert_true (reply->complete);

  return g_steal_pointer (&reply);
}

static gboolean
append_to_array (const void  *data,
                 gsize        length,
                 gpointer     user_data,
                 GError     **error)
{
  g_byte_array_append (user_data, data, (guint) length);
  return TRUE;
}

/* Runs the DATA encoder over @input and returns what it wrote. */
static char *
encode (const char *input,
        gsize       length)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (_rp_smtp_write_data ((const guint8 *) input, length, append_to_array, out, &error));
  g_assert_no_error (error);
  g_byte_array_append (out, (const guint8 *) "", 1);

  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

/* Undoes dot-stuffing and the terminator, as a server does. */
static char *
unstuff (const char *encoded)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = encoded;

  while (*p != '\0')
    {
      const char *end = strstr (p, "\r\n");

      g_assert_nonnull (end);
      if (end - p == 1 && *p == '.')
        {
          g_assert_cmpstr (end + 2, ==, "");
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (*p == '.')
        p++;
      g_string_append_len (out, p, end + 2 - p);
      p = end + 2;
    }

  g_assert_not_reached ();
  return NULL;
}

/* Tests */

static void
test_reply_line (void)
{
  static const struct {
    const char *line;
    guint code;
    gboolean last;
    const char *text;
  } good[] = {
    { "250 OK", 250, TRUE, "OK" },
    { "250-PIPELINING", 250, FALSE, "PIPELINING" },
    { "250", 250, TRUE, "" },
    { "354 ", 354, TRUE, "" },
    { "220 mail.example.test ESMTP Postfix", 220, TRUE, "mail.example.test ESMTP Postfix" },
    { "550-", 550, FALSE, "" },
    { "199 odd but allowed", 199, TRUE, "odd but allowed" },
  };
  static const char *bad[] = {
    "", "2", "25", "2500 x", "abc", "250x", "650 x", "099 x", "-250 x", " 250 x", "25a x",
    "250\tx",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *text = NULL;
      gsize text_length = 0;
      guint code = 0;
      gboolean last = FALSE;

      g_assert_true (_rp_smtp_parse_reply_line (good[i].line, strlen (good[i].line), &code, &last,
                                                &text, &text_length, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (code, ==, good[i].code);
      g_assert_cmpint (last, ==, good[i].last);
      g_assert_cmpmem (text, text_length, good[i].text, strlen (good[i].text));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *text = NULL;
      gsize text_length = 0;
      guint code = 0;
      gboolean last = FALSE;

      g_assert_false (_rp_smtp_parse_reply_line (bad[i], strlen (bad[i]), &code, &last,
                                                 &text, &text_length, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
    }

  /* A NUL inside the code is not a digit, even with the length given. */
  {
    g_autoptr(GError) error = NULL;
    const char *text = NULL;
    gsize text_length = 0;
    guint code = 0;
    gboolean last = FALSE;

    g_assert_false (_rp_smtp_parse_reply_line ("2\0000 x", 5, &code, &last, &text, &text_length,
                                               &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  }
}

static void
test_reply_multiline (void)
{
  g_autoptr(RpSmtpReply) reply = parse_reply ("250-mail.example.test\r\n"
                                              "250-PIPELINING\r\n"
                                              "250-SIZE 10240000\r\n"
                                              "250 8BITMIME\r\n");
  g_autofree char *text = _rp_smtp_reply_dup_text (reply);
  g_autofree char *shown = _rp_smtp_reply_to_string (reply);
  g_autoptr(RpSmtpReply) mixed = _rp_smtp_reply_new ();
  g_autoptr(RpSmtpReply) endless = _rp_smtp_reply_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (reply->code, ==, 250);
  g_assert_null (reply->enhanced);
  g_assert_cmpuint (reply->lines->len, ==, 4);
  g_assert_cmpstr (text, ==, "mail.example.test\nPIPELINING\nSIZE 10240000\n8BITMIME");
  g_assert_cmpstr (shown, ==, "250 mail.example.test\n250 PIPELINING\n250 SIZE 10240000\n250 8BITMIME");

  /* Every line of one reply carries the same code (RFC 5321 §4.2.1). */
  g_assert_true (_rp_smtp_reply_add_line (mixed, "250-first", 9, &error));
  g_assert_false (_rp_smtp_reply_add_line (mixed, "550 second", 10, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A peer cannot grow one reply without end. */
  for (guint i = 0; i < RP_SMTP_MAX_REPLY_LINES; i++)
    g_assert_true (_rp_smtp_reply_add_line (endless, "250-x", 5, NULL));
  g_assert_false (_rp_smtp_reply_add_line (endless, "250-x", 5, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A cleared reply starts again. */
  _rp_smtp_reply_clear (endless);
  g_assert_true (_rp_smtp_reply_add_line (endless, "221 2.0.0 Bye", 13, &error));
  g_assert_no_error (error);
  g_assert_true (endless->complete);
  g_assert_cmpuint (endless->lines->len, ==, 1);
  g_assert_cmpstr (endless->enhanced, ==, "2.0.0");
}

static void
test_reply_enhanced (void)
{
  static const struct {
    const char *reply;
    guint code;
    const char *enhanced;
    const char *text;
  } cases[] = {
    { "550 5.1.1 <nobody@example.test>: Recipient address rejected\r\n",
      550, "5.1.1", "<nobody@example.test>: Recipient address rejected" },
    { "250 2.0.0 Ok: queued as 4F2C81234\r\n", 250, "2.0.0", "Ok: queued as 4F2C81234" },
    { "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\r\n",
      535, "5.7.139", "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant." },
    { "534-5.7.9 Application-specific password required. Learn more at\r\n"
      "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x1\r\n",
      534, "5.7.9", "Application-specific password required. Learn more at\n"
      "https://support.google.com/mail/?p=InvalidSecondFactor x1" },
    { "250 2.1.5\r\n", 250, "2.1.5", "" },
    /* The class must match the reply code. */
    { "550 4.1.1 mismatched\r\n", 550, NULL, "4.1.1 mismatched" },
    /* Subject and detail have one to three digits. */
    { "550 5.1234.1 no\r\n", 550, NULL, "5.1234.1 no" },
    { "550 5.1.1234 no\r\n", 550, NULL, "5.1.1234 no" },
    { "550 5..1 no\r\n", 550, NULL, "5..1 no" },
    { "220 2.0.0Ready\r\n", 220, NULL, "2.0.0Ready" },
    /* RFC 3463 has no class 3; a SASL challenge stays whole. */
    { "334 VXNlcm5hbWU6\r\n", 334, NULL, "VXNlcm5hbWU6" },
    { "354 3.0.0 go\r\n", 354, NULL, "3.0.0 go" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpSmtpReply) reply = parse_reply (cases[i].reply);
      g_autofree char *text = _rp_smtp_reply_dup_text (reply);

      g_assert_cmpuint (reply->code, ==, cases[i].code);
      g_assert_cmpstr (reply->enhanced, ==, cases[i].enhanced);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_reply_sanitized (void)
{
  /* An escape sequence, invalid UTF-8, a NUL and a DEL. */
  static const char line[] = "550 bad \x1b[31mred\xff\xfe \0end\x7f";
  g_autoptr(RpSmtpReply) reply = _rp_smtp_reply_new ();
  g_autoptr(GError) error = NULL;
  const char *text;

  g_assert_true (_rp_smtp_reply_add_line (reply, line, sizeof line - 1, &error));
  g_assert_no_error (error);
  text = g_ptr_array_index (reply->lines, 0);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\x1b'));
  g_assert_null (strchr (text, '\x7f'));
  g_assert_true (g_str_has_prefix (text, "bad ?[31mred"));
  g_assert_true (g_str_has_suffix (text, "end?"));
}

static void
test_capabilities (void)
{
  g_autoptr(RpSmtpReply) postfix = parse_reply ("250-localhost\r\n"
                                                "250-PIPELINING\r\n"
                                                "250-SIZE 10240000\r\n"
                                                "250-VRFY\r\n"
                                                "250-ETRN\r\n"
                                                "250-STARTTLS\r\n"
                                                "250-AUTH PLAIN LOGIN\r\n"
                                                "250-ENHANCEDSTATUSCODES\r\n"
                                                "250-8BITMIME\r\n"
                                                "250-DSN\r\n"
                                                "250-SMTPUTF8\r\n"
                                                "250 CHUNKING\r\n");
  g_autoptr(RpSmtpReply) old = parse_reply ("250-old.example.test Hello\r\n"
                                            "250-auth=login cram-md5\r\n"
                                            "250-AUTH XOAUTH2 CRAM-MD5\r\n"
                                            "250 size\r\n");
  g_autoptr(RpSmtpReply) greeting_only = parse_reply ("250 PIPELINING\r\n");
  RpSmtpCaps caps;

  _rp_smtp_caps_parse_reply (&caps, postfix);
  g_assert_cmpuint (caps.flags, ==, RP_SMTP_CAP_PIPELINING | RP_SMTP_CAP_SIZE | RP_SMTP_CAP_STARTTLS
                                    | RP_SMTP_CAP_AUTH | RP_SMTP_CAP_ENHANCEDSTATUSCODES
                                    | RP_SMTP_CAP_8BITMIME | RP_SMTP_CAP_SMTPUTF8);
  g_assert_cmpuint (caps.size_limit, ==, 10240000);
  g_assert_cmpuint (caps.auth, ==, RP_SMTP_AUTH_MECH_PLAIN | RP_SMTP_AUTH_MECH_LOGIN);

  /* Lower case, the pre-standard AUTH= form, unknown mechanisms, SIZE
   * without a number (no fixed limit). */
  _rp_smtp_caps_parse_reply (&caps, old);
  g_assert_cmpuint (caps.flags, ==, RP_SMTP_CAP_AUTH | RP_SMTP_CAP_SIZE);
  g_assert_cmpuint (caps.auth, ==, RP_SMTP_AUTH_MECH_LOGIN | RP_SMTP_AUTH_MECH_CRAM_MD5);
  g_assert_cmpuint (caps.size_limit, ==, 0);

  /* The first line names the server; it is never a capability. */
  _rp_smtp_caps_parse_reply (&caps, greeting_only);
  g_assert_cmpuint (caps.flags, ==, RP_SMTP_CAP_NONE);

  /* Limits that do not fit, or are not numbers, mean "no fixed limit". */
  memset (&caps, 0, sizeof caps);
  _rp_smtp_caps_parse_line (&caps, "SIZE 99999999999999999999999");
  g_assert_cmpuint (caps.size_limit, ==, 0);
  _rp_smtp_caps_parse_line (&caps, "SIZE -5");
  g_assert_cmpuint (caps.size_limit, ==, 0);
  _rp_smtp_caps_parse_line (&caps, "SIZE 18446744073709551615");
  g_assert_cmpuint (caps.size_limit, ==, G_MAXUINT64);
  _rp_smtp_caps_parse_line (&caps, "SIZE 1e6");
  g_assert_cmpuint (caps.size_limit, ==, 0);
  _rp_smtp_caps_parse_line (&caps, "");
  _rp_smtp_caps_parse_line (&caps, "   ");
  _rp_smtp_caps_parse_line (&caps, "8BITMIMEX");
  g_assert_cmpuint (caps.flags, ==, RP_SMTP_CAP_SIZE);
}

static void
test_data_dot_stuffing (void)
{
  static const struct {
    const char *input;
    const char *output;
  } cases[] = {
    { "", ".\r\n" },
    { "a\r\n", "a\r\n.\r\n" },
    { ".\r\n", "..\r\n.\r\n" },
    { ".", "..\r\n.\r\n" },
    { "..x\r\n", "...x\r\n.\r\n" },
    { "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n" },
    { "a.\r\n x.\r\n", "a.\r\n x.\r\n.\r\n" },
    { "line\r\n.hidden\r\n\r\n.\r\n", "line\r\n..hidden\r\n\r\n..\r\n.\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = encode (cases[i].input, strlen (cases[i].input));

      g_assert_cmpstr (out, ==, cases[i].output);
    }
}

static void
test_data_line_endings (void)
{
  static const struct {
    const char *input;
    const char *output;
    gsize size;
  } cases[] = {
    /* Bare LF, bare CR and CRLF all become one CRLF. */
    { "a\nb\n", "a\r\nb\r\n.\r\n", 6 },
    { "a\rb\r", "a\r\nb\r\n.\r\n", 6 },
    { "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n", 8 },
    { "a\n\rb", "a\r\n\r\nb\r\n.\r\n", 8 },
    { "\n.\n", "\r\n..\r\n.\r\n", 5 },
    { "no ending", "no ending\r\n.\r\n", 11 },
    { "x\r", "x\r\n.\r\n", 3 },
    /* An encoded "\r\n.\r\n" in the body can never end the data early. */
    { "a\n.\rb", "a\r\n..\r\nb\r\n.\r\n", 9 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = strlen (cases[i].input);
      g_autofree char *out = encode (cases[i].input, length);
      g_autofree char *plain = unstuff (out);
      gboolean has_8bit = TRUE;

      g_assert_cmpstr (out, ==, cases[i].output);
      /* SIZE counts CRLF but neither the stuffed dots nor the end mark. */
      g_assert_cmpuint (_rp_smtp_message_size ((const guint8 *) cases[i].input, length, &has_8bit),
                        ==, cases[i].size);
      g_assert_cmpuint (strlen (plain), ==, cases[i].size);
      g_assert_false (has_8bit);
    }
}

static void
test_data_eight_bit_and_nul (void)
{
  static const char input[] = "Gr\xc3\xbc\xc3\x9f" "e\n\0.\n";
  g_autoptr(GByteArray) out = g_byte_array_new ();
  static const char expected[] = "Gr\xc3\xbc\xc3\x9f" "e\r\n\0.\r\n.\r\n";
  gboolean has_8bit = FALSE;

  g_assert_true (_rp_smtp_write_data ((const guint8 *) input, sizeof input - 1,
                                      append_to_array, out, NULL));
  /* A NUL at the start of a line is not a dot and is passed through. */
  g_assert_cmpmem (out->data, out->len, expected, sizeof expected - 1);
  g_assert_cmpuint (_rp_smtp_message_size ((const guint8 *) input, sizeof input - 1, &has_8bit),
                    ==, sizeof expected - 1 - 3);
  g_assert_true (has_8bit);
}

typedef struct
{
  const guint8 *input;
  gsize         length;
  gsize         direct;
  gsize         total;
  guint         calls;
  guint         fail_after;
} CountingSink;

static gboolean
count_bytes (const void  *data,
             gsize        length,
             gpointer     user_data,
             GError     **error)
{
  CountingSink *sink = user_data;

  if (sink->fail_after != 0 && sink->calls == sink->fail_after)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED, "gone");
      return FALSE;
    }

  sink->calls++;
  sink->total += length;
  if ((const guint8 *) data >= sink->input && (const guint8 *) data < sink->input + sink->length)
    sink->direct += length;

  return TRUE;
}

static void
test_data_no_copy (void)
{
  gsize length = 1024 * 1024;
  g_autofree guint8 *input = g_malloc (length);
  CountingSink sink = { 0, };
  g_autoptr(GError) error = NULL;

  /* 79 characters and a CRLF per line, every tenth line starting with a dot. */
  for (gsize i = 0; i < length; i++)
    {
      gsize column = i % 81;

      if (column == 79)
        input[i] = '\r';
      else if (column == 80)
        input[i] = '\n';
      else if (column == 0 && (i / 81) % 10 == 0)
        input[i] = '.';
      else
        input[i] = 'a' + (i % 26);
    }

  sink.input = input;
  sink.length = length;
  g_assert_true (_rp_smtp_write_data (input, length, count_bytes, &sink, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sink.total, ==, _rp_smtp_message_size (input, length, NULL)
                                    + (length / 81 + 9) / 10 + 3);
  /* The text itself is written straight from the input, never copied. */
  g_assert_cmpuint (sink.direct, >=, length - length / 81 * 2 - 81);

  /* A failing writer stops the encoder at once. */
  memset (&sink, 0, sizeof sink);
  sink.input = input;
  sink.length = length;
  sink.fail_after = 5;
  g_assert_false (_rp_smtp_write_data (input, length, count_bytes, &sink, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_cmpuint (sink.calls, ==, 5);
}

static void
test_address_validity (void)
{
  g_assert_true (_rp_smtp_address_is_valid ("alice@example.test", FALSE));
  g_assert_true (_rp_smtp_address_is_valid ("\"john doe\"@example.test", FALSE));
  g_assert_true (_rp_smtp_address_is_valid ("j\xc3\xb6rg@example.test", FALSE));
  g_assert_true (_rp_smtp_address_is_valid ("", TRUE));
  g_assert_false (_rp_smtp_address_is_valid ("", FALSE));
  g_assert_false (_rp_smtp_address_is_valid (NULL, TRUE));
  /* Anything that would end the command or start another one. */
  g_assert_false (_rp_smtp_address_is_valid ("a@b\r\nRCPT TO:<evil@x>", FALSE));
  g_assert_false (_rp_smtp_address_is_valid ("a@b\nDATA", FALSE));
  g_assert_false (_rp_smtp_address_is_valid ("a@b> SIZE=1", FALSE));
  g_assert_false (_rp_smtp_address_is_valid ("<a@b", FALSE));
  g_assert_false (_rp_smtp_address_is_valid ("a\x7f@b", FALSE));
  g_assert_false (_rp_smtp_address_is_valid ("a\xff@b", FALSE));
}

static void
test_quirks_auth (void)
{
  g_autofree char *o365 = NULL;
  g_autofree char *gmail = NULL;

  g_assert_cmpint (rp_quirks_match_smtp_auth_failure (
                     535, "5.7.139",
                     "Authentication unsuccessful, SmtpClientAuthentication is disabled for "
                     "the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."),
                   ==, RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED);
  g_assert_cmpint (rp_quirks_match_smtp_auth_failure (
                     535, NULL,
                     "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                     "disabled for the Mailbox."),
                   ==, RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED);
  g_assert_cmpint (rp_quirks_match_smtp_auth_failure (
                     534, "5.7.9",
                     "Application-specific password required. Learn more at\n"
                     "https://support.google.com/mail/?p=InvalidSecondFactor"),
                   ==, RP_AUTH_QUIRK_GMAIL_APP_PASSWORD);
  g_assert_cmpint (rp_quirks_match_smtp_auth_failure (535, "5.7.8",
                                                      "Error: authentication failed: "
                                                      "authentication failure"),
                   ==, RP_AUTH_QUIRK_NONE);
  g_assert_cmpint (rp_quirks_match_smtp_auth_failure (535, NULL, NULL), ==, RP_AUTH_QUIRK_NONE);

  o365 = rp_quirks_describe_auth_failure (RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED,
                                          "smtp.office365.com");
  gmail = rp_quirks_describe_auth_failure (RP_AUTH_QUIRK_GMAIL_APP_PASSWORD, "smtp.gmail.com");
  g_assert_nonnull (strstr (o365, "smtp.office365.com"));
  g_assert_nonnull (strstr (o365, "Authenticated SMTP"));
  g_assert_nonnull (strstr (gmail, "smtp.gmail.com"));
  g_assert_nonnull (strstr (gmail, "app password"));
  g_assert_null (rp_quirks_describe_auth_failure (RP_AUTH_QUIRK_NONE, "x"));
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/smtp/parse/reply-line", test_reply_line);
  g_test_add_func ("/core/smtp/parse/multi-line", test_reply_multiline);
  g_test_add_func ("/core/smtp/parse/enhanced-status", test_reply_enhanced);
  g_test_add_func ("/core/smtp/parse/sanitized-text", test_reply_sanitized);
  g_test_add_func ("/core/smtp/parse/capabilities", test_capabilities);
  g_test_add_func ("/core/smtp/data/dot-stuffing", test_data_dot_stuffing);
  g_test_add_func ("/core/smtp/data/line-endings", test_data_line_endings);
  g_test_add_func ("/core/smtp/data/eight-bit-and-nul", test_data_eight_bit_and_nul);
  g_test_add_func ("/core/smtp/data/no-whole-copy", test_data_no_copy);
  g_test_add_func ("/core/smtp/address-validity", test_address_validity);
  g_test_add_func ("/core/quirks/smtp-auth", test_quirks_auth);

  return g_test_run ();
}
