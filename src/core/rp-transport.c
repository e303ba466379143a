/* rp-transport.c
 *
 * One TCP connection (GIO for name resolution and connecting), optionally
 * wrapped in TLS by OpenSSL working directly on the socket's file
 * descriptor, with a buffered line reader and a write buffer.
 *
 * This file holds the object, the connection's life cycle and the
 * buffers; rp-transport-io.c waits, reads, writes and traces, and
 * rp-transport-tls.c does the handshake and judges the certificate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-transport"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "rp-error.h"
#include "rp-transport.h"
#include "rp-transport-private.h"

/* The read buffer starts large enough that a 40 MB message streams
 * through in few system calls, and grows only for lines longer than that. */
#define READ_BUFFER_SIZE      (256 * 1024)
/* Below this much free space at the end, the unread bytes move to the
 * front before the next read, so reads stay large. */
#define READ_MIN_SPACE        (16 * 1024)
#define WRITE_BUFFER_SIZE     (64 * 1024)

G_DEFINE_FINAL_TYPE (RpTransport, rp_transport, G_TYPE_OBJECT)

/* Auxiliary methods */

static gboolean
check_connected (RpTransport  *self,
                 GError      **error)
{
  if (self->connection == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                   _("Not connected to %s"), self->label);
      return FALSE;
    }

  return TRUE;
}

/* Makes room at the end of the read buffer and reads into it. Sets
 * self->eof at the end of the stream. */
static gboolean
fill_buffer (RpTransport   *self,
             GCancellable  *cancellable,
             GError       **error)
{
  gssize n;

  if (self->rstart == self->rend)
    {
      self->rstart = self->rend = self->rscan = 0;

      /* Give back what one long line made us allocate. */
      if (self->rcap > READ_BUFFER_SIZE)
        {
          g_free (self->rbuf);
          self->rcap = READ_BUFFER_SIZE;
          self->rbuf = g_malloc (self->rcap);
        }
    }
  else if (self->rstart > 0 && self->rcap - 1 - self->rend < READ_MIN_SPACE)
    {
      memmove (self->rbuf, self->rbuf + self->rstart, self->rend - self->rstart);
      self->rend -= self->rstart;
      self->rscan -= self->rstart;
      self->rstart = 0;
    }

  /* One byte always stays free, for the NUL after the last line. */
  if (self->rcap - 1 - self->rend == 0)
    {
      /* The caller refused lines longer than max_line before getting here,
       * so growing up to max_line plus CR, LF and NUL is always enough. */
      self->rcap = MIN (self->rcap * 2, self->max_line + 3);
      self->rbuf = g_realloc (self->rbuf, self->rcap);
    }

  n = _rp_transport_receive (self, self->rbuf + self->rend, self->rcap - 1 - self->rend,
                             cancellable, error);
  if (n < 0)
    return FALSE;

  if (n == 0)
    self->eof = TRUE;

  self->rend += n;
  self->bytes_read += n;

  return TRUE;
}

static gboolean
buffer_bytes (RpTransport   *self,
              const void    *data,
              gsize          length,
              GCancellable  *cancellable,
              GError       **error)
{
  if (length > WRITE_BUFFER_SIZE - self->wlen)
    {
      if (!rp_transport_flush_sync (self, cancellable, error))
        return FALSE;

      /* Large blocks go out directly instead of through the buffer. */
      if (length >= WRITE_BUFFER_SIZE)
        return _rp_transport_send (self, data, length, cancellable, error);
    }

  memcpy (self->wbuf + self->wlen, data, length);
  self->wlen += length;

  return TRUE;
}

static void
close_connection (RpTransport *self)
{
  if (self->ssl != NULL)
    {
      /* Best effort close_notify. The socket is non-blocking, so this
       * never waits; a fatal TLS error forbids it altogether. */
      if (!self->tls_broken && SSL_is_init_finished (self->ssl))
        {
          ERR_clear_error ();
          SSL_shutdown (self->ssl);
        }
      ERR_clear_error ();
    }

  g_clear_pointer (&self->ssl, SSL_free);
  g_clear_pointer (&self->ssl_ctx, SSL_CTX_free);

  if (self->connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
      g_clear_object (&self->connection);
    }

  self->fd = -1;
  self->tls_broken = FALSE;
  self->eof = FALSE;
  g_clear_pointer (&self->rbuf, g_free);
  g_clear_pointer (&self->wbuf, g_free);
  self->rcap = self->rstart = self->rend = self->rscan = 0;
  self->wlen = 0;
  self->untraced = 0;
}

/* Overrides */

static void
rp_transport_dispose (GObject *object)
{
  RpTransport *self = (RpTransport *) object;

  rp_transport_close (self);

  G_OBJECT_CLASS (rp_transport_parent_class)->dispose (object);
}

static void
rp_transport_finalize (GObject *object)
{
  RpTransport *self = (RpTransport *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->pinned, g_free);
  g_clear_object (&self->peer_certificate);
  if (self->trace.text != NULL)
    g_string_free (self->trace.text, TRUE);
  g_mutex_clear (&self->trace.lock);

  G_OBJECT_CLASS (rp_transport_parent_class)->finalize (object);
}

static void
rp_transport_class_init (RpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rp_transport_dispose;
  object_class->finalize = rp_transport_finalize;
}

static void
rp_transport_init (RpTransport *self)
{
  self->fd = -1;
  self->timeout = RP_TRANSPORT_DEFAULT_TIMEOUT;
  self->max_line = RP_TRANSPORT_DEFAULT_MAX_LINE;
  g_mutex_init (&self->trace.lock);
}

/* Public API */

/**
 * rp_transport_new:
 * @host: a host name or an IPv4 or IPv6 address
 * @port: the TCP port
 *
 * Returns: (transfer full): a transport, not yet connected
 */
RpTransport *
rp_transport_new (const char *host,
                  guint16     port)
{
  RpTransport *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  self = g_object_new (RP_TYPE_TRANSPORT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  if (strchr (host, ':') != NULL)
    self->label = g_strdup_printf ("[%s]:%u", host, port);
  else
    self->label = g_strdup_printf ("%s:%u", host, port);

  return self;
}

const char *
rp_transport_get_host (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), NULL);

  return self->host;
}

guint16
rp_transport_get_port (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), 0);

  return self->port;
}

/**
 * rp_transport_set_timeout:
 * @seconds: the longest wait for the server in one call; 0 waits forever
 */
void
rp_transport_set_timeout (RpTransport *self,
                          guint        seconds)
{
  g_return_if_fail (RP_IS_TRANSPORT (self));

  self->timeout = seconds;
}

/**
 * rp_transport_set_max_line_length:
 * @max_line: the longest line, without its ending, that read_line accepts
 */
void
rp_transport_set_max_line_length (RpTransport *self,
                                  gsize        max_line)
{
  g_return_if_fail (RP_IS_TRANSPORT (self));
  g_return_if_fail (max_line > 0 && max_line < G_MAXSIZE / 4);

  self->max_line = max_line;
}

void
rp_transport_set_ca_file (RpTransport *self,
                          const char  *pem_path)
{
  g_return_if_fail (RP_IS_TRANSPORT (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (pem_path);
}

/**
 * rp_transport_set_pinned_fingerprint:
 * @sha256: (nullable): a SHA-256 fingerprint in any form
 *   rp_certificate_normalize_fingerprint() accepts, or %NULL to pin nothing
 */
void
rp_transport_set_pinned_fingerprint (RpTransport *self,
                                     const char  *sha256)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (RP_IS_TRANSPORT (self));

  normalized = rp_certificate_normalize_fingerprint (sha256);
  g_return_if_fail (sha256 == NULL || normalized != NULL);

  g_free (self->pinned);
  self->pinned = g_steal_pointer (&normalized);
}

void
rp_transport_set_trace_enabled (RpTransport *self,
                                gboolean     enabled)
{
  g_return_if_fail (RP_IS_TRANSPORT (self));

  g_mutex_lock (&self->trace.lock);
  if (enabled && self->trace.text == NULL)
    self->trace.text = g_string_new (NULL);
  g_atomic_int_set (&self->trace.enabled, !!enabled);
  g_mutex_unlock (&self->trace.lock);
}

/**
 * rp_transport_dup_trace:
 *
 * May be called from any thread.
 *
 * Returns: (transfer full): the recent protocol trace as valid UTF-8, one
 *   "S: …", "C: …" or "*: …" line per event; empty if tracing is off
 */
char *
rp_transport_dup_trace (RpTransport *self)
{
  char *text;

  g_return_val_if_fail (RP_IS_TRANSPORT (self), NULL);

  g_mutex_lock (&self->trace.lock);
  if (self->trace.text != NULL)
    text = g_utf8_make_valid (self->trace.text->str, self->trace.text->len);
  else
    text = g_strdup ("");
  g_mutex_unlock (&self->trace.lock);

  return text;
}

/**
 * rp_transport_connect_sync:
 * @implicit_tls: start TLS at once, as on ports 465 and 995
 *
 * Returns: %TRUE when connected (and, with @implicit_tls, the certificate
 *   was accepted)
 */
gboolean
rp_transport_connect_sync (RpTransport   *self,
                           gboolean       implicit_tls,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSocket *socket;
  int flags;

  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (!_rp_transport_check_cancelled (cancellable, error))
    return FALSE;

  g_clear_object (&self->peer_certificate);
  /* Asking once per connection keeps the per-line cost of the debug log
   * at a boolean test when debugging is off. */
  self->debug = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, self->timeout);
  /* Mail servers are reached directly. GIO's proxy lookup would load the
   * desktop's proxy resolver (GSettings-backed, configured for the web),
   * and tunnelling POP3 or SMTP through it is not what users set it up
   * for. */
  g_socket_client_set_enable_proxy (client, FALSE);
  address = g_network_address_new (self->host, self->port);

  self->connection = g_socket_client_connect (client, address, cancellable, &local_error);
  if (self->connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _rp_transport_set_cancelled_error (error);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, RP_ERROR, RP_ERROR_TIMEOUT,
                     _("Connecting to %s took longer than %u seconds"),
                     self->label, self->timeout);
      else
        g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                     _("Could not connect to %s: %s"), self->label, local_error->message);
      return FALSE;
    }

  socket = g_socket_connection_get_socket (self->connection);
  self->fd = g_socket_get_fd (socket);

  /* GSocket keeps its descriptor non-blocking already; make sure of it,
   * since every wait below relies on it. */
  flags = fcntl (self->fd, F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK) == 0)
    fcntl (self->fd, F_SETFL, flags | O_NONBLOCK);

  /* We buffer writes ourselves and flush whole commands, so Nagle's
   * algorithm would only delay pipelined commands. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  self->rcap = READ_BUFFER_SIZE;
  self->rbuf = g_malloc (self->rcap);
  self->wbuf = g_malloc (WRITE_BUFFER_SIZE);
  self->rstart = self->rend = self->rscan = self->wlen = 0;
  self->eof = FALSE;

  _rp_transport_trace_event (self, "connected to %s", self->label);

  if (implicit_tls && !_rp_transport_handshake (self, cancellable, error))
    {
      close_connection (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * rp_transport_start_tls_sync:
 *
 * Call right after the server accepted STLS or STARTTLS.
 *
 * Returns: %TRUE when TLS is up and the certificate was accepted
 */
gboolean
rp_transport_start_tls_sync (RpTransport   *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  gsize discarded;

  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (self->ssl == NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  if (!rp_transport_flush_sync (self, cancellable, error))
    return FALSE;

  /* Whatever the server sent after its "go ahead" came before TLS and may
   * be a man in the middle's injected reply (CVE-2011-0411): drop what we
   * buffered, and what already waits in the socket, since an honest
   * server sends nothing until it has our ClientHello. */
  discarded = self->rend - self->rstart;
  for (;;)
    {
      guint8 scratch[4096];
      gssize n = recv (self->fd, scratch, sizeof scratch, MSG_DONTWAIT);

      if (n > 0)
        discarded += n;
      else if (n < 0 && errno == EINTR)
        continue;
      else
        break;
    }

  /* The trace event is also the g_debug line, with the [host:port] prefix. */
  if (discarded > 0)
    _rp_transport_trace_event (self, "discarded %" G_GSIZE_FORMAT " bytes sent before TLS",
                               discarded);

  self->rstart = self->rend = self->rscan = 0;
  self->eof = FALSE;

  if (!_rp_transport_handshake (self, cancellable, error))
    {
      close_connection (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
rp_transport_is_tls (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);

  return self->ssl != NULL;
}

gboolean
rp_transport_is_connected (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);

  return self->connection != NULL;
}

/**
 * rp_transport_get_tls_version:
 *
 * Returns: (nullable): the negotiated protocol, such as "TLSv1.3", or %NULL
 *   without TLS
 */
const char *
rp_transport_get_tls_version (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), NULL);

  return self->ssl != NULL ? SSL_get_version (self->ssl) : NULL;
}

/**
 * rp_transport_get_peer_certificate:
 *
 * Returns: (nullable) (transfer none): the server's certificate from the
 *   last handshake, kept after a refusal and after closing
 */
RpCertificate *
rp_transport_get_peer_certificate (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), NULL);

  return self->peer_certificate;
}

/**
 * rp_transport_read_line_ending_sync:
 * @ending: (out) (optional): the length of the line's ending: 2 for CRLF,
 *   1 for a bare LF, 0 for a last line the peer sent without one before
 *   closing
 *
 * Like rp_transport_read_line_sync(), and says how the line ended, so
 * that callers can keep the bytes exactly as sent and tell a complete line
 * from one cut off by a closed connection.
 */
gboolean
rp_transport_read_line_ending_sync (RpTransport   *self,
                                    const char   **line,
                                    gsize         *length,
                                    guint         *ending,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  for (;;)
    {
      guint8 *start = self->rbuf + self->rstart;
      guint8 *newline = memchr (self->rbuf + self->rscan, '\n', self->rend - self->rscan);
      gsize pending;

      if (newline != NULL)
        {
          gsize len = newline - start;

          self->rstart = self->rscan = newline + 1 - self->rbuf;
          if (ending != NULL)
            *ending = 1;
          if (len > 0 && start[len - 1] == '\r')
            {
              len--;
              if (ending != NULL)
                *ending = 2;
            }

          if (len > self->max_line)
            break;

          /* The ending is consumed, so its first byte can hold a NUL:
           * callers may use the line as a C string when they expect no
           * NUL bytes in it. */
          start[len] = '\0';
          _rp_transport_trace_line (self, 'S', (const char *) start, len);
          *line = (const char *) start;
          if (length != NULL)
            *length = len;
          return TRUE;
        }

      self->rscan = self->rend;
      pending = self->rend - self->rstart;

      /* One more byte may be the CR of a line of exactly max_line. */
      if (pending > self->max_line + 1)
        break;

      if (self->eof)
        {
          if (pending == 0)
            {
              g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                           _("The server %s closed the connection"), self->label);
              return FALSE;
            }

          /* A last line without an ending, returned once. fill_buffer()
           * keeps a byte free for this NUL. */
          self->rstart = self->rscan = self->rend;
          if (ending != NULL)
            *ending = 0;
          start[pending] = '\0';
          _rp_transport_trace_line (self, 'S', (const char *) start, pending);
          *line = (const char *) start;
          if (length != NULL)
            *length = pending;
          return TRUE;
        }

      if (!fill_buffer (self, cancellable, error))
        return FALSE;
    }

  /* Nothing after an over-long line can be trusted to be in step. */
  _rp_transport_trace_event (self, "line longer than %" G_GSIZE_FORMAT " bytes refused",
                             self->max_line);
  g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
               _("The server %s sent a line that is too long"), self->label);
  close_connection (self);

  return FALSE;
}

gboolean
rp_transport_read_line_sync (RpTransport   *self,
                             const char   **line,
                             gsize         *length,
                             GCancellable  *cancellable,
                             GError       **error)
{
  return rp_transport_read_line_ending_sync (self, line, length, NULL, cancellable, error);
}

gsize
rp_transport_get_buffered (RpTransport *self)
{
  gsize buffered;

  g_return_val_if_fail (RP_IS_TRANSPORT (self), 0);

  buffered = self->rend - self->rstart;
  if (self->ssl != NULL)
    buffered += SSL_pending (self->ssl);

  return buffered;
}

/**
 * rp_transport_write_sync:
 *
 * The bytes are not traced one by one (they are message data, as after
 * SMTP DATA); the trace records only their count, at the next flush.
 */
gboolean
rp_transport_write_sync (RpTransport   *self,
                         const void    *data,
                         gsize          length,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  self->untraced += length;

  return buffer_bytes (self, data, length, cancellable, error);
}

/**
 * rp_transport_write_line_sync:
 *
 * Refuses a @line that contains CR or LF: a user name or an address with
 * a line break must never become a second command.
 */
gboolean
rp_transport_write_line_sync (RpTransport   *self,
                              const char    *line,
                              const char    *trace_text,
                              gboolean       more,
                              GCancellable  *cancellable,
                              GError       **error)
{
  gsize length;

  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  length = strlen (line);
  if (memchr (line, '\r', length) != NULL || memchr (line, '\n', length) != NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("A command to the server contained a line break"));
      return FALSE;
    }

  if (trace_text != NULL)
    _rp_transport_trace_line (self, 'C', trace_text, strlen (trace_text));
  else
    _rp_transport_trace_line (self, 'C', line, length);

  if (!buffer_bytes (self, line, length, cancellable, error) ||
      !buffer_bytes (self, "\r\n", 2, cancellable, error))
    return FALSE;

  return more || rp_transport_flush_sync (self, cancellable, error);
}

gboolean
rp_transport_flush_sync (RpTransport   *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), FALSE);

  if (!check_connected (self, error))
    return FALSE;

  if (self->untraced > 0)
    {
      g_autofree char *note = g_strdup_printf ("[%" G_GSIZE_FORMAT " bytes of data]",
                                               self->untraced);

      self->untraced = 0;
      _rp_transport_trace_line (self, 'C', note, strlen (note));
    }

  if (self->wlen == 0)
    return TRUE;

  if (!_rp_transport_send (self, self->wbuf, self->wlen, cancellable, error))
    return FALSE;

  self->wlen = 0;

  return TRUE;
}

/**
 * rp_transport_close:
 *
 * Closes the connection without flushing; unsent buffered bytes are
 * dropped. The peer certificate and the trace stay available.
 */
void
rp_transport_close (RpTransport *self)
{
  g_return_if_fail (RP_IS_TRANSPORT (self));

  if (self->connection != NULL)
    {
      _rp_transport_trace_event (self, "closed");
      _rp_transport_trace_flush (self);
    }

  close_connection (self);
}

guint64
rp_transport_get_bytes_read (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), 0);

  return self->bytes_read;
}

guint64
rp_transport_get_bytes_written (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), 0);

  return self->bytes_written;
}
