/* rp-smtp.c: an SMTP submission client
 *
 * RFC 5321 (SMTP), 3207 (STARTTLS), 4954 (AUTH), 2920 (PIPELINING),
 * 1870 (SIZE), 6152 (8BITMIME), 6531 (SMTPUTF8), 3463 (enhanced status
 * codes) and 8314 (implicit TLS on port 465).
 *
 * This file holds the object, the connection (greeting, EHLO, STARTTLS)
 * and the helpers every command uses. Authentication is in
 * rp-smtp-auth.c, the mail transaction in rp-smtp-send.c, and the parsing,
 * which tests reach without a network, in rp-smtp-parse.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-smtp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-macros.h"
#include "rp-smtp-private.h"

G_DEFINE_FINAL_TYPE (RpSmtp, rp_smtp, G_TYPE_OBJECT)

/* Auxiliary methods */

/* A host name is a fine EHLO argument only if it is a syntactically valid
 * fully qualified domain name; strict servers refuse a bare "laptop"
 * (Postfix's reject_non_fqdn_helo_hostname). The address literal
 * "[127.0.0.1]" always satisfies the syntax and tells nothing about the
 * machine, which is what Thunderbird also falls back to. */
static char *
default_ehlo_name (void)
{
  const char *name = g_get_host_name ();
  gsize length = strlen (name);
  gboolean has_dot = FALSE;
  char previous = '.';

  if (length == 0 || length > 253)
    return g_strdup ("[127.0.0.1]");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (previous == '.' || previous == '-')
            return g_strdup ("[127.0.0.1]");
          has_dot = TRUE;
        }
      else if (*p == '-')
        {
          if (previous == '.')
            return g_strdup ("[127.0.0.1]");
        }
      else if (!g_ascii_isalnum (*p))
        return g_strdup ("[127.0.0.1]");
      previous = *p;
    }

  if (!has_dot || previous == '.' || previous == '-')
    return g_strdup ("[127.0.0.1]");

  return g_ascii_strdown (name, -1);
}

static gboolean
ehlo (RpSmtp        *self,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autofree char *line = g_strdup_printf ("EHLO %s", self->ehlo_name);
  g_autofree char *what = NULL;

  memset (&self->caps, 0, sizeof self->caps);

  if (!_rp_smtp_command (self, line, NULL, cancellable, error))
    return FALSE;

  if (self->reply->code == 250)
    {
      _rp_smtp_caps_parse_reply (&self->caps, self->reply);
      return TRUE;
    }

  /* A server from before RFC 1869 does not know EHLO; it gets HELO and is
   * then assumed to have no extensions at all. */
  if (self->reply->code == 500 || self->reply->code == 502)
    {
      g_clear_pointer (&line, g_free);
      line = g_strdup_printf ("HELO %s", self->ehlo_name);
      if (!_rp_smtp_command (self, line, NULL, cancellable, error))
        return FALSE;
      if (self->reply->code == 250)
        return TRUE;
    }

  what = g_strdup_printf (_("The server %s refused the greeting of this computer."), self->host);
  _rp_smtp_set_reply_error (self, error, what);
  return FALSE;
}

static gboolean
start_tls (RpSmtp        *self,
           GCancellable  *cancellable,
           GError       **error)
{
  /* RFC 3207 §4: never fall back to plain text. A server that does not
   * offer STARTTLS, or a man in the middle who stripped it, gets the same
   * answer: no connection. */
  if (!(self->caps.flags & RP_SMTP_CAP_STARTTLS))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE,
                   _("The server %s does not offer encryption (STARTTLS). Rapport does not "
                     "send the password or messages unencrypted; choose another port or "
                     "encryption setting."),
                   self->host);
      return FALSE;
    }

  if (!_rp_smtp_command (self, "STARTTLS", NULL, cancellable, error))
    return FALSE;

  if (self->reply->code != 220)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s could not start encryption."),
                                               self->host);
      g_autoptr(GError) local_error = NULL;

      /* A 454 is a passing problem worth retrying; anything else means
       * this server will not encrypt. */
      _rp_smtp_set_reply_error (self, &local_error, what);
      if (local_error->code != RP_ERROR_SERVER_TEMPORARY)
        local_error->code = RP_ERROR_TLS_UNAVAILABLE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The transport drops whatever arrived with the 220 before the
   * handshake, so injected plaintext never reaches _rp_smtp_read_reply(). */
  if (!rp_transport_start_tls_sync (self->transport, cancellable, error))
    return FALSE;

  /* RFC 3207 §4.2: forget everything learnt before TLS and ask again. */
  return ehlo (self, cancellable, error);
}

/* Internal API, for rp-smtp-auth.c and rp-smtp-send.c */

/* After a failed read or write (a timeout, a cancellation, a malformed
 * reply) nobody knows how much of a command or reply got through, and a
 * late reply would be taken for the answer to the next command. The
 * connection is closed so that it cannot be used out of step. */
gboolean
_rp_smtp_io_failed (RpSmtp *self)
{
  rp_transport_close (self->transport);
  return FALSE;
}

gboolean
_rp_smtp_read_reply (RpSmtp        *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  _rp_smtp_reply_clear (self->reply);

  while (!self->reply->complete)
    {
      const char *line = NULL;
      gsize length = 0;

      if (!rp_transport_read_line_sync (self->transport, &line, &length, cancellable, error)
          || !_rp_smtp_reply_add_line (self->reply, line, length, error))
        return _rp_smtp_io_failed (self);
    }

  return TRUE;
}

gboolean
_rp_smtp_write_line (RpSmtp        *self,
                     const char    *line,
                     const char    *trace_text,
                     gboolean       more,
                     GCancellable  *cancellable,
                     GError       **error)
{
  if (!rp_transport_write_line_sync (self->transport, line, trace_text, more, cancellable, error))
    return _rp_smtp_io_failed (self);

  return TRUE;
}

gboolean
_rp_smtp_command (RpSmtp        *self,
                  const char    *line,
                  const char    *trace_text,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return _rp_smtp_write_line (self, line, trace_text, FALSE, cancellable, error)
         && _rp_smtp_read_reply (self, cancellable, error);
}

gboolean
_rp_smtp_reply_is_positive (RpSmtp *self)
{
  return self->reply->code >= 200 && self->reply->code < 300;
}

/* Sets @error from the last reply: 4xx means try again later, 5xx means
 * the server will not do it, anything else is a reply that makes no sense
 * at this point. @what says what failed, in a translated sentence. */
void
_rp_smtp_set_reply_error (RpSmtp      *self,
                          GError     **error,
                          const char  *what)
{
  g_autofree char *said = _rp_smtp_reply_to_string (self->reply);
  guint code = self->reply->code;
  RpErrorCode error_code;

  if (code >= 400 && code < 500)
    error_code = RP_ERROR_SERVER_TEMPORARY;
  else if (code >= 500 && code < 600)
    error_code = RP_ERROR_SERVER_PERMANENT;
  else
    error_code = RP_ERROR_PROTOCOL;

  /* Translators: the first %s is a sentence saying what failed, the
   * second the server's reply, as it sent it. */
  g_set_error (error, RP_ERROR, error_code, _("%s The server said: “%s”"), what, said);
}

/* Overrides */

static void
rp_smtp_dispose (GObject *object)
{
  RpSmtp *self = (RpSmtp *) object;

  if (self->transport != NULL)
    rp_transport_close (self->transport);

  G_OBJECT_CLASS (rp_smtp_parent_class)->dispose (object);
}

static void
rp_smtp_finalize (GObject *object)
{
  RpSmtp *self = (RpSmtp *) object;

  g_clear_object (&self->transport);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ehlo_name, g_free);
  g_clear_pointer (&self->reply, _rp_smtp_reply_free);

  G_OBJECT_CLASS (rp_smtp_parent_class)->finalize (object);
}

static void
rp_smtp_class_init (RpSmtpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rp_smtp_dispose;
  object_class->finalize = rp_smtp_finalize;
}

static void
rp_smtp_init (RpSmtp *self)
{
  self->ehlo_name = default_ehlo_name ();
  self->reply = _rp_smtp_reply_new ();
}

/* Public API */

/**
 * rp_smtp_new:
 * @host: the server's host name or address
 * @port: its port (587 for STARTTLS, 465 for implicit TLS)
 * @security: how to encrypt
 *
 * Returns: (transfer full): a new, unconnected client
 */
RpSmtp *
rp_smtp_new (const char *host,
             guint16     port,
             RpSecurity  security)
{
  RpSmtp *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (security <= RP_SECURITY_NONE, NULL);

  self = g_object_new (RP_TYPE_SMTP, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  self->transport = rp_transport_new (host, port);
  rp_transport_set_max_line_length (self->transport, RP_SMTP_MAX_REPLY_LINE);

  return self;
}

const char *
rp_smtp_get_host (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), NULL);

  return self->host;
}

guint16
rp_smtp_get_port (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), 0);

  return self->port;
}

RpSecurity
rp_smtp_get_security (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), RP_SECURITY_TLS);

  return self->security;
}

/**
 * rp_smtp_get_transport:
 * @self: a #RpSmtp
 *
 * Returns: (transfer none): the connection, for its trace, peer
 *   certificate and statistics
 */
RpTransport *
rp_smtp_get_transport (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), NULL);

  return self->transport;
}

void
rp_smtp_set_ca_file (RpSmtp     *self,
                     const char *pem_path)
{
  g_return_if_fail (RP_IS_SMTP (self));

  rp_transport_set_ca_file (self->transport, pem_path);
}

void
rp_smtp_set_pinned_fingerprint (RpSmtp     *self,
                                const char *sha256)
{
  g_return_if_fail (RP_IS_SMTP (self));

  rp_transport_set_pinned_fingerprint (self->transport, sha256);
}

void
rp_smtp_set_timeout (RpSmtp *self,
                     guint   seconds)
{
  g_return_if_fail (RP_IS_SMTP (self));

  rp_transport_set_timeout (self->transport, seconds);
}

void
rp_smtp_set_trace_enabled (RpSmtp   *self,
                           gboolean  enabled)
{
  g_return_if_fail (RP_IS_SMTP (self));

  rp_transport_set_trace_enabled (self->transport, enabled);
}

/**
 * rp_smtp_set_ehlo_name:
 * @self: a #RpSmtp
 * @name: (nullable): the domain or address literal to greet with, or
 *   %NULL for the default
 *
 * The default is this machine's host name if it is a fully qualified
 * domain name, and the address literal "[127.0.0.1]" otherwise.
 */
void
rp_smtp_set_ehlo_name (RpSmtp     *self,
                       const char *name)
{
  g_return_if_fail (RP_IS_SMTP (self));
  g_return_if_fail (name == NULL || (*name != '\0' && strpbrk (name, " \r\n") == NULL));

  g_free (self->ehlo_name);
  self->ehlo_name = name != NULL ? g_strdup (name) : default_ehlo_name ();
}

const char *
rp_smtp_get_ehlo_name (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), NULL);

  return self->ehlo_name;
}

RpSmtpCapabilities
rp_smtp_get_capabilities (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), RP_SMTP_CAP_NONE);

  return self->caps.flags;
}

RpSmtpAuthMechanisms
rp_smtp_get_auth_mechanisms (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), RP_SMTP_AUTH_MECH_NONE);

  return self->caps.auth;
}

/**
 * rp_smtp_get_size_limit:
 * @self: a #RpSmtp
 *
 * Returns: the largest message the server accepts, in bytes, or 0 if it
 *   announced no limit
 */
guint64
rp_smtp_get_size_limit (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), 0);

  return self->caps.size_limit;
}

/**
 * rp_smtp_dup_last_reply:
 * @self: a #RpSmtp
 *
 * Returns: (transfer full) (nullable): the last reply as the server sent
 *   it, for a details view, or %NULL before the first reply
 */
char *
rp_smtp_dup_last_reply (RpSmtp *self)
{
  g_return_val_if_fail (RP_IS_SMTP (self), NULL);

  if (self->reply->code == 0)
    return NULL;

  return _rp_smtp_reply_to_string (self->reply);
}

/**
 * rp_smtp_connect_sync:
 * @self: a #RpSmtp
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Connects, reads the greeting, says EHLO (HELO if the server does not
 * know EHLO) and, for %RP_SECURITY_STARTTLS, upgrades to TLS and says EHLO
 * again. A server that does not offer STARTTLS then fails with
 * %RP_ERROR_TLS_UNAVAILABLE; there is no fall-back to plain text.
 *
 * Returns: %TRUE when the server is ready for AUTH or a message
 */
gboolean
rp_smtp_connect_sync (RpSmtp        *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  RP_ENTRY;

  g_return_val_if_fail (RP_IS_SMTP (self), FALSE);
  g_return_val_if_fail (!self->greeted, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!rp_transport_connect_sync (self->transport, self->security == RP_SECURITY_TLS,
                                  cancellable, error))
    RP_RETURN (FALSE);

  if (!_rp_smtp_read_reply (self, cancellable, error))
    goto failed;

  if (self->reply->code != 220)
    {
      g_autofree char *what = NULL;
      g_autoptr(GError) quit_error = NULL;

      /* 554 instead of 220 is a server refusing this client for good
       * (RFC 5321 §3.1), 421 one that is busy now; either waits for QUIT. */
      what = g_strdup_printf (_("The server %s does not accept connections from this computer."),
                              self->host);
      _rp_smtp_set_reply_error (self, error, what);
      _rp_smtp_command (self, "QUIT", NULL, cancellable, &quit_error);
      goto failed;
    }

  if (!ehlo (self, cancellable, error))
    goto failed;

  if (self->security == RP_SECURITY_STARTTLS && !start_tls (self, cancellable, error))
    goto failed;

  self->greeted = TRUE;
  RP_RETURN (TRUE);

failed:
  /* Half a session is of no use; the server sees the end at once rather
   * than when the object goes away. */
  rp_transport_close (self->transport);
  RP_RETURN (FALSE);
}

/**
 * rp_smtp_quit_sync:
 * @self: a #RpSmtp
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Says QUIT and closes the connection, which is closed even on failure.
 *
 * Returns: %TRUE if the server acknowledged
 */
gboolean
rp_smtp_quit_sync (RpSmtp        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (RP_IS_SMTP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!rp_transport_is_connected (self->transport))
    return TRUE;

  ok = _rp_smtp_command (self, "QUIT", NULL, cancellable, error);
  rp_transport_close (self->transport);
  self->greeted = FALSE;

  return ok;
}
