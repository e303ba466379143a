/* test-smtp-pin.c: separate certificate pins for an account's POP3 and
 * SMTP servers, against Dovecot and Postfix with two different
 * certificates that nobody vouches for
 *
 * Dovecot presents the self-signed certificate and Postfix one from a CA
 * the client does not know, both on localhost: a provider whose servers
 * present different untrusted certificates. The account is trusted step
 * by step as the wizard does it (the connection test refuses one
 * certificate at a time, and each is pinned for the server that refused
 * it), then a real message goes out through the Outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "send-fixture.h"

/* Auxiliary methods */

static char *
password_of (Fixture *f)
{
  return g_strconcat (f->user, "-secret", NULL);
}

/* Sends one message to a new user through the Outbox as flushing does it
 * in the app (the account is read back from the store), and checks that
 * it arrived. */
static void
send_and_expect_delivery (Fixture    *f,
                          const char *subject)
{
  g_autofree char *to_user = new_user ("pinned");
  g_autofree char *to = address_of (to_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, subject, "Sent past two pins.\n");
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats = { 0 };
  gint64 id;

  id = queue (f, draft, f->address);
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_assert_cmpuint (stats.failed, ==, 0);

  delivered = expect_deliveries (to_user, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (delivered, 0), subject));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), >=, 1);
}

/* Tests */

/* The rule that decides which pin the SMTP connection uses. */
static void
test_rule (void)
{
  g_autoptr(RpAccount) account = rp_account_new ("rule");

  g_free (account->pop_host);
  account->pop_host = g_strdup ("mail.example.test");
  g_free (account->smtp_host);
  account->smtp_host = g_strdup ("mail.example.test");
  g_assert_null (rp_account_get_smtp_pin (account));

  /* An account from before schema version 5: its only pin stands for
   * both servers when they share the host, and for POP3 alone otherwise. */
  account->pinned_certificate = g_strdup ("aa11");
  g_assert_cmpstr (rp_account_get_smtp_pin (account), ==, "aa11");
  g_free (account->smtp_host);
  account->smtp_host = g_strdup ("smtp.example.test");
  g_assert_null (rp_account_get_smtp_pin (account));

  /* The SMTP server's own pin wins, on any host. */
  account->smtp_pinned_certificate = g_strdup ("bb22");
  g_assert_cmpstr (rp_account_get_smtp_pin (account), ==, "bb22");
  g_free (account->smtp_host);
  account->smtp_host = g_strdup ("mail.example.test");
  g_assert_cmpstr (rp_account_get_smtp_pin (account), ==, "bb22");
  g_assert_cmpstr (account->pinned_certificate, ==, "aa11");

  /* Copies keep both. */
  {
    g_autoptr(RpAccount) copy = rp_account_copy (account);

    g_assert_cmpstr (copy->pinned_certificate, ==, "aa11");
    g_assert_cmpstr (copy->smtp_pinned_certificate, ==, "bb22");
  }
}

/* The wizard's way: test, trust what was refused, test again, until the
 * test passes; then both pins are stored and a send goes through. */
static void
test_trust_both_then_send (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *pop_fingerprint = rp_test_ca_get_fingerprint (ca, RP_TEST_CERT_SELF_SIGNED);
  g_autofree char *smtp_fingerprint = rp_test_ca_get_fingerprint (ca, RP_TEST_CERT_OTHER_CA);
  g_autofree char *password = password_of (f);
  g_autoptr(RpAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;
  RpAccountTestStep step;

  g_assert_cmpstr (pop_fingerprint, !=, smtp_fingerprint);
  /* Nothing vouches for either certificate. */
  g_clear_pointer (&f->account->ca_file, g_free);

  /* The POP3 server's certificate is refused first. */
  {
    g_autoptr(RpCertificate) certificate = NULL;

    g_assert_false (rp_account_test_sync (f->account, password, &step, &certificate, NULL,
                                          &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
    g_assert_cmpint (step, ==, RP_ACCOUNT_TEST_POP_CONNECT);
    g_assert_nonnull (certificate);
    g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, pop_fingerprint);
    g_clear_error (&error);
    f->account->pinned_certificate = g_strdup (rp_certificate_get_fingerprint (certificate));
  }

  /* Then the SMTP server's own, on the same host: the POP3 pin is not
   * taken for it. */
  {
    g_autoptr(RpCertificate) certificate = NULL;

    g_assert_false (rp_account_test_sync (f->account, password, &step, &certificate, NULL,
                                          &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
    g_assert_cmpint (step, ==, RP_ACCOUNT_TEST_SMTP_CONNECT);
    g_assert_nonnull (certificate);
    g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, smtp_fingerprint);
    g_clear_error (&error);
    f->account->smtp_pinned_certificate = g_strdup (rp_certificate_get_fingerprint (certificate));
  }

  /* Both trusted: POP3 login, EHLO, STARTTLS and AUTH all pass. */
  g_assert_true (rp_account_test_sync (f->account, password, &step, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (step, ==, RP_ACCOUNT_TEST_DONE);

  /* Both pins survive the store. */
  save (f);
  loaded = rp_store_load_account (f->store, "work", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->pinned_certificate, ==, pop_fingerprint);
  g_assert_cmpstr (loaded->smtp_pinned_certificate, ==, smtp_fingerprint);
  g_assert_null (loaded->ca_file);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM account WHERE name = 'work'"
                                 " AND smtp_pinned_certificate IS NOT NULL"), ==, 1);

  send_and_expect_delivery (f, "Two servers, two certificates");
}

/* An account with only the old pin keeps sending to an SMTP server on
 * its POP3 server's host; on another host the old pin does not count,
 * and an SMTP pin of its own makes it work. */
static void
test_old_pin_fallback (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *smtp_fingerprint = rp_test_ca_get_fingerprint (ca, RP_TEST_CERT_OTHER_CA);
  g_autofree char *to_user = new_user ("fallback");
  g_autofree char *to = address_of (to_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, "Another host", "Hello\n");
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats = { 0 };
  gint64 id;

  /* As an account saved before schema version 5 that trusted the
   * certificate of its one host: one pin, no SMTP pin. */
  g_clear_pointer (&f->account->ca_file, g_free);
  f->account->pinned_certificate = g_strdup (smtp_fingerprint);
  save (f);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM account WHERE name = 'work'"
                                 " AND smtp_pinned_certificate IS NULL"), ==, 1);
  send_and_expect_delivery (f, "The old pin still counts");

  /* The same server by another name is another host. */
  g_free (f->account->smtp_host);
  f->account->smtp_host = g_strdup ("127.0.0.1");
  save (f);
  id = queue (f, draft, f->address);
  g_assert_false (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                        NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  g_clear_error (&error);
  g_assert_cmpuint (stats.sent, ==, 0);
  entry = get_entry (f, id);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, !=, RP_OUTBOX_STATE_QUEUED);
  delivered = expect_deliveries (to_user, 0);

  /* Its own pin, and the message goes out. */
  f->account->smtp_pinned_certificate = g_strdup (smtp_fingerprint);
  save (f);
  g_assert_true (rp_outbox_retry (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_clear_pointer (&delivered, g_ptr_array_unref);
  delivered = expect_deliveries (to_user, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (delivered, 0), "Another host"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  rp_test_init (&argc, &argv);

  g_setenv ("RAPPORT_SECRETS", "file", TRUE);
  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_SELF_SIGNED);
  smtpd = rp_test_smtpd_new (ca, RP_TEST_CERT_OTHER_CA, dovecot);

  g_test_add_func ("/core/smtp-pin/rule", test_rule);
  g_test_add ("/core/smtp-pin/trust-both-then-send", Fixture, NULL,
              fixture_setup, test_trust_both_then_send, fixture_teardown);
  g_test_add ("/core/smtp-pin/old-pin-fallback", Fixture, NULL,
              fixture_setup, test_old_pin_fallback, fixture_teardown);

  status = g_test_run ();
  send_fixture_stop_servers ();

  return status;
}
