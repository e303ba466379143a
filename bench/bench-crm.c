/* bench-crm.c: the CRM sidebar and address completion at 10,000 contacts
 * and 100,000 messages
 *
 *   bench-crm [CONTACTS [MESSAGES]]   (default 10000 100000)
 *
 * Imports the contacts from a generated vCard file, stores the messages
 * in batches of 1,000 the way the fetcher does (each linked to its
 * records inside the store's transaction), adds tasks, events and notes,
 * then measures:
 *   - the sidebar refresh when the selection changes: find the record by
 *     the sender's address, its timeline (50), its open tasks, its
 *     upcoming events and its recent notes (target < 20 ms);
 *   - address completion per keystroke: every prefix of 1 to 6 characters
 *     of names and addresses, as typed (target < 10 ms).
 * Senders follow a rough Zipf law, so a few contacts have thousands of
 * messages: the worst timelines are in the sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-test-util.h"

#define BATCH 1000
#define SAMPLES 500

static const char *first_names[] = {
  "Anna", "Jörg", "Maria", "Thomas", "Sabine", "Michael", "Julia", "Stefan", "Laura", "Peter",
  "Emma", "Lukas", "Sophie", "Jan", "Lea", "Felix", "Hannah", "Paul", "Mia", "Jonas",
};

static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
};

static const char *companies[] = {
  "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Hooli",
  "Vandelay", "Soylent", "Wonka",
};

typedef struct
{
  char *name;
  char *address;
} Person;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_row (const char *what,
           GArray     *ms,
           double      target)
{
  double *v = (double *) ms->data;
  double median, p95, max;

  qsort (v, ms->len, sizeof (double), compare_doubles);
  median = v[ms->len / 2];
  p95 = v[MIN (ms->len - 1, (guint) ceil (ms->len * 0.95) - 1)];
  max = v[ms->len - 1];
  printf ("| %-36s | %6u | %8.2f | %8.2f | %8.2f | %6.0f | %-4s |\n", what, ms->len, median, p95,
          max, target, p95 < target ? "yes" : "NO");
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Person @i: the first n_contacts are CRM contacts (every fifth a lead). */
static Person *
make_people (guint n)
{
  Person *people = g_new0 (Person, n);

  for (guint i = 0; i < n; i++)
    {
      const char *first = first_names[i % G_N_ELEMENTS (first_names)];
      const char *last = last_names[(i / G_N_ELEMENTS (first_names)) % G_N_ELEMENTS (last_names)];
      g_autofree char *ascii = g_str_to_ascii (last, "C");
      g_autofree char *lower_first = g_ascii_strdown (first, -1);
      g_autofree char *first_ascii = g_str_to_ascii (lower_first, "C");
      g_autofree char *lower = g_ascii_strdown (ascii, -1);

      people[i].name = g_strdup_printf ("%s %s", first, last);
      people[i].address = g_strdup_printf ("%s.%s%u@%s.example", first_ascii, lower, i,
                                           companies[i % G_N_ELEMENTS (companies)]);
    }

  return people;
}

/* A rough Zipf: small indices far more often. */
static guint
zipf (GRand *rand,
      guint  n)
{
  double r = g_rand_double (rand);

  return MIN ((guint) (n * r * r * r), n - 1);
}

int
main (int   argc,
      char *argv[])
{
  guint n_contacts = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_messages = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  guint n_people = n_contacts + n_contacts / 5;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GString) vcf = g_string_new (NULL);
  g_autoptr(GArray) sidebar = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) completion = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) completion_short = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *by_length[7] = { NULL, };
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *vcf_path = NULL;
  g_autofree Person *people = NULL;
  g_autofree RpStoreNewMessage *batch = g_new0 (RpStoreNewMessage, BATCH);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 account, inbox, sent;
  double t0, import_ms, ingest_ms, items_ms;
  guint imported = 0;

  setlocale (LC_ALL, "");
  rp_test_init (&argc, &argv);

  dir = rp_test_make_tmpdir ("bench-crm");
  db = g_build_filename (dir, "rapport.db", NULL);
  store = rp_store_open_sync (db, NULL, &error);
  g_assert_no_error (error);
  account = rp_store_ensure_account (store, "work", &error);
  inbox = rp_store_get_special_folder (store, account, RP_FOLDER_ROLE_INBOX);
  sent = rp_store_get_special_folder (store, account, RP_FOLDER_ROLE_SENT);
  people = make_people (n_people);

  /* Contacts, from a vCard file. */
  for (guint i = 0; i < n_contacts; i++)
    g_string_append_printf (vcf, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:%s\r\nEMAIL:%s\r\n"
                                 "ORG:%s\r\nX-RAPPORT-KIND:%s\r\nEND:VCARD\r\n",
                            people[i].name, people[i].address,
                            companies[i % G_N_ELEMENTS (companies)],
                            i % 5 == 4 ? "lead" : "contact");
  vcf_path = g_build_filename (dir, "contacts.vcf", NULL);
  g_assert_true (g_file_set_contents (vcf_path, vcf->str, vcf->len, &error));
  t0 = now_ms ();
  g_assert_true (rp_crm_import_vcard (store, vcf_path, &imported, &error));
  g_assert_no_error (error);
  import_ms = now_ms () - t0;
  g_assert_cmpuint (imported, ==, n_contacts);

  /* Messages: 70 % from a person to the user (Inbox), 30 % from the user
   * to a person (Sent), a third with a Cc. */
  t0 = now_ms ();
  for (guint done = 0; done < n_messages; )
    {
      guint n = MIN (BATCH, n_messages - done);

      for (guint i = 0; i < n; i++)
        {
          Person *p = &people[zipf (rand, n_people)];
          Person *cc = &people[g_rand_int_range (rand, 0, n_people)];
          gboolean outgoing = g_rand_int_range (rand, 0, 10) < 3;
          gint64 date = now - g_rand_int_range (rand, 0, 3 * 365 * 86400);
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
          g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
          g_autofree char *from = outgoing ? g_strdup ("Me <me@rapport.example>")
                                           : g_strdup_printf ("\"%s\" <%s>", p->name, p->address);
          g_autofree char *to = outgoing ? g_strdup_printf ("\"%s\" <%s>", p->name, p->address)
                                         : g_strdup ("Me <me@rapport.example>");
          g_autofree char *cc_line = g_rand_int_range (rand, 0, 3) == 0
                                     ? g_strdup_printf ("Cc: %s\r\n", cc->address) : g_strdup ("");
          char *text = g_strdup_printf ("From: %s\r\nTo: %s\r\n%sSubject: Message %u\r\n"
                                        "Date: %s\r\nMessage-ID: <m%u@bench>\r\n\r\n"
                                        "Hello, this is message %u.\r\n",
                                        from, to, cc_line, done + i, date_text, done + i, done + i);

          batch[i] = (RpStoreNewMessage) {
            .folder_id = outgoing ? sent : inbox,
            .raw = g_bytes_new_take (text, strlen (text)),
          };
        }
      g_assert_true (rp_store_add_messages_sync (store, account, batch, n, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        g_bytes_unref (batch[i].raw);
      done += n;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  ingest_ms = now_ms () - t0;

  /* Tasks, events and notes on the busiest tenth of the contacts. */
  t0 = now_ms ();
  for (guint i = 0; i < n_contacts / 10; i++)
    {
      gint64 id = rp_crm_find_record_id_by_address (store, people[i].address, &error);
      g_autoptr(RpCrmTask) task = rp_crm_task_new ();
      g_autoptr(RpCrmNote) note = rp_crm_note_new ();

      task->record_id = id;
      task->title = g_strdup_printf ("Follow up %u", i);
      task->due = (now / 86400 + (int) (i % 30) - 10) * 86400;
      task->done = i % 3 == 0;
      g_assert_cmpint (rp_crm_add_task (store, task, &error), >, 0);
      note->record_id = id;
      note->text = g_strdup_printf ("Met at the fair (%u)", i);
      g_assert_cmpint (rp_crm_add_note (store, note, &error), >, 0);
      if (i % 2 == 0)
        {
          g_autoptr(RpCrmEvent) event = rp_crm_event_new ();

          event->title = g_strdup_printf ("Meeting %u", i);
          event->start = now + (gint64) (i % 60) * 86400 - 30 * 86400;
          event->end = event->start + 3600;
          event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_array_append_val (event->record_ids, id);
          g_assert_cmpint (rp_crm_save_event (store, event, &error), >, 0);
        }
    }
  items_ms = now_ms () - t0;

  /* The sidebar: select random messages' senders (Zipf again, so heavy
   * correspondents come up), known and unknown. */
  for (guint s = 0; s < SAMPLES; s++)
    {
      Person *p = &people[zipf (rand, n_people)];
      g_autoptr(RpCrmRecord) record = NULL;
      double start = now_ms ();

      record = rp_crm_find_record_by_address (store, p->address, &error);
      g_assert_no_error (error);
      if (record != NULL)
        {
          g_autoptr(GPtrArray) timeline = rp_crm_get_timeline (store, record->id, 50, &error);
          g_autoptr(GPtrArray) tasks = rp_crm_list_tasks (store, record->id, TRUE, &error);
          g_autoptr(GPtrArray) events = rp_crm_list_events (store, record->id, now, &error);
          g_autoptr(GPtrArray) notes = rp_crm_list_notes (store, record->id, 5, &error);

          g_assert_nonnull (timeline);
          g_assert_nonnull (notes);
        }
      g_array_append_val (sidebar, (double) { now_ms () - start });
    }

  /* Completion as typed: each prefix of a name or an address. */
  for (guint s = 0; s < SAMPLES / 5; s++)
    {
      Person *p = &people[g_rand_int_range (rand, 0, n_people)];
      const char *typed = s % 2 ? p->name : p->address;

      for (guint len = 1; len <= 6; len++)
        {
          g_autofree char *prefix = g_utf8_substring (typed, 0, len);
          g_autoptr(GPtrArray) hits = NULL;
          double start = now_ms ();
          double elapsed;

          hits = rp_crm_complete (store, prefix, 10, &error);
          elapsed = now_ms () - start;
          g_assert_no_error (error);
          g_array_append_val (completion, elapsed);
          if (len == 1)
            g_array_append_val (completion_short, elapsed);
          if (by_length[len] == NULL)
            by_length[len] = g_array_new (FALSE, FALSE, sizeof (double));
          g_array_append_val (by_length[len], elapsed);
        }
    }

  printf ("\nbench-crm: %u contacts (%u people), %u messages\n\n", n_contacts, n_people,
          n_messages);
  printf ("vCard import of %u contacts: %.0f ms\n", n_contacts, import_ms);
  printf ("ingest with linking: %.0f messages/s (%.1f s)\n", n_messages / (ingest_ms / 1000.0),
          ingest_ms / 1000.0);
  printf ("%u tasks, %u notes, %u events added one by one: %.1f s\n\n", n_contacts / 10,
          n_contacts / 10, n_contacts / 20, items_ms / 1000.0);
  printf ("| %-36s | %6s | %8s | %8s | %8s | %6s | %-4s |\n", "operation (ms)", "n", "median",
          "p95", "max", "target", "met");
  printf ("|%s|%s|%s|%s|%s|%s|%s|\n", "--------------------------------------", "--------",
          "----------", "----------", "----------", "--------", "------");
  print_row ("sidebar refresh (selection change)", sidebar, 20);
  print_row ("completion per keystroke (1-6 chars)", completion, 10);
  print_row ("completion, first keystroke only", completion_short, 10);
  for (guint len = 2; len < G_N_ELEMENTS (by_length); len++)
    {
      g_autofree char *what = g_strdup_printf ("completion, %u characters", len);

      print_row (what, by_length[len], 10);
      g_array_unref (by_length[len]);
    }
  g_clear_pointer (&by_length[1], g_array_unref);

  for (guint i = 0; i < n_people; i++)
    {
      g_free (people[i].name);
      g_free (people[i].address);
    }
  g_clear_object (&store);
  rp_test_rm_rf (dir);
  return 0;
}
