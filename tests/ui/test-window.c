/* test-window.c: the main window, in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>

#include "rp-application.h"
#include "rp-message-row.h"
#include "rp-test-util.h"
#include "rp-window-private.h"

#define N_MESSAGES 20
#define NEEDLE_INDEX 7

typedef struct
{
  RpApplication *app;
  RpWindow      *window;
  RpStore       *store;
  gint64         account_id;
  gint64         inbox_id;
  gint64         needle_id;
} Fixture;

/* Auxiliary methods */

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint id_ = g_timeout_add_seconds (10, on_timeout, &timed_out_); \
    while (!(cond) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (id_); \
    g_assert_true (cond); \
  } G_STMT_END

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static GBytes *
make_message (guint i)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 1 + i, 9, 30, 0);
  g_autofree char *rfc_date = g_date_time_format (date, "%a, %d %b %Y %H:%M:%S +0000");
  const char *body = i == NEEDLE_INDEX
                     ? "The shipment to Zanzibar leaves on Friday."
                     : "Minutes of the weekly meeting are attached below.";
  g_autofree char *raw = g_strdup_printf ("From: Sender %u <sender%u@example.org>\r\n"
                                          "To: me@example.org\r\n"
                                          "Subject: Report number %u\r\n"
                                          "Date: %s\r\n"
                                          "Message-ID: <msg%u@example.org>\r\n"
                                          "MIME-Version: 1.0\r\n"
                                          "Content-Type: text/plain; charset=utf-8\r\n"
                                          "\r\n%s\r\n",
                                          i, i, i, rfc_date, i, body);

  return g_bytes_new (raw, strlen (raw));
}

/* Seeds the app's store as a fetch would have: one account, and messages
 * in its Inbox. */
static void
seed_store (Fixture *f)
{
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  RpStoreNewMessage msgs[N_MESSAGES] = { { 0 } };
  GBytes *raws[N_MESSAGES];

  account = rp_account_new ("work");
  g_free (account->email);
  account->email = g_strdup ("me@example.org");
  g_free (account->pop_host);
  account->pop_host = g_strdup ("pop.invalid");
  /* The scheduler must leave a test account alone. */
  account->enabled = FALSE;
  g_assert_true (rp_store_save_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = account->id;
  f->inbox_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_INBOX);
  g_assert_cmpint (f->inbox_id, >, 0);

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *uidl = g_strdup_printf ("uidl-%u", i);

      raws[i] = make_message (i);
      msgs[i].folder_id = f->inbox_id;
      msgs[i].uidl = g_intern_string (uidl);
      msgs[i].raw = raws[i];
    }
  g_assert_true (rp_store_add_messages_sync (f->store, account->id, msgs, N_MESSAGES,
                                             NULL, &error));
  g_assert_no_error (error);
  f->needle_id = msgs[NEEDLE_INDEX].id;
  for (guint i = 0; i < N_MESSAGES; i++)
    g_bytes_unref (raws[i]);
}

static void
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->app = rp_application_new ();
  /* No unique-instance handshake with a running Rapport. */
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  /* The app opened the store in the test's own XDG data dir. */
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);
  g_assert_true (g_str_has_prefix (rp_store_get_path (f->store), g_get_user_data_dir ()));

  f->window = rp_window_new (f->app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

static void
fixture_teardown (Fixture *f)
{
  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin (50);
  g_clear_object (&f->app);
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

static gboolean
is_unread_in_store (Fixture *f,
                    gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpMessageItem) item = rp_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  return rp_message_item_get_unread (item);
}

static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  const char *dir = g_getenv ("RP_TEST_ARTIFACT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (f->window));
  int height = gtk_widget_get_height (GTK_WIDGET (f->window));

  if (dir == NULL)
    return;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved in %s", path);
}

/* Tests */

static void
test_mail (void)
{
  Fixture f = { 0 };
  RpFolderSidebar *sidebar;
  RpMessageList *list;
  RpFolderModel *model;
  gint64 first_id;

  fixture_setup (&f);
  sidebar = _rp_window_get_sidebar (f.window);
  list = _rp_window_get_message_list (f.window);

  /* With no account there is only the greeting; an account added (as the
   * assistant would) turns it into the mail view. */
  g_assert_cmpstr (_rp_window_get_page (f.window), ==, "welcome");
  g_assert_cmpuint (rp_folder_sidebar_get_n_rows (sidebar), ==, 0);
  seed_store (&f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));

  /* All Inboxes, All Sent, then the account's special folders. */
  g_assert_cmpuint (rp_folder_sidebar_get_n_rows (sidebar), >=, 4);
  g_assert_cmpint (rp_folder_sidebar_get_unread (sidebar, f.inbox_id), ==, N_MESSAGES);

  /* The first view is every inbox together. */
  g_assert_cmpint (rp_folder_sidebar_get_folder_id (sidebar), ==, 0);
  g_assert_cmpint (rp_folder_sidebar_get_role (sidebar), ==, RP_FOLDER_ROLE_INBOX);
  WAIT_FOR (rp_message_list_get_model (list) != NULL &&
            g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == N_MESSAGES);

  g_assert_true (rp_folder_sidebar_select (sidebar, f.inbox_id, RP_FOLDER_ROLE_NONE));
  g_assert_cmpint (rp_folder_sidebar_get_folder_id (sidebar), ==, f.inbox_id);
  model = rp_message_list_get_model (list);
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_MESSAGES);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "list");
  /* The rows are really there on screen, not just in the model. */
  WAIT_FOR (count_mapped_rows (GTK_WIDGET (list)) >= 5);

  /* The choice of folder is remembered. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *saved = g_settings_get_string (settings, "selected-folder");
    g_autofree char *expected = g_strdup_printf ("folder:%" G_GINT64_FORMAT, f.inbox_id);

    g_assert_cmpstr (saved, ==, expected);
  }

  /* Opening a message marks it read in the store, and the count follows. */
  first_id = rp_folder_model_get_id_at (model, 0);
  g_assert_true (is_unread_in_store (&f, first_id));
  rp_message_list_select (list, 0);
  WAIT_FOR (!is_unread_in_store (&f, first_id));
  g_assert_cmpint (rp_message_view_get_message (_rp_window_get_message_view (f.window)),
                   ==, first_id);
  WAIT_FOR (rp_folder_sidebar_get_unread (sidebar, f.inbox_id) == N_MESSAGES - 1);

  spin (300);
  save_screenshot (&f, "test-window.png");

  /* The window's actions work on the selection. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.mark-unread", NULL);
  WAIT_FOR (is_unread_in_store (&f, first_id));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.flag", NULL);
  {
    g_autoptr(RpMessageItem) item = rp_store_get_item (f.store, first_id, NULL);

    g_assert_true (rp_message_item_get_flagged (item));
  }

  /* A word from one message's body finds just that one. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.search", NULL);
  rp_message_list_set_query (list, "zanzibar");
  model = rp_message_list_get_model (list);
  WAIT_FOR (!rp_folder_model_get_loading (model));
  g_assert_no_error ((GError *) rp_folder_model_get_error (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpint (rp_folder_model_get_id_at (model, 0), ==, f.needle_id);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "list");

  rp_message_list_set_query (list, "xylophonequartet");
  model = rp_message_list_get_model (list);
  WAIT_FOR (!rp_folder_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "no-results");

  /* An empty query returns to the folder. */
  rp_message_list_set_query (list, "");
  model = rp_message_list_get_model (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_MESSAGES);

  /* User folders appear under the account's special folders. */
  {
    g_autoptr(GError) error = NULL;
    guint rows = rp_folder_sidebar_get_n_rows (sidebar);
    gint64 projects = rp_store_create_folder (f.store, f.account_id, 0, "Projects", &error);
    gint64 archive;

    g_assert_no_error (error);
    archive = rp_store_create_folder (f.store, f.account_id, projects, "2026", &error);
    g_assert_no_error (error);
    WAIT_FOR (rp_folder_sidebar_get_n_rows (sidebar) == rows + 2);
    g_assert_cmpint (rp_folder_sidebar_get_unread (sidebar, projects), ==, 0);
    g_assert_cmpint (rp_folder_sidebar_get_unread (sidebar, archive), ==, 0);
    /* The refresh kept the Inbox chosen. */
    g_assert_cmpint (rp_folder_sidebar_get_folder_id (sidebar), ==, f.inbox_id);
  }

  /* The scheduler's progress shows in the header, and goes when done. */
  {
    RpScheduler *scheduler = rp_application_get_scheduler (f.app);
    RpFetchProgress progress = { .account_name = "work", .messages_done = 120,
                                 .messages_total = 500 };
    g_autoptr(GError) error = g_error_new_literal (RP_ERROR, RP_ERROR_AUTH_FAILED,
                                                   "The server rejected the password");

    g_signal_emit_by_name (scheduler, "fetch-started", "work");
    g_signal_emit_by_name (scheduler, "fetch-progress", &progress);
    g_assert_cmpstr (_rp_window_get_subtitle (f.window), ==, "Fetching 120 of 500 messages…");
    g_signal_emit_by_name (scheduler, "fetch-finished", "work", NULL, error);
    g_assert_cmpstr (_rp_window_get_subtitle (f.window), ==, "");
  }

  /* Delete moves to the account's Trash. */
  rp_message_list_select (list, 0);
  first_id = rp_folder_model_get_id_at (model, 0);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.delete", NULL);
  {
    g_autoptr(RpMessageItem) item = rp_store_get_item (f.store, first_id, NULL);

    g_assert_cmpint (rp_message_item_get_folder_id (item), ==,
                     rp_store_get_special_folder (f.store, f.account_id, RP_FOLDER_ROLE_TRASH));
  }
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == N_MESSAGES - 1);

  /* Subfolders, a flag, the fetch error's toast. */
  spin (300);
  save_screenshot (&f, "test-window-after.png");

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  const char *mime_dirs[] = { "/usr/share/mime", NULL };

  rp_test_init (&argc, &argv);
  /* The isolated XDG_DATA_DIRS are empty, but GTK needs the MIME database
   * (gdk-pixbuf recognises SVG icons by it) and the icon themes. */
  g_content_type_set_mime_dirs (mime_dirs);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");

  g_test_add_func ("/ui/window/mail", test_mail);

  return g_test_run ();
}
