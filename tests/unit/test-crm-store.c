/* test-crm-store.c: the CRM inside the store — copies keep their links,
 * the "crm-changed" signal, and address completion at a size where it
 * walks its rank indexes (ranking, records' addresses returning to the
 * collected ones, an upgraded database)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-test-util.h"

#define DAY 86400

typedef struct
{
  char    *dir;
  RpStore *store;
  gint64   account;
  gint64   inbox;
  gint64   sent;
  guint    serial;
} Fixture;

static void
fixture_open_path (Fixture    *f,
                   const char *path)
{
  g_autoptr(GError) error = NULL;

  f->store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->account = rp_store_ensure_account (f->store, "work", &error);
  g_assert_no_error (error);
  f->inbox = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_INBOX);
  f->sent = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_SENT);
}

static void
fixture_open (Fixture    *f,
              const char *name)
{
  g_autofree char *path = NULL;

  f->dir = rp_test_make_tmpdir (name);
  path = g_build_filename (f->dir, "rapport.db", NULL);
  fixture_open_path (f, path);
}

static void
fixture_close (Fixture *f)
{
  /* The store's coalesced emissions hold a reference. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  rp_test_rm_rf (f->dir);
  g_free (f->dir);
}

static GBytes *
make_message (Fixture    *f,
              const char *from,
              const char *to,
              gint64      date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *text = g_strdup_printf ("From: %s\r\nTo: %s\r\nDate: %s\r\n"
                                           "Subject: m%u\r\nMessage-ID: <s%u@test>\r\n\r\nbody\r\n",
                                           from, to, date_text, f->serial + 1, f->serial + 1);

  f->serial++;
  return g_bytes_new (text, strlen (text));
}

static gint64
add_message (Fixture    *f,
             gint64      folder,
             const char *from,
             const char *to,
             gint64      date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = make_message (f, from, to, date);
  RpStoreNewMessage msg = { .folder_id = folder, .raw = raw };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  return msg.id;
}

static gint64
add_record (Fixture     *f,
            RpCrmKind    kind,
            const char  *name,
            const char  *address)
{
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;

  record->kind = kind;
  record->name = g_strdup (name);
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) (const char *[]) { (char *) address, NULL });
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  g_assert_no_error (error);
  return record->id;
}

/* "address/kind|…" for the first @limit completions of @prefix. */
static char *
complete (Fixture    *f,
          const char *prefix,
          guint       limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = rp_crm_complete (f->store, prefix, limit, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < result->len; i++)
    {
      RpCrmCompletion *c = g_ptr_array_index (result, i);

      g_string_append_printf (out, "%s%s/%d", i ? "|" : "", c->address, c->kind);
    }

  return g_string_free (out, FALSE);
}

#define assert_completion(f, prefix, limit, expected) \
  G_STMT_START { \
    g_autofree char *_got = complete ((f), (prefix), (limit)); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

/* Copies */

static void
test_copy_links (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ada, archive, from_ada, by_hand, ids[2];
  guint copies = 0;

  g_test_summary ("A copy made by rp_store_copy_messages() (the filters' copy action) "
                  "is linked like the original, links made by hand included");
  fixture_open (f, "crm-copy");

  ada = add_record (f, RP_CRM_KIND_CONTACT, "Ada Lovelace", "ada@example.org");
  from_ada = add_message (f, f->inbox, "Ada <ada@example.org>", "me@example.com", now - DAY);
  by_hand = add_message (f, f->inbox, "Someone <someone@example.net>", "me@example.com", now);
  g_assert_true (rp_crm_link_message (f->store, by_hand, ada, &error));
  g_assert_no_error (error);

  archive = rp_store_create_folder (f->store, f->account, 0, "Archive", &error);
  g_assert_no_error (error);
  ids[0] = from_ada;
  ids[1] = by_hand;
  g_assert_true (rp_store_copy_messages (f->store, ids, 2, archive, &error));
  g_assert_no_error (error);

  timeline = rp_crm_get_timeline (f->store, ada, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 4);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);
      g_autoptr(GArray) records = NULL;

      if (g_strcmp0 (entry->folder_name, "Archive") != 0)
        continue;
      g_assert_cmpint (entry->message_id, !=, from_ada);
      g_assert_cmpint (entry->message_id, !=, by_hand);
      records = rp_crm_get_message_records (f->store, entry->message_id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, 1);
      g_assert_cmpint (g_array_index (records, gint64, 0), ==, ada);
      copies++;
    }
  g_assert_cmpuint (copies, ==, 2);

  fixture_close (f);
}

/* The crm-changed signal */

typedef struct
{
  guint    count;
  guint    what;
  GThread *thread;
} Emissions;

static void
on_crm_changed (RpStore   *store,
                guint      what,
                Emissions *e)
{
  g_assert_true (RP_IS_STORE (store));
  e->count++;
  e->what |= what;
  e->thread = g_thread_self ();
}

/* Runs the main context until idle; returns the flags emitted, and
 * checks they came in at most one emission. */
static guint
drain (Emissions *e)
{
  guint what;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (e->count, <=, 1);
  if (e->count == 1)
    g_assert_true (e->thread == g_thread_self ());
  what = e->what;
  *e = (Emissions) { 0, };

  return what;
}

static gpointer
add_note_in_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr(RpCrmNote) note = rp_crm_note_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmRecord) record = rp_crm_find_record_by_address (f->store, "ada@example.org",
                                                                 &error);

  g_assert_nonnull (record);
  note->record_id = record->id;
  note->text = g_strdup ("from a worker");
  g_assert_cmpint (rp_crm_add_note (f->store, note, &error), >, 0);
  g_assert_no_error (error);

  return NULL;
}

static void
test_crm_changed (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(RpCrmNote) note = rp_crm_note_new ();
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(RpCrmRecord) unknown = rp_crm_record_new ();
  g_autofree char *vcf = NULL;
  GThread *worker;
  Emissions e = { 0, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ada, bea, message, stranger, archive;
  guint n = 0;

  fixture_open (f, "crm-changed");
  g_signal_connect (f->store, "crm-changed", G_CALLBACK (on_crm_changed), &e);

  /* Nothing is emitted from inside the call: only from the main loop. */
  ada = add_record (f, RP_CRM_KIND_CONTACT, "Ada Lovelace", "ada@example.org");
  g_assert_cmpuint (e.count, ==, 0);
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS);

  /* Commits in a row: one emission with all their flags. */
  task->record_id = ada;
  task->title = g_strdup ("Call back");
  g_assert_cmpint (rp_crm_add_task (f->store, task, &error), >, 0);
  note->record_id = ada;
  note->text = g_strdup ("Likes engines");
  g_assert_cmpint (rp_crm_add_note (f->store, note, &error), >, 0);
  event->title = g_strdup ("Meeting");
  event->start = now;
  event->end = now + 3600;
  g_assert_cmpint (rp_crm_save_event (f->store, event, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (drain (&e), ==,
                    RP_CRM_CHANGE_TASKS | RP_CRM_CHANGE_NOTES | RP_CRM_CHANGE_EVENTS);

  task->done = TRUE;
  g_assert_true (rp_crm_update_task (f->store, task, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_TASKS);
  g_assert_true (rp_crm_delete_note (f->store, note->id, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_NOTES);
  g_assert_true (rp_crm_delete_event (f->store, event->id, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_EVENTS);

  /* Mail: linked on arrival (links change), or not (nothing changes). */
  message = add_message (f, f->inbox, "Ada <ada@example.org>", "me@example.com", now);
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_LINKS);
  stranger = add_message (f, f->inbox, "Stranger <x@example.net>", "me@example.com", now);
  g_assert_cmpuint (drain (&e), ==, 0);
  g_assert_true (rp_crm_link_message (f->store, stranger, ada, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_LINKS);
  archive = rp_store_create_folder (f->store, f->account, 0, "Archive", &error);
  g_assert_no_error (error);
  g_assert_true (rp_store_copy_messages (f->store, &message, 1, archive, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_LINKS);

  /* Records: convert, add an address, update; a failed write is silent. */
  bea = add_record (f, RP_CRM_KIND_LEAD, "Bea", "bea@example.org");
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS);
  g_assert_true (rp_crm_convert_lead (f->store, bea, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_RECORDS);
  g_assert_true (rp_crm_add_address (f->store, bea, "bea@work.example", &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS);
  g_assert_no_error (error);
  unknown->id = 4242;
  unknown->name = g_strdup ("Nobody");
  g_assert_false (rp_crm_update_record (f->store, unknown, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (drain (&e), ==, 0);

  /* A commit on a worker thread is announced in the main context. */
  worker = g_thread_new ("crm-writer", add_note_in_thread, f);
  g_thread_join (worker);
  g_assert_cmpuint (e.count, ==, 0);
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_NOTES);

  /* Imports, and deleting a record (its tasks, notes and links go too). */
  vcf = g_build_filename (f->dir, "in.vcf", NULL);
  g_assert_true (g_file_set_contents (vcf, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cy\r\n"
                                           "EMAIL:cy@example.org\r\nEND:VCARD\r\n", -1, &error));
  g_assert_true (rp_crm_import_vcard (f->store, vcf, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_LINKS);
  g_assert_true (rp_crm_delete_record (f->store, ada, &error));
  g_assert_cmpuint (drain (&e), ==, RP_CRM_CHANGE_ALL);

  fixture_close (f);
}

/* Completion */

/* 450 contacts "Mia Test<i>" <mia<i>@x.example>, in one vCard import, and
 * 450 collected addresses "Max Mann<i>" <max<i>@y.example>, the newest
 * first: "m" then matches far more words than completion looks up one by
 * one (400), so it walks the rank indexes; "mia1" and "max4" match a
 * hundred and are looked up. Both must rank alike. */
static void
test_completion_at_scale (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) vcf = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree RpStoreNewMessage *batch = g_new0 (RpStoreNewMessage, 450);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n = 0;

  fixture_open (f, "crm-complete-scale");

  for (guint i = 0; i < 450; i++)
    g_string_append_printf (vcf, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Mia Test%u\r\n"
                                 "EMAIL:mia%u@x.example\r\nEND:VCARD\r\n", i, i);
  path = g_build_filename (f->dir, "mia.vcf", NULL);
  g_assert_true (g_file_set_contents (path, vcf->str, vcf->len, &error));
  g_assert_true (rp_crm_import_vcard (f->store, path, &n, &error));
  g_assert_cmpuint (n, ==, 450);

  for (guint i = 0; i < 450; i++)
    {
      g_autofree char *from = g_strdup_printf ("Max Mann%u <max%u@y.example>", i, i);

      batch[i].folder_id = f->inbox;
      batch[i].raw = make_message (f, from, "me@example.com", now - (gint64) (i + 1) * 3600);
    }
  g_assert_true (rp_store_add_messages_sync (f->store, f->account, batch, 450, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 450; i++)
    g_bytes_unref (batch[i].raw);

  /* Mia 7 is mailed three times, Mia 5 wrote yesterday, Mia 3 a year ago;
   * the others never: they follow, by address ("@" sorts after digits). */
  for (guint i = 0; i < 3; i++)
    add_message (f, f->sent, "Me <me@example.com>", "mia7@x.example", now - 2 * DAY);
  add_message (f, f->inbox, "Mia <mia5@x.example>", "me@example.com", now - DAY);
  add_message (f, f->inbox, "Mia <mia3@x.example>", "me@example.com", now - 365 * DAY);

  assert_completion (f, "m", 6, "mia7@x.example/0|mia5@x.example/0|mia3@x.example/0|"
                                "mia0@x.example/0|mia100@x.example/0|mia101@x.example/0");
  assert_completion (f, "MIA", 2, "mia7@x.example/0|mia5@x.example/0");
  assert_completion (f, "mia1", 3, "mia100@x.example/0|mia101@x.example/0|mia102@x.example/0");
  assert_completion (f, "mia test7", 3, "mia7@x.example/0|mia70@x.example/0|mia71@x.example/0");
  assert_completion (f, "mia3@", 1, "mia3@x.example/0");

  /* Collected: only addresses no record has, the newest first. */
  assert_completion (f, "max", 3, "max0@y.example/-1|max1@y.example/-1|max2@y.example/-1");
  assert_completion (f, "mann44", 3, "max44@y.example/-1|max440@y.example/-1|max441@y.example/-1");
  assert_completion (f, "max4", 3, "max4@y.example/-1|max40@y.example/-1|max41@y.example/-1");
  /* After all 450 records, the collected ones. */
  {
    g_autoptr(GPtrArray) all = rp_crm_complete (f->store, "m", 460, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 460);
    g_assert_cmpint (((RpCrmCompletion *) all->pdata[449])->kind, ==, RP_CRM_KIND_CONTACT);
    /* The user's address, in every To, ranks first among them. */
    g_assert_cmpstr (((RpCrmCompletion *) all->pdata[450])->address, ==, "me@example.com");
    g_assert_cmpint (((RpCrmCompletion *) all->pdata[450])->kind, ==, -1);
    g_assert_cmpstr (((RpCrmCompletion *) all->pdata[451])->address, ==, "max0@y.example");
    g_assert_cmpstr (((RpCrmCompletion *) all->pdata[451])->name, ==, "Max Mann0");
  }
  assert_completion (f, "zzz", 3, "");

  fixture_close (f);
}

/* The weight of a use halves every 90 days: much use long ago loses to a
 * little use lately, but not much use a few months ago. */
static void
test_completion_decay (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fixture_open (f, "crm-complete-decay");

  for (guint i = 0; i < 40; i++)
    {
      add_message (f, f->inbox, "Zed Often <zed@example.org>", "me@example.com",
                   now - 730 * DAY - i);
      add_message (f, f->inbox, "Yan Often <yan@example.org>", "me@example.com",
                   now - 100 * DAY - i);
    }
  add_message (f, f->inbox, "Zoe Once <zoe@example.org>", "me@example.com", now - 7 * DAY);
  add_message (f, f->inbox, "Yves Once <yves@example.org>", "me@example.com", now - DAY);

  assert_completion (f, "z", 5, "zoe@example.org/-1|zed@example.org/-1");
  assert_completion (f, "y", 5, "yan@example.org/-1|yves@example.org/-1");
  /* Sent mail weighs more: one message to Zed now puts him first. */
  add_message (f, f->sent, "Me <me@example.com>", "zed@example.org", now);
  assert_completion (f, "z", 5, "zed@example.org/-1|zoe@example.org/-1");

  fixture_close (f);
}

/* A record's addresses leave the collected ones while it has them, and
 * come back with the words of the mail when it loses them. */
static void
test_completion_release (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmRecord) rita = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 rita_id, xeno, nomail;

  fixture_open (f, "crm-complete-release");

  add_message (f, f->inbox, "Rita Mail <rita@r.example>", "me@example.com", now - DAY);
  rita_id = add_record (f, RP_CRM_KIND_LEAD, "Rita Record", "rita@r.example");
  nomail = add_record (f, RP_CRM_KIND_CONTACT, "Nomail Person", "nomail@n.example");
  /* A record's address without mail, then mail with a new name. */
  xeno = add_record (f, RP_CRM_KIND_CONTACT, "Xeno", "xeno@x.example");
  add_message (f, f->inbox, "Quentin Xeno <xeno@x.example>", "me@example.com", now);

  assert_completion (f, "rita", 5, "rita@r.example/1");
  assert_completion (f, "record", 5, "rita@r.example/1");
  assert_completion (f, "nomail", 5, "nomail@n.example/0");
  assert_completion (f, "quentin", 5, "");

  /* Another address for Rita; the old one goes back to being collected,
   * under the name the mail gave it. */
  rita = rp_crm_get_record (f->store, rita_id, &error);
  g_assert_no_error (error);
  g_strfreev (rita->emails);
  rita->emails = g_strdupv ((char **) (const char *[]) { "rita@new.example", NULL });
  g_assert_true (rp_crm_update_record (f->store, rita, &error));
  g_assert_no_error (error);
  assert_completion (f, "rita", 5, "rita@new.example/1|rita@r.example/-1");
  assert_completion (f, "mail", 5, "rita@r.example/-1");

  g_assert_true (rp_crm_delete_record (f->store, nomail, &error));
  g_assert_true (rp_crm_delete_record (f->store, xeno, &error));
  g_assert_no_error (error);
  assert_completion (f, "nomail", 5, "");
  assert_completion (f, "quentin", 5, "xeno@x.example/-1");
  assert_completion (f, "xeno", 5, "xeno@x.example/-1");

  fixture_close (f);
}

/* A database from before the CRM: the upgrade ranks and indexes the
 * addresses of its mail. */
static void
test_completion_upgraded (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "db", "001",
                                                   "rapport.db", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  f->dir = rp_test_make_tmpdir ("crm-complete-upgraded");
  copy = g_build_filename (f->dir, "rapport.db", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  fixture_open_path (f, copy);

  /* Anna wrote to the user and the user to her (which weighs more); the
   * user's own address is a correspondent only as a recipient. */
  assert_completion (f, "alt", 5, "anna@old.test/-1");
  assert_completion (f, "a", 5, "anna@old.test/-1");
  assert_completion (f, "me", 5, "me@old.test/-1");
  add_record (f, RP_CRM_KIND_CONTACT, "Anna Alt", "anna@old.test");
  assert_completion (f, "ann", 5, "anna@old.test/0");

  fixture_close (f);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/crm/copy-keeps-links", test_copy_links);
  g_test_add_func ("/core/crm/crm-changed", test_crm_changed);
  g_test_add_func ("/core/crm/completion-at-scale", test_completion_at_scale);
  g_test_add_func ("/core/crm/completion-decay", test_completion_decay);
  g_test_add_func ("/core/crm/completion-release", test_completion_release);
  g_test_add_func ("/core/crm/completion-upgraded", test_completion_upgraded);

  return g_test_run ();
}
