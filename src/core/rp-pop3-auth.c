/* rp-pop3-auth.c: signing in: choosing the method, USER/PASS, APOP, and
 * SASL PLAIN and LOGIN (RFC 5034)
 *
 * The password is only ever copied into buffers that are wiped before they
 * are freed, and the trace shows "********" in its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-pop3"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-macros.h"
#include "rp-pop3-private.h"

/* Auxiliary methods */

/* Overwrites a string that held a secret before it is freed, so that the
 * password does not linger in freed heap memory. */
static void
clear_secret (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* g_autoptr(RpPop3Secret) wipes a string holding a password when it goes
 * out of scope. */
typedef char RpPop3Secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpPop3Secret, clear_secret)

static gboolean
has_line_break (const char *text)
{
  return strpbrk (text, "\r\n") != NULL;
}

static RpPop3AuthMethod
choose_auth_method (RpPop3 *self)
{
  RpPop3Capabilities caps = self->capabilities;

  if (rp_transport_is_tls (self->transport))
    {
      /* Inside TLS every method protects the password equally. SASL PLAIN
       * takes one round trip and carries UTF-8 user names unambiguously;
       * LOGIN is the same with two more; APOP comes last because it makes
       * the server keep plain-text passwords for MD5 and adds nothing here. */
      if (caps & RP_POP3_CAPABILITY_SASL_PLAIN)
        return RP_POP3_AUTH_PLAIN;
      if (caps & RP_POP3_CAPABILITY_SASL_LOGIN)
        return RP_POP3_AUTH_LOGIN;
      if ((caps & RP_POP3_CAPABILITY_USER) || !(caps & RP_POP3_CAPABILITY_CAPA))
        return RP_POP3_AUTH_USER;
      if (caps & RP_POP3_CAPABILITY_APOP)
        return RP_POP3_AUTH_APOP;
      return RP_POP3_AUTH_USER;
    }

  /* In plain text (only after the user accepted it), APOP is the one method
   * that never sends the password itself. PLAIN, LOGIN and USER all send it
   * readable; the SASL ones go first only because the server advertised
   * them deliberately. */
  if (caps & RP_POP3_CAPABILITY_APOP)
    return RP_POP3_AUTH_APOP;
  if (caps & RP_POP3_CAPABILITY_SASL_PLAIN)
    return RP_POP3_AUTH_PLAIN;
  if (caps & RP_POP3_CAPABILITY_SASL_LOGIN)
    return RP_POP3_AUTH_LOGIN;
  return RP_POP3_AUTH_USER;
}

static gboolean
check_method_offered (RpPop3            *self,
                      RpPop3AuthMethod   method,
                      GError           **error)
{
  const char *name = NULL;

  switch (method)
    {
    case RP_POP3_AUTH_APOP:
      if (!(self->capabilities & RP_POP3_CAPABILITY_APOP))
        name = "APOP";
      break;
    case RP_POP3_AUTH_PLAIN:
      if ((self->capabilities & RP_POP3_CAPABILITY_CAPA) &&
          !(self->capabilities & RP_POP3_CAPABILITY_SASL_PLAIN))
        name = "PLAIN";
      break;
    case RP_POP3_AUTH_LOGIN:
      if ((self->capabilities & RP_POP3_CAPABILITY_CAPA) &&
          !(self->capabilities & RP_POP3_CAPABILITY_SASL_LOGIN))
        name = "LOGIN";
      break;
    case RP_POP3_AUTH_AUTO:
    case RP_POP3_AUTH_USER:
    default:
      /* USER is in RFC 1939 itself; the server will say if it refuses it. */
      break;
    }

  if (name == NULL)
    return TRUE;

  g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
               _("The server %s does not offer the sign-in method %s. Choose "
                 "“Automatic” or another method in the account settings."),
               self->host, name);
  return FALSE;
}

static gboolean
login_user (RpPop3        *self,
            const char    *user,
            const char    *password,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *user_command = g_strdup_printf ("USER %s", user);
  g_autoptr(RpPop3Secret) pass_command = g_strdup_printf ("PASS %s", password);

  if (!_rp_pop3_send (self, user_command, NULL, FALSE, cancellable, error) ||
      !_rp_pop3_read_ok (self, "USER", TRUE, NULL, NULL, cancellable, error))
    return FALSE;

  return _rp_pop3_send (self, pass_command, "PASS ********", FALSE, cancellable, error) &&
         _rp_pop3_read_ok (self, "PASS", TRUE, NULL, NULL, cancellable, error);
}

static gboolean
login_apop (RpPop3        *self,
            const char    *user,
            const char    *password,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *command = NULL;
  g_autofree char *trace = g_strdup_printf ("APOP %s ********", user);

  g_checksum_update (md5, (const guchar *) self->apop_timestamp, -1);
  g_checksum_update (md5, (const guchar *) password, -1);
  command = g_strdup_printf ("APOP %s %s", user, g_checksum_get_string (md5));

  return _rp_pop3_send (self, command, trace, FALSE, cancellable, error) &&
         _rp_pop3_read_ok (self, "APOP", TRUE, NULL, NULL, cancellable, error);
}

/* Reads the reply to one step of a SASL exchange: a challenge ("+ …")
 * when @want_challenge, else the final +OK. */
static gboolean
read_sasl_step (RpPop3        *self,
                gboolean       want_challenge,
                GCancellable  *cancellable,
                GError       **error)
{
  RpPop3Reply reply;

  if (!_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, error))
    return FALSE;

  if (reply.status == RP_POP3_REPLY_ERR)
    {
      _rp_pop3_set_reply_error (self, "AUTH", TRUE, error);
      return FALSE;
    }

  if ((reply.status == RP_POP3_REPLY_CONTINUE) == want_challenge)
    return TRUE;

  if (reply.status == RP_POP3_REPLY_CONTINUE)
    {
      /* An unexpected challenge: cancel the exchange as RFC 5034 says, so
       * that the session stays usable for QUIT. */
      if (_rp_pop3_send (self, "*", NULL, FALSE, cancellable, NULL))
        _rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, NULL);
    }

  _rp_pop3_protocol_error (self, error, _("an unexpected reply during sign-in"));
  return FALSE;
}

static gboolean
login_sasl_plain (RpPop3        *self,
                  const char    *user,
                  const char    *password,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gsize user_len = strlen (user);
  gsize password_len = strlen (password);
  gsize len = 2 + user_len + password_len;
  g_autoptr(RpPop3Secret) message = g_malloc (len + 1);
  g_autoptr(RpPop3Secret) encoded = NULL;
  g_autoptr(RpPop3Secret) command = NULL;

  /* RFC 4616: authzid NUL authcid NUL password. The authorization identity
   * stays empty, meaning "the user who authenticates": servers without
   * proxy authorization refuse any other. */
  message[0] = '\0';
  memcpy (message + 1, user, user_len);
  message[user_len + 1] = '\0';
  memcpy (message + user_len + 2, password, password_len);
  message[len] = '\0';

  encoded = g_base64_encode ((const guchar *) message, len);
  explicit_bzero (message, len);
  command = g_strconcat ("AUTH PLAIN ", encoded, NULL);

  /* The initial response of RFC 5034 saves a round trip. */
  return _rp_pop3_send (self, command, "AUTH PLAIN ********", FALSE, cancellable, error) &&
         read_sasl_step (self, FALSE, cancellable, error);
}

static gboolean
login_sasl_login (RpPop3        *self,
                  const char    *user,
                  const char    *password,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *encoded_user = g_base64_encode ((const guchar *) user, strlen (user));
  g_autoptr(RpPop3Secret) encoded_password =
    g_base64_encode ((const guchar *) password, strlen (password));

  /* The challenges ("Username:", "Password:") are fixed by convention, so
   * their text is not checked; their order is. */
  return _rp_pop3_send (self, "AUTH LOGIN", NULL, FALSE, cancellable, error) &&
         read_sasl_step (self, TRUE, cancellable, error) &&
         _rp_pop3_send (self, encoded_user, NULL, FALSE, cancellable, error) &&
         read_sasl_step (self, TRUE, cancellable, error) &&
         _rp_pop3_send (self, encoded_password, "********", FALSE, cancellable, error) &&
         read_sasl_step (self, FALSE, cancellable, error);
}

/* Public API */

/**
 * rp_pop3_login_sync:
 * @self: a connected #RpPop3
 * @user: the user name
 * @password: the password; it is wiped from Rapport's own buffers after use
 *   and never appears in the trace, logs or errors
 * @method: the sign-in method, or %RP_POP3_AUTH_AUTO
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs in. %RP_POP3_AUTH_AUTO picks, inside TLS, SASL PLAIN, then SASL
 * LOGIN, then USER/PASS, then APOP: encryption already protects the
 * password, so the simplest exchange wins and APOP, which needs MD5 and
 * plain-text passwords on the server, comes last. On a plain-text
 * connection it picks APOP when the greeting carries a timestamp, because
 * APOP is the only method that does not send the password itself; then
 * the advertised SASL mechanisms, then USER/PASS. Only one method is tried:
 * falling through a list would count several failed logins against the
 * account and could lock it.
 *
 * A refusal becomes %RP_ERROR_AUTH_FAILED, or, when the reply says so,
 * %RP_ERROR_MAILBOX_IN_USE, %RP_ERROR_LOGIN_DELAY,
 * %RP_ERROR_SERVER_TEMPORARY or %RP_ERROR_SERVER_PERMANENT.
 *
 * Returns: %TRUE when signed in
 */
gboolean
rp_pop3_login_sync (RpPop3            *self,
                    const char        *user,
                    const char        *password,
                    RpPop3AuthMethod   method,
                    GCancellable      *cancellable,
                    GError           **error)
{
  RpPop3AuthMethod chosen;
  gboolean ok = FALSE;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (method <= RP_POP3_AUTH_LOGIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_rp_pop3_check_connected (self, error))
    RP_RETURN (FALSE);

  if (self->state != RP_POP3_STATE_AUTHORIZATION)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Rapport is already signed in to %s."), self->host);
      RP_RETURN (FALSE);
    }

  /* A line break would end the command early and let the rest of the
   * string run as a command of its own. */
  if (*user == '\0' || has_line_break (user) || has_line_break (password))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The user name or password contains a line break or is empty. "
                     "Check them in the account settings."));
      RP_RETURN (FALSE);
    }

  rp_set_str (&self->user, user);
  chosen = method == RP_POP3_AUTH_AUTO ? choose_auth_method (self) : method;
  if (!check_method_offered (self, chosen, error))
    RP_RETURN (FALSE);

  g_debug ("[%s:%u] signing in as %s with method %d",
           self->host, self->port, user, (int) chosen);

  switch (chosen)
    {
    case RP_POP3_AUTH_APOP:
      ok = login_apop (self, user, password, cancellable, error);
      break;
    case RP_POP3_AUTH_PLAIN:
      ok = login_sasl_plain (self, user, password, cancellable, error);
      break;
    case RP_POP3_AUTH_LOGIN:
      ok = login_sasl_login (self, user, password, cancellable, error);
      break;
    case RP_POP3_AUTH_USER:
    case RP_POP3_AUTH_AUTO:
    default:
      chosen = RP_POP3_AUTH_USER;
      ok = login_user (self, user, password, cancellable, error);
      break;
    }

  if (ok)
    {
      self->state = RP_POP3_STATE_TRANSACTION;
      self->auth_method = chosen;
    }

  RP_RETURN (ok);
}
