/* rp-compose-drafts.c: the compose window's copy in the Drafts folder
 *
 * A window keeps at most one copy in Drafts: each save stores the new
 * copy, then deletes the one before, so that a failure in between leaves
 * two copies rather than none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-compose-drafts.h"

/* Internal API, for the compose window */

gint64
_rp_compose_drafts_save (RpStore           *store,
                         const RpAccount   *account,
                         const RpIdentity  *identity,
                         const RpDraft     *draft,
                         gint64             previous,
                         GError           **error)
{
  g_autoptr(GBytes) raw = NULL;
  RpStoreNewMessage msg = { 0 };

  g_assert (RP_IS_STORE (store));
  g_assert (account != NULL && draft != NULL);

  raw = rp_composer_build_draft (draft, account, identity, error);
  if (raw == NULL)
    return 0;
  msg.folder_id = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_DRAFTS);
  if (msg.folder_id == 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_STORE,
                           _("There is no account to keep the draft in."));
      return 0;
    }
  msg.raw = raw;
  msg.flags = RP_MESSAGE_FLAG_DRAFT | RP_MESSAGE_FLAG_SEEN;
  if (!rp_store_add_messages_sync (store, account->id, &msg, 1, NULL, error))
    return 0;

  if (previous != 0 && previous != msg.id)
    {
      g_autoptr(GError) local_error = NULL;

      if (!rp_store_delete_messages (store, &previous, 1, &local_error))
        g_warning ("Could not delete the previous draft: %s", local_error->message);
    }

  return msg.id;
}

/* To the Trash rather than away for good: a slip of the mouse on Discard
 * must not cost an hour's writing. */
gboolean
_rp_compose_drafts_discard (RpStore  *store,
                            gint64    stored_id,
                            GError  **error)
{
  g_autoptr(RpMessageItem) item = NULL;
  gint64 trash;

  g_assert (RP_IS_STORE (store));

  item = rp_store_get_item (store, stored_id, error);
  if (item == NULL)
    return FALSE;
  trash = rp_store_get_special_folder (store, rp_message_item_get_account_id (item),
                                       RP_FOLDER_ROLE_TRASH);
  if (trash != 0)
    return rp_store_move_messages (store, &stored_id, 1, trash, error);

  return rp_store_delete_messages (store, &stored_id, 1, error);
}
