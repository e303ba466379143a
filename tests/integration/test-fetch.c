/* test-fetch.c: accounts fetching from a real Dovecot into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-util.h"

static RpTestCa *ca;
static RpTestDovecot *dovecot;

typedef struct
{
  RpStore   *store;
  RpSecrets *secrets;
  RpFetcher *fetcher;
  RpAccount *account;
  char      *user;
} Fixture;

/* Auxiliary methods */

/* Dovecot keeps maildir files with LF line ends and serves them with CRLF. */
static GBytes *
crlf_bytes (const char *data,
            gsize       length)
{
  GString *out = g_string_sized_new (length + length / 40);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }

  return g_string_free_to_bytes (out);
}

static char *
make_message (const char *from,
              guint       n,
              gsize       body_lines)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "From: %s\nTo: someone@example.test\nSubject: Message %u\n"
                             "Message-ID: <fetch-%u-%u@example.test>\n"
                             "Date: Mon, 3 Mar 2025 10:%02u:00 +0000\n\n",
                          from, n, n, g_random_int (), n % 60);
  for (gsize i = 0; i < body_lines; i++)
    g_string_append_printf (s, "%sLine %" G_GSIZE_FORMAT " of message %u, with some words.\n",
                            i % 17 == 3 ? "." : "", i, n);

  return g_string_free (s, FALSE);
}

static GPtrArray *
deliver (const char *user,
         const char *from,
         guint       first,
         guint       count)
{
  GPtrArray *expected = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = first; i < first + count; i++)
    {
      g_autofree char *text = make_message (from, i, 5 + (i * 37) % 300);
      g_free (rp_test_dovecot_deliver (dovecot, user, text, strlen (text)));
      g_ptr_array_add (expected, crlf_bytes (text, strlen (text)));
    }

  return expected;
}

static guint
count_on_server (const char *user)
{
  g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (dovecot, user);

  return files->len;
}

static guint
count_folder (RpStore      *store,
              gint64        account_id,
              RpFolderRole  role)
{
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (store,
                                                      rp_store_get_special_folder (store, account_id, role),
                                                      NULL);

  return info ? info->total : 0;
}

/* Every expected message is in the store exactly once, byte for byte. */
static void
assert_store_holds (RpStore   *store,
                    GPtrArray *expected)
{
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (rp_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT data FROM message_raw", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                          sqlite3_column_blob (stmt, 0),
                                                          sqlite3_column_bytes (stmt, 0));
      /* Stored twice would be a bug. */
      g_assert_false (g_hash_table_contains (stored, sum));
      g_hash_table_add (stored, g_steal_pointer (&sum));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *sum = rp_test_sha256_bytes (g_ptr_array_index (expected, i));

      if (!g_hash_table_contains (stored, sum))
        g_error ("expected message %u is not in the store", i);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  f->user = g_strdup_printf ("user%u", ++counter);
  rp_test_dovecot_add_user (dovecot, f->user, "secret");

  f->store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  f->secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);
  f->fetcher = rp_fetcher_new (f->store, f->secrets);
  rp_fetcher_set_timeout (f->fetcher, 10);

  f->account = rp_account_new ("work");
  g_free (f->account->email);
  f->account->email = g_strdup_printf ("%s@example.test", f->user);
  g_free (f->account->pop_host);
  f->account->pop_host = g_strdup ("localhost");
  f->account->pop_port = rp_test_dovecot_get_pop3s_port (dovecot);
  f->account->pop_security = RP_SECURITY_TLS;
  g_free (f->account->pop_user);
  f->account->pop_user = g_strdup (f->user);
  f->account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  f->account->batch_size = 7;
  {
    RpIdentity *identity = rp_identity_new (f->account->email);

    identity->is_default = TRUE;
    g_ptr_array_add (f->account->identities, identity);
  }
  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);

  key = rp_account_dup_secret_key (f->account, NULL);
  g_assert_true (rp_secrets_store_sync (f->secrets, "pop3", key, "secret", NULL, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->fetcher);
  g_clear_object (&f->secrets);
  g_assert_finalize_object (f->store);
  rp_account_free (f->account);
  g_free (f->user);
}

static void
save (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);
}

static gboolean
fetch (Fixture       *f,
       RpFetchStats  *stats,
       GError       **error)
{
  return rp_fetcher_fetch_sync (f->fetcher, "work", stats, NULL, NULL, NULL, error);
}

static RpAccount *
reload (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  RpAccount *account = rp_store_load_account (f->store, "work", &error);

  g_assert_no_error (error);
  return account;
}

/* Tests */

static void
progress_cb (const RpFetchProgress *progress,
             gpointer               user_data)
{
  RpFetchProgress *last = user_data;

  g_assert_cmpuint (progress->messages_done, <=, progress->messages_total);
  *last = *progress;
}

static void
test_fetch_keep (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = deliver (f->user, "friend@example.test", 0, 30);
  g_autoptr(GError) error = NULL;
  RpFetchStats stats;
  RpFetchProgress last = { 0, };

  g_assert_true (rp_fetcher_fetch_sync (f->fetcher, "work", &stats, progress_cb, &last, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.new_messages, ==, 30);
  g_assert_cmpuint (stats.on_server, ==, 30);
  g_assert_cmpuint (stats.deleted_on_server, ==, 0);
  g_assert_cmpuint (last.messages_total, ==, 30);
  g_assert_cmpuint (last.messages_done, ==, 30);
  g_assert_cmpuint (last.bytes_done, ==, last.bytes_total);
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX), ==, 30);
  assert_store_holds (f->store, expected);
  /* Left on the server. */
  g_assert_cmpuint (count_on_server (f->user), ==, 30);

  /* Nothing new: nothing stored twice. */
  g_assert_true (fetch (f, &stats, &error));
  g_assert_cmpuint (stats.new_messages, ==, 0);
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX), ==, 30);

  {
    g_autoptr(RpAccount) account = reload (f);

    g_assert_cmpint (account->last_fetch, >, 0);
    g_assert_null (account->last_error);
  }
}

static void
test_fetch_delete_after_fetch (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = deliver (f->user, "friend@example.test", 100, 20);
  g_autoptr(GError) error = NULL;
  RpFetchStats stats;

  f->account->retention = RP_RETENTION_DELETE_AFTER_FETCH;
  save (f);

  g_assert_true (fetch (f, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.new_messages, ==, 20);
  g_assert_cmpuint (stats.deleted_on_server, ==, 20);
  g_assert_cmpuint (count_on_server (f->user), ==, 0);
  assert_store_holds (f->store, expected);
}

static void
test_fetch_delete_after_days (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = deliver (f->user, "friend@example.test", 200, 10);
  g_autoptr(GError) error = NULL;
  RpFetchStats stats;
  sqlite3 *db = NULL;

  f->account->retention = RP_RETENTION_DELETE_AFTER_DAYS;
  f->account->retention_days = 3;
  save (f);

  g_assert_true (fetch (f, &stats, &error));
  g_assert_cmpuint (stats.new_messages, ==, 10);
  g_assert_cmpuint (count_on_server (f->user), ==, 10);

  /* Four of them were fetched four days ago. */
  g_assert_cmpint (sqlite3_open (rp_store_get_path (f->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE server_message SET fetched = fetched - 4 * 86400"
                                     " WHERE uidl IN (SELECT uidl FROM server_message ORDER BY uidl LIMIT 4)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (fetch (f, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.deleted_on_server, ==, 4);
  g_assert_cmpuint (count_on_server (f->user), ==, 6);
  assert_store_holds (f->store, expected);
}

static void
test_fetch_delete_when_deleted (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = deliver (f->user, "friend@example.test", 300, 5);
  g_autoptr(RpFolderModel) inbox = NULL;
  g_autoptr(GError) error = NULL;
  RpFetchStats stats;
  gint64 doomed[2];

  f->account->retention = RP_RETENTION_DELETE_WHEN_DELETED;
  save (f);

  g_assert_true (fetch (f, &stats, &error));
  g_assert_cmpuint (count_on_server (f->user), ==, 5);

  inbox = rp_folder_model_new_for_folder (f->store,
                                          rp_store_get_special_folder (f->store, f->account->id,
                                                                       RP_FOLDER_ROLE_INBOX));
  doomed[0] = rp_folder_model_get_id_at (inbox, 0);
  doomed[1] = rp_folder_model_get_id_at (inbox, 1);
  g_assert_true (rp_store_delete_messages (f->store, doomed, 2, &error));

  g_assert_true (fetch (f, &stats, &error));
  g_assert_no_error (error);
  /* The two deleted here are gone there; they were not fetched again. */
  g_assert_cmpuint (stats.new_messages, ==, 0);
  g_assert_cmpuint (stats.deleted_on_server, ==, 2);
  g_assert_cmpuint (count_on_server (f->user), ==, 3);
  g_assert_cmpuint (expected->len, ==, 5);
}

static void
test_fetch_auth_failures_disable (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *key = rp_account_dup_secret_key (f->account, NULL);
  g_autoptr(GPtrArray) expected = deliver (f->user, "friend@example.test", 400, 3);
  g_autoptr(GError) error = NULL;
  guint attempts_before;

  g_assert_true (rp_secrets_store_sync (f->secrets, "pop3", key, "wrong", NULL, &error));

  for (guint i = 1; i <= RP_ACCOUNT_MAX_AUTH_FAILURES; i++)
    {
      g_autoptr(RpAccount) account = NULL;

      g_assert_false (fetch (f, NULL, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
      g_clear_error (&error);
      account = reload (f);
      g_assert_cmpuint (account->auth_failures, ==, i);
      g_assert_cmpint (account->enabled, ==, i < RP_ACCOUNT_MAX_AUTH_FAILURES);
    }

  {
    g_autoptr(RpAccount) account = reload (f);

    g_assert_cmpint (account->disabled_reason, ==, RP_DISABLED_AUTH);
    g_assert_cmpstr (account->last_error_code, ==, "auth-failed");
  }

  /* The eleventh fetch makes no connection at all. */
  attempts_before = rp_test_dovecot_count_login_attempts (dovecot);
  g_assert_false (fetch (f, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_ACCOUNT_DISABLED);
  g_clear_error (&error);
  g_usleep (200 * 1000);
  g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts_before);

  /* The right password turns it back on. */
  g_assert_true (rp_secrets_store_sync (f->secrets, "pop3", key, "secret", NULL, &error));
  g_assert_true (rp_store_enable_account (f->store, f->account->id, TRUE, &error));
  g_assert_true (fetch (f, NULL, &error));
  g_assert_no_error (error);
  assert_store_holds (f->store, expected);
  {
    g_autoptr(RpAccount) account = reload (f);

    g_assert_cmpuint (account->auth_failures, ==, 0);
    g_assert_true (account->enabled);
  }
}

static guint16
closed_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint16 port;

  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, len), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);

  return port;
}

static void
test_fetch_connection_failures_disable (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_free (f->account->pop_host);
  f->account->pop_host = g_strdup ("127.0.0.1");
  f->account->pop_port = closed_port ();
  save (f);

  for (guint i = 1; i <= RP_ACCOUNT_MAX_CONNECTION_FAILURES; i++)
    {
      g_assert_false (fetch (f, NULL, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
      g_clear_error (&error);
    }

  {
    g_autoptr(RpAccount) account = reload (f);

    g_assert_false (account->enabled);
    g_assert_cmpint (account->disabled_reason, ==, RP_DISABLED_CONNECTION);
    g_assert_cmpuint (account->connection_failures, ==, RP_ACCOUNT_MAX_CONNECTION_FAILURES);
  }

  g_assert_false (fetch (f, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_ACCOUNT_DISABLED);
}

static void
test_fetch_recent_mode (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) received = deliver (f->user, "friend@example.test", 500, 3);
  g_autoptr(GPtrArray) sent = deliver (f->user, f->account->email, 600, 2);
  g_autoptr(GError) error = NULL;
  RpFetchStats stats;
  g_autofree char *log = NULL;

  f->account->recent_mode = TRUE;
  save (f);

  g_assert_true (fetch (f, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.new_messages, ==, 5);
  /* What the user sent from elsewhere counts as sent. */
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_SENT), ==, 2);
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX), ==, 3);

  /* The server offers the same mail again at every login: no duplicates. */
  g_assert_true (fetch (f, &stats, &error));
  g_assert_cmpuint (stats.new_messages, ==, 0);
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX), ==, 3);
  assert_store_holds (f->store, received);
  assert_store_holds (f->store, sent);

  /* It logged in as recent:USER, as Gmail wants. */
  log = rp_test_dovecot_read_log (dovecot);
  {
    g_autofree char *expected = g_strdup_printf ("login=<recent:%s>", f->user);

    g_assert_nonnull (strstr (log, expected));
  }
}

/* The SHA-256s of the user's messages on the server. Dovecot renames
 * files (new/ to cur/, and expunges) while a session of a killed client
 * winds down, so a listing is retried until every listed file could be
 * read: a consistent snapshot. */
static GHashTable *
server_snapshot (const char *user)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (dovecot, user);
      g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gboolean complete = TRUE;

      for (guint i = 0; complete && i < files->len; i++)
        {
          g_autofree char *text = NULL;
          g_autoptr(GBytes) crlf = NULL;
          gsize len;

          if (!g_file_get_contents (g_ptr_array_index (files, i), &text, &len, NULL))
            complete = FALSE;
          else
            {
              crlf = crlf_bytes (text, len);
              g_hash_table_add (sums, rp_test_sha256_bytes (crlf));
            }
        }

      if (complete)
        return g_steal_pointer (&sums);
      g_assert_cmpuint (attempt, <, 100);
      g_usleep (20 * 1000);
    }
}

/* kill -9 at random moments of fetches that delete after fetching: no
 * message is lost and none is stored twice. */
static void
test_fetch_kill9_delete_after_fetch (Fixture       *f,
                                     gconstpointer  data)
{
  const char *cli = g_getenv ("RAPPORT_CLI");
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GError) error = NULL;
  guint killed_mid_way = 0;
  /* How long a fetch of one trial's mail takes varies by machine and by
   * build (sanitizers): the kill moment adapts, so that most trials strike
   * in the middle of a fetch and some let it finish. */
  double typical_ms = 300;

  g_assert_nonnull (cli);
  f->account->retention = RP_RETENTION_DELETE_AFTER_FETCH;
  f->account->batch_size = 20;
  save (f);

  for (guint trial = 0; trial < 20; trial++)
    {
      g_autoptr(GPtrArray) batch = deliver (f->user, "friend@example.test", 1000 + trial * 60, 60);
      const char *argv[] = { cli, "fetch", "work", NULL };
      g_auto(GStrv) envp = g_get_environ ();
      GPid pid;
      int status;

      /* GLib isolates this test's folders inside the process only; the
       * child gets them through its environment. */
      envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
      envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
      envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);

      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (all, g_bytes_ref (g_ptr_array_index (batch, i)));

      g_assert_true (g_spawn_async (NULL, (char **) argv, envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
      g_usleep ((gulong) (g_rand_double_range (rand, 0.02, 1.0) * typical_ms * 1000));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      if (WIFSIGNALED (status))
        {
          killed_mid_way++;
          typical_ms = MIN (typical_ms * 1.3, 5000);
        }
      else
        typical_ms = MAX (typical_ms / 2, 5);

      /* Nothing lost: each message is still on the server or stored. */
      {
        g_autoptr(RpStore) check = rp_store_open_sync (rp_store_get_path (f->store), NULL, &error);
        g_autoptr(GHashTable) on_server = server_snapshot (f->user);
        g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

        g_assert_no_error (error);
        for (guint i = 0; i < all->len; i++)
          {
            g_autofree char *sum = rp_test_sha256_bytes (g_ptr_array_index (all, i));

            if (!g_hash_table_contains (on_server, sum))
              g_ptr_array_add (missing, g_bytes_ref (g_ptr_array_index (all, i)));
          }
        assert_store_holds (check, missing);
      }
    }

  /* A last, undisturbed fetch gets and deletes everything left. */
  g_assert_true (fetch (f, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_on_server (f->user), ==, 0);
  assert_store_holds (f->store, all);
  g_assert_cmpuint (count_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX), ==, all->len);
  g_test_message ("%u of 20 fetches were killed before they finished", killed_mid_way);
  g_assert_cmpuint (killed_mid_way, >=, 5);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_setenv ("RAPPORT_SECRETS", "file", TRUE);
  rp_test_init (&argc, &argv);

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sync/fetch/keep", test_fetch_keep);
  ADD ("/sync/fetch/delete-after-fetch", test_fetch_delete_after_fetch);
  ADD ("/sync/fetch/delete-after-days", test_fetch_delete_after_days);
  ADD ("/sync/fetch/delete-when-deleted", test_fetch_delete_when_deleted);
  ADD ("/sync/fetch/auth-failures-disable", test_fetch_auth_failures_disable);
  ADD ("/sync/fetch/connection-failures-disable", test_fetch_connection_failures_disable);
  ADD ("/sync/fetch/recent-mode", test_fetch_recent_mode);
  ADD ("/sync/fetch/kill9-delete-after-fetch", test_fetch_kill9_delete_after_fetch);

  status = g_test_run ();

  rp_test_dovecot_free (dovecot);
  rp_test_ca_free (ca);
  return status;
}
