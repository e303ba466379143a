/* test-smtp.c: the SMTP client against a real Postfix 3.7 that delivers
 * into a real Dovecot 2.3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

#define HOST "127.0.0.1"

/* A body that needs everything the DATA phase does: dot-stuffing (a lone
 * "." would end the message early), 8-bit text, CRLF and bare LF line
 * endings, trailing blanks, and no final line ending. */
static const char body[] =
  ".leading dot\n"
  "..two dots\n"
  ".\n"
  "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln\r\n"
  "trailing blanks   \n"
  "\n"
  "From the start of a line\r\n"
  "last line without an ending";

static RpTestCa *test_ca;
static RpTestDovecot *dovecot;
static RpTestSmtpd *smtpd;

/* Auxiliary methods */

static RpSmtp *
new_client (guint16    port,
            RpSecurity security)
{
  RpSmtp *smtp = rp_smtp_new (HOST, port, security);

  rp_smtp_set_ca_file (smtp, rp_test_ca_get_ca_file (test_ca));
  rp_smtp_set_timeout (smtp, 30);
  rp_smtp_set_trace_enabled (smtp, TRUE);

  return smtp;
}

static RpSmtp *
connect_and_login (guint16           port,
                   RpSecurity        security,
                   const char       *user,
                   RpSmtpAuthMethod  method)
{
  g_autoptr(RpSmtp) smtp = new_client (port, security);
  g_autoptr(GError) error = NULL;
  g_autofree char *login = g_strdup_printf ("%s@" RP_TEST_DOMAIN, user);
  g_autofree char *password = g_strdup_printf ("%s-secret", user);

  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_smtp_login_sync (smtp, login, password, method, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&smtp);
}

/* A message with a Message-ID unique to the test run, so that deliveries
 * are found by content, whatever else the maildir holds. */
static GBytes *
make_message (const char  *to,
              char       **message_id)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *text = NULL;
  gsize length;

  *message_id = g_strdup_printf ("<%s@" RP_TEST_DOMAIN ">", uuid);
  text = g_strdup_printf ("From: Alice <alice@" RP_TEST_DOMAIN ">\n"
                          "To: %s\n"
                          "Subject: Rapport test %s\n"
                          "Date: Sat, 28 Nov 2026 21:44:00 +0000\n"
                          "Message-ID: %s\n"
                          "MIME-Version: 1.0\n"
                          "Content-Type: text/plain; charset=utf-8\n"
                          "Content-Transfer-Encoding: 8bit\n"
                          "\n"
                          "%s",
                          to, uuid, *message_id, body);

  length = strlen (text);
  return g_bytes_new_take (g_steal_pointer (&text), length);
}

/* Waits up to ten seconds for a message with @message_id in @user's
 * maildir and returns its bytes. */
static char *
wait_for_message (const char *user,
                  const char *message_id)
{
  g_autofree char *header = g_strdup_printf ("\nMessage-ID: %s\n", message_id);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (dovecot, user);

      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *contents = NULL;

          if (g_file_get_contents (g_ptr_array_index (files, i), &contents, NULL, NULL)
              && strstr (contents, header) != NULL)
            return g_steal_pointer (&contents);
        }
      g_usleep (50 * 1000);
    }

  return NULL;
}

static gboolean
has_message (const char *user,
             const char *message_id)
{
  g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (dovecot, user);
  g_autofree char *header = g_strdup_printf ("\nMessage-ID: %s\n", message_id);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (g_ptr_array_index (files, i), &contents, NULL, NULL)
          && strstr (contents, header) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The maildir keeps LF line endings: the received file must end with
 * exactly the body, unstuffed, with the final line ending the client
 * added, and keep the headers the client wrote. */
static void
assert_delivered_intact (const char *user,
                         const char *message_id)
{
  g_autofree char *contents = wait_for_message (user, message_id);
  g_autoptr(GString) expected = g_string_new (body);

  g_assert_nonnull (contents);
  g_string_replace (expected, "\r\n", "\n", 0);
  g_string_append_c (expected, '\n');
  g_assert_true (g_str_has_suffix (contents, expected->str));
  g_assert_nonnull (strstr (contents, "\nSubject: Rapport test "));
  g_assert_nonnull (strstr (contents, "\nContent-Transfer-Encoding: 8bit\n"));
  g_assert_nonnull (strstr (contents, "From: Alice <alice@" RP_TEST_DOMAIN ">\n"));
}

static void
send_one (RpSmtp     *smtp,
          const char *user)
{
  g_autofree char *to = g_strdup_printf ("%s@" RP_TEST_DOMAIN, user);
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) message = make_message (to, &message_id);
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { to, NULL };

  g_assert_true (rp_smtp_send_sync (smtp, "alice@" RP_TEST_DOMAIN, recipients, message, &result,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_send_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (rp_smtp_send_result_get_n_refused (result), ==, 0);
  g_assert_true (g_str_has_prefix (rp_smtp_send_result_get_reply (result), "250 2.0.0 Ok: queued as "));

  assert_delivered_intact (user, message_id);
}

static void
assert_trace_masked (RpSmtp     *smtp,
                     const char *password)
{
  g_autofree char *trace = rp_transport_dup_trace (rp_smtp_get_transport (smtp));
  g_autofree char *encoded = g_base64_encode ((const guchar *) password, strlen (password));

  g_assert_nonnull (strstr (trace, "AUTH "));
  g_assert_null (strstr (trace, password));
  g_assert_null (strstr (trace, encoded));
}

static guint
count_lines (const char *text,
             const char *needle)
{
  guint count = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    count++;

  return count;
}

/* Tests */

static void
test_starttls_plain (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_submission_port (smtpd),
                                              RP_SECURITY_STARTTLS, "alice", RP_SMTP_AUTH_PLAIN);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  RpSmtpCapabilities caps = rp_smtp_get_capabilities (smtp);

  g_assert_true (rp_transport_is_tls (rp_smtp_get_transport (smtp)));
  /* What Postfix says after TLS; STARTTLS itself is no longer offered. */
  g_assert_true (caps & RP_SMTP_CAP_PIPELINING);
  g_assert_true (caps & RP_SMTP_CAP_SIZE);
  g_assert_true (caps & RP_SMTP_CAP_8BITMIME);
  g_assert_true (caps & RP_SMTP_CAP_ENHANCEDSTATUSCODES);
  g_assert_true (caps & RP_SMTP_CAP_SMTPUTF8);
  g_assert_true (caps & RP_SMTP_CAP_AUTH);
  g_assert_false (caps & RP_SMTP_CAP_STARTTLS);
  g_assert_cmpuint (rp_smtp_get_auth_mechanisms (smtp) & RP_SMTP_AUTH_MECH_PLAIN, !=, 0);
  g_assert_cmpuint (rp_smtp_get_auth_mechanisms (smtp) & RP_SMTP_AUTH_MECH_LOGIN, !=, 0);

  send_one (smtp, "alice");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);

  assert_trace_masked (smtp, "alice-secret");
  trace = rp_transport_dup_trace (rp_smtp_get_transport (smtp));
  g_assert_nonnull (strstr (trace, "AUTH PLAIN ********"));
  g_assert_nonnull (strstr (trace, " BODY=8BITMIME"));
  g_assert_nonnull (strstr (trace, " SIZE="));
}

static void
test_starttls_login (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_submission_port (smtpd),
                                              RP_SECURITY_STARTTLS, "bob", RP_SMTP_AUTH_LOGIN);
  g_autoptr(GError) error = NULL;

  /* Two messages on one connection. */
  send_one (smtp, "bob");
  send_one (smtp, "carol");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  assert_trace_masked (smtp, "bob-secret");
}

/* The fixture's Dovecot offers "plain login" to Postfix (its
 * auth_mechanisms), so Postfix does not advertise CRAM-MD5: the client
 * must not pick it and must refuse it when asked for by name. CRAM-MD5
 * itself is checked against the RFC 2195 example in test-smtp-hostile. */
static void
test_cram_md5_not_offered (void)
{
  g_autoptr(RpSmtp) smtp = new_client (rp_test_smtpd_get_submission_port (smtpd),
                                       RP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_get_auth_mechanisms (smtp) & RP_SMTP_AUTH_MECH_CRAM_MD5, ==, 0);
  g_assert_false (rp_smtp_login_sync (smtp, "alice@" RP_TEST_DOMAIN, "alice-secret",
                                      RP_SMTP_AUTH_CRAM_MD5, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (error->message, "CRAM-MD5"));
  g_clear_error (&error);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
}

static void
test_implicit_tls (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_submissions_port (smtpd),
                                              RP_SECURITY_TLS, "carol", RP_SMTP_AUTH_AUTO);
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_transport_is_tls (rp_smtp_get_transport (smtp)));
  send_one (smtp, "carol");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  assert_trace_masked (smtp, "carol-secret");
}

static void
test_plain_port (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_plain_port (smtpd),
                                              RP_SECURITY_NONE, "alice", RP_SMTP_AUTH_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;

  g_assert_false (rp_transport_is_tls (rp_smtp_get_transport (smtp)));
  send_one (smtp, "alice");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));

  /* Without CRAM-MD5 on offer, automatic falls to PLAIN. */
  trace = rp_transport_dup_trace (rp_smtp_get_transport (smtp));
  g_assert_nonnull (strstr (trace, "AUTH PLAIN ********"));
  assert_trace_masked (smtp, "alice-secret");
}

static void
test_partial_refusal (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_submission_port (smtpd),
                                              RP_SECURITY_STARTTLS, "alice", RP_SMTP_AUTH_AUTO);
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) message = make_message ("several", &message_id);
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *recipients[] = {
    "alice@" RP_TEST_DOMAIN, "nobody@" RP_TEST_DOMAIN, "bob@" RP_TEST_DOMAIN, NULL,
  };
  const RpSmtpRecipientStatus *refused;

  g_assert_true (rp_smtp_send_sync (smtp, "alice@" RP_TEST_DOMAIN, recipients, message, &result,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rp_smtp_send_result_get_n_recipients (result), ==, 3);
  g_assert_cmpuint (rp_smtp_send_result_get_n_accepted (result), ==, 2);
  g_assert_cmpuint (rp_smtp_send_result_get_n_refused (result), ==, 1);
  g_assert_true (rp_smtp_send_result_lookup (result, "alice@" RP_TEST_DOMAIN)->accepted);
  g_assert_true (rp_smtp_send_result_lookup (result, "bob@" RP_TEST_DOMAIN)->accepted);

  refused = rp_smtp_send_result_lookup (result, "nobody@" RP_TEST_DOMAIN);
  g_assert_nonnull (refused);
  g_assert_false (refused->accepted);
  g_assert_cmpuint (refused->code, ==, 550);
  g_assert_cmpstr (refused->enhanced_code, ==, "5.1.1");
  g_assert_nonnull (strstr (refused->text, "nobody@" RP_TEST_DOMAIN));

  assert_delivered_intact ("alice", message_id);
  assert_delivered_intact ("bob", message_id);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
}

static void
test_all_refused (void)
{
  g_autoptr(RpSmtp) smtp = connect_and_login (rp_test_smtpd_get_submission_port (smtpd),
                                              RP_SECURITY_STARTTLS, "alice", RP_SMTP_AUTH_AUTO);
  g_autofree char *message_id = NULL;
  g_autoptr(GBytes) message = make_message ("nobody", &message_id);
  g_autoptr(RpSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "nobody@" RP_TEST_DOMAIN, "nobody-else@" RP_TEST_DOMAIN, NULL };

  g_assert_false (rp_smtp_send_sync (smtp, "alice@" RP_TEST_DOMAIN, recipients, message, &result,
                                     NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_RECIPIENT_REFUSED);
  g_assert_nonnull (strstr (error->message, "nobody@" RP_TEST_DOMAIN ": 550 5.1.1"));
  g_assert_nonnull (strstr (error->message, "nobody-else@" RP_TEST_DOMAIN ": 550 5.1.1"));
  g_assert_null (result);

  /* The transaction was reset: the same connection carries the next one. */
  send_one (smtp, "bob");
  g_clear_error (&error);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (has_message ("alice", message_id));
}

static void
test_wrong_password (void)
{
  g_autoptr(RpSmtp) smtp = new_client (rp_test_smtpd_get_submission_port (smtpd),
                                       RP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);

  for (RpSmtpAuthMethod method = RP_SMTP_AUTH_AUTO; method <= RP_SMTP_AUTH_LOGIN; method++)
    {
      g_assert_false (rp_smtp_login_sync (smtp, "alice@" RP_TEST_DOMAIN, "not-alices-password",
                                          method, NULL, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
      g_assert_nonnull (strstr (error->message, HOST));
      g_assert_nonnull (strstr (error->message, "password"));
      g_assert_nonnull (strstr (error->message, "535 5.7.8"));
      g_assert_null (strstr (error->message, "not-alices-password"));
      g_clear_error (&error);
    }

  assert_trace_masked (smtp, "not-alices-password");
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
}

static void
test_size_limit (void)
{
  g_autoptr(RpSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("Subject: too big\n\n");
  g_autoptr(GBytes) message = NULL;
  g_autofree char *log_before = NULL;
  g_autofree char *session = NULL;
  const char *recipients[] = { "bob@" RP_TEST_DOMAIN, NULL };
  guint disconnects;
  gint64 deadline;

  while (big->len < 30000)
    g_string_append (big, "This line makes the message larger than the limit.\n");
  message = g_bytes_new (big->str, big->len);

  rp_test_smtpd_set_size_limit (smtpd, 20000);
  log_before = rp_test_smtpd_read_log (smtpd);
  disconnects = count_lines (log_before, "disconnect from");

  smtp = connect_and_login (rp_test_smtpd_get_submission_port (smtpd),
                            RP_SECURITY_STARTTLS, "alice", RP_SMTP_AUTH_AUTO);
  g_assert_cmpuint (rp_smtp_get_size_limit (smtp), ==, 20000);
  g_assert_false (rp_smtp_send_sync (smtp, "alice@" RP_TEST_DOMAIN, recipients, message, NULL,
                                     NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, HOST));
  g_clear_error (&error);
  g_assert_true (rp_smtp_quit_sync (smtp, NULL, &error));
  g_assert_no_error (error);

  /* Postfix sums up each session in its "disconnect" line: this one had
   * no MAIL, RCPT or DATA at all. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (session == NULL && g_get_monotonic_time () < deadline)
    {
      g_autofree char *log = rp_test_smtpd_read_log (smtpd);

      if (count_lines (log, "disconnect from") > disconnects)
        {
          const char *line = g_strrstr (log, "disconnect from");

          session = g_strndup (line, strcspn (line, "\n"));
        }
      else
        g_usleep (100 * 1000);
    }
  g_assert_nonnull (session);
  g_assert_nonnull (strstr (session, " auth=1"));
  g_assert_nonnull (strstr (session, " quit=1"));
  g_assert_null (strstr (session, " mail="));
  g_assert_null (strstr (session, " rcpt="));
  g_assert_null (strstr (session, " data="));

  /* Back to the default, for the tests after this one. */
  rp_test_smtpd_set_size_limit (smtpd, 10240000);
}

static void
test_starttls_unavailable (void)
{
  g_autoptr(RpSmtp) smtp = new_client (rp_test_smtpd_get_plain_port (smtpd),
                                       RP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  g_assert_false (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, HOST));
  g_assert_nonnull (strstr (error->message, "does not offer encryption"));
  g_assert_false (rp_transport_is_connected (rp_smtp_get_transport (smtp)));
}

static void
test_untrusted_certificate (void)
{
  g_autoptr(RpSmtp) smtp = rp_smtp_new (HOST, rp_test_smtpd_get_submissions_port (smtpd),
                                        RP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;

  /* Without the test CA the certificate is unknown: no session, no
   * greeting read, no password sent. */
  g_assert_false (rp_smtp_connect_sync (smtp, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const users[] = { "alice", "bob", "carol" };
  int ret;

  rp_test_init (&argc, &argv);

  test_ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (test_ca, RP_TEST_CERT_VALID);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *password = g_strdup_printf ("%s-secret", users[i]);

      rp_test_dovecot_add_user (dovecot, users[i], password);
    }
  smtpd = rp_test_smtpd_new (test_ca, RP_TEST_CERT_VALID, dovecot);

  g_test_add_func ("/core/smtp/postfix/starttls-auth-plain", test_starttls_plain);
  g_test_add_func ("/core/smtp/postfix/starttls-auth-login", test_starttls_login);
  g_test_add_func ("/core/smtp/postfix/cram-md5-not-offered", test_cram_md5_not_offered);
  g_test_add_func ("/core/smtp/postfix/implicit-tls", test_implicit_tls);
  g_test_add_func ("/core/smtp/postfix/plain-port", test_plain_port);
  g_test_add_func ("/core/smtp/postfix/partial-refusal", test_partial_refusal);
  g_test_add_func ("/core/smtp/postfix/all-refused", test_all_refused);
  g_test_add_func ("/core/smtp/postfix/wrong-password", test_wrong_password);
  g_test_add_func ("/core/smtp/postfix/size-limit", test_size_limit);
  g_test_add_func ("/core/smtp/postfix/starttls-unavailable", test_starttls_unavailable);
  g_test_add_func ("/core/smtp/postfix/untrusted-certificate", test_untrusted_certificate);

  ret = g_test_run ();

  g_clear_pointer (&smtpd, rp_test_smtpd_free);
  g_clear_pointer (&dovecot, rp_test_dovecot_free);
  g_clear_pointer (&test_ca, rp_test_ca_free);

  return ret;
}
