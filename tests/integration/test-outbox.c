/* test-outbox.c: the Outbox against a real Postfix: offline queueing with
 * rapport-cli, refusals, back-off, interrupted sends and kill -9
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "rp-test-peer.h"
#include "send-fixture.h"

/* Tests */

/* With the server down, rapport-cli send fails with 1 and the message
 * waits in the Outbox; once the server is back, outbox flush delivers it
 * exactly once. */
static void
test_outbox_offline (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autofree char *dir = rp_test_make_tmpdir ("send");
  g_autofree char *body_file = g_build_filename (dir, "body.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GError) error = NULL;
  const char *send_args[] = { "send", "--from", f->address, "--to", to, "--subject", "Offline",
                              "--body-file", body_file, NULL };
  const char *flush_args[] = { "outbox", "flush", NULL };
  JsonArray *list;
  JsonObject *entry;

  g_assert_true (g_file_set_contents (body_file, "Written while offline.\n", -1, &error));

  rp_test_smtpd_stop (smtpd);
  g_assert_cmpint (run_cli (send_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Outbox"));
  {
    g_auto(GStrv) lines = g_strsplit (err, "\n", -1);

    /* One line, then the final newline. */
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_cmpstr (lines[1], ==, "");
  }

  list = cli_outbox_json (&root);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  entry = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "subject"), ==, "Offline");
  g_assert_cmpstr (json_object_get_string_member (entry, "from"), ==, f->address);
  g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, to);
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "temporary-failure");
  g_assert_cmpint (json_object_get_int_member (entry, "attempts"), ==, 1);
  g_assert_nonnull (json_object_get_string_member (entry, "next_attempt"));
  g_assert_nonnull (json_object_get_string_member (entry, "last_error"));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 1);

  /* Still down: flush fails again, nothing lost. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (flush_args, &out, &err), ==, 1);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 1);

  rp_test_smtpd_start (smtpd);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (flush_args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  /* A second flush has nothing left to send. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (flush_args, &out, &err), ==, 0);

  mail = expect_deliveries (to_user, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (mail, 0), "Written while offline."));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 0);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);
  list = cli_outbox_json (&after);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
  rp_test_rm_rf (dir);
}

/* One refused recipient among three: the others get it, Sent keeps it,
 * and the refusal is recorded. */
static void
test_partial_refusal (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a_user = new_user ("to");
  g_autofree char *b_user = new_user ("to");
  g_autofree char *a = address_of (a_user);
  g_autofree char *b = address_of (b_user);
  g_autofree char *nobody = g_strdup_printf ("nobody-%u@" RP_TEST_DOMAIN, g_random_int ());
  g_autoptr(RpDraft) draft = make_draft (f->address, a, "Three recipients", "Hello all\n");
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) a_mail = NULL;
  g_autoptr(GPtrArray) b_mail = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats;
  gint64 id;

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, nobody);
  rp_draft_add_recipient (draft, RP_RECIPIENT_CC, NULL, b);
  id = queue (f, draft, f->address);

  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_assert_cmpuint (stats.partially_sent, ==, 1);

  a_mail = expect_deliveries (a_user, 1);
  b_mail = expect_deliveries (b_user, 1);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 0);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_PARTIALLY_SENT);
  g_assert_nonnull (strstr (entry->last_error, nobody));
  g_assert_nonnull (strstr (entry->last_error, "550"));
  g_assert_null (strstr (entry->last_error, a));
  g_assert_null (strstr (entry->last_error, b));

  /* Never sent again, and the record goes when the user has seen it. */
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_cmpuint (stats.attempted, ==, 0);
  g_assert_true (rp_outbox_mark_sent (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_outbox_rows (f), ==, 0);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);
  g_clear_pointer (&a_mail, g_ptr_array_unref);
  a_mail = expect_deliveries (a_user, 1);
}

/* Every recipient refused with 550: a permanent failure, kept in the
 * Outbox with the server's reason and not retried by itself. */
static void
test_permanent_failure (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *nobody = g_strdup_printf ("nobody-%u@" RP_TEST_DOMAIN, g_random_int ());
  g_autoptr(RpDraft) draft = make_draft (f->address, nobody, "Nobody home", "Hello?\n");
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(RpOutboxEntry) again = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats;
  gint64 id;

  id = queue (f, draft, f->address);
  g_assert_false (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                        NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_RECIPIENT_REFUSED);
  g_assert_cmpuint (stats.failed, ==, 1);
  g_clear_error (&error);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_PERMANENT_FAILURE);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_nonnull (strstr (entry->last_error, "550"));
  g_assert_nonnull (strstr (entry->last_error, nobody));
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 1);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 0);

  /* Not retried, even when the user flushes everything. */
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.attempted, ==, 0);

  /* Until the user says so. */
  g_assert_true (rp_outbox_retry (f->store, id, &error));
  g_assert_no_error (error);
  again = get_entry (f, id);
  g_assert_cmpint (again->state, ==, RP_OUTBOX_STATE_QUEUED);
  g_assert_null (again->last_error);
}

/* A server that cannot be reached: 1, 2, 4 … minutes, at most an hour. */
static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, "Backing off", "Later\n");
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  RpOutboxFlushStats stats;
  gint64 expected[] = { 60, 120, 240, 480, 960, 1920, 3600, 3600 };
  gint64 id;

  rp_test_smtpd_stop (smtpd);
  id = queue (f, draft, f->address);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(RpOutboxEntry) entry = NULL;
      gint64 before = g_get_real_time () / G_USEC_PER_SEC;

      g_assert_false (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                            NULL, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
      g_clear_error (&error);
      entry = get_entry (f, id);
      g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_TEMPORARY_FAILURE);
      g_assert_cmpuint (entry->attempts, ==, i + 1);
      g_assert_cmpint (entry->next_attempt, >=, before + expected[i]);
      g_assert_cmpint (entry->next_attempt, <=, before + expected[i] + 5);
      g_assert_nonnull (entry->last_error);

      /* Not due yet: a plain flush leaves it alone. */
      g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                           NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stats.attempted, ==, 0);

      /* Time passes. */
      g_free (sql);
      sql = g_strdup_printf ("UPDATE outbox SET next_attempt = next_attempt - 7200"
                             " WHERE message_id = %" G_GINT64_FORMAT, id);
      exec_sql (f, sql);
    }

  rp_test_smtpd_start (smtpd);
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  mail = expect_deliveries (to_user, 1);
}

/* A message left "sending" (a crash after the server accepted it, before
 * the move to Sent) is never sent again by itself. */
static void
test_interrupted_not_resent (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autoptr(RpDraft) draft = make_draft (f->address, to, "Interrupted", "Once only\n");
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(RpOutboxEntry) stale = NULL;
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  RpOutboxFlushStats stats;
  gint64 id;

  id = queue (f, draft, f->address);
  sql = g_strdup_printf ("UPDATE outbox SET state = 3, attempts = 1, next_attempt = %"
                         G_GINT64_FORMAT " WHERE message_id = %" G_GINT64_FORMAT,
                         g_get_real_time () / G_USEC_PER_SEC, id);
  exec_sql (f, sql);

  /* Recently claimed: another flush may be sending it right now. */
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_cmpuint (stats.attempted, ==, 0);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_SENDING);
  g_assert_false (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                        NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Claimed long ago: possibly sent, for the user to decide. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE outbox SET next_attempt = next_attempt - %d"
                         " WHERE message_id = %" G_GINT64_FORMAT, RP_OUTBOX_SENDING_STALE + 60, id);
  exec_sql (f, sql);
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_cmpuint (stats.attempted, ==, 0);
  stale = get_entry (f, id);
  g_assert_cmpint (stale->state, ==, RP_OUTBOX_STATE_POSSIBLY_SENT);
  g_assert_nonnull (stale->last_error);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_OUTBOX), ==, 1);
  g_clear_pointer (&mail, g_ptr_array_unref);
  mail = expect_deliveries (to_user, 0);

  /* The user decides to send it after all: exactly one copy. */
  g_assert_true (rp_outbox_retry (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&mail, g_ptr_array_unref);
  mail = expect_deliveries (to_user, 1);
  g_assert_cmpuint (count_outbox_rows (f), ==, 0);
}

/* kill -9 of rapport-cli send at random moments: no message reaches its
 * recipient twice, and none is lost without a trace. */
static void
test_kill9 (Fixture       *f,
            gconstpointer  data)
{
  const char *cli = g_getenv ("RAPPORT_CLI");
  g_autofree char *to_user = new_user ("to");
  g_autofree char *to = address_of (to_user);
  g_autofree char *dir = rp_test_make_tmpdir ("send");
  g_autofree char *body_file = g_build_filename (dir, "body.txt", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GPtrArray) mail = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const guint trials = 16;
  guint delivered = 0;
  guint waiting = 0;
  guint killed = 0;
  gint64 duration_us;

  g_assert_true (g_file_set_contents (body_file, "Kill me maybe\n", -1, &error));
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);

  /* How long an undisturbed send takes here: the kills land anywhere in
   * that span, from start-up to the move to Sent. */
  {
    const char *args[] = { "send", "--from", f->address, "--to", to, "--subject", "Calibration",
                           "--body-file", body_file, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    duration_us = g_get_monotonic_time () - start;
    g_test_message ("an undisturbed send takes %" G_GINT64_FORMAT " ms", duration_us / 1000);
    g_clear_pointer (&mail, g_ptr_array_unref);
    mail = expect_deliveries (to_user, 1);
  }

  for (guint trial = 0; trial < trials; trial++)
    {
      g_autofree char *subject = g_strdup_printf ("Trial %u", trial);
      const char *argv[] = { cli, "send", "--from", f->address, "--to", to, "--subject", subject,
                             "--body-file", body_file, NULL };
      GPid pid;
      int status;

      g_assert_true (g_spawn_async (NULL, (char **) argv, envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                                    NULL, NULL, &pid, &error));
      g_usleep (g_rand_int_range (rand, 1000, (gint32) MAX (duration_us * 11 / 10, 2000)));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      if (WIFSIGNALED (status))
        killed++;
    }

  /* Whatever was queued and not claimed goes now; what was claimed
   * stays "sending" and must not go again. */
  rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, NULL, NULL, NULL);
  g_usleep (2 * G_USEC_PER_SEC);
  g_clear_pointer (&mail, g_ptr_array_unref);
  mail = read_maildir (to_user);
  entries = rp_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);

  for (guint trial = 0; trial < trials; trial++)
    {
      g_autofree char *subject = g_strdup_printf ("Subject: Trial %u\r\n", trial);
      g_autofree char *bare = g_strdup_printf ("Trial %u", trial);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM message WHERE subject = '%s'"
                                              " AND folder_id = %" G_GINT64_FORMAT, bare,
                                              rp_store_get_special_folder (f->store, f->account->id,
                                                                           RP_FOLDER_ROLE_SENT));
      gint64 in_sent = query_int (f, sql);
      guint copies = 0;
      gboolean in_outbox = FALSE;

      for (guint i = 0; i < mail->len; i++)
        copies += strstr (g_ptr_array_index (mail, i), subject) != NULL;
      for (guint i = 0; i < entries->len; i++)
        {
          RpOutboxEntry *entry = g_ptr_array_index (entries, i);

          if (g_str_equal (entry->subject, bare))
            {
              in_outbox = TRUE;
              /* Only a message that may have gone is held back. */
              g_assert_cmpint (entry->state, ==, RP_OUTBOX_STATE_SENDING);
            }
        }

      /* Never twice; what Sent holds was delivered; what was delivered
       * is in Sent or held back in the Outbox, never without a trace. */
      g_assert_cmpuint (copies, <=, 1);
      g_assert_cmpint (in_sent, <=, 1);
      g_assert_false (in_sent == 1 && in_outbox);
      if (in_sent == 1)
        g_assert_cmpuint (copies, ==, 1);
      if (copies == 1)
        g_assert_true (in_sent == 1 || in_outbox);
      delivered += copies;
      waiting += in_outbox;
    }

  g_test_message ("%u of %u sends killed; %u delivered once, %u held as possibly sent",
                  killed, trials, delivered, waiting);
  /* The calibration message and the trials', nothing else. */
  g_assert_cmpuint (mail->len, ==, delivered + 1);
  rp_test_rm_rf (dir);
}

/* A scripted server: what Postfix will not do on purpose. The identity
 * peer@example.test sends through it, without a password (so no AUTH). */
static gint64
queue_for_peer (Fixture    *f,
                RpTestPeer *peer)
{
  static guint counter;
  g_autofree char *text = g_strdup_printf ("From: peer@example.test\r\nTo: x@example.test\r\n"
                                           "Subject: Peer\r\nMessage-ID: <peer-%u-%u@example.test>"
                                           "\r\n\r\nBody\r\n", ++counter, g_random_int ());
  g_autoptr(GBytes) message = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  const char * const recipients[] = { "x@example.test", NULL };
  RpIdentity *identity = rp_account_find_identity (f->account, "peer@example.test");
  gint64 id;

  if (identity == NULL)
    {
      identity = rp_identity_new ("peer@example.test");
      g_ptr_array_add (f->account->identities, identity);
    }
  g_free (identity->smtp_host);
  identity->smtp_host = g_strdup ("127.0.0.1");
  identity->smtp_port = rp_test_peer_get_port (peer);
  identity->smtp_security = RP_SECURITY_NONE;
  save (f);
  identity = rp_account_find_identity (f->account, "peer@example.test");

  id = rp_outbox_queue_bytes_sync (f->store, f->account, identity, message, "peer@example.test",
                                   recipients, NULL, NULL, &error);
  g_assert_no_error (error);
  return id;
}

#define PEER_TRANSACTION \
  "SEND 220 peer.example.test ESMTP\n" \
  "RECV\n" \
  "SEND 250 peer.example.test\n" \
  "EXPECT MAIL FROM:<peer@example.test>\n" \
  "SEND 250 ok\n" \
  "EXPECT RCPT TO:<x@example.test>\n" \
  "SEND 250 ok\n" \
  "EXPECT DATA\n" \
  "SEND 354 go ahead\n" \
  "EXPECT From: peer@example.test\n" \
  "RECV\nRECV\nRECV\nRECV\n" \
  "EXPECT Body\n" \
  "EXPECT .\n"

/* The connection drops after the whole message went out and before the
 * server's answer: it may have been taken, so it is never sent again
 * without the user's word. Dropped earlier, or answered with 451, it is
 * certainly not taken and is retried. */
static void
test_reply_lost (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  struct
  {
    const char    *script;
    RpOutboxState  state;
    RpErrorCode    code;
  } cases[] = {
    { PEER_TRANSACTION "CLOSE\n", RP_OUTBOX_STATE_POSSIBLY_SENT, RP_ERROR_CONNECTION_FAILED },
    { PEER_TRANSACTION "SEND 451 4.3.0 try later\nEXPECT RSET\nSEND 250 ok\n"
      "EXPECT QUIT\nSEND 221 bye\n",
      RP_OUTBOX_STATE_TEMPORARY_FAILURE, RP_ERROR_SERVER_TEMPORARY },
    { "SEND 220 peer.example.test ESMTP\nRECV\nSEND 250 peer.example.test\n"
      "EXPECT MAIL FROM:<peer@example.test>\nCLOSE\n",
      RP_OUTBOX_STATE_TEMPORARY_FAILURE, RP_ERROR_CONNECTION_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpOutboxEntry) entry = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *failure = NULL;
      RpOutboxFlushStats stats;
      gint64 id = queue_for_peer (f, peer);

      g_test_message ("case %u", i);
      rp_test_peer_run (peer, NULL, cases[i].script);
      g_assert_false (rp_outbox_flush_sync (f->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                            NULL, &error));
      g_assert_error (error, RP_ERROR, cases[i].code);
      if (!rp_test_peer_wait (peer, &failure))
        g_error ("peer script failed: %s", failure);

      entry = get_entry (f, id);
      g_assert_cmpint (entry->state, ==, cases[i].state);
      g_assert_cmpuint (entry->attempts, ==, 1);
      g_assert_nonnull (entry->last_error);

      /* Whatever happened, the next flush does not send a possibly sent
       * message; the others wait for their back-off. */
      g_clear_error (&error);
      g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_DUE, &stats,
                                           NULL, &error));
      g_assert_cmpuint (stats.attempted, ==, 0);
      g_assert_true (rp_outbox_mark_sent (f->store, id, &error) ==
                     (cases[i].state == RP_OUTBOX_STATE_POSSIBLY_SENT));
    }
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

  ADD ("/send/outbox/offline-cli", test_outbox_offline);
  ADD ("/send/outbox/partial-refusal", test_partial_refusal);
  ADD ("/send/outbox/permanent-failure", test_permanent_failure);
  ADD ("/send/outbox/backoff", test_backoff);
  ADD ("/send/outbox/interrupted-not-resent", test_interrupted_not_resent);
  ADD ("/send/outbox/reply-lost", test_reply_lost);
  ADD ("/send/outbox/kill9-exactly-once", test_kill9);

  status = g_test_run ();

  send_fixture_stop_servers ();
  return status;
}
