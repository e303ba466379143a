/* rp-transport-io.c
 *
 * The lower half of RpTransport: waiting on the socket and the
 * cancellable, raw and TLS reads and writes, error mapping, and the
 * protocol trace.
 *
 * All I/O is non-blocking underneath: every wait is a poll() on the socket
 * and on the GCancellable's file descriptor, bounded by the timeout. That
 * is what lets a user's "Stop" take effect at once, even in the middle of
 * a TLS record, which a blocking read can never promise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-transport"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "rp-error.h"
#include "rp-transport-private.h"

/* The trace keeps roughly the last TRACE_KEEP bytes; it is trimmed when it
 * reaches twice that, so trimming costs O(1) per byte traced. */
#define TRACE_KEEP            (64 * 1024)
/* Longest line shown in the trace and the debug log. */
#define TRACE_LINE_MAX        512
/* Consecutive lines in one direction that are traced before the rest are
 * only counted; see _rp_transport_trace_line(). */
#define TRACE_BURST_MAX       16

/* Tracing */

static gboolean
trace_is_enabled (RpTransport *self)
{
  return g_atomic_int_get (&self->trace.enabled);
}

static void
trace_emit (RpTransport *self,
            char         direction,
            const char  *text,
            gsize        length)
{
  g_autoptr(GString) line = g_string_sized_new (MIN (length, TRACE_LINE_MAX) + 8);

  /* Control bytes (a NUL in a hostile reply, say) would cut or garble the
   * trace; they become dots. Over-long lines are shortened. */
  g_string_append_c (line, direction);
  g_string_append (line, ": ");
  for (gsize i = 0; i < length && i < TRACE_LINE_MAX; i++)
    {
      guchar c = (guchar) text[i];

      g_string_append_c (line, (c < 0x20 && c != '\t') || c == 0x7f ? '.' : (char) c);
    }
  if (length > TRACE_LINE_MAX)
    g_string_append (line, "…");

  if (self->debug)
    g_debug ("[%s] %s", self->label, line->str);

  g_mutex_lock (&self->trace.lock);
  if (self->trace.enabled)
    {
      g_string_append_len (self->trace.text, line->str, line->len);
      g_string_append_c (self->trace.text, '\n');

      if (self->trace.text->len > 2 * TRACE_KEEP)
        {
          GString *trace = self->trace.text;
          const char *cut = strchr (trace->str + trace->len - TRACE_KEEP, '\n');

          if (cut != NULL)
            g_string_erase (trace, 0, cut + 1 - trace->str);
        }
    }
  g_mutex_unlock (&self->trace.lock);
}

void
_rp_transport_trace_flush (RpTransport *self)
{
  if (self->burst_skipped > 0)
    {
      g_autofree char *note = g_strdup_printf ("[%u more lines]", self->burst_skipped);

      trace_emit (self, self->burst_dir, note, strlen (note));
    }
  self->burst_dir = 0;
  self->burst_lines = 0;
  self->burst_skipped = 0;
}

/* Records one protocol line. Only the first TRACE_BURST_MAX lines of a run
 * in one direction are kept; the rest are counted and summarised when the
 * direction changes. A reply to RETR is one such run, so a 40 MB message
 * costs a counter increment per line instead of a formatted log line, and
 * its body does not end up in the trace or the log. A command and the
 * status line answering it each start a new run, so the dialogue itself
 * is kept; only long pipelined batches are summarised. */
void
_rp_transport_trace_line (RpTransport *self,
                          char         direction,
                          const char  *text,
                          gsize        length)
{
  if (!self->debug && !trace_is_enabled (self))
    return;

  if (direction != self->burst_dir)
    {
      _rp_transport_trace_flush (self);
      self->burst_dir = direction;
    }

  if (self->burst_lines >= TRACE_BURST_MAX)
    {
      self->burst_skipped++;
      return;
    }

  self->burst_lines++;
  trace_emit (self, direction, text, length);
}

void
_rp_transport_trace_event (RpTransport *self,
                           const char  *format,
                           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (!self->debug && !trace_is_enabled (self))
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  _rp_transport_trace_flush (self);
  trace_emit (self, '*', text, strlen (text));
}

/* Errors */

void
_rp_transport_set_cancelled_error (GError **error)
{
  g_set_error_literal (error, RP_ERROR, RP_ERROR_CANCELLED, _("The operation was cancelled"));
}

gboolean
_rp_transport_check_cancelled (GCancellable  *cancellable,
                               GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      _rp_transport_set_cancelled_error (error);
      return FALSE;
    }

  return TRUE;
}

static const char *
ssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;

  return reason != NULL ? reason : "unknown error";
}

/* Turns the outcome of a failed SSL call into an error. @saved_errno is
 * errno right after the call, for SSL_ERROR_SYSCALL. */
void
_rp_transport_set_ssl_error (RpTransport  *self,
                             int           ssl_error,
                             int           saved_errno,
                             gboolean      handshake,
                             GError      **error)
{
  self->tls_broken = TRUE;

  if (ssl_error == SSL_ERROR_SYSCALL && ERR_peek_error () == 0)
    {
      if (saved_errno != 0)
        g_set_error (error, RP_ERROR, handshake ? RP_ERROR_TLS : RP_ERROR_CONNECTION_FAILED,
                     _("The connection to %s failed: %s"), self->label, g_strerror (saved_errno));
      else
        g_set_error (error, RP_ERROR, handshake ? RP_ERROR_TLS : RP_ERROR_CONNECTION_FAILED,
                     _("The server %s closed the connection"), self->label);
      return;
    }

  g_set_error (error, RP_ERROR, RP_ERROR_TLS,
               _("The secure connection to %s failed: %s"), self->label, ssl_reason ());
}

/* Waiting */

/* Waits until the socket is ready for @events, the cancellable fires, or
 * the timeout passes. */
gboolean
_rp_transport_wait (RpTransport   *self,
                    short          events,
                    GCancellable  *cancellable,
                    GError       **error)
{
  struct pollfd fds[2] = { { .fd = self->fd, .events = events } };
  GPollFD cancel_fd = { 0 };
  nfds_t n_fds = 1;
  gint64 deadline = 0;
  int saved_errno = 0;
  int ret;

  if (!_rp_transport_check_cancelled (cancellable, error))
    return FALSE;

  if (g_cancellable_make_pollfd (cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      fds[1].events = POLLIN;
      n_fds = 2;
    }

  if (self->timeout > 0)
    deadline = g_get_monotonic_time () + (gint64) self->timeout * G_USEC_PER_SEC;

  for (;;)
    {
      int timeout_ms = -1;

      if (deadline > 0)
        timeout_ms = (int) MAX (0, (deadline - g_get_monotonic_time () + 999) / 1000);

      ret = poll (fds, n_fds, timeout_ms);
      saved_errno = errno;
      if (ret >= 0 || saved_errno != EINTR)
        break;
    }

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);

  if (!_rp_transport_check_cancelled (cancellable, error))
    return FALSE;

  if (ret == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TIMEOUT,
                   _("The server %s did not answer within %u seconds"),
                   self->label, self->timeout);
      return FALSE;
    }

  if (ret < 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                   _("The connection to %s failed: %s"), self->label, g_strerror (saved_errno));
      return FALSE;
    }

  /* POLLERR and POLLHUP count as ready: the next read or write reports
   * what happened. */
  return TRUE;
}

/* Raw I/O */

/* Reads what is available, waiting if nothing is. Returns the number of
 * bytes, 0 at the end of the stream, or -1 with @error set. */
gssize
_rp_transport_receive (RpTransport   *self,
                       guint8        *buffer,
                       gsize          size,
                       GCancellable  *cancellable,
                       GError       **error)
{
  for (;;)
    {
      if (!_rp_transport_check_cancelled (cancellable, error))
        return -1;

      if (self->ssl != NULL)
        {
          int n, ssl_error, saved_errno;

          /* SSL_read first, poll only when it asks: bytes OpenSSL has
           * already decrypted (SSL_pending) never show up on the socket. */
          ERR_clear_error ();
          errno = 0;
          n = SSL_read (self->ssl, buffer, (int) MIN (size, G_MAXINT));
          saved_errno = errno;
          if (n > 0)
            return n;

          ssl_error = SSL_get_error (self->ssl, n);
          switch (ssl_error)
            {
            case SSL_ERROR_WANT_READ:
              if (!_rp_transport_wait (self, POLLIN, cancellable, error))
                return -1;
              break;
            case SSL_ERROR_WANT_WRITE:
              if (!_rp_transport_wait (self, POLLOUT, cancellable, error))
                return -1;
              break;
            case SSL_ERROR_ZERO_RETURN:
              return 0;
            default:
              _rp_transport_set_ssl_error (self, ssl_error, saved_errno, FALSE, error);
              return -1;
            }
        }
      else
        {
          gssize n = recv (self->fd, buffer, size, 0);

          if (n >= 0)
            return n;

          if (_rp_errno_would_block (errno))
            {
              if (!_rp_transport_wait (self, POLLIN, cancellable, error))
                return -1;
            }
          else if (errno != EINTR)
            {
              int saved_errno = errno;

              g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                           _("The connection to %s failed: %s"),
                           self->label, g_strerror (saved_errno));
              return -1;
            }
        }
    }
}

/* Sends all of @data, waiting as needed. */
gboolean
_rp_transport_send (RpTransport   *self,
                    const guint8  *data,
                    gsize          length,
                    GCancellable  *cancellable,
                    GError       **error)
{
  while (length > 0)
    {
      if (!_rp_transport_check_cancelled (cancellable, error))
        return FALSE;

      if (self->ssl != NULL)
        {
          int n, ssl_error, saved_errno;

          ERR_clear_error ();
          errno = 0;
          n = SSL_write (self->ssl, data, (int) MIN (length, G_MAXINT));
          saved_errno = errno;
          if (n > 0)
            {
              data += n;
              length -= n;
              self->bytes_written += n;
              continue;
            }

          ssl_error = SSL_get_error (self->ssl, n);
          switch (ssl_error)
            {
            case SSL_ERROR_WANT_READ:
              if (!_rp_transport_wait (self, POLLIN, cancellable, error))
                return FALSE;
              break;
            case SSL_ERROR_WANT_WRITE:
              if (!_rp_transport_wait (self, POLLOUT, cancellable, error))
                return FALSE;
              break;
            case SSL_ERROR_ZERO_RETURN:
              g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                           _("The server %s closed the connection"), self->label);
              return FALSE;
            default:
              _rp_transport_set_ssl_error (self, ssl_error, saved_errno, FALSE, error);
              return FALSE;
            }
        }
      else
        {
          /* MSG_NOSIGNAL: a peer that went away must give us EPIPE, not
           * kill the whole application with SIGPIPE. */
          gssize n = send (self->fd, data, length, MSG_NOSIGNAL);

          if (n >= 0)
            {
              data += n;
              length -= n;
              self->bytes_written += n;
            }
          else if (_rp_errno_would_block (errno))
            {
              if (!_rp_transport_wait (self, POLLOUT, cancellable, error))
                return FALSE;
            }
          else if (errno != EINTR)
            {
              int saved_errno = errno;

              g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                           _("The connection to %s failed: %s"),
                           self->label, g_strerror (saved_errno));
              return FALSE;
            }
        }
    }

  return TRUE;
}
