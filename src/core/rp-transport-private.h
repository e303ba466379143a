/* rp-transport-private.h: the state RpTransport shares between its three
 * files (rp-transport.c: the object, buffers and lines; rp-transport-io.c:
 * waiting, raw I/O and the trace; rp-transport-tls.c: the handshake and
 * the certificate check), and what the tests may inspect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <errno.h>
#include <openssl/types.h>

#include "rp-transport.h"

G_BEGIN_DECLS

struct _RpTransport
{
  GObject            parent_instance;

  /* Configuration: set before connecting, by the thread that owns the
   * transport. */
  char              *host;
  guint16            port;
  char              *label;          /* "host:port", "[v6]:port": for messages */
  guint              timeout;        /* seconds per wait; 0: no limit */
  gsize              max_line;
  char              *ca_file;
  char              *pinned;         /* normalised SHA-256, or NULL */

  /* Connection state: touched only by the thread driving the transport. */
  GSocketConnection *connection;
  int                fd;
  SSL_CTX           *ssl_ctx;
  SSL               *ssl;
  gboolean           tls_broken;     /* no SSL_shutdown after a fatal error */
  RpCertificate     *peer_certificate;
  gboolean           eof;
  gboolean           debug;          /* would g_debug print? cached per connection */

  guint8            *rbuf;
  gsize              rcap;
  gsize              rstart;         /* first unread byte */
  gsize              rend;           /* end of received bytes */
  gsize              rscan;          /* bytes before this hold no '\n' */

  guint8            *wbuf;
  gsize              wlen;
  gsize              untraced;       /* bytes from write_sync not yet traced */

  guint64            bytes_read;
  guint64            bytes_written;

  /* Burst limiting of trace lines, worker thread only. */
  char               burst_dir;
  guint              burst_lines;
  guint              burst_skipped;

  /* The trace, read by other threads through rp_transport_dup_trace(). */
  struct
  {
    GMutex           lock;
    gint             enabled;        /* atomic: read once per line, unlocked */
    GString         *text;
  } trace;
};

/* EAGAIN and EWOULDBLOCK are the same on Linux, but POSIX allows them to
 * differ; comparing with both in one expression trips -Wlogical-op. */
static inline gboolean
_rp_errno_would_block (int error_code)
{
#if EAGAIN != EWOULDBLOCK
  if (error_code == EWOULDBLOCK)
    return TRUE;
#endif
  return error_code == EAGAIN;
}

/* rp-transport-io.c */
void        _rp_transport_trace_line          (RpTransport    *self,
                                               char            direction,
                                               const char     *text,
                                               gsize           length);
void        _rp_transport_trace_event         (RpTransport    *self,
                                               const char     *format,
                                               ...) G_GNUC_PRINTF (2, 3);
void        _rp_transport_trace_flush         (RpTransport    *self);
void        _rp_transport_set_cancelled_error (GError        **error);
gboolean    _rp_transport_check_cancelled     (GCancellable   *cancellable,
                                               GError        **error);
void        _rp_transport_set_ssl_error       (RpTransport    *self,
                                               int             ssl_error,
                                               int             saved_errno,
                                               gboolean        handshake,
                                               GError        **error);
/* @events: POLLIN or POLLOUT */
gboolean    _rp_transport_wait                (RpTransport    *self,
                                               short           events,
                                               GCancellable   *cancellable,
                                               GError        **error);
gssize      _rp_transport_receive             (RpTransport    *self,
                                               guint8         *buffer,
                                               gsize           size,
                                               GCancellable   *cancellable,
                                               GError        **error);
gboolean    _rp_transport_send                (RpTransport    *self,
                                               const guint8   *data,
                                               gsize           length,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* rp-transport-tls.c: the TLS client handshake and certificate check on
 * the connected socket. On failure the caller closes the connection. */
gboolean    _rp_transport_handshake           (RpTransport    *self,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* For tests: the minimum protocol version (TLS1_2_VERSION…) of the
 * current TLS context, or 0 without TLS. */
int         _rp_transport_get_min_tls_version (RpTransport    *self);

G_END_DECLS
