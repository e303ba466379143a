/* test-transport.c: RpTransport against the scripted hostile peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <openssl/ssl.h>

#include "rp-certificate.h"
#include "rp-error.h"
#include "rp-transport.h"
#include "rp-transport-private.h"
#include "rp-test-peer.h"
#include "rp-test-util.h"

/* Made once: creating a CA runs openssl a dozen times. */
static RpTestCa *test_ca;

/* Debug messages of the transport, captured by capture_writer(). */
static GMutex captured_lock;
static GString *captured_debug;

/* Auxiliary methods */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_DEBUG) == 0 || g_strcmp0 (domain, "rp-transport") != 0)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  if (message != NULL)
    {
      g_mutex_lock (&captured_lock);
      g_string_append (captured_debug, message);
      g_string_append_c (captured_debug, '\n');
      g_mutex_unlock (&captured_lock);
    }

  return G_LOG_WRITER_HANDLED;
}

static RpTransport *
new_transport (RpTestPeer *peer,
               const char *host)
{
  RpTransport *transport = rp_transport_new (host, rp_test_peer_get_port (peer));

  rp_transport_set_timeout (transport, 10);
  rp_transport_set_ca_file (transport, rp_test_ca_get_ca_file (test_ca));

  return transport;
}

static RpTransport *
connect_to_peer (RpTestPeer *peer,
                 gboolean    implicit_tls)
{
  g_autoptr(GError) error = NULL;
  RpTransport *transport = new_transport (peer, "127.0.0.1");

  rp_transport_connect_sync (transport, implicit_tls, NULL, &error);
  g_assert_no_error (error);

  return transport;
}

static void
assert_peer_ok (RpTestPeer *peer)
{
  g_autofree char *error = NULL;

  rp_test_peer_wait (peer, &error);
  g_assert_cmpstr (error, ==, NULL);
}

static void
assert_line (RpTransport *transport,
             const char  *expected)
{
  g_autoptr(GError) error = NULL;
  const char *line = NULL;
  gsize length = 0;

  rp_transport_read_line_sync (transport, &line, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

static void
write_line (RpTransport *transport,
            const char  *line)
{
  g_autoptr(GError) error = NULL;

  rp_transport_write_line_sync (transport, line, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static guint16
unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Bound but not listening: connecting is refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Tests: the line reader */

static void
test_transport_lines (void)
{
  g_autofree char *dir = rp_test_make_tmpdir ("transport");
  g_autofree char *path = g_build_filename (dir, "long-line", NULL);
  g_autofree char *script = NULL;
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  gsize long_length = 2 * 1024 * 1024;
  g_autofree char *long_line = g_malloc (long_length + 2);
  const char *line = NULL;
  gsize length = 0;

  memset (long_line, 'x', long_length);
  long_line[long_length / 2] = 'y';
  memcpy (long_line + long_length, "\r\n", 2);
  g_file_set_contents (path, long_line, long_length + 2, &error);
  g_assert_no_error (error);

  script = g_strdup_printf ("SEND_RAW first\\r\\nsecond\\nthird \\0 nul\\r\\n\\r\\n\n"
                            "SEND_FILE %s\n"
                            "SEND_RAW last without ending\n"
                            "CLOSE\n", path);
  rp_test_peer_run (peer, test_ca, script);
  transport = connect_to_peer (peer, FALSE);

  assert_line (transport, "first");
  assert_line (transport, "second");

  rp_transport_read_line_sync (transport, &line, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (line, length, "third \0 nul", 11);

  assert_line (transport, "");

  rp_transport_read_line_sync (transport, &line, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (line, length, long_line, long_length);

  assert_line (transport, "last without ending");

  /* After the last line, and again: the connection is over. */
  for (guint i = 0; i < 2; i++)
    {
      g_clear_error (&error);
      g_assert_false (rp_transport_read_line_sync (transport, &line, &length, NULL, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
    }

  g_assert_cmpuint (rp_transport_get_bytes_read (transport), ==,
                    strlen ("first\r\nsecond\nthird ") + 1 + strlen (" nul\r\n\r\n") +
                    long_length + 2 + strlen ("last without ending"));
  assert_peer_ok (peer);
  rp_test_rm_rf (dir);
}

static void
test_transport_bytewise (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;

  /* Every byte in its own segment, so the reader meets each split: in the
   * text, between CR and LF, and right after LF. */
  rp_test_peer_run (peer, test_ca,
                    "SEND_BYTEWISE +OK 2 messages (320 octets)\n"
                    "SEND_BYTEWISE \\r\n"
                    "SEND_BYTEWISE\n"
                    "SEND_BYTEWISE .\n"
                    "EXPECT QUIT\n");
  transport = connect_to_peer (peer, FALSE);

  assert_line (transport, "+OK 2 messages (320 octets)");
  /* Only the CR right before the LF belongs to the ending. */
  assert_line (transport, "\r");
  assert_line (transport, "");
  assert_line (transport, ".");
  write_line (transport, "QUIT");
  assert_peer_ok (peer);
}

static void
test_transport_line_too_long (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exact = g_strnfill (1000, 'a');
  g_autofree char *script = g_strdup_printf ("SEND %s\nSEND %sa\nHANG\n", exact, exact);
  const char *line = NULL;
  gsize length = 0;

  rp_test_peer_run (peer, test_ca, script);
  transport = connect_to_peer (peer, FALSE);
  rp_transport_set_max_line_length (transport, 1000);

  assert_line (transport, exact);
  g_assert_false (rp_transport_read_line_sync (transport, &line, &length, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "too long"));
  g_assert_false (rp_transport_is_connected (transport));
  assert_peer_ok (peer);
}

static void
test_transport_line_too_long_unterminated (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (5000, 'b');
  g_autofree char *script = g_strdup_printf ("SEND_RAW %s\nHANG\n", text);
  const char *line = NULL;
  gint64 start;

  /* The limit must hold while the line is still arriving, or a server
   * that never sends LF could make us buffer without end. */
  rp_test_peer_run (peer, test_ca, script);
  transport = connect_to_peer (peer, FALSE);
  rp_transport_set_max_line_length (transport, 1000);

  start = g_get_monotonic_time ();
  g_assert_false (rp_transport_read_line_sync (transport, &line, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  assert_peer_ok (peer);
}

/* Tests: waiting */

static void
test_transport_timeout (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  const char *line = NULL;
  gint64 start, elapsed;

  rp_test_peer_run (peer, test_ca, "SEND +OK ready\nHANG\n");
  transport = connect_to_peer (peer, FALSE);
  rp_transport_set_timeout (transport, 1);
  assert_line (transport, "+OK ready");

  start = g_get_monotonic_time ();
  g_assert_false (rp_transport_read_line_sync (transport, &line, NULL, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);

  rp_transport_close (transport);
  assert_peer_ok (peer);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *cancel = data;

  g_usleep (300 * 1000);
  cancel->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancel->cancellable);

  return NULL;
}

static void
check_cancel_unblocks_read (gboolean tls)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelLater cancel = { cancellable, 0 };
  const char *line = NULL;
  GThread *thread;
  gint64 returned_at;

  rp_test_peer_run (peer, test_ca, tls ? "STARTTLS 0\nSEND +OK ready\nHANG\n"
                                       : "SEND +OK ready\nHANG\n");
  transport = connect_to_peer (peer, tls);
  rp_transport_set_timeout (transport, 30);
  assert_line (transport, "+OK ready");

  thread = g_thread_new ("canceller", cancel_later, &cancel);
  g_assert_false (rp_transport_read_line_sync (transport, &line, NULL, cancellable, &error));
  returned_at = g_get_monotonic_time ();
  g_thread_join (thread);

  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
  g_test_message ("read returned %" G_GINT64_FORMAT " µs after the cancel",
                  returned_at - cancel.cancelled_at);
  g_assert_cmpint (returned_at - cancel.cancelled_at, <, G_USEC_PER_SEC);

  rp_transport_close (transport);
  assert_peer_ok (peer);
}

static void
test_transport_cancel (void)
{
  check_cancel_unblocks_read (FALSE);
}

static void
test_transport_cancel_tls (void)
{
  check_cancel_unblocks_read (TRUE);
}

static void
test_transport_connection_refused (void)
{
  guint16 port = unused_port ();
  g_autoptr(RpTransport) transport = rp_transport_new ("127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("127.0.0.1:%u", port);

  g_assert_false (rp_transport_connect_sync (transport, FALSE, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, label));
  g_assert_false (rp_transport_is_connected (transport));
}

static void
test_transport_connection_refused_ipv6 (void)
{
  guint16 port = unused_port ();
  g_autoptr(RpTransport) transport = rp_transport_new ("::1", port);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("[::1]:%u", port);
  const char *line = NULL;

  /* Refused, or unreachable where IPv6 is off: both name the address in
   * the bracketed form users can paste. */
  g_assert_false (rp_transport_connect_sync (transport, FALSE, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, label));

  /* Using a transport that is not connected is an error, not a crash. */
  g_clear_error (&error);
  g_assert_false (rp_transport_read_line_sync (transport, &line, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_clear_error (&error);
  g_assert_false (rp_transport_write_line_sync (transport, "NOOP", NULL, FALSE, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
}

static void
test_transport_connect_cancelled (void)
{
  g_autoptr(RpTransport) transport = rp_transport_new ("127.0.0.1", unused_port ());
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rp_transport_connect_sync (transport, FALSE, cancellable, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
}

static void
check_peer_gone (gboolean tls)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  const char *line = NULL;
  guint attempts = 0;

  rp_test_peer_run (peer, test_ca, tls ? "STARTTLS 0\nCLOSE\n" : "CLOSE\n");
  transport = connect_to_peer (peer, tls);
  assert_peer_ok (peer);

  /* Writing to a closed socket must fail with an error, never with
   * SIGPIPE. (GSocket also ignores SIGPIPE process-wide, so this cannot
   * prove the transport's own MSG_NOSIGNAL; it proves the clean error.)
   * The first writes may still be accepted locally. Nothing is read
   * first, so that TLS has not yet seen the peer's close_notify and
   * really writes to the socket. */
  while (rp_transport_write_line_sync (transport, "NOOP", NULL, FALSE, NULL, &error))
    {
      g_assert_cmpuint (++attempts, <, 50);
      g_usleep (20 * 1000);
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == RP_ERROR);
  g_assert_true (error->code == RP_ERROR_CONNECTION_FAILED || error->code == RP_ERROR_TLS);
  g_clear_error (&error);

  /* The first failure is usually ECONNRESET; only writes after it get
   * EPIPE, the one that comes with the signal. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (rp_transport_write_line_sync (transport, "NOOP", NULL, FALSE, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("write after failure: %s", error->message);
      g_clear_error (&error);
    }

  g_assert_false (rp_transport_read_line_sync (transport, &line, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == RP_ERROR);
}

static void
test_transport_peer_gone (void)
{
  check_peer_gone (FALSE);
}

static void
test_transport_peer_gone_tls (void)
{
  check_peer_gone (TRUE);
}

/* Tests: writing and the trace */

static void
test_transport_write_buffering (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (200 * 1000, 'A');
  g_autofree char *received = NULL;
  g_autofree char *expected = NULL;

  rp_test_peer_run (peer, test_ca, "EXPECT small one\nEXPECT AAAA\nEXPECT END\nSEND +OK\n");
  transport = connect_to_peer (peer, FALSE);

  /* Small writes stay buffered until the flush... */
  rp_transport_write_sync (transport, "small ", 6, NULL, &error);
  g_assert_no_error (error);
  rp_transport_write_line_sync (transport, "one", NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rp_transport_get_bytes_written (transport), ==, 0);

  /* ...a block larger than the buffer goes out at once, after them. */
  rp_transport_write_sync (transport, big, strlen (big), NULL, &error);
  g_assert_no_error (error);
  rp_transport_write_sync (transport, "\r\n", 2, NULL, &error);
  g_assert_no_error (error);
  write_line (transport, "END");
  assert_line (transport, "+OK");

  expected = g_strdup_printf ("small one\r\n%s\r\nEND\r\n", big);
  g_assert_cmpuint (rp_transport_get_bytes_written (transport), ==, strlen (expected));
  received = rp_test_peer_dup_received (peer);
  g_assert_cmpstr (received, ==, expected);

  /* A line break inside a command would smuggle in a second command. */
  g_assert_false (rp_transport_write_line_sync (transport, "USER a\r\nDELE 1", NULL, FALSE,
                                                NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  assert_peer_ok (peer);
}

static void
test_transport_trace_masks (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *trace = NULL;
  g_autofree char *received = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *prefix = NULL;

  g_string_append (script,
                   "SEND +OK hello\n"
                   "EXPECT USER alice\n"
                   "SEND +OK\n"
                   "EXPECT PASS secret-password\n"
                   "SEND +OK logged in\n"
                   "EXPECT RETR 1\n"
                   "SEND +OK message follows\n");
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (script, "SEND body line %u\n", i);
  g_string_append (script, "EXPECT QUIT\nSEND +OK bye\n");
  rp_test_peer_run (peer, test_ca, script->str);

  g_mutex_lock (&captured_lock);
  g_string_truncate (captured_debug, 0);
  g_mutex_unlock (&captured_lock);
  g_log_set_debug_enabled (TRUE);

  transport = new_transport (peer, "127.0.0.1");
  rp_transport_set_trace_enabled (transport, TRUE);
  rp_transport_connect_sync (transport, FALSE, NULL, &error);
  g_assert_no_error (error);

  assert_line (transport, "+OK hello");
  write_line (transport, "USER alice");
  assert_line (transport, "+OK");
  rp_transport_write_line_sync (transport, "PASS secret-password", "PASS ********", FALSE,
                                NULL, &error);
  g_assert_no_error (error);
  assert_line (transport, "+OK logged in");
  write_line (transport, "RETR 1");
  assert_line (transport, "+OK message follows");
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *expected = g_strdup_printf ("body line %u", i);

      assert_line (transport, expected);
    }
  write_line (transport, "QUIT");
  assert_line (transport, "+OK bye");
  g_log_set_debug_enabled (FALSE);
  assert_peer_ok (peer);

  /* The server got the password; the trace and the log did not. */
  received = rp_test_peer_dup_received (peer);
  g_assert_nonnull (strstr (received, "PASS secret-password\r\n"));

  trace = rp_transport_dup_trace (transport);
  g_assert_nonnull (strstr (trace, "S: +OK hello\n"));
  g_assert_nonnull (strstr (trace, "C: USER alice\n"));
  g_assert_nonnull (strstr (trace, "C: PASS ********\n"));
  g_assert_nonnull (strstr (trace, "S: +OK logged in\n"));
  g_assert_null (strstr (trace, "secret-password"));
  /* A long run of server lines is kept short: the reply line and 15 body
   * lines, then a count, then the next command. */
  g_assert_nonnull (strstr (trace, "S: body line 14\n"));
  g_assert_null (strstr (trace, "body line 15\n"));
  g_assert_nonnull (strstr (trace, "S: [85 more lines]\nC: QUIT\n"));

  g_mutex_lock (&captured_lock);
  debug = g_strdup (captured_debug->str);
  g_mutex_unlock (&captured_lock);
  prefix = g_strdup_printf ("[127.0.0.1:%u] C: PASS ********\n", rp_test_peer_get_port (peer));
  g_assert_nonnull (strstr (debug, prefix));
  g_assert_null (strstr (debug, "secret-password"));
  g_assert_null (strstr (debug, "body line 20"));
}

static void
test_transport_trace_bounded (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *filler = g_strnfill (400, 'f');
  g_autofree char *trace = NULL;
  const guint rounds = 400;

  for (guint i = 0; i < rounds; i++)
    g_string_append_printf (script, "EXPECT CMD %u\nSEND +OK %u %s\n", i, i, filler);
  rp_test_peer_run (peer, test_ca, script->str);

  transport = new_transport (peer, "127.0.0.1");
  rp_transport_set_trace_enabled (transport, TRUE);
  rp_transport_connect_sync (transport, FALSE, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < rounds; i++)
    {
      g_autofree char *command = g_strdup_printf ("CMD %u", i);
      const char *line = NULL;

      write_line (transport, command);
      rp_transport_read_line_sync (transport, &line, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  assert_peer_ok (peer);

  /* About 330 KB went through; the trace keeps the recent part. */
  trace = rp_transport_dup_trace (transport);
  g_assert_cmpuint (strlen (trace), <=, 2 * 64 * 1024);
  g_assert_cmpuint (strlen (trace), >=, 64 * 1024);
  g_assert_nonnull (strstr (trace, "C: CMD 399\n"));
  g_assert_null (strstr (trace, "C: CMD 1\n"));
}

/* Tests: TLS */

static void
test_transport_starttls_injection (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  /* The reply to STLS and the injected line leave in one write, so they
   * are in the client's buffer before it starts the handshake. */
  rp_test_peer_run (peer, test_ca,
                    "SEND +OK POP3 ready\n"
                    "EXPECT STLS\n"
                    "SEND_RAW +OK Begin TLS\\r\\n+OK injected\\r\\n\n"
                    "STARTTLS 0\n"
                    "SEND +OK after TLS\n"
                    "EXPECT QUIT\n");
  transport = connect_to_peer (peer, FALSE);

  assert_line (transport, "+OK POP3 ready");
  write_line (transport, "STLS");
  assert_line (transport, "+OK Begin TLS");
  g_assert_cmpuint (rp_transport_get_buffered (transport), ==, strlen ("+OK injected\r\n"));

  rp_transport_start_tls_sync (transport, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rp_transport_is_tls (transport));

  assert_line (transport, "+OK after TLS");
  write_line (transport, "QUIT");
  assert_peer_ok (peer);
}

static void
test_transport_starttls_not_tls (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  /* A server that answers the ClientHello with plain text. */
  rp_test_peer_run (peer, test_ca,
                    "SEND +OK Begin TLS\n"
                    "SLEEP 200\n"
                    "SEND this is not TLS at all, not even close to it\n"
                    "HANG\n");
  transport = connect_to_peer (peer, FALSE);
  assert_line (transport, "+OK Begin TLS");

  g_assert_false (rp_transport_start_tls_sync (transport, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS);
  g_assert_false (rp_transport_is_connected (transport));
  assert_peer_ok (peer);
}

static void
test_transport_implicit_tls (void)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_VALID);
  RpCertificate *certificate;
  const char *version;

  rp_test_peer_run (peer, test_ca, "STARTTLS 0\nSEND +OK hello\nEXPECT QUIT\nSEND +OK bye\n");
  transport = new_transport (peer, "localhost");
  rp_transport_connect_sync (transport, TRUE, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (rp_transport_is_tls (transport));
  g_assert_cmpint (_rp_transport_get_min_tls_version (transport), ==, TLS1_2_VERSION);
  version = rp_transport_get_tls_version (transport);
  g_assert_true (g_strcmp0 (version, "TLSv1.2") == 0 || g_strcmp0 (version, "TLSv1.3") == 0);

  certificate = rp_transport_get_peer_certificate (transport);
  g_assert_nonnull (certificate);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_OK);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, fingerprint);
  g_assert_cmpstr (rp_certificate_get_host (certificate), ==, "localhost");

  assert_line (transport, "+OK hello");
  write_line (transport, "QUIT");
  assert_line (transport, "+OK bye");
  assert_peer_ok (peer);
}

/* Connects with implicit TLS to a peer presenting @kind. Returns the error,
 * or NULL when the certificate was accepted (then the exchange after the
 * handshake is checked too). */
static GError *
try_certificate (const char     *host,
                 RpTestCertKind  kind,
                 const char     *pin,
                 RpCertificate **certificate_out)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autofree char *script = g_strdup_printf ("STARTTLS %d\nSEND +OK secure\n", (int) kind);
  GError *error = NULL;

  rp_test_peer_run (peer, test_ca, script);
  transport = new_transport (peer, host);
  if (pin != NULL)
    rp_transport_set_pinned_fingerprint (transport, pin);

  if (rp_transport_connect_sync (transport, TRUE, NULL, &error))
    {
      assert_line (transport, "+OK secure");
      assert_peer_ok (peer);
    }
  else
    {
      /* The peer may or may not notice the refusal before its own
       * handshake ends; either way it must stop. */
      g_assert_false (rp_transport_is_connected (transport));
      rp_test_peer_wait (peer, NULL);
    }

  *certificate_out = g_object_ref (rp_transport_get_peer_certificate (transport));

  return error;
}

static void
test_transport_certificate_problems (void)
{
  static const struct
  {
    const char           *host;
    RpTestCertKind        kind;
    RpCertificateProblem  problem;
    const char           *words;
  } cases[] = {
    { "localhost", RP_TEST_CERT_SELF_SIGNED, RP_CERTIFICATE_SELF_SIGNED, "self-signed" },
    { "localhost", RP_TEST_CERT_EXPIRED, RP_CERTIFICATE_EXPIRED, "expired" },
    { "localhost", RP_TEST_CERT_NOT_YET_VALID, RP_CERTIFICATE_NOT_YET_VALID, "not valid yet" },
    { "localhost", RP_TEST_CERT_WRONG_HOST, RP_CERTIFICATE_HOSTNAME_MISMATCH, "different server" },
    { "127.0.0.1", RP_TEST_CERT_WRONG_HOST, RP_CERTIFICATE_HOSTNAME_MISMATCH, "different server" },
    { "localhost", RP_TEST_CERT_OTHER_CA, RP_CERTIFICATE_UNKNOWN_ISSUER, "unknown authority" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpCertificate) certificate = NULL;
      g_autoptr(GError) error = try_certificate (cases[i].host, cases[i].kind, NULL, &certificate);
      g_autofree char *fingerprint = rp_test_ca_get_fingerprint (test_ca, cases[i].kind);

      g_test_message ("kind %d on %s: %s", cases[i].kind, cases[i].host,
                      error != NULL ? error->message : "accepted");
      g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_nonnull (strstr (error->message, cases[i].host));
      g_assert_nonnull (certificate);
      g_assert_cmpint (rp_certificate_get_problem (certificate), ==, cases[i].problem);
      g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, fingerprint);
      g_assert_cmpstr (rp_certificate_get_verify_detail (certificate), !=, "ok");
    }
}

static void
test_transport_certificate_valid (void)
{
  const char *hosts[] = { "localhost", "127.0.0.1" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(RpCertificate) certificate = NULL;
      g_autoptr(GError) error = try_certificate (hosts[i], RP_TEST_CERT_VALID, NULL,
                                                 &certificate);
      g_autofree char *fingerprint = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_VALID);

      g_assert_no_error (error);
      g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_OK);
      g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, fingerprint);
      g_assert_nonnull (strstr (rp_certificate_get_subject (certificate), "CN=localhost"));
      g_assert_nonnull (strstr (rp_certificate_get_issuer (certificate), "Rapport Test CA"));
      g_assert_nonnull (rp_certificate_get_not_before (certificate));
      g_assert_nonnull (rp_certificate_get_not_after (certificate));
      g_assert_cmpint (g_date_time_compare (rp_certificate_get_not_before (certificate),
                                            rp_certificate_get_not_after (certificate)), <, 0);
    }
}

static void
test_transport_certificate_pinned (void)
{
  g_autofree char *self_signed = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_SELF_SIGNED);
  g_autofree char *valid_2 = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_VALID_2);
  g_autofree char *expired = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_EXPIRED);
  g_autoptr(RpCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_upper = NULL;
  GString *pin;

  /* The pinned self-signed certificate is accepted, and still says what
   * normal verification thought of it. The pin is given as users copy
   * it from a browser: upper case with colons. */
  pin = g_string_new (NULL);
  for (guint i = 0; self_signed[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (pin, ':');
      g_string_append_c (pin, g_ascii_toupper (self_signed[i]));
    }
  pin_upper = g_string_free (pin, FALSE);
  error = try_certificate ("localhost", RP_TEST_CERT_SELF_SIGNED, pin_upper, &certificate);
  g_assert_no_error (error);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_SELF_SIGNED);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, self_signed);
  g_clear_object (&certificate);

  /* The pin of one certificate does not let another invalid one in. */
  error = try_certificate ("localhost", RP_TEST_CERT_SELF_SIGNED, valid_2, &certificate);
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_SELF_SIGNED);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, self_signed);
  g_clear_object (&certificate);
  g_clear_error (&error);

  error = try_certificate ("localhost", RP_TEST_CERT_EXPIRED, self_signed, &certificate);
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_EXPIRED);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, expired);
  g_clear_object (&certificate);
  g_clear_error (&error);

  /* A properly renewed certificate that verifies normally is accepted
   * although it is not the pinned one. */
  error = try_certificate ("localhost", RP_TEST_CERT_VALID_2, self_signed, &certificate);
  g_assert_no_error (error);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_OK);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, valid_2);
}

static void
test_transport_tls_bulk (void)
{
  g_autofree char *dir = rp_test_make_tmpdir ("transport");
  g_autofree char *path = g_build_filename (dir, "bulk", NULL);
  g_autofree char *script = NULL;
  g_autofree char *expected_sha = NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(RpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  guint lines = 0;

  /* Lines of many lengths, so that line ends fall everywhere relative to
   * TLS records and reads. */
  for (guint i = 0; i < 30000; i++)
    {
      g_string_append_printf (content, "%u ", i);
      for (guint j = 0; j < (i * 7919) % 300; j++)
        g_string_append_c (content, (char) ('a' + (i + j) % 26));
      g_string_append (content, "\r\n");
    }
  g_file_set_contents (path, content->str, content->len, &error);
  g_assert_no_error (error);
  expected_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content->str, content->len);

  script = g_strdup_printf ("STARTTLS 0\nSEND_FILE %s\nCLOSE\n", path);
  rp_test_peer_run (peer, test_ca, script);
  transport = connect_to_peer (peer, TRUE);

  for (;;)
    {
      const char *line = NULL;
      gsize length = 0;

      if (!rp_transport_read_line_sync (transport, &line, &length, NULL, &error))
        break;
      g_checksum_update (checksum, (const guchar *) line, length);
      g_checksum_update (checksum, (const guchar *) "\r\n", 2);
      lines++;
    }
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_cmpuint (lines, ==, 30000);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected_sha);
  assert_peer_ok (peer);
  rp_test_rm_rf (dir);
}

/* Tests: RpCertificate */

static void
test_certificate_normalize (void)
{
  const char *lower = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  g_autofree char *from_colons = NULL;
  g_autofree char *from_upper = NULL;
  g_autofree char *too_short = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *not_hex = NULL;

  from_colons = rp_certificate_normalize_fingerprint (
    "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:"
    "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF");
  from_upper = rp_certificate_normalize_fingerprint (
    " 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n");
  too_short = rp_certificate_normalize_fingerprint ("0123456789abcdef");
  too_long = rp_certificate_normalize_fingerprint (
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00");
  not_hex = rp_certificate_normalize_fingerprint (
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg");

  g_assert_cmpstr (from_colons, ==, lower);
  g_assert_cmpstr (from_upper, ==, lower);
  g_assert_null (too_short);
  g_assert_null (too_long);
  g_assert_null (not_hex);
  g_assert_null (rp_certificate_normalize_fingerprint (NULL));
}

static void
test_certificate_describe (void)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) until = g_date_time_new_utc (2027, 6, 7, 8, 9, 10);
  g_autoptr(RpCertificate) certificate = NULL;
  g_autofree char *text = NULL;

  certificate = rp_certificate_new ("mail.example.org", "CN=mail.example.org",
                                    "CN=Example CA,O=Example", from, until,
                                    "00ff00ff00ff00ff00ff00ff00ff00ff"
                                    "00ff00ff00ff00ff00ff00ff00ff00ff",
                                    RP_CERTIFICATE_EXPIRED, "certificate has expired");
  text = rp_certificate_describe (certificate);

  g_assert_cmpstr (text, ==,
                   "Server: mail.example.org\n"
                   "Subject: CN=mail.example.org\n"
                   "Issuer: CN=Example CA,O=Example\n"
                   "Valid from: 2026-01-02 03:04:05 UTC\n"
                   "Valid until: 2027-06-07 08:09:10 UTC\n"
                   "SHA-256 fingerprint: 00:FF:00:FF:00:FF:00:FF:00:FF:00:FF:00:FF:00:FF:"
                   "00:FF:00:FF:00:FF:00:FF:00:FF:00:FF:00:FF:00:FF");
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_EXPIRED);
  g_assert_cmpstr (rp_certificate_get_verify_detail (certificate), ==, "certificate has expired");
}

int
main (int    argc,
      char **argv)
{
  int ret;

  rp_test_init (&argc, &argv);

  captured_debug = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  test_ca = rp_test_ca_new ();

  g_test_add_func ("/core/transport/lines", test_transport_lines);
  g_test_add_func ("/core/transport/bytewise", test_transport_bytewise);
  g_test_add_func ("/core/transport/line-too-long", test_transport_line_too_long);
  g_test_add_func ("/core/transport/line-too-long-unterminated",
                   test_transport_line_too_long_unterminated);
  g_test_add_func ("/core/transport/timeout", test_transport_timeout);
  g_test_add_func ("/core/transport/cancel", test_transport_cancel);
  g_test_add_func ("/core/transport/cancel-tls", test_transport_cancel_tls);
  g_test_add_func ("/core/transport/connection-refused", test_transport_connection_refused);
  g_test_add_func ("/core/transport/connection-refused-ipv6",
                   test_transport_connection_refused_ipv6);
  g_test_add_func ("/core/transport/connect-cancelled", test_transport_connect_cancelled);
  g_test_add_func ("/core/transport/peer-gone", test_transport_peer_gone);
  g_test_add_func ("/core/transport/peer-gone-tls", test_transport_peer_gone_tls);
  g_test_add_func ("/core/transport/write-buffering", test_transport_write_buffering);
  g_test_add_func ("/core/transport/trace-masks", test_transport_trace_masks);
  g_test_add_func ("/core/transport/trace-bounded", test_transport_trace_bounded);
  g_test_add_func ("/core/transport/starttls-injection", test_transport_starttls_injection);
  g_test_add_func ("/core/transport/starttls-not-tls", test_transport_starttls_not_tls);
  g_test_add_func ("/core/transport/implicit-tls", test_transport_implicit_tls);
  g_test_add_func ("/core/transport/certificate-valid", test_transport_certificate_valid);
  g_test_add_func ("/core/transport/certificate-problems", test_transport_certificate_problems);
  g_test_add_func ("/core/transport/certificate-pinned", test_transport_certificate_pinned);
  g_test_add_func ("/core/transport/tls-bulk", test_transport_tls_bulk);
  g_test_add_func ("/core/certificate/normalize", test_certificate_normalize);
  g_test_add_func ("/core/certificate/describe", test_certificate_describe);

  ret = g_test_run ();

  g_clear_pointer (&test_ca, rp_test_ca_free);
  g_string_free (captured_debug, TRUE);

  return ret;
}
