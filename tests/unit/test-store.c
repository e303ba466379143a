/* test-store.c: the local mail store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "rp-core.h"
#include "rp-folder-model.h"
#include "rp-store.h"
#include "rp-store-search.h"
#include "rp-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  RpStore *store;
  gint64   account;
  gint64   inbox;
} Fixture;

static GBytes *
make_message (const char *from,
              const char *to,
              const char *subject,
              const char *date,
              const char *message_id,
              const char *in_reply_to,
              const char *body)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", from, to, subject);
  if (date != NULL)
    g_string_append_printf (s, "Date: %s\r\n", date);
  if (message_id != NULL)
    g_string_append_printf (s, "Message-ID: <%s>\r\n", message_id);
  if (in_reply_to != NULL)
    g_string_append_printf (s, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", in_reply_to,
                            in_reply_to);
  g_string_append_printf (s, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                             "\r\n%s\r\n", body);

  return g_string_free_to_bytes (s);
}

static gint64
add_one (Fixture    *f,
         gint64      folder,
         const char *uidl,
         GBytes     *raw,
         gboolean   *duplicate)
{
  g_autoptr(GError) error = NULL;
  RpStoreNewMessage msg = { .folder_id = folder, .uidl = uidl, .raw = raw };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  if (duplicate != NULL)
    *duplicate = msg.duplicate;

  return msg.id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = rp_test_make_tmpdir ("store");
  f->path = g_build_filename (f->dir, "rapport.db", NULL);
  f->store = rp_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  f->account = rp_store_ensure_account (f->store, "work", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->account, >, 0);
  f->inbox = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_INBOX);
  g_assert_cmpint (f->inbox, >, 0);
}

static void spin_main_loop (void);

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer store = f->store;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* Pending ::changed emissions, and a search task's worker thread that
   * has not yet dropped its reference, keep the store alive a moment
   * longer; it must go away on its own. */
  g_object_add_weak_pointer (G_OBJECT (store), &store);
  g_object_unref (f->store);
  while (store != NULL && g_get_monotonic_time () < deadline)
    {
      spin_main_loop ();
      if (store != NULL)
        g_usleep (1000);
    }
  g_assert_null (store);
  rp_test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
spin_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_store_open_pragmas (Fixture       *f,
                         gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (rp_store_get_schema_version (f->store), ==, 5);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 5);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_store_newer_schema_refused (void)
{
  g_autofree char *dir = rp_test_make_tmpdir ("store-newer");
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = rp_store_open_sync (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, RP_ERROR, RP_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "newer version"));

  rp_test_rm_rf (dir);
}

/* Every database a release shipped opens and migrates to the current
 * schema with its mail intact (tests/data/db/<version>/rapport.db). */
static void
test_store_migrate_old_versions (void)
{
  g_autofree char *base = g_test_build_filename (G_TEST_DIST, "data", "db", NULL);
  g_autoptr(GDir) versions = g_dir_open (base, 0, NULL);
  const char *name;
  guint tested = 0;

  g_assert_nonnull (versions);
  while ((name = g_dir_read_name (versions)) != NULL)
    {
      g_autofree char *tmp = rp_test_make_tmpdir ("store-migrate");
      g_autofree char *source = g_build_filename (base, name, "rapport.db", NULL);
      g_autofree char *copy = g_build_filename (tmp, "rapport.db", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RpStore) store = NULL;
      g_autoptr(GArray) hits = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (source, &contents, &length, &error));
      g_assert_true (g_file_set_contents (copy, contents, length, &error));

      store = rp_store_open_sync (copy, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (rp_store_get_schema_version (store), ==, 5);
      g_assert_cmpint (rp_store_lookup_account (store, "old"), >, 0);
      /* Each saved database holds a message with the word "migration". */
      hits = rp_store_search_sync (store, "migration", 10, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, >=, 1);

      g_clear_object (&store);
      rp_test_rm_rf (tmp);
      tested++;
    }

  g_assert_cmpuint (tested, >=, 1);
}

static void
test_store_folders (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  gint64 clients, acme, archive;

  folders = rp_store_list_folders (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 6);
  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *info = g_ptr_array_index (folders, i);

      g_assert_cmpint (info->role, ==, i + 1);
      g_assert_cmpstr (info->name, ==, rp_folder_role_to_string (info->role));
    }

  /* Ensuring again is idempotent. */
  g_assert_cmpint (rp_store_ensure_account (f->store, "work", &error), ==, f->account);

  g_assert_cmpint (rp_store_find_folder (f->store, f->account, "sent"), ==,
                   rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_SENT));

  clients = rp_store_create_folder (f->store, f->account, 0, "Clients", &error);
  g_assert_no_error (error);
  acme = rp_store_create_folder (f->store, f->account, clients, "ACME", &error);
  g_assert_no_error (error);
  archive = rp_store_create_folder (f->store, f->account, 0, "Archive", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rp_store_find_folder (f->store, f->account, "Clients/ACME"), ==, acme);

  g_assert_cmpint (rp_store_create_folder (f->store, f->account, 0, "Clients", &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (rp_store_create_folder (f->store, f->account, 0, "a/b", &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (rp_store_rename_folder (f->store, acme, "ACME Corp", &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_store_find_folder (f->store, f->account, "Clients/ACME Corp"), ==, acme);
  g_assert_false (rp_store_rename_folder (f->store, f->inbox, "Posteingang", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (rp_store_move_folder (f->store, clients, acme, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (rp_store_move_folder (f->store, acme, archive, &error));
  g_assert_cmpint (rp_store_find_folder (f->store, f->account, "Archive/ACME Corp"), ==, acme);

  /* Deleting a folder takes its subfolders and their mail with it. */
  {
    g_autoptr(GBytes) raw = make_message ("a@x.test", "b@y.test", "in acme", NULL, "acme@x",
                                          NULL, "uniquewordacme");
    g_autoptr(GArray) hits = NULL;

    add_one (f, acme, NULL, raw, NULL);
    g_assert_true (rp_store_delete_folder (f->store, archive, &error));
    g_assert_no_error (error);
    g_assert_cmpint (rp_store_find_folder (f->store, f->account, "Archive/ACME Corp"), ==, 0);
    hits = rp_store_search_sync (f->store, "uniquewordacme", 10, NULL, &error);
    g_assert_cmpuint (hits->len, ==, 0);
  }
}

static void
test_store_bytes_and_duplicates (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("Anna <anna@x.test>", "me@y.test", "Hello", NULL,
                                        "one@x.test", NULL, "Body\r\n.\r\nwith a dot line");
  g_autoptr(GBytes) same_id_other_bytes = make_message ("Anna <anna@x.test>", "me@y.test",
                                                        "Hello (edited)", NULL, "one@x.test",
                                                        NULL, "Different");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GHashTable) uidls = NULL;
  gboolean dup = TRUE;
  gint64 id, id2, id3, id4;

  id = add_one (f, f->inbox, "UID1", raw, &dup);
  g_assert_false (dup);
  back = rp_store_get_raw (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, raw));

  /* The same UIDL again: not stored twice. */
  id2 = add_one (f, f->inbox, "UID1", raw, &dup);
  g_assert_true (dup);
  g_assert_cmpint (id2, ==, id);

  /* The same bytes under another UIDL (Gmail's recent mode): stored once,
   * and the new UIDL is remembered. */
  id3 = add_one (f, f->inbox, "UID2", raw, &dup);
  g_assert_true (dup);
  g_assert_cmpint (id3, ==, id);

  /* Same Message-ID but other bytes: a different message. */
  id4 = add_one (f, f->inbox, "UID3", same_id_other_bytes, &dup);
  g_assert_false (dup);
  g_assert_cmpint (id4, !=, id);

  uidls = rp_store_get_known_uidls (f->store, f->account, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (uidls), ==, 3);
  g_assert_true (g_hash_table_contains (uidls, "UID2"));

  /* Deleting for good keeps the UIDL so that the fetcher does not fetch
   * the message again. */
  g_assert_true (rp_store_delete_messages (f->store, &id4, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&uidls, g_hash_table_unref);
  uidls = rp_store_get_known_uidls (f->store, f->account, &error);
  g_assert_true (g_hash_table_contains (uidls, "UID3"));
  g_assert_null (rp_store_get_raw (f->store, id4, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
}

static void
test_store_move_copy_flags (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("anna@x.test", "me@y.test", "Quarterly numbers", NULL,
                                        "q@x.test", NULL, "revenue forecast");
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFolderInfo) inbox = NULL;
  g_autoptr(RpFolderInfo) sent = NULL;
  g_autoptr(RpMessageItem) item = NULL;
  g_autoptr(GArray) hits = NULL;
  gint64 sent_id = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_SENT);
  gint64 id = add_one (f, f->inbox, NULL, raw, NULL);

  inbox = rp_store_get_folder (f->store, f->inbox, &error);
  g_assert_cmpuint (inbox->total, ==, 1);
  g_assert_cmpuint (inbox->unread, ==, 1);

  g_assert_true (rp_store_set_flags (f->store, &id, 1,
                                     RP_MESSAGE_FLAG_SEEN | RP_MESSAGE_FLAG_FLAGGED, 0, &error));
  g_assert_true (rp_store_set_flags (f->store, &id, 1, 0, RP_MESSAGE_FLAG_FLAGGED, &error));
  item = rp_store_get_item (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rp_message_item_get_flags (item), ==, RP_MESSAGE_FLAG_SEEN);
  g_assert_cmpstr (rp_message_item_get_subject (item), ==, "Quarterly numbers");

  g_assert_true (rp_store_move_messages (f->store, &id, 1, sent_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&inbox, rp_folder_info_free);
  inbox = rp_store_get_folder (f->store, f->inbox, &error);
  sent = rp_store_get_folder (f->store, sent_id, &error);
  g_assert_cmpuint (inbox->total, ==, 0);
  g_assert_cmpuint (sent->total, ==, 1);
  g_assert_cmpuint (sent->unread, ==, 0);

  g_assert_true (rp_store_copy_messages (f->store, &id, 1, f->inbox, &error));
  g_assert_no_error (error);
  hits = rp_store_search_sync (f->store, "forecast", 10, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  for (guint i = 0; i < hits->len; i++)
    {
      g_autoptr(GBytes) back = rp_store_get_raw (f->store, g_array_index (hits, gint64, i), &error);

      g_assert_true (g_bytes_equal (back, raw));
    }
}

static void
test_store_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 archive = rp_store_create_folder (f->store, f->account, 0, "Archive", &error);
  struct {
    const char *from, *to, *subject, *date, *body;
    gint64 folder;
  } mails[] = {
    { "Jörg Müller <joerg@kunde.test>", "me@y.test", "Angebot Frühjahr", "Mon, 3 Mar 2025 10:00:00 +0000", "Das Angebot für Ihre Bürostühle", f->inbox },
    { "Anna <anna@acme.test>", "sales@y.test", "Invoice 42", "Tue, 4 Mar 2025 10:00:00 +0000", "Please find the invoice attached", f->inbox },
    { "Bob <bob@acme.test>", "me@y.test, cc@z.test", "Lunch?", "Wed, 5 Mar 2025 10:00:00 +0000", "quick lunch at noon", archive },
    { "me@y.test", "anna@acme.test", "Re: Invoice 42", "Thu, 6 Mar 2025 10:00:00 +0000", "paid the invoice today", f->inbox },
  };
  struct {
    const char *query;
    guint expected;
  } queries[] = {
    { "invoice", 2 },                  /* subject and body */
    { "invoi", 2 },                    /* the last word is a prefix */
    { "\"the invoice today\"", 1 },
    { "\"today the invoice\"", 0 },
    { "from:anna@acme.test", 1 },
    { "to:anna@acme.test", 1 },
    { "from:acme.test", 2 },
    { "subject:lunch", 1 },
    { "muller", 1 },                   /* diacritics folded */
    { "Bürostühle", 1 },
    { "folder:Archive", 1 },
    { "folder:inbox invoice", 2 },
    { "before:2025-03-05", 2 },
    { "after:2025-03-05", 2 },
    { "after:2025-03-05 before:2025-03-06", 1 },
    { "is:unread", 4 },
    { "is:flagged", 0 },
    { "has:attachment", 0 },
    { "nothing-like-this-word", 0 },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    {
      g_autofree char *mid = g_strdup_printf ("m%u@test", i);
      g_autoptr(GBytes) raw = make_message (mails[i].from, mails[i].to, mails[i].subject,
                                            mails[i].date, mid, NULL, mails[i].body);

      add_one (f, mails[i].folder, NULL, raw, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GArray) hits = rp_store_search_sync (f->store, queries[i].query, 100, NULL, &error);

      g_assert_no_error (error);
      if (hits->len != queries[i].expected)
        g_error ("query «%s»: %u hits, expected %u", queries[i].query, hits->len,
                 queries[i].expected);
    }

  g_assert_null (rp_store_search_sync (f->store, "before:tomorrow", 10, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Quotes inside a query cannot break the FTS syntax. */
  {
    g_autoptr(GArray) hits = rp_store_search_sync (f->store, "a\"b OR \"c", 10, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (hits);
  }
}

static void
test_store_threads (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) reply = make_message ("b@x.test", "a@x.test", "Re: Plan", "Tue, 4 Mar 2025 10:00:00 +0000", "r1@x", "root@x", "reply");
  g_autoptr(GBytes) root = make_message ("a@x.test", "b@x.test", "Plan", "Mon, 3 Mar 2025 10:00:00 +0000", "root@x", NULL, "root");
  g_autoptr(GBytes) reply2 = make_message ("a@x.test", "b@x.test", "Re: Plan", "Wed, 5 Mar 2025 10:00:00 +0000", "r2@x", "r1@x", "reply 2");
  g_autoptr(GBytes) bare = make_message ("c@x.test", "a@x.test", "AW: Plan", "Thu, 6 Mar 2025 10:00:00 +0000", "r3@x", NULL, "no references");
  g_autoptr(GBytes) unrelated = make_message ("d@x.test", "a@x.test", "Plan", "Fri, 7 Mar 2025 10:00:00 +0000", "other@x", NULL, "a new plan");
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFolderModel) thread = NULL;
  g_autoptr(RpMessageItem) first = NULL;
  gint64 id_reply, id_root, id_reply2, id_bare, id_unrelated;
  gint64 t;

  /* The reply arrives before its parent. */
  id_reply = add_one (f, f->inbox, NULL, reply, NULL);
  id_root = add_one (f, f->inbox, NULL, root, NULL);
  id_reply2 = add_one (f, f->inbox, NULL, reply2, NULL);
  id_bare = add_one (f, f->inbox, NULL, bare, NULL);
  id_unrelated = add_one (f, f->inbox, NULL, unrelated, NULL);

  first = rp_store_get_item (f->store, id_root, &error);
  t = rp_message_item_get_thread_id (first);
  for (guint i = 0; i < 3; i++)
    {
      gint64 ids[] = { id_reply, id_reply2, id_bare };
      g_autoptr(RpMessageItem) item = rp_store_get_item (f->store, ids[i], &error);

      g_assert_cmpint (rp_message_item_get_thread_id (item), ==, t);
    }
  {
    g_autoptr(RpMessageItem) item = rp_store_get_item (f->store, id_unrelated, &error);

    /* Same subject but not a reply: its own conversation. */
    g_assert_cmpint (rp_message_item_get_thread_id (item), !=, t);
  }

  thread = rp_folder_model_new_for_thread (f->store, t);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (thread)), ==, 4);
  g_assert_cmpint (rp_folder_model_get_id_at (thread, 0), ==, id_root);
  g_assert_cmpint (rp_folder_model_get_id_at (thread, 3), ==, id_bare);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *counts)
{
  counts[0]++;
  counts[1] = position;
  counts[2] = removed;
  counts[3] = added;
}

static void
test_store_folder_model (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFolderModel) model = NULL;
  g_autoptr(RpFolderModel) unified = NULL;
  g_autoptr(RpFolderModel) conversations = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree RpStoreNewMessage *msgs = g_new0 (RpStoreNewMessage, 300);
  gint64 other_account = rp_store_ensure_account (f->store, "home", &error);
  guint counts[4] = { 0, };

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %03u", i);
      g_autofree char *date = g_strdup_printf ("Mon, 3 Mar 2025 10:%02u:%02u +0000", i / 60, i % 60);
      g_autofree char *mid = g_strdup_printf ("fm%u@x", i);

      g_ptr_array_add (batch, make_message ("a@x.test", "b@x.test", subject, date, mid, NULL, "text"));
      msgs[i].folder_id = f->inbox;
      msgs[i].raw = g_ptr_array_index (batch, i);
    }
  g_assert_true (rp_store_add_messages_sync (f->store, f->account, msgs, 300, NULL, &error));
  g_assert_no_error (error);

  model = rp_folder_model_new_for_folder (f->store, f->inbox);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == RP_TYPE_MESSAGE_ITEM);
  {
    g_autoptr(RpMessageItem) newest = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(RpMessageItem) oldest = g_list_model_get_item (G_LIST_MODEL (model), 299);

    g_assert_cmpstr (rp_message_item_get_subject (newest), ==, "Message 299");
    g_assert_cmpstr (rp_message_item_get_subject (oldest), ==, "Message 000");
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 300));
  }

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), counts);

  /* New mail shows at the top once its batch commits. */
  {
    g_autoptr(GBytes) raw = make_message ("a@x.test", "b@x.test", "Newest", "Tue, 4 Mar 2025 10:00:00 +0000", "new@x", NULL, "new");

    add_one (f, f->inbox, NULL, raw, NULL);
    spin_main_loop ();
    g_assert_cmpuint (counts[0], ==, 1);
    g_assert_cmpuint (counts[1], ==, 0);
    g_assert_cmpuint (counts[2], ==, 0);
    g_assert_cmpuint (counts[3], ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 301);
  }

  /* A flag change rebuilds that row only. */
  {
    gint64 id = rp_folder_model_get_id_at (model, 10);
    g_autoptr(RpMessageItem) item = NULL;

    g_assert_true (rp_store_set_flags (f->store, &id, 1, RP_MESSAGE_FLAG_SEEN, 0, &error));
    spin_main_loop ();
    g_assert_cmpuint (counts[0], ==, 2);
    g_assert_cmpuint (counts[1], ==, 10);
    g_assert_cmpuint (counts[2], ==, 1);
    g_assert_cmpuint (counts[3], ==, 1);
    item = g_list_model_get_item (G_LIST_MODEL (model), 10);
    g_assert_false (rp_message_item_get_unread (item));
  }

  /* The unified Inbox covers every account. */
  {
    g_autoptr(GBytes) raw = make_message ("h@x.test", "me@home.test", "Home mail", NULL, "home@x", NULL, "home");
    RpStoreNewMessage msg = {
      .folder_id = rp_store_get_special_folder (f->store, other_account, RP_FOLDER_ROLE_INBOX),
      .raw = raw,
    };

    g_assert_true (rp_store_add_messages_sync (f->store, other_account, &msg, 1, NULL, &error));
    unified = rp_folder_model_new_for_role (f->store, RP_FOLDER_ROLE_INBOX);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (unified)), ==, 302);
  }

  conversations = rp_folder_model_new_for_folder (f->store, f->inbox);
  rp_folder_model_set_conversations (conversations, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversations)), ==, 301);

  g_assert_finalize_object (g_steal_pointer (&model));
}

static void
test_store_search_model (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("a@x.test", "b@x.test", "Budget", NULL, "b@x", NULL,
                                        "the budget for spring");
  g_autoptr(RpFolderModel) model = NULL;

  add_one (f, f->inbox, NULL, raw, NULL);
  model = rp_folder_model_new_for_search (f->store, "spring");
  g_assert_true (rp_folder_model_get_loading (model));
  while (rp_folder_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_null (rp_folder_model_get_error (model));
}

static void
test_store_usage (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("a@x.test", "b@x.test", "Size", NULL, "s@x", NULL, "x");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  RpStoreUsage *u;

  add_one (f, f->inbox, NULL, raw, NULL);
  usage = rp_store_get_usage (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 1);
  u = g_ptr_array_index (usage, 0);
  g_assert_cmpstr (u->account_name, ==, "work");
  g_assert_cmpuint (u->messages, ==, 1);
  g_assert_cmpuint (u->bytes, ==, g_bytes_get_size (raw));
  g_assert_cmpuint (rp_store_get_total_bytes (f->store), ==, g_bytes_get_size (raw));
  g_assert_true (rp_store_is_near_quota (f->store, g_bytes_get_size (raw)));
  g_assert_false (rp_store_is_near_quota (f->store, RP_STORE_DEFAULT_QUOTA));
}

static void
test_store_remove_account (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("a@x.test", "b@x.test", "Gone", NULL, "g@x", NULL,
                                        "vanishingword");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = NULL;

  add_one (f, f->inbox, "U1", raw, NULL);
  g_assert_true (rp_store_remove_account (f->store, f->account, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_store_lookup_account (f->store, "work"), ==, 0);
  hits = rp_store_search_sync (f->store, "vanishingword", 10, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/core/store/open-pragmas", test_store_open_pragmas);
  g_test_add_func ("/core/store/newer-schema-refused", test_store_newer_schema_refused);
  g_test_add_func ("/core/store/migrate-old-versions", test_store_migrate_old_versions);
  ADD ("/core/store/folders", test_store_folders);
  ADD ("/core/store/bytes-and-duplicates", test_store_bytes_and_duplicates);
  ADD ("/core/store/move-copy-flags", test_store_move_copy_flags);
  ADD ("/core/store/search", test_store_search);
  ADD ("/core/store/threads", test_store_threads);
  ADD ("/core/store/folder-model", test_store_folder_model);
  ADD ("/core/store/search-model", test_store_search_model);
  ADD ("/core/store/usage", test_store_usage);
  ADD ("/core/store/remove-account", test_store_remove_account);

  return g_test_run ();
}
