/* test-account-test.c: the wizard's "test the connection" against real
 * Dovecot and Postfix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rp-core.h"
#include "rp-test-dovecot.h"
#include "rp-test-server.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

static RpTestCa *ca;
static RpTestDovecot *dovecot;
static RpTestSmtpd *smtpd;
/* Both with the self-signed certificate, for "Trust this certificate". */
static RpTestDovecot *dovecot_self_signed;
static RpTestSmtpd *smtpd_self_signed;

#define PASSWORD "uma-Secret-42"

/* Auxiliary methods */

static RpAccount *
new_account (RpTestDovecot *pop_server,
             RpTestSmtpd   *smtp_server,
             gboolean       trust_test_ca)
{
  RpAccount *account = rp_account_new ("test");

  g_free (account->email);
  account->email = g_strdup ("uma@" RP_TEST_DOMAIN);
  g_free (account->pop_host);
  account->pop_host = g_strdup ("localhost");
  account->pop_port = rp_test_dovecot_get_pop3s_port (pop_server);
  account->pop_security = RP_SECURITY_TLS;
  g_free (account->pop_user);
  account->pop_user = g_strdup ("uma");
  g_free (account->smtp_host);
  account->smtp_host = g_strdup ("localhost");
  account->smtp_port = rp_test_smtpd_get_submission_port (smtp_server);
  account->smtp_security = RP_SECURITY_STARTTLS;
  if (trust_test_ca)
    account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));

  return account;
}

typedef struct
{
  GArray            *steps;
  gboolean           done;
  gboolean           ok;
  RpAccountTestStep  failed_step;
  RpCertificate     *certificate;
  GError            *error;
} AsyncTest;

static void
on_progress (RpAccountTestStep step,
             gpointer          user_data)
{
  AsyncTest *test = user_data;

  /* Reported in the caller's context, before the result. */
  g_assert_true (RP_IS_MAIN_THREAD ());
  g_assert_false (test->done);
  g_array_append_val (test->steps, step);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncTest *test = user_data;

  g_assert_true (RP_IS_MAIN_THREAD ());
  test->ok = rp_account_test_finish (result, &test->failed_step, &test->certificate,
                                     &test->error);
  test->done = TRUE;
}

static void
run_async (const RpAccount *account,
           const char      *password,
           AsyncTest       *test)
{
  test->steps = g_array_new (FALSE, FALSE, sizeof (RpAccountTestStep));
  rp_account_test_async (account, password, on_progress, test, NULL, on_tested, test);
  while (!test->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
async_test_clear (AsyncTest *test)
{
  g_array_unref (test->steps);
  g_clear_object (&test->certificate);
  g_clear_error (&test->error);
}

/* Tests */

static void
test_success (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  static const RpAccountTestStep expected[] = {
    RP_ACCOUNT_TEST_POP_CONNECT, RP_ACCOUNT_TEST_POP_LOGIN, RP_ACCOUNT_TEST_SMTP_CONNECT,
    RP_ACCOUNT_TEST_SMTP_AUTH, RP_ACCOUNT_TEST_DONE,
  };
  guint logins_before = rp_test_dovecot_count_logins (dovecot);
  AsyncTest test = { 0 };

  run_async (account, PASSWORD, &test);
  g_assert_no_error (test.error);
  g_assert_true (test.ok);
  g_assert_cmpint (test.failed_step, ==, RP_ACCOUNT_TEST_DONE);
  g_assert_null (test.certificate);
  g_assert_cmpuint (test.steps->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (test.steps, RpAccountTestStep, i), ==, expected[i]);
  /* The POP3 login really happened at Dovecot. */
  g_assert_cmpuint (rp_test_dovecot_count_logins (dovecot), ==, logins_before + 1);
  async_test_clear (&test);
}

/* Implicit TLS for SMTP too, and the POP3 user as the SMTP user. */
static void
test_success_sync_implicit_tls (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  g_autoptr(GError) error = NULL;
  RpAccountTestStep failed_step = RP_ACCOUNT_TEST_POP_CONNECT;

  account->smtp_port = rp_test_smtpd_get_submissions_port (smtpd);
  account->smtp_security = RP_SECURITY_TLS;
  g_assert_true (rp_account_test_sync (account, PASSWORD, &failed_step, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_DONE);
}

static void
test_wrong_password (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  AsyncTest test = { 0 };

  run_async (account, "not-the-Password-17", &test);
  g_assert_false (test.ok);
  g_assert_error (test.error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (test.failed_step, ==, RP_ACCOUNT_TEST_POP_LOGIN);
  g_assert_null (test.certificate);
  g_assert_null (strstr (test.error->message, "not-the-Password-17"));
  /* Progress stopped at the failed step. */
  g_assert_cmpuint (test.steps->len, ==, 2);
  g_assert_cmpint (g_array_index (test.steps, RpAccountTestStep, 1), ==,
                   RP_ACCOUNT_TEST_POP_LOGIN);
  async_test_clear (&test);
}

/* POP3 accepts the login; Postfix refuses another user's name with it. */
static void
test_smtp_auth_failed (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  g_autoptr(GError) error = NULL;
  RpAccountTestStep failed_step;

  g_free (account->smtp_user);
  account->smtp_user = g_strdup ("vic");
  g_assert_false (rp_account_test_sync (account, PASSWORD, &failed_step, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_SMTP_AUTH);
}

static void
test_unreachable (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  g_autoptr(GError) error = NULL;
  RpAccountTestStep failed_step;

  account->pop_port = rp_test_server_find_free_port ();
  g_assert_false (rp_account_test_sync (account, PASSWORD, &failed_step, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_POP_CONNECT);

  g_clear_error (&error);
  g_free (account->pop_host);
  account->pop_host = g_strdup ("");
  g_assert_false (rp_account_test_sync (account, PASSWORD, &failed_step, NULL, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_POP_CONNECT);
}

/* A self-signed certificate is refused and handed back; once its
 * fingerprint is pinned, the same test passes, for POP3 and SMTP. */
static void
test_self_signed_then_pinned (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot_self_signed, smtpd_self_signed, FALSE);
  g_autofree char *expected = rp_test_ca_get_fingerprint (ca, RP_TEST_CERT_SELF_SIGNED);
  AsyncTest test = { 0 };
  AsyncTest retry = { 0 };

  run_async (account, PASSWORD, &test);
  g_assert_false (test.ok);
  g_assert_error (test.error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  g_assert_cmpint (test.failed_step, ==, RP_ACCOUNT_TEST_POP_CONNECT);
  g_assert_nonnull (test.certificate);
  g_assert_cmpint (rp_certificate_get_problem (test.certificate), ==,
                   RP_CERTIFICATE_SELF_SIGNED);
  g_assert_cmpstr (rp_certificate_get_fingerprint (test.certificate), ==, expected);

  /* "Trust this certificate". */
  account->pinned_certificate = g_strdup (rp_certificate_get_fingerprint (test.certificate));
  run_async (account, PASSWORD, &retry);
  g_assert_no_error (retry.error);
  g_assert_true (retry.ok);
  g_assert_cmpint (retry.failed_step, ==, RP_ACCOUNT_TEST_DONE);
  g_assert_cmpuint (retry.steps->len, ==, 5);

  async_test_clear (&test);
  async_test_clear (&retry);
}

/* The SMTP server's own refused certificate is reported at its step. */
static void
test_smtp_certificate (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd_self_signed, TRUE);
  g_autoptr(RpCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  RpAccountTestStep failed_step;

  g_assert_false (rp_account_test_sync (account, PASSWORD, &failed_step, &certificate, NULL,
                                        &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_SMTP_CONNECT);
  g_assert_nonnull (certificate);
  g_assert_cmpint (rp_certificate_get_problem (certificate), ==, RP_CERTIFICATE_SELF_SIGNED);
}

static void
test_cancelled (void)
{
  g_autoptr(RpAccount) account = new_account (dovecot, smtpd, TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RpAccountTestStep failed_step;

  g_cancellable_cancel (cancellable);
  g_assert_false (rp_account_test_sync (account, PASSWORD, &failed_step, NULL, cancellable,
                                        &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_POP_CONNECT);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  rp_test_init (&argc, &argv);

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  rp_test_dovecot_add_user (dovecot, "uma", PASSWORD);
  rp_test_dovecot_add_user (dovecot, "vic", "vic-secret");
  smtpd = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot);
  dovecot_self_signed = rp_test_dovecot_new (ca, RP_TEST_CERT_SELF_SIGNED);
  rp_test_dovecot_add_user (dovecot_self_signed, "uma", PASSWORD);
  smtpd_self_signed = rp_test_smtpd_new (ca, RP_TEST_CERT_SELF_SIGNED, dovecot_self_signed);

  g_test_add_func ("/core/account-test/success", test_success);
  g_test_add_func ("/core/account-test/success-implicit-tls", test_success_sync_implicit_tls);
  g_test_add_func ("/core/account-test/wrong-password", test_wrong_password);
  g_test_add_func ("/core/account-test/smtp-auth-failed", test_smtp_auth_failed);
  g_test_add_func ("/core/account-test/unreachable", test_unreachable);
  g_test_add_func ("/core/account-test/self-signed-then-pinned", test_self_signed_then_pinned);
  g_test_add_func ("/core/account-test/smtp-certificate", test_smtp_certificate);
  g_test_add_func ("/core/account-test/cancelled", test_cancelled);

  status = g_test_run ();

  g_clear_pointer (&smtpd_self_signed, rp_test_smtpd_free);
  g_clear_pointer (&dovecot_self_signed, rp_test_dovecot_free);
  g_clear_pointer (&smtpd, rp_test_smtpd_free);
  g_clear_pointer (&dovecot, rp_test_dovecot_free);
  g_clear_pointer (&ca, rp_test_ca_free);

  return status;
}
