/* test-scheduler.c: accounts are polled on their own schedules, in
 * parallel; a hanging server holds up only its own account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rp-core.h"
#include "rp-scheduler.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-peer.h"
#include "rp-test-util.h"

typedef struct
{
  guint    good_finished;
  guint    slow_finished;
  guint    progress_events;
  GError  *slow_error;
  gboolean progress_in_main_thread;
} Events;

static void
on_finished (RpScheduler  *scheduler,
             const char   *name,
             RpFetchStats *stats,
             GError       *error,
             Events       *events)
{
  if (g_str_equal (name, "good"))
    {
      g_assert_no_error (error);
      events->good_finished++;
    }
  else
    {
      events->slow_finished++;
      g_clear_error (&events->slow_error);
      events->slow_error = error ? g_error_copy (error) : NULL;
    }
}

static void
on_progress (RpScheduler     *scheduler,
             RpFetchProgress *progress,
             Events          *events)
{
  events->progress_events++;
  events->progress_in_main_thread = g_main_context_is_owner (g_main_context_default ());
}

static RpAccount *
make_account (const char *name,
              const char *host,
              guint16     port,
              RpSecurity  security,
              const char *user)
{
  RpAccount *account = rp_account_new (name);

  g_free (account->email);
  account->email = g_strdup_printf ("%s@example.test", user);
  g_free (account->pop_host);
  account->pop_host = g_strdup (host);
  account->pop_port = port;
  account->pop_security = security;
  g_free (account->pop_user);
  account->pop_user = g_strdup (user);
  account->poll_minutes = 1;

  return account;
}

static void
test_scheduler_hang_blocks_nothing (void)
{
  g_autoptr(RpTestCa) ca = rp_test_ca_new ();
  g_autoptr(RpTestDovecot) dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  g_autoptr(RpTestPeer) peer = rp_test_peer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpSecrets) secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);
  g_autoptr(RpFetcher) fetcher = NULL;
  g_autoptr(RpScheduler) scheduler = NULL;
  g_autoptr(RpAccount) good = NULL;
  g_autoptr(RpAccount) slow = NULL;
  Events events = { 0, };
  gint64 deadline;

  rp_test_dovecot_add_user (dovecot, "alice", "secret");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("From: b@example.test\nSubject: %u\n\nhello %u\n", i, i);
      g_free (rp_test_dovecot_deliver (dovecot, "alice", text, strlen (text)));
    }

  store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  good = make_account ("good", "localhost", rp_test_dovecot_get_pop3s_port (dovecot),
                       RP_SECURITY_TLS, "alice");
  good->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  slow = make_account ("slow", "127.0.0.1", rp_test_peer_get_port (peer), RP_SECURITY_NONE,
                       "bob");
  g_assert_true (rp_store_save_account (store, good, &error));
  g_assert_true (rp_store_save_account (store, slow, &error));
  g_assert_true (rp_secrets_store_sync (secrets, "pop3", "good", "secret", NULL, &error));
  g_assert_true (rp_secrets_store_sync (secrets, "pop3", "slow", "secret", NULL, &error));

  /* The slow server greets, then never answers again. */
  rp_test_peer_run (peer, ca, "SEND +OK slow server ready\nRECV\nHANG\n");

  fetcher = rp_fetcher_new (store, secrets);
  rp_fetcher_set_timeout (fetcher, 30);
  scheduler = rp_scheduler_new (fetcher, store);
  /* One "minute" lasts 300 ms here. */
  rp_scheduler_set_minute_ms (scheduler, 300);
  g_signal_connect (scheduler, "fetch-finished", G_CALLBACK (on_finished), &events);
  g_signal_connect (scheduler, "fetch-progress", G_CALLBACK (on_progress), &events);

  rp_scheduler_start (scheduler);
  rp_scheduler_fetch_now (scheduler, NULL);
  g_assert_true (rp_scheduler_is_fetching (scheduler, "slow"));

  /* The good account finishes, and is polled again on its schedule, while
   * the slow one is still stuck. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (events.good_finished < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (events.good_finished, >=, 2);
  g_assert_cmpuint (events.slow_finished, ==, 0);
  g_assert_true (rp_scheduler_is_fetching (scheduler, "slow"));
  g_assert_cmpuint (events.progress_events, >, 0);
  g_assert_true (events.progress_in_main_thread);

  {
    g_autoptr(RpFolderModel) inbox = rp_folder_model_new_for_role (store, RP_FOLDER_ROLE_INBOX);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox)), ==, 5);
  }

  /* Stopping cancels the stuck fetch promptly. */
  rp_scheduler_stop (scheduler);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (events.slow_finished == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (events.slow_finished, ==, 1);
  g_assert_error (events.slow_error, RP_ERROR, RP_ERROR_CANCELLED);
  g_clear_error (&events.slow_error);

  /* A cancelled fetch is not the server's fault: no counter grew. */
  {
    g_autoptr(RpAccount) account = rp_store_load_account (store, "slow", &error);

    g_assert_cmpuint (account->connection_failures, ==, 0);
    g_assert_cmpuint (account->auth_failures, ==, 0);
  }

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("RAPPORT_SECRETS", "file", TRUE);
  rp_test_init (&argc, &argv);

  g_test_add_func ("/sync/scheduler/hang-blocks-nothing", test_scheduler_hang_blocks_nothing);

  return g_test_run ();
}
