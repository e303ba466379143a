/* rp-preferences-window.c: the preferences
 *
 * The Accounts page lists the accounts, a disabled one marked as such;
 * each opens its settings (RpAccountSettings) as a subpage. The list
 * follows the store, so that an account added by the wizard or removed in
 * its settings shows at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-store.h"
#include "rp-account-wizard.h"
#include "rp-filter-editor.h"
#include "rp-preferences-window-private.h"

struct _RpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  RpApplication        *app;
  RpStore              *store;
  RpAccountSettings    *settings;       /* (weak) the subpage shown */
  guint                 n_accounts;

  /* Template children */
  AdwPreferencesPage   *accounts_page;
  GtkListBox           *accounts_list;
};

G_DEFINE_FINAL_TYPE (RpPreferencesWindow, rp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Auxiliary methods */

static void
reload_accounts (RpPreferencesWindow *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *old;
  GtkWidget *row;

  while ((old = gtk_list_box_get_row_at_index (self->accounts_list, 0)) != NULL)
    gtk_list_box_remove (self->accounts_list, GTK_WIDGET (old));
  self->n_accounts = 0;

  accounts = rp_store_load_accounts (self->store, &error);
  if (accounts == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      const RpAccount *account = g_ptr_array_index (accounts, i);
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      if (!account->enabled)
        {
          GtkWidget *mark = gtk_label_new (_("Turned Off"));
          g_autofree char *why = rp_account_describe_disabled (account);

          gtk_widget_add_css_class (mark, "error");
          gtk_widget_add_css_class (mark, "caption-heading");
          gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), why);
        }
      else if (g_strcmp0 (account->name, account->email) != 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), account->email);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      g_object_set_data_full (G_OBJECT (row), "rp-account-id",
                              g_memdup2 (&account->id, sizeof account->id), g_free);
      gtk_list_box_append (self->accounts_list, row);
      self->n_accounts++;
    }
}

/* Callbacks */

static void
on_store_changed (RpPreferencesWindow *self)
{
  reload_accounts (self);
}

static void
on_settings_done (RpPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  reload_accounts (self);
}

static void
on_account_activated (RpPreferencesWindow *self,
                      GtkListBoxRow       *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "rp-account-id");

  if (id != NULL)
    rp_preferences_window_show_account (self, *id);
}

/* Actions */

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpPreferencesWindow *self = RP_PREFERENCES_WINDOW (widget);

  rp_account_wizard_present (self->app, GTK_WINDOW (self));
}

/* GObject overrides */

static void
rp_preferences_window_dispose (GObject *object)
{
  RpPreferencesWindow *self = RP_PREFERENCES_WINDOW (object);

  g_clear_weak_pointer (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (rp_preferences_window_parent_class)->dispose (object);
}

static void
rp_preferences_window_class_init (RpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RpPreferencesWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, RpPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_callback (widget_class, on_account_activated);

  gtk_widget_class_install_action (widget_class, "preferences.add-account", NULL,
                                   add_account_action);
}

static void
rp_preferences_window_init (RpPreferencesWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No accounts yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->accounts_list, placeholder);
}

/* Public API */

/**
 * rp_preferences_window_new:
 * @application: the application, with an open store
 * @parent: (nullable): the window the preferences belong to
 *
 * Returns: (transfer full): a new preferences window, not yet shown
 */
RpPreferencesWindow *
rp_preferences_window_new (RpApplication *application,
                           GtkWindow     *parent)
{
  RpPreferencesWindow *self;

  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (rp_application_get_store (application) != NULL, NULL);

  self = g_object_new (RP_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->app = g_object_ref (application);
  self->store = g_object_ref (rp_application_get_store (application));
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  reload_accounts (self);

  /* --- filters page --- */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (rp_filter_editor_new (self->store)));

  return self;
}

/**
 * rp_preferences_window_present:
 * @application: the application
 * @parent: (nullable): the window a new preferences window belongs to
 *
 * Returns: (transfer none) (nullable): the window shown, or %NULL when
 *   the store is not open
 */
RpPreferencesWindow *
rp_preferences_window_present (RpApplication *application,
                               GtkWindow     *parent)
{
  RpPreferencesWindow *self = NULL;

  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);

  if (rp_application_get_store (application) == NULL)
    return NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    if (RP_IS_PREFERENCES_WINDOW (l->data))
      self = l->data;

  if (self == NULL)
    self = rp_preferences_window_new (application, parent);
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

void
rp_preferences_window_show_account (RpPreferencesWindow *self,
                                    gint64               account_id)
{
  RpAccountSettings *settings;

  g_return_if_fail (RP_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           self->accounts_page);
  if (self->settings != NULL)
    {
      if (rp_account_settings_get_account_id (self->settings) == account_id)
        return;
      adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
    }

  settings = rp_account_settings_new (self->app, account_id);
  g_signal_connect_object (settings, "done", G_CALLBACK (on_settings_done), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->settings, settings);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (settings));
}

/* Private API, for tests */

guint
_rp_preferences_window_get_n_accounts (RpPreferencesWindow *self)
{
  return self->n_accounts;
}

AdwActionRow *
_rp_preferences_window_get_account_row (RpPreferencesWindow *self,
                                        guint                index)
{
  return ADW_ACTION_ROW (gtk_list_box_get_row_at_index (self->accounts_list, index));
}

RpAccountSettings *
_rp_preferences_window_get_settings (RpPreferencesWindow *self)
{
  return self->settings;
}
