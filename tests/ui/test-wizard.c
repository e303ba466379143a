/* test-wizard.c: the account wizard, in-process under Xvfb, against real
 * Dovecot and Postfix servers
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
#include "rp-account-wizard-private.h"
#include "rp-application.h"
#include "rp-filter.h"
#include "rp-test-dovecot.h"
#include "rp-test-resolver.h"
#include "rp-test-smtpd.h"
#include "rp-window-private.h"
#include "ui-test-util.h"

#define USER "alice"
#define ADDRESS "alice@" RP_TEST_DOMAIN
#define PASSWORD "wonderland-7"

typedef struct
{
  RpTestCa        *ca;
  RpTestDovecot   *dovecot;
  RpTestSmtpd     *smtpd;
  RpTestResolver  *resolver;
  RpApplication   *app;
  RpWindow        *window;
  RpStore         *store;
  RpAccountWizard *wizard;
} Fixture;

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 10)

#define WIZ(f, name) rp_ui_test_template_child ((f)->wizard, RP_TYPE_ACCOUNT_WIZARD, name)

/* The same, scrolled to the end of the page: the actions at the bottom of
 * a long page (the certificate, the buttons) are worth a look too. */
static void
save_screenshot_of_end (RpAccountWizard *wizard,
                        const char      *name)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (wizard),
                                                              RP_TYPE_ACCOUNT_WIZARD, "stack"));
  GtkWidget *page = gtk_stack_get_visible_child (stack);
  GtkAdjustment *adjustment;

  g_assert_true (GTK_IS_SCROLLED_WINDOW (page));
  rp_ui_test_spin (200);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  rp_ui_test_save_screenshot (GTK_WIDGET (wizard), name);
  gtk_adjustment_set_value (adjustment, 0);
}

/* The page as it is, and at the narrowest width the window allows, where
 * German labels wrap the most or get cut off: NAME.png, NAME-narrow.png. */
static void
save_screenshots (RpAccountWizard *wizard,
                  const char      *name)
{
  g_autofree char *wide = g_strconcat (name, ".png", NULL);
  g_autofree char *narrow = g_strconcat (name, "-narrow.png", NULL);
  int width, height;

  rp_ui_test_save_screenshot (GTK_WIDGET (wizard), wide);
  gtk_window_get_default_size (GTK_WINDOW (wizard), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (wizard), 360, height);
  rp_ui_test_save_screenshot (GTK_WIDGET (wizard), narrow);
  gtk_window_set_default_size (GTK_WINDOW (wizard), width, height);
  rp_ui_test_spin (100);
}

static void
deliver (Fixture    *f,
         guint       i)
{
  g_autofree char *raw = g_strdup_printf ("From: Bob <bob@example.org>\r\n"
                                          "To: " ADDRESS "\r\n"
                                          "Subject: Welcome message %u\r\n"
                                          "Date: Mon, 02 Nov 2026 09:3%u:00 +0000\r\n"
                                          "Message-ID: <welcome%u@example.org>\r\n"
                                          "\r\nHello number %u.\r\n", i, i, i, i);
  g_autofree char *path = rp_test_dovecot_deliver (f->dovecot, USER, raw, strlen (raw));

  g_assert_nonnull (path);
}

/* Dovecot with @pop_cert and Postfix with @smtp_cert, unless @servers is
 * FALSE (a provider from the table, which nothing here can reach). */
static void
fixture_setup_full (Fixture        *f,
                    RpTestCertKind  pop_cert,
                    RpTestCertKind  smtp_cert,
                    gboolean        servers)
{
  g_autoptr(GError) error = NULL;

  rp_ui_test_own_notifications ();
  if (servers)
    {
      f->ca = rp_test_ca_new ();
      f->dovecot = rp_test_dovecot_new (f->ca, pop_cert);
      f->smtpd = rp_test_smtpd_new (f->ca, smtp_cert, f->dovecot);
      rp_test_dovecot_add_user (f->dovecot, USER, PASSWORD);
    }
  /* Nothing may reach the real DNS: names not in the table fail. */
  f->resolver = rp_test_resolver_new ();
  rp_test_resolver_install (f->resolver);

  f->app = rp_ui_test_new_application ();
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);

  f->window = rp_ui_test_present_window (f->app);
  g_assert_cmpstr (_rp_window_get_page (f->window), ==, "welcome");
}

static void
fixture_setup (Fixture        *f,
               RpTestCertKind  cert)
{
  fixture_setup_full (f, cert, cert, TRUE);
}

static void
fixture_teardown (Fixture *f)
{
  if (f->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (f->wizard));
  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  gtk_window_destroy (GTK_WINDOW (f->window));
  rp_ui_test_spin (50);
  g_clear_object (&f->app);
  rp_test_resolver_uninstall (f->resolver);
  g_clear_object (&f->resolver);
  g_clear_pointer (&f->smtpd, rp_test_smtpd_free);
  g_clear_pointer (&f->dovecot, rp_test_dovecot_free);
  g_clear_pointer (&f->ca, rp_test_ca_free);
}

/* The mapped button for @action under @widget, or NULL. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static RpAccountWizard *
find_wizard (Fixture *f)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (RP_IS_ACCOUNT_WIZARD (l->data))
      return l->data;

  return NULL;
}

/* Opens the wizard the way a new user does: the greeting's button. */
static void
open_wizard (Fixture *f)
{
  GtkWidget *button = find_button (GTK_WIDGET (f->window), "app.add-account");

  g_assert_nonnull (button);
  /* A button's activation shows the press for a moment, then clicks. */
  gtk_widget_activate (button);
  WAIT_FOR ((f->wizard = find_wizard (f)) != NULL);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (f->wizard)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->wizard)) == GTK_WINDOW (f->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->wizard)));
  g_assert_cmpstr (_rp_account_wizard_get_page (f->wizard), ==, "details");

  /* The same action again brings the same wizard to the front. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "add-account", NULL);
  {
    guint n = 0;

    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
      n += RP_IS_ACCOUNT_WIZARD (l->data);
    g_assert_cmpuint (n, ==, 1);
  }
}

static gboolean
next_enabled (Fixture *f)
{
  return gtk_widget_is_sensitive (WIZ (f, "next_button")) &&
         gtk_widget_get_visible (WIZ (f, "next_button"));
}

static void
next (Fixture *f)
{
  g_assert_true (next_enabled (f));
  gtk_widget_activate_action (GTK_WIDGET (f->wizard), "wizard.next", NULL);
}

static void
fill_details (Fixture *f)
{
  gtk_editable_set_text (WIZ (f, "name_row"), "Alice Liddell");
  gtk_editable_set_text (WIZ (f, "email_row"), "alice@" RP_TEST_DOMAIN);
  /* Without a password there is no going on. */
  gtk_editable_set_text (WIZ (f, "password_row"), "");
  g_assert_false (next_enabled (f));
  gtk_editable_set_text (WIZ (f, "password_row"), PASSWORD);
  g_assert_true (next_enabled (f));
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  return gtk_label_get_label (WIZ (f, name));
}

/* Retention, the own-addresses rule, and done: the account is saved, its
 * password kept, and the first fetch brings its mail into the list. */
static void
finish_and_check (Fixture    *f,
                  const char *prefix)
{
  g_autofree char *shot = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *password = NULL;
  RpMessageList *list;

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f->wizard), "retention"));
  /* Not a Gmail address: no recent mode on offer. */
  g_assert_false (gtk_widget_get_visible (WIZ (f, "recent_row")));
  g_assert_true (gtk_switch_get_active (WIZ (f, "own_sent_switch")));
  gtk_check_button_set_active (WIZ (f, "days_check"), TRUE);
  gtk_spin_button_set_value (WIZ (f, "days_spin"), 30);
  shot = g_strdup_printf ("%s-retention", prefix);
  save_screenshots (f->wizard, shot);
  next (f);

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f->wizard), "done"));
  g_free (shot);
  shot = g_strdup_printf ("%s-done", prefix);
  save_screenshots (f->wizard, shot);

  account = rp_store_load_account (f->store, ADDRESS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->email, ==, ADDRESS);
  g_assert_cmpstr (account->display_name, ==, "Alice Liddell");
  g_assert_cmpint (account->retention, ==, RP_RETENTION_DELETE_AFTER_DAYS);
  g_assert_cmpuint (account->retention_days, ==, 30);
  g_assert_true (account->enabled);
  g_assert_nonnull (rp_account_get_default_identity (account));
  g_assert_cmpstr (rp_account_get_default_identity (account)->address, ==, ADDRESS);

  key = rp_account_dup_secret_key (account, NULL);
  password = rp_secrets_lookup_sync (rp_application_get_secrets (f->app), "pop3", key, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);

  /* The rule for mail from the user's own addresses was offered, and kept. */
  rules = rp_store_list_filters (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 1);

  /* The window shows the account, and the first fetch fills the list. */
  WAIT_FOR (g_str_equal (_rp_window_get_page (f->window), "mail"));
  list = _rp_window_get_message_list (f->window);
  RP_UI_TEST_WAIT_FOR (rp_message_list_get_model (list) != NULL &&
                    g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 2,
                    30);

  gtk_widget_activate_action (GTK_WIDGET (f->wizard), "window.close", NULL);
  f->wizard = NULL;
  rp_ui_test_spin (300);
  g_free (shot);
  shot = g_strdup_printf ("%s-window.png", prefix);
  rp_ui_test_save_screenshot (GTK_WIDGET (f->window), shot);
}

/* Tests */

/* The whole way, with the servers found in DNS SRV records. */
static void
test_walk (void)
{
  Fixture f = { 0 };
  const RpAccount *account;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f, RP_TEST_CERT_VALID);
  deliver (&f, 1);
  deliver (&f, 2);
  rp_test_resolver_add_srv (f.resolver, "_pop3s._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_dovecot_get_pop3s_port (f.dovecot), 0, 1);
  rp_test_resolver_add_srv (f.resolver, "_submissions._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_smtpd_get_submissions_port (f.smtpd), 0, 1);

  open_wizard (&f);
  _rp_account_wizard_set_ca_file (f.wizard, rp_test_ca_get_ca_file (f.ca));
  fill_details (&f);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-details.png");
  next (&f);

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "found"));
  g_assert_true (strstr (label_text (&f, "found_source"), "DNS") != NULL);
  account = _rp_account_wizard_get_account (f.wizard);
  g_assert_cmpstr (account->pop_host, ==, "localhost");
  g_assert_cmpuint (account->pop_port, ==, rp_test_dovecot_get_pop3s_port (f.dovecot));
  g_assert_cmpint (account->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpuint (account->smtp_port, ==, rp_test_smtpd_get_submissions_port (f.smtpd));
  g_assert_cmpstr (adw_preferences_row_get_title (WIZ (&f, "found_pop_row")), ==, "localhost");
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-found.png");

  /* "Set Up Manually" is one click away, prefilled with what was found. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.manual", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "manual");
  g_assert_cmpstr (gtk_editable_get_text (WIZ (&f, "pop_host_row")), ==, "localhost");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (WIZ (&f, "smtp_port_spin")), ==,
                   rp_test_smtpd_get_submissions_port (f.smtpd));
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-manual.png");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "found");
  next (&f);

  /* The test runs in a worker; the page shows its steps and ends well. */
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "test");
  g_assert_false (next_enabled (&f));
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_null (_rp_account_wizard_get_error (f.wizard));
  g_assert_true (_rp_account_wizard_test_passed (f.wizard));
  g_assert_false (gtk_widget_get_visible (WIZ (&f, "test_buttons")));
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-test-passed.png");
  /* It really logged in to Dovecot. */
  g_assert_cmpuint (rp_test_dovecot_count_logins (f.dovecot), >=, 1);
  next (&f);

  finish_and_check (&f, "wizard");
  fixture_teardown (&f);
}

/* A server whose certificate nobody vouches for: the wizard shows the
 * certificate, the user trusts it, and the test passes with the pin. The
 * way there goes through "Set Up Manually" while discovery still waits
 * for an autoconfig server that never answers. */
static void
test_self_signed (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketListener) silent = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *shown = NULL;
  const RpAccount *account;
  guint16 silent_port;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f, RP_TEST_CERT_SELF_SIGNED);
  deliver (&f, 1);
  deliver (&f, 2);
  /* Accepts connections and never says a word. */
  silent_port = g_socket_listener_add_any_inet_port (silent, NULL, &error);
  g_assert_no_error (error);
  rp_test_resolver_add_host (f.resolver, "autoconfig." RP_TEST_DOMAIN, "127.0.0.1");
  rp_test_resolver_add_host (f.resolver, "mail." RP_TEST_DOMAIN, "127.0.0.1");

  open_wizard (&f);
  rp_discoverer_set_https_port (_rp_account_wizard_get_discoverer (f.wizard), silent_port);
  fill_details (&f);
  next (&f);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "discovering");
  g_assert_false (next_enabled (&f));
  rp_ui_test_spin (300);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "discovering");
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-discovering.png");

  /* The manual form holds the best guess for the domain. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.manual", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "manual");
  g_assert_true (strstr (gtk_editable_get_text (WIZ (&f, "pop_host_row")), RP_TEST_DOMAIN) != NULL);
  gtk_editable_set_text (WIZ (&f, "pop_host_row"), "mail." RP_TEST_DOMAIN);
  adw_combo_row_set_selected (WIZ (&f, "pop_security_row"), RP_SECURITY_TLS);
  gtk_spin_button_set_value (WIZ (&f, "pop_port_spin"), rp_test_dovecot_get_pop3s_port (f.dovecot));
  gtk_editable_set_text (WIZ (&f, "smtp_host_row"), "mail." RP_TEST_DOMAIN);
  adw_combo_row_set_selected (WIZ (&f, "smtp_security_row"), RP_SECURITY_STARTTLS);
  /* A new security brings its standard port along. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (WIZ (&f, "smtp_port_spin")), ==, 587);
  gtk_spin_button_set_value (WIZ (&f, "smtp_port_spin"),
                             rp_test_smtpd_get_submission_port (f.smtpd));
  next (&f);

  /* The certificate is refused, and shown in place. */
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  g_assert_nonnull (_rp_account_wizard_get_error (f.wizard));
  g_assert_false (next_enabled (&f));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "certificate_group")));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "trust_button")));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "save_anyway_button")));
  fingerprint = rp_test_ca_get_fingerprint (f.ca, RP_TEST_CERT_SELF_SIGNED);
  shown = rp_certificate_normalize_fingerprint (adw_action_row_get_subtitle (
                                                  WIZ (&f, "cert_fingerprint_row")));
  g_assert_cmpstr (shown, ==, fingerprint);
  g_assert_cmpstr (adw_action_row_get_subtitle (WIZ (&f, "cert_subject_row")), !=, "");
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-certificate.png");

  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.trust", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "test");
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_null (_rp_account_wizard_get_error (f.wizard));
  g_assert_true (_rp_account_wizard_test_passed (f.wizard));
  account = _rp_account_wizard_get_account (f.wizard);
  g_assert_cmpstr (account->pinned_certificate, ==, fingerprint);
  next (&f);

  finish_and_check (&f, "wizard-pinned");
  {
    g_autoptr(RpAccount) saved = rp_store_load_account (f.store, ADDRESS, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (saved->pinned_certificate, ==, fingerprint);
  }
  g_socket_listener_close (silent);
  fixture_teardown (&f);
}

/* A wrong password: the error in place, with the way out, and no Next. */
static void
test_wrong_password (void)
{
  Fixture f = { 0 };

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f, RP_TEST_CERT_VALID);
  rp_test_resolver_add_srv (f.resolver, "_pop3s._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_dovecot_get_pop3s_port (f.dovecot), 0, 1);
  rp_test_resolver_add_srv (f.resolver, "_submissions._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_smtpd_get_submissions_port (f.smtpd), 0, 1);
  open_wizard (&f);
  _rp_account_wizard_set_ca_file (f.wizard, rp_test_ca_get_ca_file (f.ca));
  fill_details (&f);
  gtk_editable_set_text (WIZ (&f, "password_row"), "not-the-password");
  next (&f);
  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "found"));
  next (&f);
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  g_assert_nonnull (_rp_account_wizard_get_error (f.wizard));
  g_assert_false (gtk_widget_get_visible (WIZ (&f, "certificate_group")));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "test_hint_label")));
  g_assert_false (next_enabled (&f));
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-wrong-password.png");

  /* Saving anyway is the user's call; nothing is saved before the end. */
  g_assert_cmpint (rp_store_lookup_account (f.store, ADDRESS), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.save-anyway", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "retention");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  /* Back skips the test page, back to the servers. */
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "found");
  g_assert_cmpint (rp_store_lookup_account (f.store, ADDRESS), ==, 0);

  fixture_teardown (&f);
}

/* A Gmail address: the provider table (no network) knows the servers,
 * and the retention page offers recent mode, which is saved. Nothing
 * here can reach Gmail, so the way to the retention page is "Save
 * Anyway" after a failed test. */
static void
test_gmail_recent_mode (gconstpointer data)
{
  const char *lang = data;
  Fixture f = { 0 };
  g_autofree char *shot = NULL;
  g_autoptr(RpAccount) saved = NULL;
  g_autoptr(GError) error = NULL;
  const RpAccount *account;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  if (g_str_equal (lang, "de"))
    rp_ui_test_use_german ();
  fixture_setup_full (&f, RP_TEST_CERT_VALID, RP_TEST_CERT_VALID, FALSE);
  open_wizard (&f);
  gtk_editable_set_text (WIZ (&f, "name_row"), "Alice Liddell");
  gtk_editable_set_text (WIZ (&f, "email_row"), "alice.liddell@gmail.com");
  gtk_editable_set_text (WIZ (&f, "password_row"), "app-password");
  next (&f);

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "found"));
  g_assert_nonnull (strstr (label_text (&f, "found_source"), "Gmail"));
  account = _rp_account_wizard_get_account (f.wizard);
  g_assert_cmpstr (account->pop_host, ==, "pop.gmail.com");
  g_assert_cmpstr (account->pop_user, ==, "alice.liddell@gmail.com");
  shot = g_strdup_printf ("wizard-%s-gmail-found.png", lang);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), shot);
  next (&f);

  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.save-anyway", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "retention");
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "recent_row")));
  g_assert_false (gtk_switch_get_active (WIZ (&f, "recent_switch")));
  gtk_switch_set_active (WIZ (&f, "recent_switch"), TRUE);
  g_free (shot);
  shot = g_strdup_printf ("wizard-%s-gmail-retention.png", lang);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), shot);
  /* The narrowest the window goes, where the labels wrap the most. */
  gtk_window_set_default_size (GTK_WINDOW (f.wizard), 360, 640);
  g_free (shot);
  shot = g_strdup_printf ("wizard-%s-gmail-retention-narrow.png", lang);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), shot);
  gtk_window_set_default_size (GTK_WINDOW (f.wizard), 560, 640);

  /* Back to a server of another provider: no recent mode there. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "found");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.manual", NULL);
  gtk_editable_set_text (WIZ (&f, "pop_host_row"), "pop.example.org");
  next (&f);
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.save-anyway", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "retention");
  g_assert_false (gtk_widget_get_visible (WIZ (&f, "recent_row")));

  /* And back to Gmail's server, typed by hand this time. */
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "manual");
  gtk_editable_set_text (WIZ (&f, "pop_host_row"), "pop.gmail.com");
  next (&f);
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.save-anyway", NULL);
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "recent_row")));
  g_assert_true (gtk_switch_get_active (WIZ (&f, "recent_switch")));
  next (&f);

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "done"));
  saved = rp_store_load_account (f.store, "alice.liddell@gmail.com", &error);
  g_assert_no_error (error);
  g_assert_true (saved->recent_mode);
  g_assert_cmpstr (saved->pop_host, ==, "pop.gmail.com");
  g_assert_cmpuint (saved->pop_port, ==, 995);
  g_assert_cmpstr (saved->smtp_host, ==, "smtp.gmail.com");

  fixture_teardown (&f);
}

/* The whole way in German, with every page saved as a screenshot, against
 * a provider whose POP3 and SMTP servers present two different
 * certificates that nobody vouches for: each is shown, trusted for its
 * own server, and the account fetches with both pins. */
static void
test_german_two_certificates (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketListener) silent = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pop_fingerprint = NULL;
  g_autofree char *smtp_fingerprint = NULL;
  g_autofree char *shown = NULL;
  const RpAccount *account;
  RpDiscoverer *discoverer;
  guint16 silent_port;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  rp_ui_test_use_german ();
  fixture_setup_full (&f, RP_TEST_CERT_SELF_SIGNED, RP_TEST_CERT_OTHER_CA, TRUE);
  deliver (&f, 1);
  deliver (&f, 2);
  pop_fingerprint = rp_test_ca_get_fingerprint (f.ca, RP_TEST_CERT_SELF_SIGNED);
  smtp_fingerprint = rp_test_ca_get_fingerprint (f.ca, RP_TEST_CERT_OTHER_CA);
  /* An autoconfig server that never answers holds discovery on its page
   * long enough for a screenshot; then the SRV records answer. */
  silent_port = g_socket_listener_add_any_inet_port (silent, NULL, &error);
  g_assert_no_error (error);
  rp_test_resolver_add_host (f.resolver, "autoconfig." RP_TEST_DOMAIN, "127.0.0.1");
  rp_test_resolver_add_srv (f.resolver, "_pop3s._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_dovecot_get_pop3s_port (f.dovecot), 0, 1);
  rp_test_resolver_add_srv (f.resolver, "_submissions._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_smtpd_get_submissions_port (f.smtpd), 0, 1);

  open_wizard (&f);
  discoverer = _rp_account_wizard_get_discoverer (f.wizard);
  rp_discoverer_set_https_port (discoverer, silent_port);
  rp_discoverer_set_timeout (discoverer, 4000);
  fill_details (&f);
  save_screenshots (f.wizard, "wizard-de-details");
  next (&f);
  g_assert_cmpstr (_rp_account_wizard_get_page (f.wizard), ==, "discovering");
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-de-discovering.png");

  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "found"));
  save_screenshots (f.wizard, "wizard-de-found");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.manual", NULL);
  save_screenshots (f.wizard, "wizard-de-manual");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.back", NULL);
  next (&f);

  /* The POP3 server's certificate first. */
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "certificate_group")));
  g_assert_cmpstr (adw_preferences_group_get_title (WIZ (&f, "certificate_group")), ==,
                   _("The POP3 Server’s Certificate"));
  shown = rp_certificate_normalize_fingerprint (adw_action_row_get_subtitle (
                                                  WIZ (&f, "cert_fingerprint_row")));
  g_assert_cmpstr (shown, ==, pop_fingerprint);
  save_screenshots (f.wizard, "wizard-de-certificate-pop3");
  save_screenshot_of_end (f.wizard, "wizard-de-certificate-pop3-end.png");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.trust", NULL);

  /* Then the SMTP server's, another one: the POP3 pin does not cover it. */
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  g_assert_cmpstr (adw_preferences_group_get_title (WIZ (&f, "certificate_group")), ==,
                   _("The SMTP Server’s Certificate"));
  g_free (shown);
  shown = rp_certificate_normalize_fingerprint (adw_action_row_get_subtitle (
                                                  WIZ (&f, "cert_fingerprint_row")));
  g_assert_cmpstr (shown, ==, smtp_fingerprint);
  account = _rp_account_wizard_get_account (f.wizard);
  g_assert_cmpstr (account->pinned_certificate, ==, pop_fingerprint);
  g_assert_null (account->smtp_pinned_certificate);
  save_screenshots (f.wizard, "wizard-de-certificate-smtp");
  save_screenshot_of_end (f.wizard, "wizard-de-certificate-smtp-end.png");
  gtk_widget_activate_action (GTK_WIDGET (f.wizard), "wizard.trust", NULL);

  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_null (_rp_account_wizard_get_error (f.wizard));
  g_assert_true (_rp_account_wizard_test_passed (f.wizard));
  g_assert_cmpstr (account->pinned_certificate, ==, pop_fingerprint);
  g_assert_cmpstr (account->smtp_pinned_certificate, ==, smtp_fingerprint);
  save_screenshots (f.wizard, "wizard-de-test-passed");
  next (&f);

  /* The first fetch goes through the POP3 pin into the list. */
  finish_and_check (&f, "wizard-de");
  {
    g_autoptr(RpAccount) saved = rp_store_load_account (f.store, ADDRESS, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (saved->pinned_certificate, ==, pop_fingerprint);
    g_assert_cmpstr (saved->smtp_pinned_certificate, ==, smtp_fingerprint);
  }
  g_socket_listener_close (silent);
  fixture_teardown (&f);
}

/* A wrong password, in German: the error and the hint in place. */
static void
test_german_wrong_password (void)
{
  Fixture f = { 0 };

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  rp_ui_test_use_german ();
  fixture_setup (&f, RP_TEST_CERT_VALID);
  rp_test_resolver_add_srv (f.resolver, "_pop3s._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_dovecot_get_pop3s_port (f.dovecot), 0, 1);
  rp_test_resolver_add_srv (f.resolver, "_submissions._tcp." RP_TEST_DOMAIN, "localhost",
                            rp_test_smtpd_get_submissions_port (f.smtpd), 0, 1);
  open_wizard (&f);
  _rp_account_wizard_set_ca_file (f.wizard, rp_test_ca_get_ca_file (f.ca));
  fill_details (&f);
  gtk_editable_set_text (WIZ (&f, "password_row"), "not-the-password");
  next (&f);
  WAIT_FOR (g_str_equal (_rp_account_wizard_get_page (f.wizard), "found"));
  next (&f);
  RP_UI_TEST_WAIT_FOR (!_rp_account_wizard_is_testing (f.wizard), 30);
  g_assert_false (_rp_account_wizard_test_passed (f.wizard));
  g_assert_true (gtk_widget_get_visible (WIZ (&f, "test_hint_label")));
  rp_ui_test_save_screenshot (GTK_WIDGET (f.wizard), "wizard-de-wrong-password.png");
  save_screenshot_of_end (f.wizard, "wizard-de-wrong-password-end.png");

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{

  rp_ui_test_init (&argc, &argv);
  /* Pages switch at once, so that each screenshot shows one page. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/wizard/walk", test_walk);
  g_test_add_func ("/ui/wizard/self-signed", test_self_signed);
  g_test_add_func ("/ui/wizard/wrong-password", test_wrong_password);
  g_test_add_data_func ("/ui/wizard/gmail-recent-mode/en", "en", test_gmail_recent_mode);
  g_test_add_data_func ("/ui/wizard/gmail-recent-mode/de", "de", test_gmail_recent_mode);
  g_test_add_func ("/ui/wizard/german/two-certificates", test_german_two_certificates);
  g_test_add_func ("/ui/wizard/german/wrong-password", test_german_wrong_password);

  return g_test_run ();
}
