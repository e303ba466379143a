/* rp-pop3.c: the POP3 session: connecting, STLS, capabilities, signing in,
 * single-line commands and QUIT
 *
 * Signing in is in rp-pop3-auth.c, reading and writing commands and
 * replies in rp-pop3-io.c, retrieval (LIST, UIDL, RETR, TOP, pipelined
 * batches) in rp-pop3-fetch.c, reply parsing in rp-pop3-parse.c.
 *
 * A session follows RFC 1939's states: DISCONNECTED → AUTHORIZATION after
 * the greeting (and STLS) → TRANSACTION after a successful login →
 * DISCONNECTED after QUIT. Any failure that may leave the reply stream out
 * of step with the commands (a dropped connection, a timeout, a
 * cancellation, a reply that is not POP3) closes the connection at once:
 * the server then discards all deletions, which is the safe outcome.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-pop3"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-core-enums.h"
#include "rp-macros.h"
#include "rp-pop3-private.h"

G_DEFINE_FINAL_TYPE (RpPop3, rp_pop3, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary methods */

static gboolean
read_capabilities (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RpPop3Reply reply;
  RpPop3Capabilities caps = RP_POP3_CAPABILITY_NONE;
  gboolean done = FALSE;

  if (!_rp_pop3_send (self, "CAPA", NULL, FALSE, cancellable, error))
    return FALSE;
  if (!_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, error))
    return FALSE;

  if (self->apop_timestamp != NULL)
    caps |= RP_POP3_CAPABILITY_APOP;

  /* Servers from before RFC 2449 answer -ERR; they get the RFC 1939
   * commands only, and no STLS. */
  if (reply.status == RP_POP3_REPLY_ERR)
    {
      self->capabilities = caps;
      return TRUE;
    }
  if (reply.status != RP_POP3_REPLY_OK)
    {
      _rp_pop3_protocol_error (self, error, _("an unexpected reply to CAPA"));
      return FALSE;
    }

  caps |= RP_POP3_CAPABILITY_CAPA;
  for (;;)
    {
      const char *line;
      gsize len;

      if (!_rp_pop3_read_multiline_line (self, &line, &len, &done, cancellable, error))
        return FALSE;
      if (done)
        break;
      caps |= _rp_pop3_parse_capa_line (line, len);
    }

  self->capabilities = caps;
  return TRUE;
}

static gboolean
start_tls (RpPop3        *self,
           GCancellable  *cancellable,
           GError       **error)
{
  RpPop3Reply reply;

  /* RFC 2595 lets a client send STLS only when CAPA lists it. Trying it
   * anyway, or falling back to plain text, would let anyone on the path
   * strip the STLS line and read the password. */
  if (!(self->capabilities & RP_POP3_CAPABILITY_STLS))
    {
      rp_pop3_close (self);
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE,
                   _("The server %s does not offer encryption (STLS), so Rapport did not "
                     "send your password. Use the encrypted port (usually 995) if the "
                     "server has one, or ask your provider."),
                   self->host);
      return FALSE;
    }

  if (!_rp_pop3_send (self, "STLS", NULL, FALSE, cancellable, error))
    return FALSE;
  if (!_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, error))
    return FALSE;

  if (reply.status != RP_POP3_REPLY_OK)
    {
      rp_pop3_close (self);
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE,
                   _("The server %s refused to start encryption, so Rapport did not send "
                     "your password. The server replied: “%s”"),
                   self->host, self->last_reply);
      return FALSE;
    }

  /* The transport throws away whatever arrived before the handshake, so a
   * man in the middle cannot queue replies in plain text (CVE-2011-0411). */
  if (!rp_transport_start_tls_sync (self->transport, cancellable, error))
    {
      _rp_pop3_fail (self);
      return FALSE;
    }

  /* RFC 2595 section 4: forget what was learnt in plain text and ask again. */
  self->capabilities = RP_POP3_CAPABILITY_NONE;
  return read_capabilities (self, cancellable, error);
}

/* GObject overrides */

static void
rp_pop3_dispose (GObject *object)
{
  RpPop3 *self = RP_POP3 (object);

  /* Closing without QUIT makes the server forget every DELE of this
   * session, which is what an abandoned session must do. */
  if (self->transport != NULL)
    rp_transport_close (self->transport);
  g_clear_object (&self->transport);

  G_OBJECT_CLASS (rp_pop3_parent_class)->dispose (object);
}

static void
rp_pop3_finalize (GObject *object)
{
  RpPop3 *self = RP_POP3 (object);

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->apop_timestamp, g_free);
  g_clear_pointer (&self->last_reply, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->sizes, g_array_unref);

  G_OBJECT_CLASS (rp_pop3_parent_class)->finalize (object);
}

static void
rp_pop3_constructed (GObject *object)
{
  RpPop3 *self = RP_POP3 (object);

  G_OBJECT_CLASS (rp_pop3_parent_class)->constructed (object);

  self->transport = rp_transport_new (self->host, self->port);
}

static void
rp_pop3_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RpPop3 *self = RP_POP3 (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_pop3_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RpPop3 *self = RP_POP3 (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = (guint16) g_value_get_uint (value);
      break;
    case PROP_SECURITY:
      self->security = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_pop3_class_init (RpPop3Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rp_pop3_constructed;
  object_class->dispose = rp_pop3_dispose;
  object_class->finalize = rp_pop3_finalize;
  object_class->get_property = rp_pop3_get_property;
  object_class->set_property = rp_pop3_set_property;

  /**
   * RpPop3:host:
   *
   * The server's host name or address.
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RpPop3:port:
   *
   * The server's TCP port (995 for implicit TLS, 110 otherwise).
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, 995,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RpPop3:security:
   *
   * How the connection is protected.
   */
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL, RP_TYPE_SECURITY, RP_SECURITY_TLS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rp_pop3_init (RpPop3 *self)
{
  self->state = RP_POP3_STATE_DISCONNECTED;
  self->auth_method = RP_POP3_AUTH_AUTO;
}

/* Public API */

/**
 * rp_pop3_new:
 * @host: the server's host name or address
 * @port: the TCP port
 * @security: how to protect the connection
 *
 * Creates a session; nothing happens on the network before
 * rp_pop3_connect_sync(). A session object serves one connection: connect
 * again only after rp_pop3_quit_sync() or rp_pop3_close().
 *
 * Returns: (transfer full): a new #RpPop3
 */
RpPop3 *
rp_pop3_new (const char *host,
             guint16     port,
             RpSecurity  security)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  return g_object_new (RP_TYPE_POP3,
                       "host", host,
                       "port", (guint) port,
                       "security", security,
                       NULL);
}

/**
 * rp_pop3_get_host:
 * @self: a #RpPop3
 *
 * Returns: the server's host name
 */
const char *
rp_pop3_get_host (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), NULL);

  return self->host;
}

/**
 * rp_pop3_get_port:
 * @self: a #RpPop3
 *
 * Returns: the server's port
 */
guint16
rp_pop3_get_port (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), 0);

  return self->port;
}

/**
 * rp_pop3_get_security:
 * @self: a #RpPop3
 *
 * Returns: how the connection is protected
 */
RpSecurity
rp_pop3_get_security (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), RP_SECURITY_TLS);

  return self->security;
}

/**
 * rp_pop3_set_timeout:
 * @self: a #RpPop3
 * @seconds: the longest wait for any single read, write or connect
 *
 * Sets the network timeout (default %RP_TRANSPORT_DEFAULT_TIMEOUT).
 */
void
rp_pop3_set_timeout (RpPop3 *self,
                     guint   seconds)
{
  g_return_if_fail (RP_IS_POP3 (self));

  rp_transport_set_timeout (self->transport, seconds);
}

/**
 * rp_pop3_set_ca_file:
 * @self: a #RpPop3
 * @pem_path: (nullable): a PEM file of extra trusted CAs
 *
 * Trusts a company CA (or the test CA) for this session, in addition to
 * the system's.
 */
void
rp_pop3_set_ca_file (RpPop3     *self,
                     const char *pem_path)
{
  g_return_if_fail (RP_IS_POP3 (self));

  rp_transport_set_ca_file (self->transport, pem_path);
}

/**
 * rp_pop3_set_pinned_fingerprint:
 * @self: a #RpPop3
 * @sha256: (nullable): a certificate's SHA-256 fingerprint the user accepted
 *
 * Accepts that one certificate even if verification fails.
 */
void
rp_pop3_set_pinned_fingerprint (RpPop3     *self,
                                const char *sha256)
{
  g_return_if_fail (RP_IS_POP3 (self));

  rp_transport_set_pinned_fingerprint (self->transport, sha256);
}

/**
 * rp_pop3_set_trace_enabled:
 * @self: a #RpPop3
 * @enabled: whether to record the protocol exchange
 *
 * Records what is sent and received, passwords masked, for the account's
 * "connection log". Off by default.
 */
void
rp_pop3_set_trace_enabled (RpPop3   *self,
                           gboolean  enabled)
{
  g_return_if_fail (RP_IS_POP3 (self));

  rp_transport_set_trace_enabled (self->transport, enabled);
}

/**
 * rp_pop3_dup_trace:
 * @self: a #RpPop3
 *
 * Returns: (transfer full) (nullable): the protocol trace so far
 */
char *
rp_pop3_dup_trace (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), NULL);

  return rp_transport_dup_trace (self->transport);
}

/**
 * rp_pop3_get_transport:
 * @self: a #RpPop3
 *
 * The connection underneath, for its peer certificate after an
 * %RP_ERROR_TLS_CERTIFICATE error and for byte counts.
 *
 * Returns: (transfer none): the transport
 */
RpTransport *
rp_pop3_get_transport (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), NULL);

  return self->transport;
}

/**
 * rp_pop3_get_capabilities:
 * @self: a #RpPop3
 *
 * Returns: what the server announced in the current security state
 */
RpPop3Capabilities
rp_pop3_get_capabilities (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), RP_POP3_CAPABILITY_NONE);

  return self->capabilities;
}

/**
 * rp_pop3_get_auth_method:
 * @self: a #RpPop3
 *
 * Returns: the method of the last successful login, %RP_POP3_AUTH_AUTO
 *   before one
 */
RpPop3AuthMethod
rp_pop3_get_auth_method (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), RP_POP3_AUTH_AUTO);

  return self->auth_method;
}

/**
 * rp_pop3_get_last_reply:
 * @self: a #RpPop3
 *
 * The server's last status line, made printable, for a "details" view.
 * It never contains the password: Rapport sends it only inside commands,
 * and replies are the server's.
 *
 * Returns: (nullable): the last reply
 */
const char *
rp_pop3_get_last_reply (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), NULL);

  return self->last_reply;
}

/**
 * rp_pop3_is_connected:
 * @self: a #RpPop3
 *
 * Returns: %TRUE between a successful connect and QUIT or an error that
 *   closed the connection
 */
gboolean
rp_pop3_is_connected (RpPop3 *self)
{
  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);

  return self->state != RP_POP3_STATE_DISCONNECTED &&
         rp_transport_is_connected (self->transport);
}

/**
 * rp_pop3_connect_sync:
 * @self: a disconnected #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, verifies the certificate, reads the greeting and the
 * capabilities, and with %RP_SECURITY_STARTTLS upgrades with STLS and reads
 * the capabilities again. When STARTTLS was asked for and the server does
 * not offer STLS, fails with %RP_ERROR_TLS_UNAVAILABLE and never falls back
 * to plain text.
 *
 * Returns: %TRUE when the session is ready for rp_pop3_login_sync()
 */
gboolean
rp_pop3_connect_sync (RpPop3        *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  RpPop3Reply reply;
  const char *text;
  gsize text_len;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (self->state == RP_POP3_STATE_DISCONNECTED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->capabilities = RP_POP3_CAPABILITY_NONE;
  self->auth_method = RP_POP3_AUTH_AUTO;
  g_clear_pointer (&self->apop_timestamp, g_free);
  g_clear_pointer (&self->last_reply, g_free);
  g_clear_pointer (&self->sizes, g_array_unref);

  if (!rp_transport_connect_sync (self->transport, self->security == RP_SECURITY_TLS,
                                  cancellable, error))
    {
      _rp_pop3_fail (self);
      RP_RETURN (FALSE);
    }
  self->state = RP_POP3_STATE_AUTHORIZATION;

  if (!_rp_pop3_read_reply (self, &reply, &text, &text_len, cancellable, error))
    RP_RETURN (FALSE);

  if (reply.status != RP_POP3_REPLY_OK)
    {
      if (reply.status == RP_POP3_REPLY_ERR)
        _rp_pop3_set_reply_error (self, NULL, FALSE, error);
      else
        _rp_pop3_protocol_error (self, error, _("a reply that is not POP3"));
      _rp_pop3_fail (self);
      RP_RETURN (FALSE);
    }

  self->apop_timestamp = _rp_pop3_parse_apop_timestamp (text, text_len);

  if (!read_capabilities (self, cancellable, error))
    RP_RETURN (FALSE);

  if (self->security == RP_SECURITY_STARTTLS && !start_tls (self, cancellable, error))
    RP_RETURN (FALSE);

  RP_RETURN (TRUE);
}

/**
 * rp_pop3_dele_sync:
 * @self: a signed-in #RpPop3
 * @msgno: the message number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Marks a message for deletion. The server deletes it only when
 * rp_pop3_quit_sync() succeeds; RSET, a dropped connection or
 * rp_pop3_close() undo the mark.
 *
 * Returns: %TRUE if the server accepted the mark
 */
gboolean
rp_pop3_dele_sync (RpPop3        *self,
                   guint          msgno,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return rp_pop3_dele_many_sync (self, &msgno, 1, cancellable, error);
}

/**
 * rp_pop3_rset_sync:
 * @self: a signed-in #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes every deletion mark of this session.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_pop3_rset_sync (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);

  return _rp_pop3_check_transaction (self, error) &&
         _rp_pop3_send (self, "RSET", NULL, FALSE, cancellable, error) &&
         _rp_pop3_read_ok (self, "RSET", FALSE, NULL, NULL, cancellable, error);
}

/**
 * rp_pop3_noop_sync:
 * @self: a signed-in #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Keeps the session alive, or checks that it still is.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_pop3_noop_sync (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);

  return _rp_pop3_check_transaction (self, error) &&
         _rp_pop3_send (self, "NOOP", NULL, FALSE, cancellable, error) &&
         _rp_pop3_read_ok (self, "NOOP", FALSE, NULL, NULL, cancellable, error);
}

/**
 * rp_pop3_quit_sync:
 * @self: a connected #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends the session. Only now does the server delete the messages marked
 * with DELE (RFC 1939's UPDATE state). A -ERR means some of them may not
 * have been deleted; a connection lost while waiting for the reply means
 * the caller cannot know, and should look at the next UIDL.
 *
 * Returns: %TRUE if the server confirmed
 */
gboolean
rp_pop3_quit_sync (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RpPop3Reply reply;
  gboolean in_transaction;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_rp_pop3_check_connected (self, error))
    RP_RETURN (FALSE);

  in_transaction = self->state == RP_POP3_STATE_TRANSACTION;
  if (!_rp_pop3_send (self, "QUIT", NULL, FALSE, cancellable, error) ||
      !_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, error))
    RP_RETURN (FALSE);

  rp_pop3_close (self);

  if (reply.status == RP_POP3_REPLY_OK)
    RP_RETURN (TRUE);

  if (reply.status != RP_POP3_REPLY_ERR)
    {
      _rp_pop3_protocol_error (self, error, _("a reply that is not POP3"));
      RP_RETURN (FALSE);
    }

  if (in_transaction)
    {
      RpPop3Reply parsed;
      const char *last = self->last_reply;
      RpErrorCode code;

      _rp_pop3_parse_status_line (last, strlen (last), &parsed);
      code = _rp_pop3_classify_error (last, strlen (last), &parsed, FALSE);
      g_set_error (error, RP_ERROR, code,
                   _("The server %s could not delete the messages marked for deletion; "
                     "they may still be on the server. The server replied: “%s”"),
                   self->host, last);
    }
  else
    {
      _rp_pop3_set_reply_error (self, "QUIT", FALSE, error);
    }

  RP_RETURN (FALSE);
}

/**
 * rp_pop3_close:
 * @self: a #RpPop3
 *
 * Drops the connection without QUIT: the server keeps every message,
 * including those marked for deletion in this session.
 */
void
rp_pop3_close (RpPop3 *self)
{
  g_return_if_fail (RP_IS_POP3 (self));

  rp_transport_close (self->transport);
  self->state = RP_POP3_STATE_DISCONNECTED;
}
