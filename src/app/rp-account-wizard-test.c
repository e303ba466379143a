/* rp-account-wizard-test.c: the wizard's connection test page
 *
 * The test runs in a worker (rp_account_test_async()); each step shows
 * whether it waits, runs, passed or failed. A failure is explained in
 * place, with what the user can do: a refused certificate is shown with
 * its fingerprint and can be trusted (pinned), and the test runs again.
 * Only after a failed test may the user save the account anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-wizard-internal.h"
#include "rp-macros.h"

/* Auxiliary methods */

static void
set_step_state (RpAccountWizard *self,
                guint            step,
                StepState        state)
{
  static const char *names[] = { "pending", "running", "done", "failed" };
  GtkWidget *spinner = gtk_stack_get_child_by_name (self->step_states[step], "running");

  gtk_stack_set_visible_child_name (self->step_states[step], names[state]);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), state == STEP_RUNNING);
}

static char *
format_fingerprint (const char *hex)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; hex[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (s, ':');
      g_string_append_c (s, g_ascii_toupper (hex[i]));
    }

  return g_string_free (s, FALSE);
}

static void
show_certificate (RpAccountWizard   *self,
                  RpCertificate     *certificate,
                  RpAccountTestStep  step)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *validity = NULL;

  gtk_widget_set_visible (self->certificate_group, certificate != NULL);
  gtk_widget_set_visible (self->trust_button, certificate != NULL);
  if (certificate == NULL)
    return;

  /* POP3 and SMTP may present different certificates; say whose this is,
   * since trusting it trusts it for that server only. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->certificate_group),
                                   step >= RP_ACCOUNT_TEST_SMTP_CONNECT
                                   ? _("The SMTP Server’s Certificate")
                                   : _("The POP3 Server’s Certificate"));

  fingerprint = format_fingerprint (rp_certificate_get_fingerprint (certificate));
  from = g_date_time_format (rp_certificate_get_not_before (certificate), "%x");
  until = g_date_time_format (rp_certificate_get_not_after (certificate), "%x");
  /* Translators: a certificate's validity, "from DATE to DATE". */
  validity = g_strdup_printf (_("%s to %s"), from, until);

  adw_action_row_set_subtitle (self->cert_subject_row, rp_certificate_get_subject (certificate));
  adw_action_row_set_subtitle (self->cert_issuer_row, rp_certificate_get_issuer (certificate));
  adw_action_row_set_subtitle (self->cert_validity_row, validity);
  adw_action_row_set_subtitle (self->cert_fingerprint_row, fingerprint);
}

/* What the user can do about a failed test; the error's own message
 * already says what went wrong (and carries the provider's hints). */
static const char *
hint_for_error (const GError *error)
{
  if (!g_error_matches (error, RP_ERROR, error->code))
    return NULL;

  switch (error->code)
    {
    case RP_ERROR_AUTH_FAILED:
      return _("Check the password. Some providers want an app password for mail programs, "
               "which you create in your account’s security settings.");
    case RP_ERROR_CONNECTION_FAILED:
    case RP_ERROR_TIMEOUT:
      return _("Check the server name and port, and that this computer is online.");
    case RP_ERROR_TLS_CERTIFICATE:
      return _("The server’s certificate is not one this computer trusts. Trust it only if "
               "its fingerprint matches the one your provider publishes.");
    case RP_ERROR_TLS_UNAVAILABLE:
    case RP_ERROR_TLS:
      return _("Encryption did not work on this port. Choose another security setting or "
               "port under Edit Settings.");
    default:
      return NULL;
    }
}

static void
reset_test_page (RpAccountWizard *self)
{
  self->test_passed = FALSE;
  self->test_failed = FALSE;
  g_clear_object (&self->certificate);
  self->failed_step = RP_ACCOUNT_TEST_DONE;
  g_clear_pointer (&self->error_text, g_free);
  for (guint i = 0; i < N_STEPS; i++)
    set_step_state (self, i, STEP_PENDING);
  gtk_label_set_label (self->test_title, _("Testing the Connection…"));
  gtk_widget_set_visible (self->test_error_box, FALSE);
  gtk_widget_set_visible (self->test_buttons, FALSE);
  show_certificate (self, NULL, RP_ACCOUNT_TEST_DONE);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->step_rows[RP_ACCOUNT_TEST_POP_CONNECT]),
                               self->account->pop_host);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->step_rows[RP_ACCOUNT_TEST_POP_LOGIN]),
                               self->account->pop_user);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->step_rows[RP_ACCOUNT_TEST_SMTP_CONNECT]),
                               self->account->smtp_host);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->step_rows[RP_ACCOUNT_TEST_SMTP_AUTH]),
                               self->account->smtp_user);
}

/* Callbacks */

static void
on_test_progress (RpAccountTestStep step,
                  gpointer          user_data)
{
  RpAccountWizard *self = user_data;

  if (!self->testing)
    return;

  for (guint i = 0; i < N_STEPS; i++)
    set_step_state (self, i, i < step ? STEP_DONE : i == step ? STEP_RUNNING : STEP_PENDING);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RpAccountWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCertificate) certificate = NULL;
  RpAccountTestStep failed_step = RP_ACCOUNT_TEST_DONE;
  GString *hint;

  if (rp_account_test_finish (result, &failed_step, &certificate, &error))
    {
      if (!self->testing || _rp_account_wizard_is_stale (self, result))
        return;
      self->testing = FALSE;
      g_clear_object (&self->cancellable);
      self->test_passed = TRUE;
      for (guint i = 0; i < N_STEPS; i++)
        set_step_state (self, i, STEP_DONE);
      gtk_label_set_label (self->test_title, _("The Connection Works"));
      _rp_account_wizard_update_buttons (self);
      return;
    }

  if (!self->testing || _rp_account_wizard_is_stale (self, result) ||
      g_error_matches (error, RP_ERROR, RP_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->testing = FALSE;
  g_clear_object (&self->cancellable);

  self->test_failed = TRUE;
  self->failed_step = failed_step;
  for (guint i = 0; i < N_STEPS; i++)
    set_step_state (self, i, i < failed_step ? STEP_DONE
                             : i == failed_step ? STEP_FAILED : STEP_PENDING);
  gtk_label_set_label (self->test_title, _("The Connection Failed"));

  self->error_text = g_strdup (error->message);
  gtk_label_set_label (self->test_error_label, error->message);
  hint = g_string_new (hint_for_error (error));
  if (self->config != NULL && self->config->hint != NULL)
    g_string_append_printf (hint, "%s%s", hint->len > 0 ? "\n\n" : "", self->config->hint);
  gtk_label_set_label (self->test_hint_label, hint->str);
  gtk_widget_set_visible (GTK_WIDGET (self->test_hint_label), hint->len > 0);
  g_string_free (hint, TRUE);

  if (g_error_matches (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE))
    g_set_object (&self->certificate, certificate);
  show_certificate (self, self->certificate, failed_step);
  gtk_widget_set_visible (self->test_error_box, TRUE);
  gtk_widget_set_visible (self->test_buttons, TRUE);
  _rp_account_wizard_update_buttons (self);
}

/* Actions */

void
_rp_account_wizard_start_test (RpAccountWizard *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  _rp_account_wizard_cancel_running (self);
  reset_test_page (self);
  _rp_account_wizard_show_page (self, "test", TRUE);

  self->testing = TRUE;
  self->cancellable = g_cancellable_new ();
  rp_account_test_async (self->account, password, on_test_progress, self,
                         self->cancellable, on_tested, g_object_ref (self));
  _rp_account_wizard_update_buttons (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);

  /* The test page replaces itself rather than stacking up in history. */
  if (self->history->len > 0)
    gtk_stack_set_visible_child_name (self->stack,
                                      g_ptr_array_steal_index (self->history,
                                                               self->history->len - 1));
  _rp_account_wizard_start_test (self);
}

static void
trust_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);

  if (self->certificate == NULL)
    return;

  /* The pin is for the server that refused the certificate: a provider
   * may present different certificates for POP3 and SMTP, even on one
   * host. The retest then goes on to the next server, which may refuse
   * its own certificate in turn. */
  if (self->failed_step == RP_ACCOUNT_TEST_SMTP_CONNECT)
    rp_set_str (&self->account->smtp_pinned_certificate,
                rp_certificate_get_fingerprint (self->certificate));
  else
    rp_set_str (&self->account->pinned_certificate,
                rp_certificate_get_fingerprint (self->certificate));
  retry_action (widget, NULL, NULL);
}

static void
save_anyway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpAccountWizard *self = RP_ACCOUNT_WIZARD (widget);

  /* Only a test that failed lets the user insist. */
  if (!self->test_failed)
    return;

  _rp_account_wizard_show_page (self, "retention", TRUE);
}

/* Internal API */

void
_rp_account_wizard_init_test_page (RpAccountWizard *self)
{
  const char *step_titles[N_STEPS] = {
    _("Connect to the POP3 Server"),
    _("Log In"),
    _("Connect to the SMTP Server"),
    _("Authenticate for Sending"),
  };


  /* Each step shows whether it waits, runs, passed or failed. */
  for (guint i = 0; i < N_STEPS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *states = gtk_stack_new ();
      GtkWidget *done = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      GtkWidget *failed = gtk_image_new_from_icon_name ("dialog-error-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step_titles[i]);
      gtk_widget_add_css_class (done, "success");
      gtk_widget_add_css_class (failed, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (done), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Passed"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (failed), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Failed"), -1);
      gtk_stack_add_named (GTK_STACK (states), gtk_image_new (), "pending");
      gtk_stack_add_named (GTK_STACK (states), gtk_spinner_new (), "running");
      gtk_stack_add_named (GTK_STACK (states), done, "done");
      gtk_stack_add_named (GTK_STACK (states), failed, "failed");
      gtk_widget_set_valign (states, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), states);
      gtk_list_box_append (self->test_steps, row);
      self->step_rows[i] = row;
      self->step_states[i] = GTK_STACK (states);
    }
}

void
_rp_account_wizard_install_test_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "wizard.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "wizard.save-anyway", NULL, save_anyway_action);
}
