/* test-crm.c: contacts, leads, linking, tasks, events, notes, completion,
 * vCard and iCalendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-test-util.h"

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
fixture_open (Fixture    *f,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = rp_test_make_tmpdir (name);
  path = g_build_filename (f->dir, "rapport.db", NULL);
  f->store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->account = rp_store_ensure_account (f->store, "work", &error);
  g_assert_no_error (error);
  f->inbox = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_INBOX);
  f->sent = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_SENT);
}

static void
fixture_close (Fixture *f)
{
  /* The store's coalesced "changed" emission holds a reference. */
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
              const char *cc,
              const char *subject,
              gint64      date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *cc_line = cc ? g_strdup_printf ("Cc: %s\r\n", cc) : g_strdup ("");
  g_autofree char *text = g_strdup_printf ("From: %s\r\nTo: %s\r\n%sDate: %s\r\n"
                                           "Subject: %s\r\nMessage-ID: <m%u@test>\r\n\r\nbody\r\n",
                                           from, to, cc_line, date_text, subject, ++f->serial);

  return g_bytes_new (text, strlen (text));
}

static gint64
add_message (Fixture    *f,
             gint64      folder,
             const char *from,
             const char *to,
             const char *cc,
             const char *subject,
             gint64      date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = make_message (f, from, to, cc, subject, date);
  RpStoreNewMessage msg = { .folder_id = folder, .raw = raw };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (msg.duplicate);
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

/* "id:sent|id:received…" for the timeline. */
static char *
timeline_string (Fixture *f,
                 gint64   record_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) timeline = rp_crm_get_timeline (f->store, record_id, 0, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);

      g_string_append_printf (out, "%s%s:%s", i ? "|" : "", entry->subject,
                              entry->sent ? "sent" : "received");
    }

  return g_string_free (out, FALSE);
}

static void
test_records (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmRecord) found = NULL;
  g_autoptr(RpCrmRecord) copy = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 ada, bob;

  fixture_open (f, "crm-records");

  ada = add_record (f, RP_CRM_KIND_CONTACT, "Ada Lovelace", " Ada@Example.org ");
  bob = add_record (f, RP_CRM_KIND_LEAD, "Bob Builder", "bob@example.net");

  /* Addresses are trimmed and compared case-insensitively. */
  found = rp_crm_find_record_by_address (f->store, "ada@EXAMPLE.org", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->id, ==, ada);
  g_assert_cmpstr (found->emails[0], ==, "Ada@Example.org");
  g_assert_cmpstr (found->name, ==, "Ada Lovelace");
  g_assert_cmpint (found->kind, ==, RP_CRM_KIND_CONTACT);
  g_assert_cmpint (found->created, >, 0);
  g_assert_true (rp_crm_is_known_address (f->store, "BOB@example.net", &error));
  g_assert_false (rp_crm_is_known_address (f->store, "nobody@example.net", &error));
  g_assert_null (rp_crm_find_record_by_address (f->store, "nobody@example.net", &error));
  g_assert_no_error (error);

  /* An address belongs to one record; an invalid one is refused. */
  g_assert_false (rp_crm_add_address (f->store, bob, "ada@example.org", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rp_crm_add_address (f->store, bob, "not an address", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (rp_crm_add_address (f->store, ada, "ada@work.example", &error));
  g_assert_no_error (error);
  g_assert_true (rp_crm_add_address (f->store, ada, "ADA@work.example", &error));
  g_assert_cmpint (rp_crm_find_record_id_by_address (f->store, "ada@work.example", &error), ==, ada);

  /* Update: fields and the address list. */
  copy = rp_crm_get_record (f->store, ada, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (copy->emails), ==, 2);
  rp_set_str (&copy->company, "Analytical Engines");
  rp_set_str (&copy->phone, "+44 20 1234");
  rp_set_str (&copy->job_title, "Programmer");
  g_strfreev (copy->emails);
  copy->emails = g_strdupv ((char **) (const char *[]) { "ada@work.example", NULL });
  g_assert_true (rp_crm_update_record (f->store, copy, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, rp_crm_record_free);
  found = rp_crm_get_record (f->store, ada, &error);
  g_assert_cmpstr (found->company, ==, "Analytical Engines");
  g_assert_cmpstr (found->phone, ==, "+44 20 1234");
  g_assert_cmpuint (g_strv_length (found->emails), ==, 1);
  g_assert_false (rp_crm_is_known_address (f->store, "ada@example.org", &error));

  /* Listing by kind and search. */
  list = rp_crm_list_records (f->store, -1, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((RpCrmRecord *) list->pdata[0])->name, ==, "Ada Lovelace");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rp_crm_list_records (f->store, RP_CRM_KIND_LEAD, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((RpCrmRecord *) list->pdata[0])->id, ==, bob);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rp_crm_list_records (f->store, -1, "analytical", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rp_crm_list_records (f->store, -1, "example.net", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_null (rp_crm_get_record (f->store, 999, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  fixture_close (f);
}

static void
test_linking (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) links = NULL;
  g_autofree char *timeline = NULL;
  gint64 carol, dave, m1, m2, m3, m4;

  fixture_open (f, "crm-linking");
  carol = add_record (f, RP_CRM_KIND_CONTACT, "Carol", "carol@example.org");
  dave = add_record (f, RP_CRM_KIND_LEAD, "Dave", "dave@example.org");

  /* New mail is linked when stored: From, To and Cc, any case. */
  m1 = add_message (f, f->inbox, "Carol <CAROL@example.org>", "me@example.com", NULL, "a", 1000);
  m2 = add_message (f, f->sent, "me@example.com", "carol@example.org", "dave@example.org", "b", 2000);
  m3 = add_message (f, f->inbox, "x@example.org", "me@example.com", "Carol <carol@example.org>", "c", 3000);
  m4 = add_message (f, f->inbox, "x@example.org", "me@example.com", NULL, "d", 4000);

  timeline = timeline_string (f, carol);
  g_assert_cmpstr (timeline, ==, "c:received|b:sent|a:received");
  g_clear_pointer (&timeline, g_free);
  timeline = timeline_string (f, dave);
  g_assert_cmpstr (timeline, ==, "b:sent");
  g_clear_pointer (&timeline, g_free);

  links = rp_crm_get_message_records (f->store, m2, &error);
  g_assert_cmpuint (links->len, ==, 2);
  g_assert_cmpint (g_array_index (links, gint64, 0), ==, carol);
  g_assert_cmpint (g_array_index (links, gint64, 1), ==, dave);
  g_clear_pointer (&links, g_array_unref);

  /* Moving a received message into Sent makes it sent: the direction
   * follows the folder. */
  g_assert_true (rp_store_move_messages (f->store, &m1, 1, f->sent, &error));
  g_assert_no_error (error);
  timeline = timeline_string (f, carol);
  g_assert_cmpstr (timeline, ==, "c:received|b:sent|a:sent");
  g_clear_pointer (&timeline, g_free);

  /* A manual link; the limit keeps the newest. */
  g_assert_true (rp_crm_link_message (f->store, m4, carol, &error));
  g_assert_no_error (error);
  g_assert_true (rp_crm_link_message (f->store, m4, carol, &error));
  {
    g_autoptr(GPtrArray) two = rp_crm_get_timeline (f->store, carol, 2, &error);

    g_assert_cmpuint (two->len, ==, 2);
    g_assert_cmpint (((RpCrmTimelineEntry *) two->pdata[0])->message_id, ==, m4);
    g_assert_cmpint (((RpCrmTimelineEntry *) two->pdata[1])->message_id, ==, m3);
    g_assert_cmpstr (((RpCrmTimelineEntry *) two->pdata[1])->folder_name, ==, "Inbox");
  }
  g_assert_false (rp_crm_link_message (f->store, 12345, carol, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Deleting a message removes its links. */
  g_assert_true (rp_store_delete_messages (f->store, &m3, 1, &error));
  timeline = timeline_string (f, carol);
  g_assert_cmpstr (timeline, ==, "d:received|b:sent|a:sent");

  fixture_close (f);
}

static void
test_backfill (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree RpStoreNewMessage *msgs = g_new0 (RpStoreNewMessage, 1000);
  g_autoptr(RpCrmRecord) erin = rp_crm_record_new ();
  gint64 start, elapsed, first_received = 0;
  guint sent = 0, received = 0;

  fixture_open (f, "crm-backfill");

  /* 500 messages from Erin in the Inbox, 500 to her in Sent, and mail
   * between other people that must not be linked. */
  for (guint i = 0; i < 1000; i++)
    {
      GBytes *raw = i % 2 == 0
        ? make_message (f, "Erin <erin@example.org>", "me@example.com", NULL, "from", 1000 + i)
        : make_message (f, "me@example.com", "Erin <Erin@Example.org>", NULL, "to", 1000 + i);

      g_ptr_array_add (raws, raw);
      msgs[i].folder_id = i % 2 == 0 ? f->inbox : f->sent;
      msgs[i].raw = raw;
    }
  g_assert_true (rp_store_add_messages_sync (f->store, f->account, msgs, 1000, NULL, &error));
  g_assert_no_error (error);
  add_message (f, f->inbox, "other@example.org", "me@example.com", NULL, "other", 5000);

  erin->name = g_strdup ("Erin");
  erin->emails = g_strdupv ((char **) (const char *[]) { "erin@example.org", NULL });
  start = g_get_monotonic_time ();
  g_assert_cmpint (rp_crm_add_record (f->store, erin, &error), >, 0);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_test_message ("back-fill of 1,000 messages: %.1f ms", elapsed / 1000.0);
  /* One INSERT … SELECT: far below a second even under valgrind-free CI. */
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  timeline = rp_crm_get_timeline (f->store, erin->id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 1000);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);

      if (entry->sent)
        {
          sent++;
          g_assert_cmpstr (entry->subject, ==, "to");
        }
      else
        {
          received++;
          g_assert_cmpstr (entry->subject, ==, "from");
          first_received = entry->message_id;
        }
      if (i > 0)
        g_assert_cmpint (entry->date, <=, ((RpCrmTimelineEntry *) timeline->pdata[i - 1])->date);
    }
  g_assert_cmpuint (sent, ==, 500);
  g_assert_cmpuint (received, ==, 500);

  /* A received message moved into Sent then counts as sent. */
  g_assert_true (rp_store_move_messages (f->store, &first_received, 1, f->sent, &error));
  g_clear_pointer (&timeline, g_ptr_array_unref);
  timeline = rp_crm_get_timeline (f->store, erin->id, 0, &error);
  sent = 0;
  for (guint i = 0; i < timeline->len; i++)
    sent += ((RpCrmTimelineEntry *) timeline->pdata[i])->sent;
  g_assert_cmpuint (sent, ==, 501);

  /* An address added later back-fills its mail too. */
  add_message (f, f->inbox, "erin@home.example", "me@example.com", NULL, "home", 6000);
  g_assert_true (rp_crm_add_address (f->store, erin->id, "erin@home.example", &error));
  g_clear_pointer (&timeline, g_ptr_array_unref);
  timeline = rp_crm_get_timeline (f->store, erin->id, 1, &error);
  g_assert_cmpstr (((RpCrmTimelineEntry *) timeline->pdata[0])->subject, ==, "home");

  fixture_close (f);
}

static void
test_convert_and_items (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(RpCrmTask) later = rp_crm_task_new ();
  g_autoptr(RpCrmNote) note = rp_crm_note_new ();
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(RpCrmEvent) update = NULL;
  g_autoptr(RpCrmEvent) found = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *timeline = NULL;
  gint64 lead, message;

  fixture_open (f, "crm-items");
  lead = add_record (f, RP_CRM_KIND_LEAD, "Frank", "frank@example.org");
  message = add_message (f, f->inbox, "frank@example.org", "me@example.com", NULL, "hello", 100);

  task->record_id = lead;
  task->message_id = message;
  task->title = g_strdup ("Call back");
  task->due = 86400 * 20000;
  task->priority = 1;
  g_assert_cmpint (rp_crm_add_task (f->store, task, &error), >, 0);
  g_assert_no_error (error);
  g_assert_nonnull (task->uid);
  later->record_id = lead;
  later->title = g_strdup ("Someday");
  g_assert_cmpint (rp_crm_add_task (f->store, later, &error), >, 0);
  g_assert_cmpint (rp_crm_add_task (f->store, &(RpCrmTask) { .title = (char *) "" }, &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  note->record_id = lead;
  note->message_id = message;
  note->text = g_strdup ("Interested in the big plan");
  g_assert_cmpint (rp_crm_add_note (f->store, note, &error), >, 0);
  g_assert_cmpint (note->created, >, 0);

  event->title = g_strdup ("Lunch");
  event->start = 2000000000;
  event->end = 2000003600;
  event->location = g_strdup ("Café");
  event->attendees = g_strdupv ((char **) (const char *[]) { "frank@example.org", NULL });
  event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (event->record_ids, lead);
  g_assert_cmpint (rp_crm_save_event (f->store, event, &error), >, 0);
  g_assert_no_error (error);

  /* Conversion keeps the history. */
  g_assert_true (rp_crm_convert_lead (f->store, lead, &error));
  g_assert_no_error (error);
  g_assert_false (rp_crm_convert_lead (f->store, lead, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  record = rp_crm_get_record (f->store, lead, &error);
  g_assert_cmpint (record->kind, ==, RP_CRM_KIND_CONTACT);
  timeline = timeline_string (f, lead);
  g_assert_cmpstr (timeline, ==, "hello:received");

  tasks = rp_crm_list_tasks (f->store, lead, TRUE, &error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (((RpCrmTask *) tasks->pdata[0])->title, ==, "Call back");
  g_assert_cmpint (((RpCrmTask *) tasks->pdata[0])->message_id, ==, message);
  g_assert_cmpint (((RpCrmTask *) tasks->pdata[0])->due, ==, 86400 * 20000);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  task->done = TRUE;
  g_assert_true (rp_crm_update_task (f->store, task, &error));
  tasks = rp_crm_list_tasks (f->store, lead, TRUE, &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (((RpCrmTask *) tasks->pdata[0])->title, ==, "Someday");
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = rp_crm_list_tasks (f->store, 0, FALSE, &error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_true (rp_crm_delete_task (f->store, later->id, &error));
  g_assert_false (rp_crm_delete_task (f->store, later->id, &error));
  g_clear_error (&error);

  notes = rp_crm_list_notes (f->store, lead, 5, &error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((RpCrmNote *) notes->pdata[0])->text, ==, "Interested in the big plan");
  g_assert_cmpint (((RpCrmNote *) notes->pdata[0])->message_id, ==, message);

  /* The same UID updates (a higher SEQUENCE, a cancellation). */
  update = rp_crm_event_copy (event);
  update->sequence = 2;
  update->cancelled = TRUE;
  g_clear_pointer (&update->record_ids, g_array_unref);
  g_assert_cmpint (rp_crm_save_event (f->store, update, &error), ==, event->id);
  found = rp_crm_find_event_by_uid (f->store, event->uid, &error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->sequence, ==, 2);
  g_assert_true (found->cancelled);
  g_assert_cmpstr (found->location, ==, "Café");
  g_assert_cmpstr (found->attendees[0], ==, "frank@example.org");
  g_assert_cmpuint (found->record_ids->len, ==, 1);
  g_assert_null (rp_crm_find_event_by_uid (f->store, "nope", &error));
  g_assert_no_error (error);

  events = rp_crm_list_events (f->store, lead, 2000000000, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = rp_crm_list_events (f->store, 0, 2000003601, &error);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Deleting the record takes its links, tasks and notes; the event
   * stays, unlinked; the message stays. */
  g_assert_true (rp_crm_delete_record (f->store, lead, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = rp_crm_list_tasks (f->store, 0, FALSE, &error);
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = rp_crm_list_notes (f->store, 0, 0, &error);
  g_assert_cmpuint (notes->len, ==, 0);
  g_clear_pointer (&found, rp_crm_event_free);
  found = rp_crm_find_event_by_uid (f->store, event->uid, &error);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->record_ids->len, ==, 0);
  {
    g_autoptr(GArray) links = rp_crm_get_message_records (f->store, message, &error);

    g_assert_cmpuint (links->len, ==, 0);
  }
  g_assert_false (rp_crm_delete_record (f->store, lead, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  fixture_close (f);
}

static char *
complete (Fixture    *f,
          const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = rp_crm_complete (f->store, prefix, 10, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < result->len; i++)
    {
      RpCrmCompletion *c = g_ptr_array_index (result, i);

      g_string_append_printf (out, "%s%s/%d", i ? "|" : "", c->address, c->kind);
    }

  return g_string_free (out, FALSE);
}

static void
test_completion (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 day = 86400;
  gint64 gina;
  char *result;

  fixture_open (f, "crm-complete");

  /* Collected: Gus wrote long ago, twice; Gwen once lately; the user
   * wrote to Glen lately (weighs more). */
  add_message (f, f->inbox, "Gus Old <gus@example.org>", "me@example.com", NULL, "s", now - 700 * day);
  add_message (f, f->inbox, "Gus Old <gus@example.org>", "me@example.com", NULL, "s", now - 710 * day);
  add_message (f, f->inbox, "Gwen New <gwen@example.org>", "me@example.com", NULL, "s", now - 2 * day);
  add_message (f, f->sent, "Me <me@example.com>", "Glen Sent <glen@example.net>", NULL, "s", now - 3 * day);
  /* CRM: Gina (a lead, no mail) and Gert (a contact the user mails). */
  gina = add_record (f, RP_CRM_KIND_LEAD, "Gina Lead", "gina@example.com");
  add_record (f, RP_CRM_KIND_CONTACT, "Gert Contact", "gert@example.com");
  add_message (f, f->sent, "Me <me@example.com>", "gert@example.com", NULL, "s", now - day);

  result = complete (f, "g");
  g_assert_cmpstr (result, ==, "gert@example.com/0|gina@example.com/1|glen@example.net/-1|"
                               "gwen@example.org/-1|gus@example.org/-1");
  g_free (result);

  /* Any word of the name; a CRM record's company. */
  result = complete (f, "LEAD");
  g_assert_cmpstr (result, ==, "gina@example.com/1");
  g_free (result);
  {
    g_autoptr(RpCrmRecord) record = rp_crm_get_record (f->store, gina, &error);
    g_autoptr(GPtrArray) hits = NULL;

    rp_set_str (&record->company, "Zeppelin Works");
    g_assert_true (rp_crm_update_record (f->store, record, &error));
    hits = rp_crm_complete (f->store, "zepp", 10, &error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (((RpCrmCompletion *) hits->pdata[0])->name, ==, "Gina Lead");
    g_assert_cmpstr (((RpCrmCompletion *) hits->pdata[0])->company, ==, "Zeppelin Works");
  }

  /* The user's own From address in sent mail is not a correspondent. */
  result = complete (f, "me@");
  g_assert_cmpstr (result, ==, "me@example.com/-1");
  g_free (result);
  result = complete (f, "%");
  g_assert_cmpstr (result, ==, "");
  g_free (result);

  /* The limit cuts collected addresses first. */
  {
    g_autoptr(GPtrArray) two = rp_crm_complete (f->store, "g", 2, &error);

    g_assert_cmpuint (two->len, ==, 2);
    g_assert_cmpint (((RpCrmCompletion *) two->pdata[1])->kind, ==, RP_CRM_KIND_LEAD);
  }

  fixture_close (f);
}

static void
add_full_record (Fixture    *f,
                 RpCrmKind   kind,
                 const char *name,
                 const char *const *emails,
                 const char *phone,
                 const char *company,
                 const char *title,
                 RpCrmLeadStatus status)
{
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;

  record->kind = kind;
  record->name = g_strdup (name);
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) emails);
  record->phone = g_strdup (phone);
  record->company = g_strdup (company);
  record->job_title = g_strdup (title);
  record->status = status;
  record->source = g_strdup ("fair, 2024");
  record->owner = g_strdup ("me");
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  g_assert_no_error (error);
}

static char *
records_string (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = rp_crm_list_records (f->store, -1, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      RpCrmRecord *r = g_ptr_array_index (records, i);
      g_autofree char *emails = g_strjoinv (",", r->emails);

      g_string_append_printf (out, "[%d|%s|%s|%s|%s|%s|%d|%s|%s]\n", r->kind, r->name, emails,
                              r->phone, r->company, r->job_title, r->status, r->source, r->owner);
    }

  return g_string_free (out, FALSE);
}

static void
test_vcard_round_trip (void)
{
  Fixture a = { 0 }, b = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  fixture_open (&a, "crm-vcard-a");
  fixture_open (&b, "crm-vcard-b");

  add_full_record (&a, RP_CRM_KIND_CONTACT, "Doe, John; \"Jr.\" \\ the second",
                   (const char *[]) { "john@example.org", "jd@work.example", NULL },
                   "+1 555 0100", "Acme; Inc, Ltd", "Head of\nEverything", RP_CRM_LEAD_NEW);
  add_full_record (&a, RP_CRM_KIND_LEAD,
                   "Zoë Überlänge-Mustermann-Schmidt-Ångström-Øresund-Ñandú-Łódź-Straße-Größe",
                   (const char *[]) { "zoe@example.de", NULL }, NULL, "Ünïcödé GmbH", NULL,
                   RP_CRM_LEAD_QUALIFIED);
  before = records_string (&a);

  path = g_build_filename (a.dir, "export.vcf", NULL);
  g_assert_true (rp_crm_export_vcard (a.store, path, &error));
  g_assert_no_error (error);

  /* RFC 6350: CRLF lines of at most 75 octets, escaped text. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  g_assert_nonnull (strstr (contents, "ORG:Acme\\; Inc\\, Ltd\r\n"));
  g_assert_nonnull (strstr (contents, "TITLE:Head of\\nEverything\r\n"));
  g_assert_nonnull (strstr (contents, "EMAIL;PREF=1:john@example.org\r\n"));
  lines = g_strsplit (contents, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }

  g_assert_true (rp_crm_import_vcard (b.store, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  after = records_string (&b);
  g_assert_cmpstr (after, ==, before);

  /* Importing again updates instead of duplicating. */
  g_assert_true (rp_crm_import_vcard (b.store, path, &n, &error));
  again = records_string (&b);
  g_assert_cmpstr (again, ==, before);

  /* vCard 3.0 with groups, N only and a tel: URI. */
  {
    const char *v3 = "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Anna;;Dr.;\n"
                     "item1.EMAIL;TYPE=INTERNET:anna@example.org\nTEL;VALUE=uri:tel:+49-30-1\n"
                     "ORG:Big Co;Research\nEND:VCARD\n";
    g_autofree char *v3_path = g_build_filename (b.dir, "v3.vcf", NULL);
    g_autoptr(RpCrmRecord) anna = NULL;

    g_assert_true (g_file_set_contents (v3_path, v3, -1, NULL));
    g_assert_true (rp_crm_import_vcard (b.store, v3_path, &n, &error));
    g_assert_no_error (error);
    anna = rp_crm_find_record_by_address (b.store, "anna@example.org", &error);
    g_assert_nonnull (anna);
    g_assert_cmpstr (anna->name, ==, "Dr. Anna Smith");
    g_assert_cmpstr (anna->phone, ==, "+49-30-1");
    g_assert_cmpstr (anna->company, ==, "Big Co");
  }

  fixture_close (&a);
  fixture_close (&b);
}

static char *
items_string (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = rp_crm_list_events (f->store, 0, 0, &error);
  g_autoptr(GPtrArray) tasks = rp_crm_list_tasks (f->store, 0, FALSE, &error);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      RpCrmEvent *e = g_ptr_array_index (events, i);
      g_autofree char *attendees = g_strjoinv (",", e->attendees);
      g_autoptr(RpCrmRecord) r = e->record_ids->len
        ? rp_crm_get_record (f->store, g_array_index (e->record_ids, gint64, 0), &error) : NULL;

      g_string_append_printf (out, "E[%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%s|%d|%d|%s|%s]\n",
                              e->uid, e->title, e->start, e->end, e->location, attendees,
                              e->sequence, e->cancelled, e->partstat, r ? r->name : "-");
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *t = g_ptr_array_index (tasks, i);
      g_autoptr(RpCrmRecord) r = t->record_id
        ? rp_crm_get_record (f->store, t->record_id, &error) : NULL;

      g_string_append_printf (out, "T[%s|%s|%" G_GINT64_FORMAT "|%d|%d|%s]\n", t->uid, t->title,
                              t->due, t->priority, t->done, r ? r->name : "-");
    }

  return g_string_free (out, FALSE);
}

static void
test_ical_round_trip (void)
{
  Fixture a = { 0 }, b = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *vcf = NULL;
  g_autofree char *ics = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(RpCrmEvent) invite = rp_crm_event_new ();
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(RpCrmTask) done = rp_crm_task_new ();
  guint n = 0;
  gint64 hank;

  fixture_open (&a, "crm-ical-a");
  fixture_open (&b, "crm-ical-b");
  hank = add_record (&a, RP_CRM_KIND_CONTACT, "Hank", "hank@example.org");

  event->title = g_strdup ("Review, part 1; with \"quotes\"");
  event->start = 1900000000;
  event->end = 1900005400;
  event->location = g_strdup ("Room 4, Building B");
  event->attendees = g_strdupv ((char **) (const char *[]) { "hank@example.org", "ivy@example.org", NULL });
  event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (event->record_ids, hank);
  g_assert_cmpint (rp_crm_save_event (a.store, event, &error), >, 0);
  invite->title = g_strdup ("Invited");
  invite->uid = g_strdup ("abc-123@organiser.example");
  invite->sequence = 3;
  invite->start = 1900100000;
  invite->end = 1900103600;
  invite->cancelled = TRUE;
  invite->partstat = g_strdup ("ACCEPTED");
  g_assert_cmpint (rp_crm_save_event (a.store, invite, &error), >, 0);
  task->title = g_strdup ("Send offer");
  task->record_id = hank;
  task->due = 86400 * 21000;
  task->priority = 2;
  g_assert_cmpint (rp_crm_add_task (a.store, task, &error), >, 0);
  done->title = g_strdup ("Old thing");
  done->done = TRUE;
  g_assert_cmpint (rp_crm_add_task (a.store, done, &error), >, 0);
  g_assert_no_error (error);
  before = items_string (&a);

  vcf = g_build_filename (a.dir, "people.vcf", NULL);
  ics = g_build_filename (a.dir, "calendar.ics", NULL);
  g_assert_true (rp_crm_export_vcard (a.store, vcf, &error));
  g_assert_true (rp_crm_export_ical (a.store, ics, &error));
  g_assert_no_error (error);

  g_assert_true (rp_crm_import_vcard (b.store, vcf, &n, &error));
  g_assert_true (rp_crm_import_ical (b.store, ics, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  after = items_string (&b);
  g_assert_cmpstr (after, ==, before);

  /* Importing again updates by UID. */
  g_assert_true (rp_crm_import_ical (b.store, ics, &n, &error));
  g_clear_pointer (&after, g_free);
  after = items_string (&b);
  g_assert_cmpstr (after, ==, before);

  g_assert_false (rp_crm_import_ical (b.store, vcf, &n, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);

  fixture_close (&a);
  fixture_close (&b);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/crm/records", test_records);
  g_test_add_func ("/core/crm/linking", test_linking);
  g_test_add_func ("/core/crm/backfill-1000", test_backfill);
  g_test_add_func ("/core/crm/convert-tasks-events-notes", test_convert_and_items);
  g_test_add_func ("/core/crm/completion", test_completion);
  g_test_add_func ("/core/crm/vcard-round-trip", test_vcard_round_trip);
  g_test_add_func ("/core/crm/ical-round-trip", test_ical_round_trip);

  return g_test_run ();
}
