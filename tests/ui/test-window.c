/* test-window.c: the main window, in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "rp-application.h"
#include "rp-message-row.h"
#include "rp-window-private.h"
#include "ui-test-util.h"

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

/* Runs the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 10)

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

  f->app = rp_ui_test_new_application ();
  /* The app opened the store in the test's own XDG data dir. */
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);
  g_assert_true (g_str_has_prefix (rp_store_get_path (f->store), g_get_user_data_dir ()));

  f->window = rp_ui_test_present_window (f->app);
}

static void
fixture_teardown (Fixture *f)
{
  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  gtk_window_destroy (GTK_WINDOW (f->window));
  rp_ui_test_spin (50);
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

  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "test-window.png");

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
    /* With a rate: bytes (g_format_size puts a no-break space before the
     * unit) and the time left. */
    progress.bytes_done = 2400000;
    progress.bytes_total = 9600000;
    progress.bytes_per_second = 200000;
    progress.seconds_left = 36;
    g_signal_emit_by_name (scheduler, "fetch-progress", &progress);
    g_assert_cmpstr (_rp_window_get_subtitle (f.window), ==,
                     "Fetching 120 of 500 messages… (2.4\u00a0MB of 9.6\u00a0MB, about 36 seconds left)");
    progress.seconds_left = 600;
    g_signal_emit_by_name (scheduler, "fetch-progress", &progress);
    g_assert_cmpstr (_rp_window_get_subtitle (f.window), ==,
                     "Fetching 120 of 500 messages… (2.4\u00a0MB of 9.6\u00a0MB, about 10 minutes left)");
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
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "test-window-after.png");

  fixture_teardown (&f);
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

/* The GtkDropTarget on the sidebar row titled @title. */
static GtkDropTarget *
find_drop_target (GtkWidget  *widget,
                  const char *title)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), title) == 0)
    {
      GtkWidget *box = gtk_widget_get_parent (widget);
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (box);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_DROP_TARGET (controller))
            return GTK_DROP_TARGET (controller);
        }
      return NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *target = find_drop_target (child, title);

      if (target != NULL)
        return target;
    }

  return NULL;
}

static gint64
folder_of (Fixture *f,
           gint64   id)
{
  g_autoptr(RpMessageItem) item = rp_store_get_item (f->store, id, NULL);

  g_assert_nonnull (item);
  return rp_message_item_get_folder_id (item);
}

/* Real pointer drags cannot be synthesised under Xvfb (GTK reads the
 * pointer from the X server, and XTest is not wired to GDK's DND), so the
 * test takes the two halves separately: the ids that the list's drag
 * source would carry, and the very drop handler of the sidebar row. */
static void
test_drag_and_drop (void)
{
  Fixture f = { 0 };
  RpFolderSidebar *sidebar;
  RpMessageList *list;
  RpFolderModel *model;
  GtkDropTarget *target;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  gint64 projects, first_id, second_id;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  sidebar = _rp_window_get_sidebar (f.window);
  list = _rp_window_get_message_list (f.window);
  seed_store (&f);
  projects = rp_store_create_folder (f.store, f.account_id, 0, "Projects", &error);
  g_assert_no_error (error);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  g_assert_true (rp_folder_sidebar_select (sidebar, f.inbox_id, RP_FOLDER_ROLE_NONE));
  model = rp_message_list_get_model (list);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == N_MESSAGES);

  /* Two messages selected, as a drag would carry them. */
  rp_message_list_select (list, 0);
  gtk_selection_model_select_item (gtk_list_view_get_model (find_list_view (GTK_WIDGET (list))),
                                   1, FALSE);
  ids = rp_message_list_get_selected (list);
  g_assert_cmpuint (ids->len, ==, 2);
  first_id = g_array_index (ids, gint64, 0);
  second_id = g_array_index (ids, gint64, 1);
  text = rp_message_list_format_ids (ids);

  WAIT_FOR ((target = find_drop_target (GTK_WIDGET (sidebar), "Projects")) != NULL);

  /* Ordinary text dropped on a folder is refused and moves nothing. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "just some text");
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_false (accepted);
  g_assert_cmpint (folder_of (&f, first_id), ==, f.inbox_id);

  g_value_set_string (&value, text);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_cmpint (folder_of (&f, first_id), ==, projects);
  g_assert_cmpint (folder_of (&f, second_id), ==, projects);
  g_assert_cmpstr (_rp_window_get_move_toast_title (f.window), ==,
                   "2 messages moved to Projects");
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list)))
            == N_MESSAGES - 2);

  /* The toast's Undo puts them back where they were. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.undo-move", NULL);
  g_assert_cmpint (folder_of (&f, first_id), ==, f.inbox_id);
  g_assert_cmpint (folder_of (&f, second_id), ==, f.inbox_id);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list)))
            == N_MESSAGES);

  fixture_teardown (&f);
}

/* An account the fetcher turned off after failed logins shows a banner;
 * a password given in its dialog is saved for both servers and turns the
 * account back on. */
static void
test_disabled_account (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pop_password = NULL;
  g_autofree char *smtp_password = NULL;
  RpAccount *account;
  AdwMessageDialog *dialog;
  RpSecrets *secrets;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  seed_store (&f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  /* An account the user turned off is no news. */
  g_assert_null (_rp_window_get_banner_text (f.window));

  accounts = rp_store_load_accounts (f.store, &error);
  g_assert_no_error (error);
  account = g_ptr_array_index (accounts, 0);
  account->disabled_reason = RP_DISABLED_AUTH;
  account->auth_failures = 10;
  g_assert_true (rp_store_save_account (f.store, account, &error));
  g_assert_no_error (error);
  WAIT_FOR (_rp_window_get_banner_text (f.window) != NULL);
  {
    g_autofree char *expected = rp_account_describe_disabled (account);

    g_assert_cmpstr (_rp_window_get_banner_text (f.window), ==, expected);
  }

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.fix-account", "x", account->id);
  dialog = _rp_window_get_password_dialog (f.window);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "s3cret!");
  adw_message_dialog_response (dialog, "save");
  g_assert_null (_rp_window_get_password_dialog (f.window));

  secrets = rp_application_get_secrets (f.app);
  key = rp_account_dup_secret_key (account, NULL);
  pop_password = rp_secrets_lookup_sync (secrets, "pop3", key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pop_password, ==, "s3cret!");
  smtp_password = rp_secrets_lookup_sync (secrets, "smtp", key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (smtp_password, ==, "s3cret!");

  /* Enabled again in the store, and the banner is gone. */
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = rp_store_load_accounts (f.store, &error);
  g_assert_no_error (error);
  account = g_ptr_array_index (accounts, 0);
  g_assert_true (account->enabled);
  g_assert_cmpint (account->disabled_reason, ==, RP_DISABLED_NONE);
  WAIT_FOR (_rp_window_get_banner_text (f.window) == NULL);

  fixture_teardown (&f);
}

/* The header's toggle groups the list by conversation, and remembers it. */
static void
test_conversations (void)
{
  Fixture f = { 0 };
  RpMessageList *list;
  RpFolderModel *model;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *raw = "From: Sender 3 <sender3@example.org>\r\n"
                    "To: me@example.org\r\n"
                    "Subject: Re: Report number 3\r\n"
                    "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                    "Message-ID: <reply3@example.org>\r\n"
                    "In-Reply-To: <msg3@example.org>\r\n"
                    "References: <msg3@example.org>\r\n"
                    "\r\nAgreed.\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (raw, strlen (raw));
  RpStoreNewMessage reply = { 0 };
  guint max_count = 0;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  list = _rp_window_get_message_list (f.window);
  seed_store (&f);
  reply.folder_id = f.inbox_id;
  reply.uidl = "uidl-reply";
  reply.raw = bytes;
  g_assert_true (rp_store_add_messages_sync (f.store, f.account_id, &reply, 1, NULL, &error));
  g_assert_no_error (error);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), f.inbox_id,
                                           RP_FOLDER_ROLE_NONE));
  model = rp_message_list_get_model (list);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == N_MESSAGES + 1);
  g_assert_false (rp_folder_model_get_conversations (model));

  g_action_group_activate_action (G_ACTION_GROUP (f.window), "conversations", NULL);
  g_assert_true (g_settings_get_boolean (settings, "conversations"));
  g_assert_true (rp_folder_model_get_conversations (model));
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == N_MESSAGES);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(RpMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      max_count = MAX (max_count, rp_message_item_get_thread_count (item));
    }
  g_assert_cmpuint (max_count, ==, 2);

  /* Another folder keeps the grouping. */
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), 0,
                                           RP_FOLDER_ROLE_INBOX));
  g_assert_true (rp_folder_model_get_conversations (rp_message_list_get_model (list)));

  g_action_group_activate_action (G_ACTION_GROUP (f.window), "conversations", NULL);
  g_assert_false (g_settings_get_boolean (settings, "conversations"));
  g_assert_false (rp_folder_model_get_conversations (rp_message_list_get_model (list)));

  fixture_teardown (&f);
}

/* The panes keep their widths across windows; a narrow window folds the
 * leaflet into one pane at a time, with a way back to the folders. */
static void
test_window_state (void)
{
  Fixture f = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  RpWindow *second;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  g_settings_set_int (settings, "message-list-width", 420);
  g_settings_set_int (settings, "sidebar-width", 250);
  fixture_setup (&f);
  seed_store (&f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  g_assert_cmpint (gtk_paned_get_position (_rp_window_get_content_paned (f.window)), ==, 420);
  g_assert_false (_rp_window_is_folded (f.window));

  /* Moved by the user, saved on close. */
  gtk_paned_set_position (_rp_window_get_content_paned (f.window), 450);
  rp_ui_test_spin (100);
  /* The app's hold keeps it alive between the two windows. */
  g_application_hold (G_APPLICATION (f.app));
  gtk_window_close (GTK_WINDOW (f.window));
  second = rp_window_new (f.app);
  g_application_release (G_APPLICATION (f.app));
  f.window = second;
  g_assert_cmpint (g_settings_get_int (settings, "message-list-width"), ==, 450);
  g_assert_cmpint (g_settings_get_int (settings, "sidebar-width"), ==, 250);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1100, 700);
  gtk_window_present (GTK_WINDOW (f.window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f.window)));
  g_assert_cmpint (gtk_paned_get_position (_rp_window_get_content_paned (f.window)), ==, 450);

  /* Narrow: one pane at a time; choosing a folder goes forward, Back
   * returns to the folders. */
  gtk_window_set_default_size (GTK_WINDOW (f.window), 700, 700);
  WAIT_FOR (_rp_window_is_folded (f.window));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), f.inbox_id,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (!_rp_window_shows_folders (f.window));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.go-back", NULL);
  WAIT_FOR (_rp_window_shows_folders (f.window));
  rp_ui_test_spin (400);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "test-window-narrow.png");

  gtk_window_set_default_size (GTK_WINDOW (f.window), 1100, 700);
  WAIT_FOR (!_rp_window_is_folded (f.window));

  fixture_teardown (&f);
}

/* Mail as a person would have it, for the screenshots. */
static void
seed_screenshot_store (Fixture *f)
{
  static const struct { const char *from, *subject, *body; } mails[] = {
    { "Ada Lovelace <ada@example.org>", "Notes on the Analytical Engine",
      "I have finished the notes; the table of Bernoulli numbers is on the last page." },
    { "Grace Hopper <grace@example.org>", "Compiler meeting moved to Thursday",
      "The room was double-booked, so we meet on Thursday at ten instead." },
    { "Linus Ekström <linus@example.se>", "Photos from the trip",
      "Here are the photos from Gotland, the lighthouse ones came out best." },
    { "Margaret Hamilton <margaret@example.org>", "Re: Priority display review",
      "The alarms behave as designed; I added the test cases we discussed." },
    { "Jürgen Weber <juergen@example.de>", "Angebot für die Renovierung",
      "Anbei unser Angebot für die Küche, gültig bis Ende des Monats." },
    { "Katherine Johnson <kj@example.org>", "Trajectory figures",
      "I checked the numbers by hand; they agree to the eighth decimal." },
    { "Book Club <club@example.net>", "December reading: The Dispossessed",
      "We meet at the library on the 12th. Bring snacks!" },
    { "Alan Kay <alan@example.org>", "Draft of the talk",
      "The best way to predict the future is to invent it. Comments welcome." },
  };
  g_autoptr(RpAccount) account = rp_account_new ("Personal");
  g_autoptr(GError) error = NULL;
  RpStoreNewMessage msgs[G_N_ELEMENTS (mails)] = { { 0 } };
  GBytes *raws[G_N_ELEMENTS (mails)];

  g_free (account->email);
  account->email = g_strdup ("me@example.org");
  account->enabled = FALSE;
  g_assert_true (rp_store_save_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = account->id;
  f->inbox_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_INBOX);
  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    {
      g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 20 + i / 2, 8 + i, 15, 0);
      g_autofree char *rfc_date = g_date_time_format (date, "%a, %d %b %Y %H:%M:%S +0000");
      g_autofree char *raw = g_strdup_printf ("From: %s\r\nTo: me@example.org\r\n"
                                              "Subject: %s\r\nDate: %s\r\n"
                                              "Message-ID: <shot%u@example.org>\r\n"
                                              "MIME-Version: 1.0\r\n"
                                              "Content-Type: text/plain; charset=utf-8\r\n"
                                              "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                                              mails[i].from, mails[i].subject, rfc_date, i,
                                              mails[i].body);

      raws[i] = g_bytes_new (raw, strlen (raw));
      msgs[i].folder_id = f->inbox_id;
      msgs[i].uidl = g_intern_string (mails[i].subject);
      msgs[i].raw = raws[i];
    }
  g_assert_true (rp_store_add_messages_sync (f->store, account->id, msgs, G_N_ELEMENTS (mails),
                                             NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    g_bytes_unref (raws[i]);
  g_assert_cmpint (rp_store_create_folder (f->store, account->id, 0, "Receipts", &error), >, 0);
  g_assert_cmpint (rp_store_create_folder (f->store, account->id, 0, "Travel", &error), >, 0);
}

/* The main window with mail, light and dark, saved as test artifacts
 * (test-window-LANG-light.png …) for the documentation and for review. */
static void
take_screenshots (const char *lang)
{
  Fixture f = { 0 };
  RpMessageList *list;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  if (g_str_equal (lang, "de"))
    {
      /* rp_test_init chose the C locale; this test is about German. */
      g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
      g_setenv ("LANGUAGE", "de", TRUE);
    }
  if (g_getenv ("RAPPORT_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RAPPORT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  fixture_setup (&f);
  list = _rp_window_get_message_list (f.window);
  seed_screenshot_store (&f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), f.inbox_id,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (count_mapped_rows (GTK_WIDGET (list)) >= 8);
  rp_message_list_select (list, 1);
  /* Reading a message marks it read: mark two more, for a real mix. */
  rp_message_list_select (list, 3);
  rp_message_list_select (list, 0);
  if (g_str_equal (lang, "de"))
    g_assert_cmpstr (_("Folders"), ==, "Ordner");
  rp_ui_test_spin (1500);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window),
                              g_str_equal (lang, "de") ? "main-de-light.png" : "main-en-light.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  rp_ui_test_spin (1500);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window),
                              g_str_equal (lang, "de") ? "main-de-dark.png" : "main-en-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  fixture_teardown (&f);
}

static void
test_screenshots_en (void)
{
  take_screenshots ("en");
}

static void
test_screenshots_de (void)
{
  take_screenshots ("de");
}

/* A fetch that brought several messages is announced once. */
static void
test_new_mail_notification (void)
{
  Fixture f = { 0 };
  RpScheduler *scheduler;
  RpFetchStats stats = { .new_messages = 5 };
  RpFetchStats nothing = { .new_messages = 0 };
  RpUiTestNotifications *server;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  server = rp_ui_test_own_notifications ();

  fixture_setup (&f);
  seed_store (&f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f.window), "mail"));
  scheduler = rp_application_get_scheduler (f.app);
  g_assert_cmpuint (_rp_window_get_n_notifications_sent (f.window), ==, 0);

  g_signal_emit_by_name (scheduler, "fetch-started", "work");
  g_signal_emit_by_name (scheduler, "fetch-finished", "work", &stats, NULL);
  g_assert_cmpuint (_rp_window_get_n_notifications_sent (f.window), ==, 1);
  WAIT_FOR (server->n_notify == 1);
  g_assert_cmpstr (server->summary, ==, "5 new messages in work");
  /* The newest three, sender and subject. */
  g_assert_nonnull (strstr (server->body, "Report number 19"));
  g_assert_nonnull (strstr (server->body, "Report number 17"));
  g_assert_null (strstr (server->body, "Report number 16"));

  /* Nothing new, nothing said. */
  g_signal_emit_by_name (scheduler, "fetch-finished", "work", &nothing, NULL);
  rp_ui_test_spin (200);
  g_assert_cmpuint (_rp_window_get_n_notifications_sent (f.window), ==, 1);
  g_assert_cmpuint (server->n_notify, ==, 1);

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{

  rp_ui_test_init (&argc, &argv);
  /* The isolated XDG_DATA_DIRS are empty, but GTK needs the MIME database
   * (gdk-pixbuf recognises SVG icons by it) and the icon themes. */

  g_test_add_func ("/ui/window/mail", test_mail);
  g_test_add_func ("/ui/window/drag-and-drop", test_drag_and_drop);
  g_test_add_func ("/ui/window/disabled-account", test_disabled_account);
  g_test_add_func ("/ui/window/new-mail-notification", test_new_mail_notification);
  g_test_add_func ("/ui/window/conversations", test_conversations);
  g_test_add_func ("/ui/window/state", test_window_state);
  g_test_add_func ("/ui/window/screenshots/en", test_screenshots_en);
  g_test_add_func ("/ui/window/screenshots/de", test_screenshots_de);

  return g_test_run ();
}
