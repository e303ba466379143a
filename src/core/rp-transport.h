/* rp-transport.h: a TCP connection with optional TLS (OpenSSL 3), and a
 * buffered line reader, for POP3 and SMTP
 *
 * Every call blocks the calling (worker) thread, honours the timeout set with
 * rp_transport_set_timeout() for each read, write and connect, and returns
 * within a second once its GCancellable is cancelled, with RP_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-certificate.h"

G_BEGIN_DECLS

/**
 * RpSecurity:
 * @RP_SECURITY_TLS: implicit TLS from the first byte (POP3S 995, SMTPS 465)
 * @RP_SECURITY_STARTTLS: plain text, upgraded with STLS / STARTTLS; refused
 *   if the server does not offer it
 * @RP_SECURITY_NONE: plain text; only after the user confirmed it
 *
 * PERSISTED: never renumber.
 */
typedef enum
{
  RP_SECURITY_TLS      = 0,
  RP_SECURITY_STARTTLS = 1,
  RP_SECURITY_NONE     = 2,
} RpSecurity;

#define RP_TRANSPORT_DEFAULT_TIMEOUT 60
/* The longest line read_line accepts unless told otherwise: far beyond
 * RFC 5322's 998 octets, because real mail breaks that rule. */
#define RP_TRANSPORT_DEFAULT_MAX_LINE (64 * 1024 * 1024)

#define RP_TYPE_TRANSPORT (rp_transport_get_type ())

G_DECLARE_FINAL_TYPE (RpTransport, rp_transport, RP, TRANSPORT, GObject)

RpTransport   *rp_transport_new                     (const char    *host,
                                                     guint16        port) G_GNUC_WARN_UNUSED_RESULT;
const char    *rp_transport_get_host                (RpTransport   *self);
guint16        rp_transport_get_port                (RpTransport   *self);

/* Configuration, before connecting. A timeout of 0 waits forever. */
void           rp_transport_set_timeout             (RpTransport   *self,
                                                     guint          seconds);
void           rp_transport_set_max_line_length     (RpTransport   *self,
                                                     gsize          max_line);
/* Trust this CA (PEM file) in addition to the system store, for this
 * transport only: company CAs, and the test CA. */
void           rp_transport_set_ca_file             (RpTransport   *self,
                                                     const char    *pem_path);
/* Accept a certificate whose SHA-256 fingerprint equals @sha256 even if
 * verification fails; any other certificate is still verified normally. */
void           rp_transport_set_pinned_fingerprint  (RpTransport   *self,
                                                     const char    *sha256);
/* Keep a protocol trace (off by default); secrets are masked. */
void           rp_transport_set_trace_enabled       (RpTransport   *self,
                                                     gboolean       enabled);
char          *rp_transport_dup_trace               (RpTransport   *self) G_GNUC_WARN_UNUSED_RESULT;

/* Connects TCP (IPv4 or IPv6); with @implicit_tls also does the TLS handshake. */
gboolean       rp_transport_connect_sync            (RpTransport   *self,
                                                     gboolean       implicit_tls,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* Upgrades a plain connection to TLS (after STLS / STARTTLS was accepted).
 * Any bytes the server sent before the handshake are discarded: a
 * man in the middle cannot inject commands (CVE-2011-0411). */
gboolean       rp_transport_start_tls_sync          (RpTransport   *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
gboolean       rp_transport_is_tls                  (RpTransport   *self);
/* The negotiated protocol ("TLSv1.3"), or NULL without TLS. */
const char    *rp_transport_get_tls_version         (RpTransport   *self);
gboolean       rp_transport_is_connected            (RpTransport   *self);
/* The peer's leaf certificate after a handshake, successful or refused
 * (then its problem says why). */
RpCertificate *rp_transport_get_peer_certificate    (RpTransport   *self);

/* Reads one line; *line points into the transport's buffer and stays valid
 * until the next read. The line ending (CRLF or bare LF) is stripped; the
 * line may contain NUL bytes, so use *length (a NUL always follows the
 * line, so it is also a C string). A last line without an ending before
 * the peer closes is returned as is; after that, reading fails with
 * RP_ERROR_CONNECTION_FAILED. A line longer than the maximum fails with
 * RP_ERROR_PROTOCOL and closes the connection. */
gboolean       rp_transport_read_line_sync          (RpTransport   *self,
                                                     const char   **line,
                                                     gsize         *length,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* The same, with the length of the line's ending: 2 (CRLF), 1 (LF) or 0
 * (a last line cut off by the peer closing the connection). */
gboolean       rp_transport_read_line_ending_sync   (RpTransport   *self,
                                                     const char   **line,
                                                     gsize         *length,
                                                     guint         *ending,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* Number of bytes already received and buffered, not yet returned. */
gsize          rp_transport_get_buffered            (RpTransport   *self);

/* Writes @length bytes (buffered until flush or until the buffer fills).
 * The trace shows only their count, as for message data. */
gboolean       rp_transport_write_sync              (RpTransport   *self,
                                                     const void    *data,
                                                     gsize          length,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
/* Writes @line plus CRLF and flushes unless @more is set; a @line with CR
 * or LF in it is refused (RP_ERROR_INVALID_ARGUMENT). @trace_text,
 * if not NULL, is what the trace and debug log show instead of @line: pass
 * "PASS ********" for a password. */
gboolean       rp_transport_write_line_sync         (RpTransport   *self,
                                                     const char    *line,
                                                     const char    *trace_text,
                                                     gboolean       more,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
gboolean       rp_transport_flush_sync              (RpTransport   *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
void           rp_transport_close                   (RpTransport   *self);

/* Statistics, for progress and benchmarks. */
guint64        rp_transport_get_bytes_read          (RpTransport   *self);
guint64        rp_transport_get_bytes_written       (RpTransport   *self);

G_END_DECLS
