/* rp-smtp-auth.c: SMTP AUTH (RFC 4954) with PLAIN, LOGIN and CRAM-MD5
 *
 * Passwords and everything derived from them go to the server only; the
 * trace sees "********" in their place, and error messages never hold them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-smtp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-macros.h"
#include "rp-quirks.h"
#include "rp-smtp-private.h"

/* Auxiliary methods */

/* Maps the final reply of a failed AUTH to an error a user can act on. */
static void
set_auth_error (RpSmtp  *self,
                GError **error)
{
  g_autofree char *said = _rp_smtp_reply_to_string (self->reply);
  g_autofree char *text = _rp_smtp_reply_dup_text (self->reply);
  g_autofree char *advice = NULL;
  guint code = self->reply->code;
  RpAuthQuirk quirk;

  if (code >= 400 && code < 500)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY,
                   _("The server %s cannot check the password right now; Rapport will try "
                     "again later. The server said: “%s”"),
                   self->host, said);
      return;
    }

  quirk = rp_quirks_match_smtp_auth_failure (code, self->reply->enhanced, text);
  advice = rp_quirks_describe_auth_failure (quirk, self->host);
  if (advice != NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED,
                   _("%s The server said: “%s”"), advice, said);
      return;
    }

  g_set_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED,
               _("The server %s did not accept the user name or password. Check the "
                 "password, and whether the server wants the full email address as the "
                 "user name. The server said: “%s”"),
               self->host, said);
}

/* Reads the reply to a step of a SASL exchange; a 334 is a challenge,
 * anything else ends the exchange. */
static gboolean
sasl_step (RpSmtp        *self,
           const char    *line,
           const char    *trace_text,
           gboolean      *challenged,
           GCancellable  *cancellable,
           GError       **error)
{
  if (!_rp_smtp_command (self, line, trace_text, cancellable, error))
    return FALSE;

  *challenged = self->reply->code == 334;
  return TRUE;
}

static const char *
challenge_text (RpSmtp *self)
{
  /* A 334 line carries only base64, which never looks like an enhanced
   * status code, so the parser left it whole. */
  if (self->reply->lines->len == 0)
    return "";
  return g_ptr_array_index (self->reply->lines, 0);
}

static gboolean
auth_plain (RpSmtp        *self,
            const char    *user,
            const char    *password,
            gboolean      *challenged,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize user_length = strlen (user);
  gsize password_length = strlen (password);
  gsize length = user_length + password_length + 2;
  g_autofree guchar *message = g_malloc (length);
  g_autofree char *encoded = NULL;
  g_autofree char *line = NULL;
  gboolean ok;

  /* RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid. */
  message[0] = '\0';
  memcpy (message + 1, user, user_length);
  message[1 + user_length] = '\0';
  memcpy (message + 2 + user_length, password, password_length);

  encoded = g_base64_encode (message, length);
  line = g_strconcat ("AUTH PLAIN ", encoded, NULL);
  ok = sasl_step (self, line, "AUTH PLAIN ********", challenged, cancellable, error);

  memset (message, 0, length);
  memset (encoded, 0, strlen (encoded));
  memset (line, 0, strlen (line));
  return ok;
}

static gboolean
auth_login (RpSmtp        *self,
            const char    *user,
            const char    *password,
            gboolean      *challenged,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *encoded_user = g_base64_encode ((const guchar *) user, strlen (user));
  g_autofree char *encoded_password = NULL;
  gboolean ok;

  if (!sasl_step (self, "AUTH LOGIN", NULL, challenged, cancellable, error))
    return FALSE;
  if (!*challenged)
    return TRUE;

  if (!sasl_step (self, encoded_user, NULL, challenged, cancellable, error))
    return FALSE;
  if (!*challenged)
    return TRUE;

  encoded_password = g_base64_encode ((const guchar *) password, strlen (password));
  ok = sasl_step (self, encoded_password, "********", challenged, cancellable, error);
  memset (encoded_password, 0, strlen (encoded_password));
  return ok;
}

static gboolean
auth_cram_md5 (RpSmtp        *self,
               const char    *user,
               const char    *password,
               gboolean      *challenged,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree guchar *challenge = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *response = NULL;
  g_autofree char *encoded = NULL;
  gsize challenge_length = 0;
  gboolean ok;

  if (!sasl_step (self, "AUTH CRAM-MD5", NULL, challenged, cancellable, error))
    return FALSE;
  if (!*challenged)
    return TRUE;

  /* RFC 2195: the reply is "user hex(HMAC-MD5(password, challenge))". */
  challenge = g_base64_decode (challenge_text (self), &challenge_length);
  digest = g_compute_hmac_for_data (G_CHECKSUM_MD5,
                                    (const guchar *) password, strlen (password),
                                    challenge, challenge_length);
  response = g_strdup_printf ("%s %s", user, digest);
  encoded = g_base64_encode ((const guchar *) response, strlen (response));

  ok = sasl_step (self, encoded, "********", challenged, cancellable, error);
  memset (response, 0, strlen (response));
  return ok;
}

static RpSmtpAuthMechanisms
mechanism_for_method (RpSmtpAuthMethod method)
{
  switch (method)
    {
    case RP_SMTP_AUTH_PLAIN:    return RP_SMTP_AUTH_MECH_PLAIN;
    case RP_SMTP_AUTH_LOGIN:    return RP_SMTP_AUTH_MECH_LOGIN;
    case RP_SMTP_AUTH_CRAM_MD5: return RP_SMTP_AUTH_MECH_CRAM_MD5;
    case RP_SMTP_AUTH_AUTO:
    default:                    return RP_SMTP_AUTH_MECH_NONE;
    }
}

/* The order of RP_SMTP_AUTH_AUTO; see rp_smtp_login_sync(). */
static RpSmtpAuthMechanisms
choose_mechanism (RpSmtp *self)
{
  static const RpSmtpAuthMechanisms over_tls[] = {
    RP_SMTP_AUTH_MECH_PLAIN, RP_SMTP_AUTH_MECH_LOGIN, RP_SMTP_AUTH_MECH_CRAM_MD5,
  };
  static const RpSmtpAuthMechanisms in_clear[] = {
    RP_SMTP_AUTH_MECH_CRAM_MD5, RP_SMTP_AUTH_MECH_PLAIN, RP_SMTP_AUTH_MECH_LOGIN,
  };
  const RpSmtpAuthMechanisms *order = rp_transport_is_tls (self->transport) ? over_tls : in_clear;

  for (guint i = 0; i < G_N_ELEMENTS (over_tls); i++)
    {
      if (self->caps.auth & order[i])
        return order[i];
    }

  return RP_SMTP_AUTH_MECH_NONE;
}

static const char *
mechanism_name (RpSmtpAuthMechanisms mechanism)
{
  switch (mechanism)
    {
    case RP_SMTP_AUTH_MECH_PLAIN:    return "PLAIN";
    case RP_SMTP_AUTH_MECH_LOGIN:    return "LOGIN";
    case RP_SMTP_AUTH_MECH_CRAM_MD5: return "CRAM-MD5";
    case RP_SMTP_AUTH_MECH_NONE:
    default:                         return "";
    }
}

/* Public API */

/**
 * rp_smtp_login_sync:
 * @self: a connected #RpSmtp
 * @user: the user name
 * @password: the password; never logged or traced
 * @method: the SASL mechanism, or %RP_SMTP_AUTH_AUTO
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Authenticates (RFC 4954). %RP_SMTP_AUTH_AUTO picks among what the server
 * offers. Over TLS the order is PLAIN, LOGIN, CRAM-MD5: the channel already
 * hides the password, PLAIN is one round trip, and it works with every
 * password storage, whereas CRAM-MD5 needs the server to keep the password
 * in a recoverable form and fails for users whose password is stored
 * hashed even when the server advertises it. Without TLS (security
 * "none", which the user confirmed) the order is CRAM-MD5, PLAIN, LOGIN,
 * because CRAM-MD5 is the only one that does not send the password itself
 * over the wire.
 *
 * A refusal is %RP_ERROR_AUTH_FAILED with a message naming the server and,
 * for providers whose reply says why (Microsoft 365, Google), what to do.
 *
 * Returns: %TRUE once authenticated
 */
gboolean
rp_smtp_login_sync (RpSmtp            *self,
                    const char        *user,
                    const char        *password,
                    RpSmtpAuthMethod   method,
                    GCancellable      *cancellable,
                    GError           **error)
{
  RpSmtpAuthMechanisms mechanism;
  gboolean challenged = FALSE;
  gboolean ok = FALSE;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_SMTP (self), FALSE);
  g_return_val_if_fail (self->greeted, FALSE);
  g_return_val_if_fail (user != NULL && strpbrk (user, "\r\n") == NULL, FALSE);
  g_return_val_if_fail (password != NULL && strpbrk (password, "\r\n") == NULL, FALSE);
  g_return_val_if_fail (method <= RP_SMTP_AUTH_CRAM_MD5, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(self->caps.flags & RP_SMTP_CAP_AUTH))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                   _("The server %s does not offer to sign in here. Some servers offer it "
                     "only on an encrypted connection or on another port."),
                   self->host);
      RP_RETURN (FALSE);
    }

  mechanism = method == RP_SMTP_AUTH_AUTO ? choose_mechanism (self) : mechanism_for_method (method);
  if (mechanism == RP_SMTP_AUTH_MECH_NONE || !(self->caps.auth & mechanism))
    {
      if (method == RP_SMTP_AUTH_AUTO)
        g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                     _("The server %s offers no sign-in method Rapport knows."),
                     self->host);
      else
        g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                     _("The server %s does not offer the sign-in method %s; choose "
                       "“Automatic” instead."),
                     self->host, mechanism_name (mechanism));
      RP_RETURN (FALSE);
    }

  switch (mechanism)
    {
    case RP_SMTP_AUTH_MECH_PLAIN:
      ok = auth_plain (self, user, password, &challenged, cancellable, error);
      break;
    case RP_SMTP_AUTH_MECH_LOGIN:
      ok = auth_login (self, user, password, &challenged, cancellable, error);
      break;
    case RP_SMTP_AUTH_MECH_CRAM_MD5:
      ok = auth_cram_md5 (self, user, password, &challenged, cancellable, error);
      break;
    case RP_SMTP_AUTH_MECH_NONE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    RP_RETURN (FALSE);

  /* A challenge after the last step means the server wants more than the
   * mechanism defines; "*" cancels the exchange (RFC 4954 §4). */
  if (challenged)
    {
      if (!_rp_smtp_command (self, "*", NULL, cancellable, error))
        RP_RETURN (FALSE);
      g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
                   _("The server %s asked for more than %s needs; the sign-in was "
                     "cancelled."),
                   self->host, mechanism_name (mechanism));
      RP_RETURN (FALSE);
    }

  if (self->reply->code != 235)
    {
      set_auth_error (self, error);
      RP_RETURN (FALSE);
    }

  RP_RETURN (TRUE);
}
