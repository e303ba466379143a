/* test-pop3-parse.c: POP3 reply parsing without a network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-pop3-private.h"
#include "rp-test-util.h"

/* Auxiliary methods */

static RpPop3Reply
parse (const char *line)
{
  RpPop3Reply reply;

  _rp_pop3_parse_status_line (line, strlen (line), &reply);
  return reply;
}

static RpErrorCode
classify (const char *line,
          gboolean    during_auth)
{
  RpPop3Reply reply = parse (line);

  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_ERR);
  return _rp_pop3_classify_error (line, strlen (line), &reply, during_auth);
}

/* Splits @data into lines the way RpTransport does (CRLF or bare LF,
 * ending stripped) and feeds them to a body accumulator, each with the
 * ending it came with. Returns how many bytes were consumed up to and
 * including the terminator, or @len if it never came. */
static gsize
feed_stream (RpPop3Body *body,
             const char *data,
             gsize       len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *newline = memchr (data + pos, '\n', len - pos);
      gsize line_len;
      gsize eol_len;

      if (newline == NULL)
        {
          /* A last line without an ending: the transport returns it, then
           * fails. The accumulator must not become complete from it unless
           * it is the terminator itself. */
          _rp_pop3_body_feed_line (body, data + pos, len - pos, "", 0);
          return len;
        }

      line_len = newline - (data + pos);
      eol_len = 1;
      if (line_len > 0 && data[pos + line_len - 1] == '\r')
        {
          line_len--;
          eol_len = 2;
        }

      if (_rp_pop3_body_feed_line (body, data + pos, line_len,
                                   eol_len == 2 ? "\r\n" : "\n", eol_len))
        return pos + line_len + eol_len;
      pos += line_len + eol_len;
    }

  return len;
}

static GBytes *
collect (const char *data,
         gsize       len,
         gsize      *consumed)
{
  RpPop3Body body;
  gsize used;

  _rp_pop3_body_init (&body, 0, 0);
  used = feed_stream (&body, data, len);
  if (consumed != NULL)
    *consumed = used;

  if (!body.complete)
    {
      _rp_pop3_body_clear (&body);
      return NULL;
    }

  return _rp_pop3_body_steal (&body);
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected,
              gsize       expected_len)
{
  gsize len;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

/* Tests */

static void
test_status_ok_err (void)
{
  RpPop3Reply reply;

  reply = parse ("+OK Dovecot ready.");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_OK);
  g_assert_cmpint (reply.code, ==, RP_POP3_CODE_NONE);
  g_assert_cmpuint (reply.text_offset, ==, 4);

  reply = parse ("+OK");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_OK);
  g_assert_cmpuint (reply.text_offset, ==, 3);

  reply = parse ("-ERR no such message");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_ERR);
  g_assert_cmpuint (reply.text_offset, ==, 5);

  reply = parse ("-ERR");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_ERR);

  /* Some servers answer in lower case. */
  reply = parse ("+ok fine");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_OK);
  reply = parse ("-err nope");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_ERR);
}

static void
test_status_continuation (void)
{
  RpPop3Reply reply;

  reply = parse ("+ VXNlcm5hbWU6");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_CONTINUE);
  g_assert_cmpuint (reply.text_offset, ==, 2);

  reply = parse ("+");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_CONTINUE);

  /* A challenge that looks like a code is still a challenge. */
  reply = parse ("+ [AUTH]");
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_CONTINUE);
  g_assert_cmpint (reply.code, ==, RP_POP3_CODE_NONE);
}

static void
test_status_invalid (void)
{
  const char *invalid[] = {
    "", "OK", "+OKAY", "-ERROR", "-ER", "* OK IMAP", "220 smtp ready", "+x", " +OK",
  };
  RpPop3Reply reply;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (_rp_pop3_parse_status_line (invalid[i], strlen (invalid[i]), &reply));
      g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_INVALID);
    }

  /* The length counts, not the NUL: "+OK" cut to two bytes is no status. */
  g_assert_false (_rp_pop3_parse_status_line ("+OK", 2, &reply));
  /* A NUL inside is data, not an end. */
  g_assert_true (_rp_pop3_parse_status_line ("+OK\0hidden", 10, &reply));
  g_assert_cmpint (reply.status, ==, RP_POP3_REPLY_OK);
}

static void
test_status_codes (void)
{
  const struct
  {
    const char      *line;
    RpPop3ReplyCode  code;
    const char      *text;
  } cases[] = {
    { "-ERR [AUTH] Authentication failed.", RP_POP3_CODE_AUTH, "Authentication failed." },
    { "-ERR [SYS/TEMP] Disk full", RP_POP3_CODE_SYS_TEMP, "Disk full" },
    { "-ERR [SYS/PERM] Account disabled", RP_POP3_CODE_SYS_PERM, "Account disabled" },
    { "-ERR [IN-USE] Mailbox locked", RP_POP3_CODE_IN_USE, "Mailbox locked" },
    { "-ERR [LOGIN-DELAY] Wait", RP_POP3_CODE_LOGIN_DELAY, "Wait" },
    { "-ERR [sys/temp] lower case", RP_POP3_CODE_SYS_TEMP, "lower case" },
    { "-ERR [SYS/TEMP/QUOTA] deeper", RP_POP3_CODE_SYS_TEMP, "deeper" },
    { "-ERR [SYS] too short", RP_POP3_CODE_OTHER, "too short" },
    { "-ERR [SYS/TEMPORARY] not the same word", RP_POP3_CODE_OTHER, "not the same word" },
    { "-ERR [UTF8] unknown", RP_POP3_CODE_OTHER, "unknown" },
    { "-ERR [] empty", RP_POP3_CODE_OTHER, "empty" },
    { "-ERR [AUTH unclosed", RP_POP3_CODE_NONE, "[AUTH unclosed" },
    { "-ERR text [AUTH] later", RP_POP3_CODE_NONE, "text [AUTH] later" },
    { "+OK [IN-USE] odd but parsed", RP_POP3_CODE_IN_USE, "odd but parsed" },
    { "-ERR [AUTH]", RP_POP3_CODE_AUTH, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RpPop3Reply reply = parse (cases[i].line);

      g_test_message ("%s", cases[i].line);
      g_assert_cmpint (reply.code, ==, cases[i].code);
      g_assert_cmpstr (cases[i].line + reply.text_offset, ==, cases[i].text);
    }
}

static void
test_classify (void)
{
  /* Codes decide, whatever the text says. */
  g_assert_cmpint (classify ("-ERR [AUTH] Authentication failed.", FALSE), ==,
                   RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (classify ("-ERR [SYS/TEMP] try again later", TRUE), ==,
                   RP_ERROR_SERVER_TEMPORARY);
  g_assert_cmpint (classify ("-ERR [SYS/PERM] temporarily locked", TRUE), ==,
                   RP_ERROR_SERVER_PERMANENT);
  g_assert_cmpint (classify ("-ERR [IN-USE] whatever", FALSE), ==, RP_ERROR_MAILBOX_IN_USE);
  g_assert_cmpint (classify ("-ERR [LOGIN-DELAY] 900", TRUE), ==, RP_ERROR_LOGIN_DELAY);

  /* Without codes, common phrases. */
  g_assert_cmpint (classify ("-ERR Mailbox is locked by another session", TRUE), ==,
                   RP_ERROR_MAILBOX_IN_USE);
  g_assert_cmpint (classify ("-ERR maildrop already in use", TRUE), ==,
                   RP_ERROR_MAILBOX_IN_USE);
  g_assert_cmpint (classify ("-ERR Temporary failure, please retry", TRUE), ==,
                   RP_ERROR_SERVER_TEMPORARY);
  g_assert_cmpint (classify ("-ERR Server busy, try again later", FALSE), ==,
                   RP_ERROR_SERVER_TEMPORARY);

  /* Otherwise the context decides. */
  g_assert_cmpint (classify ("-ERR Invalid login", TRUE), ==, RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (classify ("-ERR", TRUE), ==, RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (classify ("-ERR no such message", FALSE), ==, RP_ERROR_SERVER_PERMANENT);
  /* An unknown code is like none. */
  g_assert_cmpint (classify ("-ERR [UTF8] bad name", TRUE), ==, RP_ERROR_AUTH_FAILED);
}

static void
test_capa (void)
{
  g_assert_cmpint (_rp_pop3_parse_capa_line ("PIPELINING", 10), ==,
                   RP_POP3_CAPABILITY_PIPELINING);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("stls", 4), ==, RP_POP3_CAPABILITY_STLS);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("UIDL", 4), ==, RP_POP3_CAPABILITY_UIDL);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("TOP", 3), ==, RP_POP3_CAPABILITY_TOP);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("USER", 4), ==, RP_POP3_CAPABILITY_USER);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("RESP-CODES", 10), ==,
                   RP_POP3_CAPABILITY_RESP_CODES);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("AUTH-RESP-CODE", 14), ==,
                   RP_POP3_CAPABILITY_AUTH_RESP_CODE);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("SASL PLAIN LOGIN", 16), ==,
                   RP_POP3_CAPABILITY_SASL_PLAIN | RP_POP3_CAPABILITY_SASL_LOGIN);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("SASL CRAM-MD5 XOAUTH2 PLAIN", 27), ==,
                   RP_POP3_CAPABILITY_SASL_PLAIN);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("SASL", 4), ==, RP_POP3_CAPABILITY_NONE);
  /* Near misses announce nothing. */
  g_assert_cmpint (_rp_pop3_parse_capa_line ("STLSX", 5), ==, RP_POP3_CAPABILITY_NONE);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("SASL PLAINLY", 12), ==, RP_POP3_CAPABILITY_NONE);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("IMPLEMENTATION Dovecot", 22), ==,
                   RP_POP3_CAPABILITY_NONE);
  g_assert_cmpint (_rp_pop3_parse_capa_line ("", 0), ==, RP_POP3_CAPABILITY_NONE);
  /* "STLS" cut short by the length is not STLS. */
  g_assert_cmpint (_rp_pop3_parse_capa_line ("STLS", 3), ==, RP_POP3_CAPABILITY_NONE);
}

static void
test_apop_timestamp (void)
{
  const char *greeting = "+OK Dovecot ready. <1896.697170952@dbc.mtview.ca.us>";
  g_autofree char *ts = _rp_pop3_parse_apop_timestamp (greeting, strlen (greeting));
  g_autofree char *none = _rp_pop3_parse_apop_timestamp ("+OK ready", 9);
  g_autofree char *empty = _rp_pop3_parse_apop_timestamp ("+OK <>", 6);
  g_autofree char *spaced = _rp_pop3_parse_apop_timestamp ("+OK <a b>", 9);
  g_autofree char *open = _rp_pop3_parse_apop_timestamp ("+OK <abc", 8);
  g_autofree char *nul = _rp_pop3_parse_apop_timestamp ("+OK <a\0b>", 9);

  g_assert_cmpstr (ts, ==, "<1896.697170952@dbc.mtview.ca.us>");
  g_assert_null (none);
  g_assert_null (empty);
  g_assert_null (spaced);
  g_assert_null (open);
  g_assert_null (nul);
}

static void
test_stat_list_uidl (void)
{
  guint count = 0;
  guint msgno = 0;
  guint64 size = 0;
  char *uid = NULL;

  g_assert_true (_rp_pop3_parse_stat ("2 320", 5, &count, &size));
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 320);
  g_assert_true (_rp_pop3_parse_stat ("0 0", 3, &count, &size));
  g_assert_cmpuint (count, ==, 0);
  g_assert_false (_rp_pop3_parse_stat ("2", 1, &count, &size));
  g_assert_false (_rp_pop3_parse_stat ("x 1", 3, &count, &size));
  g_assert_false (_rp_pop3_parse_stat ("1 2x", 4, &count, &size));
  /* Numbers beyond their type are refused, not wrapped. */
  g_assert_false (_rp_pop3_parse_stat ("4294967296 1", 12, &count, &size));
  g_assert_false (_rp_pop3_parse_stat ("1 18446744073709551616", 22, &count, &size));
  g_assert_true (_rp_pop3_parse_stat ("1 18446744073709551615", 22, &count, &size));
  g_assert_cmpuint (size, ==, G_MAXUINT64);

  g_assert_true (_rp_pop3_parse_list_line ("7 1234", 6, &msgno, &size));
  g_assert_cmpuint (msgno, ==, 7);
  g_assert_cmpuint (size, ==, 1234);
  /* RFC 1939 lets servers add words after the size. */
  g_assert_true (_rp_pop3_parse_list_line ("7 1234 extra", 12, &msgno, &size));
  g_assert_false (_rp_pop3_parse_list_line ("0 12", 4, &msgno, &size));
  g_assert_false (_rp_pop3_parse_list_line ("", 0, &msgno, &size));

  g_assert_true (_rp_pop3_parse_uidl_line ("1 whqtswO00WBw418f9t5JxYwZ", 26, &msgno, &uid));
  g_assert_cmpuint (msgno, ==, 1);
  g_assert_cmpstr (uid, ==, "whqtswO00WBw418f9t5JxYwZ");
  g_clear_pointer (&uid, g_free);

  g_assert_true (_rp_pop3_parse_uidl_line ("12 00000001.5f1e  ", 18, &msgno, &uid));
  g_assert_cmpstr (uid, ==, "00000001.5f1e");
  g_clear_pointer (&uid, g_free);

  g_assert_false (_rp_pop3_parse_uidl_line ("1", 1, &msgno, &uid));
  g_assert_false (_rp_pop3_parse_uidl_line ("0 abc", 5, &msgno, &uid));
  g_assert_false (_rp_pop3_parse_uidl_line ("1 ab c", 6, &msgno, &uid));
  g_assert_false (_rp_pop3_parse_uidl_line ("1 ab\0c", 6, &msgno, &uid));
  g_assert_false (_rp_pop3_parse_uidl_line ("1 \xc3\xa4", 4, &msgno, &uid));
  g_assert_null (uid);
}

static void
test_sanitize (void)
{
  g_autofree char *plain = _rp_pop3_sanitize_reply ("-ERR nope", 9);
  g_autofree char *controls = _rp_pop3_sanitize_reply ("-ERR a\0b\x1b[31m\x7f", 14);
  g_autofree char *invalid = _rp_pop3_sanitize_reply ("-ERR \xff\xfe", 7);
  g_autofree char *big = g_strnfill (5000, 'x');
  g_autofree char *truncated = _rp_pop3_sanitize_reply (big, 5000);

  g_assert_cmpstr (plain, ==, "-ERR nope");
  g_assert_cmpstr (controls, ==, "-ERR a?b?[31m?");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "-ERR "));
  g_assert_cmpuint (strlen (truncated), ==, 512);
}

static void
test_body_dot_unstuffing (void)
{
  const char stream[] = "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n. space\r\n.\r\n";
  const char expected[] = "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n space\r\n";
  gsize consumed;
  g_autoptr(GBytes) bytes = collect (stream, sizeof stream - 1, &consumed);

  assert_bytes (bytes, expected, sizeof expected - 1);
  g_assert_cmpuint (consumed, ==, sizeof stream - 1);
}

static void
test_body_terminator (void)
{
  /* Bytes after the terminator belong to the next reply. */
  const char stream[] = "a\r\n.\r\n+OK next\r\n";
  gsize consumed;
  g_autoptr(GBytes) bytes = collect (stream, sizeof stream - 1, &consumed);
  g_autoptr(GBytes) empty = collect (".\r\n", 3, NULL);
  g_autoptr(GBytes) blank = collect ("\r\n.\r\n", 5, NULL);

  assert_bytes (bytes, "a\r\n", 3);
  g_assert_cmpuint (consumed, ==, 6);
  assert_bytes (empty, "", 0);
  assert_bytes (blank, "\r\n", 2);
}

static void
test_body_bare_lf (void)
{
  /* Each line keeps the ending it came with. */
  const char stream[] = "one\ntwo\r\n..three\n.\n";
  const char expected[] = "one\ntwo\r\n.three\n";
  g_autoptr(GBytes) bytes = collect (stream, sizeof stream - 1, NULL);

  assert_bytes (bytes, expected, sizeof expected - 1);
}

static void
test_body_nul (void)
{
  const char stream[] = "a\0b\r\n\0\r\n.\0\r\n.\r\n";
  const char expected[] = "a\0b\r\n\0\r\n\0\r\n";
  g_autoptr(GBytes) bytes = collect (stream, sizeof stream - 1, NULL);

  assert_bytes (bytes, expected, sizeof expected - 1);
}

static void
test_body_long_lines (void)
{
  g_autoptr(GString) stream = g_string_new ("Subject: long\r\n\r\n");
  g_autoptr(GString) expected = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* Far beyond RFC 5322's 998 octets, and one starting with a dot. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (stream, 'a' + i % 26);
  g_string_append (stream, "\r\n..");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (stream, '0' + i % 10);
  g_string_append (stream, "\r\n");

  expected = g_string_new_len (stream->str, stream->len);
  g_string_erase (expected, 17 + 100000 + 2, 1);
  g_string_append (stream, ".\r\n");

  bytes = collect (stream->str, stream->len, NULL);
  assert_bytes (bytes, expected->str, expected->len);
}

static void
test_body_unterminated (void)
{
  /* The connection ends before the terminator: never complete. */
  g_assert_null (collect ("a\r\nb\r\n", 6, NULL));
  g_assert_null (collect ("a\r\nlast line without ending", 27, NULL));
  g_assert_null (collect ("a\r\n..", 5, NULL));
  /* A lone "." cut off from its ending may be half of a stuffed "..". */
  g_assert_null (collect ("a\r\n.", 4, NULL));
  g_assert_null (collect ("", 0, NULL));
  /* A terminator needs the whole line: ". " and ".x" are data. */
  g_assert_null (collect ("a\r\n. \r\n.x\r\n", 11, NULL));
}

static void
test_body_too_large (void)
{
  RpPop3Body body;

  _rp_pop3_body_init (&body, 0, 10);
  g_assert_false (_rp_pop3_body_feed_line (&body, "12345678", 8, "\r\n", 2));
  g_assert_false (body.too_large);
  g_assert_false (_rp_pop3_body_feed_line (&body, "x", 1, "\r\n", 2));
  g_assert_true (body.too_large);
  g_assert_cmpuint (body.data->len, ==, 0);
  /* The rest is still read up to the terminator, keeping the session in step. */
  g_assert_false (_rp_pop3_body_feed_line (&body, "more", 4, "\r\n", 2));
  g_assert_true (_rp_pop3_body_feed_line (&body, ".", 1, "\r\n", 2));
  g_assert_true (body.complete);
  g_assert_cmpuint (body.data->len, ==, 0);
  _rp_pop3_body_clear (&body);
  _rp_pop3_body_clear (&body);
}

static void
test_body_size_hint (void)
{
  RpPop3Body body;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *before;

  /* With the size LIST announced, the buffer never moves. */
  _rp_pop3_body_init (&body, 12, 0);
  before = body.data->data;
  _rp_pop3_body_feed_line (&body, "12345", 5, "\r\n", 2);
  _rp_pop3_body_feed_line (&body, "abc", 3, "\r\n", 2);
  g_assert_true (_rp_pop3_body_feed_line (&body, ".", 1, "\r\n", 2));
  g_assert_true (body.data->data == before);
  bytes = _rp_pop3_body_steal (&body);
  g_assert_true (g_bytes_get_data (bytes, NULL) == (gconstpointer) before);
  assert_bytes (bytes, "12345\r\nabc\r\n", 12);
  g_assert_null (body.data);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/pop3/parse/status-ok-err", test_status_ok_err);
  g_test_add_func ("/core/pop3/parse/status-continuation", test_status_continuation);
  g_test_add_func ("/core/pop3/parse/status-invalid", test_status_invalid);
  g_test_add_func ("/core/pop3/parse/status-codes", test_status_codes);
  g_test_add_func ("/core/pop3/parse/classify", test_classify);
  g_test_add_func ("/core/pop3/parse/capa", test_capa);
  g_test_add_func ("/core/pop3/parse/apop-timestamp", test_apop_timestamp);
  g_test_add_func ("/core/pop3/parse/stat-list-uidl", test_stat_list_uidl);
  g_test_add_func ("/core/pop3/parse/sanitize", test_sanitize);
  g_test_add_func ("/core/pop3/parse/body-dot-unstuffing", test_body_dot_unstuffing);
  g_test_add_func ("/core/pop3/parse/body-terminator", test_body_terminator);
  g_test_add_func ("/core/pop3/parse/body-bare-lf", test_body_bare_lf);
  g_test_add_func ("/core/pop3/parse/body-nul", test_body_nul);
  g_test_add_func ("/core/pop3/parse/body-long-lines", test_body_long_lines);
  g_test_add_func ("/core/pop3/parse/body-unterminated", test_body_unterminated);
  g_test_add_func ("/core/pop3/parse/body-too-large", test_body_too_large);
  g_test_add_func ("/core/pop3/parse/body-size-hint", test_body_size_hint);

  return g_test_run ();
}
