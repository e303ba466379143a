/* test-smtp-hostile.c: the SMTP client against a scripted peer that does
 * what real servers will not do on demand: malformed, oversized and
 * byte-split replies, injected plaintext at STARTTLS, silence, dropped
 * connections, and the replies of particular providers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-peer.h"
#include "rp-test-util.h"

/* The RFC 2195 example: user "tim", password "tanstaaftanstaaf". */
#define USER          "tim"
#define PASSWORD      "tanstaaftanstaaf"
#define PLAIN_IR      "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"
#define LOGIN_USER    "dGlt"
#define LOGIN_PASS    "dGFuc3RhYWZ0YW5zdGFhZg=="
#define CRAM_CHAL     "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
#define CRAM_RESPONSE "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"

#define GREET "SEND 220 peer.example.test ESMTP\n" \
              "EXPECT EHLO client.example.test\n"

static RpTestCa *test_ca;

/* Auxiliary methods */

static RpSmtp *
new_client (RpTestPeer *peer,
            RpSecurity  security,
            guint       timeout)
{
  RpSmtp *smtp = rp_smtp_new ("127.0.0.1", rp_test_peer_get_port (peer), security);

  if (test_ca != NULL)
    rp_smtp_set_ca_file (smtp, rp_test_ca_get_ca_file (test_ca));
  rp_smtp_set_ehlo_name (smtp, "client.example.test");
  rp_smtp_set_timeout (smtp, timeout);
  rp_smtp_set_trace_enabled (smtp, TRUE);

  return smtp;
}

static void
assert_script_passed (RpTestPeer *peer)
{
  g_autofree char *failure = NULL;

  rp_test_peer_wait (peer, &failure);
  g_assert_cmpstr (failure, ==, NULL);
}

/* Starts @script and connects a plain-text client to it. */
static RpSmtp *
connect_to_script (RpTestPeer *peer,
                   const char *script)
{
  g_autoptr(GError) error = NULL;
  RpSmtp *smtp;

  rp_test_peer_run (peer, NULL, script);
  smtp = new_client (peer, RP_SECURITY_NONE, 10);
  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);

  return smtp;
}

/* Runs @script against a client that only connects, and returns its error. */
static GError *
connect_error (const char *script,
               RpSecurity  security,
               guint       timeout)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  GError *error = NULL;

  rp_test_peer_run (peer, test_ca, script);
  smtp = new_client (peer, security, timeout);
  g_assert_false (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_nonnull (error);
  g_clear_object (&smtp);
  assert_script_passed (peer);

  return error;
}

static GBytes *
text_message (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
assert_no_secret (const char *text)
{
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, PLAIN_IR));
  g_assert_null (strstr (text, LOGIN_PASS));
  g_assert_null (strstr (text, CRAM_RESPONSE));
}

/* Tests: malformed and oversized replies */

static void
test_malformed_replies (void)
{
  static const char *scripts[] = {
    "SEND hello, I am not SMTP\nHANG\n",
    "SEND 220\\0 nul in the code\nHANG\n",
    GREET "SEND 250-peer.example.test\\r\\n25x oops\nHANG\n",
    /* One reply, two codes. */
    GREET "SEND 250-peer.example.test\\r\\n550 PIPELINING\nHANG\n",
    /* 300 continuation lines: more than any server needs. */
    NULL,
  };
  g_autoptr(GString) endless = g_string_new (GREET "SEND ");

  for (guint i = 0; i < 300; i++)
    g_string_append (endless, "250-SIZE 1\\r\\n");
  g_string_append (endless, "250 8BITMIME\nHANG\n");

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autoptr(GError) error = connect_error (scripts[i] != NULL ? scripts[i] : endless->str,
                                               RP_SECURITY_NONE, 10);

      g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
    }
}

static void
test_oversized_line (void)
{
  g_autoptr(GString) script = g_string_new ("SEND 220 ");
  g_autoptr(GString) long_ok = g_string_new ("SEND 220 ");
  g_autoptr(GError) error = NULL;
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;

  /* Beyond the limit: refused without reading on for ever. */
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (script, 'x');
  g_string_append (script, "\nHANG\n");
  error = connect_error (script->str, RP_SECURITY_NONE, 10);
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Long, but within the limit: Exchange banners and long URLs are real. */
  for (guint i = 0; i < 8000; i++)
    g_string_append_c (long_ok, 'y');
  g_string_append (long_ok, "\nEXPECT EHLO\nSEND 250 peer.example.test\nEXPECT QUIT\nSEND 221 bye\n");
  smtp = connect_to_script (peer, long_ok->str);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);
}

/* Every reply arrives one byte per TCP segment, so every possible split
 * of a line, of a CRLF and of a multi-line reply happens once. */
static void
test_split_at_every_byte (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GBytes) message = text_message ("Subject: split\n\n.dot\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  const char *recipients[] = { "bob@example.test", "nobody@example.test", NULL };
  const RpSmtpRecipientStatus *status;

  rp_test_peer_run (peer, NULL,
                    "SEND_BYTEWISE 220-peer.example.test ESMTP\\r\\n220 second line\n"
                    "EXPECT EHLO client.example.test\n"
                    "SEND_BYTEWISE 250-peer.example.test\\r\\n250-PIPELINING\\r\\n"
                    "250-ENHANCEDSTATUSCODES\\r\\n250 SIZE 100000\n"
                    "EXPECT MAIL FROM:<alice@example.test> SIZE=24\n"
                    "EXPECT RCPT TO:<bob@example.test>\n"
                    "EXPECT RCPT TO:<nobody@example.test>\n"
                    "EXPECT DATA\n"
                    "SEND_BYTEWISE 250 2.1.0 Ok\\r\\n250 2.1.5 Ok\\r\\n"
                    "550-5.1.1 <nobody@example.test>: no such user\\r\\n"
                    "550 5.1.1 not here\\r\\n354 End data with <CR><LF>.<CR><LF>\n"
                    "EXPECT Subject: split\n"
                    "RECV\n"
                    "EXPECT ..dot\n"
                    "EXPECT .\n"
                    "SEND_BYTEWISE 250 2.0.0 Ok: queued as ABC123\n"
                    "EXPECT QUIT\n"
                    "SEND_BYTEWISE 221 2.0.0 Bye\n");

  smtp = new_client (peer, RP_SECURITY_NONE, 10);
  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_get_capabilities (smtp), ==,
                    RP_SMTP_CAP_PIPELINING | RP_SMTP_CAP_ENHANCEDSTATUSCODES | RP_SMTP_CAP_SIZE);
  g_assert_cmpuint (rp_smtp_get_size_limit (smtp), ==, 100000);

  g_assert_true (rp_smtp_send_sync (smtp, "alice@example.test", recipients, message, &result,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_send_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (rp_smtp_send_result_get_n_refused (result), ==, 1);
  status = rp_smtp_send_result_lookup (result, "nobody@example.test");
  g_assert_false (status->accepted);
  g_assert_cmpuint (status->code, ==, 550);
  g_assert_cmpstr (status->enhanced_code, ==, "5.1.1");
  g_assert_cmpstr (status->text, ==, "<nobody@example.test>: no such user\nnot here");
  g_assert_true (rp_smtp_send_result_get_recipient (result, 0)->accepted);
  g_assert_cmpstr (rp_smtp_send_result_get_reply (result), ==, "250 2.0.0 Ok: queued as ABC123");

  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);

  /* The three envelope commands left in one write, then the stuffed data. */
  received = rp_test_peer_dup_received (peer);
  g_assert_nonnull (strstr (received, "SIZE=24\r\nRCPT TO:<bob@example.test>\r\n"
                                      "RCPT TO:<nobody@example.test>\r\nDATA\r\n"
                                      "Subject: split\r\n\r\n..dot\r\n.\r\nQUIT\r\n"));
}

/* Tests: STARTTLS */

static void
test_starttls_injection (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  /* The 220 and the forged EHLO reply leave in one segment. If the client
   * kept the forged lines, they would answer its EHLO after TLS. */
  rp_test_peer_run (peer, test_ca,
                    GREET
                    "SEND 250-peer.example.test\\r\\n250-STARTTLS\\r\\n250 PIPELINING\n"
                    "EXPECT STARTTLS\n"
                    "SEND 220 2.0.0 Ready to start TLS\\r\\n250-peer.example.test\\r\\n"
                    "250-AUTH PLAIN\\r\\n250 SIZE 10\n"
                    "STARTTLS 0\n"
                    "EXPECT EHLO client.example.test\n"
                    "SEND 250-peer.example.test\\r\\n250 8BITMIME\n"
                    "EXPECT QUIT\n"
                    "SEND 221 bye\n");

  smtp = new_client (peer, RP_SECURITY_STARTTLS, 10);
  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_transport_is_tls (rp_smtp_get_transport (smtp)));
  g_assert_cmpuint (rp_smtp_get_capabilities (smtp), ==, RP_SMTP_CAP_8BITMIME);
  g_assert_cmpuint (rp_smtp_get_size_limit (smtp), ==, 0);
  g_assert_cmpuint (rp_smtp_get_auth_mechanisms (smtp), ==, RP_SMTP_AUTH_MECH_NONE);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);
}

static void
test_starttls_not_offered (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;

  /* A man in the middle who strips STARTTLS gets nothing more. */
  rp_test_peer_run (peer, NULL,
                    GREET "SEND 250-peer.example.test\\r\\n250 AUTH PLAIN LOGIN\nHANG\n");
  smtp = new_client (peer, RP_SECURITY_STARTTLS, 10);
  g_assert_false (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "does not offer encryption"));
  g_clear_object (&smtp);
  assert_script_passed (peer);

  received = rp_test_peer_dup_received (peer);
  g_assert_cmpstr (received, ==, "EHLO client.example.test\r\n");
}

/* Tests: greeting */

static void
test_greeting_refused (void)
{
  g_autoptr(GError) permanent = NULL;
  g_autoptr(GError) temporary = NULL;
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  permanent = connect_error ("SEND 554 5.7.1 No SMTP service here\nEXPECT QUIT\nSEND 221 bye\n",
                             RP_SECURITY_NONE, 10);
  g_assert_error (permanent, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (permanent->message, "No SMTP service here"));

  temporary = connect_error ("SEND 421 4.3.2 Busy, try later\nEXPECT QUIT\nSEND 221 bye\n",
                             RP_SECURITY_NONE, 10);
  g_assert_error (temporary, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);

  /* A server from before EHLO gets HELO and is assumed to have nothing. */
  smtp = connect_to_script (peer, GREET
                            "SEND 502 5.5.2 Error: command not recognized\n"
                            "EXPECT HELO client.example.test\n"
                            "SEND 250 peer.example.test\n"
                            "EXPECT QUIT\nSEND 221 bye\n");
  g_assert_cmpuint (rp_smtp_get_capabilities (smtp), ==, RP_SMTP_CAP_NONE);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);
}

/* Tests: silence and dropped connections */

static void
test_timeout (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  error = connect_error (GREET "HANG\n", RP_SECURITY_NONE, 1);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC * 8);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);

  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 start;

  rp_test_peer_run (peer, NULL, GREET "HANG\n");
  smtp = new_client (peer, RP_SECURITY_NONE, 60);

  /* The user presses Stop while the server says nothing. */
  start = g_get_monotonic_time ();
  thread = g_thread_new ("canceller", cancel_later, cancellable);
  g_assert_false (rp_smtp_connect_sync (smtp, cancellable, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC * 3);

  g_thread_join (thread);
  g_clear_object (&smtp);
  assert_script_passed (peer);
}

static void
test_timeout_after_data (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GBytes) message = text_message ("Subject: never\n\nanswered\n");
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "bob@example.test", NULL };

  rp_test_peer_run (peer, NULL,
                    GREET "SEND 250 peer.example.test\n"
                    "EXPECT MAIL\nSEND 250 ok\nEXPECT RCPT\nSEND 250 ok\n"
                    "EXPECT DATA\nSEND 354 go\nHANG\n");
  smtp = new_client (peer, RP_SECURITY_NONE, 1);
  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_false (rp_smtp_send_sync (smtp, "alice@example.test", recipients, message, &result,
                                     NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_null (result);
  g_clear_error (&error);

  /* A late "250" must never be read as the answer to the next command:
   * the connection is closed, and the next message fails cleanly. */
  g_assert_false (rp_transport_is_connected (rp_smtp_get_transport (smtp)));
  g_assert_false (rp_smtp_send_sync (smtp, "alice@example.test", recipients, message, &result,
                                     NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_null (result);

  g_clear_object (&smtp);
  assert_script_passed (peer);
}

static void
test_dropped_during_data (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GString) text = g_string_new ("Subject: big\n\n");
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "bob@example.test", NULL };

  /* Large enough that writing goes on after the peer has gone. */
  for (guint i = 0; i < 40000; i++)
    g_string_append (text, "0123456789012345678901234567890123456789012345678901234567890123456789\n");
  message = g_bytes_new (text->str, text->len);

  rp_test_peer_run (peer, NULL,
                    GREET "SEND 250-peer.example.test\\r\\n250 PIPELINING\n"
                    "EXPECT MAIL\nEXPECT RCPT\nEXPECT DATA\n"
                    "SEND 250 ok\\r\\n250 ok\\r\\n354 go\n"
                    "EXPECT Subject: big\nCLOSE\n");
  smtp = new_client (peer, RP_SECURITY_NONE, 10);
  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_false (rp_smtp_send_sync (smtp, "alice@example.test", recipients, message, &result,
                                     NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_null (result);
  assert_script_passed (peer);
}

/* Tests: transactions */

static void
test_partial_refusal_without_pipelining (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GBytes) message = text_message ("Subject: x\r\n\r\nhello\r\n");
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "b@example.test", "c@example.test", "d@example.test", NULL };
  const RpSmtpRecipientStatus *status;

  smtp = connect_to_script (peer, GREET "SEND 250-peer.example.test\\r\\n250 SIZE\n"
                            "EXPECT MAIL FROM:<a@example.test> SIZE=21\nSEND 250 ok\n"
                            "EXPECT RCPT TO:<b@example.test>\nSEND 250 ok\n"
                            "EXPECT RCPT TO:<c@example.test>\nSEND 450 4.2.0 greylisted\n"
                            "EXPECT RCPT TO:<d@example.test>\nSEND 250 ok\n"
                            "EXPECT DATA\nSEND 354 go\n"
                            "EXPECT Subject: x\nRECV\nEXPECT hello\nEXPECT .\nSEND 250 queued\n"
                            "EXPECT QUIT\nSEND 221 bye\n");

  g_assert_true (rp_smtp_send_sync (smtp, "a@example.test", recipients, message, &result,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_send_result_get_n_recipients (result), ==, 3);
  g_assert_cmpuint (rp_smtp_send_result_get_n_accepted (result), ==, 2);
  status = rp_smtp_send_result_get_recipient (result, 1);
  g_assert_cmpstr (status->address, ==, "c@example.test");
  g_assert_false (status->accepted);
  g_assert_cmpuint (status->code, ==, 450);
  g_assert_cmpstr (status->enhanced_code, ==, "4.2.0");
  g_assert_cmpstr (status->text, ==, "greylisted");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);
}

static void
test_refusals_reset (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GBytes) message = text_message ("Subject: x\n\nhi\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  const char *one[] = { "b@example.test", NULL };
  const char *two[] = { "x@example.test", "y@example.test", NULL };

  smtp = connect_to_script (peer, GREET "SEND 250-peer.example.test\\r\\n250 PIPELINING\n"
                            /* 1: the sender is refused; the rest is read, then RSET. */
                            "EXPECT MAIL\nEXPECT RCPT\nEXPECT DATA\n"
                            "SEND 553 5.7.1 <a@example.test>: Sender address rejected\\r\\n"
                            "503 5.5.1 need MAIL\\r\\n554 5.5.1 no valid recipients\n"
                            "EXPECT RSET\nSEND 250 2.0.0 Ok\n"
                            /* 2: every recipient refused, but DATA wrongly accepted. */
                            "EXPECT MAIL\nEXPECT RCPT\nEXPECT RCPT\nEXPECT DATA\n"
                            "SEND 250 ok\\r\\n550 5.1.1 no x\\r\\n550 5.1.1 no y\\r\\n354 go\n"
                            "EXPECT .\nSEND 554 5.5.1 no valid recipients\n"
                            "EXPECT RSET\nSEND 250 2.0.0 Ok\n"
                            /* 3: the end of data is refused for now. */
                            "EXPECT MAIL\nEXPECT RCPT\nEXPECT DATA\n"
                            "SEND 250 ok\\r\\n250 ok\\r\\n354 go\n"
                            "EXPECT Subject\nRECV\nEXPECT hi\nEXPECT .\n"
                            "SEND 452 4.3.1 Insufficient system storage\n"
                            "EXPECT RSET\nSEND 250 2.0.0 Ok\n"
                            /* 4: the connection still carries a message. */
                            "EXPECT MAIL\nEXPECT RCPT\nEXPECT DATA\n"
                            "SEND 250 ok\\r\\n250 ok\\r\\n354 go\n"
                            "EXPECT Subject\nRECV\nEXPECT hi\nEXPECT .\nSEND 250 queued\n"
                            "EXPECT QUIT\nSEND 221 bye\n");

  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", one, message, &result, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (error->message, "553 5.7.1"));
  g_clear_error (&error);

  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", two, message, &result, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_RECIPIENT_REFUSED);
  g_assert_nonnull (strstr (error->message, "x@example.test: 550 5.1.1 no x"));
  g_assert_nonnull (strstr (error->message, "y@example.test: 550 5.1.1 no y"));
  g_clear_error (&error);

  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", one, message, &result, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);
  g_assert_true (rp_error_is_temporary (error));
  g_clear_error (&error);
  g_assert_null (result);

  g_assert_true (rp_smtp_send_sync (smtp, "a@example.test", one, message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);

  /* The aborted DATA was ended with an empty message, nothing else. */
  received = rp_test_peer_dup_received (peer);
  g_assert_nonnull (strstr (received, "DATA\r\n.\r\nRSET\r\n"));
}

static void
test_envelope_parameters (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GBytes) eight_bit = text_message ("Subject: x\n\nGr\xc3\xbc\xc3\x9f" "e\n");
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  g_autofree char *padding = g_strnfill (2000, 'z');
  const char *ascii[] = { "b@example.test", NULL };
  const char *international[] = { "j\xc3\xb6rg@example.test", NULL };
  const char *injected[] = { "b@example.test>\r\nRCPT TO:<evil@example.test", NULL };

  big = text_message (padding);
  smtp = connect_to_script (peer, GREET "SEND 250-peer.example.test\\r\\n250-8BITMIME\\r\\n"
                            "250 SIZE 1000\n"
                            "EXPECT MAIL FROM:<a@example.test> SIZE=23 BODY=8BITMIME\n"
                            "SEND 250 ok\nEXPECT RCPT\nSEND 250 ok\nEXPECT DATA\nSEND 354 go\n"
                            "EXPECT Subject\nRECV\nEXPECT Gr\nEXPECT .\nSEND 250 queued\n"
                            "EXPECT QUIT\nSEND 221 bye\n");
  g_assert_cmpuint (rp_smtp_get_size_limit (smtp), ==, 1000);

  g_assert_true (rp_smtp_send_sync (smtp, "a@example.test", ascii, eight_bit, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Refused before a single byte is sent. */
  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", ascii, big, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  /* This server does not offer SMTPUTF8. */
  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", international, eight_bit, NULL, NULL,
                                     &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);

  /* An address cannot smuggle in a command. */
  g_assert_false (rp_smtp_send_sync (smtp, "a@example.test", injected, eight_bit, NULL, NULL,
                                     &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);
  received = rp_test_peer_dup_received (peer);
  g_assert_null (strstr (received, "evil"));
  g_assert_true (g_str_has_suffix (received, "\r\n.\r\nQUIT\r\n"));
}

/* Tests: authentication */

static void
test_auth_mechanisms (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *received = NULL;

  smtp = connect_to_script (peer, GREET
                            "SEND 250-peer.example.test\\r\\n250 AUTH PLAIN LOGIN CRAM-MD5\n"
                            /* Automatic, in plain text: CRAM-MD5 first. */
                            "EXPECT AUTH CRAM-MD5\nSEND 334 " CRAM_CHAL "\n"
                            "EXPECT " CRAM_RESPONSE "\nSEND 535 5.7.8 try again\n"
                            "EXPECT AUTH LOGIN\nSEND 334 VXNlcm5hbWU6\n"
                            "EXPECT " LOGIN_USER "\nSEND 334 UGFzc3dvcmQ6\n"
                            "EXPECT " LOGIN_PASS "\nSEND 535 5.7.8 try again\n"
                            "EXPECT AUTH PLAIN " PLAIN_IR "\nSEND 235 2.7.0 Authentication successful\n"
                            "EXPECT QUIT\nSEND 221 bye\n");

  g_assert_cmpuint (rp_smtp_get_auth_mechanisms (smtp), ==,
                    RP_SMTP_AUTH_MECH_PLAIN | RP_SMTP_AUTH_MECH_LOGIN | RP_SMTP_AUTH_MECH_CRAM_MD5);

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "password"));
  assert_no_secret (error->message);
  g_clear_error (&error);

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_LOGIN, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  g_assert_true (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_PLAIN, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);

  /* The exchange happened (the peer checked each line), yet the trace
   * shows none of it. */
  trace = rp_transport_dup_trace (rp_smtp_get_transport (smtp));
  g_assert_nonnull (strstr (trace, "AUTH PLAIN ********"));
  g_assert_nonnull (strstr (trace, "AUTH CRAM-MD5"));
  assert_no_secret (trace);
  received = rp_test_peer_dup_received (peer);
  g_assert_nonnull (strstr (received, CRAM_RESPONSE));
}

static void
test_auth_provider_replies (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  smtp = connect_to_script (peer, GREET "SEND 250-peer.example.test\\r\\n250 AUTH LOGIN PLAIN\n"
                            "EXPECT AUTH PLAIN\n"
                            "SEND 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
                            "is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled "
                            "for more information. [AM0PR01CA0001.eurprd01.prod.outlook.com]\n"
                            "EXPECT AUTH PLAIN\n"
                            "SEND 534-5.7.9 Application-specific password required. Learn more "
                            "at\\r\\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor "
                            "a1-20020a05\n"
                            "EXPECT AUTH PLAIN\nSEND 454 4.7.0 Temporary authentication failure\n"
                            /* A challenge after the initial response: cancelled. */
                            "EXPECT AUTH PLAIN\nSEND 334 \nEXPECT *\nSEND 501 5.7.0 cancelled\n"
                            "EXPECT QUIT\nSEND 221 bye\n");

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "Authenticated SMTP"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  assert_no_secret (error->message);
  g_clear_error (&error);

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "app password"));
  g_clear_error (&error);

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);
  g_clear_error (&error);

  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Not offered: refused without asking the server. */
  g_assert_false (rp_smtp_login_sync (smtp, USER, PASSWORD, RP_SMTP_AUTH_CRAM_MD5, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);

  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  assert_script_passed (peer);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  rp_test_init (&argc, &argv);
  test_ca = rp_test_ca_new ();

  g_test_add_func ("/core/smtp/hostile/malformed-replies", test_malformed_replies);
  g_test_add_func ("/core/smtp/hostile/oversized-line", test_oversized_line);
  g_test_add_func ("/core/smtp/hostile/split-at-every-byte", test_split_at_every_byte);
  g_test_add_func ("/core/smtp/hostile/starttls-injection", test_starttls_injection);
  g_test_add_func ("/core/smtp/hostile/starttls-not-offered", test_starttls_not_offered);
  g_test_add_func ("/core/smtp/hostile/greeting-refused", test_greeting_refused);
  g_test_add_func ("/core/smtp/hostile/timeout", test_timeout);
  g_test_add_func ("/core/smtp/hostile/cancel", test_cancel);
  g_test_add_func ("/core/smtp/hostile/timeout-after-data", test_timeout_after_data);
  g_test_add_func ("/core/smtp/hostile/dropped-during-data", test_dropped_during_data);
  g_test_add_func ("/core/smtp/hostile/partial-refusal-without-pipelining",
                   test_partial_refusal_without_pipelining);
  g_test_add_func ("/core/smtp/hostile/refusals-reset", test_refusals_reset);
  g_test_add_func ("/core/smtp/hostile/envelope-parameters", test_envelope_parameters);
  g_test_add_func ("/core/smtp/hostile/auth-mechanisms", test_auth_mechanisms);
  g_test_add_func ("/core/smtp/hostile/auth-provider-replies", test_auth_provider_replies);

  ret = g_test_run ();
  g_clear_pointer (&test_ca, rp_test_ca_free);

  return ret;
}
