/* rp-window-accounts.c: the main window's bars for accounts the fetcher
 * turned off, and win.fix-account, which asks for the password again or
 * turns the account back on
 *
 * The window's own struct knows nothing of this: the bars' box is found
 * by its template name, and the open password dialog is kept on the
 * window as object data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-window-private.h"

#define STATE_KEY "rp-window-accounts"

typedef struct
{
  AdwMessageDialog *password_dialog;   /* (weak) the open one, or NULL */
} AccountsState;

/* Auxiliary methods */

static void
accounts_state_free (AccountsState *state)
{
  g_clear_weak_pointer (&state->password_dialog);
  g_free (state);
}

static AccountsState *
get_state (RpWindow *self)
{
  AccountsState *state = g_object_get_data (G_OBJECT (self), STATE_KEY);

  if (state == NULL)
    {
      state = g_new0 (AccountsState, 1);
      g_object_set_data_full (G_OBJECT (self), STATE_KEY, state,
                              (GDestroyNotify) accounts_state_free);
    }
  return state;
}

static GtkBox *
banners_box (RpWindow *self)
{
  return GTK_BOX (gtk_widget_get_template_child (GTK_WIDGET (self), RP_TYPE_WINDOW,
                                                 "account_banners"));
}

static RpAccount *
find_account (RpWindow *self,
              gint64    account_id)
{
  g_autoptr(GPtrArray) accounts = NULL;

  if (_rp_window_get_store (self) != NULL)
    accounts = rp_store_load_accounts (_rp_window_get_store (self), NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RpAccount *account = g_ptr_array_index (accounts, i);

      if (account->id == account_id)
        return rp_account_copy (account);
    }

  return NULL;
}

static void
enable_account (RpWindow *self,
                gint64    account_id)
{
  g_autoptr(GError) error = NULL;

  if (!rp_store_enable_account (_rp_window_get_store (self), account_id, TRUE, &error))
    _rp_window_show_toast (self, error->message);
}

/* Callbacks */

static void
on_password_response (RpWindow         *self,
                      const char       *response,
                      AdwMessageDialog *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gint64 account_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "rp-account-id");
  g_autoptr(RpAccount) account = find_account (self, account_id);
  RpApplication *app = RP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  RpSecrets *secrets = app != NULL ? rp_application_get_secrets (app) : NULL;
  const char *password = gtk_editable_get_text (entry);
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  if (get_state (self)->password_dialog == dialog)
    g_clear_weak_pointer (&get_state (self)->password_dialog);
  if (!g_str_equal (response, "save") || account == NULL || secrets == NULL || *password == '\0')
    return;

  /* Both servers of an account share its password. */
  key = rp_account_dup_secret_key (account, NULL);
  if (!rp_secrets_store_sync (secrets, "pop3", key, password, NULL, &error) ||
      !rp_secrets_store_sync (secrets, "smtp", key, password, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the password: %s"),
                                                  error->message);

      _rp_window_show_toast (self, message);
      return;
    }

  enable_account (self, account_id);
}

/* Actions */

static void
fix_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  gint64 account_id = g_variant_get_int64 (parameter);
  g_autoptr(RpAccount) account = find_account (self, account_id);
  GtkWidget *entry;
  AdwMessageDialog *dialog;

  if (account == NULL)
    return;

  if (account->disabled_reason != RP_DISABLED_AUTH)
    {
      enable_account (self, account_id);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Enter the Password"), NULL));
  adw_message_dialog_format_body (dialog, _("The mail server refused the password of %s."),
                                  account->email != NULL ? account->email : account->name);
  /* A plain entry: GTK 4.8's GtkPasswordEntry keeps a caps-lock handler on
   * the keyboard after it is finalized, which fires on a dead widget. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rp-account-id",
                          g_memdup2 (&account_id, sizeof account_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&get_state (self)->password_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Internal API */

void
_rp_window_install_account_actions (GtkWidgetClass *widget_class)
{
  /* Found by name (see banners_box()), so the window's struct needs no
   * field. */
  gtk_widget_class_bind_template_child_full (widget_class, "account_banners", FALSE, 0);
  gtk_widget_class_install_action (widget_class, "win.fix-account", "x", fix_account_action);
}

/* A bar above the list for each account the fetcher turned off, saying
 * why, with the button that puts it right. Accounts the user turned off
 * are left alone. */
void
_rp_window_update_account_banners (RpWindow  *self,
                                   GPtrArray *accounts)
{
  GtkBox *banners = banners_box (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (banners))) != NULL)
    gtk_box_remove (banners, child);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RpAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *text = NULL;
      GtkWidget *box, *label, *button;

      if (account->enabled || (account->disabled_reason != RP_DISABLED_AUTH &&
                               account->disabled_reason != RP_DISABLED_CONNECTION))
        continue;

      text = rp_account_describe_disabled (account);
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_add_css_class (box, "toolbar");
      gtk_widget_add_css_class (box, "warning");
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_set_hexpand (label, TRUE);
      button = gtk_button_new_with_mnemonic (account->disabled_reason == RP_DISABLED_AUTH
                                             ? _("Enter _Password…") : _("_Turn On"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.fix-account");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_int64 (account->id));
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), button);
      /* Everything else about the account (servers, for a connection
       * failure) is in its settings. */
      button = gtk_button_new_with_mnemonic (_("Account _Settings…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.account-settings");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_int64 (account->id));
      gtk_box_append (GTK_BOX (box), button);
      gtk_box_append (banners, box);
    }
}

/* For tests */

const char *
_rp_window_get_banner_text (RpWindow *self)
{
  GtkWidget *banner = gtk_widget_get_first_child (GTK_WIDGET (banners_box (self)));

  return banner != NULL ? gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (banner)))
                        : NULL;
}

AdwMessageDialog *
_rp_window_get_password_dialog (RpWindow *self)
{
  return get_state (self)->password_dialog;
}
