/* rp-filter-actions.c
 *
 * What rules do to a message that is being fetched: the folder and flags
 * are decided before it is stored (so it never shows in the Inbox first),
 * and copies, forwards and CRM links run once it is committed, because
 * they need the stored message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-crm.h"
#include "rp-error.h"
#include "rp-filter-private.h"
#include "rp-outbox.h"
#include "rp-reply.h"

/* Auxiliary methods */

static gboolean
forward_message (RpFilterSet  *set,
                 gint64        account_id,
                 gint64        message_id,
                 const char   *address,
                 GError      **error)
{
  RpAccount *account = g_hash_table_lookup (set->accounts, &account_id);
  RpIdentity *identity;
  g_autoptr(RpDraft) draft = NULL;

  if (account == NULL || (identity = rp_account_get_default_identity (account)) == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The account has no identity to forward mail from."));
      return FALSE;
    }

  draft = rp_reply_build (set->store, message_id, RP_FORWARD_INLINE, error);
  if (draft == NULL)
    return FALSE;
  g_ptr_array_set_size (draft->to, 0);
  g_ptr_array_set_size (draft->cc, 0);
  g_ptr_array_set_size (draft->bcc, 0);
  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, address);
  /* Always from the account's default identity, whichever address the
   * original was sent to: the forward is the user's, not a reply. */
  g_free (draft->from_address);
  draft->from_address = g_strdup (identity->address);
  g_free (draft->from_name);
  draft->from_name = g_strdup (identity->display_name);

  return rp_outbox_queue_sync (set->store, account, identity, draft, NULL, error) > 0;
}

/* Internal API */

GPtrArray *
_rp_filter_set_classify (RpFilterSet       *set,
                         const RpAccount   *account,
                         RpStoreNewMessage *msg)
{
  RpFilterMessage fm;
  RpFilterOutcome outcome;
  g_autoptr(GError) error = NULL;
  GPtrArray *deferred;

  if (set->rules->len == 0 || msg->summary == NULL)
    return NULL;

  _rp_filter_message_init_fetched (&fm, set->store, account->id, msg->summary, msg->raw);
  _rp_filter_set_evaluate (set, &fm, &outcome);
  _rp_filter_message_clear (&fm);

  if (outcome.move_to != NULL || outcome.to_trash)
    {
      gint64 folder = outcome.to_trash
        ? rp_store_get_special_folder (set->store, account->id, RP_FOLDER_ROLE_TRASH)
        : _rp_filter_set_resolve_folder (set, account->id, outcome.move_to, &error);

      if (folder > 0)
        msg->folder_id = folder;
      else
        g_warning ("[%s] A filter’s folder “%s” is not available: %s", account->name,
                   outcome.move_to ? outcome.move_to : "Trash",
                   error ? error->message : "no such folder");
    }
  msg->flags |= outcome.set_flags;

  deferred = g_steal_pointer (&outcome.deferred);
  _rp_filter_outcome_clear (&outcome);
  return deferred;
}

guint
_rp_filter_set_run_deferred (RpFilterSet *set,
                             gint64       account_id,
                             gint64       message_id,
                             const char  *from_address,
                             GPtrArray   *deferred)
{
  guint failures = 0;

  if (deferred == NULL)
    return 0;

  for (guint i = 0; i < deferred->len; i++)
    {
      RpFilterAction *action = g_ptr_array_index (deferred, i);
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      switch (action->type)
        {
        case RP_FILTER_ACTION_COPY:
          {
            gint64 folder = _rp_filter_set_resolve_folder (set, account_id, action->argument,
                                                           &error);

            ok = folder > 0 && rp_store_copy_messages (set->store, &message_id, 1, folder, &error);
          }
          break;

        case RP_FILTER_ACTION_FORWARD:
          ok = forward_message (set, account_id, message_id, action->argument, &error);
          break;

        case RP_FILTER_ACTION_LINK_CRM:
          {
            gint64 record = *action->argument
              ? g_ascii_strtoll (action->argument, NULL, 10)
              : (from_address ? rp_crm_find_record_id_by_address (set->store, from_address,
                                                                  &error) : 0);

            /* A sender the CRM does not know is not an error: nothing to link. */
            if (record > 0)
              ok = rp_crm_link_message (set->store, message_id, record, &error);
            else
              ok = error == NULL;
          }
          break;

        case RP_FILTER_ACTION_MOVE:
        case RP_FILTER_ACTION_MARK_READ:
        case RP_FILTER_ACTION_FLAG:
        case RP_FILTER_ACTION_DELETE:
        default:
          g_assert_not_reached ();
        }

      if (!ok)
        {
          failures++;
          g_warning ("Filter action “%s” on message %" G_GINT64_FORMAT " failed: %s",
                     rp_filter_action_type_to_string (action->type), message_id,
                     error ? error->message : "unknown error");
        }
    }

  return failures;
}
