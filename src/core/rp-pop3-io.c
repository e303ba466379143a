/* rp-pop3-io.c: commands out, status lines and multi-line responses in,
 * and refusals turned into errors a user can act on
 *
 * Every failure that can leave the replies out of step with the commands
 * closes the connection here, in one place (_rp_pop3_fail()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-pop3"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-pop3-private.h"

/* Internal API */

/**
 * _rp_pop3_check_connected:
 * @self: a session
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the session has a live connection
 */
gboolean
_rp_pop3_check_connected (RpPop3  *self,
                          GError **error)
{
  if (self->state != RP_POP3_STATE_DISCONNECTED && rp_transport_is_connected (self->transport))
    return TRUE;

  self->state = RP_POP3_STATE_DISCONNECTED;
  g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
               _("The connection to the server %s was closed. Connect again."),
               self->host);
  return FALSE;
}

/**
 * _rp_pop3_fail:
 * @self: a session
 *
 * Closes the connection after an error that leaves the reply stream in an
 * unknown position. Nothing marked for deletion is deleted.
 */
void
_rp_pop3_fail (RpPop3 *self)
{
  g_assert (RP_IS_POP3 (self));

  rp_transport_close (self->transport);
  self->state = RP_POP3_STATE_DISCONNECTED;
}

/**
 * _rp_pop3_protocol_error:
 * @self: a session
 * @error: return location for a #GError
 * @what: a translated description of what was wrong
 *
 * Reports a reply that breaks the protocol and closes the connection.
 */
void
_rp_pop3_protocol_error (RpPop3      *self,
                         GError     **error,
                         const char  *what)
{
  g_assert (RP_IS_POP3 (self));

  _rp_pop3_fail (self);
  g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
               _("The server %s sent %s, so Rapport closed the connection. "
                 "The server replied: “%s”"),
               self->host, what, self->last_reply != NULL ? self->last_reply : "");
}

/**
 * _rp_pop3_set_pipelining_enabled:
 * @self: a session
 * @enabled: whether to pipeline commands when the server allows it
 *
 * For tests: exercises the one-command-at-a-time path against a server that
 * advertises PIPELINING.
 */
void
_rp_pop3_set_pipelining_enabled (RpPop3   *self,
                                 gboolean  enabled)
{
  g_return_if_fail (RP_IS_POP3 (self));

  self->pipelining_disabled = !enabled;
}

/**
 * _rp_pop3_check_transaction:
 * @self: a session
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the session is logged in and connected
 */
gboolean
_rp_pop3_check_transaction (RpPop3  *self,
                            GError **error)
{
  if (!_rp_pop3_check_connected (self, error))
    return FALSE;

  if (self->state != RP_POP3_STATE_TRANSACTION)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Rapport tried to read mail from %s before signing in."),
                   self->host);
      return FALSE;
    }

  return TRUE;
}

/**
 * _rp_pop3_send:
 * @self: a session
 * @command: a command line without CRLF
 * @trace_text: (nullable): what the trace shows instead, for secrets
 * @more: keep the line buffered because more commands follow
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the command was written (or buffered)
 */
gboolean
_rp_pop3_send (RpPop3        *self,
               const char    *command,
               const char    *trace_text,
               gboolean       more,
               GCancellable  *cancellable,
               GError       **error)
{
  g_assert (RP_IS_POP3 (self));

  if (!rp_transport_write_line_sync (self->transport, command, trace_text, more,
                                     cancellable, error))
    {
      _rp_pop3_fail (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * _rp_pop3_flush:
 * @self: a session
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE if buffered commands were sent
 */
gboolean
_rp_pop3_flush (RpPop3        *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_assert (RP_IS_POP3 (self));

  if (!rp_transport_flush_sync (self->transport, cancellable, error))
    {
      _rp_pop3_fail (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * _rp_pop3_read_reply:
 * @self: a session
 * @reply: (out caller-allocates): the parsed status line
 * @text: (out) (optional): the text after status and code; valid until the
 *   next read
 * @text_len: (out) (optional): its length
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one status line and keeps it as the last reply. A line that is not
 * a status line is a protocol error and closes the connection; -ERR is a
 * successful read that the caller judges.
 *
 * Returns: %TRUE if a status line was read
 */
gboolean
_rp_pop3_read_reply (RpPop3        *self,
                     RpPop3Reply   *reply,
                     const char   **text,
                     gsize         *text_len,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const char *line;
  gsize len;

  g_assert (RP_IS_POP3 (self));

  if (!rp_transport_read_line_sync (self->transport, &line, &len, cancellable, error))
    {
      _rp_pop3_fail (self);
      return FALSE;
    }

  g_free (self->last_reply);
  self->last_reply = _rp_pop3_sanitize_reply (line, len);

  if (len > RP_POP3_MAX_STATUS_LINE)
    {
      _rp_pop3_protocol_error (self, error, _("an overlong reply line"));
      return FALSE;
    }

  if (!_rp_pop3_parse_status_line (line, len, reply))
    {
      _rp_pop3_protocol_error (self, error, _("a reply that is not POP3"));
      return FALSE;
    }

  if (text != NULL)
    *text = line + reply->text_offset;
  if (text_len != NULL)
    *text_len = len - reply->text_offset;

  return TRUE;
}

/**
 * _rp_pop3_read_ok:
 * @self: a session
 * @command: the command name, for the error message
 * @during_auth: whether a refusal means the credentials
 * @text: (out) (optional): as for _rp_pop3_read_reply()
 * @text_len: (out) (optional): its length
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the server answered +OK
 */
gboolean
_rp_pop3_read_ok (RpPop3        *self,
                  const char    *command,
                  gboolean       during_auth,
                  const char   **text,
                  gsize         *text_len,
                  GCancellable  *cancellable,
                  GError       **error)
{
  RpPop3Reply reply;

  if (!_rp_pop3_read_reply (self, &reply, text, text_len, cancellable, error))
    return FALSE;

  switch (reply.status)
    {
    case RP_POP3_REPLY_OK:
      return TRUE;
    case RP_POP3_REPLY_ERR:
      _rp_pop3_set_reply_error (self, command, during_auth, error);
      return FALSE;
    case RP_POP3_REPLY_CONTINUE:
    case RP_POP3_REPLY_INVALID:
    default:
      _rp_pop3_protocol_error (self, error, _("a reply that is not POP3"));
      return FALSE;
    }
}

/**
 * _rp_pop3_read_multiline_line:
 * @self: a session
 * @line: (out): the line, dot-unstuffed; valid until the next read
 * @len: (out): its length
 * @done: (out): set when the terminator was read instead of a line
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one line of a short multi-line response (CAPA, LIST, UIDL), whose
 * lines are bounded like status lines.
 *
 * Returns: %TRUE if a line or the terminator was read
 */
gboolean
_rp_pop3_read_multiline_line (RpPop3        *self,
                              const char   **line,
                              gsize         *len,
                              gboolean      *done,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_assert (RP_IS_POP3 (self));

  if (!rp_transport_read_line_sync (self->transport, line, len, cancellable, error))
    {
      _rp_pop3_fail (self);
      return FALSE;
    }

  if (*len > RP_POP3_MAX_STATUS_LINE)
    {
      g_free (self->last_reply);
      self->last_reply = _rp_pop3_sanitize_reply (*line, *len);
      _rp_pop3_protocol_error (self, error, _("an overlong reply line"));
      return FALSE;
    }

  *done = (*len == 1 && (*line)[0] == '.');
  if (!*done && *len > 0 && (*line)[0] == '.')
    {
      (*line)++;
      (*len)--;
    }

  return TRUE;
}

/**
 * _rp_pop3_set_reply_error:
 * @self: a session whose last reply is a -ERR
 * @command: (nullable): the refused command's name, %NULL for the greeting
 * @during_auth: whether the reply answers a sign-in command
 * @error: return location for a #GError
 *
 * Turns a refusal into an error a user can act on; the server's own words
 * follow for the details view (and are also in rp_pop3_get_last_reply()).
 */
void
_rp_pop3_set_reply_error (RpPop3      *self,
                          const char  *command,
                          gboolean     during_auth,
                          GError     **error)
{
  const char *last = self->last_reply != NULL ? self->last_reply : "";
  g_autofree char *message = NULL;
  RpPop3Reply reply;
  RpErrorCode code;

  g_assert (RP_IS_POP3 (self));

  _rp_pop3_parse_status_line (last, strlen (last), &reply);
  code = _rp_pop3_classify_error (last, strlen (last), &reply, during_auth);

  switch (code)
    {
    case RP_ERROR_AUTH_FAILED:
      message = g_strdup_printf (_("The server %s refused the user name or password for %s. "
                                   "Check them in the account settings."),
                                 self->host, self->user != NULL ? self->user : "");
      break;
    case RP_ERROR_MAILBOX_IN_USE:
      message = g_strdup_printf (_("The mailbox on %s is in use by another connection, "
                                   "perhaps another mail program. Rapport will try again "
                                   "later."),
                                 self->host);
      break;
    case RP_ERROR_LOGIN_DELAY:
      message = g_strdup_printf (_("The server %s allows signing in only every few minutes. "
                                   "Rapport will try again later."),
                                 self->host);
      break;
    case RP_ERROR_SERVER_TEMPORARY:
      message = g_strdup_printf (_("The server %s has a temporary problem. Rapport will try "
                                   "again later."),
                                 self->host);
      break;
    default:
      if (command == NULL)
        message = g_strdup_printf (_("The server %s refused the connection."),
                                   self->host);
      else
        message = g_strdup_printf (_("The server %s refused the command %s."),
                                   self->host, command);
      break;
    }

  g_set_error (error, RP_ERROR, code, _("%s The server replied: “%s”"), message, last);
}
