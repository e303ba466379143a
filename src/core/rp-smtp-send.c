/* rp-smtp-send.c: the mail transaction (MAIL FROM, RCPT TO, DATA), with
 * PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152) and SMTPUTF8
 * (RFC 6531), and the per-recipient result
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

struct _RpSmtpSendResult
{
  GPtrArray *recipients;       /* (element-type RpSmtpRecipientStatus) in the caller's order */
  guint      n_accepted;
  char      *reply;            /* the reply to the end of data */
};

G_DEFINE_BOXED_TYPE (RpSmtpSendResult, rp_smtp_send_result,
                     rp_smtp_send_result_ref, rp_smtp_send_result_unref)

/* Auxiliary methods */

static void
recipient_status_free (gpointer data)
{
  RpSmtpRecipientStatus *status = data;

  g_free (status->address);
  g_free (status->enhanced_code);
  g_free (status->text);
  g_free (status);
}

static void
send_result_clear (gpointer data)
{
  RpSmtpSendResult *result = data;

  g_clear_pointer (&result->recipients, g_ptr_array_unref);
  g_clear_pointer (&result->reply, g_free);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p & 0x80)
        return FALSE;
    }
  return TRUE;
}

/* Ends a failed transaction so that the connection can carry the next
 * message. A failure here is not reported: the caller already has the
 * error that matters, and the next command will find a dead connection. */
static void
reset_transaction (RpSmtp       *self,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!rp_transport_is_connected (self->transport))
    return;

  if (!_rp_smtp_command (self, "RSET", NULL, cancellable, &error))
    g_debug ("[%s:%u] RSET failed: %s", self->host, self->port, error->message);
}

static gboolean
write_to_transport (const void  *data,
                    gsize        length,
                    gpointer     user_data,
                    GError     **error)
{
  gpointer *closure = user_data;

  return rp_transport_write_sync (closure[0], data, length, closure[1], error);
}

static void
set_refused_error (RpSmtp            *self,
                   RpSmtpSendResult  *result,
                   GError           **error)
{
  g_autoptr(GString) details = g_string_new (NULL);
  gboolean temporary = FALSE;

  for (guint i = 0; i < result->recipients->len; i++)
    {
      const RpSmtpRecipientStatus *status = g_ptr_array_index (result->recipients, i);

      if (status->code >= 400 && status->code < 500)
        temporary = TRUE;
      g_string_append_printf (details, "\n%s: %u%s%s %s", status->address, status->code,
                              status->enhanced_code != NULL ? " " : "",
                              status->enhanced_code != NULL ? status->enhanced_code : "",
                              status->text);
    }

  /* A recipient refused for now (greylisting, a full mailbox) may be
   * accepted on the next attempt, so the whole message is retried. */
  if (temporary)
    g_set_error (error, RP_ERROR, RP_ERROR_SERVER_TEMPORARY,
                 _("The server %s cannot accept the recipients right now; Rapport will try "
                   "again later.%s"),
                 self->host, details->str);
  else
    g_set_error (error, RP_ERROR, RP_ERROR_RECIPIENT_REFUSED,
                 _("The server %s refused every recipient of the message.%s"),
                 self->host, details->str);
}

static void
record_recipient (RpSmtp           *self,
                  RpSmtpSendResult *result,
                  guint             index)
{
  RpSmtpRecipientStatus *status = g_ptr_array_index (result->recipients, index);

  status->code = self->reply->code;
  status->accepted = _rp_smtp_reply_is_positive (self);
  status->enhanced_code = g_strdup (self->reply->enhanced);
  status->text = _rp_smtp_reply_dup_text (self->reply);
  if (status->accepted)
    result->n_accepted++;
}

/* Sends MAIL FROM, every RCPT TO and DATA, pipelined when the server
 * allows it (RFC 2920), and reads the replies in order. On return the
 * DATA reply is in self->reply; @error is set if MAIL FROM failed or
 * nobody was accepted, and the caller must still end the transaction. */
static gboolean
send_envelope (RpSmtp              *self,
               const char          *mail_line,
               const char * const  *recipients,
               RpSmtpSendResult    *result,
               gboolean            *data_started,
               GCancellable        *cancellable,
               GError             **error)
{
  gboolean pipelining = (self->caps.flags & RP_SMTP_CAP_PIPELINING) != 0;
  g_autoptr(GError) refusal = NULL;
  guint n = result->recipients->len;

  *data_started = FALSE;

  if (pipelining)
    {
      if (!_rp_smtp_write_line (self, mail_line, NULL, TRUE, cancellable, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *line = g_strdup_printf ("RCPT TO:<%s>", recipients[i]);

          if (!_rp_smtp_write_line (self, line, NULL, TRUE, cancellable, error))
            return FALSE;
        }
      if (!_rp_smtp_write_line (self, "DATA", NULL, FALSE, cancellable, error))
        return FALSE;
    }
  else if (!_rp_smtp_write_line (self, mail_line, NULL, FALSE, cancellable, error))
    return FALSE;

  if (!_rp_smtp_read_reply (self, cancellable, error))
    return FALSE;
  if (!_rp_smtp_reply_is_positive (self))
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused the sender address."),
                                               self->host);

      _rp_smtp_set_reply_error (self, &refusal, what);
      /* Without pipelining nothing else was sent; with it, the replies to
       * the RCPTs and the DATA are still on their way and must be read. */
      if (!pipelining)
        {
          g_propagate_error (error, g_steal_pointer (&refusal));
          return FALSE;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      if (!pipelining)
        {
          g_autofree char *line = g_strdup_printf ("RCPT TO:<%s>", recipients[i]);

          if (!_rp_smtp_write_line (self, line, NULL, FALSE, cancellable, error))
            return FALSE;
        }
      if (!_rp_smtp_read_reply (self, cancellable, error))
        return FALSE;
      record_recipient (self, result, i);
    }

  if (refusal == NULL && result->n_accepted == 0)
    set_refused_error (self, result, &refusal);

  if (pipelining)
    {
      if (!_rp_smtp_read_reply (self, cancellable, error))
        return FALSE;
    }
  else if (refusal == NULL)
    {
      if (!_rp_smtp_command (self, "DATA", NULL, cancellable, error))
        return FALSE;
    }

  *data_started = refusal == NULL ? self->reply->code == 354 : FALSE;

  /* A server that answers 354 to a DATA it should have refused (RFC 2920
   * §3.1) is in data mode; an empty message ends it, and with no valid
   * recipient the server refuses that. */
  if (refusal != NULL && pipelining && self->reply->code == 354)
    {
      if (!_rp_smtp_command (self, ".", NULL, cancellable, error))
        return FALSE;
    }

  if (refusal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }

  if (!*data_started)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused to take the message."),
                                               self->host);

      _rp_smtp_set_reply_error (self, error, what);
      return FALSE;
    }

  return TRUE;
}

/* Public API */

/**
 * rp_smtp_send_sync:
 * @self: a connected (and, where needed, authenticated) #RpSmtp
 * @from: the envelope sender ("" for the null sender of a bounce)
 * @recipients: (array zero-terminated=1): the envelope recipients, at least one
 * @message: the message as RFC 5322 text; line endings may be LF or CRLF
 * @result: (out) (optional) (transfer full): what happened to each recipient
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Sends one message. If the server announced a SIZE limit and the message
 * is larger, this fails with %RP_ERROR_MESSAGE_TOO_LARGE before anything is
 * sent. Recipients refused at RCPT TO do not stop the message from going
 * to the others: the call succeeds and @result says who was refused and
 * why. Only when every recipient is refused does it fail, with
 * %RP_ERROR_RECIPIENT_REFUSED (or %RP_ERROR_SERVER_TEMPORARY if a refusal
 * was temporary). On failure @result is not set, and the transaction is
 * reset so that the connection can carry the next message.
 *
 * Returns: %TRUE if the server took responsibility for the message
 */
gboolean
rp_smtp_send_sync (RpSmtp              *self,
                   const char          *from,
                   const char * const  *recipients,
                   GBytes              *message,
                   RpSmtpSendResult   **result,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(RpSmtpSendResult) send_result = NULL;
  g_autoptr(GString) mail_line = NULL;
  const guint8 *data;
  gsize length = 0;
  gsize size;
  gboolean has_8bit = FALSE;
  gboolean international;
  gboolean data_started = FALSE;
  gpointer closure[2];

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_SMTP (self), FALSE);
  g_return_val_if_fail (self->greeted, FALSE);
  g_return_val_if_fail (from != NULL, FALSE);
  g_return_val_if_fail (recipients != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (result == NULL || *result == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (recipients[0] == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The message has no recipients."));
      RP_RETURN (FALSE);
    }

  international = !is_ascii (from);
  if (!_rp_smtp_address_is_valid (from, TRUE))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The sender address “%s” cannot be used."), from);
      RP_RETURN (FALSE);
    }
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      if (!_rp_smtp_address_is_valid (recipients[i], FALSE))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("The recipient address “%s” cannot be used."), recipients[i]);
          RP_RETURN (FALSE);
        }
      international |= !is_ascii (recipients[i]);
    }

  /* RFC 6531: addresses beyond ASCII need a server that says SMTPUTF8. */
  if (international && !(self->caps.flags & RP_SMTP_CAP_SMTPUTF8))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                   _("The server %s does not accept addresses with characters beyond "
                     "ASCII (SMTPUTF8)."),
                   self->host);
      RP_RETURN (FALSE);
    }

  data = g_bytes_get_data (message, &length);
  size = _rp_smtp_message_size (data, length, &has_8bit);

  if (self->caps.size_limit > 0 && size > self->caps.size_limit)
    {
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *limit_text = g_format_size (self->caps.size_limit);

      g_set_error (error, RP_ERROR, RP_ERROR_MESSAGE_TOO_LARGE,
                   _("The message is %s, but the server %s accepts at most %s. Remove "
                     "attachments or share them another way."),
                   size_text, self->host, limit_text);
      RP_RETURN (FALSE);
    }

  mail_line = g_string_new (NULL);
  g_string_printf (mail_line, "MAIL FROM:<%s>", from);
  if (self->caps.flags & RP_SMTP_CAP_SIZE)
    g_string_append_printf (mail_line, " SIZE=%" G_GSIZE_FORMAT, size);
  /* RFC 6152: without 8BITMIME the message should have been encoded to
   * 7 bits when it was composed; it is sent as it is either way, because
   * rewriting MIME is not the transport's job and most servers take it. */
  if (has_8bit && (self->caps.flags & RP_SMTP_CAP_8BITMIME))
    g_string_append (mail_line, " BODY=8BITMIME");
  if (international)
    g_string_append (mail_line, " SMTPUTF8");

  send_result = g_atomic_rc_box_new0 (RpSmtpSendResult);
  send_result->recipients = g_ptr_array_new_with_free_func (recipient_status_free);
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      RpSmtpRecipientStatus *status = g_new0 (RpSmtpRecipientStatus, 1);

      status->address = g_strdup (recipients[i]);
      g_ptr_array_add (send_result->recipients, status);
    }

  if (!send_envelope (self, mail_line->str, recipients, send_result, &data_started,
                      cancellable, error))
    {
      reset_transaction (self, cancellable);
      RP_RETURN (FALSE);
    }

  closure[0] = self->transport;
  closure[1] = cancellable;
  if (!_rp_smtp_write_data (data, length, write_to_transport, closure, error)
      || !rp_transport_flush_sync (self->transport, cancellable, error))
    {
      _rp_smtp_io_failed (self);
      RP_RETURN (FALSE);
    }
  if (!_rp_smtp_read_reply (self, cancellable, error))
    RP_RETURN (FALSE);

  if (!_rp_smtp_reply_is_positive (self))
    {
      g_autofree char *what = g_strdup_printf (_("The server %s did not accept the message."),
                                               self->host);

      _rp_smtp_set_reply_error (self, error, what);
      reset_transaction (self, cancellable);
      RP_RETURN (FALSE);
    }

  send_result->reply = _rp_smtp_reply_to_string (self->reply);
  if (result != NULL)
    *result = g_steal_pointer (&send_result);

  RP_RETURN (TRUE);
}

/* Public API: RpSmtpSendResult */

RpSmtpSendResult *
rp_smtp_send_result_ref (RpSmtpSendResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return g_atomic_rc_box_acquire (result);
}

void
rp_smtp_send_result_unref (RpSmtpSendResult *result)
{
  g_return_if_fail (result != NULL);

  g_atomic_rc_box_release_full (result, send_result_clear);
}

guint
rp_smtp_send_result_get_n_recipients (RpSmtpSendResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->recipients->len;
}

/**
 * rp_smtp_send_result_get_recipient:
 * @result: a #RpSmtpSendResult
 * @index: from 0, in the order given to rp_smtp_send_sync()
 *
 * Returns: (transfer none): the recipient's status
 */
const RpSmtpRecipientStatus *
rp_smtp_send_result_get_recipient (RpSmtpSendResult *result,
                                   guint             index)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->recipients->len, NULL);

  return g_ptr_array_index (result->recipients, index);
}

/**
 * rp_smtp_send_result_lookup:
 * @result: a #RpSmtpSendResult
 * @address: a recipient as given to rp_smtp_send_sync()
 *
 * Returns: (transfer none) (nullable): the recipient's status, or %NULL
 */
const RpSmtpRecipientStatus *
rp_smtp_send_result_lookup (RpSmtpSendResult *result,
                            const char       *address)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  for (guint i = 0; i < result->recipients->len; i++)
    {
      const RpSmtpRecipientStatus *status = g_ptr_array_index (result->recipients, i);

      if (strcmp (status->address, address) == 0)
        return status;
    }

  return NULL;
}

guint
rp_smtp_send_result_get_n_accepted (RpSmtpSendResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->n_accepted;
}

guint
rp_smtp_send_result_get_n_refused (RpSmtpSendResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->recipients->len - result->n_accepted;
}

const char *
rp_smtp_send_result_get_reply (RpSmtpSendResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return result->reply;
}
