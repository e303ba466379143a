/* bench-app.c: the main window over 100,000 messages
 *
 *   GSETTINGS_SCHEMA_DIR=BUILD/data GSETTINGS_BACKEND=memory \
 *     tests/ui/run-under-xvfb.sh /tmp BUILD/bench/bench-app [N]   (default 100000)
 *
 * Fills the app's own store with N generated messages (summaries parsed
 * beforehand, as the fetcher does), then measures the time from creating
 * the window to the first frame with message rows painted, the time to
 * scroll through the whole list one page per frame, and the peak memory of
 * the process. Then it opens an HTML message in the reading pane and
 * reports the WebKit processes' peak memory separately.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rp-application.h"
#include "rp-message-row.h"
#include "rp-message-view-private.h"
#include "rp-test-util.h"
#include "rp-window-private.h"

#define BATCH 1000

static const char *names[] = {
  "Anna Müller", "Jörg Schmidt", "Maria Weber", "Thomas Fischer", "Sabine Becker",
  "Michael Smith", "Julia Jones", "Stefan Brown", "Laura Taylor", "Peter Wilson",
};

static const char *topics[] = {
  "Angebot", "Rechnung", "Meeting notes", "Projektstatus", "Invoice", "Quarterly report",
  "Vertrag", "Travel plans", "Backup server", "Bewerbung",
};

static guint64 frames;

static GBytes *
generate_message (GRand *rand,
                  guint  n)
{
  gint64 date = 1700000000 + (gint64) n * 300;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
  guint who = g_rand_int_range (rand, 0, G_N_ELEMENTS (names));
  char *raw = g_strdup_printf ("From: %s <p%u@example.test>\r\n"
                               "To: me@rapport.test\r\n"
                               "Subject: %s %u\r\n"
                               "Date: %s\r\n"
                               "Message-ID: <m%u@example.test>\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: 8bit\r\n"
                               "\r\n"
                               "Hallo, anbei die Unterlagen zu Nummer %u. Viele Grüße.\r\n",
                               names[who], who, topics[g_rand_int_range (rand, 0, 10)], n,
                               date_text, n, n);

  return g_bytes_new_take (raw, strlen (raw));
}

static guint
count_mapped_rows (GtkWidget *widget)
{
  guint n = 0;

  if (RP_IS_MESSAGE_ROW (widget))
    return gtk_widget_get_mapped (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_mapped_rows (child);

  return n;
}

static GtkListView *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return GTK_LIST_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *view = find_list_view (child);

      if (view != NULL)
        return view;
    }

  return NULL;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  frames++;
}

/* Runs the main loop until a frame has been painted after this call. */
static void
wait_for_frame (GtkWidget *widget)
{
  guint64 start = frames;

  gtk_widget_queue_draw (widget);
  while (frames == start)
    g_main_context_iteration (NULL, TRUE);
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* A newsletter as they come: styles, a table, an inline image and a remote
 * one (blocked, as always). */
static GBytes *
generate_html_message (void)
{
  GString *html = g_string_new (NULL);
  char *raw;

  g_string_append (html, "<html><head><style>body{font-family:sans-serif}"
                         "td{padding:4px;border-bottom:1px solid #ddd}</style></head><body>"
                         "<h1>Monatsbericht</h1><p><img src=\"cid:logo@bench\"></p>"
                         "<p><img src=\"https://tracker.example.invalid/p.gif\"></p><table>");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (html, "<tr><td>Posten %u</td><td>%u,00 €</td>"
                                  "<td><a href=\"https://example.invalid/%u\">Details</a></td></tr>",
                            i, i * 7, i);
  g_string_append (html, "</table></body></html>");

  raw = g_strdup_printf ("From: Newsletter <news@example.test>\r\n"
                         "To: me@rapport.test\r\n"
                         "Subject: Monatsbericht (HTML)\r\n"
                         "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n"
                         "Message-ID: <html-bench@example.test>\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: multipart/related; boundary=\"b1\"\r\n"
                         "\r\n"
                         "--b1\r\n"
                         "Content-Type: text/html; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: 8bit\r\n"
                         "\r\n"
                         "%s\r\n"
                         "--b1\r\n"
                         "Content-Type: image/png\r\n"
                         "Content-Transfer-Encoding: base64\r\n"
                         "Content-ID: <logo@bench>\r\n"
                         "\r\n"
                         "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n"
                         "--b1--\r\n", html->str);
  g_string_free (html, TRUE);

  return g_bytes_new_take (raw, strlen (raw));
}

/* The basename of a process's program, or NULL when it is gone. */
static char *
process_name (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "cmdline", NULL);
  g_autofree char *cmdline = NULL;

  if (!g_file_get_contents (path, &cmdline, NULL, NULL))
    return NULL;

  return g_path_get_basename (cmdline);
}

/* A "Key:   123 kB" line of /proc/PID/status, in kB, or -1. */
static long
status_kb (const char *pid,
           const char *key)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, key)) == NULL)
    return -1;

  return strtol (line + strlen (key), NULL, 10);
}

static long
parent_of (const char *pid)
{
  return status_kb (pid, "PPid:");
}

typedef struct
{
  long rss_kb;        /* the sum of the current RSS of the WebKit processes */
  long peak_sum_kb;   /* the largest such sum seen by a sample */
  long hwm_web_kb;    /* the peaks (VmHWM) the kernel recorded, per kind */
  long hwm_network_kb;
  guint n_processes;
} WebKitMemory;

/* Samples the WebKit processes started by this one (directly or through a
 * launcher): their current RSS, summed, and each one's recorded peak. */
static void
sample_webkit (WebKitMemory *memory)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr(GHashTable) ours = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) pids = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  gboolean grew = TRUE;
  long sum = 0;

  g_hash_table_add (ours, GINT_TO_POINTER ((int) getpid ()));
  while (proc != NULL && (entry = g_dir_read_name (proc)) != NULL)
    if (g_ascii_isdigit (entry[0]))
      g_ptr_array_add (pids, g_strdup (entry));

  /* Descendants: repeat until no new child of a known process turns up. */
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < pids->len; i++)
        {
          const char *pid = g_ptr_array_index (pids, i);
          int id = atoi (pid);

          if (!g_hash_table_contains (ours, GINT_TO_POINTER (id))
              && g_hash_table_contains (ours, GINT_TO_POINTER ((int) parent_of (pid))))
            {
              g_hash_table_add (ours, GINT_TO_POINTER (id));
              grew = TRUE;
            }
        }
    }

  memory->n_processes = 0;
  for (guint i = 0; i < pids->len; i++)
    {
      const char *pid = g_ptr_array_index (pids, i);
      g_autofree char *name = NULL;
      long rss, hwm;

      if (!g_hash_table_contains (ours, GINT_TO_POINTER (atoi (pid))) || atoi (pid) == getpid ())
        continue;
      name = process_name (pid);
      if (name == NULL || !g_str_has_prefix (name, "WebKit"))
        continue;
      rss = status_kb (pid, "VmRSS:");
      hwm = status_kb (pid, "VmHWM:");
      memory->n_processes++;
      sum += MAX (rss, 0);
      if (strstr (name, "Network") != NULL)
        memory->hwm_network_kb = MAX (memory->hwm_network_kb, hwm);
      else
        memory->hwm_web_kb = MAX (memory->hwm_web_kb, hwm);
    }
  memory->rss_kb = sum;
  memory->peak_sum_kb = MAX (memory->peak_sum_kb, sum);
}

static gboolean
sample_webkit_cb (gpointer user_data)
{
  sample_webkit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  gboolean *finished = user_data;

  if (event == WEBKIT_LOAD_FINISHED)
    *finished = TRUE;
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = rp_test_make_tmpdir ("bench-app");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *config_dir = g_build_filename (dir, "config", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  g_autofree char *selected = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autoptr(RpApplication) app = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GSettings) settings = NULL;
  RpStore *store;
  RpWindow *window;
  RpMessageList *list;
  GtkAdjustment *adjustment;
  GdkFrameClock *clock;
  gint64 inbox, t0, t_first = 0, t_scroll, t_html, html_id;
  double ingest_s = 0, max_frame_ms = 0;
  guint steps = 0, sampler;
  long rss_before_window, rss_before_html;
  WebKitMemory webkit = { 0 };
  RpMessageView *view;
  gboolean html_finished = FALSE;

  /* The app keeps its store in the user's data dir: a fresh one. */
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* As in test-message-view: in a root container without user namespaces
   * the web process's bubblewrap sandbox cannot start; the network process
   * needs no GNOME proxy settings for a message that loads nothing remote.
   * The app itself never sets these. */
  g_setenv ("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  setlocale (LC_ALL, "");
  gtk_init ();
  adw_init ();

  app = rp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Cannot register: %s", error->message);
  store = rp_application_get_store (app);
  g_assert (store != NULL);

  account = rp_account_new ("bench");
  g_free (account->email);
  account->email = g_strdup ("me@rapport.test");
  /* The scheduler must leave it alone. */
  account->enabled = FALSE;
  if (!rp_store_save_account (store, account, &error))
    g_error ("Cannot save the account: %s", error->message);
  inbox = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_INBOX);

  for (guint done = 0; done < n; done += BATCH)
    {
      guint count = MIN (BATCH, n - done);
      g_autofree RpStoreNewMessage *msgs = g_new0 (RpStoreNewMessage, count);
      g_autofree char **uidls = g_new0 (char *, count + 1);
      gint64 t1;

      for (guint i = 0; i < count; i++)
        {
          uidls[i] = g_strdup_printf ("u%u", done + i);
          msgs[i].folder_id = inbox;
          msgs[i].uidl = uidls[i];
          msgs[i].raw = generate_message (rand, done + i);
          msgs[i].summary = rp_message_summary_parse (msgs[i].raw, 0);
        }
      t1 = g_get_monotonic_time ();
      if (!rp_store_add_messages_sync (store, account->id, msgs, count, NULL, &error))
        g_error ("Cannot add messages: %s", error->message);
      ingest_s += (g_get_monotonic_time () - t1) / 1e6;
      for (guint i = 0; i < count; i++)
        {
          g_bytes_unref (msgs[i].raw);
          rp_message_summary_free (msgs[i].summary);
          g_free (uidls[i]);
        }
    }

  /* One HTML message, opened after the scroll. */
  {
    RpStoreNewMessage msg = { .folder_id = inbox, .uidl = "html" };

    msg.raw = generate_html_message ();
    if (!rp_store_add_messages_sync (store, account->id, &msg, 1, NULL, &error))
      g_error ("Cannot add the HTML message: %s", error->message);
    html_id = msg.id;
    g_bytes_unref (msg.raw);
    n++;
  }

  /* The window opens on the Inbox, as it would for a user who left it there. */
  settings = g_settings_new (APP_ID);
  selected = g_strdup_printf ("folder:%" G_GINT64_FORMAT, inbox);
  g_settings_set_string (settings, "selected-folder", selected);
  rss_before_window = peak_rss_kb ();

  t0 = g_get_monotonic_time ();
  window = rp_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  list = _rp_window_get_message_list (window);
  while (!gtk_widget_get_realized (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  while (t_first == 0)
    {
      guint64 start = frames;

      while (frames == start)
        g_main_context_iteration (NULL, TRUE);
      if (count_mapped_rows (GTK_WIDGET (list)) > 0)
        t_first = g_get_monotonic_time ();
    }
  g_assert (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == n);

  /* A page per frame, to the end. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (find_list_view (GTK_WIDGET (list))));
  t_scroll = g_get_monotonic_time ();
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         < gtk_adjustment_get_upper (adjustment) - 1)
    {
      gint64 t1 = g_get_monotonic_time ();

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + gtk_adjustment_get_page_size (adjustment));
      wait_for_frame (GTK_WIDGET (window));
      max_frame_ms = MAX (max_frame_ms, (g_get_monotonic_time () - t1) / 1e3);
      steps++;
    }
  t_scroll = g_get_monotonic_time () - t_scroll;

  /* The reading pane shows the HTML message: the web and network processes
   * start, parse and paint it. Sampled every 20 ms until a second after the
   * load finished. */
  rss_before_html = peak_rss_kb ();
  view = _rp_window_get_message_view (window);
  sampler = g_timeout_add (20, sample_webkit_cb, &webkit);
  t_html = g_get_monotonic_time ();
  rp_message_view_set_message (view, html_id);
  while (_rp_message_view_get_web_view (view) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (_rp_message_view_get_web_view (view), "load-changed",
                    G_CALLBACK (on_load_changed), &html_finished);
  while (!html_finished)
    g_main_context_iteration (NULL, TRUE);
  t_html = g_get_monotonic_time () - t_html;
  wait_for_frame (GTK_WIDGET (window));
  spin (1000);
  g_source_remove (sampler);
  sample_webkit (&webkit);

  printf ("| Measure (%u messages) | Value |\n|---|---|\n", n);
  printf ("| Ingest into the store (pre-parsed) | %.1f s |\n", ingest_s);
  printf ("| Window created → first frame with rows | %.0f ms |\n", (t_first - t0) / 1e3);
  printf ("| Scroll to the end (%u pages, one per frame) | %.1f s |\n", steps, t_scroll / 1e6);
  printf ("| Mean / worst frame while scrolling | %.1f / %.1f ms |\n",
          steps > 0 ? t_scroll / 1e3 / steps : 0.0, max_frame_ms);
  printf ("| Peak RSS before the window | %.0f MB |\n", rss_before_window / 1024.0);
  printf ("| Peak RSS of the process, list scrolled | %.0f MB |\n", rss_before_html / 1024.0);
  printf ("| Peak RSS of the process, HTML message shown | %.0f MB |\n", peak_rss_kb () / 1024.0);
  printf ("| HTML message: selected → loaded in WebKit | %.0f ms |\n", t_html / 1e3);
  printf ("| WebKit processes (children) | %u |\n", webkit.n_processes);
  printf ("| WebKit peak RSS, sum of samples (20 ms) | %.0f MB |\n", webkit.peak_sum_kb / 1024.0);
  printf ("| WebKitWebProcess peak (VmHWM) | %.0f MB |\n", webkit.hwm_web_kb / 1024.0);
  printf ("| WebKitNetworkProcess peak (VmHWM) | %.0f MB |\n", webkit.hwm_network_kb / 1024.0);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, NULL);
  rp_scheduler_stop (rp_application_get_scheduler (app));
  gtk_window_destroy (GTK_WINDOW (window));
  rp_test_rm_rf (dir);

  return 0;
}
