/* rp-account-test.c: "test the connection" for an account being set up
 *
 * The test uses the same settings rules as the fetcher and the Outbox
 * (user-name defaults, Recent mode, certificate pins), so that a test that
 * passes means the first fetch and the first send will connect too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-account-test"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rp-account-test.h"
#include "rp-error.h"
#include "rp-pop3.h"
#include "rp-quirks.h"
#include "rp-smtp.h"

/* Long enough for a slow server's greeting, short enough that a user
 * watching the wizard is not left waiting for a dead one. */
#define TEST_TIMEOUT_SECONDS 20

typedef void (*ReportFunc) (RpAccountTestStep step,
                            gpointer          data);

typedef struct
{
  RpAccount                 *account;
  char                      *password;
  RpAccountTestProgressFunc  progress;
  gpointer                   progress_data;
  GMainContext              *context;

  /* Written by the worker, read by _finish after completion. */
  RpAccountTestStep          failed_step;
  RpCertificate             *certificate;
} TestData;

typedef struct
{
  RpAccountTestProgressFunc  progress;
  gpointer                   progress_data;
  RpAccountTestStep          step;
} Report;

/* Auxiliary methods */

static void
test_data_free (TestData *data)
{
  rp_account_free (data->account);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_object (&data->certificate);
  g_free (data);
}

/* Records which step failed and, for a refused certificate, which one. */
static void
fail_step (RpAccountTestStep   step,
           RpTransport        *transport,
           const GError       *error,
           RpAccountTestStep  *failed_step,
           RpCertificate     **certificate)
{
  if (failed_step != NULL)
    *failed_step = step;

  if (certificate != NULL && transport != NULL &&
      g_error_matches (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE))
    {
      RpCertificate *peer = rp_transport_get_peer_certificate (transport);

      *certificate = peer != NULL ? g_object_ref (peer) : NULL;
    }
}

static gboolean
test_pop3 (const RpAccount    *account,
           const char         *password,
           ReportFunc          report,
           gpointer            report_data,
           RpAccountTestStep  *failed_step,
           RpCertificate     **certificate,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(RpPop3) pop3 = NULL;
  g_autofree char *user = NULL;
  const char *login;
  GError *local_error = NULL;

  report (RP_ACCOUNT_TEST_POP_CONNECT, report_data);
  if (account->pop_host == NULL || *account->pop_host == '\0' || account->pop_port == 0)
    {
      fail_step (RP_ACCOUNT_TEST_POP_CONNECT, NULL, NULL, failed_step, certificate);
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("Enter the POP3 server and its port."));
      return FALSE;
    }

  pop3 = rp_pop3_new (account->pop_host, account->pop_port, account->pop_security);
  rp_pop3_set_timeout (pop3, TEST_TIMEOUT_SECONDS);
  if (account->ca_file != NULL && *account->ca_file != '\0')
    rp_pop3_set_ca_file (pop3, account->ca_file);
  if (account->pinned_certificate != NULL && *account->pinned_certificate != '\0')
    rp_pop3_set_pinned_fingerprint (pop3, account->pinned_certificate);

  if (!rp_pop3_connect_sync (pop3, cancellable, &local_error))
    {
      fail_step (RP_ACCOUNT_TEST_POP_CONNECT, rp_pop3_get_transport (pop3), local_error,
                 failed_step, certificate);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* As the fetcher logs in: Recent mode is a user-name prefix. */
  report (RP_ACCOUNT_TEST_POP_LOGIN, report_data);
  login = account->pop_user != NULL && *account->pop_user != '\0' ? account->pop_user
                                                                  : account->email;
  user = account->recent_mode ? g_strconcat ("recent:", login, NULL) : g_strdup (login);
  if (!rp_pop3_login_sync (pop3, user, password, account->pop_auth, cancellable, &local_error))
    {
      RpAuthQuirk quirk = rp_quirks_match_pop3_auth_failure (rp_pop3_get_last_reply (pop3));

      if (quirk != RP_AUTH_QUIRK_NONE)
        {
          g_autofree char *hint = rp_quirks_describe_auth_failure (quirk, account->pop_host);

          g_prefix_error (&local_error, "%s\n\n", hint);
        }
      fail_step (RP_ACCOUNT_TEST_POP_LOGIN, NULL, local_error, failed_step, certificate);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* A failed QUIT after a successful login changes nothing the user must
   * know about. */
  rp_pop3_quit_sync (pop3, cancellable, NULL);
  return TRUE;
}

static gboolean
test_smtp (const RpAccount    *account,
           const char         *password,
           ReportFunc          report,
           gpointer            report_data,
           RpAccountTestStep  *failed_step,
           RpCertificate     **certificate,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(RpSmtp) smtp = NULL;
  const char *user;
  GError *local_error = NULL;

  report (RP_ACCOUNT_TEST_SMTP_CONNECT, report_data);
  if (account->smtp_host == NULL || *account->smtp_host == '\0' || account->smtp_port == 0)
    {
      fail_step (RP_ACCOUNT_TEST_SMTP_CONNECT, NULL, NULL, failed_step, certificate);
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("Enter the SMTP server and its port."));
      return FALSE;
    }

  smtp = rp_smtp_new (account->smtp_host, account->smtp_port, account->smtp_security);
  rp_smtp_set_timeout (smtp, TEST_TIMEOUT_SECONDS);
  if (account->ca_file != NULL && *account->ca_file != '\0')
    rp_smtp_set_ca_file (smtp, account->ca_file);
  /* As in the Outbox: the SMTP server's own pin, or the POP3 pin of an
   * older account whose servers share a host. */
  if (rp_account_get_smtp_pin (account) != NULL)
    rp_smtp_set_pinned_fingerprint (smtp, rp_account_get_smtp_pin (account));

  if (!rp_smtp_connect_sync (smtp, cancellable, &local_error))
    {
      fail_step (RP_ACCOUNT_TEST_SMTP_CONNECT, rp_smtp_get_transport (smtp), local_error,
                 failed_step, certificate);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* The CLI and the Outbox use the POP3 user when no SMTP user is set. */
  report (RP_ACCOUNT_TEST_SMTP_AUTH, report_data);
  user = account->smtp_user != NULL && *account->smtp_user != '\0' ? account->smtp_user
       : account->pop_user != NULL && *account->pop_user != '\0' ? account->pop_user
       : account->email;
  if (!rp_smtp_login_sync (smtp, user, password, RP_SMTP_AUTH_AUTO, cancellable, &local_error))
    {
      fail_step (RP_ACCOUNT_TEST_SMTP_AUTH, NULL, local_error, failed_step, certificate);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  rp_smtp_quit_sync (smtp, cancellable, NULL);
  return TRUE;
}

static gboolean
run_test (const RpAccount    *account,
          const char         *password,
          ReportFunc          report,
          gpointer            report_data,
          RpAccountTestStep  *failed_step,
          RpCertificate     **certificate,
          GCancellable       *cancellable,
          GError            **error)
{
  if (certificate != NULL)
    *certificate = NULL;
  if (failed_step != NULL)
    *failed_step = RP_ACCOUNT_TEST_DONE;

  if (!test_pop3 (account, password, report, report_data, failed_step, certificate,
                  cancellable, error) ||
      !test_smtp (account, password, report, report_data, failed_step, certificate,
                  cancellable, error))
    return FALSE;

  report (RP_ACCOUNT_TEST_DONE, report_data);
  return TRUE;
}

/* Callbacks */

static void
report_nothing (RpAccountTestStep step,
                gpointer          data)
{
}

static gboolean
report_in_caller (gpointer data)
{
  Report *report = data;

  report->progress (report->step, report->progress_data);
  return G_SOURCE_REMOVE;
}

static void
report_from_worker (RpAccountTestStep step,
                    gpointer          user_data)
{
  TestData *data = user_data;
  Report *report;

  if (data->progress == NULL)
    return;

  report = g_new0 (Report, 1);
  report->progress = data->progress;
  report->progress_data = data->progress_data;
  report->step = step;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, report_in_caller, report,
                              g_free);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestData *data = task_data;
  GError *error = NULL;

  if (run_test (data->account, data->password, report_from_worker, data, &data->failed_step,
                &data->certificate, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Public API */

/**
 * rp_account_test_sync:
 * @account: the account's settings
 * @password: its password
 * @failed_step: (out) (optional): the step that failed, or
 *   %RP_ACCOUNT_TEST_DONE
 * @certificate: (out) (optional) (transfer full) (nullable): the refused
 *   certificate when the error is %RP_ERROR_TLS_CERTIFICATE
 * @cancellable: (nullable): a #GCancellable
 * @error: the failure, with RP_ERROR codes and provider hints
 *
 * Logs in to the account's POP3 and SMTP servers and out again.
 *
 * Returns: %TRUE if every step succeeded
 */
gboolean
rp_account_test_sync (const RpAccount    *account,
                      const char         *password,
                      RpAccountTestStep  *failed_step,
                      RpCertificate     **certificate,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  return run_test (account, password, report_nothing, NULL, failed_step, certificate,
                   cancellable, error);
}

/**
 * rp_account_test_async:
 * @account: the account's settings (copied)
 * @password: its password (copied, and wiped after the test)
 * @progress: (nullable): called as each step begins
 * @progress_data: data for @progress; must stay valid until @callback
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the test ends
 * @user_data: data for @callback
 *
 * Runs rp_account_test_sync() in a worker thread. Progress is reported in
 * the thread-default main context of the caller, always before @callback.
 */
void
rp_account_test_async (const RpAccount           *account,
                       const char                *password,
                       RpAccountTestProgressFunc  progress,
                       gpointer                   progress_data,
                       GCancellable              *cancellable,
                       GAsyncReadyCallback        callback,
                       gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  TestData *data;

  g_return_if_fail (account != NULL);
  g_return_if_fail (password != NULL);

  data = g_new0 (TestData, 1);
  data->account = rp_account_copy (account);
  data->password = g_strdup (password);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  data->failed_step = RP_ACCOUNT_TEST_DONE;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rp_account_test_async);
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);
  /* Errors carry RP_ERROR_CANCELLED themselves, with the failed step. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, test_thread);
}

/**
 * rp_account_test_finish:
 * @result: the result given to the callback
 * @failed_step: (out) (optional): the step that failed, or
 *   %RP_ACCOUNT_TEST_DONE
 * @certificate: (out) (optional) (transfer full) (nullable): the refused
 *   certificate when the error is %RP_ERROR_TLS_CERTIFICATE
 * @error: the failure
 *
 * Returns: %TRUE if every step succeeded
 */
gboolean
rp_account_test_finish (GAsyncResult       *result,
                        RpAccountTestStep  *failed_step,
                        RpCertificate     **certificate,
                        GError            **error)
{
  TestData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, rp_account_test_async), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (failed_step != NULL)
    *failed_step = data->failed_step;
  if (certificate != NULL)
    *certificate = data->certificate != NULL ? g_object_ref (data->certificate) : NULL;

  return g_task_propagate_boolean (G_TASK (result), error);
}
