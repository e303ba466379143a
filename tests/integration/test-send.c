/* test-send.c: composing and sending through a real Postfix into a real
 * Dovecot: the round trip, identities, rapport-cli send, the async API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "send-fixture.h"

/* Tests */

/* Queued, sent over STARTTLS with AUTH, delivered, fetched back over
 * POP3: the recipient gets our bytes exactly, Sent keeps them with the Bcc
 * in metadata only. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *cc_user = new_user ("cc");
  g_autofree char *bcc_user = new_user ("bcc");
  g_autofree char *to = address_of (to_user);
  g_autofree char *cc = address_of (cc_user);
  g_autofree char *bcc = address_of (bcc_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, "Grüße — round trip",
                                         "Hallo,\n.\n..two dots\nFrom the start, ünïcödé.\n");
  g_autoptr(GBytes) attachment = g_bytes_new_static ("\x00\x01\xff binary", 10);
  g_autoptr(GBytes) queued = NULL;
  g_autoptr(GBytes) sent_copy = NULL;
  g_autoptr(GPtrArray) to_mail = NULL;
  g_autoptr(GPtrArray) cc_mail = NULL;
  g_autoptr(GPtrArray) bcc_mail = NULL;
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *log = NULL;
  g_autofree char *sasl = NULL;
  RpOutboxFlushStats stats;
  g_autofree char *queued_text = NULL;
  gint64 id;

  rp_draft_add_recipient (draft, RP_RECIPIENT_CC, "Cé Cé", cc);
  rp_draft_add_recipient (draft, RP_RECIPIENT_BCC, "Hidden", bcc);
  rp_draft_add_attachment_bytes (draft, "Übersicht.bin", "application/octet-stream", attachment);
  id = queue (f, draft, f->address);

  /* Queued durably, with the whole envelope. */
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (entry->envelope_from, ==, f->address);
  g_assert_cmpuint (g_strv_length (entry->recipients), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) entry->recipients, bcc));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 1);
  queued = rp_store_get_raw (f->store, id, &error);
  g_assert_no_error (error);
  queued_text = g_strndup (g_bytes_get_data (queued, NULL), g_bytes_get_size (queued));
  g_assert_cmpuint (strlen (queued_text), ==, g_bytes_get_size (queued));
  g_assert_null (strstr (queued_text, bcc));

  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.attempted, ==, 1);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_assert_cmpuint (stats.partially_sent, ==, 0);

  /* Each recipient has one copy: Postfix's trace headers, then our bytes. */
  to_mail = expect_deliveries (to_user, 1);
  cc_mail = expect_deliveries (cc_user, 1);
  bcc_mail = expect_deliveries (bcc_user, 1);
  if (!g_str_has_suffix (g_ptr_array_index (to_mail, 0), queued_text))
    g_error ("delivered:\n%s\nsent:\n%s", (char *) g_ptr_array_index (to_mail, 0), queued_text);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (cc_mail, 0), queued_text));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (bcc_mail, 0), queued_text));
  g_assert_false (has_header (g_ptr_array_index (bcc_mail, 0), "Bcc:"));
  g_assert_false (has_header (g_ptr_array_index (to_mail, 0), "Sender:"));

  /* Sent holds the copy, Outbox nothing. */
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 0);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);
  g_assert_cmpuint (count_outbox_rows (f), ==, 0);
  sent_copy = rp_store_get_raw (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (sent_copy, queued));
  sql = g_strdup_printf ("SELECT count(*) FROM message_address WHERE message_id = %" G_GINT64_FORMAT
                         " AND kind = 3 AND address = '%s'", id, bcc);
  g_assert_cmpint (query_int (f, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT flags & 1 FROM message WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (query_int (f, sql), ==, 1);

  /* Postfix saw our login. */
  log = rp_test_smtpd_read_log (smtpd);
  sasl = g_strdup_printf ("sasl_username=%s", f->address);
  g_assert_nonnull (strstr (log, sasl));

  /* The recipient fetches it over POP3 into its own account. */
  {
    g_autoptr(RpFetcher) fetcher = rp_fetcher_new (f->store, f->secrets);
    g_autoptr(RpAccount) inbox = rp_account_new ("inbox");
    g_autofree char *key = NULL;
    g_autofree char *password = g_strconcat (to_user, "-secret", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GBytes) fetched = NULL;
    g_autoptr(RpMessageSummary) summary = NULL;
    RpFetchStats fetch_stats;
    gint64 fetched_id;

    g_free (inbox->email);
    inbox->email = g_strdup (to);
    g_free (inbox->pop_host);
    inbox->pop_host = g_strdup ("localhost");
    inbox->pop_port = rp_test_dovecot_get_pop3s_port (dovecot);
    g_free (inbox->pop_user);
    inbox->pop_user = g_strdup (to_user);
    inbox->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
    g_assert_true (rp_store_save_account (f->store, inbox, &error));
    g_assert_no_error (error);
    key = rp_account_dup_secret_key (inbox, NULL);
    g_assert_true (rp_secrets_store_sync (f->secrets, "pop3", key, password, NULL, &error));

    rp_fetcher_set_timeout (fetcher, 10);
    g_assert_true (rp_fetcher_fetch_sync (fetcher, "inbox", &fetch_stats, NULL, NULL, NULL,
                                          &error));
    g_assert_no_error (error);
    g_assert_cmpuint (fetch_stats.new_messages, ==, 1);

    g_free (sql);
    sql = g_strdup_printf ("SELECT id FROM message WHERE account_id = %" G_GINT64_FORMAT,
                           inbox->id);
    fetched_id = query_int (f, sql);
    fetched = rp_store_get_raw (f->store, fetched_id, &error);
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (fetched, NULL), g_bytes_get_size (fetched));
    g_assert_true (g_str_has_suffix (text, queued_text));

    summary = rp_message_summary_parse (fetched, 0);
    g_assert_cmpstr (summary->subject, ==, "Grüße — round trip");
    g_assert_cmpstr (summary->from->address, ==, f->address);
    g_assert_cmpstr (summary->from->name, ==, "Sender Person");
    g_assert_nonnull (strstr (summary->body_text, "..two dots\nFrom the start, ünïcödé."));
    g_assert_cmpuint (summary->attachments->len, ==, 1);
    g_assert_cmpstr (((RpAttachment *) g_ptr_array_index (summary->attachments, 0))->filename, ==,
                     "Übersicht.bin");
    g_assert_cmpuint (((RpAttachment *) g_ptr_array_index (summary->attachments, 0))->size, ==, 10);
  }
}

/* "Send mail as" through the account's server carries Sender:; an
 * identity with its own server logs in there as itself, without one. */
static void
test_identities (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autofree char *own_user = new_user ("own");
  g_autofree char *own = address_of (own_user);
  g_autofree char *own_password = g_strconcat (own_user, "-secret", NULL);
  g_autofree char *sasl = NULL;
  g_autofree char *log = NULL;
  g_autofree char *return_path = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GError) error = NULL;
  RpIdentity *alias = rp_identity_new ("sales@shop.example");
  RpIdentity *own_identity = rp_identity_new (own);
  RpOutboxFlushStats stats;

  g_free (alias->display_name);
  alias->display_name = g_strdup ("Sales Team");
  g_ptr_array_add (f->account->identities, alias);
  own_identity->smtp_host = g_strdup ("localhost");
  own_identity->smtp_port = rp_test_smtpd_get_submissions_port (smtpd);
  own_identity->smtp_security = RP_SECURITY_TLS;
  g_free (own_identity->smtp_user);
  own_identity->smtp_user = g_strdup (own);
  g_ptr_array_add (f->account->identities, own_identity);
  save (f);
  store_password (f, "smtp", rp_account_find_identity (f->account, own), own_password);

  {
    g_autoptr(RpDraft) via_account = make_draft ("sales@shop.example", to, "On behalf", "One\n");
    g_autoptr(RpDraft) via_own = make_draft (own, to, "Own server", "Two\n");

    queue (f, via_account, "sales@shop.example");
    queue (f, via_own, own);
  }

  /* Saving the account writes its identities anew: the queued messages
   * still go out as the identities they were written as. */
  save (f);

  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 2);

  mail = expect_deliveries (to_user, 2);
  for (guint i = 0; i < mail->len; i++)
    {
      const char *text = g_ptr_array_index (mail, i);
      g_autofree char *sender = g_strdup_printf ("Sender: Sender Account <%s>", f->address);

      if (strstr (text, "Subject: On behalf") != NULL)
        {
          /* Through the account's server, on behalf of the identity. */
          g_assert_nonnull (strstr (text, "From: Sender Person <sales@shop.example>"));
          g_assert_nonnull (strstr (text, sender));
          return_path = g_strdup_printf ("Return-Path: <%s>", f->address);
          g_assert_true (g_str_has_prefix (text, return_path));
          g_clear_pointer (&return_path, g_free);
        }
      else
        {
          g_assert_nonnull (strstr (text, "Subject: Own server"));
          g_assert_false (has_header (text, "Sender:"));
          return_path = g_strdup_printf ("Return-Path: <%s>", own);
          g_assert_true (g_str_has_prefix (text, return_path));
          g_clear_pointer (&return_path, g_free);
        }
    }

  log = rp_test_smtpd_read_log (smtpd);
  sasl = g_strdup_printf ("sasl_username=%s", own);
  g_assert_nonnull (strstr (log, sasl));
  g_assert_nonnull (strstr (log, "postfix/submissions"));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 2);
}

/* rapport-cli send while the server is up: exit 0 once accepted. */
static void
test_cli_send (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autofree char *bcc_user = new_user ("bcc");
  g_autofree char *bcc = address_of (bcc_user);
  g_autofree char *dir = rp_test_make_tmpdir ("send");
  g_autofree char *body_file = g_build_filename (dir, "body.txt", NULL);
  g_autofree char *attach = g_build_filename (dir, "Bericht März.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GPtrArray) hidden = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to_arg = g_strdup_printf ("Recipient Name <%s>", to);
  const char *args[] = { "send", "--from", f->address, "--to", to_arg, "--bcc", bcc,
                         "--subject", "From the CLI", "--body-file", body_file,
                         "--attach", attach, NULL };
  const char *bad_from[] = { "send", "--from", "nobody@nowhere.example", "--to", to,
                             "--subject", "x", "--body-file", body_file, NULL };
  const char *no_to[] = { "send", "--from", f->address, "--subject", "x", NULL };

  g_assert_true (g_file_set_contents (body_file, "CLI body\n", -1, &error));
  g_assert_true (g_file_set_contents (attach, "report\n", -1, &error));

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  mail = expect_deliveries (to_user, 1);
  hidden = expect_deliveries (bcc_user, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (mail, 0), "To: Recipient Name <"));
  g_assert_nonnull (strstr (g_ptr_array_index (mail, 0), "filename*=UTF-8''Bericht%20M%C3%A4rz.txt"));
  g_assert_null (strstr (g_ptr_array_index (mail, 0), bcc));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);
  g_assert_cmpuint (count_outbox_rows (f), ==, 0);

  /* Usage errors exit 2 and queue nothing. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (bad_from, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (no_to, &out, &err), ==, 2);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 0);
  rp_test_rm_rf (dir);
}

static void
flush_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The async wrapper, as the app uses it: the work in a thread, the result
 * and the store's change notification in the main context. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, "Async", "From a thread\n");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats = { 0, };

  queue (f, draft, f->address);
  rp_outbox_flush_async (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, NULL, flush_done_cb,
                         &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (rp_outbox_flush_finish (f->store, result, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  mail = expect_deliveries (to_user, 1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  rp_test_init (&argc, &argv);
  send_fixture_start_servers ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/send/round-trip", test_round_trip);
  ADD ("/send/identities", test_identities);
  ADD ("/send/cli-send", test_cli_send);
  ADD ("/send/async", test_async);

  status = g_test_run ();

  send_fixture_stop_servers ();
  return status;
}
