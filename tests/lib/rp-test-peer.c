/* rp-test-peer.c
 *
 * A scripted server on a loopback port, for the hostile behaviour that
 * real servers will not produce on demand. Each rp_test_peer_run() starts
 * a thread that accepts one connection and plays the script on it, with a
 * blocking GSocket for plain text and OpenSSL (server side) after
 * STARTTLS. Every wait is bounded, so a broken test fails instead of
 * hanging the test run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "rp-test-peer.h"

/* The longest the peer waits for anything: an accept, a line, the end of
 * a HANG. Far above what any test needs. */
#define PEER_TIMEOUT_SECONDS 20

struct _RpTestPeer
{
  GSocketListener *listener;
  guint16          port;
  GCancellable    *cancellable;    /* cancelled by free: ends a stuck script */
  GThread         *thread;

  /* Set by rp_test_peer_run() before the thread starts. */
  RpTestCa        *ca;
  char            *script;

  /* Written by the thread; read by others under the lock. */
  GMutex           lock;
  GByteArray      *received;

  /* Written by the thread, read after joining it. */
  char            *error;
};

/* One connection, owned by the script thread. */
typedef struct
{
  RpTestPeer        *peer;
  GSocketConnection *connection;
  GSocket           *socket;
  int                fd;
  SSL_CTX           *ctx;
  SSL               *ssl;
  GByteArray        *in;           /* received but not yet read as a line */
  gboolean           closed;
} Session;

/* Auxiliary methods: script text */

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* Decodes \r \n \t \0 \\ and \xHH; any other backslash stays as it is. */
static GByteArray *
unescape (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 byte = (guint8) *p;

      if (*p == '\\' && p[1] != '\0')
        {
          switch (p[1])
            {
            case 'r':  byte = '\r'; p++; break;
            case 'n':  byte = '\n'; p++; break;
            case 't':  byte = '\t'; p++; break;
            case '0':  byte = '\0'; p++; break;
            case '\\': byte = '\\'; p++; break;
            case 'x':
              if (hex_value (p[2]) >= 0 && hex_value (p[3]) >= 0)
                {
                  byte = (guint8) (hex_value (p[2]) * 16 + hex_value (p[3]));
                  p += 3;
                }
              break;
            default:
              break;
            }
        }
      g_byte_array_append (out, &byte, 1);
    }

  return out;
}

/* Auxiliary methods: I/O */

static gboolean
session_wait (Session  *s,
              short     events,
              GError  **error)
{
  struct pollfd fds[2] = { { .fd = s->fd, .events = events } };
  GPollFD cancel_fd = { 0 };
  nfds_t n_fds = 1;
  int ret;

  if (g_cancellable_make_pollfd (s->peer->cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      fds[1].events = POLLIN;
      n_fds = 2;
    }

  do
    ret = poll (fds, n_fds, PEER_TIMEOUT_SECONDS * 1000);
  while (ret < 0 && errno == EINTR);

  if (n_fds == 2)
    g_cancellable_release_fd (s->peer->cancellable);

  if (g_cancellable_set_error_if_cancelled (s->peer->cancellable, error))
    return FALSE;

  if (ret == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the client did not respond");
      return FALSE;
    }

  return TRUE;
}

static void
set_ssl_error (const char  *what,
               GError     **error)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
               reason != NULL ? reason : "connection closed or reset");
}

typedef int (*SslCall) (SSL  *ssl,
                        void *buffer,
                        int   length);

static int
call_read (SSL  *ssl,
           void *buffer,
           int   length)
{
  return SSL_read (ssl, buffer, length);
}

static int
call_write (SSL  *ssl,
            void *buffer,
            int   length)
{
  return SSL_write (ssl, buffer, length);
}

static int
call_handshake (SSL  *ssl,
                void *buffer,
                int   length)
{
  return SSL_do_handshake (ssl);
}

/* Repeats an SSL call on the non-blocking socket until it is done. Returns
 * its positive result, 0 when the client closed TLS, -1 with @error set. */
static int
session_ssl (Session     *s,
             SslCall      call,
             void        *buffer,
             gsize        length,
             const char  *what,
             GError     **error)
{
  for (;;)
    {
      int ret, ssl_error;

      ERR_clear_error ();
      ret = call (s->ssl, buffer, (int) MIN (length, G_MAXINT));
      if (ret > 0)
        return ret;

      ssl_error = SSL_get_error (s->ssl, ret);
      if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE)
        {
          if (!session_wait (s, ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, error))
            return -1;
          continue;
        }
      if (ssl_error == SSL_ERROR_ZERO_RETURN)
        return 0;

      set_ssl_error (what, error);
      return -1;
    }
}

static gboolean
session_write (Session       *s,
               const guint8  *data,
               gsize          length,
               GError       **error)
{
  if (s->closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the connection is closed");
      return FALSE;
    }

  while (length > 0)
    {
      gssize written;

      if (s->ssl != NULL)
        {
          int ret = session_ssl (s, call_write, (void *) data, length, "TLS write", error);

          if (ret < 0)
            return FALSE;
          if (ret == 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the client closed TLS");
              return FALSE;
            }
          written = ret;
        }
      else
        {
          written = g_socket_send (s->socket, (const char *) data, length,
                                   s->peer->cancellable, error);
          if (written < 0)
            return FALSE;
        }

      data += written;
      length -= written;
    }

  return TRUE;
}

/* Reads some bytes into s->in. Returns the count, 0 at the end, -1 on error. */
static gssize
session_read (Session  *s,
              GError  **error)
{
  guint8 buffer[4096];
  gssize n;

  if (s->closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the connection is closed");
      return -1;
    }

  if (s->ssl != NULL)
    {
      n = session_ssl (s, call_read, buffer, sizeof buffer, "TLS read", error);
      if (n < 0)
        return -1;
    }
  else
    {
      n = g_socket_receive (s->socket, (char *) buffer, sizeof buffer,
                            s->peer->cancellable, error);
      if (n < 0)
        return -1;
    }

  if (n > 0)
    {
      g_byte_array_append (s->in, buffer, n);
      g_mutex_lock (&s->peer->lock);
      g_byte_array_append (s->peer->received, buffer, n);
      g_mutex_unlock (&s->peer->lock);
    }

  return n;
}

/* Returns a line without its CRLF, or NULL with @error set. */
static char *
session_read_line (Session  *s,
                   GError  **error)
{
  for (;;)
    {
      guint8 *newline = s->in->len > 0 ? memchr (s->in->data, '\n', s->in->len) : NULL;
      gssize n;

      if (newline != NULL)
        {
          gsize length = newline - s->in->data;
          char *line;

          if (length > 0 && newline[-1] == '\r')
            length--;
          line = g_strndup ((const char *) s->in->data, length);
          g_byte_array_remove_range (s->in, 0, newline + 1 - s->in->data);
          return line;
        }

      n = session_read (s, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       "the client closed the connection before sending a line");
          return NULL;
        }
    }
}

static gboolean
session_start_tls (Session         *s,
                   RpTestCertKind   kind,
                   GError         **error)
{
  RpTestCa *ca = s->peer->ca;

  if (ca == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "STARTTLS needs an RpTestCa");
      return FALSE;
    }
  if (s->ssl != NULL || s->closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "STARTTLS needs a plain connection");
      return FALSE;
    }

  s->ctx = SSL_CTX_new (TLS_server_method ());
  if (s->ctx == NULL ||
      SSL_CTX_use_certificate_chain_file (s->ctx, rp_test_ca_get_cert_file (ca, kind)) != 1 ||
      SSL_CTX_use_PrivateKey_file (s->ctx, rp_test_ca_get_key_file (ca, kind),
                                   SSL_FILETYPE_PEM) != 1)
    {
      set_ssl_error ("loading the test certificate", error);
      return FALSE;
    }

  s->ssl = SSL_new (s->ctx);
  SSL_set_fd (s->ssl, s->fd);
  SSL_set_accept_state (s->ssl);

  /* Like a real server, forget plain text the client sent early. */
  g_byte_array_set_size (s->in, 0);

  switch (session_ssl (s, call_handshake, NULL, 0, "TLS handshake", error))
    {
    case -1:
      return FALSE;
    case 0:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS handshake: connection closed");
      return FALSE;
    default:
      return TRUE;
    }
}

/* Waits until the client goes away, reading and recording what it sends. */
static gboolean
session_hang (Session  *s,
              GError  **error)
{
  gint64 deadline = g_get_monotonic_time () + PEER_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = session_read (s, &local_error);

      if (n == 0)
        return TRUE;
      if (n < 0)
        {
          /* A reset is also a client going away. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
              g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          return TRUE;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "HANG: the client never went away");
  return FALSE;
}

static void
session_close (Session *s)
{
  if (s->connection == NULL || s->closed)
    return;

  s->closed = TRUE;

  if (s->ssl != NULL)
    {
      ERR_clear_error ();
      SSL_shutdown (s->ssl);
      ERR_clear_error ();
    }

  /* Send our FIN, then swallow what the client already sent: closing with
   * unread data makes the kernel send a reset, which can destroy the
   * client's not yet read data, and the tests must see a clean close. */
  shutdown (s->fd, SHUT_WR);
  for (;;)
    {
      guint8 scratch[4096];
      gssize n = recv (s->fd, scratch, sizeof scratch, MSG_DONTWAIT);

      if (n <= 0 && !(n < 0 && errno == EINTR))
        break;
    }

  g_io_stream_close (G_IO_STREAM (s->connection), NULL, NULL);
}

/* Auxiliary methods: the script */

static gboolean
run_step (Session     *s,
          const char  *command,
          const char  *argument,
          GError     **error)
{
  if (g_str_equal (command, "SEND") || g_str_equal (command, "SEND_RAW"))
    {
      g_autoptr(GByteArray) bytes = unescape (argument);

      if (g_str_equal (command, "SEND"))
        g_byte_array_append (bytes, (const guint8 *) "\r\n", 2);

      return session_write (s, bytes->data, bytes->len, error);
    }

  if (g_str_equal (command, "SEND_BYTEWISE"))
    {
      g_autoptr(GByteArray) bytes = unescape (argument);

      /* TCP_NODELAY is set, so each byte leaves in its own segment. */
      g_byte_array_append (bytes, (const guint8 *) "\r\n", 2);
      for (guint i = 0; i < bytes->len; i++)
        {
          if (!session_write (s, bytes->data + i, 1, error))
            return FALSE;
          g_usleep (1000);
        }
      return TRUE;
    }

  if (g_str_equal (command, "SEND_FILE"))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (argument, &contents, &length, error))
        return FALSE;

      return session_write (s, (const guint8 *) contents, length, error);
    }

  if (g_str_equal (command, "EXPECT"))
    {
      g_autoptr(GByteArray) prefix = unescape (argument);
      g_autofree char *line = session_read_line (s, error);

      if (line == NULL)
        return FALSE;

      if (strlen (line) < prefix->len || memcmp (line, prefix->data, prefix->len) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "got \"%s\"", line);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (command, "RECV"))
    {
      g_autofree char *line = session_read_line (s, error);

      return line != NULL;
    }

  if (g_str_equal (command, "STARTTLS"))
    {
      char *end = NULL;
      guint64 kind = g_ascii_strtoull (argument, &end, 10);

      if (end == argument || *end != '\0' || kind > RP_TEST_CERT_VALID_2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad certificate kind");
          return FALSE;
        }
      return session_start_tls (s, (RpTestCertKind) kind, error);
    }

  if (g_str_equal (command, "SLEEP"))
    {
      g_usleep (g_ascii_strtoull (argument, NULL, 10) * 1000);
      return TRUE;
    }

  if (g_str_equal (command, "HANG"))
    return session_hang (s, error);

  if (g_str_equal (command, "CLOSE"))
    {
      session_close (s);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown step");
  return FALSE;
}

/* Returns NULL when every step passed, or a description of the first that
 * failed. */
static char *
run_script (Session    *s,
            const char *script)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *command = NULL;
      const char *line = lines[i];
      const char *space;
      const char *argument;

      /* Leading blanks are indentation; trailing ones may be data. */
      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '\0' || *line == '#')
        continue;

      space = strchr (line, ' ');
      command = space != NULL ? g_strndup (line, space - line) : g_strdup (line);
      argument = space != NULL ? space + 1 : "";

      if (!run_step (s, command, argument, &error))
        return g_strdup_printf ("script line %u (%s): %s", i + 1, line, error->message);
    }

  return NULL;
}

static gpointer
peer_thread (gpointer data)
{
  RpTestPeer *peer = data;
  g_autoptr(GError) error = NULL;
  Session s = { .peer = peer, .fd = -1 };
  sigset_t signals;

  /* Writing to a client that went away (a test that refused our
   * certificate, say) must give EPIPE here, not kill the test, and
   * OpenSSL's socket BIO writes with write(). Blocking the signal in this
   * thread only leaves the process-wide disposition to the code under
   * test. */
  sigemptyset (&signals);
  sigaddset (&signals, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &signals, NULL);

  s.in = g_byte_array_new ();
  s.connection = g_socket_listener_accept (peer->listener, NULL, peer->cancellable, &error);
  if (s.connection == NULL)
    {
      peer->error = g_strdup_printf ("no client connected: %s", error->message);
    }
  else
    {
      s.socket = g_socket_connection_get_socket (s.connection);
      s.fd = g_socket_get_fd (s.socket);
      g_socket_set_blocking (s.socket, TRUE);
      g_socket_set_timeout (s.socket, PEER_TIMEOUT_SECONDS);
      g_socket_set_option (s.socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

      peer->error = run_script (&s, peer->script);
      session_close (&s);
    }

  g_clear_pointer (&s.ssl, SSL_free);
  g_clear_pointer (&s.ctx, SSL_CTX_free);
  g_clear_object (&s.connection);
  g_byte_array_unref (s.in);
  ERR_clear_error ();

  return NULL;
}

/* Public API */

/**
 * rp_test_peer_new:
 *
 * Returns: (transfer full): a peer listening on 127.0.0.1 and a free port
 */
RpTestPeer *
rp_test_peer_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  RpTestPeer *peer;

  /* A listening socket with a timeout makes the accept give up when a
   * test never connects. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, PEER_TIMEOUT_SECONDS);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  peer = g_new0 (RpTestPeer, 1);
  g_mutex_init (&peer->lock);
  peer->received = g_byte_array_new ();
  peer->cancellable = g_cancellable_new ();
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  peer->listener = g_socket_listener_new ();
  g_socket_listener_add_socket (peer->listener, socket, NULL, &error);
  g_assert_no_error (error);

  return peer;
}

void
rp_test_peer_free (RpTestPeer *peer)
{
  if (peer == NULL)
    return;

  g_cancellable_cancel (peer->cancellable);
  if (peer->thread != NULL)
    g_thread_join (peer->thread);

  g_socket_listener_close (peer->listener);
  g_clear_object (&peer->listener);
  g_clear_object (&peer->cancellable);
  g_byte_array_unref (peer->received);
  g_mutex_clear (&peer->lock);
  g_free (peer->script);
  g_free (peer->error);
  g_free (peer);
}

guint16
rp_test_peer_get_port (RpTestPeer *peer)
{
  g_return_val_if_fail (peer != NULL, 0);

  return peer->port;
}

/**
 * rp_test_peer_run:
 * @ca: (nullable): the certificates for STARTTLS steps
 * @script: the steps, one per line (see the header)
 *
 * Starts serving the next connection in a thread and returns at once.
 * Call rp_test_peer_wait() before running another script.
 */
void
rp_test_peer_run (RpTestPeer *peer,
                  RpTestCa   *ca,
                  const char *script)
{
  g_return_if_fail (peer != NULL);
  g_return_if_fail (script != NULL);
  g_return_if_fail (peer->thread == NULL);

  g_free (peer->script);
  peer->script = g_strdup (script);
  peer->ca = ca;
  g_clear_pointer (&peer->error, g_free);

  peer->thread = g_thread_new ("rp-test-peer", peer_thread, peer);
}

gboolean
rp_test_peer_wait (RpTestPeer  *peer,
                   char       **error_out)
{
  g_return_val_if_fail (peer != NULL, FALSE);

  if (peer->thread != NULL)
    {
      g_thread_join (peer->thread);
      peer->thread = NULL;
    }

  if (peer->error != NULL)
    {
      if (error_out != NULL)
        *error_out = g_strdup (peer->error);
      return FALSE;
    }

  return TRUE;
}

/**
 * rp_test_peer_dup_received:
 *
 * Safe to call while a script runs.
 *
 * Returns: (transfer full): every byte the clients sent since the peer was
 *   made, across all scripts, with NUL bytes shown as "\0" so the result
 *   is a C string
 */
char *
rp_test_peer_dup_received (RpTestPeer *peer)
{
  GString *text;

  g_return_val_if_fail (peer != NULL, NULL);

  text = g_string_new (NULL);
  g_mutex_lock (&peer->lock);
  for (guint i = 0; i < peer->received->len; i++)
    {
      if (peer->received->data[i] == '\0')
        g_string_append (text, "\\0");
      else
        g_string_append_c (text, (char) peer->received->data[i]);
    }
  g_mutex_unlock (&peer->lock);

  return g_string_free (text, FALSE);
}
