/* rp-notify.c: the desktop notification for new mail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-folder-model.h"
#include "rp-notify.h"

/**
 * rp_notify_new_mail:
 * @app: the application that sends
 * @store: (nullable): the store, for the newest senders and subjects
 * @account_name: the account that fetched
 * @n_new: how many messages the fetch brought
 *
 * Sends one notification for a fetch, never one per message: the title
 * counts the new mail, the body names the newest few. A later fetch of the
 * same account replaces it.
 *
 * Returns: (transfer full): the notification's id, for withdrawing it
 */
char *
rp_notify_new_mail (GApplication *app,
                    RpStore      *store,
                    const char   *account_name,
                    guint         n_new)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  gint64 inbox_id = 0;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (store == NULL || RP_IS_STORE (store), NULL);

  accounts = store != NULL ? rp_store_load_accounts (store, NULL) : NULL;
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RpAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (account->name, account_name) == 0)
        inbox_id = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_INBOX);
    }

  if (inbox_id != 0)
    {
      g_autoptr(RpFolderModel) model = rp_folder_model_new_for_folder (store, inbox_id);
      guint n = MIN (MIN (n_new, 3), g_list_model_get_n_items (G_LIST_MODEL (model)));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RpMessageItem) item =
            rp_store_get_item (store, rp_folder_model_get_id_at (model, i), NULL);

          if (item == NULL)
            continue;
          if (body->len > 0)
            g_string_append_c (body, '\n');
          /* Translators: a line of the new-mail notification: sender, then subject. */
          g_string_append_printf (body, _("%s: %s"), rp_message_item_get_sender (item),
                                  rp_message_item_get_subject (item));
        }
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u new message in %s",
                                        "%u new messages in %s",
                                        n_new),
                           n_new, account_name);
  notification = g_notification_new (title);
  if (body->len > 0)
    g_notification_set_body (notification, body->str);
  id = g_strdup_printf ("new-mail-%s", account_name);
  g_application_send_notification (app, id, notification);

  return g_steal_pointer (&id);
}
