/* test-preferences.c: the preferences window and an account's settings,
 * in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "rp-account-store.h"
#include "rp-application.h"
#include "rp-preferences-window-private.h"
#include "rp-window-private.h"
#include "ui-test-util.h"

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 10)
#define SETTINGS_CHILD(settings, name) \
  rp_ui_test_template_child ((settings), RP_TYPE_ACCOUNT_SETTINGS, name)

/* The first scrolled window under @widget, depth first. */
static GtkScrolledWindow *
find_scrolled (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkScrolledWindow *found = find_scrolled (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* @widget's window, scrolled to the end of @widget's page. */
static void
save_screenshot_of_end (GtkWidget  *widget,
                        const char *name)
{
  GtkScrolledWindow *scrolled = find_scrolled (widget);
  GtkAdjustment *adjustment;

  g_assert_nonnull (scrolled);
  rp_ui_test_spin (200);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  rp_ui_test_save_screenshot (GTK_WIDGET (gtk_widget_get_root (widget)), name);
  gtk_adjustment_set_value (adjustment, 0);
}

/* A part of the open identity dialog. */
static gpointer
part (RpAccountSettings *settings,
      const char        *name)
{
  GtkWindow *dialog = _rp_account_settings_get_identity_dialog (settings);
  GtkWidget *widget;

  g_assert_nonnull (dialog);
  widget = _rp_identity_dialog_get_part (dialog, name);
  g_assert_nonnull (widget);
  return widget;
}

static gboolean
can_save_identity (RpAccountSettings *settings)
{
  return gtk_widget_get_sensitive (part (settings, "save"));
}

static void
save_identity (RpAccountSettings *settings)
{
  g_assert_true (can_save_identity (settings));
  g_signal_emit_by_name (part (settings, "save"), "clicked");
  g_assert_null (_rp_account_settings_get_identity_dialog (settings));
}

static char *
lookup_smtp_password (RpApplication    *app,
                      const RpAccount  *account,
                      const RpIdentity *identity)
{
  g_autofree char *key = rp_account_dup_secret_key (account, identity);
  g_autoptr(GError) error = NULL;
  char *password;

  password = rp_secrets_lookup_sync (rp_application_get_secrets (app), "smtp", key, NULL, &error);
  g_assert_no_error (error);
  return password;
}

/* An account the fetcher turned off after too many connection failures. */
static gint64
seed_account (RpStore    *store,
              const char *name)
{
  g_autoptr(RpAccount) account = rp_account_new (name);
  g_autoptr(GError) error = NULL;
  RpIdentity *identity;

  g_free (account->email);
  account->email = g_strdup (name);
  g_free (account->pop_host);
  account->pop_host = g_strdup ("pop.invalid");
  g_free (account->smtp_host);
  account->smtp_host = g_strdup ("smtp.invalid");
  identity = rp_identity_new (name);
  identity->is_default = TRUE;
  g_ptr_array_add (account->identities, identity);
  identity = rp_identity_new ("sales@example.org");
  identity->bcc_self = TRUE;
  g_ptr_array_add (account->identities, identity);
  account->enabled = FALSE;
  account->disabled_reason = RP_DISABLED_CONNECTION;
  account->connection_failures = RP_ACCOUNT_MAX_CONNECTION_FAILURES;
  g_assert_true (rp_store_save_account (store, account, &error));
  g_assert_no_error (error);

  return account->id;
}

/* Tests */

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpApplication) app = rp_ui_test_new_application ();
  RpWindow *window;
  RpStore *store;
  RpPreferencesWindow *preferences = NULL;
  RpAccountSettings *settings;
  AdwActionRow *row;
  gint64 id;
  gint64 support_id;

  store = rp_application_get_store (app);
  /* The scheduler must not fetch the made-up servers. */
  rp_scheduler_stop (rp_application_get_scheduler (app));
  id = seed_account (store, "me@example.org");

  window = rp_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* Ctrl+comma and the menu item are bound to app.preferences. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "app.preferences");

    g_assert_cmpstr (accels[0], ==, "<Control>comma");
  }
  /* The banner of the disabled account leads to its settings. */
  WAIT_FOR (_rp_window_get_banner_text (window) != NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "account-settings",
                                  g_variant_new_int64 (id));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (RP_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  g_assert_nonnull (preferences);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  g_assert_cmpuint (_rp_preferences_window_get_n_accounts (preferences), ==, 1);
  row = _rp_preferences_window_get_account_row (preferences, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "me@example.org");
  settings = _rp_preferences_window_get_settings (preferences);
  g_assert_nonnull (settings);
  g_assert_cmpint (rp_account_settings_get_account_id (settings), ==, id);
  /* It says why the account is off. */
  g_assert_true (gtk_widget_get_visible (SETTINGS_CHILD (settings, "status_group")));
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-account.png");

  /* A new server lifts the lock of connection failures. */
  gtk_editable_set_text (SETTINGS_CHILD (settings, "pop_host_row"),
                         "pop.example.invalid");
  g_signal_emit_by_name (SETTINGS_CHILD (settings, "pop_host_row"), "apply");
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (account->pop_host, ==, "pop.example.invalid");
    g_assert_true (account->enabled);
    g_assert_cmpint (account->disabled_reason, ==, RP_DISABLED_NONE);
    g_assert_cmpuint (account->connection_failures, ==, 0);
  }
  g_assert_false (gtk_widget_get_visible (SETTINGS_CHILD (settings, "status_group")));
  WAIT_FOR (_rp_window_get_banner_text (window) == NULL);

  /* Fetching settings save at once. */
  gtk_spin_button_set_value (SETTINGS_CHILD (settings, "poll_spin"), 25);
  adw_combo_row_set_selected (SETTINGS_CHILD (settings, "retention_row"),
                              RP_RETENTION_DELETE_AFTER_FETCH);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);

    g_assert_cmpuint (account->poll_minutes, ==, 25);
    g_assert_cmpint (account->retention, ==, RP_RETENTION_DELETE_AFTER_FETCH);
  }

  /* The second identity can go; the account's own cannot. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove-identity", "i", 0);
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove-identity", "i", 1);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);

    g_assert_cmpuint (account->identities->len, ==, 1);
    g_assert_cmpstr (((RpIdentity *) g_ptr_array_index (account->identities, 0))->address, ==,
                     "me@example.org");
  }
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-account-edited.png");

  /* A new identity, sending through a server of its own, with a Bcc to
   * the sender. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.add-identity", NULL);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings))));
  g_assert_cmpstr (gtk_window_get_title (_rp_account_settings_get_identity_dialog (settings)), ==,
                   "New Identity");
  g_assert_false (can_save_identity (settings));
  gtk_editable_set_text (part (settings, "address"), "support@example.org");
  gtk_editable_set_text (part (settings, "name"), "Support Desk");
  g_assert_true (can_save_identity (settings));
  gtk_switch_set_active (part (settings, "bcc"), TRUE);
  adw_expander_row_set_enable_expansion (part (settings, "server"), TRUE);
  /* A server of its own needs a name. */
  g_assert_false (can_save_identity (settings));
  gtk_editable_set_text (part (settings, "host"), "smtp.support.example");
  g_assert_true (can_save_identity (settings));
  adw_combo_row_set_selected (part (settings, "security"), RP_SECURITY_STARTTLS);
  /* The standard port follows the security. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (part (settings, "port")), ==, 587);
  gtk_editable_set_text (part (settings, "user"), "desk");
  gtk_editable_set_text (part (settings, "password"), "desk-password-1");
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings)),
                   "preferences-identity-new.png");
  save_identity (settings);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);
    g_autofree char *password = NULL;
    RpIdentity *identity;

    g_assert_no_error (error);
    g_assert_cmpuint (account->identities->len, ==, 2);
    identity = rp_account_find_identity (account, "support@example.org");
    g_assert_nonnull (identity);
    g_assert_true (identity == g_ptr_array_index (account->identities, 1));
    g_assert_cmpstr (identity->display_name, ==, "Support Desk");
    g_assert_false (identity->is_default);
    g_assert_cmpstr (identity->smtp_host, ==, "smtp.support.example");
    g_assert_cmpuint (identity->smtp_port, ==, 587);
    g_assert_cmpint (identity->smtp_security, ==, RP_SECURITY_STARTTLS);
    g_assert_cmpstr (identity->smtp_user, ==, "desk");
    g_assert_true (identity->bcc_self);
    g_assert_false (identity->cc_self);
    /* Its password is its own, not the account's. */
    password = lookup_smtp_password (app, account, identity);
    g_assert_cmpstr (password, ==, "desk-password-1");
    g_clear_pointer (&password, g_free);
    password = lookup_smtp_password (app, account, NULL);
    g_assert_null (password);
    support_id = identity->id;
  }

  /* Edited: the form holds what was saved; Cc instead of Bcc, another
   * port and name, the password left as it is. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.edit-identity", "i", 1);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings))));
  g_assert_cmpstr (gtk_window_get_title (_rp_account_settings_get_identity_dialog (settings)), ==,
                   "Edit Identity");
  g_assert_cmpstr (gtk_editable_get_text (part (settings, "address")), ==, "support@example.org");
  g_assert_cmpstr (gtk_editable_get_text (part (settings, "host")), ==, "smtp.support.example");
  g_assert_cmpstr (gtk_editable_get_text (part (settings, "password")), ==, "");
  g_assert_true (adw_expander_row_get_enable_expansion (part (settings, "server")));
  g_assert_cmpint (adw_combo_row_get_selected (part (settings, "security")), ==,
                   RP_SECURITY_STARTTLS);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (part (settings, "port")), ==, 587);
  g_assert_true (gtk_switch_get_active (part (settings, "bcc")));
  g_assert_false (gtk_switch_get_active (part (settings, "cc")));
  gtk_switch_set_active (part (settings, "bcc"), FALSE);
  gtk_switch_set_active (part (settings, "cc"), TRUE);
  gtk_spin_button_set_value (part (settings, "port"), 2525);
  gtk_editable_set_text (part (settings, "name"), "Support Team");
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings)),
                   "preferences-identity-edit.png");
  save_identity (settings);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);
    g_autofree char *password = NULL;
    RpIdentity *identity;

    g_assert_no_error (error);
    g_assert_cmpuint (account->identities->len, ==, 2);
    identity = rp_account_find_identity (account, "support@example.org");
    /* The same row: the Outbox refers to identities by id. */
    g_assert_cmpint (identity->id, ==, support_id);
    g_assert_cmpstr (identity->display_name, ==, "Support Team");
    g_assert_cmpstr (identity->smtp_host, ==, "smtp.support.example");
    g_assert_cmpuint (identity->smtp_port, ==, 2525);
    g_assert_true (identity->cc_self);
    g_assert_false (identity->bcc_self);
    password = lookup_smtp_password (app, account, identity);
    g_assert_cmpstr (password, ==, "desk-password-1");
  }

  /* A new address takes the stored password along. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.edit-identity", "i", 1);
  gtk_editable_set_text (part (settings, "address"), "helpdesk@example.org");
  save_identity (settings);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);
    g_autoptr(RpIdentity) gone = rp_identity_new ("support@example.org");
    g_autofree char *password = NULL;
    RpIdentity *identity;

    g_assert_no_error (error);
    g_assert_null (rp_account_find_identity (account, "support@example.org"));
    identity = rp_account_find_identity (account, "helpdesk@example.org");
    g_assert_nonnull (identity);
    g_assert_cmpstr (identity->smtp_host, ==, "smtp.support.example");
    password = lookup_smtp_password (app, account, identity);
    g_assert_cmpstr (password, ==, "desk-password-1");
    g_clear_pointer (&password, g_free);
    gone->smtp_host = g_strdup ("smtp.support.example");
    password = lookup_smtp_password (app, account, gone);
    g_assert_null (password);
  }

  /* Without a server of its own it sends through the account's, and its
   * password goes. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.edit-identity", "i", 1);
  adw_expander_row_set_enable_expansion (part (settings, "server"), FALSE);
  save_identity (settings);
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);
    g_autoptr(RpIdentity) before = rp_identity_new ("helpdesk@example.org");
    g_autofree char *password = NULL;
    RpIdentity *identity;

    g_assert_no_error (error);
    identity = rp_account_find_identity (account, "helpdesk@example.org");
    g_assert_nonnull (identity);
    g_assert_null (identity->smtp_host);
    g_assert_true (identity->cc_self);
    before->smtp_host = g_strdup ("smtp.support.example");
    password = lookup_smtp_password (app, account, before);
    g_assert_null (password);
  }

  /* Cancel changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.edit-identity", "i", 1);
  gtk_editable_set_text (part (settings, "name"), "Nobody");
  gtk_window_destroy (_rp_account_settings_get_identity_dialog (settings));
  g_assert_null (_rp_account_settings_get_identity_dialog (settings));
  {
    g_autoptr(RpAccount) account = rp_store_load_account_by_id (store, id, &error);

    g_assert_cmpstr (rp_account_find_identity (account, "helpdesk@example.org")->display_name,
                     ==, "Support Team");
  }

  /* Removing asks first; Cancel keeps everything. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove", NULL);
  g_assert_nonnull (_rp_account_settings_get_remove_dialog (settings));
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_remove_dialog (settings)),
                   "preferences-remove.png");
  adw_message_dialog_response (_rp_account_settings_get_remove_dialog (settings), "cancel");
  g_assert_cmpint (rp_store_lookup_account (store, "me@example.org"), ==, id);
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove", NULL);
  adw_message_dialog_response (_rp_account_settings_get_remove_dialog (settings), "remove");
  g_assert_cmpint (rp_store_lookup_account (store, "me@example.org"), ==, 0);
  WAIT_FOR (_rp_preferences_window_get_n_accounts (preferences) == 0);
  WAIT_FOR (g_str_equal (_rp_window_get_page (window), "welcome"));
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-accounts.png");

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
  rp_ui_test_spin (50);
}

/* The preferences in German: the account list, an account's settings
 * (top and end, wide and at the narrowest width), the identity dialog
 * and the removal question, saved as screenshots for review. */
static void
test_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpApplication) app = NULL;
  g_autoptr(RpAccount) account = NULL;
  RpPreferencesWindow *preferences;
  RpAccountSettings *settings;
  RpIdentity *identity;
  RpWindow *window;
  RpStore *store;
  gint64 id;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  rp_ui_test_use_german ();
  app = rp_ui_test_new_application ();
  store = rp_application_get_store (app);
  rp_scheduler_stop (rp_application_get_scheduler (app));
  id = seed_account (store, "me@example.org");
  /* An identity with a server of its own, for the dialog. */
  account = rp_store_load_account_by_id (store, id, &error);
  g_assert_no_error (error);
  identity = g_ptr_array_index (account->identities, 1);
  identity->smtp_host = g_strdup ("smtp.sales.example");
  identity->smtp_port = 587;
  identity->smtp_security = RP_SECURITY_STARTTLS;
  g_assert_true (rp_store_save_account (store, account, &error));
  g_assert_no_error (error);

  window = rp_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  preferences = rp_preferences_window_present (app, GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  g_assert_cmpuint (_rp_preferences_window_get_n_accounts (preferences), ==, 1);
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-de-accounts.png");

  rp_preferences_window_show_account (preferences, id);
  settings = _rp_preferences_window_get_settings (preferences);
  g_assert_nonnull (settings);
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-de-account.png");
  save_screenshot_of_end (GTK_WIDGET (settings), "preferences-de-account-end.png");
  gtk_window_set_default_size (GTK_WINDOW (preferences), 360, 720);
  rp_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-de-account-narrow.png");
  save_screenshot_of_end (GTK_WIDGET (settings), "preferences-de-account-narrow-end.png");
  gtk_window_set_default_size (GTK_WINDOW (preferences), 640, 720);

  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.edit-identity", "i", 1);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings))));
  g_assert_true (adw_expander_row_get_expanded (part (settings, "server")));
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings)),
                   "preferences-de-identity.png");
  gtk_window_set_default_size (_rp_account_settings_get_identity_dialog (settings), 360, 640);
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_identity_dialog (settings)),
                   "preferences-de-identity-narrow.png");
  gtk_window_destroy (_rp_account_settings_get_identity_dialog (settings));

  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove", NULL);
  g_assert_nonnull (_rp_account_settings_get_remove_dialog (settings));
  rp_ui_test_save_screenshot (GTK_WIDGET (_rp_account_settings_get_remove_dialog (settings)),
                   "preferences-de-remove.png");
  adw_message_dialog_response (_rp_account_settings_get_remove_dialog (settings), "cancel");
  g_assert_cmpint (rp_store_lookup_account (store, "me@example.org"), ==, id);

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
  rp_ui_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{

  rp_ui_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/preferences/settings", test_settings);
  g_test_add_func ("/ui/preferences/german", test_german);

  return g_test_run ();
}
