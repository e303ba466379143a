/* bench-store.c: ingest, search, first rows and memory at 100,000 messages
 *
 *   bench-store [N]   (default 100000)
 *
 * Generates N realistic messages (a few thousand correspondents, German and
 * English text, a median around 8 KB, some HTML, some attachments), ingests
 * them the way the fetcher does (parsing on two worker threads, batches of
 * 500 committed by one writer), then measures 20 typical searches, the time
 * for a folder model to deliver its first 50 rows, and the peak memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "rp-core.h"
#include "rp-folder-model.h"
#include "rp-store.h"
#include "rp-store-search.h"
#include "rp-test-util.h"

#define BATCH 500

static const char *words[] = {
  "angebot", "rechnung", "termin", "projekt", "meeting", "invoice", "contract", "vertrag",
  "bitte", "danke", "gruss", "regards", "schedule", "proposal", "budget", "kunde", "customer",
  "lieferung", "delivery", "preis", "price", "quarter", "quartal", "bericht", "report", "team",
  "woche", "week", "montag", "friday", "update", "status", "review", "feedback", "question",
  "frage", "antwort", "answer", "the", "der", "die", "das", "und", "and", "with", "mit", "for",
  "für", "ist", "is", "we", "wir", "you", "sie", "please", "send", "senden", "documents",
  "unterlagen", "müller", "schmidt", "weber", "recruiting", "candidate", "bewerbung", "interview",
  "gehalt", "salary", "office", "büro", "travel", "reise", "hotel", "flight", "flug", "order",
  "bestellung", "software", "license", "lizenz", "support", "ticket", "server", "backup",
};

static const char *first_names[] = {
  "Anna", "Jörg", "Maria", "Thomas", "Sabine", "Michael", "Julia", "Stefan", "Laura", "Peter",
  "Emma", "Lukas", "Sophie", "Jan", "Lea", "Felix", "Hannah", "Paul", "Mia", "Jonas",
};

static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
};

static const char *word (GRand *rand)
{
  /* A rough Zipf: small indices far more often. */
  double r = g_rand_double (rand);
  guint i = (guint) (G_N_ELEMENTS (words) * r * r * r);

  return words[MIN (i, G_N_ELEMENTS (words) - 1)];
}

static GBytes *
generate_message (GRand *rand,
                  guint  n)
{
  GString *s = g_string_sized_new (12 * 1024);
  guint sender = g_rand_int_range (rand, 0, 3000);
  guint body_words;
  gboolean html = g_rand_int_range (rand, 0, 10) < 3;
  gboolean attachment = g_rand_int_range (rand, 0, 10) == 0;
  gint64 date = 1700000000 + (gint64) n * 300 + g_rand_int_range (rand, 0, 300);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");

  /* Median around 8 KB, a long tail. */
  body_words = 300 + (guint) (900 * -log (1.0 - g_rand_double (rand) * 0.999));

  g_string_append_printf (s, "Return-Path: <p%u@example%u.test>\r\n", sender, sender % 97);
  g_string_append_printf (s, "Received: from mx%u.example.test (mx.example.test [192.0.2.%u])\r\n"
                             "\tby mail.rapport.test with ESMTPS id %08X\r\n\tfor <me@rapport.test>; %s\r\n",
                          sender % 7, sender % 250, g_rand_int (rand), date_text);
  g_string_append_printf (s, "From: %s %s <p%u@example%u.test>\r\n",
                          first_names[sender % G_N_ELEMENTS (first_names)],
                          last_names[sender % G_N_ELEMENTS (last_names)], sender, sender % 97);
  g_string_append (s, "To: Me <me@rapport.test>\r\n");
  g_string_append_printf (s, "Subject: %s %s %s %u\r\n", word (rand), word (rand), word (rand),
                          n % 1000);
  g_string_append_printf (s, "Date: %s\r\nMessage-ID: <%u.%08X@example%u.test>\r\n", date_text, n,
                          g_rand_int (rand), sender % 97);
  if (n > 0 && g_rand_int_range (rand, 0, 3) == 0)
    {
      guint parent = g_rand_int_range (rand, MAX (0, (int) n - 50), n);

      g_string_append_printf (s, "In-Reply-To: <%u.parent@example.test>\r\nReferences: <%u.parent@example.test>\r\n",
                              parent, parent);
    }
  g_string_append (s, "MIME-Version: 1.0\r\n");

  if (attachment)
    g_string_append (s, "Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n--mix\r\n");
  if (html)
    g_string_append (s, "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\n");
  g_string_append (s, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
  for (guint w = 0, col = 0; w < body_words; w++)
    {
      const char *next = word (rand);

      g_string_append (s, next);
      col += strlen (next) + 1;
      if (col > 70)
        {
          g_string_append (s, "\r\n");
          col = 0;
        }
      else
        g_string_append_c (s, ' ');
    }
  g_string_append (s, "\r\n");
  if (html)
    {
      g_string_append (s, "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>");
      for (guint w = 0; w < body_words / 2; w++)
        g_string_append_printf (s, "%s%s", word (rand), w % 12 == 11 ? "</p>\r\n<p>" : " ");
      g_string_append (s, "</p></body></html>\r\n--alt--\r\n");
    }
  if (attachment)
    {
      guint lines = g_rand_int_range (rand, 20, 400);

      g_string_append_printf (s, "--mix\r\nContent-Type: application/pdf; name=\"%s-%u.pdf\"\r\n"
                                 "Content-Disposition: attachment; filename=\"%s-%u.pdf\"\r\n"
                                 "Content-Transfer-Encoding: base64\r\n\r\n", word (rand), n,
                              word (rand), n);
      for (guint l = 0; l < lines; l++)
        g_string_append (s, "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZUR\r\n");
      g_string_append (s, "--mix--\r\n");
    }

  return g_string_free_to_bytes (s);
}

typedef struct
{
  RpStoreNewMessage *msgs;
  guint              start;
  guint              end;
} ParseJob;

static gpointer
parse_range (gpointer data)
{
  ParseJob *job = data;

  for (guint i = job->start; i < job->end; i++)
    job->msgs[i].summary = rp_message_summary_parse (job->msgs[i].raw, 0);

  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = rp_test_make_tmpdir ("bench-store");
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 account, inbox;
  guint64 bytes = 0;
  double generate_s = 0, ingest_s = 0, parse_s = 0, first_rows_ms, open_model_ms, open_store_ms;
  const char *queries[] = {
    "angebot", "invoice", "müller", "from:p17@example17.test", "subject:rechnung",
    "\"bitte senden\"", "vertrag lizenz", "has:attachment", "is:unread budget",
    "to:me@rapport.test meeting", "candidate interview", "after:2023-12-01 report",
    "before:2023-11-20 hotel", "weber", "lieferung preis", "proj", "backup server",
    "folder:inbox status", "gehalt", "quarter review",
  };

  setlocale (LC_ALL, "");
  store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  account = rp_store_ensure_account (store, "bench", &error);
  inbox = rp_store_get_special_folder (store, account, RP_FOLDER_ROLE_INBOX);

  for (guint done = 0; done < n; done += BATCH)
    {
      guint count = MIN (BATCH, n - done);
      g_autofree RpStoreNewMessage *msgs = g_new0 (RpStoreNewMessage, count);
      ParseJob jobs[2] = { { msgs, 0, count / 2 }, { msgs, count / 2, count } };
      GThread *threads[2];
      gint64 t0 = g_get_monotonic_time ();
      gint64 t1;

      for (guint i = 0; i < count; i++)
        {
          msgs[i].raw = generate_message (rand, done + i);
          msgs[i].folder_id = inbox;
          bytes += g_bytes_get_size (msgs[i].raw);
        }
      t1 = g_get_monotonic_time ();
      generate_s += (t1 - t0) / 1e6;

      /* Parse on two threads (the machine has two cores), commit on one. */
      for (guint t = 0; t < 2; t++)
        threads[t] = g_thread_new ("parse", parse_range, &jobs[t]);
      for (guint t = 0; t < 2; t++)
        g_thread_join (threads[t]);
      parse_s += (g_get_monotonic_time () - t1) / 1e6;
      if (!rp_store_add_messages_sync (store, account, msgs, count, NULL, &error))
        g_error ("%s", error->message);
      ingest_s += (g_get_monotonic_time () - t1) / 1e6;

      for (guint i = 0; i < count; i++)
        {
          rp_message_summary_free (msgs[i].summary);
          g_bytes_unref (msgs[i].raw);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      /* Each query once to warm the page cache, then timed. */
      g_array_unref (rp_store_search_sync (store, queries[i], 200, NULL, &error));
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GArray) hits = rp_store_search_sync (store, queries[i], 200, NULL, &error);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (latencies, ms);
      g_print ("  search %-32s %6u hits %8.2f ms\n", queries[i], hits->len, ms);
    }
  g_array_sort (latencies, compare_double);

  /* A fresh store object, as at application start. */
  g_clear_object (&store);
  {
    gint64 t_open = g_get_monotonic_time ();
    g_autoptr(RpFolderModel) model = NULL;
    gint64 t0, t1;

    store = rp_store_open_sync (path, NULL, &error);
    t0 = g_get_monotonic_time ();
    open_store_ms = (t0 - t_open) / 1000.0;
    model = rp_folder_model_new_for_folder (store, inbox);
    t1 = g_get_monotonic_time ();
    for (guint i = 0; i < 50; i++)
      {
        g_autoptr(RpMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

        g_assert_nonnull (item);
      }
    first_rows_ms = (g_get_monotonic_time () - t0) / 1000.0;
    open_model_ms = (t1 - t0) / 1000.0;
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  }

  {
    GStatBuf st;
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    guint64 db_size = g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;

    if (g_stat (wal, &st) == 0)
      db_size += st.st_size;

    g_print ("\n| measure (N = %u, %.0f MB of mail) | result | target |\n", n, bytes / 1e6);
    g_print ("|---|---|---|\n");
    g_print ("| ingest: parse + store + index | %.0f messages/s (%.1f s) | ≥ 2,000/s |\n",
             n / ingest_s, ingest_s);
    g_print ("| search, median of 20 queries | %.2f ms | < 30 ms |\n",
             g_array_index (latencies, double, latencies->len / 2));
    g_print ("| search, 95th percentile | %.2f ms | |\n",
             g_array_index (latencies, double, (latencies->len * 95 + 99) / 100 - 1));
    g_print ("| folder model: open + first 50 rows | %.2f ms (ids loaded in %.2f ms) | < 50 ms |\n",
             first_rows_ms, open_model_ms);
    g_print ("| opening the store (before the model) | %.2f ms | |\n", open_store_ms);
    g_print ("| peak memory (RSS) | %.0f MB | < 200 MB |\n", peak_rss_kb () / 1024.0);
    g_print ("| database on disk | %.0f MB | |\n", db_size / 1e6);
    g_print ("(parsing on two threads took %.1f s of the ingest, committing %.1f s; generating "
             "the messages took %.1f s, not counted)\n", parse_s, ingest_s - parse_s, generate_s);
  }

  g_clear_object (&store);
  rp_test_rm_rf (dir);
  return 0;
}
