/* rp-account-wizard.c: adding a mail account
 *
 * The pages follow what the user has to decide, in order: who they are
 * (name, address, password), where the servers are (found by the
 * discoverer, or entered by hand), whether they answer (a connection test
 * in a worker, step by step), and what happens to mail on the server. Only
 * then is anything saved: the account, its password, and, if wanted, the
 * rule that moves mail from the user's own addresses to Sent. The first
 * fetch starts at once through the scheduler, whose progress the main
 * window shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-store.h"
#include "rp-account-wizard-internal.h"
#include "rp-filter.h"
#include "rp-macros.h"

G_DEFINE_FINAL_TYPE (RpAccountWizard, rp_account_wizard, ADW_TYPE_WINDOW)

/* Auxiliary methods */

static RpApplication *
get_app (RpAccountWizard *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return RP_IS_APPLICATION (app) ? RP_APPLICATION (app) : NULL;
}

static guint16
default_port (gboolean   pop,
              RpSecurity security)
{
  if (pop)
    return security == RP_SECURITY_TLS ? 995 : 110;
  return security == RP_SECURITY_TLS ? 465 : 587;
}

static const char *
security_label (RpSecurity security)
{
  switch (security)
    {
    case RP_SECURITY_TLS:      return _("SSL/TLS");
    case RP_SECURITY_STARTTLS: return _("STARTTLS");
    case RP_SECURITY_NONE:     return _("None (Unencrypted)");
    default:                   g_assert_not_reached ();
    }
}

static const char *
get_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* Strips blanks around what the user typed; host names and addresses
 * never have them, and pasted text often does. */
static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (get_text (row)));
}

static gboolean
looks_like_address (const char *text)
{
  const char *at = strrchr (text, '@');

  return at != NULL && at != text && at[1] != '\0' && strchr (at, '.') != NULL &&
         strpbrk (text, " \t<>,;") == NULL;
}

static const char *
address_domain (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL ? at + 1 : address;
}

static void
show_toast (RpAccountWizard *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_rp_account_wizard_cancel_running (RpAccountWizard *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->testing = FALSE;
}

void
_rp_account_wizard_show_page (RpAccountWizard *self,
                              const char      *page,
                              gboolean         remember)
{
  const char *current = gtk_stack_get_visible_child_name (self->stack);

  if (remember && current != NULL && !g_str_equal (current, page))
    g_ptr_array_add (self->history, (gpointer) g_intern_string (current));
  gtk_stack_set_visible_child_name (self->stack, page);
}

/* The header bar's buttons follow the page and what it holds. */
void
_rp_account_wizard_update_buttons (RpAccountWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean next_visible = TRUE;
  gboolean next_ok = FALSE;
  const char *next_label = _("_Next");

  if (page == NULL)
    return;

  if (g_str_equal (page, "details"))
    {
      g_autofree char *email = dup_stripped (self->email_row);

      next_ok = looks_like_address (email) && *get_text (self->password_row) != '\0';
    }
  else if (g_str_equal (page, "discovering"))
    next_visible = FALSE;
  else if (g_str_equal (page, "found"))
    next_ok = self->config != NULL && self->config->pop_host != NULL &&
              self->config->smtp_host != NULL;
  else if (g_str_equal (page, "manual"))
    {
      g_autofree char *pop = dup_stripped (self->pop_host_row);
      g_autofree char *smtp = dup_stripped (self->smtp_host_row);

      next_ok = *pop != '\0' && *smtp != '\0';
    }
  else if (g_str_equal (page, "test"))
    next_ok = self->test_passed;
  else if (g_str_equal (page, "retention"))
    {
      next_ok = TRUE;
      /* Not "Add Account": the window's title says that already, and in
       * German both together leave no room for the title at the
       * narrowest width. */
      next_label = _("_Add");
    }
  else if (g_str_equal (page, "done"))
    next_visible = FALSE;

  /* Every page but the manual form has a heading that says more than
   * the window's title; the title would only crowd the buttons. */
  gtk_widget_set_visible (self->header_title, g_str_equal (page, "manual"));
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), next_visible);
  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", next_ok);
  gtk_widget_set_visible (self->back_button,
                          self->history->len > 0 && !g_str_equal (page, "done"));
  gtk_widget_set_visible (self->cancel_button,
                          self->history->len == 0 && !g_str_equal (page, "done"));
}

/* Fills the account's own fields from the first page; the servers come
 * from discovery or the manual form. */
static void
update_account_identity (RpAccountWizard *self)
{
  g_autofree char *name = dup_stripped (self->name_row);
  g_autofree char *email = dup_stripped (self->email_row);
  RpIdentity *identity;

  if (self->account == NULL)
    {
      self->account = rp_account_new (email);
      self->account->ca_file = g_strdup (self->ca_file);
    }
  rp_set_str (&self->account->name, email);
  rp_set_str (&self->account->email, email);
  rp_set_str (&self->account->display_name, name);

  identity = rp_account_get_default_identity (self->account);
  if (identity == NULL)
    {
      identity = rp_identity_new (email);
      identity->is_default = TRUE;
      g_ptr_array_add (self->account->identities, identity);
    }
  rp_set_str (&identity->address, email);
  rp_set_str (&identity->display_name, name);
}

static void
fill_manual (RpAccountWizard *self)
{
  RpAccount *a = self->account;

  self->filling = TRUE;
  set_text (self->pop_host_row, a->pop_host);
  adw_combo_row_set_selected (self->pop_security_row, a->pop_security);
  gtk_spin_button_set_value (self->pop_port_spin, a->pop_port);
  set_text (self->pop_user_row, a->pop_user);
  set_text (self->smtp_host_row, a->smtp_host);
  adw_combo_row_set_selected (self->smtp_security_row, a->smtp_security);
  gtk_spin_button_set_value (self->smtp_port_spin, a->smtp_port);
  set_text (self->smtp_user_row, a->smtp_user);
  self->filling = FALSE;
}

static void
read_manual (RpAccountWizard *self)
{
  RpAccount *a = self->account;
  g_autofree char *pop_host = dup_stripped (self->pop_host_row);
  g_autofree char *pop_user = dup_stripped (self->pop_user_row);
  g_autofree char *smtp_host = dup_stripped (self->smtp_host_row);
  g_autofree char *smtp_user = dup_stripped (self->smtp_user_row);

  /* A pin belongs to the server it was made for. A POP3 pin made while
   * both servers shared a host stood for the SMTP server too (the test
   * passed with it); the SMTP server keeps it as its own before the pins
   * part. */
  if (a->smtp_pinned_certificate == NULL && rp_account_get_smtp_pin (a) != NULL)
    a->smtp_pinned_certificate = g_strdup (rp_account_get_smtp_pin (a));
  if (g_strcmp0 (a->pop_host, pop_host) != 0)
    g_clear_pointer (&a->pinned_certificate, g_free);
  if (g_strcmp0 (a->smtp_host, smtp_host) != 0)
    g_clear_pointer (&a->smtp_pinned_certificate, g_free);

  rp_set_str (&a->pop_host, pop_host);
  a->pop_security = adw_combo_row_get_selected (self->pop_security_row);
  a->pop_port = gtk_spin_button_get_value_as_int (self->pop_port_spin);
  rp_set_str (&a->pop_user, *pop_user != '\0' ? pop_user : a->email);
  rp_set_str (&a->smtp_host, smtp_host);
  a->smtp_security = adw_combo_row_get_selected (self->smtp_security_row);
  a->smtp_port = gtk_spin_button_get_value_as_int (self->smtp_port_spin);
  rp_set_str (&a->smtp_user, *smtp_user != '\0' ? smtp_user : a->pop_user);
}

static char *
describe_server (const char *host,
                 guint16     port,
                 RpSecurity  security,
                 const char *user)
{
  /* Translators: the details of a mail server: port, security and the
   * user name, e.g. "Port 995 · SSL/TLS · alice@example.org". */
  return g_strdup_printf (_("Port %u · %s · %s"), port, security_label (security),
                          user != NULL ? user : "");
}

static void
show_found (RpAccountWizard *self)
{
  const RpAutoconfig *c = self->config;
  const char *domain = address_domain (self->account->email);
  g_autofree char *source = NULL;

  switch (c->source)
    {
    case RP_AUTOCONFIG_SOURCE_PROVIDER:
      source = g_strdup_printf (_("Rapport knows the servers of %s."),
                                c->provider_name != NULL ? c->provider_name : domain);
      break;
    case RP_AUTOCONFIG_SOURCE_AUTOCONFIG:
      source = g_strdup_printf (_("Found in the configuration that %s publishes."), domain);
      break;
    case RP_AUTOCONFIG_SOURCE_SRV:
      source = g_strdup_printf (_("Found in the DNS records of %s."), domain);
      break;
    case RP_AUTOCONFIG_SOURCE_GUESS:
      source = g_strdup_printf (_("Found by trying the usual server names of %s."), domain);
      break;
    case RP_AUTOCONFIG_SOURCE_NONE:
    default:
      source = g_strdup_printf (_("A guess for %s that nobody has checked yet."), domain);
      break;
    }
  gtk_label_set_label (self->found_title, _("Servers Found"));
  gtk_label_set_label (self->found_source, source);

  if (c->pop_host != NULL)
    {
      g_autofree char *details = describe_server (c->pop_host, c->pop_port, c->pop_security,
                                                  c->pop_user);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_pop_row), c->pop_host);
      adw_action_row_set_subtitle (self->found_pop_row, details);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_pop_row),
                                     _("No POP3 Server"));
      adw_action_row_set_subtitle (self->found_pop_row,
                                   _("This provider does not offer POP3."));
    }

  if (c->smtp_host != NULL)
    {
      g_autofree char *details = describe_server (c->smtp_host, c->smtp_port, c->smtp_security,
                                                  c->smtp_user);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_smtp_row), c->smtp_host);
      adw_action_row_set_subtitle (self->found_smtp_row, details);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_smtp_row),
                                     _("No SMTP Server"));
      adw_action_row_set_subtitle (self->found_smtp_row, "");
    }

  gtk_label_set_label (self->found_hint, c->hint != NULL ? c->hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->found_hint), c->hint != NULL);
  _rp_account_wizard_show_page (self, "found", FALSE);
}

/* The manual form, prefilled with what was found or else the best guess. */
static void
show_manual (RpAccountWizard *self,
             const char      *note)
{
  if (self->config == NULL)
    {
      self->config = rp_autoconfig_new_guess (self->account->email);
      self->config_address = g_strdup (self->account->email);
    }
  if (g_strcmp0 (self->account->pop_host, "") == 0 && self->config != NULL)
    rp_autoconfig_apply (self->config, self->account);

  fill_manual (self);
  gtk_label_set_label (self->manual_note, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->manual_note), note != NULL);
  _rp_account_wizard_show_page (self, "manual", TRUE);
}

static gboolean
save_account (RpAccountWizard  *self,
              GError          **error)
{
  RpApplication *app = get_app (self);
  RpStore *store = app != NULL ? rp_application_get_store (app) : NULL;
  RpSecrets *secrets = app != NULL ? rp_application_get_secrets (app) : NULL;
  RpScheduler *scheduler = app != NULL ? rp_application_get_scheduler (app) : NULL;
  RpAccount *a = self->account;
  g_autofree char *key = NULL;

  if (store == NULL || secrets == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_STORE,
                           _("The mail store is not open, so the account cannot be saved."));
      return FALSE;
    }

  if (gtk_check_button_get_active (self->delete_check))
    a->retention = RP_RETENTION_DELETE_AFTER_FETCH;
  else if (gtk_check_button_get_active (self->days_check))
    {
      a->retention = RP_RETENTION_DELETE_AFTER_DAYS;
      a->retention_days = gtk_spin_button_get_value_as_int (self->days_spin);
    }
  else
    a->retention = RP_RETENTION_KEEP;
  a->recent_mode = gtk_widget_get_visible (self->recent_row) &&
                   gtk_switch_get_active (self->recent_switch);

  /* One password for both servers of the account, as the CLI keeps it. */
  key = rp_account_dup_secret_key (a, NULL);
  if (!rp_secrets_store_sync (secrets, "pop3", key, get_text (self->password_row), NULL, error) ||
      !rp_secrets_store_sync (secrets, "smtp", key, get_text (self->password_row), NULL, error))
    return FALSE;
  if (!rp_store_save_account (store, a, error))
    return FALSE;

  if (gtk_switch_get_active (self->own_sent_switch))
    {
      g_autoptr(RpFilterRule) rule = rp_filter_rule_new_own_addresses_to_sent (a);
      g_autoptr(GError) filter_error = NULL;

      /* The account is saved by now: a rule that cannot be saved is worth
       * a word, not a failed set-up. */
      if (rp_store_save_filter (store, rule, &filter_error) == 0)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot save the rule for mail sent "
                                                        "from your addresses: %s"),
                                                      filter_error->message);

          show_toast (self, message);
        }
    }

  if (scheduler != NULL)
    {
      rp_scheduler_start (scheduler);
      rp_scheduler_fetch_now (scheduler, a->name);
    }

  return TRUE;
}

/* Gmail (and Google Workspace, on the same servers) hands each message to
 * POP3 only once; its recent mode is worth offering there and nowhere
 * else. The provider table says so for what discovery found; a server
 * entered by hand is recognised by its name. */
static gboolean
offers_recent_mode (RpAccountWizard *self)
{
  const char *host = self->account != NULL ? self->account->pop_host : NULL;
  g_autofree char *lower = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (self->config != NULL && self->config->offer_recent_mode &&
      g_ascii_strcasecmp (self->config->pop_host != NULL ? self->config->pop_host : "", host) == 0)
    return TRUE;

  lower = g_ascii_strdown (host, -1);
  return g_str_has_suffix (lower, ".gmail.com") || g_str_has_suffix (lower, ".googlemail.com");
}

/* A result of a discovery or test that was cancelled and replaced by a
 * newer one, but had finished before it heard of the cancellation. */
gboolean
_rp_account_wizard_is_stale (RpAccountWizard *self,
                             GAsyncResult    *result)
{
  return G_IS_TASK (result) && g_task_get_cancellable (G_TASK (result)) != self->cancellable;
}

/* Callbacks */

static void
on_page_changed (RpAccountWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_spinner_set_spinning (self->discovering_spinner,
                            g_strcmp0 (page, "discovering") == 0);
  if (g_strcmp0 (page, "retention") == 0)
    gtk_widget_set_visible (self->recent_row, offers_recent_mode (self));
  _rp_account_wizard_update_buttons (self);
}

static void
on_details_changed (RpAccountWizard *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->details_error), FALSE);
  _rp_account_wizard_update_buttons (self);
}

static void
on_entry_activated (RpAccountWizard *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->next_button)))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
on_manual_changed (RpAccountWizard *self)
{
  _rp_account_wizard_update_buttons (self);
}

/* A new security setting brings its standard port, unless the user has
 * typed a port of their own. */
static void
on_security_changed (RpAccountWizard *self,
                     GParamSpec      *pspec,
                     AdwComboRow     *row)
{
  gboolean pop = row == self->pop_security_row;
  GtkSpinButton *spin = pop ? self->pop_port_spin : self->smtp_port_spin;
  guint port = gtk_spin_button_get_value_as_int (spin);
  RpSecurity security = adw_combo_row_get_selected (row);

  if (self->filling)
    return;

  for (RpSecurity s = RP_SECURITY_TLS; s <= RP_SECURITY_NONE; s++)
    if (port == default_port (pop, s))
      {
        gtk_spin_button_set_value (spin, default_port (pop, security));
        break;
      }
}

static void
on_discovered (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RpAccountWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpAutoconfig) config = NULL;

  config = rp_discoverer_discover_finish (RP_DISCOVERER (source), result, &error);
  /* The window is gone, or Back or "Set Up Manually" has moved on already. */
  if (self->history == NULL || _rp_account_wizard_is_stale (self, result) ||
      g_error_matches (error, RP_ERROR, RP_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "discovering") != 0)
    return;
  g_clear_object (&self->cancellable);

  g_clear_pointer (&self->config, rp_autoconfig_free);
  g_free (self->config_address);
  self->config_address = g_strdup (self->account->email);

  if (config == NULL)
    {
      g_autofree char *note = NULL;

      g_debug ("Discovery for %s failed: %s", self->account->email, error->message);
      note = g_strdup_printf (_("Rapport could not find the servers of %s. Enter them as "
                                "your provider lists them; the form holds a guess."),
                              address_domain (self->account->email));
      show_manual (self, note);
      return;
    }

  self->config = g_steal_pointer (&config);
  rp_autoconfig_apply (self->config, self->account);
  show_found (self);
}

/* Actions */

static void
start_discovery (RpAccountWizard *self)
{
  g_autofree char *description = g_strdup_printf (_("Asking around for the mail servers of %s."),
                                                  address_domain (self->account->email));

  _rp_account_wizard_cancel_running (self);
  g_clear_pointer (&self->config, rp_autoconfig_free);
  g_clear_pointer (&self->config_address, g_free);
  adw_status_page_set_description (self->discovering_page, description);
  _rp_account_wizard_show_page (self, "discovering", TRUE);

  self->cancellable = g_cancellable_new ();
  rp_discoverer_discover_async (self->discoverer, self->account->email, self->cancellable,
                                on_discovered, g_object_ref (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (page, "details"))
    {
      g_autofree char *email = dup_stripped (self->email_row);
      RpApplication *app = get_app (self);
      RpStore *store = app != NULL ? rp_application_get_store (app) : NULL;

      if (store != NULL && rp_store_lookup_account (store, email) != 0)
        {
          g_autofree char *message = g_strdup_printf (_("Rapport has an account for %s "
                                                        "already."), email);

          gtk_label_set_label (self->details_error, message);
          gtk_widget_set_visible (GTK_WIDGET (self->details_error), TRUE);
          return;
        }

      /* A new address starts over: its servers are looked up afresh. */
      if (self->account != NULL && g_strcmp0 (self->account->email, email) != 0)
        g_clear_pointer (&self->account, rp_account_free);
      update_account_identity (self);
      if (self->config != NULL && g_strcmp0 (self->config_address, email) == 0)
        {
          gboolean guessed = self->config->source == RP_AUTOCONFIG_SOURCE_NONE;

          _rp_account_wizard_show_page (self, guessed ? "manual" : "found", TRUE);
        }
      else
        start_discovery (self);
    }
  else if (g_str_equal (page, "found"))
    {
      rp_autoconfig_apply (self->config, self->account);
      _rp_account_wizard_start_test (self);
    }
  else if (g_str_equal (page, "manual"))
    {
      read_manual (self);
      _rp_account_wizard_start_test (self);
    }
  else if (g_str_equal (page, "test"))
    _rp_account_wizard_show_page (self, "retention", TRUE);
  else if (g_str_equal (page, "retention"))
    {
      if (!save_account (self, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Cannot save the account: %s"),
                                                      error->message);

          show_toast (self, message);
          return;
        }
      self->saved = TRUE;
      {
        g_autofree char *description = g_strdup_printf (_("Rapport is fetching the mail of %s. "
                                                          "New messages appear in the Inbox "
                                                          "as they arrive."),
                                                        self->account->email);

        adw_status_page_set_description (self->done_page, description);
      }
      g_ptr_array_set_size (self->history, 0);
      _rp_account_wizard_show_page (self, "done", FALSE);
      gtk_widget_grab_focus (self->done_button);
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);
  const char *page;

  _rp_account_wizard_cancel_running (self);
  if (self->history->len == 0)
    return;

  /* Transient pages are not gone back to: the test runs again from
   * Next, and discovery from the first page. */
  do
    page = g_ptr_array_steal_index (self->history, self->history->len - 1);
  while (self->history->len > 0 &&
         (g_str_equal (page, "test") || g_str_equal (page, "discovering")));

  _rp_account_wizard_show_page (self, page, FALSE);
}

static void
manual_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* From the discovery page the manual form replaces it in the history. */
  if (g_str_equal (page, "discovering"))
    {
      _rp_account_wizard_cancel_running (self);
      const char *before = "details";

      if (self->history->len > 0)
        before = g_ptr_array_steal_index (self->history, self->history->len - 1);
      gtk_stack_set_visible_child_name (self->stack, before);
    }
  else
    _rp_account_wizard_cancel_running (self);

  show_manual (self, NULL);
}

/* GObject overrides */

static void
rp_account_wizard_dispose (GObject *object)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (object);

  _rp_account_wizard_cancel_running (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_ACCOUNT_WIZARD);
  g_clear_object (&self->discoverer);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->config, rp_autoconfig_free);
  g_clear_pointer (&self->account, rp_account_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  G_OBJECT_CLASS (rp_account_wizard_parent_class)->dispose (object);
}

static void
rp_account_wizard_finalize (GObject *object)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (object);

  g_free (self->config_address);
  g_free (self->ca_file);
  g_free (self->error_text);

  G_OBJECT_CLASS (rp_account_wizard_parent_class)->finalize (object);
}

static void
rp_account_wizard_class_init (RpAccountWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_account_wizard_dispose;
  object_class->finalize = rp_account_wizard_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-account-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RpAccountWizard, name)
  BIND (toast_overlay);
  BIND (stack);
  BIND (header_title);
  BIND (back_button);
  BIND (cancel_button);
  BIND (next_button);
  BIND (name_row);
  BIND (email_row);
  BIND (password_row);
  BIND (details_error);
  BIND (discovering_page);
  BIND (discovering_spinner);
  BIND (found_title);
  BIND (found_source);
  BIND (found_pop_row);
  BIND (found_smtp_row);
  BIND (found_hint);
  BIND (manual_note);
  BIND (pop_host_row);
  BIND (pop_security_row);
  BIND (pop_port_spin);
  BIND (pop_user_row);
  BIND (smtp_host_row);
  BIND (smtp_security_row);
  BIND (smtp_port_spin);
  BIND (smtp_user_row);
  BIND (test_title);
  BIND (test_steps);
  BIND (test_error_box);
  BIND (test_error_label);
  BIND (test_hint_label);
  BIND (certificate_group);
  BIND (cert_subject_row);
  BIND (cert_issuer_row);
  BIND (cert_validity_row);
  BIND (cert_fingerprint_row);
  BIND (test_buttons);
  BIND (trust_button);
  BIND (save_anyway_button);
  BIND (keep_check);
  BIND (delete_check);
  BIND (days_check);
  BIND (days_spin);
  BIND (recent_row);
  BIND (recent_switch);
  BIND (own_sent_switch);
  BIND (done_page);
  BIND (done_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_details_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_manual_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.manual", NULL, manual_action);
  _rp_account_wizard_install_test_actions (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rp_account_wizard_init (RpAccountWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->history = g_ptr_array_new ();
  self->discoverer = rp_discoverer_new ();

  _rp_account_wizard_init_test_page (self);

  set_text (self->name_row, g_get_real_name ());
  if (g_str_equal (get_text (self->name_row), "Unknown"))
    set_text (self->name_row, "");
  gtk_stack_set_visible_child_name (self->stack, "details");
  _rp_account_wizard_update_buttons (self);
}

/* Public API */

/**
 * rp_account_wizard_new:
 * @application: the application, whose store receives the account
 * @parent: (nullable): the window the wizard is modal to
 *
 * Returns: (transfer full): a new wizard, not yet shown
 */
RpAccountWizard *
rp_account_wizard_new (RpApplication *application,
                       GtkWindow     *parent)
{
  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (RP_TYPE_ACCOUNT_WIZARD,
                       "application", application,
                       "transient-for", parent,
                       NULL);
}

/**
 * rp_account_wizard_present:
 * @application: the application
 * @parent: (nullable): the window a new wizard is modal to
 *
 * Brings the open wizard to the front, or opens one: two wizards at a
 * time would only compete for the same address.
 *
 * Returns: (transfer none): the wizard shown
 */
RpAccountWizard *
rp_account_wizard_present (RpApplication *application,
                           GtkWindow     *parent)
{
  RpAccountWizard *wizard = NULL;

  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    if (RP_IS_ACCOUNT_WIZARD (l->data))
      wizard = l->data;

  if (wizard == NULL)
    wizard = rp_account_wizard_new (application, parent);
  gtk_window_present (GTK_WINDOW (wizard));

  return wizard;
}

/* Private API, for tests */

RpDiscoverer *
_rp_account_wizard_get_discoverer (RpAccountWizard *self)
{
  return self->discoverer;
}

void
_rp_account_wizard_set_ca_file (RpAccountWizard *self,
                                const char      *ca_file)
{
  rp_set_str (&self->ca_file, ca_file);
  rp_discoverer_set_ca_file (self->discoverer, ca_file);
  if (self->account != NULL)
    rp_set_str (&self->account->ca_file, ca_file);
}

const char *
_rp_account_wizard_get_page (RpAccountWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const RpAccount *
_rp_account_wizard_get_account (RpAccountWizard *self)
{
  return self->account;
}

gboolean
_rp_account_wizard_is_testing (RpAccountWizard *self)
{
  return self->testing;
}

gboolean
_rp_account_wizard_test_passed (RpAccountWizard *self)
{
  return self->test_passed;
}

const char *
_rp_account_wizard_get_error (RpAccountWizard *self)
{
  return self->error_text;
}
