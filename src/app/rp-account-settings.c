/* rp-account-settings.c: one account's settings
 *
 * Every change is saved as it is made, as GNOME preferences are: entry
 * rows when applied (Enter or their apply button), the rest at once. The
 * failure policy of rp-account-store decides what a change does to a
 * disabled account: new server settings lift a lock for connection
 * failures, a new password one for refused logins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-settings-private.h"
#include "rp-account-store.h"
#include "rp-macros.h"

struct _RpAccountSettings
{
  GtkBox             parent_instance;

  RpApplication     *app;
  gint64             account_id;
  RpAccount         *account;
  /* The rows of the identities, removed on each reload. */
  GPtrArray         *identity_rows;
  GtkWindow         *identity_dialog;   /* (weak) */
  AdwMessageDialog  *remove_dialog;     /* (weak) */
  /* Set while the widgets are filled from the account. */
  gboolean           filling;

  /* Template children */
  AdwWindowTitle    *title;
  AdwPreferencesGroup *status_group;
  AdwActionRow      *status_row;
  AdwEntryRow       *display_name_row;
  AdwEntryRow       *password_row;
  AdwEntryRow       *pop_host_row;
  AdwComboRow       *pop_security_row;
  GtkSpinButton     *pop_port_spin;
  AdwEntryRow       *pop_user_row;
  AdwEntryRow       *smtp_host_row;
  AdwComboRow       *smtp_security_row;
  GtkSpinButton     *smtp_port_spin;
  AdwEntryRow       *smtp_user_row;
  GtkSpinButton     *poll_spin;
  AdwComboRow       *retention_row;
  GtkWidget         *days_row;
  GtkSpinButton     *days_spin;
  GtkWidget         *recent_row;
  GtkSwitch         *recent_switch;
  AdwPreferencesGroup *identities_group;
};

G_DEFINE_FINAL_TYPE (RpAccountSettings, rp_account_settings, GTK_TYPE_BOX)

enum {
  DONE,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void load (RpAccountSettings *self);

/* Auxiliary methods */

static guint16
default_port (gboolean   pop,
              RpSecurity security)
{
  if (pop)
    return security == RP_SECURITY_TLS ? 995 : 110;
  return security == RP_SECURITY_TLS ? 465 : 587;
}

static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static RpStore *
get_store (RpAccountSettings *self)
{
  return rp_application_get_store (self->app);
}

static void
show_toast (RpAccountSettings *self,
            const char        *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
  else
    g_warning ("%s", message);
}

static void
show_error (RpAccountSettings *self,
            const char        *what,
            const GError      *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  show_toast (self, message);
}

/* Saves the account; @reenable says which lock the change lifts. */
static void
save (RpAccountSettings *self,
      RpDisabledReason   reenable)
{
  RpScheduler *scheduler = rp_application_get_scheduler (self->app);
  g_autoptr(GError) error = NULL;

  if (!rp_store_save_account (get_store (self), self->account, &error))
    {
      show_error (self, _("Cannot save the account"), error);
      load (self);
      return;
    }
  if (!self->account->enabled && reenable != RP_DISABLED_NONE &&
      self->account->disabled_reason == reenable &&
      !rp_store_enable_account (get_store (self), self->account->id, TRUE, &error))
    show_error (self, _("Cannot turn the account on"), error);

  /* New intervals and servers take effect with the next timer. */
  if (scheduler != NULL)
    rp_scheduler_start (scheduler);
  load (self);
}

static char *
describe_identity (const RpIdentity *identity)
{
  GString *s = g_string_new (identity->display_name);

  if (identity->smtp_host != NULL && *identity->smtp_host != '\0')
    {
      if (s->len > 0)
        g_string_append (s, " · ");
      g_string_append_printf (s, _("Sends through %s"), identity->smtp_host);
    }
  if (identity->cc_self || identity->bcc_self)
    {
      if (s->len > 0)
        g_string_append (s, " · ");
      g_string_append (s, identity->bcc_self ? _("Bcc to myself") : _("Cc to myself"));
    }

  return g_string_free (s, FALSE);
}

static void
fill_identities (RpAccountSettings *self)
{
  for (guint i = 0; i < self->identity_rows->len; i++)
    adw_preferences_group_remove (self->identities_group,
                                  g_ptr_array_index (self->identity_rows, i));
  g_ptr_array_set_size (self->identity_rows, 0);

  for (guint i = 0; i < self->account->identities->len; i++)
    {
      const RpIdentity *identity = g_ptr_array_index (self->account->identities, i);
      g_autofree char *subtitle = describe_identity (identity);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), identity->address);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_tooltip_text (edit, _("Edit Identity"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "settings.edit-identity");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "i", (gint32) i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);

      /* The default identity is the account's own address. */
      if (!identity->is_default)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_tooltip_text (remove, _("Remove Identity"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "settings.remove-identity");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "i", (gint32) i);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }

      adw_preferences_group_add (self->identities_group, row);
      g_ptr_array_add (self->identity_rows, row);
    }
}

static void
load (RpAccountSettings *self)
{
  g_autoptr(GError) error = NULL;
  RpAccount *account = rp_store_load_account_by_id (get_store (self), self->account_id, &error);
  RpAccount *a;

  if (account == NULL)
    {
      /* Removed elsewhere (the CLI, another window): nothing to edit. */
      g_debug ("Account %" G_GINT64_FORMAT " is gone: %s", self->account_id,
               error != NULL ? error->message : "");
      return;
    }
  g_clear_pointer (&self->account, rp_account_free);
  self->account = a = account;

  self->filling = TRUE;
  adw_window_title_set_title (self->title, a->name);
  adw_window_title_set_subtitle (self->title, g_strcmp0 (a->name, a->email) != 0 ? a->email : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), !a->enabled);
  if (!a->enabled)
    {
      g_autofree char *why = rp_account_describe_disabled (a);

      adw_action_row_set_subtitle (self->status_row, why);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row), a->display_name);
  gtk_editable_set_text (GTK_EDITABLE (self->pop_host_row), a->pop_host);
  adw_combo_row_set_selected (self->pop_security_row, a->pop_security);
  gtk_spin_button_set_value (self->pop_port_spin, a->pop_port);
  gtk_editable_set_text (GTK_EDITABLE (self->pop_user_row), a->pop_user);
  gtk_editable_set_text (GTK_EDITABLE (self->smtp_host_row), a->smtp_host);
  adw_combo_row_set_selected (self->smtp_security_row, a->smtp_security);
  gtk_spin_button_set_value (self->smtp_port_spin, a->smtp_port);
  gtk_editable_set_text (GTK_EDITABLE (self->smtp_user_row), a->smtp_user);

  gtk_spin_button_set_value (self->poll_spin, a->poll_minutes);
  adw_combo_row_set_selected (self->retention_row, a->retention);
  gtk_spin_button_set_value (self->days_spin, a->retention_days);
  gtk_widget_set_sensitive (self->days_row, a->retention == RP_RETENTION_DELETE_AFTER_DAYS);
  gtk_switch_set_active (self->recent_switch, a->recent_mode);
  /* Recent mode means something only to Gmail. */
  gtk_widget_set_visible (self->recent_row,
                          a->recent_mode || g_str_has_suffix (a->pop_host, ".gmail.com") ||
                          g_str_has_suffix (a->pop_host, ".googlemail.com"));

  fill_identities (self);
  self->filling = FALSE;
}

/* Callbacks */

static void
on_server_applied (RpAccountSettings *self)
{
  RpAccount *a = self->account;
  g_autofree char *pop_host = dup_stripped (self->pop_host_row);
  g_autofree char *pop_user = dup_stripped (self->pop_user_row);
  g_autofree char *smtp_host = dup_stripped (self->smtp_host_row);
  g_autofree char *smtp_user = dup_stripped (self->smtp_user_row);

  if (self->filling || a == NULL)
    return;

  if (*pop_host == '\0' || *smtp_host == '\0')
    {
      show_toast (self, _("A server name cannot be empty"));
      load (self);
      return;
    }

  /* A pinned certificate belongs to the server it was trusted for.
   * An older account's POP3 pin stands for its SMTP server on the same
   * host too; the SMTP server keeps it as its own before the pins part. */
  if (a->smtp_pinned_certificate == NULL && rp_account_get_smtp_pin (a) != NULL)
    a->smtp_pinned_certificate = g_strdup (rp_account_get_smtp_pin (a));
  if (g_strcmp0 (a->pop_host, pop_host) != 0)
    g_clear_pointer (&a->pinned_certificate, g_free);
  if (g_strcmp0 (a->smtp_host, smtp_host) != 0)
    g_clear_pointer (&a->smtp_pinned_certificate, g_free);

  rp_set_str (&a->pop_host, pop_host);
  a->pop_security = adw_combo_row_get_selected (self->pop_security_row);
  a->pop_port = gtk_spin_button_get_value_as_int (self->pop_port_spin);
  rp_set_str (&a->pop_user, pop_user);
  rp_set_str (&a->smtp_host, smtp_host);
  a->smtp_security = adw_combo_row_get_selected (self->smtp_security_row);
  a->smtp_port = gtk_spin_button_get_value_as_int (self->smtp_port_spin);
  rp_set_str (&a->smtp_user, smtp_user);

  save (self, RP_DISABLED_CONNECTION);
}

static void
on_security_changed (RpAccountSettings *self,
                     GParamSpec        *pspec,
                     AdwComboRow       *row)
{
  gboolean pop = row == self->pop_security_row;
  GtkSpinButton *spin = pop ? self->pop_port_spin : self->smtp_port_spin;
  guint port = gtk_spin_button_get_value_as_int (spin);

  if (self->filling)
    return;

  /* A standard port follows the security; a port of the user's own stays. */
  self->filling = TRUE;
  for (RpSecurity s = RP_SECURITY_TLS; s <= RP_SECURITY_NONE; s++)
    if (port == default_port (pop, s))
      {
        gtk_spin_button_set_value (spin, default_port (pop, adw_combo_row_get_selected (row)));
        break;
      }
  self->filling = FALSE;
  on_server_applied (self);
}

static void
on_port_changed (RpAccountSettings *self)
{
  on_server_applied (self);
}

static void
on_name_applied (RpAccountSettings *self)
{
  g_autofree char *name = dup_stripped (self->display_name_row);
  RpIdentity *identity;

  if (self->filling || self->account == NULL)
    return;

  rp_set_str (&self->account->display_name, name);
  identity = rp_account_get_default_identity (self->account);
  if (identity != NULL)
    rp_set_str (&identity->display_name, name);
  save (self, RP_DISABLED_NONE);
}

static void
on_password_applied (RpAccountSettings *self)
{
  RpSecrets *secrets = rp_application_get_secrets (self->app);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  if (self->account == NULL || *password == '\0')
    return;

  /* Both servers of an account share its password. */
  key = rp_account_dup_secret_key (self->account, NULL);
  if (!rp_secrets_store_sync (secrets, "pop3", key, password, NULL, &error) ||
      !rp_secrets_store_sync (secrets, "smtp", key, password, NULL, &error))
    {
      show_error (self, _("Cannot save the password"), error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_toast (self, _("Password changed"));
  save (self, RP_DISABLED_AUTH);
}

static void
on_fetch_changed (RpAccountSettings *self)
{
  RpAccount *a = self->account;

  if (self->filling || a == NULL)
    return;

  a->poll_minutes = gtk_spin_button_get_value_as_int (self->poll_spin);
  a->retention = adw_combo_row_get_selected (self->retention_row);
  a->retention_days = gtk_spin_button_get_value_as_int (self->days_spin);
  a->recent_mode = gtk_switch_get_active (self->recent_switch);
  save (self, RP_DISABLED_NONE);
}

static void
on_identity_edited (RpIdentity *identity,
                    const char *password,
                    gpointer    user_data)
{
  RpAccountSettings *self = user_data;
  RpAccount *a = self->account;
  g_autoptr(GError) error = NULL;
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self->identity_dialog),
                                                  "rp-identity-index"));
  RpIdentity *other = rp_account_find_identity (a, identity->address);

  if (other != NULL && (index < 0 || other != g_ptr_array_index (a->identities, index)))
    {
      g_autofree char *message = g_strdup_printf (_("The account has an identity %s already"),
                                                  identity->address);

      show_toast (self, message);
      rp_identity_free (identity);
      return;
    }

  /* The password of an identity's own server is kept under its own key,
   * which names the address: a new address takes the stored password
   * along, and an identity that no longer has a server of its own leaves
   * no password behind. */
  {
    RpSecrets *secrets = rp_application_get_secrets (self->app);
    const RpIdentity *old = index >= 0 ? g_ptr_array_index (a->identities, index) : NULL;
    g_autofree char *old_key = old != NULL && old->smtp_host != NULL
                               ? rp_account_dup_secret_key (a, old) : NULL;
    g_autofree char *new_key = identity->smtp_host != NULL
                               ? rp_account_dup_secret_key (a, identity) : NULL;
    g_autofree char *moved = NULL;

    if (new_key != NULL && *password == '\0' && old_key != NULL &&
        !g_str_equal (old_key, new_key))
      moved = rp_secrets_lookup_sync (secrets, "smtp", old_key, NULL, NULL);
    if (new_key != NULL && (*password != '\0' || moved != NULL) &&
        !rp_secrets_store_sync (secrets, "smtp", new_key, moved != NULL ? moved : password,
                                NULL, &error))
      show_error (self, _("Cannot save the password"), error);
    else if (old_key != NULL && g_strcmp0 (old_key, new_key) != 0)
      rp_secrets_clear_sync (secrets, "smtp", old_key, NULL, NULL);
  }

  if (index < 0)
    g_ptr_array_add (a->identities, identity);
  else
    {
      rp_identity_free (g_ptr_array_index (a->identities, index));
      g_ptr_array_index (a->identities, index) = identity;
    }
  save (self, RP_DISABLED_NONE);
}

static void
on_remove_response (RpAccountSettings *self,
                    const char        *response)
{
  RpSecrets *secrets = rp_application_get_secrets (self->app);
  RpScheduler *scheduler = rp_application_get_scheduler (self->app);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove") || self->account == NULL)
    return;

  /* Every password of the account goes with it: its own, and those of
   * identities with servers of their own. */
  for (guint i = 0; i <= self->account->identities->len; i++)
    {
      const RpIdentity *identity = i < self->account->identities->len
                                   ? g_ptr_array_index (self->account->identities, i) : NULL;
      g_autofree char *key = rp_account_dup_secret_key (self->account, identity);

      rp_secrets_clear_sync (secrets, "pop3", key, NULL, NULL);
      rp_secrets_clear_sync (secrets, "smtp", key, NULL, NULL);
    }

  if (!rp_store_remove_account (get_store (self), self->account->id, &error))
    {
      show_error (self, _("Cannot remove the account"), error);
      return;
    }
  if (scheduler != NULL)
    rp_scheduler_start (scheduler);

  g_signal_emit (self, signals[DONE], 0);
}

/* Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

static void
enable_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (widget);
  RpScheduler *scheduler = rp_application_get_scheduler (self->app);
  g_autoptr(GError) error = NULL;

  if (!rp_store_enable_account (get_store (self), self->account_id, TRUE, &error))
    show_error (self, _("Cannot turn the account on"), error);
  if (scheduler != NULL)
    rp_scheduler_start (scheduler);
  load (self);
}

static void
edit_identity (RpAccountSettings *self,
               int                index)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  const RpIdentity *identity = index >= 0 ? g_ptr_array_index (self->account->identities, index)
                                          : NULL;

  self->identity_dialog = _rp_identity_dialog_present (parent, identity, on_identity_edited,
                                                       self);
  g_object_add_weak_pointer (G_OBJECT (self->identity_dialog),
                             (gpointer *) &self->identity_dialog);
  g_object_set_data (G_OBJECT (self->identity_dialog), "rp-identity-index",
                     GINT_TO_POINTER (index));
}

static void
add_identity_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (widget);

  if (self->account != NULL)
    edit_identity (self, -1);
}

static void
edit_identity_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (widget);
  int index = g_variant_get_int32 (parameter);

  if (self->account != NULL && index >= 0 && (guint) index < self->account->identities->len)
    edit_identity (self, index);
}

static void
remove_identity_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (widget);
  int index = g_variant_get_int32 (parameter);
  RpIdentity *identity;

  if (self->account == NULL || index < 0 || (guint) index >= self->account->identities->len)
    return;
  identity = g_ptr_array_index (self->account->identities, index);
  if (identity->is_default)
    return;

  if (identity->smtp_host != NULL)
    {
      g_autofree char *key = rp_account_dup_secret_key (self->account, identity);

      rp_secrets_clear_sync (rp_application_get_secrets (self->app), "smtp", key, NULL, NULL);
    }
  g_ptr_array_remove_index (self->account->identities, index);
  save (self, RP_DISABLED_NONE);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (widget);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  AdwMessageDialog *dialog;

  if (self->account == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Remove the Account?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("The account %s and all its mail on this computer will be "
                                    "deleted. Mail on the server stays there."),
                                  self->account->name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->remove_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject overrides */

static void
rp_account_settings_dispose (GObject *object)
{
  RpAccountSettings *self = RP_ACCOUNT_SETTINGS (object);

  if (self->identity_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->identity_dialog),
                                    (gpointer *) &self->identity_dialog);
      gtk_window_destroy (self->identity_dialog);
      self->identity_dialog = NULL;
    }
  g_clear_weak_pointer (&self->remove_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_ACCOUNT_SETTINGS);
  g_clear_pointer (&self->account, rp_account_free);
  g_clear_pointer (&self->identity_rows, g_ptr_array_unref);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (rp_account_settings_parent_class)->dispose (object);
}

static void
rp_account_settings_class_init (RpAccountSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_account_settings_dispose;

  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-account-settings.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RpAccountSettings, name)
  BIND (title);
  BIND (status_group);
  BIND (status_row);
  BIND (display_name_row);
  BIND (password_row);
  BIND (pop_host_row);
  BIND (pop_security_row);
  BIND (pop_port_spin);
  BIND (pop_user_row);
  BIND (smtp_host_row);
  BIND (smtp_security_row);
  BIND (smtp_port_spin);
  BIND (smtp_user_row);
  BIND (poll_spin);
  BIND (retention_row);
  BIND (days_row);
  BIND (days_spin);
  BIND (recent_row);
  BIND (recent_switch);
  BIND (identities_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_server_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_password_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_fetch_changed);

  gtk_widget_class_install_action (widget_class, "settings.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "settings.enable", NULL, enable_action);
  gtk_widget_class_install_action (widget_class, "settings.add-identity", NULL,
                                   add_identity_action);
  gtk_widget_class_install_action (widget_class, "settings.edit-identity", "i",
                                   edit_identity_action);
  gtk_widget_class_install_action (widget_class, "settings.remove-identity", "i",
                                   remove_identity_action);
  gtk_widget_class_install_action (widget_class, "settings.remove", NULL, remove_action);
}

static void
rp_account_settings_init (RpAccountSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->identity_rows = g_ptr_array_new ();
}

/* Public API */

/**
 * rp_account_settings_new:
 * @application: the application, with an open store
 * @account_id: the account to edit
 *
 * Returns: (transfer full): the settings page of the account
 */
RpAccountSettings *
rp_account_settings_new (RpApplication *application,
                         gint64         account_id)
{
  RpAccountSettings *self;

  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (rp_application_get_store (application) != NULL, NULL);

  self = g_object_new (RP_TYPE_ACCOUNT_SETTINGS, NULL);
  self->app = g_object_ref (application);
  self->account_id = account_id;
  load (self);

  return self;
}

gint64
rp_account_settings_get_account_id (RpAccountSettings *self)
{
  g_return_val_if_fail (RP_IS_ACCOUNT_SETTINGS (self), 0);

  return self->account_id;
}

/* Private API, for tests */

const RpAccount *
_rp_account_settings_get_account (RpAccountSettings *self)
{
  return self->account;
}

GtkWindow *
_rp_account_settings_get_identity_dialog (RpAccountSettings *self)
{
  return self->identity_dialog;
}

AdwMessageDialog *
_rp_account_settings_get_remove_dialog (RpAccountSettings *self)
{
  return self->remove_dialog;
}
