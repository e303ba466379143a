/* test-pop3-hostile.c: the POP3 client against a scripted peer that does
 * what real servers will not do on demand: dropped connections, malformed
 * and oversized replies, replies split at every byte, plaintext injected
 * at STLS, silence, and refusals with every kind of reply code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-peer.h"
#include "rp-test-util.h"

/* The RFC 1939 APOP example: this timestamp and the password "tanstaaf"
 * give the digest below. */
#define USER       "tim"
#define PASSWORD   "tanstaaf"
#define TIMESTAMP  "<1896.697170952@dbc.mtview.ca.us>"
#define APOP_REPLY "APOP tim c4c9334bac560ecc979e58001b3e22fb"
#define PLAIN_IR   "AHRpbQB0YW5zdGFhZg=="  /* "\0tim\0tanstaaf", authzid empty */
#define LOGIN_USER "dGlt"
#define LOGIN_PASS "dGFuc3RhYWY="

#define GREETING   "SEND +OK POP3 peer ready " TIMESTAMP "\n"
#define CAPA       "EXPECT CAPA\n" \
                   "SEND +OK\\r\\nUSER\\r\\nUIDL\\r\\nTOP\\r\\nPIPELINING\\r\\n" \
                   "SASL PLAIN LOGIN\\r\\nRESP-CODES\\r\\n.\n"
#define LOGIN      "EXPECT USER " USER "\n" \
                   "SEND +OK\n" \
                   "EXPECT PASS " PASSWORD "\n" \
                   "SEND +OK maildrop ready\n"
#define PRELUDE    GREETING CAPA LOGIN

static RpTestCa *test_ca;

/* Auxiliary methods */

static RpPop3 *
new_client (RpTestPeer *peer,
            RpSecurity  security,
            guint       timeout)
{
  RpPop3 *pop3 = rp_pop3_new ("127.0.0.1", rp_test_peer_get_port (peer), security);

  rp_pop3_set_ca_file (pop3, rp_test_ca_get_ca_file (test_ca));
  rp_pop3_set_timeout (pop3, timeout);
  rp_pop3_set_trace_enabled (pop3, TRUE);

  return pop3;
}

static void
assert_script_passed (RpTestPeer *peer)
{
  g_autofree char *failure = NULL;

  rp_test_peer_wait (peer, &failure);
  g_assert_cmpstr (failure, ==, NULL);
}

/* Runs @script and signs a plain-text client in with USER/PASS. */
static RpPop3 *
start_session (RpTestPeer *peer,
               const char *script)
{
  g_autoptr(GError) error = NULL;
  RpPop3 *pop3;

  rp_test_peer_run (peer, test_ca, script);
  pop3 = new_client (peer, RP_SECURITY_NONE, 10);
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_USER, NULL, &error));
  g_assert_no_error (error);

  return pop3;
}

typedef struct
{
  guint      count;
  GPtrArray *messages;
} Collected;

static gboolean
collect_message (guint     msgno,
                 GBytes   *message,
                 gpointer  user_data,
                 GError  **error)
{
  Collected *collected = user_data;

  collected->count++;
  g_ptr_array_add (collected->messages, g_bytes_ref (message));
  return TRUE;
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected,
              gsize       expected_len)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, expected_len);
}

/* Tests: broken connections */

static void
test_retr_dropped (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT RETR 1\n"
                                          "SEND +OK 100 octets\n"
                                          "SEND_RAW Subject: x\\r\\n\\r\\nhalf a mess\n"
                                          "CLOSE\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = rp_pop3_retr_sync (pop3, 1, NULL, &error);

  g_assert_null (message);
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

static void
test_retr_many_dropped (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT RETR 1\n"
                                          "EXPECT RETR 2\n"
                                          "EXPECT RETR 3\n"
                                          "SEND +OK\\r\\nfirst\\r\\n.\n"
                                          "SEND +OK\\r\\nsecond, cut\n"
                                          "CLOSE\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Collected collected = { 0, messages };
  const guint msgnos[] = { 1, 2, 3 };

  g_assert_true (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_PIPELINING);
  g_assert_false (rp_pop3_retr_many_sync (pop3, msgnos, G_N_ELEMENTS (msgnos), collect_message,
                                          &collected, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  /* The complete message was delivered; the cut one never was. */
  g_assert_cmpuint (collected.count, ==, 1);
  assert_bytes (g_ptr_array_index (messages, 0), "first\r\n", 7);
  assert_script_passed (peer);
}

static void
test_retr_last_line_unterminated (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT RETR 1\n"
                                          "SEND_RAW +OK\\r\\nSubject: x\\r\\n\\r\\n"
                                          "last line without an ending\n"
                                          "CLOSE\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = rp_pop3_retr_sync (pop3, 1, NULL, &error);

  g_assert_null (message);
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  assert_script_passed (peer);
}

static void
test_timeout (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 1);
  g_autoptr(RpPop3) mid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  gint64 start;

  /* Silence after the greeting. */
  rp_test_peer_run (peer, test_ca, GREETING "EXPECT CAPA\nHANG\n");
  start = g_get_monotonic_time ();
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
  g_clear_error (&error);

  /* Silence in the middle of a message. */
  mid = start_session (peer, PRELUDE
                       "EXPECT RETR 1\n"
                       "SEND +OK\\r\\nSubject: slow\\r\\n\n"
                       "HANG\n");
  rp_pop3_set_timeout (mid, 1);
  start = g_get_monotonic_time ();
  message = rp_pop3_retr_sync (mid, 1, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  assert_script_passed (peer);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE "EXPECT RETR 1\nHANG\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  GThread *thread;
  gint64 start = g_get_monotonic_time ();

  rp_pop3_set_timeout (pop3, 30);
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  message = rp_pop3_retr_sync (pop3, 1, cancellable, &error);
  g_thread_join (thread);

  g_assert_null (message);
  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

/* Tests: malformed and oversized replies */

static void
test_malformed_greeting (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
  g_autoptr(GError) error = NULL;

  rp_test_peer_run (peer, test_ca, "SEND * OK IMAP4rev1 ready\n");
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_assert_cmpstr (rp_pop3_get_last_reply (pop3), ==, "* OK IMAP4rev1 ready");
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

static void
test_malformed_replies (void)
{
  const struct
  {
    const char *script;
    const char *what;
  } cases[] = {
    { "EXPECT STAT\nSEND +OK lots of mail\n", "stat" },
    { "EXPECT NOOP\nSEND hello there\n", "noop" },
    { "EXPECT LIST\nEXPECT UIDL\nSEND +OK\\r\\n1 100\\r\\ntwo 200\\r\\n.\n", "list" },
    { "EXPECT LIST\nEXPECT UIDL\nSEND +OK\\r\\n1 100\\r\\n.\\r\\n+OK\\r\\n2 abc\\r\\n.\n",
      "uidl-mismatch" },
    { "EXPECT LIST\nEXPECT UIDL\nSEND +OK\\r\\n1 100\\r\\n.\\r\\n+OK\\r\\n1 a\\x01b\\r\\n.\n",
      "uidl-control" },
    { "EXPECT LIST\nEXPECT UIDL\nSEND +OK\\r\\n1 100\\r\\n1 100\\r\\n.\n", "list-twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
      g_autofree char *script = g_strconcat (PRELUDE, cases[i].script, NULL);
      g_autoptr(RpPop3) pop3 = start_session (peer, script);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) infos = NULL;

      g_test_message ("case %s", cases[i].what);
      if (g_str_equal (cases[i].what, "stat"))
        g_assert_false (rp_pop3_stat_sync (pop3, NULL, NULL, NULL, &error));
      else if (g_str_equal (cases[i].what, "noop"))
        g_assert_false (rp_pop3_noop_sync (pop3, NULL, &error));
      else
        g_assert_null ((infos = rp_pop3_uidl_sync (pop3, NULL, &error)));

      g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
      /* Nothing after a reply that breaks the protocol can be trusted. */
      g_assert_false (rp_pop3_is_connected (pop3));
      assert_script_passed (peer);
    }
}

static void
test_oversized_status (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autofree char *filler = g_strnfill (100 * 1024, 'x');
  g_autofree char *script = g_strdup_printf (PRELUDE "EXPECT NOOP\nSEND +OK %s\n", filler);
  g_autoptr(RpPop3) pop3 = start_session (peer, script);
  g_autoptr(GError) error = NULL;

  g_assert_false (rp_pop3_noop_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_assert_cmpuint (strlen (rp_pop3_get_last_reply (pop3)), ==, 512);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

static void
test_long_message_lines (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autofree char *tmpdir = rp_test_make_tmpdir ("pop3-long");
  g_autofree char *path = g_build_filename (tmpdir, "reply", NULL);
  g_autoptr(GString) reply = g_string_new ("+OK\r\nSubject: long\r\n\r\n..");
  g_autoptr(GString) expected = g_string_new ("Subject: long\r\n\r\n.");
  g_autofree char *script = NULL;
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;

  /* A 2 MB line, far past RFC 5322's 998 octets, starting with a dot. */
  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    {
      char c = 'a' + i % 26;

      g_string_append_c (reply, c);
      g_string_append_c (expected, c);
    }
  g_string_append (reply, "\r\n.\r\n");
  g_string_append (expected, "\r\n");
  g_file_set_contents (path, reply->str, reply->len, &error);
  g_assert_no_error (error);

  script = g_strdup_printf (PRELUDE "EXPECT RETR 1\nSEND_FILE %s\nEXPECT NOOP\nSEND +OK\n", path);
  pop3 = start_session (peer, script);
  message = rp_pop3_retr_sync (pop3, 1, NULL, &error);
  g_assert_no_error (error);
  assert_bytes (message, expected->str, expected->len);
  g_assert_true (rp_pop3_noop_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);
  rp_test_rm_rf (tmpdir);
}

static void
test_nul_and_bare_lf (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT RETR 1\n"
                                          "SEND_RAW +OK\\r\\na\\0b\\r\\nbare\\n..dot\\n\\0\\r\\n.\\r\\n\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = rp_pop3_retr_sync (pop3, 1, NULL, &error);
  /* NUL bytes are data, and each line keeps the ending it had on the
   * wire: the message is what the server sent. */
  const char expected[] = "a\0b\r\nbare\n.dot\n\0\r\n";

  g_assert_no_error (error);
  assert_bytes (message, expected, sizeof expected - 1);
  assert_script_passed (peer);
}

/* A "." whose line ending never came (the connection closed after it)
 * may be the first byte of a stuffed ".." line: it ends nothing, and the
 * message is not delivered half. */
static void
test_cut_terminator (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT RETR 1\n"
                                          "SEND_RAW +OK\\r\\nSubject: x\\r\\n\\r\\nbody\\r\\n.\n"
                                          "CLOSE\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = rp_pop3_retr_sync (pop3, 1, NULL, &error);

  g_assert_null (message);
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
}

/* Tests: byte-split replies */

static void
test_bytewise (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GBytes) message = NULL;
  const char expected[] = "Subject: split\r\n\r\n.dot\r\n\r\nend\r\n";

  rp_test_peer_run (peer, test_ca,
                    "SEND_BYTEWISE +OK ready " TIMESTAMP "\n"
                    "EXPECT CAPA\n"
                    "SEND_BYTEWISE +OK\\r\\nUSER\\r\\nPIPELINING\\r\\nUIDL\\r\\n.\n"
                    "EXPECT APOP tim\n"
                    "SEND_BYTEWISE +OK\n"
                    "EXPECT LIST\n"
                    "EXPECT UIDL\n"
                    "SEND_BYTEWISE +OK\\r\\n1 31\\r\\n.\\r\\n+OK\\r\\n1 uid-one\\r\\n.\n"
                    "EXPECT RETR 1\n"
                    "SEND_BYTEWISE +OK\\r\\nSubject: split\\r\\n\\r\\n..dot\\r\\n\\r\\nend\\r\\n.\n"
                    "EXPECT QUIT\n"
                    "SEND_BYTEWISE +OK bye\n");

  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  /* Plain text, a timestamp: APOP is the automatic choice. */
  g_assert_true (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_pop3_get_auth_method (pop3), ==, RP_POP3_AUTH_APOP);

  infos = rp_pop3_uidl_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  g_assert_cmpuint (g_array_index (infos, RpPop3MessageInfo, 0).size, ==, 31);
  g_assert_cmpstr (g_array_index (infos, RpPop3MessageInfo, 0).uid, ==, "uid-one");

  message = rp_pop3_retr_sync (pop3, 1, NULL, &error);
  g_assert_no_error (error);
  assert_bytes (message, expected, sizeof expected - 1);

  g_assert_true (rp_pop3_quit_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);
}

/* Tests: STLS */

static void
test_stls_injection (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_STARTTLS, 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf (
    GREETING
    "EXPECT CAPA\n"
    "SEND +OK\\r\\nSTLS\\r\\nUSER\\r\\n.\n"
    "EXPECT STLS\n"
    /* One write: the reply and an injected reply for the next command. */
    "SEND_RAW +OK Begin TLS\\r\\n-ERR injected\\r\\n+OK\\r\\nSTLS\\r\\n.\\r\\n\n"
    "STARTTLS %d\n"
    "EXPECT CAPA\n"
    "SEND +OK\\r\\nUSER\\r\\nUIDL\\r\\n.\n"
    "EXPECT USER tim\n"
    "SEND +OK\n"
    "EXPECT PASS tanstaaf\n"
    "SEND +OK\n",
    RP_TEST_CERT_VALID);

  rp_test_peer_run (peer, test_ca, script);
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_transport_is_tls (rp_pop3_get_transport (pop3)));
  /* The capabilities are those read inside TLS, not the injected ones. */
  g_assert_true (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_UIDL);
  g_assert_false (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_STLS);
  g_assert_true (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_USER, NULL, &error));
  g_assert_no_error (error);
  assert_script_passed (peer);
}

static void
test_stls_not_offered (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_STARTTLS, 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;

  rp_test_peer_run (peer, test_ca, GREETING CAPA);
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);

  /* Not a byte after CAPA: no STLS attempt, no fall-back, no login. */
  received = rp_test_peer_dup_received (peer);
  g_assert_cmpstr (received, ==, "CAPA\r\n");
}

static void
test_stls_refused (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_STARTTLS, 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;

  rp_test_peer_run (peer, test_ca,
                    GREETING
                    "EXPECT CAPA\n"
                    "SEND +OK\\r\\nSTLS\\r\\nUSER\\r\\n.\n"
                    "EXPECT STLS\n"
                    "SEND -ERR [SYS/TEMP] TLS is broken today\n");
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "TLS is broken today"));
  assert_script_passed (peer);
  received = rp_test_peer_dup_received (peer);
  g_assert_cmpstr (received, ==, "CAPA\r\nSTLS\r\n");
}

/* Tests: refusals */

static void
test_reply_codes (void)
{
  const struct
  {
    const char  *reply;
    RpErrorCode  code;
  } cases[] = {
    { "-ERR [AUTH] Authentication failed.", RP_ERROR_AUTH_FAILED },
    { "-ERR [IN-USE] Mailbox is locked by another POP3 session.", RP_ERROR_MAILBOX_IN_USE },
    { "-ERR [LOGIN-DELAY] Wait 15 minutes between logins", RP_ERROR_LOGIN_DELAY },
    { "-ERR [SYS/TEMP] Database unavailable", RP_ERROR_SERVER_TEMPORARY },
    { "-ERR [SYS/PERM] Account disabled", RP_ERROR_SERVER_PERMANENT },
    { "-ERR Unable to lock maildrop: mailbox locked", RP_ERROR_MAILBOX_IN_USE },
    { "-ERR Temporary problem, try again later", RP_ERROR_SERVER_TEMPORARY },
    { "-ERR invalid password", RP_ERROR_AUTH_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
      g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
      g_autoptr(GError) error = NULL;
      g_autofree char *script = g_strdup_printf (GREETING CAPA
                                                 "EXPECT USER tim\nSEND +OK\n"
                                                 "EXPECT PASS\nSEND %s\n"
                                                 "EXPECT QUIT\nSEND +OK\n",
                                                 cases[i].reply);

      g_test_message ("%s", cases[i].reply);
      rp_test_peer_run (peer, test_ca, script);
      g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_USER, NULL, &error));
      g_assert_error (error, RP_ERROR, cases[i].code);
      g_assert_cmpstr (rp_pop3_get_last_reply (pop3), ==, cases[i].reply);
      g_assert_nonnull (strstr (error->message, cases[i].reply));
      g_assert_null (strstr (error->message, PASSWORD));
      g_clear_error (&error);

      g_assert_true (rp_pop3_quit_sync (pop3, NULL, &error));
      g_assert_no_error (error);
      assert_script_passed (peer);
    }
}

static void
test_greeting_refused (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
  g_autoptr(GError) error = NULL;

  rp_test_peer_run (peer, test_ca, "SEND -ERR Too many connections, try again later\n");
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

/* Each SASL method's exchange, refused and then accepted. */
static void
test_sasl_methods (void)
{
  const struct
  {
    RpPop3AuthMethod  method;
    const char       *exchange;
  } cases[] = {
    { RP_POP3_AUTH_PLAIN, "EXPECT AUTH PLAIN " PLAIN_IR "\n" },
    { RP_POP3_AUTH_LOGIN, "EXPECT AUTH LOGIN\nSEND + VXNlcm5hbWU6\nEXPECT " LOGIN_USER "\n"
                          "SEND + UGFzc3dvcmQ6\nEXPECT " LOGIN_PASS "\n" },
    { RP_POP3_AUTH_APOP, "EXPECT " APOP_REPLY "\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint refused = 0; refused <= 1; refused++)
        {
          g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
          g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
          g_autoptr(GError) error = NULL;
          g_autofree char *trace = NULL;
          g_autofree char *script = g_strdup_printf (GREETING CAPA "%sSEND %s\n",
                                                     cases[i].exchange,
                                                     refused ? "-ERR [AUTH] no" : "+OK welcome");
          gboolean ok;

          rp_test_peer_run (peer, test_ca, script);
          g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
          g_assert_no_error (error);
          ok = rp_pop3_login_sync (pop3, USER, PASSWORD, cases[i].method, NULL, &error);
          if (refused)
            {
              g_assert_false (ok);
              g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
            }
          else
            {
              g_assert_no_error (error);
              g_assert_true (ok);
              g_assert_cmpint (rp_pop3_get_auth_method (pop3), ==, cases[i].method);
            }
          assert_script_passed (peer);

          trace = rp_pop3_dup_trace (pop3);
          g_assert_null (strstr (trace, PASSWORD));
          g_assert_null (strstr (trace, PLAIN_IR));
          g_assert_null (strstr (trace, LOGIN_PASS));
          g_assert_null (strstr (trace, "c4c9334bac560ecc979e58001b3e22fb"));
        }
    }
}

static void
test_sasl_unexpected_challenge (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
  g_autoptr(GError) error = NULL;

  /* A challenge where the final answer belongs: the client cancels the
   * exchange with "*" as RFC 5034 says, then gives up. */
  rp_test_peer_run (peer, test_ca,
                    GREETING CAPA
                    "EXPECT AUTH PLAIN\n"
                    "SEND + more please\n"
                    "EXPECT *\n"
                    "SEND -ERR cancelled\n");
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_PLAIN, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  assert_script_passed (peer);
}

static void
test_no_capa (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = new_client (peer, RP_SECURITY_NONE, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Collected collected = { 0, messages };
  const guint msgnos[] = { 1, 2 };

  /* An RFC 1939 server: no CAPA, no timestamp, no pipelining. Each RETR
   * waits for the previous reply, which the script checks by answering
   * before it expects the next command. */
  rp_test_peer_run (peer, test_ca,
                    "SEND +OK old server\n"
                    "EXPECT CAPA\n"
                    "SEND -ERR unknown command\n"
                    "EXPECT USER tim\nSEND +OK\nEXPECT PASS tanstaaf\nSEND +OK\n"
                    "EXPECT RETR 1\n"
                    "SEND +OK\\r\\none\\r\\n.\n"
                    "EXPECT RETR 2\n"
                    "SEND +OK\\r\\ntwo\\r\\n.\n"
                    "EXPECT DELE 1\nSEND +OK\n"
                    "EXPECT DELE 2\nSEND +OK\n"
                    "EXPECT QUIT\n"
                    "SEND -ERR [SYS/TEMP] could not expunge\n");
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_pop3_get_capabilities (pop3), ==, RP_POP3_CAPABILITY_NONE);
  g_assert_true (rp_pop3_login_sync (pop3, USER, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_pop3_get_auth_method (pop3), ==, RP_POP3_AUTH_USER);

  g_assert_true (rp_pop3_retr_many_sync (pop3, msgnos, 2, collect_message, &collected,
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.count, ==, 2);
  assert_bytes (g_ptr_array_index (messages, 1), "two\r\n", 5);

  g_assert_true (rp_pop3_dele_many_sync (pop3, msgnos, 2, NULL, &error));
  g_assert_no_error (error);

  /* A refused QUIT means the deletions may not have happened. */
  g_assert_false (rp_pop3_quit_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "could not delete"));
  g_assert_false (rp_pop3_is_connected (pop3));
  assert_script_passed (peer);
}

static void
test_quit_dropped (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpPop3) pop3 = start_session (peer, PRELUDE
                                          "EXPECT DELE 1\nSEND +OK\n"
                                          "EXPECT QUIT\nCLOSE\n");
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_pop3_dele_sync (pop3, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (rp_pop3_quit_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  assert_script_passed (peer);
}

int
main (int    argc,
      char **argv)
{
  int result;

  rp_test_init (&argc, &argv);
  test_ca = rp_test_ca_new ();

  g_test_add_func ("/core/pop3/hostile/retr-dropped", test_retr_dropped);
  g_test_add_func ("/core/pop3/hostile/retr-many-dropped", test_retr_many_dropped);
  g_test_add_func ("/core/pop3/hostile/retr-last-line-unterminated",
                   test_retr_last_line_unterminated);
  g_test_add_func ("/core/pop3/hostile/timeout", test_timeout);
  g_test_add_func ("/core/pop3/hostile/cancel", test_cancel);
  g_test_add_func ("/core/pop3/hostile/malformed-greeting", test_malformed_greeting);
  g_test_add_func ("/core/pop3/hostile/malformed-replies", test_malformed_replies);
  g_test_add_func ("/core/pop3/hostile/oversized-status", test_oversized_status);
  g_test_add_func ("/core/pop3/hostile/long-message-lines", test_long_message_lines);
  g_test_add_func ("/core/pop3/hostile/nul-and-bare-lf", test_nul_and_bare_lf);
  g_test_add_func ("/core/pop3/hostile/cut-terminator", test_cut_terminator);
  g_test_add_func ("/core/pop3/hostile/bytewise", test_bytewise);
  g_test_add_func ("/core/pop3/hostile/stls-injection", test_stls_injection);
  g_test_add_func ("/core/pop3/hostile/stls-not-offered", test_stls_not_offered);
  g_test_add_func ("/core/pop3/hostile/stls-refused", test_stls_refused);
  g_test_add_func ("/core/pop3/hostile/reply-codes", test_reply_codes);
  g_test_add_func ("/core/pop3/hostile/greeting-refused", test_greeting_refused);
  g_test_add_func ("/core/pop3/hostile/sasl-methods", test_sasl_methods);
  g_test_add_func ("/core/pop3/hostile/sasl-unexpected-challenge",
                   test_sasl_unexpected_challenge);
  g_test_add_func ("/core/pop3/hostile/no-capa", test_no_capa);
  g_test_add_func ("/core/pop3/hostile/quit-dropped", test_quit_dropped);

  result = g_test_run ();
  rp_test_ca_free (test_ca);

  return result;
}
