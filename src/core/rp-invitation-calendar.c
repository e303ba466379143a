/* rp-invitation-calendar.c: what answers and received invitations do to
 * the CRM calendar, and the sending of answers
 *
 * RFC 5546 §2.1.4: the organiser raises SEQUENCE with every change that
 * matters, so the calendar keeps the highest one seen and an older
 * message changes nothing. A CANCEL or an update must come from the
 * organiser the calendar knows for the event; mail is easy to forge, but
 * this keeps a stranger who learnt a UID from cancelling our meetings
 * with a plain message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-invitation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-crm.h"
#include "rp-error.h"
#include "rp-invitation-private.h"
#include "rp-outbox.h"

/* Auxiliary methods */

/* The organiser first, then the attendees, each address once. */
static GStrv
collect_addresses (const RpInvitation *invitation)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = -1; i < (int) invitation->attendees->len; i++)
    {
      const RpInvitationPerson *person = i < 0 ? invitation->organizer
                                               : g_ptr_array_index (invitation->attendees, i);
      char *key;

      if (person == NULL)
        continue;
      key = g_ascii_strdown (person->address, -1);
      if (!g_hash_table_add (seen, key))
        continue;
      g_strv_builder_add (builder, person->address);
    }

  return g_strv_builder_end (builder);
}

/* The records of everyone in @addresses who has one, without duplicates,
 * after those already in @existing. */
static GArray *
collect_records (RpStore          *store,
                 const char * const *addresses,
                 const GArray     *existing,
                 GError          **error)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (existing != NULL)
    g_array_append_vals (ids, existing->data, existing->len);

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = rp_crm_find_record_id_by_address (store, addresses[i], &local_error);
      gboolean known = FALSE;

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_array_unref (ids);
          return NULL;
        }
      if (id == 0)
        continue;
      for (guint j = 0; j < ids->len && !known; j++)
        known = g_array_index (ids, gint64, j) == id;
      if (!known)
        g_array_append_val (ids, id);
    }

  return ids;
}

/* Whether @invitation may change @event: its organiser is the one the
 * calendar knows (the first address stored). */
static gboolean
from_known_organizer (const RpInvitation *invitation,
                      const RpCrmEvent   *event)
{
  if (event->attendees == NULL || event->attendees[0] == NULL)
    return TRUE;
  if (invitation->organizer == NULL)
    return FALSE;

  return g_ascii_strcasecmp (event->attendees[0], invitation->organizer->address) == 0;
}

/* Copies what the organiser decides (title, times, place, people,
 * version) from @invitation into @event. */
static gboolean
fill_event (RpStore            *store,
            RpCrmEvent         *event,
            const RpInvitation *invitation,
            GError            **error)
{
  g_auto(GStrv) addresses = collect_addresses (invitation);
  GArray *records;

  records = collect_records (store, (const char * const *) addresses, event->record_ids, error);
  if (records == NULL)
    return FALSE;

  g_free (event->title);
  event->title = g_strdup (invitation->summary);
  event->start = invitation->start;
  event->end = invitation->end;
  g_free (event->location);
  event->location = g_strdup (invitation->location);
  g_strfreev (event->attendees);
  event->attendees = g_steal_pointer (&addresses);
  g_free (event->uid);
  event->uid = g_strdup (invitation->uid);
  event->sequence = invitation->sequence;
  g_clear_pointer (&event->record_ids, g_array_unref);
  event->record_ids = records;
  if (invitation->stored_id > 0)
    event->message_id = invitation->stored_id;

  return TRUE;
}

/* Public API */

/**
 * rp_invitation_apply_sync:
 * @store: the store
 * @invitation: a received iTIP object
 * @status: (out) (optional): how it relates to the calendar afterwards
 * @stored_partstat: (out) (optional): our answer as the calendar has it
 * @cancellable: a #GCancellable
 * @error: a #GError
 *
 * Returns: %FALSE on a store error
 */
gboolean
rp_invitation_apply_sync (RpStore             *store,
                          const RpInvitation  *invitation,
                          RpInvitationStatus  *status,
                          RpPartstat          *stored_partstat,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(RpCrmEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  RpInvitationStatus result = RP_INVITATION_STATUS_NEW;
  gboolean changed = FALSE;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (invitation != NULL, FALSE);

  if (status != NULL)
    *status = RP_INVITATION_STATUS_NEW;
  if (stored_partstat != NULL)
    *stored_partstat = RP_PARTSTAT_NONE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  event = rp_crm_find_event_by_uid (store, invitation->uid, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (invitation->method == RP_ITIP_METHOD_CANCEL)
    {
      result = RP_INVITATION_STATUS_CANCELLED;
      if (event != NULL && invitation->sequence < event->sequence)
        result = RP_INVITATION_STATUS_OUTDATED;
      else if (event != NULL && !event->cancelled && from_known_organizer (invitation, event))
        {
          event->cancelled = TRUE;
          event->sequence = invitation->sequence;
          changed = TRUE;
        }
    }
  else if (event != NULL)
    {
      /* An older invitation of a cancelled event is first of all about a
       * cancelled event. */
      if (event->cancelled && invitation->sequence <= event->sequence)
        result = RP_INVITATION_STATUS_CANCELLED;
      else if (invitation->sequence < event->sequence)
        result = RP_INVITATION_STATUS_OUTDATED;
      else if (invitation->sequence == event->sequence)
        result = RP_INVITATION_STATUS_CURRENT;
      else if (invitation->method != RP_ITIP_METHOD_REQUEST
               || !from_known_organizer (invitation, event))
        result = RP_INVITATION_STATUS_NEW;
      else
        {
          const RpInvitationPerson *own = rp_invitation_get_own_attendee (invitation);

          /* A new version revives a cancelled event; our answer is what
           * the organiser now lists (usually NEEDS-ACTION after a new
           * time, so that we are asked again). */
          if (!fill_event (store, event, invitation, error))
            return FALSE;
          event->cancelled = FALSE;
          if (own != NULL)
            {
              g_free (event->partstat);
              event->partstat = g_strdup (rp_partstat_to_string (own->partstat));
            }
          changed = TRUE;
          result = RP_INVITATION_STATUS_CURRENT;
        }
    }

  if (changed)
    {
      g_debug ("Invitation %s: calendar updated to sequence %d%s", invitation->uid,
               event->sequence, event->cancelled ? ", cancelled" : "");
      if (rp_crm_save_event (store, event, error) == 0)
        return FALSE;
    }

  if (status != NULL)
    *status = result;
  if (stored_partstat != NULL && event != NULL)
    *stored_partstat = rp_partstat_from_string (event->partstat);

  return TRUE;
}

/**
 * rp_invitation_respond_sync:
 * @store: the store
 * @secrets: the passwords, for the SMTP server
 * @account: the account the invitation came to
 * @identity: (nullable): the identity to answer as
 * @invitation: the invitation
 * @partstat: ACCEPTED, TENTATIVE or DECLINED
 * @cancellable: a #GCancellable
 * @error: a #GError
 *
 * Returns: %TRUE when the answer is saved and sent
 */
gboolean
rp_invitation_respond_sync (RpStore             *store,
                            RpSecrets           *secrets,
                            const RpAccount     *account,
                            const RpIdentity    *identity,
                            const RpInvitation  *invitation,
                            RpPartstat           partstat,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(RpInvitation) ours = NULL;
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(RpDraft) effective = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(RpCrmEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *envelope_from = NULL;
  g_auto(GStrv) recipients = NULL;
  const RpInvitationPerson *own;
  RpInvitationStatus status;
  RpOutboxFlushStats stats;
  gint64 queued;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (RP_IS_SECRETS (secrets), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (invitation != NULL, FALSE);

  if (invitation->method != RP_ITIP_METHOD_REQUEST && invitation->method != RP_ITIP_METHOD_UNKNOWN)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           invitation->method == RP_ITIP_METHOD_CANCEL
                           ? _("This event was cancelled by its organizer.")
                           : _("This calendar message is not an invitation and needs no answer."));
      return FALSE;
    }

  /* Whom the organiser invited decides the identity, unless the caller
   * chose one. */
  ours = rp_invitation_copy (invitation);
  own = rp_invitation_find_own_attendee (ours, account);
  if (identity == NULL && own != NULL)
    identity = rp_account_find_identity (account, own->address);
  if (identity == NULL)
    identity = rp_account_get_default_identity (account);
  if (identity == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The account has no address to answer from."));
      return FALSE;
    }

  if (!rp_invitation_apply_sync (store, ours, &status, NULL, cancellable, error))
    return FALSE;
  if (status == RP_INVITATION_STATUS_OUTDATED)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("This invitation is out of date: the organizer has sent a newer version. Answer that one instead."));
      return FALSE;
    }
  if (status == RP_INVITATION_STATUS_CANCELLED)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("This event was cancelled by its organizer."));
      return FALSE;
    }

  draft = _rp_invitation_make_draft (ours, account, identity, partstat, error);
  if (draft == NULL)
    return FALSE;
  message = _rp_invitation_build_message (ours, draft, account, identity,
                                          own != NULL ? own->address : identity->address,
                                          partstat, error);
  if (message == NULL)
    return FALSE;

  /* Queued first: from here on the answer is durable even if the
   * program dies before the SMTP server has it. */
  effective = rp_draft_apply_identity (draft, identity);
  envelope_from = rp_composer_dup_envelope_from (account, identity);
  recipients = rp_composer_dup_recipients (draft, identity);
  queued = rp_outbox_queue_bytes_sync (store, account, identity, message, envelope_from,
                                       (const char * const *) recipients, effective->bcc,
                                       cancellable, error);
  if (queued == 0)
    return FALSE;

  event = rp_crm_find_event_by_uid (store, ours->uid, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (event == NULL)
    event = rp_crm_event_new ();
  if (!fill_event (store, event, ours, error))
    return FALSE;
  event->cancelled = FALSE;
  g_free (event->partstat);
  event->partstat = g_strdup (rp_partstat_to_string (partstat));
  if (rp_crm_save_event (store, event, error) == 0)
    return FALSE;

  if (!rp_outbox_flush_sync (store, secrets, queued, RP_OUTBOX_FLUSH_NOW, &stats, cancellable,
                             &local_error))
    {
      /* The code stays, so that the caller can offer what fixes it (a
       * password, a certificate); the message says what happened. */
      g_set_error (error, local_error->domain, local_error->code,
                   _("Your answer is saved, but the reply to the organizer waits in the Outbox: %s"),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * rp_invitation_apply_fetched:
 * @store: the store
 * @account: the account the messages came to
 * @messages: messages just committed
 * @n: how many
 *
 * Applies cancellations and updates among freshly fetched messages.
 */
void
rp_invitation_apply_fetched (RpStore                 *store,
                             const RpAccount         *account,
                             const RpStoreNewMessage *messages,
                             guint                    n)
{
  g_return_if_fail (RP_IS_STORE (store));
  g_return_if_fail (account != NULL);

  for (guint i = 0; i < n; i++)
    {
      const RpStoreNewMessage *msg = &messages[i];
      g_autoptr(RpInvitation) invitation = NULL;
      g_autoptr(GError) error = NULL;

      if (msg->duplicate || msg->raw == NULL || msg->id <= 0)
        continue;
      if (msg->summary != NULL && !msg->summary->has_calendar)
        continue;

      invitation = rp_invitation_parse_message (msg->raw, &error);
      if (invitation == NULL)
        {
          if (msg->summary != NULL)
            g_debug ("Message %" G_GINT64_FORMAT ": %s", msg->id, error->message);
          continue;
        }
      invitation->stored_id = msg->id;
      rp_invitation_find_own_attendee (invitation, account);
      if (!rp_invitation_apply_sync (store, invitation, NULL, NULL, NULL, &error))
        g_warning ("Cannot apply the invitation in message %" G_GINT64_FORMAT ": %s",
                   msg->id, error->message);
    }
}
