/* test-store-crash.c: a committed batch survives kill -9
 *
 * A child process adds batches of messages in a loop and reports each batch
 * whose commit returned; the parent kills it with SIGKILL at a random
 * moment, then opens the database: it must pass PRAGMA integrity_check and
 * hold every message of every reported batch, byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rp-core.h"
#include "rp-store.h"
#include "rp-test-util.h"

#define BATCH 25
#define TRIALS 50

static const char *self_path;

static GBytes *
make_message (guint batch,
              guint index)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "From: sender%u@crash.test\r\nTo: me@crash.test\r\n"
                             "Subject: batch %u message %u\r\nMessage-ID: <b%u.m%u@crash.test>\r\n"
                             "\r\n", index, batch, index, batch, index);
  /* Some bulk, so that commits take measurable time. */
  for (guint line = 0; line < 40 + (batch * 7 + index) % 80; line++)
    g_string_append_printf (s, "Line %u of message %u in batch %u, padding padding padding.\r\n",
                            line, index, batch);

  return g_string_free_to_bytes (s);
}

static char *
make_uidl (guint batch,
           guint index)
{
  return g_strdup_printf ("%u-%u", batch, index);
}

static int
run_child (const char *path,
           guint       first_batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = rp_store_open_sync (path, NULL, &error);
  gint64 account, inbox;

  if (store == NULL)
    g_error ("child: %s", error->message);
  account = rp_store_ensure_account (store, "crash", &error);
  inbox = rp_store_get_special_folder (store, account, RP_FOLDER_ROLE_INBOX);

  for (guint batch = first_batch; ; batch++)
    {
      RpStoreNewMessage msgs[BATCH] = { { 0, } };
      GBytes *raws[BATCH];
      char *uidls[BATCH];

      for (guint i = 0; i < BATCH; i++)
        {
          raws[i] = make_message (batch, i);
          uidls[i] = make_uidl (batch, i);
          msgs[i].folder_id = inbox;
          msgs[i].raw = raws[i];
          msgs[i].uidl = uidls[i];
        }
      if (!rp_store_add_messages_sync (store, account, msgs, BATCH, NULL, &error))
        g_error ("child: %s", error->message);
      printf ("%u\n", batch);
      fflush (stdout);
      for (guint i = 0; i < BATCH; i++)
        {
          g_bytes_unref (raws[i]);
          g_free (uidls[i]);
        }
    }

  return 0;
}

static void
check_integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_store_crash_kill9 (void)
{
  g_autofree char *dir = rp_test_make_tmpdir ("crash");
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  GPtrArray *committed = g_ptr_array_new_with_free_func (g_free);
  guint total_batches = 0;
  guint verified = 0;

  for (guint trial = 0; trial < TRIALS; trial++)
    {
      g_autofree char *first = g_strdup_printf ("%u", trial * 10000);
      const char *argv[] = { self_path,
                             "--child", path, first, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) out = g_string_new (NULL);
      GPid pid;
      int out_fd;
      int status;
      gint64 deadline;
      char buf[4096];
      ssize_t n;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                               NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);

      /* Let it get going (opening the store, a few commits), then strike
       * at a random moment, usually in the middle of a transaction. */
      deadline = g_get_monotonic_time () + g_rand_int_range (rand, 20, 400) * 1000;
      while (g_get_monotonic_time () < deadline)
        g_usleep (1000);
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      while ((n = read (out_fd, buf, sizeof buf)) > 0)
        g_string_append_len (out, buf, n);
      close (out_fd);

      {
        g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++)
          if (*lines[i] != '\0')
            g_ptr_array_add (committed, g_strdup (lines[i]));
      }

      check_integrity (path);

      /* Every reported batch is there, byte for byte: the new ones after
       * each kill, all of them again after the last. */
      if (trial == TRIALS - 1)
        verified = 0;
      {
        g_autoptr(RpStore) store = rp_store_open_sync (path, NULL, &error);
        g_autoptr(GHashTable) uidls = NULL;
        gint64 account;
        sqlite3 *db = NULL;
        sqlite3_stmt *stmt = NULL;

        g_assert_no_error (error);
        account = rp_store_lookup_account (store, "crash");
        if (committed->len == 0)
          continue;
        g_assert_cmpint (account, >, 0);
        uidls = rp_store_get_known_uidls (store, account, &error);
        g_assert_no_error (error);

        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT message_id FROM server_message"
                                                 " WHERE account_id = ?1 AND uidl = ?2",
                                             -1, &stmt, NULL), ==, SQLITE_OK);

        for (guint b = verified; b < committed->len; b++)
          {
            guint batch = (guint) g_ascii_strtoull (g_ptr_array_index (committed, b), NULL, 10);

            for (guint i = 0; i < BATCH; i++)
              {
                g_autofree char *uidl = make_uidl (batch, i);
                g_autoptr(GBytes) expected = make_message (batch, i);
                g_autoptr(GBytes) stored = NULL;

                if (!g_hash_table_contains (uidls, uidl))
                  g_error ("trial %u: message %s of a committed batch is missing", trial, uidl);
                sqlite3_bind_int64 (stmt, 1, account);
                sqlite3_bind_text (stmt, 2, uidl, -1, SQLITE_TRANSIENT);
                g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
                stored = rp_store_get_raw (store, sqlite3_column_int64 (stmt, 0), &error);
                sqlite3_reset (stmt);
                g_assert_no_error (error);
                g_assert_true (g_bytes_equal (stored, expected));
              }
          }
        sqlite3_finalize (stmt);
        sqlite3_close (db);
        verified = committed->len;
      }
    }

  /* At least most trials must have committed something, or the test
   * proves nothing. */
  total_batches = committed->len;
  g_test_message ("%u batches committed and verified over %u kills", total_batches, TRIALS);
  g_assert_cmpuint (total_batches, >=, TRIALS / 2);

  g_ptr_array_unref (committed);
  rp_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  self_path = argv[0];
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/store/crash-kill9", test_store_crash_kill9);

  return g_test_run ();
}
